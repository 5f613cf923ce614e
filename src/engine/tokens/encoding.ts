// Request Token Encoding: how a token's value is written where the token stands
// (docs/marketo-behaviour.md#request-token-encoding). One rule for every place a token can be, and
// one rule for which tokens JSON encoding quotes.
import type { FieldCatalog } from '../catalog/field-catalog';
import { leadFieldName, namespaceOf, normalizeTokenKey, unhandled } from './namespaces';
import type { Token } from './scan';
import type { RequestTokenEncoding, TokenValue } from '../types';

export type TokenPlace = 'url' | 'template' | 'header';

/**
 * What JSON encoding makes of a token: a `string`-type token is written as a JSON string (quoted,
 * escaped), a `number`-type token bare, as its text (docs/marketo-behaviour.md#json-encoding-by-type).
 */
export type JsonTokenType = 'string' | 'number';

/** Lead field types whose tokens JSON encoding leaves bare; every other type is quoted. */
const NUMBER_FIELD_TYPES: ReadonlySet<string> = new Set(['integer', 'float', 'currency', 'score', 'percent']);

export interface TokenTypeContext {
  catalog: FieldCatalog;
  /** normalized keys (normalizeTokenKey) of `test.tokens` whose value is a JSON number */
  numberTokens: ReadonlySet<string>;
}

/** The normalized keys of the `test.tokens` values written as JSON numbers (Number and Score My Tokens). */
export function numberTokenKeys(tokens: Readonly<Record<string, TokenValue>>): Set<string> {
  const keys = new Set<string>();
  for (const [key, value] of Object.entries(tokens)) if (isNumberValue(value)) keys.add(normalizeTokenKey(key));
  return keys;
}

export function isNumberValue(value: TokenValue): value is { number: string } {
  return typeof value === 'object' && 'number' in value;
}

/**
 * Whether JSON encoding writes this token bare or quoted. The one place this is decided: the
 * request, validation, quick fixes and hover all ask here, by the namespace's rule (namespaces.ts).
 * - `field-type` (`lead.`, `Company.`): bare for a field of type integer, float, currency, score or
 *   percent; quoted for every other type and for a name the catalog does not know.
 * - `test-value` (`my.`): bare when its `test.tokens` value is a JSON number (a Number or Score My Token).
 * - `string` (every other namespace, and an unknown one): quoted (Marketo publishes no type for them).
 */
export function jsonTokenType(token: Pick<Token, 'namespace' | 'name'>, ctx: TokenTypeContext): JsonTokenType {
  const ns = namespaceOf(token.namespace);
  if (!ns) return 'string';
  switch (ns.jsonType) {
    case 'field-type': {
      const field = ctx.catalog.byDisplayName(leadFieldName(ns, token.name) ?? token.name);
      return field && NUMBER_FIELD_TYPES.has(field.dataType) ? 'number' : 'string';
    }
    case 'test-value':
      return ctx.numberTokens.has(normalizeTokenKey(`${ns.id}.${token.name}`)) ? 'number' : 'string';
    case 'string':
      return 'string';
    default:
      return unhandled(ns.jsonType);
  }
}

/**
 * Java's URLEncoder (application/x-www-form-urlencoded): letters, digits and `.-*_` stay, a space
 * becomes `+`, every other byte of the UTF-8 form becomes `%XX`.
 */
export function formUrlEncode(value: string): string {
  let out = '';
  for (const byte of Buffer.from(value, 'utf8')) {
    const c = String.fromCharCode(byte);
    if (/[A-Za-z0-9.\-*_]/.test(c)) out += c;
    else if (byte === 0x20) out += '+';
    else out += `%${byte.toString(16).toUpperCase().padStart(2, '0')}`;
  }
  return out;
}

/**
 * Marketo documents the encoding for the template only; whether it reaches the URL and headers is
 * undocumented. Project rule (docs/marketo-behaviour.md#tokens-in-url-and-headers):
 * - template: the encoding as chosen; under JSON a number-type token is its bare text (nothing at
 *   all when empty: Marketo never writes `null`, docs/marketo-behaviour.md#empty-values);
 * - URL: URL-encoded under `Form/Url`, raw otherwise (a JSON string literal in a URL is never meant);
 * - headers: always raw.
 */
export function encodeTokenValue(value: string, encoding: RequestTokenEncoding, place: TokenPlace, type: JsonTokenType = 'string'): string {
  if (place === 'header') return value;
  if (encoding === 'Form/Url') return formUrlEncode(value);
  if (encoding === 'JSON' && place === 'template') return type === 'number' ? value : JSON.stringify(value);
  return value;
}
