import { App, Chart } from 'cdk8s';
import { ExternalSecret } from '../../lib/k8s';
import { expectValidKubernetesObjects } from '../support/k8s-schema';
import { synthChart } from '../support/synth';

function newChart(): Chart {
  return new Chart(new App(), 'test', { namespace: 'shop', disableResourceNameHashes: true });
}

function render(props: any): any {
  const chart = newChart();
  new ExternalSecret(chart, 'Secret', props);
  const objects = synthChart(chart);
  expectValidKubernetesObjects(objects);
  return objects[0];
}

describe('ExternalSecret', () => {
  test('reads keys by name through the tenant\'s store into a Secret of the same name it owns, every hour, before the workloads sync', () => {
    // WHEN
    const object = render({ name: 'orders-db', data: [{ secretKey: 'host', remoteKey: 'paved/prod/shop/orders/db', property: 'host' }] });
    // THEN
    expect(object).toEqual({
      apiVersion: 'external-secrets.io/v1',
      kind: 'ExternalSecret',
      // Argo CD's wave -1 (SyncWave.SECRETS): the Secret exists before the pods that read it start.
      metadata: { name: 'orders-db', namespace: 'shop', annotations: { 'argocd.argoproj.io/sync-wave': '-2' } },
      spec: {
        refreshInterval: '1h',
        secretStoreRef: { kind: 'SecretStore', name: 'paved' },
        target: { name: 'orders-db', creationPolicy: 'Owner' },
        data: [{ secretKey: 'host', remoteRef: { key: 'paved/prod/shop/orders/db', property: 'host' } }],
      },
    });
  });

  test('merges keys of secrets found by tags through a template', () => {
    // WHEN
    const object = render({
      name: 'orders-db',
      find: [{ tags: { 'aws:rds:primaryDBInstanceArn': 'arn:aws:rds:eu-central-1:123456789012:db:prod-shop-orders-db' }, properties: { password: 'password' } }],
      refreshInterval: '15m',
      secretStoreName: 'platform',
      labels: { 'app.kubernetes.io/name': 'orders' },
    });
    // THEN
    expect(object.metadata.labels).toEqual({ 'app.kubernetes.io/name': 'orders' });
    expect(object.spec.refreshInterval).toBe('15m');
    expect(object.spec.secretStoreRef.name).toBe('platform');
    expect(object.spec.target.template).toEqual({ engineVersion: 'v2', mergePolicy: 'Merge', data: { password: '{{ (index . "found-0" | fromJson).password }}' } });
    expect(object.spec.dataFrom).toEqual([{
      find: { tags: { 'aws:rds:primaryDBInstanceArn': 'arn:aws:rds:eu-central-1:123456789012:db:prod-shop-orders-db' } },
      rewrite: [{ regexp: { source: '^.*$', target: 'found-0' } }],
    }]);
    expect(object.spec.data).toEqual([]);
  });

  test('composes keys from the other keys with templates, keeping them', () => {
    // WHEN
    const object = render({
      name: 'catalog-docs',
      data: [{ secretKey: 'password', remoteKey: 'paved/prod/shop/catalog/docs/credentials', property: 'password' }],
      templates: { connection: 'mongodb://app:{{ .password }}@docs:27017/' },
    });
    // THEN
    expect(object.spec.target.template).toEqual({ engineVersion: 'v2', mergePolicy: 'Merge', data: { connection: 'mongodb://app:{{ .password }}@docs:27017/' } });
  });

  test('annotations join the sync wave, and may move it', () => {
    // WHEN
    const data = [{ secretKey: 'token', remoteKey: 'paved/prod/shop/orders/api-token' }];
    const annotated = render({ name: 'orders-token', data, annotations: { 'reloader.stakater.com/match': 'true' } });
    const moved = render({ name: 'orders-token', data, annotations: { 'argocd.argoproj.io/sync-wave': '-3' } });
    // THEN
    expect(annotated.metadata.annotations).toEqual({ 'argocd.argoproj.io/sync-wave': '-2', 'reloader.stakater.com/match': 'true' });
    expect(moved.metadata.annotations).toEqual({ 'argocd.argoproj.io/sync-wave': '-3' });
  });

  describe('fails when', () => {
    const DATA = [{ secretKey: 'host', remoteKey: 'paved/prod/shop/orders/db', property: 'host' }];
    test.each([
      [{ name: 'Orders', data: DATA }, 'name: got "Orders"; expected a DNS-1123 subdomain'],
      [{ name: 'orders-db' }, 'data: got undefined; expected at least one key to read: data or find'],
      [{ name: 'orders-db', data: DATA, refreshInterval: 'hourly' }, 'refreshInterval: got "hourly"; expected a duration such as "1h" or "15m"'],
      [{ name: 'orders-db', data: [...DATA, DATA[0]] }, 'data[1].secretKey: got "host"; expected a Secret key of letters, digits, "-", "_" and ".", not used by another key'],
      [{ name: 'orders-db', data: [{ secretKey: 'host', remoteKey: '' }] }, 'data[0].remoteKey: got ""; expected the name of the remote secret'],
      [{ name: 'orders-db', find: [{ tags: {}, properties: { password: 'password' } }] }, 'find[0].tags: got {}; expected at least one tag that identifies the remote secret'],
      [{ name: 'orders-db', secretStoreName: 'Paved', data: DATA }, 'secretStoreName: got "Paved"; expected a DNS-1123 subdomain'],
      [{ name: 'orders-db', data: DATA, annotations: { 'not a key': 'x' } }, 'annotations key: got "not a key"; expected an annotation key'],
      [{ name: 'orders-db', data: DATA, annotations: { note: 1 } }, 'annotations.note: got 1; expected a string'],
      [{ name: 'orders-db', data: DATA, templates: { host: '{{ .host }}' } }, 'templates: got "host"; expected a Secret key of letters, digits, "-", "_" and ".", not used by another key'],
      [{ name: 'orders-db', data: DATA, templates: { url: '' } }, 'templates.url: got ""; expected an External Secrets template (a non-empty string)'],
    ])('%j', (props, message) => {
      expect(() => new ExternalSecret(newChart(), 'Secret', props as any)).toThrow(`test/Secret: ${message}`);
    });
  });
});
