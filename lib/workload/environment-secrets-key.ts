import { Construct } from 'constructs';
import { Key } from '../aws/key';
import { Environment } from '../core/environment';

const ID = 'SecretsKey';

/**
 * The environment's KMS key for connection secrets: one per environment,
 * created on first use.
 */
export class EnvironmentSecretsKey {
  /** The key of `env`, created under `<env>/SecretsKey` on first use. */
  public static of(env: Environment): Key {
    return (env.node.tryFindChild(ID) as Key | undefined) ?? new Key(env as Construct, ID, {
      description: `paved ${env.name}: connection secrets of workloads`,
      alias: 'secrets',
    });
  }

  private constructor() {}
}
