// Builds the run panel's view model (src/panel/protocol.ts) from a run record: every decision the
// page would otherwise make about the engine's result is made here, once, with the engine's own
// functions: which header names a body's type, what kind of body it is, how much of it the page
// gets, how it is laid out, how a code, a size or a time is worded. No vscode here: unit-tested.
import { BEHAVIOUR_ANCHORS, cutEnd, headerValue, PANEL_BODY_CHARS, type Category, type Classification, type Diagnostic, type RunRequest, type RunResponse, type RunResult } from '../engine';
import type { LeadListRow } from '../engine/run-engine';
import type { RunAnswerStart } from '../engine';
import { FIRST_PAINT_CHARS } from '../panel/protocol';
import type { ListRun } from './lead-list-runs';
import type {
  LeadListHeadView, LeadListSummaryView, LeadRowView,
  AnswerStartView, AssumptionView, BodyView, DiagnosticView, ErrorTypeView, FactView, HandlingView, HeaderView, HistoryItemView, MappingsView,
  NoResponseView, PanelView, RequestView, ResponseView, RunView, StatusLineView,
} from '../panel/protocol';
import { formatJson, formatXml } from './body-layout';
import type { PanelState, RunRecord } from './run-records';

/** Characters of a mapped value shown in its table cell. */
const VALUE_CHARS = 2000;

const CATEGORY_LABELS: Record<string, string> = {
  success: 'success',
  marketo: 'Marketo code',
  redirect: 'redirect (not followed)',
  'client-error': 'client error',
  'server-error': 'server error',
  network: 'network failure',
};

/** What a response body is, by its Content-Type, else by its first character. */
export function responseLanguage(response: Pick<RunResponse, 'headers' | 'body'>): 'json' | 'xml' | 'plaintext' {
  const type = (headerValue(response.headers, 'content-type') ?? '').toLowerCase();
  if (/\bjson\b/.test(type)) return 'json';
  if (/\bxml\b/.test(type)) return 'xml';
  const start = response.body.trimStart().charAt(0);
  if (start === '{' || start === '[') return 'json';
  if (start === '<') return 'xml';
  return 'plaintext';
}

/** The start of `text`, at most `limit` characters, never cut inside a surrogate pair. */
export function startOf(text: string, limit: number): string {
  return text.slice(0, cutEnd(text, limit));
}

export function formatBytes(bytes: number): string {
  if (!Number.isFinite(bytes)) return '—';
  const exact = `${bytes.toLocaleString('en-US')} bytes`;
  if (bytes < 1024) return exact;
  const size = bytes < 1024 * 1024 ? `${(bytes / 1024).toFixed(1)} KB` : `${(bytes / 1024 / 1024).toFixed(1)} MB`;
  return `${size} (${exact})`;
}

export function formatDuration(ms: number): string {
  if (!Number.isFinite(ms)) return '—';
  return ms < 1000 ? `${Math.round(ms * 10) / 10} ms` : `${(ms / 1000).toFixed(2)} s`;
}

function formatTime(iso: string): string {
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? iso : date.toLocaleString();
}

export function badgeKind(category: string | null | undefined): Category | 'invalid' | 'unknown' {
  if (!category) return 'invalid';
  return Object.prototype.hasOwnProperty.call(CATEGORY_LABELS, category) ? (category as Category) : 'unknown';
}

/** What the badge says: the code, the kind of network failure, or "not sent". */
function codeLabel(c: Classification | null): string {
  if (!c) return 'not sent';
  if (c.code !== null) return String(c.code);
  return c.network ?? 'no response';
}

function errorTypeView(c: Classification | null): ErrorTypeView {
  if (!c || c.errorType === null) return { kind: 'none' };
  const standardPhrase = c.standardPhrase ? c.standardPhrase : null;
  return c.errorType === '' ? { kind: 'empty', standardPhrase } : { kind: 'value', value: c.errorType, standardPhrase };
}

/** The status received, in words: also what was not received, and why. */
function receivedText(result: RunResult): string {
  const { response, request, classification: c } = result;
  if (response) return `${response.status} ${response.statusText}`.trim();
  if (request && !request.sent) return 'not sent (batch campaign)';
  if (c?.network === 'protocol') return 'no valid HTTP answer (protocol)';
  if (c?.category === 'network') return `no response (${c.network ?? 'network failure'})`;
  return '—';
}

