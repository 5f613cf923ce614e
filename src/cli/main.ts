// Entry point of `marketo-webhook` (bundled to dist/cli.js). Picks the command, turns every way a
// command can end into an exit code, and never shows a stack trace.
import { version } from '../../package.json';
import { parseArgs } from './args';
import { UsageError } from './command';
import { helpText, usageHint } from './help';
import { processIo, messageLine, type Io } from './io';

async function main(argv: readonly string[], io: Io): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs(argv);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    io.error(error.message);
    process.stderr.write(usageHint(error.command) + '\n');
    return 2;
  }
  switch (parsed.kind) {
    case 'help':
      io.out(helpText(parsed.topic) + '\n');
      return 0;
    case 'version':
      io.out(`${version}\n`);
      return 0;
    case 'call':
      return parsed.command.run(parsed.options, io);
  }
}

function describe(error: unknown): string {
  if (error instanceof Error) return error.message || error.name;
  return String(error);
}

/** Anything unexpected: one line, exit code 2. */
function fatal(error: unknown): never {
  process.stderr.write(messageLine(describe(error)) + '\n');
  process.exit(2);
}

/** Writes stdout and waits until it has been handed over, so a pipe gets all of a large document. */
function finish(text: string, code: number): void {
  process.exitCode = code;
  if (text === '') process.exit(code);
  process.stdout.write(text, () => process.exit(code));
}

process.on('uncaughtException', fatal);
process.on('unhandledRejection', fatal);
// A closed pipe (`marketo-webhook run x --json | head`) is not an error of ours.
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  process.exit(error.code === 'EPIPE' ? Number(process.exitCode ?? 0) : 2);
});

const io = processIo();
main(process.argv.slice(2), io).then(
  (code) => finish(io.stdoutText(), code),
  fatal,
);
