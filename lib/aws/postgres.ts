import { DbInstance } from '@cdktf/provider-aws/lib/db-instance';
import { DbParameterGroup } from '@cdktf/provider-aws/lib/db-parameter-group';
import { DbSubnetGroup } from '@cdktf/provider-aws/lib/db-subnet-group';
import { IamRole } from '@cdktf/provider-aws/lib/iam-role';
import { IamRolePolicyAttachment } from '@cdktf/provider-aws/lib/iam-role-policy-attachment';
import { SecurityGroup } from '@cdktf/provider-aws/lib/security-group';
import { VpcSecurityGroupIngressRule } from '@cdktf/provider-aws/lib/vpc-security-group-ingress-rule';
import { Token } from 'cdktf';
import { Construct } from 'constructs';
import { Key } from './key';
import { INetwork } from './network';
import { IWorkloadIdentity, validateGrantTarget } from './workload-identity';
import { Environment } from '../core/environment';
import { invalid } from '../core/errors';
import { Naming } from '../core/naming';
import { Platform } from '../core/platform';
import { Registry } from '../core/registry';
import { Size } from '../core/size';
import { validateInteger } from '../core/validation';

/** Properties of a {@link Postgres}. */
export interface PostgresProps {
  /** The network whose isolated subnets the database is placed in (at least two, in different AZs). */
  readonly network: INetwork;
  /**
   * Instance class, storage and maximum storage (`size.database`).
   * @default Size.M — db.t4g.medium, 50 GiB growing up to 200 GiB
   */
  readonly size?: Size;
  /**
   * Security groups allowed to connect on port 5432, typically the
   * cluster's node security group. More can be added with `allowFrom()`.
   * @default [] - no client can reach the database until one is allowed
   */
  readonly allowFrom?: string[];
  /**
   * Name of the database created on the instance: 1-63 lowercase letters,
   * digits and underscores, starting with a letter.
   * @default - the construct path below the environment, lowercased, joined with `_`
   */
  readonly databaseName?: string;
  /**
   * The RDS instance identifier (also names the subnet, parameter and
   * security groups): 1-63 lowercase letters, digits and hyphens, starting
   * with a letter, no `--`, not ending with `-`. Changing it replaces the database.
   * @default - `<env>-<construct path below the environment>`, shortened with a hash beyond 63 characters
   */
  readonly identifier?: string;
  /**
   * Master user name: 1-63 lowercase letters, digits and underscores,
   * starting with a letter; its password is generated and kept by RDS in
   * Secrets Manager. Changing it replaces the database.
   * @default 'paved_admin'
   */
  readonly masterUsername?: string;
  /**
   * PostgreSQL 16 minor version to create the instance with (`16.<minor>`).
   * RDS owns the minor version after that: it upgrades automatically in the
   * maintenance window, and Terraform ignores the difference (a pinned
   * version older than the running one would otherwise plan a downgrade
   * that RDS refuses). Use a version RDS still offers for new instances.
   * @default '16.11'
   */
  readonly engineVersion?: string;
  /**
   * Keep a synchronous standby in another availability zone.
   * @default - the environment profile's `multiAz` (DEV false, PROD true)
   */
  readonly multiAz?: boolean;
  /**
   * Days automated backups are kept (1-35).
   * @default - the environment profile's `backupRetentionDays` (DEV 1, STAGING 7, PROD 30)
   */
  readonly backupRetentionDays?: number;
  /**
   * Turn on RDS deletion protection; also takes a final snapshot and keeps
   * automated backups when the instance is deleted.
   * @default - the environment profile's `deletionProtection` (DEV false, STAGING and PROD true)
   */
  readonly deletionProtection?: boolean;
  /**
   * Set Terraform's `lifecycle.prevent_destroy` on the instance and its key.
   * Requires `deletionProtection`.
   * @default - the environment profile's `preventDestroy` (DEV and STAGING false, PROD true)
   */
  readonly preventDestroy?: boolean;
}

