/**
 * Synthesis benchmark: N golden-path workloads (web app + its own Postgres)
 * in one environment, through paved and through the same resources written
 * as raw cdktf/cdk8s L1 code. Each measurement runs in a fresh process so
 * peak RSS belongs to that run alone; each cell is the median of RUNS runs
 * (timings on a shared 2-core machine vary by 15-20% run to run).
 *
 *   npm run bench            # 1, 10, 100, 300 workloads
 *   npm run bench -- 50      # other counts
 */
import { execFileSync } from 'child_process';
import * as path from 'path';

const counts = process.argv.slice(2).map(Number).filter(n => n > 0);
const COUNTS = counts.length > 0 ? counts : [1, 10, 100, 300];
const RUNS = 3;

interface Measurement {
  seconds: number;
  rssMB: number;
  resources: number;
  manifests: number;
  objects: number;
  /** paved only: the part of `seconds` spent publishing into the empty output folder. */
  publishSeconds?: number;
  /** paved only: publishing the same output again into the filled folder (not part of `seconds`). */
  republishSeconds?: number;
}

/** The run with the median time of RUNS runs. */
function measure(variant: 'paved' | 'raw', n: number): Measurement {
  const runs = Array.from({ length: RUNS }, () => measureOnce(variant, n)).sort((a, b) => a.seconds - b.seconds);
  return runs[Math.floor(RUNS / 2)];
}

function measureOnce(variant: 'paved' | 'raw', n: number): Measurement {
  const out = execFileSync(process.execPath, ['-r', 'ts-node/register/transpile-only', path.join(__dirname, 'scenario.ts'), variant, String(n)], {
    env: { ...process.env, TS_NODE_PROJECT: path.join(__dirname, '..', 'test', 'tsconfig.json') },
    encoding: 'utf8',
  });
  return JSON.parse(out.trim().split('\n').pop()!);
}

const rows: string[] = [
  '| workloads | paved s | paved MB | raw s | raw MB | ratio (time) | publish s (share of paved s) | publish again s | TF resources | manifests | k8s objects |',
  '| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |',
];
for (const n of COUNTS) {
  const paved = measure('paved', n);
  const raw = measure('raw', n);
  const publish = `${paved.publishSeconds!.toFixed(3)} (${((paved.publishSeconds! / paved.seconds) * 100).toFixed(1)} %)`;
  rows.push(`| ${n} | ${paved.seconds.toFixed(2)} | ${paved.rssMB} | ${raw.seconds.toFixed(2)} | ${raw.rssMB} | ${(paved.seconds / raw.seconds).toFixed(2)} | ${publish} | ${paved.republishSeconds!.toFixed(3)} | ${paved.resources} (raw ${raw.resources}) | ${paved.manifests} | ${paved.objects} (raw ${raw.objects}) |`);
  console.error(`done: ${n}`);
}
console.log(rows.join('\n'));
