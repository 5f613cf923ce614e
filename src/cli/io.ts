// What a command may touch of the outside world besides files: output streams and the environment.
import { PROGRAM } from './args';
import { useColor } from './format';

export interface Io {
  env: NodeJS.ProcessEnv;
  /** colours in the readable report */
  color: boolean;
  /** appends to what goes to stdout when the command ends (one JSON document with --json) */
  out(text: string): void;
  /** one line on stderr, prefixed with the program's name */
  error(message: string): void;
  warn(message: string): void;
}

/** Messages are one line each: newlines inside them are folded. */
export function messageLine(message: string): string {
  return `${PROGRAM}: ${message.replace(/\s*[\r\n]+\s*/g, ' ').trim()}`;
}

/** An Io over the process's streams; stdout is collected and returned by `stdoutText`. */
export function processIo(): Io & { stdoutText(): string } {
  const chunks: string[] = [];
  return {
    env: process.env,
    color: useColor(process.stdout, process.env),
    out: (text) => {
      chunks.push(text);
    },
    error: (message) => {
      process.stderr.write(messageLine(message) + '\n');
    },
    warn: (message) => {
      process.stderr.write(messageLine(`warning: ${message}`) + '\n');
    },
    stdoutText: () => chunks.join(''),
  };
}
