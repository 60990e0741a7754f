import { IConstruct } from 'constructs';
import { Errors } from '../core/errors';
import { Platform, platformOf } from '../core/platform';

/**
 * Records a value a profile, size or paved default chose, so the synth
 * report shows it. Does nothing for a construct outside a paved Platform
 * (a plain cdk8s App): the Kubernetes constructs work standalone too.
 * @internal
 */
export function recordDecision(scope: IConstruct, property: string, value: string, source: string): void {
  let platform: Platform;
  try {
    platform = Platform.of(scope);
  } catch (e) {
    if (Errors.isPavedError(e)) { return; }
    throw e;
  }
  platform.recordDefault(scope, property, value, source);
}

/**
 * Adds a warning to the synth report (`platform.warn`). Does nothing for a
 * construct outside a paved Platform.
 * @internal
 */
export function recordWarning(scope: IConstruct, message: string): void {
  platformOf(scope)?.warn(scope, message);
}
