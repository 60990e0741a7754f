import * as fs from 'fs';
import * as path from 'path';
import { Token } from 'cdktf';
import { Environment, Platform, Profile, TerraformState } from '../../lib';
import { AccessLogBucket } from '../../lib/aws/access-log-bucket';
import { Bucket, BucketProps } from '../../lib/aws/bucket';
import { Cluster } from '../../lib/aws/cluster';
import { Key } from '../../lib/aws/key';
import { WorkloadIdentity } from '../../lib/aws/workload-identity';
import { devEnvironment, prodEnvironment, resourcesOf, synthStack, testPlatform } from '../support/synth';
import { expectNoDanglingReferences } from '../support/tf-references';

const BUCKET = 'Uploads_4F6EB0FD';
const LOGS = 'AccessLogs_8B620ECA';
const NAME = 'dev-uploads-1ff32a';
const ARN = `arn:aws:s3:::${NAME}`;
const LOGS_NAME = 'dev-access-logs-1ff32a';
const KEY_ARN = '${aws_kms_key.Uploads_Key_EAFA4DCE.arn}';

function bucket(env: Environment, props: BucketProps = {}, id: string = 'Uploads'): Bucket {
  return new Bucket(env, id, props);
}

function identity(env: Environment): WorkloadIdentity {
  const cluster = Cluster.fromAttributes(env, 'Cluster', { clusterName: 'main', nodeSecurityGroupId: 'sg-0123456789abcdef0' });
  return new WorkloadIdentity(env, 'Identity', { cluster, namespace: 'shop', serviceAccount: 'orders' });
}

/** The resource of `type` that configures the bucket at Terraform address `address` (`Uploads_...`). */
function configOf(stack: any, type: string, bucketAddress: string): any {
  const found = resourcesOf(stack, type).filter(r => r.bucket === `\${aws_s3_bucket.${bucketAddress}.id}`);
  if (found.length !== 1) { throw new Error(`expected one ${type} of ${bucketAddress}, found ${found.length}`); }
  return found[0];
}

function grantedStatements(env: Environment): any[] {
  return JSON.parse(resourcesOf(synthStack(env), 'aws_iam_role_policy')[0].policy).Statement;
}

function report(platform: Platform): string {
  platform.synth();
  return fs.readFileSync(path.join(platform.outdir, 'report.md'), 'utf8');
}

