/**
 * The bundled example platform: a DEV and a PROD environment, each with its
 * network, EKS clusters (PROD has a second one for batch analytics), DNS
 * zone, certificate and image registry in its foundation stack (`dev`,
 * `prod`), delivered by Argo CD from https://github.com/acme/platform.git
 * (a bootstrap stack `bootstrap-<cluster>` per cluster installs it), and two
 * tenants, each in a stack of its own (`dev-shop`, `prod-analytics`, ...):
 *   - `shop`, on each environment's main cluster, running
 *     - `orders`, a web app with its own Postgres, cache and bucket (the golden path),
 *       that queues jobs,
 *     - `orders-worker`, a worker that consumes them, scaled by KEDA on the queue's depth,
 *     - `orders-report`, a nightly job;
 *   - `analytics`, on PROD's batch cluster (DEV's one cluster), running `insights`.
 * A Portal writes the Backstage catalog and templates (catalog/), the platform page (site/index.html)
 * and the cost estimate (report.md).
 * Operations as code: each environment's PlatformMonitoring sets the request
 * convention (OpenTelemetry HTTP) and the platform team's receivers; `shop`
 * routes its own alerts; `orders` is scraped and has an availability and a
 * latency SLO; the worker is scraped on its metrics port; the database team
 * ships an alert pack to both environments; every data store has its
 * CloudWatch alarms, which the CloudWatch exporter turns into Prometheus rules.
 * `npm run example` synthesizes it into out/ and prints a summary. The cdktf
 * CLI runs it too, through cdktf.json (`npx cdktf synth` in this folder):
 * the Terraform JSON then goes to cdktf.out/ and the rest beside it.
 */
import * as path from 'path';
import { Duration } from 'cdk8s';
import {
  Addon, AlertPack, AlertReceiver, BootstrapSecret, Certificate, Cluster, ContainerRegistry, Dns, Environment, GitOps, Grantee, Kind,
  MonitoringStack, Network, Platform, PlatformMonitoring, Portal, Probe, Profile, ReceiverSecret, RepositoryCredentials, Resource, Size, Slo,
  SloConvention, StackLayout, SynthResult, TenantSecretAccess, TerraformState, WorkerScaling, Workload,
} from '../../lib';

const ACCOUNTS: { [env: string]: string } = { dev: '111111111111', prod: '222222222222' };
/** Images are pinned by digest, so what runs is exactly what was scanned. */
const ORDERS_IMAGE = 'ghcr.io/acme/orders:1.4.2@sha256:3f1d0b9c8e7a6d5c4b3a29180f7e6d5c4b3a29180f7e6d5c4b3a29180f7e6d5c';
const WORKER_IMAGE = 'ghcr.io/acme/orders-worker:1.4.2@sha256:8a7b6c5d4e3f2a1b0c9d8e7f6a5b4c3d2e1f0a9b8c7d6e5f4a3b2c1d0e9f8a7b';
const INSIGHTS_IMAGE = 'ghcr.io/acme/insights:2.1.0@sha256:5e4d3c2b1a0f9e8d7c6b5a49382716f5e4d3c2b1a0f9e8d7c6b5a49382716f5e';
const REPORT_IMAGE = 'ghcr.io/acme/orders-report:1.0.3@sha256:0c1d2e3f4a5b6c7d8e9f0a1b2c3d4e5f6a7b8c9d0e1f2a3b4c5d6e7f8a9b0c1d';

/**
 * @param stackLayout how each environment splits its Terraform: the per-tenant default, or one stack
 */
