import { App, Chart } from 'cdk8s';
import { SecretsManagerStore } from '../../lib/k8s';
import { expectValidKubernetesObjects } from '../support/k8s-schema';
import { synthChart } from '../support/synth';

const ROLE = 'arn:aws:iam::111111111111:role/dev-shop-db-admin';

function render(props: any): any {
  const chart = new Chart(new App(), 'store', { namespace: 'paved-db-admin', disableResourceNameHashes: true });
  new SecretsManagerStore(chart, 'Store', props);
  const objects = synthChart(chart);
  expectValidKubernetesObjects(objects);
  return objects[0];
}

describe('SecretsManagerStore', () => {
  test('reads AWS Secrets Manager of the region through the role, in the boundary sync wave', () => {
    // WHEN
    const store = render({ name: 'tenant-shop', region: 'eu-central-1', roleArn: ROLE, partOf: 'shop' });
    // THEN
    expect(store).toMatchObject({
      apiVersion: 'external-secrets.io/v1',
      kind: 'SecretStore',
      metadata: {
        name: 'tenant-shop',
        namespace: 'paved-db-admin',
        annotations: { 'argocd.argoproj.io/sync-wave': '-3' },
        labels: { 'app.kubernetes.io/part-of': 'shop', 'app.kubernetes.io/component': 'secret-store' },
      },
      spec: { provider: { aws: { service: 'SecretsManager', region: 'eu-central-1', role: ROLE } } },
    });
  });

  test('has no part-of label by default', () => {
    expect(render({ name: 'paved', region: 'eu-central-1', roleArn: ROLE }).metadata.labels['app.kubernetes.io/part-of']).toBeUndefined();
  });

  describe('fails when', () => {
    test('the name is not a DNS subdomain', () => {
      expect(() => render({ name: 'Tenant_Shop', region: 'eu-central-1', roleArn: ROLE })).toThrow('store/Store: name: got "Tenant_Shop"');
    });
    test('the region is unknown', () => {
      expect(() => render({ name: 's', region: 'eu-middle-9', roleArn: ROLE })).toThrow('store/Store: region: got "eu-middle-9"; expected an AWS region');
    });
    test('the role is not an IAM role ARN, or of another partition', () => {
      expect(() => render({ name: 's', region: 'eu-central-1', roleArn: 'dev-shop-db-admin' })).toThrow('store/Store: roleArn: got "dev-shop-db-admin"');
      expect(() => render({ name: 's', region: 'cn-north-1', roleArn: ROLE })).toThrow('expected a role in partition aws-cn');
    });
  });
});
