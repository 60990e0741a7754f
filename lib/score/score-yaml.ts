import type { Document, Pair, YAMLMap } from 'yaml';
import { SCORE_LIMITS, SECTION_LIMITS } from './score-limits';
import { show } from '../core/errors';
import { lazyModule } from '../core/lazy-module';

// yaml (~70 modules) loads when the first YAML is written or read, not at require('paved').
const YAML = lazyModule<typeof import('yaml')>('yaml');

/**
 * One YAML document of a Score file, read within {@link SCORE_LIMITS}: its
 * value as plain data, and the line of any path in it.
 * @internal
 */
export interface ScoreYaml {
  readonly root: unknown;
  /** 1-based line of the key (or item) at `at`, or of the deepest part of `at` that exists. */
  readonly lineOf: (at: (string | number)[]) => number | undefined;
}

/**
 * A problem found while reading YAML, before any Score rule applies.
 * @internal
 */
export interface YamlProblem {
  readonly line?: number;
  /** Path in the document, e.g. `containers.web.variables`, when known. */
  readonly at: (string | number)[];
  readonly message: string;
}

/**
 * What one kind of YAML input is, for {@link parseScoreYaml}: its name in
 * messages, the sections with limits of their own, and the texts that only
 * the file's size bounds.
 * @internal
 */
export interface YamlInput {
  /** What the file holds, e.g. `Score workload`. */
  readonly document: string;
  readonly sections: typeof SECTION_LIMITS;
  /** Whether the text at `at` may be longer than `SCORE_LIMITS.stringLength`. */
  readonly longText: (at: (string | number)[]) => boolean;
}

/** A Score file. @internal */
export const SCORE_INPUT: YamlInput = { document: 'Score workload', sections: SECTION_LIMITS, longText: at => isFileContent(at) };

/** The tags of YAML 1.2's core schema: the only ones a Score file needs. */
const CORE_TAGS = new Set(['str', 'int', 'float', 'bool', 'null', 'map', 'seq'].map(t => `tag:yaml.org,2002:${t}`));
/** A key JavaScript objects treat specially; no Score field has it. */
const RESERVED_KEYS = new Set(['__proto__']);
/** Beyond this estimate of the nesting the YAML parser is not even started (see {@link nestingBeyond}). */
const PARSER_GUARD = 4 * SCORE_LIMITS.depth;

/**
 * Parses the one YAML document of a Score file within {@link SCORE_LIMITS},
 * in time linear in the text: nesting (estimated before the parser runs,
 * whose cost grows faster than the nesting), documents, aliases, YAML tags,
 * duplicate keys (checked with one set per mapping, not pairwise), key and
 * text lengths, entries per mapping or list and per Score section. Every
 * problem is appended to `problems`; the result is undefined when the
 * document cannot be used.
 * @internal
 */
export function parseScoreYaml(text: string, problems: YamlProblem[], input: YamlInput = SCORE_INPUT): ScoreYaml | undefined {
  const lineCounter = new YAML.LineCounter();
  const lineAtOffset = (offset: number) => lineCounter.linePos(offset).line;
  const deep = nestingBeyond(text, PARSER_GUARD);
  if (deep !== undefined) {
    problems.push({ line: lineOfOffset(text, deep), at: [], message: depthMessage() });
    return undefined;
  }
  let document: Document.Parsed | undefined;
  try {
    // Duplicate keys are checked by the walk below: yaml's own check compares each key with every other.
    const composer = new YAML.Composer({ uniqueKeys: false, prettyErrors: false });
    for (const doc of composer.compose(new YAML.Parser(lineCounter.addNewLine).parse(text))) {
      if (document) {
        problems.push({
          line: doc.range ? lineAtOffset(doc.range[0]) : undefined,
          at: [],
          message: `got a second YAML document; expected exactly one ${input.document} per file`,
        });
        return undefined;
      }
      document = doc;
    }
  } catch (e) {
    // The parser's recursion on input the nesting estimate let through: never a stack trace.
    problems.push({ at: [], message: `got text the YAML parser gave up on (${errorName(e)}); expected a ${input.document} in plain YAML` });
    return undefined;
  }
  if (!document) {
    problems.push({ at: [], message: `got no YAML document; expected one ${input.document}` });
    return undefined;
  }
  if (document.errors.length > 0) {
    const shown = document.errors.slice(0, 5);
    for (const error of shown) {
      const message = error.message.split('\n')[0];
      problems.push({
        line: lineAtOffset(error.pos[0]),
        at: [],
        message: `is not valid YAML: ${show(message.length > 200 ? `${message.slice(0, 200)}…` : message).slice(1, -1)}`,
      });
    }
    if (document.errors.length > shown.length) {
      problems.push({ at: [], message: `is not valid YAML: and ${document.errors.length - shown.length} more YAML error(s)` });
    }
    return undefined;
  }

  const index = new KeyIndex(lineAtOffset);
  const before = problems.length;
  walk(document.contents, index, problems, input);
  if (problems.length > before) { return undefined; }
  let root: unknown;
  try {
    root = document.toJS({ maxAliasCount: SCORE_LIMITS.aliases });
  } catch (e) {
    problems.push({ at: [], message: `got YAML aliases that expand beyond ${SCORE_LIMITS.aliases} nodes (${errorName(e)}); expected at most that many` });
    return undefined;
  }
  const lineOf = (at: (string | number)[]) => index.lineOf(document.contents, at);
  for (const limit of input.sections) {
    for (const [at, size] of sectionSizes(root, limit.at)) {
      if (size > limit.max) {
        problems.push({ line: lineOf(at), at, message: `got ${size} ${limit.what}; expected at most ${limit.max}` });
      }
    }
  }
  return problems.length > before ? undefined : { root, lineOf };
}

