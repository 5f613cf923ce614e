// A fake Marketo instance on 127.0.0.1 that answers as Adobe's documentation shows: the identity
// endpoint (good and bad client credentials), Describe Lead, Get Leads by filter and by id (also
// as `POST ...?_method=GET`), Get Tokens by Folder, and the errors 601, 602, 606, 607, 615, 1003
// on demand. It records every request so tests can check how the client called it.
// No node:test here: the extension-host tests start it too.
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export const FAKE_CLIENT_ID = 'fake-client-id-0001';
export const FAKE_CLIENT_SECRET = 'fake-client-secret-Zq8xW3';

export interface FakeField {
  id: number;
  displayName: string;
  dataType: string;
  length?: number;
  rest: { name: string; readOnly: boolean };
  soap: { name: string; readOnly: boolean };
}

export interface FakeToken {
  name: string;
  type: string;
  value: string;
}

export interface RecordedRequest {
  method: string;
  /** the path without the query */
  path: string;
  /** the query as sent (raw, after `?`), '' when none */
  rawQuery: string;
  query: Record<string, string>;
  /** the form body's fields of a POST, else {} */
  form: Record<string, string>;
  headers: IncomingHttpHeaders;
  /** the whole request line's target, for size and secrecy checks */
  url: string;
  body: string;
}

export interface FakeMarketoOptions {
  clientId?: string;
  clientSecret?: string;
  /** `expires_in` of issued tokens, seconds; default 3599 as in Adobe's example */
  expiresIn?: number;
  /** how long each REST answer (not identity) waits, to see calls overlap */
  delayMs?: number;
  fields?: FakeField[];
  leads?: Record<string, unknown>[];
  /** program id → its My Tokens */
  programs?: Record<number, FakeToken[]>;
}

function field(id: number, displayName: string, rest: string, soap: string, dataType = 'string', length?: number): FakeField {
  return { id, displayName, dataType, ...(length === undefined ? {} : { length }), rest: { name: rest, readOnly: false }, soap: { name: soap, readOnly: false } };
}

export const FAKE_FIELDS: FakeField[] = [
  field(1, 'Id', 'id', 'Id', 'integer'),
  field(2, 'Email Address', 'email', 'Email', 'email', 255),
  field(3, 'First Name', 'firstName', 'FirstName', 'string', 255),
  field(4, 'Last Name', 'lastName', 'LastName', 'string', 255),
  field(5, 'Company Name', 'company', 'Company', 'string', 255),
  field(6, 'Job Title', 'title', 'Title', 'string', 255),
  field(1001, 'Favorite Color', 'favoriteColor', 'favoriteColor', 'string', 255),
  field(1002, 'Loyalty Points', 'loyaltyPoints', 'loyaltyPoints', 'integer'),
];

export const FAKE_LEADS: Record<string, unknown>[] = [
  { id: 318581, email: 'jane.doe@example.com', firstName: 'Jane', lastName: 'Doe', company: 'Acme', title: 'CMO', favoriteColor: 'teal', loyaltyPoints: 42 },
  { id: 318592, email: 'sam@example.org', firstName: 'Sam', lastName: 'Lee', company: 'Globex', title: null, favoriteColor: null, loyaltyPoints: 7 },
];

export const FAKE_PROGRAMS: Record<number, FakeToken[]> = {
  1089: [
    { name: 'Event Date', type: 'date', value: '2026-03-14' },
    { name: 'Webinar Title', type: 'text', value: 'Webhooks & You' },
    { name: 'Score Bump', type: 'score', value: '+10' },
  ],
};

/** `n` made-up custom fields with long names: a describe whose field list passes 8 KB in a URL. */
export function manyFields(n: number): FakeField[] {
  return Array.from({ length: n }, (_, i) => field(5000 + i, `Custom Field Number ${i}`, `customFieldWithAVeryLongApiName${i}`, `customFieldWithAVeryLongApiName${i}`));
}

