import * as fs from 'fs';
import * as path from 'path';
import { App, Chart, JsonPatch } from 'cdk8s';
import { Token } from 'cdktf';
import { IScalingQueue } from '../../lib';
import { Profile, Size } from '../../lib/core';
import { Probe, Volume, Worker, WorkerProps } from '../../lib/k8s';
import { expectValidKubernetesObjects } from '../support/k8s-schema';
import { devEnvironment, synthChart, testPlatform } from '../support/synth';

const IMAGE = 'registry.example.com/shop/billing:2.0.1';
const SELECTOR = { 'app.kubernetes.io/name': 'billing', 'app.kubernetes.io/instance': 'billing' };
const QUEUE_URL = 'https://sqs.eu-central-1.amazonaws.com/123456789012/prod-shop-billing-jobs';
const QUEUE: IScalingQueue = { queueUrl: QUEUE_URL, queueName: 'prod-shop-billing-jobs', region: 'eu-central-1', isPavedQueue: true };
const DNS_EGRESS = {
  to: [{
    namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'kube-system' } },
    podSelector: { matchLabels: { 'k8s-app': 'kube-dns' } },
  }],
  ports: [{ protocol: 'UDP', port: 53 }, { protocol: 'TCP', port: 53 }],
};

function newChart(namespace: string = 'shop'): Chart {
  return new Chart(new App(), 'test', { namespace, disableResourceNameHashes: true });
}

/** The objects of a Worker `billing` in namespace `shop`, in order. */
function synthList(props: Partial<WorkerProps> = {}): any[] {
  const chart = newChart();
  new Worker(chart, 'billing', { image: IMAGE, ...props });
  return synthChart(chart);
}

/** The objects of a Worker `billing`, keyed by kind. */
function synth(props: Partial<WorkerProps> = {}): { [kind: string]: any } {
  return Object.fromEntries(synthList(props).map(o => [o.kind, o]));
}

function podSpec(props: Partial<WorkerProps> = {}): any {
  return synth(props).Deployment.spec.template.spec;
}

function container(props: Partial<WorkerProps> = {}): any {
  return podSpec(props).containers[0];
}

function attempt(props: Partial<WorkerProps>, id: string = 'billing'): () => Worker {
  return () => new Worker(newChart(), id, { image: IMAGE, ...props });
}

