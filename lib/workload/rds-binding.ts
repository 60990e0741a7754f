import { ConnectionSecret } from './connection-secret';
import { ProvisionContext, ProvisionResult } from './provisioner';
import { TenantSecretAccess } from './tenant-secret-access';
import { AlarmTopic } from '../aws/alarm-topic';
import { AlarmOptions } from '../aws/cloudwatch-alarms';
import { IDatabaseInstance } from '../aws/database-instance';
import { INetwork } from '../aws/network';
import { invalid } from '../core/errors';
import { Naming } from '../core/naming';
import { Size } from '../core/size';

/*
 * How the postgres and mysql provisioners bind an RDS instance to a workload:
 * Score's outputs host, port, name, database, username and password; every
 * output but the password in the connection secret; the password from the
 * RDS-managed master secret, found by its instance tag.
 */

/** Score's outputs of a postgres or mysql resource. @internal */
export const RDS_OUTPUTS = ['host', 'port', 'name', 'database', 'username', 'password'];

/** The props a provisioner gives a Postgres or Mysql. @internal */
export interface RdsRequestProps {
  readonly network: INetwork;
  readonly size: Size;
  readonly allowFrom: string[];
  readonly identifier: string;
  readonly databaseName: string;
  readonly alarms: AlarmOptions;
}

/**
 * Fails on params other than `databaseName`; returns the props of the
 * instance for one request, reachable from the cluster's nodes.
 * @param type the resource type, for the error message
 * @internal
 */
export function rdsRequestProps(context: ProvisionContext, type: string): RdsRequestProps {
  const unknown = Object.keys(context.resource.params).filter(p => p !== 'databaseName');
  if (unknown.length > 0) {
    throw invalid(context.scope, `resources.${context.resourceName}.params`, unknown, `only the params ${type} accepts: databaseName`);
  }
  return {
    network: context.network,
    size: context.size,
    allowFrom: (context.clusters ?? [context.cluster]).map(c => c.nodeSecurityGroupId),
    // Named after what the developer sees; the tenant keeps identifiers unique across teams.
    identifier: Naming.workloadResource(context.environment.name, context.tenant, context.workload, context.resourceName, Naming.RDS),
    databaseName: context.resource.params.databaseName ?? `${context.workload}_${context.resourceName}`.replace(/-/g, '_'),
    // The tenant's topic in either stack layout (in one stack the scope's own would be the platform's).
    alarms: { topic: AlarmTopic.forTenant(context.environment, context.tenant) },
  };
}

/**
 * Writes the connection secret, grants IAM-auth connect and lets the
 * tenant read the RDS-managed master secret; returns the outputs.
 * @param engineName the engine as people write it, for the egress description
 * @internal
 */
export function bindRdsDatabase(context: ProvisionContext, database: IDatabaseInstance, engineName: string): ProvisionResult {
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
  TenantSecretAccess.of(context.environment, context.tenant).allowRdsMasterSecretOf(database.instanceArn, database.masterUserSecretKeyArn);

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
    egress: [{ cidr: context.network.vpcCidr, port: database.port, description: `${engineName} ${context.resourceName}` }],
  };
}
