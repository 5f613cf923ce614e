// The sample lead a run substitutes into `{{lead.…}}` tokens (contracts §2). Keys may be REST,
// SOAP or display names; Marketo's Get Leads response is accepted as is (first record).
import { parse, printParseErrorCode, type ParseError } from 'jsonc-parser';
import type { FieldCatalog, LeadField } from './field-catalog';
import { LEAD_OWNER_TOKENS } from '../tokens/namespaces';

export interface SampleLead {
  /** values by field, for fields the catalog knows */
  readonly byField: ReadonlyMap<LeadField, unknown>;
  /** values of keys the catalog does not know (lead owner fields, fields missing from the catalog), by lower-cased key */
  readonly other: ReadonlyMap<string, unknown>;
  /** keys of the lead that no field or token matches */
  readonly unknownKeys: readonly string[];
}

export const BLANK_LEAD: SampleLead = { byField: new Map(), other: new Map(), unknownKeys: [] };

export type LeadParse = { ok: true; lead: SampleLead } | { ok: false; message: string };

/** Reads a lead file's text (JSON or JSONC). */
export function parseLeadText(text: string, catalog: FieldCatalog): LeadParse {
  // Most lead files are plain JSON, which the native parser reads much faster; JSONC (comments,
  // trailing commas) and every error go through jsonc-parser, which reads all valid JSON alike.
  // JSON.parse keeps a "__proto__" key as an own property where jsonc-parser drops it: such
  // files take the JSONC path, so a lead file and an inline test.lead read alike.
  let plain: { value: unknown } | undefined;
  try {
    plain = text.includes('__proto__') ? undefined : { value: JSON.parse(text) as unknown };
  } catch {
    plain = undefined; // not plain JSON: read it as JSONC below
  }
  if (plain) return leadFromValue(plain.value, catalog);
  const errors: ParseError[] = [];
  const value: unknown = parse(text, errors, { allowTrailingComma: true, disallowComments: false });
  const first = errors[0];
  if (first) {
    return { ok: false, message: `not valid JSON (${printParseErrorCode(first.error)} at offset ${first.offset})` };
  }
  return leadFromValue(value, catalog);
}

/** The lead owner's tokens, lower case: keys of a lead that are no field but still known. */
const OWNER_NAMES: ReadonlySet<string> = new Set(LEAD_OWNER_TOKENS.map((n) => n.toLowerCase()));

export function leadFromValue(value: unknown, catalog: FieldCatalog): LeadParse {
  let record = value;
  if (isObject(record) && Array.isArray(record.result)) {
    // A Get Leads REST response: the first record is the lead.
    record = record.result[0];
    if (record === undefined) return { ok: false, message: 'the Get Leads response holds no lead (`result` is empty)' };
  }
  if (!isObject(record)) return { ok: false, message: 'a lead must be a JSON object of field → value' };
  const byField = new Map<LeadField, unknown>();
  const other = new Map<string, unknown>();
  const unknownKeys: string[] = [];
  // Keys, not entries: no [key, value] array per field, lead after lead.
  for (const key of Object.keys(record)) {
    const v = record[key];
    const field = catalog.byAnyName(key);
    if (field) byField.set(field, v);
    else {
      other.set(key.toLowerCase(), v);
      if (!OWNER_NAMES.has(key.toLowerCase())) unknownKeys.push(key);
    }
  }
  return { ok: true, lead: { byField, other, unknownKeys } };
}

/** The value a lead token or a company token reads, by display name. */
export function leadValue(lead: SampleLead, displayName: string, catalog: FieldCatalog): unknown {
  const field = catalog.byDisplayName(displayName);
  if (field && lead.byField.has(field)) return lead.byField.get(field);
  return lead.other.get(displayName.trim().toLowerCase());
}

/** How Marketo writes a field value into text: numbers and booleans as written, null as empty. */
export function leadValueText(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return JSON.stringify(value);
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
