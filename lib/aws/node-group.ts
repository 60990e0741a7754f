import type { EksNodeGroup } from '@cdktf/provider-aws/lib/eks-node-group';
import type { LaunchTemplate } from '@cdktf/provider-aws/lib/launch-template';
import { TerraformResource, Token } from 'cdktf';
import { Construct } from 'constructs';
import type { Cluster } from './cluster';
import { checkedScope } from '../core/api-guard';
import { Environment } from '../core/environment';
import { invalid } from '../core/errors';
import { lazyModule } from '../core/lazy-module';
import { Naming } from '../core/naming';
import { Platform } from '../core/platform';
import { Size } from '../core/size';
import { validateInteger } from '../core/validation';

const eksNodeGroupLib = lazyModule<typeof import('@cdktf/provider-aws/lib/eks-node-group')>('@cdktf/provider-aws/lib/eks-node-group');
const launchTemplateLib = lazyModule<typeof import('@cdktf/provider-aws/lib/launch-template')>('@cdktf/provider-aws/lib/launch-template');

/** Node group values that can be changed without picking another size. */
export interface NodeGroupOptions {
  /**
   * EC2 instance types, most preferred first; all of one architecture
   * (x86_64, or arm64 for Graviton types such as `m7g.large`).
   * @default - the size's `nodeGroup.instanceTypes`
   */
  readonly instanceTypes?: string[];
  /**
   * Fewest nodes (0-1000).
   * @default - the size's `nodeGroup.minSize`
   */
  readonly minSize?: number;
  /**
   * Most nodes (1-1000); at least `minSize`.
   * @default - the size's `nodeGroup.maxSize`
   */
  readonly maxSize?: number;
  /**
   * Nodes at creation, between `minSize` and `maxSize`. Terraform ignores
   * later changes made by an autoscaler.
   * @default - the size's `nodeGroup.desiredSize`, moved into [minSize, maxSize] when those are overridden
   */
  readonly desiredSize?: number;
  /**
   * Size of each node's encrypted gp3 root volume, GiB (20-16384).
   * @default 50
   */
  readonly diskSizeGiB?: number;
}

/** Options of a node group added with {@link Cluster.addNodeGroup}. */
export interface AddNodeGroupOptions extends NodeGroupOptions {
  /**
   * Instance types and scaling bounds (`size.nodeGroup`).
   * @default Size.M — m6i.large or m5.large, 2 to 6 nodes, 3 at creation
   */
  readonly size?: Size;
  /**
   * Run on spot capacity. Only where the environment profile allows spot
   * (`spotAllowed`: DEV and STAGING); asking for spot in a profile that
   * forbids it fails.
   * @default - the environment profile's `spotAllowed` (DEV true, PROD false)
   */
  readonly spot?: boolean;
}

/** Properties of a {@link NodeGroup}. */
export interface NodeGroupProps extends AddNodeGroupOptions {
  /** The cluster the nodes join: a {@link Cluster} created by paved (an imported cluster has no node role to give them). */
  readonly cluster: Cluster;
}

/** The AMI family of a node group's instances. */
export enum NodeArchitecture {
  /** Intel and AMD instances: Amazon Linux 2023 for x86_64. */
  X86_64 = 'X86_64',
  /** AWS Graviton instances (`m7g`, `c6gn`, `t4g`, ...): Amazon Linux 2023 for arm64. */
  ARM_64 = 'ARM_64',
}

const CREATED_CLUSTER = Symbol.for('paved.Cluster.created');
const INSTANCE_TYPE = /^[a-z][a-z0-9-]*\.[a-z0-9]+$/;
/** Graviton families carry a `g` among the letters after the generation digit: m6g, c7gn, r6gd, x2gd, t4g. */
const GRAVITON = /^[a-z]+[0-9]+[a-z]*g[a-z]*\./;
const DEFAULT_DISK_SIZE_GIB = 50;
/** Amazon Linux 2023's root device. */
const ROOT_DEVICE = '/dev/xvda';
/** Room EKS leaves for its 26-character suffix in a node group name (63 at most). */
const NAME_PREFIX_LENGTH = 36;