/**
 * Checks every node once (an explicit stack, so depth costs no recursion):
 * nesting depth, aliases, tags, keys (plain text, not reserved, not too
 * long, each once per mapping), entries per collection and text lengths.
 * Stops after {@link SCORE_LIMITS.problems} problems.
 */
function walk(contents: unknown, index: KeyIndex, problems: YamlProblem[], input: YamlInput): void {
  const limit = problems.length + SCORE_LIMITS.problems;
  /** Each node with its path and the node whose line names it: its key in a mapping, else itself. */
  const stack: { node: unknown; at: (string | number)[]; named: unknown }[] = [{ node: contents, at: [], named: contents }];
  let aliases = 0;
  const add = (node: unknown, at: (string | number)[], message: string) => {
    problems.push({ line: index.lineOfNode(node), at, message });
  };
  while (stack.length > 0 && problems.length < limit) {
    const { node, at, named } = stack.pop()!;
    if (node === null || node === undefined) { continue; }
    const tag = (node as { tag?: string }).tag;
    if (tag !== undefined && !CORE_TAGS.has(tag)) {
      add(node, at, `got the YAML tag ${show(tag)}; expected plain text, numbers, booleans, null, mappings and lists (no tags)`);
      continue;
    }
    if (YAML.isAlias(node)) {
      aliases += 1;
      if (aliases > SCORE_LIMITS.aliases) {
        add(node, at, `got more than ${SCORE_LIMITS.aliases} YAML aliases; expected at most ${SCORE_LIMITS.aliases}`);
        return;
      }
      continue;
    }
    if (YAML.isScalar(node)) {
      if (typeof node.value === 'string' && node.value.length > SCORE_LIMITS.stringLength && !input.longText(at)) {
        add(node, at, `got a text of ${node.value.length} characters; expected at most ${SCORE_LIMITS.stringLength} `
          + '(only a file\'s content and binaryContent may be longer)');
      }
      continue;
    }
    if (!YAML.isMap(node) && !YAML.isSeq(node)) { continue; }
    if (at.length >= SCORE_LIMITS.depth) {
      add(named, at, depthMessage());
      continue;
    }
    if (node.items.length > SCORE_LIMITS.entries) {
      add(named, at, `got ${node.items.length} entries; expected at most ${SCORE_LIMITS.entries} in one mapping or list`);
      continue;
    }
    // Children are pushed last first, so they are visited (and counted) in document order.
    const children: { node: unknown; at: (string | number)[]; named: unknown }[] = [];
    if (YAML.isSeq(node)) {
      node.items.forEach((item, i) => children.push({ node: item, at: [...at, i], named: item }));
      stack.push(...children.reverse());
      continue;
    }
    const seen = new Map<string, unknown>();
    for (const pair of node.items) {
      if (problems.length >= limit) { return; }
      const key = pair.key;
      if (!YAML.isScalar(key) || (key.value !== null && typeof key.value === 'object')) {
        add(key ?? pair.value, at, 'got a mapping key that is not plain text; expected text keys');
        continue;
      }
      const name = String(key.value ?? '');
      const keyAt = [...at, name];
      if (key.tag !== undefined && !CORE_TAGS.has(key.tag)) {
        add(key, keyAt, `got the YAML tag ${show(key.tag)}; expected plain text keys (no tags)`);
      } else if (RESERVED_KEYS.has(name)) {
        add(key, keyAt, `got the key ${show(name)}; expected a key other than ${[...RESERVED_KEYS].join(', ')}`);
      } else if (name.length > SCORE_LIMITS.keyLength) {
        add(key, at, `got a key of ${name.length} characters; expected at most ${SCORE_LIMITS.keyLength}`);
      } else if (seen.has(name)) {
        add(key, keyAt, `got the key ${show(name)} again; expected each key once in a mapping (first at line ${index.lineOfNode(seen.get(name))})`);
      } else {
        seen.set(name, key);
        children.push({ node: pair.value, at: keyAt, named: key });
      }
    }
    stack.push(...children.reverse());
  }
}

