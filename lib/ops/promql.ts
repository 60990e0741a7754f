import { IConstruct } from 'constructs';
import { invalid } from '../core/errors';

/*
 * PromQL checks at construction, with the Prometheus project's own grammar
 * (@prometheus-io/lezer-promql, the parser behind the Prometheus UI's
 * editor). Its package is an ES module whose CommonJS build
 * (`dist/index.cjs`) the `require` condition of its export map selects; the
 * types are declared here because TypeScript's node16 resolution treats the
 * package's own declarations as ES module types, which a CommonJS file may
 * not import.
 */

/** The parts of a lezer syntax node paved reads. */
interface SyntaxNode {
  readonly name: string;
  readonly from: number;
  readonly to: number;
  readonly type: { readonly isError: boolean };
  readonly firstChild: SyntaxNode | null;
  readonly nextSibling: SyntaxNode | null;
  readonly parent: SyntaxNode | null;
}

interface TreeCursor {
  readonly type: { readonly isError: boolean };
  readonly from: number;
}

interface Tree {
  readonly topNode: SyntaxNode;
  iterate(spec: { enter(node: TreeCursor): boolean | void }): void;
}

interface Parser {
  parse(input: string): Tree;
}

let cachedParser: Parser | undefined;

function parser(): Parser {
  // Loaded on first use: most synths of a platform without monitoring never need it.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  cachedParser ??= (require('@prometheus-io/lezer-promql') as { parser: Parser }).parser;
  return cachedParser;
}

/** A label matcher of a vector selector, its value unquoted. */
export interface Matcher {
  readonly label: string;
  readonly op: '=' | '!=' | '=~' | '!~';
  readonly value: string;
}

/** One vector selector of an expression. */
export interface Selector {
  /** Metric name, or undefined when the selector has none (`{__name__=~"..."}`). */
  readonly metric?: string;
  readonly matchers: Matcher[];
  /** Text of the selector in the expression. */
  readonly text: string;
}

/** The vector selectors of an expression, or what is wrong with it. */
export interface PromQlAnalysis {
  readonly error?: string;
  readonly selectors: Selector[];
}

/**
 * Functions whose argument is a range vector (`x[5m]` or a subquery). The
 * grammar accepts an instant vector there; Prometheus refuses it at load.
 */
const RANGE_FUNCTIONS = new Set([
  'rate', 'irate', 'increase', 'delta', 'idelta', 'deriv', 'changes', 'resets', 'predict_linear',
  'holt_winters', 'double_exponential_smoothing', 'absent_over_time', 'present_over_time',
  'avg_over_time', 'min_over_time', 'max_over_time', 'sum_over_time', 'count_over_time',
  'quantile_over_time', 'stddev_over_time', 'stdvar_over_time', 'last_over_time', 'mad_over_time',
]);
/** Nodes that hold a range vector, possibly behind an offset or `@` modifier. */
const RANGE_NODES = new Set(['MatrixSelector', 'SubqueryExpr']);
const MODIFIER_NODES = new Set(['OffsetExpr', 'StepInvariantExpr']);

/*
 * A platform's expressions repeat with other names in their strings: each
 * workload's alerts and panels are the same expressions with its own
 * `namespace="..."` and `pod=~"..."`. Expressions that differ only in the
 * letters and digits inside string literals have the same syntax tree (the
 * tokenizer ends a string only at a quote, a backslash escape or a line
 * break, which stay where they are), so a tree parsed without errors serves
 * every expression of its shape; selectors and problems are read from each
 * expression's own text at the tree's positions. Trees with errors are not
 * kept: their positions are reported from a parse of the expression itself.
 */
const PARSED_SHAPES = new Map<string, Tree>();
/** Distinct shapes kept at most (a few dozen per workload kind and name length in practice); the cache starts over beyond. */
const MAX_PARSED_SHAPES = 5000;
const ALPHANUMERIC = /[A-Za-z0-9]/;

/**
 * Forgets the parsed shapes: for tests that compare analyses with fresh parses.
 * @internal
 */
export function _forgetParsedShapes(): void {
  PARSED_SHAPES.clear();
}

/**
 * `expr` with every letter and digit inside a string literal replaced by `x`,
 * found as the grammar's tokenizer finds strings (`"..."` and `'...'` with
 * backslash escapes, ending at the closing quote or before a line break;
 * `` `...` `` up to the next backtick; `#` comments outside strings).
 */
function shapeOf(expr: string): string {
  let out = '';
  let i = 0;
  const n = expr.length;
  while (i < n) {
    const c = expr[i];
    if (c === '#') {
      const end = expr.indexOf('\n', i);
      const stop = end === -1 ? n : end;
      out += expr.slice(i, stop);
      i = stop;
    } else if (c === '"' || c === "'") {
      out += c;
      i++;
      while (i < n && expr[i] !== c && expr[i] !== '\n') {
        if (expr[i] === '\\' && i + 1 < n) {
          out += '\\' + (ALPHANUMERIC.test(expr[i + 1]) ? 'x' : expr[i + 1]);
          i += 2;
        } else {
          out += ALPHANUMERIC.test(expr[i]) ? 'x' : expr[i];
          i++;
        }
      }
      if (expr[i] === c) {
        out += c;
        i++;
      }
    } else if (c === '`' && expr.indexOf('`', i + 1) !== -1) {
      const end = expr.indexOf('`', i + 1);
      out += '`' + expr.slice(i + 1, end).replace(/[A-Za-z0-9]/g, 'x') + '`';
      i = end + 1;
    } else {
      out += c;
      i++;
    }
  }
  return out;
}

