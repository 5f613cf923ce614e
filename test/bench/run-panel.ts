// Run-to-panel benchmark of `npm run bench -- editor` (bench/editor.mjs spawns this file compiled,
// with MWW_BENCH_URL, the origin of its loopback server). The packaged .vsix installed in
// code-server as a user installs it, the workbench in headless chromium, a definition in a temp
// folder that posts to `${MWW_BENCH_URL}/run`; each answer carries the server's request counter as
// the token `run-<n>-done`. Each run is triggered by one click on the definition's "Run against
// sample lead" CodeLens and is over when the run panel's webview shows that run's token.
//
// Both ends are stamped inside the browser as performance.timeOrigin + performance.now() (a
// high-resolution clock that frames share): the start by a capture-phase pointerdown listener in
// the workbench page (the lens runs its command on mouse-down), the end by a MutationObserver from
// the webview's host frame (installed with addInitScript, so it is there for the first run's new
// panel too) at the DOM update that puts the token in the Response section. Playwright's own wait
// (which polls, and so comes late) only says when to read them; its time is kept as a cross-check
// and must bracket the stamped span.
//
// Then a second definition, whose answer is a 10 MB JSON body (just under the engine's size limit)
// posted to `${MWW_BENCH_URL}/big`, its token `big-<n>-done` at the start of the body: each of
// BIG_RUNS clicks is over when the token is in the panel's DOM, the first paint of the body (the
// page writes a long body in slices; the first slice holds the token).
//
// Prints one JSON line on stdout: { runs: RunSample[], bigRuns: RunSample[] }. Logs go to stderr; the screenshot of the
// panel after the last run goes to test-results/screenshots/bench-run-panel.png.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Locator, Page } from 'playwright-core';
import { launchBrowser, openWorkbench, quickOpen, webviewContent } from '../harness/browser';
import { extensionHostLogTail, startCodeServer, tailOf } from '../harness/code-server';
import { ensureCodeServer, SetupError } from '../harness/install-code-server';
import { SCREENSHOT_DIR } from '../harness/paths';
import { packagedVsix } from '../harness/run-ui-tests';

const RUNS = Number(process.env.MWW_BENCH_RUNS ?? 10);
const BIG_RUNS = Number(process.env.MWW_BENCH_BIG_RUNS ?? 5);
const BIG_FILE = 'bench-big.webhook.jsonc';
const RUN_TIMEOUT_MS = 30_000;
const FILE = 'bench.webhook.jsonc';
const LENS = 'Run against sample lead';

export interface RunSample {
  /** click in the workbench → the token in the panel's DOM, both stamped in the browser */
  ms: number;
  /** the same span as the bench process saw it: before the click → Playwright saw the token */
  playwrightMs: number;
}

function log(message: string): void {
  process.stderr.write(`[bench:run-panel] ${message}\n`);
}

/**
 * Runs in every frame; does its work in the webview's host frame (pre/index.html). VS Code loads
 * the panel's page by creating an inner frame on fake.html and, at its DOMContentLoaded, rewriting
 * it with document.open()/write(): a script inside would not survive that, but a MutationObserver
 * from the host frame on that Document does. It records, for each `run-<n>-done` token, when it
 * first appeared in the page's #response-content.
 */
const OBSERVER = `(() => {
  if (!/\\/webview\\/browser\\/pre\\/index(-no-csp)?\\.html$/.test(location.pathname) || window.__benchSeen) return;
  const seen = (window.__benchSeen = {});
  const watch = (doc) => {
    const scan = () => {
      const box = doc.getElementById('response-content');
      if (!box) return;
      for (const m of box.textContent.slice(0, 4096).matchAll(/(run|big)-\\d+-done/g)) if (!(m[0] in seen)) seen[m[0]] = performance.timeOrigin + performance.now();
    };
    new MutationObserver(scan).observe(doc, { childList: true, subtree: true, characterData: true });
  };
  new MutationObserver((records) => {
    for (const record of records) {
      for (const node of record.addedNodes) {
        if (node.nodeName !== 'IFRAME' || node.__benchHooked) continue;
        node.__benchHooked = true;
        node.contentWindow.addEventListener('DOMContentLoaded', (event) => watch(event.target));
      }
    }
  }).observe(document, { childList: true, subtree: true });
})();`;

