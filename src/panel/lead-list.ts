// The results of a run over a list of leads: the summary on top, then a table of leads that can be
// sorted (each column header is a button; aria-sort says how) and filtered (text and category).
// Rows arrive in batches while the list runs; the page keeps them all (small: no bodies) but puts
// only one page of PAGE_ROWS rows in the DOM, so 10,000 leads cost 100 table rows. Every value is
// text (textContent): a lead's email and the service's answers are hostile input.
import { badge, button, byId, el, factsTable, fill } from './dom';
import { post } from './host';
import type { LeadListHeadView, LeadListSummaryView, LeadRowView } from './protocol';

/** Rows in the DOM at once. */
export const PAGE_ROWS = 100;

type SortKey = 'lead' | 'label' | 'code' | 'category' | 'errorType' | number;

interface Column {
  key: SortKey;
  label: string;
}

interface Parts {
  progress: HTMLElement;
  summary: HTMLElement;
  filter: HTMLInputElement;
  category: HTMLSelectElement;
  exportButton: HTMLButtonElement;
  cancelButton: HTMLButtonElement;
  shown: HTMLElement;
  headRow: HTMLTableRowElement;
  body: HTMLTableSectionElement;
  previous: HTMLButtonElement;
  next: HTMLButtonElement;
  pageText: HTMLElement;
}

let head: LeadListHeadView | null = null;
let rows: LeadRowView[] = [];
/** each row's text in lower case, for the filter: built once per row */
let haystacks: string[] = [];
let summary: LeadListSummaryView | null = null;
const categories = new Set<string>();
let sort: { key: SortKey; dir: 1 | -1 } = { key: 'lead', dir: 1 };
let page = 0;
let parts: Parts | null = null;
let scheduled = false;

function columns(): Column[] {
  return [
    { key: 'lead', label: '#' },
    { key: 'label', label: 'Lead' },
    { key: 'code', label: 'Code' },
    { key: 'category', label: 'Category' },
    { key: 'errorType', label: 'Error Type' },
    ...(head?.fields ?? []).map((field, i) => ({ key: i, label: field })),
  ];
}

/** A new list run: its rows replace the ones held. */
export function startList(list: LeadListHeadView): void {
  head = list;
  rows = [];
  haystacks = [];
  summary = null;
  categories.clear();
  page = 0;
  build();
}

/** A batch of rows of the list run `id`, and the summary so far. */
export function addRows(id: string, batch: readonly LeadRowView[], now: LeadListSummaryView): void {
  if (!head || head.id !== id) return;
  for (const row of batch) {
    rows.push(row);
    haystacks.push([row.lead, row.label, row.code, row.category, row.errorType ?? '', ...row.values.map((v) => v.text)].join('\u0000').toLowerCase());
    categories.add(row.category);
  }
  summary = now;
  if (scheduled) return;
  scheduled = true;
  // One render per frame, however many batches arrived.
  requestAnimationFrame(() => {
    scheduled = false;
    renderList();
  });
}

function build(): void {
  const box = byId('lead-list-content');
  const filter = el('input', { type: 'search', className: 'filter', placeholder: 'Filter leads', 'aria-label': 'Filter leads by any column' });
  const category = el('select', { 'aria-label': 'Category' }, el('option', { value: '' }, 'All categories'));
  const exportButton = button('Export CSV', () => {
    if (head) post({ type: 'exportCsv', id: head.id });
  });
  const cancelButton = button('Cancel the list run', () => {
    if (head) post({ type: 'cancelList', id: head.id });
  }, { id: 'cancel-list' });
  const headRow = el('tr');
  const body = el('tbody');
  const previous = button('Previous', () => turn(-1));
  const next = button('Next', () => turn(1));
  parts = {
    progress: el('p', { className: 'list-progress' }),
    summary: el('div'),
    filter,
    category,
    exportButton,
    cancelButton,
    shown: el('span', { className: 'muted', 'aria-live': 'polite' }),
    headRow,
    body,
    previous,
    next,
    pageText: el('span', { className: 'muted' }),
  };
  filter.addEventListener('input', () => { page = 0; renderList(); });
  category.addEventListener('change', () => { page = 0; renderList(); });
  fill(box,
    el('div', { className: 'list-status' }, parts.progress, cancelButton),
    parts.summary,
    el('h3', null, 'Leads'),
    el('div', { className: 'toolbar' }, filter, category, exportButton, parts.shown),
    // Wide lists scroll sideways inside their box; the page keeps its width.
    el('div', { className: 'table-scroll' }, el('table', { className: 'grid lead-table' },
      el('caption', { className: 'visually-hidden' }, 'Leads of the list run: choose a lead to open its run'),
      el('thead', null, headRow),
      body)),
    el('div', { className: 'pager' }, previous, parts.pageText, next));
  renderList();
}

function turn(by: number): void {
  page += by;
  renderList();
}

