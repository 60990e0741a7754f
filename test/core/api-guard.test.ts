import { Duration } from 'cdk8s';
import { Construct } from 'constructs';
import * as paved from '../../lib';
import { Errors, Platform } from '../../lib';
import { ApiGuard, ApiSchema, TypeDef, TypeRef } from '../../lib/core/api-guard';
import { API_SCHEMA } from '../../lib/core/api-schema';
import { devEnvironment, prodEnvironment, testPlatform } from '../support/synth';

/*
 * Misuse from plain JavaScript or Python: every public constructor and
 * static method paved exports (the entries of the generated schema, which
 * test/core/api-schema.test.ts keeps equal to lib/index.ts's exports) is
 * called with values of the wrong kind in each parameter and each property
 * of a struct it takes, and must fail with paved's own error naming that
 * property, never with a TypeError from deep inside.
 */

const platform = testPlatform();
const dev = devEnvironment(platform);
const prod = prodEnvironment(platform);
/** A construct of the prod environment, whose node the stand-ins of another environment's constructs carry. */
const prodConstruct = new paved.Key(prod, 'ProdKey', { description: 'Prod data' });

interface Parameter { readonly name: string; readonly optional: boolean; readonly type: TypeRef }

function parametersOf(entry: string): Parameter[] {
  return API_SCHEMA.entries[entry].map(text => {
    const [, name, optional, type] = /^(\w+)(\??): (.+)$/.exec(text)!;
    return { name, optional: optional === '?', type };
  });
}

function defOf(type: TypeRef): TypeDef | undefined {
  return API_SCHEMA.types[type];
}

function isStruct(type: TypeRef): boolean {
  const def = defOf(type);
  return typeof def === 'object' && 'struct' in def;
}

/** The class paved exports under `name`. */
function exported(name: string): any {
  const value = (paved as any)[name];
  if (typeof value !== 'function') { throw new Error(`${name} is not a class exported by lib/index.ts`); }
  return value;
}

/** A value of `type` that passes the entry check: the stand-in of what a caller would give. */
function sample(type: TypeRef, depth: number = 0): unknown {
  if (type === 'string') { return 'x'; }
  if (type === 'number') { return 1; }
  if (type === 'boolean') { return true; }
  if (type === 'function') { return () => undefined; }
  if (type === 'any' || type === 'object' || type.startsWith('{}')) { return {}; }
  if (type.startsWith('[]')) { return []; }
  if (type === 'Platform') { return platform; }
  if (type === 'Environment' || type === 'Construct' || type === 'IConstruct') { return dev; }
  if (type === 'Node') { return dev.node; }
  if (type === 'Duration') { return Duration.minutes(1); }
  const def = defOf(type);
  if (def === undefined || def === 'external' || def === 'external-class') { throw new Error(`no sample of ${type}`); }
  if ('enum' in def) { return def.enum[0]; }
  if ('class' in def) { return Object.create(exported(type).prototype); }
  if (depth > 6) { throw new Error(`${type} nests too deep to sample`); }
  const members = 'struct' in def ? def.struct : def.interface;
  const value: { [key: string]: unknown } = {};
  for (const [key, memberType] of Object.entries(members)) {
    if (!key.endsWith('?')) { value[key] = sample(memberType, depth + 1); }
  }
  return value;
}

/** Values of the wrong kind for `type`; undefined too when the value is required. */
function hostile(type: TypeRef, optional: boolean): unknown[] {
  if (type === 'any') { return []; }
  const def = defOf(type);
  const values: unknown[] = [null, 'M', 42, [], {}, true];
  if (type === 'number') { values.push(Number.NaN); }
  const wrong = values.filter(value => {
    if (value === null) { return true; }
    if (typeof value === 'string') { return type !== 'string' && !(typeof def === 'object' && 'enum' in def && def.enum.includes(value)); }
    if (typeof value === 'number') { return type !== 'number' || Number.isNaN(value); }
    if (typeof value === 'boolean') { return type !== 'boolean'; }
    if (Array.isArray(value)) { return !type.startsWith('[]'); }
    // {}: a struct or interface without its members fails on a member, named by it; those are walked one by one.
    return !type.startsWith('{}') && def !== 'external' && !(typeof def === 'object' && ('struct' in def || 'interface' in def));
  });
  return optional ? wrong : [undefined, ...wrong];
}

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** Calls the entry: `new C(...args)` or `C.method(...args)`. */
function call(entry: string, args: unknown[]): unknown {
  const [className, method] = entry.split('.');
  const cls = exported(className);
  return method ? cls[method](...args) : new cls(...args);
}

