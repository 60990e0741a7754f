import { Duration } from 'cdk8s';
import {
  AlertThreshold, Environment, MonitoringStack, PlatformMonitoring, Probe, Resource, Slo, SloConvention, TenantSecretAccess, Workload, WorkloadProps,
} from '../../lib';
import { expectValidDashboard } from '../support/grafana-dashboard';
import { expectValidKubernetesObjects } from '../support/k8s-schema';
import { synthChart, testPlatform, workloadEnvironment } from '../support/synth';

const IMAGE = 'ghcr.io/acme/orders:1.4.2';
const OTEL = new MonitoringStack({ requestConvention: SloConvention.openTelemetryHttp() });

function orders(env: Environment, props: Partial<WorkloadProps> = {}): Workload {
  return new Workload(env, 'orders', { tenant: 'shop', image: IMAGE, port: 8080, ...props });
}

/** The workload's objects by `Kind/name`, schema-validated. */
function objects(workload: Workload): { [kindName: string]: any } {
  const all = synthChart(workload.environment.chart(workload.name, workload.tenant));
  expectValidKubernetesObjects(all);
  return Object.fromEntries(all.map(o => [`${o.kind}/${o.metadata.name}`, o]));
}

/** The NetworkPolicy ingress rules that admit the monitoring namespace. */
function scraperRules(workload: Workload): any[] {
  return objects(workload)['NetworkPolicy/orders'].spec.ingress
    .filter((rule: any) => rule.from?.some((peer: any) => peer.namespaceSelector?.matchLabels?.['kubernetes.io/metadata.name'] === 'monitoring'));
}

function rules(workload: Workload): any[] {
  return workload.monitoring.rules.toRuleFile().groups.flatMap((g: any) => g.rules);
}

