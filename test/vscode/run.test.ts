import * as assert from 'node:assert/strict';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import * as vscode from 'vscode';
import type { RunRecord } from '../../src/extension/run-records';
import { waitFor, workspaceFile } from './util';

interface Seen { method: string; url: string; headers: IncomingMessage['headers']; body: string }

describe('run command', () => {
  let server: Server;
  let origin = '';
  const seen: Seen[] = [];
  const aborted: string[] = [];
  /** answers of /hold not sent yet */
  const held: ServerResponse[] = [];
  const routes: Record<string, (req: IncomingMessage, res: ServerResponse) => void> = {
    '/enrich': (req, res) => {
      res.setHeader('Content-Type', 'application/json');
      res.end(JSON.stringify({ company: { name: 'Acme', size: 250 }, tech: ['Salesforce'], auth: req.headers.authorization }));
    },
    '/empty': (_req, res) => res.end(),
    '/rate': (_req, res) => { res.statusCode = 429; res.end('{"error":"slow down"}'); },
    '/boom': (_req, res) => { res.statusCode = 500; res.end('oops'); },
    // Answers only when the test lets it: a call under way for as long as the test needs.
    '/hold': (_req, res) => { held.push(res); },
    '/slow': (req, res) => {
      req.on('close', () => { if (!res.writableEnded) aborted.push(req.url ?? ''); });
      setTimeout(() => { if (!res.destroyed) res.end('late'); }, 5_000).unref();
    },
  };

  before(async () => {
    server = createServer((req, res) => {
      let body = '';
      req.setEncoding('utf8');
      req.on('data', (c: string) => { body += c; });
      req.on('end', () => {
        seen.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers, body });
        const route = routes[(req.url ?? '').split('?')[0] ?? ''];
        if (route) route(req, res);
        else { res.statusCode = 404; res.end(); }
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    await vscode.workspace.fs.writeFile(workspaceFile('run-ada.lead.json'), new TextEncoder().encode('{ "Email Address": "ada@example.com", "firstName": "Ada" }'));
  });

  after(() => {
    for (const res of held.splice(0)) res.destroy();
    server.closeAllConnections();
    server.close();
  });

  /** Writes a definition into the workspace and runs it through the command. */
  async function run(name: string, path: string, extra: Record<string, unknown> = {}): Promise<RunRecord | undefined> {
    const uri = workspaceFile(`${name}.webhook.jsonc`);
    const definition = {
      name: `Run ${name}`,
      url: `${origin}${path}`,
      template: '{"email": {{lead.Email Address}}}',
      requestTokenEncoding: 'JSON',
      headers: { 'Content-Type': 'application/json' },
      responseType: 'JSON',
      responseMappings: [
        { responseAttribute: 'company.name', marketoField: 'Company' },
        { responseAttribute: 'company.size', marketoField: 'NumberOfEmployees' },
        { responseAttribute: 'tech[0]', marketoField: 'Industry' },
      ],
      test: { lead: 'run-ada.lead.json' },
      ...extra,
    };
    await vscode.workspace.fs.writeFile(uri, new TextEncoder().encode(JSON.stringify(definition, null, 2)));
    return vscode.commands.executeCommand<RunRecord | undefined>('marketoWebhook.run', uri);
  }

  it('runs a 200 with mappings: the result that reaches the panel', async () => {
    const record = await run('run-ok', '/enrich');
    assert.ok(record);
    const { result } = record;
    assert.equal(seen.at(-1)?.body, '{"email": "ada@example.com"}');
    assert.deepEqual([result.classification?.code, result.classification?.category, result.classification?.mappingsApplied], [200, 'success', true]);
    assert.deepEqual(result.mappings.map((m) => [m.marketoField, m.status, m.value]), [['Company', 'applied', 'Acme'], ['NumberOfEmployees', 'applied', 250], ['Industry', 'applied', 'Salesforce']]);
    assert.match(result.handling?.summary ?? '', /success/i);
    assert.equal(record.lead, 'run-ada.lead.json');
  });

  it('reports 1001 for an empty 2xx body, with mappings skipped', async () => {
    const record = await run('run-empty', '/empty');
    assert.deepEqual([record?.result.classification?.code, record?.result.response?.status], [1001, 200]);
    assert.ok(record?.result.mappings.every((m) => m.status === 'skipped'));
  });

  it('reports 429 with the Error Type and a wait-and-retry recipe, and 500 as a server error', async () => {
    const rate = await run('run-rate', '/rate');
    assert.equal(rate?.result.classification?.code, 429);
    assert.equal(rate?.result.classification?.errorType, 'Too Many Requests');
    assert.ok(rate?.result.handling?.steps.some((s) => /Wait/.test(s) && /Call Webhook/.test(s)));
    const boom = await run('run-boom', '/boom');
    assert.deepEqual([boom?.result.classification?.code, boom?.result.classification?.category], [500, 'server-error']);
  });

  it('reports a timeout with a short test.timeoutMs as a network failure', async () => {
    const record = await run('run-timeout', '/slow', { test: { lead: 'run-ada.lead.json', timeoutMs: 300 } });
    assert.deepEqual([record?.result.classification?.code, record?.result.classification?.network, record?.result.response], [null, 'timeout', null]);
  });

  it('sends nothing for a batch campaign: 1000', async () => {
    const before = seen.length;
    const record = await run('run-batch', '/enrich', { test: { lead: 'run-ada.lead.json', campaign: 'batch' } });
    assert.equal(seen.length, before, 'the server received a request');
    assert.deepEqual([record?.result.classification?.code, record?.result.request?.sent], [1000, false]);
  });

  it('does not send a definition with errors', async () => {
    const before = seen.length;
    const record = await run('run-broken', '/enrich', { template: '{"email": "{{lead.Email Address}}"}' });
    assert.equal(seen.length, before);
    assert.equal(record?.result.classification, null);
    assert.ok(record?.result.diagnostics.some((d) => d.code === 'token-quoted-json'));
  });

  it('takes secrets from secret storage and masks them in the result', async () => {
    await vscode.commands.executeCommand('marketoWebhook.storeSecretFromFix', 'RUN_KEY', 'run-s3cret-value');
    const record = await run('run-secret', '/enrich', { headers: { 'Content-Type': 'application/json', Authorization: 'Bearer {{my.Key}}' }, test: { lead: 'run-ada.lead.json', tokens: { 'my.Key': { secret: 'RUN_KEY' } } } });
    assert.equal(seen.at(-1)?.headers.authorization, 'Bearer run-s3cret-value');
    assert.ok(!JSON.stringify(record).includes('run-s3cret-value'));
    assert.equal(record?.result.request?.headers.Authorization, 'Bearer ••••');
  });

  it('cancels: the HTTP call is aborted and nothing is recorded', async () => {
    const uri = workspaceFile('run-cancel.webhook.jsonc');
    const pending = run('run-cancel', '/slow');
    // Bounded wait for the request to arrive, then cancel it.
    for (let i = 0; i < 100 && !seen.some((s) => s.url === '/slow' && aborted.length === 0); i++) await new Promise((r) => setTimeout(r, 20));
    await new Promise((r) => setTimeout(r, 200));
    const cancelled = await vscode.commands.executeCommand<boolean>('marketoWebhook.cancelRun', uri);
    assert.equal(cancelled, true);
    const started = Date.now();
    assert.equal(await pending, undefined);
    assert.ok(Date.now() - started < 2_000);
    for (let i = 0; i < 50 && !aborted.includes('/slow'); i++) await new Promise((r) => setTimeout(r, 20));
    assert.ok(aborted.includes('/slow'), 'the server did not see the request aborted');
  });

  it('starts one run at a time per definition: a second click while one is under way sends nothing', async () => {
    // The file first, then two clicks at once.
    const uri = workspaceFile('run-twice.webhook.jsonc');
    await vscode.workspace.fs.writeFile(uri, new TextEncoder().encode(JSON.stringify({ name: 'Twice', url: `${origin}/slow`, test: { lead: 'run-ada.lead.json', timeoutMs: 1_500 } })));
    await vscode.workspace.openTextDocument(uri);
    const before = seen.filter((r) => r.url === '/slow').length;
    const [first, second] = await Promise.all([
      vscode.commands.executeCommand<RunRecord | undefined>('marketoWebhook.run', uri),
      vscode.commands.executeCommand<RunRecord | undefined>('marketoWebhook.run', uri),
    ]);
    assert.equal([first, second].filter((r) => r !== undefined).length, 1);
    assert.equal((first ?? second)?.result.classification?.network, 'timeout', JSON.stringify((first ?? second)?.result.classification));
    assert.equal(seen.filter((r) => r.url === '/slow').length - before, 1);
  });

  describe('one user action, at most one request', () => {
    const RUN = 'marketoWebhook.run';
    const calls = (url: string): number => seen.filter((r) => r.url === url).length;

    it('two runs fired at once, then Run again, the CodeLens, the title button and the palette while the call is under way: one request', async () => {
      const uri = workspaceFile('run-once.webhook.jsonc');
      await vscode.workspace.fs.writeFile(uri, new TextEncoder().encode(JSON.stringify({
        name: 'Send one SMS', url: `${origin}/hold`, requestType: 'POST', template: '{"to": {{lead.Email Address}}}', requestTokenEncoding: 'JSON',
        headers: { 'Content-Type': 'application/json' }, test: { lead: 'run-ada.lead.json', timeoutMs: 20_000 },
      })));
      const document = await vscode.workspace.openTextDocument(uri);
      await vscode.window.showTextDocument(document);
      const before = calls('/hold');
      // Two presses at once, neither awaited: only one may start.
      const first = vscode.commands.executeCommand<RunRecord | undefined>(RUN, uri);
      const second = vscode.commands.executeCommand<RunRecord | undefined>(RUN, uri);
      await waitFor('the request to arrive', () => (calls('/hold') > before ? true : undefined));

      // While it is under way, every other way to run it: the panel's Run again (the command
      // with the Uri the panel keeps, as a webview message brings it), the CodeLens, the
      // editor-title button and the palette (the active editor, no argument).
      const lens = ((await vscode.commands.executeCommand<vscode.CodeLens[] | undefined>('vscode.executeCodeLensProvider', uri)) ?? [])
        .find((l) => l.command?.command === RUN);
      assert.ok(lens?.command, 'no Run lens');
      const during = await Promise.all([
        vscode.commands.executeCommand<RunRecord | undefined>(RUN, vscode.Uri.parse(uri.toString())),
        vscode.commands.executeCommand<RunRecord | undefined>(lens.command.command, ...((lens.command.arguments ?? []) as unknown[])),
        vscode.commands.executeCommand<RunRecord | undefined>(RUN, uri),
        vscode.commands.executeCommand<RunRecord | undefined>(RUN),
      ]);
      assert.deepEqual(during, [undefined, undefined, undefined, undefined], 'a run started while one was under way');

      // Let the service answer; the one run finishes with it.
      const answer = await waitFor('the held answer', () => held.shift());
      answer.setHeader('Content-Type', 'application/json');
      answer.end('{"sent":true}');
      const records = (await Promise.all([first, second])).filter((r) => r !== undefined);
      assert.equal(records.length, 1);
      assert.equal(records[0]?.result.classification?.code, 200);
      assert.equal(calls('/hold') - before, 1, 'the service was called more than once');
    });

    it('a run waiting for a missing secret sends nothing, twice pressed or dismissed; with the secret, one request', async () => {
      const uri = workspaceFile('run-once-secret.webhook.jsonc');
      await vscode.workspace.fs.writeFile(uri, new TextEncoder().encode(JSON.stringify({
        name: 'Send one SMS with a key', url: `${origin}/enrich`, requestType: 'POST', template: '{"to": {{lead.Email Address}}}', requestTokenEncoding: 'JSON',
        headers: { 'Content-Type': 'application/json', Authorization: 'Bearer {{my.Key}}' },
        test: { lead: 'run-ada.lead.json', tokens: { 'my.Key': { secret: 'RUN_ONCE_KEY' } } },
      })));
      const before = calls('/enrich');
      let settled = false;
      const asking = Promise.resolve(vscode.commands.executeCommand<RunRecord | undefined>(RUN, uri)).finally(() => { settled = true; });
      // Pressed again while the secret is asked for: refused, nothing sent.
      assert.equal(await vscode.commands.executeCommand<RunRecord | undefined>(RUN, uri), undefined);
      // Dismiss the prompt (Escape), however long it takes to appear; bounded.
      for (let i = 0; i < 100 && !settled; i++) {
        await vscode.commands.executeCommand('workbench.action.closeQuickOpen');
        await new Promise((r) => setTimeout(r, 100));
      }
      assert.ok(settled, 'the run did not end after the secret prompt was dismissed');
      const dismissed = await asking;
      assert.equal(dismissed?.result.request ?? null, null);
      assert.equal(calls('/enrich') - before, 0, 'sent without its secret');

      await vscode.commands.executeCommand('marketoWebhook.storeSecretFromFix', 'RUN_ONCE_KEY', 'once-s3cret');
      const record = await vscode.commands.executeCommand<RunRecord | undefined>(RUN, uri);
      assert.equal(record?.result.classification?.code, 200);
      assert.equal(calls('/enrich') - before, 1);
    });
  });

  it('uses the defaultLead setting when the definition has no test.lead', async () => {
    await vscode.workspace.fs.writeFile(workspaceFile('run-grace.lead.json'), new TextEncoder().encode('{ "email": "grace@example.com" }'));
    const config = vscode.workspace.getConfiguration('marketoWebhook');
    await config.update('defaultLead', 'run-grace.lead.json', vscode.ConfigurationTarget.Global);
    try {
      const record = await run('run-default-lead', '/enrich', { test: {} });
      assert.equal(seen.at(-1)?.body, '{"email": "grace@example.com"}');
      assert.equal(record?.lead, 'run-grace.lead.json');
    } finally {
      await config.update('defaultLead', undefined, vscode.ConfigurationTarget.Global);
    }
  });
});
