import { ChildProcess, spawn, spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { ErrorKind, Errors } from '../../lib/core/errors';
import { PublishStep, openOutputFolder, publish } from '../../lib/core/publisher';

const OLD = {
  'cdktf.out/manifest.json': '{"stacks":{"dev":{},"qa":{}}}',
  'cdktf.out/stacks/dev/cdk.tf.json': '{"old":"dev"}',
  'cdktf.out/stacks/qa/cdk.tf.json': '{"old":"qa"}',
  'k8s/dev/shop/orders.k8s.yaml': 'kind: Deployment # old\n',
  'k8s/dev/shop/tenant.k8s.yaml': 'kind: Namespace\n',
  'report.md': '# paved synth report\nold\n',
};
/** qa is gone, orders changed, cart is new; the manifest and the report changed; the tenant is the same. */
const NEW = {
  'cdktf.out/manifest.json': '{"stacks":{"dev":{}}}',
  'cdktf.out/stacks/dev/cdk.tf.json': '{"new":"dev"}',
  'k8s/dev/shop/orders.k8s.yaml': 'kind: Deployment # new\n',
  'k8s/dev/shop/cart.k8s.yaml': 'kind: Deployment # cart\n',
  'k8s/dev/shop/tenant.k8s.yaml': 'kind: Namespace\n',
  'report.md': '# paved synth report\nnew\n',
};
/** What Terraform, cdktf and people put into an output folder. */
const FOREIGN = {
  'terraform.dev.tfstate': '{"version":4}',
  'terraform.dev.tfstate.backup': '{"version":4,"serial":1}',
  'cdktf.out/stacks/dev/.terraform/providers/marker': 'provider',
  'cdktf.out/stacks/dev/.terraform.lock.hcl': '# lock',
  'cdktf.out/stacks/qa/.terraform/terraform.tfstate': '{"backend":{}}',
  'k8s/handwritten/mine.yaml': 'kind: ConfigMap\n',
  'k8s/dev/shop/notes.txt': 'mine',
};

function scratch(): string {
  return path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'paved-publish-')), 'out');
}

function writer(files: { [file: string]: string }): (staging: string) => void {
  return staging => write(staging, files);
}

function write(dir: string, files: { [file: string]: string }): void {
  for (const [file, content] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
    fs.writeFileSync(path.join(dir, file), content);
  }
}

/** Every file below `dir` but paved's own folder (relative path -> content). */
function tree(dir: string, withBookkeeping: boolean = false): { [file: string]: string } {
  const files: { [file: string]: string } = {};
  const walk = (relative: string) => {
    for (const entry of fs.readdirSync(path.join(dir, relative), { withFileTypes: true })) {
      const child = relative ? `${relative}/${entry.name}` : entry.name;
      if (child === '.paved' && !withBookkeeping) { continue; }
      if (entry.isDirectory()) { walk(child); } else { files[child] = fs.readFileSync(path.join(dir, child), 'utf8'); }
    }
  };
  walk('');
  return files;
}

/** An output folder holding OLD, published by paved, and FOREIGN files. */
function published(): string {
  const out = scratch();
  publish(out, writer(OLD));
  write(out, FOREIGN);
  return out;
}

function thrown(f: () => unknown): any {
  try {
    f();
  } catch (e) {
    return e;
  }
  throw new Error('expected an error');
}

