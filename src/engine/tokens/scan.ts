// Marketo tokens: `{{namespace.Name}}` and `{{namespace.Name:default=value}}`. The one scanner that
// validation, substitution and completion agree on; what each namespace is lives in namespaces.ts.
import { namespaceOf, WRITTEN_NAMESPACES } from './namespaces';
import { BoundedCache } from '../text/bounded-cache';

export interface Token {
  /** offsets in the scanned text: `{{` … `}}` inclusive */
  start: number;
  end: number;
  /** the namespace as written (`lead`, `Lead`, `my`, …) */
  namespace: string;
  /** the name as written, without the default */
  name: string;
  /** offsets of `name` in the scanned text */
  nameStart: number;
  nameEnd: number;
  defaultValue?: string;
}

export type TokenProblemCode = 'token-unclosed' | 'token-malformed' | 'token-default-syntax';

export interface TokenProblem {
  code: TokenProblemCode;
  message: string;
  start: number;
  end: number;
  /** the corrected token text, when there is one obvious correction */
  replacement?: string;
}

/** Shared between callers (scans are remembered): never modify one. */
export interface TokenScan {
  readonly tokens: readonly Token[];
  readonly problems: readonly TokenProblem[];
}

const DEFAULT_MARKER = ':default=';
const MAX_PROBLEMS = 100;

/**
 * Finds every token in a text. `}}` without an opening `{{` is not a problem: JSON bodies close
 * nested objects that way. A `{{` that is not closed on its line is.
 */
export function scanTokens(text: string): TokenScan {
  // Validation, rendering and the JSON checks each scan the same template: remember the last few.
  return recentScans.getOrCreate(text, scanUncached);
}

const recentScans = new BoundedCache<string, TokenScan>({ maxEntries: 4 });

function scanUncached(text: string): TokenScan {
  const tokens: Token[] = [];
  const problems: TokenProblem[] = [];
  // Every `{{` asks where the next `}}` and `{{` are; remembered, so that a text of unclosed
  // tokens is searched once instead of to its end for each of them.
  const nextOpen = nextOf(text, '{{');
  const nextClose = nextOf(text, '}}');
  let from = 0;
  for (;;) {
    const open = nextOpen(from);
    if (open < 0) break;
    // `{{{` : the token starts at the last pair of braces, as in `{"a":{{lead.X}}}`.
    let start = open;
    while (text[start + 2] === '{') start++;
    const plain = plainToken(text, start, tokens[tokens.length - 1]?.name ?? '');
    if (plain) {
      tokens.push(plain);
      from = plain.end;
      continue;
    }
    const close = nextClose(start + 2);
    const reopen = nextOpen(start + 2);
    // Only a segment with no other `{{` in it is searched, so each character is looked at once:
    // for a line break (the token is unclosed) and for a single brace (see `stray` below).
    let lineBreak = -1;
    let stray = -1;
    if (close >= 0 && !(reopen >= 0 && reopen < close)) {
      for (let i = start + 2; i < close; i++) {
        const c = text.charCodeAt(i);
        if (c === 10 || c === 13) {
          lineBreak = i;
          break;
        }
        if (stray < 0 && (c === 0x7b || c === 0x7d)) stray = i - start - 2;
      }
    }
    const unclosed = close < 0 || (reopen >= 0 && reopen < close) || lineBreak >= 0;
    // A hostile text can hold thousands of problems; a hundred say enough and keep this linear.
    const full = problems.length >= MAX_PROBLEMS;
    if (unclosed) {
      // No `}}` after it: no token can follow, and no more problems are kept.
      if (full && close < 0) break;
      if (!full) {
        const limit = Math.min(close < 0 ? text.length : close, reopen >= 0 ? reopen : text.length);
        const end = lineBreak >= 0 ? lineBreak : lineBreakBefore(text, start, limit);
        problems.push({
          code: 'token-unclosed',
          message: `Unclosed token: \`${text.slice(start, Math.min(end, start + 60))}\` has no closing \`}}\`.`,
          start,
          end: Math.max(end, start + 2),
        });
      }
      from = start + 2;
      continue;
    }
    // A brace inside means this `{{` was never closed and a later `}}` (a JSON body's nested
    // objects) was found instead: `{"a": {{lead.City}, "b": {"c": 1}}`.
    if (stray >= 0) {
      if (!full) {
        const end = start + 2 + stray + (text[start + 2 + stray] === '}' ? 1 : 0);
        const written = text.slice(start, end);
        problems.push({
          code: 'token-unclosed',
          message: `Unclosed token: \`${written.slice(0, 60)}\` has no closing \`}}\`.`,
          start,
          end,
          ...(written.endsWith('}') ? { replacement: `${written}}` } : {}),
        });
      }
      from = start + 2;
      continue;
    }
    const end = close + 2;
    const parsed = parseTokenInner(text, start, end);
    if ('token' in parsed) tokens.push(parsed.token);
    else if (!full) problems.push({ ...parsed.problem(), start, end });
    from = end;
  }
  findSingleBraceTokens(text, problems);
  return { tokens, problems };
}

