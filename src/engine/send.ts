// Sends one HTTP request the way Marketo would (design/marketo-facts.md, "Sending"): the URL as
// written, no redirects followed, the whole call abandoned after 30 s, the answer reported as the
// service gave it. Network failures are outcomes, not exceptions, because Marketo reports them too.
// Pure: no 'vscode' here; undici is loaded on first use so importing this module is free.
import { STATUS_CODES } from 'node:http';
import type { Readable, Transform } from 'node:stream';
import { TextDecoder } from 'node:util';
import * as zlib from 'node:zlib';
import { MARKETO_TIMEOUT_MS } from './definition-keys';
import type { NetworkFailure, RequestType, RunResponse } from './types';

/** Bytes of decoded body kept. Marketo documents no limit; this is the project's rule. */
export const RESPONSE_SIZE_LIMIT = 10 * 1024 * 1024;
/** Marketo abandons a webhook call after 30 seconds. */
export const DEFAULT_TIMEOUT_MS = MARKETO_TIMEOUT_MS;

export interface SendRequest {
  method: RequestType;
  url: string;
  headers: Record<string, string>;
  body: string | null;
}

export interface SendOptions {
  /** whole call: connect, headers and body; default DEFAULT_TIMEOUT_MS */
  timeoutMs?: number;
  /** aborting it rejects `send` with SendCancelledError */
  signal?: AbortSignal;
  /** decoded body bytes kept; default RESPONSE_SIZE_LIMIT */
  maxBytes?: number;
}

export type SendOutcome =
  | { kind: 'response'; response: RunResponse }
  | { kind: 'network'; network: NetworkFailure; message: string; durationMs: number };

/** The caller cancelled: not an outcome of the call, so it is thrown rather than returned. */
export class SendCancelledError extends Error {
  constructor(message = 'The request was cancelled.') {
    super(message);
    this.name = 'SendCancelledError';
  }
}

export async function send(request: SendRequest, options: SendOptions = {}): Promise<SendOutcome> {
  const url = parseUrl(request.url);
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const maxBytes = options.maxBytes ?? RESPONSE_SIZE_LIMIT;
  const cancel = options.signal;
  if (cancel?.aborted) throw new SendCancelledError();

  const undici = await import('undici');
  if (cancel?.aborted) throw new SendCancelledError();

  // One agent per call: the connect timeout follows ours (undici's default is 10 s), nothing is
  // reused between runs, and no idle keep-alive socket outlives the call.
  const agent = new undici.Agent({ connect: { timeout: timeoutMs }, headersTimeout: timeoutMs, bodyTimeout: timeoutMs });
  const controller = new AbortController();
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    controller.abort();
  }, timeoutMs);
  const onCancel = (): void => controller.abort();
  cancel?.addEventListener('abort', onCancel, { once: true });
  const started = performance.now();

  try {
    // undici 7's request() follows no redirects (that needs the redirect interceptor, which
    // this agent lacks), so a 3xx comes back as itself, and the `maxRedirections` option is gone.
    const res = await undici.request(request.url, {
      dispatcher: agent,
      method: request.method,
      headers: request.headers,
      ...(request.body !== null ? { body: request.body } : {}),
      signal: controller.signal,
    });
    const headers = flattenHeaders(res.headers);
    const kept = await readBody(res.body, headers['content-encoding'] ?? '', maxBytes);
    const response: RunResponse = {
      status: res.statusCode,
      statusText: res.statusText || STATUS_CODES[res.statusCode] || '',
      headers,
      body: decodeText(kept.data, headers['content-type']),
      bytes: kept.data.length,
      truncated: kept.truncated,
      durationMs: elapsed(started),
    };
    return { kind: 'response', response };
  } catch (error) {
    if (cancel?.aborted) throw new SendCancelledError();
    const durationMs = elapsed(started);
    if (timedOut) return { kind: 'network', network: 'timeout', message: timeoutMessage(url, timeoutMs), durationMs };
    const failure = classify(error, url, timeoutMs);
    if (!failure) throw error;
    return { kind: 'network', ...failure, durationMs };
  } finally {
    clearTimeout(timer);
    cancel?.removeEventListener('abort', onCancel);
    await agent.destroy().catch(() => undefined);
  }
}

/**
 * Validation rejects bad URLs before a run, so reaching this is a programming error: it throws
 * rather than inventing a network failure (a bad URL is not a DNS problem).
 */
function parseUrl(text: string): URL {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new Error(`Invalid URL: ${text}`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new Error(`Invalid URL: ${text} (only http and https)`);
  return url;
}

function elapsed(started: number): number {
  return Math.round((performance.now() - started) * 10) / 10;
}

function flattenHeaders(headers: Record<string, string | string[] | undefined>): Record<string, string> {
  const flat: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value === undefined) continue;
    flat[name.toLowerCase()] = Array.isArray(value) ? value.join(', ') : value;
  }
  return flat;
}

