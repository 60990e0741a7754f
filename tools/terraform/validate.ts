/**
 * `npm run tf-validate [OUT]` (and the `terraform` step of .ci/run): runs
 * Terraform itself on every stack of a synthesized output (default: out/).
 *
 * For each stack, in dependency order (a stack after the stacks whose state it
 * reads), in a scratch copy under .ci/scratch/terraform/<stack>/:
 *   1. the reviewed rewrites of tools/terraform/aws6-rewrites.json (6.x-only
 *      arguments; the CI mirror has hashicorp/aws 5.100.0), nothing else;
 *   2. `terraform init -backend=false` against the filesystem mirror
 *      (TF_CLI_CONFIG_FILE: a CLI config written in the scratch folder; no
 *      registry access);
 *   3. `terraform validate`;
 *   4. `terraform test` with `mock_provider "aws"`: a `plan` run and an `apply`
 *      run. Remote states of cross-stack references are overridden with the
 *      outputs the producer stack's mocked apply gave.
 * Blocks of providers the mirror lacks (hashicorp/kubernetes, hashicorp/helm)
 * and everything that refers to them are left out of the copy; the step lists
 * each of them as not validated. Exit 1 with Terraform's own error text when
 * any stack fails.
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import {
  ProviderSchema, Rewrites, applyRewrites, dependencyOrder, entriesTheMirrorKnows, loadRewrites, outputsRead,
  remoteStates, renderDiagnostic, testFile, unmirroredProviders, withoutProviders, providerAddress, forMockedTest,
} from './harness';

const ROOT = path.resolve(__dirname, '..', '..');
const MIRROR = process.env.PAVED_TF_PLUGINS ?? '/opt/tf-plugins';
const SCRATCH = path.join(ROOT, '.ci', 'scratch', 'terraform');
const REWRITES = path.join(__dirname, 'aws6-rewrites.json');
/** mock_provider and override_* in test files: Terraform 1.7. */
const MIN_TERRAFORM = [1, 7];

class Failure extends Error {}

function main(): number {
  const out = path.resolve(process.argv[2] ?? path.join(ROOT, 'out'));
  try {
    return run(out);
  } catch (e: any) {
    if (e instanceof Failure) {
      console.error(`terraform: ${e.message}`);
      return 1;
    }
    throw e;
  }
}

