// The three things a run needs from a Marketo instance (contracts §5): its lead fields (Describe
// Lead), one real lead with every field (Get Leads), and a program's My Tokens (Get Tokens by Folder).
import { MAX_GET_URL_BYTES, type MarketoClient, type MarketoResponse } from './client';
import { MarketoApiError } from './errors';

/** The Describe Lead response, as Marketo returns it: what `--fields` and marketo-fields.json hold. */
export function describeLeads(client: MarketoClient, signal?: AbortSignal): Promise<MarketoResponse> {
  return client.call({ method: 'GET', path: '/rest/v1/leads/describe.json' }, signal);
}

/** The REST names of every field of a Describe Lead response. */
export function restFieldNames(describe: MarketoResponse): string[] {
  const names = new Set<string>();
  for (const field of describe.result ?? []) {
    const name = (field as { rest?: { name?: unknown } } | null)?.rest?.name;
    if (typeof name === 'string' && name !== '') names.add(name);
  }
  return [...names];
}

export type LeadKey = { email: string } | { id: number };

/**
 * Get Leads for one email address or lead id, asking for `fields` (all of the describe's, so the
 * lead has every token's value). A GET whose URL would pass 8 KB, which Marketo refuses with 414,
 * goes as `POST /rest/v1/leads.json?_method=GET` with the query as a form body, as Adobe says.
 * The answer is Marketo's, in the Get Leads shape sample lead files take; no lead is an error.
 */
export async function getLead(client: MarketoClient, key: LeadKey, fields: readonly string[], signal?: AbortSignal): Promise<MarketoResponse> {
  const fieldList = fields.join(',');
  const withFields: Record<string, string> = fieldList === '' ? {} : { fields: fieldList };
  const filter = 'email' in key ? { filterType: 'email', filterValues: key.email } : { filterType: 'id', filterValues: String(key.id) };
  // By id, Get Lead by Id; by email, Get Leads by Filter Type.
  const get = 'email' in key
    ? { path: '/rest/v1/leads.json', query: { ...filter, ...withFields } }
    : { path: `/rest/v1/lead/${key.id}.json`, query: withFields };
  const response = Buffer.byteLength(client.url(get.path, get.query)) > MAX_GET_URL_BYTES
    ? await client.call({ method: 'POST', path: '/rest/v1/leads.json', query: { _method: 'GET' }, form: { ...filter, ...withFields } }, signal)
    : await client.call({ method: 'GET', ...get }, signal);
  if (!Array.isArray(response.result) || response.result.length === 0) {
    const which = 'email' in key ? `with the email address ${key.email}` : `with the id ${key.id}`;
    throw new MarketoApiError('not-found', `Marketo has no lead ${which} (or the API user may not see its partition).`);
  }
  return response;
}

/** A program's My Tokens as `{ "my.Token Name": "value" }`: the shape `run --tokens` and `test.tokens` read. */
export async function programTokens(client: MarketoClient, programId: number, signal?: AbortSignal): Promise<Record<string, string>> {
  const response = await client.call({ method: 'GET', path: `/rest/asset/v1/folder/${programId}/tokens.json`, query: { folderType: 'Program' } }, signal);
  const tokens: Record<string, string> = {};
  for (const folder of response.result ?? []) {
    const list = (folder as { tokens?: unknown } | null)?.tokens;
    if (!Array.isArray(list)) continue;
    for (const token of list) {
      const { name, value } = (token ?? {}) as { name?: unknown; value?: unknown };
      if (typeof name !== 'string' || name === '') continue;
      // Marketo names them without the namespace ("Event Date"); a run keys them "my.Event Date".
      const key = /^my\./i.test(name) ? name : `my.${name}`;
      tokens[key] = value === undefined || value === null ? '' : typeof value === 'string' ? value : JSON.stringify(value);
    }
  }
  return tokens;
}
