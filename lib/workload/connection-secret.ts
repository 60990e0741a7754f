import type { SecretsmanagerSecret } from '@cdktf/provider-aws/lib/secretsmanager-secret';
import type { SecretsmanagerSecretVersion } from '@cdktf/provider-aws/lib/secretsmanager-secret-version';
import { Fn, TerraformResource } from 'cdktf';
import { Construct } from 'constructs';
import { EnvironmentSecretsKey } from './environment-secrets-key';
import { checkedScope } from '../core/api-guard';
import { Environment } from '../core/environment';
import { lazyModule } from '../core/lazy-module';

const secretsmanagerSecretLib = lazyModule<typeof import('@cdktf/provider-aws/lib/secretsmanager-secret')>('@cdktf/provider-aws/lib/secretsmanager-secret');
const secretsmanagerSecretVersionLib = lazyModule<typeof import('@cdktf/provider-aws/lib/secretsmanager-secret-version')>('@cdktf/provider-aws/lib/secretsmanager-secret-version');

/** Properties of a {@link ConnectionSecret}. */
export interface ConnectionSecretProps {
  /** Secret name, `paved/<env>/<tenant>/<workload>/<resource>`. */
  readonly secretName: string;
  /** Connection details (no passwords: those stay in the service's own managed secret). */
  readonly values: { [key: string]: string };
}

/**
 * The Secrets Manager secret that carries a resource's connection details to
 * Kubernetes (through the tenant's SecretStore), encrypted with the
 * environment's secrets key.
 */
export class ConnectionSecret extends Construct {
  /** @internal */
  public readonly _secret: SecretsmanagerSecret;
  /** The secret. */
  public get secret(): TerraformResource {
    return this._secret;
  }
  /** @internal */
  public readonly _version: SecretsmanagerSecretVersion;
  /** Its current value. */
  public get version(): TerraformResource {
    return this._version;
  }

  constructor(scope: Construct, id: string, props: ConnectionSecretProps) {
    super(checkedScope(scope, 'ConnectionSecret', arguments), id);
    const env = Environment.containing(this);
    this._secret = new secretsmanagerSecretLib.SecretsmanagerSecret(this, 'Resource', {
      name: props.secretName,
      description: 'Connection details written by paved; read by the tenant SecretStore',
      kmsKeyId: EnvironmentSecretsKey.of(env).keyArn,
      recoveryWindowInDays: env.profile.deletionProtection ? 30 : 7,
    });
    this._version = new secretsmanagerSecretVersionLib.SecretsmanagerSecretVersion(this, 'Version', {
      secretId: this._secret.id,
      secretString: Fn.jsonencode(props.values),
    });
  }
}
