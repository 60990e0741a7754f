import {
  AlertReceiver, Environment, MonitoringStack, Naming, PlatformMonitoring, ReceiverSecret, SloConvention, TenantSecretAccess, Workload,
} from '../../lib';
import { expectValidKubernetesObjects } from '../support/k8s-schema';
import { synthStack, testPlatform, workloadEnvironment } from '../support/synth';
import { expectNoDanglingReferences } from '../support/tf-references';

const slack = (name: string, key: string) => AlertReceiver.slack({ name, webhookUrl: ReceiverSecret.fromSecretsManager(key, 'url') });

/** The objects of k8s/<env>/<file>.k8s.yaml, by `Kind/name`. */
function manifest(env: Environment, file: string): { [kindName: string]: any } {
  const chart = env.platform._charts().find(c => c.file === `k8s/${env.name}/${file}.k8s.yaml`);
  if (!chart) { throw new Error(`no k8s/${env.name}/${file}.k8s.yaml`); }
  const objects = chart.chart.toJson();
  expectValidKubernetesObjects(objects);
  return Object.fromEntries(objects.map(o => [`${o.kind}/${o.metadata.name}`, o]));
}

function decisions(env: Environment, path: string): string[][] {
  return (env.platform as any).decisions.filter((d: any) => d.path === path).map((d: any) => [d.property, d.value, d.source]);
}

