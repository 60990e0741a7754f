import { ApiObject } from 'cdk8s';
import { AddonCapability } from './addon-capability';
import { AddonContext, AddonSpec } from './addon-spec';
import { awsLoadBalancerControllerPolicy } from './aws-load-balancer-controller-policy';
import { Dns } from '../aws/dns';
import { Network } from '../aws/network';
import { lazyModule } from '../core/lazy-module';
import { Naming } from '../core/naming';
import { SyncWave, syncWaveAnnotation } from '../k8s/sync-wave';
import { CloudWatchAlertRules } from '../workload/cloudwatch-alert-rules';
import { PlatformMonitoring } from '../workload/platform-monitoring';

const dataAwsRoute53ZoneLib = lazyModule<typeof import('@cdktf/provider-aws/lib/data-aws-route53-zone')>('@cdktf/provider-aws/lib/data-aws-route53-zone');

/*
 * The addons paved knows, each pinned to a released chart version. Where
 * each pin comes from (the release tag of the chart's source repository, as
 * of 2026-08):
 *   external-secrets 2.9.0         external-secrets/external-secrets, tag helm-chart-2.9.0
 *   keda 2.20.2                    kedacore/charts, tag v2.20.2
 *   reloader 2.2.16 (v1.4.21)      stakater/Reloader, tag chart-v2.2.16
 *   aws-load-balancer-controller 3.5.0
 *                                  kubernetes-sigs/aws-load-balancer-controller, tag v3.5.0 (aws/eks-charts stable/)
 *   metrics-server 3.13.1 (0.8.1)  kubernetes-sigs/metrics-server, tag metrics-server-helm-chart-3.13.1
 *   kube-prometheus-stack 88.5.3   prometheus-community/helm-charts, tag kube-prometheus-stack-88.5.3
 *   external-dns 1.21.1 (0.21.0)   kubernetes-sigs/external-dns, tag external-dns-helm-chart-1.21.1
 *   cert-manager v1.21.1           cert-manager/cert-manager, tag v1.21.1
 *   prometheus-yet-another-cloudwatch-exporter 0.47.0 (YACE v0.67.0)
 *                                  prometheus-community/helm-charts, tag prometheus-yet-another-cloudwatch-exporter-0.47.0
 */

/** The container security context of the `restricted` Pod Security Standard, for charts that do not set all of it. */
const RESTRICTED_CONTAINER = {
  allowPrivilegeEscalation: false,
  readOnlyRootFilesystem: true,
  runAsNonRoot: true,
  capabilities: { drop: ['ALL'] },
  seccompProfile: { type: 'RuntimeDefault' },
};

const replicas = (context: AddonContext) => context.highAvailability ? 2 : 1;

/** @internal */
export const EXTERNAL_SECRETS: AddonSpec = {
  name: 'external-secrets',
  namespace: Naming.EXTERNAL_SECRETS_NAMESPACE,
  repoUrl: 'https://charts.external-secrets.io',
  chart: 'external-secrets',
  version: '2.9.0',
  releaseName: 'external-secrets',
  serviceAccount: Naming.EXTERNAL_SECRETS_SERVICE_ACCOUNT,
  // The Cluster makes the role and its association (the tenants' secret roles trust it by name).
  environmentRoleName: env => Naming.externalSecretsOperatorRole(env.name),
  capabilities: [AddonCapability.apiGroup('external-secrets.io'), AddonCapability.apiGroup('generators.external-secrets.io')],
  syncWave: SyncWave.ADDONS,
  podSecurity: 'restricted',
  serverSideApply: true,
  values: context => ({
    installCRDs: true,
    serviceAccount: { create: true, name: Naming.EXTERNAL_SECRETS_SERVICE_ACCOUNT },
    replicaCount: replicas(context),
    leaderElect: context.highAvailability,
    podDisruptionBudget: { enabled: context.highAvailability, minAvailable: 1 },
    webhook: { replicaCount: replicas(context), podDisruptionBudget: { enabled: context.highAvailability, minAvailable: 1 } },
    // PushSecrets write the passwords generated in the database admin namespace to the secrets the
    // tenants read them from (only there: tenants may not create PushSecrets); tenants get namespaced stores only.
    processPushSecret: true,
    processClusterPushSecret: false,
    processClusterExternalSecret: false,
  }),
};