// ---- body ---------------------------------------------------------------------------------------

interface Kept {
  data: Buffer;
  truncated: boolean;
}

/** Keeps the first `max` bytes and notices when more arrive. */
class Limited {
  private readonly chunks: Buffer[] = [];
  private size = 0;
  full = false;

  constructor(private readonly max: number) {}

  /** true once more than `max` bytes were offered */
  add(chunk: Buffer): boolean {
    if (this.full) return true;
    const room = this.max - this.size;
    if (chunk.length > room) {
      this.chunks.push(chunk.subarray(0, room));
      this.size = this.max;
      this.full = true;
      return true;
    }
    this.chunks.push(chunk);
    this.size += chunk.length;
    return false;
  }

  result(): Kept {
    return { data: Buffer.concat(this.chunks, this.size), truncated: this.full };
  }
}

type DecoderFactory = (first: Buffer) => Transform;

function decoderFor(contentEncoding: string): DecoderFactory | null {
  // Sync flush at the end, as browsers do: a body cut short still yields what was decoded.
  const sync = { flush: zlib.constants.Z_SYNC_FLUSH, finishFlush: zlib.constants.Z_SYNC_FLUSH };
  switch (contentEncoding.trim().toLowerCase()) {
    case 'gzip':
    case 'x-gzip':
      return () => zlib.createGunzip(sync);
    case 'deflate':
      // "deflate" should be zlib-wrapped, but raw deflate is common; a zlib header's first byte
      // has compression method 8 in its low nibble.
      return (first) => (((first[0] ?? 0) & 0x0f) === 0x08 ? zlib.createInflate(sync) : zlib.createInflateRaw(sync));
    case 'br':
      return () =>
        zlib.createBrotliDecompress({
          flush: zlib.constants.BROTLI_OPERATION_FLUSH,
          finishFlush: zlib.constants.BROTLI_OPERATION_FLUSH,
        });
    default:
      // identity, or an encoding we cannot decode: the raw bytes are the honest answer
      return null;
  }
}

/**
 * Reads the body, decoding it on the fly, and stops (destroying the stream, so the rest is not
 * downloaded) once more than `maxBytes` decoded bytes arrived. A decoding error falls back to the
 * raw bytes, under the same limit.
 */
function readBody(body: Readable, contentEncoding: string, maxBytes: number): Promise<Kept> {
  const makeDecoder = decoderFor(contentEncoding);
  return new Promise<Kept>((resolve, reject) => {
    const decoded = new Limited(maxBytes);
    const raw = new Limited(maxBytes); // only fed while decoding, for the fallback
    let decoder: Transform | undefined;
    let decodeFailed = false;
    let bodyEnded = false;
    let settled = false;

    const finish = (kept: Kept): void => {
      if (settled) return;
      settled = true;
      body.destroy();
      decoder?.destroy();
      resolve(kept);
    };
    const fail = (error: unknown): void => {
      if (settled) return;
      settled = true;
      decoder?.destroy();
      reject(error instanceof Error ? error : new Error(String(error)));
    };

    const startDecoder = (factory: DecoderFactory, first: Buffer): Transform => {
      const d = factory(first);
      d.on('data', (chunk: Buffer) => {
        if (decoded.add(chunk)) finish(decoded.result());
      });
      d.on('end', () => finish(decoded.result()));
      d.on('error', () => {
        decodeFailed = true;
        body.resume(); // in case it waited for a drain that will not come
        if (raw.full || bodyEnded) finish(raw.result());
      });
      d.on('drain', () => body.resume());
      return d;
    };

    body.on('error', fail);
    body.on('data', (chunk: Buffer) => {
      if (!makeDecoder) {
        if (decoded.add(chunk)) finish(decoded.result());
        return;
      }
      const rawFull = raw.add(chunk);
      if (decodeFailed) {
        if (rawFull) finish(raw.result());
        return;
      }
      decoder ??= startDecoder(makeDecoder, chunk);
      if (!decoder.write(chunk)) body.pause();
    });
    body.on('end', () => {
      bodyEnded = true;
      if (!makeDecoder) finish(decoded.result());
      else if (decodeFailed) finish(raw.result());
      else if (decoder) decoder.end();
      else finish(decoded.result()); // encoded but empty
    });
  });
}

/** By the charset of Content-Type when TextDecoder knows it, else UTF-8. A BOM is kept: it is part of the payload. */
function decodeText(data: Buffer, contentType: string | undefined): string {
  const charset = /;\s*charset\s*=\s*"?([^";\s]+)"?/i.exec(contentType ?? '')?.[1];
  try {
    return new TextDecoder(charset ?? 'utf-8', { ignoreBOM: true }).decode(data);
  } catch {
    // an unknown label throws in the constructor; decode itself does not (not fatal)
    return new TextDecoder('utf-8', { ignoreBOM: true }).decode(data);
  }
}

