// The implementations before issue 10, kept as they were: simple, but quadratic or worse on hostile
// input. The fuzz tests (adversarial.test.ts) check on small generated inputs that the linear
// versions in src/engine find exactly what these found. Not used by the product.
import type { Token, TokenProblem, TokenScan } from '../../src/engine/tokens/scan';
import { namespaceOf } from '../../src/engine/tokens/namespaces';

const DEFAULT_MARKER = ':default=';
const MAX_PROBLEMS = 100;

/** The token scanner (src/engine/tokens/scan.ts scanUncached) as it was. */
export function referenceScanTokens(text: string): TokenScan {
  const tokens: Token[] = [];
  const problems: TokenProblem[] = [];
  let from = 0;
  for (;;) {
    const open = text.indexOf('{{', from);
    if (open < 0) break;
    // `{{{` : the token starts at the last pair of braces, as in `{"a":{{lead.X}}}`.
    let start = open;
    while (text[start + 2] === '{') start++;
    const plain = plainToken(text, start);
    if (plain) {
      tokens.push(plain);
      from = plain.end;
      continue;
    }
    const close = text.indexOf('}}', start + 2);
    const nextOpen = text.indexOf('{{', start + 2);
    // Only a segment with no other `{{` in it is searched, so each character is looked at once:
    // for a line break (the token is unclosed) and for a single brace (see `stray` below).
    let lineBreak = false;
    let stray = -1;
    if (close >= 0 && !(nextOpen >= 0 && nextOpen < close)) {
      for (let i = start + 2; i < close; i++) {
        const c = text.charCodeAt(i);
        if (c === 10 || c === 13) {
          lineBreak = true;
          break;
        }
        if (stray < 0 && (c === 0x7b || c === 0x7d)) stray = i - start - 2;
      }
    }
    const unclosed = close < 0 || (nextOpen >= 0 && nextOpen < close) || lineBreak;
    if (unclosed) {
      // A hostile text can hold thousands; a hundred say enough and keep this linear.
      if (problems.length >= MAX_PROBLEMS) {
        from = start + 2;
        continue;
      }
      const limit = Math.min(close < 0 ? text.length : close, nextOpen >= 0 ? nextOpen : text.length);
      const lineEnd = text.slice(start, limit).search(/[\r\n]/);
      const end = lineEnd >= 0 ? start + lineEnd : limit;
      problems.push({
        code: 'token-unclosed',
        message: `Unclosed token: \`${text.slice(start, Math.min(end, start + 60))}\` has no closing \`}}\`.`,
        start,
        end: Math.max(end, start + 2),
      });
      from = start + 2;
      continue;
    }
    // A brace inside means this `{{` was never closed and a later `}}` (a JSON body's nested
    // objects) was found instead: `{"a": {{lead.City}, "b": {"c": 1}}`.
    if (stray >= 0) {
      const end = start + 2 + stray + (text[start + 2 + stray] === '}' ? 1 : 0);
      const written = text.slice(start, end);
      problems.push({
        code: 'token-unclosed',
        message: `Unclosed token: \`${written.slice(0, 60)}\` has no closing \`}}\`.`,
        start,
        end,
        ...(written.endsWith('}') ? { replacement: `${written}}` } : {}),
      });
      from = start + 2;
      continue;
    }
    const end = close + 2;
    const inner = text.slice(start + 2, close);
    const parsed = parseTokenInner(inner, start, end);
    if ('problem' in parsed) problems.push({ ...parsed.problem, start, end });
    else tokens.push(parsed.token);
    from = end;
  }
  findSingleBraceTokens(text, problems);
  return { tokens, problems };
}

/**
 * The common token, `{{letters.Name}}` at `start`, read in one pass: closed on its line by the
 * first `}}`, with no other brace and no `=` inside and no space at the name's ends. Everything
 * else is left to the general path in scanUncached, which finds the same token for these.
 */