/** @internal */
export const KEDA: AddonSpec = {
  name: 'keda',
  namespace: Naming.KEDA_NAMESPACE,
  repoUrl: 'https://kedacore.github.io/charts',
  chart: 'keda',
  version: '2.20.2',
  releaseName: 'keda',
  serviceAccount: Naming.KEDA_SERVICE_ACCOUNT,
  // The Cluster makes the role (read the environment's queue depths) and its association.
  environmentRoleName: env => Naming.kedaOperatorRole(env.name),
  capabilities: [AddonCapability.apiGroup('keda.sh')],
  syncWave: SyncWave.ADDONS,
  podSecurity: 'restricted',
  serverSideApply: true,
  values: context => ({
    serviceAccount: { operator: { create: true, name: Naming.KEDA_SERVICE_ACCOUNT } },
    // The operator and the webhooks elect a leader; the metrics API server runs once.
    operator: { replicaCount: replicas(context) },
    webhooks: { replicaCount: replicas(context) },
    podDisruptionBudget: context.highAvailability ? { operator: { minAvailable: 1 }, webhooks: { minAvailable: 1 } } : {},
  }),
};

/** @internal */
export const RELOADER: AddonSpec = {
  name: 'reloader',
  namespace: 'reloader',
  repoUrl: 'https://stakater.github.io/stakater-charts',
  chart: 'reloader',
  version: '2.2.16',
  releaseName: 'reloader',
  capabilities: [
    'reloader.stakater.com/auto', 'reloader.stakater.com/search', 'reloader.stakater.com/match',
    'secret.reloader.stakater.com/reload', 'secret.reloader.stakater.com/auto',
    'configmap.reloader.stakater.com/reload', 'configmap.reloader.stakater.com/auto',
  ].map(key => AddonCapability.annotation(key)),
  syncWave: SyncWave.ADDONS,
  podSecurity: 'restricted',
  serverSideApply: true,
  values: context => ({
    reloader: {
      // An annotation on the pod template, not an env var Argo CD would see as drift and revert.
      reloadStrategy: 'annotations',
      enableHA: context.highAvailability,
      readOnlyRootFileSystem: true,
      deployment: { replicas: replicas(context), containerSecurityContext: RESTRICTED_CONTAINER },
      podDisruptionBudget: context.highAvailability ? { enabled: true, minAvailable: 1 } : { enabled: false },
    },
  }),
};

/** @internal */
export const AWS_LOAD_BALANCER_CONTROLLER: AddonSpec = {
  name: 'aws-load-balancer-controller',
  namespace: 'aws-load-balancer-controller',
  repoUrl: 'https://aws.github.io/eks-charts',
  chart: 'aws-load-balancer-controller',
  version: '3.5.0',
  releaseName: 'aws-load-balancer-controller',
  serviceAccount: 'aws-load-balancer-controller',
  permissions: context => awsLoadBalancerControllerPolicy({
    partition: context.environment.partition,
    region: context.environment.region,
    account: context.environment.account,
    clusterName: context.cluster.name,
    vpcArn: context.vpcArn,
  }),
  capabilities: [AddonCapability.apiGroup('elbv2.k8s.aws'), AddonCapability.ingressClass('alb')],
  syncWave: SyncWave.ADDONS,
  podSecurity: 'restricted',
  serverSideApply: true,
  values: context => ({
    clusterName: context.cluster.name,
    region: context.environment.region,
    // Pods cannot reach the instance metadata (hop limit 1): the controller finds the VPC by its tags or id.
    ...vpcOf(context),
    serviceAccount: { create: true, name: 'aws-load-balancer-controller' },
    replicaCount: replicas(context),
    defaultTargetType: 'ip',
    securityContext: RESTRICTED_CONTAINER,
    ingressClass: 'alb',
    createIngressClassResource: true,
    ingressClassParams: {
      create: true,
      name: 'alb',
      // Settings every Ingress of the class gets, whatever its annotations say.
      spec: {
        scheme: 'internet-facing',
        ipAddressType: 'ipv4',
        // One load balancer per cluster for all hosts, rather than one per Ingress.
        group: { name: 'paved' },
        sslPolicy: 'ELBSecurityPolicy-TLS13-1-2-2021-06',
        loadBalancerAttributes: [{ key: 'routing.http.drop_invalid_header_fields.enabled', value: 'true' }],
      },
    },
  }),
};

/** @internal */
export const METRICS_SERVER: AddonSpec = {
  name: 'metrics-server',
  namespace: 'kube-system',
  repoUrl: 'https://kubernetes-sigs.github.io/metrics-server/',
  chart: 'metrics-server',
  version: '3.13.1',
  releaseName: 'metrics-server',
  // The cpu and memory metrics HorizontalPodAutoscalers scale on.
  capabilities: [AddonCapability.kind('autoscaling', 'HorizontalPodAutoscaler')],
  syncWave: SyncWave.ADDONS,
  serverSideApply: true,
  values: context => ({
    replicas: replicas(context),
    podDisruptionBudget: { enabled: context.highAvailability, minAvailable: 1 },
  }),
};

