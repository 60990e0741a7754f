import { PolicyStatement } from '../aws/policy-statement';

/** Where the controller runs. */
interface ControllerScope {
  readonly partition: string;
  readonly region: string;
  readonly account: string;
  /** The EKS cluster name: the controller tags what it makes with `elbv2.k8s.aws/cluster: <name>`. */
  readonly clusterName: string;
  /** ARN of the cluster's VPC. */
  readonly vpcArn: string;
}

const CLUSTER_TAG = 'elbv2.k8s.aws/cluster';

/**
 * The AWS Load Balancer Controller's permissions: the upstream policy
 * (`docs/install/iam_policy.json` of kubernetes-sigs/aws-load-balancer-controller
 * v3.5.0), scoped where IAM allows it:
 * - everything it creates, modifies or deletes must carry the tag
 *   `elbv2.k8s.aws/cluster` with this cluster's name (upstream only asks for
 *   the tag to exist), so the controllers of two clusters in one account
 *   cannot touch each other's load balancers, target groups or security groups;
 * - security group rules only in the cluster's VPC;
 * - load balancers, target groups, listeners and rules only in the
 *   environment's account and region.
 * Describe and list calls, which IAM cannot scope, stay on `*`.
 * @internal
 */
export function awsLoadBalancerControllerPolicy(scope: ControllerScope): PolicyStatement[] {
  const { partition, region, account } = scope;
  const ec2 = (resource: string) => `arn:${partition}:ec2:${region}:${account}:${resource}`;
  const elb = (resource: string) => `arn:${partition}:elasticloadbalancing:${region}:${account}:${resource}`;
  const ownCluster = (key: 'aws:RequestTag' | 'aws:ResourceTag') => ({ test: 'StringEquals', variable: `${key}/${CLUSTER_TAG}`, values: [scope.clusterName] });
  const noClusterTagChange = { test: 'Null', variable: `aws:RequestTag/${CLUSTER_TAG}`, values: ['true'] };
  const loadBalancersAndTargetGroups = [elb('targetgroup/*/*'), elb('loadbalancer/net/*/*'), elb('loadbalancer/app/*/*')];
  return [
    {
      sid: 'CreateElbServiceLinkedRole',
      actions: ['iam:CreateServiceLinkedRole'],
      resources: ['*'],
      conditions: [{ test: 'StringEquals', variable: 'iam:AWSServiceName', values: ['elasticloadbalancing.amazonaws.com'] }],
    },
    {
      sid: 'Describe',
      actions: [
        'ec2:DescribeAccountAttributes', 'ec2:DescribeAddresses', 'ec2:DescribeAvailabilityZones', 'ec2:DescribeInternetGateways',
        'ec2:DescribeVpcs', 'ec2:DescribeVpcPeeringConnections', 'ec2:DescribeSubnets', 'ec2:DescribeSecurityGroups',
        'ec2:DescribeInstances', 'ec2:DescribeNetworkInterfaces', 'ec2:DescribeTags', 'ec2:GetCoipPoolUsage', 'ec2:DescribeCoipPools',
        'ec2:GetSecurityGroupsForVpc', 'ec2:DescribeIpamPools', 'ec2:DescribeRouteTables',
        'elasticloadbalancing:DescribeLoadBalancers', 'elasticloadbalancing:DescribeLoadBalancerAttributes',
        'elasticloadbalancing:DescribeListeners', 'elasticloadbalancing:DescribeListenerCertificates',
        'elasticloadbalancing:DescribeSSLPolicies', 'elasticloadbalancing:DescribeRules', 'elasticloadbalancing:DescribeTargetGroups',
        'elasticloadbalancing:DescribeTargetGroupAttributes', 'elasticloadbalancing:DescribeTargetHealth',
        'elasticloadbalancing:DescribeTags', 'elasticloadbalancing:DescribeTrustStores', 'elasticloadbalancing:DescribeListenerAttributes',
        'elasticloadbalancing:DescribeCapacityReservation',
      ],
      resources: ['*'],
    },
    {
      sid: 'CertificatesFirewallsAndShield',
      actions: [
        'cognito-idp:DescribeUserPoolClient', 'acm:ListCertificates', 'acm:DescribeCertificate', 'iam:ListServerCertificates',
        'iam:GetServerCertificate', 'waf-regional:GetWebACL', 'waf-regional:GetWebACLForResource', 'waf-regional:AssociateWebACL',
        'waf-regional:DisassociateWebACL', 'wafv2:GetWebACL', 'wafv2:GetWebACLForResource', 'wafv2:AssociateWebACL',
        'wafv2:DisassociateWebACL', 'shield:GetSubscriptionState', 'shield:DescribeProtection', 'shield:CreateProtection',
        'shield:DeleteProtection',
      ],
      resources: ['*'],
    },
    {
      // Opens the target ports on the nodes' group, which the controller did not create.
      sid: 'SecurityGroupRulesInTheClusterVpc',
      actions: ['ec2:AuthorizeSecurityGroupIngress', 'ec2:RevokeSecurityGroupIngress'],
      resources: [ec2('security-group/*')],
      conditions: [{ test: 'ArnEquals', variable: 'ec2:Vpc', values: [scope.vpcArn] }],
    },
    {
      sid: 'CreateSecurityGroupInTheClusterVpc',
      actions: ['ec2:CreateSecurityGroup'],
      resources: [scope.vpcArn],
    },
    {
      sid: 'CreateOwnSecurityGroup',
      actions: ['ec2:CreateSecurityGroup'],
      resources: [ec2('security-group/*')],
      conditions: [ownCluster('aws:RequestTag')],
    },
    {
      sid: 'TagOwnSecurityGroupOnCreate',
      actions: ['ec2:CreateTags'],
      resources: [ec2('security-group/*')],
      conditions: [{ test: 'StringEquals', variable: 'ec2:CreateAction', values: ['CreateSecurityGroup'] }, ownCluster('aws:RequestTag')],
    },
    {
      sid: 'TagOwnSecurityGroup',
      actions: ['ec2:CreateTags', 'ec2:DeleteTags'],
      resources: [ec2('security-group/*')],
      conditions: [noClusterTagChange, ownCluster('aws:ResourceTag')],
    },
    {
      sid: 'ManageOwnSecurityGroup',
      actions: ['ec2:AuthorizeSecurityGroupIngress', 'ec2:RevokeSecurityGroupIngress', 'ec2:DeleteSecurityGroup'],
      resources: [ec2('security-group/*')],
      conditions: [ownCluster('aws:ResourceTag')],
    },
    {
      sid: 'CreateOwnLoadBalancer',
      actions: ['elasticloadbalancing:CreateLoadBalancer', 'elasticloadbalancing:CreateTargetGroup'],
      resources: loadBalancersAndTargetGroups,
      conditions: [ownCluster('aws:RequestTag')],
    },
    {
      sid: 'ListenersAndRules',
      actions: ['elasticloadbalancing:CreateListener', 'elasticloadbalancing:DeleteListener', 'elasticloadbalancing:CreateRule',
        'elasticloadbalancing:DeleteRule'],
      resources: [elb('loadbalancer/*'), elb('listener/*'), elb('listener-rule/*')],
    },
    {
      sid: 'TagOwnLoadBalancer',
      actions: ['elasticloadbalancing:AddTags', 'elasticloadbalancing:RemoveTags'],
      resources: loadBalancersAndTargetGroups,
      conditions: [noClusterTagChange, ownCluster('aws:ResourceTag')],
    },
    {
      sid: 'TagListenersAndRules',
      actions: ['elasticloadbalancing:AddTags', 'elasticloadbalancing:RemoveTags'],
      resources: [elb('listener/net/*/*/*'), elb('listener/app/*/*/*'), elb('listener-rule/net/*/*/*'), elb('listener-rule/app/*/*/*')],
    },
    {
      sid: 'ManageOwnLoadBalancer',
      actions: [
        'elasticloadbalancing:ModifyLoadBalancerAttributes', 'elasticloadbalancing:SetIpAddressType', 'elasticloadbalancing:SetSecurityGroups',
        'elasticloadbalancing:SetSubnets', 'elasticloadbalancing:DeleteLoadBalancer', 'elasticloadbalancing:ModifyTargetGroup',
        'elasticloadbalancing:ModifyTargetGroupAttributes', 'elasticloadbalancing:DeleteTargetGroup',
        'elasticloadbalancing:ModifyListenerAttributes', 'elasticloadbalancing:ModifyCapacityReservation', 'elasticloadbalancing:ModifyIpPools',
      ],
      resources: loadBalancersAndTargetGroups,
      conditions: [ownCluster('aws:ResourceTag')],
    },
    {
      sid: 'TagOwnLoadBalancerOnCreate',
      actions: ['elasticloadbalancing:AddTags'],
      resources: loadBalancersAndTargetGroups,
      conditions: [
        { test: 'StringEquals', variable: 'elasticloadbalancing:CreateAction', values: ['CreateTargetGroup', 'CreateLoadBalancer'] },
        ownCluster('aws:RequestTag'),
      ],
    },
    {
      sid: 'RegisterTargets',
      actions: ['elasticloadbalancing:RegisterTargets', 'elasticloadbalancing:DeregisterTargets'],
      resources: [elb('targetgroup/*/*')],
    },
    {
      sid: 'ListenersCertificatesAndFirewalls',
      actions: ['elasticloadbalancing:SetWebAcl', 'elasticloadbalancing:ModifyListener', 'elasticloadbalancing:AddListenerCertificates',
        'elasticloadbalancing:RemoveListenerCertificates', 'elasticloadbalancing:ModifyRule', 'elasticloadbalancing:SetRulePriorities'],
      resources: [elb('loadbalancer/*'), elb('listener/*'), elb('listener-rule/*')],
    },
  ];
}
