import type { CloudwatchLogGroup } from '@cdktf/provider-aws/lib/cloudwatch-log-group';
import type { CloudwatchMetricAlarm } from '@cdktf/provider-aws/lib/cloudwatch-metric-alarm';
import type { DataAwsAvailabilityZones } from '@cdktf/provider-aws/lib/data-aws-availability-zones';
import type { DefaultSecurityGroup } from '@cdktf/provider-aws/lib/default-security-group';
import type { FlowLog } from '@cdktf/provider-aws/lib/flow-log';
import type { IamRole } from '@cdktf/provider-aws/lib/iam-role';
import type { InternetGateway } from '@cdktf/provider-aws/lib/internet-gateway';
import type { KmsKey } from '@cdktf/provider-aws/lib/kms-key';
import type { NatGateway } from '@cdktf/provider-aws/lib/nat-gateway';
import type { RouteTable } from '@cdktf/provider-aws/lib/route-table';
import type { Subnet } from '@cdktf/provider-aws/lib/subnet';
import type { Vpc } from '@cdktf/provider-aws/lib/vpc';
import type { VpcEndpoint } from '@cdktf/provider-aws/lib/vpc-endpoint';
import { TerraformDataSource, TerraformResource, Token } from 'cdktf';
import { Construct, IConstruct } from 'constructs';
import { Ipv4Cidr, formatCidr, hasHostBits, isPrivate, overlaps, parseCidr, subdivide } from './cidr';
import { AlarmDefinition, AlarmOptions, createAlarms, natGatewayAlarmDefinitions } from './cloudwatch-alarms';
import { accountAdminStatement } from './key-policy';
import { checkArguments, checkedScope } from '../core/api-guard';
import { Environment, pathBelowStack, requireFoundation } from '../core/environment';
import { PavedError, describe, invalid } from '../core/errors';
import { lazyModule } from '../core/lazy-module';
import { LookupKey } from '../core/lookup';
import { Naming } from '../core/naming';
import { Platform } from '../core/platform';
import { LOG_RETENTION_DAYS, NatStrategy } from '../core/profile';
import { validateInteger, validateOneOf } from '../core/validation';

const cloudwatchLogGroupLib = lazyModule<typeof import('@cdktf/provider-aws/lib/cloudwatch-log-group')>('@cdktf/provider-aws/lib/cloudwatch-log-group');
const dataAwsAvailabilityZonesLib = lazyModule<typeof import('@cdktf/provider-aws/lib/data-aws-availability-zones')>('@cdktf/provider-aws/lib/data-aws-availability-zones');
const defaultSecurityGroupLib = lazyModule<typeof import('@cdktf/provider-aws/lib/default-security-group')>('@cdktf/provider-aws/lib/default-security-group');
const eipLib = lazyModule<typeof import('@cdktf/provider-aws/lib/eip')>('@cdktf/provider-aws/lib/eip');
const flowLogLib = lazyModule<typeof import('@cdktf/provider-aws/lib/flow-log')>('@cdktf/provider-aws/lib/flow-log');
const iamRoleLib = lazyModule<typeof import('@cdktf/provider-aws/lib/iam-role')>('@cdktf/provider-aws/lib/iam-role');
const iamRolePolicyLib = lazyModule<typeof import('@cdktf/provider-aws/lib/iam-role-policy')>('@cdktf/provider-aws/lib/iam-role-policy');
const internetGatewayLib = lazyModule<typeof import('@cdktf/provider-aws/lib/internet-gateway')>('@cdktf/provider-aws/lib/internet-gateway');
const kmsAliasLib = lazyModule<typeof import('@cdktf/provider-aws/lib/kms-alias')>('@cdktf/provider-aws/lib/kms-alias');
const kmsKeyLib = lazyModule<typeof import('@cdktf/provider-aws/lib/kms-key')>('@cdktf/provider-aws/lib/kms-key');
const natGatewayLib = lazyModule<typeof import('@cdktf/provider-aws/lib/nat-gateway')>('@cdktf/provider-aws/lib/nat-gateway');
const routeLib = lazyModule<typeof import('@cdktf/provider-aws/lib/route')>('@cdktf/provider-aws/lib/route');
const routeTableLib = lazyModule<typeof import('@cdktf/provider-aws/lib/route-table')>('@cdktf/provider-aws/lib/route-table');
const routeTableAssociationLib = lazyModule<typeof import('@cdktf/provider-aws/lib/route-table-association')>('@cdktf/provider-aws/lib/route-table-association');
const subnetLib = lazyModule<typeof import('@cdktf/provider-aws/lib/subnet')>('@cdktf/provider-aws/lib/subnet');
const vpcLib = lazyModule<typeof import('@cdktf/provider-aws/lib/vpc')>('@cdktf/provider-aws/lib/vpc');
const vpcEndpointLib = lazyModule<typeof import('@cdktf/provider-aws/lib/vpc-endpoint')>('@cdktf/provider-aws/lib/vpc-endpoint');

