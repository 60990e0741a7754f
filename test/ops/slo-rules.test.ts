import { PAGE_WINDOWS, SLI_WINDOWS, TICKET_WINDOWS, burnRateFactor, sliRecord } from '../../lib/ops/slo-rules';

describe('SLO rules', () => {
  test('burn-rate factors of the SRE workbook for 30 days', () => {
    expect([...PAGE_WINDOWS, ...TICKET_WINDOWS].map(w => burnRateFactor(30, w))).toEqual([14.4, 6, 3, 1]);
  });

  test('factors scale with the period as Sloth computes them (budget% x period / long window)', () => {
    expect([...PAGE_WINDOWS, ...TICKET_WINDOWS].map(w => burnRateFactor(28, w))).toEqual([13.44, 5.6, 2.8, 0.933333333333]);
    expect([...PAGE_WINDOWS, ...TICKET_WINDOWS].map(w => burnRateFactor(7, w))).toEqual([3.36, 1.4, 0.7, 0.233333333333]);
  });

  test('windows: long/short pairs 1h/5m, 6h/30m, 1d/2h, 3d/6h; every window recorded', () => {
    expect([...PAGE_WINDOWS, ...TICKET_WINDOWS].map(w => [w.longSeconds, w.shortSeconds, w.budgetPercent]))
      .toEqual([[3600, 300, 2], [21600, 1800, 5], [86400, 7200, 10], [259200, 21600, 10]]);
    expect(SLI_WINDOWS.map(sliRecord)).toEqual([
      'slo:sli_error:ratio_rate5m', 'slo:sli_error:ratio_rate30m', 'slo:sli_error:ratio_rate1h', 'slo:sli_error:ratio_rate2h',
      'slo:sli_error:ratio_rate6h', 'slo:sli_error:ratio_rate1d', 'slo:sli_error:ratio_rate3d',
    ]);
  });
});