describe('Bucket', () => {
  describe('defaults', () => {
    test('is named after environment and construct path, with a hash of account and region', () => {
      // GIVEN
      const env = devEnvironment();
      // WHEN
      const b = bucket(env);
      // THEN
      expect(synthStack(env).resource.aws_s3_bucket[BUCKET].bucket).toBe(NAME);
      expect(b.bucketName).toBe(NAME);
    });

    test('exposes name, ARN, region and endpoint as literals known at synth time', () => {
      // GIVEN
      const env = devEnvironment();
      // WHEN
      const b = bucket(env);
      // THEN
      expect(b.bucketArn).toBe(ARN);
      expect(b.region).toBe('eu-central-1');
      expect(b.endpoint).toBe('https://s3.eu-central-1.amazonaws.com');
      expect([b.resource, b.publicAccessBlock, b.ownershipControls, b.versioning, b.encryption, b.policy, b.lifecycle, b.logging, b.notification])
        .not.toContain(undefined);
    });

    test('uses the partition\'s ARN and domain in China', () => {
      // GIVEN
      const env = new Environment(testPlatform(), 'cn', {
        account: '123456789012', region: 'cn-north-1', profile: Profile.DEV, state: TerraformState.local(),
      });
      // WHEN
      const b = bucket(env);
      // THEN
      expect(b.bucketArn).toBe(`arn:aws-cn:s3:::${b.bucketName}`);
      expect(b.endpoint).toBe('https://s3.cn-north-1.amazonaws.com.cn');
    });

    test('blocks every kind of public access', () => {
      // GIVEN
      const env = devEnvironment();
      // WHEN
      bucket(env);
      // THEN
      expect(configOf(synthStack(env), 'aws_s3_bucket_public_access_block', BUCKET)).toEqual(expect.objectContaining({
        block_public_acls: true, block_public_policy: true, ignore_public_acls: true, restrict_public_buckets: true,
      }));
    });

    test('disables ACLs: the bucket owner owns every object', () => {
      // GIVEN
      const env = devEnvironment();
      // WHEN
      bucket(env);
      // THEN
      expect(configOf(synthStack(env), 'aws_s3_bucket_ownership_controls', BUCKET).rule).toEqual({ object_ownership: 'BucketOwnerEnforced' });
    });

    test('keeps object versions', () => {
      // GIVEN
      const env = devEnvironment();
      // WHEN
      bucket(env);
      // THEN
      expect(configOf(synthStack(env), 'aws_s3_bucket_versioning', BUCKET).versioning_configuration).toEqual({ status: 'Enabled' });
    });

    test('encrypts objects with a key of its own, through an S3 bucket key', () => {
      // GIVEN
      const env = devEnvironment();
      // WHEN
      const b = bucket(env);
      // THEN
      const stack = synthStack(env);
      expect(configOf(stack, 'aws_s3_bucket_server_side_encryption_configuration', BUCKET).rule).toEqual([{
        apply_server_side_encryption_by_default: { sse_algorithm: 'aws:kms', kms_master_key_id: KEY_ARN },
        bucket_key_enabled: true,
      }]);
      expect(stack.resource.aws_kms_alias.Uploads_Key_Alias_55E38B30.name).toBe(`alias/paved/dev/s3/${NAME}`);
      expect(stack.resource.aws_kms_key.Uploads_Key_EAFA4DCE.description).toBe(`Encrypts the objects of S3 bucket ${NAME}`);
      expect(b.encryptionKey.node.path).toBe('dev/Uploads/Key');
    });

    test('denies every request without TLS', () => {
      // GIVEN
      const env = devEnvironment();
      // WHEN
      bucket(env);
      // THEN
      const policy = configOf(synthStack(env), 'aws_s3_bucket_policy', BUCKET);
      expect(JSON.parse(policy.policy)).toEqual({
        Version: '2012-10-17',
        Statement: [{
          Sid: 'DenyInsecureTransport',
          Effect: 'Deny',
          Principal: '*',
          Action: 's3:*',
          Resource: [ARN, `${ARN}/*`],
          Condition: { Bool: { 'aws:SecureTransport': 'false' } },
        }],
      });
      expect(policy.depends_on).toEqual(['aws_s3_bucket_public_access_block.Uploads_PublicAccessBlock_5612AD59']);
    });

    test('aborts incomplete multipart uploads after 7 days and expires noncurrent versions after 90 days', () => {
      // GIVEN
      const env = devEnvironment();
      // WHEN
      bucket(env);
      // THEN
      const lifecycle = configOf(synthStack(env), 'aws_s3_bucket_lifecycle_configuration', BUCKET);
      expect(lifecycle.rule).toEqual([
        {
          id: 'abort-incomplete-multipart-uploads',
          status: 'Enabled',
          filter: [{}],
          abort_incomplete_multipart_upload: [{ days_after_initiation: 7 }],
        },
        {
          id: 'expire-noncurrent-versions',
          status: 'Enabled',
          filter: [{}],
          noncurrent_version_expiration: [{ noncurrent_days: 90 }],
          expiration: [{ expired_object_delete_marker: true }],
        },
      ]);
      expect(lifecycle.depends_on).toEqual(['aws_s3_bucket_versioning.Uploads_Versioning_8F6A0442']);
    });

    test('logs access to the environment\'s log bucket, under its own name', () => {
      // GIVEN
      const env = devEnvironment();
      // WHEN
      const b = bucket(env);
      // THEN
      expect(configOf(synthStack(env), 'aws_s3_bucket_logging', BUCKET)).toEqual(expect.objectContaining({
        target_bucket: `\${aws_s3_bucket.${LOGS}.id}`,
        target_prefix: `${NAME}/`,
        depends_on: ['aws_s3_bucket_policy.AccessLogs_Policy_3C1D984A'],
      }));
      expect(b.accessLogs).toBe(AccessLogBucket.of(env));
    });

    test('sends object events to EventBridge', () => {
      // GIVEN
      const env = devEnvironment();
      // WHEN
      bucket(env);
      // THEN
      expect(configOf(synthStack(env), 'aws_s3_bucket_notification', BUCKET).eventbridge).toBe(true);
    });

    test('never lets Terraform delete objects', () => {
      // GIVEN
      const env = devEnvironment();
      // WHEN
      bucket(env);
      // THEN
      expect(synthStack(env).resource.aws_s3_bucket[BUCKET].force_destroy).toBe(false);
    });

    test('keeps its Terraform addresses (construct ids are API)', () => {
      // GIVEN
      const env = devEnvironment();
      // WHEN
      bucket(env);
      // THEN
      const stack = synthStack(env);
      const ours = (type: string) => Object.keys(stack.resource[type]).filter(k => k.startsWith('Uploads'));
      expect(ours('aws_s3_bucket')).toEqual([BUCKET]);
      expect(ours('aws_kms_key')).toEqual(['Uploads_Key_EAFA4DCE']);
      expect(ours('aws_s3_bucket_public_access_block')).toEqual(['Uploads_PublicAccessBlock_5612AD59']);
      expect(ours('aws_s3_bucket_ownership_controls')).toEqual(['Uploads_OwnershipControls_64FC7B9A']);
      expect(ours('aws_s3_bucket_versioning')).toEqual(['Uploads_Versioning_8F6A0442']);
      expect(ours('aws_s3_bucket_server_side_encryption_configuration')).toEqual(['Uploads_Encryption_075C37AA']);
      expect(ours('aws_s3_bucket_policy')).toEqual(['Uploads_Policy_CA80B555']);
      expect(ours('aws_s3_bucket_lifecycle_configuration')).toEqual(['Uploads_Lifecycle_6880922C']);
      expect(ours('aws_s3_bucket_logging')).toEqual(['Uploads_AccessLogging_3EA42FD8']);
      expect(ours('aws_s3_bucket_notification')).toEqual(['Uploads_Notification_11DC8B08']);
    });

    test('references only what the stack declares', () => {
      // GIVEN
      const env = devEnvironment();
      // WHEN
      bucket(env).grantReadWrite(identity(env), 'in/');
      // THEN
      expectNoDanglingReferences(synthStack(env));
    });
  });

  describe('DEV vs PROD', () => {
    test('DEV: bucket, key and log bucket can be destroyed (once empty)', () => {
      // GIVEN
      const env = devEnvironment();
      // WHEN
      bucket(env);
      // THEN
      const stack = synthStack(env);
      expect(stack.resource.aws_s3_bucket[BUCKET].lifecycle).toBeUndefined();
      expect(stack.resource.aws_s3_bucket[LOGS].lifecycle).toBeUndefined();
      expect(stack.resource.aws_kms_key.Uploads_Key_EAFA4DCE.lifecycle).toBeUndefined();
    });

    test('PROD: Terraform refuses to destroy bucket, key and log bucket', () => {
      // GIVEN
      const env = prodEnvironment();
      // WHEN
      bucket(env);
      // THEN
      const stack = synthStack(env);
      expect(stack.resource.aws_s3_bucket[BUCKET].lifecycle).toEqual({ prevent_destroy: true });
      expect(stack.resource.aws_s3_bucket[LOGS].lifecycle).toEqual({ prevent_destroy: true });
      expect(stack.resource.aws_kms_key.Uploads_Key_EAFA4DCE.lifecycle).toEqual({ prevent_destroy: true });
    });

    test('records what paved and the profile chose', () => {
      // GIVEN
      const platform = testPlatform();
      // WHEN
      bucket(prodEnvironment(platform));
      // THEN
      const text = report(platform);
      for (const row of [
        '| prod/Uploads | noncurrentVersionExpirationDays | 90 | paved default |',
        '| prod/Uploads | encryptionKey | a key of its own | paved default |',
        '| prod/Uploads | preventDestroy | true | profile prod |',
        '| prod/AccessLogs | retentionDays | 365 | profile prod |',
        '| prod/AccessLogs | preventDestroy | true | profile prod |',
      ]) {
        expect(text).toContain(row);
      }
    });
  });

  describe('overrides', () => {
    test('bucketName', () => {
      // GIVEN
      const env = devEnvironment();
      // WHEN
      const b = bucket(env, { bucketName: 'acme-orders-uploads' });
      // THEN
      expect(synthStack(env).resource.aws_s3_bucket[BUCKET].bucket).toBe('acme-orders-uploads');
      expect(b.bucketArn).toBe('arn:aws:s3:::acme-orders-uploads');
    });

    test('encryptionKey: objects encrypted with the key given, and no key of its own', () => {
      // GIVEN
      const platform = testPlatform();
      const env = devEnvironment(platform);
      const key = new Key(env, 'DataKey', { description: 'Data' });
      // WHEN
      const b = bucket(env, { encryptionKey: key });
      // THEN
      const stack = synthStack(env);
      expect(configOf(stack, 'aws_s3_bucket_server_side_encryption_configuration', BUCKET).rule[0]
        .apply_server_side_encryption_by_default.kms_master_key_id).toBe('${aws_kms_key.DataKey_17AFBB84.arn}');
      expect(Object.keys(stack.resource.aws_kms_key)).toEqual(['DataKey_17AFBB84']);
      expect(b.encryptionKey).toBe(key);
      expect(report(platform)).toContain('| dev/Uploads | encryptionKey | dev/DataKey | **override** |');
    });

    test('noncurrentVersionExpirationDays', () => {
      // GIVEN
      const env = devEnvironment();
      // WHEN
      bucket(env, { noncurrentVersionExpirationDays: 1 });
      // THEN
      expect(configOf(synthStack(env), 'aws_s3_bucket_lifecycle_configuration', BUCKET).rule[1].noncurrent_version_expiration)
        .toEqual([{ noncurrent_days: 1 }]);
    });

    test('preventDestroy false in PROD leaves the log bucket protected', () => {
      // GIVEN
      const env = prodEnvironment();
      // WHEN
      bucket(env, { preventDestroy: false });
      // THEN
      const stack = synthStack(env);
      expect(stack.resource.aws_s3_bucket[BUCKET].lifecycle).toBeUndefined();
      expect(stack.resource.aws_kms_key.Uploads_Key_EAFA4DCE.lifecycle).toBeUndefined();
      expect(stack.resource.aws_s3_bucket[LOGS].lifecycle).toEqual({ prevent_destroy: true });
    });
  });

  describe('grants', () => {
    test('grantRead: get objects, list the bucket, decrypt with its key', () => {
      // GIVEN
      const env = devEnvironment();
      const b = bucket(env);
      // WHEN
      b.grantRead(identity(env));
      // THEN
      expect(grantedStatements(env)).toEqual([
        { Effect: 'Allow', Action: 's3:GetObject', Resource: `${ARN}/*` },
        { Effect: 'Allow', Action: 's3:ListBucket', Resource: ARN },
        { Effect: 'Allow', Action: 'kms:Decrypt', Resource: KEY_ARN },
      ]);
    });

    test('grantReadWrite: get, put, delete objects and abort uploads, list the bucket, encrypt and decrypt with its key', () => {
      // GIVEN
      const env = devEnvironment();
      const b = bucket(env);
      // WHEN
      b.grantReadWrite(identity(env));
      // THEN
      expect(grantedStatements(env)).toEqual([
        { Effect: 'Allow', Action: ['s3:GetObject', 's3:PutObject', 's3:DeleteObject', 's3:AbortMultipartUpload'], Resource: `${ARN}/*` },
        { Effect: 'Allow', Action: 's3:ListBucket', Resource: ARN },
        { Effect: 'Allow', Action: ['kms:Decrypt', 'kms:GenerateDataKey'], Resource: KEY_ARN },
      ]);
    });

    test('grantRead with a prefix: objects under the prefix, listing only keys under it', () => {
      // GIVEN
      const env = devEnvironment();
      const b = bucket(env);
      // WHEN
      b.grantRead(identity(env), 'reports/2025/');
      // THEN
      expect(grantedStatements(env)).toEqual([
        { Effect: 'Allow', Action: 's3:GetObject', Resource: `${ARN}/reports/2025/*` },
        { Effect: 'Allow', Action: 's3:ListBucket', Resource: ARN, Condition: { StringLike: { 's3:prefix': 'reports/2025/*' } } },
        { Effect: 'Allow', Action: 'kms:Decrypt', Resource: KEY_ARN },
      ]);
    });

    test('grantReadWrite with a prefix', () => {
      // GIVEN
      const env = devEnvironment();
      const b = bucket(env);
      // WHEN
      b.grantReadWrite(identity(env), 'incoming/');
      // THEN
      expect(grantedStatements(env)).toEqual([
        { Effect: 'Allow', Action: ['s3:GetObject', 's3:PutObject', 's3:DeleteObject', 's3:AbortMultipartUpload'], Resource: `${ARN}/incoming/*` },
        { Effect: 'Allow', Action: 's3:ListBucket', Resource: ARN, Condition: { StringLike: { 's3:prefix': 'incoming/*' } } },
        { Effect: 'Allow', Action: ['kms:Decrypt', 'kms:GenerateDataKey'], Resource: KEY_ARN },
      ]);
    });
  });

  test('matches the snapshot of a PROD bucket with a grant', () => {
    // GIVEN
    const env = prodEnvironment();
    const b = bucket(env);
    // WHEN
    b.grantReadWrite(identity(env), 'incoming/');
    // THEN
    expect(synthStack(env)).toMatchSnapshot();
  });

  describe('fails when', () => {
    test.each([[0], [-1], [1.5]])('bucket lifecycle days ≤ 0 or fractional: noncurrentVersionExpirationDays is %j', (days) => {
      expect(() => bucket(devEnvironment(), { noncurrentVersionExpirationDays: days }))
        .toThrow(`dev/Uploads: noncurrentVersionExpirationDays: got ${days}; expected a whole number of days greater than 0`);
    });

    test.each([['ab'], ['Orders'], ['orders.uploads'], ['-orders'], ['orders-'], ['x'.repeat(64)], ['xn--orders'],
      ['sthree-orders'], ['amzn-s3-demo-orders'], ['orders-s3alias'], ['orders--ol-s3'], ['orders--x-s3'], ['orders--table-s3']])(
      'bucketName is %j', (bucketName) => {
        expect(() => bucket(devEnvironment(), { bucketName })).toThrow(
          `dev/Uploads: bucketName: got ${JSON.stringify(bucketName)}; expected a literal S3 bucket name: 3-63 lowercase letters, digits and hyphens, `
          + 'starting and ending with a letter or digit, not starting with xn--, sthree-, amzn-s3-demo- nor ending with -s3alias, --ol-s3, --x-s3, --table-s3');
      });

    test('bucketName is a token', () => {
      expect(() => bucket(devEnvironment(), { bucketName: Token.asString({ Ref: 'name' }) }))
        .toThrow('expected a literal S3 bucket name');
    });

    test('bucketName is the log bucket\'s, before the log bucket exists', () => {
      expect(() => bucket(devEnvironment(), { bucketName: LOGS_NAME })).toThrow(
        `dev/Uploads: bucketName: got "${LOGS_NAME}"; expected a name not used by bucket dev/AccessLogs of the same environment`);
    });

    test('bucketName is used by another bucket of the environment, or by the log bucket', () => {
      // GIVEN
      const env = devEnvironment();
      bucket(env, { bucketName: 'acme-orders' });
      // THEN
      expect(() => bucket(env, { bucketName: 'acme-orders' }, 'Other'))
        .toThrow('dev/Other: bucketName: got "acme-orders"; expected a name not used by bucket dev/Uploads of the same environment');
      expect(() => bucket(env, { bucketName: LOGS_NAME }, 'Third'))
        .toThrow(`dev/Third: bucketName: got "${LOGS_NAME}"; expected a name not used by bucket dev/AccessLogs of the same environment`);
    });

    test('encryptionKey is not a Key', () => {
      expect(() => bucket(devEnvironment(), { encryptionKey: 'alias/aws/s3' as any }))
        .toThrow('dev/Uploads: encryptionKey: got "alias/aws/s3"; expected a Key (EnvironmentSecretsKey.of(...) or new Key(...))');
    });

    test('encryptionKey belongs to another environment', () => {
      // GIVEN
      const platform = testPlatform();
      const key = new Key(prodEnvironment(platform), 'DataKey', { description: 'Data' });
      // THEN
      expect(() => bucket(devEnvironment(platform), { encryptionKey: key }))
        .toThrow('dev/Uploads: encryptionKey: got "prod/DataKey"; expected a construct of environment dev, not of environment prod: constructs of one environment never refer to another\'s (each environment is its own account, state and blast radius)');
    });

    test.each([[''], ['reports/*'], ['a?b'], ['/reports'], ['x'.repeat(1025)]])('a grant is given the prefix %j', (prefix) => {
      // GIVEN
      const env = devEnvironment();
      const b = bucket(env);
      const id = identity(env);
      // THEN
      for (const grant of [() => b.grantRead(id, prefix), () => b.grantReadWrite(id, prefix)]) {
        // A value longer than 300 characters is shown cut, with its length.
        const shown = prefix.length > 300 ? `"${'x'.repeat(259)}…" (1025 characters)` : JSON.stringify(prefix);
        expect(grant).toThrow(`dev/Uploads: prefix: got ${shown}; expected a key prefix of 1-1024 characters `
          + 'without "*", "?" or a leading "/", e.g. "reports/" (or no prefix for the whole bucket)');
      }
    });

    test.each([['grantRead'], ['grantReadWrite']] as const)('grant target is not a workload identity (%s)', (method) => {
      // GIVEN
      const b = bucket(devEnvironment());
      // THEN
      expect(() => b[method]({ roleArn: 'arn:aws:iam::123456789012:role/x' } as any)).toThrow(
        'dev/Uploads: grantee: got {"roleArn":"arn:aws:iam::123456789012:role/x"}; expected an IGrantable to grant to (a WorkloadIdentity, cluster.nodeIdentity or Grantee.fromRoleArn(...))');
    });

    test('grant target belongs to another environment', () => {
      // GIVEN
      const platform = testPlatform();
      const b = bucket(devEnvironment(platform));
      const prodIdentity = identity(prodEnvironment(platform));
      // THEN
      expect(() => b.grantRead(prodIdentity)).toThrow(
        'dev/Uploads: grantee: got "construct prod/Identity"; expected a grantee of environment "dev", not of "prod"');
    });

    test('tokens are accepted where references are allowed', () => {
      // GIVEN
      const env = devEnvironment();
      // THEN
      expect(() => bucket(env, { noncurrentVersionExpirationDays: Token.asNumber({ Ref: 'days' }) })
        .grantRead(identity(env), Token.asString({ Ref: 'prefix' }))).not.toThrow();
    });
  });
});

