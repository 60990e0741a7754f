import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { S3Bucket } from '@cdktf/provider-aws/lib/s3-bucket';
import { Environment, Platform, Profile, TerraformState } from '../../lib';
import { DIFF_SAFE, DIFF_UNSAFE, DIFF_USAGE } from '../../lib/cli/diff';
import { main } from '../../lib/cli/main';

/** An output with one bucket per id (a small platform: one DEV environment). */
function out(...buckets: string[]): string {
  const platform = new Platform({ outdir: path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'paved-diff-')), 'out') });
  const env = new Environment(platform, 'dev', { account: '123456789012', region: 'eu-central-1', profile: Profile.DEV, state: TerraformState.local() });
  buckets.forEach(id => new S3Bucket(env, id, { bucket: `dev-${id.toLowerCase()}` }));
  platform.synth();
  return platform.outdir;
}

function run(...argv: string[]): { code: number; stdout: string; stderr: string } {
  const stdout: string[] = [];
  const stderr: string[] = [];
  const code = main(argv, { out: line => stdout.push(line), err: line => stderr.push(line) });
  return { code, stdout: stdout.join('\n'), stderr: stderr.join('\n') };
}

describe('paved diff', () => {
  test('exits 0 and says SAFE when no stateful resource is destroyed or replaced', () => {
    // GIVEN
    const before = out('Uploads');
    // WHEN a bucket is added
    const { code, stdout, stderr } = run('diff', before, out('Uploads', 'Reports'));
    // THEN
    expect(stderr).toBe('');
    expect(code).toBe(DIFF_SAFE);
    expect(stdout).toContain('stack dev (2 resources): 1 added');
    expect(stdout).toContain('  + aws_s3_bucket.Reports  created');
    expect(stdout).toMatch(/SAFE: no stateful resource is destroyed or replaced\.$/);
  });

  test('exits 1 and says UNSAFE when a bucket would be destroyed', () => {
    // WHEN
    const { code, stdout } = run('diff', out('Uploads'), out('Reports'));
    // THEN
    expect(code).toBe(DIFF_UNSAFE);
    expect(stdout).toContain('  - aws_s3_bucket.Uploads  UNSAFE: destroyed');
    expect(stdout).toContain('UNSAFE: 1 stateful resource(s) would be destroyed or replaced.');
  });

  test('--format json prints the report as JSON, with the same exit code', () => {
    // WHEN
    const { code, stdout } = run('diff', out('Uploads'), out('Reports'), '--format', 'json');
    // THEN
    expect(code).toBe(DIFF_UNSAFE);
    const report = JSON.parse(stdout);
    expect(report.safe).toBe(false);
    expect(report.changes.map((c: any) => `${c.kind} ${c.address} ${c.unsafe}`)).toEqual([
      'added aws_s3_bucket.Reports false', 'removed aws_s3_bucket.Uploads true',
    ]);
  });

  test('--allow-state-moves is passed to the guard', () => {
    // GIVEN a bucket that moves from stack dev to stack dev-shop
    const before = out('Uploads');
    const platform = new Platform({ outdir: path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'paved-diff-')), 'out') });
    new Environment(platform, 'dev', { account: '123456789012', region: 'eu-central-1', profile: Profile.DEV, state: TerraformState.local() });
    const shop = new Environment(platform, 'dev-shop', { account: '123456789012', region: 'eu-central-1', profile: Profile.DEV, state: TerraformState.local() });
    new S3Bucket(shop, 'Uploads', { bucket: 'dev-uploads' });
    platform.synth();
    // WHEN
    const refused = run('diff', before, platform.outdir);
    const accepted = run('diff', before, platform.outdir, '--allow-state-moves');
    // THEN
    expect(refused.code).toBe(DIFF_UNSAFE);
    expect(refused.stdout).toContain("terraform state mv -state=paved-state-mv-dev.tfstate -state-out=paved-state-mv-dev-shop.tfstate 'aws_s3_bucket.Uploads' 'aws_s3_bucket.Uploads'");
    expect(accepted.code).toBe(DIFF_SAFE);
  });

  test('--help describes the command and its exit codes', () => {
    for (const argv of [['diff', '--help'], ['help', 'diff']]) {
      const { code, stdout } = run(...argv);
      expect(code).toBe(DIFF_SAFE);
      expect(stdout).toMatch(/^Usage: paved diff OLD_OUT NEW_OUT/);
      expect(stdout).toContain('Exit codes: 0 safe, 1 unsafe');
    }
    expect(run('--help').stdout).toMatch(/\n {2}diff {5}Compare two outputs before deploying/);
  });

  describe('bad input: one line, exit 2, never a stack trace', () => {
    test('fails when a folder does not exist', () => {
      const { code, stderr, stdout } = run('diff', '/nonexistent/old', out('Uploads'));
      expect(code).toBe(DIFF_USAGE);
      expect(stdout).toBe('');
      expect(stderr).toBe('paved diff: /nonexistent/old: oldOut: no such folder; expected a folder written by paved synth, Platform.synth() or cdktf synth (holding cdktf.out/manifest.json)');
    });

    test('fails when a folder is not a cdktf output', () => {
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'paved-diff-'));
      const { code, stderr } = run('diff', out('Uploads'), dir);
      expect(code).toBe(DIFF_USAGE);
      expect(stderr).toBe(`paved diff: ${dir}: newOut: has no manifest.json or cdktf.out/manifest.json; expected a folder written by paved synth, Platform.synth() or cdktf synth (holding cdktf.out/manifest.json)`);
    });

    test('fails when a folder is a file', () => {
      const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'paved-diff-')), 'report.md');
      fs.writeFileSync(file, '# report');
      const { code, stderr } = run('diff', file, out('Uploads'));
      expect(code).toBe(DIFF_USAGE);
      expect(stderr).toMatch(/^paved diff: .*report\.md: oldOut: is a file, not a folder; expected /);
      expect(stderr.split('\n')).toHaveLength(1);
    });

    test.each([
      [['diff'], /"paved diff" needs two folders, OLD_OUT and NEW_OUT; got 0/],
      [['diff', 'a', 'b', 'c'], /"paved diff" needs two folders, OLD_OUT and NEW_OUT; got 3/],
      [['diff', 'a', 'b', '--format', 'yaml'], /--format: got "yaml"; expected text or json/],
      [['diff', 'a', 'b', '--colour'], /Unknown option '--colour'/],
    ])('fails with exit 2 for %j', (argv, message) => {
      const { code, stderr } = run(...argv);
      expect(code).toBe(DIFF_USAGE);
      expect(stderr).toMatch(message);
      expect(stderr).toContain('Run "paved diff --help" for usage.');
    });
  });
});
