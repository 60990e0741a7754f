import { Token } from 'cdktf';
import { Construct, IConstruct } from 'constructs';
import { Grant, GrantPolicy, IGrantable, validateGrantee } from './grant';
import { PolicyStatement } from './policy-statement';
import { Environment } from '../core/environment';
import { invalid } from '../core/errors';
import { validateInteger } from '../core/validation';

/**
 * An RDS database instance workloads connect to: a {@link Postgres} or
 * {@link Mysql} paved created, or an existing instance imported with
 * `Postgres.fromAttributes` / `Mysql.fromAttributes`.
 */
export interface IDatabaseInstance extends IConstruct {
  /** The engine: `postgres` or `mysql`. */
  readonly engine: string;
  /** The RDS instance identifier. */
  readonly identifier: string;
  /** ARN of the instance, `arn:<partition>:rds:<region>:<account>:db:<identifier>`, known at synth time. */
  readonly instanceArn: string;
  /** DNS name of the instance. */
  readonly host: string;
  /** Port the engine listens on. */
  readonly port: number;
  /** Name of the database on the instance. */
  readonly databaseName: string;
  /** Master user name. */
  readonly username: string;
  /** The instance's resource id (`db-...`), used in IAM authentication ARNs. */
  readonly resourceId: string;
  /**
   * ARN of the KMS key of the RDS-managed master user secret: whoever reads
   * the secret needs to decrypt with it.
   * @default - unknown: the secret is encrypted with a key whose use is granted elsewhere
   */
  readonly masterUserSecretKeyArn?: string;

  /**
   * Lets `grantee` connect as database user `dbUser` with IAM
   * authentication: `rds-db:connect` on this instance, as this user only.
   */
  grantConnect(grantee: IGrantable, dbUser: string): Grant;
}

/** Attributes of an existing RDS instance, for `Postgres.fromAttributes` and `Mysql.fromAttributes`. */
export interface DatabaseInstanceAttributes {
  /** The RDS instance identifier (a literal: the instance ARN is built from it). */
  readonly identifier: string;
  /** The instance's resource id, `db-` followed by 26 capital letters and digits (IAM authentication ARNs name it). */
  readonly resourceId: string;
  /** DNS name of the instance (its endpoint address). */
  readonly host: string;
  /**
   * Port the engine listens on.
   * @default - the engine's default: 5432 for PostgreSQL, 3306 for MySQL
   */
  readonly port?: number;
  /** Name of the database workloads use. */
  readonly databaseName: string;
  /** Master user name. */
  readonly username: string;
  /**
   * ARN of the KMS key of the RDS-managed master user secret.
   * @default - unknown: readers of the secret need the key's use granted elsewhere
   */
  readonly masterUserSecretKeyArn?: string;
}

/** Database user names each engine accepts. */
const DB_USERS: { [engine: string]: { readonly pattern: RegExp; readonly allowed: string; readonly port: number } } = {
  postgres: {
    pattern: /^[A-Za-z_][A-Za-z0-9_]{0,62}$/,
    allowed: 'a PostgreSQL user name: 1-63 letters, digits and underscores, not starting with a digit',
    port: 5432,
  },
  mysql: {
    pattern: /^[A-Za-z_][A-Za-z0-9_]{0,31}$/,
    allowed: 'a MySQL user name: 1-32 letters, digits and underscores, not starting with a digit',
    port: 3306,
  },
};
const IDENTIFIER = /^[a-z](?!.*--)([a-z0-9-]*[a-z0-9])?$/;
const RESOURCE_ID = /^db-[A-Z0-9]{26}$/;

/** What a created and an imported RDS instance share: IAM-auth grants. */
export abstract class DatabaseInstanceBase extends Construct implements IDatabaseInstance {
  public abstract readonly engine: string;
  public abstract readonly identifier: string;
  public abstract readonly instanceArn: string;
  public abstract readonly host: string;
  public abstract readonly port: number;
  public abstract readonly databaseName: string;
  public abstract readonly username: string;
  public abstract readonly resourceId: string;
  public abstract readonly masterUserSecretKeyArn?: string;

