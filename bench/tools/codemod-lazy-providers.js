// Codemod: provider classes (@cdktf/provider-aws, -kubernetes, -helm) used as values go through
// lazyModule (lib/core/lazy-module.ts), loaded on first use; uses as types become `import type`.
// Idempotent: rerun it over lib/ after a merge brings new eager provider imports.
//   node bench/tools/codemod-lazy-providers.js && npx tsc --noEmit -p tsconfig.json
const ts = require('typescript'); const fs = require('fs'); const path = require('path');
const root = process.cwd();
const files = [];
(function walk(d) { for (const f of fs.readdirSync(d)) { const p = path.join(d, f); if (fs.statSync(p).isDirectory()) walk(p); else if (p.endsWith('.ts')) files.push(p); } })(path.join(root, 'lib'));
const PROVIDER_MODULE = /^@cdktf\/provider-(aws|kubernetes|helm)\/lib\/([a-z0-9-]+)$/;
const camel = m => m.replace(/-([a-z0-9])/g, (_, c) => c.toUpperCase());
function inType(node) {
  for (let n = node.parent; n; n = n.parent) {
    if (ts.isTypeNode(n) || ts.isHeritageClause(n) && n.token === ts.SyntaxKind.ImplementsKeyword) return true;
    if (ts.isExpression(n) && !ts.isIdentifier(n) || ts.isStatement(n) || ts.isClassElement(n) || ts.isVariableDeclaration(n) || ts.isParameter(n)) return false;
  }
  return false;
}
let changed = 0;
for (const file of files) {
  const text = fs.readFileSync(file, 'utf8');
  const sf = ts.createSourceFile(file, text, ts.ScriptTarget.ES2022, true);
  const decls = sf.statements.filter(s => ts.isImportDeclaration(s) && PROVIDER_MODULE.test(s.moduleSpecifier.text) && !s.importClause?.isTypeOnly);
  if (!decls.length) continue;
  const edits = []; const lazies = [];
  for (const d of decls) {
    const mod = d.moduleSpecifier.text; const [, provider, name] = PROVIDER_MODULE.exec(mod);
    // AWS modules keep the short name (vpcLib); the others name their provider (helmReleaseLib).
    const libVar = camel(provider === 'aws' ? name : `${provider}-${name}`) + 'Lib';
    const specs = d.importClause.namedBindings.elements;
    const typeNames = []; let anyValue = false;
    for (const sp of specs) {
      const local = sp.name.text; const exported = (sp.propertyName ?? sp.name).text;
      let typeUse = false, valueUse = false;
      const visit = n => {
        if (ts.isIdentifier(n) && n.text === local && n !== sp.name && !(ts.isPropertyAccessExpression(n.parent) && n.parent.name === n) && !(ts.isPropertyAssignment(n.parent) && n.parent.name === n) && !(ts.isPropertyDeclaration(n.parent) && n.parent.name === n) && !ts.isImportSpecifier(n.parent)) {
          if (inType(n)) typeUse = true; else { valueUse = true; edits.push({ start: n.getStart(sf), end: n.end, text: `${libVar}.${exported}` }); }
        }
        ts.forEachChild(n, visit);
      };
      visit(sf);
      if (typeUse) typeNames.push(sp.getText(sf));
      if (valueUse) anyValue = true;
    }
    const replacement = (typeNames.length ? `import type { ${typeNames.join(', ')} } from '${mod}';` : '');
    edits.push({ start: d.getStart(sf), end: replacement || text[d.end] !== '\n' ? d.end : d.end + 1, text: replacement });
    if (anyValue) lazies.push(`const ${libVar} = lazyModule<typeof import('${mod}')>('${mod}');`);
  }
  let s = text;
  for (const e of edits.sort((a, b) => b.start - a.start)) s = s.slice(0, e.start) + e.text + s.slice(e.end);
  s = s.replace(/\n\n\n+/g, '\n\n');
  if (lazies.length) {
    // after the last import statement
    const sf2 = ts.createSourceFile(file, s, ts.ScriptTarget.ES2022, true);
    const imports = sf2.statements.filter(st => ts.isImportDeclaration(st));
    const last = imports[imports.length - 1];
    let rel = path.relative(path.dirname(file), path.join(root, 'lib/core/lazy-module')); if (!rel.startsWith('.')) rel = './' + rel;
    const importLine = `import { lazyModule } from '${rel}';`;
    // A rerun over a file made lazy before adds only what is new.
    const fresh = lazies.filter(l => !s.includes(l));
    const head = s.includes(importLine) ? '' : '\n' + importLine;
    s = s.slice(0, last.end) + head + '\n\n' + fresh.join('\n') + s.slice(last.end);
  }
  fs.writeFileSync(file, s); changed++;
}
console.error('rewrote', changed, 'files');
