// Connect to Marketo and the three pulls, in a real VS Code against the fake Marketo on
// 127.0.0.1. The commands are driven with their answers as argument (command-answers.ts: only in
// ExtensionMode.Test); everything else runs as for the user. At the end, no log line, message or
// file holds the client secret or an access token.
import * as assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import * as vscode from 'vscode';
import type { TestApi } from '../../src/extension/extension';
import type { MarketoCommandResult } from '../../src/extension/marketo-calls';
import type { RunRecord } from '../../src/extension/run-records';
import { FAKE_CLIENT_ID, FAKE_FIELDS, startFakeMarketo, type FakeMarketo } from '../unit/fake-marketo';
import { echoedForms } from '../unit/secret-echoes';
import { EXTENSION_ID, waitFor, workspaceFile } from './util';

// Characters that URL, JSON and form encodings each write differently.
const SECRET = 'Mkto+Sécret/&=x 9%"<1>';
const GITIGNORE_BUTTON = 'Add "*.lead.json" to .gitignore';

type Answers = Record<string, string | undefined>;

function command(id: string, answers: Answers = {}, signal?: AbortSignal): Promise<MarketoCommandResult> {
  return Promise.resolve(vscode.commands.executeCommand<MarketoCommandResult>(id, { answers, ...(signal ? { signal } : {}) }));
}

function connect(baseUrl: string, clientSecret = SECRET, signal?: AbortSignal): Promise<MarketoCommandResult> {
  return command('marketoWebhook.connectMarketo', { baseUrl, clientId: FAKE_CLIENT_ID, clientSecret }, signal);
}

function read(uri: vscode.Uri): string {
  return readFileSync(uri.fsPath, 'utf8');
}

function exists(uri: vscode.Uri): boolean {
  try {
    return statSync(uri.fsPath).isFile();
  } catch {
    return false;
  }
}

async function openDefinition(name: string, definition: Record<string, unknown>): Promise<vscode.TextDocument> {
  const uri = workspaceFile(`pulls/${name}`);
  await vscode.workspace.fs.writeFile(uri, new TextEncoder().encode(JSON.stringify(definition, null, 2)));
  const document = await vscode.workspace.openTextDocument(uri);
  await vscode.window.showTextDocument(document);
  return document;
}

function logFiles(dir: string): string[] {
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return [];
  }
  return names.flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? logFiles(path) : name.endsWith('.log') ? [path] : [];
  });
}

