import * as crypto from 'crypto';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { ErrorKind, PavedError, invalid } from './errors';

/**
 * paved's own folder inside the output folder: the list of files paved
 * wrote (`owned.json`), and while a run publishes, its lock, staging folder
 * and journal.
 * @internal
 */
export const BOOKKEEPING = '.paved';
/** @internal */
export const OWNED_FILE = 'owned.json';
/** @internal */
export const JOURNAL_FILE = 'journal.json';
/** @internal */
export const STAGING_PREFIX = 'staging-';
const LOCK_FILE = 'lock';
/** Files and folders written into `.paved/` by a run that holds the lock; leftovers of a killed run. */
const TEMPORARY = /^(staging-|.+\.tmp-)/;
/** Everything in `.paved/` but the ownership list stays out of git. */
const GITIGNORE = `# paved's working files (lock, staging, journal). owned.json lists the files paved
# wrote into this output folder: keep it with them, so the next synth knows what it may delete.
*
!.gitignore
!${OWNED_FILE}
`;

const WHERE = 'Platform';

/** The holder of a lock, as written in the lock file. */
interface LockHolder {
  readonly pid: number;
  readonly host: string;
  readonly started: string;
  readonly token: string;
}

/** Locks this process holds, by real path of the output folder; a lock is re-entrant within the process. */
const HELD = new Map<string, { token: string; count: number }>();
/** Staging folders of runs that have not committed: removed on exit and on a signal. */
const UNCOMMITTED = new Set<string>();
let exitHandlersInstalled = false;

/**
 * Makes `outdir` ready to be written, or fails with one error naming the
 * problem: something other than a folder at the path, a folder that cannot
 * be written, or a place paved must not write to (inside a Terraform stack
 * folder or a cdktf output folder). Creates the folder when missing.
 *
 * @returns the real path of the folder
 * @internal
 */
export function prepareOutputFolder(outdir: string): string {
  const { real, exists: present } = checkPath(outdir);
  if (!present) {
    try {
      fs.mkdirSync(real, { recursive: true });
    } catch (e) {
      throw fileSystemError(e, outdir, 'cannot create the folder');
    }
  }
  writable(outdir, real, 'the folder cannot be written');
  return real;
}

/**
 * Checks, without changing anything, what {@link prepareOutputFolder} and
 * the lock would check: a pipeline learns that the folder is unusable or
 * busy before the platform is built. The lock itself is taken by the synth.
 * @internal
 */
export function inspectOutputFolder(outdir: string): void {
  const { real, exists: present, nearest } = checkPath(outdir);
  writable(outdir, present ? real : nearest, present ? 'the folder cannot be written' : `cannot create the folder in ${nearest}`);
  if (!present || HELD.has(real)) { return; }
  const bookkeeping = path.join(real, BOOKKEEPING);
  const stat = lstatOrUndefined(bookkeeping);
  if (stat === undefined) { return; }
  checkBookkeeping(real, bookkeeping, stat);
  const lockFile = path.join(bookkeeping, LOCK_FILE);
  const current = readHolder(lockFile);
  if (!current.missing && !isStale(current.holder)) { throw busy(real, lockFile, current.holder); }
}

/** What is at `outdir`: fails unless a folder is there, or can be created, outside stack and cdktf output folders. */
function checkPath(outdir: string): { real: string; exists: boolean; nearest: string } {
  if (typeof outdir !== 'string' || outdir.length === 0) {
    throw invalid(WHERE, 'outdir', outdir, 'the path of a folder');
  }
  const wanted = path.resolve(outdir);
  const existing = nearestExisting(wanted);
  if (!existing.stat.isDirectory()) {
    const what = existing.path === wanted ? 'a file is at that path' : `${existing.path} is a file`;
    throw invalid(WHERE, 'outdir', outdir, `a folder, or a path where one can be created (${what})`, ErrorKind.OUTPUT_NOT_A_FOLDER);
  }
  // Where the folder really is: a symbolic link to the output folder is fine, its target is checked.
  const nearest = fs.realpathSync(existing.path);
  const real = path.join(nearest, path.relative(existing.path, wanted));
  checkLocation(outdir, real);
  return { real, exists: existing.path === wanted, nearest };
}

