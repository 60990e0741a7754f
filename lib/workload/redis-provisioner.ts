import { ConnectionSecret } from './connection-secret';
import { IProvisioner, ProvisionContext, ProvisionResult } from './provisioner';
import { AlarmTopic } from '../aws/alarm-topic';
import { Redis } from '../aws/redis';
import { invalid } from '../core/errors';
import { Naming } from '../core/naming';

const OUTPUTS = ['host', 'port', 'username', 'cacheName', 'region'];

/**
 * Provisions `redis` resources: an ElastiCache replication group (Valkey 8)
 * per request, its connection secret, the security group rule from the
 * cluster and IAM-auth connect rights for the workload.
 *
 * Outputs: `host` (read from the connection secret: known only after
 * apply), `port` (6379), `username`, `cacheName` (the replication group id)
 * and `region`. Score's redis `password` is not offered: the cache has no
 * password. The workload logs in with IAM: it signs a token (AWS SigV4,
 * service `elasticache`, valid 15 minutes) for `username` and `cacheName` in
 * `region` with its pod identity's credentials, and sends it as the password
 * of `AUTH <username> <token>` over TLS (`rediss://`). A placeholder to
 * `${resources.<name>.password}` therefore fails at synth, listing these
 * outputs, instead of handing the pod an empty password.
 *
 * Params: `engine` (`valkey` or `redis`).
 */
export class RedisProvisioner implements IProvisioner {
  /** The resource type, `redis`. */
  public readonly type = 'redis';
  /** The outputs a `redis` resource offers. */
  public readonly outputNames = OUTPUTS;

  /** Creates the resource under `context.scope` and returns how the workload reaches it. */
  public provision(context: ProvisionContext): ProvisionResult {
    const params = context.resource.params;
    const unknown = Object.keys(params).filter(p => p !== 'engine');
    if (unknown.length > 0) {
      throw invalid(context.scope, `resources.${context.resourceName}.params`, unknown, 'only the params redis accepts: engine');
    }
    const cache = new Redis(context.scope, 'Redis', {
      network: context.network,
      size: context.size,
      engine: params.engine,
      allowFrom: (context.clusters ?? [context.cluster]).map(c => c.nodeSecurityGroupId),
      // Named after what the developer sees; the tenant keeps ids unique across teams.
      replicationGroupId: Naming.workloadResource(context.environment.name, context.tenant, context.workload, context.resourceName,
        Naming.ELASTICACHE),
      alarms: { topic: AlarmTopic.forTenant(context.environment, context.tenant) },
    });
    const region = context.environment.region;
    new ConnectionSecret(context.scope, 'ConnectionSecret', {
      secretName: context.secretName,
      values: {
        host: cache.host,
        port: String(cache.port),
        username: cache.username,
        cacheName: cache.replicationGroupId,
        region,
      },
    });
    cache.grantConnect(context.identity);

    return {
      outputs: [
        { name: 'host', secret: false },
        { name: 'port', secret: false, value: String(cache.port) },
        { name: 'username', secret: false, value: cache.username },
        { name: 'cacheName', secret: false, value: cache.replicationGroupId },
        { name: 'region', secret: false, value: region },
      ],
      remoteKeys: OUTPUTS.map(key => ({ secretKey: key, remoteKey: context.secretName, property: key })),
      egress: [{ cidr: context.network.vpcCidr, port: cache.port, description: `Valkey/Redis ${context.resourceName}` }],
    };
  }
}
