import * as fs from 'fs';
import * as path from 'path';
import { App, Chart, JsonPatch } from 'cdk8s';
import { Token } from 'cdktf';
import { Profile, Size } from '../../lib/core';
import { WebApp, WebAppProps } from '../../lib/k8s';
import { expectValidKubernetesObjects } from '../support/k8s-schema';
import { prodEnvironment, synthChart, testPlatform } from '../support/synth';

const IMAGE = 'registry.example.com/shop/orders:1.4.2';
const DIGEST = `sha256:${'ab'.repeat(32)}`;
const SELECTOR = { 'app.kubernetes.io/name': 'orders', 'app.kubernetes.io/instance': 'orders' };

function newChart(namespace: string | null = 'shop'): Chart {
  return new Chart(new App(), 'test', { namespace: namespace ?? undefined, disableResourceNameHashes: true });
}

/** The objects of a WebApp `orders` in namespace `shop`, keyed by kind. */
function synth(props: Partial<WebAppProps> = {}, chart: Chart = newChart()): { [kind: string]: any } {
  new WebApp(chart, 'orders', { image: IMAGE, ...props });
  return Object.fromEntries(synthChart(chart).map(o => [o.kind, o]));
}

function podSpec(props: Partial<WebAppProps> = {}): any {
  return synth(props).Deployment.spec.template.spec;
}

function container(props: Partial<WebAppProps> = {}): any {
  return podSpec(props).containers[0];
}

function attempt(props: Partial<WebAppProps>, id: string = 'orders'): () => WebApp {
  return () => new WebApp(newChart(), id, { image: IMAGE, ...props });
}

