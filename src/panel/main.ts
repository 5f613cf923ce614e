// The run result panel's page. It receives the run as a view model (protocol.ts: every decision is
// made by the host) and writes every piece of it with textContent and createElement: no HTML is
// ever built from request, response or definition text (a response body is hostile input).
// Buttons post requests back to the host, which checks them.
import { button, byId, el, fill, section } from './dom';
import { renderAnswerStart, renderRequest, renderResponse } from './exchange';
import { renderAssumptions, renderHandling, renderNextStep } from './handling';
import { renderHistory } from './history';
import { addRows, startList } from './lead-list';
import { keepDefinition, post } from './host';
import { renderMappings } from './mappings';
import { PANEL_SECTIONS, TEXT_SLOTS, type AnswerStartView, type HostMessage, type PanelActionId, type PanelListView, type PanelView, type RunView } from './protocol';
import { renderSummary } from './summary';
import { appendRest, newRender } from './text-block';

/** the run shown, for the actions */
let shown: RunView | null = null;
/** the list mode of the last render, to move the focus when it changes */
let lastMode: PanelListView['mode'] | null = null;

function withRun(act: (id: string) => void): () => void {
  return () => {
    if (shown) act(shown.id);
  };
}

const openResponse = withRun((id) => post({ type: 'openResponse', id }));

function action(id: PanelActionId): HTMLButtonElement {
  return byId(id) as HTMLButtonElement;
}

function setDisabled(id: PanelActionId, disabled: boolean): void {
  action(id).disabled = disabled;
}

function render(view: PanelView): void {
  newRender();
  keepDefinition(view.definition);
  byId('panel-title').textContent = view.title;
  document.title = view.title;
  byId('running').hidden = !view.running;
  byId('panel').setAttribute('aria-busy', view.running ? 'true' : 'false');

  const run = 'none' in view.run ? null : view.run;
  shown = run;
  setDisabled('run-again', view.running);
  setDisabled('copy-curl', !run?.can.copyCurl);
  setDisabled('open-response', !run?.can.openResponse);
  setDisabled('save-result', !run?.can.saveResult);

  renderSummary(view.run);
  renderMappings(run?.mappings ?? null);
  renderNextStep(run?.handling ?? null);
  renderResponse(run?.response ?? null, openResponse);
  renderRequest(run?.request ?? null, openResponse);
  renderHandling(run?.handling ?? null, run?.id ?? '');
  renderAssumptions(run?.assumptions ?? []);
  renderHistory(view.history);
  renderListMode(view.list ?? null);
  restKey = view.rest;
  // The first slices are in the DOM; the rest of the long texts comes back in a later task (the
  // host sends it once, for this state only).
  if (view.rest !== null) post({ type: 'rest', key: view.rest });
}

/**
 * A long answer has begun to arrive: the status line says so, and the response section shows the
 * start of its body; the rest of the page keeps the last run until the outcome comes as state.
 */
function renderStart(view: AnswerStartView): void {
  newRender();
  restKey = null;
  fill(byId('summary-content'), el('p', { className: 'title' }, el('strong', null, view.statusLine), ` received. ${view.note}`));
  renderAnswerStart(view, openResponse);
}

/** The key of the rest the shown state is waiting for. */
let restKey: string | null = null;

function receiveRest(key: string, texts: unknown): void {
  if (key !== restKey || typeof texts !== 'object' || texts === null) return;
  restKey = null;
  for (const slot of TEXT_SLOTS) {
    const text = (texts as Record<string, unknown>)[slot];
    if (typeof text === 'string') appendRest(slot, text);
  }
}

/**
 * The list run's place: in list mode its results replace the run's sections; in lead mode (one
 * lead's run) and run mode a bar above the sections leads back to the list.
 */
function renderListMode(list: PanelListView | null): void {
  const mode = list?.mode ?? null;
  const listing = mode === 'list';
  byId('summary').hidden = listing;
  if (listing) {
    for (const { id } of PANEL_SECTIONS) if (id !== 'lead-list') section(id, false);
    shown = null;
    for (const id of ['copy-curl', 'open-response', 'save-result'] as const) setDisabled(id, true);
  }
  section('lead-list', listing);
  const nav = byId('list-nav');
  nav.hidden = mode === null || listing;
  const back = button(mode === 'lead' ? 'Back to list' : 'Show the lead list results', () => post({ type: 'showList' }), { id: 'back-to-list' });
  fill(nav, back, mode === 'lead' && list?.lead
    ? el('span', { className: 'muted' }, ` Lead ${list.lead.place}${list.lead.label ? ` (${list.lead.label})` : ''} of the list run`)
    : null);
  if (mode !== lastMode) {
    if (mode === 'lead') back.focus();
    else if (listing && lastMode === 'lead') byId('lead-list-heading').focus();
  }
  lastMode = mode;
}

action('run-again').addEventListener('click', () => post({ type: 'runAgain' }));
action('copy-curl').addEventListener('click', withRun((id) => post({ type: 'copyCurl', id })));
action('open-response').addEventListener('click', openResponse);
action('save-result').addEventListener('click', withRun((id) => post({ type: 'saveResult', id })));

window.addEventListener('message', (event: MessageEvent<HostMessage>) => {
  const message = event.data;
  if (typeof message !== 'object' || message === null) return;
  if (message.type === 'rest' && typeof message.key === 'string') {
    receiveRest(message.key, message.texts);
    return;
  }
  try {
    if (message.type === 'list' && typeof message.list === 'object') startList(message.list);
    else if (message.type === 'listRows' && Array.isArray(message.rows)) addRows(message.id, message.rows, message.summary);
    else if (message.type === 'state' && typeof message.view === 'object') render(message.view);
    else if (message.type === 'answerStart' && typeof message.view === 'object') renderStart(message.view);
  } catch (error) {
    const p = document.createElement('p');
    p.className = 'error';
    p.textContent = `This run cannot be shown: ${error instanceof Error ? error.message : String(error)}`;
    byId('summary-content').replaceChildren(p);
  }
});

// The host answers with the state: on first load, after a reload and when shown again.
post({ type: 'ready' });
