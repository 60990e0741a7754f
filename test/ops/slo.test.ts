import { Duration } from 'cdk8s';
import { Slo, SloConvention, SloKind } from '../../lib/ops';

describe('Slo', () => {
  test('availability: defaults to 30 days, both alerts, a generated description', () => {
    const slo = Slo.availability({ name: 'availability', objective: 99.9 });
    expect([slo.kind, slo.objective, slo.periodDays, slo.errorBudget, slo.pageAlert, slo.ticketAlert])
      .toEqual([SloKind.AVAILABILITY, 99.9, 30, 0.001, true, true]);
    expect(slo.description).toBe('99.9% of requests succeed over 30 days');
    expect(slo.convention).toBeUndefined();
    expect(slo.runbookUrl).toBeUndefined();
  });

  test('latency: threshold, period, convention and alert switches', () => {
    const convention = SloConvention.openTelemetryHttp();
    const slo = Slo.latency({ name: 'fast', objective: 99, thresholdSeconds: 0.25, period: Duration.days(28), convention, pageAlert: false, ticketAlert: false, runbookUrl: 'https://rb.example.com/x', description: 'fast enough' });
    expect([slo.kind, slo.thresholdSeconds, slo.periodDays, slo.pageAlert, slo.ticketAlert, slo.description, slo.runbookUrl])
      .toEqual([SloKind.LATENCY, 0.25, 28, false, false, 'fast enough', 'https://rb.example.com/x']);
    expect(slo.convention).toBe(convention);
  });

  test('ratio: from queries with {{window}}', () => {
    const slo = Slo.ratio({ name: 'jobs', objective: 99, errorQuery: 'sum(rate(f[{{window}}]))', totalQuery: 'sum(rate(t[{{window}}]))' });
    expect(slo.kind).toBe(SloKind.RATIO);
    expect(slo.description).toBe('99% of events are good over 30 days');
  });

  test.each([0, 100, -1, 101])('fails with objective %p outside (0, 100)', objective => {
    expect(() => Slo.availability({ name: 'a', objective }))
      .toThrow(`Slo a: objective: got ${objective}; expected a percentage greater than 0 and less than 100`);
  });

  test('fails with objective NaN, which is no number', () => {
    expect(() => Slo.availability({ name: 'a', objective: NaN })).toThrow('Slo.availability: objective: got NaN; expected a finite number');
  });

  test.each([
    [Duration.hours(36), '1 day 12 hours'],
    [Duration.hours(12), '12 hours'],
    [Duration.days(366), '366 days'],
  ])('fails with a period not in whole days from 1 to 365: %s', (period, shown) => {
    expect(() => Slo.availability({ name: 'a', objective: 99, period }))
      .toThrow(`Slo a: period: got "${shown}"; expected a whole number of days from 1 to 365`);
  });

  test('fails with a period that is not a Duration', () => {
    expect(() => Slo.availability({ name: 'a', objective: 99, period: '30d' as any })).toThrow('Slo.availability: period: got "30d"; expected a Duration object');
  });

  test('fails with a name that is not a DNS label', () => {
    expect(() => Slo.availability({ name: 'Availability', objective: 99 })).toThrow('Slo: name: got "Availability"; expected a DNS label');
  });

  test('fails with a latency threshold that is not positive', () => {
    expect(() => Slo.latency({ name: 'l', objective: 99, thresholdSeconds: 0 })).toThrow('Slo l: thresholdSeconds: got 0; expected a number of seconds greater than 0');
  });

  test('fails with a latency SLO on a convention without a histogram', () => {
    const convention = new SloConvention({ name: 'counter-only', requests: 'x_total{namespace="{{namespace}}"}', errorMatchers: 'code="500"' });
    expect(() => Slo.latency({ name: 'l', objective: 99, thresholdSeconds: 1, convention }))
      .toThrow('Slo l: convention: got "counter-only"; expected a convention with durationBuckets');
  });

  test('fails with a convention that is not an SloConvention', () => {
    expect(() => Slo.availability({ name: 'a', objective: 99, convention: {} as any })).toThrow('Slo.availability: convention: got {}; expected a SloConvention (new SloConvention(...), SloConvention.openTelemetryHttp() or SloConvention.ingressNginx())');
  });

  test('fails with a runbook URL that is not a URL', () => {
    expect(() => Slo.availability({ name: 'a', objective: 99, runbookUrl: 'wiki' })).toThrow('Slo a: runbookUrl: got "wiki"; expected an absolute http');
  });

  test('fails with a ratio query without {{window}} or with a PromQL typo', () => {
    expect(() => Slo.ratio({ name: 'r', objective: 99, errorQuery: 'sum(rate(f[5m]))', totalQuery: 'sum(rate(t[{{window}}]))' }))
      .toThrow('Slo r: errorQuery: got "sum(rate(f[5m]))"; expected a PromQL query with {{window}}');
    expect(() => Slo.ratio({ name: 'r', objective: 99, errorQuery: 'sum(rate(f[{{window}}]))', totalQuery: 'sum(rate(t[{{window}}])' }))
      .toThrow('Slo r: totalQuery: got "sum(rate(t[{{window}}])"; expected a valid PromQL expression (syntax error');
  });
});