/**
 * A VPC that paved constructs can be placed in: one created by
 * {@link Network} or an existing one imported with {@link Network.fromAttributes}.
 */
export interface INetwork extends IConstruct {
  /** The VPC id (`vpc-...`). */
  readonly vpcId: string;
  /** The VPC's IPv4 CIDR block, e.g. `10.20.0.0/16`. */
  readonly vpcCidr: string;
  /** Availability zone names, one per AZ the network spans, in subnet order. */
  readonly availabilityZones: string[];
  /** Subnets with a route to an internet gateway: for internet-facing load balancers and NAT gateways only. */
  readonly publicSubnetIds: string[];
  /** Subnets whose egress goes through NAT (when there is any): where nodes and pods run. */
  readonly privateSubnetIds: string[];
  /** Subnets without any route to the internet: where databases and caches go. */
  readonly isolatedSubnetIds: string[];
}

/** Properties of a {@link Network}. */
export interface NetworkProps {
  /**
   * The VPC's IPv4 range: a private (RFC 1918) range, prefix /16 to /24,
   * written as its first address (`10.20.0.0/16`, not `10.20.1.0/16`). It must
   * not overlap any other network of the platform, so environments can be
   * peered later. Subnet ranges are carved from it at synth time.
   */
  readonly cidr: string;
  /**
   * Number of availability zones to span (2-6); each gets one public, one
   * private and one isolated subnet.
   * @default - the length of `availabilityZoneNames` when given, else the
   * environment profile's `availabilityZones` (DEV 2, PROD 3)
   */
  readonly availabilityZones?: number;
  /**
   * The availability zones to use, in subnet order, e.g.
   * `['ap-northeast-1a', 'ap-northeast-1c', 'ap-northeast-1d']`. Needed in
   * regions where the first letters are not all zones of your account
   * (`aws ec2 describe-availability-zones` lists them); the plan fails with a
   * message naming this property when a zone does not exist.
   * @default - the region's first zones by letter: `<region>a`, `<region>b`, ... (as many as `availabilityZones`)
   */
  readonly availabilityZoneNames?: string[];
  /**
   * NAT gateways for the private subnets' egress.
   * @default - the environment profile's `natStrategy` (DEV SINGLE, PROD ONE_PER_AZ)
   */
  readonly natStrategy?: NatStrategy;
  /**
   * Record all VPC traffic in flow logs (a KMS-encrypted CloudWatch log group).
   * Turning them off leaves no record of who talked to what; scanners such as
   * checkov (CKV2_AWS_11) flag it.
   * @default true
   */
  readonly flowLogs?: boolean;
  /**
   * Days the flow logs are kept; one of the values CloudWatch Logs accepts.
   * @default - the environment profile's `logRetentionDays` (365)
   */
  readonly logRetentionDays?: number;
  /**
   * CloudWatch alarms per NAT gateway on port allocation errors and
   * dropped packets, and the SNS topic they notify.
   * @default - every alarm, notifying the platform's topic of the environment (`AlarmTopic.forPlatform(env)`)
   */
  readonly alarms?: AlarmOptions;
}

/** Attributes of an existing VPC, for {@link Network.fromAttributes}. */
export interface NetworkAttributes {
  /** The VPC id, `vpc-` followed by 8 or 17 hex digits. */
  readonly vpcId: string;
  /** The VPC's primary IPv4 CIDR block, e.g. `10.30.0.0/16`. */
  readonly vpcCidr: string;
  /** Names of the availability zones the subnets are in, e.g. `['eu-central-1a', 'eu-central-1b']`. */
  readonly availabilityZones: string[];
  /**
   * Subnets routed to an internet gateway (`subnet-...`).
   * @default [] - the network has no public subnets
   */
  readonly publicSubnetIds?: string[];
  /** Subnets with egress through NAT, where nodes and pods run (`subnet-...`); at least one. */
  readonly privateSubnetIds: string[];
  /** Subnets without internet access, where databases and caches go (`subnet-...`); at least one. */
  readonly isolatedSubnetIds: string[];
}

/** The networks of an environment, for `Network.of`. */
const NETWORKS = new LookupKey<INetwork>('networks');
/** The networks paved creates, platform-wide: their ranges must not overlap. */
const CREATED_NETWORKS = new LookupKey<Network>('created-networks');
const VPC_ID = /^vpc-([0-9a-f]{8}|[0-9a-f]{17})$/;
const SUBNET_ID = /^subnet-([0-9a-f]{8}|[0-9a-f]{17})$/;
const MIN_PREFIX = 16;
const MAX_PREFIX = 24;
/** AWS's smallest subnet. */
const SMALLEST_SUBNET = 28;
/** Every AZ's traffic leaves through this route. */
const ANYWHERE = '0.0.0.0/0';

