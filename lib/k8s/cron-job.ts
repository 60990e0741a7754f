import { ApiObject } from 'cdk8s';
import { KubeCronJob } from 'cdk8s-plus-28/lib/imports/k8s';
import { Construct } from 'constructs';
import { batchPod, jobCount } from './batch-pod';
import { minimumIntervalMinutes, validateCronSchedule, validateTimeZone } from './cron-schedule';
import { recordDecision } from './decisions';
import { validateDns1035Label } from './labels';
import { WorkloadNetworkPolicy, recordEgressDecisions } from './network-policy';
import { NetworkedWorkload } from './networked-workload';
import { claimObjectNames } from './object-names';
import { PodProps } from './pod-props';
import { WorkloadFootprint, jobFootprint } from './quota-footprint';
import { recordResourceDecisions } from './replicas';
import { checkedScope } from '../core/api-guard';
import { invalid } from '../core/errors';
import { Size } from '../core/size';
import { validateOneOf } from '../core/validation';

/** What a {@link CronJob} does when a run is due while the previous one still runs. */
export enum ConcurrencyPolicy {
  /** Skip the new run: two runs never overlap. */
  FORBID = 'Forbid',
  /** Start the new run next to the old one. */
  ALLOW = 'Allow',
  /** Stop the old run and start the new one. */
  REPLACE = 'Replace',
}

/** Properties of a {@link CronJob}. */
export interface CronJobProps extends PodProps {
  /**
   * Container image, pinned by a tag other than `latest` or by a digest,
   * e.g. `registry.example.com/shop/report:1.2.0`. The tag becomes the
   * `app.kubernetes.io/version` label.
   */
  readonly image: string;
  /**
   * When the job runs: five cron fields, "minute hour day-of-month month
   * day-of-week" (e.g. `30 2 * * MON-FRI`), each `*`, a number, a name
   * (JAN-DEC, SUN-SAT), a range `a-b`, a step (`*` or a range, then `/n`) or
   * a list `a,b`; or one of `@hourly`, `@daily` (`@midnight`), `@weekly`,
   * `@monthly`, `@yearly` (`@annually`).
   * A schedule that never fires (e.g. `0 0 30 2 *`) is refused.
   */
  readonly schedule: string;
  /**
   * IANA time zone the schedule is read in, e.g. `Europe/Berlin`.
   * @default 'Etc/UTC' — not the controller's local time, which differs between clusters
   */
  readonly timeZone?: string;
  /**
   * Name of every object (CronJob, ServiceAccount, NetworkPolicy) and the
   * `app.kubernetes.io/name` and `instance` labels. A DNS-1035 label of at
   * most 52 characters (Kubernetes appends 11 to name each Job).
   * @default - the construct id
   */
  readonly name?: string;
  /**
   * Entrypoint of the container, replacing the image's `ENTRYPOINT`.
   * @default - the image's entrypoint
   */
  readonly command?: string[];
  /**
   * Arguments of the entrypoint, replacing the image's `CMD`.
   * @default - the image's arguments
   */
  readonly args?: string[];
  /**
   * What happens when a run is due while the previous one still runs.
   * @default ConcurrencyPolicy.FORBID
   */
  readonly concurrencyPolicy?: ConcurrencyPolicy;
  /**
   * Seconds after the scheduled time a missed run may still start (after a
   * controller outage or while `Forbid` held it back), 10-86400; later runs
   * are skipped. Without a deadline a controller that was down for long
   * would count more than 100 missed runs and stop scheduling the job.
   * @default 300
   */
  readonly startingDeadlineSeconds?: number;
  /**
   * Seconds a run may take, retries included, before Kubernetes stops it
   * (1-604800), so a hung run cannot block the next ones forever.
   * @default 3600
   */
  readonly activeDeadlineSeconds?: number;
  /**
   * Retries of a failed run before it is marked failed (0-100).
   * @default 3
   */
  readonly backoffLimit?: number;
  /**
   * Finished successful Jobs kept for inspection (0-100).
   * @default 3
   */
  readonly successfulJobsHistoryLimit?: number;
  /**
   * Failed Jobs kept for inspection (0-100).
   * @default 1
   */
  readonly failedJobsHistoryLimit?: number;
  /**
   * Create the CronJob suspended: no runs start until it is resumed.
   * @default false
   */
  readonly suspend?: boolean;
}

