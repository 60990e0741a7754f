import * as fs from 'fs';
import * as path from 'path';
import { Addon, BootstrapSecret, Cluster, ClusterBootstrap, ClusterBootstrapProps, Dns, Profile, RepositoryCredentials, WorkloadIdentity } from '../../lib';
import { REPO, clusterEnvironment, synthTerraform } from '../support/gitops';
import { onlyResource, resourcesOf, testPlatform, workloadEnvironment } from '../support/synth';
import { expectNoDanglingReferences } from '../support/tf-references';

const ROOT_PATH = 'out/argocd/dev/dev-cluster';
const OIDC = {
  issuer: 'https://acme.okta.com',
  clientId: 'argocd',
  clientSecret: BootstrapSecret.fromSecretsManager('paved/argocd/oidc', { jsonKey: 'clientSecret' }),
};

function bootstrap(props: Partial<ClusterBootstrapProps> = {}, profile: Profile = Profile.DEV): ClusterBootstrap {
  const platform = testPlatform();
  const { cluster } = clusterEnvironment(platform, profile === Profile.DEV ? 'dev' : 'prod', profile);
  return new ClusterBootstrap(platform.terraform, ClusterBootstrap.stackName(cluster), {
    cluster, repoUrl: REPO, revision: 'main', rootPath: ROOT_PATH, addons: Addon.defaults(), ...props,
  });
}

function argoCdValues(stack: any): any {
  return JSON.parse(stack.resource.helm_release.ArgoCd.values[0]);
}

function rootValues(stack: any): any {
  return JSON.parse(stack.resource.helm_release.RootApplication.values[0]);
}

