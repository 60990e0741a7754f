import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as YAML from 'yaml';
import { Dns } from '../../lib/aws/dns';
import { Environment } from '../../lib/core/environment';
import { Errors } from '../../lib/core/errors';
import { ScoreWorkloads } from '../../lib/score/score';
import { testPlatform, workloadEnvironment } from '../support/synth';

/**
 * Hostile and broken Score files: each either loads or fails with paved's
 * own error naming the file, never with a TypeError, a RangeError or
 * another stack trace.
 */

const DIR = fs.mkdtempSync(path.join(os.tmpdir(), 'paved-fuzz-'));
fs.writeFileSync(path.join(DIR, 'app.conf'), 'name=${metadata.name}\n');

/** A workload that uses every Score field paved reads. */
const BASE = {
  apiVersion: 'score.dev/v1b1',
  metadata: { name: 'orders', annotations: { 'acme.io/team': 'shop' } },
  service: { ports: { web: { port: 80, targetPort: 8080 }, metrics: { port: 9090, protocol: 'TCP' } } },
  containers: {
    main: {
      image: 'registry.acme.io/orders:1.0.0',
      command: ['/app'],
      args: ['--port', '8080'],
      variables: { DB_HOST: '${resources.db.host}', NAME: '${metadata.name}', PEER: '${resources.peer.url}' },
      files: {
        '/etc/a.conf': { content: 'a=${metadata.name}', mode: '0644' },
        '/etc/b.conf': { source: 'app.conf' },
        '/etc/c.bin': { binaryContent: 'aGVsbG8=' },
      },
      volumes: { '/data': { source: '${resources.data}', path: 'sub', readOnly: true } },
      resources: { requests: { cpu: '100m', memory: '128Mi' }, limits: { cpu: '1', memory: '1Gi' } },
      readinessProbe: { httpGet: { port: 8080, path: '/ready', httpHeaders: [{ name: 'X-A', value: 'b' }] } },
      livenessProbe: { exec: { command: ['/bin/true'] } },
    },
    init: { image: 'registry.acme.io/migrate:1.0.0', before: { main: { ready: 'complete' } } },
  },
  resources: {
    db: { type: 'postgres', class: 'large', metadata: { annotations: { 'a.io/b': 'c' } } },
    data: { type: 'volume', params: { sizeLimit: '1Gi' } },
    dns: { type: 'dns' },
    route: { type: 'route', params: { host: '${resources.dns.host}', path: '/', port: 80 } },
    peer: { type: 'service', params: { workload: 'payments', port: 80 } },
  },
};

const PEER = 'apiVersion: score.dev/v1b1\nmetadata: { name: payments }\nservice: { ports: { web: { port: 80, targetPort: 8080 } } }\n'
  + 'containers: { main: { image: registry.acme.io/payments:1.0.0 } }\n';
fs.writeFileSync(path.join(DIR, 'peer.yaml'), PEER);

/** Values put in place of each value of the base document. */
const REPLACEMENTS: unknown[] = [null, -1, 2 ** 53 + 1, 'ü😀\u202e', [], { constructor: 1 }, 'x'.repeat(2000)];

let count = 0;
let cached: Environment | undefined;
let baseline = 0;
/** An environment with a network, a cluster and a DNS zone; reused while loads leave it untouched (refused files do). */
function environment(): Environment {
  if (!cached || cached.node.children.length !== baseline) {
    cached = workloadEnvironment(testPlatform());
    Dns.fromZoneAttributes(cached, 'Dns', { zoneId: 'Z0123456789ABCDEFGHIJ', zoneName: 'dev.example.com' });
    baseline = cached.node.children.length;
  }
  return cached;
}

/** Loads `text` as a Score file (beside a valid peer workload) and returns what went wrong, if anything did outside paved's errors. */
function misbehaviour(text: string | Buffer): string | undefined {
  const file = path.join(DIR, `fuzz-${count++}.yaml`);
  fs.writeFileSync(file, text);
  const env = environment();
  try {
    ScoreWorkloads.load(env, { files: [file, path.join(DIR, 'peer.yaml')], tenant: 'shop' });
    return undefined;
  } catch (e: any) {
    if (!Errors.isPavedError(e)) { return `${e?.name}: ${e?.message} at ${String(e?.stack).split('\n')[1].trim()} for ${JSON.stringify(String(text).slice(0, 200))}`; }
    if (!e.message.includes(file)) { return `the error does not name the file: ${e.message.slice(0, 300)}`; }
    return undefined;
  } finally {
    fs.rmSync(file);
  }
}

/** Every path to a value of `node`. */
function pathsOf(node: unknown, at: string[] = []): string[][] {
  if (node === null || typeof node !== 'object') { return [at]; }
  return [at, ...Object.entries(node).flatMap(([k, v]) => pathsOf(v, [...at, k]))];
}

