// Wall and CPU ms to require cdktf + cdk8s + cdk8s-plus-28 (`base`) or a paved build (its path), and the modules loaded:
//   npx projen compile && node bench/tools/require-time.js base && node bench/tools/require-time.js $PWD/lib/index.js
const what = process.argv[2];
const t = process.hrtime.bigint(); const c = process.cpuUsage();
if (what === 'base') { require('cdktf'); require('cdk8s'); require('cdk8s-plus-28'); } else { require(what); }
const d = process.cpuUsage(c);
console.log(JSON.stringify({ what, wall: Math.round(Number(process.hrtime.bigint() - t) / 1e6), cpu: Math.round((d.user + d.system) / 1e3), modules: Object.keys(require.cache).length }));
