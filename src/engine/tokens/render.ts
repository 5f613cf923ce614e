// Renders a text with tokens the way Marketo builds the request: escapes applied to the literal
// text (templates only), each token replaced by its encoded value. Validation renders with sample
// values, a run with the lead's; both go through here, so they cannot disagree.
import { stringOfCharCodes } from '../definition/json-string';
import { escapeAt, escapedCharacter } from './escapes';
import { nextOf, scanTokens, type Token } from './scan';

export interface Rendered {
  text: string;
  /** for each character of `text`, the index in the input it came from (a token's value maps to its `{{`) */
  origin: number[];
}

export interface RenderOptions {
  /** apply Marketo's template escape pre-parse to the literal text */
  escapes: boolean;
  /** the text that replaces a token, already encoded */
  valueOf: (token: Token) => string;
  /** the input's tokens when the caller has scanned it already (a run renders the same texts lead after lead) */
  tokens?: readonly Token[];
}

export function renderTokens(input: string, options: RenderOptions): Rendered {
  const origin: number[] = [];
  const tokens = options.tokens ?? scanTokens(input).tokens;
  const parts: string[] = [];
  let at = 0;
  for (const token of tokens) {
    literalWithOrigins(input, at, token.start, options.escapes, parts, origin);
    const value = options.valueOf(token);
    parts.push(value);
    for (let i = 0; i < value.length; i++) origin.push(token.start);
    at = token.end;
  }
  literalWithOrigins(input, at, input.length, options.escapes, parts, origin);
  return { text: parts.join(''), origin };
}

/** The rendered text alone, without the origin of each character (for a large template, much less work). */
export function renderText(input: string, options: RenderOptions): string {
  return renderCompiled(compileText(input, options.escapes, options.tokens), options.valueOf);
}

/**
 * A text split at its tokens, its literal parts already read (escapes applied): what rendering it
 * needs that no token value changes. A run renders the same texts lead after lead.
 */
export interface CompiledText {
  /** the literal text before each token, then after the last one: one more than `tokens` */
  readonly literals: readonly string[];
  readonly tokens: readonly Token[];
}

export function compileText(input: string, escapes: boolean, tokens: readonly Token[] = scanTokens(input).tokens): CompiledText {
  const literals: string[] = [];
  let at = 0;
  for (const token of tokens) {
    literals.push(literalText(input, at, token.start, escapes));
    at = token.end;
  }
  literals.push(literalText(input, at, input.length, escapes));
  return { literals, tokens };
}

/** The compiled text with each token replaced by `valueOf(token, its index)`. */
export function renderCompiled(compiled: CompiledText, valueOf: (token: Token, index: number) => string): string {
  const { literals, tokens } = compiled;
  let out = literals[0] as string;
  for (let i = 0; i < tokens.length; i++) out += valueOf(tokens[i] as Token, i) + (literals[i + 1] as string);
  return out;
}

/** The literal text [from, to), with Marketo's template escapes read when `escapes`. */
function literalText(input: string, from: number, to: number, escapes: boolean): string {
  // A long text of escapes: into a buffer, not a string per escape.
  if (escapes && to - from >= 256 && input.slice(from, to).includes('\\')) return unescaped(input, from, to);
  const parts: string[] = [];
  literalWithOrigins(input, from, to, escapes, parts, undefined);
  return parts.join('');
}

/** The literal text [from, to) into `parts`, and where each of its characters came from into `origin`. */
function literalWithOrigins(input: string, from: number, to: number, escapes: boolean, parts: string[], origin: number[] | undefined): void {
  if (to <= from) return;
  if (!escapes || !input.slice(from, to).includes('\\')) {
    parts.push(input.slice(from, to));
    if (origin) for (let i = from; i < to; i++) origin.push(i);
    return;
  }
  // Escapes shorten the text; walk it so every output character keeps its origin.
  for (let i = from; i < to; ) {
    if (input[i] !== '\\') {
      const next = input.indexOf('\\', i);
      const runEnd = next < 0 || next > to ? to : next;
      parts.push(input.slice(i, runEnd));
      if (origin) for (let k = i; k < runEnd; k++) origin.push(k);
      i = runEnd;
      continue;
    }
    const { out, consumed } = escapeAt(input, i, to);
    parts.push(out);
    // A legal escape becomes one character; an illegal one stays as its two.
    if (origin) for (let k = 0; k < out.length; k++) origin.push(i + (consumed === out.length ? k : 0));
    i += consumed;
  }
}