export function buildPlatform(outdir: string, stackLayout: StackLayout = StackLayout.PER_TENANT): Platform {
  const platform = new Platform({ outdir });
  const environments: { env: Environment; main: Cluster; batch: Cluster }[] = [];
  for (const [name, profile, cidr] of [['dev', Profile.DEV, '10.10.0.0/16'], ['prod', Profile.PROD, '10.20.0.0/16']] as const) {
    // Examples keep state locally; real environments default to encrypted S3 state.
    const env = new Environment(platform, name, {
      account: ACCOUNTS[name],
      region: 'eu-central-1',
      profile,
      state: TerraformState.local(),
      tags: { 'team': 'platform', 'cost-center': 'cc-1001' },
      stackLayout,
    });
    environments.push({ env, ...buildInfrastructure(env, cidr) });
    buildMonitoring(env);
  }

  // Every cluster gets Argo CD once (a bootstrap stack each); from then on Argo CD syncs the
  // addons, the tenants and their workloads from the repository the pipeline commits out/ to.
  new GitOps(platform, 'GitOps', {
    repoUrl: 'https://github.com/acme/platform.git',
    credentials: RepositoryCredentials.fromSecretsManager('paved/platform/git'),
    addons: [...Addon.defaults(), Addon.externalDns()],
    argoCd: {
      url: 'https://argocd.{environment}.acme.io',
      oidc: {
        issuer: 'https://acme.okta.com',
        clientId: 'argocd',
        clientSecret: BootstrapSecret.fromSecretsManager('paved/platform/argocd-oidc', { jsonKey: 'clientSecret' }),
      },
      adminGroups: ['platform-team'],
      readOnlyGroups: ['developers'],
    },
  });

  for (const { env, main, batch } of environments) { buildTenants(env, main, batch); }

  // The database team's rules for every PostgreSQL of both environments, routed to its own receiver.
  const postgres = new AlertPack(platform, 'postgres', { owner: 'dbaas', environments: ['dev', 'prod'] });
  postgres.addAlert({
    name: 'PostgresConnectionsSaturated',
    expr: 'max by (dimension_DBInstanceIdentifier) (aws_rds_database_connections_average) > 300',
    summary: 'RDS instance {{ $labels.dimension_DBInstanceIdentifier }} holds {{ $value }} connections',
    description: 'More connections than a db.t4g.medium serves well: pool them (PgBouncer) or move to a larger size.',
    forDuration: Duration.minutes(15),
  });

  // What people and portals see: a Backstage catalog with a "new workload" template (pull requests to
  // the platform repository), the platform page with its diagram, and a cost estimate in report.md.
  new Portal(platform, 'Portal', {
    title: 'acme platform',
    platformOwner: 'group:default/platform-team',
    grafanaUrl: 'https://grafana.{environment}.acme.io',
  });
  return platform;
}

/**
 * How each environment is observed, declared before its tenants and the GitOps
 * construct: the request metrics convention every SLO reads, the runbooks, and
 * the platform team's receivers (credentials in Secrets Manager under
 * paved/<env>/platform/).
 */
function buildMonitoring(env: Environment): void {
  const secret = (name: string, property?: string) => ReceiverSecret.fromSecretsManager(`paved/${env.name}/platform/alerting/${name}`, property);
  new PlatformMonitoring(env, 'Monitoring', {
    stack: new MonitoringStack({ requestConvention: SloConvention.openTelemetryHttp(), runbookBaseUrl: 'https://runbooks.acme.io/alerts' }),
    receivers: [
      AlertReceiver.slack({ name: 'platform-chat', webhookUrl: secret('slack', 'url'), channel: '#platform-alerts' }),
      AlertReceiver.pagerDuty({ name: 'platform-oncall', routingKey: secret('pagerduty') }),
      AlertReceiver.slack({ name: 'dbaas-chat', webhookUrl: secret('dbaas-slack', 'url'), channel: '#dbaas-alerts' }),
    ],
    pageReceiver: 'platform-oncall',
    ownerReceivers: { dbaas: 'dbaas-chat' },
  });
}

/** What the platform team sets up once per environment. */
function buildInfrastructure(env: Environment, cidr: string): { main: Cluster; batch: Cluster } {
  new Network(env, 'Network', { cidr });
  const adminRoleArns = [`arn:aws:iam::${env.account}:role/platform-admin`];
  const main = new Cluster(env, 'Cluster', { adminRoleArns });
  // Production keeps batch analytics off the cluster that serves customers.
  const batch = env.profile.isProduction ? new Cluster(env, 'Batch', { adminRoleArns, size: Size.S }) : main;
  const dns = new Dns(env, 'Dns', { zoneName: `${env.name}.acme.io` });
  new Certificate(env, 'OrdersCertificate', { dns, domainName: `orders.${env.name}.acme.io` });
  const registry = new ContainerRegistry(env, 'OrdersRegistry', { repositoryName: 'shop/orders' });
  for (const cluster of new Set([main, batch])) { registry.grantPull(cluster.nodeIdentity); }
  registry.grantPush(Grantee.fromRoleArn(env, 'CiShop', `arn:aws:iam::${env.account}:role/ci-shop`));
  return { main, batch };
}

