// Codemod: every public property of an exported class typed with a provider class
// (@cdktf/provider-aws, -kubernetes, -helm) becomes an @internal `_<name>` field (renamed with the
// TypeScript language service, so every use keeps its type) and a public getter typed with the
// cdktf base class (TerraformResource, TerraformDataSource, TerraformProvider). Members found
// from the sources (no .jsii needed), so it reruns after a merge; methods and interface members
// typed with provider classes are listed for a hand edit (`npx projen compile` refuses them).
//   node bench/tools/codemod-erase-provider-types.js && npx tsc --noEmit -p tsconfig.json
const ts = require('typescript');
const fs = require('fs');
const path = require('path');
const root = process.cwd();
const PROVIDER_MODULE = /^@cdktf\/provider-(aws|kubernetes|helm)\//;
const isInternal = (node, sf) => /@internal/.test(ts.getJSDocCommentsAndTags(node).map(d => sf.text.slice(d.getStart(sf), d.end)).join(''));
const hidden = m => (ts.getCombinedModifierFlags(m) & (ts.ModifierFlags.Private | ts.ModifierFlags.Protected)) !== 0 || ts.isPrivateIdentifier(m.name);
const files = [];
(function walk(d) { for (const f of fs.readdirSync(d)) { const p = path.join(d, f); if (fs.statSync(p).isDirectory()) walk(p); else if (p.endsWith('.ts')) files.push(p); } })(path.join(root, 'lib'));
const texts = new Map(files.map(f => [f, fs.readFileSync(f, 'utf8')]));
const targets = []; // {file, cls, name}
for (const file of files) {
  const sf = ts.createSourceFile(file, texts.get(file), ts.ScriptTarget.ES2022, true);
  const providerNames = new Set(sf.statements.filter(st => ts.isImportDeclaration(st) && PROVIDER_MODULE.test(st.moduleSpecifier.text))
    .flatMap(st => [...(st.importClause?.namedBindings?.elements ?? [])].map(e => e.name.text)));
  if (!providerNames.size) continue;
  const mentions = node => { let found = false; const v = n => { if (found) return; if (ts.isIdentifier(n) && providerNames.has(n.text)) found = true; else ts.forEachChild(n, v); }; if (node) v(node); return found; };
  for (const st of sf.statements) {
    const exported = st.modifiers?.some(m => m.kind === ts.SyntaxKind.ExportKeyword);
    if (!exported || !(ts.isClassDeclaration(st) || ts.isInterfaceDeclaration(st)) || isInternal(st, sf)) continue;
    for (const m of st.members) {
      if (!m.name || hidden(m) || m.name.getText(sf).startsWith('_') || isInternal(m, sf)) continue;
      const typed = (ts.isPropertyDeclaration(m) || ts.isPropertySignature(m)) && mentions(m.type);
      if (typed && ts.isClassDeclaration(st)) targets.push({ file, cls: st.name.text, name: m.name.text });
      else if (typed || mentions(m.type) || (m.parameters ?? []).some(p => mentions(p.type))) {
        console.error(`by hand: ${path.relative(root, file)}: ${st.name.text}.${m.name.getText(sf)}`);
      }
    }
  }
}
const host = {
  getScriptFileNames: () => files, getScriptVersion: () => '1', getScriptSnapshot: f => { const t = texts.get(f) ?? (fs.existsSync(f) ? fs.readFileSync(f, 'utf8') : undefined); return t === undefined ? undefined : ts.ScriptSnapshot.fromString(t); },
  getCurrentDirectory: () => root, getCompilationSettings: () => ({ target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.Node16, strict: true, experimentalDecorators: true }),
  getDefaultLibFileName: o => ts.getDefaultLibFilePath(o), fileExists: ts.sys.fileExists, readFile: ts.sys.readFile, readDirectory: ts.sys.readDirectory, directoryExists: ts.sys.directoryExists, getDirectories: ts.sys.getDirectories,
};
const ls = ts.createLanguageService(host);
const edits = new Map(); // file -> [{start,len,text}]
const add = (f, e) => { if (!edits.has(f)) edits.set(f, []); edits.get(f).push(e); };
const getters = [];
const program = ls.getProgram();
for (const t of targets) {
  const sf = program.getSourceFile(t.file);
  let decl;
  const visit = n => { if (decl) return; if ((ts.isClassDeclaration(n) || ts.isInterfaceDeclaration(n)) && n.name?.text === t.cls) { for (const m of n.members) { if (m.name && m.name.text === t.name && (ts.isPropertyDeclaration(m) || ts.isPropertySignature(m))) decl = m; } } ts.forEachChild(n, visit); };
  visit(sf);
  if (!decl) { console.error('no decl', t.cls, t.name); continue; }
  const locs = ls.findRenameLocations(t.file, decl.name.getStart(sf), false, false) ?? [];
  for (const l of locs) add(l.fileName, { start: l.textSpan.start, len: l.textSpan.length, text: '_' + t.name });
  const typeText = decl.type.getText(sf);
  const baseText = typeText.replace(/\b[A-Z][A-Za-z0-9]*Provider\b/g, 'TerraformProvider').replace(/\bData[A-Z][A-Za-z0-9]+\b/g, 'TerraformDataSource').replace(/\b(?!Terraform)[A-Z][A-Za-z0-9]*\b/g, m => /^(Readonly|Array|Record)$/.test(m) ? m : 'TerraformResource');
  const jsdoc = (ts.getJSDocCommentsAndTags(decl)[0]);
  const docText = jsdoc ? sf.text.slice(jsdoc.getStart(sf), jsdoc.end) : `/** ${t.name} */`;
  const optional = decl.questionToken ? ' | undefined' : '';
  const indent = '  ';
  // replace the doc of the renamed declaration with @internal, add the getter after it
  if (jsdoc) add(t.file, { start: jsdoc.getStart(sf), len: jsdoc.end - jsdoc.getStart(sf), text: '/** @internal */' });
  else add(t.file, { start: decl.getStart(sf), len: 0, text: `/** @internal */\n${indent}` });
  add(t.file, { start: decl.end, len: 0, text: `\n${indent}${docText}\n${indent}public get ${t.name}(): ${baseText}${optional} {\n${indent}  return this._${t.name};\n${indent}}` });
  getters.push({ file: t.file, bases: [...new Set(baseText.match(/Terraform[A-Za-z]+/g))] });
}
for (const [f, es] of edits) {
  let s = texts.get(f) ?? fs.readFileSync(f, 'utf8');
  const seen = new Set();
  es.sort((x, y) => y.start - x.start || (y.len - x.len));
  for (const e of es) { const k = `${e.start}:${e.len}:${e.text}`; if (seen.has(k)) continue; seen.add(k); s = s.slice(0, e.start) + e.text + s.slice(e.start + e.len); }
  const bases = new Set(getters.filter(g => g.file === f).flatMap(g => g.bases));
  if (bases.size) {
    const m = s.match(/import \{([^}]*)\} from 'cdktf';/);
    if (m) { const names = new Set(m[1].split(',').map(x => x.trim()).filter(Boolean)); bases.forEach(b => names.add(b)); s = s.replace(m[0], `import { ${[...names].sort().join(', ')} } from 'cdktf';`); }
    else s = `import { ${[...bases].sort().join(', ')} } from 'cdktf';\n` + s;
  }
  fs.writeFileSync(f, s);
}
console.error('renamed', targets.length, 'members in', edits.size, 'files');
