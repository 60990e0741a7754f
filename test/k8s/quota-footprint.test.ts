import { deploymentFootprint, jobFootprint, podAmounts } from '../../lib/k8s/quota-footprint';

const container = (name: string, cpu: string, memory: string, extra: object = {}) => ({
  name, resources: { requests: { cpu, memory }, limits: { 'cpu': cpu, memory, 'ephemeral-storage': '1Gi' } }, ...extra,
});

describe('quota footprint', () => {
  describe('podAmounts', () => {
    test('sums the containers', () => {
      expect(podAmounts({ containers: [container('app', '500m', '256Mi'), container('proxy', '0.25', '128Mi')] })).toEqual({
        podCpuRequestMillis: 750,
        podCpuLimitMillis: 750,
        podMemoryRequestMiB: 384,
        podMemoryLimitMiB: 384,
        podEphemeralStorageRequestMiB: 0,
        podEphemeralStorageLimitMiB: 2048,
      });
    });

    test('takes the largest init container when it asks for more than the containers', () => {
      expect(podAmounts({ containers: [container('app', '500m', '256Mi')], initContainers: [container('migrate', '2', '64Mi')] }))
        .toMatchObject({ podCpuRequestMillis: 2000, podMemoryRequestMiB: 256 });
    });

    test('counts native sidecars (init containers that restart always) with the containers, and under the init containers after them', () => {
      // GIVEN a sidecar of 300m started before an init container of 1000m, and a main container of 500m
      const spec = {
        initContainers: [container('mesh', '300m', '64Mi', { restartPolicy: 'Always' }), container('migrate', '1', '64Mi')],
        containers: [container('app', '500m', '256Mi')],
      };
      // WHEN / THEN max(500m + 300m, 1000m + 300m); memory max(256 + 64, 64 + 64)
      expect(podAmounts(spec)).toMatchObject({ podCpuRequestMillis: 1300, podMemoryRequestMiB: 320 });
    });

    test('counts a decimal memory quantity in MiB, and a container without values as 0', () => {
      expect(podAmounts({ containers: [container('app', '1m', '1G'), { name: 'bare' }] }))
        .toMatchObject({ podCpuRequestMillis: 1, podMemoryRequestMiB: 1e9 / 2 ** 20 });
    });
  });

  describe('deploymentFootprint', () => {
    const deployment = (strategy: object | undefined) => ({ spec: { strategy, template: { spec: { containers: [container('app', '100m', '64Mi')] } } } });

    test('adds a surge count, a percentage rounded up, 25% when unset and none for Recreate', () => {
      expect(deploymentFootprint('a', deployment({ type: 'RollingUpdate', rollingUpdate: { maxSurge: 2 } }), 5).maxPods).toBe(7);
      expect(deploymentFootprint('a', deployment({ type: 'RollingUpdate', rollingUpdate: { maxSurge: '10%' } }), 5).maxPods).toBe(6);
      expect(deploymentFootprint('a', deployment(undefined), 5)).toMatchObject({ maxPods: 7, maxPodsReason: 'maxReplicas 5 + surge 2' });
      expect(deploymentFootprint('a', deployment({ type: 'Recreate' }), 5).maxPods).toBe(5);
    });

    test('counts Services, LoadBalancers and the node ports they allocate', () => {
      const services = [
        { spec: { type: 'ClusterIP', ports: [{ port: 80 }] } },
        { spec: { type: 'NodePort', ports: [{ port: 80 }, { port: 443 }] } },
        { spec: { type: 'LoadBalancer', ports: [{ port: 443 }] } },
        { spec: { type: 'LoadBalancer', allocateLoadBalancerNodePorts: false, ports: [{ port: 443 }] } },
      ];
      expect(deploymentFootprint('a', deployment(undefined), 1, services)).toMatchObject({ services: 4, loadBalancers: 2, nodePorts: 3 });
    });
  });

  describe('jobFootprint', () => {
    test('multiplies the runs by the parallelism', () => {
      const spec = { parallelism: 4, template: { spec: { containers: [container('job', '250m', '128Mi')] } } };
      expect(jobFootprint('export', spec, 2, 'two')).toMatchObject({
        maxPods: 8, maxPodsReason: '2 runs at once (two) x parallelism 4', podCpuRequestMillis: 250, services: 0,
      });
    });
  });
});