const GRAFANA_ADMIN_SECRET = 'grafana-admin';

/** @internal */
export const KUBE_PROMETHEUS_STACK: AddonSpec = {
  name: 'kube-prometheus-stack',
  namespace: 'monitoring',
  repoUrl: 'https://prometheus-community.github.io/helm-charts',
  chart: 'kube-prometheus-stack',
  version: '88.5.3',
  releaseName: 'kube-prometheus-stack',
  capabilities: [AddonCapability.apiGroup('monitoring.coreos.com')],
  // After External Secrets, which generates Grafana's admin password.
  syncWave: SyncWave.DEPENDENT_ADDONS,
  // The node exporter reads the host's network, processes and file systems.
  podSecurity: 'privileged',
  serverSideApply: true,
  values: context => ({
    crds: { enabled: true },
    prometheus: {
      prometheusSpec: {
        replicas: replicas(context),
        // Every ServiceMonitor, PodMonitor, rule, probe and scrape config of every namespace, whatever its labels.
        serviceMonitorSelectorNilUsesHelmValues: false,
        podMonitorSelectorNilUsesHelmValues: false,
        ruleSelectorNilUsesHelmValues: false,
        probeSelectorNilUsesHelmValues: false,
        scrapeConfigSelectorNilUsesHelmValues: false,
        // A tenant's targets and rules see only the series of its own namespace; the platform's own
        // (in the monitoring namespace) see all.
        enforcedNamespaceLabel: 'namespace',
        excludedFromEnforcement: ['prometheusrules', 'servicemonitors', 'podmonitors', 'probes', 'scrapeconfigs']
          .map(resource => ({ group: 'monitoring.coreos.com', resource, namespace: 'monitoring' })),
      },
    },
    alertmanager: {
      alertmanagerSpec: {
        replicas: replicas(context),
        // The AlertmanagerConfigs of every namespace; each routes only its own namespace's alerts.
        alertmanagerConfigNamespaceSelector: {},
        alertmanagerConfigMatcherStrategy: { type: 'OnNamespace' },
        // The platform's routing is the top of the tree; the namespaces' routes go first under it.
        ...platformRouting(context),
      },
    },
    grafana: {
      // Generated in the cluster by External Secrets (below), never in git, Terraform or the chart's values.
      admin: { existingSecret: GRAFANA_ADMIN_SECRET, userKey: 'admin-user', passwordKey: 'admin-password' },
      sidecar: {
        dashboards: {
          enabled: true,
          label: 'grafana_dashboard',
          labelValue: '1',
          searchNamespace: 'ALL',
          folderAnnotation: 'grafana_folder',
          provider: { foldersFromFilesStructure: true },
        },
      },
    },
  }),
  manifests: (_context, chart) => {
    const metadata = (wave: number) => ({
      name: GRAFANA_ADMIN_SECRET,
      namespace: 'monitoring',
      labels: { 'app.kubernetes.io/managed-by': 'paved', 'app.kubernetes.io/part-of': 'kube-prometheus-stack' },
      annotations: syncWaveAnnotation(wave),
    });
    new ApiObject(chart, 'GrafanaAdminPassword', {
      apiVersion: 'generators.external-secrets.io/v1alpha1',
      kind: 'Password',
      metadata: metadata(SyncWave.SECRETS - 1),
      spec: { length: 40, digits: 8, symbols: 0, noUpper: false, allowRepeat: true },
    });
    new ApiObject(chart, 'GrafanaAdminSecret', {
      apiVersion: 'external-secrets.io/v1',
      kind: 'ExternalSecret',
      metadata: metadata(SyncWave.SECRETS),
      spec: {
        // Generated once; a new password only when someone deletes the Secret.
        refreshPolicy: 'CreatedOnce',
        target: {
          name: GRAFANA_ADMIN_SECRET,
          creationPolicy: 'Owner',
          template: { engineVersion: 'v2', data: { 'admin-user': 'admin', 'admin-password': '{{ .password }}' } },
        },
        dataFrom: [{
          sourceRef: { generatorRef: { apiVersion: 'generators.external-secrets.io/v1alpha1', kind: 'Password', name: GRAFANA_ADMIN_SECRET } },
        }],
      },
    });
  },
};

