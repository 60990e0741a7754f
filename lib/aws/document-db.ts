import type { DocdbCluster } from '@cdktf/provider-aws/lib/docdb-cluster';
import type { DocdbClusterInstance } from '@cdktf/provider-aws/lib/docdb-cluster-instance';
import type { DocdbClusterParameterGroup } from '@cdktf/provider-aws/lib/docdb-cluster-parameter-group';
import type { DocdbSubnetGroup } from '@cdktf/provider-aws/lib/docdb-subnet-group';
import type { SecurityGroup } from '@cdktf/provider-aws/lib/security-group';
import type { VpcSecurityGroupIngressRule } from '@cdktf/provider-aws/lib/vpc-security-group-ingress-rule';
import { TerraformResource } from 'cdktf';
import { Construct } from 'constructs';
import { Key } from './key';
import { INetwork } from './network';
import {
  RdsIngress, addRdsIngress, rdsIdentifier, rdsProtection, registerRdsInstance, validateAllowFrom, validateRdsNetwork,
  validateRuleDescription,
} from './rds-common';
import { checkedScope } from '../core/api-guard';
import { Environment } from '../core/environment';
import { invalid } from '../core/errors';
import { lazyModule } from '../core/lazy-module';
import { Platform } from '../core/platform';
import { Size } from '../core/size';

const docdbClusterLib = lazyModule<typeof import('@cdktf/provider-aws/lib/docdb-cluster')>('@cdktf/provider-aws/lib/docdb-cluster');
const docdbClusterInstanceLib = lazyModule<typeof import('@cdktf/provider-aws/lib/docdb-cluster-instance')>('@cdktf/provider-aws/lib/docdb-cluster-instance');
const docdbClusterParameterGroupLib = lazyModule<typeof import('@cdktf/provider-aws/lib/docdb-cluster-parameter-group')>('@cdktf/provider-aws/lib/docdb-cluster-parameter-group');
const docdbSubnetGroupLib = lazyModule<typeof import('@cdktf/provider-aws/lib/docdb-subnet-group')>('@cdktf/provider-aws/lib/docdb-subnet-group');
const securityGroupLib = lazyModule<typeof import('@cdktf/provider-aws/lib/security-group')>('@cdktf/provider-aws/lib/security-group');

/** Properties of a {@link DocumentDb}. */
export interface DocumentDbProps {
  /** The network whose isolated subnets the cluster is placed in (at least two, in different AZs). */
  readonly network: INetwork;
  /**
   * Instance class (`size.database.instanceClass`; DocumentDB's smallest is
   * `db.t4g.medium`, which smaller classes become).
   * @default Size.M — db.t4g.medium
   */
  readonly size?: Size;
  /**
   * Security groups allowed to connect on 27017, typically the cluster's
   * node security group. More can be added with `allowFrom()`.
   * @default [] - no client can reach the cluster until one is allowed
   */
  readonly allowFrom?: string[];
  /**
   * The cluster identifier (also names the subnet, parameter and security
   * groups and the instances, `<identifier>-<n>`): 1-61 lowercase letters,
   * digits and hyphens, starting with a letter; unique among the
   * environment's RDS and DocumentDB identifiers. Changing it replaces the cluster.
   * @default - `<env>-<construct path below the environment>`, shortened with a hash
   */
  readonly identifier?: string;
  /**
   * Run a replica instance in another availability zone (DocumentDB
   * promotes it on failure): 2 instances instead of 1.
   * @default - the environment profile's `multiAz` (DEV false, PROD true)
   */
  readonly multiAz?: boolean;
  /**
   * Days automated backups are kept (1-35).
   * @default - the environment profile's `backupRetentionDays` (DEV 1, STAGING 7, PROD 30)
   */
  readonly backupRetentionDays?: number;
  /**
   * Turn on deletion protection; also takes a final snapshot when the cluster is deleted.
   * @default - the environment profile's `deletionProtection` (DEV false, STAGING and PROD true)
   */
  readonly deletionProtection?: boolean;
  /**
   * Set Terraform's `lifecycle.prevent_destroy` on the cluster and its key. Requires `deletionProtection`.
   * @default - the environment profile's `preventDestroy` (DEV and STAGING false, PROD true)
   */
  readonly preventDestroy?: boolean;
  /**
   * Master user name; its password is generated and kept by DocumentDB in
   * Secrets Manager. 1-63 letters and digits, starting with a letter, not `admin`.
   * @default 'paved_admin'
   */
  readonly masterUsername?: string;
}

const PORT = 27017;
/** DocumentDB 5.0 (MongoDB 5.0 API). */
const ENGINE_VERSION = '5.0.0';
const PARAMETER_GROUP_FAMILY = 'docdb5.0';
const DEFAULT_MASTER_USERNAME = 'paved_admin';
const MASTER_USERNAME = /^[A-Za-z][A-Za-z0-9_]{0,62}$/;
/** The classes DocumentDB does not offer, and what paved takes instead. */
const SMALLEST_CLASS = 'db.t4g.medium';
const TOO_SMALL = ['db.t4g.micro', 'db.t4g.small', 'db.t3.micro', 'db.t3.small'];
/** The current CA of RDS and DocumentDB (valid until 2061), which clients verify against. */
const CA_CERT_IDENTIFIER = 'rds-ca-rsa2048-g1';

