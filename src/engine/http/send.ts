// Sends one HTTP request the way Marketo would (docs/marketo-behaviour.md): the URL as written
// (#url-as-written), no redirects followed, the whole call abandoned after 30 s, the answer
// reported as the service gave it. Network failures are outcomes, not exceptions, because
// Marketo reports them too.
// Pure: no 'vscode' here; undici is loaded on first use so importing this module is free.
import type { Transform } from 'node:stream';
import type { Dispatcher } from 'undici';
import { TextDecoder } from 'node:util';
import * as zlib from 'node:zlib';
import { ANSWER_START_BYTES, KEEP_ALIVE_MS, MARKETO_TIMEOUT_MS, RESPONSE_SIZE_LIMIT } from '../limits';
import type { NetworkFailure, RequestType, RunResponse } from '../types';
import { requestTarget } from './wire-url';
import { BoundedCache } from '../text/bounded-cache';


export interface SendRequest {
  method: RequestType;
  url: string;
  headers: Record<string, string>;
  body: string | null;
}

export interface SendOptions {
  /** whole call: connect, headers and body; default MARKETO_TIMEOUT_MS */
  timeoutMs?: number;
  /** aborting it rejects `send` with SendCancelledError */
  signal?: AbortSignal;
  /** decoded body bytes kept; default RESPONSE_SIZE_LIMIT */
  maxBytes?: number;
  /**
   * Called once, when the first ANSWER_START_BYTES of the decoded body have arrived and more is
   * still coming: the status line, the headers and the body so far. Not called for a shorter body.
   */
  onAnswerStart?: (start: AnswerStart) => void;
}

/** The start of an answer whose body is still arriving. */
export interface AnswerStart {
  status: number;
  statusText: string;
  headers: Record<string, string>;
  /** the decoded body bytes so far (at least ANSWER_START_BYTES) */
  data: Buffer;
}

export type SendOutcome =
  | { kind: 'response'; response: RunResponse }
  | { kind: 'network'; network: NetworkFailure; message: string; durationMs: number };

/** The caller cancelled: not an outcome of the call, so it is thrown rather than returned. */
export class SendCancelledError extends Error {
  /**
   * @param mayHaveArrived the request had begun to go out: the service may have received it and
   * acted on it, only its answer was not read
   */
  constructor(readonly mayHaveArrived = false) {
    super(mayHaveArrived ? 'The request was cancelled after it went out.' : 'The request was cancelled before it was sent.');
    this.name = 'SendCancelledError';
  }
}

export async function send(request: SendRequest, options: SendOptions = {}): Promise<SendOutcome> {
  const url = parseUrl(request.url);
  const timeoutMs = options.timeoutMs ?? MARKETO_TIMEOUT_MS;
  const maxBytes = options.maxBytes ?? RESPONSE_SIZE_LIMIT;
  const cancel = options.signal;
  if (cancel?.aborted) throw new SendCancelledError();

  // Loaded once: later calls take it without waiting a turn.
  const undici = loadedUndici ?? await loadUndici();
  if (cancel?.aborted) throw new SendCancelledError();

  const pool = poolFor(undici, timeoutMs);
  const started = performance.now();
  let timedOut = false;
  let cancelled = false;
  let timer: NodeJS.Timeout | undefined;
  let stopListening: (() => void) | undefined;
  let exchange: Exchange | undefined;

  try {
    // The whole call, connect to last byte, is bounded here; undici's own timeouts (one per
    // phase) are set to the same value so they never cut a call short before it.
    timer = setTimeout(() => {
      timedOut = true;
      exchange?.abandon();
    }, timeoutMs);
    if (cancel) {
      stopListening = whenAborted(cancel, () => {
        cancelled = true;
        exchange?.abandon();
      });
    }
    // One dispatch, never a second: once its bytes may have left, a request is not sent again,
    // whatever happens to the connection (a webhook may charge a card or send an SMS).
    const answer = await new Promise<Answer>((resolve, reject) => {
      exchange = new Exchange(maxBytes, resolve, reject, options.onAnswerStart);
      // undici's dispatch follows no redirects (that needs the redirect interceptor, which this
      // agent lacks), so a 3xx comes back as itself. The path and query go as written, not as
      // the URL parser rewrites them (docs/marketo-behaviour.md#url-as-written).
      const dispatch: Dispatcher.DispatchOptions = {
        origin: url.origin,
        path: requestTarget(request.url).target,
        method: request.method,
        headers: request.headers,
        headersTimeout: timeoutMs,
        bodyTimeout: timeoutMs,
      };
      if (request.body !== null) dispatch.body = request.body;
      pool.agent.dispatch(dispatch, exchange);
    });
    const response: RunResponse = {
      status: answer.status,
      // As on the wire, '' when the status line has none: it is what Marketo's Error Type holds,
      // so it is never filled in from the standard phrases (docs/marketo-behaviour.md#error-type).
      statusText: answer.statusText,
      headers: answer.headers,
      body: decodeText(answer.kept.data, answer.headers['content-type']),
      bytes: answer.kept.data.length,
      truncated: answer.kept.truncated,
      durationMs: elapsed(started),
    };
    return { kind: 'response', response };
  } catch (error) {
    if (cancelled || cancel?.aborted) throw new SendCancelledError(exchange?.started ?? false);
    const durationMs = elapsed(started);
    if (timedOut) return { kind: 'network', network: 'timeout', message: timeoutMessage(url, timeoutMs), durationMs };
    const failure = networkFailureOf(error, url, timeoutMs, exchange?.started ?? false);
    if (!failure) throw error;
    return { kind: 'network', ...failure, durationMs };
  } finally {
    clearTimeout(timer);
    stopListening?.();
    releasePool(pool);
  }
}

