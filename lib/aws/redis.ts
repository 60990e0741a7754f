import type { CloudwatchMetricAlarm } from '@cdktf/provider-aws/lib/cloudwatch-metric-alarm';
import type { ElasticacheParameterGroup } from '@cdktf/provider-aws/lib/elasticache-parameter-group';
import type { ElasticacheReplicationGroup } from '@cdktf/provider-aws/lib/elasticache-replication-group';
import type { ElasticacheSubnetGroup } from '@cdktf/provider-aws/lib/elasticache-subnet-group';
import type { ElasticacheUser } from '@cdktf/provider-aws/lib/elasticache-user';
import type { ElasticacheUserGroup } from '@cdktf/provider-aws/lib/elasticache-user-group';
import type { SecurityGroup } from '@cdktf/provider-aws/lib/security-group';
import type { VpcSecurityGroupIngressRule } from '@cdktf/provider-aws/lib/vpc-security-group-ingress-rule';
import { TerraformResource, Token } from 'cdktf';
import { Construct, IConstruct } from 'constructs';
import { AlarmDefinition, AlarmOptions, createAlarms, elastiCacheAlarmDefinitions } from './cloudwatch-alarms';
import { Grant, GrantPolicy, IGrantable, validateGrantee } from './grant';
import { Key } from './key';
import { INetwork } from './network';
import { PolicyStatement } from './policy-statement';
import { checkedScope } from '../core/api-guard';
import { Environment, pathBelowStack } from '../core/environment';
import { invalid } from '../core/errors';
import { lazyModule } from '../core/lazy-module';
import { LookupKey } from '../core/lookup';
import { Naming } from '../core/naming';
import { Platform } from '../core/platform';
import { Size } from '../core/size';
import { validateInteger } from '../core/validation';

const elasticacheParameterGroupLib = lazyModule<typeof import('@cdktf/provider-aws/lib/elasticache-parameter-group')>('@cdktf/provider-aws/lib/elasticache-parameter-group');
const elasticacheReplicationGroupLib = lazyModule<typeof import('@cdktf/provider-aws/lib/elasticache-replication-group')>('@cdktf/provider-aws/lib/elasticache-replication-group');
const elasticacheSubnetGroupLib = lazyModule<typeof import('@cdktf/provider-aws/lib/elasticache-subnet-group')>('@cdktf/provider-aws/lib/elasticache-subnet-group');
const elasticacheUserLib = lazyModule<typeof import('@cdktf/provider-aws/lib/elasticache-user')>('@cdktf/provider-aws/lib/elasticache-user');
const elasticacheUserGroupLib = lazyModule<typeof import('@cdktf/provider-aws/lib/elasticache-user-group')>('@cdktf/provider-aws/lib/elasticache-user-group');
const securityGroupLib = lazyModule<typeof import('@cdktf/provider-aws/lib/security-group')>('@cdktf/provider-aws/lib/security-group');
const vpcSecurityGroupIngressRuleLib = lazyModule<typeof import('@cdktf/provider-aws/lib/vpc-security-group-ingress-rule')>('@cdktf/provider-aws/lib/vpc-security-group-ingress-rule');

/** The engine of a {@link Redis} cache. */
export enum RedisEngine {
  /** Valkey 8, the open-source fork of Redis OSS that AWS maintains and prices below Redis OSS. */
  VALKEY = 'valkey',
  /** Redis OSS 7. */
  REDIS = 'redis',
}

