// The run result panel's page. It receives the run as a view model (protocol.ts: every decision is
// made by the host) and writes every piece of it with textContent and createElement: no HTML is
// ever built from request, response or definition text (a response body is hostile input).
// Buttons post requests back to the host, which checks them.
import { byId } from './dom';
import { renderRequest, renderResponse } from './exchange';
import { renderAssumptions, renderHandling, renderNextStep } from './handling';
import { renderHistory } from './history';
import { keepDefinition, post } from './host';
import { renderMappings } from './mappings';
import type { HostMessage, PanelActionId, PanelView, RunView } from './protocol';
import { renderSummary } from './summary';
import { newRender } from './text-block';

/** the run shown, for the actions */
let shown: RunView | null = null;

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
}

action('run-again').addEventListener('click', () => post({ type: 'runAgain' }));
action('copy-curl').addEventListener('click', withRun((id) => post({ type: 'copyCurl', id })));
action('open-response').addEventListener('click', openResponse);
action('save-result').addEventListener('click', withRun((id) => post({ type: 'saveResult', id })));

window.addEventListener('message', (event: MessageEvent<HostMessage>) => {
  const message = event.data;
  if (typeof message !== 'object' || message === null || message.type !== 'state' || typeof message.view !== 'object') return;
  try {
    render(message.view);
  } catch (error) {
    const p = document.createElement('p');
    p.className = 'error';
    p.textContent = `This run cannot be shown: ${error instanceof Error ? error.message : String(error)}`;
    byId('summary-content').replaceChildren(p);
  }
});

// The host answers with the state: on first load, after a reload and when shown again.
post({ type: 'ready' });
