#!/usr/bin/env node
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { parseArgs } from 'util';
import { DIFF_HELP, diff } from './diff';
import { loadPlatform, loadSizes } from './platform-file';
import { WorkloadGroup, workloadGroups } from './workload-files';
import { Environment } from '../core/environment';
import { ErrorKind, Errors, PavedError } from '../core/errors';
import { inspectOutputFolder } from '../core/output-folder';
import { Size } from '../core/size';
import { sizeCosts } from '../portal/cost-model';
import { Portal } from '../portal/portal';
import { PriceTable } from '../portal/price-table';
import { ProvisionersFile } from '../score/provisioners-file';
import { ScoreLoadResult, loadScoreWorkloads } from '../score/score-loader';
import type { Workload } from '../workload/workload';

/** Success. */
export const EXIT_OK = 0;
/** Invalid input: Score files, the platform file or the constructs they make (every problem is printed). */
export const EXIT_INVALID = 1;
/** Wrong usage: unknown command or option, missing argument. */
export const EXIT_USAGE = 2;
/** The output folder is not a folder: a file is at its path or on the way to it. */
export const EXIT_OUTPUT_NOT_A_FOLDER = 3;
/** The output folder cannot be written: permissions, read-only file system, full disk. */
export const EXIT_OUTPUT_NOT_WRITABLE = 4;
/** Writing the output folder would be unsafe (inside a stack folder, a link on the way, a file paved did not write in the way). */
export const EXIT_OUTPUT_UNSAFE = 5;
/** Another paved run is writing the output folder. */
export const EXIT_BUSY = 6;
/** A bug: an error paved did not expect. */
export const EXIT_INTERNAL = 70;

const EXIT_CODES: { [kind: string]: number } = {
  [ErrorKind.INVALID_INPUT]: EXIT_INVALID,
  [ErrorKind.OUTPUT_NOT_A_FOLDER]: EXIT_OUTPUT_NOT_A_FOLDER,
  [ErrorKind.OUTPUT_NOT_WRITABLE]: EXIT_OUTPUT_NOT_WRITABLE,
  [ErrorKind.OUTPUT_UNSAFE]: EXIT_OUTPUT_UNSAFE,
  [ErrorKind.OUTPUT_BUSY]: EXIT_BUSY,
};

/** Where the command writes; the tests capture it. */
export interface Output {
  out(line: string): void;
  err(line: string): void;
}

/** Region of the built-in platform (DEFAULT_PLATFORM), priced by `paved sizes` without --config. */
const DEFAULT_REGION = 'eu-central-1';

/** More workloads than this and each one gets a progress line. */
const PROGRESS_THRESHOLD = 5;

const EXIT_CODE_HELP = `Exit codes:
  0   success
  1   invalid input: Score files, platform file or the constructs they make (every problem is printed)
  2   wrong usage: unknown command or option, missing argument
  3   the output folder is not a folder (a file is at its path or on the way)
  4   the output folder cannot be written (permissions, read-only file system, full disk)
  5   writing the output folder would be unsafe: it is inside a Terraform stack folder or a
      cdktf output folder, a folder in it is a symbolic link, or a file paved would write
      exists and was not written by paved
  6   busy: another paved run is writing the output folder; retry when it is done
  70  internal error: a bug in paved; PAVED_DEBUG=1 prints the stack trace; please report it
Output already in the folder is left as it was for every code but 0.`;

const USAGE = `Usage: paved <command> [options]

Commands:
  synth    Synthesize Score workloads into Terraform JSON and Kubernetes YAML
  check    Validate Score workloads against the platform; write nothing
  sizes    Print the size catalogue of the platform
  diff     Compare two outputs before deploying: fails when a stateful resource
           would be destroyed or replaced (exit 1); see "paved diff --help"

Run "paved <command> --help" for the options of a command.

${EXIT_CODE_HELP}`;

const WORKLOAD_OPTIONS = `  -w, --workloads <dir>        Score files of every environment and tenant:
                               <dir>/<env>/<tenant>/**/score.yaml and *.score.yaml
  -f, --file <score.yaml>      Score file of the --env and --tenant given (repeatable); with a
                               platform of several environments only for "check"
      --tenant <name>          Tenant (and namespace) of the -f files
      --env <name>             Environment of the -f files (required when the platform has several);
                               with --workloads, the environment to report on (synth) or check
      --config <file>          Platform definition: .json, or a .js/.ts module exporting
                               (platform, { outdir }) => void (default: one DEV environment "dev")
      --image <key>=<ref>      Image of a container; <key> is <container>, <workload>.<container>,
                               or either after <env>/ for one environment (repeatable);
                               required for Score's "image: ."
      --provisioners <file>    Provisioners file (YAML or JSON) declaring resource types of the
                               platform besides its built-in ones (repeatable)`;

