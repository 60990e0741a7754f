import type { SecretsmanagerSecret } from '@cdktf/provider-aws/lib/secretsmanager-secret';
import { TerraformResource } from 'cdktf';
import { Construct } from 'constructs';
import { EnvironmentSecretsKey } from './environment-secrets-key';
import { checkedScope } from '../core/api-guard';
import { Environment } from '../core/environment';
import { lazyModule } from '../core/lazy-module';

const secretsmanagerSecretLib = lazyModule<typeof import('@cdktf/provider-aws/lib/secretsmanager-secret')>('@cdktf/provider-aws/lib/secretsmanager-secret');

/** Properties of a {@link CredentialsSecret}. */
export interface CredentialsSecretProps {
  /** Secret name, `paved/<env>/<tenant>/<workload>/<resource>/credentials` (`Naming.credentialsSecret`). */
  readonly secretName: string;
}

/**
 * The Secrets Manager secret that carries credentials generated in the
 * cluster (a database user's password) to the workload, through the
 * tenant's SecretStore. Terraform makes the secret only, encrypted with the
 * environment's secrets key, and never a version of it: External Secrets
 * writes the value from the database admin namespace (a PushSecret, which
 * writes only to secrets tagged `managed-by: external-secrets`). The value
 * is therefore in neither the Terraform configuration nor its state; when
 * Terraform destroys the secret, Secrets Manager keeps it for the recovery
 * window (30 days with deletion protection, else 7).
 */
export class CredentialsSecret extends Construct {
  /** @internal */
  public readonly _secret: SecretsmanagerSecret;
  /** The secret. */
  public get secret(): TerraformResource {
    return this._secret;
  }
  /** Its name. */
  public readonly secretName: string;

  constructor(scope: Construct, id: string, props: CredentialsSecretProps) {
    super(checkedScope(scope, 'CredentialsSecret', arguments), id);
    const env = Environment.containing(this);
    this.secretName = props.secretName;
    this._secret = new secretsmanagerSecretLib.SecretsmanagerSecret(this, 'Resource', {
      name: props.secretName,
      description: 'Credentials generated in the cluster and written by External Secrets; read by the tenant SecretStore',
      kmsKeyId: EnvironmentSecretsKey.of(env).keyArn,
      recoveryWindowInDays: env.profile.deletionProtection ? 30 : 7,
      // The only tag under which External Secrets' PushSecret writes to an existing secret.
      tags: { 'managed-by': 'external-secrets' },
    });
  }
}
