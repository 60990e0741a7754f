import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { readSourceFile, readTextFile } from '../../lib/score/score-input';
import { SCORE_LIMITS } from '../../lib/score/score-limits';

/** A fresh folder (its real path) with `files` (name -> content) written into it. */
function folder(files: { [name: string]: string | Buffer } = {}): string {
  const dir = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'paved-input-')));
  for (const [name, content] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    fs.writeFileSync(path.join(dir, name), content);
  }
  return dir;
}

describe('readTextFile', () => {
  test('reads a regular UTF-8 file, multi-byte characters included', () => {
    const dir = folder({ 'a.yaml': 'name: café 😀\n' });
    expect(readTextFile(path.join(dir, 'a.yaml'), 100)).toEqual({ text: 'name: café 😀\n' });
  });

  describe('fails', () => {
    test('when the file does not exist', () => {
      expect(readTextFile('/nonexistent/a.yaml', 100)).toEqual({ error: 'does not exist' });
    });

    test('when the file is a FIFO, without waiting for a writer', () => {
      const fifo = path.join(folder(), 'fifo');
      execFileSync('mkfifo', [fifo]);
      expect(readTextFile(fifo, 100)).toEqual({ error: 'is a FIFO (named pipe), not a regular file' });
    });

    test('when the file is a device that never ends', () => {
      expect(readTextFile('/dev/zero', 100)).toEqual({ error: 'is a character device, not a regular file' });
    });

    test('when the file is a folder', () => {
      expect(readTextFile(folder(), 100)).toEqual({ error: 'is a folder, not a regular file' });
    });

    test('when the file is larger than the limit', () => {
      const dir = folder({ 'big.yaml': 'x'.repeat(101) });
      expect(readTextFile(path.join(dir, 'big.yaml'), 100)).toEqual({ error: 'has 101 bytes; at most 100 bytes are read' });
    });

    test('when a file that reports no size holds more than the limit (/proc), reading no more than the limit', () => {
      // /proc/self/environ reports size 0; with a limit below its length the read stops.
      const environ = fs.readFileSync('/proc/self/environ');
      const read = readTextFile('/proc/self/environ', Math.max(1, environ.length - 1));
      expect(read.error).toMatch(/^has more than \d+ bytes, the most that is read$/);
    });

    test('when the file holds a NUL byte: binary, reported by line, no content echoed but a short escaped excerpt', () => {
      const dir = folder({ 'bin.yaml': Buffer.concat([Buffer.from('a: 1\nsecret-ish text\u001b[31m'), Buffer.from([0, 1, 2]), Buffer.alloc(10_000, 7)]) });
      const read = readTextFile(path.join(dir, 'bin.yaml'), 100_000);
      expect(read).toEqual({ error: 'holds a NUL byte at line 2 after "et-ish text\\u001b[31m": it is binary, not UTF-8 text', line: 2 });
    });

    test('when the file is not UTF-8, naming the byte and its line', () => {
      const dir = folder({ 'latin1.yaml': Buffer.from('a: 1\nname: caf\xe9\n', 'latin1') });
      expect(readTextFile(path.join(dir, 'latin1.yaml'), 100))
        .toEqual({ error: 'holds the byte 0xe9, which is not UTF-8 at line 2 after "name: caf": it is binary, not UTF-8 text', line: 2 });
    });

    test.each([
      ['an overlong encoding', [0xc0, 0xaf]],
      ['a UTF-16 surrogate', [0xed, 0xa0, 0x80]],
      ['a code point above U+10FFFF', [0xf4, 0x90, 0x80, 0x80]],
      ['a truncated sequence', [0xe2, 0x82]],
    ])('when the file holds %s', (_what, bytes) => {
      const dir = folder({ 'bad.yaml': Buffer.from(bytes) });
      expect(readTextFile(path.join(dir, 'bad.yaml'), 100).error).toMatch(/^holds the byte 0x[0-9a-f]{2}, which is not UTF-8 at line 1: it is binary, not UTF-8 text$/);
    });
  });
});

describe('readSourceFile', () => {
  test('reads a file in the Score file\'s folder or below, also through a link that stays inside', () => {
    // GIVEN
    const dir = folder({ 'score.yaml': '', 'config/app.conf': 'a=1\n' });
    fs.symlinkSync('config/app.conf', path.join(dir, 'link.conf'));
    // THEN
    expect(readSourceFile(path.join(dir, 'score.yaml'), 'config/app.conf')).toEqual({ content: 'a=1\n' });
    expect(readSourceFile(path.join(dir, 'score.yaml'), './link.conf')).toEqual({ content: 'a=1\n' });
  });

  describe('fails', () => {
    const dir = folder({ 'app/score.yaml': '', 'secret.txt': 'outside\n', 'app/big.txt': 'x'.repeat(SCORE_LIMITS.sourceBytes + 1) });
    const score = path.join(dir, 'app', 'score.yaml');
    fs.symlinkSync('/etc/passwd', path.join(dir, 'app', 'passwd'));
    fs.symlinkSync('/proc/self/environ', path.join(dir, 'app', 'environ'));
    fs.symlinkSync('/dev/zero', path.join(dir, 'app', 'zero'));
    fs.symlinkSync(dir, path.join(dir, 'app', 'up'));
    execFileSync('mkfifo', [path.join(dir, 'app', 'fifo')]);

    test.each([
      ['an absolute path', '/etc/passwd', 'the path is absolute'],
      ['/proc/self/environ', '/proc/self/environ', 'the path is absolute'],
      ['/dev/zero', '/dev/zero', 'the path is absolute'],
      ['a path that goes up', '../secret.txt', 'the path holds ".."'],
      ['a path that goes down and up', 'sub/../../secret.txt', 'the path holds ".."'],
      ['a control character', 'a\u0000b', 'the path holds a control character'],
    ])('on %s', (_what, source, error) => {
      expect(readSourceFile(score, source)).toEqual({ error });
    });

    test.each([
      ['a link to /etc/passwd', 'passwd', '/etc/passwd'],
      ['a link to /proc/self/environ', 'environ', '/proc/\\d+/environ'],
      ['a link to /dev/zero', 'zero', '/dev/zero'],
      ['a link to a folder above', 'up/secret.txt', `${dir}/secret.txt`],
    ])('on %s, which leaves the folder', (_what, source, target) => {
      expect(readSourceFile(score, source).error).toMatch(new RegExp(`^it resolves to ${target} through a symbolic link, outside ${dir}/app$`));
    });

    test('on a FIFO in the folder, without waiting for a writer', () => {
      expect(readSourceFile(score, 'fifo')).toEqual({ error: `${dir}/app/fifo is a FIFO (named pipe), not a regular file` });
    });

    test('on a folder', () => {
      fs.mkdirSync(path.join(dir, 'app', 'conf.d'), { recursive: true });
      expect(readSourceFile(score, 'conf.d')).toEqual({ error: `${dir}/app/conf.d is a folder, not a regular file` });
    });

    test('on a file larger than 1 MiB', () => {
      expect(readSourceFile(score, 'big.txt')).toEqual({ error: `${dir}/app/big.txt has 1048577 bytes; at most 1 MiB (1048576 bytes) are read` });
    });

    test('on a file that does not exist', () => {
      expect(readSourceFile(score, 'missing.txt')).toEqual({ error: `${dir}/app/missing.txt does not exist` });
    });
  });
});