describe('Marketo: connect and pull', () => {
  let fake: FakeMarketo;
  let api: TestApi;
  /** every message a command returned (and showed) */
  const messages: string[] = [];
  const fieldsFile = workspaceFile('marketo-fields.json');

  async function run(id: string, answers: Answers = {}, signal?: AbortSignal): Promise<MarketoCommandResult> {
    const result = await command(id, answers, signal);
    messages.push(result.message);
    return result;
  }

  before(async () => {
    fake = await startFakeMarketo({ clientSecret: SECRET });
    const extension = vscode.extensions.getExtension<TestApi>(EXTENSION_ID);
    assert.ok(extension);
    const exported = extension.isActive ? extension.exports : await extension.activate();
    assert.ok(exported);
    api = exported;
    await vscode.workspace.fs.createDirectory(workspaceFile('pulls'));
    await vscode.commands.executeCommand('marketoWebhook.disconnectMarketo');
  });

  after(async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    await vscode.commands.executeCommand('marketoWebhook.disconnectMarketo');
    // The root catalog would change what later suites see.
    await vscode.workspace.fs.delete(fieldsFile).then(undefined, () => undefined);
    await fake.close();
  });

  it('without a connection, a pull says to connect and sends nothing', async () => {
    const result = await run('marketoWebhook.pullFields', { connect: undefined });
    assert.equal(result.ok, false);
    assert.match(result.message, /Not connected to Marketo/);
    assert.equal(fake.requests.length, 0);
    assert.ok(!exists(fieldsFile));
  });

  it('Connect refuses a base URL that is not https (nor this machine) before sending anything', async () => {
    await assert.rejects(connect('http://example.com'), /must start with https/);
    await assert.rejects(connect('not a url'), /is not a URL/);
    assert.equal(fake.requests.length, 0);
  });

  it('Connect with bad credentials says so with Marketo\'s code, and stores nothing', async () => {
    const result = await connect(fake.baseUrl, 'wrong-secret-123');
    messages.push(result.message);
    assert.equal(result.ok, false);
    assert.match(result.message, /invalid_client/);
    assert.match(result.message, /Nothing was stored/);
    assert.ok(!result.message.includes('wrong-secret-123'), result.message);
    assert.match((await run('marketoWebhook.pullFields', { connect: undefined })).message, /Not connected/);
  });

  it('Connect to a port where nothing listens says the call failed, and stores nothing', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    const result = await connect(`http://127.0.0.1:${port}`);
    messages.push(result.message);
    assert.equal(result.ok, false);
    assert.match(result.message, /Could not connect to Marketo at http:\/\/127\.0\.0\.1:\d+: Marketo \(127\.0\.0\.1:\d+\) refused the connection \(ECONNREFUSED\)/);
    assert.match((await run('marketoWebhook.pullFields', { connect: undefined })).message, /Not connected/);
  });

  it('Connect cancelled while Marketo is slow: the call is aborted and nothing is stored', async () => {
    const slow = await startFakeMarketo({ clientSecret: SECRET, delayMs: 10_000 });
    try {
      const controller = new AbortController();
      const connecting = connect(slow.baseUrl, SECRET, controller.signal);
      await waitFor('the describe call', () => (slow.restRequests().length > 0 ? true : undefined));
      const started = Date.now();
      controller.abort();
      const result = await connecting;
      messages.push(result.message);
      assert.ok(Date.now() - started < 5_000, 'cancel did not abort the call');
      assert.equal(result.ok, false);
      assert.match(result.message, /cancelled; nothing was stored/);
    } finally {
      await slow.close();
    }
    assert.match((await run('marketoWebhook.pullFields', { connect: undefined })).message, /Not connected/);
  });

  it('Connect with good credentials: a test call, then stored; one access token for the session', async () => {
    fake.reset();
    const result = await connect(`${fake.baseUrl}/rest/`);
    messages.push(result.message);
    assert.equal(result.ok, true, result.message);
    assert.match(result.message, new RegExp(`Connected to Marketo at ${fake.baseUrl.replace(/[.]/g, '\\.')} \\(client id ${FAKE_CLIENT_ID}, ${FAKE_FIELDS.length} lead fields\\)`));
    assert.deepEqual(fake.restRequests().map((r) => r.path), ['/rest/v1/leads/describe.json']);
    // The token went only as a Bearer header.
    assert.match(String(fake.restRequests()[0]?.headers.authorization), /^Bearer /);
    assert.ok(!fake.restRequests()[0]?.url.includes('access_token'));
  });

  it('Pull Field Catalog writes the Describe Lead response to marketo-fields.json, and validation uses it at once', async () => {
    const document = await openDefinition('catalog-use.webhook.jsonc', { name: 'Catalog use', url: 'https://api.example.com/x?points={{lead.Loyalty Points}}', requestType: 'GET' });
    await waitFor('the custom field to be unknown first', () => (vscode.languages.getDiagnostics(document.uri).some((d) => d.code === 'token-unknown-field') ? true : undefined));
    const result = await run('marketoWebhook.pullFields');
    assert.equal(result.ok, true, result.message);
    assert.equal(result.file, fieldsFile.fsPath);
    const written = JSON.parse(read(fieldsFile)) as { success: boolean; result: unknown[] };
    assert.equal(written.success, true);
    assert.deepEqual(written.result, FAKE_FIELDS);
    await waitFor('the pulled catalog to know Loyalty Points', () => (vscode.languages.getDiagnostics(document.uri).length === 0 ? true : undefined));
    // Pulled again: asked before replacing; kept when the user says no.
    const before = read(fieldsFile);
    const kept = await run('marketoWebhook.pullFields', { overwrite: undefined });
    assert.equal(kept.ok, false);
    assert.match(kept.message, /was kept; nothing was pulled/);
    assert.equal(read(fieldsFile), before);
    assert.equal((await run('marketoWebhook.pullFields', { overwrite: 'Replace' })).ok, true);
  });

  it('Pull Sample Lead by id: lead-<id>.lead.json next to the definition; .gitignore left alone when declined', async () => {
    await openDefinition('lead-use.webhook.jsonc', { name: 'Lead use', url: 'https://api.example.com/x', requestType: 'GET' });
    const result = await run('marketoWebhook.pullLead', { lead: ' 318592 ', gitignore: undefined });
    assert.equal(result.ok, true, result.message);
    const file = workspaceFile('pulls/lead-318592.lead.json');
    assert.equal(result.file, file.fsPath);
    assert.match(result.message, /Wrote lead 318592 with 8 fields to pulls\/lead-318592\.lead\.json.*personal data/);
    const lead = JSON.parse(read(file)) as { result: Record<string, unknown>[] };
    assert.equal(lead.result[0]?.email, 'sam@example.org');
    assert.equal(statSync(file.fsPath).mode & 0o777, 0o600, 'a lead is readable by its owner only');
    assert.ok(!exists(workspaceFile('.gitignore')));
  });

  it('Pull Sample Lead by email: pickable at once, used by a run; .gitignore gets one line when the user agrees, never two', async () => {
    const webhook = createServer((req, res) => {
      let body = '';
      req.on('data', (c: Buffer) => (body += c.toString()));
      req.on('end', () => res.writeHead(200, { 'Content-Type': 'application/json' }).end(JSON.stringify({ got: body })));
    });
    await new Promise<void>((resolve) => webhook.listen(0, '127.0.0.1', resolve));
    try {
      const document = await openDefinition('lead-run.webhook.jsonc', {
        name: 'Lead run', url: `http://127.0.0.1:${(webhook.address() as AddressInfo).port}/hook`, requestType: 'POST',
        template: '{"color": {{lead.Favorite Color}}, "first": {{lead.First Name}}}', requestTokenEncoding: 'JSON',
        headers: { 'Content-Type': 'application/json' }, responseType: 'JSON',
      });
      const result = await run('marketoWebhook.pullLead', { lead: 'jane.doe@example.com', gitignore: GITIGNORE_BUTTON });
      assert.equal(result.ok, true, result.message);
      assert.match(result.message, /Added "\*\.lead\.json" to \.gitignore/);
      assert.equal(read(workspaceFile('.gitignore')).split('\n').filter((l) => l === '*.lead.json').length, 1);

      // Pick Sample Lead offers it right away; a run then sends its values.
      const picked = await vscode.commands.executeCommand<string | undefined>('marketoWebhook.pickLead', document.uri, { answers: { lead: 'pulls/jane.doe.lead.json' } });
      assert.equal(picked, 'pulls/jane.doe.lead.json');
      const record = await vscode.commands.executeCommand<RunRecord | undefined>('marketoWebhook.run', document.uri);
      assert.equal(record?.lead, 'pulls/jane.doe.lead.json');
      assert.equal(record?.result.request?.body, '{"color": "teal", "first": "Jane"}');

      // Pulled again: replaced when agreed, and the .gitignore already covers it (no button, no second line).
      const again = await run('marketoWebhook.pullLead', { lead: 'jane.doe@example.com', overwrite: 'Replace', gitignore: GITIGNORE_BUTTON });
      assert.equal(again.ok, true, again.message);
      assert.match(again.message, /already keeps lead files out/);
      assert.equal(read(workspaceFile('.gitignore')).split('\n').filter((l) => l === '*.lead.json').length, 1);
    } finally {
      webhook.closeAllConnections();
      webhook.close();
    }
  });

  it('Pull Sample Lead: an answer that is neither one email nor an id is refused; an unknown lead writes nothing', async () => {
    await assert.rejects(command('marketoWebhook.pullLead', { lead: 'a@b.c,d@e.f' }), /not one email address/);
    await assert.rejects(command('marketoWebhook.pullLead', { lead: 'PG1089' }), /email address or a lead id/);
    const missing = await run('marketoWebhook.pullLead', { lead: 'nobody@example.com' });
    assert.equal(missing.ok, false);
    assert.match(missing.message, /Marketo has no lead with the email address nobody@example\.com.*Nothing was written/);
    assert.ok(!exists(workspaceFile('pulls/nobody.lead.json')));
  });

  it('Pull My Tokens: program-<id>.tokens.json, set as test.tokens by a WorkspaceEdit when agreed, and {{my. completes them', async () => {
    const document = await openDefinition('tokens-use.webhook.jsonc', { name: 'Tokens use', url: 'https://api.example.com/e?d={{my.', requestType: 'GET', test: { lead: {} } });
    const use = 'Use in tokens-use.webhook.jsonc';
    const result = await run('marketoWebhook.pullTokens', { program: '1089', useTokens: use });
    assert.equal(result.ok, true, result.message);
    const file = workspaceFile('pulls/program-1089.tokens.json');
    assert.deepEqual(JSON.parse(read(file)), { 'my.Event Date': '2026-03-14', 'my.Webinar Title': 'Webhooks & You', 'my.Score Bump': '+10' });
    assert.match(result.message, /test\.tokens of tokens-use\.webhook\.jsonc is now "program-1089\.tokens\.json" \(not saved yet\)/);
    // The open document was edited, not the file on disk: nothing the user typed is lost.
    assert.ok(document.isDirty);
    const definition = JSON.parse(document.getText()) as { test: { lead: unknown; tokens: string } };
    assert.deepEqual(definition.test, { lead: {}, tokens: 'program-1089.tokens.json' });
    assert.ok(!read(document.uri).includes('program-1089'));
    const offset = document.getText().indexOf('{{my.') + '{{my.'.length;
    const list = await vscode.commands.executeCommand<vscode.CompletionList>('vscode.executeCompletionItemProvider', document.uri, document.positionAt(offset), '.');
    const offered = list.items.map((i) => (typeof i.label === 'string' ? i.label : i.label.label));
    for (const name of ['Event Date', 'Webinar Title', 'Score Bump']) assert.ok(offered.some((l) => l.includes(name)), `${name} not offered: ${offered.join(', ')}`);
    await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
  });

  it('Pull My Tokens leaves a definition with tokens of its own alone, and says how to use the file', async () => {
    const document = await openDefinition('tokens-inline.webhook.jsonc', { name: 'Inline', url: 'https://api.example.com/e', requestType: 'GET', test: { tokens: { 'my.Typed': 'by hand' } } });
    const text = document.getText();
    const result = await run('marketoWebhook.pullTokens', { program: '1089', overwrite: 'Replace', useTokens: 'Use in tokens-inline.webhook.jsonc' });
    assert.equal(result.ok, true, result.message);
    assert.match(result.message, /has tokens of its own in test\.tokens; to use the file instead, replace them with "tokens": "program-1089\.tokens\.json"/);
    assert.equal(document.getText(), text);
    assert.ok(!document.isDirty);
  });

  it('Marketo\'s errors and a cancel write nothing and say what happened', async () => {
    fake.failNext('1003', 1, '/rest/asset/');
    const failed = await run('marketoWebhook.pullTokens', { program: '2000', folder: workspaceFile('pulls').toString() });
    assert.equal(failed.ok, false);
    assert.match(failed.message, /Marketo error 1003: Invalid data\. Nothing was written/);
    // A hostile message: no link in the notification, no line of its own in the log.
    fake.failNext('1003', 1, '/rest/asset/', 'Bad [Open](command:workbench.action.quit)\nFORGED LOG LINE');
    const hostile = await run('marketoWebhook.pullTokens', { program: '2000' });
    assert.equal(hostile.ok, false);
    assert.ok(!hostile.message.includes(']('), hostile.message);
    const log = await waitFor('the hostile message in the log', () => {
      const text = logFiles(api.logUri.fsPath).map((f) => readFileSync(f, 'utf8')).join('\n');
      return text.includes('FORGED LOG LINE') ? text : undefined;
    });
    assert.ok(!/^FORGED LOG LINE/m.test(log), 'a line break in Marketo\'s message started a log line');
    const controller = new AbortController();
    controller.abort();
    const cancelled = await run('marketoWebhook.pullTokens', { program: '2001' }, controller.signal);
    assert.equal(cancelled.ok, false);
    assert.match(cancelled.message, /was cancelled; nothing was written/);
    assert.ok(!exists(workspaceFile('pulls/program-2000.tokens.json')));
    assert.ok(!exists(workspaceFile('pulls/program-2001.tokens.json')));
  });

  it('the session kept one access token, and the log lists each call with its status', async () => {
    assert.equal(fake.identityRequests().length, 1, 'a new token was fetched while the first was valid');
    const log = await waitFor('the calls in the output channel\'s log', () => {
      const text = logFiles(api.logUri.fsPath).map((f) => readFileSync(f, 'utf8')).join('\n');
      return text.includes('/rest/asset/v1/folder/') ? text : undefined;
    });
    assert.match(log, /Marketo: GET http:\/\/127\.0\.0\.1:\d+\/rest\/v1\/leads\/describe\.json → HTTP 200 \(\d+ ms\)/);
    assert.match(log, /Marketo: POST http:\/\/127\.0\.0\.1:\d+\/identity\/oauth\/token\?.*client_secret=•+/);
    assert.match(log, /Marketo error 1003/);
  });

  it('a pull writes nothing through a symbolic link, and into the folder picked when no definition is active', async () => {
    const outside = workspaceFile('pulls/outside-target.txt');
    writeFileSync(outside.fsPath, 'untouched');
    symlinkSync(outside.fsPath, workspaceFile('pulls/lead-318581.lead.json').fsPath);
    await openDefinition('link-use.webhook.jsonc', { name: 'Link use', url: 'https://api.example.com/x', requestType: 'GET' });
    const refused = await run('marketoWebhook.pullLead', { lead: '318581', overwrite: 'Replace' });
    assert.equal(refused.ok, false);
    assert.match(refused.message, /is a symbolic link; a pull writes only regular files/);
    assert.equal(read(outside), 'untouched');

    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    const picked = workspaceFile('pulls/picked');
    await vscode.workspace.fs.createDirectory(picked);
    const result = await run('marketoWebhook.pullTokens', { program: '1089', folder: picked.toString() });
    assert.equal(result.ok, true, result.message);
    assert.ok(exists(workspaceFile('pulls/picked/program-1089.tokens.json')));
    assert.match(result.message, /To use them, set "test": \{ "tokens": "program-1089\.tokens\.json" \}/);
  });

  it('Pull Field Catalog writes the file the fieldsFile setting names', async () => {
    const config = vscode.workspace.getConfiguration('marketoWebhook');
    await config.update('fieldsFile', 'pulls/fields-from-setting.json', vscode.ConfigurationTarget.Global);
    try {
      const result = await run('marketoWebhook.pullFields');
      assert.equal(result.ok, true, result.message);
      assert.equal(result.file, workspaceFile('pulls/fields-from-setting.json').fsPath);
      assert.deepEqual((JSON.parse(read(workspaceFile('pulls/fields-from-setting.json'))) as { result: unknown }).result, FAKE_FIELDS);
    } finally {
      await config.update('fieldsFile', undefined, vscode.ConfigurationTarget.Global);
    }
  });

  it('a new connection gets a new client: the pulls go to the instance connected last', async () => {
    const other = await startFakeMarketo({ clientSecret: 'other-secret-77' });
    try {
      assert.equal((await connect(other.baseUrl, 'other-secret-77')).ok, true);
      const before = fake.requests.length;
      const result = await run('marketoWebhook.pullTokens', { program: '1089', folder: workspaceFile('pulls/picked').toString(), overwrite: 'Replace' });
      assert.equal(result.ok, true, result.message);
      assert.equal(fake.requests.length, before, 'the old instance was called');
      assert.deepEqual(other.restRequests().map((r) => r.path), ['/rest/v1/leads/describe.json', '/rest/asset/v1/folder/1089/tokens.json']);
    } finally {
      await other.close();
    }
    assert.equal((await connect(fake.baseUrl)).ok, true);
  });

  it('no log line, message or written file holds the client secret or an access token', async () => {
    const hidden = [...new Set([SECRET, ...echoedForms(SECRET), ...fake.tokensIssued])];
    const log = logFiles(api.logUri.fsPath).map((f) => readFileSync(f, 'utf8')).join('\n');
    const files = [fieldsFile, ...['lead-318592.lead.json', 'jane.doe.lead.json', 'program-1089.tokens.json'].map((n) => workspaceFile(`pulls/${n}`))].map(read).join('\n');
    const stored = JSON.stringify(api.workspaceState.keys().map((k) => api.workspaceState.get(k)));
    for (const [where, text] of [['the log', log], ['the messages', messages.join('\n')], ['the files', files], ['workspace state', stored]] as const) {
      for (const h of hidden) assert.ok(!text.includes(h), `${where} holds ${JSON.stringify(h)}`);
    }
    // Disconnect forgets it: the next pull asks to connect again.
    assert.match((await run('marketoWebhook.disconnectMarketo')).message, /Disconnected from Marketo/);
    assert.match((await run('marketoWebhook.pullFields', { connect: undefined })).message, /Not connected/);
  });
});
