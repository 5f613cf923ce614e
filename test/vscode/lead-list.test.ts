// Run Against Lead List… in a real extension host, against a loopback service on 127.0.0.1 that
// counts every request: one per lead, none when the confirmation is declined or the list is not
// usable, none beyond the outstanding ones after a cancel, one list run per press. The panel's
// messages (what the host posts to the page) are read from a panel of the test's own.
import * as assert from 'node:assert/strict';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import * as vscode from 'vscode';
import { CatalogService } from '../../src/extension/catalog-service';
import type { TestApi } from '../../src/extension/extension';
import { hostOf } from '../../src/extension/lead-list-command';
import { LeadListRuns, ListRun } from '../../src/extension/lead-list-runs';
import { parsePanelRequest, RunPanels } from '../../src/extension/run-panel';
import type { Services } from '../../src/extension/services';
import { leadListRow } from '../../src/engine/lead-list/lead-rows';
import type { LeadListSummaryDocument } from '../../src/engine/lead-list/summary';
import { LIST_RUNS_KEPT } from '../../src/engine/limits';
import type { RunResult } from '../../src/engine/types';
import type { HostMessage } from '../../src/panel/protocol';
import { bundleLoaded, EXTENSION_ID, waitFor, workspaceFile } from './util';

const RUN_LIST = 'marketoWebhook.runLeadList';
const CANCEL_LIST = 'marketoWebhook.cancelLeadList';

interface Seen { url: string; body: string; auth: string | undefined }

