import { Duration } from 'cdk8s';
import { AlertReceiver, MonitoringStack, PlatformAlertRouting, ReceiverSecret, TenantAlertRouting } from '../../lib/ops';
import { expectValidKubernetesObjects } from '../support/k8s-schema';
import { byKindName, shopChart } from '../support/ops';

const slack = (name: string, prefix = 'paved/prod/shop') => AlertReceiver.slack({ name, webhookUrl: ReceiverSecret.fromSecretsManager(`${prefix}/alerting/${name}`, 'url') });
const pd = (name: string, prefix = 'paved/prod/shop') => AlertReceiver.pagerDuty({ name, routingKey: ReceiverSecret.fromSecretsManager(`${prefix}/alerting/${name}`) });

describe('TenantAlertRouting', () => {
  test('routes the tenant\'s alerts only, critical ones to the page receiver too, credentials through ExternalSecrets', () => {
    // GIVEN
    const chart = shopChart();
    // WHEN
    const routing = new TenantAlertRouting(chart, 'Alerts', { tenant: 'shop', environment: 'prod', receivers: [slack('chat'), pd('oncall')], pageReceiver: 'oncall' });
    // THEN
    const objects = byKindName(chart);
    expectValidKubernetesObjects(Object.values(objects));
    expect(Object.keys(objects)).toEqual(['ExternalSecret/alertmanager-chat', 'ExternalSecret/alertmanager-oncall', 'AlertmanagerConfig/shop-alerts']);
    const config = objects['AlertmanagerConfig/shop-alerts'];
    expect(config.apiVersion).toBe('monitoring.coreos.com/v1alpha1');
    expect(config.spec.route).toEqual({
      receiver: 'chat',
      matchers: [{ name: 'namespace', value: 'shop', matchType: '=' }],
      routes: [
        { receiver: 'oncall', matchers: [{ name: 'severity', value: 'critical', matchType: '=' }], continue: true },
        { receiver: 'chat' },
      ],
      groupBy: ['alertname', 'namespace', 'workload', 'slo'],
      groupWait: '30s',
      groupInterval: '5m',
      repeatInterval: '4h',
    });
    expect(config.spec.receivers.map((r: any) => r.name)).toEqual(['chat', 'oncall']);
    expect(JSON.stringify(config)).not.toContain('paved/prod');
    expect(objects['ExternalSecret/alertmanager-chat'].spec).toEqual({
      refreshInterval: '1h',
      secretStoreRef: { kind: 'SecretStore', name: 'paved' },
      target: { name: 'alertmanager-chat', creationPolicy: 'Owner' },
      data: [{ secretKey: 'url', remoteRef: { key: 'paved/prod/shop/alerting/chat', property: 'url' } }],
    });
    // Before the AlertmanagerConfig that reads it: Argo CD's wave -1 (SyncWave.SECRETS).
    expect(objects['ExternalSecret/alertmanager-chat'].metadata.annotations).toEqual({ 'argocd.argoproj.io/sync-wave': '-2' });
    expect(Object.keys(routing.externalSecrets)).toEqual(['chat', 'oncall']);
  });

  test('without a page receiver every alert goes to the default one; grouping is configurable', () => {
    const chart = shopChart();
    new TenantAlertRouting(chart, 'Alerts', {
      tenant: 'shop',
      environment: 'prod',
      receivers: [slack('chat'), pd('oncall')],
      defaultReceiver: 'oncall',
      groupBy: ['alertname'],
      groupWait: Duration.seconds(10),
      groupInterval: Duration.minutes(1),
      repeatInterval: Duration.hours(12),
      stack: new MonitoringStack({ discoveryLabels: { release: 'kps' } }),
    });
    const config = byKindName(chart)['AlertmanagerConfig/shop-alerts'];
    expect(config.spec.route).toMatchObject({ receiver: 'oncall', routes: [], groupBy: ['alertname'], groupWait: '10s', groupInterval: '1m', repeatInterval: '12h' });
    expect(config.metadata.labels.release).toBe('kps');
  });

  test.each<[any, string]>([
    [{ receivers: [] }, 'receivers: got []; expected one or more AlertReceiver'],
    [{ receivers: [{}] }, 'receivers[0]: got {}; expected an AlertReceiver'],
    [{ receivers: [slack('chat'), slack('chat')] }, 'receivers[1].name: got "chat"; expected a name no other receiver has'],
    [{ defaultReceiver: 'nope' }, 'defaultReceiver: got "nope"; expected one of the receivers: chat'],
    [{ pageReceiver: 'nope' }, 'pageReceiver: got "nope"; expected one of the receivers: chat'],
    [{ receivers: [slack('chat', 'paved/prod/billing')] }, 'receivers[0].secret: got "paved/prod/billing/alerting/chat"; expected a Secrets Manager secret under paved/prod/shop/'],
    [{ tenant: 'Shop' }, 'tenant: got "Shop"; expected a DNS label'],
    [{ environment: 'Prod' }, 'environment: got "Prod"; expected a DNS label'],
    [{ groupBy: ['a-b'] }, 'groupBy: got ["a-b"]; expected one or more Prometheus label names'],
  ])('fails with %j', (override, message) => {
    expect(() => new TenantAlertRouting(shopChart(), 'Alerts', { tenant: 'shop', environment: 'prod', receivers: [slack('chat')], ...override }))
      .toThrow(`test/Alerts: ${message}`);
  });
});

