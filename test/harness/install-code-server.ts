// Installs what the editor tests need, once, into the git-ignored cache (.vscode-test/):
// code-server 4.100.3 (VS Code 1.100.3 with a real Node extension host) from the npm registry, and
// the Debian packages it and the UI tests need (chromium, libkrb5-dev, ripgrep) when they are
// missing. Later runs find the cache and return at once. Where something cannot be installed, it
// stops with one message saying exactly what to install.
import { execFileSync, spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CACHE_DIR, CODE_SERVER_VERSION, codeServerBin } from './paths';

/** @vscode/ripgrep version pinned by code-server 4.100.3, and the asset it would download. */
const RIPGREP_PACKAGE_VERSION = '1.15.11';
const RIPGREP_ASSET = 'ripgrep-v13.0.0-10-x86_64-unknown-linux-musl.tar.gz';

export class SetupError extends Error {}

function which(command: string): string | null {
  return spawnSync('sh', ['-c', `command -v ${command}`], { encoding: 'utf8' }).stdout.trim() || null;
}

export function chromiumPath(): string | null {
  return process.env.CHROMIUM_PATH ?? which('chromium');
}

function missingDebianPackages(): string[] {
  const need: string[] = [];
  if (!chromiumPath()) need.push('chromium');
  if (!existsSync('/usr/include/gssapi/gssapi.h')) need.push('libkrb5-dev');
  if (!which('rg')) need.push('ripgrep');
  return need;
}

function installDebianPackages(need: string[], log: (m: string) => void): void {
  if (process.getuid?.() !== 0 || !which('apt-get')) {
    throw new SetupError(`The editor tests need these Debian packages: ${need.join(' ')}. Install them with: sudo apt-get install -y ${need.join(' ')}`);
  }
  log(`installing Debian packages: ${need.join(' ')}`);
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  const install = () => spawnSync('apt-get', ['install', '-y', '--no-install-recommends', ...need], { stdio: 'ignore', env });
  if (install().status !== 0) {
    // A fresh machine has no package lists yet.
    spawnSync('apt-get', ['update'], { stdio: 'ignore', env });
    if (install().status !== 0) throw new SetupError(`apt-get could not install ${need.join(' ')}. Install them by hand: apt-get install -y ${need.join(' ')}`);
  }
}

/** code-server writes config and logs under XDG folders on every start: keep them in the cache. */
function isolatedEnv(): NodeJS.ProcessEnv {
  return { ...process.env, XDG_CONFIG_HOME: join(CACHE_DIR, 'xdg', 'config'), XDG_DATA_HOME: join(CACHE_DIR, 'xdg', 'data'), XDG_CACHE_HOME: join(CACHE_DIR, 'xdg', 'cache') };
}

function installedVersion(): string | null {
  const bin = codeServerBin();
  if (!existsSync(bin)) return null;
  const r = spawnSync(bin, ['--version'], { encoding: 'utf8', env: isolatedEnv() });
  // e.g. "4.100.3 409c64e… with Code 1.100.3", possibly after a log line
  return /^(\d+\.\d+\.\d+) [0-9a-f]{40} with Code/m.exec(r.stdout ?? '')?.[1] ?? null;
}

export function ensureCodeServer(log: (m: string) => void = (m) => console.log(`[setup] ${m}`)): string {
  const need = missingDebianPackages();
  if (need.length > 0) installDebianPackages(need, log);
  if (installedVersion() === CODE_SERVER_VERSION) return codeServerBin();

  const started = Date.now();
  log(`installing code-server ${CODE_SERVER_VERSION} into ${CACHE_DIR} (first run only, about a minute)`);
  const dir = join(CACHE_DIR, 'code-server');
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'package.json'), '{ "name": "code-server-cache", "private": true }\n');
  // @vscode/ripgrep downloads rg from GitHub unless its cache already holds the asset: seed the
  // cache with Debian's rg.
  const seed = mkdtempSync(join(tmpdir(), 'rg-seed-'));
  try {
    const cache = join(seed, `vscode-ripgrep-cache-${RIPGREP_PACKAGE_VERSION}`);
    mkdirSync(cache);
    copyFileSync(which('rg') ?? 'rg', join(seed, 'rg'));
    execFileSync('tar', ['czf', join(cache, RIPGREP_ASSET), '-C', seed, 'rg']);
    // As root, code-server's postinstall needs unsafe-perm; node-pty's postinstall runs
    // `npx node-gyp`, which must not stop to ask.
    const r = spawnSync('npm', ['install', '--no-audit', '--no-fund', '--no-save', `code-server@${CODE_SERVER_VERSION}`], {
      cwd: dir,
      stdio: ['ignore', 'pipe', 'pipe'],
      encoding: 'utf8',
      env: { ...isolatedEnv(), TMPDIR: seed, npm_config_unsafe_perm: 'true', npm_config_yes: 'true' },
    });
    if (r.status !== 0) {
      const tail = `${r.stdout}\n${r.stderr}`.trim().split('\n').slice(-15).join('\n');
      throw new SetupError(`npm could not install code-server@${CODE_SERVER_VERSION} into ${dir}:\n${tail}`);
    }
  } finally {
    rmSync(seed, { recursive: true, force: true });
  }
  const version = installedVersion();
  if (version !== CODE_SERVER_VERSION) {
    throw new SetupError(`code-server ${CODE_SERVER_VERSION} does not start after installing into ${dir} (it says ${version ?? 'nothing'}); delete ${CACHE_DIR} and run again.`);
  }
  log(`code-server ${CODE_SERVER_VERSION} installed in ${((Date.now() - started) / 1000).toFixed(0)} s`);
  return codeServerBin();
}

if (require.main === module) {
  try {
    ensureCodeServer();
  } catch (error) {
    console.error(error instanceof SetupError ? error.message : error);
    process.exit(1);
  }
}
