import { TerraformOutput } from 'cdktf';
import { Construct } from 'constructs';
import { Environment } from '../../lib';
import { Cluster } from '../../lib/aws/cluster';
import { ICluster } from '../../lib/aws/imported-cluster';
import { PolicyStatement } from '../../lib/aws/policy-statement';
import { WorkloadIdentity, WorkloadIdentityProps } from '../../lib/aws/workload-identity';
import { devEnvironment, onlyResource, prodEnvironment, resourcesOf, synthStack } from '../support/synth';
import { expectNoDanglingReferences } from '../support/tf-references';

function cluster(env: Environment): ICluster {
  return Cluster.fromAttributes(env, 'Cluster', { clusterName: `${env.name}-main`, nodeSecurityGroupId: 'sg-0123456789abcdef0' });
}

function identity(env: Environment, props: Partial<WorkloadIdentityProps> = {}): WorkloadIdentity {
  return new WorkloadIdentity(env, 'Identity', { cluster: cluster(env), namespace: 'shop', serviceAccount: 'orders', ...props });
}

function policyOf(stack: any): any {
  return JSON.parse(onlyResource(stack, 'aws_iam_role_policy').policy);
}

const SEND: PolicyStatement = { actions: ['sqs:SendMessage'], resources: ['arn:aws:sqs:eu-central-1:123456789012:orders'] };

