import * as path from 'path';
import { LocalBackend, S3Backend, TerraformStack } from 'cdktf';
import { checkArguments } from './api-guard';
import { invalid } from './errors';
import { platformOf } from './platform';

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
   * Folder of the state files (`terraform.<stack>.tfstate`): relative to
   * the output folder (the folder that holds `cdktf.out/`), or absolute.
   * It must lie outside the Terraform folder, whose stack folders the cdktf
   * CLI deletes when their stack goes away. An absolute path makes the
   * synthesized Terraform differ from machine to machine.
   * @default - the output folder itself: `<outdir>/terraform.<stack>.tfstate`
   */
  readonly directory?: string;
}

/**
 * Terraform runs in `<outdir>/<terraform folder>/stacks/<stack>/`: three
 * levels below the output folder. Every stack sits at that depth, so the
 * same relative path names the same file from any stack folder: a tenant
 * stack's `terraform_remote_state` (cdktf hands the consumer the origin's
 * backend path as is) reads the foundation's local state with it.
 */
const STACK_TO_OUTDIR = '../../..';

/** A relative state folder that would put state inside the synthesized outputs. */
const INSIDE_OUTPUTS = /^(cdktf\.out|k8s|\.paved)(\/|$)/;

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
    checkArguments('TerraformState.s3', arguments);
    if (options.bucket !== undefined && !/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/.test(options.bucket)) {
      throw invalid('TerraformState.s3', 'bucket', options.bucket, 'an S3 bucket name: 3-63 lowercase letters, digits, dots and dashes');
    }
    return new TerraformState('s3', options);
  }

  /**
   * Local state files: for examples, tests and throw-away environments.
   *
   * The state of stack `<stack>` is `<outdir>/terraform.<stack>.tfstate`,
   * outside the synthesized Terraform folder, written as a path relative to
   * the stack folder (`../../../terraform.<stack>.tfstate`): the output is
   * the same on every machine, and under the cdktf CLI (whose output folder
   * is `<project>/cdktf.out`) the state sits where cdktf's own default puts
   * it, `<project>/terraform.<stack>.tfstate`. paved never deletes it.
   */
  public static local(options: LocalStateOptions = {}): TerraformState {
    checkArguments('TerraformState.local', arguments);
    const directory = options.directory;
    if (directory !== undefined) {
      const relative = typeof directory === 'string' && !path.isAbsolute(directory) ? path.posix.normalize(directory.replace(/\\/g, '/')) : undefined;
      if (typeof directory !== 'string' || directory.length === 0 || (relative !== undefined && INSIDE_OUTPUTS.test(relative))) {
        throw invalid('TerraformState.local', 'directory', directory,
          'a folder outside the synthesized outputs (not in cdktf.out/, k8s/ or .paved/), relative to the output folder or absolute');
      }
    }
    return new TerraformState('local', options);
  }

  /** `s3` or `local`. */
  public readonly kind: string;

  private constructor(kind: string, private readonly options: S3StateOptions & LocalStateOptions) {
    this.kind = kind;
  }

  /**
   * Adds the backend to `stack`. A stack whose state is in a bucket that a
   * `StateBackend` of the platform creates depends on that backend's stack
   * (manifest.json lists it, so `cdktf deploy` deploys the bucket first).
   */
  public bind(stack: TerraformStack, binding: TerraformStateBinding): void {
    const file = `terraform.${binding.stackName}.tfstate`;
    if (this.kind === 'local') {
      const directory = this.options.directory;
      new LocalBackend(stack, {
        path: directory === undefined ? `${STACK_TO_OUTDIR}/${file}`
          : path.isAbsolute(directory) ? path.posix.join(directory, file)
            : path.posix.join(STACK_TO_OUTDIR, directory, file),
      });
      return;
    }
    const bucket = this.options.bucket ?? `paved-tfstate-${binding.account}-${binding.region}`;
    platformOf(stack)?._useStateBucket(stack, bucket);
    const backend = new S3Backend(stack, {
      bucket,
      key: `${this.options.keyPrefix ?? 'paved'}/${binding.stackName}/terraform.tfstate`,
      region: this.options.region ?? binding.region,
      encrypt: true,
      kmsKeyId: this.options.kmsKeyId,
    });
    // cdktf 0.21 predates S3-native locking; Terraform >= 1.10 reads this key.
    backend.addOverride('use_lockfile', true);
  }
}
