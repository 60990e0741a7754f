import { Token } from 'cdktf';
import { Construct, IConstruct } from 'constructs';
import { Grant, GrantPolicy, IGrantable, validateGrantee } from './grant';
import { PolicyStatement } from './policy-statement';
import { Environment } from '../core/environment';
import { invalid } from '../core/errors';
import { AWS_REGIONS, dnsSuffixOf } from '../core/regions';

/**
 * An S3 bucket that workloads can be granted access to: a {@link Bucket}
 * paved created, or an existing one imported with {@link Bucket.fromAttributes}.
 */
export interface IBucket extends IConstruct {
  /** Name of the bucket. */
  readonly bucketName: string;
  /** ARN of the bucket, `arn:<partition>:s3:::<name>`. */
  readonly bucketArn: string;
  /** AWS region of the bucket. */
  readonly region: string;
  /** The regional S3 endpoint, `https://s3.<region>.<domain>`. */
  readonly endpoint: string;
  /**
   * ARN of the customer managed KMS key objects are encrypted with; grants
   * include the KMS actions on it.
   * @default - none: SSE-S3, no KMS permissions needed
   */
  readonly encryptionKeyArn?: string;

  /**
   * Lets `grantee` read objects (under `prefix` when given).
   * @param prefix limit access to keys starting with this, e.g. `reports/`; without it, every object
   */
  grantRead(grantee: IGrantable, prefix?: string): Grant;

  /**
   * Lets `grantee` read, write and delete objects (under `prefix` when given).
   * @param prefix limit access to keys starting with this, e.g. `uploads/`; without it, every object
   */
  grantReadWrite(grantee: IGrantable, prefix?: string): Grant;
}

/** Attributes of an existing S3 bucket, for {@link Bucket.fromAttributes}. */
export interface BucketAttributes {
  /** Name of the bucket (a literal). */
  readonly bucketName: string;
  /**
   * AWS region of the bucket.
   * @default - the environment's region
   */
  readonly region?: string;
  /**
   * ARN of the customer managed KMS key the bucket encrypts objects with.
   * @default - none: SSE-S3 (grants include no KMS actions)
   */
  readonly encryptionKeyArn?: string;
}

const MAX_KEY_PREFIX = 1024;

/** What grants on a created or an imported bucket share. */
export abstract class BucketBase extends Construct implements IBucket {
  public abstract readonly bucketName: string;
  public abstract readonly bucketArn: string;
  public abstract readonly region: string;
  public abstract readonly endpoint: string;
  public abstract readonly encryptionKeyArn?: string;

  /**
   * Lets `grantee` read objects: `s3:GetObject` on the objects (under
   * `prefix` when given), `s3:ListBucket` on the bucket (only for keys under
   * `prefix`, through an `s3:prefix` condition) and `kms:Decrypt` on the
   * bucket's key.
   *
   * @param grantee who to grant to
   * @param prefix limit access to keys starting with this, e.g. `reports/`; without it, every object
   */
  public grantRead(grantee: IGrantable, prefix?: string): Grant {
    return this.grant(grantee, prefix, ['s3:GetObject'], ['kms:Decrypt']);
  }

  /**
   * Lets `grantee` read, write and delete objects: `s3:GetObject`,
   * `s3:PutObject`, `s3:DeleteObject` and `s3:AbortMultipartUpload` on the
   * objects (under `prefix` when given), `s3:ListBucket` on the bucket (only
   * for keys under `prefix`) and `kms:Decrypt` and `kms:GenerateDataKey` on
   * the bucket's key.
   *
   * @param grantee who to grant to
   * @param prefix limit access to keys starting with this, e.g. `uploads/`; without it, every object
   */
  public grantReadWrite(grantee: IGrantable, prefix?: string): Grant {
    return this.grant(grantee, prefix,
      ['s3:GetObject', 's3:PutObject', 's3:DeleteObject', 's3:AbortMultipartUpload'],
      ['kms:Decrypt', 'kms:GenerateDataKey']);
  }

  private grant(grantee: IGrantable, prefix: string | undefined, objectActions: string[], keyActions: string[]): Grant {
    validateGrantee(this, grantee);
    if (prefix !== undefined && (typeof prefix !== 'string' || (!Token.isUnresolved(prefix)
      && (prefix.length === 0 || prefix.length > MAX_KEY_PREFIX || /[*?]/.test(prefix) || prefix.startsWith('/'))))) {
      throw invalid(this, 'prefix', prefix,
        `a key prefix of 1-${MAX_KEY_PREFIX} characters without "*", "?" or a leading "/", e.g. "reports/" (or no prefix for the whole bucket)`);
    }
    const statements: PolicyStatement[] = [
      { actions: objectActions, resources: [`${this.bucketArn}/${prefix ?? ''}*`] },
      {
        actions: ['s3:ListBucket'],
        resources: [this.bucketArn],
        conditions: prefix !== undefined ? [{ test: 'StringLike', variable: 's3:prefix', values: [`${prefix}*`] }] : undefined,
      },
    ];
    if (this.encryptionKeyArn !== undefined) {
      statements.push({ actions: keyActions, resources: [this.encryptionKeyArn] });
    }
    statements.forEach(s => grantee.addToPolicy(s));
    return Grant._of(grantee, GrantPolicy.IDENTITY, statements);
  }
}

const BUCKET_NAME = /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;
const KEY_ARN = /^arn:aws[a-z-]*:kms:[a-z0-9-]+:\d{12}:(key|alias)\/[A-Za-z0-9/_-]+$/;

/**
 * An existing bucket, by name.
 * @internal
 */
export class ImportedBucket extends BucketBase {
  public readonly bucketName: string;
  public readonly bucketArn: string;
  public readonly region: string;
  public readonly endpoint: string;
  public readonly encryptionKeyArn?: string;

  constructor(scope: Construct, id: string, attrs: BucketAttributes) {
    super(scope, id);
    const env = Environment.containing(this);
    if (typeof attrs.bucketName !== 'string' || Token.isUnresolved(attrs.bucketName) || !BUCKET_NAME.test(attrs.bucketName)) {
      throw invalid(this, 'bucketName', attrs.bucketName, 'a literal S3 bucket name: 3-63 lowercase letters, digits, dots and hyphens');
    }
    if (attrs.encryptionKeyArn !== undefined && (typeof attrs.encryptionKeyArn !== 'string'
      || (!Token.isUnresolved(attrs.encryptionKeyArn) && !KEY_ARN.test(attrs.encryptionKeyArn)))) {
      throw invalid(this, 'encryptionKeyArn', attrs.encryptionKeyArn, 'a KMS key ARN: "arn:<partition>:kms:<region>:<account>:key/<id>"');
    }
    if (attrs.region !== undefined && !AWS_REGIONS.includes(attrs.region)) {
      throw invalid(this, 'region', attrs.region, `an AWS region: ${AWS_REGIONS.join(', ')}`);
    }
    this.bucketName = attrs.bucketName;
    this.bucketArn = `arn:${env.partition}:s3:::${attrs.bucketName}`;
    this.region = attrs.region ?? env.region;
    this.endpoint = `https://s3.${this.region}.${dnsSuffixOf(env.partition)}`;
    this.encryptionKeyArn = attrs.encryptionKeyArn;
  }
}
