// Where a cursor stands in a definition file, for completion and hover: in which key or value (by
// JSON path), and inside a string that can hold tokens (url, template, header values) in which part
// of which token. Offsets are always offsets in the FILE, never in the decoded string, so the
// editor can replace or highlight exactly what is written. Pure: no editor API, never throws on
// half-typed text.
import { createScanner, findNodeAtLocation, findNodeAtOffset, getLocation, getNodePath, parseTree, SyntaxKind, type JSONPath, type Node } from 'jsonc-parser';
import { decodeJsonString, offsetOf, sourceSpan, type DecodedString } from './json-string';
import { scanTokens, type Token } from '../tokens/scan';
import { MAX_INPUT_FILE_BYTES } from '../limits';

/** A span of file offsets, end exclusive. */
export interface Span {
  start: number;
  end: number;
}

/** Strings where Marketo replaces tokens. */
export type TokenPlace = 'url' | 'template' | 'header';

/**
 * The part of a token the cursor is in:
 * - `namespace`: after `{{` (prefix `''`) or in the namespace;
 * - `name`: after `namespace.` (prefix `''`) or in the name;
 * - `default-marker`: in a `:default=` being written after the name (`{{lead.City:def`);
 * - `default`: after `:default=`, in the fallback value.
 */
export type TokenPart = 'namespace' | 'name' | 'default-marker' | 'default';

export interface TokenAtCursor {
  part: TokenPart;
  /** what is written of the part before the cursor */
  prefix: string;
  /** the part's extent in the file: what a completion of that part replaces */
  replace: Span;
  /** the namespace as written (`''` right after `{{`) */
  namespace: string;
  /** the name as written; undefined while the cursor is in the namespace and no `.` follows it */
  name?: string;
  /** the fallback after `:default=`, when one is written */
  defaultValue?: string;
  /** a `}}` already closes the token */
  closed: boolean;
  /** a `.` follows the namespace */
  hasDot: boolean;
  /** the whole token in the file: `{{` to `}}` inclusive when closed, else `{{` to the cursor */
  token: Span;
}

export interface KeyContext {
  kind: 'key';
  /** path of the object whose key is at the cursor (`[]` the root, `['test']`, `['responseMappings', 0]`) */
  objectPath: JSONPath;
  /** the key as written so far (whole key when the cursor is in an existing key string) */
  key: string;
  /** keys of that object written elsewhere (the one being edited is not counted) */
  presentKeys: string[];
  /** what a completion replaces: the key string with its quotes, a bare word, or nothing at the cursor */
  replace: Span;
  /** the cursor is inside a quoted key */
  inString: boolean;
  /** what is written of the key before the cursor (without the quote) */
  prefix: string;
  /** the key already has a `:` after it (an existing property is being renamed) */
  hasColon: boolean;
  /** where a comma is missing before this key (the end of the previous value), if one is */
  missingComma?: number;
}

export interface ValueContext {
  kind: 'value';
  /** path of the value (`['requestType']`, `['template', 1]`, `['headers', 'Authorization']`) */
  path: JSONPath;
  /** the type of the value node at the cursor; undefined where no value is written yet */
  valueType?: Node['type'];
  /** the cursor is inside a string value (between its quotes) */
  inString: boolean;
  /** the string has its closing quote (only meaningful when inString) */
  terminated: boolean;
  /**
   * what a completion replaces: inside a string its contents (without the quotes; up to the cursor
   * when the string is not closed); otherwise the bare word or value at the cursor, or nothing
   */
  replace: Span;
  /** what is written before the cursor in `replace` */
  prefix: string;
  /** set when the string can hold tokens */
  tokenPlace?: TokenPlace;
  /** set when the cursor is inside a token of such a string */
  token?: TokenAtCursor;
}

export type CursorContext = KeyContext | ValueContext | { kind: 'none' };

const DEFAULT_MARKER = ':default=';

