import { Environment, Profile, Resource, Size, Workload, WorkloadProps } from '../../lib';
import { RedisProvisioner } from '../../lib/workload/redis-provisioner';
import { expectValidKubernetesObjects } from '../support/k8s-schema';
import { onlyResource, resourcesOf, synthChart, synthStack, testPlatform, workloadEnvironment } from '../support/synth';
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
  test('handles the resource type redis, with outputs host, port, username, cacheName and region', () => {
    // GIVEN
    const provisioner = new RedisProvisioner();
    // THEN
    expect(provisioner.type).toBe('redis');
    expect(provisioner.outputNames).toEqual(['host', 'port', 'username', 'cacheName', 'region']);
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

  describe('fails when', () => {
    test('the workload asks for a password: there is none, the workload signs IAM tokens', () => {
      // GIVEN
      const env = workloadEnvironment();
      // THEN
      expect(() => orders(env, { env: { REDIS_PASSWORD: '${resources.cache.password}' } })).toThrow(
        'dev-shop/orders: env.REDIS_PASSWORD: got "${resources.cache.password}"; expected an output of cache: host, port, username, cacheName, region; '
        + '"password" is not one');
    });

    test('the request has params redis does not know', () => {
      // GIVEN
      const env = workloadEnvironment();
      // THEN
      expect(() => orders(env, { resources: { cache: Resource.of('redis', { params: { engine: 'valkey', nodes: 3 } }) } }))
        .toThrow('dev-shop/orders/cache: resources.cache.params: got ["nodes"]; expected only the params redis accepts: engine');
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
