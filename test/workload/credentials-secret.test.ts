import { CredentialsSecret, Profile } from '../../lib';
import { onlyResource, resourcesOf, synthStack, workloadEnvironment } from '../support/synth';

describe('CredentialsSecret', () => {
  test('a secret without a value, encrypted with the environment\'s secrets key, that only External Secrets writes', () => {
    // GIVEN
    const env = workloadEnvironment();
    // WHEN
    const credentials = new CredentialsSecret(env, 'Credentials', { secretName: 'paved/dev/shop/orders/db/credentials' });
    // THEN
    const stack = synthStack(env);
    expect(onlyResource(stack, 'aws_secretsmanager_secret')).toMatchObject({
      name: 'paved/dev/shop/orders/db/credentials',
      kms_key_id: '${aws_kms_key.SecretsKey_317DCF94.arn}',
      recovery_window_in_days: 7,
      tags: { 'managed-by': 'external-secrets' },
    });
    expect(resourcesOf(stack, 'aws_secretsmanager_secret_version')).toEqual([]);
    expect(credentials.secretName).toBe('paved/dev/shop/orders/db/credentials');
  });

  test('is kept 30 days after deletion with deletion protection (PROD)', () => {
    const env = workloadEnvironment(undefined, Profile.PROD);
    new CredentialsSecret(env, 'Credentials', { secretName: 'paved/prod/shop/orders/db/credentials' });
    expect(onlyResource(synthStack(env), 'aws_secretsmanager_secret').recovery_window_in_days).toBe(30);
  });
});
