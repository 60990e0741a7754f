import { App, Chart } from 'cdk8s';
import { Probe, Volume, EmptyDirMedium, WebApp, WebAppProps } from '../../lib/k8s';
import { expectValidKubernetesObjects } from '../support/k8s-schema';
import { synthChart } from '../support/synth';

const IMAGE = 'registry.example.com/shop/orders:1.4.2';

function newChart(): Chart {
  return new Chart(new App(), 'test', { namespace: 'shop', disableResourceNameHashes: true });
}

/** The pod spec of a WebApp `orders`. */
function podSpec(props: Partial<WebAppProps> = {}): any {
  const chart = newChart();
  new WebApp(chart, 'orders', { image: IMAGE, ...props });
  const objects = synthChart(chart);
  expectValidKubernetesObjects(objects);
  return objects.find(o => o.kind === 'Deployment').spec.template.spec;
}

function attempt(props: Partial<WebAppProps>): () => WebApp {
  return () => new WebApp(newChart(), 'orders', { image: IMAGE, ...props });
}

describe('Volume', () => {
  test('an emptyDir keeps its files on disk without a size limit by default', () => {
    // GIVEN
    const cache = Volume.emptyDir('cache');
    // WHEN
    const spec = podSpec({ volumes: [cache], volumeMounts: [{ volume: cache, path: '/var/cache/orders' }] });
    // THEN
    expect(spec.volumes).toEqual([{ name: 'tmp', emptyDir: {} }, { name: 'cache', emptyDir: {} }]);
    expect(spec.containers[0].volumeMounts).toEqual([
      { name: 'tmp', mountPath: '/tmp' },
      { name: 'cache', mountPath: '/var/cache/orders' },
    ]);
  });

  test('an emptyDir takes a size limit and a medium', () => {
    const scratch = Volume.emptyDir('scratch', { sizeLimitMiB: 256, medium: EmptyDirMedium.MEMORY });
    expect(podSpec({ volumes: [scratch] }).volumes[1]).toEqual({ name: 'scratch', emptyDir: { medium: 'Memory', sizeLimit: '256Mi' } });
    expect(podSpec({ volumes: [Volume.emptyDir('disk', { medium: EmptyDirMedium.DISK })] }).volumes[1]).toEqual({ name: 'disk', emptyDir: {} });
  });

  test('a claim is mounted read-write by default', () => {
    // GIVEN
    const data = Volume.persistentVolumeClaim('data', 'orders-data');
    // WHEN
    const spec = podSpec({ volumes: [data], volumeMounts: [{ volume: data, path: '/data' }] });
    // THEN
    expect(spec.volumes[1]).toEqual({ name: 'data', persistentVolumeClaim: { claimName: 'orders-data' } });
    expect(spec.containers[0].volumeMounts[1]).toEqual({ name: 'data', mountPath: '/data' });
  });

  test('a claim opened read-only is mounted read-only', () => {
    const data = Volume.persistentVolumeClaim('data', 'orders-data', { readOnly: true });
    const spec = podSpec({ volumes: [data], volumeMounts: [{ volume: data, path: '/data' }] });
    expect(spec.volumes[1]).toEqual({ name: 'data', persistentVolumeClaim: { claimName: 'orders-data', readOnly: true } });
    expect(spec.containers[0].volumeMounts[1]).toEqual({ name: 'data', mountPath: '/data', readOnly: true });
  });

  test('with a claim, the kubelet changes volume ownership only when the root does not match', () => {
    expect(podSpec().securityContext).not.toHaveProperty('fsGroupChangePolicy');
    expect(podSpec({ volumes: [Volume.emptyDir('cache')] }).securityContext).not.toHaveProperty('fsGroupChangePolicy');
    expect(podSpec({ volumes: [Volume.persistentVolumeClaim('data', 'orders-data')] }).securityContext.fsGroupChangePolicy)
      .toBe('OnRootMismatch');
  });

  test('a mount may be read-only and a directory of the volume; Score\'s leading "/" is dropped', () => {
    const data = Volume.persistentVolumeClaim('data', 'shared-data');
    const mounts = podSpec({
      volumes: [data],
      volumeMounts: [
        { volume: data, path: '/data/orders', subPath: 'orders', readOnly: true },
        { volume: data, path: '/data/reports', subPath: '/reports/2024' },
        { volume: data, path: '/data/all', subPath: '/' },
      ],
    }).containers[0].volumeMounts;
    expect(mounts.slice(1)).toEqual([
      { name: 'data', mountPath: '/data/orders', subPath: 'orders', readOnly: true },
      { name: 'data', mountPath: '/data/reports', subPath: 'reports/2024' },
      { name: 'data', mountPath: '/data/all' },
    ]);
  });

  test('containers of the pod share a volume', () => {
    // GIVEN
    const shared = Volume.emptyDir('shared');
    // WHEN
    const spec = podSpec({
      volumes: [shared],
      volumeMounts: [{ volume: shared, path: '/srv/static', readOnly: true }],
      initContainers: [{ name: 'assets', image: IMAGE, command: ['/app/copy-assets'], volumeMounts: [{ volume: shared, path: '/out' }] }],
      containers: [{
        name: 'nginx',
        image: 'registry.example.com/infra/nginx:1.27.0',
        ports: { web: 8081 },
        livenessProbe: Probe.httpGet({ path: '/' }),
        volumeMounts: [{ volume: shared, path: '/usr/share/nginx/html', readOnly: true }],
      }],
    });
    // THEN
    expect(spec.volumes).toEqual([{ name: 'tmp', emptyDir: {} }, { name: 'shared', emptyDir: {} }]);
    expect(spec.initContainers[0].volumeMounts[1]).toEqual({ name: 'shared', mountPath: '/out' });
    expect(spec.containers[0].volumeMounts[1]).toEqual({ name: 'shared', mountPath: '/srv/static', readOnly: true });
    expect(spec.containers[1].volumeMounts[1]).toEqual({ name: 'shared', mountPath: '/usr/share/nginx/html', readOnly: true });
  });

  test('exposes its name', () => {
    expect(Volume.emptyDir('cache').name).toBe('cache');
    expect(Volume.persistentVolumeClaim('data', 'orders-data').name).toBe('data');
  });

  describe('validation', () => {
    test('fails when a volume mounted twice at one path', () => {
      const a = Volume.emptyDir('a');
      const b = Volume.emptyDir('b');
      expect(attempt({ volumes: [a, b], volumeMounts: [{ volume: a, path: '/data' }, { volume: b, path: '/data' }] }))
        .toThrow('test/orders: volumeMounts[1].path: got "/data"; expected a path nothing else of the container is mounted at (volumeMounts[0] is)');
      expect(attempt({ volumes: [a], volumeMounts: [{ volume: a, path: '/data' }, { volume: a, path: '/data', subPath: 'x' }] }))
        .toThrow('test/orders: volumeMounts[1].path: got "/data"');
    });

    test('fails when a volume is mounted at /tmp or at a file\'s path', () => {
      const a = Volume.emptyDir('a');
      expect(attempt({ volumes: [a], volumeMounts: [{ volume: a, path: '/tmp' }] }))
        .toThrow('test/orders: volumeMounts[0].path: got "/tmp"; expected a path nothing else of the container is mounted at (the writable /tmp is)');
      expect(attempt({ volumes: [a], files: [{ path: '/etc/app', content: '' }], volumeMounts: [{ volume: a, path: '/etc/app' }] }))
        .toThrow('test/orders: volumeMounts[0].path: got "/etc/app"; expected a path nothing else of the container is mounted at (files[0] is)');
    });

    test('allows one path in two containers', () => {
      const a = Volume.emptyDir('a');
      const spec = podSpec({
        volumes: [a],
        volumeMounts: [{ volume: a, path: '/data' }],
        initContainers: [{ name: 'init', image: IMAGE, volumeMounts: [{ volume: a, path: '/data' }] }],
      });
      expect(spec.initContainers[0].volumeMounts[1].mountPath).toBe('/data');
    });

    test('fails when a mount refers to an unknown volume', () => {
      const a = Volume.emptyDir('a');
      const other = Volume.emptyDir('a');
      expect(attempt({ volumeMounts: [{ volume: a, path: '/data' }] }))
        .toThrow('test/orders: volumeMounts[0].volume: got "a"; expected a volume declared in volumes (none are)');
      expect(attempt({ volumes: [a], initContainers: [{ name: 'init', image: IMAGE, volumeMounts: [{ volume: other, path: '/data' }] }] }))
        .toThrow('test/orders: initContainers[0].volumeMounts[0].volume: got "a"; expected one of the volumes declared in volumes ("a")');
    });

    test('fails when a mount path is not absolute or has dot segments', () => {
      const a = Volume.emptyDir('a');
      for (const path of ['data', '/data/', '/data/../etc', '/a//b', '/my data', '']) {
        expect(attempt({ volumes: [a], volumeMounts: [{ volume: a, path }] }))
          .toThrow(`test/orders: volumeMounts[0].path: got ${JSON.stringify(path)}; expected an absolute path such as "/var/cache/app"`);
      }
    });

    test('fails when a sub path leaves the volume', () => {
      const a = Volume.emptyDir('a');
      expect(attempt({ volumes: [a], volumeMounts: [{ volume: a, path: '/data', subPath: 'x/../../etc' }] }))
        .toThrow('test/orders: volumeMounts[0].subPath: got "x/../../etc"; expected a path inside the volume');
    });

    test('fails when a mount of a read-only claim asks for write access', () => {
      const data = Volume.persistentVolumeClaim('data', 'orders-data', { readOnly: true });
      expect(attempt({ volumes: [data], volumeMounts: [{ volume: data, path: '/data', readOnly: false }] }))
        .toThrow('test/orders: volumeMounts[0].readOnly: got false; expected true or no value: volume "data" is a claim opened read-only');
    });

    test('fails when volumes or mounts are not lists', () => {
      expect(attempt({ volumes: Volume.emptyDir('a') as any })).toThrow('test/orders: volumes: got');
      expect(attempt({ volumeMounts: {} as any })).toThrow('test/orders: volumeMounts: got {}; expected a list');
    });

    test('fails when a volume is not a Volume', () => {
      expect(attempt({ volumes: [{ name: 'a', emptyDir: {} } as any] }))
        .toThrow('test/orders: volumes[0]: got {"name":"a","emptyDir":{}}; expected a Volume (Volume.emptyDir(...) or Volume.persistentVolumeClaim(...))');
    });

    test('fails when two volumes share a name', () => {
      expect(attempt({ volumes: [Volume.emptyDir('a'), Volume.persistentVolumeClaim('a', 'c')] }))
        .toThrow('test/orders: volumes[1].name: got "a"; expected a name no other volume of the pod has');
    });

    test('fails when a volume name is not a DNS label or is paved\'s', () => {
      expect(attempt({ volumes: [Volume.emptyDir('Cache')] })).toThrow('test/orders: volumes[0].name: got "Cache"; expected a DNS-1123 label');
      expect(attempt({ volumes: [Volume.emptyDir('tmp')] }))
        .toThrow('test/orders: volumes[0].name: got "tmp"; expected a name other than "tmp" and "config-files" (paved\'s own volumes)');
      expect(attempt({ volumes: [Volume.emptyDir('config-files')] })).toThrow('test/orders: volumes[0].name: got "config-files"');
    });

    test('fails when a claim name is not a DNS subdomain', () => {
      expect(attempt({ volumes: [Volume.persistentVolumeClaim('data', 'Orders_Data')] }))
        .toThrow('test/orders: volumes[0].claimName: got "Orders_Data"; expected a DNS-1123 subdomain');
    });

    test('fails when an emptyDir size limit is out of range', () => {
      expect(attempt({ volumes: [Volume.emptyDir('a', { sizeLimitMiB: 0 })] }))
        .toThrow('test/orders: volumes[0].sizeLimitMiB: got 0; expected an integer from 1 to 1048576');
    });

    test('fails when an emptyDir medium is unknown', () => {
      expect(() => Volume.emptyDir('a', { medium: 'HugePages' as EmptyDirMedium }))
        .toThrow('Volume.emptyDir: medium: got "HugePages"; expected one of "Disk", "Memory" (EmptyDirMedium)');
    });
  });
});
