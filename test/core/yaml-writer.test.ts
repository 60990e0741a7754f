import * as YAML from 'yaml';
import { buildPlatform } from '../../examples/platform/main';
import { toYaml } from '../../lib/core/yaml-writer';
import { testPlatform } from '../support/synth';

/** What the library writes: toYaml must never differ from it. */
const library = (v: unknown) => YAML.stringify(v, { lineWidth: 0 });

const TRICKY_STRINGS = [
  '', ' ', 'a', 'yes', 'no', 'on', 'off', 'y', 'n', '~', 'null', 'Null', 'NULL', 'true', 'True', 'TRUE', 'false', 'False',
  '0', '42', '-1', '+1', '0x1f', '0o7', '1e3', '.5', '1.', '.inf', '-.inf', '.nan', '16.11', '250m', '1Gi', '2024-01-01',
  '-', '?', ':', '-a', '?a', '- a', '? a', 'a:', 'a:b', 'a: b', 'a #b', 'a#b', '#a', '---', '--x', '...', '%x', '@x', '`x',
  'x ', ' x', "a'b", 'a"b', "'", '"', '*', '&a', '!a', '|a', '>a', '[a]', '{a}', 'a,b', 'a\tb', 'a\nb', 'a\n', '\n',
  'é', 'x\u0085y', '\u00a0x', '$(HOST)', '${resources.db.host}', 'postgres://u:$(P)@h:5432/d', 'app.kubernetes.io/name',
  'ghcr.io/acme/orders:1.4.2@sha256:3f1d', 'http://x/y?z=1&b=2', '/readyz', '_x', '(a)', 'a=b', 'x'.repeat(2000),
  '"x": 1, '.repeat(300), 'a b\n\n'.repeat(300), '{{ $labels.pod }} fails',
];

describe('toYaml', () => {
  test('writes every object of the example platform exactly as the library', () => {
    // GIVEN every Kubernetes object of the example, validated (GitOps makes its Applications then)
    const platform = buildPlatform(testPlatform().outdir);
    expect(platform.validate()).toEqual([]);
    const objects = platform._render(platform._charts().map(c => c.chart)).flat();
    expect(objects.length).toBeGreaterThan(100);
    // WHEN / THEN
    for (const o of objects) {
      expect(toYaml(o)).toEqual(library(o));
    }
  });

  test('writes every tricky string exactly as the library, as a value, a list item and a key', () => {
    for (const s of TRICKY_STRINGS) {
      for (const doc of [s, { k: s }, [s], { k: [s, { s }] }, { [s]: 1 }, [[s, s]]]) {
        expect([s, toYaml(doc)]).toEqual([s, library(doc)]);
      }
    }
  });

  test('writes multi-line strings (block scalars) exactly as the library, at every depth, as a value and a list item, followed by more', () => {
    const multiLine = [
      'a\nb', 'a\n', '\n', '\n\n', 'a\n\nb\n\n', '  a\nb', ' a\n', 'a\n  b', '\n\na', '\na', 'a \nb ', 'a\tb\nc', '#x\ny', '- a\nb',
      '"q"\n', "'q'\nr", 'x\u0085y\nz', 'a\r\nb', '---\na', '...\n', '{\n  "panels": [\n    1\n  ]\n}', 'sum(rate(x[5m]))\n  / sum(rate(y[5m]))',
    ];
    for (const s of multiLine) {
      let docs: unknown[] = [{ k: s, after: 1 }, [s, 'after'], [[s, s], 'after'], [{ k: s }, { k: [s] }]];
      for (let depth = 0; depth < 4; depth++) {
        for (const doc of docs) {
          expect([s, depth, toYaml(doc)]).toEqual([s, depth, library(doc)]);
        }
        // copies: an object reached twice would make the library write anchors (and toYaml hand it the document)
        const copy = (d: unknown) => JSON.parse(JSON.stringify(d));
        docs = docs.map(d => ({ nested: copy(d), list: [copy(d), { deeper: copy(d) }] }));
      }
    }
  });

  test('writes nested objects, lists, empty containers, numbers, booleans and null exactly as the library', () => {
    const docs: unknown[] = [
      {}, [], null, 1, true, 'x', { a: {} }, { a: [] }, [{}], [[]], [[1, 2], [3]], [[[1]]],
      { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'a', labels: { 'app.kubernetes.io/name': 'a' } }, data: { a: 'b', n: '1' } },
      { spec: { containers: [{ name: 'a', ports: [{ containerPort: 8080 }], env: [{ name: 'X', valueFrom: { secretKeyRef: { name: 's', key: 'k' } } }] }] } },
      { a: null, b: false, c: 0, d: -7, e: Number.MAX_SAFE_INTEGER, f: [null, true, 'x'] },
      { floats: [0.5, 1e21, -0, Number.MAX_SAFE_INTEGER + 2] },
    ];
    for (const doc of docs) {
      expect(toYaml(doc)).toEqual(library(doc));
    }
  });

  test('hands the whole document to the library when an object is reached twice (anchors) or a value is undefined', () => {
    const shared = { a: 1 };
    for (const doc of [{ x: shared, y: shared }, [shared, shared], { a: undefined, b: 1 }, [undefined, 1]]) {
      expect(toYaml(doc)).toEqual(library(doc));
    }
  });

  test('writes random documents exactly as the library', () => {
    // GIVEN a fixed pseudo-random sequence (the test is deterministic)
    let seed = 7;
    const random = () => ((seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648);
    const alphabet = 'aZ09_-./:#@ \'"$(){}[],&*!|>?%`=\t\n~+é';
    const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)];
    const str = () => random() < 0.2 ? pick(TRICKY_STRINGS)
      : Array.from({ length: Math.floor(random() * 6) }, () => pick([...alphabet])).join('');
    const value = (depth: number): unknown => {
      const r = random();
      if (depth > 3 || r < 0.4) { return [str(), Math.floor(random() * 100), random() < 0.5, null][Math.floor(random() * 4)]; }
      if (r < 0.7) { return Array.from({ length: Math.floor(random() * 3) }, () => value(depth + 1)); }
      return Object.fromEntries(Array.from({ length: Math.floor(random() * 3) }, () => [str(), value(depth + 1)]));
    };
    // WHEN / THEN
    for (let i = 0; i < 3000; i++) {
      const doc = value(0);
      expect(toYaml(doc)).toEqual(library(doc));
    }
  });
});
