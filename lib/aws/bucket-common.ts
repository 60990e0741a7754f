import { S3Bucket } from '@cdktf/provider-aws/lib/s3-bucket';
import { S3BucketLifecycleConfigurationRule } from '@cdktf/provider-aws/lib/s3-bucket-lifecycle-configuration';
import { S3BucketNotification } from '@cdktf/provider-aws/lib/s3-bucket-notification';
import { S3BucketOwnershipControls } from '@cdktf/provider-aws/lib/s3-bucket-ownership-controls';
import { S3BucketPolicy } from '@cdktf/provider-aws/lib/s3-bucket-policy';
import { S3BucketPublicAccessBlock } from '@cdktf/provider-aws/lib/s3-bucket-public-access-block';
import { S3BucketVersioningA } from '@cdktf/provider-aws/lib/s3-bucket-versioning';
import { Construct } from 'constructs';

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
  const publicAccessBlock = new S3BucketPublicAccessBlock(scope, 'PublicAccessBlock', {
    bucket: bucket.id,
    blockPublicAcls: true,
    blockPublicPolicy: true,
    ignorePublicAcls: true,
    restrictPublicBuckets: true,
  });
  const ownershipControls = new S3BucketOwnershipControls(scope, 'OwnershipControls', {
    bucket: bucket.id,
    rule: { objectOwnership: 'BucketOwnerEnforced' },
  });
  const versioning = new S3BucketVersioningA(scope, 'Versioning', {
    bucket: bucket.id,
    versioningConfiguration: { status: 'Enabled' },
  });
  const policy = new S3BucketPolicy(scope, 'Policy', {
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
  const notification = new S3BucketNotification(scope, 'Notification', {
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
