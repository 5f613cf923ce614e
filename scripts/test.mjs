// Runs every test tier and closes with one summary line per tier and a total.
// Unit tests: Node's own test runner over the compiled tests in out/test/unit.
import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync, mkdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

function findTests(dir) {
  const found = [];
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) found.push(...findTests(path));
    else if (name.endsWith('.test.js')) found.push(path);
  }
  return found.sort();
}

function runNodeTests(tier, dir) {
  mkdirSync('test-results', { recursive: true });
  const tap = join('test-results', `${tier}.tap`);
  const files = findTests(dir);
  const result = spawnSync(
    process.execPath,
    ['--test', '--test-reporter=spec', '--test-reporter-destination=stdout',
      '--test-reporter=tap', `--test-reporter-destination=${tap}`, ...files],
    { stdio: 'inherit' },
  );
  const text = readFileSync(tap, 'utf8');
  const count = (key) => Number((text.match(new RegExp(`^# ${key} (\\d+)$`, "m")) ?? [])[1] ?? 0);
  return { tier, files: files.length, passed: count('pass'), failed: count('fail'), skipped: count('skipped'), status: result.status ?? 1 };
}

const tiers = [runNodeTests('unit', 'out/test/unit')];
console.log('');
for (const t of tiers) console.log(`${t.tier}: ${t.passed} passed, ${t.failed} failed, ${t.skipped} skipped (${t.files} files)`);
const passed = tiers.reduce((n, t) => n + t.passed, 0);
const failed = tiers.reduce((n, t) => n + t.failed, 0);
const skipped = tiers.reduce((n, t) => n + t.skipped, 0);
console.log(`${passed} passed, ${failed} failed, ${skipped} skipped`);
const ok = tiers.every((t) => t.status === 0) && failed === 0 && passed > 0;
process.exit(ok ? 0 : 1);
