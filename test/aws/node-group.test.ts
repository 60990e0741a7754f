import * as fs from 'fs';
import * as path from 'path';
import { Environment, Platform, Size } from '../../lib';
import { Cluster } from '../../lib/aws/cluster';
import { Network } from '../../lib/aws/network';
import { NodeArchitecture, NodeGroup, NodeGroupProps } from '../../lib/aws/node-group';
import { devEnvironment, prodEnvironment, synthStack, testPlatform } from '../support/synth';

/** A cluster `Main` on an imported network, with its default node group. */
function cluster(env: Environment): Cluster {
  const network = Network.fromAttributes(env, 'Network', {
    vpcId: 'vpc-0123456789abcdef0',
    vpcCidr: '10.30.0.0/16',
    availabilityZones: ['eu-central-1a', 'eu-central-1b'],
    privateSubnetIds: ['subnet-0b000000000000001', 'subnet-0b000000000000002'],
    isolatedSubnetIds: ['subnet-0c000000000000001', 'subnet-0c000000000000002'],
  });
  return new Cluster(env, 'Main', { network });
}

/** A node group `Batch` of a new cluster in `env`. */
function batch(env: Environment, props: Partial<NodeGroupProps> = {}): NodeGroup {
  const main = cluster(env);
  return new NodeGroup(main, 'Batch', { cluster: main, ...props });
}

/** The body of the resource of `type` at `<env>/Main/Batch/<id>`. */
function at(stack: any, type: string, id: string): any {
  const pattern = new RegExp(`^Main_Batch${id === 'Resource' ? '' : `_${id}`}_[0-9A-F]{8}$`);
  const found = Object.keys(stack.resource?.[type] ?? {}).filter(name => pattern.test(name));
  if (found.length !== 1) { throw new Error(`expected one ${type} at Main/Batch/${id}, found ${found.length}`); }
  return stack.resource[type][found[0]];
}

function group(env: Environment): any {
  return at(synthStack(env), 'aws_eks_node_group', 'Resource');
}

function report(platform: Platform): string {
  platform.synth();
  return fs.readFileSync(path.join(platform.outdir, 'report.md'), 'utf8');
}

