// A small client for Marketo's REST API, by Adobe's rules (docs/marketo-rest.md): a
// client-credentials access token from `<base>/identity/oauth/token`, sent only as
// `Authorization: Bearer`, kept until it expires and fetched again once on 601/602; 606 and 615
// retried after a wait; Marketo's HTTP-200 `success: false` turned into a MarketoApiError; its own
// calls kept within Marketo's limits. Every message and log line has the client secret and the
// access token masked.
import { MARKETO_CALL_TIMEOUT_MS, MARKETO_MAX_GET_URL_BYTES, MARKETO_RETRY_DELAYS_MS, MARKETO_TOKEN_MARGIN_S } from '../limits';
import { maskText, secretForms } from '../secrets/mask';
import { marketoBaseUrl } from './base-url';
import { MARKETO_CODES, MarketoApiError, MarketoConfigError } from './errors';
import { CallLimiter, SYSTEM_CLOCK, type Clock } from './limiter';
import { undiciTransport, type HttpAnswer, type Transport } from './transport';

export interface MarketoCredentials {
  /** the REST base, `https://123-ABC-456.mktorest.com` */
  baseUrl: string;
  clientId: string;
  clientSecret: string;
}

export interface MarketoClientOptions extends MarketoCredentials {
  /** where each call is logged, one line each, secrets masked */
  log?: (line: string) => void;
  clock?: Clock;
  /** shared by every client of one instance, so they keep Marketo's limits together */
  limiter?: CallLimiter;
  transport?: Transport;
  /** one call, connect to last byte; default CALL_TIMEOUT_MS */
  timeoutMs?: number;
  /** the waits before each new try after 606 or 615; their number bounds the tries */
  retryDelaysMs?: readonly number[];
}

/** One call of the REST API: a path below the base, its query, and for a POST its form body. */
export interface MarketoRequest {
  method: 'GET' | 'POST';
  path: string;
  query?: Record<string, string>;
  form?: Record<string, string>;
}

/** Marketo's answer to a call that succeeded: `{ requestId, success: true, result: [...] }`. */
export interface MarketoResponse {
  requestId?: string;
  success: true;
  result?: unknown[];
  [key: string]: unknown;
}

// Under the names this module's callers and tests use; the values live in ../limits.ts.
export const CALL_TIMEOUT_MS = MARKETO_CALL_TIMEOUT_MS;
export const RETRY_DELAYS_MS = MARKETO_RETRY_DELAYS_MS;
export const TOKEN_MARGIN_S = MARKETO_TOKEN_MARGIN_S;
export const MAX_GET_URL_BYTES = MARKETO_MAX_GET_URL_BYTES;

interface CachedToken {
  value: string;
  /** clock time after which it is not used */
  expiresAt: number;
}

export class MarketoClient {
  readonly baseUrl: string;
  private readonly clientId: string;
  private readonly clientSecret: string;
  private readonly log: (line: string) => void;
  private readonly clock: Clock;
  private readonly limiter: CallLimiter;
  private readonly transport: Transport;
  private readonly timeoutMs: number;
  private readonly retryDelaysMs: readonly number[];
  private token: CachedToken | undefined;
  private pendingToken: Promise<string> | undefined;
  /** every access token received, so messages mask an old one too */
  private readonly tokensSeen = new Set<string>();

  constructor(options: MarketoClientOptions) {
    this.baseUrl = marketoBaseUrl(options.baseUrl);
    if (options.clientId.trim() === '') throw new MarketoConfigError('The Marketo client id is empty.');
    if (options.clientSecret.trim() === '') throw new MarketoConfigError('The Marketo client secret is empty.');
    this.clientId = options.clientId.trim();
    this.clientSecret = options.clientSecret.trim();
    this.log = options.log ?? (() => undefined);
    this.clock = options.clock ?? SYSTEM_CLOCK;
    this.limiter = options.limiter ?? new CallLimiter({ clock: this.clock });
    this.transport = options.transport ?? undiciTransport;
    this.timeoutMs = options.timeoutMs ?? CALL_TIMEOUT_MS;
    this.retryDelaysMs = options.retryDelaysMs ?? RETRY_DELAYS_MS;
  }

