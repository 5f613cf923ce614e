// What kind of body a template is: read from its Content-Type first, its text second
// (docs/marketo-behaviour.md#body-kind). The Request Token Encoding does not decide it: Adobe's
// JSON encoding suits any format that quotes strings, XML and SOAP included. Only a JSON body gets
// JSON checks.
import { scanTokens } from '../tokens/scan';

export type BodyKind = 'json' | 'xml' | 'form' | 'text';

/** A form body's shape: `a=b&c=d`, no blanks in the names. */
const FORM_SHAPED = /^[^=&\s{[<]+=[^&]*(&[^=&\s]+=[^&]*)*$/;

export function bodyKind(template: string, contentType: string | undefined): BodyKind {
  const byHeader = contentType === undefined ? undefined : kindOfContentType(contentType);
  if (byHeader) return byHeader;
  const start = template.search(/\S/);
  if (start < 0) return 'text';
  // A token's braces open no JSON object: `{{lead.First Name}} <…>` is text.
  if (template.startsWith('{{', start) && scanTokens(template).tokens.some((t) => t.start === start)) return 'text';
  const first = template[start];
  if (first === '{' || first === '[') return 'json';
  if (first === '<') return 'xml';
  return FORM_SHAPED.test(template.trim()) ? 'form' : 'text';
}

/**
 * The kind a literal Content-Type names (`application/json; charset=utf-8`, `application/ld+json`,
 * `text/xml`, …); undefined when the value holds a token, so is only known at run time.
 */
function kindOfContentType(value: string): BodyKind | undefined {
  if (value.includes('{{')) return undefined;
  const type = (value.split(';')[0] ?? '').trim().toLowerCase();
  if (type === '') return undefined;
  if (type.endsWith('/json') || type.endsWith('+json')) return 'json';
  if (type.endsWith('/xml') || type.endsWith('+xml')) return 'xml';
  if (type === 'application/x-www-form-urlencoded') return 'form';
  return 'text';
}
