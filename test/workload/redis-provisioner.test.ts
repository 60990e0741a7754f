import * as fs from 'fs';
import * as path from 'path';
import { DatabaseAuthentication, Environment, Platform, Profile, Provisioners, Resource, Size, Workload, WorkloadProps } from '../../lib';
import { databaseAdminFiles } from '../../lib/workload/database-user';
import { RedisProvisioner } from '../../lib/workload/redis-provisioner';
import { expectValidKubernetesObjects } from '../support/k8s-schema';
import { onlyResource, resourcesOf, statefulAddresses, synthChart, synthStack, testPlatform, workloadEnvironment } from '../support/synth';
import { expectNoDanglingReferences } from '../support/tf-references';

function orders(env: Environment, props: Partial<WorkloadProps> = {}): Workload {
  return new Workload(env, 'orders', {
    tenant: 'shop',
    image: 'ghcr.io/acme/orders:1.0.0',
    port: 8080,
    resources: { cache: Resource.of('redis') },
    env: { REDIS_HOST: '${resources.cache.host}' },
    ...props,
  });
}

function objects(workload: Workload): { [kind: string]: any } {
  const all = synthChart(workload.environment.chart(workload.name, workload.tenant));
  expectValidKubernetesObjects(all);
  return Object.fromEntries(all.map(o => [o.kind, o]));
}