describe('publish', () => {
  test('writes the output and the list of the files it wrote', () => {
    // GIVEN
    const out = scratch();
    // WHEN
    const result = publish(out, writer(NEW));
    // THEN
    expect(tree(out)).toEqual(NEW);
    expect(JSON.parse(fs.readFileSync(path.join(out, '.paved/owned.json'), 'utf8'))).toEqual({ paved: 1, files: Object.keys(NEW).sort() });
    expect(fs.readdirSync(path.join(out, '.paved')).sort()).toEqual(['.gitignore', 'owned.json']);
    expect(result.files).toEqual(Object.keys(NEW).sort());
    expect(result.removed).toEqual([]);
    expect(result.seconds).toBeGreaterThan(0);
  });

  test('replaces only what changed, deletes what it no longer writes, keeps every file it did not write', () => {
    // GIVEN
    const out = published();
    const tenant = fs.statSync(path.join(out, 'k8s/dev/shop/tenant.k8s.yaml'));
    // WHEN
    const result = publish(out, writer(NEW));
    // THEN
    expect(tree(out)).toEqual({ ...NEW, ...FOREIGN });
    // Deeper files first: manifest.json and report.md, which index the others, switch last.
    expect(result.changed).toEqual([
      'cdktf.out/stacks/dev/cdk.tf.json', 'k8s/dev/shop/cart.k8s.yaml', 'k8s/dev/shop/orders.k8s.yaml', 'cdktf.out/manifest.json', 'report.md',
    ]);
    expect(result.removed).toEqual(['cdktf.out/stacks/qa/cdk.tf.json']);
    // Unchanged files are not touched: same inode, same time stamp.
    const after = fs.statSync(path.join(out, 'k8s/dev/shop/tenant.k8s.yaml'));
    expect([after.ino, after.mtimeMs]).toEqual([tenant.ino, tenant.mtimeMs]);
  });

  test('removes the folders its deletions leave empty, and no others', () => {
    // GIVEN an output with a second tenant, and an empty folder of the user's
    const out = scratch();
    publish(out, writer({ ...NEW, 'k8s/dev/pay/api.k8s.yaml': 'x', 'k8s/prod/pay/api.k8s.yaml': 'x' }));
    fs.mkdirSync(path.join(out, 'k8s/empty-but-mine'));
    fs.writeFileSync(path.join(out, 'k8s/prod/pay/keep.yaml'), 'mine');
    // WHEN
    publish(out, writer(NEW));
    // THEN
    expect(fs.existsSync(path.join(out, 'k8s/dev/pay'))).toBe(false);
    expect(fs.readdirSync(path.join(out, 'k8s/prod/pay'))).toEqual(['keep.yaml']);
    expect(fs.existsSync(path.join(out, 'k8s/empty-but-mine'))).toBe(true);
  });

  test('builds in a staging folder of its own inside .paved/: mode 0700, unpredictable name, removed afterwards', () => {
    // GIVEN
    const out = scratch();
    const stagings: string[] = [];
    // WHEN
    publish(out, staging => {
      stagings.push(staging);
      expect((fs.lstatSync(staging).mode % 0o1000).toString(8)).toBe('700');
      writer(NEW)(staging);
    });
    publish(out, staging => { stagings.push(staging); writer(NEW)(staging); });
    // THEN
    expect(stagings[0]).toMatch(new RegExp(`^${out}/\\.paved/staging-[A-Za-z0-9]{6}$`));
    expect(stagings[1]).not.toBe(stagings[0]);
    expect(stagings.map(s => fs.existsSync(s))).toEqual([false, false]);
  });

  test('adopts a file it did not write when it is identical to its own', () => {
    const out = scratch();
    write(out, { 'report.md': NEW['report.md'] });
    publish(out, writer(NEW));
    expect(JSON.parse(fs.readFileSync(path.join(out, '.paved/owned.json'), 'utf8')).files).toContain('report.md');
  });

  test('replaces files of an earlier paved version (no ownership list) that the caller recognises, and only those', () => {
    // GIVEN an output folder of a version that kept no list
    const out = scratch();
    write(out, { ...OLD, ...FOREIGN });
    // WHEN
    publish(out, writer(NEW), { adoptable: file => file.startsWith('cdktf.out/') || file.endsWith('.k8s.yaml') || file === 'report.md' });
    // THEN its files at paths paved writes are replaced; nothing is deleted, since nothing is known to be paved's
    expect(tree(out)).toEqual({ ...OLD, ...NEW, ...FOREIGN });
  });

  test('fails before changing anything when a file it did not write is in the way (exit code "unsafe")', () => {
    // GIVEN a hand-written file where the new output has one
    const out = published();
    write(out, { 'k8s/dev/shop/cart.k8s.yaml': 'mine' });
    const before = tree(out, true);
    // WHEN
    const error = thrown(() => publish(out, writer(NEW)));
    // THEN
    expect(Errors.kindOf(error)).toBe(ErrorKind.OUTPUT_UNSAFE);
    expect(error.message).toBe(`Platform: outdir: got ${JSON.stringify(out)}; expected a folder paved can write safely: `
      + 'k8s/dev/shop/cart.k8s.yaml exists and was not written by paved (it is not in .paved/owned.json). Move these out of the way; nothing was changed');
    expect(tree(out, true)).toEqual(before);
  });

  test('fails before changing anything when a folder on the way is a symbolic link, writing nothing through it', () => {
    // GIVEN k8s/dev links to a folder outside the output folder
    const out = published();
    const outside = fs.mkdtempSync(path.join(os.tmpdir(), 'paved-outside-'));
    fs.rmSync(path.join(out, 'k8s/dev'), { recursive: true });
    fs.symlinkSync(outside, path.join(out, 'k8s/dev'));
    // WHEN
    const error = thrown(() => publish(out, writer(NEW)));
    // THEN
    expect(Errors.kindOf(error)).toBe(ErrorKind.OUTPUT_UNSAFE);
    expect(error.message).toMatch(/k8s\/dev is a symbolic link \(paved writes only into real folders of the output folder\)/);
    expect(fs.readdirSync(outside)).toEqual([]);
  });

  test('fails before changing anything when a file is where it writes a folder', () => {
    const out = published();
    fs.rmSync(path.join(out, 'k8s/dev/shop'), { recursive: true });
    write(out, { 'k8s/dev/shop': 'a file' });
    const error = thrown(() => publish(out, writer(NEW)));
    expect(Errors.kindOf(error)).toBe(ErrorKind.OUTPUT_UNSAFE);
    expect(error.message).toMatch(/k8s\/dev\/shop is a file where paved writes a folder/);
  });

  test('fails when .paved is a symbolic link (a planted staging place), writing nothing through it', () => {
    // GIVEN .paved links elsewhere
    const out = scratch();
    const elsewhere = fs.mkdtempSync(path.join(os.tmpdir(), 'paved-planted-'));
    fs.mkdirSync(out);
    fs.symlinkSync(elsewhere, path.join(out, '.paved'));
    // WHEN
    const error = thrown(() => publish(out, writer(NEW)));
    // THEN
    expect(Errors.kindOf(error)).toBe(ErrorKind.OUTPUT_UNSAFE);
    expect(error.message).toMatch(/\.paved is a symbolic link; paved keeps its lock and staging files only in a folder of its own/);
    expect(fs.readdirSync(elsewhere)).toEqual([]);
    expect(fs.readdirSync(out)).toEqual(['.paved']);
  });

  test('fails when .paved is a file', () => {
    const out = scratch();
    write(out, { '.paved': 'x' });
    expect(thrown(() => publish(out, writer(NEW))).message).toMatch(/\.paved is not a folder; paved keeps its lock and staging files there/);
  });

  test('fails when .paved belongs to another user', () => {
    const out = published();
    const uid = fs.statSync(path.join(out, '.paved')).uid;
    const getuid = jest.spyOn(process, 'getuid').mockReturnValue(uid + 1);
    try {
      const error = thrown(() => publish(out, writer(NEW)));
      expect(Errors.kindOf(error)).toBe(ErrorKind.OUTPUT_UNSAFE);
      expect(error.message).toMatch(new RegExp(`\\.paved belongs to user ${uid}, not to the user running paved \\(${uid + 1}\\)`));
    } finally {
      getuid.mockRestore();
    }
    expect(tree(out)).toEqual({ ...OLD, ...FOREIGN });
  });

  test('fails when the build leaves something other than files and folders in the staging folder', () => {
    const out = published();
    const error = thrown(() => publish(out, staging => { writer(NEW)(staging); fs.symlinkSync('/etc/passwd', path.join(staging, 'k8s/passwd')); }));
    expect(error.message).toBe('the staging folder holds k8s/passwd, which is not a file or folder');
    expect(tree(out)).toEqual({ ...OLD, ...FOREIGN });
  });

  test('never builds in a staging folder that existed before: planted ones are removed as leftovers', () => {
    // GIVEN staging-like folders planted in .paved (one a link to elsewhere)
    const out = published();
    const elsewhere = fs.mkdtempSync(path.join(os.tmpdir(), 'paved-planted-'));
    fs.mkdirSync(path.join(out, '.paved/staging-AAAAAA'));
    fs.writeFileSync(path.join(out, '.paved/staging-AAAAAA/report.md'), 'planted');
    fs.symlinkSync(elsewhere, path.join(out, '.paved/staging-BBBBBB'));
    const stagings: string[] = [];
    // WHEN
    publish(out, staging => { stagings.push(staging); writer(NEW)(staging); });
    // THEN
    expect(stagings[0]).not.toMatch(/staging-(AAAAAA|BBBBBB)$/);
    expect(fs.readdirSync(path.join(out, '.paved')).sort()).toEqual(['.gitignore', 'owned.json']);
    expect(fs.existsSync(elsewhere)).toBe(true);
    expect(tree(out)).toEqual({ ...NEW, ...FOREIGN });
  });

  test('never deletes Terraform\'s files, even when the ownership list names them', () => {
    // GIVEN an ownership list that claims state, a provider lock and a provider
    const out = published();
    const owned = JSON.parse(fs.readFileSync(path.join(out, '.paved/owned.json'), 'utf8'));
    owned.files.push('terraform.dev.tfstate', 'terraform.dev.tfstate.backup', 'cdktf.out/stacks/dev/.terraform.lock.hcl', 'cdktf.out/stacks/dev/.terraform/providers/marker');
    fs.writeFileSync(path.join(out, '.paved/owned.json'), JSON.stringify(owned));
    // WHEN
    const result = publish(out, writer(NEW));
    // THEN
    expect(result.removed).toEqual(['cdktf.out/stacks/qa/cdk.tf.json']);
    expect(tree(out)).toEqual({ ...NEW, ...FOREIGN });
  });

  test('fails when the output holds Terraform\'s own files', () => {
    const out = published();
    const error = thrown(() => publish(out, writer({ ...NEW, 'cdktf.out/stacks/dev/terraform.dev.tfstate': '{}' })));
    expect(error.message).toBe('the output holds Terraform\'s own files, which paved never writes: cdktf.out/stacks/dev/terraform.dev.tfstate');
    expect(tree(out)).toEqual({ ...OLD, ...FOREIGN });
  });

  test('fails when the ownership list is not paved\'s', () => {
    const out = published();
    fs.writeFileSync(path.join(out, '.paved/owned.json'), '{"paved":1,"files":["../../etc/passwd"]}');
    const error = thrown(() => publish(out, writer(NEW)));
    expect(Errors.kindOf(error)).toBe(ErrorKind.OUTPUT_UNSAFE);
    expect(error.message).toMatch(/owned\.json is not the list of files paved wrote; restore it \(e\.g\. from git\), or remove it/);
  });

  test('fails on a journal it did not write, moving nothing', () => {
    const out = published();
    fs.writeFileSync(path.join(out, '.paved/journal.json'), JSON.stringify({ staging: '../..', install: ['x'], remove: [], owned: [] }));
    const error = thrown(() => publish(out, writer(NEW)));
    expect(Errors.kindOf(error)).toBe(ErrorKind.OUTPUT_UNSAFE);
    expect(error.message).toMatch(/journal\.json is not a journal paved wrote; remove it and synthesize again/);
    expect(tree(out)).toEqual({ ...OLD, ...FOREIGN });
  });

  test('fails with the build\'s error, leaving the output as it was, no staging folder, no lock', () => {
    const out = published();
    const before = tree(out, true);
    expect(() => publish(out, () => { throw new Error('synthesis failed'); })).toThrow('synthesis failed');
    expect(tree(out, true)).toEqual(before);
  });

  test.each([
    ['ENOSPC', ErrorKind.OUTPUT_NOT_WRITABLE],
    ['EEXIST', undefined],
  ])('fails, when the build fails with %s, as a folder problem only for refused writes', (code, kind) => {
    const out = published();
    const error = thrown(() => publish(out, () => { throw Object.assign(new Error(`${code}: no luck, write`), { code }); }));
    expect(Errors.kindOf(error)).toBe(kind);
    expect(error.message).toMatch(kind ? /expected a folder paved can write: cannot publish the output; nothing in it changed \(no luck, write\)$/ : /^EEXIST: no luck, write$/);
    expect(tree(out)).toEqual({ ...OLD, ...FOREIGN });
  });

  describe('stopped by an error at each step', () => {
    const cases: [PublishStep, number, boolean][] = [
      ['locked', 1, false], ['staged', 1, false], ['built', 1, false], ['planned', 1, false],
      ['journaled', 1, true], ['installed', 1, true], ['installed', 3, true], ['removed', 1, true], ['owned', 1, true],
    ];
    test.each(cases)('at "%s" (#%i): the old output whole before the journal, the new one once the next run completes it', (step, nth, committed) => {
      // GIVEN
      const out = published();
      let seen = 0;
      // WHEN
      const error = thrown(() => publish(out, writer(NEW), { onStep: s => { if (s === step && ++seen === nth) { throw new Error(`stopped at ${s}`); } } }));
      // THEN
      expect(error.message).toMatch(committed ? /publishing stopped part-way; the next paved run into this folder completes it/ : /stopped at/);
      expect(fs.existsSync(path.join(out, '.paved/lock'))).toBe(false);
      if (!committed) {
        expect(tree(out)).toEqual({ ...OLD, ...FOREIGN });
        expect(fs.readdirSync(path.join(out, '.paved')).sort()).toEqual(['.gitignore', 'owned.json']);
      }
      // AND the next run into the folder finds the killed run's output completed first
      openOutputFolder(out).release();
      expect(tree(out)).toEqual({ ...(committed ? NEW : OLD), ...FOREIGN });
      expect(fs.readdirSync(path.join(out, '.paved')).sort()).toEqual(['.gitignore', 'owned.json']);
      publish(out, writer(NEW));
      expect(tree(out)).toEqual({ ...NEW, ...FOREIGN });
    });
  });
});

