import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as YAML from 'yaml';
import { EXIT_INVALID, EXIT_OK, EXIT_USAGE, main } from '../../lib/cli/main';
import { expectValidKubernetesObjects } from '../support/k8s-schema';

const IMAGE = 'registry.acme.io/shop/orders:1.4.2';

/** The platform file the tests use: DEV and PROD, existing clusters, local state. */
const PLATFORM = {
  environments: [
    {
      name: 'dev',
      account: '123456789012',
      region: 'eu-central-1',
      profile: 'dev',
      cidr: '10.10.0.0/16',
      cluster: { clusterName: 'dev-main', nodeSecurityGroupId: 'sg-0123456789abcdef0' },
      state: 'local',
    },
    {
      name: 'prod',
      account: '210987654321',
      region: 'eu-central-1',
      profile: 'prod',
      cidr: '10.20.0.0/16',
      cluster: { clusterName: 'prod-main', nodeSecurityGroupId: 'sg-0123456789abcdef1' },
      state: 'local',
      dns: { zoneName: 'prod.acme.io', zoneId: 'Z0123456789ABCDEFGHIJ' },
    },
  ],
  sizes: [{ name: 'M-highmem', extends: 'M', app: { memoryRequestMiB: 1024, memoryLimitMiB: 2048 } }],
  classes: { analytics: 'L' },
};

function score(name: string, extra: string = ''): string {
  return `apiVersion: score.dev/v1b1
metadata:
  name: ${name}
service:
  ports:
    web:
      port: 8080
containers:
  main:
    image: .
${extra}`;
}

/** A scratch folder with the platform file and Score files; `out` does not exist yet. */
function workspace(files: { [name: string]: string } = {}): { dir: string; out: string; file: (name: string) => string } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'paved-cli-'));
  fs.writeFileSync(path.join(dir, 'platform.json'), JSON.stringify(PLATFORM));
  for (const [name, text] of Object.entries(files)) { fs.writeFileSync(path.join(dir, name), text); }
  return { dir, out: path.join(dir, 'out'), file: name => path.join(dir, name) };
}

/** Runs the command; returns its exit code and what it printed. */
function run(...argv: string[]): { code: number; stdout: string; stderr: string } {
  const out: string[] = [];
  const err: string[] = [];
  const code = main(argv, { out: line => out.push(line), err: line => err.push(line) });
  return { code, stdout: out.join('\n'), stderr: err.join('\n') };
}

