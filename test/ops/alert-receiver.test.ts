import { AlertReceiver, ReceiverKind, ReceiverSecret } from '../../lib/ops';

const secret = (name: string) => ReceiverSecret.fromSecretsManager(`paved/prod/shop/alerting/${name}`, 'value');

describe('AlertReceiver', () => {
  test.each([
    [AlertReceiver.slack({ name: 'chat', webhookUrl: secret('chat'), channel: '#shop' }), ReceiverKind.SLACK, 'slackConfigs', 'apiURL', 'url'],
    [AlertReceiver.pagerDuty({ name: 'pd', routingKey: secret('pd') }), ReceiverKind.PAGERDUTY, 'pagerdutyConfigs', 'routingKey', 'routing-key'],
    [AlertReceiver.webhook({ name: 'hook', url: secret('hook') }), ReceiverKind.WEBHOOK, 'webhookConfigs', 'urlSecret', 'url'],
    [AlertReceiver.msTeams({ name: 'teams', webhookUrl: secret('teams') }), ReceiverKind.MSTEAMS, 'msteamsConfigs', 'webhookUrl', 'url'],
    [AlertReceiver.opsgenie({ name: 'og', apiKey: secret('og') }), ReceiverKind.OPSGENIE, 'opsgenieConfigs', 'apiKey', 'api-key'],
    [AlertReceiver.email({ name: 'mail', to: 'shop@example.com', from: 'am@example.com', smarthost: 'smtp.example.com:587', authUsername: 'am', authPassword: secret('mail') }), ReceiverKind.EMAIL, 'emailConfigs', 'authPassword', 'password'],
  ])('%# refers to its credential in a Secret, never inline', (receiver, kind, configs, field, key) => {
    const bound = receiver._bind('scope', 'receivers[0]', 'paved/prod/shop/');
    expect(receiver.kind).toBe(kind);
    expect(bound.receiver[configs][0][field]).toEqual({ name: `alertmanager-${receiver.name}`, key });
    expect(bound.receiver[configs][0].sendResolved).toBe(true);
    expect(bound.data).toEqual({ secretKey: key, remoteRef: { key: receiver.secret.key, property: 'value' } });
  });

  test('a secret without a property reads the whole secret string', () => {
    const bound = AlertReceiver.webhook({ name: 'h', url: ReceiverSecret.fromSecretsManager('paved/prod/shop/hook') })._bind('s', 'r', 'paved/prod/shop/');
    expect(bound.data.remoteRef).toEqual({ key: 'paved/prod/shop/hook' });
  });

  test('fails without a secret reference, or with the credential inline', () => {
    expect(() => AlertReceiver.slack({ name: 'chat', webhookUrl: undefined as any }))
      .toThrow('AlertReceiver.slack: webhookUrl: got undefined; expected a ReceiverSecret (ReceiverSecret.fromSecretsManager(...))');
    expect(() => AlertReceiver.pagerDuty({ name: 'pd', routingKey: 'R0UT1NGKEY' as any }))
      .toThrow('AlertReceiver.pagerDuty: routingKey: got "(an inline value, not shown)"; expected a ReceiverSecret');
    expect(() => AlertReceiver.pagerDuty({ name: 'pd', routingKey: 'R0UT1NGKEY' as any })).not.toThrow(/R0UT1NGKEY/);
  });

  test('fails with a secret outside the namespace\'s key prefix', () => {
    expect(() => AlertReceiver.webhook({ name: 'h', url: secret('h') })._bind('scope', 'receivers[0]', 'paved/prod/billing/'))
      .toThrow('scope: receivers[0].secret: got "paved/prod/shop/alerting/h"; expected a Secrets Manager secret under paved/prod/billing/');
  });

  test.each([
    [() => ReceiverSecret.fromSecretsManager('has space'), 'ReceiverSecret: key: got "has space"; expected a Secrets Manager secret name'],
    [() => ReceiverSecret.fromSecretsManager('a', ' '), 'ReceiverSecret: property: got " "; expected a JSON property name'],
    [() => AlertReceiver.webhook({ name: 'Hook', url: secret('h') }), 'AlertReceiver: name: got "Hook"; expected a DNS label'],
    [() => AlertReceiver.slack({ name: 'c', webhookUrl: secret('c'), channel: 'Shop Alerts' }), 'AlertReceiver c: channel: got "Shop Alerts"; expected a Slack channel name'],
    [() => AlertReceiver.email({ name: 'm', to: 'nobody', from: 'a@b.io', smarthost: 'h:25', authUsername: 'u', authPassword: secret('m') }), 'AlertReceiver m: to: got "nobody"; expected an email address'],
    [() => AlertReceiver.email({ name: 'm', to: 'a@b.io', from: 'a@b.io', smarthost: 'smtp', authUsername: 'u', authPassword: secret('m') }), 'AlertReceiver m: smarthost: got "smtp"; expected an SMTP server as host:port'],
    [() => AlertReceiver.email({ name: 'm', to: 'a@b.io', from: 'a@b.io', smarthost: 'h:25', authUsername: '', authPassword: secret('m') }), 'AlertReceiver m: authUsername: got ""; expected the SMTP user name'],
  ])('fails %#', (make, message) => {
    expect(make).toThrow(message);
  });
});
