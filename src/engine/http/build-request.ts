// Builds the request exactly as Marketo would: tokens resolved against the sample lead and the
// test token values, each encoded by the Request Token Encoding for its place, the template's
// escapes read, and the body sent only for methods that carry one.
import { ParseErrorCode, printParseErrorCode, visit as visitJson } from 'jsonc-parser';
import type { AssumptionList } from '../outcome/assumptions';
import { bodyKind } from './body-kind';
import { METHODS_WITH_BODY } from '../definition/keys';
import type { FieldCatalog } from '../catalog/field-catalog';
import { headerValue } from './headers';
import { leadValue, leadValueText, type SampleLead } from '../catalog/sample-lead';
import { renderText } from '../tokens/render';
import { encodeTokenValue, jsonTokenType, numberTokenKeys, type TokenPlace, type TokenTypeContext } from '../tokens/encoding';
import { leadFieldName, namespaceOf, normalizeTokenKey, systemTokenValue, unhandled } from '../tokens/namespaces';
import { scanTokens, type Token } from '../tokens/scan';
import type { RunRequest, WebhookDefinition } from '../types';

export interface TokenContext {
  catalog: FieldCatalog;
  lead: SampleLead;
  /** token values by normalized key (see normalizeTokenKey), secrets already resolved */
  values: ReadonlyMap<string, string>;
  now: Date;
  /** collects what the run should tell about the request (a value changed, a body that is not JSON) */
  notes?: string[];
  /** collects the unverified rules the request was built by */
  assumptions?: AssumptionList;
}

/** CR LF, CR or LF: each becomes one space in a lead or company value (docs/marketo-behaviour.md#line-breaks). */
const LINE_BREAK = /\r\n|\r|\n/g;

/**
 * The value Marketo would put in place of a token, before encoding; undefined for a token it does
 * not recognise (an unknown namespace), which is sent as written.
 */
export function resolveToken(token: Token, ctx: TokenContext): string | undefined {
  const ns = namespaceOf(token.namespace);
  if (!ns) return undefined;
  let value = ctx.values.get(normalizeTokenKey(`${ns.id}.${token.name}`));
  // Without a value in test.tokens, from where the namespace's values come (namespaces.ts).
  const source = ns.value;
  switch (source.from) {
    case 'lead':
      value ??= leadValueText(leadValue(ctx.lead, leadFieldName(ns, token.name) ?? token.name, ctx.catalog));
      if (value !== undefined && /[\r\n]/.test(value)) {
        value = value.replace(LINE_BREAK, ' ');
        ctx.assumptions?.add('line-breaks');
        ctx.notes?.push(`the value of {{${token.namespace}.${token.name}}} holds line breaks; Marketo sends each as one space (docs/marketo-behaviour.md#line-breaks).`);
      }
      break;
    case 'clock':
      value ??= systemTokenValue(token.name, ctx.now);
      break;
    case 'test.tokens':
      break;
    default:
      return unhandled(source);
  }
  // An empty value falls back to the token's default; without one (an undefined {{my.…}} token
  // too) it is sent empty (docs/marketo-behaviour.md#undefined-tokens).
  if ((value === undefined || value === '') && token.defaultValue !== undefined) return token.defaultValue;
  if (value === undefined && source.from === 'test.tokens' && source.assumption) ctx.assumptions?.add(source.assumption);
  return value ?? '';
}

/** What building a definition's request needs that no lead changes: worked out once per definition. */
interface RequestPlan {
  numberTokens: ReadonlySet<string>;
  /** the tokens of the URL, the template and each header value, by text */
  tokens: ReadonlyMap<string, readonly Token[]>;
  sendsBody: boolean;
  /** the body is JSON, so each built body is checked for a syntax error */
  jsonBody: boolean;
}

/** By definition object: a run keeps the definition of its text (run.ts), so lead after lead finds its plan here. */
const plans = new WeakMap<WebhookDefinition, RequestPlan>();

function planOf(definition: WebhookDefinition): RequestPlan {
  let plan = plans.get(definition);
  if (plan) return plan;
  const tokens = new Map<string, readonly Token[]>();
  for (const text of [definition.url, definition.template ?? '', ...Object.values(definition.headers)]) tokens.set(text, scanTokens(text).tokens);
  const sendsBody = METHODS_WITH_BODY.includes(definition.requestType) && definition.template !== undefined;
  plan = {
    numberTokens: numberTokenKeys(definition.test.tokens),
    tokens,
    sendsBody,
    jsonBody: sendsBody && bodyKind(definition.template ?? '', headerValue(definition.headers, 'content-type')) === 'json',
  };
  plans.set(definition, plan);
  return plan;
}

export function buildRequest(definition: WebhookDefinition, ctx: TokenContext): RunRequest {
  const plan = planOf(definition);
  const types: TokenTypeContext = { catalog: ctx.catalog, numberTokens: plan.numberTokens };
  const notes: string[] = [];
  const local: TokenContext = { ...ctx, notes };
  /** number-type tokens the template leaves empty: the likely reason a JSON body breaks */
  const empty = new Set<string>();
  const render = (text: string, place: TokenPlace) =>
    renderText(text, {
      escapes: place === 'template',
      ...(plan.tokens.has(text) ? { tokens: plan.tokens.get(text) } : {}),
      valueOf: (token) => {
        const written = text.slice(token.start, token.end);
        const value = resolveToken(token, local);
        if (value === undefined) return written;
        const type = jsonTokenType(token, types);
        const encoded = encodeTokenValue(value, definition.requestTokenEncoding, place, type);
        if (place === 'template' && encoded === '' && type === 'number' && definition.requestTokenEncoding === 'JSON') ctx.assumptions?.add('empty-values');
        if (place === 'template' && encoded === '') empty.add(written);
        return encoded;
      },
    });
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(definition.headers)) headers[name] = render(value, 'header');
  const url = render(definition.url, 'url');
  const body = plan.sendsBody ? render(definition.template ?? '', 'template') : null;
  if (body !== null && plan.jsonBody) {
    const error = firstJsonError(body);
    if (error) {
      const cause = empty.size > 0 ? ` Empty for this lead: ${[...empty].join(', ')}; a number-type token that is empty is sent as nothing (\`"score": ,\`), so give it a default such as \`:default=0\`.` : '';
      notes.push(`for this lead the body is not valid JSON (${error}); it is sent as Marketo would build it.${cause} (docs/marketo-behaviour.md#empty-values)`);
    }
  }
  // A token that appears many times is noted once.
  ctx.notes?.push(...new Set(notes));
  return { method: definition.requestType, url, headers, body, sent: false };
}

/** The first JSON syntax error in `text`, described with its offset, or undefined for valid JSON. */
function firstJsonError(text: string): string | undefined {
  try {
    JSON.parse(text);
    return undefined;
  } catch {
    // The native parser's message quotes the body, which can hold a secret: describe it ourselves.
  }
  let found: string | undefined;
  const stop = new Error('first error found');
  try {
    visitJson(text, {
      onError: (error: ParseErrorCode, offset: number) => {
        found = `${printParseErrorCode(error)} at character ${offset + 1}`;
        throw stop;
      },
    }, { allowTrailingComma: false, disallowComments: true, allowEmptyContent: false });
  } catch (error) {
    if (error !== stop) return 'nested too deeply to read';
  }
  return found ?? 'not valid JSON';
}
