import type { IamRole } from '@cdktf/provider-aws/lib/iam-role';
import type { IamRolePolicy } from '@cdktf/provider-aws/lib/iam-role-policy';
import { Lazy } from 'cdktf';
import { Construct } from 'constructs';
import { EnvironmentSecretsKey } from './environment-secrets-key';
import { TenantSecretAccess } from './tenant-secret-access';
import { IAM_ROLE_NAMES } from '../aws/workload-identity';
import { Environment } from '../core/environment';
import { invalid } from '../core/errors';
import { lazyModule } from '../core/lazy-module';
import { LookupKey } from '../core/lookup';
import { Naming } from '../core/naming';

const iamRoleLib = lazyModule<typeof import('@cdktf/provider-aws/lib/iam-role')>('@cdktf/provider-aws/lib/iam-role');
const iamRolePolicyLib = lazyModule<typeof import('@cdktf/provider-aws/lib/iam-role-policy')>('@cdktf/provider-aws/lib/iam-role-policy');

/** How the master credentials of a data store are found in Secrets Manager. */
export interface MasterSecretTag {
  /** `aws:rds:primaryDBInstanceArn` (RDS instances) or `aws:rds:primaryDBClusterArn` (DocumentDB and Aurora clusters). */
  readonly key: string;
  /** The ARN of the instance or cluster (a literal). */
  readonly value: string;
}

/** One data store a tenant's database admin role serves. */
export interface AdministeredDataStore {
  /**
   * The tag of its RDS-managed master secret.
   * @default - none: the job needs no master credentials (it calls the AWS API)
   */
  readonly masterSecret?: MasterSecretTag;
  /**
   * The KMS key of the master secret.
   * @default - none
   */
  readonly masterSecretKeyArn?: string;
  /** Its connection secret (`paved/<env>/<tenant>/<workload>/<resource>`), where the jobs read the host (with a master secret). */
  readonly connectionSecret: string;
  /**
   * Its credentials secret, where the jobs push the generated password.
   * @default - none: no password is generated (IAM authentication)
   */
  readonly credentialsSecret?: string;
}

const ACCESS = new LookupKey<DatabaseAdminAccess>('database-admin-access');
/** The tags RDS sets on the master secrets it manages, and the name prefix of those secrets. */
const MASTER_SECRET_PREFIXES: { [tag: string]: string } = {
  'aws:rds:primaryDBInstanceArn': 'rds!db-',
  'aws:rds:primaryDBClusterArn': 'rds!cluster-',
};

/**
 * A tenant's IAM role for the database admin namespace (`paved-db-admin`):
 * what the External Secrets Operator assumes for the tenant's SecretStore
 * there (`tenant-<tenant>`), `<env>-<tenant>-db-admin`. It may read the
 * RDS-managed master secrets of the tenant's data stores only (by their
 * `aws:rds:primary*Arn` tag), their connection secrets (the host), and
 * write the credentials secrets of their application users; it decrypts
 * and encrypts through Secrets Manager only. The tenant's own secrets role
 * (`<env>-<tenant>-secrets`, its namespace's store) cannot read a master
 * secret. Made in the tenant's stack, with the first data store that needs it.
 * @internal
 */
export class DatabaseAdminAccess extends Construct {
  /** The access of `tenant` in `env`, created on first use. */
  public static of(env: Environment, tenant: string): DatabaseAdminAccess {
    return env._lookup.singleton(ACCESS, tenant, () => new DatabaseAdminAccess(TenantSecretAccess.of(env, tenant), env, tenant));
  }

  /** Every tenant of `env` with a database admin role, in the order made. */
  public static allOf(env: Environment): DatabaseAdminAccess[] {
    return env._lookup.entries(ACCESS);
  }

  /** The tenant. */
  public readonly tenant: string;
  /** The role's name, `<env>-<tenant>-db-admin`. */
  public readonly roleName: string;
  /** The role's ARN, a literal. */
  public readonly roleArn: string;
  /** The role. */
  public readonly role: IamRole;
  /** Its permissions. */
  public readonly policy: IamRolePolicy;

  private readonly stores: AdministeredDataStore[] = [];