/**
 * Fails with the paved error for a folder that cannot be written (files
 * created, renamed or deleted in it).
 * @internal
 */
export function writable(outdir: string, folder: string, doing: string): void {
  try {
    // Creating and renaming entries needs write and search permission on the folder.
    fs.accessSync(folder, fs.constants.W_OK + fs.constants.X_OK);
  } catch (e) {
    throw fileSystemError(e, outdir, doing);
  }
}

/**
 * The lock of an output folder, held by this process. Taken with
 * {@link lockOutputFolder}; re-entrant: a second `lockOutputFolder` of the
 * same folder in the same process shares the lock, and the last
 * `release()` frees it.
 * @internal
 */
export interface OutputFolderLock {
  /** Real path of the output folder. */
  readonly outdir: string;
  /** The bookkeeping folder, `<outdir>/.paved`. */
  readonly bookkeeping: string;
  /** True for the first holder in this process, which recovers leftovers of earlier runs. */
  readonly first: boolean;
  /** Frees the lock (once per lockOutputFolder call). */
  release(): void;
}

/**
 * Takes the lock of the output folder `<outdir>/.paved/lock`, so that a
 * second paved run writing the same folder fails at once instead of mixing
 * its files with this run's. A lock whose process is gone (same host, pid
 * not running) is stale and taken over.
 *
 * @param outdir the real path of a prepared output folder
 * @internal
 */
export function lockOutputFolder(outdir: string): OutputFolderLock {
  const bookkeeping = bookkeepingFolder(outdir);
  const held = HELD.get(outdir);
  if (held) {
    held.count++;
    return lockHandle(outdir, bookkeeping, held.token, false);
  }
  installExitHandlers();
  const token = crypto.randomBytes(12).toString('hex');
  const holder: LockHolder = { pid: process.pid, host: os.hostname(), started: new Date().toISOString(), token };
  const lockFile = path.join(bookkeeping, LOCK_FILE);
  // Written whole under a name of its own, then linked into place: the lock
  // file appears atomically and always complete, and link() fails if it exists.
  const mine = path.join(bookkeeping, `${LOCK_FILE}.${process.pid}.${token}.tmp-lock`);
  try {
    fs.writeFileSync(mine, JSON.stringify(holder), { mode: 0o600, flag: 'wx' });
  } catch (e) {
    throw fileSystemError(e, outdir, 'cannot write the lock file');
  }
  try {
    takeLock(outdir, mine, lockFile);
  } finally {
    fs.rmSync(mine, { force: true });
  }
  HELD.set(outdir, { token, count: 1 });
  const ignore = path.join(bookkeeping, '.gitignore');
  if (!exists(ignore) || fs.readFileSync(ignore, 'utf8') !== GITIGNORE) {
    try {
      writeAtomically(ignore, GITIGNORE);
    } catch (e) {
      HELD.delete(outdir);
      unlinkLock(outdir, token);
      throw fileSystemError(e, outdir, `cannot write ${ignore}`);
    }
  }
  return lockHandle(outdir, bookkeeping, token, true);
}

/**
 * Creates the staging folder of a publish: inside the bookkeeping folder
 * (same file system as the outputs, so files move by rename), mode 0700,
 * with an unpredictable name, never a folder that existed before.
 * @internal
 */
export function createStaging(lock: OutputFolderLock): string {
  let staging: string;
  try {
    staging = fs.mkdtempSync(path.join(lock.bookkeeping, STAGING_PREFIX));
  } catch (e) {
    throw fileSystemError(e, lock.outdir, 'cannot create the staging folder');
  }
  // Someone who can write the output folder could have swapped .paved for a link meanwhile.
  const stat = fs.lstatSync(staging);
  if (!stat.isDirectory() || fs.realpathSync(staging) !== path.join(lock.outdir, BOOKKEEPING, path.basename(staging))) {
    throw unsafe(lock.outdir, `the staging folder ${staging} is not a folder of its own inside ${lock.bookkeeping}`);
  }
  UNCOMMITTED.add(staging);
  return staging;
}

