// One chromium window on the workbench per UI test file: opened before its tests, closed after.
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { after, before } from 'node:test';
import type { Page } from 'playwright-core';
import { launchBrowser, openWorkbench, type Browser } from '../harness/browser';
import { SCREENSHOT_DIR } from '../harness/paths';

export interface Session {
  /** the workbench page (valid inside tests) */
  readonly page: Page;
  /** saves test-results/screenshots/<name>.png */
  shot(name: string): Promise<Buffer>;
}

/** Registers before/after hooks in the calling describe(); `beforeClose` runs before the window closes. */
export function workbenchSession(beforeClose?: (page: Page) => Promise<void>): Session {
  let browser: Browser | undefined;
  before(async () => {
    const url = process.env.CS_URL;
    const workspace = process.env.WORKSPACE;
    assert.ok(url && workspace, 'run through test/harness/run-ui-tests (CS_URL and WORKSPACE are not set)');
    mkdirSync(SCREENSHOT_DIR, { recursive: true });
    browser = await launchBrowser();
    await openWorkbench(browser.page, url, workspace);
  });
  after(async () => {
    if (browser && beforeClose) await beforeClose(browser.page).catch(() => undefined);
    await browser?.close();
  });
  return {
    get page() {
      assert.ok(browser, 'the workbench is not open yet');
      return browser.page;
    },
    shot(name: string) {
      assert.ok(browser, 'the workbench is not open yet');
      return browser.page.screenshot({ path: join(SCREENSHOT_DIR, `${name}.png`) });
    },
  };
}
