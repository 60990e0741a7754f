import { EksPodIdentityAssociation } from '@cdktf/provider-aws/lib/eks-pod-identity-association';
import { IamRole } from '@cdktf/provider-aws/lib/iam-role';
import { IamRolePolicy } from '@cdktf/provider-aws/lib/iam-role-policy';
import { Lazy } from 'cdktf';
import { Construct, IConstruct } from 'constructs';
import { ICluster } from './cluster';
import { PolicyStatement, renderPolicyStatement, validatePolicyStatement } from './policy-statement';
import { Environment } from '../core/environment';
import { invalid } from '../core/errors';
import { Naming } from '../core/naming';
import { validateDnsLabel } from '../core/validation';

/**
 * The AWS identity of a workload: an IAM role its pods run as. Resources
 * grant their permissions to it (`queue.grantSend(identity)`).
 */
export interface IWorkloadIdentity extends IConstruct {
  /** ARN of the IAM role. */
  readonly roleArn: string;
  /** Name of the IAM role. */
  readonly roleName: string;

  /** Adds a permission to the role's policy. */
  addToPolicy(statement: PolicyStatement): void;
}

/** Properties of a {@link WorkloadIdentity}. */
export interface WorkloadIdentityProps {
  /** The EKS cluster the workload's pods run on. */
  readonly cluster: ICluster;
  /** Kubernetes namespace of the service account (a DNS label). */
  readonly namespace: string;
  /** Name of the Kubernetes service account the pods run as (a DNS label). */
  readonly serviceAccount: string;
}

/** Name of the inline policy that holds the grants. */
const POLICY_NAME = 'paved-grants';

/**
 * An IAM role for exactly one Kubernetes service account, through EKS Pod
 * Identity.
 *
 * Only the EKS Pod Identity service may assume the role (`sts:AssumeRole`
 * and `sts:TagSession`), and only for the given cluster of the environment's
 * account; the pod identity association binds it to one (namespace, service
 * account) pair. The role starts without permissions: every grant
 * (`key.grantEncryptDecrypt(identity)`, `database.grantConnect(identity, user)`, …)
 * adds a statement naming exact resources, and all statements are written
 * into one inline policy (created with the first grant).
 *
 * The role is named `<env>-<namespace>-<serviceAccount>` (shortened with a
 * hash beyond IAM's 64 characters).
 *
 * @example new WorkloadIdentity(env, 'OrdersIdentity', { cluster, namespace: 'shop', serviceAccount: 'orders' });
 */
export class WorkloadIdentity extends Construct implements IWorkloadIdentity {
  /**
   * Tells whether `x` can receive grants: an {@link IWorkloadIdentity}
   * (a construct with `roleArn`, `roleName` and `addToPolicy`).
   */
  public static isWorkloadIdentity(x: any): boolean {
    return x !== null && typeof x === 'object'
      && typeof x.node === 'object' && x.node !== null
      && typeof x.roleArn === 'string'
      && typeof x.roleName === 'string'
      && typeof x.addToPolicy === 'function';
  }

  /** ARN of the IAM role. */
  public readonly roleArn: string;
  /** Name of the IAM role, known at synth time. */
  public readonly roleName: string;
  /** The cluster of the first association (the one given in the props). */
  public readonly cluster: ICluster;
  /** Kubernetes namespace of the service account. */
  public readonly namespace: string;
  /** Name of the Kubernetes service account. */
  public readonly serviceAccount: string;
  /** The IAM role, for escape hatches. */
  public readonly role: IamRole;
  /** The EKS Pod Identity association on `cluster`, for escape hatches. */
  public readonly association: EksPodIdentityAssociation;

  private readonly grants: PolicyStatement[] = [];
  private readonly clusterArns: string[] = [];
  private readonly clusterAssociations: EksPodIdentityAssociation[] = [];
  private readonly extraClusters: ICluster[] = [];
  private inlinePolicy?: IamRolePolicy;

  constructor(scope: Construct, id: string, props: WorkloadIdentityProps) {
    super(scope, id);
    const env = Environment.containing(this);
    const cluster = props.cluster;
    validateCluster(this, 'cluster', cluster);
    validateDnsLabel(this, 'namespace', props.namespace);
    validateDnsLabel(this, 'serviceAccount', props.serviceAccount);
    this.cluster = cluster;
    this.namespace = props.namespace;
    this.serviceAccount = props.serviceAccount;
    this.roleName = Naming.name([env.name, props.namespace, props.serviceAccount], Naming.IAM_ROLE);

    this.role = new IamRole(this, 'Resource', {
      name: this.roleName,
      description: Lazy.stringValue({
        produce: () => `Pods of service account ${props.namespace}/${props.serviceAccount} on EKS cluster `
          + `${this.clusters.map(c => c.clusterName).join(', ')} (paved ${env.name})`,
      }),
      assumeRolePolicy: Lazy.stringValue({
        produce: () => JSON.stringify({
          Version: '2012-10-17',
          Statement: [{
            Sid: 'EksPodIdentity',
            Effect: 'Allow',
            Principal: { Service: 'pods.eks.amazonaws.com' },
            Action: ['sts:AssumeRole', 'sts:TagSession'],
            // Confused-deputy guard: only the Pod Identity agent acting for this cluster. The session
            // tags EKS sets pin the role to this namespace and service account, so another
            // association on the cluster cannot hand the role to a different workload.
            Condition: {
              StringEquals: {
                'aws:SourceAccount': env.account,
                'aws:RequestTag/kubernetes-namespace': props.namespace,
                'aws:RequestTag/kubernetes-service-account': props.serviceAccount,
              },
              ArnLike: { 'aws:SourceArn': this.clusterArns.length === 1 ? this.clusterArns[0] : [...this.clusterArns] },
            },
          }],
        }),
      }),
    });
    this.roleArn = this.role.arn;
    this.association = this.addCluster(cluster);
  }

