import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { ErrorKind, Errors } from '../../lib/core/errors';
import { publish } from '../../lib/core/publisher';

/**
 * File system calls the kernel refuses, or a staging folder swapped for a
 * link between its creation and its use: `fs` is replaced for this file so
 * that paved's own calls can be made to fail. `mockRefused` maps a call to a
 * path prefix; `mockSwapStaging` makes `mkdtempSync` hand out a link.
 */
const mockRefused = new Map<string, string>();
const mockSwapStaging: { to?: string } = {};

jest.mock('fs', () => {
  const actual = jest.requireActual('fs');
  const wrapped = { ...actual };
  for (const name of ['statSync', 'mkdirSync', 'writeFileSync', 'linkSync', 'mkdtempSync']) {
    wrapped[name] = (...args: any[]) => {
      const prefix = mockRefused.get(name);
      if (prefix !== undefined && String(args[0]).startsWith(prefix)) {
        throw Object.assign(new Error(`EACCES: permission denied, ${name}`), { code: 'EACCES' });
      }
      const result = actual[name](...args);
      if (name === 'mkdtempSync' && mockSwapStaging.to !== undefined && String(args[0]).includes('.paved')) {
        actual.rmdirSync(result);
        actual.symlinkSync(mockSwapStaging.to, result);
      }
      return result;
    };
  }
  return wrapped;
});

const FILES = { 'cdktf.out/manifest.json': '{}', 'k8s/dev/shop/orders.k8s.yaml': 'kind: Deployment\n', 'report.md': '# report\n' };

function scratch(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), 'paved-output-folder-'));
}

function build(staging: string): void {
  for (const [file, content] of Object.entries(FILES)) {
    fs.mkdirSync(path.dirname(path.join(staging, file)), { recursive: true });
    fs.writeFileSync(path.join(staging, file), content);
  }
}

function thrown(f: () => unknown): any {
  try {
    f();
  } catch (e) {
    return e;
  }
  throw new Error('expected an error');
}

afterEach(() => {
  mockRefused.clear();
  delete mockSwapStaging.to;
});

describe('the output folder', () => {
  test.each([
    ['statSync', 'cannot inspect the path'],
    ['mkdirSync', 'cannot create the folder'],
    ['writeFileSync', 'cannot write the lock file'],
    ['linkSync', 'cannot take the lock'],
    ['mkdtempSync', 'cannot create the staging folder'],
  ])('fails as "not writable" when fs.%s is refused, naming what it could not do', (call, doing) => {
    // GIVEN a folder to create, and the call refused inside the scratch folder
    const dir = scratch();
    const out = path.join(dir, 'nested', 'out');
    mockRefused.set(call, dir);
    // WHEN
    const error = thrown(() => publish(out, build));
    // THEN
    expect(Errors.kindOf(error)).toBe(ErrorKind.OUTPUT_NOT_WRITABLE);
    expect(error.message).toBe(`Platform: outdir: got ${JSON.stringify(out)}; expected a folder paved can write: ${doing} (permission denied, ${call})`);
    mockRefused.clear();
    expect(fs.existsSync(path.join(out, 'report.md'))).toBe(false);
    expect(fs.existsSync(path.join(out, '.paved/lock'))).toBe(false);
  });

  test('fails when the staging folder it created is not a folder of its own (swapped for a link), writing nothing through it', () => {
    // GIVEN someone who can write the output folder swaps the new staging folder for a link
    const out = path.join(scratch(), 'out');
    const elsewhere = scratch();
    mockSwapStaging.to = elsewhere;
    // WHEN
    const error = thrown(() => publish(out, build));
    // THEN
    expect(Errors.kindOf(error)).toBe(ErrorKind.OUTPUT_UNSAFE);
    expect(error.message).toMatch(/expected a folder paved can write safely: the staging folder .*\/\.paved\/staging-\w+ is not a folder of its own inside .*\/\.paved$/);
    expect(fs.readdirSync(elsewhere)).toEqual([]);
    expect(fs.existsSync(path.join(out, 'report.md'))).toBe(false);
  });
});
