import { S3Bucket } from '@cdktf/provider-aws/lib/s3-bucket';
import { S3BucketLifecycleConfiguration } from '@cdktf/provider-aws/lib/s3-bucket-lifecycle-configuration';
import { S3BucketNotification } from '@cdktf/provider-aws/lib/s3-bucket-notification';
import { S3BucketOwnershipControls } from '@cdktf/provider-aws/lib/s3-bucket-ownership-controls';
import { S3BucketPolicy } from '@cdktf/provider-aws/lib/s3-bucket-policy';
import { S3BucketPublicAccessBlock } from '@cdktf/provider-aws/lib/s3-bucket-public-access-block';
import { S3BucketServerSideEncryptionConfigurationA } from '@cdktf/provider-aws/lib/s3-bucket-server-side-encryption-configuration';
import { S3BucketVersioningA } from '@cdktf/provider-aws/lib/s3-bucket-versioning';
import { Construct } from 'constructs';
import { DEFAULT_NONCURRENT_VERSION_EXPIRATION_DAYS, abortIncompleteMultipartUploads, protectBucket } from './bucket-common';
import { checkArguments } from '../core/api-guard';
import { Environment } from '../core/environment';
import { LookupKey } from '../core/lookup';
import { Naming } from '../core/naming';
import { Platform } from '../core/platform';

const LOGGING_SERVICE = 'logging.s3.amazonaws.com';
const ACCESS_LOG_BUCKET = new LookupKey<AccessLogBucket>('access-log-bucket');

/**
 * The one bucket per environment that receives the S3 server access logs of
 * every {@link Bucket} of the environment (each under the prefix
 * `<bucket name>/`). Created with the first bucket, at construct id
 * `AccessLogs` under the environment.
 *
 * Public access blocked, ACLs disabled, versioned, TLS only, object events
 * to EventBridge (a deleted log is a tampering signal), `prevent_destroy`
 * from the profile. Encrypted with SSE-S3 because S3 server access logging
 * cannot deliver to a bucket whose default encryption is SSE-KMS. Only the
 * S3 logging service of the environment's account may write to it. Logs
 * expire after the profile's `logRetentionDays`; overwritten or deleted log
 * versions 90 days later.
 */
export class AccessLogBucket extends Construct {
  /** Construct id of the environment's log bucket: part of its Terraform address. */
  public static readonly ID = 'AccessLogs';

  /** Name of the log bucket of `env`: `<env>-access-logs-<hash of account and region>`. */
  public static bucketNameOf(env: Environment): string {
    checkArguments('AccessLogBucket.bucketNameOf', arguments);
    return Naming.bucketName([env.name, 'access', 'logs'], env.account, env.region);
  }

  /** The log bucket of `env`, created on first use. */
  public static of(env: Environment): AccessLogBucket {
    checkArguments('AccessLogBucket.of', arguments);
    return env._lookup.singleton(ACCESS_LOG_BUCKET, AccessLogBucket.ID, () => new AccessLogBucket(env));
  }

  /** Name of the log bucket. */
  public readonly bucketName: string;
  /** ARN of the log bucket, known at synth time. */
  public readonly bucketArn: string;
  /** Days logs are kept. */
  public readonly retentionDays: number;
  /** The bucket, for escape hatches. */
  public readonly resource: S3Bucket;
  /** The public access block, for escape hatches. */
  public readonly publicAccessBlock: S3BucketPublicAccessBlock;
  /** The object ownership controls, for escape hatches. */
  public readonly ownershipControls: S3BucketOwnershipControls;
  /** The versioning configuration, for escape hatches. */
  public readonly versioning: S3BucketVersioningA;
  /** The default encryption configuration (SSE-S3), for escape hatches. */
  public readonly encryption: S3BucketServerSideEncryptionConfigurationA;
  /** The bucket policy (TLS only; the S3 logging service may write), for escape hatches. */
  public readonly policy: S3BucketPolicy;
  /** The lifecycle configuration, for escape hatches. */
  public readonly lifecycle: S3BucketLifecycleConfiguration;
  /** The bucket's notification configuration (events to EventBridge), for escape hatches. */
  public readonly notification: S3BucketNotification;

  private constructor(env: Environment) {
    super(env, AccessLogBucket.ID);
    const platform = Platform.of(this);
    const profile = env.profile;
    this.bucketName = AccessLogBucket.bucketNameOf(env);
    this.bucketArn = `arn:${env.partition}:s3:::${this.bucketName}`;
    this.retentionDays = profile.logRetentionDays;
    platform.recordDefault(this, 'retentionDays', String(this.retentionDays), `profile ${profile.name}`);
    platform.recordDefault(this, 'preventDestroy', String(profile.preventDestroy), `profile ${profile.name}`);

    this.resource = new S3Bucket(this, 'Resource', {
      bucket: this.bucketName,
      forceDestroy: false,
      lifecycle: profile.preventDestroy ? { preventDestroy: true } : undefined,
    });
    const common = protectBucket(this, this.resource, this.bucketArn, [{
      Sid: 'S3ServerAccessLogs',
      Effect: 'Allow',
      Principal: { Service: LOGGING_SERVICE },
      Action: 's3:PutObject',
      Resource: `${this.bucketArn}/*`,
      // Confused-deputy guard: only logs of buckets in the environment's account.
      Condition: { StringEquals: { 'aws:SourceAccount': env.account } },
    }]);
    this.publicAccessBlock = common.publicAccessBlock;
    this.ownershipControls = common.ownershipControls;
    this.versioning = common.versioning;
    this.policy = common.policy;
    this.notification = common.notification;

    this.encryption = new S3BucketServerSideEncryptionConfigurationA(this, 'Encryption', {
      bucket: this.resource.id,
      rule: [{ applyServerSideEncryptionByDefault: { sseAlgorithm: 'AES256' } }],
    });

    this.lifecycle = new S3BucketLifecycleConfiguration(this, 'Lifecycle', {
      bucket: this.resource.id,
      rule: [
        abortIncompleteMultipartUploads(),
        {
          id: 'expire-logs',
          status: 'Enabled',
          filter: [{}],
          expiration: [{ days: this.retentionDays }],
          noncurrentVersionExpiration: [{ noncurrentDays: DEFAULT_NONCURRENT_VERSION_EXPIRATION_DAYS }],
        },
      ],
      dependsOn: [this.versioning],
    });
  }
}