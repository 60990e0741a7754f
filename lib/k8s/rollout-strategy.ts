import { DeploymentStrategy, IntOrString } from 'cdk8s-plus-28/lib/imports/k8s';
import { IConstruct } from 'constructs';
import { validateLiteral } from './literal';
import { checkArguments } from '../core/api-guard';
import { invalid } from '../core/errors';

/** Options of {@link RolloutStrategy.rollingUpdate}. */
export interface RollingUpdateOptions {
  /**
   * Pods started above the desired count during a rollout: a number
   * (`'1'`) or a percentage of the desired count (`'25%'`, rounded up).
   * @default '25%'
   */
  readonly maxSurge?: string;
  /**
   * Pods that may be unavailable during a rollout: a number (`'0'`) or a
   * percentage of the desired count (`'25%'`, rounded down). Not `'0'`
   * together with a `maxSurge` of `'0'`, which could never make progress.
   * @default '0' — a rollout never goes below the current count
   */
  readonly maxUnavailable?: string;
}

/** A count (`3`) or a percentage (`25%`, at most 100%). */
const AMOUNT = /^(0|[1-9]\d{0,8})(%?)$/;

/** How a Deployment replaces its pods with a new version. */
export class RolloutStrategy {
  /**
   * Replaces pods a few at a time, so the app keeps serving throughout.
   * The default: surge 25%, never below the current count.
   */
  public static rollingUpdate(options: RollingUpdateOptions = {}): RolloutStrategy {
    checkArguments('RolloutStrategy.rollingUpdate', arguments);
    return new RolloutStrategy({ ...(options ?? {}) });
  }

  /**
   * Stops every old pod before starting new ones: the app is down during
   * the rollout. For apps that cannot run two versions at once, or that
   * mount a `ReadWriteOnce` volume.
   */
  public static recreate(): RolloutStrategy {
    return new RolloutStrategy(undefined);
  }

  private constructor(private readonly rolling: RollingUpdateOptions | undefined) {}

  /**
   * The Deployment's `strategy`, validated.
   * @internal
   */
  public _render(scope: IConstruct, property: string): DeploymentStrategy {
    if (this.rolling === undefined) {
      return { type: 'Recreate' };
    }
    const maxSurge = amount(scope, `${property}.maxSurge`, this.rolling.maxSurge ?? '25%');
    const maxUnavailable = amount(scope, `${property}.maxUnavailable`, this.rolling.maxUnavailable ?? '0');
    if (isZero(maxSurge) && isZero(maxUnavailable)) {
      throw invalid(scope, `${property}.maxUnavailable`, this.rolling.maxUnavailable ?? '0',
        'above 0 when maxSurge is 0 (a rollout could neither add nor remove a pod)');
    }
    return { type: 'RollingUpdate', rollingUpdate: { maxSurge, maxUnavailable } };
  }

  /**
   * One line for the synth report, e.g. `RollingUpdate maxSurge 25%, maxUnavailable 0`.
   * @internal
   */
  public _describe(): string {
    return this.rolling === undefined ? 'Recreate'
      : `RollingUpdate maxSurge ${this.rolling.maxSurge ?? '25%'}, maxUnavailable ${this.rolling.maxUnavailable ?? '0'}`;
  }
}

function amount(scope: IConstruct, property: string, value: string): IntOrString {
  validateLiteral(scope, property, value);
  const match = typeof value === 'string' ? AMOUNT.exec(value) : null;
  if (!match || (match[2] === '%' && Number(match[1]) > 100)) {
    throw invalid(scope, property, value, 'a number of pods such as "1", or a percentage from "0%" to "100%"');
  }
  return match[2] === '%' ? IntOrString.fromString(value) : IntOrString.fromNumber(Number(match[1]));
}

function isZero(value: IntOrString): boolean {
  return value.value === 0 || value.value === '0%';
}
