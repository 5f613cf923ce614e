// What a token namespace is, declared once: how it is written, which names it knows, where a run
// takes a token's value from, and how JSON encoding writes that value. Validation, the request,
// completion and hover read this table; a unit test ties the grammar's list of namespaces to it.
// Adding a namespace is one entry in NAMESPACE_TABLE, and every switch on its kinds below must
// answer for it before the code compiles: no namespace falls silently into another's rules.
import type { FieldCatalog } from '../catalog/field-catalog';
import type { AssumptionId } from '../outcome/assumptions';

export type NamespaceId = 'lead' | 'Company' | 'my' | 'campaign' | 'program' | 'member' | 'trigger' | 'system';

/**
 * What a token's value can look like, which decides where it is safe without encoding:
 * `number` is valid JSON as it is (a number-type token, true/false, an id); `plain` never holds
 * quotes, line breaks, `&` or `=` but is not a JSON value (a date); `text` can hold anything.
 */
export type ValueShape = 'number' | 'plain' | 'text';

/** How the names of a field-backed namespace lead to lead fields. */
export type FieldNames =
  /** each name is a lead field's display name (a custom field the catalog lacks too), or a lead owner token */
  | { readonly by: 'display-name'; readonly owner: readonly string[] }
  /** a fixed list of tokens, each reading one lead field; `what` one of them is called */
  | { readonly by: 'token'; readonly tokens: Readonly<Record<string, string>>; readonly what: string };

/** Where a run takes a token's value from when "test.tokens" has none for it. */
export type ValueSource =
  /** the sample lead, through the field catalog */
  | { readonly from: 'lead'; readonly names: FieldNames }
  /** the moment of the run, in Marketo's formats (systemTokenValue) */
  | { readonly from: 'clock' }
  /** nowhere: sent empty, or as its default; `assumption` is the unverified rule a run then relies on */
  | { readonly from: 'test.tokens'; readonly assumption: AssumptionId | undefined };

/**
 * What JSON encoding makes of a namespace's tokens (docs/marketo-behaviour.md#json-encoding-by-type):
 * `field-type` bare for a lead field of a number type; `test-value` bare when the `test.tokens`
 * value is a JSON number (a Number or Score My Token); `string` always quoted.
 */
export type JsonTypeRule = 'field-type' | 'test-value' | 'string';

export interface NamespaceInfo {
  readonly id: NamespaceId;
  /** what the namespace holds (completion and hover show it) */
  readonly description: string;
  /** where Marketo takes a value from, as in "Marketo takes it from the …" */
  readonly marketoSource: string;
  /** names Marketo knows in this namespace; undefined where any name is allowed */
  readonly knownNames: ((catalog: FieldCatalog) => readonly string[]) | undefined;
  readonly value: ValueSource;
  readonly jsonType: JsonTypeRule;
  /** the shape of a token's value, or `field-type` where its lead field's type decides */
  readonly shape: (name: string) => ValueShape | 'field-type';
}

/** Lead owner tokens live in the lead namespace (marketo-facts: Tokens). */
export const LEAD_OWNER_TOKENS: readonly string[] = [
  'Lead Owner First Name', 'Lead Owner Last Name', 'Lead Owner Email Address', 'Lead Owner Job Title',
  'Lead Owner Phone Number', 'Lead Owner Mobile Phone Number', 'Lead Owner Fax Number',
];

/**
 * `{{Company.…}}` names and the lead field each reads: the company fields of the person's record
 * (for a lead without a company record, Marketo reads the lead's own company fields).
 */
export const COMPANY_TOKENS: Readonly<Record<string, string>> = {
  'Company Name': 'Company Name', Site: 'Site', 'Billing Address': 'Billing Address', 'Billing City': 'Billing City',
  'Billing State': 'Billing State', 'Billing Country': 'Billing Country', 'Billing Postal Code': 'Billing Postal Code',
  Address: 'Billing Address', City: 'Billing City', State: 'Billing State', Country: 'Billing Country',
  'Postal Code': 'Billing Postal Code', Website: 'Website', 'Main Phone': 'Main Phone', 'Annual Revenue': 'Annual Revenue',
  'Num Employees': 'Num Employees', Industry: 'Industry', 'SIC Code': 'SIC Code', 'Company Notes': 'Company Notes',
};

