// Activation benchmark of `npm run bench -- editor` (bench/editor.mjs spawns this file compiled):
// one code-server (VS Code 1.100.3 with its real Node extension host), then, launch after launch, a
// fresh workbench window on a fresh empty temp folder with this project as the development
// extension and test/bench/activation-entry.ts as the tests entry, the way the ext-host harness's
// code-shim starts a test run. Each window gets an extension host process of its own, in which the
// entry times activate() and the vendor requires. Prints one JSON line on stdout:
// { samples: ActivationSample[], launchMs: number[] }. Logs go to stderr.
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { launchBrowser } from '../harness/browser';
import { extensionHostLogTail, startCodeServer, tailOf } from '../harness/code-server';
import { ensureCodeServer, SetupError } from '../harness/install-code-server';
import { PROJECT_ROOT } from '../harness/paths';
import type { ActivationSample } from './activation-entry';

const LAUNCHES = Number(process.env.MWW_BENCH_LAUNCHES ?? 7);
/** per launch: window load, extension host start, the entry */
const LAUNCH_TIMEOUT_MS = 90_000;

function log(message: string): void {
  process.stderr.write(`[bench:activation] ${message}\n`);
}

function readSamples(file: string): ActivationSample[] {
  try {
    return readFileSync(file, 'utf8').split('\n').filter(Boolean).map((line) => JSON.parse(line) as ActivationSample);
  } catch {
    return [];
  }
}

async function main(): Promise<void> {
  ensureCodeServer(log);
  const root = mkdtempSync(join(tmpdir(), 'mww-bench-'));
  const outFile = join(root, 'activation.jsonl');
  // The extension host inherits the server's environment: that is how the entry learns the file.
  const server = await startCodeServer({ env: { MWW_BENCH_OUT: outFile } });
  const browser = await launchBrowser();
  const exits = new Map<Page, (code: number) => void>();
  try {
    // VS Code calls window.codeAutomationExit(code) when the tests entry has finished.
    await browser.context.exposeBinding('codeAutomationExit', ({ page }, code: number) => exits.get(page)?.(code));
    const remote = (path: string) => `vscode-remote://127.0.0.1:${server.port}${path}`;
    const payload = JSON.stringify([
      ['extensionDevelopmentPath', remote(PROJECT_ROOT)],
      ['extensionTestsPath', remote(join(PROJECT_ROOT, 'out', 'test', 'bench', 'activation-entry.js'))],
    ]);
    const launchMs: number[] = [];
    for (let i = 0; i < LAUNCHES; i++) {
      // A new empty folder each time: no *.webhook.jsonc, nothing open, no state of an earlier launch.
      const workspace = join(root, `ws-${i}`);
      mkdirSync(workspace);
      const page = await browser.context.newPage();
      const exited = new Promise<number>((resolve) => exits.set(page, resolve));
      const started = Date.now();
      await page.goto(`${server.url}/?payload=${encodeURIComponent(payload)}&folder=${encodeURIComponent(workspace)}`);
      const code = await Promise.race([exited, new Promise<number>((resolve) => setTimeout(() => resolve(-1), LAUNCH_TIMEOUT_MS).unref())]);
      launchMs.push(Date.now() - started);
      await page.close();
      exits.delete(page);
      const samples = readSamples(outFile);
      if (code !== 0 || samples.length !== i + 1) {
        throw new Error(`launch ${i + 1}: ${code === -1 ? `no result within ${LAUNCH_TIMEOUT_MS / 1000} s` : `the entry exited with ${code}`}, ${samples.length} result(s)\n`
          + `--- extension host log ---\n${extensionHostLogTail(server.userDataDir, 20)}\n--- code-server log ---\n${tailOf(server.logFile, 10)}`);
      }
      const last = samples[i] as ActivationSample;
      if (last.error) throw new Error(`launch ${i + 1}: ${last.error}`);
      log(`launch ${i + 1}/${LAUNCHES}: activate() ${last.activateMs?.toFixed(1)} ms in extension host ${last.pid} (${((Date.now() - started) / 1000).toFixed(1)} s)`);
    }
    const samples = readSamples(outFile);
    if (new Set(samples.map((s) => s.pid)).size !== samples.length) throw new Error('two launches shared an extension host process');
    process.stdout.write(`${JSON.stringify({ samples, launchMs })}\n`);
  } finally {
    await browser.close();
    await server.stop();
    rmSync(root, { recursive: true, force: true });
  }
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error instanceof SetupError || error instanceof Error ? error.message : String(error));
    process.exit(1);
  },
);
