/**
 * Finds references in a synthesized Terraform JSON stack that point at
 * nothing: every `${…}` (and `%{…}`) expression, every `depends_on` entry and
 * every `provider` meta-argument must resolve to something the stack declares.
 */

/** Roots Terraform provides itself: `count.index`, `each.value`, `self.id`, `path.module`, `terraform.workspace`. */
const BUILT_IN_ROOTS = new Set(['count', 'each', 'self', 'path', 'terraform']);
/** Keywords of expressions and template directives. */
const KEYWORDS = new Set(['true', 'false', 'null', 'for', 'in', 'if', 'else', 'endif', 'endfor']);
/** Blocks whose `provider` meta-argument names a provider configuration. */
const PROVIDER_USERS = ['resource', 'data', 'ephemeral'];

const IDENT = /[A-Za-z_][A-Za-z0-9_-]*/y;

/**
 * Every reference in `stack` (the parsed `cdk.tf.json`) that does not
 * resolve, one line each: where it is, the expression, and what is missing.
 */
export function findDanglingReferences(stack: any): string[] {
  const declared = new Declarations(stack);
  const problems: string[] = [];
  walk(stack, [], (value, at) => {
    let expressions: string[];
    try {
      expressions = interpolations(value);
    } catch (e: any) {
      problems.push(`${at}: ${JSON.stringify(value)}: ${e.message}`);
      return;
    }
    // A template's nested templates see the names its `for` binds.
    const bound = boundNames(expressions);
    for (const expression of expressions) {
      for (const missing of unresolved(expression, declared, bound)) {
        problems.push(`${at}: \${${expression}} references ${missing}`);
      }
    }
  });
  problems.push(...checkMetaArguments(stack, declared));
  return problems;
}

/** Fails the current test, listing every dangling reference, unless there are none. */
export function expectNoDanglingReferences(stack: any): void {
  const problems = findDanglingReferences(stack);
  if (problems.length > 0) {
    throw new Error(`${problems.length} dangling Terraform reference(s):\n  ${problems.join('\n  ')}`);
  }
}

/** What the stack declares, by kind. */
class Declarations {
  public readonly variables: Set<string>;
  public readonly locals: Set<string>;
  public readonly modules: Set<string>;
  /** `aws_vpc.main`, for resources; `data.aws_ami.x` and `ephemeral.x.y` for the others. */
  public readonly addresses = new Set<string>();
  /** `aws`, `aws.west`. */
  public readonly providers = new Set<string>();
  /** Iterator names of `dynamic` blocks (the block type unless `iterator` is set). */
  public readonly iterators = new Set<string>();

  constructor(stack: any) {
    this.variables = new Set(Object.keys(stack.variable ?? {}));
    // Terraform JSON allows `locals` as an object or a list of objects.
    this.locals = new Set([stack.locals ?? []].flat().flatMap((block: any) => Object.keys(block ?? {})));
    this.modules = new Set(Object.keys(stack.module ?? {}));
    for (const [mode, prefix] of [['resource', ''], ['data', 'data.'], ['ephemeral', 'ephemeral.']]) {
      for (const [type, byName] of Object.entries<any>(stack[mode] ?? {})) {
        for (const name of Object.keys(byName ?? {})) { this.addresses.add(`${prefix}${type}.${name}`); }
      }
    }
    for (const [type, configs] of Object.entries<any>(stack.provider ?? {})) {
      for (const config of [configs].flat()) {
        this.providers.add(config?.alias ? `${type}.${config.alias}` : type);
      }
    }
    walkObjects(stack, object => {
      for (const [blockType, block] of Object.entries<any>(object.dynamic ?? {})) {
        for (const body of [block].flat()) { this.iterators.add(body?.iterator ?? blockType); }
      }
    });
  }
}

/** Calls `visit` for every string in `value` (keys and values), skipping cdktf's `//` metadata. */
function walk(value: any, path: string[], visit: (text: string, at: string) => void): void {
  if (typeof value === 'string') {
    visit(value, path.join('.') || '(root)');
  } else if (Array.isArray(value)) {
    value.forEach((item, i) => walk(item, [...path, `[${i}]`], visit));
  } else if (value && typeof value === 'object') {
    for (const [key, item] of Object.entries(value)) {
      if (key === '//') { continue; }
      visit(key, [...path, key].join('.'));
      walk(item, [...path, key], visit);
    }
  }
}

