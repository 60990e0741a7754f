import { Construct } from 'constructs';
import {
  Cluster, ConcurrencyPolicy, Environment, IProvisioner, JobHook, Network, Probe, Profile, ProvisionContext, ProvisionResult, Provisioners,
  Kind, Resource, Size, SyncWave, TerraformState, Worker, WorkerScaling, Workload, WorkloadProps,
} from '../../lib';
import { Platform } from '../../lib/core/platform';
import { expectValidKubernetesObjects } from '../support/k8s-schema';
import { resourcesOf, synthChart, synthStack, testPlatform, workloadEnvironment } from '../support/synth';
import { expectNoDanglingReferences } from '../support/tf-references';

const IMAGE = 'ghcr.io/acme/billing:2.0.1';

function workload(env: Environment, name: string, props: Partial<WorkloadProps>): Workload {
  return new Workload(env, name, { tenant: 'shop', image: IMAGE, ...props });
}

/** The workload's objects, schema-validated, by kind. */
function objects(w: Workload): { [kind: string]: any } {
  const all = synthChart(w.environment.chart(w.name, w.tenant));
  expectValidKubernetesObjects(all);
  return Object.fromEntries(all.map(o => [o.kind, o]));
}

/** An environment whose cluster paved creates, so KEDA has its role there. */
function pavedClusterEnvironment(profile: Profile = Profile.DEV): Environment {
  const platform = testPlatform();
  const env = new Environment(platform, profile === Profile.DEV ? 'dev' : 'prod', {
    account: '123456789012', region: 'eu-central-1', profile, state: TerraformState.local(),
  });
  new Network(env, 'Network', { cidr: '10.10.0.0/16' });
  new Cluster(env, 'Cluster', { adminRoleArns: [] });
  return env;
}