  /** `text` with the client secret and every access token masked. */
  mask(text: string): string {
    return maskText(text, [this.clientSecret, ...this.tokensSeen].flatMap(secretForms));
  }

  /** The URL of a call, for its size and the log. */
  url(path: string, query: Record<string, string> = {}): string {
    const search = new URLSearchParams(query).toString();
    return `${this.baseUrl}${path}${search === '' ? '' : `?${search}`}`;
  }

  /**
   * Makes one REST call and returns Marketo's answer when it reports `success: true`. A new token
   * is fetched once on 601/602; 606/615 are tried again after RETRY_DELAYS_MS; any other Marketo
   * error, or a 607, rejects with a MarketoApiError.
   */
  async call(request: MarketoRequest, signal?: AbortSignal): Promise<MarketoResponse> {
    let newToken = false;
    let retries = 0;
    for (;;) {
      const token = await this.accessToken(signal);
      const answer = await this.limiter.run(() => this.exchange(request, token, signal), signal);
      const body = this.marketoJson(answer, request);
      if (body.success === true) return body as MarketoResponse;
      const { code, message } = firstError(body);
      if ((code === MARKETO_CODES.tokenInvalid || code === MARKETO_CODES.tokenExpired) && !newToken) {
        newToken = true;
        if (this.token?.value === token) this.token = undefined;
        continue;
      }
      const delay = this.retryDelaysMs[retries];
      if ((code === MARKETO_CODES.rateLimit || code === MARKETO_CODES.concurrency) && delay !== undefined) {
        retries++;
        this.log(`Marketo error ${code}; trying again in ${delay / 1000} s (${retries} of ${this.retryDelaysMs.length})`);
        await this.clock.sleep(delay, signal);
        continue;
      }
      throw new MarketoApiError(code, this.mask(`Marketo error ${code}: ${message}${advice(code)}`));
    }
  }

  /** The cached access token, or a new one from the identity endpoint (one fetch for all waiting calls). */
  private async accessToken(signal?: AbortSignal): Promise<string> {
    if (this.token && this.clock.now() < this.token.expiresAt) return this.token.value;
    this.pendingToken ??= this.fetchToken(signal).finally(() => {
      this.pendingToken = undefined;
    });
    return this.pendingToken;
  }

  private async fetchToken(signal?: AbortSignal): Promise<string> {
    // Adobe documents the three as query parameters of a GET or POST (no form body); POST keeps
    // the call out of caches. Identity calls do not count against the API limits.
    const url = this.url('/identity/oauth/token', { grant_type: 'client_credentials', client_id: this.clientId, client_secret: this.clientSecret });
    const answer = await this.send({ method: 'POST', url, headers: { Accept: 'application/json' }, ...(signal ? { signal } : {}) });
    let body: Record<string, unknown> | undefined;
    try {
      const parsed: unknown = JSON.parse(answer.body);
      if (parsed !== null && typeof parsed === 'object' && !Array.isArray(parsed)) body = parsed as Record<string, unknown>;
    } catch {
      body = undefined;
    }
    const value = body?.access_token;
    if (answer.status === 200 && typeof value === 'string' && value !== '') {
      this.tokensSeen.add(value);
      const expiresIn = typeof body?.expires_in === 'number' ? body.expires_in : 0;
      this.token = { value, expiresAt: this.clock.now() + Math.max(0, expiresIn - TOKEN_MARGIN_S) * 1000 };
      return value;
    }
    if (body && typeof body.error === 'string') {
      const description = typeof body.error_description === 'string' ? body.error_description : body.error;
      throw new MarketoApiError(body.error, this.mask(`Marketo refused the client credentials (${body.error}: ${description}); check the client id and secret of the custom service in Admin > Integration > LaunchPoint.`));
    }
    throw new MarketoApiError(answer.status === 200 ? 'not-json' : `http-${answer.status}`,
      `The identity endpoint ${this.baseUrl}/identity/oauth/token answered HTTP ${answer.status} without an access token; is ${this.baseUrl} the REST base of a Marketo instance?`);
  }

