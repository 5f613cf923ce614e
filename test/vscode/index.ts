// Entry point that VS Code's extension host loads (--extensionTestsPath): runs the mocha suites in
// this folder and writes their counts where the harness reads them (MWW_TEST_SUMMARY).
import { readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Mocha from 'mocha';

export async function run(): Promise<void> {
  // MWW_TEST_GREP runs only the tests whose full title matches (while working on one feature).
  const mocha = new Mocha({ ui: 'bdd', timeout: 30_000, color: false, reporter: 'spec', ...(process.env.MWW_TEST_GREP ? { grep: process.env.MWW_TEST_GREP } : {}) });
  for (const name of readdirSync(__dirname).filter((n) => n.endsWith('.test.js')).sort()) mocha.addFile(join(__dirname, name));
  const failures: { title: string; error: string }[] = [];
  let passed = 0;
  let pending = 0;
  await new Promise<void>((resolve) => {
    const runner = mocha.run(() => resolve());
    runner.on('pass', () => passed++);
    runner.on('pending', () => pending++);
    runner.on('fail', (test, error: unknown) => failures.push({ title: test.fullTitle(), error: error instanceof Error ? error.stack ?? error.message : String(error) }));
  });
  const summary = { passed, failed: failures.length, skipped: pending, failures };
  if (process.env.MWW_TEST_SUMMARY) writeFileSync(process.env.MWW_TEST_SUMMARY, JSON.stringify(summary, null, 2));
  console.log(`extension host: ${passed} passed, ${failures.length} failed, ${pending} skipped`);
  if (failures.length > 0) throw new Error(`${failures.length} extension-host test(s) failed`);
}