/** The text [from, to) with Marketo's escapes read, as render reads them, in one pass over a buffer. */
function unescaped(input: string, from: number, to: number): string {
  const out = new Uint16Array(to - from);
  let n = 0;
  for (let i = from; i < to; ) {
    if (input.charCodeAt(i) !== 0x5c /* backslash */) {
      out[n++] = input.charCodeAt(i++);
      continue;
    }
    // As escapeAt reads it: a legal escape is its character; an illegal one, or a backslash at
    // the end, stays as written.
    const next = i + 1 < to ? input[i + 1] as string : undefined;
    const legal = next === undefined ? undefined : escapedCharacter(next);
    out[n++] = legal === undefined ? 0x5c : legal.charCodeAt(0);
    if (legal === undefined && next !== undefined) out[n++] = next.charCodeAt(0);
    i += next === undefined ? 1 : 2;
  }
  return stringOfCharCodes(out, n);
}

/**
 * `renderTokens(input, options).origin[at]` alone: where character `at` of the rendering came
 * from, found without building the rendering or an origin for each of its characters.
 */
export function renderedOrigin(input: string, options: RenderOptions, at: number): number | undefined {
  if (!Number.isInteger(at) || at < 0) return undefined;
  const { tokens } = scanTokens(input);
  let out = 0; // characters rendered so far
  /** the origin of `at` in the literal text [from, to), or undefined after counting it */
  const literal = (from: number, to: number): number | undefined => {
    if (to <= from) return undefined;
    if (!options.escapes || !input.slice(from, to).includes('\\')) {
      if (at < out + (to - from)) return from + (at - out);
      out += to - from;
      return undefined;
    }
    for (let i = from; i < to; ) {
      if (input[i] !== '\\') {
        const next = input.indexOf('\\', i);
        const runEnd = next < 0 || next > to ? to : next;
        if (at < out + (runEnd - i)) return i + (at - out);
        out += runEnd - i;
        i = runEnd;
        continue;
      }
      const { out: escaped, consumed } = escapeAt(input, i, to);
      // As in render: a legal escape is one character; an illegal one keeps its two, both from the backslash.
      if (at < out + escaped.length) return i + (consumed === escaped.length ? at - out : 0);
      out += escaped.length;
      i += consumed;
    }
    return undefined;
  };
  let from = 0;
  for (const token of tokens) {
    const found = literal(from, token.start);
    if (found !== undefined) return found;
    const length = options.valueOf(token).length;
    if (at < out + length) return token.start;
    out += length;
    from = token.end;
  }
  return literal(from, input.length);
}

/**
 * Which tokens of a JSON-shaped template stand inside a JSON string literal, by token start.
 * A lexical walk is enough: tokens never contain quotes.
 */
export function tokensInsideJsonStrings(template: string, tokens: readonly Token[]): Set<number> {
  const inside = new Set<number>();
  const n = template.length;
  const quote = nextOf(template, '"');
  const backslash = nextOf(template, '\\');
  let inString = false;
  let next = 0;
  // From event to event (a token, a quote, an escape inside a string), not character by character.
  for (let i = 0; i < n; ) {
    while (tokens[next] && (tokens[next] as Token).end <= i) next++;
    const token = tokens[next];
    // An escaped character can be a token's first brace: a token started before `i` still counts.
    const tokenAt = token ? Math.max(token.start, i) : n;
    const q = quote(i);
    const quoteAt = q < 0 ? n : q;
    const b = inString ? backslash(i) : -1;
    const escapeAt = b < 0 ? n : b;
    if (tokenAt <= quoteAt && tokenAt <= escapeAt) {
      if (tokenAt >= n) break;
      if (inString) inside.add((token as Token).start);
      i = (token as Token).end;
      next++;
    } else if (escapeAt < quoteAt) {
      i = escapeAt + 2;
    } else {
      inString = !inString;
      i = quoteAt + 1;
    }
  }
  return inside;
}

/**
 * True when arrays and objects of a JSON-shaped template nest more than `max` deep, read lexically
 * as tokensInsideJsonStrings reads it (tokens and the insides of strings do not count).
 */
export function jsonNestingExceeds(template: string, tokens: readonly Token[], max: number): boolean {
  let depth = 0;
  let inString = false;
  let next = 0;
  for (let i = 0; i < template.length; i++) {
    while (tokens[next] && (tokens[next] as Token).end <= i) next++;
    const token = tokens[next];
    if (token && i >= token.start) {
      i = token.end - 1;
      next++;
      continue;
    }
    const c = template.charCodeAt(i);
    if (inString) {
      if (c === 0x5c /* backslash */) i++;
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) {
      inString = true;
    } else if (c === 0x5b || c === 0x7b) {
      if (++depth > max) return true;
    } else if (c === 0x5d || c === 0x7d) {
      depth = Math.max(0, depth - 1);
    }
  }
  return false;
}

const OBJECT = 1;
const ARRAY = 2;

