// Running from the command palette and reading what the panel shows: the code, a mapped value, the
// handling advice; a hostile response body appears as text and runs nothing; the keyboard reaches
// every action and section; the panel in light, dark and both high contrast themes (screenshots
// run-panel-{light,dark,hc-dark,hc-light}.png, with no notification over the panel).
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { FrameLocator, Page } from 'playwright-core';
import { clearNotifications, pickTheme, quickOpen, runCommand, webviewContent } from '../harness/browser';
import { workbenchSession } from './session';
import { PANEL_BODY_CHARS } from '../../src/engine/limits';
import { formatJson } from '../../src/extension/body-layout';
import { startOf } from '../../src/extension/panel-view';
import { FIRST_PAINT_CHARS } from '../../src/panel/protocol';

/** The page's own function, run inside the webview by evaluate() (the tests compile without DOM types). */
declare function getComputedStyle(element: unknown): { outlineStyle: string; borderTopStyle: string };

/** Runs the definition of the panel shown again (its *Run again*) and waits for the answer. */
async function runAgain(page: Page): Promise<FrameLocator> {
  const panel = webviewContent(page);
  await panel.locator('#run-again').click();
  await panel.locator('#summary-content').filter({ hasText: '200' }).waitFor({ timeout: 30_000 });
  await page.waitForTimeout(300);
  return panel;
}

/** What has the focus inside the panel: its id, else its accessible label, else its text. */
async function focusedIn(panel: FrameLocator): Promise<string> {
  return panel.locator(':focus').evaluate((node) => {
    const el = node as unknown as { id: string; textContent: string | null; getAttribute(name: string): string | null };
    return el.id || el.getAttribute('aria-label') || (el.textContent ?? '').trim();
  });
}

/** 325 K characters of JSON: longer than the panel shows (PANEL_BODY_CHARS), and that start is posted in two parts. */
const LONG_BODY = JSON.stringify({ company: { name: 'Acme Rockets', size: 250 }, items: Array.from({ length: 25_000 }, (_, i) => `item-${String(i).padStart(5, '0')}`) });

const HOSTILE = '<script>window.parent.__pwned = 1</script><img src=x onerror="window.parent.__pwned = 2"></table><b>bold</b>';