const HELP: { [command: string]: string } = {
  synth: `Usage: paved synth (-w <dir> | -f <score.yaml> [-f ...] --tenant <name>) [--env <name>] [--config <file>] [--out <dir>] [--image <key>=<ref> ...] [--provisioners <file> ...]

Declares the workloads of the Score files in the platform and writes the
outputs of Platform.synth() to the output folder: cdktf.out/ (Terraform
JSON), k8s/ (Kubernetes YAML) and report.md. Every environment of the
platform is written in each run, so the Score files of every environment
come in one run: --workloads. The output does not depend on the order of
the files.

paved replaces and deletes only the files it wrote (listed in
.paved/owned.json): Terraform state, .terraform/, lock files and your own
files in the folder stay. A second run into the same folder fails (exit 6)
while one is writing. Nothing is written when any input is invalid.

Options:
${WORKLOAD_OPTIONS}
  -o, --out <dir>              Output folder (default: out; under the cdktf CLI, the parent of
                               its output folder)
      --format <text|json>     Output format (default: text); json prints one object on stdout:
                               { command, outdir, stacks, manifests, files, workloads, resources,
                               warnings }, or { command, error, exitCode } on failure
  -h, --help                   Show this help

${EXIT_CODE_HELP}`,
  check: `Usage: paved check (-w <dir> | -f <score.yaml> [-f ...] --tenant <name>) [--env <name>] [--config <file>] [--image <key>=<ref> ...] [--provisioners <file> ...]

Validates the Score files and the constructs they make, as synth does, and
prints every problem. Writes nothing.

Options:
${WORKLOAD_OPTIONS}
      --format <text|json>     Output format (default: text); json prints one object on stdout:
                               { command, valid, workloads, resources, warnings, problems }, or
                               { command, error, exitCode } on a failure before validation
  -h, --help                   Show this help

${EXIT_CODE_HELP}`,
  sizes: `Usage: paved sizes [--config <file>]

Prints the sizes (t-shirt sizes) of the platform: what a workload and its
resources get for each, and an estimate of what each costs a month in each
region of the platform (on-demand list prices of the platform's Portal
price table, else paved's; a region without prices fails).

Options:
      --config <file>          Platform definition (default: the built-in sizes S, M, L, XL in eu-central-1)
      --format <text|json>     Output format (default: text); json prints { source, sizes, classes, costs }
  -h, --help                   Show this help`,
  diff: DIFF_HELP,
};

const OPTIONS = {
  workloads: { type: 'string', short: 'w' },
  file: { type: 'string', short: 'f', multiple: true },
  tenant: { type: 'string' },
  env: { type: 'string' },
  config: { type: 'string' },
  out: { type: 'string', short: 'o' },
  image: { type: 'string', multiple: true },
  format: { type: 'string' },
  provisioners: { type: 'string', multiple: true },
  help: { type: 'boolean', short: 'h' },
  version: { type: 'boolean' },
} as const;

const ALLOWED: { [command: string]: string[] } = {
  synth: ['workloads', 'file', 'tenant', 'env', 'config', 'out', 'image', 'provisioners', 'format', 'help'],
  check: ['workloads', 'file', 'tenant', 'env', 'config', 'image', 'provisioners', 'format', 'help'],
  sizes: ['config', 'format', 'help'],
};

class UsageError extends Error {}

/**
 * Runs the `paved` command with `argv` (without node and the script) and
 * returns its exit code. Never throws: an error paved did not expect is
 * printed as one line (with its stack trace when PAVED_DEBUG is set) and
 * returns {@link EXIT_INTERNAL}.
 */
export function main(argv: string[], output: Output = consoleOutput()): number {
  const json = wantsJson(argv);
  const code = runCatching(argv, output);
  if (json && code !== EXIT_OK && lastError !== undefined) {
    output.out(JSON.stringify({ command: argv[0], error: lastError, exitCode: code }, undefined, 2));
  }
  lastError = undefined;
  return code;
}

