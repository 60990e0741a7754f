import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as YAML from 'yaml';
import {
  EXIT_BUSY, EXIT_INTERNAL, EXIT_INVALID, EXIT_OK, EXIT_OUTPUT_NOT_A_FOLDER, EXIT_OUTPUT_NOT_WRITABLE, EXIT_OUTPUT_UNSAFE, EXIT_USAGE, main,
} from '../../lib/cli/main';
import { Platform } from '../../lib/core/platform';
import { expectValidKubernetesObjects } from '../support/k8s-schema';
import { expectNoDanglingReferences } from '../support/tf-references';

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
      cluster: { clusterName: 'dev-main', nodeSecurityGroupId: 'sg-0123456789abcdef0', networkPolicyEnforcement: 'vpc-cni' },
      state: 'local',
    },
    {
      name: 'prod',
      account: '210987654321',
      region: 'eu-central-1',
      profile: 'prod',
      cidr: '10.20.0.0/16',
      cluster: { clusterName: 'prod-main', nodeSecurityGroupId: 'sg-0123456789abcdef1', networkPolicyEnforcement: { acknowledged: 'Calico' } },
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

/** The same platform with its DEV environment only. */
const DEV_PLATFORM = { ...PLATFORM, environments: [PLATFORM.environments[0]] };

/**
 * A scratch folder with the platform files (`platform.json`: DEV and PROD,
 * `dev-platform.json`: DEV only) and the files given (paths may have
 * folders); `out` does not exist yet.
 */
function workspace(files: { [name: string]: string } = {}): { dir: string; out: string; file: (name: string) => string } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'paved-cli-'));
  fs.writeFileSync(path.join(dir, 'platform.json'), JSON.stringify(PLATFORM));
  fs.writeFileSync(path.join(dir, 'dev-platform.json'), JSON.stringify(DEV_PLATFORM));
  for (const [name, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    fs.writeFileSync(path.join(dir, name), text);
  }
  return { dir, out: path.join(dir, 'out'), file: name => path.join(dir, name) };
}

