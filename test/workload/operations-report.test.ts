import * as fs from 'fs';
import * as path from 'path';
import {
  AlertReceiver, MonitoringStack, PlatformMonitoring, ReceiverSecret, Resource, Slo, SloConvention, TenantSecretAccess, Workload,
} from '../../lib';
import { testPlatform, workloadEnvironment } from '../support/synth';

const slack = (name: string, key: string) => AlertReceiver.slack({ name, webhookUrl: ReceiverSecret.fromSecretsManager(key, 'url') });

describe('report.md: Operations', () => {
  test('per workload its scraping, SLOs, alerts and dashboard; per tenant its receivers; the platform\'s routing and the CloudWatch alarms', () => {
    // GIVEN
    const platform = testPlatform();
    const env = workloadEnvironment(platform);
    new PlatformMonitoring(env, 'Monitoring', {
      stack: new MonitoringStack({ requestConvention: SloConvention.openTelemetryHttp() }),
      receivers: [slack('platform', 'paved/dev/platform/alerting/slack')],
    });
    TenantSecretAccess.declare(env, 'shop', { alerting: { receivers: [slack('shop-chat', 'paved/dev/shop/alerting/slack')] } });
    new Workload(env, 'orders', {
      tenant: 'shop',
      image: 'ghcr.io/acme/orders:1.4.2',
      port: 8080,
      metrics: { port: 8080 },
      resources: { db: Resource.postgres() },
      slos: [Slo.latency({ name: 'latency', objective: 99, thresholdSeconds: 0.5 })],
    });
    new Workload(env, 'insights', { tenant: 'analytics', image: 'ghcr.io/acme/insights:2.1.0', port: 8080 });
    // WHEN
    platform.synth();
    // THEN
    const report = fs.readFileSync(path.join(platform.outdir, 'report.md'), 'utf8');
    const section = report.slice(report.indexOf('## Operations'), report.indexOf('## Defaults chosen'));
    expect(section).toContain('### dev');
    expect(section).toContain('| shop/orders | web | ServiceMonitor, port http | latency: 99% over 30d within 0.5 s | 9 (tickets only): SloErrorBudgetBurnFast, SloErrorBudgetBurnSlow, WorkloadErrorRatioHigh, WorkloadLatencyHigh, ');
    expect(section).toContain('| shop / shop-orders-dashboard |');
    expect(section).toContain('| analytics/insights | web | no | none |');
    expect(section).toContain('| shop | shop-chat | shop / shop-shop-overview |');
    expect(section).toContain('| analytics | the platform\'s default receiver | analytics / analytics-analytics-overview |');
    expect(section).toContain('Platform receivers (platform-alerts): platform; tenants routing their own alerts: shop.');
    expect(section).toMatch(/CloudWatch alarms: 6 on 2 resources, notifying paved-dev-platform-alarms \(2\), paved-dev-shop-alarms \(4\)\./);
  });
});
