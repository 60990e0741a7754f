/**
 * Synthesis benchmark: N golden-path workloads (web app + its own Postgres)
 * in one environment, through paved and through the same resources written
 * as raw cdktf/cdk8s L1 code (bench/scenario.ts). Each measurement runs in a
 * fresh process so peak RSS belongs to that run alone; the variants of a
 * count run interleaved (paved, raw, paved, raw, ...) so that the load of a
 * shared machine weighs on each alike, and each cell is the median of the
 * runs. CPU time is the figure to compare: wall time follows the
 * neighbours' load on a shared machine, CPU time much less.
 *
 *   npm run bench                          # 1, 10, 100, 300 workloads
 *   npm run bench -- 100 1000              # other counts
 *   npm run bench -- --full 100 1000       # also the whole product: GitOps, Portal, monitoring, 10 tenants
 *   npm run bench -- --base main 100 1000  # also paved as of another revision or checkout folder (before/after), interleaved
 *   npm run bench -- --runs 5 100          # runs per cell (default 3)
 */
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

interface Options { counts: number[]; full: boolean; base?: string; runs: number }

function parseArgs(args: string[]): Options {
  const options: Options = { counts: [], full: false, runs: 3 };
  for (let i = 0; i < args.length; i++) {
    const arg = args[i];
    if (arg === '--full') {
      options.full = true;
    } else if (arg === '--base' && args[i + 1]) {
      options.base = args[++i];
    } else if (arg === '--runs' && Number(args[i + 1]) > 0) {
      options.runs = Number(args[++i]);
    } else if (/^[1-9][0-9]*$/.test(arg)) {
      options.counts.push(Number(arg));
    } else {
      throw new Error(`npm run bench -- [--full] [--base <revision>] [--runs <n>] [workloads...]: cannot read "${arg}"`);
    }
  }
  if (options.counts.length === 0) { options.counts = [1, 10, 100, 300]; }
  return options;
}

interface Measurement {
  seconds: number;
  cpuSeconds: number;
  rssMB: number;
  resources: number;
  manifests: number;
  objects: number;
  files?: number;
  /** paved only: the part of `seconds` spent publishing into the empty output folder. */
  publishSeconds?: number;
  /** paved only: publishing the same output again into the filled folder (not part of `seconds`). */
  republishSeconds?: number;
}

type Scenario = 'paved' | 'full' | 'raw';
interface Variant { label: string; scenario: Scenario; lib?: string }

function measureOnce(variant: Variant, n: number): Measurement {
  const out = execFileSync(process.execPath, ['-r', 'ts-node/register/transpile-only', path.join(__dirname, 'scenario.ts'), variant.scenario, String(n)], {
    env: {
      ...process.env,
      TS_NODE_PROJECT: path.join(__dirname, '..', 'test', 'tsconfig.json'),
      ...(variant.lib ? { PAVED_LIB: variant.lib } : {}),
    },
    encoding: 'utf8',
  });
  return JSON.parse(out.trim().split('\n').pop()!);
}

/** Per variant, the medians of `runs` runs of each figure, the variants' runs interleaved. */
function measure(variants: Variant[], n: number, runs: number): Measurement[] {
  const all: Measurement[][] = variants.map(() => []);
  for (let run = 0; run < runs; run++) {
    variants.forEach((variant, i) => all[i].push(measureOnce(variant, n)));
  }
  const median = (values: number[]): number => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
  return all.map(ms => ({
    ...ms[0],
    seconds: median(ms.map(m => m.seconds)),
    cpuSeconds: median(ms.map(m => m.cpuSeconds)),
    rssMB: median(ms.map(m => m.rssMB)),
    publishSeconds: ms[0].publishSeconds === undefined ? undefined : median(ms.map(m => m.publishSeconds!)),
    republishSeconds: ms[0].republishSeconds === undefined ? undefined : median(ms.map(m => m.republishSeconds!)),
  }));
}

/**
 * paved's sources as of `revision`, in a scratch folder that loads this
 * tree's node_modules; or the lib/ of `revision` when it is a folder
 * holding one (another checkout, e.g. a snapshot taken before a change).
 */
function libOf(revision: string): string {
  if (fs.existsSync(path.join(revision, 'lib', 'index.ts'))) { return path.resolve(revision, 'lib'); }
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'paved-bench-base-'));
  process.on('exit', () => fs.rmSync(dir, { recursive: true, force: true }));
  const root = path.join(__dirname, '..');
  const archive = execFileSync('git', ['-C', root, 'archive', revision, 'lib'], { maxBuffer: 1024 * 1024 * 1024 });
  execFileSync('tar', ['-x', '-C', dir], { input: archive });
  fs.symlinkSync(path.join(root, 'node_modules'), path.join(dir, 'node_modules'));
  return path.join(dir, 'lib');
}

