import { EnvVar } from 'cdk8s-plus-28/lib/imports/k8s';
import { IConstruct } from 'constructs';
import { validateDnsSubdomain } from './labels';
import { SecretKeyRef } from './secret-key-ref';
import { invalid } from '../core/errors';

/** A C identifier: usable from every shell and runtime, unlike the wider set Kubernetes accepts. */
const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
/** Secret data keys Kubernetes accepts. */
const SECRET_KEY = /^[-._a-zA-Z0-9]+$/;

/**
 * The `env` of a container: variables read from Secret keys, then literal
 * variables, each group in the order given. Secret variables come first so
 * literal values can compose them with Kubernetes' `$(VAR)` expansion, which
 * only sees variables defined earlier in the list.
 *
 * @param envProperty property name of the literal variables, for errors
 * @param secretEnvProperty property name of the secret variables, for errors
 * @returns undefined when there are no variables
 * @internal
 */
export function renderEnv(
  scope: IConstruct,
  env: { [name: string]: string } = {},
  secretEnv: { [name: string]: SecretKeyRef } = {},
  envProperty: string = 'env',
  secretEnvProperty: string = 'secretEnv',
): EnvVar[] | undefined {
  const vars: EnvVar[] = [];
  for (const [name, ref] of Object.entries(secretEnv)) {
    validateEnvName(scope, secretEnvProperty, name);
    if (Object.prototype.hasOwnProperty.call(env, name)) {
      throw invalid(scope, secretEnvProperty, name, `a variable name not also set in ${envProperty}`);
    }
    validateDnsSubdomain(scope, `${secretEnvProperty}.${name}.secretName`, ref?.secretName);
    if (typeof ref.key !== 'string' || ref.key.length > 253 || !SECRET_KEY.test(ref.key)) {
      throw invalid(scope, `${secretEnvProperty}.${name}.key`, ref.key, 'a Secret key: 1-253 letters, digits, "-", "_" or "."');
    }
    vars.push({ name, valueFrom: { secretKeyRef: { name: ref.secretName, key: ref.key } } });
  }
  for (const [name, value] of Object.entries(env)) {
    validateEnvName(scope, envProperty, name);
    if (typeof value !== 'string') {
      throw invalid(scope, `${envProperty}.${name}`, value, 'a string');
    }
    vars.push({ name, value });
  }
  return vars.length > 0 ? vars : undefined;
}

/**
 * `text` as a container env value that reaches the process unchanged.
 * Kubernetes expands `$(VAR)` in env values (to an earlier variable's value)
 * and turns `$$` into `$`, so every `$` that starts either is doubled:
 * `pa$$(x)` is written `pa$$$$(x)`. Other `$` signs (`$HOME`) are left as
 * they are, since Kubernetes leaves them too.
 *
 * @param beforeReference the text is followed by a `$(VAR)` reference, so a
 * `$` at its end starts a `$$` and is doubled too
 * @internal
 */
export function escapeEnvExpansion(text: string, beforeReference: boolean = false): string {
  return text.replace(beforeReference ? /\$(?=[$(]|$)/g : /\$(?=[$(])/g, '$$$$');
}

function validateEnvName(scope: IConstruct, property: string, name: string): void {
  if (!ENV_NAME.test(name)) {
    throw invalid(scope, `${property} name`, name, 'an environment variable name: letters, digits and "_", not starting with a digit');
  }
}
