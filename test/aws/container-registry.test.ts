import * as fs from 'fs';
import * as path from 'path';
import { TerraformOutput, TerraformVariable } from 'cdktf';
import { Construct } from 'constructs';
import { Cluster, Environment, Grant, GrantPolicy, Grantee, IGrantable, Network, Platform } from '../../lib';
import { ContainerRegistry, ContainerRegistryProps } from '../../lib/aws/container-registry';
import { Key } from '../../lib/aws/key';
import { devEnvironment, onlyResource, prodEnvironment, resourcesOf, synthStack, testPlatform } from '../support/synth';
import { expectNoDanglingReferences } from '../support/tf-references';

const REPOSITORY = 'Orders_A9B65338';
const KEY = 'Orders_Key_6C690DD2';
const NODES = 'arn:aws:iam::123456789012:role/dev-main-nodes';
const CI = 'arn:aws:iam::123456789012:role/ci/orders-deploy';
const PULL = ['ecr:BatchGetImage', 'ecr:GetDownloadUrlForLayer', 'ecr:BatchCheckLayerAvailability'];
const PUSH = [
  'ecr:BatchCheckLayerAvailability', 'ecr:InitiateLayerUpload', 'ecr:UploadLayerPart', 'ecr:CompleteLayerUpload', 'ecr:PutImage', 'ecr:BatchGetImage',
];

function registry(env: Environment, props: ContainerRegistryProps = {}): ContainerRegistry {
  return new ContainerRegistry(env, 'Orders', props);
}

/** A role paved does not manage, by ARN. */
function role(env: Environment, arn: string, id: string = `Role${arn.length}${arn.split('/').pop()}`): IGrantable {
  return Grantee.fromRoleArn(env, id, arn);
}

function repository(env: Environment): any {
  return onlyResource(synthStack(env), 'aws_ecr_repository');
}

function repositoryPolicy(env: Environment): any {
  return JSON.parse(onlyResource(synthStack(env), 'aws_ecr_repository_policy').policy);
}

function report(platform: Platform): string {
  platform.synth();
  return fs.readFileSync(path.join(platform.outdir, 'report.md'), 'utf8');
}

