import assert from 'node:assert/strict';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { RunCancelledError, RunInputError, type EngineHost } from '../../src/engine/api';
import { catalogFromDescribe } from '../../src/engine/catalog/field-catalog';
import { runDefinition } from '../../src/engine/run';

interface Seen { method: string; url: string; headers: IncomingMessage['headers']; body: string }

describe('runDefinition against a real server', () => {
  let server: Server;
  let origin: string;
  const seen: Seen[] = [];
  const dir = mkdtempSync(join(tmpdir(), 'run-test-'));
  const routes: Record<string, (req: IncomingMessage, res: ServerResponse, body: string) => void> = {
    '/enrich': (_req, res, body) => {
      const email = (JSON.parse(body) as { email: string }).email;
      res.setHeader('Content-Type', 'application/json');
      res.end(JSON.stringify({ company: { name: 'Acme', size: 250, tech: ['Salesforce'] }, echo: email, token: _req.headers.authorization }));
    },
    '/empty': (_req, res) => res.end(),
    '/rate': (_req, res) => { res.statusCode = 429; res.end('{"error":"slow down"}'); },
    '/boom': (_req, res) => { res.statusCode = 500; res.end('oops'); },
    '/xml-mixed': (_req, res) => { res.setHeader('Content-Type', 'application/xml'); res.end('<r><g>Acme</g><i>a</i><i>b</i></r>'); },
    '/slow': (_req, res) => { setTimeout(() => res.end('late'), 2_000).unref(); },
    // Bytes that are not HTTP, written straight to the connection after the whole request arrived.
    '/not-http': (req, res) => { res.detachSocket(req.socket); req.socket.end('HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n'); },
  };

  before(async () => {
    server = createServer((req, res) => {
      let body = '';
      req.setEncoding('utf8');
      req.on('data', (c: string) => { body += c; });
      req.on('end', () => {
        seen.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers, body });
        const route = routes[(req.url ?? '').split('?')[0] ?? ''];
        if (route) route(req, res, body);
        else { res.statusCode = 404; res.end('not found'); }
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    writeFileSync(join(dir, 'ada.lead.json'), '// a lead\n{ "email": "ada@example.com", "First Name": "Ada", }');
  });

  after(() => {
    server.closeAllConnections();
    server.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const host = (secrets: Record<string, string> = {}): EngineHost => ({
    readTextFile: (path) => readFile(path, 'utf8'),
    getSecret: (name) => Promise.resolve(secrets[name]),
  });

  const definition = (path: string, extra: Record<string, unknown> = {}) => JSON.stringify({
    name: 'Enrich',
    url: `${origin}${path}`,
    template: '{"email": {{lead.Email Address}}}',
    requestTokenEncoding: 'JSON',
    headers: { 'Content-Type': 'application/json', Authorization: 'Bearer {{my.Key}}' },
    responseType: 'JSON',
    responseMappings: [
      { responseAttribute: 'company.name', marketoField: 'Company' },
      { responseAttribute: 'company.size', marketoField: 'NumberOfEmployees' },
      { responseAttribute: 'company.tech[0]', marketoField: 'Industry' },
      { responseAttribute: 'company.missing', marketoField: 'City' },
    ],
    test: { lead: 'ada.lead.json', tokens: { 'my.Key': { secret: 'KEY' } } },
    ...extra,
  });

  const run = (path: string, extra: Record<string, unknown> = {}, options: Partial<Parameters<typeof runDefinition>[0]> = {}) =>
    runDefinition({ text: definition(path, extra), file: join(dir, 'x.webhook.jsonc'), host: host({ KEY: 's3cret-value' }), ...options });

  it('runs a 200 with mappings: request, response, classification, mappings, handling', async () => {
    const result = await run('/enrich');
    const last = seen.at(-1)!;
    assert.equal(last.method, 'POST');
    assert.equal(last.body, '{"email": "ada@example.com"}');
    assert.equal(last.headers.authorization, 'Bearer s3cret-value');
    assert.equal(result.request?.sent, true);
    assert.equal(result.request?.body, '{"email": "ada@example.com"}');
    assert.equal(result.response?.status, 200);
    assert.deepEqual(
      { code: result.classification?.code, category: result.classification?.category, mappingsApplied: result.classification?.mappingsApplied },
      { code: 200, category: 'success', mappingsApplied: true },
    );
    assert.deepEqual(result.mappings.map((m) => [m.marketoField, m.status, m.value]), [
      ['Company', 'applied', 'Acme'], ['NumberOfEmployees', 'applied', 250], ['Industry', 'applied', 'Salesforce'], ['City', 'skipped', null],
    ]);
    assert.match(result.mappings[3]!.reason ?? '', /missing/);
    assert.ok(result.handling && result.handling.steps.length > 0);
    assert.deepEqual(result.diagnostics, []);
  });

  it('masks secret values everywhere, even when the service echoes them', async () => {
    const result = await run('/enrich');
    const json = JSON.stringify(result);
    assert.equal(json.includes('s3cret-value'), false);
    assert.equal(result.request?.headers.Authorization, 'Bearer ••••');
    assert.match(result.response?.body ?? '', /Bearer ••••/);
  });

  it('reports 1001 for a 2xx with an empty body, keeping the real status', async () => {
    const result = await run('/empty');
    assert.equal(result.classification?.code, 1001);
    assert.equal(result.classification?.category, 'marketo');
    assert.equal(result.response?.status, 200);
    assert.ok(result.mappings.every((m) => m.status === 'skipped'));
  });

  it('reports a 429 and a 500 as themselves, with mappings ignored', async () => {
    const rate = await run('/rate');
    assert.equal(rate.classification?.code, 429);
    assert.equal(rate.classification?.errorType, 'Too Many Requests');
    assert.ok(rate.mappings.every((m) => m.status === 'skipped' && /429/.test(m.reason ?? '')));
    assert.ok(rate.handling!.steps.some((s) => /Wait/.test(s)));
    const boom = await run('/boom');
    assert.equal(boom.classification?.category, 'server-error');
  });

  it('maps XML and points out XML that Marketo reads in an undefined way', async () => {
    const result = await run('/xml-mixed', { responseType: 'XML', responseMappings: [{ responseAttribute: 'r.g', marketoField: 'Company' }] });
    assert.deepEqual(result.mappings.map((m) => [m.status, m.value]), [['applied', 'Acme']]);
    assert.ok(result.handling!.steps.some((s) => /Check the response: .*`r`/.test(s)), result.handling!.steps.join('\n'));
  });

  it('reports a timeout as a network failure with no response', async () => {
    const result = await run('/slow', { test: { lead: 'ada.lead.json', timeoutMs: 200, tokens: { 'my.Key': 'k' } } });
    assert.equal(result.response, null);
    assert.equal(result.classification?.code, null);
    assert.equal(result.classification?.network, 'timeout');
  });

  it('reports an answer that is not HTTP as sent, with no response: network failure "protocol"', async () => {
    const before = seen.filter((r) => r.url === '/not-http').length;
    const result = await run('/not-http');
    assert.equal(seen.filter((r) => r.url === '/not-http').length - before, 1, 'sent once');
    assert.equal(result.request?.sent, true);
    assert.equal(result.response, null);
    assert.deepEqual([result.classification?.code, result.classification?.category, result.classification?.network], [null, 'network', 'protocol']);
    assert.match(result.handling!.summary, /^127\.0\.0\.1:\d+ answered with something that is not valid HTTP: its chunked body is malformed/);
    assert.ok(result.mappings.every((m) => m.status === 'skipped'));
  });

  it('refuses a header that a token completes with a line break before sending it: nothing reaches the server', async () => {
    const before = seen.length;
    await assert.rejects(
      run('/enrich', { headers: { 'Content-Type': 'application/json', 'X-Note': 'note {{my.Note}}' }, test: { lead: 'ada.lead.json', tokens: { 'my.Note': 'a\r\nX-Injected: 1' } } }),
      (e: unknown) => e instanceof RunInputError && e.problem === 'request-refused' && /could not be sent/.test(e.message) && e.result?.request === null,
    );
    assert.equal(seen.length, before);
  });

  it('sends nothing for a batch campaign: 1000', async () => {
    const before = seen.length;
    const result = await run('/enrich', {}, { campaign: 'batch' });
    assert.equal(seen.length, before);
    assert.equal(result.classification?.code, 1000);
    assert.equal(result.request?.sent, false);
    assert.equal(result.request?.body, '{"email": "ada@example.com"}');
    assert.equal(result.response, null);
  });

  it('does not send a definition with errors', async () => {
    const before = seen.length;
    const result = await run('/enrich', { template: '{"email": "{{lead.Email Address}}"}' });
    assert.equal(seen.length, before);
    assert.equal(result.request, null);
    assert.equal(result.classification, null);
    assert.ok(result.diagnostics.some((d) => d.code === 'token-quoted-json' && d.severity === 'error'));
    assert.ok(result.diagnostics.every((d) => !('data' in d)));
  });

  it('takes lead, tokens and timeout from the options over the file', async () => {
    const result = await runDefinition({
      text: definition('/enrich', { template: '{"email": {{lead.Email Address}}, "k": {{my.Other}}}', test: { tokens: { 'my.Key': 'k', 'my.Other': 'file' } } }),
      file: join(dir, 'x.webhook.jsonc'),
      host: host(),
      lead: { Email: 'grace@example.com' },
      tokens: { 'my.Other': 'cli' },
    });
    assert.equal(result.request?.body, '{"email": "grace@example.com", "k": "cli"}');
  });

  it('refuses with a RunInputError when the lead file is missing or a secret is not set', async () => {
    await assert.rejects(run('/enrich', { test: { lead: 'nope.lead.json' } }), (e: unknown) => e instanceof RunInputError && /nope\.lead\.json/.test(e.message));
    await assert.rejects(
      runDefinition({ text: definition('/enrich'), file: join(dir, 'x.webhook.jsonc'), host: host() }),
      (e: unknown) => e instanceof RunInputError && e.missingSecret === 'KEY',
    );
  });

  it('runs one definition again from its remembered validation, sharing nothing with the caller', async () => {
    // A warning (an unknown lead field far from any other) shows the diagnostics of each run.
    // No secret: a result with secrets is a masked copy anyway.
    const extra = {
      template: '{"email": {{lead.Email Address}}, "x": {{lead.Qqqqqqqq Zzzzzzz}}}',
      headers: { 'Content-Type': 'application/json' },
      test: { lead: 'ada.lead.json' },
    };
    const first = await run('/enrich', extra);
    const warning = first.diagnostics.find((d) => d.code === 'token-unknown-field');
    assert.ok(warning, JSON.stringify(first.diagnostics));
    // The caller changes its result: the next run of the same text must not see it.
    warning.message = 'changed';
    warning.range.start.line = 99;
    first.diagnostics.push({ ...warning, code: 'added' });
    const second = await run('/enrich', extra);
    assert.equal(second.classification?.code, 200);
    assert.deepEqual(second.diagnostics.map((d) => [d.code, d.range.start.line, d.message === 'changed']), [['token-unknown-field', 0, false]]);
    // Another text is validated anew.
    const third = await run('/enrich', { ...extra, template: '{"email": {{lead.Email Address}}}' });
    assert.equal(third.classification?.code, 200);
    assert.deepEqual(third.diagnostics, []);
  });

  it('validates again for another catalog', async () => {
    const custom = catalogFromDescribe({ result: [{ displayName: 'Qqqqqqqq Zzzzzzz', dataType: 'string', rest: { name: 'qz' }, soap: { name: 'Qz__c' } }] }).catalog;
    const extra = { template: '{"email": {{lead.Email Address}}, "x": {{lead.Qqqqqqqq Zzzzzzz}}}' };
    assert.equal((await run('/enrich', extra)).diagnostics.length, 1);
    assert.deepEqual((await run('/enrich', extra, { catalog: custom })).diagnostics, []);
    assert.equal((await run('/enrich', extra)).diagnostics.length, 1);
  });

  it('rejects with RunCancelledError when cancelled during the call', async () => {
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 100).unref();
    const started = Date.now();
    await assert.rejects(run('/slow', {}, { signal: controller.signal }), (e: unknown) => {
      assert.ok(e instanceof RunCancelledError);
      assert.equal(e.requestMayHaveArrived, true, 'the request had gone out before the cancel');
      assert.match(e.message, /may have received it/);
      return true;
    });
    assert.ok(Date.now() - started < 1_500);
  });

  it('says nothing went out when cancelled before the call', async () => {
    const controller = new AbortController();
    controller.abort();
    await assert.rejects(run('/slow', {}, { signal: controller.signal }), (e: unknown) => {
      assert.ok(e instanceof RunCancelledError);
      assert.equal(e.requestMayHaveArrived, false);
      return true;
    });
  });
});
