// Marketo's rules for writing one response value into one lead field, in one place
// (design/marketo-facts.md, "Response mappings"). Where Marketo documents nothing, the rule
// chosen here is stated next to the code that applies it.
import type { LeadField } from './field-catalog';

export type FieldWrite = { ok: true; value: string | number | boolean } | { ok: false; reason: string };

export const DEFAULT_STRING_LENGTH = 255;
export const TEXT_MAX_BYTES = 30_000;
/** Marketo integer fields are 32-bit. */
const INT_MIN = -2_147_483_648;
const INT_MAX = 2_147_483_647;

const STRING_LIKE = new Set(['string', 'email', 'phone', 'url']);
const DECIMAL_TYPES = new Set(['float', 'currency', 'percent']);

export function checkFieldWrite(field: LeadField, value: unknown): FieldWrite {
  const name = `\`${field.soapName ?? field.restName}\``;
  const type = String(field.dataType);
  const what = `${name} is ${article(type)} ${type} field`;
  const named = `${name} (${type})`;

  if (type === 'reference') {
    return refuse(`${what}: it links to another record, and Marketo cannot write it through a response mapping.`);
  }
  if (field.readOnly) {
    return refuse(`${named} is read-only in Marketo, so a response mapping cannot write it.`);
  }
  if (value === null || value === undefined) {
    return refuse(`The response holds null, so there is no value to write into ${named}.`);
  }
  if (typeof value === 'object') {
    const kind = Array.isArray(value) ? 'an array' : 'an object';
    return refuse(`The response holds ${kind}, not a single value: map a path to one of its members to write ${named}.`);
  }
  if (typeof value !== 'string' && typeof value !== 'number' && typeof value !== 'boolean') {
    return refuse(`The response holds a ${typeof value}, which ${named} cannot take.`);
  }
  if (typeof value === 'number' && !Number.isFinite(value)) {
    return refuse(`${show(value)} is not a number Marketo can store in ${named}.`);
  }

  if (STRING_LIKE.has(type) || type === 'text') return writeText(field, type, what, value);
  if (type === 'integer' || type === 'score') return writeInteger(what, value);
  if (DECIMAL_TYPES.has(type)) return writeDecimal(what, value);
  if (type === 'boolean') return writeBoolean(what, value);
  if (type === 'date') return writeDate(what, value);
  if (type === 'datetime') return writeDateTime(what, value);
  // A type this catalog does not know (a newer Marketo type in a user's Describe response):
  // written as text, the most permissive reading.
  return { ok: true, value: String(value) };
}

function refuse(reason: string): FieldWrite {
  return { ok: false, reason };
}

function writeText(field: LeadField, type: string, what: string, value: string | number | boolean): FieldWrite {
  // Numbers and booleans from a JSON response are written as their text.
  const text = String(value);
  if (type === 'text') {
    const bytes = utf8Length(text);
    if (bytes > TEXT_MAX_BYTES) {
      return refuse(`${what}, which holds at most 30,000 bytes; the response value is ${bytes.toLocaleString('en-US')} bytes.`);
    }
    return { ok: true, value: text };
  }
  const max = field.length ?? DEFAULT_STRING_LENGTH;
  const chars = [...text].length;
  if (chars > max) {
    return refuse(`${what} of at most ${max.toLocaleString('en-US')} characters; the response value has ${chars.toLocaleString('en-US')}.`);
  }
  // Only a shape check: Marketo's own address validation is not documented.
  if (type === 'email' && text !== '' && !/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(text)) {
    return refuse(`${what}, and ${show(text)} does not look like an email address.`);
  }
  return { ok: true, value: text };
}

function writeInteger(what: string, value: string | number | boolean): FieldWrite {
  let n: number;
  if (typeof value === 'number') {
    if (!Number.isInteger(value)) return refuse(`${what}, and ${show(value)} is not a whole number; Marketo does not round it.`);
    n = value;
  } else if (typeof value === 'string' && /^[+-]?[0-9]+$/.test(value)) {
    n = Number(value);
  } else {
    const why = typeof value === 'boolean' ? 'is a boolean' : /^[+-]?[0-9]*\.[0-9]+$/.test(value) ? 'is not a whole number' : 'is text';
    return refuse(`${what}, and ${show(value)} ${why}: Marketo does not write it into an integer field.`);
  }
  if (n < INT_MIN || n > INT_MAX) {
    return refuse(`${what}, and ${show(value)} is outside the range Marketo integers hold (-2,147,483,648 to 2,147,483,647).`);
  }
  return { ok: true, value: n };
}

