import { ApiObject } from 'cdk8s';
import { KubeJob } from 'cdk8s-plus-28/lib/imports/k8s';
import { Construct } from 'constructs';
import { batchPod, jobCount } from './batch-pod';
import { recordDecision } from './decisions';
import { validateDns1035Label } from './labels';
import { WorkloadNetworkPolicy, recordEgressDecisions } from './network-policy';
import { NetworkedWorkload } from './networked-workload';
import { claimObjectNames } from './object-names';
import { PodProps } from './pod-props';
import { WorkloadFootprint, jobFootprint } from './quota-footprint';
import { recordResourceDecisions } from './replicas';
import { SyncWave, syncWaveAnnotation } from './sync-wave';
import { checkedScope } from '../core/api-guard';
import { Size } from '../core/size';
import { validateOneOf } from '../core/validation';

/**
 * When Argo CD runs a {@link Job}: on every sync of the Application that
 * holds it, as a hook that Argo CD deletes and creates again before each
 * run (`hook-delete-policy: BeforeHookCreation`), so the last run stays
 * for inspection until the next one. A job that runs on every sync must be
 * idempotent, as database migration tools are.
 */
export enum JobHook {
  /**
   * After the connection secrets and before the workloads: a `Sync` hook
   * in wave {@link SyncWave.MIGRATIONS}, with its ServiceAccount,
   * NetworkPolicy and files in the same wave. Argo CD starts the
   * workloads' wave only once the job has succeeded; a failed job fails
   * the sync, so the new version is not rolled out. For database
   * migrations. (Not a `PreSync` hook: that runs before anything of the
   * sync is applied, so on the first sync the job's own ServiceAccount and
   * connection Secrets would not exist yet.)
   */
  BEFORE_WORKLOADS = 'BeforeWorkloads',
  /**
   * Once every object of the sync is applied and healthy: a `PostSync`
   * hook. For smoke tests, cache warm-ups and notifications.
   */
  AFTER_WORKLOADS = 'AfterWorkloads',
}

/** Properties of a {@link Job}. */
export interface JobProps extends PodProps {
  /**
   * Container image, pinned by a tag other than `latest` or by a digest,
   * e.g. `registry.example.com/shop/orders-migrate:1.4.2`. The tag becomes
   * the `app.kubernetes.io/version` label.
   */
  readonly image: string;
  /**
   * Name of every object (Job, ServiceAccount, NetworkPolicy) and the
   * `app.kubernetes.io/name` and `instance` labels. A DNS-1035 label.
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
   * When Argo CD runs the job.
   * @default JobHook.BEFORE_WORKLOADS
   */
  readonly hook?: JobHook;
  /**
   * Failed attempts retried, each in a new pod whose logs stay until the
   * Job is deleted (0-100).
   * @default 3
   */
  readonly backoffLimit?: number;
  /**
   * Seconds the job may take, retries included, before Kubernetes stops it
   * and marks it failed (1-604800), so a hung run cannot hold the sync forever.
   * @default 3600
   */
  readonly activeDeadlineSeconds?: number;
  /**
   * Seconds a finished Job and its pods are kept before Kubernetes deletes
   * them (60-604800). At least a minute, so Argo CD sees how the hook ended.
   * @default 86400 (a day)
   */
  readonly ttlSecondsAfterFinished?: number;
}

const DEFAULT_BACKOFF_LIMIT = 3;
const DEFAULT_ACTIVE_DEADLINE_SECONDS = 3600;
const DEFAULT_TTL_SECONDS_AFTER_FINISHED = 86400;
const HOOK = 'argocd.argoproj.io/hook';
const HOOK_DELETE_POLICY = 'argocd.argoproj.io/hook-delete-policy';
const ARGO_CD_HOOKS: { [hook: string]: string } = {
  [JobHook.BEFORE_WORKLOADS]: 'Sync',
  [JobHook.AFTER_WORKLOADS]: 'PostSync',
};

/**
 * A one-off job: a Job (batch/v1) that Argo CD runs as a hook of its
 * Application's sync (see {@link JobHook}), with its ServiceAccount and a
 * NetworkPolicy for its pods.
 *
 * Secure by default, like {@link CronJob}: the pod meets the "restricted"
 * Pod Security Standard (non-root user 10001, no privilege escalation, all
 * capabilities dropped, RuntimeDefault seccomp, read-only root filesystem
 * with a writable `/tmp`), no Kubernetes API token is mounted, and the
 * NetworkPolicy denies all ingress and all egress but DNS and the declared
 * `egress`.
 *
 * Predictable by default: a failed attempt is retried 3 times, each in a
 * new pod (`restartPolicy: Never`, so every failed attempt's logs stay); the
 * job is stopped after an hour; a finished Job is deleted after a day (and
 * by Argo CD before the next run); requests and limits come from the Size.
 *
 * Every object is a public plain `ApiObject` holding the final Kubernetes
 * JSON, for escape hatches (`addJsonPatch`).
 */
