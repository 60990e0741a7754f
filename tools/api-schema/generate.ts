/**
 * `npx projen api-schema`: writes lib/core/api-schema.ts, the types of
 * every public constructor and static method paved exports (lib/index.ts)
 * and of every struct, interface and enum they take, as the runtime checks
 * of lib/core/api-guard.ts read them.
 *
 * JavaScript and Python callers are not held to the TypeScript types: a
 * `null` where an object belongs, a size given as the string "M", or an
 * array where a struct belongs would otherwise end deep inside a construct
 * as a TypeError. The table is read from the TypeScript sources, so it
 * cannot drift from them: test/core/api-schema.test.ts regenerates it and
 * fails when the committed file differs.
 */
// The TypeScript compiler API describes symbols, types and modifiers with bit flags.
/* eslint-disable no-bitwise */
import * as fs from 'fs';
import * as path from 'path';
import * as ts from 'typescript';

const ROOT = path.resolve(__dirname, '..', '..');
const LIB = path.join(ROOT, 'lib');
const INDEX = path.join(LIB, 'index.ts');
/** The generated file. */
export const SCHEMA_FILE = path.join(LIB, 'core', 'api-schema.ts');

/** A type as the schema writes it: `string`, `number`, `boolean`, `any`, a type name, `[]T` (list) or `{}T` (map). */
type TypeRef = string;
type TypeDef =
  | { readonly struct: { [property: string]: TypeRef } }
  | { interface: { [member: string]: TypeRef }; makers?: string[] }
  | { readonly enum: (string | number)[] }
  | { class: string[]; construct?: true }
  | 'external-class' | 'external';

class Generator {
  private readonly checker: ts.TypeChecker;
  private readonly types = new Map<string, TypeDef>();
  private readonly entries = new Map<string, string[]>();

  constructor(private readonly program: ts.Program) {
    this.checker = program.getTypeChecker();
  }

  public run(): string {
    const index = this.program.getSourceFile(INDEX);
    if (!index) { throw new Error(`${INDEX} is not part of the program`); }
    const module = this.checker.getSymbolAtLocation(index)!;
    const exported = this.checker.getExportsOfModule(module)
      .map(s => (s.flags & ts.SymbolFlags.Alias ? this.checker.getAliasedSymbol(s) : s))
      .filter(s => s.flags & ts.SymbolFlags.Class && !s.declarations!.some(isInternal))
      .sort((a, b) => a.name.localeCompare(b.name));
    for (const symbol of exported) { this.classEntries(symbol); }
    for (const symbol of exported) { this.makers(symbol); }
    return this.render();
  }

  private classEntries(symbol: ts.Symbol): void {
    const declaration = symbol.declarations!.find(ts.isClassDeclaration)!;
    const abstract = ts.getCombinedModifierFlags(declaration) & ts.ModifierFlags.Abstract;
    const constructor = this.constructorOf(declaration);
    if (!abstract && constructor !== null) {
      this.entries.set(symbol.name, constructor ? this.parameters(constructor) : []);
    }
    for (const member of declaration.members) {
      if (!ts.isMethodDeclaration(member) || !member.name || !ts.isIdentifier(member.name)) { continue; }
      const flags = ts.getCombinedModifierFlags(member);
      if (!(flags & ts.ModifierFlags.Static) || flags & (ts.ModifierFlags.Private | ts.ModifierFlags.Protected)) { continue; }
      if (member.name.text.startsWith('_') || isInternal(member)) { continue; }
      this.entries.set(`${symbol.name}.${member.name.text}`, this.parameters(member));
    }
  }

  /**
   * How a caller gets a value of each type the schema lists: `new C(...)`
   * for a class (and the interfaces it implements), `C.m(...)` and `C.P`
   * for static methods and properties returning one. Error messages name them.
   */
  private makers(symbol: ts.Symbol): void {
    const declaration = symbol.declarations!.find(ts.isClassDeclaration)!;
    const classType = this.checker.getDeclaredTypeOfSymbol(symbol);
    const abstract = ts.getCombinedModifierFlags(declaration) & ts.ModifierFlags.Abstract;
    if (!abstract && this.constructorOf(declaration) !== null) {
      this.addMaker(classType, `new ${symbol.name}(...)`);
    }
    for (const member of declaration.members) {
      const flags = ts.getCombinedModifierFlags(member);
      if (!(flags & ts.ModifierFlags.Static) || flags & (ts.ModifierFlags.Private | ts.ModifierFlags.Protected) || isInternal(member)) { continue; }
      if (!member.name || !ts.isIdentifier(member.name) || member.name.text.startsWith('_')) { continue; }
      if (ts.isMethodDeclaration(member)) {
        const signature = this.checker.getSignatureFromDeclaration(member);
        const args = member.parameters.length > 0 ? '...' : '';
        if (signature) { this.addMaker(this.checker.getReturnTypeOfSignature(signature), `${symbol.name}.${member.name.text}(${args})`); }
      } else if (ts.isPropertyDeclaration(member) && flags & ts.ModifierFlags.Readonly) {
        this.addMaker(this.checker.getTypeAtLocation(member), `${symbol.name}.${member.name.text}`);
      }
    }
  }