// ---- the exchange -------------------------------------------------------------------------------

interface Answer {
  status: number;
  statusText: string;
  headers: Record<string, string>;
  kept: Kept;
}

/** Why send() gave up on a call itself; never reported as a network failure. */
class AbandonedError extends Error {
  constructor() {
    super('The call was abandoned (timeout or cancel).');
    this.name = 'AbandonedError';
  }
}

/** The service's answer cannot be read as HTTP; the message says why, for people. */
class AnswerError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'AnswerError';
  }
}

/**
 * One call, driven through undici's dispatch API: the body arrives as chunks straight into the
 * size limit and the decoder, without a response stream, and the call is aborted through
 * undici's own controller, without an AbortSignal. Settles its promise exactly once.
 */
class Exchange implements Dispatcher.DispatchHandler {
  private controller: Dispatcher.DispatchController | undefined;
  private settled = false;
  /**
   * undici is writing the request: from here on the service may have it, so no failure can mean
   * "not sent". undici calls onRequestStart on the connection, right before the first byte.
   */
  started = false;
  /** the whole body arrived: a timeout or cancel no longer applies (only decoding is left) */
  private arrived = false;
  private status = 0;
  private statusText = '';
  private headers: Record<string, string> = {};
  private body: BodySink | undefined;

  constructor(
    private readonly maxBytes: number,
    private readonly resolve: (answer: Answer) => void,
    private readonly reject: (error: unknown) => void,
    private readonly onAnswerStart?: (start: AnswerStart) => void,
  ) {}

  /** Timeout or cancel: settles now, even while the connection is still being made. */
  abandon(): void {
    if (this.settled || this.arrived) return;
    this.fail(new AbandonedError());
  }

  onRequestStart(controller: Dispatcher.DispatchController): void {
    this.controller = controller;
    // Given up while connecting: aborted here, the request is not written at all.
    if (this.settled) controller.abort(new AbandonedError());
    else this.started = true;
  }

  onResponseStart(controller: Dispatcher.DispatchController, statusCode: number, headers: Record<string, string | string[] | undefined>, statusMessage?: string): void {
    this.controller = controller;
    if (this.settled) return;
    // undici passes these on as if informational; what follows them cannot be trusted.
    if (statusCode < 100) return this.fail(new AnswerError(`answered with something that is not valid HTTP: its status ${String(statusCode).padStart(3, '0')} is not an HTTP status`));
    if (statusCode === 101) return this.fail(new AnswerError(SWITCHING_PROTOCOLS));
    if (statusCode < 200) return; // 1xx: informational, the answer follows
    this.status = statusCode;
    this.statusText = statusMessage ?? '';
    this.headers = flattenHeaders(headers);
    const onStart = this.onAnswerStart;
    const answer = { status: this.status, statusText: this.statusText, headers: this.headers };
    this.body = new BodySink(this.headers['content-encoding'] ?? '', this.maxBytes, controller, (kept) => this.finish(kept), (error) => this.fail(error),
      onStart ? (data) => onStart({ ...answer, headers: { ...answer.headers }, data }) : undefined);
  }

  onResponseData(_controller: Dispatcher.DispatchController, chunk: Buffer): void {
    if (!this.settled) this.body?.data(chunk);
  }

