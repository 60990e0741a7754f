import { Duration } from 'cdk8s';
import { checkArguments } from '../core/api-guard';
import { invalid } from '../core/errors';

/**
 * How urgent an alert is: its `severity` label, which tenant routing maps
 * to receivers. The values are the ones kube-prometheus-stack's own rules
 * and Alertmanager defaults use.
 */
export enum AlertSeverity {
  /** Wakes someone up: routed to the page receiver (and the default one). */
  CRITICAL = 'critical',
  /** Needs attention in working hours: a ticket or a chat message. */
  WARNING = 'warning',
  /** For dashboards and inhibition only. */
  INFO = 'info',
}

/** When an alert with a threshold fires. */
export interface AlertThresholdOptions {
  /**
   * How long the condition must hold before the alert fires (0 for at once).
   * @default - the alert's own default, given in the doc of each threshold
   */
  readonly forDuration?: Duration;
  /**
   * Severity of the alert. A profile that does not page (DEV) turns
   * `CRITICAL` into `WARNING`.
   * @default - the alert's own default, given in the doc of each threshold
   */
  readonly severity?: AlertSeverity;
}

/**
 * A default alert's threshold: changed with {@link AlertThreshold.of},
 * removed with {@link AlertThreshold.disabled}.
 */
export class AlertThreshold {
  /**
   * Fire above `value` (its unit is given by the alert that takes it).
   * @param value a finite number
   */
  public static of(value: number, options: AlertThresholdOptions = {}): AlertThreshold {
    checkArguments('AlertThreshold.of', arguments);
    return new AlertThreshold(true, value, options);
  }

  /** No such alert. */
  public static disabled(): AlertThreshold {
    return new AlertThreshold(false, undefined, {});
  }

  /** Whether the alert exists. */
  public readonly enabled: boolean;
  /** The threshold; undefined when disabled. */
  public readonly value?: number;
  /** How long the condition must hold; undefined for the alert's default. */
  public readonly forDuration?: Duration;
  /** Severity; undefined for the alert's default. */
  public readonly severity?: AlertSeverity;

  private constructor(enabled: boolean, value: number | undefined, options: AlertThresholdOptions) {
    if (enabled && (typeof value !== 'number' || !Number.isFinite(value))) {
      throw invalid('AlertThreshold', 'value', value, 'a finite number');
    }
    if (options.forDuration !== undefined && !(options.forDuration instanceof Duration)) {
      throw invalid('AlertThreshold', 'forDuration', options.forDuration, 'a Duration, e.g. Duration.minutes(10)');
    }
    if (options.severity !== undefined && !Object.values(AlertSeverity).includes(options.severity)) {
      throw invalid('AlertThreshold', 'severity', options.severity, `one of ${Object.values(AlertSeverity).join(', ')}`);
    }
    this.enabled = enabled;
    this.value = value;
    this.forDuration = options.forDuration;
    this.severity = options.severity;
  }
}
