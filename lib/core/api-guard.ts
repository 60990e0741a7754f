import { IConstruct } from 'constructs';
import { API_SCHEMA } from './api-schema';
import { invalid } from './errors';

/*
 * The entry check of every public constructor and static method: the
 * arguments a JavaScript or Python caller gives are held to the declared
 * types before any of them is used, so `null` props, a size given as the
 * string "M", or an array where a struct belongs fail with paved's own
 * error naming the property, never with a TypeError from deep inside; and
 * a construct of one environment given to a construct of another is
 * refused.
 *
 * The types come from api-schema.ts, generated from the TypeScript
 * sources (tools/api-schema/generate.ts). What the types do not say (the
 * range of a number, the format of a name) each construct validates
 * itself, after this.
 */

/**
 * A type as api-schema.ts writes it: `string`, `number`, `boolean`,
 * `function`, `any`, a type name, `[]T` (a list of T) or `{}T` (a map of
 * names to T).
 * @internal
 */
export type TypeRef = string;

/**
 * A type of the schema: a struct (its properties), a behavioral interface
 * (its members, and how a caller gets one), an enum (its values), a class
 * of paved (how a caller gets one), or a class or interface of another
 * library.
 * @internal
 */
export type TypeDef =
  | { readonly struct: { readonly [property: string]: TypeRef } }
  | { readonly interface: { readonly [member: string]: TypeRef }; readonly makers?: readonly string[] }
  | { readonly enum: readonly (string | number)[] }
  | { readonly class: readonly string[]; readonly construct?: true }
  | 'external-class' | 'external';

/**
 * Every public constructor (by class name) and static method (`Class.method`)
 * with its parameters (`name: Type`, `name?: Type` when optional), and the
 * types they refer to.
 * @internal
 */
export interface ApiSchema {
  readonly entries: { readonly [entry: string]: readonly string[] };
  readonly types: { readonly [name: string]: TypeDef };
}

interface Parameter {
  readonly name: string;
  readonly optional: boolean;
  readonly type: TypeRef;
}

/** A construct met among the arguments, with the property that holds it. */
interface Held {
  readonly property: string;
  readonly value: IConstruct;
}

/** How deep structs and interfaces are followed (they nest a few levels at most). */
const MAX_DEPTH = 8;
/** Names of properties and types that hold credentials: a wrong value there may be the secret itself. */
const SECRET = /secret|password|passphrase|token|credential|api_?key|private_?key|routing_?key|webhook_?url/i;

/** Finds the environment a construct belongs to; set by Environment (core must not import it here: it is guarded too). */
let environmentOf: (scope: IConstruct) => { readonly name: string } | undefined = () => undefined;

/**
 * Tells the guard how to find a construct's environment, for the check that
 * a construct of one environment is not given to a construct of another.
 * @internal
 */
export function registerEnvironmentLookup(lookup: (scope: IConstruct) => { readonly name: string } | undefined): void {
  environmentOf = lookup;
}

/**
 * The checks of one schema: paved's own (`API_GUARD`), or a test's.
 * @internal
 */
export class ApiGuard {
  /** Parsed parameters, per entry, on first use. */
  private readonly parsed = new Map<string, Parameter[]>();

  constructor(private readonly schema: ApiSchema) {}

  /**
   * Checks the arguments of the public constructor or static method `entry`
   * (`Workload`, `Cluster.fromAttributes`) against its declared types, and
   * that no construct of another environment is among them.
   *
   * @param entry the class name, or `Class.method`
   * @param args the arguments, as given (`arguments`)
   */
  public check(entry: string, args: ArrayLike<unknown>): void {
    const parameters = this.parametersOf(entry);
    const where = this.locate(entry, parameters, args);
    const held: Held[] = [];
    parameters.forEach((parameter, i) => {
      const value = args[i];
      if (value === undefined) {
        if (!parameter.optional && parameter.type !== 'any') {
          throw invalid(where, parameter.name, value, this.describe(parameter.type));
        }
        return;
      }
      // A struct's properties are named as the caller wrote them (`tenant`, not `props.tenant`).
      const property = this.isStruct(parameter.type) ? '' : parameter.name;
      this.checkValue(where, property, parameter.name, value, parameter.type, held, 0, parameter.optional);
    });
    this.crossEnvironment(where, parameters, args, held);
  }

  private parametersOf(entry: string): Parameter[] {
    let parameters = this.parsed.get(entry);
    if (!parameters) {
      const declared = this.schema.entries[entry];
      if (!declared) { throw new Error(`paved internal error: ${entry} is not in the API schema (run npx projen api-schema)`); }
      parameters = declared.map(text => {
        const [, name, optional, type] = /^(\w+)(\??): (.+)$/.exec(text)!;
        return { name, optional: optional === '?', type };
      });
      this.parsed.set(entry, parameters);
    }
    return parameters;
  }

