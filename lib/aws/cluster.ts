import type { CloudwatchLogGroup } from '@cdktf/provider-aws/lib/cloudwatch-log-group';
import type { EksAccessEntry } from '@cdktf/provider-aws/lib/eks-access-entry';
import type { EksAddon } from '@cdktf/provider-aws/lib/eks-addon';
import type { EksCluster } from '@cdktf/provider-aws/lib/eks-cluster';
import type { IamRole } from '@cdktf/provider-aws/lib/iam-role';
import type { IamRolePolicyAttachment } from '@cdktf/provider-aws/lib/iam-role-policy-attachment';
import type { KmsKey } from '@cdktf/provider-aws/lib/kms-key';
import type { SecurityGroup } from '@cdktf/provider-aws/lib/security-group';
import type { VpcSecurityGroupEgressRule } from '@cdktf/provider-aws/lib/vpc-security-group-egress-rule';
import { ITerraformDependable, TerraformResource, Token } from 'cdktf';
import { Construct, IConstruct } from 'constructs';
import { PRIVATE_RANGES, hasHostBits, overlaps, parseCidr } from './cidr';
import { ClusterAddonVersions, DEFAULT_KUBERNETES_VERSION, PINNED_ADDONS, addonVersionsFor } from './cluster-addons';
import { IGrantable, InlineGrants } from './grant';
import { CLUSTERS, CLUSTER_NAME, ClusterAttributes, ICluster, ImportedCluster, theClusterOf } from './imported-cluster';
import { Key } from './key';
import { accountAdminStatement } from './key-policy';
import { INetwork, Network } from './network';
import { NetworkPolicyEnforcement } from './network-policy-enforcement';
import { NodeEgress, RenderedEgressRule } from './node-egress';
import { AddNodeGroupOptions, NodeGroup, NodeGroupOptions } from './node-group';
import { CREATED_CLUSTER_ARNS, externalSecretsOperatorRole, kedaOperatorRole } from './operator-roles';
import { podIdentityTrustPolicy } from './pod-identity-trust';
import { PolicyStatement } from './policy-statement';
import { IAM_ROLE_NAMES } from './workload-identity';
import { checkArguments, checkedScope } from '../core/api-guard';
import { Environment, pathBelowStack, requireFoundation } from '../core/environment';
import { invalid } from '../core/errors';
import { lazyModule } from '../core/lazy-module';
import { LookupKey } from '../core/lookup';
import { Naming } from '../core/naming';
import { Platform } from '../core/platform';
import { LOG_RETENTION_DAYS } from '../core/profile';
import { Size } from '../core/size';
import { validateOneOf } from '../core/validation';

const cloudwatchLogGroupLib = lazyModule<typeof import('@cdktf/provider-aws/lib/cloudwatch-log-group')>('@cdktf/provider-aws/lib/cloudwatch-log-group');
const eksAccessEntryLib = lazyModule<typeof import('@cdktf/provider-aws/lib/eks-access-entry')>('@cdktf/provider-aws/lib/eks-access-entry');
const eksAccessPolicyAssociationLib = lazyModule<typeof import('@cdktf/provider-aws/lib/eks-access-policy-association')>('@cdktf/provider-aws/lib/eks-access-policy-association');
const eksAddonLib = lazyModule<typeof import('@cdktf/provider-aws/lib/eks-addon')>('@cdktf/provider-aws/lib/eks-addon');
const eksClusterLib = lazyModule<typeof import('@cdktf/provider-aws/lib/eks-cluster')>('@cdktf/provider-aws/lib/eks-cluster');
const eksPodIdentityAssociationLib = lazyModule<typeof import('@cdktf/provider-aws/lib/eks-pod-identity-association')>('@cdktf/provider-aws/lib/eks-pod-identity-association');
const iamRoleLib = lazyModule<typeof import('@cdktf/provider-aws/lib/iam-role')>('@cdktf/provider-aws/lib/iam-role');
const iamRolePolicyLib = lazyModule<typeof import('@cdktf/provider-aws/lib/iam-role-policy')>('@cdktf/provider-aws/lib/iam-role-policy');
const iamRolePolicyAttachmentLib = lazyModule<typeof import('@cdktf/provider-aws/lib/iam-role-policy-attachment')>('@cdktf/provider-aws/lib/iam-role-policy-attachment');
const kmsAliasLib = lazyModule<typeof import('@cdktf/provider-aws/lib/kms-alias')>('@cdktf/provider-aws/lib/kms-alias');
const kmsKeyLib = lazyModule<typeof import('@cdktf/provider-aws/lib/kms-key')>('@cdktf/provider-aws/lib/kms-key');
const securityGroupLib = lazyModule<typeof import('@cdktf/provider-aws/lib/security-group')>('@cdktf/provider-aws/lib/security-group');
const vpcSecurityGroupEgressRuleLib = lazyModule<typeof import('@cdktf/provider-aws/lib/vpc-security-group-egress-rule')>('@cdktf/provider-aws/lib/vpc-security-group-egress-rule');
const vpcSecurityGroupIngressRuleLib = lazyModule<typeof import('@cdktf/provider-aws/lib/vpc-security-group-ingress-rule')>('@cdktf/provider-aws/lib/vpc-security-group-ingress-rule');

