// Run Against Lead List… from the command palette, as a user does it: the open dialog, the modal
// naming the real requests and the host, then the results in the run panel: the summary, the table
// sorted by a column header and filtered by category and text, a row opened in the run view and
// Back to the list. A hostile answer shows as text. Screenshot: lead-list-results.png.
import assert from 'node:assert/strict';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Page } from 'playwright-core';
import { clearNotifications, findCommand, pickTheme, quickOpen, webviewContent } from '../harness/browser';
import { workbenchSession } from './session';

declare const window: { parent: { __pwned?: number } };

const LEADS = [
  ['ada@example.com', 'Ada'], ['grace@example.com', 'Grace'], ['rate@example.com', 'Rita'], ['alan@example.com', 'Alan'],
  ['boom@example.com', 'Bob'], ['edsger@example.com', 'Edsger'], ['empty@example.com', 'Emma'], ['barbara@example.com', 'Barbara'],
  ['hostile@example.com', 'Mallory'], ['donald@example.com', 'Donald'], ['john@example.com', 'John'], ['frances@example.com', 'Frances'],
] as const;

const HOSTILE = '<img src=x onerror="window.parent.__pwned = 1">';
/** A spreadsheet formula in an answer: the export must write it as text. */
const FORMULA = '=HYPERLINK("http://evil.example","Donald")';

