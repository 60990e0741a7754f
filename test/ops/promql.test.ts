import { addMatchers, analyzePromQl, fillPlaceholders, matcherSelects, promDuration, promNumber, validatePromQl } from '../../lib/ops/promql';

describe('PromQL', () => {
  test('reads the selectors and their unquoted matchers', () => {
    // WHEN
    const { error, selectors } = analyzePromQl('sum by (le) (rate(x_bucket{a="b\\"c", d=~\'e.*\', "f.g"!=`h`}[5m])) / on() {__name__="y"}');
    // THEN
    expect(error).toBeUndefined();
    expect(selectors.map(s => s.metric)).toEqual(['x_bucket', 'y']);
    expect(selectors[0].matchers).toEqual([
      { label: 'a', op: '=', value: 'b"c' },
      { label: 'd', op: '=~', value: 'e.*' },
      { label: 'f.g', op: '!=', value: 'h' },
    ]);
  });

  test.each([
    ['sum(rate(foo[5m]) by (x)', 'syntax error at character'],
    ['foo{a="b"', 'syntax error at character'],
    ['unknown_function(up)', 'syntax error at character'],
    ['rate(up)', 'rate() needs a range vector argument'],
    ['sum_over_time(up offset 1h)', 'sum_over_time() needs a range vector argument'],
    ['', 'the expression is empty'],
  ])('fails validating %j', (expr, message) => {
    expect(() => validatePromQl('scope', 'expr', expr)).toThrow(`scope: expr: got ${JSON.stringify(expr)}; expected a valid PromQL expression (${message}`);
  });

  test('accepts range vectors behind offsets, subqueries and parentheses', () => {
    for (const expr of ['rate(up[5m] offset 1h)', 'max_over_time(rate(up[5m])[1h:5m])', 'quantile_over_time(0.9, (up[5m]))']) {
      expect(analyzePromQl(expr).error).toBeUndefined();
    }
  });

  test('tells whether a matcher selects a value', () => {
    expect(matcherSelects({ label: 'a', op: '=', value: 'x' }, 'x')).toBe(true);
    expect(matcherSelects({ label: 'a', op: '!=', value: 'x' }, 'x')).toBe(false);
    expect(matcherSelects({ label: 'a', op: '=~', value: 'x|y' }, 'y')).toBe(true);
    expect(matcherSelects({ label: 'a', op: '=~', value: 'x' }, 'xy')).toBe(false);
    expect(matcherSelects({ label: 'a', op: '!~', value: 'x.*' }, 'xy')).toBe(false);
  });

  test('adds matchers to a selector', () => {
    expect(addMatchers('x{a="1"}', 'b="2"')).toBe('x{a="1",b="2"}');
    expect(addMatchers('x{a="1",}', 'b="2"')).toBe('x{a="1",b="2"}');
    expect(addMatchers('x', 'b="2"')).toBe('x{b="2"}');
  });

  test('writes durations and numbers as Prometheus does', () => {
    expect([300, 1800, 3600, 86400, 259200, 2592000, 90].map(promDuration)).toEqual(['5m', '30m', '1h', '1d', '3d', '30d', '90s']);
    expect([14.4, 0.001, 0.1 + 0.2, 3].map(promNumber)).toEqual(['14.4', '0.001', '0.3', '3']);
  });

  test('fails filling an unknown placeholder', () => {
    expect(() => fillPlaceholders('scope', 'query', 'x{a="{{nope}}"}', { namespace: 'shop' }))
      .toThrow('scope: query: got "x{a=\\"{{nope}}\\"}"; expected placeholders among {{namespace}} (found {{nope}})');
  });
});
