import { isUtf8 } from 'buffer';
import * as fs from 'fs';
import * as path from 'path';
import { SCORE_LIMITS, formatBytes } from './score-limits';
import { show } from '../core/errors';

/**
 * A text file read with {@link readTextFile}: its text, or why it was
 * refused (phrased to follow "the file ...") with the line of the first
 * offending byte when there is one.
 * @internal
 */
export interface TextFileRead {
  readonly text?: string;
  readonly error?: string;
  readonly line?: number;
}

const CHUNK = 64 * 1024;

/**
 * Reads a regular UTF-8 text file of at most `maxBytes` without trusting
 * it: the file is opened without blocking (a FIFO would hang a plain read),
 * must be a regular file (not a FIFO, device, socket or directory), is read
 * in chunks that stop past `maxBytes` (`/proc` files report size 0, devices
 * never end), and must hold neither a NUL byte nor invalid UTF-8. Refusals
 * show at most a short escaped excerpt of the content.
 *
 * @param within when given, the file actually opened must lie in this
 * folder (a real path): checked through /proc/self/fd where the system has
 * it, so a path swapped for a symbolic link after it was checked is caught
 * @internal
 */
export function readTextFile(file: string, maxBytes: number, within?: string): TextFileRead {
  let fd: number;
  try {
    // O_NOFOLLOW with `within`: the caller resolved every link already, a link now is a swap.
    // eslint-disable-next-line no-bitwise
    fd = fs.openSync(file, fs.constants.O_RDONLY | fs.constants.O_NONBLOCK | (within ? fs.constants.O_NOFOLLOW : 0));
  } catch (e: any) {
    return { error: openError(e) };
  }
  try {
    const stat = fs.fstatSync(fd);
    if (!stat.isFile()) { return { error: `is ${kindOf(stat)}, not a regular file` }; }
    if (within !== undefined) {
      const opened = openedPath(fd);
      if (opened !== undefined && !isInside(opened, within)) {
        return { error: `was replaced while being read: it opened ${opened}, outside ${within}` };
      }
    }
    if (stat.size > maxBytes) { return { error: `has ${stat.size} bytes; at most ${formatBytes(maxBytes)} are read` }; }
    const chunks: Buffer[] = [];
    let total = 0;
    for (;;) {
      const chunk = Buffer.alloc(CHUNK);
      const n = fs.readSync(fd, chunk, 0, CHUNK, null);
      if (n === 0) { break; }
      chunks.push(n === CHUNK ? chunk : chunk.subarray(0, n));
      total += n;
      if (total > maxBytes) { return { error: `has more than ${formatBytes(maxBytes)}, the most that is read` }; }
    }
    return decodeText(Buffer.concat(chunks, total));
  } catch (e: any) {
    return { error: `cannot be read (${e?.code ?? 'unknown error'})` };
  } finally {
    fs.closeSync(fd);
  }
}

/**
 * Reads a Score file's `files[].source`, confined to the Score file's
 * folder: the path must be relative, without `..`, and resolve (through
 * any symbolic links) to a regular text file inside the folder of at most
 * {@link SCORE_LIMITS.sourceBytes}. Refusals are phrased to follow "expected
 * a source file ...; ".
 * @internal
 */
export function readSourceFile(scoreFile: string, source: string): { content?: string; error?: string } {
  if (/[\u0000-\u001f\u007f]/.test(source)) {
    return { error: 'the path holds a control character' };
  }
  if (path.isAbsolute(source) || /^[A-Za-z]:[\\/]/.test(source)) {
    return { error: 'the path is absolute' };
  }
  if (source.split(/[\\/]/).includes('..')) {
    return { error: 'the path holds ".."' };
  }
  let folder: string;
  let real: string;
  try {
    folder = fs.realpathSync(path.dirname(path.resolve(scoreFile)));
    real = fs.realpathSync(path.join(folder, source));
  } catch (e: any) {
    return { error: `${path.join(path.dirname(scoreFile), source)} ${openError(e)}` };
  }
  if (!isInside(real, folder)) {
    return { error: `it resolves to ${real} through a symbolic link, outside ${folder}` };
  }
  const read = readTextFile(real, SCORE_LIMITS.sourceBytes, folder);
  return read.error !== undefined
    ? { error: `${real} ${read.error}${read.line !== undefined ? ` (line ${read.line})` : ''}` }
    : { content: read.text };
}

/** The text of `bytes`, or why it is not UTF-8 text. */
function decodeText(bytes: Buffer): TextFileRead {
  const nul = bytes.indexOf(0);
  const bad = firstInvalidUtf8(bytes);
  if (nul < 0 && bad < 0) { return { text: bytes.toString('utf8') }; }
  const at = nul >= 0 && (bad < 0 || nul < bad) ? nul : bad;
  const line = lineAt(bytes, at);
  // Up to 16 bytes before it on its line: enough to find it, too little to echo a secret.
  const lineStart = at > 0 ? bytes.lastIndexOf(10, at - 1) + 1 : 0;
  const before = bytes.subarray(Math.max(lineStart, at - 16), at).toString('utf8');
  const what = at === nul ? 'a NUL byte' : `the byte 0x${bytes[at].toString(16).padStart(2, '0')}, which is not UTF-8`;
  return { error: `holds ${what} at line ${line}${before ? ` after ${show(before)}` : ''}: it is binary, not UTF-8 text`, line };
}

/**
 * Index of the first byte that does not belong to valid UTF-8, or -1. Node's
 * decoder turns each invalid sequence into U+FFFD; the first U+FFFD that is
 * not the character itself (bytes EF BF BD) marks it.
 */
function firstInvalidUtf8(bytes: Buffer): number {
  if (isUtf8(bytes)) { return -1; }
  let offset = 0;
  for (const char of bytes.toString('utf8')) {
    const cp = char.codePointAt(0)!;
    if (cp === 0xfffd && !(bytes[offset] === 0xef && bytes[offset + 1] === 0xbf && bytes[offset + 2] === 0xbd)) { return offset; }
    offset += cp < 0x80 ? 1 : cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4;
  }
  return offset;
}

function lineAt(bytes: Buffer, offset: number): number {
  let line = 1;
  for (let i = bytes.indexOf(10); i >= 0 && i < offset; i = bytes.indexOf(10, i + 1)) { line += 1; }
  return line;
}

function openError(e: any): string {
  switch (e?.code) {
    case 'ENOENT': return 'does not exist';
    case 'ENOTDIR': return 'does not exist (a part of its path is not a folder)';
    case 'ELOOP': return 'is a symbolic link loop';
    case 'EACCES': return 'cannot be read (permission denied)';
    case 'ENXIO': return 'is a socket, not a regular file';
    default: return `cannot be read (${e?.code ?? 'unknown error'})`;
  }
}

function kindOf(stat: fs.Stats): string {
  if (stat.isDirectory()) { return 'a folder'; }
  if (stat.isFIFO()) { return 'a FIFO (named pipe)'; }
  if (stat.isCharacterDevice()) { return 'a character device'; }
  if (stat.isBlockDevice()) { return 'a block device'; }
  if (stat.isSocket()) { return 'a socket'; }
  return 'not a regular file';
}

/** The path the system opened for `fd`, where /proc/self/fd tells it. */
function openedPath(fd: number): string | undefined {
  try {
    return fs.readlinkSync(`/proc/self/fd/${fd}`);
  } catch {
    return undefined;
  }
}

function isInside(file: string, folder: string): boolean {
  const relative = path.relative(folder, file);
  return relative !== '' && relative.split(path.sep)[0] !== '..' && !path.isAbsolute(relative);
}
