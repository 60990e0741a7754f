import { ApiObject, Chart, Duration } from 'cdk8s';
import { Construct, IConstruct } from 'constructs';
import { MonitoringStack } from './monitoring-stack';
import { promDuration } from './promql';
import { invalid } from '../core/errors';
import { validateDnsLabel } from '../core/validation';
import { appLabels, validateDnsSubdomain, validateLabels } from '../k8s/labels';
import { SyncWave, syncWaveAnnotation } from '../k8s/sync-wave';

/** What ServiceMonitor and PodMonitor share: which pods, which port, how often. */
export interface ScrapeProps {
  /**
   * Name of the object (a DNS subdomain).
   * @default - the construct id
   */
  readonly name?: string;
  /** Labels that select exactly the workload's Service (ServiceMonitor) or pods (PodMonitor); at least one. */
  readonly selectorLabels: { [key: string]: string };
  /** Name of the port serving the metrics: the Service's port name (ServiceMonitor) or the container's (PodMonitor). */
  readonly port: string;
  /**
   * Namespace of the Service or pods.
   * @default - the chart's namespace
   */
  readonly namespace?: string;
  /**
   * HTTP path of the metrics.
   * @default '/metrics'
   */
  readonly path?: string;
  /**
   * How often Prometheus scrapes (5 s to 5 min).
   * @default Duration.seconds(30)
   */
  readonly interval?: Duration;
  /**
   * Pod labels copied onto every scraped series (sanitized:
   * `app.kubernetes.io/name` becomes `app_kubernetes_io_name`), so
   * queries can select the workload whatever the target's job label.
   * @default - the keys of `selectorLabels`
   */
  readonly podTargetLabels?: string[];
  /**
   * The monitoring stack: discovery labels.
   * @default new MonitoringStack()
   */
  readonly stack?: MonitoringStack;
}

const PORT_NAME = /^(?=.*[a-z])[a-z0-9]([-a-z0-9]{0,13}[a-z0-9])?$/;
const PATH = /^\/[A-Za-z0-9\-._~/%]*$/;

/**
 * The validated endpoint settings of a ServiceMonitor or PodMonitor.
 * @internal
 */
export interface ScrapeEndpoint {
  readonly port: string;
  readonly path: string;
  readonly interval: string;
  readonly selectorLabels: { [key: string]: string };
  readonly podTargetLabels: string[];
}

/** @internal */
function scrapeEndpoint(scope: IConstruct, props: ScrapeProps): ScrapeEndpoint {
  const selectorLabels = props.selectorLabels;
  if (selectorLabels === null || typeof selectorLabels !== 'object' || Object.keys(selectorLabels).length === 0) {
    throw invalid(scope, 'selectorLabels', selectorLabels, 'at least one label selecting the workload (an empty selector scrapes every pod of the namespace)');
  }
  validateLabels(scope, 'selectorLabels', selectorLabels);
  if (typeof props.port !== 'string' || !PORT_NAME.test(props.port)) {
    throw invalid(scope, 'port', props.port, 'a port name: 1-15 lowercase letters, digits and dashes with at least one letter (scrapes select ports by name)');
  }
  const path = props.path ?? '/metrics';
  if (typeof path !== 'string' || !PATH.test(path)) {
    throw invalid(scope, 'path', path, 'a URL path starting with "/"');
  }
  const interval = props.interval ?? Duration.seconds(30);
  const seconds = interval instanceof Duration ? interval.toSeconds({ integral: false }) : NaN;
  if (!Number.isInteger(seconds) || seconds < 5 || seconds > 300) {
    throw invalid(scope, 'interval', interval instanceof Duration ? `${seconds}s` : interval, 'a Duration of whole seconds from 5 s to 5 min');
  }
  const podTargetLabels = props.podTargetLabels ?? Object.keys(selectorLabels);
  if (!Array.isArray(podTargetLabels)) {
    throw invalid(scope, 'podTargetLabels', podTargetLabels, 'a list of label keys');
  }
  validateLabels(scope, 'podTargetLabels', Object.fromEntries(podTargetLabels.map(key => [key, ''])));
  return { port: props.port, path, interval: promDuration(seconds), selectorLabels: { ...selectorLabels }, podTargetLabels: [...podTargetLabels] };
}

/**
 * Prometheus' name of a pod label copied to series: every character other
 * than a letter, digit or underscore becomes an underscore.
 * @internal
 */
export function sanitizeLabelName(key: string): string {
  return key.replace(/[^a-zA-Z0-9_]/g, '_');
}

/**
 * The ServiceMonitor or PodMonitor object (id `Resource`) of `scope`:
 * the selected workload in one namespace, one named port.
 * @internal
 */
export function scrapeObject(scope: Construct, kind: 'ServiceMonitor' | 'PodMonitor', name: string, props: ScrapeProps):
{ port: string; resource: ApiObject } {
  validateDnsSubdomain(scope, 'name', name);
  const endpoint = scrapeEndpoint(scope, props);
  if (props.namespace !== undefined) { validateDnsLabel(scope, 'namespace', props.namespace); }
  const namespace = props.namespace ?? Chart.of(scope).namespace;
  const stack = props.stack ?? new MonitoringStack();
  const endpoints = [{ port: endpoint.port, path: endpoint.path, interval: endpoint.interval, scheme: 'http' }];
  const resource = new ApiObject(scope, 'Resource', {
    apiVersion: 'monitoring.coreos.com/v1',
    kind,
    metadata: {
      name,
      labels: { ...appLabels({ name, component: 'monitoring', partOf: namespace }), ...stack.discoveryLabels },
      // After the workload it scrapes (Argo CD sync wave).
      annotations: syncWaveAnnotation(SyncWave.MONITORING),
    },
    spec: {
      selector: { matchLabels: endpoint.selectorLabels },
      ...(namespace !== undefined ? { namespaceSelector: { matchNames: [namespace] } } : {}),
      podTargetLabels: endpoint.podTargetLabels,
      ...(kind === 'ServiceMonitor' ? { endpoints } : { podMetricsEndpoints: endpoints }),
    },
  });
  return { port: endpoint.port, resource };
}
