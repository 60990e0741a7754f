import { ConnectionSecret } from './connection-secret';
import { DatabaseAuthentication, provisionDatabaseUser } from './database-user';
import { DatabaseUserScriptProps } from './database-user-scripts';
import { ProvisionContext, ProvisionResult } from './provisioner';
import { AlarmTopic } from '../aws/alarm-topic';
import { AlarmOptions } from '../aws/cloudwatch-alarms';
import { IDatabaseInstance } from '../aws/database-instance';
import { INetwork } from '../aws/network';
import { invalid } from '../core/errors';
import { Naming } from '../core/naming';
import { Size } from '../core/size';
import { parseImage } from '../k8s/image';

/*
 * How the postgres and mysql provisioners bind an RDS instance to a
 * workload: Score's outputs host, port, name, database, username and
 * password, for an application user of the resource's own (never the
 * master user), made in the cluster by the database admin namespace's job;
 * every output but the password in the connection secret, the password in
 * the credentials secret External Secrets writes.
 */

/** Score's outputs of a postgres or mysql resource. @internal */
export const RDS_OUTPUTS = ['host', 'port', 'name', 'database', 'username', 'password'];
/** The params of a postgres or mysql resource. @internal */
export const RDS_PARAMS = ['databaseName', 'auth'];

/** The props a provisioner gives a Postgres or Mysql. @internal */
export interface RdsRequestProps {
  readonly network: INetwork;
  readonly size: Size;
  readonly allowFrom: string[];
  readonly identifier: string;
  readonly databaseName: string;
  readonly alarms: AlarmOptions;
}

/** What an engine's provisioner knows about its client. @internal */
export interface RdsClient {
  /** The engine as people write it (`PostgreSQL`). */
  readonly engineName: string;
  /** The client image the job runs, pinned by digest. */
  readonly image: string;
  /** The job's script. */
  readonly script: (props: DatabaseUserScriptProps) => string;
}

/**
 * Fails on params other than `databaseName` and `auth`; returns the props of the
 * instance for one request, reachable from the cluster's nodes.
 * @param type the resource type, for the error message
 * @internal
 */
export function rdsRequestProps(context: ProvisionContext, type: string): RdsRequestProps {
  const unknown = Object.keys(context.resource.params).filter(p => !RDS_PARAMS.includes(p));
  if (unknown.length > 0) {
    throw invalid(context.scope, `resources.${context.resourceName}.params`, unknown, `only the params ${type} accepts: ${RDS_PARAMS.join(', ')}`);
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
 * The `auth` param: `password` (default) or `iam`.
 * @internal
 */
export function databaseAuthentication(context: ProvisionContext): DatabaseAuthentication {
  const auth = context.resource.params.auth ?? DatabaseAuthentication.PASSWORD;
  const allowed = Object.values(DatabaseAuthentication) as string[];
  if (!allowed.includes(auth)) {
    throw invalid(context.scope, `resources.${context.resourceName}.params.auth`, auth,
      `one of ${allowed.map(a => JSON.stringify(a)).join(', ')} (a generated password, or IAM authentication tokens and no password)`);
  }
  return auth as DatabaseAuthentication;
}

/**
 * Fails unless `image` is a client image pinned by digest.
 * @internal
 */
export function validateClientImage(where: string, image: string): string {
  if (typeof image !== 'string' || parseImage(image)?.digest === undefined) {
    throw invalid(where, 'clientImage', image,
      'a client image pinned by its digest, e.g. "registry.example.com/postgres:17.6-alpine@sha256:<64 hex digits>" (the job handles master credentials)');
  }
  return image;
}

/**
 * Writes the connection secret, sets up the application user (a role of
 * its own, owner of its database, made in the cluster), grants IAM-auth
 * connect as that user when the resource asks for IAM authentication;
 * returns the outputs.
 * @internal
 */
export function bindRdsDatabase(context: ProvisionContext, database: IDatabaseInstance, client: RdsClient): ProvisionResult {
  const authentication = databaseAuthentication(context);
  const user = Naming.databaseUser(context.workload, context.resourceName);
  if (user === database.username) {
    throw invalid(context.scope, `resources.${context.resourceName}`, context.resourceName,
      `a resource whose application user (${user}, from workload and resource name) is not the master user ${database.username}`);
  }
  new ConnectionSecret(context.scope, 'ConnectionSecret', {
    secretName: context.secretName,
    values: {
      host: database.host,
      port: String(database.port),
      name: database.databaseName,
      database: database.databaseName,
      username: user,
    },
  });
  const credentialsSecret = provisionDatabaseUser(context, {
    engine: client.engineName,
    image: client.image,
    script: client.script({ user, database: database.databaseName, port: database.port, authentication }),
    env: {},
    port: database.port,
    masterSecret: { key: 'aws:rds:primaryDBInstanceArn', value: database.instanceArn },
    masterSecretKeyArn: database.masterUserSecretKeyArn!,
    authentication,
  });
  if (authentication === DatabaseAuthentication.IAM) {
    database.grantConnect(context.identity, user);
  }

  const keys = ['host', 'port', 'name', 'database', 'username'];
  return {
    outputs: [
      { name: 'host', secret: false },
      { name: 'port', secret: false, value: String(database.port) },
      { name: 'name', secret: false, value: database.databaseName },
      { name: 'database', secret: false, value: database.databaseName },
      { name: 'username', secret: false, value: user },
      ...(credentialsSecret !== undefined ? [{ name: 'password', secret: true }] : []),
    ],
    remoteKeys: [
      ...keys.map(key => ({ secretKey: key, remoteKey: context.secretName, property: key })),
      ...(credentialsSecret !== undefined ? [{ secretKey: 'password', remoteKey: credentialsSecret, property: 'password' }] : []),
    ],
    egress: [{ cidr: context.network.vpcCidr, port: database.port, description: `${client.engineName} ${context.resourceName}` }],
    ...(credentialsSecret === undefined ? {
      withheldOutputs: { password: 'auth: iam: no password exists, the workload signs IAM tokens (rds-db:connect) as its user' },
    } : {}),
  };
}
