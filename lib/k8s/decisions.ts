import { IConstruct } from 'constructs';
import { Errors } from '../core/errors';
import { Platform } from '../core/platform';

/**
 * Records a value a profile, size or paved default chose, so the synth
 * report shows it. Does nothing for a construct outside a paved Platform
 * (a plain cdk8s App): the Kubernetes constructs work standalone too.
 * @internal
 */
export function recordDecision(scope: IConstruct, property: string, value: string, source: string): void {
  platformOf(scope)?.recordDefault(scope, property, value, source);
}

/**
 * `recordDecision` for a value known only at synth (a quota derived from
 * workloads declared later): `value` and `source` are read when the report
 * is written.
 * @internal
 */
export function recordDerivedDecision(scope: IConstruct, property: string, value: () => string, source: () => string): void {
  platformOf(scope)?._recordDerived(scope, property, value, source);
}

function platformOf(scope: IConstruct): Platform | undefined {
  try {
    return Platform.of(scope);
  } catch (e) {
    if (Errors.isPavedError(e)) { return undefined; }
    throw e;
  }
}
