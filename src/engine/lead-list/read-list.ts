// A list of leads for a run over many: a CSV as Marketo's list and smart-list export writes it
// (display names as the header row), a JSON array of leads, or a Get Leads response.
import { parse as parseCsv, CsvError } from 'csv-parse/sync';
import type { FieldCatalog } from '../catalog/field-catalog';

/** One lead of the list: field → value, keyed as a sample lead file is (REST names, or the column as written). */
export type LeadRow = Record<string, unknown>;

export type LeadListFormat = 'csv' | 'json';

export type LeadListRead =
  | {
    ok: true;
    leads: LeadRow[];
    /** CSV columns no lead field has as display, REST or SOAP name: their values reach no `{{lead.…}}` token of a known field */
    unknownColumns: string[];
  }
  | { ok: false; message: string };

/** The format a list file is in: by its extension, else by its first character (`[` or `{` is JSON). */
export function leadListFormat(path: string, text: string): LeadListFormat {
  const lower = path.toLowerCase();
  if (lower.endsWith('.csv')) return 'csv';
  if (lower.endsWith('.json')) return 'json';
  return /^\uFEFF?\s*[[{]/.test(text) ? 'json' : 'csv';
}

/**
 * A list file as the CLI and the editor take it: its format by name or content, read, and refused
 * when it holds no leads (nothing to run). The message follows "the lead list FILE is not usable: ".
 */
export function readLeadListFile(path: string, text: string, catalog: FieldCatalog): LeadListRead {
  const read = readLeadList(text, leadListFormat(path, text), catalog);
  if (read.ok && read.leads.length === 0) return { ok: false, message: 'it holds no leads' };
  return read;
}

export function readLeadList(text: string, format: LeadListFormat, catalog: FieldCatalog): LeadListRead {
  return format === 'csv' ? readCsv(text, catalog) : readJson(text);
}

function readCsv(text: string, catalog: FieldCatalog): LeadListRead {
  let rows: string[][];
  try {
    // csv-parse reads what Marketo's export writes: RFC 4180 quoting ("" inside quotes), commas and
    // line breaks inside quoted fields, CRLF, and the UTF-8 byte order mark Excel-friendly exports start with.
    rows = parseCsv(text, { bom: true, skip_empty_lines: true, relax_quotes: false });
  } catch (error) {
    const message = error instanceof CsvError ? error.message : String(error);
    return { ok: false, message: `not a CSV file Marketo would export (${message})` };
  }
  const [header, ...records] = rows;
  if (!header) return { ok: false, message: 'the CSV file is empty: its first row must name the fields (Marketo exports display names)' };
  const keys: string[] = [];
  const unknownColumns: string[] = [];
  for (const column of header) {
    const name = column.trim();
    // Marketo exports display names; REST and SOAP names (a hand-made file) are read too.
    const field = catalog.byDisplayName(name) ?? catalog.byAnyName(name);
    if (field) keys.push(field.restName);
    else {
      keys.push(name);
      if (name !== '') unknownColumns.push(name);
    }
  }
  const leads: LeadRow[] = [];
  // Plain objects, their keys own properties in column order. Assigning "__proto__" to a plain
  // object would set its prototype instead: such a header goes through an object without one,
  // copied into a plain object (a copy defines every key as an own property).
  const viaCopy = keys.includes('__proto__');
  for (const record of records) {
    const lead: LeadRow = viaCopy ? Object.create(null) as LeadRow : {};
    // csv-parse has already refused a row whose number of fields differs from the header's.
    for (let i = 0; i < record.length; i++) {
      const key = keys[i] as string;
      if (key !== '') lead[key] = record[i];
    }
    leads.push(viaCopy ? { ...lead } : lead);
  }
  return { ok: true, leads, unknownColumns };
}

function readJson(text: string): LeadListRead {
  let value: unknown;
  try {
    value = JSON.parse(text.replace(/^\uFEFF/, ''));
  } catch (error) {
    return { ok: false, message: `not valid JSON (${(error as Error).message})` };
  }
  let list = value;
  if (isObject(value)) {
    if (value.success === false) {
      return { ok: false, message: 'the Get Leads response is an error (`"success": false`), not a list of leads' };
    }
    if (!Array.isArray(value.result)) {
      return { ok: false, message: 'a lead list in JSON is an array of leads, or a Get Leads response (its leads in `result`)' };
    }
    list = value.result;
  }
  if (!Array.isArray(list)) return { ok: false, message: 'a lead list in JSON is an array of leads, or a Get Leads response (its leads in `result`)' };
  const leads: LeadRow[] = [];
  for (const [i, lead] of list.entries()) {
    if (!isObject(lead)) return { ok: false, message: `lead ${i + 1} of the list is not a JSON object of field → value` };
    leads.push(lead);
  }
  return { ok: true, leads, unknownColumns: [] };
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
