// In a workspace that is not trusted, validation works but a run is refused with a reason.
// This file starts its own code-server with Workspace Trust on.
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { launchBrowser, openWorkbench, quickOpen, runCommand, type Browser } from '../harness/browser';
import { startCodeServer, type CodeServer } from '../harness/code-server';
import { SCREENSHOT_DIR } from '../harness/paths';
import { packagedVsix, workspaceCopy } from '../harness/run-ui-tests';

describe('restricted mode', () => {
  let server: CodeServer;
  let browser: Browser;
  const scratch = mkdtempSync(join(tmpdir(), 'mww-restricted-'));

  before(async () => {
    mkdirSync(SCREENSHOT_DIR, { recursive: true });
    server = await startCodeServer({ workspaceTrust: true, vsix: packagedVsix() });
    browser = await launchBrowser();
    await openWorkbench(browser.page, server.url, workspaceCopy(scratch));
  });

  after(async () => {
    await browser?.close();
    await server?.stop();
    rmSync(scratch, { recursive: true, force: true });
  });

  it('validates, but refuses to run and says why', async () => {
    const { page } = browser;
    await page.locator('.statusbar-item', { hasText: 'Restricted Mode' }).first().waitFor({ timeout: 30_000 });
    await quickOpen(page, 'malformed-token.webhook.jsonc');
    await page.locator('.monaco-editor .squiggly-error').first().waitFor({ timeout: 30_000 });
    await runCommand(page, 'Marketo Webhook: Run Against Sample Lead');
    const toast = page.locator('.notifications-toasts .notification-toast', { hasText: 'Running webhooks is off in Restricted Mode' });
    await toast.waitFor({ timeout: 30_000 });
    assert.match(await toast.innerText(), /Trust this workspace to run it/);
    await page.screenshot({ path: join(SCREENSHOT_DIR, 'restricted-mode.png') });
  });

  it('refuses to connect to Marketo or pull from it, and says why', async () => {
    const { page } = browser;
    await runCommand(page, 'Notifications: Clear All Notifications');
    await runCommand(page, 'Marketo Webhook: Connect to Marketo');
    await page.locator('.notifications-toasts .notification-toast', { hasText: 'Connecting to Marketo is off in Restricted Mode' }).waitFor({ timeout: 30_000 });
    await runCommand(page, 'Marketo Webhook: Pull Sample Lead…');
    const toast = page.locator('.notifications-toasts .notification-toast', { hasText: 'Pulling from Marketo is off in Restricted Mode' });
    await toast.waitFor({ timeout: 30_000 });
    assert.match(await toast.innerText(), /Trust this workspace to use it/);
    // No input box was opened: nothing was asked for, nothing sent.
    assert.equal(await page.locator('.quick-input-widget .quick-input-box input').isVisible(), false);
  });

  it('refuses a run over a lead list before asking for the list', async () => {
    const { page } = browser;
    await runCommand(page, 'Marketo Webhook: Run Against Lead List…');
    const toast = page.locator('.notifications-toasts .notification-toast', { hasText: 'Running webhooks over a lead list is off in Restricted Mode' });
    await toast.waitFor({ timeout: 30_000 });
    assert.match(await toast.innerText(), /each lead is a request/);
    // No open dialog was shown: the quick input (code-server's file dialog) stays closed.
    assert.equal(await page.locator('.quick-input-widget .quick-input-box input').isVisible(), false);
  });
});
