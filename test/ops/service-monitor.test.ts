import { Duration } from 'cdk8s';
import { MonitoringStack, ServiceMonitor } from '../../lib/ops';
import { expectValidKubernetesObjects } from '../support/k8s-schema';
import { shopChart } from '../support/ops';

const SELECTOR = { 'app.kubernetes.io/name': 'orders', 'app.kubernetes.io/instance': 'orders' };

describe('ServiceMonitor', () => {
  test('scrapes the selected Service in its namespace on the named port, copying the selector labels onto the series', () => {
    // GIVEN
    const chart = shopChart();
    // WHEN
    const monitor = new ServiceMonitor(chart, 'orders', { selectorLabels: SELECTOR, port: 'http', stack: new MonitoringStack({ discoveryLabels: { release: 'kps' } }) });
    // THEN
    const [object] = chart.toJson();
    expectValidKubernetesObjects([object]);
    expect(object.kind).toBe('ServiceMonitor');
    expect(object.metadata.labels.release).toBe('kps');
    expect(object.spec).toEqual({
      selector: { matchLabels: SELECTOR },
      namespaceSelector: { matchNames: ['shop'] },
      podTargetLabels: ['app.kubernetes.io/name', 'app.kubernetes.io/instance'],
      endpoints: [{ port: 'http', path: '/metrics', interval: '30s', scheme: 'http' }],
    });
    expect(monitor.port).toBe('http');
    expect(monitor.resource.kind).toBe('ServiceMonitor');
  });

  test('takes name, namespace, path, interval and pod target labels', () => {
    const chart = shopChart(null);
    new ServiceMonitor(chart, 'x', { name: 'orders-metrics', namespace: 'billing', selectorLabels: SELECTOR, port: 'metrics', path: '/actuator/prometheus', interval: Duration.seconds(15), podTargetLabels: ['team'] });
    const [object] = chart.toJson();
    expect(object.metadata.name).toBe('orders-metrics');
    expect(object.spec.namespaceSelector).toEqual({ matchNames: ['billing'] });
    expect(object.spec.podTargetLabels).toEqual(['team']);
    expect(object.spec.endpoints).toEqual([{ port: 'metrics', path: '/actuator/prometheus', interval: '15s', scheme: 'http' }]);
  });

  test.each([
    [{ selectorLabels: {} }, 'selectorLabels: got {}; expected at least one label selecting the workload'],
    [{ selectorLabels: { 'a b': 'x' } }, 'selectorLabels key: got "a b"; expected a label key'],
    [{ port: '8080' }, 'port: got "8080"; expected a port name'],
    [{ port: 'http-metrics-endpoint' }, 'port: got "http-metrics-endpoint"; expected a port name'],
    [{ path: 'metrics' }, 'path: got "metrics"; expected a URL path starting with "/"'],
    [{ interval: Duration.seconds(1) }, 'interval: got "1s"; expected a Duration of whole seconds from 5 s to 5 min'],
    [{ podTargetLabels: 'app' as any }, 'podTargetLabels: got "app"; expected a list, each item a string'],
    [{ podTargetLabels: ['a b'] }, 'podTargetLabels key: got "a b"; expected a label key'],
    [{ namespace: 'Shop' }, 'namespace: got "Shop"; expected a DNS label'],
    [{ name: 'Orders' }, 'name: got "Orders"; expected a DNS-1123 subdomain'],
  ])('fails with %j', (override, message) => {
    expect(() => new ServiceMonitor(shopChart(), 'orders', { selectorLabels: SELECTOR, port: 'http', ...override })).toThrow(`test/orders: ${message}`);
  });
});
