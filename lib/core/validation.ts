import { Token } from 'cdktf';
import { IConstruct } from 'constructs';
import { invalid } from './errors';

/** Lowercase RFC 1123 label: what Kubernetes, RDS and most AWS names accept. */
const DNS_LABEL = /^[a-z0-9]([a-z0-9-]*[a-z0-9])?$/;

/**
 * Fails unless `value` is a lowercase DNS label (RFC 1123) of at most `maxLength` characters.
 * @internal
 */
export function validateDnsLabel(scope: IConstruct | string, property: string, value: string, maxLength: number = 63): void {
  if (typeof value !== 'string' || value.length > maxLength || !DNS_LABEL.test(value)) {
    throw invalid(scope, property, value,
      `a DNS label: 1-${maxLength} lowercase letters, digits and dashes, starting and ending with a letter or digit`);
  }
}

/** @internal */
export function isDnsLabel(value: string, maxLength: number = 63): boolean {
  return typeof value === 'string' && value.length <= maxLength && DNS_LABEL.test(value);
}

/**
 * Fails unless `value` is an integer within [min, max]. Unresolved tokens pass.
 * @internal
 */
export function validateInteger(scope: IConstruct | string, property: string, value: number | undefined, min: number, max: number): void {
  if (value === undefined || Token.isUnresolved(value)) { return; }
  if (!Number.isInteger(value) || value < min || value > max) {
    throw invalid(scope, property, value, `an integer from ${min} to ${max}`);
  }
}

/**
 * Fails unless `value` is one of `allowed`.
 * @internal
 */
export function validateOneOf<T>(scope: IConstruct | string, property: string, value: T, allowed: readonly T[]): void {
  if (!allowed.includes(value)) {
    throw invalid(scope, property, value, `one of ${allowed.map(a => JSON.stringify(a)).join(', ')}`);
  }
}
