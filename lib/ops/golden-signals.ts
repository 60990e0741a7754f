import { Duration } from 'cdk8s';
import { AlertRule } from './alert-rule';
import { AlertSeverity, AlertThreshold } from './alert-threshold';
import { promNumber, promString } from './promql';
import { ConventionQueries } from './slo-convention';

/** What a workload is, which decides its default alerts. */
export enum WorkloadKind {
  /** A Deployment serving HTTP behind a Service. */
  WEB = 'web',
  /** A Deployment consuming work (a queue), without a Service. */
  WORKER = 'worker',
  /** A CronJob. */
  CRON_JOB = 'cron-job',
  /** A one-off Job. */
  JOB = 'job',
}

/**
 * The default alerts of a workload, each changed with `AlertThreshold.of(value, { forDuration, severity })`
 * or removed with `AlertThreshold.disabled()`. Which alerts a workload gets
 * depends on its kind; thresholds of alerts its kind does not get are ignored.
 */
export interface WorkloadAlertThresholds {
  /**
   * WEB, with a request convention: failed requests over all requests (0-1) over 5 minutes.
   * @default AlertThreshold.of(0.05, { forDuration: Duration.minutes(10), severity: AlertSeverity.CRITICAL })
   */
  readonly errorRatio?: AlertThreshold;
  /**
   * WEB, with a convention that has a duration histogram: 99th percentile request duration, seconds, over 5 minutes.
   * @default AlertThreshold.of(1, { forDuration: Duration.minutes(10), severity: AlertSeverity.WARNING })
   */
  readonly latencyP99Seconds?: AlertThreshold;
  /**
   * Every kind: share of CPU periods a container was throttled in (0-1), over 5 minutes.
   * @default AlertThreshold.of(0.25, { forDuration: Duration.minutes(15), severity: AlertSeverity.WARNING })
   */
  readonly cpuThrottlingRatio?: AlertThreshold;
  /**
   * Every kind: a container's working set over its memory limit (0-1); at 1 it is OOM-killed.
   * @default AlertThreshold.of(0.9, { forDuration: Duration.minutes(15), severity: AlertSeverity.WARNING })
   */
  readonly memoryLimitRatio?: AlertThreshold;
  /**
   * WEB and WORKER: container restarts within the last hour.
   * @default AlertThreshold.of(3, { severity: AlertSeverity.WARNING })
   */
  readonly restartsPerHour?: AlertThreshold;
  /**
   * WEB and WORKER: containers waiting in CrashLoopBackOff at once.
   * @default AlertThreshold.of(1, { forDuration: Duration.minutes(15), severity: AlertSeverity.WARNING })
   */
  readonly crashLoopingContainers?: AlertThreshold;
  /**
   * WEB and WORKER with room to scale (maxReplicas above minReplicas): current
   * replicas over the autoscaler's maximum (0-1); at 1 it cannot add capacity.
   * @default AlertThreshold.of(1, { forDuration: Duration.minutes(15), severity: AlertSeverity.WARNING })
   */
  readonly replicasAtMaxRatio?: AlertThreshold;
  /**
   * WORKER with a queue: messages in the queue as KEDA reads them.
   * @default - AlertThreshold.of(queueLengthTarget x maxReplicas, { forDuration: Duration.minutes(15), severity: AlertSeverity.WARNING }): more than the workers at their maximum are sized for
   */
  readonly queueBacklog?: AlertThreshold;
  /**
   * WORKER with a queue: KEDA scaler errors per second; while KEDA cannot
   * read the queue the worker does not scale.
   * @default AlertThreshold.of(0, { forDuration: Duration.minutes(10), severity: AlertSeverity.WARNING })
   */
  readonly scalerErrorsPerSecond?: AlertThreshold;
  /**
   * CRON_JOB: failed runs since the last successful one; JOB: failed Jobs.
   * @default AlertThreshold.of(0, { severity: AlertSeverity.WARNING })
   */
  readonly failedRuns?: AlertThreshold;
  /**
   * CRON_JOB: seconds a due run is overdue (its scheduled time passed and
   * the controller started nothing: it was skipped, held back by a running
   * one, or the controller is down). A suspended CronJob never alerts.
   * @default - AlertThreshold.of(startingDeadlineSeconds + 60, { forDuration: Duration.minutes(1), severity: AlertSeverity.WARNING })
   */
  readonly runOverdueSeconds?: AlertThreshold;
}

