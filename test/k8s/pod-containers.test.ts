import { App, Chart } from 'cdk8s';
import { Token } from 'cdktf';
import { Size } from '../../lib/core';
import { ConfigFile, Probe, WebApp, WebAppProps } from '../../lib/k8s';
import { expectValidKubernetesObjects } from '../support/k8s-schema';
import { synthChart } from '../support/synth';

const IMAGE = 'registry.example.com/shop/orders:1.4.2';
const SIDECAR_IMAGE = 'registry.example.com/infra/proxy:2.1.0';
const PROXY = { name: 'proxy', image: SIDECAR_IMAGE, ports: { admin: 9901 }, livenessProbe: Probe.httpGet({ path: '/ready' }) };
const CONFIG: ConfigFile = { path: '/etc/orders/config.yaml', content: 'level: info\n' };

function newChart(): Chart {
  return new Chart(new App(), 'test', { namespace: 'shop', disableResourceNameHashes: true });
}

/** The objects of a WebApp `orders`, keyed by kind, checked against the schemas. */
function synth(props: Partial<WebAppProps> = {}): { [kind: string]: any } {
  const chart = newChart();
  new WebApp(chart, 'orders', { image: IMAGE, ...props });
  const objects = synthChart(chart);
  expectValidKubernetesObjects(objects);
  return Object.fromEntries(objects.map(o => [o.kind, o]));
}

function attempt(props: Partial<WebAppProps>): () => WebApp {
  return () => new WebApp(newChart(), 'orders', { image: IMAGE, ...props });
}

