// Starts code-server (a real VS Code 1.100.3 server and web workbench) for one test run: its own
// user data, extensions and XDG folders in a fresh temp folder, a free loopback port, its own
// process group, stopped with everything it started when the run ends, fails or is interrupted.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { closeSync, existsSync, mkdirSync, mkdtempSync, openSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { codeServerBin } from './paths';

export interface CodeServerOptions {
  userDataDir?: string;
  extensionsDir?: string;
  /** added to the server's environment; the extension host inherits it */
  env?: NodeJS.ProcessEnv;
  /** user settings, over the quiet defaults below */
  settings?: Record<string, unknown>;
  /** keep Workspace Trust on (folders then open in Restricted Mode until trusted) */
  workspaceTrust?: boolean;
  /** a .vsix installed before the server starts, the way a user installs it */
  vsix?: string;
}

export interface CodeServer {
  url: string;
  port: number;
  /** the run's temp folder: user data, extensions, logs */
  root: string;
  userDataDir: string;
  extensionsDir: string;
  logFile: string;
  stop(): Promise<void>;
}

/** Settings that keep the workbench quiet and offline. */
const QUIET_SETTINGS = {
  'workbench.startupEditor': 'none',
  'security.workspace.trust.enabled': false,
  'telemetry.telemetryLevel': 'off',
  'update.mode': 'none',
  'extensions.autoCheckUpdates': false,
  'extensions.autoUpdate': false,
  'extensions.ignoreRecommendations': true,
  'workbench.enableExperiments': false,
  'workbench.tips.enabled': false,
  'chat.disableAIFeatures': true,
  // Each UI test file opens its own window: no unsaved edits carried from one to the next.
  'files.hotExit': 'off',
  // The web workbench saves after a delay by default; tests edit fixtures and must not write them.
  'files.autoSave': 'off',
};

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

const running = new Set<ChildProcess>();

function killGroup(child: ChildProcess, signal: NodeJS.Signals): void {
  if (child.pid === undefined) return;
  try {
    process.kill(-child.pid, signal);
  } catch {
    // already gone
  }
}

// Whatever ends this process, code-server and its children go with it.
process.on('exit', () => {
  for (const child of running) killGroup(child, 'SIGKILL');
});
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    for (const child of running) killGroup(child, 'SIGKILL');
    process.exit(130);
  });
}

/** `code-server --install-extension`: unpacks the package and registers it, as the Install from VSIX command does. */
function installVsix(vsix: string, userDataDir: string, extensionsDir: string, env: NodeJS.ProcessEnv): void {
  const result = spawnSync(codeServerBin(), ['--install-extension', vsix, '--user-data-dir', userDataDir, '--extensions-dir', extensionsDir], {
    encoding: 'utf8',
    env,
    timeout: 120_000,
  });
  const output = `${result.stdout ?? ''}${result.stderr ?? ''}`.trim();
  if (result.status !== 0 || !/successfully installed/i.test(output)) {
    throw new Error(`Installing ${vsix} failed (exit ${result.status ?? result.signal}):\n${output}`);
  }
}

export async function startCodeServer(options: CodeServerOptions = {}): Promise<CodeServer> {
  // Short path: the extension host puts unix sockets in TMPDIR, and those paths are limited to 107 bytes.
  const root = mkdtempSync(join(tmpdir(), 'mww-vsc-'));
  const userDataDir = options.userDataDir ?? join(root, 'user-data');
  const extensionsDir = options.extensionsDir ?? join(root, 'extensions');
  const scratch = join(root, 'tmp');
  for (const dir of [join(userDataDir, 'User'), extensionsDir, scratch]) mkdirSync(dir, { recursive: true });
  const settingsFile = join(userDataDir, 'User', 'settings.json');
  const trust = options.workspaceTrust ? { 'security.workspace.trust.enabled': true, 'security.workspace.trust.startupPrompt': 'never' } : {};
  if (!existsSync(settingsFile)) writeFileSync(settingsFile, JSON.stringify({ ...QUIET_SETTINGS, ...trust, ...options.settings }, null, 2));
  const xdg = {
    XDG_CONFIG_HOME: join(root, 'xdg', 'config'),
    XDG_DATA_HOME: join(root, 'xdg', 'data'),
    XDG_CACHE_HOME: join(root, 'xdg', 'cache'),
  };
  if (options.vsix) installVsix(options.vsix, userDataDir, extensionsDir, { ...process.env, ...options.env, ...xdg });
  const port = await freePort();
  const logFile = join(root, 'code-server.log');
  const log = openSync(logFile, 'a');
  const child = spawn(codeServerBin(), [
    '--bind-addr', `127.0.0.1:${port}`, '--auth', 'none', '--disable-telemetry', '--disable-update-check',
    ...(options.workspaceTrust ? [] : ['--disable-workspace-trust']), '--disable-getting-started-override', '--config', join(root, 'config.yaml'),
    '--user-data-dir', userDataDir, '--extensions-dir', extensionsDir,
  ], {
    detached: true, // its own process group, so stop() ends every process it started
    stdio: ['ignore', log, log],
    env: {
      ...process.env,
      ...options.env,
      ...xdg,
      TMPDIR: scratch,
    },
  });
  closeSync(log);
  running.add(child);
  const url = `http://127.0.0.1:${port}`;

  const stop = async () => {
    running.delete(child);
    if (child.exitCode === null) {
      killGroup(child, 'SIGTERM');
      const exited = new Promise((resolve) => child.once('exit', resolve));
      const timeout = new Promise((resolve) => setTimeout(resolve, 3000).unref());
      await Promise.race([exited, timeout]);
      killGroup(child, 'SIGKILL');
    }
    if (!process.env.MWW_KEEP_TMP) rmSync(root, { recursive: true, force: true });
  };

  // Bounded wait for the health endpoint: 60 s, or until the process dies.
  const deadline = Date.now() + 60_000;
  for (;;) {
    try {
      if ((await fetch(`${url}/healthz`)).ok) break;
    } catch {
      // not listening yet
    }
    if (child.exitCode !== null || Date.now() > deadline) {
      const tail = tailOf(logFile, 40);
      await stop();
      throw new Error(`code-server did not start on ${url}:\n${tail}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return { url, port, root, userDataDir, extensionsDir, logFile, stop };
}

export function tailOf(file: string, lines: number): string {
  try {
    return readFileSync(file, 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
  } catch {
    return `(no ${file})`;
  }
}

/** The last lines of the extension host's logs under a user-data folder, newest file first. */
export function extensionHostLogTail(userDataDir: string, lines = 40): string {
  const found: { path: string; mtime: number }[] = [];
  const walk = (dir: string, depth: number) => {
    if (depth > 6 || !existsSync(dir)) return;
    for (const name of readdirSync(dir)) {
      const path = join(dir, name);
      const stat = statSync(path);
      if (stat.isDirectory()) walk(path, depth + 1);
      else if (/exthost\d*\.log$/i.test(name)) found.push({ path, mtime: stat.mtimeMs });
    }
  };
  walk(join(userDataDir, 'logs'), 0);
  const newest = found.sort((a, b) => b.mtime - a.mtime)[0];
  return newest ? `${newest.path}:\n${tailOf(newest.path, lines)}` : '(no extension host log found)';
}