const fixed = (value: number | undefined, digits: number = 2): string => value === undefined ? '-' : value.toFixed(digits);

/** How CPU time grows from one count to the next, beside how the count grows (linear growth: the two are equal). */
function growth(counts: number[], cpu: number[]): string {
  return counts.slice(1).map((n, i) => `t(${n})/t(${counts[i]}) = ${(cpu[i + 1] / cpu[i]).toFixed(2)} (count x${(n / counts[i]).toFixed(1)})`).join(', ');
}

const options = parseArgs(process.argv.slice(2));
const base = options.base ? libOf(options.base) : undefined;
const before = options.base ? ` (${options.base})` : '';
/** The tables, printed line by line as they are measured: an interrupted run keeps what it measured. */
const lines = { push: (...text: string[]) => text.forEach(line => console.log(line)) };

{
  const variants: Variant[] = [{ label: 'paved', scenario: 'paved' }, { label: 'raw', scenario: 'raw' }];
  if (base) { variants.push({ label: 'base', scenario: 'paved', lib: base }); }
  const header = ['workloads', 'paved s', 'paved CPU s', 'paved MB', 'raw s', 'raw CPU s', 'raw MB', 'paved/raw (CPU)'];
  if (base) { header.push(`before${before} CPU s`, 'before MB', 'after/before (CPU)'); }
  header.push('publish s (share)', 'publish again s', 'TF resources', 'manifests', 'k8s objects');
  lines.push('Golden-path workloads, paved against raw cdktf/cdk8s', '', `| ${header.join(' | ')} |`, `|${' --- |'.repeat(header.length)}`);
  const cpu: number[] = [];
  for (const n of options.counts) {
    const [paved, raw, old] = measure(variants, n, options.runs);
    cpu.push(paved.cpuSeconds);
    const cells: (string | number)[] = [n, fixed(paved.seconds), fixed(paved.cpuSeconds), paved.rssMB,
      fixed(raw.seconds), fixed(raw.cpuSeconds), raw.rssMB, fixed(paved.cpuSeconds / raw.cpuSeconds)];
    if (old) { cells.push(fixed(old.cpuSeconds), old.rssMB, fixed(paved.cpuSeconds / old.cpuSeconds)); }
    cells.push(`${fixed(paved.publishSeconds, 3)} (${((paved.publishSeconds! / paved.seconds) * 100).toFixed(1)} %)`, fixed(paved.republishSeconds, 3),
      `${paved.resources} (raw ${raw.resources})`, paved.manifests, `${paved.objects} (raw ${raw.objects})`);
    lines.push(`| ${cells.join(' | ')} |`);
    console.error(`done: ${n}`);
  }
  if (options.counts.length > 1) { lines.push('', `Growth of paved's CPU time: ${growth(options.counts, cpu)}`); }
}

if (options.full) {
  const variants: Variant[] = [{ label: 'full', scenario: 'full' }];
  if (base) { variants.push({ label: 'base', scenario: 'full', lib: base }); }
  const header = ['workloads', 's', 'CPU s', 'MB'];
  if (base) { header.push(`before${before} CPU s`, 'before MB', 'after/before (CPU)'); }
  header.push('publish s', 'publish again s', 'TF resources', 'manifests', 'k8s objects', 'files');
  lines.push('', 'The whole product: GitOps, a Portal, monitoring per workload, 10 tenants', '',
    `| ${header.join(' | ')} |`, `|${' --- |'.repeat(header.length)}`);
  const cpu: number[] = [];
  for (const n of options.counts) {
    const [full, old] = measure(variants, n, options.runs);
    cpu.push(full.cpuSeconds);
    const cells: (string | number)[] = [n, fixed(full.seconds), fixed(full.cpuSeconds), full.rssMB];
    if (old) { cells.push(fixed(old.cpuSeconds), old.rssMB, fixed(full.cpuSeconds / old.cpuSeconds)); }
    cells.push(fixed(full.publishSeconds, 3), fixed(full.republishSeconds, 3), full.resources, full.manifests, full.objects, full.files ?? '-');
    lines.push(`| ${cells.join(' | ')} |`);
    console.error(`done: full ${n}`);
  }
  if (options.counts.length > 1) { lines.push('', `Growth of CPU time: ${growth(options.counts, cpu)}`); }
}