describe('ContainerRegistry', () => {
  describe('defaults', () => {
    test('makes tags immutable', () => {
      // GIVEN
      const env = devEnvironment();
      // WHEN
      registry(env);
      // THEN
      expect(repository(env).image_tag_mutability).toBe('IMMUTABLE');
    });

    test('scans every image on push', () => {
      // GIVEN
      const env = devEnvironment();
      // WHEN
      registry(env);
      // THEN
      expect(repository(env).image_scanning_configuration).toEqual({ scan_on_push: true });
    });

    test('encrypts images with a key of its own that rotates', () => {
      // GIVEN
      const env = devEnvironment();
      // WHEN
      const reg = registry(env);
      // THEN
      const stack = synthStack(env);
      expect(onlyResource(stack, 'aws_ecr_repository').encryption_configuration).toEqual([{ encryption_type: 'KMS', kms_key: `\${aws_kms_key.${KEY}.arn}` }]);
      expect(onlyResource(stack, 'aws_kms_key').enable_key_rotation).toBe(true);
      expect(onlyResource(stack, 'aws_kms_alias').name).toBe('alias/paved/dev/ecr/dev-orders');
      expect(reg.key.node.path).toBe('dev/Orders/Key');
    });

    test('expires untagged images after 7 days and keeps the 30 most recent images', () => {
      // GIVEN
      const env = devEnvironment();
      // WHEN
      const reg = registry(env);
      // THEN
      const lifecycle = onlyResource(synthStack(env), 'aws_ecr_lifecycle_policy');
      expect(lifecycle.repository).toBe(`\${aws_ecr_repository.${REPOSITORY}.name}`);
      expect(JSON.parse(lifecycle.policy)).toEqual({
        rules: [
          {
            rulePriority: 1,
            description: 'Expire untagged images 7 days after push',
            selection: { tagStatus: 'untagged', countType: 'sinceImagePushed', countUnit: 'days', countNumber: 7 },
            action: { type: 'expire' },
          },
          {
            rulePriority: 2,
            description: 'Keep the 30 most recent images',
            selection: { tagStatus: 'any', countType: 'imageCountMoreThan', countNumber: 30 },
            action: { type: 'expire' },
          },
        ],
      });
      expect(reg.keepImages).toBe(30);
    });

    test('is never force-deleted with its images', () => {
      // GIVEN
      const env = devEnvironment();
      // WHEN
      registry(env);
      // THEN
      expect(repository(env).force_delete).toBe(false);
    });

    test('derives the repository name from environment and construct path', () => {
      // GIVEN
      const env = devEnvironment();
      // WHEN
      const reg = new ContainerRegistry(new Construct(env, 'shop'), 'orders');
      // THEN
      expect(reg.repositoryName).toBe('dev-shop-orders');
      expect(repository(env).name).toBe('dev-shop-orders');
    });

    test('has no repository policy until something is granted', () => {
      // GIVEN
      const env = devEnvironment();
      // WHEN
      const reg = registry(env);
      // THEN
      expect(resourcesOf(synthStack(env), 'aws_ecr_repository_policy')).toEqual([]);
      expect(reg.policy).toBeUndefined();
    });

    test('exposes the ARN as a literal and the URL as a reference', () => {
      // GIVEN
      const env = devEnvironment();
      // WHEN
      const reg = registry(env);
      new TerraformOutput(env, 'url', { value: reg.repositoryUrl });
      // THEN
      expect(synthStack(env).output.url.value).toBe(`\${aws_ecr_repository.${REPOSITORY}.repository_url}`);
      expect(reg.repositoryArn).toBe('arn:aws:ecr:eu-central-1:123456789012:repository/dev-orders');
      expect([reg.repository, reg.lifecyclePolicy]).not.toContain(undefined);
    });

    test('keeps its Terraform addresses (construct ids are API) and references only what the stack declares', () => {
      // GIVEN
      const env = devEnvironment();
      // WHEN
      registry(env).grantPull(role(env, NODES));
      // THEN
      const stack = synthStack(env);
      expect(Object.keys(stack.resource.aws_ecr_repository)).toEqual([REPOSITORY]);
      expect(Object.keys(stack.resource.aws_kms_key)).toEqual([KEY]);
      expect(Object.keys(stack.resource.aws_ecr_lifecycle_policy)).toEqual(['Orders_LifecyclePolicy_0A441772']);
      expect(Object.keys(stack.resource.aws_ecr_repository_policy)).toEqual(['Orders_Policy_41E378C0']);
      expectNoDanglingReferences(stack);
    });
  });

  describe('DEV vs PROD', () => {
    test('DEV: repository and key can be destroyed', () => {
      // GIVEN
      const env = devEnvironment();
      // WHEN
      registry(env);
      // THEN
      const stack = synthStack(env);
      expect(onlyResource(stack, 'aws_ecr_repository').lifecycle).toBeUndefined();
      expect(onlyResource(stack, 'aws_kms_key').lifecycle).toBeUndefined();
    });

    test('PROD: prevent_destroy on repository and key', () => {
      // GIVEN
      const env = prodEnvironment();
      // WHEN
      registry(env);
      // THEN
      const stack = synthStack(env);
      expect(onlyResource(stack, 'aws_ecr_repository').lifecycle).toEqual({ prevent_destroy: true });
      expect(onlyResource(stack, 'aws_kms_key').lifecycle).toEqual({ prevent_destroy: true });
    });

    test('records what the profile and paved chose', () => {
      // GIVEN
      const platform = testPlatform();
      // WHEN
      registry(prodEnvironment(platform));
      // THEN
      const text = report(platform);
      expect(text).toContain('| prod/Orders | keepImages | 30 | paved default |');
      expect(text).toContain('| prod/Orders | preventDestroy | true | profile prod |');
    });
  });

  describe('overrides', () => {
    test('repositoryName and keepImages', () => {
      // GIVEN
      const env = devEnvironment();
      // WHEN
      registry(env, { repositoryName: 'shop/orders.api', keepImages: 5 });
      // THEN
      const stack = synthStack(env);
      expect(onlyResource(stack, 'aws_ecr_repository').name).toBe('shop/orders.api');
      expect(JSON.parse(onlyResource(stack, 'aws_ecr_lifecycle_policy').policy).rules[1].selection.countNumber).toBe(5);
      expect(onlyResource(stack, 'aws_kms_alias').name).toBe('alias/paved/dev/ecr/shop/orders_api');
    });

    test('encryptionKey: the key given, no key of its own', () => {
      // GIVEN
      const env = devEnvironment();
      const key = new Key(env, 'ImagesKey', { description: 'Images' });
      // WHEN
      const reg = registry(env, { encryptionKey: key });
      // THEN
      const stack = synthStack(env);
      expect(Object.keys(stack.resource.aws_kms_key)).toEqual(['ImagesKey_954580DA']);
      expect(onlyResource(stack, 'aws_ecr_repository').encryption_configuration[0].kms_key).toBe('${aws_kms_key.ImagesKey_954580DA.arn}');
      expect(reg.key).toBe(key);
    });

    test('preventDestroy false in PROD', () => {
      // GIVEN
      const env = prodEnvironment();
      // WHEN
      registry(env, { preventDestroy: false });
      // THEN
      expect(repository(env).lifecycle).toBeUndefined();
    });
  });

  describe('grants', () => {
    test('grantPull(cluster.nodeIdentity) names the node role of a paved cluster', () => {
      // GIVEN
      const env = devEnvironment();
      new Network(env, 'Network', { cidr: '10.10.0.0/16' });
      const cluster = new Cluster(env, 'Main');
      const reg = registry(env);
      // WHEN
      const grant = reg.grantPull(cluster.nodeIdentity);
      // THEN
      expect(grant.grantee).toBe(cluster.nodeIdentity);
      expect(repositoryPolicy(env).Statement).toEqual([
        { Sid: 'Pull', Effect: 'Allow', Principal: { AWS: '${aws_iam_role.Main_NodeRole_E6A9A141.arn}' }, Action: PULL },
      ]);
    });

    test('grantPull lets the role read images through the repository policy', () => {
      // GIVEN
      const env = devEnvironment();
      const reg = registry(env);
      // WHEN
      const grant = reg.grantPull(role(env, NODES));
      // THEN
      expect(grant.policy).toBe(GrantPolicy.RESOURCE);
      expect(grant.actions).toEqual(PULL);
      expect(grant.resources).toEqual(['arn:aws:ecr:eu-central-1:123456789012:repository/dev-orders']);
      expect(onlyResource(synthStack(env), 'aws_ecr_repository_policy').repository).toBe(`\${aws_ecr_repository.${REPOSITORY}.name}`);
      expect(repositoryPolicy(env)).toEqual({
        Version: '2012-10-17',
        Statement: [{ Sid: 'Pull', Effect: 'Allow', Principal: { AWS: NODES }, Action: PULL }],
      });
    });

    test('grantPush lets the role upload images through the repository policy', () => {
      // GIVEN
      const env = devEnvironment();
      const reg = registry(env);
      // WHEN
      const grant: Grant = reg.grantPush(role(env, CI));
      // THEN
      expect(grant.actions).toEqual(PUSH);
      expect(repositoryPolicy(env)).toEqual({
        Version: '2012-10-17',
        Statement: [{ Sid: 'Push', Effect: 'Allow', Principal: { AWS: CI }, Action: PUSH }],
      });
    });

    test('several roles share one statement per kind of access; granting twice changes nothing', () => {
      // GIVEN
      const env = devEnvironment();
      const reg = registry(env);
      const workloadRole = role(env, new TerraformVariable(env, 'role', { type: 'string' }).stringValue, 'Workload');
      const nodes = role(env, NODES);
      // WHEN
      reg.grantPull(nodes);
      reg.grantPush(role(env, CI));
      reg.grantPull(workloadRole);
      reg.grantPull(nodes);
      // THEN
      expect(repositoryPolicy(env).Statement).toEqual([
        { Sid: 'Pull', Effect: 'Allow', Principal: { AWS: [NODES, '${var.role}'] }, Action: PULL },
        { Sid: 'Push', Effect: 'Allow', Principal: { AWS: CI }, Action: PUSH },
      ]);
    });
  });

  test('matches the snapshot of a PROD repository with pull and push grants', () => {
    // GIVEN
    const env = prodEnvironment();
    const reg = registry(env);
    // WHEN
    reg.grantPull(role(env, NODES));
    reg.grantPush(role(env, CI));
    // THEN
    expect(synthStack(env)).toMatchSnapshot();
  });

  describe('fails when', () => {
    test('a grantee is not an IGrantable', () => {
      // GIVEN
      const env = devEnvironment();
      // THEN
      expect(() => registry(env).grantPull(new Construct(env, 'Plain') as any)).toThrow(
        'dev/Orders: grantee: got "construct dev/Plain"; expected an IGrantable to grant to (a WorkloadIdentity, cluster.nodeIdentity or Grantee.fromRoleArn(...))');
    });

    test.each([['Orders'], ['a'], ['orders//api'], ['orders-'], ['/orders'], ['orders..api'], ['o'.repeat(257)]])(
      'the repository name is %j', (repositoryName) => {
        // GIVEN
        const env = devEnvironment();
        // THEN
        expect(() => registry(env, { repositoryName })).toThrow(
          `dev/Orders: repositoryName: got ${JSON.stringify(repositoryName)}; expected an ECR repository name: 2-256 lowercase letters, `
          + 'digits and "._-/", components separated by "/", each starting and ending with a letter or digit, no two separators in a row');
      });

    test('the repository name is used by another registry of the environment', () => {
      // GIVEN
      const env = devEnvironment();
      registry(env, { repositoryName: 'orders' });
      // THEN
      expect(() => new ContainerRegistry(env, 'Billing', { repositoryName: 'orders' }))
        .toThrow('dev/Billing: repositoryName: got "orders"; expected a name not used by dev/Orders of the same environment');
    });

    test.each([[0], [10001], [2.5]])('keepImages is %j', (keepImages) => {
      // GIVEN
      const env = devEnvironment();
      // THEN
      expect(() => registry(env, { keepImages })).toThrow(`dev/Orders: keepImages: got ${keepImages}; expected an integer from 1 to 10000`);
    });

    test('encryptionKey is not a Key', () => {
      // GIVEN
      const env = devEnvironment();
      // THEN
      expect(() => registry(env, { encryptionKey: 'arn:aws:kms:eu-central-1:123456789012:key/x' as any }))
        .toThrow('dev/Orders: encryptionKey: got "arn:aws:kms:eu-central-1:123456789012:key/x"; expected a Key (EnvironmentSecretsKey.of(...) or new Key(...))');
    });

    test('encryptionKey belongs to another environment', () => {
      // GIVEN
      const platform = testPlatform();
      const key = new Key(prodEnvironment(platform), 'ImagesKey', { description: 'Images' });
      // THEN
      expect(() => registry(devEnvironment(platform), { encryptionKey: key }))
        .toThrow('dev/Orders: encryptionKey: got "prod/ImagesKey"; expected a construct of environment dev, not of environment prod: constructs of one environment never refer to another\'s (each environment is its own account, state and blast radius)');
    });

    test.each([
      ['arn:aws:iam::123456789012:user/alice'],
      ['arn:aws:iam::123456789012:root'],
      ['arn:aws:iam::1234:role/ci'],
      ['ci'],
    ])('a grantee is given the role ARN %j', (roleArn) => {
      // GIVEN
      const env = devEnvironment();
      // THEN
      expect(() => Grantee.fromRoleArn(env, 'Ci', roleArn)).toThrow(
        `dev/Ci: roleArn: got ${JSON.stringify(roleArn)}; expected an IAM role ARN: "arn:<partition>:iam::<12-digit account>:role/<name>"`);
    });
  });
});
