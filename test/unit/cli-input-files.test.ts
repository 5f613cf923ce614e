// The files `marketo-webhook` reads besides the definition (sample leads, field catalogs), as users
// and hostile repositories name them: FIFOs made with mkfifo, /dev/zero, /dev/stdin, a /proc file
// that never ends, symbolic links out of the project, `../..` paths. The built dist/cli.js is
// spawned with a kill timer, so a command that waits on a file is stopped and the test fails
// (instead of hanging); a real HTTP server on 127.0.0.1 shows whether anything was sent.
import assert from 'node:assert/strict';
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { after, before, beforeEach, describe, test } from 'node:test';
import { CLI } from './helpers';

/** Far longer than any of these commands takes; a command still running then waits on a file. */
const KILL_AFTER_MS = 20_000;
const posix = process.platform !== 'win32';

interface CliResult { code: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string }

function cli(args: string[], cwd: string, env: Record<string, string> = {}): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const clean: NodeJS.ProcessEnv = {};
    for (const [key, value] of Object.entries(process.env)) if (!key.startsWith('MARKETO_WEBHOOK_') && key !== 'FORCE_COLOR') clean[key] = value;
    // SIGKILL: a process whose thread waits in open() on a FIFO does not even finish process.exit.
    const child = spawn(process.execPath, [CLI, ...args], {
      cwd, env: { ...clean, NO_COLOR: '1', ...env }, timeout: KILL_AFTER_MS, killSignal: 'SIGKILL', stdio: ['pipe', 'pipe', 'pipe'],
    });
    // stdin stays open and silent until the end: reading it would wait.
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    child.on('error', reject);
    child.on('close', (code, signal) => {
      child.stdin.destroy();
      resolve({ code, signal, stdout, stderr });
    });
  });
}

/** Exit code 2, by itself, with exactly one line on stderr matching `message`, and no stack trace. */
function assertRefused(r: CliResult, message: RegExp): void {
  assert.equal(r.signal, null, `killed after ${KILL_AFTER_MS} ms: it waited on a file\n${r.stderr}`);
  assert.equal(r.code, 2, r.stdout + r.stderr);
  assert.equal(r.stderr.trim().split('\n').length, 1, r.stderr);
  assert.match(r.stderr.trim(), message);
  assert.ok(!r.stderr.includes('    at '), r.stderr);
}

function write(dir: string, name: string, content: unknown): string {
  const path = join(dir, name);
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, typeof content === 'string' ? content : JSON.stringify(content, null, 2));
  return path;
}

function mkfifo(path: string): string {
  mkdirSync(dirname(path), { recursive: true });
  execFileSync('mkfifo', [path]);
  return path;
}

const CUSTOM_CATALOG = {
  success: true,
  result: [{ id: 9001, displayName: 'Customer Tier', dataType: 'string', length: 255, rest: { name: 'customerTier' }, soap: { name: 'customerTier' } }],
};

