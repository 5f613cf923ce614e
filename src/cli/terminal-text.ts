// What the command line writes is partly someone else's text: file names, arguments, definition
// values, the engine's messages quoting them, a service's reason phrase and body. A terminal obeys
// control characters in it (ESC and CSI sequences move the cursor and clear the screen, OSC sets
// the title, writes the clipboard or makes links, BEL rings) and bidirectional overrides reorder
// what is shown (Trojan Source, CVE-2021-42574). Every character the command writes to stdout and
// stderr passes through `terminalText`, which shows such characters as `\uXXXX` instead.

/**
 * Every C0 control (tab and line feed are kept where the caller means them), DEL, the C1 range
 * (U+0080–U+009F: 8-bit CSI, OSC, NEL, …), and the bidirectional embeddings, overrides and isolates
 * (U+202A–U+202E, U+2066–U+2069). The marks (LRM, RLM, ALM) are left alone: they occur in real
 * right-to-left text and move only neutral characters. The first alternative is the report's own
 * colour codes, exactly the SGR sequences `createStyle` (format.ts) writes: bold, dim, normal
 * intensity, red, green, yellow, cyan, default colour.
 */
// eslint-disable-next-line no-control-regex
const UNSAFE = /(\x1b\[(?:1|2|22|31|32|33|36|39)m)|[\u0000-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/g;

export interface TerminalTextOptions {
  /** keep tab characters (a body's indentation); otherwise shown as \u0009 */
  tab?: boolean;
  /** keep line feeds (a report's lines); otherwise shown as \u000a */
  newline?: boolean;
  /** keep the report's own colour codes (only those); any other ESC is shown */
  style?: boolean;
}

/** `\u001b` for ESC: what a JavaScript or JSON string literal would write. */
export function escapedControl(character: string): string {
  return `\\u${character.charCodeAt(0).toString(16).padStart(4, '0')}`;
}

/**
 * `text` with every character a terminal could obey, or that could reorder what is shown, written
 * as `\uXXXX`. Applied to a JSON document (whose control characters JSON.stringify has escaped
 * already) it leaves the document valid and equal in value: `\u009b` in a string is that character.
 */
export function terminalText(text: string, options: TerminalTextOptions = {}): string {
  return text.replace(UNSAFE, (match, ownStyle: string | undefined) => {
    if (ownStyle !== undefined) return options.style ? match : escapedControl('\x1b') + match.slice(1);
    if ((match === '\t' && options.tab) || (match === '\n' && options.newline)) return match;
    return escapedControl(match);
  });
}
