import * as fs from 'fs';
import * as path from 'path';
import { Errors } from './errors';
import {
  BOOKKEEPING, JOURNAL_FILE, OWNED_FILE, OutputFolderLock, STAGING_PREFIX,
  commitStaging, createStaging, fileSystemError, isRefusal, lockOutputFolder, prepareOutputFolder, removeLeftovers, removeStaging, unsafe,
  writable, writeAtomically,
} from './output-folder';

/**
 * The steps of a publish, in order. A test hook is called after each one
 * (after `installed` and `removed` once per file), so a test can stop the
 * publish at any point, by an exception or by killing the process.
 * @internal
 */
export type PublishStep = 'locked' | 'staged' | 'built' | 'planned' | 'journaled' | 'installed' | 'removed' | 'owned' | 'committed';

/** @internal */
export interface PublishOptions {
  /**
   * For an output folder without an ownership list (written by a paved
   * version that kept none): whether a file at a path paved writes now was
   * written by that version, so it may be replaced.
   */
  readonly adoptable?: (file: string, absolute: string) => boolean;
  /** Test hook, called after each step. */
  readonly onStep?: (step: PublishStep, file?: string) => void;
}

/** What a publish did; paths relative to the output folder. @internal */
export interface PublishResult {
  /** The real path of the output folder. */
  readonly outdir: string;
  /** Every file of the new output. */
  readonly files: string[];
  /** Files that were new or changed, and were moved into place. */
  readonly changed: string[];
  /** Files paved wrote before and no longer writes, deleted. */
  readonly removed: string[];
  /** Seconds spent publishing: locking, comparing, moving and deleting files (not building them). */
  readonly seconds: number;
}

/** The ownership list, `<outdir>/.paved/owned.json`. */
interface Owned {
  readonly paved: 1;
  readonly files: string[];
}

/** What a run committed to, `<outdir>/.paved/journal.json`: the next run completes it if this one dies. */
interface Journal {
  readonly staging: string;
  readonly install: string[];
  readonly remove: string[];
  readonly owned: string[];
}

/**
 * What Terraform keeps in a folder: state, providers and their lock. Never
 * replaced or deleted, whatever the ownership list says.
 */
const TERRAFORM_FILES = /(^|\/)(\.terraform(\/|$)|\.terraform\.lock\.hcl$|[^/]*\.tfstate[^/]*$)/;

/** A folder on the way to a file: a real folder, not there yet, or something else in the way. */
type FolderState = 'exists' | 'missing' | 'blocked';

interface Plan {
  readonly files: string[];
  readonly install: string[];
  readonly remove: string[];
}

/**
 * Opens an output folder for publishing: prepares it (see
 * `prepareOutputFolder`), takes its lock and, for the first holder in this
 * process, completes or cleans up what a killed run left. Release the
 * returned lock when done; `publish` into the folder meanwhile shares it.
 * @internal
 */
export function openOutputFolder(outdir: string): OutputFolderLock {
  const lock = lockOutputFolder(prepareOutputFolder(outdir));
  if (lock.first) {
    try {
      recover(lock);
      removeLeftovers(lock);
    } catch (e) {
      lock.release();
      throw fileSystemError(e, lock.outdir, 'cannot complete the publish of a run that was killed');
    }
  }
  return lock;
}

