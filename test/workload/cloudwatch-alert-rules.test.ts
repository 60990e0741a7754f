import { App, Chart } from 'cdk8s';
import {
  AlarmTopic, Cluster, CloudWatchAlertRules, Environment, Network, Postgres, Profile, Queue, Resource, Size, TenantSecretAccess, Workload,
} from '../../lib';
import { analyzePromQl } from '../../lib/ops/promql';
import { clusterEnvironment } from '../support/gitops';
import { expectValidKubernetesObjects } from '../support/k8s-schema';
import { testPlatform } from '../support/synth';

const IMAGE = 'ghcr.io/acme/orders:1.4.2';

function monitoringChart(): Chart {
  return new Chart(new App(), 'cloudwatch', { namespace: 'monitoring', disableResourceNameHashes: true });
}

/** An environment with two clusters: shop on the first, analytics on the second, each with a database. */
function environment(profile: Profile = Profile.PROD): { env: Environment; main: Cluster; batch: Cluster } {
  const platform = testPlatform();
  const { env, cluster: main } = clusterEnvironment(platform, profile === Profile.PROD ? 'prod' : 'dev', profile);
  const batch = new Cluster(env, 'Batch', { adminRoleArns: [] });
  TenantSecretAccess.declare(env, 'shop', { clusters: [main] });
  TenantSecretAccess.declare(env, 'analytics', { clusters: [batch] });
  new Workload(env, 'orders', { tenant: 'shop', image: IMAGE, port: 8080, resources: { db: Resource.postgres(), jobs: Resource.of('queue') } });
  new Workload(env, 'insights', { tenant: 'analytics', image: IMAGE, port: 8080, resources: { db: Resource.postgres({ id: 'warehouse' }) } });
  return { env, main, batch };
}

function rules(env: Environment, cluster: Cluster): CloudWatchAlertRules {
  return new CloudWatchAlertRules(monitoringChart(), 'CloudWatchAlerts', { environment: env, cluster });
}

