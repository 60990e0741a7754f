import { App, Chart } from 'cdk8s';
import { Size } from '../../lib/core';
import { ConcurrencyPolicy, CronJob, Job, Probe, RolloutStrategy, Volume, WebApp, Worker } from '../../lib/k8s';

const IMAGE = 'registry.example.com/shop/orders:1.4.2';
const SIDECAR = { name: 'proxy', image: 'registry.example.com/proxy:1.2.0', livenessProbe: Probe.exec(['/bin/ok']) };

function chart(): Chart {
  return new Chart(new App(), 'test', { namespace: 'shop', disableResourceNameHashes: true });
}

describe('WorkloadFootprint', () => {
  test('a web app: most replicas plus the 25% surge, rounded up, each pod\'s requests and limits, one Service', () => {
    // WHEN
    const app = new WebApp(chart(), 'orders', { image: IMAGE, size: Size.M });
    // THEN
    expect(app.footprint).toEqual({
      maxPods: Size.M.app.maxReplicas + Math.ceil(Size.M.app.maxReplicas / 4),
      podCpuRequestMillis: 250,
      podCpuLimitMillis: 1000,
      podMemoryRequestMiB: 256,
      podMemoryLimitMiB: 512,
      podEphemeralStorageRequestMiB: 128,
      podEphemeralStorageLimitMiB: 512,
      services: 1,
      persistentVolumeClaims: [],
    });
  });

  test('adds the sidecars up, takes the largest init container when that is more, and lists the claims', () => {
    // GIVEN
    const data = Volume.persistentVolumeClaim('data', 'orders-data');
    // WHEN
    const app = new WebApp(chart(), 'orders', {
      image: IMAGE,
      containerResources: { cpuRequest: '100m', memoryRequest: '100Mi' },
      containers: [{ ...SIDECAR, containerResources: { cpuRequest: '50m', memoryRequest: '20Mi' } }],
      initContainers: [{ name: 'load', image: IMAGE, containerResources: { cpuRequest: '1', cpuLimit: '1', memoryRequest: '64Mi' } }],
      volumes: [data],
      volumeMounts: [{ volume: data, path: '/data' }],
      strategy: RolloutStrategy.recreate(),
    });
    // THEN
    expect(app.footprint).toMatchObject({
      maxPods: Size.M.app.maxReplicas,
      podCpuRequestMillis: 1000,
      podMemoryRequestMiB: 120,
      persistentVolumeClaims: ['orders-data'],
    });
  });

  test('a worker: no Service, the surge of its most replicas', () => {
    const worker = new Worker(chart(), 'billing', { image: IMAGE, size: Size.S, maxReplicas: 10 });
    expect([worker.footprint.maxPods, worker.footprint.services, worker.footprint.podCpuLimitMillis]).toEqual([13, 0, 500]);
  });

  test('a cron job: one pod per run, two while Replace stops the old one, no bound when runs may overlap', () => {
    const job = (concurrencyPolicy: ConcurrencyPolicy) => new CronJob(chart(), 'report', { image: IMAGE, schedule: '@daily', concurrencyPolicy });
    expect(job(ConcurrencyPolicy.FORBID).footprint.maxPods).toBe(1);
    expect(job(ConcurrencyPolicy.REPLACE).footprint.maxPods).toBe(2);
    expect(job(ConcurrencyPolicy.ALLOW).footprint.maxPods).toBeUndefined();
  });

  test('a job: one pod at a time, whatever its retries', () => {
    expect(new Job(chart(), 'migrate', { image: IMAGE, backoffLimit: 5 }).footprint).toMatchObject({ maxPods: 1, services: 0 });
  });
});