/**
 * Publishes a new output into `outdir`, owning only what it writes.
 *
 * 1. Locks the folder (a concurrent run fails at once) and completes or
 *    cleans up what a killed run left.
 * 2. `build` writes the complete output into a staging folder inside
 *    `<outdir>/.paved/` (same file system, mode 0700, unpredictable name).
 * 3. Plans: each file is new, changed or unchanged; files paved wrote
 *    before and no longer writes are to be deleted. A file at a path paved
 *    writes that paved did not write, a symbolic link or a file where a
 *    folder is needed stops the publish before anything changed.
 * 4. Commits: writes the journal (the plan), atomically. From here on the
 *    publish completes, by this run or by the next one.
 * 5. Moves each new or changed file into place with one rename (a reader
 *    sees the old file or the new one, whole); deeper files first, so
 *    files that index others (`cdktf.out/manifest.json`, `report.md`)
 *    switch last; then deletes the files no longer written and the folders
 *    that left empty.
 * 6. Writes the ownership list, removes the journal and the staging folder,
 *    releases the lock.
 *
 * Nothing else in the folder is read or changed: Terraform state, `.terraform/`,
 * lock files, hand-written files. Terraform's own files are never replaced
 * or deleted, even when the ownership list names them.
 * @internal
 */
export function publish(outdir: string, build: (staging: string) => void, options: PublishOptions = {}): PublishResult {
  const step = options.onStep ?? (() => {});
  const started = process.hrtime.bigint();
  const lock = openOutputFolder(outdir);
  let staging: string | undefined;
  let committed = false;
  try {
    step('locked');
    staging = createStaging(lock);
    step('staged');
    const building = process.hrtime.bigint();
    build(staging);
    const built = process.hrtime.bigint() - building;
    step('built');
    const plan = planPublish(lock, staging, options.adoptable);
    step('planned');
    writeAtomically(path.join(lock.bookkeeping, JOURNAL_FILE), JSON.stringify({
      staging: path.basename(staging), install: plan.install, remove: plan.remove, owned: plan.files,
    } satisfies Journal));
    commitStaging(staging);
    committed = true;
    step('journaled');
    apply(lock.outdir, staging, plan.install, plan.remove, step);
    writeOwned(lock, plan.files);
    step('owned');
    fs.unlinkSync(path.join(lock.bookkeeping, JOURNAL_FILE));
    removeStaging(staging);
    step('committed');
    return {
      outdir: lock.outdir,
      files: plan.files,
      changed: plan.install,
      removed: plan.remove,
      seconds: Number(process.hrtime.bigint() - started - built) / 1e9,
    };
  } catch (e) {
    // Before the commit nothing outside the staging folder changed; after it,
    // the journal and staging folder stay for the next run to complete.
    if (staging && !committed) { removeStaging(staging); }
    if (committed) {
      const stopped = `publishing stopped part-way; the next paved run into this folder completes it (${path.join(BOOKKEEPING, JOURNAL_FILE)})`;
      const error = fileSystemError(e, lock.outdir, stopped);
      if (!Errors.isPavedError(error)) { error.message = `${error.message} (${stopped})`; }
      throw error;
    }
    // A full disk or a refused write while building is the folder's problem; anything else is the build's own error.
    throw isRefusal(e) ? fileSystemError(e, lock.outdir, 'cannot publish the output; nothing in it changed') : e;
  } finally {
    lock.release();
  }
}