/**
 * A VPC laid out for a platform: public, private and isolated subnets in
 * each availability zone, NAT for the private subnets, flow logs and an S3
 * gateway endpoint.
 *
 * Secure defaults:
 * - the VPC's default security group has no rules, so nothing placed in it
 *   by mistake can talk to anything;
 * - no subnet assigns public IPs on launch, public ones included (NAT
 *   gateways bring their own Elastic IPs, load balancers their own addresses);
 * - isolated subnets have no route to or from the internet;
 * - all traffic is recorded in VPC flow logs, in a CloudWatch log group
 *   encrypted with a customer managed KMS key (rotation on) and kept for the
 *   profile's `logRetentionDays`;
 * - S3 traffic from private and isolated subnets stays on the AWS network
 *   through a gateway endpoint (which also saves NAT charges).
 *
 * Subnet layout: the VPC range is split into quarters. The first quarter
 * holds the public subnets, the second the isolated subnets, the second half
 * the private subnets (nodes and pods need the most addresses). Each tier is
 * cut into 4 equal subnets (8 when the network spans more than 4 AZs), one
 * per AZ in order; unused slots stay free so adding AZs later never moves an
 * existing subnet. A `10.20.0.0/16` VPC gets public `/20`s from
 * `10.20.0.0`, isolated `/20`s from `10.20.64.0` and private `/19`s from
 * `10.20.128.0`.
 *
 * Availability zones are named literally (`<region>a`, `<region>b`, ... or
 * `availabilityZoneNames`), so the layout never shifts when AWS adds a zone;
 * a lookup fails the plan, naming `availabilityZoneNames`, when one of them
 * is not a zone of the account that needs no opt-in.
 *
 * @example new Network(env, 'Network', { cidr: '10.20.0.0/16' });
 */
export class Network extends Construct implements INetwork {
  /**
   * The one network in `scope`'s environment (created or imported anywhere
   * inside it). Fails when the environment has no network or more than one.
   */
  public static of(scope: IConstruct): INetwork {
    checkArguments('Network.of', arguments);
    const env = Environment.containing(scope);
    const found = env._lookup.list(NETWORKS);
    if (found.length === 1) { return found[0]; }
    if (found.length === 0) {
      throw new PavedError(describe(scope), 'network',
        `environment "${env.name}" has no network; add one with new Network(env, 'Network', { cidr: '10.20.0.0/16' }) `
        + 'or import an existing VPC with Network.fromAttributes(env, \'Network\', { vpcId, vpcCidr, availabilityZones, privateSubnetIds, isolatedSubnetIds })');
    }
    throw new PavedError(describe(scope), 'network',
      `environment "${env.name}" has ${found.length} networks (${found.map(n => n.node.path).join(', ')}); pass the network to use explicitly`);
  }

  /**
   * An existing VPC, by id. Nothing is created; the ids are checked for
   * format only (the plan fails if they do not exist).
   */
  public static fromAttributes(scope: Construct, id: string, attrs: NetworkAttributes): INetwork {
    checkArguments('Network.fromAttributes', arguments);
    return new ImportedNetwork(scope, id, attrs);
  }

  /** The VPC id (a reference resolved at apply time). */
  public readonly vpcId: string;
  /** The VPC's IPv4 CIDR block, normalized (`10.20.0.0/16`). */
  public readonly vpcCidr: string;
  /** Availability zone names, one per AZ, in subnet order (`eu-central-1a`, ...). */
  public readonly availabilityZones: string[];
  /** Ids of the public subnets, one per AZ, in AZ order. */
  public readonly publicSubnetIds: string[];
  /** Ids of the private subnets (egress through NAT), one per AZ, in AZ order: for nodes and pods. */
  public readonly privateSubnetIds: string[];
  /** Ids of the isolated subnets (no internet route), one per AZ, in AZ order: for databases and caches. */
  public readonly isolatedSubnetIds: string[];
  /** CIDR blocks of the public subnets, one per AZ, in AZ order. */
  public readonly publicSubnetCidrs: string[];
  /** CIDR blocks of the private subnets, one per AZ, in AZ order. */
  public readonly privateSubnetCidrs: string[];
  /** CIDR blocks of the isolated subnets, one per AZ, in AZ order. */
  public readonly isolatedSubnetCidrs: string[];
  /** NAT strategy in force. */
  public readonly natStrategy: NatStrategy;

