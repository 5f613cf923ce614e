// Decodes a JSON string literal while remembering where each decoded character came from, so a
// token found in a string value can be underlined at its exact place in the file.

export interface DecodedString {
  value: string;
  /** offsets[i] is the file offset of decoded character i; offsets[value.length] is the closing quote */
  offsets: number[];
}

const SIMPLE_ESCAPES: Record<string, string> = { '"': '"', '\\': '\\', '/': '/', b: '\b', f: '\f', n: '\n', r: '\r', t: '\t' };

/** `start` is the offset of the opening quote in `text`. Never throws; bad escapes decode as written. */
export function decodeJsonString(text: string, start: number, length: number): DecodedString {
  const end = closingQuote(text, start, length);
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
