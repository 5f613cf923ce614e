// How the engine asks its host for a sample lead file: who named it (the definition's test.lead,
// which a repository controls, or the caller), so hosts can keep the definition inside its
// workspace; and the host's refusal reaches the user with the lead's name.
import assert from 'node:assert/strict';
import { resolve } from 'node:path';
import { describe, test } from 'node:test';
import { RunInputError, type EngineHost, type FileNamedBy } from '../../src/engine/api';
import { runDefinition } from '../../src/engine/run';

const FILE = resolve('/work', 'hooks', 'enrich.webhook.jsonc');

function recordingHost(answer: (path: string) => Promise<string>): EngineHost & { calls: [string, FileNamedBy][] } {
  const calls: [string, FileNamedBy][] = [];
  return {
    calls,
    readTextFile: (path, namedBy) => {
      calls.push([path, namedBy]);
      return answer(path);
    },
    getSecret: () => Promise.resolve(undefined),
  };
}

const text = (lead?: unknown) => JSON.stringify({
  name: 'Enrich', url: 'https://api.example.com/enrich', template: '{"email": {{lead.Email Address}}}', requestTokenEncoding: 'JSON',
  headers: { 'Content-Type': 'application/json' }, test: { campaign: 'batch', ...(lead === undefined ? {} : { lead }) },
});

void describe('sample lead files through the host', () => {
  void test('test.lead is named by the definition, resolved against its folder', async () => {
    const host = recordingHost(() => Promise.resolve('{ "Email Address": "ada@example.com" }'));
    const result = await runDefinition({ text: text('../leads/ada.lead.json'), file: FILE, host });
    assert.deepEqual(host.calls, [[resolve('/work', 'leads', 'ada.lead.json'), { by: 'definition', key: 'test.lead' }]]);
    assert.equal(result.request?.body, '{"email": "ada@example.com"}');
  });

  void test('a lead path from the caller is the caller\'s, even when the definition has a test.lead', async () => {
    const host = recordingHost(() => Promise.resolve('{}'));
    await runDefinition({ text: text('../leads/ada.lead.json'), file: FILE, host, lead: '/home/me/grace.lead.json' });
    assert.deepEqual(host.calls, [['/home/me/grace.lead.json', { by: 'caller' }]]);
  });

  void test('an inline lead reads no file', async () => {
    const host = recordingHost(() => Promise.resolve('{}'));
    await runDefinition({ text: text({ 'Email Address': 'x@example.com' }), file: FILE, host });
    assert.deepEqual(host.calls, []);
  });

  void test('the host\'s refusal stops the run: lead-unusable, the lead named as written, then the reason', async () => {
    const host = recordingHost(() => Promise.reject(new Error('it is outside the workspace folder; a definition may only name files inside it.')));
    await assert.rejects(runDefinition({ text: text('../../.config/gcloud/application_default_credentials.json'), file: FILE, host }), (error: unknown) => {
      assert.ok(error instanceof RunInputError);
      assert.equal(error.problem, 'lead-unusable');
      assert.equal(error.message, 'Cannot read the sample lead ../../.config/gcloud/application_default_credentials.json: it is outside the workspace folder; a definition may only name files inside it.');
      assert.equal(error.result?.request, null);
      return true;
    });
  });
});
