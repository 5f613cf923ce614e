// A JSON body: each token written so that the body stays JSON for every lead under the Request
// Token Encoding, the body valid JSON once Marketo has substituted the tokens and read the escapes,
// and a Content-Type that says it is JSON.
import { ParseErrorCode, printParseErrorCode, visit as visitJson, type ParseError } from 'jsonc-parser';
import { jsonFragment } from '../../definition/json-string';
import { describeParseError, type SourceString } from '../../definition/parse';
import { headerValue } from '../../http/headers';
import { encodeTokenValue } from '../../tokens/encoding';
import { isJsonWithTokens, renderedOrigin, renderText, tokensInsideJsonStrings } from '../../tokens/render';
import { scanTokens, type Token } from '../../tokens/scan';
import { MAX_JSON_DEPTH, type ValidationContext, type ValidationRule } from '../context';
import { DIAGNOSTIC_CODES as C } from '../diagnostics';
import { sentBody } from './template';

export const jsonBodyRule: ValidationRule = {
  id: 'json-body',
  check(ctx) {
    const template = sentBody(ctx, 'json');
    if (!template) return;
    checkJsonTemplate(ctx, template, scanTokens(template.value).tokens, headerValue(ctx.definition.headers, 'content-type'));
  },
};

function checkJsonTemplate(ctx: ValidationContext, template: SourceString, tokens: readonly Token[], contentType: string | undefined): void {
  // A template that is one token is a payload encoded elsewhere (Whiteman's one legitimate use
  // of None): what it holds cannot be checked here (docs/marketo-behaviour.md#none-encoding).
  const single = tokens.length === 1 && template.value.trim() === template.value.slice(tokens[0]!.start, tokens[0]!.end);
  if (!single && !isCleanJsonTemplate(ctx, template)) checkJsonTemplateTokens(ctx, template, tokens);
  // (Only a template Marketo sends reaches here: sentBody.)
  if (!contentType) {
    const at = ctx.parsed.keyNodes.get('template') ?? template.node;
    ctx.sink.warning(
      C.jsonBodyWithoutContentType,
      'This JSON body is sent without a Content-Type header; many services then reject or misread it. Add "Content-Type": "application/json" to "headers".',
      at.offset, at.length,
      { headersOffset: ctx.parsed.keyNodes.get('headers')?.offset ?? -1 },
    );
  }
}

/**
 * The common case, decided in one pass over the template: under JSON encoding every string-type
 * token becomes a JSON string, so one standing inside a string literal breaks the body, and a
 * number-type token is written bare. A body that is valid JSON with its string-type tokens read as
 * strings and its number-type tokens as numbers (values, never keys), none of which can be empty
 * without a default, therefore renders to valid JSON with the sample values, and nothing in
 * checkJsonTemplateTokens would report. Only without backslashes: Marketo's escapes (`\"` becomes
 * `"`) could otherwise move the string boundaries that the token check reads lexically.
 */
function isCleanJsonTemplate(ctx: ValidationContext, template: SourceString): boolean {
  if (ctx.definition.requestTokenEncoding !== 'JSON' || ctx.templateTokenProblems > 0 || template.value.includes('\\')) return false;
  const { tokens } = scanTokens(template.value);
  const isNumber = (t: Token) => ctx.jsonType(t) === 'number';
  // The empty-value warning's case (a bare token is never inside a string here: isJsonWithTokens refuses those).
  if (tokens.some((t) => isNumber(t) && t.defaultValue === undefined && ctx.mayBeEmpty(t))) return false;
  // Too deep gives false here too: the full check then says so.
  return isJsonWithTokens(template.value, tokens, isNumber, MAX_JSON_DEPTH);
}

/**
 * Each token of a JSON body, by where it stands (inside a string or bare), the encoding, and the
 * token's type under JSON encoding (docs/marketo-behaviour.md#json-encoding-by-type):
 * - JSON: a string-type token inside a string is sent as `""value""` (error); a number-type one
 *   is fine there (`"87"`); a bare number-type token without a default is sent as nothing when
 *   empty (warning).
 * - Form/Url and None: a bare token that is not a number is not JSON for any lead (error); inside
 *   a string, Form/Url sends `Ada+Lovelace` and None breaks on a quote or a line break (warning).
 *   Both offer JSON encoding, with the whole-value tokens unquoted, where that gives valid JSON.
 */
