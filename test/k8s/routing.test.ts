import { App, Chart } from 'cdk8s';
import { Token } from 'cdktf';
import { Routing, WebApp, WebAppProps } from '../../lib/k8s';
import { expectValidKubernetesObjects } from '../support/k8s-schema';
import { synthChart } from '../support/synth';

const IMAGE = 'registry.example.com/shop/orders:1.4.2';
const HOST = 'orders.example.com';
const GATEWAY = { gatewayName: 'public', gatewayNamespace: 'gateways' };

function newChart(): Chart {
  return new Chart(new App(), 'test', { namespace: 'shop', disableResourceNameHashes: true });
}

/** The objects of a WebApp `orders` served at HOST, keyed by kind, checked against the schemas. */
function synth(props: Partial<WebAppProps> = {}): { [kind: string]: any } {
  const chart = newChart();
  new WebApp(chart, 'orders', { image: IMAGE, host: HOST, ...props });
  const objects = synthChart(chart);
  expectValidKubernetesObjects(objects);
  return Object.fromEntries(objects.map(o => [o.kind, o]));
}

function attempt(props: Partial<WebAppProps>): () => WebApp {
  return () => new WebApp(newChart(), 'orders', { image: IMAGE, host: HOST, ...props });
}

function admitted(networkPolicy: any): string[] {
  return networkPolicy.spec.ingress[0].from.map((peer: any) => peer.namespaceSelector.matchLabels['kubernetes.io/metadata.name']);
}