  /** @internal */
  public readonly _vpc: Vpc;
  /** The VPC (`aws_vpc`), for escape hatches. */
  public get vpc(): TerraformResource {
    return this._vpc;
  }
  /** @internal */
  public readonly _availabilityZoneLookup: DataAwsAvailabilityZones;
  /**
   * A lookup of exactly the chosen availability zones (`aws_availability_zones`
   * filtered by zone name) whose postcondition fails the plan when one of
   * them is not a zone of the account that needs no opt-in.
   */
  public get availabilityZoneLookup(): TerraformDataSource {
    return this._availabilityZoneLookup;
  }
  /** @internal */
  public readonly _defaultSecurityGroup: DefaultSecurityGroup;
  /** The VPC's default security group, kept without any rule. */
  public get defaultSecurityGroup(): TerraformResource {
    return this._defaultSecurityGroup;
  }
  /** @internal */
  public readonly _internetGateway: InternetGateway;
  /** The internet gateway of the public subnets. */
  public get internetGateway(): TerraformResource {
    return this._internetGateway;
  }
  /** @internal */
  public readonly _publicSubnets: Subnet[];
  /** Public subnets, one per AZ. */
  public get publicSubnets(): TerraformResource[] {
    return this._publicSubnets;
  }
  /** @internal */
  public readonly _privateSubnets: Subnet[];
  /** Private subnets, one per AZ. */
  public get privateSubnets(): TerraformResource[] {
    return this._privateSubnets;
  }
  /** @internal */
  public readonly _isolatedSubnets: Subnet[];
  /** Isolated subnets, one per AZ. */
  public get isolatedSubnets(): TerraformResource[] {
    return this._isolatedSubnets;
  }
  /** @internal */
  public readonly _publicRouteTable: RouteTable;
  /** The route table of all public subnets (default route to the internet gateway). */
  public get publicRouteTable(): TerraformResource {
    return this._publicRouteTable;
  }
  /** @internal */
  public readonly _privateRouteTables: RouteTable[];
  /** One route table per AZ for the private subnets (default route to a NAT gateway, unless NONE). */
  public get privateRouteTables(): TerraformResource[] {
    return this._privateRouteTables;
  }
  /** @internal */
  public readonly _isolatedRouteTable: RouteTable;
  /** The route table of all isolated subnets (local and S3 endpoint routes only). */
  public get isolatedRouteTable(): TerraformResource {
    return this._isolatedRouteTable;
  }
  /** @internal */
  public readonly _natGateways: NatGateway[];
  /** NAT gateways: none, one (in the first AZ) or one per AZ. */
  public get natGateways(): TerraformResource[] {
    return this._natGateways;
  }
  /** What the NAT gateways' CloudWatch alarms watch and when they go off; empty without NAT gateways or with alarms turned off. */
  public readonly alarmDefinitions: AlarmDefinition[];
  /** @internal */
  public readonly _alarms: CloudwatchMetricAlarm[];
  /** The CloudWatch alarms, for escape hatches. */
  public get alarms(): TerraformResource[] {
    return this._alarms;
  }
  /** @internal */
  public readonly _s3Endpoint: VpcEndpoint;
  /** The S3 gateway endpoint, routed from private and isolated subnets. */
  public get s3Endpoint(): TerraformResource {
    return this._s3Endpoint;
  }
  /** @internal */
  public readonly _flowLog?: FlowLog;
  /** The VPC flow log; undefined when `flowLogs` is false. */
  public get flowLog(): TerraformResource | undefined {
    return this._flowLog;
  }
  /** @internal */
  public readonly _logGroup?: CloudwatchLogGroup;
  /** The log group of the flow logs; undefined when `flowLogs` is false. */
  public get logGroup(): TerraformResource | undefined {
    return this._logGroup;
  }
  /** @internal */
  public readonly _kmsKey?: KmsKey;
  /** The customer managed KMS key of the flow log group; undefined when `flowLogs` is false. */
  public get kmsKey(): TerraformResource | undefined {
    return this._kmsKey;
  }
  /** @internal */
  public readonly _flowLogRole?: IamRole;
  /** The role the flow log service assumes to write to the log group; undefined when `flowLogs` is false. */
  public get flowLogRole(): TerraformResource | undefined {
    return this._flowLogRole;
  }

