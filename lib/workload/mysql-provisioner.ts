import { IProvisioner, ProvisionContext, ProvisionResult } from './provisioner';
import { RDS_OUTPUTS, bindRdsDatabase, rdsRequestProps } from './rds-binding';
import { Mysql } from '../aws/mysql';

/**
 * Provisions `mysql` resources: an RDS for MySQL 8.4 instance per request
 * (or per shared `id`), its connection secret, the security group rule from
 * the cluster and IAM-auth connect rights for the workload.
 *
 * Outputs follow Score's mysql outputs: host, port, name, database,
 * username, password. `host` is read from the connection secret (known only
 * after apply); `port` (3306), `name`, `database` and `username` are known
 * at synth time; the password is the RDS-managed master secret, found by
 * its instance tag: it never passes through Terraform.
 *
 * Params: `databaseName` (default `<workload>_<resource>`).
 */
export class MysqlProvisioner implements IProvisioner {
  /** The resource type, `mysql`. */
  public readonly type = 'mysql';
  /** The outputs a `mysql` resource offers. */
  public readonly outputNames = RDS_OUTPUTS;

  /** Creates the instance under `context.scope` and returns how the workload reaches it. */
  public provision(context: ProvisionContext): ProvisionResult {
    const database = new Mysql(context.scope, 'Mysql', rdsRequestProps(context, this.type));
    return bindRdsDatabase(context, database, 'MySQL');
  }
}
