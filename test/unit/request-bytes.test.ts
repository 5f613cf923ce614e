// The bytes a run puts on the wire for a JSON-encoded body, read raw by a node:net server on
// 127.0.0.1: quoted strings, bare numbers, an empty number as nothing, a line break in a lead value
// as a space, an undefined My Token as "" (docs/marketo-behaviour.md#json-encoding-by-type,
// #empty-values, #line-breaks, #undefined-tokens).
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { after, before, describe, it } from 'node:test';
import type { EngineHost } from '../../src/engine/api';
import { runDefinition } from '../../src/engine/run';
import { RawHttpServer } from './raw-http-server';

const host: EngineHost = { readTextFile: (path) => readFile(path, 'utf8'), getSecret: () => Promise.resolve(undefined) };

/** The body of a raw request, and its Content-Length header. */
function bodyOf(raw: Buffer): { body: Buffer; contentLength: number } {
  const end = raw.indexOf('\r\n\r\n');
  const length = Number(/\r\ncontent-length: *(\d+)/i.exec(raw.subarray(0, end).toString('latin1'))?.[1]);
  return { body: raw.subarray(end + 4), contentLength: length };
}

describe('the JSON-encoded body on the wire', () => {
  const server = new RawHttpServer();
  let origin = '';
  before(async () => { origin = await server.start(); });
  after(() => server.stop());

  const definition = (template: string, lead: Record<string, unknown>, tokens: Record<string, unknown> = {}) => JSON.stringify({
    name: 'Bytes',
    url: `${origin}/hook`,
    requestType: 'POST',
    template,
    requestTokenEncoding: 'JSON',
    headers: { 'Content-Type': 'application/json' },
    test: { lead, tokens },
  });

  it('sends strings quoted and escaped, numbers bare, an undefined My Token as "", a line break as a space', async () => {
    const text = definition(
      '{"first": {{lead.First Name}}, "score": {{lead.Lead Score}}, "rev": {{Company.Annual Revenue}}, "count": {{my.Count}}, "street": {{lead.Address}}, "note": {{my.Note}}, "q": "{{lead.Lead Score}}"}',
      { firstName: 'Zoë "Z"', leadScore: 87, annualRevenue: 1250000.5, address: '1 Main St\r\nApt 2' },
      { 'my.Count': 5 },
    );
    const before = server.requests.length;
    const result = await runDefinition({ text, file: '/virtual/bytes.webhook.jsonc', host });
    assert.equal(result.classification?.code, 200, JSON.stringify(result.diagnostics));
    const raw = server.requests[before];
    assert.ok(raw, 'the server received the request');
    const { body, contentLength } = bodyOf(raw);
    const expected = '{"first": "Zoë \\"Z\\"", "score": 87, "rev": 1250000.5, "count": 5, "street": "1 Main St Apt 2", "note": "", "q": "87"}';
    assert.equal(body.toString('utf8'), expected);
    assert.ok(body.equals(Buffer.from(expected, 'utf8')), 'byte for byte, UTF-8');
    assert.equal(contentLength, Buffer.byteLength(expected));
    // The run says a value was changed, and that the undefined token was flagged.
    assert.ok(result.handling?.steps.some((s) => /^Check the request: the value of \{\{lead\.Address\}\} holds line breaks; Marketo sends each as one space/.test(s)), result.handling?.steps.join('\n'));
    assert.ok(result.diagnostics.some((d) => d.code === 'token-no-test-value' && /sent empty/.test(d.message)));
    // Both rules are unverified: the run lists them with their docs anchors, once each.
    assert.deepEqual(result.assumptions.map((a) => [a.id, a.doc]), [
      ['line-breaks', 'docs/marketo-behaviour.md#line-breaks'],
      ['undefined-tokens', 'docs/marketo-behaviour.md#undefined-tokens'],
    ]);
  });

  it('sends an empty number-type value as nothing ("score": ,), and the run says the body is not JSON', async () => {
    const text = definition('{"email": {{lead.Email Address}}, "score": {{lead.Lead Score}}}', { email: 'ada@example.com' });
    const before = server.requests.length;
    const result = await runDefinition({ text, file: '/virtual/bytes.webhook.jsonc', host });
    assert.equal(result.classification?.code, 200);
    const { body } = bodyOf(server.requests[before]!);
    assert.equal(body.toString('utf8'), '{"email": "ada@example.com", "score": }');
    assert.equal(result.request?.body, '{"email": "ada@example.com", "score": }');
    assert.ok(result.diagnostics.some((d) => d.code === 'json-token-empty' && d.severity === 'warning'));
    assert.ok(result.handling?.steps.some((s) => /^Check the request: for this lead the body is not valid JSON .*Empty for this lead: \{\{lead\.Lead Score\}\}/.test(s)), result.handling?.steps.join('\n'));
    assert.deepEqual(result.assumptions.map((a) => a.id), ['empty-values']);
  });

  it('lists no request assumption when every value is there and has no line break', async () => {
    const text = definition('{"email": {{lead.Email Address}}, "score": {{lead.Lead Score}}, "n": {{my.Note}}}', { email: 'ada@example.com', leadScore: 3 }, { 'my.Note': 'hi' });
    const result = await runDefinition({ text, file: '/virtual/bytes.webhook.jsonc', host });
    assert.equal(result.classification?.code, 200);
    assert.deepEqual(result.assumptions, []);
  });
});
