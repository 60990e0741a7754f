import type { AcmCertificate } from '@cdktf/provider-aws/lib/acm-certificate';
import type { AcmCertificateValidation } from '@cdktf/provider-aws/lib/acm-certificate-validation';
import type { Route53Record } from '@cdktf/provider-aws/lib/route53-record';
import { Fn, IResolvable, TerraformIterator, TerraformResource } from 'cdktf';
import { Construct } from 'constructs';
import { IDns, isDomainName } from './dns';
import { checkedScope } from '../core/api-guard';
import { Environment } from '../core/environment';
import { invalid } from '../core/errors';
import { lazyModule } from '../core/lazy-module';

const acmCertificateLib = lazyModule<typeof import('@cdktf/provider-aws/lib/acm-certificate')>('@cdktf/provider-aws/lib/acm-certificate');
const acmCertificateValidationLib = lazyModule<typeof import('@cdktf/provider-aws/lib/acm-certificate-validation')>('@cdktf/provider-aws/lib/acm-certificate-validation');
const route53RecordLib = lazyModule<typeof import('@cdktf/provider-aws/lib/route53-record')>('@cdktf/provider-aws/lib/route53-record');

/** Properties of a {@link Certificate}. */
export interface CertificateProps {
  /** The zone the validation records are written to; every name must be the zone's name or below it. */
  readonly dns: IDns;
  /** The certificate's main name, e.g. `orders.prod.acme.io`. No wildcards. */
  readonly domainName: string;
  /**
   * Further names the certificate covers, each in the zone, distinct, no
   * wildcards; at most 9 (ACM's default quota is 10 names per certificate).
   * @default [] - the main name only
   */
  readonly subjectAlternativeNames?: string[];
}

/** ACM's default quota of names per certificate, the main name included. */
const MAX_NAMES = 10;
/** Validation records are looked up once by ACM; a short TTL lets a re-issued certificate validate quickly. */
const VALIDATION_TTL = 60;

/**
 * A public ACM certificate in the environment's region (for load balancers),
 * validated by DNS records written to a Route 53 zone.
 *
 * Secure defaults:
 * - validated by DNS (`validation_method = DNS`), so ACM renews it on its
 *   own as long as the records stay;
 * - certificate transparency logging on (browsers distrust unlogged certificates);
 * - no wildcard names (a stolen wildcard key serves every host of the zone;
 *   checkov CKV2_AWS_71);
 * - `create_before_destroy`, so a change of names issues the new
 *   certificate before the old one is deleted from its listeners.
 *
 * One validation record per name (`Validation1` for the main name,
 * `Validation2`… for the alternative names in order). Each record takes its
 * name and value from the certificate's `domain_validation_options` entry
 * for that domain, looked up by domain name, so the plan knows every record
 * before the certificate exists. `certificateArn` is the ARN of the
 * validated certificate: what uses it waits until ACM has issued it.
 *
 * @example new Certificate(env, 'OrdersCertificate', { dns, domainName: 'orders.prod.acme.io' });
 */
export class Certificate extends Construct {
  /** ARN of the certificate, available once ACM has validated it (a reference resolved at apply time). */
  public readonly certificateArn: string;
  /** The main name. */
  public readonly domainName: string;
  /** All names the certificate covers, the main name first. */
  public readonly domainNames: string[];
  /** @internal */
  public readonly _resource: AcmCertificate;
  /** The certificate, for escape hatches. */
  public get resource(): TerraformResource {
    return this._resource;
  }
  /** @internal */
  public readonly _validationRecords: Route53Record[];
  /** The validation records, in the order of `domainNames`, for escape hatches. */
  public get validationRecords(): TerraformResource[] {
    return this._validationRecords;
  }
  /** @internal */
  public readonly _validation: AcmCertificateValidation;
  /** The wait for validation, for escape hatches. */
  public get validation(): TerraformResource {
    return this._validation;
  }

  constructor(scope: Construct, id: string, props: CertificateProps) {
    super(checkedScope(scope, 'Certificate', arguments), id);
    Environment.containing(this);
    const dns = props.dns;
    if (dns === null || typeof dns !== 'object' || typeof dns.zoneName !== 'string' || typeof dns.zoneId !== 'string') {
      throw invalid(this, 'dns', dns, 'an IDns (new Dns(...), Dns.fromZoneAttributes(...) or Dns.of(env))');
    }
    const zoneName = dns.zoneName;
    const inZone = (name: string) => name === zoneName || name.endsWith(`.${zoneName}`);
    const allowed = `a host name in zone "${zoneName}" (the zone's name or a name below it), without wildcards`;
    if (!isDomainName(props.domainName) || !inZone(props.domainName)) {
      throw invalid(this, 'domainName', props.domainName, allowed);
    }
    const alternatives = props.subjectAlternativeNames ?? [];
    if (!Array.isArray(alternatives) || alternatives.length > MAX_NAMES - 1) {
      throw invalid(this, 'subjectAlternativeNames', alternatives, `a list of at most ${MAX_NAMES - 1} host names`);
    }
    const seen = new Set([props.domainName]);
    alternatives.forEach((name, i) => {
      if (!isDomainName(name) || !inZone(name)) {
        throw invalid(this, `subjectAlternativeNames[${i}]`, name, allowed);
      }
      if (seen.has(name)) {
        throw invalid(this, `subjectAlternativeNames[${i}]`, name, 'a name not listed already (as the main name or an alternative)');
      }
      seen.add(name);
    });

    this.domainName = props.domainName;
    this.domainNames = [props.domainName, ...alternatives];

    this._resource = new acmCertificateLib.AcmCertificate(this, 'Resource', {
      domainName: props.domainName,
      subjectAlternativeNames: alternatives.length > 0 ? [...alternatives] : undefined,
      validationMethod: 'DNS',
      keyAlgorithm: 'RSA_2048',
      options: { certificateTransparencyLoggingPreference: 'ENABLED' },
      lifecycle: { createBeforeDestroy: true },
    });

    // domain_validation_options is a set: index it by domain name rather than by position.
    const byDomain: IResolvable = TerraformIterator.fromList(this._resource.domainValidationOptions)
      .forExpressionForMap('val.domain_name', 'val');
    this._validationRecords = this.domainNames.map((name, i) => new route53RecordLib.Route53Record(this, `Validation${i + 1}`, {
      zoneId: dns.zoneId,
      name: Fn.lookupNested(byDomain, [name, 'resource_record_name']),
      type: Fn.lookupNested(byDomain, [name, 'resource_record_type']),
      records: [Fn.lookupNested(byDomain, [name, 'resource_record_value'])],
      ttl: VALIDATION_TTL,
      // A certificate replaced with the same names gets the same validation record.
      allowOverwrite: true,
    }));

    this._validation = new acmCertificateValidationLib.AcmCertificateValidation(this, 'Validation', {
      certificateArn: this._resource.arn,
      validationRecordFqdns: this._validationRecords.map(r => r.fqdn),
    });
    this.certificateArn = this._validation.certificateArn;
  }
}
