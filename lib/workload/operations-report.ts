import { alarmedResources } from '../aws/cloudwatch-alarms';
import { Environment } from '../core/environment';
import { LookupKey } from '../core/lookup';
import { Platform } from '../core/platform';
import { PlatformAlertRouting, TenantAlertRouting } from '../ops/alert-routing';
import { SloKind } from '../ops/slo';
import { TenantDashboard } from '../ops/tenant-dashboard';
import { WorkloadMonitoring } from '../ops/workload-monitoring';

const SECTION = new LookupKey<boolean>('operations-report-section');

/**
 * Adds the `Operations` section to report.md (once per platform): per
 * environment, each workload's scraping, SLOs, alerts and dashboard, each
 * tenant's receivers, the platform's routing and the CloudWatch alarms,
 * found in the environment's charts at synth.
 * @internal
 */
export function reportOperations(platform: Platform): void {
  platform._lookup.singleton(SECTION, 'operations', () => {
    platform.addReportSection('Operations', { render: () => operations(platform).join('\n') });
    return true;
  });
}

/** Per environment: each workload's scraping, SLOs, alerts and dashboard; each tenant's routing; the CloudWatch alarms. */
function operations(platform: Platform): string[] {
  const lines: string[] = [];
  for (const env of platform.terraform.node.children.filter((c): c is Environment => c instanceof Environment)) {
    // At synth, once everything is declared: the monitoring constructs of the environment's manifests.
    const constructs = platform._charts().filter(c => c.output === 'k8s' && c.segments[0] === env.name).flatMap(c => c.chart.node.findAll());
    const workloads = constructs.filter((c): c is WorkloadMonitoring => c instanceof WorkloadMonitoring);
    const dashboards = constructs.filter((c): c is TenantDashboard => c instanceof TenantDashboard);
    const routings = new Map(constructs.filter((c): c is TenantAlertRouting => c instanceof TenantAlertRouting).map(r => [r.tenant, r]));
    const tenants = dashboards.map(dashboard => ({ tenant: dashboard.tenant, dashboard, routing: routings.get(dashboard.tenant) }));
    const alarmed = alarmedResources(env);
    if (workloads.length + tenants.length + alarmed.length === 0) { continue; }
    const platformRouting = constructs.find((c): c is PlatformAlertRouting => c instanceof PlatformAlertRouting);
    lines.push(`### ${env.name}`, '');
    if (workloads.length > 0) {
      lines.push('| workload | kind | scraped | SLOs | alerts | dashboard |', '| --- | --- | --- | --- | --- | --- |');
      for (const m of workloads) {
        const scrape = m.serviceMonitor ? `ServiceMonitor, port ${m.serviceMonitor.port}` : m.podMonitor ? `PodMonitor, port ${m.podMonitor.port}` : 'no';
        const slos = m.slos.map(s => `${s.name}: ${s.objective}% over ${s.periodDays}d${s.kind === SloKind.LATENCY ? ` within ${s.thresholdSeconds} s` : ''}`)
          .join('<br>') || 'none';
        const alerts = `${m.rules.alertNames.length}${m.pages ? '' : ' (tickets only)'}: ${[...new Set(m.rules.alertNames)].join(', ')}`;
        const dashboard = m.dashboardConfigMap ? `${m.dashboardConfigMap.folder} / ${m.dashboardConfigMap.uid}` : 'none';
        lines.push(`| ${m.tenant}/${m.workload} | ${m.kind} | ${scrape} | ${slos} | ${alerts} | ${dashboard} |`);
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
