import { Container, PodTemplateSpec } from 'cdk8s-plus-28/lib/imports/k8s';
import { WorkloadFootprint } from './footprint';
import { parseQuantity } from './quantities';

/**
 * The footprint of a workload whose pods are `template`.
 * @internal
 */
export function footprintOf(template: PodTemplateSpec, maxPods: number | undefined, services: number,
  persistentVolumeClaims: string[]): WorkloadFootprint {
  const spec = template.spec!;
  const total = (resource: string, bound: 'requests' | 'limits', unit: number) => {
    const of = (c: Container) => {
      const value = (c.resources?.[bound] as { [key: string]: { value: string | number } } | undefined)?.[resource]?.value;
      return value === undefined ? 0 : (parseQuantity(String(value)) ?? 0) / unit;
    };
    const running = spec.containers.reduce((sum, c) => sum + of(c), 0);
    const init = Math.max(0, ...(spec.initContainers ?? []).map(of));
    return Math.ceil(Math.max(running, init));
  };
  const mebibyte = 2 ** 20;
  return {
    maxPods,
    podCpuRequestMillis: total('cpu', 'requests', 1 / 1000),
    podCpuLimitMillis: total('cpu', 'limits', 1 / 1000),
    podMemoryRequestMiB: total('memory', 'requests', mebibyte),
    podMemoryLimitMiB: total('memory', 'limits', mebibyte),
    podEphemeralStorageRequestMiB: total('ephemeral-storage', 'requests', mebibyte),
    podEphemeralStorageLimitMiB: total('ephemeral-storage', 'limits', mebibyte),
    services,
    persistentVolumeClaims: [...new Set(persistentVolumeClaims)],
  };
}

/**
 * Pods a rolling update starts above `replicas`: a count, or a percentage rounded up, as Kubernetes does.
 * @internal
 */
export function surgeOf(maxSurge: string | number | undefined, replicas: number): number {
  if (maxSurge === undefined) { return 0; }
  const text = String(maxSurge);
  return text.endsWith('%') ? Math.ceil(replicas * Number(text.slice(0, -1)) / 100) : Number(text);
}
