import { Token } from 'cdktf';
import { Construct, IConstruct } from 'constructs';
import { NetworkPolicyEnforcement } from './network-policy-enforcement';
import { Environment } from '../core/environment';
import { PavedError, describe, invalid } from '../core/errors';
import { LookupKey } from '../core/lookup';
import { Platform } from '../core/platform';

/**
 * An EKS cluster that workloads run on and data stores admit traffic from:
 * one created by paved or an existing one imported with
 * {@link Cluster.fromAttributes}.
 */
export interface ICluster extends IConstruct {
  /** The EKS cluster name. */
  readonly clusterName: string;
  /** The cluster ARN, `arn:<partition>:eks:<region>:<account>:cluster/<name>`. */
  readonly clusterArn: string;
  /**
   * The security group of the cluster's nodes and pods (`sg-...`); data
   * stores allow their port from this group.
   */
  readonly nodeSecurityGroupId: string;
  /**
   * What enforces the NetworkPolicies paved writes on the cluster;
   * undefined for an imported cluster that did not say, on which no
   * workload or tenant may run.
   */
  readonly networkPolicyEnforcement?: NetworkPolicyEnforcement;
}

/** Attributes of an existing EKS cluster, for {@link Cluster.fromAttributes}. */
export interface ClusterAttributes {
  /** The EKS cluster name: 1-100 letters, digits, hyphens and underscores, starting with a letter or digit. */
  readonly clusterName: string;
  /** The security group of the cluster's nodes and pods: `sg-` followed by 8 or 17 lowercase hex digits. */
  readonly nodeSecurityGroupId: string;
  /**
   * The cluster ARN.
   * @default - `arn:<partition>:eks:<region>:<account>:cluster/<clusterName>` of the environment
   */
  readonly clusterArn?: string;
  /**
   * What enforces Kubernetes NetworkPolicies on the cluster. paved writes a
   * default-deny policy for every tenant and one policy per workload; on a
   * cluster that does not enforce them they do nothing. Required once a
   * workload or tenant runs on the cluster (importing it for other uses,
   * such as admitting its nodes to a database, needs none):
   * `NetworkPolicyEnforcement.vpcCni()` when its `vpc-cni` add-on runs with
   * `enableNetworkPolicy: "true"`, `NetworkPolicyEnforcement.acknowledged('Calico')`
   * for another enforcer, `NetworkPolicyEnforcement.notEnforced('<reason>')`
   * to run without (a warning; refused in a production profile).
   * @default - not stated: no workload or tenant may run on the cluster
   */
  readonly networkPolicyEnforcement?: NetworkPolicyEnforcement;
}

/** The clusters of an environment, created or imported, for `Cluster.of`. @internal */
export const CLUSTERS = new LookupKey<ICluster>('clusters');
/** @internal */
export const CLUSTER_NAME = /^[0-9A-Za-z][A-Za-z0-9_-]{0,99}$/;
const SECURITY_GROUP_ID = /^sg-([0-9a-f]{8}|[0-9a-f]{17})$/;
const CLUSTER_ARN = /^arn:aws[a-z-]*:eks:[a-z0-9-]+:\d{12}:cluster\/[0-9A-Za-z][A-Za-z0-9_-]{0,99}$/;

/**
 * The one cluster of `scope`'s environment; fails when it has none or several.
 * @internal
 */
export function theClusterOf(scope: IConstruct): ICluster {
  const env = Environment.containing(scope);
  const found = env._lookup.list(CLUSTERS);
  if (found.length === 1) { return found[0]; }
  if (found.length === 0) {
    throw new PavedError(describe(scope), 'cluster',
      `environment "${env.name}" has no cluster; add one with new Cluster(env, 'Cluster'), import one with `
      + 'Cluster.fromAttributes(env, \'Cluster\', { clusterName, nodeSecurityGroupId }) or pass the cluster explicitly');
  }
  throw new PavedError(describe(scope), 'cluster',
    `environment "${env.name}" has ${found.length} clusters (${found.map(c => c.node.path).join(', ')}); pass the cluster to use explicitly`);
}

