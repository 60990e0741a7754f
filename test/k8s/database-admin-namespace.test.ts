import { App, Chart } from 'cdk8s';
import { DatabaseAdminNamespace } from '../../lib/k8s';
import { expectValidKubernetesObjects } from '../support/k8s-schema';
import { synthChart } from '../support/synth';

const CA = '-----BEGIN CERTIFICATE-----\nMIIBszCCAVmgAwIBAgIUQ\n-----END CERTIFICATE-----\n';

function render(props: any): { [name: string]: any } {
  const chart = new Chart(new App(), 'namespace', { disableResourceNameHashes: true });
  new DatabaseAdminNamespace(chart, 'Namespace', props);
  const objects = synthChart(chart);
  expectValidKubernetesObjects(objects);
  return Object.fromEntries(objects.map(o => [`${o.kind}/${o.metadata.name}`, o]));
}

describe('DatabaseAdminNamespace', () => {
  test('makes the namespace paved-db-admin with restricted Pod Security, kept when its Application goes', () => {
    // WHEN
    const objects = render({ caCertificates: CA });
    // THEN
    const namespace = objects['Namespace/paved-db-admin'];
    expect(namespace.metadata.namespace).toBeUndefined();
    expect(namespace.metadata.labels).toMatchObject({
      'pod-security.kubernetes.io/enforce': 'restricted',
      'pod-security.kubernetes.io/audit': 'restricted',
      'pod-security.kubernetes.io/warn': 'restricted',
    });
    expect(namespace.metadata.annotations).toEqual({
      'argocd.argoproj.io/sync-wave': '-4',
      'argocd.argoproj.io/sync-options': 'Prune=false,Delete=false',
    });
  });

  test('denies all traffic of its pods but DNS; its jobs run without an API token', () => {
    // WHEN
    const objects = render({ caCertificates: CA });
    // THEN
    expect(objects['NetworkPolicy/default-deny'].spec).toEqual({ podSelector: {}, policyTypes: ['Ingress', 'Egress'] });
    expect(objects['NetworkPolicy/allow-dns'].spec.egress[0].ports.map((p: any) => [p.protocol, p.port])).toEqual([['UDP', 53], ['TCP', 53]]);
    expect(objects['ServiceAccount/database-admin']).toMatchObject({ metadata: { namespace: 'paved-db-admin' }, automountServiceAccountToken: false });
  });

  test('keeps the root certificates in the ConfigMap database-ca', () => {
    // WHEN
    const objects = render({ caCertificates: `${CA}${CA}` });
    // THEN
    expect(objects['ConfigMap/database-ca'].data).toEqual({ 'ca.pem': `${CA}${CA}` });
    expect(DatabaseAdminNamespace.NAME).toBe('paved-db-admin');
  });

  test('fails when the certificates are not PEM certificates', () => {
    expect(() => render({ caCertificates: 'not a certificate' })).toThrow(
      'namespace/Namespace: caCertificates: got "not a certificate..."; expected one or more PEM certificates');
    expect(() => render({ caCertificates: `${CA}junk` })).toThrow('caCertificates');
    expect(() => render(undefined)).toThrow('namespace/Namespace: props: got undefined; expected an object of DatabaseAdminNamespaceProps { caCertificates }');
  });
});
