import { DefaultTokenResolver, StringConcat, TerraformElement, TerraformOutput, TerraformStack, Token, Tokenization } from 'cdktf';
import { IConstruct } from 'constructs';

/**
 * Token resolution for paved's stacks, the same as cdktf's and several
 * times faster.
 *
 * cdktf resolves every value of every element three times per synth (a
 * preparing pass, the element fragments, the merged stack) and its resolver
 * does the same work for a literal as for a token: two resolution contexts
 * and three regular expressions per object key and string. At 1,000
 * workloads (~14,000 resources) that is most of the Terraform synthesis.
 *
 * {@link resolveValue} copies literal data itself and hands cdktf's resolver
 * (`Tokenization.resolve`, public API) every part that may hold a token: a
 * string with a token marker or something that looks like an encoded
 * number, a number that is a token, a list holding either, an object with
 * such a key, and anything that is not plain data (tokens, lazy values,
 * dynamic blocks). A part holds the same tokens alone as inside its parent,
 * and plain parents add nothing to the resolution context, so the result
 * equals cdktf's.
 */

const RESOLVER = new DefaultTokenResolver(new StringConcat());
/** cdktf's markers for string, list and map tokens all contain `{` (`${TfToken[`, `#{TfToken[`, `&{TfToken[`). */
const MARKER = '{';
/** A superset of what cdktf reads as an encoded number token in a string (its NUMBER_TOKEN_REGEX). */
const NUMBER_LIKE = /[-|\d.+]+e[-|\d.eE+]+/;

function mayHoldToken(s: string): boolean {
  return s.includes(MARKER) || NUMBER_LIKE.test(s);
}

function isPlainObject(v: object): boolean {
  const proto = Object.getPrototypeOf(v);
  return proto === Object.prototype || proto === null;
}

/**
 * `Tokenization.resolve(value, { scope, preparing, resolver })`, with
 * literal data copied directly.
 */
function resolveValue(scope: IConstruct, value: any, preparing: boolean): any {
  const cdktf = (v: any) => Tokenization.resolve(v, { scope, preparing, resolver: RESOLVER });
  const walk = (v: any): any => {
    switch (typeof v) {
      case 'undefined':
      case 'boolean':
      case 'bigint':
      case 'symbol':
        return v;
      case 'string':
        return mayHoldToken(v) ? cdktf(v) : v;
      case 'number':
        return Token.isUnresolved(v) ? cdktf(v) : v;
      case 'object':
        if (v === null) { return v; }
        if (Array.isArray(v)) {
          // cdktf resolves a list holding a list token as a whole.
          if (v.some(x => (typeof x === 'string' && mayHoldToken(x)) || (typeof x === 'number' && Token.isUnresolved(x)))) { return cdktf(v); }
          const out: any[] = [];
          for (const x of v) {
            const r = walk(x);
            if (r !== undefined) { out.push(r); }
          }
          return out;
        }
        if (!isPlainObject(v) || typeof v.resolve === 'function') { return cdktf(v); }
        for (const k of Object.keys(v)) {
          if (mayHoldToken(k)) { return cdktf(v); }
        }
        {
          const out: any = {};
          for (const k of Object.keys(v)) {
            const r = walk(v[k]);
            if (r !== undefined) { out[k] = r; }
          }
          return out;
        }
      default:
        // functions: cdktf's error
        return cdktf(v);
    }
  };
  return walk(value);
}

/** The elements of a stack, not of stacks nested in it (as cdktf collects them). */
function elements(node: IConstruct, into: TerraformElement[] = []): TerraformElement[] {
  if (TerraformElement.isTerraformElement(node)) { into.push(node); }
  for (const child of node.node.children) {
    if (!TerraformStack.isStack(child)) { elements(child, into); }
  }
  return into;
}

/**
 * `TerraformStack.prepareStack()`: resolves every element in preparing
 * mode for what that registers (cross-stack outputs and remote state).
 */
function prepareStack(stack: TerraformStack): void {
  stack.ensureBackendExists();
  for (const e of elements(stack)) {
    prepareValue(stack, e.toTerraform());
  }
}

/**
 * Resolves in preparing mode every part of `value` that may hold a token
 * (the parts {@link resolveValue} hands to cdktf), for what that registers;
 * literal data is only visited, not copied: cdktf discards the result.
 */
function prepareValue(scope: IConstruct, value: any): void {
  const cdktf = (v: any) => { Tokenization.resolve(v, { scope, preparing: true, resolver: RESOLVER }); };
  const walk = (v: any): void => {
    switch (typeof v) {
      case 'string':
        if (mayHoldToken(v)) { cdktf(v); }
        return;
      case 'number':
        if (Token.isUnresolved(v)) { cdktf(v); }
        return;
      case 'object':
        if (v === null) { return; }
        if (Array.isArray(v)) {
          if (v.some(x => (typeof x === 'string' && mayHoldToken(x)) || (typeof x === 'number' && Token.isUnresolved(x)))) { cdktf(v); return; }
          v.forEach(walk);
          return;
        }
        if (!isPlainObject(v) || typeof v.resolve === 'function' || Object.keys(v).some(mayHoldToken)) { cdktf(v); return; }
        for (const k of Object.keys(v)) { walk(v[k]); }
        return;
      case 'function':
        cdktf(v);
        return;
      default:
        return;
    }
  };
  walk(value);
}