describe('PlatformAlertRouting', () => {
  test('platform-wide alerts to the platform, packs to their owners, alerts of tenants with routing stop at an empty receiver', () => {
    const chart = shopChart('monitoring');
    const routing = new PlatformAlertRouting(chart, 'Alerts', {
      environment: 'prod',
      receivers: [slack('platform', 'paved/prod/platform'), pd('platform-oncall', 'paved/prod/platform'), slack('dbaas', 'paved/prod/platform')],
      pageReceiver: 'platform-oncall',
      ownerReceivers: { dbaas: 'dbaas' },
      routedTenants: ['shop'],
    });
    routing.addRoutedTenant('analytics');
    routing.addRoutedTenant('shop');
    const objects = byKindName(chart);
    expectValidKubernetesObjects(Object.values(objects));
    const config = objects['AlertmanagerConfig/platform-alerts'];
    expect(routing.name).toBe('platform-alerts');
    expect(config.spec.route).toMatchObject({
      receiver: 'platform',
      routes: [
        { receiver: 'routed-by-tenant', matchers: [{ name: 'tenant', value: 'analytics|shop', matchType: '=~' }] },
        { receiver: 'platform-oncall', matchers: [{ name: 'severity', value: 'critical', matchType: '=' }], continue: true },
        { receiver: 'dbaas', matchers: [{ name: 'owner', value: 'dbaas', matchType: '=' }] },
      ],
    });
    expect(config.spec.receivers.map((r: any) => r.name)).toEqual(['platform', 'platform-oncall', 'dbaas', 'routed-by-tenant']);
    expect(objects['ExternalSecret/alertmanager-platform'].spec.secretStoreRef).toEqual({ kind: 'SecretStore', name: 'paved' });
    expect(routing.routedTenants).toEqual(['shop', 'analytics']);
    // After the receivers' secrets (wave -1), with the other monitoring objects.
    expect(config.metadata.annotations['argocd.argoproj.io/sync-wave']).toBe('1');
    expect(objects['ExternalSecret/alertmanager-platform'].metadata.annotations['argocd.argoproj.io/sync-wave']).toBe('-2');
  });

  test('without tenants that route their own alerts, every alert reaches the platform\'s receivers', () => {
    const chart = shopChart('monitoring');
    new PlatformAlertRouting(chart, 'Alerts', { environment: 'prod', receivers: [slack('platform', 'paved/prod/platform')] });
    expect(byKindName(chart)['AlertmanagerConfig/platform-alerts'].spec.route).toMatchObject({ receiver: 'platform', routes: [] });
  });

  test('fails when a routed tenant is not a tenant name', () => {
    const routing = new PlatformAlertRouting(shopChart('monitoring'), 'Alerts', { environment: 'prod', receivers: [slack('platform', 'paved/prod/platform')] });
    expect(() => routing.addRoutedTenant('.+')).toThrow('test/Alerts: tenant: got ".+"; expected a tenant name (a DNS label)');
    expect(() => new PlatformAlertRouting(shopChart('monitoring'), 'Alerts', { environment: 'prod', receivers: [slack('platform', 'paved/prod/platform')], routedTenants: 'shop' as any }))
      .toThrow('test/Alerts: routedTenants: got "shop"; expected a list, each item a string');
  });

  test('the SecretStore name is configurable', () => {
    const chart = shopChart('monitoring');
    new PlatformAlertRouting(chart, 'Alerts', { environment: 'prod', receivers: [slack('platform', 'paved/prod/platform')], secretStoreName: 'platform-secrets' });
    expect(byKindName(chart)['ExternalSecret/alertmanager-platform'].spec.secretStoreRef.name).toBe('platform-secrets');
  });

  test.each<[any, string]>([
    [{ receivers: [slack('routed-by-tenant', 'paved/prod/platform')] }, 'receivers: got "routed-by-tenant"; expected receiver names other than'],
    [{ ownerReceivers: { DBaaS: 'platform' } }, 'ownerReceivers key: got "DBaaS"; expected an owner name'],
    [{ ownerReceivers: { dbaas: 'nope' } }, 'ownerReceivers.dbaas: got "nope"; expected one of the receivers: platform'],
    [{ pageReceiver: 'nope' }, 'pageReceiver: got "nope"; expected one of the receivers'],
    [{ secretStoreName: 'A' }, 'secretStoreName: got "A"; expected a DNS label'],
    [{ receivers: [slack('platform', 'paved/prod/shop')] }, 'receivers[0].secret: got "paved/prod/shop/alerting/platform"; expected a Secrets Manager secret under paved/prod/platform/'],
  ])('fails with %j', (override, message) => {
    expect(() => new PlatformAlertRouting(shopChart('monitoring'), 'Alerts', { environment: 'prod', receivers: [slack('platform', 'paved/prod/platform')], ...override }))
      .toThrow(`test/Alerts: ${message}`);
  });
});