export interface FakeMarketo {
  readonly baseUrl: string;
  readonly requests: RecordedRequest[];
  /** REST requests (not identity) under way at most at once so far */
  readonly maxConcurrent: number;
  /** the tokens issued so far, in order */
  readonly tokensIssued: readonly string[];
  /** The next `times` REST calls (whose path starts with `pathPrefix`) answer Marketo error `code` (601, 602, 606, 607, 615, 1003, ...), with `message` or Marketo's. */
  failNext(code: string, times?: number, pathPrefix?: string, message?: string): void;
  /** requests to the REST API, not to identity */
  restRequests(): RecordedRequest[];
  identityRequests(): RecordedRequest[];
  /** Forgets requests, tokens and pending failures: a fresh instance for the next test. */
  reset(): void;
  close(): Promise<void>;
}

const MESSAGES: Record<string, string> = {
  '601': 'Access token invalid',
  '602': 'Access token expired',
  '606': 'Max rate limit \'100\' exceeded with in \'20\' secs',
  '607': 'Daily quota reached',
  '615': 'Concurrent access limit reached',
  '1003': 'Invalid data',
  '702': 'No data found for given search scope',
};

let requestIds = 0;

/** Marketo's answer to a REST call: always HTTP 200, success or `errors[]`. */
function marketoBody(result: unknown[] | { code: string; message?: string }): string {
  const requestId = `${(++requestIds).toString(16)}#fake`;
  if (Array.isArray(result)) return JSON.stringify({ requestId, result, success: true });
  return JSON.stringify({ requestId, success: false, errors: [{ code: result.code, message: result.message ?? MESSAGES[result.code] ?? 'Error' }] });
}