/** Whether `at` is a file's `content` or `binaryContent`, which only the file size bounds. */
function isFileContent(at: (string | number)[]): boolean {
  const last = at[at.length - 1];
  return at.length === 5 && at[0] === 'containers' && at[2] === 'files' && (last === 'content' || last === 'binaryContent');
}

/** The sizes of the mappings or lists at `pattern` (`*` is any key) in plain data, with their paths. */
function sectionSizes(root: unknown, pattern: readonly string[]): [(string | number)[], number][] {
  let nodes: [(string | number)[], unknown][] = [[[], root]];
  for (const segment of pattern) {
    nodes = nodes.flatMap(([at, node]) => {
      if (node === null || typeof node !== 'object' || Array.isArray(node)) { return []; }
      const keys = segment === '*' ? Object.keys(node) : Object.prototype.hasOwnProperty.call(node, segment) ? [segment] : [];
      return keys.map((k): [(string | number)[], unknown] => [[...at, k], (node as any)[k]]);
    });
  }
  return nodes.flatMap(([at, node]) => {
    if (Array.isArray(node)) { return [[at, node.length]]; }
    return node !== null && typeof node === 'object' ? [[at, Object.keys(node).length]] : [];
  });
}

/**
 * Finds keys and lines in the parsed document without scanning a mapping
 * per lookup: each mapping's keys are indexed once, when first asked.
 */
class KeyIndex {
  private readonly maps = new WeakMap<object, Map<string, Pair>>();

  constructor(private readonly lineAtOffset: (offset: number) => number) {}

  public lineOfNode(node: unknown): number | undefined {
    const range = (node as { range?: [number, number, number] } | null)?.range;
    return range ? this.lineAtOffset(range[0]) : undefined;
  }

  public lineOf(contents: unknown, at: (string | number)[]): number | undefined {
    let node: unknown = contents;
    let found: unknown = node;
    for (const segment of at) {
      if (YAML.isMap(node)) {
        const pair = this.pairsOf(node).get(String(segment));
        if (!pair) { break; }
        node = pair.value;
        // The key's line: where the entry starts, also for a mapping or list value.
        found = pair.key ?? pair.value;
      } else if (YAML.isSeq(node) && typeof segment === 'number') {
        node = node.items[segment];
        if (node === undefined) { break; }
        found = node;
      } else {
        break;
      }
    }
    return this.lineOfNode(found);
  }

  private pairsOf(map: YAMLMap): Map<string, Pair> {
    let pairs = this.maps.get(map);
    if (!pairs) {
      pairs = new Map();
      for (const pair of map.items as Pair[]) {
        const key = YAML.isScalar(pair.key) ? String(pair.key.value ?? '') : undefined;
        if (key !== undefined && !pairs.has(key)) { pairs.set(key, pair); }
      }
      this.maps.set(map, pairs);
    }
    return pairs;
  }
}

/**
 * The offset where a cheap over-estimate of the text's nesting first goes
 * beyond `limit`, or undefined. The YAML lexer and parser take time that
 * grows faster than the nesting (a megabyte of `[` takes seconds) or
 * overflow the stack (`- - - ...`), so deep input never reaches them.
 *
 * The estimate adds the flow depth (`[` and `{` opened outside quotes and
 * comments and not closed yet) to the block depth (two levels per distinct
 * indentation still open, a mapping and a list can share one, plus the
 * `- `, `? ` and `key: ` indicators that start a line). Block scalars
 * (`|`, `>`) are skipped. A document the estimate lets through is checked
 * exactly afterwards.
 */
