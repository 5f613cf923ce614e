// Ctrl+C during a command that calls out: the first one aborts the call, a second ends the process.
import { RunCancelledError } from '../engine';
import type { Io } from './io';

/** The exit code of a run cancelled with Ctrl+C (128 + SIGINT), as shells report it. */
export const EXIT_CANCELLED = 130;

/** Ctrl+C aborts the HTTP call; a second Ctrl+C ends the process at once. */
export async function withCancellation(run: (signal: AbortSignal) => Promise<number>, io: Io): Promise<number> {
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