/** The first error line of a failed run, for `--format json`. */
let lastError: string | undefined;

/** Whether `--format json` was asked for (before the arguments are parsed, so usage errors are JSON too). */
function wantsJson(argv: string[]): boolean {
  return argv[0] !== 'diff' && argv.some((a, i) => a === '--format=json' || (a === '--format' && argv[i + 1] === 'json'));
}

function runCatching(argv: string[], output: Output): number {
  const recording: Output = { out: line => output.out(line), err: line => { lastError ??= line.replace(/^paved: /, ''); output.err(line); } };
  return runSafely(argv, recording);
}

function runSafely(argv: string[], output: Output): number {
  try {
    return run(argv, output);
  } catch (e: any) {
    if (e instanceof UsageError) {
      output.err(`paved: ${e.message}`);
      output.err('Run "paved --help" for usage.');
      return EXIT_USAGE;
    }
    const kind = Errors.kindOf(e);
    if (kind !== undefined) {
      output.err(`paved: ${e.message}`);
      return EXIT_CODES[kind] ?? EXIT_INVALID;
    }
    const message = `${e?.message ?? e}`.split('\n')[0];
    output.err(`paved: internal error: ${e?.name && e.name !== 'Error' ? `${e.name}: ` : ''}${message} `
      + '(a bug in paved, not in your input: please report it with the command you ran; PAVED_DEBUG=1 prints the stack trace)');
    if (process.env.PAVED_DEBUG) { output.err(`${e?.stack ?? e}`); }
    return EXIT_INTERNAL;
  }
}

function run(argv: string[], output: Output): number {
  // `paved diff` has options and exit codes of its own (0 safe, 1 unsafe, 2 usage).
  if (argv[0] === 'diff') { return diff(argv.slice(1), output); }
  let parsed: ReturnType<typeof parse>;
  try {
    parsed = parse(argv);
  } catch (e: any) {
    if (typeof e?.code === 'string' && e.code.startsWith('ERR_PARSE_ARGS')) { throw new UsageError(e.message); }
    throw e;
  }
  const { values, positionals } = parsed;
  const [command, ...extra] = positionals;
  if (values.version) {
    output.out(version());
    return EXIT_OK;
  }
  if (command === undefined || command === 'help') {
    const topic = extra[0];
    if (topic !== undefined && HELP[topic]) {
      output.out(HELP[topic]);
      return EXIT_OK;
    }
    (values.help || command === 'help' ? output.out : output.err)(USAGE);
    return values.help || command === 'help' ? EXIT_OK : EXIT_USAGE;
  }
  if (!HELP[command]) { throw new UsageError(`unknown command "${command}"; expected synth, check, sizes or diff`); }
  if (values.help) {
    output.out(HELP[command]);
    return EXIT_OK;
  }
  if (extra.length > 0) { throw new UsageError(`unexpected argument "${extra[0]}" (Score files are passed with -f or --workloads)`); }
  for (const option of Object.keys(values)) {
    if (!ALLOWED[command].includes(option)) { throw new UsageError(`option --${option} does not apply to "paved ${command}"`); }
  }
  const format = values.format ?? 'text';
  if (format !== 'text' && format !== 'json') { throw new UsageError(`--format: got "${format}"; expected text or json`); }
  const json = format === 'json';
  if (command === 'sizes') { return sizes(values.config, output, json); }

  const files = values.file ?? [];
  if (values.workloads !== undefined && files.length > 0) {
    throw new UsageError(`"paved ${command}" takes Score files either from a folder (--workloads) or one by one (-f), not both`);
  }
  if (values.workloads === undefined && files.length === 0) {
    throw new UsageError(`"paved ${command}" needs Score files: --workloads <dir> (<dir>/<env>/<tenant>/**/score.yaml) or -f <score.yaml> --tenant <name>`);
  }
  if (files.length > 0 && !values.tenant) { throw new UsageError(`"paved ${command}" needs --tenant <name> for the -f files`); }
  if (values.workloads !== undefined && values.tenant !== undefined) {
    throw new UsageError('--tenant applies to -f files; with --workloads, the tenant is the folder: <dir>/<env>/<tenant>/');
  }
  const images: { [key: string]: string } = {};
  for (const image of values.image ?? []) {
    const eq = image.indexOf('=');
    if (eq <= 0 || eq === image.length - 1) { throw new UsageError(`--image "${image}": expected <key>=<image reference>`); }
    images[image.slice(0, eq)] = image.slice(eq + 1);
  }
  return workloads(command as 'synth' | 'check', {
    dir: values.workloads,
    files,
    tenant: values.tenant,
    env: values.env,
    config: values.config,
    // check writes nothing, but a platform module is built with the folder a synth would use.
    out: outputFolder(values.out),
    images,
    json,
    provisioners: values.provisioners ?? [],
  }, output);
}

