import * as fs from 'fs';
import * as path from 'path';
import { App, Chart, JsonPatch } from 'cdk8s';
import { Token } from 'cdktf';
import { Size } from '../../lib/core';
import { Job, JobHook, JobProps, SyncWave, Volume } from '../../lib/k8s';
import { expectValidKubernetesObjects } from '../support/k8s-schema';
import { devEnvironment, synthChart, testPlatform } from '../support/synth';

const IMAGE = 'registry.example.com/shop/orders-migrate:1.4.2';
const SELECTOR = { 'app.kubernetes.io/name': 'migrate', 'app.kubernetes.io/instance': 'migrate' };

function newChart(): Chart {
  return new Chart(new App(), 'test', { namespace: 'shop', disableResourceNameHashes: true });
}

/** The objects of a Job `migrate` in namespace `shop`, in order. */
function synthList(props: Partial<JobProps> = {}): any[] {
  const chart = newChart();
  new Job(chart, 'migrate', { image: IMAGE, ...props });
  return synthChart(chart);
}

function synth(props: Partial<JobProps> = {}): { [kind: string]: any } {
  return Object.fromEntries(synthList(props).map(o => [o.kind, o]));
}

function podSpec(props: Partial<JobProps> = {}): any {
  return synth(props).Job.spec.template.spec;
}

function attempt(props: Partial<JobProps>, id: string = 'migrate'): () => Job {
  return () => new Job(newChart(), id, { image: IMAGE, ...props });
}

