// Response mappings: a Response Type that lets Marketo read the response, a Response Attribute in
// Marketo's path grammar, and a Marketo Field that exists and can be written.
import { resolveMarketoField } from '../../catalog/marketo-field';
import { sourceString } from '../../definition/parse';
import { parseResponsePath } from '../../outcome/response-path';
import type { ValidationContext, ValidationRule } from '../context';
import { DIAGNOSTIC_CODES as C } from '../diagnostics';

export const responseMappingsRule: ValidationRule = {
  id: 'response-mappings',
  check: checkMappings,
};

function checkMappings(ctx: ValidationContext): void {
  const { mappings } = ctx.parsed;
  if (mappings.length > 0 && ctx.definition.responseType === 'None') {
    const node = ctx.parsed.keyNodes.get('responseType') ?? ctx.parsed.keyNodes.get('responseMappings');
    if (node) {
      ctx.sink.warning(
        C.mappingsWithoutResponseType,
        'This webhook has response mappings but Response Type is None, so Marketo never reads the response and the mappings write nothing. Set "responseType" to "JSON" or "XML".',
        node.offset, node.length,
        ctx.parsed.keyNodes.has('responseType')
          ? { replacements: ['"JSON"', '"XML"'] }
          // No responseType yet: the fix inserts one before "responseMappings".
          : { offset: node.parent?.offset ?? node.offset, length: 0, replacements: ['"responseType": "JSON",\n  ', '"responseType": "XML",\n  '] },
      );
    }
  }
  for (const m of mappings) {
    // Each check can look for suggestions: none once nothing more can be reported.
    if (ctx.sink.full) break;
    if (m.attributeNode) {
      const path = parseResponsePath(m.mapping.responseAttribute);
      if (!path.ok) {
        const source = sourceString(ctx.parsed.text, m.attributeNode);
        const { offset, length } = ctx.span(source, path.error.offset, path.error.offset + Math.max(1, path.error.length));
        ctx.sink.error(C.responseAttributeInvalid, `Invalid Response Attribute: ${path.error.message}`, offset, length);
      }
    }
    if (m.fieldNode) checkMarketoField(ctx, m.mapping.marketoField, m.fieldNode.offset, m.fieldNode.length);
  }
}

function checkMarketoField(ctx: ValidationContext, name: string, offset: number, length: number): void {
  const resolved = resolveMarketoField(name, ctx.catalog);
  if (resolved.ok) return;
  const code = resolved.problem === 'not-mappable' ? C.marketoFieldNotMappable
    : resolved.problem === 'unknown' || resolved.problem === 'empty' ? C.marketoFieldUnknown
      : C.marketoFieldNotSoapName;
  // Far from every standard name, it is most likely a custom field this catalog does not know.
  const severity = resolved.problem === 'unknown' && resolved.suggestions.length === 0 ? 'warning' : 'error';
  ctx.sink.add(severity, code, resolved.reason, offset, length,
    resolved.suggestions.length ? { replacements: resolved.suggestions.map((s) => JSON.stringify(s)) } : undefined);
}