function checkJsonTemplateTokens(ctx: ValidationContext, template: SourceString, tokens: readonly Token[]): void {
  const encoding = ctx.definition.requestTokenEncoding;
  const inString = tokensInsideJsonStrings(template.value, tokens);
  const quotedWhole = (token: Token) => template.value[token.start - 1] === '"' && template.value[token.end] === '"';
  let toJson: { unquote: { offset: number; length: number; replacement: string }[] } | null | undefined;
  /** the switch to JSON encoding, worked out once: null where a string-type token stands inside longer text */
  const jsonFix = () => {
    if (toJson !== undefined) return toJson;
    const unquote: { offset: number; length: number; replacement: string }[] = [];
    for (const token of tokens) {
      if (!inString.has(token.start) || ctx.jsonType(token) === 'number') continue;
      if (!quotedWhole(token)) return (toJson = null);
      unquote.push({ ...ctx.span(template, token.start - 1, token.end + 1), replacement: jsonFragment(template.value.slice(token.start, token.end)) });
    }
    return (toJson = { unquote });
  };
  let tokenErrors = 0;
  for (const token of tokens) {
    if (ctx.sink.full) break;
    const within = inString.has(token.start);
    const type = ctx.jsonType(token);
    // Under Form/Url and None a number (or true/false) is safe bare and inside a string.
    const shape = encoding === 'JSON' ? undefined : ctx.shapeOf(token);
    const empty = !within && type === 'number' && token.defaultValue === undefined && ctx.mayBeEmpty(token);
    const reported = encoding === 'JSON' ? within && type === 'string'
      : encoding === 'Form/Url' ? shape !== 'number'
        : within ? shape === 'text' : shape !== 'number';
    // Most tokens have nothing to report: their text and place are worked out when one has.
    if (!reported && !empty) continue;
    const whole = ctx.span(template, token.start, token.end);
    const written = template.value.slice(token.start, token.end);
    if (!reported) {
      const close = ctx.span(template, token.end - 2, token.end - 2);
      ctx.sink.warning(
        C.jsonTokenEmpty,
        `${written} is a number-type token, written bare: when the value is empty Marketo sends nothing in its place (\`"score": ,\`), which is not JSON. Add \`:default=0\` (or the number the service expects).`,
        whole.offset, whole.length,
        { offset: close.offset, length: 0, replacements: [':default=0'] },
      );
    } else if (encoding === 'JSON') {
      tokenErrors++;
      if (quotedWhole(token)) {
        const q = ctx.span(template, token.start - 1, token.end + 1);
        ctx.sink.error(
          C.tokenQuotedJson,
          `Under JSON encoding Marketo writes ${written}, a string-type token, as a JSON string with its own quotes, so "${written}" is sent as ""value"", which breaks the JSON. Remove the quotes around the token.`,
          q.offset, q.length, { replacements: [jsonFragment(written)] },
        );
      } else {
        ctx.sink.error(
          C.tokenQuotedJson,
          `Under JSON encoding Marketo writes ${written}, a string-type token, as a JSON string with its own quotes; inside a longer string it breaks the JSON. Make the token the whole value, or use "requestTokenEncoding": "None" and make sure the value holds no " or line break.`,
          whole.offset, whole.length,
        );
      }
    } else {
      const fix = jsonFix();
      const data = fix ? { toJson: fix } : undefined;
      const switchText = fix
        ? 'Use "requestTokenEncoding": "JSON" with the token unquoted: it writes the value as a JSON string.'
        : 'JSON encoding cannot help while a token stands inside longer text: make each such token a whole value, or make sure the field never holds those characters.';
      if (within) {
        ctx.sink.warning(
          C.jsonTokenUnencoded,
          encoding === 'Form/Url'
            ? `Request Token Encoding is Form/Url, so ${written} is URL-encoded inside this JSON string: "Ada Lovelace" is sent as "Ada+Lovelace", "a@b.example" as "a%40b.example". ${switchText}`
            : `Request Token Encoding is None: a value of ${written} holding ", \\ or a line break breaks this JSON body (Whiteman, "If someone recommends “Request Token Encoding: None” in a webhook, always push back"). ${switchText}`,
          whole.offset, whole.length, data,
        );
      } else {
        ctx.sink.error(
          C.jsonTokenUnencoded,
          `Request Token Encoding is ${encoding}, so ${written} is written without quotes: a value such as ${shape === 'plain' ? '2024-05-07' : 'Ada'} is sent as \`${shape === 'plain' ? '2024-05-07' : 'Ada'}\`, which is not JSON, for every lead. ${switchText}`,
          whole.offset, whole.length, data,
        );
      }
    }
  }
  if (tokenErrors === 0 && ctx.templateTokenProblems === 0) checkRenderedJson(ctx, template, tokens, inString);
}

