// Runs the UI tests (test/e2e) against code-server with the extension installed, in headless
// chromium. Screenshots go to test-results/screenshots; counts to test-results/ui.tap.
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { extensionHostLogTail, startCodeServer, tailOf } from './code-server';
import { ensureCodeServer, SetupError } from './install-code-server';
import { FIXTURE_WORKSPACE, PROJECT_ROOT, SCREENSHOT_DIR } from './paths';

export const UI_TAP = join(PROJECT_ROOT, 'test-results', 'ui.tap');

/**
 * The .vsix that `npm run package` made (npm test's pretest runs it): the UI tests install what
 * ships, not the source folder. A package older than the bundle it should hold is refused.
 */
export function packagedVsix(): string {
  const manifest = JSON.parse(readFileSync(join(PROJECT_ROOT, 'package.json'), 'utf8')) as { name: string; version: string };
  const vsix = join(PROJECT_ROOT, `${manifest.name}-${manifest.version}.vsix`);
  const bundle = join(PROJECT_ROOT, 'dist', 'extension.js');
  if (!existsSync(vsix)) throw new SetupError(`${vsix} is missing: run \`npm run package\` first.`);
  if (existsSync(bundle) && statSync(bundle).mtimeMs > statSync(vsix).mtimeMs) {
    throw new SetupError(`${vsix} is older than dist/extension.js: run \`npm run package\` again.`);
  }
  return vsix;
}

/** A copy of the fixture workspace that the tests may change. */
export function workspaceCopy(scratch: string): string {
  const workspace = join(scratch, 'workspace');
  cpSync(FIXTURE_WORKSPACE, workspace, { recursive: true });
  return workspace;
}

export async function runUiTests(): Promise<number> {
  ensureCodeServer((m) => console.log(`[setup] ${m}`));
  mkdirSync(SCREENSHOT_DIR, { recursive: true });
  const server = await startCodeServer({ vsix: packagedVsix() });
  const scratch = mkdtempSync(join(tmpdir(), 'mww-ui-'));
  try {
    const workspace = workspaceCopy(scratch);
    const dir = join(PROJECT_ROOT, 'out', 'test', 'e2e');
    const files = readdirSync(dir).filter((n) => n.endsWith('.test.js')).sort().map((n) => join(dir, n));
    const started = Date.now();
    const result = spawnSync(process.execPath, [
      '--test', '--test-concurrency=1', '--test-reporter=spec', '--test-reporter-destination=stdout',
      '--test-reporter=tap', `--test-reporter-destination=${UI_TAP}`, ...files,
    ], { stdio: 'inherit', env: { ...process.env, CS_URL: server.url, WORKSPACE: workspace }, timeout: 600_000 });
    console.log(`[ui] finished in ${((Date.now() - started) / 1000).toFixed(1)} s; screenshots in ${SCREENSHOT_DIR}`);
    if (result.status !== 0) {
      console.error(`\n--- extension host log (tail) ---\n${extensionHostLogTail(server.userDataDir)}`);
      console.error(`\n--- code-server log (tail) ---\n${tailOf(server.logFile, 20)}`);
      console.error(`\nscreenshots: ${SCREENSHOT_DIR}`);
    }
    return result.status ?? 1;
  } finally {
    await server.stop();
    rmSync(scratch, { recursive: true, force: true });
  }
}

if (require.main === module) {
  runUiTests().then(
    (code) => process.exit(code),
    (error: unknown) => {
      console.error(error instanceof SetupError ? error.message : error);
      process.exit(1);
    },
  );
}
