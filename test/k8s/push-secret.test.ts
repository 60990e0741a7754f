import { App, Chart } from 'cdk8s';
import { PushSecret } from '../../lib/k8s';
import { expectValidKubernetesObjects } from '../support/k8s-schema';
import { synthChart } from '../support/synth';

const DATA = [{ secretKey: 'password', remoteKey: 'paved/dev/shop/orders/db/credentials', property: 'password' }];

function render(props: any): any {
  const chart = new Chart(new App(), 'push', { namespace: 'paved-db-admin', disableResourceNameHashes: true });
  new PushSecret(chart, 'Push', props);
  const objects = synthChart(chart);
  expectValidKubernetesObjects(objects);
  return objects[0];
}

describe('PushSecret', () => {
  test('writes keys of a Secret as JSON properties in plain text through the store, leaves the remote secret when deleted', () => {
    // WHEN
    const push = render({ name: 'shop-orders-db', secretName: 'shop-orders-db-password', secretStoreName: 'tenant-shop', data: DATA, partOf: 'shop' });
    // THEN
    expect(push.apiVersion).toBe('external-secrets.io/v1alpha1');
    expect(push.metadata.annotations).toEqual({ 'argocd.argoproj.io/sync-wave': '1' });
    expect(push.spec).toEqual({
      refreshInterval: '1h',
      updatePolicy: 'Replace',
      deletionPolicy: 'None',
      secretStoreRefs: [{ kind: 'SecretStore', name: 'tenant-shop' }],
      selector: { secret: { name: 'shop-orders-db-password' } },
      data: [{
        match: { secretKey: 'password', remoteRef: { remoteKey: 'paved/dev/shop/orders/db/credentials', property: 'password' } },
        metadata: { apiVersion: 'kubernetes.external-secrets.io/v1alpha1', kind: 'PushSecretMetadata', spec: { secretPushFormat: 'string' } },
      }],
    });
  });

  test('takes a sync wave and a refresh interval', () => {
    const push = render({ name: 'p', secretName: 's', secretStoreName: 't', data: DATA, syncWave: 3, refreshInterval: '15m' });
    expect([push.metadata.annotations['argocd.argoproj.io/sync-wave'], push.spec.refreshInterval]).toEqual(['3', '15m']);
  });

  describe('fails when', () => {
    const base = { name: 'p', secretName: 's', secretStoreName: 't', data: DATA };
    test('a name is not a DNS subdomain', () => {
      expect(() => render({ ...base, secretName: 'S!' })).toThrow('push/Push: secretName: got "S!"');
    });
    test('there is nothing to push', () => {
      expect(() => render({ ...base, data: [] })).toThrow('push/Push: data: got []; expected at least one key to push');
    });
    test('a key, remote key or property is invalid', () => {
      expect(() => render({ ...base, data: [{ ...DATA[0], secretKey: 'a b' }] })).toThrow('push/Push: data[0].secretKey: got "a b"');
      expect(() => render({ ...base, data: [{ ...DATA[0], remoteKey: 'a b' }] })).toThrow('push/Push: data[0].remoteKey: got "a b"');
      expect(() => render({ ...base, data: [{ ...DATA[0], property: 'a.b' }] })).toThrow('push/Push: data[0].property: got "a.b"');
    });
    test('the refresh interval or sync wave is invalid', () => {
      expect(() => render({ ...base, refreshInterval: 'hourly' })).toThrow('push/Push: refreshInterval: got "hourly"');
      expect(() => render({ ...base, syncWave: 1.5 })).toThrow('push/Push: syncWave: got 1.5');
    });
  });
});
