import {
  AlarmComparison, AlarmTopic, Environment, Mysql, Network, Postgres, Profile, Redis, Resource, Size, StackLayout, Workload,
} from '../../lib';
import { elastiCacheAlarmDefinitions, instanceMemoryGiB, rdsAlarmDefinitions } from '../../lib/aws/cloudwatch-alarms';
import { devEnvironment, prodEnvironment, synthStack, testPlatform, workloadEnvironment } from '../support/synth';
import { expectNoDanglingReferences } from '../support/tf-references';

const GIB = 1024 ** 3;

function network(env: Environment): Network {
  return new Network(env, 'Network', { cidr: env.name === 'prod' ? '10.20.0.0/16' : '10.10.0.0/16' });
}

function alarms(stack: any): { [name: string]: any } {
  return Object.fromEntries(Object.values<any>(stack.resource.aws_cloudwatch_metric_alarm ?? {}).map(a => [a.alarm_name, a]));
}

function summary(definitions: { alarmName: string; metricName: string; statistic: string; comparison: string; threshold: number }[]): string[] {
  return definitions.map(d => `${d.alarmName} ${d.metricName} ${d.statistic} ${d.comparison === AlarmComparison.GREATER_THAN ? '>' : '<'} ${d.threshold}`);
}

describe('CloudWatch alarms', () => {
  test('a PostgreSQL instance of size M: CPU, free storage, connections and CPU credits, thresholds from the size', () => {
    // GIVEN
    const env = devEnvironment();
    // WHEN
    const db = new Postgres(env, 'OrdersDb', { network: network(env) });
    // THEN
    expect(summary(db.alarmDefinitions)).toEqual([
      'dev-ordersdb-cpu CPUUtilization Average > 80',
      `dev-ordersdb-free-storage FreeStorageSpace Minimum < ${5 * GIB}`,
      // db.t4g.medium: 4 GiB / 9531392 bytes per connection = 450 connections; 80% of them.
      'dev-ordersdb-connections DatabaseConnections Maximum > 360',
      // 10% of the 576 credits a db.t4g.medium can hold.
      'dev-ordersdb-cpu-credits CPUCreditBalance Minimum < 58',
    ]);
    const stack = synthStack(env);
    expectNoDanglingReferences(stack);
    expect(alarms(stack)['dev-ordersdb-free-storage']).toMatchObject({
      namespace: 'AWS/RDS',
      metric_name: 'FreeStorageSpace',
      dimensions: { DBInstanceIdentifier: 'dev-ordersdb' },
      statistic: 'Minimum',
      period: 300,
      evaluation_periods: 2,
      comparison_operator: 'LessThanThreshold',
      threshold: 5 * GIB,
      treat_missing_data: 'notBreaching',
      actions_enabled: true,
      alarm_actions: ['arn:aws:sns:eu-central-1:123456789012:paved-dev-platform-alarms'],
      ok_actions: ['arn:aws:sns:eu-central-1:123456789012:paved-dev-platform-alarms'],
      depends_on: ['aws_db_instance.OrdersDb_889E652A'],
    });
    expect(db.alarms).toHaveLength(4);
    expect(db.alarmDefinitions.filter(d => d.critical).map(d => d.metricName)).toEqual(['FreeStorageSpace', 'DatabaseConnections']);
  });

  test('a MySQL instance of size L (db.r6g.large, 16 GiB): MySQL\'s connections, no CPU credits', () => {
    const env = devEnvironment();
    const db = new Mysql(env, 'OrdersDb', { network: network(env), size: Size.L });
    expect(summary(db.alarmDefinitions)).toEqual([
      'dev-ordersdb-cpu CPUUtilization Average > 80',
      `dev-ordersdb-free-storage FreeStorageSpace Minimum < ${10 * GIB}`,
      'dev-ordersdb-connections DatabaseConnections Maximum > 1092',
    ]);
  });

  test('gp2 storage gets a burst balance alarm; an instance class paved does not know gets no connections alarm', () => {
    const custom = Size.M.extend('M-custom', { database: { instanceClass: 'db.custom1.huge', storageGiB: 20, maxStorageGiB: 20 } });
    expect(summary(rdsAlarmDefinitions('db', 'postgres', custom, 'gp2')).map(s => s.split(' ')[0])).toEqual(['db-cpu', 'db-free-storage', 'db-burst-balance']);
  });

  test.each<[string, number | undefined]>([
    ['db.t4g.micro', 1], ['db.t3.small', 2], ['db.t4g.2xlarge', 32], ['db.m6g.large', 8], ['db.m5.4xlarge', 64],
    ['db.r6g.2xlarge', 64], ['db.r6gd.xlarge', 32], ['db.x2g.large', 32], ['cache.r7g.large', 16], ['db.custom1.huge', undefined], ['nonsense', undefined],
  ])('the memory of %s is %s GiB', (instanceClass, gib) => {
    expect(instanceMemoryGiB(instanceClass)).toBe(gib);
  });

  test('a cache of size M (one replica): engine CPU, memory, evictions and replication lag on each node', () => {
    const env = devEnvironment();
    const cache = new Redis(env, 'OrdersCache', { network: network(env) });
    expect(cache.alarmDefinitions.map(d => d.alarmName)).toEqual([
      'dev-orderscache-001-engine-cpu', 'dev-orderscache-001-memory', 'dev-orderscache-001-evictions', 'dev-orderscache-001-replication-lag',
      'dev-orderscache-002-engine-cpu', 'dev-orderscache-002-memory', 'dev-orderscache-002-evictions', 'dev-orderscache-002-replication-lag',
    ]);
    expect(alarms(synthStack(env))['dev-orderscache-002-replication-lag']).toMatchObject({
      namespace: 'AWS/ElastiCache', metric_name: 'ReplicationLag', dimensions: { CacheClusterId: 'dev-orderscache-002' }, threshold: 30, period: 60, evaluation_periods: 5,
    });
  });

  test('a cache without replicas has no replication lag alarm', () => {
    const single = Size.S.extend('S-single', { cache: { nodeType: 'cache.t4g.micro', replicas: 0 } });
    expect(elastiCacheAlarmDefinitions('c', single).map(d => d.alarmName)).toEqual(['c-001-engine-cpu', 'c-001-memory', 'c-001-evictions']);
  });

  test('NAT gateways: port allocation errors and dropped packets, one set per gateway', () => {
    const dev = devEnvironment();
    expect(network(dev).alarmDefinitions.map(d => d.alarmName)).toEqual(['dev-network-nat-1-port-allocation', 'dev-network-nat-1-packets-dropped']);
    const prod = prodEnvironment();
    const prodNetwork = network(prod);
    expect(prodNetwork.alarmDefinitions).toHaveLength(6);
    const stack = synthStack(prod);
    expectNoDanglingReferences(stack);
    expect(alarms(stack)['prod-network-nat-2-port-allocation']).toMatchObject({
      namespace: 'AWS/NATGateway',
      metric_name: 'ErrorPortAllocation',
      statistic: 'Sum',
      threshold: 0,
      dimensions: { NatGatewayId: '${aws_nat_gateway.Network_NatGateway2_799D507E.id}' },
    });
  });

  test('alarms can notify another topic, or be turned off (reported)', () => {
    const env = devEnvironment();
    const topic = AlarmTopic.forTenant(env, 'shop');
    const db = new Postgres(env.tenantScope('shop'), 'OrdersDb', { network: network(env), alarms: { topic } });
    expect(Object.values<any>(synthStack(env.tenantScope('shop')).resource.aws_cloudwatch_metric_alarm).map(a => a.alarm_actions[0]))
      .toEqual(db.alarms.map(() => topic.topicArn));
    const quiet = new Redis(env, 'Cache', { network: Network.of(env), alarms: { enabled: false } });
    expect(quiet.alarms).toEqual([]);
    expect(quiet.alarmDefinitions).toEqual([]);
    const report = (env.platform as any).decisions.filter((d: any) => d.path === 'dev/Cache' && d.property === 'alarms');
    expect(report.map((d: any) => [d.value, d.source])).toEqual([['**none** (CloudWatch alarms turned off)', 'override']]);
  });

  test('a workload\'s data stores notify its tenant\'s topic in either stack layout', () => {
    for (const stackLayout of [StackLayout.PER_TENANT, StackLayout.SINGLE_STACK]) {
      const env = workloadEnvironment(testPlatform(), Profile.DEV, undefined, stackLayout);
      new Workload(env, 'orders', {
        tenant: 'shop',
        image: 'ghcr.io/acme/orders:1.4.2',
        port: 8080,
        resources: { db: Resource.postgres(), cache: Resource.redis(), jobs: Resource.of('queue') },
      });
      const stack = synthStack(env.tenantScope('shop'));
      // In one stack the network's NAT gateways are there too, notifying the platform.
      const actions = new Set(Object.values<any>(stack.resource.aws_cloudwatch_metric_alarm)
        .filter(a => a.namespace !== 'AWS/NATGateway').flatMap(a => a.alarm_actions));
      expect([...actions]).toEqual(['arn:aws:sns:eu-central-1:123456789012:paved-dev-shop-alarms']);
      expect(stack.resource.aws_sns_topic).toBeDefined();
    }
  });

  test.each<[any, string]>([
    ['on', 'alarms: got "on"; expected an object of AlarmOptions'],
    [{ enabled: 'yes' }, 'alarms.enabled: got "yes"; expected true or false'],
    [{ topic: { topicArn: 3 } }, 'alarms.topic: got {"topicArn":3}; expected an IAlarmTopic'],
  ])('fails with alarms %j', (options, message) => {
    const env = devEnvironment();
    expect(() => new Postgres(env, 'OrdersDb', { network: network(env), alarms: options })).toThrow(`dev/OrdersDb: ${message}`);
  });

  test('fails with a topic for alarms turned off', () => {
    const env = devEnvironment();
    expect(() => new Redis(env, 'Cache', { network: network(env), alarms: { enabled: false, topic: AlarmTopic.forPlatform(env) } }))
      .toThrow('dev/Cache: alarms.topic: got "paved-dev-platform-alarms"; expected no topic with enabled: false');
  });
});
