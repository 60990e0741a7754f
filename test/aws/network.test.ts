import * as fs from 'fs';
import * as path from 'path';
import { TerraformOutput, Token } from 'cdktf';
import { Construct } from 'constructs';
import { Environment, NatStrategy, Platform, Profile, TerraformState } from '../../lib';
import { Network, NetworkAttributes } from '../../lib/aws';
import { devEnvironment, onlyResource, prodEnvironment, resourcesOf, synthStack, testPlatform, withoutAlarmTopics } from '../support/synth';

/** Terraform name of the resource of `type` at `<env>/<network>/<id>` (cdktf drops the id `Resource`). */
function nameOf(stack: any, type: string, id: string, network: string = 'Network'): string {
  const pattern = new RegExp(`^${network}${id === 'Resource' ? '' : `_${id}`}_[0-9A-F]{8}$`);
  const found = Object.keys(stack.resource?.[type] ?? {}).filter(name => pattern.test(name));
  if (found.length !== 1) { throw new Error(`expected one ${type} at ${network}/${id}, found ${found.length}`); }
  return found[0];
}

/** The body of the resource of `type` at `<env>/Network/<id>`. */
function resource(stack: any, type: string, id: string): any {
  return stack.resource[type][nameOf(stack, type, id)];
}

/** `${aws_x.Name.attr}` of the resource of `type` at `<env>/Network/<id>`. */
function ref(stack: any, type: string, id: string, attribute: string = 'id'): string {
  return `\${${type}.${nameOf(stack, type, id)}.${attribute}}`;
}

function report(platform: Platform): string {
  platform.synth();
  return fs.readFileSync(path.join(platform.outdir, 'report.md'), 'utf8');
}

const IMPORTED: NetworkAttributes = {
  vpcId: 'vpc-0123456789abcdef0',
  vpcCidr: '10.30.0.0/16',
  availabilityZones: ['eu-central-1a', 'eu-central-1b'],
  publicSubnetIds: ['subnet-0a000000000000001'],
  privateSubnetIds: ['subnet-0b000000000000001', 'subnet-0b000000000000002'],
  isolatedSubnetIds: ['subnet-0c000000000000001', 'subnet-0c000000000000002'],
};