/** Properties of a {@link Cluster}. */
export interface ClusterProps {
  /**
   * The network whose private subnets hold the control plane's network
   * interfaces and the nodes (at least two, in different availability zones).
   * @default - the environment's network (`Network.of(env)`)
   */
  readonly network?: INetwork;
  /**
   * The EKS cluster name: 1-100 letters, digits, hyphens and underscores,
   * starting with a letter or digit. Changing it replaces the cluster.
   * @default - `<env>-<construct path below the environment>`, lowercased (`prod-main`)
   */
  readonly clusterName?: string;
  /**
   * Kubernetes minor version, one of {@link Cluster.KUBERNETES_VERSIONS}.
   * As of 2026-11, 1.34 and 1.35 are in EKS standard support and 1.32
   * and 1.33 in extended support (charged extra per cluster hour).
   * @default '1.35'
   */
  readonly version?: string;
  /**
   * Open the Kubernetes API endpoint to the internet, for the CIDR blocks
   * in `publicEndpointCidrs` only. The private endpoint stays on either way.
   * @default false - the API is reachable from inside the VPC only
   */
  readonly publicEndpoint?: boolean;
  /**
   * Public IPv4 ranges allowed to reach the public endpoint (1-40 CIDR
   * blocks of prefix /8 to /32, none inside private ranges, never
   * `0.0.0.0/0`). Required with `publicEndpoint`, refused without it.
   * @default - none
   */
  readonly publicEndpointCidrs?: string[];
  /**
   * IAM roles that administer the cluster (`arn:<partition>:iam::<account>:role/<name>`):
   * each gets an access entry with `AmazonEKSClusterAdminPolicy` on the
   * whole cluster. Whoever runs Terraform gets no Kubernetes access of its
   * own, so list the roles of your operators and pipelines here.
   * @default [] - nobody can use the Kubernetes API until access entries are added
   */
  readonly adminRoleArns?: string[];
  /**
   * Instance types and scaling bounds of the default node group (`size.nodeGroup`).
   * @default Size.M — m6i.large or m5.large, 2 to 6 nodes, 3 at creation
   */
  readonly size?: Size;
  /**
   * Run the default node group on spot capacity. Only where the
   * environment profile allows spot; asking for spot in a profile that
   * forbids it fails.
   * @default - the environment profile's `spotAllowed` (DEV true, PROD false)
   */
  readonly spot?: boolean;
  /**
   * Overrides of the default node group's size values.
   * @default - the values of `size`
   */
  readonly nodeGroup?: NodeGroupOptions;
  /**
   * Days the control plane logs are kept; one of the values CloudWatch Logs
   * accepts, and at least 365 in a production environment.
   * @default - the environment profile's `logRetentionDays` (365)
   */
  readonly logRetentionDays?: number;
  /**
   * Versions of the add-ons, for the ones to move ahead of paved's pins.
   * @default - the versions paved pins for the cluster's Kubernetes version
   */
  readonly addonVersions?: ClusterAddonVersions;
  /**
   * Turn on EKS deletion protection: the API refuses to delete the cluster.
   * @default - the environment profile's `deletionProtection` (DEV false, STAGING and PROD true)
   */
  readonly deletionProtection?: boolean;
  /**
   * Set Terraform's `lifecycle.prevent_destroy` on the cluster and its
   * secrets encryption key (secrets encrypted with a deleted key are lost).
   * @default - the environment profile's `preventDestroy` (DEV and STAGING false, PROD true)
   */
  readonly preventDestroy?: boolean;
  /**
   * What the nodes' security group (which the pods share) lets out.
   * `NodeEgress.restricted()` allows the VPC and HTTPS to anywhere only,
   * plus the destinations it lists; the report shows the choice either way.
   * @default NodeEgress.unrestricted() — every protocol to 0.0.0.0/0, as EKS's own node security group
   */
  readonly nodeEgress?: NodeEgress;
}

/** Set on clusters paved created (they have a node role and keys node groups can use). */
const CREATED_CLUSTER = Symbol.for('paved.Cluster.created');
const ROLE_PATH_AND_NAME = /^\/?([\x21-\x7E]+\/)*[\w+=,.@-]{1,64}$/;
/** The five control plane log types; all of them, so an incident can always be reconstructed. */
const LOG_TYPES = ['api', 'audit', 'authenticator', 'controllerManager', 'scheduler'];
/** Control plane logs a production environment must keep, days. */
const PRODUCTION_MIN_LOG_RETENTION_DAYS = 365;
const MAX_PUBLIC_CIDRS = 40;
const MIN_PUBLIC_PREFIX = 8;
/**
 * The VPC CNI's configuration (its add-on configuration schema, `aws eks
 * describe-addon-configuration --addon-name vpc-cni`): the network policy
 * agent on, so NetworkPolicies are enforced. Standard mode: a new pod's
 * traffic flows until the agent has applied its policies (a second or
 * two); strict mode would start every pod denied, including CoreDNS and
 * the addons, which no paved NetworkPolicy selects.
 */
const VPC_CNI_CONFIGURATION = {
  enableNetworkPolicy: 'true',
  env: { NETWORK_POLICY_ENFORCING_MODE: 'standard' },
};
/** What enforces the NetworkPolicies of every cluster paved creates (VPC_CNI_CONFIGURATION turns it on). */
const VPC_CNI_ENFORCEMENT = NetworkPolicyEnforcement.vpcCni();
/** Cluster names taken in an environment. */
const CLUSTER_NAMES = new LookupKey<IConstruct>('cluster-names');

