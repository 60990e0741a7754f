import { ApiObject, Chart, Lazy } from 'cdk8s';
import { Construct } from 'constructs';
import { Dashboard } from './dashboard';
import { MonitoringStack } from './monitoring-stack';
import { checkedScope } from '../core/api-guard';
import { invalid } from '../core/errors';
import { Naming } from '../core/naming';
import { SpanMemo } from '../core/span-memo';
import { appLabels, validateDnsSubdomain } from '../k8s/labels';
import { SyncWave, syncWaveAnnotation } from '../k8s/sync-wave';

/** Properties of a {@link DashboardConfigMap}. */
export interface DashboardConfigMapProps {
  /** The dashboard. */
  readonly dashboard: Dashboard;
  /**
   * Name of the ConfigMap (a DNS subdomain).
   * @default - the construct id
   */
  readonly name?: string;
  /**
   * Grafana folder the dashboard is filed in (the sidecar's folder annotation).
   * @default - the chart's namespace (the tenant), else `General`
   */
  readonly folder?: string;
  /**
   * The monitoring stack: the sidecar's label and folder annotation.
   * @default new MonitoringStack()
   */
  readonly stack?: MonitoringStack;
}

/** What a ConfigMap may hold in all; a dashboard larger than this is refused at synth. */
const CONFIG_MAP_LIMIT_BYTES = 1024 * 1024 - 4096;
/** Grafana's longest dashboard uid. */
const UID_MAX = 40;
const FOLDER = /^[^/\\\s][^/\\]{0,99}$/;

/**
 * Delivers a {@link Dashboard} to Grafana as a ConfigMap its dashboard
 * sidecar loads: labelled `grafana_dashboard: "1"`, filed in the folder
 * named by the `grafana_folder` annotation (both configurable on the
 * monitoring stack), the JSON under `<name>.json`.
 *
 * ConfigMaps rather than Grafana Operator `GrafanaDashboard` resources:
 * kube-prometheus-stack's Grafana loads them with no further operator, they
 * are plain namespaced objects a tenant's Argo CD project may own, and
 * Grafana reloads them on change.
 */
export class DashboardConfigMap extends Construct {
  /** The dashboard. */
  public readonly dashboard: Dashboard;
  /** The Grafana uid of the dashboard. */
  public readonly uid: string;
  /** The folder it is filed in. */
  public readonly folder: string;
  /** The ConfigMap, for escape hatches. */
  public readonly resource: ApiObject;

  private readonly rendered = new SpanMemo<string>(this);

  constructor(scope: Construct, id: string, props: DashboardConfigMapProps) {
    super(checkedScope(scope, 'DashboardConfigMap', arguments), id);
    if (!(props?.dashboard instanceof Dashboard)) {
      throw invalid(this, 'dashboard', props?.dashboard, 'a Dashboard');
    }
    const stack = props.stack ?? new MonitoringStack();
    const name = props.name ?? id;
    validateDnsSubdomain(this, 'name', name);
    const namespace = Chart.of(this).namespace;
    this.folder = props.folder ?? namespace ?? 'General';
    if (typeof this.folder !== 'string' || !FOLDER.test(this.folder)) {
      throw invalid(this, 'folder', this.folder, 'a folder name of 1-100 characters without "/" or "\\"');
    }
    this.dashboard = props.dashboard;
    const derived = `${namespace ?? 'cluster'}-${name}`;
    this.uid = props.dashboard.uid ?? (derived.length <= UID_MAX ? derived : Naming.name([derived], { maxLength: UID_MAX }));
    const file = `${name}.json`;
    this.resource = new ApiObject(this, 'Resource', {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: {
        name,
        labels: {
          ...appLabels({ name, component: 'dashboard', partOf: namespace }),
          ...stack.discoveryLabels,
          [stack.dashboardLabel]: stack.dashboardLabelValue,
        },
        annotations: { [stack.dashboardFolderAnnotation]: this.folder, ...syncWaveAnnotation(SyncWave.MONITORING) },
      },
      data: { [file]: Lazy.any({ produce: () => this.render() }) },
    });
    this.node.addValidation({
      validate: () => {
        const size = Buffer.byteLength(this.render());
        return size > CONFIG_MAP_LIMIT_BYTES
          ? [`dashboard ${JSON.stringify(this.dashboard.title)} is ${size} bytes of JSON; a ConfigMap holds at most ${CONFIG_MAP_LIMIT_BYTES}: split it`]
          : [];
      },
    });
  }

  /** The dashboard's JSON, kept for the rest of a span of validation or synthesis (the size check and the ConfigMap both read it). */
  private render(): string {
    return this.rendered.get(() => JSON.stringify(this.dashboard.toJson(this.uid), undefined, 2));
  }
}
