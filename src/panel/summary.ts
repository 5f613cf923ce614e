// The first thing the panel says: one status line (code badge, category, Error Type, duration,
// size) in a live region, so that a screen reader announces each new outcome; under it, why
// nothing was sent when the definition has errors.
import { badge, button, byId, el, errorTypeNode, factsTable, note, section, type Child, fill } from './dom';
import { post } from './host';
import type { RunView } from './protocol';

function fact(name: string, ...value: Child[]): HTMLLIElement {
  return el('li', null, el('span', { className: 'name' }, name), ' ', el('span', { className: 'value' }, ...value));
}

export function renderSummary(run: RunView | { none: string }): void {
  const box = byId('summary-content');
  const more = byId('summary-more');
  if ('none' in run) {
    fill(box, el('p', null, run.none));
    fill(more);
    section('details', false);
    return;
  }
  const s = run.status;
  fill(box, 
    el('ul', { className: 'status-line', 'aria-label': 'Outcome' },
      el('li', { className: 'code' }, badge(s.badge), s.received ? el('span', { className: 'received' }, s.received) : null),
      fact('Category', s.category),
      fact('Error Type', errorTypeNode(s.errorType)),
      fact('Duration', s.duration),
      fact('Size', s.size)),
    el('p', { className: 'title' }, s.title),
  );

  const parts: HTMLElement[] = [];
  if (run.batch) {
    parts.push(note('Not sent: a batch campaign cannot call a webhook, so Marketo answers 1000 without calling the service. The Request section shows what a trigger campaign would send.'));
  }
  if (run.notSent) {
    parts.push(
      el('h3', null, 'Why nothing was sent'),
      el('p', null, 'The definition has errors; fix them and run again.'),
      el('ul', { className: 'diagnostics' }, run.notSent.diagnostics.map((d) => el('li', null,
        el('span', { className: `severity severity-${d.error ? 'error' : 'other'}` }, d.severity),
        ` ${d.where}${d.message} `,
        el('span', { className: 'code-name' }, `(${d.code})`)))),
      el('div', { className: 'buttons' }, button('Show Problems', () => post({ type: 'showProblems' }))),
    );
  } else if (run.findings > 0) {
    parts.push(el('p', null, `The definition has ${run.findings} ${run.findings === 1 ? 'finding' : 'findings'} (warnings or hints). `,
      button('Show Problems', () => post({ type: 'showProblems' }))));
  }
  fill(more, ...parts);

  // The facts that do not fit the status line, lower down.
  const details = section('details', true);
  fill(details, factsTable('Run details', run.details),
    run.notSent === null
      ? note('Error Type is what the "Webhook is Called" trigger\'s Error Type constraint matches for this call.') : null);
}
