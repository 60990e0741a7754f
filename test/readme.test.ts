import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as ts from 'typescript';

const ROOT = path.join(__dirname, '..');
const LIB = path.join(ROOT, 'lib');

/**
 * The ```ts code blocks of the README, with `paved` imports pointed at lib/
 * and `cdk8s` (which samples of Kubernetes-only constructs import) and the
 * providers' modules (escape hatch samples) at the project's copies: the
 * samples are compiled outside the project.
 */
function samples(): { name: string; code: string }[] {
  const readme = fs.readFileSync(path.join(ROOT, 'README.md'), 'utf8');
  return [...readme.matchAll(/```ts\n([\s\S]*?)```/g)].map((m, i) => ({
    name: `sample-${i + 1}.ts`,
    code: m[1]
      .replace(/from 'paved'/g, `from ${JSON.stringify(LIB)}`)
      .replace(/from 'cdk8s'/g, `from ${JSON.stringify(path.join(ROOT, 'node_modules', 'cdk8s'))}`)
      // Escape hatch samples import the provider's classes as a user with the provider installed would.
      .replace(/from '(@cdktf\/provider-[a-z]+\/lib\/[a-z0-9-]+)'/g, (_, module) => `from ${JSON.stringify(path.join(ROOT, 'node_modules', module))}`),
  }));
}

describe('README', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'paved-readme-'));
  const files = samples().map(s => {
    const file = path.join(dir, s.name);
    fs.writeFileSync(file, s.code);
    return { ...s, file };
  });

  test('has code samples', () => {
    expect(files.length).toBeGreaterThanOrEqual(3);
  });

  test('every TypeScript sample type-checks against the library', () => {
    // GIVEN the compiler options of the library itself
    const config = ts.readConfigFile(path.join(ROOT, 'tsconfig.json'), ts.sys.readFile).config;
    const { options } = ts.parseJsonConfigFileContent(config, ts.sys, ROOT);
    // WHEN
    const program = ts.createProgram(files.map(f => f.file), { ...options, noEmit: true, rootDir: undefined, noUnusedLocals: false });
    const diagnostics = ts.getPreEmitDiagnostics(program)
      .filter(d => d.file && files.some(f => f.file === d.file!.fileName))
      .map(d => `${path.basename(d.file!.fileName)}: ${ts.flattenDiagnosticMessageText(d.messageText, '\n')}`);
    // THEN
    expect(diagnostics).toEqual([]);
  }, 60_000);

  test('every TypeScript sample runs', () => {
    const cwd = process.cwd();
    const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'paved-readme-run-'));
    try {
      process.chdir(outdir);
      for (const f of files) {
        const compilerOptions = { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022, esModuleInterop: true };
        const js = ts.transpileModule(f.code, { compilerOptions }).outputText;
        const module = { exports: {} };
        // eslint-disable-next-line @typescript-eslint/no-implied-eval
        new Function('require', 'module', 'exports', js)(require, module, module.exports);
      }
    } finally {
      process.chdir(cwd);
    }
  });
});