describe('Routing', () => {
  describe('ingress', () => {
    test('with no options, makes the same Ingress and NetworkPolicy as a host alone', () => {
      const routed = synth({ routing: Routing.ingress() });
      const plain = synth();
      expect(routed.Ingress).toEqual(plain.Ingress);
      expect(routed.NetworkPolicy).toEqual(plain.NetworkPolicy);
      expect(routed.Ingress.spec.ingressClassName).toBe('nginx');
      expect(routed.Ingress.spec.tls).toEqual([{ hosts: [HOST], secretName: 'orders-tls' }]);
      expect(admitted(routed.NetworkPolicy)).toEqual(['ingress-nginx']);
    });

    test('takes the class, TLS secret, annotations and controller namespace', () => {
      // WHEN
      const objects = synth({
        routing: Routing.ingress({
          className: 'alb', tlsSecretName: 'wildcard-tls', annotations: { 'example.com/waf': 'on' }, controllerNamespace: 'kube-system',
        }),
        allowedNamespaces: ['shop'],
      });
      // THEN
      expect(objects.Ingress.metadata.annotations).toEqual({ 'example.com/waf': 'on' });
      expect(objects.Ingress.spec.ingressClassName).toBe('alb');
      expect(objects.Ingress.spec.tls).toEqual([{ hosts: [HOST], secretName: 'wildcard-tls' }]);
      expect(admitted(objects.NetworkPolicy)).toEqual(['kube-system', 'shop']);
      expect(objects.HTTPRoute).toBeUndefined();
    });

    test('admits a load balancer that sends straight to pod IPs by its address ranges, instead of a controller namespace', () => {
      // WHEN
      const objects = synth({
        routing: Routing.ingress({ className: 'alb', sourceCidrs: ['10.20.0.0/24', '10.20.1.0/24'] }),
        allowedNamespaces: ['shop'],
        port: 9000,
      });
      // THEN
      expect(objects.NetworkPolicy.spec.ingress).toEqual([{
        from: [
          { ipBlock: { cidr: '10.20.0.0/24' } },
          { ipBlock: { cidr: '10.20.1.0/24' } },
          { namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'shop' } } },
        ],
        ports: [{ protocol: 'TCP', port: 9000 }],
      }]);
    });
  });

  describe('httpRoute', () => {
    test('attaches an HTTPRoute for the host and path to the Gateway, sending traffic to the Service port, and makes no Ingress', () => {
      // WHEN
      const objects = synth({ routing: Routing.httpRoute(GATEWAY), path: '/orders', port: 3000 });
      // THEN
      expect(objects.Ingress).toBeUndefined();
      expect(objects.HTTPRoute.apiVersion).toBe('gateway.networking.k8s.io/v1');
      expect(objects.HTTPRoute.metadata).toMatchObject({ name: 'orders', namespace: 'shop' });
      expect(objects.HTTPRoute.metadata.labels).toEqual(objects.Service.metadata.labels);
      expect(objects.HTTPRoute.spec).toEqual({
        parentRefs: [{ group: 'gateway.networking.k8s.io', kind: 'Gateway', name: 'public', namespace: 'gateways' }],
        hostnames: [HOST],
        rules: [{
          matches: [{ path: { type: 'PathPrefix', value: '/orders' } }],
          backendRefs: [{ group: '', kind: 'Service', name: 'orders', port: 3000 }],
        }],
      });
    });

    test('routes every path by default', () => {
      expect(synth({ routing: Routing.httpRoute(GATEWAY) }).HTTPRoute.spec.rules[0].matches).toEqual([{ path: { type: 'PathPrefix', value: '/' } }]);
    });

    test('attaches to one listener when a section name is given', () => {
      expect(synth({ routing: Routing.httpRoute({ ...GATEWAY, sectionName: 'https' }) }).HTTPRoute.spec.parentRefs[0].sectionName).toBe('https');
    });

    test('the NetworkPolicy admits the Gateway\'s namespace instead of the ingress controller\'s', () => {
      const objects = synth({ routing: Routing.httpRoute(GATEWAY), allowedNamespaces: ['shop'] });
      expect(admitted(objects.NetworkPolicy)).toEqual(['gateways', 'shop']);
      expect(objects.NetworkPolicy.spec.ingress[0].ports).toEqual([{ protocol: 'TCP', port: 8080 }]);
    });

    test('the NetworkPolicy admits the proxies\' namespace when it differs', () => {
      const objects = synth({ routing: Routing.httpRoute({ ...GATEWAY, proxyNamespace: 'envoy-gateway-system' }) });
      expect(admitted(objects.NetworkPolicy)).toEqual(['envoy-gateway-system']);
    });

    test('exposes the route and the host', () => {
      const app = new WebApp(newChart(), 'orders', { image: IMAGE, host: HOST, routing: Routing.httpRoute(GATEWAY) });
      expect(app.httpRoute?.kind).toBe('HTTPRoute');
      expect(app.ingress).toBeUndefined();
      expect(app.host).toBe(HOST);
    });
  });

  describe('validation', () => {
    test('fails when routing is given without a host', () => {
      expect(() => new WebApp(newChart(), 'orders', { image: IMAGE, routing: Routing.ingress() }))
        .toThrow('test/orders: host: got undefined; expected a host name with routing');
    });

    test('fails when an Ingress property is given next to routing', () => {
      const routing = Routing.httpRoute(GATEWAY);
      expect(attempt({ routing, ingressClassName: 'nginx' }))
        .toThrow('test/orders: ingressClassName: got "nginx"; expected no value with routing (Routing.ingress() takes the Ingress settings)');
      expect(attempt({ routing, tlsSecretName: 'x' })).toThrow('test/orders: tlsSecretName: got "x"; expected no value with routing');
      expect(attempt({ routing, ingressAnnotations: {} })).toThrow('test/orders: ingressAnnotations: got {}; expected no value with routing');
      expect(attempt({ routing, ingressControllerNamespace: 'traefik' }))
        .toThrow('test/orders: ingressControllerNamespace: got "traefik"; expected no value with routing');
      expect(attempt({ routing, ingressSourceCidrs: ['10.0.0.0/24'] }))
        .toThrow('test/orders: ingressSourceCidrs: got ["10.0.0.0/24"]; expected no value with routing');
    });

    test('fails when routing is not a Routing', () => {
      expect(attempt({ routing: { gatewayName: 'public' } as any }))
        .toThrow('test/orders: routing: got {"gatewayName":"public"}; expected a Routing (Routing.ingress(...) or Routing.httpRoute(...))');
    });

    test('fails when an Ingress option is malformed', () => {
      expect(attempt({ routing: Routing.ingress({ className: 'ALB' }) })).toThrow('test/orders: routing.className: got "ALB"; expected a DNS-1123 subdomain');
      expect(attempt({ routing: Routing.ingress({ tlsSecretName: 'a_b' }) })).toThrow('test/orders: routing.tlsSecretName: got "a_b"');
      expect(attempt({ routing: Routing.ingress({ annotations: { 'a b': 'c' } }) })).toThrow('test/orders: routing.annotations key: got "a b"');
      expect(attempt({ routing: Routing.ingress({ controllerNamespace: 'A' }) })).toThrow('test/orders: routing.controllerNamespace: got "A"; expected a DNS label');
    });

    test('fails when the source ranges are empty, malformed, or given with a controller namespace', () => {
      expect(attempt({ routing: Routing.ingress({ sourceCidrs: [] }) }))
        .toThrow('test/orders: routing.sourceCidrs: got []; expected one or more address ranges in CIDR notation');
      expect(attempt({ routing: Routing.ingress({ sourceCidrs: ['10.0.0.0'] }) }))
        .toThrow('test/orders: routing.sourceCidrs[0]: got "10.0.0.0"; expected an IPv4 or IPv6 range in CIDR notation');
      expect(attempt({ routing: Routing.ingress({ sourceCidrs: [Token.asString({ Ref: 'x' })] }) }))
        .toThrow(/test\/orders: routing.sourceCidrs\[0\]: got "\$\{TfToken.*expected a literal value known at synth time/);
      expect(attempt({ routing: Routing.ingress({ sourceCidrs: ['10.0.0.0/24'], controllerNamespace: 'kube-system' }) }))
        .toThrow('test/orders: routing.controllerNamespace: got "kube-system"; expected no value with routing.sourceCidrs (the traffic comes from those addresses, not from pods)');
    });

    test('fails when a Gateway reference is malformed', () => {
      expect(attempt({ routing: Routing.httpRoute({ ...GATEWAY, gatewayName: 'Public' }) }))
        .toThrow('test/orders: routing.gatewayName: got "Public"; expected a DNS-1123 subdomain');
      expect(attempt({ routing: Routing.httpRoute({ ...GATEWAY, gatewayNamespace: 'gate.ways' }) }))
        .toThrow('test/orders: routing.gatewayNamespace: got "gate.ways"; expected a DNS label');
      expect(attempt({ routing: Routing.httpRoute({ ...GATEWAY, sectionName: 'HTTPS' }) }))
        .toThrow('test/orders: routing.sectionName: got "HTTPS"; expected a DNS-1123 subdomain');
      expect(attempt({ routing: Routing.httpRoute({ ...GATEWAY, proxyNamespace: 'Envoy' }) }))
        .toThrow('test/orders: routing.proxyNamespace: got "Envoy"; expected a DNS label');
    });

    test('fails when the Gateway is a Terraform reference', () => {
      const gatewayName = Token.asString({ resolve: () => 'public' });
      expect(attempt({ routing: Routing.httpRoute({ ...GATEWAY, gatewayName }) }))
        .toThrow(/routing\.gatewayName: .*expected a literal value known at synth time/);
    });

    test('fails when the path has empty or dot segments', () => {
      for (const path of ['/a//b', '/a/./b', '/a/..', '/.']) {
        expect(attempt({ routing: Routing.httpRoute(GATEWAY), path }))
          .toThrow(`test/orders: path: got ${JSON.stringify(path)}; expected a URL path starting with "/"`);
      }
    });
  });
});