  constructor(scope: Construct, id: string, props: NetworkProps) {
    super(checkedScope(scope, 'Network', arguments), id);
    const env = Environment.containing(this);
    requireFoundation(this, 'a network');
    env._lookup.add(NETWORKS, this);
    const profile = env.profile;
    const platform = Platform.of(this);

    const cidr = this.validateCidr(props.cidr);
    const azNames = this.validateAvailabilityZoneNames(props.availabilityZoneNames, props.availabilityZones, env.region);
    const azCount = props.availabilityZones ?? azNames?.length ?? profile.availabilityZones;
    validateInteger(this, 'availabilityZones', azCount, 2, 6);
    const natStrategy = props.natStrategy ?? profile.natStrategy;
    validateOneOf(this, 'natStrategy', natStrategy, Object.values(NatStrategy));
    const flowLogs = props.flowLogs ?? true;
    const logRetentionDays = props.logRetentionDays ?? profile.logRetentionDays;
    validateOneOf(this, 'logRetentionDays', logRetentionDays, LOG_RETENTION_DAYS);
    const layout = layoutSubnets(this, cidr, azCount);
    this.checkOverlap(platform, cidr);
    this.vpcCidr = formatCidr(cidr);
    platform._lookup.add(CREATED_NETWORKS, this);

    const profileSource = `profile ${profile.name}`;
    const azSource = props.availabilityZones === undefined && azNames === undefined ? profileSource : 'override';
    platform.recordDefault(this, 'availabilityZones', String(azCount), azSource);
    platform.recordDefault(this, 'natStrategy', natStrategy, props.natStrategy === undefined ? profileSource : 'override');
    if (flowLogs) {
      platform.recordDefault(this, 'logRetentionDays', String(logRetentionDays), props.logRetentionDays === undefined ? profileSource : 'override');
    } else {
      platform.recordDefault(this, 'flowLogs', 'false', 'override');
    }

    const relative = pathBelowStack(this).map(s => s.toLowerCase());
    const baseName = Naming.name([env.name, ...relative], Naming.GENERIC);
    const nameTag = (suffix?: string) => ({ Name: suffix ? `${baseName}-${suffix}` : baseName });

    this.natStrategy = natStrategy;
    this._vpc = new vpcLib.Vpc(this, 'Resource', {
      cidrBlock: this.vpcCidr,
      // EKS, private endpoints and RDS/ElastiCache endpoints resolve through the VPC resolver.
      enableDnsSupport: true,
      enableDnsHostnames: true,
      tags: nameTag(),
    });
    this.vpcId = this._vpc.id;

    this._defaultSecurityGroup = new defaultSecurityGroupLib.DefaultSecurityGroup(this, 'DefaultSecurityGroup', {
      vpcId: this._vpc.id,
      ingress: [],
      egress: [],
      tags: nameTag('default'),
    });

    // Literal zone names keep the layout fixed: a lookup of "all zones" would
    // shift subnets when AWS adds a zone. The lookup only proves the names
    // exist for this account. No `state` filter: an impaired zone must not
    // fail every plan.
    this.availabilityZones = azNames ?? range(azCount).map(i => `${env.region}${String.fromCharCode(97 + i)}`);
    platform.recordDefault(this, 'availabilityZoneNames', this.availabilityZones.join(','),
      azNames === undefined ? 'paved default (first zones by letter)' : 'override');
    this._availabilityZoneLookup = new dataAwsAvailabilityZonesLib.DataAwsAvailabilityZones(this, 'AvailabilityZones', {
      filter: [
        { name: 'zone-name', values: this.availabilityZones },
        { name: 'opt-in-status', values: ['opt-in-not-required'] },
      ],
      lifecycle: {
        postcondition: [{
          condition: `\${length(self.names) == ${azCount}}`,
          errorMessage: `${this.node.path}: availabilityZoneNames: not all of ${this.availabilityZones.join(', ')} are availability zones `
            + `of this account that need no opt-in; set availabilityZoneNames to ${azCount} zones listed by aws ec2 describe-availability-zones`,
        }],
      },
    });

    this._internetGateway = new internetGatewayLib.InternetGateway(this, 'InternetGateway', { vpcId: this._vpc.id, tags: nameTag() });

    const subnets = (tier: 'public' | 'private' | 'isolated', cidrs: string[], extraTags: { [key: string]: string }) =>
      cidrs.map((block, i) => new subnetLib.Subnet(this, `${capitalize(tier)}Subnet${i + 1}`, {
        vpcId: this._vpc.id,
        cidrBlock: block,
        availabilityZone: this.availabilityZones[i],
        mapPublicIpOnLaunch: false,
        tags: { ...nameTag(`${tier}-${i + 1}`), ...extraTags },
      }));
    this.publicSubnetCidrs = layout.public;
    this.privateSubnetCidrs = layout.private;
    this.isolatedSubnetCidrs = layout.isolated;
    // Tags the AWS Load Balancer Controller uses to pick subnets for internet-facing and internal load balancers.
    this._publicSubnets = subnets('public', layout.public, { 'kubernetes.io/role/elb': '1' });
    this._privateSubnets = subnets('private', layout.private, { 'kubernetes.io/role/internal-elb': '1' });
    this._isolatedSubnets = subnets('isolated', layout.isolated, {});
    this.publicSubnetIds = this._publicSubnets.map(s => s.id);
    this.privateSubnetIds = this._privateSubnets.map(s => s.id);
    this.isolatedSubnetIds = this._isolatedSubnets.map(s => s.id);

    this._publicRouteTable = new routeTableLib.RouteTable(this, 'PublicRouteTable', { vpcId: this._vpc.id, tags: nameTag('public') });
    new routeLib.Route(this, 'PublicInternetRoute', {
      routeTableId: this._publicRouteTable.id,
      destinationCidrBlock: ANYWHERE,
      gatewayId: this._internetGateway.id,
    });
    this._publicSubnets.forEach((subnet, i) => new routeTableAssociationLib.RouteTableAssociation(this, `PublicRouteTableAssociation${i + 1}`, {
      subnetId: subnet.id,
      routeTableId: this._publicRouteTable.id,
    }));

    const natCount = { [NatStrategy.NONE]: 0, [NatStrategy.SINGLE]: 1, [NatStrategy.ONE_PER_AZ]: azCount }[natStrategy];
    this._natGateways = range(natCount).map(i => {
      const eip = new eipLib.Eip(this, `NatEip${i + 1}`, { domain: 'vpc', tags: nameTag(`nat-${i + 1}`) });
      return new natGatewayLib.NatGateway(this, `NatGateway${i + 1}`, {
        allocationId: eip.allocationId,
        subnetId: this._publicSubnets[i].id,
        connectivityType: 'public',
        tags: nameTag(`nat-${i + 1}`),
        // A NAT gateway created before the internet gateway is attached has no working path out.
        dependsOn: [this._internetGateway],
      });
    });

    const natAlarms = this._natGateways.length === 0 ? { definitions: [], alarms: [] } : createAlarms(this,
      this._natGateways.flatMap((nat, i) => natGatewayAlarmDefinitions(`${baseName}-nat-${i + 1}`, nat.id, i + 1)), props.alarms, this._natGateways);
    this.alarmDefinitions = natAlarms.definitions;
    this._alarms = natAlarms.alarms;

    // One table per AZ whatever the strategy, so switching SINGLE <-> ONE_PER_AZ only changes routes.
    this._privateRouteTables = this._privateSubnets.map((subnet, i) => {
      const table = new routeTableLib.RouteTable(this, `PrivateRouteTable${i + 1}`, { vpcId: this._vpc.id, tags: nameTag(`private-${i + 1}`) });
      new routeTableAssociationLib.RouteTableAssociation(this, `PrivateRouteTableAssociation${i + 1}`, { subnetId: subnet.id, routeTableId: table.id });
      if (this._natGateways.length > 0) {
        new routeLib.Route(this, `PrivateNatRoute${i + 1}`, {
          routeTableId: table.id,
          destinationCidrBlock: ANYWHERE,
          natGatewayId: this._natGateways[Math.min(i, this._natGateways.length - 1)].id,
        });
      }
      return table;
    });

    this._isolatedRouteTable = new routeTableLib.RouteTable(this, 'IsolatedRouteTable', { vpcId: this._vpc.id, tags: nameTag('isolated') });
    this._isolatedSubnets.forEach((subnet, i) => new routeTableAssociationLib.RouteTableAssociation(this, `IsolatedRouteTableAssociation${i + 1}`, {
      subnetId: subnet.id,
      routeTableId: this._isolatedRouteTable.id,
    }));

    this._s3Endpoint = new vpcEndpointLib.VpcEndpoint(this, 'S3Endpoint', {
      vpcId: this._vpc.id,
      serviceName: `${env.partition === 'aws-cn' ? 'cn.com.amazonaws' : 'com.amazonaws'}.${env.region}.s3`,
      vpcEndpointType: 'Gateway',
      routeTableIds: [...this._privateRouteTables.map(t => t.id), this._isolatedRouteTable.id],
      tags: nameTag('s3'),
    });

    if (flowLogs) {
      const logGroupName = `/paved/${baseName}/vpc-flow-logs`;
      const logGroupArn = `arn:${env.partition}:logs:${env.region}:${env.account}:log-group:${logGroupName}`;
      this._kmsKey = new kmsKeyLib.KmsKey(this, 'FlowLogKey', {
        description: `Encrypts the VPC flow logs of ${this.node.path}`,
        enableKeyRotation: true,
        deletionWindowInDays: 30,
        policy: JSON.stringify({
          Version: '2012-10-17',
          Statement: [
            accountAdminStatement(env, 'AccountAdministers'),
            {
              Sid: 'CloudWatchLogsUsesForThisLogGroup',
              Effect: 'Allow',
              Principal: { Service: `logs.${env.region}.${env.partition === 'aws-cn' ? 'amazonaws.com.cn' : 'amazonaws.com'}` },
              Action: ['kms:Encrypt*', 'kms:Decrypt*', 'kms:ReEncrypt*', 'kms:GenerateDataKey*', 'kms:Describe*'],
              Resource: '*',
              Condition: { ArnEquals: { 'kms:EncryptionContext:aws:logs:arn': logGroupArn } },
            },
          ],
        }),
        tags: nameTag('flow-logs'),
      });
      new kmsAliasLib.KmsAlias(this, 'FlowLogKeyAlias', {
        name: `alias/paved/${env.name}/${Naming.name(relative, Naming.GENERIC)}/flow-logs`,
        targetKeyId: this._kmsKey.keyId,
      });
      this._logGroup = new cloudwatchLogGroupLib.CloudwatchLogGroup(this, 'FlowLogGroup', {
        name: logGroupName,
        retentionInDays: logRetentionDays,
        kmsKeyId: this._kmsKey.arn,
        tags: nameTag('flow-logs'),
      });
      this._flowLogRole = new iamRoleLib.IamRole(this, 'FlowLogRole', {
        name: Naming.name([env.name, ...relative, 'flowlogs'], Naming.IAM_ROLE),
        description: `Lets VPC flow logs of ${this.node.path} write to ${logGroupName}`,
        assumeRolePolicy: JSON.stringify({
          Version: '2012-10-17',
          Statement: [{
            Effect: 'Allow',
            Principal: { Service: 'vpc-flow-logs.amazonaws.com' },
            Action: 'sts:AssumeRole',
            Condition: {
              StringEquals: { 'aws:SourceAccount': env.account },
              ArnLike: { 'aws:SourceArn': `arn:${env.partition}:ec2:${env.region}:${env.account}:vpc-flow-log/*` },
            },
          }],
        }),
        tags: nameTag('flow-logs'),
      });
      new iamRolePolicyLib.IamRolePolicy(this, 'FlowLogRolePolicy', {
        role: this._flowLogRole.id,
        name: 'write-flow-logs',
        policy: JSON.stringify({
          Version: '2012-10-17',
          Statement: [{
            Effect: 'Allow',
            Action: ['logs:CreateLogStream', 'logs:PutLogEvents', 'logs:DescribeLogStreams'],
            Resource: [logGroupArn, `${logGroupArn}:log-stream:*`],
          }],
        }),
      });
      this._flowLog = new flowLogLib.FlowLog(this, 'FlowLog', {
        vpcId: this._vpc.id,
        trafficType: 'ALL',
        logDestinationType: 'cloud-watch-logs',
        logDestination: this._logGroup.arn,
        iamRoleArn: this._flowLogRole.arn,
        tags: nameTag(),
      });
    }
  }

