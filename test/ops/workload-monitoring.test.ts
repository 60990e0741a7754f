import { Chart, Duration } from 'cdk8s';
import { Profile } from '../../lib/core';
import {
  AlertSeverity,
  AlertThreshold,
  MonitoredDependency,
  MonitoringStack,
  ScrapeTarget,
  Slo,
  SloConvention,
  WorkloadKind,
  WorkloadMonitoring,
  WorkloadMonitoringProps,
} from '../../lib/ops';
import { expectValidDashboard } from '../support/grafana-dashboard';
import { expectValidKubernetesObjects } from '../support/k8s-schema';
import { byKindName, shopChart } from '../support/ops';
import { testPlatform } from '../support/synth';

const QUEUE = { queueUrl: 'https://sqs.eu-central-1.amazonaws.com/123456789012/dev-shop-billing', queueName: 'dev-shop-billing', region: 'eu-central-1', isPavedQueue: true };
const STACK = new MonitoringStack({ requestConvention: SloConvention.openTelemetryHttp() });
const selector = (name: string) => ({ 'app.kubernetes.io/name': name, 'app.kubernetes.io/instance': name });
const web = (extra: Partial<WorkloadMonitoringProps> = {}): WorkloadMonitoringProps => ({
  workload: 'orders', tenant: 'shop', kind: WorkloadKind.WEB, selectorLabels: selector('orders'), metricsPort: 'http', stack: STACK, ...extra,
});

function rulesOf(m: WorkloadMonitoring): any[] {
  return m.rules.toRuleFile().groups.flatMap((g: any) => g.rules);
}
function alert(m: WorkloadMonitoring, name: string): any {
  return rulesOf(m).find(r => r.alert === name);
}

