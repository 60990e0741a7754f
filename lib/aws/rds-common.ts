import type { DbInstanceConfig } from '@cdktf/provider-aws/lib/db-instance';
import type { DbSubnetGroup } from '@cdktf/provider-aws/lib/db-subnet-group';
import type { IamRole } from '@cdktf/provider-aws/lib/iam-role';
import type { IamRolePolicyAttachment } from '@cdktf/provider-aws/lib/iam-role-policy-attachment';
import type { SecurityGroup } from '@cdktf/provider-aws/lib/security-group';
import type { VpcSecurityGroupIngressRule } from '@cdktf/provider-aws/lib/vpc-security-group-ingress-rule';
import { Token } from 'cdktf';
import { Construct, IConstruct } from 'constructs';
import { Key } from './key';
import { INetwork } from './network';
import { Environment, pathBelowStack } from '../core/environment';
import { invalid } from '../core/errors';
import { lazyModule } from '../core/lazy-module';
import { LookupKey } from '../core/lookup';
import { Naming } from '../core/naming';
import { Platform } from '../core/platform';
import { Size } from '../core/size';
import { validateInteger } from '../core/validation';

const dbSubnetGroupLib = lazyModule<typeof import('@cdktf/provider-aws/lib/db-subnet-group')>('@cdktf/provider-aws/lib/db-subnet-group');
const iamRoleLib = lazyModule<typeof import('@cdktf/provider-aws/lib/iam-role')>('@cdktf/provider-aws/lib/iam-role');
const iamRolePolicyAttachmentLib = lazyModule<typeof import('@cdktf/provider-aws/lib/iam-role-policy-attachment')>('@cdktf/provider-aws/lib/iam-role-policy-attachment');
const securityGroupLib = lazyModule<typeof import('@cdktf/provider-aws/lib/security-group')>('@cdktf/provider-aws/lib/security-group');
const vpcSecurityGroupIngressRuleLib = lazyModule<typeof import('@cdktf/provider-aws/lib/vpc-security-group-ingress-rule')>('@cdktf/provider-aws/lib/vpc-security-group-ingress-rule');

/*
 * What every paved RDS instance (Postgres, Mysql) shares: validation of the
 * network, identifier and data-safety settings; the key, subnet group,
 * security group, ingress rules and monitoring role; the instance settings
 * that do not depend on the engine; and IAM-auth grants.
 *
 * Each function creates its constructs under the scope it is given, with the
 * ids the engines have always used: construct ids are Terraform addresses.
 */

/**
 * RDS identifiers taken in an environment, whatever the engine: an
 * identifier is unique per account and region, and it also names the
 * subnet, parameter and security groups.
 */
