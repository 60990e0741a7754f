import { Container, PodTemplateSpec } from 'cdk8s-plus-28/lib/imports/k8s';
import { parseQuantity } from './quantities';

/**
 * The most a workload takes from its namespace's ResourceQuota at once:
 * what a tenant's quota must leave room for, rollouts included.
 */
export interface WorkloadFootprint {
  /**
   * Pods that may run at once: for a Deployment its most replicas plus the
   * pods a rollout starts above them (surge); for a job the pods of one
   * run; undefined when runs of a CronJob may overlap without bound
   * (`ConcurrencyPolicy.ALLOW`).
   */
  readonly maxPods?: number;
  /**
   * CPU one pod requests, in millicores: its containers' requests added up,
   * or its largest init container's when that is more (Kubernetes'
   * effective request).
   */
  readonly podCpuRequestMillis: number;
  /** CPU one pod may use at most, in millicores (effective limit, as for the request). */
  readonly podCpuLimitMillis: number;
  /** Memory one pod requests, in MiB. */
  readonly podMemoryRequestMiB: number;
  /** Memory one pod may use at most, in MiB. */
  readonly podMemoryLimitMiB: number;
  /** Ephemeral storage one pod requests, in MiB. */
  readonly podEphemeralStorageRequestMiB: number;
  /** Ephemeral storage one pod may use at most, in MiB. */
  readonly podEphemeralStorageLimitMiB: number;
  /** Services the workload makes. */
  readonly services: number;
  /** PersistentVolumeClaims its pods mount, by claim name. */
  readonly persistentVolumeClaims: string[];
}

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