describe('pod containers', () => {
  describe('files', () => {
    test('makes no ConfigMap and no checksum without files', () => {
      const objects = synth();
      expect(objects.ConfigMap).toBeUndefined();
      expect(objects.Deployment.spec.template.metadata).not.toHaveProperty('annotations');
    });

    test('keeps the files in the ConfigMap <name>-files, each mounted read-only at its path alone', () => {
      // WHEN
      const objects = synth({ files: [CONFIG] });
      // THEN
      expect(objects.ConfigMap.metadata).toMatchObject({ name: 'orders-files', namespace: 'shop', labels: objects.Service.metadata.labels });
      const key = Object.keys(objects.ConfigMap.data)[0];
      expect(key).toMatch(/^config\.yaml-[0-9a-f]{10}$/);
      expect(objects.ConfigMap.data).toEqual({ [key]: 'level: info\n' });
      expect(objects.ConfigMap).not.toHaveProperty('binaryData');
      const spec = objects.Deployment.spec.template.spec;
      expect(spec.volumes).toContainEqual({
        name: 'config-files', configMap: { name: 'orders-files', defaultMode: 0o644, items: [{ key, path: key }] },
      });
      expect(spec.containers[0].volumeMounts).toEqual([
        { name: 'tmp', mountPath: '/tmp' },
        { name: 'config-files', mountPath: '/etc/orders/config.yaml', subPath: key, readOnly: true },
      ]);
    });

    test('derives keys from container and path alone, so they are stable and never collide', () => {
      // WHEN
      const subPaths = (props: Partial<WebAppProps>) => synth(props).Deployment.spec.template.spec.containers
        .map((c: any) => c.volumeMounts.find((m: any) => m.name === 'config-files')?.subPath);
      const [alone] = subPaths({ files: [CONFIG] });
      const [main, proxy] = subPaths({ files: [{ ...CONFIG, content: 'other' }], containers: [{ ...PROXY, files: [CONFIG] }] });
      // THEN
      expect(main).toBe(alone);
      expect(proxy).not.toBe(main);
      expect(proxy).toMatch(/^config\.yaml-[0-9a-f]{10}$/);
    });

    test('makes keys of file names Kubernetes would reject', () => {
      const key = Object.keys(synth({ files: [{ path: '/home/app/.env+local', content: 'A=1' }] }).ConfigMap.data)[0];
      expect(key).toMatch(/^env_local-[0-9a-f]{10}$/);
    });

    test('keeps binary content in binaryData', () => {
      const objects = synth({ files: [{ path: '/etc/orders/logo.png', binaryContentBase64: 'iVBORw0KGgo=' }] });
      expect(Object.values(objects.ConfigMap.binaryData)).toEqual(['iVBORw0KGgo=']);
      expect(objects.ConfigMap).not.toHaveProperty('data');
    });

    test('sets the mode of a file given one, in octal as Score writes it', () => {
      const items = synth({ files: [CONFIG, { path: '/app/run.sh', content: '#!/bin/sh\n', mode: '0755' }, { path: '/app/key', content: 'k', mode: '600' }] })
        .Deployment.spec.template.spec.volumes.find((v: any) => v.name === 'config-files').configMap.items;
      expect(items.map((i: any) => i.mode)).toEqual([undefined, 0o755, 0o600]);
    });

    test('mounts files into sidecars and init containers from the same ConfigMap', () => {
      // WHEN
      const objects = synth({
        containers: [{ ...PROXY, files: [{ path: '/etc/proxy/proxy.yaml', content: 'admin: 9901\n' }] }],
        initContainers: [{ name: 'migrate', image: IMAGE, files: [{ path: '/etc/migrate.sql', content: 'select 1;' }] }],
      });
      // THEN
      expect(Object.values(objects.ConfigMap.data).sort()).toEqual(['admin: 9901\n', 'select 1;']);
      const spec = objects.Deployment.spec.template.spec;
      expect(spec.containers[0].volumeMounts).toEqual([{ name: 'tmp', mountPath: '/tmp' }]);
      expect(spec.containers[1].volumeMounts[1]).toMatchObject({ name: 'config-files', mountPath: '/etc/proxy/proxy.yaml', readOnly: true });
      expect(spec.initContainers[0].volumeMounts[1]).toMatchObject({ name: 'config-files', mountPath: '/etc/migrate.sql', readOnly: true });
    });

    test('annotates the pods with a checksum of the files, so a changed file rolls them', () => {
      // WHEN
      const checksum = (props: Partial<WebAppProps>) => synth(props).Deployment.spec.template.metadata.annotations;
      const before = checksum({ files: [CONFIG], podAnnotations: { 'example.com/team': 'shop' } });
      const after = checksum({ files: [{ ...CONFIG, content: 'level: debug\n' }], podAnnotations: { 'example.com/team': 'shop' } });
      // THEN
      expect(before['example.com/team']).toBe('shop');
      expect(before['checksum/files']).toMatch(/^[0-9a-f]{64}$/);
      expect(after['checksum/files']).not.toBe(before['checksum/files']);
      expect(checksum({ files: [CONFIG], podAnnotations: { 'example.com/team': 'shop' } })).toEqual(before);
      expect(checksum({ files: [{ ...CONFIG, mode: '0600' }] })['checksum/files']).not.toBe(before['checksum/files']);
    });

    test('exposes the ConfigMap', () => {
      expect(new WebApp(newChart(), 'orders', { image: IMAGE, files: [CONFIG] }).configMap?.kind).toBe('ConfigMap');
      expect(new WebApp(newChart(), 'orders', { image: IMAGE }).configMap).toBeUndefined();
    });

    describe('validation', () => {
      test('fails when a file is mounted twice at one path', () => {
        expect(attempt({ files: [CONFIG, { ...CONFIG, content: 'x' }] }))
          .toThrow('test/orders: files[1].path: got "/etc/orders/config.yaml"; expected a path nothing else of the container is mounted at (files[0] is)');
      });

      test('fails when a file path is not absolute', () => {
        expect(attempt({ containers: [{ ...PROXY, files: [{ path: 'proxy.yaml', content: '' }] }] }))
          .toThrow('test/orders: containers[0].files[0].path: got "proxy.yaml"; expected an absolute path such as "/etc/app/config.yaml"');
      });

      test('fails when a file has both or neither content', () => {
        expect(attempt({ files: [{ path: '/a', content: 'x', binaryContentBase64: 'eA==' }] }))
          .toThrow('test/orders: files[0]: got {"path":"/a","content":true,"binaryContentBase64":true}; expected exactly one of content and binaryContentBase64');
        expect(attempt({ files: [{ path: '/a' }] })).toThrow('test/orders: files[0]: got {"path":"/a","content":false,"binaryContentBase64":false}');
      });

      test('fails when content is not a string', () => {
        expect(attempt({ files: [{ path: '/a', content: 42 as any }] })).toThrow('test/orders: files[0].content: got 42; expected a string');
      });

      test('fails when content is a Terraform reference', () => {
        const content = Token.asString({ resolve: () => 'x' });
        expect(attempt({ files: [{ path: '/a', content }] })).toThrow(/files\[0\]\.content: .*expected a literal value known at synth time/);
      });

      test('fails when binary content is not base64', () => {
        expect(attempt({ files: [{ path: '/a', binaryContentBase64: 'not base64!' }] }))
          .toThrow('test/orders: files[0].binaryContentBase64: got "not base64!"; expected standard base64');
      });

      test('fails when a mode is not octal', () => {
        expect(attempt({ files: [{ ...CONFIG, mode: '0888' }] }))
          .toThrow('test/orders: files[0].mode: got "0888"; expected an octal file mode such as "0644" or "0755"');
        expect(attempt({ files: [{ ...CONFIG, mode: 420 as any }] })).toThrow('test/orders: files[0].mode: got 420');
      });

      test('fails when the files exceed the 1 MiB of a ConfigMap', () => {
        const content = 'x'.repeat(600 * 1024);
        expect(attempt({ files: [{ path: '/a', content }], containers: [{ ...PROXY, files: [{ path: '/b', content }] }] }))
          .toThrow(/^test\/orders: files: got "\d+ bytes"; expected at most 1048576 bytes \(1 MiB\) of files in all containers together/);
      });

      test('fails when files is not a list', () => {
        expect(attempt({ files: CONFIG as any })).toThrow('test/orders: files: got');
      });
    });
  });

  describe('ports', () => {
    test('fails when two containers listen on one port', () => {
      expect(attempt({ containers: [{ ...PROXY, ports: { admin: 8080 } }] }))
        .toThrow('test/orders: containers[0].ports.admin: got 8080; expected a port no other container of the pod listens on (port has it; the containers share one network)');
      expect(attempt({ containers: [PROXY, { ...PROXY, name: 'proxy-2', ports: { stats: 9901 } }] }))
        .toThrow('test/orders: containers[1].ports.stats: got 9901; expected a port no other container of the pod listens on (containers[0].ports.admin has it');
    });

    test('fails when two containers name a port alike', () => {
      expect(attempt({ containers: [{ ...PROXY, ports: { http: 9000 } }] }))
        .toThrow('test/orders: containers[0].ports name: got "http"; expected a port name not already used in the pod (port has it)');
    });

    test('fails when a port name or number is malformed', () => {
      expect(attempt({ containers: [{ ...PROXY, ports: { Admin: 9901 } }] }))
        .toThrow('test/orders: containers[0].ports name: got "Admin"; expected a port name: 1-15 lowercase letters');
      expect(attempt({ containers: [{ ...PROXY, ports: { admin: 70000 } }] }))
        .toThrow('test/orders: containers[0].ports.admin: got 70000; expected an integer from 1 to 65535');
    });

    test('fails when ports is not a map', () => {
      expect(attempt({ containers: [{ ...PROXY, ports: [9901] as any }] }))
        .toThrow('test/orders: containers[0].ports: got [9901]; expected an object of names to values, each a finite number');
    });
  });

  describe('resources', () => {
    test('start from the size given', () => {
      const proxy = synth({ size: Size.S, containers: [PROXY] }).Deployment.spec.template.spec.containers[1];
      expect(proxy.resources).toEqual({
        requests: { 'cpu': '100m', 'memory': '128Mi', 'ephemeral-storage': '64Mi' },
        limits: { 'cpu': '500m', 'memory': '256Mi', 'ephemeral-storage': '256Mi' },
      });
    });

    test('take every Kubernetes quantity form', () => {
      const resources = synth({
        containerResources: { cpuRequest: '0.1', cpuLimit: '1', memoryRequest: '268435456', memoryLimit: '1e9', ephemeralStorageRequest: '100M' },
      }).Deployment.spec.template.spec.containers[0].resources;
      expect(resources.requests).toEqual({ 'cpu': '0.1', 'memory': '268435456', 'ephemeral-storage': '100M' });
      expect(resources.limits).toEqual({ 'cpu': '1', 'memory': '1e9', 'ephemeral-storage': '512Mi' });
    });

    test('fails when a request exceeds the size\'s limit', () => {
      expect(attempt({ containerResources: { cpuRequest: '2' } }))
        .toThrow('test/orders: containerResources.cpuRequest: got "2"; expected at most the cpu limit "1000m" from size M; raise cpuLimit too');
    });

    test('fails when a request exceeds the limit given', () => {
      expect(attempt({ containers: [{ ...PROXY, containerResources: { memoryRequest: '1Gi', memoryLimit: '512Mi' } }] }))
        .toThrow('test/orders: containers[0].containerResources.memoryRequest: got "1Gi"; expected at most the memory limit "512Mi"');
    });

    test('fails when a limit is below the size\'s request', () => {
      expect(attempt({ containerResources: { ephemeralStorageLimit: '100Mi' } }))
        .toThrow('test/orders: containerResources.ephemeralStorageLimit: got "100Mi"; expected at least the ephemeral-storage request "128Mi" from size M; lower ephemeralStorageRequest too');
    });

    test('fails when a value is not a positive quantity', () => {
      for (const value of ['1 Gi', '-1', '0', '1GB', '']) {
        expect(attempt({ containerResources: { memoryLimit: value } }))
          .toThrow(`test/orders: containerResources.memoryLimit: got ${JSON.stringify(value)}; expected a positive Kubernetes quantity`);
      }
    });
  });
});
