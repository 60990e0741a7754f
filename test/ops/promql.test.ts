import { _forgetParsedShapes, addMatchers, analyzePromQl, fillPlaceholders, matcherSelects, promDuration, promNumber, validatePromQl } from '../../lib/ops/promql';

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

describe('PromQL parses shared by expressions of one shape', () => {
  test('an expression of a shape parsed before reads its own selectors', () => {
    // GIVEN an expression parsed, then one differing only in the letters and digits of its strings
    _forgetParsedShapes();
    analyzePromQl('sum(rate(http_requests_total{namespace="shop",pod=~"app1-.*"}[5m]))');
    // WHEN
    const analysis = analyzePromQl('sum(rate(http_requests_total{namespace="shed",pod=~"app2-.*"}[5m]))');
    // THEN
    expect(analysis).toEqual({
      selectors: [{
        metric: 'http_requests_total',
        matchers: [{ label: 'namespace', op: '=', value: 'shed' }, { label: 'pod', op: '=~', value: 'app2-.*' }],
        text: 'http_requests_total{namespace="shed",pod=~"app2-.*"}',
      }],
    });
  });

  test('a syntax error is found and placed in each expression of a shape', () => {
    // GIVEN
    _forgetParsedShapes();
    // WHEN
    const first = analyzePromQl('x{a="bb"} +');
    const second = analyzePromQl('x{a="cc"} +');
    // THEN
    expect(first.error).toBe('syntax error at character 12, near "{a=\\"bb\\"} +"');
    expect(second.error).toBe('syntax error at character 12, near "{a=\\"cc\\"} +"');
  });

  test('a string ends at a line break, as the grammar ends it: what follows is not of the string\'s shape', () => {
    // GIVEN an expression whose unterminated string ends at a line break, followed by a keyword
    _forgetParsedShapes();
    expect(analyzePromQl('x{a="q\n} + sum by (a) (y)').error).toBeUndefined();
    // WHEN the same with an identifier in the keyword's place
    const analysis = analyzePromQl('x{a="q\n} + sum xx (a) (y)');
    // THEN parsed as itself
    expect(analysis.error).toMatch(/^syntax error/);
  });

  test('random expressions analyse as fresh parses do, whatever was parsed before', () => {
    // GIVEN expressions of a few shapes whose strings hold random letters, digits, escapes, quotes, line breaks and #
    let seed = 42;
    const random = (n: number) => {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      return seed % n;
    };
    // Mostly letters and digits, so that many expressions share a shape.
    const pieces = ['a', 'Z', '7', 'q', 'b1', 'Xy', 'k', '0', 'a', 'Z', '7', 'q', 'b1', 'Xy', 'k', '0', '\\\\', '\\"', "\\'", '"', "'", '`', '\n', '#', ' ', '}', '{', ',', '\\n'];
    const text = () => Array.from({ length: 1 + random(6) }, () => pieces[random(pieces.length)]).join('');
    const templates: ((s: () => string) => string)[] = [
      s => `sum(rate(x{a="${s()}",b=~'${s()}'}[5m])) by (le)`,
      s => `x{a=\`${s()}\`} # "${s()}\n+ y{b="${s()}"}`,
      s => `rate(x{a="${s()}"})`,
      s => `{__name__=~"${s()}",job!="${s()}"} or z`,
    ];
    const exprs = Array.from({ length: 400 }, () => templates[random(templates.length)](text));
    const fresh = exprs.map(e => {
      _forgetParsedShapes();
      return analyzePromQl(e);
    });
    _forgetParsedShapes();
    // WHEN analysed one after the other, in reverse, sharing the parses of their shapes
    const shared = [...exprs].reverse().map(e => analyzePromQl(e)).reverse();
    // THEN
    expect(shared).toEqual(fresh);
    expect(fresh.filter(a => a.error === undefined).length).toBeGreaterThan(20);
  });
});
