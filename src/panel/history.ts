// The last runs of the definition, newest first; choosing one shows it.
import { append, badge, button, el, section, fill } from './dom';
import { post } from './host';
import type { HistoryItemView } from './protocol';

export function renderHistory(history: readonly HistoryItemView[]): void {
  const box = section('history', history.length > 0);
  if (history.length === 0) return;
  fill(box, 
    el('p', null, `The last ${history.length} ${history.length === 1 ? 'run' : 'runs'}, newest first. Choose one to show it.`),
    el('ol', { className: 'history' }, history.map((h) => {
      const item = button('', () => post({ type: 'select', id: h.id }), { className: 'history-item', 'aria-current': h.current ? 'true' : undefined });
      append(item, [el('span', { className: 'when' }, h.when), badge(h.badge), el('span', { className: 'what' }, h.title)]);
      return el('li', null, item);
    })));
}