/**
 * An EKS cluster with a managed node group, the add-ons every workload
 * needs, and the identities paved's other constructs expect.
 *
 * Secure defaults:
 * - the Kubernetes API is private: reachable only from inside the VPC
 *   unless `publicEndpoint` is set, and then only from the CIDR blocks listed
 *   (never `0.0.0.0/0`);
 * - Kubernetes Secrets are envelope-encrypted with a customer managed KMS key
 *   of the cluster's own;
 * - all five control plane log types go to the log group
 *   `/aws/eks/<name>/cluster`, encrypted with a customer managed KMS key and
 *   kept for the profile's `logRetentionDays` (at least a year in production);
 * - access through EKS access entries only (authentication mode `API`, no
 *   `aws-auth` ConfigMap): the roles in `adminRoleArns` and nobody else,
 *   not even whoever runs Terraform;
 * - nodes from a launch template that requires IMDSv2 with a hop limit of 1,
 *   with KMS-encrypted gp3 root volumes and no public IP (see {@link NodeGroup});
 * - pods get AWS credentials through EKS Pod Identity only: the VPC CNI and
 *   the EBS CSI driver have roles of their own, so the node role holds no
 *   networking or storage permissions;
 * - security groups of its own for the control plane and the nodes, every
 *   rule described: the API (443) from nodes; node to node; kubelet (10250)
 *   and webhooks (443) from the control plane; egress from nodes;
 * - add-ons (VPC CNI, CoreDNS, kube-proxy, Pod Identity Agent, EBS CSI
 *   driver) installed at pinned versions;
 * - NetworkPolicies enforced: the VPC CNI runs its network policy agent
 *   (`enableNetworkPolicy: "true"`, `NETWORK_POLICY_ENFORCING_MODE`
 *   `standard`), so the default-deny of every tenant namespace and each
 *   workload's policy hold;
 * - from the profile: spot nodes where allowed, deletion protection and
 *   `prevent_destroy` (PROD).
 *
 * The cluster also creates, once per environment, the IAM role
 * `paved-<env>-external-secrets` of the External Secrets Operator (service
 * account `external-secrets/external-secrets`), which may only assume the
 * tenants' secret roles `<env>-*-secrets`.
 *
 * @example new Cluster(env, 'Main', { adminRoleArns: ['arn:aws:iam::123456789012:role/platform-admin'] });
 */
export class Cluster extends Construct implements ICluster {
  /** The Kubernetes versions a cluster can run: EKS still supports them and paved has pinned add-ons for them. */
  public static readonly KUBERNETES_VERSIONS: string[] = [...PINNED_ADDONS.keys()];

  /**
   * The one cluster in `scope`'s environment (created or imported anywhere
   * inside it). Fails when the environment has no cluster or more than one.
   */
  public static of(scope: IConstruct): ICluster {
    checkArguments('Cluster.of', arguments);
    return theClusterOf(scope);
  }

  /**
   * Every cluster in `scope`'s environment, created or imported anywhere
   * inside it, in the order they were declared.
   */
  public static allOf(scope: IConstruct): ICluster[] {
    checkArguments('Cluster.allOf', arguments);
    return [...Environment.containing(scope)._lookup.list(CLUSTERS)];
  }

  /**
   * An existing EKS cluster, by name. Nothing is created; the attributes are
   * checked for format only (the plan fails if the cluster does not exist).
   */
  public static fromAttributes(scope: Construct, id: string, attrs: ClusterAttributes): ICluster {
    checkArguments('Cluster.fromAttributes', arguments);
    return new ImportedCluster(scope, id, attrs);
  }

