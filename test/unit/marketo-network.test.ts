// The Marketo client when the network fails, through its real transport (undici) against servers on
// 127.0.0.1: a closed port, a server that never answers (a short injected timeout), one that stops
// in the middle of its answer, one that resets the connection, an answer that is not JSON, an HTML
// error page. Each ends in one error with one clear sentence; the client secret (in the identity
// call's query) and the access token show in no message and no log line.
import assert from 'node:assert/strict';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, describe, test } from 'node:test';
import { MarketoClient } from '../../src/engine/marketo/client';
import { MarketoApiError, MarketoNetworkError } from '../../src/engine/marketo/errors';
import { describeLeads } from '../../src/engine/marketo/operations';

const SECRET = 'client-secret-0123456789abcdef';
const TOKEN = 'access-token-fedcba9876543210:ab';

type Behaviour = (req: IncomingMessage, res: ServerResponse) => void;

const servers: Server[] = [];
after(async () => {
  for (const server of servers) {
    server.closeAllConnections();
    await new Promise((r) => server.close(r));
  }
});

/** A server that hands out an access token, and answers every other call as `behaviour` says. */
async function marketoThat(behaviour: Behaviour, { identityToo = false } = {}): Promise<string> {
  const server = createServer((req, res) => {
    req.resume();
    if (!identityToo && req.url?.startsWith('/identity/oauth/token')) {
      res.writeHead(200, { 'Content-Type': 'application/json' });
      return void res.end(JSON.stringify({ access_token: TOKEN, token_type: 'bearer', expires_in: 3599, scope: 'api@example.com' }));
    }
    behaviour(req, res);
  });
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

/** A port nothing listens on: a server's, closed again. */
async function closedPort(): Promise<string> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((r) => server.close(r));
  return `http://127.0.0.1:${port}`;
}

/** Describe Lead through a client with a short timeout: the error it ends with, and the log. */
async function failure(baseUrl: string, timeoutMs = 2_000): Promise<{ error: Error; log: string[] }> {
  const log: string[] = [];
  const client = new MarketoClient({ baseUrl, clientId: 'client-id', clientSecret: SECRET, log: (l) => log.push(l), timeoutMs, retryDelaysMs: [] });
  const started = performance.now();
  try {
    await describeLeads(client);
  } catch (error) {
    assert.ok(error instanceof Error);
    assert.ok(performance.now() - started < timeoutMs + 3_000, 'it ends soon after the timeout');
    for (const text of [error.message, error.stack ?? '', ...log]) {
      assert.ok(!text.includes(SECRET), `the client secret shows in: ${text}`);
      assert.ok(!text.includes(TOKEN) && !text.includes(encodeURIComponent(TOKEN)), `the access token shows in: ${text}`);
    }
    // One sentence for people: no stack, no object dump, no line breaks.
    assert.ok(!/\n|\bat \w+ \(|\[object /.test(error.message), error.message);
    return { error, log };
  }
  assert.fail('expected the call to fail');
}

void describe('the Marketo client when the network fails', () => {
  void test('a closed port: refused, said so', async () => {
    const base = await closedPort();
    const { error, log } = await failure(base);
    assert.ok(error instanceof MarketoNetworkError, String(error));
    assert.match(error.message, /refused the connection.*ECONNREFUSED/);
    assert.ok(error.message.includes(base.slice('http://'.length)), error.message);
    assert.equal(log.length, 1, 'the call is logged once');
  });

  void test('a server that never answers: abandoned after the timeout', async () => {
    const base = await marketoThat(() => undefined);
    const { error } = await failure(base, 300);
    assert.ok(error instanceof MarketoNetworkError, String(error));
    assert.equal(error.message, 'Marketo did not answer within 0.3 s.');
  });

  void test('an answer that stops in the middle: abandoned after the timeout', async () => {
    const base = await marketoThat((_req, res) => {
      res.writeHead(200, { 'Content-Type': 'application/json', 'Content-Length': '1000' });
      res.write('{"requestId":"1#2","success":true,"result":[');
    });
    const { error } = await failure(base, 300);
    assert.ok(error instanceof MarketoNetworkError, String(error));
    assert.equal(error.message, 'Marketo did not answer within 0.3 s.');
  });

  void test('the connection reset before any answer', async () => {
    const base = await marketoThat((req) => req.socket.destroy());
    const { error } = await failure(base);
    assert.ok(error instanceof MarketoNetworkError, String(error));
    assert.match(error.message, /closed the connection before its answer was complete/);
  });

  void test('the connection closed in the middle of the answer', async () => {
    const base = await marketoThat((req, res) => {
      res.writeHead(200, { 'Content-Type': 'application/json', 'Content-Length': '1000' });
      res.write('{"requestId":"1#2","success":true,"result":[', () => req.socket.destroy());
    });
    const { error } = await failure(base);
    assert.ok(error instanceof MarketoNetworkError, String(error));
    assert.match(error.message, /closed the connection before its answer was complete/);
  });

  void test('an answer that is not JSON: not Marketo, said so', async () => {
    const base = await marketoThat((_req, res) => {
      res.writeHead(200, { 'Content-Type': 'text/plain' });
      res.end(`token ${TOKEN} secret ${SECRET}`);
    });
    const { error } = await failure(base);
    assert.ok(error instanceof MarketoApiError, String(error));
    assert.equal(error.code, 'not-json');
    assert.match(error.message, /is not a JSON object; is http:\/\/127\.0\.0\.1:\d+ the REST base of a Marketo instance\?/);
  });

  void test('an HTML error page from a proxy: its HTTP status, not its HTML', async () => {
    const base = await marketoThat((_req, res) => {
      res.writeHead(502, 'Bad Gateway', { 'Content-Type': 'text/html' });
      res.end('<html><head><title>502 Bad Gateway</title></head><body><h1>Bad Gateway</h1></body></html>');
    });
    const { error } = await failure(base);
    assert.ok(error instanceof MarketoApiError, String(error));
    assert.equal(error.code, 'http-502');
    assert.equal(error.message, 'Marketo answered HTTP 502 to GET /rest/v1/leads/describe.json.');
  });

  void test('the identity endpoint reset: the secret in its query shows nowhere', async () => {
    const base = await marketoThat((req) => req.socket.destroy(), { identityToo: true });
    const { error, log } = await failure(base);
    assert.ok(error instanceof MarketoNetworkError, String(error));
    assert.match(log[0] ?? '', /^POST .*\/identity\/oauth\/token\?.*client_secret=\S*•/);
  });

  void test('the identity endpoint answering an HTML page', async () => {
    const base = await marketoThat((_req, res) => {
      res.writeHead(200, { 'Content-Type': 'text/html' });
      res.end('<html><body>Sign in</body></html>');
    }, { identityToo: true });
    const { error } = await failure(base);
    assert.ok(error instanceof MarketoApiError, String(error));
    assert.match(error.message, /answered HTTP 200 without an access token; is http:\/\/127\.0\.0\.1:\d+ the REST base of a Marketo instance\?/);
  });
});
