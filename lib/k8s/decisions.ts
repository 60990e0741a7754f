import { IConstruct } from 'constructs';
import { platformOf } from '../core/platform';

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


/**
 * Adds a warning to the synth report (`platform.warn`). Does nothing for a
 * construct outside a paved Platform.
 * @internal
 */
export function recordWarning(scope: IConstruct, message: string): void {
  platformOf(scope)?.warn(scope, message);
}
