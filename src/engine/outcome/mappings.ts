// Evaluates a webhook's response mappings against one response, as Marketo would: which lead
// fields would be written, with which value, and why each other mapping would be skipped
// (docs/marketo-behaviour.md#response-mappings).
import type { AssumptionList } from './assumptions';
import type { FieldCatalog } from '../catalog/field-catalog';
import { checkFieldWrite } from '../catalog/field-values';
import { resolveMarketoField } from '../catalog/marketo-field';
import { isMarketo1001, isSuccessStatus } from './classification';
import { parseResponseBody, type NumberTexts } from '../http/response-body';
import { formatResponsePath, parseResponsePath } from './response-path';
import type { PathSegment } from './response-path';
import type { MappingResult, ResponseMapping, ResponseType, RunResponse } from '../types';

/** What a run learns while evaluating the mappings, besides the results. */
export interface MappingsContext {
  /** receives what the response parser noticed (e.g. XML Marketo reads in an undefined way) */
  notes?: string[];
  /** receives the assumptions the results rest on */
  assumptions?: AssumptionList;
  /** set to true when a 2xx body could not be read as the Response Type: no value can be written */
  unreadable?: boolean;
  /** set to the body's JSON value when the mappings read the body as JSON (for answer-advice, which need not read it again) */
  json?: { value: unknown };
  /**
   * When given, receives the response's text behind each applied value (it may differ from the
   * value: a float32 rounding), for masking a secret the written value no longer shows. Asked for
   * only when there are secrets: a list run evaluates mappings lead after lead.
   */
  sources?: Map<MappingResult, string>;
}

export function evaluateMappings(
  mappings: readonly ResponseMapping[],
  responseType: ResponseType,
  response: RunResponse | null,
  catalog: FieldCatalog,
  context: MappingsContext = {},
): MappingResult[] {
  const skipAll = (reason: string): MappingResult[] =>
    mappings.map((m) => result(m, 'skipped', null, reason));

  if (mappings.length === 0) return [];
  // Reasons that hold for the whole response, in the order Marketo would meet them.
  if (response === null) {
    return skipAll('No response came back (a network failure, or a batch campaign that never sends the request), so there is nothing to map.');
  }
  if (!isSuccessStatus(response.status)) {
    const status = response.statusText ? `${response.status} (${response.statusText})` : String(response.status);
    return skipAll(`Marketo ignores response mappings on a ${status} response; only 2xx responses update lead fields.`);
  }
  if (isMarketo1001(response)) {
    return skipAll(response.body === ''
      ? "The response body is empty (Marketo's 1001), so there is nothing to map."
      : "The response body holds only whitespace, taken as empty (Marketo's 1001, unverified), so there is nothing to map.");
  }
  if (responseType === 'None') {
    return skipAll('Response Type is None, so Marketo does not read the response.');
  }
  const parsed = parseResponseBody(response.body, responseType);
  if (!parsed.ok) {
    context.unreadable = true;
    return skipAll(
      response.truncated
        ? `The response body was cut off at the size limit, so it could not be read in full. ${parsed.reason}`
        : parsed.reason,
    );
  }

  context.notes?.push(...parsed.warnings);
  if (responseType === 'JSON') context.json = { value: parsed.value };
  return mappings.map((m) => evaluateOne(m, responseType, parsed.value, parsed.numberTexts, catalog, context));
}

