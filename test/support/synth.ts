import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Chart } from 'cdk8s';
import { TerraformStack, Testing } from 'cdktf';
import { Construct } from 'constructs';
import { Cluster, Environment, Network, NetworkPolicyEnforcement, Platform, Profile, StackLayout, TerraformState } from '../../lib';
import { STATEFUL_TYPES } from '../../lib/core/stateful-resources';

/** A platform whose outdir is a not-yet-existing folder in a fresh temporary folder. */
export function testPlatform(): Platform {
  return new Platform({ outdir: path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'paved-test-')), 'out') });
}

/** A DEV environment (local state) named `dev`. */
export function devEnvironment(platform: Platform = testPlatform(), name: string = 'dev'): Environment {
  return new Environment(platform, name, {
    account: '123456789012', region: 'eu-central-1', profile: Profile.DEV, state: TerraformState.local(),
  });
}

/** A PROD environment (local state) named `prod`. */
export function prodEnvironment(platform: Platform = testPlatform(), name: string = 'prod'): Environment {
  return new Environment(platform, name, {
    account: '123456789012', region: 'eu-central-1', profile: Profile.PROD, state: TerraformState.local(),
  });
}

/**
 * The Terraform JSON of the stack `scope` is in (an environment's
 * foundation stack, or a tenant stack: `env.tenantScope(tenant)`), parsed.
 * Every stack of the platform is prepared first, as `cdktf synth` does, so
 * references across stacks resolve to remote state.
 */
export function synthStack(scope: Construct): any {
  const stack = TerraformStack.of(scope);
  for (const s of stack.node.root.node.children) {
    if (TerraformStack.isStack(s)) { s.prepareStack(); }
  }
  return JSON.parse(Testing.synth(stack));
}

/** All resources of `type` in a synthesized stack, as a list of their bodies. */
export function resourcesOf(stack: any, type: string): any[] {
  return Object.values(stack.resource?.[type] ?? {});
}

/** The one resource of `type`; fails when there are none or several. */
export function onlyResource(stack: any, type: string): any {
  const all = resourcesOf(stack, type);
  if (all.length !== 1) {
    throw new Error(`expected exactly one ${type}, found ${all.length}`);
  }
  return all[0];
}

/**
 * The Terraform addresses (`type.name`) of the stateful resources of a
 * synthesized stack (the types the upgrade guard protects), sorted: what a
 * test pins so that a renamed construct cannot replace a data store.
 */
export function statefulAddresses(stack: any): string[] {
  return Object.entries(stack.resource ?? {})
    .filter(([type]) => STATEFUL_TYPES.has(type))
    .flatMap(([type, bodies]) => Object.keys(bodies as object).map(name => `${type}.${name}`))
    .sort();
}

/** The Kubernetes objects of a chart. */
export function synthChart(chart: Chart): any[] {
  return chart.toJson();
}

/**
 * An environment ready for workloads: a Network (10.10.0.0/16 for dev,
 * 10.20.0.0/16 otherwise) and a cluster imported by attributes, whose
 * VPC CNI enforces NetworkPolicies.
 */
export function workloadEnvironment(platform: Platform = testPlatform(), profile: Profile = Profile.DEV, name?: string,
  stackLayout?: StackLayout): Environment {
  const envName = name ?? (profile === Profile.DEV ? 'dev' : 'prod');
  const env = new Environment(platform, envName, { account: '123456789012', region: 'eu-central-1', profile, state: TerraformState.local(), stackLayout });
  new Network(env, 'Network', { cidr: profile === Profile.DEV ? '10.10.0.0/16' : '10.20.0.0/16' });
  Cluster.fromAttributes(env, 'Cluster', {
    clusterName: `${envName}-main`,
    nodeSecurityGroupId: 'sg-0123456789abcdef0',
    networkPolicyEnforcement: NetworkPolicyEnforcement.vpcCni(),
  });
  return env;
}

/**
 * `stack` without the alarm topics' resources (`Alarms/<tenant>` and
 * `Alarms/Platform` below the stack: topic, policy and key), which every
 * stack with a stateful resource gets, for tests that count a construct's own.
 */
export function withoutAlarmTopics(stack: any): any {
  const resource = Object.fromEntries(Object.entries<any>(stack.resource ?? {})
    .map(([type, byAddress]) => [type, Object.fromEntries(Object.entries(byAddress).filter(([address]) => !address.startsWith('Alarms_')))])
    .filter(([, byAddress]) => Object.keys(byAddress).length > 0));
  return { ...stack, resource: Object.keys(resource).length > 0 ? resource : undefined };
}