void describe('files the command line reads', () => {
  let tmp: string;
  let server: Server;
  let base = '';
  let received: string[] = [];
  let counter = 0;
  const fresh = () => {
    const dir = join(tmp, `case-${++counter}`);
    mkdirSync(dir, { recursive: true });
    return dir;
  };
  const definition = (extra: Record<string, unknown> = {}) => ({
    name: 'Enrich',
    url: `${base}/enrich`,
    template: '{"email": {{lead.Email Address}}}',
    requestTokenEncoding: 'JSON',
    headers: { 'Content-Type': 'application/json' },
    ...extra,
  });

  before(async () => {
    assert.ok(existsSync(CLI), `${CLI} is missing: run \`npm run build\` before these tests`);
    tmp = mkdtempSync(join(tmpdir(), 'marketo-webhook-cli-inputs-'));
    server = createServer((req, res) => {
      let body = '';
      req.setEncoding('utf8').on('data', (chunk: string) => (body += chunk));
      req.on('end', () => {
        received.push(body);
        res.writeHead(200, { 'Content-Type': 'application/json' }).end('{"ok":true}');
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });

  after(async () => {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
    if (tmp) rmSync(tmp, { recursive: true, force: true });
  });

  beforeEach(() => {
    received = [];
  });

  void describe('regular files only, bounded, never waited on', { skip: !posix }, () => {
    void test('a FIFO as test.lead: exit 2 at once naming it, nothing sent (it used to hang past --timeout)', async () => {
      const dir = fresh();
      mkfifo(join(dir, 'lead.fifo'));
      write(dir, 'enrich.webhook.jsonc', definition({ test: { lead: 'lead.fifo' } }));
      const r = await cli(['run', 'enrich.webhook.jsonc', '--timeout', '1000'], dir);
      assertRefused(r, /^marketo-webhook: Cannot read the sample lead lead\.fifo: it is a FIFO \(named pipe\), not a regular file \(lead\.fifo\)$/);
      assert.deepEqual(received, []);

      const withJson = await cli(['run', 'enrich.webhook.jsonc', '--json'], dir);
      assertRefused(withJson, /FIFO/);
      const doc = JSON.parse(withJson.stdout) as { request: unknown; diagnostics: { code: string }[] };
      assert.equal(doc.request, null);
      assert.deepEqual(doc.diagnostics.map((d) => d.code), ['lead-unusable']);
    });

    void test('a FIFO as --lead, --fields or the definition itself: exit 2 at once naming it', async () => {
      const dir = fresh();
      const fifo = mkfifo(join(dir, 'x.fifo'));
      mkfifo(join(dir, 'fifo.webhook.jsonc'));
      write(dir, 'enrich.webhook.jsonc', definition());
      assertRefused(await cli(['run', 'enrich.webhook.jsonc', '--lead', 'x.fifo'], dir),
        /^marketo-webhook: cannot read lead file x\.fifo: it is a FIFO \(named pipe\), not a regular file$/);
      assertRefused(await cli(['run', 'enrich.webhook.jsonc', '--fields', fifo], dir),
        /^marketo-webhook: cannot read --fields file x\.fifo: it is a FIFO \(named pipe\), not a regular file$/);
      assertRefused(await cli(['validate', 'enrich.webhook.jsonc', '--fields', 'x.fifo'], dir), /--fields file x\.fifo: it is a FIFO/);
      assertRefused(await cli(['validate', 'fifo.webhook.jsonc'], dir),
        /^marketo-webhook: cannot read definition file fifo\.webhook\.jsonc: it is a FIFO \(named pipe\), not a regular file$/);
      assertRefused(await cli(['run', 'fifo.webhook.jsonc'], dir), /cannot read definition file fifo\.webhook\.jsonc: it is a FIFO/);
      assert.deepEqual(received, []);
    });

    void test('--lead /dev/zero and --lead /dev/stdin (open, nobody writes to it): refused, nothing read', async () => {
      const dir = fresh();
      write(dir, 'enrich.webhook.jsonc', definition());
      assertRefused(await cli(['run', 'enrich.webhook.jsonc', '--lead', '/dev/zero'], dir),
        /^marketo-webhook: cannot read lead file \/dev\/zero: it is a character device, not a regular file$/);
      assertRefused(await cli(['run', 'enrich.webhook.jsonc', '--lead', '/dev/stdin'], dir),
        // Node gives a child a socket for stdin: opening it is refused outright (ENXIO).
        /^marketo-webhook: cannot read lead file \/dev\/stdin: it is (a FIFO \(named pipe\), |a socket, )?not a regular file$/);
      assertRefused(await cli(['run', 'enrich.webhook.jsonc', '--fields', '/dev/zero'], dir), /--fields file \/dev\/zero: it is a character device/);
      assert.deepEqual(received, []);
    });

    void test('a lead that says it is empty and never ends (/proc/self/pagemap): cut at 5 MB, exit 2', { skip: !existsSync('/proc/self/pagemap') }, async () => {
      const dir = fresh();
      write(dir, 'enrich.webhook.jsonc', definition());
      assertRefused(await cli(['run', 'enrich.webhook.jsonc', '--lead', '/proc/self/pagemap'], dir),
        /^marketo-webhook: cannot read lead file \/proc\/self\/pagemap: it is more than 5 MB; a file over 5 MB is not read$/);
    });
  });

  void describe('a definition names files only inside its folder or the current folder', () => {
    const secretLead = { 'Email Address': 'leaked-key-0123@example.com' };

    void test('test.lead: "../../…" out of the project is refused, says how to pass it, and nothing is sent', async () => {
      const dir = fresh();
      write(dir, 'secrets/credentials.json', secretLead);
      write(dir, 'project/hooks/enrich.webhook.jsonc', definition({ test: { lead: '../../secrets/credentials.json' } }));
      const r = await cli(['run', 'hooks/enrich.webhook.jsonc'], join(dir, 'project'));
      assertRefused(r, /^marketo-webhook: Cannot read the sample lead \.\.\/\.\.\/secrets\/credentials\.json: it is outside the definition's folder and the current folder; a definition may only name files inside them\. Pass it with --lead to use it anyway\.$/);
      assert.deepEqual(received, []);
      assert.ok(!r.stdout.includes('leaked-key'));

      // An absolute path is no way around it.
      write(dir, 'project/hooks/absolute.webhook.jsonc', definition({ test: { lead: join(dir, 'secrets', 'credentials.json') } }));
      assertRefused(await cli(['run', 'hooks/absolute.webhook.jsonc'], join(dir, 'project')), /is outside the definition's folder and the current folder/);
      write(dir, 'project/hooks/zero.webhook.jsonc', definition({ test: { lead: '/dev/zero' } }));
      assertRefused(await cli(['run', 'hooks/zero.webhook.jsonc'], join(dir, 'project')), /Cannot read the sample lead \/dev\/zero: it is outside/);
      assert.deepEqual(received, []);

      // The user may name it.
      const passed = await cli(['run', 'hooks/enrich.webhook.jsonc', '--lead', '../secrets/credentials.json'], join(dir, 'project'));
      assert.equal(passed.code, 0, passed.stdout + passed.stderr);
      assert.deepEqual(received.map((b) => JSON.parse(b) as unknown), [{ email: 'leaked-key-0123@example.com' }]);
    });

    void test('a symbolic link inside the project that leads out is refused', { skip: !posix }, async () => {
      const dir = fresh();
      write(dir, 'secrets/credentials.json', secretLead);
      mkdirSync(join(dir, 'project'));
      symlinkSync(join(dir, 'secrets', 'credentials.json'), join(dir, 'project', 'ada.lead.json'));
      write(dir, 'project/enrich.webhook.jsonc', definition({ test: { lead: 'ada.lead.json' } }));
      assertRefused(await cli(['run', 'enrich.webhook.jsonc'], join(dir, 'project')),
        /^marketo-webhook: Cannot read the sample lead ada\.lead\.json: it is outside the definition's folder and the current folder; .* Pass it with --lead to use it anyway\.$/);
      assert.deepEqual(received, []);
    });

    void test('run from the home folder, a definition there cannot name ~/.config: home is never a root', async () => {
      const home = fresh();
      write(home, '.config/gcloud/credentials.json', secretLead);
      write(home, 'enrich.webhook.jsonc', definition({ test: { lead: '.config/gcloud/credentials.json' } }));
      write(home, 'project/enrich.webhook.jsonc', definition({ test: { lead: '../.config/gcloud/credentials.json' } }));
      // HOME is the temporary folder: os.homedir() follows it.
      assertRefused(await cli(['run', 'enrich.webhook.jsonc'], home, { HOME: home }), /Cannot read the sample lead \.config\/gcloud\/credentials\.json: it is outside/);
      assertRefused(await cli(['run', 'project/enrich.webhook.jsonc'], home, { HOME: home }), /it is outside the definition's folder and the current folder/);
      assert.deepEqual(received, []);
      // Inside a project below home, the project's own files still work.
      write(home, 'project/ada.lead.json', { 'Email Address': 'ada@example.com' });
      write(home, 'project/ada.webhook.jsonc', definition({ test: { lead: 'ada.lead.json' } }));
      const fine = await cli(['run', 'project/ada.webhook.jsonc'], home, { HOME: home });
      assert.equal(fine.code, 0, fine.stdout + fine.stderr);
      assert.deepEqual(received.map((b) => JSON.parse(b) as unknown), [{ email: 'ada@example.com' }]);
    });

    void test('inside the current folder or below the definition is fine: ../leads from hooks/ when run from the project', async () => {
      const dir = fresh();
      write(dir, 'project/leads/ada.lead.json', { 'Email Address': 'ada@example.com' });
      write(dir, 'project/hooks/enrich.webhook.jsonc', definition({ test: { lead: '../leads/ada.lead.json' } }));
      write(dir, 'project/hooks/below.webhook.jsonc', definition({ test: { lead: 'sub/grace.lead.json' } }));
      write(dir, 'project/hooks/sub/grace.lead.json', { 'Email Address': 'grace@example.com' });
      const fromProject = await cli(['run', 'hooks/enrich.webhook.jsonc'], join(dir, 'project'));
      assert.equal(fromProject.code, 0, fromProject.stdout + fromProject.stderr);
      const below = await cli(['run', 'below.webhook.jsonc'], join(dir, 'project', 'hooks'));
      assert.equal(below.code, 0, below.stdout + below.stderr);
      assert.deepEqual(received.map((b) => JSON.parse(b) as unknown), [{ email: 'ada@example.com' }, { email: 'grace@example.com' }]);
      // From hooks/ itself, ../leads is outside both.
      assertRefused(await cli(['run', 'enrich.webhook.jsonc'], join(dir, 'project', 'hooks')), /is outside the definition's folder and the current folder/);
    });
  });

  void describe('marketo-fields.json is looked for up to the repository root or the home folder', () => {
    const tierDefinition = {
      name: 'Tier', url: 'https://api.example.com/tier', template: '{"tier": {{lead.Customer Tier}}}', requestTokenEncoding: 'JSON',
      headers: { 'Content-Type': 'application/json' },
    };
    /** The codes validate reports for the definition: none when the custom field is known. */
    const codes = async (cwd: string, file: string, env: Record<string, string> = {}) => {
      const r = await cli(['validate', file, '--json'], cwd, env);
      assert.equal(r.signal, null, r.stderr);
      const doc = JSON.parse(r.stdout) as { files: { diagnostics: { code: string }[] }[] };
      return { codes: doc.files[0]!.diagnostics.map((d) => d.code), stderr: r.stderr };
    };

    void test('not above a folder holding .git', async () => {
      const dir = fresh();
      write(dir, 'outer/marketo-fields.json', CUSTOM_CATALOG);
      write(dir, 'outer/repo/hooks/tier.webhook.jsonc', tierDefinition);
      const repo = join(dir, 'outer', 'repo');
      // Without .git the walk reaches outer/ and knows the field.
      assert.deepEqual((await codes(repo, 'hooks/tier.webhook.jsonc', { HOME: dir })).codes, []);
      mkdirSync(join(repo, '.git'));
      assert.deepEqual((await codes(repo, 'hooks/tier.webhook.jsonc', { HOME: dir })).codes, ['token-unknown-field']);
      // A worktree's .git is a file: the same root.
      rmSync(join(repo, '.git'), { recursive: true });
      writeFileSync(join(repo, '.git'), 'gitdir: /elsewhere\n');
      assert.deepEqual((await codes(repo, 'hooks/tier.webhook.jsonc', { HOME: dir })).codes, ['token-unknown-field']);
      // The repository's own is found.
      write(dir, 'outer/repo/marketo-fields.json', CUSTOM_CATALOG);
      assert.deepEqual((await codes(repo, 'hooks/tier.webhook.jsonc', { HOME: dir })).codes, []);
    });

    void test('not above the home folder (home itself counts)', async () => {
      const dir = fresh();
      write(dir, 'marketo-fields.json', CUSTOM_CATALOG);
      write(dir, 'home/proj/tier.webhook.jsonc', tierDefinition);
      const proj = join(dir, 'home', 'proj');
      assert.deepEqual((await codes(proj, 'tier.webhook.jsonc', { HOME: join(dir, 'home') })).codes, ['token-unknown-field']);
      write(dir, 'home/marketo-fields.json', CUSTOM_CATALOG);
      assert.deepEqual((await codes(proj, 'tier.webhook.jsonc', { HOME: join(dir, 'home') })).codes, []);
    });

    void test('a marketo-fields.json that links out of the repository is not read: a warning, the standard fields', { skip: !posix }, async () => {
      const dir = fresh();
      write(dir, 'other/marketo-fields.json', CUSTOM_CATALOG);
      write(dir, 'repo/tier.webhook.jsonc', tierDefinition);
      const repo = join(dir, 'repo');
      mkdirSync(join(repo, '.git'));
      symlinkSync(join(dir, 'other', 'marketo-fields.json'), join(repo, 'marketo-fields.json'));
      const linked = await codes(repo, 'tier.webhook.jsonc', { HOME: dir });
      assert.deepEqual(linked.codes, ['token-unknown-field']);
      assert.match(linked.stderr, /^marketo-webhook: warning: cannot read fields file marketo-fields\.json: it is outside .*repo and the current folder; a marketo-fields\.json found next to a definition must lie inside them\. Pass it with --fields to use it anyway\.; using the standard lead fields only$/m);
      // Named by the user, the same file is read.
      const r = await cli(['validate', 'tier.webhook.jsonc', '--fields', '../other/marketo-fields.json', '--json'], repo, { HOME: dir });
      assert.equal(r.code, 0, r.stderr);
      assert.equal(r.stderr, '');

      // A link to /dev/zero and a FIFO by that name: a warning at once, never a wait.
      rmSync(join(repo, 'marketo-fields.json'));
      symlinkSync('/dev/zero', join(repo, 'marketo-fields.json'));
      assert.match((await codes(repo, 'tier.webhook.jsonc', { HOME: dir })).stderr, /cannot read fields file marketo-fields\.json: it is outside/);
      rmSync(join(repo, 'marketo-fields.json'));
      mkfifo(join(repo, 'marketo-fields.json'));
      assert.match((await codes(repo, 'tier.webhook.jsonc', { HOME: dir })).stderr, /cannot read fields file marketo-fields\.json: it is a FIFO \(named pipe\), not a regular file; using the standard lead fields only/);
    });
  });
});