function statusLine(result: RunResult): StatusLineView {
  const c = result.classification;
  const response = result.response;
  return {
    badge: { text: codeLabel(c), kind: c ? badgeKind(c.category) : 'invalid' },
    title: c ? c.title : 'Not sent: the definition has errors',
    category: c ? (CATEGORY_LABELS[c.category] ?? c.category) : 'definition has errors',
    errorType: errorTypeView(c),
    received: c?.code === 1001 && response ? `HTTP ${receivedText(result)}` : null,
    duration: response ? formatDuration(response.durationMs) : '—',
    size: response ? formatBytes(response.bytes) + (response.truncated ? ', cut off at the size limit' : '') : '—',
  };
}

function diagnosticView(d: Diagnostic): DiagnosticView {
  const start = d.range?.start;
  return {
    severity: d.severity,
    error: d.severity === 'error',
    where: start ? `line ${start.line + 1}, column ${start.character + 1}: ` : '',
    message: d.message,
    code: d.code,
  };
}

function mappedValue(value: unknown): string {
  if (value === undefined) return '(no value)';
  let text: string;
  try {
    // undefined for what JSON has no text for (a function, a symbol)
    text = JSON.stringify(value) ?? typeof value;
  } catch {
    text = typeof value === 'bigint' ? value.toString() : '(a value that cannot be shown)';
  }
  return text.length <= VALUE_CHARS ? text : `${text.slice(0, VALUE_CHARS)}…`;
}

function mappingsView(result: RunResult, displayNames: Record<string, string>): MappingsView | null {
  const c = result.classification;
  if (!c) return null;
  const mappings = result.mappings;
  const written = mappings.filter((m) => m.status === 'applied').length;
  return {
    intro: mappings.length === 0
      ? 'The definition has no response mappings.'
      : `${written} of ${mappings.length} ${mappings.length === 1 ? 'mapping' : 'mappings'} would write a value to the person.`,
    applied: c.mappingsApplied ? 'Response mappings: evaluated (a 2xx with a body).'
      : c.category === 'success' ? 'Response mappings: not applied: the body cannot be read as the Response Type, so nothing was written.'
        : 'Response mappings: not applied: Marketo ignores them for this outcome.',
    rows: mappings.map((m) => ({
      responseAttribute: m.responseAttribute,
      marketoField: m.marketoField,
      displayName: Object.prototype.hasOwnProperty.call(displayNames, m.marketoField) ? displayNames[m.marketoField] ?? null : null,
      value: mappedValue(m.value),
      written: m.status === 'applied',
      reason: m.reason,
      note: m.note,
    })),
  };
}

function handlingView(result: RunResult): HandlingView | null {
  const handling = result.handling;
  if (!handling) return null;
  return { summary: handling.summary, errorType: errorTypeView(result.classification), steps: [...handling.steps] };
}

/** `docs/marketo-behaviour.md#booleans` → `booleans`, when the host can open that section. */
function docAnchor(doc: string): string | null {
  const anchor = /^docs\/marketo-behaviour\.md#([a-z0-9-]{1,64})$/.exec(doc)?.[1];
  return anchor !== undefined && BEHAVIOUR_ANCHORS.includes(anchor) ? anchor : null;
}

function assumptionViews(result: RunResult): AssumptionView[] {
  return result.assumptions.map((a) => ({ id: a.id, text: a.text, doc: a.doc, anchor: docAnchor(a.doc) }));
}

function headerViews(headers: Record<string, string>): HeaderView[] {
  return Object.entries(headers).map(([name, value]) => ({ name, value }));
}

/**
 * A body, laid out when it is JSON or XML. `partial`: the text is only the start of the body, so
 * JSON cannot be checked by parsing it.
 */
/** The status line and the start of a long answer's body, while the rest of it is still arriving. */
export function answerStartView(start: RunAnswerStart): AnswerStartView {
  const body = startOf(start.body, FIRST_PAINT_CHARS);
  return {
    statusLine: `HTTP ${start.status} ${start.statusText}`.trim(),
    note: `Reading the answer: ${formatBytes(start.bytes)} so far. What Marketo would make of it (the code, the mapped fields, the handling) follows when the whole answer is in.`,
    body: bodyView(body, responseLanguage({ headers: start.headers, body }), true, null),
  };
}

