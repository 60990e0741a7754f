/*
 * CPU time of the phases of one bench run (bench/scenario.ts): construction,
 * validation (GitOps's and the Portal's checks inside it), the Kubernetes
 * render, the Terraform synth, YAML, the outputs added with addOutput, the rest.
 *
 *   node -r ts-node/register/transpile-only bench/tools/phases.js <paved|full> <workloads>
 *   (TS_NODE_PROJECT=test/tsconfig.json; PAVED_LIB=<folder> for another revision's lib/)
 *
 * A phase called inside another is counted in both (the table is by phase, not a partition).
 */
const path = require('path');
const lib = process.env.PAVED_LIB || path.join(__dirname, '..', '..', 'lib');
const timers = new Map();
/** Set once the first synth returned: the scenario's second synth (a republish) is not part of its figures. */
let done = false;
function wrap(owner, name, label) {
  const original = owner[name];
  if (typeof original !== 'function') { throw new Error(`no function ${name} to time (${label})`); }
  let depth = 0; // recursive calls count once
  owner[name] = function (...args) {
    if (depth > 0 || done) { return original.apply(this, args); }
    depth++;
    const started = process.cpuUsage();
    try {
      return original.apply(this, args);
    } finally {
      depth--;
      const used = process.cpuUsage(started);
      const entry = timers.get(label) ?? { ms: 0, calls: 0 };
      entry.ms += (used.user + used.system) / 1e3;
      entry.calls++;
      timers.set(label, entry);
      if (name === 'synth') { done = true; }
    }
  };
}
// Before paved loads: its modules keep their own reference to these functions.
const YAML = require('yaml');
wrap(YAML, 'stringify', 'YAML.stringify');
const paved = require(lib);
const cdktf = require('cdktf');
wrap(paved.Platform.prototype, 'synth', 'synth (all of it)');
wrap(paved.Platform.prototype, 'validate', 'validate');
wrap(paved.GitOps.prototype, 'prepare', '  GitOps checks and Applications');
wrap(paved.Portal.prototype, 'model', 'Portal model');
wrap(paved.Platform.prototype, '_render', 'Kubernetes render');
wrap(paved.Platform.prototype, 'synthesizeTerraform', 'Terraform synth');
let stackSynthesis;
try { stackSynthesis = require(path.join(lib, 'core', 'stack-synthesis')); } catch { /* a revision before it */ }
if (stackSynthesis) {
  // paved prepares and resolves its stacks itself (cdktf's two methods are not called for them)
  wrap(stackSynthesis, 'synthesizeStacks', '  stacks prepared and written');
} else {
  wrap(cdktf.TerraformStack.prototype, 'prepareStack', '  stacks prepared');
  wrap(cdktf.TerraformStack.prototype, 'toTerraform', '  stacks resolved');
}
wrap(paved.Portal.prototype, 'writeCatalog', 'Portal catalog');
wrap(paved.Portal.prototype, 'writeSite', 'Portal site');
wrap(paved.Portal.prototype, 'renderCost', 'Portal cost estimate');

const [scenario, count] = process.argv.slice(2);
process.argv = [process.argv[0], path.join(__dirname, '..', 'scenario.ts'), scenario, count];
const log = console.log;
console.log = line => {
  const result = JSON.parse(line);
  const construction = result.cpuSeconds * 1e3 - (timers.get('synth (all of it)')?.ms ?? 0);
  log(`${scenario} ${count}: ${result.cpuSeconds.toFixed(2)} CPU s, ${result.rssMB} MB peak RSS`);
  log(`${Math.round(construction).toString().padStart(8)} ms  construction`);
  for (const [label, { ms, calls }] of timers) {
    log(`${Math.round(ms).toString().padStart(8)} ms  ${label} (${calls} call${calls === 1 ? '' : 's'})`);
  }
};
require(path.join(__dirname, '..', 'scenario.ts'));
