// A run over a list of leads: the definition run once per lead, at most N calls outstanding, the
// results handed out in the order they complete. Nothing here holds the results: the caller
// consumes each (prints it, adds it to a summary) and lets it go, so memory does not grow with
// the list. A new call starts only when the caller asks for the next result, so a slow consumer
// holds back the calls rather than piling up answers.
import { setMaxListeners } from 'node:events';
import { RunCancelledError, RunInputError, type RunOptions } from '../api';
import { CONFIRM_ABOVE_LEADS, MAX_CONCURRENCY } from '../limits';
import { prepareRun, runPrepared } from '../run';
import type { RunResult } from '../types';
import type { LeadRow } from './read-list';

export { CONFIRM_ABOVE_LEADS, MAX_CONCURRENCY };

export interface LeadListRunOptions extends Omit<RunOptions, 'lead' | 'signal'> {
  leads: readonly LeadRow[];
  /** calls outstanding at most; 1 to MAX_CONCURRENCY, default MAX_CONCURRENCY */
  concurrency?: number;
  /** stops new calls and aborts the outstanding ones; the iteration then ends */
  signal?: AbortSignal;
}

export interface LeadRun {
  /** the lead's place in the list, from 1 */
  lead: number;
  /** the run result; a lead stopped before sending (a URL its values made invalid) has the reason as an error diagnostic */
  result: RunResult;
  /** how long the call took: the response's time, else (no response) the time until the failure; 0 when nothing was sent */
  latencyMs: number;
}

/** Problems that are the run's, not one lead's: every lead would stop the same way, so the list stops. */
const WHOLE_LIST_PROBLEMS = new Set(['secret-missing', 'secret-too-short']);

type Settled = { ok: true; run: LeadRun } | { ok: false; error: unknown };

export async function* runLeadList(options: LeadListRunOptions): AsyncGenerator<LeadRun, void, undefined> {
  const { leads, concurrency = MAX_CONCURRENCY, signal: outer, ...runOptions } = options;
  if (!Number.isInteger(concurrency) || concurrency < 1 || concurrency > MAX_CONCURRENCY) {
    throw new RangeError(`concurrency must be a whole number from 1 to ${MAX_CONCURRENCY}, not ${concurrency}`);
  }
  // What does not depend on the lead, worked out once for the list: the definition, the token values.
  const prepared = await prepareRun({ ...runOptions, ...(outer ? { signal: outer } : {}) });
  // One controller for every call of the list: aborting it aborts them all.
  const controller = new AbortController();
  // Each outstanding call listens on it (the run, the HTTP client): up to `concurrency` at once is no leak.
  setMaxListeners(4 * concurrency + 10, controller.signal);
  const onAbort = () => controller.abort();
  outer?.addEventListener('abort', onAbort, { once: true });
  if (outer?.aborted) controller.abort();

  const settled: Settled[] = [];
  let wake: (() => void) | undefined;
  let outstanding = 0;
  let next = 0;

  // One settlement handler per call (not a .then and a .finally): it runs lead after lead.
  const settle = (done: Settled): void => {
    settled.push(done);
    outstanding--;
    wake?.();
  };
  const start = (index: number) => {
    outstanding++;
    const place = index + 1;
    const started = performance.now();
    // One handler pair on the run itself: no promise of its own per lead in between.
    runPrepared(prepared, { lead: leads[index] as LeadRow, signal: controller.signal, now: runOptions.now }).then(
      (result) => settle({ ok: true, run: { lead: place, result, latencyMs: latencyOf(result, started) } }),
      (error: unknown) => settle(leadStopped(error, place)),
    );
  };

  try {
    for (;;) {
      while (!controller.signal.aborted && outstanding < concurrency && next < leads.length) start(next++);
      if (settled.length === 0) {
        if (outstanding === 0) return;
        await new Promise<void>((resolve) => { wake = resolve; });
        wake = undefined;
        continue;
      }
      const done = settled.shift() as Settled;
      if (done.ok) {
        yield done.run;
        continue;
      }
      // A cancelled call is not a result; the loop ends once the others have settled.
      if (done.error instanceof RunCancelledError) continue;
      throw done.error;
    }
  } finally {
    // Leaving early (the caller stopped, an error, a cancel): no new calls, the outstanding ones aborted.
    controller.abort();
    outer?.removeEventListener('abort', onAbort);
    while (outstanding > 0) await new Promise<void>((resolve) => { wake = resolve; });
  }
}

/** The response's time; without one (a failure), the time until the failure; 0 when nothing was sent. */
function latencyOf(result: RunResult, started: number): number {
  return !result.request?.sent ? 0 : result.response ? result.response.durationMs : performance.now() - started;
}

/** A lead stopped before sending (a URL its values made invalid) is a result; a problem of the whole run is not. */
function leadStopped(error: unknown, place: number): Settled {
  if (error instanceof RunInputError && !WHOLE_LIST_PROBLEMS.has(error.problem) && error.result) {
    return { ok: true, run: { lead: place, result: error.result, latencyMs: 0 } };
  }
  return { ok: false, error };
}
