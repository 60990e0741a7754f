import { ConnectionSecret } from './connection-secret';
import { DatabaseAuthentication, provisionDatabaseUser } from './database-user';
import { mongoUserScript } from './database-user-scripts';
import { IProvisioner, ProvisionContext, ProvisionResult } from './provisioner';
import { validateClientImage } from './rds-binding';
import { DocumentDb } from '../aws/document-db';
import { rdsRootCertificates } from '../aws/rds-certificates';
import { checkArguments } from '../core/api-guard';
import { invalid } from '../core/errors';
import { Naming } from '../core/naming';

/** Options of a {@link MongodbProvisioner}. */
export interface MongodbProvisionerOptions {
  /**
   * The image with `mongosh` that the database admin job runs, pinned by
   * digest: e.g. a copy in the platform's own registry.
   * @default MongodbProvisioner.DEFAULT_CLIENT_IMAGE
   */
  readonly clientImage?: string;
}

const OUTPUTS = ['host', 'port', 'username', 'password', 'database', 'connection', 'caFile'];
const PARAMS = ['databaseName'];
const DATABASE_NAME = /^[a-z][a-z0-9_]{0,62}$/;
/** Where the workload's containers find the root certificates of the cluster's TLS certificate. */
const CA_FILE = '/etc/paved/ca/rds-ca.pem';

/**
 * Provisions `mongodb` resources: an Amazon DocumentDB cluster (MongoDB 5.0
 * API) per request (or per shared `id`), its connection secret, the
 * security group rule from the cluster, and an application user of its own
 * (`<workload>_<resource>`, `readWrite` and `dbAdmin` on its database only)
 * made in the cluster by the database admin namespace, as for PostgreSQL
 * (see the README, "Database users").
 *
 * Outputs, as Score's mongodb: `host` (from the Secret), `port` (27017),
 * `username`, `password` (secret, generated in the cluster), `connection`
 * (secret: `mongodb://<username>:<password>@<host>:27017/<database>?tls=true&tlsCAFile=...&replicaSet=rs0&readPreference=secondaryPreferred&retryWrites=false&authSource=admin`,
 * composed by External Secrets: username and password are letters, digits
 * and `_`, so the URI needs no encoding); and `database` and `caFile`, the
 * path of the root certificates in the container (DocumentDB requires TLS).
 *
 * Params: `databaseName` (default `<workload>_<resource>`).
 */
export class MongodbProvisioner implements IProvisioner {
  /** `mongo:8.0.14` (mongosh), by digest. */
  public static readonly DEFAULT_CLIENT_IMAGE: string =
    'docker.io/library/mongo:8.0.14@sha256:877fa303326645cd0e50a3833fce2f3c03d6eb4aac82c97a02e98879f51126d3';

  /** The resource type, `mongodb`. */
  public readonly type = 'mongodb';
  /** The outputs a `mongodb` resource offers. */
  public readonly outputNames = OUTPUTS;
  /** The image the database admin job runs. */
  public readonly clientImage: string;

  constructor(options: MongodbProvisionerOptions = {}) {

    checkArguments('MongodbProvisioner', arguments);
    this.clientImage = validateClientImage('MongodbProvisioner', options?.clientImage ?? MongodbProvisioner.DEFAULT_CLIENT_IMAGE);
  }

  /** Creates the cluster under `context.scope` and returns how the workload reaches it. */
  public provision(context: ProvisionContext): ProvisionResult {
    const params = context.resource.params;
    const unknown = Object.keys(params).filter(p => !PARAMS.includes(p));
    if (unknown.length > 0) {
      throw invalid(context.scope, `resources.${context.resourceName}.params`, unknown, `only the params mongodb accepts: ${PARAMS.join(', ')}`);
    }
    const database = params.databaseName ?? `${context.workload}_${context.resourceName}`.replace(/-/g, '_');
    if (typeof database !== 'string' || !DATABASE_NAME.test(database) || ['admin', 'local', 'config'].includes(database)) {
      throw invalid(context.scope, `resources.${context.resourceName}.params.databaseName`, database,
        'a database name of 1-63 lowercase letters, digits and "_", starting with a letter, not admin, local or config');
    }
    const cluster = new DocumentDb(context.scope, 'DocumentDb', {
      network: context.network,
      size: context.size,
      allowFrom: (context.clusters ?? [context.cluster]).map(c => c.nodeSecurityGroupId),
      identifier: Naming.workloadResource(context.environment.name, context.tenant, context.workload, context.resourceName,
        { ...Naming.RDS, maxLength: 61 }),
    });
    const user = Naming.databaseUser(context.workload, context.resourceName);
    if (user === cluster.username) {
      throw invalid(context.scope, `resources.${context.resourceName}`, context.resourceName,
        `a resource whose application user (${user}) is not the master user ${cluster.username}`);
    }
    new ConnectionSecret(context.scope, 'ConnectionSecret', {
      secretName: context.secretName,
      values: { host: cluster.host, port: String(cluster.port), username: user, database },
    });
    const credentials = provisionDatabaseUser(context, {
      engine: 'DocumentDB',
      image: this.clientImage,
      script: mongoUserScript({ user, database, port: cluster.port, authentication: DatabaseAuthentication.PASSWORD }),
      env: {},
      port: cluster.port,
      masterSecret: { key: 'aws:rds:primaryDBClusterArn', value: cluster.clusterArn },
      masterSecretKeyArn: cluster.masterUserSecretKeyArn,
      authentication: DatabaseAuthentication.PASSWORD,
    })!;
    const query = `tls=true&tlsCAFile=${encodeURIComponent(CA_FILE)}&replicaSet=rs0&readPreference=secondaryPreferred&retryWrites=false&authSource=admin`;
    return {
      outputs: [
        { name: 'host', secret: false },
        { name: 'port', secret: false, value: String(cluster.port) },
        { name: 'username', secret: false, value: user },
        { name: 'password', secret: true },
        { name: 'database', secret: false, value: database },
        { name: 'connection', secret: true },
        { name: 'caFile', secret: false, value: CA_FILE },
      ],
      remoteKeys: [
        ...['host', 'port', 'username', 'database'].map(key => ({ secretKey: key, remoteKey: context.secretName, property: key })),
        { secretKey: 'password', remoteKey: credentials, property: 'password' },
      ],
      templates: [{
        secretKey: 'connection',
        template: `mongodb://{{ .username }}:{{ .password }}@{{ .host }}:{{ .port }}/{{ .database }}?${query}`,
      }],
      files: [{ path: CA_FILE, content: rdsRootCertificates(context.environment.region) }],
      egress: [{ cidr: context.network.vpcCidr, port: cluster.port, description: `DocumentDB ${context.resourceName}` }],
    };
  }
}
