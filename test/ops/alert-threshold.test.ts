import { Duration } from 'cdk8s';
import { AlertSeverity, AlertThreshold } from '../../lib/ops';

describe('AlertThreshold', () => {
  test('of() keeps value, duration and severity', () => {
    const t = AlertThreshold.of(0.1, { forDuration: Duration.minutes(5), severity: AlertSeverity.CRITICAL });
    expect([t.enabled, t.value, t.forDuration?.toSeconds(), t.severity]).toEqual([true, 0.1, 300, 'critical']);
    expect(AlertThreshold.of(1).forDuration).toBeUndefined();
    expect(AlertThreshold.of(1).severity).toBeUndefined();
  });

  test('disabled() removes the alert', () => {
    expect(AlertThreshold.disabled().enabled).toBe(false);
  });

  test('fails with a value that is not a finite number', () => {
    expect(() => AlertThreshold.of(NaN)).toThrow('AlertThreshold.of: value: got NaN; expected a finite number');
  });

  test('fails with a duration that is not a Duration', () => {
    expect(() => AlertThreshold.of(1, { forDuration: '5m' as any })).toThrow('AlertThreshold.of: forDuration: got "5m"; expected a Duration object');
  });

  test('fails with an unknown severity', () => {
    expect(() => AlertThreshold.of(1, { severity: 'page' as any })).toThrow('AlertThreshold.of: severity: got "page"; expected one of "critical", "warning", "info" (AlertSeverity)');
  });
});
