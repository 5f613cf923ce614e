// Runs as the editor keeps them: for the panel, its history and its actions. The result is the
// engine's run result (secrets already masked); nothing here is computed again.
import type { RunResult } from '../engine';

export interface RunRecord {
  /** unique per run */
  id: string;
  /** ISO time the run started */
  at: string;
  /** which sample lead it used, for people ("ada.lead.json", "blank lead", "inline lead") */
  lead: string;
  result: RunResult;
  /** set when the history kept only the start of the response body (the service's answer was longer) */
  storedBodyChars?: { kept: number; total: number };
}

/** What the panel shows for one definition. */
export interface PanelState {
  /** the definition's uri, as a string */
  definition: string;
  /** the file name, for the title */
  fileName: string;
  /** a run is under way */
  running: boolean;
  /** the run shown (the newest unless one was picked from the history) */
  current?: RunRecord;
  /** display names of the Marketo fields the mappings name (SOAP name → display name), from the catalog */
  fieldDisplayNames?: Record<string, string>;
  /** newest first, at most 20 */
  history: { id: string; at: string; code: number | null; category: string | null; title: string }[];
}

/** What the page may ask of the host: defined with the rest of the page's contract. */
export type { PanelRequest } from '../panel/protocol';
