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
import { Platform } from '../core/platform';
import { Size } from '../core/size';

const dbInstanceLib = lazyModule<typeof import('@cdktf/provider-aws/lib/db-instance')>('@cdktf/provider-aws/lib/db-instance');
const dbParameterGroupLib = lazyModule<typeof import('@cdktf/provider-aws/lib/db-parameter-group')>('@cdktf/provider-aws/lib/db-parameter-group');

/** Properties of a {@link Mysql}. */
export interface MysqlProps extends DatabaseInstanceProps {
  /**
   * Name of the database created on the instance: 1-64 lowercase letters,
   * digits and underscores, starting with a letter, not one MySQL keeps for
   * itself (information_schema, mysql, performance_schema, sys).
   * @default - the construct path below the environment, lowercased, joined with `_`
   */
  readonly databaseName?: string;
  /**
   * Master user name: 1-16 lowercase letters, digits and underscores,
   * starting with a letter (RDS's limit for MySQL); its password is
   * generated and kept by RDS in Secrets Manager. Changing it replaces the database.
   * @default 'paved_admin'
   */
  readonly masterUsername?: string;
  /**
   * MySQL 8.4 (LTS) minor version to create the instance with (`8.4.<minor>`).
   * RDS owns the minor version after that: it upgrades automatically in the
   * maintenance window, and Terraform ignores the difference (a pinned
   * version older than the running one would otherwise plan a downgrade
   * that RDS refuses). Use a version RDS still offers for new instances.
   * @default '8.4.7'
   */
  readonly engineVersion?: string;
}

const PORT = 3306;
const DEFAULT_ENGINE_VERSION = '8.4.7';
const ENGINE_VERSION = /^8\.4\.\d{1,2}$/;
const PARAMETER_GROUP_FAMILY = 'mysql8.4';
const DEFAULT_MASTER_USERNAME = 'paved_admin';
/** Queries slower than this many seconds go to the slow query log. */
const LONG_QUERY_SECONDS = 1;
const DATABASE_NAME = /^[a-z][a-z0-9_]{0,63}$/;
const MASTER_USERNAME = /^[a-z][a-z0-9_]{0,15}$/;
/** Schemas every MySQL server already has. */
const RESERVED_DATABASES = ['information_schema', 'mysql', 'performance_schema', 'sys'];
/** Users RDS keeps for itself. */
const RESERVED_USERS = ['rdsadmin', 'rdsrepladmin'];
/** Instance classes on which RDS offers no Performance Insights for MySQL. */
const NO_PERFORMANCE_INSIGHTS = /^db\.t(2|3|4g)\.(micro|small)$/;

/**
 * An RDS for MySQL 8.4 (LTS) instance in the network's isolated subnets.
 *
 * Secure defaults:
 * - no public access: isolated subnets only, and a security group of its
 *   own that admits port 3306 only from the security groups allowed
 *   (`allowFrom`), each rule with a description; no egress rules;
 * - TLS only (`require_secure_transport = 1`), IAM database authentication on;
 * - storage, Performance Insights and the master user secret encrypted with
 *   a customer managed KMS key of its own (rotation on);
 * - the master password is generated and rotated by RDS in Secrets Manager
 *   (`manage_master_user_password`): it never appears in the Terraform
 *   configuration or state;
 * - queries slower than a second go to the slow query log, and the `error`
 *   and `slowquery` logs are exported to CloudWatch Logs (the general log,
 *   which holds every statement with its values, stays off);
 * - enhanced monitoring every 60 s, Performance Insights (7 days, free)
 *   where RDS offers it for MySQL (not on micro and small burstable classes);
 * - minor versions upgraded automatically by RDS (the engine version is
 *   pinned at creation and left to RDS after that), tags copied to snapshots;
 * - from the profile: multi-AZ, backup retention, deletion protection with
 *   a final snapshot, and `prevent_destroy` (PROD).
 *
 * Instance class, storage and storage autoscaling limit come from the size.
 *
 * @example
 * const db = new Mysql(env, 'OrdersDb', { network, allowFrom: [cluster.nodeSecurityGroupId] });
 * db.grantConnect(identity, 'orders');
 */
export class Mysql extends DatabaseInstanceBase {
  /**
   * An existing RDS for MySQL instance, by its attributes: for workloads
   * and grants (`grantConnect`). Nothing is created.
   */
  public static fromAttributes(scope: Construct, id: string, attrs: DatabaseInstanceAttributes): IDatabaseInstance {
    checkArguments('Mysql.fromAttributes', arguments);
    return new ImportedDatabaseInstance(scope, id, 'mysql', attrs);
  }

  /** The engine, `mysql`. */
  public readonly engine: string = 'mysql';
  /** The DNS name of the instance (a reference resolved at apply time). */
  public readonly host: string;
  /** The port, 3306. */
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
  /** Whether Performance Insights is on: false on the classes where RDS offers none for MySQL. */
  public readonly performanceInsights: boolean;
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

