// The one message contract between the run panel's host (src/extension/run-panel.ts) and its page
// (src/panel/main.ts). The host sends a view model: every decision that needs the engine (which
// header names the body's type, what kind of body it is, how much of it to show, how to lay it
// out, how to word a code or a size) is made on the host and arrives here as plain data. The page
// only writes this data into the DOM as text. Types and the page's skeleton only, nothing of the
// engine's: the page's type check (src/panel/tsconfig.json, DOM without Node) never reads the engine.

// ---- the page's skeleton -------------------------------------------------------------------------

/**
 * The actions beside the title and the sections below the status line, in the page's order. The
 * host writes the page from these lists and the page finds each by its id, typed: the ids are
 * agreed here, not by convention between an HTML string and a script.
 */
export const PANEL_ACTIONS = [
  { id: 'run-again', label: 'Run again', primary: true },
  { id: 'copy-curl', label: 'Copy as curl', primary: false },
  { id: 'open-response', label: 'Open response in an editor', primary: false },
  { id: 'save-result', label: 'Save result as JSON', primary: false },
] as const;

export type PanelActionId = (typeof PANEL_ACTIONS)[number]['id'];

export const PANEL_SECTIONS = [
  { id: 'lead-list', heading: 'Lead list' },
  { id: 'mappings', heading: 'Mapped fields' },
  { id: 'next-step', heading: 'Next step' },
  { id: 'response', heading: 'Response' },
  { id: 'request', heading: 'Request' },
  { id: 'handling', heading: 'Suggested handling' },
  { id: 'assumptions', heading: 'Assumptions' },
  { id: 'details', heading: 'Run details' },
  { id: 'history', heading: 'History' },
] as const;

export type PanelSectionId = (typeof PANEL_SECTIONS)[number]['id'];

// ---- host → page ---------------------------------------------------------------------------------

export type HostMessage =
  | { type: 'state'; view: PanelView }
  /** a list run to show: the page drops the rows it holds and starts this list's */
  | { type: 'list'; list: LeadListHeadView }
  /** rows of the list run `id` that completed since the last message (a batch), and the summary so far */
  | { type: 'listRows'; id: string; rows: LeadRowView[]; summary: LeadListSummaryView }
  /** the rest of the long texts of the state whose `rest` is `key`, which the page asked for */
  | { type: 'rest'; key: string; texts: Partial<Record<TextSlot, string>> }
  /** a long answer has begun to arrive: its status line and the start of its body, before the outcome */
  | { type: 'answerStart'; view: AnswerStartView };

/** What the page shows of a long answer while the rest of its body is still arriving. */
export interface AnswerStartView {
  /** "HTTP 200 OK" */
  statusLine: string;
  /** "Reading the answer: 16 KB so far. …" */
  note: string;
  body: BodyView;
}

/**
 * Characters of each long text (a body, raw or laid out) in the `state` message: what fills the
 * first screen. The rest, up to the host's cut, follows in a `rest` message once the page has
 * painted, so that the first paint of a long answer waits for no more than this.
 */
export const FIRST_PAINT_CHARS = 16 * 1024;

/** The long texts of a run that may come in two parts: each body, as received and laid out. */
export const TEXT_SLOTS = ['request.raw', 'request.formatted', 'response.raw', 'response.formatted'] as const;
export type TextSlot = (typeof TEXT_SLOTS)[number];

/** Everything the page shows for one definition. */
export interface PanelView {
  /** the definition's URI, kept with setState so that the panel comes back after a reload */
  definition: string;
  /** "Run: enrich.webhook.jsonc" */
  title: string;
  /** a run is under way */
  running: boolean;
  /** the run shown (the newest unless one was picked from the history), or why there is none */
  run: RunView | { none: string };
  /** newest first */
  history: HistoryItemView[];
  /** set when the definition has a list run: what the page shows of it; absent otherwise */
  list?: PanelListView;
  /**
   * Some long text of this view holds only its first FIRST_PAINT_CHARS: the page asks for the rest
   * with `{ type: 'rest', key }`. Null when every text is whole.
   */
  rest: string | null;
}

/**
 * The list run's place on the page: its results (`list`), one of its leads' full run (`lead`: the
 * run sections show it, with a way back), or the single run (`run`, with a way to the list).
 */
export interface PanelListView {
  mode: 'list' | 'lead' | 'run';
  /** the lead shown in `lead` mode */
  lead: { place: number; label: string } | null;
}

// ---- a run over a list of leads ------------------------------------------------------------------

export interface LeadListHeadView {
  id: string;
  /** the list file, as the workspace names it */
  file: string;
  /** where the calls go ("api.example.com") */
  host: string;
  /** leads in the list */
  total: number;
  /** the Marketo Field of each response mapping: the table's value columns, in the definition's order */
  fields: string[];
}

/** One lead of a list run: a row of the table (LeadListRow of the engine, with the badge's class). */
export interface LeadRowView {
  lead: number;
  label: string;
  code: string;
  category: string;
  badge: BadgeKind;
  errorType: string | null;
  values: { text: string; written: boolean }[];
}

