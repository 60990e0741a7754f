import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as YAML from 'yaml';
import { buildPlatform } from '../../examples/platform/main';
import {
  cloudWatchDimensionProblems, dashboardQueryProblems, receiverSecretProblems, ruleProblems, scrapeProblems,
} from '../support/operations-consistency';

/**
 * The bundled example's operations as code, synthesized once, against what
 * it watches: scrape targets, rules, dashboards and receiver secrets fit the
 * workloads, the AWS resources and the IAM roles of the same output.
 */
const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'paved-example-ops-'));
const outdir = path.join(scratch, 'out');
const result = buildPlatform(outdir).synth();
afterAll(() => fs.rmSync(scratch, { recursive: true, force: true }));
const stacksOf = (env: string): any[] => result.stacks.filter(name => name === env || name.startsWith(`${env}-`))
  .map(name => JSON.parse(fs.readFileSync(path.join(outdir, 'cdktf.out/stacks', name, 'cdk.tf.json'), 'utf8')));
/** Everything an environment's clusters receive: its k8s/<env> manifests and its Argo CD folder (addon resources included). */
const objectsOf = (env: string): any[] => result.manifests
  .filter(file => file.startsWith(`k8s/${env}/`) || file.startsWith(`argocd/${env}/`))
  .flatMap(file => YAML.parseAllDocuments(fs.readFileSync(path.join(outdir, file), 'utf8')).map(d => d.toJSON()))
  .filter(o => o?.kind !== undefined);
/** Tenants' namespaces: made by paved for a tenant. */
const tenantsOf = (objects: any[]): string[] => objects
  .filter(o => o.kind === 'Namespace' && o.metadata.labels?.['app.kubernetes.io/component'] === 'tenant').map(o => o.metadata.name);

describe.each(['dev', 'prod'])('examples/platform %s: operations fit what they watch', env => {
  const objects = objectsOf(env);
  const count = (kind: string) => objects.filter(o => o.kind === kind).length;

  test('the environment has the tenants, monitors, rules, dashboards and routing to check', () => {
    expect(tenantsOf(objects).sort()).toEqual(['analytics', 'shop']);
    expect(count('ServiceMonitor')).toBeGreaterThan(0);
    expect(count('PodMonitor')).toBeGreaterThan(0);
    expect(count('PrometheusRule')).toBeGreaterThan(4);
    expect(count('AlertmanagerConfig')).toBeGreaterThanOrEqual(2);
    expect(objects.filter(o => o.kind === 'ConfigMap' && o.metadata.labels?.grafana_dashboard).length).toBeGreaterThan(3);
  });

  test('every ServiceMonitor and PodMonitor selects pods that exist, with a port of the endpoint\'s name', () => {
    expect(scrapeProblems(objects)).toEqual([]);
  });

  test('every rule parses and its workload matchers and labels select the workloads of its namespace', () => {
    expect(ruleProblems(objects, tenantsOf(objects))).toEqual([]);
  });

  test('every dashboard is valid, reads a Prometheus data source and its queries parse and select its workload', () => {
    expect(dashboardQueryProblems(objects, tenantsOf(objects))).toEqual([]);
  });

  test('every CloudWatch dimension a rule or dashboard selects is a resource Terraform makes', () => {
    expect(cloudWatchDimensionProblems(objects, stacksOf(env))).toEqual([]);
  });

  test('every receiver secret has an ExternalSecret whose store\'s IAM role may read its remote key', () => {
    expect(receiverSecretProblems(objects, stacksOf(env))).toEqual([]);
  });
});
