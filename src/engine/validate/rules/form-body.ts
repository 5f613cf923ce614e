// A form body (`a=1&b=2`): each token encoded so that its value cannot break the form.
import type { SourceString } from '../../definition/parse';
import { scanTokens, type Token } from '../../tokens/scan';
import type { ValidationContext, ValidationRule } from '../context';
import { DIAGNOSTIC_CODES as C } from '../diagnostics';
import { sentBody } from './template';

export const formBodyRule: ValidationRule = {
  id: 'form-body',
  check(ctx) {
    const template = sentBody(ctx, 'form');
    if (template) checkFormTemplate(ctx, template, scanTokens(template.value).tokens);
  },
};

function checkFormTemplate(ctx: ValidationContext, template: SourceString, tokens: readonly Token[]): void {
  const encoding = ctx.definition.requestTokenEncoding;
  if (encoding === 'Form/Url') return;
  for (const token of tokens) {
    if (ctx.sink.full) break;
    // Under None a text value breaks the form; under JSON every string-type value gets quotes.
    if (encoding === 'None' ? ctx.shapeOf(token) !== 'text' : ctx.jsonType(token) === 'number') continue;
    const whole = ctx.span(template, token.start, token.end);
    const written = template.value.slice(token.start, token.end);
    ctx.sink.warning(
      C.formTokenUnencoded,
      encoding === 'None'
        ? `Request Token Encoding is None: a value of ${written} holding & or = or a space breaks this form body. Use "requestTokenEncoding": "Form/Url".`
        : `Request Token Encoding is JSON: ${written} is written as a JSON string, quotes included ("Ada"), and & or = in it breaks this form body. Use "requestTokenEncoding": "Form/Url".`,
      whole.offset, whole.length,
    );
  }
}
