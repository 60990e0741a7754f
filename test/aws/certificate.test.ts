import { TerraformOutput } from 'cdktf';
import { Environment } from '../../lib';
import { Certificate, CertificateProps } from '../../lib/aws/certificate';
import { Dns, IDns } from '../../lib/aws/dns';
import { devEnvironment, onlyResource, prodEnvironment, resourcesOf, synthStack } from '../support/synth';
import { expectNoDanglingReferences } from '../support/tf-references';

const CERT = 'OrdersCertificate_A876AD92';
const OPTIONS = `{ for key, val in toset(tolist(aws_acm_certificate.${CERT}.domain_validation_options)): val.domain_name => val }`;

function zone(env: Environment): IDns {
  return Dns.fromZoneAttributes(env, 'Dns', { zoneId: 'Z0123456789ABCDEFGHIJ', zoneName: `${env.name}.acme.io` });
}

function certificate(env: Environment, props: Partial<CertificateProps> = {}): Certificate {
  return new Certificate(env, 'OrdersCertificate', { dns: zone(env), domainName: `orders.${env.name}.acme.io`, ...props });
}

describe('Certificate', () => {
  describe('defaults', () => {
    test('requests an RSA 2048 certificate for the name, validated by DNS, logged for certificate transparency', () => {
      // GIVEN
      const env = devEnvironment();
      // WHEN
      const cert = certificate(env);
      // THEN
      const resource = onlyResource(synthStack(env), 'aws_acm_certificate');
      expect(resource).toEqual(expect.objectContaining({
        domain_name: 'orders.dev.acme.io',
        validation_method: 'DNS',
        key_algorithm: 'RSA_2048',
        options: { certificate_transparency_logging_preference: 'ENABLED' },
      }));
      expect(resource.subject_alternative_names).toBeUndefined();
      expect(cert.domainNames).toEqual(['orders.dev.acme.io']);
    });

    test('creates a replacement before destroying the certificate', () => {
      // GIVEN
      const env = devEnvironment();
      // WHEN
      certificate(env);
      // THEN
      expect(onlyResource(synthStack(env), 'aws_acm_certificate').lifecycle).toEqual({ create_before_destroy: true });
    });

    test('writes the validation record of the name into the zone, looked up by domain name', () => {
      // GIVEN
      const env = devEnvironment();
      // WHEN
      certificate(env);
      // THEN
      expect(onlyResource(synthStack(env), 'aws_route53_record')).toEqual(expect.objectContaining({
        zone_id: 'Z0123456789ABCDEFGHIJ',
        name: `\${${OPTIONS}["orders.dev.acme.io"].resource_record_name}`,
        type: `\${${OPTIONS}["orders.dev.acme.io"].resource_record_type}`,
        records: [`\${${OPTIONS}["orders.dev.acme.io"].resource_record_value}`],
        ttl: 60,
        allow_overwrite: true,
      }));
    });

    test('waits for validation: certificateArn is the validated certificate', () => {
      // GIVEN
      const env = devEnvironment();
      // WHEN
      const cert = certificate(env);
      new TerraformOutput(env, 'arn', { value: cert.certificateArn });
      // THEN
      const stack = synthStack(env);
      expect(onlyResource(stack, 'aws_acm_certificate_validation')).toEqual(expect.objectContaining({
        certificate_arn: `\${aws_acm_certificate.${CERT}.arn}`,
        validation_record_fqdns: ['${aws_route53_record.OrdersCertificate_Validation1_A430348C.fqdn}'],
      }));
      expect(stack.output.arn.value).toBe('${aws_acm_certificate_validation.OrdersCertificate_Validation_BF8F865D.certificate_arn}');
    });

    test('keeps its Terraform addresses (construct ids are API) and references only what the stack declares', () => {
      // GIVEN
      const env = devEnvironment();
      // WHEN
      new Certificate(env, 'OrdersCertificate', {
        dns: new Dns(env, 'Dns', { zoneName: 'dev.acme.io' }), domainName: 'orders.dev.acme.io', subjectAlternativeNames: ['www.dev.acme.io'],
      });
      // THEN
      const stack = synthStack(env);
      expect(Object.keys(stack.resource.aws_acm_certificate)).toEqual([CERT]);
      expect(Object.keys(stack.resource.aws_route53_record))
        .toEqual(['OrdersCertificate_Validation1_A430348C', 'OrdersCertificate_Validation2_C29FF1C7']);
      expect(Object.keys(stack.resource.aws_acm_certificate_validation)).toEqual(['OrdersCertificate_Validation_BF8F865D']);
      expect(onlyResource(stack, 'aws_acm_certificate_validation').validation_record_fqdns).toHaveLength(2);
      expectNoDanglingReferences(stack);
    });
  });

  describe('names', () => {
    test('covers alternative names, one validation record each, in order', () => {
      // GIVEN
      const env = devEnvironment();
      // WHEN
      const cert = certificate(env, { subjectAlternativeNames: ['www.dev.acme.io', 'dev.acme.io'] });
      // THEN
      const stack = synthStack(env);
      expect(onlyResource(stack, 'aws_acm_certificate').subject_alternative_names).toEqual(['www.dev.acme.io', 'dev.acme.io']);
      expect(resourcesOf(stack, 'aws_route53_record').map(r => r.name)).toEqual([
        `\${${OPTIONS}["orders.dev.acme.io"].resource_record_name}`,
        `\${${OPTIONS}["www.dev.acme.io"].resource_record_name}`,
        `\${${OPTIONS}["dev.acme.io"].resource_record_name}`,
      ]);
      expect(cert.validationRecords).toHaveLength(3);
      expect(cert.domainNames).toEqual(['orders.dev.acme.io', 'www.dev.acme.io', 'dev.acme.io']);
    });

    test('the same in DEV and PROD: a certificate holds no data to protect', () => {
      // GIVEN
      const dev = devEnvironment();
      const prod = prodEnvironment();
      // WHEN
      certificate(dev);
      certificate(prod);
      // THEN
      expect(onlyResource(synthStack(prod), 'aws_acm_certificate').lifecycle).toEqual(onlyResource(synthStack(dev), 'aws_acm_certificate').lifecycle);
    });
  });

  test('matches the snapshot of a certificate with an alternative name in a zone paved creates', () => {
    // GIVEN
    const env = prodEnvironment();
    const dns = new Dns(env, 'Dns', { zoneName: 'prod.acme.io' });
    // WHEN
    new Certificate(env, 'OrdersCertificate', { dns, domainName: 'orders.prod.acme.io', subjectAlternativeNames: ['www.prod.acme.io'] });
    // THEN
    const stack = synthStack(env);
    expect({
      aws_acm_certificate: stack.resource.aws_acm_certificate,
      aws_acm_certificate_validation: stack.resource.aws_acm_certificate_validation,
      aws_route53_record: stack.resource.aws_route53_record,
    }).toMatchSnapshot();
  });

  describe('fails when', () => {
    const inZone = 'a host name in zone "dev.acme.io" (the zone\'s name or a name below it), without wildcards';

    test('the zone is missing', () => {
      // GIVEN
      const env = devEnvironment();
      // THEN
      expect(() => new Certificate(env, 'C', { domainName: 'orders.dev.acme.io' } as any))
        .toThrow('dev/C: dns: got undefined; expected an IDns (new Dns(...), Dns.of(...) or Dns.fromZoneAttributes(...))');
    });

    test.each([['*.dev.acme.io'], ['orders.acme.com'], ['xdev.acme.io'], ['Orders.dev.acme.io'], ['orders..dev.acme.io'], ['']])(
      'the domain name is %j', (domainName) => {
        // GIVEN
        const env = devEnvironment();
        // THEN
        expect(() => certificate(env, { domainName })).toThrow(`dev/OrdersCertificate: domainName: got ${JSON.stringify(domainName)}; expected ${inZone}`);
      });

    test.each([['*.dev.acme.io'], ['www.acme.com']])('an alternative name is %j', (name) => {
      // GIVEN
      const env = devEnvironment();
      // THEN
      expect(() => certificate(env, { subjectAlternativeNames: ['www.dev.acme.io', name] }))
        .toThrow(`dev/OrdersCertificate: subjectAlternativeNames[1]: got ${JSON.stringify(name)}; expected ${inZone}`);
    });

    test('an alternative name repeats a name', () => {
      // GIVEN
      const env = devEnvironment();
      // THEN
      expect(() => certificate(env, { subjectAlternativeNames: ['orders.dev.acme.io'] })).toThrow(
        'dev/OrdersCertificate: subjectAlternativeNames[0]: got "orders.dev.acme.io"; expected a name not listed already (as the main name or an alternative)');
      expect(() => certificate(devEnvironment(), { subjectAlternativeNames: ['www.dev.acme.io', 'www.dev.acme.io'] })).toThrow(
        'dev/OrdersCertificate: subjectAlternativeNames[1]: got "www.dev.acme.io"; expected a name not listed already (as the main name or an alternative)');
    });

    test('there are more than 9 alternative names, or they are not a list', () => {
      // GIVEN
      const env = devEnvironment();
      const ten = Array.from({ length: 10 }, (_, i) => `n${i}.dev.acme.io`);
      // THEN
      expect(() => certificate(env, { subjectAlternativeNames: ten }))
        .toThrow(`dev/OrdersCertificate: subjectAlternativeNames: got ${JSON.stringify(ten)}; expected a list of at most 9 host names`);
      expect(() => certificate(devEnvironment(), { subjectAlternativeNames: 'www.dev.acme.io' as any }))
        .toThrow('dev/OrdersCertificate: subjectAlternativeNames: got "www.dev.acme.io"; expected a list, each item a string');
    });
  });
});
