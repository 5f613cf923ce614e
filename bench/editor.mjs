// `npm run bench`: the editor, measured in the real VS Code of the test harness (code-server 4.100.3,
// which is VS Code 1.100.3 with a real Node extension host; see README, Testing).
//
// Activation: out/test/bench/activation.js opens a fresh extension host LAUNCHES times, each on a
// new empty temp folder (nothing there triggers activation), with this project as the development
// extension; inside the host, once it is quiet, the entry times
// `await getExtension(id).activate()` (reading dist/extension.js and running its activate()), then
// require() of each lazily loaded bundle, dist/vendor/undici.js and dist/vendor/fast-xml-parser.js:
// what activation would cost more if they were not lazy.
//
// Run → panel: out/test/bench/run-panel.js installs the packaged .vsix, opens the workbench in
// headless chromium and clicks the "Run against sample lead" CodeLens RUNS times; each run ends when
// the run panel's webview shows the answer's `run-<n>-done` token, which this process's server puts
// in each answer from a per-request counter. The first run (which creates the panel and loads
// undici) is reported apart from the median of the rest. Baseline, measured here around it: the same
// request with undici.request + JSON.parse against the same server.
//
// Run → panel, 10 MB: then a second definition whose answer is a 10 MB JSON body (just under the
// engine's size limit), its `big-<n>-done` token at the start; each of BIG_RUNS clicks ends when the
// token is in the panel's DOM: the first paint of the body (the page writes a long body in slices).
// Reported against the small-body later runs of the same process (the baseline).
//
// Needs: the production build, tsc -p tsconfig.test.json (`npm run bench` does both) and the .vsix
// (made here with `npm run package` when missing or older than dist/extension.js). Prints a
// heading, one table and a caption; exits non-zero with one line when the harness cannot run.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { request } from 'undici';
import { machine, markdownTable, median, ms, ratio, sample, startServer } from './lib.mjs';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const LAUNCHES = 7;
const RUNS = 10;
const BIG_RUNS = 7;
/** The 10 MB answer, under the engine's response size limit (10 MiB) so that it is read whole. */
const BIG_BODY_BYTES = 10 * 1024 * 1024 - 4096;
const BARE_REQUESTS = 100;
const BARE_WARMUP = 20;
/** Each part's child process: code-server start, the launches or runs, and shutdown. */
const CHILD_TIMEOUT_MS = 180_000;

function fail(message) {
  console.error(`editor benchmark: ${message}`);
  process.exit(1);
}

/** Runs `node <script>`, passing its stderr through; resolves to its last stdout line parsed as JSON. */
function runChild(script, env) {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [script], { cwd: ROOT, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (chunk) => (out += chunk));
    child.stderr.on('data', (chunk) => {
      err += chunk;
      process.stderr.write(chunk);
    });
    // The child stops code-server and chromium on SIGTERM (the harness's handlers); SIGKILL if it hangs.
    const timer = setTimeout(() => {
      child.kill('SIGTERM');
      setTimeout(() => child.kill('SIGKILL'), 5000).unref();
      reject(new Error(`${script} did not finish within ${CHILD_TIMEOUT_MS / 1000} s`));
    }, CHILD_TIMEOUT_MS);
    child.once('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      if (code !== 0) {
        // The child's own last words (already shown above) name the cause; keep its first line.
        const cause = err.split('\n').find((line) => line.trim() && !line.startsWith('[')) ?? `exit ${code ?? signal}`;
        reject(new Error(`${script.replace(`${ROOT}/`, '')} failed: ${cause.trim()}`));
        return;
      }
      try {
        resolve(JSON.parse(out.trim().split('\n').at(-1)));
      } catch {
        reject(new Error(`${script} printed no result`));
      }
    });
  });
}

const span = (values) => (values.length > 1 ? `${ms(Math.min(...values))} – ${ms(Math.max(...values))}` : '—');
const kb = (path) => `${Math.round(statSync(path).size / 1024)} KB`;

