import { mysqlUserScript } from './database-user-scripts';
import { IProvisioner, ProvisionContext, ProvisionResult } from './provisioner';
import { RDS_OUTPUTS, bindRdsDatabase, rdsRequestProps, validateClientImage } from './rds-binding';
import { Mysql } from '../aws/mysql';
import { checkArguments } from '../core/api-guard';

/** Options of a {@link MysqlProvisioner}. */
export interface MysqlProvisionerOptions {
  /**
   * The image with the `mysql` client (8.4) that the database admin job
   * runs, pinned by digest: e.g. a copy in the platform's own registry.
   * @default MysqlProvisioner.DEFAULT_CLIENT_IMAGE
   */
  readonly clientImage?: string;
}

/**
 * Provisions `mysql` resources: an RDS for MySQL 8.4 instance per request
 * (or per shared `id`), its connection secret, the security group rule from
 * the cluster, and an application user of its own with every privilege on
 * its database and none elsewhere.
 *
 * Outputs follow Score's mysql outputs: host, port, name, database,
 * username, password. `host` is read from the connection secret (known only
 * after apply); `port` (3306), `name`, `database` and `username` (the
 * application user `<workload>_<resource>`, never the master user) are
 * known at synth time; the password is generated in the cluster and never
 * passes through Terraform.
 *
 * Params: `databaseName` (default `<workload>_<resource>`) and `auth`
 * (`password`, the default, or `iam`: no password, the workload signs IAM
 * tokens; then there is no `password` output). See the README, "Database users".
 */
export class MysqlProvisioner implements IProvisioner {
  /** `mysql:8.4.6` (the mysql 8.4 client), by digest. */
  public static readonly DEFAULT_CLIENT_IMAGE: string =
    'docker.io/library/mysql:8.4.6@sha256:869218921e61d6c3c89820955d63cca42971f0e3e6c1e2792247bbd944ebc6e9';

  /** The resource type, `mysql`. */
  public readonly type = 'mysql';
  /** The outputs a `mysql` resource offers. */
  public readonly outputNames = RDS_OUTPUTS;
  /** The image the database admin job runs. */
  public readonly clientImage: string;

  constructor(options: MysqlProvisionerOptions = {}) {

    checkArguments('MysqlProvisioner', arguments);
    this.clientImage = validateClientImage('MysqlProvisioner', options?.clientImage ?? MysqlProvisioner.DEFAULT_CLIENT_IMAGE);
  }

  /** Creates the instance under `context.scope` and returns how the workload reaches it. */
  public provision(context: ProvisionContext): ProvisionResult {
    const database = new Mysql(context.scope, 'Mysql', rdsRequestProps(context, this.type));
    return bindRdsDatabase(context, database, { engineName: 'MySQL', image: this.clientImage, script: mysqlUserScript });
  }
}
