// Codemod (run once on this branch; re-run on a tree whose .jsii is fresh): every public member
// typed with an @cdktf/provider-aws class becomes an @internal `_<name>` field (renamed with the
// TypeScript language service, so every use keeps its type) and a public getter typed with the
// cdktf base class (TerraformResource, TerraformDataSource, TerraformProvider).
//   npx projen compile && node bench/tools/codemod-erase-provider-types.js && npx tsc --noEmit
const ts = require('typescript');
const fs = require('fs');
const path = require('path');
const root = process.cwd();
const a = JSON.parse(fs.readFileSync('.jsii', 'utf8'));
const targets = []; // {file, cls, name, kind}
for (const [fqn, t] of Object.entries(a.types)) {
  const file = path.join(root, t.locationInModule.filename);
  for (const m of t.properties ?? []) {
    if (JSON.stringify(m.type).includes('@cdktf/provider')) targets.push({ file, cls: t.name, name: m.name, iface: t.kind === 'interface' });
  }
}
const files = [];
(function walk(d) { for (const f of fs.readdirSync(d)) { const p = path.join(d, f); if (fs.statSync(p).isDirectory()) walk(p); else if (p.endsWith('.ts')) files.push(p); } })(path.join(root, 'lib'));
const texts = new Map(files.map(f => [f, fs.readFileSync(f, 'utf8')]));
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
/** The type text with each provider class replaced by the cdktf base class it extends. */
const baseTypeOf = typeText => typeText.replace(/\b(?!Terraform)[A-Z][A-Za-z0-9]*Provider\b/g, 'TerraformProvider').replace(/\bData(Aws|Kubernetes|Helm)[A-Za-z0-9]+\b/g, 'TerraformDataSource').replace(/\b(?!Terraform)[A-Z][A-Za-z0-9]*\b/g, m => /^(Readonly|Array|Record)$/.test(m) ? m : 'TerraformResource');
for (const t of targets) {
  const sf = program.getSourceFile(t.file);
  let decl;
  const visit = n => { if (decl) return; if ((ts.isClassDeclaration(n) || ts.isInterfaceDeclaration(n)) && n.name?.text === t.cls) { for (const m of n.members) { if (m.name && m.name.text === t.name && (ts.isPropertyDeclaration(m) || ts.isPropertySignature(m) || ts.isGetAccessorDeclaration(m))) decl = m; } } ts.forEachChild(n, visit); };
  visit(sf);
  if (!decl) { console.error('no decl', t.cls, t.name); continue; }
  if (t.iface) { console.error('interface member (left as is):', t.cls, t.name); continue; }
  if (ts.isGetAccessorDeclaration(decl)) {
    // a getter already: only its declared type changes (its body returns the provider instance as before)
    add(t.file, { start: decl.type.getStart(sf), len: decl.type.end - decl.type.getStart(sf), text: baseTypeOf(decl.type.getText(sf)) });
    getters.push({ file: t.file, bases: [...new Set(baseTypeOf(decl.type.getText(sf)).match(/Terraform[A-Za-z]+/g))] });
    continue;
  }
  const locs = ls.findRenameLocations(t.file, decl.name.getStart(sf), false, false) ?? [];
  for (const l of locs) add(l.fileName, { start: l.textSpan.start, len: l.textSpan.length, text: '_' + t.name });
  const typeText = decl.type.getText(sf);
  const baseText = baseTypeOf(typeText);
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
  // a provider class that only typed a getter is no longer used: drop it from its import
  s = s.replace(/import (type )?\{([^}]*)\} from '(@cdktf\/provider-[^']+)';\n/g, (all, type, names, mod) => {
    const kept = names.split(',').map(x => x.trim()).filter(Boolean).filter(n => (s.match(new RegExp(`\\b${n.split(' as ').pop()}\\b`, 'g')) ?? []).length > 1);
    return kept.length === 0 ? '' : `import ${type ?? ''}{ ${kept.join(', ')} } from '${mod}';\n`;
  });
  const bases = new Set(getters.filter(g => g.file === f).flatMap(g => g.bases));
  if (bases.size) {
    const m = s.match(/import \{([^}]*)\} from 'cdktf';/);
    if (m) { const names = new Set(m[1].split(',').map(x => x.trim()).filter(Boolean)); bases.forEach(b => names.add(b)); s = s.replace(m[0], `import { ${[...names].sort().join(', ')} } from 'cdktf';`); }
    else s = `import { ${[...bases].sort().join(', ')} } from 'cdktf';\n` + s;
  }
  fs.writeFileSync(f, s);
}
console.error('renamed', targets.length, 'members in', edits.size, 'files');
