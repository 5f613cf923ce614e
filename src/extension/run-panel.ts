// The run result panel: one webview panel per definition, beside its editor. The page is a static
// shell (dist/panel/panel.js, bundled from src/panel, and media/panel.css); the run arrives as a view
// model (src/panel/protocol.ts, built by panel-view.ts) through postMessage and the script writes it
// with textContent, so no HTML is ever built from request, response or definition text.
// Everything the webview sends back is checked before it is acted on: it is untrusted input.
import { randomBytes } from 'node:crypto';
import * as vscode from 'vscode';
import { BEHAVIOUR_ANCHORS, BEHAVIOUR_DOC, curlFor, LIST_RUNS_KEPT, PANEL_BODY_CHARS, type RunAnswerStart, type RunResponse, type RunResult } from '../engine';
import { PANEL_ACTIONS, PANEL_SECTIONS, type AnswerStartView, type HostMessage, type PanelRequest } from '../panel/protocol';
import { COMMANDS, INTERNAL_COMMANDS, RUN_PANEL_VIEW_TYPE, VSCODE_COMMANDS } from './config';
import { plainMessage } from './message-text';
import type { LeadListRuns } from './lead-list-runs';
import { answerStartView, leadListHead, leadListSummaryView, leadRowView, panelView, responseLanguage } from './panel-view';
import { loadRunEngine } from './run-engine';
import { splitForFirstPaint, type RestTexts } from './first-paint';
import type { PanelState, RunRecord } from './run-records';
import type { Services } from './services';

/** Where the panel gets its runs (the run history implements it). */
export interface PanelSource {
  /** what the panel shows: the picked run, else the newest */
  state(definition: vscode.Uri, selectedId?: string): PanelState;
  /** one run, whole, for the actions */
  record(definition: vscode.Uri, id: string): RunRecord | undefined;
}

const RUN_COMMAND = COMMANDS.run;
const PROBLEMS_COMMAND = VSCODE_COMMANDS.showProblems;
const CANCEL_LIST_COMMAND = INTERNAL_COMMANDS.cancelLeadList;

export { responseLanguage };
/** Longest run id the webview may send. */
const MAX_ID_CHARS = 256;
/** Rows of a list run in one message: a page reload of 100,000 leads arrives in batches, not one huge message. */
const LIST_ROWS_PER_MESSAGE = 2_000;

/** A fresh nonce for each load of the page: 16 random bytes. */
export function newNonce(): string {
  return randomBytes(16).toString('base64');
}

/** For attribute values; only webview URIs and the nonce go into the page, but quote them anyway. */
/** The action buttons, from the message contract's list (the page finds them by these ids). */
function actionButtons(): string {
  return PANEL_ACTIONS.map((a) => `<button type="button" id="${attr(a.id)}"${a.primary ? '' : ' class="secondary"'}>${attr(a.label)}</button>\n`).join('');
}

/** The sections below the status line, hidden until the page fills them, from the contract's list. */
function sectionSkeletons(): string {
  return PANEL_SECTIONS.map(({ id, heading }) => `<section id="${attr(id)}" aria-labelledby="${attr(id)}-heading" hidden>
<h2 id="${attr(id)}-heading" tabindex="-1">${attr(heading)}</h2>
<div id="${attr(id)}-content"></div>
</section>
`).join('');
}

