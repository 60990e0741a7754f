// Summarizes a V8 CPU profile (node --cpu-prof, or the inspector): self time by package, top
// functions, and with --fn REGEX the inclusive time of matching functions; --under REGEX
// restricts to samples below a matching frame.
//   node bench/tools/cpuprofile-summary.js run.cpuprofile --fn "^(synth|toTerraform|toJson) " --under "^prepareStack "
const fs = require('fs');
/** Paths of paved's own files are shown relative to the repository (this file is in bench/tools/). */
const ROOT = `file://${require('path').join(__dirname, '..', '..')}/`;
const file = process.argv[2];
const fnPatterns = [];
const args = process.argv.slice(3);
for (let i = 0; i < args.length; i++) if (args[i] === '--fn') fnPatterns.push(new RegExp(args[++i]));
const p = JSON.parse(fs.readFileSync(file, 'utf8'));
const byId = new Map(p.nodes.map(n => [n.id, n]));
const parent = new Map();
for (const n of p.nodes) for (const c of n.children || []) parent.set(c, n.id);
const self = new Map();
for (let i = 0; i < p.samples.length; i++) {
  const dt = p.timeDeltas[i + 1] ?? 0;
  self.set(p.samples[i], (self.get(p.samples[i]) || 0) + dt);
}
function pkg(url, fn) {
  if (!url) return fn.startsWith('(') ? fn : '(native)';
  const m = url.match(/node_modules\/((@[^/]+\/)?[^/]+)/);
  if (m) return m[1];
  const l = url.match(/\/(build|lib)\/(.*)$/);
  if (l && url.includes(ROOT)) return 'paved:' + l[2].split('/')[0];
  if (url.startsWith('node:')) return 'node:internal';
  return url.split('/').slice(-2).join('/');
}
const total = [...self.values()].reduce((a, b) => a + b, 0);
const byPkg = new Map(), byFn = new Map();
for (const [id, t] of self) {
  const n = byId.get(id), cf = n.callFrame;
  const k = pkg(cf.url, cf.functionName);
  byPkg.set(k, (byPkg.get(k) || 0) + t);
  const fk = `${cf.functionName || '(anon)'} ${cf.url.replace(/.*node_modules\//, '').replace(ROOT, '')}:${cf.lineNumber + 1}`;
  byFn.set(fk, (byFn.get(fk) || 0) + t);
}
const ms = t => (t / 1000).toFixed(0).padStart(7) + ' ms';
console.log(`total ${ms(total)}`);
console.log('\n-- self time by package');
for (const [k, t] of [...byPkg].sort((a, b) => b[1] - a[1]).slice(0, 25)) console.log(ms(t), (100 * t / total).toFixed(1).padStart(5) + '%', k);
console.log('\n-- top self functions');
for (const [k, t] of [...byFn].sort((a, b) => b[1] - a[1]).slice(0, 40)) console.log(ms(t), k);
if (fnPatterns.length) {
  // inclusive: for each node path, add self time to each matching function key once
  const incl = new Map();
  const keyOf = n => `${n.callFrame.functionName} ${n.callFrame.url.replace(/.*node_modules\//, '').replace(ROOT, '')}:${n.callFrame.lineNumber + 1}`;
  for (const [id, t] of self) {
    const seen = new Set();
    let cur = id;
    while (cur !== undefined) {
      const n = byId.get(cur); const k = keyOf(n);
      if (!seen.has(k) && fnPatterns.some(r => r.test(k))) { seen.add(k); incl.set(k, (incl.get(k) || 0) + t); }
      cur = parent.get(cur);
    }
  }
  console.log('\n-- inclusive time of selected functions');
  for (const [k, t] of [...incl].sort((a, b) => b[1] - a[1]).slice(0, 60)) console.log(ms(t), (100 * t / total).toFixed(1).padStart(5) + '%', k);
}
// --under regex: restrict to samples under a matching frame, print self-time top functions there
const underIdx = process.argv.indexOf('--under');
if (underIdx > 0) {
  const re = new RegExp(process.argv[underIdx + 1]);
  const keyOf = n => `${n.callFrame.functionName} ${n.callFrame.url.replace(/.*node_modules\//, '').replace(ROOT, '')}:${n.callFrame.lineNumber + 1}`;
  const selfU = new Map(), inclU = new Map(); let tot = 0;
  for (const [id, t] of self) {
    const chain = []; let cur = id; let hit = false;
    while (cur !== undefined) { const k = keyOf(byId.get(cur)); if (re.test(k)) { hit = true; break; } chain.push(k); cur = parent.get(cur); }
    if (!hit) continue;
    tot += t;
    const k0 = chain[0] ?? '(self)'; selfU.set(k0, (selfU.get(k0) || 0) + t);
    for (const k of new Set(chain)) inclU.set(k, (inclU.get(k) || 0) + t);
  }
  console.log(`\n-- under ${re}: ${ms(tot)}; self`);
  for (const [k, t] of [...selfU].sort((a, b) => b[1] - a[1]).slice(0, 25)) console.log(ms(t), k);
  console.log(`-- under ${re}: inclusive`);
  for (const [k, t] of [...inclU].sort((a, b) => b[1] - a[1]).slice(0, 40)) console.log(ms(t), k);
}
