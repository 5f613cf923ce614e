// send() against a real node:http server on 127.0.0.1. Every wait is bounded; after() closes the
// server's sockets and pending timers so the process exits by itself.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import * as diagnostics from 'node:diagnostics_channel';
import * as http from 'node:http';
import * as net from 'node:net';
import type { Socket } from 'node:net';
import type { AddressInfo } from 'node:net';
import * as zlib from 'node:zlib';
import { SendCancelledError, closeConnections, send } from '../../src/engine/http/send';
import { KEEP_ALIVE_MS, MARKETO_TIMEOUT_MS, RESPONSE_SIZE_LIMIT } from '../../src/engine/limits';
import type { SendOutcome, SendRequest } from '../../src/engine/http/send';
import type { NetworkFailure, RunResponse } from '../../src/engine/types';

interface Received {
  method: string;
  url: string;
  headers: http.IncomingHttpHeaders;
  rawHeaders: string[];
  body: string;
}

const JSON_BODY = '{"ok":true,"company":{"name":"Acme"}}';
const BIG_BYTES = 20 * 1024 * 1024;
/** 4 MB of text that decodes far faster than it arrives gzipped: the decoder must hold the body back. */
const BIG_TEXT = Array.from({ length: 200_000 }, (_, i) => `line ${i} of the answer\n`).join('').padEnd(4 * 1024 * 1024, '.');
const BIG_TEXT_GZIP = zlib.gzipSync(BIG_TEXT);

let server: http.Server;
let base = '';
/** connections the server accepted */
let connections = 0;
const received: Received[] = [];
const hits = new Map<string, number>();
const timers = new Set<NodeJS.Timeout>();
/** what the /big route saw: did the client go away before it wrote everything? */
const big = { written: 0, finished: false, closed: false };

function later(ms: number, fn: () => void): void {
  const t = setTimeout(() => {
    timers.delete(t);
    fn();
  }, ms);
  timers.add(t);
}

/** /stall answers whose connection is gone (the client left, or the answer ended) */
let stallsClosed = 0;

/** Resolves once `check` holds, polling every 20 ms; false after `withinMs`. */
async function eventually(check: () => boolean, withinMs: number): Promise<boolean> {
  for (const end = Date.now() + withinMs; Date.now() < end; await new Promise((r) => setTimeout(r, 20))) if (check()) return true;
  return check();
}

