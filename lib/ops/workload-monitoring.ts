import { Duration } from 'cdk8s';
import { Construct } from 'constructs';
import { AlertRule } from './alert-rule';
import { Dashboard, DashboardPanel, PanelUnit } from './dashboard';
import { DashboardConfigMap } from './dashboard-config-map';
import { GoldenSignalTarget, WorkloadAlertThresholds, WorkloadKind, goldenSignalAlerts, podPattern } from './golden-signals';
import { MonitoredDependency } from './monitored-dependency';
import { MonitoringStack } from './monitoring-stack';
import { PodMonitor } from './pod-monitor';
import { PrometheusRules } from './prometheus-rules';
import { promNumber, promString } from './promql';
import { sanitizeLabelName } from './scrape-endpoint';
import { ServiceMonitor } from './service-monitor';
import { Slo, SloKind } from './slo';
import { ConventionQueries, SloConvention, SloTarget } from './slo-convention';
import { addSloRules, sliRecord } from './slo-rules';
import { checkedScope } from '../core/api-guard';
import { invalid } from '../core/errors';
import { Profile } from '../core/profile';
import { IScalingQueue } from '../core/scaling-queue';
import { validateDnsLabel, validateInteger } from '../core/validation';
import { recordDecision } from '../k8s/decisions';
import { validateDns1035Label, validateLabels } from '../k8s/labels';

/** Label naming the tenant on every monitoring object of a workload. */
const TENANT_LABEL = 'paved.dev/tenant';
/** Label naming the workload on every monitoring object of a workload. */
const WORKLOAD_LABEL = 'paved.dev/workload';

/** Which object makes Prometheus scrape a workload's metrics port. */
export enum ScrapeTarget {
  /** A ServiceMonitor on a port of the workload's Service (WEB only). */
  SERVICE = 'service',
  /** A PodMonitor on a named container port of the workload's pods. */
  POD = 'pod',
}

/** Properties of a {@link WorkloadMonitoring}. */
export interface WorkloadMonitoringProps {
  /** Name of the workload (its Deployment, CronJob or Job, and Service). */
  readonly workload: string;
  /** Tenant of the workload: its namespace. */
  readonly tenant: string;
  /** What the workload is; decides the default alerts and the scrape object. */
  readonly kind: WorkloadKind;
  /** Labels that select exactly the workload's pods (and, for WEB, its Service). */
  readonly selectorLabels: { [key: string]: string };
  /**
   * Name of the port serving Prometheus metrics: the Service port (scraped
   * through a ServiceMonitor) or the container port (through a PodMonitor),
   * see `scrapeTarget`. The workload's NetworkPolicy must admit the
   * stack's scraper on it (`MetricsScraper.ingressRule`).
   * @default - the workload is not scraped (alerts and dashboards read cluster metrics only)
   */
  readonly metricsPort?: string;
  /**
   * What `metricsPort` names: a port of the workload's Service
   * (ServiceMonitor) or a container port of its pods (PodMonitor, e.g. a
   * metrics port the Service does not expose). Only a WEB workload has a Service.
   * @default - ScrapeTarget.SERVICE for WEB, ScrapeTarget.POD for other kinds
   */
  readonly scrapeTarget?: ScrapeTarget;
  /**
   * HTTP path of the metrics.
   * @default '/metrics'
   */
  readonly metricsPath?: string;
  /**
   * How often the metrics are scraped.
   * @default Duration.seconds(30)
   */
  readonly scrapeInterval?: Duration;
  /**
   * Environment defaults: a DEV profile never pages.
   * @default Profile.PROD
   */
  readonly profile?: Profile;
  /**
   * Whether alerts may page (`severity: critical`); without, every alert is a ticket (`warning`).
   * @default - false in profiles derived from DEV, true otherwise
   */
  readonly pages?: boolean;
  /**
   * Fewest replicas the autoscaler keeps (WEB, WORKER).
   * @default - unknown: the at-max-replicas alert compares the autoscaler's own bounds
   */
  readonly minReplicas?: number;
  /**
   * Most replicas the autoscaler starts (WEB, WORKER); sizes the queue backlog alert.
   * @default - unknown: the backlog alert defaults to 100 messages
   */
  readonly maxReplicas?: number;
  /**
   * Name of the HorizontalPodAutoscaler (WEB, WORKER).
   * @default - `keda-hpa-<workload>` for a WORKER with a queue (KEDA creates it), the workload's name otherwise; none for jobs
   */
  readonly autoscalerName?: string;
  /**
   * The queue a WORKER consumes, scaled by KEDA (a ScaledObject named after the workload).
   * @default - no queue alerts
   */
  readonly queue?: IScalingQueue;
  /**
   * Visible messages per replica KEDA aims for; sizes the backlog alert.
   * @default 5
   */
  readonly queueLengthTarget?: number;
  /**
   * The CronJob's `startingDeadlineSeconds`: a run later than that is skipped (CRON_JOB).
   * @default 300
   */
  readonly startingDeadlineSeconds?: number;
  /**
   * Service level objectives, each with its recording rules, burn-rate alerts and dashboard row.
   * @default - none
   */
  readonly slos?: Slo[];
  /**
   * Where the workload's requests are counted, for its SLOs and its
   * error-ratio and latency alerts.
   * @default - the monitoring stack's `requestConvention`; without one no request alerts
   */
  readonly convention?: SloConvention;
  /**
   * Thresholds of the default alerts, each changed or removed.
   * @default - every default alert of the kind at its default threshold
   */
  readonly alerts?: WorkloadAlertThresholds;
  /**
   * Cloud resources the workload uses, shown on its dashboard.
   * @default - none
   */
  readonly dependencies?: MonitoredDependency[];
  /**
   * Make the workload's dashboard.
   * @default true
   */
  readonly dashboard?: boolean;
  /**
   * The monitoring stack.
   * @default new MonitoringStack()
   */
  readonly stack?: MonitoringStack;
}