  /** Records `maker` for `type`, and for every interface of the schema its class implements. */
  private addMaker(type: ts.Type, maker: string): void {
    const symbol = type.getSymbol();
    if (!symbol) { return; }
    const def = this.types.get(symbol.name);
    if (def && typeof def === 'object' && 'class' in def && !def.class.includes(maker)) { def.class.push(maker); }
    if (def && typeof def === 'object' && 'interface' in def) { (def.makers ??= []).push(maker); }
    if (symbol.flags & ts.SymbolFlags.Class) {
      for (const base of this.checker.getBaseTypes(type as ts.InterfaceType)) { this.addMaker(base, maker); }
      const declaration = symbol.declarations?.find(ts.isClassDeclaration);
      for (const clause of declaration?.heritageClauses?.filter(h => h.token === ts.SyntaxKind.ImplementsKeyword) ?? []) {
        for (const implemented of clause.types) { this.addMaker(this.checker.getTypeAtLocation(implemented), maker); }
      }
    } else if (symbol.flags & ts.SymbolFlags.Interface) {
      for (const base of this.checker.getBaseTypes(type as ts.InterfaceType)) { this.addMaker(base, maker); }
    }
  }

  /** The public constructor of the class or its nearest base; undefined for an implicit one, null for a private or protected one. */
  private constructorOf(declaration: ts.ClassDeclaration): ts.ConstructorDeclaration | undefined | null {
    const own = declaration.members.find(ts.isConstructorDeclaration);
    if (own) {
      return ts.getCombinedModifierFlags(own) & (ts.ModifierFlags.Private | ts.ModifierFlags.Protected) || isInternal(own) ? null : own;
    }
    const base = declaration.heritageClauses?.find(h => h.token === ts.SyntaxKind.ExtendsKeyword)?.types[0];
    if (!base) { return undefined; }
    const baseSymbol = this.checker.getTypeAtLocation(base.expression).getSymbol()
      ?? this.checker.getSymbolAtLocation(base.expression);
    const baseDeclaration = baseSymbol?.declarations?.find(ts.isClassDeclaration);
    if (!baseDeclaration || !this.isOwn(baseDeclaration)) { return undefined; }
    return this.constructorOf(baseDeclaration);
  }

  private parameters(signature: ts.SignatureDeclarationBase): string[] {
    return signature.parameters.map(p => {
      const name = (p.name as ts.Identifier).text;
      const type = this.checker.getTypeAtLocation(p);
      const optional = p.questionToken !== undefined || p.initializer !== undefined
        || (type.isUnion() && type.types.some(t => t.flags & ts.TypeFlags.Undefined));
      return `${name}${optional ? '?' : ''}: ${this.ref(type)}`;
    });
  }

  private ref(type: ts.Type): TypeRef {
    if (type.isUnion()) {
      const parts = type.types.filter(t => !(t.flags & (ts.TypeFlags.Undefined | ts.TypeFlags.Null | ts.TypeFlags.Void)));
      if (parts.length > 0 && parts.every(t => t.flags & ts.TypeFlags.BooleanLiteral)) { return 'boolean'; }
      if (parts.length > 0 && parts.every(t => t.flags & ts.TypeFlags.EnumLiteral)) { return this.enumRef(parts[0]); }
      return parts.length === 1 ? this.ref(parts[0]) : 'any';
    }
    if (type.flags & (ts.TypeFlags.String | ts.TypeFlags.StringLiteral)) { return 'string'; }
    if (type.flags & (ts.TypeFlags.Number | ts.TypeFlags.NumberLiteral)) { return 'number'; }
    if (type.flags & (ts.TypeFlags.Boolean | ts.TypeFlags.BooleanLiteral)) { return 'boolean'; }
    if (type.flags & ts.TypeFlags.EnumLike) { return this.enumRef(type); }
    if (type.flags & (ts.TypeFlags.Any | ts.TypeFlags.Unknown)) { return 'any'; }
    if (this.checker.isArrayType(type)) {
      return `[]${this.ref(this.checker.getTypeArguments(type as ts.TypeReference)[0])}`;
    }
    const symbol = type.getSymbol();
    const index = this.checker.getIndexInfoOfType(type, ts.IndexKind.String);
    if (index && this.checker.getPropertiesOfType(type).length === 0) { return `{}${this.ref(index.type)}`; }
    if (!symbol) { return 'any'; }
    if (symbol.flags & ts.SymbolFlags.Class) {
      const own = symbol.declarations?.some(d => this.isOwn(d));
      if (!this.types.has(symbol.name)) {
        this.types.set(symbol.name, !own ? 'external-class' : this.isConstruct(type) ? { class: [], construct: true } : { class: [] });
      }
      return symbol.name;
    }
    if (symbol.flags & ts.SymbolFlags.Interface) {
      if (!symbol.declarations?.some(d => this.isOwn(d))) {
        if (!this.types.has(symbol.name)) { this.types.set(symbol.name, 'external'); }
        return symbol.name;
      }
      if (!this.types.has(symbol.name)) { this.interfaceDef(symbol, type); }
      return symbol.name;
    }
    return 'any';
  }