describe('paved', () => {
  describe('synth', () => {
    test('writes the outputs of Platform.synth() and prints a summary', () => {
      // GIVEN
      const ws = workspace({ 'orders.yaml': score('orders', 'resources:\n  db:\n    type: postgres\n    class: analytics\n') });
      // WHEN
      const { code, stdout, stderr } = run('synth', '-f', ws.file('orders.yaml'), '--tenant', 'shop', '--env', 'dev',
        '--config', ws.file('platform.json'), '--out', ws.out, '--image', `main=${IMAGE}`);
      // THEN
      expect(stderr).toBe('');
      expect(code).toBe(EXIT_OK);
      expect(fs.readdirSync(ws.out).sort()).toEqual(['cdktf.out', 'k8s', 'report.md']);
      const manifest = YAML.parseAllDocuments(fs.readFileSync(path.join(ws.out, 'k8s/dev/shop/orders.k8s.yaml'), 'utf8')).map(d => d.toJS());
      expectValidKubernetesObjects(manifest);
      expect(manifest.find(o => o.kind === 'Deployment').spec.template.spec.containers[0].image).toBe(IMAGE);
      const stack = JSON.parse(fs.readFileSync(path.join(ws.out, 'cdktf.out/stacks/dev-shop/cdk.tf.json'), 'utf8'));
      expect(Object.values<any>(stack.resource.aws_db_instance)[0].instance_class).toBe('db.r6g.large');
      expect(stdout).toMatch(/^paved: synthesized 1 workload\(s\) from 1 Score file\(s\) into .*out\/ for dev \(tenant shop\)/);
      expect(stdout).toContain('  workloads:  orders');
      expect(stdout).toContain('  resources:  orders/db (postgres)');
      // The environment's foundation stack and the stack of tenant shop.
      expect(stdout).toMatch(/ {2}terraform: {2}2 stack\(s\), \d+ resources/);
      expect(stdout).toMatch(/ {2}kubernetes: 2 manifest\(s\), \d+ objects/);
      expect(stdout).toContain('  checks:     passed');
      expect(stdout).toMatch(/ {2}files: {6}5 written\n {4}.*out\/cdktf\.out\/stacks\/dev\/cdk\.tf\.json\n {4}.*out\/cdktf\.out\/stacks\/dev-shop\/cdk\.tf\.json/);
    });

    test('prints every problem and writes nothing when the input is invalid (exit 1)', () => {
      // GIVEN two files with three problems
      const ws = workspace({
        'a.yaml': score('orders', 'resources:\n  db:\n    type: oracle\n'),
        'b.yaml': score('Bad_Name'),
      });
      // WHEN
      const { code, stdout, stderr } = run('synth', '-f', ws.file('a.yaml'), '-f', ws.file('b.yaml'), '--tenant', 'shop',
        '--env', 'dev', '--config', ws.file('platform.json'), '--out', ws.out);
      // THEN
      expect(code).toBe(EXIT_INVALID);
      expect(stdout).toBe('');
      expect(stderr).toMatch(/^paved: .*a\.yaml, .*b\.yaml: score: 4 problem\(s\) in the Score files:/);
      expect(stderr).toMatch(/a\.yaml:10: containers\.main\.image: got "\."; expected the image to run/);
      expect(stderr).toMatch(/a\.yaml:13: resources\.db\.type: got "oracle"/);
      expect(stderr).toMatch(/b\.yaml:3: metadata\.name: got "Bad_Name"/);
      expect(stderr).toMatch(/b\.yaml:10: containers\.main\.image: got "\."/);
      expect(fs.existsSync(ws.out)).toBe(false);
    });

    test('keeps the previous outputs when a later synth fails', () => {
      // GIVEN a successful synth
      const ws = workspace({ 'orders.yaml': score('orders'), 'bad.yaml': score('orders', '    variables:\n      A: ${resources.db.host}\n') });
      const args = ['--tenant', 'shop', '--env', 'dev', '--config', ws.file('platform.json'), '--out', ws.out, '--image', `main=${IMAGE}`];
      expect(run('synth', '-f', ws.file('orders.yaml'), ...args).code).toBe(EXIT_OK);
      const before = fs.readFileSync(path.join(ws.out, 'k8s/dev/shop/orders.k8s.yaml'), 'utf8');
      // WHEN
      const { code } = run('synth', '-f', ws.file('bad.yaml'), ...args);
      // THEN
      expect(code).toBe(EXIT_INVALID);
      expect(fs.readFileSync(path.join(ws.out, 'k8s/dev/shop/orders.k8s.yaml'), 'utf8')).toBe(before);
    });

    test('prints a progress line per workload when there are more than 5', () => {
      // GIVEN
      const names = ['aa', 'bb', 'cc', 'dd', 'ee', 'ff'];
      const ws = workspace(Object.fromEntries(names.map(n => [`${n}.yaml`, score(n)])));
      // WHEN
      const { code, stdout } = run('synth', ...names.flatMap(n => ['-f', ws.file(`${n}.yaml`)]), '--tenant', 'shop', '--env', 'dev',
        '--config', ws.file('platform.json'), '--out', ws.out, '--image', `main=${IMAGE}`);
      // THEN
      expect(code).toBe(EXIT_OK);
      expect(stdout.split('\n').slice(0, 8)).toEqual([
        'paved: declaring 6 workloads in dev (tenant shop)',
        ...names.map((n, i) => `  [${i + 1}/6] ${n}`),
        'paved: synthesizing',
      ]);
    });

    test('no progress lines for 5 workloads or fewer', () => {
      const ws = workspace({ 'orders.yaml': score('orders') });
      const { stdout } = run('synth', '-f', ws.file('orders.yaml'), '--tenant', 'shop', '--env', 'dev',
        '--config', ws.file('platform.json'), '--out', ws.out, '--image', `main=${IMAGE}`);
      expect(stdout).not.toMatch(/\[1\/1\]/);
    });

    test('runs on a platform declared by a JavaScript module', () => {
      // GIVEN a module that declares one PROD environment on the platform it gets
      const lib = path.resolve(__dirname, '../../lib');
      const ws = workspace({
        'orders.yaml': score('orders'),
        'platform.js': `const paved = require(${JSON.stringify(lib)});
module.exports = (platform, { outdir }) => {
  if (!outdir) { throw new Error('no outdir'); }
  const env = new paved.Environment(platform, 'live', {
    account: '123456789012', region: 'eu-west-1', profile: paved.Profile.PROD, state: paved.TerraformState.local(),
  });
  new paved.Network(env, 'Network', { cidr: '10.30.0.0/16' });
  paved.Cluster.fromAttributes(env, 'Cluster', { clusterName: 'live', nodeSecurityGroupId: 'sg-0123456789abcdef2' });
};
module.exports.classes = { reporting: 'XL' };
`,
      });
      // WHEN
      const { code, stdout } = run('synth', '-f', ws.file('orders.yaml'), '--tenant', 'shop', '--config', ws.file('platform.js'),
        '--out', ws.out, '--image', `main=${IMAGE}`);
      // THEN
      expect(code).toBe(EXIT_OK);
      expect(stdout).toMatch(/for live \(tenant shop\)/);
      expect(fs.existsSync(path.join(ws.out, 'k8s/live/shop/orders.k8s.yaml'))).toBe(true);
    });

    test('runs on a platform declared by a TypeScript module, with ts-node from the project', () => {
      // GIVEN a default-exported function that returns its own platform, made with the outdir it is given
      const lib = path.resolve(__dirname, '../../lib');
      const ws = workspace({
        'orders.yaml': score('orders'),
        'platform.ts': `import * as paved from ${JSON.stringify(lib)};
export default function (_platform: paved.Platform, context: { outdir: string }): paved.Platform {
  const platform = new paved.Platform({ outdir: context.outdir });
  const env = new paved.Environment(platform, 'dev', {
    account: '123456789012', region: 'eu-west-1', profile: paved.Profile.DEV, state: paved.TerraformState.local(),
  });
  new paved.Network(env, 'Network', { cidr: '10.30.0.0/16' });
  paved.Cluster.fromAttributes(env, 'Cluster', { clusterName: 'dev', nodeSecurityGroupId: 'sg-0123456789abcdef2' });
  return platform;
}
`,
      });
      // WHEN
      const { code, stderr } = run('check', '-f', ws.file('orders.yaml'), '--tenant', 'shop', '--config', ws.file('platform.ts'),
        '--image', `main=${IMAGE}`);
      // THEN
      expect(stderr).toBe('');
      expect(code).toBe(EXIT_OK);
    });

    test('fails when a platform module returns a platform with another outdir (exit 1)', () => {
      const lib = path.resolve(__dirname, '../../lib');
      const ws = workspace({
        'orders.yaml': score('orders'),
        'platform.js': `const paved = require(${JSON.stringify(lib)});\nmodule.exports = () => new paved.Platform({ outdir: '/tmp/elsewhere' });\n`,
      });
      const { code, stderr } = run('check', '-f', ws.file('orders.yaml'), '--tenant', 'shop', '--config', ws.file('platform.js'));
      expect(code).toBe(EXIT_INVALID);
      expect(stderr).toMatch(/platform\.js: config: the returned platform writes to \/tmp\/elsewhere; expected .*\/out \(create it with the outdir passed in/);
    });

    test('runs on the built-in DEV platform without --config', () => {
      const ws = workspace({ 'orders.yaml': score('orders') });
      const { code, stdout } = run('synth', '-f', ws.file('orders.yaml'), '--tenant', 'shop', '--out', ws.out, '--image', `main=${IMAGE}`);
      expect(code).toBe(EXIT_OK);
      expect(stdout).toContain('platform:   built-in platform (one DEV environment "dev")');
      expect(fs.existsSync(path.join(ws.out, 'cdktf.out/stacks/dev/cdk.tf.json'))).toBe(true);
    }, 20_000);

    test('fails when the environment is not in the platform (exit 1)', () => {
      const ws = workspace({ 'orders.yaml': score('orders') });
      const { code, stderr } = run('synth', '-f', ws.file('orders.yaml'), '--tenant', 'shop', '--env', 'qa', '--config', ws.file('platform.json'));
      expect(code).toBe(EXIT_INVALID);
      expect(stderr).toMatch(/--env: got "qa"; expected an environment of .*platform\.json: dev, prod/);
    });

    test('fails when the platform file is invalid, listing every problem (exit 1)', () => {
      // GIVEN
      const ws = workspace({ 'orders.yaml': score('orders') });
      fs.writeFileSync(ws.file('bad.json'), JSON.stringify({
        environments: [{ name: 'dev', account: 123, region: 'eu-central-1', profile: 'test' }],
        sizes: [{ name: 'huge', extends: 'XXL' }],
        colour: 'blue',
      }));
      // WHEN
      const { code, stderr } = run('check', '-f', ws.file('orders.yaml'), '--tenant', 'shop', '--config', ws.file('bad.json'));
      // THEN
      expect(code).toBe(EXIT_INVALID);
      expect(stderr.split('\n')).toEqual([
        expect.stringMatching(/^paved: .*bad\.json: config: 5 problem\(s\) in the platform definition:$/),
        '  colour: got "colour"; expected one of environments, sizes, classes',
        '  sizes[0].extends: got "XXL"; expected a size defined before it: S, M, L, XL',
        '  environments[0].account: got 123; expected a string',
        '  environments[0].profile: got "test"; expected "dev", "staging" or "prod"',
        '  environments[0].cidr: got undefined; expected either "cidr" (a new network, e.g. "10.20.0.0/16") or "network" (attributes of an existing VPC), not both',
      ]);
    });
  });

  describe('check', () => {
    test('validates and writes nothing', () => {
      // GIVEN
      const ws = workspace({ 'orders.yaml': score('orders') });
      // WHEN
      const { code, stdout } = run('check', '-f', ws.file('orders.yaml'), '--tenant', 'shop', '--env', 'prod',
        '--config', ws.file('platform.json'), '--image', `main=${IMAGE}`);
      // THEN
      expect(code).toBe(EXIT_OK);
      expect(stdout).toMatch(/^paved: 1 workload\(s\) from 1 Score file\(s\) are valid for prod \(tenant shop\)/);
      expect(fs.existsSync(ws.out)).toBe(false);
    });

    test('fails with every problem (exit 1)', () => {
      const ws = workspace({ 'orders.yaml': score('orders', '    variables:\n      URL: ${resources.api.url}\n') });
      const { code, stderr } = run('check', '-f', ws.file('orders.yaml'), '--tenant', 'shop', '--env', 'dev', '--config', ws.file('platform.json'));
      expect(code).toBe(EXIT_INVALID);
      expect(stderr).toMatch(/2 problem\(s\)/);
      expect(stderr).toMatch(/containers\.main\.variables\.URL: got "\$\{resources\.api\.url\}"; expected a placeholder to a declared resource \(none declared\)/);
    });
  });

  describe('sizes', () => {
    test('prints the built-in catalogue as a table', () => {
      const { code, stdout } = run('sizes');
      expect(code).toBe(EXIT_OK);
      const lines = stdout.split('\n');
      expect(lines[0]).toBe('Sizes of the built-in platform:');
      expect(lines[1]).toMatch(/^size +replicas +autoscaling +cpu \(request\/limit\) +memory \(request\/limit\) +database +storage GiB +cache +nodes$/);
      expect(lines.slice(3).map(l => l.split(/ +/)[0])).toEqual(['S', 'M', 'L', 'XL']);
      expect(lines[4]).toMatch(/^M +2 +2-6 at 70% cpu +250m \/ 1000m +256Mi \/ 512Mi +db\.t4g\.medium +50-200 +cache\.t4g\.small \+1 +m6i\.large 2-6$/);
    });

    test('prints the sizes and classes of a platform file', () => {
      const ws = workspace();
      const { stdout } = run('sizes', '--config', ws.file('platform.json'));
      expect(stdout).toMatch(/\nM-highmem +2 +2-6 at 70% cpu +250m \/ 1000m +1024Mi \/ 2048Mi /);
      expect(stdout).toMatch(/\nClasses: analytics -> L$/);
    });
  });

  describe('usage', () => {
    test.each([
      [[], /^Usage: paved <command>/],
      [['deploy'], /unknown command "deploy"; expected synth, check or sizes/],
      [['synth', '--tenant', 'shop'], /"paved synth" needs at least one Score file: -f <score\.yaml>/],
      [['synth', '-f', 'a.yaml'], /"paved synth" needs --tenant <name>/],
      [['synth', '-f', 'a.yaml', '--tenant', 'shop', '--colour', 'blue'], /Unknown option '--colour'/],
      [['sizes', '-f', 'a.yaml'], /option --file does not apply to "paved sizes"/],
      [['check', '-f', 'a.yaml', '--tenant', 'shop', '--out', 'x'], /option --out does not apply to "paved check"/],
      [['synth', '-f', 'a.yaml', '--tenant', 'shop', '--image', 'busybox'], /--image "busybox": expected <container>=<image reference>/],
      [['synth', 'a.yaml'], /unexpected argument "a\.yaml" \(Score files are passed with -f\)/],
    ])('fails with exit 2 for %j', (argv, message) => {
      const { code, stderr } = run(...argv);
      expect(code).toBe(EXIT_USAGE);
      expect(stderr).toMatch(message);
    });

    test('fails with exit 2 when the platform has several environments and --env is missing', () => {
      const ws = workspace({ 'orders.yaml': score('orders') });
      const { code, stderr } = run('check', '-f', ws.file('orders.yaml'), '--tenant', 'shop', '--config', ws.file('platform.json'));
      expect(code).toBe(EXIT_USAGE);
      expect(stderr).toMatch(/has 2 environments \(dev, prod\); choose one with --env <name>/);
    });

    test.each(['synth', 'check', 'sizes'])('%s --help describes the command', command => {
      const { code, stdout } = run(command, '--help');
      expect(code).toBe(EXIT_OK);
      expect(stdout).toMatch(new RegExp(`^Usage: paved ${command}`));
      expect(stdout).toContain('-h, --help');
    });

    test('--help and help list the commands', () => {
      expect(run('--help').stdout).toMatch(/Commands:\n {2}synth .*\n {2}check .*\n {2}sizes /);
      expect(run('help', 'synth').stdout).toMatch(/^Usage: paved synth/);
    });

    test('--version prints the package version', () => {
      expect(run('--version').stdout).toMatch(/^paved \d+\.\d+\.\d+/);
    });
  });
});