/** Where the cursor (between characters, at `offset`) stands, for completion. */
export function cursorContext(text: string, offset: number): CursorContext {
  if (text.length > MAX_INPUT_FILE_BYTES || offset < 0 || offset > text.length) return { kind: 'none' };
  try {
    if (inComment(text, offset)) return { kind: 'none' };
    const location = getLocation(text, offset);
    if (location.path.length === 0) return { kind: 'none' };
    const root = parseTree(text, [], { allowTrailingComma: true, disallowComments: false, allowEmptyContent: true });
    const previous = location.previousNode;
    if (location.isAtPropertyKey) return keyContext(text, offset, location.path, previous, root);
    // A key after a value with no comma between: jsonc-parser reads it as part of the value.
    if (previous?.type === 'property') return keyContext(text, offset, location.path, previous, root);
    const last = location.path[location.path.length - 1];
    if (previous && offset > previous.offset + previous.length && typeof last === 'string') {
      const between = text.slice(previous.offset + previous.length, offset);
      // After a whole value, with only blanks and comments between: the next key, once a comma is added.
      if (between.length < 10_000 && /^(?:\s|\/\/[^\n]*|\/\*[\s\S]*?\*\/)+$/.test(between)) return keyContext(text, offset, [...location.path.slice(0, -1), ''], undefined, root);
      return { kind: 'none' };
    }
    return valueContext(text, offset, location.path, previous);
  } catch {
    // jsonc-parser recurses per nesting level: a hostile file can exhaust the stack.
    return { kind: 'none' };
  }
}

function keyContext(text: string, offset: number, path: JSONPath, previous: Node | undefined, root: Node | undefined): KeyContext {
  const objectPath = path.slice(0, -1);
  const object = root ? (objectPath.length === 0 ? root : findNodeAtLocation(root, objectPath)) : undefined;
  // getLocation reports the key string as a node of type "property" with the key's span.
  const keyNode = previous && previous.offset < offset && (offset < previous.offset + previous.length || (offset === previous.offset + previous.length && !isTerminated(text, previous))) ? previous : undefined;
  let property: Node | undefined;
  if (object?.type === 'object' && keyNode) {
    property = object.children?.find((p) => p.children?.[0]?.offset === keyNode.offset);
  }
  const presentKeys: string[] = [];
  if (object?.type === 'object') {
    for (const p of object.children ?? []) {
      const k = p.children?.[0];
      if (p === property || !k || typeof k.value !== 'string') continue;
      if (keyNode && k.offset === keyNode.offset) continue;
      presentKeys.push(k.value);
    }
  }
  if (keyNode) {
    const terminated = isTerminated(text, keyNode);
    const contentEnd = terminated ? keyNode.offset + keyNode.length - 1 : offset;
    const decoded = decodeJsonString(text, keyNode.offset, keyNode.length);
    const at = decodedIndex(decoded, offset);
    const key = terminated ? decoded.value : decoded.value.slice(0, at);
    return withComma(text, {
      kind: 'key', objectPath, key, presentKeys,
      replace: { start: keyNode.offset, end: terminated ? keyNode.offset + keyNode.length : contentEnd },
      inString: true,
      prefix: decoded.value.slice(0, at),
      hasColon: property?.colonOffset !== undefined,
    });
  }
  const word = wordAt(text, offset);
  return withComma(text, {
    kind: 'key', objectPath, key: text.slice(word.start, word.end), presentKeys,
    replace: word, inString: false, prefix: text.slice(word.start, offset), hasColon: false,
  });
}

