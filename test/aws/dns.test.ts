import * as fs from 'fs';
import * as path from 'path';
import { TerraformOutput, TerraformVariable } from 'cdktf';
import { Environment, Platform, Profile, TerraformState } from '../../lib';
import { Dns, DnsProps, DnsRecordType, RecordTarget } from '../../lib/aws/dns';
import { devEnvironment, onlyResource, prodEnvironment, resourcesOf, synthStack, testPlatform } from '../support/synth';
import { expectNoDanglingReferences } from '../support/tf-references';

const ZONE = 'Dns_94489CFC';
const KSK = 'Dns_KeySigningKey_2A4B2A8C';
const LB_ZONE = 'Z215JYRZR1TBD5';
const DOMAIN_NAME_RULE = 'a domain name: lowercase labels of letters, digits and hyphens (each 1-63 characters, not starting or ending '
  + 'with a hyphen), at least two labels, at most 253 characters, no trailing dot';

function dns(env: Environment, props: Partial<DnsProps> = {}): Dns {
  return new Dns(env, 'Dns', { zoneName: `${env.name}.acme.io`, ...props });
}

function report(platform: Platform): string {
  platform.synth();
  return fs.readFileSync(path.join(platform.outdir, 'report.md'), 'utf8');
}

function loadBalancer(env: Environment): { dnsName: string; hostedZoneId: string } {
  return { dnsName: new TerraformVariable(env, 'lb_dns_name', { type: 'string' }).stringValue, hostedZoneId: LB_ZONE };
}

