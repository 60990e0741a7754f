import * as path from 'path';
import { DataTerraformRemoteStateLocal, LocalBackend, LocalBackendConfig, S3Backend, TerraformRemoteState, TerraformStack } from 'cdktf';
import { Construct } from 'constructs';
import { invalid } from './errors';

/** Options of {@link TerraformState.s3}. */
export interface S3StateOptions {
  /**
   * Bucket that holds the state files.
   * @default - `paved-tfstate-<account>-<region>`, the bucket the StateBackend bootstrap stack creates
   */
  readonly bucket?: string;
  /**
   * Region of the bucket.
   * @default - the environment's region
   */
  readonly region?: string;
  /**
   * KMS key (ARN or alias) that encrypts the state objects.
   * @default - the bucket's default encryption (SSE-S3 or the bucket key)
   */
  readonly kmsKeyId?: string;
  /**
   * Prefix of the state object key; the key is `<prefix>/<stack>/terraform.tfstate`.
   * @default 'paved'
   */
  readonly keyPrefix?: string;
}

/** Options of {@link TerraformState.local}. */
export interface LocalStateOptions {
  /**
   * Directory of the state files, relative to the stack's directory.
   * @default - terraform.<stack>.tfstate in the stack directory
   */
  readonly directory?: string;
}

/** The stack and environment a backend is bound to. */
export interface TerraformStateBinding {
  /** Stack name, e.g. `prod`. */
  readonly stackName: string;
  /** The environment's account. */
  readonly account: string;
  /** The environment's region. */
  readonly region: string;
}

/**
 * Where Terraform keeps state for an environment's stacks.
 *
 * S3 with server-side encryption and S3-native locking (`use_lockfile`,
 * Terraform >= 1.10) is the default; the local backend is for examples and
 * tests.
 */
export class TerraformState {
  /** Remote state in S3: encrypted, locked with a lock file next to the state. */
  public static s3(options: S3StateOptions = {}): TerraformState {
    if (options.bucket !== undefined && !/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/.test(options.bucket)) {
      throw invalid('TerraformState.s3', 'bucket', options.bucket, 'an S3 bucket name: 3-63 lowercase letters, digits, dots and dashes');
    }
    return new TerraformState('s3', options);
  }

  /** Local state files: for examples, tests and throw-away environments. */
  public static local(options: LocalStateOptions = {}): TerraformState {
    return new TerraformState('local', options);
  }

  /** `s3` or `local`. */
  public readonly kind: string;

  private constructor(kind: string, private readonly options: S3StateOptions & LocalStateOptions) {
    this.kind = kind;
  }

  /** Adds the backend to `stack`. */
  public bind(stack: TerraformStack, binding: TerraformStateBinding): void {
    if (this.kind === 'local') {
      new SiblingLocalBackend(stack, {
        path: this.options.directory
          ? `${this.options.directory}/terraform.${binding.stackName}.tfstate`
          : `terraform.${binding.stackName}.tfstate`,
      });
      return;
    }
    const backend = new S3Backend(stack, {
      bucket: this.options.bucket ?? `paved-tfstate-${binding.account}-${binding.region}`,
      key: `${this.options.keyPrefix ?? 'paved'}/${binding.stackName}/terraform.tfstate`,
      region: this.options.region ?? binding.region,
      encrypt: true,
      kmsKeyId: this.options.kmsKeyId,
    });
    // cdktf 0.21 predates S3-native locking; Terraform >= 1.10 reads this key.
    backend.addOverride('use_lockfile', true);
  }
}

/**
 * The local backend, whose state another stack of the platform can read:
 * cdktf's own hands a consuming stack the origin's relative path as is,
 * which Terraform resolves against the consumer's working directory
 * (`stacks/<consumer>/`) instead of the origin's (`stacks/<origin>/`).
 */
class SiblingLocalBackend extends LocalBackend {
  constructor(scope: Construct, private readonly config: LocalBackendConfig) {
    super(scope, config);
  }

  public getRemoteStateDataSource(scope: Construct, name: string, fromStack: string): TerraformRemoteState {
    const statePath = this.config.path ?? `terraform.${fromStack}.tfstate`;
    return new DataTerraformRemoteStateLocal(scope, name, {
      path: path.isAbsolute(statePath) ? statePath : path.posix.join('..', fromStack, statePath),
      workspace: '${terraform.workspace}',
    });
  }
}
