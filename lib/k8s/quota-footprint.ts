import { parseQuantity } from './quantities';

/**
 * What one workload holds of its namespace's ResourceQuota at its peak, as
 * Kubernetes counts it: a pod's requests and limits are the larger of its
 * containers (sidecars included) summed and its largest init container,
 * and every pod that is not finished counts, surge pods of a rollout too.
 */
export interface WorkloadFootprint {
  /** Name of the workload, for messages. */
  readonly workload: string;
  /**
   * The most pods it runs at once: maxReplicas plus the rollout's surge for
   * a Deployment; parallel runs times parallelism for a CronJob or Job.
   */
  readonly maxPods: number;
  /** How `maxPods` follows from the workload, e.g. `maxReplicas 6 + surge 2`. */
  readonly maxPodsReason: string;
  /** cpu requests of one pod, millicores. */
  readonly podCpuRequestMillis: number;
  /** cpu limits of one pod, millicores. */
  readonly podCpuLimitMillis: number;
  /** Memory requests of one pod, MiB. */
  readonly podMemoryRequestMiB: number;
  /** Memory limits of one pod, MiB. */
  readonly podMemoryLimitMiB: number;
  /** Ephemeral-storage requests of one pod, MiB. */
  readonly podEphemeralStorageRequestMiB: number;
  /** Ephemeral-storage limits of one pod, MiB. */
  readonly podEphemeralStorageLimitMiB: number;
  /** Services the workload creates. */
  readonly services: number;
  /** Services of type LoadBalancer among them. */
  readonly loadBalancers: number;
  /**
   * Node ports its Services allocate, as the quota `services.nodeports`
   * counts them: one per port of a NodePort Service, and of a LoadBalancer
   * Service unless `allocateLoadBalancerNodePorts` is false.
   */
  readonly nodePorts: number;
  /** PersistentVolumeClaims the workload creates (claims it only mounts are counted where they are made). */
  readonly persistentVolumeClaims: number;
}

/**
 * A workload that tells its tenant what it holds of the namespace's quota
 * (WebApp, Worker, CronJob), so the tenant's ResourceQuota is derived from
 * its workloads and a quota too small for them is refused at synth.
 */
export interface IQuotaConsumer {
  /** What the workload holds of its namespace's quota at its peak, from its objects as written. */
  quotaFootprint(): WorkloadFootprint;
}

/** The amounts of one pod, in the units of {@link WorkloadFootprint}. */
type PodAmounts = Pick<WorkloadFootprint, 'podCpuRequestMillis' | 'podCpuLimitMillis' | 'podMemoryRequestMiB' | 'podMemoryLimitMiB'
| 'podEphemeralStorageRequestMiB' | 'podEphemeralStorageLimitMiB'>;

const MIB = 2 ** 20;
/** Footprint field, section of `resources` and resource name, and the unit a quantity is divided by. */
const AMOUNTS: [keyof PodAmounts, 'requests' | 'limits', string, number][] = [
  ['podCpuRequestMillis', 'requests', 'cpu', 1e-3],
  ['podCpuLimitMillis', 'limits', 'cpu', 1e-3],
  ['podMemoryRequestMiB', 'requests', 'memory', MIB],
  ['podMemoryLimitMiB', 'limits', 'memory', MIB],
  ['podEphemeralStorageRequestMiB', 'requests', 'ephemeral-storage', MIB],
  ['podEphemeralStorageLimitMiB', 'limits', 'ephemeral-storage', MIB],
];

/**
 * The requests and limits of one pod as the quota counts them
 * (`resourcehelper.PodRequests` of Kubernetes): the regular containers and
 * the sidecars (init containers with `restartPolicy: Always`) summed, or
 * an init container plus the sidecars started before it, whichever is
 * larger. A container without a value counts 0 (the tenant's LimitRange
 * fills it in at admission; paved's workloads always set both).
 * @internal
 */
export function podAmounts(podSpec: any): PodAmounts {
  const amounts = {} as { -readonly [K in keyof PodAmounts]: number };
  for (const [field, section, resource, unit] of AMOUNTS) {
    const of = (container: any) => (parseQuantity(String(container?.resources?.[section]?.[resource] ?? '0')) ?? 0) / unit;
    let total = (podSpec?.containers ?? []).reduce((sum: number, c: any) => sum + of(c), 0);
    let sidecars = 0;
    let initPeak = 0;
    for (const init of podSpec?.initContainers ?? []) {
      if (init.restartPolicy === 'Always') {
        sidecars += of(init);
        initPeak = Math.max(initPeak, sidecars);
      } else {
        initPeak = Math.max(initPeak, of(init) + sidecars);
      }
    }
    total += sidecars;
    amounts[field] = Math.max(total, initPeak);
  }
  return amounts;
}

/**
 * The footprint of a Deployment scaled up to `maxReplicas`, with the surge
 * of its rollout strategy on top (Recreate: none; RollingUpdate: `maxSurge`,
 * a count or a percentage of `maxReplicas` rounded up, 25% when unset).
 *
 * @param deployment the Deployment as written (`toJson()`)
 * @param services the Services the workload creates, as written
 * @internal
 */
export function deploymentFootprint(workload: string, deployment: any, maxReplicas: number, services: any[] = []): WorkloadFootprint {
  const strategy = deployment?.spec?.strategy ?? {};
  let surge = 0;
  if (strategy.type !== 'Recreate') {
    const maxSurge = strategy.rollingUpdate?.maxSurge ?? '25%';
    surge = typeof maxSurge === 'number' ? maxSurge
      : /^\d+%$/.test(String(maxSurge)) ? Math.ceil(maxReplicas * Number(String(maxSurge).slice(0, -1)) / 100)
        : Number(maxSurge) || 0;
  }
  return {
    workload,
    maxPods: maxReplicas + surge,
    maxPodsReason: `maxReplicas ${maxReplicas} + surge ${surge}`,
    ...podAmounts(deployment?.spec?.template?.spec),
    ...serviceCounts(services),
    persistentVolumeClaims: 0,
  };
}

/**
 * The footprint of a Job run `runs` times at once, each with its
 * `parallelism` (1 when unset) pods.
 *
 * @param jobSpec the Job's `spec` (of a Job, or a CronJob's `jobTemplate.spec`)
 * @param runs runs that may be active at once
 * @param runsReason why that many, e.g. `concurrencyPolicy Forbid`
 * @internal
 */
export function jobFootprint(workload: string, jobSpec: any, runs: number, runsReason: string): WorkloadFootprint {
  const parallelism = typeof jobSpec?.parallelism === 'number' ? jobSpec.parallelism : 1;
  return {
    workload,
    maxPods: runs * parallelism,
    maxPodsReason: `${runs} run${runs === 1 ? '' : 's'} at once (${runsReason}) x parallelism ${parallelism}`,
    ...podAmounts(jobSpec?.template?.spec),
    services: 0,
    loadBalancers: 0,
    nodePorts: 0,
    persistentVolumeClaims: 0,
  };
}

function serviceCounts(services: any[]): Pick<WorkloadFootprint, 'services' | 'loadBalancers' | 'nodePorts'> {
  const nodePortsOf = (spec: any) => spec?.type === 'NodePort' || (spec?.type === 'LoadBalancer' && spec?.allocateLoadBalancerNodePorts !== false)
    ? (spec?.ports ?? []).length : 0;
  return {
    services: services.length,
    loadBalancers: services.filter(s => s?.spec?.type === 'LoadBalancer').length,
    nodePorts: services.reduce((n, s) => n + nodePortsOf(s?.spec), 0),
  };
}
