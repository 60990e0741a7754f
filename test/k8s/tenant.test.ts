import * as fs from 'fs';
import * as path from 'path';
import { App, Chart, JsonPatch } from 'cdk8s';
import { Token } from 'cdktf';
import { Size } from '../../lib/core';
import { Tenant, TenantProps } from '../../lib/k8s';
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
    test('defaults to 10 times Size.M, 20 pods, 10 Services and PVCs, and no LoadBalancer or NodePort Services', () => {
      expect(synth()['ResourceQuota/shop'].spec.hard).toEqual({
        'requests.cpu': '2500m',
        'limits.cpu': '10000m',
        'requests.memory': '2560Mi',
        'limits.memory': '5120Mi',
        'requests.ephemeral-storage': '1280Mi',
        'limits.ephemeral-storage': '5120Mi',
        'pods': '20',
        'services': '10',
        'persistentvolumeclaims': '10',
        'services.loadbalancers': '0',
        'services.nodeports': '0',
      });
    });

    test('derives from the size given', () => {
      const hard = synth({ size: Size.S })['ResourceQuota/shop'].spec.hard;
      expect(hard).toMatchObject({ 'requests.cpu': '1000m', 'limits.cpu': '5000m', 'requests.memory': '1280Mi', 'limits.memory': '2560Mi' });
    });

    test('takes the fields given and derives the rest', () => {
      // WHEN
      const tenant = new Tenant(newChart(), 'shop', { quota: { cpuRequestMillis: 4000, pods: 50, loadBalancers: 1 } });
      // THEN
      expect(tenant.resourceQuota.toJson().spec.hard).toMatchObject({
        'requests.cpu': '4000m', 'limits.cpu': '10000m', 'pods': '50', 'services.loadbalancers': '1', 'services.nodeports': '0',
      });
      expect(tenant.quota).toMatchObject({ cpuRequestMillis: 4000, cpuLimitMillis: 10000, pods: 50, services: 10 });
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
      new Tenant(env.chart('tenant', 'shop'), 'shop', { quota: { pods: 40 } });
      // WHEN
      const result = platform.synth();
      // THEN
      expect(result.manifests).toEqual(['k8s/prod/shop/tenant.k8s.yaml']);
      const report = fs.readFileSync(path.join(result.outdir, result.report), 'utf8');
      expect(report).toContain('| prod/shop/tenant/shop | quota.cpu | requests 2500m, limits 10000m | 10 x size M |');
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
      expect(attempt({ quota: { memoryLimitMiB: 1024 } }))
        .toThrow('test/shop: quota.memoryLimitMiB: got 1024; expected at least quota.memoryRequestMiB (2560Mi)');
      expect(attempt({ quota: { ephemeralStorageRequestMiB: 9000 } }))
        .toThrow('test/shop: quota.ephemeralStorageLimitMiB: got 5120; expected at least quota.ephemeralStorageRequestMiB (9000Mi)');
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
