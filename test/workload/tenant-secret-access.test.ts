import { Cluster, NetworkPolicyEnforcement, Resource, Size, TenantSecretAccess, Workload, WorkloadIdentity, WorkloadProps } from '../../lib';
import { expectValidKubernetesObjects } from '../support/k8s-schema';
import { devEnvironment, resourcesOf, synthChart, synthStack, testPlatform, workloadEnvironment } from '../support/synth';

const REPO = 'https://github.com/acme/shop-deploy.git';

function orders(env: ReturnType<typeof workloadEnvironment>): Workload {
  return new Workload(env, 'orders', { tenant: 'shop', image: 'ghcr.io/acme/orders:1.4.2', port: 8080, resources: { db: Resource.postgres() } });
}

describe('TenantSecretAccess', () => {
  test('the first workload of a tenant creates it with defaults: no group bound, no AppProject', () => {
    // GIVEN
    const env = workloadEnvironment();
    // WHEN
    orders(env);
    // THEN
    const objects = synthChart(env.chart('tenant', 'shop'));
    expectValidKubernetesObjects(objects);
    expect(objects.map(o => o.kind)).not.toContain('RoleBinding');
    expect(objects.map(o => o.kind)).not.toContain('AppProject');
    expect(objects.find(o => o.kind === 'SecretStore').spec.provider.aws.role).toBe('arn:aws:iam::123456789012:role/dev-shop-secrets');
  });

  test('a tenant with a dash gets a secrets role the operator may assume: <env>-<tenant>-<hash>-secrets', () => {
    // GIVEN
    const env = workloadEnvironment();
    // WHEN
    TenantSecretAccess.of(env, 'my-team');
    // THEN
    const role = synthChart(env.chart('tenant', 'my-team')).find(o => o.kind === 'SecretStore').spec.provider.aws.role;
    expect(role).toMatch(/^arn:aws:iam::123456789012:role\/dev-my-team-[0-9a-f]{8}-secrets$/);
  });

  test('fails when a tenant\'s secrets role name is taken by a workload identity', () => {
    // GIVEN
    const env = workloadEnvironment();
    new WorkloadIdentity(env, 'Odd', { cluster: Cluster.of(env), namespace: 'shop', serviceAccount: 'secrets' });
    // THEN
    expect(() => TenantSecretAccess.of(env, 'shop'))
      .toThrow('dev-shop/Tenants/shop: tenant: got "shop"; expected a tenant whose secrets role name "dev-shop-secrets" is not taken by dev/Odd');
  });

  test('a declared tenant keeps its groups, size and AppProject, and its workloads use it', () => {
    // GIVEN
    const env = workloadEnvironment();
    const declared = TenantSecretAccess.declare(env, 'shop', {
      size: Size.L, readOnlyGroups: ['shop-viewers'], deployerGroups: ['shop-deployers'], appProject: { sourceRepos: [REPO] },
    });
    // WHEN
    orders(env);
    // THEN
    expect(TenantSecretAccess.of(env, 'shop')).toBe(declared);
    const objects = synthChart(env.chart('tenant', 'shop'));
    expectValidKubernetesObjects(objects);
    const bindings = objects.filter(o => o.kind === 'RoleBinding').map(b => b.subjects.map((s: any) => s.name)).flat();
    expect(bindings).toEqual(['shop-viewers', 'shop-deployers']);
    expect(objects.find(o => o.kind === 'AppProject').spec.sourceRepos).toEqual([REPO]);
    expect(objects.find(o => o.kind === 'SecretStore')).toBeDefined();
    // orders (size M) at its peak: 8 pods of 250m; the headroom is one pod of the tenant's size L (500m), more than 25%.
    expect(objects.find(o => o.kind === 'LimitRange').spec.limits[0].defaultRequest.cpu).toBe('500m');
    expect(declared.tenant.quota.cpuRequestMillis).toBe(8 * 250 + Size.L.app.cpuRequestMillis);
  });

  describe('quota', () => {
    const workload = (env: ReturnType<typeof workloadEnvironment>, name: string, props: Partial<WorkloadProps> = {}) =>
      new Workload(env, name, { tenant: 'shop', image: `ghcr.io/acme/${name}:1.0.0`, port: 8080, ...props });

    test('is derived from the tenant\'s workloads, each at max replicas plus surge', () => {
      // GIVEN
      const env = workloadEnvironment();
      // WHEN six size-M workloads and one size-L
      for (let i = 1; i <= 6; i++) { workload(env, `app${i}`); }
      workload(env, 'reports', { size: Size.L });
      // THEN 6 x 8 pods of 250m and 12 + 3 pods of 500m: 19500m, plus 25%
      const hard = synthChart(env.chart('tenant', 'shop')).find(o => o.kind === 'ResourceQuota').spec.hard;
      expect(hard).toMatchObject({ 'requests.cpu': '24375m', 'pods': '79', 'services': '9' });
    });

    test('refuses at synth an explicit quota the workloads do not fit in, naming them', () => {
      // GIVEN the tenant of the issue: a quota of 2500m and 10 Services
      const platform = testPlatform();
      const env = workloadEnvironment(platform);
      TenantSecretAccess.declare(env, 'shop', { quota: { cpuRequestMillis: 2500, services: 10 } });
      // WHEN six size-M workloads (each 8 pods at its peak) and eleven Services
      for (let i = 1; i <= 11; i++) { workload(env, `app${i}`, { size: i <= 6 ? Size.M : Size.S }); }
      // THEN
      const problems = platform.validate();
      expect(problems).toEqual([
        expect.stringMatching(/^dev\/shop\/tenant\/Tenant: quota\.cpuRequestMillis: got 2500; expected at least 14000: tenant shop: cpu requests 14000m at max replicas \+ surge \(app1 8 x 250m, app2 8 x 250m, .*, and 3 more\) exceed quota 2500m/),
        expect.stringMatching(/^dev\/shop\/tenant\/Tenant: quota\.services: got 10; expected at least 11: tenant shop: Services 11 at max replicas \+ surge \(app1 1, .*\) exceed quota 10/),
      ]);
      expect(() => platform.synth()).toThrow('2 construct(s) are invalid, nothing was written');
    });

    test('takes a workload rolled back out of the quota again', () => {
      // GIVEN
      const env = workloadEnvironment();
      workload(env, 'orders');
      const before = TenantSecretAccess.of(env, 'shop').tenant.quota;
      // WHEN
      const checkpoint = env._lookup.checkpoint();
      workload(env, 'billing', { size: Size.XL });
      env._lookup.rollback(checkpoint);
      // THEN
      expect(TenantSecretAccess.of(env, 'shop').tenant.quota).toEqual(before);
    });
  });

  describe('clusters', () => {
    test('a tenant declared without clusters runs where its workloads run, by default the environment\'s one cluster', () => {
      // GIVEN
      const env = workloadEnvironment();
      // WHEN
      orders(env);
      // THEN
      expect(TenantSecretAccess.of(env, 'shop').clusters).toEqual(Cluster.allOf(env));
      expect(TenantSecretAccess.of(env, 'empty').clusters).toEqual(Cluster.allOf(env));
    });

    test('a tenant declared on two clusters runs its workloads on both: one role, an association on each, the database open to both', () => {
      // GIVEN
      const env = workloadEnvironment();
      const blue = Cluster.fromAttributes(env, 'Blue', { clusterName: 'dev-blue', nodeSecurityGroupId: 'sg-0123456789abcdef1', networkPolicyEnforcement: NetworkPolicyEnforcement.vpcCni() });
      const [main] = Cluster.allOf(env);
      // WHEN
      TenantSecretAccess.declare(env, 'shop', { clusters: [main, blue] });
      const workload = orders(env);
      // THEN
      expect(workload.clusters).toEqual([main, blue]);
      expect(TenantSecretAccess.of(env, 'shop').clusters).toEqual([main, blue]);
      const stack = synthStack(env.tenantScope('shop'));
      expect(resourcesOf(stack, 'aws_eks_pod_identity_association').map(a => a.cluster_name)).toEqual(['dev-main', 'dev-blue']);
      expect(resourcesOf(stack, 'aws_vpc_security_group_ingress_rule').map(r => r.referenced_security_group_id))
        .toEqual(['sg-0123456789abcdef0', 'sg-0123456789abcdef1']);
    });

    test('a workload may run on one of its tenant\'s clusters; the tenant still spans both', () => {
      // GIVEN
      const env = workloadEnvironment();
      const blue = Cluster.fromAttributes(env, 'Blue', { clusterName: 'dev-blue', nodeSecurityGroupId: 'sg-0123456789abcdef1', networkPolicyEnforcement: NetworkPolicyEnforcement.vpcCni() });
      const [main] = Cluster.allOf(env);
      TenantSecretAccess.declare(env, 'shop', { clusters: [main, blue] });
      // WHEN
      const workload = new Workload(env, 'orders', { tenant: 'shop', image: 'ghcr.io/acme/orders:1.4.2', port: 8080, cluster: blue });
      // THEN
      expect(workload.clusters).toEqual([blue]);
      expect(workload.identity.associations).toHaveLength(1);
      expect(TenantSecretAccess.of(env, 'shop').clusters).toEqual([main, blue]);
    });

    test('an undeclared tenant spans the clusters its workloads name', () => {
      // GIVEN
      const env = workloadEnvironment();
      const blue = Cluster.fromAttributes(env, 'Blue', { clusterName: 'dev-blue', nodeSecurityGroupId: 'sg-0123456789abcdef1', networkPolicyEnforcement: NetworkPolicyEnforcement.vpcCni() });
      const [main] = Cluster.allOf(env);
      // WHEN
      new Workload(env, 'orders', { tenant: 'shop', image: 'ghcr.io/acme/orders:1.4.2', port: 8080, cluster: blue });
      new Workload(env, 'billing', { tenant: 'shop', image: 'ghcr.io/acme/billing:1.0.0', port: 8080, cluster: main });
      // THEN
      expect(TenantSecretAccess.of(env, 'shop').clusters).toEqual([blue, main]);
      expect(TenantSecretAccess.allOf(env).map(t => t.name)).toEqual(['shop']);
    });

    test('a workload rolled back no longer places its undeclared tenant on its cluster', () => {
      // GIVEN
      const env = workloadEnvironment();
      const blue = Cluster.fromAttributes(env, 'Blue', { clusterName: 'dev-blue', nodeSecurityGroupId: 'sg-0123456789abcdef1', networkPolicyEnforcement: NetworkPolicyEnforcement.vpcCni() });
      const [main] = Cluster.allOf(env);
      new Workload(env, 'billing', { tenant: 'shop', image: 'ghcr.io/acme/billing:1.0.0', port: 8080, cluster: main });
      // WHEN
      const checkpoint = env._lookup.checkpoint();
      new Workload(env, 'orders', { tenant: 'shop', image: 'ghcr.io/acme/orders:1.4.2', port: 8080, cluster: blue });
      env._lookup.rollback(checkpoint);
      // THEN
      expect(TenantSecretAccess.of(env, 'shop').clusters).toEqual([main]);
      expect(Workload.allOf(env).map(w => w.name)).toEqual(['billing']);
    });

    test('fails when a declared cluster is not one of the environment\'s', () => {
      const platform = testPlatform();
      const env = workloadEnvironment(platform);
      const other = devEnvironment(platform, 'other');
      const foreign = Cluster.fromAttributes(other, 'Cluster', { clusterName: 'other-main', nodeSecurityGroupId: 'sg-0123456789abcdef1', networkPolicyEnforcement: NetworkPolicyEnforcement.vpcCni() });
      expect(() => TenantSecretAccess.declare(env, 'shop', { clusters: [foreign] })).toThrow(
        'TenantSecretAccess.declare: clusters[0]: got "other/Cluster"; expected a construct of environment dev, not of environment other: constructs of one environment never refer to another\'s (each environment is its own account, state and blast radius)');
    });

    test('fails when a declared cluster is imported without saying how it enforces NetworkPolicies', () => {
      // GIVEN
      const env = workloadEnvironment();
      const blue = Cluster.fromAttributes(env, 'Blue', { clusterName: 'dev-blue', nodeSecurityGroupId: 'sg-0123456789abcdef1' });
      // WHEN / THEN
      expect(() => TenantSecretAccess.declare(env, 'shop', { clusters: [blue] }))
        .toThrow('dev-shop/Tenants/shop: clusters[0]: got "dev/Blue"; expected a cluster that states how it enforces the NetworkPolicies paved writes');
    });

    test('fails when the clusters are empty or repeat one', () => {
      const env = workloadEnvironment();
      const [main] = Cluster.allOf(env);
      expect(() => TenantSecretAccess.declare(env, 'shop', { clusters: [] }))
        .toThrow('dev-shop/Tenants/shop: clusters: got []; expected one or more clusters of environment dev (dev/Cluster)');
      expect(() => TenantSecretAccess.declare(env, 'pay', { clusters: [main, main] }))
        .toThrow('dev-pay/Tenants/pay: clusters[1]: got "dev/Cluster"; expected each cluster listed once');
    });

    test('fails when a workload names a cluster its tenant does not run on', () => {
      const env = workloadEnvironment();
      const blue = Cluster.fromAttributes(env, 'Blue', { clusterName: 'dev-blue', nodeSecurityGroupId: 'sg-0123456789abcdef1', networkPolicyEnforcement: NetworkPolicyEnforcement.vpcCni() });
      const [main] = Cluster.allOf(env);
      TenantSecretAccess.declare(env, 'shop', { clusters: [main] });
      expect(() => new Workload(env, 'orders', { tenant: 'shop', image: 'ghcr.io/acme/orders:1.4.2', port: 8080, cluster: blue }))
        .toThrow('dev-shop/orders: cluster: got "dev/Blue"; expected one of the clusters tenant shop runs on (dev/Cluster)');
    });

    test('fails when an environment has two clusters and neither the tenant nor the workload names one', () => {
      const env = workloadEnvironment();
      Cluster.fromAttributes(env, 'Blue', { clusterName: 'dev-blue', nodeSecurityGroupId: 'sg-0123456789abcdef1', networkPolicyEnforcement: NetworkPolicyEnforcement.vpcCni() });
      expect(() => orders(env)).toThrow(/dev-shop\/orders: cluster: environment "dev" has 2 clusters/);
    });
  });

  test('fails when a tenant is declared after its first workload', () => {
    const env = workloadEnvironment();
    orders(env);
    expect(() => TenantSecretAccess.declare(env, 'shop', { readOnlyGroups: ['shop-viewers'] }))
      .toThrow('dev-shop/Tenants/shop: tenant: got "shop"; expected a tenant not declared yet: declare it once, before its first workload');
  });

  test('fails when a tenant is declared twice', () => {
    const env = workloadEnvironment();
    TenantSecretAccess.declare(env, 'shop');
    expect(() => TenantSecretAccess.declare(env, 'shop')).toThrow(/dev-shop\/Tenants\/shop: tenant: got "shop"/);
  });
});
