import type { CloudwatchLogGroup } from '@cdktf/provider-aws/lib/cloudwatch-log-group';
import type { CloudwatchLogResourcePolicy } from '@cdktf/provider-aws/lib/cloudwatch-log-resource-policy';
import type { KmsKey } from '@cdktf/provider-aws/lib/kms-key';
import type { Route53HostedZoneDnssec } from '@cdktf/provider-aws/lib/route53-hosted-zone-dnssec';
import type { Route53KeySigningKey } from '@cdktf/provider-aws/lib/route53-key-signing-key';
import type { Route53QueryLog } from '@cdktf/provider-aws/lib/route53-query-log';
import type { Route53Record } from '@cdktf/provider-aws/lib/route53-record';
import type { Route53Zone } from '@cdktf/provider-aws/lib/route53-zone';
import { TerraformResource, Token } from 'cdktf';
import { Construct, IConstruct } from 'constructs';
import { Key } from './key';
import { accountAdminStatement } from './key-policy';
import { checkArguments, checkedScope } from '../core/api-guard';
import { Environment, requireFoundation } from '../core/environment';
import { PavedError, describe, invalid } from '../core/errors';
import { lazyModule } from '../core/lazy-module';
import { LookupKey } from '../core/lookup';
import { Naming } from '../core/naming';
import { Platform } from '../core/platform';
import { LOG_RETENTION_DAYS } from '../core/profile';
import { validateInteger, validateOneOf } from '../core/validation';

const cloudwatchLogGroupLib = lazyModule<typeof import('@cdktf/provider-aws/lib/cloudwatch-log-group')>('@cdktf/provider-aws/lib/cloudwatch-log-group');
const cloudwatchLogResourcePolicyLib = lazyModule<typeof import('@cdktf/provider-aws/lib/cloudwatch-log-resource-policy')>('@cdktf/provider-aws/lib/cloudwatch-log-resource-policy');
const kmsAliasLib = lazyModule<typeof import('@cdktf/provider-aws/lib/kms-alias')>('@cdktf/provider-aws/lib/kms-alias');
const kmsKeyLib = lazyModule<typeof import('@cdktf/provider-aws/lib/kms-key')>('@cdktf/provider-aws/lib/kms-key');
const route53HostedZoneDnssecLib = lazyModule<typeof import('@cdktf/provider-aws/lib/route53-hosted-zone-dnssec')>('@cdktf/provider-aws/lib/route53-hosted-zone-dnssec');
const route53KeySigningKeyLib = lazyModule<typeof import('@cdktf/provider-aws/lib/route53-key-signing-key')>('@cdktf/provider-aws/lib/route53-key-signing-key');
const route53QueryLogLib = lazyModule<typeof import('@cdktf/provider-aws/lib/route53-query-log')>('@cdktf/provider-aws/lib/route53-query-log');
const route53RecordLib = lazyModule<typeof import('@cdktf/provider-aws/lib/route53-record')>('@cdktf/provider-aws/lib/route53-record');
const route53ZoneLib = lazyModule<typeof import('@cdktf/provider-aws/lib/route53-zone')>('@cdktf/provider-aws/lib/route53-zone');

/** Type of a record added with {@link IDns.addRecord}. */
export enum DnsRecordType {
  /** IPv4 address, as an alias to an AWS resource (load balancer, CloudFront, ...). */
  A = 'A',
  /** IPv6 address, as an alias to an AWS resource. */
  AAAA = 'AAAA',
  /** Canonical name: another host name. Not allowed at the zone apex. */
  CNAME = 'CNAME',
}

/** An AWS resource a Route 53 alias record points to. */
export interface AliasTargetProps {
  /** DNS name of the resource, e.g. a load balancer's `dns_name` (a reference or a literal). */
  readonly dnsName: string;
  /** Hosted zone id of the resource (not of this zone), e.g. a load balancer's `zone_id`: `Z` and 1-32 capital letters and digits. */
  readonly hostedZoneId: string;
  /**
   * Answer only while the target is healthy.
   * @default true
   */
  readonly evaluateTargetHealth?: boolean;
}