export function nestingBeyond(text: string, limit: number): number | undefined {
  const indents: number[] = [];
  let flow = 0;
  let i = 0;
  /** Indentation of the line that started a block scalar; its more indented lines are text. */
  let blockScalarParent = -1;
  while (i < text.length) {
    // At a line start.
    let end = text.indexOf('\n', i);
    if (end < 0) { end = text.length; }
    let indent = 0;
    while (i + indent < end && text[i + indent] === ' ') { indent += 1; }
    const blank = i + indent >= end || text[i + indent] === '#' || text[i + indent] === '\r';
    if (blockScalarParent >= 0 && (blank || indent > blockScalarParent)) {
      i = end + 1;
      continue;
    }
    blockScalarParent = -1;
    if (blank) {
      i = end + 1;
      continue;
    }
    // Counted inside flow collections too: a "[" the estimate took for one may be text.
    while (indents.length > 0 && indents[indents.length - 1] > indent) { indents.pop(); }
    if (indents.length === 0 || indents[indents.length - 1] < indent) { indents.push(indent); }
    let depth = 2 * indents.length;
    let atToken = true;
    for (let j = i + indent; j < end; j++) {
      const c = text[j];
      if (c === '#' && (j === i || text[j - 1] === ' ' || text[j - 1] === '\t')) { break; }
      const close = atToken && (c === '"' || c === '\'') ? closingQuote(text, j, c) : -1;
      if (close >= 0) {
        // A quoted scalar may span lines: go on after it.
        if (close >= end) {
          end = text.indexOf('\n', close);
          if (end < 0) { end = text.length; }
        }
        j = close;
        atToken = false;
        continue;
      }
      if ((c === '[' || c === '{') && (atToken || flow > 0)) {
        flow += 1;
      } else if ((c === ']' || c === '}') && flow > 0) {
        flow -= 1;
      } else if (flow === 0 && atToken && (c === '-' || c === '?' || c === ':') && (j + 1 >= end || text[j + 1] === ' ')) {
        depth += 1;
      } else if (flow === 0 && atToken && (c === '|' || c === '>') && isBlockScalarHeader(text, j)) {
        blockScalarParent = indent;
        break;
      }
      if (depth + flow > limit) { return j; }
      atToken = c === ' ' || c === '\t' || c === '[' || c === '{' || c === ',' || ((c === '-' || c === '?' || c === ':') && atToken);
    }
    i = end + 1;
  }
  return undefined;
}

const BLOCK_SCALAR_HEADER = /[|>][-+0-9]*[ \t]*(?:#[^\n]*)?(?=\r?\n|$)/y;

/** Whether the `|` or `>` at `offset` starts a block scalar: only indicators and a comment follow on its line. */
function isBlockScalarHeader(text: string, offset: number): boolean {
  BLOCK_SCALAR_HEADER.lastIndex = offset;
  return BLOCK_SCALAR_HEADER.test(text);
}

/**
 * Offset of the quote that closes the quoted scalar opened at `start`, or
 * -1 when there is none before a document marker (then the quote is read
 * as text, which can only raise the estimate).
 */
function closingQuote(text: string, start: number, quote: string): number {
  for (let k = start + 1; k < text.length; k++) {
    if (text[k] === '\n' && (text.startsWith('---', k + 1) || text.startsWith('...', k + 1))) {
      return -1;
    } else if (quote === '"' && text[k] === '\\') {
      k += 1;
    } else if (text[k] === quote) {
      if (quote === '\'' && text[k + 1] === '\'') {
        k += 1;
      } else {
        return k;
      }
    }
  }
  return -1;
}

function lineOfOffset(text: string, offset: number): number {
  let line = 1;
  for (let i = text.indexOf('\n'); i >= 0 && i < offset; i = text.indexOf('\n', i + 1)) { line += 1; }
  return line;
}

function depthMessage(): string {
  return `got mappings and lists nested deeper than ${SCORE_LIMITS.depth} levels; expected at most ${SCORE_LIMITS.depth}`;
}

function errorName(e: unknown): string {
  return e instanceof Error ? `${e.name}: ${e.message.split('\n')[0].slice(0, 100)}` : 'unknown error';
}
