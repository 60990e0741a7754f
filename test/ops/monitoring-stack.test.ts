import { MetricsScraper } from '../../lib/k8s';
import { MonitoringStack, SloConvention } from '../../lib/ops';

describe('MonitoringStack', () => {
  test('defaults fit kube-prometheus-stack in monitoring', () => {
    const stack = new MonitoringStack();
    expect(stack.namespace).toBe('monitoring');
    expect(stack.scraper.namespace).toBe('monitoring');
    expect(stack.scraper.podLabels).toEqual({ 'app.kubernetes.io/name': 'prometheus' });
    expect(stack.discoveryLabels).toEqual({});
    expect([stack.dashboardLabel, stack.dashboardLabelValue, stack.dashboardFolderAnnotation]).toEqual(['grafana_dashboard', '1', 'grafana_folder']);
    expect(stack.exportedNamespaceLabel).toBe('exported_namespace');
    expect(stack.requestConvention).toBeUndefined();
    expect(stack.runbookBaseUrl).toBeUndefined();
  });

  test('the scraper follows the namespace unless given', () => {
    expect(new MonitoringStack({ namespace: 'observability' }).scraper.namespace).toBe('observability');
    const scraper = MetricsScraper.of({ namespace: 'prom' });
    expect(new MonitoringStack({ namespace: 'observability', scraper }).scraper).toBe(scraper);
  });

  test('takes every setting', () => {
    const convention = SloConvention.ingressNginx();
    const stack = new MonitoringStack({
      discoveryLabels: { release: 'kube-prometheus-stack' },
      dashboardLabel: 'dashboards',
      dashboardLabelValue: 'yes',
      dashboardFolderAnnotation: 'folder',
      exportedNamespaceLabel: 'src_namespace',
      requestConvention: convention,
      runbookBaseUrl: 'https://runbooks.example.com/',
    });
    expect(stack.discoveryLabels).toEqual({ release: 'kube-prometheus-stack' });
    expect([stack.dashboardLabel, stack.dashboardLabelValue, stack.dashboardFolderAnnotation, stack.exportedNamespaceLabel])
      .toEqual(['dashboards', 'yes', 'folder', 'src_namespace']);
    expect(stack.requestConvention).toBe(convention);
    expect(stack.runbookBaseUrl).toBe('https://runbooks.example.com');
  });

  test.each([
    [{ namespace: 'Mon' }, 'namespace: got "Mon"; expected a DNS label'],
    [{ scraper: {} as any }, 'scraper: got {}; expected a MetricsScraper'],
    [{ discoveryLabels: { 'a b': 'c' } }, 'discoveryLabels key: got "a b"; expected a label key'],
    [{ dashboardLabel: 'a b' }, 'dashboardLabel: got "a b"; expected a label key'],
    [{ dashboardLabelValue: 'not valid!' }, 'dashboardLabelValue.grafana_dashboard: got "not valid!"; expected a label value'],
    [{ dashboardFolderAnnotation: '/x' }, 'dashboardFolderAnnotation: got "/x"; expected an annotation key'],
    [{ exportedNamespaceLabel: 'exported-namespace' }, 'exportedNamespaceLabel: got "exported-namespace"; expected a Prometheus label name'],
    [{ requestConvention: {} as any }, 'requestConvention: got {}; expected a SloConvention (new SloConvention(...), SloConvention.openTelemetryHttp() or SloConvention.ingressNginx())'],
    [{ runbookBaseUrl: 'runbooks.example.com' }, 'runbookBaseUrl: got "runbooks.example.com"; expected an absolute http:// or https:// URL'],
  ])('fails with %j', (props, message) => {
    expect(() => new MonitoringStack(props)).toThrow(`MonitoringStack: ${message}`);
  });
});