/** What a record answers with: an alias (A, AAAA) or a host name (CNAME). */
export class RecordTarget {
  /** An alias to an AWS resource, for A and AAAA records. */
  public static alias(props: AliasTargetProps): RecordTarget {
    checkArguments('RecordTarget.alias', arguments);
    return new RecordTarget('alias', undefined, props);
  }

  /** Another host name, for CNAME records, e.g. `orders.eu.acme.io`. */
  public static hostName(hostName: string): RecordTarget {
    checkArguments('RecordTarget.hostName', arguments);
    return new RecordTarget('hostName', hostName, undefined);
  }

  /** `alias` or `hostName`. */
  public readonly kind: string;
  /** The host name of a CNAME target. */
  public readonly hostNameValue?: string;
  /** The resource of an alias target. */
  public readonly aliasTarget?: AliasTargetProps;

  private constructor(kind: string, hostName: string | undefined, alias: AliasTargetProps | undefined) {
    this.kind = kind;
    this.hostNameValue = hostName;
    this.aliasTarget = alias;
  }
}

/** A record to add with {@link IDns.addRecord}. */
export interface DnsRecordOptions {
  /**
   * Name below the zone, e.g. `api` or `api.eu` for `api.eu.<zone>`; labels
   * of lowercase letters, digits, hyphens and underscores.
   * @default - the zone apex (not allowed for CNAME)
   */
  readonly name?: string;
  /** Record type. A and AAAA need an alias target, CNAME a host name. */
  readonly type: DnsRecordType;
  /** What the record answers with. */
  readonly target: RecordTarget;
  /**
   * Seconds resolvers may cache a CNAME answer (0-172800). Alias records
   * take the target's TTL and must not set it.
   * @default 300
   */
  readonly ttl?: number;
}

/**
 * A Route 53 public hosted zone: one created by {@link Dns} or an existing
 * one imported with {@link Dns.fromZoneAttributes}.
 */
export interface IDns extends IConstruct {
  /** The hosted zone id (`Z...`). */
  readonly zoneId: string;
  /** The zone's domain name, e.g. `prod.acme.io`, known at synth time. */
  readonly zoneName: string;

  /**
   * Adds an A/AAAA alias or a CNAME record to the zone.
   * @param id construct id of the record (part of its Terraform address): a letter, then letters, digits and hyphens
   */
  addRecord(id: string, options: DnsRecordOptions): TerraformResource;
}

/** Properties of a {@link Dns}. */
export interface DnsProps {
  /**
   * The zone's domain name, e.g. `prod.acme.io`: lowercase labels of
   * letters, digits and hyphens (each 1-63, not starting or ending with a
   * hyphen), at least two, at most 253 characters, no trailing dot.
   */
  readonly zoneName: string;
  /**
   * A comment shown in the Route 53 console.
   * @default - `paved <env>: public zone <zoneName>`
   */
  readonly comment?: string;
  /**
   * Sign the zone with DNSSEC: a key signing key backed by an asymmetric KMS
   * key (ECC_NIST_P256, in us-east-1 as Route 53 requires). The chain of
   * trust is complete once the parent zone holds the DS record
   * (`dnssecDsRecord`).
   * @default true
   */
  readonly dnssec?: boolean;
  /**
   * Log the DNS queries Route 53 answers for the zone to a KMS-encrypted
   * CloudWatch log group `/aws/route53/<zoneName>` (in us-east-1, where
   * Route 53 delivers query logs).
   * @default true
   */
  readonly queryLogging?: boolean;
  /**
   * Days the query logs are kept; one of the values CloudWatch Logs accepts.
   * @default - the environment profile's `logRetentionDays` (365)
   */
  readonly logRetentionDays?: number;
  /**
   * Set Terraform's `lifecycle.prevent_destroy` on the zone and the DNSSEC
   * key: a new zone gets new name servers (the parent's delegation breaks),
   * and a lost signing key makes a signed zone unresolvable.
   * @default - the environment profile's `preventDestroy` (DEV and STAGING false, PROD true)
   */
  readonly preventDestroy?: boolean;
}

