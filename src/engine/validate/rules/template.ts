// The template: its tokens, then whether Marketo sends it at all (only with a method that carries a
// body), then the escapes Marketo reads in it. What its body must be is json-body.ts's and form-body.ts's.
import { METHODS_WITH_BODY } from '../../definition/keys';
import { jsonFragment } from '../../definition/json-string';
import type { SourceString } from '../../definition/parse';
import { findIllegalEscapes } from '../../tokens/escapes';
import type { ValidationContext, ValidationRule } from '../context';
import { DIAGNOSTIC_CODES as C, MAX_DIAGNOSTICS } from '../diagnostics';
import { checkTokens } from './tokens';

export const templateRule: ValidationRule = {
  id: 'template',
  check(ctx) {
    const { template } = ctx.parsed;
    if (!template) return;
    checkTokens(ctx, template, 'template');
    if (!sendsTemplate(ctx)) {
      const node = ctx.parsed.keyNodes.get('requestType');
      const at = ctx.parsed.keyNodes.get('template') ?? template.node;
      ctx.sink.warning(
        C.templateOnGet,
        `Marketo sends the template only for POST, PUT, PATCH and DELETE; on ${ctx.definition.requestType} it is ignored. Put the values in the URL, or change "requestType".`,
        at.offset, at.length,
        node ? { requestTypeOffset: node.offset, requestTypeLength: node.length } : undefined,
      );
      return;
    }
    for (const p of findIllegalEscapes(template.value, MAX_DIAGNOSTICS)) {
      if (ctx.sink.full) break;
      const { offset, length } = ctx.span(template, p.start, p.end);
      // In the file the backslash is itself escaped; the fix doubles it once more.
      const next = template.value.slice(p.start + 1, p.end);
      ctx.sink.error(C.templateIllegalEscape, p.message, offset, length, { replacements: [`\\\\\\\\${jsonFragment(next)}`] });
    }
  },
};

/** Whether Marketo sends the template: only for a method that carries a body. */
export function sendsTemplate(ctx: ValidationContext): boolean {
  return METHODS_WITH_BODY.includes(ctx.definition.requestType);
}

/** The template when Marketo sends it as a body of this kind (the Content-Type decides first, the text second). */
export function sentBody(ctx: ValidationContext, kind: 'json' | 'form'): SourceString | undefined {
  const { template } = ctx.parsed;
  return template && sendsTemplate(ctx) && ctx.templateKind(template) === kind ? template : undefined;
}
