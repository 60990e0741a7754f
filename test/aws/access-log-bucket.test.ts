import { Environment, Profile, TerraformState } from '../../lib';
import { AccessLogBucket } from '../../lib/aws/access-log-bucket';
import { Bucket, BucketProps } from '../../lib/aws/bucket';
import { devEnvironment, resourcesOf, synthStack, testPlatform } from '../support/synth';

const BUCKET = 'Uploads_4F6EB0FD';
const LOGS = 'AccessLogs_8B620ECA';
const LOGS_NAME = 'dev-access-logs-1ff32a';
const LOGS_ARN = `arn:aws:s3:::${LOGS_NAME}`;

function bucket(env: Environment, props: BucketProps = {}, id: string = 'Uploads'): Bucket {
  return new Bucket(env, id, props);
}


/** The resource of `type` that configures the bucket at Terraform address `address` (`Uploads_...`). */
function configOf(stack: any, type: string, bucketAddress: string): any {
  const found = resourcesOf(stack, type).filter(r => r.bucket === `\${aws_s3_bucket.${bucketAddress}.id}`);
  if (found.length !== 1) { throw new Error(`expected one ${type} of ${bucketAddress}, found ${found.length}`); }
  return found[0];
}


describe('AccessLogBucket', () => {
  test('is created once per environment, under the environment', () => {
    // GIVEN
    const env = devEnvironment();
    // WHEN
    const first = bucket(env);
    const second = bucket(env, {}, 'Reports');
    // THEN
    const stack = synthStack(env);
    expect(Object.keys(stack.resource.aws_s3_bucket).sort()).toEqual([LOGS, 'Reports_65402A0A', BUCKET]);
    expect(first.accessLogs).toBe(second.accessLogs);
    expect(first.accessLogs.node.path).toBe('dev/AccessLogs');
    expect(stack.resource.aws_s3_bucket[LOGS]).toEqual(expect.objectContaining({ bucket: LOGS_NAME, force_destroy: false }));
    expect(first.accessLogs.bucketArn).toBe(LOGS_ARN);
  });

  test('does not exist without a bucket', () => {
    // GIVEN
    const env = devEnvironment();
    // THEN
    expect(env.node.tryFindChild('AccessLogs')).toBeUndefined();
  });

  test('blocks public access, disables ACLs, keeps versions and sends events to EventBridge', () => {
    // GIVEN
    const env = devEnvironment();
    // WHEN
    bucket(env);
    // THEN
    const stack = synthStack(env);
    expect(configOf(stack, 'aws_s3_bucket_public_access_block', LOGS)).toEqual(expect.objectContaining({
      block_public_acls: true, block_public_policy: true, ignore_public_acls: true, restrict_public_buckets: true,
    }));
    expect(configOf(stack, 'aws_s3_bucket_ownership_controls', LOGS).rule).toEqual({ object_ownership: 'BucketOwnerEnforced' });
    expect(configOf(stack, 'aws_s3_bucket_versioning', LOGS).versioning_configuration).toEqual({ status: 'Enabled' });
    expect(configOf(stack, 'aws_s3_bucket_notification', LOGS).eventbridge).toBe(true);
  });

  test('is encrypted with SSE-S3, which S3 server access logging can deliver to', () => {
    // GIVEN
    const env = devEnvironment();
    // WHEN
    bucket(env);
    // THEN
    expect(configOf(synthStack(env), 'aws_s3_bucket_server_side_encryption_configuration', LOGS).rule)
      .toEqual([{ apply_server_side_encryption_by_default: { sse_algorithm: 'AES256' } }]);
  });

  test('denies requests without TLS and lets only S3 logging of the account write', () => {
    // GIVEN
    const env = devEnvironment();
    // WHEN
    bucket(env);
    // THEN
    expect(JSON.parse(configOf(synthStack(env), 'aws_s3_bucket_policy', LOGS).policy)).toEqual({
      Version: '2012-10-17',
      Statement: [
        {
          Sid: 'DenyInsecureTransport',
          Effect: 'Deny',
          Principal: '*',
          Action: 's3:*',
          Resource: [LOGS_ARN, `${LOGS_ARN}/*`],
          Condition: { Bool: { 'aws:SecureTransport': 'false' } },
        },
        {
          Sid: 'S3ServerAccessLogs',
          Effect: 'Allow',
          Principal: { Service: 'logging.s3.amazonaws.com' },
          Action: 's3:PutObject',
          Resource: `${LOGS_ARN}/*`,
          Condition: { StringEquals: { 'aws:SourceAccount': '123456789012' } },
        },
      ],
    });
  });

  test('expires logs after the profile\'s log retention, their old versions 90 days later', () => {
    // GIVEN
    const env = new Environment(testPlatform(), 'dev', {
      account: '123456789012', region: 'eu-central-1', profile: Profile.DEV.with({ logRetentionDays: 90 }), state: TerraformState.local(),
    });
    // WHEN
    bucket(env);
    // THEN
    expect(configOf(synthStack(env), 'aws_s3_bucket_lifecycle_configuration', LOGS).rule).toEqual([
      {
        id: 'abort-incomplete-multipart-uploads',
        status: 'Enabled',
        filter: [{}],
        abort_incomplete_multipart_upload: [{ days_after_initiation: 7 }],
      },
      {
        id: 'expire-logs',
        status: 'Enabled',
        filter: [{}],
        expiration: [{ days: 90 }],
        noncurrent_version_expiration: [{ noncurrent_days: 90 }],
      },
    ]);
    expect(AccessLogBucket.of(env).retentionDays).toBe(90);
  });
});