  /**
   * The cluster name as a reference to the cluster resource: Terraform
   * creates whatever uses it (pod identity associations, node groups) after
   * the cluster. Use {@link name} where a literal is needed.
   */
  public readonly clusterName: string;
  /** The cluster name, known at synth time (for Kubernetes manifests and names). */
  public readonly name: string;
  /** The cluster ARN, known at synth time. */
  public readonly clusterArn: string;
  /** Id of the nodes' (and pods') security group (a reference resolved at apply time). */
  public readonly nodeSecurityGroupId: string;
  /** Id of the security group paved adds to the control plane's network interfaces. */
  public readonly clusterSecurityGroupId: string;
  /** The Kubernetes minor version, e.g. `1.35`. */
  public readonly version: string;
  /** The private subnets the control plane and the nodes use. */
  public readonly subnetIds: string[];
  /** The network the cluster runs in. */
  public readonly network: INetwork;
  /** @internal */
  public readonly _resource: EksCluster;
  /** The EKS cluster (`aws_eks_cluster`), for escape hatches. */
  public get resource(): TerraformResource {
    return this._resource;
  }
  /** @internal */
  public readonly _clusterRole: IamRole;
  /** The role the EKS control plane acts as. */
  public get clusterRole(): TerraformResource {
    return this._clusterRole;
  }
  /** @internal */
  public readonly _nodeRole: IamRole;
  /** The role the nodes' instances act as (node group, ECR pull; no networking or storage permissions). */
  public get nodeRole(): TerraformResource {
    return this._nodeRole;
  }
  /**
   * The nodes' role as a grantee, e.g. `repository.grantPull(cluster.nodeIdentity)`;
   * permissions granted to it go into an inline policy `paved-grants` of the node role.
   */
  public readonly nodeIdentity: IGrantable;
  /** @internal */
  public readonly _nodeSecurityGroup: SecurityGroup;
  /** The nodes' security group, for escape hatches. */
  public get nodeSecurityGroup(): TerraformResource {
    return this._nodeSecurityGroup;
  }
  /** @internal */
  public readonly _clusterSecurityGroup: SecurityGroup;
  /** The control plane's additional security group, for escape hatches. */
  public get clusterSecurityGroup(): TerraformResource {
    return this._clusterSecurityGroup;
  }
  /** The key that envelope-encrypts Kubernetes Secrets. */
  public readonly secretsKey: Key;
  /** The key of the control plane log group. */
  public readonly logKey: Key;
  /** @internal */
  public readonly _volumeKey: KmsKey;
  /** The key of the nodes' root volumes. */
  public get volumeKey(): TerraformResource {
    return this._volumeKey;
  }
  /** @internal */
  public readonly _logGroup: CloudwatchLogGroup;
  /** The control plane log group, `/aws/eks/<name>/cluster`. */
  public get logGroup(): TerraformResource {
    return this._logGroup;
  }
  /** The node group created with the cluster (`Nodes`). */
  public readonly defaultNodeGroup: NodeGroup;
  /** @internal */
  public readonly _addons: { [name: string]: EksAddon };
  /** The add-ons, by EKS add-on name (`vpc-cni`, `coredns`, `kube-proxy`, `eks-pod-identity-agent`, `aws-ebs-csi-driver`). */
  public get addons(): { [name: string]: TerraformResource } {
    return this._addons;
  }
  /** @internal */
  public readonly _vpcCniRole: IamRole;
  /** The role of the VPC CNI (`kube-system/aws-node`), with `AmazonEKS_CNI_Policy`. */
  public get vpcCniRole(): TerraformResource {
    return this._vpcCniRole;
  }
  /** @internal */
  public readonly _ebsCsiDriverRole: IamRole;
  /** The role of the EBS CSI driver's controller (`kube-system/ebs-csi-controller-sa`), with `AmazonEBSCSIDriverPolicy`. */
  public get ebsCsiDriverRole(): TerraformResource {
    return this._ebsCsiDriverRole;
  }
  /** @internal */
  public readonly _externalSecretsRole: IamRole;
  /** The External Secrets Operator's role, `paved-<env>-external-secrets`, shared by the clusters of the environment. */
  public get externalSecretsRole(): TerraformResource {
    return this._externalSecretsRole;
  }
  /** @internal */
  public readonly _kedaRole: IamRole;
  /**
   * KEDA's role, `paved-<env>-keda` (service account `keda/keda-operator`),
   * shared by the clusters of the environment: reads the attributes (depth,
   * age) of the environment's SQS queues and nothing else, so Workers scale
   * on their queue.
   */
  public get kedaRole(): TerraformResource {
    return this._kedaRole;
  }
  /** @internal */
  public readonly _adminAccessEntries: EksAccessEntry[] = [];
  /** The access entries of `adminRoleArns`, in the order given. */
  public get adminAccessEntries(): TerraformResource[] {
    return this._adminAccessEntries;
  }
  /**
   * What enforces NetworkPolicies: always the VPC CNI's network policy agent,
   * which the cluster turns on. (Optional only as `ICluster` declares it: an
   * imported cluster's may be unstated.)
   */
  public readonly networkPolicyEnforcement?: NetworkPolicyEnforcement = VPC_CNI_ENFORCEMENT;
  /** @internal */
  public readonly _nodeEgressRules: { [id: string]: VpcSecurityGroupEgressRule } = {};
  /** The egress rules of the nodes' security group, by construct id (`NodeEgress` when unrestricted). */
  public get nodeEgressRules(): { [id: string]: TerraformResource } {
    return this._nodeEgressRules;
  }

  private readonly beforeNodes: ITerraformDependable[] = [];

