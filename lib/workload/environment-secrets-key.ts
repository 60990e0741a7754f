import { Construct } from 'constructs';
import { Key } from '../aws/key';
import { checkArguments } from '../core/api-guard';
import { Environment } from '../core/environment';
import { LookupKey } from '../core/lookup';

const ID = 'SecretsKey';
const SECRETS_KEY = new LookupKey<Key>('connection-secrets-key');

/**
 * The environment's KMS key for connection secrets: one per environment,
 * created on first use.
 */
export class EnvironmentSecretsKey {
  /** The key of `env`, created under `<env>/SecretsKey` (the foundation stack) on first use. */
  public static of(env: Environment): Key {
    checkArguments('EnvironmentSecretsKey.of', arguments);
    return env._lookup.singleton(SECRETS_KEY, ID, () => new Key(env as Construct, ID, {
      description: `paved ${env.name}: connection secrets of workloads`,
      alias: 'secrets',
    }));
  }

  private constructor() {}
}
