// The Marketo Field of a response mapping is the lead field's SOAP API name, spelled exactly.
// One resolver for validation (which underlines the name) and for runs (which skip the mapping).
import { closest } from '../text/closest';
import type { FieldCatalog, LeadField } from './field-catalog';

export type MarketoFieldProblem = 'empty' | 'rest-name' | 'display-name' | 'case' | 'not-mappable' | 'unknown';

export type MarketoFieldResolution =
  | { ok: true; field: LeadField }
  | {
    ok: false;
    problem: MarketoFieldProblem;
    /** one sentence a Marketo admin understands */
    reason: string;
    /** the SOAP names to write instead, best first */
    suggestions: string[];
    field?: LeadField;
  };

export function resolveMarketoField(name: string, catalog: FieldCatalog): MarketoFieldResolution {
  if (name.trim() === '') return { ok: false, problem: 'empty', reason: 'The Marketo Field is empty: give the SOAP API name of a lead field.', suggestions: [] };
  const exact = catalog.bySoapNameExact(name);
  if (exact) return { ok: true, field: exact };

  const rest = catalog.byRestName(name);
  if (rest && rest.restName === name) return otherName(name, 'the REST API name', rest);
  const display = catalog.byDisplayName(name);
  if (display) return otherName(name, 'the display name', display);
  const soap = catalog.bySoapName(name);
  if (soap?.soapName) {
    return { ok: false, problem: 'case', field: soap, suggestions: [soap.soapName], reason: `\`${name}\` does not match the SOAP API name \`${soap.soapName}\` exactly: mappings need its exact spelling, including case.` };
  }
  if (rest) return otherName(name, 'the REST API name', rest);
  const suggestions = closest(name, catalog.soapNames(), 3);
  return {
    ok: false,
    problem: 'unknown',
    suggestions,
    reason: `No lead field has the SOAP API name \`${name}\`${suggestions.length ? `: did you mean ${suggestions.map((s) => `\`${s}\``).join(' or ')}?` : '. If it is one of your custom fields, add your Describe Lead response as marketo-fields.json.'}`,
  };
}

function otherName(name: string, kind: string, field: LeadField): MarketoFieldResolution {
  if (!field.soapName) {
    const which = field.displayName === name ? '' : ` (of the field ${field.displayName})`;
    return { ok: false, problem: 'not-mappable', field, suggestions: [], reason: `\`${name}\` is ${kind}${which}, and that field has no SOAP API name, so a response mapping cannot write it.` };
  }
  return { ok: false, problem: kind === 'the display name' ? 'display-name' : 'rest-name', field, suggestions: [field.soapName], reason: `\`${name}\` is ${kind} of a lead field; response mappings need its SOAP API name \`${field.soapName}\`.` };
}