function walkObjects(value: any, visit: (object: any) => void): void {
  if (Array.isArray(value)) {
    value.forEach(item => walkObjects(item, visit));
  } else if (value && typeof value === 'object') {
    visit(value);
    for (const [key, item] of Object.entries(value)) {
      if (key !== '//') { walkObjects(item, visit); }
    }
  }
}

/**
 * The expressions of the template `text`, nested ones included, with string
 * literals blanked out: `a-${x}-${f("${y}")}` -> `x`, `f("")`, `y`.
 */
export function interpolations(text: string): string[] {
  const found: string[] = [];
  let i = 0;
  while (i < text.length) {
    if ((text.startsWith('$${', i) || text.startsWith('%%{', i))) {
      i += 3;
    } else if (text.startsWith('${', i) || text.startsWith('%{', i)) {
      i = readExpression(text, i + 2, found);
    } else {
      i++;
    }
  }
  return found;
}

/** Reads one expression from `start` up to its closing `}`; returns the index after it. */
function readExpression(text: string, start: number, found: string[]): number {
  let depth = 0;
  let expression = '';
  let i = start;
  // Keep the outer expression ahead of the templates nested in it.
  const slot = found.push('') - 1;
  while (i < text.length) {
    const c = text[i];
    if (c === '"') {
      i = readStringLiteral(text, i + 1, found);
      expression += '""';
      continue;
    }
    if (c === '{') { depth++; }
    if (c === '}') {
      if (depth === 0) {
        found[slot] = expression.trim().replace(/^~|~$/g, '').trim();
        return i + 1;
      }
      depth--;
    }
    expression += c;
    i++;
  }
  throw new Error(`unterminated interpolation starting "${text.slice(start - 2, start + 40)}"`);
}

/** Reads a quoted string literal from `start` (after its `"`), collecting nested templates; returns the index after it. */
function readStringLiteral(text: string, start: number, found: string[]): number {
  let i = start;
  while (i < text.length) {
    if (text[i] === '\\') {
      i += 2;
    } else if (text[i] === '"') {
      return i + 1;
    } else if (text.startsWith('$${', i) || text.startsWith('%%{', i)) {
      i += 3;
    } else if (text.startsWith('${', i) || text.startsWith('%{', i)) {
      i = readExpression(text, i + 2, found);
    } else {
      i++;
    }
  }
  throw new Error('unterminated string literal in an interpolation');
}

/** Names bound by `for` expressions and directives: `[for k, v in m : v]`, `%{ for x in xs }`. */
function boundNames(expressions: string[]): Set<string> {
  const bound = new Set<string>();
  for (const expression of expressions) {
    for (const match of expression.matchAll(/\bfor\s+([A-Za-z_][A-Za-z0-9_-]*)(?:\s*,\s*([A-Za-z_][A-Za-z0-9_-]*))?\s+in\b/g)) {
      bound.add(match[1]);
      if (match[2]) { bound.add(match[2]); }
    }
  }
  return bound;
}