/**
 * Marks a staging folder as committed: its journal now refers to it, so it
 * must survive until the publish completes (or the next run rolls it forward).
 * @internal
 */
export function commitStaging(staging: string): void {
  UNCOMMITTED.delete(staging);
}

/**
 * Removes a staging folder.
 * @internal
 */
export function removeStaging(staging: string): void {
  UNCOMMITTED.delete(staging);
  fs.rmSync(staging, { recursive: true, force: true });
}

/**
 * Removes what killed runs left in the bookkeeping folder: staging folders
 * and half-written temporary files. Only called by the lock holder, so none
 * of them belongs to a live run.
 * @internal
 */
export function removeLeftovers(lock: OutputFolderLock): string[] {
  const removed: string[] = [];
  for (const entry of fs.readdirSync(lock.bookkeeping)) {
    if (!TEMPORARY.test(entry)) { continue; }
    // A lock file being written by another process that has not linked it yet.
    const lockOf = /^lock\.(\d+)\..*\.tmp-(lock|stale)$/.exec(entry);
    if (lockOf && isRunning(Number(lockOf[1]))) { continue; }
    fs.rmSync(path.join(lock.bookkeeping, entry), { recursive: true, force: true });
    removed.push(entry);
  }
  return removed;
}

/**
 * Writes `file` atomically: to a temporary name, flushed to disk, then
 * renamed over the old one, so a reader or a crash sees the old or the new
 * content, whole.
 * @internal
 */
