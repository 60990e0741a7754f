import {
  cloudWatchDimensionProblems, dashboardQueryProblems, receiverSecretProblems, ruleProblems, scrapeProblems, workloadsOf,
} from './operations-consistency';

/** A Deployment `name` in shop whose container has `ports`. */
function deployment(name: string, ports: any[] = [{ name: 'http', containerPort: 8080 }]): any {
  const labels = { 'app.kubernetes.io/name': name, 'app.kubernetes.io/instance': name };
  return {
    kind: 'Deployment',
    metadata: { name, namespace: 'shop', labels },
    spec: { template: { metadata: { labels }, spec: { containers: [{ name, ports }] } } },
  };
}
const SERVICE = {
  kind: 'Service',
  metadata: { name: 'orders', namespace: 'shop', labels: { 'app.kubernetes.io/name': 'orders' } },
  spec: { selector: { 'app.kubernetes.io/name': 'orders' }, ports: [{ name: 'http', port: 80, targetPort: 'http' }] },
};
const WORKLOADS = [deployment('orders'), deployment('orders-worker', [{ name: 'metrics', containerPort: 9090 }])];

function rule(labels: any, expr: string): any {
  return { kind: 'PrometheusRule', metadata: { name: 'orders', namespace: 'shop' }, spec: { groups: [{ name: 'g', rules: [{ alert: 'A', expr, labels }] }] } };
}

function dashboard(workload: string, targets: any[]): any {
  const json = {
    title: 'd',
    uid: 'd',
    schemaVersion: 39,
    time: { from: 'now-6h', to: 'now' },
    templating: { list: [{ name: 'datasource', type: 'datasource', query: 'prometheus' }] },
    panels: [{ id: 1, type: 'timeseries', title: 'p', gridPos: { x: 0, y: 0, w: 12, h: 8 }, targets }],
  };
  return { kind: 'ConfigMap', metadata: { name: 'd', namespace: 'shop', labels: { 'grafana_dashboard': '1', 'paved.dev/workload': workload } }, data: { 'd.json': JSON.stringify(json) } };
}

const TERRAFORM = [{
  resource: {
    aws_iam_role: { Role: { name: 'prod-shop-secrets' } },
    aws_iam_role_policy: {
      Policy: {
        role: '${aws_iam_role.Role.name}',
        policy: JSON.stringify({ Statement: [{ Effect: 'Allow', Action: ['secretsmanager:GetSecretValue'], Resource: 'arn:aws:secretsmanager:eu-central-1:222222222222:secret:paved/prod/shop/*' }] }),
      },
    },
    aws_db_instance: { Db: { identifier: 'prod-shop-orders-db' } },
    aws_elasticache_replication_group: { Cache: { replication_group_id: 'prod-shop-orders-cache', num_cache_clusters: 2 } },
  },
}];

function receiverObjects(remoteKey: string, secretKey = 'url'): any[] {
  return [
    { kind: 'SecretStore', metadata: { name: 'paved', namespace: 'shop' }, spec: { provider: { aws: { region: 'eu-central-1', role: 'arn:aws:iam::222222222222:role/prod-shop-secrets' } } } },
    {
      kind: 'ExternalSecret',
      metadata: { name: 'chat', namespace: 'shop' },
      spec: { secretStoreRef: { kind: 'SecretStore', name: 'paved' }, target: { name: 'chat' }, data: [{ secretKey, remoteRef: { key: remoteKey } }] },
    },
    { kind: 'AlertmanagerConfig', metadata: { name: 'shop', namespace: 'shop' }, spec: { receivers: [{ name: 'chat', slackConfigs: [{ apiURL: { name: 'chat', key: 'url' } }] }] } },
  ];
}