/** The tenants, each placed on its cluster and in its own stack, and what their teams declare. */
function buildTenants(env: Environment, main: Cluster, batch: Cluster): void {
  const shopSecret = (name: string, property?: string) => ReceiverSecret.fromSecretsManager(`paved/${env.name}/shop/alerting/${name}`, property);
  TenantSecretAccess.declare(env, 'shop', {
    clusters: [main],
    deployerGroups: ['shop-developers'],
    owner: 'group:default/shop-team',
    // The shop team's alerts go to its own channel, pages to its on-call.
    alerting: {
      receivers: [
        AlertReceiver.slack({ name: 'shop-chat', webhookUrl: shopSecret('slack', 'url'), channel: '#shop-alerts' }),
        AlertReceiver.pagerDuty({ name: 'shop-oncall', routingKey: shopSecret('pagerduty') }),
      ],
      pageReceiver: 'shop-oncall',
    },
  });
  TenantSecretAccess.declare(env, 'analytics', { clusters: [batch], readOnlyGroups: ['analysts'], owner: 'group:default/analytics-team' });

  // The shop team: the golden path. The orders web app queues jobs that its worker consumes: both
  // declare the queue with one id (and one size), so it is made once and each gets its own grants and Secret.
  const jobs = Resource.queue({ id: 'orders-jobs', size: Size.M });
  new Workload(env, 'orders', {
    tenant: 'shop',
    image: ORDERS_IMAGE,
    port: 8080,
    host: `orders.${env.name}.acme.io`,
    size: Size.M,
    resources: { db: Resource.postgres(), cache: Resource.redis(), uploads: Resource.s3(), jobs },
    env: {
      DATABASE_URL: 'postgres://${resources.db.username}:${resources.db.password}@${resources.db.host}:${resources.db.port}/${resources.db.database}',
      REDIS_HOST: '${resources.cache.host}',
      UPLOADS_BUCKET: '${resources.uploads.bucket}',
      JOBS_QUEUE_URL: '${resources.jobs.url}',
    },
    // OpenTelemetry HTTP metrics on the app's port; the SLOs read them.
    metrics: { port: 8080 },
    slos: [
      Slo.availability({ name: 'availability', objective: 99.9 }),
      Slo.latency({ name: 'latency', objective: 99, thresholdSeconds: 0.5, period: Duration.days(28) }),
    ],
  });

  // A worker that consumes the orders job queue; KEDA scales it on the queue's depth, reading it
  // with the cluster's KEDA role. Prometheus scrapes its metrics port (a PodMonitor: it has no Service).
  new Workload(env, 'orders-worker', {
    tenant: 'shop',
    image: WORKER_IMAGE,
    size: Size.S,
    kind: Kind.worker({ scaling: WorkerScaling.queue('jobs') }),
    resources: { jobs },
    env: { JOBS_QUEUE_URL: '${resources.jobs.url}' },
    // It serves its health on 8080 (no Service: only the kubelet's probes call it) and its metrics on 9090.
    additionalPorts: { http: 8080, metrics: 9090 },
    livenessProbe: Probe.httpGet({ path: '/livez', port: 8080 }),
    readinessProbe: Probe.httpGet({ path: '/readyz', port: 8080 }),
    metrics: { port: 9090 },
  });

  // A nightly report without AWS resources; failed and overdue runs alert the shop team.
  new Workload(env, 'orders-report', {
    tenant: 'shop',
    image: REPORT_IMAGE,
    size: Size.S,
    kind: Kind.cron({ schedule: '30 2 * * *', timeZone: 'Europe/Berlin' }),
  });

  // The analytics team, on its own cluster in production.
  new Workload(env, 'insights', { tenant: 'analytics', image: INSIGHTS_IMAGE, port: 8080, size: Size.S });
}

export function summarize(result: SynthResult): string {
  const where = path.relative(process.cwd(), result.outdir) || '.';
  return [
    `paved: synthesized ${result.stacks.length} Terraform stack(s) with ${result.terraformResources} resources`
      + ` and ${result.manifests.length} Kubernetes manifest(s) with ${result.kubernetesObjects} objects`,
    `  stacks:    ${result.stacks.map(s => `${where}/cdktf.out/stacks/${s}/cdk.tf.json`).join(', ')}`,
    `  manifests: ${result.manifests.length > 0 ? result.manifests.map(m => `${where}/${m}`).join(', ') : '(none)'}`,
    `  report:    ${where}/${result.report}`,
  ].join('\n');
}

if (require.main === module) {
  const started = Date.now();
  const result = buildPlatform(process.argv[2] ?? 'out').synth();
  console.log(summarize(result));
  console.log(`  took ${((Date.now() - started) / 1000).toFixed(1)} s, peak RSS ${Math.round(process.resourceUsage().maxRSS / 1024)} MB`);
}