function compare(a: LeadRowView, b: LeadRowView, key: SortKey): number {
  switch (key) {
    case 'lead':
      return a.lead - b.lead;
    case 'code': {
      const [x, y] = [Number(a.code), Number(b.code)];
      if (Number.isFinite(x) && Number.isFinite(y)) return x - y;
      return a.code.localeCompare(b.code);
    }
    case 'label':
    case 'category':
      return a[key].localeCompare(b[key]);
    case 'errorType':
      return (a.errorType ?? '').localeCompare(b.errorType ?? '');
    default:
      return (a.values[key]?.text ?? '').localeCompare(b.values[key]?.text ?? '', undefined, { numeric: true });
  }
}

/** The rows the filter lets through, in the chosen order (the lead's place breaks ties). */
function visibleRows(): LeadRowView[] {
  const text = parts?.filter.value.trim().toLowerCase() ?? '';
  const wanted = parts?.category.value ?? '';
  const out: LeadRowView[] = [];
  for (let i = 0; i < rows.length; i++) {
    const row = rows[i] as LeadRowView;
    if (wanted !== '' && row.category !== wanted) continue;
    if (text !== '' && !(haystacks[i] as string).includes(text)) continue;
    out.push(row);
  }
  const { key, dir } = sort;
  return out.sort((a, b) => dir * compare(a, b, key) || a.lead - b.lead);
}

function renderHead(): void {
  if (!parts) return;
  fill(parts.headRow, columns().map((column) => {
    const active = sort.key === column.key;
    const state = active ? (sort.dir === 1 ? 'ascending' : 'descending') : 'none';
    const th = el('th', { scope: 'col', 'aria-sort': state },
      button([column.label, el('span', { className: 'sort-mark', 'aria-hidden': 'true' }, active ? (sort.dir === 1 ? ' ▲' : ' ▼') : '')], () => {
        sort = { key: column.key, dir: active ? (sort.dir === 1 ? -1 : 1) : 1 };
        page = 0;
        renderList();
        // The header was written again: keep the keyboard on the same column.
        (parts?.headRow.querySelectorAll('th button')[columns().indexOf(column)] as HTMLButtonElement | undefined)?.focus();
      }, { className: 'sort' }));
    return th;
  }));
}

function renderCategories(): void {
  if (!parts) return;
  const select = parts.category;
  if (select.options.length - 1 === categories.size) return;
  const chosen = select.value;
  fill(select, el('option', { value: '' }, 'All categories'), [...categories].sort().map((c) => el('option', { value: c }, c)));
  select.value = categories.has(chosen) ? chosen : '';
}

function renderList(): void {
  if (!parts || !head) return;
  const s = summary;
  parts.progress.textContent = !s ? `Starting: ${head.total.toLocaleString('en-US')} leads of ${head.file} to ${head.host}…`
    : s.running ? `Running: ${s.done.toLocaleString('en-US')} of ${s.total.toLocaleString('en-US')} leads done…`
      : s.cancelled ? `Cancelled after ${s.done.toLocaleString('en-US')} of ${s.total.toLocaleString('en-US')} leads.`
        : `Done: ${s.done.toLocaleString('en-US')} leads.`;
  fill(parts.summary, s ? factsTable('List run summary', s.facts) : null);
  parts.exportButton.disabled = rows.length === 0;
  parts.cancelButton.hidden = !s?.running;
  renderCategories();
  renderHead();

  const visible = visibleRows();
  const pages = Math.max(1, Math.ceil(visible.length / PAGE_ROWS));
  page = Math.min(Math.max(page, 0), pages - 1);
  const first = page * PAGE_ROWS;
  const slice = visible.slice(first, first + PAGE_ROWS);
  const fields = head.fields.length;
  fill(parts.body, slice.map((row) => el('tr', { 'data-lead': String(row.lead) },
    el('td', { className: 'num' }, String(row.lead)),
    el('td', null, button(row.label || `lead ${row.lead}`, () => post({ type: 'openLead', id: head?.id ?? '', lead: row.lead }), {
      className: 'link', title: `Open the run of lead ${row.lead}`,
    })),
    el('td', null, badge({ text: row.code, kind: row.badge })),
    el('td', null, row.category),
    el('td', null, row.errorType === null ? el('span', { className: 'muted' }, 'none') : row.errorType === '' ? el('em', null, 'empty') : el('code', { className: 'value' }, row.errorType)),
    Array.from({ length: fields }, (_, i) => {
      const value = row.values[i];
      return el('td', { className: 'mono wrap' }, !value || value.text === '' ? '' : value.written ? value.text : el('span', { className: 'muted', title: 'not written: the field refuses it, or Marketo ignores mappings for this outcome' }, `${value.text} (not written)`));
    }))));
  const filtered = visible.length !== rows.length ? ` (filtered from ${rows.length.toLocaleString('en-US')})` : '';
  parts.shown.textContent = visible.length === 0 ? `No leads${filtered}.` : `Leads ${(first + 1).toLocaleString('en-US')}–${(first + slice.length).toLocaleString('en-US')} of ${visible.length.toLocaleString('en-US')}${filtered}`;
  parts.pageText.textContent = `Page ${page + 1} of ${pages}`;
  parts.previous.disabled = page === 0;
  parts.next.disabled = page >= pages - 1;
}
