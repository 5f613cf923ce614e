// The start of a long answer (RunOptions.onAnswerStart): a run reports the status line, the headers
// and the first 16 KB of a long body while the rest is still arriving, masked as its result will
// be, so that the editor can show them at once. Against a real server on 127.0.0.1 that holds the
// rest of the body back until the test has seen the start.
import assert from 'node:assert/strict';
import { createServer, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { ANSWER_START_BYTES } from '../../src/engine/limits';
import { runDefinition } from '../../src/engine/run';
import type { RunAnswerStart } from '../../src/engine/types';
import { MASK } from '../../src/engine/secrets/mask';

const SECRET = 'sk-live-0123456789abcdef';

describe('the start of a long answer', () => {
  let server: Server;
  let origin = '';
  /** the rest of the body of the answer under way, and how to send it */
  let held: { res: ServerResponse; rest: string } | undefined;
  let answer: { head: string; rest: string } = { head: '', rest: '' };

  before(async () => {
    server = createServer((req, res) => {
      req.resume();
      req.on('end', () => {
        res.writeHead(200, 'OK', { 'Content-Type': 'application/json; charset=utf-8', 'X-Echo': SECRET });
        res.write(answer.head);
        held = { res, rest: answer.rest };
        // Never a loop that does not stop: a test that forgets to release the rest ends it here.
        setTimeout(() => release(), 5000).unref();
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });

  after(() => {
    server.closeAllConnections();
    server.close();
  });

  function release(): void {
    const h = held;
    held = undefined;
    h?.res.end(h.rest);
  }

  const text = () => JSON.stringify({
    name: 'Long',
    url: `${origin}/long`,
    template: '{"key": {{my.Key}}}',
    requestTokenEncoding: 'JSON',
    headers: { 'Content-Type': 'application/json' },
    responseType: 'JSON',
    responseMappings: [{ responseAttribute: 'company.name', marketoField: 'Company' }],
    test: { tokens: { 'my.Key': { secret: 'api-key' } } },
  });
  const host = { readTextFile: () => Promise.reject(new Error('no files')), getSecret: () => Promise.resolve(SECRET) };

  it('reports the status, the headers and the body so far before the rest has come, masked', async () => {
    // The secret echoed once inside the start, and once cut in two at its end.
    const filler = 'x'.repeat(ANSWER_START_BYTES);
    const head = `{"company":{"name":"Acme"},"echo":"${SECRET}","pad":"${filler}","tail":"${SECRET.slice(0, 10)}`;
    answer = { head, rest: `${SECRET.slice(10)}","more":"${'y'.repeat(100_000)}"}` };
    const starts: RunAnswerStart[] = [];
    let done = false;
    const run = runDefinition({ text: text(), file: '/w/long.webhook.jsonc', host, onAnswerStart: (s) => {
      starts.push(s);
      // Seen before the run is over: now let the rest come.
      assert.equal(done, false);
      setImmediate(release);
    } }).finally(() => {
      done = true;
    });
    const result = await run;
    assert.equal(starts.length, 1, 'reported once');
    const [start] = starts;
    assert.ok(start);
    assert.equal(start.status, 200);
    assert.equal(start.statusText, 'OK');
    assert.equal(start.headers['content-type'], 'application/json; charset=utf-8');
    assert.ok(start.bytes >= ANSWER_START_BYTES && start.bytes <= head.length);
    assert.ok(start.body.startsWith('{"company":{"name":"Acme"},"echo":"'), start.body.slice(0, 60));
    // Neither the whole secret nor its first half at the cut: held back until it can be masked.
    const seen = JSON.stringify(start);
    assert.ok(!seen.includes(SECRET.slice(0, 10)), 'a secret, whole or its start, in the start of the answer');
    assert.ok(start.body.includes(`"echo":"${MASK}"`), 'the echoed secret is masked');
    // The whole outcome afterwards is the run's usual result.
    assert.equal(result.classification?.code, 200);
    assert.equal(result.mappings[0]?.value, 'Acme');
    assert.ok(!JSON.stringify(result).includes(SECRET));
  });

  it('says nothing for an answer whose body is shorter than a first screen', async () => {
    answer = { head: '{"company":{"name":"Acme"}}', rest: '' };
    const starts: RunAnswerStart[] = [];
    const run = runDefinition({ text: text(), file: '/w/long.webhook.jsonc', host, onAnswerStart: (s) => starts.push(s) });
    setTimeout(release, 50).unref();
    const result = await run;
    assert.equal(result.classification?.code, 200);
    assert.equal(starts.length, 0);
  });

  it('goes on with the run when the host fails while showing the start', async () => {
    answer = { head: `{"company":{"name":"Acme"},"pad":"${'x'.repeat(ANSWER_START_BYTES)}`, rest: '"}' };
    const run = runDefinition({ text: text(), file: '/w/long.webhook.jsonc', host, onAnswerStart: () => {
      setImmediate(release);
      throw new Error('the panel is gone');
    } });
    const result = await run;
    assert.equal(result.classification?.code, 200);
    assert.equal(result.mappings[0]?.value, 'Acme');
  });
});