  private enumRef(type: ts.Type): TypeRef {
    let symbol = type.getSymbol()!;
    // A member of the enum: its parent is the enum.
    if (symbol.flags & ts.SymbolFlags.EnumMember) { symbol = (symbol as any).parent as ts.Symbol; }
    if (!this.types.has(symbol.name)) {
      const declaration = symbol.declarations!.find(ts.isEnumDeclaration)!;
      this.types.set(symbol.name, { enum: declaration.members.map(m => this.checker.getConstantValue(m)!) });
    }
    return symbol.name;
  }

  /** A struct (a data type: no `I` prefix) or a behavioral interface, with every property and method, inherited ones included. */
  private interfaceDef(symbol: ts.Symbol, type: ts.Type): void {
    const behavioral = /^I[A-Z]/.test(symbol.name);
    const members: { [member: string]: TypeRef } = {};
    // Registered before its members are read: a member may refer to the interface itself.
    this.types.set(symbol.name, behavioral ? { interface: members } : { struct: members });
    for (const property of this.checker.getPropertiesOfType(type).sort((a, b) => a.name.localeCompare(b.name))) {
      if (property.name.startsWith('_')) { continue; }
      const declaration = property.declarations?.[0];
      const optional = (property.flags & ts.SymbolFlags.Optional) !== 0;
      const key = `${property.name}${optional ? '?' : ''}`;
      if (declaration && (ts.isMethodSignature(declaration) || ts.isMethodDeclaration(declaration))) {
        members[key] = 'function';
      } else {
        members[key] = this.ref(this.checker.getTypeOfSymbolAtLocation(property, declaration ?? (symbol.declarations![0])));
      }
    }
  }

  /** Whether the class is a construct: it extends `Construct` of the constructs library. */
  private isConstruct(type: ts.Type): boolean {
    if (type.getSymbol()?.name === 'Construct' && !type.getSymbol()!.declarations!.some(d => this.isOwn(d))) { return true; }
    return this.checker.getBaseTypes(type as ts.InterfaceType).some(base => this.isConstruct(base));
  }

  private isOwn(node: ts.Node): boolean {
    return path.resolve(node.getSourceFile().fileName).startsWith(LIB + path.sep);
  }

  private render(): string {
    const lines = [
      '// Generated by tools/api-schema/generate.ts from the exports of lib/index.ts: do not edit. Run `npx projen api-schema`.',
      '/* eslint-disable */',
      'import type { ApiSchema } from \'./api-guard\';',
      '',
      '/** The types of paved\'s public constructors and static methods, and of what they take (see api-guard.ts). @internal */',
      'export const API_SCHEMA: ApiSchema = {',
      '  entries: {',
      ...[...this.entries.keys()].sort().map(k => `    ${JSON.stringify(k)}: ${JSON.stringify(this.entries.get(k))},`),
      '  },',
      '  types: {',
      ...[...this.types.keys()].sort().map(k => `    ${JSON.stringify(k)}: ${JSON.stringify(this.types.get(k))},`),
      '  },',
      '};',
      '',
    ];
    return lines.join('\n');
  }
}

function isInternal(node: ts.Node): boolean {
  return ts.getJSDocTags(node).some(tag => tag.tagName.text === 'internal');
}

/** The text of lib/core/api-schema.ts, from the current sources. */
export function generateApiSchema(): string {
  const config = ts.readConfigFile(path.join(ROOT, 'tsconfig.json'), ts.sys.readFile).config;
  const { options } = ts.parseJsonConfigFileContent(config, ts.sys, ROOT);
  const program = ts.createProgram([INDEX], { ...options, noEmit: true });
  return new Generator(program).run();
}

if (require.main === module) {
  fs.writeFileSync(SCHEMA_FILE, generateApiSchema());
  process.stdout.write(`wrote ${path.relative(ROOT, SCHEMA_FILE)}\n`);
}