// ---- network failures ---------------------------------------------------------------------------

const TIMEOUT_CODES = new Set(['UND_ERR_HEADERS_TIMEOUT', 'UND_ERR_BODY_TIMEOUT', 'UND_ERR_CONNECT_TIMEOUT', 'ETIMEDOUT']);
const DNS_CODES = new Set(['ENOTFOUND', 'EAI_AGAIN', 'EAI_FAIL', 'EAI_NONAME', 'EAI_NODATA']);
const UNREACHABLE_CODES = new Set(['EHOSTUNREACH', 'ENETUNREACH', 'EHOSTDOWN', 'ENETDOWN', 'EADDRNOTAVAIL']);
const TLS_CODE = /^(ERR_TLS_|ERR_SSL_|ERR_OSSL_|CERT_)|SELF_SIGNED|^UNABLE_TO_|^EPROTO$|^HOSTNAME_MISMATCH$/;
const RESET_CODES = new Set(['ECONNRESET', 'EPIPE', 'ECONNABORTED', 'UND_ERR_SOCKET', 'UND_ERR_CLOSED', 'UND_ERR_RES_CONTENT_LENGTH_MISMATCH']);
/** undici's own argument errors: a bad header or body, which validation should have caught */
const PROGRAMMING_CODES = new Set(['UND_ERR_INVALID_ARG', 'UND_ERR_NOT_SUPPORTED', 'UND_ERR_REQ_CONTENT_LENGTH_MISMATCH', 'ERR_INVALID_ARG_TYPE', 'ERR_INVALID_URL']);

interface Failure {
  network: NetworkFailure;
  message: string;
}

/** Maps an error to a network failure; null for programming errors, which are rethrown. */
function classify(error: unknown, url: URL, timeoutMs: number): Failure | null {
  const found = collectCodes(error);
  const codes = found.map((f) => f.code);
  const where = url.host;
  const first = (test: (code: string) => boolean): { code: string; message: string } | undefined => found.find((f) => test(f.code));

  if (codes.some((c) => PROGRAMMING_CODES.has(c))) return null;
  if (codes.some((c) => TIMEOUT_CODES.has(c))) return { network: 'timeout', message: timeoutMessage(url, timeoutMs) };
  const dns = first((c) => DNS_CODES.has(c));
  if (dns) return { network: 'dns', message: `The host name ${url.hostname} could not be resolved (${dns.code}).` };
  if (codes.includes('ECONNREFUSED')) return { network: 'refused', message: `${where} refused the connection (ECONNREFUSED): nothing is listening there.` };
  const unreachable = first((c) => UNREACHABLE_CODES.has(c));
  if (unreachable) return { network: 'refused', message: `${where} could not be reached (${unreachable.code}).` };
  const tls = first((c) => TLS_CODE.test(c));
  if (tls) return { network: 'tls', message: `The secure connection to ${where} failed: ${tlsReason(tls.message)} (${tls.code}).` };
  const reset = first((c) => RESET_CODES.has(c) || c.startsWith('HPE_'));
  if (reset) {
    const what = reset.code.startsWith('HPE_') ? 'sent an answer that is not valid HTTP' : 'closed the connection before the response was complete';
    return { network: 'reset', message: `${where} ${what} (${reset.code}: ${oneLine(reset.message)}).` };
  }
  // Any other error that carries a code came from the socket: report it rather than crash.
  const other = found[0];
  if (other) return { network: 'reset', message: `The connection to ${where} failed (${other.code}: ${oneLine(other.message)}).` };
  return null;
}

/** `code` and message of the error, its causes and (for AggregateError, from dual-stack connects) its members. */
function collectCodes(error: unknown, depth = 0): { code: string; message: string }[] {
  if (depth > 4 || typeof error !== 'object' || error === null) return [];
  const e = error as { code?: unknown; message?: unknown; cause?: unknown; errors?: unknown };
  const found: { code: string; message: string }[] = [];
  if (typeof e.code === 'string') found.push({ code: e.code, message: typeof e.message === 'string' ? e.message : '' });
  found.push(...collectCodes(e.cause, depth + 1));
  if (Array.isArray(e.errors)) for (const member of e.errors) found.push(...collectCodes(member, depth + 1));
  return found;
}

function timeoutMessage(url: URL, timeoutMs: number): string {
  const limit = timeoutMs % 1000 === 0 ? `${timeoutMs / 1000} s` : `${timeoutMs} ms`;
  return `${url.host} did not answer within ${limit}; Marketo abandons a call after 30 s.`;
}

/** OpenSSL says `801...:error:0A00010B:SSL routines:ssl3_get_record:wrong version number:../deps/...`; people need the reason. */
function tlsReason(message: string): string {
  return /:error:[0-9A-Fa-f]+:[^:]*:[^:]*:([^:]+)/.exec(message)?.[1] ?? oneLine(message);
}

function oneLine(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}
