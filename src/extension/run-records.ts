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

/** Messages the webview sends to the extension. */
export type PanelRequest =
  | { type: 'ready' }
  | { type: 'runAgain' }
  | { type: 'select'; id: string }
  | { type: 'copyCurl'; id: string }
  | { type: 'openResponse'; id: string }
  | { type: 'saveResult'; id: string }
  | { type: 'showProblems' }
  /** open docs/marketo-behaviour.md at one of its anchors (checked against the fixed list) */
  | { type: 'openDocs'; anchor: string }
  /** put text on the clipboard (the webview's own clipboard access is unreliable) */
  | { type: 'copyRecipe'; id: string };

/** Messages the extension sends to the webview. */
export type PanelMessage = {
  type: 'state';
  state: PanelState;
  /**
   * Set by the panel, not the store, when the current run's response body is longer than the page
   * shows: `state.current.result.response.body` then holds only its first `chars` characters of
   * `totalChars`; the whole body opens in an editor.
   */
  bodyCut?: { chars: number; totalChars: number };
};
