// What to do about the outcome: its first step on the first screen, the whole handling (the Error
// Type to match, every step, the recipe to copy) and the assumptions the outcome rests on below.
import { button, el, errorTypeToMatch, section, fill } from './dom';
import { post } from './host';
import type { AssumptionView, HandlingView } from './protocol';

export function renderNextStep(view: HandlingView | null): void {
  const first = view?.steps[0];
  const box = section('next-step', view !== null);
  if (!view) return;
  fill(box, 
    el('p', null, first ?? view.summary),
    view.steps.length > 1 || first !== undefined
      ? button(`All ${view.steps.length === 1 ? 'handling' : `${view.steps.length} steps`} and the Error Type to match`, () => {
        const heading = document.getElementById('handling-heading');
        heading?.scrollIntoView({ block: 'start' });
        heading?.focus();
      }, { className: 'link' })
      : null,
  );
}

export function renderHandling(view: HandlingView | null, runId: string): void {
  const box = section('handling', view !== null);
  if (!view) return;
  fill(box, 
    el('p', null, view.summary),
    el('p', null, 'Error Type to match in "Webhook is Called": ', errorTypeToMatch(view.errorType)),
    el('h3', null, 'Steps'),
    el('ol', { className: 'steps' }, view.steps.map((step) => el('li', null, step))),
    el('div', { className: 'buttons' }, button('Copy recipe', () => post({ type: 'copyRecipe', id: runId }))));
}

export function renderAssumptions(assumptions: readonly AssumptionView[]): void {
  const box = section('assumptions', assumptions.length > 0);
  if (assumptions.length === 0) return;
  fill(box, 
    el('p', null, 'This outcome rests on rules Marketo does not document. Each is the workbench\'s assumption, explained in the docs:'),
    el('ul', { className: 'assumptions' }, assumptions.map((a) => {
      const anchor = a.anchor;
      return el('li', { className: 'note', 'data-assumption': a.id },
        a.text, ' ',
        anchor !== null ? button(`Why: ${a.doc}`, () => post({ type: 'openDocs', anchor }), { className: 'link', title: `Open ${a.doc} in the Markdown preview` }) : null);
    })));
}
