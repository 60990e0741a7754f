import { Cluster, DatabaseAuthentication, Environment, NetworkPolicyEnforcement, Resource, SyncWave, TenantSecretAccess, Workload, WorkloadProps } from '../../lib';
import { databaseAdminFiles } from '../../lib/workload/database-user';
import { expectValidKubernetesObjects } from '../support/k8s-schema';
import { resourcesOf, synthChart, synthStack, workloadEnvironment } from '../support/synth';

function orders(env: Environment, props: Partial<WorkloadProps> = {}, name: string = 'orders', tenant: string = 'shop'): Workload {
  return new Workload(env, name, { tenant, image: 'ghcr.io/acme/orders:1.4.2', port: 8080, resources: { db: Resource.postgres() }, ...props });
}

/** The objects of the database admin folder's file `name`, schema-validated. */
function adminObjects(env: Environment, name: string): { [kindName: string]: any } {
  const file = databaseAdminFiles(env).find(f => f.name === name);
  expect(file).toBeDefined();
  const objects = synthChart(file!.chart);
  expectValidKubernetesObjects(objects);
  return Object.fromEntries(objects.map(o => [`${o.kind}/${o.metadata.name}`, o]));
}

describe('database users', () => {
  test('the database admin folder: the namespace once, a store per tenant, a file per data store', () => {
    // GIVEN
    const env = workloadEnvironment();
    // WHEN
    orders(env);
    orders(env, {}, 'billing');
    orders(env, {}, 'insights', 'analytics');
    // THEN
    expect(databaseAdminFiles(env).map(f => f.name)).toEqual([
      'namespace', 'store-shop', 'user-shop-orders-db', 'user-shop-billing-db', 'store-analytics', 'user-analytics-insights-db',
    ]);
    expect(databaseAdminFiles(env).map(f => f.chart.namespace)).toEqual([undefined, ...Array(5).fill('paved-db-admin')]);
    const namespace = adminObjects(env, 'namespace');
    expect(Object.keys(namespace)).toEqual(['Namespace/paved-db-admin', 'NetworkPolicy/default-deny', 'NetworkPolicy/allow-dns',
      'ServiceAccount/database-admin', 'ConfigMap/database-ca']);
    // The region's three G1 root certificates of Amazon RDS.
    expect(namespace['ConfigMap/database-ca'].data['ca.pem'].match(/BEGIN CERTIFICATE/g)).toHaveLength(3);
    expect(adminObjects(env, 'store-analytics')['SecretStore/tenant-analytics'].spec.provider.aws.role)
      .toBe('arn:aws:iam::123456789012:role/dev-analytics-db-admin');
  });

  test('a data store\'s file: the master secret found by its tag with the host, a generated password, the job, then the push', () => {
    // GIVEN
    const env = workloadEnvironment();
    // WHEN
    orders(env);
    // THEN
    const objects = adminObjects(env, 'user-shop-orders-db');
    expect(Object.keys(objects)).toEqual(['ExternalSecret/shop-orders-db-admin', 'Password/shop-orders-db-password',
      'ExternalSecret/shop-orders-db-password', 'PushSecret/shop-orders-db', 'NetworkPolicy/shop-orders-db', 'Job/shop-orders-db']);
    const admin = objects['ExternalSecret/shop-orders-db-admin'];
    expect(admin.spec).toMatchObject({
      refreshInterval: '15m',
      secretStoreRef: { kind: 'SecretStore', name: 'tenant-shop' },
      data: [{ secretKey: 'host', remoteRef: { key: 'paved/dev/shop/orders/db', property: 'host' } }],
      dataFrom: [{ find: { tags: { 'aws:rds:primaryDBInstanceArn': 'arn:aws:rds:eu-central-1:123456789012:db:dev-shop-orders-db' } } }],
    });
    expect(admin.spec.target.template.data).toEqual({
      username: '{{ (index . "found-0" | fromJson).username }}', password: '{{ (index . "found-0" | fromJson).password }}',
    });
    expect(objects['PushSecret/shop-orders-db'].spec).toMatchObject({
      secretStoreRefs: [{ kind: 'SecretStore', name: 'tenant-shop' }],
      selector: { secret: { name: 'shop-orders-db-password' } },
      data: [{ match: { secretKey: 'password', remoteRef: { remoteKey: 'paved/dev/shop/orders/db/credentials', property: 'password' } } }],
    });
    const waves = ['ExternalSecret/shop-orders-db-admin', 'ExternalSecret/shop-orders-db-password', 'Job/shop-orders-db', 'PushSecret/shop-orders-db']
      .map(o => Number(objects[o].metadata.annotations['argocd.argoproj.io/sync-wave']));
    expect(waves).toEqual([SyncWave.SECRETS, SyncWave.SECRETS, 0, 1]);
    const container = objects['Job/shop-orders-db'].spec.template.spec.containers[0];
    const fromSecrets = container.env.filter((e: any) => e.valueFrom)
      .map((e: any) => [e.name, e.valueFrom.secretKeyRef.name, e.valueFrom.secretKeyRef.key]);
    expect(fromSecrets).toEqual([
      ['DB_HOST', 'shop-orders-db-admin', 'host'],
      ['ADMIN_USER', 'shop-orders-db-admin', 'username'],
      ['ADMIN_PASSWORD', 'shop-orders-db-admin', 'password'],
      ['APP_PASSWORD', 'shop-orders-db-password', 'password'],
    ]);
    expect(objects['NetworkPolicy/shop-orders-db'].spec.egress).toEqual([
      { to: [{ ipBlock: { cidr: '10.10.0.0/16' } }], ports: [{ protocol: 'TCP', port: 5432 }] },
    ]);
  });

  test('Terraform makes the credentials secret without a value, tagged for External Secrets, and the tenant\'s database admin role', () => {
    // GIVEN
    const env = workloadEnvironment();
    // WHEN
    orders(env);
    // THEN
    const stack = synthStack(env.tenantScope('shop'));
    const credentials = resourcesOf(stack, 'aws_secretsmanager_secret').find(s => s.name === 'paved/dev/shop/orders/db/credentials');
    expect(credentials).toMatchObject({ tags: { 'managed-by': 'external-secrets' }, recovery_window_in_days: 7 });
    expect(resourcesOf(stack, 'aws_secretsmanager_secret_version').map(v => v.secret_id)).toEqual([
      expect.stringContaining('orders_db_ConnectionSecret'),
    ]);
    const role = resourcesOf(stack, 'aws_iam_role').find(r => r.name === 'dev-shop-db-admin');
    expect(JSON.parse(role.assume_role_policy).Statement).toEqual([{
      Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::123456789012:role/paved-dev-external-secrets' }, Action: ['sts:AssumeRole', 'sts:TagSession'],
    }]);
  });

  test('with auth: iam no password exists: no generator, push or credentials secret; the job grants rds_iam', () => {
    // GIVEN
    const env = workloadEnvironment();
    // WHEN
    orders(env, { resources: { db: Resource.postgres({ params: { auth: DatabaseAuthentication.IAM } }) } });
    // THEN
    const objects = adminObjects(env, 'user-shop-orders-db');
    expect(Object.keys(objects)).toEqual(['ExternalSecret/shop-orders-db-admin', 'NetworkPolicy/shop-orders-db', 'Job/shop-orders-db']);
    const script: string = objects['Job/shop-orders-db'].spec.template.spec.containers[0].command[2];
    expect(script).toContain('GRANT rds_iam TO orders_db;');
    expect(script).not.toContain('APP_PASSWORD');
    const stack = synthStack(env.tenantScope('shop'));
    expect(resourcesOf(stack, 'aws_secretsmanager_secret').map(s => s.name)).toEqual(['paved/dev/shop/orders/db']);
    const policy = JSON.parse(resourcesOf(stack, 'aws_iam_role_policy').find(p => p.name === 'administer-data-stores').policy);
    expect(policy.Statement.map((s: any) => s.Sid)).toEqual(['ReadInstanceMasterSecrets', 'FindMasterSecretsByTag', 'ReadConnectionDetails',
      'DecryptThroughSecretsManager']);
    // The workload cannot name a password that does not exist.
    expect(() => orders(env, { resources: { db: Resource.postgres({ params: { auth: 'iam' } }) }, env: { PW: '${resources.db.password}' } }, 'billing'))
      .toThrow('dev-shop/billing: env.PW: got "${resources.db.password}"; expected an output of db: host, port, name, database, username; "password" is not one');
  });

  test('a shared database has one user for all the workloads that share it, made once', () => {
    // GIVEN
    const env = workloadEnvironment();
    // WHEN
    orders(env, { resources: { db: Resource.postgres({ id: 'orders' }) }, env: { USER: '${resources.db.username}' } });
    orders(env, { resources: { db: Resource.postgres({ id: 'orders' }) } }, 'billing');
    // THEN
    expect(databaseAdminFiles(env).map(f => f.name)).toEqual(['namespace', 'store-shop', 'user-shop-shared-postgres-orders-05ba090f']);
    const stack = synthStack(env.tenantScope('shop'));
    expect(resourcesOf(stack, 'aws_secretsmanager_secret').map(s => s.name)).toEqual([
      'paved/dev/shop/shared/postgres-orders', 'paved/dev/shop/shared/postgres-orders/credentials',
    ]);
    const user = synthChart(env.chart('orders', 'shop')).find(o => o.kind === 'Deployment').spec.template.spec.containers[0].env[0];
    expect(user).toEqual({ name: 'USER', value: 'shared_postgresorders_122c9cf0' });
  });

  test('a data store\'s user file goes to the workload\'s first cluster only, so one password is generated', () => {
    // GIVEN
    const env = workloadEnvironment();
    const blue = Cluster.fromAttributes(env, 'Blue', {
      clusterName: 'dev-blue', nodeSecurityGroupId: 'sg-0123456789abcdef1', networkPolicyEnforcement: NetworkPolicyEnforcement.vpcCni(),
    });
    const [main] = Cluster.allOf(env);
    TenantSecretAccess.declare(env, 'shop', { clusters: [main, blue] });
    // WHEN
    orders(env);
    orders(env, { cluster: blue }, 'billing');
    // THEN
    expect(databaseAdminFiles(env).map(f => [f.name, f.cluster?.node.id])).toEqual([
      ['namespace', undefined], ['store-shop', undefined], ['user-shop-orders-db', 'Cluster'], ['user-shop-billing-db', 'Blue'],
    ]);
  });

  test('a workload rolled back leaves no database admin file, credentials or access behind', () => {
    // GIVEN
    const env = workloadEnvironment();
    orders(env);
    // WHEN
    const checkpoint = env._lookup.checkpoint();
    orders(env, {}, 'billing');
    env._lookup.rollback(checkpoint);
    // THEN
    expect(databaseAdminFiles(env).map(f => f.name)).toEqual(['namespace', 'store-shop', 'user-shop-orders-db']);
    const policy = resourcesOf(synthStack(env.tenantScope('shop')), 'aws_iam_role_policy').find(p => p.name === 'administer-data-stores').policy;
    expect(policy).not.toContain('billing');
  });

  describe('fails when', () => {
    test('the auth param is neither password nor iam', () => {
      const env = workloadEnvironment();
      expect(() => orders(env, { resources: { db: Resource.postgres({ params: { auth: 'kerberos' } }) } })).toThrow(
        'dev-shop/orders/db: resources.db.params.auth: got "kerberos"; expected one of "password", "iam"');
    });

    test('the application user would be the master user', () => {
      const env = workloadEnvironment();
      expect(() => new Workload(env, 'paved', { tenant: 'shop', image: 'ghcr.io/acme/x:1.0.0', port: 8080, resources: { admin: Resource.mysql() } }))
        .toThrow('dev-shop/paved/admin: resources.admin: got "admin"; expected a resource whose application user (paved_admin, from workload and resource name) '
          + 'is not the master user paved_admin');
    });

    test('a tenant is named like the database admin namespace', () => {
      const env = workloadEnvironment();
      expect(() => TenantSecretAccess.declare(env, 'paved-db-admin')).toThrow(
        'dev/paved-db-admin: tenant: got "paved-db-admin"; expected a tenant name other than paved-db-admin, the namespace of paved\'s database admin jobs');
    });
  });
});
