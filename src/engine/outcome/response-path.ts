// The grammar of a response mapping's Response Attribute, in one place: the validator reports
// its errors in the editor and the mapping evaluator walks its segments through the response.
//
//   path    := key index* ( '.' key index* )*
//   key     := one or more of: ASCII letters, digits, '-', '_', ':', space   (Marketo's rule)
//   index   := '[' digits ']'
//
// Every level must be named, so a path cannot start with an index. Keys are kept exactly as
// written (spaces included): Marketo resolves them case-sensitively.

export type PathSegment = { kind: 'key'; name: string } | { kind: 'index'; index: number };

/** offset/length are UTF-16 offsets inside the attribute string, ready for a diagnostic range. */
export interface PathError {
  message: string;
  offset: number;
  length: number;
}

export type ParsedPath = { ok: true; segments: PathSegment[] } | { ok: false; error: PathError };

const ALLOWED_KEYS = 'keys may hold only letters, digits, `-`, `_`, `:` and spaces';

// Marketo's documented character set. "Letters" is read as ASCII letters: the rule comes from a
// Java product and nothing says accented letters are accepted.
function isKeyChar(ch: string): boolean {
  if (ch.length !== 1) return false;
  const c = ch.charCodeAt(0);
  return (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a) || (c >= 0x30 && c <= 0x39)
    || c === 0x2d /* - */ || c === 0x5f /* _ */ || c === 0x3a /* : */ || c === 0x20 /* space */;
}

function fail(message: string, offset: number, length: number): ParsedPath {
  return { ok: false, error: { message, offset, length: Math.max(length, 0) } };
}

/** Shows one character of the attribute in a message (a whole surrogate pair, if it is one). */
function charAt(path: string, offset: number): string {
  const cp = path.codePointAt(offset);
  return cp === undefined ? '' : String.fromCodePoint(cp);
}

export function parseResponsePath(path: string): ParsedPath {
  if (path.trim() === '') {
    return fail('The response attribute is empty: write a path such as `result[0].name`.', 0, path.length);
  }
  if (path.startsWith('[')) {
    const close = path.indexOf(']');
    return fail(
      'The response attribute starts with an index: Marketo needs a named first level, such as `result[0]`.',
      0,
      close === -1 ? 1 : close + 1,
    );
  }

  const segments: PathSegment[] = [];
  let i = 0;
  const n = path.length;
  for (;;) {
    // A key: at the start, or after a dot.
    const keyStart = i;
    while (i < n && isKeyChar(path[i] ?? '')) i++;
    if (i === keyStart) {
      const ch = path[i];
      if (ch === undefined) {
        // Only reachable after a dot: the path ends with it.
        return fail('The response attribute ends with `.`: a key name must follow it.', i - 1, 1);
      }
      if (ch === '.') {
        return keyStart === 0
          ? fail('The response attribute starts with `.`: a key name must come first.', 0, 1)
          : fail('The response attribute has an empty key between two dots (`..`).', i, 1);
      }
      if (ch === '[') {
        return fail('A `.` must be followed by a key name, not an index: every level must be named.', i - 1, 1);
      }
      return illegalChar(path, i);
    }
    segments.push({ kind: 'key', name: path.slice(keyStart, i) });

    // Any number of indexes after the key.
    while (path[i] === '[') {
      const open = i;
      const close = path.indexOf(']', open + 1);
      const nextOpen = path.indexOf('[', open + 1);
      if (close === -1 || (nextOpen !== -1 && nextOpen < close)) {
        return fail('`[` is not closed: an index is written `[0]`.', open, (close === -1 ? n : nextOpen) - open);
      }
      const inner = path.slice(open + 1, close);
      if (inner === '') {
        return fail('The index `[]` is empty: write a whole number such as `[0]`.', open, 2);
      }
      if (!/^[0-9]+$/.test(inner)) {
        return fail(indexMessage(inner), open + 1, inner.length);
      }
      const index = Number(inner);
      if (!Number.isSafeInteger(index)) {
        return fail(`The index \`${inner}\` is too large.`, open + 1, inner.length);
      }
      segments.push({ kind: 'index', index });
      i = close + 1;
    }

    if (i >= n) return { ok: true, segments };
    if (path[i] === '.') {
      i++;
      continue;
    }
    if (path[i - 1] === ']' && path[i] !== ']') {
      return fail(`\`${charAt(path, i)}\` cannot follow \`]\`: write \`.\` before the next key or \`[\` for another index.`, i, charAt(path, i).length);
    }
    return illegalChar(path, i);
  }
}

function indexMessage(inner: string): string {
  if (/^-[0-9]+$/.test(inner)) return `The index \`${inner}\` is negative: Marketo accepts only indexes from 0 up.`;
  if (/^[0-9]*\.[0-9]+$/.test(inner)) return `The index \`${inner}\` is not a whole number: Marketo accepts only integer indexes such as \`[0]\`.`;
  if (/^["'].*["']$/.test(inner)) return `\`[${inner}]\` names a key in brackets: Marketo accepts only integer indexes; write keys with dot notation.`;
  return `The index \`${inner}\` is not a whole number: Marketo accepts only integer indexes such as \`[0]\`.`;
}

function illegalChar(path: string, offset: number): ParsedPath {
  const ch = charAt(path, offset);
  if (ch === ']') return fail('`]` has no matching `[`.', offset, 1);
  const code = ch.charCodeAt(0);
  const shown = code < 0x20 || code === 0x7f ? `U+${code.toString(16).toUpperCase().padStart(4, '0')}` : `\`${ch}\``;
  return fail(`${shown} is not allowed in a response attribute key: ${ALLOWED_KEYS}.`, offset, ch.length);
}

/** The inverse of parseResponsePath for valid segments: `orders[0].orderDate`. */
export function formatResponsePath(segments: readonly PathSegment[]): string {
  let out = '';
  for (const segment of segments) {
    if (segment.kind === 'index') out += `[${segment.index}]`;
    else out += out === '' ? segment.name : `.${segment.name}`;
  }
  return out;
}
