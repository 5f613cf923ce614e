// Decodes a JSON string literal while remembering where each decoded character came from, so a
// token found in a string value can be underlined at its exact place in the file.

export interface DecodedString {
  value: string;
  /** offsets[i] is the file offset of decoded character i; offsets[value.length] is the closing quote */
  readonly offsets: number[];
  /**
   * offsets[i] alone (undefined outside 0…value.length), where that is cheaper than working out
   * every offset: placing a few diagnostics in a 5 MB string then costs next to nothing.
   */
  offsetAt?(i: number): number | undefined;
}

const SIMPLE_ESCAPES: Record<string, string> = { '"': '"', '\\': '\\', '/': '/', b: '\b', f: '\f', n: '\n', r: '\r', t: '\t' };

/**
 * `start` is the offset of the opening quote in `text`. Never throws; bad escapes decode as written.
 * `knownValue`: the decoded value when the caller has it already (a JSON parser's, for a literal it
 * read without errors), so only the offsets are left to work out.
 * The value is decoded at once, natively; `offsets`, needed only to place a diagnostic, is worked
 * out on first use, so a large template that has no problems never pays for an offset per
 * character, and `offsetAt` places a few without working out all of them.
 */
export function decodeJsonString(text: string, start: number, length: number, knownValue?: string): DecodedString {
  const end = closingQuote(text, start, length);
  const value = knownValue ?? valueBetween(text, start, end);
  let offsets: number[] | undefined;
  const decoded: DecodedString = {
    value,
    get offsets(): number[] {
      offsets ??= decodeWithOffsets(text, start, end).offsets;
      return offsets;
    },
  };
  // (Not enumerable: the decoded string still reads as its value and offsets.)
  Object.defineProperty(decoded, 'offsetAt', { value: offsetFinder(text, start, end, value.length) });
  return decoded;
}

/** decodeJsonString's value alone, for a literal whose place is not needed. */
export function decodeJsonValue(text: string, start: number, length: number): string {
  return valueBetween(text, start, closingQuote(text, start, length));
}

/**
 * The value decodeWithOffsets gives, without an offset per character and without a string per
 * escape: a literal of a million escapes decodes in one pass over a buffer. JSON.parse, faster
 * still, decodes a literal whose escapes are all valid.
 */
function valueBetween(text: string, start: number, end: number): string {
  const raw = text.slice(start + 1, Math.max(end, start + 1));
  if (!raw.includes('\\')) return raw;
  if (validEscapes(raw)) {
    try {
      const parsed: unknown = JSON.parse(`"${raw}"`);
      if (typeof parsed === 'string') return parsed;
    } catch {
      // decoded below
    }
  }
  // A short literal (a template line, a key) is put together directly.
  if (raw.length < 256) return decodeWithOffsets(text, start, end).value;
  const out = new Uint16Array(Math.max(0, end - start));
  let n = 0;
  for (let i = start + 1; i < end; ) {
    const c = text.charCodeAt(i);
    const step = c === 0x5c ? stepAt(text, i, end) : 1;
    if (step === 2) out[n++] = (SIMPLE_ESCAPES[text[i + 1] as string] as string).charCodeAt(0);
    else if (step === 6) out[n++] = parseInt(text.slice(i + 2, i + 6), 16);
    else out[n++] = c;
    i += step;
  }
  return stringOfCharCodes(out, n);
}

/** Code units are stored little-endian here, as Node reads UTF-16 (true on every platform VS Code runs on). */
const LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

/** The string of the first `n` UTF-16 code units of `codes` (lone surrogates kept as they are). */
export function stringOfCharCodes(codes: Uint16Array, n: number): string {
  // Node's decoder reads megabytes at once (and keeps lone surrogates).
  if (LITTLE_ENDIAN) return Buffer.from(codes.buffer, codes.byteOffset, n * 2).toString('utf16le');
  const parts: string[] = [];
  // (fromCharCode takes its characters as arguments: a few thousand at a time.)
  for (let k = 0; k < n; k += 8192) parts.push(String.fromCharCode(...codes.subarray(k, Math.min(n, k + 8192))));
  return parts.join('');
}

/**
 * Every escape is one JSON knows and no control character is raw: what JSON.parse needs of a
 * literal's contents (checked first: a thrown error costs more than the decoding, and a hostile
 * file can hold a million such literals).
 */
function validEscapes(raw: string): boolean {
  for (let i = raw.indexOf('\\'); i >= 0; i = raw.indexOf('\\', i + 2)) {
    const e = raw[i + 1] as string;
    if (e === 'u') {
      if (!/^[0-9a-fA-F]{4}$/.test(raw.slice(i + 2, i + 6))) return false;
    } else if (SIMPLE_ESCAPES[e] === undefined) {
      return false;
    }
  }
  for (let i = 0; i < raw.length; i++) if (raw.charCodeAt(i) < 0x20) return false;
  return true;
}