  /**
   * Where errors are reported: the path the construct being made will have
   * (`<scope path>/<id>`) when the call takes a scope and an id, else the entry.
   */
  private locate(entry: string, parameters: Parameter[], args: ArrayLike<unknown>): string {
    const scope = args[0];
    const takesScope = parameters.length > 0 && this.isConstructType(parameters[0].type);
    if (!takesScope) { return entry; }
    if (!isConstruct(scope)) {
      throw invalid(entry, parameters[0].name, scope, this.describe(parameters[0].type));
    }
    if (parameters[1]?.name !== 'id') { return entry; }
    const id = args[1];
    if (typeof id !== 'string') {
      throw invalid(scope.node.path || entry, 'id', id, 'a construct id: a string');
    }
    return scope.node.path ? `${scope.node.path}/${id}` : id;
  }

  private checkValue(where: string, property: string, parameter: string, value: unknown, type: TypeRef, held: Held[], depth: number,
    optional: boolean = false): void {
    const name = property || parameter;
    if (type === 'any' || depth > MAX_DEPTH) { return; }
    const fail = (allowed: string = this.describe(type)) => { throw invalid(where, name, shown(name, type, value), allowed); };
    if (value === null) { fail(optional ? `${this.describe(type)} (leave it out for the default)` : undefined); }
    if (type === 'string' || type === 'boolean' || type === 'function') {
      if (typeof value !== type) { fail(); }
      return;
    }
    if (type === 'number') {
      if (typeof value !== 'number' || !Number.isFinite(value)) { fail(); }
      return;
    }
    if (type.startsWith('[]')) {
      if (!Array.isArray(value)) { fail(); }
      (value as unknown[]).forEach((item, i) => this.checkValue(where, `${name}[${i}]`, parameter, item, type.slice(2), held, depth + 1));
      return;
    }
    if (type.startsWith('{}')) {
      if (!isPlainObject(value)) { fail(); }
      for (const [key, item] of Object.entries(value as object)) {
        this.checkValue(where, `${name}.${key}`, parameter, item, type.slice(2), held, depth + 1);
      }
      return;
    }
    const def = this.schema.types[type];
    if (def === undefined) { return; }
    if (def === 'external') {
      if (!isObject(value)) { fail(); }
    } else if (def === 'external-class' || 'class' in def) {
      if (!isInstanceOf(value, type)) { fail(); }
    } else if ('enum' in def) {
      if (!def.enum.includes(value as string)) { fail(); }
    } else {
      if (!isObject(value)) { fail(); }
      this.checkMembers(where, property, name, parameter, value as object, def, held, depth);
    }
    // Any construct, whatever the declared type (an IScalingQueue is a Queue): constructs never cross environments.
    if (isConstruct(value)) { held.push({ property: name, value }); }
  }

  /**
   * A struct's properties, each named by its path; an interface's members,
   * for their kind only (they name the interface, not the caller's property).
   */
  private checkMembers(where: string, property: string, name: string, parameter: string, value: object,
    def: Extract<TypeDef, { struct: unknown } | { interface: unknown }>, held: Held[], depth: number): void {
    const isStruct = 'struct' in def;
    const members = isStruct ? def.struct : def.interface;
    for (const [key, memberType] of Object.entries(members)) {
      const optional = key.endsWith('?');
      const member = optional ? key.slice(0, -1) : key;
      const item = (value as any)[member];
      if (isStruct) {
        const path = property ? `${property}.${member}` : member;
        if (item === undefined && !optional) { throw invalid(where, path, item, this.describe(memberType)); }
        if (item !== undefined) { this.checkValue(where, path, parameter, item, memberType, held, depth + 1, optional); }
        continue;
      }
      if (item === undefined || item === null) {
        if (optional) { continue; }
        throw invalid(where, name, shown(name, '', value), this.describe(this.typeNameOf(def)));
      }
      this.checkValue(where, name, parameter, item, this.shallow(memberType), held, depth + 1);
    }
  }

  /** A construct given to a construct of another environment would wire two accounts together through remote state. */
  private crossEnvironment(where: string, parameters: Parameter[], args: ArrayLike<unknown>, held: Held[]): void {
    const scope = args[0];
    const others = held.filter(c => c.value !== scope);
    if (others.length === 0 || !this.isConstructType(parameters[0].type) || !isConstruct(scope)) { return; }
    const home = environmentOf(scope);
    if (!home) { return; }
    for (const { property, value } of others) {
      const other = environmentOf(value);
      if (other && other !== home) {
        throw invalid(where, property, value.node.path,
          `a construct of environment ${home.name}, not of environment ${other.name}: constructs of one environment `
          + 'never refer to another\'s (each environment is its own account, state and blast radius)');
      }
    }
  }

  /** The name of an interface definition, for its message. */
  private typeNameOf(def: TypeDef): string {
    return Object.keys(this.schema.types).find(name => this.schema.types[name] === def)!;
  }

  /** The kind of an interface member, without following its own members. */
  private shallow(type: TypeRef): TypeRef {
    const def = this.schema.types[type];
    return def !== undefined && typeof def === 'object' && ('struct' in def || 'interface' in def) ? 'object' : type;
  }

