import { IProvisioner, ProvisionContext, ProvisionResult } from './provisioner';
import { RDS_OUTPUTS, bindRdsDatabase, rdsRequestProps } from './rds-binding';
import { Postgres } from '../aws/postgres';

/**
 * Provisions `postgres` resources: an RDS PostgreSQL instance per request
 * (or per shared `id`), its connection secret, the security group rule from
 * the cluster and IAM-auth connect rights for the workload.
 *
 * Outputs follow Score's postgres outputs: host, port, name, database,
 * username, password. The password is the RDS-managed master secret; it
 * never passes through Terraform.
 */
export class PostgresProvisioner implements IProvisioner {
  public readonly type = 'postgres';
  public readonly outputNames = RDS_OUTPUTS;

  public provision(context: ProvisionContext): ProvisionResult {
    const database = new Postgres(context.scope, 'Postgres', rdsRequestProps(context, this.type));
    return bindRdsDatabase(context, database, 'PostgreSQL');
  }
}