/** Notes a comma missing between the previous value and this key. */
function withComma(text: string, ctx: KeyContext): KeyContext {
  const scanner = createScanner(text, false);
  let lastKind: SyntaxKind | undefined;
  let lastEnd = 0;
  for (let kind = scanner.scan(); kind !== SyntaxKind.EOF && scanner.getTokenOffset() < ctx.replace.start; kind = scanner.scan()) {
    if (kind === SyntaxKind.Trivia || kind === SyntaxKind.LineBreakTrivia || kind === SyntaxKind.LineCommentTrivia || kind === SyntaxKind.BlockCommentTrivia) continue;
    lastKind = kind;
    lastEnd = scanner.getTokenOffset() + scanner.getTokenLength();
  }
  const valueEnds = [SyntaxKind.StringLiteral, SyntaxKind.NumericLiteral, SyntaxKind.TrueKeyword, SyntaxKind.FalseKeyword, SyntaxKind.NullKeyword, SyntaxKind.CloseBraceToken, SyntaxKind.CloseBracketToken];
  if (lastKind !== undefined && valueEnds.includes(lastKind)) ctx.missingComma = lastEnd;
  return ctx;
}

function valueContext(text: string, offset: number, path: JSONPath, previous: Node | undefined): ValueContext | { kind: 'none' } {
  const node = previous && previous.offset <= offset && offset <= previous.offset + previous.length ? previous : undefined;
  if (node?.type === 'string') {
    // On a quote, outside the string: nothing can be inserted there.
    if (offset === node.offset || (offset === node.offset + node.length && isTerminated(text, node))) return { kind: 'none' };
    const terminated = isTerminated(text, node);
    const decoded = decodeJsonString(text, node.offset, node.length);
    const at = decodedIndex(decoded, offset);
    const contentStart = node.offset + 1;
    const context: ValueContext = {
      kind: 'value', path, valueType: 'string', inString: true, terminated,
      replace: { start: contentStart, end: terminated ? node.offset + node.length - 1 : offset },
      prefix: decoded.value.slice(0, at),
    };
    const place = tokenPlaceOf(path);
    if (place) {
      context.tokenPlace = place;
      const token = tokenAt(decoded, at);
      if (token) context.token = token;
    }
    return context;
  }
  if (node && node.type !== 'object' && node.type !== 'array' && node.type !== 'property') {
    // A number, true/false/null: the whole literal is replaced.
    return {
      kind: 'value', path, valueType: node.type, inString: false, terminated: false,
      replace: { start: node.offset, end: node.offset + node.length }, prefix: text.slice(node.offset, offset),
    };
  }
  if (node) return { kind: 'none' };
  const word = wordAt(text, offset);
  return { kind: 'value', path, inString: false, terminated: false, replace: word, prefix: text.slice(word.start, offset) };
}

/** The strings Marketo replaces tokens in: the URL, the template (or a line of it), header values. */
export function tokenPlaceOf(path: JSONPath): TokenPlace | undefined {
  const [first, second] = path;
  if (first === 'url' && path.length === 1) return 'url';
  if (first === 'template' && (path.length === 1 || (path.length === 2 && typeof second === 'number'))) return 'template';
  if (first === 'headers' && path.length === 2 && typeof second === 'string') return 'header';
  return undefined;
}