  onResponseEnd(): void {
    this.arrived = true;
    if (this.settled) return;
    if (this.body) this.body.end();
    else this.finish({ data: Buffer.alloc(0), truncated: false });
  }

  onResponseError(_controller: Dispatcher.DispatchController | undefined, error: Error): void {
    this.fail(error);
  }

  private finish(kept: Kept): void {
    if (this.settled) return;
    this.settled = true;
    // A body cut at the limit: the rest is not downloaded, and the connection (in the middle of
    // a response) is closed rather than reused. After a complete body this does nothing.
    if (!this.arrived) this.controller?.abort(new AbandonedError());
    this.resolve({ status: this.status, statusText: this.statusText, headers: this.headers, kept });
  }

  private fail(error: unknown): void {
    if (this.settled) return;
    this.settled = true;
    this.body?.destroy();
    // Aborting closes the connection: one left in the middle of an exchange is never reused.
    if (!this.arrived) this.controller?.abort(error instanceof Error ? error : new AbandonedError());
    this.reject(error);
  }
}

// ---- connections --------------------------------------------------------------------------------

type Undici = typeof import('undici');
let undiciModule: Promise<Undici> | undefined;
let loadedUndici: Undici | undefined;

/** undici, loaded on first use; every sender of the engine loads it here, so one copy is loaded once. */
export function loadUndici(): Promise<Undici> {
  undiciModule ??= import('undici').then((loaded) => (loadedUndici = loaded));
  return undiciModule;
}

/**
 * The calls waiting on each signal. A list's calls share one signal: one 'abort' listener on it
 * for all of them, rather than an EventTarget listener added and removed per call.
 */
const waitingOn = new WeakMap<AbortSignal, Set<() => void>>();

/** Calls `onAbort` once when `signal` aborts; the function returned stops that. */
function whenAborted(signal: AbortSignal, onAbort: () => void): () => void {
  let waiting = waitingOn.get(signal);
  if (!waiting) {
    const calls = new Set<() => void>();
    waiting = calls;
    waitingOn.set(signal, calls);
    signal.addEventListener('abort', () => {
      const now = [...calls];
      calls.clear();
      for (const call of now) call();
    }, { once: true });
  }
  const calls = waiting;
  calls.add(onAbort);
  return () => void calls.delete(onAbort);
}

/**
 * Idle connections are kept and reused by later calls, as Marketo's own client and any browser
 * would: quick successive calls (a list of leads at Marketo's concurrency of 20) do not pay for a
 * new TCP (and TLS) connection each time. A request is never sent twice, so a kept connection
 * must not be stale when a request goes out on it: a server that closes it at that moment fails
 * the call. Hence a short idle window, shorter than common servers' idle timeouts (Node and
 * Apache 5 s, gunicorn 2 s, nginx 75 s):
 * - undici closes a connection idle for KEEP_ALIVE_MS, or sooner when the server's Keep-Alive
 *   hint, less undici's 2 s margin, is shorter (a hint of 2 s or less: not kept at all);
 * - once no call has been under way for KEEP_ALIVE_MS, the next call drops the agent and its
 *   connections first, because undici's idle timer cannot fire while the event loop is busy
 *   (a blocked extension host) and would leave a stale connection in the pool.
 * undici also hands a request an idle socket only after reading what arrived on it while idle (a
 * FIN or stray bytes close it instead), destroys the socket of a call aborted in the middle of its
 * response (Exchange aborts a body cut at the size limit, a timeout, a cancel, an error), and unrefs
 * idle sockets, so they never keep a command-line process alive.
 *
 * One agent per whole-call timeout: the connect timeout is a property of the agent and follows
 * ours (undici's default is 10 s). Callers use one or two timeouts; the least recently used
 * agent is closed (gracefully: calls in flight finish) past MAX_AGENTS.
 */
const MAX_AGENTS = 4;

interface Pool {
  agent: import('undici').Agent;
  /** calls under way */
  busy: number;
  /** performance.now() when the last call ended */
  idleSince: number;
}

/** Past MAX_AGENTS the least recently used agent is closed (gracefully: calls in flight finish). */
const pools = new BoundedCache<number, Pool>({ maxEntries: MAX_AGENTS, onEvict: (old) => void old.agent.close().catch(() => undefined) });

