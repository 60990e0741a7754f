import { AlertReceiver, Environment, ReceiverSecret, TenantSecretAccess } from '../../lib';
import { expectValidDashboard } from '../support/grafana-dashboard';
import { expectValidKubernetesObjects } from '../support/k8s-schema';
import { workloadEnvironment } from '../support/synth';

const secret = (key: string, property?: string) => ReceiverSecret.fromSecretsManager(key, property);

/** The objects of the tenant's boundary manifest, by `Kind/name`. */
function boundary(env: Environment, tenant: string): { [kindName: string]: any } {
  const objects = env.chart('tenant', tenant).toJson();
  expectValidKubernetesObjects(objects);
  return Object.fromEntries(objects.map(o => [`${o.kind}/${o.metadata.name}`, o]));
}

describe('Tenant monitoring', () => {
  test('a tenant with receivers routes its namespace\'s alerts to them, credentials through its SecretStore', () => {
    // GIVEN
    const env = workloadEnvironment();
    // WHEN
    const access = TenantSecretAccess.declare(env, 'shop', {
      alerting: {
        receivers: [
          AlertReceiver.slack({ name: 'shop-chat', webhookUrl: secret('paved/dev/shop/alerting/slack', 'url'), channel: '#shop-alerts' }),
          AlertReceiver.pagerDuty({ name: 'shop-oncall', routingKey: secret('paved/dev/shop/alerting/pagerduty') }),
        ],
        pageReceiver: 'shop-oncall',
      },
    });
    // THEN
    const objects = boundary(env, 'shop');
    const config = objects['AlertmanagerConfig/shop-alerts'];
    expect(config.metadata.namespace).toBe('shop');
    expect(config.spec.route).toMatchObject({
      receiver: 'shop-chat',
      matchers: [{ name: 'namespace', value: 'shop', matchType: '=' }],
      routes: [
        { receiver: 'shop-oncall', matchers: [{ name: 'severity', value: 'critical', matchType: '=' }], continue: true },
        { receiver: 'shop-chat' },
      ],
    });
    const chat = objects['ExternalSecret/alertmanager-shop-chat'];
    expect(chat.spec.secretStoreRef).toEqual({ kind: 'SecretStore', name: objects['SecretStore/paved'].metadata.name });
    expect(chat.spec.data).toEqual([{ secretKey: 'url', remoteRef: { key: 'paved/dev/shop/alerting/slack', property: 'url' } }]);
    expect(access.alertRouting?.externalSecrets['shop-oncall']).toBeDefined();
    expect(decision(env, access)).toEqual(['alerting.receivers', 'shop-chat (slack), shop-oncall (pagerduty)', 'tenant']);
  });

  test('every tenant gets its dashboard in its folder; without receivers its alerts go to the platform', () => {
    const env = workloadEnvironment();
    const access = TenantSecretAccess.of(env, 'shop');
    const objects = boundary(env, 'shop');
    expect(access.alertRouting).toBeUndefined();
    expect(objects['AlertmanagerConfig/shop-alerts']).toBeUndefined();
    const dashboard = objects['ConfigMap/shop-overview'];
    expect(dashboard.metadata.annotations).toMatchObject({ 'grafana_folder': 'shop', 'argocd.argoproj.io/sync-wave': '1' });
    expectValidDashboard(JSON.parse(dashboard.data['shop-overview.json']));
    expect(access.dashboard.configMap.folder).toBe('shop');
    expect(decision(env, access)).toEqual(['alerting.receivers', 'none: the platform\'s default receiver gets the tenant\'s alerts', 'paved default']);
  });

  test('fails with a receiver secret outside the tenant\'s path', () => {
    const env = workloadEnvironment();
    expect(() => TenantSecretAccess.declare(env, 'shop', {
      alerting: { receivers: [AlertReceiver.webhook({ name: 'hook', url: secret('paved/dev/billing/alerting/hook') })] },
    })).toThrow('dev/shop/tenant/Alerts: receivers[0].secret: got "paved/dev/billing/alerting/hook"; expected a Secrets Manager secret under paved/dev/shop/');
  });

  test('fails with alerting that is not an object, or without receivers', () => {
    const env = workloadEnvironment();
    expect(() => TenantSecretAccess.declare(env, 'shop', { alerting: 'slack' as any })).toThrow('TenantSecretAccess.declare: alerting: got "slack"; expected an object of TenantAlerting { receivers, ... }');
    expect(() => TenantSecretAccess.declare(workloadEnvironment(), 'shop', { alerting: { receivers: [] } })).toThrow('receivers: got []; expected one or more AlertReceiver');
  });
});

function decision(env: Environment, access: TenantSecretAccess): string[] {
  const found = (env.platform as any).decisions.find((d: any) => d.property === 'alerting.receivers' && d.path === access.node.path);
  return [found.property, found.value, found.source];
}
