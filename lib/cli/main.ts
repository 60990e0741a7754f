#!/usr/bin/env node
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { parseArgs } from 'util';
import { loadPlatform, loadSizes } from './platform-file';
import { Environment } from '../core/environment';
import { Errors } from '../core/errors';
import { Size } from '../core/size';
import { ScoreLoadResult, loadScoreWorkloads } from '../score/score-loader';

/** Exit codes: success, invalid input (every problem printed), wrong usage. */
export const EXIT_OK = 0;
export const EXIT_INVALID = 1;
export const EXIT_USAGE = 2;

/** Where the command writes; the tests capture it. */
export interface Output {
  out(line: string): void;
  err(line: string): void;
}

/** More workloads than this and each one gets a progress line. */
const PROGRESS_THRESHOLD = 5;

const USAGE = `Usage: paved <command> [options]

Commands:
  synth    Synthesize Score workloads into Terraform JSON and Kubernetes YAML
  check    Validate Score workloads against the platform; write nothing
  sizes    Print the size catalogue of the platform

Run "paved <command> --help" for the options of a command.
Exit codes: 0 success, 1 invalid input (every problem is printed), 2 wrong usage.`;

const WORKLOAD_OPTIONS = `  -f, --file <score.yaml>      Score file (score.dev/v1b1); repeat for several workloads (required)
      --tenant <name>          Tenant (and namespace) of the workloads (required)
      --env <name>             Environment of the platform (required when it has several)
      --config <file>          Platform definition: .json, or a .js/.ts module exporting
                               (platform, { outdir }) => void (default: one DEV environment "dev")
      --image <container>=<ref>
                               Image of a container, by <container> or <workload>.<container>;
                               required for Score's "image: ." (repeatable)`;

const HELP: { [command: string]: string } = {
  synth: `Usage: paved synth -f <score.yaml> [-f ...] --tenant <name> [--env <name>] [--config <file>] [--out <dir>] [--image <container>=<ref> ...]

Reads the Score files, declares their workloads in the environment and writes
the outputs of Platform.synth() to the output folder: cdktf.out/ (Terraform
JSON), k8s/ (Kubernetes YAML) and report.md. Nothing is written when any
input is invalid.

Options:
${WORKLOAD_OPTIONS}
  -o, --out <dir>              Output folder (default: out)
  -h, --help                   Show this help`,
  check: `Usage: paved check -f <score.yaml> [-f ...] --tenant <name> [--env <name>] [--config <file>] [--image <container>=<ref> ...]

Validates the Score files and the constructs they make, as synth does, and
prints every problem. Writes nothing.

Options:
${WORKLOAD_OPTIONS}
  -h, --help                   Show this help`,
  sizes: `Usage: paved sizes [--config <file>]

Prints the sizes (t-shirt sizes) of the platform: what a workload and its
resources get for each.

Options:
      --config <file>          Platform definition (default: the built-in sizes S, M, L, XL)
  -h, --help                   Show this help`,
};

const OPTIONS = {
  file: { type: 'string', short: 'f', multiple: true },
  tenant: { type: 'string' },
  env: { type: 'string' },
  config: { type: 'string' },
  out: { type: 'string', short: 'o' },
  image: { type: 'string', multiple: true },
  help: { type: 'boolean', short: 'h' },
  version: { type: 'boolean' },
} as const;

const ALLOWED: { [command: string]: string[] } = {
  synth: ['file', 'tenant', 'env', 'config', 'out', 'image', 'help'],
  check: ['file', 'tenant', 'env', 'config', 'image', 'help'],
  sizes: ['config', 'help'],
};

class UsageError extends Error {}

/**
 * Runs the `paved` command with `argv` (without node and the script) and
 * returns its exit code.
 */
export function main(argv: string[], output: Output = consoleOutput()): number {
  try {
    return run(argv, output);
  } catch (e: any) {
    if (e instanceof UsageError) {
      output.err(`paved: ${e.message}`);
      output.err('Run "paved --help" for usage.');
      return EXIT_USAGE;
    }
    if (Errors.isPavedError(e)) {
      output.err(`paved: ${e.message}`);
      return EXIT_INVALID;
    }
    throw e;
  }
}