  private constructor(scope: Construct, env: Environment, tenant: string) {
    super(scope, 'DatabaseAdmin');
    this.tenant = tenant;
    this.roleName = Naming.databaseAdminRole(env.name, tenant);
    this.roleArn = `arn:${env.partition}:iam::${env.account}:role/${this.roleName}`;
    const taken = env._lookup.claim(IAM_ROLE_NAMES, this.roleName, this);
    if (taken) {
      throw invalid(this, 'tenant', tenant, `a tenant whose database admin role name ${JSON.stringify(this.roleName)} is not taken by ${taken.node.path}`);
    }
    const operatorRole = `arn:${env.partition}:iam::${env.account}:role/${Naming.externalSecretsOperatorRole(env.name)}`;
    this.role = new iamRoleLib.IamRole(this, 'Role', {
      name: this.roleName,
      description: `External Secrets Operator access to the master secrets of tenant ${tenant}'s data stores in ${env.name}, `
        + `for the database admin namespace ${Naming.DATABASE_ADMIN_NAMESPACE} only`,
      assumeRolePolicy: JSON.stringify({
        Version: '2012-10-17',
        Statement: [{ Effect: 'Allow', Principal: { AWS: operatorRole }, Action: ['sts:AssumeRole', 'sts:TagSession'] }],
      }),
    });
    this.policy = new iamRolePolicyLib.IamRolePolicy(this, 'Policy', {
      role: this.role.name,
      name: 'administer-data-stores',
      policy: Lazy.stringValue({ produce: () => this.renderPolicy(env) }),
    });
  }

  /**
   * Lets the admin namespace read `store`'s master secret and connection
   * secret, and write its credentials secret.
   */
  public _allow(store: AdministeredDataStore): void {
    if (store.masterSecret !== undefined && !(store.masterSecret.key in MASTER_SECRET_PREFIXES)) {
      throw invalid(this, 'masterSecret.key', store.masterSecret.key, `one of ${Object.keys(MASTER_SECRET_PREFIXES).join(', ')}`);
    }
    this.stores.push(store);
    Environment.containing(this)._lookup.onRollback(() => { this.stores.splice(this.stores.indexOf(store), 1); });
  }

  private renderPolicy(env: Environment): string {
    const secretArn = (name: string) => `arn:${env.partition}:secretsmanager:${env.region}:${env.account}:secret:${name}`;
    // Secrets Manager appends "-" and 6 random characters to a secret's name in its ARN.
    const exactly = (name: string) => secretArn(`${name}-??????`);
    const unique = (values: string[]) => [...new Set(values)];
    const secretsKey = EnvironmentSecretsKey.of(env).keyArn;
    const viaSecretsManager = { StringEquals: { 'kms:ViaService': `secretsmanager.${env.region}.amazonaws.com` } };
    const statements: any[] = [];
    for (const [tag, prefix] of Object.entries(MASTER_SECRET_PREFIXES)) {
      const arns = unique(this.stores.flatMap(s => s.masterSecret?.key === tag ? [s.masterSecret.value] : []));
      if (arns.length === 0) { continue; }
      statements.push({
        Sid: prefix === 'rds!db-' ? 'ReadInstanceMasterSecrets' : 'ReadClusterMasterSecrets',
        Effect: 'Allow',
        Action: ['secretsmanager:GetSecretValue', 'secretsmanager:DescribeSecret'],
        Resource: secretArn(`${prefix}*`),
        Condition: { StringEquals: { [`secretsmanager:ResourceTag/${tag}`]: arns } },
      });
    }
    const withMaster = this.stores.filter(s => s.masterSecret !== undefined);
    if (withMaster.length > 0) {
      statements.push(
        {
          // ListSecrets has no resource-level permissions; the operator needs it to find the master secrets by tag.
          Sid: 'FindMasterSecretsByTag',
          Effect: 'Allow',
          Action: 'secretsmanager:ListSecrets',
          Resource: '*',
        },
        {
          Sid: 'ReadConnectionDetails',
          Effect: 'Allow',
          Action: ['secretsmanager:GetSecretValue', 'secretsmanager:DescribeSecret'],
          Resource: unique(withMaster.map(s => exactly(s.connectionSecret))),
        },
      );
    }
    const credentials = unique(this.stores.flatMap(s => s.credentialsSecret === undefined ? [] : [exactly(s.credentialsSecret)]));
    if (credentials.length > 0) {
      statements.push({
        // What a PushSecret needs to write a secret that exists: it never creates, deletes or tags one.
        Sid: 'WriteGeneratedCredentials',
        Effect: 'Allow',
        Action: ['secretsmanager:DescribeSecret', 'secretsmanager:GetSecretValue', 'secretsmanager:PutSecretValue'],
        Resource: credentials,
      });
    }
    statements.push({
      Sid: 'DecryptThroughSecretsManager',
      Effect: 'Allow',
      Action: 'kms:Decrypt',
      Resource: unique([...this.stores.flatMap(s => s.masterSecretKeyArn === undefined ? [] : [s.masterSecretKeyArn]), secretsKey]),
      Condition: viaSecretsManager,
    });
    if (credentials.length > 0) {
      statements.push({
        Sid: 'EncryptThroughSecretsManager',
        Effect: 'Allow',
        Action: 'kms:GenerateDataKey',
        Resource: secretsKey,
        Condition: viaSecretsManager,
      });
    }
    return JSON.stringify({ Version: '2012-10-17', Statement: statements });
  }
}