const DECIMAL = /^[+-]?([0-9]+(\.[0-9]*)?|\.[0-9]+)([eE][+-]?[0-9]+)?$/;

function writeDecimal(what: string, value: string | number | boolean): FieldWrite {
  if (typeof value === 'number') return { ok: true, value };
  if (typeof value === 'string' && DECIMAL.test(value)) {
    const n = Number(value);
    if (Number.isFinite(n)) return { ok: true, value: n };
  }
  const why = typeof value === 'boolean' ? 'is a boolean' : 'is not a number';
  return refuse(`${what}, and ${show(value)} ${why}: Marketo does not write it into a number field.`);
}

/**
 * Project rule (Marketo documents no format): true/false, the numbers 1/0, and the texts
 * "true"/"false" (any case) and "1"/"0". Anything else ("yes", "Y", "on") is refused.
 */
function writeBoolean(what: string, value: string | number | boolean): FieldWrite {
  if (typeof value === 'boolean') return { ok: true, value };
  const text = String(value).toLowerCase();
  if (text === 'true' || text === '1') return { ok: true, value: true };
  if (text === 'false' || text === '0') return { ok: true, value: false };
  return refuse(`${what}, and ${show(value)} is not a boolean: use true or false (or "true", "false", 1, 0).`);
}

function writeDate(what: string, value: string | number | boolean): FieldWrite {
  if (typeof value === 'string' && isCalendarDate(value)) return { ok: true, value };
  return refuse(`${what}, and ${show(value)} is not a date written YYYY-MM-DD (e.g. 2010-05-07).`);
}

/**
 * Project rule: ISO 8601 date and time, `YYYY-MM-DDTHH:MM`, optional seconds and fraction,
 * optional zone `Z`, `±HH:MM` or `±HHMM`. A bare date is refused: Marketo names the format
 * "ISO 8601 datetime" and documents no default time.
 */
const DATETIME = /^(\d{4}-\d{2}-\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2})?$/;

function writeDateTime(what: string, value: string | number | boolean): FieldWrite {
  if (typeof value === 'string') {
    const m = DATETIME.exec(value);
    if (m && isCalendarDate(m[1] ?? '') && Number(m[2]) <= 23 && Number(m[3]) <= 59 && Number(m[4] ?? 0) <= 59 && validZone(m[5])) {
      return { ok: true, value };
    }
  }
  return refuse(`${what}, and ${show(value)} is not an ISO 8601 date and time (e.g. 2010-05-07T14:30:00Z).`);
}

function validZone(zone: string | undefined): boolean {
  if (zone === undefined || zone === 'Z') return true;
  const digits = zone.replace(':', '');
  return Number(digits.slice(1, 3)) <= 23 && Number(digits.slice(3, 5)) <= 59;
}

function isCalendarDate(text: string): boolean {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
  if (!m) return false;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  if (mo < 1 || mo > 12 || d < 1) return false;
  const leap = (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
  const days = [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][mo - 1] ?? 0;
  return d <= days;
}

function utf8Length(text: string): number {
  let bytes = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 0x80) bytes += 1;
    else if (c < 0x800) bytes += 2;
    else if (c >= 0xd800 && c <= 0xdbff && i + 1 < text.length && (text.charCodeAt(i + 1) & 0xfc00) === 0xdc00) {
      bytes += 4;
      i++;
    } else bytes += 3; // includes a lone surrogate, written as U+FFFD (3 bytes)
  }
  return bytes;
}

function article(type: string): string {
  // "a url field", "an integer field"
  return /^([aeio]|u(?!rl))/i.test(type) ? 'an' : 'a';
}

/** A value as a Marketo admin would recognise it in a message, kept short. */
function show(value: string | number | boolean): string {
  if (typeof value !== 'string') return String(value);
  const shown = JSON.stringify(value.length > 40 ? `${value.slice(0, 37)}...` : value);
  return shown;
}
