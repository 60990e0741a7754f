import type { S3Bucket } from '@cdktf/provider-aws/lib/s3-bucket';
import type { S3BucketLifecycleConfigurationRule } from '@cdktf/provider-aws/lib/s3-bucket-lifecycle-configuration';
import type { S3BucketNotification } from '@cdktf/provider-aws/lib/s3-bucket-notification';
import type { S3BucketOwnershipControls } from '@cdktf/provider-aws/lib/s3-bucket-ownership-controls';
import type { S3BucketPolicy } from '@cdktf/provider-aws/lib/s3-bucket-policy';
import type { S3BucketPublicAccessBlock } from '@cdktf/provider-aws/lib/s3-bucket-public-access-block';
import type { S3BucketVersioningA } from '@cdktf/provider-aws/lib/s3-bucket-versioning';
import { Construct } from 'constructs';
import { lazyModule } from '../core/lazy-module';

const s3BucketNotificationLib = lazyModule<typeof import('@cdktf/provider-aws/lib/s3-bucket-notification')>('@cdktf/provider-aws/lib/s3-bucket-notification');
const s3BucketOwnershipControlsLib = lazyModule<typeof import('@cdktf/provider-aws/lib/s3-bucket-ownership-controls')>('@cdktf/provider-aws/lib/s3-bucket-ownership-controls');
const s3BucketPolicyLib = lazyModule<typeof import('@cdktf/provider-aws/lib/s3-bucket-policy')>('@cdktf/provider-aws/lib/s3-bucket-policy');
const s3BucketPublicAccessBlockLib = lazyModule<typeof import('@cdktf/provider-aws/lib/s3-bucket-public-access-block')>('@cdktf/provider-aws/lib/s3-bucket-public-access-block');
const s3BucketVersioningLib = lazyModule<typeof import('@cdktf/provider-aws/lib/s3-bucket-versioning')>('@cdktf/provider-aws/lib/s3-bucket-versioning');

/** Days noncurrent object versions are kept by default. @internal */
export const DEFAULT_NONCURRENT_VERSION_EXPIRATION_DAYS = 90;
/** Parts of a multipart upload left behind by failed clients cost storage until aborted. */
const ABORT_INCOMPLETE_MULTIPART_UPLOAD_DAYS = 7;

/**
 * The settings every paved bucket shares: public access block, owner
 * enforced, versioning, a policy that denies requests without TLS (plus
 * `extraStatements`) and object events sent to EventBridge.
 * @internal
 */
export function protectBucket(scope: Construct, bucket: S3Bucket, bucketArn: string, extraStatements: object[] = []): {
  publicAccessBlock: S3BucketPublicAccessBlock;
  ownershipControls: S3BucketOwnershipControls;
  versioning: S3BucketVersioningA;
  policy: S3BucketPolicy;
  notification: S3BucketNotification;
} {
  const publicAccessBlock = new s3BucketPublicAccessBlockLib.S3BucketPublicAccessBlock(scope, 'PublicAccessBlock', {
    bucket: bucket.id,
    blockPublicAcls: true,
    blockPublicPolicy: true,
    ignorePublicAcls: true,
    restrictPublicBuckets: true,
  });
  const ownershipControls = new s3BucketOwnershipControlsLib.S3BucketOwnershipControls(scope, 'OwnershipControls', {
    bucket: bucket.id,
    rule: { objectOwnership: 'BucketOwnerEnforced' },
  });
  const versioning = new s3BucketVersioningLib.S3BucketVersioningA(scope, 'Versioning', {
    bucket: bucket.id,
    versioningConfiguration: { status: 'Enabled' },
  });
  const policy = new s3BucketPolicyLib.S3BucketPolicy(scope, 'Policy', {
    bucket: bucket.id,
    policy: JSON.stringify({
      Version: '2012-10-17',
      Statement: [
        {
          Sid: 'DenyInsecureTransport',
          Effect: 'Deny',
          Principal: '*',
          Action: 's3:*',
          Resource: [bucketArn, `${bucketArn}/*`],
          Condition: { Bool: { 'aws:SecureTransport': 'false' } },
        },
        ...extraStatements,
      ],
    }),
    // S3 aborts concurrent changes to a bucket's public access block and policy (OperationAborted).
    dependsOn: [publicAccessBlock],
  });
  // Object events on EventBridge cost nothing and let the platform react (scanning, indexing,
  // alerting on deletions) with rules of its own, without touching the bucket.
  const notification = new s3BucketNotificationLib.S3BucketNotification(scope, 'Notification', {
    bucket: bucket.id,
    eventbridge: true,
  });
  return { publicAccessBlock, ownershipControls, versioning, policy, notification };
}

/** The lifecycle rule every paved bucket has. @internal */
export function abortIncompleteMultipartUploads(): S3BucketLifecycleConfigurationRule {
  return {
    id: 'abort-incomplete-multipart-uploads',
    status: 'Enabled',
    filter: [{}],
    abortIncompleteMultipartUpload: [{ daysAfterInitiation: ABORT_INCOMPLETE_MULTIPART_UPLOAD_DAYS }],
  };
}