/** cdktf's deepMerge: `source` into `target`; arrays concatenate, `undefined` deletes. */
function deepMerge(target: any, source: any): any {
  if (Tokenization.isResolvable(target)) {
    throw new Error(`Invalid usage. Target (${target.toString()}) can not be a resolvable token when overrides are specified.`);
  }
  if (typeof source !== 'object' || typeof target !== 'object') {
    throw new Error(`Invalid usage. Both source (${JSON.stringify(source)}) and target (${JSON.stringify(target)}) must be objects`);
  }
  for (const key of Object.keys(source)) {
    const value = source[key];
    if (typeof value === 'object' && value != null && !Array.isArray(value)) {
      if (typeof target[key] !== 'object') { target[key] = {}; }
      if (Tokenization.isResolvable(value)) {
        target[key] = value;
        continue;
      }
      deepMerge(target[key], value);
    } else if (typeof value === 'object' && value != null && Array.isArray(value)) {
      target[key] = Array.isArray(target[key]) ? [...target[key], ...value] : value;
    } else if (value === undefined) {
      delete target[key];
    } else {
      target[key] = value;
    }
  }
  return target;
}

/**
 * `TerraformStack.toTerraform()`: the stack's Terraform JSON, from its
 * elements' metadata, outputs and fragments and its own overrides, each
 * step as cdktf does it, resolved with {@link resolveValue}.
 */
function stackToTerraform(stack: TerraformStack, overrides: any): any {
  const tf: any = {};
  const metadata: any = {
    version: (stack as any).cdktfVersion,
    stackName: stack.node.id,
    backend: 'local',
    cloud: undefined,
    ...(Object.keys(overrides).length > 0 ? { overrides: { stack: Object.keys(overrides) } } : {}),
  };
  const all = elements(stack);
  for (const meta of all.map(e => resolveValue(stack, e.toMetadata(), false))) {
    deepMerge(metadata, meta);
  }
  const outputs: any = {};
  for (const item of all) {
    if (!TerraformOutput.isTerraformOutput(item)) { continue; }
    deepMerge(outputs, item.node.path.split('/').reduceRight((inner: any, part: string) =>
      (Object.keys(inner).length === 0 ? { [part]: item.friendlyUniqueId } : { [part]: inner }), {}));
  }
  tf['//'] = { metadata, outputs };
  for (const fragment of all.map(e => resolveValue(stack, e.toTerraform(), false))) {
    deepMerge(tf, fragment);
  }
  deepMerge(tf, overrides);
  return resolveValue(stack, tf, false);
}

/** The stack-level overrides cdktf records (`addOverride`), or undefined if cdktf no longer keeps them so. */
function overridesOf(stack: TerraformStack): object | undefined {
  const overrides = (stack as any).rawOverrides;
  return typeof overrides === 'object' && overrides !== null ? overrides : undefined;
}

/**
 * Prepares and synthesizes `stacks` as `App.synth()` does (every stack
 * prepared, then each synthesized by its own synthesizer into `session`),
 * resolving the stacks that use cdktf's own `prepareStack()` and
 * `toTerraform()` the faster way. cdktf's synthesizer still does the rest
 * (aspects, validations, annotations, custom synthesis, the manifest and the
 * stable JSON it writes); only the stack's JSON it asks for comes from
 * {@link stackToTerraform}, given as the stack's own `toTerraform` for the
 * duration of the call. A stack whose class overrides either method, or a
 * cdktf that records overrides elsewhere, goes through cdktf unchanged.
 *
 * These steps follow cdktf 0.21; test/core/stack-synthesis.test.ts compares
 * the result with cdktf's and must be rerun on a cdktf upgrade.
 * @internal
 */
export function synthesizeStacks(stacks: readonly TerraformStack[], session: any): void {
  const proto = TerraformStack.prototype;
  const fast = (stack: TerraformStack) => stack.prepareStack === proto.prepareStack
    && stack.toTerraform === proto.toTerraform && overridesOf(stack) !== undefined;
  stacks.forEach(stack => (fast(stack) ? prepareStack(stack) : stack.prepareStack()));
  for (const stack of stacks) {
    if (!fast(stack)) {
      stack.synthesizer.synthesize(session);
      continue;
    }
    Object.defineProperty(stack, 'toTerraform', { configurable: true, value: () => stackToTerraform(stack, overridesOf(stack)) });
    try {
      stack.synthesizer.synthesize(session);
    } finally {
      delete (stack as any).toTerraform;
    }
  }
}

/**
 * The Terraform JSON of `stack` as {@link synthesizeStacks} writes it, the
 * stack prepared first: for the test comparing it with cdktf's.
 * @internal
 */
export function _fastTerraform(stack: TerraformStack, prepare: boolean): any {
  if (prepare) { prepareStack(stack); }
  return stackToTerraform(stack, overridesOf(stack));
}
