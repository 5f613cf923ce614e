// What a run over a list of leads comes to, added up one result at a time so the results
// themselves need not be kept: counts by category and by code, how often each field would be
// written, the values a field would refuse, and how long Marketo would take to drain the list.
import type { RunResult } from '../types';
import { MAX_CONCURRENCY, type LeadRun } from './run-list';

/** A lead stopped before anything was sent (the definition's errors, a URL its values made invalid): no Marketo category applies. */
export const NOT_SENT = 'not-sent';
/** Examples kept of each field's refused values: enough to see the pattern, bounded whatever the list's size. */
export const REFUSED_EXAMPLES = 3;

export interface RefusedValues {
  /** how many leads' answers held a value this field refused */
  count: number;
  /** the first few, with the reason the mapping was skipped */
  examples: { lead: number; value: unknown; reason: string }[];
}

/** The summary line of `run --leads --json` (contracts §6). */
export interface LeadListSummaryDocument {
  /** leads in the list */
  leads: number;
  /** leads whose run completed (fewer than `leads` only when cancelled) */
  completed: number;
  cancelled: boolean;
  /** by the run's category (`success`, `client-error`, …), or `not-sent` */
  byCategory: Record<string, number>;
  /** by the response code Marketo would log (200, 1000, 1001, …), or the network failure (`timeout`), or `not-sent` */
  byCode: Record<string, number>;
  /** Marketo Field (SOAP name) → leads for which the mapping would write it */
  mappingsWritten: Record<string, number>;
  /** Marketo Field → the response values the field would refuse (its type, read-only, …) */
  valuesRefused: Record<string, RefusedValues>;
  /** how long this list run took here */
  durationMs: number;
  /** how long Marketo would take to make these calls: see estimateDrainMs */
  estimatedDrainMs: number;
}

/**
 * How long Marketo would take to call the service once per lead: it keeps at most 20 webhook calls
 * outstanding per instance, so the calls' total time is shared among 20 connections, and the list
 * cannot drain faster than its slowest call:
 *
 *   estimatedDrainMs = max(Σ latency / 20, max latency)
 *
 * with each lead's latency as measured here (the response's time; for a failure, the time until it
 * failed; 0 for a lead not sent). It is a floor: other campaigns share the 20 connections, and
 * Marketo's own work per lead adds to it. Adobe's example, 100,000 calls of 50 ms, is 5,000 s of
 * calls: about 1.5 h through one connection, about 4 min through all 20.
 */
export function estimateDrainMs(totalLatencyMs: number, maxLatencyMs: number): number {
  return Math.round(Math.max(totalLatencyMs / MAX_CONCURRENCY, maxLatencyMs));
}

export class LeadListSummary {
  private completed = 0;
  // Maps, not objects: the keys come from definitions and answers ("__proto__" included).
  private readonly byCategory = new Map<string, number>();
  private readonly byCode = new Map<string, number>();
  private readonly mappingsWritten = new Map<string, number>();
  private readonly valuesRefused = new Map<string, RefusedValues>();
  private totalLatencyMs = 0;
  private maxLatencyMs = 0;
  private readonly startedAt = performance.now();

  constructor(private readonly leads: number) {}

  add(run: LeadRun): void {
    const { result } = run;
    this.completed++;
    const c = result.classification;
    count(this.byCategory, c?.category ?? NOT_SENT);
    count(this.byCode, codeOf(result));
    this.totalLatencyMs += run.latencyMs;
    this.maxLatencyMs = Math.max(this.maxLatencyMs, run.latencyMs);
    for (const m of result.mappings) {
      if (m.status === 'applied') count(this.mappingsWritten, m.marketoField);
      // A skipped mapping with a value: the answer held one, and the field would not take it.
      else if (m.value !== null && m.value !== undefined) {
        let refused = this.valuesRefused.get(m.marketoField);
        if (!refused) this.valuesRefused.set(m.marketoField, (refused = { count: 0, examples: [] }));
        refused.count++;
        if (refused.examples.length < REFUSED_EXAMPLES) refused.examples.push({ lead: run.lead, value: m.value, reason: m.reason ?? '' });
      }
    }
  }

  /** true when every lead so far succeeded as Marketo counts it */
  get allSucceeded(): boolean {
    return this.completed === this.leads && this.byCategory.get('success') === this.completed;
  }

  document(cancelled = false): LeadListSummaryDocument {
    return {
      leads: this.leads,
      completed: this.completed,
      cancelled,
      byCategory: Object.fromEntries(this.byCategory),
      byCode: Object.fromEntries(this.byCode),
      mappingsWritten: Object.fromEntries(this.mappingsWritten),
      valuesRefused: structuredClone(Object.fromEntries(this.valuesRefused)),
      durationMs: Math.round(performance.now() - this.startedAt),
      estimatedDrainMs: estimateDrainMs(this.totalLatencyMs, this.maxLatencyMs),
    };
  }
}

/** The code a lead's outcome counts under: Marketo's code, the network failure, or `not-sent`. */
export function codeOf(result: RunResult): string {
  const c = result.classification;
  if (!c) return NOT_SENT;
  if (c.code !== null) return String(c.code);
  return c.network ?? c.category;
}

function count(counts: Map<string, number>, key: string): void {
  counts.set(key, (counts.get(key) ?? 0) + 1);
}