describe('the lock', () => {
  test('is shared within a process, released by the last holder', () => {
    const out = scratch();
    const first = openOutputFolder(out);
    const inner = publish(out, writer(NEW));
    expect(inner.files).toHaveLength(6);
    expect(fs.existsSync(path.join(out, '.paved/lock'))).toBe(true);
    first.release();
    expect(fs.existsSync(path.join(out, '.paved/lock'))).toBe(false);
  });

  test('fails at once while another run holds it (exit code "busy")', () => {
    // GIVEN a lock held by a live process of this host
    const out = published();
    fs.writeFileSync(path.join(out, '.paved/lock'), JSON.stringify({ pid: 1, host: os.hostname(), started: 'then', token: 't' }));
    // WHEN
    const error = thrown(() => publish(out, writer(NEW)));
    // THEN
    expect(Errors.kindOf(error)).toBe(ErrorKind.OUTPUT_BUSY);
    expect(error.message).toMatch(/locked by pid 1 on host .* since then; wait for that run, or delete .*\.paved\/lock if it no longer runs$/);
    expect(tree(out)).toEqual({ ...OLD, ...FOREIGN });
  });

  test('takes over a lock whose process no longer runs', () => {
    const out = published();
    const gone = spawnSync(process.execPath, ['-e', 'console.log(process.pid)'], { encoding: 'utf8' });
    fs.writeFileSync(path.join(out, '.paved/lock'), JSON.stringify({ pid: Number(gone.stdout.trim()), host: os.hostname(), started: 'then', token: 't' }));
    publish(out, writer(NEW));
    expect(tree(out)).toEqual({ ...NEW, ...FOREIGN });
    expect(fs.existsSync(path.join(out, '.paved/lock'))).toBe(false);
  });

  test.each([
    ['another host', { pid: 1, host: 'elsewhere', started: 'then', token: 't' }],
    ['an unreadable lock', 'not json'],
  ])('fails as busy on the lock of %s, never taking it over', (_name, holder) => {
    const out = published();
    fs.writeFileSync(path.join(out, '.paved/lock'), typeof holder === 'string' ? holder : JSON.stringify(holder));
    expect(Errors.kindOf(thrown(() => publish(out, writer(NEW))))).toBe(ErrorKind.OUTPUT_BUSY);
  });
});

