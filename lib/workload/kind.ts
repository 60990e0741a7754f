import { checkArguments } from '../core/api-guard';
import { ConcurrencyPolicy } from '../k8s/cron-job';
import { JobHook } from '../k8s/job';
import { WorkloadKind } from '../ops/golden-signals';

/** Options of {@link WorkerScaling.queue}. */
export interface QueueScalingOptions {
  /**
   * Visible messages per replica KEDA aims for (1-100000).
   * @default 5
   */
  readonly messagesPerReplica?: number;
  /**
   * Stop every replica while the queue is empty. Not in a production
   * profile, where the first message would wait for a pod to be scheduled
   * and started.
   * @default false
   */
  readonly scaleToZero?: boolean;
}

/** How a worker's replica count follows its load. */
export class WorkerScaling {
  /**
   * On CPU: a HorizontalPodAutoscaler between the size's replica bounds,
   * aiming for the size's `targetCpuUtilization`.
   */
  public static cpu(): WorkerScaling {
    return new WorkerScaling(undefined, {});
  }

  /**
   * On the depth of a queue resource of the workload: KEDA (a
   * `ScaledObject` with the `aws-sqs-queue` scaler) aims for
   * `messagesPerReplica` visible messages per replica, between the size's
   * replica bounds. KEDA reads the queue with its own role, which the
   * environment's paved clusters bind to KEDA through EKS Pod Identity and
   * which may read the depth of the environment's queues (`<env>-*`) only:
   * the workload fails unless the resource's queue is such a queue and
   * every cluster the workload runs on is a paved `Cluster`.
   *
   * @param resource the name of the queue resource in `resources`, e.g. `jobs`
   */
  public static queue(resource: string, options: QueueScalingOptions = {}): WorkerScaling {
    checkArguments('WorkerScaling.queue', arguments);
    return new WorkerScaling(resource, { ...options });
  }

  /** The queue resource it scales on; undefined when it scales on CPU. */
  public readonly queueResource?: string;
  /** @internal */
  public readonly _options: QueueScalingOptions;

  private constructor(queueResource: string | undefined, options: QueueScalingOptions) {
    this.queueResource = queueResource;
    this._options = options;
  }
}

/** Options of {@link Kind.worker}. */
export interface WorkerKindOptions {
  /**
   * How the replica count follows the load.
   * @default WorkerScaling.cpu()
   */
  readonly scaling?: WorkerScaling;
}

/** Options of {@link Kind.cron}. */
export interface CronKindOptions {
  /**
   * When the job runs: five cron fields, "minute hour day-of-month month
   * day-of-week" (e.g. `30 2 * * MON-FRI`), or `@hourly`, `@daily`,
   * `@weekly`, `@monthly`, `@yearly`. A schedule Kubernetes' cron parser
   * refuses, or one that never fires, fails.
   */
  readonly schedule: string;
  /**
   * IANA time zone the schedule is read in, e.g. `Europe/Berlin`.
   * @default 'Etc/UTC'
   */
  readonly timeZone?: string;
  /**
   * What happens when a run is due while the previous one still runs.
   * @default ConcurrencyPolicy.FORBID
   */
  readonly concurrencyPolicy?: ConcurrencyPolicy;
  /**
   * Seconds a run may take, retries included, before Kubernetes stops it (1-604800).
   * @default 3600
   */
  readonly activeDeadlineSeconds?: number;
  /**
   * Retries of a failed run (0-100).
   * @default 3
   */
  readonly backoffLimit?: number;
  /**
   * Seconds after the scheduled time a missed run may still start (10-86400).
   * @default 300
   */
  readonly startingDeadlineSeconds?: number;
  /**
   * Create the CronJob suspended: no runs start until it is resumed.
   * @default false
   */
  readonly suspend?: boolean;
}

/** Options of {@link Kind.job}. */
export interface JobKindOptions {
  /**
   * When Argo CD runs the job: before the workloads of the tenant's sync
   * (a migration), or after them (a smoke test).
   * @default JobHook.BEFORE_WORKLOADS
   */
  readonly hook?: JobHook;
  /**
   * Failed attempts retried, each in a new pod (0-100).
   * @default 3
   */
  readonly backoffLimit?: number;
  /**
   * Seconds the job may take, retries included, before it is stopped and failed (1-604800).
   * @default 3600
   */
  readonly activeDeadlineSeconds?: number;
  /**
   * Seconds a finished Job and its pods are kept (60-604800).
   * @default 86400
   */
  readonly ttlSecondsAfterFinished?: number;
}

/**
 * What a {@link Workload} runs as: a web service, a worker, a scheduled or a
 * one-off job. Every kind gets the same resources, placeholders, identity,
 * secrets, tenant boundary, network policy and sizes; they differ in how
 * the pods run. Its `name` is the {@link WorkloadKind} monitoring knows.
 */
export class Kind {
  /**
   * A web service (the default): a Deployment behind a Service on the
   * workload's `port`, autoscaled on CPU, with probes, a disruption budget
   * and, for a `host`, an Ingress.
   */
  public static web(): Kind {
    return new Kind(WorkloadKind.WEB, {});
  }

  /**
   * A background worker: a Deployment without Service or Ingress,
   * autoscaled on CPU or on a queue resource's depth, with the probes the
   * workload declares (none by default: Kubernetes restarts it when its
   * process exits). It may declare `additionalPorts` for its probes or a
   * metrics scraper.
   */
  public static worker(options: WorkerKindOptions = {}): Kind {
    checkArguments('Kind.worker', arguments);
    return new Kind(WorkloadKind.WORKER, { ...options });
  }

  /** A scheduled job: a CronJob running the workload's container on `schedule`. */
  public static cron(options: CronKindOptions): Kind {
    checkArguments('Kind.cron', arguments);
    return new Kind(WorkloadKind.CRON_JOB, { ...options });
  }

  /**
   * A one-off job: a Job that Argo CD runs on each sync of the tenant,
   * by default before the workloads' new version (a database migration).
   */
  public static job(options: JobKindOptions = {}): Kind {
    checkArguments('Kind.job', arguments);
    return new Kind(WorkloadKind.JOB, { ...options });
  }

  /** `web`, `worker`, `cron-job` or `job`. */
  public readonly name: WorkloadKind;
  /** The schedule of a cron workload; undefined for the other kinds. */
  public readonly schedule?: string;
  /** @internal */
  public readonly _options: KindOptions;

  private constructor(name: WorkloadKind, options: KindOptions) {
    this.name = name;
    this.schedule = options.schedule;
    this._options = options;
  }

  /** Whether the kind runs a Deployment (web, worker) rather than pods that end (cron, job). */
  public get isLongRunning(): boolean {
    return this.name === WorkloadKind.WEB || this.name === WorkloadKind.WORKER;
  }
}

/** The options of every kind, as a kind keeps them. */
interface KindOptions extends WorkerKindOptions, JobKindOptions, Partial<CronKindOptions> {}
