import { Token } from 'cdktf';
import { IConstruct } from 'constructs';
import { invalid } from '../core/errors';

/**
 * Fails when `value` is an unresolved Terraform token. Kubernetes YAML is
 * written from literal values only: nothing resolves a Terraform reference
 * in a manifest, so it would reach the cluster as `${TfToken[...]}`.
 * @internal
 */
export function validateLiteral(scope: IConstruct | string, property: string, value: unknown): void {
  if ((typeof value === 'string' || typeof value === 'number') && Token.isUnresolved(value)) {
    throw invalid(scope, property, value,
      'a literal value known at synth time (a Terraform reference cannot be resolved in Kubernetes YAML)');
  }
}
