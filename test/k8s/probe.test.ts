import { App, Chart } from 'cdk8s';
import { Token } from 'cdktf';
import { Probe, ProbeScheme, WebApp, WebAppProps } from '../../lib/k8s';
import { expectValidKubernetesObjects } from '../support/k8s-schema';
import { synthChart } from '../support/synth';

const IMAGE = 'registry.example.com/shop/orders:1.4.2';
const SIDECAR_IMAGE = 'registry.example.com/infra/proxy:2.1.0';

function newChart(): Chart {
  return new Chart(new App(), 'test', { namespace: 'shop', disableResourceNameHashes: true });
}

/** The containers of a WebApp `orders`, main first. */
function containers(props: Partial<WebAppProps> = {}): any[] {
  const chart = newChart();
  new WebApp(chart, 'orders', { image: IMAGE, ...props });
  const objects = synthChart(chart);
  expectValidKubernetesObjects(objects);
  return objects.find(o => o.kind === 'Deployment').spec.template.spec.containers;
}

function attempt(props: Partial<WebAppProps>): () => WebApp {
  return () => new WebApp(newChart(), 'orders', { image: IMAGE, ...props });
}

/** A sidecar `proxy` with the ports and probe given. */
function proxy(livenessProbe: Probe, ports: { [name: string]: number } = { admin: 9901 }, readinessProbe?: Probe) {
  return { name: 'proxy', image: SIDECAR_IMAGE, ports, livenessProbe, readinessProbe };
}

const TIMING = { timeoutSeconds: 2, successThreshold: 1 };