/** Attributes of an existing hosted zone, for {@link Dns.fromZoneAttributes}. */
export interface DnsZoneAttributes {
  /** The hosted zone id: `Z` followed by 1-32 capital letters and digits. */
  readonly zoneId: string;
  /** The zone's domain name, e.g. `prod.acme.io` (a literal: host names are built from it at synth time). */
  readonly zoneName: string;
}

/** The zones of an environment, created or imported, for `Dns.of`. */
const ZONES = new LookupKey<IDns>('dns-zones');
/** Zone names taken in an environment. */
const ZONE_NAMES = new LookupKey<IConstruct>('dns-zone-names');
const QUERY_LOGGING_POLICY = new LookupKey<CloudwatchLogResourcePolicy>('route53-query-logging-policy');
const LABEL = /^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/;
const RECORD_LABEL = /^[a-z0-9_]([a-z0-9_-]{0,61}[a-z0-9_])?$/;
const ZONE_ID = /^Z[A-Z0-9]{1,32}$/;
const RECORD_ID = /^[A-Za-z][A-Za-z0-9-]*$/;
const MAX_NAME = 253;
/** Route 53 keeps DNSSEC keys and query logs of public zones in this region. */
const ROUTE53_REGION = 'us-east-1';
const DOMAIN_NAME_RULE = 'a domain name: lowercase labels of letters, digits and hyphens (each 1-63 characters, not starting or ending '
  + 'with a hyphen), at least two labels, at most 253 characters, no trailing dot';

/**
 * Tells whether `name` is a lowercase, fully qualified domain name of at
 * least `minLabels` labels, without a trailing dot.
 * @internal
 */
export function isDomainName(name: string, minLabels: number = 2): boolean {
  if (typeof name !== 'string' || name.length === 0 || name.length > MAX_NAME) { return false; }
  const labels = name.split('.');
  // An all-numeric last label would read as an IP address.
  return labels.length >= minLabels && labels.every(l => LABEL.test(l)) && !/^\d+$/.test(labels[labels.length - 1]);
}

/**
 * Fails unless `name` is a domain name (see {@link DnsProps.zoneName}).
 * @internal
 */
export function validateDomainName(scope: IConstruct | string, property: string, name: string): void {
  if (!isDomainName(name)) {
    throw invalid(scope, property, name, DOMAIN_NAME_RULE);
  }
}

/**
 * Adds a record to `zone` (created or imported), under its container of
 * records (`Records`, created with the first): what `addRecord` of both does.
 */