interface Case {
  readonly entry: string;
  /** The property the error must name: a parameter, or a struct's property path as the caller wrote it. */
  readonly property: string;
  readonly value: unknown;
  readonly args: unknown[];
}

/** Every struct property under `prefix` set to each hostile value, the rest of the arguments valid. */
function structCases(entry: string, args: unknown[], index: number, type: TypeRef, prefix: string, at: (base: any) => any, depth: number): Case[] {
  const def = defOf(type) as { struct: { [key: string]: TypeRef } };
  const cases: Case[] = [];
  for (const [key, memberType] of Object.entries(def.struct)) {
    const optional = key.endsWith('?');
    const member = optional ? key.slice(0, -1) : key;
    const property = prefix ? `${prefix}.${member}` : member;
    for (const value of hostile(memberType, optional)) {
      const copy = args.slice();
      copy[index] = structuredCopy(args[index]);
      const target = at(copy[index]);
      if (value === undefined) { delete target[member]; } else { target[member] = value; }
      cases.push({ entry, property, value, args: copy });
    }
    if (isStruct(memberType) && depth < 3) {
      // A nested struct: present (sampled), with each of its properties hostile in turn.
      const base = args.slice();
      base[index] = structuredCopy(args[index]);
      at(base[index])[member] = sample(memberType);
      cases.push(...structCases(entry, base, index, memberType, property, b => at(b)[member], depth + 1));
    }
  }
  return cases;
}

/** A copy of a sampled struct, its plain objects copied, its class instances and constructs shared. */
function structuredCopy(value: unknown): any {
  if (Array.isArray(value)) { return value.map(structuredCopy); }
  if (value !== null && typeof value === 'object' && Object.getPrototypeOf(value) === Object.prototype) {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, structuredCopy(v)]));
  }
  return value;
}

function casesOf(entry: string): Case[] {
  const parameters = parametersOf(entry);
  const valid = parameters.map(p => sample(p.type));
  // The id of a construct made under `dev` names it apart from everything else of the test.
  if (parameters[1]?.name === 'id') { valid[1] = 'Hostile'; }
  const cases: Case[] = [];
  parameters.forEach((parameter, i) => {
    for (const value of hostile(parameter.type, parameter.optional)) {
      const args = valid.slice();
      args[i] = value;
      cases.push({ entry, property: parameter.name, value, args });
    }
    if (isStruct(parameter.type)) { cases.push(...structCases(entry, valid, i, parameter.type, '', b => b, 0)); }
  });
  return cases;
}

const ENTRIES = Object.keys(API_SCHEMA.entries);
const CASES = ENTRIES.flatMap(casesOf);

describe('every public constructor and static method, called from JavaScript or Python with values of the wrong kind', () => {
  test('the walk covers every entry and struct property (a table that lost them would pass vacuously)', () => {
    expect(ENTRIES.length).toBeGreaterThan(150);
    expect(new Set(CASES.map(c => c.entry)).size).toBeGreaterThan(130);
    expect(CASES.length).toBeGreaterThan(3000);
    // A few that issue 10.7 names.
    expect(CASES).toEqual(expect.arrayContaining([
      expect.objectContaining({ entry: 'Platform', property: 'props', value: null }),
      expect.objectContaining({ entry: 'Workload', property: 'props', value: null }),
      expect.objectContaining({ entry: 'Workload', property: 'size', value: 'M' }),
    ]));
  });

  test.each(ENTRIES)('fails with paved\'s own error naming the property: %s', entry => {
    const failures: string[] = [];
    for (const c of CASES.filter(x => x.entry === entry)) {
      let thrown: unknown;
      try {
        call(c.entry, c.args);
      } catch (e) {
        thrown = e;
      }
      const message = (thrown as Error | undefined)?.message ?? '';
      if (!Errors.isPavedError(thrown) || !message.includes(`: ${c.property}: got `)) {
        failures.push(`${c.property} = ${String(JSON.stringify(c.value))}: ${thrown === undefined ? 'no error' : `${(thrown as Error).name}: ${message}`}`);
      }
    }
    expect(failures).toEqual([]);
  });
});