describe('RedisProvisioner', () => {
  test('handles the resource type redis, with outputs host, port, username, password (auth: password only), cacheName and region', () => {
    // GIVEN
    const provisioner = new RedisProvisioner();
    // THEN
    expect(provisioner.type).toBe('redis');
    expect(provisioner.outputNames).toEqual(['host', 'port', 'username', 'password', 'cacheName', 'region']);
    expect(provisioner.clientImage).toMatch(/^docker\.io\/amazon\/aws-cli:2\.27\.50@sha256:[0-9a-f]{64}$/);
  });

  describe('auth: password (opt-in, weaker)', () => {
    const withPassword = { resources: { cache: Resource.of('redis', { params: { auth: 'password' } }) }, env: { REDIS_PASSWORD: '${resources.cache.password}' } };

    test('Terraform makes a second user as an IAM user nobody may connect as, ignores its authentication mode after, and never holds a password', () => {
      // GIVEN
      const env = workloadEnvironment();
      // WHEN
      orders(env, withPassword);
      // THEN
      const stack = synthStack(env.tenantScope('shop'));
      const users = resourcesOf(stack, 'aws_elasticache_user');
      const user = users.find(u => u.user_id === 'dev-shop-orders-cache-pw-15a247-4c7eac9d');
      expect(user).toMatchObject({
        user_name: 'dev-shop-orders-cache-pw-15a247-4c7eac9d',
        authentication_mode: { type: 'iam' },
        access_string: 'on ~* &* +@all',
        lifecycle: { ignore_changes: ['authentication_mode'] },
      });
      expect(JSON.stringify(users)).not.toMatch(/passwords/);
      expect(onlyResource(stack, 'aws_elasticache_user_group').user_ids).toHaveLength(3);
      // The workload gets no IAM grant; the job's own role may set that user's password only.
      const policies = resourcesOf(stack, 'aws_iam_role_policy').filter(p => p.name === 'paved-grants').map(p => JSON.parse(p.policy).Statement);
      expect(policies).toEqual([[{
        Effect: 'Allow',
        Action: ['elasticache:ModifyUser', 'elasticache:DescribeUsers'],
        Resource: 'arn:aws:elasticache:eu-central-1:123456789012:user:dev-shop-orders-cache-pw-15a247-4c7eac9d',
      }]]);
      expect(resourcesOf(stack, 'aws_eks_pod_identity_association').map(a => `${a.namespace}/${a.service_account}`))
        .toEqual(['shop/orders', 'paved-db-admin/shop-orders-cache']);
      expect(resourcesOf(stack, 'aws_secretsmanager_secret').map(s => s.name)).toEqual([
        'paved/dev/shop/orders/cache', 'paved/dev/shop/orders/cache/credentials',
      ]);
      expectNoDanglingReferences(stack);
    });

    test('the database admin job sets the generated password with the AWS CLI as its own ServiceAccount; the workload reads it', () => {
      // GIVEN
      const env = workloadEnvironment();
      // WHEN
      const workload = orders(env, withPassword);
      // THEN
      const file = databaseAdminFiles(env).find(f => f.name === 'user-shop-orders-cache')!;
      const all = synthChart(file.chart);
      expectValidKubernetesObjects(all);
      expect(all.map(o => `${o.kind}/${o.metadata.name}`)).toEqual(['ServiceAccount/shop-orders-cache', 'Password/shop-orders-cache-password',
        'ExternalSecret/shop-orders-cache-password', 'PushSecret/shop-orders-cache', 'NetworkPolicy/shop-orders-cache', 'Job/shop-orders-cache']);
      const job = all.find(o => o.kind === 'Job').spec.template.spec;
      expect(job.serviceAccountName).toBe('shop-orders-cache');
      expect(job.containers[0].image).toBe(RedisProvisioner.DEFAULT_CLIENT_IMAGE);
      const script: string = job.containers[0].command[2];
      expect(script).toContain('aws elasticache modify-user --cli-input-json file:///tmp/modify-user.json');
      expect(script).toContain('printf \'{"UserId":"%s","AuthenticationMode":{"Type":"password","Passwords":["%s"]}}\' \'dev-shop-orders-cache-pw-15a247-4c7eac9d\' "$APP_PASSWORD"');
      expect(all.find(o => o.kind === 'NetworkPolicy').spec.egress.map((e: any) => [e.to[0].ipBlock.cidr, e.ports[0].port]))
        .toEqual([['0.0.0.0/0', 443], ['169.254.170.23/32', 80]]);
      const { ExternalSecret, Deployment } = objects(workload);
      expect(ExternalSecret.spec.data.find((d: any) => d.secretKey === 'password').remoteRef)
        .toEqual({ key: 'paved/dev/shop/orders/cache/credentials', property: 'password' });
      expect(Deployment.spec.template.spec.containers[0].env).toContainEqual(
        { name: 'REDIS_PASSWORD', valueFrom: { secretKeyRef: { name: 'orders-cache', key: 'password' } } });
    });

    test('a platform may make passwords the default of requests without auth', () => {
      // GIVEN
      const platform = testPlatform();
      Provisioners.register(platform, new RedisProvisioner({ authentication: DatabaseAuthentication.PASSWORD }));
      const env = workloadEnvironment(platform);
      // WHEN
      orders(env, { env: { REDIS_PASSWORD: '${resources.cache.password}' } });
      // THEN
      expect(resourcesOf(synthStack(env.tenantScope('shop')), 'aws_secretsmanager_secret').map(s => s.name)).toContain('paved/dev/shop/orders/cache/credentials');
      expect(new RedisProvisioner().authentication).toBe(DatabaseAuthentication.IAM);
    });

    test('the report says a password exists', () => {
      // GIVEN
      const env = workloadEnvironment();
      const iamEnv = workloadEnvironment(testPlatform());
      // WHEN
      orders(env, withPassword);
      orders(iamEnv);
      // THEN
      const report = (platform: Platform) => { platform.synth(); return fs.readFileSync(path.join(platform.outdir, 'report.md'), 'utf8'); };
      expect(report(Platform.of(env))).toMatch(/passwordUser.*\*\*true\*\* \(a password exists: weaker than IAM\)/);
      expect(report(Platform.of(iamEnv))).toMatch(/passwordUser.*false.*paved default/);
    });
  });

  describe('Terraform side', () => {
    test('creates a Valkey cache named after env, tenant, workload and resource, reachable from the cluster nodes only', () => {
      // GIVEN
      const env = workloadEnvironment();
      // WHEN
      orders(env);
      // THEN
      const stack = synthStack(env.tenantScope('shop'));
      expect(onlyResource(stack, 'aws_elasticache_replication_group')).toEqual(expect.objectContaining({
        replication_group_id: 'dev-shop-orders-cache', engine: 'valkey', node_type: 'cache.t4g.small', transit_encryption_enabled: true,
      }));
      const rule = resourcesOf(stack, 'aws_vpc_security_group_ingress_rule').find(r => r.from_port === 6379);
      expect(rule).toMatchObject({ referenced_security_group_id: 'sg-0123456789abcdef0', to_port: 6379, ip_protocol: 'tcp' });
      expectNoDanglingReferences(stack);
    });

    test('writes the connection secret paved/<env>/<tenant>/<workload>/<resource> without any password', () => {
      // GIVEN
      const env = workloadEnvironment();
      // WHEN
      orders(env);
      // THEN
      const stack = synthStack(env.tenantScope('shop'));
      expect(resourcesOf(stack, 'aws_secretsmanager_secret').map(s => s.name)).toContain('paved/dev/shop/orders/cache');
      const version = onlyResource(stack, 'aws_secretsmanager_secret_version');
      expect(version.secret_string).toMatch(new RegExp('^\\$\\{jsonencode\\(\\{"host" = aws_elasticache_replication_group\\..*\\.primary_endpoint_address, '
        + '"port" = "6379", "username" = "dev-shop-orders-cache", "cacheName" = "dev-shop-orders-cache", "region" = "eu-central-1"\\}\\)\\}$'));
      expect(version.secret_string).not.toMatch(/password/);
    });

    test('grants the workload elasticache:Connect on its cache and user', () => {
      // GIVEN
      const env = workloadEnvironment();
      // WHEN
      orders(env);
      // THEN
      const policy = JSON.parse(resourcesOf(synthStack(env.tenantScope('shop')), 'aws_iam_role_policy').find(p => p.name === 'paved-grants').policy);
      expect(policy.Statement).toEqual([{
        Effect: 'Allow',
        Action: 'elasticache:Connect',
        Resource: [
          'arn:aws:elasticache:eu-central-1:123456789012:replicationgroup:dev-shop-orders-cache',
          'arn:aws:elasticache:eu-central-1:123456789012:user:dev-shop-orders-cache',
        ],
      }]);
    });

    test('takes the size of the request, and multi-AZ from the PROD profile', () => {
      // GIVEN
      const env = workloadEnvironment(testPlatform(), Profile.PROD);
      // WHEN
      orders(env, { resources: { cache: Resource.of('redis', { size: Size.L }) } });
      // THEN
      expect(onlyResource(synthStack(env.tenantScope('shop')), 'aws_elasticache_replication_group')).toEqual(expect.objectContaining({
        node_type: 'cache.r6g.large', num_cache_clusters: 3, multi_az_enabled: true, automatic_failover_enabled: true,
      }));
    });

    test('param engine: redis gives Redis OSS 7', () => {
      // GIVEN
      const env = workloadEnvironment();
      // WHEN
      orders(env, { resources: { cache: Resource.of('redis', { params: { engine: 'redis' } }) } });
      // THEN
      expect(onlyResource(synthStack(env.tenantScope('shop')), 'aws_elasticache_replication_group')).toEqual(expect.objectContaining({ engine: 'redis', engine_version: '7.1' }));
    });
  });

  describe('Kubernetes side', () => {
    test('reads the host from the connection secret and writes the outputs known at synth time as literals', () => {
      // GIVEN
      const env = workloadEnvironment();
      // WHEN
      const { Deployment } = objects(orders(env, {
        env: {
          REDIS_HOST: '${resources.cache.host}',
          REDIS_PORT: '${resources.cache.port}',
          REDIS_USER: '${resources.cache.username}',
          REDIS_CACHE: '${resources.cache.cacheName}',
          AWS_REGION: '${resources.cache.region}',
        },
      }));
      // THEN
      expect(Deployment.spec.template.spec.containers[0].env).toEqual([
        { name: 'REDIS_HOST', valueFrom: { secretKeyRef: { name: 'orders-cache', key: 'host' } } },
        { name: 'REDIS_PORT', value: '6379' },
        { name: 'REDIS_USER', value: 'dev-shop-orders-cache' },
        { name: 'REDIS_CACHE', value: 'dev-shop-orders-cache' },
        { name: 'AWS_REGION', value: 'eu-central-1' },
      ]);
    });

    test('materializes every key of the connection secret through the tenant SecretStore', () => {
      // GIVEN
      const env = workloadEnvironment();
      // WHEN
      const { ExternalSecret } = objects(orders(env));
      // THEN
      expect(ExternalSecret.metadata).toMatchObject({ name: 'orders-cache', namespace: 'shop' });
      expect(ExternalSecret.spec.data.map((d: any) => [d.secretKey, d.remoteRef.key, d.remoteRef.property])).toEqual(
        ['host', 'port', 'username', 'cacheName', 'region'].map(k => [k, 'paved/dev/shop/orders/cache', k]));
      expect(ExternalSecret.spec.dataFrom).toBeUndefined();
    });

    test('allows egress to port 6379 in the VPC', () => {
      // GIVEN
      const env = workloadEnvironment();
      // WHEN
      const { NetworkPolicy } = objects(orders(env));
      // THEN
      const egress = NetworkPolicy.spec.egress.map((e: any) => [e.to?.[0]?.ipBlock?.cidr, e.ports.map((p: any) => p.port)]);
      expect(egress).toContainEqual(['10.10.0.0/16', [6379]]);
    });
  });

  test('pins the Terraform addresses of its stateful resources (a rename would replace them on upgrade)', () => {
    // GIVEN
    const env = workloadEnvironment(testPlatform(), Profile.PROD);
    // WHEN
    orders(env, { resources: { cache: Resource.of('redis', { params: { auth: 'password' } }) } });
    // THEN
    expect(statefulAddresses(synthStack(env.tenantScope('shop')))).toEqual([
      'aws_elasticache_replication_group.orders_cache_Redis_AF1C7CEB',
      // The key of the tenant's alarm topic, which the cache's CloudWatch alarms notify.
      'aws_kms_key.Alarms_shop_Key_D113D5C7',
      'aws_kms_key.orders_cache_Redis_Key_F2FD491C',
      'aws_secretsmanager_secret.orders_cache_ConnectionSecret_0CEF106D',
      'aws_secretsmanager_secret.orders_cache_Credentials_D1B2E312',
    ]);
  });

  describe('fails when', () => {
    test('the workload asks for a password: there is none, the workload signs IAM tokens', () => {
      // GIVEN
      const env = workloadEnvironment();
      // THEN
      expect(() => orders(env, { env: { REDIS_PASSWORD: '${resources.cache.password}' } })).toThrow(
        'dev-shop/orders: env.REDIS_PASSWORD: got "${resources.cache.password}"; expected an output of cache: host, port, username, cacheName, region; '
        + '"password" is not one (the cache has no password: the workload signs IAM tokens; for clients that cannot, set params.auth: password (weaker))');
    });

    test('the provisioner\'s default authentication is not one', () => {
      expect(() => new RedisProvisioner({ authentication: 'token' as any })).toThrow(
        'RedisProvisioner: authentication: got "token"; expected one of "password", "iam" (DatabaseAuthentication)');
    });

    test('the request has params redis does not know', () => {
      // GIVEN
      const env = workloadEnvironment();
      // THEN
      expect(() => orders(env, { resources: { cache: Resource.of('redis', { params: { engine: 'valkey', nodes: 3 } }) } }))
        .toThrow('dev-shop/orders/cache: resources.cache.params: got ["nodes"]; expected only the params redis accepts: engine, auth');
    });

    test('the auth param is neither iam nor password', () => {
      const env = workloadEnvironment();
      expect(() => orders(env, { resources: { cache: Resource.of('redis', { params: { auth: 'token' } }) } })).toThrow(
        'dev-shop/orders/cache: resources.cache.params.auth: got "token"; expected "iam" (IAM tokens, no password: the default) or "password"');
    });

    test('the engine param is not an engine', () => {
      // GIVEN
      const env = workloadEnvironment();
      // THEN
      expect(() => orders(env, { resources: { cache: Resource.of('redis', { params: { engine: 'memcached' } }) } }))
        .toThrow('dev-shop/orders/cache/Redis: engine: got "memcached"; expected one of "valkey", "redis" (RedisEngine)');
    });
  });
});