describe('PlatformMonitoring', () => {
  test('with receivers: a secrets role for paved/<env>/platform/*, the monitoring namespace\'s SecretStore and the platform\'s routing', () => {
    // GIVEN
    const env = workloadEnvironment();
    // WHEN
    const monitoring = new PlatformMonitoring(env, 'Monitoring', {
      receivers: [slack('platform', 'paved/dev/platform/alerting/slack'), slack('dbaas', 'paved/dev/platform/alerting/dbaas')],
      ownerReceivers: { dbaas: 'dbaas' },
    });
    // THEN
    const stack = synthStack(env);
    expectNoDanglingReferences(stack);
    const role = onlyRoleNamed(stack, 'dev-platform-secrets');
    expect(role.name).toBe('dev-platform-secrets');
    expect(JSON.parse(role.assume_role_policy).Statement[0].Principal).toEqual({ AWS: 'arn:aws:iam::123456789012:role/paved-dev-external-secrets' });
    const policy = JSON.parse(onlyPolicyNamed(stack, 'read-platform-secrets').policy);
    expect(policy.Statement[0]).toMatchObject({
      Action: ['secretsmanager:GetSecretValue', 'secretsmanager:DescribeSecret'],
      Resource: 'arn:aws:secretsmanager:eu-central-1:123456789012:secret:paved/dev/platform/*',
    });
    const objects = manifest(env, 'platform-monitoring');
    expect(Object.keys(objects)).toEqual([
      'ExternalSecret/alertmanager-platform', 'ExternalSecret/alertmanager-dbaas', 'AlertmanagerConfig/platform-alerts', 'SecretStore/paved',
    ]);
    for (const object of Object.values(objects)) { expect(object.metadata.namespace).toBe('monitoring'); }
    expect(objects['SecretStore/paved'].spec.provider.aws).toEqual({
      service: 'SecretsManager', region: 'eu-central-1', role: 'arn:aws:iam::123456789012:role/dev-platform-secrets',
    });
    expect(objects['ExternalSecret/alertmanager-dbaas'].spec.data[0].remoteRef).toEqual({ key: 'paved/dev/platform/alerting/dbaas', property: 'url' });
    expect(objects['AlertmanagerConfig/platform-alerts'].spec.route.routes).toEqual([
      { receiver: 'dbaas', matchers: [{ name: 'owner', value: 'dbaas', matchType: '=' }] },
    ]);
    expect(monitoring.routing?.name).toBe('platform-alerts');
    expect(PlatformMonitoring.of(env)).toBe(monitoring);
    expect(decisions(env, 'dev/Monitoring')).toEqual([
      ['requestConvention', 'none (no request alerts; SLOs name their convention)', 'paved default'],
      ['receivers', 'platform (slack), dbaas (slack)', 'platform engineer'],
    ]);
  });

  test('tenants with receivers of their own stop at the platform\'s empty receiver; the others reach the platform', () => {
    const env = workloadEnvironment();
    new PlatformMonitoring(env, 'Monitoring', { receivers: [slack('platform', 'paved/dev/platform/alerting/slack')] });
    TenantSecretAccess.declare(env, 'shop', { alerting: { receivers: [slack('shop', 'paved/dev/shop/alerting/slack')] } });
    TenantSecretAccess.declare(env, 'analytics');
    expect(manifest(env, 'platform-monitoring')['AlertmanagerConfig/platform-alerts'].spec.route.routes).toEqual([
      { receiver: 'routed-by-tenant', matchers: [{ name: 'tenant', value: 'shop', matchType: '=~' }] },
    ]);
  });

  test('without receivers: no routing, no role; the stack still sets the convention of every workload', () => {
    const env = workloadEnvironment();
    const stack = new MonitoringStack({ requestConvention: SloConvention.openTelemetryHttp() });
    const monitoring = new PlatformMonitoring(env, 'Monitoring', { stack });
    expect(monitoring.routing).toBeUndefined();
    expect(monitoring.secretsRole).toBeUndefined();
    expect(env.platform._charts().map(c => c.file)).not.toContain('k8s/dev/platform-monitoring.k8s.yaml');
    expect(PlatformMonitoring.stackOf(env)).toBe(stack);
    const workload = new Workload(env, 'orders', { tenant: 'shop', image: 'ghcr.io/acme/orders:1.4.2', port: 8080, metrics: { port: 8080 } });
    expect(workload.monitoring.rules.alertNames).toContain('WorkloadErrorRatioHigh');
    expect(decisions(env, 'dev/Monitoring')).toEqual([
      ['requestConvention', 'opentelemetry-http', 'platform engineer'],
      ['receivers', 'none: Alertmanager keeps its chart\'s configuration', 'paved default'],
    ]);
  });

  test('an environment without one uses paved\'s default stack', () => {
    const env = workloadEnvironment();
    expect(PlatformMonitoring.of(env)).toBeUndefined();
    expect(PlatformMonitoring.stackOf(env)).toBe(PlatformMonitoring.stackOf(env));
    expect(PlatformMonitoring.stackOf(env).namespace).toBe('monitoring');
  });

  test('fails with a receiver secret outside paved/<env>/platform/', () => {
    const env = workloadEnvironment();
    expect(() => new PlatformMonitoring(env, 'Monitoring', { receivers: [slack('platform', 'paved/dev/shop/alerting/slack')] }))
      .toThrow('dev/platform-monitoring/Alerts: receivers[0].secret: got "paved/dev/shop/alerting/slack"; expected a Secrets Manager secret under paved/dev/platform/');
  });

  test('fails when a tenant named platform takes the platform\'s secrets role, whichever comes first', () => {
    const env = workloadEnvironment();
    new PlatformMonitoring(env, 'Monitoring', { receivers: [slack('platform', 'paved/dev/platform/alerting/slack')] });
    expect(() => TenantSecretAccess.declare(env, Naming.PLATFORM))
      .toThrow('tenant: got "platform"; expected a tenant whose secrets role name "dev-platform-secrets" is not taken by dev/Monitoring');
  });

  test.each<[any, string]>([
    [{ defaultReceiver: 'platform' }, 'dev/Monitoring: defaultReceiver: got "platform"; expected no value without receivers'],
    [{ ownerReceivers: { dbaas: 'x' } }, 'dev/Monitoring: ownerReceivers: got {"dbaas":"x"}; expected no value without receivers'],
    [{ stack: {} }, 'dev/Monitoring: stack: got {}; expected a MonitoringStack'],
  ])('fails with %j', (props, message) => {
    expect(() => new PlatformMonitoring(workloadEnvironment(), 'Monitoring', props)).toThrow(message);
  });

  test('fails declared twice for one environment, or under something else than an environment', () => {
    const env = workloadEnvironment(testPlatform());
    new PlatformMonitoring(env, 'Monitoring');
    expect(() => new PlatformMonitoring(env, 'Again')).toThrow('dev/Again: environment: got "dev"; expected an environment without a PlatformMonitoring (dev/Monitoring is its one)');
    expect(() => new PlatformMonitoring(env.platform as any, 'Monitoring')).toThrow('Monitoring: env: got ""; expected an Environment');
  });
});

function onlyRoleNamed(stack: any, name: string): any {
  return Object.values<any>(stack.resource.aws_iam_role).find(r => r.name === name);
}

function onlyPolicyNamed(stack: any, name: string): any {
  return Object.values<any>(stack.resource.aws_iam_role_policy).find(r => r.name === name);
}

