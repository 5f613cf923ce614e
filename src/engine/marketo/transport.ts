// One HTTP exchange with Marketo over undici, loaded on first use (dist/vendor/undici.js) so that
// neither the editor's activation nor `validate` reads the HTTP client.
import type { Dispatcher } from 'undici';
import { loadUndici } from '../http/send';
import { MARKETO_MAX_ANSWER_BYTES } from '../limits';
import { MarketoCancelledError, MarketoNetworkError } from './errors';

export interface HttpExchange {
  method: 'GET' | 'POST';
  url: string;
  headers: Record<string, string>;
  body?: string;
  signal?: AbortSignal;
  /** the whole exchange, connect to last byte */
  timeoutMs: number;
}

export interface HttpAnswer {
  status: number;
  body: string;
}

/** Sends one request and reads its whole answer; the client is written against this, tests may stub it. */
export type Transport = (exchange: HttpExchange) => Promise<HttpAnswer>;

const MAX_ANSWER_BYTES = MARKETO_MAX_ANSWER_BYTES;

export const undiciTransport: Transport = async (exchange) => {
  if (exchange.signal?.aborted) throw new MarketoCancelledError();
  const undici = await loadUndici();
  const timeout = AbortSignal.timeout(exchange.timeoutMs);
  const signal = exchange.signal ? AbortSignal.any([exchange.signal, timeout]) : timeout;
  let response: Dispatcher.ResponseData;
  try {
    response = await undici.request(exchange.url, {
      method: exchange.method,
      headers: exchange.headers,
      body: exchange.body ?? null,
      signal,
    });
  } catch (error) {
    throw failure(error, exchange);
  }
  try {
    const chunks: Buffer[] = [];
    let bytes = 0;
    for await (const chunk of response.body as AsyncIterable<Buffer>) {
      bytes += chunk.length;
      if (bytes > MAX_ANSWER_BYTES) {
        response.body.destroy();
        throw new MarketoNetworkError(`Marketo's answer is larger than ${MAX_ANSWER_BYTES / 1024 / 1024} MB; it was not read.`);
      }
      chunks.push(chunk);
    }
    return { status: response.statusCode, body: Buffer.concat(chunks).toString('utf8') };
  } catch (error) {
    if (error instanceof MarketoNetworkError) throw error;
    throw failure(error, exchange);
  }
};

/** An undici failure as the client's error: cancelled by the caller, or a call without an answer. */
function failure(error: unknown, exchange: HttpExchange): Error {
  if (exchange.signal?.aborted) return new MarketoCancelledError();
  const cause = error instanceof Error ? (error.cause instanceof Error ? error.cause : error) : undefined;
  if (cause?.name === 'TimeoutError' || (error instanceof Error && error.name === 'TimeoutError')) {
    return new MarketoNetworkError(`Marketo did not answer within ${exchange.timeoutMs / 1000} s.`);
  }
  const code = codeOf(cause) ?? codeOf(error);
  const reason = oneLine(cause?.message ?? String(error));
  // Only the host: the URL's query can hold the client secret (the identity call).
  const host = hostOf(exchange.url);
  if (code === 'ECONNREFUSED') return new MarketoNetworkError(`Marketo (${host}) refused the connection (ECONNREFUSED): nothing is listening there; check the Marketo base URL.`);
  if (code !== undefined && CLOSED_CODES.has(code)) return new MarketoNetworkError(`Marketo (${host}) closed the connection before its answer was complete (${code}: ${reason}); try again.`);
  if (code !== undefined && DNS_CODES.has(code)) return new MarketoNetworkError(`The host name of the Marketo base URL (${host}) could not be resolved (${code}); check the base URL.`);
  return new MarketoNetworkError(`The call to Marketo (${host}) failed: ${reason}${code && !reason.includes(code) ? ` (${code})` : ''}.`);
}

/** The connection closed before the answer was complete. */
const CLOSED_CODES = new Set(['ECONNRESET', 'EPIPE', 'ECONNABORTED', 'UND_ERR_SOCKET', 'UND_ERR_CLOSED', 'UND_ERR_RES_CONTENT_LENGTH_MISMATCH']);
const DNS_CODES = new Set(['ENOTFOUND', 'EAI_AGAIN', 'EAI_FAIL', 'EAI_NONAME', 'EAI_NODATA']);

function codeOf(error: unknown): string | undefined {
  const code = typeof error === 'object' && error !== null && 'code' in error ? error.code : undefined;
  return typeof code === 'string' && code !== '' ? code : undefined;
}

function hostOf(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    return 'the base URL';
  }
}

function oneLine(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}