describe('a construct of one environment given to a construct of another', () => {
  /** Every construct-typed property of a constructor's struct (a network, cluster, dns zone, key, queue...), top level. */
  const constructProperties = ENTRIES.flatMap(entry => {
    const parameters = parametersOf(entry);
    if (parameters[0]?.type !== 'Construct' && parameters[0]?.type !== 'Environment') { return []; }
    return parameters.flatMap((parameter, index) => {
      if (!isStruct(parameter.type)) { return []; }
      const def = defOf(parameter.type) as { struct: { [key: string]: TypeRef } };
      return Object.entries(def.struct)
        .map(([key, type]) => ({ entry, index, structType: parameter.type, member: key.replace(/\?$/, ''), type: type.replace(/^\[\]/, ''), list: type.startsWith('[]') }))
        .filter(({ type }) => holdsConstruct(type));
    });
  });

  /** Whether values of `type` are constructs: a construct class, or an interface a construct class implements (a queue to scale on). */
  function holdsConstruct(type: TypeRef): boolean {
    const d = defOf(type);
    if (typeof d !== 'object') { return false; }
    if ('class' in d) { return d.construct === true; }
    if (!('interface' in d)) { return false; }
    return 'node' in d.interface || (d.makers ?? []).some(maker => {
      const made = /^new (\w+)\(/.exec(maker)?.[1];
      return made !== undefined && exported(made).prototype instanceof Construct;
    });
  }

  /** A stand-in of a construct of type `type` that lives in the prod environment. */
  function fromProd(type: TypeRef): unknown {
    // An Environment given where dev's belongs is prod itself.
    if ((paved as any)[type as any] === paved.Environment) { return prod; }
    const def = defOf(type)!;
    const value = typeof def === 'object' && 'class' in def ? Object.create(exported(type).prototype) : sample(type);
    Object.defineProperty(value, 'node', { value: prodConstruct.node });
    return value;
  }

  test('the walk finds them (network, cluster, dns, key...)', () => {
    const members = new Set(constructProperties.map(p => p.member));
    for (const member of ['network', 'cluster', 'clusters', 'dns', 'encryptionKey', 'queue']) { expect(members).toContain(member); }
  });

  test.each(constructProperties.map(p => [`${p.entry} ${p.member}`, p] as const))('fails: %s', (_, p) => {
    // GIVEN a construct made under the dev environment, with everything else valid
    const parameters = parametersOf(p.entry);
    const args = parameters.map(parameter => sample(parameter.type));
    const takesId = parameters[1]?.name === 'id';
    if (takesId) { args[1] = 'CrossEnvironment'; }
    const props = args[p.index] as any;
    // WHEN one of its properties is a construct of the prod environment
    props[p.member] = p.list ? [fromProd(p.type)] : fromProd(p.type);
    // THEN
    const where = takesId ? 'dev/CrossEnvironment' : p.entry;
    expect(() => call(p.entry, args)).toThrow(new RegExp(
      `^${escape(where)}: ${escape(p.member)}(\\[0\\])?: got "prod(/ProdKey)?"; expected a construct of environment dev, not of environment prod`));
  });

  test('fails for a real Postgres in prod given dev\'s network', () => {
    // GIVEN
    const network = new paved.Network(dev, 'Network', { cidr: '10.0.0.0/16' });
    // THEN
    expect(() => new paved.Postgres(prod, 'OrdersDb', { network }))
      .toThrow('prod/OrdersDb: network: got "dev/Network"; expected a construct of environment prod, not of environment dev');
  });

  test('a construct of the same environment is accepted', () => {
    const network = new paved.Network(dev, 'SameNetwork', { cidr: '10.1.0.0/16' });
    expect(() => new paved.Postgres(dev, 'SameEnvDb', { network })).not.toThrow();
  });
});

describe('ApiGuard', () => {
  const schema: ApiSchema = {
    entries: {
      'Thing': ['scope: Construct', 'id: string', 'props: ThingProps'],
      'Thing.named': ['name: string', 'options?: ThingOptions'],
    },
    types: {
      Construct: 'external-class',
      ThingProps: { struct: { 'count': 'number', 'tags?': '{}string', 'kind?': 'ThingKind', 'items?': '[]ThingOptions', 'password?': 'SecretRef' } },
      ThingOptions: { struct: { label: 'string' } },
      ThingKind: { enum: ['small', 'large'] },
      SecretRef: { class: ['SecretRef.fromSecretsManager(...)'] },
    },
  };
  const guard = new ApiGuard(schema);
  const scope = devEnvironment(testPlatform());

  test('accepts what the types allow', () => {
    expect(() => guard.check('Thing', [scope, 'T', { count: 1, tags: { a: 'b' }, kind: 'large', items: [{ label: 'x' }] }])).not.toThrow();
    expect(() => guard.check('Thing.named', ['n'])).not.toThrow();
  });

  test.each([
    ['dev/T: props: got null; expected an object of ThingProps { count, ... }', [scope, 'T', null]],
    ['dev/T: kind: got null; expected one of "small", "large" (ThingKind) (leave it out for the default)', [scope, 'T', { count: 1, kind: null }]],
    ['dev/T: items[0]: got null; expected an object of ThingOptions { label }', [scope, 'T', { count: 1, items: [null] }]],
    ['dev/T: props: got undefined; expected an object of ThingProps { count, ... }', [scope, 'T', undefined]],
    ['dev/T: props: got []; expected an object of ThingProps { count, ... }', [scope, 'T', []]],
    ['dev/T: count: got undefined; expected a finite number', [scope, 'T', {}]],
    ['dev/T: count: got "1"; expected a finite number', [scope, 'T', { count: '1' }]],
    ['dev/T: count: got Infinity; expected a finite number', [scope, 'T', { count: Infinity }]],
    ['dev/T: tags.a: got 2; expected a string', [scope, 'T', { count: 1, tags: { a: 2 } }]],
    ['dev/T: tags: got ["a"]; expected an object of names to values, each a string', [scope, 'T', { count: 1, tags: ['a'] }]],
    ['dev/T: kind: got "M"; expected one of "small", "large" (ThingKind)', [scope, 'T', { count: 1, kind: 'M' }]],
    ['dev/T: items[1].label: got 3; expected a string', [scope, 'T', { count: 1, items: [{ label: 'x' }, { label: 3 }] }]],
    ['dev: id: got 42; expected a construct id: a string', [scope, 42, { count: 1 }]],
    ['Thing: scope: got null; expected a Construct object', [null, 'T', { count: 1 }]],
    ['Thing: scope: got {}; expected a Construct object', [{}, 'T', { count: 1 }]],
    ['Thing.named: name: got 3; expected a string', [3]],
    ['Thing.named: options: got "label"; expected an object of ThingOptions { label }', ['n', 'label']],
  ])('fails: %s', (message, args: unknown[]) => {
    expect(() => guard.check(args.length === 3 ? 'Thing' : 'Thing.named', args)).toThrow(message);
  });

  test('fails without showing text given where a secret reference belongs (it may be the secret)', () => {
    expect(() => guard.check('Thing', [scope, 'T', { count: 1, password: 'hunter2' }]))
      .toThrow('dev/T: password: got "(an inline value, not shown)"; expected a SecretRef (SecretRef.fromSecretsManager(...))');
  });

  test('fails with an internal error for an entry the schema does not have (the schema is stale)', () => {
    expect(() => guard.check('Other', [])).toThrow('paved internal error: Other is not in the API schema (run npx projen api-schema)');
  });

  test('the errors are paved\'s', () => {
    let thrown: unknown;
    try { new Platform(null as any); } catch (e) { thrown = e; }
    expect(Errors.isPavedError(thrown)).toBe(true);
    expect((thrown as Error).message).toBe('Platform: props: got null; expected an object of PlatformProps (leave it out for the default)');
  });
});
