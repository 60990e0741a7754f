import { SCORE_LIMITS } from '../../lib/score/score-limits';
import { YamlProblem, nestingBeyond, parseScoreYaml } from '../../lib/score/score-yaml';

/** Parses `text`; returns the plain data and the problems as `line: path: message`. */
function parse(text: string): { root: unknown; problems: string[] } {
  const problems: YamlProblem[] = [];
  const yaml = parseScoreYaml(text, problems);
  return { root: yaml?.root, problems: problems.map(p => `${p.line ?? '-'}: ${p.at.join('.')}: ${p.message}`) };
}

const HEAD = 'apiVersion: score.dev/v1b1\nmetadata:\n  name: orders\ncontainers:\n  web:\n    image: a:1\n';

describe('parseScoreYaml', () => {
  test('reads a Score file into plain data, with the line of each path', () => {
    // GIVEN
    const problems: YamlProblem[] = [];
    // WHEN
    const yaml = parseScoreYaml(`${HEAD}    variables:\n      A: "1"\n`, problems);
    // THEN
    expect(problems).toEqual([]);
    expect(yaml!.root).toEqual({ apiVersion: 'score.dev/v1b1', metadata: { name: 'orders' }, containers: { web: { image: 'a:1', variables: { A: '1' } } } });
    expect(yaml!.lineOf(['containers', 'web', 'variables', 'A'])).toBe(8);
    expect(yaml!.lineOf(['containers', 'web', 'unknown'])).toBe(5);
  });

  test('allows a few YAML aliases, e.g. variables shared by two containers', () => {
    const { root, problems } = parse('common: &common\n  A: "1"\ncontainers:\n  a:\n    variables: *common\n  b:\n    variables: *common\n');
    expect(problems).toEqual([]);
    expect((root as any).containers.b.variables).toEqual({ A: '1' });
  });

  describe('fails', () => {
    test('when a key appears twice in a mapping, naming both lines', () => {
      expect(parse(`${HEAD}    variables:\n      A: "1"\n      B: "2"\n      A: "3"\n`).problems)
        .toEqual(['10: containers.web.variables.A: got the key "A" again; expected each key once in a mapping (first at line 8)']);
    });

    test('when two keys are the same text once read (1 and "1")', () => {
      expect(parse(`${HEAD}    variables:\n      1: a\n      "1": b\n`).problems)
        .toEqual(['9: containers.web.variables.1: got the key "1" again; expected each key once in a mapping (first at line 8)']);
    });

    test('when a key is not plain text', () => {
      expect(parse(`${HEAD}    variables:\n      [a, b]: c\n`).problems)
        .toEqual(['8: containers.web.variables: got a mapping key that is not plain text; expected text keys']);
    });

    test('when a key is __proto__', () => {
      expect(parse(`${HEAD}    variables:\n      __proto__: x\n`).problems)
        .toEqual(['8: containers.web.variables.__proto__: got the key "__proto__"; expected a key other than __proto__']);
    });

    test.each([
      ['!!binary aGVsbG8=', 'tag:yaml.org,2002:binary'],
      ['!!set { a }', 'tag:yaml.org,2002:set'],
      ['!!timestamp 2024-01-01', 'tag:yaml.org,2002:timestamp'],
      ['!vault secret/db', '!vault'],
    ])('when a value has a YAML tag (%s)', (value, tag) => {
      expect(parse(`${HEAD}    variables:\n      A: ${value}\n`).problems)
        .toEqual([`8: containers.web.variables.A: got the YAML tag "${tag}"; expected plain text, numbers, booleans, null, mappings and lists (no tags)`]);
    });

    test('when the file holds more than 100 aliases', () => {
      const aliases = Array.from({ length: 101 }, (_, i) => `  - *a # ${i}`).join('\n');
      expect(parse(`a: &a x\nlist:\n${aliases}\n`).problems)
        .toEqual(['103: list.100: got more than 100 YAML aliases; expected at most 100']);
    });

    test('when aliases expand beyond 100 nodes (an alias bomb)', () => {
      const bomb = 'a: &a [x, x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]\n'
        + 'c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b]\nd: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c]\n';
      expect(parse(bomb).problems).toEqual([
        '-: : got YAML aliases that expand beyond 100 nodes (ReferenceError: Excessive alias count indicates a resource exhaustion attack); expected at most that many',
      ]);
    });

    test('when mappings nest deeper than 32 levels, at the key that holds the 33rd', () => {
      const deep = Array.from({ length: 40 }, (_, i) => `${'  '.repeat(i)}k${i}:`).join('\n');
      expect(parse(`${deep} x\n`).problems).toEqual([
        `32: ${Array.from({ length: 32 }, (_, i) => `k${i}`).join('.')}: got mappings and lists nested deeper than 32 levels; expected at most 32`,
      ]);
    });

    test.each([
      ['a megabyte of "["', '['.repeat(SCORE_LIMITS.fileBytes)],
      ['a megabyte of "{"', `a: ${'{'.repeat(SCORE_LIMITS.fileBytes - 3)}`],
      ['a line of "- "', '- '.repeat(500_000)],
      ['a line of "? "', '? '.repeat(500_000)],
      ['lists nested by indentation', Array.from({ length: 1000 }, (_, i) => `${' '.repeat(i)}-`).join('\n')],
    ])('before the YAML parser runs, on input nested beyond its reach (%s)', (_what, text) => {
      expect(parse(text).problems).toEqual([expect.stringMatching(/^\d+: : got mappings and lists nested deeper than 32 levels; expected at most 32$/)]);
    });

    test('when the file holds a second document, at its line', () => {
      expect(parse(`${HEAD}---\n${HEAD}`).problems).toEqual(['7: : got a second YAML document; expected exactly one Score workload per file']);
      expect(parse('---\n'.repeat(200_000)).problems).toEqual(['2: : got a second YAML document; expected exactly one Score workload per file']);
    });

    test('when the file holds no document', () => {
      expect(parse('# only a comment\n').problems).toEqual(['-: : got no YAML document; expected one Score workload']);
    });

    test('when the YAML does not parse, listing the first 5 errors and a count', () => {
      expect(parse('a: b: c\n'.repeat(10)).problems).toEqual([
        ...[1, 2, 3, 4, 5].map(line => `${line}: : is not valid YAML: Nested mappings are not allowed in compact mappings`),
        '-: : is not valid YAML: and 5 more YAML error(s)',
      ]);
    });

    test('when a text is longer than 128 KiB, except a file\'s content', () => {
      // GIVEN
      const long = 'x'.repeat(SCORE_LIMITS.stringLength + 1);
      // WHEN
      const { problems } = parse(`${HEAD}    variables:\n      A: ${long}\n    files:\n      /a:\n        content: ${long}\n`);
      // THEN
      expect(problems).toEqual(['8: containers.web.variables.A: got a text of 131073 characters; expected at most 131072 (only a file\'s content and binaryContent may be longer)']);
    });

    test('when a key is longer than 4096 characters (YAML itself allows 1024 but for explicit keys)', () => {
      expect(parse(`${HEAD}    files:\n      ? /${'a'.repeat(4096)}\n      : content: x\n`).problems)
        .toEqual(['8: containers.web.files: got a key of 4097 characters; expected at most 4096']);
    });

    test('when a list has more than 1024 entries', () => {
      const items = Array.from({ length: 1025 }, (_, i) => `      - ${i}`).join('\n');
      expect(parse(`${HEAD}resources:\n  db:\n    type: x\n    params:\n      list:\n${items}\n`).problems)
        .toEqual(['11: resources.db.params.list: got 1025 entries; expected at most 1024 in one mapping or list']);
    });

    test.each([
      ['containers', 17, (n: number) => `containers:\n${Array.from({ length: n }, (_, i) => `  c${i}:\n    image: a:1\n`).join('')}`,
        '1: containers: got 17 containers; expected at most 16'],
      ['resources', 65, (n: number) => `resources:\n${Array.from({ length: n }, (_, i) => `  r${i}:\n    type: s3\n`).join('')}`,
        '1: resources: got 65 resources; expected at most 64'],
      ['service ports', 65, (n: number) => `service:\n  ports:\n${Array.from({ length: n }, (_, i) => `    p${i}:\n      port: ${i + 1}\n`).join('')}`,
        '2: service.ports: got 65 service ports; expected at most 64'],
      ['variables', 513, (n: number) => `containers:\n  web:\n    variables:\n${Array.from({ length: n }, (_, i) => `      V${i}: x\n`).join('')}`,
        '3: containers.web.variables: got 513 variables; expected at most 512'],
      ['files', 65, (n: number) => `containers:\n  web:\n    files:\n${Array.from({ length: n }, (_, i) => `      /f${i}:\n        content: x\n`).join('')}`,
        '3: containers.web.files: got 65 files; expected at most 64'],
      ['volumes', 65, (n: number) => `containers:\n  web:\n    volumes:\n${Array.from({ length: n }, (_, i) => `      - target: /v${i}\n        source: x\n`).join('')}`,
        '3: containers.web.volumes: got 65 volumes; expected at most 64'],
    ])('when a workload has too many %s', (_what, n, make, expected) => {
      expect(parse(make(n)).problems).toEqual([expected]);
      expect(parse(make(n - 1)).problems).toEqual([]);
    });

    test('after 50 problems, without going on', () => {
      const keys = Array.from({ length: 200 }, () => '  a: x').join('\n');
      expect(parse(`m:\n${keys}\n`).problems).toHaveLength(SCORE_LIMITS.problems);
    });
  });
});

