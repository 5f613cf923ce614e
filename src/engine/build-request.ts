// Builds the request exactly as Marketo would: tokens resolved against the sample lead and the
// test token values, each encoded by the Request Token Encoding for its place, the template's
// escapes read, and the body sent only for methods that carry one.
import { METHODS_WITH_BODY } from './definition-keys';
import type { FieldCatalog } from './field-catalog';
import { leadValue, leadValueText, type SampleLead } from './sample-lead';
import { renderText } from './template-render';
import { encodeTokenValue, type TokenPlace } from './token-encoding';
import { companyTokenField, namespaceOf, normalizeTokenKey, systemTokenValue, type Token } from './tokens';
import type { RunRequest, WebhookDefinition } from './types';

export interface TokenContext {
  catalog: FieldCatalog;
  lead: SampleLead;
  /** token values by normalized key (see normalizeTokenKey), secrets already resolved */
  values: ReadonlyMap<string, string>;
  now: Date;
}

/** The value Marketo would put in place of a token, before encoding. */
export function resolveToken(token: Token, ctx: TokenContext): string {
  const ns = namespaceOf(token.namespace)?.id;
  const given = ctx.values.get(normalizeTokenKey(`${ns ?? token.namespace}.${token.name}`));
  let value = given;
  if (value === undefined && ns === 'lead') value = leadValueText(leadValue(ctx.lead, token.name, ctx.catalog));
  if (value === undefined && ns === 'Company') value = leadValueText(leadValue(ctx.lead, companyTokenField(token.name) ?? token.name, ctx.catalog));
  if (value === undefined && ns === 'system') value = systemTokenValue(token.name, ctx.now);
  // An empty value falls back to the token's default; without one it is sent empty.
  if ((value === undefined || value === '') && token.defaultValue !== undefined) return token.defaultValue;
  return value ?? '';
}

export function buildRequest(definition: WebhookDefinition, ctx: TokenContext): RunRequest {
  const render = (text: string, place: TokenPlace) =>
    renderText(text, {
      escapes: place === 'template',
      valueOf: (token) => encodeTokenValue(resolveToken(token, ctx), definition.requestTokenEncoding, place),
    });
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(definition.headers)) headers[name] = render(value, 'header');
  const sendsBody = METHODS_WITH_BODY.includes(definition.requestType) && definition.template !== undefined;
  return {
    method: definition.requestType,
    url: render(definition.url, 'url'),
    headers,
    body: sendsBody ? render(definition.template ?? '', 'template') : null,
    sent: false,
  };
}
