// The lead field catalog: Marketo's standard fields, extended by an instance's own Describe Lead
// response (custom fields). Tokens name fields by display name, mappings by SOAP name, lead files
// by any of the three names; every lookup goes through here.
import { STANDARD_LEAD_FIELDS } from './standard-fields';

export type FieldDataType =
  | 'string' | 'text' | 'integer' | 'float' | 'currency' | 'percent' | 'boolean'
  | 'date' | 'datetime' | 'email' | 'phone' | 'url' | 'reference';

export const FIELD_DATA_TYPES: readonly FieldDataType[] = [
  'string', 'text', 'integer', 'float', 'currency', 'percent', 'boolean',
  'date', 'datetime', 'email', 'phone', 'url', 'reference',
];

export interface LeadField {
  id?: number;
  displayName: string;
  restName: string;
  /** the name response mappings must use; some fields have none and cannot be mapped */
  soapName?: string;
  /** one of FIELD_DATA_TYPES for Marketo's fields; a Describe response may bring others */
  dataType: string;
  length?: number;
  readOnly?: boolean;
  /** true for fields that came from a user's Describe Lead response */
  custom?: boolean;
}

/** Names remembered per lookup at most: far more than a definition's tokens or a list's columns. */
const MEMO_ENTRIES = 2_000;

function remembered(memo: Map<string, LeadField | null>, name: string, find: () => LeadField | undefined): LeadField | undefined {
  const known = memo.get(name);
  if (known !== undefined) return known ?? undefined;
  const found = find();
  if (memo.size >= MEMO_ENTRIES) memo.clear();
  memo.set(name, found ?? null);
  return found;
}

export class FieldCatalog {
  readonly fields: readonly LeadField[];
  private readonly byDisplay = new Map<string, LeadField>();
  private readonly byRest = new Map<string, LeadField>();
  private readonly bySoap = new Map<string, LeadField>();
  /**
   * Names as written → the field (null: none), for the two lookups a run makes per lead and key:
   * a list's leads repeat the same keys and tokens, looked up here once rather than lowered and
   * searched again. The maps above never change, so neither does an answer; emptied when full.
   */
  private readonly displayMemo = new Map<string, LeadField | null>();
  private readonly anyMemo = new Map<string, LeadField | null>();

  constructor(fields: readonly LeadField[]) {
    // One entry per field (by REST name); a later entry replaces an earlier one, so a user's
    // Describe response overrides the built-in entry, old names included.
    const unique = new Map<string, LeadField>();
    for (const field of fields) unique.set(field.restName.toLowerCase(), field);
    this.fields = [...unique.values()];
    for (const field of this.fields) {
      this.byDisplay.set(field.displayName.toLowerCase(), field);
      this.byRest.set(field.restName.toLowerCase(), field);
      if (field.soapName) this.bySoap.set(field.soapName.toLowerCase(), field);
    }
  }

  /** Marketo resolves `{{lead.…}}` display names without regard to case. */
  byDisplayName(name: string): LeadField | undefined {
    return remembered(this.displayMemo, name, () => this.byDisplay.get(name.trim().toLowerCase()));
  }

  byRestName(name: string): LeadField | undefined {
    return this.byRest.get(name.toLowerCase());
  }

  /** Exact SOAP name, as a response mapping must spell it. */
  bySoapNameExact(name: string): LeadField | undefined {
    const field = this.bySoap.get(name.toLowerCase());
    return field && field.soapName === name ? field : undefined;
  }

  bySoapName(name: string): LeadField | undefined {
    return this.bySoap.get(name.toLowerCase());
  }

  /** A lead file key may be the REST, SOAP or display name. */
  byAnyName(name: string): LeadField | undefined {
    return remembered(this.anyMemo, name, () => this.byRestName(name) ?? this.bySoapName(name) ?? this.byDisplay.get(name.trim().toLowerCase()));
  }

  displayNames(): string[] {
    return this.fields.map((f) => f.displayName);
  }

  soapNames(): string[] {
    return this.fields.flatMap((f) => (f.soapName ? [f.soapName] : []));
  }

  withFields(extra: readonly LeadField[]): FieldCatalog {
    return new FieldCatalog([...this.fields, ...extra]);
  }
}

export const STANDARD_CATALOG = new FieldCatalog(STANDARD_LEAD_FIELDS);

export interface DescribeParseResult {
  fields: LeadField[];
  /** problems with the file as a whole; an empty list means it was read */
  errors: string[];
}

/**
 * Reads a Describe Lead response as pasted from Marketo (`{ "result": [ ... ] }`), or the bare
 * `result` array. Entries that are not fields are skipped and counted in `errors`.
 */
export function parseDescribeResponse(value: unknown): DescribeParseResult {
  const errors: string[] = [];
  let list: unknown = value;
  if (value && typeof value === 'object' && !Array.isArray(value)) {
    const obj = value as Record<string, unknown>;
    if (obj.success === false) {
      // Marketo's error answer: { success: false, errors: [ { code, message } ] }
      const reasons = Array.isArray(obj.errors)
        ? obj.errors.flatMap((e) => (e && typeof e === 'object' && typeof (e as { message?: unknown }).message === 'string' ? [(e as { message: string }).message] : []))
        : [];
      errors.push(`the Describe Lead response reports success: false${reasons.length ? ` (${reasons.join('; ')})` : ''}`);
    }
    list = obj.result;
  }
  if (!Array.isArray(list)) {
    errors.push('not a Describe Lead response: expected { "result": [ ... ] } or an array of fields');
    return { fields: [], errors };
  }
  const fields: LeadField[] = [];
  let skipped = 0;
  for (const entry of list) {
    const field = toLeadField(entry);
    if (field) fields.push(field);
    else skipped++;
  }
  if (skipped > 0) errors.push(skipped === 1 ? '1 entry is not a lead field and was skipped' : `${skipped} entries are not lead fields and were skipped`);
  return { fields, errors };
}

function toLeadField(entry: unknown): LeadField | undefined {
  if (!entry || typeof entry !== 'object') return undefined;
  const e = entry as Record<string, unknown>;
  const rest = e.rest as Record<string, unknown> | undefined;
  const soap = e.soap as Record<string, unknown> | undefined;
  if (typeof e.displayName !== 'string' || typeof rest?.name !== 'string' || typeof e.dataType !== 'string') {
    return undefined;
  }
  const field: LeadField = { displayName: e.displayName, restName: rest.name, dataType: e.dataType };
  if (typeof e.id === 'number') field.id = e.id;
  if (typeof soap?.name === 'string') field.soapName = soap.name;
  if (typeof e.length === 'number') field.length = e.length;
  if (rest.readOnly === true || soap?.readOnly === true) field.readOnly = true;
  return field;
}

/** The built-in catalog with a user's Describe response laid over it: new fields are marked custom. */
export function catalogFromDescribe(value: unknown, base: FieldCatalog = STANDARD_CATALOG): { catalog: FieldCatalog; errors: string[]; read: number } {
  const { fields, errors } = parseDescribeResponse(value);
  const extra = fields.map((f) => (base.byRestName(f.restName) ? f : { ...f, custom: true }));
  return { catalog: base.withFields(extra), errors, read: fields.length };
}

/**
 * The conventional name of a pasted Describe Lead response. The command line looks for it in the
 * definition's folder and each parent folder (nearest wins) unless `--fields` names a file.
 */
export const FIELDS_FILE_NAME = 'marketo-fields.json';
