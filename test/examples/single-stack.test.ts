import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { buildPlatform } from '../fixtures/single-stack/platform';

/**
 * The single-stack layout produces exactly the Terraform paved produced
 * before per-tenant stacks existed: the fixture files are the output of the
 * example platform of that time (test/fixtures/single-stack/platform.ts), so
 * a platform that keeps this layout sees no change in any plan.
 *
 * Only the local backend's `path` is left out of the comparison: where
 * local state lives is the publishing code's decision, not the layout's.
 *
 * After an intended change of the output, regenerate the fixture with
 * `UPDATE_SINGLE_STACK_FIXTURE=1 npx jest test/examples/single-stack.test.ts`
 * and review the diff of test/fixtures/single-stack/ like any other change.
 */
const FIXTURE = path.join(__dirname, '..', 'fixtures', 'single-stack');
const outdir = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'paved-single-stack-')), 'out');
const result = buildPlatform(outdir).synth();
const tf = path.join(outdir, 'cdktf.out');

function comparable(json: any): any {
  const backend = json.terraform?.backend;
  if (!backend) { return json; }
  const kinds = Object.fromEntries(Object.entries<any>(backend).map(([kind, config]) => {
    const { path: _path, ...rest } = config;
    return [kind, rest];
  }));
  return { ...json, terraform: { ...json.terraform, backend: kinds } };
}

describe('single-stack layout', () => {
  if (process.env.UPDATE_SINGLE_STACK_FIXTURE) {
    test('writes the fixture', () => {
      fs.copyFileSync(path.join(tf, 'manifest.json'), path.join(FIXTURE, 'manifest.json'));
      for (const stack of result.stacks) {
        fs.copyFileSync(path.join(tf, 'stacks', stack, 'cdk.tf.json'), path.join(FIXTURE, `${stack}.cdk.tf.json`));
      }
    });
    return;
  }

  test('has the stacks of the fixture, one per environment', () => {
    const fixture = JSON.parse(fs.readFileSync(path.join(FIXTURE, 'manifest.json'), 'utf8'));
    expect(JSON.stringify(JSON.parse(fs.readFileSync(path.join(tf, 'manifest.json'), 'utf8')))).toEqual(JSON.stringify(fixture));
    expect(result.stacks).toEqual(Object.keys(fixture.stacks));
  });

  test.each(['dev', 'prod'])('stack %s is the fixture, value for value and key for key but the local state path', stack => {
    const written = comparable(JSON.parse(fs.readFileSync(path.join(tf, 'stacks', stack, 'cdk.tf.json'), 'utf8')));
    const fixture = comparable(JSON.parse(fs.readFileSync(path.join(FIXTURE, `${stack}.cdk.tf.json`), 'utf8')));
    expect(written).toEqual(fixture);
    // Key order too (toEqual ignores it): the text differs at most in whitespace.
    expect(JSON.stringify(written)).toEqual(JSON.stringify(fixture));
  });
});
