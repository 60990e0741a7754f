import type { EksPodIdentityAssociation } from '@cdktf/provider-aws/lib/eks-pod-identity-association';
import type { IamRole } from '@cdktf/provider-aws/lib/iam-role';
import { Lazy, TerraformResource } from 'cdktf';
import { Construct, IConstruct } from 'constructs';
import { IGrantable, InlineGrants, isGrantable } from './grant';
import { ICluster } from './imported-cluster';
import { podIdentityTrustPolicy } from './pod-identity-trust';
import { PolicyStatement } from './policy-statement';
import { checkArguments, checkedScope } from '../core/api-guard';
import { Environment } from '../core/environment';
import { invalid } from '../core/errors';
import { lazyModule } from '../core/lazy-module';
import { LookupKey } from '../core/lookup';
import { Naming } from '../core/naming';
import { validateDnsLabel } from '../core/validation';

const eksPodIdentityAssociationLib = lazyModule<typeof import('@cdktf/provider-aws/lib/eks-pod-identity-association')>('@cdktf/provider-aws/lib/eks-pod-identity-association');
const iamRoleLib = lazyModule<typeof import('@cdktf/provider-aws/lib/iam-role')>('@cdktf/provider-aws/lib/iam-role');

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
  /** The EKS cluster the workload's pods run on (more with {@link WorkloadIdentity.addCluster}). */
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
 * Identity, on one cluster or several of the environment (`addCluster`).
 *
 * Only the EKS Pod Identity service may assume the role (`sts:AssumeRole`
 * and `sts:TagSession`), acting for the environment's account, and only
 * for this service account of this namespace on the given clusters: the
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
    checkArguments('WorkloadIdentity.isWorkloadIdentity', arguments);
    return isGrantable(x) && typeof (x as any).roleName === 'string';
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
  /** @internal */
  public readonly _role: IamRole;
  /** The IAM role, for escape hatches. */
  public get role(): TerraformResource {
    return this._role;
  }
  /** @internal */
  public readonly _association: EksPodIdentityAssociation;
  /** The EKS Pod Identity association on `cluster`, for escape hatches. */
  public get association(): TerraformResource {
    return this._association;
  }

  private readonly grants: InlineGrants;
  private readonly clusterAssociations: { cluster: ICluster; association: EksPodIdentityAssociation }[] = [];

  constructor(scope: Construct, id: string, props: WorkloadIdentityProps) {
    super(checkedScope(scope, 'WorkloadIdentity', arguments), id);
    const env = Environment.containing(this);
    const cluster = props.cluster;
    validateCluster(this, 'cluster', cluster);
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

    this._role = new iamRoleLib.IamRole(this, 'Resource', {
      name: this.roleName,
      // Computed at synth: addCluster may add clusters to the trust after construction.
      description: Lazy.stringValue({
        produce: () => `Pods of service account ${props.namespace}/${props.serviceAccount} on EKS cluster `
          + `${this.clusters.map(c => c.clusterName).join(', ')} (paved ${env.name})`,
      }),
      assumeRolePolicy: Lazy.stringValue({
        produce: () => JSON.stringify(podIdentityTrustPolicy(env, this.clusters.map(c => c.clusterArn), props.namespace, props.serviceAccount)),
      }),
    });
    this.roleArn = this._role.arn;
    this.grants = new InlineGrants(this, this._role, POLICY_NAME);
    this._association = this.associate(cluster);
  }

  /**
   * The clusters the workload's pods run on, each with an association; the
   * role trusts exactly these clusters.
   */
  public get clusters(): ICluster[] {
    return this.clusterAssociations.map(a => a.cluster);
  }

  /** The EKS Pod Identity associations, one per cluster, in the order of {@link clusters}. */
  public get associations(): TerraformResource[] {
    return this.clusterAssociations.map(a => a.association);
  }

  /**
   * Lets the same (namespace, service account) assume the role on one more
   * cluster of the environment, for a workload that runs on several: adds
   * an association there and the cluster to the role's trust. Adding a
   * cluster already associated returns its association.
   */
  public addCluster(cluster: ICluster): TerraformResource {
    return this.associate(cluster);
  }

  /** {@link addCluster}, typed with the provider's class for paved's own use. */
  private associate(cluster: ICluster): EksPodIdentityAssociation {
    validateCluster(this, 'cluster', cluster);
    const known = this.clusterAssociations.find(a => a.cluster.clusterArn === cluster.clusterArn);
    if (known) { return known.association; }
    // The first association keeps the id it always had, so existing addresses stay.
    const id = this.clusterAssociations.length === 0 ? 'PodIdentityAssociation' : `PodIdentityAssociation${Naming.hash(cluster.clusterArn)}`;
    const association = new eksPodIdentityAssociationLib.EksPodIdentityAssociation(this, id, {
      clusterName: cluster.clusterName,
      namespace: this.namespace,
      serviceAccount: this.serviceAccount,
      roleArn: this._role.arn,
    });
    const entry = { cluster, association };
    this.clusterAssociations.push(entry);
    // A declaration rolled back (a Score workload) that added a cluster to an identity it did not make takes it away again.
    Environment.containing(this)._lookup.onRollback(() => {
      this.clusterAssociations.splice(this.clusterAssociations.indexOf(entry), 1);
      this.node.tryRemoveChild(id);
    });
    return association;
  }

  /**
   * The inline policy that holds the grants, for escape hatches; undefined
   * until the first grant.
   */
  public get policy(): TerraformResource | undefined {
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

function validateCluster(scope: IConstruct, property: string, cluster: ICluster): void {
  if (cluster === null || typeof cluster !== 'object' || typeof cluster.clusterName !== 'string' || typeof cluster.clusterArn !== 'string') {
    throw invalid(scope, property, cluster, 'an ICluster (Cluster.fromAttributes(...) or Cluster.of(env))');
  }
}
