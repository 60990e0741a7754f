import { postgresUserScript } from './database-user-scripts';
import { IProvisioner, ProvisionContext, ProvisionResult } from './provisioner';
import { RDS_OUTPUTS, bindRdsDatabase, rdsRequestProps, validateClientImage } from './rds-binding';
import { Postgres } from '../aws/postgres';
import { checkArguments } from '../core/api-guard';

/** Options of a {@link PostgresProvisioner}. */
export interface PostgresProvisionerOptions {
  /**
   * The image with `psql` (PostgreSQL 16 or later) that the database admin
   * job runs, pinned by digest: e.g. a copy in the platform's own registry.
   * @default PostgresProvisioner.DEFAULT_CLIENT_IMAGE
   */
  readonly clientImage?: string;
}

/**
 * Provisions `postgres` resources: an RDS PostgreSQL instance per request
 * (or per shared `id`), its connection secret, the security group rule from
 * the cluster, and an application user of its own that owns the database.
 *
 * Outputs follow Score's postgres outputs: host, port, name, database,
 * username, password. `username` is the application user
 * (`<workload>_<resource>`), never the master user; its password is
 * generated in the cluster and never passes through Terraform. Params:
 * `databaseName` (default `<workload>_<resource>`) and `auth` (`password`,
 * the default, or `iam`: no password, the workload signs IAM tokens; then
 * there is no `password` output). See the README, "Database users".
 */
export class PostgresProvisioner implements IProvisioner {
  /** `postgres:17.6-alpine` (psql 17, which speaks to PostgreSQL 16), by digest. */
  public static readonly DEFAULT_CLIENT_IMAGE: string =
    'docker.io/library/postgres:17.6-alpine@sha256:ef257d85f76e48da1c64832459b59fcaba1a4dac97bf5d7450c77753542eee94';

  /** The resource type, `postgres`. */
  public readonly type = 'postgres';
  /** The outputs a `postgres` resource offers. */
  public readonly outputNames = RDS_OUTPUTS;
  /** The image the database admin job runs. */
  public readonly clientImage: string;

  constructor(options: PostgresProvisionerOptions = {}) {

    checkArguments('PostgresProvisioner', arguments);
    this.clientImage = validateClientImage('PostgresProvisioner', options?.clientImage ?? PostgresProvisioner.DEFAULT_CLIENT_IMAGE);
  }

  /** Creates the instance under `context.scope` and returns how the workload reaches it. */
  public provision(context: ProvisionContext): ProvisionResult {
    const database = new Postgres(context.scope, 'Postgres', rdsRequestProps(context, this.type));
    return bindRdsDatabase(context, database, { engineName: 'PostgreSQL', image: this.clientImage, script: postgresUserScript });
  }
}