export function bodyView(body: string, kind: 'json' | 'xml' | 'plaintext', partial: boolean, cut: BodyView['cut']): BodyView {
  const view: BodyView = { raw: body, formatted: null, heading: '', note: null, cut };
  if (body === '') return view;
  let formatted: string | null = null;
  if (kind === 'json') {
    let valid = partial;
    if (!partial) {
      try {
        JSON.parse(body.charCodeAt(0) === 0xfeff ? body.slice(1) : body);
        valid = true;
      } catch (error) {
        view.note = `Not valid JSON (${error instanceof Error ? error.message : 'parse error'}): shown as received.`;
      }
    }
    if (valid) {
      formatted = formatJson(body);
      view.heading = partial ? 'Formatted JSON (the start only)' : 'Formatted JSON';
    }
  } else if (kind === 'xml') {
    formatted = formatXml(body);
    view.heading = partial ? 'Formatted XML (the start only)' : 'Formatted XML';
  }
  if (formatted !== null && formatted !== body) view.formatted = formatted;
  else view.heading = '';
  return view;
}

function requestView(request: RunRequest | null): RequestView | null {
  if (!request) return null;
  const facts: FactView[] = [
    { name: 'Method', value: request.method },
    { name: 'URL', value: request.url, mono: true },
  ];
  // The URL sent differs from the URL written: show both, and why (docs/marketo-behaviour.md#url-as-written).
  if (typeof request.urlAsWritten === 'string') facts.push({ name: 'As written', value: request.urlAsWritten, mono: true, note: request.urlNote ?? '' });
  facts.push({ name: 'Sent', value: request.sent ? 'yes' : 'no (batch campaign: nothing is sent)' });
  const kind = request.body === null ? 'plaintext' : responseLanguage({ headers: request.headers, body: request.body });
  return { facts, headers: headerViews(request.headers), body: request.body === null ? null : bodyView(request.body, kind, false, null) };
}

function responseView(result: RunResult, limit: number, storedTotal: number | undefined): ResponseView | NoResponseView | null {
  const { response, request, classification: c } = result;
  if (!c) return null;
  if (!response) {
    return {
      kind: 'none',
      text: request && !request.sent ? 'Nothing was sent, so nothing came back.'
        : c.network === 'protocol'
          ? 'The request was sent, but what came back is not valid HTTP (protocol): there is no status, no headers and no body to show.'
          : `Nothing came back (${c.network ?? 'network failure'}): there is no status, no headers and no body.`,
    };
  }
  const shown = startOf(response.body, limit);
  // An older run whose body the history kept only the start of says so, as for a cut here.
  const total = shown.length < response.body.length ? response.body.length : storedTotal;
  const cut = total !== undefined ? { chars: shown.length, totalChars: total } : null;
  const facts: FactView[] = [
    { name: 'Status', value: String(response.status) },
    { name: 'Reason phrase', value: response.statusText || '(none)' },
  ];
  if (c.standardPhrase) facts.push({ name: 'Standard phrase', value: c.standardPhrase });
  facts.push({ name: 'Duration', value: formatDuration(response.durationMs) }, { name: 'Size', value: formatBytes(response.bytes) });
  return {
    kind: 'response',
    statusLine: `HTTP ${response.status} ${response.statusText}`.trim(),
    facts,
    headers: headerViews(response.headers),
    truncated: response.truncated,
    body: bodyView(shown, responseLanguage(response), cut !== null || response.truncated, cut),
  };
}

function runView(record: RunRecord, displayNames: Record<string, string>, limit: number): RunView {
  const result = record.result;
  const c = result.classification;
  const errors = result.diagnostics.filter((d) => d.severity === 'error');
  const details: FactView[] = [
    { name: 'HTTP status received', value: receivedText(result) },
    { name: 'Sample lead', value: record.lead },
    { name: 'Run at', value: formatTime(record.at) },
  ];
  return {
    id: record.id,
    status: statusLine(result),
    notSent: c ? null : { diagnostics: (errors.length > 0 ? errors : result.diagnostics).map(diagnosticView) },
    findings: c ? result.diagnostics.length : 0,
    batch: result.request !== null && !result.request.sent,
    details,
    mappings: mappingsView(result, displayNames),
    handling: handlingView(result),
    assumptions: assumptionViews(result),
    request: requestView(result.request),
    response: responseView(result, limit, record.storedBodyChars?.total),
    can: { copyCurl: result.request !== null, openResponse: result.response !== null, saveResult: true },
  };
}

