// Where the editor-test harness finds the project and keeps its cache (git-ignored, safe to delete).
import { join, resolve } from 'node:path';

/** This file runs as out/test/harness/paths.js. */
export const PROJECT_ROOT = resolve(__dirname, '..', '..', '..');
export const CACHE_DIR = process.env.MWW_VSCODE_CACHE ?? join(PROJECT_ROOT, '.vscode-test');
/** The newest code-server whose Node is 20 (4.103+ need Node 22); it is VS Code 1.100.3. */
export const CODE_SERVER_VERSION = '4.100.3';
export const VSCODE_VERSION = '1.100.3';
export const FIXTURE_WORKSPACE = join(PROJECT_ROOT, 'test', 'fixtures', 'workspace');
/** Screenshots of the UI tests; git-ignored. */
export const SCREENSHOT_DIR = join(PROJECT_ROOT, 'test-results', 'screenshots');

export function codeServerBin(): string {
  return join(CACHE_DIR, 'code-server', 'node_modules', '.bin', 'code-server');
}
