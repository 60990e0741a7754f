import { Chart } from 'cdk8s';
import { Construct } from 'constructs';
import { AddonCapability } from './addon-capability';
import { Cluster } from '../aws/cluster';
import { PolicyStatement } from '../aws/policy-statement';
import { Environment } from '../core/environment';

/**
 * Where an addon is installed, for its values and extra manifests.
 * @internal
 */
export interface AddonContext {
  readonly environment: Environment;
  readonly cluster: Cluster;
  /** Run replicas, disruption budgets and leader election: the environment profile is production. */
  readonly highAvailability: boolean;
}

/**
 * Where an addon's IAM role is made, for its permissions: inside the
 * cluster's bootstrap stack, so a statement may hold references to that
 * stack (`vpcArn`, data sources the function adds under `scope`).
 * @internal
 */
export interface PermissionContext {
  readonly scope: Construct;
  readonly environment: Environment;
  readonly cluster: Cluster;
  /** ARN of the cluster's VPC, a reference resolved at apply time. */
  readonly vpcArn: string;
}

/**
 * Everything paved knows about one addon.
 * @internal
 */
export interface AddonSpec {
  readonly name: string;
  readonly namespace: string;
  readonly repoUrl: string;
  readonly chart: string;
  readonly version: string;
  readonly releaseName: string;
  readonly capabilities: AddonCapability[];
  readonly syncWave: number;
  /** Pod Security Standard of the namespace Argo CD creates; undefined for a namespace paved does not create (kube-system). */
  readonly podSecurity?: string;
  readonly serverSideApply: boolean;
  /** The service account that gets the IAM role, for addons with one. */
  readonly serviceAccount?: string;
  /** The role exists per environment already (the Cluster makes it and its association): its name. */
  readonly environmentRoleName?: (env: Environment) => string;
  /** Permissions of a role paved makes for the addon on each cluster. */
  readonly permissions?: (context: PermissionContext) => PolicyStatement[];
  /** Helm values, before the platform engineer's. */
  readonly values: (context: AddonContext) => { [key: string]: any };
  /** Kubernetes objects delivered with the chart (a second source of the addon's Application). */
  readonly manifests?: (context: AddonContext, chart: Chart) => void;
}