function parse(argv: string[]) {
  return parseArgs({ args: argv, options: OPTIONS, allowPositionals: true, strict: true });
}

/**
 * The output folder: `--out` (default `out`), or under the cdktf CLI the
 * folder that holds its output folder (CDKTF_OUTDIR), as Platform decides.
 */
function outputFolder(out: string | undefined): string {
  const fromCdktf = process.env.CDKTF_OUTDIR;
  if (!fromCdktf) { return out ?? 'out'; }
  const parent = path.dirname(path.resolve(fromCdktf));
  if (out !== undefined && path.resolve(out) !== parent) {
    throw new UsageError(`--out "${out}": under the cdktf CLI the outputs go beside its output folder ${fromCdktf} (CDKTF_OUTDIR), into ${parent}; leave --out out`);
  }
  return parent;
}

interface WorkloadOptions {
  readonly dir?: string;
  readonly files: string[];
  readonly tenant?: string;
  readonly env?: string;
  readonly config?: string;
  readonly out: string;
  readonly images: { [key: string]: string };
  /** Print one JSON object instead of text. */
  readonly json?: boolean;
  /** Provisioners files, loaded after the platform's own. */
  readonly provisioners: string[];
}

/** The workloads of one group, declared. */
interface LoadedGroup {
  readonly group: WorkloadGroup;
  readonly loaded: ScoreLoadResult;
}

