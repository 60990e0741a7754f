import { IConstruct } from 'constructs';
import { SloConvention } from './slo-convention';
import { checkArguments } from '../core/api-guard';
import { invalid } from '../core/errors';
import { validateDnsLabel } from '../core/validation';
import { isQualifiedName, validateLabels } from '../k8s/labels';
import { validateLiteral } from '../k8s/literal';
import { MetricsScraper } from '../k8s/metrics-scraper';

/** How the platform's monitoring stack is installed: set once, passed to every ops construct. */
export interface MonitoringStackProps {
  /**
   * Namespace of Prometheus, Alertmanager and Grafana; platform-wide
   * objects (alert packs, the platform's alert routing) go there.
   * @default 'monitoring'
   */
  readonly namespace?: string;
  /**
   * The Prometheus pods a workload's NetworkPolicy admits on its metrics port.
   * @default MetricsScraper.kubePrometheusStack() — pods `app.kubernetes.io/name: prometheus` in `namespace`
   */
  readonly scraper?: MetricsScraper;
  /**
   * Labels put on every ServiceMonitor, PodMonitor, PrometheusRule and
   * AlertmanagerConfig so the Prometheus Operator selects them, e.g.
   * `{ release: 'kube-prometheus-stack' }` when its selectors are left at
   * the chart's defaults.
   * @default - none: the stack selects these objects in every namespace regardless of labels
   */
  readonly discoveryLabels?: { [key: string]: string };
  /**
   * Label that marks a ConfigMap as a dashboard for the Grafana sidecar
   * (`grafana.sidecar.dashboards.label`).
   * @default 'grafana_dashboard'
   */
  readonly dashboardLabel?: string;
  /**
   * Value of `dashboardLabel` (`grafana.sidecar.dashboards.labelValue`).
   * @default '1'
   */
  readonly dashboardLabelValue?: string;
  /**
   * Annotation naming a dashboard's Grafana folder
   * (`grafana.sidecar.dashboards.folderAnnotation`, with
   * `provider.foldersFromFilesStructure: true`).
   * @default 'grafana_folder'
   */
  readonly dashboardFolderAnnotation?: string;
  /**
   * Label holding an exporter's own `namespace` label when the exporter is
   * scraped without `honorLabels` (KEDA's operator, ingress-nginx): the
   * target's namespace takes `namespace` and Prometheus renames the series'
   * label to this.
   * @default 'exported_namespace'
   */
  readonly exportedNamespaceLabel?: string;
  /**
   * How request metrics are named on this platform (ingress controller,
   * mesh or application library): the default indicator of availability
   * and latency SLOs and of the error-ratio and latency alerts.
   * @default - none: SLOs and workloads name their convention themselves; without one no request alerts are made
   */
  readonly requestConvention?: SloConvention;
  /**
   * Base URL of the runbooks: an alert's `runbook_url` annotation is
   * `<runbookBaseUrl>/<alert name>` unless the alert gives its own.
   * @default - no runbook_url annotation
   */
  readonly runbookBaseUrl?: string;
}

const WHERE = 'MonitoringStack';
const LABEL_NAME = /^[a-zA-Z_][a-zA-Z0-9_]*$/;

/**
 * The monitoring stack workloads report to: where it runs, how its operator
 * discovers objects, how Grafana loads dashboards, the platform's request
 * metrics convention and runbooks.
 *
 * The defaults fit kube-prometheus-stack (Prometheus Operator, Prometheus,
 * Alertmanager, Grafana with its dashboard sidecar) in namespace
 * `monitoring`, with the chart values: `grafana.sidecar.dashboards`
 * `{ enabled: true, label: grafana_dashboard, labelValue: "1",
 * searchNamespace: ALL, folderAnnotation: grafana_folder,
 * provider: { foldersFromFilesStructure: true } }` and the Prometheus
 * selectors (`serviceMonitorSelectorNilUsesHelmValues`,
 * `podMonitorSelectorNilUsesHelmValues`, `ruleSelectorNilUsesHelmValues`)
 * set to false, or `discoveryLabels` matching them.
 */
