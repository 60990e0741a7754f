import { PodMonitor } from '../../lib/ops';
import { expectValidKubernetesObjects } from '../support/k8s-schema';
import { shopChart } from '../support/ops';

describe('PodMonitor', () => {
  test('scrapes the selected pods in their namespace on the named container port', () => {
    const chart = shopChart();
    const monitor = new PodMonitor(chart, 'billing', { selectorLabels: { 'app.kubernetes.io/name': 'billing' }, port: 'metrics' });
    const [object] = chart.toJson();
    expectValidKubernetesObjects([object]);
    expect(object.kind).toBe('PodMonitor');
    expect(object.spec).toEqual({
      selector: { matchLabels: { 'app.kubernetes.io/name': 'billing' } },
      namespaceSelector: { matchNames: ['shop'] },
      podTargetLabels: ['app.kubernetes.io/name'],
      podMetricsEndpoints: [{ port: 'metrics', path: '/metrics', interval: '30s', scheme: 'http' }],
    });
    expect(monitor.port).toBe('metrics');
  });

  test('fails with a port that is not a port name', () => {
    expect(() => new PodMonitor(shopChart(), 'billing', { selectorLabels: { a: 'b' }, port: 'Metrics' })).toThrow('test/billing: port: got "Metrics"; expected a port name');
  });
});