const RDS_IDENTIFIERS = new LookupKey<IConstruct>('rds-identifiers');
const IDENTIFIER = /^[a-z](?!.*--)([a-z0-9-]*[a-z0-9])?$/;
const SECURITY_GROUP_ID = /^sg-([0-9a-f]{8}|[0-9a-f]{17})$/;
/** What EC2 accepts in a security group rule description. */
const RULE_DESCRIPTION = /^[A-Za-z0-9 ._\-:/()#,@[\]+=&;{}!$*]{1,255}$/;
/** Performance Insights retention that costs nothing. */
const PERFORMANCE_INSIGHTS_RETENTION_DAYS = 7;
const MONITORING_INTERVAL_SECONDS = 60;

/** The construct path below the stack, lowercased: what default names derive from. @internal */
export function lowercasePathBelowStack(scope: IConstruct): string[] {
  return pathBelowStack(scope).map(s => s.toLowerCase());
}

/** Fails unless `network` is an INetwork with at least two isolated subnets. @internal */
export function validateRdsNetwork(scope: IConstruct, network: INetwork): INetwork {
  if (network === null || typeof network !== 'object' || typeof network.vpcId !== 'string' || !Array.isArray(network.isolatedSubnetIds)) {
    throw invalid(scope, 'network', network === null || typeof network !== 'object' ? network : network.node?.path,
      'an INetwork (new Network(...), Network.fromAttributes(...) or Network.of(env))');
  }
  if (!Token.isUnresolved(network.isolatedSubnetIds) && network.isolatedSubnetIds.length < 2) {
    throw invalid(scope, 'network', network.node.path,
      `a network with at least 2 isolated subnets in different availability zones (RDS subnet groups need two); it has ${network.isolatedSubnetIds.length}`);
  }
  return network;
}

/**
 * The identifier given, or `<env>-<path below the environment>`; fails unless
 * it is a valid RDS identifier not used by another RDS instance of the environment.
 * @internal
 */
export function rdsIdentifier(scope: IConstruct, given: string | undefined): string {
  const env = Environment.containing(scope);
  const identifier = given ?? Naming.name([env.name, ...lowercasePathBelowStack(scope)], Naming.RDS);
  if (typeof identifier !== 'string' || identifier.length > Naming.RDS.maxLength || !IDENTIFIER.test(identifier)) {
    throw invalid(scope, 'identifier', identifier,
      `an RDS identifier: 1-${Naming.RDS.maxLength} lowercase letters, digits and hyphens, starting with a letter, no "--", not ending with "-"`);
  }
  const taken = env._lookup.get(RDS_IDENTIFIERS, identifier);
  if (taken) {
    throw invalid(scope, 'identifier', identifier, `an identifier not used by ${taken.node.path} of the same environment`);
  }
  return identifier;
}

/** Claims `instance.identifier` in its environment; call once every input is valid. @internal */
export function registerRdsInstance(instance: IConstruct & { readonly identifier: string }): void {
  Environment.containing(instance)._lookup.set(RDS_IDENTIFIERS, instance.identifier, instance);
}

/**
 * `orders_db` for the path `orders/db`: a database name of at most
 * `maxLength` characters that starts with a letter and is not reserved.
 * @internal
 */
export function defaultDatabaseName(relative: string[], maxLength: number, reserved: string[]): string {
  let name = relative.join('_').replace(/[^a-z0-9]+/g, '_').replace(/^_+|_+$/g, '');
  if (!/^[a-z]/.test(name)) { name = `db_${name}`; }
  name = name.slice(0, maxLength).replace(/_+$/, '');
  return reserved.includes(name) ? `${name}_db` : name;
}

/** The data-safety settings an RDS instance takes from its props or the profile. @internal */
export interface RdsProtectionProps {
  readonly multiAz?: boolean;
  readonly backupRetentionDays?: number;
  readonly deletionProtection?: boolean;
  readonly preventDestroy?: boolean;
}

/** The data-safety settings in force. @internal */
export interface RdsProtection {
  readonly multiAz: boolean;
  readonly backupRetentionDays: number;
  readonly deletionProtection: boolean;
  readonly preventDestroy: boolean;
}

/** Applies the profile's defaults to `props` and validates the result. @internal */
export function rdsProtection(scope: IConstruct, props: RdsProtectionProps): RdsProtection {
  const profile = Environment.containing(scope).profile;
  const multiAz = props.multiAz ?? profile.multiAz;
  const backupRetentionDays = props.backupRetentionDays ?? profile.backupRetentionDays;
  validateInteger(scope, 'backupRetentionDays', backupRetentionDays, 1, 35);
  const deletionProtection = props.deletionProtection ?? profile.deletionProtection;
  const preventDestroy = props.preventDestroy ?? profile.preventDestroy;
  if (preventDestroy && !deletionProtection) {
    throw invalid(scope, 'deletionProtection', deletionProtection,
      'true while preventDestroy is true (set preventDestroy: false too, or keep deletion protection)');
  }
  return { multiAz, backupRetentionDays, deletionProtection, preventDestroy };
}

/** Fails unless `allowFrom` is a list (its entries are checked as rules are added). @internal */
export function validateAllowFrom(scope: IConstruct, allowFrom: string[] | undefined): string[] {
  const list = allowFrom ?? [];
  if (!Array.isArray(list)) {
    throw invalid(scope, 'allowFrom', list, 'a list of security group ids');
  }
  return list;
}

/** Records, for the report, what size, paved and the profile chose. @internal */
export function recordRdsDefaults(scope: IConstruct, props: RdsProtectionProps & { readonly size?: Size; readonly engineVersion?: string },
  size: Size, engineVersion: string, protection: RdsProtection): void {
  const platform = Platform.of(scope);
  const profileSource = `profile ${Environment.containing(scope).profile.name}`;
  const sizeSource = `size ${size.name}`;
  const source = (given: unknown) => given === undefined ? profileSource : 'override';
  platform.recordDefault(scope, 'size', size.name, props.size === undefined ? 'paved default' : 'override');
  platform.recordDefault(scope, 'instanceClass', size.database.instanceClass, sizeSource);
  platform.recordDefault(scope, 'storageGiB', String(size.database.storageGiB), sizeSource);
  platform.recordDefault(scope, 'maxStorageGiB', String(size.database.maxStorageGiB), sizeSource);
  platform.recordDefault(scope, 'engineVersion', engineVersion, props.engineVersion === undefined ? 'paved default' : 'override');
  platform.recordDefault(scope, 'multiAz', String(protection.multiAz), source(props.multiAz));
  platform.recordDefault(scope, 'backupRetentionDays', String(protection.backupRetentionDays), source(props.backupRetentionDays));
  platform.recordDefault(scope, 'deletionProtection', String(protection.deletionProtection), source(props.deletionProtection));
  platform.recordDefault(scope, 'preventDestroy', String(protection.preventDestroy), source(props.preventDestroy));
}

/** The KMS key of storage, Performance Insights and the master secret (id `Key`). @internal */
export function createRdsKey(scope: Construct, identifier: string, preventDestroy: boolean): Key {
  return new Key(scope, 'Key', {
    description: `Encrypts storage, Performance Insights and the master user secret of RDS instance ${identifier}`,
    alias: `rds/${identifier}`,
    preventDestroy,
  });
}

/** The subnet group of the network's isolated subnets (id `SubnetGroup`). @internal */
export function createRdsSubnetGroup(scope: Construct, identifier: string, network: INetwork): DbSubnetGroup {
  return new dbSubnetGroupLib.DbSubnetGroup(scope, 'SubnetGroup', {
    name: identifier,
    description: `Isolated subnets of RDS instance ${identifier}`,
    subnetIds: network.isolatedSubnetIds,
  });
}

/** The instance's own security group, without rules (id `SecurityGroup`). @internal */
export function createRdsSecurityGroup(scope: Construct, identifier: string, network: INetwork, engineName: string): SecurityGroup {
  return new securityGroupLib.SecurityGroup(scope, 'SecurityGroup', {
    // A name starting with "sg-" is refused by EC2.
    name: `rds-${identifier}`,
    description: `RDS instance ${identifier}: ${engineName} from allowed security groups only`,
    vpcId: network.vpcId,
    tags: { Name: `rds-${identifier}` },
  });
}

/** The enhanced monitoring role and its policy attachment. @internal */
export interface RdsMonitoring {
  readonly role: IamRole;
  readonly policy: IamRolePolicyAttachment;
}

/**
 * The role enhanced monitoring publishes metrics with (ids `MonitoringRole`
 * and `MonitoringRolePolicy`): only RDS monitoring of this instance can assume it.
 * @internal
 */
export function createRdsMonitoringRole(scope: Construct, identifier: string): RdsMonitoring {
  const env = Environment.containing(scope);
  const role = new iamRoleLib.IamRole(scope, 'MonitoringRole', {
    name: Naming.name([identifier, 'monitoring'], Naming.IAM_ROLE),
    description: `Enhanced monitoring of RDS instance ${identifier}`,
    assumeRolePolicy: JSON.stringify({
      Version: '2012-10-17',
      Statement: [{
        Effect: 'Allow',
        Principal: { Service: 'monitoring.rds.amazonaws.com' },
        Action: 'sts:AssumeRole',
        Condition: {
          StringEquals: { 'aws:SourceAccount': env.account },
          ArnLike: { 'aws:SourceArn': rdsInstanceArn(env, identifier) },
        },
      }],
    }),
  });
  const policy = new iamRolePolicyAttachmentLib.IamRolePolicyAttachment(scope, 'MonitoringRolePolicy', {
    role: role.name,
    policyArn: `arn:${env.partition}:iam::aws:policy/service-role/AmazonRDSEnhancedMonitoringRole`,
  });
  return { role, policy };
}

/** The ARN of the instance `identifier`, known at synth time. @internal */
export function rdsInstanceArn(env: Environment, identifier: string): string {
  return `arn:${env.partition}:rds:${env.region}:${env.account}:db:${identifier}`;
}

/** What the engine-independent instance settings are built from. @internal */
export interface RdsInstanceSettings {
  readonly identifier: string;
  readonly size: Size;
  readonly protection: RdsProtection;
  readonly key: Key;
  readonly subnetGroup: DbSubnetGroup;
  readonly securityGroup: SecurityGroup;
  readonly monitoring: RdsMonitoring;
  /** Some engines offer no Performance Insights on the smallest classes. */
  readonly performanceInsights: boolean;
}

/**
 * The settings every paved RDS instance has, whatever its engine: storage
 * and encryption, the RDS-managed master password, IAM authentication,
 * network placement, data safety from the profile, Performance Insights,
 * enhanced monitoring, and a lifecycle that leaves minor versions to RDS.
 * @internal
 */
export function rdsInstanceConfig(settings: RdsInstanceSettings): DbInstanceConfig {
  const { identifier, size, protection, key, performanceInsights } = settings;
  const { deletionProtection, preventDestroy } = protection;
  return {
    identifier,
    autoMinorVersionUpgrade: true,
    allowMajorVersionUpgrade: false,
    instanceClass: size.database.instanceClass,
    storageType: 'gp3',
    allocatedStorage: size.database.storageGiB,
    maxAllocatedStorage: size.database.maxStorageGiB,
    storageEncrypted: true,
    kmsKeyId: key.keyArn,
    manageMasterUserPassword: true,
    masterUserSecretKmsKeyId: key.keyArn,
    iamDatabaseAuthenticationEnabled: true,
    dbSubnetGroupName: settings.subnetGroup.name,
    vpcSecurityGroupIds: [settings.securityGroup.id],
    publiclyAccessible: false,
    multiAz: protection.multiAz,
    backupRetentionPeriod: protection.backupRetentionDays,
    copyTagsToSnapshot: true,
    deletionProtection,
    skipFinalSnapshot: !deletionProtection,
    finalSnapshotIdentifier: deletionProtection ? `${identifier}-final` : undefined,
    deleteAutomatedBackups: !deletionProtection,
    performanceInsightsEnabled: performanceInsights,
    ...(performanceInsights ? {
      performanceInsightsKmsKeyId: key.keyArn,
      performanceInsightsRetentionPeriod: PERFORMANCE_INSIGHTS_RETENTION_DAYS,
    } : {}),
    monitoringInterval: MONITORING_INTERVAL_SECONDS,
    monitoringRoleArn: settings.monitoring.role.arn,
    // RDS checks the role's permissions when the instance is created.
    dependsOn: [settings.monitoring.policy],
    lifecycle: {
      ...(preventDestroy ? { preventDestroy: true } : {}),
      // Automatic minor upgrades move the running version past the configured one.
      ignoreChanges: ['engine_version'],
    },
  };
}

/** The security group and rules an instance admits clients through. @internal */
export interface RdsIngress {
  readonly scope: Construct;
  readonly securityGroup: SecurityGroup;
  readonly port: number;
  /** The rules so far, in the order allowed; new rules are appended. */
  readonly rules: VpcSecurityGroupIngressRule[];
  /** The security groups allowed so far. */
  readonly allowed: Set<string>;
}

/** Fails unless `description` is one EC2 accepts for a security group rule. @internal */
export function validateRuleDescription(scope: IConstruct, description: string): void {
  if (typeof description !== 'string' || (!Token.isUnresolved(description) && !RULE_DESCRIPTION.test(description))) {
    throw invalid(scope, 'description', description, '1-255 letters, digits, spaces and ._-:/()#,@[]+=&;{}!$*');
  }
}

/**
 * Adds a rule `Ingress<n>` that admits `ingress.port`/tcp from `securityGroupId`.
 * @param property the property named in the error when the group is invalid or allowed already
 * @internal
 */
export function addRdsIngress(ingress: RdsIngress, property: string, securityGroupId: string, description: string): void {
  if (typeof securityGroupId !== 'string' || (!Token.isUnresolved(securityGroupId) && !SECURITY_GROUP_ID.test(securityGroupId))) {
    throw invalid(ingress.scope, property, securityGroupId, 'a security group id: "sg-" followed by 8 or 17 lowercase hex digits');
  }
  if (ingress.allowed.has(securityGroupId)) {
    throw invalid(ingress.scope, property, securityGroupId, 'a security group not allowed already');
  }
  ingress.allowed.add(securityGroupId);
  // Numbered in the order allowed: the group id may be a reference, unknown until apply.
  ingress.rules.push(new vpcSecurityGroupIngressRuleLib.VpcSecurityGroupIngressRule(ingress.scope, `Ingress${ingress.rules.length + 1}`, {
    securityGroupId: ingress.securityGroup.id,
    referencedSecurityGroupId: securityGroupId,
    ipProtocol: 'tcp',
    fromPort: ingress.port,
    toPort: ingress.port,
    description,
  }));
}
