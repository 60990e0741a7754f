import { Chart } from 'cdk8s';
import { IConstruct } from 'constructs';
import { PlatformMonitoring } from './platform-monitoring';
import { Environment } from '../core/environment';
import { invalid } from '../core/errors';
import { Platform } from '../core/platform';
import { AlertReceiver } from '../ops/alert-receiver';
import { AlertGrouping, TenantAlertRouting } from '../ops/alert-routing';
import { TenantDashboard } from '../ops/tenant-dashboard';

/**
 * Where a tenant's alerts go: its own receivers, whose credentials are
 * Secrets Manager secrets under the tenant's path `paved/<env>/<tenant>/`
 * (e.g. `paved/prod/shop/alerting/slack`), read by the tenant's SecretStore.
 */
export interface TenantAlerting extends AlertGrouping {
  /** The tenant's receivers, at least one (`AlertReceiver.slack(...)`, `.pagerDuty(...)`, ...). */
  readonly receivers: AlertReceiver[];
  /**
   * Receiver of every alert of the tenant.
   * @default - the first of `receivers`
   */
  readonly defaultReceiver?: string;
  /**
   * Receiver that also gets `severity: critical` alerts (pages; DEV profiles never page).
   * @default - none: critical alerts go to the default receiver only
   */
  readonly pageReceiver?: string;
}

/** What a tenant gets to be observed. @internal */
export interface TenantObservation {
  readonly routing?: TenantAlertRouting;
  readonly dashboard: TenantDashboard;
}

/**
 * Adds a tenant's monitoring to its boundary chart (`k8s/<env>/<tenant>/tenant.k8s.yaml`,
 * delivered with the boundary): the tenant's dashboard and, with
 * `alerting`, its AlertmanagerConfig and the ExternalSecrets of its
 * receivers' credentials. Without `alerting` the tenant's alerts reach
 * the platform's default receiver (`PlatformMonitoring`).
 * @param scope the tenant's construct, named in errors and the report
 * @internal
 */
export function monitorTenant(scope: IConstruct, env: Environment, tenant: string, chart: Chart,
  alerting: TenantAlerting | undefined): TenantObservation {
  const stack = PlatformMonitoring.stackOf(env);
  const platform = Platform.of(env);
  const dashboard = new TenantDashboard(chart, 'Dashboard', { tenant, stack });
  if (alerting === undefined) {
    platform.recordDefault(scope, 'alerting.receivers', 'none: the platform\'s default receiver gets the tenant\'s alerts', 'paved default');
    return { dashboard };
  }
  if (alerting === null || typeof alerting !== 'object') {
    throw invalid(scope, 'alerting', alerting, '{ receivers, defaultReceiver?, pageReceiver? }');
  }
  const routing = new TenantAlertRouting(chart, 'Alerts', { ...alerting, tenant, environment: env.name, stack });
  PlatformMonitoring.of(env)?._routeTenant(tenant);
  platform.recordDefault(scope, 'alerting.receivers', alerting.receivers.map(r => `${r.name} (${r.kind})`).join(', '), 'tenant');
  return { routing, dashboard };
}
