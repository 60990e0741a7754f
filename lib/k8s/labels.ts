import { IConstruct } from 'constructs';
import { invalid } from '../core/errors';

/** Kubernetes label value: at most 63 characters, alphanumeric at both ends. */
const LABEL_VALUE = /^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/;
/** Name part of a label key (after the optional `prefix/`). */
const LABEL_NAME = /^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$/;
/** DNS-1035 label: what Service names must be (a DNS-1123 label that starts with a letter). */
const DNS_1035_LABEL = /^[a-z]([-a-z0-9]*[a-z0-9])?$/;
const DNS_1123_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

/** Value of `app.kubernetes.io/managed-by` on every object paved writes. */
export const MANAGED_BY = 'paved';

/**
 * What the `app.kubernetes.io/*` labels of one workload say.
 * @internal
 */
export interface AppLabelOptions {
  /** Workload name: `app.kubernetes.io/name` and `app.kubernetes.io/instance`. */
  readonly name: string;
  /** Role in the architecture: `web`, `worker`, `job`. */
  readonly component: string;
  /** Version of the software; left out when not a valid label value. */
  readonly version?: string;
  /** The larger application (tenant); left out when undefined. */
  readonly partOf?: string;
}

/**
 * The recommended labels of a workload's objects
 * (https://kubernetes.io/docs/concepts/overview/working-with-objects/common-labels/).
 * @internal
 */
export function appLabels(options: AppLabelOptions): { [key: string]: string } {
  const labels: { [key: string]: string } = {
    ...selectorLabels(options.name),
    'app.kubernetes.io/component': options.component,
  };
  if (options.version !== undefined && isLabelValue(options.version) && options.version !== '') {
    labels['app.kubernetes.io/version'] = options.version;
  }
  if (options.partOf !== undefined) {
    labels['app.kubernetes.io/part-of'] = options.partOf;
  }
  labels['app.kubernetes.io/managed-by'] = MANAGED_BY;
  return labels;
}

/**
 * The labels that select a workload's pods. Only labels that never change
 * for the life of the workload: a Deployment's selector is immutable, so a
 * version in it would make every upgrade fail.
 * @internal
 */
export function selectorLabels(name: string): { [key: string]: string } {
  return {
    'app.kubernetes.io/name': name,
    'app.kubernetes.io/instance': name,
  };
}

/** @internal */
export function isLabelValue(value: string): boolean {
  return typeof value === 'string' && value.length <= 63 && LABEL_VALUE.test(value);
}

/**
 * Label or annotation key: optional DNS-subdomain prefix and `/`, then a name of at most 63 characters.
 * @internal
 */
export function isQualifiedName(key: string): boolean {
  if (typeof key !== 'string') { return false; }
  const slash = key.lastIndexOf('/');
  const prefix = slash >= 0 ? key.slice(0, slash) : undefined;
  const name = slash >= 0 ? key.slice(slash + 1) : key;
  if (prefix !== undefined && !isDnsSubdomain(prefix)) { return false; }
  return name.length <= 63 && LABEL_NAME.test(name);
}

/**
 * DNS-1123 subdomain: dot-separated DNS labels, at most 253 characters.
 * What most Kubernetes object names (Secret, ServiceAccount, IngressClass) must be.
 * @internal
 */
export function isDnsSubdomain(value: string, maxLength: number = 253): boolean {
  return typeof value === 'string' && value.length > 0 && value.length <= maxLength
    && value.split('.').every(label => label.length <= 63 && DNS_1123_LABEL.test(label));
}

/**
 * Fails unless `value` is a DNS-1035 label of at most 63 characters: the
 * rule for Service names, and so for every workload name paved uses as one.
 * @internal
 */
export function validateDns1035Label(scope: IConstruct | string, property: string, value: string): void {
  if (typeof value !== 'string' || value.length > 63 || !DNS_1035_LABEL.test(value)) {
    throw invalid(scope, property, value,
      'a DNS-1035 label: 1-63 lowercase letters, digits and dashes, starting with a letter and ending with a letter or digit');
  }
}

/**
 * Fails unless `value` is a DNS-1123 subdomain (lowercase, dot-separated labels, at most 253 characters).
 * @internal
 */
export function validateDnsSubdomain(scope: IConstruct | string, property: string, value: string): void {
  if (!isDnsSubdomain(value)) {
    throw invalid(scope, property, value,
      'a DNS-1123 subdomain: lowercase letters, digits, dashes and dots, labels of 1-63 characters, at most 253 in all');
  }
}

/**
 * Fails unless every key is a qualified label key and every value a label value.
 * @internal
 */
export function validateLabels(scope: IConstruct | string, property: string, labels: { [key: string]: string }): void {
  for (const [key, value] of Object.entries(labels)) {
    if (!isQualifiedName(key)) {
      throw invalid(scope, `${property} key`, key,
        'a label key: an optional DNS subdomain and "/", then 1-63 letters, digits, "-", "_" or ".", alphanumeric at both ends');
    }
    if (!isLabelValue(value)) {
      throw invalid(scope, `${property}.${key}`, value,
        'a label value: at most 63 letters, digits, "-", "_" or ".", alphanumeric at both ends');
    }
  }
}
