import { Cluster, Resource, Size, TenantSecretAccess, Workload, WorkloadIdentity } from '../../lib';
import { expectValidKubernetesObjects } from '../support/k8s-schema';
import { synthChart, workloadEnvironment } from '../support/synth';

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
    expect(declared.tenant.quota.cpuRequestMillis).toBe(Size.L.app.cpuRequestMillis * 10);
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
