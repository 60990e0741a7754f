import type { S3Bucket } from '@cdktf/provider-aws/lib/s3-bucket';
import type { S3BucketLifecycleConfiguration } from '@cdktf/provider-aws/lib/s3-bucket-lifecycle-configuration';
import type { S3BucketLoggingA } from '@cdktf/provider-aws/lib/s3-bucket-logging';
import type { S3BucketNotification } from '@cdktf/provider-aws/lib/s3-bucket-notification';
import type { S3BucketOwnershipControls } from '@cdktf/provider-aws/lib/s3-bucket-ownership-controls';
import type { S3BucketPolicy } from '@cdktf/provider-aws/lib/s3-bucket-policy';
import type { S3BucketPublicAccessBlock } from '@cdktf/provider-aws/lib/s3-bucket-public-access-block';
import type { S3BucketServerSideEncryptionConfigurationA } from '@cdktf/provider-aws/lib/s3-bucket-server-side-encryption-configuration';
import type { S3BucketVersioningA } from '@cdktf/provider-aws/lib/s3-bucket-versioning';
import { TerraformResource, TerraformStack, Token } from 'cdktf';
import { Construct, IConstruct } from 'constructs';
import { AccessLogBucket } from './access-log-bucket';
import { BucketAttributes, BucketBase, IBucket, ImportedBucket } from './bucket-base';
import { DEFAULT_NONCURRENT_VERSION_EXPIRATION_DAYS, abortIncompleteMultipartUploads, protectBucket } from './bucket-common';
import { Key } from './key';
import { checkArguments, checkedScope } from '../core/api-guard';
import { Environment, pathBelowStack } from '../core/environment';
import { invalid } from '../core/errors';
import { lazyModule } from '../core/lazy-module';
import { LookupKey } from '../core/lookup';
import { Naming } from '../core/naming';
import { Platform } from '../core/platform';
import { dnsSuffixOf } from '../core/regions';

const s3BucketLib = lazyModule<typeof import('@cdktf/provider-aws/lib/s3-bucket')>('@cdktf/provider-aws/lib/s3-bucket');
const s3BucketLifecycleConfigurationLib = lazyModule<typeof import('@cdktf/provider-aws/lib/s3-bucket-lifecycle-configuration')>('@cdktf/provider-aws/lib/s3-bucket-lifecycle-configuration');
const s3BucketLoggingLib = lazyModule<typeof import('@cdktf/provider-aws/lib/s3-bucket-logging')>('@cdktf/provider-aws/lib/s3-bucket-logging');
const s3BucketServerSideEncryptionConfigurationLib = lazyModule<typeof import('@cdktf/provider-aws/lib/s3-bucket-server-side-encryption-configuration')>('@cdktf/provider-aws/lib/s3-bucket-server-side-encryption-configuration');

/** Properties of a {@link Bucket}. */
export interface BucketProps {
  /**
   * Name of the bucket, unique across AWS: 3-63 lowercase letters, digits
   * and hyphens, starting and ending with a letter or digit (no dots: they
   * break TLS of virtual-hosted URLs). Changing it replaces the bucket.
   * @default - `<env>-<construct path below the environment>-<hash of account and region>`, shortened with a hash beyond 63 characters
   */
  readonly bucketName?: string;
  /**
   * Customer managed KMS key objects are encrypted with (SSE-KMS with an S3
   * bucket key); must belong to the same environment.
   * @default - a key of the bucket's own (`Key`, alias `s3/<bucket name>`)
   */
  readonly encryptionKey?: Key;
  /**
   * Days an overwritten or deleted object version is kept before S3
   * deletes it for good (a whole number greater than 0).
   * @default 90
   */
  readonly noncurrentVersionExpirationDays?: number;
  /**
   * Set Terraform's `lifecycle.prevent_destroy` on the bucket and its key.
   * @default - the environment profile's `preventDestroy` (DEV false, PROD true)
   */
  readonly preventDestroy?: boolean;
}

const BUCKET_NAME = /^[a-z0-9][a-z0-9-]{1,61}[a-z0-9]$/;
/** Prefixes and suffixes S3 reserves for its own bucket kinds. */
const RESERVED_PREFIXES = ['xn--', 'sthree-', 'amzn-s3-demo-'];
const RESERVED_SUFFIXES = ['-s3alias', '--ol-s3', '--x-s3', '--table-s3'];
/** Bucket names taken in an environment. @internal */
export const BUCKET_NAMES = new LookupKey<IConstruct>('bucket-names');

