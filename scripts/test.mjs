// Runs every test tier and closes with one summary line per tier and a total:
//   unit      Node's test runner over the compiled unit tests (engine, CLI, examples)
//   grammar   vscode-tmgrammar-test over test/grammar (the TextMate grammar's scopes)
//   package   the .vsix `npm run package` made: its contents and size budgets (test/package)
//   ext-host  mocha suites inside a real VS Code extension host (test/vscode)
//   ui        Playwright + chromium against the code-server workbench (test/e2e)
// MWW_TEST_TIERS=unit,ext-host picks tiers (default: all). `npm test` compiles everything first.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';

const RESULTS = 'test-results';

function findTests(dir) {
  const found = [];
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) found.push(...findTests(path));
    else if (name.endsWith('.test.js')) found.push(path);
  }
  return found.sort();
}

function tapCounts(file) {
  const text = existsSync(file) ? readFileSync(file, 'utf8') : '';
  const count = (key) => Number((text.match(new RegExp(`^# ${key} (\\d+)$`, 'm')) ?? [])[1] ?? 0);
  return { passed: count('pass'), failed: count('fail'), skipped: count('skipped') + count('todo') };
}

function timed(tier, run) {
  const started = Date.now();
  console.log(`\n=== ${tier} tests ===`);
  const result = run();
  return { tier, ...result, seconds: (Date.now() - started) / 1000 };
}

function unitTier() {
  return nodeTestTier('unit');
}

function packageTier() {
  return nodeTestTier('package');
}

/** Node's test runner over out/test/<folder>, counted from its TAP output. */
function nodeTestTier(folder) {
  const tap = join(RESULTS, `${folder}.tap`);
  rmSync(tap, { force: true });
  const files = findTests(`out/test/${folder}`);
  const r = spawnSync(process.execPath, [
    '--test', '--test-reporter=spec', '--test-reporter-destination=stdout',
    '--test-reporter=tap', `--test-reporter-destination=${tap}`, ...files,
  ], { stdio: 'inherit' });
  return { ...tapCounts(tap), status: r.status ?? 1 };
}

function grammarTier() {
  // The tool reads the grammar from package.json's contributions, as VS Code does.
  const bin = join('node_modules', '.bin', 'vscode-tmgrammar-test');
  const r = spawnSync(bin, ['test/grammar/*.grammar-test.jsonc'], { encoding: 'utf8' });
  process.stdout.write(r.stdout ?? '');
  process.stderr.write(r.stderr ?? '');
  const lines = (r.stdout ?? '').split('\n');
  return {
    passed: lines.filter((l) => l.startsWith('✓')).length,
    failed: lines.filter((l) => l.startsWith('✖')).length,
    skipped: 0,
    status: r.status ?? 1,
  };
}

function extHostTier() {
  const summary = join(RESULTS, 'ext-host.json');
  rmSync(summary, { force: true });
  const r = spawnSync(process.execPath, ['out/test/harness/run-ext-host-tests.js'], { stdio: 'inherit' });
  const counts = existsSync(summary) ? JSON.parse(readFileSync(summary, 'utf8')) : { passed: 0, failed: 0, skipped: 0 };
  return { passed: counts.passed, failed: counts.failed, skipped: counts.skipped, status: r.status ?? 1 };
}

function uiTier() {
  const tap = join(RESULTS, 'ui.tap');
  rmSync(tap, { force: true });
  const r = spawnSync(process.execPath, ['out/test/harness/run-ui-tests.js'], { stdio: 'inherit' });
  return { ...tapCounts(tap), status: r.status ?? 1 };
}

const TIERS = { unit: unitTier, grammar: grammarTier, package: packageTier, 'ext-host': extHostTier, ui: uiTier };
const wanted = (process.env.MWW_TEST_TIERS ?? Object.keys(TIERS).join(',')).split(',').map((t) => t.trim()).filter(Boolean);
for (const tier of wanted) {
  if (!TIERS[tier]) {
    console.error(`unknown test tier "${tier}"; tiers: ${Object.keys(TIERS).join(', ')}`);
    process.exit(2);
  }
}
mkdirSync(RESULTS, { recursive: true });
const results = wanted.map((tier) => timed(tier, TIERS[tier]));

console.log('\n=== summary ===');
for (const t of results) {
  const broken = t.status !== 0 && t.failed === 0 ? ' (the tier itself failed: see its output above)' : '';
  console.log(`${t.tier}: ${t.passed} passed, ${t.failed} failed, ${t.skipped} skipped in ${t.seconds.toFixed(1)} s${broken}`);
}
const total = (key) => results.reduce((n, t) => n + t[key], 0);
const ok = results.every((t) => t.status === 0 && t.failed === 0 && t.passed > 0);
// A tier that died without counting is a failure too, and the closing line must say so.
const failed = total('failed') + results.filter((t) => t.status !== 0 && t.failed === 0).length;
console.log(`${total('passed')} passed, ${failed} failed, ${total('skipped')} skipped`);
process.exit(ok ? 0 : 1);