/** Decides what to move into place and what to delete; fails on any file it must not touch. */
function planPublish(lock: OutputFolderLock, staging: string, adoptable?: (file: string, absolute: string) => boolean): Plan {
  const files = listFiles(staging);
  const terraformFiles = files.filter(file => TERRAFORM_FILES.test(file));
  if (terraformFiles.length > 0) { throw new Error(`the output holds Terraform's own files, which paved never writes: ${terraformFiles.join(', ')}`); }
  const previous = readOwned(lock);
  const conflicts: string[] = [];
  const folders = new Map<string, FolderState>();
  /** What is at `folder` (relative); records a conflict when something other than a real folder is in the way. */
  const folderState = (folder: string): FolderState => {
    const known = folders.get(folder);
    if (known !== undefined) { return known; }
    const parent = path.posix.dirname(folder);
    let state: FolderState = parent === '.' ? 'exists' : folderState(parent);
    if (state === 'exists') {
      const stat = lstat(path.join(lock.outdir, folder));
      if (stat === undefined) {
        state = 'missing';
      } else if (stat.isSymbolicLink()) {
        conflicts.push(`${folder} is a symbolic link (paved writes only into real folders of the output folder)`);
        state = 'blocked';
      } else if (!stat.isDirectory()) {
        conflicts.push(`${folder} is a file where paved writes a folder`);
        state = 'blocked';
      } else {
        writable(lock.outdir, path.join(lock.outdir, folder), `${folder} cannot be written`);
      }
    }
    folders.set(folder, state);
    return state;
  };

  const install: string[] = [];
  for (const file of files) {
    const folder = path.posix.dirname(file);
    const state = folder === '.' ? 'exists' : folderState(folder);
    if (state === 'blocked') { continue; }
    const target = path.join(lock.outdir, file);
    const stat = state === 'missing' ? undefined : lstat(target);
    if (stat === undefined) {
      install.push(file);
    } else if (!stat.isFile()) {
      conflicts.push(`${file} exists and is not a file`);
    } else if (sameContent(path.join(staging, file), target, stat.size)) {
      // Unchanged files keep their time stamps; an identical file paved did not write is adopted.
    } else if (previous ? previous.has(file) : adoptable?.(file, target) === true) {
      install.push(file);
    } else {
      conflicts.push(`${file} exists and was not written by paved (it is not in ${path.join(BOOKKEEPING, OWNED_FILE)})`);
    }
  }
  if (conflicts.length > 0) {
    const shown = conflicts.slice(0, 5).join('; ') + (conflicts.length > 5 ? `; and ${conflicts.length - 5} more` : '');
    throw unsafe(lock.outdir, `${shown}. Move these out of the way; nothing was changed`);
  }
  const wanted = new Set(files);
  const remove = [...previous ?? []].filter(file => !wanted.has(file) && !TERRAFORM_FILES.test(file)
    && lstat(path.join(lock.outdir, file))?.isFile() === true);
  for (const file of remove) { writable(lock.outdir, path.dirname(path.join(lock.outdir, file)), `${path.posix.dirname(file)} cannot be written`); }
  // Deeper files first: the files that index others sit higher and switch last.
  install.sort((a, b) => depth(b) - depth(a) || (a < b ? -1 : a > b ? 1 : 0));
  return { files, install, remove };
}

/** Moves the files into place and deletes the ones no longer written, then the folders that left empty. */
function apply(outdir: string, staging: string, install: string[], remove: string[], step: (step: PublishStep, file?: string) => void): void {
  for (const file of install) {
    const source = path.join(staging, file);
    // Already moved, when a later run completes a killed one.
    if (lstat(source) === undefined) { continue; }
    const target = path.join(outdir, file);
    fs.mkdirSync(path.dirname(target), { recursive: true });
    moveFile(source, target);
    step('installed', file);
  }
  for (const file of remove) {
    fs.rmSync(path.join(outdir, file), { force: true });
    step('removed', file);
  }
  for (const file of remove) {
    for (let folder = path.dirname(path.join(outdir, file)); folder !== outdir && folder.startsWith(outdir); folder = path.dirname(folder)) {
      try {
        fs.rmdirSync(folder);
      } catch {
        // Not empty (or gone): it holds files that are not paved's to delete.
        break;
      }
    }
  }
}

/**
 * Completes the publish a killed run committed to: moves the files still in
 * its staging folder into place, deletes what it meant to delete and writes
 * its ownership list.
 */
function recover(lock: OutputFolderLock): void {
  const file = path.join(lock.bookkeeping, JOURNAL_FILE);
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (e: any) {
    if (e?.code === 'ENOENT') { return; }
    throw e;
  }
  const journal = parseJournal(lock, text);
  const staging = path.join(lock.bookkeeping, journal.staging);
  apply(lock.outdir, staging, journal.install, journal.remove.filter(f => lstat(path.join(lock.outdir, f))?.isFile() === true), () => {});
  writeOwned(lock, journal.owned);
  fs.unlinkSync(file);
  removeStaging(staging);
}