const DEFAULT_TIME_ZONE = 'Etc/UTC';
const DEFAULT_STARTING_DEADLINE_SECONDS = 300;
const DEFAULT_ACTIVE_DEADLINE_SECONDS = 3600;
const DEFAULT_BACKOFF_LIMIT = 3;
const DEFAULT_SUCCESSFUL_HISTORY = 3;
const DEFAULT_FAILED_HISTORY = 1;
/** Kubernetes appends an 11-character suffix to name each Job, within 63. */
const MAX_NAME_LENGTH = 52;

/**
 * A scheduled job: a CronJob (batch/v1) with its ServiceAccount and a
 * NetworkPolicy for its pods.
 *
 * Secure by default, like {@link WebApp}: pods meet the "restricted" Pod
 * Security Standard (non-root user 10001, no privilege escalation, all
 * capabilities dropped, RuntimeDefault seccomp, read-only root filesystem
 * with a writable `/tmp`), no Kubernetes API token is mounted, and the
 * NetworkPolicy denies all ingress and all egress but DNS and the declared
 * `egress`.
 *
 * Predictable by default: the schedule and time zone are checked when the
 * construct is created; runs never overlap (`Forbid`); a missed run may
 * start up to 5 minutes late; a run is stopped after an hour and retried up
 * to 3 times (`restartPolicy: OnFailure`); the last 3 successful and the
 * last failed Job are kept; requests and limits come from the Size.
 *
 * Every object is a public plain `ApiObject` holding the final Kubernetes
 * JSON, for escape hatches (`addJsonPatch`).
 */
export class CronJob extends NetworkedWorkload {
  /** Name of the job and of each of its objects. */
  public readonly name: string;
  /** The schedule, as given. */
  public readonly schedule: string;
  /** The time zone the schedule is read in. */
  public readonly timeZone: string;
  /** Name of the ServiceAccount the pods run as. */
  public readonly serviceAccountName: string;
  /** Labels on every object and pod. */
  public readonly labels: { [key: string]: string };
  /** Labels that select the job's pods (name and instance). */
  public readonly selectorLabels: { [key: string]: string };
  /** The CronJob (batch/v1). */
  public readonly resource: ApiObject;
  /** The ServiceAccount (v1). */
  public readonly serviceAccount: ApiObject;
  /** The NetworkPolicy (networking.k8s.io/v1) of the job's pods, for ingress and egress. */
  public readonly networkPolicy: ApiObject;
  /** The ConfigMap (v1) `<name>-files` holding the configuration files; undefined without `files`. */
  public readonly configMap?: ApiObject;
  /** What happens when a run is due while the previous one still runs. */
  public readonly concurrencyPolicy: ConcurrencyPolicy;