function attr(value: string): string {
  return value.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/**
 * The page: headings and empty containers, the stylesheet and the script. Nothing of a run is in
 * it; only the webview URIs, the CSP source and the nonce are filled in.
 */
export function panelHtml(cspSource: string, scriptUri: string, styleUri: string, nonce: string): string {
  const csp = [
    `default-src 'none'`,
    `style-src ${cspSource}`,
    `script-src 'nonce-${nonce}'`,
    `img-src ${cspSource} data:`,
    `font-src ${cspSource}`,
  ].join('; ');
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${attr(csp)};">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<link rel="stylesheet" href="${attr(styleUri)}">
<title>Webhook run</title>
</head>
<body>
<main id="panel" aria-busy="false">
<header class="top">
<h1 id="panel-title">Webhook run</h1>
<section id="actions" aria-labelledby="actions-heading">
<h2 id="actions-heading" class="visually-hidden">Actions</h2>
<div class="buttons">
${actionButtons()}</div>
</section>
</header>
<p id="running" class="running" role="status" hidden>Running…</p>
<nav id="list-nav" class="list-nav" aria-label="Lead list" hidden></nav>
<section id="summary" aria-labelledby="summary-heading">
<h2 id="summary-heading" class="visually-hidden">Summary</h2>
<div id="summary-content" role="status" aria-live="polite" aria-atomic="true"><p>Waiting for the run…</p></div>
<div id="summary-more"></div>
</section>
${sectionSkeletons()}</main>
<script nonce="${attr(nonce)}" src="${attr(scriptUri)}"></script>
</body>
</html>
`;
}

/**
 * The folders the page loads from: media/ (its stylesheet and icon) and dist/panel/ (its script,
 * bundled from src/panel); the webview may read nothing else of the extension.
 */
export function panelRoots(extensionUri: vscode.Uri): { media: vscode.Uri; script: vscode.Uri } {
  return { media: vscode.Uri.joinPath(extensionUri, 'media'), script: vscode.Uri.joinPath(extensionUri, 'dist', 'panel') };
}

/** The page for a webview, with a new nonce: what each load of the panel gets. */
export function webviewHtml(webview: vscode.Webview, extensionUri: vscode.Uri): string {
  const roots = panelRoots(extensionUri);
  const script = webview.asWebviewUri(vscode.Uri.joinPath(roots.script, 'panel.js')).toString();
  const style = webview.asWebviewUri(vscode.Uri.joinPath(roots.media, 'panel.css')).toString();
  return panelHtml(webview.cspSource, script, style, newNonce());
}

/** A message from the webview, checked field by field; undefined when it is not one we know. */
export function parsePanelRequest(message: unknown): PanelRequest | undefined {
  if (typeof message !== 'object' || message === null || Array.isArray(message)) return undefined;
  const { type, id, anchor, lead, key } = message as Record<string, unknown>;
  const goodId = typeof id === 'string' && id.length > 0 && id.length <= MAX_ID_CHARS;
  switch (type) {
    case 'openDocs':
      // Only an anchor of the behaviour document, never a path: the page cannot pick the file.
      return typeof anchor === 'string' && BEHAVIOUR_ANCHORS.includes(anchor) ? { type, anchor } : undefined;
    case 'rest':
      return typeof key === 'string' && key.length > 0 && key.length <= MAX_ID_CHARS ? { type, key } : undefined;
    case 'ready':
    case 'runAgain':
    case 'showProblems':
    case 'showList':
      return { type };
    case 'openLead':
      return goodId && typeof lead === 'number' && Number.isInteger(lead) && lead >= 1 && lead <= 1e9 ? { type, id, lead } : undefined;
    case 'exportCsv':
    case 'cancelList':
    case 'select':
    case 'copyRecipe':
    case 'copyCurl':
    case 'openResponse':
    case 'saveResult':
      return typeof id === 'string' && id.length > 0 && id.length <= MAX_ID_CHARS ? { type, id } : undefined;
    default:
      return undefined;
  }
}

/**
 * The message for the page: the state as a view model. A response body longer than `limit` is cut
 * to its start (never inside a surrogate pair) so that a 10 MB body is neither posted nor rendered.
 */
export function panelMessage(state: PanelState, limit = PANEL_BODY_CHARS): Extract<HostMessage, { type: 'state' }> {
  return { type: 'state', view: panelView(state, limit) };
}

/** The handling recipe as plain text, for the clipboard: the exact Error Type value first. */
export function recipeText(result: RunResult): string {
  const c = result.classification;
  const handling = result.handling;
  return [
    `Webhook "${result.definition.name}": ${c?.title ?? 'not sent'}`,
    `Error Type (Webhook is Called): ${errorTypeText(c?.errorType ?? null, c?.standardPhrase ?? null)}`,
    '',
    handling?.summary ?? '',
    '',
    ...(handling?.steps ?? []).map((step, i) => `${i + 1}. ${step}`),
    '',
  ].join('\n');
}

/** The Error Type as received, the standard phrase beside it when it is empty or differs. */
function errorTypeText(errorType: string | null, standardPhrase: string | null): string {
  if (errorType === null) return 'none';
  const standard = standardPhrase ? ` (standard phrase: ${standardPhrase})` : '';
  return errorType === '' ? `(empty: the status line had no reason phrase; match on Response instead)${standard}` : `${errorType}${standard}`;
}

/**
 * Opens docs/marketo-behaviour.md, shipped with the extension, in VS Code's Markdown preview at
 * one of its anchors. Any other anchor is refused: the file and the anchors are fixed here.
 */
export async function openBehaviourDocs(extensionUri: vscode.Uri, anchor: string): Promise<vscode.Uri> {
  if (!BEHAVIOUR_ANCHORS.includes(anchor)) throw new Error(`${BEHAVIOUR_DOC} has no section "${anchor.slice(0, 80)}".`);
  const uri = vscode.Uri.joinPath(extensionUri, ...BEHAVIOUR_DOC.split('/')).with({ fragment: anchor });
  // The preview scrolls to the URI's fragment (markdown-language-features: openDynamicPreview).
  await vscode.commands.executeCommand(VSCODE_COMMANDS.markdownPreview, uri);
  return uri;
}

/**
 * The editor language a response body opens in. Not `json` or `xml`: a language server attached to
 * those reads the body's `$schema` (and `json.schemas` associations), a DTD or an
 * `xsi:schemaLocation`, and fetches the URL the service wrote. These languages of our own
 * (package.json) only borrow the JSON and XML grammars for colour; no language server knows them.
 */
export const RESPONSE_EDITOR_LANGUAGES = {
  json: 'marketo-webhook-response-json',
  xml: 'marketo-webhook-response-xml',
  plaintext: 'plaintext',
} as const;

/** A response body, whole (up to 10 MB), in an untitled editor where VS Code handles its size. */
export async function openResponseInEditor(response: Pick<RunResponse, 'headers' | 'body'>): Promise<vscode.TextEditor> {
  const language = RESPONSE_EDITOR_LANGUAGES[responseLanguage(response)];
  const document = await vscode.workspace.openTextDocument({ content: response.body, language });
  return vscode.window.showTextDocument(document, { preview: false });
}

/** `enrich.webhook.jsonc` → `enrich.result.json`. */
export function resultFileName(definitionFileName: string): string {
  const base = definitionFileName.replace(/\.webhook\.jsonc$/i, '').replace(/\.[^.]*$/, '') || 'webhook';
  return `${base}.result.json`;
}

function fileNameOf(uri: vscode.Uri): string {
  return uri.path.split('/').pop() || uri.path;
}

interface OpenPanel {
  readonly panel: vscode.WebviewPanel;
  readonly definition: vscode.Uri;
  /** the run picked from the history; undefined shows the newest */
  selectedId?: string;
  /** the newest run when the state was last posted: a new run resets the pick */
  newestId?: string;
  /** what the page was last sent (runs, running, names): the same state is not laid out and sent twice */
  postedKey?: string;
  /** what the page shows of the definition's list run; undefined until it has one */
  listMode?: 'list' | 'lead' | 'run';
  /** the lead shown in `lead` mode */
  listLead?: number;
  /** the list run the page holds, and how many of its rows it has been sent */
  postedList?: { id: string; rows: number };
  /** the start of the long answer of the run under way, shown again if the page loads meanwhile */
  answerStart?: AnswerStartView;
  /** the remainders of the long texts last posted, until the page asks for them */
  rest?: { key: string; texts: RestTexts };
  readonly disposables: vscode.Disposable[];
}

export class RunPanels implements vscode.Disposable, vscode.WebviewPanelSerializer {
  static readonly viewType = RUN_PANEL_VIEW_TYPE;

  private readonly panels = new Map<string, OpenPanel>();
  private readonly disposables: vscode.Disposable[] = [];
  private readonly roots: { media: vscode.Uri; script: vscode.Uri };
  private readonly extensionUri: vscode.Uri;

  constructor(
    context: vscode.ExtensionContext,
    private readonly services: Services,
    private readonly source: PanelSource,
    private readonly lists?: LeadListRuns,
  ) {
    this.extensionUri = context.extensionUri;
    this.roots = panelRoots(context.extensionUri);
  }

  /** Restores the panels of the last session after a window reload (once per extension host). */
  registerSerializer(): vscode.Disposable {
    return vscode.window.registerWebviewPanelSerializer(RunPanels.viewType, this);
  }

  /**
   * Creates or reveals the panel of a definition (beside the editor) and posts its state. Focus
   * stays where it is unless `preserveFocus` is false, so that one can run and keep typing.
   */
  show(definition: vscode.Uri, options: { preserveFocus?: boolean } = {}): void {
    const preserveFocus = options.preserveFocus ?? true;
    const open = this.panels.get(definition.toString());
    if (open) {
      open.panel.reveal(undefined, preserveFocus);
      this.post(open);
      return;
    }
    const panel = vscode.window.createWebviewPanel(
      RunPanels.viewType,
      `Run: ${fileNameOf(definition)}`,
      { viewColumn: this.columnForNewPanel(), preserveFocus },
      {
        enableScripts: true,
        localResourceRoots: [this.roots.media, this.roots.script],
        // The page keeps nothing of its own: on showing again it asks for the state.
        retainContextWhenHidden: false,
        enableFindWidget: true,
      },
    );
    this.post(this.attach(panel, definition));
  }

  /**
   * Beside the active editor; but when the run panel of another definition sits in another group,
   * there as a tab, so that running several definitions does not open group after group.
   */
  private columnForNewPanel(): vscode.ViewColumn {
    const active = vscode.window.activeTextEditor?.viewColumn;
    for (const { panel } of this.panels.values()) {
      if (panel.viewColumn !== undefined && panel.viewColumn !== active) return panel.viewColumn;
    }
    return vscode.ViewColumn.Beside;
  }

  /** Reveals the definition's panel on its list run's results. */
  showList(definition: vscode.Uri): void {
    this.show(definition);
    const open = this.panels.get(definition.toString());
    if (!open) return;
    open.listMode = 'list';
    open.listLead = undefined;
    this.post(open);
    this.postList(open, true);
  }

  /** The list run has new rows or has ended: the page gets the rows it has not had, in batches. */
  listProgress(definition: vscode.Uri): void {
    const open = this.panels.get(definition.toString());
    if (open) this.postList(open, false);
  }

  private postList(open: OpenPanel, full: boolean): void {
    const list = this.lists?.of(open.definition.toString());
    if (!list) return;
    const send = (message: HostMessage) => {
      open.panel.webview.postMessage(message).then(undefined, (error: unknown) => {
        this.services.log.warn(`Run panel: could not post the lead list: ${String(error)}`);
      });
    };
    if (full || open.postedList?.id !== list.id) {
      send({ type: 'list', list: leadListHead(list) });
      open.postedList = { id: list.id, rows: 0 };
    }
    const posted = open.postedList;
    const end = list.rows.length;
    const summary = leadListSummaryView(list);
    let from = posted.rows;
    do {
      const to = Math.min(end, from + LIST_ROWS_PER_MESSAGE);
      send({ type: 'listRows', id: list.id, rows: list.rows.slice(from, to).map(leadRowView), summary });
      from = to;
    } while (from < end);
    posted.rows = end;
  }

  /**
   * A long answer has begun to arrive: its status line and the start of its body, shown before the
   * rest is read and classified (the first paint of a 10 MB answer). The outcome follows as state.
   */
  answerStart(definition: vscode.Uri, start: RunAnswerStart): void {
    const open = this.panels.get(definition.toString());
    if (!open) return;
    // The state after the run must be posted even if it looks like the last one posted.
    open.postedKey = undefined;
    open.answerStart = answerStartView(start);
    this.send(open, { type: 'answerStart', view: open.answerStart });
  }

  /** Posts fresh state to the definition's panel, if it is open. */
  refresh(definition: vscode.Uri): void {
    const open = this.panels.get(definition.toString());
    if (open) this.post(open);
  }

  dispose(): void {
    for (const open of [...this.panels.values()]) open.panel.dispose();
    this.panels.clear();
    for (const d of this.disposables.splice(0)) d.dispose();
  }

  /**
   * After a window reload: the page saved `{ definition }` with setState. That state comes back
   * from storage as untrusted input (a panel can *Run again* what it names), so only a definition
   * file that exists is accepted; anything else closes the panel, with one line in the log.
   */
  async deserializeWebviewPanel(panel: vscode.WebviewPanel, state: unknown): Promise<void> {
    const restored = restoredDefinition(state, restorableSchemes());
    const problem = 'problem' in restored ? restored.problem : await notAFile(restored.uri);
    if ('problem' in restored || problem !== undefined) {
      this.services.log.warn(`Run panel: not restored after the reload: ${problem}.`);
      panel.dispose();
      return;
    }
    // A definition has one panel; a second one saved for it is closed.
    if (this.panels.has(restored.uri.toString())) {
      panel.dispose();
      return;
    }
    this.post(this.attach(panel, restored.uri));
  }

  private attach(panel: vscode.WebviewPanel, definition: vscode.Uri): OpenPanel {
    const open: OpenPanel = { panel, definition, disposables: [] };
    this.panels.set(definition.toString(), open);
    panel.title = `Run: ${fileNameOf(definition)}`;
    panel.iconPath = vscode.Uri.joinPath(this.roots.media, 'webhook-file.svg');
    panel.webview.options = { enableScripts: true, localResourceRoots: [this.roots.media, this.roots.script] };
    panel.webview.html = webviewHtml(panel.webview, this.extensionUri);
    open.disposables.push(
      panel.webview.onDidReceiveMessage((message: unknown) => this.receive(open, message)),
      panel.onDidDispose(() => {
        if (this.panels.get(definition.toString()) === open) this.panels.delete(definition.toString());
        for (const d of open.disposables.splice(0)) d.dispose();
      }),
    );
    return open;
  }

  /** Sends the page its state; `force` (the page asks, after a load) sends it even when unchanged. */
  private post(open: OpenPanel, force = false): void {
    let state = this.source.state(open.definition, open.selectedId);
    const newest = state.history[0]?.id;
    if (open.selectedId !== undefined && newest !== open.newestId) {
      // A new run came in: show it rather than the run picked before.
      open.selectedId = undefined;
      state = this.source.state(open.definition);
    }
    open.newestId = newest;
    const list = this.lists?.of(open.definition.toString());
    // A single run under way takes the page back from the list to the run.
    // A panel opened while a list runs shows the list; a single run under way takes the page to the run.
    if (list && open.listMode === undefined) open.listMode = list.running && !state.running ? 'list' : 'run';
    if (list && state.running && open.listMode !== 'run') open.listMode = 'run';
    const leadRecord = list && open.listMode === 'lead' && open.listLead !== undefined ? list.record(open.listLead) : undefined;
    if (open.listMode === 'lead') {
      const { current: _single, ...rest } = state;
      state = leadRecord ? { ...rest, current: leadRecord } : rest;
    }
    // The mapping table names each field by SOAP and display name; the catalog knows the latter.
    const catalog = this.services.catalogs.catalogNow(open.definition);
    const names: Record<string, string> = {};
    for (const m of state.current?.result.mappings ?? []) {
      const field = catalog.bySoapName(m.marketoField) ?? catalog.byAnyName(m.marketoField);
      if (field) names[m.marketoField] = field.displayName;
    }
    state = { ...state, fieldDisplayNames: names };
    const key = JSON.stringify([state.current?.id, state.running, state.history.map((h) => h.id), names, list?.id, open.listMode, open.listLead]);
    if (!force && key === open.postedKey) return;
    open.postedKey = key;
    const message = panelMessage(state);
    if (list && open.listMode) {
      const lead = open.listMode === 'lead' && open.listLead !== undefined ? open.listLead : undefined;
      const row = lead !== undefined ? list.row(lead) : undefined;
      message.view.list = { mode: open.listMode, lead: lead !== undefined ? { place: lead, label: row?.label ?? '' } : null };
      if (lead !== undefined && !leadRecord) {
        message.view.run = { none: `The full run of lead ${lead} was not kept: a list run keeps the runs of its last ${LIST_RUNS_KEPT.toLocaleString('en-US')} leads. Its row in the list shows the outcome.` };
      }
    }
    // The first screen first: the page asks for the rest of a long body once it has painted.
    const first = splitForFirstPaint(message.view, newNonce());
    open.rest = first.rest && first.view.rest !== null ? { key: first.view.rest, texts: first.rest } : undefined;
    this.send(open, { type: 'state', view: first.view });
    // A page that (re)loads while a long answer arrives gets its start again, after the state.
    if (!state.running) open.answerStart = undefined;
    else if (open.answerStart) this.send(open, { type: 'answerStart', view: open.answerStart });
  }

  private send(open: OpenPanel, message: HostMessage): void {
    open.panel.webview.postMessage(message).then(undefined, (error: unknown) => {
      this.services.log.warn(`Run panel: could not post the ${message.type}: ${String(error)}`);
    });
  }

  private receive(open: OpenPanel, message: unknown): void {
    const request = parsePanelRequest(message);
    if (!request) {
      this.services.log.warn('Run panel: ignored a message of unknown shape from the webview.');
      return;
    }
    this.handle(open, request).catch((error: unknown) => {
      const text = error instanceof Error ? error.message : String(error);
      this.services.log.error(`Run panel: ${request.type} failed: ${text}`);
      void vscode.window.showErrorMessage(plainMessage(`Marketo Webhook: ${text}`));
    });
  }

  private async handle(open: OpenPanel, request: PanelRequest): Promise<void> {
    switch (request.type) {
      case 'ready':
        this.post(open, true);
        this.postList(open, true);
        return;
      case 'showList':
        if (!this.lists?.of(open.definition.toString())) return;
        open.listMode = 'list';
        open.listLead = undefined;
        this.post(open);
        return;
      case 'openLead': {
        const list = this.lists?.of(open.definition.toString());
        if (!list || list.id !== request.id || !list.row(request.lead)) return;
        open.listMode = 'lead';
        open.listLead = request.lead;
        this.post(open);
        return;
      }
      case 'exportCsv':
        await this.exportCsv(open, request.id);
        return;
      case 'cancelList':
        // Only the list run the page shows; the command cancels the definition's, checked here first.
        if (this.lists?.of(open.definition.toString())?.id === request.id) await vscode.commands.executeCommand(CANCEL_LIST_COMMAND, open.definition);
        return;
      case 'rest':
        // Only the rest of what was posted last, once: a key of an older state gets nothing.
        if (open.rest?.key === request.key) {
          this.send(open, { type: 'rest', key: request.key, texts: open.rest.texts });
          open.rest = undefined;
        }
        return;
      case 'runAgain':
        await vscode.commands.executeCommand(RUN_COMMAND, open.definition);
        return;
      case 'select':
        if (this.source.record(open.definition, request.id)) {
          open.selectedId = request.id;
          // A run of the history, chosen under a list's lead: the page shows that run.
          if (open.listMode !== undefined) open.listMode = 'run';
          this.post(open);
        }
        return;
      case 'copyCurl': {
        const record = this.recordOf(open, request.id);
        if (!record) return;
        const built = record.result.request;
        if (!built) {
          void vscode.window.showInformationMessage('This run has no request to copy: the definition has errors, so nothing was built.');
          return;
        }
        await vscode.env.clipboard.writeText(curlFor(built));
        vscode.window.setStatusBarMessage('Marketo Webhook: copied the request as a curl command.', 5000);
        return;
      }
      case 'openResponse':
        await this.openResponse(open, request.id);
        return;
      case 'saveResult':
        await this.saveResult(open, request.id);
        return;
      case 'showProblems':
        await vscode.commands.executeCommand(PROBLEMS_COMMAND);
        return;
      case 'openDocs':
        await openBehaviourDocs(this.extensionUri, request.anchor);
        return;
      case 'copyRecipe': {
        // Built here from the stored run: the page names a run, it does not supply clipboard text.
        const record = this.lookup(open, request.id);
        if (!record) return;
        await vscode.env.clipboard.writeText(recipeText(record.result));
        vscode.window.setStatusBarMessage('Marketo Webhook: recipe copied.', 5000);
        return;
      }
    }
  }

  /** A run of the history, or a kept lead's run of the list run. */
  private lookup(open: OpenPanel, id: string): RunRecord | undefined {
    return this.lists?.record(open.definition.toString(), id) ?? this.source.record(open.definition, id);
  }

  private recordOf(open: OpenPanel, id: string): RunRecord | undefined {
    const record = this.lookup(open, id);
    if (!record) void vscode.window.showInformationMessage('That run is no longer in the history.');
    return record;
  }

  private async openResponse(open: OpenPanel, id: string): Promise<void> {
    const record = this.recordOf(open, id);
    if (!record) return;
    const response = record.result.response;
    if (!response) {
      void vscode.window.showInformationMessage('This run has no response to open: nothing came back.');
      return;
    }
    await openResponseInEditor(response);
  }

  /** The list run's rows as CSV, written by the host (the page only names the list run). */
  private async exportCsv(open: OpenPanel, id: string): Promise<vscode.Uri | undefined> {
    const list = this.lists?.of(open.definition.toString());
    if (!list || list.id !== id) {
      void vscode.window.showInformationMessage('That list run is no longer shown: run the list again to export it.');
      return undefined;
    }
    const base = fileNameOf(open.definition).replace(/\.webhook\.jsonc$/i, '') || 'webhook';
    const folder = open.definition.scheme === 'untitled' ? vscode.workspace.workspaceFolders?.[0]?.uri : vscode.Uri.joinPath(open.definition, '..');
    const target = await vscode.window.showSaveDialog({
      title: 'Export the list run as CSV',
      saveLabel: 'Export CSV',
      filters: { CSV: ['csv'] },
      ...(folder ? { defaultUri: vscode.Uri.joinPath(folder, `${base}.leads.csv`) } : {}),
    });
    if (!target) return undefined;
    const { leadListCsv } = await loadRunEngine();
    await vscode.workspace.fs.writeFile(target, new TextEncoder().encode(leadListCsv(list.fields, list.rows)));
    vscode.window.setStatusBarMessage(`Marketo Webhook: exported ${list.rows.length} leads to ${fileNameOf(target)}.`, 5000);
    return target;
  }

  private async saveResult(open: OpenPanel, id: string): Promise<void> {
    const record = this.recordOf(open, id);
    if (!record) return;
    const name = resultFileName(fileNameOf(open.definition));
    const folder = open.definition.scheme === 'untitled' ? vscode.workspace.workspaceFolders?.[0]?.uri : vscode.Uri.joinPath(open.definition, '..');
    const target = await vscode.window.showSaveDialog({
      title: 'Save the run result as JSON',
      saveLabel: 'Save result',
      filters: { JSON: ['json'] },
      ...(folder ? { defaultUri: vscode.Uri.joinPath(folder, name) } : {}),
    });
    if (!target) return;
    await vscode.workspace.fs.writeFile(target, new TextEncoder().encode(`${JSON.stringify(record.result, null, 2)}\n`));
    vscode.window.setStatusBarMessage(`Marketo Webhook: saved the run result to ${fileNameOf(target)}.`, 5000);
  }
}

/** The longest definition URI a restored panel's state may hold. */
const MAX_STATE_URI_CHARS = 4096;

/** The URI schemes a restored panel's definition may have: files, and those of the workspace's folders (e.g. vscode-remote). */
function restorableSchemes(): Set<string> {
  return new Set(['file', ...(vscode.workspace.workspaceFolders ?? []).map((folder) => folder.uri.scheme)]);
}

/** Why `uri` is not a file there is to run, or undefined when it is one. */
async function notAFile(uri: vscode.Uri): Promise<string | undefined> {
  try {
    const stat = await vscode.workspace.fs.stat(uri);
    return (stat.type & vscode.FileType.File) === 0 ? 'its saved definition is not a file' : undefined;
  } catch {
    return 'its saved definition file does not exist';
  }
}

/**
 * The definition a restored panel belongs to, from the state its page saved: a URI string of one
 * of `schemes`, naming a `*.webhook.jsonc` file (no query or fragment: a file's URI has neither).
 * Otherwise why not, in words for the log (the state itself is not repeated).
 */
export function restoredDefinition(state: unknown, schemes: ReadonlySet<string>): { uri: vscode.Uri } | { problem: string } {
  if (typeof state !== 'object' || state === null || Array.isArray(state)) return { problem: 'its saved state is not an object' };
  const definition = (state as Record<string, unknown>).definition;
  if (typeof definition !== 'string' || definition.length === 0) return { problem: 'its saved state names no definition' };
  if (definition.length > MAX_STATE_URI_CHARS) return { problem: `its saved definition is over ${MAX_STATE_URI_CHARS} characters long` };
  let uri: vscode.Uri;
  try {
    uri = vscode.Uri.parse(definition, true);
  } catch {
    return { problem: 'its saved definition is not a URI' };
  }
  if (!schemes.has(uri.scheme)) return { problem: `its saved definition is not on a file system of this window (scheme ${JSON.stringify(uri.scheme.slice(0, 40))})` };
  if (uri.query !== '' || uri.fragment !== '') return { problem: 'its saved definition is not a file URI' };
  if (!/\.webhook\.jsonc$/i.test(uri.path)) return { problem: 'its saved definition is not a *.webhook.jsonc file' };
  return { uri };
}