function workloads(command: 'synth' | 'check', options: WorkloadOptions, output: Output): number {
  const started = Date.now();
  // A folder that cannot be written, or another run writing it, is reported before the platform is built.
  if (command === 'synth') { inspectOutputFolder(options.out); }
  const { platform, classes, source, environments: defined } = loadPlatform(options.config, options.out);
  options.provisioners.forEach(file => ProvisionersFile.load(platform, file));
  const environments = platform.terraform.node.children.filter((c): c is Environment => c instanceof Environment);
  const names = environments.map(e => e.name);
  if (options.env !== undefined && !names.includes(options.env)) {
    output.err(`paved: --env: got "${options.env}"; expected an environment of ${source}: ${defined.join(', ') || 'none'}`);
    return EXIT_INVALID;
  }

  let groups: WorkloadGroup[];
  if (options.dir !== undefined) {
    groups = workloadGroups(options.dir, names);
    // check --env checks one environment; synth writes every environment and only reports on --env.
    if (command === 'check' && options.env !== undefined) { groups = groups.filter(g => g.env === options.env); }
  } else {
    let env = options.env;
    if (env === undefined) {
      if (environments.length !== 1) {
        throw new UsageError(`${source} has ${environments.length} environments (${names.join(', ')}); choose one with --env <name>`);
      }
      env = names[0];
    }
    if (command === 'synth' && environments.length > 1) {
      throw new UsageError(`${source} has ${environments.length} environments (${names.join(', ')}), and synth writes all of them: `
        + 'a synth with the Score files of one would delete the workloads of the others. Pass the Score files of every environment: '
        + '--workloads <dir> (<dir>/<env>/<tenant>/**/score.yaml)');
    }
    const files = [...options.files].sort((a, b) => (path.resolve(a) < path.resolve(b) ? -1 : path.resolve(a) > path.resolve(b) ? 1 : 0));
    groups = [{ env, tenant: options.tenant!, files }];
  }

  const total = groups.reduce((n, g) => n + g.files.length, 0);
  const many = total > PROGRESS_THRESHOLD;
  // With --format json, stdout holds the one JSON object: progress goes to stderr.
  const progress = options.json ? { out: output.err, err: output.err } : output;
  const loaded = declare(groups, environments, options.images, classes, many ? progress : undefined);
  checkImageKeys(options.images, loaded);
  const scope = options.env !== undefined ? loaded.filter(l => l.group.env === options.env) : loaded;
  const workloadCount = scope.reduce((n, l) => n + l.loaded.workloads.length, 0);
  const fileCount = scope.reduce((n, l) => n + l.group.files.length, 0);
  const where = describeScope(scope.map(l => l.group));

  if (command === 'check') {
    const errors = platform.validate();
    if (options.json) {
      platform.warnings.forEach(w => output.err(`paved: warning: ${w}`));
      output.out(JSON.stringify({
        command: 'check', valid: errors.length === 0, scope: where, platform: source, ...workloadJson(scope), warnings: platform.warnings, problems: errors,
      }, undefined, 2));
      return errors.length === 0 ? EXIT_OK : EXIT_INVALID;
    }
    if (errors.length > 0) {
      output.err(`paved: ${errors.length} problem(s); nothing would be written:\n  ${errors.join('\n  ')}`);
      return EXIT_INVALID;
    }
    platform.warnings.forEach(w => output.err(`paved: warning: ${w}`));
    output.out(`paved: ${workloadCount} workload(s) from ${fileCount} Score file(s) are valid for ${where}`);
    output.out(describeWorkloads(scope));
    output.out(`  platform:   ${source}`);
    return EXIT_OK;
  }

  if (many) { progress.out('paved: synthesizing'); }
  const result = platform.synth();
  result.warnings.forEach(w => output.err(`paved: warning: ${w}`));
  const folder = path.relative(process.cwd(), result.outdir) || '.';
  const stacks = options.env === undefined ? result.stacks : result.stacks.filter(s => s === options.env || s.startsWith(`${options.env}-`));
  const manifests = options.env === undefined ? result.manifests : result.manifests.filter(m => m.startsWith(`k8s/${options.env}/`));
  if (!options.json) {
    output.out(`paved: synthesized ${workloadCount} workload(s) from ${fileCount} Score file(s) into ${folder}/ `
    + `for ${where} in ${((Date.now() - started) / 1000).toFixed(1)} s`);
    output.out(describeWorkloads(scope));
    output.out(`  terraform:  ${result.stacks.length} stack(s), ${result.terraformResources} resources`
    + (options.env !== undefined ? ` (all ${environments.length} environments written)` : ''));
    output.out(`  kubernetes: ${result.manifests.length} manifest(s), ${result.kubernetesObjects} objects`);
    output.out('  checks:     passed (every construct of both trees validated; nothing invalid was written)');
    output.out(`  files:      ${result.files.length} in ${folder}/: ${result.changedFiles.length} written, `
    + `${result.files.length - result.changedFiles.length} unchanged, ${result.removedFiles.length} removed`);
  }
  if (options.json) {
    const changed = new Set(result.changedFiles);
    output.out(JSON.stringify({
      command: 'synth',
      outdir: result.outdir,
      scope: where,
      platform: source,
      stacks,
      manifests,
      report: result.report,
      ...workloadJson(scope),
      files: {
        written: result.files.filter(f => changed.has(f)),
        unchanged: result.files.filter(f => !changed.has(f)),
        removed: result.removedFiles,
      },
      terraformResources: result.terraformResources,
      kubernetesObjects: result.kubernetesObjects,
      warnings: result.warnings,
    }, undefined, 2));
    return EXIT_OK;
  }
  const shown = [
    ...stacks.map(s => `${result.terraformFolder}/stacks/${s}/cdk.tf.json`),
    ...manifests,
    result.report,
  ];
  shown.forEach(file => output.out(`    ${folder}/${file}${result.changedFiles.includes(file) ? '' : ' (unchanged)'}`));
  result.removedFiles.forEach(file => output.out(`    ${folder}/${file} (removed: no longer written)`));
  output.out(`  platform:   ${source}`);
  return EXIT_OK;
}

/**
 * Declares every group's workloads; the problems of all groups are reported
 * in one error. Image overrides go to every group, those qualified with an
 * environment (`dev/orders.main`) to that environment's groups only.
 */
