// Marketo's rules for writing one response value into one lead field, in one place
// (docs/marketo-behaviour.md#field-types). Where Marketo documents nothing, the rule chosen here
// is stated next to the code that applies it, and the write names the assumption it rests on.
import type { AssumptionId } from '../outcome/assumptions';
import type { LeadField } from './field-catalog';
import { DEFAULT_STRING_LENGTH, TEXT_MAX_BYTES } from '../limits';

export type FieldWrite =
  | {
    ok: true;
    /** null: the field is cleared */
    value: string | number | boolean | null;
    /** what to know about the written value (a rounding, an unverified rule), or null */
    note: string | null;
    assumption?: AssumptionId;
  }
  | { ok: false; reason: string; assumption?: AssumptionId };

export interface WriteOptions {
  /**
   * The JSON number's text in the response body (`12345678901234567891`), when `value` is a number
   * read from JSON: the value is taken from these digits, not from the rounded JS number.
   */
  numberText?: string;
}

/** Marketo integer fields are signed 64-bit (docs/marketo-behaviour.md#numbers). */
const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;
/** Salesforce integer fields are 32-bit: a larger value cannot sync to the CRM. */
const INT32_MIN = -(2n ** 31n);
const INT32_MAX = 2n ** 31n - 1n;

const STRING_LIKE = new Set(['string', 'email', 'phone', 'url']);
const DECIMAL_TYPES = new Set(['float', 'currency', 'percent']);
/** Stored as 32-bit floats (Whiteman, "Marketo Currency fields are badly broken"). */
const FLOAT32_TYPES = new Set(['float', 'currency']);
/** Types whose field an empty text cannot clear: "" is no number, Boolean or date. */
const NOT_CLEARED_BY_EMPTY_TEXT = new Set(['integer', 'score', ...DECIMAL_TYPES, 'boolean', 'date', 'datetime']);

const CLEARS = 'clears the field (unverified: nothing documents it for webhooks)';

/** Marketo's own lead id: never written by a mapping, whatever the catalog says (docs/marketo-behaviour.md#read-only-fields). */
function isReadOnly(field: LeadField): boolean {
  return field.readOnly === true || field.restName === 'id';
}

export function checkFieldWrite(field: LeadField, value: unknown, options: WriteOptions = {}): FieldWrite {
  const name = `\`${field.soapName ?? field.restName}\``;
  const type = String(field.dataType);
  const what = `${name} is ${article(type)} ${type} field`;
  const named = `${name} (${type})`;

  if (type === 'reference') {
    return refuse(`${what}: it links to another record, and Marketo cannot write it through a response mapping.`);
  }
  if (isReadOnly(field)) {
    return { ok: false, reason: `${named} is read-only in Marketo, so a response mapping does not write it (unverified).`, assumption: 'read-only-fields' };
  }
  if (value === undefined) {
    return refuse(`The response holds no value to write into ${named}.`);
  }
  // Project rule (docs/marketo-behaviour.md#clearing-fields): null clears; "" clears a text field only.
  if (value === null) return { ok: true, value: null, note: `The response holds null, which ${CLEARS}.`, assumption: 'clearing-fields' };
  if (value === '') {
    if (NOT_CLEARED_BY_EMPTY_TEXT.has(type)) {
      return { ok: false, reason: `${what}, and the response holds an empty text: Marketo does not write it, and does not clear the field (unverified).`, assumption: 'clearing-fields' };
    }
    return { ok: true, value: '', note: `The response holds an empty text, which ${CLEARS}.`, assumption: 'clearing-fields' };
  }
  if (typeof value === 'object') {
    const kind = Array.isArray(value) ? 'an array' : 'an object';
    return refuse(`The response holds ${kind}, not a single value: map a path to one of its members to write ${named}.`);
  }
  if (typeof value !== 'string' && typeof value !== 'number' && typeof value !== 'boolean') {
    return refuse(`The response holds a ${typeof value}, which ${named} cannot take.`);
  }
  // A number from JSON keeps the digits the service wrote.
  const source: string | number | boolean = typeof value === 'number' && options.numberText !== undefined ? options.numberText : value;
  const isNumber = typeof value === 'number';

  if (STRING_LIKE.has(type) || type === 'text') return writeText(field, type, what, source);
  if (type === 'integer' || type === 'score') return writeInteger(what, source, isNumber);
  if (DECIMAL_TYPES.has(type)) return writeDecimal(what, type, source, isNumber);
  if (type === 'boolean') return writeBoolean(what, source, isNumber);
  if (type === 'date') return writeDate(what, source);
  if (type === 'datetime') return writeDateTime(what, source);
  // A type this catalog does not know (a newer Marketo type in a user's Describe response):
  // written as text, the most permissive reading.
  return written(String(source));
}