  /**
   * Lets `grantee` connect as database user `dbUser` with IAM
   * authentication: `rds-db:connect` on
   * `arn:<partition>:rds-db:<region>:<account>:dbuser:<resource id>/<dbUser>`
   * only. The user must exist in the database and may log in with IAM: in
   * PostgreSQL it holds the `rds_iam` role; in MySQL it was created
   * `IDENTIFIED WITH AWSAuthenticationPlugin AS 'RDS'` (and `REQUIRE SSL`).
   *
   * @param grantee who to grant to
   * @param dbUser the database user: letters, digits and underscores, not starting with a digit (63 for PostgreSQL, 32 for MySQL)
   */
  public grantConnect(grantee: IGrantable, dbUser: string): Grant {
    validateGrantee(this, grantee);
    const users = DB_USERS[this.engine];
    if (typeof dbUser !== 'string' || (!Token.isUnresolved(dbUser) && !users.pattern.test(dbUser))) {
      throw invalid(this, 'dbUser', dbUser, users.allowed);
    }
    const env = Environment.containing(this);
    const statement: PolicyStatement = {
      actions: ['rds-db:connect'],
      resources: [`arn:${env.partition}:rds-db:${env.region}:${env.account}:dbuser:${this.resourceId}/${dbUser}`],
    };
    grantee.addToPolicy(statement);
    return Grant._of(grantee, GrantPolicy.IDENTITY, [statement]);
  }
}

/**
 * An existing RDS instance, by its attributes.
 * @internal
 */
export class ImportedDatabaseInstance extends DatabaseInstanceBase {
  public readonly engine: string;
  public readonly identifier: string;
  public readonly instanceArn: string;
  public readonly host: string;
  public readonly port: number;
  public readonly databaseName: string;
  public readonly username: string;
  public readonly resourceId: string;
  public readonly masterUserSecretKeyArn?: string;

  constructor(scope: Construct, id: string, engine: string, attrs: DatabaseInstanceAttributes) {
    super(scope, id);
    const env = Environment.containing(this);
    const users = DB_USERS[engine];
    if (typeof attrs.identifier !== 'string' || attrs.identifier.length > 63 || !IDENTIFIER.test(attrs.identifier)) {
      throw invalid(this, 'identifier', attrs.identifier,
        'an RDS identifier: 1-63 lowercase letters, digits and hyphens, starting with a letter, no "--", not ending with "-"');
    }
    if (typeof attrs.resourceId !== 'string' || (!Token.isUnresolved(attrs.resourceId) && !RESOURCE_ID.test(attrs.resourceId))) {
      throw invalid(this, 'resourceId', attrs.resourceId, 'an RDS resource id: "db-" followed by 26 capital letters and digits');
    }
    for (const property of ['host', 'databaseName'] as const) {
      if (typeof attrs[property] !== 'string' || attrs[property].length === 0) {
        throw invalid(this, property, attrs[property], 'a non-empty string');
      }
    }
    if (typeof attrs.username !== 'string' || (!Token.isUnresolved(attrs.username) && !users.pattern.test(attrs.username))) {
      throw invalid(this, 'username', attrs.username, users.allowed);
    }
    const port = attrs.port ?? users.port;
    validateInteger(this, 'port', port, 1, 65535);
    this.engine = engine;
    this.identifier = attrs.identifier;
    this.instanceArn = `arn:${env.partition}:rds:${env.region}:${env.account}:db:${attrs.identifier}`;
    this.host = attrs.host;
    this.port = port;
    this.databaseName = attrs.databaseName;
    this.username = attrs.username;
    this.resourceId = attrs.resourceId;
    this.masterUserSecretKeyArn = attrs.masterUserSecretKeyArn;
  }
}