  /**
   * The clusters the workload's pods run on, each with an association; the
   * role trusts exactly these clusters.
   */
  public get clusters(): ICluster[] {
    return [this.cluster, ...this.extraClusters];
  }

  /** The EKS Pod Identity associations, one per cluster, in the order of {@link clusters}. */
  public get associations(): EksPodIdentityAssociation[] {
    return [...this.clusterAssociations];
  }

  /**
   * Lets the same (namespace, service account) assume the role on one more
   * cluster of the environment, for a workload that runs on several: adds
   * an association there and the cluster to the role's trust. Adding a
   * cluster already associated returns its association.
   */
  public addCluster(cluster: ICluster): EksPodIdentityAssociation {
    validateCluster(this, 'cluster', cluster);
    const index = this.clusterArns.indexOf(cluster.clusterArn);
    if (index >= 0) { return this.clusterAssociations[index]; }
    if (this.clusterAssociations.length > 0) { this.extraClusters.push(cluster); }
    // The first association keeps the id it always had, so existing addresses stay.
    const id = this.clusterAssociations.length === 0 ? 'PodIdentityAssociation' : `PodIdentityAssociation${Naming.hash(cluster.clusterArn)}`;
    const association = new EksPodIdentityAssociation(this, id, {
      clusterName: cluster.clusterName,
      namespace: this.namespace,
      serviceAccount: this.serviceAccount,
      roleArn: this.role.arn,
    });
    this.clusterArns.push(cluster.clusterArn);
    this.clusterAssociations.push(association);
    return association;
  }

  /**
   * The inline policy that holds the grants, for escape hatches; undefined
   * until the first grant.
   */
  public get policy(): IamRolePolicy | undefined {
    return this.inlinePolicy;
  }

  /** The statements granted so far, in the order added. */
  public get statements(): PolicyStatement[] {
    return [...this.grants];
  }

  /**
   * Adds a permission to the role's inline policy. Adding a statement equal
   * to one already present does nothing; statement ids must be unique.
   */
  public addToPolicy(statement: PolicyStatement): void {
    validatePolicyStatement(this, 'statement', statement);
    const rendered = JSON.stringify(renderPolicyStatement(statement));
    if (this.grants.some(g => JSON.stringify(renderPolicyStatement(g)) === rendered)) { return; }
    if (statement.sid !== undefined && this.grants.some(g => g.sid === statement.sid)) {
      throw invalid(this, 'statement.sid', statement.sid, 'a statement id not used by another statement of this identity');
    }
    this.grants.push({
      actions: [...statement.actions],
      resources: [...statement.resources],
      conditions: statement.conditions?.map(c => ({ ...c, values: [...c.values] })),
      sid: statement.sid,
    });
    if (!this.inlinePolicy) {
      this.inlinePolicy = new IamRolePolicy(this, 'DefaultPolicy', {
        role: this.role.name,
        name: POLICY_NAME,
        policy: Lazy.stringValue({ produce: () => this.renderPolicy() }),
      });
    }
  }

  private renderPolicy(): string {
    return JSON.stringify({ Version: '2012-10-17', Statement: this.grants.map(renderPolicyStatement) });
  }
}

/**
 * Fails unless `identity` can receive grants (see {@link WorkloadIdentity.isWorkloadIdentity}).
 * @internal
 */
export function validateGrantTarget(scope: IConstruct, identity: IWorkloadIdentity): void {
  if (!WorkloadIdentity.isWorkloadIdentity(identity)) {
    const given = identity !== null && typeof identity === 'object' && (identity as any).node?.path !== undefined
      ? `construct ${(identity as any).node.path}` : identity;
    throw invalid(scope, 'identity', given, 'a workload identity (an IWorkloadIdentity such as WorkloadIdentity) to grant to');
  }
  // A grant across environments would tie two stacks (and two accounts' blast radii) together.
  const ours = Environment.containing(scope);
  const theirs = Environment.containing(identity);
  if (ours !== theirs) {
    throw invalid(scope, 'identity', `construct ${identity.node.path}`, `a workload identity of environment "${ours.name}", not of "${theirs.name}"`);
  }
}

function validateCluster(scope: IConstruct, property: string, cluster: ICluster): void {
  if (cluster === null || typeof cluster !== 'object' || typeof cluster.clusterName !== 'string' || typeof cluster.clusterArn !== 'string') {
    throw invalid(scope, property, cluster, 'an ICluster (Cluster.fromAttributes(...) or Cluster.of(env))');
  }
}