/** Properties of a {@link Redis}. */
export interface RedisProps {
  /** The network whose isolated subnets the cache nodes are placed in (at least two, in different AZs). */
  readonly network: INetwork;
  /**
   * Node type and number of read replicas (`size.cache`).
   * @default Size.M — cache.t4g.small with 1 replica
   */
  readonly size?: Size;
  /**
   * The engine.
   * @default RedisEngine.VALKEY
   */
  readonly engine?: RedisEngine;
  /**
   * Engine version, `<major>.<minor>`: `8.<minor>` for Valkey, `7.<minor>` for Redis OSS.
   * ElastiCache applies patch releases itself (`auto_minor_version_upgrade`).
   * @default '8.1' for Valkey, '7.1' for Redis OSS
   */
  readonly engineVersion?: string;
  /**
   * Security groups allowed to connect on port 6379, typically the cluster's
   * node security group. More can be added with `allowFrom()`.
   * @default [] - no client can reach the cache until one is allowed
   */
  readonly allowFrom?: string[];
  /**
   * The replication group id (also names the subnet, parameter, security and
   * user groups and the user): 1-40 lowercase letters, digits and hyphens,
   * starting with a letter, no `--`, not ending with `-`. Changing it
   * replaces the cache.
   * @default - `<env>-<construct path below the environment>`, shortened with a hash beyond 40 characters
   */
  readonly replicationGroupId?: string;
  /**
   * Place the replicas in other availability zones than the primary.
   * Requires at least one replica and automatic failover.
   * @default - the environment profile's `multiAz` (DEV false, PROD true)
   */
  readonly multiAz?: boolean;
  /**
   * Promote a replica when the primary fails. Requires at least one replica.
   * @default - true when the size has at least one replica (it costs nothing more)
   */
  readonly automaticFailover?: boolean;
  /**
   * Days daily snapshots are kept (1-35).
   * @default - the environment profile's `backupRetentionDays` (DEV 1, STAGING 7, PROD 30)
   */
  readonly snapshotRetentionDays?: number;
  /**
   * Daily time range (UTC) of the snapshot, `HH:MM-HH:MM`, at least 60
   * minutes, not overlapping the maintenance window (Sunday 05:00-06:00 UTC).
   * @default '03:00-04:00'
   */
  readonly snapshotWindow?: string;
  /**
   * Take a final snapshot (`<replicationGroupId>-final`) when the cache is deleted.
   * ElastiCache has no deletion protection; this and `preventDestroy` stand in for it.
   * @default - the environment profile's `deletionProtection` (DEV false, STAGING and PROD true)
   */
  readonly finalSnapshot?: boolean;
  /**
   * Set Terraform's `lifecycle.prevent_destroy` on the replication group and its key.
   * @default - the environment profile's `preventDestroy` (DEV and STAGING false, PROD true)
   */
  readonly preventDestroy?: boolean;
  /**
   * What the application user may do, as an ACL access string. It must
   * start with `on` (an `off` user cannot log in).
   * @default 'on ~* &* +@all' — every key, channel and command: the cache belongs to one workload
   */
  readonly accessString?: string;
  /**
   * Also make a second user, `passwordUsername`, for clients that cannot
   * sign IAM tokens: weaker, since a password exists and is long-lived.
   * Terraform never holds the password: it creates the user with IAM
   * authentication (which nobody is granted, so nobody can log in as it),
   * with the same access string, and from then on ignores its
   * authentication mode; whoever holds `elasticache:ModifyUser` on it
   * (paved's database admin job, see `grantSetPassword`) sets the password.
   * @default false
   */
  readonly passwordUser?: boolean;
  /**
   * CloudWatch alarms per node on engine CPU, memory, evictions and (with
   * replicas) replication lag, and the SNS topic they notify.
   * @default - every alarm, notifying the environment's platform topic (`AlarmTopic.forPlatform(env)`); a workload's cache notifies its tenant's
   */
  readonly alarms?: AlarmOptions;
}

