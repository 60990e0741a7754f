import { BootstrapSecret } from './bootstrap-secret';
import { checkArguments } from '../core/api-guard';

/** Options of {@link RepositoryCredentials.fromSecretsManager}. */
export interface RepositoryCredentialsOptions {
  /**
   * Revision of the credentials in the cluster, from 1; raise it to copy
   * rotated credentials into the cluster on the next apply.
   * @default 1
   */
  readonly revision?: number;
}

/**
 * How Argo CD authenticates to the platform's Git repository. Credentials
 * are always referenced, never written into the code, Terraform or git.
 */
export class RepositoryCredentials {
  /** A public repository: Argo CD reads it without credentials. */
  public static none(): RepositoryCredentials {
    return new RepositoryCredentials(undefined);
  }

  /**
   * Credentials kept in an AWS Secrets Manager secret (in the environment's
   * account and region) whose JSON value holds Argo CD's repository fields
   * as strings: `username` and `password` (a token) for HTTPS,
   * `sshPrivateKey` for SSH, or `githubAppID`, `githubAppInstallationID` and
   * `githubAppPrivateKey` for a GitHub App. The bootstrap copies them into
   * the repository Secret of Argo CD through a write-only attribute: they
   * are in neither the plan nor the state (Terraform >= 1.11).
   */
  public static fromSecretsManager(secretName: string, options: RepositoryCredentialsOptions = {}): RepositoryCredentials {
    checkArguments('RepositoryCredentials.fromSecretsManager', arguments);
    return new RepositoryCredentials(BootstrapSecret.fromSecretsManager(secretName, { revision: options.revision }));
  }

  /** The secret the credentials are read from; undefined for a public repository. */
  public readonly secret?: BootstrapSecret;

  private constructor(secret: BootstrapSecret | undefined) {
    this.secret = secret;
  }
}
