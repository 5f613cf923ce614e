// Lays out a JSON or XML body for reading in the run panel: text in, text out (the page only ever
// sets the result as textContent). Scanners over the text, no parser: a body cut short, or
// malformed, is laid out as far as it goes, and every character is read once.

/** Deeper nesting is not indented further (keeps the laid-out text linear in the input). */
const MAX_INDENT = 32;
/** A laid-out body longer than this is not shown laid out (the raw body still is). */
export const MAX_FORMATTED_CHARS = 2 * 1024 * 1024;

function isSpace(ch: string | undefined): boolean {
  return ch === ' ' || ch === '\t' || ch === '\n' || ch === '\r';
}

function indent(depth: number): string {
  return '  '.repeat(Math.min(depth, MAX_INDENT));
}

/**
 * JSON with a 2-space indent, token by token: strings and numbers keep their exact text (no
 * precision lost to parsing), and a body cut short is still laid out. Null when too long.
 */
export function formatJson(source: string): string | null {
  const s = source.charCodeAt(0) === 0xfeff ? source.slice(1) : source;
  const out: string[] = [];
  let size = 0;
  let depth = 0;
  let i = 0;
  const push = (chunk: string): void => {
    out.push(chunk);
    size += chunk.length;
  };
  while (i < s.length) {
    if (size > MAX_FORMATTED_CHARS) return null;
    const ch = s[i] ?? '';
    if (ch === '"') {
      let j = i + 1;
      while (j < s.length) {
        const c = s[j];
        if (c === '\\') j += 2;
        else if (c === '"') {
          j++;
          break;
        } else j++;
      }
      push(s.slice(i, Math.min(j, s.length)));
      i = j;
    } else if (ch === '{' || ch === '[') {
      let j = i + 1;
      while (j < s.length && isSpace(s[j])) j++;
      if (s[j] === (ch === '{' ? '}' : ']')) {
        push(ch + (s[j] ?? ''));
        i = j + 1;
      } else {
        depth++;
        push(`${ch}\n${indent(depth)}`);
        i = j;
      }
    } else if (ch === '}' || ch === ']') {
      depth = Math.max(0, depth - 1);
      push(`\n${indent(depth)}${ch}`);
      i++;
    } else if (ch === ',') {
      push(`,\n${indent(depth)}`);
      i++;
    } else if (ch === ':') {
      push(': ');
      i++;
    } else if (isSpace(ch)) {
      i++;
    } else {
      let j = i + 1;
      while (j < s.length && !'{}[],:" \t\r\n'.includes(s[j] ?? '')) j++;
      push(s.slice(i, j));
      i = j;
    }
  }
  return out.join('');
}

/** Where the tag starting at `start` ends (after its `>`), skipping quoted attribute values. */
function tagEnd(s: string, start: number): number {
  let quote = '';
  for (let i = start + 1; i < s.length; i++) {
    const c = s[i];
    if (quote) {
      if (c === quote) quote = '';
    } else if (c === '"' || c === '\'') {
      quote = c;
    } else if (c === '>') {
      return i + 1;
    }
  }
  return s.length;
}

/** `<a:b x="1">` and `</a:b >` → `a:b` */
function tagName(tag: string): string {
  return /^<\/?([^\s/>]*)/.exec(tag)?.[1] ?? '';
}

function markupEnd(s: string, start: number, terminator: string): number {
  const at = s.indexOf(terminator, start);
  return at < 0 ? s.length : at + terminator.length;
}

/**
 * XML one element a line, children indented, `<a>text</a>` kept on one line. Malformed input is
 * laid out as far as it goes. Null when too long.
 */
export function formatXml(s: string): string | null {
  const lines: string[] = [];
  let size = 0;
  let depth = 0;
  let i = 0;
  const line = (value: string, level: number): void => {
    const l = indent(level) + value;
    lines.push(l);
    size += l.length + 1;
  };
  while (i < s.length) {
    if (size > MAX_FORMATTED_CHARS) return null;
    const next = s[i + 1] ?? '';
    if (s[i] !== '<' || !/[A-Za-z_:/!?\u00c0-\uffff]/.test(next)) {
      // text up to the next tag (a `<` that starts no tag is text)
      let end = s.indexOf('<', i + 1);
      if (end < 0) end = s.length;
      const t = s.slice(i, end).trim();
      if (t) line(t, depth);
      i = end;
      continue;
    }
    let end: number;
    if (s.startsWith('<!--', i)) end = markupEnd(s, i + 4, '-->');
    else if (s.startsWith('<![CDATA[', i)) end = markupEnd(s, i + 9, ']]>');
    else if (s.startsWith('<?', i)) end = markupEnd(s, i + 2, '?>');
    else end = tagEnd(s, i);
    const tag = s.slice(i, end);
    i = end;
    if (tag.startsWith('</')) {
      depth = Math.max(0, depth - 1);
      line(tag, depth);
    } else if (tag.startsWith('<!') || tag.startsWith('<?') || tag.endsWith('/>') || !tag.endsWith('>')) {
      line(tag, depth);
    } else {
      // an opening tag: on one line with its text when only text and its closing tag follow
      let textEnd = s.indexOf('<', i);
      if (textEnd < 0) textEnd = s.length;
      if (s.startsWith('</', textEnd)) {
        const closeEnd = tagEnd(s, textEnd);
        const inner = s.slice(i, textEnd).trim();
        if (!inner.includes('\n') && tagName(tag) === tagName(s.slice(textEnd, closeEnd))) {
          line(tag + inner + s.slice(textEnd, closeEnd), depth);
          i = closeEnd;
          continue;
        }
      }
      line(tag, depth);
      depth++;
    }
  }
  return lines.join('\n');
}