function handle(req: http.IncomingMessage, res: http.ServerResponse, body: Buffer): void {
  const url = new URL(req.url ?? '/', 'http://x');
  const path = url.pathname;
  hits.set(path, (hits.get(path) ?? 0) + 1);
  // Which client connection carried the request: equal ports mean a kept-alive connection was reused.
  res.setHeader('X-Client-Port', String(req.socket.remotePort));
  const status = /^\/status\/(\d{3})$/.exec(path);
  if (status?.[1]) {
    res.writeHead(Number(status[1]), { 'Content-Type': 'text/plain' });
    res.end(`status ${status[1]}`);
    return;
  }
  switch (path) {
    case '/json':
      res.writeHead(200, { 'Content-Type': 'application/json', 'X-Custom-Header': 'Yes', 'Set-Cookie': ['a=1', 'b=2'] });
      res.end(JSON_BODY);
      return;
    case '/empty':
      res.writeHead(200, { 'Content-Length': '0' });
      res.end();
      return;
    case '/no-content':
      res.writeHead(204);
      res.end();
      return;
    case '/redirect':
      res.writeHead(302, { Location: '/target' });
      res.end();
      return;
    case '/target':
      res.end('you followed the redirect');
      return;
    case '/reason':
      res.statusCode = 429;
      res.statusMessage = 'Rate Limited';
      res.end('slow down');
      return;
    case '/echo':
      received.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers, rawHeaders: req.rawHeaders, body: body.toString('utf8') });
      res.writeHead(200, { 'Content-Type': 'application/json' });
      res.end('{"echo":true}');
      return;
    case '/gzip':
      res.writeHead(200, { 'Content-Type': 'application/json', 'Content-Encoding': 'gzip' });
      res.end(zlib.gzipSync(JSON_BODY));
      return;
    case '/deflate':
      res.writeHead(200, { 'Content-Type': 'application/json', 'Content-Encoding': 'deflate' });
      res.end(zlib.deflateSync(JSON_BODY));
      return;
    case '/deflate-raw':
      res.writeHead(200, { 'Content-Type': 'application/json', 'Content-Encoding': 'deflate' });
      res.end(zlib.deflateRawSync(JSON_BODY));
      return;
    case '/br':
      res.writeHead(200, { 'Content-Type': 'application/json', 'Content-Encoding': 'br' });
      res.end(zlib.brotliCompressSync(JSON_BODY));
      return;
    case '/bad-gzip':
      res.writeHead(200, { 'Content-Type': 'text/plain', 'Content-Encoding': 'gzip' });
      res.end('this is not gzip');
      return;
    case '/unknown-encoding':
      res.writeHead(200, { 'Content-Type': 'text/plain', 'Content-Encoding': 'compress' });
      res.end('raw bytes');
      return;
    case '/latin1':
      res.writeHead(200, { 'Content-Type': 'text/plain; charset=ISO-8859-1' });
      res.end(Buffer.from('Café Müller', 'latin1'));
      return;
    case '/unknown-charset':
      res.writeHead(200, { 'Content-Type': 'text/plain; charset=x-no-such-charset' });
      res.end('Café');
      return;
    case '/no-reason':
      // status line `HTTP/1.1 418 ` with an empty reason phrase
      res.writeHead(418, '', { 'Content-Type': 'text/plain' });
      res.end('teapot');
      return;
    case '/no-reason-unknown':
      res.writeHead(599, '', { 'Content-Type': 'text/plain' });
      res.end('?');
      return;
    case '/invalid-json':
      res.writeHead(200, { 'Content-Type': 'application/json' });
      res.end('{"ok": tru');
      return;
    case '/slow': {
      // Answers after 3 s, unless the client left first.
      later(3000, () => {
        if (!res.destroyed) res.end('late');
      });
      return;
    }
    case '/stall':
      // Headers and part of the body, then nothing.
      res.on('close', () => stallsClosed++);
      res.writeHead(200, { 'Content-Type': 'text/plain' });
      res.write('partial');
      later(3000, () => {
        if (!res.destroyed) res.end(' rest');
      });
      return;
    case '/trickle': {
      // A byte every 50 ms for 3 s: no gap long enough for a per-read timeout, too slow overall.
      res.writeHead(200, { 'Content-Type': 'text/plain' });
      let sent = 0;
      const tick = (): void => {
        if (res.destroyed) return;
        if (++sent >= 60) {
          res.end('.');
          return;
        }
        res.write('.');
        later(50, tick);
      };
      tick();
      return;
    }
    case '/reset':
      req.socket.destroy();
      return;
    case '/cut': {
      // Promises 100 bytes, sends 10, then drops the connection.
      res.writeHead(200, { 'Content-Type': 'text/plain', 'Content-Length': '100' });
      res.write('0123456789');
      later(50, () => req.socket.destroy());
      return;
    }
    case '/big':
      writeBig(res);
      return;
    case '/early-hints':
      // A 103 before the answer: informational, not the answer.
      res.writeEarlyHints({ link: '</style.css>; rel=preload; as=style' });
      res.writeHead(200, { 'Content-Type': 'application/json' });
      res.end(JSON_BODY);
      return;
    case '/gzip-big':
      res.writeHead(200, { 'Content-Type': 'text/plain', 'Content-Encoding': 'gzip' });
      res.end(BIG_TEXT_GZIP);
      return;
    case '/then-close':
      // A keep-alive answer, then the server drops the idle connection (no Keep-Alive hint).
      res.writeHead(200, { 'Content-Type': 'text/plain' });
      res.end('bye', () => later(30, () => req.socket.destroy()));
      return;
    default:
      res.writeHead(404);
      res.end();
  }
}

/** 20 MB of 'a', written with backpressure so the server only writes what the client reads. */
function writeBig(res: http.ServerResponse): void {
  big.written = 0;
  big.finished = false;
  big.closed = false;
  const chunk = Buffer.alloc(64 * 1024, 'a');
  res.writeHead(200, { 'Content-Type': 'text/plain', 'Content-Length': String(BIG_BYTES) });
  res.on('close', () => {
    big.closed = true;
  });
  const pump = (): void => {
    while (big.written < BIG_BYTES && !res.destroyed) {
      big.written += chunk.length;
      if (big.written >= BIG_BYTES) {
        res.end(chunk, () => {
          big.finished = true;
        });
        return;
      }
      if (!res.write(chunk)) {
        res.once('drain', pump);
        return;
      }
    }
  };
  pump();
}

