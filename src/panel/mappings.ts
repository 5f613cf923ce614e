// The mapped fields: for each response mapping, the value it would write to the person, or why it
// is skipped. Second on the page: it is what a run is mostly for.
import { el, section, fill } from './dom';
import type { MappingsView } from './protocol';

export function renderMappings(view: MappingsView | null): void {
  const box = section('mappings', view !== null);
  if (!view) return;
  if (view.rows.length === 0) {
    fill(box, el('p', null, view.intro));
    return;
  }
  fill(box, 
    el('p', null, view.intro, ' ', el('span', { className: 'muted' }, view.applied)),
    el('table', { className: 'grid' },
      el('caption', { className: 'visually-hidden' }, 'Response mappings'),
      el('thead', null, el('tr', null,
        el('th', { scope: 'col' }, 'Response attribute'),
        el('th', { scope: 'col' }, 'Marketo field'),
        el('th', { scope: 'col' }, 'Value'),
        el('th', { scope: 'col' }, 'Result'))),
      el('tbody', null, view.rows.map((m) => el('tr', null,
        el('td', { className: 'mono' }, m.responseAttribute),
        el('td', null, el('span', { className: 'mono' }, m.marketoField), m.displayName !== null ? el('span', { className: 'muted' }, ` (${m.displayName})`) : null),
        el('td', { className: 'mono wrap' }, m.value),
        el('td', null,
          el('span', { className: `status status-${m.written ? 'applied' : 'skipped'}` }, m.written ? 'applied' : 'skipped'),
          m.reason ? ` ${m.reason}` : null,
          m.note ? el('span', { className: 'mapping-note' }, ` ${m.note}`) : null))))));
}