describe('ClusterBootstrap', () => {
  describe('defaults', () => {
    test('is a stack of its own, bootstrap-<cluster>, after the environment\'s stack, with the environment\'s state backend', () => {
      // WHEN
      const stack = bootstrap();
      // THEN
      expect(stack.node.id).toBe('bootstrap-dev-cluster');
      expect(stack.dependencies).toEqual([stack.environment]);
      expect(synthTerraform(stack).terraform.backend).toEqual({ local: { path: '../../../terraform.bootstrap-dev-cluster.tfstate' } });
    });

    test('configures kubernetes and helm from the cluster, with a token per run from aws eks get-token: no kubeconfig, no token in state', () => {
      // WHEN
      const json = synthTerraform(bootstrap());
      // THEN
      const exec = {
        api_version: 'client.authentication.k8s.io/v1beta1',
        command: 'aws',
        args: ['eks', 'get-token', '--cluster-name', 'dev-cluster', '--region', 'eu-central-1', '--output', 'json'],
      };
      const host = '${data.aws_eks_cluster.Cluster.endpoint}';
      const ca = '${base64decode(data.aws_eks_cluster.Cluster.certificate_authority[0].data)}';
      expect(json.provider.kubernetes).toEqual([{ host, cluster_ca_certificate: ca, exec: [exec] }]);
      expect(json.provider.helm).toEqual([{ kubernetes: { host, cluster_ca_certificate: ca, exec } }]);
      expect(json.data.aws_eks_cluster.Cluster.name).toBe('dev-cluster');
      expect(json.data.aws_eks_cluster_auth).toBeUndefined();
      expect(JSON.stringify(json.provider)).not.toMatch(/config_path|"token"/);
      expect(json.provider.aws).toEqual([expect.objectContaining({ region: 'eu-central-1', allowed_account_ids: ['123456789012'] })]);
    });

    test('installs Argo CD into its own namespace with the restricted Pod Security Standard', () => {
      const json = synthTerraform(bootstrap());
      expect(onlyResource(json, 'kubernetes_namespace_v1').metadata.labels).toEqual({
        'app.kubernetes.io/managed-by': 'paved',
        'pod-security.kubernetes.io/enforce': 'restricted',
        'pod-security.kubernetes.io/enforce-version': 'latest',
        'pod-security.kubernetes.io/audit': 'restricted',
        'pod-security.kubernetes.io/audit-version': 'latest',
        'pod-security.kubernetes.io/warn': 'restricted',
        'pod-security.kubernetes.io/warn-version': 'latest',
      });
      expect(json.resource.helm_release.ArgoCd).toMatchObject({
        name: 'argocd',
        namespace: '${kubernetes_namespace_v1.Namespace.metadata[0].name}',
        repository: 'https://argoproj.github.io/argo-helm',
        chart: 'argo-cd',
        version: '10.1.1',
        atomic: true,
        wait: true,
      });
    });

    test('Argo CD without its admin account, anonymous access, exec or Dex; nobody has a role by default', () => {
      const values = argoCdValues(synthTerraform(bootstrap()));
      expect(values.configs.cm).toMatchObject({
        'admin.enabled': false, 'users.anonymous.enabled': false, 'exec.enabled': false, 'statusbadge.enabled': false,
      });
      expect(values.configs.rbac).toEqual({ 'policy.default': '', 'policy.csv': '', 'scopes': '[groups]' });
      expect(values.dex).toEqual({ enabled: false });
      expect(values.configs.cm['oidc.config']).toBeUndefined();
      expect(JSON.stringify(values)).not.toMatch(/argocdServerAdminPassword/);
    });

    test('Argo CD assesses Applications\' health, so the sync waves of the root Application wait for each addon', () => {
      const values = argoCdValues(synthTerraform(bootstrap()));
      expect(values.configs.cm['resource.customizations.health.argoproj.io_Application']).toContain('hs.status = obj.status.health.status');
    });

    test('a development cluster runs one of each Argo CD component', () => {
      const values = argoCdValues(synthTerraform(bootstrap()));
      expect(values['redis-ha']).toEqual({ enabled: false });
      expect(values.server).toEqual({});
      expect(values.applicationSet.replicas).toBe(1);
    });

    test('registers the cluster with Argo CD: in-cluster, no credentials, GitOps Bridge labels and annotations', () => {
      // WHEN
      const json = synthTerraform(bootstrap());
      // THEN
      const secret = json.resource.kubernetes_secret_v1.ClusterSecret;
      expect(secret.data).toEqual({ name: 'dev-cluster', server: 'https://kubernetes.default.svc', config: '{"tlsClientConfig":{"insecure":false}}' });
      expect(secret.metadata.name).toBe('cluster-dev-cluster');
      expect(secret.metadata.labels).toEqual({
        'argocd.argoproj.io/secret-type': 'cluster',
        'app.kubernetes.io/managed-by': 'paved',
        'environment': 'dev',
        'aws_region': 'eu-central-1',
        'aws_account_id': '123456789012',
        'aws_cluster_name': 'dev-cluster',
        'enable_external_secrets': 'true',
        'enable_keda': 'true',
        'enable_reloader': 'true',
        'enable_aws_load_balancer_controller': 'true',
        'enable_metrics_server': 'true',
        'enable_kube_prometheus_stack': 'true',
        'enable_cloudwatch_exporter': 'true',
      });
      expect(secret.metadata.annotations).toMatchObject({
        environment: 'dev',
        aws_account_id: '123456789012',
        aws_region: 'eu-central-1',
        aws_cluster_name: 'dev-cluster',
        aws_vpc_id: '${data.aws_eks_cluster.Cluster.vpc_config[0].vpc_id}',
        addons_repo_url: REPO,
        addons_repo_revision: 'main',
        addons_repo_basepath: ROOT_PATH,
        external_secrets_iam_role_arn: 'arn:aws:iam::123456789012:role/paved-dev-external-secrets',
        external_secrets_service_account: 'external-secrets',
        external_secrets_namespace: 'external-secrets',
        keda_iam_role_arn: 'arn:aws:iam::123456789012:role/paved-dev-keda',
        keda_service_account: 'keda-operator',
        aws_load_balancer_controller_iam_role_arn: 'arn:aws:iam::123456789012:role/dev-cluster-aws-load-balancer-controller',
        aws_load_balancer_controller_service_account: 'aws-load-balancer-controller',
        metrics_server_namespace: 'kube-system',
      });
      expect(secret.metadata.annotations.metrics_server_iam_role_arn).toBeUndefined();
    });

    test('makes the load balancer controller\'s role: Pod Identity only, for its namespace and service account on this cluster', () => {
      // WHEN
      const stack = bootstrap();
      const json = synthTerraform(stack);
      // THEN
      const role = Object.values<any>(json.resource.aws_iam_role).find(r => r.name === 'dev-cluster-aws-load-balancer-controller');
      expect(JSON.parse(role.assume_role_policy).Statement).toEqual([{
        Sid: 'EksPodIdentity',
        Effect: 'Allow',
        Principal: { Service: 'pods.eks.amazonaws.com' },
        Action: ['sts:AssumeRole', 'sts:TagSession'],
        Condition: {
          StringEquals: {
            'aws:SourceAccount': '123456789012',
            'aws:RequestTag/eks-cluster-arn': 'arn:aws:eks:eu-central-1:123456789012:cluster/dev-cluster',
            'aws:RequestTag/kubernetes-namespace': 'aws-load-balancer-controller',
            'aws:RequestTag/kubernetes-service-account': 'aws-load-balancer-controller',
          },
        },
      }]);
      const policy = JSON.parse(Object.values<any>(json.resource.aws_iam_role_policy).find(p => p.name === 'aws-load-balancer-controller').policy);
      expect(policy.Statement.find((s: any) => s.Sid === 'SecurityGroupRulesInTheClusterVpc').Condition)
        .toEqual({ ArnEquals: { 'ec2:Vpc': 'arn:aws:ec2:eu-central-1:123456789012:vpc/${data.aws_eks_cluster.Cluster.vpc_config[0].vpc_id}' } });
      expect(Object.values<any>(json.resource.aws_eks_pod_identity_association).find(a => a.namespace === 'aws-load-balancer-controller')).toMatchObject({
        cluster_name: 'dev-cluster', service_account: 'aws-load-balancer-controller',
      });
      expect(Object.keys(stack.addonRoles)).toEqual(['aws-load-balancer-controller', 'cloudwatch-exporter']);
      expect(Object.keys(stack.addonRoleArns)).toEqual(['external-secrets', 'keda', 'aws-load-balancer-controller', 'cloudwatch-exporter']);
    });

    test('makes the CloudWatch exporter\'s role: read metrics and resource tags only, for its service account in monitoring on this cluster', () => {
      const json = synthTerraform(bootstrap());
      const role = Object.values<any>(json.resource.aws_iam_role).find(r => r.name === 'dev-cluster-cloudwatch-exporter');
      expect(JSON.parse(role.assume_role_policy).Statement[0].Condition.StringEquals).toMatchObject({
        'aws:RequestTag/kubernetes-namespace': 'monitoring', 'aws:RequestTag/kubernetes-service-account': 'cloudwatch-exporter',
      });
      const policy = JSON.parse(Object.values<any>(json.resource.aws_iam_role_policy).find(p => p.name === 'cloudwatch-exporter').policy);
      expect(policy.Statement).toEqual([{
        Sid: 'ReadCloudWatchMetrics',
        Effect: 'Allow',
        Action: ['cloudwatch:GetMetricData', 'cloudwatch:GetMetricStatistics', 'cloudwatch:ListMetrics', 'tag:GetResources'],
        Resource: '*',
      }]);
    });

    test('creates the platform project, locks the default project, and points the root Application at the cluster\'s folder', () => {
      // WHEN
      const json = synthTerraform(bootstrap());
      // THEN
      const release = json.resource.helm_release.RootApplication;
      expect(release).toMatchObject({ chart: 'argocd-apps', version: '2.0.5', repository: 'https://argoproj.github.io/argo-helm', take_ownership: true });
      expect(release.depends_on).toEqual(['helm_release.ArgoCd', 'kubernetes_secret_v1.ClusterSecret']);
      const values = rootValues(json);
      expect(values.applications.root).toMatchObject({
        namespace: 'argocd',
        project: 'platform',
        source: { repoURL: REPO, targetRevision: 'main', path: ROOT_PATH },
        destination: { server: 'https://kubernetes.default.svc', namespace: 'argocd' },
        syncPolicy: { automated: { prune: true, selfHeal: true } },
      });
      expect(values.projects.platform.sourceRepos).toEqual([...new Set([REPO, ...Addon.defaults().map(a => a.repoUrl)])]);
      expect(values.projects.platform.destinations).toEqual([{ server: 'https://kubernetes.default.svc', namespace: '*' }]);
      expect(values.projects.default).toMatchObject({ sourceRepos: [], destinations: [], clusterResourceWhitelist: [] });
    });

    test('without addons: no addon role, label or chart repository, only the platform repository', () => {
      const stack = bootstrap({ addons: undefined });
      const json = synthTerraform(stack);
      expect(resourcesOf(json, 'aws_iam_role')).toEqual([]);
      expect(Object.keys(json.resource.kubernetes_secret_v1.ClusterSecret.metadata.labels).filter(k => k.startsWith('enable_'))).toEqual([]);
      expect(rootValues(json).projects.platform.sourceRepos).toEqual([REPO]);
      expect(stack.addonRoleArns).toEqual({});
    });

    test('a public repository needs no repository Secret and no secret read', () => {
      const json = synthTerraform(bootstrap());
      expect(json.resource.kubernetes_secret_v1.RepositorySecret).toBeUndefined();
      expect(json.ephemeral).toBeUndefined();
    });

    test('every reference resolves', () => {
      expectNoDanglingReferences(synthTerraform(bootstrap({ credentials: RepositoryCredentials.fromSecretsManager('paved/git'), argoCd: { url: 'https://argocd.acme.io', oidc: OIDC } })));
    });

    test('snapshot', () => {
      expect(synthTerraform(bootstrap())).toMatchSnapshot();
    });
  });

  describe('production', () => {
    test('runs Argo CD highly available: Redis HA in restricted containers, autoscaled servers, disruption budgets', () => {
      // WHEN
      const values = argoCdValues(synthTerraform(bootstrap({}, Profile.PROD)));
      // THEN
      expect(values['redis-ha']).toMatchObject({
        enabled: true,
        hardAntiAffinity: false,
        containerSecurityContext: { runAsNonRoot: true, capabilities: { drop: ['ALL'] }, seccompProfile: { type: 'RuntimeDefault' } },
        haproxy: { containerSecurityContext: { allowPrivilegeEscalation: false } },
      });
      expect(values.server).toEqual({ autoscaling: { enabled: true, minReplicas: 2 }, pdb: { enabled: true, minAvailable: 1 } });
      expect(values.repoServer).toEqual({ autoscaling: { enabled: true, minReplicas: 2 }, pdb: { enabled: true, minAvailable: 1 } });
      expect(values.applicationSet).toEqual({ replicas: 2, pdb: { enabled: true, minAvailable: 1 } });
    });

    test('highAvailability overrides the profile, and the report shows it', () => {
      const stack = bootstrap({ argoCd: { highAvailability: false } }, Profile.PROD);
      expect(stack.highAvailability).toBe(false);
      expect(argoCdValues(synthTerraform(stack))['redis-ha']).toEqual({ enabled: false });
    });
  });

  describe('options', () => {
    test('SSO through OIDC: the client secret is copied from Secrets Manager through a write-only attribute, never into the state', () => {
      // WHEN
      const stack = bootstrap({ argoCd: { url: 'https://argocd.{environment}.acme.io', oidc: OIDC, adminGroups: ['platform'], readOnlyGroups: ['developers'] } });
      const json = synthTerraform(stack);
      // THEN
      const secret = json.resource.kubernetes_secret_v1.OidcClientSecret;
      expect(secret.metadata).toMatchObject({ name: 'argocd-oidc', labels: { 'app.kubernetes.io/part-of': 'argocd' } });
      expect(secret.data).toBeUndefined();
      expect(secret.data_wo).toEqual({ clientSecret: '${jsondecode(ephemeral.aws_secretsmanager_secret_version.oidc_client_secret.secret_string)["clientSecret"]}' });
      expect(secret.data_wo_revision).toBe(1);
      expect(json.ephemeral.aws_secretsmanager_secret_version.oidc_client_secret).toEqual({ secret_id: 'paved/argocd/oidc' });
      const values = argoCdValues(json);
      expect(stack.argoCdUrl).toBe('https://argocd.dev.acme.io');
      expect(values.global).toEqual({ domain: 'argocd.dev.acme.io' });
      expect(values.configs.cm.url).toBe('https://argocd.dev.acme.io');
      expect(values.configs.cm['oidc.config']).toBe(
        'name: SSO\nissuer: https://acme.okta.com\nclientID: argocd\nclientSecret: $argocd-oidc:clientSecret\nrequestedScopes:\n  - openid\n  - profile\n  - email\n  - groups\n');
      expect(values.configs.rbac['policy.csv']).toBe('g, platform, role:admin\ng, developers, role:readonly');
      expect(json.resource.helm_release.ArgoCd.depends_on).toEqual(['kubernetes_secret_v1.OidcClientSecret']);
    });

    test('OIDC name and scopes can be set', () => {
      const json = synthTerraform(bootstrap({ argoCd: { url: 'https://argocd.acme.io', oidc: { ...OIDC, name: 'Okta', requestedScopes: ['openid', 'groups'] } } }));
      expect(argoCdValues(json).configs.cm['oidc.config']).toContain('name: Okta\n');
      expect(argoCdValues(json).configs.cm['oidc.config']).toContain('requestedScopes:\n  - openid\n  - groups\n');
    });

    test('private repository: the credentials are copied from Secrets Manager into the repository Secret through a write-only attribute', () => {
      // WHEN
      const json = synthTerraform(bootstrap({ credentials: RepositoryCredentials.fromSecretsManager('paved/platform/git', { revision: 4 }) }));
      // THEN
      const secret = json.resource.kubernetes_secret_v1.RepositorySecret;
      expect(secret.metadata).toMatchObject({ name: 'platform-repository', labels: { 'argocd.argoproj.io/secret-type': 'repository' } });
      expect(secret.data_wo).toBe(
        `\${merge(jsondecode(ephemeral.aws_secretsmanager_secret_version.repository_credentials.secret_string), { "type" = "git", "url" = "${REPO}" })}`);
      expect(secret.data_wo_revision).toBe(4);
      expect(json.resource.helm_release.RootApplication.depends_on).toContain('kubernetes_secret_v1.RepositorySecret');
      expect(JSON.stringify(json)).not.toMatch(/"password"|sshPrivateKey/);
    });

    test('the admin account can be kept, and the report records it as insecure', () => {
      const stack = bootstrap({ argoCd: { adminEnabled: true } });
      expect(argoCdValues(synthTerraform(stack)).configs.cm['admin.enabled']).toBe(true);
      stack.environment.platform.synth();
      const report = fs.readFileSync(path.join(stack.environment.platform.outdir, 'report.md'), 'utf8');
      expect(report).toContain('| bootstrap-dev-cluster | argoCd.adminEnabled | true | **override: local admin account kept (insecure)** |');
    });

    test('chart version and values can be set; values merge over paved\'s', () => {
      const json = synthTerraform(bootstrap({ argoCd: { chartVersion: '10.2.0', values: { controller: { replicas: 2 }, dex: null } } }));
      expect(json.resource.helm_release.ArgoCd.version).toBe('10.2.0');
      const values = argoCdValues(json);
      expect(values.controller).toEqual({ replicas: 2 });
      expect(values.dex).toBeUndefined();
      expect(values.configs.cm['admin.enabled']).toBe(false);
    });

    test('ExternalDNS gets a role that changes the records of the environment\'s zone only', () => {
      // GIVEN
      const platform = testPlatform();
      const { env, cluster } = clusterEnvironment(platform);
      new Dns(env, 'Dns', { zoneName: 'dev.acme.io' });
      // WHEN
      const json = synthTerraform(new ClusterBootstrap(platform.terraform, 'bootstrap-dev-cluster', {
        cluster, repoUrl: REPO, revision: 'main', rootPath: ROOT_PATH, addons: [Addon.externalDns()],
      }));
      // THEN
      expect(json.data.aws_route53_zone).toEqual({ 'Addon-external-dns_ExternalDnsZone_03C485B6': expect.objectContaining({ name: 'dev.acme.io', private_zone: false }) });
      const policy = JSON.parse(onlyResource(json, 'aws_iam_role_policy').policy);
      expect(policy.Statement[0]).toEqual({
        Sid: 'ChangeRecordsOfTheEnvironmentZone',
        Effect: 'Allow',
        Action: ['route53:ChangeResourceRecordSets', 'route53:ListResourceRecordSets'],
        Resource: 'arn:aws:route53:::hostedzone/${data.aws_route53_zone.Addon-external-dns_ExternalDnsZone_03C485B6.zone_id}',
      });
      expect(onlyResource(json, 'aws_iam_role').name).toBe('dev-cluster-external-dns');
      expectNoDanglingReferences(json);
    });

    test('a custom addon with permissions gets a role named <cluster>-<addon>', () => {
      const json = synthTerraform(bootstrap({
        addons: [Addon.helm({
          name: 'backup',
          namespace: 'backup',
          repoUrl: 'https://charts.example.com',
          chart: 'backup',
          version: '1.0.0',
          serviceAccount: 'backup',
          permissions: [{ actions: ['s3:PutObject'], resources: ['arn:aws:s3:::backups/*'] }],
        })],
      }));
      expect(onlyResource(json, 'aws_iam_role').name).toBe('dev-cluster-backup');
      expect(JSON.parse(onlyResource(json, 'aws_iam_role_policy').policy).Statement)
        .toEqual([{ Effect: 'Allow', Action: 's3:PutObject', Resource: 'arn:aws:s3:::backups/*' }]);
      expect(resourcesOf(json, 'aws_eks_pod_identity_association')).toHaveLength(1);
    });

    test('a long cluster name shortens the addon role name to IAM\'s 64 characters', () => {
      const platform = testPlatform();
      const { env } = clusterEnvironment(platform, 'dev');
      const long = new Cluster(env, 'VeryLongClusterNameForTheAnalyticsTeam', { adminRoleArns: [] });
      const stack = new ClusterBootstrap(platform.terraform, 'b', { cluster: long, repoUrl: REPO, revision: 'main', rootPath: 'x', addons: [Addon.awsLoadBalancerController()] });
      expect(onlyResource(synthTerraform(stack), 'aws_iam_role').name.length).toBeLessThanOrEqual(64);
    });
  });

  describe('fails when', () => {
    test('the cluster has a bootstrap stack already, or its stack name is another stack\'s', () => {
      // GIVEN
      const first = bootstrap();
      const props = { cluster: first.cluster, repoUrl: REPO, revision: 'main', rootPath: ROOT_PATH };
      const platform = first.environment.platform;
      // THEN
      expect(() => new ClusterBootstrap(platform.terraform, 'bootstrap-dev-cluster', props)).toThrow(
        'bootstrap-dev-cluster: id: got "bootstrap-dev-cluster"; expected an id whose stack name "bootstrap-dev-cluster" is free: '
        + 'the bootstrap stack of cluster dev/Cluster has it');
      expect(() => new ClusterBootstrap(platform.terraform, 'dev', props))
        .toThrow('dev: id: got "dev"; expected an id whose stack name "dev" is free: environment dev has it');
    });

    test('an addon\'s role name is a workload role\'s of the environment', () => {
      // GIVEN the role of service account backup in namespace cluster: dev-cluster-backup
      const platform = testPlatform();
      const { env, cluster } = clusterEnvironment(platform);
      new WorkloadIdentity(env, 'Identity', { cluster, namespace: 'cluster', serviceAccount: 'backup' });
      const backup = Addon.helm({
        name: 'backup',
        namespace: 'backup',
        repoUrl: 'https://charts.example.com',
        chart: 'backup',
        version: '1.0.0',
        serviceAccount: 'backup',
        permissions: [{ actions: ['s3:PutObject'], resources: ['arn:aws:s3:::backups/*'] }],
      });
      // THEN
      expect(() => new ClusterBootstrap(platform.terraform, ClusterBootstrap.stackName(cluster), {
        cluster, repoUrl: REPO, revision: 'main', rootPath: ROOT_PATH, addons: [backup],
      })).toThrow('bootstrap-dev-cluster: addons: got "backup"; expected an addon whose role name "dev-cluster-backup" is not taken by dev/Identity of environment dev');
    });

    test('the cluster is imported', () => {
      const env = workloadEnvironment();
      const imported = Cluster.allOf(env)[0];
      expect(() => new ClusterBootstrap(env.platform.terraform, 'b', { cluster: imported as any, repoUrl: REPO, revision: 'main', rootPath: 'x' }))
        .toThrow('b: cluster: got "dev/Cluster"; expected a Cluster (new Cluster(...))');
    });

    test('OIDC comes without a URL, or with a malformed issuer, client id, secret or scopes', () => {
      expect(() => bootstrap({ argoCd: { oidc: OIDC } }))
        .toThrow('bootstrap-dev-cluster: argoCd.url: got undefined; expected the URL of Argo CD when oidc is set');
      const url = 'https://argocd.acme.io';
      expect(() => bootstrap({ argoCd: { url, oidc: { ...OIDC, issuer: 'http://okta' } } })).toThrow('argoCd.oidc.issuer: got "http://okta"');
      expect(() => bootstrap({ argoCd: { url, oidc: { ...OIDC, clientId: 'a b' } } })).toThrow('argoCd.oidc.clientId: got "a b"');
      expect(() => bootstrap({ argoCd: { url, oidc: { ...OIDC, clientSecret: 's3cr3t' as any } } }))
        .toThrow('bootstrap-dev-cluster: argoCd.oidc.clientSecret: got "(an inline value, not shown)"; expected a BootstrapSecret (BootstrapSecret.fromSecretsManager(...))');
      expect(() => bootstrap({ argoCd: { url, oidc: { ...OIDC, requestedScopes: ['groups'] } } })).toThrow('argoCd.oidc.requestedScopes: got ["groups"]');
    });

    test('the URL is not https or names an unknown placeholder', () => {
      expect(() => bootstrap({ argoCd: { url: 'http://argocd.acme.io' } })).toThrow('argoCd.url: got "http://argocd.acme.io"; expected an https:// URL');
      expect(() => bootstrap({ argoCd: { url: 'https://argocd.{region}.acme.io' } })).toThrow('argoCd.url: got "https://argocd.{region}.acme.io"');
    });

    test('groups are given without SSO, or are malformed', () => {
      expect(() => bootstrap({ argoCd: { adminGroups: ['platform'] } }))
        .toThrow('argoCd.adminGroups: got ["platform"]; expected no groups without oidc (groups come from the SSO provider)');
      expect(() => bootstrap({ argoCd: { url: 'https://argocd.acme.io', oidc: OIDC, readOnlyGroups: ['a,b'] } }))
        .toThrow('argoCd.readOnlyGroups: got ["a,b"]; expected a list of group names without commas or line breaks');
    });

    test('the chart version is not a semantic version', () => {
      expect(() => bootstrap({ argoCd: { chartVersion: 'stable' } }))
        .toThrow('bootstrap-dev-cluster: argoCd.chartVersion: got "stable"; expected a chart version in semantic versioning');
    });
  });
});
