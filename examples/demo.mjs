// `npm run demo`: starts the local demo service, runs every example webhook through the
// command line (`marketo-webhook run`, and `validate` for the broken one) and checks that each
// one ends the way Marketo would end it. Exit code 0 when all of them did.
//
//   DEMO_PORT=9000 npm run demo    use another port (it must be free)
//   DEMO_PORT=0 npm run demo       any free port
// Without DEMO_PORT the demo tries 8787 and falls back to a free port when 8787 is busy. The
// definitions call http://127.0.0.1:8787, so on any other port the demo runs copies of them
// (in a temporary folder) with that origin rewritten.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { cp, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DEFAULT_PORT, startDemoServer } from './demo-server.mjs';

const EXAMPLES_DIR = fileURLToPath(new URL('.', import.meta.url));
const ROOT = fileURLToPath(new URL('..', import.meta.url));
const CLI = join(ROOT, 'dist', 'cli.js');
const ORIGIN = `http://127.0.0.1:${DEFAULT_PORT}`;
const SECRET_ENV = 'MARKETO_WEBHOOK_SECRET_ENRICH_API_KEY';

/**
 * Each example, the command that shows it best, and how it must end.
 * `service`: the status the demo service must have answered (null: it must not be called).
 */
const EXAMPLES = [
  { file: 'enrich-company.webhook.jsonc', command: 'run', exit: 0, service: 200, story: '200 OK with JSON: four lead fields mapped' },
  { file: 'sms-reminder.webhook.jsonc', command: 'run', exit: 1, service: 429, story: '429 Too Many Requests: wait and call again' },
  { file: 'slack-alert.webhook.jsonc', command: 'run', exit: 1, service: 200, story: '200 with an empty body: Marketo reports 1001' },
  { file: 'crm-sync.webhook.jsonc', command: 'run', exit: 0, service: 200, story: 'XML answer: three fields mapped, one skipped' },
  { file: 'order-status.webhook.jsonc', command: 'run', exit: 1, service: 500, story: '500 Internal Server Error: mappings ignored' },
  { file: 'nightly-batch.webhook.jsonc', command: 'run', exit: 1, service: null, story: 'batch campaign: Marketo\'s 1000, nothing sent' },
  { file: 'broken.webhook.jsonc', command: 'validate', exit: 1, service: null, story: 'validation errors, each with its place in the file' },
];

const tty = process.stdout.isTTY && !process.env.NO_COLOR;
const bold = (s) => (tty ? `\x1b[1m${s}\x1b[22m` : s);
const green = (s) => (tty ? `\x1b[32m${s}\x1b[39m` : s);
const red = (s) => (tty ? `\x1b[31m${s}\x1b[39m` : s);

function fail(message) {
  console.error(`demo: ${message}`);
  process.exit(1);
}

/** DEMO_PORT as a number, or undefined when it is not set. */
function requestedPort() {
  const raw = process.env.DEMO_PORT;
  if (raw === undefined || raw.trim() === '') return undefined;
  const port = Number(raw);
  if (!Number.isInteger(port) || port < 0 || port > 65535) fail(`DEMO_PORT must be a port number (0-65535), not "${raw}".`);
  return port;
}

async function startServer() {
  const wanted = requestedPort();
  try {
    return await startDemoServer({ port: wanted ?? DEFAULT_PORT });
  } catch (error) {
    if (error?.code !== 'EADDRINUSE') fail(`the demo service could not start: ${error?.message ?? error}`);
    if (wanted !== undefined) {
      fail(`port ${wanted} on 127.0.0.1 is already in use. Free it, or pick another port: DEMO_PORT=9000 npm run demo (DEMO_PORT=0: any free port).`);
    }
    console.log(`Port ${DEFAULT_PORT} is busy (another demo service?); using a free port instead.`);
    try {
      return await startDemoServer({ port: 0 });
    } catch (again) {
      return fail(`the demo service could not start: ${again?.message ?? again}`);
    }
  }
}