/** Every file below `dir` (relative path -> content), for byte-for-byte comparisons. */
function tree(dir: string): { [file: string]: string } {
  const files: { [file: string]: string } = {};
  const walk = (relative: string) => {
    for (const entry of fs.readdirSync(path.join(dir, relative), { withFileTypes: true })) {
      const child = path.join(relative, entry.name);
      if (entry.isDirectory()) { walk(child); } else { files[child] = fs.readFileSync(path.join(dir, child), 'utf8'); }
    }
  };
  walk('');
  return files;
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
        '--config', ws.file('dev-platform.json'), '--out', ws.out, '--image', `main=${IMAGE}`);
      // THEN
      expect(stderr).toBe('');
      expect(code).toBe(EXIT_OK);
      expect(fs.readdirSync(ws.out).sort()).toEqual(['.paved', 'cdktf.out', 'k8s', 'report.md']);
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
      // The tenant's boundary and workload; the database admin namespace, its store of tenant shop and the job of orders/db.
      expect(stdout).toMatch(/ {2}kubernetes: 5 manifest\(s\), \d+ objects/);
      expect(stdout).toContain('  checks:     passed');
      expect(stdout).toMatch(/ {2}files: {6}9 in .*out\/: 9 written, 0 unchanged, 0 removed\n {4}.*out\/cdktf\.out\/stacks\/dev\/cdk\.tf\.json\n {4}.*out\/cdktf\.out\/stacks\/dev-shop\/cdk\.tf\.json\n/);
    });

    test('prints one JSON object with --format json', () => {
      const ws = workspace({ 'orders.yaml': score('orders', 'resources:\n  db:\n    type: postgres\n') });
      const { code, stdout } = run('synth', '-f', ws.file('orders.yaml'), '--tenant', 'shop', '--config', ws.file('dev-platform.json'),
        '--out', ws.out, '--image', `main=${IMAGE}`, '--format', 'json');
      expect(code).toBe(EXIT_OK);
      const json = JSON.parse(stdout);
      expect(json).toMatchObject({
        command: 'synth',
        outdir: path.resolve(ws.out),
        stacks: ['dev', 'dev-shop'],
        manifests: [
          'k8s/dev/shop/tenant.k8s.yaml',
          // The database user of orders/db is made by the environment's database admin.
          'k8s/dev/paved-db-admin/namespace.k8s.yaml',
          'k8s/dev/paved-db-admin/store-shop.k8s.yaml',
          'k8s/dev/paved-db-admin/user-shop-orders-db.k8s.yaml',
          'k8s/dev/shop/orders.k8s.yaml',
        ],
        report: 'report.md',
        workloads: [{ environment: 'dev', tenant: 'shop', name: 'orders' }],
        resources: [{ environment: 'dev', tenant: 'shop', workload: 'orders', name: 'db', type: 'postgres' }],
        files: { unchanged: [], removed: [] },
        warnings: [],
      });
      expect(json.files.written).toContain('report.md');
      const again = JSON.parse(run('synth', '-f', ws.file('orders.yaml'), '--tenant', 'shop', '--config', ws.file('dev-platform.json'),
        '--out', ws.out, '--image', `main=${IMAGE}`, '--format', 'json').stdout);
      expect(again.files.written).toEqual([]);
    });

    test('prints failures as JSON too with --format json', () => {
      const { code, stdout, stderr } = run('synth', '-f', 'missing.yaml', '--tenant', 'shop', '--format', 'json');
      expect(code).toBe(EXIT_INVALID);
      expect(JSON.parse(stdout)).toEqual({ command: 'synth', error: expect.stringContaining('missing.yaml'), exitCode: EXIT_INVALID });
      expect(stderr).toContain('missing.yaml');
      const usage = run('synth', '--format', 'json', '--colour', 'blue');
      expect(usage.code).toBe(2);
      expect(JSON.parse(usage.stdout)).toMatchObject({ command: 'synth', exitCode: 2 });
    });

    test('fails when --format is neither text nor json', () => {
      const { code, stderr } = run('sizes', '--format', 'yaml');
      expect(code).toBe(2);
      expect(stderr).toContain('--format: got "yaml"; expected text or json');
    });

    test('a second run rewrites nothing that did not change, and says so', () => {
      // GIVEN
      const ws = workspace({ 'orders.yaml': score('orders') });
      const args = ['synth', '-f', ws.file('orders.yaml'), '--tenant', 'shop', '--config', ws.file('dev-platform.json'), '--out', ws.out, '--image', `main=${IMAGE}`];
      expect(run(...args).code).toBe(EXIT_OK);
      // WHEN
      const { code, stdout } = run(...args);
      // THEN
      expect(code).toBe(EXIT_OK);
      expect(stdout).toMatch(/ {2}files: {6}6 in .*out\/: 0 written, 6 unchanged, 0 removed/);
      expect(stdout).toMatch(/out\/k8s\/dev\/shop\/orders\.k8s\.yaml \(unchanged\)/);
    });

    test('prints every problem and writes nothing when the input is invalid (exit 1)', () => {
      // GIVEN two files with three problems
      const ws = workspace({
        'a.yaml': score('orders', 'resources:\n  db:\n    type: oracle\n'),
        'b.yaml': score('Bad_Name'),
      });
      // WHEN
      const { code, stdout, stderr } = run('synth', '-f', ws.file('b.yaml'), '-f', ws.file('a.yaml'), '--tenant', 'shop',
        '--env', 'dev', '--config', ws.file('dev-platform.json'), '--out', ws.out);
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
      const args = ['--tenant', 'shop', '--env', 'dev', '--config', ws.file('dev-platform.json'), '--out', ws.out, '--image', `main=${IMAGE}`];
      expect(run('synth', '-f', ws.file('orders.yaml'), ...args).code).toBe(EXIT_OK);
      const before = tree(ws.out);
      // WHEN
      const { code } = run('synth', '-f', ws.file('bad.yaml'), ...args);
      // THEN
      expect(code).toBe(EXIT_INVALID);
      expect(tree(ws.out)).toEqual(before);
    });

    test('writes the same bytes whatever the order of the -f files', () => {
      // GIVEN three workloads with a database each and one they share (the tenant's IAM policy and the report list them)
      const shared = 'resources:\n  db:\n    type: postgres\n  orders:\n    type: postgres\n    id: shop-db\n  files:\n    type: s3\n';
      const ws = workspace({ 'a.yaml': score('alpha', shared), 'b.yaml': score('bravo', shared), 'c.yaml': score('charlie', shared) });
      const synth = (out: string, ...order: string[]) => run('synth', ...order.flatMap(f => ['-f', ws.file(f)]), '--tenant', 'shop',
        '--config', ws.file('dev-platform.json'), '--out', path.join(ws.dir, out), '--image', `main=${IMAGE}`).code;
      // WHEN
      expect(synth('one', 'a.yaml', 'b.yaml', 'c.yaml')).toBe(EXIT_OK);
      expect(synth('two', 'c.yaml', 'a.yaml', 'b.yaml')).toBe(EXIT_OK);
      expect(synth('three', 'b.yaml', 'c.yaml', 'a.yaml')).toBe(EXIT_OK);
      // THEN
      const one = tree(path.join(ws.dir, 'one'));
      expect(Object.keys(one)).toContain('.paved/owned.json');
      expect(tree(path.join(ws.dir, 'two'))).toEqual(one);
      expect(tree(path.join(ws.dir, 'three'))).toEqual(one);
    });

    test('keeps hand-written files and Terraform state in the output folder, also with --out .', () => {
      // GIVEN a project folder that is the output folder, with a hand-written manifest, and a synth run in it
      const ws = workspace({ 'orders.yaml': score('orders'), 'k8s/handwritten/mine.yaml': 'kind: ConfigMap\n' });
      const args = ['synth', '-f', 'orders.yaml', '--tenant', 'shop', '--config', 'dev-platform.json', '--out', '.', '--image', `main=${IMAGE}`];
      const cwd = process.cwd();
      process.chdir(ws.dir);
      try {
        expect(run(...args).code).toBe(EXIT_OK);
        fs.writeFileSync('terraform.dev.tfstate', '{"version": 4}');
        fs.mkdirSync('cdktf.out/stacks/dev/.terraform/providers', { recursive: true });
        fs.writeFileSync('cdktf.out/stacks/dev/.terraform.lock.hcl', '# lock');
        // WHEN synthesizing again, the workload gone
        fs.writeFileSync('other.yaml', score('other'));
        const { code, stdout } = run(...args.map(a => (a === 'orders.yaml' ? 'other.yaml' : a)));
        // THEN
        expect(code).toBe(EXIT_OK);
        expect(stdout).toContain('./k8s/dev/shop/orders.k8s.yaml (removed: no longer written)');
        expect(fs.readFileSync('k8s/handwritten/mine.yaml', 'utf8')).toBe('kind: ConfigMap\n');
        expect(fs.readFileSync('terraform.dev.tfstate', 'utf8')).toBe('{"version": 4}');
        expect(fs.existsSync('cdktf.out/stacks/dev/.terraform/providers')).toBe(true);
        expect(fs.readFileSync('cdktf.out/stacks/dev/.terraform.lock.hcl', 'utf8')).toBe('# lock');
        expect(fs.existsSync('k8s/dev/shop/orders.k8s.yaml')).toBe(false);
        expect(fs.existsSync('k8s/dev/shop/other.k8s.yaml')).toBe(true);
        expect(fs.readFileSync('orders.yaml', 'utf8')).toBe(score('orders'));
      } finally {
        process.chdir(cwd);
      }
    });

    test('prints a progress line per workload when there are more than 5', () => {
      // GIVEN
      const names = ['aa', 'bb', 'cc', 'dd', 'ee', 'ff'];
      const ws = workspace(Object.fromEntries(names.map(n => [`${n}.yaml`, score(n)])));
      // WHEN
      const { code, stdout } = run('synth', ...names.flatMap(n => ['-f', ws.file(`${n}.yaml`)]), '--tenant', 'shop', '--env', 'dev',
        '--config', ws.file('dev-platform.json'), '--out', ws.out, '--image', `main=${IMAGE}`);
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
        '--config', ws.file('dev-platform.json'), '--out', ws.out, '--image', `main=${IMAGE}`);
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
  paved.Cluster.fromAttributes(env, 'Cluster', { clusterName: 'live', nodeSecurityGroupId: 'sg-0123456789abcdef2', networkPolicyEnforcement: paved.NetworkPolicyEnforcement.vpcCni() });
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
  paved.Cluster.fromAttributes(env, 'Cluster', { clusterName: 'dev', nodeSecurityGroupId: 'sg-0123456789abcdef2', networkPolicyEnforcement: paved.NetworkPolicyEnforcement.vpcCni() });
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

    test('declares the resource types of --provisioners files and of the platform file\'s provisioners', () => {
      // GIVEN
      const ws = workspace({
        'orders.yaml': 'apiVersion: score.dev/v1b1\nmetadata:\n  name: orders\ncontainers:\n  main:\n    image: .\n    variables:\n'
          + '      PAYMENTS: ${resources.payments.url}\n      FLAGS: ${resources.flags.url}\n'
          + 'resources:\n  payments:\n    type: endpoint\n    params: { name: payments }\n  flags:\n    type: flags\n    params: { team: shop }\n',
        'platform/endpoint.yaml': 'apiVersion: paved.dev/v1\nprovisioners:\n  - type: endpoint\n    params:\n      name: { type: string, required: true }\n'
          + '    outputs:\n      url: { value: "http://${params.name}.apis:8080" }\n',
        'flags.json': JSON.stringify({ apiVersion: 'paved.dev/v1', provisioners: [{ type: 'flags', params: { team: { type: 'string' } }, outputs: { url: { value: 'http://flags/${params.team}' } } }] }),
      });
      fs.writeFileSync(ws.file('with-provisioners.json'), JSON.stringify({ ...DEV_PLATFORM, provisioners: 'platform/endpoint.yaml' }));
      // WHEN
      const { code, stderr } = run('synth', '-f', ws.file('orders.yaml'), '--tenant', 'shop', '--config', ws.file('with-provisioners.json'),
        '--provisioners', ws.file('flags.json'), '--out', ws.out, '--image', `main=${IMAGE}`);
      // THEN
      expect(stderr).toBe('');
      expect(code).toBe(EXIT_OK);
      const manifest = YAML.parseAllDocuments(fs.readFileSync(path.join(ws.out, 'k8s/dev/shop/orders.k8s.yaml'), 'utf8')).map(d => d.toJS());
      expect(manifest.find(o => o.kind === 'Deployment').spec.template.spec.containers[0].env).toEqual(expect.arrayContaining([
        { name: 'PAYMENTS', value: 'http://payments.apis:8080' }, { name: 'FLAGS', value: 'http://flags/shop' },
      ]));
    }, 20_000);

    test('fails when a provisioners file has a problem (exit 1), naming file, line and field', () => {
      const ws = workspace({
        'orders.yaml': score('orders'),
        'p.yaml': 'apiVersion: paved.dev/v1\nprovisioners:\n  - type: endpoint\n    outputs:\n      url: { value: "${params.host}" }\n',
      });
      const { code, stderr } = run('check', '-f', ws.file('orders.yaml'), '--tenant', 'shop', '--provisioners', ws.file('p.yaml'), '--image', `main=${IMAGE}`);
      expect(code).toBe(EXIT_INVALID);
      expect(stderr).toMatch(/p\.yaml:5: provisioners\[0\]\.outputs\.url\.value: got "\$\{params\.host\}"; expected a placeholder to a declared param \(none declared\)/);
    });

    test('fails when the platform file\'s provisioners is not a path (exit 1)', () => {
      const ws = workspace({ 'orders.yaml': score('orders') });
      fs.writeFileSync(ws.file('bad.json'), JSON.stringify({ ...DEV_PLATFORM, provisioners: [42] }));
      const { code, stderr } = run('check', '-f', ws.file('orders.yaml'), '--tenant', 'shop', '--config', ws.file('bad.json'));
      expect(code).toBe(EXIT_INVALID);
      expect(stderr).toContain('provisioners: got [42]; expected the path of a provisioners file, or a list of them (relative to the platform file)');
    });

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
        '  colour: got "colour"; expected one of environments, sizes, classes, provisioners',
        '  sizes[0].extends: got "XXL"; expected a size defined before it: S, M, L, XL',
        '  environments[0].account: got 123; expected a string',
        '  environments[0].profile: got "test"; expected "dev", "staging" or "prod"',
        '  environments[0].cidr: got undefined; expected either "cidr" (a new network, e.g. "10.20.0.0/16") or "network" (attributes of an existing VPC), not both',
      ]);
    });
    test('fails when an imported cluster\'s networkPolicyEnforcement is not "vpc-cni", acknowledged or notEnforced (exit 1)', () => {
      // GIVEN
      const ws = workspace({ 'orders.yaml': score('orders') });
      const env = { ...PLATFORM.environments[0], cluster: { ...PLATFORM.environments[0].cluster, networkPolicyEnforcement: 'calico' } };
      fs.writeFileSync(ws.file('bad.json'), JSON.stringify({ environments: [env] }));
      // WHEN
      const { code, stderr } = run('check', '-f', ws.file('orders.yaml'), '--tenant', 'shop', '--config', ws.file('bad.json'));
      // THEN
      expect(code).toBe(EXIT_INVALID);
      expect(stderr.split('\n').slice(1)).toEqual([
        '  environments[0].cluster.networkPolicyEnforcement: got "calico"; expected "vpc-cni", { "acknowledged": "<enforcer, e.g. Calico>" } or { "notEnforced": "<reason>" }',
      ]);
    });

    test('fails when a workload would run on an imported cluster without networkPolicyEnforcement (exit 1)', () => {
      // GIVEN
      const ws = workspace({ 'orders.yaml': score('orders') });
      const { networkPolicyEnforcement, ...cluster } = PLATFORM.environments[0].cluster;
      fs.writeFileSync(ws.file('bare.json'), JSON.stringify({ environments: [{ ...PLATFORM.environments[0], cluster }] }));
      // WHEN
      const { code, stderr } = run('check', '-f', ws.file('orders.yaml'), '--tenant', 'shop', '--config', ws.file('bare.json'), '--image', `main=${IMAGE}`);
      // THEN
      expect(networkPolicyEnforcement).toBe('vpc-cni');
      expect(code).toBe(EXIT_INVALID);
      expect(stderr).toContain('dev-shop/orders: cluster: got "dev/Cluster"; expected a cluster that states how it enforces the NetworkPolicies paved writes');
    });
  });

  describe('synth --workloads: every environment in one run', () => {
    /** Score files of dev and prod, tenant shop; prod's orders runs another image. */
    function workloadsFolder() {
      return workspace({
        'workloads/dev/shop/orders/score.yaml': score('orders', 'resources:\n  db:\n    type: postgres\n'),
        'workloads/dev/shop/cart.score.yaml': score('cart'),
        'workloads/prod/shop/orders/score.yaml': score('orders'),
        'workloads/prod/shop/orders/nginx.conf': 'server {}\n',
        'workloads/README.md': 'Score files by environment and tenant\n',
      });
    }
    const PROD_IMAGE = 'registry.acme.io/shop/orders:1.3.0';

    test('declares the workloads of every environment and tenant folder', () => {
      // GIVEN
      const ws = workloadsFolder();
      // WHEN
      const { code, stdout, stderr } = run('synth', '--workloads', ws.file('workloads'), '--config', ws.file('platform.json'), '--out', ws.out,
        '--image', `main=${IMAGE}`, '--image', `prod/orders.main=${PROD_IMAGE}`);
      // THEN
      expect(stderr).toBe('');
      expect(code).toBe(EXIT_OK);
      expect(stdout).toMatch(/^paved: synthesized 3 workload\(s\) from 3 Score file\(s\) into .*out\/ for dev\/shop, prod\/shop/);
      expect(stdout).toContain('  workloads:  dev/shop/cart, dev/shop/orders, prod/shop/orders');
      const image = (env: string) => YAML.parseAllDocuments(fs.readFileSync(path.join(ws.out, `k8s/${env}/shop/orders.k8s.yaml`), 'utf8'))
        .map(d => d.toJS()).find(o => o.kind === 'Deployment').spec.template.spec.containers[0].image;
      expect(image('dev')).toBe(IMAGE);
      expect(image('prod')).toBe(PROD_IMAGE);
      expect(fs.existsSync(path.join(ws.out, 'k8s/dev/shop/cart.k8s.yaml'))).toBe(true);
      for (const file of Object.keys(tree(path.join(ws.out, 'k8s')))) {
        expectValidKubernetesObjects(YAML.parseAllDocuments(fs.readFileSync(path.join(ws.out, 'k8s', file), 'utf8')).map(d => d.toJS()));
      }
      for (const env of ['dev', 'prod']) {
        expectNoDanglingReferences(JSON.parse(fs.readFileSync(path.join(ws.out, `cdktf.out/stacks/${env}/cdk.tf.json`), 'utf8')));
      }
    });

    test('--env reports on one environment, and the other keeps its workloads (issue: dev, then prod, into one folder)', () => {
      // GIVEN a synth reporting on dev
      const ws = workloadsFolder();
      const args = ['--workloads', ws.file('workloads'), '--config', ws.file('platform.json'), '--out', ws.out, '--image', `main=${IMAGE}`];
      expect(run('synth', ...args, '--env', 'dev').code).toBe(EXIT_OK);
      const devManifests = tree(path.join(ws.out, 'k8s/dev'));
      // WHEN synthesizing again, reporting on prod
      const { code, stdout } = run('synth', ...args, '--env', 'prod');
      // THEN dev's workloads are all still there, byte for byte, and nothing was removed
      expect(code).toBe(EXIT_OK);
      expect(stdout).toMatch(/for prod \(tenant shop\)/);
      // Each environment's foundation and the stack of its tenant shop.
      expect(stdout).toMatch(/ {2}terraform: {2}4 stack\(s\), \d+ resources \(all 2 environments written\)/);
      expect(stdout).toMatch(/0 written, \d+ unchanged, 0 removed/);
      expect(stdout).not.toContain('k8s/dev/');
      expect(tree(path.join(ws.out, 'k8s/dev'))).toEqual(devManifests);
      const devStack = JSON.parse(fs.readFileSync(path.join(ws.out, 'cdktf.out/stacks/dev-shop/cdk.tf.json'), 'utf8'));
      expect(Object.keys(devStack.resource.aws_db_instance)).toHaveLength(1);
    });

    test('fails when synth gets the -f files of one environment of a platform with several (exit 2)', () => {
      const ws = workspace({ 'orders.yaml': score('orders') });
      const { code, stderr } = run('synth', '-f', ws.file('orders.yaml'), '--tenant', 'shop', '--env', 'dev',
        '--config', ws.file('platform.json'), '--out', ws.out, '--image', `main=${IMAGE}`);
      expect(code).toBe(EXIT_USAGE);
      expect(stderr).toMatch(/has 2 environments \(dev, prod\), and synth writes all of them: a synth with the Score files of one would delete the workloads of the others\. Pass the Score files of every environment: --workloads <dir>/);
      expect(fs.existsSync(ws.out)).toBe(false);
    });

    test('check --env checks the workloads of one environment', () => {
      // GIVEN prod's Score file is broken
      const ws = workloadsFolder();
      fs.writeFileSync(ws.file('workloads/prod/shop/orders/score.yaml'), score('Bad_Name'));
      const args = ['--workloads', ws.file('workloads'), '--config', ws.file('platform.json'), '--image', `main=${IMAGE}`];
      // THEN
      expect(run('check', ...args, '--env', 'dev').code).toBe(EXIT_OK);
      const prod = run('check', ...args, '--env', 'prod');
      expect(prod.code).toBe(EXIT_INVALID);
      expect(prod.stderr).toMatch(/prod\/shop\/orders\/score\.yaml:3: metadata\.name: got "Bad_Name"/);
    });

    test('fails with the problems of every environment at once (exit 1)', () => {
      const ws = workloadsFolder();
      fs.writeFileSync(ws.file('workloads/prod/shop/orders/score.yaml'), score('Bad_Name'));
      fs.writeFileSync(ws.file('workloads/dev/shop/cart.score.yaml'), score('cart', 'resources:\n  db:\n    type: oracle\n'));
      const { code, stderr } = run('check', '--workloads', ws.file('workloads'), '--config', ws.file('platform.json'), '--image', `main=${IMAGE}`);
      expect(code).toBe(EXIT_INVALID);
      expect(stderr).toMatch(/^paved: workloads: score: problems in 2 groups of Score files:/);
      expect(stderr).toMatch(/cart\.score\.yaml:13: resources\.db\.type: got "oracle"/);
      expect(stderr).toMatch(/orders\/score\.yaml:3: metadata\.name: got "Bad_Name"/);
    });

    test('fails, listing every problem, when the folder has Score files in the wrong place or an unknown environment (exit 1)', () => {
      // GIVEN
      const ws = workspace({
        'workloads/orders.score.yaml': score('orders'),
        'workloads/dev/score.yaml': score('orders'),
        'workloads/qa/shop/score.yaml': score('orders'),
        'workloads/dev/shop/score.yaml': score('orders'),
      });
      // WHEN
      const { code, stderr } = run('check', '--workloads', ws.file('workloads'), '--config', ws.file('platform.json'), '--image', `main=${IMAGE}`);
      // THEN
      expect(code).toBe(EXIT_INVALID);
      expect(stderr.split('\n')).toEqual([
        expect.stringMatching(/^paved: .*workloads: workloads: 3 problem\(s\) in the workloads folder:$/),
        expect.stringMatching(/^ {2}.*workloads\/dev\/score\.yaml: a Score file belongs in dev\/<tenant>\/, not directly in dev\/$/),
        expect.stringMatching(/^ {2}.*workloads\/orders\.score\.yaml: a Score file belongs in <env>\/<tenant>\/, not at the top of the folder$/),
        expect.stringMatching(/^ {2}.*workloads\/qa: got folder "qa"; expected an environment of the platform: dev, prod$/),
      ]);
    });

    test.each([
      ['a folder without Score files', { 'workloads/dev/shop/notes.txt': 'x' }, /workloads: no Score files \(expected <env>\/<tenant>\/\*\*\/score\.yaml or \*\.score\.yaml; a synth without workloads would delete every workload's manifests\)/],
      ['a missing folder', {}, /workloads: workloads: the folder does not exist/],
      ['a file', { workloads: 'x' }, /workloads: workloads: is a file; expected a folder <env>\/<tenant>\/\*\*\/score\.yaml/],
    ])('fails for %s (exit 1)', (_name, files, message) => {
      const ws = workspace(files);
      const { code, stderr } = run('synth', '--workloads', ws.file('workloads'), '--config', ws.file('platform.json'), '--out', ws.out);
      expect(code).toBe(EXIT_INVALID);
      expect(stderr).toMatch(message);
      expect(fs.existsSync(ws.out)).toBe(false);
    });

    test('fails when an --image names no container of the Score files (exit 1)', () => {
      const ws = workloadsFolder();
      const { code, stderr } = run('check', '--workloads', ws.file('workloads'), '--config', ws.file('platform.json'),
        '--image', `main=${IMAGE}`, '--image', `prod/cart.main=${IMAGE}`);
      expect(code).toBe(EXIT_INVALID);
      expect(stderr).toMatch(/^paved: images: image: 1 problem\(s\):\n {2}--image prod\/cart\.main: got "prod\/cart\.main"; expected a container of the Score files, as <container>, <workload>\.<container> or <env>\/<workload>\.<container>: dev\/cart\.main, dev\/orders\.main, prod\/orders\.main$/);
    });
  });

  describe('the output folder', () => {
    /** A synth of one workload into `out`, with its arguments. */
    function synthInto(out: string, ws = workspace({ 'orders.yaml': score('orders') })) {
      return run('synth', '-f', ws.file('orders.yaml'), '--tenant', 'shop', '--config', ws.file('dev-platform.json'), '--out', out, '--image', `main=${IMAGE}`);
    }

    test('fails when it is a file (exit 3), in one line, leaving the file', () => {
      const ws = workspace({ 'orders.yaml': score('orders'), 'out': 'not a folder' });
      const { code, stderr } = synthInto(ws.out, ws);
      expect(code).toBe(EXIT_OUTPUT_NOT_A_FOLDER);
      expect(stderr).toBe(`paved: Platform: outdir: got ${JSON.stringify(ws.out)}; expected a folder, or a path where one can be created (a file is at that path)`);
      expect(fs.readFileSync(ws.out, 'utf8')).toBe('not a folder');
    });

    test('fails when a file is on the way to it (exit 3)', () => {
      const ws = workspace({ 'orders.yaml': score('orders'), 'out': 'not a folder' });
      const { code, stderr } = synthInto(path.join(ws.out, 'sub'), ws);
      expect(code).toBe(EXIT_OUTPUT_NOT_A_FOLDER);
      expect(stderr).toMatch(/expected a folder, or a path where one can be created \(.*\/out is a file\)$/);
    });

    test('fails when it lies inside a Terraform stack folder (exit 5), leaving the stack folder as it was', () => {
      // GIVEN a synth, then an output folder inside its stack folder
      const ws = workspace({ 'orders.yaml': score('orders') });
      expect(synthInto(ws.out, ws).code).toBe(EXIT_OK);
      const before = tree(ws.out);
      const inside = path.join(ws.out, 'cdktf.out/stacks/dev/out');
      // WHEN
      const { code, stderr } = synthInto(inside, ws);
      // THEN
      expect(code).toBe(EXIT_OUTPUT_UNSAFE);
      expect(stderr).toBe(`paved: Platform: outdir: got ${JSON.stringify(inside)}; expected a folder paved can write safely: `
        + `${path.join(ws.out, 'cdktf.out/stacks/dev')} is a Terraform stack folder (it holds cdk.tf.json); choose a folder outside it`);
      expect(tree(ws.out)).toEqual(before);
    });

    test('fails when it is a cdktf output folder (exit 5)', () => {
      const ws = workspace({ 'orders.yaml': score('orders') });
      expect(synthInto(ws.out, ws).code).toBe(EXIT_OK);
      const { code, stderr } = synthInto(path.join(ws.out, 'cdktf.out'), ws);
      expect(code).toBe(EXIT_OUTPUT_UNSAFE);
      expect(stderr).toMatch(/cdktf\.out is a cdktf output folder \(it holds manifest\.json and stacks\/\); choose a folder outside it, e\.g\. its parent$/);
    });

    test('fails when another run holds its lock (exit 6), before building anything, leaving the output as it was', () => {
      // GIVEN a synth, then a lock held by a live process
      const ws = workspace({ 'orders.yaml': score('orders') });
      expect(synthInto(ws.out, ws).code).toBe(EXIT_OK);
      const holder = { pid: 1, host: os.hostname(), started: '2025-01-01T00:00:00.000Z', token: 'other' };
      fs.writeFileSync(path.join(ws.out, '.paved/lock'), JSON.stringify(holder));
      const before = tree(ws.out);
      const synth = jest.spyOn(Platform.prototype, 'synth');
      // WHEN
      const { code, stderr } = synthInto(ws.out, ws);
      // THEN
      expect(code).toBe(EXIT_BUSY);
      expect(stderr).toBe(`paved: Platform: outdir: got ${JSON.stringify(ws.out)}; expected a folder no other paved run is writing: `
        + `locked by pid 1 on host ${os.hostname()} since 2025-01-01T00:00:00.000Z; wait for that run, or delete ${path.join(ws.out, '.paved/lock')} if it no longer runs`);
      expect(synth).not.toHaveBeenCalled();
      synth.mockRestore();
      expect(tree(ws.out)).toEqual(before);
    });

    test('fails when it cannot be written (exit 4), leaving it as it was', () => {
      // GIVEN a read-only output folder (root ignores permissions: run as nobody then)
      const ws = workspace({ 'orders.yaml': score('orders') });
      expect(synthInto(ws.out, ws).code).toBe(EXIT_OK);
      const before = tree(ws.out);
      for (const dir of [ws.dir, ws.out]) { fs.chmodSync(dir, 0o555); }
      try {
        // WHEN
        const { code, stderr } = process.getuid?.() === 0 ? runAsNobody(ws.dir, synthArgs(ws)) : synthInto(ws.out, ws);
        // THEN
        expect(stderr).toMatch(new RegExp(`^paved: Platform: outdir: got ${JSON.stringify(ws.out)}; expected a folder paved can write: the folder cannot be written \\(.*permission denied.*\\)$`));
        expect(code).toBe(EXIT_OUTPUT_NOT_WRITABLE);
      } finally {
        for (const dir of [ws.dir, ws.out]) { fs.chmodSync(dir, 0o755); }
      }
      expect(tree(ws.out)).toEqual(before);
    });

    /** The arguments synthInto uses. */
    function synthArgs(ws: ReturnType<typeof workspace>): string[] {
      return ['synth', '-f', ws.file('orders.yaml'), '--tenant', 'shop', '--config', ws.file('dev-platform.json'), '--out', ws.out, '--image', `main=${IMAGE}`];
    }

    /** Runs the command in a child process as user nobody (for tests of permissions, which root bypasses). */
    function runAsNobody(dir: string, argv: string[]): { code: number; stderr: string } {
      fs.chmodSync(path.dirname(dir), 0o755);
      const script = `require(${JSON.stringify(require.resolve('ts-node'))}).register({ transpileOnly: true, swc: true });
const { main } = require(${JSON.stringify(path.resolve(__dirname, '../../lib/cli/main'))});
process.exitCode = main(process.argv.slice(1));`;
      const child = spawnSync(process.execPath, ['-e', script, ...argv], { uid: 65534, gid: 65534, encoding: 'utf8', cwd: '/', env: { ...process.env, TS_NODE_PROJECT: path.resolve(__dirname, '../tsconfig.json') } });
      return { code: child.status ?? -1, stderr: child.stderr.trim() };
    }
  });

  describe('internal errors', () => {
    test('are one line with a hint, exit 70; PAVED_DEBUG=1 adds the stack trace', () => {
      // GIVEN a bug: synth throws an error paved did not expect
      const ws = workspace({ 'orders.yaml': score('orders') });
      const synth = jest.spyOn(Platform.prototype, 'synth').mockImplementation(() => { throw new TypeError('Cannot read properties of undefined (reading \'x\')\n  at somewhere'); });
      const args = ['synth', '-f', ws.file('orders.yaml'), '--tenant', 'shop', '--config', ws.file('dev-platform.json'), '--out', ws.out, '--image', `main=${IMAGE}`];
      try {
        // WHEN
        const plain = run(...args);
        process.env.PAVED_DEBUG = '1';
        const debug = run(...args);
        // THEN
        expect(plain.code).toBe(EXIT_INTERNAL);
        expect(plain.stderr).toBe('paved: internal error: TypeError: Cannot read properties of undefined (reading \'x\') '
          + '(a bug in paved, not in your input: please report it with the command you ran; PAVED_DEBUG=1 prints the stack trace)');
        expect(debug.code).toBe(EXIT_INTERNAL);
        expect(debug.stderr.split('\n')[1]).toBe('TypeError: Cannot read properties of undefined (reading \'x\')');
        expect(debug.stderr).toMatch(/\n {4}at .*main\.test\.ts/);
      } finally {
        delete process.env.PAVED_DEBUG;
        synth.mockRestore();
      }
    });

    test('fails with exit 1 when a platform module throws: invalid input, not a bug of paved', () => {
      const ws = workspace({ 'orders.yaml': score('orders'), 'platform.js': 'module.exports = () => { null.x; };\n' });
      const { code, stderr } = run('check', '-f', ws.file('orders.yaml'), '--tenant', 'shop', '--config', ws.file('platform.js'));
      expect(code).toBe(EXIT_INVALID);
      expect(stderr).toMatch(/platform\.js: config: the platform module failed: Cannot read properties of null \(reading 'x'\) \(PAVED_DEBUG=1 prints the stack trace\)$/);
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

    test('prints the result as one JSON object with --format json', () => {
      const ws = workspace({ 'orders.yaml': score('orders') });
      const { code, stdout } = run('check', '-f', ws.file('orders.yaml'), '--tenant', 'shop', '--env', 'prod',
        '--config', ws.file('platform.json'), '--image', `main=${IMAGE}`, '--format', 'json');
      expect(code).toBe(EXIT_OK);
      expect(JSON.parse(stdout)).toEqual({
        command: 'check',
        valid: true,
        scope: 'prod (tenant shop)',
        platform: ws.file('platform.json'),
        workloads: [{ environment: 'prod', tenant: 'shop', name: 'orders' }],
        resources: [],
        warnings: [],
        problems: [],
      });
    });

    test('fails with every problem (exit 1)', () => {
      const ws = workspace({ 'orders.yaml': score('orders', '    variables:\n      URL: ${resources.api.url}\n') });
      const { code, stderr } = run('check', '-f', ws.file('orders.yaml'), '--tenant', 'shop', '--env', 'dev', '--config', ws.file('platform.json'));
      expect(code).toBe(EXIT_INVALID);
      expect(stderr).toMatch(/2 problem\(s\)/);
      expect(stderr).toMatch(/containers\.main\.variables\.URL: got "\$\{resources\.api\.url\}"; expected a placeholder to a declared resource \(none declared\)/);
    });
  });

  describe('Score input safety', () => {
    test('check prints a warning for a secret-looking literal in DEV (exit 0), never its value', () => {
      const ws = workspace({ 'orders.yaml': score('orders', '    variables:\n      DB_PASSWORD: hunter2-hunter2\n') });
      const { code, stderr } = run('check', '-f', ws.file('orders.yaml'), '--tenant', 'shop', '--env', 'dev',
        '--config', ws.file('platform.json'), '--image', `main=${IMAGE}`);
      expect(code).toBe(EXIT_OK);
      expect(stderr).toMatch(/^paved: warning: dev-shop\/orders: env\.DB_PASSWORD: a literal that looks like a secret \(the name DB_PASSWORD\)/);
      expect(stderr).not.toContain('hunter2');
    });

    test('synth prints the warnings and lists them in the report', () => {
      const ws = workspace({ 'orders.yaml': score('orders', '    variables:\n      DB_PASSWORD: hunter2-hunter2\n') });
      const { code, stderr } = run('synth', '-f', ws.file('orders.yaml'), '--tenant', 'shop',
        '--config', ws.file('dev-platform.json'), '--out', ws.out, '--image', `main=${IMAGE}`);
      expect(code).toBe(EXIT_OK);
      expect(stderr).toMatch(/^paved: warning: dev-shop\/orders: env\.DB_PASSWORD/);
      expect(fs.readFileSync(path.join(ws.out, 'report.md'), 'utf8')).toContain('## Warnings (1)');
    });

    test('fails in PROD on a secret-looking literal, with file and line (exit 1)', () => {
      const ws = workspace({ 'orders.yaml': score('orders', '    variables:\n      DB_PASSWORD: hunter2-hunter2\n') });
      const { code, stderr } = run('check', '-f', ws.file('orders.yaml'), '--tenant', 'shop', '--env', 'prod',
        '--config', ws.file('platform.json'), '--image', `main=${IMAGE}`);
      expect(code).toBe(EXIT_INVALID);
      expect(stderr).toMatch(/orders\.yaml:12: containers\.main\.variables\.DB_PASSWORD: prod-shop\/orders: env\.DB_PASSWORD: got a literal that looks like a secret/);
      expect(stderr).not.toContain('hunter2');
    });

    test.each([
      ['an alias bomb', 'a: &a [x, x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]\nc: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b]\n'
        + 'd: [*c, *c, *c, *c, *c, *c, *c, *c, *c]\n',
      /hostile\.yaml: \(document\): got YAML aliases that expand beyond 100 nodes/],
      ['binary input', Buffer.concat([Buffer.from('apiVersion: score.dev/v1b1\n'), Buffer.alloc(9800, 0xff)]),
        /hostile\.yaml:2: \(document\): the file holds the byte 0xff, which is not UTF-8 at line 2: it is binary, not UTF-8 text/],
      ['deep nesting', '['.repeat(100_000), /hostile\.yaml:1: \(document\): got mappings and lists nested deeper than 32 levels/],
    ])('fails on %s with one line per problem, no stack trace and no echo (exit 1)', (_what, content, expected) => {
      // GIVEN
      const ws = workspace();
      fs.writeFileSync(ws.file('hostile.yaml'), content);
      // WHEN
      const { code, stderr } = run('check', '-f', ws.file('hostile.yaml'), '--tenant', 'shop', '--env', 'dev', '--config', ws.file('platform.json'));
      // THEN
      expect(code).toBe(EXIT_INVALID);
      expect(stderr.split('\n')).toHaveLength(2);
      expect(stderr).toMatch(expected);
      expect(stderr.length).toBeLessThan(600);
      expect(stderr).not.toMatch(/\n\s+at /);
    });
  });

  describe('sizes', () => {
    test('prints the built-in catalogue as a table', () => {
      const { code, stdout } = run('sizes');
      expect(code).toBe(EXIT_OK);
      const lines = stdout.split('\n');
      expect(lines[0]).toBe('Sizes of the built-in platform:');
      expect(lines[1]).toMatch(/^size +replicas +autoscaling +cpu \(request\/limit\) +memory \(request\/limit\) +database +storage GiB +cache +nodes$/);
      expect(lines.slice(3, 7).map(l => l.split(/ +/)[0])).toEqual(['S', 'M', 'L', 'XL']);
      expect(lines[4]).toMatch(/^M +2 +2-6 at 70% cpu +250m \/ 1000m +256Mi \/ 512Mi +db\.t4g\.medium +50-200 +cache\.t4g\.small \+1 +m6i\.large 2-6$/);
    });

    test('prints what each size costs a month in the platform\'s region, labelled an estimate', () => {
      const { stdout } = run('sizes');
      expect(stdout).toContain('Estimated monthly cost (USD, on-demand list prices x 730 h;');
      expect(stdout).toMatch(/\nsize +region +database +database multi-AZ +cache +node group +workload\n/);
      // M in eu-central-1: db.t4g.medium 0.075 x 730 + 50 GB x 0.133; 2 x cache.t4g.small (valkey 0.0288); 3 x m6i.large 0.115.
      expect(stdout).toMatch(/\nM +eu-central-1 +\$61\.40 +\$122\.80 +\$42\.05 +\$251\.85 +\$20\.99\n/);
    });

    test('prints sizes, classes and costs per region as JSON with --format json', () => {
      const ws = workspace();
      const { code, stdout } = run('sizes', '--config', ws.file('platform.json'), '--format', 'json');
      expect(code).toBe(EXIT_OK);
      const json = JSON.parse(stdout);
      expect(json.sizes.map((s: any) => s.name)).toEqual(['S', 'M', 'L', 'XL', 'M-highmem']);
      expect(json.sizes[1].database).toEqual({ instanceClass: 'db.t4g.medium', storageGiB: 50, maxStorageGiB: 200 });
      expect(json.classes).toEqual({ analytics: 'L' });
      expect(json.costs.find((c: any) => c.size === 'M')).toEqual({
        size: 'M',
        region: 'eu-central-1',
        databaseMonthlyUsd: 61.4,
        databaseMultiAzMonthlyUsd: 122.8,
        cacheMonthlyUsd: 42.05,
        nodeGroupMonthlyUsd: 251.85,
        workloadMonthlyUsd: 20.99,
      });
    });

    test('fails when the platform is in a region without prices, naming it', () => {
      const ws = workspace({ 'sydney.json': JSON.stringify({ environments: [{ ...PLATFORM.environments[0], region: 'ap-southeast-2' }] }) });
      const { code, stderr } = run('sizes', '--config', ws.file('sydney.json'));
      expect(code).toBe(EXIT_INVALID);
      expect(stderr).toContain('region: got "ap-southeast-2"; expected a region of the price table (eu-central-1, us-east-1)');
    });

    test('prints the sizes and classes of a platform file', () => {
      const ws = workspace();
      const { stdout } = run('sizes', '--config', ws.file('platform.json'));
      expect(stdout).toMatch(/\nM-highmem +2 +2-6 at 70% cpu +250m \/ 1000m +1024Mi \/ 2048Mi /);
      expect(stdout).toMatch(/\nClasses: analytics -> L\n/);
    });
  });

  describe('usage', () => {
    test.each([
      [[], /^Usage: paved <command>/],
      [['deploy'], /unknown command "deploy"; expected synth, check, sizes or diff/],
      [['synth', '--tenant', 'shop'], /"paved synth" needs Score files: --workloads <dir> \(<dir>\/<env>\/<tenant>\/\*\*\/score\.yaml\) or -f <score\.yaml> --tenant <name>/],
      [['synth', '-f', 'a.yaml'], /"paved synth" needs --tenant <name> for the -f files/],
      [['synth', '-f', 'a.yaml', '--tenant', 'shop', '--workloads', 'w'], /takes Score files either from a folder \(--workloads\) or one by one \(-f\), not both/],
      [['check', '--workloads', 'w', '--tenant', 'shop'], /--tenant applies to -f files; with --workloads, the tenant is the folder: <dir>\/<env>\/<tenant>\//],
      [['synth', '-f', 'a.yaml', '--tenant', 'shop', '--colour', 'blue'], /Unknown option '--colour'/],
      [['sizes', '-f', 'a.yaml'], /option --file does not apply to "paved sizes"/],
      [['check', '-f', 'a.yaml', '--tenant', 'shop', '--out', 'x'], /option --out does not apply to "paved check"/],
      [['synth', '-f', 'a.yaml', '--tenant', 'shop', '--image', 'busybox'], /--image "busybox": expected <key>=<image reference>/],
      [['synth', 'a.yaml'], /unexpected argument "a\.yaml" \(Score files are passed with -f or --workloads\)/],
    ])('fails with exit 2 for %j', (argv, message) => {
      const { code, stderr } = run(...argv);
      expect(code).toBe(EXIT_USAGE);
      expect(stderr).toMatch(message);
    });

    test('fails with exit 2 when --out disagrees with the output folder the cdktf CLI passes', () => {
      process.env.CDKTF_OUTDIR = '/tmp/project/cdktf.out';
      try {
        const { code, stderr } = run('synth', '-f', 'a.yaml', '--tenant', 'shop', '--out', 'elsewhere');
        expect(code).toBe(EXIT_USAGE);
        expect(stderr).toMatch(/--out "elsewhere": under the cdktf CLI the outputs go beside its output folder \/tmp\/project\/cdktf\.out \(CDKTF_OUTDIR\), into \/tmp\/project; leave --out out/);
      } finally {
        delete process.env.CDKTF_OUTDIR;
      }
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

    test('--help and help list the commands and every exit code', () => {
      expect(run('--help').stdout).toMatch(/Commands:\n {2}synth .*\n {2}check .*\n {2}sizes /);
      for (const code of [0, 1, 2, 3, 4, 5, 6, 70]) {
        expect(run('--help').stdout).toMatch(new RegExp(`\\n {2}${code} +\\w`));
        expect(run('synth', '--help').stdout).toMatch(new RegExp(`\\n {2}${code} +\\w`));
      }
      expect(run('help', 'synth').stdout).toMatch(/^Usage: paved synth/);
    });

    test('--version prints the package version', () => {
      expect(run('--version').stdout).toMatch(/^paved \d+\.\d+\.\d+/);
    });
  });
});