/**
 * An Amazon DocumentDB cluster (MongoDB 5.0 API) in the network's isolated
 * subnets, the `mongodb` data store of the golden path.
 *
 * Secure defaults:
 * - no public access: isolated subnets only, and a security group of its
 *   own that admits 27017 only from the security groups allowed
 *   (`allowFrom`); no egress rules;
 * - TLS required (cluster parameter `tls = enabled`), instances on the
 *   `rds-ca-rsa2048-g1` CA;
 * - storage and the master user secret encrypted with a customer managed
 *   KMS key of its own (rotation on);
 * - the master password is generated and kept by DocumentDB in Secrets
 *   Manager (`manage_master_user_password`): never in the Terraform
 *   configuration or state;
 * - audit logs stay off (they would record user management), the profiler
 *   too; minor versions are upgraded by DocumentDB;
 * - from the profile: a second instance in another zone (multi-AZ),
 *   backup retention, deletion protection with a final snapshot, and
 *   `prevent_destroy` (PROD).
 *
 * @example
 * const docs = new DocumentDb(env, 'Catalog', { network, allowFrom: [cluster.nodeSecurityGroupId] });
 */
export class DocumentDb extends Construct {
  /** The cluster identifier. */
  public readonly identifier: string;
  /** ARN of the cluster, built from the identifier: a literal known at synth (its managed master secret is tagged with it). */
  public readonly clusterArn: string;
  /** The cluster endpoint (primary), a reference resolved at apply time. */
  public readonly host: string;
  /** The reader endpoint, a reference resolved at apply time. */
  public readonly readerHost: string;
  /** The port, 27017. */
  public readonly port: number;
  /** Master user name. */
  public readonly username: string;
  /** The instance class of its instances. */
  public readonly instanceClass: string;
  /** The KMS key of storage and the master user secret. */
  public readonly key: Key;
  /** ARN of `key`, which encrypts the managed master user secret. */
  public readonly masterUserSecretKeyArn: string;
  /** @internal */
  public readonly _cluster: DocdbCluster;
  /** The cluster, for escape hatches. */
  public get cluster(): TerraformResource {
    return this._cluster;
  }
  /** @internal */
  public readonly _instances: DocdbClusterInstance[] = [];
  /** The instances, for escape hatches. */
  public get instances(): TerraformResource[] {
    return this._instances;
  }
  /** @internal */
  public readonly _subnetGroup: DocdbSubnetGroup;
  /** The subnet group, for escape hatches. */
  public get subnetGroup(): TerraformResource {
    return this._subnetGroup;
  }
  /** @internal */
  public readonly _parameterGroup: DocdbClusterParameterGroup;
  /** The cluster parameter group, for escape hatches. */
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
  public readonly _ingressRules: VpcSecurityGroupIngressRule[] = [];
  /** The ingress rules, in the order allowed. */
  public get ingressRules(): TerraformResource[] {
    return this._ingressRules;
  }

  private readonly ingress: RdsIngress;

