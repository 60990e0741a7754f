/**
 * The annotations of a Score workload (`metadata.annotations`) that tell
 * paved how to run it, besides what the Score specification can say. Any
 * other `paved.dev/` annotation is refused, so a misspelt one never goes
 * unnoticed. Like every workload annotation, they are set on the pods too.
 *
 * ```yaml
 * metadata:
 *   name: nightly-report
 *   annotations:
 *     paved.dev/schedule: "30 2 * * *"
 *     paved.dev/time-zone: Europe/Berlin
 * ```
 */
export class ScoreAnnotations {
  /**
   * What the workload runs as: `web`, `worker`, `cron-job` or `job`.
   * Without it: `cron-job` when `paved.dev/schedule` is set, else `worker`
   * for a workload without `service.ports`, else `web`.
   */
  public static readonly KIND = 'paved.dev/kind';
  /** The cron schedule of a `cron-job` workload, e.g. `30 2 * * *` or `@daily`; sets the kind. */
  public static readonly SCHEDULE = 'paved.dev/schedule';
  /** The IANA time zone the schedule is read in, e.g. `Europe/Berlin` (default `Etc/UTC`). */
  public static readonly TIME_ZONE = 'paved.dev/time-zone';
  /**
   * When Argo CD runs a `job` workload: `before-workloads` (the default, a
   * migration) or `after-workloads` (a smoke test).
   */
  public static readonly JOB_HOOK = 'paved.dev/job-hook';
  /** The queue resource whose depth a `worker` workload scales on (with KEDA), e.g. `jobs`. */
  public static readonly SCALE_ON_QUEUE = 'paved.dev/scale-on-queue';
  /**
   * The container port that serves Prometheus metrics, e.g. `"9090"`: the
   * workload is scraped there (without it, a `service.ports` entry named
   * `metrics` chooses the port, else the workload is not scraped).
   */
  public static readonly METRICS_PORT = 'paved.dev/metrics-port';
  /** The HTTP path of the metrics, e.g. `/internal/metrics` (default `/metrics`). */
  public static readonly METRICS_PATH = 'paved.dev/metrics-path';

  private constructor() {}
}

/**
 * Every `paved.dev/` annotation the kind of a Score workload reads.
 * @internal
 */
export const KIND_ANNOTATIONS: readonly string[] = [
  ScoreAnnotations.KIND, ScoreAnnotations.SCHEDULE, ScoreAnnotations.TIME_ZONE, ScoreAnnotations.JOB_HOOK, ScoreAnnotations.SCALE_ON_QUEUE,
];