describe('WebApp', () => {
  describe('objects', () => {
    test('makes a ServiceAccount, Deployment, Service, autoscaler, disruption budget and NetworkPolicy named after the app', () => {
      // WHEN
      const objects = synthChart((() => { const c = newChart(); new WebApp(c, 'orders', { image: IMAGE }); return c; })());
      // THEN
      expect(objects.map(o => `${o.apiVersion} ${o.kind}`)).toEqual([
        'v1 ServiceAccount',
        'apps/v1 Deployment',
        'v1 Service',
        'autoscaling/v2 HorizontalPodAutoscaler',
        'policy/v1 PodDisruptionBudget',
        'networking.k8s.io/v1 NetworkPolicy',
      ]);
      expect(objects.every(o => o.metadata.name === 'orders' && o.metadata.namespace === 'shop')).toBe(true);
    });

    test('makes an Ingress only when a host is given', () => {
      expect(synth().Ingress).toBeUndefined();
      expect(synth({ host: 'orders.example.com' }).Ingress.metadata.name).toBe('orders');
    });

    test('every object is valid against the Kubernetes schema, with every option set', () => {
      // GIVEN
      const chart = newChart();
      new WebApp(chart, 'orders', {
        image: `${IMAGE}@${DIGEST}`,
        host: 'orders.example.com',
        ingressAnnotations: { 'cert-manager.io/cluster-issuer': 'letsencrypt' },
        podAnnotations: { 'example.com/team': 'shop' },
        env: { LOG_LEVEL: 'info' },
        secretEnv: { DB_PASSWORD: { secretName: 'orders-db', key: 'password' } },
        egress: [
          { cidr: '10.0.0.0/16', ports: [5432] },
          { namespace: 'payments', podLabels: { 'app.kubernetes.io/name': 'payments' }, ports: [8080] },
        ],
        allowedNamespaces: ['shop'],
        automountServiceAccountToken: true,
      });
      // THEN
      expectValidKubernetesObjects(synthChart(chart));
    });

    test('exposes every object for escape hatches: a JSON patch adds imagePullSecrets and a GPU limit', () => {
      // GIVEN
      const chart = newChart();
      const app = new WebApp(chart, 'orders', { image: IMAGE });
      // WHEN
      app.deployment.addJsonPatch(
        JsonPatch.add('/spec/template/spec/imagePullSecrets', [{ name: 'registry-credentials' }]),
        JsonPatch.add('/spec/template/spec/containers/0/resources/limits/nvidia.com~1gpu', '1'),
      );
      // THEN
      const deployment = synthChart(chart).find(o => o.kind === 'Deployment');
      expect(deployment.spec.template.spec.imagePullSecrets).toEqual([{ name: 'registry-credentials' }]);
      expect(deployment.spec.template.spec.containers[0].resources.limits['nvidia.com/gpu']).toBe('1');
      expect(deployment.spec.template.spec.containers[0].resources.limits.cpu).toBe('1000m');
      expectValidKubernetesObjects([deployment]);
      expect([app.service, app.serviceAccount, app.hpa, app.pdb, app.networkPolicy].every(o => o !== undefined)).toBe(true);
    });

    test('name defaults to the construct id and can be set', () => {
      expect(synth().Service.metadata.name).toBe('orders');
      const objects = synth({ name: 'orders-api' });
      expect(Object.values(objects).map(o => o.metadata.name)).toEqual(Array(6).fill('orders-api'));
    });

    test('matches the snapshot', () => {
      const chart = newChart();
      new WebApp(chart, 'orders', {
        image: IMAGE, host: 'orders.example.com', egress: [{ cidr: '10.0.0.0/16', ports: [5432] }],
      });
      expect(synthChart(chart)).toMatchSnapshot();
    });
  });

  describe('labels', () => {
    test('puts the app.kubernetes.io labels on every object and on the pods', () => {
      // WHEN
      const objects = synth({ host: 'orders.example.com' });
      // THEN
      const expected = {
        ...SELECTOR,
        'app.kubernetes.io/component': 'web',
        'app.kubernetes.io/version': '1.4.2',
        'app.kubernetes.io/part-of': 'shop',
        'app.kubernetes.io/managed-by': 'paved',
      };
      for (const object of Object.values(objects)) {
        expect(object.metadata.labels).toEqual(expected);
      }
      expect(objects.Deployment.spec.template.metadata.labels).toEqual(expected);
    });

    test('selects pods by name and instance only, so a new version keeps the immutable selector', () => {
      const objects = synth();
      expect(objects.Deployment.spec.selector.matchLabels).toEqual(SELECTOR);
      expect(objects.Service.spec.selector).toEqual(SELECTOR);
      expect(objects.PodDisruptionBudget.spec.selector.matchLabels).toEqual(SELECTOR);
      expect(objects.NetworkPolicy.spec.podSelector.matchLabels).toEqual(SELECTOR);
    });

    test('takes the version from the tag, and leaves it out for a digest without a tag', () => {
      expect(synth({ image: `${IMAGE}@${DIGEST}` }).Service.metadata.labels['app.kubernetes.io/version']).toBe('1.4.2');
      expect(synth({ image: `registry.example.com/shop/orders@${DIGEST}` }).Service.metadata.labels)
        .not.toHaveProperty(['app.kubernetes.io/version']);
    });

    test('part-of defaults to the chart namespace, is left out without one, and can be set', () => {
      expect(synth({}, newChart(null)).Service.metadata.labels).not.toHaveProperty(['app.kubernetes.io/part-of']);
      expect(synth({ partOf: 'webshop' }).Service.metadata.labels['app.kubernetes.io/part-of']).toBe('webshop');
    });
  });

  describe('pods', () => {
    test('leaves spec.replicas out: the autoscaler owns the count', () => {
      expect(synth().Deployment.spec).not.toHaveProperty('replicas');
    });

    test('rolls out by surging, never going below the current count', () => {
      expect(synth().Deployment.spec.strategy).toEqual({ type: 'RollingUpdate', rollingUpdate: { maxSurge: '25%', maxUnavailable: 0 } });
    });

    test('runs the pod under the restricted Pod Security Standard as user and group 10001', () => {
      expect(podSpec().securityContext).toEqual({
        runAsNonRoot: true, runAsUser: 10001, runAsGroup: 10001, fsGroup: 10001, seccompProfile: { type: 'RuntimeDefault' },
      });
    });

    test('runs the container restricted, with a read-only root filesystem', () => {
      expect(container().securityContext).toEqual({
        runAsNonRoot: true,
        runAsUser: 10001,
        runAsGroup: 10001,
        privileged: false,
        allowPrivilegeEscalation: false,
        readOnlyRootFilesystem: true,
        capabilities: { drop: ['ALL'] },
        seccompProfile: { type: 'RuntimeDefault' },
      });
    });

    test('user and group can be set', () => {
      const spec = podSpec({ runAsUser: 20000, runAsGroup: 30000 });
      expect(spec.securityContext).toMatchObject({ runAsUser: 20000, runAsGroup: 30000, fsGroup: 30000 });
      expect(spec.containers[0].securityContext).toMatchObject({ runAsUser: 20000, runAsGroup: 30000 });
    });

    test('gives the container a writable /tmp emptyDir', () => {
      const spec = podSpec();
      expect(spec.volumes).toEqual([{ name: 'tmp', emptyDir: {} }]);
      expect(spec.containers[0].volumeMounts).toEqual([{ name: 'tmp', mountPath: '/tmp' }]);
    });

    test('does not mount a service account token by default, on the pod or the ServiceAccount', () => {
      const objects = synth();
      expect(objects.Deployment.spec.template.spec.automountServiceAccountToken).toBe(false);
      expect(objects.ServiceAccount.automountServiceAccountToken).toBe(false);
    });

    test('mounts the token when asked', () => {
      const objects = synth({ automountServiceAccountToken: true });
      expect(objects.Deployment.spec.template.spec.automountServiceAccountToken).toBe(true);
      expect(objects.ServiceAccount.automountServiceAccountToken).toBe(true);
    });

    test('runs as the ServiceAccount named after the app, or the one given', () => {
      expect(podSpec().serviceAccountName).toBe('orders');
      const objects = synth({ serviceAccountName: 'orders-runtime' });
      expect(objects.Deployment.spec.template.spec.serviceAccountName).toBe('orders-runtime');
      expect(objects.ServiceAccount.metadata.name).toBe('orders-runtime');
    });

    test('turns service links off', () => {
      expect(podSpec().enableServiceLinks).toBe(false);
    });

    test('pulls the image on every start', () => {
      expect(container().imagePullPolicy).toBe('Always');
      expect(container().image).toBe(IMAGE);
    });

    test('listens on port 8080 by default', () => {
      expect(container().ports).toEqual([{ name: 'http', containerPort: 8080, protocol: 'TCP' }]);
    });

    test('requests and limits cpu, memory and ephemeral-storage from Size.M by default', () => {
      expect(container().resources).toEqual({
        requests: { 'cpu': '250m', 'memory': '256Mi', 'ephemeral-storage': '128Mi' },
        limits: { 'cpu': '1000m', 'memory': '512Mi', 'ephemeral-storage': '512Mi' },
      });
    });

    test('takes resources from the size given', () => {
      expect(container({ size: Size.L }).resources).toEqual({
        requests: { 'cpu': '500m', 'memory': '512Mi', 'ephemeral-storage': '256Mi' },
        limits: { 'cpu': '2000m', 'memory': '1024Mi', 'ephemeral-storage': '1024Mi' },
      });
    });

    test('probes readiness on /readyz and liveness on /livez, with a startup probe guarding liveness', () => {
      const c = container();
      expect(c.readinessProbe).toEqual({
        httpGet: { path: '/readyz', port: 'http', scheme: 'HTTP' }, periodSeconds: 5, failureThreshold: 3, timeoutSeconds: 2, successThreshold: 1,
      });
      expect(c.livenessProbe).toEqual({
        httpGet: { path: '/livez', port: 'http', scheme: 'HTTP' }, periodSeconds: 10, failureThreshold: 3, timeoutSeconds: 2, successThreshold: 1,
      });
      expect(c.startupProbe).toEqual({
        httpGet: { path: '/livez', port: 'http', scheme: 'HTTP' }, periodSeconds: 5, failureThreshold: 12, timeoutSeconds: 2, successThreshold: 1,
      });
    });

    test('probe paths and startup time can be set', () => {
      const c = container({ readinessPath: '/health/ready', livenessPath: '/health/live', startupTimeoutSeconds: 300 });
      expect(c.readinessProbe.httpGet.path).toBe('/health/ready');
      expect(c.livenessProbe.httpGet.path).toBe('/health/live');
      expect(c.startupProbe.httpGet.path).toBe('/health/live');
      expect(c.startupProbe.failureThreshold).toBe(60);
    });

    test('sets secret, then literal environment variables', () => {
      expect(container({
        env: { LOG_LEVEL: 'info' },
        secretEnv: { DB_PASSWORD: { secretName: 'orders-db', key: 'password' } },
      }).env).toEqual([
        { name: 'DB_PASSWORD', valueFrom: { secretKeyRef: { name: 'orders-db', key: 'password' } } },
        { name: 'LOG_LEVEL', value: 'info' },
      ]);
      expect(container()).not.toHaveProperty('env');
    });

    test('annotates the pods when asked', () => {
      expect(synth({ podAnnotations: { 'example.com/team': 'shop' } }).Deployment.spec.template.metadata.annotations)
        .toEqual({ 'example.com/team': 'shop' });
      expect(synth().Deployment.spec.template.metadata).not.toHaveProperty('annotations');
    });

    test('spreads pods softly over zones and hosts, per rollout revision, and prefers distinct hosts', () => {
      const spec = podSpec();
      expect(spec.topologySpreadConstraints).toEqual(['topology.kubernetes.io/zone', 'kubernetes.io/hostname'].map(topologyKey => ({
        topologyKey, maxSkew: 1, whenUnsatisfiable: 'ScheduleAnyway', labelSelector: { matchLabels: SELECTOR }, matchLabelKeys: ['pod-template-hash'],
      })));
      expect(spec.affinity.podAntiAffinity.preferredDuringSchedulingIgnoredDuringExecution).toEqual([{
        weight: 100, podAffinityTerm: { topologyKey: 'kubernetes.io/hostname', labelSelector: { matchLabels: SELECTOR } },
      }]);
    });
  });

  describe('service', () => {
    test('is a ClusterIP Service on the app port, targeting the named container port', () => {
      expect(synth({ port: 3000 }).Service.spec).toEqual({
        type: 'ClusterIP', selector: SELECTOR, ports: [{ name: 'http', port: 3000, targetPort: 'http', protocol: 'TCP' }],
      });
    });
  });

  describe('autoscaling', () => {
    test('scales the Deployment on CPU with the size target', () => {
      expect(synth().HorizontalPodAutoscaler.spec).toEqual({
        scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'orders' },
        minReplicas: 2,
        maxReplicas: 6,
        metrics: [{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 70 } } }],
      });
    });

    test('DEV with Size.S runs 1 to 3 replicas, without a disruption budget', () => {
      const objects = synth({ profile: Profile.DEV, size: Size.S });
      expect(objects.HorizontalPodAutoscaler.spec).toMatchObject({ minReplicas: 1, maxReplicas: 3 });
      expect(objects.PodDisruptionBudget).toBeUndefined();
    });

    test('PROD with Size.S still runs at least 2 replicas, with a disruption budget', () => {
      const objects = synth({ profile: Profile.PROD, size: Size.S });
      expect(objects.HorizontalPodAutoscaler.spec).toMatchObject({ minReplicas: 2, maxReplicas: 3 });
      expect(objects.PodDisruptionBudget).toBeDefined();
    });

    test('bounds can be set', () => {
      const app = new WebApp(newChart(), 'orders', { image: IMAGE, minReplicas: 3, maxReplicas: 10 });
      expect(app.hpa.toJson().spec).toMatchObject({ minReplicas: 3, maxReplicas: 10 });
      expect([app.minReplicas, app.maxReplicas]).toEqual([3, 10]);
    });

    test('allows equal bounds outside production', () => {
      expect(synth({ profile: Profile.DEV, minReplicas: 2, maxReplicas: 2 }).HorizontalPodAutoscaler.spec)
        .toMatchObject({ minReplicas: 2, maxReplicas: 2 });
    });
  });

  describe('disruption budget', () => {
    test('lets one pod at a time be evicted, and never blocks on unhealthy pods', () => {
      expect(synth().PodDisruptionBudget.spec).toEqual({
        maxUnavailable: 1, selector: { matchLabels: SELECTOR }, unhealthyPodEvictionPolicy: 'AlwaysAllow',
      });
    });

    test('is left out with a single replica', () => {
      const app = new WebApp(newChart(), 'orders', { image: IMAGE, profile: Profile.DEV, minReplicas: 1 });
      expect(app.pdb).toBeUndefined();
    });
  });

  describe('network policy', () => {
    test('admits only the ingress-nginx namespace on the app port, and lets the app reach only DNS', () => {
      expect(synth().NetworkPolicy.spec).toEqual({
        podSelector: { matchLabels: SELECTOR },
        policyTypes: ['Ingress', 'Egress'],
        ingress: [{
          from: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'ingress-nginx' } } }],
          ports: [{ protocol: 'TCP', port: 8080 }],
        }],
        egress: [{
          to: [{
            namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'kube-system' } },
            podSelector: { matchLabels: { 'k8s-app': 'kube-dns' } },
          }],
          ports: [{ protocol: 'UDP', port: 53 }, { protocol: 'TCP', port: 53 }],
        }],
      });
    });

    test('admits the ingress controller namespace given and further namespaces', () => {
      const ingress = synth({ ingressControllerNamespace: 'traefik', allowedNamespaces: ['shop', 'traefik'], port: 9000 }).NetworkPolicy.spec.ingress;
      expect(ingress).toEqual([{
        from: ['traefik', 'shop'].map(ns => ({ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': ns } } })),
        ports: [{ protocol: 'TCP', port: 9000 }],
      }]);
    });

    test('lets the app reach the destinations it declares, after DNS', () => {
      const egress = synth({
        egress: [
          { cidr: '10.0.0.0/16', ports: [5432], description: 'PostgreSQL db' },
          { cidr: 'fd00:ec2::23/128', ports: [80] },
          { namespace: 'payments', ports: [8080, 8443] },
          { namespace: 'payments', podLabels: { 'app.kubernetes.io/name': 'payments' }, ports: [8080] },
        ],
      }).NetworkPolicy.spec.egress;
      expect(egress.slice(1)).toEqual([
        { to: [{ ipBlock: { cidr: '10.0.0.0/16' } }], ports: [{ protocol: 'TCP', port: 5432 }] },
        { to: [{ ipBlock: { cidr: 'fd00:ec2::23/128' } }], ports: [{ protocol: 'TCP', port: 80 }] },
        {
          to: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'payments' } } }],
          ports: [{ protocol: 'TCP', port: 8080 }, { protocol: 'TCP', port: 8443 }],
        },
        {
          to: [{
            namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'payments' } },
            podSelector: { matchLabels: { 'app.kubernetes.io/name': 'payments' } },
          }],
          ports: [{ protocol: 'TCP', port: 8080 }],
        },
      ]);
    });
  });

  describe('ingress', () => {
    test('serves the host over TLS through the nginx class, from the <name>-tls secret, on every path', () => {
      expect(synth({ host: 'orders.example.com' }).Ingress.spec).toEqual({
        ingressClassName: 'nginx',
        tls: [{ hosts: ['orders.example.com'], secretName: 'orders-tls' }],
        rules: [{
          host: 'orders.example.com',
          http: { paths: [{ path: '/', pathType: 'Prefix', backend: { service: { name: 'orders', port: { name: 'http' } } } }] },
        }],
      });
    });

    test('class, TLS secret, path and annotations can be set', () => {
      const ingress = synth({
        host: 'shop.example.com',
        ingressClassName: 'alb',
        tlsSecretName: 'wildcard-example-com',
        path: '/orders',
        ingressAnnotations: { 'cert-manager.io/cluster-issuer': 'letsencrypt' },
      }).Ingress;
      expect(ingress.metadata.annotations).toEqual({ 'cert-manager.io/cluster-issuer': 'letsencrypt' });
      expect(ingress.spec.ingressClassName).toBe('alb');
      expect(ingress.spec.tls).toEqual([{ hosts: ['shop.example.com'], secretName: 'wildcard-example-com' }]);
      expect(ingress.spec.rules[0].http.paths[0].path).toBe('/orders');
    });
  });

  describe('in a platform', () => {
    test('is written to the tenant manifest and reports the defaults the size and profile chose', () => {
      // GIVEN
      const platform = testPlatform();
      const env = prodEnvironment(platform);
      new WebApp(env.chart('orders', 'shop'), 'orders', {
        image: IMAGE, profile: env.profile, size: Size.S, egress: [{ cidr: '10.0.0.0/16', ports: [5432], description: 'PostgreSQL db' }],
      });
      // WHEN
      const result = platform.synth();
      // THEN
      expect(result.manifests).toEqual(['k8s/prod/shop/orders.k8s.yaml']);
      const report = fs.readFileSync(path.join(result.outdir, result.report), 'utf8');
      expect(report).toContain('| prod/shop/orders/orders | minReplicas | 2 | profile prod |');
      expect(report).toContain('| prod/shop/orders/orders | maxReplicas | 3 | size S |');
      expect(report).toContain('| prod/shop/orders/orders | cpu | request 100m, limit 500m | size S |');
      expect(report).toContain('| prod/shop/orders/orders | egress[0] | 10.0.0.0/16 TCP 5432 | PostgreSQL db |');
    });
  });

  describe('validation', () => {
    test('fails when the image has no tag', () => {
      expect(attempt({ image: 'registry.example.com/shop/orders' }))
        .toThrow('test/orders: image: got "registry.example.com/shop/orders"; expected an image with a tag or a digest');
    });

    test('fails when the image tag is latest', () => {
      expect(attempt({ image: 'orders:latest' })).toThrow('test/orders: image: got "orders:latest"; expected a tag other than "latest"');
    });

    test('fails when the image is not a valid reference', () => {
      expect(attempt({ image: 'Registry/Orders:1.0' })).toThrow('test/orders: image: got "Registry/Orders:1.0"; expected an image reference');
      expect(attempt({ image: 'orders@sha256:abc' })).toThrow('image: got "orders@sha256:abc"; expected an image reference');
    });

    test('fails when the image is a Terraform reference', () => {
      const image = Token.asString({ resolve: () => 'x' });
      expect(attempt({ image })).toThrow(/test\/orders: image: got ".*"; expected a literal value known at synth time/);
    });

    test('fails when the port is outside 1-65535', () => {
      expect(attempt({ port: 0 })).toThrow('test/orders: port: got 0; expected an integer from 1 to 65535');
      expect(attempt({ port: 70000 })).toThrow('test/orders: port: got 70000; expected an integer from 1 to 65535');
    });

    test('fails when the host is not a DNS name', () => {
      expect(attempt({ host: 'https://orders.example.com' }))
        .toThrow('test/orders: host: got "https://orders.example.com"; expected a lowercase DNS name with at least two labels');
      expect(attempt({ host: 'orders' })).toThrow('host: got "orders"');
    });

    test('fails when the name is not a DNS-1035 label', () => {
      expect(attempt({}, 'Orders')).toThrow('test/Orders: name: got "Orders"; expected a DNS-1035 label');
      expect(attempt({ name: '1orders' })).toThrow('test/orders: name: got "1orders"; expected a DNS-1035 label');
    });

    test('fails when readiness and liveness share a path', () => {
      expect(attempt({ readinessPath: '/health', livenessPath: '/health' }))
        .toThrow('test/orders: livenessPath: got "/health"; expected a path other than readinessPath "/health"');
    });

    test('fails when a probe path is not absolute', () => {
      expect(attempt({ readinessPath: 'ready' })).toThrow('test/orders: readinessPath: got "ready"; expected an absolute HTTP path');
    });

    test('fails when the startup timeout is out of range', () => {
      expect(attempt({ startupTimeoutSeconds: 1 })).toThrow('test/orders: startupTimeoutSeconds: got 1; expected an integer from 5 to 3600');
    });

    test('fails when minReplicas is below 2 in production', () => {
      expect(attempt({ minReplicas: 1 }))
        .toThrow('test/orders: minReplicas: got 1; expected at least 2 in production profile "prod"');
    });

    test('fails when a production profile asks for 1 replica and the size does not raise it', () => {
      expect(attempt({ profile: Profile.PROD.with({ minReplicas: 1 }), size: Size.S }))
        .toThrow('test/orders: minReplicas: got 1; expected at least 2 in production profile "prod"');
    });

    test('fails when maxReplicas is below minReplicas', () => {
      expect(attempt({ profile: Profile.DEV, minReplicas: 4, maxReplicas: 3 }))
        .toThrow('test/orders: maxReplicas: got 3; expected at least minReplicas (4)');
    });

    test('fails when maxReplicas equals minReplicas in production', () => {
      expect(attempt({ minReplicas: 6 }))
        .toThrow('test/orders: maxReplicas: got 6; expected above minReplicas (6) in production');
    });

    test('fails when an egress CIDR is not a CIDR', () => {
      expect(attempt({ egress: [{ cidr: '10.0.0.0/16', ports: [443] }, { cidr: '10.0.0.300/16', ports: [443] }] }))
        .toThrow('test/orders: egress[1].cidr: got "10.0.0.300/16"; expected an IPv4 or IPv6 range in CIDR notation');
    });

    test('fails when an egress CIDR is a Terraform reference', () => {
      const cidr = Token.asString({ resolve: () => '10.0.0.0/16' });
      expect(attempt({ egress: [{ cidr, ports: [5432] }] })).toThrow(/egress\[0\]\.cidr: .*expected a literal value known at synth time/);
    });

    test('fails when an egress rule has no ports', () => {
      expect(attempt({ egress: [{ cidr: '0.0.0.0/0', ports: [] }] }))
        .toThrow('test/orders: egress[0].ports: got []; expected at least one TCP port');
    });

    test('fails when an egress rule names both a CIDR and a namespace', () => {
      expect(attempt({ egress: [{ cidr: '0.0.0.0/0', namespace: 'payments', ports: [443] }] }))
        .toThrow('test/orders: egress[0]: got {"cidr":"0.0.0.0/0","namespace":"payments"}; expected exactly one of cidr and namespace');
    });

    test('fails when the user id is below 10000', () => {
      expect(attempt({ runAsUser: 1000 })).toThrow('test/orders: runAsUser: got 1000; expected an integer from 10000 to 2147483647');
      expect(attempt({ runAsGroup: 0 })).toThrow('test/orders: runAsGroup: got 0; expected an integer from 10000 to 2147483647');
    });

    test('fails when the service account name is not a DNS subdomain', () => {
      expect(attempt({ serviceAccountName: 'Orders_SA' })).toThrow('test/orders: serviceAccountName: got "Orders_SA"; expected a DNS-1123 subdomain');
    });

    test('fails when a namespace to admit is not a DNS label', () => {
      expect(attempt({ ingressControllerNamespace: 'Ingress' })).toThrow('test/orders: ingressControllerNamespace: got "Ingress"');
      expect(attempt({ allowedNamespaces: ['shop', 'a.b'] })).toThrow('test/orders: allowedNamespaces[1]: got "a.b"');
    });

    test('fails when an Ingress setting is malformed', () => {
      const host = 'orders.example.com';
      expect(attempt({ host, ingressClassName: 'Nginx' })).toThrow('test/orders: ingressClassName: got "Nginx"; expected a DNS-1123 subdomain');
      expect(attempt({ host, tlsSecretName: 'orders_tls' })).toThrow('test/orders: tlsSecretName: got "orders_tls"; expected a DNS-1123 subdomain');
      expect(attempt({ host, path: 'orders' })).toThrow('test/orders: path: got "orders"; expected a URL path starting with "/"');
      expect(attempt({ host, ingressAnnotations: { 'bad key': 'x' } })).toThrow('test/orders: ingressAnnotations key: got "bad key"');
    });

    test('fails when a pod annotation key is malformed', () => {
      expect(attempt({ podAnnotations: { '-x': 'y' } })).toThrow('test/orders: podAnnotations key: got "-x"');
    });

    test('fails when part-of is not a label value', () => {
      expect(attempt({ partOf: 'web shop' })).toThrow('test/orders: partOf: got "web shop"; expected a label value');
    });

    test('fails when an environment variable is malformed or set twice', () => {
      expect(attempt({ env: { '1X': 'y' } })).toThrow('test/orders: env name: got "1X"; expected an environment variable name');
      expect(attempt({ env: { X: 'y' }, secretEnv: { X: { secretName: 's', key: 'k' } } }))
        .toThrow('test/orders: secretEnv: got "X"; expected a variable name not also set in env');
    });
  });
});