describe('Network', () => {
  describe('defaults', () => {
    test('creates a VPC with the given CIDR, DNS resolution and hostnames, named after environment and id', () => {
      // GIVEN
      const env = devEnvironment();
      // WHEN
      new Network(env, 'Network', { cidr: '10.20.0.0/16' });
      // THEN
      const vpc = onlyResource(withoutAlarmTopics(synthStack(env)), 'aws_vpc');
      expect(vpc.cidr_block).toBe('10.20.0.0/16');
      expect(vpc.enable_dns_support).toBe(true);
      expect(vpc.enable_dns_hostnames).toBe(true);
      expect(vpc.tags).toEqual({ Name: 'dev-network' });
    });

    test('spans the DEV profile\'s 2 availability zones, the first zones of the region by letter', () => {
      // GIVEN
      const env = devEnvironment();
      // WHEN
      const network = new Network(env, 'Network', { cidr: '10.20.0.0/16' });
      // THEN
      const stack = withoutAlarmTopics(synthStack(env));
      expect(network.availabilityZones).toEqual(['eu-central-1a', 'eu-central-1b']);
      expect(resourcesOf(stack, 'aws_subnet')).toHaveLength(6);
      expect(resource(stack, 'aws_subnet', 'PrivateSubnet2').availability_zone).toBe('eu-central-1b');
    });

    test('spans the PROD profile\'s 3 availability zones', () => {
      // GIVEN
      const env = prodEnvironment();
      // WHEN
      const network = new Network(env, 'Network', { cidr: '10.20.0.0/16' });
      // THEN
      expect(network.availabilityZones).toEqual(['eu-central-1a', 'eu-central-1b', 'eu-central-1c']);
      expect(resourcesOf(withoutAlarmTopics(synthStack(env)), 'aws_subnet')).toHaveLength(9);
      expect(network.privateSubnetIds).toHaveLength(3);
    });

    test('checks at plan time that exactly the chosen zones exist for the account without opt-in', () => {
      // GIVEN
      const env = prodEnvironment();
      // WHEN
      new Network(env, 'Network', { cidr: '10.20.0.0/16' });
      // THEN
      const lookup = Object.values(withoutAlarmTopics(synthStack(env)).data.aws_availability_zones)[0] as any;
      expect(lookup.filter).toEqual([
        { name: 'zone-name', values: ['eu-central-1a', 'eu-central-1b', 'eu-central-1c'] },
        { name: 'opt-in-status', values: ['opt-in-not-required'] },
      ]);
      expect(lookup.state).toBeUndefined();
      expect(lookup.lifecycle.postcondition[0].condition).toBe('${length(self.names) == 3}');
      expect(lookup.lifecycle.postcondition[0].error_message).toContain('prod/Network: availabilityZoneNames:');
    });

    test('lays out public, isolated and private subnets in fixed, non-overlapping blocks', () => {
      // GIVEN
      const env = prodEnvironment();
      // WHEN
      const network = new Network(env, 'Network', { cidr: '10.20.0.0/16' });
      // THEN
      expect(network.publicSubnetCidrs).toEqual(['10.20.0.0/20', '10.20.16.0/20', '10.20.32.0/20']);
      expect(network.isolatedSubnetCidrs).toEqual(['10.20.64.0/20', '10.20.80.0/20', '10.20.96.0/20']);
      expect(network.privateSubnetCidrs).toEqual(['10.20.128.0/19', '10.20.160.0/19', '10.20.192.0/19']);
      const stack = withoutAlarmTopics(synthStack(env));
      expect(resource(stack, 'aws_subnet', 'PublicSubnet1').cidr_block).toBe('10.20.0.0/20');
      expect(resource(stack, 'aws_subnet', 'IsolatedSubnet3').cidr_block).toBe('10.20.96.0/20');
      expect(resource(stack, 'aws_subnet', 'PrivateSubnet2').cidr_block).toBe('10.20.160.0/19');
    });

    test('keeps existing subnets in place when an availability zone is added', () => {
      // GIVEN
      const two = new Network(devEnvironment(), 'Network', { cidr: '10.20.0.0/16' });
      // WHEN
      const three = new Network(devEnvironment(), 'Network', { cidr: '10.20.0.0/16', availabilityZones: 3 });
      // THEN
      expect(three.privateSubnetCidrs.slice(0, 2)).toEqual(two.privateSubnetCidrs);
      expect(three.publicSubnetCidrs.slice(0, 2)).toEqual(two.publicSubnetCidrs);
      expect(three.isolatedSubnetCidrs.slice(0, 2)).toEqual(two.isolatedSubnetCidrs);
    });

    test('maps no public IPs on launch in any subnet, public ones included', () => {
      // GIVEN
      const env = prodEnvironment();
      // WHEN
      new Network(env, 'Network', { cidr: '10.20.0.0/16' });
      // THEN
      expect(resourcesOf(withoutAlarmTopics(synthStack(env)), 'aws_subnet').map(s => s.map_public_ip_on_launch)).toEqual(Array(9).fill(false));
    });

    test('tags public and private subnets for internet-facing and internal load balancers', () => {
      // GIVEN
      const env = devEnvironment();
      // WHEN
      new Network(env, 'Network', { cidr: '10.20.0.0/16' });
      // THEN
      const stack = withoutAlarmTopics(synthStack(env));
      expect(resource(stack, 'aws_subnet', 'PublicSubnet1').tags).toEqual({ 'Name': 'dev-network-public-1', 'kubernetes.io/role/elb': '1' });
      expect(resource(stack, 'aws_subnet', 'PrivateSubnet1').tags).toEqual({ 'Name': 'dev-network-private-1', 'kubernetes.io/role/internal-elb': '1' });
      expect(resource(stack, 'aws_subnet', 'IsolatedSubnet1').tags).toEqual({ Name: 'dev-network-isolated-1' });
    });

    test('routes the public subnets to an internet gateway', () => {
      // GIVEN
      const env = devEnvironment();
      // WHEN
      new Network(env, 'Network', { cidr: '10.20.0.0/16' });
      // THEN
      const stack = withoutAlarmTopics(synthStack(env));
      expect(onlyResource(stack, 'aws_internet_gateway').vpc_id).toBe(ref(stack, 'aws_vpc', 'Resource'));
      expect(resource(stack, 'aws_route', 'PublicInternetRoute')).toMatchObject({
        route_table_id: ref(stack, 'aws_route_table', 'PublicRouteTable'),
        destination_cidr_block: '0.0.0.0/0',
        gateway_id: ref(stack, 'aws_internet_gateway', 'InternetGateway'),
      });
      expect(resource(stack, 'aws_route_table_association', 'PublicRouteTableAssociation2')).toMatchObject({
        subnet_id: ref(stack, 'aws_subnet', 'PublicSubnet2'),
        route_table_id: ref(stack, 'aws_route_table', 'PublicRouteTable'),
      });
    });

    test('gives DEV one NAT gateway, in the first public subnet, for every private subnet', () => {
      // GIVEN
      const env = devEnvironment();
      // WHEN
      const network = new Network(env, 'Network', { cidr: '10.20.0.0/16' });
      // THEN
      const stack = withoutAlarmTopics(synthStack(env));
      expect(network.natStrategy).toBe(NatStrategy.SINGLE);
      expect(onlyResource(stack, 'aws_nat_gateway')).toMatchObject({
        subnet_id: ref(stack, 'aws_subnet', 'PublicSubnet1'),
        allocation_id: ref(stack, 'aws_eip', 'NatEip1', 'allocation_id'),
        connectivity_type: 'public',
        depends_on: [ref(stack, 'aws_internet_gateway', 'InternetGateway').slice(2, -4)],
      });
      expect(onlyResource(stack, 'aws_eip').domain).toBe('vpc');
      for (const i of [1, 2]) {
        expect(resource(stack, 'aws_route', `PrivateNatRoute${i}`)).toMatchObject({
          route_table_id: ref(stack, 'aws_route_table', `PrivateRouteTable${i}`),
          destination_cidr_block: '0.0.0.0/0',
          nat_gateway_id: ref(stack, 'aws_nat_gateway', 'NatGateway1'),
        });
      }
    });

    test('gives PROD one NAT gateway per availability zone, each private subnet using its own', () => {
      // GIVEN
      const env = prodEnvironment();
      // WHEN
      const network = new Network(env, 'Network', { cidr: '10.20.0.0/16' });
      // THEN
      const stack = withoutAlarmTopics(synthStack(env));
      expect(network.natStrategy).toBe(NatStrategy.ONE_PER_AZ);
      expect(resourcesOf(stack, 'aws_nat_gateway')).toHaveLength(3);
      expect(resourcesOf(stack, 'aws_eip')).toHaveLength(3);
      for (const i of [1, 2, 3]) {
        expect(resource(stack, 'aws_nat_gateway', `NatGateway${i}`).subnet_id).toBe(ref(stack, 'aws_subnet', `PublicSubnet${i}`));
        expect(resource(stack, 'aws_route', `PrivateNatRoute${i}`).nat_gateway_id).toBe(ref(stack, 'aws_nat_gateway', `NatGateway${i}`));
        expect(resource(stack, 'aws_route_table_association', `PrivateRouteTableAssociation${i}`).subnet_id)
          .toBe(ref(stack, 'aws_subnet', `PrivateSubnet${i}`));
      }
    });

    test('gives isolated subnets a route table without any route', () => {
      // GIVEN
      const env = prodEnvironment();
      // WHEN
      new Network(env, 'Network', { cidr: '10.20.0.0/16' });
      // THEN
      const stack = withoutAlarmTopics(synthStack(env));
      const isolated = ref(stack, 'aws_route_table', 'IsolatedRouteTable');
      expect(resourcesOf(stack, 'aws_route').filter(r => r.route_table_id === isolated)).toEqual([]);
      expect(resource(stack, 'aws_route_table', 'IsolatedRouteTable').route).toBeUndefined();
      expect(resource(stack, 'aws_route_table_association', 'IsolatedRouteTableAssociation3')).toMatchObject({
        subnet_id: ref(stack, 'aws_subnet', 'IsolatedSubnet3'),
        route_table_id: isolated,
      });
    });

    test('adds an S3 gateway endpoint to the private and isolated route tables', () => {
      // GIVEN
      const env = devEnvironment();
      // WHEN
      new Network(env, 'Network', { cidr: '10.20.0.0/16' });
      // THEN
      const stack = withoutAlarmTopics(synthStack(env));
      expect(onlyResource(stack, 'aws_vpc_endpoint')).toMatchObject({
        vpc_id: ref(stack, 'aws_vpc', 'Resource'),
        service_name: 'com.amazonaws.eu-central-1.s3',
        vpc_endpoint_type: 'Gateway',
        route_table_ids: [
          ref(stack, 'aws_route_table', 'PrivateRouteTable1'),
          ref(stack, 'aws_route_table', 'PrivateRouteTable2'),
          ref(stack, 'aws_route_table', 'IsolatedRouteTable'),
        ],
      });
    });

    test('keeps the default security group without any rule', () => {
      // GIVEN
      const env = devEnvironment();
      // WHEN
      new Network(env, 'Network', { cidr: '10.20.0.0/16' });
      // THEN
      const stack = withoutAlarmTopics(synthStack(env));
      const group = onlyResource(stack, 'aws_default_security_group');
      expect(group.vpc_id).toBe(ref(stack, 'aws_vpc', 'Resource'));
      expect(group.ingress).toEqual([]);
      expect(group.egress).toEqual([]);
    });

    test('records all traffic in flow logs to a log group kept for the profile\'s retention', () => {
      // GIVEN
      const env = devEnvironment();
      // WHEN
      new Network(env, 'Network', { cidr: '10.20.0.0/16' });
      // THEN
      const stack = withoutAlarmTopics(synthStack(env));
      expect(onlyResource(stack, 'aws_flow_log')).toMatchObject({
        vpc_id: ref(stack, 'aws_vpc', 'Resource'),
        traffic_type: 'ALL',
        log_destination_type: 'cloud-watch-logs',
        log_destination: ref(stack, 'aws_cloudwatch_log_group', 'FlowLogGroup', 'arn'),
        iam_role_arn: ref(stack, 'aws_iam_role', 'FlowLogRole', 'arn'),
      });
      expect(onlyResource(stack, 'aws_cloudwatch_log_group')).toMatchObject({
        name: '/paved/dev-network/vpc-flow-logs',
        retention_in_days: 365,
        kms_key_id: ref(stack, 'aws_kms_key', 'FlowLogKey', 'arn'),
      });
    });

    test('encrypts the flow logs with a rotated customer managed key usable by CloudWatch Logs for that log group only', () => {
      // GIVEN
      const env = devEnvironment();
      // WHEN
      new Network(env, 'Network', { cidr: '10.20.0.0/16' });
      // THEN
      const stack = withoutAlarmTopics(synthStack(env));
      const key = onlyResource(stack, 'aws_kms_key');
      expect(key.enable_key_rotation).toBe(true);
      expect(key.deletion_window_in_days).toBe(30);
      expect(JSON.parse(key.policy).Statement).toEqual([
        {
          Sid: 'AccountAdministers',
          Effect: 'Allow',
          Principal: { AWS: 'arn:aws:iam::123456789012:root' },
          Action: 'kms:*',
          Resource: '*',
        },
        {
          Sid: 'CloudWatchLogsUsesForThisLogGroup',
          Effect: 'Allow',
          Principal: { Service: 'logs.eu-central-1.amazonaws.com' },
          Action: ['kms:Encrypt*', 'kms:Decrypt*', 'kms:ReEncrypt*', 'kms:GenerateDataKey*', 'kms:Describe*'],
          Resource: '*',
          Condition: { ArnEquals: { 'kms:EncryptionContext:aws:logs:arn': 'arn:aws:logs:eu-central-1:123456789012:log-group:/paved/dev-network/vpc-flow-logs' } },
        },
      ]);
      expect(onlyResource(stack, 'aws_kms_alias')).toMatchObject({
        name: 'alias/paved/dev/network/flow-logs',
        target_key_id: ref(stack, 'aws_kms_key', 'FlowLogKey', 'key_id'),
      });
    });

    test('lets only the flow log service of this account write to this log group only', () => {
      // GIVEN
      const env = devEnvironment();
      // WHEN
      new Network(env, 'Network', { cidr: '10.20.0.0/16' });
      // THEN
      const stack = withoutAlarmTopics(synthStack(env));
      const role = onlyResource(stack, 'aws_iam_role');
      expect(role.name).toBe('dev-network-flowlogs');
      expect(JSON.parse(role.assume_role_policy).Statement).toEqual([{
        Effect: 'Allow',
        Principal: { Service: 'vpc-flow-logs.amazonaws.com' },
        Action: 'sts:AssumeRole',
        Condition: {
          StringEquals: { 'aws:SourceAccount': '123456789012' },
          ArnLike: { 'aws:SourceArn': 'arn:aws:ec2:eu-central-1:123456789012:vpc-flow-log/*' },
        },
      }]);
      const policy = onlyResource(stack, 'aws_iam_role_policy');
      expect(policy.role).toBe(ref(stack, 'aws_iam_role', 'FlowLogRole'));
      const group = 'arn:aws:logs:eu-central-1:123456789012:log-group:/paved/dev-network/vpc-flow-logs';
      expect(JSON.parse(policy.policy).Statement).toEqual([{
        Effect: 'Allow',
        Action: ['logs:CreateLogStream', 'logs:PutLogEvents', 'logs:DescribeLogStreams'],
        Resource: [group, `${group}:log-stream:*`],
      }]);
    });

    test('uses the China partition\'s names in China regions', () => {
      // GIVEN
      const env = new Environment(testPlatform(), 'cn', {
        account: '123456789012', region: 'cn-north-1', profile: Profile.DEV, state: TerraformState.local(),
      });
      // WHEN
      new Network(env, 'Network', { cidr: '10.20.0.0/16' });
      // THEN
      const stack = withoutAlarmTopics(synthStack(env));
      expect(onlyResource(stack, 'aws_vpc_endpoint').service_name).toBe('cn.com.amazonaws.cn-north-1.s3');
      const statements = JSON.parse(onlyResource(stack, 'aws_kms_key').policy).Statement;
      expect(statements[0].Principal.AWS).toBe('arn:aws-cn:iam::123456789012:root');
      expect(statements[1].Principal.Service).toBe('logs.cn-north-1.amazonaws.com.cn');
    });

    test('names resources after the path below the environment', () => {
      // GIVEN
      const env = devEnvironment();
      // WHEN
      new Network(new Construct(env, 'Shared'), 'Edge', { cidr: '10.20.0.0/16' });
      // THEN
      const stack = withoutAlarmTopics(synthStack(env));
      expect(onlyResource(stack, 'aws_vpc').tags.Name).toBe('dev-shared-edge');
      expect(onlyResource(stack, 'aws_cloudwatch_log_group').name).toBe('/paved/dev-shared-edge/vpc-flow-logs');
    });

    test('records the profile\'s choices in the report', () => {
      // GIVEN
      const platform = testPlatform();
      const env = prodEnvironment(platform);
      // WHEN
      new Network(env, 'Network', { cidr: '10.20.0.0/16' });
      // THEN
      const text = report(platform);
      expect(text).toContain('| prod/Network | availabilityZones | 3 | profile prod |');
      expect(text).toContain('| prod/Network | natStrategy | ONE_PER_AZ | profile prod |');
      expect(text).toContain('| prod/Network | logRetentionDays | 365 | profile prod |');
      expect(text).toContain('| prod/Network | availabilityZoneNames | eu-central-1a,eu-central-1b,eu-central-1c | paved default (first zones by letter) |');
    });

    test('fits a /24 across 3 availability zones with /28 public and isolated subnets', () => {
      // GIVEN
      const env = prodEnvironment();
      // WHEN
      const network = new Network(env, 'Network', { cidr: '192.168.4.0/24' });
      // THEN
      expect(network.publicSubnetCidrs).toEqual(['192.168.4.0/28', '192.168.4.16/28', '192.168.4.32/28']);
      expect(network.isolatedSubnetCidrs).toEqual(['192.168.4.64/28', '192.168.4.80/28', '192.168.4.96/28']);
      expect(network.privateSubnetCidrs).toEqual(['192.168.4.128/27', '192.168.4.160/27', '192.168.4.192/27']);
    });

    test('cuts each tier in 8 slots above 4 availability zones', () => {
      // GIVEN
      const env = prodEnvironment();
      // WHEN
      const network = new Network(env, 'Network', { cidr: '172.16.0.0/16', availabilityZones: 5 });
      // THEN
      expect(network.publicSubnetCidrs).toEqual(['172.16.0.0/21', '172.16.8.0/21', '172.16.16.0/21', '172.16.24.0/21', '172.16.32.0/21']);
      expect(network.privateSubnetCidrs[4]).toBe('172.16.192.0/20');
      expect(network.availabilityZones[4]).toBe('eu-central-1e');
    });

    test('implements INetwork with the VPC and subnet references', () => {
      // GIVEN
      const env = devEnvironment();
      // WHEN
      const network = new Network(env, 'Network', { cidr: '10.20.0.0/16' });
      // THEN
      expect(network.vpcCidr).toBe('10.20.0.0/16');
      expect(Token.isUnresolved(network.vpcId)).toBe(true);
      new TerraformOutput(env, 'vpc', { value: network.vpcId });
      new TerraformOutput(env, 'subnets', { value: [network.publicSubnetIds, network.privateSubnetIds, network.isolatedSubnetIds] });
      const stack = withoutAlarmTopics(synthStack(env));
      expect(stack.output.vpc.value).toBe(ref(stack, 'aws_vpc', 'Resource'));
      expect(stack.output.subnets.value).toEqual([
        [ref(stack, 'aws_subnet', 'PublicSubnet1'), ref(stack, 'aws_subnet', 'PublicSubnet2')],
        [ref(stack, 'aws_subnet', 'PrivateSubnet1'), ref(stack, 'aws_subnet', 'PrivateSubnet2')],
        [ref(stack, 'aws_subnet', 'IsolatedSubnet1'), ref(stack, 'aws_subnet', 'IsolatedSubnet2')],
      ]);
      expect(network.flowLog).toBeDefined();
      expect(network.logGroup).toBeDefined();
      expect(network.kmsKey).toBeDefined();
      expect(network.s3Endpoint).toBeDefined();
    });
  });

  describe('overrides', () => {
    test('spans the given number of availability zones, recorded as an override', () => {
      // GIVEN
      const platform = testPlatform();
      const env = devEnvironment(platform);
      // WHEN
      const network = new Network(env, 'Network', { cidr: '10.20.0.0/16', availabilityZones: 3 });
      // THEN
      expect(network.availabilityZones).toEqual(['eu-central-1a', 'eu-central-1b', 'eu-central-1c']);
      expect(resourcesOf(withoutAlarmTopics(synthStack(env)), 'aws_subnet')).toHaveLength(9);
      expect(report(platform)).toContain('| dev/Network | availabilityZones | 3 | **override** |');
    });

    test('uses the given availability zone names, in order', () => {
      // GIVEN
      const env = new Environment(testPlatform(), 'tokyo', {
        account: '123456789012', region: 'ap-northeast-1', profile: Profile.PROD, state: TerraformState.local(),
      });
      // WHEN
      const network = new Network(env, 'Network', {
        cidr: '10.20.0.0/16', availabilityZoneNames: ['ap-northeast-1a', 'ap-northeast-1c', 'ap-northeast-1d'],
      });
      // THEN
      const stack = withoutAlarmTopics(synthStack(env));
      expect(network.availabilityZones).toEqual(['ap-northeast-1a', 'ap-northeast-1c', 'ap-northeast-1d']);
      expect(resource(stack, 'aws_subnet', 'PrivateSubnet2').availability_zone).toBe('ap-northeast-1c');
      expect((Object.values(stack.data.aws_availability_zones)[0] as any).filter[0].values)
        .toEqual(['ap-northeast-1a', 'ap-northeast-1c', 'ap-northeast-1d']);
    });

    test('takes the number of availability zones from the names given', () => {
      // GIVEN
      const platform = testPlatform();
      const env = prodEnvironment(platform);
      // WHEN
      const network = new Network(env, 'Network', { cidr: '10.20.0.0/16', availabilityZoneNames: ['eu-central-1b', 'eu-central-1c'] });
      // THEN
      expect(network.privateSubnets).toHaveLength(2);
      const text = report(platform);
      expect(text).toContain('| prod/Network | availabilityZones | 2 | **override** |');
      expect(text).toContain('| prod/Network | availabilityZoneNames | eu-central-1b,eu-central-1c | **override** |');
    });

    test('uses one NAT gateway per availability zone in DEV when asked', () => {
      // GIVEN
      const platform = testPlatform();
      const env = devEnvironment(platform);
      // WHEN
      new Network(env, 'Network', { cidr: '10.20.0.0/16', natStrategy: NatStrategy.ONE_PER_AZ });
      // THEN
      expect(resourcesOf(withoutAlarmTopics(synthStack(env)), 'aws_nat_gateway')).toHaveLength(2);
      expect(report(platform)).toContain('| dev/Network | natStrategy | ONE_PER_AZ | **override** |');
    });

    test('uses a single NAT gateway in PROD when asked', () => {
      // GIVEN
      const env = prodEnvironment();
      // WHEN
      new Network(env, 'Network', { cidr: '10.20.0.0/16', natStrategy: NatStrategy.SINGLE });
      // THEN
      const stack = withoutAlarmTopics(synthStack(env));
      expect(resourcesOf(stack, 'aws_nat_gateway')).toHaveLength(1);
      expect(resourcesOf(stack, 'aws_route').filter(r => r.nat_gateway_id === ref(stack, 'aws_nat_gateway', 'NatGateway1'))).toHaveLength(3);
    });

    test('creates no NAT gateway and no default route for private subnets with NONE', () => {
      // GIVEN
      const env = prodEnvironment();
      // WHEN
      const network = new Network(env, 'Network', { cidr: '10.20.0.0/16', natStrategy: NatStrategy.NONE });
      // THEN
      const stack = withoutAlarmTopics(synthStack(env));
      expect(network.natGateways).toEqual([]);
      expect(resourcesOf(stack, 'aws_nat_gateway')).toEqual([]);
      expect(resourcesOf(stack, 'aws_eip')).toEqual([]);
      expect(resourcesOf(stack, 'aws_route')).toHaveLength(1);
      expect(resourcesOf(stack, 'aws_route_table')).toHaveLength(5);
    });

    test('keeps flow logs for the given number of days, recorded as an override', () => {
      // GIVEN
      const platform = testPlatform();
      const env = devEnvironment(platform);
      // WHEN
      new Network(env, 'Network', { cidr: '10.20.0.0/16', logRetentionDays: 731 });
      // THEN
      expect(onlyResource(withoutAlarmTopics(synthStack(env)), 'aws_cloudwatch_log_group').retention_in_days).toBe(731);
      expect(report(platform)).toContain('| dev/Network | logRetentionDays | 731 | **override** |');
    });

    test('creates no flow log, log group, key or role when flow logs are off, and reports it', () => {
      // GIVEN
      const platform = testPlatform();
      const env = devEnvironment(platform);
      // WHEN
      const network = new Network(env, 'Network', { cidr: '10.20.0.0/16', flowLogs: false });
      // THEN
      const stack = withoutAlarmTopics(synthStack(env));
      for (const type of ['aws_flow_log', 'aws_cloudwatch_log_group', 'aws_kms_key', 'aws_kms_alias', 'aws_iam_role', 'aws_iam_role_policy']) {
        expect(resourcesOf(stack, type)).toEqual([]);
      }
      expect(network.flowLog).toBeUndefined();
      expect(report(platform)).toContain('| dev/Network | flowLogs | false | **override** |');
    });
  });

  describe('import', () => {
    test('returns the attributes of an existing VPC and creates nothing', () => {
      // GIVEN
      const env = devEnvironment();
      // WHEN
      const network = Network.fromAttributes(env, 'Network', IMPORTED);
      // THEN
      expect(network.vpcId).toBe('vpc-0123456789abcdef0');
      expect(network.vpcCidr).toBe('10.30.0.0/16');
      expect(network.availabilityZones).toEqual(['eu-central-1a', 'eu-central-1b']);
      expect(network.publicSubnetIds).toEqual(['subnet-0a000000000000001']);
      expect(network.privateSubnetIds).toEqual(['subnet-0b000000000000001', 'subnet-0b000000000000002']);
      expect(network.isolatedSubnetIds).toEqual(['subnet-0c000000000000001', 'subnet-0c000000000000002']);
      expect(withoutAlarmTopics(synthStack(env)).resource).toBeUndefined();
    });

    test('defaults to no public subnets', () => {
      // GIVEN
      const env = devEnvironment();
      // WHEN
      const network = Network.fromAttributes(env, 'Network', { ...IMPORTED, publicSubnetIds: undefined });
      // THEN
      expect(network.publicSubnetIds).toEqual([]);
    });

    test('accepts short (8-digit) ids and unresolved tokens', () => {
      // GIVEN
      const env = devEnvironment();
      // WHEN
      const network = Network.fromAttributes(env, 'Network', {
        ...IMPORTED, vpcId: 'vpc-1a2b3c4d', privateSubnetIds: ['subnet-1a2b3c4d'], isolatedSubnetIds: [Token.asString({ Ref: 'x' })],
      });
      // THEN
      expect(network.vpcId).toBe('vpc-1a2b3c4d');
    });

    test('does not count an imported VPC as an overlapping network', () => {
      // GIVEN
      const platform = testPlatform();
      Network.fromAttributes(devEnvironment(platform), 'Network', IMPORTED);
      // WHEN
      const network = new Network(prodEnvironment(platform), 'Network', { cidr: IMPORTED.vpcCidr });
      // THEN
      expect(network.vpcCidr).toBe('10.30.0.0/16');
    });
  });

  describe('Network.of', () => {
    test('finds the network of the environment from any construct inside it', () => {
      // GIVEN
      const env = devEnvironment();
      const network = new Network(env, 'Network', { cidr: '10.20.0.0/16' });
      const deep = new Construct(new Construct(env, 'Shop'), 'Orders');
      // WHEN
      const found = Network.of(deep);
      // THEN
      expect(found).toBe(network);
      expect(Network.of(env)).toBe(network);
    });

    test('finds an imported network', () => {
      // GIVEN
      const env = devEnvironment();
      const network = Network.fromAttributes(env, 'Network', IMPORTED);
      // WHEN
      const found = Network.of(new Construct(env, 'Shop'));
      // THEN
      expect(found).toBe(network);
    });

    test('finds only the network of its own environment', () => {
      // GIVEN
      const platform = testPlatform();
      const dev = devEnvironment(platform);
      const prod = prodEnvironment(platform);
      new Network(dev, 'Network', { cidr: '10.20.0.0/16' });
      const prodNetwork = new Network(prod, 'Network', { cidr: '10.30.0.0/16' });
      // WHEN
      const found = Network.of(prod);
      // THEN
      expect(found).toBe(prodNetwork);
    });
  });

  test('keeps its Terraform addresses (construct ids are API)', () => {
    // GIVEN
    const env = devEnvironment();
    // WHEN
    new Network(env, 'Network', { cidr: '10.20.0.0/16' });
    // THEN
    const stack = withoutAlarmTopics(synthStack(env));
    expect(Object.keys(stack.resource.aws_vpc)).toEqual(['Network_1C6012B5']);
    expect(Object.keys(stack.resource.aws_subnet).sort()).toEqual([
      'Network_IsolatedSubnet1_0FC35D3B', 'Network_IsolatedSubnet2_46361735',
      'Network_PrivateSubnet1_E8491189', 'Network_PrivateSubnet2_6BD46F8C',
      'Network_PublicSubnet1_3B56D098', 'Network_PublicSubnet2_E7B6D3F8',
    ]);
    expect(Object.keys(stack.resource.aws_cloudwatch_log_group)).toEqual(['Network_FlowLogGroup_1F868030']);
    expect(Object.keys(stack.resource.aws_kms_key)).toEqual(['Network_FlowLogKey_88E74685']);
  });

  test('matches the snapshot of a PROD network', () => {
    // GIVEN
    const env = prodEnvironment();
    // WHEN
    new Network(env, 'Network', { cidr: '10.20.0.0/16' });
    // THEN
    expect(withoutAlarmTopics(synthStack(env))).toMatchSnapshot();
  });

  describe('fails when', () => {
    test.each([
      ['10.20.0/16'], ['10.20.0.256/16'], ['10.20.0.0'], ['10.20.0.0/16/1'], ['vpc'], [''],
    ])('the cidr %j is not an IPv4 CIDR block', (cidr) => {
      // GIVEN
      const env = devEnvironment();
      // THEN
      expect(() => new Network(env, 'Network', { cidr }))
        .toThrow(`dev/Network: cidr: got ${JSON.stringify(cidr)}; expected an IPv4 CIDR block such as "10.20.0.0/16"`);
    });

    test('the cidr is a public range', () => {
      // GIVEN
      const env = devEnvironment();
      // THEN
      expect(() => new Network(env, 'Network', { cidr: '52.10.0.0/16' }))
        .toThrow('dev/Network: cidr: got "52.10.0.0/16"; expected a private range inside 10.0.0.0/8, 172.16.0.0/12 or 192.168.0.0/16');
      expect(() => new Network(env, 'Network2', { cidr: '172.32.0.0/16' })).toThrow('expected a private range');
    });

    test.each([['10.0.0.0/8'], ['10.20.0.0/15'], ['10.20.0.0/25'], ['10.20.0.0/28']])('the cidr %j has a prefix outside /16-/24', (cidr) => {
      // GIVEN
      const env = devEnvironment();
      // THEN
      expect(() => new Network(env, 'Network', { cidr }))
        .toThrow(`dev/Network: cidr: got ${JSON.stringify(cidr)}; expected a prefix length from /16 to /24`);
    });

    test('the cidr has host bits set', () => {
      // GIVEN
      const env = devEnvironment();
      // THEN
      expect(() => new Network(env, 'Network', { cidr: '10.20.1.0/16' }))
        .toThrow('dev/Network: cidr: got "10.20.1.0/16"; expected the first address of the block, "10.20.0.0/16"');
    });

    test('the cidr is an unresolved token', () => {
      // GIVEN
      const env = devEnvironment();
      const cidr = Token.asString({ Ref: 'cidr' });
      // THEN
      expect(() => new Network(env, 'Network', { cidr })).toThrow('dev/Network: cidr: got "${TfToken[TOKEN');
      expect(() => new Network(env, 'Network2', { cidr })).toThrow('expected a literal IPv4 CIDR, not a token');
    });

    test('the cidr overlaps the network of another environment', () => {
      // GIVEN
      const platform = testPlatform();
      new Network(devEnvironment(platform), 'Network', { cidr: '10.20.0.0/16' });
      const prod = prodEnvironment(platform);
      // THEN
      expect(() => new Network(prod, 'Network', { cidr: '10.20.128.0/17' }))
        .toThrow('prod/Network: cidr: got "10.20.128.0/17"; expected a range that does not overlap network dev/Network (10.20.0.0/16)');
    });

    test('the cidr overlaps another network of the same environment', () => {
      // GIVEN
      const env = devEnvironment();
      new Network(env, 'Network', { cidr: '10.20.0.0/24' });
      // THEN
      expect(() => new Network(env, 'Other', { cidr: '10.20.0.0/16' }))
        .toThrow('dev/Other: cidr: got "10.20.0.0/16"; expected a range that does not overlap network dev/Network (10.20.0.0/24)');
    });

    test('the cidr is too small for the subnets of every availability zone', () => {
      // GIVEN
      const env = devEnvironment();
      // THEN
      expect(() => new Network(env, 'Network', { cidr: '10.20.0.0/24', availabilityZones: 5 }))
        .toThrow('dev/Network: cidr: got "10.20.0.0/24"; expected a block large enough for 5 AZs x 3 tiers of subnets of at least /28 (/23 or larger), or fewer availabilityZones');
    });

    test.each([[1], [7], [2.5]])('availabilityZones is %j', (availabilityZones) => {
      // GIVEN
      const env = devEnvironment();
      // THEN
      expect(() => new Network(env, 'Network', { cidr: '10.20.0.0/16', availabilityZones }))
        .toThrow(`dev/Network: availabilityZones: got ${availabilityZones}; expected an integer from 2 to 6`);
    });

    test('availabilityZoneNames are not zones of the environment\'s region', () => {
      // GIVEN
      const env = devEnvironment();
      // THEN
      expect(() => new Network(env, 'Network', { cidr: '10.20.0.0/16', availabilityZoneNames: ['eu-central-1a', 'eu-west-1b'] }))
        .toThrow('dev/Network: availabilityZoneNames: got "eu-west-1b"; expected an availability zone name of the environment\'s region, "eu-central-1" followed by one letter');
      expect(() => new Network(env, 'Network2', { cidr: '10.21.0.0/16', availabilityZoneNames: ['eu-central-1a', 'eu-central-1-ham-1a'] }))
        .toThrow('got "eu-central-1-ham-1a"');
    });

    test('availabilityZoneNames has fewer than 2 or repeated zones', () => {
      // GIVEN
      const env = devEnvironment();
      // THEN
      expect(() => new Network(env, 'Network', { cidr: '10.20.0.0/16', availabilityZoneNames: ['eu-central-1a'] }))
        .toThrow('dev/Network: availabilityZoneNames: got ["eu-central-1a"]; expected 2 to 6 availability zone names of eu-central-1');
      expect(() => new Network(env, 'Network2', { cidr: '10.21.0.0/16', availabilityZoneNames: ['eu-central-1a', 'eu-central-1a'] }))
        .toThrow('dev/Network2: availabilityZoneNames: got ["eu-central-1a","eu-central-1a"]; expected distinct availability zone names');
    });

    test('availabilityZones differs from the number of availabilityZoneNames', () => {
      // GIVEN
      const env = devEnvironment();
      // THEN
      expect(() => new Network(env, 'Network', {
        cidr: '10.20.0.0/16', availabilityZones: 3, availabilityZoneNames: ['eu-central-1a', 'eu-central-1b'],
      })).toThrow('dev/Network: availabilityZones: got 3; expected 2, the number of availabilityZoneNames (or leave it out)');
    });

    test('natStrategy is not a NatStrategy', () => {
      // GIVEN
      const env = devEnvironment();
      // THEN
      expect(() => new Network(env, 'Network', { cidr: '10.20.0.0/16', natStrategy: 'TWO' as NatStrategy }))
        .toThrow('dev/Network: natStrategy: got "TWO"; expected one of "SINGLE", "ONE_PER_AZ", "NONE"');
    });

    test('logRetentionDays is not a value CloudWatch Logs accepts', () => {
      // GIVEN
      const env = devEnvironment();
      // THEN
      expect(() => new Network(env, 'Network', { cidr: '10.20.0.0/16', logRetentionDays: 100 }))
        .toThrow('dev/Network: logRetentionDays: got 100; expected one of 1, 3, 5, 7, 14');
    });

    test('created outside an environment', () => {
      // GIVEN
      const platform = testPlatform();
      // THEN
      expect(() => new Network(platform.terraform, 'Network', { cidr: '10.20.0.0/16' }))
        .toThrow('Network: scope: is not inside an Environment');
    });

    test('an imported vpcId is not a VPC id', () => {
      // GIVEN
      const env = devEnvironment();
      // THEN
      expect(() => Network.fromAttributes(env, 'Network', { ...IMPORTED, vpcId: 'subnet-0123456789abcdef0' }))
        .toThrow('dev/Network: vpcId: got "subnet-0123456789abcdef0"; expected a VPC id: "vpc-" followed by 8 or 17 lowercase hex digits');
      expect(() => Network.fromAttributes(env, 'Network2', { ...IMPORTED, vpcId: 'vpc-123' })).toThrow('got "vpc-123"');
    });

    test('an imported subnet id is not a subnet id', () => {
      // GIVEN
      const env = devEnvironment();
      // THEN
      expect(() => Network.fromAttributes(env, 'Network', { ...IMPORTED, privateSubnetIds: ['subnet-0b000000000000001', 'sg-0123456789abcdef0'] }))
        .toThrow('dev/Network: privateSubnetIds: got "sg-0123456789abcdef0"; expected at least one subnet id(s): "subnet-" followed by 8 or 17 lowercase hex digits');
      expect(() => Network.fromAttributes(env, 'Network2', { ...IMPORTED, publicSubnetIds: ['subnet-XYZ'] }))
        .toThrow('dev/Network2: publicSubnetIds: got "subnet-XYZ"; expected a list of subnet id(s)');
    });

    test.each([['privateSubnetIds'], ['isolatedSubnetIds']])('the imported %s is empty', (property) => {
      // GIVEN
      const env = devEnvironment();
      // THEN
      expect(() => Network.fromAttributes(env, 'Network', { ...IMPORTED, [property]: [] }))
        .toThrow(`dev/Network: ${property}: got []; expected at least one subnet id(s)`);
    });

    test('an imported subnet list repeats an id', () => {
      // GIVEN
      const env = devEnvironment();
      // THEN
      expect(() => Network.fromAttributes(env, 'Network', { ...IMPORTED, isolatedSubnetIds: ['subnet-1a2b3c4d', 'subnet-1a2b3c4d'] }))
        .toThrow('dev/Network: isolatedSubnetIds: got ["subnet-1a2b3c4d","subnet-1a2b3c4d"]; expected subnet ids without duplicates');
    });

    test('the imported vpcCidr is not a CIDR block', () => {
      // GIVEN
      const env = devEnvironment();
      // THEN
      expect(() => Network.fromAttributes(env, 'Network', { ...IMPORTED, vpcCidr: '10.30.0.1/16' }))
        .toThrow('dev/Network: vpcCidr: got "10.30.0.1/16"; expected the IPv4 CIDR block of the VPC, such as "10.30.0.0/16"');
    });

    test('the imported availabilityZones is empty', () => {
      // GIVEN
      const env = devEnvironment();
      // THEN
      expect(() => Network.fromAttributes(env, 'Network', { ...IMPORTED, availabilityZones: [] }))
        .toThrow('dev/Network: availabilityZones: got []; expected at least one availability zone name, such as "eu-central-1a"');
    });

    test('Network.of finds no network in the environment', () => {
      // GIVEN
      const env = devEnvironment();
      const scope = new Construct(env, 'Orders');
      // THEN
      expect(() => Network.of(scope))
        .toThrow('dev/Orders: network: environment "dev" has no network; add one with new Network(env, \'Network\', { cidr: \'10.20.0.0/16\' }) '
          + 'or import an existing VPC with Network.fromAttributes(env, \'Network\', { vpcId, vpcCidr, availabilityZones, privateSubnetIds, isolatedSubnetIds })');
    });

    test('Network.of finds several networks in the environment', () => {
      // GIVEN
      const env = devEnvironment();
      new Network(env, 'Network', { cidr: '10.20.0.0/16' });
      Network.fromAttributes(env, 'Legacy', IMPORTED);
      // THEN
      expect(() => Network.of(env))
        .toThrow('dev: network: environment "dev" has 2 networks (dev/Network, dev/Legacy); pass the network to use explicitly');
    });
  });
});
