import { Construct } from 'constructs';
import { ConnectionSecret } from './connection-secret';
import { IProvisioner, ProvisionContext, ProvisionResult } from './provisioner';
import { KafkaServerless, KafkaTopicAccess } from '../aws/kafka-serverless';
import { invalid } from '../core/errors';
import { LookupKey } from '../core/lookup';

const OUTPUTS = ['host', 'port', 'name', 'num_partitions', 'region'];
const PARAMS = ['partitions', 'access'];
const CLUSTERS = new LookupKey<KafkaServerless>('kafka-serverless-clusters');
const CLUSTER_ID = 'Kafka';

/**
 * Provisions `kafka-topic` resources (Score's type): a topic of the
 * environment's Amazon MSK Serverless cluster (`<env>-kafka`, made in the
 * foundation stack with the first request and shared by every tenant:
 * MSK Serverless bills per cluster-hour), which only this workload may use.
 * No password exists: the workload signs in with its pod identity (SASL
 * IAM over TLS, e.g. the `aws-msk-iam-auth` library), and its IAM grant
 * names its topic (`<tenant>.<workload>.<resource>`) and the consumer
 * groups starting with that name only. The workload creates the topic
 * (it may, with `num_partitions` partitions) on first use.
 *
 * Outputs, as Score's kafka-topic: `host` (from the Secret: the bootstrap
 * endpoint), `port` (9098), `name` (the topic), `num_partitions`; and
 * `region` for the IAM signer. Params: `partitions` (1-1000, default 3),
 * `access` (`produce-and-consume`, the default, `produce` or `consume`).
 */
export class KafkaTopicProvisioner implements IProvisioner {
  /** The resource type, `kafka-topic`. */
  public readonly type = 'kafka-topic';
  /** The outputs a `kafka-topic` resource offers. */
  public readonly outputNames = OUTPUTS;

  /** Grants the topic on the environment's cluster (made on first use) and returns how the workload reaches it. */
  public provision(context: ProvisionContext): ProvisionResult {
    const params = context.resource.params;
    const where = `resources.${context.resourceName}.params`;
    const unknown = Object.keys(params).filter(p => !PARAMS.includes(p));
    if (unknown.length > 0) {
      throw invalid(context.scope, where, unknown, `only the params kafka-topic accepts: ${PARAMS.join(', ')}`);
    }
    const partitions = params.partitions ?? 3;
    if (!Number.isInteger(partitions) || partitions < 1 || partitions > 1000) {
      throw invalid(context.scope, `${where}.partitions`, partitions, 'an integer from 1 to 1000');
    }
    const access = params.access ?? KafkaTopicAccess.PRODUCE_AND_CONSUME;
    if (!Object.values(KafkaTopicAccess).includes(access)) {
      throw invalid(context.scope, `${where}.access`, access, `one of ${Object.values(KafkaTopicAccess).map(a => JSON.stringify(a)).join(', ')}`);
    }
    const env = context.environment;
    const clusters = context.clusters ?? [context.cluster];
    const kafka = env._lookup.singleton(CLUSTERS, CLUSTER_ID, () => new KafkaServerless(env as Construct, CLUSTER_ID, {
      network: context.network, clusterName: `${env.name}-kafka`,
    }));
    // Every cluster a workload asking for a topic runs on may connect.
    for (const cluster of clusters) { kafka._allowFromOnce(cluster.nodeSecurityGroupId, `Kafka from the nodes of cluster ${cluster.node.id}`); }
    const topic = [context.tenant, context.workload, context.resourceName].join('.');
    kafka.grantTopic(context.identity, topic, access);
    const region = env.region;
    new ConnectionSecret(context.scope, 'ConnectionSecret', {
      secretName: context.secretName,
      values: { host: kafka.host, port: String(kafka.port), name: topic, num_partitions: String(partitions), region },
    });
    return {
      outputs: [
        { name: 'host', secret: false },
        { name: 'port', secret: false, value: String(kafka.port) },
        { name: 'name', secret: false, value: topic },
        { name: 'num_partitions', secret: false, value: String(partitions) },
        { name: 'region', secret: false, value: region },
      ],
      remoteKeys: OUTPUTS.map(key => ({ secretKey: key, remoteKey: context.secretName, property: key })),
      egress: [{ cidr: context.network.vpcCidr, port: kafka.port, description: `Kafka ${context.resourceName}` }],
    };
  }
}
