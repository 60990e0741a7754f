import { App, Chart } from 'cdk8s';
import { GeneratedPassword } from '../../lib/k8s';
import { expectValidKubernetesObjects } from '../support/k8s-schema';
import { synthChart } from '../support/synth';

function render(props: any): { generator: any; externalSecret: any; construct: GeneratedPassword } {
  const chart = new Chart(new App(), 'password', { namespace: 'paved-db-admin', disableResourceNameHashes: true });
  const construct = new GeneratedPassword(chart, 'Password', props);
  const objects = synthChart(chart);
  expectValidKubernetesObjects(objects);
  return { generator: objects.find(o => o.kind === 'Password'), externalSecret: objects.find(o => o.kind === 'ExternalSecret'), construct };
}

describe('GeneratedPassword', () => {
  test('generates 32 letters and digits once, into the Secret of its name', () => {
    // WHEN
    const { generator, externalSecret, construct } = render({ name: 'shop-orders-db-password' });
    // THEN
    expect(generator.spec).toEqual({ length: 32, digits: 8, symbols: 0, noUpper: false, allowRepeat: true });
    expect(generator.metadata.annotations).toEqual({ 'argocd.argoproj.io/sync-wave': '-3' });
    expect(externalSecret.metadata.annotations).toEqual({ 'argocd.argoproj.io/sync-wave': '-2' });
    expect(externalSecret.spec).toEqual({
      refreshPolicy: 'CreatedOnce',
      target: { name: 'shop-orders-db-password', creationPolicy: 'Owner' },
      dataFrom: [{ sourceRef: { generatorRef: { apiVersion: 'generators.external-secrets.io/v1alpha1', kind: 'Password', name: 'shop-orders-db-password' } } }],
    });
    expect([construct.secretName, GeneratedPassword.KEY]).toEqual(['shop-orders-db-password', 'password']);
  });

  test('takes a length', () => {
    expect(render({ name: 'p', length: 64 }).generator.spec).toMatchObject({ length: 64, digits: 16, symbols: 0 });
  });

  test('fails when the name or length is invalid', () => {
    expect(() => render({ name: 'P' })).toThrow('password/Password: name: got "P"');
    expect(() => render({ name: 'p', length: 16 })).toThrow('password/Password: length: got 16');
  });
});