before(async () => {
  server = http.createServer((req, res) => {
    const parts: Buffer[] = [];
    req.on('data', (c: Buffer) => parts.push(c));
    req.on('end', () => handle(req, res, Buffer.concat(parts)));
  });
  server.on('connection', () => connections++);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

after(async () => {
  await closeConnections();
  for (const t of timers) clearTimeout(t);
  timers.clear();
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

function get(path: string, extra: Partial<SendRequest> = {}): SendRequest {
  return { method: 'GET', url: base + path, headers: {}, body: null, ...extra };
}

function response(outcome: SendOutcome): RunResponse {
  assert.equal(outcome.kind, 'response', outcome.kind === 'network' ? outcome.message : '');
  return outcome.response;
}

function network(outcome: SendOutcome): { network: NetworkFailure; message: string; durationMs: number } {
  assert.equal(outcome.kind, 'network', outcome.kind === 'response' ? `got HTTP ${outcome.response.status}` : '');
  return outcome;
}

/** A port where nothing listens: bind one, note it, close it. */
async function closedPort(): Promise<number> {
  const s = http.createServer();
  await new Promise<void>((resolve) => s.listen(0, '127.0.0.1', resolve));
  const port = (s.address() as AddressInfo).port;
  await new Promise<void>((resolve) => s.close(() => resolve()));
  return port;
}

async function waitFor(check: () => boolean, ms: number): Promise<boolean> {
  const until = Date.now() + ms;
  while (!check() && Date.now() < until) await new Promise((r) => setTimeout(r, 10));
  return check();
}

test('constants', () => {
  assert.equal(RESPONSE_SIZE_LIMIT, 10 * 1024 * 1024);
  assert.equal(MARKETO_TIMEOUT_MS, 30_000);
});

describe('responses', () => {
  test('200 JSON: status, reason phrase, lower-case headers, body, bytes, duration', async () => {
    const r = response(await send(get('/json')));
    assert.equal(r.status, 200);
    assert.equal(r.statusText, 'OK');
    assert.equal(r.headers['content-type'], 'application/json');
    assert.equal(r.headers['x-custom-header'], 'Yes');
    assert.equal(r.headers['set-cookie'], 'a=1, b=2');
    for (const name of Object.keys(r.headers)) assert.equal(name, name.toLowerCase());
    assert.equal(r.body, JSON_BODY);
    assert.equal(r.bytes, Buffer.byteLength(JSON_BODY));
    assert.equal(r.truncated, false);
    assert.ok(r.durationMs >= 0 && r.durationMs < 5000, String(r.durationMs));
    assert.equal(Math.round(r.durationMs * 10), r.durationMs * 10, 'rounded to 0.1 ms');
  });

  test('200 with an empty body', async () => {
    const r = response(await send(get('/empty')));
    assert.equal(r.status, 200);
    assert.equal(r.body, '');
    assert.equal(r.bytes, 0);
    assert.equal(r.truncated, false);
  });

  test('204 No Content', async () => {
    const r = response(await send(get('/no-content')));
    assert.equal(r.status, 204);
    assert.equal(r.statusText, 'No Content');
    assert.equal(r.body, '');
    assert.equal(r.bytes, 0);
  });

  test('a 302 is returned as itself, not followed', async () => {
    hits.delete('/target');
    const r = response(await send(get('/redirect')));
    assert.equal(r.status, 302);
    assert.equal(r.statusText, 'Found');
    assert.equal(r.headers.location, '/target');
    assert.equal(hits.get('/target'), undefined, 'the redirect target was requested');
  });

  const phrases: [number, string][] = [
    [400, 'Bad Request'],
    [401, 'Unauthorized'],
    [403, 'Forbidden'],
    [404, 'Not Found'],
    [405, 'Method Not Allowed'],
    [415, 'Unsupported Media Type'],
    [429, 'Too Many Requests'],
    [500, 'Internal Server Error'],
    [502, 'Bad Gateway'],
    [503, 'Service Unavailable'],
    [504, 'Gateway Timeout'],
  ];
  for (const [status, phrase] of phrases) {
    test(`${status} ${phrase}`, async () => {
      const r = response(await send(get(`/status/${status}`)));
      assert.equal(r.status, status);
      assert.equal(r.statusText, phrase);
      assert.equal(r.body, `status ${status}`);
    });
  }

  test('an informational 103 before the answer is not the answer', async () => {
    const r = response(await send(get('/early-hints')));
    assert.equal(r.status, 200);
    assert.equal(r.body, JSON_BODY);
    assert.equal(r.headers.link, undefined);
  });

  test("the server's own reason phrase is passed through", async () => {
    const r = response(await send(get('/reason')));
    assert.equal(r.status, 429);
    assert.equal(r.statusText, 'Rate Limited');
    assert.equal(r.body, 'slow down');
  });

  test('an empty reason phrase stays empty: never filled in from the standard phrases', async () => {
    const r = response(await send(get('/no-reason')));
    assert.equal(r.status, 418);
    assert.equal(r.statusText, '');
    const u = response(await send(get('/no-reason-unknown')));
    assert.equal(u.status, 599);
    assert.equal(u.statusText, '');
  });

  test('an invalid JSON body is just text', async () => {
    const r = response(await send(get('/invalid-json')));
    assert.equal(r.status, 200);
    assert.equal(r.body, '{"ok": tru');
  });
});

describe('the request as sent', () => {
  for (const method of ['POST', 'PUT', 'PATCH', 'DELETE'] as const) {
    test(`${method} with a body and headers arrives as given`, async () => {
      received.length = 0;
      const body = `{"method":"${method}","name":"Zoë & Co"}`;
      const r = response(
        await send({
          method,
          url: `${base}/echo`,
          headers: { 'Content-Type': 'application/json', 'X-Api-Key': 'k-123' },
          body,
        }),
      );
      assert.equal(r.status, 200);
      assert.equal(received.length, 1);
      const got = received[0]!;
      assert.equal(got.method, method);
      assert.equal(got.body, body);
      assert.equal(got.headers['content-type'], 'application/json');
      assert.equal(got.headers['x-api-key'], 'k-123');
      assert.ok(got.rawHeaders.includes('X-Api-Key'), `header name case kept: ${got.rawHeaders.join(' ')}`);
      assert.equal(got.headers['content-length'], String(Buffer.byteLength(body)));
    });
  }

  test('GET without a body sends none', async () => {
    received.length = 0;
    response(await send(get('/echo', { headers: { Accept: 'application/json' } })));
    const got = received[0]!;
    assert.equal(got.method, 'GET');
    assert.equal(got.body, '');
    assert.equal(got.headers['content-length'], undefined);
    assert.equal(got.headers['transfer-encoding'], undefined);
    assert.equal(got.headers.accept, 'application/json');
  });

  test('the URL arrives as written: %26 stays %26, & stays &', async () => {
    received.length = 0;
    response(await send(get('/echo?company=A%26B&x=1&name=Jo+Ann&e=a%40b.c')));
    assert.equal(received[0]!.url, '/echo?company=A%26B&x=1&name=Jo+Ann&e=a%40b.c');
  });

  test('an invalid URL is a programming error, thrown', async () => {
    await assert.rejects(send(get('', { url: 'not a url' })), /^Error: Invalid URL: not a url/);
    await assert.rejects(send(get('', { url: 'ftp://127.0.0.1/x' })), /Invalid URL/);
  });
});

describe('decoding', () => {
  for (const [path, what] of [
    ['/gzip', 'gzip'],
    ['/deflate', 'deflate (zlib)'],
    ['/deflate-raw', 'deflate (raw)'],
    ['/br', 'br'],
  ] as const) {
    test(`${what} body is decoded`, async () => {
      const r = response(await send(get(path)));
      assert.equal(r.body, JSON_BODY);
      assert.equal(r.bytes, Buffer.byteLength(JSON_BODY));
      assert.equal(r.truncated, false);
    });
  }

  test('a corrupt gzip body does not crash: the raw bytes are kept', async () => {
    const r = response(await send(get('/bad-gzip')));
    assert.equal(r.status, 200);
    assert.equal(r.body, 'this is not gzip');
  });

  test('an unknown content-encoding leaves the raw bytes', async () => {
    const r = response(await send(get('/unknown-encoding')));
    assert.equal(r.body, 'raw bytes');
  });

  test('the charset of Content-Type is used (latin1)', async () => {
    const r = response(await send(get('/latin1')));
    assert.equal(r.body, 'Café Müller');
    assert.equal(r.bytes, 11);
  });

  test('an unknown charset falls back to UTF-8', async () => {
    const r = response(await send(get('/unknown-charset')));
    assert.equal(r.body, 'Café');
  });
});

describe('size limit', () => {
  test('a 20 MB body with maxBytes 1000: exactly 1000 bytes kept, the rest not downloaded', async () => {
    const r = response(await send(get('/big'), { maxBytes: 1000 }));
    assert.equal(r.status, 200);
    assert.equal(r.truncated, true);
    assert.equal(r.bytes, 1000);
    assert.equal(r.body, 'a'.repeat(1000));
    assert.ok(await waitFor(() => big.closed, 2000), 'the server did not see the connection close');
    assert.equal(big.finished, false, 'the server wrote the whole body');
  });

  test('a 20 MB body with the default limit: cut at 10 MB', async () => {
    const r = response(await send(get('/big')));
    assert.equal(r.truncated, true);
    assert.equal(r.bytes, RESPONSE_SIZE_LIMIT);
    assert.equal(r.body.length, RESPONSE_SIZE_LIMIT);
    assert.ok(await waitFor(() => big.closed, 2000), 'the server did not see the connection close');
    assert.equal(big.finished, false, 'the server wrote the whole body');
    assert.ok(big.written < BIG_BYTES, `server wrote ${big.written} bytes`);
  });

  test('a body of exactly maxBytes is not truncated', async () => {
    const r = response(await send(get('/json'), { maxBytes: Buffer.byteLength(JSON_BODY) }));
    assert.equal(r.truncated, false);
    assert.equal(r.body, JSON_BODY);
  });

  test('a large gzip body: decoded whole, and cut at the limit after decoding', async () => {
    const whole = response(await send(get('/gzip-big')));
    assert.equal(whole.truncated, false);
    assert.equal(whole.bytes, BIG_TEXT.length);
    assert.ok(whole.body === BIG_TEXT, 'the decoded body differs');
    const cut = response(await send(get('/gzip-big'), { maxBytes: 1024 * 1024 }));
    assert.equal(cut.truncated, true);
    assert.equal(cut.bytes, 1024 * 1024);
    assert.ok(cut.body === BIG_TEXT.slice(0, 1024 * 1024), 'the kept part differs');
  });

  test('the limit applies to the decoded body', async () => {
    const r = response(await send(get('/gzip'), { maxBytes: 5 }));
    assert.equal(r.truncated, true);
    assert.equal(r.body, JSON_BODY.slice(0, 5));
  });
});

describe('network failures', () => {
  test('a slow server past timeoutMs is a timeout, reported promptly', async () => {
    const started = Date.now();
    const n = network(await send(get('/slow'), { timeoutMs: 200 }));
    const took = Date.now() - started;
    assert.equal(n.network, 'timeout');
    assert.match(n.message, /200 ms/);
    assert.ok(took >= 150 && took < 1500, `took ${took} ms`);
    assert.ok(n.durationMs >= 150 && n.durationMs < 1500, String(n.durationMs));
  });

  test('headers sent, then the body stalls: timeout', async () => {
    const started = Date.now();
    const n = network(await send(get('/stall'), { timeoutMs: 300 }));
    assert.equal(n.network, 'timeout');
    assert.ok(Date.now() - started < 1500);
  });

  test('timeoutMs bounds the whole call, not each read: a trickling body times out', async () => {
    const started = Date.now();
    const n = network(await send(get('/trickle'), { timeoutMs: 300 }));
    assert.equal(n.network, 'timeout');
    assert.ok(Date.now() - started < 1500, `took ${Date.now() - started} ms`);
  });

  test('connection destroyed on request: reset', async () => {
    const n = network(await send(get('/reset'), { timeoutMs: 2000 }));
    assert.equal(n.network, 'reset', n.message);
    assert.doesNotMatch(n.message, /\n/);
  });

  test('connection closed mid-body: reset', async () => {
    const n = network(await send(get('/cut'), { timeoutMs: 2000 }));
    assert.equal(n.network, 'reset', n.message);
  });

  test('nothing listening: refused', async () => {
    const port = await closedPort();
    const n = network(await send({ method: 'GET', url: `http://127.0.0.1:${port}/`, headers: {}, body: null }, { timeoutMs: 2000 }));
    assert.equal(n.network, 'refused', n.message);
    assert.match(n.message, /ECONNREFUSED/);
  });

  test('https to a plain HTTP port: the TLS handshake fails', async () => {
    const n = network(await send(get('/json', { url: base.replace('http:', 'https:') + '/json' }), { timeoutMs: 2000 }));
    assert.equal(n.network, 'tls', n.message);
    assert.doesNotMatch(n.message, /\n|deps\/openssl/);
  });

  test('a .invalid host name does not resolve: dns', async () => {
    // RFC 6761: .invalid never resolves. timeoutMs bounds a resolver that does not answer.
    const n = network(await send({ method: 'GET', url: 'http://webhook.example.invalid/x', headers: {}, body: null }, { timeoutMs: 5000 }));
    assert.equal(n.network, 'dns', n.message);
    assert.match(n.message, /webhook\.example\.invalid/);
  });
});

describe('cancellation', () => {
  test('a signal aborted before the call rejects with SendCancelledError', async () => {
    hits.delete('/json');
    const c = new AbortController();
    c.abort();
    await assert.rejects(send(get('/json'), { signal: c.signal }), (e: unknown) => {
      assert.ok(e instanceof SendCancelledError);
      assert.equal(e.mayHaveArrived, false, 'nothing went out');
      assert.match(e.message, /before it was sent/);
      return true;
    });
    assert.equal(hits.get('/json'), undefined, 'the request was sent anyway');
  });

  test('aborting while waiting for the answer rejects with SendCancelledError, not a timeout', async () => {
    const c = new AbortController();
    const started = Date.now();
    setTimeout(() => c.abort(), 100);
    await assert.rejects(send(get('/slow'), { signal: c.signal, timeoutMs: 2000 }), (e: unknown) => {
      assert.ok(e instanceof SendCancelledError);
      // The request went out: a cancel cannot take it back, and the caller must say so.
      assert.equal(e.mayHaveArrived, true);
      return true;
    });
    assert.ok(Date.now() - started < 1500);
  });

  test('aborting while the body streams rejects with SendCancelledError', async () => {
    const c = new AbortController();
    setTimeout(() => c.abort(), 150);
    await assert.rejects(send(get('/stall'), { signal: c.signal, timeoutMs: 2000 }), SendCancelledError);
  });

  test('a timeout or a cancel closes the connection at once: the service sees the client leave', async () => {
    // The stalled answer would end by itself after 3 s; the connection must be gone long before.
    let before = stallsClosed;
    network(await send(get('/stall'), { timeoutMs: 200 }));
    assert.ok(await eventually(() => stallsClosed > before, 1000), 'the timed-out connection stayed open');
    before = stallsClosed;
    const c = new AbortController();
    setTimeout(() => c.abort(), 100);
    await assert.rejects(send(get('/stall'), { signal: c.signal, timeoutMs: 2000 }), SendCancelledError);
    assert.ok(await eventually(() => stallsClosed > before, 1000), 'the cancelled connection stayed open');
  });

  test('a signal aborted after the call has no effect', async () => {
    const c = new AbortController();
    const r = response(await send(get('/json'), { signal: c.signal }));
    c.abort();
    assert.equal(r.status, 200);
  });
});

describe('connections', () => {
  /** the client port the server saw */
  const port = (r: RunResponse): string => r.headers['x-client-port'] ?? '';

  /** client ports of `count` sequential calls to `path` */
  async function ports(path: string, count: number): Promise<string[]> {
    const seen: string[] = [];
    for (let i = 0; i < count; i++) {
      const r = response(await send(get(path)));
      assert.equal(r.body, JSON_BODY);
      seen.push(port(r));
    }
    return seen;
  }

  test('sequential calls reuse kept-alive connections', async () => {
    await closeConnections();
    const before = connections;
    const seen = await ports('/json', 10);
    const posted = response(await send({ method: 'POST', url: `${base}/echo`, headers: { 'Content-Type': 'application/json' }, body: '{}' }));
    seen.push(port(posted));
    // undici may hand a call the pool's second connection while the first settles: two at most.
    assert.ok(connections - before <= 2, `11 sequential calls opened ${connections - before} connections`);
    assert.ok(new Set(seen).size <= 2, seen.join(' '));
  });

  test('calls in parallel get connections of their own, and all answer', async () => {
    const all = await Promise.all(Array.from({ length: 5 }, () => send(get('/json'))));
    for (const outcome of all) assert.equal(response(outcome).body, JSON_BODY);
    assert.equal(new Set(all.map((o) => port(response(o)))).size, 5);
  });

  test('a body cut at the size limit closes its connection; the next calls answer on others', async () => {
    const cut = response(await send(get('/big'), { maxBytes: 1000 }));
    assert.equal(cut.truncated, true);
    // each body checked whole: the rest of the cut body did not leak into a later answer
    const seen = await ports('/json', 6);
    assert.ok(!seen.includes(port(cut)), `the connection of the cut body was reused: ${port(cut)} in ${seen.join(' ')}`);
  });

  test('after a timeout, a cancel, a reset and a cut connection the next call still answers', async () => {
    network(await send(get('/stall'), { timeoutMs: 300 }));
    const c = new AbortController();
    setTimeout(() => c.abort(), 100);
    await assert.rejects(send(get('/stall'), { signal: c.signal, timeoutMs: 2000 }), SendCancelledError);
    network(await send(get('/reset'), { timeoutMs: 2000 }));
    network(await send(get('/cut'), { timeoutMs: 2000 }));
    for (const timeoutMs of [300, 2000]) {
      const r = response(await send(get('/json'), { timeoutMs }));
      assert.equal(r.body, JSON_BODY);
    }
  });

  test('a connection the server closed while idle is not reused', async () => {
    const closed = response(await send(get('/then-close')));
    assert.equal(closed.body, 'bye');
    await new Promise((r) => setTimeout(r, 150));
    const seen = await ports('/json', 4);
    assert.ok(!seen.includes(port(closed)), `${port(closed)} in ${seen.join(' ')}`);
  });

  test('calls with many different timeouts all answer (older agents are closed)', async () => {
    for (const timeoutMs of [1001, 1002, 1003, 1004, 1005, 1006, 1001]) {
      assert.equal(response(await send(get('/json'), { timeoutMs })).body, JSON_BODY);
    }
  });

  test('a kept-alive idle connection does not keep the process alive (it is unref-ed)', async () => {
    const sockets: Socket[] = [];
    const onConnected = (message: unknown): void => {
      const socket = (message as { socket?: Socket }).socket;
      if (socket) sockets.push(socket);
    };
    diagnostics.subscribe('undici:client:connected', onConnected);
    try {
      await closeConnections(); // so that the call below connects anew
      response(await send(get('/json')));
      await new Promise((r) => setImmediate(r));
    } finally {
      diagnostics.unsubscribe('undici:client:connected', onConnected);
    }
    const open = sockets.filter((s) => !s.destroyed);
    assert.equal(open.length, 1, 'the connection was not kept open');
    const handle = (open[0] as unknown as { _handle?: { hasRef?: () => boolean } })._handle;
    assert.equal(typeof handle?.hasRef, 'function');
    assert.equal(handle!.hasRef!(), false, 'the idle socket holds the event loop');
  });
});

// ---- one call, at most one request ----------------------------------------------------------------
// A webhook may charge a card or send an SMS: a request whose bytes may have reached the service is
// never sent again. These servers are written byte by byte and count what reaches them.

interface RawServer {
  url: string;
  /** connections accepted */
  connections: number;
  /** whole requests (head and Content-Length body) received */
  requests: number;
  close(): Promise<void>;
}

/** Calls `answer` for each whole request, with its number on its connection (1, 2, …). */
async function rawServer(answer: (socket: Socket, onConnection: number) => void): Promise<RawServer> {
  const sockets = new Set<Socket>();
  const server = net.createServer((socket) => {
    stats.connections++;
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => undefined);
    let onConnection = 0;
    let buffered = Buffer.alloc(0);
    socket.on('data', (chunk: Buffer) => {
      buffered = Buffer.concat([buffered, chunk]);
      for (let end = buffered.indexOf('\r\n\r\n'); end >= 0; end = buffered.indexOf('\r\n\r\n')) {
        const length = Number(/content-length: *(\d+)/i.exec(buffered.subarray(0, end).toString('latin1'))?.[1] ?? 0);
        if (buffered.length < end + 4 + length) return;
        buffered = buffered.subarray(end + 4 + length);
        stats.requests++;
        answer(socket, ++onConnection);
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const stats: RawServer = {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`,
    connections: 0,
    requests: 0,
    close: async () => {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
  return stats;
}

/** A webhook call: a POST with a body, the kind of request that must not arrive twice. */
function postTo(url: string): SendRequest {
  return { method: 'POST', url, headers: { 'Content-Type': 'application/json' }, body: '{"phone":"+15550100","text":"Your code is 1234"}' };
}

/** One call against a server that answers with `answer`; the outcome and what the server saw. */
async function callOnce(answer: (socket: Socket, onConnection: number) => void): Promise<{ outcome: SendOutcome; requests: number; connections: number }> {
  const server = await rawServer(answer);
  try {
    const outcome = await send(postTo(server.url), { timeoutMs: 3000 });
    return { outcome, requests: server.requests, connections: server.connections };
  } finally {
    await closeConnections();
    await server.close();
  }
}

const OK = 'HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 2\r\n\r\nok';

describe('one call, at most one request', () => {
  const dropped: [string, (socket: Socket) => void][] = [
    ['destroyed', (socket) => socket.destroy()],
    ['closed (FIN)', (socket) => socket.end()],
    ['reset (RST)', (socket) => socket.resetAndDestroy()],
    ['closed after half a status line', (socket) => socket.end('HTTP/1.1 20')],
  ];
  for (const [what, drop] of dropped) {
    test(`a fresh connection ${what} after the whole request arrived: reset, sent once`, async () => {
      const { outcome, requests, connections } = await callOnce((socket) => drop(socket));
      assert.equal(requests, 1, 'the request was sent again');
      assert.equal(connections, 1);
      assert.equal(network(outcome).network, 'reset', network(outcome).message);
    });
  }

  const informational: [string, string, RegExp][] = [
    ['an unexpected 100 Continue before the answer', `HTTP/1.1 100 Continue\r\n\r\n${OK}`, /"100 Continue"/],
    ['an unexpected 100 Continue instead of the answer', 'HTTP/1.1 100 Continue\r\n\r\n', /"100 Continue"/],
    ['a 101 Switching Protocols that nobody asked for, before the answer', `HTTP/1.1 101 Switching Protocols\r\n\r\n${OK}`, /"101 Switching Protocols"/],
    ['a 101 to WebSocket that nobody asked for', 'HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n\r\n', /"101 Switching Protocols"/],
  ];
  for (const [what, bytes, says] of informational) {
    test(`${what}: a protocol failure, sent once`, async () => {
      const { outcome, requests, connections } = await callOnce((socket) => socket.end(bytes));
      assert.equal(requests, 1, 'the request was sent again');
      assert.equal(connections, 1);
      const n = network(outcome);
      assert.equal(n.network, 'protocol', n.message);
      assert.match(n.message, says);
    });
  }

  test('an informational 103 before the answer is still read past: the answer, sent once', async () => {
    const { outcome, requests } = await callOnce((socket) => socket.end(`HTTP/1.1 103 Early Hints\r\nLink: </a>\r\n\r\n${OK}`));
    assert.equal(requests, 1);
    assert.equal(response(outcome).body, 'ok');
  });

  test('stray bytes on an idle kept connection: the next call goes out once, on a new connection', async () => {
    const server = await rawServer((socket, onConnection) => {
      socket.write(OK);
      // A second, unasked-for answer on the now idle connection (undici's "bad response").
      if (onConnection === 1) later(30, () => socket.write(OK));
    });
    try {
      assert.equal(response(await send(postTo(server.url), { timeoutMs: 3000 })).body, 'ok');
      await new Promise((r) => setTimeout(r, 150)); // the stray answer arrives while the connection idles
      assert.equal(response(await send(postTo(server.url), { timeoutMs: 3000 })).body, 'ok');
      assert.deepEqual([server.requests, server.connections], [2, 2]);
    } finally {
      await closeConnections();
      await server.close();
    }
  });

  test('a kept connection the server drops as the next request arrives: reset, not sent again', async () => {
    // What a server whose idle timeout fires just then does: it resets rather than answer.
    const server = await rawServer((socket, onConnection) => {
      if (onConnection > 1) socket.resetAndDestroy();
      else socket.write('HTTP/1.1 200 OK\r\nContent-Length: 2\r\nConnection: keep-alive\r\n\r\nok');
    });
    try {
      assert.equal(response(await send(postTo(server.url), { timeoutMs: 3000 })).body, 'ok', 'call 1');
      await new Promise((r) => setTimeout(r, 50)); // undici hands the kept connection back on a later tick
      const second = network(await send(postTo(server.url), { timeoutMs: 3000 }));
      assert.equal(second.network, 'reset', second.message);
      assert.deepEqual([server.requests, server.connections], [2, 1], 'call 2 was sent again');
      assert.equal(response(await send(postTo(server.url), { timeoutMs: 3000 })).body, 'ok', 'call 3');
      assert.deepEqual([server.requests, server.connections], [3, 2]);
    } finally {
      await closeConnections();
      await server.close();
    }
  });

  test('a request undici refuses before writing it is thrown: nothing reached the server', async () => {
    const server = await rawServer((socket) => socket.end(OK));
    try {
      const refused = { ...postTo(server.url), headers: { 'Content-Type': 'application/json', 'X-Note': 'a\r\nX-Injected: 1' } };
      await assert.rejects(send(refused, { timeoutMs: 3000 }), (e: unknown) => !(e instanceof SendCancelledError));
      assert.equal(server.requests, 0);
    } finally {
      await closeConnections();
      await server.close();
    }
  });
});

describe('answers that are not HTTP: sent, and reported as a protocol failure', () => {
  const invalid: [string, string, RegExp][] = [
    ['bad chunked encoding', 'HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\nhello\r\n0\r\n\r\n', /chunked/],
    ['HTTP/0.9-style text without a status line', 'hello, this is not HTTP\n', /status line/],
    ['status 099', 'HTTP/1.1 099 Odd\r\nContent-Length: 2\r\n\r\nok', /099/],
    ['status 1000', 'HTTP/1.1 1000 Odd\r\nContent-Length: 2\r\n\r\nok', /status/],
    ['a header line without a colon', 'HTTP/1.1 200 OK\r\nThis is not a header\r\nContent-Length: 2\r\n\r\nok', /header/],
    ['a NUL in a header value', 'HTTP/1.1 200 OK\r\nX-A: a\0b\r\nContent-Length: 2\r\n\r\nok', /header/],
  ];
  for (const [what, bytes, says] of invalid) {
    test(what, async () => {
      const { outcome, requests } = await callOnce((socket) => socket.end(bytes));
      assert.equal(requests, 1);
      const n = network(outcome);
      assert.equal(n.network, 'protocol', n.message);
      assert.match(n.message, says);
      assert.match(n.message, /not valid HTTP|asked/);
      assert.doesNotMatch(n.message, /\n/);
    });
  }
});

describe('idle connections are not reused past KEEP_ALIVE_MS', () => {
  /** client ports of calls to a node:http server that keeps connections for a minute */
  async function withServer(fn: (call: () => Promise<string>) => Promise<void>): Promise<void> {
    const s = http.createServer((req, res) => {
      req.resume();
      req.on('end', () => res.end(String(req.socket.remotePort)));
    });
    s.keepAliveTimeout = 60_000;
    await new Promise<void>((resolve) => s.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(s.address() as AddressInfo).port}/`;
    try {
      await fn(async () => response(await send({ method: 'GET', url, headers: {}, body: null })).body);
    } finally {
      await closeConnections();
      s.closeAllConnections();
      await new Promise<void>((resolve) => s.close(() => resolve()));
    }
  }

  test('quick successive calls share connections; after KEEP_ALIVE_MS idle the next call connects anew', async () => {
    await withServer(async (call) => {
      const quick = [await call(), await call(), await call(), await call()];
      assert.ok(new Set(quick).size <= 2, `quick calls opened ${new Set(quick).size} connections`);
      await new Promise((r) => setTimeout(r, KEEP_ALIVE_MS + 300));
      const after = await call();
      assert.ok(!quick.includes(after), `a connection idle for ${KEEP_ALIVE_MS + 300} ms was reused`);
    });
  });

  test('also when a busy event loop kept the idle timer from running', async () => {
    await withServer(async (call) => {
      const quick = [await call(), await call(), await call()];
      // As a busy extension host would: the whole idle window passes inside one callback.
      const after = await new Promise<string>((resolve, reject) => {
        setTimeout(() => {
          for (const until = Date.now() + KEEP_ALIVE_MS + 300; Date.now() < until;);
          call().then(resolve, reject);
        }, 10);
      });
      assert.ok(!quick.includes(after), `a connection idle for over ${KEEP_ALIVE_MS} ms was reused`);
    });
  });
});

// Last: its cancelled calls leave the service's slow answers pending, which later connection counts must not see.
describe('one signal for many calls', () => {
  test('calls sharing one signal (a list) are all cancelled by it, and a finished call no longer listens', async () => {
    const c = new AbortController();
    // One call done before the abort: its listener is gone, so the abort cannot reach it.
    assert.equal(response(await send(get('/json'), { signal: c.signal })).status, 200);
    const calls = [1, 2, 3].map(() => send(get('/slow'), { signal: c.signal, timeoutMs: 2000 }));
    setTimeout(() => c.abort(), 100);
    const settled = await Promise.allSettled(calls);
    for (const s of settled) assert.ok(s.status === 'rejected' && s.reason instanceof SendCancelledError, String(s.status));
    // A call on a signal aborted after others used it is refused before it goes out.
    await assert.rejects(send(get('/json'), { signal: c.signal }), SendCancelledError);
  });
});
