import { Environment, KafkaTopicProvisioner, Resource, Workload, WorkloadProps } from '../../lib';
import { expectValidKubernetesObjects } from '../support/k8s-schema';
import { onlyResource, resourcesOf, statefulAddresses, synthChart, synthStack, workloadEnvironment } from '../support/synth';
import { expectNoDanglingReferences } from '../support/tf-references';

function orders(env: Environment, props: Partial<WorkloadProps> = {}, name = 'orders'): Workload {
  return new Workload(env, name, {
    tenant: 'shop',
    image: 'ghcr.io/acme/orders:1.4.2',
    port: 8080,
    resources: { events: Resource.of('kafka-topic') },
    env: { KAFKA_BOOTSTRAP: '${resources.events.host}:${resources.events.port}', TOPIC: '${resources.events.name}' },
    ...props,
  });
}

describe('KafkaTopicProvisioner', () => {
  test('handles Score\'s kafka-topic with outputs host, port, name, num_partitions and region', () => {
    expect([new KafkaTopicProvisioner().type, new KafkaTopicProvisioner().outputNames]).toEqual(['kafka-topic', ['host', 'port', 'name', 'num_partitions', 'region']]);
  });

  test('one MSK Serverless cluster per environment, in the foundation, shared by the topics of every workload; no password anywhere', () => {
    // GIVEN
    const env = workloadEnvironment();
    // WHEN
    orders(env);
    orders(env, {}, 'billing');
    // THEN
    const foundation = synthStack(env);
    expect(onlyResource(foundation, 'aws_msk_serverless_cluster')).toMatchObject({ cluster_name: 'dev-kafka', client_authentication: { sasl: { iam: { enabled: true } } } });
    expect(onlyResource(foundation, 'aws_vpc_security_group_ingress_rule')).toMatchObject({ referenced_security_group_id: 'sg-0123456789abcdef0', from_port: 9098 });
    const stack = synthStack(env.tenantScope('shop'));
    const policies = resourcesOf(stack, 'aws_iam_role_policy').filter(p => p.name === 'paved-grants').map(p => JSON.parse(p.policy).Statement[1].Resource);
    expect(policies.sort()).toEqual([
      'arn:aws:kafka:eu-central-1:123456789012:topic/dev-kafka/*/shop.billing.events',
      'arn:aws:kafka:eu-central-1:123456789012:topic/dev-kafka/*/shop.orders.events',
    ]);
    expect(JSON.stringify(stack)).not.toMatch(/password/i);
    expectNoDanglingReferences(stack);
  });

  test('the workload reads the bootstrap host from its Secret and gets port and topic as literals; egress to 9098 in the VPC', () => {
    // GIVEN
    const env = workloadEnvironment();
    // WHEN
    const workload = orders(env, { resources: { events: Resource.of('kafka-topic', { params: { partitions: 6, access: 'produce' } }) } });
    // THEN
    const all = synthChart(env.chart(workload.name, 'shop'));
    expectValidKubernetesObjects(all);
    const container = all.find(o => o.kind === 'Deployment').spec.template.spec.containers[0];
    expect(container.env).toEqual([
      { name: 'PAVED_ORDERS_EVENTS_HOST', valueFrom: { secretKeyRef: { name: 'orders-events', key: 'host' } } },
      { name: 'KAFKA_BOOTSTRAP', value: '$(PAVED_ORDERS_EVENTS_HOST):9098' },
      { name: 'TOPIC', value: 'shop.orders.events' },
    ]);
    const egress = all.find(o => o.kind === 'NetworkPolicy').spec.egress.map((e: any) => [e.to?.[0]?.ipBlock?.cidr, e.ports.map((p: any) => p.port)]);
    expect(egress).toContainEqual(['10.10.0.0/16', [9098]]);
    const version = onlyResource(synthStack(env.tenantScope('shop')), 'aws_secretsmanager_secret_version');
    expect(version.secret_string).toContain('"num_partitions" = "6"');
    const policy = JSON.parse(resourcesOf(synthStack(env.tenantScope('shop')), 'aws_iam_role_policy').find(p => p.name === 'paved-grants').policy);
    expect(policy.Statement[1].Action).toEqual(['kafka-cluster:DescribeTopic', 'kafka-cluster:CreateTopic', 'kafka-cluster:WriteData']);
  });

  test('a workload rolled back takes back the cluster it made and the rule it added', () => {
    const env = workloadEnvironment();
    const checkpoint = env._lookup.checkpoint();
    orders(env);
    env._lookup.rollback(checkpoint);
    expect(synthStack(env).resource?.aws_msk_serverless_cluster).toBeUndefined();
    orders(env, {}, 'billing');
    expect(resourcesOf(synthStack(env), 'aws_vpc_security_group_ingress_rule').filter(r => r.from_port === 9098)).toHaveLength(1);
  });

  test('pins the Terraform addresses of its stateful resources (a rename would replace them on upgrade)', () => {
    // GIVEN
    const env = workloadEnvironment();
    // WHEN
    orders(env);
    // THEN
    // The one cluster of the environment, in its foundation stack.
    expect(statefulAddresses(synthStack(env)).filter(a => a.startsWith('aws_msk'))).toEqual(['aws_msk_serverless_cluster.Kafka_DE2CE4FA']);
    expect(statefulAddresses(synthStack(env.tenantScope('shop')))).toEqual(['aws_secretsmanager_secret.orders_events_ConnectionSecret_7B1F3810']);
  });

  describe('fails when', () => {
    test('a param is unknown, or partitions or access invalid', () => {
      const request = (params: any) => () => orders(workloadEnvironment(), { resources: { events: Resource.of('kafka-topic', { params }) } });
      expect(request({ replicas: 3 })).toThrow('dev-shop/orders/events: resources.events.params: got ["replicas"]; expected only the params kafka-topic accepts: partitions, access');
      expect(request({ partitions: 0 })).toThrow('resources.events.params.partitions: got 0; expected an integer from 1 to 1000');
      expect(request({ access: 'admin' })).toThrow('resources.events.params.access: got "admin"');
    });
  });
});
