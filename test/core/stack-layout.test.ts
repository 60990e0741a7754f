import * as fs from 'fs';
import * as path from 'path';
import { TerraformStack } from 'cdktf';
import {
  Bucket, Cluster, ContainerRegistry, Dns, Environment, Grantee, Key, Network, Platform, Profile, Queue, StackLayout, TerraformState,
  Workload, WorkloadIdentity,
} from '../../lib';
import { onlyResource, synthStack, testPlatform, workloadEnvironment } from '../support/synth';

const ACCOUNT = '123456789012';
const IMAGE = 'ghcr.io/acme/orders:1.4.2';

function environment(platform: Platform = testPlatform(), props: { stackLayout?: StackLayout; state?: TerraformState } = {}): Environment {
  return new Environment(platform, 'dev', { account: ACCOUNT, region: 'eu-central-1', profile: Profile.DEV, state: TerraformState.local(), ...props });
}

describe('Environment stack layout', () => {
  test('is per tenant by default, and the report says so', () => {
    // GIVEN
    const platform = testPlatform();
    // WHEN
    const env = environment(platform);
    platform.synth();
    // THEN
    expect(env.stackLayout).toBe(StackLayout.PER_TENANT);
    expect(fs.readFileSync(path.join(platform.outdir, 'report.md'), 'utf8')).toContain('| dev | stackLayout | PER_TENANT | paved default |');
  });

  describe('tenantScope', () => {
    test('per tenant: a stack <env>-<tenant> of its own, created once, with the environment\'s provider and backend', () => {
      // GIVEN
      const env = environment();
      // WHEN
      const scope = env.tenantScope('shop');
      // THEN
      expect(env.tenantScope('shop')).toBe(scope);
      expect(TerraformStack.isStack(scope)).toBe(true);
      expect(scope.node.path).toBe('dev-shop');
      expect(Environment.containing(scope)).toBe(env);
      const stack = synthStack(scope);
      expect(stack.provider.aws[0]).toEqual(synthStack(env).provider.aws[0]);
      // Beside the foundation's state, outside the synthesized tree (see TerraformState.local).
      expect(stack.terraform.backend).toEqual({ local: { path: '../../../terraform.dev-shop.tfstate' } });
      expect((scope as TerraformStack).dependencies).toEqual([env]);
    });

    test('single stack: the environment itself', () => {
      // GIVEN
      const env = environment(undefined, { stackLayout: StackLayout.SINGLE_STACK });
      // THEN
      expect(env.tenantScope('shop')).toBe(env);
    });

    test('an S3 backend stores each tenant stack under its own key, and the tenant reads the foundation\'s', () => {
      // GIVEN
      const env = environment(undefined, { state: TerraformState.s3({ bucket: 'acme-tfstate' }) });
      const identity = new WorkloadIdentity(env.tenantScope('shop'), 'Identity', {
        cluster: Cluster.fromAttributes(env, 'Cluster', { clusterName: 'dev-main', nodeSecurityGroupId: 'sg-0123456789abcdef0' }),
        namespace: 'shop',
        serviceAccount: 'orders',
      });
      new Key(env, 'Shared', { description: 'shared' }).grantEncryptDecrypt(identity);
      // WHEN
      const stack = synthStack(env.tenantScope('shop'));
      // THEN
      expect(stack.terraform.backend.s3).toEqual(expect.objectContaining({ bucket: 'acme-tfstate', key: 'paved/dev-shop/terraform.tfstate', encrypt: true }));
      expect(stack.data.terraform_remote_state['cross-stack-reference-input-dev']).toEqual(expect.objectContaining({
        backend: 's3',
        config: expect.objectContaining({ bucket: 'acme-tfstate', key: 'paved/dev/terraform.tfstate' }),
      }));
    });

    test('a hand-made construct in a tenant scope keeps the name and address it has under the environment', () => {
      // GIVEN
      const perTenant = environment();
      const single = environment(undefined, { stackLayout: StackLayout.SINGLE_STACK });
      // WHEN
      const a = new Queue(perTenant.tenantScope('shop'), 'Jobs');
      const b = new Queue(single.tenantScope('shop'), 'Jobs');
      // THEN
      expect(a.queueName).toBe('dev-jobs');
      expect(b.queueName).toBe('dev-jobs');
      expect(Object.keys(synthStack(a).resource.aws_sqs_queue)).toEqual(Object.keys(synthStack(b).resource.aws_sqs_queue));
    });

    test('a bucket in a tenant stack logs to the foundation\'s log bucket, ordered by the stack dependency', () => {
      // GIVEN
      const env = environment();
      // WHEN
      const bucket = new Bucket(env.tenantScope('shop'), 'Uploads');
      // THEN
      const logging = onlyResource(synthStack(bucket), 'aws_s3_bucket_logging');
      expect(logging.target_bucket).toMatch(/^\$\{data\.terraform_remote_state\.cross-stack-reference-input-dev\.outputs\.cross-stack-output-aws_s3_bucketAccessLogs_/);
      expect(logging.depends_on).toBeUndefined();
    });
  });

  describe('workloads', () => {
    test('live in their tenant\'s stack: two tenants may both have "api"', () => {
      // GIVEN
      const env = workloadEnvironment();
      // WHEN
      const shop = new Workload(env, 'api', { tenant: 'shop', image: IMAGE, port: 8080 });
      const billing = new Workload(env, 'api', { tenant: 'billing', image: IMAGE, port: 8080 });
      // THEN
      expect(shop.node.path).toBe('dev-shop/api');
      expect(billing.node.path).toBe('dev-billing/api');
      expect(shop.identity.roleName).toBe('dev-shop-api');
      expect(billing.identity.roleName).toBe('dev-billing-api');
    });
  });

  test('a tenant stack made by a declaration that was rolled back leaves its name free', () => {
    // GIVEN
    const platform = testPlatform();
    const env = environment(platform);
    // WHEN
    const checkpoint = env._lookup.checkpoint();
    env.tenantScope('shop');
    env._lookup.rollback(checkpoint);
    // THEN
    expect(platform.terraform.node.tryFindChild('dev-shop')).toBeUndefined();
    expect(new Environment(platform, 'dev-shop', { account: ACCOUNT, region: 'eu-central-1' }).node.path).toBe('dev-shop');
  });

  describe('fails when', () => {
    test('the layout is not a StackLayout', () => {
      expect(() => environment(undefined, { stackLayout: 'FLAT' as any }))
        .toThrow('dev: stackLayout: got "FLAT"; expected one of "PER_TENANT", "SINGLE_STACK" (StackLayout)');
    });

    test('a tenant\'s stack would take an environment\'s name', () => {
      // GIVEN
      const platform = testPlatform();
      new Environment(platform, 'dev-shop', { account: ACCOUNT, region: 'eu-central-1', state: TerraformState.local() });
      const env = environment(platform);
      // THEN
      expect(() => env.tenantScope('shop'))
        .toThrow('dev: tenant: got "shop"; expected a tenant whose stack name "dev-shop" is free: environment dev-shop has it');
    });

    test('a tenant\'s stack would take the name of a stack made by hand', () => {
      // GIVEN
      const platform = testPlatform();
      new TerraformStack(platform.terraform, 'dev-shop');
      const env = environment(platform);
      // THEN
      expect(() => env.tenantScope('shop')).toThrow(
        'dev: tenant: got "shop"; expected a tenant whose stack name "dev-shop" is free: stack dev-shop has it '
        + '(each Terraform stack of the platform needs a name of its own: <env>, <env>-<tenant>, bootstrap-<cluster>)');
    });

    test('an environment would take a tenant stack\'s name', () => {
      // GIVEN
      const platform = testPlatform();
      environment(platform).tenantScope('shop');
      // THEN
      expect(() => new Environment(platform, 'dev-shop', { account: ACCOUNT, region: 'eu-central-1' }))
        .toThrow('dev-shop: name: got "dev-shop"; expected a name whose stack name "dev-shop" is free: the stack of tenant shop of environment dev has it');
    });

    test('the tenant is not a DNS label', () => {
      expect(() => environment().tenantScope('Shop')).toThrow('dev: tenant: got "Shop"; expected a DNS label');
    });

    test.each([
      ['a network', (scope: any) => new Network(scope, 'Network', { cidr: '10.10.0.0/16' })],
      ['a cluster', (scope: any) => new Cluster(scope, 'Main')],
      ['a DNS zone', (scope: any) => new Dns(scope, 'Dns', { zoneName: 'shop.acme.io' })],
    ])('%s is created in a tenant stack', (what, make) => {
      // GIVEN
      const env = environment();
      new Network(env, 'Network', { cidr: '10.20.0.0/16' });
      // THEN
      expect(() => make(env.tenantScope('shop'))).toThrow(
        `scope: got "dev-shop"; expected the environment's foundation stack "dev": ${what} serves every tenant, so create it under the environment`);
    });

    test('a grant would make the foundation depend on a tenant stack', () => {
      // GIVEN
      const env = environment();
      const tenantQueue = new Queue(env.tenantScope('shop'), 'Jobs');
      const cluster = Cluster.fromAttributes(env, 'Cluster', { clusterName: 'dev-main', nodeSecurityGroupId: 'sg-0123456789abcdef0' });
      const platformIdentity = new WorkloadIdentity(env, 'Ops', { cluster, namespace: 'ops', serviceAccount: 'drainer' });
      // THEN
      expect(() => tenantQueue.grantConsume(platformIdentity)).toThrow(
        'dev-shop/Jobs: grantee: got "construct dev/Ops"; expected a grantee whose stack may refer to stack "dev-shop": the grant would make stack "dev" depend on it, '
        + 'but stacks may depend only on the environment\'s foundation stack "dev"');
    });

    test('a grant would make one tenant stack depend on another', () => {
      // GIVEN
      const env = environment();
      const key = new Key(env.tenantScope('shop'), 'ShopKey', { description: 'shop' });
      const cluster = Cluster.fromAttributes(env, 'Cluster', { clusterName: 'dev-main', nodeSecurityGroupId: 'sg-0123456789abcdef0' });
      const billing = new WorkloadIdentity(env.tenantScope('billing'), 'Identity', { cluster, namespace: 'billing', serviceAccount: 'invoices' });
      // THEN
      expect(() => key.grantEncryptDecrypt(billing)).toThrow('expected a grantee whose stack may refer to stack "dev-shop": the grant would make stack "dev-billing" depend on it');
    });

    test('a resource policy of the foundation would name a tenant stack\'s role', () => {
      // GIVEN
      const env = environment();
      const registry = new ContainerRegistry(env, 'Orders');
      const cluster = Cluster.fromAttributes(env, 'Cluster', { clusterName: 'dev-main', nodeSecurityGroupId: 'sg-0123456789abcdef0' });
      const identity = new WorkloadIdentity(env.tenantScope('shop'), 'Identity', { cluster, namespace: 'shop', serviceAccount: 'orders' });
      // THEN
      expect(() => registry.grantPull(identity)).toThrow('the grant would make stack "dev" depend on it');
      expect(() => registry.grantPull(Grantee.fromRoleArn(env, 'Ci', `arn:aws:iam::${ACCOUNT}:role/ci`))).not.toThrow();
    });

    test('two tenants make hand-made constructs of the same name', () => {
      // GIVEN
      const env = environment();
      new Queue(env.tenantScope('shop'), 'Jobs');
      // THEN
      expect(() => new Queue(env.tenantScope('billing'), 'Jobs'))
        .toThrow('dev-billing/Jobs: queueName: got "dev-jobs"; expected a name whose queues are not used by queue dev-shop/Jobs of the same environment');
    });
  });
});