/**
 * An EKS managed node group: EC2 instances in the cluster's private
 * subnets that join the cluster as Kubernetes nodes.
 *
 * Secure defaults:
 * - Amazon Linux 2023 nodes from a launch template that requires IMDSv2
 *   (session tokens) with a hop limit of 1, so pods cannot reach the
 *   instance's credentials through the metadata service (pods get AWS
 *   credentials from EKS Pod Identity instead);
 * - encrypted gp3 root volumes, with the cluster's customer managed KMS key;
 * - no public IP address and no SSH access: nodes sit in private subnets
 *   behind the cluster's node security group only;
 * - spot capacity only where the environment profile allows it.
 *
 * Instance types and scaling bounds come from the size. Replacing the group
 * (for instance after changing the instance types) creates the new group
 * before the old one is deleted.
 *
 * @example cluster.addNodeGroup('Batch', { size: Size.L, spot: true });
 */
export class NodeGroup extends Construct {
  /** Name of the node group, known after apply (EKS appends a suffix to the prefix). */
  public readonly nodeGroupName: string;
  /** ARN of the node group. */
  public readonly nodeGroupArn: string;
  /** The instance types, most preferred first. */
  public readonly instanceTypes: string[];
  /** Fewest nodes. */
  public readonly minSize: number;
  /** Most nodes. */
  public readonly maxSize: number;
  /** Nodes at creation. */
  public readonly desiredSize: number;
  /** Whether the nodes run on spot capacity (`SPOT`) rather than on-demand. */
  public readonly spot: boolean;
  /** The architecture of the instance types, which picks the AMI. */
  public readonly architecture: NodeArchitecture;
  /** @internal */
  public readonly _resource: EksNodeGroup;
  /** The node group (`aws_eks_node_group`), for escape hatches. */
  public get resource(): TerraformResource {
    return this._resource;
  }
  /** @internal */
  public readonly _launchTemplate: LaunchTemplate;
  /** The launch template of the nodes, for escape hatches. */
  public get launchTemplate(): TerraformResource {
    return this._launchTemplate;
  }