describe('operations consistency checks', () => {
  test('name the pods a workload runs the way Kubernetes does', () => {
    const [orders] = workloadsOf([deployment('orders'), { kind: 'ScaledObject', metadata: { name: 'orders', namespace: 'shop' }, spec: { scaleTargetRef: { name: 'orders' } } }]);
    expect(orders.podNames[0]).toMatch(/^orders-[a-z0-9]+-[a-z0-9]+$/);
    expect(orders.hpaNames).toEqual(['keda-hpa-orders']);
  });

  test('a monitor must select pods with a port of its endpoint\'s name', () => {
    const monitor = (kind: string, port: string, name = 'orders') => ({
      kind,
      metadata: { name, namespace: 'shop' },
      spec: { selector: { matchLabels: { 'app.kubernetes.io/name': name } }, [kind === 'PodMonitor' ? 'podMetricsEndpoints' : 'endpoints']: [{ port }] },
    });
    expect(scrapeProblems([...WORKLOADS, SERVICE, monitor('ServiceMonitor', 'http'), monitor('PodMonitor', 'metrics', 'orders-worker')])).toEqual([]);
    expect(scrapeProblems([...WORKLOADS, SERVICE, monitor('ServiceMonitor', 'metrics'), monitor('PodMonitor', 'metrics'), monitor('PodMonitor', 'm', 'ghost')])).toEqual([
      'ServiceMonitor shop/orders: Service orders has no port named metrics',
      'PodMonitor shop/orders: pods of Deployment orders have no port named metrics',
      'PodMonitor shop/ghost: selects no pods',
    ]);
  });

  test('a rule must select its own workload, in its namespace, and its labels name what exists', () => {
    const ok = rule({ namespace: 'shop', tenant: 'shop', workload: 'orders' }, 'sum(up{namespace="shop",pod=~"orders-[a-z0-9]+-[a-z0-9]+",container!=""})');
    expect(ruleProblems([...WORKLOADS, ok], ['shop'])).toEqual([]);
    const wrong = rule({ namespace: 'shop', tenant: 'shop', workload: 'orders' }, 'up{namespace="other",pod=~"orders-.*"} or up{app_kubernetes_io_name="ghost"}');
    const ghost = rule({ workload: 'ghost' }, 'up{namespace="shop"');
    expect(ruleProblems([...WORKLOADS, wrong, ghost], ['shop'])).toEqual([
      'PrometheusRule shop/orders g/A: up{namespace="other",pod=~"orders-.*"} does not select namespace shop',
      'PrometheusRule shop/orders g/A: up{namespace="other",pod=~"orders-.*"} selects orders, orders-worker, not only orders',
      'PrometheusRule shop/orders g/A: up{app_kubernetes_io_name="ghost"} selects no workload of namespace shop',
      'PrometheusRule shop/orders g/A: workload label ghost names no workload of namespace shop',
      expect.stringMatching(/^PrometheusRule shop\/orders g\/A: syntax error/),
    ]);
  });

  test('a dashboard must be valid, read Prometheus and select its workload', () => {
    const good = { refId: 'A', datasource: { type: 'prometheus', uid: '${datasource}' }, expr: 'rate(x{namespace="shop",app_kubernetes_io_name="orders"}[$__rate_interval])' };
    expect(dashboardQueryProblems([...WORKLOADS, dashboard('orders', [good])], ['shop'])).toEqual([]);
    const problems = dashboardQueryProblems([...WORKLOADS, dashboard('orders', [
      { ...good, refId: 'B', datasource: { type: 'loki', uid: '${datasource}' } },
      { ...good, refId: 'C', expr: 'rate(x{namespace="shop",app_kubernetes_io_name="orders-worker"}[5m])' },
      { ...good, refId: 'D', expr: 'sum(' },
    ])], ['shop']);
    expect(problems).toEqual([
      'dashboard shop/d d.json: panel 1 queries a loki data source',
      'dashboard shop/d d.json panel 1 C: x{namespace="shop",app_kubernetes_io_name="orders-worker"} selects orders-worker, not only orders',
      expect.stringMatching(/^dashboard shop\/d d.json panel 1 D: syntax error/),
    ]);
  });

  test('a CloudWatch dimension must name a resource Terraform makes', () => {
    const expr = 'aws_rds_cpu{dimension_DBInstanceIdentifier="prod-shop-orders-db"} or aws_ec{dimension_CacheClusterId=~"prod-shop-orders-cache-001|prod-shop-orders-cache-002"}';
    expect(cloudWatchDimensionProblems([rule({}, expr)], TERRAFORM)).toEqual([]);
    const bad = 'aws_rds_cpu{dimension_DBInstanceIdentifier="prod-shop-ghost-db"} or aws_ec{dimension_CacheClusterId=~"prod-shop-orders-cache-001|prod-shop-orders-cache-003"}';
    expect(cloudWatchDimensionProblems([rule({}, bad)], TERRAFORM)).toEqual([
      'PrometheusRule shop/orders g/A: dimension_DBInstanceIdentifier="prod-shop-ghost-db" selects no resource Terraform makes',
      'PrometheusRule shop/orders g/A: dimension_CacheClusterId names prod-shop-orders-cache-003, which Terraform does not make',
    ]);
  });

  test('a receiver secret must come from an ExternalSecret its store\'s role may read', () => {
    expect(receiverSecretProblems(receiverObjects('paved/prod/shop/alerting/slack'), TERRAFORM)).toEqual([]);
    expect(receiverSecretProblems(receiverObjects('paved/prod/platform/alerting/slack'), TERRAFORM)).toEqual([
      'AlertmanagerConfig shop/shop: Secret chat key url: role prod-shop-secrets may not read paved/prod/platform/alerting/slack',
    ]);
    expect(receiverSecretProblems(receiverObjects('paved/prod/shop/alerting/slack', 'webhook'), TERRAFORM)).toEqual([
      'AlertmanagerConfig shop/shop: Secret chat key url: ExternalSecret chat has no key url',
    ]);
    expect(receiverSecretProblems(receiverObjects('paved/prod/shop/alerting/slack').filter(o => o.kind !== 'ExternalSecret'), TERRAFORM)).toEqual([
      'AlertmanagerConfig shop/shop: Secret chat key url: no ExternalSecret makes it',
    ]);
  });
});
