import { Construct } from 'constructs';
import { Dashboard, DashboardPanel, PanelUnit } from './dashboard';
import { DashboardConfigMap } from './dashboard-config-map';
import { MonitoringStack } from './monitoring-stack';
import { promString } from './promql';
import { checkedScope } from '../core/api-guard';
import { validateDnsLabel } from '../core/validation';

/** Properties of a {@link TenantDashboard}. */
export interface TenantDashboardProps {
  /** The tenant (namespace). */
  readonly tenant: string;
  /**
   * The monitoring stack.
   * @default new MonitoringStack()
   */
  readonly stack?: MonitoringStack;
}

/**
 * One dashboard per tenant, in the tenant's folder: firing alerts by
 * workload, every SLO's remaining error budget and burn rate, CPU and
 * memory by pod, quota use, restarts. It reads series by namespace only,
 * so it covers every workload of the tenant without listing them.
 */
export class TenantDashboard extends Construct {
  /** The tenant. */
  public readonly tenant: string;
  /** The dashboard model; add rows and panels until synth. */
  public readonly dashboard: Dashboard;
  /** The ConfigMap delivering it. */
  public readonly configMap: DashboardConfigMap;

  constructor(scope: Construct, id: string, props: TenantDashboardProps) {
    super(checkedScope(scope, 'TenantDashboard', arguments), id);
    validateDnsLabel(this, 'tenant', props.tenant);
    this.tenant = props.tenant;
    const ns = `namespace=${promString(props.tenant)}`;
    this.dashboard = new Dashboard({
      title: `${props.tenant} / overview`,
      tags: ['paved', props.tenant, 'tenant'],
      description: `Alerts, SLOs and resources of every workload of tenant ${props.tenant}.`,
    });
    this.dashboard.addRow('Alerts', [
      DashboardPanel.stat({ title: 'Critical alerts firing', queries: [{ expr: `count(ALERTS{${ns},alertstate="firing",severity="critical"}) or vector(0)` }], width: 6, criticalAbove: 1 }),
      DashboardPanel.stat({ title: 'Warnings firing', queries: [{ expr: `count(ALERTS{${ns},alertstate="firing",severity="warning"}) or vector(0)` }], width: 6, warningAbove: 1 }),
      DashboardPanel.timeSeries({ title: 'Firing alerts by workload', queries: [{ expr: `count by (workload, alertname) (ALERTS{${ns},alertstate="firing"})`, legend: '{{workload}} {{alertname}}' }], width: 12 }),
    ]);
    this.dashboard.addRow('SLOs', [
      DashboardPanel.timeSeries({
        title: 'Error budget remaining',
        queries: [{ expr: `slo:period_error_budget_remaining:ratio{${ns}}`, legend: '{{workload}} {{slo}}' }],
        unit: PanelUnit.PERCENT_UNIT,
        warningAbove: 0,
      }),
      DashboardPanel.timeSeries({
        title: 'Burn rate (5m)',
        queries: [{ expr: `slo:current_burn_rate:ratio{${ns}}`, legend: '{{workload}} {{slo}}' }],
        warningAbove: 1,
      }),
    ]);
    this.dashboard.addRow('Resources', [
      DashboardPanel.timeSeries({
        title: 'CPU by pod',
        queries: [{ expr: `sum by (pod) (rate(container_cpu_usage_seconds_total{${ns},container!=""}[$__rate_interval]))`, legend: '{{pod}}' }],
        width: 8,
      }),
      DashboardPanel.timeSeries({
        title: 'Memory by pod',
        queries: [{ expr: `sum by (pod) (container_memory_working_set_bytes{${ns},container!=""})`, legend: '{{pod}}' }],
        unit: PanelUnit.BYTES,
        width: 8,
      }),
      DashboardPanel.timeSeries({
        title: 'Quota used',
        queries: [{ expr: `max by (resource) (kube_resourcequota{${ns},type="used"}) / max by (resource) (kube_resourcequota{${ns},type="hard"} > 0)`, legend: '{{resource}}' }],
        unit: PanelUnit.PERCENT_UNIT,
        warningAbove: 0.8,
        criticalAbove: 0.95,
        width: 8,
      }),
      DashboardPanel.timeSeries({
        title: 'Restarts in the last hour',
        queries: [{ expr: `sum by (pod) (increase(kube_pod_container_status_restarts_total{${ns}}[1h])) > 0`, legend: '{{pod}}' }],
        width: 24,
      }),
    ]);
    this.configMap = new DashboardConfigMap(this, 'Resource', {
      name: `${props.tenant}-overview`,
      dashboard: this.dashboard,
      folder: props.tenant,
      stack: props.stack,
    });
  }
}
