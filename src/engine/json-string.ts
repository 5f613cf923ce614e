// Decodes a JSON string literal while remembering where each decoded character came from, so a
// token found in a string value can be underlined at its exact place in the file.

export interface DecodedString {
  value: string;
  /** offsets[i] is the file offset of decoded character i; offsets[value.length] is the closing quote */
  readonly offsets: number[];
}

const SIMPLE_ESCAPES: Record<string, string> = { '"': '"', '\\': '\\', '/': '/', b: '\b', f: '\f', n: '\n', r: '\r', t: '\t' };

/**
 * `start` is the offset of the opening quote in `text`. Never throws; bad escapes decode as written.
 * `knownValue`: the decoded value when the caller has it already (a JSON parser's, for a literal it
 * read without errors), so only the offsets are left to work out.
 * The value is decoded at once (natively when the literal is valid JSON); `offsets`, needed only
 * to place a diagnostic, is worked out on first use, so a large template that has no problems never
 * pays for an offset per character.
 */
export function decodeJsonString(text: string, start: number, length: number, knownValue?: string): DecodedString {
  const end = closingQuote(text, start, length);
  let value: string | undefined;
  const raw = knownValue === undefined ? text.slice(start + 1, Math.max(end, start + 1)) : '';
  if (knownValue !== undefined) {
    value = knownValue;
  } else if (!raw.includes('\\')) {
    value = raw;
  } else if (end === start + length - 1 && text.charCodeAt(start) === 0x22 /* " */) {
    // A terminated literal: JSON.parse decodes it exactly as below when every escape is valid,
    // and throws (so the slow path decides) when one is not or a control character is raw.
    try {
      const parsed: unknown = JSON.parse(text.slice(start, end + 1));
      if (typeof parsed === 'string') value = parsed;
    } catch {
      value = undefined;
    }
  }
  if (value === undefined) return decodeWithOffsets(text, start, end);
  let offsets: number[] | undefined;
  return {
    value,
    get offsets(): number[] {
      offsets ??= decodeWithOffsets(text, start, end).offsets;
      return offsets;
    },
  };
}

function decodeWithOffsets(text: string, start: number, end: number): { value: string; offsets: number[] } {
  // Runs of plain characters are copied whole: a large template decodes in one pass, without a
  // string built one character at a time.
  const chunks: string[] = [];
  const offsets: number[] = [];
  let i = start + 1;
  while (i < end) {
    const backslash = text.indexOf('\\', i);
    const runEnd = backslash < 0 || backslash >= end ? end : backslash;
    if (runEnd > i) {
      chunks.push(text.slice(i, runEnd));
      for (let k = i; k < runEnd; k++) offsets.push(k);
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

/** Maps a decoded span back to a file span. */
export function sourceSpan(decoded: DecodedString, from: number, to: number): { offset: number; length: number } {
  const offset = decoded.offsets[from] ?? decoded.offsets[decoded.offsets.length - 1] ?? 0;
  const endOffset = decoded.offsets[to] ?? offset;
  return { offset, length: Math.max(0, endOffset - offset) };
}

/** A text as it must be written inside a JSON string literal in the file (without the quotes). */
export function jsonFragment(text: string): string {
  return JSON.stringify(text).slice(1, -1);
}
