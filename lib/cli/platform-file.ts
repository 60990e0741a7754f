import * as fs from 'fs';
import * as path from 'path';
import { Cluster } from '../aws/cluster';
import { Dns } from '../aws/dns';
import { Network } from '../aws/network';
import { NetworkPolicyEnforcement } from '../aws/network-policy-enforcement';
import { Environment } from '../core/environment';
import { Errors, PavedError, show } from '../core/errors';
import { Platform } from '../core/platform';
import { Profile } from '../core/profile';
import { AppSize, CacheSize, DatabaseSize, NodeGroupSize, Size, SizeCatalogue } from '../core/size';
import { TerraformState } from '../core/terraform-state';
import { ProvisionersFile } from '../score/provisioners-file';

/** A platform ready for workloads, and the classes its Score resources may name. */
export interface LoadedPlatform {
  readonly platform: Platform;
  /** Resource classes besides the size names. */
  readonly classes: { [className: string]: Size };
  /** Where the definition came from, for the summary. */
  readonly source: string;
  /** Every environment the definition declares. */
  readonly environments: string[];
}

/**
 * The platform the command runs without `--config`: one DEV environment
 * `dev` (account 000000000000, eu-central-1, local state) with a new
 * network and cluster. Enough to try Score files and see what paved makes;
 * real pipelines pass their platform file.
 */
export const DEFAULT_PLATFORM = {
  environments: [{
    name: 'dev',
    account: '000000000000',
    region: 'eu-central-1',
    profile: 'dev',
    cidr: '10.0.0.0/16',
    state: 'local',
  }],
};

const TOP_KEYS = ['environments', 'sizes', 'classes', 'provisioners'];
const ENV_KEYS = ['name', 'account', 'region', 'profile', 'cidr', 'network', 'cluster', 'dns', 'state', 'tags'];
const SIZE_KEYS = ['name', 'extends', 'database', 'cache', 'nodeGroup', 'app'];
const PROFILES: { [name: string]: Profile } = { dev: Profile.DEV, staging: Profile.STAGING, prod: Profile.PROD };

/**
 * Builds the platform a command runs on, writing to `outdir`:
 *
 * - a `.json` file declaring `environments` (name, account, region,
 *   profile, and `cidr` for a new network or `network` attributes of an
 *   existing VPC, `cluster` attributes of an existing EKS cluster or none
 *   for a new one (with `networkPolicyEnforcement` `"vpc-cni"`,
 *   `{ "acknowledged": "Calico" }` or `{ "notEnforced": "<reason>" }`
 *   for a cluster workloads run on), `dns` with `zoneName` and optionally `zoneId` of an
 *   existing zone, `state` `"s3"` (default), `"local"` or `{ "s3": {...} }`,
 *   `tags`), `sizes` added to S, M, L and XL (`{ "name", "extends", "app",
 *   ... }`), `classes` (class name -> size name) and `provisioners` (the
 *   path of a provisioners file, or a list of them, relative to the JSON
 *   file: see {@link ProvisionersFile});
 * - a `.js` or `.ts` module whose default export (or `platform` export) is
 *   a function `(platform, { outdir }) => void | Platform` that declares the
 *   environments on the platform it gets (or returns its own, made with the
 *   same `outdir`); an optional `classes` export maps class names to sizes;
 *   it loads its provisioners files itself (`ProvisionersFile.load`);
 * - nothing: {@link DEFAULT_PLATFORM}.
 *
 * Every environment is declared: a synth writes all of them, so that no
 * run drops what another environment holds.
 *
 * Fails with a {@link PavedError} listing every problem of a JSON file.
 */
