import { ConnectionSecret } from './connection-secret';
import { IProvisioner, ProvisionContext, ProvisionResult } from './provisioner';
import { AlarmTopic } from '../aws/alarm-topic';
import { Queue } from '../aws/queue';
import { invalid } from '../core/errors';
import { Naming } from '../core/naming';

const OUTPUTS = ['url', 'arn', 'name', 'region'];
const PARAMS = ['fifo', 'visibilityTimeoutSeconds', 'retentionSeconds'];

/**
 * Provisions `queue` resources: an SQS queue with its dead-letter queue and
 * alarms per request ({@link Queue}), named
 * `<env>-<tenant>-<workload>-<resource>` (plus `.fifo`), its connection
 * secret, and the rights to send and consume for the workload.
 *
 * Outputs: url, arn, name, region. None is secret and all are known at
 * synth time, so `${resources.<name>.url}` becomes a literal in the manifest.
 *
 * Params: `fifo` (boolean), `visibilityTimeoutSeconds` and `retentionSeconds`
 * (whole seconds, within SQS's ranges).
 */
export class QueueProvisioner implements IProvisioner {
  public readonly type = 'queue';
  public readonly outputNames = OUTPUTS;

  public provision(context: ProvisionContext): ProvisionResult {
    const params = context.resource.params;
    const where = `resources.${context.resourceName}.params`;
    const unknown = Object.keys(params).filter(p => !PARAMS.includes(p));
    if (unknown.length > 0) {
      throw invalid(context.scope, where, unknown, `only the params queue accepts: ${PARAMS.join(', ')}`);
    }
    if (params.fifo !== undefined && typeof params.fifo !== 'boolean') {
      throw invalid(context.scope, `${where}.fifo`, params.fifo, 'true or false');
    }
    for (const name of ['visibilityTimeoutSeconds', 'retentionSeconds']) {
      if (params[name] !== undefined && typeof params[name] !== 'number') {
        throw invalid(context.scope, `${where}.${name}`, params[name], 'a number of seconds');
      }
    }
    const fifo: boolean = params.fifo ?? false;
    const queue = new Queue(context.scope, 'Queue', {
      // Named after what the developer sees; the tenant keeps names unique across teams.
      queueName: Naming.workloadResource(context.environment.name, context.tenant, context.workload, context.resourceName,
        fifo ? Naming.SQS_FIFO : Naming.SQS),
      fifo,
      visibilityTimeoutSeconds: params.visibilityTimeoutSeconds,
      retentionSeconds: params.retentionSeconds,
      alarmActions: [AlarmTopic.forTenant(context.environment, context.tenant).topicArn],
    });
    const values: { [key: string]: string } = {
      url: queue.queueUrl,
      arn: queue.queueArn,
      name: queue.queueName,
      region: queue.region,
    };
    new ConnectionSecret(context.scope, 'ConnectionSecret', { secretName: context.secretName, values });
    queue.grantSend(context.identity);
    queue.grantConsume(context.identity);

    return {
      outputs: OUTPUTS.map(name => ({ name, secret: false, value: values[name] })),
      remoteKeys: OUTPUTS.map(key => ({ secretKey: key, remoteKey: context.secretName, property: key })),
      // The SQS API is a public AWS endpoint (through the NAT gateway): HTTPS to any address.
      egress: [{ cidr: '0.0.0.0/0', port: 443, description: `SQS API (queue ${context.resourceName})` }],
      scalingQueue: queue,
    };
  }
}