/** Renders the body as Marketo would, with harmless sample values, and parses the result. */
function checkRenderedJson(ctx: ValidationContext, template: SourceString, tokens: readonly Token[], inString: Set<number>): void {
  const encoding = ctx.definition.requestTokenEncoding;
  // A parser recurses per level: past MAX_JSON_DEPTH (or a stack that holds less) the body is not parsed.
  const tooDeep = () => {
    const at = ctx.parsed.keyNodes.get('template') ?? template.node;
    ctx.sink.warning(C.templateInvalidJson, `This body nests arrays and objects more than ${MAX_JSON_DEPTH} levels deep, so it is not checked as JSON; no service expects that.`, at.offset, at.length);
  };
  if (ctx.nestsTooDeep(template, tokens)) return tooDeep();
  // Sample values: a string-type token as JSON encoding writes `x`, a number-type one as `0`
  // (its empty case is warned about apart); under Form/Url and None `x` in a string, `0` bare.
  const json = encodeTokenValue('x', 'JSON', 'template');
  const options = {
    escapes: true,
    valueOf: (token: Token) => (encoding === 'JSON' ? (ctx.jsonType(token) === 'number' ? '0' : json) : inString.has(token.start) ? 'x' : '0'),
  };
  const rendered = renderText(template.value, options);
  if (isJson(rendered)) return;
  const first = firstJsonError(rendered);
  if (first === 'too deep') return tooDeep();
  if (first) {
    // Where the error's character came from: looked up for this one character, not for all.
    const at = renderedOrigin(template.value, options, Math.min(first.offset, rendered.length - 1)) ?? template.value.length;
    const { offset, length } = ctx.span(template, at, Math.min(template.value.length, at + Math.max(1, first.length)));
    // A `\n` escape read by Marketo leaves a raw line break inside a JSON string.
    const newline = (first.error === ParseErrorCode.UnexpectedEndOfString || first.error === ParseErrorCode.InvalidCharacter)
      && /\\[nr]/.test(template.value);
    ctx.sink.error(
      C.templateInvalidJson,
      `Once Marketo substitutes the tokens (${encoding} encoding) and reads the escapes, this body is not valid JSON: ${describeJsonError(first)}${newline ? ' (Marketo turns `\\n` in the template into a real line break, which a JSON string cannot hold: to send backslash-n, write `\\\\\\\\n` in this file)' : ''}.`,
      offset, length,
    );
  }
}

/** Valid JSON by the native parser, which accepts nothing jsonc-parser's strict mode refuses. */
function isJson(text: string): boolean {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}

/**
 * The first error jsonc-parser's strict mode finds in `text` (what `parse` would list first), found
 * without reading further: a broken 5 MB body can hold millions. `too deep` when its nesting
 * exhausts the stack.
 */
function firstJsonError(text: string): ParseError | 'too deep' | undefined {
  const stop = new Error('first error found');
  let first: ParseError | undefined;
  try {
    visitJson(text, {
      onError: (error, offset, length) => {
        first = { error, offset, length };
        throw stop;
      },
    }, { allowTrailingComma: false, disallowComments: true, allowEmptyContent: false });
  } catch (error) {
    if (error === stop) return first;
    if (error instanceof RangeError) return 'too deep';
    throw error;
  }
  return undefined;
}

function describeJsonError(error: ParseError): string {
  if (error.error === ParseErrorCode.InvalidCharacter) return 'invalid character (such as a raw line break inside a string)';
  return describeParseError(printParseErrorCode(error.error));
}
