// Runs the extension-host tests (test/vscode) inside a real VS Code through @vscode/test-electron:
// desktop VS Code where it can be downloaded, code-server (through scripts/code-shim.cjs) where it
// cannot, or as MWW_VSCODE_RUNTIME=desktop|code-server says. The same test files run in both.
// Writes test-results/ext-host.json (counts) for the summary of `npm test`.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { downloadAndUnzipVSCode, runTests } from '@vscode/test-electron';
import { ensureCodeServer, SetupError } from './install-code-server';
import { CACHE_DIR, FIXTURE_WORKSPACE, PROJECT_ROOT, VSCODE_VERSION } from './paths';

export const EXT_HOST_SUMMARY = join(PROJECT_ROOT, 'test-results', 'ext-host.json');
const SHIM = join(PROJECT_ROOT, 'scripts', 'code-shim.cjs');

interface Runtime {
  kind: 'desktop' | 'code-server';
  executable: string;
}

async function desktopVSCode(): Promise<string> {
  const download = downloadAndUnzipVSCode({ version: VSCODE_VERSION, cachePath: join(CACHE_DIR, 'desktop'), timeout: 30_000 });
  const timeout = new Promise<never>((_, reject) => setTimeout(() => reject(new Error('no answer within 60 s')), 60_000).unref());
  return Promise.race([download, timeout]);
}

async function chooseRuntime(): Promise<Runtime> {
  const wanted = process.env.MWW_VSCODE_RUNTIME ?? 'auto';
  if (wanted !== 'code-server') {
    try {
      const executable = await desktopVSCode();
      return { kind: 'desktop', executable };
    } catch (error) {
      if (wanted === 'desktop') throw new SetupError(`Desktop VS Code ${VSCODE_VERSION} cannot be downloaded: ${String(error)}`);
      console.log(`[ext-host] desktop VS Code cannot be downloaded here (${error instanceof Error ? error.message.split('\n')[0] : String(error)}); using code-server`);
    }
  }
  ensureCodeServer((m) => console.log(`[setup] ${m}`));
  return { kind: 'code-server', executable: SHIM };
}

/** Desktop VS Code on Linux needs a display: start a virtual one when there is none. */
function startDisplayIfNeeded(kind: Runtime['kind']): ChildProcess | undefined {
  if (kind !== 'desktop' || process.platform !== 'linux' || process.env.DISPLAY) return undefined;
  if (spawnSync('sh', ['-c', 'command -v Xvfb']).status !== 0) {
    throw new SetupError('Desktop VS Code needs a display: install Xvfb (apt-get install -y xvfb) or set MWW_VSCODE_RUNTIME=code-server.');
  }
  const display = `:${90 + Math.floor(Math.random() * 100)}`;
  const xvfb = spawn('Xvfb', [display, '-screen', '0', '1400x900x24'], { stdio: 'ignore', detached: true });
  process.env.DISPLAY = display;
  process.on('exit', () => xvfb.kill('SIGKILL'));
  return xvfb;
}

export async function runExtensionHostTests(): Promise<number> {
  mkdirSync(join(PROJECT_ROOT, 'test-results'), { recursive: true });
  rmSync(EXT_HOST_SUMMARY, { force: true });
  const runtime = await chooseRuntime();
  const xvfb = startDisplayIfNeeded(runtime.kind);
  // The tests may edit files: they get a copy of the fixture workspace.
  const scratch = mkdtempSync(join(tmpdir(), 'mww-ws-'));
  const workspace = join(scratch, 'workspace');
  cpSync(FIXTURE_WORKSPACE, workspace, { recursive: true });
  const started = Date.now();
  console.log(`[ext-host] running in ${runtime.kind === 'desktop' ? `desktop VS Code ${VSCODE_VERSION}` : `code-server (VS Code ${VSCODE_VERSION})`}`);
  try {
    const code = await runTests({
      vscodeExecutablePath: runtime.executable,
      extensionDevelopmentPath: PROJECT_ROOT,
      extensionTestsPath: join(PROJECT_ROOT, 'out', 'test', 'vscode', 'index.js'),
      launchArgs: [workspace, '--disable-extensions', `--user-data-dir=${join(scratch, 'user-data')}`],
      extensionTestsEnv: { MWW_TEST_SUMMARY: EXT_HOST_SUMMARY, MWW_TEST_WORKSPACE: workspace },
    });
    return code;
  } catch (error) {
    // runTests rejects with the exit code (or a message) when the tests fail.
    console.error(`[ext-host] ${error instanceof Error ? error.message : String(error)}`);
    return 1;
  } finally {
    console.log(`[ext-host] finished in ${((Date.now() - started) / 1000).toFixed(1)} s`);
    xvfb?.kill('SIGKILL');
    rmSync(scratch, { recursive: true, force: true });
  }
}

if (require.main === module) {
  runExtensionHostTests().then(
    (code) => process.exit(existsSync(EXT_HOST_SUMMARY) ? code : code || 1),
    (error: unknown) => {
      console.error(error instanceof SetupError ? error.message : error);
      process.exit(1);
    },
  );
}
