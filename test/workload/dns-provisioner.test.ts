import { Environment, Resource, Workload, WorkloadProps } from '../../lib';
import { Dns } from '../../lib/aws/dns';
import { DnsProvisioner } from '../../lib/workload/dns-provisioner';
import { expectValidKubernetesObjects } from '../support/k8s-schema';
import { onlyResource, resourcesOf, synthChart, synthStack, workloadEnvironment } from '../support/synth';
import { expectNoDanglingReferences } from '../support/tf-references';

function orders(env: Environment, props: Partial<WorkloadProps> = {}): Workload {
  return new Workload(env, 'orders', {
    tenant: 'shop',
    image: 'ghcr.io/acme/orders:1.0.0',
    port: 8080,
    resources: { web: Resource.of('dns') },
    env: { PUBLIC_HOST: '${resources.web.host}' },
    ...props,
  });
}

function withZone(zoneName: string = 'dev.acme.io'): Environment {
  const env = workloadEnvironment();
  Dns.fromZoneAttributes(env, 'Dns', { zoneId: 'Z0123456789ABCDEFGHIJ', zoneName });
  return env;
}

function objects(workload: Workload): { [kind: string]: any } {
  const all = synthChart(workload.environment.chart(workload.name, workload.tenant));
  expectValidKubernetesObjects(all);
  return Object.fromEntries(all.map(o => [o.kind, o]));
}

describe('DnsProvisioner', () => {
  test('handles the resource type dns, with the output host', () => {
    // GIVEN
    const provisioner = new DnsProvisioner();
    // THEN
    expect(provisioner.type).toBe('dns');
    expect(provisioner.outputNames).toEqual(['host']);
  });

  test('gives the workload the host <workload>-<resource>.<tenant>.<zone>, as a literal', () => {
    // GIVEN
    const env = withZone();
    // WHEN
    const { Deployment } = objects(orders(env));
    // THEN
    expect(Deployment.spec.template.spec.containers[0].env).toEqual([{ name: 'PUBLIC_HOST', value: 'orders-web.shop.dev.acme.io' }]);
  });

  test('writes the host to the connection secret, and creates no record', () => {
    // GIVEN
    const env = withZone();
    // WHEN
    orders(env);
    // THEN
    const stack = synthStack(env.tenantScope('shop'));
    expect(resourcesOf(stack, 'aws_secretsmanager_secret').map(s => s.name)).toContain('paved/dev/shop/orders/web');
    expect(onlyResource(stack, 'aws_secretsmanager_secret_version').secret_string).toBe('${jsonencode({"host" = "orders-web.shop.dev.acme.io"})}');
    expect(resourcesOf(stack, 'aws_route53_record')).toEqual([]);
    expectNoDanglingReferences(stack);
  });

  test('materializes the host through the tenant SecretStore', () => {
    // GIVEN
    const env = withZone();
    // WHEN
    const { ExternalSecret } = objects(orders(env));
    // THEN
    expect(ExternalSecret.metadata).toMatchObject({ name: 'orders-web', namespace: 'shop' });
    expect(ExternalSecret.spec.data).toEqual([{ secretKey: 'host', remoteRef: { key: 'paved/dev/shop/orders/web', property: 'host' } }]);
  });

  test('uses a zone paved creates in the environment', () => {
    // GIVEN
    const env = workloadEnvironment();
    new Dns(env, 'Dns', { zoneName: 'dev.acme.io' });
    // WHEN
    const { Deployment } = objects(orders(env));
    // THEN
    expect(Deployment.spec.template.spec.containers[0].env[0].value).toBe('orders-web.shop.dev.acme.io');
  });

  describe('fails when', () => {
    test('the environment has no DNS zone', () => {
      // GIVEN
      const env = workloadEnvironment();
      // THEN
      expect(() => orders(env)).toThrow('dev-shop/orders/web: dns: environment "dev" has no DNS zone; add one with new Dns(env, \'Dns\', '
        + '{ zoneName: \'dev.example.com\' }) or import one with Dns.fromZoneAttributes(env, \'Dns\', { zoneId, zoneName })');
    });

    test('the request has params', () => {
      // GIVEN
      const env = withZone();
      // THEN
      expect(() => orders(env, { resources: { web: Resource.of('dns', { params: { name: 'shop' } }) } }))
        .toThrow('dev-shop/orders/web: resources.web.params: got ["name"]; expected no params (dns accepts none)');
    });

    test('the host name would be longer than 253 characters', () => {
      // GIVEN
      const zoneName = ['a'.repeat(63), 'b'.repeat(63), 'c'.repeat(63), 'd'.repeat(50), 'io'].join('.');
      const env = withZone(zoneName);
      // THEN
      expect(() => orders(env)).toThrow(`dev-shop/orders/web: resources.web: got "orders-web.shop.${zoneName}"; `
        + `expected a host name of at most 253 characters (zone "${zoneName}" and tenant "shop" leave room for 2)`);
    });
  });
});