export class MonitoringStack {
  /** Namespace of the stack. */
  public readonly namespace: string;
  /** The Prometheus pods NetworkPolicies admit. */
  public readonly scraper: MetricsScraper;
  /** Labels on every monitoring object. */
  public readonly discoveryLabels: { [key: string]: string };
  /** Label marking dashboard ConfigMaps. */
  public readonly dashboardLabel: string;
  /** Value of the dashboard label. */
  public readonly dashboardLabelValue: string;
  /** Annotation naming a dashboard's folder. */
  public readonly dashboardFolderAnnotation: string;
  /** Label of an exporter's renamed `namespace` label. */
  public readonly exportedNamespaceLabel: string;
  /** Default request metrics convention; undefined when none is set. */
  public readonly requestConvention?: SloConvention;
  /** Base URL of the runbooks; undefined when none is set. */
  public readonly runbookBaseUrl?: string;

  constructor(props: MonitoringStackProps = {}) {
    checkArguments('MonitoringStack', arguments);
    this.namespace = props.namespace ?? 'monitoring';
    validateLiteral(WHERE, 'namespace', this.namespace);
    validateDnsLabel(WHERE, 'namespace', this.namespace);
    this.scraper = props.scraper ?? MetricsScraper.of({ namespace: this.namespace });
    if (!(this.scraper instanceof MetricsScraper)) {
      throw invalid(WHERE, 'scraper', this.scraper, 'a MetricsScraper');
    }
    this.discoveryLabels = { ...props.discoveryLabels };
    validateLabels(WHERE, 'discoveryLabels', this.discoveryLabels);
    this.dashboardLabel = props.dashboardLabel ?? 'grafana_dashboard';
    if (!isQualifiedName(this.dashboardLabel)) {
      throw invalid(WHERE, 'dashboardLabel', this.dashboardLabel, 'a label key');
    }
    this.dashboardLabelValue = props.dashboardLabelValue ?? '1';
    validateLabels(WHERE, 'dashboardLabelValue', { [this.dashboardLabel]: this.dashboardLabelValue });
    this.dashboardFolderAnnotation = props.dashboardFolderAnnotation ?? 'grafana_folder';
    if (!isQualifiedName(this.dashboardFolderAnnotation)) {
      throw invalid(WHERE, 'dashboardFolderAnnotation', this.dashboardFolderAnnotation, 'an annotation key');
    }
    this.exportedNamespaceLabel = props.exportedNamespaceLabel ?? 'exported_namespace';
    if (!LABEL_NAME.test(this.exportedNamespaceLabel)) {
      throw invalid(WHERE, 'exportedNamespaceLabel', this.exportedNamespaceLabel, 'a Prometheus label name ([a-zA-Z_][a-zA-Z0-9_]*)');
    }
    if (props.requestConvention !== undefined && !(props.requestConvention instanceof SloConvention)) {
      throw invalid(WHERE, 'requestConvention', props.requestConvention, 'an SloConvention');
    }
    this.requestConvention = props.requestConvention;
    this.runbookBaseUrl = props.runbookBaseUrl === undefined ? undefined : validateUrl(WHERE, 'runbookBaseUrl', props.runbookBaseUrl).replace(/\/+$/, '');
  }
}

/**
 * Fails unless `url` is an absolute http(s) URL without spaces; returns it.
 * @internal
 */
export function validateUrl(scope: string | IConstruct, property: string, url: string): string {
  validateLiteral(scope, property, url);
  if (typeof url !== 'string' || !/^https?:\/\/[^\s/$.?#][^\s]*$/.test(url)) {
    throw invalid(scope, property, url, 'an absolute http:// or https:// URL without spaces');
  }
  return url;
}
