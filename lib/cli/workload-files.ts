import * as fs from 'fs';
import * as path from 'path';
import { PavedError } from '../core/errors';

/** Score files of one environment and tenant, in a fixed order. */
export interface WorkloadGroup {
  readonly env: string;
  readonly tenant: string;
  /** Paths as found or given, sorted by their absolute path, so the output does not depend on their order. */
  readonly files: string[];
}

/** How deep below a tenant folder Score files are looked for (`<tenant>/<team>/<workload>/score.yaml`). */
const MAX_DEPTH = 4;
const SCORE_FILE = /^(score|.+\.score)\.ya?ml$/;

/**
 * The Score files of a workloads folder, one group per environment and
 * tenant: `<dir>/<env>/<tenant>/**\/score.yaml` or `*.score.yaml` (folders
 * up to 4 levels below the tenant, so each workload can keep its `files`
 * sources in a folder of its own). Other files are ignored (they may be
 * sources); hidden entries and linked folders are skipped.
 *
 * Fails listing every problem: a folder that is not an environment of the
 * platform, a Score file outside a tenant folder (it would be ignored
 * otherwise), no Score file at all (a synth would delete every workload).
 */
export function workloadGroups(dir: string, environments: string[]): WorkloadGroup[] {
  let stat: fs.Stats;
  try {
    stat = fs.statSync(dir);
  } catch {
    throw new PavedError(dir, 'workloads', 'the folder does not exist');
  }
  if (!stat.isDirectory()) { throw new PavedError(dir, 'workloads', 'is a file; expected a folder <env>/<tenant>/**/score.yaml'); }

  const problems: string[] = [];
  const groups: WorkloadGroup[] = [];
  for (const env of entries(dir)) {
    const envPath = path.join(dir, env.name);
    if (!env.isDirectory()) {
      if (SCORE_FILE.test(env.name)) { problems.push(`${envPath}: a Score file belongs in <env>/<tenant>/, not at the top of the folder`); }
      continue;
    }
    if (!environments.includes(env.name)) {
      problems.push(`${envPath}: got folder "${env.name}"; expected an environment of the platform: ${environments.join(', ')}`);
      continue;
    }
    for (const tenant of entries(envPath)) {
      const tenantPath = path.join(envPath, tenant.name);
      if (!tenant.isDirectory()) {
        if (SCORE_FILE.test(tenant.name)) { problems.push(`${tenantPath}: a Score file belongs in ${env.name}/<tenant>/, not directly in ${env.name}/`); }
        continue;
      }
      const files = scoreFiles(tenantPath, 1);
      if (files.length > 0) {
        groups.push({ env: env.name, tenant: tenant.name, files: files.sort((a, b) => compare(path.resolve(a), path.resolve(b))) });
      }
    }
  }
  if (problems.length === 0 && groups.length === 0) {
    problems.push(`${dir}: no Score files (expected <env>/<tenant>/**/score.yaml or *.score.yaml; a synth without workloads would delete every workload's manifests)`);
  }
  if (problems.length > 0) {
    throw new PavedError(dir, 'workloads', `${problems.length} problem(s) in the workloads folder:\n  ${problems.join('\n  ')}`);
  }
  return groups;
}

/** Score files below `dir`, depth-first. */
function scoreFiles(dir: string, depth: number): string[] {
  const found: string[] = [];
  for (const entry of entries(dir)) {
    const child = path.join(dir, entry.name);
    if (entry.isDirectory()) {
      if (depth < MAX_DEPTH) { found.push(...scoreFiles(child, depth + 1)); }
    } else if (SCORE_FILE.test(entry.name) && (entry.isFile() || isFile(child))) {
      found.push(child);
    }
  }
  return found;
}

/** Entries of a folder, sorted, without hidden ones; linked folders are not followed. */
function entries(dir: string): fs.Dirent[] {
  return fs.readdirSync(dir, { withFileTypes: true })
    .filter(e => !e.name.startsWith('.'))
    .sort((a, b) => compare(a.name, b.name));
}

/** A linked Score file counts (one file shared by two environments). */
function isFile(file: string): boolean {
  try {
    return fs.statSync(file).isFile();
  } catch {
    return false;
  }
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
