import { Token } from 'cdktf';
import { Construct, IConstruct } from 'constructs';
import { Environment } from '../core/environment';
import { PavedError, describe, invalid } from '../core/errors';
import { LookupKey } from '../core/lookup';

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
    this.clusterName = attrs.clusterName;
    this.nodeSecurityGroupId = attrs.nodeSecurityGroupId;
    this.clusterArn = attrs.clusterArn ?? `arn:${env.partition}:eks:${env.region}:${env.account}:cluster/${attrs.clusterName}`;
  }
}
