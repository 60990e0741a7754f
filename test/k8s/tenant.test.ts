import * as fs from 'fs';
import * as path from 'path';
import { App, Chart, JsonPatch } from 'cdk8s';
import { Token } from 'cdktf';
import { Size } from '../../lib/core';
import { ConcurrencyPolicy, CronJob, Probe, RolloutStrategy, Tenant, TenantProps, WebApp, Worker } from '../../lib/k8s';
import { expectValidKubernetesObjects } from '../support/k8s-schema';
import { prodEnvironment, synthChart, testPlatform } from '../support/synth';

const ROLE_ARN = 'arn:aws:iam::123456789012:role/prod-shop-secrets';
const REPO = 'https://git.example.com/shop/deploy.git';
const FULL: TenantProps = {
  readOnlyGroups: ['shop-viewers', 'support'],
  deployerGroups: ['shop-developers'],
  secretStore: { region: 'eu-central-1', roleArn: ROLE_ARN },
  appProject: { sourceRepos: [REPO] },
};

function newChart(namespace?: string): Chart {
  return new Chart(new App(), 'test', { namespace, disableResourceNameHashes: true });
}

/** The objects of a Tenant `shop`, in order. */
function synthList(props: TenantProps = {}, chart: Chart = newChart('shop')): any[] {
  new Tenant(chart, 'shop', props);
  return synthChart(chart);
}

/** The objects of a Tenant `shop`, keyed by `Kind/name`. */
function synth(props: TenantProps = {}): { [kindName: string]: any } {
  return Object.fromEntries(synthList(props).map(o => [`${o.kind}/${o.metadata.name}`, o]));
}

function attempt(props: TenantProps, id: string = 'shop'): () => Tenant {
  return () => new Tenant(newChart(), id, props);
}

/** Every [apiGroup, resource, verb] a Role grants. */
function grants(role: any): string[][] {
  return role.rules.flatMap((r: any) => r.apiGroups.flatMap((g: string) =>
    r.resources.flatMap((res: string) => r.verbs.map((v: string) => [g, res, v]))));
}

function grantsOn(role: any, group: string, resource: string): string[] {
  return grants(role).filter(([g, r]) => g === group && r === resource).map(([, , v]) => v).sort();
}