  private validateAvailabilityZoneNames(names: string[] | undefined, count: number | undefined, region: string): string[] | undefined {
    if (names === undefined) { return undefined; }
    const zone = new RegExp(`^${region}[a-z]$`);
    if (!Array.isArray(names) || names.length < 2 || names.length > 6) {
      throw invalid(this, 'availabilityZoneNames', names, `2 to 6 availability zone names of ${region}`);
    }
    for (const name of names) {
      if (typeof name !== 'string' || !zone.test(name)) {
        throw invalid(this, 'availabilityZoneNames', name, `an availability zone name of the environment's region, "${region}" followed by one letter`);
      }
    }
    if (new Set(names).size !== names.length) {
      throw invalid(this, 'availabilityZoneNames', names, 'distinct availability zone names');
    }
    if (count !== undefined && count !== names.length) {
      throw invalid(this, 'availabilityZones', count, `${names.length}, the number of availabilityZoneNames (or leave it out)`);
    }
    return names;
  }

  private validateCidr(value: string): Ipv4Cidr {
    if (Token.isUnresolved(value)) {
      throw invalid(this, 'cidr', value, 'a literal IPv4 CIDR, not a token (subnet ranges are computed at synth time)');
    }
    const cidr = parseCidr(value);
    if (!cidr) {
      throw invalid(this, 'cidr', value, 'an IPv4 CIDR block such as "10.20.0.0/16"');
    }
    if (cidr.prefix < MIN_PREFIX || cidr.prefix > MAX_PREFIX) {
      throw invalid(this, 'cidr', value, `a prefix length from /${MIN_PREFIX} to /${MAX_PREFIX}`);
    }
    if (hasHostBits(cidr)) {
      const network = formatCidr({ address: cidr.address - (cidr.address % Math.pow(2, 32 - cidr.prefix)), prefix: cidr.prefix });
      throw invalid(this, 'cidr', value, `the first address of the block, "${network}"`);
    }
    if (!isPrivate(cidr)) {
      throw invalid(this, 'cidr', value, 'a private range inside 10.0.0.0/8, 172.16.0.0/12 or 192.168.0.0/16');
    }
    return cidr;
  }