  constructor(scope: Construct, id: string, props: CronJobProps) {
    super(checkedScope(scope, 'CronJob', arguments), id);
    const size = props.size ?? Size.M;

    this.name = props.name ?? id;
    validateDns1035Label(this, 'name', this.name);
    if (this.name.length > MAX_NAME_LENGTH) {
      throw invalid(this, 'name', this.name,
        `at most ${MAX_NAME_LENGTH} characters (Kubernetes appends 11 to name each Job, and Job names are labels of at most 63)`);
    }
    validateCronSchedule(this, 'schedule', props.schedule);
    this.schedule = props.schedule;
    this.timeZone = props.timeZone ?? DEFAULT_TIME_ZONE;
    validateTimeZone(this, 'timeZone', this.timeZone);

    const concurrencyPolicy = props.concurrencyPolicy ?? ConcurrencyPolicy.FORBID;
    validateOneOf(this, 'concurrencyPolicy', concurrencyPolicy, Object.values(ConcurrencyPolicy));
    this.concurrencyPolicy = concurrencyPolicy;
    const startingDeadlineSeconds = jobCount(this, 'startingDeadlineSeconds', props.startingDeadlineSeconds, DEFAULT_STARTING_DEADLINE_SECONDS, 10, 86400);
    const activeDeadlineSeconds = jobCount(this, 'activeDeadlineSeconds', props.activeDeadlineSeconds, DEFAULT_ACTIVE_DEADLINE_SECONDS, 1, 604800);
    const backoffLimit = jobCount(this, 'backoffLimit', props.backoffLimit, DEFAULT_BACKOFF_LIMIT, 0, 100);
    const successfulJobsHistoryLimit = jobCount(this, 'successfulJobsHistoryLimit', props.successfulJobsHistoryLimit, DEFAULT_SUCCESSFUL_HISTORY, 0, 100);
    const failedJobsHistoryLimit = jobCount(this, 'failedJobsHistoryLimit', props.failedJobsHistoryLimit, DEFAULT_FAILED_HISTORY, 0, 100);

    // Retries restart the container in the same pod: cheaper than a new pod, and
    // the pod's ephemeral storage bounds what failed attempts leave behind.
    const pod = batchPod(this, this.name, props, 'OnFailure');
    this.labels = pod.labels;
    this.selectorLabels = pod.selectorLabels;
    this.serviceAccountName = pod.serviceAccountName;
    this.serviceAccount = pod.serviceAccount;
    this.configMap = pod.configMap;

    this.resource = new ApiObject(this, 'Resource', KubeCronJob.manifest({
      metadata: { name: this.name, labels: { ...this.labels } },
      spec: {
        schedule: this.schedule,
        timeZone: this.timeZone,
        concurrencyPolicy,
        startingDeadlineSeconds,
        successfulJobsHistoryLimit,
        failedJobsHistoryLimit,
        suspend: props.suspend ?? false,
        jobTemplate: {
          metadata: { labels: { ...this.labels } },
          spec: { activeDeadlineSeconds, backoffLimit, template: pod.template },
        },
      },
    }));

    this._policyRules = new WorkloadNetworkPolicy(this, {
      name: this.name, labels: this.labels, selectorLabels: this.selectorLabels, egress: pod.egress,
    });
    this.networkPolicy = this._policyRules.resource;

    claimObjectNames(this);
    recordDecision(this, 'timeZone', this.timeZone, props.timeZone !== undefined ? 'override' : 'paved default');
    recordDecision(this, 'concurrencyPolicy', concurrencyPolicy, props.concurrencyPolicy !== undefined ? 'override' : 'paved default');
    recordDecision(this, 'activeDeadlineSeconds', String(activeDeadlineSeconds),
      props.activeDeadlineSeconds !== undefined ? 'override' : 'paved default');
    recordResourceDecisions(this, size, pod.resources);
    recordEgressDecisions(this, props.egress);
  }

  /**
   * What the job holds of its namespace's quota at its peak: one run with
   * `Forbid`; two with `Replace` (the replaced run's pods still terminate
   * while the next starts); with `Allow`, every run that can start before
   * the first reaches its `activeDeadlineSeconds`, from the shortest gap of
   * the schedule.
   */
  public quotaFootprint(): WorkloadFootprint {
    const spec = this.resource.toJson().spec ?? {};
    const policy = spec.concurrencyPolicy ?? ConcurrencyPolicy.ALLOW;
    const jobSpec = spec.jobTemplate?.spec;
    if (policy === ConcurrencyPolicy.FORBID) { return jobFootprint(this.name, jobSpec, 1, 'concurrencyPolicy Forbid'); }
    if (policy === ConcurrencyPolicy.REPLACE) { return jobFootprint(this.name, jobSpec, 2, 'concurrencyPolicy Replace: the old run terminates as the next starts'); }
    const interval = minimumIntervalMinutes(spec.schedule ?? this.schedule) * 60;
    const deadline = jobSpec?.activeDeadlineSeconds ?? DEFAULT_ACTIVE_DEADLINE_SECONDS;
    const runs = Math.floor(deadline / interval) + 1;
    return jobFootprint(this.name, jobSpec, runs, `concurrencyPolicy Allow: runs ${interval / 60} min apart last up to ${deadline} s`);
  }
}