function addRecordTo(zone: Construct & IDns, records: () => Construct, id: string, options: DnsRecordOptions): Route53Record {
  if (typeof id !== 'string' || !RECORD_ID.test(id)) {
    throw invalid(zone, 'record id', id, 'a letter, then letters, digits and hyphens');
  }
  if (records().node.tryFindChild(id)) {
    throw invalid(zone, 'record id', id, 'an id not used by another record of this zone');
  }
  if (options === null || typeof options !== 'object') {
    throw invalid(zone, `records.${id}`, options, 'DnsRecordOptions: { name?, type, target, ttl? }');
  }
  validateOneOf(zone, `records.${id}.type`, options.type, Object.values(DnsRecordType));
  const name = options.name;
  if (name !== undefined && (typeof name !== 'string' || !name.split('.').every(l => RECORD_LABEL.test(l)))) {
    throw invalid(zone, `records.${id}.name`, name,
      'a name below the zone: dot-separated labels of 1-63 lowercase letters, digits, hyphens and underscores, not starting or ending with a hyphen');
  }
  const fqdn = name === undefined ? zone.zoneName : `${name}.${zone.zoneName}`;
  if (fqdn.length > MAX_NAME) {
    throw invalid(zone, `records.${id}.name`, name, `a name that keeps the full name "${fqdn}" within 253 characters`);
  }
  const target = options.target;
  if (!(target instanceof RecordTarget)) {
    throw invalid(zone, `records.${id}.target`, target, 'a RecordTarget: RecordTarget.alias({...}) or RecordTarget.hostName(...)');
  }

  if (options.type === DnsRecordType.CNAME) {
    if (target.kind !== 'hostName') {
      throw invalid(zone, `records.${id}.target`, 'alias', 'RecordTarget.hostName(...) for a CNAME record');
    }
    if (name === undefined) {
      throw invalid(zone, `records.${id}.name`, name, 'a name below the zone: a CNAME record cannot be at the zone apex');
    }
    const hostName = target.hostNameValue!;
    if (!Token.isUnresolved(hostName) && !isDomainName(hostName)) {
      throw invalid(zone, `records.${id}.target`, hostName, DOMAIN_NAME_RULE);
    }
    const ttl = options.ttl ?? 300;
    validateInteger(zone, `records.${id}.ttl`, ttl, 0, 172800);
    return new route53RecordLib.Route53Record(records(), id, { zoneId: zone.zoneId, name: fqdn, type: 'CNAME', ttl, records: [hostName] });
  }

  if (target.kind !== 'alias') {
    throw invalid(zone, `records.${id}.target`, target.hostNameValue, `RecordTarget.alias({...}) for an ${options.type} record`);
  }
  if (options.ttl !== undefined) {
    throw invalid(zone, `records.${id}.ttl`, options.ttl, 'no ttl on an alias record (Route 53 answers with the target\'s TTL)');
  }
  const alias = target.aliasTarget!;
  if (typeof alias.dnsName !== 'string' || (!Token.isUnresolved(alias.dnsName) && !isDomainName(alias.dnsName))) {
    throw invalid(zone, `records.${id}.target.dnsName`, alias.dnsName, DOMAIN_NAME_RULE);
  }
  if (typeof alias.hostedZoneId !== 'string' || (!Token.isUnresolved(alias.hostedZoneId) && !ZONE_ID.test(alias.hostedZoneId))) {
    throw invalid(zone, `records.${id}.target.hostedZoneId`, alias.hostedZoneId, 'a hosted zone id: "Z" followed by 1-32 capital letters and digits');
  }
  return new route53RecordLib.Route53Record(records(), id, {
    zoneId: zone.zoneId,
    name: fqdn,
    type: options.type,
    alias: { name: alias.dnsName, zoneId: alias.hostedZoneId, evaluateTargetHealth: alias.evaluateTargetHealth ?? true },
  });
}

/**
 * A Route 53 public hosted zone for an environment, e.g. `prod.acme.io`.
 *
 * Secure defaults:
 * - DNSSEC signing (`dnssec`): a key signing key backed by an asymmetric
 *   KMS key (ECC_NIST_P256) that only Route 53's DNSSEC service may use, for
 *   this zone of this account only; publish `dnssecDsRecord` in the parent
 *   zone to complete the chain of trust;
 * - query logging (`queryLogging`): every query is logged to the CloudWatch
 *   log group `/aws/route53/<zoneName>` in us-east-1 (where Route 53 delivers
 *   them), encrypted with a KMS key of its own and kept for the profile's
 *   `logRetentionDays`; Route 53 may write only to `/aws/route53/*` log
 *   groups of the account, for zones of the account (a resource policy
 *   `paved-<env>-route53-query-logging` shared by the environment's zones);
 * - the zone is never force-destroyed with its records, and in PROD
 *   Terraform refuses to destroy it or its signing key (`prevent_destroy`).
 *
 * DNSSEC and query logging use us-east-1 through the AWS provider's
 * per-resource `region`, so they are available in the `aws` partition only.
 *
 * @example
 * const dns = new Dns(env, 'Dns', { zoneName: 'prod.acme.io' });
 * dns.addRecord('Api', { name: 'api', type: DnsRecordType.CNAME, target: RecordTarget.hostName('api.eu.acme.io') });
 */
export class Dns extends Construct implements IDns {
  /**
   * The one zone in `scope`'s environment (created or imported anywhere
   * inside it). Fails when the environment has no zone or more than one.
   */
  public static of(scope: IConstruct): IDns {
    checkArguments('Dns.of', arguments);
    const env = Environment.containing(scope);
    const found = env._lookup.list(ZONES);
    if (found.length === 1) { return found[0]; }
    if (found.length === 0) {
      throw new PavedError(describe(scope), 'dns',
        `environment "${env.name}" has no DNS zone; add one with new Dns(env, 'Dns', { zoneName: '${env.name}.example.com' }) `
        + 'or import one with Dns.fromZoneAttributes(env, \'Dns\', { zoneId, zoneName })');
    }
    throw new PavedError(describe(scope), 'dns',
      `environment "${env.name}" has ${found.length} DNS zones (${found.map(d => d.node.path).join(', ')}); pass the zone to use explicitly`);
  }