describe('NodeGroup', () => {
  describe('defaults', () => {
    test('takes instance types and scaling bounds from size M', () => {
      // GIVEN
      const env = prodEnvironment();
      // WHEN
      const nodes = batch(env);
      // THEN
      const body = group(env);
      expect(body.instance_types).toEqual(['m6i.large', 'm5.large']);
      expect(body.scaling_config).toEqual({ min_size: 2, max_size: 6, desired_size: 3 });
      expect([nodes.minSize, nodes.maxSize, nodes.desiredSize]).toEqual([2, 6, 3]);
    });

    test('runs Amazon Linux 2023 for x86_64 on Intel and AMD types', () => {
      // GIVEN
      const env = devEnvironment();
      // WHEN
      const nodes = batch(env);
      // THEN
      expect(group(env).ami_type).toBe('AL2023_x86_64_STANDARD');
      expect(nodes.architecture).toBe(NodeArchitecture.X86_64);
    });

    test('gives each node a 50 GiB root volume', () => {
      // GIVEN
      const env = devEnvironment();
      // WHEN
      batch(env);
      // THEN
      expect(at(synthStack(env), 'aws_launch_template', 'LaunchTemplate').block_device_mappings[0].ebs.volume_size).toBe(50);
    });

    test('runs on spot in DEV and on demand in PROD', () => {
      // GIVEN
      const platform = testPlatform();
      const dev = devEnvironment(platform);
      const prod = prodEnvironment(platform);
      // WHEN
      const devNodes = batch(dev);
      const prodNodes = batch(prod);
      // THEN
      expect(group(dev).capacity_type).toBe('SPOT');
      expect(group(prod).capacity_type).toBe('ON_DEMAND');
      expect([devNodes.spot, prodNodes.spot]).toEqual([true, false]);
    });

    test('is named after the cluster and its id, with a suffix EKS adds, so a replacement can start before the old group goes', () => {
      // GIVEN
      const env = devEnvironment();
      // WHEN
      batch(env);
      // THEN
      const body = group(env);
      expect(body.node_group_name_prefix).toBe('dev-main-batch-');
      expect(body.node_group_name).toBeUndefined();
      expect(body.lifecycle.create_before_destroy).toBe(true);
      expect(at(synthStack(env), 'aws_launch_template', 'LaunchTemplate').name_prefix).toBe('dev-main-batch-');
    });

    test('leaves the desired size to autoscalers after creation and replaces one node at a time', () => {
      // GIVEN
      const env = devEnvironment();
      // WHEN
      batch(env);
      // THEN
      const body = group(env);
      expect(body.lifecycle.ignore_changes).toEqual(['scaling_config[0].desired_size']);
      expect(body.update_config).toEqual({ max_unavailable: 1 });
    });

    test('tags instances, volumes and network interfaces with the group\'s name', () => {
      // GIVEN
      const env = devEnvironment();
      // WHEN
      batch(env);
      // THEN
      expect(at(synthStack(env), 'aws_launch_template', 'LaunchTemplate').tag_specifications).toEqual([
        { resource_type: 'instance', tags: { Name: 'dev-main-batch' } },
        { resource_type: 'volume', tags: { Name: 'dev-main-batch' } },
        { resource_type: 'network-interface', tags: { Name: 'dev-main-batch' } },
      ]);
    });

    test('records its defaults in the report', () => {
      // GIVEN
      const platform = testPlatform();
      const env = devEnvironment(platform);
      // WHEN
      batch(env);
      // THEN
      const text = report(platform);
      expect(text).toContain('| dev/Main/Batch | size | M | paved default |');
      expect(text).toContain('| dev/Main/Batch | minSize | 2 | size M |');
      expect(text).toContain('| dev/Main/Batch | diskSizeGiB | 50 | paved default |');
      expect(text).toContain('| dev/Main/Batch | spot | true | profile dev |');
    });
  });

  describe('overrides', () => {
    test('takes the size given', () => {
      // GIVEN
      const env = devEnvironment();
      // WHEN
      batch(env, { size: Size.XL });
      // THEN
      const body = group(env);
      expect(body.instance_types).toEqual(['m6i.2xlarge', 'm5.2xlarge']);
      expect(body.scaling_config).toEqual({ min_size: 3, max_size: 20, desired_size: 4 });
    });

    test('moves the size\'s desired size below a lower maximum given', () => {
      // GIVEN
      const env = devEnvironment();
      // WHEN
      batch(env, { minSize: 1, maxSize: 2 });
      // THEN
      expect(group(env).scaling_config).toEqual({ min_size: 1, max_size: 2, desired_size: 2 });
    });

    test('takes an explicit desired size', () => {
      // GIVEN
      const env = devEnvironment();
      // WHEN
      batch(env, { desiredSize: 6 });
      // THEN
      expect(group(env).scaling_config.desired_size).toBe(6);
    });

    test('runs Amazon Linux 2023 for arm64 on Graviton types', () => {
      // GIVEN
      const env = devEnvironment();
      // WHEN
      const nodes = batch(env, { instanceTypes: ['m7g.large', 'c6gn.xlarge', 't4g.large'] });
      // THEN
      expect(group(env).ami_type).toBe('AL2023_ARM_64_STANDARD');
      expect(nodes.architecture).toBe(NodeArchitecture.ARM_64);
    });

    test('runs on demand in DEV when asked', () => {
      // GIVEN
      const env = devEnvironment();
      // WHEN
      batch(env, { spot: false });
      // THEN
      expect(group(env).capacity_type).toBe('ON_DEMAND');
    });

    test('takes the root volume size given', () => {
      // GIVEN
      const env = devEnvironment();
      // WHEN
      batch(env, { diskSizeGiB: 200 });
      // THEN
      expect(at(synthStack(env), 'aws_launch_template', 'LaunchTemplate').block_device_mappings[0].ebs.volume_size).toBe(200);
    });
  });

  describe('fails when', () => {
    test('min > max', () => {
      // GIVEN
      const env = devEnvironment();
      // THEN
      expect(() => batch(env, { minSize: 4, maxSize: 3 })).toThrow('dev/Main/Batch: minSize: got 4; expected at most maxSize (3)');
    });

    test('the size\'s minimum exceeds the maximum given', () => {
      // GIVEN
      const env = devEnvironment();
      // THEN
      expect(() => batch(env, { size: Size.L, maxSize: 2 })).toThrow('dev/Main/Batch: maxSize: got 2; expected at least minSize (3, from size L)');
    });

    test.each([[0], [1001], [2.5]])('the maximum is %j', (maxSize) => {
      // GIVEN
      const env = devEnvironment();
      // THEN
      expect(() => batch(env, { minSize: 0, maxSize })).toThrow(
        `dev/Main/Batch: maxSize: got ${maxSize}; expected an integer from 1 to 1000`);
    });

    test('the minimum is negative', () => {
      // GIVEN
      const env = devEnvironment();
      // THEN
      expect(() => batch(env, { minSize: -1 })).toThrow('dev/Main/Batch: minSize: got -1; expected an integer from 0 to 1000');
    });

    test('the desired size is outside [min, max]', () => {
      // GIVEN
      const env = devEnvironment();
      // THEN
      expect(() => batch(env, { desiredSize: 7 })).toThrow('dev/Main/Batch: desiredSize: got 7; expected an integer from 2 to 6');
    });

    test.each([[[]], [['m6i']], [['M6I.LARGE']]])('the instance types are %j', (instanceTypes) => {
      // GIVEN
      const env = devEnvironment();
      // THEN
      expect(() => batch(env, { instanceTypes })).toThrow(
        `dev/Main/Batch: instanceTypes: got ${JSON.stringify(instanceTypes)}; expected one or more EC2 instance types such as "m6i.large"`);
    });

    test('an instance type is listed twice', () => {
      // GIVEN
      const env = devEnvironment();
      // THEN
      expect(() => batch(env, { instanceTypes: ['m6i.large', 'm6i.large'] })).toThrow(
        'dev/Main/Batch: instanceTypes: got ["m6i.large","m6i.large"]; expected distinct EC2 instance types');
    });

    test('the instance types mix architectures', () => {
      // GIVEN
      const env = devEnvironment();
      // THEN
      expect(() => batch(env, { instanceTypes: ['m6i.large', 'm7g.large'] })).toThrow(
        'dev/Main/Batch: instanceTypes: got ["m6i.large","m7g.large"]; expected instance types of one architecture: '
        + 'all Graviton (arm64, such as "m7g.large") or none (x86_64), since one AMI serves the group');
    });

    test('PROD asks for spot', () => {
      // GIVEN
      const env = prodEnvironment();
      // THEN
      expect(() => batch(env, { spot: true })).toThrow(
        'prod/Main/Batch: spot: got true; expected false: profile prod does not allow spot capacity (spotAllowed is false)');
    });

    test.each([[10], [20000]])('the root volume size is %j GiB', (diskSizeGiB) => {
      // GIVEN
      const env = devEnvironment();
      // THEN
      expect(() => batch(env, { diskSizeGiB })).toThrow(
        `dev/Main/Batch: diskSizeGiB: got ${diskSizeGiB}; expected an integer from 20 to 16384`);
    });

    test('the cluster is imported', () => {
      // GIVEN
      const env = devEnvironment();
      const imported = Cluster.fromAttributes(env, 'Imported', { clusterName: 'shared', nodeSecurityGroupId: 'sg-0123456789abcdef0' });
      // THEN
      expect(() => new NodeGroup(env, 'Batch', { cluster: imported as Cluster })).toThrow(
        'dev/Batch: cluster: got "dev/Imported"; expected a Cluster (new Cluster(...))');
    });

    test('the cluster belongs to another environment', () => {
      // GIVEN
      const platform = testPlatform();
      const dev = devEnvironment(platform);
      const prod = prodEnvironment(platform);
      const main = cluster(dev);
      // THEN
      expect(() => new NodeGroup(prod, 'Batch', { cluster: main })).toThrow(
        'prod/Batch: cluster: got "dev/Main"; expected a construct of environment prod, not of environment dev: constructs of one environment never refer to another\'s (each environment is its own account, state and blast radius)');
    });
  });

  test('matches the snapshot of its launch template and node group', () => {
    // GIVEN
    const env = prodEnvironment();
    // WHEN
    batch(env, { size: Size.S });
    // THEN
    const stack = synthStack(env);
    expect({
      launchTemplate: at(stack, 'aws_launch_template', 'LaunchTemplate'),
      nodeGroup: at(stack, 'aws_eks_node_group', 'Resource'),
    }).toMatchSnapshot();
  });
});
