/**
 * The bundled example platform: a DEV and a PROD environment, each with its
 * network, EKS clusters (PROD has a second one for batch analytics), DNS
 * zone, certificate and image registry in its foundation stack (`dev`,
 * `prod`), delivered by Argo CD from https://github.com/acme/platform.git
 * (a bootstrap stack `bootstrap-<cluster>` per cluster installs it), and two
 * tenants, each in a stack of its own (`dev-shop`, `prod-analytics`, ...):
 *   - `shop`, on each environment's main cluster, running
 *     - `orders`, a web app with its own Postgres, cache and bucket (the golden path),
 *       that queues jobs,
 *     - `orders-worker`, a worker that consumes them, scaled by KEDA on the queue's depth,
 *     - `orders-report`, a nightly job;
 *   - `analytics`, on PROD's batch cluster (DEV's one cluster), running `insights`.
 * A Portal writes the Backstage catalog and templates (catalog/), the platform page (site/index.html)
 * and the cost estimate (report.md).
 * `npm run example` synthesizes it into out/ and prints a summary. The cdktf
 * CLI runs it too, through cdktf.json (`npx cdktf synth` in this folder):
 * the Terraform JSON then goes to cdktf.out/ and the rest beside it.
 */
import * as path from 'path';
import {
  Addon, BootstrapSecret, Certificate, Cluster, ContainerRegistry, Dns, Environment, GitOps, Grantee, Kind, Network, Platform,
  Portal, Profile, RepositoryCredentials, Resource, Size, StackLayout, SynthResult, TenantSecretAccess, TerraformState, WorkerScaling,
  Workload,
} from '../../lib';

const ACCOUNTS: { [env: string]: string } = { dev: '111111111111', prod: '222222222222' };
/** Images are pinned by digest, so what runs is exactly what was scanned. */
const ORDERS_IMAGE = 'ghcr.io/acme/orders:1.4.2@sha256:3f1d0b9c8e7a6d5c4b3a29180f7e6d5c4b3a29180f7e6d5c4b3a29180f7e6d5c';
const WORKER_IMAGE = 'ghcr.io/acme/orders-worker:1.4.2@sha256:8a7b6c5d4e3f2a1b0c9d8e7f6a5b4c3d2e1f0a9b8c7d6e5f4a3b2c1d0e9f8a7b';
const INSIGHTS_IMAGE = 'ghcr.io/acme/insights:2.1.0@sha256:5e4d3c2b1a0f9e8d7c6b5a49382716f5e4d3c2b1a0f9e8d7c6b5a49382716f5e';
const REPORT_IMAGE = 'ghcr.io/acme/orders-report:1.0.3@sha256:0c1d2e3f4a5b6c7d8e9f0a1b2c3d4e5f6a7b8c9d0e1f2a3b4c5d6e7f8a9b0c1d';

/**
 * @param stackLayout how each environment splits its Terraform: the per-tenant default, or one stack
 */
export function buildPlatform(outdir: string, stackLayout: StackLayout = StackLayout.PER_TENANT): Platform {
  const platform = new Platform({ outdir });
  const environments: { env: Environment; main: Cluster; batch: Cluster }[] = [];
  for (const [name, profile, cidr] of [['dev', Profile.DEV, '10.10.0.0/16'], ['prod', Profile.PROD, '10.20.0.0/16']] as const) {
    // Examples keep state locally; real environments default to encrypted S3 state.
    const env = new Environment(platform, name, {
      account: ACCOUNTS[name],
      region: 'eu-central-1',
      profile,
      state: TerraformState.local(),
      tags: { 'team': 'platform', 'cost-center': 'cc-1001' },
      stackLayout,
    });
    environments.push({ env, ...buildInfrastructure(env, cidr) });
  }

  // Every cluster gets Argo CD once (a bootstrap stack each); from then on Argo CD syncs the
  // addons, the tenants and their workloads from the repository the pipeline commits out/ to.
  new GitOps(platform, 'GitOps', {
    repoUrl: 'https://github.com/acme/platform.git',
    credentials: RepositoryCredentials.fromSecretsManager('paved/platform/git'),
    addons: [...Addon.defaults(), Addon.externalDns()],
    argoCd: {
      url: 'https://argocd.{environment}.acme.io',
      oidc: {
        issuer: 'https://acme.okta.com',
        clientId: 'argocd',
        clientSecret: BootstrapSecret.fromSecretsManager('paved/platform/argocd-oidc', { jsonKey: 'clientSecret' }),
      },
      adminGroups: ['platform-team'],
      readOnlyGroups: ['developers'],
    },
  });

  for (const { env, main, batch } of environments) { buildTenants(env, main, batch); }

  // What people and portals see: a Backstage catalog with a "new workload" template (pull requests to
  // the platform repository), the platform page with its diagram, and a cost estimate in report.md.
  new Portal(platform, 'Portal', {
    title: 'acme platform',
    platformOwner: 'group:default/platform-team',
    grafanaUrl: 'https://grafana.{environment}.acme.io',
  });
  return platform;
}