/**
 * When the workbench saw each press (pointerdown, capture phase: the first event of a click, before
 * the editor acts on it; the CodeLens runs its command on the editor's mouse-down).
 */
const CLICK_LISTENER = `(() => {
  window.__benchPresses = [];
  document.addEventListener('pointerdown', () => window.__benchPresses.push(performance.timeOrigin + performance.now()), true);
})();`;

async function seenAt(page: Page, token: string): Promise<number | undefined> {
  for (const frame of page.frames()) {
    const at = await frame.evaluate(`window.__benchSeen && window.__benchSeen[${JSON.stringify(token)}]`).catch(() => undefined);
    if (typeof at === 'number') return at;
  }
  return undefined;
}

async function main(): Promise<void> {
  const origin = process.env.MWW_BENCH_URL;
  if (!origin) throw new Error('MWW_BENCH_URL is not set: run this through bench/editor.mjs');
  ensureCodeServer(log);
  const vsix = packagedVsix();
  const scratch = mkdtempSync(join(tmpdir(), 'mww-bench-'));
  const workspace = join(scratch, 'workspace');
  mkdirSync(workspace);
  const definition = (name: string, path: string): string => `${JSON.stringify({
    name,
    url: `${origin}${path}`,
    template: '{"email": {{lead.Email Address}}}',
    requestTokenEncoding: 'JSON',
    headers: { 'Content-Type': 'application/json' },
    responseType: 'JSON',
    responseMappings: [{ responseAttribute: 'company.name', marketoField: 'Company' }],
    test: { lead: { 'Email Address': 'ada@example.com' } },
  }, null, 2)}\n`;
  writeFileSync(join(workspace, FILE), definition('Bench run', '/run'));
  writeFileSync(join(workspace, BIG_FILE), definition('Bench 10 MB answer', '/big'));
  const server = await startCodeServer({ vsix });
  const browser = await launchBrowser();
  const { page } = browser;
  try {
    await browser.context.addInitScript(OBSERVER);
    await openWorkbench(page, server.url, workspace);
    await quickOpen(page, FILE);
    // The lens appears once the extension is active and has registered the run command.
    const lens = page.locator('.monaco-editor .codelens-decoration a', { hasText: LENS }).first();
    await lens.waitFor({ timeout: 60_000 });
    await page.evaluate(CLICK_LISTENER);
    const runs = await clickRuns(page, lens, 'run', RUNS, 0);
    // The 10 MB answer, from its own definition (its own panel, a tab beside the first).
    await quickOpen(page, BIG_FILE);
    const bigLens = page.locator('.monaco-editor .codelens-decoration a', { hasText: LENS }).first();
    await bigLens.waitFor({ timeout: 60_000 });
    const bigRuns = await clickRuns(page, bigLens, 'big', BIG_RUNS, RUNS);
    // The screenshot shows the 10 MB answer's first screen, once the run's notification has gone.
    await page.locator('.notification-toast').first().waitFor({ state: 'hidden', timeout: 5000 }).catch(() => undefined);
    mkdirSync(SCREENSHOT_DIR, { recursive: true });
    await page.screenshot({ path: join(SCREENSHOT_DIR, 'bench-run-panel-10mb.png') });
    process.stdout.write(`${JSON.stringify({ runs, bigRuns })}\n`);
  } catch (error) {
    await page.screenshot({ path: join(SCREENSHOT_DIR, 'bench-run-panel-failed.png') }).catch(() => undefined);
    const detail = `--- extension host log ---\n${extensionHostLogTail(server.userDataDir, 20)}\n--- code-server log ---\n${tailOf(server.logFile, 10)}`;
    throw new Error(`${error instanceof Error ? error.message : String(error)}\n${detail}`, { cause: error });
  } finally {
    await browser.close();
    await server.stop();
    rmSync(scratch, { recursive: true, force: true });
  }
}