describe('Probe', () => {
  describe('on the main container', () => {
    test('an HTTP probe calls the app port by name unless it names a port, over HTTP by default', () => {
      // WHEN
      const [main] = containers({ readinessProbe: Probe.httpGet({ path: '/health/ready' }) });
      // THEN
      expect(main.readinessProbe).toEqual({
        httpGet: { path: '/health/ready', port: 'http', scheme: 'HTTP' }, periodSeconds: 5, failureThreshold: 3, ...TIMING,
      });
    });

    test('an HTTP probe takes a declared port, scheme, host and headers', () => {
      const [main] = containers({
        additionalPorts: { management: 8443 },
        livenessProbe: Probe.httpGet({
          path: '/livez', port: 8443, scheme: ProbeScheme.HTTPS, host: '127.0.0.1', headers: [{ name: 'Host', value: 'orders.local' }],
        }),
      });
      const httpGet = { path: '/livez', port: 8443, scheme: 'HTTPS', host: '127.0.0.1', httpHeaders: [{ name: 'Host', value: 'orders.local' }] };
      expect(main.livenessProbe).toEqual({ httpGet, periodSeconds: 10, failureThreshold: 3, ...TIMING });
      // The startup probe repeats the liveness check with the startup timeout.
      expect(main.startupProbe).toEqual({ httpGet, periodSeconds: 5, failureThreshold: 12, ...TIMING });
    });

    test('a probe port may be the app port by number', () => {
      expect(containers({ livenessProbe: Probe.httpGet({ path: '/livez', port: 8080 }) })[0].livenessProbe.httpGet.port).toBe(8080);
    });

    test('an exec probe runs the command', () => {
      const [main] = containers({ livenessProbe: Probe.exec(['/app/healthcheck', '--live']) });
      expect(main.livenessProbe).toEqual({ exec: { command: ['/app/healthcheck', '--live'] }, periodSeconds: 10, failureThreshold: 3, ...TIMING });
      expect(main.startupProbe.exec).toEqual({ command: ['/app/healthcheck', '--live'] });
      // The readiness probe keeps its default path.
      expect(main.readinessProbe.httpGet.path).toBe('/readyz');
    });

    test('a TCP probe connects to the app port by name unless it names a port', () => {
      const [main] = containers({
        additionalPorts: { grpc: 9090 },
        readinessProbe: Probe.tcpSocket(),
        livenessProbe: Probe.tcpSocket({ port: 9090 }),
      });
      expect(main.readinessProbe).toEqual({ tcpSocket: { port: 'http' }, periodSeconds: 5, failureThreshold: 3, ...TIMING });
      expect(main.livenessProbe.tcpSocket).toEqual({ port: 9090 });
      expect(main.startupProbe.tcpSocket).toEqual({ port: 9090 });
    });

    test('readiness and liveness probes may make the same check', () => {
      const probe = Probe.httpGet({ path: '/health' });
      const [main] = containers({ readinessProbe: probe, livenessProbe: probe });
      expect([main.readinessProbe.httpGet.path, main.livenessProbe.httpGet.path]).toEqual(['/health', '/health']);
    });
  });

  describe('on a sidecar', () => {
    test('readiness defaults to the liveness check, with readiness timing; startup repeats liveness', () => {
      // WHEN
      const [, sidecar] = containers({ containers: [proxy(Probe.httpGet({ path: '/ready' }))] });
      // THEN
      const httpGet = { path: '/ready', port: 'admin', scheme: 'HTTP' };
      expect(sidecar.livenessProbe).toEqual({ httpGet, periodSeconds: 10, failureThreshold: 3, ...TIMING });
      expect(sidecar.readinessProbe).toEqual({ httpGet, periodSeconds: 5, failureThreshold: 3, ...TIMING });
      expect(sidecar.startupProbe).toEqual({ httpGet, periodSeconds: 5, failureThreshold: 12, ...TIMING });
    });

    test('the startup probe follows the app\'s startup timeout', () => {
      const [, sidecar] = containers({ startupTimeoutSeconds: 120, containers: [proxy(Probe.exec(['true']), {})] });
      expect(sidecar.startupProbe.failureThreshold).toBe(24);
    });

    test('takes its own readiness probe', () => {
      const [, sidecar] = containers({ containers: [proxy(Probe.httpGet({ path: '/live' }), { admin: 9901 }, Probe.exec(['/ready']))] });
      expect(sidecar.readinessProbe.exec).toEqual({ command: ['/ready'] });
      expect(sidecar.livenessProbe.httpGet.path).toBe('/live');
    });

    test('an HTTP probe without a port calls the sidecar\'s first port', () => {
      const [, sidecar] = containers({ containers: [proxy(Probe.httpGet({ path: '/ready' }), { stats: 9902, admin: 9901 })] });
      expect(sidecar.livenessProbe.httpGet.port).toBe('stats');
    });

    test('an exec probe needs no port', () => {
      expect(containers({ containers: [proxy(Probe.exec(['/bin/health']), {})] })[1]).not.toHaveProperty('ports');
    });
  });

  describe('validation', () => {
    test('fails when a probe is on a port the container does not expose', () => {
      expect(attempt({ livenessProbe: Probe.httpGet({ path: '/livez', port: 9090 }) }))
        .toThrow('test/orders: livenessProbe.port: got 9090; expected one of the container\'s ports (http 8080): a probe on a port the container does not expose always fails');
      expect(attempt({ containers: [proxy(Probe.httpGet({ path: '/ready', port: 8080 }))] }))
        .toThrow('test/orders: containers[0].livenessProbe.port: got 8080; expected one of the container\'s ports (admin 9901)');
    });

    test('fails when a TCP probe is on a port the container does not expose', () => {
      expect(attempt({ livenessProbe: Probe.tcpSocket({ port: 9090 }) }))
        .toThrow('test/orders: livenessProbe.port: got 9090; expected one of the container\'s ports (http 8080)');
    });

    test('fails when an HTTP probe has no port to call', () => {
      expect(attempt({ containers: [proxy(Probe.httpGet({ path: '/ready' }), {})] }))
        .toThrow('test/orders: containers[0].livenessProbe.port: got undefined; expected a port the container declares in ports (it declares none)');
      expect(attempt({ containers: [proxy(Probe.httpGet({ path: '/ready', port: 9901 }), {})] }))
        .toThrow('test/orders: containers[0].livenessProbe.port: got 9901; expected a port the container declares in ports (it declares none)');
    });

    test('fails when a probe port is out of range', () => {
      expect(attempt({ livenessProbe: Probe.httpGet({ path: '/livez', port: 0 }) }))
        .toThrow('test/orders: livenessProbe.port: got 0; expected an integer from 1 to 65535');
    });

    test('fails when a probe path is not absolute', () => {
      expect(attempt({ readinessProbe: Probe.httpGet({ path: 'ready' }) }))
        .toThrow('test/orders: readinessProbe.path: got "ready"; expected an absolute HTTP path');
    });

    test('fails when the scheme is neither HTTP nor HTTPS', () => {
      expect(() => Probe.httpGet({ path: '/ready', scheme: 'TCP' as ProbeScheme }))
        .toThrow('Probe.httpGet: scheme: got "TCP"; expected one of "HTTP", "HTTPS" (ProbeScheme)');
    });

    test('fails when the host is neither an IP address nor a DNS name', () => {
      expect(attempt({ readinessProbe: Probe.httpGet({ path: '/ready', host: 'http://localhost' }) }))
        .toThrow('test/orders: readinessProbe.host: got "http://localhost"; expected an IP address or a lowercase DNS name');
    });

    test('fails when the host is a Terraform reference', () => {
      const host = Token.asString({ resolve: () => '10.0.0.1' });
      expect(attempt({ readinessProbe: Probe.httpGet({ path: '/ready', host }) }))
        .toThrow(/readinessProbe\.host: .*expected a literal value known at synth time/);
    });

    test('fails when a header is malformed', () => {
      expect(() => Probe.httpGet({ path: '/ready', headers: { name: 'X' } as any }))
        .toThrow('Probe.httpGet: headers: got {"name":"X"}; expected a list, each item an object of HttpHeader { name, value }');
      expect(attempt({ readinessProbe: Probe.httpGet({ path: '/ready', headers: [{ name: 'X Probe', value: '1' }] }) }))
        .toThrow('test/orders: readinessProbe.headers[0].name: got "X Probe"; expected an HTTP header name');
      expect(attempt({ readinessProbe: Probe.httpGet({ path: '/ready', headers: [{ name: 'X-Probe', value: 'a\r\nb' }] }) }))
        .toThrow('test/orders: readinessProbe.headers[0].value: got "a\\r\\nb"; expected a header value without line breaks or control characters');
    });

    test('fails when an exec probe has no command', () => {
      expect(attempt({ livenessProbe: Probe.exec([]) })).toThrow('test/orders: livenessProbe.command: got []; expected a non-empty list of strings');
    });

    test('fails when an HTTP probe has no options', () => {
      expect(() => Probe.httpGet(undefined as any))
        .toThrow('Probe.httpGet: options: got undefined; expected an object of HttpGetProbeOptions { path, ... }');
    });

    test('fails when a probe is not a Probe', () => {
      expect(attempt({ livenessProbe: { httpGet: { path: '/livez' } } as any }))
        .toThrow('test/orders: livenessProbe: got {"httpGet":{"path":"/livez"}}; expected a Probe (Probe.httpGet(...), Probe.exec(...) or Probe.tcpSocket(...))');
    });

    test('fails when a path is given together with the probe that replaces it', () => {
      expect(attempt({ readinessPath: '/ready', readinessProbe: Probe.exec(['true']) }))
        .toThrow('test/orders: readinessPath: got "/ready"; expected no value with readinessProbe, which replaces it');
      expect(attempt({ livenessPath: '/live', livenessProbe: Probe.exec(['true']) }))
        .toThrow('test/orders: livenessPath: got "/live"; expected no value with livenessProbe, which replaces it');
    });
  });
});