const activationScript = join(ROOT, 'out', 'test', 'bench', 'activation.js');
const runPanelScript = join(ROOT, 'out', 'test', 'bench', 'run-panel.js');
for (const path of [activationScript, runPanelScript]) {
  if (!existsSync(path)) fail(`${path.replace(`${ROOT}/`, '')} is missing: compile with npx tsc -p tsconfig.test.json (npm run bench does).`);
}
// `npm run bench` rebuilds dist/ just before, which leaves the .vsix older than the bundle it holds,
// and the harness (packagedVsix) refuses such a package: make it again, as npm test's pretest does.
const manifest = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'));
const vsixPath = join(ROOT, `${manifest.name}-${manifest.version}.vsix`);
const builtAt = existsSync(join(ROOT, 'dist', 'extension.js')) ? statSync(join(ROOT, 'dist', 'extension.js')).mtimeMs : Infinity;
if (!existsSync(vsixPath) || statSync(vsixPath).mtimeMs < builtAt) {
  console.error('[bench:editor] the .vsix is missing or older than dist/extension.js: npm run package');
  const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
  const r = spawnSync(npm, ['run', 'package'], { cwd: ROOT, encoding: 'utf8', timeout: 180_000 });
  if (r.status !== 0) fail(`npm run package failed (exit ${r.status ?? r.signal}): ${`${r.stderr ?? ''}${r.stdout ?? ''}`.trim().split('\n').at(-1)}`);
}

const mainBundle = join(ROOT, 'dist', 'extension.js');
const vendor = (name) => join(ROOT, 'dist', 'vendor', `${name}.js`);
for (const path of [mainBundle, vendor('undici'), vendor('fast-xml-parser')]) {
  if (!existsSync(path)) fail(`${path.replace(`${ROOT}/`, '')} is missing: build with node scripts/build.mjs --production (npm run bench does).`);
}
const bundleSizes = { main: kb(mainBundle), undici: kb(vendor('undici')), xml: kb(vendor('fast-xml-parser')) };

// The 10 MB body: many short strings, so that it lays out as many lines. Its head carries each
// answer's token; the rest is made once, as bytes, so that the server answers at once (the time
// to make 10 MB is the service's, not the editor's).
const bigHead = (token) => `{"token":"${token}","company":{"name":"Acme Rockets","size":250},"items":[`;
const bigTail = (() => {
  const item = JSON.stringify(`${'x'.repeat(90)}`);
  const count = Math.floor((BIG_BODY_BYTES - bigHead('big-00-done').length - 2) / (item.length + 1));
  return Buffer.from(`${Array(count).fill(item).join(',')}]}`);
})();
const bigBytes = Buffer.byteLength(bigHead('big-00-done')) + bigTail.length;

// One server for all sides: /run and /big for the editor's runs, anything else for the bare requests.
const counters = { run: 0, big: 0, bare: 0 };
const server = await startServer((req, _body, res) => {
  const side = req.url === '/run' ? 'run' : req.url === '/big' ? 'big' : 'bare';
  const n = ++counters[side];
  if (side === 'big') {
    const head = Buffer.from(bigHead(`big-${n}-done`));
    res.writeHead(200, { 'Content-Type': 'application/json', 'Content-Length': String(head.length + bigTail.length) });
    res.write(head);
    res.end(bigTail);
    return;
  }
  res.writeHead(200, { 'Content-Type': 'application/json' });
  res.end(JSON.stringify({ counter: n, token: `${side}-${n}-done`, company: { name: 'Acme Rockets', size: 250 } }));
});

const requestBody = JSON.stringify({ email: 'ada@example.com' });
async function bareRequest() {
  const res = await request(`${server.url}/bare`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: requestBody });
  const value = JSON.parse(await res.body.text());
  if (res.statusCode !== 200 || typeof value.counter !== 'number') throw new Error(`bare request: HTTP ${res.statusCode}`);
}

