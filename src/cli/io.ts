// What a command may touch of the outside world besides files: output streams and the environment.
import { once } from 'node:events';
import { PROGRAM } from './command';
import { useColor } from './format';
import { terminalText } from './terminal-text';

export interface Io {
  env: NodeJS.ProcessEnv;
  /** colours in the readable report */
  color: boolean;
  /** appends to what goes to stdout when the command ends (one JSON document with --json) */
  out(text: string): void;
  /**
   * writes to stdout now, after what `out` has collected, and waits while the reader is behind
   * (a long list run's lines as they come); without it, a command falls back to `out`
   */
  stream?(text: string): Promise<void>;
  /** one line on stderr, prefixed with the program's name */
  error(message: string): void;
  warn(message: string): void;
}

/**
 * Messages are one line each: newlines inside them are folded. They quote file names, arguments
 * and definition values, so control characters in them are shown, not obeyed (terminal-text.ts).
 */
export function messageLine(message: string): string {
  return `${PROGRAM}: ${terminalText(message.replace(/\s*[\r\n]+\s*/g, ' ').trim())}`;
}

/**
 * What goes to stdout, whatever made it: a report keeps its lines, tabs and (on a terminal) its own
 * colours; any other control character is shown, not obeyed. A JSON document stays the same JSON:
 * JSON.stringify has escaped its C0 characters, and DEL, C1 and the bidirectional overrides, legal
 * raw in JSON, are escaped here to the same values, since `--json` too is often read on a terminal.
 */
export function outputText(text: string, color: boolean): string {
  return terminalText(text, { newline: true, tab: true, style: color });
}

/** An Io over the process's streams; stdout is collected and returned by `stdoutText`. */
export function processIo(): Io & { stdoutText(): string } {
  const chunks: string[] = [];
  const color = useColor(process.stdout, process.env);
  return {
    env: process.env,
    color,
    out: (text) => {
      chunks.push(outputText(text, color));
    },
    error: (message) => {
      process.stderr.write(messageLine(message) + '\n');
    },
    warn: (message) => {
      process.stderr.write(messageLine(`warning: ${message}`) + '\n');
    },
    stream: async (text) => {
      const all = chunks.join('') + outputText(text, color);
      chunks.length = 0;
      if (!process.stdout.write(all)) await once(process.stdout, 'drain');
    },
    stdoutText: () => chunks.join(''),
  };
}