describe('nestingBeyond', () => {
  const limit = 128;

  test('estimates a real Score file far below the limit', () => {
    expect(nestingBeyond(`${HEAD}    files:\n      /a:\n        content: |\n          [[[[[[\n    args: ["a", ["b"]]\n`, 12)).toBeUndefined();
  });

  test('skips quoted text, comments and block scalars, which hold no structure', () => {
    const quoted = `a: "${'['.repeat(500)}"\nb: '${'{'.repeat(500)}'\n# ${'['.repeat(500)}\nc: |\n  ${'['.repeat(500)}\n  ${'- '.repeat(500)}\nd: x\n`;
    expect(nestingBeyond(quoted, limit)).toBeUndefined();
  });

  test('counts "[" in plain text only where it can open a flow collection', () => {
    expect(nestingBeyond(`a: ${'x['.repeat(500)}\n`, limit)).toBeUndefined();
    expect(nestingBeyond(`a: ${'['.repeat(200)}\n`, limit)).toBe(3 + limit - 2);
  });

  test('counts compact block indicators and indentation', () => {
    expect(nestingBeyond(`${'- '.repeat(200)}x\n`, limit)).toBe(2 * (limit - 2));
    expect(nestingBeyond(Array.from({ length: 100 }, (_, i) => `${' '.repeat(i)}k:`).join('\n'), limit)).toBeGreaterThan(0);
  });
});