/** On a port other than 8787: copies of the examples with the origin rewritten, in a temp folder. */
async function prepareExamples(server) {
  if (server.url === ORIGIN) return { dir: EXAMPLES_DIR, cleanup: async () => {} };
  const dir = await mkdtemp(join(tmpdir(), 'marketo-webhook-demo-'));
  for (const name of await readdir(EXAMPLES_DIR)) {
    const from = join(EXAMPLES_DIR, name);
    if (name.endsWith('.webhook.jsonc')) {
      const text = await readFile(from, 'utf8');
      await writeFile(join(dir, name), text.split(ORIGIN).join(server.url));
    } else if (/\.lead\.jsonc?$/.test(name) || name === 'marketo-fields.json') {
      await cp(from, join(dir, name));
    }
  }
  console.log(`The definitions call ${ORIGIN}; running copies that call ${server.url} instead (${dir}).`);
  return { dir, cleanup: () => rm(dir, { recursive: true, force: true }) };
}

function runCli(args, env) {
  return new Promise((resolve) => {
    // Asynchronous on purpose: the demo service answers from this very process.
    const child = spawn(process.execPath, [CLI, ...args], { cwd: ROOT, env, stdio: 'inherit' });
    child.on('error', (error) => {
      console.error(`demo: could not start the command line: ${error.message}`);
      resolve(-1);
    });
    child.on('exit', (code, signal) => resolve(code ?? (signal ? 128 : -1)));
  });
}

async function main() {
  if (!existsSync(CLI)) fail('dist/cli.js is missing. Build first: npm run build (npm run demo does it for you).');
  const server = await startServer();
  const { dir, cleanup } = await prepareExamples(server);
  const env = { ...process.env };
  if (!env[SECRET_ENV]) env[SECRET_ENV] = 'demo-key';

  console.log(bold(`Marketo webhook workbench demo: ${EXAMPLES.length} examples against the demo service at ${server.url}`));
  const outcomes = [];
  try {
    for (const [index, example] of EXAMPLES.entries()) {
      const path = join(dir, example.file);
      const shown = dir === EXAMPLES_DIR ? relative(ROOT, path) : path;
      console.log('');
      console.log(bold(`━━ ${index + 1}/${EXAMPLES.length}  ${example.file}: ${example.story}`));
      console.log(`$ marketo-webhook ${example.command} ${shown}`);
      console.log('');
      const before = server.requests.length;
      const code = await runCli([example.command, shown], env);
      const seen = server.requests.slice(before);
      const problems = [];
      if (code !== example.exit) problems.push(`exit code ${code}, expected ${example.exit}`);
      if (example.service === null && seen.length > 0) {
        problems.push(`the demo service was called (${seen.map((r) => `${r.method} ${r.path}`).join(', ')}), but nothing should have been sent`);
      }
      if (example.service !== null && !seen.some((r) => r.status === example.service)) {
        const got = seen.length > 0 ? seen.map((r) => `${r.method} ${r.path} → ${r.status}`).join(', ') : 'no request';
        problems.push(`the demo service should have answered ${example.service}, but saw ${got}`);
      }
      console.log('');
      const served = seen.length > 0 ? seen.map((r) => `${r.method} ${r.path} → ${r.status}`).join(', ') : 'no request';
      console.log(`   demo service: ${served}`);
      if (problems.length === 0) console.log(green(`   ✓ exit ${code}, as expected`));
      else for (const p of problems) console.log(red(`   ✗ ${p}`));
      outcomes.push({ example, ok: problems.length === 0 });
    }
  } finally {
    await server.close();
    await cleanup();
  }

  const failed = outcomes.filter((o) => !o.ok);
  console.log('');
  if (failed.length === 0) {
    console.log(green(bold(`All ${outcomes.length} examples behaved as Marketo would have them behave.`)));
    process.exit(0);
  }
  console.log(red(bold(`${failed.length} of ${outcomes.length} examples did not behave as expected: ${failed.map((o) => o.example.file).join(', ')}`)));
  process.exit(1);
}

await main();