describe('lead list run', () => {
  let server: Server;
  let port = 0;
  let workspace = '';
  let requests = 0;
  /** answers held back (leads whose email starts with "hold"), and how many of them the client closed */
  const held: ServerResponse[] = [];
  let heldClosed = 0;
  const session = workbenchSession();

  before(async () => {
    server = createServer((req, res) => {
      let body = '';
      req.setEncoding('utf8');
      req.on('data', (c: string) => { body += c; });
      req.on('end', () => {
        requests++;
        const email = (JSON.parse(body || '{}') as { email?: string }).email ?? '';
        if (email.startsWith('rate')) { res.writeHead(429, 'Too Many Requests'); res.end('{"error":"slow down"}'); return; }
        if (email.startsWith('boom')) { res.writeHead(500, 'Internal Server Error'); res.end('oops'); return; }
        if (email.startsWith('empty')) { res.end(); return; }
        if (email.startsWith('hold')) {
          held.push(res);
          res.on('close', () => heldClosed++);
          return;
        }
        res.setHeader('Content-Type', 'application/json');
        const name = email.split('@')[0] ?? '';
        const company = email.startsWith('hostile') ? HOSTILE : email.startsWith('donald') ? FORMULA : `${name[0]?.toUpperCase() ?? ''}${name.slice(1)} Rockets`;
        res.end(JSON.stringify({ company, size: name.length * 50 }));
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.address() as AddressInfo).port;
    workspace = process.env.WORKSPACE ?? '';
    writeFileSync(join(workspace, 'list-demo.webhook.jsonc'), JSON.stringify({
      name: 'Enrich company',
      url: `http://127.0.0.1:${port}/enrich`,
      requestType: 'POST',
      template: '{"email": {{lead.Email Address}}}',
      requestTokenEncoding: 'JSON',
      headers: { 'Content-Type': 'application/json' },
      responseType: 'JSON',
      responseMappings: [{ responseAttribute: 'company', marketoField: 'Company' }, { responseAttribute: 'size', marketoField: 'NumberOfEmployees' }],
    }, null, 2));
    writeFileSync(join(workspace, 'customers.csv'), `Email Address,First Name\r\n${LEADS.map(([e, n]) => `${e},${n}`).join('\r\n')}\r\n`);
  });

  after(() => {
    for (const res of held.splice(0)) res.destroy();
    server?.closeAllConnections();
    server?.close();
  });

  /** Runs the open definition over a list of the workspace: the open dialog, then Send in the modal naming the requests. */
  async function runOverList(page: Page, file: string, leads: number): Promise<void> {
    const before = requests;
    // Not runCommand: it waits for the palette to close, and the open dialog that follows is the
    // same quick input widget, which may open again before the palette is seen closed.
    await (await findCommand(page, 'Marketo Webhook: Run Against Lead List…')).click();
    // The open dialog (code-server's simple dialog is a quick input) first writes the definition's
    // folder into the box, which tells it from the palette; then the list's path, and Enter.
    const input = page.locator('.quick-input-widget .quick-input-box input');
    let seen = '';
    for (let i = 0; i < 300; i++) {
      const shown = await input.isVisible() ? await input.inputValue().catch(() => '') : '';
      if (shown.includes(workspace)) break;
      seen = `the quick input ${shown ? `holds "${shown}"` : 'is closed'}; notifications: ${(await page.locator('.notification-toast').allInnerTexts()).join(' | ') || 'none'}`;
      await page.waitForTimeout(100);
    }
    if (!(await input.inputValue().catch(() => '')).includes(workspace)) assert.fail(`the list's open dialog did not open within 30 s: ${seen}`);
    await input.fill(join(workspace, file));
    await page.locator('.quick-input-widget .monaco-list-row', { hasText: file }).first().waitFor({ timeout: 30_000 });
    assert.equal(await input.inputValue(), join(workspace, file));
    await page.keyboard.press('Enter');
    // The modal names the real requests and the host; nothing is sent before Send.
    const dialog = page.locator('.monaco-dialog-box');
    await dialog.waitFor({ timeout: 30_000 });
    assert.match(await dialog.innerText(), new RegExp(`Send ${leads.toLocaleString('en-US')} real requests to 127\\.0\\.0\\.1:${port}\\?`));
    assert.equal(requests, before);
    await dialog.locator('.monaco-button', { hasText: 'Send' }).click();
  }

  it('asks first, then shows the list\'s results: summary, sort, filter, a lead\'s run and back', async () => {
    const { page } = session;
    await quickOpen(page, 'list-demo.webhook.jsonc');
    await runOverList(page, 'customers.csv', 12);

    const panel = webviewContent(page);
    const list = panel.locator('#lead-list-content');
    await list.locator('.list-progress').filter({ hasText: 'Done: 12 leads' }).waitFor({ timeout: 60_000 });
    assert.equal(requests, 12, 'one request per lead');
    const summary = await list.locator('table.facts').innerText();
    assert.match(summary, /By category\s+success: 9 · /);
    for (const part of ['client error: 1', 'server error: 1', 'Marketo code: 1']) assert.ok(summary.includes(part), part);
    assert.match(summary, /Fields written\s+Company: 9 · NumberOfEmployees: 9/);
    assert.match(summary, /Marketo would take/);
    const rows = list.locator('table.lead-table tbody tr');
    assert.equal(await rows.count(), 12);
    // The hostile answer is text, and ran nothing.
    assert.ok((await list.innerText()).includes(HOSTILE));
    assert.equal(await page.evaluate(() => window.parent.__pwned), undefined);

    // Sort by Code: a header button, aria-sort on its th; the keyboard works it too.
    const codeHeader = list.locator('table.lead-table th[scope="col"]', { hasText: /^Code/ });
    await codeHeader.locator('button').click();
    assert.equal(await codeHeader.getAttribute('aria-sort'), 'ascending');
    await codeHeader.locator('button').press('Enter');
    assert.equal(await codeHeader.getAttribute('aria-sort'), 'descending');
    assert.match(await rows.first().innerText(), /1001/);
    assert.equal(await list.locator('table.lead-table th[scope="col"]').first().getAttribute('aria-sort'), 'none');

    // Filter: by category, then by text.
    await list.locator('select[aria-label="Category"]').selectOption('client error');
    assert.equal(await rows.count(), 1);
    assert.match(await rows.first().innerText(), /rate@example\.com\s+429/);
    await list.locator('select[aria-label="Category"]').selectOption('');
    await list.locator('input.filter').fill('rockets');
    assert.equal(await rows.count(), 7);
    await list.locator('input.filter').fill('');

    // A row opens that lead's run; Back returns to the list as it was.
    await rows.filter({ hasText: 'rate@example.com' }).locator('button').click();
    await panel.locator('#summary-content').filter({ hasText: '429' }).waitFor({ timeout: 30_000 });
    assert.match(await panel.locator('#list-nav').innerText(), /Lead 3 \(rate@example\.com\) of the list run/);
    assert.equal(await list.isVisible(), false);
    await panel.locator('#back-to-list').click();
    await list.waitFor({ state: 'visible' });
    assert.equal(await codeHeader.getAttribute('aria-sort'), 'descending');
    assert.equal(await rows.count(), 12);

    // Export CSV: the host writes the file the save dialog names; a formula is written as text.
    const target = join(workspace, 'exported-leads.csv');
    await list.locator('button', { hasText: 'Export CSV' }).click();
    const input = page.locator('.quick-input-widget .quick-input-box input');
    await input.waitFor({ state: 'visible', timeout: 30_000 });
    for (let i = 0; i < 100 && !(await input.inputValue()).includes('list-demo.leads.csv'); i++) await page.waitForTimeout(100);
    await input.fill(target);
    await page.keyboard.press('Enter');
    for (let i = 0; i < 100 && !existsSync(target); i++) await page.waitForTimeout(100);
    const csv = readFileSync(target, 'utf8').split('\r\n');
    assert.equal(csv[0], 'Lead,Email or Id,Code,Category,Error Type,Company (mapped),NumberOfEmployees (mapped)');
    assert.equal(csv.length, 14, 'a header, 12 leads and the final line end');
    assert.equal(csv[3], '3,rate@example.com,429,client-error,Too Many Requests,,');
    assert.equal(csv[10], `10,donald@example.com,200,success,,"'=HYPERLINK(""http://evil.example"",""Donald"")",300`);

    await codeHeader.locator('button').click();
    await clearNotifications(page);
    await session.shot('lead-list-results');
  });

  it('is readable in the dark and both high contrast themes', async () => {
    const { page } = session;
    const list = webviewContent(page).locator('#lead-list-content');
    for (const [name, workbenchClass, shot] of [
      ['Dark Modern', 'vs-dark', 'lead-list-results-dark'], ['Dark High Contrast', 'hc-black', 'lead-list-results-hc-dark'], ['Light High Contrast', 'hc-light', 'lead-list-results-hc-light'],
    ] as const) {
      await pickTheme(page, name, workbenchClass);
      await list.locator('table.lead-table').waitFor();
      await page.waitForTimeout(300);
      await clearNotifications(page);
      await session.shot(shot);
    }
    await pickTheme(page, 'Light Modern', 'vs');
  });

  it('stops at the progress notification\'s Cancel: no new calls, the outstanding ones aborted', async () => {
    const { page } = session;
    const count = 60;
    writeFileSync(join(workspace, 'held-list.csv'), `Email Address,First Name\n${Array.from({ length: count }, (_, i) => `hold${i + 1}@example.com,Held ${i + 1}`).join('\n')}\n`);
    const before = requests;
    const closedBefore = heldClosed;
    await page.locator('.tabs-container .tab[data-resource-name="list-demo.webhook.jsonc"]').click();
    await page.locator('.monaco-editor.focused').waitFor();
    await runOverList(page, 'held-list.csv', count);
    // Marketo's cap: 20 calls outstanding, every one held by the service.
    for (let i = 0; i < 300 && requests - before < 20; i++) await page.waitForTimeout(100);
    assert.equal(requests - before, 20, 'twenty calls outstanding');
    // The progress notification, "Running list-demo.webhook.jsonc over held-list.csv", and its own Cancel.
    const toast = page.locator('.notification-toast', { hasText: 'over held-list.csv' });
    await toast.locator('.monaco-button', { hasText: 'Cancel' }).click();
    const list = webviewContent(page).locator('#lead-list-content');
    await list.locator('.list-progress').filter({ hasText: `Cancelled after 0 of ${count} leads` }).waitFor({ timeout: 30_000 });
    // The outstanding calls were aborted (the service saw their connections close), and no new one started.
    for (let i = 0; i < 100 && heldClosed - closedBefore < 20; i++) await page.waitForTimeout(100);
    assert.equal(heldClosed - closedBefore, 20, 'the outstanding calls were aborted');
    await page.waitForTimeout(500);
    assert.equal(requests - before, 20, 'no call after Cancel');
    await clearNotifications(page);
  });

  it('stays responsive with 10,000 leads: 100 rows in the DOM, sorting and filtering in well under a second', async () => {
    const { page } = session;
    const count = 10_000;
    writeFileSync(join(workspace, 'big-list.csv'), `Email Address,First Name\n${Array.from({ length: count }, (_, i) => `lead${i + 1}@example.com,Lead ${i + 1}`).join('\n')}\n`);
    const before = requests;
    // The palette offers the command for the definition's editor: focus it again (the panel had the focus).
    await page.locator('.tabs-container .tab[data-resource-name="list-demo.webhook.jsonc"]').click();
    await page.locator('.monaco-editor.focused').waitFor();
    const started = Date.now();
    await runOverList(page, 'big-list.csv', count);
    const list = webviewContent(page).locator('#lead-list-content');
    await list.locator('.list-progress').filter({ hasText: 'Done: 10,000 leads' }).waitFor({ timeout: 300_000 });
    const ranMs = Date.now() - started;
    assert.equal(requests - before, count, 'one request per lead');
    const rows = list.locator('table.lead-table tbody tr');
    assert.equal(await rows.count(), 100, 'one page of rows in the DOM');
    assert.match(await list.innerText(), /Leads 1–100 of 10,000/);

    const timed = async (act: () => Promise<void>): Promise<number> => {
      const t = Date.now();
      await act();
      return Date.now() - t;
    };
    const codeHeader = list.locator('table.lead-table th[scope="col"]', { hasText: /^Lead$/ });
    const sortMs = await timed(async () => {
      await codeHeader.locator('button').click();
      await list.locator('table.lead-table th[aria-sort="ascending"]', { hasText: /^Lead/ }).waitFor();
    });
    const filterMs = await timed(async () => {
      await list.locator('input.filter').fill('lead9999@');
      await list.getByText('Leads 1–1 of 1 (filtered from 10,000)').waitFor();
    });
    const pageMs = await timed(async () => {
      await list.locator('input.filter').fill('');
      await list.locator('.pager button', { hasText: 'Next' }).click();
      await list.getByText('Leads 101–200 of 10,000').waitFor();
    });
    console.log(`[lead list] 10,000 leads run and shown in ${ranMs} ms; sort ${sortMs} ms, filter ${filterMs} ms, next page ${pageMs} ms (each including Playwright's round trip)`);
    for (const [what, ms] of [['sort', sortMs], ['filter', filterMs], ['next page', pageMs]] as const) assert.ok(ms < 2_000, `${what} took ${ms} ms`);
  });
});