/**
 * Everything a workload needs to be observed: a ServiceMonitor (WEB) or
 * PodMonitor (other kinds) for its metrics port, a PrometheusRule with the
 * recording rules and multiwindow multi-burn-rate alerts of its SLOs and
 * its golden-signal and saturation alerts, and its Grafana dashboard
 * (golden signals, SLO burn, resources against requests and limits,
 * scaling, its cloud dependencies) in the tenant's folder.
 *
 * Every expression is parsed as PromQL and must read the tenant's namespace
 * only; matchers on the workload's identifying labels (selector labels, the
 * `workload` label, its autoscaler, CronJob, ScaledObject and queue) must
 * select this workload. Every alert carries `namespace`, `tenant`,
 * `workload` and `severity` labels, a summary, a description and, with a
 * runbook base URL, a `runbook_url`.
 *
 * Objects are named after the workload, take the chart's namespace (which
 * must be the tenant's), are labelled `paved.dev/tenant` and
 * `paved.dev/workload`, and are in Argo CD's monitoring sync wave.
 */
export class WorkloadMonitoring extends Construct {
  /** Name of the workload. */
  public readonly workload: string;
  /** Tenant (namespace). */
  public readonly tenant: string;
  /** What the workload is. */
  public readonly kind: WorkloadKind;
  /** Whether alerts may page. */
  public readonly pages: boolean;
  /** The ServiceMonitor; undefined unless a WEB workload with a metrics port. */
  public readonly serviceMonitor?: ServiceMonitor;
  /** The PodMonitor; undefined unless another kind with a metrics port. */
  public readonly podMonitor?: PodMonitor;
  /** The workload's rules (SLOs, golden signals, and alerts added with {@link addAlert}). */
  public readonly rules: PrometheusRules;
  /** The dashboard model; add rows and panels to it until synth. Undefined with `dashboard: false`. */
  public readonly dashboard?: Dashboard;
  /** The ConfigMap delivering the dashboard; undefined with `dashboard: false`. */
  public readonly dashboardConfigMap?: DashboardConfigMap;
  /** The SLOs. */
  public readonly slos: Slo[];

  private readonly alertGroup: string;