/** Parses `expr`: its selectors, or the first syntax error with its position. */
export function analyzePromQl(expr: string): PromQlAnalysis {
  if (typeof expr !== 'string' || expr.trim() === '') {
    return { error: 'the expression is empty', selectors: [] };
  }
  const shape = shapeOf(expr);
  let tree = PARSED_SHAPES.get(shape);
  let errorAt: number | undefined;
  if (!tree) {
    tree = parser().parse(expr);
    tree.iterate({
      enter: node => {
        if (errorAt === undefined && node.type.isError) { errorAt = node.from; }
        return errorAt === undefined;
      },
    });
    if (errorAt === undefined) {
      if (PARSED_SHAPES.size >= MAX_PARSED_SHAPES) { PARSED_SHAPES.clear(); }
      PARSED_SHAPES.set(shape, tree);
    }
  }
  if (errorAt !== undefined) {
    const near = expr.slice(Math.max(0, errorAt - 10), errorAt + 10).replace(/\s+/g, ' ');
    return { error: `syntax error at character ${errorAt + 1}, near ${JSON.stringify(near)}`, selectors: [] };
  }
  const selectors: Selector[] = [];
  const problems: string[] = [];
  walk(tree.topNode, node => {
    if (node.name === 'VectorSelector') {
      selectors.push(readSelector(expr, node));
    } else if (node.name === 'FunctionCall') {
      const problem = rangeArgumentProblem(expr, node);
      if (problem) { problems.push(problem); }
    }
  });
  if (problems.length > 0) { return { error: problems[0], selectors }; }
  return { selectors };
}

/**
 * Fails unless `expr` parses as PromQL; returns its selectors.
 * @param property e.g. `alerts[OrdersDown].expr`, naming the rule
 */
export function validatePromQl(scope: IConstruct | string, property: string, expr: string): Selector[] {
  const analysis = analyzePromQl(expr);
  if (analysis.error !== undefined) {
    throw invalid(scope, property, expr, `a valid PromQL expression (${analysis.error})`);
  }
  return analysis.selectors;
}

/** Whether matcher `m` selects series whose label has `value`. */
export function matcherSelects(m: Matcher, value: string): boolean {
  switch (m.op) {
    case '=': return m.value === value;
    case '!=': return m.value !== value;
    case '=~': return fullMatch(m.value, value) ?? true;
    case '!~': return !(fullMatch(m.value, value) ?? false);
  }
}

/**
 * `selector` with `extra` matchers added, e.g. `x{a="1"}` + `b=~"5.."` ->
 * `x{a="1",b=~"5.."}`. `selector` must be exactly one vector selector.
 */
export function addMatchers(selector: string, extra: string): string {
  const tree = parser().parse(selector);
  const top = tree.topNode.firstChild;
  const body = selector.trimEnd();
  if (!top || top.name !== 'VectorSelector') {
    throw new Error(`not a vector selector: ${selector}`);
  }
  let matchers: SyntaxNode | null = null;
  for (let child = top.firstChild; child; child = child.nextSibling) {
    if (child.name === 'LabelMatchers') { matchers = child; }
  }
  if (!matchers) { return `${body}{${extra}}`; }
  const inner = selector.slice(matchers.from + 1, matchers.to - 1).trim().replace(/,\s*$/, '');
  return `${selector.slice(0, matchers.from)}{${inner === '' ? extra : `${inner},${extra}`}}${selector.slice(matchers.to)}`;
}

/** Whether `text` is exactly one vector selector (`metric{...}`), nothing around it. */
export function isVectorSelector(text: string): boolean {
  if (analyzePromQl(text).error !== undefined) { return false; }
  const top = parser().parse(text).topNode.firstChild;
  return top !== null && top.name === 'VectorSelector' && top.nextSibling === null;
}

/** A Prometheus duration for a whole number of seconds: `30s`, `5m`, `1h`, `30d`. */
export function promDuration(seconds: number): string {
  // Days rather than weeks: 28d and 7d are what people write for SLO periods.
  for (const [unit, size] of [['d', 86400], ['h', 3600], ['m', 60]] as const) {
    if (seconds > 0 && seconds % size === 0) { return `${seconds / size}${unit}`; }
  }
  return `${seconds}s`;
}

/** A number as PromQL and Go write it: no exponent for the values rules use, no trailing zeros. */
export function promNumber(value: number): string {
  if (Number.isInteger(value)) { return String(value); }
  return String(Number(value.toPrecision(12)));
}

