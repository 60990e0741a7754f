import { Chart, Duration } from 'cdk8s';
import {
  AlertPack,
  AlertSeverity,
  CloudWatchAlertRules,
  MonitoredDependency,
  MonitoringStack,
  Platform,
  Profile,
  PrometheusRules,
  Resource,
  Slo,
  SloConvention,
  Workload,
  WorkloadKind,
  WorkloadMonitoring,
} from '../../../lib';
import { clusterEnvironment } from '../../support/gitops';
import { devEnvironment, prodEnvironment, testPlatform } from '../../support/synth';

/** A scaling queue as a paved Queue describes itself. */
export const BILLING_QUEUE = {
  queueUrl: 'https://sqs.eu-central-1.amazonaws.com/123456789012/prod-shop-billing',
  queueName: 'prod-shop-billing',
  region: 'eu-central-1',
  isPavedQueue: true,
};

const SELECTOR = (name: string) => ({ 'app.kubernetes.io/name': name, 'app.kubernetes.io/instance': name });

/**
 * The rule sets the promtool unit tests (`*.test.yaml` here) exercise: one
 * workload of each kind in tenant `shop` of a PROD environment, with SLOs
 * over 30 and 28 days, an alert pack, and the CloudWatch alarms of a
 * STAGING environment (a workload's database and queue, the NAT gateway)
 * as rules on the CloudWatch exporter's series. `promtool test rules`
 * feeds series into these rules and checks which alerts fire when.
 */
export function promtoolFixture(platform: Platform = testPlatform()): { [file: string]: PrometheusRules | AlertPack | CloudWatchAlertRules } {
  prodEnvironment(platform);
  devEnvironment(platform);
  const chart = new Chart(platform.kubernetes, 'shop', { namespace: 'shop', disableResourceNameHashes: true });
  const stack = new MonitoringStack({ requestConvention: SloConvention.openTelemetryHttp(), runbookBaseUrl: 'https://runbooks.example.com/alerts' });
  const orders = new WorkloadMonitoring(chart, 'orders', {
    workload: 'orders',
    tenant: 'shop',
    kind: WorkloadKind.WEB,
    selectorLabels: SELECTOR('orders'),
    metricsPort: 'http',
    profile: Profile.PROD,
    minReplicas: 2,
    maxReplicas: 6,
    slos: [
      Slo.availability({ name: 'availability', objective: 99.9 }),
      Slo.latency({ name: 'latency', objective: 99, thresholdSeconds: 0.5, period: Duration.days(28) }),
    ],
    dependencies: [MonitoredDependency.rds('prod-shop-orders-db')],
    stack,
  });
  orders.addAlert({
    name: 'OrdersPaymentsFailing',
    expr: 'sum(rate(payments_failed_total{namespace="shop",app_kubernetes_io_name="orders"}[5m])) > 1',
    summary: 'orders: payments fail',
    severity: AlertSeverity.CRITICAL,
    forDuration: Duration.minutes(5),
  });
  const billing = new WorkloadMonitoring(chart, 'billing', {
    workload: 'billing',
    tenant: 'shop',
    kind: WorkloadKind.WORKER,
    selectorLabels: SELECTOR('billing'),
    metricsPort: 'metrics',
    minReplicas: 2,
    maxReplicas: 6,
    queue: BILLING_QUEUE,
    stack,
  });
  const report = new WorkloadMonitoring(chart, 'report', {
    workload: 'report',
    tenant: 'shop',
    kind: WorkloadKind.CRON_JOB,
    selectorLabels: SELECTOR('report'),
    stack,
  });
  const migrate = new WorkloadMonitoring(chart, 'migrate', {
    workload: 'migrate',
    tenant: 'shop',
    kind: WorkloadKind.JOB,
    selectorLabels: SELECTOR('migrate'),
    stack,
    slos: [Slo.ratio({
      name: 'rows',
      objective: 99.5,
      period: Duration.days(7),
      errorQuery: 'sum(rate(migrate_rows_failed_total{namespace="{{namespace}}"}[{{window}}]))',
      totalQuery: 'sum(rate(migrate_rows_total{namespace="{{namespace}}"}[{{window}}]))',
    })],
  });
  const pack = new AlertPack(platform, 'postgres', { owner: 'dbaas', environments: ['prod', 'dev'], stack });
  pack.addAlert({
    name: 'PostgresStorageLow',
    expr: 'min by (dimension_DBInstanceIdentifier) (aws_rds_free_storage_space_average) < 5 * 1024 * 1024 * 1024',
    summary: 'RDS instance {{ $labels.dimension_DBInstanceIdentifier }} has less than 5 GiB free',
    forDuration: Duration.minutes(15),
  });
  const { env: staging, cluster } = clusterEnvironment(platform, 'staging', Profile.STAGING, '10.30.0.0/16');
  new Workload(staging, 'orders', {
    tenant: 'shop', image: 'ghcr.io/acme/orders:1.4.2', port: 8080, resources: { db: Resource.postgres(), jobs: Resource.of('queue') },
  });
  const cloudwatch = new CloudWatchAlertRules(new Chart(platform.kubernetes, 'cloudwatch', { namespace: 'monitoring' }), 'CloudWatchAlerts',
    { environment: staging, cluster });
  return {
    'orders': orders.rules, 'billing': billing.rules, 'report': report.rules, 'migrate': migrate.rules, 'alert-pack-postgres': pack, cloudwatch,
  };
}
