import * as fs from 'fs';
import * as path from 'path';
import { Token } from 'cdktf';
import { Construct } from 'constructs';
import { Environment, NetworkPolicyEnforcement, NodeEgress, NodeEgressProtocol, Platform, Profile, Size, TerraformState } from '../../lib';
import { Cluster, ClusterProps } from '../../lib/aws/cluster';
import { INetwork, Network } from '../../lib/aws/network';
import { WorkloadIdentity } from '../../lib/aws/workload-identity';
import { devEnvironment, onlyResource, prodEnvironment, resourcesOf, synthStack, testPlatform } from '../support/synth';
import { expectNoDanglingReferences } from '../support/tf-references';

const ATTRS = { clusterName: 'dev-main', nodeSecurityGroupId: 'sg-0123456789abcdef0' };
const ADMIN = 'arn:aws:iam::123456789012:role/platform-admin';
const PRIVATE_SUBNETS = ['subnet-0b000000000000001', 'subnet-0b000000000000002'];

function network(env: Environment): INetwork {
  return Network.fromAttributes(env, 'Network', {
    vpcId: 'vpc-0123456789abcdef0',
    vpcCidr: '10.30.0.0/16',
    availabilityZones: ['eu-central-1a', 'eu-central-1b'],
    privateSubnetIds: PRIVATE_SUBNETS,
    isolatedSubnetIds: ['subnet-0c000000000000001', 'subnet-0c000000000000002'],
  });
}

/** A cluster `Main` in `env`, on an imported network unless one is given. */
function cluster(env: Environment, props: ClusterProps = {}): Cluster {
  return new Cluster(env, 'Main', { network: props.network ?? network(env), ...props });
}

/**
 * The Terraform address `type.name` of the resource of `type` at `<env>/<path>`
 * (cdktf joins the path with `_`, drops a last `Resource` and appends a hash).
 */
function address(stack: any, type: string, constructPath: string): string {
  const parts = constructPath.split('/');
  if (parts[parts.length - 1] === 'Resource') { parts.pop(); }
  const pattern = new RegExp(`^${parts.join('_')}_[0-9A-F]{8}$`);
  const found = Object.keys(stack.resource?.[type] ?? {}).filter(name => pattern.test(name));
  if (found.length !== 1) { throw new Error(`expected one ${type} at ${constructPath}, found ${found.length}`); }
  return `${type}.${found[0]}`;
}

/** The body of the resource of `type` at `<env>/<path>`. */
function at(stack: any, type: string, constructPath: string): any {
  return stack.resource[type][address(stack, type, constructPath).slice(type.length + 1)];
}

/** `${type.name.attribute}` of the resource of `type` at `<env>/<path>`. */
function ref(stack: any, type: string, constructPath: string, attribute: string): string {
  return `\${${address(stack, type, constructPath)}.${attribute}}`;
}

function role(stack: any, name: string): any {
  const found = resourcesOf(stack, 'aws_iam_role').filter(r => r.name === name);
  if (found.length !== 1) { throw new Error(`expected one role ${name}, found ${found.length}`); }
  return found[0];
}

function attachedPolicies(stack: any, rolePath: string): string[] {
  const roleName = ref(stack, 'aws_iam_role', rolePath, 'name');
  return resourcesOf(stack, 'aws_iam_role_policy_attachment').filter(a => a.role === roleName).map(a => a.policy_arn);
}

function report(platform: Platform): string {
  platform.synth();
  return fs.readFileSync(path.join(platform.outdir, 'report.md'), 'utf8');
}

