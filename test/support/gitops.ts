import { Testing } from 'cdktf';
import { testPlatform } from './synth';
import { Cluster, Environment, Network, Platform, Profile, TerraformState } from '../../lib';

/** The platform repository of the GitOps tests. */
export const REPO = 'https://github.com/acme/platform.git';

/** An environment with a network and one cluster `Cluster` (named `<env>-cluster`), as the platform team declares it. */
export function clusterEnvironment(platform: Platform = testPlatform(), name: string = 'dev', profile: Profile = Profile.DEV,
  cidr: string = name === 'prod' ? '10.20.0.0/16' : '10.10.0.0/16'): { env: Environment; cluster: Cluster } {
  const env = new Environment(platform, name, { account: '123456789012', region: 'eu-central-1', profile, state: TerraformState.local() });
  new Network(env, 'Network', { cidr });
  const cluster = new Cluster(env, 'Cluster', { adminRoleArns: ['arn:aws:iam::123456789012:role/platform-admin'] });
  return { env, cluster };
}

/**
 * The Argo CD objects of the platform, by file (`argocd/...`), after the
 * validation that makes the tenants' Applications. Fails on validation errors.
 */
export function argocdFiles(platform: Platform): { [file: string]: any[] } {
  const errors = platform.validate();
  if (errors.length > 0) { throw new Error(errors.join('\n')); }
  return Object.fromEntries(platform._charts().filter(c => c.output === 'argocd').map(c => [c.file, c.chart.toJson()]));
}

/** Every object of `files`, keyed by `<kind>/<name>` (names repeat across files of different clusters: pass one cluster's files). */
export function byKindAndName(objects: any[]): { [key: string]: any } {
  return Object.fromEntries(objects.map(o => [`${o.kind}/${o.metadata.name}`, o]));
}

/** The Terraform JSON of a stack, parsed. */
export function synthTerraform(stack: any): any {
  return JSON.parse(Testing.synth(stack));
}