describe('Kind', () => {
  test('names each kind and says which run a Deployment', () => {
    expect([Kind.web(), Kind.worker(), Kind.cron({ schedule: '@daily' }), Kind.job()]
      .map(k => [k.name, k.isLongRunning])).toEqual([['web', true], ['worker', true], ['cron-job', false], ['job', false]]);
    expect(Kind.cron({ schedule: '@daily' }).schedule).toBe('@daily');
  });

  describe('web', () => {
    test('is the default kind', () => {
      const w = workload(workloadEnvironment(), 'orders', { port: 8080 });
      expect(w.kind.name).toBe('web');
      expect(w.objects).toBe(w.app);
      expect(objects(w).Service.spec.ports[0].port).toBe(8080);
    });

    test('fails without a port', () => {
      expect(() => workload(workloadEnvironment(), 'orders', {}))
        .toThrow('dev-shop/orders: port: got undefined; expected the port the container serves HTTP on, for a web workload');
    });
  });

  describe('worker', () => {
    test('runs a Deployment without Service or Ingress, with the workload\'s identity, resources and secrets', () => {
      // GIVEN
      const env = workloadEnvironment();
      // WHEN
      const w = workload(env, 'billing', {
        kind: Kind.worker(),
        resources: { db: Resource.postgres() },
        env: { DB_HOST: '${resources.db.host}', DB_PASSWORD: '${resources.db.password}' },
      });
      // THEN
      const o = objects(w);
      // (ConfigMap: its dashboard; PrometheusRule: its golden-signal alerts.)
      expect(Object.keys(o).sort()).toEqual(['ConfigMap', 'Deployment', 'ExternalSecret', 'HorizontalPodAutoscaler', 'NetworkPolicy',
        'PodDisruptionBudget', 'PrometheusRule', 'ServiceAccount']);
      expect(w.worker).toBe(w.objects);
      expect(w.app).toBeUndefined();
      expect(o.Deployment.metadata.labels['app.kubernetes.io/component']).toBe('worker');
      expect(o.Deployment.spec.template.spec.serviceAccountName).toBe('billing');
      expect(o.Deployment.spec.template.spec.containers[0].env).toContainEqual(
        { name: 'DB_PASSWORD', valueFrom: { secretKeyRef: { name: 'billing-db', key: 'password' } } });
      expect(o.Deployment.metadata.annotations['secret.reloader.stakater.com/reload']).toBe('billing-db');
      const stack = synthStack(env.tenantScope('shop'));
      expect(resourcesOf(stack, 'aws_eks_pod_identity_association').find(a => a.service_account === 'billing'))
        .toMatchObject({ namespace: 'shop' });
      expectNoDanglingReferences(stack);
    });

    test('has no probes unless it declares them, and says so', () => {
      const bare = objects(workload(workloadEnvironment(), 'billing', { kind: Kind.worker() })).Deployment.spec.template.spec.containers[0];
      expect(bare).not.toHaveProperty('livenessProbe');
      const probed = objects(workload(workloadEnvironment(), 'billing', {
        kind: Kind.worker(), additionalPorts: { health: 8081 }, livenessProbe: Probe.httpGet({ path: '/alive', port: 8081 }),
      })).Deployment.spec.template.spec.containers[0];
      expect(probed.livenessProbe.httpGet).toEqual({ path: '/alive', port: 8081, scheme: 'HTTP' });
      expect(probed.ports).toEqual([{ name: 'health', containerPort: 8081, protocol: 'TCP' }]);
    });

    test('scales with KEDA on the depth of a queue resource, read with the cluster\'s KEDA role', () => {
      // GIVEN
      const env = pavedClusterEnvironment();
      // WHEN
      const w = workload(env, 'billing', {
        kind: Kind.worker({ scaling: WorkerScaling.queue('jobs', { messagesPerReplica: 20, scaleToZero: true }) }),
        resources: { jobs: Resource.queue() },
      });
      // THEN
      const o = objects(w);
      expect(o).not.toHaveProperty('HorizontalPodAutoscaler');
      expect(o.ScaledObject.spec).toMatchObject({
        minReplicaCount: 0,
        triggers: [{
          type: 'aws-sqs-queue',
          metadata: { queueURL: 'https://sqs.eu-central-1.amazonaws.com/123456789012/dev-shop-billing-jobs', queueLength: '20', awsRegion: 'eu-central-1' },
        }],
      });
      expect(o.TriggerAuthentication.spec).toEqual({ podIdentity: { provider: 'aws' } });
    });

    test('scales on a queue shared with a producer through an id', () => {
      const env = pavedClusterEnvironment();
      workload(env, 'orders', { port: 8080, resources: { jobs: Resource.queue({ id: 'orders-jobs' }) } });
      const w = workload(env, 'billing', { kind: Kind.worker({ scaling: WorkerScaling.queue('work') }), resources: { work: Resource.queue({ id: 'orders-jobs' }) } });
      expect(objects(w).ScaledObject.spec.triggers[0].metadata.queueURL).toMatch(/\/dev-shop-shared-queue-orders-jobs-[0-9a-f]{8}$/);
    });

    test('fails when the queue scaler names no resource of the workload', () => {
      const env = pavedClusterEnvironment();
      expect(() => workload(env, 'billing', { kind: Kind.worker({ scaling: WorkerScaling.queue('jobs') }), resources: { db: Resource.postgres() } }))
        .toThrow('dev-shop/billing: kind.scaling.queue: got "jobs"; expected the name of a queue resource of the workload (resources: db)');
    });

    test('fails when the queue scaler names a resource that is no queue', () => {
      const env = pavedClusterEnvironment();
      expect(() => workload(env, 'billing', { kind: Kind.worker({ scaling: WorkerScaling.queue('db') }), resources: { db: Resource.postgres() } }))
        .toThrow('dev-shop/billing: kind.scaling.queue: got "db"; expected a queue resource, whose provisioner offers a queue KEDA can read');
    });

    test('fails when a queue scaler has no permission to read the queue: the cluster is imported', () => {
      expect(() => workload(workloadEnvironment(), 'billing', {
        kind: Kind.worker({ scaling: WorkerScaling.queue('jobs') }), resources: { jobs: Resource.queue() },
      })).toThrow('dev-shop/billing: kind.scaling.queue: got "jobs"; expected workloads on clusters paved creates, whose KEDA role may read the queue: '
        + 'cluster dev/Cluster is imported');
    });

    test('fails when a queue scaler has no permission to read the queue: its name is outside the environment\'s', () => {
      // GIVEN
      const env = pavedClusterEnvironment();
      const provisioner: IProvisioner = {
        type: 'legacy-queue',
        outputNames: ['url'],
        provision: (context: ProvisionContext): ProvisionResult => {
          new Construct(context.scope, 'Nothing');
          const queueUrl = 'https://sqs.eu-central-1.amazonaws.com/123456789012/legacy-jobs';
          return {
            outputs: [{ name: 'url', secret: false, value: queueUrl }],
            remoteKeys: [],
            scalingQueue: { queueUrl, queueName: 'legacy-jobs', region: 'eu-central-1', isPavedQueue: true },
          };
        },
      };
      Provisioners.register(Platform.of(env), provisioner);
      // THEN
      expect(() => workload(env, 'billing', { kind: Kind.worker({ scaling: WorkerScaling.queue('jobs') }), resources: { jobs: Resource.of('legacy-queue') } }))
        .toThrow('dev-shop/billing: kind.scaling.queue: got "jobs"; expected a queue whose name starts with "dev-": KEDA\'s role paved-dev-keda '
          + 'may read the depth of those queues only, and queue "legacy-jobs" is not one');
    });

    test('fails when scaling is not a WorkerScaling', () => {
      expect(() => workload(workloadEnvironment(), 'billing', { kind: Kind.worker({ scaling: 'queue' as any }) }))
        .toThrow('Kind.worker: scaling: got "queue"; expected a WorkerScaling (WorkerScaling.cpu() or WorkerScaling.queue(...))');
    });

    test('fails when given a port or a host: only a web workload has a Service', () => {
      expect(() => workload(workloadEnvironment(), 'billing', { kind: Kind.worker(), port: 8080 }))
        .toThrow('dev-shop/billing: port: got 8080; expected no value for a worker workload: only a web workload has a Service (additionalPorts declares ports for probes and scrapers)');
      expect(() => workload(workloadEnvironment(), 'billing', { kind: Kind.worker(), host: 'billing.acme.io' }))
        .toThrow('dev-shop/billing: host: got "billing.acme.io"; expected no value for a worker workload: only a web workload has a Service');
    });
  });

  describe('cron', () => {
    test('runs a CronJob on the schedule, in the time zone given, with the workload\'s resources', () => {
      // GIVEN
      const env = workloadEnvironment();
      // WHEN
      const w = workload(env, 'report', {
        kind: Kind.cron({ schedule: '30 2 * * MON-FRI', timeZone: 'Europe/Berlin', concurrencyPolicy: ConcurrencyPolicy.REPLACE, backoffLimit: 1 }),
        resources: { db: Resource.postgres() },
        env: { DB_PASSWORD: '${resources.db.password}' },
      });
      // THEN
      const o = objects(w);
      expect(w.cronJob).toBe(w.objects);
      expect(o.CronJob.spec).toMatchObject({ schedule: '30 2 * * MON-FRI', timeZone: 'Europe/Berlin', concurrencyPolicy: 'Replace' });
      expect(o.CronJob.spec.jobTemplate.spec.backoffLimit).toBe(1);
      expect(o.CronJob.spec.jobTemplate.spec.template.spec.containers[0].env).toContainEqual(
        { name: 'DB_PASSWORD', valueFrom: { secretKeyRef: { name: 'report-db', key: 'password' } } });
      expect(o.ExternalSecret.metadata.name).toBe('report-db');
      expect(w.footprint().maxPods).toBe(2);
    });

    test('fails when the schedule is one cron cannot parse', () => {
      expect(() => workload(workloadEnvironment(), 'report', { kind: Kind.cron({ schedule: '61 * * * *' }) }))
        .toThrow('dev/shop/report/CronJob: schedule: got "61 * * * *"; expected a cron schedule of five fields');
    });

    test('fails when given probes, ports or sidecars: a job runs once and ends', () => {
      const cron = Kind.cron({ schedule: '@daily' });
      expect(() => workload(workloadEnvironment(), 'report', { kind: cron, livenessProbe: Probe.exec(['true']) }))
        .toThrow(/^dev-shop\/report: livenessProbe: got .*; expected no value for a cron-job workload: a job runs once and ends/);
      expect(() => workload(workloadEnvironment(), 'report', { kind: cron, additionalPorts: { metrics: 9090 } }))
        .toThrow('dev-shop/report: additionalPorts: got {"metrics":9090}; expected no value for a cron-job workload');
    });
  });

  describe('job', () => {
    test('runs a Job before the workloads: after its connection secrets, as an Argo CD Sync hook', () => {
      // GIVEN
      const env = workloadEnvironment();
      // WHEN
      const w = workload(env, 'migrate', {
        kind: Kind.job({ backoffLimit: 0, ttlSecondsAfterFinished: 600 }),
        resources: { db: Resource.postgres({ id: 'orders' }) },
        env: { DATABASE_PASSWORD: '${resources.db.password}' },
      });
      // THEN
      const o = objects(w);
      expect(w.job).toBe(w.objects);
      expect(o.Job.metadata.annotations).toMatchObject({ 'argocd.argoproj.io/hook': 'Sync', 'argocd.argoproj.io/sync-wave': String(SyncWave.MIGRATIONS) });
      expect(Number(o.ExternalSecret.metadata.annotations['argocd.argoproj.io/sync-wave'])).toBeLessThan(SyncWave.MIGRATIONS);
      expect(o.Job.spec).toMatchObject({ backoffLimit: 0, ttlSecondsAfterFinished: 600 });
      expect(o.Job.spec.template.spec.serviceAccountName).toBe('migrate');
    });

    test('runs after the workloads when asked', () => {
      expect(objects(workload(workloadEnvironment(), 'smoke', { kind: Kind.job({ hook: JobHook.AFTER_WORKLOADS }) }))
        .Job.metadata.annotations['argocd.argoproj.io/hook']).toBe('PostSync');
    });

    test('fails when given sidecars', () => {
      expect(() => workload(workloadEnvironment(), 'migrate', {
        kind: Kind.job(), containers: [{ name: 'proxy', image: IMAGE, livenessProbe: Probe.exec(['true']) }],
      })).toThrow(/^dev-shop\/migrate: containers: got .*; expected no value for a job workload: a job runs once and ends/);
    });
  });

  describe('every kind', () => {
    test('fails when the kind is not a WorkloadKind', () => {
      expect(() => workload(workloadEnvironment(), 'billing', { kind: 'worker' as any }))
        .toThrow('dev/billing: kind: got "worker"; expected a Kind (Kind.web(), Kind.worker(...), Kind.cron(...) or Kind.job(...))');
    });

    test('names are unique per tenant whatever the kind', () => {
      const env = workloadEnvironment();
      workload(env, 'orders', { port: 8080 });
      expect(() => workload(env, 'orders', { kind: Kind.cron({ schedule: '@daily' }) }))
        .toThrow('dev/orders: name: got "orders"; expected a name not used by another workload or construct of tenant shop of environment dev');
      expect(() => workload(env, 'orders', { tenant: 'billing', kind: Kind.worker() })).not.toThrow();
    });

    test('fails when a hand-made Worker takes the name of a workload of its tenant', () => {
      const env = workloadEnvironment();
      workload(env, 'orders', { port: 8080 });
      expect(() => new Worker(env.chart('orders-worker', 'shop'), 'Worker', { name: 'orders', image: IMAGE }))
        .toThrow('dev/shop/orders-worker/Worker: name: got "orders"; expected a name no other ServiceAccount of namespace "shop" has (dev/shop/orders/WebApp has one');
    });

    test('two tenants can both have api, with every built-in resource type: every AWS name includes the tenant', () => {
      // GIVEN
      const env = workloadEnvironment();
      const resources = { db: Resource.postgres(), sql: Resource.mysql(), cache: Resource.redis(), jobs: Resource.queue(), files: Resource.s3() };
      // WHEN
      for (const tenant of ['shop', 'billing']) { workload(env, 'api', { tenant, port: 8080, resources }); }
      // THEN
      const names = (tenant: string) => {
        const stack = synthStack(env.tenantScope(tenant));
        return [
          ...resourcesOf(stack, 'aws_db_instance').map(r => r.identifier),
          ...resourcesOf(stack, 'aws_elasticache_replication_group').map(r => r.replication_group_id),
          ...resourcesOf(stack, 'aws_sqs_queue').map(r => r.name),
          ...resourcesOf(stack, 'aws_s3_bucket').map(r => r.bucket ?? r.bucket_prefix),
          ...resourcesOf(stack, 'aws_secretsmanager_secret').map(r => r.name),
          ...resourcesOf(stack, 'aws_iam_role').map(r => r.name),
        ];
      };
      const shop = names('shop');
      const billing = names('billing');
      expect(shop.length).toBeGreaterThan(10);
      expect(shop.filter(n => billing.includes(n))).toEqual([]);
      expect(shop.every(n => n.includes('shop'))).toBe(true);
    });

    test('each kind reports its footprint for the tenant quota', () => {
      const env = workloadEnvironment(testPlatform(), Profile.DEV);
      expect(workload(env, 'orders', { port: 8080, size: Size.S }).footprint().services).toBe(1);
      expect(workload(env, 'billing', { kind: Kind.worker(), size: Size.S }).footprint()).toMatchObject({ services: 0, podCpuLimitMillis: 500 });
      expect(workload(env, 'migrate', { kind: Kind.job() }).footprint().maxPods).toBe(1);
    });
  });
});