/** The references in `expression` (string literals already blanked) that `declared` does not have. */
function unresolved(expression: string, declared: Declarations, bound: Set<string>): string[] {
  // IAM policy variables (`${aws:username}`) collide with Terraform's syntax.
  const policyVariable = /^([A-Za-z][A-Za-z0-9-]*):[A-Za-z][A-Za-z0-9/_.-]*$/.exec(expression);
  if (policyVariable) {
    return [`${policyVariable[1]}, which is not a declared name (an IAM policy variable must be escaped as $\${...})`];
  }
  const missing: string[] = [];
  let braces = 0;
  let i = 0;
  while (i < expression.length) {
    IDENT.lastIndex = i;
    const startsIdent = /[A-Za-z_]/.test(expression[i]) && !/[A-Za-z0-9_.]/.test(previousNonSpace(expression, i));
    const match = startsIdent ? IDENT.exec(expression) : null;
    if (!match) {
      if (expression[i] === '{') { braces++; }
      if (expression[i] === '}') { braces--; }
      // Skip whole numbers (1e3, 0.5) and attribute names after `]` or `)`.
      const rest = /^[A-Za-z0-9_-]+|^./.exec(expression.slice(i))!;
      i += rest[0].length;
      continue;
    }
    const segments = [match[0]];
    let j = i + match[0].length;
    for (;;) {
      const attribute = /^\s*\.\s*([A-Za-z_][A-Za-z0-9_-]*|\d+)/.exec(expression.slice(j));
      if (!attribute) { break; }
      segments.push(attribute[1]);
      j += attribute[0].length;
    }
    const next = expression.slice(j).trimStart();
    const problem = checkTraversal(segments, next, braces > 0, bound, declared);
    if (problem && !missing.includes(problem)) { missing.push(problem); }
    i = j;
  }
  return missing;
}

function previousNonSpace(text: string, index: number): string {
  for (let k = index - 1; k >= 0; k--) {
    if (!/\s/.test(text[k])) { return text[k]; }
  }
  return '';
}

/** Why the traversal `segments` does not resolve, or undefined when it does (or is no reference). */
function checkTraversal(segments: string[], next: string, inObject: boolean, bound: Set<string>, declared: Declarations): string | undefined {
  const [root, first, second] = segments;
  // Function calls, including provider functions (`provider::aws::arn_parse(...)`).
  if (segments.length === 1 && (next.startsWith('(') || next.startsWith('::'))) { return undefined; }
  if (KEYWORDS.has(root) || BUILT_IN_ROOTS.has(root) || bound.has(root) || declared.iterators.has(root)) { return undefined; }
  switch (root) {
    case 'var':
      return first !== undefined && declared.variables.has(first) ? undefined : `var.${first}, which is not a declared variable`;
    case 'local':
      return first !== undefined && declared.locals.has(first) ? undefined : `local.${first}, which is not a declared local`;
    case 'module':
      return first !== undefined && declared.modules.has(first) ? undefined : `module.${first}, which is not a declared module`;
    case 'data':
    case 'ephemeral': {
      const address = `${root}.${first}.${second}`;
      return declared.addresses.has(address) ? undefined : `${address}, which is not declared`;
    }
  }
  if (segments.length === 1) {
    // A bare name before `=` or `:` in braces is an object key (`{ Name = "x" }`).
    if (inObject && /^(=(?!=)|:)/.test(next)) { return undefined; }
    return `${root}, which is not a declared name`;
  }
  const address = `${root}.${first}`;
  return declared.addresses.has(address) ? undefined : `${address}, which is not a declared resource`;
}

/** `depends_on` entries and `provider` meta-arguments must name declared objects. */
function checkMetaArguments(stack: any, declared: Declarations): string[] {
  const problems: string[] = [];
  for (const mode of ['resource', 'data', 'ephemeral', 'module', 'output']) {
    const blocks: [string, any][] = mode === 'module' || mode === 'output'
      ? Object.entries<any>(stack[mode] ?? {}).map(([name, body]) => [`${mode}.${name}`, body])
      : Object.entries<any>(stack[mode] ?? {}).flatMap(([type, byName]) =>
        Object.entries<any>(byName ?? {}).map(([name, body]) => [`${mode}.${type}.${name}`, body] as [string, any]));
    for (const [at, body] of blocks) {
      for (const [i, entry] of (body?.depends_on ?? []).entries()) {
        const reference = String(entry).replace(/^\$\{(.*)\}$/, '$1');
        for (const missing of unresolved(reference, declared, new Set())) {
          problems.push(`${at}.depends_on[${i}]: ${entry} references ${missing}`);
        }
      }
      if (PROVIDER_USERS.includes(mode) && body?.provider !== undefined) {
        const provider = String(body.provider).replace(/^\$\{(.*)\}$/, '$1');
        if (!declared.providers.has(provider)) {
          problems.push(`${at}.provider: ${body.provider} is not a declared provider configuration (${[...declared.providers].join(', ') || 'none'})`);
        }
      }
    }
  }
  return problems;
}
