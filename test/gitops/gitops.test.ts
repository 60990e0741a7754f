import * as fs from 'fs';
import * as path from 'path';
import { KubeConfigMap } from 'cdk8s-plus-28/lib/imports/k8s';
import * as YAML from 'yaml';
import {
  Addon, AddonCapability, AlertPack, Cluster, Dns, Environment, GitOps, GitOpsProps, Platform, PlatformMonitoring, Profile, Resource, Routing, Tenant,
  TenantSecretAccess, WebApp, Worker, Workload,
} from '../../lib';
import { REPO, argocdFiles, byKindAndName, clusterEnvironment } from '../support/gitops';
import { expectValidKubernetesObjects } from '../support/k8s-schema';
import { testPlatform, workloadEnvironment } from '../support/synth';
import { expectNoDanglingReferences } from '../support/tf-references';

const IMAGE = 'ghcr.io/acme/orders:1.4.2';
const QUEUE = { queueUrl: 'https://sqs.eu-central-1.amazonaws.com/123456789012/dev-shop-jobs', queueName: 'dev-shop-jobs', region: 'eu-central-1', isPavedQueue: true };

/** A platform with one DEV environment and its cluster, and GitOps over it. */
function platformWith(props: Partial<GitOpsProps> = {}): { platform: Platform; env: Environment; cluster: Cluster; gitops: GitOps } {
  const platform = testPlatform();
  const { env, cluster } = clusterEnvironment(platform);
  const gitops = new GitOps(platform, 'GitOps', { repoUrl: REPO, ...props });
  return { platform, env, cluster, gitops };
}

function orders(env: Environment, props: any = {}): Workload {
  return new Workload(env, 'orders', { tenant: 'shop', image: IMAGE, port: 8080, resources: { db: Resource.postgres() }, ...props });
}

/** The Argo CD objects of one cluster's folder, by `<kind>/<name>`. */
function clusterObjects(platform: Platform, env: string, cluster: string): { [key: string]: any } {
  const files = argocdFiles(platform);
  return byKindAndName(Object.entries(files).filter(([file]) => file.startsWith(`argocd/${env}/${cluster}/`)).flatMap(([, objects]) => objects));
}

function synthFails(platform: Platform): string {
  try {
    platform.synth();
  } catch (e) {
    return (e as Error).message;
  }
  throw new Error('synth succeeded');
}