/**
 * True when `text`, with each token replaced by a JSON string (what JSON encoding makes of it), is
 * one valid JSON value, as JSON.parse and jsonc-parser's strict mode read it. Checked on the text
 * itself, without rendering it or building the value: a large template costs one pass. It is
 * conservative: a token inside a string literal, a backslash or anything unusual gives false, and
 * the caller then renders and parses for real. `tokens` must be the scan of `text`.
 *
 * `bare` picks the tokens written as a JSON number instead (JSON encoding's number-type tokens,
 * given a value): valid as values, not as keys. Arrays and objects nested more than `maxDepth`
 * deep (as jsonNestingExceeds counts them) give false.
 */
export function isJsonWithTokens(text: string, tokens: readonly Token[], bare?: (token: Token) => boolean, maxDepth = Infinity): boolean {
  const n = text.length;
  const stack: number[] = [];
  let pos = 0;
  let next = 0; // the first token not yet read
  const skipSpace = (): void => {
    for (; pos < n; pos++) {
      const c = text.charCodeAt(pos);
      if (c !== 0x20 && c !== 0x09 && c !== 0x0a && c !== 0x0d) return;
    }
  };
  /** a string literal or a token at pos; false when there is neither (or, for a key, a bare token) */
  const string = (asKey = false): boolean => {
    const token = tokens[next];
    if (token && token.start < pos) return false; // a token was passed over: not a case for this check
    if (token && token.start === pos) {
      if (asKey && bare?.(token)) return false;
      pos = token.end;
      next++;
      return true;
    }
    if (text.charCodeAt(pos) !== 0x22) return false;
    const close = text.indexOf('"', pos + 1);
    if (close < 0 || (token && token.start < close)) return false;
    for (let i = pos + 1; i < close; i++) {
      const c = text.charCodeAt(i);
      if (c < 0x20 || c === 0x5c /* backslash */) return false;
    }
    pos = close + 1;
    return true;
  };
  const digits = (): boolean => {
    const from = pos;
    while (pos < n && text.charCodeAt(pos) >= 0x30 && text.charCodeAt(pos) <= 0x39) pos++;
    return pos > from;
  };
  const number = (): boolean => {
    if (text.charCodeAt(pos) === 0x2d /* - */) pos++;
    if (text.charCodeAt(pos) === 0x30) pos++;
    else if (!digits()) return false;
    if (text.charCodeAt(pos) === 0x2e /* . */) {
      pos++;
      if (!digits()) return false;
    }
    const e = text.charCodeAt(pos);
    if (e === 0x65 || e === 0x45) {
      pos++;
      const sign = text.charCodeAt(pos);
      if (sign === 0x2b || sign === 0x2d) pos++;
      if (!digits()) return false;
    }
    return true;
  };
  const word = (w: string): boolean => {
    if (!text.startsWith(w, pos)) return false;
    pos += w.length;
    return true;
  };
  /** `"key" :` at pos (after space); leaves pos after the colon */
  const key = (): boolean => {
    if (!string(true)) return false;
    skipSpace();
    if (tokens[next]?.start === pos || text.charCodeAt(pos) !== 0x3a /* : */) return false;
    pos++;
    return true;
  };

  for (;;) {
    // A value at pos.
    skipSpace();
    const token = tokens[next];
    const c = text.charCodeAt(pos);
    if (token && token.start === pos) {
      if (!string()) return false;
    } else if (c === 0x7b /* { */ || c === 0x5b /* [ */) {
      if (stack.length + 1 > maxDepth) return false;
      pos++;
      skipSpace();
      const empty = text.charCodeAt(pos) === (c === 0x7b ? 0x7d : 0x5d) && !(tokens[next]?.start === pos);
      if (empty) {
        pos++;
      } else {
        stack.push(c === 0x7b ? OBJECT : ARRAY);
        if (c === 0x7b && !key()) return false;
        continue;
      }
    } else if (c === 0x22) {
      if (!string()) return false;
    } else if (c === 0x2d || (c >= 0x30 && c <= 0x39)) {
      if (!number()) return false;
    } else if (!(word('true') || word('false') || word('null'))) {
      return false;
    }
    // After a value: a comma, the end of its object or array, or the end of the text.
    for (;;) {
      skipSpace();
      const open = stack[stack.length - 1];
      if (open === undefined) return pos === n && next === tokens.length;
      if (tokens[next]?.start === pos) return false;
      const d = text.charCodeAt(pos);
      if (d === 0x2c /* , */) {
        pos++;
        if (open === OBJECT) {
          skipSpace();
          if (!key()) return false;
        }
        break;
      }
      if (d !== (open === OBJECT ? 0x7d : 0x5d)) return false;
      pos++;
      stack.pop();
    }
  }
}