export function loadPlatform(file: string | undefined, outdir: string): LoadedPlatform {
  if (file === undefined) {
    return { ...fromDefinition(DEFAULT_PLATFORM, outdir, 'built-in platform'), source: 'built-in platform (one DEV environment "dev")' };
  }
  const resolved = path.resolve(file);
  if (!fs.existsSync(resolved)) {
    throw new PavedError(file, 'config', 'the platform file does not exist');
  }
  if (/\.json$/i.test(resolved)) {
    let definition: unknown;
    try {
      definition = JSON.parse(fs.readFileSync(resolved, 'utf8'));
    } catch (e: any) {
      throw new PavedError(file, 'config', `is not valid JSON: ${e.message}`);
    }
    return { ...fromDefinition(definition, outdir, file, path.dirname(file)), source: file };
  }
  if (/\.(c|m)?(js|ts)$/i.test(resolved)) {
    return { ...fromModule(resolved, outdir, file), source: file };
  }
  throw new PavedError(file, 'config', 'a platform file ending in .json, .js or .ts');
}

/** The sizes and classes of a platform definition, without declaring its environments (for `paved sizes`). */
export function loadSizes(file: string | undefined, outdir: string):
{ sizes: SizeCatalogue; classes: { [className: string]: Size }; source: string } {
  if (file === undefined) {
    return { sizes: SizeCatalogue.defaults(), classes: {}, source: 'the built-in platform' };
  }
  if (/\.json$/i.test(file) && fs.existsSync(file)) {
    let definition: unknown;
    try {
      definition = JSON.parse(fs.readFileSync(file, 'utf8'));
    } catch (e: any) {
      throw new PavedError(file, 'config', `is not valid JSON: ${e.message}`);
    }
    const { sizes, classes } = definitionSizes(definition, file);
    return { sizes, classes, source: file };
  }
  const loaded = loadPlatform(file, outdir);
  return { sizes: loaded.platform.sizes, classes: loaded.classes, source: loaded.source };
}

function fromModule(resolved: string, outdir: string, file: string): Omit<LoadedPlatform, 'source'> {
  if (/\.ts$/i.test(resolved)) {
    let tsNode: string;
    try {
      // The project that holds the platform file provides ts-node; paved does not depend on it.
      tsNode = require.resolve('ts-node', { paths: [path.dirname(resolved), process.cwd()] });
    } catch {
      throw new PavedError(file, 'config',
        'a TypeScript platform file needs ts-node in its project: install it (npm install --save-dev ts-node) or compile the file to JavaScript');
    }
    // Registering is idempotent; type checking is the project's own build's job.
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    require(tsNode).register({ transpileOnly: true });
  }
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const exported = runModule(file, () => require(resolved));
  const define = typeof exported === 'function' ? exported
    : typeof exported?.default === 'function' ? exported.default
      : exported?.platform;
  if (typeof define !== 'function') {
    throw new PavedError(file, 'config',
      'a module exporting a function (default export, module.exports or `platform`) that declares environments on the platform it gets');
  }
  const given = new Platform({ outdir });
  const returned = runModule(file, () => define(given, { outdir }));
  const platform: Platform = returned === undefined ? given : returned;
  if (!isPlatform(platform)) {
    throw new PavedError(file, 'config', `the function returned ${show(typeof returned)}; expected nothing or a paved Platform`);
  }
  if (path.resolve(platform.outdir) !== path.resolve(outdir)) {
    throw new PavedError(file, 'config',
      `the returned platform writes to ${platform.outdir}; expected ${path.resolve(outdir)} (create it with the outdir passed in: (platform, { outdir }) => ...)`);
  }
  const classes: { [name: string]: Size } = {};
  for (const [name, value] of Object.entries(exported?.classes ?? {})) {
    const size = typeof value === 'string' ? platform.sizes.all.find(s => s.name === value) : value as Size;
    if (!size || typeof size.name !== 'string' || typeof size.app !== 'object') {
      throw new PavedError(file, `classes.${name}`, `got ${show(value)}; expected a Size or the name of one of the platform's sizes (${platform.sizes.names.join(', ')})`);
    }
    classes[name] = size;
  }
  const environments = platform.terraform.node.children.filter(c => c instanceof Environment).map(c => (c as Environment).name);
  return { platform, classes, environments };
}

/**
 * Runs the platform module's code: paved's own errors (invalid constructs)
 * pass through; any other error is the module's, reported as invalid input
 * with its first line (PAVED_DEBUG=1 adds the stack trace).
 */
