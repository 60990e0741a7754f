import type { S3Bucket } from '@cdktf/provider-aws/lib/s3-bucket';
import type { S3BucketLifecycleConfiguration } from '@cdktf/provider-aws/lib/s3-bucket-lifecycle-configuration';
import type { S3BucketNotification } from '@cdktf/provider-aws/lib/s3-bucket-notification';
import type { S3BucketOwnershipControls } from '@cdktf/provider-aws/lib/s3-bucket-ownership-controls';
import type { S3BucketPolicy } from '@cdktf/provider-aws/lib/s3-bucket-policy';
import type { S3BucketPublicAccessBlock } from '@cdktf/provider-aws/lib/s3-bucket-public-access-block';
import type { S3BucketServerSideEncryptionConfigurationA } from '@cdktf/provider-aws/lib/s3-bucket-server-side-encryption-configuration';
import type { S3BucketVersioningA } from '@cdktf/provider-aws/lib/s3-bucket-versioning';
import { S3Backend, TerraformResource } from 'cdktf';
import { Construct } from 'constructs';
import { Key } from './key';
import { checkArguments, checkedScope } from '../core/api-guard';
import { Environment } from '../core/environment';
import { invalid } from '../core/errors';
import { lazyModule } from '../core/lazy-module';
import { Platform } from '../core/platform';
import { Profile } from '../core/profile';
import { TerraformState } from '../core/terraform-state';
import { validateInteger } from '../core/validation';

const s3BucketLib = lazyModule<typeof import('@cdktf/provider-aws/lib/s3-bucket')>('@cdktf/provider-aws/lib/s3-bucket');
const s3BucketLifecycleConfigurationLib = lazyModule<typeof import('@cdktf/provider-aws/lib/s3-bucket-lifecycle-configuration')>('@cdktf/provider-aws/lib/s3-bucket-lifecycle-configuration');
const s3BucketNotificationLib = lazyModule<typeof import('@cdktf/provider-aws/lib/s3-bucket-notification')>('@cdktf/provider-aws/lib/s3-bucket-notification');
const s3BucketOwnershipControlsLib = lazyModule<typeof import('@cdktf/provider-aws/lib/s3-bucket-ownership-controls')>('@cdktf/provider-aws/lib/s3-bucket-ownership-controls');
const s3BucketPolicyLib = lazyModule<typeof import('@cdktf/provider-aws/lib/s3-bucket-policy')>('@cdktf/provider-aws/lib/s3-bucket-policy');
const s3BucketPublicAccessBlockLib = lazyModule<typeof import('@cdktf/provider-aws/lib/s3-bucket-public-access-block')>('@cdktf/provider-aws/lib/s3-bucket-public-access-block');
const s3BucketServerSideEncryptionConfigurationLib = lazyModule<typeof import('@cdktf/provider-aws/lib/s3-bucket-server-side-encryption-configuration')>('@cdktf/provider-aws/lib/s3-bucket-server-side-encryption-configuration');
const s3BucketVersioningLib = lazyModule<typeof import('@cdktf/provider-aws/lib/s3-bucket-versioning')>('@cdktf/provider-aws/lib/s3-bucket-versioning');

/** Properties of a {@link StateBackend}. */
export interface StateBackendProps {
  /**
   * Name of the state bucket: 3-63 lowercase letters, digits, dots and
   * hyphens, starting and ending with a letter or digit.
   * @default - `paved-tfstate-<account>-<region>`, what `TerraformState.s3()` uses by default
   */
  readonly bucketName?: string;
  /**
   * Days an overwritten state file stays recoverable as a previous version (1-3650).
   * @default 365
   */
  readonly noncurrentVersionRetentionDays?: number;
}

/** Properties of {@link StateBackend.bootstrap}. */
export interface StateBackendBootstrapProps {
  /** AWS account id the state bucket is created in (12 digits). */
  readonly account: string;
  /** AWS region of the state bucket, e.g. `eu-central-1`. */
  readonly region: string;
  /**
   * Name of the bootstrap environment (its Terraform stack): 1-12 lowercase
   * letters, digits and dashes, not used by another environment.
   * @default 'tfstate'
   */
  readonly environmentName?: string;
  /**
   * Name of the state bucket.
   * @default - `paved-tfstate-<account>-<region>`
   */
  readonly bucketName?: string;
  /**
   * Tags on every resource of the bootstrap stack, besides paved's own.
   * @default - none
   */
  readonly tags?: { [key: string]: string };
}

