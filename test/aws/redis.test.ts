import * as fs from 'fs';
import * as path from 'path';
import { TerraformOutput, Token } from 'cdktf';
import { Construct } from 'constructs';
import { Environment, Platform, Size } from '../../lib';
import { Cluster } from '../../lib/aws/cluster';
import { INetwork, Network } from '../../lib/aws/network';
import { Redis, RedisEngine, RedisProps } from '../../lib/aws/redis';
import { WorkloadIdentity } from '../../lib/aws/workload-identity';
import { devEnvironment, onlyResource, prodEnvironment, resourcesOf, synthStack, testPlatform, withoutAlarmTopics } from '../support/synth';
import { expectNoDanglingReferences } from '../support/tf-references';

const NODE_SG = 'sg-0123456789abcdef0';
const OTHER_SG = 'sg-0fedcba9876543210';
const GROUP = 'OrdersCache_C042F8D9';
const KEY = 'OrdersCache_Key_E2486F18';
const NO_REPLICA = Size.M.extend('M-single', { cache: { nodeType: 'cache.t4g.small', replicas: 0 } });

function network(env: Environment): INetwork {
  return Network.fromAttributes(env, 'Network', {
    vpcId: 'vpc-0123456789abcdef0',
    vpcCidr: '10.30.0.0/16',
    availabilityZones: ['eu-central-1a', 'eu-central-1b'],
    privateSubnetIds: ['subnet-0b000000000000001', 'subnet-0b000000000000002'],
    isolatedSubnetIds: ['subnet-0c000000000000001', 'subnet-0c000000000000002'],
  });
}

function redis(env: Environment, props: Partial<RedisProps> = {}): Redis {
  return new Redis(env, 'OrdersCache', { network: network(env), ...props });
}

function identity(env: Environment): WorkloadIdentity {
  const cluster = Cluster.fromAttributes(env, 'Cluster', { clusterName: 'main', nodeSecurityGroupId: NODE_SG });
  return new WorkloadIdentity(env, 'Identity', { cluster, namespace: 'shop', serviceAccount: 'orders' });
}

function group(env: Environment): any {
  return onlyResource(withoutAlarmTopics(synthStack(env)), 'aws_elasticache_replication_group');
}

function report(platform: Platform): string {
  platform.synth();
  return fs.readFileSync(path.join(platform.outdir, 'report.md'), 'utf8');
}