function declare(groups: WorkloadGroup[], environments: Environment[], images: { [key: string]: string },
  classes: { [name: string]: Size }, progress?: Output): LoadedGroup[] {
  const loaded: LoadedGroup[] = [];
  const problems: Error[] = [];
  for (const group of groups) {
    const env = environments.find(e => e.name === group.env)!;
    if (progress) { progress.out(`paved: declaring ${group.files.length} workloads in ${group.env} (tenant ${group.tenant})`); }
    try {
      const result = loadScoreWorkloads(env, { files: group.files, tenant: group.tenant, images: imagesFor(images, group.env), classes }, {
        ignoreUnknownImages: true,
        progress: progress ? (name, index, total) => progress.out(`  [${index}/${total}] ${name}`) : undefined,
      });
      loaded.push({ group, loaded: result });
    } catch (e) {
      if (!Errors.isPavedError(e)) { throw e; }
      problems.push(e as Error);
    }
  }
  if (problems.length === 1) { throw problems[0]; }
  if (problems.length > 1) {
    throw new PavedError('workloads', 'score', `problems in ${problems.length} groups of Score files:\n${problems.map(e => e.message).join('\n')}`);
  }
  return loaded;
}

/** The overrides that apply in `env`: unqualified ones, and `<env>/...` ones (which win). */
function imagesFor(images: { [key: string]: string }, env: string): { [key: string]: string } {
  const result: { [key: string]: string } = {};
  for (const [key, image] of Object.entries(images)) {
    if (!key.includes('/')) { result[key] = image; }
  }
  for (const [key, image] of Object.entries(images)) {
    if (key.startsWith(`${env}/`)) { result[key.slice(env.length + 1)] = image; }
  }
  return result;
}

/** Every --image key names a container of the Score files (of its environment, when qualified). */
function checkImageKeys(images: { [key: string]: string }, loaded: LoadedGroup[]): void {
  const problems: string[] = [];
  const containers = loaded.flatMap(l => l.loaded.containers.map(c => ({ env: l.group.env, workload: c.split('.')[0], container: c.split('.')[1] })));
  for (const key of Object.keys(images)) {
    const slash = key.indexOf('/');
    const env = slash >= 0 ? key.slice(0, slash) : undefined;
    const [first, second] = key.slice(slash + 1).split('.', 2);
    const known = containers.some(c => (env === undefined || c.env === env)
      && (second === undefined ? c.container === first : c.workload === first && c.container === second));
    if (!known) {
      problems.push(`--image ${key}: got ${JSON.stringify(key)}; expected a container of the Score files, as <container>, `
        + `<workload>.<container> or <env>/<workload>.<container>: ${containers.map(c => `${c.env}/${c.workload}.${c.container}`).join(', ') || 'none'}`);
    }
  }
  if (problems.length > 0) { throw new PavedError('images', 'image', `${problems.length} problem(s):\n  ${problems.join('\n  ')}`); }
}

/** `dev (tenant shop)` for one group, else the environments/tenants. */
function describeScope(groups: WorkloadGroup[]): string {
  if (groups.length === 1) { return `${groups[0].env} (tenant ${groups[0].tenant})`; }
  return groups.map(g => `${g.env}/${g.tenant}`).join(', ') || 'no workloads';
}

function describeWorkloads(groups: LoadedGroup[]): string {
  const prefix = (g: WorkloadGroup) => (groups.length > 1 ? `${g.env}/${g.tenant}/` : '');
  const workloadNames = groups.flatMap(({ group, loaded }) => loaded.workloads.map((w: Workload) => `${prefix(group)}${w.name}`));
  const resources = groups.flatMap(({ group, loaded }) => loaded.resources.map(r =>
    `${prefix(group)}${r.workload}/${r.name} (${r.type}${r.id ? `, shared id ${r.id}` : ''})`));
  return [
    `  workloads:  ${workloadNames.join(', ')}`,
    `  resources:  ${resources.length > 0 ? resources.join(', ') : 'none'}`,
  ].join('\n');
}

/** The workloads and resources of the groups, as `--format json` lists them. */
function workloadJson(groups: LoadedGroup[]): { workloads: any[]; resources: any[] } {
  return {
    workloads: groups.flatMap(({ group, loaded }) => loaded.workloads
      .map((w: Workload) => ({ environment: group.env, tenant: group.tenant, name: w.name }))),
    resources: groups.flatMap(({ group, loaded }) => loaded.resources.map(r => ({
      environment: group.env, tenant: group.tenant, workload: r.workload, name: r.name, type: r.type, ...(r.id ? { id: r.id } : {}),
    }))),
  };
}

