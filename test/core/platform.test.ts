import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { KubeConfigMap } from 'cdk8s-plus-28/lib/imports/k8s';
import { TerraformVariable } from 'cdktf';
import { Construct } from 'constructs';
import { Environment, Errors, Platform, Profile, SizeCatalogue } from '../../lib';
import { devEnvironment, testPlatform } from '../support/synth';

/** A chart of environment `dev`, tenant `shop`, file `orders`. */
function devChart(platform: Platform) {
  return (platform.terraform.node.findChild('dev') as Environment).chart('orders', 'shop');
}

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

  test('writes charts of another output folder beside k8s/, apart from the environments\' charts', () => {
    // GIVEN
    const platform = testPlatform();
    const env = devEnvironment(platform);
    new KubeConfigMap(env.chart('orders', 'shop'), 'Config', { metadata: { name: 'orders' }, data: { a: 'b' } });
    // An output chart whose segments equal a k8s chart's is still another chart.
    const other = platform.chart(['dev', 'shop', 'orders'], 'argocd', 'argocd');
    new KubeConfigMap(other, 'Config', { metadata: { name: 'apps' }, data: { a: 'b' } });
    // WHEN
    const result = platform.synth();
    // THEN
    expect(other).not.toBe(env.chart('orders', 'shop'));
    expect(result.manifests).toEqual(['k8s/dev/shop/orders.k8s.yaml', 'argocd/dev/shop/orders.k8s.yaml']);
    expect(fs.readFileSync(path.join(platform.outdir, 'argocd/dev/shop/orders.k8s.yaml'), 'utf8')).toContain('namespace: argocd');
    expect(platform._charts().map(c => [c.output, c.segments.join('/'), c.file])).toEqual([
      ['k8s', 'dev/shop/orders', 'k8s/dev/shop/orders.k8s.yaml'],
      ['argocd', 'dev/shop/orders', 'argocd/dev/shop/orders.k8s.yaml'],
    ]);
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

  test('synth can run twice: it replaces its own files and keeps everything else', () => {
    // GIVEN a synth, then files paved did not write, inside its folders too
    const platform = testPlatform();
    devEnvironment(platform);
    const first = platform.synth();
    fs.writeFileSync(path.join(platform.outdir, 'cdktf.out', 'notes.txt'), 'mine');
    fs.writeFileSync(path.join(platform.outdir, 'cdktf.out/stacks/dev/terraform.tfstate'), '{}');
    // WHEN
    const second = platform.synth();
    // THEN
    expect(fs.readFileSync(path.join(platform.outdir, 'cdktf.out', 'notes.txt'), 'utf8')).toBe('mine');
    expect(fs.readFileSync(path.join(platform.outdir, 'cdktf.out/stacks/dev/terraform.tfstate'), 'utf8')).toBe('{}');
    expect(first.files).toEqual(['cdktf.out/manifest.json', 'cdktf.out/stacks/dev/cdk.tf.json', 'report.md']);
    expect(first.changedFiles).toEqual(first.files);
    expect(second.files).toEqual(first.files);
    expect(second.changedFiles).toEqual([]);
    expect(second.removedFiles).toEqual([]);
  });

  test('synth deletes the files of an earlier synth it no longer writes, and the folders that leaves empty', () => {
    // GIVEN a synth with a manifest and a stack, then one without
    const first = testPlatform();
    devEnvironment(first, 'dev');
    devEnvironment(first, 'qa');
    new KubeConfigMap(devChart(first), 'Config', { metadata: { name: 'orders' } });
    first.synth();
    fs.writeFileSync(path.join(first.outdir, 'cdktf.out/stacks/qa/.terraform.lock.hcl'), '# providers');
    const second = new Platform({ outdir: first.outdir });
    devEnvironment(second, 'dev');
    // WHEN
    const result = second.synth();
    // THEN
    expect(result.removedFiles.sort()).toEqual(['cdktf.out/stacks/qa/cdk.tf.json', 'k8s/dev/shop/orders.k8s.yaml']);
    expect(fs.existsSync(path.join(first.outdir, 'k8s'))).toBe(false);
    expect(fs.readdirSync(path.join(first.outdir, 'cdktf.out/stacks/qa'))).toEqual(['.terraform.lock.hcl']);
  });

  test('publishes outputs added with addOutput beside the built-in ones, owning their files', () => {
    // GIVEN a folder output and a file output
    const platform = testPlatform();
    devEnvironment(platform);
    const apps = ['root', 'shop'];
    platform.addOutput('argocd', { write: target => apps.forEach(app => { fs.mkdirSync(target, { recursive: true }); fs.writeFileSync(path.join(target, `${app}.yaml`), `name: ${app}\n`); }) });
    platform.addOutput('catalog-info.yaml', { write: target => fs.writeFileSync(target, 'kind: System\n') });
    // WHEN
    const first = platform.synth();
    apps.pop();
    const second = platform.synth();
    // THEN
    expect(first.files).toEqual(expect.arrayContaining(['argocd/root.yaml', 'argocd/shop.yaml', 'catalog-info.yaml']));
    expect(fs.readFileSync(path.join(platform.outdir, 'catalog-info.yaml'), 'utf8')).toBe('kind: System\n');
    expect(second.removedFiles).toEqual(['argocd/shop.yaml']);
    expect(fs.readdirSync(path.join(platform.outdir, 'argocd'))).toEqual(['root.yaml']);
  });

  test.each(['k8s', 'report.md', '.paved', 'cdktf.out', 'Argo', 'a/b', ''])('fails when addOutput is given the name %j', name => {
    const platform = testPlatform();
    expect(() => platform.addOutput(name, { write: () => {} })).toThrow(
      `Platform: addOutput name: got ${JSON.stringify(name)}; expected a file or folder name of lowercase letters, digits, ".", "-" and "_", not one in use (k8s, report.md, .paved, cdktf.out)`);
  });

  test('fails when addOutput is given a name twice, or no writer', () => {
    const platform = testPlatform();
    platform.addOutput('argocd', { write: () => {} });
    expect(() => platform.addOutput('argocd', { write: () => {} })).toThrow(/addOutput name: got "argocd"; expected .*not one in use \(k8s, report\.md, \.paved, cdktf\.out, argocd\)/);
    expect(() => platform.addOutput('site', {} as any)).toThrow('Platform: addOutput site: got {}; expected an object with a write(target) method');
  });

  test('fails when a chart names an output folder that is reserved or added with addOutput, and addOutput a chart\'s folder', () => {
    const platform = testPlatform();
    platform.addOutput('catalog', { write: () => {} });
    platform.chart(['dev', 'root'], undefined, 'argocd');
    for (const output of ['catalog', 'report.md', 'cdktf.out', '.paved', 'Not A Name']) {
      expect(() => platform.chart(['dev', 'x'], undefined, output))
        .toThrow(`Platform: chart output: got ${JSON.stringify(output)}; expected "k8s" or a folder name of lowercase letters`);
    }
    expect(() => platform.addOutput('argocd', { write: () => {} })).toThrow(/addOutput name: got "argocd"; expected .*not one in use \(.*argocd/);
  });

  test('fails, writing nothing, when an added output writes outside its own path', () => {
    // GIVEN
    const platform = testPlatform();
    devEnvironment(platform);
    platform.addOutput('argocd', { write: target => fs.writeFileSync(path.join(path.dirname(target), 'stray.yaml'), 'x') });
    // THEN
    expect(() => platform.synth()).toThrow('an output added with addOutput wrote stray.yaml outside its own path');
    expect(fs.readdirSync(platform.outdir)).toEqual(['.paved']);
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

  test('renders report sections added by higher layers after the manifests, in the order added', () => {
    // GIVEN
    const platform = testPlatform();
    devEnvironment(platform);
    const rendered: string[] = [];
    platform.addReportSection('Cost estimate', { render: () => { rendered.push('cost'); return '| env | USD |\n| --- | --- |\n| dev | 1.00 |\n'; } });
    platform.addReportSection('Catalog', { render: () => 'Nothing yet.' });
    // WHEN
    platform.synth();
    // THEN
    const report = fs.readFileSync(path.join(platform.outdir, 'report.md'), 'utf8');
    const manifests = report.indexOf('## Kubernetes manifests');
    const cost = report.indexOf('## Cost estimate\n\n| env | USD |\n| --- | --- |\n| dev | 1.00 |\n\n## Catalog\n\nNothing yet.\n\n## Defaults chosen');
    expect(manifests).toBeGreaterThan(0);
    expect(cost).toBeGreaterThan(manifests);
    expect(rendered).toEqual(['cost']);
  });

  test.each(['', 'two\nlines', '# heading', ' padded', 'x'.repeat(101)])('fails when addReportSection is given the title %j', title => {
    const platform = testPlatform();
    expect(() => platform.addReportSection(title, { render: () => '' })).toThrow(
      `Platform: addReportSection title: got ${JSON.stringify(title)}; expected one line of 1-100 characters without "#", not a title in use (none yet)`);
  });

  test('fails when addReportSection is given a title twice, or no renderer', () => {
    const platform = testPlatform();
    platform.addReportSection('Cost estimate', { render: () => '' });
    expect(() => platform.addReportSection('Cost estimate', { render: () => '' })).toThrow(/not a title in use \(Cost estimate\)/);
    expect(() => platform.addReportSection('Catalog', {} as any)).toThrow('Platform: addReportSection Catalog: got {}; expected an object with a render() method');
  });

  test('fails the synth with nothing written when a report section fails to render', () => {
    const platform = testPlatform();
    devEnvironment(platform);
    platform.addReportSection('Broken', { render: () => { throw new Error('no prices'); } });
    expect(() => platform.synth()).toThrow('no prices');
    expect(fs.readdirSync(platform.outdir)).toEqual(['.paved']);
  });

  test('a report without warnings has no warnings section', () => {
    const platform = testPlatform();
    devEnvironment(platform);
    const result = platform.synth();
    expect(result.warnings).toEqual([]);
    expect(fs.readFileSync(path.join(platform.outdir, 'report.md'), 'utf8')).not.toContain('## Warnings');
  });

  test('honours the output folder the cdktf CLI passes in CDKTF_OUTDIR: Terraform there, the rest beside it', () => {
    // GIVEN cdktf synth running the program in a project folder
    const project = fs.mkdtempSync(path.join(os.tmpdir(), 'paved-cdktf-project-'));
    process.env.CDKTF_OUTDIR = path.join(project, 'tf');
    let platform: Platform;
    try {
      platform = new Platform({ outdir: 'ignored' });
    } finally {
      delete process.env.CDKTF_OUTDIR;
    }
    devEnvironment(platform);
    // WHEN
    const result = platform.synth();
    // THEN
    expect(platform.outdir).toBe(project);
    expect(result.terraformFolder).toBe('tf');
    expect(fs.existsSync(path.join(project, 'tf/manifest.json'))).toBe(true);
    expect(fs.existsSync(path.join(project, 'tf/stacks/dev/cdk.tf.json'))).toBe(true);
    expect(fs.readFileSync(path.join(project, 'report.md'), 'utf8')).toContain('| dev | `tf/stacks/dev/cdk.tf.json` | 0 |');
  });

  test.each(['k8s', 'report.md', '.paved'])('fails when CDKTF_OUTDIR names a folder %s, which holds another output', name => {
    process.env.CDKTF_OUTDIR = path.join(os.tmpdir(), name);
    try {
      expect(() => new Platform()).toThrow(`Platform: CDKTF_OUTDIR: got ${JSON.stringify(path.join(os.tmpdir(), name))}; expected a folder whose parent holds the other outputs, named other than k8s, report.md, .paved`);
    } finally {
      delete process.env.CDKTF_OUTDIR;
    }
  });

  test('fails when outdir is empty', () => {
    expect(() => new Platform({ outdir: '' })).toThrow('Platform: outdir: got ""; expected the path of a folder');
  });

  test('fails when outdir is not a string', () => {
    expect(() => new Platform({ outdir: 42 as any })).toThrow('Platform: outdir: got 42; expected a string');
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