  private checkOverlap(platform: Platform, cidr: Ipv4Cidr): void {
    // Imported VPCs are left out: environments may legitimately share one.
    for (const other of platform._lookup.list(CREATED_NETWORKS)) {
      const theirs = parseCidr(other.vpcCidr);
      if (theirs && overlaps(cidr, theirs)) {
        throw invalid(this, 'cidr', formatCidr(cidr),
          `a range that does not overlap network ${other.node.path} (${other.vpcCidr}); networks of one platform must not overlap so environments can be peered`);
      }
    }
  }
}

/** An existing VPC, referenced by id. */
class ImportedNetwork extends Construct implements INetwork {
  public readonly vpcId: string;
  public readonly vpcCidr: string;
  public readonly availabilityZones: string[];
  public readonly publicSubnetIds: string[];
  public readonly privateSubnetIds: string[];
  public readonly isolatedSubnetIds: string[];

  constructor(scope: Construct, id: string, attrs: NetworkAttributes) {
    super(scope, id);
    Environment.containing(this)._lookup.add(NETWORKS, this);
    if (!Token.isUnresolved(attrs.vpcId) && !VPC_ID.test(attrs.vpcId ?? '')) {
      throw invalid(this, 'vpcId', attrs.vpcId, 'a VPC id: "vpc-" followed by 8 or 17 lowercase hex digits');
    }
    if (!Token.isUnresolved(attrs.vpcCidr)) {
      const cidr = parseCidr(attrs.vpcCidr);
      if (!cidr || hasHostBits(cidr)) {
        throw invalid(this, 'vpcCidr', attrs.vpcCidr, 'the IPv4 CIDR block of the VPC, such as "10.30.0.0/16"');
      }
    }
    if (!Token.isUnresolved(attrs.availabilityZones)
      && (!Array.isArray(attrs.availabilityZones) || attrs.availabilityZones.length === 0
        || attrs.availabilityZones.some(az => typeof az !== 'string' || az.length === 0))) {
      throw invalid(this, 'availabilityZones', attrs.availabilityZones, 'at least one availability zone name, such as "eu-central-1a"');
    }
    const publicSubnetIds = attrs.publicSubnetIds ?? [];
    validateSubnetIds(this, 'publicSubnetIds', publicSubnetIds, false);
    validateSubnetIds(this, 'privateSubnetIds', attrs.privateSubnetIds, true);
    validateSubnetIds(this, 'isolatedSubnetIds', attrs.isolatedSubnetIds, true);
    this.vpcId = attrs.vpcId;
    this.vpcCidr = attrs.vpcCidr;
    this.availabilityZones = attrs.availabilityZones;
    this.publicSubnetIds = publicSubnetIds;
    this.privateSubnetIds = attrs.privateSubnetIds;
    this.isolatedSubnetIds = attrs.isolatedSubnetIds;
  }
}

