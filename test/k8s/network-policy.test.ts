import { App, Chart } from 'cdk8s';
import { CronJob, EgressRule, IngressRule, WebApp, Worker } from '../../lib/k8s';
import { expectValidKubernetesObjects } from '../support/k8s-schema';
import { synthChart } from '../support/synth';

const IMAGE = 'registry.example.com/shop/orders:1.4.2';
const CALLER: IngressRule = { namespace: 'billing', podLabels: { 'app.kubernetes.io/name': 'invoices' }, ports: [8080], description: 'invoices calls orders' };
const PAYMENTS: EgressRule = { namespace: 'shop', podLabels: { 'app.kubernetes.io/name': 'payments' }, ports: [9000] };

function newChart(): Chart {
  return new Chart(new App(), 'test', { namespace: 'shop', disableResourceNameHashes: true });
}

function policyOf(chart: Chart): any {
  const objects = synthChart(chart);
  expectValidKubernetesObjects(objects);
  return objects.find(o => o.kind === 'NetworkPolicy').spec;
}

describe.each([
  ['WebApp', (c: Chart) => new WebApp(c, 'orders', { image: IMAGE })],
  ['Worker', (c: Chart) => new Worker(c, 'orders', { image: IMAGE })],
])('%s NetworkPolicy rules added after construction', (_kind, make) => {
  test('allowIngressFrom admits the callers on the given ports, after the rules given at construction', () => {
    // GIVEN
    const chart = newChart();
    const app = make(chart);
    const before = policyOf(chart).ingress ?? [];
    // WHEN
    app.allowIngressFrom(CALLER);
    // THEN
    expect(policyOf(chart).ingress).toEqual([...before, {
      from: [{
        namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'billing' } },
        podSelector: { matchLabels: { 'app.kubernetes.io/name': 'invoices' } },
      }],
      ports: [{ port: 8080, protocol: 'TCP' }],
    }]);
  });

  test('allowEgressTo lets the pods reach the destination, after DNS and the declared egress', () => {
    // GIVEN
    const chart = newChart();
    const app = make(chart);
    const before = policyOf(chart).egress;
    // WHEN
    app.allowEgressTo(PAYMENTS);
    app.allowEgressTo({ cidr: '10.0.0.0/16', ports: [53], protocol: 'UDP' });
    // THEN
    expect(policyOf(chart).egress).toEqual([
      ...before,
      {
        to: [{
          namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'shop' } },
          podSelector: { matchLabels: { 'app.kubernetes.io/name': 'payments' } },
        }],
        ports: [{ port: 9000, protocol: 'TCP' }],
      },
      { to: [{ ipBlock: { cidr: '10.0.0.0/16' } }], ports: [{ port: 53, protocol: 'UDP' }] },
    ]);
  });

  test('a rule taken out again leaves the policy as it was', () => {
    // GIVEN
    const chart = newChart();
    const app = make(chart);
    const before = policyOf(chart);
    // WHEN
    const undoIngress = app._allowIngressFrom(CALLER);
    const undoEgress = app._allowEgressTo(PAYMENTS);
    undoEgress();
    undoIngress();
    // THEN
    expect(policyOf(chart)).toEqual(before);
  });

  test('fails when an ingress rule has no ports', () => {
    const app = make(newChart());
    expect(() => app.allowIngressFrom({ namespace: 'billing', ports: [] }))
      .toThrow('test/orders: allowIngressFrom.ports: got []; expected at least one port (a rule without ports would open every port)');
  });

  test('fails when a rule names another protocol than TCP or UDP', () => {
    const app = make(newChart());
    expect(() => app.allowEgressTo({ ...PAYMENTS, protocol: 'SCTP' })).toThrow('test/orders: allowEgressTo.protocol: got "SCTP"; expected "TCP" or "UDP"');
  });

  test('fails when an ingress rule names no valid namespace', () => {
    const app = make(newChart());
    expect(() => app.allowIngressFrom({ namespace: 'Billing', ports: [8080] })).toThrow('test/orders: allowIngressFrom.namespace: got "Billing"; expected a DNS label');
  });
});

