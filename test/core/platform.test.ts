import * as fs from 'fs';
import * as path from 'path';
import { KubeConfigMap } from 'cdk8s-plus-28/lib/imports/k8s';
import { TerraformVariable } from 'cdktf';
import { Construct } from 'constructs';
import { Environment, Errors, Platform, Profile, SizeCatalogue } from '../../lib';
import { devEnvironment, testPlatform } from '../support/synth';

describe('Platform', () => {
  test('writes Terraform JSON in cdktf layout, one stack per environment', () => {
    // GIVEN
    const platform = testPlatform();
    devEnvironment(platform, 'dev');
    devEnvironment(platform, 'staging');
    // WHEN
    const result = platform.synth();
    // THEN
    const manifest = JSON.parse(fs.readFileSync(path.join(platform.outdir, 'cdktf.out/manifest.json'), 'utf8'));
    expect(Object.keys(manifest.stacks)).toEqual(['dev', 'staging']);
    expect(manifest.stacks.dev.synthesizedStackPath).toBe('stacks/dev/cdk.tf.json');
    expect(fs.existsSync(path.join(platform.outdir, 'cdktf.out/stacks/staging/cdk.tf.json'))).toBe(true);
    expect(result.stacks).toEqual(['dev', 'staging']);
  });

  test('writes each chart to k8s/<environment>/<tenant>/<name>.k8s.yaml', () => {
    // GIVEN
    const platform = testPlatform();
    const env = devEnvironment(platform);
    new KubeConfigMap(env.chart('orders', 'shop'), 'Config', { metadata: { name: 'orders' }, data: { a: 'b' } });
    env.chart('empty', 'shop');
    // WHEN
    const result = platform.synth();
    // THEN
    const yaml = fs.readFileSync(path.join(platform.outdir, 'k8s/dev/shop/orders.k8s.yaml'), 'utf8');
    expect(yaml).toContain('kind: ConfigMap');
    expect(yaml).toContain('namespace: shop');
    expect(result.manifests).toEqual(['k8s/dev/shop/orders.k8s.yaml']);
    expect(result.kubernetesObjects).toBe(1);
  });

  test('writes a report with stacks, manifests and the defaults profiles chose', () => {
    // GIVEN
    const platform = testPlatform();
    new Environment(platform, 'prod', { account: '123456789012', region: 'eu-central-1', profile: Profile.PROD.with({ backupRetentionDays: 14 }) });
    // WHEN
    platform.synth();
    // THEN
    const report = fs.readFileSync(path.join(platform.outdir, 'report.md'), 'utf8');
    expect(report).toContain('| prod | `cdktf.out/stacks/prod/cdk.tf.json` | 0 |');
    expect(report).toContain('| prod | profile.multiAz | true | profile prod |');
    expect(report).toContain('| prod | profile.backupRetentionDays | 14 | **override of profile prod (preset: 30)** |');
  });

  test('records defaults that constructs report', () => {
    // GIVEN
    const platform = testPlatform();
    const env = devEnvironment(platform);
    // WHEN
    platform.recordDefault(new Construct(env, 'Thing'), 'replicas', '2', 'size M');
    platform.synth();
    // THEN
    expect(fs.readFileSync(path.join(platform.outdir, 'report.md'), 'utf8')).toContain('| dev/Thing | replicas | 2 | size M |');
  });

  test('collects warnings once each, lists them first in the report and returns them from synth', () => {
    // GIVEN
    const platform = testPlatform();
    const env = devEnvironment(platform);
    const thing = new Construct(env, 'Thing');
    // WHEN
    platform.warn(thing, 'env.PASSWORD holds a literal | with *markup*');
    platform.warn(thing, 'env.PASSWORD holds a literal | with *markup*');
    platform.warn(env, 'second\nline');
    const result = platform.synth();
    // THEN
    expect(platform.warnings).toEqual(['dev/Thing: env.PASSWORD holds a literal | with *markup*', 'dev: second\nline']);
    expect(result.warnings).toEqual(platform.warnings);
    const report = fs.readFileSync(path.join(platform.outdir, 'report.md'), 'utf8');
    expect(report.split('\n').slice(0, 6)).toEqual([
      '# paved synth report',
      '',
      '## Warnings (2)',
      '',
      '- dev/Thing: env.PASSWORD holds a literal \\| with \\*markup\\*',
      '- dev: second line',
    ]);
  });

  test('a report without warnings has no warnings section', () => {
    const platform = testPlatform();
    devEnvironment(platform);
    const result = platform.synth();
    expect(result.warnings).toEqual([]);
    expect(fs.readFileSync(path.join(platform.outdir, 'report.md'), 'utf8')).not.toContain('## Warnings');
  });

  test('synth can run twice and replaces the previous outputs', () => {
    // GIVEN
    const platform = testPlatform();
    devEnvironment(platform);
    platform.synth();
    fs.writeFileSync(path.join(platform.outdir, 'cdktf.out', 'stale.txt'), 'x');
    // WHEN
    platform.synth();
    // THEN
    expect(fs.existsSync(path.join(platform.outdir, 'cdktf.out', 'stale.txt'))).toBe(false);
    expect(fs.existsSync(path.join(platform.outdir, 'cdktf.out/stacks/dev/cdk.tf.json'))).toBe(true);
  });

  test('defaults to the S, M, L, XL catalogue and takes a custom one', () => {
    expect(testPlatform().sizes.names).toEqual(['S', 'M', 'L', 'XL']);
    const sizes = SizeCatalogue.of([]);
    expect(new Platform({ sizes }).sizes).toBe(sizes);
  });

  test('of() finds the platform from both trees', () => {
    // GIVEN
    const platform = testPlatform();
    const env = devEnvironment(platform);
    // THEN
    expect(Platform.of(env)).toBe(platform);
    expect(Platform.of(env.chart('x', 'y'))).toBe(platform);
  });

  test('fails when of() is asked about a construct outside any platform', () => {
    expect(() => Platform.of(new Construct(undefined as any, 'stray'))).toThrow('stray: scope: is not inside a paved Platform');
  });

  test('fails to synth, writing nothing, when a construct is invalid', () => {
    // GIVEN
    const platform = testPlatform();
    const env = devEnvironment(platform);
    new Construct(env, 'Broken').node.addValidation({ validate: () => ['needs a host'] });
    // WHEN
    let error: unknown;
    try { platform.synth(); } catch (e) { error = e; }
    // THEN
    expect(Errors.isPavedError(error)).toBe(true);
    expect(String(error)).toContain('dev/Broken: needs a host');
    expect(fs.existsSync(platform.outdir)).toBe(false);
  });
});

