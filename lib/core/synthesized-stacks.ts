import * as fs from 'fs';
import * as path from 'path';
import { PavedError, show } from './errors';

/** One synthesized Terraform stack, as the upgrade guard reads it. @internal */
export interface SynthesizedStack {
  readonly name: string;
  /** The stack's folder (its Terraform working directory). */
  readonly dir: string;
  /** Managed resources by address (`type.name`): their configuration. */
  readonly resources: Map<string, any>;
  /** `moved` blocks: from -> to. */
  readonly moved: Map<string, string>;
  /** Addresses of `removed` blocks that keep the real resource (`lifecycle.destroy = false`). */
  readonly forgotten: Set<string>;
  /** Output name -> value expression. */
  readonly outputs: Map<string, unknown>;
  /** Names of `terraform_remote_state` data sources -> the stack they read, when it is in the same out folder. */
  readonly remoteStates: Map<string, string | undefined>;
  /** The backend block (`{ s3: {...} }`), for matching remote state data sources. */
  readonly backend: unknown;
}

/** A cdktf output folder: its manifest and every stack in it. @internal */
export interface SynthesizedOut {
  /** The folder holding manifest.json. */
  readonly cdktfOut: string;
  readonly stacks: Map<string, SynthesizedStack>;
}

/**
 * Reads a cdktf output folder: `dir` is the folder `paved synth` /
 * `Platform.synth()` wrote (holding `cdktf.out/`) or the `cdktf.out` folder itself.
 *
 * @param dir the folder
 * @param property what the folder is, for errors (`oldOut`)
 * @internal
 */
export function readSynthesizedOut(dir: string, property: string): SynthesizedOut {
  const expected = 'a folder written by paved synth, Platform.synth() or cdktf synth (holding cdktf.out/manifest.json)';
  let stat: fs.Stats;
  try {
    stat = fs.statSync(dir);
  } catch {
    throw new PavedError(dir, property, `no such folder; expected ${expected}`);
  }
  if (!stat.isDirectory()) { throw new PavedError(dir, property, `is a file, not a folder; expected ${expected}`); }
  const cdktfOut = [path.join(dir, 'cdktf.out'), dir].find(d => fs.existsSync(path.join(d, 'manifest.json')));
  if (!cdktfOut) { throw new PavedError(dir, property, `has no manifest.json or cdktf.out/manifest.json; expected ${expected}`); }
  const manifestFile = path.join(cdktfOut, 'manifest.json');
  const manifest = readJson(manifestFile, property);
  if (typeof manifest?.stacks !== 'object' || manifest.stacks === null || Array.isArray(manifest.stacks)) {
    throw new PavedError(manifestFile, property, 'has no "stacks" object; expected the manifest.json cdktf writes');
  }

  const raw = new Map<string, { dir: string; body: any }>();
  for (const [name, entry] of Object.entries<any>(manifest.stacks)) {
    const file = typeof entry?.synthesizedStackPath === 'string' ? entry.synthesizedStackPath : `stacks/${name}/cdk.tf.json`;
    const stackFile = path.join(cdktfOut, file);
    if (!fs.existsSync(stackFile)) {
      throw new PavedError(manifestFile, `stacks.${name}.synthesizedStackPath`, `got ${show(file)}, which does not exist; expected the stack's cdk.tf.json`);
    }
    raw.set(name, { dir: path.dirname(stackFile), body: readJson(stackFile, property) });
  }

  const stacks = new Map<string, SynthesizedStack>();
  for (const [name, { dir: stackDir, body }] of raw) {
    stacks.set(name, parseStack(name, stackDir, body, raw));
  }
  return { cdktfOut, stacks };
}

function readJson(file: string, property: string): any {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (e: any) {
    throw new PavedError(file, property, `cannot be read (${e.code ?? e.message})`);
  }
  try {
    return JSON.parse(text);
  } catch (e: any) {
    throw new PavedError(file, property, `is not valid JSON (${e.message})`);
  }
}

function parseStack(name: string, dir: string, body: any, all: Map<string, { body: any }>): SynthesizedStack {
  const resources = new Map<string, any>();
  for (const [type, byName] of Object.entries<any>(body.resource ?? {})) {
    for (const [resourceName, config] of Object.entries<any>(byName ?? {})) {
      resources.set(`${type}.${resourceName}`, config);
    }
  }
  const moved = new Map<string, string>();
  for (const block of asList(body.moved)) {
    if (typeof block?.from === 'string' && typeof block?.to === 'string') { moved.set(block.from, block.to); }
  }
  const forgotten = new Set<string>();
  for (const block of asList(body.removed)) {
    const lifecycle = asList(block?.lifecycle)[0];
    if (typeof block?.from === 'string' && lifecycle?.destroy === false) { forgotten.add(block.from); }
  }
  const outputs = new Map<string, unknown>();
  for (const [outputName, output] of Object.entries<any>(body.output ?? {})) { outputs.set(outputName, output?.value); }

  const remoteStates = new Map<string, string | undefined>();
  for (const [dataName, config] of Object.entries<any>(body.data?.terraform_remote_state ?? {})) {
    remoteStates.set(dataName, producerOf(dataName, config, all));
  }
  return { name, dir, resources, moved, forgotten, outputs, remoteStates, backend: body.terraform?.backend };
}

/**
 * The stack a `terraform_remote_state` data source reads: cdktf names the data
 * source of a cross-stack reference `cross-stack-reference-input-<stack>`;
 * otherwise the one stack whose backend has the same type and settings
 * (undefined when none or several match).
 *
 * @param dataName the data source's name
 * @param config its configuration (`backend`, `config`)
 * @param stacks every stack of the output by name, parsed
 * @internal
 */
export function producerOf(dataName: string, config: any, stacks: Map<string, { body: any }>): string | undefined {
  const byName = /^cross-stack-reference-input-(.+)$/.exec(dataName)?.[1];
  if (byName !== undefined && stacks.has(byName)) { return byName; }
  const settings = config?.config ?? {};
  const matches = [...stacks].filter(([, { body }]) => {
    const candidate = body.terraform?.backend?.[config?.backend];
    return candidate && Object.entries<any>(candidate).every(([k, v]) => JSON.stringify(settings[k]) === JSON.stringify(v));
  });
  return matches.length === 1 ? matches[0][0] : undefined;
}

function asList(x: unknown): any[] {
  if (x === undefined || x === null) { return []; }
  return Array.isArray(x) ? x : [x];
}
