// Secret token values never leave the engine: a run result is masked before anyone sees it,
// including what the service echoes back and every encoded form a service plausibly writes the
// value in (percent-encodings, JSON and HTML escapes, base64, a host name). One module: the forms
// of a secret, and how text, data and a run result are masked with them.
import type { RunResult } from '../types';
import { carriedAsWritten } from '../http/wire-url';
import { BoundedCache } from '../text/bounded-cache';
import { MIN_SECRET_LENGTH } from '../limits';

export const MASK = '••••';


/**
 * A base64 form is masked only from this many characters on (padding not counted): a shorter run
 * is as likely to be any other text, while 6 characters (36 bits) rarely occur by chance even in
 * a 10 MB body of base64. So a secret's own base64 is masked from 4 bytes on, and the part of a
 * longer run (`base64(user:secret)`) that depends on the secret alone from 5 bytes on.
 */
const MIN_BASE64_CHARS = 6;

/** Whether a secret is too short to be masked; checked wherever a secret is entered or used. */
export function secretTooShort(secret: string): boolean {
  return [...secret].length < MIN_SECRET_LENGTH;
}

/** Why, for messages: "The secret … is too short: {SECRET_TOO_SHORT}." */
export const SECRET_TOO_SHORT = `a secret needs at least ${MIN_SECRET_LENGTH} characters, since a shorter one cannot be masked in what a run shows`;

// ---- the forms of a secret ----------------------------------------------------------------------

/** `\uXXXX` for one UTF-16 code unit. */
function uEscape(code: number, upper: boolean): string {
  const hex = code.toString(16).padStart(4, '0');
  return `\\u${upper ? hex.toUpperCase() : hex}`;
}

interface JsonStyle {
  /** `/` as `\/` (PHP) */
  slash?: boolean;
  /** every non-ASCII unit as `\uXXXX` (PHP, Python's ensure_ascii, Jackson, .NET) */
  nonAscii?: boolean;
  /** ASCII characters also written as `\uXXXX` (Go: `<>&`, Gson also `='`, .NET also `"'+\``) */
  extra?: string;
  /** U+2028 and U+2029 as `\u2028` (Go, Gson) */
  lineSeparators?: boolean;
  /** every control character as `\u00XX`, none as `\n` (older Go) */
  controlsAsU?: boolean;
}

const SHORT_ESCAPES: Record<string, string> = { '"': '\\"', '\\': '\\\\', '\b': '\\b', '\f': '\\f', '\n': '\\n', '\r': '\\r', '\t': '\\t' };

/** The JSON escapings real services write; each also with upper-case hex. */
const JSON_STYLES: readonly JsonStyle[] = [
  {}, // JSON.stringify, Python with ensure_ascii=False, Ruby
  { slash: true, nonAscii: true }, // PHP json_encode
  { slash: true }, // PHP with JSON_UNESCAPED_UNICODE
  { nonAscii: true }, // Python json.dumps, PHP with JSON_UNESCAPED_SLASHES, Jackson's ESCAPE_NON_ASCII
  { extra: '<>&', lineSeparators: true }, // Go encoding/json, Rails
  { extra: '<>&=\'', lineSeparators: true }, // Gson
  { extra: '"&\'+<>`', nonAscii: true }, // .NET System.Text.Json
  { controlsAsU: true },
];

function jsonEscape(text: string, style: JsonStyle, upper: boolean): string {
  let out = '';
  for (let i = 0; i < text.length; i++) {
    const c = text.charAt(i);
    const code = text.charCodeAt(i);
    if (style.extra?.includes(c)) out += uEscape(code, upper);
    else if (c === '/' && style.slash) out += '\\/';
    else if (code < 0x20 && style.controlsAsU) out += uEscape(code, upper);
    else if (SHORT_ESCAPES[c] !== undefined) out += SHORT_ESCAPES[c];
    else if (code < 0x20) out += uEscape(code, upper);
    else if (code > 0x7e && style.nonAscii) out += uEscape(code, upper);
    else if ((code === 0x2028 || code === 0x2029) && style.lineSeparators) out += uEscape(code, upper);
    // A lone surrogate cannot be written as UTF-8: JSON.stringify escapes it.
    else if (code >= 0xd800 && code <= 0xdfff && !isPaired(text, i)) out += uEscape(code, upper);
    else out += c;
  }
  return out;
}

