/**
 * One piece of a string with Score placeholders: literal text, or a
 * reference such as `resources.db.host` split into its path.
 * @internal
 */
export interface PlaceholderSegment {
  readonly literal?: string;
  readonly reference?: string[];
}

/**
 * Splits `text` into literal text and `${a.b.c}` references, as Score's
 * reference implementation (score-go) does: `$$` is an escaped `$`, so
 * `$${` is a literal `${`; a dot inside a path segment is written `\.`.
 * Sets `error` for an unterminated placeholder.
 * @internal
 */
export function parsePlaceholders(text: string): { segments: PlaceholderSegment[]; error?: string } {
  const segments: PlaceholderSegment[] = [];
  let literal = '';
  let i = 0;
  while (i < text.length) {
    // Plain text up to the next "$" in one step: values can be long.
    const dollar = text.indexOf('$', i);
    if (dollar !== i) {
      literal += text.slice(i, dollar < 0 ? text.length : dollar);
      if (dollar < 0) { break; }
      i = dollar;
    }
    if (text.startsWith('$$', i)) {
      literal += '$';
      i += 2;
      continue;
    }
    if (text.startsWith('${', i)) {
      const end = text.indexOf('}', i + 2);
      if (end < 0) {
        const rest = text.length - i > 60 ? `${text.slice(i, i + 60)}…` : text.slice(i);
        return { segments, error: `unterminated placeholder at character ${i + 1}: "${rest}"` };
      }
      if (literal) { segments.push({ literal }); literal = ''; }
      const inner = text.slice(i + 2, end).trim();
      segments.push({ reference: splitPath(inner) });
      i = end + 1;
      continue;
    }
    literal += text[i];
    i += 1;
  }
  if (literal) { segments.push({ literal }); }
  return { segments };
}

/**
 * `text` as literal text for {@link parsePlaceholders}: every `$` doubled,
 * so nothing in it is read as a placeholder or an escape.
 * @internal
 */
export function escapePlaceholders(text: string): string {
  return text.replace(/\$/g, '$$$$');
}

function splitPath(path: string): string[] {
  const parts: string[] = [];
  let current = '';
  for (let i = 0; i < path.length; i++) {
    if (path[i] === '\\' && path[i + 1] === '.') {
      current += '.';
      i += 1;
    } else if (path[i] === '.') {
      parts.push(current);
      current = '';
    } else {
      current += path[i];
    }
  }
  parts.push(current);
  return parts;
}