/** The token around decoded index `at` (a cursor between characters), written or being written. */
function tokenAt(decoded: DecodedString, at: number): TokenAtCursor | undefined {
  const v = decoded.value;
  if (at < 2) return undefined;
  // The last `{{` before the cursor; in `{{{` the token starts at the last pair, as the scanner has it.
  const open = v.lastIndexOf('{{', at - 2);
  if (open < 0) return undefined;
  const typed = v.slice(open + 2, at);
  if (/[{}"\r\n]/.test(typed)) return undefined;
  const close = v.indexOf('}}', at);
  const closed = close >= 0 && !/[{}"\r\n]/.test(v.slice(at, close));
  const innerEnd = closed ? close : at;
  const inner = v.slice(open + 2, innerEnd);
  const innerStart = open + 2;
  const file = (from: number, to: number): Span => {
    const s = sourceSpan(decoded, from, to);
    return { start: s.offset, end: s.offset + s.length };
  };
  const base = {
    closed,
    token: file(open, closed ? close + 2 : at),
  };
  const dot = inner.indexOf('.');
  if (dot < 0 || at <= innerStart + dot) {
    const nsEnd = dot < 0 ? innerEnd : innerStart + dot;
    const result: TokenAtCursor = {
      ...base, part: 'namespace', prefix: v.slice(innerStart, at), replace: file(innerStart, nsEnd),
      namespace: v.slice(innerStart, nsEnd), hasDot: dot >= 0,
    };
    if (dot >= 0) result.name = nameOf(inner.slice(dot + 1)).name;
    return result;
  }
  const namespace = inner.slice(0, dot);
  const nameStart = innerStart + dot + 1;
  const rest = inner.slice(dot + 1);
  const common = { ...base, namespace, hasDot: true };
  const marker = rest.toLowerCase().indexOf(DEFAULT_MARKER);
  if (marker >= 0) {
    const nameEnd = nameStart + marker;
    const markerEnd = nameEnd + DEFAULT_MARKER.length;
    const name = rest.slice(0, marker);
    const defaultValue = rest.slice(marker + DEFAULT_MARKER.length);
    if (at <= nameEnd) return { ...common, part: 'name', prefix: v.slice(nameStart, at), replace: file(nameStart, nameEnd), name, defaultValue };
    if (at < markerEnd) return { ...common, part: 'default-marker', prefix: v.slice(nameEnd, at), replace: file(nameEnd, markerEnd), name, defaultValue };
    return { ...common, part: 'default', prefix: v.slice(markerEnd, at), replace: file(markerEnd, innerEnd), name, defaultValue };
  }
  // `:default=` being typed: the text from the last `:` to the cursor starts the marker.
  const colon = v.lastIndexOf(':', at - 1);
  if (colon >= nameStart && DEFAULT_MARKER.startsWith(v.slice(colon, at).toLowerCase())) {
    const markerEnd = closed ? innerEnd : at;
    return { ...common, part: 'default-marker', prefix: v.slice(colon, at), replace: file(colon, markerEnd), name: v.slice(nameStart, colon) };
  }
  return { ...common, part: 'name', prefix: v.slice(nameStart, at), replace: file(nameStart, innerEnd), name: rest };
}

function nameOf(rest: string): { name: string } {
  const marker = rest.toLowerCase().indexOf(DEFAULT_MARKER);
  return { name: marker >= 0 ? rest.slice(0, marker) : rest };
}

// ---- hover: what is under a character ------------------------------------------------------

export interface KeyElement {
  kind: 'key';
  objectPath: JSONPath;
  key: string;
  /** the key string with its quotes */
  span: Span;
}

export interface ValueElement {
  kind: 'value';
  path: JSONPath;
  valueType: Node['type'];
  value: unknown;
  /** the value as written (a string with its quotes) */
  span: Span;
  tokenPlace?: TokenPlace;
  /** a well-formed token under the character, from the token scanner (offsets in the decoded string) */
  token?: Token;
  /** that token's span in the file */
  tokenSpan?: Span;
}

export type ElementAt = KeyElement | ValueElement | { kind: 'none' };

/** What is under the character at `offset` (a hover position), by the same rules as validation. */
export function elementAt(text: string, offset: number): ElementAt {
  if (text.length > MAX_INPUT_FILE_BYTES || offset < 0 || offset >= text.length) return { kind: 'none' };
  try {
    const root = parseTree(text, [], { allowTrailingComma: true, disallowComments: false, allowEmptyContent: true });
    if (!root) return { kind: 'none' };
    const node = findNodeAtOffset(root, offset, false);
    if (!node || node.type === 'object' || node.type === 'array' || node.type === 'property') return { kind: 'none' };
    const span = { start: node.offset, end: node.offset + node.length };
    const parent = node.parent;
    if (parent?.type === 'property' && parent.children?.[0] === node) {
      return { kind: 'key', objectPath: getNodePath(parent.parent ?? root), key: String(node.value), span };
    }
    const path = getNodePath(node);
    const element: ValueElement = { kind: 'value', path, valueType: node.type, value: node.value as unknown, span };
    const place = node.type === 'string' ? tokenPlaceOf(path) : undefined;
    if (place) {
      element.tokenPlace = place;
      const decoded = decodeJsonString(text, node.offset, node.length);
      const at = decodedIndexOfChar(decoded, offset);
      const token = tokenAtChar(decoded.value, at);
      if (token) {
        element.token = token;
        const s = sourceSpan(decoded, token.start, token.end);
        element.tokenSpan = { start: s.offset, end: s.offset + s.length };
      }
    }
    return element;
  } catch {
    return { kind: 'none' };
  }
}

// ---- helpers ------------------------------------------------------------------------------

/**
 * The well-formed token around character `at`, as scanTokens finds it in the whole text, found by
 * scanning only what could be it (a hover in a 5 MB template would otherwise scan all of it). A
 * well-formed token has no brace inside, so it starts at the last `{{` at or before `at` (the
 * scanner takes the last pair of a run of braces) and ends at the first `}}` after that; the
 * scanner reads the same there, whatever comes before the run of braces.
 */
function tokenAtChar(v: string, at: number): Token | undefined {
  let open = v.lastIndexOf('{{', at);
  if (open < 0) return undefined;
  while (open > 0 && v[open - 1] === '{') open--;
  const close = v.indexOf('}}', open);
  if (close < 0 || close + 2 <= at) return undefined;
  const token = scanTokens(v.slice(open, close + 2)).tokens.find((t) => t.start <= at - open && at - open < t.end);
  if (!token) return undefined;
  return { ...token, start: token.start + open, end: token.end + open, nameStart: token.nameStart + open, nameEnd: token.nameEnd + open };
}

/** The decoded index of a cursor at file offset `offset` (between characters). */
function decodedIndex(decoded: DecodedString, offset: number): number {
  // offsets is increasing: the first decoded character that starts at or after the cursor.
  // (Looked up one at a time: a 5 MB string need not have an offset worked out per character.)
  let lo = 0;
  let hi = decoded.value.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if ((offsetOf(decoded, mid) as number) < offset) lo = mid + 1;
    else hi = mid;
  }
  return Math.min(lo, decoded.value.length);
}

/** The decoded index of the character at file offset `offset` (an escape maps to its character). */
function decodedIndexOfChar(decoded: DecodedString, offset: number): number {
  let lo = 0;
  let hi = decoded.value.length;
  // the last decoded character that starts at or before the offset
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if ((offsetOf(decoded, mid) as number) <= offset) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

function isTerminated(text: string, node: Node): boolean {
  if (node.length < 2 || text[node.offset + node.length - 1] !== '"') return false;
  let backslashes = 0;
  for (let i = node.offset + node.length - 2; i > node.offset && text[i] === '\\'; i--) backslashes++;
  return backslashes % 2 === 0;
}

/** A bare word (a key or value typed without quotes) around the cursor. */
function wordAt(text: string, offset: number): Span {
  let start = offset;
  while (start > 0 && /[A-Za-z0-9_$\-/]/.test(text[start - 1] as string)) start--;
  let end = offset;
  while (end < text.length && /[A-Za-z0-9_$\-/]/.test(text[end] as string)) end++;
  return { start, end };
}

function inComment(text: string, offset: number): boolean {
  const scanner = createScanner(text, false);
  for (let kind = scanner.scan(); kind !== SyntaxKind.EOF; kind = scanner.scan()) {
    const start = scanner.getTokenOffset();
    if (start >= offset) return false;
    const end = start + scanner.getTokenLength();
    if (kind === SyntaxKind.LineCommentTrivia && offset <= end) return true;
    if (kind === SyntaxKind.BlockCommentTrivia && offset < end) return true;
    if (kind === SyntaxKind.BlockCommentTrivia && offset === end && !text.slice(start, end).endsWith('*/')) return true;
  }
  return false;
}