/** The AlertmanagerConfig Alertmanager takes its top-level route from: the environment's PlatformMonitoring's, if it has receivers. */
function platformRouting(context: AddonContext): { alertmanagerConfiguration?: { name: string } } {
  const routing = PlatformMonitoring.of(context.environment)?.routing;
  return routing ? { alertmanagerConfiguration: { name: routing.name } } : {};
}

/**
 * The CloudWatch metrics and statistics the exporter reads: every one paved's
 * alarms (aws/cloudwatch-alarms.ts) and dependency dashboards (MonitoredDependency) use.
 * @internal
 */
export const CLOUDWATCH_EXPORTS: { namespace: string; periodSeconds: number; metrics: { [metric: string]: string[] } }[] = [
  {
    namespace: 'AWS/RDS',
    periodSeconds: 300,
    metrics: {
      CPUUtilization: ['Average'],
      FreeStorageSpace: ['Average', 'Minimum'],
      DatabaseConnections: ['Average', 'Maximum'],
      CPUCreditBalance: ['Minimum'],
      BurstBalance: ['Average'],
    },
  },
  {
    namespace: 'AWS/ElastiCache',
    periodSeconds: 60,
    metrics: {
      EngineCPUUtilization: ['Average'],
      DatabaseMemoryUsagePercentage: ['Average'],
      Evictions: ['Sum'],
      ReplicationLag: ['Maximum'],
    },
  },
  {
    namespace: 'AWS/SQS',
    periodSeconds: 60,
    metrics: {
      ApproximateNumberOfMessagesVisible: ['Average', 'Maximum'],
      ApproximateAgeOfOldestMessage: ['Maximum'],
      NumberOfMessagesReceived: ['Sum'],
    },
  },
  {
    namespace: 'AWS/NATGateway',
    periodSeconds: 300,
    metrics: {
      ErrorPortAllocation: ['Sum'],
      PacketsDropCount: ['Sum'],
    },
  },
];

/** The exporter's own service account, which its Pod Identity role trusts. */
const CLOUDWATCH_EXPORTER_SERVICE_ACCOUNT = 'cloudwatch-exporter';
/** Seconds between the exporter's reads of CloudWatch (each GetMetricData read is billed). */
const CLOUDWATCH_SCRAPE_SECONDS = 300;

/** @internal */
export const CLOUDWATCH_EXPORTER: AddonSpec = {
  name: 'cloudwatch-exporter',
  // Beside Prometheus: its rules there are the platform's, which Prometheus does not confine to one namespace.
  namespace: 'monitoring',
  repoUrl: 'https://prometheus-community.github.io/helm-charts',
  chart: 'prometheus-yet-another-cloudwatch-exporter',
  version: '0.47.0',
  releaseName: 'cloudwatch-exporter',
  serviceAccount: CLOUDWATCH_EXPORTER_SERVICE_ACCOUNT,
  // Read-only: which resources carry the environment's tag, and their metrics.
  permissions: () => [
    {
      sid: 'ReadCloudWatchMetrics',
      actions: ['cloudwatch:GetMetricData', 'cloudwatch:GetMetricStatistics', 'cloudwatch:ListMetrics', 'tag:GetResources'],
      resources: ['*'],
    },
  ],
  capabilities: [],
  // After kube-prometheus-stack, whose CRDs its ServiceMonitor and rules are.
  syncWave: SyncWave.DEPENDENT_ADDONS + 1,
  // The namespace is kube-prometheus-stack's; the exporter's own pods run restricted.
  podSecurity: 'privileged',
  serverSideApply: true,
  values: context => ({
    serviceAccount: { create: true, name: CLOUDWATCH_EXPORTER_SERVICE_ACCOUNT, automountServiceAccountToken: false },
    podSecurityContext: { runAsNonRoot: true, runAsUser: 65534, runAsGroup: 65534, seccompProfile: { type: 'RuntimeDefault' } },
    securityContext: RESTRICTED_CONTAINER,
    resources: { requests: { cpu: '50m', memory: '128Mi' }, limits: { memory: '256Mi' } },
    service: { enabled: true },
    serviceMonitor: { enabled: true, interval: '60s', timeout: '50s' },
    extraArgs: { 'scraping-interval': CLOUDWATCH_SCRAPE_SECONDS },
    config: cloudWatchExporterConfig(context.environment.name, context.environment.region),
  }),
  manifests: (context, chart) => {
    new CloudWatchAlertRules(chart, 'CloudWatchAlerts', { environment: context.environment, cluster: context.cluster });
  },
};

