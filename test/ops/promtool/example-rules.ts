/*
 * The rules of the bundled example (examples/platform) as Prometheus rule
 * files, for promtool: every PrometheusRule it writes under k8s/ (workloads,
 * tenants, alert packs) and argocd/ (the CloudWatch exporter's rules of each
 * cluster), named after the manifest and the object:
 * `example-<manifest path>-<name>.rules.yaml` without the extension, e.g.
 * `example-k8s-prod-shop-orders-orders` for PrometheusRule `orders` of
 * k8s/prod/shop/orders.k8s.yaml.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as YAML from 'yaml';
import { buildPlatform } from '../../../examples/platform/main';

/** The example's rule files by name (without `.rules.yaml`), synthesized into a scratch folder. */
export function exampleRuleFiles(): { [name: string]: { groups: any[] } } {
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'paved-example-rules-'));
  const outdir = path.join(scratch, 'out');
  try {
    const result = buildPlatform(outdir).synth();
    const files: { [name: string]: { groups: any[] } } = {};
    for (const manifest of result.manifests) {
      const objects = YAML.parseAllDocuments(fs.readFileSync(path.join(outdir, manifest), 'utf8')).map(d => d.toJSON());
      for (const rule of objects.filter(o => o?.kind === 'PrometheusRule')) {
        const name = `example-${manifest.replace(/\.k8s\.yaml$/, '').replace(/\//g, '-')}-${rule.metadata.name}`;
        files[name] = { groups: rule.spec.groups };
      }
    }
    return files;
  } finally {
    fs.rmSync(scratch, { recursive: true, force: true });
  }
}