export function writeAtomically(file: string, content: string): void {
  const temporary = `${file}.tmp-${crypto.randomBytes(6).toString('hex')}`;
  const fd = fs.openSync(temporary, 'wx', 0o644);
  try {
    fs.writeSync(fd, content);
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
  fs.renameSync(temporary, file);
}

/**
 * The paved error for a failed file system call: the folder cannot be
 * written (permissions, read-only, full), or something other than a folder
 * is in the way. Other errors are returned as they are.
 * @internal
 */
export function fileSystemError(e: any, outdir: string, doing: string): Error {
  if (e instanceof PavedError) { return e; }
  const code: string | undefined = e?.code;
  const reason = `${e?.message ?? e}`.replace(/^[A-Z]+: /, '');
  if (isRefusal(e)) {
    return invalid(WHERE, 'outdir', outdir, `a folder paved can write: ${doing} (${reason})`, ErrorKind.OUTPUT_NOT_WRITABLE);
  }
  if (code === 'ENOTDIR' || code === 'EEXIST' || code === 'ELOOP') {
    return invalid(WHERE, 'outdir', outdir, `a folder: ${doing} (${reason})`, ErrorKind.OUTPUT_NOT_A_FOLDER);
  }
  return e instanceof Error ? e : new Error(String(e));
}

/**
 * Whether `e` is the file system refusing a write: permissions, a read-only
 * file system, no space left.
 * @internal
 */
export function isRefusal(e: any): boolean {
  return ['EACCES', 'EPERM', 'EROFS', 'ENOSPC', 'EDQUOT'].includes(e?.code);
}

/**
 * The paved error for an output folder paved must not write.
 * @internal
 */
export function unsafe(outdir: string, reason: string): PavedError {
  return invalid(WHERE, 'outdir', outdir, `a folder paved can write safely: ${reason}`, ErrorKind.OUTPUT_UNSAFE);
}

/** The existing path nearest to `wanted` (itself or an ancestor), with its stat (links followed). */
function nearestExisting(wanted: string): { path: string; stat: fs.Stats } {
  let current = wanted;
  // The root always exists, so the climb ends there at the latest.
  while (path.dirname(current) !== current) {
    try {
      return { path: current, stat: fs.statSync(current) };
    } catch (e: any) {
      // ENOTDIR: a file is in the way further up; keep climbing to name it.
      if (e?.code !== 'ENOENT' && e?.code !== 'ENOTDIR') { throw fileSystemError(e, wanted, 'cannot inspect the path'); }
    }
    current = path.dirname(current);
  }
  return { path: current, stat: fs.statSync(current) };
}

/**
 * Refuses an output folder inside a Terraform stack folder (terraform and
 * cdktf keep providers, lock files and state there, and cdktf deletes stack
 * folders it no longer synthesizes) or inside a cdktf output folder.
 */
function checkLocation(outdir: string, real: string): void {
  for (let dir = real; ; dir = path.dirname(dir)) {
    if (exists(path.join(dir, 'cdk.tf.json')) || exists(path.join(dir, 'cdk.tf'))) {
      throw unsafe(outdir, `${dir} is a Terraform stack folder (it holds cdk.tf.json); choose a folder outside it`);
    }
    if (exists(path.join(dir, 'manifest.json')) && isDirectory(path.join(dir, 'stacks'))) {
      throw unsafe(outdir, `${dir} is a cdktf output folder (it holds manifest.json and stacks/); choose a folder outside it, e.g. its parent`);
    }
    if (path.dirname(dir) === dir) { return; }
  }
}

/** `<outdir>/.paved`, created when missing; refused when it is a link, not a folder, or another user's. */
function bookkeepingFolder(outdir: string): string {
  const dir = path.join(outdir, BOOKKEEPING);
  let stat = lstatOrUndefined(dir);
  if (stat === undefined) {
    try {
      fs.mkdirSync(dir, { mode: 0o755 });
    } catch (e: any) {
      // Another run created it first.
      if (e?.code !== 'EEXIST') { throw fileSystemError(e, outdir, `cannot create ${dir}`); }
    }
    stat = fs.lstatSync(dir);
  }
  checkBookkeeping(outdir, dir, stat);
  return dir;
}

/** Refuses a bookkeeping folder that is a link, not a folder, or another user's. */
function checkBookkeeping(outdir: string, dir: string, stat: fs.Stats): void {
  if (stat.isSymbolicLink()) {
    throw unsafe(outdir, `${dir} is a symbolic link; paved keeps its lock and staging files only in a folder of its own`);
  }
  if (!stat.isDirectory()) {
    throw unsafe(outdir, `${dir} is not a folder; paved keeps its lock and staging files there`);
  }
  if (typeof process.getuid === 'function' && stat.uid !== process.getuid()) {
    throw unsafe(outdir, `${dir} belongs to user ${stat.uid}, not to the user running paved (${process.getuid()})`);
  }
}

function lstatOrUndefined(file: string): fs.Stats | undefined {
  try {
    return fs.lstatSync(file);
  } catch (e: any) {
    if (e?.code === 'ENOENT') { return undefined; }
    throw e;
  }
}

function lockHandle(outdir: string, bookkeeping: string, token: string, first: boolean): OutputFolderLock {
  let released = false;
  return {
    outdir,
    bookkeeping,
    first,
    release: () => {
      if (released) { return; }
      released = true;
      const held = HELD.get(outdir);
      if (!held || held.token !== token || --held.count > 0) { return; }
      HELD.delete(outdir);
      unlinkLock(outdir, token);
    },
  };
}

/** Removes the lock file if it is still this process's (a human may have removed a lock they thought stale). */
function unlinkLock(outdir: string, token: string): void {
  const lockFile = path.join(outdir, BOOKKEEPING, LOCK_FILE);
  try {
    if (JSON.parse(fs.readFileSync(lockFile, 'utf8')).token === token) { fs.unlinkSync(lockFile); }
  } catch {
    // Gone or unreadable: nothing of ours to remove.
  }
}

/** Links `mine` as the lock file; takes a stale lock over; fails when another run holds it. */
function takeLock(outdir: string, mine: string, lockFile: string): void {
  let current: { holder?: LockHolder; ino?: number; missing?: boolean } = {};
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      fs.linkSync(mine, lockFile);
      return;
    } catch (e: any) {
      if (e?.code !== 'EEXIST') { throw fileSystemError(e, outdir, 'cannot take the lock'); }
    }
    current = readHolder(lockFile);
    // Released between our attempt and the read: try again.
    if (current.missing) { continue; }
    if (!isStale(current.holder)) { break; }
    removeStaleLock(lockFile, current.ino);
  }
  throw busy(outdir, lockFile, current.holder);
}

