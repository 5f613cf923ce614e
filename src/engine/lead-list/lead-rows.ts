// One line per lead of a list run, as the editor's table and its CSV export show it: the lead's
// place, who it is, the outcome Marketo would log and what each response mapping would write. The
// table and the export read the same rows, so they cannot disagree; a row is small, so a list of
// 100,000 leads keeps 100,000 rows, never 100,000 run results.
import type { RunResult } from '../types';
import type { LeadRow } from './read-list';
import { codeOf, NOT_SENT } from './summary';

/** Characters of a mapped value kept in a row (the lead's full run has the whole value). */
export const ROW_VALUE_CHARS = 200;

export interface LeadListRow {
  /** the lead's place in the list, from 1 */
  lead: number;
  /** the lead's email address, else its id (`id 7`), else '' */
  label: string;
  /** the code Marketo would log (200, 1001, …), the network failure, or `not-sent` */
  code: string;
  /** the run's category (`success`, `client-error`, …), or `not-sent` */
  category: string;
  /** the Error Type "Webhook is Called" matches, or null when the outcome has none */
  errorType: string | null;
  /** one per response mapping of the definition, in its order: the value, and whether it is written */
  values: { text: string; written: boolean }[];
}

/** Who a lead is, for people: its email address, else its Marketo id. */
export function leadLabel(lead: LeadRow | undefined): string {
  if (!lead) return '';
  const email = lead.email;
  if (typeof email === 'string' && email.trim() !== '') return email.trim();
  const id = lead.id;
  if ((typeof id === 'string' && id.trim() !== '') || typeof id === 'number') return `id ${String(id).trim()}`;
  return '';
}

export function leadListRow(place: number, lead: LeadRow | undefined, result: RunResult, mappings: number): LeadListRow {
  const c = result.classification;
  const values: LeadListRow['values'] = [];
  for (let i = 0; i < mappings; i++) {
    const m = result.mappings[i];
    values.push(m ? { text: valueText(m.value), written: m.status === 'applied' } : { text: '', written: false });
  }
  return {
    lead: place,
    label: leadLabel(lead),
    code: codeOf(result),
    category: c?.category ?? NOT_SENT,
    errorType: c ? c.errorType : null,
    values,
  };
}

function valueText(value: unknown): string {
  if (value === undefined || value === null) return '';
  let text: string;
  try {
    // undefined for what JSON has no text for (a function, a symbol)
    text = typeof value === 'string' ? value : (JSON.stringify(value) ?? typeof value);
  } catch {
    text = typeof value === 'bigint' ? value.toString() : '(a value that cannot be shown)';
  }
  return text.length <= ROW_VALUE_CHARS ? text : `${text.slice(0, ROW_VALUE_CHARS)}…`;
}

/**
 * A cell of the export. A spreadsheet reads a cell starting with = + - @ (or a tab or carriage
 * return) as a formula, and a lead's values come from the list and the service's answer: such a
 * cell gets a leading ' so it stays text (OWASP's CSV injection advice). Then RFC 4180 quoting.
 */
export function csvCell(text: string): string {
  const safe = /^[=+\-@\t\r]/.test(text) ? `'${text}` : text;
  return /[",\r\n]|^\s|\s$/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

/** The rows as CSV (CRLF line ends, RFC 4180), in the list's order; `fields` names the mapping columns. */
export function leadListCsv(fields: readonly string[], rows: Iterable<LeadListRow>): string {
  const header = ['Lead', 'Email or Id', 'Code', 'Category', 'Error Type', ...fields.map((f) => `${f} (mapped)`)];
  const lines = [header.map(csvCell).join(',')];
  for (const row of [...rows].sort((a, b) => a.lead - b.lead)) {
    lines.push([String(row.lead), row.label, row.code, row.category, row.errorType ?? '', ...row.values.map((v) => (v.written ? v.text : ''))].map(csvCell).join(','));
  }
  return `${lines.join('\r\n')}\r\n`;
}
