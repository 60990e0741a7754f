import type { CloudwatchMetricAlarm } from '@cdktf/provider-aws/lib/cloudwatch-metric-alarm';
import type { DbInstance } from '@cdktf/provider-aws/lib/db-instance';
import type { DbParameterGroup } from '@cdktf/provider-aws/lib/db-parameter-group';
import type { DbSubnetGroup } from '@cdktf/provider-aws/lib/db-subnet-group';
import type { IamRole } from '@cdktf/provider-aws/lib/iam-role';
import type { SecurityGroup } from '@cdktf/provider-aws/lib/security-group';
import type { VpcSecurityGroupIngressRule } from '@cdktf/provider-aws/lib/vpc-security-group-ingress-rule';
import { TerraformResource } from 'cdktf';
import { Construct } from 'constructs';
import { AlarmDefinition, createAlarms, rdsAlarmDefinitions } from './cloudwatch-alarms';
import { DatabaseInstanceAttributes, DatabaseInstanceBase, IDatabaseInstance, ImportedDatabaseInstance } from './database-instance';
import { DatabaseInstanceProps } from './database-instance-props';
import { Key } from './key';
import {
  RdsIngress, addRdsIngress, createRdsKey, createRdsMonitoringRole, createRdsSecurityGroup, createRdsSubnetGroup, defaultDatabaseName,
  lowercasePathBelowStack, rdsIdentifier, rdsInstanceArn, rdsInstanceConfig, rdsProtection, recordRdsDefaults,
  registerRdsInstance, validateAllowFrom, validateRdsNetwork, validateRuleDescription,
} from './rds-common';
import { checkArguments, checkedScope } from '../core/api-guard';
import { Environment } from '../core/environment';
import { invalid } from '../core/errors';
import { lazyModule } from '../core/lazy-module';
import { Size } from '../core/size';

const dbInstanceLib = lazyModule<typeof import('@cdktf/provider-aws/lib/db-instance')>('@cdktf/provider-aws/lib/db-instance');
const dbParameterGroupLib = lazyModule<typeof import('@cdktf/provider-aws/lib/db-parameter-group')>('@cdktf/provider-aws/lib/db-parameter-group');

/** Properties of a {@link Postgres}. */
export interface PostgresProps extends DatabaseInstanceProps {
  /**
   * Name of the database created on the instance: 1-63 lowercase letters,
   * digits and underscores, starting with a letter.
   * @default - the construct path below the environment, lowercased, joined with `_`
   */
  readonly databaseName?: string;
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
}

const PORT = 5432;
const DEFAULT_ENGINE_VERSION = '16.11';
const ENGINE_VERSION = /^16\.\d{1,2}$/;
const PARAMETER_GROUP_FAMILY = 'postgres16';
const DEFAULT_MASTER_USERNAME = 'paved_admin';
/** Statements slower than this are logged, with their duration. */
const SLOW_STATEMENT_MS = 1000;
const PG_NAME = /^[a-z][a-z0-9_]{0,62}$/;
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
export class Postgres extends DatabaseInstanceBase {
  /**
   * An existing RDS for PostgreSQL instance, by its attributes: for workloads
   * and grants (`grantConnect`). Nothing is created.
   */
  public static fromAttributes(scope: Construct, id: string, attrs: DatabaseInstanceAttributes): IDatabaseInstance {
    checkArguments('Postgres.fromAttributes', arguments);
    return new ImportedDatabaseInstance(scope, id, 'postgres', attrs);
  }

  /** The engine, `postgres`. */
  public readonly engine: string = 'postgres';
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
  /** @internal */
  public readonly _instance: DbInstance;
  /** The DB instance, for escape hatches. */
  public get instance(): TerraformResource {
    return this._instance;
  }
  /** @internal */
  public readonly _subnetGroup: DbSubnetGroup;
  /** The DB subnet group, for escape hatches. */
  public get subnetGroup(): TerraformResource {
    return this._subnetGroup;
  }
  /** @internal */
  public readonly _parameterGroup: DbParameterGroup;
  /** The DB parameter group, for escape hatches. */
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
  public readonly _monitoringRole: IamRole;
  /** The role enhanced monitoring publishes metrics with, for escape hatches. */
  public get monitoringRole(): TerraformResource {
    return this._monitoringRole;
  }
  /** The KMS key of storage, Performance Insights and the master secret. */
  public readonly key: Key;
  /** ARN of `key`, which encrypts the RDS-managed master user secret (always set: the instance has its own key). */
  public readonly masterUserSecretKeyArn?: string;
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