  constructor(scope: Construct, id: string, props: WorkloadMonitoringProps) {
    super(checkedScope(scope, 'WorkloadMonitoring', arguments), id);
    const stack = props.stack ?? new MonitoringStack();
    if (!(stack instanceof MonitoringStack)) {
      throw invalid(this, 'stack', stack, 'a MonitoringStack');
    }
    validateDns1035Label(this, 'workload', props.workload);
    validateDnsLabel(this, 'tenant', props.tenant);
    if (!Object.values(WorkloadKind).includes(props.kind)) {
      throw invalid(this, 'kind', props.kind, `one of ${Object.values(WorkloadKind).join(', ')}`);
    }
    if (props.selectorLabels === null || typeof props.selectorLabels !== 'object' || Object.keys(props.selectorLabels).length === 0) {
      throw invalid(this, 'selectorLabels', props.selectorLabels, 'the labels that select exactly the workload\'s pods (at least one)');
    }
    validateLabels(this, 'selectorLabels', props.selectorLabels);
    this.workload = props.workload;
    this.tenant = props.tenant;
    this.kind = props.kind;
    const kind = props.kind;
    const profile = props.profile ?? Profile.PROD;
    this.pages = props.pages ?? profile.name !== 'dev';
    const longRunning = kind === WorkloadKind.WEB || kind === WorkloadKind.WORKER;

    const bounds = this.replicaBounds(props);
    const queueLengthTarget = props.queueLengthTarget ?? 5;
    validateInteger(this, 'queueLengthTarget', queueLengthTarget, 1, 100000);
    const startingDeadlineSeconds = props.startingDeadlineSeconds ?? 300;
    validateInteger(this, 'startingDeadlineSeconds', startingDeadlineSeconds, 10, 86400);
    if (props.queue !== undefined && kind !== WorkloadKind.WORKER) {
      throw invalid(this, 'queue', props.queue.queueName, 'no queue unless kind is WORKER (only workers scale on a queue)');
    }
    const queueName = props.queue?.queueName;
    if (queueName !== undefined && (typeof queueName !== 'string' || !/^[A-Za-z0-9_-]{1,80}(\.fifo)?$/.test(queueName))) {
      throw invalid(this, 'queue.queueName', queueName, 'an SQS queue name known at synth (letters, digits, "-" and "_")');
    }
    const autoscaler = longRunning ? props.autoscalerName ?? (queueName !== undefined ? `keda-hpa-${this.workload}` : this.workload) : undefined;
    if (props.autoscalerName !== undefined) {
      if (!longRunning) { throw invalid(this, 'autoscalerName', props.autoscalerName, 'no autoscaler for a CronJob or Job'); }
      validateDnsLabel(this, 'autoscalerName', props.autoscalerName);
    }
    const convention = props.convention ?? stack.requestConvention;
    if (convention !== undefined && !(convention instanceof SloConvention)) {
      throw invalid(this, 'convention', convention, 'an SloConvention');
    }

    // Scraping.
    const scrapeTarget = props.scrapeTarget ?? (kind === WorkloadKind.WEB ? ScrapeTarget.SERVICE : ScrapeTarget.POD);
    if (!Object.values(ScrapeTarget).includes(scrapeTarget)) {
      throw invalid(this, 'scrapeTarget', scrapeTarget, `one of ${Object.values(ScrapeTarget).join(', ')}`);
    }
    if (scrapeTarget === ScrapeTarget.SERVICE && kind !== WorkloadKind.WEB) {
      throw invalid(this, 'scrapeTarget', scrapeTarget, `ScrapeTarget.POD for a ${kind} (only a WEB workload has a Service)`);
    }
    if (props.metricsPort !== undefined) {
      const scrapeProps = {
        name: this.workload,
        selectorLabels: props.selectorLabels,
        port: props.metricsPort,
        path: props.metricsPath,
        interval: props.scrapeInterval,
        namespace: this.tenant,
        stack,
      };
      if (scrapeTarget === ScrapeTarget.SERVICE) {
        this.serviceMonitor = new ServiceMonitor(this, 'ServiceMonitor', scrapeProps);
      } else {
        this.podMonitor = new PodMonitor(this, 'PodMonitor', scrapeProps);
      }
    } else if (props.metricsPath !== undefined || props.scrapeInterval !== undefined || props.scrapeTarget !== undefined) {
      const property = props.metricsPath !== undefined ? 'metricsPath' : props.scrapeInterval !== undefined ? 'scrapeInterval' : 'scrapeTarget';
      throw invalid(this, property, (props as any)[property], 'no value without metricsPort (nothing is scraped)');
    }
    const scraped = props.metricsPort !== undefined;

    // Rules: identity of the workload, then SLOs, golden signals.
    this.rules = new PrometheusRules(this, 'Rules', {
      name: this.workload,
      tenant: this.tenant,
      ruleLabels: { workload: this.workload },
      stack,
      ticketsOnly: !this.pages,
    });
    const identity: { [label: string]: string } = { workload: this.workload };
    for (const [key, value] of Object.entries(props.selectorLabels)) { identity[sanitizeLabelName(key)] = value; }
    if (autoscaler !== undefined) { identity.horizontalpodautoscaler = autoscaler; }
    if (kind === WorkloadKind.CRON_JOB) { identity.cronjob = this.workload; }
    if (queueName !== undefined) {
      identity.scaledObject = this.workload;
      identity.dimension_QueueName = queueName;
    }
    this.rules._requireIdentity(identity);
    this.alertGroup = `${this.workload}-alerts`;

    const target: SloTarget = { namespace: this.tenant, workload: this.workload, labels: { ...props.selectorLabels } };
    // A convention of the workload's own metrics has no series for a workload nobody scrapes.
    const requests = convention !== undefined && (scraped || !convention.readsWorkloadMetrics)
      ? convention._bind(this, 'convention', target) : undefined;
    this.slos = this.addSlos(props.slos, target, convention, scraped);

    const goldenTarget: GoldenSignalTarget = {
      kind,
      namespace: this.tenant,
      workload: this.workload,
      exportedNamespaceLabel: stack.exportedNamespaceLabel,
      requests,
      autoscaler: bounds.fixed ? undefined : autoscaler,
      scaledObject: queueName !== undefined ? this.workload : undefined,
      queueName,
      queueBacklogDefault: bounds.max !== undefined ? queueLengthTarget * bounds.max : undefined,
      runOverdueDefault: startingDeadlineSeconds + 60,
    };
    const golden = `${this.workload}-golden-signals`;
    for (const rule of goldenSignalAlerts(goldenTarget, props.alerts ?? {})) {
      this.rules.addAlert(rule, golden);
    }

    if (props.dashboard ?? true) {
      this.dashboard = this.workloadDashboard(kind, requests, autoscaler, queueName, props.dependencies ?? [], stack);
      this.dashboardConfigMap = new DashboardConfigMap(this, 'Dashboard', {
        name: `${this.workload}-dashboard`,
        dashboard: this.dashboard,
        folder: this.tenant,
        stack,
      });
    } else if (props.dependencies !== undefined) {
      throw invalid(this, 'dependencies', props.dependencies.map(d => d.identifier), 'no value with dashboard: false (dependencies are shown on the dashboard)');
    }

    // Which tenant and workload each object watches, whatever its own name (kubectl get -l paved.dev/workload=orders).
    for (const object of [this.serviceMonitor?.resource, this.podMonitor?.resource, this.rules.resource, this.dashboardConfigMap?.resource]) {
      object?.metadata.addLabel(TENANT_LABEL, this.tenant);
      object?.metadata.addLabel(WORKLOAD_LABEL, this.workload);
    }

    recordDecision(this, 'monitoring.pages', String(this.pages), props.pages !== undefined ? 'override' : `profile ${profile.name}`);
    recordDecision(this, 'monitoring.alerts', this.rules.alertNames.join(', ') || 'none', props.alerts !== undefined ? 'override' : 'paved default');
    recordDecision(this, 'monitoring.slos', this.slos.map(s => `${s.name} ${s.objective}%/${s.periodDays}d`).join(', ') || 'none', 'declared');
    recordDecision(this, 'monitoring.dashboard', this.dashboardConfigMap ? `${this.tenant}/${this.dashboardConfigMap.uid}` : 'none',
      props.dashboard !== undefined ? 'override' : 'paved default');
  }

