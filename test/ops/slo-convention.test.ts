import { SloConvention } from '../../lib/ops';

const TARGET = { namespace: 'shop', workload: 'orders', labels: { 'app.kubernetes.io/name': 'orders' } };

describe('SloConvention', () => {
  test('OpenTelemetry HTTP: requests and 5xx of the workload\'s own series', () => {
    const q = SloConvention.openTelemetryHttp()._bind('scope', 'convention', TARGET);
    expect(q.total('5m')).toBe('sum(rate(http_server_request_duration_seconds_count{namespace="shop",app_kubernetes_io_name="orders"}[5m]))');
    expect(q.errors('5m')).toBe('sum(rate(http_server_request_duration_seconds_count{namespace="shop",app_kubernetes_io_name="orders",http_response_status_code=~"5.."}[5m]))');
    expect(q.quantile(0.99, '5m')).toBe('histogram_quantile(0.99, sum by (le) (rate(http_server_request_duration_seconds_bucket{namespace="shop",app_kubernetes_io_name="orders"}[5m])))');
  });

  test('ingress-nginx: the workload\'s Ingress in the exported namespace', () => {
    const q = SloConvention.ingressNginx()._bind('scope', 'convention', TARGET);
    expect(q.errors('1h')).toBe('sum(rate(nginx_ingress_controller_requests{exported_namespace="shop",ingress="orders",status=~"5.."}[1h]))');
  });

  test('latency thresholds match both le spellings of integral bounds', () => {
    const q = SloConvention.openTelemetryHttp()._bind('scope', 'convention', TARGET);
    expect(q.faster(1, '5m')).toContain('le=~"1(\\\\.0)?"');
    expect(q.faster(0.25, '5m')).toContain('le="0.25"');
  });

  test('label placeholders read the workload\'s selector labels', () => {
    const convention = new SloConvention({ name: 'mesh', requests: 'istio_requests_total{destination_workload_namespace="{{namespace}}",destination_app="{{label.app.kubernetes.io/name}}"}', errorMatchers: 'response_code=~"5.."' });
    expect(convention._bind('scope', 'convention', TARGET).total('5m')).toContain('destination_app="orders"');
    expect(convention.durationBuckets).toBeUndefined();
  });

  test('says whether its series are the workload\'s own (then the workload must be scraped)', () => {
    expect(SloConvention.openTelemetryHttp().readsWorkloadMetrics).toBe(true);
    expect(SloConvention.ingressNginx().readsWorkloadMetrics).toBe(false);
    expect(new SloConvention({ name: 'app', requests: 'x', errorMatchers: 'a="b"' }).readsWorkloadMetrics).toBe(true);
    expect(new SloConvention({ name: 'mesh', requests: 'x', errorMatchers: 'a="b"', readsWorkloadMetrics: false }).readsWorkloadMetrics).toBe(false);
  });

  test('fails binding a label placeholder the workload has no label for', () => {
    const convention = new SloConvention({ name: 'mesh', requests: 'x{a="{{label.team}}"}', errorMatchers: 'c="5"' });
    expect(() => convention._bind('scope', 'convention', TARGET)).toThrow('scope: convention.requests: got "x{a=\\"{{label.team}}\\"}"; expected placeholders among');
  });

  test.each([
    [{ name: 'Mesh', requests: 'x', errorMatchers: 'a="b"' }, 'SloConvention: name: got "Mesh"; expected a DNS label'],
    [{ name: 'm', requests: 'sum(x)', errorMatchers: 'a="b"' }, 'SloConvention m: requests: got "sum(x)"; expected one vector selector'],
    [{ name: 'm', requests: 'x{a="{{nope}}"}', errorMatchers: 'a="b"' }, 'SloConvention m: requests: got "x{a=\\"{{nope}}\\"}"; expected placeholders {{namespace}}, {{workload}} or {{label.<key>}} only'],
    [{ name: 'm', requests: 'x', errorMatchers: 'a=b' }, 'SloConvention m: errorMatchers: got "a=b"; expected label matchers'],
    [{ name: 'm', requests: 'x', errorMatchers: 'a="b"', durationBuckets: 'x[5m]' }, 'SloConvention m: durationBuckets: got "x[5m]"; expected one vector selector'],
    [{ name: 'm', requests: 3 as any, errorMatchers: 'a="b"' }, 'SloConvention: requests: got 3; expected a string'],
    [{ name: 'm', requests: 'x', errorMatchers: 'a="b"', readsWorkloadMetrics: 'yes' as any }, 'SloConvention: readsWorkloadMetrics: got "yes"; expected true or false'],
  ])('fails with %j', (props, message) => {
    expect(() => new SloConvention(props)).toThrow(message);
  });
});