/** What the platform team sets up once per environment. */
function buildInfrastructure(env: Environment, cidr: string): { main: Cluster; batch: Cluster } {
  new Network(env, 'Network', { cidr });
  const adminRoleArns = [`arn:aws:iam::${env.account}:role/platform-admin`];
  const main = new Cluster(env, 'Cluster', { adminRoleArns });
  // Production keeps batch analytics off the cluster that serves customers.
  const batch = env.profile.isProduction ? new Cluster(env, 'Batch', { adminRoleArns, size: Size.S }) : main;
  const dns = new Dns(env, 'Dns', { zoneName: `${env.name}.acme.io` });
  new Certificate(env, 'OrdersCertificate', { dns, domainName: `orders.${env.name}.acme.io` });
  const registry = new ContainerRegistry(env, 'OrdersRegistry', { repositoryName: 'shop/orders' });
  for (const cluster of new Set([main, batch])) { registry.grantPull(cluster.nodeIdentity); }
  registry.grantPush(Grantee.fromRoleArn(env, 'CiShop', `arn:aws:iam::${env.account}:role/ci-shop`));
  return { main, batch };
}

/** The tenants, each placed on its cluster and in its own stack, and what their teams declare. */
function buildTenants(env: Environment, main: Cluster, batch: Cluster): void {
  TenantSecretAccess.declare(env, 'shop', { clusters: [main], deployerGroups: ['shop-developers'], owner: 'group:default/shop-team' });
  TenantSecretAccess.declare(env, 'analytics', { clusters: [batch], readOnlyGroups: ['analysts'], owner: 'group:default/analytics-team' });

  // The shop team: the golden path. The orders web app queues jobs that its worker consumes: both
  // declare the queue with one id (and one size), so it is made once and each gets its own grants and Secret.
  const jobs = Resource.queue({ id: 'orders-jobs', size: Size.M });
  new Workload(env, 'orders', {
    tenant: 'shop',
    image: ORDERS_IMAGE,
    port: 8080,
    host: `orders.${env.name}.acme.io`,
    size: Size.M,
    resources: { db: Resource.postgres(), cache: Resource.redis(), uploads: Resource.s3(), jobs },
    env: {
      DATABASE_URL: 'postgres://${resources.db.username}:${resources.db.password}@${resources.db.host}:${resources.db.port}/${resources.db.database}',
      REDIS_HOST: '${resources.cache.host}',
      UPLOADS_BUCKET: '${resources.uploads.bucket}',
      JOBS_QUEUE_URL: '${resources.jobs.url}',
    },
  });

  // A worker that consumes the orders job queue; KEDA scales it on the queue's depth, reading it
  // with the cluster's KEDA role.
  new Workload(env, 'orders-worker', {
    tenant: 'shop',
    image: WORKER_IMAGE,
    size: Size.S,
    kind: Kind.worker({ scaling: WorkerScaling.queue('jobs') }),
    resources: { jobs },
    env: { JOBS_QUEUE_URL: '${resources.jobs.url}' },
  });

  // A nightly report without AWS resources.
  new Workload(env, 'orders-report', {
    tenant: 'shop',
    image: REPORT_IMAGE,
    size: Size.S,
    kind: Kind.cron({ schedule: '30 2 * * *', timeZone: 'Europe/Berlin' }),
  });

  // The analytics team, on its own cluster in production.
  new Workload(env, 'insights', { tenant: 'analytics', image: INSIGHTS_IMAGE, port: 8080, size: Size.S });
}

export function summarize(result: SynthResult): string {
  const where = path.relative(process.cwd(), result.outdir) || '.';
  return [
    `paved: synthesized ${result.stacks.length} Terraform stack(s) with ${result.terraformResources} resources`
      + ` and ${result.manifests.length} Kubernetes manifest(s) with ${result.kubernetesObjects} objects`,
    `  stacks:    ${result.stacks.map(s => `${where}/cdktf.out/stacks/${s}/cdk.tf.json`).join(', ')}`,
    `  manifests: ${result.manifests.length > 0 ? result.manifests.map(m => `${where}/${m}`).join(', ') : '(none)'}`,
    `  report:    ${where}/${result.report}`,
  ].join('\n');
}

if (require.main === module) {
  const started = Date.now();
  const result = buildPlatform(process.argv[2] ?? 'out').synth();
  console.log(summarize(result));
  console.log(`  took ${((Date.now() - started) / 1000).toFixed(1)} s, peak RSS ${Math.round(process.resourceUsage().maxRSS / 1024)} MB`);
}
