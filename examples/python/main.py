"""A small paved platform in Python: one DEV environment with local state,
its network, an imported cluster and tenant `shop` running `orders` with
its own Postgres (the golden path, from Python) and a nightly job.

Run with the paved wheel installed:

    python examples/python/main.py [outdir]

It writes the Terraform JSON, the Kubernetes YAML and report.md to outdir
(default: out-python) and prints a summary.
"""
import sys

from paved import (
    Cluster,
    Environment,
    Kind,
    Network,
    NetworkPolicyEnforcement,
    Platform,
    Profile,
    Resource,
    Size,
    TerraformState,
    Workload,
)


def build_platform(outdir: str) -> Platform:
    platform = Platform(outdir=outdir)

    # Examples keep state locally; real environments default to encrypted S3 state.
    dev = Environment(
        platform,
        "dev",
        account="111111111111",
        region="eu-central-1",
        profile=Profile.DEV,
        state=TerraformState.local(),
        tags={"team": "platform"},
    )
    Network(dev, "Network", cidr="10.10.0.0/16")
    # An imported cluster says what enforces the NetworkPolicies paved writes.
    Cluster.from_attributes(
        dev,
        "Cluster",
        cluster_name="dev-main",
        node_security_group_id="sg-0a1b2c3d4e5f60001",
        network_policy_enforcement=NetworkPolicyEnforcement.vpc_cni(),
    )

    Workload(
        dev,
        "orders",
        tenant="shop",
        image="ghcr.io/acme/orders:1.4.2",
        port=8080,
        host="orders.dev.acme.io",
        size=Size.M,
        resources={"db": Resource.postgres()},
        env={
            "DATABASE_URL": "postgres://${resources.db.username}:${resources.db.password}"
            "@${resources.db.host}:${resources.db.port}/${resources.db.database}",
        },
    )
    # A nightly job of the same tenant: every kind takes the same props.
    Workload(
        dev,
        "orders-report",
        tenant="shop",
        image="ghcr.io/acme/orders-report:1.0.3",
        kind=Kind.cron(schedule="30 2 * * *", time_zone="Europe/Berlin"),
        size=Size.S,
    )
    return platform


def main() -> None:
    outdir = sys.argv[1] if len(sys.argv) > 1 else "out-python"
    result = build_platform(outdir).synth()
    print(
        f"paved (python): synthesized {len(result.stacks)} Terraform stack(s) with "
        f"{result.terraform_resources} resources and {len(result.manifests)} Kubernetes "
        f"manifest(s) with {result.kubernetes_objects} objects into {result.outdir}"
    )


if __name__ == "__main__":
    main()