function runModule<T>(file: string, run: () => T): T {
  try {
    return run();
  } catch (e: any) {
    if (Errors.isPavedError(e)) { throw e; }
    const debug = process.env.PAVED_DEBUG ? `\n${e?.stack ?? e}` : ' (PAVED_DEBUG=1 prints the stack trace)';
    throw new PavedError(file, 'config', `the platform module failed: ${`${e?.message ?? e}`.split('\n')[0]}${debug}`);
  }
}

/** Duck-typed, so a module that loaded another copy of paved is still accepted. */
function isPlatform(x: any): x is Platform {
  return x !== null && typeof x === 'object' && typeof x.synth === 'function' && typeof x.validate === 'function'
    && typeof x.outdir === 'string' && x.sizes !== undefined;
}

/** A platform from a JSON definition; every problem of the definition is listed in one error. */
function fromDefinition(definition: any, outdir: string, file: string, dir: string = '.'): Omit<LoadedPlatform, 'source'> {
  const { sizes, classes, problems, problem } = definitionSizes(definition, file, false);
  const provisioners: unknown[] = definition.provisioners === undefined ? []
    : Array.isArray(definition.provisioners) ? definition.provisioners : [definition.provisioners];
  if (definition.provisioners !== undefined && (provisioners.length === 0 || provisioners.some(p => typeof p !== 'string' || p.length === 0))) {
    problem('provisioners', definition.provisioners, 'the path of a provisioners file, or a list of them (relative to the platform file)');
  }
  const environments: any[] = Array.isArray(definition.environments) ? definition.environments : [];
  if (!Array.isArray(definition.environments) || environments.length === 0) {
    problem('environments', definition.environments, 'a list of at least one environment: { "name", "account", "region", ... }');
  }
  environments.forEach((env, i) => checkEnvironment(`environments[${i}]`, env, problem));
  const names = environments.map(e => e?.name);
  names.forEach((name, i) => {
    if (names.indexOf(name) !== i) { problem(`environments[${i}].name`, name, 'a name no other environment has'); }
  });
  throwIfAny(file, problems);

  const platform = new Platform({ outdir, sizes });
  environments.forEach((spec, i) => {
    try {
      declareEnvironment(platform, spec);
    } catch (e: any) {
      if (!(e instanceof PavedError)) { throw e; }
      problems.push(`environments[${i}] (${spec.name}): ${e.message}`);
    }
  });
  throwIfAny(file, problems);
  // Each file's problems come in one error of its own, with its file and lines.
  provisioners.forEach(p => ProvisionersFile.load(platform, path.isAbsolute(p as string) ? p as string : path.join(dir, p as string)));
  return { platform, classes, environments: names };
}

/** The sizes and classes of a JSON definition; with `check`, fails on any problem found so far. */
function definitionSizes(definition: any, file: string, check: boolean = true) {
  const problems: string[] = [];
  const problem: Problem = Object.assign(
    (at: string, value: unknown, allowed: string) => { problems.push(`${at}: got ${show(value)}; expected ${allowed}`); },
    { raw: (line: string) => { problems.push(line); } });
  if (!isObject(definition)) {
    throw new PavedError(file, 'config', `got ${show(definition)}; expected an object with environments, and optionally sizes and classes`);
  }
  unknownKeys(problem, '', definition, TOP_KEYS);

  const sizes = SizeCatalogue.defaults();
  if (definition.sizes !== undefined) {
    if (!Array.isArray(definition.sizes)) {
      problem('sizes', definition.sizes, 'a list of sizes: { "name", "extends"?, "database"?, "cache"?, "nodeGroup"?, "app"? }');
    } else {
      definition.sizes.forEach((spec: any, i: number) => {
        const size = sizeOf(`sizes[${i}]`, spec, sizes, problem);
        if (size) { sizes.add(size); }
      });
    }
  }

  const classes: { [name: string]: Size } = {};
  if (definition.classes !== undefined) {
    if (!isObject(definition.classes)) {
      problem('classes', definition.classes, 'an object mapping class names to size names');
    } else {
      for (const [name, sizeName] of Object.entries(definition.classes)) {
        const size = sizes.all.find(s => s.name === sizeName);
        if (!size) {
          problem(`classes.${name}`, sizeName, `the name of a size: ${sizes.names.join(', ')}`);
        } else {
          classes[name] = size;
        }
      }
    }
  }
  if (check) { throwIfAny(file, problems); }
  return { sizes, classes, problems, problem };
}