/** A PromQL string literal. */
export function promString(value: string): string {
  return JSON.stringify(value);
}

/**
 * Replaces `{{name}}` placeholders with `values`. Fails naming the
 * placeholder when one is unknown.
 */
export function fillPlaceholders(scope: IConstruct | string, property: string, template: string,
  values: { [name: string]: string }): string {
  return template.replace(/\{\{\s*([A-Za-z0-9_./-]+)\s*\}\}/g, (whole, name: string) => {
    if (!(name in values)) {
      throw invalid(scope, property, template,
        `placeholders among ${Object.keys(values).map(k => `{{${k}}}`).join(', ')} (found ${whole})`);
    }
    return values[name];
  });
}

/** Whether `template` still holds a `{{...}}` placeholder. */
export function hasPlaceholder(template: string): boolean {
  return /\{\{[^}]*\}\}/.test(template);
}

function walk(node: SyntaxNode, visit: (node: SyntaxNode) => void): void {
  visit(node);
  for (let child = node.firstChild; child; child = child.nextSibling) { walk(child, visit); }
}

function readSelector(expr: string, node: SyntaxNode): Selector {
  let metric: string | undefined;
  const matchers: Matcher[] = [];
  for (let child = node.firstChild; child; child = child.nextSibling) {
    if (child.name === 'Identifier') { metric = expr.slice(child.from, child.to); }
    if (child.name === 'LabelMatchers') {
      for (let m = child.firstChild; m; m = m.nextSibling) {
        const matcher = readMatcher(expr, m);
        if (matcher) { matchers.push(matcher); }
      }
    }
  }
  const nameMatcher = matchers.find(m => m.label === '__name__' && m.op === '=');
  return { metric: metric ?? nameMatcher?.value, matchers, text: expr.slice(node.from, node.to) };
}

function readMatcher(expr: string, node: SyntaxNode): Matcher | undefined {
  if (node.name !== 'UnquotedLabelMatcher' && node.name !== 'QuotedLabelMatcher') { return undefined; }
  let label: string | undefined;
  let op: Matcher['op'] | undefined;
  let value: string | undefined;
  for (let part = node.firstChild; part; part = part.nextSibling) {
    const text = expr.slice(part.from, part.to);
    if (part.name === 'LabelName') { label = text; }
    if (part.name === 'QuotedLabelName') { label = unquote(text); }
    if (part.name === 'MatchOp') { op = text as Matcher['op']; }
    if (part.name === 'StringLiteral') { value = unquote(text); }
  }
  return label !== undefined && op !== undefined && value !== undefined ? { label, op, value } : undefined;
}

/** The problem with a range function called on an instant vector, if any. */
function rangeArgumentProblem(expr: string, call: SyntaxNode): string | undefined {
  let name: string | undefined;
  let body: SyntaxNode | null = null;
  for (let child = call.firstChild; child; child = child.nextSibling) {
    if (child.name === 'FunctionIdentifier') { name = expr.slice(child.from, child.to); }
    if (child.name === 'FunctionCallBody') { body = child; }
  }
  if (name === undefined || !RANGE_FUNCTIONS.has(name) || !body) { return undefined; }
  for (let arg = body.firstChild; arg; arg = arg.nextSibling) {
    if (isRange(arg)) { return undefined; }
  }
  return `${name}() needs a range vector argument such as x[5m], got ${JSON.stringify(expr.slice(call.from, call.to))}`;
}

function isRange(node: SyntaxNode): boolean {
  if (RANGE_NODES.has(node.name)) { return true; }
  if (MODIFIER_NODES.has(node.name) || node.name === 'ParenExpr') {
    return node.firstChild !== null && isRange(node.firstChild);
  }
  return false;
}

/** The value of a PromQL string literal: "..." and '...' with Go escapes, `...` raw. */
function unquote(literal: string): string {
  if (literal.startsWith('`')) { return literal.slice(1, -1); }
  const body = literal.slice(1, -1);
  return body.replace(/\\(x[0-9a-fA-F]{2}|u[0-9a-fA-F]{4}|U[0-9a-fA-F]{8}|[0-7]{3}|.)/g, (_, esc: string) => {
    switch (esc[0]) {
      case 'a': return '\x07';
      case 'b': return '\b';
      case 'f': return '\f';
      case 'n': return '\n';
      case 'r': return '\r';
      case 't': return '\t';
      case 'v': return '\v';
      case 'x': return String.fromCharCode(parseInt(esc.slice(1), 16));
      case 'u': case 'U': return String.fromCodePoint(parseInt(esc.slice(1), 16));
      default:
        return /^[0-7]{3}$/.test(esc) ? String.fromCharCode(parseInt(esc, 8)) : esc;
    }
  });
}

/** Whether RE2-style `pattern` matches all of `value`; undefined when JavaScript cannot compile it. */
function fullMatch(pattern: string, value: string): boolean | undefined {
  try {
    return new RegExp(`^(?:${pattern})$`, 's').test(value);
  } catch {
    return undefined;
  }
}