describe('Tenant', () => {
  describe('objects', () => {
    test('makes a Namespace, quota, limit range, two NetworkPolicies, the default ServiceAccount and two Roles by default', () => {
      // WHEN
      const objects = synthList();
      // THEN
      expect(objects.map(o => `${o.apiVersion} ${o.kind} ${o.metadata.name}`)).toEqual([
        'v1 Namespace shop',
        'v1 ResourceQuota shop',
        'v1 LimitRange shop',
        'networking.k8s.io/v1 NetworkPolicy default-deny',
        'networking.k8s.io/v1 NetworkPolicy allow-dns',
        'v1 ServiceAccount default',
        'rbac.authorization.k8s.io/v1 Role read-only',
        'rbac.authorization.k8s.io/v1 Role deployer',
      ]);
      expectValidKubernetesObjects(objects);
    });

    test('adds RoleBindings, the SecretStore and the AppProject when asked, all valid against the schemas', () => {
      // WHEN
      const objects = synthList(FULL);
      // THEN
      expect(objects.slice(8).map(o => `${o.apiVersion} ${o.kind} ${o.metadata.name}`)).toEqual([
        'rbac.authorization.k8s.io/v1 RoleBinding read-only',
        'rbac.authorization.k8s.io/v1 RoleBinding deployer',
        'external-secrets.io/v1 SecretStore paved',
        'argoproj.io/v1alpha1 AppProject shop',
      ]);
      expectValidKubernetesObjects(objects);
    });

    test('puts the namespaced objects in the tenant namespace and the Namespace in none, whatever the chart namespace', () => {
      for (const chart of [newChart('shop'), newChart(), newChart('elsewhere')]) {
        const objects = synthList(FULL, chart);
        expect(objects[0].metadata).not.toHaveProperty('namespace');
        expect(objects.slice(1).map(o => o.metadata.namespace)).toEqual([...Array(10).fill('shop'), 'argocd']);
      }
    });

    test('labels every object with app.kubernetes.io labels, the instance equal to its name', () => {
      for (const object of synthList(FULL)) {
        expect(object.metadata.labels).toMatchObject({
          'app.kubernetes.io/name': object.metadata.name,
          'app.kubernetes.io/instance': object.metadata.name,
          'app.kubernetes.io/component': 'tenant',
          'app.kubernetes.io/part-of': 'shop',
          'app.kubernetes.io/managed-by': 'paved',
        });
      }
    });

    test('exposes every object for escape hatches: a JSON patch survives synthesis', () => {
      // GIVEN
      const chart = newChart('shop');
      const tenant = new Tenant(chart, 'shop', FULL);
      // WHEN
      tenant.namespace.addJsonPatch(JsonPatch.add('/metadata/annotations', { 'example.com/owner': 'shop-team' }));
      tenant.resourceQuota.addJsonPatch(JsonPatch.add('/spec/hard/count~1jobs.batch', '50'));
      // THEN
      const objects = synthChart(chart);
      expect(objects[0].metadata.annotations).toEqual({ 'example.com/owner': 'shop-team' });
      expect(objects[1].spec.hard['count/jobs.batch']).toBe('50');
      expect([tenant.limitRange, tenant.defaultDenyPolicy, tenant.allowDnsPolicy, tenant.defaultServiceAccount, tenant.readOnlyRole,
        tenant.deployerRole, tenant.readOnlyRoleBinding, tenant.deployerRoleBinding, tenant.secretStore, tenant.appProject]
        .every(o => o !== undefined)).toBe(true);
    });

    test('name defaults to the construct id and can be set', () => {
      const objects = synthList({ name: 'payments' });
      expect(objects[0].metadata.name).toBe('payments');
      expect(objects[1].metadata.namespace).toBe('payments');
    });

    test('matches the snapshot', () => {
      expect(synthList(FULL)).toMatchSnapshot();
    });
  });

  describe('namespace', () => {
    test('enforces, audits and warns on the restricted Pod Security Standard at the latest version', () => {
      expect(synth()['Namespace/shop'].metadata.labels).toMatchObject({
        'pod-security.kubernetes.io/enforce': 'restricted',
        'pod-security.kubernetes.io/enforce-version': 'latest',
        'pod-security.kubernetes.io/audit': 'restricted',
        'pod-security.kubernetes.io/audit-version': 'latest',
        'pod-security.kubernetes.io/warn': 'restricted',
        'pod-security.kubernetes.io/warn-version': 'latest',
      });
    });
  });

  describe('quota', () => {
    /** A WebApp of `size` in chart `apps`, next to the tenant. */
    const webApp = (chart: Chart, name: string, props: Partial<ConstructorParameters<typeof WebApp>[2]> = {}) =>
      new WebApp(chart, name, { image: `ghcr.io/acme/${name}:1.0.0`, ...props });

    test('without workloads holds one pod of Size.M and nothing else', () => {
      expect(synth()['ResourceQuota/shop'].spec.hard).toEqual({
        'requests.cpu': '250m',
        'limits.cpu': '1000m',
        'requests.memory': '256Mi',
        'limits.memory': '512Mi',
        'requests.ephemeral-storage': '128Mi',
        'limits.ephemeral-storage': '512Mi',
        'pods': '1',
        'services': '0',
        'persistentvolumeclaims': '0',
        'services.loadbalancers': '0',
        'services.nodeports': '0',
      });
    });

    test('derives from its workloads at max replicas plus surge, with 25% headroom and at least one more pod', () => {
      // GIVEN six size-M web apps: 6 replicas at most, a surge of 25% (2 pods), 250m cpu requested per pod
      const chart = newChart('shop');
      const tenant = new Tenant(chart, 'shop');
      // WHEN
      for (let i = 1; i <= 6; i++) { tenant.addWorkload(webApp(chart, `app${i}`)); }
      // THEN 48 pods: 12000m requested; headroom 3000m (25%, more than one pod's 250m)
      expect(tenant.resourceQuota.toJson().spec.hard).toEqual({
        'requests.cpu': '15000m',
        'limits.cpu': '60000m',
        'requests.memory': '15360Mi',
        'limits.memory': '30720Mi',
        'requests.ephemeral-storage': '7680Mi',
        'limits.ephemeral-storage': '30720Mi',
        'pods': '60',
        'services': '8',
        'persistentvolumeclaims': '0',
        'services.loadbalancers': '0',
        'services.nodeports': '0',
      });
    });

    test('counts the surge of the rollout strategy: a count, a percentage rounded up, none for Recreate', () => {
      // GIVEN
      const chart = newChart('shop');
      const tenant = new Tenant(chart, 'shop', { size: Size.S });
      const surge = (strategy: RolloutStrategy) => webApp(chart, `app${chart.node.children.length}`, { strategy, maxReplicas: 10 }).quotaFootprint();
      // WHEN / THEN
      expect(surge(RolloutStrategy.rollingUpdate({ maxSurge: '3' }))).toMatchObject({ maxPods: 13, maxPodsReason: 'maxReplicas 10 + surge 3' });
      expect(surge(RolloutStrategy.rollingUpdate({ maxSurge: '15%' }))).toMatchObject({ maxPods: 12, maxPodsReason: 'maxReplicas 10 + surge 2' });
      expect(surge(RolloutStrategy.recreate())).toMatchObject({ maxPods: 10, maxPodsReason: 'maxReplicas 10 + surge 0' });
      expect(tenant.quota.pods).toBe(1);
    });

    test('counts a pod as Kubernetes does: containers and sidecars summed, or the largest init container if larger', () => {
      // GIVEN a main container and a sidecar of 250m each, and an init container of 2 cores
      const chart = newChart('shop');
      const app = webApp(chart, 'orders', {
        containers: [{ name: 'proxy', image: 'ghcr.io/acme/proxy:1.0.0', livenessProbe: Probe.exec(['true']) }],
        initContainers: [{ name: 'migrate', image: 'ghcr.io/acme/migrate:1.0.0', containerResources: { cpuRequest: '2', cpuLimit: '2', memoryRequest: '64Mi' } }],
      });
      // WHEN
      const footprint = app.quotaFootprint();
      // THEN cpu requests: max(250m + 250m, 2000m); memory requests: max(256Mi + 256Mi, 64Mi)
      expect(footprint).toMatchObject({
        podCpuRequestMillis: 2000, podCpuLimitMillis: 2000, podMemoryRequestMiB: 512, podMemoryLimitMiB: 1024, services: 1,
      });
    });

    test('counts patches made through escape hatches', () => {
      // GIVEN
      const chart = newChart('shop');
      const app = webApp(chart, 'orders');
      // WHEN
      app.deployment.addJsonPatch(JsonPatch.replace('/spec/template/spec/containers/0/resources/requests/memory', '1Gi'));
      app.hpa.addJsonPatch(JsonPatch.replace('/spec/maxReplicas', 20));
      // THEN
      expect(app.quotaFootprint()).toMatchObject({ maxPods: 25, podMemoryRequestMiB: 1024 });
    });

    test('counts a Worker at the most replicas KEDA or its autoscaler starts, with surge', () => {
      // GIVEN
      const chart = newChart('shop');
      const queue = { queueUrl: 'https://sqs.eu-central-1.amazonaws.com/123456789012/dev-jobs', queueName: 'dev-jobs', region: 'eu-central-1', isPavedQueue: true };
      // WHEN
      const onCpu = new Worker(chart, 'mailer', { image: 'ghcr.io/acme/mailer:1.0.0', maxReplicas: 4 });
      const onQueue = new Worker(chart, 'importer', { image: 'ghcr.io/acme/importer:1.0.0', queue, maxReplicas: 20 });
      // THEN
      expect(onCpu.quotaFootprint()).toMatchObject({ maxPods: 5, maxPodsReason: 'maxReplicas 4 + surge 1', services: 0, podCpuRequestMillis: 250 });
      expect(onQueue.quotaFootprint()).toMatchObject({ maxPods: 25, maxPodsReason: 'maxReplicas 20 + surge 5' });
    });

    test('counts a CronJob by its concurrency policy: one run, two while replacing, every run its deadline lets overlap', () => {
      // GIVEN
      const chart = newChart('shop');
      const job = (name: string, concurrencyPolicy: ConcurrencyPolicy, schedule: string = '*/15 * * * *') =>
        new CronJob(chart, name, { image: `ghcr.io/acme/${name}:1.0.0`, schedule, concurrencyPolicy, activeDeadlineSeconds: 3600 }).quotaFootprint();
      // WHEN / THEN
      expect(job('forbid', ConcurrencyPolicy.FORBID)).toMatchObject({ maxPods: 1, maxPodsReason: '1 run at once (concurrencyPolicy Forbid) x parallelism 1' });
      expect(job('replace', ConcurrencyPolicy.REPLACE).maxPods).toBe(2);
      // Every 15 minutes, each run up to an hour: 5 runs may be active at once.
      expect(job('allow', ConcurrencyPolicy.ALLOW)).toMatchObject({ maxPods: 5, podCpuRequestMillis: 250, services: 0 });
      expect(job('nightly', ConcurrencyPolicy.ALLOW, '50 23 * * *').maxPods).toBe(1);
      // Shortest gap 10 minutes, across midnight (23:55 -> 00:05): 7 runs.
      expect(job('midnight', ConcurrencyPolicy.ALLOW, '5,55 0,23 * * *').maxPods).toBe(7);
      expect(job('hourly', ConcurrencyPolicy.ALLOW, '@hourly').maxPods).toBe(2);
    });

    test('takes the fields given and derives the rest, never a limit below a request given', () => {
      // GIVEN
      const chart = newChart('shop');
      const tenant = new Tenant(chart, 'shop', { quota: { cpuRequestMillis: 4000, pods: 50, loadBalancers: 1 } });
      // WHEN
      tenant.addWorkload(webApp(chart, 'orders'));
      // THEN the derived cpu limit (8 x 1000m + 25%) stays above the 4000m requested
      expect(tenant.resourceQuota.toJson().spec.hard).toMatchObject({
        'requests.cpu': '4000m', 'limits.cpu': '10000m', 'pods': '50', 'services': '2', 'services.loadbalancers': '1', 'services.nodeports': '0',
      });
      expect(tenant.quota).toMatchObject({ cpuRequestMillis: 4000, cpuLimitMillis: 10000, pods: 50, services: 2 });
      expect(new Tenant(newChart(), 'big', { quota: { cpuRequestMillis: 90000 } }).quota.cpuLimitMillis).toBe(90000);
    });

    test('gives containers without resources the requests and limits of the size', () => {
      expect(synth({ size: Size.L })['LimitRange/shop'].spec).toEqual({
        limits: [{
          type: 'Container',
          defaultRequest: { 'cpu': '500m', 'memory': '512Mi', 'ephemeral-storage': '256Mi' },
          default: { 'cpu': '2000m', 'memory': '1024Mi', 'ephemeral-storage': '1024Mi' },
        }],
      });
    });
  });

  describe('network policies', () => {
    test('deny all ingress and egress of every pod, then allow DNS', () => {
      const objects = synth();
      expect(objects['NetworkPolicy/default-deny'].spec).toEqual({ podSelector: {}, policyTypes: ['Ingress', 'Egress'] });
      expect(objects['NetworkPolicy/allow-dns'].spec).toEqual({
        podSelector: {},
        policyTypes: ['Egress'],
        egress: [{
          to: [{
            namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'kube-system' } },
            podSelector: { matchLabels: { 'k8s-app': 'kube-dns' } },
          }],
          ports: [{ protocol: 'UDP', port: 53 }, { protocol: 'TCP', port: 53 }],
        }],
      });
    });
  });

  describe('service account', () => {
    test('the default ServiceAccount mounts no API token', () => {
      expect(synth()['ServiceAccount/default'].automountServiceAccountToken).toBe(false);
    });
  });

  describe('RBAC', () => {
    test('uses no wildcard in any verb, resource or API group', () => {
      const objects = synthList(FULL).filter(o => o.kind === 'Role');
      const everything = objects.flatMap(role => role.rules.flatMap((r: any) => [...r.verbs, ...r.resources, ...r.apiGroups]));
      expect(everything.length).toBeGreaterThan(0);
      expect(everything.filter(s => s.includes('*'))).toEqual([]);
    });

    test('read-only may get, list and watch workloads and read logs, but nothing else', () => {
      const role = synth()['Role/read-only'];
      expect(grantsOn(role, 'apps', 'deployments')).toEqual(['get', 'list', 'watch']);
      expect(grantsOn(role, '', 'pods')).toEqual(['get', 'list', 'watch']);
      expect(grantsOn(role, '', 'pods/log')).toEqual(['get']);
      expect(grantsOn(role, 'batch', 'cronjobs')).toEqual(['get', 'list', 'watch']);
      expect(new Set(grants(role).map(([, , v]) => v))).toEqual(new Set(['get', 'list', 'watch']));
    });

    test('read-only may not read Secrets, exec into, attach to or port-forward to pods', () => {
      const resources = grants(synth()['Role/read-only']).map(([, r]) => r);
      for (const forbidden of ['secrets', 'pods/exec', 'pods/attach', 'pods/portforward']) {
        expect(resources).not.toContain(forbidden);
      }
    });

    test('deployer manages Deployments, Services, ConfigMaps, Ingresses, autoscalers, budgets, Jobs, CronJobs and ExternalSecrets', () => {
      const role = synth()['Role/deployer'];
      const manage = ['create', 'delete', 'get', 'list', 'patch', 'update', 'watch'];
      for (const [group, resource] of [['apps', 'deployments'], ['', 'services'], ['', 'configmaps'], ['networking.k8s.io', 'ingresses'],
        ['autoscaling', 'horizontalpodautoscalers'], ['policy', 'poddisruptionbudgets'], ['batch', 'jobs'], ['batch', 'cronjobs'],
        ['external-secrets.io', 'externalsecrets']]) {
        expect(grantsOn(role, group, resource)).toEqual(manage);
      }
      expect(grantsOn(role, 'apps', 'deployments/scale')).toEqual(['get', 'patch', 'update']);
    });

    test('deployer reads pods and logs, but may not touch Secrets, exec into pods or change the tenant fence', () => {
      const role = synth()['Role/deployer'];
      expect(grantsOn(role, '', 'pods')).toEqual(['get', 'list', 'watch']);
      expect(grantsOn(role, '', 'pods/log')).toEqual(['get']);
      expect(grantsOn(role, '', 'secrets')).toEqual([]);
      expect(grantsOn(role, '', 'pods/exec')).toEqual([]);
      expect(grantsOn(role, '', 'pods/portforward')).toEqual([]);
      expect(grantsOn(role, '', 'resourcequotas')).toEqual(['get', 'list', 'watch']);
      expect(grantsOn(role, 'networking.k8s.io', 'networkpolicies')).toEqual(['get', 'list', 'watch']);
      expect(grants(role).filter(([g]) => g === 'rbac.authorization.k8s.io')).toEqual([]);
    });

    test('binds each Role to its groups, and nothing without groups', () => {
      // WHEN
      const objects = synth(FULL);
      // THEN
      expect(objects['RoleBinding/read-only'].roleRef).toEqual({ apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: 'read-only' });
      expect(objects['RoleBinding/read-only'].subjects).toEqual(['shop-viewers', 'support'].map(name => ({
        kind: 'Group', apiGroup: 'rbac.authorization.k8s.io', name,
      })));
      expect(objects['RoleBinding/deployer'].roleRef.name).toBe('deployer');
      expect(objects['RoleBinding/deployer'].subjects).toEqual([{ kind: 'Group', apiGroup: 'rbac.authorization.k8s.io', name: 'shop-developers' }]);
      const tenant = new Tenant(newChart(), 'shop', { deployerGroups: ['shop-developers'] });
      expect(tenant.readOnlyRoleBinding).toBeUndefined();
      expect(tenant.deployerRoleBinding).toBeDefined();
    });
  });

  describe('secret store', () => {
    test('reads AWS Secrets Manager in the region given through the role given', () => {
      expect(synth(FULL)['SecretStore/paved'].spec).toEqual({
        provider: { aws: { service: 'SecretsManager', region: 'eu-central-1', role: ROLE_ARN } },
      });
    });

    test('is left out by default', () => {
      expect(new Tenant(newChart(), 'shop').secretStore).toBeUndefined();
    });
  });

  describe('argo cd sync waves', () => {
    test('the Namespace comes first and is never pruned or deleted by Argo CD', () => {
      const namespace = synth(FULL)['Namespace/shop'];
      expect(namespace.metadata.annotations).toEqual({
        'argocd.argoproj.io/sync-wave': '-4',
        'argocd.argoproj.io/sync-options': 'Prune=false,Delete=false',
      });
    });

    test('every other object of the boundary is in the tenant-boundaries wave', () => {
      const objects = Object.entries(synth(FULL)).filter(([key]) => key !== 'Namespace/shop');
      expect(objects.length).toBeGreaterThan(5);
      for (const [, object] of objects) {
        expect(object.metadata.annotations['argocd.argoproj.io/sync-wave']).toBe('-3');
      }
    });
  });

  describe('app project', () => {
    test('lets Argo CD deploy only into the tenant namespace, from the repositories given, no cluster-scoped objects and no fence objects', () => {
      const project = synth(FULL)['AppProject/shop'];
      expect(project.metadata.namespace).toBe('argocd');
      expect(project.spec).toEqual({
        description: 'Tenant shop: deploys only to namespace shop',
        sourceRepos: [REPO],
        destinations: [{ server: 'https://kubernetes.default.svc', namespace: 'shop' }],
        clusterResourceWhitelist: [],
        namespaceResourceBlacklist: [
          { group: '', kind: 'ResourceQuota' },
          { group: '', kind: 'LimitRange' },
          { group: 'rbac.authorization.k8s.io', kind: 'Role' },
          { group: 'rbac.authorization.k8s.io', kind: 'RoleBinding' },
          { group: 'external-secrets.io', kind: 'SecretStore' },
          { group: 'external-secrets.io', kind: 'PushSecret' },
        ],
        orphanedResources: { warn: true },
      });
    });

    test('Argo CD namespace and cluster can be set', () => {
      const project = synth({ appProject: { sourceRepos: [REPO], namespace: 'gitops', server: 'https://eks.example.com' } })['AppProject/shop'];
      expect(project.metadata.namespace).toBe('gitops');
      expect(project.spec.destinations).toEqual([{ server: 'https://eks.example.com', namespace: 'shop' }]);
    });

    test('is left out by default', () => {
      expect(new Tenant(newChart(), 'shop').appProject).toBeUndefined();
    });
  });

  describe('in a platform', () => {
    test('reports the quota and its source', () => {
      // GIVEN
      const platform = testPlatform();
      const env = prodEnvironment(platform);
      const tenant = new Tenant(env.chart('tenant', 'shop'), 'shop', { quota: { pods: 40 } });
      // A workload added after the tenant still counts: the quota is derived at synth.
      tenant.addWorkload(new WebApp(env.chart('orders', 'shop'), 'orders', { image: 'ghcr.io/acme/orders:1.0.0' }));
      // WHEN
      const result = platform.synth();
      // THEN
      expect(result.manifests).toEqual(['k8s/prod/shop/tenant.k8s.yaml', 'k8s/prod/shop/orders.k8s.yaml']);
      const report = fs.readFileSync(path.join(result.outdir, result.report), 'utf8');
      expect(report).toContain('| prod/shop/tenant/shop | quota.cpu | requests 2500m, limits 10000m | 25% above the workloads\' peak, +1 pod of size M (1 workload) |');
      expect(report).toContain('| prod/shop/tenant/shop | quota.services | 2 | 25% above the workloads\' Services (1 workload) |');
      expect(report).toContain('| prod/shop/tenant/shop | quota.pods | 40 | **override** |');
      expect(report).toContain('| prod/shop/tenant/shop | podSecurity | restricted (enforce, audit, warn; latest) | paved default |');
    });
  });

  describe('validation', () => {
    test('fails when the tenant name is not a DNS label', () => {
      expect(attempt({}, 'Shop')).toThrow('test/Shop: name: got "Shop"; expected a DNS label');
      expect(attempt({ name: 'shop.eu' })).toThrow('test/shop: name: got "shop.eu"; expected a DNS label');
    });

    test('fails when the tenant name is a cluster namespace', () => {
      expect(attempt({ name: 'default' })).toThrow('test/shop: name: got "default"; expected a name other than "default" and not starting with "kube-"');
      expect(attempt({ name: 'kube-system' })).toThrow('test/shop: name: got "kube-system"; expected a name other than "default"');
    });

    test('fails when an RBAC group name is empty', () => {
      expect(attempt({ readOnlyGroups: ['shop-viewers', ''] }))
        .toThrow('test/shop: readOnlyGroups[1]: got ""; expected a group name of 1-256 characters without surrounding spaces');
      expect(attempt({ deployerGroups: [' '] })).toThrow('test/shop: deployerGroups[0]: got " "; expected a group name');
    });

    test('fails when an RBAC group is a system group or listed twice', () => {
      expect(attempt({ deployerGroups: ['system:authenticated'] }))
        .toThrow('test/shop: deployerGroups[0]: got "system:authenticated"; expected a group of people, not a "system:" group');
      expect(attempt({ readOnlyGroups: ['a', 'a'] })).toThrow('test/shop: readOnlyGroups[1]: got "a"; expected each group listed once');
    });

    test('fails when a quota has limits below requests', () => {
      expect(attempt({ quota: { cpuRequestMillis: 4000, cpuLimitMillis: 3000 } }))
        .toThrow('test/shop: quota.cpuLimitMillis: got 3000; expected at least quota.cpuRequestMillis (4000m)');
      expect(attempt({ quota: { ephemeralStorageRequestMiB: 9000, ephemeralStorageLimitMiB: 5120 } }))
        .toThrow('test/shop: quota.ephemeralStorageLimitMiB: got 5120; expected at least quota.ephemeralStorageRequestMiB (9000Mi)');
    });

    test('fails at synth when its workloads do not fit in a quota given, naming them and the numbers', () => {
      // GIVEN six size-M web apps (8 pods each at the peak) in a tenant whose quota was written for fewer
      const platform = testPlatform();
      const env = prodEnvironment(platform);
      const tenant = new Tenant(env.chart('tenant', 'shop'), 'shop', { quota: { cpuRequestMillis: 2500, pods: 20, services: 5 } });
      for (let i = 1; i <= 6; i++) {
        tenant.addWorkload(new WebApp(env.chart(`app${i}`, 'shop'), `app${i}`, { image: `ghcr.io/acme/app${i}:1.0.0`, maxReplicas: 6 + i }));
      }
      // WHEN
      const problems = platform.validate();
      // THEN
      expect(problems).toEqual([
        'prod/shop/tenant/shop: quota.cpuRequestMillis: got 2500; expected at least 18250: tenant shop: cpu requests 18250m at max replicas + surge '
        + '(app6 15 x 250m, app5 14 x 250m, app4 13 x 250m, app3 12 x 250m, app2 10 x 250m, app1 9 x 250m) exceed quota 2500m; '
        + 'pods and objects beyond it are refused and rollouts stall (raise the quota, or leave the field out to derive it)',
        'prod/shop/tenant/shop: quota.pods: got 20; expected at least 73: tenant shop: pods 73 at max replicas + surge '
        + '(app6 15 (maxReplicas 12 + surge 3), app5 14 (maxReplicas 11 + surge 3), app4 13 (maxReplicas 10 + surge 3), '
        + 'app3 12 (maxReplicas 9 + surge 3), app2 10 (maxReplicas 8 + surge 2), app1 9 (maxReplicas 7 + surge 2)) exceed quota 20; '
        + 'pods and objects beyond it are refused and rollouts stall (raise the quota, or leave the field out to derive it)',
        'prod/shop/tenant/shop: quota.services: got 5; expected at least 6: tenant shop: Services 6 at max replicas + surge '
        + '(app1 1, app2 1, app3 1, app4 1, app5 1, app6 1) exceed quota 5; '
        + 'pods and objects beyond it are refused and rollouts stall (raise the quota, or leave the field out to derive it)',
      ]);
      expect(() => platform.synth()).toThrow('3 construct(s) are invalid, nothing was written');
    });

    test('fails when a workload is added twice or is not a workload', () => {
      const chart = newChart('shop');
      const tenant = new Tenant(chart, 'shop');
      const app = new WebApp(chart, 'orders', { image: 'ghcr.io/acme/orders:1.0.0' });
      tenant.addWorkload(app);
      expect(() => tenant.addWorkload(app)).toThrow('test/shop: addWorkload: got "test/orders"; expected a workload not added already');
      expect(() => tenant.addWorkload('orders' as any)).toThrow('test/shop: addWorkload: got "orders"; expected a workload with a quota footprint');
    });

    test('fails when a quota cannot hold one container of the size', () => {
      expect(attempt({ quota: { cpuRequestMillis: 100, cpuLimitMillis: 100 } }))
        .toThrow('test/shop: quota.cpuRequestMillis: got 100; expected at least 250m, the default of one container of size M');
    });

    test('fails when a quota count is out of range', () => {
      expect(attempt({ quota: { pods: 0 } })).toThrow('test/shop: quota.pods: got 0; expected an integer from 1 to 10000');
      expect(attempt({ quota: { nodePorts: -1 } })).toThrow('test/shop: quota.nodePorts: got -1; expected an integer from 0 to 100');
    });

    test('fails when the secret store region or role is malformed', () => {
      expect(attempt({ secretStore: { region: 'eu-central', roleArn: ROLE_ARN } }))
        .toThrow('test/shop: secretStore.region: got "eu-central"; expected an AWS region');
      expect(attempt({ secretStore: { region: 'eu-central-1', roleArn: 'prod-shop-secrets' } }))
        .toThrow('test/shop: secretStore.roleArn: got "prod-shop-secrets"; expected an IAM role ARN');
      expect(attempt({ secretStore: { region: 'cn-north-1', roleArn: ROLE_ARN } }))
        .toThrow(`test/shop: secretStore.roleArn: got "${ROLE_ARN}"; expected a role in partition aws-cn`);
    });

    test('fails when the secret store role is a Terraform reference', () => {
      const roleArn = Token.asString({ resolve: () => ROLE_ARN });
      expect(attempt({ secretStore: { region: 'eu-central-1', roleArn } }))
        .toThrow(/test\/shop: secretStore\.roleArn: got ".*"; expected a literal value known at synth time/);
    });

    test('fails when the AppProject has no source repositories or a pattern', () => {
      expect(attempt({ appProject: { sourceRepos: [] } }))
        .toThrow('test/shop: appProject.sourceRepos: got []; expected at least one repository URL');
      expect(attempt({ appProject: { sourceRepos: ['*'] } }))
        .toThrow('test/shop: appProject.sourceRepos[0]: got "*"; expected a repository URL starting with "https://", "ssh://", "oci://" or "git@", without "*" patterns');
      expect(attempt({ appProject: { sourceRepos: [REPO, 'https://git.example.com/shop/*'] } }))
        .toThrow('test/shop: appProject.sourceRepos[1]: got "https://git.example.com/shop/*"');
    });

    test('fails when the AppProject namespace or server is malformed', () => {
      expect(attempt({ appProject: { sourceRepos: [REPO], namespace: 'Argo CD' } })).toThrow('test/shop: appProject.namespace: got "Argo CD"');
      expect(attempt({ appProject: { sourceRepos: [REPO], server: 'http://kubernetes.default.svc' } }))
        .toThrow('test/shop: appProject.server: got "http://kubernetes.default.svc"; expected an https:// API server URL');
    });
  });
});