export async function startFakeMarketo(options: FakeMarketoOptions = {}): Promise<FakeMarketo> {
  const clientId = options.clientId ?? FAKE_CLIENT_ID;
  const clientSecret = options.clientSecret ?? FAKE_CLIENT_SECRET;
  const fields = options.fields ?? FAKE_FIELDS;
  const leads = options.leads ?? FAKE_LEADS;
  const programs = options.programs ?? FAKE_PROGRAMS;
  const requests: RecordedRequest[] = [];
  const tokensIssued: string[] = [];
  const validTokens = new Set<string>();
  const failures: { code: string; times: number; pathPrefix: string; message?: string }[] = [];
  let active = 0;
  let maxConcurrent = 0;

  const server: Server = createServer((req, res) => {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (chunk: string) => (body += chunk));
    req.on('end', () => {
      const target = req.url ?? '/';
      const q = target.indexOf('?');
      const path = q === -1 ? target : target.slice(0, q);
      const rawQuery = q === -1 ? '' : target.slice(q + 1);
      const query = Object.fromEntries(new URLSearchParams(rawQuery));
      const isForm = (req.headers['content-type'] ?? '').startsWith('application/x-www-form-urlencoded');
      const form = req.method === 'POST' && isForm ? Object.fromEntries(new URLSearchParams(body)) : {};
      requests.push({ method: req.method ?? '', path, rawQuery, query, form, headers: req.headers, url: target, body });
      const json = (status: number, text: string): void => {
        res.writeHead(status, { 'Content-Type': 'application/json;charset=UTF-8' }).end(text);
      };

      if (path === '/identity/oauth/token') {
        // Adobe: GET or POST, the three as query parameters.
        if (query.grant_type !== 'client_credentials' || query.client_id !== clientId || query.client_secret !== clientSecret) {
          return json(401, JSON.stringify({ error: 'invalid_client', error_description: 'Bad client credentials' }));
        }
        const token = `${crypto.randomUUID()}:ab`;
        tokensIssued.push(token);
        validTokens.add(token);
        return json(200, JSON.stringify({ access_token: token, token_type: 'bearer', expires_in: options.expiresIn ?? 3599, scope: 'apiuser@example.com' }));
      }

      active++;
      maxConcurrent = Math.max(maxConcurrent, active);
      const answer = (text: string, status = 200): void => {
        setTimeout(() => {
          active--;
          json(status, text);
        }, options.delayMs ?? 0);
      };
      // Marketo refuses a GET whose URI passes 8 KB.
      if (req.method === 'GET' && Buffer.byteLength(target) > 8 * 1024) return answer('', 414);

      const auth = req.headers.authorization ?? '';
      const bearer = /^Bearer (.+)$/.exec(auth)?.[1];
      if (bearer === undefined || !validTokens.has(bearer)) return answer(marketoBody({ code: '601' }));

      const failure = failures.find((f) => path.startsWith(f.pathPrefix));
      if (failure) {
        if (--failure.times <= 0) failures.splice(failures.indexOf(failure), 1);
        // A token Marketo calls invalid or expired stays so.
        if (failure.code === '601' || failure.code === '602') validTokens.delete(bearer);
        return answer(marketoBody({ code: failure.code, ...(failure.message === undefined ? {} : { message: failure.message }) }));
      }

      const params = req.method === 'POST' && query._method === 'GET' ? form : query;
      if (req.method === 'GET' || (req.method === 'POST' && query._method === 'GET')) {
        if (path === '/rest/v1/leads/describe.json') return answer(marketoBody(fields));
        const byId = /^\/rest\/v1\/lead\/(\d+)\.json$/.exec(path);
        if (byId) return answer(marketoBody(selectLeads(leads, 'id', byId[1] as string, params.fields)));
        if (path === '/rest/v1/leads.json') {
          if (params.filterType !== 'email' && params.filterType !== 'id') return answer(marketoBody({ code: '1003', message: `Invalid filterType '${params.filterType ?? ''}'` }));
          if (params.filterValues === undefined) return answer(marketoBody({ code: '1003', message: 'filterValues is required' }));
          return answer(marketoBody(selectLeads(leads, params.filterType, params.filterValues, params.fields)));
        }
        const folder = /^\/rest\/asset\/v1\/folder\/(\d+)\/tokens\.json$/.exec(path);
        if (folder) {
          if (params.folderType !== 'Program' && params.folderType !== 'Folder') return answer(marketoBody({ code: '1003', message: 'Invalid folderType' }));
          const id = Number(folder[1]);
          const tokens = programs[id];
          if (!tokens) return answer(marketoBody({ code: '702' }));
          return answer(marketoBody([{ folder: { type: 'Program', value: id }, tokens: tokens.map((t) => ({ ...t, computedUrl: `https://app-ab00.marketo.com/#ME${id}` })) }]));
        }
      }
      return answer(JSON.stringify({ error: 'Not Found' }), 404);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;

  return {
    baseUrl: `http://127.0.0.1:${port}`,
    requests,
    get maxConcurrent() {
      return maxConcurrent;
    },
    tokensIssued,
    failNext(code, times = 1, pathPrefix = '/rest/', message) {
      failures.push({ code, times, pathPrefix, ...(message === undefined ? {} : { message }) });
    },
    restRequests: () => requests.filter((r) => r.path.startsWith('/rest/')),
    identityRequests: () => requests.filter((r) => r.path === '/identity/oauth/token'),
    reset() {
      requests.length = 0;
      tokensIssued.length = 0;
      validTokens.clear();
      failures.length = 0;
      maxConcurrent = 0;
    },
    close: () => new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    }),
  };
}

/** Get Leads: the leads whose `filterType` is one of the comma-separated values, with the fields asked for (and id). */
function selectLeads(leads: Record<string, unknown>[], filterType: string, values: string, fieldList: string | undefined): Record<string, unknown>[] {
  const wanted = new Set(values.split(',').map((v) => v.trim().toLowerCase()));
  const names = fieldList === undefined ? ['id', 'email', 'firstName', 'lastName', 'updatedAt', 'createdAt'] : ['id', ...fieldList.split(',')];
  return leads
    .filter((lead) => wanted.has(String(lead[filterType]).toLowerCase()))
    .map((lead) => Object.fromEntries(names.filter((n) => n in lead).map((n) => [n, lead[n]])));
}
