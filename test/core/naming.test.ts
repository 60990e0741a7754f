import { Naming } from '../../lib';

describe('Naming', () => {
  test('joins short, unambiguous parts with dashes', () => {
    // WHEN
    const name = Naming.name(['prod', 'shop', 'orders', 'db'], Naming.RDS);
    // THEN
    expect(name).toBe('prod-shop-orders-db');
  });

  test('truncates long names to the service limit with a stable hash suffix', () => {
    // GIVEN
    const parts = ['prod', 'a'.repeat(30), 'b'.repeat(30), 'db'];
    // WHEN
    const first = Naming.name(parts, Naming.ELASTICACHE);
    const second = Naming.name(parts, Naming.ELASTICACHE);
    // THEN
    expect(first).toHaveLength(40);
    expect(first).toMatch(/^prod-a+-[0-9a-f]{8}$/);
    expect(second).toBe(first);
  });

  test('two inputs that share a truncated prefix stay distinct', () => {
    // WHEN
    const a = Naming.name(['prod', 'x'.repeat(70), 'one'], Naming.RDS);
    const b = Naming.name(['prod', 'x'.repeat(70), 'two'], Naming.RDS);
    // THEN
    expect(a).toHaveLength(63);
    expect(b).toHaveLength(63);
    expect(a).not.toBe(b);
  });

  test('parts that contain the separator get a hash, so joins never collide', () => {
    // WHEN
    const a = Naming.name(['a-b', 'c'], Naming.SQS);
    const b = Naming.name(['a', 'b-c'], Naming.SQS);
    // THEN
    expect(a).not.toBe(b);
    expect(a).toMatch(/^a-b-c-[0-9a-f]{8}$/);
  });

  test('never ends the kept prefix on a dash before the hash', () => {
    // GIVEN a prefix whose cut falls right after a dash
    const parts = ['p', 'q'.repeat(44), 'r'.repeat(20)];
    // WHEN
    const name = Naming.name(parts, Naming.RDS);
    // THEN
    expect(name).not.toMatch(/--/);
    expect(name.length).toBeLessThanOrEqual(63);
  });

  test('names that must start with a letter get one', () => {
    // WHEN
    const name = Naming.name(['1st', 'db'], Naming.RDS);
    // THEN
    expect(name).toMatch(/^[a-z]/);
  });

  test('FIFO queue names keep their .fifo suffix within 80 characters', () => {
    // WHEN
    const name = Naming.name(['prod', 'shop', 'o'.repeat(90)], Naming.SQS_FIFO);
    // THEN
    expect(name.endsWith('.fifo')).toBe(true);
    expect(name.length).toBeLessThanOrEqual(80);
  });

  test('uppercase and forbidden characters are removed, and the change is hashed', () => {
    // WHEN
    const name = Naming.name(['Prod', 'shop_orders'], Naming.S3_BUCKET);
    // THEN
    expect(name).toMatch(/^prod-shoporders-[0-9a-f]{8}$/);
  });

  test('bucket names carry a hash of account and region', () => {
    // WHEN
    const a = Naming.bucketName(['prod', 'shop', 'assets'], '123456789012', 'eu-central-1');
    const b = Naming.bucketName(['prod', 'shop', 'assets'], '123456789012', 'us-east-1');
    // THEN
    expect(a).toMatch(/^prod-shop-assets-[0-9a-f]{6}$/);
    expect(a).not.toBe(b);
  });

  test('bucket names stay within 63 characters', () => {
    // WHEN
    const name = Naming.bucketName(['production', 'a-very-long-tenant-name', 'an-even-longer-workload-name', 'uploads'], '123456789012', 'eu-central-1');
    // THEN
    expect(name.length).toBeLessThanOrEqual(63);
    expect(name).toMatch(/^[a-z0-9][a-z0-9-]*[a-z0-9]$/);
  });

  test('hash is 8 hex characters and stable', () => {
    expect(Naming.hash('x')).toBe(Naming.hash('x'));
    expect(Naming.hash('x')).toMatch(/^[0-9a-f]{8}$/);
  });
});