function run(argv: string[], output: Output): number {
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
  if (!HELP[command]) { throw new UsageError(`unknown command "${command}"; expected synth, check or sizes`); }
  if (values.help) {
    output.out(HELP[command]);
    return EXIT_OK;
  }
  if (extra.length > 0) { throw new UsageError(`unexpected argument "${extra[0]}" (Score files are passed with -f)`); }
  for (const option of Object.keys(values)) {
    if (!ALLOWED[command].includes(option)) { throw new UsageError(`option --${option} does not apply to "paved ${command}"`); }
  }
  if (command === 'sizes') { return sizes(values.config, output); }

  if (!values.file || values.file.length === 0) { throw new UsageError(`"paved ${command}" needs at least one Score file: -f <score.yaml>`); }
  if (!values.tenant) { throw new UsageError(`"paved ${command}" needs --tenant <name>`); }
  const images: { [container: string]: string } = {};
  for (const image of values.image ?? []) {
    const eq = image.indexOf('=');
    if (eq <= 0 || eq === image.length - 1) { throw new UsageError(`--image "${image}": expected <container>=<image reference>`); }
    images[image.slice(0, eq)] = image.slice(eq + 1);
  }
  return workloads(command as 'synth' | 'check', {
    files: values.file,
    tenant: values.tenant,
    env: values.env,
    config: values.config,
    out: values.out ?? 'out',
    images,
  }, output);
}

function parse(argv: string[]) {
  return parseArgs({ args: argv, options: OPTIONS, allowPositionals: true, strict: true });
}

interface WorkloadOptions {
  readonly files: string[];
  readonly tenant: string;
  readonly env?: string;
  readonly config?: string;
  readonly out: string;
  readonly images: { [container: string]: string };
}

function workloads(command: 'synth' | 'check', options: WorkloadOptions, output: Output): number {
  const started = Date.now();
  const { platform, classes, source, environments: defined } = loadPlatform(options.config, options.out, options.env);
  const environments = platform.terraform.node.children.filter((c): c is Environment => c instanceof Environment);
  let env: Environment | undefined;
  if (options.env !== undefined) {
    env = environments.find(e => e.name === options.env);
    if (!env) {
      output.err(`paved: --env: got "${options.env}"; expected an environment of ${source}: ${defined.join(', ') || 'none'}`);
      return EXIT_INVALID;
    }
  } else if (environments.length === 1) {
    env = environments[0];
  } else {
    throw new UsageError(`${source} has ${environments.length} environments (${environments.map(e => e.name).join(', ')}); choose one with --env <name>`);
  }

  const many = options.files.length > PROGRESS_THRESHOLD;
  if (many) { output.out(`paved: declaring ${options.files.length} workloads in ${env.name} (tenant ${options.tenant})`); }
  const loaded = loadScoreWorkloads(env, { files: options.files, tenant: options.tenant, images: options.images, classes },
    many ? (name, index, total) => output.out(`  [${index}/${total}] ${name}`) : undefined);

  if (command === 'check') {
    const errors = platform.validate();
    if (errors.length > 0) {
      output.err(`paved: ${errors.length} problem(s); nothing would be written:\n  ${errors.join('\n  ')}`);
      return EXIT_INVALID;
    }
    output.out(`paved: ${loaded.workloads.length} workload(s) from ${options.files.length} Score file(s) are valid for ${env.name} (tenant ${options.tenant})`);
    output.out(describeWorkloads(loaded));
    output.out(`  platform:   ${source}`);
    return EXIT_OK;
  }

  if (many) { output.out('paved: synthesizing'); }
  const result = platform.synth();
  const where = path.relative(process.cwd(), result.outdir) || '.';
  const written = [
    ...result.stacks.map(s => `${where}/cdktf.out/stacks/${s}/cdk.tf.json`),
    ...result.manifests.map(m => `${where}/${m}`),
    `${where}/${result.report}`,
  ];
  output.out(`paved: synthesized ${loaded.workloads.length} workload(s) from ${options.files.length} Score file(s) into ${where}/ `
    + `for ${env.name} (tenant ${options.tenant}) in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  output.out(describeWorkloads(loaded));
  output.out(`  terraform:  ${result.stacks.length} stack(s), ${result.terraformResources} resources`);
  output.out(`  kubernetes: ${result.manifests.length} manifest(s), ${result.kubernetesObjects} objects`);
  output.out('  checks:     passed (every construct of both trees validated; nothing invalid was written)');
  output.out(`  files:      ${written.length} written`);
  written.forEach(file => output.out(`    ${file}`));
  output.out(`  platform:   ${source}`);
  return EXIT_OK;
}

function describeWorkloads(loaded: ScoreLoadResult): string {
  const resources = loaded.resources.map(r => `${r.workload}/${r.name} (${r.type}${r.id ? `, shared id ${r.id}` : ''})`);
  return [
    `  workloads:  ${loaded.workloads.map(w => w.name).join(', ')}`,
    `  resources:  ${resources.length > 0 ? resources.join(', ') : 'none'}`,
  ].join('\n');
}

function sizes(config: string | undefined, output: Output): number {
  const { sizes: catalogue, classes, source } = loadSizes(config, path.join(os.tmpdir(), 'paved-sizes'));
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
