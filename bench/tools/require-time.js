// Time to load paved, against the libraries it builds on.
//   node bench/tools/require-time.js [runs=15] [paved entry point=build/index.js]
// Runs, interleaved, fresh Node processes that require either cdktf + cdk8s +
// cdk8s-plus-28 (the base) or paved, and prints the median CPU and wall time
// of each and their ratio. CPU time is what counts on a loaded machine: wall
// time includes waiting for a core.
const { spawnSync } = require('child_process');
const path = require('path');

const runs = Number(process.argv[2] ?? 15);
const entry = path.resolve(process.argv[3] ?? path.join(__dirname, '..', '..', 'build', 'index.js'));
const probe = `
const t = process.hrtime.bigint(); const c = process.cpuUsage();
const what = process.argv[1];
if (what === 'base') { require('cdktf'); require('cdk8s'); require('cdk8s-plus-28'); } else { require(what); }
const d = process.cpuUsage(c);
process.stdout.write(JSON.stringify({ wall: Number(process.hrtime.bigint() - t) / 1e6, cpu: (d.user + d.system) / 1e3,
  modules: Object.keys(require.cache).length }));`;

const measure = what => {
  const child = spawnSync(process.execPath, ['-e', probe, what], { cwd: path.dirname(entry), encoding: 'utf8' });
  if (child.status !== 0) { throw new Error(child.stderr); }
  return JSON.parse(child.stdout);
};
const median = xs => { const s = [...xs].sort((a, b) => a - b); return s[Math.floor(s.length / 2)]; };

const samples = { base: [], paved: [] };
for (let i = 0; i < runs; i++) {
  samples.base.push(measure('base'));
  samples.paved.push(measure(entry));
}
const summary = Object.fromEntries(Object.entries(samples).map(([k, v]) => [k, {
  cpuMs: Math.round(median(v.map(s => s.cpu))), wallMs: Math.round(median(v.map(s => s.wall))), modules: v[0].modules,
}]));
console.log(JSON.stringify({ runs, entry, ...summary,
  cpuRatio: +(summary.paved.cpuMs / summary.base.cpuMs).toFixed(2), wallRatio: +(summary.paved.wallMs / summary.base.wallMs).toFixed(2) }));