export class Job extends NetworkedWorkload {
  /** Name of the job and of each of its objects. */
  public readonly name: string;
  /** When Argo CD runs the job. */
  public readonly hook: JobHook;
  /** Name of the ServiceAccount the pod runs as. */
  public readonly serviceAccountName: string;
  /** Labels on every object and pod. */
  public readonly labels: { [key: string]: string };
  /** Labels that select the job's pods (name and instance). */
  public readonly selectorLabels: { [key: string]: string };
  /** The Job (batch/v1). */
  public readonly resource: ApiObject;
  /** The ServiceAccount (v1). */
  public readonly serviceAccount: ApiObject;
  /** The NetworkPolicy (networking.k8s.io/v1) of the job's pods, for ingress and egress. */
  public readonly networkPolicy: ApiObject;
  /** The ConfigMap (v1) `<name>-files` holding the configuration files; undefined without `files`. */
  public readonly configMap?: ApiObject;

  constructor(scope: Construct, id: string, props: JobProps) {
    super(checkedScope(scope, 'Job', arguments), id);
    const size = props.size ?? Size.M;

    this.name = props.name ?? id;
    validateDns1035Label(this, 'name', this.name);
    this.hook = props.hook ?? JobHook.BEFORE_WORKLOADS;
    validateOneOf(this, 'hook', this.hook, Object.values(JobHook));
    const backoffLimit = jobCount(this, 'backoffLimit', props.backoffLimit, DEFAULT_BACKOFF_LIMIT, 0, 100);
    const activeDeadlineSeconds = jobCount(this, 'activeDeadlineSeconds', props.activeDeadlineSeconds, DEFAULT_ACTIVE_DEADLINE_SECONDS, 1, 604800);
    const ttlSecondsAfterFinished = jobCount(this, 'ttlSecondsAfterFinished', props.ttlSecondsAfterFinished, DEFAULT_TTL_SECONDS_AFTER_FINISHED, 60, 604800);

    // A new pod per attempt: the logs of every failed attempt stay until the Job is deleted.
    const pod = batchPod(this, this.name, props, 'Never');
    this.labels = pod.labels;
    this.selectorLabels = pod.selectorLabels;
    this.serviceAccountName = pod.serviceAccountName;
    this.serviceAccount = pod.serviceAccount;
    this.configMap = pod.configMap;

    this.resource = new ApiObject(this, 'Resource', KubeJob.manifest({
      metadata: {
        name: this.name,
        labels: { ...this.labels },
        annotations: {
          [HOOK]: ARGO_CD_HOOKS[this.hook],
          // Argo CD deletes the last run just before the next one: its logs stay until then.
          [HOOK_DELETE_POLICY]: 'BeforeHookCreation',
          ...this.hook === JobHook.BEFORE_WORKLOADS ? syncWaveAnnotation(SyncWave.MIGRATIONS) : {},
        },
      },
      spec: { backoffLimit, activeDeadlineSeconds, ttlSecondsAfterFinished, template: pod.template },
    }));

    this._policyRules = new WorkloadNetworkPolicy(this, {
      name: this.name, labels: this.labels, selectorLabels: this.selectorLabels, egress: pod.egress,
    });
    this.networkPolicy = this._policyRules.resource;
    if (this.hook === JobHook.BEFORE_WORKLOADS) {
      // What the job's pod needs must exist before it runs, in its wave at the latest.
      for (const object of [this.serviceAccount, this.networkPolicy, this.configMap]) {
        object?.metadata.addAnnotation(SyncWave.ANNOTATION, String(SyncWave.MIGRATIONS));
      }
    }

    claimObjectNames(this);
    const source = (value: unknown) => value !== undefined ? 'override' : 'paved default';
    recordDecision(this, 'hook', this.hook, source(props.hook));
    recordDecision(this, 'backoffLimit', String(backoffLimit), source(props.backoffLimit));
    recordDecision(this, 'activeDeadlineSeconds', String(activeDeadlineSeconds), source(props.activeDeadlineSeconds));
    recordDecision(this, 'ttlSecondsAfterFinished', String(ttlSecondsAfterFinished), source(props.ttlSecondsAfterFinished));
    recordResourceDecisions(this, size, pod.resources);
    recordEgressDecisions(this, props.egress);
  }

  /** What the job holds of its namespace's quota at its peak: one run (attempts run one after the other). */
  public quotaFootprint(): WorkloadFootprint {
    return jobFootprint(this.name, this.resource.toJson().spec, 1, 'one run; attempts one after the other');
  }
}