describe('CronJob NetworkPolicy rules added after construction', () => {
  test('allowEgressTo lets the job reach the destination; ingress stays denied', () => {
    // GIVEN
    const chart = newChart();
    const job = new CronJob(chart, 'report', { image: IMAGE, schedule: '30 2 * * *' });
    // WHEN
    job.allowEgressTo(PAYMENTS);
    // THEN
    const policy = policyOf(chart);
    expect(policy.ingress).toBeUndefined();
    expect(policy.egress[policy.egress.length - 1].ports).toEqual([{ port: 9000, protocol: 'TCP' }]);
  });
});

describe('WebApp Service ports', () => {
  function objects(props: any): { [kind: string]: any } {
    const chart = newChart();
    new WebApp(chart, 'orders', { image: IMAGE, ...props });
    const all = synthChart(chart);
    expectValidKubernetesObjects(all);
    return Object.fromEntries(all.map(o => [o.kind, o]));
  }

  test('servicePort: the Service listens on it and forwards to the container\'s http port; the Ingress names the port', () => {
    // WHEN
    const { Service, Ingress, NetworkPolicy } = objects({ port: 8080, servicePort: 80, host: 'orders.example.com' });
    // THEN
    expect(Service.spec.ports).toEqual([{ name: 'http', port: 80, protocol: 'TCP', targetPort: 'http' }]);
    expect(Ingress.spec.rules[0].http.paths[0].backend.service.port).toEqual({ name: 'http' });
    expect(NetworkPolicy.spec.ingress[0].ports).toEqual([{ port: 8080, protocol: 'TCP' }]);
  });

  test('servicePorts: TCP ports target a named container port, UDP ports the number', () => {
    // WHEN
    const { Service, Deployment } = objects({
      servicePorts: [{ name: 'grpc', port: 9090, targetPort: 9091 }, { name: 'stats', port: 8125, protocol: 'UDP' }],
    });
    // THEN
    expect(Service.spec.ports).toEqual([
      { name: 'http', port: 8080, protocol: 'TCP', targetPort: 'http' },
      { name: 'grpc', port: 9090, protocol: 'TCP', targetPort: 'grpc' },
      { name: 'stats', port: 8125, protocol: 'UDP', targetPort: 8125 },
    ]);
    expect(Deployment.spec.template.spec.containers[0].ports).toEqual([
      { containerPort: 8080, name: 'http', protocol: 'TCP' },
      { containerPort: 9091, name: 'grpc', protocol: 'TCP' },
    ]);
  });

  test('servicePorts lists every port of the Service, http first', () => {
    // WHEN
    const app = new WebApp(newChart(), 'orders', { image: IMAGE, servicePort: 80, servicePorts: [{ name: 'grpc', port: 9090 }] });
    // THEN
    expect(app.servicePorts).toEqual([
      { name: 'http', port: 80, targetPort: 8080, protocol: 'TCP' },
      { name: 'grpc', port: 9090, targetPort: 9090, protocol: 'TCP' },
    ]);
  });

  test.each([
    [{ servicePort: 0 }, 'servicePort: got 0; expected a port number from 1 to 65535'],
    [{ servicePorts: [{ name: 'http', port: 81 }] }, 'servicePorts[0].name: got "http"; expected a port name not used by another port'],
    [{ additionalPorts: { admin: 9901 }, servicePorts: [{ name: 'admin', port: 81 }] }, 'servicePorts[0].name: got "admin"; expected a port name not used by another port'],
    [{ servicePorts: [{ name: 'grpc', port: 8080 }] }, 'servicePorts[0].port: got 8080; expected a Service port number not used by another port'],
    [{ servicePorts: [{ name: 'grpc', port: 9090, targetPort: 70000 }] }, 'servicePorts[0].targetPort: got 70000; expected a port number from 1 to 65535'],
    [{ servicePorts: [{ name: 'grpc', port: 9090, protocol: 'SCTP' }] }, 'servicePorts[0].protocol: got "SCTP"; expected "TCP" or "UDP"'],
    [{ servicePorts: 'grpc' }, 'servicePorts: got "grpc"; expected a list, each item an object of ServicePort { name, port, ... }'],
  ])('fails when %j', (props, message) => {
    expect(() => new WebApp(newChart(), 'orders', { image: IMAGE, ...props as any })).toThrow(`test/orders: ${message}`);
  });
});
