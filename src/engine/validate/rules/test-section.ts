// The "test" section: "test.tokens" keys that name tokens, and a sample lead whose keys are lead
// fields, each named once.
import type { Node } from 'jsonc-parser';
import type { LeadField } from '../../catalog/field-catalog';
import { leadFromValue } from '../../catalog/sample-lead';
import { closest } from '../../text/closest';
import { namespaceOf } from '../../tokens/namespaces';
import type { ValidationContext, ValidationRule } from '../context';
import { DIAGNOSTIC_CODES as C } from '../diagnostics';

export const testSectionRule: ValidationRule = {
  id: 'test-section',
  check: checkTestSection,
};

function checkTestSection(ctx: ValidationContext): void {
  for (const { key, keyNode } of ctx.parsed.testTokens) {
    if (ctx.sink.full) break;
    const dot = key.indexOf('.');
    const ns = dot > 0 ? namespaceOf(key.slice(0, dot)) : undefined;
    if (!ns) {
      ctx.sink.warning(C.unknownKey, `"${key}" is not a token name: write "namespace.Name" without braces, e.g. "my.API Key" or "campaign.name".`, keyNode.offset, keyNode.length);
    }
  }
  const lead = ctx.definition.test.lead;
  const leadNode = ctx.parsed.testKeyNodes.get('lead');
  if (lead && typeof lead === 'object' && leadNode) {
    const read = leadFromValue(lead, ctx.catalog);
    // Two names of one field ("First Name" and "firstName"): only one value can count.
    const firstKey = new Map<LeadField, string>();
    for (const property of leadNode.children ?? []) {
      const keyNode = property.children?.[0];
      const field = typeof keyNode?.value === 'string' ? ctx.catalog.byAnyName(keyNode.value) : undefined;
      if (!keyNode || !field) continue;
      const earlier = firstKey.get(field);
      if (earlier !== undefined && earlier !== keyNode.value) {
        ctx.sink.warning(C.leadDuplicateField, `"${String(keyNode.value)}" and "${earlier}" name the same lead field (${field.displayName}); only one value counts. Remove one.`, keyNode.offset, keyNode.length);
      }
      if (earlier === undefined) firstKey.set(field, keyNode.value as string);
    }
    if (read.ok) {
      // The first key node of each key, found once: a lead can have thousands of keys.
      const keyNodes = new Map<unknown, Node>();
      for (const p of leadNode.children ?? []) {
        const keyNode = p.children?.[0];
        if (keyNode && !keyNodes.has(keyNode.value)) keyNodes.set(keyNode.value, keyNode);
      }
      for (const key of read.lead.unknownKeys) {
        if (ctx.sink.full) break;
        const at = keyNodes.get(key) ?? leadNode;
        const suggestion = closest(key, ctx.catalog.displayNames(), 1)[0];
        ctx.sink.warning(C.leadUnknownField, `The sample lead has "${key}", which is no lead field${suggestion ? ` (did you mean "${suggestion}"?)` : ''}; tokens cannot read it.`, at.offset, at.length);
      }
    }
  }
}