  private exchange(request: MarketoRequest, token: string, signal?: AbortSignal): Promise<HttpAnswer> {
    const headers: Record<string, string> = { Accept: 'application/json', Authorization: `Bearer ${token}` };
    let body: string | undefined;
    if (request.form) {
      headers['Content-Type'] = 'application/x-www-form-urlencoded';
      body = new URLSearchParams(request.form).toString();
    }
    return this.send({ method: request.method, url: this.url(request.path, request.query), headers, ...(body !== undefined ? { body } : {}), ...(signal ? { signal } : {}) });
  }

  private async send(exchange: { method: 'GET' | 'POST'; url: string; headers: Record<string, string>; body?: string; signal?: AbortSignal }): Promise<HttpAnswer> {
    const started = this.clock.now();
    const shown = shortUrl(this.mask(exchange.url));
    try {
      const answer = await this.transport({ ...exchange, timeoutMs: this.timeoutMs });
      this.log(`${exchange.method} ${shown} → HTTP ${answer.status}${marketoCodeOf(answer)} (${this.clock.now() - started} ms)`);
      return answer;
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      this.log(`${exchange.method} ${shown} → ${this.mask(message)}`);
      if (error instanceof Error) error.message = this.mask(error.message);
      throw error;
    }
  }

  /** Marketo's JSON answer, or a MarketoApiError for an HTTP error or an answer that is not Marketo's. */
  private marketoJson(answer: HttpAnswer, request: MarketoRequest): Record<string, unknown> {
    const what = `${request.method} ${request.path}`;
    if (answer.status !== 200) {
      const hint = answer.status === 414 ? ' (the URL is over 8 KB)' : answer.status === 413 ? ' (the request is over 1 MB)' : '';
      throw new MarketoApiError(`http-${answer.status}`, this.mask(`Marketo answered HTTP ${answer.status} to ${what}${hint}.`));
    }
    try {
      const parsed: unknown = JSON.parse(answer.body);
      if (parsed !== null && typeof parsed === 'object' && !Array.isArray(parsed)) return parsed as Record<string, unknown>;
    } catch {
      // reported below
    }
    throw new MarketoApiError('not-json', this.mask(`Marketo's answer to ${what} is not a JSON object; is ${this.baseUrl} the REST base of a Marketo instance?`));
  }
}

/** The first of Marketo's `errors[]`, as code and message. */
function firstError(body: Record<string, unknown>): { code: string; message: string } {
  const first: unknown = Array.isArray(body.errors) ? body.errors[0] : undefined;
  if (first !== null && typeof first === 'object') {
    const { code, message } = first as { code?: unknown; message?: unknown };
    return { code: typeof code === 'string' || typeof code === 'number' ? String(code) : 'unknown', message: typeof message === 'string' ? message : 'no message' };
  }
  return { code: 'unknown', message: 'the answer reports success: false without an error' };
}

/** What to do about a code that no retry helps. */
function advice(code: string): string {
  if (code === MARKETO_CODES.dailyQuota) return " (the instance's daily API quota is used up; it resets at midnight, US Central time)";
  if (code === MARKETO_CODES.rateLimit || code === MARKETO_CODES.concurrency) return ' (still after several tries; other integrations are using the instance\'s API limits)';
  if (code === MARKETO_CODES.tokenInvalid || code === MARKETO_CODES.tokenExpired) return ' (also with a new access token)';
  return '';
}

/** ` Marketo error 606` for the log, when the answer is one. */
function marketoCodeOf(answer: HttpAnswer): string {
  if (answer.status !== 200 || !/"success"\s*:\s*false/.test(answer.body)) return '';
  const match = /"code"\s*:\s*"?(\w+)/.exec(answer.body);
  return match ? `, Marketo error ${match[1]}` : ', success: false';
}

/** A long URL (every field of a describe) shortened for the log. */
function shortUrl(url: string): string {
  return url.length <= 200 ? url : `${url.slice(0, 197)}...`;
}
