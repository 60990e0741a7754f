import type { S3Bucket } from '@cdktf/provider-aws/lib/s3-bucket';
import type { S3BucketLifecycleConfiguration } from '@cdktf/provider-aws/lib/s3-bucket-lifecycle-configuration';
import type { S3BucketNotification } from '@cdktf/provider-aws/lib/s3-bucket-notification';
import type { S3BucketOwnershipControls } from '@cdktf/provider-aws/lib/s3-bucket-ownership-controls';
import type { S3BucketPolicy } from '@cdktf/provider-aws/lib/s3-bucket-policy';
import type { S3BucketPublicAccessBlock } from '@cdktf/provider-aws/lib/s3-bucket-public-access-block';
import type { S3BucketServerSideEncryptionConfigurationA } from '@cdktf/provider-aws/lib/s3-bucket-server-side-encryption-configuration';
import type { S3BucketVersioningA } from '@cdktf/provider-aws/lib/s3-bucket-versioning';
import { TerraformResource } from 'cdktf';
import { Construct } from 'constructs';
import { DEFAULT_NONCURRENT_VERSION_EXPIRATION_DAYS, abortIncompleteMultipartUploads, protectBucket } from './bucket-common';
import { checkArguments } from '../core/api-guard';
import { Environment } from '../core/environment';
import { lazyModule } from '../core/lazy-module';
import { LookupKey } from '../core/lookup';
import { Naming } from '../core/naming';
import { Platform } from '../core/platform';

const s3BucketLib = lazyModule<typeof import('@cdktf/provider-aws/lib/s3-bucket')>('@cdktf/provider-aws/lib/s3-bucket');
const s3BucketLifecycleConfigurationLib = lazyModule<typeof import('@cdktf/provider-aws/lib/s3-bucket-lifecycle-configuration')>('@cdktf/provider-aws/lib/s3-bucket-lifecycle-configuration');
const s3BucketServerSideEncryptionConfigurationLib = lazyModule<typeof import('@cdktf/provider-aws/lib/s3-bucket-server-side-encryption-configuration')>('@cdktf/provider-aws/lib/s3-bucket-server-side-encryption-configuration');

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
  /** @internal */
  public readonly _resource: S3Bucket;
  /** The bucket, for escape hatches. */
  public get resource(): TerraformResource {
    return this._resource;
  }
  /** @internal */
  public readonly _publicAccessBlock: S3BucketPublicAccessBlock;
  /** The public access block, for escape hatches. */
  public get publicAccessBlock(): TerraformResource {
    return this._publicAccessBlock;
  }
  /** @internal */
  public readonly _ownershipControls: S3BucketOwnershipControls;
  /** The object ownership controls, for escape hatches. */
  public get ownershipControls(): TerraformResource {
    return this._ownershipControls;
  }
  /** @internal */
  public readonly _versioning: S3BucketVersioningA;
  /** The versioning configuration, for escape hatches. */
  public get versioning(): TerraformResource {
    return this._versioning;
  }
  /** @internal */
  public readonly _encryption: S3BucketServerSideEncryptionConfigurationA;
  /** The default encryption configuration (SSE-S3), for escape hatches. */
  public get encryption(): TerraformResource {
    return this._encryption;
  }
  /** @internal */
  public readonly _policy: S3BucketPolicy;
  /** The bucket policy (TLS only; the S3 logging service may write), for escape hatches. */
  public get policy(): TerraformResource {
    return this._policy;
  }
  /** @internal */
  public readonly _lifecycle: S3BucketLifecycleConfiguration;
  /** The lifecycle configuration, for escape hatches. */
  public get lifecycle(): TerraformResource {
    return this._lifecycle;
  }
  /** @internal */
  public readonly _notification: S3BucketNotification;
  /** The bucket's notification configuration (events to EventBridge), for escape hatches. */
  public get notification(): TerraformResource {
    return this._notification;
  }

  private constructor(env: Environment) {
    super(env, AccessLogBucket.ID);
    const platform = Platform.of(this);
    const profile = env.profile;
    this.bucketName = AccessLogBucket.bucketNameOf(env);
    this.bucketArn = `arn:${env.partition}:s3:::${this.bucketName}`;
    this.retentionDays = profile.logRetentionDays;
    platform.recordDefault(this, 'retentionDays', String(this.retentionDays), `profile ${profile.name}`);
    platform.recordDefault(this, 'preventDestroy', String(profile.preventDestroy), `profile ${profile.name}`);

    this._resource = new s3BucketLib.S3Bucket(this, 'Resource', {
      bucket: this.bucketName,
      forceDestroy: false,
      lifecycle: profile.preventDestroy ? { preventDestroy: true } : undefined,
    });
    const common = protectBucket(this, this._resource, this.bucketArn, [{
      Sid: 'S3ServerAccessLogs',
      Effect: 'Allow',
      Principal: { Service: LOGGING_SERVICE },
      Action: 's3:PutObject',
      Resource: `${this.bucketArn}/*`,
      // Confused-deputy guard: only logs of buckets in the environment's account.
      Condition: { StringEquals: { 'aws:SourceAccount': env.account } },
    }]);
    this._publicAccessBlock = common.publicAccessBlock;
    this._ownershipControls = common.ownershipControls;
    this._versioning = common.versioning;
    this._policy = common.policy;
    this._notification = common.notification;

    this._encryption = new s3BucketServerSideEncryptionConfigurationLib.S3BucketServerSideEncryptionConfigurationA(this, 'Encryption', {
      bucket: this._resource.id,
      rule: [{ applyServerSideEncryptionByDefault: { sseAlgorithm: 'AES256' } }],
    });

    this._lifecycle = new s3BucketLifecycleConfigurationLib.S3BucketLifecycleConfiguration(this, 'Lifecycle', {
      bucket: this._resource.id,
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
      dependsOn: [this._versioning],
    });
  }
}