function evaluateOne(
  mapping: ResponseMapping, responseType: ResponseType, root: unknown, numberTexts: NumberTexts | undefined,
  catalog: FieldCatalog, context: MappingsContext,
): MappingResult {
  const path = pathOf(mapping);
  if (!path.ok) return result(mapping, 'skipped', null, path.error.message);

  const found = walk(root, path.segments, responseType === 'XML');
  if (!found.ok) {
    // A missing attribute leaves the field as it is (docs/marketo-behaviour.md#clearing-fields).
    if (found.missing) context.assumptions?.add('clearing-fields');
    return result(mapping, 'skipped', null, found.missing ? `${found.reason} The field is left as it is.` : found.reason);
  }
  if (found.loneXmlIndex) context.assumptions?.add('xml-arrays');

  // A JSON number keeps the digits the service wrote (docs/marketo-behaviour.md#numbers).
  const numberText = typeof found.value === 'number' && found.holder ? numberTexts?.get(found.holder)?.get(found.key) : undefined;
  const shown = numberText !== undefined && !Number.isSafeInteger(found.value) ? numberText : found.value;

  const field = fieldOf(mapping, catalog);
  if (!field.ok) return result(mapping, 'skipped', shown, field.reason);

  const write = checkFieldWrite(field.field, found.value, numberText !== undefined ? { numberText } : {});
  if (write.assumption) context.assumptions?.add(write.assumption);
  if (!write.ok) return result(mapping, 'skipped', shown, write.reason);
  const note = found.loneXmlIndex !== undefined && write.note !== null ? `${found.loneXmlIndex} ${write.note}` : found.loneXmlIndex ?? write.note;
  const applied = result(mapping, 'applied', write.value, null, note);
  const value = found.value;
  if (context.sources && (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean')) context.sources.set(applied, numberText ?? String(value));
  return applied;
}

/**
 * A mapping's parsed path and resolved field, worked out once per mapping (and catalog): a list
 * run evaluates the same mappings of the same definition lead after lead. Mappings are part of a
 * definition, which is never changed once read.
 */
const parsedPaths = new WeakMap<ResponseMapping, { attribute: string; path: ReturnType<typeof parseResponsePath> }>();
const resolvedFields = new WeakMap<ResponseMapping, { name: string; catalog: FieldCatalog; field: ReturnType<typeof resolveMarketoField> }>();

function pathOf(mapping: ResponseMapping): ReturnType<typeof parseResponsePath> {
  const known = parsedPaths.get(mapping);
  // Checked against the text all the same: a mapping object built by hand may be changed.
  if (known?.attribute === mapping.responseAttribute) return known.path;
  const path = parseResponsePath(mapping.responseAttribute);
  parsedPaths.set(mapping, { attribute: mapping.responseAttribute, path });
  return path;
}

function fieldOf(mapping: ResponseMapping, catalog: FieldCatalog): ReturnType<typeof resolveMarketoField> {
  const known = resolvedFields.get(mapping);
  if (known?.catalog === catalog && known.name === mapping.marketoField) return known.field;
  const field = resolveMarketoField(mapping.marketoField, catalog);
  resolvedFields.set(mapping, { name: mapping.marketoField, catalog, field });
  return field;
}

function result(mapping: ResponseMapping, status: MappingResult['status'], value: unknown, reason: string | null, note: string | null = null): MappingResult {
  return { responseAttribute: mapping.responseAttribute, marketoField: mapping.marketoField, status, value, reason, note };
}

type Walked =
  | {
    ok: true;
    value: unknown;
    /** the object or array the value was read from, and its key there (for a number's digits) */
    holder: object | undefined;
    key: string | number;
    /** the note when an index [0] was taken on an XML element that appears once, else undefined */
    loneXmlIndex: string | undefined;
  }
  | { ok: false; reason: string; missing: boolean };

/** Follows the segments exactly (case-sensitive, own keys only) and says where it stopped. */
function walk(root: unknown, segments: readonly PathSegment[], xml: boolean): Walked {
  let current = root;
  let holder: object | undefined;
  let key: string | number = '';
  let loneXmlIndex: string | undefined;
  for (let i = 0; i < segments.length; i++) {
    const segment = segments[i] as PathSegment;
    // Where the walk stands, for the reasons below; only worked out when it stops.
    const whereNow = (): string => formatResponsePath(segments.slice(0, i));

    if (segment.kind === 'key') {
      const name = segment.name;
      if (isRecord(current)) {
        if (Object.hasOwn(current, name)) {
          holder = current;
          key = name;
          current = current[name];
          continue;
        }
        return { ok: false, reason: missingKey(current, name, whereNow(), xml), missing: true };
      }
      if (Array.isArray(current)) {
        const here = whereNow();
        return {
          ok: false,
          missing: false,
          reason: i === 0
            ? `The response is a list, not an object, so it has no key \`${name}\`; Marketo needs a named first level.`
            : `\`${here}\` is a list of ${items(current.length)}, not an object: write an index such as \`${here}[0]\` before \`.${name}\`.`,
        };
      }
      const here = whereNow();
      return {
        ok: false,
        missing: false,
        reason: i === 0
          ? `The response is ${describe(current)}, not an object, so it has no key \`${name}\`.`
          : `\`${here}\` holds ${describe(current)}, not an object, so it has no key \`${name}\`.`,
      };
    }

    const index = segment.index;
    if (Array.isArray(current) && index < current.length) {
      holder = current;
      key = index;
      current = current[index] as unknown;
      continue;
    }
    const here = whereNow();
    if (Array.isArray(current)) {
      return { ok: false, missing: false, reason: `Index ${index} is past the end of \`${here}\` (${items(current.length)}).` };
    }
    if (xml && current !== null && current !== undefined) {
      // Project rule (docs/marketo-behaviour.md#xml-arrays): [0] on a lone element is that element.
      if (index === 0) {
        loneXmlIndex ??= `\`${here}\` appears only once in the XML; \`[0]\` is taken to mean it (unverified: if Marketo treats a lone element as a property, \`[0]\` yields nothing; \`${here}\` without \`[0]\` works either way).`;
        continue;
      }
      return { ok: false, missing: false, reason: `\`${here}\` appears only once in the XML, so it is not a list and has no index ${index}.` };
    }
    return { ok: false, missing: false, reason: `\`${here}\` holds ${describe(current)}, not a list, so it has no index ${index}.` };
  }
  return { ok: true, value: current, holder, key, loneXmlIndex };
}

function missingKey(object: Record<string, unknown>, name: string, here: string, xml: boolean): string {
  const keys = Object.keys(object);
  const where = here === '' ? 'at the top level of the response' : `under \`${here}\``;
  let reason = `There is no key \`${name}\` ${where}.`;
  const otherCase = keys.find((k) => k.toLowerCase() === name.toLowerCase());
  if (otherCase !== undefined) {
    reason += ` There is \`${otherCase}\`: Marketo matches keys exactly, including case.`;
  } else if (xml && here === '' && keys.length === 1) {
    reason += ` In XML the root element is the first level of the path: start with \`${keys[0] ?? ''}\`.`;
  }
  return reason;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function items(n: number): string {
  return `${n} item${n === 1 ? '' : 's'}`;
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (value === undefined) return 'nothing';
  if (typeof value === 'string') return `the text ${JSON.stringify(value.length > 30 ? `${value.slice(0, 27)}...` : value)}`;
  if (typeof value === 'number' || typeof value === 'boolean') return `the value ${String(value)}`;
  if (Array.isArray(value)) return 'a list';
  return typeof value === 'object' ? 'an object' : `a ${typeof value}`;
}