/** The journal, with every path checked: a tampered journal must not move files out of the folder. */
function parseJournal(lock: OutputFolderLock, text: string): Journal {
  let journal: any;
  try {
    journal = JSON.parse(text);
  } catch {
    journal = undefined;
  }
  const paths = (x: unknown) => Array.isArray(x) && x.every(isSafeRelativePath);
  if (typeof journal?.staging !== 'string' || !new RegExp(`^${STAGING_PREFIX}[A-Za-z0-9]+$`).test(journal.staging)
    || !paths(journal.install) || !paths(journal.remove) || !paths(journal.owned)) {
    throw unsafe(lock.outdir, `${path.join(lock.bookkeeping, JOURNAL_FILE)} is not a journal paved wrote; remove it and synthesize again`);
  }
  return journal;
}

function readOwned(lock: OutputFolderLock): Set<string> | undefined {
  let text: string;
  try {
    text = fs.readFileSync(path.join(lock.bookkeeping, OWNED_FILE), 'utf8');
  } catch (e: any) {
    if (e?.code === 'ENOENT') { return undefined; }
    throw e;
  }
  let owned: any;
  try {
    owned = JSON.parse(text);
  } catch {
    owned = undefined;
  }
  if (owned?.paved !== 1 || !Array.isArray(owned.files) || !owned.files.every(isSafeRelativePath)) {
    throw unsafe(lock.outdir, `${path.join(lock.bookkeeping, OWNED_FILE)} is not the list of files paved wrote; `
      + 'restore it (e.g. from git), or remove it to let paved replace only files identical to its own');
  }
  return new Set(owned.files);
}

/** Sorted, one path per line: the same outputs give the same file, so it can be kept in git. */
function writeOwned(lock: OutputFolderLock, files: string[]): void {
  const owned: Owned = { paved: 1, files: [...files].sort() };
  writeAtomically(path.join(lock.bookkeeping, OWNED_FILE), `${JSON.stringify(owned, undefined, 1)}\n`);
}

/** Every file below `dir`, as sorted relative paths with `/`. */
function listFiles(dir: string): string[] {
  const files: string[] = [];
  const walk = (relative: string) => {
    for (const entry of fs.readdirSync(path.join(dir, relative), { withFileTypes: true })) {
      const child = relative ? `${relative}/${entry.name}` : entry.name;
      if (entry.isDirectory()) {
        walk(child);
      } else if (entry.isFile()) {
        files.push(child);
      } else {
        throw new Error(`the staging folder holds ${child}, which is not a file or folder`);
      }
    }
  };
  walk('');
  return files.sort();
}

function moveFile(source: string, target: string): void {
  try {
    fs.renameSync(source, target);
  } catch (e: any) {
    if (e?.code !== 'EXDEV') { throw e; }
    // A folder of the output is on another file system: copy next to the target, then rename.
    const temporary = `${target}.tmp-paved`;
    fs.copyFileSync(source, temporary);
    fs.renameSync(temporary, target);
    fs.rmSync(source);
  }
}

function sameContent(a: string, b: string, size: number): boolean {
  if (fs.statSync(a).size !== size) { return false; }
  return fs.readFileSync(a).equals(fs.readFileSync(b));
}

function lstat(file: string): fs.Stats | undefined {
  try {
    return fs.lstatSync(file);
  } catch (e: any) {
    if (e?.code === 'ENOENT' || e?.code === 'ENOTDIR') { return undefined; }
    throw e;
  }
}

function depth(file: string): number {
  return file.split('/').length;
}

function isSafeRelativePath(x: unknown): boolean {
  return typeof x === 'string' && x.length > 0 && !path.isAbsolute(x) && !x.includes('\\')
    && x.split('/').every(segment => segment !== '' && segment !== '.' && segment !== '..')
    && x.split('/')[0] !== BOOKKEEPING;
}