function isPaired(text: string, i: number): boolean {
  const code = text.charCodeAt(i);
  if (code <= 0xdbff) return (text.charCodeAt(i + 1) & 0xfc00) === 0xdc00;
  return (text.charCodeAt(i - 1) & 0xfc00) === 0xd800;
}

/** Each JSON escaping, alone, inside itself, and inside a plain JSON string (a JSON string in a JSON string). */
function jsonForms(secret: string): string[] {
  const out: string[] = [];
  for (const style of JSON_STYLES) {
    for (const upper of [false, true]) {
      const once = jsonEscape(secret, style, upper);
      out.push(once, jsonEscape(once, style, upper), jsonEscape(once, {}, false));
    }
  }
  // Not JSON: control characters alone written as `\u00XX`, as http/response-body.ts quotes a body.
  // eslint-disable-next-line no-control-regex
  out.push(secret.replace(/[\u0000-\u001f\u007f-\u009f]/g, (c) => uEscape(c.charCodeAt(0), false)));
  return out;
}

/** The HTML and XML ways to write `"` and `'`; the first pair is for text that escapes neither. */
const HTML_QUOTES: readonly (readonly [string, string])[] = [
  ['"', "'"], ['&quot;', "'"], ['&quot;', '&#39;'], ['&quot;', '&#039;'], ['&quot;', '&#x27;'], ['&quot;', '&apos;'], ['&#34;', '&#39;'],
];

type CharRef = (code: number) => string;
const decimalRef: CharRef = (code) => `&#${code};`;
const hexRef: CharRef = (code) => `&#x${code.toString(16)};`;
const upperHexRef: CharRef = (code) => `&#x${code.toString(16).toUpperCase()};`;

/** HTML/XML escapes (PHP htmlspecialchars, lodash, Python html.escape, Go, XML), non-ASCII raw or as character references. */
function htmlForms(secret: string): string[] {
  const out: string[] = [];
  const named = (c: string, quotes: readonly [string, string]): string | undefined =>
    c === '&' ? '&amp;' : c === '<' ? '&lt;' : c === '>' ? '&gt;' : c === '"' ? quotes[0] : c === "'" ? quotes[1] : undefined;
  for (const nonAscii of [undefined, decimalRef, hexRef, upperHexRef]) {
    for (const quotes of HTML_QUOTES) {
      let text = '';
      for (const c of secret) {
        const code = c.codePointAt(0) ?? 0;
        text += named(c, quotes) ?? (code > 0x7e && nonAscii ? nonAscii(code) : c);
      }
      out.push(text);
    }
    // Encoders that write every special character as a reference (&#38; &#60; …).
    const ref = nonAscii ?? decimalRef;
    let all = '';
    for (const c of secret) {
      const code = c.codePointAt(0) ?? 0;
      all += '&<>"\''.includes(c) || code > 0x7e ? ref(code) : c;
    }
    out.push(all);
  }
  return out;
}

/** Bytes an encoder leaves as they are; every other byte of the UTF-8 form becomes `%XX`. */
interface PercentStyle {
  keep: (byte: number) => boolean;
  /** a space as `+` (form encoding) */
  plus?: boolean;
  /** a URL parser's set: it drops tabs and newlines before it encodes */
  parser?: boolean;
}

const isAlnum = (b: number): boolean => (b >= 0x30 && b <= 0x39) || (b >= 0x41 && b <= 0x5a) || (b >= 0x61 && b <= 0x7a);
/** ASCII printable bytes not in `set` (the URL standard's sets are what it encodes beyond the C0 control set). */
const printableExcept = (set: string) => (b: number): boolean => b > 0x20 && b < 0x7f && !set.includes(String.fromCharCode(b));
const alnumAnd = (set: string) => (b: number): boolean => isAlnum(b) || set.includes(String.fromCharCode(b));

