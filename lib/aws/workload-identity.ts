import { EksPodIdentityAssociation } from '@cdktf/provider-aws/lib/eks-pod-identity-association';
import { IamRole } from '@cdktf/provider-aws/lib/iam-role';
import { IamRolePolicy } from '@cdktf/provider-aws/lib/iam-role-policy';
import { Construct } from 'constructs';
import { IGrantable, InlineGrants, isGrantable } from './grant';
import { ICluster } from './imported-cluster';
import { podIdentityTrustPolicy } from './pod-identity-trust';
import { PolicyStatement } from './policy-statement';
import { Environment } from '../core/environment';
import { invalid } from '../core/errors';
import { LookupKey } from '../core/lookup';
import { Naming } from '../core/naming';
import { validateDnsLabel } from '../core/validation';

/**
 * The AWS identity of a workload: an IAM role its pods run as. Resources
 * grant their permissions to it (`queue.grantSend(identity)`).
 */
export interface IWorkloadIdentity extends IGrantable {
  /** Name of the IAM role. */
  readonly roleName: string;
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
 * IAM role names paved gives in an environment (role names are unique per
 * account): a workload's role must not take another's name.
 * @internal
 */
export const IAM_ROLE_NAMES = new LookupKey<Construct>('iam-role-names');

/**
 * An IAM role for exactly one Kubernetes service account, through EKS Pod
 * Identity.
 *
 * Only the EKS Pod Identity service may assume the role (`sts:AssumeRole`
 * and `sts:TagSession`), acting for the environment's account, and only
 * for this service account of this namespace on the given cluster: the
 * trust checks the session tags Pod Identity sets (`eks-cluster-arn`,
 * `kubernetes-namespace`, `kubernetes-service-account`), so another
 * association on any cluster cannot hand the role to a different workload.
 * The role starts without permissions: every grant
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
   * Tells whether `x` can receive grants: an {@link IGrantable}
   * (a construct with `roleArn` and `addToPolicy`).
   */
  public static isWorkloadIdentity(x: any): boolean {
    return isGrantable(x) && typeof (x as any).roleName === 'string';
  }

  /** ARN of the IAM role. */
  public readonly roleArn: string;
  /** Name of the IAM role, known at synth time. */
  public readonly roleName: string;
  /** The cluster the association is on. */
  public readonly cluster: ICluster;
  /** Kubernetes namespace of the service account. */
  public readonly namespace: string;
  /** Name of the Kubernetes service account. */
  public readonly serviceAccount: string;
  /** The IAM role, for escape hatches. */
  public readonly role: IamRole;
  /** The EKS Pod Identity association, for escape hatches. */
  public readonly association: EksPodIdentityAssociation;

  private readonly grants: InlineGrants;

  constructor(scope: Construct, id: string, props: WorkloadIdentityProps) {
    super(scope, id);
    const env = Environment.containing(this);
    const cluster = props.cluster;
    if (cluster === null || typeof cluster !== 'object' || typeof cluster.clusterName !== 'string' || typeof cluster.clusterArn !== 'string') {
      throw invalid(this, 'cluster', cluster, 'an ICluster (Cluster.fromAttributes(...) or Cluster.of(env))');
    }
    validateDnsLabel(this, 'namespace', props.namespace);
    validateDnsLabel(this, 'serviceAccount', props.serviceAccount);
    this.cluster = cluster;
    this.namespace = props.namespace;
    this.serviceAccount = props.serviceAccount;
    this.roleName = Naming.workloadRole(env.name, props.namespace, props.serviceAccount);
    const taken = env._lookup.claim(IAM_ROLE_NAMES, this.roleName, this);
    if (taken) {
      throw invalid(this, 'serviceAccount', props.serviceAccount,
        `a service account whose role name ${JSON.stringify(this.roleName)} is not taken by ${taken.node.path} of the same environment`);
    }

    this.role = new IamRole(this, 'Resource', {
      name: this.roleName,
      description: `Pods of service account ${props.namespace}/${props.serviceAccount} on EKS cluster ${cluster.clusterName} (paved ${env.name})`,
      assumeRolePolicy: JSON.stringify(podIdentityTrustPolicy(env, [cluster.clusterArn], props.namespace, props.serviceAccount)),
    });
    this.roleArn = this.role.arn;
    this.grants = new InlineGrants(this, this.role, POLICY_NAME);

    this.association = new EksPodIdentityAssociation(this, 'PodIdentityAssociation', {
      clusterName: cluster.clusterName,
      namespace: props.namespace,
      serviceAccount: props.serviceAccount,
      roleArn: this.role.arn,
    });
  }

  /**
   * The inline policy that holds the grants, for escape hatches; undefined
   * until the first grant.
   */
  public get policy(): IamRolePolicy | undefined {
    return this.grants.policy;
  }

  /** The statements granted so far, in the order added. */
  public get statements(): PolicyStatement[] {
    return this.grants.all;
  }

  /**
   * Adds a permission to the role's inline policy. Adding a statement equal
   * to one already present does nothing; statement ids must be unique.
   */
  public addToPolicy(statement: PolicyStatement): void {
    this.grants.add(statement);
  }
}
