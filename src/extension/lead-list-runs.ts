// The list runs the editor keeps: the newest one of each definition, for its panel. Every lead
// keeps its row (small: the table and the CSV export read it); only the newest LIST_RUNS_KEPT leads
// keep their whole run result, with the body cut to LIST_RUN_BODY_CHARS, so that a list of 100,000
// leads costs 100,000 rows, not 100,000 answers. Nothing here is stored: a list run lives in memory.
import { LIST_RUN_BODY_CHARS, LIST_RUNS_KEPT, type RunResult } from '../engine';
import type { LeadListRow, LeadListSummaryDocument } from '../engine/run-engine';
import type { RunRecord } from './run-records';

export class ListRun {
  /** in the order the leads completed */
  readonly rows: LeadListRow[] = [];
  summary: LeadListSummaryDocument | null = null;
  running = true;
  private readonly kept = new Map<number, RunRecord>();

  constructor(
    readonly id: string,
    /** the list file, as the workspace names it */
    readonly file: string,
    /** where the calls go, for people */
    readonly host: string,
    readonly total: number,
    /** the Marketo Field of each response mapping, in the definition's order */
    readonly fields: string[],
    readonly at = new Date().toISOString(),
  ) {}

  add(row: LeadListRow, result: RunResult): void {
    this.rows.push(row);
    this.kept.set(row.lead, { id: ListRun.recordId(this.id, row.lead), at: this.at, lead: row.label || `lead ${row.lead}`, ...kept(result) });
    // A Map iterates in insertion order: the first key is the oldest lead kept.
    if (this.kept.size > LIST_RUNS_KEPT) this.kept.delete(this.kept.keys().next().value as number);
  }

  /** the lead's whole run, unless it was dropped for newer ones */
  record(lead: number): RunRecord | undefined {
    return this.kept.get(lead);
  }

  row(lead: number): LeadListRow | undefined {
    return this.rows.find((r) => r.lead === lead);
  }

  /** the id of a lead's run, for the panel's actions: `list:<list id>:<lead>` */
  static recordId(listId: string, lead: number): string {
    return `list:${listId}:${lead}`;
  }
}

function kept(result: RunResult): Pick<RunRecord, 'result' | 'storedBodyChars'> {
  const response = result.response;
  if (!response || response.body.length <= LIST_RUN_BODY_CHARS) return { result };
  return {
    result: { ...result, response: { ...response, body: response.body.slice(0, LIST_RUN_BODY_CHARS) } },
    storedBodyChars: { kept: LIST_RUN_BODY_CHARS, total: response.body.length },
  };
}

export class LeadListRuns {
  private readonly latest = new Map<string, ListRun>();

  of(definition: string): ListRun | undefined {
    return this.latest.get(definition);
  }

  /** the new list run replaces the definition's last one (and its rows) */
  set(definition: string, run: ListRun): void {
    this.latest.set(definition, run);
  }

  /**
   * Starts the definition's new list run, in place of its last one. Made here, so that the list
   * runs the panel reads are of this module's ListRun, whichever bundle starts them.
   */
  begin(definition: string, file: string, host: string, total: number, fields: string[]): ListRun {
    const run = new ListRun(`${Date.now().toString(36)}${Math.random().toString(36).slice(2, 8)}`, file, host, total, fields);
    this.set(definition, run);
    return run;
  }

  /** a record id of a list run's lead, when it names one that is still kept */
  record(definition: string, id: string): RunRecord | undefined {
    const run = this.latest.get(definition);
    const match = /^list:(.+):(\d{1,9})$/.exec(id);
    if (!run || !match || match[1] !== run.id) return undefined;
    return run.record(Number(match[2]));
  }
}