export const CAMPAIGN_TOKENS: readonly string[] = ['name', 'id', 'description'];
export const PROGRAM_TOKENS: readonly string[] = ['Name', 'id', 'Description'];
export const SYSTEM_TOKENS: readonly string[] = ['dateTime', 'date', 'time'];

/** An id is a number; every other name of the namespace is text. */
const idIsNumber = (name: string): ValueShape => (name.toLowerCase() === 'id' ? 'number' : 'text');

/** The table, in the order completion offers the namespaces and messages list them. */
const NAMESPACE_TABLE: { readonly [id in NamespaceId]: Omit<NamespaceInfo, 'id'> } = {
  lead: {
    description: 'Fields of the person, by display name, and the lead owner.',
    marketoSource: 'person\'s record',
    knownNames: (c) => [...c.displayNames(), ...LEAD_OWNER_TOKENS],
    value: { from: 'lead', names: { by: 'display-name', owner: LEAD_OWNER_TOKENS } },
    jsonType: 'field-type',
    shape: () => 'field-type',
  },
  Company: {
    description: 'Company fields of the person\'s record, by display name.',
    marketoSource: 'company record of the person',
    knownNames: () => Object.keys(COMPANY_TOKENS),
    value: { from: 'lead', names: { by: 'token', tokens: COMPANY_TOKENS, what: 'company token' } },
    jsonType: 'field-type',
    shape: () => 'field-type',
  },
  my: {
    description: 'Program tokens (My Tokens) of the program the campaign belongs to.',
    marketoSource: 'program\'s My Tokens',
    knownNames: undefined,
    value: { from: 'test.tokens', assumption: 'undefined-tokens' },
    jsonType: 'test-value',
    shape: () => 'text',
  },
  campaign: {
    description: 'The smart campaign that runs the Call Webhook step.',
    marketoSource: 'smart campaign',
    knownNames: () => CAMPAIGN_TOKENS,
    value: { from: 'test.tokens', assumption: undefined },
    jsonType: 'string',
    shape: idIsNumber,
  },
  program: {
    description: 'The program of that campaign.',
    marketoSource: 'program',
    knownNames: () => PROGRAM_TOKENS,
    value: { from: 'test.tokens', assumption: undefined },
    jsonType: 'string',
    shape: idIsNumber,
  },
  member: {
    description: 'The person\'s program membership (e.g. `{{member.webinar url}}`).',
    marketoSource: 'program membership',
    knownNames: undefined,
    value: { from: 'test.tokens', assumption: undefined },
    jsonType: 'string',
    shape: () => 'text',
  },
  trigger: {
    description: 'Attributes of the trigger that started the campaign (e.g. `{{trigger.Web Page}}`).',
    marketoSource: 'trigger',
    knownNames: undefined,
    value: { from: 'test.tokens', assumption: undefined },
    jsonType: 'string',
    shape: () => 'text',
  },
  system: {
    description: 'The moment of the call in Marketo\'s formats.',
    marketoSource: 'moment of the call',
    knownNames: () => SYSTEM_TOKENS,
    value: { from: 'clock' },
    jsonType: 'string',
    shape: () => 'plain',
  },
};

export const NAMESPACES: readonly NamespaceInfo[] = (Object.keys(NAMESPACE_TABLE) as NamespaceId[]).map((id) => ({ id, ...NAMESPACE_TABLE[id] }));

/** Each namespace as listed, in lower case and capitalised (`lead`, `Lead`; `Company`, `company`). */
export const WRITTEN_NAMESPACES: readonly string[] = [...new Set(NAMESPACES.flatMap((n) => [n.id, n.id.toLowerCase(), n.id.charAt(0).toUpperCase() + n.id.slice(1)]))];

