// The extension host's side of the activation benchmark (`npm run bench -- editor`): VS Code loads
// this file as the extension tests entry (--extensionTestsPath) in a fresh extension host whose
// workspace is an empty temp folder, so nothing has activated the extension yet. It times
// `activate()` (reading dist/extension.js and running its activate()) and then a require() of each
// lazily loaded vendor bundle, and appends one JSON line to MWW_BENCH_OUT. Not a test: npm test
// never loads it.
import { appendFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import * as vscode from 'vscode';

const EXTENSION_ID = 'marketo-webhook-workbench.marketo-webhook-workbench';
const VENDOR = ['undici', 'fast-xml-parser'] as const;

export interface ActivationSample {
  /** the extension host's process id: a different one for each launch */
  pid: number;
  activateMs?: number;
  /** require() of dist/vendor/<name>.js right after activation, in the same host */
  requireMs?: Partial<Record<(typeof VENDOR)[number], number>>;
  /** how long the host took to become quiet before the timed call */
  settleMs?: number;
  /** bytes of dist/extension.js that activation read */
  mainBytes?: number;
  error?: string;
}

/**
 * Waits until the host's event loop has been quiet for a while (the built-in extensions that start
 * with every window have done their start-up work), at most `maxMs`: the timing is then the
 * extension's own cost, not a share of whatever else the host was doing.
 */
async function settle(quietMs = 600, maxMs = 5000): Promise<number> {
  const start = performance.now();
  let quietSince = start;
  while (performance.now() - start < maxMs) {
    const before = performance.now();
    await new Promise((resolve) => setTimeout(resolve, 20));
    const late = performance.now() - before - 20;
    if (late > 4) quietSince = performance.now();
    else if (performance.now() - quietSince >= quietMs) break;
  }
  return performance.now() - start;
}

function isLoaded(path: string): boolean {
  return Object.prototype.hasOwnProperty.call(require.cache, path);
}

async function measure(): Promise<ActivationSample> {
  const sample: ActivationSample = { pid: process.pid };
  const extension = vscode.extensions.getExtension(EXTENSION_ID);
  if (!extension) throw new Error(`${EXTENSION_ID} is not in this extension host`);
  if (extension.isActive) throw new Error('the extension was already active: the workspace triggered activation, so activate() would time nothing');
  const main = join(extension.extensionPath, 'dist', 'extension.js');
  if (isLoaded(main)) throw new Error(`${main} was loaded before activation`);
  sample.settleMs = await settle();
  if (extension.isActive) throw new Error('the extension became active while the host settled');
  const start = performance.now();
  await extension.activate();
  sample.activateMs = performance.now() - start;
  if (!isLoaded(main)) throw new Error(`activate() did not load ${main}`);
  sample.mainBytes = (await vscode.workspace.fs.stat(vscode.Uri.file(main))).size;
  sample.requireMs = {};
  for (const name of VENDOR) {
    const path = join(extension.extensionPath, 'dist', 'vendor', `${name}.js`);
    if (isLoaded(path)) throw new Error(`dist/vendor/${name}.js was loaded at activation: it is meant to be lazy`);
    // Node's loader, as the extension's own lazy require would use: one module cache for both.
    const load = createRequire(path);
    const t = performance.now();
    load(path);
    sample.requireMs[name] = performance.now() - t;
  }
  return sample;
}

export async function run(): Promise<void> {
  const out = process.env.MWW_BENCH_OUT;
  if (!out) throw new Error('MWW_BENCH_OUT is not set: run this through out/test/bench/activation.js');
  let sample: ActivationSample;
  try {
    sample = await measure();
  } catch (error) {
    sample = { pid: process.pid, error: error instanceof Error ? error.message : String(error) };
  }
  appendFileSync(out, `${JSON.stringify(sample)}\n`);
}
