// Secrets in the editor: a run against a service on 127.0.0.1 that echoes the secret in every
// form, then every place the run result goes is read back as the extension keeps it: the run
// history in workspace state, the output channel's log file, the parsed body completion uses, the
// curl command and the saved JSON. None may hold any form of the secret. And a secret too short to
// be masked cannot be stored.
import * as assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import * as vscode from 'vscode';
import { curlFor } from '../../src/engine/http/curl';
import type { RunRecord } from '../../src/extension/run-records';
import { secretInputProblem } from '../../src/extension/secret-store';
import type { TestApi } from '../../src/extension/extension';
import { echoedForms, jsonInside } from '../unit/secret-echoes';
import { EXTENSION_ID, waitFor, workspaceFile } from './util';

const SECRET = `Ext/Sécret+<1>&"x' 9{}`;
const PIN = '73019248';

/** Every form, as written and as JSON writes it (workspace state and saved results are JSON). */
const HIDDEN = [...new Set([SECRET, PIN, ...echoedForms(SECRET)].flatMap((f) => [f, jsonInside(f)]))];

function assertNoForm(text: string, where: string): void {
  for (const h of HIDDEN) {
    const at = text.indexOf(h);
    assert.ok(at < 0, `${where} holds ${JSON.stringify(h)}: …${text.slice(Math.max(0, at - 80), at + 80)}…`);
  }
}

/** The log files under a folder (the extension's log folder holds the output channel's). */
function logFiles(dir: string): string[] {
  let found: string[] = [];
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return [];
  }
  for (const name of names) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) found = found.concat(logFiles(path));
    else if (name.endsWith('.log')) found.push(path);
  }
  return found;
}

describe('secrets: no form of a secret in what the editor keeps or shows', () => {
  let server: Server;
  let origin = '';
  let api: TestApi;

  before(async () => {
    const forms = echoedForms(SECRET);
    const ascii = forms.filter((f) => /^[\x21-\x7e]+$/.test(f));
    const plain = forms.filter((f) => [...f].every((c) => c >= ' ' && c !== '"' && c !== '\\'));
    server = createServer((req, res) => {
      req.resume();
      req.on('end', () => {
        const headers: Record<string, string> = { 'Content-Type': 'application/json' };
        ascii.forEach((f, i) => { headers[`X-Echo-${i}`] = f; });
        res.writeHead(200, `OK ${ascii[0] ?? ''}`, headers);
        // Every form a JSON string can hold as it is, the number, the secret as a key, and the request as it came.
        res.end(JSON.stringify({ mapped: plain[1], forms: plain, pin: Number(PIN), [SECRET]: 'a key', url: req.url, headers: req.headers }));
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const extension = vscode.extensions.getExtension<TestApi>(EXTENSION_ID);
    assert.ok(extension);
    const exported = extension.isActive ? extension.exports : await extension.activate();
    assert.ok(exported?.workspaceState && exported.logUri, 'activate() hands tests { workspaceState, logUri }');
    api = exported;
  });

  after(() => {
    server.closeAllConnections();
    server.close();
  });

  it('a run: the history in workspace state, the log, the parsed body, curl and the saved JSON hold no form', async () => {
    await vscode.commands.executeCommand('marketoWebhook.storeSecretFromFix', 'SECRETS_TEST_KEY', SECRET);
    await vscode.commands.executeCommand('marketoWebhook.storeSecretFromFix', 'SECRETS_TEST_PIN', PIN);
    const uri = workspaceFile('secrets-echo.webhook.jsonc');
    const definition = {
      name: 'Secrets echo',
      url: `${origin}/echo/{{my.Key}}?key={{my.Key}}&pin={{my.Pin}}`,
      requestType: 'POST',
      template: '{"key": {{my.Key}}, "pin": {{my.Pin}}}',
      requestTokenEncoding: 'JSON',
      headers: { 'Content-Type': 'application/json', 'X-Pin': '{{my.Pin}}' },
      responseType: 'JSON',
      responseMappings: [
        { responseAttribute: 'mapped', marketoField: 'Company' },
        { responseAttribute: 'pin', marketoField: 'NumberOfEmployees' },
        { responseAttribute: 'forms', marketoField: 'Industry' },
      ],
      test: { lead: {}, tokens: { 'my.Key': { secret: 'SECRETS_TEST_KEY' }, 'my.Pin': { secret: 'SECRETS_TEST_PIN' } } },
    };
    await vscode.workspace.fs.writeFile(uri, new TextEncoder().encode(JSON.stringify(definition, null, 2)));
    const record = await vscode.commands.executeCommand<RunRecord | undefined>('marketoWebhook.run', uri);
    assert.ok(record, 'the run was recorded');
    assert.equal(record.result.classification?.code, 200, JSON.stringify(record.result.handling));
    assert.deepEqual(record.result.mappings.map((m) => m.status), ['applied', 'applied', 'skipped']);
    assert.equal(record.result.request?.headers['X-Pin'], '••••');

    // What the panel shows and "Save result as JSON" writes: the record, as JSON.
    assertNoForm(JSON.stringify(record.result, null, 2), 'the run result (panel, saved JSON)');
    // "Copy as curl".
    assert.ok(record.result.request);
    assertNoForm(curlFor(record.result.request), 'the curl command');
    // The history, as stored in workspace state.
    const keys = api.workspaceState.keys();
    assert.ok(keys.some((k) => k.startsWith('marketoWebhook.history.')), keys.join(', '));
    for (const key of keys) assertNoForm(JSON.stringify(api.workspaceState.get(key)), `workspace state ${key}`);
    // The parsed body completion offers paths from.
    assertNoForm(JSON.stringify(api.lastResponses.get(uri) ?? null), 'the last response completion reads');
    // The output channel's log line, once written to its file.
    const log = await waitFor('the run\'s line in the output channel\'s log file', () => {
      const text = logFiles(api.logUri.fsPath).map((f) => readFileSync(f, 'utf8')).join('\n');
      return text.includes('Secrets echo') || text.includes('secrets-echo.webhook.jsonc') ? text : undefined;
    });
    assert.match(log, /POST http:\/\/127\.0\.0\.1:\d+\/echo\/••••\?key=••••&pin=•••• → 200/);
    assertNoForm(log, 'the output channel');
  });

  it('a value of one or two characters cannot be stored as a secret', async () => {
    for (const value of ['a', 'ab', '😀']) {
      assert.match(secretInputProblem(value) ?? '', /at least 3 characters/);
      await assert.rejects(
        Promise.resolve(vscode.commands.executeCommand('marketoWebhook.storeSecretFromFix', 'SECRETS_TOO_SHORT', value)),
        (e: unknown) => e instanceof Error && /at least 3 characters/.test(e.message),
      );
    }
    assert.equal(secretInputProblem('abc'), undefined);
    const names = await vscode.commands.executeCommand<string[]>('marketoWebhook.secretNames');
    assert.ok(!names.includes('SECRETS_TOO_SHORT'), names.join(', '));
  });
});
