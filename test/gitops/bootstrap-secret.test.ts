import { TerraformStack, Testing } from 'cdktf';
import { BootstrapSecret } from '../../lib';

describe('BootstrapSecret', () => {
  test('references a Secrets Manager secret by name, revision 1 by default', () => {
    const secret = BootstrapSecret.fromSecretsManager('paved/argocd/oidc');
    expect([secret.secretName, secret.jsonKey, secret.revision]).toEqual(['paved/argocd/oidc', undefined, 1]);
  });

  test('a key of the JSON value and a revision can be given; an ARN names the secret too', () => {
    const secret = BootstrapSecret.fromSecretsManager('arn:aws:secretsmanager:eu-central-1:123456789012:secret:argocd-AbCdEf', { jsonKey: 'clientSecret', revision: 3 });
    expect([secret.jsonKey, secret.revision]).toEqual(['clientSecret', 3]);
  });

  test('is read by an ephemeral resource, so the value is never in the plan or the state', () => {
    // GIVEN
    const stack = new TerraformStack(Testing.app(), 'test');
    // WHEN
    const whole = BootstrapSecret.fromSecretsManager('paved/git')._read(stack, 'git');
    const key = BootstrapSecret.fromSecretsManager('paved/oidc', { jsonKey: 'clientSecret' })._read(stack, 'oidc');
    // THEN
    expect(whole).toBe('ephemeral.aws_secretsmanager_secret_version.git.secret_string');
    expect(key).toBe('jsondecode(ephemeral.aws_secretsmanager_secret_version.oidc.secret_string)["clientSecret"]');
    expect(JSON.parse(Testing.synth(stack)).ephemeral).toEqual({
      aws_secretsmanager_secret_version: { git: { secret_id: 'paved/git' }, oidc: { secret_id: 'paved/oidc' } },
    });
  });

  test('fails when the secret name, key or revision is malformed', () => {
    expect(() => BootstrapSecret.fromSecretsManager('my secret')).toThrow(
      'BootstrapSecret.fromSecretsManager: secretName: got "my secret"; expected a Secrets Manager secret name (1-512 letters, digits and /_+=.@-) or ARN');
    expect(() => BootstrapSecret.fromSecretsManager('')).toThrow('BootstrapSecret.fromSecretsManager: secretName: got ""');
    expect(() => BootstrapSecret.fromSecretsManager('s', { jsonKey: 'a"b' })).toThrow('BootstrapSecret.fromSecretsManager: jsonKey: got "a\\"b"');
    expect(() => BootstrapSecret.fromSecretsManager('s', { revision: 0 })).toThrow('BootstrapSecret.fromSecretsManager: revision: got 0; expected a whole number from 1');
  });
});