describe('Dns', () => {
  describe('defaults', () => {
    test('creates a public hosted zone that is never destroyed with its records', () => {
      // GIVEN
      const env = devEnvironment();
      // WHEN
      const zone = dns(env);
      // THEN
      const resource = onlyResource(synthStack(env), 'aws_route53_zone');
      expect(resource).toEqual(expect.objectContaining({ name: 'dev.acme.io', comment: 'paved dev: public zone dev.acme.io', force_destroy: false }));
      expect(resource.vpc).toBeUndefined();
      expect(zone.zoneName).toBe('dev.acme.io');
    });

    test('signs the zone with DNSSEC, with an ECC key in us-east-1 that only Route 53 DNSSEC may use for this zone', () => {
      // GIVEN
      const env = devEnvironment();
      // WHEN
      dns(env);
      // THEN
      const stack = synthStack(env);
      const key = stack.resource.aws_kms_key.Dns_DnssecKey_FD0B6B70;
      expect(key).toEqual(expect.objectContaining({
        region: 'us-east-1', key_usage: 'SIGN_VERIFY', customer_master_key_spec: 'ECC_NIST_P256', enable_key_rotation: false, deletion_window_in_days: 30,
      }));
      expect(JSON.parse(key.policy)).toEqual({
        Version: '2012-10-17',
        Statement: [
          {
            Sid: 'AccountAdministersAndDelegatesToIam',
            Effect: 'Allow',
            Principal: { AWS: 'arn:aws:iam::123456789012:root' },
            Action: 'kms:*',
            Resource: '*',
          },
          {
            Sid: 'Route53DnssecSignsForThisZone',
            Effect: 'Allow',
            Principal: { Service: 'dnssec-route53.amazonaws.com' },
            Action: ['kms:DescribeKey', 'kms:GetPublicKey', 'kms:Sign'],
            Resource: '*',
            Condition: {
              StringEquals: { 'aws:SourceAccount': '123456789012' },
              ArnLike: { 'aws:SourceArn': `arn:aws:route53:::hostedzone/\${aws_route53_zone.${ZONE}.zone_id}` },
            },
          },
          {
            Sid: 'Route53DnssecCreatesGrants',
            Effect: 'Allow',
            Principal: { Service: 'dnssec-route53.amazonaws.com' },
            Action: 'kms:CreateGrant',
            Resource: '*',
            Condition: { Bool: { 'kms:GrantIsForAWSResource': 'true' } },
          },
        ],
      });
      expect(stack.resource.aws_kms_alias.Dns_DnssecKeyAlias_B6AEFF80).toEqual(expect.objectContaining({
        region: 'us-east-1', name: 'alias/paved/dev/dnssec/dev-acme-io',
      }));
      expect(onlyResource(stack, 'aws_route53_key_signing_key')).toEqual(expect.objectContaining({
        hosted_zone_id: `\${aws_route53_zone.${ZONE}.zone_id}`,
        key_management_service_arn: '${aws_kms_key.Dns_DnssecKey_FD0B6B70.arn}',
        name: 'paved',
      }));
      expect(onlyResource(stack, 'aws_route53_hosted_zone_dnssec')).toEqual(expect.objectContaining({
        hosted_zone_id: `\${aws_route53_key_signing_key.${KSK}.hosted_zone_id}`,
        depends_on: [`aws_route53_key_signing_key.${KSK}`],
      }));
    });

    test('logs queries to an encrypted log group /aws/route53/<zone> in us-east-1, kept 365 days', () => {
      // GIVEN
      const env = devEnvironment();
      // WHEN
      dns(env);
      // THEN
      const stack = synthStack(env);
      expect(onlyResource(stack, 'aws_cloudwatch_log_group')).toEqual(expect.objectContaining({
        region: 'us-east-1', name: '/aws/route53/dev.acme.io', retention_in_days: 365, kms_key_id: '${aws_kms_key.Dns_QueryLogKey_6889F6C9.arn}',
      }));
      const key = stack.resource.aws_kms_key.Dns_QueryLogKey_6889F6C9;
      expect(key.region).toBe('us-east-1');
      expect(key.enable_key_rotation).toBe(true);
      expect(JSON.parse(key.policy).Statement[1]).toEqual({
        Sid: 'ServicePrincipal1',
        Effect: 'Allow',
        Principal: { Service: 'logs.us-east-1.amazonaws.com' },
        Action: ['kms:Encrypt*', 'kms:Decrypt*', 'kms:ReEncrypt*', 'kms:GenerateDataKey*', 'kms:Describe*'],
        Resource: '*',
        Condition: { ArnEquals: { 'kms:EncryptionContext:aws:logs:arn': 'arn:aws:logs:us-east-1:123456789012:log-group:/aws/route53/dev.acme.io' } },
      });
      expect(stack.resource.aws_kms_alias.Dns_QueryLogKey_Alias_0423DEB9).toEqual(expect.objectContaining({
        region: 'us-east-1', name: 'alias/paved/dev/route53/dev-acme-io/query-logs',
      }));
      expect(onlyResource(stack, 'aws_route53_query_log')).toEqual(expect.objectContaining({
        zone_id: `\${aws_route53_zone.${ZONE}.zone_id}`,
        cloudwatch_log_group_arn: '${aws_cloudwatch_log_group.Dns_QueryLogGroup_70A15421.arn}',
        depends_on: ['aws_cloudwatch_log_resource_policy.Route53QueryLogging'],
      }));
    });

    test('lets Route 53 write query logs of the account\'s zones to /aws/route53/* only, with one policy for the environment', () => {
      // GIVEN
      const env = devEnvironment();
      // WHEN
      dns(env);
      new Dns(env, 'Internal', { zoneName: 'internal.acme.io' });
      // THEN
      const policy = onlyResource(synthStack(env), 'aws_cloudwatch_log_resource_policy');
      expect(policy.region).toBe('us-east-1');
      expect(policy.policy_name).toBe('paved-dev-route53-query-logging');
      expect(JSON.parse(policy.policy_document)).toEqual({
        Version: '2012-10-17',
        Statement: [{
          Sid: 'Route53WritesQueryLogs',
          Effect: 'Allow',
          Principal: { Service: 'route53.amazonaws.com' },
          Action: ['logs:CreateLogStream', 'logs:PutLogEvents'],
          Resource: 'arn:aws:logs:us-east-1:123456789012:log-group:/aws/route53/*',
          Condition: {
            StringEquals: { 'aws:SourceAccount': '123456789012' },
            ArnLike: { 'aws:SourceArn': 'arn:aws:route53:::hostedzone/*' },
          },
        }],
      });
    });

    test('exposes the zone id, the name servers and the DS record as references', () => {
      // GIVEN
      const env = devEnvironment();
      // WHEN
      const zone = dns(env);
      new TerraformOutput(env, 'id', { value: zone.zoneId });
      new TerraformOutput(env, 'ns', { value: zone.nameServers });
      new TerraformOutput(env, 'ds', { value: zone.dnssecDsRecord });
      // THEN
      const outputs = synthStack(env).output;
      expect(outputs.id.value).toBe(`\${aws_route53_zone.${ZONE}.zone_id}`);
      expect(outputs.ns.value).toBe(`\${aws_route53_zone.${ZONE}.name_servers}`);
      expect(outputs.ds.value).toBe(`\${aws_route53_key_signing_key.${KSK}.ds_record}`);
      expect([zone.zone, zone.dnssecKey, zone.keySigningKey, zone.dnssecSigning, zone.queryLogGroup, zone.queryLogKey, zone.queryLog])
        .not.toContain(undefined);
    });

    test('keeps its Terraform addresses (construct ids are API) and references only what the stack declares', () => {
      // GIVEN
      const env = devEnvironment();
      // WHEN
      dns(env).addRecord('Api', { name: 'api', type: DnsRecordType.A, target: RecordTarget.alias(loadBalancer(env)) });
      // THEN
      const stack = synthStack(env);
      expect(Object.keys(stack.resource.aws_route53_zone)).toEqual([ZONE]);
      expect(Object.keys(stack.resource.aws_kms_key)).toEqual(['Dns_DnssecKey_FD0B6B70', 'Dns_QueryLogKey_6889F6C9']);
      expect(Object.keys(stack.resource.aws_route53_key_signing_key)).toEqual([KSK]);
      expect(Object.keys(stack.resource.aws_route53_hosted_zone_dnssec)).toEqual(['Dns_Dnssec_6B8619E1']);
      expect(Object.keys(stack.resource.aws_cloudwatch_log_group)).toEqual(['Dns_QueryLogGroup_70A15421']);
      expect(Object.keys(stack.resource.aws_route53_query_log)).toEqual(['Dns_QueryLog_8942464A']);
      expect(Object.keys(stack.resource.aws_route53_record)).toEqual(['Dns_Records_Api_40FD4480']);
      expectNoDanglingReferences(stack);
    });
  });

  describe('DEV vs PROD', () => {
    test('DEV: zone and keys can be destroyed', () => {
      // GIVEN
      const env = devEnvironment();
      // WHEN
      dns(env);
      // THEN
      const stack = synthStack(env);
      expect(onlyResource(stack, 'aws_route53_zone').lifecycle).toBeUndefined();
      expect(resourcesOf(stack, 'aws_kms_key').map(k => k.lifecycle)).toEqual([undefined, undefined]);
    });

    test('PROD: prevent_destroy on the zone, the DNSSEC key and the query log key', () => {
      // GIVEN
      const env = prodEnvironment();
      // WHEN
      dns(env);
      // THEN
      const stack = synthStack(env);
      expect(onlyResource(stack, 'aws_route53_zone').lifecycle).toEqual({ prevent_destroy: true });
      expect(resourcesOf(stack, 'aws_kms_key').map(k => k.lifecycle)).toEqual([{ prevent_destroy: true }, { prevent_destroy: true }]);
    });

    test('records what the profile and paved chose', () => {
      // GIVEN
      const platform = testPlatform();
      // WHEN
      dns(prodEnvironment(platform));
      // THEN
      const text = report(platform);
      for (const row of [
        '| prod/Dns | dnssec | true | paved default |',
        '| prod/Dns | queryLogging | true | paved default |',
        '| prod/Dns | logRetentionDays | 365 | profile prod |',
        '| prod/Dns | preventDestroy | true | profile prod |',
      ]) {
        expect(text).toContain(row);
      }
    });
  });

  describe('overrides', () => {
    test('dnssec false: no signing key, no signing', () => {
      // GIVEN
      const env = devEnvironment();
      // WHEN
      const zone = dns(env, { dnssec: false });
      // THEN
      const stack = synthStack(env);
      expect(resourcesOf(stack, 'aws_route53_key_signing_key')).toEqual([]);
      expect(resourcesOf(stack, 'aws_route53_hosted_zone_dnssec')).toEqual([]);
      expect(Object.keys(stack.resource.aws_kms_key)).toEqual(['Dns_QueryLogKey_6889F6C9']);
      expect(zone.dnssecDsRecord).toBeUndefined();
    });

    test('queryLogging false: no log group, key, policy or query log', () => {
      // GIVEN
      const env = devEnvironment();
      // WHEN
      dns(env, { queryLogging: false });
      // THEN
      const stack = synthStack(env);
      expect(resourcesOf(stack, 'aws_route53_query_log')).toEqual([]);
      expect(resourcesOf(stack, 'aws_cloudwatch_log_group')).toEqual([]);
      expect(resourcesOf(stack, 'aws_cloudwatch_log_resource_policy')).toEqual([]);
      expect(Object.keys(stack.resource.aws_kms_key)).toEqual(['Dns_DnssecKey_FD0B6B70']);
    });

    test('logRetentionDays, comment and preventDestroy', () => {
      // GIVEN
      const env = prodEnvironment();
      // WHEN
      dns(env, { logRetentionDays: 731, comment: 'Public names of prod', preventDestroy: false });
      // THEN
      const stack = synthStack(env);
      expect(onlyResource(stack, 'aws_cloudwatch_log_group').retention_in_days).toBe(731);
      expect(onlyResource(stack, 'aws_route53_zone')).toEqual(expect.objectContaining({ comment: 'Public names of prod' }));
      expect(onlyResource(stack, 'aws_route53_zone').lifecycle).toBeUndefined();
    });

    test('a long zone name keeps the key aliases within KMS limits', () => {
      // GIVEN
      const env = devEnvironment();
      const zoneName = `${'a'.repeat(60)}.${'b'.repeat(60)}.acme.io`;
      // WHEN
      dns(env, { zoneName });
      // THEN
      const names = resourcesOf(synthStack(env), 'aws_kms_alias').map(a => a.name);
      expect(names).toEqual([
        `alias/paved/dev/dnssec/${'a'.repeat(60)}-${'b'.repeat(50)}-3cfef279`,
        `alias/paved/dev/route53/${'a'.repeat(60)}-${'b'.repeat(50)}-3cfef279/query-logs`,
      ]);
    });
  });

  describe('addRecord', () => {
    test('adds a CNAME record with a 300-second TTL', () => {
      // GIVEN
      const env = devEnvironment();
      const zone = dns(env);
      // WHEN
      zone.addRecord('Www', { name: 'www', type: DnsRecordType.CNAME, target: RecordTarget.hostName('api.dev.acme.io') });
      // THEN
      expect(onlyResource(synthStack(env), 'aws_route53_record')).toEqual(expect.objectContaining({
        zone_id: `\${aws_route53_zone.${ZONE}.zone_id}`, name: 'www.dev.acme.io', type: 'CNAME', ttl: 300, records: ['api.dev.acme.io'],
      }));
    });

    test('adds a CNAME record with the TTL given', () => {
      // GIVEN
      const env = devEnvironment();
      const zone = dns(env);
      // WHEN
      zone.addRecord('Docs', { name: 'docs.eu', type: DnsRecordType.CNAME, target: RecordTarget.hostName('acme.github.io'), ttl: 60 });
      // THEN
      expect(onlyResource(synthStack(env), 'aws_route53_record')).toEqual(expect.objectContaining({ name: 'docs.eu.dev.acme.io', ttl: 60 }));
    });

    test('adds A and AAAA alias records that follow the target\'s health', () => {
      // GIVEN
      const env = devEnvironment();
      const zone = dns(env);
      const target = RecordTarget.alias(loadBalancer(env));
      // WHEN
      const a = zone.addRecord('Api', { name: 'api', type: DnsRecordType.A, target });
      zone.addRecord('Api6', { name: 'api', type: DnsRecordType.AAAA, target });
      // THEN
      const records = synthStack(env).resource.aws_route53_record;
      expect(records.Dns_Records_Api_40FD4480).toEqual(expect.objectContaining({
        name: 'api.dev.acme.io',
        type: 'A',
        alias: { name: '${var.lb_dns_name}', zone_id: LB_ZONE, evaluate_target_health: true },
      }));
      expect(records.Dns_Records_Api6_6DB02170).toEqual(expect.objectContaining({ type: 'AAAA' }));
      expect(records.Dns_Records_Api_40FD4480.ttl).toBeUndefined();
      expect(a.node.path).toBe('dev/Dns/Records/Api');
    });

    test('adds an alias at the zone apex, without target health when asked', () => {
      // GIVEN
      const env = devEnvironment();
      const zone = dns(env);
      // WHEN
      zone.addRecord('Apex', {
        type: DnsRecordType.A,
        target: RecordTarget.alias({ dnsName: 'd111111abcdef8.cloudfront.net', hostedZoneId: 'Z2FDTNDATAQYW2', evaluateTargetHealth: false }),
      });
      // THEN
      expect(onlyResource(synthStack(env), 'aws_route53_record')).toEqual(expect.objectContaining({
        name: 'dev.acme.io',
        alias: { name: 'd111111abcdef8.cloudfront.net', zone_id: 'Z2FDTNDATAQYW2', evaluate_target_health: false },
      }));
    });

    test('adds records to an imported zone', () => {
      // GIVEN
      const env = devEnvironment();
      const zone = Dns.fromZoneAttributes(env, 'Dns', { zoneId: 'Z0123456789ABCDEFGHIJ', zoneName: 'acme.io' });
      // WHEN
      zone.addRecord('Www', { name: 'www', type: DnsRecordType.CNAME, target: RecordTarget.hostName('acme.github.io') });
      // THEN
      const stack = synthStack(env);
      expect(onlyResource(stack, 'aws_route53_record')).toEqual(expect.objectContaining({ zone_id: 'Z0123456789ABCDEFGHIJ', name: 'www.acme.io' }));
      expect(resourcesOf(stack, 'aws_route53_zone')).toEqual([]);
    });
  });

  describe('Dns.of and Dns.fromZoneAttributes', () => {
    test('Dns.of finds the one zone of the environment, created or imported', () => {
      // GIVEN
      const platform = testPlatform();
      const dev = devEnvironment(platform);
      const prod = prodEnvironment(platform);
      // WHEN
      const created = dns(dev);
      const imported = Dns.fromZoneAttributes(prod, 'Dns', { zoneId: 'Z0123456789ABCDEFGHIJ', zoneName: 'prod.acme.io' });
      // THEN
      expect(Dns.of(dev)).toBe(created);
      expect(Dns.of(prod)).toBe(imported);
      expect(imported.zoneId).toBe('Z0123456789ABCDEFGHIJ');
      expect(imported.zoneName).toBe('prod.acme.io');
    });
  });

  test('matches the snapshot of a PROD zone with records', () => {
    // GIVEN
    const env = prodEnvironment();
    const zone = dns(env);
    // WHEN
    zone.addRecord('Api', { name: 'api', type: DnsRecordType.A, target: RecordTarget.alias(loadBalancer(env)) });
    zone.addRecord('Www', { name: 'www', type: DnsRecordType.CNAME, target: RecordTarget.hostName('api.prod.acme.io') });
    // THEN
    expect(synthStack(env)).toMatchSnapshot();
  });

  describe('fails when', () => {
    test.each([
      ['Prod.acme.io'], ['acme'], ['prod..acme.io'], ['-prod.acme.io'], ['prod-.acme.io'], ['prod_acme.io'], ['prod.acme.io.'],
      ['acme.123'], [''], [`${'a'.repeat(64)}.acme.io`], [`${'a'.repeat(63)}.${'b'.repeat(63)}.${'c'.repeat(63)}.${'d'.repeat(60)}.io`],
    ])('the DNS zone name is invalid: %j', (zoneName) => {
      // GIVEN
      const env = devEnvironment();
      // THEN
      expect(() => dns(env, { zoneName })).toThrow(`dev/Dns: zoneName: got ${JSON.stringify(zoneName)}; expected ${DOMAIN_NAME_RULE}`);
    });

    test('the zone name is used by another zone of the environment', () => {
      // GIVEN
      const env = devEnvironment();
      dns(env);
      // THEN
      expect(() => new Dns(env, 'Again', { zoneName: 'dev.acme.io' }))
        .toThrow('dev/Again: zoneName: got "dev.acme.io"; expected a zone name not used by dev/Dns of the same environment');
    });

    test.each([['dnssec'], ['queryLogging']])('%s is on outside the aws partition', (property) => {
      // GIVEN
      const env = new Environment(testPlatform(), 'cn', {
        account: '123456789012', region: 'cn-north-1', profile: Profile.DEV, state: TerraformState.local(),
      });
      const other = property === 'dnssec' ? { queryLogging: false } : { dnssec: false };
      // THEN
      expect(() => dns(env, other)).toThrow(`cn/Dns: ${property}: got true; expected false in partition "aws-cn" `
        + '(Route 53 keeps DNSSEC keys and query logs in us-east-1, partition "aws")');
    });

    test('logRetentionDays is not a value CloudWatch Logs accepts', () => {
      // GIVEN
      const env = devEnvironment();
      // THEN
      expect(() => dns(env, { logRetentionDays: 17 })).toThrow('dev/Dns: logRetentionDays: got 17; expected one of 1, 3, 5, 7, 14, 30,');
    });

    test('the comment is longer than 256 characters', () => {
      // GIVEN
      const env = devEnvironment();
      // THEN
      expect(() => dns(env, { comment: 'x'.repeat(257) }))
        .toThrow(`dev/Dns: comment: got "${'x'.repeat(257)}"; expected a comment of at most 256 characters`);
    });

    test.each([['api'], ['Api Record'], ['1st'], ['']])('a record id is %j (or used already)', (id) => {
      // GIVEN
      const zone = dns(devEnvironment());
      zone.addRecord('Api', { name: 'api', type: DnsRecordType.CNAME, target: RecordTarget.hostName('x.acme.io') });
      // THEN
      expect(() => zone.addRecord(id === 'api' ? 'Api' : id, { name: 'w', type: DnsRecordType.CNAME, target: RecordTarget.hostName('x.acme.io') }))
        .toThrow(id === 'api'
          ? 'dev/Dns: record id: got "Api"; expected an id not used by another record of this zone'
          : `dev/Dns: record id: got ${JSON.stringify(id)}; expected a letter, then letters, digits and hyphens`);
    });

    test('a record type is not a DnsRecordType', () => {
      // GIVEN
      const zone = dns(devEnvironment());
      // THEN
      expect(() => zone.addRecord('Mx', { name: 'mail', type: 'MX' as any, target: RecordTarget.hostName('x.acme.io') }))
        .toThrow('dev/Dns: records.Mx.type: got "MX"; expected one of "A", "AAAA", "CNAME"');
    });

    test.each([['Api'], ['api.'], ['-api'], ['a b'], ['x'.repeat(64)]])('a record name is %j', (name) => {
      // GIVEN
      const zone = dns(devEnvironment());
      // THEN
      expect(() => zone.addRecord('R', { name, type: DnsRecordType.CNAME, target: RecordTarget.hostName('x.acme.io') }))
        .toThrow(`dev/Dns: records.R.name: got ${JSON.stringify(name)}; expected a name below the zone: dot-separated labels of 1-63 `
          + 'lowercase letters, digits, hyphens and underscores, not starting or ending with a hyphen');
    });

    test('a record name makes the full name longer than 253 characters', () => {
      // GIVEN
      const zone = dns(devEnvironment());
      const name = ['a'.repeat(63), 'b'.repeat(63), 'c'.repeat(63), 'd'.repeat(60)].join('.');
      // THEN
      expect(() => zone.addRecord('R', { name, type: DnsRecordType.CNAME, target: RecordTarget.hostName('x.acme.io') }))
        .toThrow(`dev/Dns: records.R.name: got "${name}"; expected a name that keeps the full name "${name}.dev.acme.io" within 253 characters`);
    });

    test('a CNAME record is at the zone apex', () => {
      // GIVEN
      const zone = dns(devEnvironment());
      // THEN
      expect(() => zone.addRecord('R', { type: DnsRecordType.CNAME, target: RecordTarget.hostName('x.acme.io') }))
        .toThrow('dev/Dns: records.R.name: got undefined; expected a name below the zone: a CNAME record cannot be at the zone apex');
    });

    test('a CNAME record has an alias target, or an A record a host name', () => {
      // GIVEN
      const zone = dns(devEnvironment());
      const alias = RecordTarget.alias({ dnsName: 'lb.eu-central-1.elb.amazonaws.com', hostedZoneId: LB_ZONE });
      // THEN
      expect(() => zone.addRecord('R', { name: 'api', type: DnsRecordType.CNAME, target: alias }))
        .toThrow('dev/Dns: records.R.target: got "alias"; expected RecordTarget.hostName(...) for a CNAME record');
      expect(() => zone.addRecord('R', { name: 'api', type: DnsRecordType.A, target: RecordTarget.hostName('x.acme.io') }))
        .toThrow('dev/Dns: records.R.target: got "x.acme.io"; expected RecordTarget.alias({...}) for an A record');
    });

    test('the target is not a RecordTarget', () => {
      // GIVEN
      const zone = dns(devEnvironment());
      // THEN
      expect(() => zone.addRecord('R', { name: 'api', type: DnsRecordType.CNAME, target: 'x.acme.io' as any }))
        .toThrow('dev/Dns: records.R.target: got "x.acme.io"; expected a RecordTarget: RecordTarget.alias({...}) or RecordTarget.hostName(...)');
    });

    test('an alias record sets a TTL', () => {
      // GIVEN
      const zone = dns(devEnvironment());
      const alias = RecordTarget.alias({ dnsName: 'lb.eu-central-1.elb.amazonaws.com', hostedZoneId: LB_ZONE });
      // THEN
      expect(() => zone.addRecord('R', { name: 'api', type: DnsRecordType.A, target: alias, ttl: 60 }))
        .toThrow('dev/Dns: records.R.ttl: got 60; expected no ttl on an alias record (Route 53 answers with the target\'s TTL)');
    });

    test('an alias target has an invalid DNS name or hosted zone id', () => {
      // GIVEN
      const zone = dns(devEnvironment());
      // THEN
      expect(() => zone.addRecord('R', {
        name: 'api', type: DnsRecordType.A, target: RecordTarget.alias({ dnsName: 'not a name', hostedZoneId: LB_ZONE }),
      })).toThrow(`dev/Dns: records.R.target.dnsName: got "not a name"; expected ${DOMAIN_NAME_RULE}`);
      expect(() => zone.addRecord('R', {
        name: 'api', type: DnsRecordType.A, target: RecordTarget.alias({ dnsName: 'lb.eu-central-1.elb.amazonaws.com', hostedZoneId: 'z123' }),
      })).toThrow('dev/Dns: records.R.target.hostedZoneId: got "z123"; expected a hosted zone id: "Z" followed by 1-32 capital letters and digits');
    });

    test('a CNAME target is not a host name', () => {
      // GIVEN
      const zone = dns(devEnvironment());
      // THEN
      expect(() => zone.addRecord('R', { name: 'api', type: DnsRecordType.CNAME, target: RecordTarget.hostName('https://x.acme.io') }))
        .toThrow(`dev/Dns: records.R.target: got "https://x.acme.io"; expected ${DOMAIN_NAME_RULE}`);
    });

    test.each([[-1], [172801], [1.5]])('a CNAME TTL is %j', (ttl) => {
      // GIVEN
      const zone = dns(devEnvironment());
      // THEN
      expect(() => zone.addRecord('R', { name: 'api', type: DnsRecordType.CNAME, target: RecordTarget.hostName('x.acme.io'), ttl }))
        .toThrow(`dev/Dns: records.R.ttl: got ${ttl}; expected an integer from 0 to 172800`);
    });

    test('an imported zone has an invalid id or name', () => {
      // GIVEN
      const env = devEnvironment();
      // THEN
      expect(() => Dns.fromZoneAttributes(env, 'A', { zoneId: 'z123', zoneName: 'acme.io' }))
        .toThrow('dev/A: zoneId: got "z123"; expected a hosted zone id: "Z" followed by 1-32 capital letters and digits');
      expect(() => Dns.fromZoneAttributes(env, 'B', { zoneId: 'Z123', zoneName: 'ACME.io' }))
        .toThrow(`dev/B: zoneName: got "ACME.io"; expected ${DOMAIN_NAME_RULE}`);
    });

    test('Dns.of finds no zone, or several', () => {
      // GIVEN
      const env = devEnvironment();
      // THEN
      expect(() => Dns.of(env)).toThrow('dev: dns: environment "dev" has no DNS zone; add one with new Dns(env, \'Dns\', '
        + '{ zoneName: \'dev.example.com\' }) or import one with Dns.fromZoneAttributes(env, \'Dns\', { zoneId, zoneName })');
      dns(env);
      new Dns(env, 'Internal', { zoneName: 'internal.acme.io' });
      expect(() => Dns.of(env))
        .toThrow('dev: dns: environment "dev" has 2 DNS zones (dev/Dns, dev/Internal); pass the zone to use explicitly');
    });
  });
});
