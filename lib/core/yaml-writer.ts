import { lazyModule } from './lazy-module';

// yaml (~70 modules) loads when the first string needs it, not at require('paved').
const YAML = lazyModule<typeof import('yaml')>('yaml');

/** Options paved renders every manifest with: no line folding. */
const OPTIONS = { lineWidth: 0 };
/**
 * Strings `yaml` writes plain in any position: they start with a letter,
 * `_`, `/`, `$` or `(` (no indicator, digit, sign or dot, so no number and
 * no document marker) and hold no space, `#`, quote, bracket or control
 * character. A trailing `:` and the words YAML 1.2 reads as null or boolean
 * are excluded separately.
 */
const PLAIN = /^[A-Za-z_/$(][A-Za-z0-9_./:$()=?&+@%~,-]*$/;
const NOT_STRINGS = new Set(['null', 'Null', 'NULL', 'true', 'True', 'TRUE', 'false', 'False', 'FALSE']);
/** Longest implicit key `yaml` writes without `? ` (its limit is 1024). */
const MAX_KEY = 1000;

/** Thrown inside {@link toYaml} when a value needs the library's full writer. */
class NeedsLibrary extends Error {}
const NEEDS_LIBRARY = new NeedsLibrary();

/**
 * One YAML document for a manifest object, exactly as `yaml`'s
 * `stringify(value, { lineWidth: 0 })` writes it (block style, two-space
 * indent, sequences indented under their key, `---`-free).
 *
 * The `yaml` library builds a document model of every object before it
 * writes it; at thousands of manifests that is most of synthesis time.
 * This writes plain JSON data (objects, arrays, strings, safe integers,
 * booleans, null) directly. Strings that need quoting are quoted by the
 * library (one call per distinct string, remembered; a multi-line string
 * is then indented for its position), and anything else — a
 * float, an object reached twice, a key that needs quoting, a document that
 * is one multi-line string — makes the whole document go through the
 * library, so the output never differs from the library's.
 *
 * @internal
 */
export function toYaml(value: unknown): string {
  try {
    const lines: string[] = [];
    if (isEmptyContainer(value) || !isContainer(value)) {
      lines.push(scalar(value));
    } else {
      block(value, '', lines, new Set());
    }
    return lines.join('\n') + '\n';
  } catch (e) {
    if (e !== NEEDS_LIBRARY) { throw e; }
    return YAML.stringify(value, OPTIONS);
  }
}

/** Strings the library quoted, by string; forgotten when it grows past QUOTED_MAX (a long-running process). */
const quoted = new Map<string, string>();
const QUOTED_MAX = 50_000;

function isContainer(v: unknown): v is object {
  return typeof v === 'object' && v !== null;
}

function isEmptyContainer(v: unknown): boolean {
  if (Array.isArray(v)) { return v.length === 0; }
  return isPlainObject(v) && Object.keys(v).length === 0;
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  if (typeof v !== 'object' || v === null) { return false; }
  const proto = Object.getPrototypeOf(v);
  return proto === Object.prototype || proto === null;
}

/**
 * A value written on the line of its key or dash: a scalar or an empty
 * container. `indent` is the indent of that line's key or dash, undefined
 * for a document that is a scalar.
 */
function scalar(v: unknown, indent?: string): string {
  switch (typeof v) {
    case 'string': return string(v, indent);
    case 'boolean': return v ? 'true' : 'false';
    case 'number':
      if (Number.isSafeInteger(v) && !Object.is(v, -0)) { return String(v); }
      throw NEEDS_LIBRARY;
    case 'object':
      if (v === null) { return 'null'; }
      if (Array.isArray(v) && v.length === 0) { return '[]'; }
      if (isPlainObject(v) && Object.keys(v).length === 0) { return '{}'; }
      throw NEEDS_LIBRARY;
    default:
      throw NEEDS_LIBRARY;
  }
}

function string(s: string, indent: string | undefined): string {
  if (PLAIN.test(s) && !s.endsWith(':') && !NOT_STRINGS.has(s)) { return s; }
  // A multi-line string is written as a block scalar (or quoted), its lines indented under its key or dash.
  if (s.includes('\n')) { return multiLine(s, indent); }
  let out = quoted.get(s);
  if (out === undefined) {
    out = YAML.stringify(s, OPTIONS).slice(0, -1);
    // Document markers and the like: written as block scalars too.
    if (out.includes('\n')) { return multiLine(s, indent); }
    remember(quoted, s, out);
  }
  return out;
}

/** Multi-line strings as the library writes them as the value of a top-level key, by string. */
const multiLines = new Map<string, string>();

/**
 * A multi-line string as the library writes it as the value of a key (or
 * a sequence item: the same) at `indent`: its header (`|-`, `|2+`, ...)
 * and its lines, joined by newlines (or a quoted string, for the strings
 * a block scalar cannot hold). The library writes it as the value of a
 * top-level key (remembered); at a deeper indent, every line it
 * indented is indented further (the header is relative: it does not change).
 */
function multiLine(s: string, indent: string | undefined): string {
  if (indent === undefined) { throw NEEDS_LIBRARY; }
  let out = multiLines.get(s);
  if (out === undefined) {
    // `k: <header or quoted string>`, its lines, and the final newline.
    out = YAML.stringify({ k: s }, OPTIONS).slice('k: '.length, -1);
    remember(multiLines, s, out);
  }
  if (indent === '' || !out.includes('\n')) { return out; }
  return out.split('\n').map((line, i) => (i === 0 || line === '' ? line : indent + line)).join('\n');
}

/** Remembers a string the library wrote, forgetting all when there are QUOTED_MAX (a long-running process). */
function remember(cache: Map<string, string>, s: string, out: string): void {
  if (cache.size >= QUOTED_MAX) { cache.clear(); }
  cache.set(s, out);
}

function key(k: string): string {
  if (k.length <= MAX_KEY && PLAIN.test(k) && !k.endsWith(':') && !NOT_STRINGS.has(k)) { return k; }
  throw NEEDS_LIBRARY;
}

/**
 * Writes a non-empty object or array as block lines at `indent`. The first
 * line carries no indent of its own when `inline` is set: it continues a
 * `- ` of the enclosing sequence.
 */
function block(v: object, indent: string, lines: string[], seen: Set<object>, inline = false): void {
  // yaml writes an object reached twice as an anchor and an alias.
  if (seen.has(v)) { throw NEEDS_LIBRARY; }
  seen.add(v);
  let first = inline;
  const prefix = () => {
    if (first) { first = false; return ''; }
    return indent;
  };
  if (Array.isArray(v)) {
    for (const item of v) {
      if (isContainer(item) && !isEmptyContainer(item)) {
        // `- ` then the item's first line; the rest indented under it.
        const start = lines.length;
        block(item, indent + '  ', lines, seen, true);
        lines[start] = `${prefix()}- ${lines[start]}`;
      } else {
        lines.push(`${prefix()}- ${scalar(item, indent)}`);
      }
    }
    return;
  }
  if (!isPlainObject(v)) { throw NEEDS_LIBRARY; }
  for (const k of Object.keys(v)) {
    const item = v[k];
    if (item === undefined) { throw NEEDS_LIBRARY; }
    if (isContainer(item) && !isEmptyContainer(item)) {
      lines.push(`${prefix()}${key(k)}:`);
      block(item, indent + '  ', lines, seen);
    } else {
      lines.push(`${prefix()}${key(k)}: ${scalar(item, indent)}`);
    }
  }
}
