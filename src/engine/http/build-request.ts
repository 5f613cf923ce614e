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
import { compileText, isJsonWithTokens, renderCompiled, type CompiledText } from '../tokens/render';
import { encodeTokenValue, jsonTokenType, numberTokenKeys, type JsonTokenType, type TokenPlace, type TokenTypeContext } from '../tokens/encoding';
import { leadFieldName, namespaceOf, normalizeTokenKey, systemTokenValue, unhandled, type NamespaceInfo } from '../tokens/namespaces';
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

/** What a token needs looked up once, not once per lead: its namespace, its key in the token values, the lead field it reads. */
interface PlannedToken {
  readonly token: Token;
  /** the token as written in its text */
  readonly written: string;
  readonly ns: NamespaceInfo | undefined;
  /** normalizeTokenKey of the token: where test.tokens may hold its value */
  readonly key: string;
  /** the display name of the lead field it reads, for a lead namespace */
  readonly leadField: string;
  /** what JSON encoding makes of it */
  readonly type: JsonTokenType;
}

function planToken(token: Token, written: string, types: TokenTypeContext): PlannedToken {
  const ns = namespaceOf(token.namespace);
  return {
    token,
    written,
    ns,
    key: ns ? normalizeTokenKey(`${ns.id}.${token.name}`) : '',
    leadField: ns ? leadFieldName(ns, token.name) ?? token.name : token.name,
    type: jsonTokenType(token, types),
  };
}

/**
 * The value Marketo would put in place of a token, before encoding; undefined for a token it does
 * not recognise (an unknown namespace), which is sent as written. What it notes goes to `notes`.
 */
function resolvePlanned(planned: PlannedToken, ctx: TokenContext, notes: string[]): string | undefined {
  const { ns, token } = planned;
  if (!ns) return undefined;
  let value = ctx.values.get(planned.key);
  // Without a value in test.tokens, from where the namespace's values come (namespaces.ts).
  const source = ns.value;
  switch (source.from) {
    case 'lead':
      value ??= leadValueText(leadValue(ctx.lead, planned.leadField, ctx.catalog));
      if (value !== undefined && /[\r\n]/.test(value)) {
        value = value.replace(LINE_BREAK, ' ');
        ctx.assumptions?.add('line-breaks');
        notes.push(`the value of {{${token.namespace}.${token.name}}} holds line breaks; Marketo sends each as one space (docs/marketo-behaviour.md#line-breaks).`);
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

/** One text of the definition (the URL, the template, a header value), ready to render for any lead. */
interface PlannedText {
  readonly compiled: CompiledText;
  readonly tokens: readonly PlannedToken[];
}

/** What building a definition's request needs that no lead changes: worked out once per definition and catalog. */
interface RequestPlan {
  readonly catalog: FieldCatalog;
  readonly url: PlannedText;
  readonly headers: readonly (readonly [string, PlannedText])[];
  /** the template, when the method sends a body */
  readonly body: PlannedText | undefined;
  /** the body is JSON, so each built body is checked for a syntax error */
  readonly jsonBody: boolean;
  /**
   * The body is valid JSON whatever the values, as long as each number-type token's value is a
   * JSON number: the template reads as JSON with every string-type token a JSON string and every
   * number-type token a number, never a key (isJsonWithTokens), and JSON encoding quotes every
   * string-type token. The built body is then not parsed again.
   */
  readonly jsonWhateverStrings: boolean;
}

/** By definition object: a run keeps the definition of its text (run.ts), so lead after lead finds its plan here. */
const plans = new WeakMap<WebhookDefinition, RequestPlan>();

function planOf(definition: WebhookDefinition, catalog: FieldCatalog): RequestPlan {
  const known = plans.get(definition);
  if (known?.catalog === catalog) return known;
  const types: TokenTypeContext = { catalog, numberTokens: numberTokenKeys(definition.test.tokens) };
  const planText = (text: string, escapes: boolean): PlannedText => {
    const { tokens } = scanTokens(text);
    return { compiled: compileText(text, escapes, tokens), tokens: tokens.map((t) => planToken(t, text.slice(t.start, t.end), types)) };
  };
  const sendsBody = METHODS_WITH_BODY.includes(definition.requestType) && definition.template !== undefined;
  const template = definition.template ?? '';
  const jsonBody = sendsBody && bodyKind(template, headerValue(definition.headers, 'content-type')) === 'json';
  const body = sendsBody ? planText(template, true) : undefined;
  // The body's number-type tokens, by the types just planned for them.
  const bare = new Set(body?.tokens.filter((p) => p.type === 'number').map((p) => p.token));
  const plan: RequestPlan = {
    catalog,
    url: planText(definition.url, false),
    headers: Object.entries(definition.headers).map(([name, value]) => [name, planText(value, false)] as const),
    body,
    jsonBody,
    jsonWhateverStrings: body !== undefined && jsonBody && definition.requestTokenEncoding === 'JSON'
      && isJsonWithTokens(template, body.compiled.tokens, (t) => bare.has(t)),
  };
  plans.set(definition, plan);
  return plan;
}

/** A JSON number as JSON.parse reads one (no leading zeros, no `+`, digits on both sides of the point). */
const JSON_NUMBER = /^-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?$/;

export function buildRequest(definition: WebhookDefinition, ctx: TokenContext): RunRequest {
  const plan = planOf(definition, ctx.catalog);
  const encoding = definition.requestTokenEncoding;
  const notes: string[] = [];
  /** number-type tokens the template leaves empty: the likely reason a JSON body breaks */
  let empty: Set<string> | undefined;
  /** a number-type token's value in the body is no JSON number: the body must be checked */
  let numberNotJson = false;
  const render = (text: PlannedText, place: TokenPlace): string =>
    renderCompiled(text.compiled, (_token, index) => {
      const planned = text.tokens[index] as PlannedToken;
      const value = resolvePlanned(planned, ctx, notes);
      if (value === undefined) return planned.written;
      const encoded = encodeTokenValue(value, encoding, place, planned.type);
      if (place === 'template') {
        if (encoded === '') {
          if (planned.type === 'number' && encoding === 'JSON') ctx.assumptions?.add('empty-values');
          (empty ??= new Set()).add(planned.written);
        }
        if (planned.type === 'number' && !JSON_NUMBER.test(encoded)) numberNotJson = true;
      }
      return encoded;
    });
  const headers: Record<string, string> = {};
  for (const [name, value] of plan.headers) headers[name] = render(value, 'header');
  const url = render(plan.url, 'url');
  const body = plan.body ? render(plan.body, 'template') : null;
  if (body !== null && plan.jsonBody && (numberNotJson || !plan.jsonWhateverStrings)) {
    const error = firstJsonError(body);
    if (error) {
      const cause = empty ? ` Empty for this lead: ${[...empty].join(', ')}; a number-type token that is empty is sent as nothing (\`"score": ,\`), so give it a default such as \`:default=0\`.` : '';
      notes.push(`for this lead the body is not valid JSON (${error}); it is sent as Marketo would build it.${cause} (docs/marketo-behaviour.md#empty-values)`);
    }
  }
  // A token that appears many times is noted once.
  if (notes.length > 0) ctx.notes?.push(...new Set(notes));
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
