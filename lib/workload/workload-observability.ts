import { Chart, Duration } from 'cdk8s';
import { Construct, IConstruct } from 'constructs';
import { PlatformMonitoring } from './platform-monitoring';
import { sharedResourceScope } from './shared-resource';
import { Mysql } from '../aws/mysql';
import { Postgres } from '../aws/postgres';
import { Queue } from '../aws/queue';
import { Redis } from '../aws/redis';
import { Environment } from '../core/environment';
import { invalid } from '../core/errors';
import { LookupKey } from '../core/lookup';
import { IScalingQueue } from '../core/scaling-queue';
import { IngressRule } from '../k8s/ingress-rule';
import { ServicePort } from '../k8s/service-port';
import { WorkloadAlertThresholds, WorkloadKind } from '../ops/golden-signals';
import { MonitoredDependency } from '../ops/monitored-dependency';
import { Slo } from '../ops/slo';
import { ScrapeTarget, WorkloadMonitoring } from '../ops/workload-monitoring';

/** How a workload serves Prometheus metrics. */
export interface WorkloadMetrics {
  /**
   * The container port serving the metrics: the workload's `port`, one of
   * its `additionalPorts`, or a port of one of its `containers`. A port the
   * Service forwards to is scraped through the Service (ServiceMonitor),
   * any other through the pods (PodMonitor). The NetworkPolicy admits the
   * monitoring stack's Prometheus on this port and on no other.
   */
  readonly port: number;
  /**
   * HTTP path of the metrics.
   * @default '/metrics'
   */
  readonly path?: string;
  /**
   * How often Prometheus scrapes them (5 s to 5 min).
   * @default Duration.seconds(30)
   */
  readonly interval?: Duration;
}

/**
 * What a workload declares to be observed. Every workload gets its
 * golden-signal and saturation alerts and its dashboard; these add
 * scraping, SLOs and changed thresholds.
 */
export interface WorkloadObservabilityProps {
  /**
   * Where the workload serves Prometheus metrics. Request alerts and SLOs
   * whose convention reads the workload's own metrics (the platform's
   * `SloConvention`, e.g. OpenTelemetry HTTP) need it.
   * @default - not scraped: alerts and the dashboard read cluster metrics (cAdvisor, kube-state-metrics) only
   */
  readonly metrics?: WorkloadMetrics;
  /**
   * Service level objectives, each with its recording rules,
   * multiwindow multi-burn-rate alerts and dashboard row. Availability and
   * latency SLOs read the environment's request convention
   * (`PlatformMonitoring` `stack.requestConvention`) unless they name their own.
   * @default - none
   */
  readonly slos?: Slo[];
  /**
   * Thresholds of the default alerts of the workload's kind, each changed
   * (`AlertThreshold.of`) or removed (`AlertThreshold.disabled()`).
   * @default - every default alert at its default threshold; a DEV profile turns pages into tickets
   */
  readonly alerts?: WorkloadAlertThresholds;
}

/**
 * What the workload layer knows of one workload, whatever its kind: enough
 * to scrape, alert on and chart it.
 * @internal
 */
export interface ObservedWorkload {
  /** The Workload construct: errors name it. */
  readonly scope: IConstruct;
  readonly environment: Environment;
  /** The chart of the workload's manifest; its monitoring objects join it. */
  readonly chart: Chart;
  readonly name: string;
  readonly tenant: string;
  readonly kind: WorkloadKind;
  /** Labels that select exactly the workload's pods (and its Service). */
  readonly selectorLabels: { [key: string]: string };
  /** The Service's ports (WEB); empty for kinds without a Service. */
  readonly servicePorts: ServicePort[];
  /** Every named TCP port of the pod's containers. */
  readonly containerPorts: { [name: string]: number };
  readonly minReplicas?: number;
  readonly maxReplicas?: number;
  /** Name of the autoscaler, when not the workload's (KEDA's `keda-hpa-<name>` is derived from `queue`). */
  readonly autoscalerName?: string;
  /** The queue a worker scales on. */
  readonly queue?: IScalingQueue;
  readonly queueLengthTarget?: number;
  /** A CronJob's starting deadline. */
  readonly startingDeadlineSeconds?: number;
  /** Where the workload's cloud resources were provisioned (its own and shared ones). */
  readonly resourceScopes: Construct[];
  /** Adds an ingress rule to the workload's NetworkPolicy through its rule methods. */
  readonly allowIngressFrom: (rule: IngressRule) => void;
}

/** The workload each resource a workload provisioned for itself belongs to, by the resource's construct path. */
const RESOURCE_WORKLOADS = new LookupKey<string>('resource-workloads');

/**
 * The workload `resource` was provisioned for (not a shared one); undefined for any other.
 * @internal
 */
export function workloadOfResource(env: Environment, resource: IConstruct): string | undefined {
  return env._lookup.get(RESOURCE_WORKLOADS, resource.node.path);
}

/** What {@link observeWorkload} decided. @internal */
export interface Observation {
  readonly monitoring: WorkloadMonitoring;
  /** The cloud resources found in the workload's resource scopes. */
  readonly dependencies: MonitoredDependency[];
}