/**
 * A private S3 bucket: encrypted with a customer managed key, versioned,
 * reachable only over TLS, its access logged.
 *
 * Secure and data-safe defaults:
 * - all four public access block settings on; object ownership
 *   `BucketOwnerEnforced` (ACLs disabled);
 * - SSE-KMS with a key of its own (or the one given) and an S3 bucket key,
 *   which cuts KMS requests and cost;
 * - a bucket policy that denies every request not made over TLS;
 * - versioning; noncurrent versions expire after `noncurrentVersionExpirationDays`
 *   (90), expired delete markers are removed, incomplete multipart uploads
 *   are aborted after 7 days;
 * - server access logs to the environment's one log bucket ({@link AccessLogBucket});
 * - object events sent to EventBridge (free), for the platform's own rules;
 * - `force_destroy` off (Terraform never deletes objects), and
 *   `prevent_destroy` on bucket and key from the profile (PROD);
 * - least-privilege grants, optionally limited to a key prefix.
 *
 * Name and ARN are literals known at synth time.
 *
 * @example
 * const uploads = new Bucket(env, 'Uploads');
 * uploads.grantReadWrite(identity, 'incoming/');
 */
export class Bucket extends BucketBase {
  /**
   * An existing bucket, by name: for grants (`grantRead`, `grantReadWrite`).
   * Nothing is created.
   */
  public static fromAttributes(scope: Construct, id: string, attrs: BucketAttributes): IBucket {
    checkArguments('Bucket.fromAttributes', arguments);
    return new ImportedBucket(scope, id, attrs);
  }

  /** Name of the bucket. */
  public readonly bucketName: string;
  /** ARN of the bucket, `arn:<partition>:s3:::<name>`, known at synth time. */
  public readonly bucketArn: string;
  /** AWS region of the bucket. */
  public readonly region: string;
  /** The regional S3 endpoint, `https://s3.<region>.<domain>`. */
  public readonly endpoint: string;
  /** The key objects are encrypted with (the bucket's own unless one was given). */
  public readonly encryptionKey: Key;
  /** ARN of `encryptionKey` (always set: the bucket has a key of its own or the one given). */
  public readonly encryptionKeyArn?: string;
  /** The environment's log bucket the access logs go to. */
  public readonly accessLogs: AccessLogBucket;
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
  /** The default encryption configuration, for escape hatches. */
  public get encryption(): TerraformResource {
    return this._encryption;
  }
  /** @internal */
  public readonly _policy: S3BucketPolicy;
  /** The TLS-only bucket policy, for escape hatches. */
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
  public readonly _logging: S3BucketLoggingA;
  /** The access logging configuration, for escape hatches. */
  public get logging(): TerraformResource {
    return this._logging;
  }
  /** @internal */
  public readonly _notification: S3BucketNotification;
  /**
   * The bucket's notification configuration (events to EventBridge), for
   * escape hatches. S3 keeps one per bucket: add queue, topic or Lambda
   * destinations here rather than in a second `aws_s3_bucket_notification`.
   */
  public get notification(): TerraformResource {
    return this._notification;
  }