let activation;
let runPanel;
const bare = [];
try {
  activation = await runChild(activationScript, { MWW_BENCH_LAUNCHES: String(LAUNCHES) });
  bare.push(...(await sample(bareRequest, { repeats: BARE_REQUESTS / 2, warmup: BARE_WARMUP })));
  runPanel = await runChild(runPanelScript, { MWW_BENCH_URL: server.url, MWW_BENCH_RUNS: String(RUNS), MWW_BENCH_BIG_RUNS: String(BIG_RUNS) });
  bare.push(...(await sample(bareRequest, { repeats: BARE_REQUESTS / 2, warmup: BARE_WARMUP })));
} catch (error) {
  await server.close();
  fail(error instanceof Error ? error.message : String(error));
}
await server.close();
if (counters.run !== RUNS) fail(`the server answered ${counters.run} run requests for ${RUNS} runs`);
if (counters.big !== BIG_RUNS) fail(`the server answered ${counters.big} 10 MB requests for ${BIG_RUNS} runs`);

const samples = activation.samples;
const activate = samples.map((s) => s.activateMs);
const requireUndici = samples.map((s) => s.requireMs.undici);
const requireXml = samples.map((s) => s.requireMs['fast-xml-parser']);
const settle = samples.map((s) => s.settleMs);
const runs = runPanel.runs.map((r) => r.ms);
const [first, ...rest] = runs;
const bigRuns = runPanel.bigRuns.map((r) => r.ms);
const [bigFirst, ...bigRest] = bigRuns;
const bigMb = `${(bigBytes / 1024 / 1024).toFixed(1)} MB`;
const bareMedian = median(bare);
const activateMedian = median(activate);

console.log('## Editor: activation and run → panel in VS Code 1.100.3 (code-server 4.100.3, real extension host)\n');
console.log(
  markdownTable(
    ['measure', 'median', 'min – max', 'n', 'compared with'],
    [
      [`activate() in a fresh extension host: loads dist/extension.js (${bundleSizes.main}) and runs activate()`, ms(activateMedian), span(activate), String(activate.length), '1.00× activation'],
      [`require() dist/vendor/undici.js (${bundleSizes.undici}) after activation: lazy, not paid at activation`, ms(median(requireUndici)), span(requireUndici), String(requireUndici.length), `${ratio(median(requireUndici), activateMedian)} activation`],
      [`require() dist/vendor/fast-xml-parser.js (${bundleSizes.xml}) after activation: lazy, not paid at activation`, ms(median(requireXml)), span(requireXml), String(requireXml.length), `${ratio(median(requireXml), activateMedian)} activation`],
      ['run → panel, first run (creates the panel, loads undici)', ms(first), '—', '1', `${ratio(first, bareMedian)} bare request`],
      ['run → panel, later runs', ms(median(rest)), span(rest), String(rest.length), `${ratio(median(rest), bareMedian)} bare request`],
      [`run → panel, ${bigMb} JSON answer: first paint, first run (creates its panel)`, ms(bigFirst), '—', '1', `${ratio(bigFirst, median(rest))} small run → panel`],
      [`run → panel, ${bigMb} JSON answer: first paint, later runs`, ms(median(bigRest)), span(bigRest), String(bigRest.length), `${ratio(median(bigRest), median(rest))} small run → panel`],
      ['bare request: undici.request + JSON.parse, same server', ms(bareMedian), span(bare), String(bare.length), '1.00× bare request'],
    ],
  ),
);
const playwright = median(runPanel.runs.slice(1).map((r) => r.playwrightMs));
console.log(
  `\n${machine()}. Activation: ${samples.length} launches of the extension host, each in a new empty temp folder, timed inside the host `
  + `once it was quiet (median ${ms(median(settle))} after the tests entry started); the requires right after, in the same host. `
  + `Run → panel: the packaged .vsix, ${runs.length} clicks on the "Run against sample lead" CodeLens, from the press (pointerdown in the workbench; the lens runs `
  + `its command on mouse-down) to the DOM update that puts this run's counter in the panel's Response section, both stamped in chromium (Playwright's polling saw the later runs after ${ms(playwright)}, median). `
  + `10 MB: ${bigRuns.length} clicks on a second definition whose answer is ${bigMb} of JSON, to the DOM update that first shows the body's token (the start of the answer, which the panel shows while the rest arrives; the outcome follows, and the next click waits for it). `
  + `Bare: ${bare.length} requests (${BARE_WARMUP} warm-up before each half) from the bench process; server: in the bench process on 127.0.0.1. `
  + `Screenshots: test-results/screenshots/bench-run-panel.png and bench-run-panel-10mb.png.`,
);