  /**
   * An existing hosted zone, by id and name. Nothing is created; the
   * attributes are checked for format only.
   */
  public static fromZoneAttributes(scope: Construct, id: string, attrs: DnsZoneAttributes): IDns {
    checkArguments('Dns.fromZoneAttributes', arguments);
    return new ImportedDns(scope, id, attrs);
  }

  /** The hosted zone id (a reference resolved at apply time). */
  public readonly zoneId: string;
  /** The zone's domain name. */
  public readonly zoneName: string;
  /** The name servers to delegate to from the parent zone (known after apply). */
  public readonly nameServers: string[];
  /**
   * The DS record to publish in the parent zone (`<key tag> 13 2 <digest>`);
   * undefined without DNSSEC.
   */
  public readonly dnssecDsRecord?: string;
  /** @internal */
  public readonly _zone: Route53Zone;
  /** The hosted zone, for escape hatches. */
  public get zone(): TerraformResource {
    return this._zone;
  }
  /** @internal */
  public readonly _dnssecKey?: KmsKey;
  /** The asymmetric KMS key behind the key signing key, for escape hatches; undefined without DNSSEC. */
  public get dnssecKey(): TerraformResource | undefined {
    return this._dnssecKey;
  }
  /** @internal */
  public readonly _keySigningKey?: Route53KeySigningKey;
  /** The key signing key, for escape hatches; undefined without DNSSEC. */
  public get keySigningKey(): TerraformResource | undefined {
    return this._keySigningKey;
  }
  /** @internal */
  public readonly _dnssecSigning?: Route53HostedZoneDnssec;
  /** DNSSEC signing of the zone, for escape hatches; undefined without DNSSEC. */
  public get dnssecSigning(): TerraformResource | undefined {
    return this._dnssecSigning;
  }
  /** @internal */
  public readonly _queryLogGroup?: CloudwatchLogGroup;
  /** The query log group, for escape hatches; undefined without query logging. */
  public get queryLogGroup(): TerraformResource | undefined {
    return this._queryLogGroup;
  }
  /** The key of the query log group; undefined without query logging. */
  public readonly queryLogKey?: Key;
  /** @internal */
  public readonly _queryLog?: Route53QueryLog;
  /** The query logging configuration, for escape hatches; undefined without query logging. */
  public get queryLog(): TerraformResource | undefined {
    return this._queryLog;
  }

  private records?: Construct;

