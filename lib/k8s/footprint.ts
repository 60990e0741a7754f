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
