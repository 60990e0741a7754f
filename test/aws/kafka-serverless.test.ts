import { Environment } from '../../lib';
import { Cluster } from '../../lib/aws/cluster';
import { KafkaServerless, KafkaServerlessProps, KafkaTopicAccess } from '../../lib/aws/kafka-serverless';
import { INetwork, Network } from '../../lib/aws/network';
import { WorkloadIdentity } from '../../lib/aws/workload-identity';
import { devEnvironment, onlyResource, prodEnvironment, resourcesOf, synthStack } from '../support/synth';
import { expectNoDanglingReferences } from '../support/tf-references';

const NODE_SG = 'sg-0123456789abcdef0';

function network(env: Environment): INetwork {
  return Network.fromAttributes(env, 'Network', {
    vpcId: 'vpc-0123456789abcdef0',
    vpcCidr: '10.30.0.0/16',
    availabilityZones: ['eu-central-1a', 'eu-central-1b'],
    privateSubnetIds: ['subnet-0b000000000000001', 'subnet-0b000000000000002'],
    isolatedSubnetIds: ['subnet-0c000000000000001', 'subnet-0c000000000000002'],
  });
}

function kafka(env: Environment, props: Partial<KafkaServerlessProps> = {}): KafkaServerless {
  return new KafkaServerless(env, 'Events', { network: network(env), ...props });
}

function identity(env: Environment): WorkloadIdentity {
  const cluster = Cluster.fromAttributes(env, 'Cluster', { clusterName: 'main', nodeSecurityGroupId: NODE_SG });
  return new WorkloadIdentity(env, 'Identity', { cluster, namespace: 'shop', serviceAccount: 'orders' });
}

describe('KafkaServerless', () => {
  test('an MSK Serverless cluster with IAM authentication only, in the isolated subnets, 9098 from the groups allowed', () => {
    // GIVEN
    const env = devEnvironment();
    // WHEN
    const events = kafka(env, { allowFrom: [NODE_SG] });
    // THEN
    const stack = synthStack(env);
    expect(onlyResource(stack, 'aws_msk_serverless_cluster')).toMatchObject({
      cluster_name: 'dev-events',
      client_authentication: { sasl: { iam: { enabled: true } } },
      vpc_config: [{ subnet_ids: ['subnet-0c000000000000001', 'subnet-0c000000000000002'], security_group_ids: ['${aws_security_group.Events_SecurityGroup_980FB9CC.id}'] }],
    });
    expect(onlyResource(stack, 'aws_vpc_security_group_ingress_rule')).toMatchObject({ referenced_security_group_id: NODE_SG, from_port: 9098, to_port: 9098 });
    expect(events.host).toMatch(/^\$\{TfToken/);
    expect(events.port).toBe(9098);
    expectNoDanglingReferences(stack);
  });

  test('grantTopic: connect to the cluster, that topic only, and consumer groups named after it', () => {
    // GIVEN
    const env = devEnvironment();
    const events = kafka(env);
    // WHEN
    events.grantTopic(identity(env), 'shop.orders.events', KafkaTopicAccess.PRODUCE_AND_CONSUME);
    // THEN
    const topicArn = 'arn:aws:kafka:eu-central-1:123456789012:topic/dev-events/*/shop.orders.events';
    expect(JSON.parse(onlyResource(synthStack(env), 'aws_iam_role_policy').policy).Statement).toEqual([
      { Effect: 'Allow', Action: 'kafka-cluster:Connect', Resource: '${aws_msk_serverless_cluster.Events_D32975C2.arn}' },
      { Effect: 'Allow', Action: ['kafka-cluster:DescribeTopic', 'kafka-cluster:CreateTopic', 'kafka-cluster:WriteData', 'kafka-cluster:ReadData'], Resource: topicArn },
      { Effect: 'Allow', Action: ['kafka-cluster:DescribeGroup', 'kafka-cluster:AlterGroup'], Resource: 'arn:aws:kafka:eu-central-1:123456789012:group/dev-events/*/shop.orders.events*' },
    ]);
  });

  test('produce only or consume only', () => {
    const env = devEnvironment();
    const events = kafka(env);
    const producer = events.grantTopic(identity(env), 't', KafkaTopicAccess.PRODUCE);
    expect(producer.statements.map(s => s.actions)).toEqual([['kafka-cluster:Connect'], ['kafka-cluster:DescribeTopic', 'kafka-cluster:CreateTopic', 'kafka-cluster:WriteData']]);
    const other = devEnvironment();
    const consumer = kafka(other).grantTopic(identity(other), 't', KafkaTopicAccess.CONSUME);
    expect(consumer.statements.map(s => s.actions)).toEqual([
      ['kafka-cluster:Connect'], ['kafka-cluster:DescribeTopic', 'kafka-cluster:ReadData'], ['kafka-cluster:DescribeGroup', 'kafka-cluster:AlterGroup'],
    ]);
  });

  test('prevent_destroy by profile: on in PROD (the topics live only in the cluster), off in DEV, and overridable', () => {
    // GIVEN
    const dev = devEnvironment();
    const prod = prodEnvironment();
    const unprotected = prodEnvironment(undefined, 'sandbox');
    // WHEN
    kafka(dev);
    kafka(prod);
    kafka(unprotected, { preventDestroy: false });
    // THEN
    expect(onlyResource(synthStack(dev), 'aws_msk_serverless_cluster').lifecycle).toBeUndefined();
    expect(onlyResource(synthStack(prod), 'aws_msk_serverless_cluster').lifecycle).toEqual({ prevent_destroy: true });
    expect(onlyResource(synthStack(unprotected), 'aws_msk_serverless_cluster').lifecycle).toBeUndefined();
  });

  describe('fails when', () => {
    test('the cluster name is invalid', () => {
      expect(() => kafka(devEnvironment(), { clusterName: '1-events' })).toThrow('dev/Events: clusterName: got "1-events"');
    });
    test('the topic or the access is invalid', () => {
      const env = devEnvironment();
      const events = kafka(env);
      const orders = identity(env);
      expect(() => events.grantTopic(orders, 'a topic', KafkaTopicAccess.PRODUCE)).toThrow('dev/Events: topic: got "a topic"');
      expect(() => events.grantTopic(orders, 't', 'admin' as any)).toThrow('dev/Events: access: got "admin"');
    });
    test('preventDestroy is not a boolean', () => {
      expect(() => kafka(devEnvironment(), { preventDestroy: 'yes' as any })).toThrow('dev/Events: preventDestroy: got "yes"');
    });
    test('a security group is allowed twice', () => {
      expect(() => kafka(devEnvironment(), { allowFrom: [NODE_SG, NODE_SG] })).toThrow('dev/Events: allowFrom[1]: got "sg-0123456789abcdef0"');
    });
  });
});
