import * as fs from 'fs';
import * as path from 'path';
import { TerraformOutput } from 'cdktf';
import { Environment, Platform, Profile } from '../../lib';
import { StateBackend, StateBackendProps } from '../../lib/aws/state-backend';
import { devEnvironment, onlyResource, prodEnvironment, synthStack, testPlatform } from '../support/synth';
import { expectNoDanglingReferences } from '../support/tf-references';

const BUCKET = 'State_1C20CC9A';
const KEY = 'State_Key_CC9D02A8';
const BUCKET_NAME = 'paved-tfstate-123456789012-eu-central-1';

function backend(env: Environment, props: StateBackendProps = {}): StateBackend {
  return new StateBackend(env, 'State', props);
}

function report(platform: Platform): string {
  platform.synth();
  return fs.readFileSync(path.join(platform.outdir, 'report.md'), 'utf8');
}

describe('StateBackend', () => {
  describe('defaults', () => {
    test('names the bucket paved-tfstate-<account>-<region>, what TerraformState.s3() expects', () => {
      // GIVEN
      const platform = testPlatform();
      const env = devEnvironment(platform);
      // WHEN
      const state = backend(env);
      const user = new Environment(platform, 'prod', { account: '123456789012', region: 'eu-central-1' });
      // THEN
      expect(onlyResource(synthStack(env), 'aws_s3_bucket').bucket).toBe(BUCKET_NAME);
      expect(state.bucketName).toBe(BUCKET_NAME);
      expect(synthStack(user).terraform.backend.s3.bucket).toBe(BUCKET_NAME);
    });

    test('keeps bucket and key forever: prevent_destroy and no force destroy, even in DEV', () => {
      // GIVEN
      const env = devEnvironment();
      // WHEN
      backend(env);
      // THEN
      const stack = synthStack(env);
      expect(onlyResource(stack, 'aws_s3_bucket')).toEqual(expect.objectContaining({ force_destroy: false, lifecycle: { prevent_destroy: true } }));
      expect(onlyResource(stack, 'aws_kms_key').lifecycle).toEqual({ prevent_destroy: true });
    });

    test('versions every state file', () => {
      // GIVEN
      const env = devEnvironment();
      // WHEN
      backend(env);
      // THEN
      expect(onlyResource(synthStack(env), 'aws_s3_bucket_versioning')).toEqual(expect.objectContaining({
        bucket: `\${aws_s3_bucket.${BUCKET}.id}`, versioning_configuration: { status: 'Enabled' },
      }));
    });

    test('encrypts with a key of its own by default, with S3 Bucket Keys', () => {
      // GIVEN
      const env = devEnvironment();
      // WHEN
      backend(env);
      // THEN
      const stack = synthStack(env);
      expect(onlyResource(stack, 'aws_s3_bucket_server_side_encryption_configuration').rule).toEqual([{
        apply_server_side_encryption_by_default: { sse_algorithm: 'aws:kms', kms_master_key_id: `\${aws_kms_key.${KEY}.arn}` },
        bucket_key_enabled: true,
      }]);
      expect(onlyResource(stack, 'aws_kms_key').enable_key_rotation).toBe(true);
      expect(onlyResource(stack, 'aws_kms_alias').name).toBe('alias/paved/dev/tfstate');
    });

    test('blocks all public access and enforces bucket ownership', () => {
      // GIVEN
      const env = devEnvironment();
      // WHEN
      backend(env);
      // THEN
      const stack = synthStack(env);
      expect(onlyResource(stack, 'aws_s3_bucket_public_access_block')).toEqual(expect.objectContaining({
        block_public_acls: true, block_public_policy: true, ignore_public_acls: true, restrict_public_buckets: true,
      }));
      expect(onlyResource(stack, 'aws_s3_bucket_ownership_controls').rule).toEqual({ object_ownership: 'BucketOwnerEnforced' });
    });

    test('denies requests without TLS 1.2 or newer', () => {
      // GIVEN
      const env = devEnvironment();
      // WHEN
      backend(env);
      // THEN
      const policy = onlyResource(synthStack(env), 'aws_s3_bucket_policy');
      const everything = [`arn:aws:s3:::${BUCKET_NAME}`, `arn:aws:s3:::${BUCKET_NAME}/*`];
      expect(JSON.parse(policy.policy)).toEqual({
        Version: '2012-10-17',
        Statement: [
          {
            Sid: 'DenyInsecureTransport',
            Effect: 'Deny',
            Principal: '*',
            Action: 's3:*',
            Resource: everything,
            Condition: { Bool: { 'aws:SecureTransport': 'false' } },
          },
          {
            Sid: 'DenyOutdatedTls',
            Effect: 'Deny',
            Principal: '*',
            Action: 's3:*',
            Resource: everything,
            Condition: { NumericLessThan: { 's3:TlsVersion': '1.2' } },
          },
        ],
      });
      expect(policy.depends_on).toEqual(['aws_s3_bucket_public_access_block.State_PublicAccessBlock_58C1CE7E']);
    });

    test('keeps earlier state versions 365 days and aborts incomplete uploads after 7 days', () => {
      // GIVEN
      const env = devEnvironment();
      // WHEN
      backend(env);
      // THEN
      const lifecycle = onlyResource(synthStack(env), 'aws_s3_bucket_lifecycle_configuration');
      expect(lifecycle.rule).toEqual([{
        id: 'state-history',
        status: 'Enabled',
        filter: [{}],
        noncurrent_version_expiration: [{ noncurrent_days: 365 }],
        abort_incomplete_multipart_upload: [{ days_after_initiation: 7 }],
      }]);
      expect(lifecycle.depends_on).toEqual(['aws_s3_bucket_versioning.State_Versioning_CB27A738']);
    });

    test('sends object events to EventBridge', () => {
      // GIVEN
      const env = devEnvironment();
      // WHEN
      backend(env);
      // THEN
      expect(onlyResource(synthStack(env), 'aws_s3_bucket_notification')).toEqual(expect.objectContaining({
        bucket: `\${aws_s3_bucket.${BUCKET}.id}`, eventbridge: true,
      }));
    });

    test('exposes bucket name, bucket ARN and key alias ARN as literals, the key ARN as a reference', () => {
      // GIVEN
      const env = devEnvironment();
      // WHEN
      const state = backend(env);
      new TerraformOutput(env, 'key', { value: state.keyArn });
      // THEN
      expect(synthStack(env).output.key.value).toBe(`\${aws_kms_key.${KEY}.arn}`);
      expect(state.bucketArn).toBe(`arn:aws:s3:::${BUCKET_NAME}`);
      expect(state.keyAliasArn).toBe('arn:aws:kms:eu-central-1:123456789012:alias/paved/dev/tfstate');
      expect(state.region).toBe('eu-central-1');
      expect([state.bucket, state.versioning, state.encryption, state.publicAccessBlock, state.ownershipControls, state.policy,
        state.lifecycleConfiguration, state.notification, state.key]).not.toContain(undefined);
    });

    test('keeps its Terraform addresses (construct ids are API) and references only what the stack declares', () => {
      // GIVEN
      const env = devEnvironment();
      // WHEN
      backend(env);
      // THEN
      const stack = synthStack(env);
      expect(Object.keys(stack.resource.aws_s3_bucket)).toEqual([BUCKET]);
      expect(Object.keys(stack.resource.aws_kms_key)).toEqual([KEY]);
      expect(Object.keys(stack.resource.aws_s3_bucket_policy)).toEqual(['State_Policy_FCE7C4B0']);
      expectNoDanglingReferences(stack);
    });

    test('records what paved chose', () => {
      // GIVEN
      const platform = testPlatform();
      // WHEN
      backend(devEnvironment(platform));
      // THEN
      const text = report(platform);
      expect(text).toContain(`| dev/State | bucketName | ${BUCKET_NAME} | paved default |`);
      expect(text).toContain('| dev/State | noncurrentVersionRetentionDays | 365 | paved default |');
    });
  });

  describe('DEV vs PROD', () => {
    test('the same in both: the state is always protected', () => {
      // GIVEN
      const dev = devEnvironment();
      const prod = prodEnvironment();
      // WHEN
      backend(dev);
      backend(prod);
      // THEN
      expect(onlyResource(synthStack(prod), 'aws_s3_bucket').lifecycle).toEqual(onlyResource(synthStack(dev), 'aws_s3_bucket').lifecycle);
      expect(onlyResource(synthStack(prod), 'aws_kms_key').lifecycle).toEqual(onlyResource(synthStack(dev), 'aws_kms_key').lifecycle);
    });
  });

  describe('overrides', () => {
    test('bucketName and noncurrentVersionRetentionDays', () => {
      // GIVEN
      const env = devEnvironment();
      // WHEN
      backend(env, { bucketName: 'acme.tfstate', noncurrentVersionRetentionDays: 90 });
      // THEN
      const stack = synthStack(env);
      expect(onlyResource(stack, 'aws_s3_bucket').bucket).toBe('acme.tfstate');
      expect(onlyResource(stack, 'aws_s3_bucket_lifecycle_configuration').rule[0].noncurrent_version_expiration).toEqual([{ noncurrent_days: 90 }]);
    });
  });

  describe('bootstrap and toTerraformState', () => {
    test('bootstrap creates a PROD environment "tfstate" with local state holding the backend', () => {
      // GIVEN
      const platform = testPlatform();
      // WHEN
      const state = StateBackend.bootstrap(platform, { account: '123456789012', region: 'eu-central-1' });
      // THEN
      const env = Environment.containing(state);
      expect(env.name).toBe('tfstate');
      expect(env.profile).toBe(Profile.PROD);
      expect(state.node.path).toBe('tfstate/State');
      const stack = synthStack(env);
      // Outside the synthesized tree: <outdir>/terraform.tfstate.tfstate.
      expect(stack.terraform.backend).toEqual({ local: { path: '../../../terraform.tfstate.tfstate' } });
      expect(onlyResource(stack, 'aws_s3_bucket').bucket).toBe(BUCKET_NAME);
    });

    test('every stack whose state is in the bucket depends on the bootstrap stack, declared before or after it', () => {
      // GIVEN an environment declared before the backend (default bucket name), one after it, one elsewhere
      const platform = testPlatform();
      const before = new Environment(platform, 'prod', { account: '123456789012', region: 'eu-central-1' });
      const state = StateBackend.bootstrap(platform, { account: '123456789012', region: 'eu-central-1' });
      new Environment(platform, 'staging', { account: '123456789012', region: 'eu-west-1', state: state.toTerraformState() });
      new Environment(platform, 'other', { account: '210987654321', region: 'eu-central-1' });
      // WHEN
      const result = platform.synth();
      // THEN manifest.json orders the deployment: tfstate first
      const manifest = JSON.parse(fs.readFileSync(path.join(result.outdir, 'cdktf.out/manifest.json'), 'utf8'));
      expect(manifest.stacks.prod.dependencies).toEqual(['tfstate']);
      expect(manifest.stacks.staging.dependencies).toEqual(['tfstate']);
      expect(manifest.stacks.other.dependencies).toEqual([]);
      expect(manifest.stacks.tfstate.dependencies).toEqual([]);
      expect(before.dependencies.map(d => d.node.id)).toEqual(['tfstate']);
    });

    test('bootstrap takes an environment name, a bucket name and tags', () => {
      // GIVEN
      const platform = testPlatform();
      // WHEN
      const state = StateBackend.bootstrap(platform, {
        account: '123456789012', region: 'eu-west-1', environmentName: 'state-eu', bucketName: 'acme-tfstate-eu', tags: { team: 'platform' },
      });
      // THEN
      const env = Environment.containing(state);
      expect(env.name).toBe('state-eu');
      expect(env.tags.team).toBe('platform');
      expect(state.bucketName).toBe('acme-tfstate-eu');
    });

    test('toTerraformState points other environments at the bucket, its region and its key', () => {
      // GIVEN
      const platform = testPlatform();
      const state = StateBackend.bootstrap(platform, { account: '123456789012', region: 'eu-central-1' });
      // WHEN
      const prod = new Environment(platform, 'prod', { account: '123456789012', region: 'eu-west-1', state: state.toTerraformState() });
      const staging = new Environment(platform, 'staging', { account: '123456789012', region: 'eu-central-1', state: state.toTerraformState('acme') });
      // THEN
      expect(synthStack(prod).terraform.backend.s3).toEqual({
        bucket: BUCKET_NAME,
        key: 'paved/prod/terraform.tfstate',
        region: 'eu-central-1',
        encrypt: true,
        kms_key_id: 'arn:aws:kms:eu-central-1:123456789012:alias/paved/tfstate/tfstate',
        use_lockfile: true,
      });
      expect(synthStack(staging).terraform.backend.s3.key).toBe('acme/staging/terraform.tfstate');
    });
  });

  test('matches the snapshot of the bootstrap stack', () => {
    // GIVEN
    const platform = testPlatform();
    // WHEN
    const state = StateBackend.bootstrap(platform, { account: '123456789012', region: 'eu-central-1' });
    // THEN
    expect(synthStack(Environment.containing(state))).toMatchSnapshot();
  });

  describe('fails when', () => {
    test('the environment keeps its state in S3', () => {
      // GIVEN
      const env = new Environment(testPlatform(), 'prod', { account: '123456789012', region: 'eu-central-1' });
      // THEN
      expect(() => backend(env)).toThrow('prod/State: scope: got "environment prod"; expected an environment whose state is local '
        + '(state: TerraformState.local()): the state bucket cannot hold the state that creates it; use StateBackend.bootstrap(platform, { account, region })');
    });

    test.each([['ab'], ['Acme-tfstate'], ['acme..tfstate'], ['-acme'], ['192.168.1.10'], ['xn--acme'], ['acme-s3alias'], ['a'.repeat(64)]])(
      'the bucket name is %j', (bucketName) => {
        // GIVEN
        const env = devEnvironment();
        // THEN
        expect(() => backend(env, { bucketName })).toThrow(`dev/State: bucketName: got ${JSON.stringify(bucketName)}; expected an S3 bucket name: `
          + '3-63 lowercase letters, digits, dots and hyphens, starting and ending with a letter or digit, no "..", not an IP address, '
          + 'no "xn--"/"sthree-" prefix or "-s3alias" suffix');
      });

    test.each([[0], [3651], [1.5]])('noncurrentVersionRetentionDays is %j', (noncurrentVersionRetentionDays) => {
      // GIVEN
      const env = devEnvironment();
      // THEN
      expect(() => backend(env, { noncurrentVersionRetentionDays })).toThrow(
        `dev/State: noncurrentVersionRetentionDays: got ${noncurrentVersionRetentionDays}; expected an integer from 1 to 3650`);
    });
  });
});