function readHolder(lockFile: string): { holder?: LockHolder; ino?: number; missing?: boolean } {
  let ino: number;
  let text: string;
  try {
    ino = fs.lstatSync(lockFile).ino;
    text = fs.readFileSync(lockFile, 'utf8');
  } catch (e: any) {
    return { missing: e?.code === 'ENOENT' };
  }
  try {
    const holder = JSON.parse(text);
    if (typeof holder?.pid === 'number' && typeof holder?.host === 'string' && typeof holder?.token === 'string') {
      return { holder, ino };
    }
  } catch {
    // Not paved's lock format: never taken over.
  }
  return { ino };
}

/**
 * Stale: written on this host by a process that no longer runs, or by this
 * process's pid while this process holds no lock of the folder (the pid of
 * an earlier run, reused). Unreadable locks and locks of other hosts are
 * never stale: paved cannot tell whether their run is alive.
 */
function isStale(holder: LockHolder | undefined): boolean {
  if (holder === undefined || holder.host !== os.hostname()) { return false; }
  return holder.pid === process.pid || !isRunning(holder.pid);
}

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e: any) {
    // EPERM: it runs, as another user.
    return e?.code === 'EPERM';
  }
}

/**
 * Moves the stale lock aside, and checks that what was moved is the stale
 * lock that was read: if another run took the lock over in between, its
 * lock is put back.
 */
function removeStaleLock(lockFile: string, ino: number | undefined): void {
  const aside = `${lockFile}.${process.pid}.${crypto.randomBytes(6).toString('hex')}.tmp-stale`;
  try {
    fs.renameSync(lockFile, aside);
  } catch {
    return;
  }
  if (fs.lstatSync(aside).ino !== ino) {
    try { fs.linkSync(aside, lockFile); } catch { /* a third run holds it now */ }
  }
  fs.rmSync(aside, { force: true });
}

function busy(outdir: string, lockFile: string, holder: LockHolder | undefined): PavedError {
  const who = holder ? `pid ${holder.pid} on host ${holder.host} since ${holder.started}` : 'a run whose lock file cannot be read';
  return invalid(WHERE, 'outdir', outdir,
    `a folder no other paved run is writing: locked by ${who}; wait for that run, or delete ${lockFile} if it no longer runs`,
    ErrorKind.OUTPUT_BUSY);
}

/**
 * On exit, and on SIGINT, SIGTERM and SIGHUP: uncommitted staging folders
 * are removed and locks released. Synthesis is synchronous, so a signal is
 * handled once the running synth has returned (its publish complete or
 * undone); the signal is then raised again, so the process ends as it
 * would have without paved, unless the program has listeners of its own.
 */
function installExitHandlers(): void {
  if (exitHandlersInstalled) { return; }
  exitHandlersInstalled = true;
  process.on('exit', cleanUp);
  // A signal that arrived during the synchronous synth waits in the event
  // loop; a program that ends right after synth would exit before it is
  // handled (signal watchers do not keep the loop alive). One more turn of
  // the loop lets it be handled, so the process ends by the signal.
  process.once('beforeExit', () => setImmediate(() => {}));
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
    const handler = () => {
      cleanUp();
      if (process.listenerCount(signal) === 1) {
        process.removeListener(signal, handler);
        process.kill(process.pid, signal);
      }
    };
    process.on(signal, handler);
  }
}

function cleanUp(): void {
  for (const staging of UNCOMMITTED) { fs.rmSync(staging, { recursive: true, force: true }); }
  UNCOMMITTED.clear();
  for (const [outdir, { token }] of HELD) { unlinkLock(outdir, token); }
  HELD.clear();
}

function exists(file: string): boolean {
  try {
    fs.statSync(file);
    return true;
  } catch {
    return false;
  }
}

function isDirectory(file: string): boolean {
  try {
    return fs.statSync(file).isDirectory();
  } catch {
    return false;
  }
}