function replaced(root: any, at: string[], value: unknown): any {
  if (at.length === 0) { return value; }
  const copy = Array.isArray(root) ? [...root] : { ...root };
  copy[at[0]] = replaced(root?.[at[0]], at.slice(1), value);
  return copy;
}

function removed(root: any, at: string[]): any {
  const copy = Array.isArray(root) ? [...root] : { ...root };
  if (at.length === 1) {
    delete copy[at[0]];
  } else {
    copy[at[0]] = removed(root[at[0]], at.slice(1));
  }
  return copy;
}

describe('Score loader under hostile input', () => {
  test('the base document loads', () => {
    expect(misbehaviour(YAML.stringify(BASE))).toBeUndefined();
  });

  test('every value replaced by a value of another type, a huge number, unicode, null or a long text', () => {
    const failures = pathsOf(BASE).flatMap(at =>
      REPLACEMENTS.map(value => misbehaviour(YAML.stringify(replaced(BASE, at, value)))).filter(m => m !== undefined));
    expect(failures).toEqual([]);
  });

  test('every key removed', () => {
    const failures = pathsOf(BASE).filter(at => at.length > 0).map(at => misbehaviour(YAML.stringify(removed(BASE, at))));
    expect(failures.filter(m => m !== undefined)).toEqual([]);
  });

  test('every key renamed to unicode, an empty name and JavaScript\'s special names', () => {
    const names = ['ünïcödé😀', '', 'constructor', 'hasOwnProperty', '__proto__'];
    const failures = pathsOf(BASE).filter(at => at.length > 0).flatMap(at => names.map(name => {
      const parent = at.slice(0, -1);
      const parentValue = parent.reduce((node: any, k) => node[k], BASE);
      if (Array.isArray(parentValue)) { return undefined; }
      const renamed = Object.fromEntries(Object.entries(parentValue).map(([k, v]) => [k === at[at.length - 1] ? name : k, v]));
      return misbehaviour(YAML.stringify(replaced(BASE, parent, renamed)));
    }));
    expect(failures.filter(m => m !== undefined)).toEqual([]);
  });

  test('the file truncated anywhere', () => {
    const text = YAML.stringify(BASE);
    const failures: string[] = [];
    for (let cut = 0; cut < text.length; cut += 5) {
      const m = misbehaviour(text.slice(0, cut));
      if (m) { failures.push(m); }
    }
    expect(failures).toEqual([]);
  });

  test.each([
    ['an empty file', ''],
    ['a lone document marker', '---\n'],
    ['null', '~\n'],
    ['a list', '- a\n- b\n'],
    ['a number', '1e999\n'],
    ['a string', '"score"\n'],
    ['a tab-indented file', 'apiVersion: score.dev/v1b1\nmetadata:\n\tname: x\n'],
    ['an alias bomb', 'a: &a ["x","x","x","x","x","x","x","x","x"]\nb: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]\nc: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]\nd: [*c,*c,*c,*c,*c,*c,*c,*c,*c]\n'],
    ['an unknown alias', 'a: *nowhere\n'],
    ['deep flow nesting', '['.repeat(200_000)],
    ['deep compact lists', '- '.repeat(200_000)],
    ['many documents', '---\na: 1\n'.repeat(1000)],
    ['JavaScript-looking tags', 'a: !!js/function "function () {}"\n'],
    ['a binary tag', 'metadata: !!binary aGVsbG8=\n'],
    ['huge numbers everywhere', YAML.stringify(BASE).replace(/: (\d+)$/gm, ': 123456789012345678901234567890')],
    ['.inf and .nan ports', YAML.stringify(BASE).replace('port: 80', 'port: .inf').replace('targetPort: 8080', 'targetPort: .nan')],
    ['a control character in a name', YAML.stringify(replaced(BASE, ['metadata', 'name'], 'or\u0000ders'))],
    ['a source with a NUL byte', YAML.stringify(replaced(BASE, ['containers', 'main', 'files', '/etc/b.conf', 'source'], 'app.conf\u0000x'))],
    ['a source that is the folder itself', YAML.stringify(replaced(BASE, ['containers', 'main', 'files', '/etc/b.conf', 'source'], '.'))],
  ])('%s', (_what, text) => {
    expect(misbehaviour(text)).toBeUndefined();
  });

  test('binary input and invalid UTF-8', () => {
    expect(misbehaviour(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0x00]))).toBeUndefined();
    expect(misbehaviour(Buffer.from('apiVersion: score.dev/v1b1\nmetadata:\n  name: caf\xe9\n', 'latin1'))).toBeUndefined();
  });
});
