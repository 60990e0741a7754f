/**
 * The bundled example platform: a DEV and a PROD environment with their
 * networks. `npm run example` synthesizes it into out/ and prints a summary.
 */
import * as path from 'path';
import { Environment, Network, Platform, Profile, SynthResult, TerraformState } from '../../lib';

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

  const prod = new Environment(platform, 'prod', {
    account: '222222222222',
    region: 'eu-central-1',
    profile: Profile.PROD,
    state: TerraformState.local(),
    tags: { 'team': 'platform', 'cost-center': 'cc-1001' },
  });
  new Network(prod, 'Network', { cidr: '10.20.0.0/16' });

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
