import { Chart, Testing } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { expectValidKubernetesObjects, validateKubernetesObjects } from './k8s-schema';

/** What cdk8s-plus-28 emits for a small web app: Deployment, Service, ServiceAccount, HorizontalPodAutoscaler. */
function webObjects(): any[] {
  const chart = new Chart(Testing.app(), 'web', { namespace: 'shop', disableResourceNameHashes: true });
  const web = new kplus.Deployment(chart, 'orders', {
    metadata: { name: 'orders' },
    containers: [{ image: 'nginx:1.27', portNumber: 8080, securityContext: { user: 1000 } }],
  });
  web.exposeViaService({ name: 'orders' });
  new kplus.ServiceAccount(chart, 'sa', { metadata: { name: 'orders' } });
  new kplus.HorizontalPodAutoscaler(chart, 'hpa', { target: web, maxReplicas: 4 });
  return chart.toJson();
}

function deployment(spec: any, name: string = 'orders'): any {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name, namespace: 'shop' },
    spec: {
      selector: { matchLabels: { app: name } },
      template: { metadata: { labels: { app: name } }, spec: { containers: [{ name: 'main', image: 'nginx' }] } },
      ...spec,
    },
  };
}

describe('validateKubernetesObjects', () => {
  test('passes the objects cdk8s-plus-28 emits', () => {
    // GIVEN
    const objects = webObjects();

    // THEN
    expect(objects.map(o => o.kind)).toEqual(['Deployment', 'Service', 'ServiceAccount', 'HorizontalPodAutoscaler']);
    expect(validateKubernetesObjects(objects)).toEqual([]);
  });

  test('finds a field of the wrong type', () => {
    // GIVEN
    const objects = [deployment({ replicas: 'two' })];

    // THEN
    expect(validateKubernetesObjects(objects)).toEqual(['Deployment/orders: spec.replicas: must be integer']);
  });

  test('finds a missing required field', () => {
    // GIVEN
    const objects = [deployment({ template: { spec: { containers: [{ image: 'nginx' }] } } })];

    // THEN
    expect(validateKubernetesObjects(objects)).toEqual([
      "Deployment/orders: spec.template.spec.containers[0]: must have required property 'name'",
    ]);
  });

  test('finds an invalid object name, namespace and label', () => {
    // GIVEN
    const objects = [{
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'Orders_Config', namespace: 'shop.eu', labels: { 'app.kubernetes.io/name': 'x'.repeat(64) } },
    }];

    // THEN
    expect(validateKubernetesObjects(objects)).toEqual([
      'ConfigMap/Orders_Config: metadata.name: "Orders_Config" is not a DNS-1123 subdomain (lowercase letters, digits, "-", ".", at most 253)',
      'ConfigMap/Orders_Config: metadata.namespace: "shop.eu" is not a DNS-1123 label',
      `ConfigMap/Orders_Config: metadata.labels["app.kubernetes.io/name"]: value "${'x'.repeat(64)}" is not a label value (at most 63 of [A-Za-z0-9-_.], alphanumeric at both ends)`,
    ]);
  });

  test('finds a Service name that is not a DNS label and a CronJob name over 52 characters', () => {
    // GIVEN
    const objects = [
      { apiVersion: 'v1', kind: 'Service', metadata: { name: 'orders.api' }, spec: {} },
      {
        apiVersion: 'batch/v1',
        kind: 'CronJob',
        metadata: { name: 'c'.repeat(53) },
        spec: { schedule: '0 * * * *', jobTemplate: { spec: { template: { spec: { containers: [{ name: 'main', image: 'x' }] } } } } },
      },
    ];

    // THEN
    expect(validateKubernetesObjects(objects)).toEqual([
      'Service/orders.api: metadata.name: "orders.api" is not a DNS-1123 label (lowercase letters, digits, "-", at most 63)',
      `CronJob/${'c'.repeat(53)}: metadata.name: "${'c'.repeat(53)}" is 53 characters; a CronJob name may have at most 52`,
    ]);
  });

  test('accepts RBAC names with colons', () => {
    // GIVEN
    const objects = [{
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'ClusterRole',
      metadata: { name: 'paved:aggregate-to-view' },
      rules: [],
    }];

    // THEN
    expect(validateKubernetesObjects(objects)).toEqual([]);
  });

  test('reports a kind it cannot validate instead of skipping it', () => {
    // GIVEN
    const objects = [
      { apiVersion: 'external-secrets.io/v1beta1', kind: 'ExternalSecret', metadata: { name: 'db' }, spec: {} },
      { apiVersion: 'apps/v1', kind: 'DeploymentSpec', metadata: { name: 'x' } },
      { kind: 'Deployment', metadata: { name: 'x' } },
      'not an object',
    ];

    // THEN
    expect(validateKubernetesObjects(objects)).toEqual([
      'ExternalSecret/db: apiVersion/kind: external-secrets.io/v1beta1 ExternalSecret is neither a built-in kind in kubernetes-models nor an operator kind in CRD_MODELS or test/fixtures/crds',
      'DeploymentSpec/x: apiVersion/kind: apps/v1 DeploymentSpec is neither a built-in kind in kubernetes-models nor an operator kind in CRD_MODELS or test/fixtures/crds',
      'Deployment/x: apiVersion: is missing or not a string',
      'object #3: is "not an object", not a Kubernetes object',
    ]);
  });

  test('checks operator kinds against their vendored CRD schema, refusing fields the schema does not declare', () => {
    // GIVEN
    const store = (provider: any) => ({ apiVersion: 'external-secrets.io/v1', kind: 'SecretStore', metadata: { name: 'paved', namespace: 'shop' }, spec: { provider } });
    const objects = [
      store({ aws: { service: 'SecretsManager', region: 'eu-central-1', role: 'arn:aws:iam::111111111111:role/dev-shop-secrets' } }),
      { apiVersion: 'external-secrets.io/v1', kind: 'SecretStore', metadata: { namespace: 'shop' }, spec: {} },
      store({ aws: { service: 'SecretManager', region: 'eu-central-1' } }),
      store({ aws: { service: 'SecretsManager', region: 'eu-central-1', roleArn: 'arn:aws:iam::111111111111:role/x' } }),
      { apiVersion: 'generators.external-secrets.io/v1alpha1', kind: 'Password', metadata: { name: 'db' }, spec: { length: '32', allowRepeat: true, noUpper: false } },
    ];

    // THEN
    expect(validateKubernetesObjects(objects)).toEqual([
      'SecretStore/(no name): metadata.name: is missing (generateName cannot be applied by GitOps)',
      "SecretStore/(no name): spec: must have required property 'provider'",
      'SecretStore/paved: spec.provider.aws.service: must be equal to one of the allowed values',
      'SecretStore/paved: spec.provider.aws: must NOT have additional properties',
      'Password/db: spec.length: must be integer',
    ]);
  });
});

describe('expectValidKubernetesObjects', () => {
  test('fails listing every problem', () => {
    // GIVEN
    const objects = [deployment({ replicas: 'two' }), deployment({ template: { spec: { containers: [{}] } } }, 'payments')];

    // THEN
    expect(() => expectValidKubernetesObjects(objects)).toThrow(
      '2 invalid Kubernetes object field(s):\n'
      + '  Deployment/orders: spec.replicas: must be integer\n'
      + "  Deployment/payments: spec.template.spec.containers[0]: must have required property 'name'");
  });

  test('passes valid objects', () => {
    expect(() => expectValidKubernetesObjects(webObjects())).not.toThrow();
  });
});