describe('Cluster', () => {
  describe('defaults', () => {
    test('names the cluster after the environment and the construct id', () => {
      // GIVEN
      const env = prodEnvironment();
      // WHEN
      const main = cluster(env);
      // THEN
      expect(onlyResource(synthStack(env), 'aws_eks_cluster').name).toBe('prod-main');
      expect(main.name).toBe('prod-main');
      expect(main.clusterArn).toBe('arn:aws:eks:eu-central-1:123456789012:cluster/prod-main');
    });

    test('runs Kubernetes 1.35, a version in EKS standard support', () => {
      // GIVEN
      const env = devEnvironment();
      // WHEN
      const main = cluster(env);
      // THEN
      expect(onlyResource(synthStack(env), 'aws_eks_cluster').version).toBe('1.35');
      expect(main.version).toBe('1.35');
      expect(Cluster.KUBERNETES_VERSIONS).toEqual(['1.32', '1.33', '1.34', '1.35']);
    });

    test('keeps the API endpoint private', () => {
      // GIVEN
      const env = devEnvironment();
      // WHEN
      cluster(env);
      // THEN
      const vpcConfig = onlyResource(synthStack(env), 'aws_eks_cluster').vpc_config;
      expect(vpcConfig.endpoint_private_access).toBe(true);
      expect(vpcConfig.endpoint_public_access).toBe(false);
      expect(vpcConfig.public_access_cidrs).toBeUndefined();
    });

    test('places the control plane in the network\'s private subnets with a security group of its own', () => {
      // GIVEN
      const env = devEnvironment();
      // WHEN
      const main = cluster(env);
      // THEN
      const stack = synthStack(env);
      const vpcConfig = onlyResource(stack, 'aws_eks_cluster').vpc_config;
      expect(vpcConfig.subnet_ids).toEqual(PRIVATE_SUBNETS);
      expect(vpcConfig.security_group_ids).toEqual([ref(stack, 'aws_security_group', 'Main/ClusterSecurityGroup', 'id')]);
      expect(main.subnetIds).toEqual(PRIVATE_SUBNETS);
    });

    test('uses the environment\'s network', () => {
      // GIVEN
      const env = devEnvironment();
      new Network(env, 'Network', { cidr: '10.20.0.0/16' });
      // WHEN
      new Cluster(env, 'Main');
      // THEN
      const stack = synthStack(env);
      expect(onlyResource(stack, 'aws_eks_cluster').vpc_config.subnet_ids).toEqual([
        ref(stack, 'aws_subnet', 'Network/PrivateSubnet1', 'id'),
        ref(stack, 'aws_subnet', 'Network/PrivateSubnet2', 'id'),
      ]);
    });

    test('sends all five control plane log types to a KMS-encrypted log group /aws/eks/<name>/cluster kept 365 days', () => {
      // GIVEN
      const env = devEnvironment();
      // WHEN
      cluster(env);
      // THEN
      const stack = synthStack(env);
      const eks = onlyResource(stack, 'aws_eks_cluster');
      expect(eks.enabled_cluster_log_types).toEqual(['api', 'audit', 'authenticator', 'controllerManager', 'scheduler']);
      const logGroup = onlyResource(stack, 'aws_cloudwatch_log_group');
      expect(logGroup.name).toBe('/aws/eks/dev-main/cluster');
      expect(logGroup.retention_in_days).toBe(365);
      expect(logGroup.kms_key_id).toBe(ref(stack, 'aws_kms_key', 'Main/LogKey/Resource', 'arn'));
      // EKS would create its own, unencrypted log group if the cluster came first.
      expect(eks.depends_on).toContain(address(stack, 'aws_cloudwatch_log_group', 'Main/LogGroup'));
    });

    test('lets CloudWatch Logs use the log key for this log group only', () => {
      // GIVEN
      const env = devEnvironment();
      // WHEN
      cluster(env);
      // THEN
      const policy = JSON.parse(at(synthStack(env), 'aws_kms_key', 'Main/LogKey/Resource').policy);
      expect(policy.Statement[1]).toMatchObject({
        Principal: { Service: 'logs.eu-central-1.amazonaws.com' },
        Condition: { ArnEquals: { 'kms:EncryptionContext:aws:logs:arn': 'arn:aws:logs:eu-central-1:123456789012:log-group:/aws/eks/dev-main/cluster' } },
      });
    });

    test('envelope-encrypts Secrets with a key of its own, which the cluster role may use', () => {
      // GIVEN
      const env = devEnvironment();
      // WHEN
      cluster(env);
      // THEN
      const stack = synthStack(env);
      const keyArn = ref(stack, 'aws_kms_key', 'Main/SecretsKey/Resource', 'arn');
      expect(onlyResource(stack, 'aws_eks_cluster').encryption_config).toEqual({ resources: ['secrets'], provider: { key_arn: keyArn } });
      expect(keyArn).not.toBe(ref(stack, 'aws_kms_key', 'Main/LogKey/Resource', 'arn'));
      const policy = JSON.parse(at(stack, 'aws_iam_role_policy', 'Main/ClusterRoleSecretsKeyPolicy').policy);
      expect(policy.Statement).toEqual([{
        Sid: 'EnvelopeEncryptSecrets', Effect: 'Allow', Action: ['kms:Encrypt', 'kms:Decrypt', 'kms:ListGrants', 'kms:DescribeKey'], Resource: keyArn,
      }]);
    });

    test('authenticates through access entries only and gives whoever runs Terraform no admin rights', () => {
      // GIVEN
      const env = devEnvironment();
      // WHEN
      cluster(env);
      // THEN
      const stack = synthStack(env);
      expect(onlyResource(stack, 'aws_eks_cluster').access_config).toEqual({
        authentication_mode: 'API', bootstrap_cluster_creator_admin_permissions: false,
      });
      expect(resourcesOf(stack, 'aws_eks_access_entry')).toEqual([]);
    });

    test('lets the control plane act as a role trusted by EKS with AmazonEKSClusterPolicy', () => {
      // GIVEN
      const env = devEnvironment();
      // WHEN
      cluster(env);
      // THEN
      const stack = synthStack(env);
      const clusterRole = role(stack, 'dev-main-cluster');
      expect(JSON.parse(clusterRole.assume_role_policy).Statement).toEqual([{
        Effect: 'Allow', Principal: { Service: 'eks.amazonaws.com' }, Action: ['sts:AssumeRole', 'sts:TagSession'],
      }]);
      expect(attachedPolicies(stack, 'Main/ClusterRole')).toEqual(['arn:aws:iam::aws:policy/AmazonEKSClusterPolicy']);
      expect(onlyResource(stack, 'aws_eks_cluster').role_arn).toBe(ref(stack, 'aws_iam_role', 'Main/ClusterRole', 'arn'));
    });

    test('gives the nodes a role with worker and registry pull policies only (the VPC CNI has its own)', () => {
      // GIVEN
      const env = devEnvironment();
      // WHEN
      cluster(env);
      // THEN
      const stack = synthStack(env);
      expect(JSON.parse(role(stack, 'dev-main-nodes').assume_role_policy).Statement).toEqual([{
        Effect: 'Allow', Principal: { Service: 'ec2.amazonaws.com' }, Action: 'sts:AssumeRole',
      }]);
      expect(attachedPolicies(stack, 'Main/NodeRole').sort()).toEqual([
        'arn:aws:iam::aws:policy/AmazonEC2ContainerRegistryPullOnly',
        'arn:aws:iam::aws:policy/AmazonEKSWorkerNodePolicy',
      ]);
    });

    test('creates a managed node group of size M in the private subnets', () => {
      // GIVEN
      const env = prodEnvironment();
      // WHEN
      const main = cluster(env);
      // THEN
      const stack = synthStack(env);
      const nodes = onlyResource(stack, 'aws_eks_node_group');
      expect(nodes.cluster_name).toBe(ref(stack, 'aws_eks_cluster', 'Main/Resource', 'name'));
      expect(nodes.instance_types).toEqual(['m6i.large', 'm5.large']);
      expect(nodes.scaling_config).toEqual({ min_size: 2, max_size: 6, desired_size: 3 });
      expect(nodes.subnet_ids).toEqual(PRIVATE_SUBNETS);
      expect(nodes.node_role_arn).toBe(ref(stack, 'aws_iam_role', 'Main/NodeRole', 'arn'));
      expect(nodes.version).toBe('1.35');
      expect(nodes.remote_access).toBeUndefined();
      expect(main.defaultNodeGroup.node.path).toBe('prod/Main/Nodes');
    });

    test('starts nodes from a launch template that requires IMDSv2 with a hop limit of 1', () => {
      // GIVEN
      const env = devEnvironment();
      // WHEN
      cluster(env);
      // THEN
      const stack = synthStack(env);
      expect(onlyResource(stack, 'aws_launch_template').metadata_options).toEqual({
        http_endpoint: 'enabled', http_tokens: 'required', http_put_response_hop_limit: 1, instance_metadata_tags: 'disabled',
      });
      expect(onlyResource(stack, 'aws_eks_node_group').launch_template).toEqual({
        id: ref(stack, 'aws_launch_template', 'Main/Nodes/LaunchTemplate', 'id'),
        version: ref(stack, 'aws_launch_template', 'Main/Nodes/LaunchTemplate', 'latest_version'),
      });
    });

    test('gives nodes KMS-encrypted gp3 root volumes, no public IP and the node security group only', () => {
      // GIVEN
      const env = devEnvironment();
      // WHEN
      cluster(env);
      // THEN
      const stack = synthStack(env);
      const template = onlyResource(stack, 'aws_launch_template');
      expect(template.block_device_mappings).toEqual([{
        device_name: '/dev/xvda',
        ebs: {
          volume_size: 50,
          volume_type: 'gp3',
          encrypted: 'true',
          delete_on_termination: 'true',
          kms_key_id: ref(stack, 'aws_kms_key', 'Main/VolumeKey', 'arn'),
        },
      }]);
      expect(template.network_interfaces).toEqual([{
        device_index: 0,
        associate_public_ip_address: 'false',
        delete_on_termination: 'true',
        security_groups: [ref(stack, 'aws_security_group', 'Main/NodeSecurityGroup', 'id')],
      }]);
    });

    test('lets EC2 in the account only use the volume key, as the AWS managed EBS key does', () => {
      // GIVEN
      const env = devEnvironment();
      // WHEN
      cluster(env);
      // THEN
      const key = at(synthStack(env), 'aws_kms_key', 'Main/VolumeKey');
      expect(key.enable_key_rotation).toBe(true);
      expect(JSON.parse(key.policy).Statement[1].Condition).toEqual({
        StringEquals: { 'kms:CallerAccount': '123456789012', 'kms:ViaService': 'ec2.eu-central-1.amazonaws.com' },
      });
    });

    test('installs the five add-ons at the versions pinned for Kubernetes 1.35, overwriting changes made in the cluster', () => {
      // GIVEN
      const env = devEnvironment();
      // WHEN
      cluster(env);
      // THEN
      const addons = resourcesOf(synthStack(env), 'aws_eks_addon');
      expect(Object.fromEntries(addons.map(a => [a.addon_name, a.addon_version]))).toEqual({
        'vpc-cni': 'v1.22.2-eksbuild.1',
        'coredns': 'v1.14.3-eksbuild.3',
        'kube-proxy': 'v1.35.3-eksbuild.13',
        'eks-pod-identity-agent': 'v1.3.10-eksbuild.3',
        'aws-ebs-csi-driver': 'v1.61.1-eksbuild.1',
      });
      for (const addon of addons) {
        expect(addon.resolve_conflicts_on_create).toBe('OVERWRITE');
        expect(addon.resolve_conflicts_on_update).toBe('OVERWRITE');
      }
      expect(onlyResource(synthStack(env), 'aws_eks_cluster').bootstrap_self_managed_addons).toBe(false);
    });

    test('turns on the VPC CNI\'s network policy agent in standard mode, so the NetworkPolicies paved writes are enforced', () => {
      // GIVEN
      const env = devEnvironment();
      // WHEN
      const created = cluster(env);
      // THEN
      const vpcCni = at(synthStack(env), 'aws_eks_addon', 'Main/VpcCni');
      expect(JSON.parse(vpcCni.configuration_values)).toEqual({
        enableNetworkPolicy: 'true',
        env: { NETWORK_POLICY_ENFORCING_MODE: 'standard' },
      });
      expect(created.networkPolicyEnforcement.enforced).toBe(true);
      // The other add-ons keep their defaults.
      const others = resourcesOf(synthStack(env), 'aws_eks_addon').filter(a => a.addon_name !== 'vpc-cni');
      expect(others.map(a => a.configuration_values)).toEqual([undefined, undefined, undefined, undefined]);
    });

    test('gives the VPC CNI and the EBS CSI driver pod identity roles with their AWS managed policies', () => {
      // GIVEN
      const env = devEnvironment();
      // WHEN
      cluster(env);
      // THEN
      const stack = synthStack(env);
      expect(at(stack, 'aws_eks_addon', 'Main/VpcCni').pod_identity_association).toEqual([
        { role_arn: ref(stack, 'aws_iam_role', 'Main/VpcCniRole', 'arn'), service_account: 'aws-node' },
      ]);
      expect(attachedPolicies(stack, 'Main/VpcCniRole')).toEqual(['arn:aws:iam::aws:policy/AmazonEKS_CNI_Policy']);
      expect(at(stack, 'aws_eks_addon', 'Main/EbsCsiDriver').pod_identity_association).toEqual([
        { role_arn: ref(stack, 'aws_iam_role', 'Main/EbsCsiDriverRole', 'arn'), service_account: 'ebs-csi-controller-sa' },
      ]);
      expect(attachedPolicies(stack, 'Main/EbsCsiDriverRole')).toEqual(['arn:aws:iam::aws:policy/service-role/AmazonEBSCSIDriverPolicy']);
      expect(JSON.parse(role(stack, 'dev-main-ebs-csi').assume_role_policy).Statement[0]).toEqual({
        Sid: 'EksPodIdentity',
        Effect: 'Allow',
        Principal: { Service: 'pods.eks.amazonaws.com' },
        Action: ['sts:AssumeRole', 'sts:TagSession'],
        Condition: {
          StringEquals: {
            'aws:SourceAccount': '123456789012',
            'aws:RequestTag/eks-cluster-arn': 'arn:aws:eks:eu-central-1:123456789012:cluster/dev-main',
            'aws:RequestTag/kubernetes-namespace': 'kube-system',
            'aws:RequestTag/kubernetes-service-account': 'ebs-csi-controller-sa',
          },
        },
      });
    });

    test('creates nodes after the networking add-ons, and CoreDNS and the EBS CSI driver after the nodes', () => {
      // GIVEN
      const env = devEnvironment();
      // WHEN
      cluster(env);
      // THEN
      const stack = synthStack(env);
      const nodeGroup = address(stack, 'aws_eks_node_group', 'Main/Nodes/Resource');
      expect(onlyResource(stack, 'aws_eks_node_group').depends_on).toEqual([
        address(stack, 'aws_iam_role_policy_attachment', 'Main/NodeRoleWorkerPolicy'),
        address(stack, 'aws_iam_role_policy_attachment', 'Main/NodeRoleRegistryPolicy'),
        address(stack, 'aws_eks_addon', 'Main/VpcCni'),
        address(stack, 'aws_eks_addon', 'Main/KubeProxy'),
        address(stack, 'aws_eks_addon', 'Main/PodIdentityAgent'),
      ]);
      expect(at(stack, 'aws_eks_addon', 'Main/CoreDns').depends_on).toEqual([nodeGroup]);
      expect(at(stack, 'aws_eks_addon', 'Main/EbsCsiDriver').depends_on).toEqual([nodeGroup]);
    });

    test('opens the API to nodes, node to node traffic, kubelet and webhooks from the control plane, each rule described', () => {
      // GIVEN
      const env = devEnvironment();
      // WHEN
      cluster(env);
      // THEN
      const stack = synthStack(env);
      const nodes = ref(stack, 'aws_security_group', 'Main/NodeSecurityGroup', 'id');
      const controlPlane = ref(stack, 'aws_security_group', 'Main/ClusterSecurityGroup', 'id');
      const rules = resourcesOf(stack, 'aws_vpc_security_group_ingress_rule')
        .map(r => [r.security_group_id, r.referenced_security_group_id, r.ip_protocol, r.from_port, r.to_port]);
      expect(rules).toHaveLength(4);
      expect(rules).toEqual(expect.arrayContaining([
        [controlPlane, nodes, 'tcp', 443, 443],
        [nodes, nodes, '-1', undefined, undefined],
        [nodes, controlPlane, 'tcp', 10250, 10250],
        [nodes, controlPlane, 'tcp', 443, 443],
      ]));
      const egress = onlyResource(stack, 'aws_vpc_security_group_egress_rule');
      expect(egress).toMatchObject({ security_group_id: nodes, cidr_ipv4: '0.0.0.0/0', ip_protocol: '-1' });
      for (const rule of [...resourcesOf(stack, 'aws_vpc_security_group_ingress_rule'), egress]) {
        expect(rule.description).toMatch(/^[A-Z].{10,}/);
      }
    });

    test('tags the node security group for the cluster, for the AWS Load Balancer Controller', () => {
      // GIVEN
      const env = devEnvironment();
      // WHEN
      cluster(env);
      // THEN
      expect(at(synthStack(env), 'aws_security_group', 'Main/NodeSecurityGroup').tags).toEqual({
        'Name': 'dev-main-nodes', 'kubernetes.io/cluster/dev-main': 'owned',
      });
    });

    test('creates the External Secrets Operator\'s role, able to assume the tenants\' secret and database admin roles only', () => {
      // GIVEN
      const env = devEnvironment();
      // WHEN
      const main = cluster(env);
      // THEN
      const stack = synthStack(env);
      const operator = role(stack, 'paved-dev-external-secrets');
      expect(JSON.parse(operator.assume_role_policy).Statement[0].Condition.StringEquals).toEqual({
        'aws:SourceAccount': '123456789012',
        'aws:RequestTag/eks-cluster-arn': 'arn:aws:eks:eu-central-1:123456789012:cluster/dev-main',
        'aws:RequestTag/kubernetes-namespace': 'external-secrets',
        'aws:RequestTag/kubernetes-service-account': 'external-secrets',
      });
      const policy = resourcesOf(stack, 'aws_iam_role_policy').find(p => p.role === '${aws_iam_role.ExternalSecretsOperatorRole.name}');
      expect(JSON.parse(policy.policy).Statement).toEqual([{
        Sid: 'AssumeTenantSecretRoles',
        Effect: 'Allow',
        Action: ['sts:AssumeRole', 'sts:TagSession'],
        Resource: ['arn:aws:iam::123456789012:role/dev-*-secrets', 'arn:aws:iam::123456789012:role/dev-*-db-admin'],
      }]);
      expect(resourcesOf(stack, 'aws_eks_pod_identity_association').find(a => a.namespace === 'external-secrets')).toMatchObject({
        cluster_name: ref(stack, 'aws_eks_cluster', 'Main/Resource', 'name'),
        service_account: 'external-secrets',
        role_arn: '${aws_iam_role.ExternalSecretsOperatorRole.arn}',
      });
      expect(main.externalSecretsRole.node.path).toBe('dev/ExternalSecretsOperatorRole');
    });

    test('creates KEDA\'s role, able to read the attributes of the environment\'s queues only', () => {
      // GIVEN
      const env = devEnvironment();
      // WHEN
      const main = cluster(env);
      // THEN
      const stack = synthStack(env);
      const keda = role(stack, 'paved-dev-keda');
      expect(JSON.parse(keda.assume_role_policy).Statement[0].Condition.StringEquals).toEqual({
        'aws:SourceAccount': '123456789012',
        'aws:RequestTag/eks-cluster-arn': 'arn:aws:eks:eu-central-1:123456789012:cluster/dev-main',
        'aws:RequestTag/kubernetes-namespace': 'keda',
        'aws:RequestTag/kubernetes-service-account': 'keda-operator',
      });
      const policy = resourcesOf(stack, 'aws_iam_role_policy').find(p => p.role === '${aws_iam_role.KedaOperatorRole.name}');
      expect(JSON.parse(policy.policy).Statement).toEqual([{
        Sid: 'ReadQueueDepth',
        Effect: 'Allow',
        Action: 'sqs:GetQueueAttributes',
        Resource: 'arn:aws:sqs:eu-central-1:123456789012:dev-*',
      }]);
      expect(resourcesOf(stack, 'aws_eks_pod_identity_association').find(a => a.namespace === 'keda')).toMatchObject({
        service_account: 'keda-operator',
        role_arn: '${aws_iam_role.KedaOperatorRole.arn}',
      });
      expect(main.kedaRole.node.path).toBe('dev/KedaOperatorRole');
    });

    test('shares the External Secrets Operator\'s role between the clusters of an environment', () => {
      // GIVEN
      const env = devEnvironment();
      const net = network(env);
      // WHEN
      const blue = new Cluster(env, 'Blue', { network: net });
      const green = new Cluster(env, 'Green', { network: net });
      // THEN
      const stack = synthStack(env);
      expect(blue.externalSecretsRole).toBe(green.externalSecretsRole);
      expect(JSON.parse(role(stack, 'paved-dev-external-secrets').assume_role_policy).Statement[0].Condition.StringEquals['aws:RequestTag/eks-cluster-arn'])
        .toEqual(['arn:aws:eks:eu-central-1:123456789012:cluster/dev-blue', 'arn:aws:eks:eu-central-1:123456789012:cluster/dev-green']);
      expect(resourcesOf(stack, 'aws_eks_pod_identity_association').filter(a => a.namespace === 'external-secrets')).toHaveLength(2);
    });

    test('exposes the cluster name and node security group as references, for the resources that use them', () => {
      // GIVEN
      const env = devEnvironment();
      // WHEN
      const main = cluster(env);
      // THEN
      const stack = synthStack(env);
      expect(Token.isUnresolved(main.clusterName)).toBe(true);
      expect(Token.isUnresolved(main.nodeSecurityGroupId)).toBe(true);
      new WorkloadIdentity(env, 'Orders', { cluster: main, namespace: 'shop', serviceAccount: 'orders' });
      const after = synthStack(env);
      expect(resourcesOf(after, 'aws_eks_pod_identity_association').find(a => a.namespace === 'shop').cluster_name)
        .toBe(ref(stack, 'aws_eks_cluster', 'Main/Resource', 'name'));
    });

    test('is the cluster Cluster.of finds', () => {
      // GIVEN
      const env = devEnvironment();
      const main = cluster(env);
      // WHEN
      const found = Cluster.of(new Construct(env, 'Orders'));
      // THEN
      expect(found).toBe(main);
    });

    test('writes only references that resolve', () => {
      // GIVEN
      const env = prodEnvironment();
      new Network(env, 'Network', { cidr: '10.20.0.0/16' });
      // WHEN
      new Cluster(env, 'Main', { adminRoleArns: [ADMIN] });
      // THEN
      expectNoDanglingReferences(synthStack(env));
    });

    test('records its defaults in the report', () => {
      // GIVEN
      const platform = testPlatform();
      const env = devEnvironment(platform);
      // WHEN
      cluster(env);
      // THEN
      const text = report(platform);
      expect(text).toContain('| dev/Main | version | 1.35 | paved default |');
      expect(text).toContain('| dev/Main | publicEndpoint | false | paved default |');
      expect(text).toContain('| dev/Main | logRetentionDays | 365 | profile dev |');
      expect(text).toContain('| dev/Main | addonVersions.kubeProxy | v1.35.3-eksbuild.13 | paved pin for Kubernetes 1.35 |');
      expect(text).toContain('| dev/Main/Nodes | instanceTypes | m6i.large,m5.large | size M |');
      expect(text).toContain('| dev/Main/Nodes | spot | true | profile dev |');
      expect(text).toContain('| dev/Main | networkPolicyEnforcement | Amazon VPC CNI network policy agent (enableNetworkPolicy "true"), standard mode | paved default |');
      expect(text).toContain('| dev/Main | nodeEgress | unrestricted: all protocols to 0.0.0.0/0 | paved default |');
    });
  });

  describe('nodeEgress', () => {
    const egressRules = (stack: any) => resourcesOf(stack, 'aws_vpc_security_group_egress_rule')
      .map(r => [r.cidr_ipv4, r.ip_protocol, r.from_port, r.to_port])
      .sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b)));
    const sorted = (rules: unknown[][]) => [...rules].sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b)));

    test('restricted: everything to the VPC and HTTPS to anywhere, nothing else', () => {
      // GIVEN
      const platform = testPlatform();
      const env = devEnvironment(platform);
      // WHEN
      const created = cluster(env, { nodeEgress: NodeEgress.restricted() });
      // THEN
      const stack = synthStack(env);
      expect(egressRules(stack)).toEqual(sorted([
        ['10.30.0.0/16', '-1', undefined, undefined],
        ['0.0.0.0/0', 'tcp', 443, 443],
      ]));
      const nodes = ref(stack, 'aws_security_group', 'Main/NodeSecurityGroup', 'id');
      expect(resourcesOf(stack, 'aws_vpc_security_group_egress_rule').every(r => r.security_group_id === nodes && /^[A-Z]/.test(r.description))).toBe(true);
      expect(Object.keys(created.nodeEgressRules)).toEqual(['NodeEgressToVpc', 'NodeEgressHttps']);
      expect(report(platform)).toContain('| dev/Main | nodeEgress | restricted: all to the VPC (10.30.0.0/16), HTTPS to 0.0.0.0/0 | **override** |');
    });

    test('restricted with further destinations: a port, a port range, UDP and a whole range', () => {
      // GIVEN
      const platform = testPlatform();
      const env = devEnvironment(platform);
      // WHEN
      cluster(env, {
        nodeEgress: NodeEgress.restricted({
          allow: [
            { cidr: '203.0.113.10/32', port: 587, description: 'SMTP relay' },
            { cidr: '198.51.100.0/24', port: 8000, toPort: 8099, description: 'Partner API' },
            { cidr: '192.0.2.0/24', protocol: NodeEgressProtocol.UDP, port: 123, description: 'NTP' },
            { cidr: '100.64.0.0/10', protocol: NodeEgressProtocol.ALL, description: 'Peered network' },
          ],
        }),
      });
      // THEN
      expect(egressRules(synthStack(env))).toEqual(sorted([
        ['10.30.0.0/16', '-1', undefined, undefined],
        ['0.0.0.0/0', 'tcp', 443, 443],
        ['203.0.113.10/32', 'tcp', 587, 587],
        ['198.51.100.0/24', 'tcp', 8000, 8099],
        ['192.0.2.0/24', 'udp', 123, 123],
        ['100.64.0.0/10', '-1', undefined, undefined],
      ]));
      expect(report(platform)).toContain('restricted: all to the VPC (10.30.0.0/16), HTTPS to 0.0.0.0/0, tcp 587 to 203.0.113.10/32, '
        + 'tcp 8000-8099 to 198.51.100.0/24, udp 123 to 192.0.2.0/24, all to 100.64.0.0/10 | **override** |');
    });

    test('restricted without HTTPS to anywhere: the VPC only (AWS APIs through VPC endpoints)', () => {
      // GIVEN
      const env = devEnvironment();
      // WHEN
      cluster(env, { nodeEgress: NodeEgress.restricted({ httpsToAnywhere: false }) });
      // THEN
      expect(egressRules(synthStack(env))).toEqual([['10.30.0.0/16', '-1', undefined, undefined]]);
    });

    test('unrestricted, given explicitly: the one rule to anywhere, at its old address', () => {
      // GIVEN
      const platform = testPlatform();
      const env = devEnvironment(platform);
      // WHEN
      cluster(env, { nodeEgress: NodeEgress.unrestricted() });
      // THEN
      const stack = synthStack(env);
      expect(egressRules(stack)).toEqual([['0.0.0.0/0', '-1', undefined, undefined]]);
      expect(address(stack, 'aws_vpc_security_group_egress_rule', 'Main/NodeEgress')).toMatch(/^aws_vpc_security_group_egress_rule\.Main_NodeEgress_/);
      expect(report(platform)).toContain('| dev/Main | nodeEgress | unrestricted: all protocols to 0.0.0.0/0 | **override** |');
    });
  });

  describe('DEV and PROD', () => {
    test('DEV nodes run on spot, PROD nodes on demand', () => {
      // GIVEN
      const platform = testPlatform();
      const dev = devEnvironment(platform);
      const prod = prodEnvironment(platform);
      // WHEN
      cluster(dev);
      cluster(prod);
      // THEN
      expect(onlyResource(synthStack(dev), 'aws_eks_node_group').capacity_type).toBe('SPOT');
      expect(onlyResource(synthStack(prod), 'aws_eks_node_group').capacity_type).toBe('ON_DEMAND');
    });

    test('DEV may keep control plane logs shorter, PROD keeps them at least a year', () => {
      // GIVEN
      const platform = testPlatform();
      const dev = devEnvironment(platform);
      const prod = prodEnvironment(platform);
      // WHEN
      cluster(dev, { logRetentionDays: 30 });
      cluster(prod, { logRetentionDays: 731 });
      // THEN
      expect(onlyResource(synthStack(dev), 'aws_cloudwatch_log_group').retention_in_days).toBe(30);
      expect(onlyResource(synthStack(prod), 'aws_cloudwatch_log_group').retention_in_days).toBe(731);
    });

    test('PROD protects the cluster from deletion and destruction, DEV does not', () => {
      // GIVEN
      const platform = testPlatform();
      const dev = devEnvironment(platform);
      const prod = prodEnvironment(platform);
      // WHEN
      cluster(dev);
      cluster(prod);
      // THEN
      const devCluster = onlyResource(synthStack(dev), 'aws_eks_cluster');
      const prodCluster = onlyResource(synthStack(prod), 'aws_eks_cluster');
      expect(devCluster.deletion_protection).toBe(false);
      expect(devCluster.lifecycle).toBeUndefined();
      expect(prodCluster.deletion_protection).toBe(true);
      expect(prodCluster.lifecycle).toEqual({ prevent_destroy: true });
      expect(at(synthStack(prod), 'aws_kms_key', 'Main/SecretsKey/Resource').lifecycle).toEqual({ prevent_destroy: true });
    });
  });

  describe('overrides', () => {
    test('runs an older supported version with the add-ons pinned for it', () => {
      // GIVEN
      const env = devEnvironment();
      // WHEN
      cluster(env, { version: '1.33' });
      // THEN
      const stack = synthStack(env);
      expect(onlyResource(stack, 'aws_eks_cluster').version).toBe('1.33');
      expect(onlyResource(stack, 'aws_eks_node_group').version).toBe('1.33');
      const versions = Object.fromEntries(resourcesOf(stack, 'aws_eks_addon').map(a => [a.addon_name, a.addon_version]));
      expect(versions['kube-proxy']).toBe('v1.33.10-eksbuild.13');
      expect(versions.coredns).toBe('v1.12.4-eksbuild.18');
    });

    test('opens a public endpoint to the listed CIDR blocks only', () => {
      // GIVEN
      const env = devEnvironment();
      // WHEN
      cluster(env, { publicEndpoint: true, publicEndpointCidrs: ['203.0.113.0/24', '198.51.100.7/32'] });
      // THEN
      expect(onlyResource(synthStack(env), 'aws_eks_cluster').vpc_config).toMatchObject({
        endpoint_private_access: true,
        endpoint_public_access: true,
        public_access_cidrs: ['203.0.113.0/24', '198.51.100.7/32'],
      });
    });

    test('gives each admin role an access entry with cluster-wide AmazonEKSClusterAdminPolicy', () => {
      // GIVEN
      const env = devEnvironment();
      const deployer = 'arn:aws:iam::210987654321:role/ci/deployer';
      // WHEN
      const main = cluster(env, { adminRoleArns: [ADMIN, deployer] });
      // THEN
      const stack = synthStack(env);
      const entries = resourcesOf(stack, 'aws_eks_access_entry');
      expect(entries.map(e => e.principal_arn).sort()).toEqual([ADMIN, deployer].sort());
      expect(entries.every(e => e.type === 'STANDARD' && e.cluster_name === ref(stack, 'aws_eks_cluster', 'Main/Resource', 'name'))).toBe(true);
      const associations = resourcesOf(stack, 'aws_eks_access_policy_association');
      expect(associations).toHaveLength(2);
      for (const association of associations) {
        expect(association.policy_arn).toBe('arn:aws:eks::aws:cluster-access-policy/AmazonEKSClusterAdminPolicy');
        expect(association.access_scope).toEqual({ type: 'cluster' });
      }
      expect(main.adminAccessEntries).toHaveLength(2);
    });

    test('keys access entries by role, so removing one admin keeps the others\' addresses', () => {
      // GIVEN
      const before = devEnvironment();
      const after = devEnvironment();
      const other = 'arn:aws:iam::123456789012:role/auditor';
      // WHEN
      cluster(before, { adminRoleArns: [other, ADMIN] });
      cluster(after, { adminRoleArns: [ADMIN] });
      // THEN
      expect(Object.keys(synthStack(before).resource.aws_eks_access_entry))
        .toContain(Object.keys(synthStack(after).resource.aws_eks_access_entry)[0]);
    });

    test('sizes the default node group from the size given', () => {
      // GIVEN
      const env = prodEnvironment();
      // WHEN
      cluster(env, { size: Size.L });
      // THEN
      const nodes = onlyResource(synthStack(env), 'aws_eks_node_group');
      expect(nodes.instance_types).toEqual(['m6i.xlarge', 'm5.xlarge']);
      expect(nodes.scaling_config).toEqual({ min_size: 3, max_size: 10, desired_size: 3 });
    });

    test('applies node group overrides to the default node group', () => {
      // GIVEN
      const env = devEnvironment();
      // WHEN
      cluster(env, { spot: false, nodeGroup: { instanceTypes: ['c7g.large'], minSize: 4, maxSize: 8, diskSizeGiB: 100 } });
      // THEN
      const stack = synthStack(env);
      const nodes = onlyResource(stack, 'aws_eks_node_group');
      expect(nodes.capacity_type).toBe('ON_DEMAND');
      expect(nodes.instance_types).toEqual(['c7g.large']);
      expect(nodes.ami_type).toBe('AL2023_ARM_64_STANDARD');
      // The size's 3 moves up to the new minimum.
      expect(nodes.scaling_config).toEqual({ min_size: 4, max_size: 8, desired_size: 4 });
      expect(onlyResource(stack, 'aws_launch_template').block_device_mappings[0].ebs.volume_size).toBe(100);
    });

    test('takes add-on versions given, and reports them as overrides', () => {
      // GIVEN
      const platform = testPlatform();
      const env = devEnvironment(platform);
      // WHEN
      cluster(env, { addonVersions: { vpcCni: 'v1.23.0-eksbuild.1', kubeProxy: 'v1.35.4-eksbuild.1' } });
      // THEN
      const versions = Object.fromEntries(resourcesOf(synthStack(env), 'aws_eks_addon').map(a => [a.addon_name, a.addon_version]));
      expect(versions['vpc-cni']).toBe('v1.23.0-eksbuild.1');
      expect(versions['kube-proxy']).toBe('v1.35.4-eksbuild.1');
      expect(versions.coredns).toBe('v1.14.3-eksbuild.3');
      expect(report(platform)).toContain('| dev/Main | addonVersions.vpcCni | v1.23.0-eksbuild.1 | **override** |');
    });

    test('takes the cluster name given', () => {
      // GIVEN
      const env = devEnvironment();
      // WHEN
      const main = cluster(env, { clusterName: 'Shared_1' });
      // THEN
      expect(onlyResource(synthStack(env), 'aws_eks_cluster').name).toBe('Shared_1');
      expect(main.clusterArn).toBe('arn:aws:eks:eu-central-1:123456789012:cluster/Shared_1');
    });

    test('adds node groups that share the cluster\'s role, security group and volume key', () => {
      // GIVEN
      const env = devEnvironment();
      const main = cluster(env);
      // WHEN
      const batch = main.addNodeGroup('Batch', { size: Size.S });
      // THEN
      const stack = synthStack(env);
      const group = at(stack, 'aws_eks_node_group', 'Main/Batch/Resource');
      expect(group.node_group_name_prefix).toBe('dev-main-batch-');
      expect(group.node_role_arn).toBe(ref(stack, 'aws_iam_role', 'Main/NodeRole', 'arn'));
      expect(group.instance_types).toEqual(['t3.large', 't3a.large']);
      expect(at(stack, 'aws_launch_template', 'Main/Batch/LaunchTemplate').network_interfaces[0].security_groups)
        .toEqual([ref(stack, 'aws_security_group', 'Main/NodeSecurityGroup', 'id')]);
      expect(batch.spot).toBe(true);
    });

    test('lets PROD switch preventDestroy off while keeping deletion protection, for the cluster and its keys', () => {
      // GIVEN
      const env = prodEnvironment();
      // WHEN
      cluster(env, { preventDestroy: false });
      // THEN
      const stack = synthStack(env);
      const eks = onlyResource(stack, 'aws_eks_cluster');
      expect(eks.lifecycle).toBeUndefined();
      expect(eks.deletion_protection).toBe(true);
      expect(at(stack, 'aws_kms_key', 'Main/SecretsKey/Resource').lifecycle).toBeUndefined();
      expect(at(stack, 'aws_kms_key', 'Main/LogKey/Resource').lifecycle).toBeUndefined();
    });
  });

  describe('fromAttributes', () => {
    test('keeps the name and node security group given', () => {
      // GIVEN
      const env = devEnvironment();
      // WHEN
      const imported = Cluster.fromAttributes(env, 'Cluster', ATTRS);
      // THEN
      expect(imported.clusterName).toBe('dev-main');
      expect(imported.nodeSecurityGroupId).toBe('sg-0123456789abcdef0');
      expect(imported.node.path).toBe('dev/Cluster');
    });

    test('derives the cluster ARN from the environment\'s partition, region and account by default', () => {
      // GIVEN
      const env = devEnvironment();
      // WHEN
      const imported = Cluster.fromAttributes(env, 'Cluster', ATTRS);
      // THEN
      expect(imported.clusterArn).toBe('arn:aws:eks:eu-central-1:123456789012:cluster/dev-main');
    });

    test('derives the ARN in the partition of the region (aws-cn)', () => {
      // GIVEN
      const env = new Environment(testPlatform(), 'china', { account: '123456789012', region: 'cn-north-1', state: TerraformState.local() });
      // WHEN
      const imported = Cluster.fromAttributes(env, 'Cluster', { ...ATTRS, clusterName: 'main' });
      // THEN
      expect(imported.clusterArn).toBe('arn:aws-cn:eks:cn-north-1:123456789012:cluster/main');
    });

    test('keeps a cluster ARN given', () => {
      // GIVEN
      const env = devEnvironment();
      const clusterArn = 'arn:aws:eks:eu-west-1:210987654321:cluster/shared';
      // WHEN
      const imported = Cluster.fromAttributes(env, 'Cluster', { ...ATTRS, clusterName: 'shared', clusterArn });
      // THEN
      expect(imported.clusterArn).toBe(clusterArn);
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

    test('keeps all three attributes of a PROD cluster', () => {
      // GIVEN
      const env = prodEnvironment();
      // WHEN
      const imported = Cluster.fromAttributes(env, 'Cluster', { clusterName: 'prod-main', nodeSecurityGroupId: 'sg-0fedcba9876543210' });
      // THEN
      expect({ clusterName: imported.clusterName, clusterArn: imported.clusterArn, nodeSecurityGroupId: imported.nodeSecurityGroupId }).toEqual({
        clusterName: 'prod-main',
        clusterArn: 'arn:aws:eks:eu-central-1:123456789012:cluster/prod-main',
        nodeSecurityGroupId: 'sg-0fedcba9876543210',
      });
    });
  });

  describe('fromAttributes: networkPolicyEnforcement', () => {
    test('is undefined unless given', () => {
      // GIVEN
      const env = devEnvironment();
      // WHEN
      const imported = Cluster.fromAttributes(env, 'Cluster', ATTRS);
      // THEN
      expect(imported.networkPolicyEnforcement).toBeUndefined();
    });

    test('keeps the VPC CNI or another enforcer given, and reports it', () => {
      // GIVEN
      const platform = testPlatform();
      const env = devEnvironment(platform);
      // WHEN
      const vpcCni = Cluster.fromAttributes(env, 'Blue', { ...ATTRS, networkPolicyEnforcement: NetworkPolicyEnforcement.vpcCni() });
      const calico = Cluster.fromAttributes(env, 'Green', { ...ATTRS, clusterName: 'dev-green', networkPolicyEnforcement: NetworkPolicyEnforcement.acknowledged('Calico') });
      // THEN
      expect(vpcCni.networkPolicyEnforcement?.enforced).toBe(true);
      expect(calico.networkPolicyEnforcement?.description).toBe('Calico (acknowledged)');
      const text = report(platform);
      expect(text).toContain('| dev/Green | networkPolicyEnforcement | Calico (acknowledged) | **override** |');
      expect(platform.warnings).toEqual([]);
    });

    test('not enforced: a warning with the reason, outside production', () => {
      // GIVEN
      const platform = testPlatform();
      const env = devEnvironment(platform);
      // WHEN
      const imported = Cluster.fromAttributes(env, 'Cluster', { ...ATTRS, networkPolicyEnforcement: NetworkPolicyEnforcement.notEnforced('sandbox cluster, no tenant data') });
      // THEN
      expect(imported.networkPolicyEnforcement?.enforced).toBe(false);
      expect(platform.warnings).toEqual([expect.stringMatching(/^dev\/Cluster: NetworkPolicies are not enforced on this cluster \(not enforced: sandbox cluster, no tenant data\)/)]);
      expect(report(platform)).toContain('| dev/Cluster | networkPolicyEnforcement | not enforced: sandbox cluster, no tenant data | **override** |');
    });
  });

  describe('of', () => {
    test('finds the one cluster of the environment, wherever it was imported', () => {
      // GIVEN
      const env = devEnvironment();
      const imported = Cluster.fromAttributes(new Construct(env, 'Shared'), 'Cluster', ATTRS);
      // WHEN
      const found = Cluster.of(new Construct(env, 'Orders'));
      // THEN
      expect(found).toBe(imported);
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

  describe('allOf', () => {
    test('lists every cluster of the environment, created or imported, in declaration order, and none of another', () => {
      // GIVEN
      const platform = testPlatform();
      const dev = devEnvironment(platform);
      const prod = prodEnvironment(platform);
      const created = cluster(dev);
      const imported = Cluster.fromAttributes(new Construct(dev, 'Shared'), 'Cluster', { ...ATTRS, clusterName: 'dev-shared' });
      Cluster.fromAttributes(prod, 'Cluster', { ...ATTRS, clusterName: 'prod-main' });
      // WHEN
      const found = Cluster.allOf(new Construct(dev, 'Orders'));
      // THEN
      expect(found).toEqual([created, imported]);
      expect(Cluster.allOf(devEnvironment(testPlatform(), 'empty'))).toEqual([]);
    });
  });

  test('keeps the network it runs in', () => {
    // GIVEN
    const env = devEnvironment();
    const net = network(env);
    // WHEN
    const main = cluster(env, { network: net });
    // THEN
    expect(main.network).toBe(net);
  });

  describe('fails when', () => {
    test('an imported cluster does not enforce NetworkPolicies in a production profile', () => {
      // GIVEN
      const env = prodEnvironment();
      // WHEN / THEN
      expect(() => Cluster.fromAttributes(env, 'Cluster', { ...ATTRS, networkPolicyEnforcement: NetworkPolicyEnforcement.notEnforced('legacy') }))
        .toThrow('prod/Cluster: networkPolicyEnforcement: got "not enforced: legacy"; expected a cluster that enforces NetworkPolicies in production profile "prod"');
    });

    test('networkPolicyEnforcement is not a NetworkPolicyEnforcement', () => {
      // GIVEN
      const env = devEnvironment();
      // WHEN / THEN
      expect(() => Cluster.fromAttributes(env, 'Cluster', { ...ATTRS, networkPolicyEnforcement: 'vpc-cni' as any }))
        .toThrow('dev/Cluster: networkPolicyEnforcement: got "vpc-cni"; expected a NetworkPolicyEnforcement (NetworkPolicyEnforcement.vpcCni(), NetworkPolicyEnforcement.acknowledged(...) or NetworkPolicyEnforcement.notEnforced(...))');
    });

    test('an acknowledged enforcer or a reason is empty, padded or too long', () => {
      expect(() => NetworkPolicyEnforcement.acknowledged('')).toThrow('NetworkPolicyEnforcement.acknowledged: enforcer: got ""; expected a text of 1-200 characters');
      expect(() => NetworkPolicyEnforcement.acknowledged(' Calico')).toThrow('enforcer: got " Calico"');
      expect(() => NetworkPolicyEnforcement.notEnforced('x'.repeat(201))).toThrow('NetworkPolicyEnforcement.notEnforced: reason:');
      expect(() => NetworkPolicyEnforcement.notEnforced(undefined as any)).toThrow('NetworkPolicyEnforcement.notEnforced: reason: got undefined');
    });

    test('nodeEgress is not a NodeEgress', () => {
      // GIVEN
      const env = devEnvironment();
      // WHEN / THEN
      expect(() => cluster(env, { nodeEgress: 'restricted' as any }))
        .toThrow('dev/Main: nodeEgress: got "restricted"; expected a NodeEgress (NodeEgress.unrestricted() or NodeEgress.restricted(...))');
    });

    test.each([
      [{ allow: 'all' }, 'allow: got "all"; expected a list, each item an object of NodeEgressRule { cidr, description, ... }'],
      [{ httpsToAnywhere: 'yes' }, 'httpsToAnywhere: got "yes"; expected true or false'],
      [{ allow: [null] }, 'allow[0]: got null; expected an object of NodeEgressRule'],
      [{ allow: [{ cidr: '10.0.0.0/8', protocol: 'icmp', port: 1, description: 'Ping' }] }, 'allow[0].protocol: got "icmp"; expected one of "tcp", "udp", "all" (NodeEgressProtocol)'],
    ])('a restricted nodeEgress option is not of its type: %j', (options, message) => {
      expect(() => NodeEgress.restricted(options as any)).toThrow(`NodeEgress.restricted: ${message}`);
    });

    test.each([
      [{ allow: [{ cidr: '0.0.0.0/0', port: 443, description: 'HTTPS' }] }, 'nodeEgress.allow[0]: got {"cidr":"0.0.0.0/0","port":443,"description":"HTTPS"}; expected a destination not allowed already'],
      [{ allow: [{ cidr: '0.0.0.0/0', protocol: NodeEgressProtocol.ALL, description: 'All' }] },
        'nodeEgress.allow[0].cidr: got "0.0.0.0/0"; expected a narrower range for every protocol (NodeEgress.unrestricted() allows all traffic to anywhere)'],
      [{ allow: [{ cidr: '10.0.0.1/8', port: 25, description: 'Mail' }] }, 'nodeEgress.allow[0].cidr: got "10.0.0.1/8"; expected an IPv4 CIDR block written as its first address'],
      [{ allow: [{ cidr: '10.0.0.0/8', description: 'Mail' }] }, 'nodeEgress.allow[0].port: got undefined; expected a port from 1 to 65535 for protocol tcp'],
      [{ allow: [{ cidr: '10.0.0.0/8', port: 70000, description: 'Mail' }] }, 'nodeEgress.allow[0].port: got 70000; expected an integer from 1 to 65535'],
      [{ allow: [{ cidr: '10.0.0.0/8', port: 25, toPort: 24, description: 'Mail' }] }, 'nodeEgress.allow[0].toPort: got 24; expected an integer from 25 to 65535'],
      [{ allow: [{ cidr: '10.0.0.0/8', protocol: NodeEgressProtocol.ALL, port: 25, description: 'Mail' }] }, 'nodeEgress.allow[0].port: got 25; expected no port with NodeEgressProtocol.ALL'],
      [{ allow: [{ cidr: '10.0.0.0/8', port: 25, description: '' }] }, 'nodeEgress.allow[0].description: got ""; expected a description of 1-255 printable ASCII characters'],
      [{ allow: [{ cidr: '10.0.0.0/8', port: 25, description: 'Mail' }, { cidr: '10.0.0.0/8', port: 25, description: 'Again' }] },
        'nodeEgress.allow[1]: got {"cidr":"10.0.0.0/8","port":25,"description":"Again"}; expected a destination not allowed already'],
    ])('a restricted nodeEgress option is invalid: %j', (options: any, message: string) => {
      // GIVEN
      const env = devEnvironment();
      // WHEN / THEN
      expect(() => cluster(env, { nodeEgress: NodeEgress.restricted(options as any) })).toThrow(`dev/Main: ${message}`);
    });

    test('one of its role names is a workload role\'s of the environment', () => {
      // GIVEN a workload role dev-main-nodes: service account nodes of namespace main
      const env = devEnvironment();
      const imported = Cluster.fromAttributes(env, 'Imported', ATTRS);
      new WorkloadIdentity(env, 'Identity', { cluster: imported, namespace: 'main', serviceAccount: 'nodes' });
      // THEN the cluster dev-main cannot name its node role dev-main-nodes
      expect(() => cluster(env, { clusterName: 'dev-main' })).toThrow(
        'dev/Main: clusterName: got "dev-main"; expected a cluster name whose role name "dev-main-nodes" is not taken by dev/Identity of the same environment');
    });

    test.each([['1.31'], ['1.36'], ['1.35.2'], ['latest']])('the Kubernetes version is %j (unsupported)', (version) => {
      // GIVEN
      const env = devEnvironment();
      // THEN
      expect(() => cluster(env, { version })).toThrow(
        `dev/Main: version: got ${JSON.stringify(version)}; expected one of "1.32", "1.33", "1.34", "1.35" `
        + '(versions EKS supports that paved has pinned add-ons for)');
    });

    test.each([[undefined], [[]]])('the public endpoint has no CIDR blocks (%j)', (publicEndpointCidrs) => {
      // GIVEN
      const env = devEnvironment();
      // THEN
      expect(() => cluster(env, { publicEndpoint: true, publicEndpointCidrs })).toThrow(
        `dev/Main: publicEndpointCidrs: got ${publicEndpointCidrs === undefined ? 'undefined' : '[]'}; `
        + 'expected 1-40 public IPv4 CIDR blocks (a public endpoint needs an explicit allow-list)');
    });

    test.each([['0.0.0.0/0'], ['0.0.0.0/1']])('the public endpoint is open to %s', (cidr) => {
      // GIVEN
      const env = devEnvironment();
      // THEN
      expect(() => cluster(env, { publicEndpoint: true, publicEndpointCidrs: ['203.0.113.0/24', cidr] })).toThrow(
        `dev/Main: publicEndpointCidrs: got ${JSON.stringify(cidr)}; `
        + 'expected a block of prefix /8 to /32, never 0.0.0.0/0 (the API must not be open to the whole internet)');
    });

    test('a public endpoint CIDR block is a private range', () => {
      // GIVEN
      const env = devEnvironment();
      // THEN
      expect(() => cluster(env, { publicEndpoint: true, publicEndpointCidrs: ['10.1.0.0/16'] })).toThrow(
        'dev/Main: publicEndpointCidrs: got "10.1.0.0/16"; expected a public range '
        + '(private addresses never reach the public endpoint; the private endpoint serves the VPC)');
    });

    test.each([['203.0.113.1/24'], ['203.0.113.0'], ['example.com/32']])('a public endpoint CIDR block is %j', (cidr) => {
      // GIVEN
      const env = devEnvironment();
      // THEN
      expect(() => cluster(env, { publicEndpoint: true, publicEndpointCidrs: [cidr] })).toThrow(
        `dev/Main: publicEndpointCidrs: got ${JSON.stringify(cidr)}; expected an IPv4 CIDR block written as its first address, such as "203.0.113.0/24"`);
    });

    test('public endpoint CIDR blocks are given for a private endpoint', () => {
      // GIVEN
      const env = devEnvironment();
      // THEN
      expect(() => cluster(env, { publicEndpointCidrs: ['203.0.113.0/24'] })).toThrow(
        'dev/Main: publicEndpointCidrs: got ["203.0.113.0/24"]; expected no CIDR blocks while publicEndpoint is false '
        + '(set publicEndpoint: true to open the endpoint to them)');
    });

    test('the node group override has min > max', () => {
      // GIVEN
      const env = devEnvironment();
      // THEN
      expect(() => cluster(env, { nodeGroup: { minSize: 5, maxSize: 3 } })).toThrow(
        'dev/Main/Nodes: minSize: got 5; expected at most maxSize (3)');
    });

    test.each([
      ['arn:aws:iam::123456789012:user/alice'],
      ['arn:aws-cn:iam::123456789012:role/admin'],
      ['arn:aws:iam::12345:role/admin'],
      ['arn:aws:sts::123456789012:assumed-role/admin/session'],
      ['platform-admin'],
    ])('an admin role ARN is %j', (arn) => {
      // GIVEN
      const env = devEnvironment();
      // THEN
      expect(() => cluster(env, { adminRoleArns: [ADMIN, arn] })).toThrow(
        `dev/Main: adminRoleArns: got ${JSON.stringify(arn)}; expected an IAM role ARN of partition aws: `
        + '"arn:aws:iam::<12-digit account>:role/<name>"');
    });

    test('an admin role ARN is listed twice', () => {
      // GIVEN
      const env = devEnvironment();
      // THEN
      expect(() => cluster(env, { adminRoleArns: [ADMIN, ADMIN] })).toThrow(
        `dev/Main: adminRoleArns: got ${JSON.stringify([ADMIN, ADMIN])}; expected distinct IAM role ARNs`);
    });

    test('PROD keeps control plane logs less than a year', () => {
      // GIVEN
      const env = prodEnvironment();
      // THEN
      expect(() => cluster(env, { logRetentionDays: 90 })).toThrow(
        'prod/Main: logRetentionDays: got 90; expected at least 365 in a production environment (profile prod)');
    });

    test('a PROD profile override keeps logs less than a year', () => {
      // GIVEN
      const env = new Environment(testPlatform(), 'prod', {
        account: '123456789012', region: 'eu-central-1', profile: Profile.PROD.with({ logRetentionDays: 180 }), state: TerraformState.local(),
      });
      // THEN
      expect(() => cluster(env)).toThrow(
        'prod/Main: logRetentionDays: got 180; expected at least 365 in a production environment (profile prod sets it)');
    });

    test('the log retention is not a value CloudWatch Logs accepts', () => {
      // GIVEN
      const env = devEnvironment();
      // THEN
      expect(() => cluster(env, { logRetentionDays: 100 })).toThrow('dev/Main: logRetentionDays: got 100; expected one of 1, 3, 5');
    });

    test('PROD nodes ask for spot', () => {
      // GIVEN
      const env = prodEnvironment();
      // THEN
      expect(() => cluster(env, { spot: true })).toThrow(
        'prod/Main/Nodes: spot: got true; expected false: profile prod does not allow spot capacity (spotAllowed is false)');
    });

    test.each([['-main'], ['main.cluster'], ['a'.repeat(101)]])('the cluster name given is %j', (clusterName) => {
      // GIVEN
      const env = devEnvironment();
      // THEN
      expect(() => cluster(env, { clusterName })).toThrow(
        `dev/Main: clusterName: got ${JSON.stringify(clusterName)}; expected an EKS cluster name: `
        + '1-100 letters, digits, hyphens and underscores, starting with a letter or digit');
    });

    test('two clusters of an environment have the same name', () => {
      // GIVEN
      const env = devEnvironment();
      const net = network(env);
      new Cluster(env, 'Blue', { network: net, clusterName: 'shared' });
      // THEN
      expect(() => new Cluster(env, 'Green', { network: net, clusterName: 'shared' })).toThrow(
        'dev/Green: clusterName: got "shared"; expected a name not used by cluster dev/Blue of the same environment');
    });

    test('the kube-proxy version belongs to another Kubernetes version', () => {
      // GIVEN
      const env = devEnvironment();
      // THEN
      expect(() => cluster(env, { version: '1.34', addonVersions: { kubeProxy: 'v1.35.3-eksbuild.13' } })).toThrow(
        'dev/Main: addonVersions.kubeProxy: got "v1.35.3-eksbuild.13"; expected a kube-proxy version of Kubernetes 1.34 ("v1.34.<patch>-eksbuild.<build>")');
    });

    test('an add-on version is not an EKS add-on version', () => {
      // GIVEN
      const env = devEnvironment();
      // THEN
      expect(() => cluster(env, { addonVersions: { coreDns: '1.14.3' } })).toThrow(
        'dev/Main: addonVersions.coreDns: got "1.14.3"; expected an EKS add-on version such as "v1.22.2-eksbuild.1"');
    });

    test('preventDestroy is on without deletion protection', () => {
      // GIVEN
      const env = prodEnvironment();
      // THEN
      expect(() => cluster(env, { deletionProtection: false })).toThrow(
        'prod/Main: deletionProtection: got false; expected true when preventDestroy is true '
        + '(a cluster Terraform may not destroy should not be deletable by the API either)');
    });

    test('the network has fewer than two private subnets', () => {
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
      expect(() => cluster(env, { network: single })).toThrow(
        'dev/Main: network: got "dev/Single"; expected a network with at least 2 private subnets in different availability zones (EKS needs two); it has 1');
    });

    test('the environment has no network and none is given', () => {
      // GIVEN
      const env = devEnvironment();
      // THEN
      expect(() => new Cluster(env, 'Main')).toThrow('dev/Main: network: environment "dev" has no network');
    });

    test.each([['-main'], ['main.cluster'], ['a'.repeat(101)], ['']])('the imported cluster name is %j', (clusterName) => {
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
        'dev/Orders: cluster: environment "dev" has no cluster; add one with new Cluster(env, \'Cluster\'), import one with '
        + 'Cluster.fromAttributes(env, \'Cluster\', { clusterName, nodeSecurityGroupId }) or pass the cluster explicitly');
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

  test('matches the snapshot of a PROD cluster', () => {
    // GIVEN
    const env = prodEnvironment();
    // WHEN
    cluster(env, { adminRoleArns: [ADMIN] });
    // THEN
    expect(synthStack(env).resource).toMatchSnapshot();
  });
});