describe('WorkloadIdentity', () => {
  describe('defaults', () => {
    test('names the role <env>-<namespace>-<serviceAccount>', () => {
      // GIVEN
      const env = devEnvironment();
      // WHEN
      const id = identity(env);
      // THEN
      expect(id.roleName).toBe('dev-shop-orders');
      expect(onlyResource(synthStack(env), 'aws_iam_role').name).toBe('dev-shop-orders');
    });

    test('lets only EKS Pod Identity assume the role, for this account, cluster, namespace and service account', () => {
      // GIVEN
      const env = devEnvironment();
      // WHEN
      identity(env);
      // THEN
      expect(JSON.parse(onlyResource(synthStack(env), 'aws_iam_role').assume_role_policy)).toEqual({
        Version: '2012-10-17',
        Statement: [{
          Sid: 'EksPodIdentity',
          Effect: 'Allow',
          Principal: { Service: 'pods.eks.amazonaws.com' },
          Action: ['sts:AssumeRole', 'sts:TagSession'],
          Condition: {
            // The session tags EKS Pod Identity sets on every AssumeRole; no aws:SourceArn, which
            // Pod Identity sets to the association's ARN, not the cluster's.
            StringEquals: {
              'aws:SourceAccount': '123456789012',
              'aws:RequestTag/eks-cluster-arn': 'arn:aws:eks:eu-central-1:123456789012:cluster/dev-main',
              'aws:RequestTag/kubernetes-namespace': 'shop',
              'aws:RequestTag/kubernetes-service-account': 'orders',
            },
          },
        }],
      });
    });

    test('associates the role with exactly the namespace and service account on the cluster', () => {
      // GIVEN
      const env = devEnvironment();
      // WHEN
      identity(env);
      // THEN
      const stack = synthStack(env);
      const roleName = Object.keys(stack.resource.aws_iam_role)[0];
      expect(onlyResource(stack, 'aws_eks_pod_identity_association')).toEqual(expect.objectContaining({
        cluster_name: 'dev-main',
        namespace: 'shop',
        service_account: 'orders',
        role_arn: `\${aws_iam_role.${roleName}.arn}`,
      }));
    });

    test('has no permissions and no inline policy until something is granted', () => {
      // GIVEN
      const env = devEnvironment();
      // WHEN
      const id = identity(env);
      // THEN
      expect(resourcesOf(synthStack(env), 'aws_iam_role_policy')).toEqual([]);
      expect(id.policy).toBeUndefined();
      expect(id.statements).toEqual([]);
    });

    test('exposes the role ARN as a reference to the role', () => {
      // GIVEN
      const env = devEnvironment();
      // WHEN
      const id = identity(env);
      new TerraformOutput(env, 'role', { value: id.roleArn });
      // THEN
      expect(synthStack(env).output.role.value).toBe('${aws_iam_role.Identity_2D60E2CC.arn}');
    });

    test('keeps its Terraform addresses (construct ids are API)', () => {
      // GIVEN
      const env = devEnvironment();
      // WHEN
      identity(env).addToPolicy(SEND);
      // THEN
      const stack = synthStack(env);
      expect(Object.keys(stack.resource.aws_iam_role)).toEqual(['Identity_2D60E2CC']);
      expect(Object.keys(stack.resource.aws_eks_pod_identity_association)).toEqual(['Identity_PodIdentityAssociation_71CE8458']);
      expect(Object.keys(stack.resource.aws_iam_role_policy)).toEqual(['Identity_DefaultPolicy_33D8CA23']);
    });
  });

  describe('several clusters', () => {
    test('addCluster associates the service account on another cluster and the role trusts both', () => {
      // GIVEN
      const env = devEnvironment();
      const id = identity(env);
      const blue = Cluster.fromAttributes(env, 'Blue', { clusterName: 'dev-blue', nodeSecurityGroupId: 'sg-0123456789abcdef1' });
      // WHEN
      const association = id.addCluster(blue);
      // THEN
      const stack = synthStack(env);
      expectNoDanglingReferences(stack);
      const associations = resourcesOf(stack, 'aws_eks_pod_identity_association');
      expect(associations.map(a => [a.cluster_name, a.namespace, a.service_account])).toEqual([
        ['dev-main', 'shop', 'orders'], ['dev-blue', 'shop', 'orders'],
      ]);
      expect(Object.keys(stack.resource.aws_eks_pod_identity_association)[0]).toBe('Identity_PodIdentityAssociation_71CE8458');
      const role = onlyResource(stack, 'aws_iam_role');
      const condition = JSON.parse(role.assume_role_policy).Statement[0].Condition;
      expect(condition.StringEquals['aws:RequestTag/eks-cluster-arn']).toEqual(
        ['arn:aws:eks:eu-central-1:123456789012:cluster/dev-main', 'arn:aws:eks:eu-central-1:123456789012:cluster/dev-blue']);
      expect(condition.ArnLike).toBeUndefined();
      expect(role.description).toBe('Pods of service account shop/orders on EKS cluster dev-main, dev-blue (paved dev)');
      expect(id.clusters.map(c => c.clusterName)).toEqual(['dev-main', 'dev-blue']);
      expect(id.associations).toEqual([id.association, association]);
    });

    test('adding a cluster twice keeps one association', () => {
      // GIVEN
      const env = devEnvironment();
      const id = identity(env);
      // WHEN
      const again = id.addCluster(id.cluster);
      // THEN
      expect(again).toBe(id.association);
      expect(resourcesOf(synthStack(env), 'aws_eks_pod_identity_association')).toHaveLength(1);
    });

    test('a cluster added by a declaration that was rolled back leaves the association and the trust again', () => {
      // GIVEN
      const env = devEnvironment();
      const id = identity(env);
      const blue = Cluster.fromAttributes(env, 'Blue', { clusterName: 'dev-blue', nodeSecurityGroupId: 'sg-0123456789abcdef1' });
      // WHEN
      const checkpoint = env._lookup.checkpoint();
      id.addCluster(blue);
      env._lookup.rollback(checkpoint);
      // THEN
      expect(id.clusters).toEqual([id.cluster]);
      const stack = synthStack(env);
      expect(resourcesOf(stack, 'aws_eks_pod_identity_association')).toHaveLength(1);
      expect(JSON.parse(onlyResource(stack, 'aws_iam_role').assume_role_policy).Statement[0].Condition.StringEquals['aws:RequestTag/eks-cluster-arn'])
        .toBe('arn:aws:eks:eu-central-1:123456789012:cluster/dev-main');
    });

    test('fails when the cluster added is not a cluster', () => {
      const id = identity(devEnvironment());
      expect(() => id.addCluster({} as any)).toThrow('dev/Identity: cluster: got {}; expected an ICluster');
    });
  });

  describe('DEV vs PROD', () => {
    test('names the role after the environment, so both can live in one account', () => {
      // GIVEN
      const dev = devEnvironment();
      const prod = prodEnvironment();
      // WHEN
      const devIdentity = identity(dev);
      const prodIdentity = identity(prod);
      // THEN
      expect(devIdentity.roleName).toBe('dev-shop-orders');
      expect(prodIdentity.roleName).toBe('prod-shop-orders');
      expect(JSON.parse(onlyResource(synthStack(prod), 'aws_iam_role').assume_role_policy).Statement[0].Condition.StringEquals)
        .toEqual(expect.objectContaining({ 'aws:RequestTag/eks-cluster-arn': 'arn:aws:eks:eu-central-1:123456789012:cluster/prod-main' }));
    });
  });

  test('shortens a long role name with a hash to IAM\'s 64 characters', () => {
    // GIVEN
    const env = devEnvironment();
    // WHEN
    const id = identity(env, { namespace: 'n'.repeat(40), serviceAccount: 's'.repeat(40) });
    // THEN
    expect(id.roleName).toHaveLength(64);
    expect(id.roleName).toMatch(/^dev-n+-s+-[0-9a-f]{8}$/);
  });

  describe('addToPolicy', () => {
    test('writes the statement into one inline policy document', () => {
      // GIVEN
      const env = devEnvironment();
      const id = identity(env);
      // WHEN
      id.addToPolicy(SEND);
      // THEN
      const stack = synthStack(env);
      const policy = onlyResource(stack, 'aws_iam_role_policy');
      expect(policy.name).toBe('paved-grants');
      expect(policy.role).toBe(`\${aws_iam_role.${Object.keys(stack.resource.aws_iam_role)[0]}.name}`);
      expect(JSON.parse(policy.policy)).toEqual({
        Version: '2012-10-17',
        Statement: [{ Effect: 'Allow', Action: 'sqs:SendMessage', Resource: 'arn:aws:sqs:eu-central-1:123456789012:orders' }],
      });
    });

    test('collects every grant, also those added after the policy was created, into the same policy', () => {
      // GIVEN
      const env = devEnvironment();
      const id = identity(env);
      id.addToPolicy(SEND);
      const policy = id.policy;
      // WHEN
      id.addToPolicy({ actions: ['s3:GetObject', 's3:PutObject'], resources: ['arn:aws:s3:::bucket/*'] });
      // THEN
      expect(id.policy).toBe(policy);
      expect(policyOf(synthStack(env)).Statement).toEqual([
        { Effect: 'Allow', Action: 'sqs:SendMessage', Resource: 'arn:aws:sqs:eu-central-1:123456789012:orders' },
        { Effect: 'Allow', Action: ['s3:GetObject', 's3:PutObject'], Resource: 'arn:aws:s3:::bucket/*' },
      ]);
      expect(id.statements).toHaveLength(2);
    });

    test('renders the statement id and conditions, one value as a string, several as a list', () => {
      // GIVEN
      const env = devEnvironment();
      const id = identity(env);
      // WHEN
      id.addToPolicy({
        sid: 'DecryptViaSecretsManager',
        actions: ['kms:Decrypt'],
        resources: ['arn:aws:kms:eu-central-1:123456789012:key/1', 'arn:aws:kms:eu-central-1:123456789012:key/2'],
        conditions: [
          { test: 'StringEquals', variable: 'kms:ViaService', values: ['secretsmanager.eu-central-1.amazonaws.com'] },
          { test: 'StringEquals', variable: 'aws:ResourceAccount', values: ['123456789012'] },
          { test: 'ForAnyValue:StringLike', variable: 'aws:TagKeys', values: ['a*', 'b*'] },
        ],
      });
      // THEN
      expect(policyOf(synthStack(env)).Statement).toEqual([{
        Sid: 'DecryptViaSecretsManager',
        Effect: 'Allow',
        Action: 'kms:Decrypt',
        Resource: ['arn:aws:kms:eu-central-1:123456789012:key/1', 'arn:aws:kms:eu-central-1:123456789012:key/2'],
        Condition: {
          'StringEquals': { 'kms:ViaService': 'secretsmanager.eu-central-1.amazonaws.com', 'aws:ResourceAccount': '123456789012' },
          'ForAnyValue:StringLike': { 'aws:TagKeys': ['a*', 'b*'] },
        },
      }]);
    });

    test('ignores a statement equal to one already granted', () => {
      // GIVEN
      const env = devEnvironment();
      const id = identity(env);
      id.addToPolicy(SEND);
      // WHEN
      id.addToPolicy({ ...SEND, actions: [...SEND.actions] });
      // THEN
      expect(policyOf(synthStack(env)).Statement).toHaveLength(1);
    });

    test('copies the statement, so changing the caller\'s arrays later changes nothing', () => {
      // GIVEN
      const env = devEnvironment();
      const id = identity(env);
      const actions = ['sqs:SendMessage'];
      // WHEN
      id.addToPolicy({ actions, resources: SEND.resources });
      actions.push('sqs:DeleteQueue');
      // THEN
      expect(policyOf(synthStack(env)).Statement[0].Action).toBe('sqs:SendMessage');
    });

    test('resolves references in resources when the policy is written', () => {
      // GIVEN
      const env = devEnvironment();
      const id = identity(env);
      const other = new WorkloadIdentity(env, 'Other', { cluster: id.cluster, namespace: 'shop', serviceAccount: 'billing' });
      // WHEN
      id.addToPolicy({ actions: ['iam:PassRole'], resources: [other.roleArn] });
      // THEN
      const stack = synthStack(env);
      expect(policyOf(stack).Statement[0].Resource).toMatch(/^\$\{aws_iam_role\.Other_[0-9A-F]{8}\.arn\}$/);
      expectNoDanglingReferences(stack);
    });
  });

  describe('isWorkloadIdentity', () => {
    test('recognises a WorkloadIdentity and any other construct with a role and addToPolicy', () => {
      // GIVEN
      const env = devEnvironment();
      const custom = Object.assign(new Construct(env, 'Custom'), {
        roleArn: 'arn:aws:iam::123456789012:role/x', roleName: 'x', addToPolicy: () => undefined,
      });
      // THEN
      expect(WorkloadIdentity.isWorkloadIdentity(identity(env))).toBe(true);
      expect(WorkloadIdentity.isWorkloadIdentity(custom)).toBe(true);
    });

    test.each([[undefined], [null], ['dev-shop-orders'], [{ roleArn: 'arn', roleName: 'x' }]])('rejects %j', (x) => {
      expect(WorkloadIdentity.isWorkloadIdentity(x)).toBe(false);
    });

    test('rejects a construct without a role', () => {
      expect(WorkloadIdentity.isWorkloadIdentity(new Construct(devEnvironment(), 'Plain'))).toBe(false);
    });
  });

  test('matches the snapshot of an identity with a grant', () => {
    // GIVEN
    const env = prodEnvironment();
    // WHEN
    identity(env).addToPolicy(SEND);
    // THEN
    expect(synthStack(env)).toMatchSnapshot();
  });

  describe('fails when', () => {
    test('another identity of the environment has the same role name', () => {
      // GIVEN
      const env = devEnvironment();
      identity(env);
      // THEN
      expect(() => new WorkloadIdentity(env, 'Again', { cluster: Cluster.of(env), namespace: 'shop', serviceAccount: 'orders' }))
        .toThrow('dev/Again: serviceAccount: got "orders"; expected a service account whose role name "dev-shop-orders" is not taken by dev/Identity of the same environment');
    });

    test.each([['Shop'], ['shop_1'], ['-shop'], ['s'.repeat(64)]])('the namespace is %j', (namespace) => {
      // GIVEN
      const env = devEnvironment();
      // THEN
      expect(() => identity(env, { namespace })).toThrow(`dev/Identity: namespace: got ${JSON.stringify(namespace)}; expected a DNS label`);
    });

    test.each([['Orders'], ['orders.v1'], ['']])('the service account is %j', (serviceAccount) => {
      // GIVEN
      const env = devEnvironment();
      // THEN
      expect(() => identity(env, { serviceAccount }))
        .toThrow(`dev/Identity: serviceAccount: got ${JSON.stringify(serviceAccount)}; expected a DNS label`);
    });

    test('the cluster is missing', () => {
      // GIVEN
      const env = devEnvironment();
      // THEN
      expect(() => new WorkloadIdentity(env, 'Identity', { cluster: undefined as any, namespace: 'shop', serviceAccount: 'orders' }))
        .toThrow('dev/Identity: cluster: got undefined; expected an ICluster (new Cluster(...), Cluster.of(...) or Cluster.fromAttributes(...))');
    });

    test('a statement has no actions', () => {
      // GIVEN
      const id = identity(devEnvironment());
      // THEN
      expect(() => id.addToPolicy({ actions: [], resources: SEND.resources })).toThrow(
        'dev/Identity: statement.actions: got []; expected one or more IAM actions written "service:Action", e.g. "sqs:SendMessage"');
    });

    test.each([['*'], ['sqs'], ['sqs:Send Message']])('a statement has the action %j', (action) => {
      // GIVEN
      const id = identity(devEnvironment());
      // THEN
      expect(() => id.addToPolicy({ actions: [action], resources: SEND.resources }))
        .toThrow(`dev/Identity: statement.actions: got ${JSON.stringify(action)}; expected one or more IAM actions`);
    });

    test('a statement has no resources', () => {
      // GIVEN
      const id = identity(devEnvironment());
      // THEN
      expect(() => id.addToPolicy({ actions: SEND.actions, resources: [] }))
        .toThrow('dev/Identity: statement.resources: got []; expected one or more resource ARNs');
      expect(() => id.addToPolicy({ actions: SEND.actions, resources: [''] }))
        .toThrow('dev/Identity: statement.resources: got ""; expected one or more resource ARNs');
    });

    test('a statement id has other characters than letters and digits', () => {
      // GIVEN
      const id = identity(devEnvironment());
      // THEN
      expect(() => id.addToPolicy({ ...SEND, sid: 'send-orders' }))
        .toThrow('dev/Identity: statement.sid: got "send-orders"; expected a statement id of letters and digits only');
    });

    test('a statement id is used twice', () => {
      // GIVEN
      const id = identity(devEnvironment());
      id.addToPolicy({ ...SEND, sid: 'Send' });
      // THEN
      expect(() => id.addToPolicy({ actions: ['sqs:ReceiveMessage'], resources: SEND.resources, sid: 'Send' }))
        .toThrow('dev/Identity: statement.sid: got "Send"; expected a statement id not used by another statement of this identity');
    });

    test('a condition has an invalid operator, key or no values', () => {
      // GIVEN
      const id = identity(devEnvironment());
      const grant = (test: string, variable: string, values: string[]) =>
        id.addToPolicy({ ...SEND, conditions: [{ test, variable, values }] });
      // THEN
      expect(() => grant('String Equals', 'aws:SourceAccount', ['1'])).toThrow(
        'dev/Identity: statement.conditions.test: got "String Equals"; expected an IAM condition operator such as "StringEquals" or "ForAnyValue:StringLike"');
      expect(() => grant('StringEquals', 'SourceAccount', ['1'])).toThrow(
        'dev/Identity: statement.conditions.variable: got "SourceAccount"; expected an IAM condition key such as "aws:SourceAccount"');
      expect(() => grant('StringEquals', 'aws:SourceAccount', [])).toThrow(
        'dev/Identity: statement.conditions.values: got []; expected one or more values');
    });

    test('a condition names the same operator and key twice', () => {
      // GIVEN
      const id = identity(devEnvironment());
      // THEN
      expect(() => id.addToPolicy({
        ...SEND,
        conditions: [
          { test: 'StringEquals', variable: 'aws:SourceAccount', values: ['1'] },
          { test: 'StringEquals', variable: 'aws:SourceAccount', values: ['2'] },
        ],
      })).toThrow('dev/Identity: statement.conditions: got "StringEquals aws:SourceAccount"; '
        + 'expected each (test, variable) pair at most once; list several values in one condition instead');
    });
  });
});
