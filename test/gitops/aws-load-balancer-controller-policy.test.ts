import { awsLoadBalancerControllerPolicy } from '../../lib/gitops/aws-load-balancer-controller-policy';

const SCOPE = {
  partition: 'aws',
  region: 'eu-central-1',
  account: '123456789012',
  clusterName: 'prod-cluster',
  vpcArn: 'arn:aws:ec2:eu-central-1:123456789012:vpc/vpc-0123456789abcdef0',
};

describe('awsLoadBalancerControllerPolicy', () => {
  const statements = awsLoadBalancerControllerPolicy(SCOPE);
  const bySid = Object.fromEntries(statements.map(s => [s.sid, s]));

  test('has every action of the upstream policy (v3.5.0)', () => {
    const actions = new Set(statements.flatMap(s => s.actions));
    for (const action of ['iam:CreateServiceLinkedRole', 'ec2:DescribeVpcs', 'ec2:CreateSecurityGroup', 'ec2:AuthorizeSecurityGroupIngress',
      'ec2:DeleteSecurityGroup', 'elasticloadbalancing:CreateLoadBalancer', 'elasticloadbalancing:RegisterTargets',
      'elasticloadbalancing:ModifyListener', 'wafv2:AssociateWebACL', 'acm:DescribeCertificate', 'elasticloadbalancing:ModifyIpPools']) {
      expect(actions).toContain(action);
    }
  });

  test('creates, modifies and deletes only what carries its own cluster\'s tag', () => {
    const ownCluster = (key: string) => ({ test: 'StringEquals', variable: `${key}/elbv2.k8s.aws/cluster`, values: ['prod-cluster'] });
    expect(bySid.CreateOwnLoadBalancer.conditions).toEqual([ownCluster('aws:RequestTag')]);
    expect(bySid.ManageOwnLoadBalancer.conditions).toEqual([ownCluster('aws:ResourceTag')]);
    expect(bySid.ManageOwnSecurityGroup.conditions).toEqual([ownCluster('aws:ResourceTag')]);
    expect(bySid.CreateOwnSecurityGroup.conditions).toEqual([ownCluster('aws:RequestTag')]);
    expect(bySid.TagOwnLoadBalancer.conditions).toContainEqual({ test: 'Null', variable: 'aws:RequestTag/elbv2.k8s.aws/cluster', values: ['true'] });
  });

  test('opens ports only in the cluster\'s VPC, and names load balancers of the account and region only', () => {
    expect(bySid.SecurityGroupRulesInTheClusterVpc).toEqual(expect.objectContaining({
      resources: ['arn:aws:ec2:eu-central-1:123456789012:security-group/*'],
      conditions: [{ test: 'ArnEquals', variable: 'ec2:Vpc', values: [SCOPE.vpcArn] }],
    }));
    expect(bySid.CreateSecurityGroupInTheClusterVpc.resources).toEqual([SCOPE.vpcArn]);
    const scoped = statements.filter(s => s.actions.some(a => a.startsWith('elasticloadbalancing:') && !a.includes(':Describe')));
    for (const statement of scoped) {
      for (const resource of statement.resources) {
        expect(resource).toMatch(/^arn:aws:elasticloadbalancing:eu-central-1:123456789012:/);
      }
    }
  });

  test('leaves only calls IAM cannot scope on "*"', () => {
    const wildcard = statements.filter(s => s.resources.includes('*')).map(s => s.sid);
    expect(wildcard).toEqual(['CreateElbServiceLinkedRole', 'Describe', 'CertificatesFirewallsAndShield']);
    expect(bySid.CreateElbServiceLinkedRole.conditions).toEqual([{ test: 'StringEquals', variable: 'iam:AWSServiceName', values: ['elasticloadbalancing.amazonaws.com'] }]);
  });
});
