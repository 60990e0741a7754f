import { Cluster, ContainerRegistry, Grant, GrantPolicy, Grantee, Key, Network, Queue, WorkloadIdentity } from '../../lib';
import { devEnvironment, onlyResource, prodEnvironment, resourcesOf, synthStack, testPlatform } from '../support/synth';

const CI = 'arn:aws:iam::123456789012:role/ci/orders-deploy';

describe('grants', () => {
  test('return what they granted: grantee, policy, statements, actions and resources', () => {
    // GIVEN
    const env = devEnvironment();
    const cluster = Cluster.fromAttributes(env, 'Cluster', { clusterName: 'dev-main', nodeSecurityGroupId: 'sg-0123456789abcdef0' });
    const identity = new WorkloadIdentity(env, 'Identity', { cluster, namespace: 'shop', serviceAccount: 'orders' });
    const key = new Key(env, 'JobsKey', { description: 'Jobs' });
    const queue = new Queue(env, 'Jobs', { encryptionKey: key });
    // WHEN
    const grant: Grant = queue.grantSend(identity);
    // THEN
    expect(grant.grantee).toBe(identity);
    expect(grant.policy).toBe(GrantPolicy.IDENTITY);
    expect(grant.statements).toEqual([
      { actions: ['sqs:SendMessage', 'sqs:GetQueueAttributes', 'sqs:GetQueueUrl'], resources: ['arn:aws:sqs:eu-central-1:123456789012:dev-jobs'] },
      { actions: ['kms:GenerateDataKey', 'kms:Decrypt'], resources: [key.keyArn] },
    ]);
    expect(grant.actions).toEqual(['sqs:SendMessage', 'sqs:GetQueueAttributes', 'sqs:GetQueueUrl', 'kms:GenerateDataKey', 'kms:Decrypt']);
    expect(grant.resources).toEqual(['arn:aws:sqs:eu-central-1:123456789012:dev-jobs', key.keyArn]);
    expect(identity.statements).toEqual(grant.statements);
  });

  test('to cluster.nodeIdentity go into an inline policy of the node role, created with the first grant', () => {
    // GIVEN
    const env = devEnvironment();
    new Network(env, 'Network', { cidr: '10.10.0.0/16' });
    const cluster = new Cluster(env, 'Main');
    const key = new Key(env, 'ImagesKey', { description: 'Images' });
    expect(resourcesOf(synthStack(env), 'aws_iam_role_policy').filter(p => p.name === 'paved-grants')).toEqual([]);
    // WHEN
    key.grantEncryptDecrypt(cluster.nodeIdentity);
    // THEN
    const policy = resourcesOf(synthStack(env), 'aws_iam_role_policy').find(p => p.name === 'paved-grants');
    expect(policy.role).toBe('${aws_iam_role.Main_NodeRole_E6A9A141.name}');
    expect(JSON.parse(policy.policy).Statement).toEqual([{
      Effect: 'Allow',
      Action: ['kms:Encrypt', 'kms:Decrypt', 'kms:ReEncrypt*', 'kms:GenerateDataKey*', 'kms:DescribeKey'],
      Resource: '${aws_kms_key.ImagesKey_954580DA.arn}',
    }]);
  });

  test('to a role paved does not manage can name it in resource policies', () => {
    // GIVEN
    const env = devEnvironment();
    // WHEN
    const ci = Grantee.fromRoleArn(env, 'Ci', CI);
    // THEN
    expect(ci.roleArn).toBe(CI);
    expect(synthStack(env).resource).toBeUndefined();
  });

  describe('fails when', () => {
    test('a grant needs the own policy of a role paved does not manage', () => {
      // GIVEN
      const env = devEnvironment();
      const ci = Grantee.fromRoleArn(env, 'Ci', CI);
      // THEN
      expect(() => new Queue(env, 'Jobs').grantConsume(ci)).toThrow(
        'dev/Ci: statement: got ["sqs:ReceiveMessage","sqs:DeleteMessage","sqs:ChangeMessageVisibility","sqs:GetQueueAttributes","sqs:GetQueueUrl"]; '
        + `expected a grant written into a resource policy: role ${CI} is not managed by paved, so its own policy cannot take the permission`);
    });

    test('the grantee belongs to another environment', () => {
      // GIVEN
      const platform = testPlatform();
      const prod = prodEnvironment(platform);
      const ci = Grantee.fromRoleArn(prod, 'Ci', CI);
      // THEN
      expect(() => new Key(devEnvironment(platform), 'Key', { description: 'x' }).grantEncryptDecrypt(ci))
        .toThrow('dev/Key: grantee: got "construct prod/Ci"; expected a grantee of environment "dev", not of "prod"');
    });

    test('the grantee is not an IGrantable', () => {
      // GIVEN
      const env = devEnvironment();
      // THEN
      expect(() => new Queue(env, 'Jobs').grantSend({ roleArn: CI } as any)).toThrow(
        'dev/Jobs: grantee: got {"roleArn":"arn:aws:iam::123456789012:role/ci/orders-deploy"}; expected an IGrantable to grant to');
    });
  });
});

describe('Grantee.fromRoleArn', () => {
  test('takes a reference too, e.g. a role of another construct', () => {
    // GIVEN
    const env = devEnvironment();
    new Network(env, 'Network', { cidr: '10.10.0.0/16' });
    const cluster = new Cluster(env, 'Main');
    const registry = new ContainerRegistry(env, 'Orders');
    // WHEN
    registry.grantPull(Grantee.fromRoleArn(env, 'Nodes', cluster.nodeRole.arn));
    // THEN
    expect(JSON.parse(onlyResource(synthStack(env), 'aws_ecr_repository_policy').policy).Statement[0].Principal)
      .toEqual({ AWS: '${aws_iam_role.Main_NodeRole_E6A9A141.arn}' });
  });
});
