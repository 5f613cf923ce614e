// A stand-in "VS Code executable" for @vscode/test-electron on machines that cannot download
// VS Code: it takes the command line test-electron passes (--extensionDevelopmentPath=,
// --extensionTestsPath=, a folder, and Electron flags it ignores), starts code-server, opens the
// workbench in headless chromium with the same development and test paths, and exits with the
// code VS Code hands to window.codeAutomationExit when the tests finish.
// Run through scripts/code-shim.cjs, which test-electron spawns as its executable.
import { resolve } from 'node:path';
import { format } from 'node:util';
import { launchBrowser } from './browser';
import { extensionHostLogTail, startCodeServer, tailOf } from './code-server';
import { VSCODE_VERSION } from './paths';

interface ShimArgs {
  extensionDevelopmentPath: string[];
  extensionTestsPath?: string;
  folder?: string;
}

function parseArgs(argv: string[]): ShimArgs | 'version' {
  const args: ShimArgs = { extensionDevelopmentPath: [] };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] as string;
    if (arg === '--version') return 'version';
    if (!arg.startsWith('--')) {
      args.folder ??= resolve(arg);
      continue;
    }
    const [key, inline] = arg.slice(2).split(/=(.*)/s) as [string, string | undefined];
    const takesValue = key === 'extensionDevelopmentPath' || key === 'extensionTestsPath';
    const value = inline ?? (takesValue ? argv[++i] : undefined);
    if (key === 'extensionDevelopmentPath' && value) args.extensionDevelopmentPath.push(resolve(value));
    if (key === 'extensionTestsPath' && value) args.extensionTestsPath = resolve(value);
    // Everything else (user data, extensions dir, Electron flags) is the run's own here.
  }
  return args;
}

/** Workbench messages that say nothing about the tests. */
const NOISE = /^(Resolving|Resolved|Creating a socket|Failed to load resource|An iframe which|Found unexpected service worker|The web worker extension host|Updating additional|\[Service Worker\]|ChatSessionStore|Overwriting extension|\[(Violation|DOM)\])|open-vsx\.org/;

async function main(): Promise<number> {
  const args = parseArgs(process.argv.slice(2));
  if (args === 'version') {
    console.log(`${VSCODE_VERSION}\ncode-server-shim\nx64`);
    return 0;
  }
  if (!args.extensionTestsPath) {
    console.error('code-shim: only extension test runs (--extensionTestsPath) are supported');
    return 2;
  }
  const server = await startCodeServer();
  try {
    const remote = (path: string) => `vscode-remote://127.0.0.1:${server.port}${path}`;
    const payload = [
      ...args.extensionDevelopmentPath.map((p) => ['extensionDevelopmentPath', remote(p)]),
      ['extensionTestsPath', remote(args.extensionTestsPath)],
    ];
    const target = args.folder ? `&folder=${encodeURIComponent(args.folder)}` : '&ew=true';
    const url = `${server.url}/?payload=${encodeURIComponent(JSON.stringify(payload))}${target}`;
    const browser = await launchBrowser();
    const { context, page } = browser;
    let finish: (code: number) => void = () => undefined;
    const exited = new Promise<number>((r) => (finish = r));
    await context.exposeFunction('codeAutomationExit', (code: number) => finish(code));
    // The extension host's console (mocha's reporter, console.log in tests) reaches the page console.
    page.on('console', (message) => {
      void (async () => {
        let text: string;
        try {
          let values = await Promise.all(message.args().map((a) => a.jsonValue() as Promise<unknown>));
          // forwarded lines look like ['%c INFO', 'color: #33f', format, ...args]
          if (typeof values[0] === 'string' && values[0].startsWith('%c') && typeof values[1] === 'string') values = values.slice(2);
          text = format(...values);
        } catch {
          text = message.text();
        }
        if (process.env.CODE_SHIM_VERBOSE || (text.trim() && !NOISE.test(text))) console.log(text);
      })();
    });
    await page.goto(url);
    const timeoutS = Number(process.env.CODE_SHIM_TIMEOUT_S ?? 300);
    const code = await Promise.race([exited, new Promise<number>((r) => setTimeout(() => r(-1), timeoutS * 1000).unref())]);
    await browser.close();
    if (code !== 0) {
      if (code === -1) console.error(`code-shim: the tests did not finish within ${timeoutS} s`);
      console.error(`\n--- extension host log (tail) ---\n${extensionHostLogTail(server.userDataDir)}`);
      console.error(`\n--- code-server log (tail) ---\n${tailOf(server.logFile, 20)}`);
    }
    return code === -1 ? 1 : code;
  } finally {
    await server.stop();
  }
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(`code-shim: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  },
);