const NAMESPACE_BY_KEY = new Map(NAMESPACES.map((n) => [n.id.toLowerCase(), n]));

/** Namespaces are matched without regard to case (`{{Lead.…}}` works in Marketo). */
export function namespaceOf(written: string): NamespaceInfo | undefined {
  return NAMESPACE_BY_KEY.get(written.toLowerCase());
}

/** `namespace.Name` with the namespace canonical, for matching `test.tokens` keys to tokens. */
export function normalizeTokenKey(key: string): string {
  const dot = key.indexOf('.');
  if (dot <= 0) return key.toLowerCase();
  const ns = namespaceOf(key.slice(0, dot));
  return `${ns?.id ?? key.slice(0, dot)}.${key.slice(dot + 1)}`.toLowerCase();
}

/** The lead field display name a `{{Company.…}}` token reads. */
export function companyTokenField(name: string): string | undefined {
  return tokenField(COMPANY_TOKENS, name);
}

function tokenField(tokens: Readonly<Record<string, string>>, name: string): string | undefined {
  const key = Object.keys(tokens).find((k) => k.toLowerCase() === name.trim().toLowerCase());
  return key === undefined ? undefined : tokens[key];
}

/**
 * The display name of the lead field a token of this namespace reads: the name itself where names
 * are display names, the token's field where the namespace lists its tokens; undefined for a
 * namespace that is not field-backed and for a token its list does not have.
 */
export function leadFieldName(namespace: NamespaceInfo, name: string): string | undefined {
  const { value } = namespace;
  if (value.from !== 'lead') return undefined;
  switch (value.names.by) {
    case 'display-name':
      return name;
    case 'token':
      return tokenField(value.names.tokens, name);
    default:
      return unhandled(value.names);
  }
}

/**
 * Whether completion in "test.tokens" offers a value for this namespace's tokens: not where the
 * sample lead holds the value under the token's own name, nor where the clock gives it.
 */
export function takesTestTokenValue(namespace: NamespaceInfo): boolean {
  const { value } = namespace;
  switch (value.from) {
    case 'lead':
      return value.names.by !== 'display-name';
    case 'clock':
      return false;
    case 'test.tokens':
      return true;
    default:
      return unhandled(value);
  }
}

/** The `default` of an exhaustive switch: compiles only when every case above is handled. */
export function unhandled(value: never): never {
  throw new Error(`Unhandled namespace kind: ${JSON.stringify(value)}`);
}

// ---- system tokens ----------------------------------------------------------------------------

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const pad = (n: number) => String(n).padStart(2, '0');

/**
 * `{{system.*}}` in Marketo's documented formats: dateTime `2013-08-08 16:36:13`, date
 * `Aug 08, 2013`, time `04:34 PM (GMT -0700)`. Marketo uses the subscription's time zone; here the
 * machine's, given as minutes east of UTC so tests can fix it.
 */
export function systemTokenValue(name: string, now: Date, utcOffsetMinutes = -now.getTimezoneOffset()): string | undefined {
  const t = new Date(now.getTime() + utcOffsetMinutes * 60_000);
  const y = t.getUTCFullYear();
  const mo = t.getUTCMonth();
  const d = t.getUTCDate();
  const h = t.getUTCHours();
  const mi = t.getUTCMinutes();
  const s = t.getUTCSeconds();
  switch (name.toLowerCase()) {
    case 'datetime':
      return `${y}-${pad(mo + 1)}-${pad(d)} ${pad(h)}:${pad(mi)}:${pad(s)}`;
    case 'date':
      return `${MONTHS[mo] ?? ''} ${pad(d)}, ${y}`;
    case 'time': {
      const sign = utcOffsetMinutes < 0 ? '-' : '+';
      const abs = Math.abs(utcOffsetMinutes);
      return `${pad(h % 12 || 12)}:${pad(mi)} ${h < 12 ? 'AM' : 'PM'} (GMT ${sign}${pad(Math.floor(abs / 60))}${pad(abs % 60)})`;
    }
    default:
      return undefined;
  }
}