const PORT = 6379;
const ENGINES: { [engine: string]: { version: string; pattern: RegExp; family: string; label: string } } = {
  valkey: { version: '8.1', pattern: /^8\.\d{1,2}$/, family: 'valkey8', label: 'a Valkey 8 version such as "8.1"' },
  redis: { version: '7.1', pattern: /^7\.\d{1,2}$/, family: 'redis7', label: 'a Redis OSS 7 version such as "7.1"' },
};
const DEFAULT_ACCESS_STRING = 'on ~* &* +@all';
const DEFAULT_SNAPSHOT_WINDOW = '03:00-04:00';
/** Sunday 05:00-06:00 UTC; the snapshot window must not overlap it. */
const MAINTENANCE_WINDOW = 'sun:05:00-sun:06:00';
const MAINTENANCE_START = 5 * 60;
const MAINTENANCE_END = 6 * 60;
const IDENTIFIER = /^[a-z](?!.*--)([a-z0-9-]*[a-z0-9])?$/;
const WINDOW = /^([01]\d|2[0-3]):([0-5]\d)-([01]\d|2[0-3]):([0-5]\d)$/;
const SECURITY_GROUP_ID = /^sg-([0-9a-f]{8}|[0-9a-f]{17})$/;
/** What EC2 accepts in a security group rule description. */
const RULE_DESCRIPTION = /^[A-Za-z0-9 ._\-:/()#,@[\]+=&;{}!$*]{1,255}$/;
/** Replication group ids taken in an environment. */
const REPLICATION_GROUP_IDS = new LookupKey<IConstruct>('elasticache-replication-group-ids');

/**
 * An ElastiCache replication group (Valkey 8 or Redis OSS 7, cluster mode
 * off: one primary and `size.cache.replicas` read replicas) in the network's
 * isolated subnets.
 *
 * Secure defaults:
 * - no public access: isolated subnets only, and a security group of its
 *   own that admits port 6379 only from the security groups allowed
 *   (`allowFrom`), each rule with a description; no egress rules;
 * - TLS only (`transit_encryption_mode = required`); data at rest and
 *   snapshots encrypted with a customer managed KMS key of its own;
 * - no secret anywhere: clients authenticate with IAM. The cache has a user
 *   group of two users: `default`, switched off (`off -@all`, so an
 *   unauthenticated connection can do nothing), and the application user
 *   (`username`, equal to its user id as IAM authentication requires), whose
 *   authentication mode is `iam`. A client signs a token (AWS SigV4, valid
 *   15 minutes; connections last up to 12 hours) for `username` and the
 *   replication group id with the credentials of an identity that was
 *   granted `elasticache:Connect` (`grantConnect`), and sends it as the
 *   password of `AUTH <username> <token>`. No password or auth token exists,
 *   so none is in the Terraform configuration, state or any secret;
 * - automatic failover whenever there is a replica; multi-AZ, snapshot
 *   retention, a final snapshot and `prevent_destroy` from the profile;
 * - its own parameter group, so parameters can be tuned later without
 *   touching the engine's default group.
 *
 * IAM authentication needs Valkey 7.2+ or Redis OSS 7+, which is why only
 * those engines are offered.
 *
 * @example
 * const cache = new Redis(env, 'OrdersCache', { network, allowFrom: [cluster.nodeSecurityGroupId] });
 * cache.grantConnect(identity);
 */
export class Redis extends Construct {
  /** The primary endpoint's DNS name (a reference resolved at apply time). */
  public readonly host: string;
  /** The port, 6379. */
  public readonly port: number;
  /** The application user's name (equal to its user id), known at synth time. */
  public readonly username: string;
  /** The replication group id, known at synth time; IAM auth tokens are signed for it. */
  public readonly replicationGroupId: string;
  /** ARN of the replication group, built from its id: a literal known at synth time. */
  public readonly replicationGroupArn: string;
  /** ARN of the application user, built from its id: a literal known at synth time. */
  public readonly userArn: string;
  /** The engine. */
  public readonly engine: RedisEngine;
  /** The engine version the cache was created with. */
  public readonly engineVersion: string;
  /** Id of the cache's security group. */
  public readonly securityGroupId: string;
  /** The size the cache was made with. */
  public readonly size: Size;
  /** @internal */
  public readonly _replicationGroup: ElasticacheReplicationGroup;
  /** The replication group, for escape hatches. */
  public get replicationGroup(): TerraformResource {
    return this._replicationGroup;
  }
  /** @internal */
  public readonly _subnetGroup: ElasticacheSubnetGroup;
  /** The subnet group, for escape hatches. */
  public get subnetGroup(): TerraformResource {
    return this._subnetGroup;
  }
  /** @internal */
  public readonly _parameterGroup: ElasticacheParameterGroup;
  /** The parameter group, for escape hatches. */
  public get parameterGroup(): TerraformResource {
    return this._parameterGroup;
  }
  /** @internal */
  public readonly _securityGroup: SecurityGroup;
  /** The security group, for escape hatches. */
  public get securityGroup(): TerraformResource {
    return this._securityGroup;
  }
  /** @internal */
  public readonly _defaultUser: ElasticacheUser;
  /** The switched-off `default` user every user group must contain, for escape hatches. */
  public get defaultUser(): TerraformResource {
    return this._defaultUser;
  }
  /** @internal */
  public readonly _user: ElasticacheUser;
  /** The application user (IAM authentication), for escape hatches. */
  public get user(): TerraformResource {
    return this._user;
  }
  /** @internal */
  public readonly _userGroup: ElasticacheUserGroup;
  /** The user group of the two users, for escape hatches. */
  public get userGroup(): TerraformResource {
    return this._userGroup;
  }
  /** @internal */
  public readonly _passwordUser?: ElasticacheUser;
  /** The user that logs in with a password set outside Terraform; undefined without `passwordUser`. */
  public get passwordUser(): TerraformResource | undefined {
    return this._passwordUser;
  }
  /** Its name (equal to its id); undefined without `passwordUser`. */
  public readonly passwordUsername?: string;
  /** Its ARN; undefined without `passwordUser`. */
  public readonly passwordUserArn?: string;
  /** The KMS key of data at rest and snapshots. */
  public readonly key: Key;
  /** @internal */
  public readonly _ingressRules: VpcSecurityGroupIngressRule[] = [];
  /** The ingress rules, in the order allowed, for escape hatches. */
  public get ingressRules(): TerraformResource[] {
    return this._ingressRules;
  }
  /** What its CloudWatch alarms watch and when they go off; empty with alarms turned off. */
  public readonly alarmDefinitions: AlarmDefinition[];
  /** @internal */
  public readonly _alarms: CloudwatchMetricAlarm[];
  /** The CloudWatch alarms, for escape hatches. */
  public get alarms(): TerraformResource[] {
    return this._alarms;
  }

  private readonly allowedGroups = new Set<string>();

  constructor(scope: Construct, id: string, props: RedisProps) {
    super(checkedScope(scope, 'Redis', arguments), id);
    const env = Environment.containing(this);
    const profile = env.profile;
    const platform = Platform.of(this);
    const relative = pathBelowStack(this).map(s => s.toLowerCase());

    const network = this.validateNetwork(props.network);
    const size = props.size ?? Size.M;
    const replicas = size.cache.replicas;
    const engine = props.engine ?? RedisEngine.VALKEY;
    if (!Object.values(RedisEngine).includes(engine)) {
      throw invalid(this, 'engine', engine, `one of ${Object.values(RedisEngine).map(e => `"${e}"`).join(', ')} (RedisEngine)`);
    }
    const spec = ENGINES[engine];
    const engineVersion = props.engineVersion ?? spec.version;
    if (typeof engineVersion !== 'string' || !spec.pattern.test(engineVersion)) {
      throw invalid(this, 'engineVersion', engineVersion, spec.label);
    }
    const replicationGroupId = props.replicationGroupId ?? Naming.name([env.name, ...relative], Naming.ELASTICACHE);
    if (typeof replicationGroupId !== 'string' || replicationGroupId.length > Naming.ELASTICACHE.maxLength || !IDENTIFIER.test(replicationGroupId)) {
      throw invalid(this, 'replicationGroupId', replicationGroupId,
        `an ElastiCache replication group id: 1-${Naming.ELASTICACHE.maxLength} lowercase letters, digits and hyphens, `
        + 'starting with a letter, no "--", not ending with "-"');
    }
    const taken = env._lookup.claim(REPLICATION_GROUP_IDS, replicationGroupId, this);
    if (taken) {
      throw invalid(this, 'replicationGroupId', replicationGroupId, `an id not used by ${taken.node.path} of the same environment`);
    }

    const automaticFailover = props.automaticFailover ?? replicas >= 1;
    if (automaticFailover && replicas < 1) {
      throw invalid(this, 'automaticFailover', automaticFailover,
        `false when the size has no replica (size ${size.name} has cache.replicas 0): there is nothing to fail over to`);
    }
    const multiAz = props.multiAz ?? profile.multiAz;
    if (multiAz && (replicas < 1 || !automaticFailover)) {
      throw invalid(this, 'multiAz', multiAz, replicas < 1
        ? `false when the size has no replica (size ${size.name} has cache.replicas 0), or a size with replicas`
        : 'false while automaticFailover is false (multi-AZ needs automatic failover)');
    }
    const snapshotRetentionDays = props.snapshotRetentionDays ?? profile.backupRetentionDays;
    validateInteger(this, 'snapshotRetentionDays', snapshotRetentionDays, 1, 35);
    const snapshotWindow = props.snapshotWindow ?? DEFAULT_SNAPSHOT_WINDOW;
    this.validateSnapshotWindow(snapshotWindow);
    const finalSnapshot = props.finalSnapshot ?? profile.deletionProtection;
    const preventDestroy = props.preventDestroy ?? profile.preventDestroy;
    const accessString = props.accessString ?? DEFAULT_ACCESS_STRING;
    if (typeof accessString !== 'string' || !/^on(\s+\S+)+$/.test(accessString.trim()) || /[\r\n]/.test(accessString)) {
      throw invalid(this, 'accessString', accessString,
        'an ACL access string that starts with "on" followed by key, channel and command rules, e.g. "on ~app:* +@read +@write"');
    }
    const allowFrom = props.allowFrom ?? [];
    if (!Array.isArray(allowFrom)) {
      throw invalid(this, 'allowFrom', allowFrom, 'a list of security group ids');
    }

    const source = (given: unknown) => given === undefined ? `profile ${profile.name}` : 'override';
    const pavedDefault = (given: unknown) => given === undefined ? 'paved default' : 'override';
    platform.recordDefault(this, 'size', size.name, pavedDefault(props.size));
    platform.recordDefault(this, 'nodeType', size.cache.nodeType, `size ${size.name}`);
    platform.recordDefault(this, 'replicas', String(replicas), `size ${size.name}`);
    platform.recordDefault(this, 'engine', engine, pavedDefault(props.engine));
    platform.recordDefault(this, 'engineVersion', engineVersion, pavedDefault(props.engineVersion));
    platform.recordDefault(this, 'automaticFailover', String(automaticFailover),
      props.automaticFailover === undefined ? `size ${size.name}` : 'override');
    platform.recordDefault(this, 'multiAz', String(multiAz), source(props.multiAz));
    platform.recordDefault(this, 'snapshotRetentionDays', String(snapshotRetentionDays), source(props.snapshotRetentionDays));
    platform.recordDefault(this, 'snapshotWindow', snapshotWindow, pavedDefault(props.snapshotWindow));
    platform.recordDefault(this, 'finalSnapshot', String(finalSnapshot), source(props.finalSnapshot));
    platform.recordDefault(this, 'preventDestroy', String(preventDestroy), source(props.preventDestroy));

    this.size = size;
    this.engine = engine;
    this.engineVersion = engineVersion;
    this.replicationGroupId = replicationGroupId;
    this.port = PORT;
    // IAM authentication requires the user name to equal the user id.
    this.username = replicationGroupId;
    const arn = (resource: string) => `arn:${env.partition}:elasticache:${env.region}:${env.account}:${resource}`;
    this.replicationGroupArn = arn(`replicationgroup:${replicationGroupId}`);
    this.userArn = arn(`user:${this.username}`);

    this.key = new Key(this, 'Key', {
      description: `Encrypts data at rest and snapshots of ElastiCache replication group ${replicationGroupId}`,
      alias: `elasticache/${replicationGroupId}`,
      preventDestroy,
    });

    this._subnetGroup = new elasticacheSubnetGroupLib.ElasticacheSubnetGroup(this, 'SubnetGroup', {
      name: replicationGroupId,
      description: `Isolated subnets of ElastiCache replication group ${replicationGroupId}`,
      subnetIds: network.isolatedSubnetIds,
    });

    this._securityGroup = new securityGroupLib.SecurityGroup(this, 'SecurityGroup', {
      name: `elasticache-${replicationGroupId}`,
      description: `ElastiCache replication group ${replicationGroupId}: port ${PORT} from allowed security groups only`,
      vpcId: network.vpcId,
      tags: { Name: `elasticache-${replicationGroupId}` },
    });
    this.securityGroupId = this._securityGroup.id;

    const family = spec.family;
    this._parameterGroup = new elasticacheParameterGroupLib.ElasticacheParameterGroup(this, 'ParameterGroup', {
      name: `${replicationGroupId}-${family}`,
      family,
      description: `ElastiCache replication group ${replicationGroupId}`,
    });

    // Users live in the account and region, outside any cache: their ids embed the unique replication group id.
    this._defaultUser = new elasticacheUserLib.ElasticacheUser(this, 'DefaultUser', {
      userId: Naming.name([replicationGroupId, 'default'], Naming.ELASTICACHE),
      userName: 'default',
      // "redis" is the only engine whose users may go without a password; the user is off, so nobody logs in as it.
      engine: 'redis',
      noPasswordRequired: true,
      accessString: 'off -@all',
    });
    this._user = new elasticacheUserLib.ElasticacheUser(this, 'User', {
      userId: this.username,
      userName: this.username,
      engine: 'redis',
      authenticationMode: { type: 'iam' },
      accessString,
    });
    if (props.passwordUser === true) {
      // User ids share one namespace per account and region with the IAM users, which are named after
      // their replication groups: the hash keeps `<id>-pw-<hash>` from ever being another group's id.
      this.passwordUsername = Naming.name([replicationGroupId, 'pw', Naming.hash(replicationGroupId)], Naming.ELASTICACHE);
      const holder = env._lookup.claim(REPLICATION_GROUP_IDS, this.passwordUsername, this);
      if (holder && holder !== this) {
        throw invalid(this, 'passwordUser', true, `a password user whose id ${this.passwordUsername} is not the replication group id of ${holder.node.path}`);
      }
      this.passwordUserArn = arn(`user:${this.passwordUsername}`);
      this._passwordUser = new elasticacheUserLib.ElasticacheUser(this, 'PasswordUser', {
        userId: this.passwordUsername,
        // Created as an IAM user (its name must equal its id) that no role may connect as: nobody can log in until the password is set.
        userName: this.passwordUsername,
        engine: 'redis',
        authenticationMode: { type: 'iam' },
        accessString,
        lifecycle: { ignoreChanges: ['authentication_mode'] },
      });
    } else if (props.passwordUser !== undefined && props.passwordUser !== false) {
      throw invalid(this, 'passwordUser', props.passwordUser, 'true or false');
    }
    platform.recordDefault(this, 'passwordUser', props.passwordUser === true ? '**true** (a password exists: weaker than IAM)' : 'false',
      pavedDefault(props.passwordUser));
    this._userGroup = new elasticacheUserGroupLib.ElasticacheUserGroup(this, 'UserGroup', {
      userGroupId: replicationGroupId,
      engine: 'redis',
      userIds: [this._defaultUser.userId, this._user.userId, ...(this._passwordUser ? [this._passwordUser.userId] : [])],
    });

    this._replicationGroup = new elasticacheReplicationGroupLib.ElasticacheReplicationGroup(this, 'Resource', {
      replicationGroupId,
      description: `paved ${env.name}: ${pathBelowStack(this).join('/')}`,
      engine,
      engineVersion,
      autoMinorVersionUpgrade: 'true',
      nodeType: size.cache.nodeType,
      numCacheClusters: 1 + replicas,
      port: PORT,
      parameterGroupName: this._parameterGroup.name,
      subnetGroupName: this._subnetGroup.name,
      securityGroupIds: [this._securityGroup.id],
      atRestEncryptionEnabled: 'true',
      kmsKeyId: this.key.keyArn,
      transitEncryptionEnabled: true,
      transitEncryptionMode: 'required',
      userGroupIds: [this._userGroup.userGroupId],
      automaticFailoverEnabled: automaticFailover,
      multiAzEnabled: multiAz,
      snapshotRetentionLimit: snapshotRetentionDays,
      snapshotWindow,
      maintenanceWindow: MAINTENANCE_WINDOW,
      finalSnapshotIdentifier: finalSnapshot ? `${replicationGroupId}-final` : undefined,
      lifecycle: preventDestroy ? { preventDestroy: true } : undefined,
    });
    this.host = this._replicationGroup.primaryEndpointAddress;
    const alarms = createAlarms(this, elastiCacheAlarmDefinitions(replicationGroupId, size), props.alarms, [this._replicationGroup]);
    this.alarmDefinitions = alarms.definitions;
    this._alarms = alarms.alarms;

    allowFrom.forEach((securityGroupId, i) => this.addIngress(`allowFrom[${i}]`, securityGroupId, `Valkey/Redis from ${securityGroupId}`));
  }

  /**
   * Admits the cache's port (6379/tcp) from the security group `securityGroupId`.
   *
   * @param securityGroupId `sg-` followed by 8 or 17 lowercase hex digits, or a reference
   * @param description why the group is allowed; 1-255 letters, digits, spaces and `._-:/()#,@[]+=&;{}!$*`
   */
  public allowFrom(securityGroupId: string, description: string): void {
    if (typeof description !== 'string' || (!Token.isUnresolved(description) && !RULE_DESCRIPTION.test(description))) {
      throw invalid(this, 'description', description, '1-255 letters, digits, spaces and ._-:/()#,@[]+=&;{}!$*');
    }
    this.addIngress('securityGroupId', securityGroupId, description);
  }

  /**
   * Lets `grantee` log in as the application user with IAM
   * authentication: `elasticache:Connect` on this replication group and
   * this user only (IAM checks both).
   */
  public grantConnect(grantee: IGrantable): Grant {
    validateGrantee(this, grantee);
    const statement: PolicyStatement = {
      actions: ['elasticache:Connect'],
      resources: [this.replicationGroupArn, this.userArn],
    };
    grantee.addToPolicy(statement);
    return Grant._of(grantee, GrantPolicy.IDENTITY, [statement]);
  }

  /**
   * Lets `grantee` set the password of the password user:
   * `elasticache:ModifyUser` and `elasticache:DescribeUsers` on that user
   * only. Fails without `passwordUser`.
   */
  public grantSetPassword(grantee: IGrantable): Grant {
    validateGrantee(this, grantee);
    if (this.passwordUserArn === undefined) {
      throw invalid(this, 'passwordUser', false, 'true: grantSetPassword sets the password of the password user');
    }
    const statement: PolicyStatement = {
      actions: ['elasticache:ModifyUser', 'elasticache:DescribeUsers'],
      resources: [this.passwordUserArn],
    };
    grantee.addToPolicy(statement);
    return Grant._of(grantee, GrantPolicy.IDENTITY, [statement]);
  }

  private addIngress(property: string, securityGroupId: string, description: string): void {
    if (typeof securityGroupId !== 'string' || (!Token.isUnresolved(securityGroupId) && !SECURITY_GROUP_ID.test(securityGroupId))) {
      throw invalid(this, property, securityGroupId, 'a security group id: "sg-" followed by 8 or 17 lowercase hex digits');
    }
    if (this.allowedGroups.has(securityGroupId)) {
      throw invalid(this, property, securityGroupId, 'a security group not allowed already');
    }
    this.allowedGroups.add(securityGroupId);
    // Numbered in the order allowed: the group id may be a reference, unknown until apply.
    this._ingressRules.push(new vpcSecurityGroupIngressRuleLib.VpcSecurityGroupIngressRule(this, `Ingress${this._ingressRules.length + 1}`, {
      securityGroupId: this._securityGroup.id,
      referencedSecurityGroupId: securityGroupId,
      ipProtocol: 'tcp',
      fromPort: PORT,
      toPort: PORT,
      description,
    }));
  }

  private validateSnapshotWindow(window: string): void {
    const match = typeof window === 'string' ? WINDOW.exec(window) : null;
    const allowed = 'a daily UTC window "HH:MM-HH:MM" of at least 60 minutes that does not overlap the maintenance window (Sunday 05:00-06:00)';
    if (!match) { throw invalid(this, 'snapshotWindow', window, allowed); }
    const start = Number(match[1]) * 60 + Number(match[2]);
    let end = Number(match[3]) * 60 + Number(match[4]);
    if (end <= start) { end += 24 * 60; }
    // The window repeats daily: test it and its copy shifted by a day against the maintenance hour.
    const overlaps = [0, 24 * 60].some(shift => start - shift < MAINTENANCE_END && end - shift > MAINTENANCE_START);
    if (end - start < 60 || overlaps) {
      throw invalid(this, 'snapshotWindow', window, allowed);
    }
  }

  private validateNetwork(network: INetwork): INetwork {
    if (network === null || typeof network !== 'object' || typeof network.vpcId !== 'string' || !Array.isArray(network.isolatedSubnetIds)) {
      throw invalid(this, 'network', network === null || typeof network !== 'object' ? network : network.node?.path,
        'an INetwork (new Network(...), Network.fromAttributes(...) or Network.of(env))');
    }
    if (!Token.isUnresolved(network.isolatedSubnetIds) && network.isolatedSubnetIds.length < 2) {
      throw invalid(this, 'network', network.node.path,
        `a network with at least 2 isolated subnets in different availability zones (replicas and failover need two); it has ${network.isolatedSubnetIds.length}`);
    }
    return network;
  }
}
