import { TerraformStack } from 'cdktf';
import { checkArguments } from '../core/api-guard';
import { invalid } from '../core/errors';

/** Options of {@link BootstrapSecret.fromSecretsManager}. */
export interface SecretsManagerSecretOptions {
  /**
   * The key of the secret's JSON value to use.
   * @default - the whole secret string
   */
  readonly jsonKey?: string;
  /**
   * Revision of the value in the cluster, from 1. Terraform cannot compare
   * a write-only value with what it wrote, so raise it to copy a changed
   * (rotated) secret into the cluster on the next apply.
   * @default 1
   */
  readonly revision?: number;
}

const SECRET_NAME = /^[A-Za-z0-9/_+=.@-]{1,512}$/;
const JSON_KEY = /^[A-Za-z0-9_.-]{1,128}$/;

/**
 * A secret the cluster bootstrap needs (an SSO client secret, Git
 * credentials), referenced by name and never held by paved.
 *
 * Terraform reads it at apply time through the ephemeral resource
 * `aws_secretsmanager_secret_version` and writes it into the cluster
 * through a write-only attribute (`data_wo` of `kubernetes_secret_v1`):
 * the value is in neither the configuration, the plan nor the state.
 * Needs Terraform >= 1.11 and a secret in the environment's account and region.
 */
export class BootstrapSecret {
  /** A secret of AWS Secrets Manager, by name (or ARN), or one key of its JSON value. */
  public static fromSecretsManager(secretName: string, options: SecretsManagerSecretOptions = {}): BootstrapSecret {
    checkArguments('BootstrapSecret.fromSecretsManager', arguments);
    const where = 'BootstrapSecret.fromSecretsManager';
    if (typeof secretName !== 'string' || !(SECRET_NAME.test(secretName) || /^arn:aws[a-z-]*:secretsmanager:[a-z0-9-]+:\d{12}:secret:[A-Za-z0-9/_+=.@-]+$/.test(secretName))) {
      throw invalid(where, 'secretName', secretName, 'a Secrets Manager secret name (1-512 letters, digits and /_+=.@-) or ARN');
    }
    if (options.jsonKey !== undefined && (typeof options.jsonKey !== 'string' || !JSON_KEY.test(options.jsonKey))) {
      throw invalid(where, 'jsonKey', options.jsonKey, 'a JSON key of 1-128 letters, digits, "_", "." and "-"');
    }
    const revision = options.revision ?? 1;
    if (!Number.isInteger(revision) || revision < 1) {
      throw invalid(where, 'revision', revision, 'a whole number from 1');
    }
    return new BootstrapSecret(secretName, options.jsonKey, revision);
  }

  /** Name or ARN of the Secrets Manager secret. */
  public readonly secretName: string;
  /** The key of its JSON value; undefined for the whole string. */
  public readonly jsonKey?: string;
  /** Revision of the copy in the cluster. */
  public readonly revision: number;

  private constructor(secretName: string, jsonKey: string | undefined, revision: number) {
    this.secretName = secretName;
    this.jsonKey = jsonKey;
    this.revision = revision;
  }

  /**
   * Declares the ephemeral read of the secret in `stack` as `name` and
   * returns the Terraform expression (without `${}`) of its value.
   * @internal
   */
  public _read(stack: TerraformStack, name: string): string {
    // cdktf 0.21 has no class for ephemeral resources; the block is written as it is in Terraform JSON.
    stack.addOverride(`ephemeral.aws_secretsmanager_secret_version.${name}`, { secret_id: this.secretName });
    const value = `ephemeral.aws_secretsmanager_secret_version.${name}.secret_string`;
    return this.jsonKey === undefined ? value : `jsondecode(${value})[${JSON.stringify(this.jsonKey)}]`;
  }
}