function historyItems(state: PanelState): HistoryItemView[] {
  return state.history.map((h) => ({
    id: h.id,
    when: formatTime(h.at),
    badge: {
      text: h.code !== null ? String(h.code) : h.category === 'network' ? 'no response' : h.category ?? 'not sent',
      kind: badgeKind(h.category),
    },
    title: h.title,
    current: state.current?.id === h.id,
  }));
}

/**
 * The page's view of a definition's panel state. A response body longer than `limit` characters is
 * cut to its start (never inside a surrogate pair): a 10 MB body is neither posted nor laid out.
 */
export function panelView(state: PanelState, limit = PANEL_BODY_CHARS): PanelView {
  const current = state.current;
  return {
    definition: state.definition,
    title: `Run: ${state.fileName}`,
    running: state.running,
    run: current ? runView(current, state.fieldDisplayNames ?? {}, limit)
      : { none: state.running ? 'The first run of this definition is under way.' : 'No runs yet: run the definition to see what Marketo would make of the answer.' },
    history: historyItems(state),
    rest: null,
  };
}

// ---- a run over a list of leads ------------------------------------------------------------------

/** A long time in words: "1 h 23 min", "4 min 10 s", "12.50 s", "40 ms". */
export function formatLongDuration(ms: number): string {
  if (!Number.isFinite(ms) || ms < 60_000) return formatDuration(ms);
  const seconds = Math.round(ms / 1000);
  const h = Math.floor(seconds / 3600);
  const min = Math.floor((seconds % 3600) / 60);
  return h > 0 ? `${h} h ${min} min` : `${min} min ${seconds % 60} s`;
}

export function leadListHead(list: ListRun): LeadListHeadView {
  return { id: list.id, file: list.file, host: list.host, total: list.total, fields: [...list.fields] };
}

export function leadRowView(row: LeadListRow): LeadRowView {
  const kind = row.category === 'not-sent' ? 'invalid' : badgeKind(row.category);
  return { ...row, badge: kind, category: CATEGORY_LABELS[row.category] ?? (row.category === 'not-sent' ? 'not sent' : row.category) };
}

function counts(record: Record<string, number>, label: (key: string) => string = (k) => k): string {
  const entries = Object.entries(record).sort((a, b) => b[1] - a[1]);
  return entries.length === 0 ? 'none' : entries.map(([k, n]) => `${label(k)}: ${n.toLocaleString('en-US')}`).join(' · ');
}

/** The list run's summary as facts: what the CLI's summary says, worded for the panel. */
export function leadListSummaryView(list: ListRun): LeadListSummaryView {
  const doc = list.summary;
  const done = doc?.completed ?? list.rows.length;
  const facts: FactView[] = [
    {
      name: 'Leads',
      value: `${done.toLocaleString('en-US')} of ${list.total.toLocaleString('en-US')}${list.running ? ' (running)' : doc?.cancelled ? ' (cancelled: the calls under way were aborted)' : ''}`,
      note: `${list.file}, to ${list.host}`,
    },
  ];
  if (doc) {
    const refused = Object.entries(doc.valuesRefused).map(([field, r]) => {
      const first = r.examples[0];
      return `${field}: ${r.count.toLocaleString('en-US')}${first ? ` (lead ${first.lead}: ${mappedValue(first.value)}: ${first.reason})` : ''}`;
    });
    facts.push(
      { name: 'By category', value: counts(doc.byCategory, (k) => CATEGORY_LABELS[k] ?? (k === 'not-sent' ? 'not sent' : k)) },
      { name: 'By code', value: counts(doc.byCode), mono: true },
      { name: 'Fields written', value: counts(doc.mappingsWritten) },
      { name: 'Values refused', value: refused.length === 0 ? 'none' : refused.join(' · ') },
      { name: 'Duration', value: formatLongDuration(doc.durationMs) },
      {
        name: 'Marketo would take',
        value: `about ${formatLongDuration(doc.estimatedDrainMs)}`,
        note: 'to call the service for this list: 20 connections, the latencies measured here; other campaigns share them',
      },
    );
  }
  return { running: list.running, cancelled: doc?.cancelled ?? false, done, total: list.total, facts };
}