describe('WorkloadMonitoring', () => {
  test('a web app: ServiceMonitor, rules with SLOs and golden signals, dashboard; every object valid', () => {
    // GIVEN
    const chart = shopChart();
    // WHEN
    const m = new WorkloadMonitoring(chart, 'orders', web({
      metricsPort: 'http',
      minReplicas: 2,
      maxReplicas: 6,
      slos: [Slo.availability({ name: 'availability', objective: 99.9 }), Slo.latency({ name: 'latency', objective: 99, thresholdSeconds: 0.3 })],
      dependencies: [MonitoredDependency.rds('prod-shop-orders-db'), MonitoredDependency.elastiCache('prod-shop-cache'), MonitoredDependency.sqs('prod-shop-events')],
    }));
    // THEN
    const objects = byKindName(chart);
    expect(Object.keys(objects)).toEqual(['ServiceMonitor/orders', 'PrometheusRule/orders', 'ConfigMap/orders-dashboard']);
    expectValidKubernetesObjects(Object.values(objects));
    expect(m.serviceMonitor?.port).toBe('http');
    expect(m.podMonitor).toBeUndefined();
    expect(m.rules.groupNames).toEqual(['orders-slo-availability', 'orders-slo-latency', 'orders-golden-signals']);
    expect(m.rules.alertNames).toEqual([
      'SloErrorBudgetBurnFast', 'SloErrorBudgetBurnSlow', 'SloErrorBudgetBurnFast', 'SloErrorBudgetBurnSlow',
      'WorkloadErrorRatioHigh', 'WorkloadLatencyHigh', 'WorkloadCpuThrottlingHigh', 'WorkloadMemoryNearLimit',
      'WorkloadRestartingOften', 'WorkloadCrashLooping', 'WorkloadAtMaxReplicas',
    ]);
    for (const rule of rulesOf(m)) {
      expect(rule.labels).toMatchObject({ namespace: 'shop', tenant: 'shop', workload: 'orders' });
    }
    const dashboard = JSON.parse(objects['ConfigMap/orders-dashboard'].data['orders-dashboard.json']);
    expectValidDashboard(dashboard);
    expect(dashboard.panels.filter((p: any) => p.type === 'row').map((p: any) => p.title)).toEqual([
      'Golden signals',
      'SLO availability: 99.9% of requests succeed over 30 days',
      'SLO latency: 99% of requests are served within 0.3 s over 30 days',
      'Resources', 'Scaling', 'Dependencies',
    ]);
    expect(objects['ConfigMap/orders-dashboard'].metadata.annotations).toEqual({ 'grafana_folder': 'shop', 'argocd.argoproj.io/sync-wave': '1' });
  });

  test('alerts read only this workload\'s pods and autoscaler', () => {
    const m = new WorkloadMonitoring(shopChart(), 'orders', web());
    expect(alert(m, 'WorkloadCpuThrottlingHigh').expr).toContain('pod=~"orders-[a-z0-9]+-[a-z0-9]+"');
    expect(alert(m, 'WorkloadAtMaxReplicas').expr).toContain('horizontalpodautoscaler="orders"');
    expect(alert(m, 'WorkloadErrorRatioHigh')).toMatchObject({ for: '10m', labels: { severity: 'critical' } });
  });

  test('a worker with a queue: PodMonitor, KEDA autoscaler, backlog sized by the queue length target and max replicas', () => {
    const chart = shopChart();
    const m = new WorkloadMonitoring(chart, 'billing', {
      workload: 'billing',
      tenant: 'shop',
      kind: WorkloadKind.WORKER,
      selectorLabels: selector('billing'),
      metricsPort: 'metrics',
      metricsPath: '/prom',
      scrapeInterval: Duration.seconds(15),
      queue: QUEUE,
      queueLengthTarget: 10,
      maxReplicas: 4,
      stack: STACK,
    });
    expect(m.podMonitor?.resource.kind).toBe('PodMonitor');
    expect(byKindName(chart)['PodMonitor/billing'].spec.podMetricsEndpoints).toEqual([{ port: 'metrics', path: '/prom', interval: '15s', scheme: 'http' }]);
    expect(m.rules.alertNames).toEqual([
      'WorkloadCpuThrottlingHigh', 'WorkloadMemoryNearLimit', 'WorkloadRestartingOften', 'WorkloadCrashLooping',
      'WorkloadAtMaxReplicas', 'WorkerQueueBacklogHigh', 'WorkerScalerErrors',
    ]);
    expect(alert(m, 'WorkloadAtMaxReplicas').expr).toContain('horizontalpodautoscaler="keda-hpa-billing"');
    expect(alert(m, 'WorkerQueueBacklogHigh').expr).toMatch(/keda_scaler_metrics_value\{exported_namespace="shop",scaledObject="billing"\}\) > 40$/);
  });

  test('a worker without a queue scales on CPU: its own HPA, no queue alerts; the backlog default needs max replicas', () => {
    const m = new WorkloadMonitoring(shopChart(), 'w', { workload: 'w', tenant: 'shop', kind: WorkloadKind.WORKER, selectorLabels: selector('w'), autoscalerName: 'w-hpa' });
    expect(m.rules.alertNames).not.toContain('WorkerQueueBacklogHigh');
    expect(alert(m, 'WorkloadAtMaxReplicas').expr).toContain('horizontalpodautoscaler="w-hpa"');
    const q = new WorkloadMonitoring(shopChart(), 'q', { workload: 'q', tenant: 'shop', kind: WorkloadKind.WORKER, selectorLabels: selector('q'), queue: QUEUE });
    expect(alert(q, 'WorkerQueueBacklogHigh').expr).toMatch(/> 100$/);
  });

  test('a cron job: failed runs and overdue runs after the starting deadline, no scaling alerts', () => {
    const m = new WorkloadMonitoring(shopChart(), 'report', {
      workload: 'report', tenant: 'shop', kind: WorkloadKind.CRON_JOB, selectorLabels: selector('report'), startingDeadlineSeconds: 600,
    });
    expect(m.rules.alertNames).toEqual(['WorkloadCpuThrottlingHigh', 'WorkloadMemoryNearLimit', 'CronJobFailed', 'CronJobRunOverdue']);
    expect(alert(m, 'CronJobRunOverdue').expr).toContain('> 660');
    expect(alert(m, 'WorkloadCpuThrottlingHigh').expr).toContain('pod=~"report-[0-9]+-[a-z0-9]+"');
    expect(JSON.stringify(m.dashboard!.toJson('x'))).toContain('kube_cronjob_status_last_successful_time');
  });

  test('a job: JobFailed', () => {
    const m = new WorkloadMonitoring(shopChart(), 'migrate', { workload: 'migrate', tenant: 'shop', kind: WorkloadKind.JOB, selectorLabels: selector('migrate') });
    expect(m.rules.alertNames).toEqual(['WorkloadCpuThrottlingHigh', 'WorkloadMemoryNearLimit', 'JobFailed']);
  });

  test('DEV never pages; pages can be set either way', () => {
    const dev = new WorkloadMonitoring(shopChart(), 'orders', web({ profile: Profile.DEV, slos: [Slo.availability({ name: 'a', objective: 99 })] }));
    expect(dev.pages).toBe(false);
    expect(rulesOf(dev).filter(r => r.alert).map(r => r.labels.severity)).not.toContain('critical');
    expect(new WorkloadMonitoring(shopChart(), 'o', web({ profile: Profile.DEV, pages: true })).pages).toBe(true);
    expect(new WorkloadMonitoring(shopChart(), 'p', web({ pages: false })).pages).toBe(false);
    expect(new WorkloadMonitoring(shopChart(), 's', web({ profile: Profile.STAGING })).pages).toBe(true);
  });

  test('each default alert can be changed or removed', () => {
    const m = new WorkloadMonitoring(shopChart(), 'orders', web({
      alerts: {
        errorRatio: AlertThreshold.of(0.01, { forDuration: Duration.minutes(2), severity: AlertSeverity.WARNING }),
        latencyP99Seconds: AlertThreshold.disabled(),
        cpuThrottlingRatio: AlertThreshold.of(0.5),
        memoryLimitRatio: AlertThreshold.disabled(),
        restartsPerHour: AlertThreshold.of(10),
        crashLoopingContainers: AlertThreshold.of(2),
        replicasAtMaxRatio: AlertThreshold.of(0.8),
      },
    }));
    expect(alert(m, 'WorkloadErrorRatioHigh')).toMatchObject({ for: '2m', labels: { severity: 'warning' } });
    expect(alert(m, 'WorkloadErrorRatioHigh').expr).toMatch(/> 0.01$/);
    expect(m.rules.alertNames).not.toContain('WorkloadLatencyHigh');
    expect(m.rules.alertNames).not.toContain('WorkloadMemoryNearLimit');
    expect(alert(m, 'WorkloadCpuThrottlingHigh')).toMatchObject({ for: '15m' });
    expect(alert(m, 'WorkloadCpuThrottlingHigh').expr).toMatch(/> 0.5$/);
    expect(alert(m, 'WorkloadRestartingOften').expr).toMatch(/> 10$/);
    expect(alert(m, 'WorkloadCrashLooping').expr).toMatch(/>= 2$/);
    expect(alert(m, 'WorkloadAtMaxReplicas').expr).toContain('>= 0.8');
  });

  test('queue, cron and job thresholds can be changed too', () => {
    const w = new WorkloadMonitoring(shopChart(), 'b', {
      workload: 'b',
      tenant: 'shop',
      kind: WorkloadKind.WORKER,
      selectorLabels: selector('b'),
      queue: QUEUE,
      alerts: {
        queueBacklog: AlertThreshold.of(7),
        scalerErrorsPerSecond: AlertThreshold.disabled(),
      },
    });
    expect(alert(w, 'WorkerQueueBacklogHigh').expr).toMatch(/> 7$/);
    expect(w.rules.alertNames).not.toContain('WorkerScalerErrors');
    const c = new WorkloadMonitoring(shopChart(), 'c', {
      workload: 'c',
      tenant: 'shop',
      kind: WorkloadKind.CRON_JOB,
      selectorLabels: selector('c'),
      alerts: { failedRuns: AlertThreshold.of(2), runOverdueSeconds: AlertThreshold.of(3600) },
    });
    expect(alert(c, 'CronJobFailed').expr).toMatch(/> 2$/);
    expect(alert(c, 'CronJobRunOverdue').expr).toContain('> 3600');
  });

  test('no request alerts without a convention; fixed replicas have no at-max alert', () => {
    const m = new WorkloadMonitoring(shopChart(), 'orders', { ...web(), metricsPort: undefined, stack: new MonitoringStack(), minReplicas: 3, maxReplicas: 3 });
    expect(m.rules.alertNames).toEqual(['WorkloadCpuThrottlingHigh', 'WorkloadMemoryNearLimit', 'WorkloadRestartingOften', 'WorkloadCrashLooping']);
    expect(m.serviceMonitor).toBeUndefined();
  });

  test('a web app whose metrics port is not on its Service is scraped through a PodMonitor', () => {
    const chart = shopChart();
    const m = new WorkloadMonitoring(chart, 'orders', web({ metricsPort: 'metrics', scrapeTarget: ScrapeTarget.POD }));
    expect(m.serviceMonitor).toBeUndefined();
    expect(byKindName(chart)['PodMonitor/orders'].spec).toMatchObject({
      selector: { matchLabels: selector('orders') }, podMetricsEndpoints: [{ port: 'metrics', path: '/metrics' }],
    });
  });

  test('a workload nobody scrapes has no request alerts from its own metrics; an ingress controller\'s convention still gives them', () => {
    const unscraped = new WorkloadMonitoring(shopChart(), 'orders', web({ metricsPort: undefined }));
    expect(unscraped.rules.alertNames).not.toContain('WorkloadErrorRatioHigh');
    expect(JSON.stringify(unscraped.dashboard!.toJson('x'))).not.toContain('http_server_request_duration_seconds');
    const ingress = new WorkloadMonitoring(shopChart(), 'orders', web({
      metricsPort: undefined, convention: SloConvention.ingressNginx(), slos: [Slo.availability({ name: 'availability', objective: 99 })],
    }));
    expect(ingress.rules.alertNames).toContain('WorkloadErrorRatioHigh');
    expect(ingress.slos.map(s => s.name)).toEqual(['availability']);
  });

  test('every object is in the monitoring sync wave, labelled with its tenant and workload', () => {
    const chart = shopChart();
    new WorkloadMonitoring(chart, 'orders', web());
    new WorkloadMonitoring(chart, 'billing', { workload: 'billing', tenant: 'shop', kind: WorkloadKind.WORKER, selectorLabels: selector('billing'), metricsPort: 'metrics' });
    const objects = chart.toJson();
    expect(objects.map(o => o.kind)).toEqual(['ServiceMonitor', 'PrometheusRule', 'ConfigMap', 'PodMonitor', 'PrometheusRule', 'ConfigMap']);
    for (const o of objects) {
      expect(o.metadata.annotations['argocd.argoproj.io/sync-wave']).toBe('1');
      expect(o.metadata.labels).toMatchObject({ 'paved.dev/tenant': 'shop', 'paved.dev/workload': o.metadata.name.startsWith('billing') ? 'billing' : 'orders' });
    }
  });

  test('the workload\'s convention replaces the stack\'s', () => {
    const m = new WorkloadMonitoring(shopChart(), 'orders', web({ convention: SloConvention.ingressNginx() }));
    expect(alert(m, 'WorkloadErrorRatioHigh').expr).toContain('nginx_ingress_controller_requests{exported_namespace="shop",ingress="orders",status=~"5.."}');
  });

  test('service owners add alerts with the workload\'s labels', () => {
    const m = new WorkloadMonitoring(shopChart(), 'orders', web());
    m.addAlert({ name: 'OrdersQueueStuck', expr: 'orders_pending{namespace="shop",app_kubernetes_io_name="orders"} > 100', summary: 'stuck' });
    expect(m.rules.groupNames).toContain('orders-alerts');
    expect(alert(m, 'OrdersQueueStuck').labels).toEqual({ workload: 'orders', namespace: 'shop', tenant: 'shop', severity: 'warning' });
  });

  test('fails when a service owner\'s alert selects another workload', () => {
    const m = new WorkloadMonitoring(shopChart(), 'orders', web());
    expect(() => m.addAlert({ name: 'X', expr: 'up{namespace="shop",app_kubernetes_io_name="billing"} == 0', summary: 's' }))
      .toThrow('test/orders/Rules: alerts[X].expr: got "up{namespace=\\"shop\\",app_kubernetes_io_name=\\"billing\\"} == 0"; expected selectors that keep to app_kubernetes_io_name="orders"');
  });

  test('dashboard: false makes none; rows and panels can be added to the dashboard', () => {
    expect(new WorkloadMonitoring(shopChart(), 'orders', web({ dashboard: false })).dashboardConfigMap).toBeUndefined();
    const m = new WorkloadMonitoring(shopChart(), 'o', web());
    const before = m.dashboard!.panelCount;
    m.dashboard!.addRow('Business', []);
    expect(m.dashboard!.panelCount).toBe(before);
  });

  test('records the decisions for the synth report', () => {
    const platform = testPlatform();
    const chart = new Chart(platform.kubernetes, 'shop', { namespace: 'shop' });
    new WorkloadMonitoring(chart, 'orders', web({ slos: [Slo.availability({ name: 'availability', objective: 99.5 })] }));
    const report = (platform as any).decisions.filter((d: any) => d.path === 'shop/orders');
    expect(report.map((d: any) => [d.property, d.value, d.source])).toEqual([
      ['monitoring.pages', 'true', 'profile prod'],
      ['monitoring.alerts', expect.stringContaining('SloErrorBudgetBurnFast, SloErrorBudgetBurnSlow, WorkloadErrorRatioHigh'), 'paved default'],
      ['monitoring.slos', 'availability 99.5%/30d', 'declared'],
      ['monitoring.dashboard', 'shop/shop-orders-dashboard', 'paved default'],
    ]);
  });

  test.each<[Partial<WorkloadMonitoringProps>, string]>([
    [{ workload: 'Orders' }, 'workload: got "Orders"; expected a DNS-1035 label'],
    [{ tenant: 'Shop' }, 'tenant: got "Shop"; expected a DNS label'],
    [{ kind: 'daemon' as any }, 'test/orders: kind: got "daemon"; expected one of "web", "worker", "cron-job", "job" (WorkloadKind)'],
    [{ selectorLabels: {} }, 'selectorLabels: got {}; expected the labels that select exactly the workload\'s pods'],
    [{ selectorLabels: { a: 'b c' } }, 'selectorLabels.a: got "b c"; expected a label value'],
    [{ stack: {} as any }, 'stack: got {}; expected a MonitoringStack'],
    [{ queue: QUEUE }, 'queue: got "dev-shop-billing"; expected no queue unless kind is WORKER'],
    [{ kind: WorkloadKind.WORKER, queue: { ...QUEUE, queueName: 'a b' } }, 'queue.queueName: got "a b"; expected an SQS queue name'],
    [{ kind: WorkloadKind.CRON_JOB, autoscalerName: 'x' }, 'autoscalerName: got "x"; expected no autoscaler for a CronJob or Job'],
    [{ autoscalerName: 'X' }, 'autoscalerName: got "X"; expected a DNS label'],
    [{ convention: {} as any }, 'test/orders: convention: got {}; expected a SloConvention (new SloConvention(...), SloConvention.openTelemetryHttp() or SloConvention.ingressNginx())'],
    [{ metricsPort: undefined, metricsPath: '/m' }, 'metricsPath: got "/m"; expected no value without metricsPort'],
    [{ metricsPort: undefined, scrapeInterval: Duration.seconds(10) }, 'scrapeInterval: got'],
    [{ metricsPort: undefined, scrapeTarget: ScrapeTarget.POD }, 'scrapeTarget: got "pod"; expected no value without metricsPort'],
    [{ kind: WorkloadKind.WORKER, scrapeTarget: ScrapeTarget.SERVICE }, 'scrapeTarget: got "service"; expected ScrapeTarget.POD for a worker (only a WEB workload has a Service)'],
    [{ scrapeTarget: 'node' as any }, 'scrapeTarget: got "node"; expected one of "service", "pod" (ScrapeTarget)'],
    [{ metricsPort: undefined, slos: [Slo.availability({ name: 'availability', objective: 99 })] },
      'slos[0]: got "availability"; expected an SLO on a scraped workload: convention opentelemetry-http reads the workload\'s own metrics, and it has no metrics port (set metricsPort)'],
    [{ minReplicas: 4, maxReplicas: 2 }, 'maxReplicas: got 2; expected at least minReplicas (4)'],
    [{ minReplicas: -1 }, 'minReplicas: got -1; expected an integer from 0 to 1000'],
    [{ queueLengthTarget: 0 }, 'queueLengthTarget: got 0; expected an integer from 1 to 100000'],
    [{ startingDeadlineSeconds: 5 }, 'startingDeadlineSeconds: got 5; expected an integer from 10 to 86400'],
    [{ slos: [{} as any] }, 'test/orders: slos[0]: got {}; expected a Slo (Slo.availability(...), Slo.latency(...) or Slo.ratio(...))'],
    [{ slos: [Slo.availability({ name: 'a', objective: 99 }), Slo.latency({ name: 'a', objective: 99, thresholdSeconds: 1 })] },
      'slos[1].name: got "a"; expected a name no other SLO of the workload has'],
    [{ stack: new MonitoringStack(), slos: [Slo.availability({ name: 'a', objective: 99 })] }, 'slos[a].convention: got undefined; expected an SloConvention on the SLO, the workload or the monitoring stack'],
    [{ convention: new SloConvention({ name: 'c', requests: 'x{namespace="{{namespace}}"}', errorMatchers: 'code="500"' }), slos: [Slo.latency({ name: 'l', objective: 99, thresholdSeconds: 1 })] }, 'slos[l].convention: got "c"; expected a convention with durationBuckets'],
    [{ convention: new SloConvention({ name: 'c', requests: 'x{app="{{workload}}"}', errorMatchers: 'code="500"' }) }, 'selectors that read namespace "shop" only'],
    [{ dashboard: false, dependencies: [MonitoredDependency.sqs('q')] }, 'dependencies: got ["q"]; expected no value with dashboard: false'],
    [{ dependencies: [{} as any] }, 'dependencies[0]: got {}; expected a MonitoredDependency'],
  ])('fails with %j', (override, message) => {
    expect(() => new WorkloadMonitoring(shopChart(), 'orders', web(override))).toThrow(message);
  });
});