  constructor(scope: Construct, id: string, props: DnsProps) {
    super(checkedScope(scope, 'Dns', arguments), id);
    const env = Environment.containing(this);
    const platform = Platform.of(this);
    const zoneName = props.zoneName;
    requireFoundation(this, 'a DNS zone');
    validateDomainName(this, 'zoneName', zoneName);
    const taken = env._lookup.claim(ZONE_NAMES, zoneName, this);
    if (taken) {
      throw invalid(this, 'zoneName', zoneName, `a zone name not used by ${taken.node.path} of the same environment`);
    }
    const dnssec = props.dnssec ?? true;
    const queryLogging = props.queryLogging ?? true;
    for (const [property, on] of [['dnssec', dnssec], ['queryLogging', queryLogging]] as const) {
      if (on && env.partition !== 'aws') {
        throw invalid(this, property, on, `false in partition "${env.partition}" (Route 53 keeps DNSSEC keys and query logs in us-east-1, partition "aws")`);
      }
    }
    const logRetentionDays = props.logRetentionDays ?? env.profile.logRetentionDays;
    validateOneOf(this, 'logRetentionDays', logRetentionDays, LOG_RETENTION_DAYS);
    const preventDestroy = props.preventDestroy ?? env.profile.preventDestroy;
    const comment = props.comment ?? `paved ${env.name}: public zone ${zoneName}`;
    if (typeof comment !== 'string' || comment.length > 256) {
      throw invalid(this, 'comment', comment, 'a comment of at most 256 characters');
    }
    env._lookup.add(ZONES, this);

    const pavedDefault = (given: unknown) => given === undefined ? 'paved default' : 'override';
    const profileSource = (given: unknown) => given === undefined ? `profile ${env.profile.name}` : 'override';
    platform.recordDefault(this, 'dnssec', String(dnssec), pavedDefault(props.dnssec));
    platform.recordDefault(this, 'queryLogging', String(queryLogging), pavedDefault(props.queryLogging));
    if (queryLogging) {
      platform.recordDefault(this, 'logRetentionDays', String(logRetentionDays), profileSource(props.logRetentionDays));
    }
    platform.recordDefault(this, 'preventDestroy', String(preventDestroy), profileSource(props.preventDestroy));

    this.zoneName = zoneName;
    this._zone = new route53ZoneLib.Route53Zone(this, 'Resource', {
      name: zoneName,
      comment,
      forceDestroy: false,
      lifecycle: preventDestroy ? { preventDestroy: true } : undefined,
    });
    this.zoneId = this._zone.zoneId;
    this.nameServers = this._zone.nameServers;
    const dashed = aliasPart(zoneName);

    if (dnssec) {
      this._dnssecKey = new kmsKeyLib.KmsKey(this, 'DnssecKey', {
        region: ROUTE53_REGION,
        description: `DNSSEC key signing key of Route 53 zone ${zoneName} (paved ${env.name})`,
        keyUsage: 'SIGN_VERIFY',
        customerMasterKeySpec: 'ECC_NIST_P256',
        // Asymmetric keys cannot rotate automatically; a new key signing key replaces the old one instead.
        enableKeyRotation: false,
        deletionWindowInDays: 30,
        policy: JSON.stringify({
          Version: '2012-10-17',
          Statement: [
            accountAdminStatement(env),
            {
              Sid: 'Route53DnssecSignsForThisZone',
              Effect: 'Allow',
              Principal: { Service: 'dnssec-route53.amazonaws.com' },
              Action: ['kms:DescribeKey', 'kms:GetPublicKey', 'kms:Sign'],
              Resource: '*',
              Condition: {
                StringEquals: { 'aws:SourceAccount': env.account },
                ArnLike: { 'aws:SourceArn': `arn:${env.partition}:route53:::hostedzone/${this._zone.zoneId}` },
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
        }),
        lifecycle: preventDestroy ? { preventDestroy: true } : undefined,
      });
      new kmsAliasLib.KmsAlias(this, 'DnssecKeyAlias', {
        region: ROUTE53_REGION,
        name: Naming.keyAlias(env.name, `dnssec/${dashed}`),
        targetKeyId: this._dnssecKey.keyId,
      });
      this._keySigningKey = new route53KeySigningKeyLib.Route53KeySigningKey(this, 'KeySigningKey', {
        hostedZoneId: this._zone.zoneId,
        keyManagementServiceArn: this._dnssecKey.arn,
        name: 'paved',
      });
      this._dnssecSigning = new route53HostedZoneDnssecLib.Route53HostedZoneDnssec(this, 'Dnssec', {
        hostedZoneId: this._keySigningKey.hostedZoneId,
        dependsOn: [this._keySigningKey],
      });
      this.dnssecDsRecord = this._keySigningKey.dsRecord;
    }

    if (queryLogging) {
      const logGroupName = `/aws/route53/${zoneName}`;
      const logGroupArn = `arn:${env.partition}:logs:${ROUTE53_REGION}:${env.account}:log-group:${logGroupName}`;
      this.queryLogKey = new Key(this, 'QueryLogKey', {
        description: `Encrypts the query logs of Route 53 zone ${zoneName}`,
        alias: `route53/${dashed}/query-logs`,
        preventDestroy,
        servicePrincipals: [{
          service: `logs.${ROUTE53_REGION}.amazonaws.com`,
          actions: ['kms:Encrypt*', 'kms:Decrypt*', 'kms:ReEncrypt*', 'kms:GenerateDataKey*', 'kms:Describe*'],
          conditions: [{ test: 'ArnEquals', variable: 'kms:EncryptionContext:aws:logs:arn', values: [logGroupArn] }],
        }],
      });
      // The key must live where the log group is; Key takes the environment's region otherwise.
      this.queryLogKey._resource.addOverride('region', ROUTE53_REGION);
      this.queryLogKey._aliasResource.addOverride('region', ROUTE53_REGION);
      this._queryLogGroup = new cloudwatchLogGroupLib.CloudwatchLogGroup(this, 'QueryLogGroup', {
        region: ROUTE53_REGION,
        name: logGroupName,
        retentionInDays: logRetentionDays,
        kmsKeyId: this.queryLogKey.keyArn,
      });
      this._queryLog = new route53QueryLogLib.Route53QueryLog(this, 'QueryLog', {
        zoneId: this._zone.zoneId,
        cloudwatchLogGroupArn: this._queryLogGroup.arn,
        // Route 53 checks that it may write to the group when logging is turned on.
        dependsOn: [queryLoggingPolicy(env)],
      });
    }
  }

  /**
   * Adds an A/AAAA alias or a CNAME record to the zone.
   *
   * @param id construct id of the record (part of its Terraform address): a letter, then letters, digits and hyphens
   */
  public addRecord(id: string, options: DnsRecordOptions): TerraformResource {
    return addRecordTo(this, () => this.records ??= new Construct(this, 'Records'), id, options);
  }
}

/** An existing hosted zone, referenced by id. */
class ImportedDns extends Construct implements IDns {
  public readonly zoneId: string;
  public readonly zoneName: string;
  private records?: Construct;

  constructor(scope: Construct, id: string, attrs: DnsZoneAttributes) {
    super(scope, id);
    Environment.containing(this);
    if (typeof attrs.zoneId !== 'string' || (!Token.isUnresolved(attrs.zoneId) && !ZONE_ID.test(attrs.zoneId))) {
      throw invalid(this, 'zoneId', attrs.zoneId, 'a hosted zone id: "Z" followed by 1-32 capital letters and digits');
    }
    validateDomainName(this, 'zoneName', attrs.zoneName);
    Environment.containing(this)._lookup.add(ZONES, this);
    this.zoneId = attrs.zoneId;
    this.zoneName = attrs.zoneName;
  }

  /**
   * Adds an A/AAAA alias or a CNAME record to the zone.
   *
   * @param id construct id of the record (part of its Terraform address): a letter, then letters, digits and hyphens
   */
  public addRecord(id: string, options: DnsRecordOptions): TerraformResource {
    return addRecordTo(this, () => this.records ??= new Construct(this, 'Records'), id, options);
  }
}

/**
 * The environment's CloudWatch Logs resource policy that lets Route 53 write
 * query logs to `/aws/route53/*` in us-east-1, created on first use. One per
 * environment, not per zone: an account may have only 10 such policies per region.
 */
function queryLoggingPolicy(env: Environment): CloudwatchLogResourcePolicy {
  const id = 'Route53QueryLogging';
  return env._lookup.singleton(QUERY_LOGGING_POLICY, id, () => new cloudwatchLogResourcePolicyLib.CloudwatchLogResourcePolicy(env, id, {
    region: ROUTE53_REGION,
    policyName: `paved-${env.name}-route53-query-logging`,
    policyDocument: JSON.stringify({
      Version: '2012-10-17',
      Statement: [{
        Sid: 'Route53WritesQueryLogs',
        Effect: 'Allow',
        Principal: { Service: 'route53.amazonaws.com' },
        Action: ['logs:CreateLogStream', 'logs:PutLogEvents'],
        Resource: `arn:${env.partition}:logs:${ROUTE53_REGION}:${env.account}:log-group:/aws/route53/*`,
        Condition: {
          StringEquals: { 'aws:SourceAccount': env.account },
          ArnLike: { 'aws:SourceArn': `arn:${env.partition}:route53:::hostedzone/*` },
        },
      }],
    }),
  }));
}

/** The zone name as a KMS alias component: dots become dashes, and long names end with a hash. */
function aliasPart(zoneName: string): string {
  const dashed = zoneName.replace(/\./g, '-');
  return dashed.length <= 120 ? dashed : `${dashed.slice(0, 111)}-${Naming.hash(zoneName)}`;
}