describe('Worker', () => {
  describe('objects', () => {
    test('makes a ServiceAccount, Deployment, CPU autoscaler, disruption budget and NetworkPolicy, and no Service or Ingress', () => {
      // WHEN
      const objects = synthList();
      // THEN
      expect(objects.map(o => `${o.apiVersion} ${o.kind}`)).toEqual([
        'v1 ServiceAccount',
        'apps/v1 Deployment',
        'autoscaling/v2 HorizontalPodAutoscaler',
        'policy/v1 PodDisruptionBudget',
        'networking.k8s.io/v1 NetworkPolicy',
      ]);
      expect(objects.every(o => o.metadata.name === 'billing' && o.metadata.namespace === 'shop')).toBe(true);
      expectValidKubernetesObjects(objects);
    });

    test('with a queue, makes a KEDA TriggerAuthentication and ScaledObject instead of an autoscaler', () => {
      // WHEN
      const objects = synthList({ queue: QUEUE });
      // THEN
      expect(objects.map(o => `${o.apiVersion} ${o.kind}`)).toEqual([
        'v1 ServiceAccount',
        'apps/v1 Deployment',
        'keda.sh/v1alpha1 TriggerAuthentication',
        'keda.sh/v1alpha1 ScaledObject',
        'policy/v1 PodDisruptionBudget',
        'networking.k8s.io/v1 NetworkPolicy',
      ]);
      expectValidKubernetesObjects(objects);
    });

    test('every object is valid against the Kubernetes schema, with every option set', () => {
      // GIVEN
      const chart = newChart();
      new Worker(chart, 'billing', {
        image: IMAGE,
        command: ['/app/worker'],
        args: ['--concurrency', '4'],
        ports: { http: 8080, metrics: 9090 },
        probePort: 9090,
        readinessPath: '/ready',
        livenessPath: '/alive',
        startupTimeoutSeconds: 120,
        terminationGracePeriodSeconds: 90,
        profile: Profile.DEV,
        size: Size.L,
        queue: QUEUE,
        queueLengthTarget: 20,
        scaleToZero: true,
        queueScalerRoleArn: 'arn:aws:iam::123456789012:role/prod-shop-billing',
        allowedNamespaces: ['monitoring'],
        serviceAccountName: 'billing-runtime',
        automountServiceAccountToken: true,
        podAnnotations: { 'example.com/team': 'shop' },
        env: { LOG_LEVEL: 'info' },
        secretEnv: { DB_PASSWORD: { secretName: 'billing-db', key: 'password' } },
        egress: [{ cidr: '169.254.170.23/32', ports: [80] }, { cidr: '0.0.0.0/0', ports: [443] }],
        runAsUser: 20000,
        runAsGroup: 20000,
        partOf: 'webshop',
      });
      // THEN
      expectValidKubernetesObjects(synthChart(chart));
    });

    test('exposes every object for escape hatches: a JSON patch survives synthesis', () => {
      // GIVEN
      const chart = newChart();
      const worker = new Worker(chart, 'billing', { image: IMAGE, queue: QUEUE });
      // WHEN
      worker.scaledObject!.addJsonPatch(JsonPatch.add('/spec/pollingInterval', 10));
      worker.deployment.addJsonPatch(JsonPatch.add('/spec/template/spec/priorityClassName', 'batch'));
      // THEN
      const objects = Object.fromEntries(synthChart(chart).map(o => [o.kind, o]));
      expect(objects.ScaledObject.spec.pollingInterval).toBe(10);
      expect(objects.Deployment.spec.template.spec.priorityClassName).toBe('batch');
      expect([worker.serviceAccount, worker.triggerAuthentication, worker.pdb, worker.networkPolicy].every(o => o !== undefined)).toBe(true);
      expect(worker.hpa).toBeUndefined();
    });

    test('name defaults to the construct id and can be set', () => {
      expect(synth().Deployment.metadata.name).toBe('billing');
      expect(synthList({ name: 'billing-worker' }).map(o => o.metadata.name)).toEqual(Array(5).fill('billing-worker'));
    });

    test('matches the snapshot', () => {
      expect(synthList({ queue: QUEUE, egress: [{ cidr: '0.0.0.0/0', ports: [443] }] })).toMatchSnapshot();
    });
  });

  describe('labels', () => {
    test('puts the app.kubernetes.io labels, component worker, on every object and on the pods', () => {
      const objects = synthList({ queue: QUEUE });
      const expected = {
        ...SELECTOR,
        'app.kubernetes.io/component': 'worker',
        'app.kubernetes.io/version': '2.0.1',
        'app.kubernetes.io/part-of': 'shop',
        'app.kubernetes.io/managed-by': 'paved',
      };
      for (const object of objects) {
        expect(object.metadata.labels).toEqual(expected);
      }
      expect(objects[1].spec.template.metadata.labels).toEqual(expected);
    });

    test('selects pods by name and instance only', () => {
      const objects = synth();
      expect(objects.Deployment.spec.selector.matchLabels).toEqual(SELECTOR);
      expect(objects.PodDisruptionBudget.spec.selector.matchLabels).toEqual(SELECTOR);
      expect(objects.NetworkPolicy.spec.podSelector.matchLabels).toEqual(SELECTOR);
    });
  });

  describe('pods', () => {
    test('leaves spec.replicas out and rolls out by surging', () => {
      const deployment = synth().Deployment;
      expect(deployment.spec).not.toHaveProperty('replicas');
      expect(deployment.spec.strategy).toEqual({ type: 'RollingUpdate', rollingUpdate: { maxSurge: '25%', maxUnavailable: 0 } });
    });

    test('runs the pod and the container under the restricted Pod Security Standard', () => {
      const spec = podSpec();
      expect(spec.securityContext).toEqual({
        runAsNonRoot: true, runAsUser: 10001, runAsGroup: 10001, fsGroup: 10001, seccompProfile: { type: 'RuntimeDefault' },
      });
      expect(spec.containers[0].securityContext).toEqual({
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

    test('gives the container a writable /tmp, no API token and no service links', () => {
      const spec = podSpec();
      expect(spec.volumes).toEqual([{ name: 'tmp', emptyDir: {} }]);
      expect(spec.containers[0].volumeMounts).toEqual([{ name: 'tmp', mountPath: '/tmp' }]);
      expect(spec.automountServiceAccountToken).toBe(false);
      expect(spec.enableServiceLinks).toBe(false);
      expect(synth().ServiceAccount.automountServiceAccountToken).toBe(false);
    });

    test('runs as the ServiceAccount named after the worker, or the one given', () => {
      expect(podSpec().serviceAccountName).toBe('billing');
      const objects = synth({ serviceAccountName: 'billing-runtime' });
      expect(objects.Deployment.spec.template.spec.serviceAccountName).toBe('billing-runtime');
      expect(objects.ServiceAccount.metadata.name).toBe('billing-runtime');
    });

    test('requests and limits cpu, memory and ephemeral-storage from Size.M by default, or the size given', () => {
      expect(container().resources).toEqual({
        requests: { 'cpu': '250m', 'memory': '256Mi', 'ephemeral-storage': '128Mi' },
        limits: { 'cpu': '1000m', 'memory': '512Mi', 'ephemeral-storage': '512Mi' },
      });
      expect(container({ size: Size.S }).resources.limits).toEqual({ 'cpu': '500m', 'memory': '256Mi', 'ephemeral-storage': '256Mi' });
    });

    test('declares port http 8080 by default, or the ports given', () => {
      expect(container().ports).toEqual([{ name: 'http', containerPort: 8080, protocol: 'TCP' }]);
      expect(container({ ports: { metrics: 9090, health: 8081 } }).ports).toEqual([
        { name: 'metrics', containerPort: 9090, protocol: 'TCP' },
        { name: 'health', containerPort: 8081, protocol: 'TCP' },
      ]);
    });

    test('probes readiness on /readyz and liveness on /livez of the http port, with a startup probe guarding liveness', () => {
      const c = container();
      const httpGet = (p: string) => ({ path: p, port: 'http', scheme: 'HTTP' });
      expect(c.readinessProbe).toEqual({ httpGet: httpGet('/readyz'), periodSeconds: 5, failureThreshold: 3, timeoutSeconds: 2, successThreshold: 1 });
      expect(c.livenessProbe).toEqual({ httpGet: httpGet('/livez'), periodSeconds: 10, failureThreshold: 3, timeoutSeconds: 2, successThreshold: 1 });
      expect(c.startupProbe).toEqual({ httpGet: httpGet('/livez'), periodSeconds: 5, failureThreshold: 12, timeoutSeconds: 2, successThreshold: 1 });
    });

    test('probes the port given, by name, on the paths given', () => {
      const c = container({ ports: { metrics: 9090, health: 8081 }, probePort: 8081, readinessPath: '/ready', livenessPath: '/alive', startupTimeoutSeconds: 300 });
      expect(c.readinessProbe.httpGet).toEqual({ path: '/ready', port: 'health', scheme: 'HTTP' });
      expect(c.livenessProbe.httpGet).toEqual({ path: '/alive', port: 'health', scheme: 'HTTP' });
      expect(c.startupProbe.failureThreshold).toBe(60);
    });

    test('probes the first port when none is named http', () => {
      expect(container({ ports: { metrics: 9090 } }).livenessProbe.httpGet.port).toBe('metrics');
    });

    test('runs a probe command instead of HTTP probes when given, with no ports', () => {
      const c = container({ ports: {}, probeCommand: ['/bin/healthcheck', '--quick'] });
      const exec = { command: ['/bin/healthcheck', '--quick'] };
      expect(c.readinessProbe).toEqual({ exec, periodSeconds: 5, failureThreshold: 3, timeoutSeconds: 2, successThreshold: 1 });
      expect(c.livenessProbe).toEqual({ exec, periodSeconds: 10, failureThreshold: 3, timeoutSeconds: 2, successThreshold: 1 });
      expect(c.startupProbe.exec).toEqual(exec);
      expect(c).not.toHaveProperty('ports');
    });

    test('sets the command and arguments only when given', () => {
      expect(container()).not.toHaveProperty('command');
      expect(container()).not.toHaveProperty('args');
      const c = container({ command: ['/app/worker'], args: ['--queue', 'jobs'] });
      expect(c.command).toEqual(['/app/worker']);
      expect(c.args).toEqual(['--queue', 'jobs']);
    });

    test('gives a stopping pod 30 seconds to finish its message by default, or the time given', () => {
      expect(podSpec().terminationGracePeriodSeconds).toBe(30);
      expect(podSpec({ terminationGracePeriodSeconds: 120 }).terminationGracePeriodSeconds).toBe(120);
    });

    test('pulls the image on every start and sets secret, then literal environment variables', () => {
      const c = container({ env: { LOG_LEVEL: 'info' }, secretEnv: { DB_PASSWORD: { secretName: 'billing-db', key: 'password' } } });
      expect(c.imagePullPolicy).toBe('Always');
      expect(c.env).toEqual([
        { name: 'DB_PASSWORD', valueFrom: { secretKeyRef: { name: 'billing-db', key: 'password' } } },
        { name: 'LOG_LEVEL', value: 'info' },
      ]);
    });

    test('runs exactly the probes given as Probes: liveness (which also guards the start) and readiness', () => {
      // WHEN
      const both = container({ ports: { metrics: 9090 }, livenessProbe: Probe.exec(['/bin/alive']), readinessProbe: Probe.httpGet({ path: '/ready' }) });
      const livenessOnly = container({ ports: {}, livenessProbe: Probe.exec(['/bin/alive']) });
      // THEN
      expect(both.livenessProbe).toEqual({ exec: { command: ['/bin/alive'] }, periodSeconds: 10, failureThreshold: 3, timeoutSeconds: 2, successThreshold: 1 });
      expect(both.startupProbe.exec).toEqual({ command: ['/bin/alive'] });
      expect(both.readinessProbe.httpGet).toEqual({ path: '/ready', port: 'metrics', scheme: 'HTTP' });
      expect(livenessOnly).not.toHaveProperty('readinessProbe');
      expect(livenessOnly.startupProbe.exec).toEqual({ command: ['/bin/alive'] });
    });

    test('runs without probes when told to, and says so in the report', () => {
      // GIVEN
      const platform = testPlatform();
      const chart = devEnvironment(platform).chart('billing', 'shop');
      // WHEN
      new Worker(chart, 'billing', { image: IMAGE, ports: {}, withoutProbes: true });
      // THEN
      const c = synthChart(chart).find(o => o.kind === 'Deployment').spec.template.spec.containers[0];
      for (const probe of ['livenessProbe', 'readinessProbe', 'startupProbe']) { expect(c).not.toHaveProperty(probe); }
      const result = platform.synth();
      expect(fs.readFileSync(path.join(result.outdir, result.report), 'utf8'))
        .toContain('| dev/shop/billing/billing | probes | none: Kubernetes restarts the worker only when its process exits | **override** |');
    });

    test('runs sidecars, init containers, files and volumes like a web app', () => {
      // GIVEN
      const cache = Volume.emptyDir('cache', { sizeLimitMiB: 64 });
      // WHEN
      const objects = synth({
        containers: [{ name: 'proxy', image: 'registry.example.com/proxy:1.2.0', ports: { admin: 9901 }, livenessProbe: Probe.httpGet({ path: '/ready' }) }],
        initContainers: [{ name: 'warmup', image: 'registry.example.com/shop/billing:2.0.1', command: ['/app/warmup'] }],
        files: [{ path: '/etc/billing/config.yaml', content: 'retries: 3' }],
        volumes: [cache],
        volumeMounts: [{ volume: cache, path: '/var/cache/billing' }],
        containerResources: { memoryLimit: '1Gi' },
        priorityClassName: 'batch-low',
      });
      // THEN
      const spec = objects.Deployment.spec.template.spec;
      expect(spec.containers.map((c: any) => c.name)).toEqual(['billing', 'proxy']);
      expect(spec.containers[1].livenessProbe.httpGet).toEqual({ path: '/ready', port: 'admin', scheme: 'HTTP' });
      expect(spec.initContainers.map((c: any) => c.name)).toEqual(['warmup']);
      expect(spec.containers[0].volumeMounts.map((m: any) => m.mountPath)).toEqual(['/tmp', '/etc/billing/config.yaml', '/var/cache/billing']);
      expect(spec.containers[0].resources.limits.memory).toBe('1Gi');
      expect(spec.priorityClassName).toBe('batch-low');
      expect(objects.ConfigMap.metadata.name).toBe('billing-files');
      expect(objects.Deployment.spec.template.metadata.annotations['checksum/files']).toMatch(/^[0-9a-f]{64}$/);
      expectValidKubernetesObjects(Object.values(objects));
    });

    test('spreads pods softly over zones and hosts and prefers distinct hosts', () => {
      const spec = podSpec();
      expect(spec.topologySpreadConstraints.map((c: any) => [c.topologyKey, c.whenUnsatisfiable, c.labelSelector.matchLabels]))
        .toEqual([['topology.kubernetes.io/zone', 'ScheduleAnyway', SELECTOR], ['kubernetes.io/hostname', 'ScheduleAnyway', SELECTOR]]);
      expect(spec.affinity.podAntiAffinity.preferredDuringSchedulingIgnoredDuringExecution[0].podAffinityTerm.topologyKey)
        .toBe('kubernetes.io/hostname');
    });
  });

  describe('autoscaling on CPU', () => {
    test('scales the Deployment on CPU with the size target, 2 to 6 replicas in PROD with Size.M', () => {
      expect(synth().HorizontalPodAutoscaler.spec).toEqual({
        scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'billing' },
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

    test('PROD with Size.S still runs at least 2 replicas, with a disruption budget of one pod', () => {
      const objects = synth({ size: Size.S });
      expect(objects.HorizontalPodAutoscaler.spec).toMatchObject({ minReplicas: 2, maxReplicas: 3 });
      expect(objects.PodDisruptionBudget.spec).toEqual({
        maxUnavailable: 1, selector: { matchLabels: SELECTOR }, unhealthyPodEvictionPolicy: 'AlwaysAllow',
      });
    });

    test('bounds can be set', () => {
      const worker = new Worker(newChart(), 'billing', { image: IMAGE, minReplicas: 3, maxReplicas: 10 });
      expect(worker.hpa!.toJson().spec).toMatchObject({ minReplicas: 3, maxReplicas: 10 });
      expect([worker.minReplicas, worker.maxReplicas]).toEqual([3, 10]);
      expect(worker.scaledObject).toBeUndefined();
    });
  });

  describe('autoscaling on a queue', () => {
    test('scales on the queue depth, 5 messages per replica, within the size and profile bounds', () => {
      expect(synth({ queue: QUEUE }).ScaledObject.spec).toEqual({
        scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'billing' },
        minReplicaCount: 2,
        maxReplicaCount: 6,
        fallback: { failureThreshold: 3, replicas: 2 },
        triggers: [{
          type: 'aws-sqs-queue',
          authenticationRef: { name: 'billing' },
          metadata: { queueURL: QUEUE_URL, queueLength: '5', awsRegion: 'eu-central-1' },
        }],
      });
    });

    test('the target queue length and the bounds can be set', () => {
      const spec = synth({ queue: QUEUE, queueLengthTarget: 50, minReplicas: 3, maxReplicas: 20 }).ScaledObject.spec;
      expect(spec.triggers[0].metadata.queueLength).toBe('50');
      expect([spec.minReplicaCount, spec.maxReplicaCount]).toEqual([3, 20]);
    });

    test('reads the queue with KEDA\'s own pod identity (the Cluster\'s KEDA role) by default', () => {
      expect(synth({ queue: QUEUE }).TriggerAuthentication.spec).toEqual({ podIdentity: { provider: 'aws' } });
    });

    test('assumes the role given instead, when asked', () => {
      const roleArn = 'arn:aws:iam::123456789012:role/prod-shop-billing';
      expect(synth({ queue: QUEUE, queueScalerRoleArn: roleArn }).TriggerAuthentication.spec)
        .toEqual({ podIdentity: { provider: 'aws', roleArn } });
    });

    test('does not scale to zero by default, even in DEV', () => {
      expect(synth({ queue: QUEUE, profile: Profile.DEV, size: Size.S }).ScaledObject.spec.minReplicaCount).toBe(1);
    });

    test('scales to zero in DEV when asked, without a disruption budget, falling back to one replica', () => {
      // WHEN
      const worker = new Worker(newChart(), 'billing', { image: IMAGE, queue: QUEUE, profile: Profile.DEV, scaleToZero: true, maxReplicas: 4 });
      // THEN
      expect(worker.scaledObject!.toJson().spec).toMatchObject({ minReplicaCount: 0, maxReplicaCount: 4, fallback: { replicas: 1 } });
      expect(worker.minReplicas).toBe(0);
      expect(worker.pdb).toBeUndefined();
    });
  });

  describe('network policy', () => {
    test('denies all ingress and lets the worker reach only DNS by default', () => {
      expect(synth().NetworkPolicy.spec).toEqual({
        podSelector: { matchLabels: SELECTOR },
        policyTypes: ['Ingress', 'Egress'],
        egress: [DNS_EGRESS],
      });
    });

    test('lets the worker reach the destinations it declares, after DNS', () => {
      const egress = synth({ egress: [{ cidr: '0.0.0.0/0', ports: [443], description: 'SQS' }] }).NetworkPolicy.spec.egress;
      expect(egress).toEqual([DNS_EGRESS, { to: [{ ipBlock: { cidr: '0.0.0.0/0' } }], ports: [{ protocol: 'TCP', port: 443 }] }]);
    });

    test('admits the namespaces given on the declared ports', () => {
      expect(synth({ ports: { http: 8080, metrics: 9090 }, allowedNamespaces: ['monitoring'] }).NetworkPolicy.spec.ingress).toEqual([{
        from: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'monitoring' } } }],
        ports: [{ protocol: 'TCP', port: 8080 }, { protocol: 'TCP', port: 9090 }],
      }]);
    });
  });

  describe('in a platform', () => {
    test('reports the defaults the size and profile chose', () => {
      // GIVEN
      const platform = testPlatform();
      const env = devEnvironment(platform);
      new Worker(env.chart('billing', 'shop'), 'billing', { image: IMAGE, profile: env.profile, size: Size.S, queue: QUEUE });
      // WHEN
      const result = platform.synth();
      // THEN
      expect(result.manifests).toEqual(['k8s/dev/shop/billing.k8s.yaml']);
      const report = fs.readFileSync(path.join(result.outdir, result.report), 'utf8');
      expect(report).toContain('| dev/shop/billing/billing | minReplicas | 1 | size S |');
      expect(report).toContain('| dev/shop/billing/billing | queueLengthTarget | 5 messages per replica | paved default |');
      expect(report).toContain('| dev/shop/billing/billing | cpu | request 100m, limit 500m | size S |');
    });
  });

  describe('validation', () => {
    test('fails when the worker scales on a queue that is not a paved Queue', () => {
      expect(attempt({ queue: { ...QUEUE, isPavedQueue: false } }))
        .toThrow('test/billing: queue: got {"queueName":"prod-shop-billing-jobs","isPavedQueue":false}; expected a paved Queue');
    });

    test('fails when the queue URL is a Terraform reference', () => {
      const queueUrl = Token.asString({ resolve: () => QUEUE_URL });
      expect(attempt({ queue: { ...QUEUE, queueUrl } })).toThrow(/test\/billing: queue\.queueUrl: got ".*"; expected a literal value known at synth time/);
    });

    test('fails when the queue URL is not an SQS URL or names another queue or region', () => {
      expect(attempt({ queue: { ...QUEUE, queueUrl: 'https://example.com/queue' } }))
        .toThrow('test/billing: queue.queueUrl: got "https://example.com/queue"; expected an SQS queue URL');
      expect(attempt({ queue: { ...QUEUE, queueName: 'other' } }))
        .toThrow(`test/billing: queue.queueUrl: got "${QUEUE_URL}"; expected the URL of queue "other" in region "eu-central-1"`);
    });

    test('fails when the queue region is not an AWS region', () => {
      expect(attempt({ queue: { ...QUEUE, region: 'moon-1' } })).toThrow('test/billing: queue.region: got "moon-1"; expected an AWS region');
    });

    test('fails when queue settings are given without a queue', () => {
      expect(attempt({ queueLengthTarget: 5 })).toThrow('test/billing: queueLengthTarget: got 5; expected no value without a queue');
      expect(attempt({ scaleToZero: true, profile: Profile.DEV })).toThrow('test/billing: scaleToZero: got true; expected no value without a queue');
      expect(attempt({ scaleToZero: false })).not.toThrow();
    });

    test('fails when the target queue length is out of range', () => {
      expect(attempt({ queue: QUEUE, queueLengthTarget: 0 })).toThrow('test/billing: queueLengthTarget: got 0; expected an integer from 1 to 100000');
    });

    test('fails when scaling to zero in production', () => {
      expect(attempt({ queue: QUEUE, scaleToZero: true })).toThrow('test/billing: scaleToZero: got true; expected false in production profile "prod"');
    });

    test('fails when scaling to zero with minReplicas', () => {
      expect(attempt({ queue: QUEUE, profile: Profile.DEV, scaleToZero: true, minReplicas: 2 }))
        .toThrow('test/billing: minReplicas: got 2; expected no value with scaleToZero');
    });

    test('fails when the queue scaler role is not an IAM role ARN', () => {
      expect(attempt({ queue: QUEUE, queueScalerRoleArn: 'prod-shop-billing' }))
        .toThrow('test/billing: queueScalerRoleArn: got "prod-shop-billing"; expected an IAM role ARN');
    });

    test('fails when a probe is on a port the container does not expose', () => {
      expect(attempt({ probePort: 9090 })).toThrow('test/billing: probePort: got 9090; expected one of the container\'s ports (http 8080)');
    });

    test('fails when HTTP probes have no port', () => {
      expect(attempt({ ports: {} })).toThrow('test/billing: ports: got {}; expected a port for the HTTP probes, or probeCommand');
    });

    test('fails when a probe command comes with HTTP probe settings', () => {
      expect(attempt({ probeCommand: ['/bin/healthcheck'], probePort: 8080 }))
        .toThrow('test/billing: probePort: got 8080; expected no value with probeCommand');
      expect(attempt({ probeCommand: [] })).toThrow('test/billing: probeCommand: got []; expected a non-empty list of strings');
    });

    test('fails when readiness and liveness share a path', () => {
      expect(attempt({ readinessPath: '/health', livenessPath: '/health' }))
        .toThrow('test/billing: livenessPath: got "/health"; expected a path other than readinessPath "/health"');
    });

    test('fails when a port name or number is malformed or repeated', () => {
      expect(attempt({ ports: { HTTP: 8080 } })).toThrow('test/billing: ports name: got "HTTP"; expected a port name');
      expect(attempt({ ports: { http: 70000 } })).toThrow('test/billing: ports.http: got 70000; expected an integer from 1 to 65535');
      expect(attempt({ ports: { http: 8080, health: 8080 } })).toThrow('test/billing: ports.health: got 8080; expected a port not already declared as "http"');
    });

    test('fails when namespaces are admitted to a worker without ports', () => {
      expect(attempt({ ports: {}, probeCommand: ['/bin/true'], allowedNamespaces: ['monitoring'] }))
        .toThrow('test/billing: allowedNamespaces: got ["monitoring"]; expected no namespaces when the container declares no ports');
    });

    test('fails when the grace period is out of range', () => {
      expect(attempt({ terminationGracePeriodSeconds: 0 })).toThrow('test/billing: terminationGracePeriodSeconds: got 0; expected an integer from 1 to 3600');
    });

    test('fails when the command is empty', () => {
      expect(attempt({ command: [] })).toThrow('test/billing: command: got []; expected a non-empty list of strings');
    });

    test('fails when minReplicas is below 2 in production', () => {
      expect(attempt({ minReplicas: 1 })).toThrow('test/billing: minReplicas: got 1; expected at least 2 in production profile "prod"');
    });

    test('fails when the image tag is latest', () => {
      expect(attempt({ image: 'billing:latest' })).toThrow('test/billing: image: got "billing:latest"; expected a tag other than "latest"');
    });

    test('fails when the name is not a DNS-1035 label', () => {
      expect(attempt({}, 'Billing')).toThrow('test/Billing: name: got "Billing"; expected a DNS-1035 label');
    });

    test('fails when withoutProbes comes with another probe property', () => {
      expect(attempt({ withoutProbes: true, probeCommand: ['/bin/check'] }))
        .toThrow('test/billing: probeCommand: got ["/bin/check"]; expected no value with withoutProbes (the worker runs without probes)');
      expect(attempt({ withoutProbes: true, livenessProbe: Probe.exec(['/bin/alive']) }))
        .toThrow('test/billing: livenessProbe: got "a Probe"; expected no value with withoutProbes');
    });

    test('fails when a Probe comes with the HTTP probe settings it replaces', () => {
      expect(attempt({ livenessProbe: Probe.exec(['/bin/alive']), livenessPath: '/alive' }))
        .toThrow('test/billing: livenessPath: got "/alive"; expected no value with livenessProbe or readinessProbe, which replace the HTTP probes');
    });

    test('fails when the worker has neither a port nor a way to probe it', () => {
      expect(attempt({ ports: {} })).toThrow(/ports: got \{\}; expected a port for the HTTP probes, or probeCommand, livenessProbe or withoutProbes/);
    });

    test('fails when a sidecar has no liveness probe', () => {
      expect(attempt({ containers: [{ name: 'proxy', image: 'registry.example.com/proxy:1.2.0' }] }))
        .toThrow('test/billing: containers[0].livenessProbe: got undefined; expected a Probe for a sidecar');
    });
  });
});