/**
 * Makes what a workload of any kind gets to be observed: the
 * {@link WorkloadMonitoring} in its chart (scrape object, SLO and
 * golden-signal rules, dashboard with its database, cache and queue
 * panels), with the environment's monitoring stack, and the NetworkPolicy
 * rule that lets the stack's Prometheus scrape the metrics port.
 * @internal
 */
export function observeWorkload(workload: ObservedWorkload, props: WorkloadObservabilityProps): Observation {
  const env = workload.environment;
  const stack = PlatformMonitoring.stackOf(env);
  const scrape = props.metrics === undefined ? undefined : metricsPortOf(workload, props.metrics);
  const found = dataStoresIn(workload.resourceScopes);
  for (const construct of found.filter(c => c.node.scopes.includes(workload.scope))) {
    env._lookup.set(RESOURCE_WORKLOADS, construct.node.path, workload.name);
  }
  const dependencies = found.map(dependencyOf);
  const monitoring = new WorkloadMonitoring(workload.chart, 'Monitoring', {
    workload: workload.name,
    tenant: workload.tenant,
    kind: workload.kind,
    selectorLabels: workload.selectorLabels,
    metricsPort: scrape?.portName,
    scrapeTarget: scrape?.target,
    metricsPath: props.metrics?.path,
    scrapeInterval: props.metrics?.interval,
    profile: env.profile,
    minReplicas: workload.minReplicas,
    maxReplicas: workload.maxReplicas,
    autoscalerName: workload.autoscalerName,
    queue: workload.queue,
    queueLengthTarget: workload.queueLengthTarget,
    startingDeadlineSeconds: workload.startingDeadlineSeconds,
    slos: props.slos,
    alerts: props.alerts,
    dependencies: dependencies.length > 0 ? dependencies : undefined,
    stack,
  });
  if (scrape) {
    workload.allowIngressFrom({
      namespace: stack.scraper.namespace,
      podLabels: stack.scraper.podLabels,
      ports: [props.metrics!.port],
      description: `Prometheus (${stack.scraper.namespace}) scrapes ${props.metrics!.path ?? '/metrics'}`,
    });
  }
  return { monitoring, dependencies };
}

/**
 * The name of the metrics port and how it is scraped: through the
 * Service when a TCP port of it forwards there (WEB), else through the
 * pods, by the container port's name.
 */
function metricsPortOf(workload: ObservedWorkload, metrics: WorkloadMetrics): { portName: string; target: ScrapeTarget } {
  if (metrics === null || typeof metrics !== 'object') {
    throw invalid(workload.scope, 'metrics', metrics, '{ port, path?, interval? }');
  }
  const port = metrics.port;
  const viaService = workload.servicePorts.find(p => (p.protocol ?? 'TCP') === 'TCP' && (p.targetPort ?? p.port) === port);
  if (viaService) { return { portName: viaService.name, target: ScrapeTarget.SERVICE }; }
  const container = Object.entries(workload.containerPorts).find(([, number]) => number === port);
  if (container) { return { portName: container[0], target: ScrapeTarget.POD }; }
  const known = Object.entries(workload.containerPorts).map(([name, number]) => `${number} (${name})`);
  throw invalid(workload.scope, 'metrics.port', port,
    `a TCP port of the workload's containers: ${known.join(', ') || 'it has none'} (add it to additionalPorts to serve metrics on another port)`);
}

/**
 * Every TCP container port of a workload's pod by name: the main
 * container's `http` port and `additionalPorts`, and its sidecars' ports.
 * @internal
 */
export function containerPortsOf(props: {
  port?: number;
  additionalPorts?: { [name: string]: number };
  containers?: { ports?: { [name: string]: number } }[];
}): { [name: string]: number } {
  return Object.assign(props.port !== undefined ? { http: props.port } : {}, props.additionalPorts,
    ...(props.containers ?? []).map(c => c?.ports ?? {}));
}

/**
 * Where the resources of a workload were provisioned: `<workload>/<resource>`,
 * or `SharedResources/<type>-<id>` of its tenant's scope for a shared one.
 * @internal
 */
export function resourceScopesOf(workload: Construct, env: Environment, tenant: string,
  resources: { [name: string]: { readonly type: string; readonly id?: string } }): Construct[] {
  const tenantScope = env.tenantScope(tenant);
  return Object.entries(resources)
    .map(([name, resource]) => (resource.id !== undefined
      ? sharedResourceScope(tenantScope, resource.type, resource.id)
      : workload.node.tryFindChild(name)))
    .filter((c): c is Construct => c instanceof Construct);
}

type DataStore = Postgres | Mysql | Redis | Queue;

/** The paved data stores and queues made in `scopes`. */
function dataStoresIn(scopes: Construct[]): DataStore[] {
  // Each scope holds what one provisioner made for one resource: a handful of constructs.
  return scopes.flatMap(s => s.node.findAll())
    .filter((c): c is DataStore => c instanceof Postgres || c instanceof Mysql || c instanceof Redis || c instanceof Queue);
}

/** A data store as a dashboard dependency. */
function dependencyOf(store: DataStore): MonitoredDependency {
  if (store instanceof Redis) { return MonitoredDependency.elastiCache(store.replicationGroupId); }
  if (store instanceof Queue) { return MonitoredDependency.sqs(store.queueName); }
  return MonitoredDependency.rds(store.identifier);
}