  constructor(scope: Construct, id: string, props: BucketProps = {}) {
    super(checkedScope(scope, 'Bucket', arguments), id);
    const env = Environment.containing(this);
    const platform = Platform.of(this);

    const relative = pathBelowStack(this).map(s => s.toLowerCase());
    const bucketName = props.bucketName ?? Naming.bucketName([env.name, ...relative], env.account, env.region);
    validateBucketName(this, 'bucketName', bucketName);
    // The log bucket may not exist yet, but its name is already spoken for.
    const taken = bucketName === AccessLogBucket.bucketNameOf(env) ? `${env.node.path}/${AccessLogBucket.ID}`
      : env._lookup.claim(BUCKET_NAMES, bucketName, this)?.node.path;
    if (taken) {
      throw invalid(this, 'bucketName', bucketName, `a name not used by bucket ${taken} of the same environment`);
    }
    const noncurrentDays = props.noncurrentVersionExpirationDays ?? DEFAULT_NONCURRENT_VERSION_EXPIRATION_DAYS;
    if (!Token.isUnresolved(noncurrentDays) && (typeof noncurrentDays !== 'number' || !Number.isInteger(noncurrentDays) || noncurrentDays <= 0)) {
      throw invalid(this, 'noncurrentVersionExpirationDays', noncurrentDays, 'a whole number of days greater than 0');
    }
    const preventDestroy = props.preventDestroy ?? env.profile.preventDestroy;
    this.validateKey(env, props.encryptionKey);

    const source = (given: unknown) => given === undefined ? 'paved default' : 'override';
    platform.recordDefault(this, 'noncurrentVersionExpirationDays', String(noncurrentDays), source(props.noncurrentVersionExpirationDays));
    platform.recordDefault(this, 'encryptionKey', props.encryptionKey ? props.encryptionKey.node.path : 'a key of its own', source(props.encryptionKey));
    platform.recordDefault(this, 'preventDestroy', String(preventDestroy),
      props.preventDestroy === undefined ? `profile ${env.profile.name}` : 'override');

    this.bucketName = bucketName;
    this.bucketArn = `arn:${env.partition}:s3:::${bucketName}`;
    this.region = env.region;
    this.endpoint = `https://s3.${env.region}.${dnsSuffixOf(env.partition)}`;
    this.encryptionKey = props.encryptionKey ?? new Key(this, 'Key', {
      description: `Encrypts the objects of S3 bucket ${bucketName}`,
      alias: `s3/${bucketName}`,
      preventDestroy,
    });
    this.encryptionKeyArn = this.encryptionKey.keyArn;
    this.accessLogs = AccessLogBucket.of(env);

    this._resource = new s3BucketLib.S3Bucket(this, 'Resource', {
      bucket: bucketName,
      forceDestroy: false,
      lifecycle: preventDestroy ? { preventDestroy: true } : undefined,
    });
    const common = protectBucket(this, this._resource, this.bucketArn);
    this._publicAccessBlock = common.publicAccessBlock;
    this._ownershipControls = common.ownershipControls;
    this._versioning = common.versioning;
    this._policy = common.policy;
    this._notification = common.notification;

    this._encryption = new s3BucketServerSideEncryptionConfigurationLib.S3BucketServerSideEncryptionConfigurationA(this, 'Encryption', {
      bucket: this._resource.id,
      rule: [{
        applyServerSideEncryptionByDefault: { sseAlgorithm: 'aws:kms', kmsMasterKeyId: this.encryptionKey.keyArn },
        bucketKeyEnabled: true,
      }],
    });

    this._lifecycle = new s3BucketLifecycleConfigurationLib.S3BucketLifecycleConfiguration(this, 'Lifecycle', {
      bucket: this._resource.id,
      rule: [
        abortIncompleteMultipartUploads(),
        {
          id: 'expire-noncurrent-versions',
          status: 'Enabled',
          filter: [{}],
          noncurrentVersionExpiration: [{ noncurrentDays }],
          // A delete marker whose versions have all expired only slows listings down.
          expiration: [{ expiredObjectDeleteMarker: true }],
        },
      ],
      // Rules on noncurrent versions need versioning in place first.
      dependsOn: [this._versioning],
    });

    this._logging = new s3BucketLoggingLib.S3BucketLoggingA(this, 'AccessLogging', {
      bucket: this._resource.id,
      targetBucket: this.accessLogs._resource.id,
      targetPrefix: `${bucketName}/`,
      // S3 delivers only once the log bucket lets its logging service write. A bucket in a tenant
      // stack cannot name the foundation's policy; the foundation is applied before it anyway.
      dependsOn: TerraformStack.of(this) === TerraformStack.of(this.accessLogs) ? [this.accessLogs._policy] : undefined,
    });
  }

  private validateKey(env: Environment, key: Key | undefined): void {
    if (key === undefined) { return; }
    if (key === null || typeof key !== 'object' || typeof key.keyArn !== 'string' || typeof key.node !== 'object') {
      throw invalid(this, 'encryptionKey', key, 'a paved Key (new Key(...))');
    }
    const theirs = Environment.containing(key);
    if (theirs !== env) {
      throw invalid(this, 'encryptionKey', `construct ${key.node.path}`, `a key of environment "${env.name}", not of "${theirs.name}"`);
    }
  }
}

function validateBucketName(scope: Construct, property: string, name: string): void {
  if (typeof name !== 'string' || Token.isUnresolved(name) || !BUCKET_NAME.test(name)
    || RESERVED_PREFIXES.some(p => name.startsWith(p)) || RESERVED_SUFFIXES.some(s => name.endsWith(s))) {
    throw invalid(scope, property, name,
      'a literal S3 bucket name: 3-63 lowercase letters, digits and hyphens, starting and ending with a letter or digit, '
      + `not starting with ${RESERVED_PREFIXES.join(', ')} nor ending with ${RESERVED_SUFFIXES.join(', ')}`);
  }
}
