import { SecretsmanagerSecret } from '@cdktf/provider-aws/lib/secretsmanager-secret';
import { SecretsmanagerSecretVersion } from '@cdktf/provider-aws/lib/secretsmanager-secret-version';
import { Fn } from 'cdktf';
import { Construct } from 'constructs';
import { EnvironmentSecretsKey } from './environment-secrets-key';
import { checkedScope } from '../core/api-guard';
import { Environment } from '../core/environment';

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
  /** The secret. */
  public readonly secret: SecretsmanagerSecret;
  /** Its current value. */
  public readonly version: SecretsmanagerSecretVersion;

  constructor(scope: Construct, id: string, props: ConnectionSecretProps) {
    super(checkedScope(scope, 'ConnectionSecret', arguments), id);
    const env = Environment.containing(this);
    this.secret = new SecretsmanagerSecret(this, 'Resource', {
      name: props.secretName,
      description: 'Connection details written by paved; read by the tenant SecretStore',
      kmsKeyId: EnvironmentSecretsKey.of(env).keyArn,
      recoveryWindowInDays: env.profile.deletionProtection ? 30 : 7,
    });
    this.version = new SecretsmanagerSecretVersion(this, 'Version', {
      secretId: this.secret.id,
      secretString: Fn.jsonencode(props.values),
    });
  }
}