/**
 * Clicks `lens` `count` times; each run is over when the panel shows the token `<kind>-<n>-done`.
 * `pressesBefore`: the presses the workbench saw before these runs.
 */
async function clickRuns(page: Page, lens: Locator, kind: 'run' | 'big', count: number, pressesBefore: number): Promise<RunSample[]> {
  const runs: RunSample[] = [];
  for (let i = 1; i <= count; i++) {
    const token = `${kind}-${i}-done`;
    // The panel opens beside the editor after the first run, which moves the lens: find it each time.
    // The lens is drawn again when the catalog or diagnostics change: look again if it was between.
    let box = null;
    for (let tries = 0; !box && tries < 20; tries++) {
      await lens.waitFor({ state: 'visible', timeout: 10_000 });
      box = await lens.boundingBox();
      if (!box) await page.waitForTimeout(100);
    }
    if (!box) throw new Error(`${token}: the "${LENS}" CodeLens is not visible`);
    const before = Date.now();
    await page.mouse.click(box.x + box.width / 2, box.y + box.height / 2);
    await webviewContent(page).locator('#response-content').filter({ hasText: token }).waitFor({ timeout: RUN_TIMEOUT_MS });
    const playwrightMs = Date.now() - before;
    const clicks = await page.evaluate<number[]>('window.__benchPresses');
    const clickedAt = clicks.at(-1);
    const shownAt = await seenAt(page, token);
    if (clicks.length !== pressesBefore + i || clickedAt === undefined) throw new Error(`${token}: the workbench saw ${clicks.length} presses, not ${pressesBefore + i}`);
    if (shownAt === undefined && process.env.MWW_BENCH_DEBUG) {
      for (const f of page.frames()) log(`frame ${f.url().slice(0, 150)} ${String(await f.evaluate('typeof window.__benchSeen + JSON.stringify(window.__benchSeen || null) + document.readyState').catch((e: unknown) => String(e).slice(0, 100)))}`);
    }
    if (shownAt === undefined) throw new Error(`${token}: the panel showed ${token} but its frame did not record when`);
    if (!(shownAt > clickedAt && shownAt - clickedAt <= playwrightMs + 1)) {
      throw new Error(`${token}: the stamps (${(shownAt - clickedAt).toFixed(1)} ms) do not fit inside what Playwright saw (${playwrightMs} ms)`);
    }
    runs.push({ ms: shownAt - clickedAt, playwrightMs });
    log(`run ${i}/${count}: ${(shownAt - clickedAt).toFixed(1)} ms (Playwright saw it after ${playwrightMs} ms)`);
    // The first paint of a long answer comes before the run is over: the next click waits for the
    // outcome (the page's "Running…" line gone), then for the notification and the panel to settle.
    await webviewContent(page).locator('#running').waitFor({ state: 'hidden', timeout: RUN_TIMEOUT_MS });
    await page.waitForTimeout(400);
  }
  // The screenshot shows the last small run's token in the panel's Response section, once the
  // run's progress notification (which VS Code keeps up a moment after the run) has gone.
  if (kind === 'run') {
    await page.locator('.notification-toast').first().waitFor({ state: 'hidden', timeout: 5000 }).catch(() => undefined);
    const response = webviewContent(page).locator('#response-content');
    await response.locator(`text=run-${count}-done`).first().scrollIntoViewIfNeeded({ timeout: 5000 }).catch(() => response.scrollIntoViewIfNeeded());
    mkdirSync(SCREENSHOT_DIR, { recursive: true });
    await page.screenshot({ path: join(SCREENSHOT_DIR, 'bench-run-panel.png') });
  }
  return runs;
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error instanceof SetupError || error instanceof Error ? error.message : String(error));
    process.exit(1);
  },
);