/** The agent for a call, counted as busy until `releasePool`. */
function poolFor(undici: Undici, timeoutMs: number): Pool {
  let pool = pools.get(timeoutMs); // most recently used now
  if (pool && pool.busy === 0 && performance.now() - pool.idleSince > KEEP_ALIVE_MS) {
    pools.delete(timeoutMs);
    pool.agent.destroy().catch(() => undefined); // nothing in flight: only stale connections go
    pool = undefined;
  }
  if (!pool) {
    pool = {
      agent: new undici.Agent({ connect: { timeout: timeoutMs }, keepAliveTimeout: KEEP_ALIVE_MS, keepAliveMaxTimeout: KEEP_ALIVE_MS }),
      busy: 0,
      idleSince: 0,
    };
    pools.set(timeoutMs, pool);
  }
  pool.busy++;
  return pool;
}

/** Once per `poolFor`. */
function releasePool(pool: Pool): void {
  if (--pool.busy === 0) pool.idleSince = performance.now();
}

/**
 * Closes every kept connection (calls in flight finish first). Not needed for a process to exit;
 * for a host that wants its sockets back (an extension's deactivate, a test's cleanup).
 */
export async function closeConnections(): Promise<void> {
  const closing = pools.values();
  pools.clear();
  // destroy, not close: a call cancelled while connecting must not hold the host for its timeout
  await Promise.all(closing.map((pool) => pool.agent.destroy().catch(() => undefined)));
}

/**
 * The URL when `text` is an absolute http(s) URL, else undefined. Runs mostly go to one URL again
 * and again: the last answer is kept (a URL handed out is never modified).
 */
export function httpUrl(text: string): URL | undefined {
  return lastUrl.getOrCreate(text, () => {
    let url: URL | undefined;
    try {
      url = new URL(text);
    } catch {
      return undefined;
    }
    return url.protocol === 'http:' || url.protocol === 'https:' ? url : undefined;
  });
}

const lastUrl = new BoundedCache<string, URL | undefined>({ maxEntries: 1 });

/**
 * Validation rejects bad URLs before a run, so reaching this is a programming error: it throws
 * rather than inventing a network failure (a bad URL is not a DNS problem).
 */
function parseUrl(text: string): URL {
  const url = httpUrl(text);
  if (url) return url;
  throw new Error(URL.canParse(text) ? `Invalid URL: ${text} (only http and https)` : `Invalid URL: ${text}`);
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
  size = 0;
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
 * Takes the body chunk by chunk, decoding it on the fly, and stops (aborting the call, so the
 * rest is not downloaded) once more than `maxBytes` decoded bytes arrived. A decoding error falls
 * back to the raw bytes, under the same limit.
 */
class BodySink {
  private readonly makeDecoder: DecoderFactory | null;
  private readonly decoded: Limited;
  /** only fed while decoding, for the fallback */
  private readonly raw: Limited;
  private decoder: Transform | undefined;
  private decodeFailed = false;
  private bodyEnded = false;
  private settled = false;

  constructor(
    contentEncoding: string,
    maxBytes: number,
    private readonly controller: Dispatcher.DispatchController,
    private readonly onDone: (kept: Kept) => void,
    private readonly onError: (error: unknown) => void,
    private onStart?: (data: Buffer) => void,
  ) {
    this.makeDecoder = decoderFor(contentEncoding);
    this.decoded = new Limited(maxBytes);
    this.raw = new Limited(maxBytes);
  }

  data(chunk: Buffer): void {
    if (this.settled) return;
    if (!this.makeDecoder) {
      if (this.decoded.add(chunk)) this.finish(this.decoded.result());
      else this.reportStart();
      return;
    }
    const rawFull = this.raw.add(chunk);
    if (this.decodeFailed) {
      if (rawFull) this.finish(this.raw.result());
      return;
    }
    this.decoder ??= this.startDecoder(this.makeDecoder, chunk);
    if (!this.decoder.write(chunk)) this.controller.pause();
  }

  end(): void {
    this.bodyEnded = true;
    if (this.settled) return;
    if (!this.makeDecoder) this.finish(this.decoded.result());
    else if (this.decodeFailed) this.finish(this.raw.result());
    else if (this.decoder) this.decoder.end();
    else this.finish(this.decoded.result()); // encoded but empty
  }

  destroy(): void {
    this.settled = true;
    this.decoder?.destroy();
  }

  private finish(kept: Kept): void {
    if (this.settled) return;
    this.settled = true;
    this.decoder?.destroy();
    this.onDone(kept);
  }

  /** The answer's start, once enough of the body has come; a caller's failure there is not the call's. */
  private reportStart(): void {
    const onStart = this.onStart;
    if (!onStart || this.settled || this.decoded.size < ANSWER_START_BYTES) return;
    this.onStart = undefined;
    try {
      onStart(this.decoded.result().data);
    } catch {
      // the preview is a courtesy: the run goes on without it
    }
  }

  private startDecoder(factory: DecoderFactory, first: Buffer): Transform {
    const d = factory(first);
    d.on('data', (chunk: Buffer) => {
      if (this.decoded.add(chunk)) this.finish(this.decoded.result());
      else this.reportStart();
    });
    d.on('end', () => this.finish(this.decoded.result()));
    d.on('error', () => {
      this.decodeFailed = true;
      this.controller.resume(); // in case it waited for a drain that will not come
      if (this.raw.full || this.bodyEnded) this.finish(this.raw.result());
    });
    d.on('drain', () => this.controller.resume());
    return d;
  }
}

/** By the charset of Content-Type when TextDecoder knows it, else UTF-8. A BOM is kept: it is part of the payload. */
export function decodeText(data: Buffer, contentType: string | undefined): string {
  const charset = /;\s*charset\s*=\s*"?([^";\s]+)"?/i.exec(contentType ?? '')?.[1];
  return textDecoderFor(charset ?? 'utf-8').decode(data);
}

