import { ConnectionSecret } from './connection-secret';
import { DatabaseAuthentication, databaseUserBaseName, provisionDatabaseUser } from './database-user';
import { elasticacheUserScript } from './database-user-scripts';
import { IProvisioner, ProvisionContext, ProvisionResult } from './provisioner';
import { validateClientImage } from './rds-binding';
import { AlarmTopic } from '../aws/alarm-topic';
import { Redis } from '../aws/redis';
import { WorkloadIdentity } from '../aws/workload-identity';
import { checkArguments } from '../core/api-guard';
import { invalid } from '../core/errors';
import { Naming } from '../core/naming';

/** Options of a {@link RedisProvisioner}. */
export interface RedisProvisionerOptions {
  /**
   * How a request without an `auth` param logs in: a platform that runs
   * clients unable to sign IAM tokens (e.g. Score applications that read
   * a redis `password`) may make `DatabaseAuthentication.PASSWORD` its
   * default; the report lists every cache with a password.
   * @default DatabaseAuthentication.IAM
   */
  readonly authentication?: DatabaseAuthentication;
  /**
   * The image with the AWS CLI that sets the password of a cache with
   * `auth: password`, pinned by digest: e.g. a copy in the platform's own registry.
   * @default RedisProvisioner.DEFAULT_CLIENT_IMAGE
   */
  readonly clientImage?: string;
}

const OUTPUTS = ['host', 'port', 'username', 'password', 'cacheName', 'region'];
const PARAMS = ['engine', 'auth'];
/** The EKS Pod Identity agent on each node, where the AWS CLI gets the job's credentials. */
const POD_IDENTITY_AGENT = { cidr: '169.254.170.23/32', port: 80 };

/**
 * Provisions `redis` resources: an ElastiCache replication group (Valkey 8)
 * per request, its connection secret, the security group rule from the
 * cluster, and how the workload logs in.
 *
 * By default (`auth: iam`) no password exists: the workload signs an IAM
 * token (AWS SigV4, service `elasticache`, valid 15 minutes) for
 * `username` and `cacheName` in `region` with its pod identity's
 * credentials, and sends it as the password of `AUTH <username> <token>`
 * over TLS (`rediss://`); there is no `password` output, so a placeholder
 * to it fails at synth.
 *
 * `auth: password` is for clients that cannot sign IAM tokens (Score's
 * redis `password`), and weaker: a long-lived password exists. It is
 * generated in the cluster and set on a second user of the cache by a job
 * of the database admin namespace (the AWS CLI's `ModifyUser`, with an IAM
 * role of the job's own that may modify that one user), pushed to the
 * credentials secret and read by the workload's ExternalSecret: it never
 * passes through Terraform, which creates the user as an IAM user nobody is
 * granted and ignores its authentication mode afterwards. `username` is
 * then that user, and the workload gets no IAM grant.
 *
 * Outputs: `host` (from the Secret), `port` (6379), `username`,
 * `password` (secret, `auth: password` only), `cacheName` (the
 * replication group id) and `region`. Params: `engine` (`valkey` or
 * `redis`), `auth` (`iam` or `password`).
 */
export class RedisProvisioner implements IProvisioner {
  /** `amazon/aws-cli:2.27.50`, by digest. */
  public static readonly DEFAULT_CLIENT_IMAGE: string =
    'docker.io/amazon/aws-cli:2.27.50@sha256:48c3d4212e2f5b0e24bdc6af7708f9412ce65425a79575e0f78b8f8c0dcd70ab';

  /** The resource type, `redis`. */
  public readonly type = 'redis';
  /** The outputs a `redis` resource offers. */
  public readonly outputNames = OUTPUTS;
  /** The image of the job that sets a password (`auth: password`). */
  public readonly clientImage: string;
  /** How a request without an `auth` param logs in. */
  public readonly authentication: DatabaseAuthentication;

  constructor(options: RedisProvisionerOptions = {}) {

    checkArguments('RedisProvisioner', arguments);
    this.clientImage = validateClientImage('RedisProvisioner', options?.clientImage ?? RedisProvisioner.DEFAULT_CLIENT_IMAGE);
    this.authentication = options?.authentication ?? DatabaseAuthentication.IAM;
    if (!Object.values(DatabaseAuthentication).includes(this.authentication)) {
      throw invalid('RedisProvisioner', 'authentication', this.authentication, 'DatabaseAuthentication.IAM or DatabaseAuthentication.PASSWORD');
    }
  }