  constructor(scope: Construct, id: string, props: MysqlProps) {
    super(checkedScope(scope, 'Mysql', arguments), id);
    const env = Environment.containing(this);

    const network = validateRdsNetwork(this, props.network);
    const size = props.size ?? Size.M;
    const identifier = rdsIdentifier(this, props.identifier);
    const databaseName = props.databaseName ?? defaultDatabaseName(lowercasePathBelowStack(this), 64, RESERVED_DATABASES);
    if (typeof databaseName !== 'string' || !DATABASE_NAME.test(databaseName) || RESERVED_DATABASES.includes(databaseName)) {
      throw invalid(this, 'databaseName', databaseName,
        `a MySQL database name: 1-64 lowercase letters, digits and underscores, starting with a letter, not ${RESERVED_DATABASES.join(', ')}`);
    }
    const username = props.masterUsername ?? DEFAULT_MASTER_USERNAME;
    if (typeof username !== 'string' || !MASTER_USERNAME.test(username) || RESERVED_USERS.includes(username)) {
      throw invalid(this, 'masterUsername', username,
        `a MySQL master user name: 1-16 lowercase letters, digits and underscores, starting with a letter, not ${RESERVED_USERS.join(', ')}`);
    }
    const engineVersion = props.engineVersion ?? DEFAULT_ENGINE_VERSION;
    if (typeof engineVersion !== 'string' || !ENGINE_VERSION.test(engineVersion)) {
      throw invalid(this, 'engineVersion', engineVersion, 'a MySQL 8.4 minor version such as "8.4.7"');
    }
    const protection = rdsProtection(this, props);
    const allowFrom = validateAllowFrom(this, props.allowFrom);
    const performanceInsights = !NO_PERFORMANCE_INSIGHTS.test(size.database.instanceClass);
    recordRdsDefaults(this, props, size, engineVersion, protection);
    Platform.of(this).recordDefault(this, 'performanceInsights', String(performanceInsights), `size ${size.name}`);

    this.size = size;
    this.identifier = identifier;
    registerRdsInstance(this);
    this.databaseName = databaseName;
    this.username = username;
    this.port = PORT;
    this.performanceInsights = performanceInsights;

    this.key = createRdsKey(this, identifier, protection.preventDestroy);
    this.masterUserSecretKeyArn = this.key.keyArn;
    this._subnetGroup = createRdsSubnetGroup(this, identifier, network);
    this._securityGroup = createRdsSecurityGroup(this, identifier, network, 'MySQL');
    this.securityGroupId = this._securityGroup.id;

    this._parameterGroup = new dbParameterGroupLib.DbParameterGroup(this, 'ParameterGroup', {
      // Parameter group names take no dots.
      name: `${identifier}-${PARAMETER_GROUP_FAMILY.replace('.', '')}`,
      family: PARAMETER_GROUP_FAMILY,
      description: `RDS instance ${identifier}: TLS only, slow query logging`,
      parameter: [
        { name: 'require_secure_transport', value: '1' },
        { name: 'slow_query_log', value: '1' },
        { name: 'long_query_time', value: String(LONG_QUERY_SECONDS) },
        // RDS exports only file logs to CloudWatch Logs.
        { name: 'log_output', value: 'FILE' },
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
        performanceInsights,
      }),
      engine: 'mysql',
      engineVersion,
      dbName: databaseName,
      username,
      port: PORT,
      parameterGroupName: this._parameterGroup.name,
      enabledCloudwatchLogsExports: ['error', 'slowquery'],
    });
    this.host = this._instance.address;
    this.instanceArn = rdsInstanceArn(env, identifier);
    this.resourceId = this._instance.resourceId;
    this.masterUserSecretArn = this._instance.masterUserSecret.get(0).secretArn;
    const alarms = createAlarms(this, rdsAlarmDefinitions(identifier, 'mysql', size, this._instance.storageTypeInput ?? 'gp3'), props.alarms, [this._instance]);
    this.alarmDefinitions = alarms.definitions;
    this._alarms = alarms.alarms;

    this.ingress = { scope: this, securityGroup: this._securityGroup, port: PORT, rules: this._ingressRules, allowed: new Set() };
    allowFrom.forEach((securityGroupId, i) => addRdsIngress(this.ingress, `allowFrom[${i}]`, securityGroupId, `MySQL from ${securityGroupId}`));
  }

  /**
   * Admits MySQL (3306/tcp) from the security group `securityGroupId`.
   *
   * @param securityGroupId `sg-` followed by 8 or 17 lowercase hex digits, or a reference
   * @param description why the group is allowed; 1-255 letters, digits, spaces and `._-:/()#,@[]+=&;{}!$*`
   */
  public allowFrom(securityGroupId: string, description: string): void {
    validateRuleDescription(this, description);
    addRdsIngress(this.ingress, 'securityGroupId', securityGroupId, description);
  }
}