  constructor(scope: Construct, id: string, props: DocumentDbProps) {
    super(checkedScope(scope, 'DocumentDb', arguments), id);
    const env = Environment.containing(this);
    const network = validateRdsNetwork(this, props?.network);
    const size = props.size ?? Size.M;
    const identifier = rdsIdentifier(this, props.identifier);
    if (identifier.length > 61) {
      throw invalid(this, 'identifier', identifier, 'a DocumentDB cluster identifier of at most 61 characters (its instances are <identifier>-<n>)');
    }
    const username = props.masterUsername ?? DEFAULT_MASTER_USERNAME;
    if (typeof username !== 'string' || !MASTER_USERNAME.test(username) || username === 'admin' || username === 'serviceadmin') {
      throw invalid(this, 'masterUsername', username, '1-63 letters, digits and "_", starting with a letter, not admin or serviceadmin');
    }
    const protection = rdsProtection(this, props);
    const allowFrom = validateAllowFrom(this, props.allowFrom);
    this.instanceClass = TOO_SMALL.includes(size.database.instanceClass) ? SMALLEST_CLASS : size.database.instanceClass;
    const platform = Platform.of(this);
    const profileSource = `profile ${env.profile.name}`;
    platform.recordDefault(this, 'size', size.name, props.size === undefined ? 'paved default' : 'override');
    platform.recordDefault(this, 'instanceClass', this.instanceClass,
      this.instanceClass === size.database.instanceClass ? `size ${size.name}` : `size ${size.name} (${size.database.instanceClass} is not offered by DocumentDB)`);
    platform.recordDefault(this, 'instances', protection.multiAz ? '2 (multi-AZ)' : '1', props.multiAz === undefined ? profileSource : 'override');
    platform.recordDefault(this, 'backupRetentionDays', String(protection.backupRetentionDays), props.backupRetentionDays === undefined ? profileSource : 'override');
    platform.recordDefault(this, 'deletionProtection', String(protection.deletionProtection), props.deletionProtection === undefined ? profileSource : 'override');
    platform.recordDefault(this, 'preventDestroy', String(protection.preventDestroy), props.preventDestroy === undefined ? profileSource : 'override');

    this.identifier = identifier;
    registerRdsInstance(this);
    this.port = PORT;
    this.username = username;
    this.clusterArn = `arn:${env.partition}:rds:${env.region}:${env.account}:cluster:${identifier}`;

    this.key = new Key(this, 'Key', {
      description: `Encrypts storage and the master user secret of DocumentDB cluster ${identifier}`,
      alias: `docdb/${identifier}`,
      preventDestroy: protection.preventDestroy,
    });
    this.masterUserSecretKeyArn = this.key.keyArn;
    this._subnetGroup = new docdbSubnetGroupLib.DocdbSubnetGroup(this, 'SubnetGroup', {
      name: identifier,
      description: `Isolated subnets of DocumentDB cluster ${identifier}`,
      subnetIds: network.isolatedSubnetIds,
    });
    this._securityGroup = new securityGroupLib.SecurityGroup(this, 'SecurityGroup', {
      name: `docdb-${identifier}`,
      description: `DocumentDB cluster ${identifier}: 27017 from allowed security groups only`,
      vpcId: network.vpcId,
      tags: { Name: `docdb-${identifier}` },
    });
    this._parameterGroup = new docdbClusterParameterGroupLib.DocdbClusterParameterGroup(this, 'ParameterGroup', {
      name: `${identifier}-${PARAMETER_GROUP_FAMILY.replace('.', '-')}`,
      family: PARAMETER_GROUP_FAMILY,
      description: `DocumentDB cluster ${identifier}: TLS required`,
      parameter: [{ name: 'tls', value: 'enabled' }],
    });
    const { deletionProtection, preventDestroy } = protection;
    this._cluster = new docdbClusterLib.DocdbCluster(this, 'Resource', {
      clusterIdentifier: identifier,
      engine: 'docdb',
      engineVersion: ENGINE_VERSION,
      allowMajorVersionUpgrade: false,
      masterUsername: username,
      manageMasterUserPassword: true,
      storageEncrypted: true,
      kmsKeyId: this.key.keyArn,
      port: PORT,
      dbSubnetGroupName: this._subnetGroup.name,
      vpcSecurityGroupIds: [this._securityGroup.id],
      dbClusterParameterGroupName: this._parameterGroup.name,
      backupRetentionPeriod: protection.backupRetentionDays,
      preferredBackupWindow: '03:00-04:00',
      preferredMaintenanceWindow: 'sun:05:00-sun:06:00',
      deletionProtection,
      skipFinalSnapshot: !deletionProtection,
      finalSnapshotIdentifier: deletionProtection ? `${identifier}-final` : undefined,
      lifecycle: {
        ...(preventDestroy ? { preventDestroy: true } : {}),
        // DocumentDB upgrades minor versions in the maintenance window.
        ignoreChanges: ['engine_version'],
      },
    });
    const count = protection.multiAz ? 2 : 1;
    for (let i = 1; i <= count; i++) {
      this._instances.push(new docdbClusterInstanceLib.DocdbClusterInstance(this, `Instance${i}`, {
        identifier: `${identifier}-${i}`,
        clusterIdentifier: this._cluster.id,
        instanceClass: this.instanceClass,
        autoMinorVersionUpgrade: true,
        caCertIdentifier: CA_CERT_IDENTIFIER,
        preferredMaintenanceWindow: 'sun:05:00-sun:06:00',
        copyTagsToSnapshot: true,
      }));
    }
    this.host = this._cluster.endpoint;
    this.readerHost = this._cluster.readerEndpoint;
    this.ingress = { scope: this, securityGroup: this._securityGroup, port: PORT, rules: this._ingressRules, allowed: new Set() };
    allowFrom.forEach((securityGroupId, i) => addRdsIngress(this.ingress, `allowFrom[${i}]`, securityGroupId, `DocumentDB from ${securityGroupId}`));
  }

  /**
   * Admits 27017/tcp from the security group `securityGroupId`.
   *
   * @param securityGroupId `sg-` followed by 8 or 17 lowercase hex digits, or a reference
   * @param description why the group is allowed; 1-255 letters, digits, spaces and `._-:/()#,@[]+=&;{}!$*`
   */
  public allowFrom(securityGroupId: string, description: string): void {
    validateRuleDescription(this, description);
    addRdsIngress(this.ingress, 'securityGroupId', securityGroupId, description);
  }
}