function refuse(reason: string): FieldWrite {
  return { ok: false, reason };
}

function written(value: string | number | boolean, note: string | null = null): FieldWrite {
  return { ok: true, value, note };
}

function writeText(field: LeadField, type: string, what: string, value: string | number | boolean): FieldWrite {
  // Numbers and booleans from a JSON response are written as their text.
  const text = String(value);
  if (type === 'text') {
    const bytes = utf8Length(text);
    if (bytes > TEXT_MAX_BYTES) {
      return refuse(`${what}, which holds at most 30,000 bytes; the response value is ${bytes.toLocaleString('en-US')} bytes.`);
    }
    return written(text);
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
  return written(text);
}

/** A JSON number's text: sign, digits, fraction, exponent. */
const JSON_NUMBER = /^(-?)([0-9]+)(?:\.([0-9]+))?(?:[eE]([+-]?[0-9]+))?$/;

/**
 * The exact whole number a JSON number's text holds, or undefined when it has a fraction. Values
 * far outside int64 come back as a number of the right sign that fails the range check.
 */
function wholeNumber(text: string): bigint | undefined {
  const m = JSON_NUMBER.exec(text);
  if (!m) return undefined;
  const [, sign, int = '', fraction = '', exp = '0'] = m;
  let digits = (int + fraction).replace(/^0+(?=[0-9])/, '');
  let shift = Number(exp) - fraction.length;
  if (/^0+$/.test(digits)) return 0n;
  // Trailing zeros cancel a negative shift: 1.50e1 is 15.
  while (shift < 0 && digits.endsWith('0')) {
    digits = digits.slice(0, -1);
    shift++;
  }
  if (shift < 0) return undefined;
  // Far past int64 (19 digits): the exact digits do not matter any more.
  if (digits.length + shift > 40) return sign === '-' ? INT64_MIN * 10n : INT64_MAX * 10n;
  const n = BigInt(digits + '0'.repeat(shift));
  return sign === '-' ? -n : n;
}

function writeInteger(what: string, value: string | number | boolean, fromNumber: boolean): FieldWrite {
  let n: bigint | undefined;
  if (typeof value === 'string' && fromNumber) {
    n = wholeNumber(value);
    if (n === undefined) return refuse(`${what}, and ${value} is not a whole number; Marketo does not round it.`);
  } else if (typeof value === 'number') {
    if (!Number.isFinite(value)) return refuse(`${show(value)} is not a number Marketo can store in an integer field.`);
    if (!Number.isInteger(value)) return refuse(`${what}, and ${show(value)} is not a whole number; Marketo does not round it.`);
    n = BigInt(value);
  } else if (typeof value === 'string' && /^[+-]?[0-9]+$/.test(value)) {
    n = BigInt(value);
  } else {
    const why = typeof value === 'boolean' ? 'is a boolean' : /^[+-]?[0-9]*\.[0-9]+$/.test(value) ? 'is not a whole number' : 'is text';
    return refuse(`${what}, and ${show(value)} ${why}: Marketo does not write it into an integer field.`);
  }
  const shown = fromNumber ? String(value) : show(value);
  if (n < INT64_MIN || n > INT64_MAX) {
    return refuse(`${what}, and ${shown} is outside the range Marketo integers hold (signed 64-bit: -9,223,372,036,854,775,808 to 9,223,372,036,854,775,807).`);
  }
  const notes: string[] = [];
  if (n < INT32_MIN || n > INT32_MAX) {
    notes.push(`${shown} is outside the 32-bit range (-2,147,483,648 to 2,147,483,647): Marketo stores it, but a field synced to Salesforce (32-bit integers) cannot take it.`);
  }
  // Beyond 2^53 a JSON number loses digits: the value is shown as its digits instead.
  const exact = n >= BigInt(Number.MIN_SAFE_INTEGER) && n <= BigInt(Number.MAX_SAFE_INTEGER);
  if (!exact) notes.push('Shown as text: as a JSON number it would lose digits.');
  return written(exact ? Number(n) : n.toString(), notes.length > 0 ? notes.join(' ') : null);
}

const DECIMAL = /^[+-]?([0-9]+(\.[0-9]*)?|\.[0-9]+)([eE][+-]?[0-9]+)?$/;

/** The shortest decimal that reads back as the same 32-bit float: what a float32 holds, in digits. */
function float32Digits(f: number): number {
  for (let precision = 1; precision <= 9; precision++) {
    const candidate = Number(f.toPrecision(precision));
    if (Math.fround(candidate) === f) return candidate;
  }
  return f;
}

function writeDecimal(what: string, type: string, value: string | number | boolean, fromNumber: boolean): FieldWrite {
  let n: number | undefined;
  if (typeof value === 'number') n = value;
  else if (typeof value === 'string' && (fromNumber || DECIMAL.test(value))) n = Number(value);
  if (n === undefined || !Number.isFinite(n)) {
    const why = typeof value === 'boolean' ? 'is a boolean' : 'is not a number';
    return refuse(`${what}, and ${show(value)} ${why}: Marketo does not write it into a number field.`);
  }
  if (!FLOAT32_TYPES.has(type)) return written(n);
  // docs/marketo-behaviour.md#numbers: float and currency fields hold a 32-bit float.
  const f = Math.fround(n);
  if (!Number.isFinite(f)) {
    return refuse(`${what}, and ${String(value)} is larger than a 32-bit float holds (about 3.4e38): Marketo cannot store it.`);
  }
  const stored = float32Digits(f);
  if (stored === n) return written(stored);
  return written(stored, `Marketo stores ${type} fields as 32-bit floats (about 7 significant digits): ${String(value)} is stored as ${String(stored)}.`);
}

/**
 * true/false (JSON, or text in any case) are written. Project rule (docs/marketo-behaviour.md#booleans):
 * yes/no, y/n and 1/0 (text in any case, or the numbers) are written as true/false, unverified;
 * anything else is refused.
 */
const UNVERIFIED_BOOLEANS: Record<string, boolean> = { yes: true, no: false, y: true, n: false, 1: true, 0: false };

function writeBoolean(what: string, value: string | number | boolean, fromNumber: boolean): FieldWrite {
  if (typeof value === 'boolean') return written(value);
  const text = String(value).toLowerCase();
  if (text === 'true') return written(true);
  if (text === 'false') return written(false);
  if ((typeof value === 'string' || typeof value === 'number') && Object.hasOwn(UNVERIFIED_BOOLEANS, text) && !(fromNumber && !/^[01]$/.test(text))) {
    const b = UNVERIFIED_BOOLEANS[text] as boolean;
    const shown = typeof value === 'number' || fromNumber ? text : show(value);
    return { ok: true, value: b, note: `${shown} is written as ${String(b)} (unverified: Adobe documents only true and false).`, assumption: 'booleans' };
  }
  return refuse(`${what}, and ${typeof value === 'string' && !fromNumber ? show(value) : String(value)} is not a boolean: Marketo writes true or false (and, unverified, yes/no, y/n, 1/0).`);
}

function writeDate(what: string, value: string | number | boolean): FieldWrite {
  if (typeof value === 'string' && isCalendarDate(value)) return written(value);
  return refuse(`${what}, and ${show(value)} is not a date written YYYY-MM-DD (e.g. 2010-05-07).`);
}

/**
 * ISO 8601 date and time, `YYYY-MM-DDTHH:MM`, optional seconds and fraction, optional zone `Z`,
 * `±HH:MM` or `±HHMM` (Adobe: "Follows W3C format (ISO 8601)"). A bare date is refused: Adobe
 * documents no default time.
 */
const DATETIME = /^(\d{4}-\d{2}-\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2})?$/;
/** Marketo's own format, as {{system.dateTime}} renders it: written, unverified (docs/marketo-behaviour.md#datetimes). */
const MARKETO_DATETIME = /^(\d{4}-\d{2}-\d{2}) (\d{2}):(\d{2}):(\d{2})$/;

function writeDateTime(what: string, value: string | number | boolean): FieldWrite {
  if (typeof value === 'string') {
    const m = DATETIME.exec(value);
    if (m && validDateTime(m) && validZone(m[5])) return written(value);
    const marketo = MARKETO_DATETIME.exec(value);
    if (marketo && validDateTime(marketo)) {
      return { ok: true, value, note: `${show(value)} is Marketo's own date-time format, not ISO 8601: written, unverified.`, assumption: 'datetimes' };
    }
  }
  return refuse(`${what}, and ${show(value)} is not an ISO 8601 date and time (e.g. 2010-05-07T14:30:00Z).`);
}

function validDateTime(m: RegExpExecArray): boolean {
  return isCalendarDate(m[1] ?? '') && Number(m[2]) <= 23 && Number(m[3]) <= 59 && Number(m[4] ?? 0) <= 59;
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
