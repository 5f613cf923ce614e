// A tokens file (`{ "my.Name": "value" }`, as `pull tokens` writes it) given by the caller: read
// through the host as the caller's, its values over test.tokens and under the caller's own tokens.
import assert from 'node:assert/strict';
import { resolve } from 'node:path';
import { describe, test } from 'node:test';
import { RunInputError, type EngineHost, type FileNamedBy } from '../../src/engine/api';
import { runDefinition } from '../../src/engine/run';
import { parseTokensText } from '../../src/engine/tokens/tokens-file';
import { DIAGNOSTIC_CODES } from '../../src/engine/validate/diagnostics';
import { validateDefinition } from '../../src/engine/validate/validate';

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

void describe('test.tokens as a tokens file', () => {
  const withFile = (tokens: unknown) => JSON.stringify({
    name: 'Event', url: 'https://api.example.com/e?a={{my.A}}&b={{my.B}}', test: { campaign: 'batch', tokens },
  });

  void test('is read through the host as the definition\'s, relative to it; the caller\'s file stands in for it', async () => {
    const h = recordingHost({ [resolve('/work', 'hooks', 'program-1089.tokens.json')]: '{ "my.A": "from-definition-file", "my.B": "from-definition-file" }' });
    const result = await runDefinition({ text: withFile('program-1089.tokens.json'), file: FILE, host: h });
    assert.deepEqual(h.calls, [[resolve('/work', 'hooks', 'program-1089.tokens.json'), { by: 'definition', key: 'test.tokens' }]]);
    assert.equal(result.request?.url, 'https://api.example.com/e?a=from-definition-file&b=from-definition-file');

    const both = recordingHost({
      [resolve('/work', 'hooks', 'program-1089.tokens.json')]: '{ "my.A": "from-definition-file", "my.B": "from-definition-file" }',
      '/home/me/mine.json': '{ "my.A": "from-caller-file" }',
    });
    const over = await runDefinition({ text: withFile('program-1089.tokens.json'), file: FILE, host: both, tokensFile: '/home/me/mine.json', tokens: { 'my.B': 'from-caller' } });
    assert.deepEqual(both.calls, [['/home/me/mine.json', { by: 'caller' }]]);
    assert.equal(over.request?.url, 'https://api.example.com/e?a=from-caller-file&b=from-caller');
  });

  void test('the host\'s refusal stops the run: tokens-unusable, the file named as written', async () => {
    const h = recordingHost({});
    await assert.rejects(runDefinition({ text: withFile('../../secrets.json'), file: FILE, host: h }), (error: unknown) => {
      assert.ok(error instanceof RunInputError);
      assert.equal(error.problem, 'tokens-unusable');
      assert.match(error.message, /^Cannot read the tokens file \.\.\/\.\.\/secrets\.json: /);
      return true;
    });
  });

  void test('validates: a path is accepted and its tokens are not reported missing; an empty one is an error', () => {
    const ok = validateDefinition(withFile('program-1089.tokens.json'), { file: FILE });
    assert.equal(ok.definition?.test.tokensFile, 'program-1089.tokens.json');
    assert.deepEqual(ok.definition?.test.tokens, {});
    assert.deepEqual(ok.diagnostics.filter((d) => d.severity === 'error' || d.code === DIAGNOSTIC_CODES.tokenNoTestValue), []);
    const inline = validateDefinition(withFile({}), { file: FILE });
    assert.ok(inline.diagnostics.some((d) => d.code === DIAGNOSTIC_CODES.tokenNoTestValue), 'without the file, the my. tokens have no value');
    const empty = validateDefinition(withFile('  '), { file: FILE });
    assert.deepEqual(empty.diagnostics.filter((d) => d.severity === 'error').map((d) => d.code), [DIAGNOSTIC_CODES.wrongType]);
    const wrong = validateDefinition(withFile(5), { file: FILE });
    assert.ok(wrong.diagnostics.some((d) => d.code === DIAGNOSTIC_CODES.wrongType && /an object of token name → value, or a tokens file path/.test(d.message)));
  });
});

/** A host that answers from `files` by path, and says "no such file" otherwise. */
function recordingHost(files: Record<string, string>): EngineHost & { calls: [string, FileNamedBy][] } {
  const calls: [string, FileNamedBy][] = [];
  return {
    calls,
    readTextFile: (path, namedBy) => {
      calls.push([path, namedBy]);
      const text = files[path];
      return text === undefined ? Promise.reject(new Error(`no such file (${path})`)) : Promise.resolve(text);
    },
    getSecret: () => Promise.resolve(undefined),
  };
}