const BUCKET_NAME = /^(?!xn--|sthree-)(?!.*\.\.)(?!.*-s3alias$)(?!.*--ol-s3$)[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;
const IP_ADDRESS = /^\d+\.\d+\.\d+\.\d+$/;
const DEFAULT_NONCURRENT_DAYS = 365;
const INCOMPLETE_UPLOAD_DAYS = 7;

/**
 * The S3 bucket Terraform keeps the state of an account's environments in.
 *
 * It bootstraps the remote state, so it lives in a stack of its own whose
 * state is local (`TerraformState.local()`); the constructor refuses an
 * environment whose state is in S3. The simplest way is
 * {@link StateBackend.bootstrap}, which creates that environment:
 *
 * ```ts
 * const backend = StateBackend.bootstrap(platform, { account: '123456789012', region: 'eu-central-1' });
 * new Environment(platform, 'prod', { account: '123456789012', region: 'eu-central-1', state: backend.toTerraformState() });
 * ```
 *
 * Every stack whose state is in the bucket depends on the bootstrap stack
 * (manifest.json lists it), so `cdktf deploy '*'` deploys `tfstate` first.
 * Keep the bootstrap stack's local state file
 * (`<outdir>/terraform.tfstate.tfstate`, outside the synthesized tree)
 * somewhere safe, or move it into the new bucket with `terraform init
 * -migrate-state` after switching that stack to `backend.toTerraformState()`.
 *
 * Secure defaults, none of which can be turned off:
 * - versioning, so every earlier state stays recoverable for
 *   `noncurrentVersionRetentionDays`;
 * - SSE-KMS with a customer managed key of its own (rotation on) as the
 *   bucket default, with S3 Bucket Keys;
 * - a bucket policy that denies any request without TLS 1.2 or newer;
 * - all public access blocked, object ownership enforced (no ACLs);
 * - object events sent to EventBridge, so state changes can be audited;
 * - incomplete multipart uploads aborted after 7 days;
 * - `prevent_destroy` on bucket and key, in every profile.
 */
export class StateBackend extends Construct {
  /**
   * Creates the bootstrap environment (local state, PROD profile) and the
   * state backend in it, with construct id `State`.
   */
  public static bootstrap(platform: Platform, props: StateBackendBootstrapProps): StateBackend {
    checkArguments('StateBackend.bootstrap', arguments);
    const env = new Environment(platform, props.environmentName ?? 'tfstate', {
      account: props.account,
      region: props.region,
      profile: Profile.PROD,
      state: TerraformState.local(),
      tags: props.tags,
    });
    return new StateBackend(env, 'State', { bucketName: props.bucketName });
  }

  /** The bucket name. */
  public readonly bucketName: string;
  /** ARN of the bucket, known at synth time. */
  public readonly bucketArn: string;
  /** The bucket's region. */
  public readonly region: string;
  /** ARN of the KMS key that encrypts the state (a reference resolved at apply time). */
  public readonly keyArn: string;
  /**
   * ARN of the key's alias, `arn:<partition>:kms:<region>:<account>:alias/paved/<env>/tfstate`:
   * a literal, so backends can name the key before it exists.
   */
  public readonly keyAliasArn: string;
  /** The KMS key. */
  public readonly key: Key;
  /** @internal */
  public readonly _bucket: S3Bucket;
  /** The bucket, for escape hatches. */
  public get bucket(): TerraformResource {
    return this._bucket;
  }
  /** @internal */
  public readonly _versioning: S3BucketVersioningA;
  /** Versioning of the bucket, for escape hatches. */
  public get versioning(): TerraformResource {
    return this._versioning;
  }
  /** @internal */
  public readonly _encryption: S3BucketServerSideEncryptionConfigurationA;
  /** Default encryption of the bucket, for escape hatches. */
  public get encryption(): TerraformResource {
    return this._encryption;
  }
  /** @internal */
  public readonly _publicAccessBlock: S3BucketPublicAccessBlock;
  /** The public access block, for escape hatches. */
  public get publicAccessBlock(): TerraformResource {
    return this._publicAccessBlock;
  }
  /** @internal */
  public readonly _ownershipControls: S3BucketOwnershipControls;
  /** Object ownership of the bucket, for escape hatches. */
  public get ownershipControls(): TerraformResource {
    return this._ownershipControls;
  }
  /** @internal */
  public readonly _policy: S3BucketPolicy;
  /** The TLS-only bucket policy, for escape hatches. */
  public get policy(): TerraformResource {
    return this._policy;
  }
  /** @internal */
  public readonly _lifecycleConfiguration: S3BucketLifecycleConfiguration;
  /** The lifecycle rules, for escape hatches. */
  public get lifecycleConfiguration(): TerraformResource {
    return this._lifecycleConfiguration;
  }
  /** @internal */
  public readonly _notification: S3BucketNotification;
  /** The EventBridge notification, for escape hatches. */
  public get notification(): TerraformResource {
    return this._notification;
  }

  constructor(scope: Construct, id: string, props: StateBackendProps = {}) {
    super(checkedScope(scope, 'StateBackend', arguments), id);
    const env = Environment.containing(this);
    const platform = Platform.of(this);
    if (env.node.children.some(c => c instanceof S3Backend)) {
      throw invalid(this, 'scope', `environment ${env.name}`,
        'an environment whose state is local (state: TerraformState.local()): the state bucket cannot hold the state that creates it; '
        + 'use StateBackend.bootstrap(platform, { account, region })');
    }
    const bucketName = props.bucketName ?? `paved-tfstate-${env.account}-${env.region}`;
    if (typeof bucketName !== 'string' || !BUCKET_NAME.test(bucketName) || IP_ADDRESS.test(bucketName)) {
      throw invalid(this, 'bucketName', bucketName,
        'an S3 bucket name: 3-63 lowercase letters, digits, dots and hyphens, starting and ending with a letter or digit, '
        + 'no "..", not an IP address, no "xn--"/"sthree-" prefix or "-s3alias" suffix');
    }
    const noncurrentDays = props.noncurrentVersionRetentionDays ?? DEFAULT_NONCURRENT_DAYS;
    validateInteger(this, 'noncurrentVersionRetentionDays', noncurrentDays, 1, 3650);
    platform.recordDefault(this, 'bucketName', bucketName, props.bucketName === undefined ? 'paved default' : 'override');
    platform.recordDefault(this, 'noncurrentVersionRetentionDays', String(noncurrentDays),
      props.noncurrentVersionRetentionDays === undefined ? 'paved default' : 'override');

    this.bucketName = bucketName;
    this.region = env.region;
    // Stacks whose state is in this bucket deploy after this one.
    platform._holdStateBucket(env, bucketName);
    this.bucketArn = `arn:${env.partition}:s3:::${bucketName}`;

    this.key = new Key(this, 'Key', {
      description: `Encrypts the Terraform state in S3 bucket ${bucketName}`,
      alias: 'tfstate',
      // Losing the key loses every state file: never destroyable, whatever the profile.
      preventDestroy: true,
    });
    this.keyArn = this.key.keyArn;
    this.keyAliasArn = `arn:${env.partition}:kms:${env.region}:${env.account}:${this.key.aliasName}`;

    this._bucket = new s3BucketLib.S3Bucket(this, 'Resource', {
      bucket: bucketName,
      forceDestroy: false,
      lifecycle: { preventDestroy: true },
    });
    const bucket = this._bucket.id;

    this._versioning = new s3BucketVersioningLib.S3BucketVersioningA(this, 'Versioning', {
      bucket,
      versioningConfiguration: { status: 'Enabled' },
    });
    this._encryption = new s3BucketServerSideEncryptionConfigurationLib.S3BucketServerSideEncryptionConfigurationA(this, 'Encryption', {
      bucket,
      rule: [{
        applyServerSideEncryptionByDefault: { sseAlgorithm: 'aws:kms', kmsMasterKeyId: this.key.keyArn },
        bucketKeyEnabled: true,
      }],
    });
    this._publicAccessBlock = new s3BucketPublicAccessBlockLib.S3BucketPublicAccessBlock(this, 'PublicAccessBlock', {
      bucket,
      blockPublicAcls: true,
      blockPublicPolicy: true,
      ignorePublicAcls: true,
      restrictPublicBuckets: true,
    });
    this._ownershipControls = new s3BucketOwnershipControlsLib.S3BucketOwnershipControls(this, 'OwnershipControls', {
      bucket,
      rule: { objectOwnership: 'BucketOwnerEnforced' },
    });
    const everything = [this.bucketArn, `${this.bucketArn}/*`];
    this._policy = new s3BucketPolicyLib.S3BucketPolicy(this, 'Policy', {
      bucket,
      policy: JSON.stringify({
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
      }),
      // S3 rejects a bucket policy while the public access block is being applied.
      dependsOn: [this._publicAccessBlock],
    });
    this._lifecycleConfiguration = new s3BucketLifecycleConfigurationLib.S3BucketLifecycleConfiguration(this, 'Lifecycle', {
      bucket,
      rule: [{
        id: 'state-history',
        status: 'Enabled',
        filter: [{}],
        noncurrentVersionExpiration: [{ noncurrentDays }],
        abortIncompleteMultipartUpload: [{ daysAfterInitiation: INCOMPLETE_UPLOAD_DAYS }],
      }],
      // Lifecycle rules on noncurrent versions need versioning in place.
      dependsOn: [this._versioning],
    });
    this._notification = new s3BucketNotificationLib.S3BucketNotification(this, 'Notification', {
      bucket,
      eventbridge: true,
    });
  }

  /**
   * The state backend for other environments: this bucket in its region,
   * encrypted with this key (named by its alias ARN, known before apply).
   * Without `kmsKeyId` Terraform would ask S3 for SSE-S3 explicitly and
   * bypass the bucket's key.
   *
   * @param keyPrefix prefix of the state object keys
   */
  public toTerraformState(keyPrefix?: string): TerraformState {
    return TerraformState.s3({ bucket: this.bucketName, region: this.region, kmsKeyId: this.keyAliasArn, keyPrefix });
  }
}