/** How many characters of the literal the decoded character at `i` takes (decodeWithOffsets' steps). */
function stepAt(text: string, i: number, end: number): number {
  if (text.charCodeAt(i) !== 0x5c /* backslash */) return 1;
  const e = i + 1 < end ? text[i + 1] as string : undefined;
  if (e !== undefined && SIMPLE_ESCAPES[e] !== undefined) return 2;
  if (e === 'u' && /^[0-9a-fA-F]{4}$/.test(text.slice(i + 2, i + 6))) return 6;
  return 1;
}

/** The offset of decoded characters 0, OFFSET_STRIDE, 2 × OFFSET_STRIDE, … up to `n`, in one pass from escape to escape. */
function strideMarks(text: string, start: number, end: number, n: number): number[] {
  const marks: number[] = [];
  let k = 0; // decoded characters before `at`
  let at = start + 1;
  while (k <= n) {
    // Up to the next backslash, every character is one of the literal's.
    let escape = text.indexOf('\\', at);
    if (escape < 0 || escape >= end) escape = Math.max(end, at);
    const runEnd = k + (escape - at);
    for (let m = Math.ceil(k / OFFSET_STRIDE) * OFFSET_STRIDE; m < runEnd && m <= n; m += OFFSET_STRIDE) marks.push(at + (m - k));
    if (runEnd > n) break;
    at = escape;
    k = runEnd;
    if (k % OFFSET_STRIDE === 0) marks.push(at);
    if (k === n) break;
    at += stepAt(text, at, end);
    k++;
  }
  return marks;
}

/** Characters between two remembered offsets: a lookup walks at most this many. */
const OFFSET_STRIDE = 256;

/** offsets[i] of a literal whose value has `n` characters, without an offset per character. */
function offsetFinder(text: string, start: number, end: number, n: number): (i: number) => number | undefined {
  // Every escape is longer than its character: a value as long as the literal's contents has
  // none, and character i stands right after the opening quote plus i.
  if (n === end - start - 1) return (i) => (Number.isInteger(i) && i >= 0 && i <= n ? start + 1 + i : undefined);
  // Otherwise the offset of every OFFSET_STRIDE-th character, worked out on the first lookup.
  let marks: number[] | undefined;
  return (i) => {
    if (!Number.isInteger(i) || i < 0 || i > n) return undefined;
    marks ??= strideMarks(text, start, end, n);
    const mark = Math.floor(i / OFFSET_STRIDE);
    let at = marks[mark] as number;
    for (let k = mark * OFFSET_STRIDE; k < i; k++) at += stepAt(text, at, end);
    // The last offset is the closing quote (or the end of an unterminated literal).
    return i === n ? Math.max(at, start + 1) : at;
  };
}

function decodeWithOffsets(text: string, start: number, end: number): { value: string; offsets: number[] } {
  // Runs of plain characters are copied whole: a large template decodes in one pass, without a
  // string built one character at a time.
  const chunks: string[] = [];
  const offsets: number[] = [];
  let i = start + 1;
  while (i < end) {
    // (Not indexOf: it would search past `end`, to the next backslash of the whole file, again for
    // every literal.)
    let runEnd = i;
    while (runEnd < end && text.charCodeAt(runEnd) !== 0x5c /* backslash */) offsets.push(runEnd++);
    if (runEnd > i) {
      chunks.push(text.slice(i, runEnd));
      i = runEnd;
      continue;
    }
    // At a backslash.
    const e = i + 1 < end ? text[i + 1] as string : undefined;
    const simple = e === undefined ? undefined : SIMPLE_ESCAPES[e];
    if (simple !== undefined) {
      chunks.push(simple);
      offsets.push(i);
      i += 2;
    } else if (e === 'u' && /^[0-9a-fA-F]{4}$/.test(text.slice(i + 2, i + 6))) {
      chunks.push(String.fromCharCode(parseInt(text.slice(i + 2, i + 6), 16)));
      offsets.push(i);
      i += 6;
    } else {
      chunks.push('\\');
      offsets.push(i);
      i++;
    }
  }
  offsets.push(Math.max(i, start + 1));
  return { value: chunks.join(''), offsets };
}

/** The offset of the closing quote, or the end of an unterminated string. */
function closingQuote(text: string, start: number, length: number): number {
  const last = start + length - 1;
  if (length < 2 || text[last] !== '"') return start + length;
  // The quote closes the string unless an odd number of backslashes escapes it.
  let backslashes = 0;
  for (let i = last - 1; i > start && text[i] === '\\'; i--) backslashes++;
  return backslashes % 2 === 0 ? last : start + length;
}

/** `decoded.offsets[i]`, without working out every offset where the decoded string can say more cheaply. */
export function offsetOf(decoded: DecodedString, i: number): number | undefined {
  return decoded.offsetAt ? decoded.offsetAt(i) : decoded.offsets[i];
}

/** Maps a decoded span back to a file span. */
export function sourceSpan(decoded: DecodedString, from: number, to: number): { offset: number; length: number } {
  const offset = offsetOf(decoded, from) ?? offsetOf(decoded, decoded.value.length) ?? 0;
  const endOffset = offsetOf(decoded, to) ?? offset;
  return { offset, length: Math.max(0, endOffset - offset) };
}

/** A text as it must be written inside a JSON string literal in the file (without the quotes). */
export function jsonFragment(text: string): string {
  return JSON.stringify(text).slice(1, -1);
}