describe('lead list run', () => {
  let server: Server;
  let origin = '';
  let api: TestApi;
  const seen: Seen[] = [];
  const held: ServerResponse[] = [];
  /** requests whose connection closed before they were answered */
  let aborted = 0;
  /** what the confirmation was asked, and the answer the next one gets */
  const asked: string[] = [];
  let answer = true;

  before(async () => {
    server = createServer((req: IncomingMessage, res: ServerResponse) => {
      let body = '';
      req.setEncoding('utf8');
      req.on('data', (c: string) => { body += c; });
      req.on('end', () => {
        seen.push({ url: req.url ?? '', body, auth: req.headers.authorization });
        if ((req.url ?? '').startsWith('/hold')) {
          res.on('close', () => { if (!res.writableEnded) aborted++; });
          held.push(res);
          return;
        }
        res.setHeader('Content-Type', 'application/json');
        const email = (JSON.parse(body || '{}') as { email?: string }).email ?? '';
        // A hostile answer for one lead: markup and a formula, which the panel shows as text.
        res.end(JSON.stringify({ company: email.startsWith('b') ? '<img src=x onerror=alert(1)>' : `=Co ${email}`, size: email.startsWith('c') ? 'many' : 10 }));
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const extension = vscode.extensions.getExtension<TestApi>(EXTENSION_ID);
    assert.ok(extension);
    api = extension.isActive ? extension.exports : await extension.activate();
    api.answerListConfirmation((message) => {
      asked.push(message);
      return Promise.resolve(answer);
    });
  });

  after(() => {
    api.answerListConfirmation(undefined);
    for (const res of held.splice(0)) res.destroy();
    server.closeAllConnections();
    server.close();
  });

  beforeEach(() => {
    asked.length = 0;
    answer = true;
  });

  async function write(name: string, text: string): Promise<vscode.Uri> {
    const uri = workspaceFile(name);
    await vscode.workspace.fs.writeFile(uri, new TextEncoder().encode(text));
    return uri;
  }

  async function definition(name: string, path: string, extra: Record<string, unknown> = {}): Promise<vscode.Uri> {
    return write(`${name}.webhook.jsonc`, JSON.stringify({
      name: `List ${name}`,
      url: `${origin}${path}`,
      requestType: 'POST',
      template: '{"email": {{lead.Email Address}}}',
      requestTokenEncoding: 'JSON',
      headers: { 'Content-Type': 'application/json' },
      responseType: 'JSON',
      responseMappings: [
        { responseAttribute: 'company', marketoField: 'Company' },
        { responseAttribute: 'size', marketoField: 'NumberOfEmployees' },
      ],
      ...extra,
    }, null, 2));
  }

  function csvOf(count: number): string {
    const rows = Array.from({ length: count }, (_, i) => `lead${i + 1}@example.com,Lead ${i + 1}`);
    return `Email Address,First Name\n${rows.join('\n')}\n`;
  }

  const calls = (prefix: string): Seen[] => seen.filter((s) => s.url.startsWith(prefix));

  it('asks first, naming the real requests and the host, then calls the service exactly once per lead', async () => {
    const def = await definition('list-ok', '/ok');
    const list = await write('list-three.csv', 'Email Address,First Name\r\na@example.com,Ada\r\n"b@example.com","Bo, ""B"""\r\nc@example.com,Cy\r\n');
    const before = calls('/ok').length;
    const summary = await vscode.commands.executeCommand<LeadListSummaryDocument | undefined>(RUN_LIST, def, list);
    assert.deepEqual(asked, [`Send 3 real requests to 127.0.0.1:${(server.address() as AddressInfo).port}?`]);
    const sent = calls('/ok').slice(before);
    assert.equal(sent.length, 3);
    assert.deepEqual(sent.map((s) => s.body).sort(), ['{"email": "a@example.com"}', '{"email": "b@example.com"}', '{"email": "c@example.com"}']);
    assert.ok(summary);
    assert.deepEqual([summary.leads, summary.completed, summary.cancelled, summary.byCategory, summary.byCode], [3, 3, false, { success: 3 }, { 200: 3 }]);
    assert.deepEqual(summary.mappingsWritten, { Company: 3, NumberOfEmployees: 2 });
    assert.equal(summary.valuesRefused.NumberOfEmployees?.count, 1);
    // What ran is the bundle of its own, loaded for the first list run (activation.test.ts: not before).
    assert.equal(bundleLoaded('lead-list-command.js'), true);
  });

  it('declined: not one request', async () => {
    const def = await definition('list-declined', '/declined');
    const list = await write('list-declined.csv', csvOf(30));
    answer = false;
    assert.equal(await vscode.commands.executeCommand(RUN_LIST, def, list), undefined);
    assert.deepEqual(asked, [`Send 30 real requests to 127.0.0.1:${(server.address() as AddressInfo).port}?`]);
    assert.equal(calls('/declined').length, 0);
  });

  it('a malformed, empty or missing list, or a definition with errors: a message, no confirmation, no request', async () => {
    const def = await definition('list-bad', '/bad');
    const lists = [
      await write('list-unclosed.csv', 'Email Address,First Name\na@example.com,"Ada\n'),
      await write('list-ragged.csv', 'Email Address,First Name\na@example.com\n'),
      await write('list-empty.csv', 'Email Address,First Name\n'),
      await write('list-nothing.json', '[]'),
      await write('list-object.json', '{"success": false, "errors": [{"code": "601"}]}'),
      workspaceFile('list-missing.csv'),
    ];
    for (const list of lists) assert.equal(await vscode.commands.executeCommand(RUN_LIST, def, list), undefined, list.path);
    const broken = await definition('list-broken', '/bad', { template: '{"email": "{{lead.Email Address}}"}' });
    assert.equal(await vscode.commands.executeCommand(RUN_LIST, broken, lists[2]), undefined);
    assert.deepEqual(asked, []);
    assert.equal(calls('/bad').length, 0);
  });

  it('reads a JSON list (a Get Leads response) and takes secrets from secret storage', async () => {
    await vscode.commands.executeCommand('marketoWebhook.storeSecretFromFix', 'LIST_KEY', 'list-s3cret-value');
    const def = await definition('list-secret', '/ok-secret', { headers: { 'Content-Type': 'application/json', Authorization: 'Bearer {{my.Key}}' }, test: { tokens: { 'my.Key': { secret: 'LIST_KEY' } } } });
    const list = await write('list-get-leads.json', JSON.stringify({ success: true, result: [{ id: 1, email: 'a@example.com' }, { id: 2, email: 'b@example.com' }] }));
    const summary = await vscode.commands.executeCommand<LeadListSummaryDocument | undefined>(RUN_LIST, def, list);
    assert.equal(summary?.completed, 2);
    assert.deepEqual(calls('/ok-secret').map((s) => s.auth), ['Bearer list-s3cret-value', 'Bearer list-s3cret-value']);
  });

  it('at most 20 calls outstanding; a second press is refused; cancel aborts the outstanding calls and starts no more', async () => {
    const def = await definition('list-hold', '/hold', { test: { timeoutMs: 20_000 } });
    const list = await write('list-hold.csv', csvOf(60));
    const running = vscode.commands.executeCommand<LeadListSummaryDocument | undefined>(RUN_LIST, def, list);
    await waitFor('20 calls outstanding', () => (calls('/hold').length >= 20 ? true : undefined));
    await new Promise((r) => setTimeout(r, 300));
    assert.equal(calls('/hold').length, 20, 'more than 20 calls outstanding');
    // Pressed again while it runs: refused, nothing more sent, no second confirmation.
    assert.equal(await vscode.commands.executeCommand(RUN_LIST, def, list), undefined);
    assert.equal(asked.length, 1);
    // Two leads answer; two more calls take their place.
    for (const res of held.splice(0, 2)) res.end('{}');
    await waitFor('the next two calls', () => (calls('/hold').length === 22 ? true : undefined));
    assert.equal(await vscode.commands.executeCommand<boolean>(CANCEL_LIST, def), true);
    const summary = await running;
    assert.ok(summary);
    assert.deepEqual([summary.cancelled, summary.completed, summary.leads], [true, 2, 60]);
    await waitFor('the outstanding calls aborted', () => (aborted >= 20 ? true : undefined), 5_000);
    await new Promise((r) => setTimeout(r, 300));
    assert.equal(calls('/hold').length, 22, 'a call started after the cancel');
    assert.equal(await vscode.commands.executeCommand<boolean>(CANCEL_LIST, def), false, 'nothing left to cancel');
  });

  it('says where the calls go: the host of the URL as written', () => {
    assert.equal(hostOf('https://api.example.com/v1/x?y=1'), 'api.example.com');
    assert.equal(hostOf('https://user:pw@api.example.com:8443/x'), 'api.example.com:8443');
    assert.equal(hostOf('https://{{my.Host}}/x'), '{{my.Host}}');
  });
});

describe('lead list run: what the panel is sent', () => {
  let panels: RunPanels;
  let catalogs: CatalogService;
  let lists: LeadListRuns;
  let panel: vscode.WebviewPanel;
  const posted: HostMessage[] = [];
  const definition = workspaceFile('good.webhook.jsonc');

  function result(place: number): RunResult {
    const body = `{"company": "<b>Co ${place}</b>", "pad": "${'x'.repeat(40_000)}"}`;
    return {
      definition: { name: 'Good', file: definition.fsPath },
      request: { method: 'POST', url: 'https://api.example.com/x', headers: {}, body: '{}', sent: true },
      response: { status: 200, statusText: 'OK', headers: { 'content-type': 'application/json' }, body, bytes: body.length, truncated: false, durationMs: 5 },
      classification: { code: 200, category: 'success', errorType: null, standardPhrase: null, title: '200 OK', network: null, mappingsApplied: true },
      mappings: [{ responseAttribute: 'company', marketoField: 'Company', status: 'applied', value: `<b>Co ${place}</b>`, reason: null, note: null }],
      handling: { summary: 's', steps: [] },
      assumptions: [],
      diagnostics: [],
    };
  }

  before(async () => {
    const log = { info: () => undefined, warn: () => undefined, error: () => undefined } as unknown as vscode.LogOutputChannel;
    catalogs = new CatalogService(log);
    lists = new LeadListRuns();
    const extension = vscode.extensions.getExtension(EXTENSION_ID);
    assert.ok(extension);
    panels = new RunPanels({ extensionUri: extension.extensionUri } as vscode.ExtensionContext, { catalogs, log } as unknown as Services, {
      state: (d) => ({ definition: d.toString(), fileName: 'good.webhook.jsonc', running: false, history: [] }),
      record: () => undefined,
    }, lists);
    panel = vscode.window.createWebviewPanel(RunPanels.viewType, 'list', { viewColumn: vscode.ViewColumn.Beside, preserveFocus: true }, {});
    await panels.deserializeWebviewPanel(panel, { definition: definition.toString() });
    // The real webview's postMessage, watched: what the page would receive.
    const original = panel.webview.postMessage.bind(panel.webview);
    panel.webview.postMessage = (message: unknown) => {
      posted.push(message as HostMessage);
      return original(message);
    };
  });

  after(() => {
    panels.dispose();
    catalogs.dispose();
  });

  it('posts the list, then only the new rows, in batches, with the summary; keeps only the newest runs whole', () => {
    const total = 2_600;
    const run = new ListRun('L1', 'big.csv', 'api.example.com', total, ['Company']);
    lists.set(definition.toString(), run);
    for (let i = 1; i <= 2_500; i++) run.add(leadListRow(i, { email: `l${i}@example.com` }, result(i), 1), result(i));
    posted.length = 0;
    panels.showList(definition);
    const state = posted.find((m) => m.type === 'state');
    assert.equal(state?.type === 'state' ? state.view.list?.mode : undefined, 'list');
    const head = posted.find((m) => m.type === 'list');
    assert.deepEqual(head?.type === 'list' ? head.list : undefined, { id: 'L1', file: 'big.csv', host: 'api.example.com', total, fields: ['Company'] });
    const batches = posted.filter((m) => m.type === 'listRows');
    assert.deepEqual(batches.map((m) => (m.type === 'listRows' ? m.rows.length : -1)), [2_000, 500]);
    const first = batches[0]?.type === 'listRows' ? batches[0].rows[0] : undefined;
    assert.deepEqual(first, { lead: 1, label: 'l1@example.com', code: '200', category: 'success', badge: 'success', errorType: null, values: [{ text: '<b>Co 1</b>', written: true }] });

    // More leads: only those are posted.
    for (let i = 2_501; i <= total; i++) run.add(leadListRow(i, {}, result(i), 1), result(i));
    run.running = false;
    posted.length = 0;
    panels.listProgress(definition);
    assert.deepEqual(posted.map((m) => [m.type, m.type === 'listRows' ? m.rows.length : 0]), [['listRows', 100]]);

    // Only the newest LIST_RUNS_KEPT runs are kept, each body cut.
    assert.equal(run.record(1), undefined);
    const kept = run.record(total);
    assert.ok(kept && (kept.result.response?.body.length ?? 0) < 20_000 && kept.storedBodyChars?.total);
    assert.ok(run.record(total - LIST_RUNS_KEPT + 1));
  });

  it('checks what the page asks: a lead of this list only, as a whole number', () => {
    assert.deepEqual(parsePanelRequest({ type: 'openLead', id: 'L1', lead: 3 }), { type: 'openLead', id: 'L1', lead: 3 });
    for (const forged of [{ type: 'openLead', id: 'L1', lead: '3' }, { type: 'openLead', id: 'L1', lead: 1.5 }, { type: 'openLead', id: 'L1', lead: 0 }, { type: 'openLead', lead: 3 }, { type: 'exportCsv' }, { type: 'exportCsv', id: 'x'.repeat(300) }]) {
      assert.equal(parsePanelRequest(forged), undefined, JSON.stringify(forged));
    }
    assert.deepEqual(parsePanelRequest({ type: 'showList', extra: 1 }), { type: 'showList' });
    assert.deepEqual(parsePanelRequest({ type: 'cancelList', id: 'L1' }), { type: 'cancelList', id: 'L1' });
    assert.equal(parsePanelRequest({ type: 'cancelList' }), undefined);
  });
});
