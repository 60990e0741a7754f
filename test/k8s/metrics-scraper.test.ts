import { toJson_NetworkPolicyIngressRule } from 'cdk8s-plus-28/lib/imports/k8s';
import { MetricsScraper } from '../../lib/k8s';

describe('MetricsScraper', () => {
  test('kube-prometheus-stack: Prometheus pods in monitoring, admitted on the metrics port only', () => {
    // WHEN
    const rule = toJson_NetworkPolicyIngressRule(MetricsScraper.kubePrometheusStack().ingressRule(9090));
    // THEN
    expect(rule).toEqual({
      from: [{
        namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'monitoring' } },
        podSelector: { matchLabels: { 'app.kubernetes.io/name': 'prometheus' } },
      }],
      ports: [{ protocol: 'TCP', port: 9090 }],
    });
  });

  test('namespace and pod labels are configurable', () => {
    const scraper = MetricsScraper.of({ namespace: 'observability', podLabels: { app: 'vmagent' } });
    expect(scraper.ingressRule(8080).from![0]).toEqual({
      namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'observability' } },
      podSelector: { matchLabels: { app: 'vmagent' } },
    });
  });

  test('fails with an empty pod selector, which would admit every pod of the namespace', () => {
    expect(() => MetricsScraper.of({ podLabels: {} })).toThrow('MetricsScraper: podLabels: got {}; expected at least one label');
  });

  test('fails with a namespace that is not a DNS label', () => {
    expect(() => MetricsScraper.of({ namespace: 'Monitoring' })).toThrow('MetricsScraper: namespace: got "Monitoring"; expected a DNS label');
  });

  test('fails with a port outside 1-65535', () => {
    expect(() => MetricsScraper.kubePrometheusStack().ingressRule(0)).toThrow('MetricsScraper: port: got 0; expected an integer from 1 to 65535');
    expect(() => MetricsScraper.kubePrometheusStack().ingressRule(undefined as any)).toThrow('MetricsScraper: port: got undefined; expected a port number');
  });
});
