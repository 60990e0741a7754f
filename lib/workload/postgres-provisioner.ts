import { ConnectionSecret } from './connection-secret';
import { IProvisioner, ProvisionContext, ProvisionResult } from './provisioner';
import { TenantSecretAccess } from './tenant-secret-access';
import { Postgres } from '../aws/postgres';
import { invalid } from '../core/errors';
import { Naming } from '../core/naming';

const OUTPUTS = ['host', 'port', 'name', 'database', 'username', 'password'];

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
  public readonly outputNames = OUTPUTS;

  public provision(context: ProvisionContext): ProvisionResult {
    const unknown = Object.keys(context.resource.params).filter(p => p !== 'databaseName');
    if (unknown.length > 0) {
      throw invalid(context.scope, `resources.${context.resourceName}.params`, unknown, 'only the params postgres accepts: databaseName');
    }
    const database = new Postgres(context.scope, 'Postgres', {
      network: context.network,
      size: context.size,
      allowFrom: [context.cluster.nodeSecurityGroupId],
      // Named after what the developer sees; the tenant keeps identifiers unique across teams.
      identifier: Naming.name([context.environment.name, context.tenant, context.workload, context.resourceName], Naming.RDS),
      databaseName: context.resource.params.databaseName ?? `${context.workload}_${context.resourceName}`.replace(/-/g, '_'),
    });
    new ConnectionSecret(context.scope, 'ConnectionSecret', {
      secretName: context.secretName,
      values: {
        host: database.host,
        port: String(database.port),
        name: database.databaseName,
        database: database.databaseName,
        username: database.username,
      },
    });
    database.grantConnect(context.identity, database.username);
    TenantSecretAccess.of(context.environment, context.tenant).allowRdsMasterSecretOf(database.instanceArn, database.key.keyArn);

    return {
      outputs: [
        { name: 'host', secret: false },
        { name: 'port', secret: false, value: String(database.port) },
        { name: 'name', secret: false, value: database.databaseName },
        { name: 'database', secret: false, value: database.databaseName },
        { name: 'username', secret: false, value: database.username },
        { name: 'password', secret: true },
      ],
      remoteKeys: ['host', 'port', 'name', 'database', 'username']
        .map(key => ({ secretKey: key, remoteKey: context.secretName, property: key })),
      remoteByTags: [{
        tags: { 'aws:rds:primaryDBInstanceArn': database.instanceArn },
        properties: { password: 'password' },
      }],
      egress: [{ cidr: context.network.vpcCidr, port: database.port, description: `PostgreSQL ${context.resourceName}` }],
    };
  }
}