  /**
   * Adds a service owner's alert to the workload's rules (group
   * `<workload>-alerts`), with the workload's labels; its expression must
   * keep to the tenant's namespace and this workload.
   */
  public addAlert(rule: AlertRule): void {
    this.rules.addAlert(rule, this.alertGroup);
  }

  private replicaBounds(props: WorkloadMonitoringProps): { min?: number; max?: number; fixed: boolean } {
    validateInteger(this, 'minReplicas', props.minReplicas, 0, 1000);
    validateInteger(this, 'maxReplicas', props.maxReplicas, 1, 1000);
    if (props.minReplicas !== undefined && props.maxReplicas !== undefined && props.maxReplicas < props.minReplicas) {
      throw invalid(this, 'maxReplicas', props.maxReplicas, `at least minReplicas (${props.minReplicas})`);
    }
    const fixed = props.minReplicas !== undefined && props.minReplicas === props.maxReplicas;
    return { min: props.minReplicas, max: props.maxReplicas, fixed };
  }

  private addSlos(slos: Slo[] | undefined, target: SloTarget, convention: SloConvention | undefined, scraped: boolean): Slo[] {
    const list = slos ?? [];
    if (!Array.isArray(list)) { throw invalid(this, 'slos', list, 'a list of Slo'); }
    const names = new Set<string>();
    list.forEach((slo, i) => {
      if (!(slo instanceof Slo)) {
        throw invalid(this, `slos[${i}]`, slo, 'an Slo made with Slo.availability(), Slo.latency() or Slo.ratio()');
      }
      if (names.has(slo.name)) {
        throw invalid(this, `slos[${i}].name`, slo.name, 'a name no other SLO of the workload has');
      }
      names.add(slo.name);
      const reads = slo.kind === SloKind.RATIO ? undefined : slo.convention ?? convention;
      if (reads?.readsWorkloadMetrics && !scraped) {
        throw invalid(this, `slos[${i}]`, slo.name,
          `an SLO on a scraped workload: convention ${reads.name} reads the workload's own metrics, and it has no metrics port (set metricsPort)`);
      }
      addSloRules(slo, {
        rules: this.rules,
        prefix: this.workload,
        target,
        convention,
        identity: { namespace: this.tenant, workload: this.workload },
        property: `slos[${slo.name}]`,
      });
    });
    return [...list];
  }

