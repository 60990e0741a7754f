import * as fs from 'fs';
import * as path from 'path';
import { App, Chart, JsonPatch } from 'cdk8s';
import { Token } from 'cdktf';
import { Profile, Size } from '../../lib/core';
import { Probe, RolloutStrategy, Volume, WebApp, WebAppProps } from '../../lib/k8s';
import { expectValidKubernetesObjects } from '../support/k8s-schema';
import { prodEnvironment, synthChart, testPlatform } from '../support/synth';

const IMAGE = 'registry.example.com/shop/orders:1.4.2';
const DIGEST = `sha256:${'ab'.repeat(32)}`;
const SELECTOR = { 'app.kubernetes.io/name': 'orders', 'app.kubernetes.io/instance': 'orders' };
const SIDECAR_IMAGE = 'registry.example.com/infra/proxy:2.1.0';
/** A sidecar with the one thing a sidecar needs: a liveness probe. */
const PROXY = { name: 'proxy', image: SIDECAR_IMAGE, ports: { admin: 9901 }, livenessProbe: Probe.httpGet({ path: '/ready' }) };

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
      const cache = Volume.emptyDir('cache', { sizeLimitMiB: 64 });
      const data = Volume.persistentVolumeClaim('data', 'orders-data', { readOnly: true });
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
        command: ['/app/orders'],
        args: ['serve'],
        additionalPorts: { management: 8081 },
        containerResources: { memoryLimit: '1Gi' },
        readinessProbe: Probe.httpGet({ path: '/ready', port: 8081, headers: [{ name: 'X-Probe', value: 'kubelet' }] }),
        livenessProbe: Probe.exec(['/app/healthcheck']),
        files: [
          { path: '/etc/orders/config.yaml', content: 'level: info\n' },
          { path: '/etc/orders/logo.png', binaryContentBase64: 'iVBORw0KGgo=', mode: '0600' },
        ],
        volumes: [cache, data],
        volumeMounts: [{ volume: cache, path: '/var/cache/orders' }, { volume: data, path: '/data', subPath: 'orders' }],
        containers: [{ ...PROXY, files: [{ path: '/etc/proxy/proxy.yaml', content: 'admin: 9901\n' }] }],
        initContainers: [{ name: 'migrate', image: IMAGE, command: ['/app/migrate'], volumeMounts: [{ volume: cache, path: '/cache' }] }],
        terminationGracePeriodSeconds: 60,
        preStopSleepSeconds: 10,
        priorityClassName: 'web-critical',
        strategy: RolloutStrategy.rollingUpdate({ maxSurge: '1', maxUnavailable: '10%' }),
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

    test('admits the address ranges of a load balancer that sends to pod IPs, with no controller namespace', () => {
      const ingress = synth({ ingressClassName: 'alb', ingressSourceCidrs: ['10.20.0.0/24'], port: 9000 }).NetworkPolicy.spec.ingress;
      expect(ingress).toEqual([{ from: [{ ipBlock: { cidr: '10.20.0.0/24' } }], ports: [{ protocol: 'TCP', port: 9000 }] }]);
    });

    test('fails when ingressSourceCidrs comes with ingressControllerNamespace', () => {
      expect(() => synth({ ingressSourceCidrs: ['10.20.0.0/24'], ingressControllerNamespace: 'traefik' })).toThrow(
        'ingressControllerNamespace: got "traefik"; expected no value with ingressSourceCidrs (the traffic comes from those addresses, not from pods)');
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

  describe('containers', () => {
    test('has no sidecars or init containers by default', () => {
      const spec = podSpec();
      expect(spec.containers.map((c: any) => c.name)).toEqual(['orders']);
      expect(spec).not.toHaveProperty('initContainers');
    });

    test('runs sidecars after the main container, restricted like it, with the size resources and a writable /tmp', () => {
      // WHEN
      const spec = podSpec({ containers: [PROXY] });
      // THEN
      const [main, proxy] = spec.containers;
      expect(proxy.name).toBe('proxy');
      expect(proxy.image).toBe(SIDECAR_IMAGE);
      expect(proxy.imagePullPolicy).toBe('Always');
      expect(proxy.securityContext).toEqual(main.securityContext);
      expect(proxy.resources).toEqual(main.resources);
      expect(proxy.volumeMounts).toEqual([{ name: 'tmp', mountPath: '/tmp' }]);
      expect(proxy.ports).toEqual([{ name: 'admin', containerPort: 9901, protocol: 'TCP' }]);
    });

    test('a sidecar has its own command, args, env and secret env', () => {
      const proxy = podSpec({
        containers: [{
          ...PROXY,
          command: ['/proxy'],
          args: ['--admin', '9901'],
          env: { UPSTREAM: 'http://localhost:8080' },
          secretEnv: { TOKEN: { secretName: 'proxy', key: 'token' } },
        }],
      }).containers[1];
      expect(proxy.command).toEqual(['/proxy']);
      expect(proxy.args).toEqual(['--admin', '9901']);
      expect(proxy.env).toEqual([
        { name: 'TOKEN', valueFrom: { secretKeyRef: { name: 'proxy', key: 'token' } } },
        { name: 'UPSTREAM', value: 'http://localhost:8080' },
      ]);
    });

    test('a sidecar overrides single requests and limits, keeping the rest from the size', () => {
      const proxy = podSpec({ containers: [{ ...PROXY, containerResources: { cpuRequest: '50m', memoryRequest: '64Mi', memoryLimit: '128Mi' } }] }).containers[1];
      expect(proxy.resources).toEqual({
        requests: { 'cpu': '50m', 'memory': '64Mi', 'ephemeral-storage': '128Mi' },
        limits: { 'cpu': '1000m', 'memory': '128Mi', 'ephemeral-storage': '512Mi' },
      });
    });

    test('runs init containers before the app, restricted, with resources, /tmp and no probes or preStop hook', () => {
      // WHEN
      const spec = podSpec({ initContainers: [{ name: 'migrate', image: IMAGE, command: ['/app/migrate'], args: ['up'] }] });
      // THEN
      expect(spec.initContainers).toHaveLength(1);
      const migrate = spec.initContainers[0];
      expect(migrate).toMatchObject({ name: 'migrate', image: IMAGE, imagePullPolicy: 'Always', command: ['/app/migrate'], args: ['up'] });
      expect(migrate.securityContext).toEqual(spec.containers[0].securityContext);
      expect(migrate.resources).toEqual(spec.containers[0].resources);
      expect(migrate.volumeMounts).toEqual([{ name: 'tmp', mountPath: '/tmp' }]);
      for (const field of ['ports', 'readinessProbe', 'livenessProbe', 'startupProbe', 'lifecycle']) {
        expect(migrate).not.toHaveProperty(field);
      }
    });

    test('the main container runs the command and args given, and the image defaults without', () => {
      expect(container({ command: ['/app/orders'], args: ['serve', '--port', '8080'] })).toMatchObject({
        command: ['/app/orders'], args: ['serve', '--port', '8080'],
      });
      expect(container()).not.toHaveProperty('command');
      expect(container()).not.toHaveProperty('args');
    });

    test('the main container declares additional ports, which the Service and NetworkPolicy leave out', () => {
      // WHEN
      const objects = synth({ additionalPorts: { management: 8081, metrics: 9090 } });
      // THEN
      expect(objects.Deployment.spec.template.spec.containers[0].ports).toEqual([
        { name: 'http', containerPort: 8080, protocol: 'TCP' },
        { name: 'management', containerPort: 8081, protocol: 'TCP' },
        { name: 'metrics', containerPort: 9090, protocol: 'TCP' },
      ]);
      expect(objects.Service.spec.ports).toEqual([{ name: 'http', port: 8080, targetPort: 'http', protocol: 'TCP' }]);
      expect(objects.NetworkPolicy.spec.ingress[0].ports).toEqual([{ protocol: 'TCP', port: 8080 }]);
    });

    test('the main container overrides requests and limits with Kubernetes quantities', () => {
      expect(container({ containerResources: { cpuLimit: '2', memoryRequest: '300Mi', memoryLimit: '1Gi', ephemeralStorageLimit: '1G' } }).resources).toEqual({
        requests: { 'cpu': '250m', 'memory': '300Mi', 'ephemeral-storage': '128Mi' },
        limits: { 'cpu': '2', 'memory': '1Gi', 'ephemeral-storage': '1G' },
      });
    });

    test('writes Score\'s upper-case K as the k Kubernetes expects', () => {
      expect(container({ containerResources: { memoryRequest: '300000K' } }).resources.requests.memory).toBe('300000k');
    });
  });

  describe('graceful shutdown', () => {
    test('gives pods 30 seconds to stop, the first 5 asleep in a preStop hook so endpoints drain first', () => {
      const spec = podSpec();
      expect(spec.terminationGracePeriodSeconds).toBe(30);
      expect(spec.containers[0].lifecycle).toEqual({ preStop: { exec: { command: ['sleep', '5'] } } });
    });

    test('every sidecar sleeps in its preStop hook too', () => {
      expect(podSpec({ containers: [PROXY] }).containers[1].lifecycle).toEqual({ preStop: { exec: { command: ['sleep', '5'] } } });
    });

    test('grace period and sleep can be set', () => {
      const spec = podSpec({ terminationGracePeriodSeconds: 120, preStopSleepSeconds: 15 });
      expect(spec.terminationGracePeriodSeconds).toBe(120);
      expect(spec.containers[0].lifecycle.preStop.exec.command).toEqual(['sleep', '15']);
    });

    test('a sleep of 0 leaves the hook out, for images without a sleep binary', () => {
      const spec = podSpec({ preStopSleepSeconds: 0, containers: [PROXY] });
      expect(spec.containers[0]).not.toHaveProperty('lifecycle');
      expect(spec.containers[1]).not.toHaveProperty('lifecycle');
    });
  });

  describe('scheduling', () => {
    test('uses the cluster\'s default priority class unless one is given', () => {
      expect(podSpec()).not.toHaveProperty('priorityClassName');
      expect(podSpec({ priorityClassName: 'web-critical' }).priorityClassName).toBe('web-critical');
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
      expect(report).toContain('| prod/shop/orders/orders | terminationGracePeriodSeconds | 30 | paved default |');
      expect(report).toContain('| prod/shop/orders/orders | preStopSleepSeconds | 5 | paved default |');
      expect(report).toContain('| prod/shop/orders/orders | strategy | RollingUpdate maxSurge 25%, maxUnavailable 0 | paved default |');
    });

    test('reports overridden resources, grace period and strategy as overrides', () => {
      // GIVEN
      const platform = testPlatform();
      const env = prodEnvironment(platform);
      new WebApp(env.chart('orders', 'shop'), 'orders', {
        image: IMAGE,
        profile: env.profile,
        containerResources: { memoryLimit: '1Gi' },
        terminationGracePeriodSeconds: 60,
        preStopSleepSeconds: 0,
        strategy: RolloutStrategy.recreate(),
      });
      // WHEN
      const report = fs.readFileSync(path.join(platform.synth().outdir, 'report.md'), 'utf8');
      // THEN
      expect(report).toContain('| prod/shop/orders/orders | memory | request 256Mi, limit 1Gi | **override** |');
      expect(report).toContain('| prod/shop/orders/orders | cpu | request 250m, limit 1000m | size M |');
      expect(report).toContain('| prod/shop/orders/orders | terminationGracePeriodSeconds | 60 | **override** |');
      expect(report).toContain('| prod/shop/orders/orders | preStopSleepSeconds | 0 | **override** |');
      expect(report).toContain('| prod/shop/orders/orders | strategy | Recreate | **override** |');
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
        .toThrow('test/orders: egress[0].ports: got []; expected at least one port');
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
    test('fails when the main command or args is empty', () => {
      expect(attempt({ command: [] })).toThrow('test/orders: command: got []; expected a non-empty list of strings');
      expect(attempt({ args: [] })).toThrow('test/orders: args: got []; expected a non-empty list of strings');
    });

    test('fails when an additional port reuses the app port or its name', () => {
      expect(attempt({ additionalPorts: { admin: 8080 } }))
        .toThrow('test/orders: additionalPorts.admin: got 8080; expected a port no other container of the pod listens on (port has it');
      expect(attempt({ additionalPorts: { http: 9000 } }))
        .toThrow('test/orders: additionalPorts name: got "http"; expected a port name not already used in the pod (port has it)');
    });

    test('fails when containers or initContainers is not a list', () => {
      expect(attempt({ containers: PROXY as any })).toThrow('test/orders: containers: got');
      expect(attempt({ initContainers: 'migrate' as any })).toThrow('test/orders: initContainers: got "migrate"; expected a list');
    });

    test('fails when a container is not an object', () => {
      expect(attempt({ containers: [null as any] })).toThrow('test/orders: containers[0]: got null; expected an object of ContainerSpec { image, name, ... }');
    });

    test('fails when a container name is not a DNS label', () => {
      expect(attempt({ containers: [{ ...PROXY, name: 'Proxy' }] })).toThrow('test/orders: containers[0].name: got "Proxy"; expected a DNS label');
    });

    test('fails when two containers share a name, or a container takes the app\'s', () => {
      expect(attempt({ containers: [PROXY], initContainers: [{ name: 'proxy', image: IMAGE }] }))
        .toThrow('test/orders: initContainers[0].name: got "proxy"; expected a name no other container of the pod has (containers[0] has it)');
      expect(attempt({ containers: [{ ...PROXY, name: 'orders' }] }))
        .toThrow('test/orders: containers[0].name: got "orders"; expected a name no other container of the pod has (the main container');
    });

    test('fails when a container image is not pinned', () => {
      expect(attempt({ containers: [{ ...PROXY, image: 'envoy:latest' }] }))
        .toThrow('test/orders: containers[0].image: got "envoy:latest"; expected a tag other than "latest"');
    });

    test('fails when a container command or args is empty', () => {
      expect(attempt({ initContainers: [{ name: 'migrate', image: IMAGE, command: [] }] }))
        .toThrow('test/orders: initContainers[0].command: got []; expected a non-empty list of strings');
      expect(attempt({ containers: [{ ...PROXY, args: [] }] })).toThrow('test/orders: containers[0].args: got []');
    });

    test('fails when a container environment variable is malformed', () => {
      expect(attempt({ containers: [{ ...PROXY, env: { 'A-B': 'x' } }] }))
        .toThrow('test/orders: containers[0].env name: got "A-B"; expected an environment variable name');
    });

    test('fails when a sidecar has no liveness probe', () => {
      expect(attempt({ containers: [{ name: 'proxy', image: SIDECAR_IMAGE }] }))
        .toThrow('test/orders: containers[0].livenessProbe: got undefined; expected a Probe for a sidecar (a stuck sidecar is otherwise never restarted)');
    });

    test('fails when an init container has ports or probes', () => {
      const migrate = { name: 'migrate', image: IMAGE };
      expect(attempt({ initContainers: [{ ...migrate, ports: { http: 9000 } }] }))
        .toThrow('test/orders: initContainers[0].ports: got {"http":9000}; expected no value on an init container');
      expect(attempt({ initContainers: [{ ...migrate, livenessProbe: Probe.exec(['true']) }] }))
        .toThrow('test/orders: initContainers[0].livenessProbe: got "a Probe"; expected no value on an init container');
      expect(attempt({ initContainers: [{ ...migrate, readinessProbe: Probe.exec(['true']) }] }))
        .toThrow('test/orders: initContainers[0].readinessProbe: got "a Probe"; expected no value on an init container');
    });

    test('fails when the grace period is out of range', () => {
      expect(attempt({ terminationGracePeriodSeconds: 0 }))
        .toThrow('test/orders: terminationGracePeriodSeconds: got 0; expected an integer from 1 to 3600');
    });

    test('fails when the preStop sleep is out of range', () => {
      expect(attempt({ preStopSleepSeconds: -1 })).toThrow('test/orders: preStopSleepSeconds: got -1; expected an integer from 0 to 3600');
    });

    test('fails when the preStop sleep takes the whole grace period', () => {
      expect(attempt({ terminationGracePeriodSeconds: 10, preStopSleepSeconds: 10 }))
        .toThrow('test/orders: preStopSleepSeconds: got 10; expected less than terminationGracePeriodSeconds (10)');
    });

    test('fails when the priority class is not a DNS subdomain', () => {
      expect(attempt({ priorityClassName: 'High' })).toThrow('test/orders: priorityClassName: got "High"; expected a DNS-1123 subdomain');
    });

    test('fails when the strategy is not a RolloutStrategy', () => {
      expect(attempt({ strategy: { type: 'Recreate' } as any }))
        .toThrow('test/orders: strategy: got {"type":"Recreate"}; expected a RolloutStrategy (RolloutStrategy.rollingUpdate(...) or RolloutStrategy.recreate())');
    });

    test('fails when pod annotations set the files checksum', () => {
      expect(attempt({ podAnnotations: { 'checksum/files': 'x' } }))
        .toThrow('test/orders: podAnnotations key: got "checksum/files"; expected a key other than paved\'s own');
    });
  });
});
