import { Token } from 'cdktf';
import { Construct } from 'constructs';
import { Environment, TerraformState } from '../../lib';
import { Cluster } from '../../lib/aws/cluster';
import { devEnvironment, prodEnvironment, synthStack, testPlatform } from '../support/synth';

const ATTRS = { clusterName: 'dev-main', nodeSecurityGroupId: 'sg-0123456789abcdef0' };

describe('Cluster', () => {
  describe('fromAttributes', () => {
    test('keeps the name and node security group given', () => {
      // GIVEN
      const env = devEnvironment();
      // WHEN
      const cluster = Cluster.fromAttributes(env, 'Cluster', ATTRS);
      // THEN
      expect(cluster.clusterName).toBe('dev-main');
      expect(cluster.nodeSecurityGroupId).toBe('sg-0123456789abcdef0');
      expect(cluster.node.path).toBe('dev/Cluster');
    });

    test('derives the cluster ARN from the environment\'s partition, region and account by default', () => {
      // GIVEN
      const env = devEnvironment();
      // WHEN
      const cluster = Cluster.fromAttributes(env, 'Cluster', ATTRS);
      // THEN
      expect(cluster.clusterArn).toBe('arn:aws:eks:eu-central-1:123456789012:cluster/dev-main');
    });

    test('derives the ARN in the partition of the region (aws-cn)', () => {
      // GIVEN
      const env = new Environment(testPlatform(), 'china', { account: '123456789012', region: 'cn-north-1', state: TerraformState.local() });
      // WHEN
      const cluster = Cluster.fromAttributes(env, 'Cluster', { ...ATTRS, clusterName: 'main' });
      // THEN
      expect(cluster.clusterArn).toBe('arn:aws-cn:eks:cn-north-1:123456789012:cluster/main');
    });

    test('keeps a cluster ARN given', () => {
      // GIVEN
      const env = devEnvironment();
      const clusterArn = 'arn:aws:eks:eu-west-1:210987654321:cluster/shared';
      // WHEN
      const cluster = Cluster.fromAttributes(env, 'Cluster', { ...ATTRS, clusterName: 'shared', clusterArn });
      // THEN
      expect(cluster.clusterArn).toBe(clusterArn);
    });

    test('accepts old 8-digit security group ids, underscores in names and unresolved tokens', () => {
      // GIVEN
      const env = devEnvironment();
      const token = Token.asString({ Ref: 'sg' });
      // WHEN
      const old = Cluster.fromAttributes(env, 'Old', { clusterName: 'Main_1', nodeSecurityGroupId: 'sg-0123abcd' });
      const referenced = Cluster.fromAttributes(env, 'Referenced', { clusterName: Token.asString({ Ref: 'name' }), nodeSecurityGroupId: token });
      // THEN
      expect(old.clusterName).toBe('Main_1');
      expect(referenced.nodeSecurityGroupId).toBe(token);
    });

    test('creates no Terraform resource', () => {
      // GIVEN
      const env = devEnvironment();
      // WHEN
      Cluster.fromAttributes(env, 'Cluster', ATTRS);
      // THEN
      expect(synthStack(env).resource).toBeUndefined();
    });

    test('matches the snapshot of its attributes', () => {
      // GIVEN
      const env = prodEnvironment();
      // WHEN
      const cluster = Cluster.fromAttributes(env, 'Cluster', { clusterName: 'prod-main', nodeSecurityGroupId: 'sg-0fedcba9876543210' });
      // THEN
      expect({ clusterName: cluster.clusterName, clusterArn: cluster.clusterArn, nodeSecurityGroupId: cluster.nodeSecurityGroupId })
        .toMatchSnapshot();
    });
  });

  describe('of', () => {
    test('finds the one cluster of the environment, wherever it was imported', () => {
      // GIVEN
      const env = devEnvironment();
      const cluster = Cluster.fromAttributes(new Construct(env, 'Shared'), 'Cluster', ATTRS);
      // WHEN
      const found = Cluster.of(new Construct(env, 'Orders'));
      // THEN
      expect(found).toBe(cluster);
    });

    test('finds the cluster of the scope\'s own environment', () => {
      // GIVEN
      const platform = testPlatform();
      const dev = devEnvironment(platform);
      const prod = prodEnvironment(platform);
      Cluster.fromAttributes(dev, 'Cluster', ATTRS);
      const prodCluster = Cluster.fromAttributes(prod, 'Cluster', { ...ATTRS, clusterName: 'prod-main' });
      // WHEN
      const found = Cluster.of(prod);
      // THEN
      expect(found).toBe(prodCluster);
    });
  });

  describe('fails when', () => {
    test.each([['-main'], ['main.cluster'], ['a'.repeat(101)], ['']])('the cluster name is %j', (clusterName) => {
      // GIVEN
      const env = devEnvironment();
      // THEN
      expect(() => Cluster.fromAttributes(env, 'Cluster', { ...ATTRS, clusterName })).toThrow(
        `dev/Cluster: clusterName: got ${JSON.stringify(clusterName)}; expected an EKS cluster name: `
        + '1-100 letters, digits, hyphens and underscores, starting with a letter or digit');
    });

    test.each([['sg-123'], ['sg-0123456789ABCDEF0'], ['0123456789abcdef0'], ['sg-0123456789abcdef']])(
      'the node security group id is %j', (nodeSecurityGroupId) => {
        // GIVEN
        const env = devEnvironment();
        // THEN
        expect(() => Cluster.fromAttributes(env, 'Cluster', { ...ATTRS, nodeSecurityGroupId })).toThrow(
          `dev/Cluster: nodeSecurityGroupId: got ${JSON.stringify(nodeSecurityGroupId)}; `
          + 'expected a security group id: "sg-" followed by 8 or 17 lowercase hex digits');
      });

    test('the cluster ARN is not an EKS cluster ARN', () => {
      // GIVEN
      const env = devEnvironment();
      // THEN
      expect(() => Cluster.fromAttributes(env, 'Cluster', { ...ATTRS, clusterArn: 'arn:aws:ecs:eu-central-1:123456789012:cluster/main' }))
        .toThrow('dev/Cluster: clusterArn: got "arn:aws:ecs:eu-central-1:123456789012:cluster/main"; '
          + 'expected an EKS cluster ARN: "arn:<partition>:eks:<region>:<account>:cluster/<name>"');
    });

    test('the cluster is imported outside an environment', () => {
      // GIVEN
      const platform = testPlatform();
      // THEN
      expect(() => Cluster.fromAttributes(platform, 'Cluster', ATTRS)).toThrow('is not inside an Environment');
    });

    test('the environment has no cluster', () => {
      // GIVEN
      const env = devEnvironment();
      const scope = new Construct(env, 'Orders');
      // THEN
      expect(() => Cluster.of(scope)).toThrow(
        'dev/Orders: cluster: environment "dev" has no cluster; import one with Cluster.fromAttributes(env, \'Cluster\', '
        + '{ clusterName, nodeSecurityGroupId }) or pass the cluster explicitly');
    });

    test('the environment has several clusters', () => {
      // GIVEN
      const env = devEnvironment();
      Cluster.fromAttributes(env, 'Blue', ATTRS);
      Cluster.fromAttributes(env, 'Green', { ...ATTRS, clusterName: 'dev-green' });
      // THEN
      expect(() => Cluster.of(env)).toThrow(
        'dev: cluster: environment "dev" has 2 clusters (dev/Blue, dev/Green); pass the cluster to use explicitly');
    });
  });
});