function plainToken(text: string, start: number): Token | undefined {
  const n = text.length;
  let i = start + 2;
  while (i < n) {
    const c = text.charCodeAt(i);
    if ((c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a)) i++;
    else break;
  }
  if (i === start + 2 || text.charCodeAt(i) !== 0x2e /* . */) return undefined;
  const dot = i++;
  const nameStart = i;
  while (i < n) {
    const c = text.charCodeAt(i);
    if (c === 0x7d || c === 0x7b || c === 0x0a || c === 0x0d || c === 0x3d /* } { \n \r = */) break;
    i++;
  }
  if (text.charCodeAt(i) !== 0x7d || text.charCodeAt(i + 1) !== 0x7d) return undefined;
  const close = i;
  if (close === nameStart || !isVisibleAscii(text.charCodeAt(nameStart)) || !isVisibleAscii(text.charCodeAt(close - 1))) return undefined;
  return { namespace: text.slice(start + 2, dot), name: text.slice(nameStart, close), nameStart, nameEnd: close, start, end: close + 2 };
}

/** A printable ASCII character other than space: never trimmed from a name's ends. */
function isVisibleAscii(c: number): boolean {
  return c > 0x20 && c < 0x7f;
}

/** `{lead.First Name}}`: a token with one opening brace, which Marketo sends as written. */
function findSingleBraceTokens(text: string, problems: TokenProblem[]): void {
  if (!text.includes('}}')) return;
  const pattern = /(?<!\{)\{([A-Za-z]+)\.([^{}"\r\n]+)\}\}/g;
  for (let m = pattern.exec(text); m && problems.length < MAX_PROBLEMS; m = pattern.exec(text)) {
    if (!namespaceOf(m[1] ?? '')) continue;
    problems.push({
      code: 'token-malformed',
      message: `Malformed token \`${m[0]}\`: a token opens with two braces, \`{${m[0]}\`.`,
      start: m.index,
      end: m.index + m[0].length,
      replacement: `{${m[0]}`,
    });
  }
}

type InnerParse =
  | { token: Token }
  | { problem: Omit<TokenProblem, 'start' | 'end'> };

/** `inner` is the text between `{{` at `start` and `}}` ending at `end`. */
function parseTokenInner(inner: string, start: number, end: number): InnerParse {
  const innerStart = start + 2;
  const dot = inner.indexOf('.');
  // (With a dot in it, the inner text is never blank.)
  if (dot < 0 && inner.trim() === '') {
    return { problem: { code: 'token-malformed', message: 'Empty token `{{}}`: write `{{namespace.Name}}`, e.g. `{{lead.First Name}}`.' } };
  }
  if (dot <= 0) {
    return { problem: { code: 'token-malformed', message: `Malformed token \`{{${inner}}}\`: a token is \`{{namespace.Name}}\`, e.g. \`{{lead.${inner.trim() || 'First Name'}}}\`.` } };
  }
  const namespace = inner.slice(0, dot);
  if (/\s/.test(namespace)) {
    return { problem: { code: 'token-malformed', message: `Malformed token \`{{${inner}}}\`: no spaces are allowed around the namespace \`${namespace.trim()}\`.`, replacement: `{{${namespace.trim()}.${inner.slice(dot + 1)}}}` } };
  }
  const rest = inner.slice(dot + 1);
  // Both a default and a malformed one hold `=`: most tokens have none and skip the searches.
  const hasEquals = rest.includes('=');
  const marker = hasEquals ? rest.toLowerCase().indexOf(DEFAULT_MARKER) : -1;
  const name = marker >= 0 ? rest.slice(0, marker) : rest;
  const token: Token = { namespace, name, nameStart: innerStart + dot + 1, nameEnd: innerStart + dot + 1 + name.length, start, end };
  if (marker >= 0) token.defaultValue = rest.slice(marker + DEFAULT_MARKER.length);
  if (marker < 0 && hasEquals) {
    // `{{lead.Company=edit me}}`: a default written without `:default`, seen in published examples.
    const eq = rest.search(/:?\s*(?:default\s*)?=/i);
    if (eq >= 0) {
      const fixedName = rest.slice(0, eq).trim();
      const value = rest.slice(rest.indexOf('=', eq) + 1);
      return { problem: {
        code: 'token-default-syntax',
        message: `Malformed default in \`{{${inner}}}\`: write \`{{${namespace}.${fixedName}${DEFAULT_MARKER}${value}}}\`.`,
        replacement: `{{${namespace}.${fixedName}${DEFAULT_MARKER}${value}}}`,
      } };
    }
  }
  const trimmed = name.trim();
  if (trimmed === '') {
    return { problem: { code: 'token-malformed', message: `Malformed token \`{{${inner}}}\`: the name after \`${namespace}.\` is missing.` } };
  }
  if (name !== trimmed) {
    return { problem: { code: 'token-malformed', message: `Malformed token \`{{${inner}}}\`: the name has spaces at its ends, so Marketo does not recognise it.`, replacement: `{{${namespace}.${name.trim()}${marker >= 0 ? rest.slice(marker) : ''}}}` } };
  }
  return { token };
}

const SIMPLE_ESCAPES: Record<string, string> = { '"': '"', '\\': '\\', '/': '/', b: '\b', f: '\f', n: '\n', r: '\r', t: '\t' };

/** A JSON string literal decoded character by character with the file offset of each (json-string.ts decodeWithOffsets, without its chunking). */
export function referenceDecode(text: string, start: number, length: number): { value: string; offsets: number[] } {
  // The closing quote, unless an odd number of backslashes escapes it.
  const last = start + length - 1;
  let end = start + length;
  if (length >= 2 && text[last] === '"') {
    let backslashes = 0;
    for (let i = last - 1; i > start && text[i] === '\\'; i--) backslashes++;
    if (backslashes % 2 === 0) end = last;
  }
  let value = '';
  const offsets: number[] = [];
  let i = start + 1;
  while (i < end) {
    const c = text[i] as string;
    const e = i + 1 < end ? text[i + 1] : undefined;
    offsets.push(i);
    if (c !== '\\') {
      value += c;
      i++;
    } else if (e !== undefined && SIMPLE_ESCAPES[e] !== undefined) {
      value += SIMPLE_ESCAPES[e];
      i += 2;
    } else if (e === 'u' && /^[0-9a-fA-F]{4}$/.test(text.slice(i + 2, i + 6))) {
      value += String.fromCharCode(parseInt(text.slice(i + 2, i + 6), 16));
      i += 6;
    } else {
      value += '\\';
      i++;
    }
  }
  offsets.push(Math.max(i, start + 1));
  return { value, offsets };
}

/** Which tokens stand inside a JSON string (tokens/render.ts), character by character as it was. */
export function referenceTokensInsideJsonStrings(template: string, tokens: readonly Token[]): Set<number> {
  const inside = new Set<number>();
  let inString = false;
  let next = 0;
  for (let i = 0; i < template.length; i++) {
    while (tokens[next] && (tokens[next] as Token).end <= i) next++;
    const token = tokens[next];
    if (token && i >= token.start) {
      if (inString) inside.add(token.start);
      i = token.end - 1;
      next++;
      continue;
    }
    const c = template[i];
    if (c === '\\' && inString) i++;
    else if (c === '"') inString = !inString;
  }
  return inside;
}

/** The query parameters credentials.ts looked at, by its regular expression (quadratic on a long run without `=`). */
export function referenceQueryParameters(url: string): { key: string; valueStart: number; valueEnd: number }[] {
  const query = url.indexOf('?');
  if (query < 0) return [];
  const found: { key: string; valueStart: number; valueEnd: number }[] = [];
  const re = /([^?&=#]+)=([^&#]*)/g;
  re.lastIndex = query + 1;
  for (let m = re.exec(url); m; m = re.exec(url)) {
    const [, key = '', value = ''] = m;
    const valueStart = m.index + key.length + 1;
    found.push({ key, valueStart, valueEnd: valueStart + value.length });
  }
  return found;
}

/** Line starts as line-index.ts found them, character by character. */
export function referenceLineStarts(text: string): number[] {
  const starts = [0];
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 13) {
      if (text.charCodeAt(i + 1) === 10) i++;
      starts.push(i + 1);
    } else if (c === 10) {
      starts.push(i + 1);
    }
  }
  return starts;
}

/** The snippet of a body's first non-blank line (src/engine/outcome/answer-advice.ts) as it was: it split the whole body. */
export function referenceBodySnippet(body: string): string {
  const line = body.split(/\r\n|\r|\n/).map((l) => l.trim()).find((l) => l !== '') ?? '';
  const chars = [...line];
  return chars.length > 60 ? chars.slice(0, 60).join('') : line;
}