  private readonly ingress: RdsIngress;

  constructor(scope: Construct, id: string, props: PostgresProps) {
    super(checkedScope(scope, 'Postgres', arguments), id);
    const env = Environment.containing(this);

    const network = validateRdsNetwork(this, props.network);
    const size = props.size ?? Size.M;
    const identifier = rdsIdentifier(this, props.identifier);
    const databaseName = props.databaseName ?? defaultDatabaseName(lowercasePathBelowStack(this), 63, RESERVED_DATABASES);
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
    const protection = rdsProtection(this, props);
    const allowFrom = validateAllowFrom(this, props.allowFrom);
    recordRdsDefaults(this, props, size, engineVersion, protection);

    this.size = size;
    this.identifier = identifier;
    registerRdsInstance(this);
    this.databaseName = databaseName;
    this.username = username;
    this.port = PORT;

    this.key = createRdsKey(this, identifier, protection.preventDestroy);
    this.masterUserSecretKeyArn = this.key.keyArn;
    this._subnetGroup = createRdsSubnetGroup(this, identifier, network);
    this._securityGroup = createRdsSecurityGroup(this, identifier, network, 'PostgreSQL');
    this.securityGroupId = this._securityGroup.id;

    this._parameterGroup = new dbParameterGroupLib.DbParameterGroup(this, 'ParameterGroup', {
      name: `${identifier}-${PARAMETER_GROUP_FAMILY}`,
      family: PARAMETER_GROUP_FAMILY,
      description: `RDS instance ${identifier}: TLS only, DDL and slow statement logging`,
      parameter: [
        { name: 'rds.force_ssl', value: '1' },
        { name: 'log_statement', value: 'ddl' },
        { name: 'log_min_duration_statement', value: String(SLOW_STATEMENT_MS) },
      ],
    });

    const monitoring = createRdsMonitoringRole(this, identifier);
    this._monitoringRole = monitoring.role;

    this._instance = new dbInstanceLib.DbInstance(this, 'Resource', {
      ...rdsInstanceConfig({
        identifier,
        size,
        protection,
        key: this.key,
        subnetGroup: this._subnetGroup,
        securityGroup: this._securityGroup,
        monitoring,
        performanceInsights: true,
      }),
      engine: 'postgres',
      engineVersion,
      dbName: databaseName,
      username,
      port: PORT,
      parameterGroupName: this._parameterGroup.name,
      enabledCloudwatchLogsExports: ['postgresql', 'upgrade'],
    });
    this.host = this._instance.address;
    this.instanceArn = rdsInstanceArn(env, identifier);
    this.resourceId = this._instance.resourceId;
    this.masterUserSecretArn = this._instance.masterUserSecret.get(0).secretArn;
    const alarms = createAlarms(this, rdsAlarmDefinitions(identifier, 'postgres', size, this._instance.storageTypeInput ?? 'gp3'), props.alarms, [this._instance]);
    this.alarmDefinitions = alarms.definitions;
    this._alarms = alarms.alarms;

    this.ingress = { scope: this, securityGroup: this._securityGroup, port: PORT, rules: this._ingressRules, allowed: new Set() };
    allowFrom.forEach((securityGroupId, i) => addRdsIngress(this.ingress, `allowFrom[${i}]`, securityGroupId, `PostgreSQL from ${securityGroupId}`));
  }

  /**
   * Admits PostgreSQL (5432/tcp) from the security group `securityGroupId`.
   *
   * @param securityGroupId `sg-` followed by 8 or 17 lowercase hex digits, or a reference
   * @param description why the group is allowed; 1-255 letters, digits, spaces and `._-:/()#,@[]+=&;{}!$*`
   */
  public allowFrom(securityGroupId: string, description: string): void {
    validateRuleDescription(this, description);
    addRdsIngress(this.ingress, 'securityGroupId', securityGroupId, description);
  }
}