function validateSubnetIds(scope: IConstruct, property: string, ids: string[], required: boolean): void {
  if (Token.isUnresolved(ids)) { return; }
  const allowed = `${required ? 'at least one' : 'a list of'} subnet id(s): "subnet-" followed by 8 or 17 lowercase hex digits`;
  if (!Array.isArray(ids) || (required && ids.length === 0)) {
    throw invalid(scope, property, ids, allowed);
  }
  for (const id of ids) {
    if (!Token.isUnresolved(id) && !SUBNET_ID.test(id ?? '')) {
      throw invalid(scope, property, id, allowed);
    }
  }
  if (new Set(ids).size !== ids.length) {
    throw invalid(scope, property, ids, 'subnet ids without duplicates');
  }
}

interface SubnetLayout {
  readonly public: string[];
  readonly isolated: string[];
  readonly private: string[];
}

/**
 * Public in the first quarter, isolated in the second, private in the second
 * half; each tier cut into 4 slots (8 above 4 AZs) so adding an AZ never
 * moves a subnet.
 */
function layoutSubnets(scope: IConstruct, vpc: Ipv4Cidr, azCount: number): SubnetLayout {
  const slotBits = azCount <= 4 ? 2 : 3;
  const quarter = vpc.prefix + 2;
  const smallest = quarter + slotBits;
  if (smallest > SMALLEST_SUBNET) {
    throw invalid(scope, 'cidr', formatCidr(vpc),
      `a block large enough for ${azCount} AZs x 3 tiers of subnets of at least /${SMALLEST_SUBNET} `
      + `(/${SMALLEST_SUBNET - 2 - slotBits} or larger), or fewer availabilityZones`);
  }
  const tier = (block: Ipv4Cidr) => range(azCount).map(i => formatCidr(subdivide(block, block.prefix + slotBits, i)));
  return {
    public: tier(subdivide(vpc, quarter, 0)),
    isolated: tier(subdivide(vpc, quarter, 1)),
    private: tier(subdivide(vpc, vpc.prefix + 1, 1)),
  };
}

function range(n: number): number[] {
  return Array.from({ length: n }, (_, i) => i);
}

function capitalize(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}