  constructor(scope: Construct, id: string, props: NodeGroupProps) {
    super(checkedScope(scope, 'NodeGroup', arguments), id);
    const env = Environment.containing(this);
    const platform = Platform.of(this);
    const profile = env.profile;
    const cluster = props.cluster;
    if (cluster === null || typeof cluster !== 'object' || (cluster as any)[CREATED_CLUSTER] !== true) {
      const given = cluster !== null && typeof cluster === 'object' && (cluster as any).node?.path !== undefined
        ? `construct ${(cluster as any).node.path}` : cluster;
      throw invalid(this, 'cluster', given, 'a Cluster created by paved (new Cluster(...)); imported clusters cannot host node groups');
    }
    if (Environment.containing(cluster) !== env) {
      throw invalid(this, 'cluster', `construct ${cluster.node.path}`, `a cluster of environment "${env.name}"`);
    }

    const size = props.size ?? Size.M;
    const sizeSource = `size ${size.name}`;
    const instanceTypes = props.instanceTypes ?? size.nodeGroup.instanceTypes;
    if (!Array.isArray(instanceTypes) || instanceTypes.length === 0
      || instanceTypes.some(t => typeof t !== 'string' || !INSTANCE_TYPE.test(t))) {
      throw invalid(this, 'instanceTypes', instanceTypes, 'one or more EC2 instance types such as "m6i.large"');
    }
    if (new Set(instanceTypes).size !== instanceTypes.length) {
      throw invalid(this, 'instanceTypes', instanceTypes, 'distinct EC2 instance types');
    }
    const arm = instanceTypes.filter(t => GRAVITON.test(t));
    if (arm.length > 0 && arm.length < instanceTypes.length) {
      throw invalid(this, 'instanceTypes', instanceTypes,
        'instance types of one architecture: all Graviton (arm64, such as "m7g.large") or none (x86_64), since one AMI serves the group');
    }
    const minSize = props.minSize ?? size.nodeGroup.minSize;
    const maxSize = props.maxSize ?? size.nodeGroup.maxSize;
    validateInteger(this, 'minSize', minSize, 0, 1000);
    validateInteger(this, 'maxSize', maxSize, 1, 1000);
    if (minSize > maxSize) {
      throw props.minSize === undefined
        ? invalid(this, 'maxSize', maxSize, `at least minSize (${minSize}, from size ${size.name})`)
        : invalid(this, 'minSize', minSize, `at most maxSize (${maxSize})`);
    }
    const desiredSize = props.desiredSize ?? Math.min(Math.max(size.nodeGroup.desiredSize, minSize), maxSize);
    validateInteger(this, 'desiredSize', desiredSize, minSize, maxSize);
    const diskSizeGiB = props.diskSizeGiB ?? DEFAULT_DISK_SIZE_GIB;
    validateInteger(this, 'diskSizeGiB', diskSizeGiB, 20, 16384);
    const spot = props.spot ?? profile.spotAllowed;
    if (spot && !profile.spotAllowed) {
      throw invalid(this, 'spot', spot,
        `false: profile ${profile.name} does not allow spot capacity (spotAllowed is false)`);
    }

    this.instanceTypes = [...instanceTypes];
    this.minSize = minSize;
    this.maxSize = maxSize;
    this.desiredSize = desiredSize;
    this.spot = spot;
    this.architecture = arm.length > 0 ? NodeArchitecture.ARM_64 : NodeArchitecture.X86_64;

    const source = (given: unknown, fallback: string) => given === undefined ? fallback : 'override';
    platform.recordDefault(this, 'size', size.name, props.size === undefined ? 'paved default' : 'override');
    platform.recordDefault(this, 'instanceTypes', this.instanceTypes.join(','), source(props.instanceTypes, sizeSource));
    platform.recordDefault(this, 'minSize', String(minSize), source(props.minSize, sizeSource));
    platform.recordDefault(this, 'maxSize', String(maxSize), source(props.maxSize, sizeSource));
    platform.recordDefault(this, 'desiredSize', String(desiredSize), source(props.desiredSize, sizeSource));
    platform.recordDefault(this, 'diskSizeGiB', String(diskSizeGiB), source(props.diskSizeGiB, 'paved default'));
    platform.recordDefault(this, 'spot', String(spot), source(props.spot, `profile ${profile.name}`));

    const relative = this.node.path.split('/').slice(cluster.node.path.split('/').length).map(s => s.toLowerCase());
    const baseName = `${cluster.name}-${relative.join('-')}`;
    const namePrefix = `${baseName.length <= NAME_PREFIX_LENGTH ? baseName : Naming.name([baseName], { maxLength: NAME_PREFIX_LENGTH })}-`;
    const tagName = { Name: baseName };

    this._launchTemplate = new launchTemplateLib.LaunchTemplate(this, 'LaunchTemplate', {
      namePrefix,
      description: `Nodes of EKS cluster ${cluster.name}, group ${relative.join('/')}`,
      updateDefaultVersion: true,
      metadataOptions: {
        httpEndpoint: 'enabled',
        httpTokens: 'required',
        // Pods take AWS credentials from EKS Pod Identity; one hop keeps them away from the node's role.
        httpPutResponseHopLimit: 1,
        instanceMetadataTags: 'disabled',
      },
      blockDeviceMappings: [{
        deviceName: ROOT_DEVICE,
        ebs: {
          volumeSize: diskSizeGiB,
          volumeType: 'gp3',
          encrypted: 'true',
          kmsKeyId: cluster._volumeKey.arn,
          deleteOnTermination: 'true',
        },
      }],
      // EKS managed node groups take the subnets from the group and allow one interface without one.
      networkInterfaces: [{
        deviceIndex: 0,
        associatePublicIpAddress: 'false',
        deleteOnTermination: 'true',
        securityGroups: [cluster.nodeSecurityGroupId],
      }],
      tagSpecifications: [
        { resourceType: 'instance', tags: tagName },
        { resourceType: 'volume', tags: tagName },
        { resourceType: 'network-interface', tags: tagName },
      ],
      tags: tagName,
    });

    this._resource = new eksNodeGroupLib.EksNodeGroup(this, 'Resource', {
      clusterName: cluster.clusterName,
      nodeGroupNamePrefix: namePrefix,
      nodeRoleArn: cluster._nodeRole.arn,
      subnetIds: cluster.subnetIds,
      version: cluster.version,
      amiType: this.architecture === NodeArchitecture.ARM_64 ? 'AL2023_ARM_64_STANDARD' : 'AL2023_x86_64_STANDARD',
      capacityType: spot ? 'SPOT' : 'ON_DEMAND',
      instanceTypes: this.instanceTypes,
      scalingConfig: { minSize, maxSize, desiredSize },
      updateConfig: { maxUnavailable: 1 },
      launchTemplate: { id: this._launchTemplate.id, version: Token.asString(this._launchTemplate.latestVersion) },
      tags: tagName,
      // Nodes need their role's policies and the networking add-ons to become Ready.
      dependsOn: cluster._nodeGroupDependencies(),
      lifecycle: {
        createBeforeDestroy: true,
        // Cluster autoscalers move the desired size; Terraform must not move it back.
        ignoreChanges: ['scaling_config[0].desired_size'],
      },
    });
    this.nodeGroupName = this._resource.nodeGroupName;
    this.nodeGroupArn = this._resource.arn;
  }
}