// The URL standard's percent-encode sets (https://url.spec.whatwg.org/#percent-encoded-bytes).
const QUERY_SET = ' "#<>';
const PATH_SET = `${QUERY_SET}?\`{}`;
const USERINFO_SET = `${PATH_SET}/:;=@[\\]^|`;
const COMPONENT_SET = `${USERINFO_SET}$%&+,`;

const PERCENT_STYLES: readonly PercentStyle[] = [
  { keep: carriedAsWritten }, // a URL as sent (wire-url.ts): only what a request line cannot carry
  { keep: printableExcept(PATH_SET), parser: true }, // path, as Node's URL writes it
  { keep: printableExcept(`${PATH_SET}^`), parser: true }, // path, as the current standard writes it
  { keep: printableExcept(QUERY_SET), parser: true }, // query
  { keep: printableExcept(`${QUERY_SET}'`), parser: true }, // query of a special URL (http, https)
  { keep: printableExcept(' "<>`'), parser: true }, // fragment
  { keep: printableExcept(USERINFO_SET), parser: true }, // user name and password
  { keep: printableExcept(COMPONENT_SET) }, // component: encodeURIComponent
  { keep: printableExcept(`${COMPONENT_SET}!'()~`), plus: true }, // form: URLSearchParams, Java URLEncoder
  { keep: alnumAnd("-_.!~*'();,/?:@&=+$#") }, // encodeURI
  { keep: alnumAnd('-._~') }, // RFC 3986: PHP rawurlencode, Python quote(safe='')
  { keep: alnumAnd('-._~/') }, // Python quote
  { keep: alnumAnd('-._~'), plus: true }, // Go url.QueryEscape
  { keep: alnumAnd('-._'), plus: true }, // PHP urlencode
  { keep: alnumAnd("-._~$&+,:;=@") }, // Go url.PathEscape
];

function percentEncode(text: string, style: PercentStyle): string {
  let out = '';
  for (const byte of Buffer.from(text, 'utf8')) {
    if (byte === 0x20 && style.plus) out += '+';
    else if (style.keep(byte)) out += String.fromCharCode(byte);
    else out += `%${byte.toString(16).toUpperCase().padStart(2, '0')}`;
  }
  return out;
}

/**
 * Percent-encodings, each also with lower-case hex, and as they read once JSON (PHP's `\/`, Go's
 * `\u0026`) or HTML (`&amp;`) escapes them; plus what Node's URL parser makes of the secret in a
 * path or a query, should it differ from the sets above.
 */