  constructor(scope: Construct, id: string, props: ClusterProps = {}) {
    super(checkedScope(scope, 'Cluster', arguments), id);
    const env = Environment.containing(this);
    requireFoundation(this, 'a cluster');
    env._lookup.add(CLUSTERS, this);
    const profile = env.profile;
    const platform = Platform.of(this);
    const relative = pathBelowStack(this).map(s => s.toLowerCase());

    const network = this.validateNetwork(props.network ?? Network.of(this));
    const name = props.clusterName ?? Naming.name([env.name, ...relative], { maxLength: 100 });
    if (typeof name !== 'string' || !CLUSTER_NAME.test(name)) {
      throw invalid(this, 'clusterName', name,
        'an EKS cluster name: 1-100 letters, digits, hyphens and underscores, starting with a letter or digit');
    }
    const taken = env._lookup.claim(CLUSTER_NAMES, name, this);
    if (taken) {
      throw invalid(this, 'clusterName', name, `a name not used by cluster ${taken.node.path} of the same environment`);
    }
    const version = props.version ?? DEFAULT_KUBERNETES_VERSION;
    if (typeof version !== 'string' || !PINNED_ADDONS.has(version)) {
      throw invalid(this, 'version', version,
        `one of ${[...PINNED_ADDONS.keys()].map(v => JSON.stringify(v)).join(', ')} (versions EKS supports that paved has pinned add-ons for)`);
    }
    const publicEndpoint = props.publicEndpoint ?? false;
    const publicCidrs = this.validatePublicEndpoint(publicEndpoint, props.publicEndpointCidrs);
    const adminRoleArns = this.validateAdminRoleArns(env, props.adminRoleArns ?? []);
    const logRetentionDays = props.logRetentionDays ?? profile.logRetentionDays;
    validateOneOf(this, 'logRetentionDays', logRetentionDays, LOG_RETENTION_DAYS);
    if (profile.isProduction && logRetentionDays < PRODUCTION_MIN_LOG_RETENTION_DAYS) {
      throw invalid(this, 'logRetentionDays', logRetentionDays,
        `at least ${PRODUCTION_MIN_LOG_RETENTION_DAYS} in a production environment (profile ${profile.name}${props.logRetentionDays === undefined ? ' sets it' : ''})`);
    }
    const addonVersions = addonVersionsFor(this, version, props.addonVersions ?? {});
    const deletionProtection = props.deletionProtection ?? profile.deletionProtection;
    const preventDestroy = props.preventDestroy ?? profile.preventDestroy;
    const nodeEgress = props.nodeEgress ?? NodeEgress.unrestricted();
    const nodeEgressRules = nodeEgress._rules(this, 'nodeEgress', network.vpcCidr);
    if (preventDestroy && !deletionProtection) {
      throw invalid(this, 'deletionProtection', deletionProtection,
        'true when preventDestroy is true (a cluster Terraform may not destroy should not be deletable by the API either)');
    }
    Object.defineProperty(this, CREATED_CLUSTER, { value: true });

    const profileSource = (given: unknown) => given === undefined ? `profile ${profile.name}` : 'override';
    const pavedSource = (given: unknown) => given === undefined ? 'paved default' : 'override';
    platform.recordDefault(this, 'clusterName', name, pavedSource(props.clusterName));
    platform.recordDefault(this, 'version', version, pavedSource(props.version));
    platform.recordDefault(this, 'publicEndpoint', String(publicEndpoint), pavedSource(props.publicEndpoint));
    platform.recordDefault(this, 'logRetentionDays', String(logRetentionDays), profileSource(props.logRetentionDays));
    platform.recordDefault(this, 'deletionProtection', String(deletionProtection), profileSource(props.deletionProtection));
    platform.recordDefault(this, 'preventDestroy', String(preventDestroy), profileSource(props.preventDestroy));
    platform.recordDefault(this, 'networkPolicyEnforcement', `${VPC_CNI_ENFORCEMENT.description}, standard mode`, 'paved default');
    platform.recordDefault(this, 'nodeEgress', nodeEgress._describe(network.vpcCidr), pavedSource(props.nodeEgress));
    for (const [addon, value] of Object.entries(addonVersions)) {
      platform.recordDefault(this, `addonVersions.${addon}`, value,
        (props.addonVersions as any)?.[addon] === undefined ? `paved pin for Kubernetes ${version}` : 'override');
    }

    this.name = name;
    this.version = version;
    this.subnetIds = network.privateSubnetIds;
    this.network = network;
    this.clusterArn = `arn:${env.partition}:eks:${env.region}:${env.account}:cluster/${name}`;
    env._lookup.add(CREATED_CLUSTER_ARNS, this.clusterArn);
    const logGroupName = `/aws/eks/${name}/cluster`;
    const logGroupArn = `arn:${env.partition}:logs:${env.region}:${env.account}:log-group:${logGroupName}`;
    const tags = (suffix: string) => ({ Name: `${name}-${suffix}` });

    this.secretsKey = new Key(this, 'SecretsKey', {
      description: `Envelope-encrypts the Kubernetes Secrets of EKS cluster ${name}`,
      alias: `eks/${name}/secrets`,
      preventDestroy: props.preventDestroy,
    });
    this.logKey = new Key(this, 'LogKey', {
      description: `Encrypts the control plane logs of EKS cluster ${name}`,
      alias: `eks/${name}/logs`,
      servicePrincipals: [{
        service: `logs.${env.region}.${env.partition === 'aws-cn' ? 'amazonaws.com.cn' : 'amazonaws.com'}`,
        actions: ['kms:Encrypt*', 'kms:Decrypt*', 'kms:ReEncrypt*', 'kms:GenerateDataKey*', 'kms:Describe*'],
        conditions: [{ test: 'ArnEquals', variable: 'kms:EncryptionContext:aws:logs:arn', values: [logGroupArn] }],
      }],
      preventDestroy: props.preventDestroy,
    });
    this._volumeKey = new kmsKeyLib.KmsKey(this, 'VolumeKey', {
      description: `Encrypts the root volumes of the nodes of EKS cluster ${name}`,
      enableKeyRotation: true,
      deletionWindowInDays: 30,
      policy: JSON.stringify({
        Version: '2012-10-17',
        Statement: [
          accountAdminStatement(env),
          {
            // Auto Scaling launches the nodes with its service-linked role, which no IAM policy of
            // ours can extend: the same statement as the AWS managed key aws/ebs, through EC2 only.
            Sid: 'UseThroughEc2InThisAccount',
            Effect: 'Allow',
            Principal: { AWS: '*' },
            Action: ['kms:Encrypt', 'kms:Decrypt', 'kms:ReEncrypt*', 'kms:GenerateDataKey*', 'kms:CreateGrant', 'kms:DescribeKey'],
            Resource: '*',
            Condition: {
              StringEquals: {
                'kms:CallerAccount': env.account,
                'kms:ViaService': `ec2.${env.region}.amazonaws.com`,
              },
            },
          },
        ],
      }),
      tags: tags('volumes'),
    });
    new kmsAliasLib.KmsAlias(this, 'VolumeKeyAlias', {
      name: Naming.keyAlias(env.name, `eks/${name}/volumes`),
      targetKeyId: this._volumeKey.keyId,
    });

    this._logGroup = new cloudwatchLogGroupLib.CloudwatchLogGroup(this, 'LogGroup', {
      name: logGroupName,
      retentionInDays: logRetentionDays,
      kmsKeyId: this.logKey.keyArn,
      tags: tags('control-plane'),
    });

    this._clusterRole = new iamRoleLib.IamRole(this, 'ClusterRole', {
      name: this.claimRoleName(env, 'cluster'),
      description: `Control plane of EKS cluster ${name}`,
      assumeRolePolicy: JSON.stringify({
        Version: '2012-10-17',
        Statement: [{
          Effect: 'Allow',
          Principal: { Service: 'eks.amazonaws.com' },
          Action: ['sts:AssumeRole', 'sts:TagSession'],
        }],
      }),
    });
    const clusterPolicy = this.attachManagedPolicy(this._clusterRole, 'ClusterRolePolicy', env, 'AmazonEKSClusterPolicy');
    const secretsKeyPolicy = new iamRolePolicyLib.IamRolePolicy(this, 'ClusterRoleSecretsKeyPolicy', {
      role: this._clusterRole.name,
      name: 'encrypt-secrets',
      policy: JSON.stringify({
        Version: '2012-10-17',
        Statement: [{
          Sid: 'EnvelopeEncryptSecrets',
          Effect: 'Allow',
          Action: ['kms:Encrypt', 'kms:Decrypt', 'kms:ListGrants', 'kms:DescribeKey'],
          Resource: this.secretsKey.keyArn,
        }],
      }),
    });

    this._clusterSecurityGroup = new securityGroupLib.SecurityGroup(this, 'ClusterSecurityGroup', {
      name: `eks-${name}-control-plane`,
      description: `EKS cluster ${name}: control plane network interfaces`,
      vpcId: network.vpcId,
      tags: tags('control-plane'),
    });
    this.clusterSecurityGroupId = this._clusterSecurityGroup.id;
    this._nodeSecurityGroup = new securityGroupLib.SecurityGroup(this, 'NodeSecurityGroup', {
      name: `eks-${name}-nodes`,
      description: `EKS cluster ${name}: nodes and pods`,
      vpcId: network.vpcId,
      // The AWS Load Balancer Controller opens target ports in the one group tagged for the cluster.
      tags: { ...tags('nodes'), [`kubernetes.io/cluster/${name}`]: 'owned' },
    });
    this.nodeSecurityGroupId = this._nodeSecurityGroup.id;
    this.addSecurityGroupRules(nodeEgressRules);

    this._resource = new eksClusterLib.EksCluster(this, 'Resource', {
      name,
      version,
      roleArn: this._clusterRole.arn,
      vpcConfig: {
        subnetIds: network.privateSubnetIds,
        securityGroupIds: [this._clusterSecurityGroup.id],
        endpointPrivateAccess: true,
        endpointPublicAccess: publicEndpoint,
        publicAccessCidrs: publicEndpoint ? publicCidrs : undefined,
      },
      accessConfig: {
        authenticationMode: 'API',
        bootstrapClusterCreatorAdminPermissions: false,
      },
      encryptionConfig: {
        resources: ['secrets'],
        provider: { keyArn: this.secretsKey.keyArn },
      },
      enabledClusterLogTypes: LOG_TYPES,
      // paved installs the networking add-ons itself, at pinned versions.
      bootstrapSelfManagedAddons: false,
      deletionProtection,
      tags: tags('cluster'),
      // EKS would create the log group itself, unencrypted and kept forever, if it came second.
      dependsOn: [this._logGroup, clusterPolicy, secretsKeyPolicy],
      lifecycle: preventDestroy ? { preventDestroy: true } : undefined,
    });
    this.clusterName = this._resource.name;

    adminRoleArns.forEach((arn, i) => this.addAdminAccess(env, arn, i));

    this._nodeRole = new iamRoleLib.IamRole(this, 'NodeRole', {
      name: this.claimRoleName(env, 'nodes'),
      description: `Nodes of EKS cluster ${name}`,
      assumeRolePolicy: JSON.stringify({
        Version: '2012-10-17',
        Statement: [{
          Effect: 'Allow',
          Principal: { Service: 'ec2.amazonaws.com' },
          Action: 'sts:AssumeRole',
        }],
      }),
    });
    this.nodeIdentity = new RoleGrantee(this, 'NodeRoleGrants', this._nodeRole);
    this.beforeNodes.push(
      this.attachManagedPolicy(this._nodeRole, 'NodeRoleWorkerPolicy', env, 'AmazonEKSWorkerNodePolicy'),
      this.attachManagedPolicy(this._nodeRole, 'NodeRoleRegistryPolicy', env, 'AmazonEC2ContainerRegistryPullOnly'),
    );

    this._vpcCniRole = this.podIdentityRole('VpcCniRole', env, 'vpc-cni', 'kube-system', 'aws-node', 'AmazonEKS_CNI_Policy');
    this._ebsCsiDriverRole = this.podIdentityRole('EbsCsiDriverRole', env, 'ebs-csi', 'kube-system', 'ebs-csi-controller-sa',
      'service-role/AmazonEBSCSIDriverPolicy');

    // Nodes need pod networking, kube-proxy and credentials for the CNI before they turn Ready.
    const vpcCni = this.addon('VpcCni', 'vpc-cni', addonVersions.vpcCni, [], { role: this._vpcCniRole, serviceAccount: 'aws-node' },
      VPC_CNI_CONFIGURATION);
    const kubeProxy = this.addon('KubeProxy', 'kube-proxy', addonVersions.kubeProxy, []);
    const podIdentityAgent = this.addon('PodIdentityAgent', 'eks-pod-identity-agent', addonVersions.podIdentityAgent, []);
    this.beforeNodes.push(vpcCni, kubeProxy, podIdentityAgent);

    this.defaultNodeGroup = new NodeGroup(this, 'Nodes', {
      ...props.nodeGroup,
      cluster: this,
      size: props.size,
      spot: props.spot,
    });

    // Deployments stay degraded (and Terraform waits for them) until nodes exist.
    const coreDns = this.addon('CoreDns', 'coredns', addonVersions.coreDns, [this.defaultNodeGroup._resource]);
    const ebsCsiDriver = this.addon('EbsCsiDriver', 'aws-ebs-csi-driver', addonVersions.ebsCsiDriver, [this.defaultNodeGroup._resource],
      { role: this._ebsCsiDriverRole, serviceAccount: 'ebs-csi-controller-sa' });
    this._addons = {
      'vpc-cni': vpcCni,
      'kube-proxy': kubeProxy,
      'eks-pod-identity-agent': podIdentityAgent,
      'coredns': coreDns,
      'aws-ebs-csi-driver': ebsCsiDriver,
    };

    this._externalSecretsRole = externalSecretsOperatorRole(env);
    new eksPodIdentityAssociationLib.EksPodIdentityAssociation(this, 'ExternalSecretsPodIdentity', {
      clusterName: this.clusterName,
      namespace: Naming.EXTERNAL_SECRETS_NAMESPACE,
      serviceAccount: Naming.EXTERNAL_SECRETS_SERVICE_ACCOUNT,
      roleArn: this._externalSecretsRole.arn,
    });
    this._kedaRole = kedaOperatorRole(env);
    new eksPodIdentityAssociationLib.EksPodIdentityAssociation(this, 'KedaPodIdentity', {
      clusterName: this.clusterName,
      namespace: Naming.KEDA_NAMESPACE,
      serviceAccount: Naming.KEDA_SERVICE_ACCOUNT,
      roleArn: this._kedaRole.arn,
    });
  }