describe('Naming: the binding contract', () => {
  test('connection secrets live under the tenant\'s prefix, which the tenant\'s SecretStore reads', () => {
    expect(Naming.connectionSecret('prod', 'shop', 'orders', 'db')).toBe('paved/prod/shop/orders/db');
    expect(Naming.connectionSecret('prod', 'shop', 'orders', 'db').startsWith(Naming.tenantSecretPrefix('prod', 'shop'))).toBe(true);
    expect(Naming.tenantSecretPrefix('prod', 'shop')).toBe('paved/prod/shop/');
  });

  test('the Kubernetes Secret of a resource is <workload>-<resource>, hashed when a part has a dash', () => {
    expect(Naming.kubernetesSecret('orders', 'db')).toBe('orders-db');
    expect(Naming.kubernetesSecret('payments-api', 'db')).toMatch(/^payments-api-db-[0-9a-f]{8}$/);
  });

  test.each([
    ['prod', 'shop', 'prod-shop-secrets'],
    ['prod', 'my-team', /^prod-my-team-[0-9a-f]{8}-secrets$/],
    ['eu-prod', 'shop', /^eu-prod-shop-[0-9a-f]{8}-secrets$/],
    ['prod', 't'.repeat(63), /^prod-t+-[0-9a-f]{8}-secrets$/],
  ])('the tenant secrets role of %s/%s ends in -secrets, within 64 characters', (env, tenant, expected) => {
    const name = Naming.tenantSecretsRole(env, tenant);
    if (typeof expected === 'string') { expect(name).toBe(expected); } else { expect(name).toMatch(expected); }
    expect(name.length).toBeLessThanOrEqual(64);
    // The operator's policy names the roles by this pattern: every tenant's role must match it.
    const pattern = new RegExp(`^${Naming.tenantSecretsRolePattern(env).replace('*', '.*')}$`);
    expect(name).toMatch(pattern);
  });

  test.each([
    ['prod', 'shop', 'prod-shop-db-admin'],
    ['prod', 'my-team', /^prod-my-team-[0-9a-f]{8}-db-admin$/],
    ['prod', 't'.repeat(63), /^prod-t+-[0-9a-f]{8}-db-admin$/],
  ])('the database admin role of %s/%s ends in -db-admin, within 64 characters, and never matches the tenant secrets pattern', (env, tenant, expected) => {
    const name = Naming.databaseAdminRole(env, tenant);
    if (typeof expected === 'string') { expect(name).toBe(expected); } else { expect(name).toMatch(expected); }
    expect(name.length).toBeLessThanOrEqual(64);
    expect(name).toMatch(new RegExp(`^${Naming.databaseAdminRolePattern(env).replace('*', '.*')}$`));
    expect(name).not.toMatch(new RegExp(`^${Naming.tenantSecretsRolePattern(env).replace('*', '.*')}$`));
  });

  test('the database user of a resource: <workload>_<resource>, at most 32 of lowercase letters, digits and _, hashed when ambiguous', () => {
    expect(Naming.databaseUser('orders', 'db')).toBe('orders_db');
    expect(Naming.databaseUser('payments-api', 'db')).toMatch(/^paymentsapi_db_[0-9a-f]{8}$/);
    expect(Naming.databaseUser('w'.repeat(30), 'db')).toMatch(/^w{23}_[0-9a-f]{8}$/);
    expect(Naming.databaseUser('9lives', 'db')).toBe('x_9lives_db');
  });

  test('the credentials secret sits below the connection secret; the database admin store is per tenant', () => {
    expect(Naming.credentialsSecret('paved/prod/shop/orders/db')).toBe('paved/prod/shop/orders/db/credentials');
    expect(Naming.databaseAdminStore('shop')).toBe('tenant-shop');
    expect(Naming.DATABASE_ADMIN_NAMESPACE).toBe('paved-db-admin');
  });

  test('two tenants whose names join to the same text get different roles', () => {
    expect(Naming.tenantSecretsRole('dev', 'a-b')).not.toBe(Naming.tenantSecretsRole('dev-a', 'b'));
  });

  test('operator roles, namespaces and service accounts', () => {
    expect(Naming.externalSecretsOperatorRole('prod')).toBe('paved-prod-external-secrets');
    expect(Naming.kedaOperatorRole('prod')).toBe('paved-prod-keda');
    expect([Naming.EXTERNAL_SECRETS_NAMESPACE, Naming.EXTERNAL_SECRETS_SERVICE_ACCOUNT]).toEqual(['external-secrets', 'external-secrets']);
    expect([Naming.KEDA_NAMESPACE, Naming.KEDA_SERVICE_ACCOUNT]).toEqual(['keda', 'keda-operator']);
    expect(Naming.SECRET_STORE).toBe('paved');
  });

  test('every queue name a provisioner gives starts with the prefix KEDA may read', () => {
    expect(Naming.workloadResource('prod', 'shop', 'orders', 'jobs', Naming.SQS).startsWith(Naming.queuePrefix('prod'))).toBe(true);
    expect(Naming.workloadResource('eu-prod', 'my-team', 'o'.repeat(30), 'j'.repeat(30), Naming.SQS_FIFO).startsWith(Naming.queuePrefix('eu-prod'))).toBe(true);
  });

  test('cluster roles: <cluster>-<purpose>, shortened with a hash beyond 64 characters', () => {
    expect(Naming.clusterRole('prod-main', 'nodes')).toBe('prod-main-nodes');
    const long = Naming.clusterRole('prod-very-long-cluster-name-for-the-analytics-team-eu', 'aws-load-balancer-controller');
    expect(long).toHaveLength(64);
    expect(long).toMatch(/^prod-very-long-cluster-name-for-the-analytics-team-eu-a-[0-9a-f]{8}$/);
  });

  test('workload roles and KMS aliases', () => {
    expect(Naming.workloadRole('prod', 'shop', 'orders')).toBe('prod-shop-orders');
    expect(Naming.keyAlias('prod', 'rds/prod-shop-orders-db')).toBe('alias/paved/prod/rds/prod-shop-orders-db');
  });
});
