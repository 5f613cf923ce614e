// A tokens file (`{ "my.Name": "value" }`, as `pull tokens` writes it) given by the caller: read
// through the host as the caller's, its values over test.tokens and under the caller's own tokens.
import assert from 'node:assert/strict';
import { resolve } from 'node:path';
import { describe, test } from 'node:test';
import { RunInputError, type EngineHost, type FileNamedBy } from '../../src/engine/api';
import { runDefinition } from '../../src/engine/run';
import { parseTokensText } from '../../src/engine/tokens/tokens-file';

const FILE = resolve('/work', 'hooks', 'event.webhook.jsonc');
const TEXT = JSON.stringify({
  name: 'Event', url: 'https://api.example.com/e?a={{my.A}}&b={{my.B}}&c={{my.C}}',
  test: { campaign: 'batch', tokens: { 'my.A': 'from-definition', 'my.C': 'from-definition' } },
});

function host(answer: string | Error): EngineHost & { calls: [string, FileNamedBy][] } {
  const calls: [string, FileNamedBy][] = [];
  return {
    calls,
    readTextFile: (path, namedBy) => {
      calls.push([path, namedBy]);
      return typeof answer === 'string' ? Promise.resolve(answer) : Promise.reject(answer);
    },
    getSecret: () => Promise.resolve(undefined),
  };
}

void describe('tokens file', () => {
  void test('is read through the host as the caller\'s, over test.tokens, under the caller\'s tokens', async () => {
    const h = host('{ "my.A": "from-file", "my.B": "from-file" }');
    const result = await runDefinition({ text: TEXT, file: FILE, host: h, tokensFile: '/home/me/program-1089.tokens.json', tokens: { 'my.B': 'from-caller' } });
    assert.deepEqual(h.calls, [['/home/me/program-1089.tokens.json', { by: 'caller' }]]);
    assert.equal(result.request?.url, 'https://api.example.com/e?a=from-file&b=from-caller&c=from-definition');
  });

  void test('a file that cannot be read or used stops the run: tokens-unusable', async () => {
    for (const [answer, reason] of [[new Error('no such file (x.json)'), /Cannot read the tokens file \/t\.json: no such file/], ['[1]', /not usable: a tokens file must be a JSON object/]] as const) {
      await assert.rejects(runDefinition({ text: TEXT, file: FILE, host: host(answer), tokensFile: '/t.json' }), (error: unknown) => {
        assert.ok(error instanceof RunInputError);
        assert.equal(error.problem, 'tokens-unusable');
        assert.match(error.message, reason);
        assert.equal(error.result?.diagnostics.at(-1)?.code, 'tokens-unusable');
        return true;
      });
    }
  });

  void test('parses names to text; numbers and booleans as their text; JSONC allowed', () => {
    assert.deepEqual({ ...okTokens('{ "my.Count": 3, "my.On": true, /* pulled */ "my.Name": "x", }') }, { 'my.Count': '3', 'my.On': 'true', 'my.Name': 'x' });
    const proto = okTokens('{ "__proto__": "p" }');
    assert.deepEqual(Object.keys(proto), ['__proto__']);
    assert.equal(Object.getOwnPropertyDescriptor(proto, '__proto__')?.value, 'p');
    for (const bad of ['', '[]', '"x"', '{ "my.A": {} }', '{ "my.A": null }', '{ " ": "x" }', '{ "my.A": ']) assert.equal(parseTokensText(bad).ok, false, bad);
  });
});

function okTokens(text: string): Record<string, string> {
  const read = parseTokensText(text);
  assert.ok(read.ok, text);
  return read.tokens;
}