describe('Redis', () => {
  describe('defaults', () => {
    test('runs Valkey created at 8.1, with automatic minor version upgrades', () => {
      // GIVEN
      const env = devEnvironment();
      // WHEN
      const cache = redis(env);
      // THEN
      expect(group(env)).toEqual(expect.objectContaining({ engine: 'valkey', engine_version: '8.1', auto_minor_version_upgrade: 'true' }));
      expect(cache.engine).toBe(RedisEngine.VALKEY);
      expect(cache.engineVersion).toBe('8.1');
    });

    test('takes node type and replicas from size M: a primary and one replica', () => {
      // GIVEN
      const env = devEnvironment();
      // WHEN
      const cache = redis(env);
      // THEN
      expect(group(env)).toEqual(expect.objectContaining({ node_type: 'cache.t4g.small', num_cache_clusters: 2 }));
      expect(cache.size).toBe(Size.M);
    });

    test('places the nodes in the network\'s isolated subnets, through a subnet group of its own', () => {
      // GIVEN
      const env = devEnvironment();
      // WHEN
      redis(env);
      // THEN
      const stack = withoutAlarmTopics(synthStack(env));
      const subnetGroup = onlyResource(stack, 'aws_elasticache_subnet_group');
      expect(subnetGroup.name).toBe('dev-orderscache');
      expect(subnetGroup.subnet_ids).toEqual(['subnet-0c000000000000001', 'subnet-0c000000000000002']);
      expect(onlyResource(stack, 'aws_elasticache_replication_group').subnet_group_name)
        .toBe('${aws_elasticache_subnet_group.OrdersCache_SubnetGroup_DA3A92BE.name}');
    });

    test('has a security group of its own in the VPC, without any rule until a client is allowed', () => {
      // GIVEN
      const env = devEnvironment();
      // WHEN
      redis(env);
      // THEN
      const stack = withoutAlarmTopics(synthStack(env));
      expect(onlyResource(stack, 'aws_security_group')).toEqual(expect.objectContaining({
        name: 'elasticache-dev-orderscache',
        vpc_id: 'vpc-0123456789abcdef0',
        description: 'ElastiCache replication group dev-orderscache: port 6379 from allowed security groups only',
      }));
      expect(onlyResource(stack, 'aws_security_group').ingress).toBeUndefined();
      expect(resourcesOf(stack, 'aws_vpc_security_group_ingress_rule')).toEqual([]);
      expect(resourcesOf(stack, 'aws_vpc_security_group_egress_rule')).toEqual([]);
      expect(onlyResource(stack, 'aws_elasticache_replication_group').security_group_ids)
        .toEqual(['${aws_security_group.OrdersCache_SecurityGroup_82CA7D81.id}']);
    });

    test('uses a parameter group of its own, of the valkey8 family', () => {
      // GIVEN
      const env = devEnvironment();
      // WHEN
      redis(env);
      // THEN
      const stack = withoutAlarmTopics(synthStack(env));
      expect(onlyResource(stack, 'aws_elasticache_parameter_group')).toEqual(expect.objectContaining({
        name: 'dev-orderscache-valkey8', family: 'valkey8',
      }));
      expect(onlyResource(stack, 'aws_elasticache_replication_group').parameter_group_name)
        .toBe('${aws_elasticache_parameter_group.OrdersCache_ParameterGroup_BE670D85.name}');
    });

    test('encrypts data at rest with a key of its own that rotates', () => {
      // GIVEN
      const env = devEnvironment();
      // WHEN
      redis(env);
      // THEN
      const stack = withoutAlarmTopics(synthStack(env));
      const cache = onlyResource(stack, 'aws_elasticache_replication_group');
      expect(cache.at_rest_encryption_enabled).toBe('true');
      expect(cache.kms_key_id).toBe(`\${aws_kms_key.${KEY}.arn}`);
      expect(onlyResource(stack, 'aws_kms_key').enable_key_rotation).toBe(true);
      expect(onlyResource(stack, 'aws_kms_alias').name).toBe('alias/paved/dev/elasticache/dev-orderscache');
    });

    test('requires TLS for every connection', () => {
      // GIVEN
      const env = devEnvironment();
      // WHEN
      redis(env);
      // THEN
      expect(group(env)).toEqual(expect.objectContaining({ transit_encryption_enabled: true, transit_encryption_mode: 'required' }));
    });

    test('authenticates with IAM through a user group of a switched-off default user and an IAM user: no secret anywhere', () => {
      // GIVEN
      const env = devEnvironment();
      // WHEN
      const cache = redis(env);
      // THEN
      const stack = withoutAlarmTopics(synthStack(env));
      const users = stack.resource.aws_elasticache_user;
      expect(users.OrdersCache_DefaultUser_EE9C447C).toEqual(expect.objectContaining({
        user_id: 'dev-orderscache-default-928e3815', user_name: 'default', engine: 'redis', no_password_required: true, access_string: 'off -@all',
      }));
      expect(users.OrdersCache_User_F4C1FE67).toEqual(expect.objectContaining({
        user_id: 'dev-orderscache', user_name: 'dev-orderscache', engine: 'redis', authentication_mode: { type: 'iam' }, access_string: 'on ~* &* +@all',
      }));
      expect(onlyResource(stack, 'aws_elasticache_user_group')).toEqual(expect.objectContaining({
        user_group_id: 'dev-orderscache',
        engine: 'redis',
        user_ids: [
          '${aws_elasticache_user.OrdersCache_DefaultUser_EE9C447C.user_id}',
          '${aws_elasticache_user.OrdersCache_User_F4C1FE67.user_id}',
        ],
      }));
      expect(onlyResource(stack, 'aws_elasticache_replication_group').user_group_ids)
        .toEqual(['${aws_elasticache_user_group.OrdersCache_UserGroup_E53552ED.user_group_id}']);
      expect(cache.username).toBe('dev-orderscache');
      expect(JSON.stringify(stack)).not.toMatch(/"(auth_token|passwords?)"/);
      expect(resourcesOf(stack, 'random_password')).toEqual([]);
    });

    test('fails over automatically to its replica', () => {
      // GIVEN
      const env = devEnvironment();
      // WHEN
      redis(env);
      // THEN
      expect(group(env).automatic_failover_enabled).toBe(true);
    });

    test('takes daily snapshots from 03:00 to 04:00 UTC and is maintained on Sundays from 05:00 to 06:00 UTC', () => {
      // GIVEN
      const env = devEnvironment();
      // WHEN
      redis(env);
      // THEN
      expect(group(env)).toEqual(expect.objectContaining({ snapshot_window: '03:00-04:00', maintenance_window: 'sun:05:00-sun:06:00' }));
    });

    test('derives the replication group id from environment and construct path', () => {
      // GIVEN
      const env = devEnvironment();
      // WHEN
      const cache = new Redis(new Construct(env, 'orders'), 'cache', { network: network(env) });
      // THEN
      expect(cache.replicationGroupId).toBe('dev-orders-cache');
      expect(group(env).replication_group_id).toBe('dev-orders-cache');
    });

    test('listens on 6379', () => {
      // GIVEN
      const env = devEnvironment();
      // WHEN
      const cache = redis(env);
      // THEN
      expect(cache.port).toBe(6379);
      expect(group(env).port).toBe(6379);
    });

    test('exposes the host as a reference, and ARNs, username and id as literals', () => {
      // GIVEN
      const env = devEnvironment();
      // WHEN
      const cache = redis(env);
      new TerraformOutput(env, 'host', { value: cache.host });
      new TerraformOutput(env, 'sg', { value: cache.securityGroupId });
      // THEN
      const outputs = withoutAlarmTopics(synthStack(env)).output;
      expect(outputs.host.value).toBe(`\${aws_elasticache_replication_group.${GROUP}.primary_endpoint_address}`);
      expect(outputs.sg.value).toBe('${aws_security_group.OrdersCache_SecurityGroup_82CA7D81.id}');
      expect(cache.replicationGroupArn).toBe('arn:aws:elasticache:eu-central-1:123456789012:replicationgroup:dev-orderscache');
      expect(cache.userArn).toBe('arn:aws:elasticache:eu-central-1:123456789012:user:dev-orderscache');
      expect([cache.replicationGroup, cache.subnetGroup, cache.parameterGroup, cache.securityGroup, cache.defaultUser, cache.user,
        cache.userGroup, cache.key]).not.toContain(undefined);
    });

    test('keeps its Terraform addresses (construct ids are API)', () => {
      // GIVEN
      const env = devEnvironment();
      // WHEN
      redis(env, { allowFrom: [NODE_SG] });
      // THEN
      const stack = withoutAlarmTopics(synthStack(env));
      expect(Object.keys(stack.resource.aws_elasticache_replication_group)).toEqual([GROUP]);
      expect(Object.keys(stack.resource.aws_kms_key)).toEqual([KEY]);
      expect(Object.keys(stack.resource.aws_elasticache_subnet_group)).toEqual(['OrdersCache_SubnetGroup_DA3A92BE']);
      expect(Object.keys(stack.resource.aws_elasticache_parameter_group)).toEqual(['OrdersCache_ParameterGroup_BE670D85']);
      expect(Object.keys(stack.resource.aws_security_group)).toEqual(['OrdersCache_SecurityGroup_82CA7D81']);
      expect(Object.keys(stack.resource.aws_elasticache_user)).toEqual(['OrdersCache_DefaultUser_EE9C447C', 'OrdersCache_User_F4C1FE67']);
      expect(Object.keys(stack.resource.aws_elasticache_user_group)).toEqual(['OrdersCache_UserGroup_E53552ED']);
      expect(Object.keys(stack.resource.aws_vpc_security_group_ingress_rule)).toEqual(['OrdersCache_Ingress1_B9889E84']);
    });

    test('references only what the stack declares, in a network paved creates', () => {
      // GIVEN
      const env = devEnvironment();
      const vpc = new Network(env, 'Network', { cidr: '10.20.0.0/16' });
      // WHEN
      new Redis(env, 'OrdersCache', { network: vpc, allowFrom: [NODE_SG] }).grantConnect(identity(env));
      // THEN
      const stack = withoutAlarmTopics(synthStack(env));
      expect(onlyResource(stack, 'aws_elasticache_subnet_group').subnet_ids).toEqual([
        '${aws_subnet.Network_IsolatedSubnet1_0FC35D3B.id}', '${aws_subnet.Network_IsolatedSubnet2_46361735.id}',
      ]);
      expectNoDanglingReferences(stack);
    });
  });

  describe('DEV vs PROD', () => {
    test('DEV: single-AZ, 1-day snapshots, no final snapshot, destroyable', () => {
      // GIVEN
      const env = devEnvironment();
      // WHEN
      redis(env);
      // THEN
      const stack = withoutAlarmTopics(synthStack(env));
      const cache = onlyResource(stack, 'aws_elasticache_replication_group');
      expect(cache.multi_az_enabled).toBe(false);
      expect(cache.snapshot_retention_limit).toBe(1);
      expect(cache.final_snapshot_identifier).toBeUndefined();
      expect(cache.lifecycle).toBeUndefined();
      expect(onlyResource(stack, 'aws_kms_key').lifecycle).toBeUndefined();
    });

    test('PROD: multi-AZ, 30-day snapshots, a final snapshot, prevent_destroy on the group and its key', () => {
      // GIVEN
      const env = prodEnvironment();
      // WHEN
      redis(env);
      // THEN
      const stack = withoutAlarmTopics(synthStack(env));
      const cache = onlyResource(stack, 'aws_elasticache_replication_group');
      expect(cache.multi_az_enabled).toBe(true);
      expect(cache.automatic_failover_enabled).toBe(true);
      expect(cache.snapshot_retention_limit).toBe(30);
      expect(cache.final_snapshot_identifier).toBe('prod-orderscache-final');
      expect(cache.lifecycle).toEqual({ prevent_destroy: true });
      expect(onlyResource(stack, 'aws_kms_key').lifecycle).toEqual({ prevent_destroy: true });
    });

    test('records what the profile and the size chose', () => {
      // GIVEN
      const platform = testPlatform();
      // WHEN
      redis(prodEnvironment(platform));
      // THEN
      const text = report(platform);
      for (const row of [
        '| prod/OrdersCache | size | M | paved default |',
        '| prod/OrdersCache | nodeType | cache.t4g.small | size M |',
        '| prod/OrdersCache | replicas | 1 | size M |',
        '| prod/OrdersCache | engine | valkey | paved default |',
        '| prod/OrdersCache | engineVersion | 8.1 | paved default |',
        '| prod/OrdersCache | automaticFailover | true | size M |',
        '| prod/OrdersCache | multiAz | true | profile prod |',
        '| prod/OrdersCache | snapshotRetentionDays | 30 | profile prod |',
        '| prod/OrdersCache | snapshotWindow | 03:00-04:00 | paved default |',
        '| prod/OrdersCache | finalSnapshot | true | profile prod |',
        '| prod/OrdersCache | preventDestroy | true | profile prod |',
      ]) {
        expect(text).toContain(row);
      }
    });
  });

  describe('overrides', () => {
    test('engine Redis OSS 7.1, with its own redis7 parameter group', () => {
      // GIVEN
      const env = devEnvironment();
      // WHEN
      redis(env, { engine: RedisEngine.REDIS });
      // THEN
      const stack = withoutAlarmTopics(synthStack(env));
      expect(onlyResource(stack, 'aws_elasticache_replication_group')).toEqual(expect.objectContaining({ engine: 'redis', engine_version: '7.1' }));
      expect(onlyResource(stack, 'aws_elasticache_parameter_group')).toEqual(expect.objectContaining({
        name: 'dev-orderscache-redis7', family: 'redis7',
      }));
    });

    test('engineVersion', () => {
      // GIVEN
      const env = devEnvironment();
      // WHEN
      redis(env, { engineVersion: '8.2' });
      // THEN
      expect(group(env).engine_version).toBe('8.2');
    });

    test('size L: memory-optimized nodes and two replicas', () => {
      // GIVEN
      const env = devEnvironment();
      // WHEN
      redis(env, { size: Size.L });
      // THEN
      expect(group(env)).toEqual(expect.objectContaining({ node_type: 'cache.r6g.large', num_cache_clusters: 3 }));
    });

    test('a size without replicas: one node, no failover, no multi-AZ', () => {
      // GIVEN
      const env = devEnvironment();
      // WHEN
      redis(env, { size: NO_REPLICA });
      // THEN
      expect(group(env)).toEqual(expect.objectContaining({ num_cache_clusters: 1, automatic_failover_enabled: false, multi_az_enabled: false }));
    });

    test('multiAz, snapshotRetentionDays, snapshotWindow and finalSnapshot in DEV, recorded as overrides', () => {
      // GIVEN
      const platform = testPlatform();
      const env = devEnvironment(platform);
      // WHEN
      redis(env, { multiAz: true, snapshotRetentionDays: 35, snapshotWindow: '22:30-23:30', finalSnapshot: true });
      // THEN
      expect(group(env)).toEqual(expect.objectContaining({
        multi_az_enabled: true, snapshot_retention_limit: 35, snapshot_window: '22:30-23:30', final_snapshot_identifier: 'dev-orderscache-final',
      }));
      const text = report(platform);
      expect(text).toContain('| dev/OrdersCache | multiAz | true | **override** |');
      expect(text).toContain('| dev/OrdersCache | snapshotRetentionDays | 35 | **override** |');
      expect(text).toContain('| dev/OrdersCache | finalSnapshot | true | **override** |');
    });

    test('automaticFailover off in DEV', () => {
      // GIVEN
      const env = devEnvironment();
      // WHEN
      redis(env, { automaticFailover: false });
      // THEN
      expect(group(env).automatic_failover_enabled).toBe(false);
    });

    test('preventDestroy false in PROD', () => {
      // GIVEN
      const env = prodEnvironment();
      // WHEN
      redis(env, { preventDestroy: false });
      // THEN
      expect(group(env).lifecycle).toBeUndefined();
      expect(group(env).final_snapshot_identifier).toBe('prod-orderscache-final');
    });

    test('replicationGroupId and accessString', () => {
      // GIVEN
      const env = devEnvironment();
      // WHEN
      const cache = redis(env, { replicationGroupId: 'orders', accessString: 'on ~orders:* +@read +@write' });
      // THEN
      const stack = withoutAlarmTopics(synthStack(env));
      expect(onlyResource(stack, 'aws_elasticache_replication_group').replication_group_id).toBe('orders');
      expect(stack.resource.aws_elasticache_user.OrdersCache_User_F4C1FE67).toEqual(expect.objectContaining({
        user_id: 'orders', user_name: 'orders', access_string: 'on ~orders:* +@read +@write',
      }));
      expect(cache.username).toBe('orders');
    });
  });

  describe('allowFrom', () => {
    test('admits 6379/tcp from each security group in props, with a description', () => {
      // GIVEN
      const env = devEnvironment();
      // WHEN
      redis(env, { allowFrom: [NODE_SG, OTHER_SG] });
      // THEN
      const rules = resourcesOf(withoutAlarmTopics(synthStack(env)), 'aws_vpc_security_group_ingress_rule');
      expect(rules).toEqual([NODE_SG, OTHER_SG].map(sg => expect.objectContaining({
        security_group_id: '${aws_security_group.OrdersCache_SecurityGroup_82CA7D81.id}',
        referenced_security_group_id: sg,
        ip_protocol: 'tcp',
        from_port: 6379,
        to_port: 6379,
        description: `Valkey/Redis from ${sg}`,
      })));
    });

    test('adds a rule with the description given, numbered after those of props', () => {
      // GIVEN
      const env = devEnvironment();
      const cache = redis(env, { allowFrom: [NODE_SG] });
      // WHEN
      cache.allowFrom(OTHER_SG, 'Reporting jobs (cron)');
      // THEN
      const rules = withoutAlarmTopics(synthStack(env)).resource.aws_vpc_security_group_ingress_rule;
      expect(Object.keys(rules)).toEqual(['OrdersCache_Ingress1_B9889E84', 'OrdersCache_Ingress2_10601FCF']);
      expect(rules.OrdersCache_Ingress2_10601FCF).toEqual(expect.objectContaining({
        referenced_security_group_id: OTHER_SG, from_port: 6379, to_port: 6379, description: 'Reporting jobs (cron)',
      }));
      expect(cache.ingressRules).toHaveLength(2);
    });
  });

  describe('grantConnect', () => {
    test('grants elasticache:Connect on this replication group and its user only', () => {
      // GIVEN
      const env = devEnvironment();
      const cache = redis(env);
      // WHEN
      cache.grantConnect(identity(env));
      // THEN
      expect(JSON.parse(onlyResource(withoutAlarmTopics(synthStack(env)), 'aws_iam_role_policy').policy)).toEqual({
        Version: '2012-10-17',
        Statement: [{
          Effect: 'Allow',
          Action: 'elasticache:Connect',
          Resource: [
            'arn:aws:elasticache:eu-central-1:123456789012:replicationgroup:dev-orderscache',
            'arn:aws:elasticache:eu-central-1:123456789012:user:dev-orderscache',
          ],
        }],
      });
    });
  });

  test('matches the snapshot of a PROD cache with a client and a grant', () => {
    // GIVEN
    const env = prodEnvironment();
    const cache = redis(env, { allowFrom: [NODE_SG] });
    // WHEN
    cache.grantConnect(identity(env));
    // THEN
    expect(withoutAlarmTopics(synthStack(env))).toMatchSnapshot();
  });

  test('passwordUser: a second user in the group, created with IAM authentication and its mode left to whoever sets its password', () => {
    // GIVEN
    const env = devEnvironment();
    // WHEN
    const cache = redis(env, { passwordUser: true, replicationGroupId: 'orders' });
    cache.grantSetPassword(identity(env));
    // THEN
    const stack = synthStack(env);
    const user = resourcesOf(stack, 'aws_elasticache_user').find(u => u.user_id === cache.passwordUsername);
    expect(cache.passwordUsername).toBe('orders-pw-1c168adb');
    expect(user).toMatchObject({ user_name: cache.passwordUsername, authentication_mode: { type: 'iam' }, lifecycle: { ignore_changes: ['authentication_mode'] } });
    expect(onlyResource(stack, 'aws_elasticache_user_group').user_ids).toHaveLength(3);
    expect(JSON.parse(onlyResource(stack, 'aws_iam_role_policy').policy).Statement).toEqual([{
      Effect: 'Allow', Action: ['elasticache:ModifyUser', 'elasticache:DescribeUsers'], Resource: cache.passwordUserArn,
    }]);
    expect(redis(devEnvironment()).passwordUser).toBeUndefined();
  });

  describe('fails when', () => {
    test('a password is granted to set on a cache without passwordUser, or passwordUser is not a boolean', () => {
      const env = devEnvironment();
      expect(() => redis(env).grantSetPassword(identity(env))).toThrow('dev/OrdersCache: passwordUser: got false; expected true');
      expect(() => redis(devEnvironment(), { passwordUser: 'yes' as any })).toThrow('dev/OrdersCache: passwordUser: got "(an inline value, not shown)"; expected true or false');
      const other = devEnvironment();
      redis(other, { passwordUser: true, replicationGroupId: 'orders' });
      expect(() => new Redis(other, 'Other', { network: Network.of(other), replicationGroupId: 'orders-pw-1c168adb' })).toThrow(
        'dev/Other: replicationGroupId: got "orders-pw-1c168adb"; expected an id not used by dev/OrdersCache of the same environment');
    });

    test.each([['sg-123'], ['subnet-0c000000000000001'], ['']])('allowFrom holds %j', (sg) => {
      // GIVEN
      const env = devEnvironment();
      // THEN
      expect(() => redis(env, { allowFrom: [NODE_SG, sg] })).toThrow(
        `dev/OrdersCache: allowFrom[1]: got ${JSON.stringify(sg)}; expected a security group id: "sg-" followed by 8 or 17 lowercase hex digits`);
    });

    test('allowFrom names a security group twice', () => {
      // GIVEN
      const env = devEnvironment();
      // THEN
      expect(() => redis(env, { allowFrom: [NODE_SG, NODE_SG] }))
        .toThrow(`dev/OrdersCache: allowFrom[1]: got "${NODE_SG}"; expected a security group not allowed already`);
    });

    test('allowFrom is not a list', () => {
      // GIVEN
      const env = devEnvironment();
      // THEN
      expect(() => redis(env, { allowFrom: NODE_SG as any }))
        .toThrow(`dev/OrdersCache: allowFrom: got "${NODE_SG}"; expected a list, each item a string`);
    });

    test('allowFrom() is given an invalid or already allowed security group', () => {
      // GIVEN
      const cache = redis(devEnvironment(), { allowFrom: [NODE_SG] });
      // THEN
      expect(() => cache.allowFrom('sg-xyz', 'Jobs')).toThrow(
        'dev/OrdersCache: securityGroupId: got "sg-xyz"; expected a security group id: "sg-" followed by 8 or 17 lowercase hex digits');
      expect(() => cache.allowFrom(NODE_SG, 'Nodes again'))
        .toThrow(`dev/OrdersCache: securityGroupId: got "${NODE_SG}"; expected a security group not allowed already`);
    });

    test.each([[''], ['Jobs <cron>'], ['x'.repeat(256)]])('allowFrom() is given the description %j', (description) => {
      // GIVEN
      const cache = redis(devEnvironment());
      // THEN
      expect(() => cache.allowFrom(OTHER_SG, description)).toThrow(
        `dev/OrdersCache: description: got ${JSON.stringify(description)}; expected 1-255 letters, digits, spaces and ._-:/()#,@[]+=&;{}!$*`);
    });

    test.each([['Orders'], ['1-orders'], ['orders--cache'], ['orders-'], ['orders_cache'], ['o'.repeat(41)], ['']])(
      'the replication group id is %j', (replicationGroupId) => {
        // GIVEN
        const env = devEnvironment();
        // THEN
        expect(() => redis(env, { replicationGroupId })).toThrow(
          `dev/OrdersCache: replicationGroupId: got ${JSON.stringify(replicationGroupId)}; expected an ElastiCache replication group id: `
          + '1-40 lowercase letters, digits and hyphens, starting with a letter, no "--", not ending with "-"');
      });

    test('the replication group id is used by another cache of the environment', () => {
      // GIVEN
      const env = devEnvironment();
      const vpc = network(env);
      new Redis(env, 'OrdersCache', { network: vpc, replicationGroupId: 'orders' });
      // THEN
      expect(() => new Redis(env, 'BillingCache', { network: vpc, replicationGroupId: 'orders' }))
        .toThrow('dev/BillingCache: replicationGroupId: got "orders"; expected an id not used by dev/OrdersCache of the same environment');
    });

    test('the engine is not a RedisEngine', () => {
      // GIVEN
      const env = devEnvironment();
      // THEN
      expect(() => redis(env, { engine: 'memcached' as any }))
        .toThrow('dev/OrdersCache: engine: got "memcached"; expected one of "valkey", "redis" (RedisEngine)');
    });

    test.each([
      [RedisEngine.VALKEY, '7.2', 'a Valkey 8 version such as "8.1"'],
      [RedisEngine.VALKEY, '8', 'a Valkey 8 version such as "8.1"'],
      [RedisEngine.REDIS, '6.2', 'a Redis OSS 7 version such as "7.1"'],
      [RedisEngine.REDIS, '7.1.0', 'a Redis OSS 7 version such as "7.1"'],
    ])('the %s engine version is %j', (engine, engineVersion, allowed) => {
      // GIVEN
      const env = devEnvironment();
      // THEN
      expect(() => redis(env, { engine, engineVersion }))
        .toThrow(`dev/OrdersCache: engineVersion: got ${JSON.stringify(engineVersion)}; expected ${allowed}`);
    });

    test.each([[0], [36], [1.5]])('the snapshot retention is %j days', (snapshotRetentionDays) => {
      // GIVEN
      const env = devEnvironment();
      // THEN
      expect(() => redis(env, { snapshotRetentionDays }))
        .toThrow(`dev/OrdersCache: snapshotRetentionDays: got ${snapshotRetentionDays}; expected an integer from 1 to 35`);
    });

    test.each([['3-4'], ['03:00-03:30'], ['04:30-05:30'], ['05:30-04:00'], ['24:00-01:00']])('the snapshot window is %j', (snapshotWindow) => {
      // GIVEN
      const env = devEnvironment();
      // THEN
      expect(() => redis(env, { snapshotWindow })).toThrow(`dev/OrdersCache: snapshotWindow: got ${JSON.stringify(snapshotWindow)}; `
        + 'expected a daily UTC window "HH:MM-HH:MM" of at least 60 minutes that does not overlap the maintenance window (Sunday 05:00-06:00)');
    });

    test('automatic failover is asked for without a replica', () => {
      // GIVEN
      const env = devEnvironment();
      // THEN
      expect(() => redis(env, { size: NO_REPLICA, automaticFailover: true })).toThrow(
        'dev/OrdersCache: automaticFailover: got true; expected false when the size has no replica (size M-single has cache.replicas 0): '
        + 'there is nothing to fail over to');
    });

    test('the profile asks for multi-AZ and the size has no replica', () => {
      // GIVEN
      const env = prodEnvironment();
      // THEN
      expect(() => redis(env, { size: NO_REPLICA })).toThrow(
        'prod/OrdersCache: multiAz: got true; expected false when the size has no replica (size M-single has cache.replicas 0), or a size with replicas');
    });

    test('multi-AZ is asked for without automatic failover', () => {
      // GIVEN
      const env = prodEnvironment();
      // THEN
      expect(() => redis(env, { automaticFailover: false })).toThrow(
        'prod/OrdersCache: multiAz: got true; expected false while automaticFailover is false (multi-AZ needs automatic failover)');
    });

    test.each([['off ~* +@all'], ['on'], ['+@all'], ['on ~*\n+@all']])('the access string is %j', (accessString) => {
      // GIVEN
      const env = devEnvironment();
      // THEN
      expect(() => redis(env, { accessString })).toThrow(`dev/OrdersCache: accessString: got ${JSON.stringify(accessString)}; `
        + 'expected an ACL access string that starts with "on" followed by key, channel and command rules, e.g. "on ~app:* +@read +@write"');
    });

    test('the network has fewer than two isolated subnets', () => {
      // GIVEN
      const env = devEnvironment();
      const single = Network.fromAttributes(env, 'Single', {
        vpcId: 'vpc-0123456789abcdef0',
        vpcCidr: '10.30.0.0/16',
        availabilityZones: ['eu-central-1a'],
        privateSubnetIds: ['subnet-0b000000000000001'],
        isolatedSubnetIds: ['subnet-0c000000000000001'],
      });
      // THEN
      expect(() => new Redis(env, 'OrdersCache', { network: single })).toThrow(
        'dev/OrdersCache: network: got "dev/Single"; expected a network with at least 2 isolated subnets in different availability zones '
        + '(replicas and failover need two); it has 1');
    });

    test('the network is missing', () => {
      // GIVEN
      const env = devEnvironment();
      // THEN
      expect(() => new Redis(env, 'OrdersCache', {} as any)).toThrow(
        'dev/OrdersCache: network: got undefined; expected an INetwork (new Network(...), Network.of(...) or Network.fromAttributes(...))');
    });

    test('grant target is not a workload identity', () => {
      // GIVEN
      const cache = redis(devEnvironment());
      // THEN
      expect(() => cache.grantConnect({ roleArn: 'arn:aws:iam::123456789012:role/x' } as any)).toThrow(
        'dev/OrdersCache: grantee: got {"roleArn":"arn:aws:iam::123456789012:role/x"}; expected an IGrantable to grant to (a WorkloadIdentity, cluster.nodeIdentity or Grantee.fromRoleArn(...))');
    });

    test('grant target belongs to another environment', () => {
      // GIVEN
      const platform = testPlatform();
      const cache = redis(devEnvironment(platform));
      const prodIdentity = identity(prodEnvironment(platform));
      // THEN
      expect(() => cache.grantConnect(prodIdentity)).toThrow(
        'dev/OrdersCache: grantee: got "construct prod/Identity"; expected a grantee of environment "dev", not of "prod"');
    });

    test('tokens are accepted where references are allowed', () => {
      // GIVEN
      const env = devEnvironment();
      const cache = redis(env);
      // THEN
      expect(() => cache.allowFrom(Token.asString({ Ref: 'sg' }), Token.asString({ Ref: 'why' }))).not.toThrow();
    });
  });
});
