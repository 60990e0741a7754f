import { RepositoryCredentials } from '../../lib';

describe('RepositoryCredentials', () => {
  test('none() is a public repository: no secret', () => {
    expect(RepositoryCredentials.none().secret).toBeUndefined();
  });

  test('fromSecretsManager() references the secret of Argo CD repository fields, with a revision', () => {
    const credentials = RepositoryCredentials.fromSecretsManager('paved/platform/git', { revision: 2 });
    expect([credentials.secret!.secretName, credentials.secret!.jsonKey, credentials.secret!.revision]).toEqual(['paved/platform/git', undefined, 2]);
    expect(RepositoryCredentials.fromSecretsManager('paved/platform/git').secret!.revision).toBe(1);
  });

  test('fails when the secret name is malformed', () => {
    expect(() => RepositoryCredentials.fromSecretsManager('git token')).toThrow('BootstrapSecret.fromSecretsManager: secretName: got "git token"');
  });
});