  /**
   * Adds a managed node group (in the cluster's private subnets, with the
   * cluster's node role, security group and volume key).
   *
   * @param id construct id of the group below the cluster; part of its name
   * @param options size, spot and overrides of the size's values
   */
  public addNodeGroup(id: string, options: AddNodeGroupOptions = {}): NodeGroup {
    return new NodeGroup(this, id, { ...options, cluster: this });
  }

  /**
   * What a node group waits for: its role's policies and the add-ons nodes
   * need to turn Ready.
   * @internal
   */
  public _nodeGroupDependencies(): ITerraformDependable[] {
    return [...this.beforeNodes];
  }

  private addSecurityGroupRules(egress: RenderedEgressRule[]): void {
    const rule = (id: string, groupId: string, props: { from?: string; port?: number; description: string }) =>
      new vpcSecurityGroupIngressRuleLib.VpcSecurityGroupIngressRule(this, id, {
        securityGroupId: groupId,
        referencedSecurityGroupId: props.from,
        ipProtocol: props.port === undefined ? '-1' : 'tcp',
        fromPort: props.port,
        toPort: props.port,
        description: props.description,
      });
    const nodes = this._nodeSecurityGroup.id;
    const controlPlane = this._clusterSecurityGroup.id;
    rule('ControlPlaneIngressFromNodes', controlPlane, { from: nodes, port: 443, description: 'Kubernetes API (HTTPS) from nodes and pods' });
    rule('NodeIngressFromNodes', nodes, { from: nodes, description: 'All traffic between nodes and between pods' });
    rule('NodeIngressKubeletFromControlPlane', nodes, { from: controlPlane, port: 10250, description: 'Kubelet API from the control plane' });
    rule('NodeIngressHttpsFromControlPlane', nodes, {
      from: controlPlane,
      port: 443,
      description: 'Admission webhooks and extension API servers (HTTPS) from the control plane',
    });
    for (const out of egress) {
      this._nodeEgressRules[out.id] = new vpcSecurityGroupEgressRuleLib.VpcSecurityGroupEgressRule(this, out.id, {
        securityGroupId: nodes,
        cidrIpv4: out.cidr,
        ipProtocol: out.protocol,
        fromPort: out.fromPort,
        toPort: out.toPort,
        description: out.description,
      });
    }
  }