/**
 * The exporter's configuration: one discovery job per service, limited to
 * the resources tagged `paved:environment=<env>` in the environment's
 * region, reading the metrics of {@link CLOUDWATCH_EXPORTS}. Series are
 * named `aws_<service>_<metric>_<statistic>` with a `dimension_<name>`
 * label per dimension.
 * @internal
 */
export function cloudWatchExporterConfig(environment: string, region: string): string {
  // Environment names are lowercase letters, digits and dashes: nothing to escape in the regular expression.
  return JSON.stringify({
    'apiVersion': 'v1alpha1',
    'sts-region': region,
    'discovery': {
      jobs: CLOUDWATCH_EXPORTS.map(service => ({
        type: service.namespace,
        regions: [region],
        searchTags: [{ key: 'paved:environment', value: `^${environment}$` }],
        metrics: Object.entries(service.metrics).map(([name, statistics]) => ({
          name,
          statistics,
          period: service.periodSeconds,
          length: Math.max(service.periodSeconds, CLOUDWATCH_SCRAPE_SECONDS),
        })),
      })),
    },
  }, undefined, 2);
}

/** @internal */
export const EXTERNAL_DNS: AddonSpec = {
  name: 'external-dns',
  namespace: 'external-dns',
  repoUrl: 'https://kubernetes-sigs.github.io/external-dns/',
  chart: 'external-dns',
  version: '1.21.1',
  releaseName: 'external-dns',
  serviceAccount: 'external-dns',
  permissions: context => {
    const zone = new dataAwsRoute53ZoneLib.DataAwsRoute53Zone(context.scope, 'ExternalDnsZone', { name: Dns.of(context.cluster).zoneName, privateZone: false });
    return [
      {
        sid: 'ChangeRecordsOfTheEnvironmentZone',
        actions: ['route53:ChangeResourceRecordSets', 'route53:ListResourceRecordSets'],
        resources: [`arn:${context.environment.partition}:route53:::hostedzone/${zone.zoneId}`],
      },
      { sid: 'ListZones', actions: ['route53:ListHostedZones', 'route53:ListTagsForResources'], resources: ['*'] },
    ];
  },
  capabilities: [AddonCapability.annotation('external-dns.alpha.kubernetes.io/hostname')],
  syncWave: SyncWave.ADDONS,
  podSecurity: 'restricted',
  serverSideApply: true,
  values: context => ({
    provider: { name: 'aws' },
    env: [{ name: 'AWS_DEFAULT_REGION', value: context.environment.region }],
    serviceAccount: { create: true, name: 'external-dns' },
    sources: ['ingress', 'service'],
    domainFilters: [Dns.of(context.cluster).zoneName],
    // Deletes only the records it created (TXT ownership records name the cluster).
    policy: 'sync',
    registry: 'txt',
    txtOwnerId: context.cluster.name,
    extraArgs: ['--aws-zone-type=public'],
    securityContext: RESTRICTED_CONTAINER,
  }),
};

/** @internal */
export const CERT_MANAGER: AddonSpec = {
  name: 'cert-manager',
  namespace: 'cert-manager',
  repoUrl: 'https://charts.jetstack.io',
  chart: 'cert-manager',
  version: 'v1.21.1',
  releaseName: 'cert-manager',
  capabilities: [
    AddonCapability.apiGroup('cert-manager.io'), AddonCapability.apiGroup('acme.cert-manager.io'),
    AddonCapability.annotation('cert-manager.io/cluster-issuer'), AddonCapability.annotation('cert-manager.io/issuer'),
  ],
  syncWave: SyncWave.ADDONS,
  podSecurity: 'restricted',
  serverSideApply: true,
  values: context => ({
    // Removing the addon must not delete every Certificate of the cluster with the CRDs.
    crds: { enabled: true, keep: true },
    replicaCount: replicas(context),
    webhook: { replicaCount: replicas(context) },
    podDisruptionBudget: { enabled: context.highAvailability, minAvailable: 1 },
  }),
};

/** How the AWS Load Balancer Controller finds the VPC: by id when it is a literal (imported), else by the Name tag paved sets. */
function vpcOf(context: AddonContext): { vpcId: string } | { vpcTags: { [key: string]: string } } {
  const network = context.cluster.network;
  if (network instanceof Network) {
    return { vpcTags: { 'Name': network._vpc.tagsInput!.Name, 'paved:environment': context.environment.name } };
  }
  return { vpcId: network.vpcId };
}