  private workloadDashboard(kind: WorkloadKind, requests: ConventionQueries | undefined, autoscaler: string | undefined,
    queueName: string | undefined, dependencies: MonitoredDependency[], stack: MonitoringStack): Dashboard {
    const ns = promString(this.tenant);
    const pods = `namespace=${ns},pod=~${promString(podPattern(kind, this.workload))}`;
    const dashboard = new Dashboard({
      title: `${this.tenant} / ${this.workload}`,
      tags: ['paved', this.tenant, kind],
      description: `Golden signals, SLOs, resources and dependencies of ${kind} ${this.workload} in ${this.tenant}.`,
    });
    if (requests) {
      const panels = [
        DashboardPanel.timeSeries({ title: 'Requests', queries: [{ expr: requests.total('$__rate_interval'), legend: 'requests/s' }], unit: PanelUnit.REQUESTS_PER_SECOND, width: 8 }),
        DashboardPanel.timeSeries({
          title: 'Errors',
          queries: [{ expr: `${requests.errors('$__rate_interval')} / ${requests.total('$__rate_interval')}`, legend: 'error ratio' }],
          unit: PanelUnit.PERCENT_UNIT,
          min: 0,
          width: 8,
        }),
      ];
      if (requests.hasLatency) {
        panels.push(DashboardPanel.timeSeries({
          title: 'Latency',
          queries: [0.5, 0.9, 0.99].map(q => ({ expr: requests.quantile(q, '$__rate_interval'), legend: `p${promNumber(q * 100)}` })),
          unit: PanelUnit.SECONDS,
          width: 8,
        }));
      }
      dashboard.addRow('Golden signals', panels);
    }
    for (const slo of this.slos) {
      const filter = `{namespace=${ns},workload=${promString(this.workload)},slo=${promString(slo.name)}}`;
      dashboard.addRow(`SLO ${slo.name}: ${slo.description}`, [
        DashboardPanel.stat({
          title: 'Error budget remaining',
          queries: [{ expr: `slo:period_error_budget_remaining:ratio${filter}` }],
          unit: PanelUnit.PERCENT_UNIT,
          width: 6,
        }),
        DashboardPanel.stat({
          title: `SLI over ${slo.periodDays} days`,
          queries: [{ expr: `1 - ${sliRecord(slo.periodDays * 86400)}${filter}` }],
          unit: PanelUnit.PERCENT_UNIT,
          description: `Objective: ${slo.objective}%${slo.kind === SloKind.LATENCY ? ` of requests within ${slo.thresholdSeconds} s` : ''}.`,
          width: 6,
        }),
        DashboardPanel.timeSeries({
          title: 'Burn rate',
          queries: ['5m', '1h', '6h', '1d', '3d'].map(window => ({
            expr: `slo:sli_error:ratio_rate${window}${filter} / ignoring (slo_window) slo:error_budget:ratio${filter}`,
            legend: window,
          })),
          description: 'Error ratio over the error budget: 1 spends the budget in exactly the period. The page alert fires at 14.4 (1h and 5m) and 6 (6h and 30m) for 30 days.',
          unit: PanelUnit.SHORT,
          warningAbove: 1,
          width: 12,
        }),
      ]);
    }
    const byPod = (expr: string) => `sum by (pod) (${expr})`;
    dashboard.addRow('Resources', [
      DashboardPanel.timeSeries({
        title: 'CPU',
        queries: [
          { expr: byPod(`rate(container_cpu_usage_seconds_total{${pods},container!=""}[$__rate_interval])`), legend: '{{pod}} used' },
          { expr: byPod(`kube_pod_container_resource_requests{${pods},resource="cpu"}`), legend: '{{pod}} requested' },
          { expr: byPod(`kube_pod_container_resource_limits{${pods},resource="cpu"}`), legend: '{{pod}} limit' },
        ],
        unit: PanelUnit.SHORT,
        description: 'Cores used against the requests and limits of the pods\' containers.',
      }),
      DashboardPanel.timeSeries({
        title: 'Memory',
        queries: [
          { expr: byPod(`container_memory_working_set_bytes{${pods},container!=""}`), legend: '{{pod}} working set' },
          { expr: byPod(`kube_pod_container_resource_requests{${pods},resource="memory"}`), legend: '{{pod}} requested' },
          { expr: byPod(`kube_pod_container_resource_limits{${pods},resource="memory"}`), legend: '{{pod}} limit' },
        ],
        unit: PanelUnit.BYTES,
      }),
      DashboardPanel.timeSeries({
        title: 'CPU throttling',
        queries: [{
          expr: `${byPod(`increase(container_cpu_cfs_throttled_periods_total{${pods},container!=""}[$__rate_interval])`)} / ${byPod(`increase(container_cpu_cfs_periods_total{${pods},container!=""}[$__rate_interval])`)}`,
          legend: '{{pod}}',
        }],
        unit: PanelUnit.PERCENT_UNIT,
        warningAbove: 0.25,
      }),
      DashboardPanel.timeSeries({
        title: 'Restarts',
        queries: [{ expr: byPod(`increase(kube_pod_container_status_restarts_total{${pods}}[1h])`), legend: '{{pod}}' }],
        unit: PanelUnit.SHORT,
      }),
    ]);
    if (autoscaler !== undefined) {
      const hpa = `{namespace=${ns},horizontalpodautoscaler=${promString(autoscaler)}}`;
      const panels = [DashboardPanel.timeSeries({
        title: 'Replicas',
        queries: [
          { expr: `kube_horizontalpodautoscaler_status_current_replicas${hpa}`, legend: 'current' },
          { expr: `kube_horizontalpodautoscaler_status_desired_replicas${hpa}`, legend: 'desired' },
          { expr: `kube_horizontalpodautoscaler_spec_min_replicas${hpa}`, legend: 'min' },
          { expr: `kube_horizontalpodautoscaler_spec_max_replicas${hpa}`, legend: 'max' },
        ],
        unit: PanelUnit.SHORT,
      })];
      if (queueName !== undefined) {
        panels.push(DashboardPanel.timeSeries({
          title: 'Queue backlog (KEDA)',
          queries: [{ expr: `max(keda_scaler_metrics_value{${stack.exportedNamespaceLabel}=${ns},scaledObject=${promString(this.workload)}})`, legend: 'messages' }],
          unit: PanelUnit.SHORT,
        }));
      }
      dashboard.addRow('Scaling', panels);
    }
    if (kind === WorkloadKind.CRON_JOB) {
      const cron = `{namespace=${ns},cronjob=${promString(this.workload)}}`;
      dashboard.addRow('Runs', [
        DashboardPanel.stat({ title: 'Since last success', queries: [{ expr: `time() - kube_cronjob_status_last_successful_time${cron}` }], unit: PanelUnit.SECONDS, width: 8 }),
        DashboardPanel.stat({ title: 'Active runs', queries: [{ expr: `kube_cronjob_status_active${cron}` }], unit: PanelUnit.SHORT, width: 8 }),
        DashboardPanel.stat({
          title: 'Failed Jobs kept',
          queries: [{ expr: `count(kube_job_failed{namespace=${ns},job_name=~${promString(`${this.workload}-[0-9]+`)},condition="true"} == 1) or vector(0)` }],
          unit: PanelUnit.SHORT,
          width: 8,
        }),
      ]);
    }
    if (dependencies.length > 0) {
      dependencies.forEach((d, i) => {
        if (!(d instanceof MonitoredDependency)) {
          throw invalid(this, `dependencies[${i}]`, d, 'a MonitoredDependency (MonitoredDependency.rds(...), .elastiCache(...), .sqs(...))');
        }
      });
      dashboard.addRow('Dependencies', dependencies.flatMap(d => d._panels()));
    }
    return dashboard;
  }
}
