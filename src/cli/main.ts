// Entry point of `marketo-webhook` (bundled to dist/cli.js). Picks the command, turns every way a
// command can end into an exit code, and never shows a stack trace.
import { version } from '../../package.json';
import { RunCancelledError } from '../engine';
import { UsageError, helpText, parseArgs, usageHint } from './args';
import { processIo, messageLine, type Io } from './io';
import { runCommand } from './run-command';
import { validateCommand } from './validate-command';

/** The exit code of a run cancelled with Ctrl+C (128 + SIGINT), as shells report it. */
const EXIT_CANCELLED = 130;

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
  switch (parsed.command) {
    case 'help':
      io.out(helpText(parsed.topic) + '\n');
      return 0;
    case 'version':
      io.out(`${version}\n`);
      return 0;
    case 'validate':
      return validateCommand(parsed, io);
    case 'run':
      return runWithCancellation((signal) => runCommand(parsed, io, signal), io);
  }
}

/** Ctrl+C aborts the HTTP call; a second Ctrl+C ends the process at once. */
async function runWithCancellation(run: (signal: AbortSignal) => Promise<number>, io: Io): Promise<number> {
  const controller = new AbortController();
  const onSigint = () => {
    if (controller.signal.aborted) process.exit(EXIT_CANCELLED);
    controller.abort();
  };
  process.on('SIGINT', onSigint);
  try {
    return await run(controller.signal);
  } catch (error) {
    if (error instanceof RunCancelledError || controller.signal.aborted) {
      io.error(error instanceof RunCancelledError && error.requestMayHaveArrived
        ? 'cancelled after the request went out: the service may have received it and acted on it (its answer was not read)'
        : 'cancelled before the request was sent');
      return EXIT_CANCELLED;
    }
    throw error;
  } finally {
    process.off('SIGINT', onSigint);
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