  /** The name of the cluster's role for `purpose`, claimed among the environment's IAM role names. */
  private claimRoleName(env: Environment, purpose: string): string {
    const name = Naming.clusterRole(this.name, purpose);
    const taken = env._lookup.claim(IAM_ROLE_NAMES, name, this);
    if (taken) {
      throw invalid(this, 'clusterName', this.name, `a cluster name whose role name ${JSON.stringify(name)} is not taken by ${taken.node.path} of the same environment`);
    }
    return name;
  }

  private attachManagedPolicy(role: IamRole, id: string, env: Environment, policy: string): IamRolePolicyAttachment {
    return new iamRolePolicyAttachmentLib.IamRolePolicyAttachment(this, id, {
      role: role.name,
      policyArn: `arn:${env.partition}:iam::aws:policy/${policy}`,
    });
  }

  /** A role for one service account of an add-on, assumable only through EKS Pod Identity on this cluster. */
  private podIdentityRole(id: string, env: Environment, suffix: string, namespace: string, serviceAccount: string,
    managedPolicy: string): IamRole {
    const role = new iamRoleLib.IamRole(this, id, {
      name: this.claimRoleName(env, suffix),
      description: `Pods of service account ${namespace}/${serviceAccount} on EKS cluster ${this.name}`,
      assumeRolePolicy: JSON.stringify(podIdentityTrustPolicy(env, [this.clusterArn], namespace, serviceAccount)),
    });
    this.attachManagedPolicy(role, `${id}Policy`, env, managedPolicy);
    return role;
  }

