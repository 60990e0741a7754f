import * as fs from 'fs';
import * as path from 'path';

/**
 * DESIGN.md: dependencies point downwards only. workload -> aws, k8s, core;
 * aws -> core; k8s -> core; core -> nothing of paved.
 */
const LIB = path.join(__dirname, '..', 'lib');
const ALLOWED: { [layer: string]: string[] } = {
  core: [],
  aws: ['core'],
  k8s: ['core'],
  workload: ['core', 'aws', 'k8s'],
  score: ['core', 'aws', 'k8s', 'workload'],
  cli: ['core', 'aws', 'k8s', 'workload', 'score'],
};

function sources(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap(e =>
    e.isDirectory() ? sources(path.join(dir, e.name)) : e.name.endsWith('.ts') ? [path.join(dir, e.name)] : []);
}

describe('layers', () => {
  test.each(Object.keys(ALLOWED).filter(layer => fs.existsSync(path.join(LIB, layer))))('%s imports only the layers below it', layer => {
    const offending: string[] = [];
    for (const file of sources(path.join(LIB, layer))) {
      for (const match of fs.readFileSync(file, 'utf8').matchAll(/from '\.\.\/([a-z]+)\//g)) {
        if (!ALLOWED[layer].includes(match[1])) { offending.push(`${path.relative(LIB, file)} imports ${match[1]}`); }
      }
    }
    expect(offending).toEqual([]);
  });
});