describe('run panel', () => {
  let server: Server;
  const session = workbenchSession();
  /** sends the rest of the /slow answer */
  let slowRest: (() => void) | undefined;

  before(async () => {
    server = createServer((req, res) => {
      if (req.url === '/assumptions') {
        res.setHeader('Content-Type', 'application/json');
        res.end(JSON.stringify({ company: { name: null, size: 2147483648 }, optOut: 'yes' }));
        return;
      }
      if (req.url === '/empty-phrase') {
        // `HTTP/1.1 404 `: no reason phrase on the status line
        res.writeHead(404, '', { 'Content-Type': 'text/plain' });
        res.end('no such lead');
        return;
      }
      if (req.url === '/slow') {
        // The start of a long answer now, the rest only when the test has seen the start.
        res.writeHead(200, { 'Content-Type': 'application/json' });
        res.write(`{"company":{"name":"Acme Rockets","size":250},"note":"slow-start-token","pad":"${'x'.repeat(20_000)}`);
        slowRest = () => res.end('","end":"slow-end-token"}');
        setTimeout(() => slowRest?.(), 60_000).unref();
        return;
      }
      if (req.url === '/long') {
        res.setHeader('Content-Type', 'application/json');
        res.end(LONG_BODY);
        return;
      }
      if (req.url === '/hostile') {
        res.setHeader('Content-Type', 'application/json');
        res.end(JSON.stringify({ company: { name: HOSTILE } }));
        return;
      }
      res.setHeader('Content-Type', 'application/json');
      res.end(JSON.stringify({ company: { name: 'Acme Rockets', size: 250 } }));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const workspace = process.env.WORKSPACE ?? '';
    const definition = (path: string) => JSON.stringify({
      name: `Panel ${path}`,
      url: `${origin}${path}`,
      template: '{"email": {{lead.Email Address}}}',
      requestTokenEncoding: 'JSON',
      headers: { 'Content-Type': 'application/json' },
      responseType: 'JSON',
      responseMappings: [{ responseAttribute: 'company.name', marketoField: 'Company' }, { responseAttribute: 'company.size', marketoField: 'NumberOfEmployees' }],
      test: { lead: { 'Email Address': 'ada@example.com' } },
    }, null, 2);
    writeFileSync(join(workspace, 'panel-ok.webhook.jsonc'), definition('/ok'));
    // The fragment is not sent (the route still matches), so the panel shows the URL as written beside it.
    writeFileSync(join(workspace, 'panel-hostile.webhook.jsonc'), definition('/hostile#<b>frag</b>'));
    writeFileSync(join(workspace, 'panel-empty-phrase.webhook.jsonc'), definition('/empty-phrase'));
    writeFileSync(join(workspace, 'panel-long.webhook.jsonc'), definition('/long'));
    writeFileSync(join(workspace, 'panel-slow.webhook.jsonc'), definition('/slow'));
    writeFileSync(join(workspace, 'panel-assumptions.webhook.jsonc'), JSON.stringify({
      ...JSON.parse(definition('/assumptions')) as object,
      responseMappings: [
        { responseAttribute: 'company.name', marketoField: 'Company' },
        { responseAttribute: 'company.size', marketoField: 'NumberOfEmployees' },
        { responseAttribute: 'optOut', marketoField: 'Unsubscribed' },
      ],
    }, null, 2));
  });

  after(() => {
    server?.closeAllConnections();
    server?.close();
  });

  it('runs from the command palette and shows the code, the mapped values and the handling', async () => {
    const { page } = session;
    await quickOpen(page, 'panel-ok.webhook.jsonc');
    await runCommand(page, 'Marketo Webhook: Run Against Sample Lead');
    const panel = webviewContent(page);
    const summary = panel.locator('#summary-content');
    await summary.filter({ hasText: '200' }).waitFor({ timeout: 30_000 });
    assert.match(await summary.innerText(), /success/i);
    const mappings = panel.locator('#mappings-content');
    assert.match(await mappings.innerText(), /Acme Rockets/);
    // Each field by its SOAP name and, from the catalog, its display name.
    assert.match(await mappings.innerText(), /NumberOfEmployees \(Num Employees\)/);
    assert.match(await panel.locator('#handling-content').innerText(), /Data Value Changes/);
    // The first screen, top down: the status line, the mapped fields, the next step.
    const top = async (id: string) => (await panel.locator(`#${id}`).boundingBox())?.y ?? NaN;
    assert.ok(await top('summary') < await top('mappings') && await top('mappings') < await top('next-step') && await top('next-step') < await top('response'));
    assert.match(await panel.locator('#next-step-content').innerText(), /Data Value Changes/);
    await clearNotifications(page);
    await session.shot('run-panel-light');
  });

  it('is readable in the dark theme too', async () => {
    const { page } = session;
    await pickTheme(page, 'Dark Modern', 'vs-dark');
    // The panel takes the theme's colours at once; run it again to see it whole.
    const panel = await runAgain(page);
    assert.match(await panel.locator('#panel-title').innerText(), /panel-ok/);
    await clearNotifications(page);
    await session.shot('run-panel-dark');
  });

  it('is readable in the high contrast themes, dark and light', async () => {
    const { page } = session;
    for (const [name, workbenchClass, shot] of [['Dark High Contrast', 'hc-black', 'run-panel-hc-dark'], ['Light High Contrast', 'hc-light', 'run-panel-hc-light']] as const) {
      await pickTheme(page, name, workbenchClass);
      const panel = await runAgain(page);
      // High contrast themes draw a border (contrastBorder) round the status line.
      const border = await panel.locator('ul.status-line').evaluate((el) => getComputedStyle(el).borderTopStyle);
      assert.equal(border, 'solid', name);
      await clearNotifications(page);
      await session.shot(shot);
    }
    await pickTheme(page, 'Light Modern', 'vs');
  });
  it('announces the status line, and is operable by keyboard, with the focus shown', async () => {
    const { page } = session;
    const panel = webviewContent(page);
    // The status line is a live region: a screen reader reads each new outcome.
    assert.equal(await panel.locator('#summary-content').getAttribute('role'), 'status');
    assert.ok(await panel.locator('section[aria-labelledby] > h2').count() >= 8, 'every section is a landmark named by its heading');

    await panel.locator('#run-again').focus();
    const order: string[] = [];
    for (let i = 0; i < 6; i++) {
      await page.keyboard.press('Tab');
      order.push(await focusedIn(panel));
    }
    // The actions, then the next step's link to the whole handling, then the response body.
    assert.deepEqual(order.slice(0, 3), ['copy-curl', 'open-response', 'save-result']);
    assert.match(order[3] ?? '', /^All 3 steps and the Error Type to match$/);
    assert.equal(order[4], 'Response body, formatted');
    assert.equal(order[5], 'Raw');
    // The focus is drawn (the theme's focus border), not only moved.
    assert.notEqual(await panel.locator(':focus').evaluate((el) => getComputedStyle(el).outlineStyle), 'none');

    // Enter on the raw body's summary opens it; on the link, the focus moves to the whole handling.
    await page.keyboard.press('Enter');
    assert.equal(await panel.locator('#response-content details.raw').evaluate((el) => (el as unknown as { open: boolean }).open), true);
    await panel.locator('#next-step-content button').focus();
    await page.keyboard.press('Enter');
    assert.equal(await focusedIn(panel), 'handling-heading');
    await page.keyboard.press('Tab');
    assert.equal(await focusedIn(panel), 'Copy recipe');
    // On through the sections to the history, whose runs are buttons.
    for (let i = 0; i < 10 && !(await focusedIn(panel)).startsWith('history') && (await panel.locator(':focus.history-item').count()) === 0; i++) {
      await page.keyboard.press('Tab');
    }
    assert.equal(await panel.locator(':focus.history-item').count(), 1, `the focus stopped at ${await focusedIn(panel)}`);
    // Back to the editors' group, where the next tests open their definitions (not beside the panel).
    await runCommand(page, 'View: Focus First Editor Group');
  });

  it('shows a hostile response body as text and executes nothing', async () => {
    const { page } = session;
    await quickOpen(page, 'panel-hostile.webhook.jsonc');
    await runCommand(page, 'Marketo Webhook: Run Against Sample Lead');
    const panel = webviewContent(page);
    const response = panel.locator('#response-content');
    await response.filter({ hasText: '<script>' }).waitFor({ timeout: 30_000 });
    const text = await response.innerText();
    assert.ok(text.includes('<img src=x onerror='), 'the markup is shown as text');
    assert.ok(text.includes('</table>'));
    // Nothing was parsed as markup: no img or b element, no script from the response.
    assert.equal(await panel.locator('img, b').count(), 0);
    assert.equal(await panel.locator('script', { hasText: '__pwned' }).count(), 0);
    assert.equal(await page.evaluate('window.__pwned'), undefined);
    assert.match(await panel.locator('#mappings-content').innerText(), /<script>/);
    // The URL as written, and why the URL sent differs, as text.
    const request = await panel.locator('#request-content').innerText();
    assert.ok(request.includes('/hostile#<b>frag</b>'), request);
    assert.match(request, /the fragment \(#…\) is never sent/);
    await session.shot('run-panel-hostile');
  });

  it('comes back after a window reload, with its last run', async () => {
    const { page } = session;
    await runCommand(page, 'Developer: Reload Window');
    await page.locator('.monaco-workbench').waitFor({ timeout: 60_000 });
    // The serializer revives the panel and posts the kept state again.
    const panel = webviewContent(page);
    await panel.locator('#summary-content').filter({ hasText: '200' }).waitFor({ timeout: 60_000 });
    assert.match(await panel.locator('#panel-title').innerText(), /^Run: panel-(ok|hostile)\.webhook\.jsonc$/);
    assert.ok((await panel.locator('#history-content button').count()) >= 1);
    await session.shot('run-panel-restored');
  });

  it('shows an empty reason phrase as empty, the standard phrase beside it', async () => {
    const { page } = session;
    await quickOpen(page, 'panel-empty-phrase.webhook.jsonc');
    await runCommand(page, 'Marketo Webhook: Run Against Sample Lead');
    const panel = webviewContent(page);
    const summary = panel.locator('#summary-content');
    await summary.filter({ hasText: '404' }).waitFor({ timeout: 30_000 });
    const text = await summary.innerText();
    assert.match(text, /Error Type\s+empty: the status line had no reason phrase \(standard phrase: Not Found\)/);
    assert.match(await panel.locator('#handling-content').innerText(), /match on Response instead/);
    assert.match(await panel.locator('#assumptions-content').innerText(), /no reason phrase/);
    await session.shot('run-panel-empty-phrase');
    await panel.locator('#handling-content').scrollIntoViewIfNeeded();
    await session.shot('run-panel-empty-phrase-handling');
  });

  it('lists the assumptions a run rests on, each opening the behaviour docs at its section', async () => {
    const { page } = session;
    await quickOpen(page, 'panel-assumptions.webhook.jsonc');
    await runCommand(page, 'Marketo Webhook: Run Against Sample Lead');
    const panel = webviewContent(page);
    const assumptions = panel.locator('#assumptions-content');
    await assumptions.filter({ hasText: 'yes/no' }).waitFor({ timeout: 30_000 });
    const items = assumptions.locator('li');
    assert.equal(await items.count(), 2);
    // In the order the mappings met them: company.name (null), then optOut ("yes").
    assert.match(await items.nth(0).innerText(), /^A JSON null is taken to clear the field.*Why: docs\/marketo-behaviour\.md#clearing-fields$/s);
    assert.match(await items.nth(1).innerText(), /^yes\/no, y\/n and 1\/0 .*Why: docs\/marketo-behaviour\.md#booleans$/s);
    const mappings = await panel.locator('#mappings-content').innerText();
    assert.match(mappings, /"yes" is written as true \(unverified/);
    assert.match(mappings, /outside the 32-bit range/);
    await assumptions.scrollIntoViewIfNeeded();
    await session.shot('run-panel-assumptions');
    await items.nth(1).locator('button.link').click();
    await page.locator('.tabs-container .tab', { hasText: 'Preview marketo-behaviour.md' }).waitFor({ timeout: 30_000 });
    // The preview's page (a frame of its own) shows the section, scrolled to it: in view, the page
    // moved. The preview renders first and scrolls after, so wait for the scroll, not the heading.
    const where = await waitForFrame<{ top: number; scrollY: number; height: number }>(page, `(() => {
      const heading = document.getElementById('booleans');
      if (!heading || window.scrollY === 0) return null;
      const top = heading.getBoundingClientRect().top;
      return { top, scrollY: window.scrollY, height: window.innerHeight };
    })()`);
    assert.ok(where.scrollY > 0 && where.top > -2 && where.top < where.height, JSON.stringify(where));
    await session.shot('run-panel-assumption-docs');
  });

  it('shows the start of a long answer first and the rest of what it shows after, nothing lost or doubled', async () => {
    const { page } = session;
    await quickOpen(page, 'panel-long.webhook.jsonc');
    await runCommand(page, 'Marketo Webhook: Run Against Sample Lead');
    const panel = webviewContent(page);
    const formatted = panel.locator('#response-content pre.code code').first();
    await formatted.filter({ hasText: 'Acme Rockets' }).waitFor({ timeout: 30_000 });
    // The laid-out start of the body, as the host makes it, once the rest has come and been written.
    const expected = formatJson(startOf(LONG_BODY, PANEL_BODY_CHARS));
    assert.ok(expected && expected.length > 2 * FIRST_PAINT_CHARS);
    const lastItem = /"item-\d{5}"(?![\s\S]*"item-\d{5}")/.exec(expected)?.[0] ?? '';
    await formatted.filter({ hasText: lastItem }).waitFor({ timeout: 30_000 });
    await panel.locator('#response-content pre.code[aria-busy="false"]').first().waitFor({ timeout: 30_000 });
    assert.equal(await formatted.evaluate((el) => (el as unknown as { textContent: string }).textContent), expected);
    // Written in slices, each a block of its own, which the browser lays out only when in view.
    assert.ok(await formatted.locator('.slice').count() > 2);
    assert.ok((await panel.locator('#response-content').innerText()).includes(`Showing the first ${PANEL_BODY_CHARS.toLocaleString('en-US')} of ${LONG_BODY.length.toLocaleString('en-US')} characters`));
    // The raw body, opened, is the same start as received.
    await panel.locator('#response-content details.raw > summary').click();
    const raw = panel.locator('#response-content details.raw code');
    await panel.locator('#response-content details.raw pre.code[aria-busy="false"]').waitFor({ timeout: 30_000 });
    assert.equal(await raw.evaluate((el) => (el as unknown as { textContent: string }).textContent), startOf(LONG_BODY, PANEL_BODY_CHARS));
    await runCommand(page, 'View: Focus First Editor Group');
  });


  it('shows the status line and the start of a long answer while the rest is still coming', async () => {
    const { page } = session;
    await quickOpen(page, 'panel-slow.webhook.jsonc');
    await runCommand(page, 'Marketo Webhook: Run Against Sample Lead');
    const panel = webviewContent(page);
    // Before the answer is complete: its status line and the start of its body, and what is to come.
    await panel.locator('#response-content').filter({ hasText: 'slow-start-token' }).waitFor({ timeout: 30_000 });
    const summary = panel.locator('#summary-content');
    assert.match(await summary.innerText(), /HTTP 200 OK received\. Reading the answer: .* so far/);
    assert.equal(await panel.locator('#response-content').filter({ hasText: 'slow-end-token' }).count(), 0);
    await session.shot('run-panel-answer-start');
    // The rest arrives: the outcome replaces it.
    slowRest?.();
    await summary.filter({ hasText: 'success' }).waitFor({ timeout: 30_000 });
    assert.match(await panel.locator('#mappings-content').innerText(), /Acme Rockets/);
    await runCommand(page, 'View: Focus First Editor Group');
  });
});

/** Polls every frame of the page (bounded: 30 s) until the expression `check`, run inside one, is not null. */
async function waitForFrame<T>(page: Page, check: string): Promise<T> {
  for (let attempt = 0; attempt < 150; attempt++) {
    for (const frame of page.frames()) {
      const found = await frame.evaluate(check).catch(() => undefined);
      if (found !== undefined && found !== null) return found as T;
    }
    await page.waitForTimeout(200);
  }
  throw new Error('no frame of the page showed what the test waits for');
}