function throwIfAny(file: string, problems: string[]): void {
  if (problems.length > 0) {
    throw new PavedError(file, 'config', `${problems.length} problem(s) in the platform definition:\n  ${problems.join('\n  ')}`);
  }
}

type Problem = ((at: string, value: unknown, allowed: string) => void) & { raw: (line: string) => void };

function checkEnvironment(at: string, env: any, problem: Problem): void {
  if (!isObject(env)) {
    problem(at, env, 'an environment: { "name", "account", "region", "profile"?, "cidr" or "network", "cluster"?, "dns"?, "state"?, "tags"? }');
    return;
  }
  unknownKeys(problem, at, env, ENV_KEYS);
  for (const key of ['name', 'account', 'region']) {
    if (typeof env[key] !== 'string') { problem(`${at}.${key}`, env[key], 'a string'); }
  }
  if (env.profile !== undefined && !(env.profile in PROFILES)) {
    problem(`${at}.profile`, env.profile, '"dev", "staging" or "prod"');
  }
  if ((env.cidr === undefined) === (env.network === undefined)) {
    problem(`${at}.cidr`, env.cidr, 'either "cidr" (a new network, e.g. "10.20.0.0/16") or "network" (attributes of an existing VPC), not both');
  }
  if (env.cidr !== undefined && typeof env.cidr !== 'string') { problem(`${at}.cidr`, env.cidr, 'a CIDR block such as "10.20.0.0/16"'); }
  if (env.network !== undefined && !isObject(env.network)) {
    problem(`${at}.network`, env.network, '{ "vpcId", "vpcCidr", "availabilityZones", "privateSubnetIds", "isolatedSubnetIds", "publicSubnetIds"? }');
  }
  if (env.cluster !== undefined && !isObject(env.cluster)) {
    problem(`${at}.cluster`, env.cluster,
      '{ "clusterName", "nodeSecurityGroupId", "clusterArn"?, "networkPolicyEnforcement"? } of an existing cluster (leave it out for a new one)');
  }
  if (isObject(env.cluster) && env.cluster.networkPolicyEnforcement !== undefined && !isEnforcement(env.cluster.networkPolicyEnforcement)) {
    problem(`${at}.cluster.networkPolicyEnforcement`, env.cluster.networkPolicyEnforcement,
      '"vpc-cni", { "acknowledged": "<enforcer, e.g. Calico>" } or { "notEnforced": "<reason>" }');
  }
  if (env.dns !== undefined && (!isObject(env.dns) || typeof env.dns.zoneName !== 'string')) {
    problem(`${at}.dns`, env.dns, '{ "zoneName", "zoneId"? }: a new zone, or an existing one with its id');
  }
  const state = env.state;
  if (state !== undefined && state !== 's3' && state !== 'local' && !(isObject(state) && isObject(state.s3) && Object.keys(state).length === 1)) {
    problem(`${at}.state`, state, '"s3", "local" or { "s3": { "bucket"?, "region"?, "kmsKeyId"?, "keyPrefix"? } }');
  }
  if (env.tags !== undefined && (!isObject(env.tags) || Object.values(env.tags).some(v => typeof v !== 'string'))) {
    problem(`${at}.tags`, env.tags, 'an object of string tags');
  }
}

