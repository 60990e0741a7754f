/**
 * The bundled example platform: a DEV and a PROD environment with their
 * networks and clusters, and tenant `shop` running `orders` (a web app with
 * its own Postgres) in both. `npm run example` synthesizes it into out/ and
 * prints a summary.
 */
import * as path from 'path';
import { Cluster, Environment, Network, Platform, Profile, Resource, Size, SynthResult, TerraformState, Workload } from '../../lib';

export function buildPlatform(outdir: string): Platform {
  const platform = new Platform({ outdir });

  // Examples keep state locally; real environments default to encrypted S3 state.
  const dev = new Environment(platform, 'dev', {
    account: '111111111111',
    region: 'eu-central-1',
    profile: Profile.DEV,
    state: TerraformState.local(),
    tags: { 'team': 'platform', 'cost-center': 'cc-1001' },
  });
  new Network(dev, 'Network', { cidr: '10.10.0.0/16' });
  Cluster.fromAttributes(dev, 'Cluster', { clusterName: 'dev-main', nodeSecurityGroupId: 'sg-0a1b2c3d4e5f60001' });

  const prod = new Environment(platform, 'prod', {
    account: '222222222222',
    region: 'eu-central-1',
    profile: Profile.PROD,
    state: TerraformState.local(),
    tags: { 'team': 'platform', 'cost-center': 'cc-1001' },
  });
  new Network(prod, 'Network', { cidr: '10.20.0.0/16' });
  Cluster.fromAttributes(prod, 'Cluster', { clusterName: 'prod-main', nodeSecurityGroupId: 'sg-0a1b2c3d4e5f60002' });

  // The golden path: what a developer writes.
  for (const env of [dev, prod]) {
    new Workload(env, 'orders', {
      tenant: 'shop',
      image: 'ghcr.io/acme/orders:1.4.2@sha256:3f1d0b9c8e7a6d5c4b3a29180f7e6d5c4b3a29180f7e6d5c4b3a29180f7e6d5c',
      port: 8080,
      host: `orders.${env.name}.acme.io`,
      size: Size.M,
      resources: { db: Resource.postgres() },
      env: {
        DATABASE_URL: 'postgres://${resources.db.username}:${resources.db.password}@${resources.db.host}:${resources.db.port}/${resources.db.database}',
      },
    });
  }

  return platform;
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