  /** Creates the resource under `context.scope` and returns how the workload reaches it. */
  public provision(context: ProvisionContext): ProvisionResult {
    const params = context.resource.params;
    const unknown = Object.keys(params).filter(p => !PARAMS.includes(p));
    if (unknown.length > 0) {
      throw invalid(context.scope, `resources.${context.resourceName}.params`, unknown, `only the params redis accepts: ${PARAMS.join(', ')}`);
    }
    const auth = params.auth ?? this.authentication;
    if (auth !== DatabaseAuthentication.IAM && auth !== DatabaseAuthentication.PASSWORD) {
      throw invalid(context.scope, `resources.${context.resourceName}.params.auth`, auth,
        '"iam" (IAM tokens, no password: the default) or "password" (for clients that cannot sign IAM tokens; weaker)');
    }
    const withPassword = auth === DatabaseAuthentication.PASSWORD;
    const cache = new Redis(context.scope, 'Redis', {
      network: context.network,
      size: context.size,
      engine: params.engine,
      allowFrom: (context.clusters ?? [context.cluster]).map(c => c.nodeSecurityGroupId),
      // Named after what the developer sees; the tenant keeps ids unique across teams.
      replicationGroupId: Naming.workloadResource(context.environment.name, context.tenant, context.workload, context.resourceName,
        Naming.ELASTICACHE),
      passwordUser: withPassword ? true : undefined,
      alarms: { topic: AlarmTopic.forTenant(context.environment, context.tenant) },
    });
    const region = context.environment.region;
    const username = withPassword ? cache.passwordUsername! : cache.username;
    new ConnectionSecret(context.scope, 'ConnectionSecret', {
      secretName: context.secretName,
      values: { host: cache.host, port: String(cache.port), username, cacheName: cache.replicationGroupId, region },
    });
    let credentials: string | undefined;
    if (withPassword) {
      const serviceAccount = databaseUserBaseName(context);
      // The job's own identity, on the cluster it runs on: it may set this user's password and nothing else.
      const jobIdentity = new WorkloadIdentity(context.scope, 'PasswordJobIdentity', {
        cluster: context.cluster, namespace: Naming.DATABASE_ADMIN_NAMESPACE, serviceAccount,
      });
      cache.grantSetPassword(jobIdentity);
      credentials = provisionDatabaseUser(context, {
        engine: 'ElastiCache',
        image: this.clientImage,
        script: elasticacheUserScript({ userId: username }),
        env: { AWS_REGION: region, AWS_DEFAULT_REGION: region },
        port: cache.port,
        authentication: DatabaseAuthentication.PASSWORD,
        serviceAccount,
        egress: [{ cidr: '0.0.0.0/0', port: 443 }, POD_IDENTITY_AGENT],
      });
    } else {
      cache.grantConnect(context.identity);
    }

    const keys = ['host', 'port', 'username', 'cacheName', 'region'];
    return {
      outputs: [
        { name: 'host', secret: false },
        { name: 'port', secret: false, value: String(cache.port) },
        { name: 'username', secret: false, value: username },
        ...(credentials !== undefined ? [{ name: 'password', secret: true }] : []),
        { name: 'cacheName', secret: false, value: cache.replicationGroupId },
        { name: 'region', secret: false, value: region },
      ],
      remoteKeys: [
        ...keys.map(key => ({ secretKey: key, remoteKey: context.secretName, property: key })),
        ...(credentials !== undefined ? [{ secretKey: 'password', remoteKey: credentials, property: 'password' }] : []),
      ],
      egress: [{ cidr: context.network.vpcCidr, port: cache.port, description: `Valkey/Redis ${context.resourceName}` }],
      ...(credentials === undefined ? {
        withheldOutputs: {
          password: 'the cache has no password: the workload signs IAM tokens; for clients that cannot, set params.auth: password (weaker)',
        },
      } : {}),
    };
  }
}