/**
 * Everything the golden-signal alerts of one workload are built from.
 * @internal
 */
export interface GoldenSignalTarget {
  readonly kind: WorkloadKind;
  readonly namespace: string;
  readonly workload: string;
  readonly exportedNamespaceLabel: string;
  readonly requests?: ConventionQueries;
  readonly autoscaler?: string;
  readonly scaledObject?: string;
  readonly queueName?: string;
  readonly queueBacklogDefault?: number;
  readonly runOverdueDefault: number;
}

interface Default {
  readonly value: number;
  readonly forDuration?: Duration;
  readonly severity: AlertSeverity;
}

const minutes = (n: number) => Duration.minutes(n);

/**
 * The enabled golden-signal and saturation alerts of a workload, thresholds
 * applied. Every expression reads the workload's namespace and pods only.
 * @internal
 */
export function goldenSignalAlerts(target: GoldenSignalTarget, thresholds: WorkloadAlertThresholds): AlertRule[] {
  const ns = promString(target.namespace);
  const w = target.workload;
  const pods = `namespace=${ns},pod=~${promString(podPattern(target.kind, w))}`;
  const who = `${target.namespace}/${w}`;
  const rules: AlertRule[] = [];
  const add = (threshold: AlertThreshold | undefined, fallback: Default, make: (value: number) => Omit<AlertRule, 'forDuration' | 'severity'>) => {
    if (threshold !== undefined && !threshold.enabled) { return; }
    const value = threshold?.value ?? fallback.value;
    rules.push({
      ...make(value),
      forDuration: threshold?.forDuration ?? fallback.forDuration,
      severity: threshold?.severity ?? fallback.severity,
    });
  };
  const longRunning = target.kind === WorkloadKind.WEB || target.kind === WorkloadKind.WORKER;

  if (target.kind === WorkloadKind.WEB && target.requests) {
    const q = target.requests;
    add(thresholds.errorRatio, { value: 0.05, forDuration: minutes(10), severity: AlertSeverity.CRITICAL }, value => ({
      name: 'WorkloadErrorRatioHigh',
      expr: `(\n  ${q.errors('5m')}\n  /\n  ${q.total('5m')}\n) > ${promNumber(value)}`,
      summary: `${who}: {{ $value | humanizePercentage }} of requests fail (above ${percent(value)})`,
      description: 'Failed requests over all requests in the last 5 minutes, by the platform\'s request convention.',
    }));
    if (q.hasLatency) {
      add(thresholds.latencyP99Seconds, { value: 1, forDuration: minutes(10), severity: AlertSeverity.WARNING }, value => ({
        name: 'WorkloadLatencyHigh',
        expr: `${q.quantile(0.99, '5m')} > ${promNumber(value)}`,
        summary: `${who}: 99th percentile latency is {{ $value | humanizeDuration }} (above ${promNumber(value)} s)`,
        description: '99th percentile of request duration over the last 5 minutes.',
      }));
    }
  }

  const byContainer = 'namespace, pod, container';
  add(thresholds.cpuThrottlingRatio, { value: 0.25, forDuration: minutes(15), severity: AlertSeverity.WARNING }, value => ({
    name: 'WorkloadCpuThrottlingHigh',
    expr: `sum by (${byContainer}) (increase(container_cpu_cfs_throttled_periods_total{${pods},container!=""}[5m]))\n`
      + `/ on (${byContainer})\n`
      + `sum by (${byContainer}) (increase(container_cpu_cfs_periods_total{${pods},container!=""}[5m]))\n`
      + `> ${promNumber(value)}`,
    summary: `${who}: container {{ $labels.container }} of {{ $labels.pod }} is CPU-throttled {{ $value | humanizePercentage }} of the time`,
    description: 'The container hits its CPU limit: raise the limit (or the size) or find what burns CPU.',
  }));
  add(thresholds.memoryLimitRatio, { value: 0.9, forDuration: minutes(15), severity: AlertSeverity.WARNING }, value => ({
    name: 'WorkloadMemoryNearLimit',
    expr: `max by (${byContainer}) (container_memory_working_set_bytes{${pods},container!=""})\n`
      + `/ on (${byContainer})\n`
      + `max by (${byContainer}) (kube_pod_container_resource_limits{${pods},resource="memory"})\n`
      + `> ${promNumber(value)}`,
    summary: `${who}: container {{ $labels.container }} of {{ $labels.pod }} uses {{ $value | humanizePercentage }} of its memory limit`,
    description: 'At the limit the container is OOM-killed: raise the limit (or the size) or find the leak.',
  }));

  if (longRunning) {
    add(thresholds.restartsPerHour, { value: 3, severity: AlertSeverity.WARNING }, value => ({
      name: 'WorkloadRestartingOften',
      expr: `sum by (${byContainer}) (increase(kube_pod_container_status_restarts_total{${pods}}[1h])) > ${promNumber(value)}`,
      summary: `${who}: container {{ $labels.container }} of {{ $labels.pod }} restarted {{ $value | humanize }} times in an hour`,
      description: 'Check the previous container\'s logs (kubectl logs --previous) and the liveness probe.',
    }));
    add(thresholds.crashLoopingContainers, { value: 1, forDuration: minutes(15), severity: AlertSeverity.WARNING }, value => ({
      name: 'WorkloadCrashLooping',
      expr: `count by (namespace) (max by (${byContainer}) (kube_pod_container_status_waiting_reason{${pods},reason="CrashLoopBackOff"}) == 1) >= ${promNumber(value)}`,
      summary: `${who}: {{ $value | humanize }} container(s) in CrashLoopBackOff`,
      description: 'Containers keep exiting right after they start: check their logs and configuration.',
    }));
    if (target.autoscaler !== undefined) {
      const hpa = `namespace=${ns},horizontalpodautoscaler=${promString(target.autoscaler)}`;
      add(thresholds.replicasAtMaxRatio, { value: 1, forDuration: minutes(15), severity: AlertSeverity.WARNING }, value => ({
        name: 'WorkloadAtMaxReplicas',
        expr: `(\n  kube_horizontalpodautoscaler_status_current_replicas{${hpa}}\n  / kube_horizontalpodautoscaler_spec_max_replicas{${hpa}}\n) >= ${promNumber(value)}\n`
          + `and\nkube_horizontalpodautoscaler_spec_max_replicas{${hpa}} > kube_horizontalpodautoscaler_spec_min_replicas{${hpa}}`,
        summary: `${who}: the autoscaler ${target.autoscaler} runs at its maximum replicas`,
        description: 'The workload cannot scale further: raise maxReplicas (or the size) or find what drives the load.',
      }));
    }
  }

  if (target.kind === WorkloadKind.WORKER && target.scaledObject !== undefined) {
    const keda = `${target.exportedNamespaceLabel}=${ns},scaledObject=${promString(target.scaledObject)}`;
    add(thresholds.queueBacklog, { value: target.queueBacklogDefault ?? 100, forDuration: minutes(15), severity: AlertSeverity.WARNING }, value => ({
      name: 'WorkerQueueBacklogHigh',
      expr: `max by (${target.exportedNamespaceLabel}, scaledObject) (keda_scaler_metrics_value{${keda}}) > ${promNumber(value)}`,
      summary: `${who}: {{ $value | humanize }} messages wait in the queue (above ${promNumber(value)})`,
      description: 'More work waits than the workers at their maximum are sized for: raise maxReplicas or find slow handling.',
    }));
    add(thresholds.scalerErrorsPerSecond, { value: 0, forDuration: minutes(10), severity: AlertSeverity.WARNING }, value => ({
      name: 'WorkerScalerErrors',
      expr: `sum by (${target.exportedNamespaceLabel}, scaledObject) (rate(keda_scaler_detail_errors_total{${keda}}[5m])) > ${promNumber(value)}`,
      summary: `${who}: KEDA cannot read the queue, the worker does not scale`,
      description: 'Check the ScaledObject\'s events and the TriggerAuthentication\'s IAM role.',
    }));
  }
  // The age of the queue's oldest message is the queue's own CloudWatch alarm (Queue.maxMessageAgeSeconds), which
  // reaches the tenant as a rule of the platform's (CloudWatchAlertRules): a tenant's rules cannot read the
  // CloudWatch exporter's series, which the Prometheus Operator's namespace enforcement keeps from them.

  if (target.kind === WorkloadKind.CRON_JOB) {
    const cron = `namespace=${ns},cronjob=${promString(w)}`;
    const jobs = `namespace=${ns},job_name=~${promString(`${w}-[0-9]+`)}`;
    add(thresholds.failedRuns, { value: 0, severity: AlertSeverity.WARNING }, value => ({
      name: 'CronJobFailed',
      // Failed Jobs of the CronJob that started after its last success; a CronJob that never succeeded counts from 0.
      expr: `count by (namespace) (\n  (\n    max by (namespace, job_name) (kube_job_status_start_time{${jobs}})\n`
        + `    and on (namespace, job_name)\n    max by (namespace, job_name) (kube_job_failed{${jobs},condition="true"}) > 0\n  )\n`
        + `  > on (namespace) group_left ()\n  (\n    max by (namespace) (kube_cronjob_status_last_successful_time{${cron}})\n`
        + `    or on (namespace)\n    0 * max by (namespace) (kube_cronjob_created{${cron}})\n  )\n) > ${promNumber(value)}`,
      summary: `${who}: {{ $value | humanize }} run(s) failed since the last successful one`,
      description: 'The latest runs of the CronJob failed: check the failed Job\'s pod logs.',
    }));
    add(thresholds.runOverdueSeconds, { value: target.runOverdueDefault, forDuration: minutes(1), severity: AlertSeverity.WARNING }, value => ({
      name: 'CronJobRunOverdue',
      expr: `(\n  time() - max by (namespace, cronjob) (kube_cronjob_next_schedule_time{${cron}})\n) > ${promNumber(value)}\n`
        + `unless on (namespace, cronjob)\nmax by (namespace, cronjob) (kube_cronjob_spec_suspend{${cron}}) == 1`,
      summary: `${who}: a scheduled run is {{ $value | humanizeDuration }} overdue`,
      description: 'The run was skipped (a previous run still running, missed starting deadline) or the CronJob controller is down.',
    }));
  }
  if (target.kind === WorkloadKind.JOB) {
    add(thresholds.failedRuns, { value: 0, severity: AlertSeverity.WARNING }, value => ({
      name: 'JobFailed',
      expr: `max by (namespace, job_name) (kube_job_failed{namespace=${ns},job_name=${promString(w)},condition="true"}) > ${promNumber(value)}`,
      summary: `${who}: the Job failed`,
      description: 'The Job ran out of retries or time: check its pods\' logs.',
    }));
  }
  return rules;
}

/**
 * The names of a workload's pods: `<deployment>-<pod-template-hash>-<suffix>`,
 * `<cronjob>-<scheduled minute>-<suffix>` or `<job>-<suffix>`.
 * @internal
 */
export function podPattern(kind: WorkloadKind, workload: string): string {
  switch (kind) {
    case WorkloadKind.CRON_JOB: return `${workload}-[0-9]+-[a-z0-9]+`;
    case WorkloadKind.JOB: return `${workload}-[a-z0-9]+`;
    default: return `${workload}-[a-z0-9]+-[a-z0-9]+`;
  }
}

function percent(ratio: number): string {
  return `${promNumber(ratio * 100)}%`;
}
