import { PlatformMonitoring } from './platform-monitoring';
import { alarmedResources } from '../aws/cloudwatch-alarms';
import { Environment } from '../core/environment';
import { LookupKey } from '../core/lookup';
import { Platform } from '../core/platform';
import { TenantAlertRouting } from '../ops/alert-routing';
import { SloKind } from '../ops/slo';
import { TenantDashboard } from '../ops/tenant-dashboard';
import { WorkloadMonitoring } from '../ops/workload-monitoring';

/** One observed workload of an environment, for the report. */
interface ObservedEntry {
  readonly kind: string;
  readonly monitoring: WorkloadMonitoring;
}

/** One tenant's routing and dashboard, for the report. */
interface TenantEntry {
  readonly tenant: string;
  readonly routing?: TenantAlertRouting;
  readonly dashboard: TenantDashboard;
}

const WORKLOADS = new LookupKey<ObservedEntry>('observed-workloads');
const TENANTS = new LookupKey<TenantEntry>('observed-tenants');
const SECTION = new LookupKey<boolean>('operations-report-section');

/**
 * Records a workload's monitoring for the `Operations` section of report.md.
 * @internal
 */
export function reportWorkload(env: Environment, kind: string, monitoring: WorkloadMonitoring): void {
  env._lookup.add(WORKLOADS, { kind, monitoring });
  addSection(env.platform);
}

/**
 * Records a tenant's routing and dashboard for the `Operations` section of report.md.
 * @internal
 */
export function reportTenant(env: Environment, tenant: string, routing: TenantAlertRouting | undefined, dashboard: TenantDashboard): void {
  env._lookup.add(TENANTS, { tenant, routing, dashboard });
  addSection(env.platform);
}

function addSection(platform: Platform): void {
  platform._lookup.singleton(SECTION, 'operations', () => {
    platform._addReportSection({ title: 'Operations', render: () => operations(platform) });
    return true;
  });
}

/** Per environment: each workload's scraping, SLOs, alerts and dashboard; each tenant's routing; the CloudWatch alarms. */
function operations(platform: Platform): string[] {
  const lines: string[] = [];
  for (const env of platform.terraform.node.children.filter((c): c is Environment => c instanceof Environment)) {
    const workloads = env._lookup.list(WORKLOADS);
    const tenants = env._lookup.list(TENANTS);
    const alarmed = alarmedResources(env);
    if (workloads.length + tenants.length + alarmed.length === 0) { continue; }
    const platformRouting = PlatformMonitoring.of(env)?.routing;
    lines.push(`### ${env.name}`, '');
    if (workloads.length > 0) {
      lines.push('| workload | kind | scraped | SLOs | alerts | dashboard |', '| --- | --- | --- | --- | --- | --- |');
      for (const { kind, monitoring: m } of workloads) {
        const scrape = m.serviceMonitor ? `ServiceMonitor, port ${m.serviceMonitor.port}` : m.podMonitor ? `PodMonitor, port ${m.podMonitor.port}` : 'no';
        const slos = m.slos.map(s => `${s.name}: ${s.objective}% over ${s.periodDays}d${s.kind === SloKind.LATENCY ? ` within ${s.thresholdSeconds} s` : ''}`)
          .join('<br>') || 'none';
        const alerts = `${m.rules.alertNames.length}${m.pages ? '' : ' (tickets only)'}: ${[...new Set(m.rules.alertNames)].join(', ')}`;
        const dashboard = m.dashboardConfigMap ? `${m.dashboardConfigMap.folder} / ${m.dashboardConfigMap.uid}` : 'none';
        lines.push(`| ${m.tenant}/${m.workload} | ${kind} | ${scrape} | ${slos} | ${alerts} | ${dashboard} |`);
      }
      lines.push('');
    }
    if (tenants.length > 0) {
      const fallback = platformRouting ? 'the platform\'s default receiver' : 'none (no platform routing)';
      lines.push('| tenant | receivers | dashboard |', '| --- | --- | --- |');
      for (const { tenant, routing, dashboard } of tenants) {
        const receivers = routing ? Object.keys(routing.externalSecrets).join(', ') : fallback;
        lines.push(`| ${tenant} | ${receivers} | ${dashboard.configMap.folder} / ${dashboard.configMap.uid} |`);
      }
      lines.push('');
    }
    if (platformRouting) {
      lines.push(`Platform receivers (${platformRouting.name}): ${Object.keys(platformRouting.externalSecrets).join(', ')}; `
        + `tenants routing their own alerts: ${platformRouting.routedTenants.join(', ') || 'none'}.`, '');
    }
    if (alarmed.length > 0) {
      const byTopic = new Map<string, number>();
      for (const resource of alarmed) {
        for (const arn of resource.topicArns) { byTopic.set(arn, (byTopic.get(arn) ?? 0) + resource.definitions.length); }
      }
      const topics = [...byTopic].map(([arn, count]) => `${arn.split(':').pop()} (${count})`);
      lines.push(`CloudWatch alarms: ${alarmed.reduce((n, r) => n + r.definitions.length, 0)} on ${alarmed.length} resources, notifying ${topics.join(', ')}.`, '');
    }
  }
  return lines.length > 0 ? lines : ['None.'];
}