function declareEnvironment(platform: Platform, spec: any): void {
  const state = spec.state === 'local' ? TerraformState.local()
    : isObject(spec.state) ? TerraformState.s3(spec.state.s3) : TerraformState.s3();
  const env = new Environment(platform, spec.name, {
    account: spec.account,
    region: spec.region,
    profile: spec.profile !== undefined ? PROFILES[spec.profile] : undefined,
    state,
    tags: spec.tags,
  });
  if (spec.cidr !== undefined) {
    new Network(env, 'Network', { cidr: spec.cidr });
  } else {
    Network.fromAttributes(env, 'Network', spec.network);
  }
  if (spec.cluster !== undefined) {
    Cluster.fromAttributes(env, 'Cluster', { ...spec.cluster, networkPolicyEnforcement: enforcementOf(spec.cluster.networkPolicyEnforcement) });
  } else {
    new Cluster(env, 'Cluster');
  }
  if (spec.dns !== undefined) {
    if (spec.dns.zoneId !== undefined) {
      Dns.fromZoneAttributes(env, 'Dns', { zoneId: spec.dns.zoneId, zoneName: spec.dns.zoneName });
    } else {
      new Dns(env, 'Dns', { zoneName: spec.dns.zoneName });
    }
  }
}

function sizeOf(at: string, spec: any, catalogue: SizeCatalogue, problem: Problem): Size | undefined {
  if (!isObject(spec) || typeof spec.name !== 'string') {
    problem(at, spec, 'a size: { "name", "extends"?, "database"?, "cache"?, "nodeGroup"?, "app"? }');
    return undefined;
  }
  unknownKeys(problem, at, spec, SIZE_KEYS);
  try {
    if (spec.extends !== undefined) {
      const base = catalogue.all.find(s => s.name === spec.extends);
      if (!base) {
        problem(`${at}.extends`, spec.extends, `a size defined before it: ${catalogue.names.join(', ')}`);
        return undefined;
      }
      // Each capability given is merged over the base's, so a size can change one value.
      return base.extend(spec.name, {
        database: spec.database ? { ...base.database, ...spec.database } as DatabaseSize : undefined,
        cache: spec.cache ? { ...base.cache, ...spec.cache } as CacheSize : undefined,
        nodeGroup: spec.nodeGroup ? { ...base.nodeGroup, ...spec.nodeGroup } as NodeGroupSize : undefined,
        app: spec.app ? { ...base.app, ...spec.app } as AppSize : undefined,
      });
    }
    for (const key of ['database', 'cache', 'nodeGroup', 'app']) {
      if (!isObject(spec[key])) {
        problem(`${at}.${key}`, spec[key], `the ${key} capacity (every capability is needed without "extends")`);
        return undefined;
      }
    }
    return Size.custom(spec.name, { database: spec.database, cache: spec.cache, nodeGroup: spec.nodeGroup, app: spec.app });
  } catch (e: any) {
    if (!(e instanceof PavedError)) { throw e; }
    // The size's own validation names the field (`app.cpuLimitMillis: got ...`).
    problem.raw(`${at}: ${e.message.slice(e.constructPath.length + 2)}`);
    return undefined;
  }
}

/** `"vpc-cni"`, `{ "acknowledged": "..." }` or `{ "notEnforced": "..." }`. */
function isEnforcement(value: any): boolean {
  if (value === 'vpc-cni') { return true; }
  if (!isObject(value) || Object.keys(value).length !== 1) { return false; }
  const [key, text] = Object.entries(value)[0];
  return (key === 'acknowledged' || key === 'notEnforced') && typeof text === 'string';
}

function enforcementOf(value: any): NetworkPolicyEnforcement | undefined {
  if (value === undefined) { return undefined; }
  if (value === 'vpc-cni') { return NetworkPolicyEnforcement.vpcCni(); }
  return value.acknowledged !== undefined
    ? NetworkPolicyEnforcement.acknowledged(value.acknowledged)
    : NetworkPolicyEnforcement.notEnforced(value.notEnforced);
}

function unknownKeys(problem: Problem, at: string, value: any, allowed: string[]): void {
  for (const key of Object.keys(value)) {
    if (!allowed.includes(key)) { problem(at ? `${at}.${key}` : key, key, `one of ${allowed.join(', ')}`); }
  }
}

function isObject(value: unknown): value is { [key: string]: any } {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}