describe('GitOps', () => {
  describe('cluster folders', () => {
    test('one Application per addon: its pinned chart and values, the platform project, its wave, applied server-side', () => {
      // WHEN
      const { platform } = platformWith();
      // THEN
      const objects = clusterObjects(platform, 'dev', 'dev-cluster');
      const keda = objects['Application/addon-keda'];
      expect(keda.metadata).toMatchObject({ namespace: 'argocd', annotations: { 'argocd.argoproj.io/sync-wave': '-6' } });
      expect(keda.metadata.finalizers).toBeUndefined();
      expect(keda.spec).toMatchObject({
        project: 'platform',
        source: {
          repoURL: 'https://kedacore.github.io/charts',
          chart: 'keda',
          targetRevision: '2.20.2',
          helm: { releaseName: 'keda', valuesObject: { serviceAccount: { operator: { create: true, name: 'keda-operator' } } } },
        },
        destination: { server: 'https://kubernetes.default.svc', namespace: 'keda' },
        syncPolicy: {
          automated: { prune: true, selfHeal: true },
          syncOptions: ['CreateNamespace=true', 'ServerSideApply=true', 'PruneLast=true'],
          retry: { limit: 10, backoff: { duration: '10s', factor: 2, maxDuration: '5m' } },
        },
      });
      expect(Object.keys(objects).filter(k => k.startsWith('Application/addon-'))).toEqual(Addon.defaults().map(a => `Application/addon-${a.name}`));
      expect(objects['Application/addon-kube-prometheus-stack'].metadata.annotations['argocd.argoproj.io/sync-wave']).toBe('-5');
    });

    test('addon namespaces get their Pod Security level; kube-system is left alone', () => {
      const objects = clusterObjects(platformWith().platform, 'dev', 'dev-cluster');
      expect(objects['Application/addon-external-secrets'].spec.syncPolicy.managedNamespaceMetadata.labels).toMatchObject({
        'pod-security.kubernetes.io/enforce': 'restricted', 'pod-security.kubernetes.io/enforce-version': 'latest',
      });
      expect(objects['Application/addon-kube-prometheus-stack'].spec.syncPolicy.managedNamespaceMetadata.labels['pod-security.kubernetes.io/enforce'])
        .toBe('privileged');
      const metricsServer = objects['Application/addon-metrics-server'].spec.syncPolicy;
      expect(metricsServer.managedNamespaceMetadata).toBeUndefined();
      expect(metricsServer.syncOptions).toEqual(['ServerSideApply=true', 'PruneLast=true']);
    });

    test('what an addon ships besides its chart is a second source: Grafana\'s admin password, generated in the cluster', () => {
      // WHEN
      const { platform } = platformWith();
      // THEN
      const files = argocdFiles(platform);
      const stack = byKindAndName(files['argocd/dev/dev-cluster/addons.k8s.yaml'])['Application/addon-kube-prometheus-stack'];
      expect(stack.spec.source).toBeUndefined();
      expect(stack.spec.sources[1]).toEqual({
        repoURL: REPO, targetRevision: 'main', path: 'out/argocd/dev/dev-cluster/addon-resources', directory: { include: 'kube-prometheus-stack.k8s.yaml' },
      });
      const resources = byKindAndName(files['argocd/dev/dev-cluster/addon-resources/kube-prometheus-stack.k8s.yaml']);
      expect(resources['Password/grafana-admin'].spec).toMatchObject({ length: 40 });
      expect(resources['ExternalSecret/grafana-admin'].spec).toMatchObject({
        refreshPolicy: 'CreatedOnce',
        target: { name: 'grafana-admin', template: { data: { 'admin-user': 'admin', 'admin-password': '{{ .password }}' } } },
      });
      expect(resources['ExternalSecret/grafana-admin'].metadata.namespace).toBe('monitoring');
    });

    test('per tenant on the cluster: its own AppProject, its boundary (platform project) and its workloads (its project)', () => {
      // GIVEN
      const { platform, env } = platformWith();
      // WHEN
      orders(env);
      // THEN
      const objects = clusterObjects(platform, 'dev', 'dev-cluster');
      expect(objects['AppProject/tenant-shop'].spec).toEqual({
        description: 'Tenant shop: deploys only to namespace shop',
        sourceRepos: [REPO],
        destinations: [{ server: 'https://kubernetes.default.svc', namespace: 'shop' }],
        clusterResourceWhitelist: [],
        namespaceResourceBlacklist: [
          { group: '', kind: 'ResourceQuota' }, { group: '', kind: 'LimitRange' },
          { group: 'rbac.authorization.k8s.io', kind: 'Role' }, { group: 'rbac.authorization.k8s.io', kind: 'RoleBinding' },
          { group: 'external-secrets.io', kind: 'SecretStore' }, { group: 'external-secrets.io', kind: 'PushSecret' },
        ],
        orphanedResources: { warn: true },
      });
      const boundary = objects['Application/boundary-shop'];
      expect(boundary.metadata.annotations).toEqual({ 'argocd.argoproj.io/sync-wave': '-4' });
      expect(boundary.spec).toMatchObject({
        project: 'platform',
        source: { repoURL: REPO, targetRevision: 'main', path: 'out/k8s/dev/shop', directory: { include: 'tenant.k8s.yaml' } },
        destination: { namespace: 'shop' },
        syncPolicy: { syncOptions: ['CreateNamespace=false', 'PruneLast=true', 'FailOnSharedResource=true'] },
      });
      const workloads = objects['Application/tenant-shop'];
      expect(workloads.metadata).toMatchObject({
        annotations: { 'argocd.argoproj.io/sync-wave': '0' }, finalizers: ['resources-finalizer.argocd.argoproj.io'],
      });
      expect(workloads.spec).toMatchObject({
        project: 'tenant-shop',
        source: { path: 'out/k8s/dev/shop', directory: { exclude: 'tenant.k8s.yaml' } },
        destination: { namespace: 'shop' },
        syncPolicy: { syncOptions: ['CreateNamespace=false', 'PruneLast=true', 'RespectIgnoreDifferences=true', 'FailOnSharedResource=true'] },
        ignoreDifferences: [
          { group: 'apps', kind: 'Deployment', jsonPointers: ['/spec/replicas'] },
          { group: 'apps', kind: 'StatefulSet', jsonPointers: ['/spec/replicas'] },
        ],
      });
    });

    test('tenants declared after GitOps get their Applications too', () => {
      const { platform, env } = platformWith();
      TenantSecretAccess.declare(env, 'billing');
      const objects = clusterObjects(platform, 'dev', 'dev-cluster');
      expect(objects['AppProject/tenant-billing']).toBeDefined();
      expect(objects['Application/boundary-billing']).toBeDefined();
      // Nothing of the tenant runs here yet: no workloads Application.
      expect(objects['Application/tenant-billing']).toBeUndefined();
    });

    test('a Tenant declared by hand (for apps built from WebApp, Worker or CronJob) is delivered like any other', () => {
      // GIVEN
      const { platform, env } = platformWith();
      // WHEN
      new Tenant(env.chart('tenant', 'payments'), 'Tenant', { name: 'payments' });
      new WebApp(env.chart('ledger', 'payments'), 'ledger', { image: IMAGE, profile: env.profile });
      // THEN
      const objects = clusterObjects(platform, 'dev', 'dev-cluster');
      expect(objects['Application/boundary-payments'].spec.source.directory).toEqual({ include: 'tenant.k8s.yaml' });
      expect(objects['Application/tenant-payments'].spec.source.directory).toEqual({ exclude: 'tenant.k8s.yaml' });
    });

    test('platform-wide objects of the environment (k8s/<env>/*.k8s.yaml) go to each of its clusters, after the tenants', () => {
      // GIVEN
      const { platform, env } = platformWith();
      new KubeConfigMap(env.chart('alert-pack'), 'Pack', { metadata: { name: 'pack', namespace: 'monitoring' } });
      // WHEN
      const application = clusterObjects(platform, 'dev', 'dev-cluster')['Application/platform-objects'];
      // THEN
      expect(application.metadata.annotations['argocd.argoproj.io/sync-wave']).toBe('1');
      expect(application.spec).toMatchObject({
        project: 'platform', source: { path: 'out/k8s/dev', directory: { recurse: false } }, destination: { namespace: 'default' },
      });
    });

    test('an alert pack goes to every cluster of its environments through platform-objects, not as a tenant', () => {
      // GIVEN
      const platform = testPlatform();
      const { env } = clusterEnvironment(platform);
      const { env: prod } = clusterEnvironment(platform, 'prod', Profile.PROD);
      new Cluster(prod, 'Batch', { adminRoleArns: [] });
      new GitOps(platform, 'GitOps', { repoUrl: REPO });
      // WHEN
      const pack = new AlertPack(platform, 'postgres', { owner: 'dbaas', environments: [env.name, prod.name] });
      pack.addAlert({ name: 'PostgresDown', expr: 'max(aws_rds_cpuutilization_average) > 95', summary: 'a database is saturated' });
      // THEN
      for (const [environment, cluster] of [['dev', 'dev-cluster'], ['prod', 'prod-cluster'], ['prod', 'prod-batch']]) {
        const objects = clusterObjects(platform, environment, cluster);
        expect(objects['Application/platform-objects'].spec.source.path).toBe(`out/k8s/${environment}`);
        expect(Object.keys(objects).filter(key => key.includes('monitoring'))).toEqual([]);
      }
      const files = platform._charts().filter(c => c.output === 'k8s' && c.chart.toJson().some(o => o.kind === 'PrometheusRule')).map(c => c.file);
      expect(files).toEqual(['k8s/dev/alert-pack-postgres.k8s.yaml', 'k8s/prod/alert-pack-postgres.k8s.yaml']);
    });

    test('the CloudWatch exporter ships each cluster\'s CloudWatch-derived rules as a second source, in the monitoring namespace', () => {
      // GIVEN
      const { platform, env } = platformWith();
      // WHEN
      orders(env);
      // THEN
      const application = clusterObjects(platform, 'dev', 'dev-cluster')['Application/addon-cloudwatch-exporter'];
      expect(application.spec.sources[1]).toMatchObject({ path: 'out/argocd/dev/dev-cluster/addon-resources', directory: { include: 'cloudwatch-exporter.k8s.yaml' } });
      const rules = clusterObjects(platform, 'dev', 'dev-cluster')['PrometheusRule/cloudwatch-alerts'];
      expect(rules.metadata.namespace).toBe('monitoring');
      expect(rules.spec.groups.map((g: any) => g.name)).toEqual(['cloudwatch-platform', 'cloudwatch-shop']);
      expect(rules.spec.groups[1].rules[0].labels).toMatchObject({ namespace: 'shop', workload: 'orders' });
    });

    test('fails when an environment\'s PlatformMonitoring comes after GitOps, which took its default stack', () => {
      const { env } = platformWith();
      expect(() => new PlatformMonitoring(env, 'Monitoring')).toThrow('dev/Monitoring: environment: got "dev"; expected a PlatformMonitoring declared before');
    });

    test('a repository root, a revision and a folder can be set', () => {
      const { platform, env } = platformWith({ path: '', revision: 'release/2026-08' });
      orders(env);
      const objects = clusterObjects(platform, 'dev', 'dev-cluster');
      expect(objects['Application/tenant-shop'].spec.source).toMatchObject({ path: 'k8s/dev/shop', targetRevision: 'release/2026-08' });
      const nested = platformWith({ path: './deploy/out/' });
      expect(nested.gitops.path).toBe('deploy/out');
      expect(nested.gitops.bootstrapOf(nested.cluster).node.id).toBe('bootstrap-dev-cluster');
    });

    test('every Argo CD object is valid against the Argo CD CRD schemas', () => {
      const { platform, env } = platformWith({ addons: [...Addon.defaults(), Addon.certManager()] });
      orders(env, { host: 'orders.dev.acme.io' });
      new KubeConfigMap(env.chart('alert-pack'), 'Pack', { metadata: { name: 'pack', namespace: 'monitoring' } });
      const objects = Object.values(argocdFiles(platform)).flat();
      expect(objects.length).toBeGreaterThan(10);
      expectValidKubernetesObjects(objects);
    });
  });

  describe('several clusters', () => {
    function twoClusters(): { platform: Platform; env: Environment; blue: Cluster; green: Cluster } {
      const platform = testPlatform();
      const { env, cluster: blue } = clusterEnvironment(platform);
      const green = new Cluster(env, 'Green', { adminRoleArns: [] });
      return { platform, env, blue, green };
    }

    test('every cluster is bootstrapped and gets the addons', () => {
      const { platform, env, blue, green } = twoClusters();
      const gitops = new GitOps(platform, 'GitOps', { repoUrl: REPO });
      expect(gitops.bootstraps.map(b => b.node.id)).toEqual(['bootstrap-dev-cluster', 'bootstrap-dev-green']);
      expect(gitops.bootstrapOf(green).cluster).toBe(green);
      expect(clusterObjects(platform, env.name, blue.name)['Application/addon-keda']).toBeDefined();
      expect(clusterObjects(platform, env.name, green.name)['Application/addon-keda']).toBeDefined();
    });

    test('a tenant runs only on the clusters it names: no project, boundary or Application anywhere else', () => {
      // GIVEN
      const { platform, env, blue, green } = twoClusters();
      new GitOps(platform, 'GitOps', { repoUrl: REPO });
      // WHEN
      TenantSecretAccess.declare(env, 'shop', { clusters: [blue] });
      TenantSecretAccess.declare(env, 'billing', { clusters: [green] });
      orders(env);
      new Workload(env, 'invoices', { tenant: 'billing', image: IMAGE, port: 8080 });
      // THEN
      const onBlue = clusterObjects(platform, env.name, blue.name);
      const onGreen = clusterObjects(platform, env.name, green.name);
      expect(Object.keys(onBlue).filter(k => /shop|billing/.test(k))).toEqual(['AppProject/tenant-shop', 'Application/boundary-shop', 'Application/tenant-shop']);
      expect(Object.keys(onGreen).filter(k => /shop|billing/.test(k))).toEqual(['AppProject/tenant-billing', 'Application/boundary-billing', 'Application/tenant-billing']);
    });

    test('a workload placed on one of its tenant\'s clusters is left out of the tenant\'s Application on the other', () => {
      // GIVEN
      const { platform, env, blue, green } = twoClusters();
      new GitOps(platform, 'GitOps', { repoUrl: REPO });
      TenantSecretAccess.declare(env, 'shop', { clusters: [blue, green] });
      // WHEN
      orders(env);
      new Workload(env, 'reports', { tenant: 'shop', image: IMAGE, port: 8080, cluster: green });
      // THEN
      expect(clusterObjects(platform, env.name, blue.name)['Application/tenant-shop'].spec.source.directory)
        .toEqual({ exclude: '{tenant.k8s.yaml,reports.k8s.yaml}' });
      expect(clusterObjects(platform, env.name, green.name)['Application/tenant-shop'].spec.source.directory)
        .toEqual({ exclude: 'tenant.k8s.yaml' });
    });

    test('each data store\'s database admin file goes to its workload\'s first cluster only; the namespace and a tenant\'s store where it has one', () => {
      // GIVEN
      const { platform, env, blue, green } = twoClusters();
      new GitOps(platform, 'GitOps', { repoUrl: REPO });
      TenantSecretAccess.declare(env, 'shop', { clusters: [blue, green] });
      TenantSecretAccess.declare(env, 'billing', { clusters: [green] });
      // WHEN
      orders(env);
      new Workload(env, 'invoices', { tenant: 'billing', image: IMAGE, port: 8080, resources: { db: Resource.mysql() } });
      // THEN
      const admin = (cluster: Cluster) => clusterObjects(platform, env.name, cluster.name)['Application/database-admin'];
      expect(admin(blue).spec.source).toMatchObject({
        path: 'out/k8s/dev/paved-db-admin',
        directory: { include: '{namespace.k8s.yaml,store-shop.k8s.yaml,user-shop-orders-db.k8s.yaml}' },
      });
      expect(admin(green).spec.source.directory).toEqual({ include: '{namespace.k8s.yaml,store-billing.k8s.yaml,user-billing-invoices-db.k8s.yaml}' });
      expect(admin(blue).metadata.annotations).toEqual({ 'argocd.argoproj.io/sync-wave': '-2' });
      expect(admin(blue).spec).toMatchObject({ project: 'platform', destination: { namespace: 'paved-db-admin' } });
      expect(admin(blue).spec.syncPolicy.syncOptions).toEqual(['CreateNamespace=false', 'PruneLast=true', 'FailOnSharedResource=true']);
    });

    test('a cluster without data stores gets no database admin Application', () => {
      const { platform, env, blue, green } = twoClusters();
      new GitOps(platform, 'GitOps', { repoUrl: REPO });
      TenantSecretAccess.declare(env, 'shop', { clusters: [blue] });
      orders(env);
      expect(clusterObjects(platform, env.name, blue.name)['Application/database-admin']).toBeDefined();
      expect(clusterObjects(platform, env.name, green.name)['Application/database-admin']).toBeUndefined();
    });

    test('every environment of the platform by default; environments chooses some', () => {
      const platform = testPlatform();
      const dev = clusterEnvironment(platform, 'dev');
      const prod = clusterEnvironment(platform, 'prod', Profile.PROD);
      expect(new GitOps(platform, 'All', { repoUrl: REPO }).environments).toEqual([dev.env, prod.env]);
      const other = testPlatform();
      const only = clusterEnvironment(other, 'prod', Profile.PROD);
      clusterEnvironment(other, 'dev');
      expect(new GitOps(other, 'Prod', { repoUrl: REPO, environments: [only.env] }).bootstraps.map(b => b.node.id)).toEqual(['bootstrap-prod-cluster']);
    });
  });

  describe('the synthesized tree', () => {
    let platform: Platform;
    let outdir: string;
    let manifest: any;
    const yamlFiles = new Map<string, any[]>();

    beforeAll(() => {
      platform = testPlatform();
      const dev = clusterEnvironment(platform, 'dev');
      const prod = clusterEnvironment(platform, 'prod', Profile.PROD);
      for (const env of [dev.env, prod.env]) { new Dns(env, 'Dns', { zoneName: `${env.name}.acme.io` }); }
      new GitOps(platform, 'GitOps', { repoUrl: REPO, addons: [...Addon.defaults(), Addon.externalDns()] });
      for (const env of [dev.env, prod.env]) {
        orders(env, { host: `orders.${env.name}.acme.io`, resources: { db: Resource.postgres(), cache: Resource.redis() } });
        new Worker(env.chart('orders-worker', 'shop'), 'Worker', { name: 'orders-worker', image: IMAGE, queue: { ...QUEUE, queueName: `${env.name}-shop-jobs`, queueUrl: `https://sqs.eu-central-1.amazonaws.com/123456789012/${env.name}-shop-jobs` } });
        new KubeConfigMap(env.chart('alert-pack'), 'Pack', { metadata: { name: 'pack', namespace: 'monitoring' } });
      }
      const result = platform.synth();
      outdir = result.outdir;
      manifest = JSON.parse(fs.readFileSync(path.join(outdir, 'cdktf.out/manifest.json'), 'utf8'));
      for (const file of result.manifests) {
        yamlFiles.set(file, YAML.parseAllDocuments(fs.readFileSync(path.join(outdir, file), 'utf8')).map(d => d.toJSON()));
      }
    });

    const stack = (name: string) => JSON.parse(fs.readFileSync(path.join(outdir, 'cdktf.out', manifest.stacks[name].synthesizedStackPath), 'utf8'));
    const applications = () => [...yamlFiles.entries()].filter(([file]) => file.startsWith('argocd/'))
      .flatMap(([file, objects]) => objects.filter(o => o.kind === 'Application').map(o => ({ file, app: o })));

    test('manifest.json records each bootstrap stack\'s dependency on its environment\'s stack', () => {
      expect(manifest.stacks['bootstrap-dev-cluster'].dependencies).toEqual(['dev']);
      expect(manifest.stacks['bootstrap-prod-cluster'].dependencies).toEqual(['prod']);
      expectNoDanglingReferences(stack('bootstrap-prod-cluster'));
    });

    test('the path of every Application, and of each root Application, exists in the synthesized tree', () => {
      const repoFile = (repoPath: string) => path.join(outdir, path.relative('out', repoPath));
      const checked: string[] = [];
      for (const { file, app } of applications()) {
        for (const source of app.spec.sources ?? [app.spec.source]) {
          if (source.repoURL !== REPO) { continue; }
          const folder = repoFile(source.path);
          expect({ file, app: app.metadata.name, exists: fs.existsSync(folder) }).toEqual({ file, app: app.metadata.name, exists: true });
          const included: string[] | undefined = source.directory?.include?.replace(/^\{|\}$/g, '').split(',');
          const excluded: string[] = source.directory?.exclude?.replace(/^\{|\}$/g, '').split(',') ?? [];
          for (const name of [...(included ?? []), ...excluded]) {
            const exists = fs.existsSync(path.join(folder, name));
            expect({ app: app.metadata.name, name, exists }).toEqual({ app: app.metadata.name, name, exists: true });
          }
          // The Application delivers at least one manifest.
          const delivered = fs.readdirSync(folder).filter(f => f.endsWith('.yaml') && (included ? included.includes(f) : !excluded.includes(f)));
          expect({ app: app.metadata.name, delivered: delivered.length > 0 }).toEqual({ app: app.metadata.name, delivered: true });
          checked.push(app.metadata.name);
        }
      }
      expect(checked).toEqual(expect.arrayContaining(['boundary-shop', 'tenant-shop', 'platform-objects', 'addon-kube-prometheus-stack', 'database-admin']));
      for (const name of ['bootstrap-dev-cluster', 'bootstrap-prod-cluster']) {
        const root = JSON.parse(stack(name).resource.helm_release.RootApplication.values[0]).applications.root.source;
        expect(fs.readdirSync(repoFile(root.path))).toEqual(expect.arrayContaining(['addons.k8s.yaml', 'tenant-shop.k8s.yaml']));
      }
    });

    test('every Application\'s project exists on its cluster, and its destination namespace is made by an Application of the cluster', () => {
      for (const { file, app } of applications()) {
        const clusterFolder = file.split('/').slice(0, 3).join('/');
        const clusterObjectsHere = [...yamlFiles.entries()].filter(([f]) => f.startsWith(`${clusterFolder}/`) && !f.includes('/addon-resources/'))
          .flatMap(([, objects]) => objects);
        const projects = new Set(['platform', ...clusterObjectsHere.filter(o => o.kind === 'AppProject').map(o => o.metadata.name)]);
        expect({ app: app.metadata.name, project: projects.has(app.spec.project) }).toEqual({ app: app.metadata.name, project: true });
        const namespace = app.spec.destination.namespace;
        // Tenants' boundaries and the database admin namespace's file deliver their Namespace.
        const tenantNamespaces = [...yamlFiles.entries()].filter(([f]) => f.endsWith('/tenant.k8s.yaml') || f.endsWith('/paved-db-admin/namespace.k8s.yaml'))
          .flatMap(([, objects]) => objects.filter(o => o.kind === 'Namespace').map(o => o.metadata.name));
        const made = ['default', 'kube-system'].includes(namespace)
          || tenantNamespaces.includes(namespace)
          || app.spec.syncPolicy.syncOptions.includes('CreateNamespace=true');
        expect({ app: app.metadata.name, namespace, made }).toEqual({ app: app.metadata.name, namespace, made: true });
      }
    });

    test('every addon role annotated on a cluster\'s registration is an IAM role of the Terraform output', () => {
      const roles = new Set(Object.keys(manifest.stacks)
        .flatMap(name => Object.values(stack(name).resource?.aws_iam_role ?? {}).map((r: any) => r.name)));
      for (const name of ['bootstrap-dev-cluster', 'bootstrap-prod-cluster']) {
        const annotations = stack(name).resource.kubernetes_secret_v1.ClusterSecret.metadata.annotations;
        const arns = Object.entries(annotations).filter(([key]) => key.endsWith('_iam_role_arn')).map(([, arn]) => arn as string);
        expect(arns.length).toBe(5);
        for (const arn of arns) {
          expect({ arn, exists: roles.has(arn.split(':role/')[1]) }).toEqual({ arn, exists: true });
        }
      }
    });

    test('every object delivered to a cluster is served by one of its addons', () => {
      const kinds = new Set([...yamlFiles.values()].flat().map(o => `${o.apiVersion.split('/')[0]}/${o.kind}`));
      expect([...kinds]).toEqual(expect.arrayContaining(['keda.sh/ScaledObject', 'external-secrets.io/ExternalSecret', 'networking.k8s.io/Ingress']));
      expect(platform.validate()).toEqual([]);
    });

    test('every Kubernetes object written is valid', () => {
      expectValidKubernetesObjects([...yamlFiles.values()].flat());
    });

    test('the report lists the addons, their versions, and the privileged namespace of the monitoring stack', () => {
      const report = fs.readFileSync(path.join(outdir, 'report.md'), 'utf8');
      expect(report).toContain('| GitOps | addons.keda | keda 2.20.2 | paved pin |');
      expect(report).toContain('| GitOps | addons.external-dns | external-dns 1.21.1 | paved pin |');
      expect(report).toContain('| GitOps | addons.kube-prometheus-stack.podSecurity | **privileged** | addon needs it |');
      expect(report).toContain('| GitOps | addons.cert-manager | not installed | platform engineer\'s list |');
      expect(report).toContain('| bootstrap-prod-cluster | argoCd.highAvailability | true | profile prod |');
    });
  });

  describe('fails when', () => {
    test('manifests paved did not make are written into the database admin folder', () => {
      const { platform, env } = platformWith();
      orders(env);
      new KubeConfigMap(env.chart('extra', 'paved-db-admin'), 'Extra', { metadata: { name: 'extra' } });
      expect(synthFails(platform)).toContain('tenants: got "k8s/dev/paved-db-admin/extra.k8s.yaml"; expected manifests outside k8s/dev/paved-db-admin/, '
        + 'the folder of paved\'s database admin namespace (no tenant can have its name)');
    });

    test('a workload scales on a queue and KEDA is not among the addons (at construction)', () => {
      const platform = testPlatform();
      const { env } = clusterEnvironment(platform);
      TenantSecretAccess.declare(env, 'shop');
      new Worker(env.chart('orders-worker', 'shop'), 'Worker', { name: 'orders-worker', image: IMAGE, queue: QUEUE });
      expect(() => new GitOps(platform, 'GitOps', { repoUrl: REPO, addons: Addon.defaults().filter(a => a.name !== 'keda') })).toThrow(
        'GitOps: addons: got "TriggerAuthentication shop/orders-worker (k8s/dev/shop/orders-worker.k8s.yaml) on cluster dev-cluster"; '
        + 'expected an addon that serves kind keda.sh/TriggerAuthentication: keda is not among them (add Addon.keda())');
    });

    test('a workload with connection secrets is declared after GitOps without External Secrets (at synth, nothing written)', () => {
      // GIVEN
      const { platform, env } = platformWith({ addons: Addon.defaults().filter(a => !['external-secrets', 'kube-prometheus-stack', 'cloudwatch-exporter'].includes(a.name)) });
      // WHEN
      orders(env);
      // THEN
      const message = synthFails(platform);
      expect(message).toContain('GitOps: addons: got "SecretStore shop/paved (k8s/dev/shop/tenant.k8s.yaml) on cluster dev-cluster"; '
        + 'expected an addon that serves kind external-secrets.io/SecretStore: external-secrets is not among them (add Addon.externalSecrets())');
      expect(message).toContain('got "ExternalSecret shop/orders-db (k8s/dev/shop/orders.k8s.yaml) on cluster dev-cluster"');
      expect(fs.existsSync(platform.outdir)).toBe(false);
    });

    test('the monitoring stack is kept while External Secrets, which makes its Grafana password, is left out', () => {
      expect(() => platformWith({ addons: Addon.defaults().filter(a => a.name !== 'external-secrets') })).toThrow(
        'GitOps: addons: got "Password monitoring/grafana-admin (argocd/dev/dev-cluster/addon-resources/kube-prometheus-stack.k8s.yaml) on cluster dev-cluster"; '
        + 'expected an addon that serves kind generators.external-secrets.io/Password: external-secrets is not among them (add Addon.externalSecrets())');
    });

    test('an Ingress has a class no addon serves, or the load balancer controller is left out', () => {
      const { platform, env } = platformWith();
      TenantSecretAccess.declare(env, 'shop');
      new WebApp(env.chart('site', 'shop'), 'site', { image: IMAGE, host: 'site.acme.io' });
      expect(synthFails(platform)).toContain(
        'addons: got "Ingress shop/site (k8s/dev/shop/site.k8s.yaml) on cluster dev-cluster"; expected an addon that serves IngressClass nginx (add one with Addon.helm({ ..., capabilities: [...] }))');
      const other = platformWith({ addons: Addon.defaults().filter(a => a.name !== 'aws-load-balancer-controller') });
      orders(other.env, { host: 'orders.acme.io' });
      expect(synthFails(other.platform)).toContain('expected an addon that serves IngressClass alb: aws-load-balancer-controller is not among them');
    });

    test('an autoscaler runs without metrics-server, or Reloader is left out while a workload asks for reloads', () => {
      const { platform, env } = platformWith({ addons: Addon.defaults().filter(a => !['metrics-server', 'reloader'].includes(a.name)) });
      orders(env);
      const message = synthFails(platform);
      expect(message).toContain('got "HorizontalPodAutoscaler shop/orders (k8s/dev/shop/orders.k8s.yaml) on cluster dev-cluster"; '
        + 'expected an addon that serves kind autoscaling/HorizontalPodAutoscaler: metrics-server is not among them (add Addon.metricsServer())');
      expect(message).toContain('expected an addon that serves annotation secret.reloader.stakater.com/reload: reloader is not among them (add Addon.reloader())');
    });

    test('an object of a CRD no addon serves; an addon listing it as a capability serves it', () => {
      const gateway = (platform: Platform, env: Environment) => {
        TenantSecretAccess.declare(env, 'shop');
        new WebApp(env.chart('site', 'shop'), 'site', { image: IMAGE, host: 'site.acme.io', routing: Routing.httpRoute({ gatewayName: 'public', gatewayNamespace: 'gateways' }) });
        return platform;
      };
      const without = platformWith();
      expect(synthFails(gateway(without.platform, without.env))).toContain(
        'got "HTTPRoute shop/site (k8s/dev/shop/site.k8s.yaml) on cluster dev-cluster"; expected an addon that serves kind gateway.networking.k8s.io/HTTPRoute');
      const envoy = Addon.helm({
        name: 'envoy-gateway',
        namespace: 'envoy-gateway-system',
        repoUrl: 'https://charts.example.com/envoy',
        chart: 'gateway-helm',
        version: '1.5.0',
        capabilities: [AddonCapability.apiGroup('gateway.networking.k8s.io')],
      });
      const served = platformWith({ addons: [...Addon.defaults(), envoy] });
      expect(gateway(served.platform, served.env).validate()).toEqual([]);
    });

    test('the repository URL is not https or ssh, or holds credentials', () => {
      for (const url of ['http://github.com/acme/platform.git', 'git://github.com/acme/platform.git', 'file:///srv/platform', '/srv/platform', 'github.com/acme/platform']) {
        expect(() => platformWith({ repoUrl: url })).toThrow(
          `GitOps: repoUrl: got ${JSON.stringify(url)}; expected a Git repository URL: "https://host/path", "ssh://user@host/path" or "git@host:path" (no credentials in the URL: use credentials)`);
      }
      expect(() => platformWith({ repoUrl: 'https://x-access-token:ghp_123@github.com/acme/platform.git' })).toThrow('GitOps: repoUrl: got "https://x-access-token:ghp_123@github.com');
      expect(platformWith({ repoUrl: 'ssh://git@github.com/acme/platform.git' }).gitops.repoUrl).toBe('ssh://git@github.com/acme/platform.git');
      expect(platformWith({ repoUrl: 'git@github.com:acme/platform.git' }).gitops.repoUrl).toBe('git@github.com:acme/platform.git');
    });

    test('two clusters of the GitOps environments have the same name', () => {
      const platform = testPlatform();
      for (const name of ['staging', 'prod']) {
        const { env } = clusterEnvironment(platform, name, Profile.PROD, name === 'prod' ? '10.20.0.0/16' : '10.30.0.0/16');
        new Cluster(env, 'Shared', { clusterName: 'shared', adminRoleArns: [] });
      }
      expect(() => new GitOps(platform, 'GitOps', { repoUrl: REPO })).toThrow(
        'GitOps: environments: got "shared"; expected clusters of distinct names across the environments: staging/Shared and prod/Shared are both "shared" (their bootstrap stacks would collide)');
    });

    test('two addons have the same name, or share a namespace with different Pod Security levels', () => {
      expect(() => platformWith({ addons: [...Addon.defaults(), Addon.keda({ version: '2.21.0' })] })).toThrow(
        'GitOps: addons[7]: got "keda"; expected addons of distinct names (replace paved\'s addon rather than adding it twice)');
      const neighbour = Addon.helm({ name: 'exporter', namespace: 'monitoring', repoUrl: 'https://charts.example.com', chart: 'exporter', version: '1.0.0' });
      expect(() => platformWith({ addons: [...Addon.defaults(), neighbour] })).toThrow(
        'GitOps: addons[5].podSecurity: got "privileged"; expected the Pod Security level of exporter (restricted), which shares namespace monitoring');
    });

    test('an environment has an imported cluster, or is not one of the platform', () => {
      const env = workloadEnvironment();
      expect(() => new GitOps(env.platform, 'GitOps', { repoUrl: REPO })).toThrow(
        'GitOps: environments: got "dev/Cluster"; expected environments whose clusters paved creates: dev/Cluster is imported (Cluster.fromAttributes)');
      const other = clusterEnvironment(testPlatform(), 'other').env;
      expect(() => platformWith({ environments: [other] })).toThrow('GitOps: environments: got ["other"]; expected environments of this platform (dev)');
    });

    test('a cluster is declared after GitOps: it has no bootstrap, so a tenant placed on it has nowhere to go', () => {
      const { platform, env } = platformWith();
      const late = new Cluster(env, 'Late', { adminRoleArns: [] });
      TenantSecretAccess.declare(env, 'shop', { clusters: [late] });
      expect(synthFails(platform)).toContain(
        'GitOps: environments: got "dev/Late"; expected clusters declared before the GitOps construct (dev/Late was declared after it and has no bootstrap)');
    });

    test('a tenant brings its own AppProject', () => {
      const { platform, env } = platformWith();
      TenantSecretAccess.declare(env, 'shop', { appProject: { sourceRepos: [REPO] } });
      expect(synthFails(platform)).toContain(
        'GitOps: tenants: got "shop (appProject)"; expected no AppProject of the tenant\'s own: GitOps writes the AppProject tenant-shop of every tenant (remove appProject)');
    });

    test('manifests are written for a tenant that has no boundary', () => {
      const { platform, env } = platformWith();
      new KubeConfigMap(env.chart('settings', 'ghost'), 'Settings', { metadata: { name: 'settings' } });
      expect(synthFails(platform)).toContain(
        'GitOps: tenants: got "k8s/dev/ghost/settings.k8s.yaml"; expected manifests of a tenant with a boundary: tenant "ghost" has none '
        + '(declare it with TenantSecretAccess.declare(env, \'ghost\') or new Tenant(env.chart(\'tenant\', \'ghost\'), ...), or give it a Workload)');
    });

    test('a Tenant declared by hand lives in an environment of several clusters, so it cannot say where it runs', () => {
      const platform = testPlatform();
      const { env } = clusterEnvironment(platform);
      new Cluster(env, 'Green', { adminRoleArns: [] });
      new GitOps(platform, 'GitOps', { repoUrl: REPO });
      new Tenant(env.chart('tenant', 'payments'), 'Tenant', { name: 'payments' });
      expect(synthFails(platform)).toContain(
        'GitOps: tenants: got "k8s/dev/payments/tenant.k8s.yaml"; expected a tenant placed on clusters: a Tenant declared by hand runs on the environment\'s one cluster, '
        + 'and dev has 2; declare it with TenantSecretAccess.declare(env, \'payments\', { clusters }) instead');
    });

    test('GitOps is not given the Platform, or a bootstrap stack name is taken', () => {
      expect(() => new GitOps({} as any, 'GitOps', { repoUrl: REPO })).toThrow('GitOps: platform: got {}; expected a Platform (new Platform(...) or Platform.of(...))');
      const platform = testPlatform();
      const { env } = clusterEnvironment(platform, 'bootstrap-ab');
      new Cluster(env, 'Ab', { clusterName: 'ab', adminRoleArns: [] });
      clusterEnvironment(platform, 'other', Profile.DEV, '10.30.0.0/16');
      expect(() => new GitOps(platform, 'GitOps', { repoUrl: REPO }))
        .toThrow('GitOps: environments: got "ab"; expected clusters whose stack name "bootstrap-ab" is free: environment bootstrap-ab has it');
    });

    test('a bootstrap stack would take a tenant stack\'s name, or a tenant stack a bootstrap stack\'s', () => {
      // GIVEN an environment "bootstrap" whose tenant dev-cluster has the stack bootstrap-dev-cluster
      const platform = testPlatform();
      const { env } = clusterEnvironment(platform);
      const other = new Environment(platform, 'bootstrap', { account: '123456789012', region: 'eu-central-1' });
      other.tenantScope('dev-cluster');
      // THEN
      expect(() => new GitOps(platform, 'GitOps', { repoUrl: REPO, environments: [env] })).toThrow(
        'GitOps: environments: got "dev-cluster"; expected clusters whose stack name "bootstrap-dev-cluster" is free: '
        + 'the stack of tenant dev-cluster of environment bootstrap has it');

      // GIVEN the other order: GitOps bootstraps dev-cluster first
      const later = testPlatform();
      clusterEnvironment(later);
      new GitOps(later, 'GitOps', { repoUrl: REPO });
      const late = new Environment(later, 'bootstrap', { account: '123456789012', region: 'eu-central-1' });
      // THEN
      expect(() => late.tenantScope('dev-cluster')).toThrow(
        'bootstrap: tenant: got "dev-cluster"; expected a tenant whose stack name "bootstrap-dev-cluster" is free: '
        + 'the bootstrap stack of cluster dev/Cluster has it');
    });

    test('the revision or the folder is malformed', () => {
      expect(() => platformWith({ revision: '-main' })).toThrow('GitOps: revision: got "-main"; expected a branch, tag or commit');
      expect(() => platformWith({ revision: 'a..b' })).toThrow('GitOps: revision: got "a..b"');
      expect(() => platformWith({ path: '/out' })).toThrow('GitOps: path: got "/out"; expected a folder relative to the repository\'s root');
      expect(() => platformWith({ path: 'out/../x' })).toThrow('GitOps: path: got "out/../x"');
    });

    test('ExternalDNS is an addon while an environment has no DNS zone', () => {
      expect(() => platformWith({ addons: [...Addon.defaults(), Addon.externalDns()] })).toThrow(
        'GitOps: addons: got "external-dns"; expected a Dns zone in environment dev, whose records ExternalDNS writes');
    });

    test('a cluster would get nothing to sync: no addons and no tenants', () => {
      expect(() => platformWith({ addons: [] })).toThrow(
        'GitOps: addons: got []; expected addons or tenants for cluster dev-cluster (its root Application would sync an empty folder)');
    });

    test('the addons are not Addons, or the options of Argo CD are malformed', () => {
      expect(() => platformWith({ addons: ['keda' as any] })).toThrow('GitOps: addons[0]: got "keda"; expected an Addon (Addon.externalSecrets(...), Addon.keda(...), Addon.reloader(...), Addon.awsLoadBalancerController(...), Addon.metricsServer(...), Addon.kubePrometheusStack(...), Addon.cloudwatchExporter(...), Addon.externalDns(...), Addon.certManager(...) or Addon.helm(...))');
      expect(() => platformWith({ argoCd: { url: 'ftp://argocd' } })).toThrow('GitOps: argoCd.url: got "ftp://argocd"');
    });

    test('bootstrapOf is asked about a cluster GitOps does not deliver to', () => {
      const { gitops } = platformWith();
      const other = clusterEnvironment(testPlatform(), 'other').cluster;
      expect(() => gitops.bootstrapOf(other)).toThrow('GitOps: cluster: got "other/Cluster"; expected a cluster of the GitOps environments (dev/Cluster)');
    });
  });

  test('the Argo CD objects of a cluster match the snapshot', () => {
    const { platform, env } = platformWith();
    orders(env, { host: 'orders.acme.io' });
    const files = argocdFiles(platform);
    expect(Object.fromEntries(Object.entries(files).filter(([file]) => !file.includes('addons.k8s.yaml')))).toMatchSnapshot();
  });
});