function run(out: string): number {
  const started = Date.now();
  const terraform = findTerraform();
  const mirrored = mirroredProviders();
  const rewrites = loadRewrites(REWRITES);
  const manifestFile = [path.join(out, 'cdktf.out', 'manifest.json'), path.join(out, 'manifest.json')].find(f => fs.existsSync(f));
  if (!manifestFile) { throw new Failure(`${out} holds no cdktf.out/manifest.json: run \`npm run example\` (or pass the out folder) first`); }
  const manifest = JSON.parse(fs.readFileSync(manifestFile, 'utf8'));
  const stacks = new Map<string, any>();
  for (const [name, entry] of Object.entries<any>(manifest.stacks ?? {})) {
    stacks.set(name, JSON.parse(fs.readFileSync(path.join(path.dirname(manifestFile), entry.synthesizedStackPath), 'utf8')));
  }
  if (stacks.size === 0) { throw new Failure(`${manifestFile} lists no stacks`); }

  fs.rmSync(SCRATCH, { recursive: true, force: true });
  fs.mkdirSync(SCRATCH, { recursive: true, mode: 0o700 });
  const cliConfig = path.join(SCRATCH, 'terraform.tfrc');
  // Providers come only from the mirror; anything else has nowhere to come from.
  fs.writeFileSync(cliConfig, `provider_installation {\n  filesystem_mirror {\n    path = ${JSON.stringify(MIRROR)}\n  }\n}\n`);
  const env = { ...process.env, TF_CLI_CONFIG_FILE: cliConfig, TF_IN_AUTOMATION: '1', TF_INPUT: '0', CHECKPOINT_DISABLE: '1' };
  const schema = providerSchema(terraform, env, rewrites);
  const wrong = entriesTheMirrorKnows(rewrites, schema);
  if (wrong.length > 0) {
    throw new Failure(`tools/terraform/aws6-rewrites.json removes arguments that hashicorp/aws ${rewrites.provider.to} knows, which would hide them from validation: ${wrong.join(', ')}`);
  }

  const producers = new Map<string, Map<string, string | undefined>>();
  for (const [name, stack] of stacks) { producers.set(name, remoteStates(stack, stacks)); }
  const order = dependencyOrder(new Map([...producers].map(([name, p]) => [name, [...p.values()].filter((s): s is string => !!s)])));
  console.log(`terraform ${terraformVersion(terraform).join('.')}, providers from ${MIRROR} (${[...mirrored].map(p => p.replace('registry.terraform.io/', '')).join(', ')}); `
    + `${stacks.size} stack(s): ${order.join(', ')}`);

  const outputs = new Map<string, { [name: string]: unknown }>();
  const used = new Set<string>();
  const failed: string[] = [];
  const notValidated: string[] = [];
  for (const name of order) {
    const stackStarted = Date.now();
    const rewritten = applyRewrites(name, stacks.get(name), rewrites);
    rewritten.applied.forEach(a => used.add(a.replace(/^(data\.)?([a-z0-9_]+)\.[^.]+\.(.*)$/, '$1$2.$3')));
    const unmirrored = unmirroredProviders(rewritten.stack, mirrored);
    const { stack, skipped } = withoutProviders(rewritten.stack, unmirrored);
    const dir = path.join(SCRATCH, name);
    fs.mkdirSync(dir);
    fs.writeFileSync(path.join(dir, 'cdk.tf.json'), JSON.stringify(stack, undefined, 2));

    const remoteOutputs = new Map<string, { [output: string]: unknown }>();
    const notes: string[] = [];
    for (const [dataName, producer] of producers.get(name)!) {
      const read = outputsRead(stack, dataName);
      const given = producer ? outputs.get(producer) : undefined;
      remoteOutputs.set(dataName, Object.fromEntries(read.map(o => [o, given?.[o] ?? `mock-${o}`])));
      const missing = read.filter(o => given?.[o] === undefined);
      if (missing.length > 0) {
        notes.push(`remote state ${dataName}${producer ? ` (stack ${producer})` : ' (no stack of this output)'}: `
          + `${missing.join(', ')} mocked as strings${producer ? ' (the producer\'s mocked apply did not give them)' : ''}`);
      }
    }
    const provider = (Array.isArray(stack.provider?.aws) ? stack.provider.aws[0] : stack.provider?.aws) ?? {};
    const test = testFile(stack, {
      account: provider.allowed_account_ids?.[0] ?? '123456789012',
      region: provider.region ?? 'eu-central-1',
      schema,
      remoteOutputs,
    });
    fs.writeFileSync(path.join(dir, 'paved.tftest.json'), JSON.stringify(test, undefined, 2));

    const steps: string[] = [];
    const step = (label: string, args: string[]): boolean => {
      const t = Date.now();
      const result = spawnSync(terraform, args, { cwd: dir, env, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
      steps.push(`${label} ${((Date.now() - t) / 1000).toFixed(1)} s`);
      if (result.status !== 0) {
        console.error(`\n-- ${name}: terraform ${args.join(' ')} failed:\n${result.stdout}${result.stderr}`);
        return false;
      }
      return true;
    };
    let ok = step('init', ['init', '-backend=false', '-input=false', '-no-color'])
      && step('validate', ['validate', '-no-color']);
    const mockable = forMockedTest(stack);
    if (mockable.dropped.length > 0) {
      notes.push(`test: ${mockable.dropped.join(', ')} left out of terraform test (no block the test runs reads them; `
        + 'Terraform 1.11 cannot mock ephemeral resources)');
    }
    if (ok && mockable.untestable.length > 0) {
      notes.push(`NOT TESTED: ${mockable.untestable.join(', ')} feed(s) remaining blocks and Terraform 1.11 cannot mock ephemeral `
        + 'resources (hashicorp/terraform#38608); init and validate passed');
    } else if (ok) {
      fs.writeFileSync(path.join(dir, 'cdk.tf.json'), JSON.stringify(mockable.stack, undefined, 2));
      const t = Date.now();
      const result = runTests(terraform, dir, env);
      steps.push(`test (plan + apply) ${((Date.now() - t) / 1000).toFixed(1)} s`);
      if (result.errors.length > 0) {
        console.error(`\n-- ${name}: terraform test failed (runs: ${result.runs.join(', ')}):\n\n${result.errors.join('\n\n')}`);
        ok = false;
      } else {
        outputs.set(name, result.outputs);
        if (result.keptByPreventDestroy > 0) {
          notes.push(`teardown: ${result.keptByPreventDestroy} resource(s) with prevent_destroy kept in the mocked state (Terraform refused to destroy them, as it must)`);
        }
      }
    }
    console.log(`${ok ? 'ok    ' : 'FAILED'} ${name}: ${rewritten.applied.length} rewrite(s); ${steps.join(', ')}; ${((Date.now() - stackStarted) / 1000).toFixed(1)} s`);
    notes.forEach(n => console.log(`       note: ${n}`));
    if (skipped.length > 0) {
      const sources = unmirrored.map(l => providerAddress(rewritten.stack.terraform?.required_providers?.[l]?.source ?? l).replace('registry.terraform.io/', ''));
      const line = `${name}: ${skipped.length} block(s) not validated, no ${sources.join(' / ')} provider in ${MIRROR}: ${skipped.join(', ')}`;
      notValidated.push(line);
      console.log(`       NOT VALIDATED ${line.slice(name.length + 2)}`);
    }
    if (!ok) { failed.push(name); }
  }

  const unused = rewrites.remove.map(e => `${e.block === 'data' ? 'data.' : ''}${e.type}.${e.attribute}`).filter(e => !used.has(e));
  if (unused.length > 0) { console.log(`note: rewrite entries no stack needed (remove them when paved stops writing them): ${unused.join(', ')}`); }
  if (notValidated.length > 0) {
    console.log(`\nNot validated (no provider binary to load their schemas):\n  ${notValidated.join('\n  ')}`);
  }
  console.log(`\n${failed.length === 0 ? 'terraform: every stack passed' : `terraform: ${failed.length} stack(s) failed: ${failed.join(', ')}`}`
    + ` (init, validate, test with a mocked AWS provider) in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  return failed.length === 0 ? 0 : 1;
}

function findTerraform(): string {
  const which = spawnSync('which', ['terraform'], { encoding: 'utf8' });
  const terraform = which.status === 0 ? which.stdout.trim() : '';
  if (!terraform) {
    throw new Failure(`no terraform on PATH: this step needs Terraform >= ${MIN_TERRAFORM.join('.')} (mock providers); the CI image ships 1.11 at /usr/local/bin/terraform`);
  }
  const version = terraformVersion(terraform);
  if (version[0] < MIN_TERRAFORM[0] || (version[0] === MIN_TERRAFORM[0] && version[1] < MIN_TERRAFORM[1])) {
    throw new Failure(`${terraform} is Terraform ${version.join('.')}; this step needs >= ${MIN_TERRAFORM.join('.')} (mock providers in terraform test)`);
  }
  return terraform;
}

function terraformVersion(terraform: string): number[] {
  const result = spawnSync(terraform, ['version', '-json'], { encoding: 'utf8', env: { ...process.env, TF_CLI_CONFIG_FILE: '/dev/null' } });
  const version = /^(\d+)\.(\d+)\.(\d+)/.exec(JSON.parse(result.stdout || '{}').terraform_version ?? '');
  if (!version) { throw new Failure(`${terraform} version -json did not give a version: ${result.stderr || result.stdout}`); }
  return version.slice(1).map(Number);
}

/** The providers of the filesystem mirror (`registry.terraform.io/hashicorp/aws`) that have a linux_amd64 build. */
function mirroredProviders(): Set<string> {
  if (!fs.existsSync(MIRROR)) { throw new Failure(`no provider mirror at ${MIRROR} (set PAVED_TF_PLUGINS): Terraform cannot download providers here`); }
  const found = new Set<string>();
  for (const host of fs.readdirSync(MIRROR)) {
    for (const ns of safeReaddir(path.join(MIRROR, host))) {
      for (const type of safeReaddir(path.join(MIRROR, host, ns))) {
        if (safeReaddir(path.join(MIRROR, host, ns, type)).some(v => fs.existsSync(path.join(MIRROR, host, ns, type, v, 'linux_amd64')))) {
          found.add(`${host}/${ns}/${type}`);
        }
      }
    }
  }
  return found;
}

function safeReaddir(dir: string): string[] {
  try { return fs.readdirSync(dir); } catch { return []; }
}

/** The mirror's AWS provider schema, from a scratch configuration that only requires it. */
function providerSchema(terraform: string, env: NodeJS.ProcessEnv, rewrites: Rewrites): ProviderSchema {
  const dir = path.join(SCRATCH, '.schema');
  fs.mkdirSync(dir);
  const [, ns, type] = providerAddress(rewrites.provider.source).split('/');
  fs.writeFileSync(path.join(dir, 'main.tf.json'), JSON.stringify({
    terraform: { required_providers: { aws: { source: `${ns}/${type}`, version: rewrites.provider.to } } },
  }));
  const init = spawnSync(terraform, ['init', '-input=false', '-no-color'], { cwd: dir, env, encoding: 'utf8' });
  if (init.status !== 0) { throw new Failure(`terraform init of ${rewrites.provider.source} ${rewrites.provider.to} from ${MIRROR} failed:\n${init.stdout}${init.stderr}`); }
  const file = path.join(dir, 'schema.json');
  const fd = fs.openSync(file, 'w');
  const result = spawnSync(terraform, ['providers', 'schema', '-json'], { cwd: dir, env, stdio: ['ignore', fd, 'pipe'], encoding: 'utf8' });
  fs.closeSync(fd);
  if (result.status !== 0) { throw new Failure(`terraform providers schema failed:\n${result.stderr}`); }
  const schemas = JSON.parse(fs.readFileSync(file, 'utf8')).provider_schemas;
  return schemas[providerAddress(rewrites.provider.source)];
}

/**
 * `terraform test -json -verbose`: the errors (as Terraform prints them), the
 * runs and their status, and the outputs of the apply run (for the stacks that
 * read this one's state).
 */
function runTests(terraform: string, dir: string, env: NodeJS.ProcessEnv): {
  errors: string[]; runs: string[]; outputs: { [name: string]: unknown }; keptByPreventDestroy: number;
} {
  const file = path.join(dir, 'test.jsonl');
  const fd = fs.openSync(file, 'w');
  const result = spawnSync(terraform, ['test', '-json', '-verbose', '-no-color'], { cwd: dir, env, stdio: ['ignore', fd, 'pipe'], encoding: 'utf8' });
  fs.closeSync(fd);
  const errors: string[] = [];
  const runs: string[] = [];
  let outputs: { [name: string]: unknown } = {};
  let teardown = false;
  let keptByPreventDestroy = 0;
  for (const line of fs.readFileSync(file, 'utf8').split('\n')) {
    if (!line.trim()) { continue; }
    let message: any;
    try { message = JSON.parse(line); } catch { errors.push(line); continue; }
    if (message.test_file?.progress === 'teardown' || message.test_run?.progress === 'teardown') { teardown = true; }
    if (message.type === 'diagnostic' && message.diagnostic?.severity === 'error') {
      // Tearing down the mocked apply, Terraform refuses to destroy what has
      // lifecycle.prevent_destroy (PROD's stateful resources): that is the setting working.
      if (teardown && message.diagnostic.summary === 'Instance cannot be destroyed') {
        keptByPreventDestroy++;
        continue;
      }
      // Teardown repeats the apply run's errors: each once.
      const text = renderDiagnostic(message.diagnostic);
      if (!errors.includes(text)) { errors.push(text); }
    }
    if (message.type === 'test_run' && message.test_run?.progress === 'complete') { runs.push(`${message.test_run.run} ${message.test_run.status}`); }
    if (message.type === 'test_state' && message['@testrun'] === 'apply') {
      outputs = Object.fromEntries(Object.entries<any>(message.test_state?.outputs ?? {}).map(([k, v]) => [k, v.value]));
    }
  }
  if (runs.length !== 2 || runs.some(r => !r.endsWith(' pass'))) {
    if (errors.length === 0) { errors.push(`terraform test exited ${result.status}; runs: ${runs.join(', ') || 'none'}\n${result.stderr}`); }
  } else if (result.status !== 0 && errors.length === 0 && keptByPreventDestroy === 0) {
    errors.push(`terraform test exited ${result.status}:\n${result.stderr}`);
  }
  return { errors, runs, outputs, keptByPreventDestroy };
}

process.exitCode = main();