export interface LeadListSummaryView {
  running: boolean;
  cancelled: boolean;
  done: number;
  total: number;
  /** "Leads", "By category", "By code", "Fields written", "Values refused", "Duration", "Marketo would take" */
  facts: FactView[];
}

/**
 * The badge's colour class (`badge-<kind>`): the engine's category of the outcome, `invalid` when
 * nothing was sent, `unknown` for a category the stylesheet does not know.
 */
export type BadgeKind = string;

export interface RunView {
  id: string;
  status: StatusLineView;
  /** the definition has errors: nothing was built or sent */
  notSent: { diagnostics: DiagnosticView[] } | null;
  /** warnings and hints of a definition that did run */
  findings: number;
  /** a batch campaign: Marketo answers 1000 without calling */
  batch: boolean;
  /** the older facts of the summary: status received, mappings, sample lead, time */
  details: FactView[];
  mappings: MappingsView | null;
  handling: HandlingView | null;
  assumptions: AssumptionView[];
  request: RequestView | null;
  response: ResponseView | NoResponseView | null;
  /** which actions have something to act on */
  can: { copyCurl: boolean; openResponse: boolean; saveResult: boolean };
}

/** The first line of the panel: what came back, in five facts. */
export interface StatusLineView {
  badge: { text: string; kind: BadgeKind };
  /** "200 OK: the call succeeded" or "Not sent: the definition has errors" */
  title: string;
  /** "success", "client error", … */
  category: string;
  errorType: ErrorTypeView;
  /** "HTTP 200 OK"; shown beside the badge only when the code is not the status (1001) */
  received: string | null;
  duration: string;
  size: string;
}

/**
 * The Error Type exactly as received: none, empty (no reason phrase), or a value; the standard
 * phrase beside it when it is empty or differs, never in its place.
 */
export type ErrorTypeView =
  | { kind: 'none' }
  | { kind: 'empty'; standardPhrase: string | null }
  | { kind: 'value'; value: string; standardPhrase: string | null };

export interface FactView {
  name: string;
  value: string;
  /** shown in the editor font (URLs, codes) */
  mono?: boolean;
  /** a second, muted line under the value */
  note?: string;
}

export interface DiagnosticView {
  severity: string;
  error: boolean;
  /** "line 3, column 5: " or '' */
  where: string;
  message: string;
  code: string;
}

export interface MappingsView {
  /** "2 of 3 mappings would write a value to the person." or "The definition has no response mappings." */
  intro: string;
  /** whether Marketo applies them for this outcome, and why not */
  applied: string;
  rows: MappingRowView[];
}

export interface MappingRowView {
  responseAttribute: string;
  marketoField: string;
  /** from the field catalog, when it knows the field */
  displayName: string | null;
  /** the value as JSON, clipped */
  value: string;
  written: boolean;
  reason: string | null;
  note: string | null;
}

export interface HandlingView {
  summary: string;
  errorType: ErrorTypeView;
  steps: string[];
}

export interface AssumptionView {
  id: string;
  text: string;
  /** `docs/marketo-behaviour.md#booleans`, for the button's label */
  doc: string;
  /** the anchor the button asks the host to open; null when the doc is not a section it can open */
  anchor: string | null;
}

export interface HeaderView {
  name: string;
  value: string;
}

export interface RequestView {
  facts: FactView[];
  headers: HeaderView[];
  body: BodyView | null;
}

export interface ResponseView {
  kind: 'response';
  statusLine: string;
  facts: FactView[];
  headers: HeaderView[];
  truncated: boolean;
  body: BodyView;
}

/** Why there is no status, no headers and no body. */
export interface NoResponseView {
  kind: 'none';
  text: string;
}

/** A body as the page shows it: its kind decided, laid out and cut by the host. */
export interface BodyView {
  /** what was received (or sent), or the start of it when `cut` is set */
  raw: string;
  /** laid out, when it is JSON or XML and the layout differs from `raw`; null shows `raw` alone */
  formatted: string | null;
  /** "Formatted JSON", "Formatted XML (the start only)" */
  heading: string;
  /** why it is shown as received ("Not valid JSON (…)") */
  note: string | null;
  /** `raw` is only the first `chars` of `totalChars`; the whole body opens in an editor */
  cut: { chars: number; totalChars: number } | null;
}

export interface HistoryItemView {
  id: string;
  when: string;
  badge: { text: string; kind: BadgeKind };
  title: string;
  current: boolean;
}

// ---- page → host ---------------------------------------------------------------------------------

/** Messages the page sends; the host checks each one (run-panel.ts, parsePanelRequest). */
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
  /** the host builds the recipe from the stored run: the page names a run, it does not supply clipboard text */
  | { type: 'copyRecipe'; id: string }
  /** open lead `lead` (its place in the list) of list run `id` in the run sections */
  | { type: 'openLead'; id: string; lead: number }
  /** show the list run's results again */
  | { type: 'showList' }
  /** the host writes the list run's rows as CSV to a file the user picks */
  | { type: 'exportCsv'; id: string }
  /** stop the list run `id`: no new calls, the outstanding ones aborted */
  | { type: 'cancelList'; id: string }
  /** the rest of the long texts of the state whose `rest` this is (after the first paint) */
  | { type: 'rest'; key: string };