/** Databases by environment, to reject duplicate identifiers without walking the tree. */
const DATABASES = new Registry<Postgres>();
const PORT = 5432;
const DEFAULT_ENGINE_VERSION = '16.11';
const ENGINE_VERSION = /^16\.\d{1,2}$/;
const PARAMETER_GROUP_FAMILY = 'postgres16';
const DEFAULT_MASTER_USERNAME = 'paved_admin';
/** Statements slower than this are logged, with their duration. */
const SLOW_STATEMENT_MS = 1000;
/** Performance Insights retention that costs nothing. */
const PERFORMANCE_INSIGHTS_RETENTION_DAYS = 7;
const MONITORING_INTERVAL_SECONDS = 60;
const IDENTIFIER = /^[a-z](?!.*--)([a-z0-9-]*[a-z0-9])?$/;
const PG_NAME = /^[a-z][a-z0-9_]{0,62}$/;
const DB_USER = /^[A-Za-z_][A-Za-z0-9_]{0,62}$/;
const SECURITY_GROUP_ID = /^sg-([0-9a-f]{8}|[0-9a-f]{17})$/;
/** What EC2 accepts in a security group rule description. */
const RULE_DESCRIPTION = /^[A-Za-z0-9 ._\-:/()#,@[\]+=&;{}!$*]{1,255}$/;
/** Databases every RDS PostgreSQL instance already has. */
const RESERVED_DATABASES = ['postgres', 'rdsadmin', 'template0', 'template1'];
/** Roles RDS or PostgreSQL reserve. */
const RESERVED_USERS = ['postgres', 'rdsadmin', 'rdsrepladmin', 'rds_superuser', 'rds_iam', 'rds_replication', 'rds_password', 'public'];

/**
 * An RDS for PostgreSQL 16 instance in the network's isolated subnets.
 *
 * Secure defaults:
 * - no public access: isolated subnets only, and a security group of its
 *   own that admits port 5432 only from the security groups allowed
 *   (`allowFrom`), each rule with a description; no egress rules;
 * - TLS only (`rds.force_ssl = 1`), IAM database authentication on;
 * - storage, Performance Insights and the master user secret encrypted with
 *   a customer managed KMS key of its own (rotation on);
 * - the master password is generated and rotated by RDS in Secrets Manager
 *   (`manage_master_user_password`): it never appears in the Terraform
 *   configuration or state;
 * - DDL and statements slower than a second are logged, and the
 *   `postgresql` and `upgrade` logs are exported to CloudWatch Logs;
 * - enhanced monitoring every 60 s, Performance Insights (7 days, free);
 * - minor versions upgraded automatically by RDS (the engine version is
 *   pinned at creation and left to RDS after that), tags copied to snapshots;
 * - from the profile: multi-AZ, backup retention, deletion protection with
 *   a final snapshot, and `prevent_destroy` (PROD).
 *
 * Instance class, storage and storage autoscaling limit come from the size.
 *
 * @example
 * const db = new Postgres(env, 'OrdersDb', { network, allowFrom: [cluster.nodeSecurityGroupId] });
 * db.grantConnect(identity, 'orders');
 */
export class Postgres extends Construct {
  /** The DNS name of the instance (a reference resolved at apply time). */
  public readonly host: string;
  /** The port, 5432. */
  public readonly port: number;
  /** Name of the database created on the instance. */
  public readonly databaseName: string;
  /** Master user name. */
  public readonly username: string;
  /** The RDS instance identifier. */
  public readonly identifier: string;
  /**
   * ARN of the instance, built from the identifier: a literal string known at
   * synth time, so Kubernetes manifests can name the instance (the RDS-managed
   * secret is tagged with it).
   */
  public readonly instanceArn: string;
  /** ARN of the Secrets Manager secret, managed by RDS, that holds the master user's credentials. */
  public readonly masterUserSecretArn: string;
  /** The instance's resource id (`db-...`), used in IAM authentication ARNs. */
  public readonly resourceId: string;
  /** Id of the instance's security group. */
  public readonly securityGroupId: string;
  /** The size the instance was made with. */
  public readonly size: Size;
  /** The DB instance, for escape hatches. */
  public readonly instance: DbInstance;
  /** The DB subnet group, for escape hatches. */
  public readonly subnetGroup: DbSubnetGroup;
  /** The DB parameter group, for escape hatches. */
  public readonly parameterGroup: DbParameterGroup;
  /** The security group, for escape hatches. */
  public readonly securityGroup: SecurityGroup;
  /** The role enhanced monitoring publishes metrics with, for escape hatches. */
  public readonly monitoringRole: IamRole;
  /** The KMS key of storage, Performance Insights and the master secret. */
  public readonly key: Key;
  /** The ingress rules, in the order allowed, for escape hatches. */
  public readonly ingressRules: VpcSecurityGroupIngressRule[] = [];

  private readonly allowedGroups = new Set<string>();

  constructor(scope: Construct, id: string, props: PostgresProps) {
    super(scope, id);
    const env = Environment.containing(this);
    const profile = env.profile;
    const platform = Platform.of(this);
    const relative = this.node.path.split('/').slice(env.node.path.split('/').length).map(s => s.toLowerCase());

    const network = this.validateNetwork(props.network);
    const size = props.size ?? Size.M;
    const identifier = props.identifier ?? Naming.name([env.name, ...relative], Naming.RDS);
    if (typeof identifier !== 'string' || identifier.length > Naming.RDS.maxLength || !IDENTIFIER.test(identifier)) {
      throw invalid(this, 'identifier', identifier,
        `an RDS identifier: 1-${Naming.RDS.maxLength} lowercase letters, digits and hyphens, starting with a letter, no "--", not ending with "-"`);
    }
    const taken = DATABASES.of(env).find(db => db.identifier === identifier);
    if (taken) {
      throw invalid(this, 'identifier', identifier, `an identifier not used by ${taken.node.path} of the same environment`);
    }
    const databaseName = props.databaseName ?? defaultDatabaseName(relative);
    if (typeof databaseName !== 'string' || !PG_NAME.test(databaseName) || RESERVED_DATABASES.includes(databaseName)) {
      throw invalid(this, 'databaseName', databaseName,
        `a PostgreSQL database name: 1-63 lowercase letters, digits and underscores, starting with a letter, not ${RESERVED_DATABASES.join(', ')}`);
    }
    const username = props.masterUsername ?? DEFAULT_MASTER_USERNAME;
    if (typeof username !== 'string' || !PG_NAME.test(username) || RESERVED_USERS.includes(username) || username.startsWith('pg_')) {
      throw invalid(this, 'masterUsername', username,
        `a PostgreSQL role name: 1-63 lowercase letters, digits and underscores, starting with a letter, not pg_* or ${RESERVED_USERS.join(', ')}`);
    }
    const engineVersion = props.engineVersion ?? DEFAULT_ENGINE_VERSION;
    if (typeof engineVersion !== 'string' || !ENGINE_VERSION.test(engineVersion)) {
      throw invalid(this, 'engineVersion', engineVersion, 'a PostgreSQL 16 minor version such as "16.11"');
    }
    const multiAz = props.multiAz ?? profile.multiAz;
    const backupRetentionDays = props.backupRetentionDays ?? profile.backupRetentionDays;
    validateInteger(this, 'backupRetentionDays', backupRetentionDays, 1, 35);
    const deletionProtection = props.deletionProtection ?? profile.deletionProtection;
    const preventDestroy = props.preventDestroy ?? profile.preventDestroy;
    if (preventDestroy && !deletionProtection) {
      throw invalid(this, 'deletionProtection', deletionProtection,
        'true while preventDestroy is true (set preventDestroy: false too, or keep deletion protection)');
    }
    const allowFrom = props.allowFrom ?? [];
    if (!Array.isArray(allowFrom)) {
      throw invalid(this, 'allowFrom', allowFrom, 'a list of security group ids');
    }

    const profileSource = `profile ${profile.name}`;
    const sizeSource = `size ${size.name}`;
    const source = (given: unknown) => given === undefined ? profileSource : 'override';
    platform.recordDefault(this, 'size', size.name, props.size === undefined ? 'paved default' : 'override');
    platform.recordDefault(this, 'instanceClass', size.database.instanceClass, sizeSource);
    platform.recordDefault(this, 'storageGiB', String(size.database.storageGiB), sizeSource);
    platform.recordDefault(this, 'maxStorageGiB', String(size.database.maxStorageGiB), sizeSource);
    platform.recordDefault(this, 'engineVersion', engineVersion, props.engineVersion === undefined ? 'paved default' : 'override');
    platform.recordDefault(this, 'multiAz', String(multiAz), source(props.multiAz));
    platform.recordDefault(this, 'backupRetentionDays', String(backupRetentionDays), source(props.backupRetentionDays));
    platform.recordDefault(this, 'deletionProtection', String(deletionProtection), source(props.deletionProtection));
    platform.recordDefault(this, 'preventDestroy', String(preventDestroy), source(props.preventDestroy));

    this.size = size;
    this.identifier = identifier;
    DATABASES.add(env, this);
    this.databaseName = databaseName;
    this.username = username;
    this.port = PORT;

    this.key = new Key(this, 'Key', {
      description: `Encrypts storage, Performance Insights and the master user secret of RDS instance ${identifier}`,
      alias: `rds/${identifier}`,
      preventDestroy,
    });

    this.subnetGroup = new DbSubnetGroup(this, 'SubnetGroup', {
      name: identifier,
      description: `Isolated subnets of RDS instance ${identifier}`,
      subnetIds: network.isolatedSubnetIds,
    });

    this.securityGroup = new SecurityGroup(this, 'SecurityGroup', {
      // A name starting with "sg-" is refused by EC2.
      name: `rds-${identifier}`,
      description: `RDS instance ${identifier}: PostgreSQL from allowed security groups only`,
      vpcId: network.vpcId,
      tags: { Name: `rds-${identifier}` },
    });
    this.securityGroupId = this.securityGroup.id;

    this.parameterGroup = new DbParameterGroup(this, 'ParameterGroup', {
      name: `${identifier}-${PARAMETER_GROUP_FAMILY}`,
      family: PARAMETER_GROUP_FAMILY,
      description: `RDS instance ${identifier}: TLS only, DDL and slow statement logging`,
      parameter: [
        { name: 'rds.force_ssl', value: '1' },
        { name: 'log_statement', value: 'ddl' },
        { name: 'log_min_duration_statement', value: String(SLOW_STATEMENT_MS) },
      ],
    });

    const monitoringPrincipal = 'monitoring.rds.amazonaws.com';
    this.monitoringRole = new IamRole(this, 'MonitoringRole', {
      name: Naming.name([identifier, 'monitoring'], Naming.IAM_ROLE),
      description: `Enhanced monitoring of RDS instance ${identifier}`,
      assumeRolePolicy: JSON.stringify({
        Version: '2012-10-17',
        Statement: [{
          Effect: 'Allow',
          Principal: { Service: monitoringPrincipal },
          Action: 'sts:AssumeRole',
          Condition: {
            StringEquals: { 'aws:SourceAccount': env.account },
            ArnLike: { 'aws:SourceArn': `arn:${env.partition}:rds:${env.region}:${env.account}:db:${identifier}` },
          },
        }],
      }),
    });
    const monitoringPolicy = new IamRolePolicyAttachment(this, 'MonitoringRolePolicy', {
      role: this.monitoringRole.name,
      policyArn: `arn:${env.partition}:iam::aws:policy/service-role/AmazonRDSEnhancedMonitoringRole`,
    });

    this.instance = new DbInstance(this, 'Resource', {
      identifier,
      engine: 'postgres',
      engineVersion,
      autoMinorVersionUpgrade: true,
      allowMajorVersionUpgrade: false,
      instanceClass: size.database.instanceClass,
      storageType: 'gp3',
      allocatedStorage: size.database.storageGiB,
      maxAllocatedStorage: size.database.maxStorageGiB,
      storageEncrypted: true,
      kmsKeyId: this.key.keyArn,
      dbName: databaseName,
      username,
      manageMasterUserPassword: true,
      masterUserSecretKmsKeyId: this.key.keyArn,
      iamDatabaseAuthenticationEnabled: true,
      port: PORT,
      dbSubnetGroupName: this.subnetGroup.name,
      vpcSecurityGroupIds: [this.securityGroup.id],
      publiclyAccessible: false,
      parameterGroupName: this.parameterGroup.name,
      multiAz,
      backupRetentionPeriod: backupRetentionDays,
      copyTagsToSnapshot: true,
      deletionProtection,
      skipFinalSnapshot: !deletionProtection,
      finalSnapshotIdentifier: deletionProtection ? `${identifier}-final` : undefined,
      deleteAutomatedBackups: !deletionProtection,
      performanceInsightsEnabled: true,
      performanceInsightsKmsKeyId: this.key.keyArn,
      performanceInsightsRetentionPeriod: PERFORMANCE_INSIGHTS_RETENTION_DAYS,
      enabledCloudwatchLogsExports: ['postgresql', 'upgrade'],
      monitoringInterval: MONITORING_INTERVAL_SECONDS,
      monitoringRoleArn: this.monitoringRole.arn,
      // RDS checks the role's permissions when the instance is created.
      dependsOn: [monitoringPolicy],
      lifecycle: {
        ...(preventDestroy ? { preventDestroy: true } : {}),
        // Automatic minor upgrades move the running version past the configured one.
        ignoreChanges: ['engine_version'],
      },
    });
    this.host = this.instance.address;
    this.instanceArn = `arn:${env.partition}:rds:${env.region}:${env.account}:db:${identifier}`;
    this.resourceId = this.instance.resourceId;
    this.masterUserSecretArn = this.instance.masterUserSecret.get(0).secretArn;

    allowFrom.forEach((securityGroupId, i) => this.addIngress(`allowFrom[${i}]`, securityGroupId, `PostgreSQL from ${securityGroupId}`));
  }

  /**
   * Admits PostgreSQL (5432/tcp) from the security group `securityGroupId`.
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
   * Lets `identity` connect as database user `dbUser` with IAM
   * authentication: `rds-db:connect` on
   * `arn:<partition>:rds-db:<region>:<account>:dbuser:<resource id>/<dbUser>` only.
   * The user must exist in the database and be granted the `rds_iam` role.
   *
   * @param identity the workload identity to grant to
   * @param dbUser the PostgreSQL user: 1-63 letters, digits and underscores, not starting with a digit
   */
  public grantConnect(identity: IWorkloadIdentity, dbUser: string): void {
    validateGrantTarget(this, identity);
    if (typeof dbUser !== 'string' || (!Token.isUnresolved(dbUser) && !DB_USER.test(dbUser))) {
      throw invalid(this, 'dbUser', dbUser, 'a PostgreSQL user name: 1-63 letters, digits and underscores, not starting with a digit');
    }
    const env = Environment.containing(this);
    identity.addToPolicy({
      actions: ['rds-db:connect'],
      resources: [`arn:${env.partition}:rds-db:${env.region}:${env.account}:dbuser:${this.resourceId}/${dbUser}`],
    });
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
    this.ingressRules.push(new VpcSecurityGroupIngressRule(this, `Ingress${this.ingressRules.length + 1}`, {
      securityGroupId: this.securityGroup.id,
      referencedSecurityGroupId: securityGroupId,
      ipProtocol: 'tcp',
      fromPort: PORT,
      toPort: PORT,
      description,
    }));
  }

  private validateNetwork(network: INetwork): INetwork {
    if (network === null || typeof network !== 'object' || typeof network.vpcId !== 'string' || !Array.isArray(network.isolatedSubnetIds)) {
      throw invalid(this, 'network', network === null || typeof network !== 'object' ? network : network.node?.path,
        'an INetwork (new Network(...), Network.fromAttributes(...) or Network.of(env))');
    }
    if (!Token.isUnresolved(network.isolatedSubnetIds) && network.isolatedSubnetIds.length < 2) {
      throw invalid(this, 'network', network.node.path,
        `a network with at least 2 isolated subnets in different availability zones (RDS subnet groups need two); it has ${network.isolatedSubnetIds.length}`);
    }
    return network;
  }
}

/** `orders_db` for the path `orders/db`: a valid PostgreSQL name that is not reserved. */
function defaultDatabaseName(relative: string[]): string {
  let name = relative.join('_').replace(/[^a-z0-9]+/g, '_').replace(/^_+|_+$/g, '');
  if (!/^[a-z]/.test(name)) { name = `db_${name}`; }
  name = name.slice(0, 63).replace(/_+$/, '');
  return RESERVED_DATABASES.includes(name) ? `${name}_db` : name;
}