describe('CloudWatchAlertRules', () => {
  test('each alarm is evaluated on one cluster: a tenant\'s on its first cluster, the platform\'s on the environment\'s first', () => {
    // GIVEN
    const { env, main, batch } = environment();
    // WHEN
    const onMain = rules(env, main).toRuleFile();
    const onBatch = rules(env, batch).toRuleFile();
    // THEN
    expect(onMain.groups.map(g => g.name)).toEqual(['cloudwatch-platform', 'cloudwatch-shop']);
    expect(onBatch.groups.map(g => g.name)).toEqual(['cloudwatch-analytics']);
    const shop = onMain.groups[1].rules;
    expect(shop.map(r => r.alert)).toEqual([
      'AwsRdsCpu', 'AwsRdsFreeStorage', 'AwsRdsConnections', 'AwsRdsCpuCredits', 'AwsSqsDeadLetter', 'AwsSqsMessageAge',
    ]);
    for (const rule of shop) {
      expect(rule.labels).toMatchObject({ namespace: 'shop', tenant: 'shop', workload: 'orders' });
      expect(analyzePromQl(rule.expr).error).toBeUndefined();
    }
    expect(shop.find(r => r.alert === 'AwsRdsFreeStorage')).toMatchObject({
      expr: 'min by (dimension_DBInstanceIdentifier) (aws_rds_free_storage_space_minimum{dimension_DBInstanceIdentifier="prod-shop-orders-db"}) < 5368709120',
      for: '10m',
      labels: { severity: 'critical' },
    });
    // A shared database belongs to the tenant, not to one workload.
    expect(onBatch.groups[0].rules[0].labels).toEqual({ severity: 'warning', namespace: 'analytics', tenant: 'analytics' });
    // Three NAT gateways, one rule each kind: their ids are known at apply time only.
    expect(onMain.groups[0].rules.map(r => [r.alert, r.labels])).toEqual([
      ['AwsNatGatewayPortAllocation', { severity: 'critical' }],
      ['AwsNatGatewayPacketsDropped', { severity: 'warning' }],
    ]);
  });

  test('a PrometheusRule in the chart\'s namespace, in the monitoring wave, written at synth with what is declared by then', () => {
    const { env, main } = environment();
    const chart = monitoringChart();
    const cloudwatch = new CloudWatchAlertRules(chart, 'CloudWatchAlerts', { environment: env, cluster: main });
    new Postgres(env, 'PlatformDb', { network: Network.of(env) });
    const [object] = chart.toJson();
    expectValidKubernetesObjects([object]);
    expect(object.metadata).toMatchObject({ name: 'cloudwatch-alerts', namespace: 'monitoring', annotations: { 'argocd.argoproj.io/sync-wave': '1' } });
    expect(object.spec.groups).toEqual(cloudwatch.toRuleFile().groups);
    expect(JSON.stringify(object.spec.groups[0])).toContain('prod-platformdb');
  });

  test('DEV never pages', () => {
    const { env, main } = environment(Profile.DEV);
    const severities = rules(env, main).toRuleFile().groups.flatMap(g => g.rules.map(r => r.labels!.severity));
    expect(new Set(severities)).toEqual(new Set(['warning']));
  });

  test('a queue made by hand notifies, and alerts to, the tenant whose topic it names', () => {
    const { env, main } = environment();
    new Queue(env.tenantScope('shop'), 'Events', { queueName: 'prod-shop-events', alarmActions: [AlarmTopic.forTenant(env, 'shop').topicArn] });
    const shop = rules(env, main).toRuleFile().groups.find(g => g.name === 'cloudwatch-shop')!;
    const events = shop.rules.filter(r => r.expr.includes('prod-shop-events'));
    expect(events.map(r => r.labels)).toEqual([
      { severity: 'warning', namespace: 'shop', tenant: 'shop' },
      { severity: 'warning', namespace: 'shop', tenant: 'shop' },
    ]);
  });

  test('databases of one size share each rule; of another size, a rule of the same name tells them apart by the alarm', () => {
    // GIVEN three databases shared by shop's workloads: two of one size, one larger
    const { env, main } = environment();
    new Workload(env, 'billing', {
      tenant: 'shop',
      image: IMAGE,
      port: 8080,
      resources: {
        ledger: Resource.postgres({ id: 'ledger' }),
        journal: Resource.postgres({ id: 'journal' }),
        archive: Resource.postgres({ id: 'archive', size: Size.XL }),
      },
    });
    // WHEN
    const shop = rules(env, main).toRuleFile().groups.find(g => g.name === 'cloudwatch-shop')!.rules;
    // THEN orders' own database keeps its rule; the shared ones of one size share one
    const connections = shop.filter(r => r.alert === 'AwsRdsConnections');
    expect(connections.map(r => r.labels!.workload)).toEqual(['orders', undefined, undefined]);
    const [, shared, larger] = connections;
    expect(shared.expr).toMatch(/dimension_DBInstanceIdentifier=~"prod-shop-shared-postgres-ledger-[0-9a-f]+\|prod-shop-shared-postgres-journal-[0-9a-f]+"/);
    expect(shared.labels!.aws_alarm).toBeUndefined();
    expect(larger.expr).toContain('archive');
    expect(larger.labels!.aws_alarm).toMatch(/^prod-shop-shared-postgres-archive-[0-9a-f]+-connections$/);
    // No two rules of one group have the same name and labels.
    const identities = shop.map(r => JSON.stringify([r.alert, r.labels]));
    expect(new Set(identities).size).toBe(identities.length);
  });

  test('fails without an environment', () => {
    const { main } = environment();
    expect(() => new CloudWatchAlertRules(monitoringChart(), 'CloudWatchAlerts', { environment: 'prod' as any, cluster: main }))
      .toThrow('cloudwatch/CloudWatchAlerts: environment: got "prod"; expected an Environment');
  });

  test('fails for a cluster of another environment', () => {
    const { env } = environment();
    const other = clusterEnvironment(testPlatform()).cluster;
    expect(() => rules(env, other)).toThrow('cloudwatch/CloudWatchAlerts: cluster: got "dev/Cluster"; expected a cluster of environment prod');
  });
});