/**
 * `find(from)`: the first `needle` at or after `from`, like `text.indexOf(needle, from)`, for
 * positions that never go back: an answer past `from` stays right and is not searched again, so
 * asking at every step of a walk costs one pass over the text.
 */
export function nextOf(text: string, needle: string): (from: number) => number {
  let asked = -1;
  let found = -1;
  return (from) => {
    if (from < asked || (found >= 0 && found < from) || asked < 0) found = text.indexOf(needle, from);
    asked = from;
    return found;
  };
}

/** The first line break in [from, to), or `to`. */
function lineBreakBefore(text: string, from: number, to: number): number {
  for (let i = from; i < to; i++) {
    const c = text.charCodeAt(i);
    if (c === 10 || c === 13) return i;
  }
  return to;
}

/**
 * The common token, `{{letters.Name}}` at `start`, read in one pass: closed on its line by the
 * first `}}`, with no other brace and no `=` inside and no space at the name's ends. Everything
 * else is left to the general path in scanUncached, which finds the same token for these.
 */
function plainToken(text: string, start: number, lastName: string): Token | undefined {
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
  // A template repeats names: one string for a name written as the last one was.
  const name = lastName.length === close - nameStart && text.startsWith(lastName, nameStart) ? lastName : text.slice(nameStart, close);
  return { namespace: namespaceText(text, start + 2, dot), name, nameStart, nameEnd: close, start, end: close + 2 };
}

/** A namespace as written: one string for each usual spelling, which a template repeats thousands of times. */
function namespaceText(text: string, from: number, to: number): string {
  for (const ns of WRITTEN_NAMESPACES) if (ns.length === to - from && text.startsWith(ns, from)) return ns;
  return text.slice(from, to);
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
  /** the problem's text is only built when it is reported (a hostile text can hold millions) */
  | { problem: () => Omit<TokenProblem, 'start' | 'end'> };

/** The token from `{{` at `start` to `}}` ending at `end`, or what is wrong with it. */
function parseTokenInner(text: string, start: number, end: number): InnerParse {
  const inner = text.slice(start + 2, end - 2);
  const innerStart = start + 2;
  const dot = inner.indexOf('.');
  // (With a dot in it, the inner text is never blank.)
  if (dot < 0 && inner.trim() === '') {
    return { problem: () => ({ code: 'token-malformed', message: 'Empty token `{{}}`: write `{{namespace.Name}}`, e.g. `{{lead.First Name}}`.' }) };
  }
  if (dot <= 0) {
    return { problem: () => ({ code: 'token-malformed', message: `Malformed token \`{{${inner}}}\`: a token is \`{{namespace.Name}}\`, e.g. \`{{lead.${inner.trim() || 'First Name'}}}\`.` }) };
  }
  const namespace = inner.slice(0, dot);
  if (/\s/.test(namespace)) {
    return { problem: () => ({ code: 'token-malformed', message: `Malformed token \`{{${inner}}}\`: no spaces are allowed around the namespace \`${namespace.trim()}\`.`, replacement: `{{${namespace.trim()}.${inner.slice(dot + 1)}}}` }) };
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
    const equals = rest.indexOf('=');
    const fixedName = rest.slice(0, looseMarkerStart(rest, equals)).trim();
    const value = rest.slice(equals + 1);
    return { problem: () => ({
      code: 'token-default-syntax',
      message: `Malformed default in \`{{${inner}}}\`: write \`{{${namespace}.${fixedName}${DEFAULT_MARKER}${value}}}\`.`,
      replacement: `{{${namespace}.${fixedName}${DEFAULT_MARKER}${value}}}`,
    }) };
  }
  const trimmed = name.trim();
  if (trimmed === '') {
    return { problem: () => ({ code: 'token-malformed', message: `Malformed token \`{{${inner}}}\`: the name after \`${namespace}.\` is missing.` }) };
  }
  if (name !== trimmed) {
    return { problem: () => ({ code: 'token-malformed', message: `Malformed token \`{{${inner}}}\`: the name has spaces at its ends, so Marketo does not recognise it.`, replacement: `{{${namespace}.${name.trim()}${marker >= 0 ? rest.slice(marker) : ''}}}` }) };
  }
  return { token };
}

/**
 * Where the default marker as people mistype it (`=`, `:=`, `: default =`; the regular expression
 * /:?\s*(?:default\s*)?=/i) starts before the first `=` at `equals`. Read backwards from the `=`:
 * searching for the expression forwards retries every blank of a long run of them.
 */
function looseMarkerStart(rest: string, equals: number): number {
  const blanksBefore = (i: number) => {
    while (i > 0 && /\s/.test(rest[i - 1] as string)) i--;
    return i;
  };
  let at = blanksBefore(equals);
  if (at >= 7 && rest.slice(at - 7, at).toLowerCase() === 'default') at = blanksBefore(at - 7);
  return rest[at - 1] === ':' ? at - 1 : at;
}
