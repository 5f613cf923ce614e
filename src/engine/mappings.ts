// Evaluates a webhook's response mappings against one response, as Marketo would: which lead
// fields would be written, with which value, and why each other mapping would be skipped.
import type { FieldCatalog } from './field-catalog';
import { checkFieldWrite } from './field-values';
import { resolveMarketoField } from './marketo-field';
import { isMarketo1001, isSuccessStatus } from './outcomes';
import { parseResponseBody } from './response-body';
import { formatResponsePath, parseResponsePath } from './response-path';
import type { PathSegment } from './response-path';
import type { MappingResult, ResponseMapping, ResponseType, RunResponse } from './types';

export function evaluateMappings(
  mappings: readonly ResponseMapping[],
  responseType: ResponseType,
  response: RunResponse | null,
  catalog: FieldCatalog,
  /** receives what the response parser noticed (e.g. XML Marketo reads in an undefined way) */
  notes?: string[],
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
    return skipAll("The response body is empty (Marketo's 1001), so there is nothing to map.");
  }
  if (responseType === 'None') {
    return skipAll('Response Type is None, so Marketo does not read the response.');
  }
  const parsed = parseResponseBody(response.body, responseType);
  if (!parsed.ok) {
    return skipAll(
      response.truncated
        ? `The response body was cut off at the size limit, so it could not be read in full. ${parsed.reason}`
        : parsed.reason,
    );
  }

  notes?.push(...parsed.warnings);
  return mappings.map((m) => evaluateOne(m, responseType, parsed.value, catalog));
}

function evaluateOne(mapping: ResponseMapping, responseType: ResponseType, root: unknown, catalog: FieldCatalog): MappingResult {
  const path = parseResponsePath(mapping.responseAttribute);
  if (!path.ok) return result(mapping, 'skipped', null, path.error.message);

  const found = walk(root, path.segments, responseType === 'XML');
  if (!found.ok) return result(mapping, 'skipped', null, found.reason);

  const field = resolveMarketoField(mapping.marketoField, catalog);
  if (!field.ok) return result(mapping, 'skipped', found.value, field.reason);

  const write = checkFieldWrite(field.field, found.value);
  return write.ok
    ? result(mapping, 'applied', write.value, null)
    : result(mapping, 'skipped', found.value, write.reason);
}

function result(mapping: ResponseMapping, status: MappingResult['status'], value: unknown, reason: string | null): MappingResult {
  return { responseAttribute: mapping.responseAttribute, marketoField: mapping.marketoField, status, value, reason };
}

type Walked = { ok: true; value: unknown } | { ok: false; reason: string };

/** Follows the segments exactly (case-sensitive, own keys only) and says where it stopped. */
function walk(root: unknown, segments: readonly PathSegment[], xml: boolean): Walked {
  let current = root;
  for (let i = 0; i < segments.length; i++) {
    const segment = segments[i] as PathSegment;
    // Where the walk stands, for the reasons below; only worked out when it stops.
    const whereNow = (): string => formatResponsePath(segments.slice(0, i));

    if (segment.kind === 'key') {
      const name = segment.name;
      if (isRecord(current)) {
        if (Object.hasOwn(current, name)) {
          current = current[name];
          continue;
        }
        return { ok: false, reason: missingKey(current, name, whereNow(), xml) };
      }
      if (Array.isArray(current)) {
        const here = whereNow();
        return {
          ok: false,
          reason: i === 0
            ? `The response is a list, not an object, so it has no key \`${name}\`; Marketo needs a named first level.`
            : `\`${here}\` is a list of ${items(current.length)}, not an object: write an index such as \`${here}[0]\` before \`.${name}\`.`,
        };
      }
      const here = whereNow();
      return {
        ok: false,
        reason: i === 0
          ? `The response is ${describe(current)}, not an object, so it has no key \`${name}\`.`
          : `\`${here}\` holds ${describe(current)}, not an object, so it has no key \`${name}\`.`,
      };
    }

    const index = segment.index;
    if (Array.isArray(current) && index < current.length) {
      current = current[index] as unknown;
      continue;
    }
    const here = whereNow();
    if (Array.isArray(current)) {
      return { ok: false, reason: `Index ${index} is past the end of \`${here}\` (${items(current.length)}).` };
    }
    if (xml && current !== null && current !== undefined) {
      return { ok: false, reason: `\`${here}\` appears only once in the XML, so it is not a list and has no index ${index}: drop \`[${index}]\`.` };
    }
    return { ok: false, reason: `\`${here}\` holds ${describe(current)}, not a list, so it has no index ${index}.` };
  }
  return { ok: true, value: current };
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