describe('Job', () => {
  describe('objects', () => {
    test('makes a ServiceAccount, Job and NetworkPolicy named after the job, valid against the Kubernetes schema', () => {
      // WHEN
      const objects = synthList();
      // THEN
      expect(objects.map(o => `${o.apiVersion} ${o.kind} ${o.metadata.name}`)).toEqual([
        'v1 ServiceAccount migrate',
        'batch/v1 Job migrate',
        'networking.k8s.io/v1 NetworkPolicy migrate',
      ]);
      expect(objects.every(o => o.metadata.namespace === 'shop')).toBe(true);
      expectValidKubernetesObjects(objects);
    });

    test('every object is valid against the Kubernetes schema, with every option set', () => {
      // GIVEN
      const scratch = Volume.emptyDir('scratch');
      // WHEN
      const objects = synthList({
        name: 'orders-migrate',
        hook: JobHook.AFTER_WORKLOADS,
        backoffLimit: 0,
        activeDeadlineSeconds: 600,
        ttlSecondsAfterFinished: 3600,
        size: Size.S,
        command: ['/app/migrate'],
        args: ['up'],
        env: { LOG_LEVEL: 'debug' },
        secretEnv: { DATABASE_URL: { secretName: 'orders-db', key: 'url' } },
        egress: [{ cidr: '10.0.0.0/16', ports: [5432] }],
        podAnnotations: { 'example.com/team': 'shop' },
        initContainers: [{ name: 'wait', image: 'registry.example.com/tools/wait:1.0.0' }],
        files: [{ path: '/etc/migrate/config.yaml', content: 'dry: false' }],
        volumes: [scratch],
        volumeMounts: [{ volume: scratch, path: '/scratch' }],
        containerResources: { memoryLimit: '1Gi' },
        priorityClassName: 'batch-low',
        serviceAccountName: 'orders-migrate-runner',
        runAsUser: 20000,
        runAsGroup: 20000,
        partOf: 'shop',
      });
      // THEN
      expectValidKubernetesObjects(objects);
      expect(objects.map(o => o.kind)).toEqual(['ServiceAccount', 'ConfigMap', 'Job', 'NetworkPolicy']);
    });

    test('exposes every object for escape hatches: a JSON patch survives synthesis', () => {
      // GIVEN
      const chart = newChart();
      const job = new Job(chart, 'migrate', { image: IMAGE });
      // WHEN
      job.resource.addJsonPatch(JsonPatch.add('/spec/completions', 1));
      // THEN
      expect(synthChart(chart).find(o => o.kind === 'Job').spec.completions).toBe(1);
      expect([job.serviceAccount, job.networkPolicy].map(o => o.kind)).toEqual(['ServiceAccount', 'NetworkPolicy']);
    });

    test('name defaults to the construct id and can be set', () => {
      expect(synth().Job.metadata.name).toBe('migrate');
      expect(synth({ name: 'orders-migrate' }).Job.metadata.name).toBe('orders-migrate');
    });

    test('matches the snapshot', () => {
      expect(synthList()).toMatchSnapshot();
    });
  });

  describe('argo cd hook', () => {
    test('runs before the workloads by default: a Sync hook in the migrations wave, recreated before each run', () => {
      // WHEN
      const objects = synth();
      // THEN
      expect(objects.Job.metadata.annotations).toEqual({
        'argocd.argoproj.io/hook': 'Sync',
        'argocd.argoproj.io/hook-delete-policy': 'BeforeHookCreation',
        'argocd.argoproj.io/sync-wave': String(SyncWave.MIGRATIONS),
      });
      expect(SyncWave.MIGRATIONS).toBeGreaterThan(SyncWave.SECRETS);
      expect(SyncWave.MIGRATIONS).toBeLessThan(SyncWave.WORKLOADS);
    });

    test('puts what its pod needs (ServiceAccount, NetworkPolicy, files) into its wave, so they exist when it runs', () => {
      // WHEN
      const objects = synth({ files: [{ path: '/etc/migrate.yaml', content: 'a: 1' }] });
      // THEN
      for (const kind of ['ServiceAccount', 'NetworkPolicy', 'ConfigMap']) {
        expect(objects[kind].metadata.annotations).toEqual({ 'argocd.argoproj.io/sync-wave': '-1' });
      }
    });

    test('runs after the workloads as a PostSync hook when asked, its other objects in the default wave', () => {
      // WHEN
      const objects = synth({ hook: JobHook.AFTER_WORKLOADS });
      // THEN
      expect(objects.Job.metadata.annotations).toEqual({
        'argocd.argoproj.io/hook': 'PostSync',
        'argocd.argoproj.io/hook-delete-policy': 'BeforeHookCreation',
      });
      expect(objects.ServiceAccount.metadata).not.toHaveProperty('annotations');
    });
  });

  describe('job', () => {
    test('retries a failed attempt 3 times by default, or as often as given', () => {
      expect(synth().Job.spec.backoffLimit).toBe(3);
      expect(synth({ backoffLimit: 0 }).Job.spec.backoffLimit).toBe(0);
    });

    test('stops after 3600 seconds by default, or the deadline given', () => {
      expect(synth().Job.spec.activeDeadlineSeconds).toBe(3600);
      expect(synth({ activeDeadlineSeconds: 900 }).Job.spec.activeDeadlineSeconds).toBe(900);
    });

    test('is deleted a day after it finished by default, or after the time given', () => {
      expect(synth().Job.spec.ttlSecondsAfterFinished).toBe(86400);
      expect(synth({ ttlSecondsAfterFinished: 600 }).Job.spec.ttlSecondsAfterFinished).toBe(600);
    });

    test('retries in a new pod, so every failed attempt keeps its logs', () => {
      expect(podSpec().restartPolicy).toBe('Never');
    });
  });

  describe('pods', () => {
    test('labels the pod like the Job, as component job', () => {
      const objects = synth();
      expect(objects.Job.spec.template.metadata.labels).toEqual(objects.Job.metadata.labels);
      expect(objects.Job.metadata.labels).toMatchObject({ ...SELECTOR, 'app.kubernetes.io/component': 'job', 'app.kubernetes.io/version': '1.4.2' });
    });

    test('runs under the restricted Pod Security Standard with a writable /tmp and no API token', () => {
      const spec = podSpec();
      expect(spec.securityContext.runAsNonRoot).toBe(true);
      expect(spec.containers[0].securityContext).toMatchObject({ readOnlyRootFilesystem: true, allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] } });
      expect(spec.automountServiceAccountToken).toBe(false);
      expect(spec.containers[0].volumeMounts).toEqual([{ name: 'tmp', mountPath: '/tmp' }]);
    });

    test('requests and limits from Size.M by default, or the size given', () => {
      expect(podSpec().containers[0].resources.requests).toEqual({ 'cpu': '250m', 'memory': '256Mi', 'ephemeral-storage': '128Mi' });
      expect(podSpec({ size: Size.S }).containers[0].resources.limits.cpu).toBe('500m');
    });

    test('has no probes, no ports and no spreading', () => {
      const spec = podSpec();
      for (const field of ['readinessProbe', 'livenessProbe', 'startupProbe', 'ports']) {
        expect(spec.containers[0]).not.toHaveProperty(field);
      }
      expect(spec).not.toHaveProperty('topologySpreadConstraints');
    });

    test('sets the command, arguments and environment when given', () => {
      const c = podSpec({ command: ['/app/migrate'], args: ['up'], env: { LOG_LEVEL: 'info' } }).containers[0];
      expect([c.command, c.args, c.env]).toEqual([['/app/migrate'], ['up'], [{ name: 'LOG_LEVEL', value: 'info' }]]);
    });
  });

  describe('network policy', () => {
    test('selects the job pod, denies all ingress and allows DNS and the declared egress', () => {
      const spec = synth({ egress: [{ cidr: '10.0.0.0/16', ports: [5432] }] }).NetworkPolicy.spec;
      expect(spec.podSelector).toEqual({ matchLabels: SELECTOR });
      expect(spec).not.toHaveProperty('ingress');
      expect(spec.egress[1]).toEqual({ to: [{ ipBlock: { cidr: '10.0.0.0/16' } }], ports: [{ protocol: 'TCP', port: 5432 }] });
    });
  });

  describe('in a platform', () => {
    test('reports the hook, retries, deadline and time to live', () => {
      // GIVEN
      const platform = testPlatform();
      new Job(devEnvironment(platform).chart('migrate', 'shop'), 'migrate', { image: IMAGE });
      // WHEN
      const result = platform.synth();
      // THEN
      const report = fs.readFileSync(path.join(result.outdir, result.report), 'utf8');
      expect(report).toContain('| dev/shop/migrate/migrate | hook | BeforeWorkloads | paved default |');
      expect(report).toContain('| dev/shop/migrate/migrate | backoffLimit | 3 | paved default |');
      expect(report).toContain('| dev/shop/migrate/migrate | activeDeadlineSeconds | 3600 | paved default |');
      expect(report).toContain('| dev/shop/migrate/migrate | ttlSecondsAfterFinished | 86400 | paved default |');
    });
  });

  describe('validation', () => {
    test('fails when the hook is unknown', () => {
      expect(attempt({ hook: 'PreSync' as JobHook })).toThrow('test/migrate: hook: got "PreSync"; expected one of');
    });

    test('fails when a retry count, deadline or time to live is out of range', () => {
      expect(attempt({ backoffLimit: 101 })).toThrow('test/migrate: backoffLimit: got 101; expected an integer from 0 to 100');
      expect(attempt({ activeDeadlineSeconds: 0 })).toThrow('test/migrate: activeDeadlineSeconds: got 0; expected an integer from 1 to 604800');
      expect(attempt({ ttlSecondsAfterFinished: 10 })).toThrow('test/migrate: ttlSecondsAfterFinished: got 10; expected an integer from 60 to 604800');
    });

    test('fails when a count is a Terraform reference', () => {
      expect(attempt({ backoffLimit: Token.asNumber('${var.retries}') })).toThrow(/backoffLimit/);
    });

    test('fails when the name is not a DNS-1035 label', () => {
      expect(attempt({}, 'Migrate')).toThrow('test/Migrate: name: got "Migrate"; expected a DNS-1035 label');
    });

    test('fails when the image is not pinned', () => {
      expect(attempt({ image: 'registry.example.com/shop/orders-migrate:latest' })).toThrow('test/migrate: image: got');
    });
  });
});