/** Decoders by charset label (decode() without `stream` keeps no state between calls); labels come from the service: keep a few. */
const textDecoders = new BoundedCache<string, TextDecoder>({ maxEntries: 16 });

function textDecoderFor(label: string): TextDecoder {
  return textDecoders.getOrCreate(label, () => {
    try {
      return new TextDecoder(label, { ignoreBOM: true });
    } catch {
      // an unknown label throws in the constructor; decode itself does not (not fatal)
      return new TextDecoder('utf-8', { ignoreBOM: true });
    }
  });
}

// ---- network failures ---------------------------------------------------------------------------

const TIMEOUT_CODES = new Set(['UND_ERR_HEADERS_TIMEOUT', 'UND_ERR_BODY_TIMEOUT', 'UND_ERR_CONNECT_TIMEOUT', 'ETIMEDOUT']);
const DNS_CODES = new Set(['ENOTFOUND', 'EAI_AGAIN', 'EAI_FAIL', 'EAI_NONAME', 'EAI_NODATA']);
const UNREACHABLE_CODES = new Set(['EHOSTUNREACH', 'ENETUNREACH', 'EHOSTDOWN', 'ENETDOWN', 'EADDRNOTAVAIL']);
const TLS_CODE = /^(ERR_TLS_|ERR_SSL_|ERR_OSSL_|CERT_)|SELF_SIGNED|^UNABLE_TO_|^EPROTO$|^HOSTNAME_MISMATCH$/;
/** The connection closed before the answer was complete. */
const CLOSED_CODES = new Set(['ECONNRESET', 'EPIPE', 'ECONNABORTED', 'UND_ERR_SOCKET', 'UND_ERR_CLOSED', 'UND_ERR_DESTROYED', 'UND_ERR_RES_CONTENT_LENGTH_MISMATCH']);
/** undici refusing the request's own arguments before writing it: a bad header or body, which validation should have caught */
const PROGRAMMING_CODES = new Set(['UND_ERR_INVALID_ARG', 'UND_ERR_NOT_SUPPORTED', 'UND_ERR_REQ_CONTENT_LENGTH_MISMATCH', 'ERR_INVALID_ARG_TYPE', 'ERR_INVALID_URL']);