/**
 * An existing EKS cluster, referenced by name.
 * @internal
 */
export class ImportedCluster extends Construct implements ICluster {
  public readonly clusterName: string;
  public readonly clusterArn: string;
  public readonly nodeSecurityGroupId: string;
  public readonly networkPolicyEnforcement?: NetworkPolicyEnforcement;

  constructor(scope: Construct, id: string, attrs: ClusterAttributes) {
    super(scope, id);
    const env = Environment.containing(this);
    env._lookup.add(CLUSTERS, this);
    if (!Token.isUnresolved(attrs.clusterName) && !CLUSTER_NAME.test(attrs.clusterName ?? '')) {
      throw invalid(this, 'clusterName', attrs.clusterName,
        'an EKS cluster name: 1-100 letters, digits, hyphens and underscores, starting with a letter or digit');
    }
    if (!Token.isUnresolved(attrs.nodeSecurityGroupId) && !SECURITY_GROUP_ID.test(attrs.nodeSecurityGroupId ?? '')) {
      throw invalid(this, 'nodeSecurityGroupId', attrs.nodeSecurityGroupId,
        'a security group id: "sg-" followed by 8 or 17 lowercase hex digits');
    }
    if (attrs.clusterArn !== undefined && !Token.isUnresolved(attrs.clusterArn) && !CLUSTER_ARN.test(attrs.clusterArn)) {
      throw invalid(this, 'clusterArn', attrs.clusterArn, 'an EKS cluster ARN: "arn:<partition>:eks:<region>:<account>:cluster/<name>"');
    }
    this.networkPolicyEnforcement = this.validateEnforcement(env, attrs.networkPolicyEnforcement);
    this.clusterName = attrs.clusterName;
    this.nodeSecurityGroupId = attrs.nodeSecurityGroupId;
    this.clusterArn = attrs.clusterArn ?? `arn:${env.partition}:eks:${env.region}:${env.account}:cluster/${attrs.clusterName}`;
  }

  private validateEnforcement(env: Environment, enforcement: NetworkPolicyEnforcement | undefined): NetworkPolicyEnforcement | undefined {
    if (enforcement === undefined) { return undefined; }
    if (!enforcement.enforced && env.profile.isProduction) {
      throw invalid(this, 'networkPolicyEnforcement', enforcement.description,
        `a cluster that enforces NetworkPolicies in production profile ${JSON.stringify(env.profile.name)} `
        + '(without enforcement the tenants\' default-deny and the workloads\' policies do nothing)');
    }
    const platform = Platform.of(this);
    platform.recordDefault(this, 'networkPolicyEnforcement', enforcement.description, 'override');
    if (!enforcement.enforced) {
      platform.warn(this, `NetworkPolicies are not enforced on this cluster (${enforcement.description}): `
        + 'the tenants\' default-deny and the workloads\' policies are written but do nothing; any pod can reach any other');
    }
    return enforcement;
  }
}

/**
 * Fails unless `cluster` says how it enforces NetworkPolicies: paved writes
 * a default-deny policy for every tenant and one for every workload, which
 * a cluster without enforcement ignores.
 *
 * @param scope the construct placing pods on the cluster (a workload, a tenant)
 * @param property the property that chose the cluster
 * @internal
 */
export function requireNetworkPolicyEnforcement(scope: IConstruct | string, property: string, cluster: ICluster): void {
  if (cluster.networkPolicyEnforcement instanceof NetworkPolicyEnforcement) { return; }
  const path = cluster.node.path;
  throw invalid(scope, property, path,
    'a cluster that states how it enforces the NetworkPolicies paved writes (default-deny per tenant, one policy per workload): '
    + `${path} was imported without networkPolicyEnforcement; add networkPolicyEnforcement: NetworkPolicyEnforcement.vpcCni() `
    + '(its vpc-cni add-on runs with enableNetworkPolicy "true"), NetworkPolicyEnforcement.acknowledged(\'Calico\') (another enforcer) '
    + 'or NetworkPolicyEnforcement.notEnforced(\'<reason>\') (not in production) to Cluster.fromAttributes');
}