  private addon(id: string, addonName: string, addonVersion: string, dependsOn: ITerraformDependable[],
    podIdentity?: { role: IamRole; serviceAccount: string }, configuration?: object): EksAddon {
    return new eksAddonLib.EksAddon(this, id, {
      clusterName: this.clusterName,
      addonName,
      addonVersion,
      configurationValues: configuration ? JSON.stringify(configuration) : undefined,
      // The add-ons belong to paved: changes made in the cluster are overwritten.
      resolveConflictsOnCreate: 'OVERWRITE',
      resolveConflictsOnUpdate: 'OVERWRITE',
      podIdentityAssociation: podIdentity
        ? [{ roleArn: podIdentity.role.arn, serviceAccount: podIdentity.serviceAccount }]
        : undefined,
      dependsOn: dependsOn.length > 0 ? dependsOn : undefined,
    });
  }

  private addAdminAccess(env: Environment, principalArn: string, index: number): void {
    // Keyed by the role, so removing one admin leaves the others' entries in place.
    const id = Token.isUnresolved(principalArn) ? `AdminAccessRef${index + 1}` : `AdminAccess${Naming.hash(principalArn)}`;
    const entry = new eksAccessEntryLib.EksAccessEntry(this, id, {
      clusterName: this.clusterName,
      principalArn,
      type: 'STANDARD',
    });
    new eksAccessPolicyAssociationLib.EksAccessPolicyAssociation(this, `${id}Policy`, {
      clusterName: this.clusterName,
      principalArn: entry.principalArn,
      policyArn: `arn:${env.partition}:eks::aws:cluster-access-policy/AmazonEKSClusterAdminPolicy`,
      accessScope: { type: 'cluster' },
    });
    this._adminAccessEntries.push(entry);
  }

  private validateNetwork(network: INetwork): INetwork {
    if (network === null || typeof network !== 'object' || typeof network.vpcId !== 'string' || !Array.isArray(network.privateSubnetIds)) {
      throw invalid(this, 'network', network === null || typeof network !== 'object' ? network : network.node?.path,
        'an INetwork (new Network(...), Network.fromAttributes(...) or Network.of(env))');
    }
    if (!Token.isUnresolved(network.privateSubnetIds) && network.privateSubnetIds.length < 2) {
      throw invalid(this, 'network', network.node.path,
        `a network with at least 2 private subnets in different availability zones (EKS needs two); it has ${network.privateSubnetIds.length}`);
    }
    return network;
  }

  private validatePublicEndpoint(publicEndpoint: boolean, cidrs: string[] | undefined): string[] {
    if (!publicEndpoint) {
      if (cidrs !== undefined && (!Array.isArray(cidrs) || cidrs.length > 0)) {
        throw invalid(this, 'publicEndpointCidrs', cidrs, 'no CIDR blocks while publicEndpoint is false (set publicEndpoint: true to open the endpoint to them)');
      }
      return [];
    }
    const allowed = `1-${MAX_PUBLIC_CIDRS} public IPv4 CIDR blocks (a public endpoint needs an explicit allow-list)`;
    if (!Array.isArray(cidrs) || cidrs.length === 0 || cidrs.length > MAX_PUBLIC_CIDRS) {
      throw invalid(this, 'publicEndpointCidrs', cidrs, allowed);
    }
    for (const text of cidrs) {
      if (Token.isUnresolved(text)) { continue; }
      const cidr = parseCidr(text);
      if (!cidr || hasHostBits(cidr)) {
        throw invalid(this, 'publicEndpointCidrs', text, 'an IPv4 CIDR block written as its first address, such as "203.0.113.0/24"');
      }
      if (cidr.prefix < MIN_PUBLIC_PREFIX) {
        throw invalid(this, 'publicEndpointCidrs', text,
          `a block of prefix /${MIN_PUBLIC_PREFIX} to /32, never 0.0.0.0/0 (the API must not be open to the whole internet)`);
      }
      if (PRIVATE_RANGES.some(range => overlaps(range, cidr))) {
        throw invalid(this, 'publicEndpointCidrs', text,
          'a public range (private addresses never reach the public endpoint; the private endpoint serves the VPC)');
      }
    }
    return [...cidrs];
  }

  private validateAdminRoleArns(env: Environment, arns: string[]): string[] {
    if (!Array.isArray(arns)) {
      throw invalid(this, 'adminRoleArns', arns, 'a list of IAM role ARNs');
    }
    const prefix = `arn:${env.partition}:iam::`;
    for (const arn of arns) {
      if (Token.isUnresolved(arn)) { continue; }
      const match = typeof arn === 'string' && arn.startsWith(prefix) ? /^(\d{12}):role(\/.*)$/.exec(arn.slice(prefix.length)) : null;
      if (!match || !ROLE_PATH_AND_NAME.test(match[2])) {
        throw invalid(this, 'adminRoleArns', arn, `an IAM role ARN of partition ${env.partition}: "${prefix}<12-digit account>:role/<name>"`);
      }
    }
    if (new Set(arns).size !== arns.length) {
      throw invalid(this, 'adminRoleArns', arns, 'distinct IAM role ARNs');
    }
    return [...arns];
  }
}

/** `<cluster>-<suffix>`, or a shortened name ending in a hash when that exceeds IAM's 64 characters. */

/**
 * An IAM role paved created, as a grantee: grants go into one inline policy
 * `paved-grants` of the role, created with the first grant.
 */
class RoleGrantee extends Construct implements IGrantable {
  public readonly roleArn: string;
  private readonly grants: InlineGrants;

  constructor(scope: Construct, id: string, role: IamRole) {
    super(scope, id);
    this.roleArn = role.arn;
    this.grants = new InlineGrants(this, role, 'paved-grants');
  }

  public addToPolicy(statement: PolicyStatement): void {
    this.grants.add(statement);
  }
}