const SWITCHING_PROTOCOLS = 'answered "101 Switching Protocols", but the request asked for no protocol switch';
/** undici's SocketError for an answer it will not read (its other SocketErrors are closed connections) */
const UNASKED_ANSWERS: Record<string, string> = {
  // undici never sends Expect: 100-continue, and stops reading at an unexpected 100
  'bad response': 'answered "100 Continue", which the request did not ask for; the answer after it, if any, was not read',
  'bad upgrade': SWITCHING_PROTOCOLS,
};
/** What llhttp's reasons mean for people (the reason itself follows in parentheses). */
const PARSER_PROBLEMS: readonly [RegExp, string][] = [
  [/^Expected HTTP\//, 'it does not start with an HTTP status line'],
  [/status/i, 'its status is not a three-digit HTTP status'],
  [/chunk/i, 'its chunked body is malformed'],
  [/content-length|transfer-encoding/i, 'it gives the length of its body in contradictory ways'],
  [/header/i, 'a header line is malformed'],
];

interface Failure {
  network: NetworkFailure;
  message: string;
}

/**
 * Maps an error to a network failure; null for an error that is none, which is rethrown.
 * `sent`: undici began writing the request. From then on the service may have it, so every
 * failure is a failed call and none is rethrown (a rethrown error reads as "not sent"): only
 * undici refusing the request's own arguments before writing it means nothing was sent.
 */
function networkFailureOf(error: unknown, url: URL, timeoutMs: number, sent: boolean): Failure | null {
  const chain = causes(error);
  const found = chain.filter((c) => c.code !== '');
  const codes = found.map((f) => f.code);
  const where = url.host;
  const first = (test: (code: string) => boolean): Cause | undefined => found.find((f) => test(f.code));

  if (!sent && codes.some((c) => PROGRAMMING_CODES.has(c))) return null;
  if (codes.some((c) => TIMEOUT_CODES.has(c))) return { network: 'timeout', message: timeoutMessage(url, timeoutMs) };
  const dns = first((c) => DNS_CODES.has(c));
  if (dns) return { network: 'dns', message: `The host name ${url.hostname} could not be resolved (${dns.code}).` };
  if (codes.includes('ECONNREFUSED')) return { network: 'refused', message: `${where} refused the connection (ECONNREFUSED): nothing is listening there.` };
  const unreachable = first((c) => UNREACHABLE_CODES.has(c));
  if (unreachable) return { network: 'refused', message: `${where} could not be reached (${unreachable.code}).` };
  const tls = first((c) => TLS_CODE.test(c));
  if (tls) return { network: 'tls', message: `The secure connection to ${where} failed: ${tlsReason(tls.message)} (${tls.code}).` };
  const invalid = invalidAnswer(chain);
  if (invalid) return { network: 'protocol', message: `${where} ${invalid}.` };
  const closed = first((c) => CLOSED_CODES.has(c));
  // undici reports a malformed Content-Length header with the same error as a body cut short
  if (closed?.code === 'UND_ERR_RES_CONTENT_LENGTH_MISMATCH') return { network: 'reset', message: `${where} sent a body that does not match its Content-Length header: the connection closed before the announced length arrived, or the header is malformed (${closed.code}).` };
  if (closed) return { network: 'reset', message: `${where} closed the connection before the response was complete (${closed.code}: ${oneLine(closed.message)}).` };
  const other = found[0] ?? chain[0];
  // After sending, whatever else went wrong happened while reading the answer.
  if (sent && other) return { network: 'protocol', message: `The answer of ${where} could not be read (${other.code || other.name}: ${oneLine(other.message)}).` };
  // Before sending, any other error that carries a code came from the socket: report it rather than crash.
  if (found[0]) return { network: 'reset', message: `The connection to ${where} failed (${found[0].code}: ${oneLine(found[0].message)}).` };
  return null;
}

/** Why an answer is not HTTP the client can read, as the end of "<host> …"; undefined when that is not the failure. */
function invalidAnswer(chain: readonly Cause[]): string | undefined {
  for (const c of chain) {
    if (c.name === 'AnswerError') return c.message;
    if (c.code === 'UND_ERR_SOCKET' && Object.hasOwn(UNASKED_ANSWERS, c.message)) return UNASKED_ANSWERS[c.message];
    // llhttp's errors: HTTPParserError, whose code undici leaves unset in some versions
    if (c.name === 'HTTPParserError' || c.code.startsWith('HPE_')) {
      const reason = /\(([^()]*)\)\s*$/.exec(c.message)?.[1] ?? (c.code || oneLine(c.message));
      const problem = PARSER_PROBLEMS.find(([test]) => test.test(reason))?.[1] ?? 'it breaks the HTTP/1.1 syntax';
      return `answered with something that is not valid HTTP: ${problem} (${reason})`;
    }
  }
  return undefined;
}

interface Cause {
  name: string;
  /** '' when the error has none */
  code: string;
  message: string;
}

/** The error, its causes and (for AggregateError, from dual-stack connects) its members. */
function causes(error: unknown, depth = 0): Cause[] {
  if (depth > 4 || typeof error !== 'object' || error === null) return [];
  const e = error as { name?: unknown; code?: unknown; message?: unknown; cause?: unknown; errors?: unknown };
  const found: Cause[] = [{
    name: typeof e.name === 'string' ? e.name : '',
    code: typeof e.code === 'string' ? e.code : '',
    message: typeof e.message === 'string' ? e.message : '',
  }];
  found.push(...causes(e.cause, depth + 1));
  if (Array.isArray(e.errors)) for (const member of e.errors) found.push(...causes(member, depth + 1));
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
