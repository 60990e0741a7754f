import * as fs from 'fs';
import * as path from 'path';

/**
 * The layers of lib/ (ARCHITECTURE.md) are enforced by eslint's
 * `import/no-restricted-paths` and `import/no-cycle`, configured in
 * .projenrc.ts. This test pins that configuration: a layer may import
 * exactly the layers listed here, every folder of lib/ is a layer, and
 * nothing imports the CLI.
 */
const ROOT = path.join(__dirname, '..');
const ALLOWED: { [layer: string]: string[] } = {
  core: [],
  aws: ['core'],
  k8s: ['core'],
  ops: ['core', 'aws', 'k8s'],
  workload: ['core', 'aws', 'k8s', 'ops'],
  score: ['core', 'aws', 'k8s', 'workload'],
  gitops: ['core', 'aws', 'k8s', 'workload', 'ops'],
  portal: ['core', 'aws', 'k8s', 'ops', 'workload', 'score', 'gitops'],
  cli: ['core', 'aws', 'k8s', 'ops', 'workload', 'score', 'gitops', 'portal'],
};
// projen heads the file with a `//` comment line.
const config = JSON.parse(fs.readFileSync(path.join(ROOT, '.eslintrc.json'), 'utf8').replace(/^\/\/.*$/m, ''));
const [severity, options] = config.rules['import/no-restricted-paths'] ?? [];
const zones: { target: string; from: string | string[] }[] = options?.zones ?? [];

function forbidden(target: string): string[] {
  return zones.filter(z => z.target === target).flatMap(z => (Array.isArray(z.from) ? z.from : [z.from]));
}

describe('layers', () => {
  test('eslint enforces the layers and refuses import cycles', () => {
    expect(severity).toBe('error');
    expect(config.rules['import/no-cycle']?.[0]).toBe('error');
  });

  test.each(Object.keys(ALLOWED))('lib/%s may import only the layers below it', layer => {
    const expected = Object.keys(ALLOWED).filter(other => other !== layer && !ALLOWED[layer].includes(other)).map(o => `./lib/${o}`).sort();
    expect(forbidden(`./lib/${layer}`).sort()).toEqual(expected);
  });

  test('nothing imports the CLI', () => {
    for (const layer of Object.keys(ALLOWED).filter(l => l !== 'cli')) {
      expect(forbidden(`./lib/${layer}`)).toContain('./lib/cli');
    }
    expect(forbidden('./lib/index.ts')).toEqual(['./lib/cli']);
  });

  test('every folder of lib/ is a layer with its rule', () => {
    const folders = fs.readdirSync(path.join(ROOT, 'lib'), { withFileTypes: true }).filter(e => e.isDirectory()).map(e => e.name);
    expect(folders.filter(f => !(f in ALLOWED))).toEqual([]);
  });
});