  private isStruct(type: TypeRef): boolean {
    const def = this.schema.types[type];
    return def !== undefined && typeof def === 'object' && 'struct' in def;
  }

  /** Whether values of `type` are constructs: a construct class, an interface with a `node`, or the constructs library's. */
  private isConstructType(type: TypeRef): boolean {
    const def = this.schema.types[type];
    if (type === 'Construct' || type === 'IConstruct') { return true; }
    if (def === undefined || typeof def !== 'object') { return false; }
    if ('interface' in def) { return 'node' in def.interface; }
    return 'class' in def && def.construct === true;
  }

  /** What is allowed, completing "expected ...". */
  public describe(type: TypeRef): string {
    if (type === 'string') { return 'a string'; }
    if (type === 'number') { return 'a finite number'; }
    if (type === 'boolean') { return 'true or false'; }
    if (type === 'function') { return 'a function'; }
    if (type === 'object') { return 'an object'; }
    if (type === 'any') { return 'a value'; }
    if (type.startsWith('[]')) { return `a list, each item ${this.describe(type.slice(2))}`; }
    if (type === '{}any') { return 'an object of names to values'; }
    if (type.startsWith('{}')) { return `an object of names to values, each ${this.describe(type.slice(2))}`; }
    const def = this.schema.types[type];
    if (def === undefined || def === 'external') { return `${article(type)} ${type}`; }
    if (def === 'external-class') { return `${article(type)} ${type} object`; }
    if ('enum' in def) { return `one of ${def.enum.map(v => JSON.stringify(v)).join(', ')} (${type})`; }
    if ('class' in def) { return `${article(type)} ${type}${def.class.length > 0 ? ` (${either(def.class)})` : ' object'}`; }
    if ('interface' in def && def.makers && def.makers.length > 0) { return `${article(type)} ${type} (${either(def.makers)})`; }
    const members = Object.keys('struct' in def ? def.struct : def.interface);
    const required = members.filter(k => !k.endsWith('?'));
    const more = required.length < members.length ? ', ...' : '';
    return 'struct' in def
      ? `an object of ${type}${required.length > 0 ? ` { ${required.join(', ')}${more} }` : ''}`
      : `${article(type)} ${type} (an object with ${required.join(', ')})`;
  }
}

/** The checks of paved's own public API. */
const API_GUARD = new ApiGuard(API_SCHEMA);

/**
 * Checks the arguments of the public constructor or static method `entry`
 * (`Workload`, `Cluster.fromAttributes`) against its declared types, and
 * that no construct of another environment is among them. Every public
 * static method calls it first.
 *
 * @param entry the class name, or `Class.method`
 * @param args the arguments, as given (`arguments`)
 * @internal
 */
export function checkArguments(entry: string, args: ArrayLike<unknown>): void {
  API_GUARD.check(entry, args);
}

/**
 * `checkArguments` for a constructor, inside its `super(...)` (nothing may
 * come before it): returns `scope` once the arguments are checked.
 *
 * @param scope the constructor's first argument, handed on to `super`
 * @internal
 */
export function checkedScope<T>(scope: T, entry: string, args: ArrayLike<unknown>): T {
  API_GUARD.check(entry, args);
  return scope;
}

/**
 * A value as an error shows it: a construct as its path; text given where a
 * secret reference belongs is not shown, since it may be the secret itself.
 */
function shown(property: string, type: TypeRef, value: unknown): unknown {
  if (isConstruct(value)) { return value.node.path; }
  const leaf = property.slice(property.lastIndexOf('.') + 1);
  if (typeof value === 'string' && type !== 'string' && (SECRET.test(leaf) || SECRET.test(type))) {
    return '(an inline value, not shown)';
  }
  return value;
}

/** `a, b or c`. */
function either(items: readonly string[]): string {
  return items.length === 1 ? items[0] : `${items.slice(0, -1).join(', ')} or ${items[items.length - 1]}`;
}

function article(word: string): string {
  return /^[AEIOU]/.test(word) ? 'an' : 'a';
}

function isObject(value: unknown): boolean {
  return value !== null && (typeof value === 'object' || typeof value === 'function') && !Array.isArray(value);
}

/** An object literal (or one without a prototype): what a map of names to values is. */
function isPlainObject(value: unknown): boolean {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) { return false; }
  const proto = Object.getPrototypeOf(value);
  return proto === null || proto === Object.prototype || Object.getPrototypeOf(proto) === null;
}

function isConstruct(value: unknown): value is IConstruct {
  return isObject(value) && isObject((value as any).node) && typeof (value as any).node.path === 'string';
}

/** Whether `value`'s class, or one it extends, is named `name` (a copy of paved loaded twice still counts). */
function isInstanceOf(value: unknown, name: string): boolean {
  if (!isObject(value)) { return false; }
  for (let proto = Object.getPrototypeOf(value); proto && proto !== Object.prototype; proto = Object.getPrototypeOf(proto)) {
    if (proto.constructor?.name === name) { return true; }
  }
  return false;
}