describe('publish in other processes', () => {
  const CHILD = path.join(__dirname, '../support/publish-child.ts');
  const TS_NODE = require.resolve('ts-node/register/transpile-only');

  function job(out: string, extra: object = {}, files: object = NEW): string {
    const file = path.join(path.dirname(out), `job-${Math.random().toString(36).slice(2)}.json`);
    fs.writeFileSync(file, JSON.stringify({ outdir: out, files, ...extra }));
    return file;
  }

  function child(jobFile: string): ChildProcess {
    return spawn(process.execPath, ['-r', TS_NODE, CHILD, jobFile], {
      env: { ...process.env, TS_NODE_PROJECT: path.join(__dirname, '../tsconfig.json'), TS_NODE_SWC: 'true' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
  }

  function finish(proc: ChildProcess): Promise<{ code: number | null; signal: NodeJS.Signals | null; stdout: string }> {
    let stdout = '';
    proc.stdout!.on('data', d => { stdout += d; });
    proc.stderr!.on('data', d => { stdout += d; });
    return new Promise(resolve => proc.on('exit', (code, signal) => resolve({ code, signal, stdout })));
  }

  async function waitFor(file: string): Promise<void> {
    while (!fs.existsSync(file)) { await new Promise(r => setTimeout(r, 20)); }
  }

  /** Every file of the output is the old or the new version, whole. */
  function expectEachFileOldOrNew(out: string): void {
    for (const [file, content] of Object.entries(tree(out))) {
      const candidates = [(OLD as any)[file], (NEW as any)[file], (FOREIGN as any)[file]].filter(c => c !== undefined);
      expect({ file, ok: candidates.includes(content) }).toEqual({ file, ok: true });
    }
  }

  const steps: [PublishStep, number, boolean][] = [
    ['staged', 1, false], ['built', 1, false], ['planned', 1, false], ['journaled', 1, true], ['installed', 1, true], ['installed', 4, true],
    ['removed', 1, true], ['owned', 1, true],
  ];
  test.each(steps)('killed (SIGKILL) at "%s" (#%i): each file old or new, whole; the next run completes or discards it', async (step, nth, committed) => {
    // GIVEN
    const out = published();
    // WHEN
    const result = await finish(child(job(out, { stopAt: { step, nth, signal: 'SIGKILL' } })));
    // THEN the process died there, leaving its lock and staging folder
    expect(result.signal).toBe('SIGKILL');
    expectEachFileOldOrNew(out);
    if (!committed) { expect(tree(out)).toEqual({ ...OLD, ...FOREIGN }); }
    expect(fs.existsSync(path.join(out, '.paved/lock'))).toBe(true);
    // AND the next run takes the stale lock over, completes or discards the killed run, cleans up
    openOutputFolder(out).release();
    expect(tree(out)).toEqual({ ...(committed ? NEW : OLD), ...FOREIGN });
    expect(fs.readdirSync(path.join(out, '.paved')).sort()).toEqual(['.gitignore', 'owned.json']);
  }, 30_000);

  test('SIGTERM during a publish: it completes, cleans up, then the process ends by the signal', async () => {
    const out = published();
    const result = await finish(child(job(out, { stopAt: { step: 'built', signal: 'SIGTERM' } })));
    expect(result.signal).toBe('SIGTERM');
    expect(result.stdout).toContain('published');
    expect(tree(out)).toEqual({ ...NEW, ...FOREIGN });
    expect(fs.readdirSync(path.join(out, '.paved')).sort()).toEqual(['.gitignore', 'owned.json']);
  }, 30_000);

  test('a second process fails at once while the first publishes; the first completes', async () => {
    // GIVEN a first run holding the lock, waiting after building
    const out = published();
    const release = path.join(path.dirname(out), 'go');
    const first = finish(child(job(out, { waitFor: { step: 'built', file: release } })));
    await waitFor(`${release}.waiting`);
    // WHEN a second process publishes other content
    const second = await finish(child(job(out, {}, OLD)));
    fs.writeFileSync(release, '');
    // THEN
    expect(second.code).toBe(1);
    expect(second.stdout).toMatch(/^output-busy: Platform: outdir: .*locked by pid \d+ on host/);
    expect((await first).stdout.trim()).toBe('published');
    expect(tree(out)).toEqual({ ...NEW, ...FOREIGN });
  }, 30_000);

  test('two processes racing: each publish succeeds whole or fails busy; the folder holds one run\'s output, whole', async () => {
    // GIVEN
    const out = published();
    const A = Object.fromEntries(Object.keys(NEW).map(f => [f, `A ${f}`]));
    const B = Object.fromEntries(Object.keys(NEW).map(f => [f, `B ${f}`]));
    // WHEN both publish three times, at the same time
    const runs = await Promise.all([A, B].map(async files => {
      const outcomes: string[] = [];
      for (let i = 0; i < 3; i++) { outcomes.push((await finish(child(job(out, {}, files)))).stdout.trim()); }
      return outcomes;
    }));
    // THEN
    for (const outcome of runs.flat()) { expect(outcome).toMatch(/^(published|output-busy: .*)$/); }
    expect(runs.flat()).toContain('published');
    const contents = Object.entries(tree(out)).filter(([file]) => file in NEW).map(([, content]) => content[0]);
    expect(contents).toHaveLength(Object.keys(NEW).length);
    expect(new Set(contents).size).toBe(1);
    expect(fs.existsSync(path.join(out, '.paved/lock'))).toBe(false);
  }, 60_000);
});
