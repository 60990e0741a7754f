import { IConstruct } from 'constructs';
import { validateLiteral } from './literal';
import { invalid } from '../core/errors';

/** An IAM role ARN in any partition, with an optional path; role names are 1-64 of `[\w+=,.@-]`. */
const ROLE_ARN = /^arn:aws(?:-cn|-us-gov|-eusc)?:iam::\d{12}:role\/(?:[\x21-\x7e]+\/)?[\w+=,.@-]{1,64}$/;

/**
 * Fails unless `value` is a literal IAM role ARN, e.g.
 * `arn:aws:iam::123456789012:role/paved-prod-shop-secrets`.
 * @internal
 */
export function validateIamRoleArn(scope: IConstruct, property: string, value: string): void {
  validateLiteral(scope, property, value);
  if (typeof value !== 'string' || value.length > 2048 || !ROLE_ARN.test(value)) {
    throw invalid(scope, property, value, 'an IAM role ARN such as "arn:aws:iam::123456789012:role/name"');
  }
}