describe('Bucket.fromAttributes', () => {
  function importer(env: Environment): WorkloadIdentity {
    const cluster = Cluster.fromAttributes(env, 'Cluster', { clusterName: 'dev-main', nodeSecurityGroupId: 'sg-0123456789abcdef0' });
    return new WorkloadIdentity(env, 'ImporterIdentity', { cluster, namespace: 'shop', serviceAccount: 'importer' });
  }

  test('imports a bucket by name, in the environment\'s region unless told otherwise; nothing is created', () => {
    // GIVEN
    const env = devEnvironment();
    // WHEN
    const here = Bucket.fromAttributes(env, 'Here', { bucketName: 'acme-reports' });
    const there = Bucket.fromAttributes(env, 'There', { bucketName: 'acme.archive', region: 'us-east-1' });
    // THEN
    expect(here.bucketArn).toBe('arn:aws:s3:::acme-reports');
    expect(here.region).toBe('eu-central-1');
    expect(there.endpoint).toBe('https://s3.us-east-1.amazonaws.com');
    expect(synthStack(env).resource).toBeUndefined();
  });

  test('grants on an SSE-S3 bucket name no key; with a key ARN they include it', () => {
    // GIVEN
    const env = devEnvironment();
    const grantee = importer(env);
    const keyArn = 'arn:aws:kms:eu-central-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab';
    // WHEN
    const plain = Bucket.fromAttributes(env, 'Plain', { bucketName: 'acme-reports' }).grantRead(grantee, 'daily/');
    const encrypted = Bucket.fromAttributes(env, 'Encrypted', { bucketName: 'acme-secure', encryptionKeyArn: keyArn }).grantReadWrite(grantee);
    // THEN
    expect(plain.statements).toEqual([
      { actions: ['s3:GetObject'], resources: ['arn:aws:s3:::acme-reports/daily/*'] },
      { actions: ['s3:ListBucket'], resources: ['arn:aws:s3:::acme-reports'], conditions: [{ test: 'StringLike', variable: 's3:prefix', values: ['daily/*'] }] },
    ]);
    expect(encrypted.statements[2]).toEqual({ actions: ['kms:Decrypt', 'kms:GenerateDataKey'], resources: [keyArn] });
  });

  test.each([['Acme'], ['a'], ['acme_reports']])('fails when the bucket name is %j', bucketName => {
    expect(() => Bucket.fromAttributes(devEnvironment(), 'Imported', { bucketName })).toThrow(
      `dev/Imported: bucketName: got ${JSON.stringify(bucketName)}; expected a literal S3 bucket name: 3-63 lowercase letters, digits, dots and hyphens`);
  });

  test('fails when the region is not an AWS region', () => {
    expect(() => Bucket.fromAttributes(devEnvironment(), 'Imported', { bucketName: 'acme-reports', region: 'eu-central-9' }))
      .toThrow('dev/Imported: region: got "eu-central-9"; expected an AWS region');
  });

  test('fails when the key ARN is not a KMS key ARN', () => {
    expect(() => Bucket.fromAttributes(devEnvironment(), 'Imported', { bucketName: 'acme-reports', encryptionKeyArn: 'x' }))
      .toThrow('dev/Imported: encryptionKeyArn: got "x"; expected a KMS key ARN');
  });
});