describe('Errors', () => {
  test('recognises paved errors and nothing else', () => {
    let error: unknown;
    try { new Environment(testPlatform(), 'Bad', { account: '1', region: 'x' }); } catch (e) { error = e; }
    expect(Errors.isPavedError(error)).toBe(true);
    expect((error as any).constructPath).toBe('Bad');
    expect((error as any).property).toBe('name');
    expect(Errors.isPavedError(new Error('x'))).toBe(false);
    expect(Errors.isPavedError(undefined)).toBe(false);
  });
});

describe('Platform synth guards', () => {
  test('fails, writing nothing, when a Kubernetes object holds a Terraform token', () => {
    // GIVEN a ConfigMap whose value only exists after terraform apply
    const platform = testPlatform();
    const env = devEnvironment(platform);
    const variable = new TerraformVariable(env, 'host', { type: 'string' });
    new KubeConfigMap(env.chart('orders', 'shop'), 'Config', { metadata: { name: 'orders' }, data: { host: variable.stringValue } });
    // THEN
    expect(() => platform.synth()).toThrow(/Platform: synth: Kubernetes objects hold Terraform tokens.*\n  k8s\/dev\/shop\/orders.k8s.yaml: ConfigMap orders: \$\{TfToken\[TOKEN\.\d+\]\}/);
    expect(fs.existsSync(platform.outdir)).toBe(false);
  });
});