function urlForms(secret: string): string[] {
  const encoded = new Set<string>();
  for (const style of PERCENT_STYLES) {
    encoded.add(percentEncode(secret, style));
    // A URL parser drops tabs and newlines first (a URL's setters do not).
    if (style.parser) encoded.add(percentEncode(secret.replace(/[\t\n\r]/g, ''), style));
  }
  const parsed = (text: string, part: (url: URL) => string): void => {
    try {
      encoded.add(part(new URL(text)));
    } catch {
      // not a possible URL
    }
  };
  // A `?` or `#` in a secret written in a path splits it: each part on its own, and together.
  parsed(`http://h/${secret}`, (url) => `${url.pathname}${url.search}${url.hash}`.slice(1));
  parsed(`http://h/${secret}`, (url) => url.pathname.slice(1));
  parsed(`http://h/${secret}`, (url) => url.search.slice(1));
  parsed(`http://h/?${secret}`, (url) => `${url.search}${url.hash}`.slice(1));
  parsed(`http://h/?${secret}`, (url) => url.search.slice(1));
  const out: string[] = [];
  for (const e of encoded) {
    for (const f of [e, e.replace(/%[0-9A-F]{2}/g, (m) => m.toLowerCase())]) {
      out.push(f, f.replace(/\//g, '\\/'), f.replace(/&/g, '&amp;'), f.replace(/&/g, '\\u0026'));
    }
  }
  return out;
}

/**
 * As a host name: lower case, and IDNA's punycode for non-ASCII, as a URL parser and a DNS error
 * write it. Only when the whole secret can be a host: one that holds a delimiter would be cut.
 */
function hostForms(secret: string): string[] {
  const out = [secret.toLowerCase()];
  if (!/[/\\?#@:]/.test(secret)) {
    try {
      out.push(new URL(`http://${secret}/`).hostname);
    } catch {
      // not a possible host
    }
  }
  return out;
}

/**
 * Base64, standard and URL-safe, with and without padding; and, for a secret inside a longer
 * base64 run (HTTP Basic's `base64(user:secret)`, a token holding it), the characters that depend
 * on the secret alone in each of the three byte alignments. The characters at either end of such
 * a run also carry bits of the neighbouring bytes and stay as they are.
 */
function base64Forms(secret: string): string[] {
  const bytes = Buffer.from(secret, 'utf8');
  const whole = bytes.toString('base64');
  const standard = [whole, whole.replace(/=+$/, '')];
  for (const before of [0, 1, 2]) {
    const encoded = Buffer.concat([Buffer.alloc(before), bytes, Buffer.alloc(2)]).toString('base64');
    // Character k holds bits 6k to 6k+5; the secret holds bits 8·before to 8·(before+length)−1.
    standard.push(encoded.slice(Math.ceil((8 * before) / 6), Math.floor((8 * (before + bytes.length)) / 6)));
  }
  const all = standard.flatMap((s) => [s, s.replace(/\+/g, '-').replace(/\//g, '_')]);
  return all.filter((s) => s.replace(/=+$/, '').length >= MIN_BASE64_CHARS);
}

/** The forms a secret can take in a request or a response, longest first. */
export function secretForms(secret: string): string[] {
  if (secret === '') return [];
  // A run asks for the forms of the same few secrets again and again.
  const forms = recentForms.getOrCreate(secret, () => {
    const all = new Set([secret, ...jsonForms(secret), ...htmlForms(secret), ...urlForms(secret), ...hostForms(secret), ...base64Forms(secret)]);
    // A form shorter than a secret may be is as likely to be any other text (a URL parser drops
    // `.` and `..` path segments, for one); the secret itself is always masked.
    return [...all].filter((f) => f === secret || f.length >= MIN_SECRET_LENGTH).sort((a, b) => b.length - a.length);
  });
  return [...forms];
}

const recentForms = new BoundedCache<string, readonly string[]>({ maxEntries: 16 });

// ---- masking text -------------------------------------------------------------------------------

/** A list of forms made ready for masking, kept for the next runs with the same secrets. */
interface Masker {
  forms: readonly string[];
  /** every form in one alternation: one pass tells whether a text holds any */
  any: RegExp;
  /** numbers a form reads as (a numeric secret parsed from JSON can lose its text: `1.50` is 1.5) */
  numbers: ReadonlySet<number>;
}

const maskers = new BoundedCache<string, Masker>({ maxEntries: 16 });

function maskerFor(forms: readonly string[]): Masker {
  return maskers.getOrCreate(JSON.stringify(forms), () => {
    const list = forms.filter((f) => f !== '');
    const numbers = new Set<number>();
    for (const form of list) if (/^-?\d+(\.\d+)?([eE][+-]?\d+)?$/.test(form)) numbers.add(Number(form));
    return { forms: list, any: list.length > 0 ? new RegExp(list.map((f) => f.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('|')) : /(?!)/, numbers };
  });
}

/** Whether the text may hold a form; false is certain. */
function mayHoldForm(text: string, masker: Masker): boolean {
  // On a large text a native search per form beats one alternation while the forms are few
  // (10 MB: 6 forms 12 ms against 42 ms; 117 forms 63 ms against 13 ms).
  if (text.length > 65_536 && masker.forms.length <= 24) return masker.forms.some((f) => text.includes(f));
  return masker.any.test(text);
}

/** Where the text holds a form: start and end offsets, in pairs. */
function findForms(text: string, masker: Masker, spans: number[]): void {
  if (!mayHoldForm(text, masker)) return;
  // One search per form; overlapping occurrences (of one form or of two) are all found, so that
  // masking leaves no part of any. A run of overlapping occurrences of one form is one span.
  for (const form of masker.forms) {
    let last = -1;
    for (let at = text.indexOf(form); at !== -1; at = text.indexOf(form, at + 1)) {
      if (last >= 0 && at < (spans[last] ?? 0)) spans[last] = at + form.length;
      else {
        spans.push(at, at + form.length);
        last = spans.length - 1;
      }
    }
  }
}

/** The text with each span (merged where they overlap) replaced by one MASK. */
function replaceSpans(text: string, spans: number[]): string {
  if (spans.length === 0) return text;
  const pairs: [number, number][] = [];
  for (let i = 0; i < spans.length; i += 2) pairs.push([spans[i] ?? 0, spans[i + 1] ?? 0]);
  pairs.sort((a, b) => a[0] - b[0] || b[1] - a[1]);
  let out = '';
  let from = 0;
  let open: [number, number] | undefined;
  for (const pair of pairs) {
    if (open && pair[0] < open[1]) {
      open[1] = Math.max(open[1], pair[1]);
      continue;
    }
    if (open) {
      out += text.slice(from, open[0]) + MASK;
      from = open[1];
    }
    open = [pair[0], pair[1]];
  }
  if (open) {
    out += text.slice(from, open[0]) + MASK;
    from = open[1];
  }
  return out + text.slice(from);
}

function textMasked(text: string, masker: Masker): string {
  if (text === '') return text;
  const spans: number[] = [];
  findForms(text, masker, spans);
  return replaceSpans(text, spans);
}

/** Every occurrence of every form replaced by MASK. */
export function maskText(text: string, forms: readonly string[]): string {
  return forms.length === 0 ? text : textMasked(text, maskerFor(forms));
}

/** Length of the longest end of `text[0, end)` that starts a form without being all of it; 0 if none. */
function startOfFormBefore(text: string, end: number, forms: readonly string[]): number {
  let best = 0;
  for (const form of forms) {
    for (let k = Math.min(form.length - 1, end); k > best; k--) {
      if (text.startsWith(form.slice(0, k), end - k)) {
        best = k;
        break;
      }
    }
  }
  return best;
}

/** Length of the longest start of `text[start…]` that ends a form without being all of it; 0 if none. */
function endOfFormAfter(text: string, start: number, forms: readonly string[]): number {
  let best = 0;
  for (const form of forms) {
    for (let k = Math.min(form.length - 1, text.length - start); k > best; k--) {
      if (text.startsWith(form.slice(form.length - k), start)) {
        best = k;
        break;
      }
    }
  }
  return best;
}

/**
 * A body cut at the size limit (send.ts): masked like any text, and so is any end of it that
 * starts a form, since the rest of that form was cut off. A character cut in two decodes as
 * U+FFFD, which goes with it. Masking here, where the cut is known, rather than having send keep
 * bytes beyond the limit to mask first: the limit stays one rule in one place, and masking a few
 * characters at the end of a text that is incomplete anyway costs nothing.
 */
export function maskCutText(text: string, forms: readonly string[]): string {
  return forms.length === 0 ? text : cutTextMasked(text, maskerFor(forms));
}

function cutTextMasked(text: string, masker: Masker): string {
  if (text === '') return text;
  const spans: number[] = [];
  findForms(text, masker, spans);
  let end = text.length;
  while (end > 0 && text.charCodeAt(end - 1) === 0xfffd) end--;
  const cut = startOfFormBefore(text, end, masker.forms);
  if (cut > 0) spans.push(end - cut, text.length);
  return replaceSpans(text, spans);
}

/**
 * The engine's own messages quote values cut short: `"abc..."` (mappings.ts, field-values.ts),
 * V8's JSON errors `"abcdefghij"...` and `..."klmnop" x"...`, and a message shortened with `…`.
 * Besides every whole form, a start of a form just before such a cut, and an end of one just after
 * a quoted one, are masked. (A service's own text is not treated so: `...` there is its business,
 * and a letter before it would too often happen to start a secret.)
 */
export function maskMessage(text: string, forms: readonly string[]): string {
  return forms.length === 0 ? text : messageMasked(text, maskerFor(forms));
}

function messageMasked(text: string, masker: Masker): string {
  if (text === '') return text;
  const spans: number[] = [];
  findForms(text, masker, spans);
  for (const marker of ['...', '…']) {
    for (let at = text.indexOf(marker); at !== -1; at = text.indexOf(marker, at + marker.length)) {
      const after = at + marker.length;
      for (const end of text[at - 1] === '"' ? [at, at - 1] : [at]) {
        const n = startOfFormBefore(text, end, masker.forms);
        if (n > 0) spans.push(end - n, end);
      }
      if (text[after] === '"') {
        const n = endOfFormAfter(text, after + 1, masker.forms);
        if (n > 0) spans.push(after + 1, after + 1 + n);
      }
    }
  }
  return replaceSpans(text, spans);
}

// ---- masking data and a run result --------------------------------------------------------------

/** Sets an own property, even `__proto__` (a parsed response can hold that key), never a prototype. */
function setOwn(target: Record<string, unknown>, key: string, value: unknown): void {
  if (key === '__proto__') Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
  else target[key] = value;
}

/**
 * A copy of data from a service (a parsed body, headers) with every key and string masked, and
 * every number or boolean whose text holds a form replaced by the string MASK. Returns the value
 * itself when there is nothing to mask.
 */
export function maskDeep<T>(value: T, forms: readonly string[]): T {
  return forms.length === 0 ? value : (dataMasked(value, maskerFor(forms)) as T);
}

function dataMasked(v: unknown, masker: Masker): unknown {
  if (typeof v === 'string') return textMasked(v, masker);
  if (typeof v === 'number' || typeof v === 'boolean') {
    return (typeof v === 'number' && masker.numbers.has(v)) || mayHoldForm(String(v), masker) ? MASK : v;
  }
  if (Array.isArray(v)) return v.map((item) => dataMasked(item, masker));
  if (v && typeof v === 'object') {
    const copy: Record<string, unknown> = {};
    for (const k of Object.keys(v)) {
      const masked = textMasked(k, masker);
      let key = masked;
      // Two keys masked alike stay two keys.
      for (let n = 2; Object.hasOwn(copy, key); n++) key = `${masked} (${n})`;
      setOwn(copy, key, dataMasked((v as Record<string, unknown>)[k], masker));
    }
    return copy;
  }
  return v;
}

/** Parts of a run result that hold a service's data (headers) or a value from its answer (a mapping's). */
const DATA_KEYS = new Set(['headers', 'value']);
/** Parts that hold the engine's sentences, which quote values cut short. */
const MESSAGE_KEYS = new Set(['message', 'reason', 'note', 'summary', 'steps']);

/**
 * A copy of a run result with every form of the secrets masked: its own keys and numbers (status,
 * sizes, durations, positions) kept, every string masked, the service's data (headers, mapped
 * values) masked whole with maskDeep, the engine's messages with maskMessage, and a body cut at
 * the size limit with maskCutText. Returns the result itself when there is nothing to mask.
 */
export function maskRunResult(result: RunResult, forms: readonly string[]): RunResult {
  if (forms.length === 0) return result;
  const masker = maskerFor(forms);
  const walk = (v: unknown, key: string, parent: Record<string, unknown> | undefined): unknown => {
    if (typeof v === 'string') {
      if (key === 'body' && parent?.truncated === true) return cutTextMasked(v, masker);
      return MESSAGE_KEYS.has(key) ? messageMasked(v, masker) : textMasked(v, masker);
    }
    if (Array.isArray(v)) return v.map((item) => walk(item, key, parent));
    if (v && typeof v === 'object') {
      const object = v as Record<string, unknown>;
      const copy: Record<string, unknown> = {};
      for (const k of Object.keys(object)) setOwn(copy, k, DATA_KEYS.has(k) ? dataMasked(object[k], masker) : walk(object[k], k, object));
      return copy;
    }
    return v;
  };
  return walk(result, '', undefined) as RunResult;
}
