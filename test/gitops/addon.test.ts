import * as YAML from 'yaml';
import { Addon, AddonCapability, AlertReceiver, PlatformMonitoring, PodSecurityLevel, Profile, ReceiverSecret } from '../../lib';
import { mergeValues } from '../../lib/gitops/addon';
import { CLOUDWATCH_EXPORTS } from '../../lib/gitops/builtin-addons';
import { clusterEnvironment } from '../support/gitops';
import { testPlatform } from '../support/synth';

function context(profile: Profile = Profile.DEV): any {
  const { env, cluster } = clusterEnvironment(testPlatform(), profile === Profile.DEV ? 'dev' : 'prod', profile);
  return { environment: env, cluster, highAvailability: profile.isProduction };
}

describe('Addon', () => {
  test('the defaults are what the golden path needs, each pinned to a released chart', () => {
    expect(Addon.defaults().map(a => [a.name, a.namespace, a.chart, a.version, a.repoUrl])).toEqual([
      ['external-secrets', 'external-secrets', 'external-secrets', '2.9.0', 'https://charts.external-secrets.io'],
      ['keda', 'keda', 'keda', '2.20.2', 'https://kedacore.github.io/charts'],
      ['reloader', 'reloader', 'reloader', '2.2.16', 'https://stakater.github.io/stakater-charts'],
      ['aws-load-balancer-controller', 'aws-load-balancer-controller', 'aws-load-balancer-controller', '3.5.0', 'https://aws.github.io/eks-charts'],
      ['metrics-server', 'kube-system', 'metrics-server', '3.13.1', 'https://kubernetes-sigs.github.io/metrics-server/'],
      ['kube-prometheus-stack', 'monitoring', 'kube-prometheus-stack', '88.5.3', 'https://prometheus-community.github.io/helm-charts'],
      ['cloudwatch-exporter', 'monitoring', 'prometheus-yet-another-cloudwatch-exporter', '0.47.0', 'https://prometheus-community.github.io/helm-charts'],
    ]);
  });

  test('opt-in addons: ExternalDNS and cert-manager', () => {
    expect([Addon.externalDns(), Addon.certManager()].map(a => [a.name, a.namespace, a.chart, a.version, a.repoUrl])).toEqual([
      ['external-dns', 'external-dns', 'external-dns', '1.21.1', 'https://kubernetes-sigs.github.io/external-dns/'],
      ['cert-manager', 'cert-manager', 'cert-manager', 'v1.21.1', 'https://charts.jetstack.io'],
    ]);
  });

  test('each addon says what it serves, so objects without a controller are refused', () => {
    const served = Object.fromEntries(Addon._catalogue().map(a => [a.name, a.capabilities.map(c => c.description)]));
    expect(served['external-secrets']).toEqual(['API group external-secrets.io', 'API group generators.external-secrets.io']);
    expect(served.keda).toEqual(['API group keda.sh']);
    expect(served.reloader).toContain('annotation secret.reloader.stakater.com/reload');
    expect(served['aws-load-balancer-controller']).toEqual(['API group elbv2.k8s.aws', 'IngressClass alb']);
    expect(served['metrics-server']).toEqual(['kind autoscaling/HorizontalPodAutoscaler']);
    expect(served['kube-prometheus-stack']).toEqual(['API group monitoring.coreos.com']);
    expect(served['cert-manager']).toContain('API group cert-manager.io');
  });

  test('addons run with restricted Pod Security, except the monitoring stack\'s namespace (node exporter) and kube-system, which paved leaves alone', () => {
    expect(Object.fromEntries(Addon._catalogue().map(a => [a.name, a.podSecurity]))).toEqual({
      'external-secrets': 'restricted',
      'keda': 'restricted',
      'reloader': 'restricted',
      'aws-load-balancer-controller': 'restricted',
      'metrics-server': undefined,
      'kube-prometheus-stack': 'privileged',
      'cloudwatch-exporter': 'privileged',
      'external-dns': 'restricted',
      'cert-manager': 'restricted',
    });
  });

  test('operators come first; the monitoring stack, which needs External Secrets, next; the CloudWatch exporter, which needs its CRDs, after it', () => {
    expect(Object.fromEntries(Addon._catalogue().map(a => [a.name, a.syncWave]))).toEqual({
      'external-secrets': -6,
      'keda': -6,
      'reloader': -6,
      'aws-load-balancer-controller': -6,
      'metrics-server': -6,
      'kube-prometheus-stack': -5,
      'cloudwatch-exporter': -4,
      'external-dns': -6,
      'cert-manager': -6,
    });
  });

  test('AWS permissions: External Secrets and KEDA use the environment roles; the load balancer controller, the CloudWatch exporter and ExternalDNS get roles of their own', () => {
    expect(Addon._catalogue().filter(a => a._hasRole).map(a => [a.name, a.serviceAccount])).toEqual([
      ['external-secrets', 'external-secrets'],
      ['keda', 'keda-operator'],
      ['aws-load-balancer-controller', 'aws-load-balancer-controller'],
      ['cloudwatch-exporter', 'cloudwatch-exporter'],
      ['external-dns', 'external-dns'],
    ]);
  });

  describe('values', () => {
    test('a version and values of the platform engineer replace and merge over paved\'s', () => {
      // GIVEN
      const keda = Addon.keda({ version: '2.21.0', values: { operator: { logLevel: 'debug' }, webhooks: null, extra: [1, 2] } });
      // WHEN
      const values = keda._values(context(Profile.PROD));
      // THEN
      expect(keda.version).toBe('2.21.0');
      expect(keda._source).toBe('override of Addon.keda()');
      expect(Addon.keda()._source).toBe('paved pin');
      expect(values.operator).toEqual({ replicaCount: 2, logLevel: 'debug' });
      expect(values.webhooks).toBeUndefined();
      expect(values.extra).toEqual([1, 2]);
      expect(values.serviceAccount).toEqual({ operator: { create: true, name: 'keda-operator' } });
    });

    test('production runs replicas with disruption budgets; development one of each', () => {
      const prod = Addon.externalSecrets()._values(context(Profile.PROD));
      const dev = Addon.externalSecrets()._values(context(Profile.DEV));
      expect([prod.replicaCount, prod.leaderElect, prod.podDisruptionBudget.enabled]).toEqual([2, true, true]);
      expect([dev.replicaCount, dev.leaderElect, dev.podDisruptionBudget.enabled]).toEqual([1, false, false]);
    });

    test('External Secrets writes back only with PushSecret (the database admin namespace\'s passwords); the cluster-wide kinds are off', () => {
      expect(Addon.externalSecrets()._values(context())).toMatchObject({
        serviceAccount: { create: true, name: 'external-secrets' },
        processPushSecret: true,
        processClusterPushSecret: false,
        processClusterExternalSecret: false,
      });
    });

    test('Reloader reloads through an annotation Argo CD does not revert, in a restricted container', () => {
      const values = Addon.reloader()._values(context()).reloader;
      expect(values.reloadStrategy).toBe('annotations');
      expect(values.deployment.containerSecurityContext).toMatchObject({ allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] } });
    });

    test('the load balancer controller finds the VPC by the Name tag paved gives it, and serves class alb with one load balancer per cluster', () => {
      const values = Addon.awsLoadBalancerController()._values(context());
      expect(values).toMatchObject({
        clusterName: 'dev-cluster',
        region: 'eu-central-1',
        vpcTags: { 'Name': 'dev-network', 'paved:environment': 'dev' },
        serviceAccount: { create: true, name: 'aws-load-balancer-controller' },
        defaultTargetType: 'ip',
        ingressClass: 'alb',
        createIngressClassResource: true,
      });
      expect(values.ingressClassParams.spec).toMatchObject({
        scheme: 'internet-facing', group: { name: 'paved' }, sslPolicy: 'ELBSecurityPolicy-TLS13-1-2-2021-06',
      });
      expect(values.securityContext.seccompProfile).toEqual({ type: 'RuntimeDefault' });
    });

    test('kube-prometheus-stack picks up every namespace\'s monitoring objects and fences tenants to their own series', () => {
      const values = Addon.kubePrometheusStack()._values(context());
      const spec = values.prometheus.prometheusSpec;
      expect(spec.serviceMonitorSelectorNilUsesHelmValues).toBe(false);
      expect(spec.podMonitorSelectorNilUsesHelmValues).toBe(false);
      expect(spec.ruleSelectorNilUsesHelmValues).toBe(false);
      expect(spec.enforcedNamespaceLabel).toBe('namespace');
      expect(spec.excludedFromEnforcement).toContainEqual({ group: 'monitoring.coreos.com', resource: 'prometheusrules', namespace: 'monitoring' });
      expect(values.alertmanager.alertmanagerSpec.alertmanagerConfigNamespaceSelector).toEqual({});
      expect(values.alertmanager.alertmanagerSpec.alertmanagerConfigMatcherStrategy).toEqual({ type: 'OnNamespace' });
      expect(values.grafana.admin.existingSecret).toBe('grafana-admin');
      expect(values.grafana.sidecar.dashboards).toMatchObject({ label: 'grafana_dashboard', searchNamespace: 'ALL', folderAnnotation: 'grafana_folder' });
      expect(JSON.stringify(values)).not.toMatch(/adminPassword/);
    });

    test('kube-prometheus-stack\'s Alertmanager takes its top-level route from the environment\'s platform routing, when it has one', () => {
      const plain = context();
      expect(Addon.kubePrometheusStack()._values(plain).alertmanager.alertmanagerSpec.alertmanagerConfiguration).toBeUndefined();
      const routed = context();
      new PlatformMonitoring(routed.environment, 'Monitoring', {
        receivers: [AlertReceiver.slack({ name: 'platform', webhookUrl: ReceiverSecret.fromSecretsManager('paved/dev/platform/alerting/slack', 'url') })],
      });
      expect(Addon.kubePrometheusStack()._values(routed).alertmanager.alertmanagerSpec.alertmanagerConfiguration).toEqual({ name: 'platform-alerts' });
    });

    test('the CloudWatch exporter reads the metrics of the environment\'s tagged resources in its region, runs restricted, and is scraped', () => {
      const values = Addon.cloudwatchExporter()._values(context());
      const config = YAML.parse(values.config);
      expect(config).toMatchObject({ 'apiVersion': 'v1alpha1', 'sts-region': 'eu-central-1' });
      expect(config.discovery.jobs.map((j: any) => j.type)).toEqual(['AWS/RDS', 'AWS/ElastiCache', 'AWS/SQS', 'AWS/NATGateway']);
      for (const job of config.discovery.jobs) {
        expect(job).toMatchObject({ regions: ['eu-central-1'], searchTags: [{ key: 'paved:environment', value: '^dev$' }] });
      }
      expect(config.discovery.jobs[0].metrics).toContainEqual({ name: 'FreeStorageSpace', statistics: ['Average', 'Minimum'], period: 300, length: 300 });
      expect(config.discovery.jobs.map((j: any) => j.metrics.length)).toEqual(CLOUDWATCH_EXPORTS.map(e => Object.keys(e.metrics).length));
      expect(values.serviceAccount).toEqual({ create: true, name: 'cloudwatch-exporter', automountServiceAccountToken: false });
      expect(values.securityContext).toMatchObject({ runAsNonRoot: true, readOnlyRootFilesystem: true, allowPrivilegeEscalation: false });
      expect(values.serviceMonitor).toMatchObject({ enabled: true });
      expect(values.service).toEqual({ enabled: true });
    });

    test('mergeValues merges maps, replaces lists and plain values, and removes keys set to null', () => {
      expect(mergeValues({ a: { b: 1, c: 2 }, d: [1], e: 'x' }, { a: { c: 3 }, d: [2], e: null, f: true }))
        .toEqual({ a: { b: 1, c: 3 }, d: [2], f: true });
    });
  });

  describe('helm', () => {
    test('adds any chart, with what it serves, its AWS permissions and its sync wave', () => {
      // WHEN
      const addon = Addon.helm({
        name: 'rabbitmq-operator',
        namespace: 'rabbitmq-system',
        repoUrl: 'https://charts.example.com/rabbitmq',
        chart: 'rabbitmq-cluster-operator',
        version: '4.4.1',
        values: { replicas: 2 },
        capabilities: [AddonCapability.apiGroup('rabbitmq.com')],
        serviceAccount: 'operator',
        permissions: [{ actions: ['s3:GetObject'], resources: ['arn:aws:s3:::backups/*'] }],
        syncWave: -7,
        podSecurity: PodSecurityLevel.BASELINE,
      });
      // THEN
      expect([addon.name, addon.namespace, addon.chart, addon.version, addon.releaseName, addon.syncWave, addon.podSecurity, addon.serviceAccount])
        .toEqual(['rabbitmq-operator', 'rabbitmq-system', 'rabbitmq-cluster-operator', '4.4.1', 'rabbitmq-operator', -7, 'baseline', 'operator']);
      expect(addon.capabilities.map(c => c.description)).toEqual(['API group rabbitmq.com']);
      expect(addon._values(context())).toEqual({ replicas: 2 });
      expect(addon._hasRole).toBe(true);
      expect(addon._source).toBe('platform engineer (Addon.helm)');
    });

    test('defaults: release named after the addon, no capabilities, no role, operator wave, restricted', () => {
      const addon = Addon.helm({ name: 'podinfo', namespace: 'podinfo', repoUrl: 'https://stefanprodan.github.io/podinfo', chart: 'podinfo', version: '6.9.1' });
      expect([addon.releaseName, addon.capabilities, addon._hasRole, addon.syncWave, addon.podSecurity])
        .toEqual(['podinfo', [], false, -6, 'restricted']);
      expect(addon._values(context())).toEqual({});
    });

    test('the release name can differ from the addon name', () => {
      const addon = Addon.helm({ name: 'podinfo', namespace: 'podinfo', repoUrl: 'https://stefanprodan.github.io/podinfo', chart: 'podinfo', version: '6.9.1', releaseName: 'web' });
      expect(addon.releaseName).toBe('web');
    });

    test('a chart in kube-system gets no Pod Security level: paved does not label kube-system', () => {
      const addon = Addon.helm({ name: 'agent', namespace: 'kube-system', repoUrl: 'https://charts.example.com', chart: 'agent', version: '1.0.0' });
      expect(addon.podSecurity).toBeUndefined();
    });

    test('fails when a chart version is not a semantic version', () => {
      expect(() => Addon.keda({ version: 'latest' })).toThrow(
        'Addon.keda: version: got "latest"; expected a chart version in semantic versioning, such as "1.2.3" or "v1.2.3" (no ranges: every cluster runs exactly this)');
      expect(() => Addon.keda({ version: '^2.20.0' })).toThrow('Addon.keda: version: got "^2.20.0"');
      expect(() => Addon.keda({ version: '2.20' })).toThrow('Addon.keda: version: got "2.20"');
      expect(() => Addon.helm({ name: 'x', namespace: 'x', repoUrl: 'https://c.example.com', chart: 'x', version: '1.x' }))
        .toThrow('Addon.helm(x): version: got "1.x"; expected a chart version in semantic versioning');
    });

    test('fails when values are not plain JSON', () => {
      expect(() => Addon.keda({ values: 'replicas: 2' as any })).toThrow('Addon.keda: values: got "replicas: 2"; expected an object of names to values');
      expect(() => Addon.keda({ values: { a: { b: () => 1 } } })).toThrow('Addon.keda: values.a.b: got "function"; expected plain JSON');
      expect(() => Addon.keda({ values: { a: Infinity } })).toThrow('Addon.keda: values.a: got "Infinity"; expected a finite number');
      expect(() => Addon.keda({ values: { a: new Date(0) } })).toThrow('Addon.keda: values.a:');
    });

    test('fails when a name, namespace, repository, chart or release name is malformed', () => {
      const good = { name: 'x', namespace: 'x', repoUrl: 'https://charts.example.com', chart: 'x', version: '1.0.0' };
      expect(() => Addon.helm({ ...good, name: 'X' })).toThrow('Addon.helm: name: got "X"; expected a DNS label of at most 40 characters');
      expect(() => Addon.helm({ ...good, namespace: 'a.b' })).toThrow('Addon.helm(x): namespace: got "a.b"; expected a namespace name');
      expect(() => Addon.helm({ ...good, repoUrl: 'http://charts.example.com' }))
        .toThrow('Addon.helm(x): repoUrl: got "http://charts.example.com"; expected the https:// URL of a Helm repository');
      expect(() => Addon.helm({ ...good, chart: 'My Chart' })).toThrow('Addon.helm(x): chart: got "My Chart"');
      expect(() => Addon.helm({ ...good, releaseName: 'r'.repeat(54) })).toThrow('Addon.helm(x): releaseName: got "' + 'r'.repeat(54) + '"; expected a DNS label of at most 53');
      expect(() => Addon.helm(undefined as any)).toThrow('Addon.helm: props: got undefined');
    });

    test('fails when permissions come without a service account, or capabilities are not AddonCapabilities', () => {
      const good = { name: 'x', namespace: 'x', repoUrl: 'https://charts.example.com', chart: 'x', version: '1.0.0' };
      expect(() => Addon.helm({ ...good, permissions: [{ actions: ['s3:GetObject'], resources: ['*'] }] }))
        .toThrow('Addon.helm(x): serviceAccount: got undefined; expected the service account that gets the permissions');
      expect(() => Addon.helm({ ...good, permissions: [] })).toThrow('Addon.helm(x): permissions: got []; expected one or more PolicyStatements');
      expect(() => Addon.helm({ ...good, serviceAccount: 'A' })).toThrow('Addon.helm(x): serviceAccount: got "A"');
      expect(() => Addon.helm({ ...good, capabilities: ['keda.sh' as any] })).toThrow('Addon.helm: capabilities[0]: got "keda.sh"; expected an AddonCapability (AddonCapability.apiGroup(...), AddonCapability.kind(...), AddonCapability.ingressClass(...) or AddonCapability.annotation(...))');
    });

    test('fails when the sync wave or Pod Security level is out of range', () => {
      const good = { name: 'x', namespace: 'x', repoUrl: 'https://charts.example.com', chart: 'x', version: '1.0.0' };
      expect(() => Addon.helm({ ...good, syncWave: 0.5 })).toThrow('Addon.helm(x): syncWave: got 0.5; expected an integer from -100 to 100');
      expect(() => Addon.helm({ ...good, podSecurity: 'open' as any }))
        .toThrow('Addon.helm: podSecurity: got "open"; expected one of "restricted", "baseline", "privileged" (PodSecurityLevel)');
    });

    test('fails when options are not an object', () => {
      expect(() => Addon.keda(null as any)).toThrow('Addon.keda: options: got null; expected an object of AddonOptions (leave it out for the default)');
    });
  });
});