function sizes(config: string | undefined, output: Output, json: boolean = false): number {
  const { sizes: catalogue, classes, source } = loadSizes(config, path.join(os.tmpdir(), 'paved-sizes'));
  // The regions of the platform's environments, priced with its Portal's table (else paved's).
  const loaded = config === undefined ? undefined : loadPlatform(config, path.join(os.tmpdir(), 'paved-sizes'));
  const environments = loaded ? loaded.platform.terraform.node.children.filter((c): c is Environment => c instanceof Environment) : [];
  const regions = loaded ? [...new Set(environments.map(e => e.region))] : [DEFAULT_REGION];
  const prices = (loaded && Portal.of(loaded.platform)?.prices) || PriceTable.awsOnDemand();
  const costs = regions.flatMap(region => sizeCosts(catalogue.all, prices, region));
  if (json) {
    output.out(JSON.stringify({
      source,
      sizes: catalogue.all.map((size: Size) => ({
        name: size.name, app: size.app, database: size.database, cache: size.cache, nodeGroup: size.nodeGroup,
      })),
      classes: Object.fromEntries(Object.entries(classes).map(([name, size]) => [name, size.name])),
      costs,
      estimate: 'USD a month at on-demand list prices; see "paved sizes --help"',
    }, undefined, 2));
    return EXIT_OK;
  }
  const header = ['size', 'replicas', 'autoscaling', 'cpu (request/limit)', 'memory (request/limit)', 'database', 'storage GiB', 'cache', 'nodes'];
  const rows = catalogue.all.map((size: Size) => [
    size.name,
    String(size.app.replicas),
    `${size.app.minReplicas}-${size.app.maxReplicas} at ${size.app.targetCpuUtilization}% cpu`,
    `${size.app.cpuRequestMillis}m / ${size.app.cpuLimitMillis}m`,
    `${size.app.memoryRequestMiB}Mi / ${size.app.memoryLimitMiB}Mi`,
    size.database.instanceClass,
    `${size.database.storageGiB}-${size.database.maxStorageGiB}`,
    `${size.cache.nodeType} +${size.cache.replicas}`,
    `${size.nodeGroup.instanceTypes[0]} ${size.nodeGroup.minSize}-${size.nodeGroup.maxSize}`,
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map(r => r[i].length)));
  const line = (cells: string[]) => cells.map((c, i) => c.padEnd(widths[i])).join('  ').trimEnd();
  output.out(`Sizes of ${source}:`);
  output.out(line(header));
  output.out(line(widths.map(w => '-'.repeat(w))));
  rows.forEach(r => output.out(line(r)));
  const classNames = Object.entries(classes);
  if (classNames.length > 0) {
    output.out(`Classes: ${classNames.map(([name, size]) => `${name} -> ${size.name}`).join(', ')}`);
  }
  const costHeader = ['size', 'region', 'database', 'database multi-AZ', 'cache', 'node group', 'workload'];
  const costRows = costs.map(c => [c.size, c.region, ...[c.databaseMonthlyUsd, c.databaseMultiAzMonthlyUsd, c.cacheMonthlyUsd, c.nodeGroupMonthlyUsd,
    c.workloadMonthlyUsd].map(v => `$${v.toFixed(2)}`)]);
  const costWidths = costHeader.map((h, i) => Math.max(h.length, ...costRows.map(r => r[i].length)));
  const costLine = (cells: string[]) => cells.map((c, i) => (i < 2 ? c.padEnd(costWidths[i]) : c.padStart(costWidths[i]))).join('  ').trimEnd();
  output.out('');
  output.out('Estimated monthly cost (USD, on-demand list prices x 730 h; a PostgreSQL database with its storage at creation, a Valkey cache with');
  output.out('its replicas, a node group at its desired nodes, a workload\'s share of the node type at its minimum replicas;');
  output.out('data transfer, requests, storage growth and logs are left out):');
  output.out(costLine(costHeader));
  output.out(costLine(costWidths.map(w => '-'.repeat(w))));
  costRows.forEach(r => output.out(costLine(r)));
  return EXIT_OK;
}

function version(): string {
  // build/cli/main.js and lib/cli/main.ts both sit two levels below the package root.
  const pkg = JSON.parse(fs.readFileSync(path.join(__dirname, '..', '..', 'package.json'), 'utf8'));
  return `paved ${pkg.version}`;
}

function consoleOutput(): Output {
  return {
    out: line => process.stdout.write(`${line}\n`),
    err: line => process.stderr.write(`${line}\n`),
  };
}

if (require.main === module) {
  process.exitCode = main(process.argv.slice(2));
}