describe('Workload observability', () => {
  test('every workload gets its golden-signal alerts and dashboard, with the tenant and workload labels, in the monitoring wave', () => {
    // GIVEN
    const env = workloadEnvironment();
    // WHEN
    const workload = orders(env);
    // THEN
    const all = objects(workload);
    expect(Object.keys(all)).toEqual(expect.arrayContaining(['PrometheusRule/orders', 'ConfigMap/orders-dashboard']));
    expect(all['ServiceMonitor/orders']).toBeUndefined();
    expect(workload.monitoring.rules.alertNames).toEqual(['WorkloadCpuThrottlingHigh', 'WorkloadMemoryNearLimit', 'WorkloadRestartingOften', 'WorkloadCrashLooping', 'WorkloadAtMaxReplicas']);
    for (const object of [all['PrometheusRule/orders'], all['ConfigMap/orders-dashboard']]) {
      expect(object.metadata.labels).toMatchObject({ 'paved.dev/tenant': 'shop', 'paved.dev/workload': 'orders' });
      expect(object.metadata.annotations['argocd.argoproj.io/sync-wave']).toBe('1');
    }
    expectValidDashboard(JSON.parse(all['ConfigMap/orders-dashboard'].data['orders-dashboard.json']));
    // Nobody scrapes it, so nothing is admitted.
    expect(scraperRules(workload)).toEqual([]);
  });

  test('a metrics port the Service forwards to is scraped through a ServiceMonitor; Prometheus is admitted on it and nothing else', () => {
    // GIVEN
    const env = workloadEnvironment();
    // WHEN
    const workload = orders(env, { metrics: { port: 8080, path: '/internal/metrics', interval: Duration.seconds(15) } });
    // THEN
    const monitor = objects(workload)['ServiceMonitor/orders'];
    expect(monitor.spec).toMatchObject({
      selector: { matchLabels: { 'app.kubernetes.io/name': 'orders', 'app.kubernetes.io/instance': 'orders' } },
      namespaceSelector: { matchNames: ['shop'] },
      endpoints: [{ port: 'http', path: '/internal/metrics', interval: '15s' }],
    });
    expect(objects(workload)['Service/orders'].spec.ports.map((p: any) => p.name)).toContain(monitor.spec.endpoints[0].port);
    expect(scraperRules(workload)).toEqual([{
      from: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'monitoring' } }, podSelector: { matchLabels: { 'app.kubernetes.io/name': 'prometheus' } } }],
      ports: [{ port: 8080, protocol: 'TCP' }],
    }]);
  });

  test('a container port the Service does not expose is scraped through a PodMonitor, by its port name', () => {
    // GIVEN
    const env = workloadEnvironment();
    // WHEN
    const workload = orders(env, { additionalPorts: { metrics: 9090 }, metrics: { port: 9090 } });
    // THEN
    const all = objects(workload);
    expect(all['ServiceMonitor/orders']).toBeUndefined();
    expect(all['PodMonitor/orders'].spec.podMetricsEndpoints).toEqual([{ port: 'metrics', path: '/metrics', interval: '30s', scheme: 'http' }]);
    expect(all['Deployment/orders'].spec.template.spec.containers[0].ports).toContainEqual({ name: 'metrics', containerPort: 9090, protocol: 'TCP' });
    expect(scraperRules(workload).map(r => r.ports)).toEqual([[{ port: 9090, protocol: 'TCP' }]]);
  });

  test('a sidecar\'s port (an exporter) can serve the metrics', () => {
    const env = workloadEnvironment();
    const workload = orders(env, {
      containers: [{ name: 'exporter', image: 'ghcr.io/acme/exporter:1.0.0', ports: { exporter: 9187 }, livenessProbe: Probe.httpGet({ path: '/', port: 9187 }) }],
      metrics: { port: 9187 },
    });
    expect(objects(workload)['PodMonitor/orders'].spec.podMetricsEndpoints[0].port).toBe('exporter');
  });

  test('the monitoring stack\'s scraper is the one admitted', () => {
    const platform = testPlatform();
    const env = workloadEnvironment(platform);
    new PlatformMonitoring(env, 'Monitoring', { stack: new MonitoringStack({ namespace: 'observability' }) });
    const workload = orders(env, { metrics: { port: 8080 } });
    expect(scraperRules(workload)).toEqual([]);
    const rule = objects(workload)['NetworkPolicy/orders'].spec.ingress.find((r: any) => r.from?.[0]?.namespaceSelector?.matchLabels['kubernetes.io/metadata.name'] === 'observability');
    expect(rule.ports).toEqual([{ port: 8080, protocol: 'TCP' }]);
  });

  test('SLOs read the environment\'s request convention: recording rules and burn-rate alerts with the workload\'s labels', () => {
    // GIVEN
    const platform = testPlatform();
    const env = workloadEnvironment(platform);
    new PlatformMonitoring(env, 'Monitoring', { stack: OTEL });
    // WHEN
    const workload = orders(env, {
      metrics: { port: 8080 },
      slos: [Slo.availability({ name: 'availability', objective: 99.9 }), Slo.latency({ name: 'latency', objective: 99, thresholdSeconds: 0.5 })],
    });
    // THEN
    expect(workload.monitoring.rules.groupNames).toEqual(['orders-slo-availability', 'orders-slo-latency', 'orders-golden-signals']);
    expect(rules(workload).find(r => r.record === 'slo:sli_error:ratio_rate5m').expr)
      .toContain('http_server_request_duration_seconds_count{namespace="shop",app_kubernetes_io_name="orders",http_response_status_code=~"5.."}');
    for (const rule of rules(workload).filter(r => r.alert)) {
      expect(rule.labels).toMatchObject({ namespace: 'shop', tenant: 'shop', workload: 'orders' });
    }
    // DEV: the fast burn is a ticket, not a page.
    expect(rules(workload).find(r => r.alert === 'SloErrorBudgetBurnFast').labels.severity).toBe('warning');
    expect(workload.monitoring.rules.alertNames).toContain('WorkloadErrorRatioHigh');
  });

  test('default alert thresholds are changed or removed per workload', () => {
    const env = workloadEnvironment();
    const workload = orders(env, { alerts: { memoryLimitRatio: AlertThreshold.of(0.8), crashLoopingContainers: AlertThreshold.disabled() } });
    expect(rules(workload).find(r => r.alert === 'WorkloadMemoryNearLimit').expr).toMatch(/> 0.8$/);
    expect(workload.monitoring.rules.alertNames).not.toContain('WorkloadCrashLooping');
  });

  test('the dashboard shows the workload\'s database, cache and queue, its own and shared ones', () => {
    // GIVEN
    const env = workloadEnvironment();
    // WHEN
    const workload = orders(env, {
      resources: { db: Resource.postgres(), cache: Resource.redis(), jobs: Resource.of('queue'), events: Resource.of('queue', { id: 'events' }) },
    });
    // THEN
    const dashboard = JSON.stringify(workload.monitoring.dashboard!.toJson('x'));
    for (const selector of [
      'dimension_DBInstanceIdentifier=\\"dev-shop-orders-db\\"',
      'dimension_CacheClusterId=~\\"dev-shop-orders-cache-[0-9]+\\"',
      'dimension_QueueName=\\"dev-shop-orders-jobs\\"',
      'dimension_QueueName=\\"dev-shop-shared-queue-events-cc5df9a6\\"',
    ]) {
      expect(dashboard).toContain(selector);
    }
  });

  test('the environment\'s PlatformMonitoring must come before its tenants and workloads', () => {
    const env = workloadEnvironment();
    orders(env);
    expect(() => new PlatformMonitoring(env, 'Monitoring', { stack: OTEL }))
      .toThrow('dev/Monitoring: environment: got "dev"; expected a PlatformMonitoring declared before the environment\'s tenants, workloads and the GitOps construct');
    const other = workloadEnvironment(testPlatform());
    TenantSecretAccess.declare(other, 'shop');
    expect(() => new PlatformMonitoring(other, 'Monitoring')).toThrow('expected a PlatformMonitoring declared before');
  });

  test('fails when the metrics port is not a port of the workload', () => {
    const env = workloadEnvironment();
    expect(() => orders(env, { additionalPorts: { admin: 8081 }, metrics: { port: 9090 } }))
      .toThrow('dev-shop/orders: metrics.port: got 9090; expected a TCP port of the workload\'s containers: 8080 (http), 8081 (admin)');
  });

  test('fails with an SLO on a workload without metrics when the convention reads its own metrics', () => {
    const platform = testPlatform();
    const env = workloadEnvironment(platform);
    new PlatformMonitoring(env, 'Monitoring', { stack: OTEL });
    expect(() => orders(env, { slos: [Slo.availability({ name: 'availability', objective: 99.9 })] }))
      .toThrow('slos[0]: got "availability"; expected an SLO on a scraped workload: convention opentelemetry-http reads the workload\'s own metrics');
  });

  test('fails when metrics is not an object', () => {
    const env = workloadEnvironment();
    expect(() => orders(env, { metrics: 9090 as any })).toThrow('dev/orders: metrics: got 9090; expected an object of WorkloadMetrics { port, ... }');
  });
});
