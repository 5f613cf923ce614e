// The `marketo-webhook` command as users run it: the built dist/cli.js, spawned on temporary
// folders, with a real HTTP server on 127.0.0.1 for `run`. Build first: `npm run build`.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { closeSync, existsSync, mkdirSync, mkdtempSync, openSync, readFileSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingHttpHeaders, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { after, before, beforeEach, describe, test } from 'node:test';
import { CLI, projectRoot } from './helpers';

const SPAWN_TIMEOUT_MS = 20_000;
const RUN_KEYS = ['definition', 'request', 'response', 'classification', 'mappings', 'handling', 'assumptions', 'diagnostics'];

interface CliResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

interface SpawnOptions {
  cwd: string;
  env?: Record<string, string | undefined>;
  /** called once the process is running, e.g. to send it a signal */
  onSpawn?: (kill: (signal: NodeJS.Signals) => void) => void;
}

/** Environment without the caller's colour settings or secrets, so results do not depend on the shell. */
function cleanEnv(extra: Record<string, string | undefined> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (key.startsWith('MARKETO_WEBHOOK_') || key === 'NO_COLOR' || key === 'FORCE_COLOR') continue;
    env[key] = value;
  }
  for (const [key, value] of Object.entries(extra)) {
    if (value === undefined) delete env[key];
    else env[key] = value;
  }
  return env;
}

function cli(args: string[], options: SpawnOptions): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI, ...args], {
      cwd: options.cwd, env: cleanEnv(options.env), timeout: SPAWN_TIMEOUT_MS, stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    child.on('error', reject);
    child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr }));
    options.onSpawn?.((signal) => child.kill(signal));
  });
}

function parseJson(r: CliResult): Record<string, unknown> {
  try {
    return JSON.parse(r.stdout) as Record<string, unknown>;
  } catch {
    assert.fail(`stdout is not one JSON document:\n${r.stdout}\nstderr:\n${r.stderr}`);
  }
}

/** An unexpected failure must never show a stack trace. */
function assertNoStack(r: CliResult): void {
  assert.ok(!r.stderr.includes('    at '), `stack trace on stderr:\n${r.stderr}`);
}

interface Position { line: number; character: number }
interface PublicDiagnostic { severity: string; code: string; message: string; range: { start: Position; end: Position } }
interface RunDoc {
  definition: { name: string; file: string };
  request: unknown;
  response: unknown;
  classification: unknown;
  mappings: unknown[];
  handling: unknown;
  diagnostics: PublicDiagnostic[];
}

const ZERO_RANGE = { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } };

/**
 * The document of a run stopped before anything was sent: nothing but the contract keys, nothing
 * sent or received, and exactly `diagnostics` (compared without their messages, which are checked
 * by the caller).
 */
function assertStoppedDoc(r: CliResult, definition: RunDoc['definition'], diagnostics: Omit<PublicDiagnostic, 'message'>[]): RunDoc {
  const doc = parseJson(r) as unknown as RunDoc;
  assert.equal(r.stdout.trim(), JSON.stringify(doc, null, 2), 'nothing but the document on stdout');
  assert.deepEqual(Object.keys(doc), RUN_KEYS);
  assert.deepEqual(doc.definition, definition);
  assert.deepEqual([doc.request, doc.response, doc.classification, doc.handling, doc.mappings], [null, null, null, null, []]);
  for (const d of doc.diagnostics) {
    assert.deepEqual(Object.keys(d).sort(), ['code', 'message', 'range', 'severity']);
    assert.equal(typeof d.message, 'string');
    assert.ok(d.message.length > 0);
  }
  assert.deepEqual(doc.diagnostics.map(({ message: _message, ...rest }) => rest), diagnostics);
  return doc;
}

/** An empty file of `bytes` bytes that takes no room on disk (sparse), to test size limits quickly. */
function sparseFile(dir: string, name: string, bytes: number): string {
  const path = join(dir, name);
  closeSync(openSync(path, 'w'));
  truncateSync(path, bytes);
  return path;
}

function write(dir: string, name: string, content: unknown): string {
  const path = join(dir, name);
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, typeof content === 'string' ? content : JSON.stringify(content, null, 2));
  return path;
}

// -----------------------------------------------------------------------------------------------
// fixtures

/** A definition without problems (validate prints no diagnostic for it). */
function goodDefinition(url: string, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    name: 'Enrich on signup',
    url,
    requestType: 'POST',
    template: '{"email": {{lead.Email Address}}, "first": {{lead.First Name}}}',
    requestTokenEncoding: 'JSON',
    responseType: 'JSON',
    headers: { 'Content-Type': 'application/json' },
    responseMappings: [{ responseAttribute: 'company.name', marketoField: 'Company' }],
    test: { lead: { 'Email Address': 'ada@example.com', 'First Name': 'Ada' } },
    ...extra,
  };
}

interface Received {
  method: string;
  url: string;
  headers: IncomingHttpHeaders;
  body: string;
}

type Handler = (req: Received, res: ServerResponse) => void;

const json = (status: number, body: unknown): Handler => (_req, res) => {
  res.writeHead(status, { 'Content-Type': 'application/json' });
  res.end(JSON.stringify(body));
};

void describe('marketo-webhook command line', () => {
  let tmp: string;
  let server: Server;
  let base: string;
  let handler: Handler = json(200, {});
  let received: Received[] = [];
  const held: ServerResponse[] = [];

  before(async () => {
    assert.ok(existsSync(CLI), `${CLI} is missing: run \`npm run build\` before these tests`);
    tmp = mkdtempSync(join(tmpdir(), 'marketo-webhook-cli-'));
    server = createServer((req, res) => {
      let body = '';
      req.setEncoding('utf8').on('data', (chunk: string) => (body += chunk));
      req.on('end', () => {
        const r: Received = { method: req.method ?? '', url: req.url ?? '', headers: req.headers, body };
        received.push(r);
        handler(r, res);
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });

  after(async () => {
    for (const res of held) res.destroy();
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
    if (tmp) rmSync(tmp, { recursive: true, force: true });
  });

  beforeEach(() => {
    received = [];
    handler = json(200, {});
  });

  let counter = 0;
  /** A fresh folder per test, so conventions (marketo-fields.json) do not leak between tests. */
  const freshDir = () => {
    const dir = join(tmp, `case-${++counter}`);
    mkdirSync(dir, { recursive: true });
    return dir;
  };

  // ---------------------------------------------------------------------------------------------
  void describe('usage', () => {
    void test('--help prints usage and exits 0', async () => {
      const r = await cli(['--help'], { cwd: tmp });
      assert.equal(r.code, 0, r.stderr);
      assert.match(r.stdout, /marketo-webhook validate <file\|dir>/);
      assert.match(r.stdout, /marketo-webhook run <file\.webhook\.jsonc>/);
      assert.match(r.stdout, /MARKETO_WEBHOOK_SECRET_<NAME>/);
      assert.equal(r.stderr, '');
    });

    void test('run --help explains the exit codes', async () => {
      const r = await cli(['run', '--help'], { cwd: tmp });
      assert.equal(r.code, 0, r.stderr);
      assert.match(r.stdout, /Exit codes/);
      assert.match(r.stdout, /--token "my\.Name=value"/);
    });

    void test('--version prints the package version', async () => {
      const r = await cli(['--version'], { cwd: tmp });
      assert.equal(r.code, 0, r.stderr);
      const { version } = JSON.parse(readFileSync(join(projectRoot(), 'package.json'), 'utf8')) as { version: string };
      assert.equal(r.stdout.trim(), version);
    });

    void test('an unknown command exits 2 with a message and a usage hint', async () => {
      const r = await cli(['lint', 'x'], { cwd: tmp });
      assert.equal(r.code, 2);
      assert.equal(r.stdout, '');
      assert.match(r.stderr, /^marketo-webhook: unknown command "lint"/);
      assert.match(r.stderr, /usage:/);
      assertNoStack(r);
    });

    for (const [args, message] of [
      [['run', 'x.webhook.jsonc', '--campaign', 'nightly'], /--campaign must be trigger or batch/],
      [['run', 'x.webhook.jsonc', '--timeout', '-5'], /--timeout must be a positive whole number/],
      // Past setTimeout's limit a Node.js timer fires at once: the call would time out immediately.
      [['run', 'x.webhook.jsonc', '--timeout', '9999999999'], /^marketo-webhook: --timeout must be a positive whole number of milliseconds, at most 2147483647 .*"9999999999"$/m],
      [['run', 'x.webhook.jsonc', '--timeout', '0.5'], /^marketo-webhook: --timeout must be a positive whole number of milliseconds, at most 2147483647 .*"0\.5"$/m],
      [['run', 'x.webhook.jsonc', '--token', 'my.Key'], /has no "="/],
      [['validate', 'x', '--bogus'], /unknown option --bogus/],
    ] as [string[], RegExp][]) {
      void test(`usage error exits 2: ${args.slice(2).join(' ')}`, async () => {
        const r = await cli(args, { cwd: tmp });
        assert.equal(r.code, 2);
        assert.equal(r.stdout, '');
        assert.match(r.stderr, message);
        assertNoStack(r);
      });
    }
  });

  // ---------------------------------------------------------------------------------------------
  void describe('validate', () => {
    void test('a good file: exit 0, --json lists it with no diagnostics', async () => {
      const dir = freshDir();
      write(dir, 'good.webhook.jsonc', `// a comment, as JSONC allows\n${JSON.stringify(goodDefinition('https://api.example.com/enrich'), null, 2)}\n`);
      const r = await cli(['validate', 'good.webhook.jsonc', '--json'], { cwd: dir });
      assert.equal(r.code, 0, r.stdout + r.stderr);
      assert.deepEqual(parseJson(r), { files: [{ file: 'good.webhook.jsonc', diagnostics: [] }] });

      const readable = await cli(['validate', 'good.webhook.jsonc'], { cwd: dir });
      assert.equal(readable.code, 0);
      assert.match(readable.stdout, /✔ 1 definition, no problems/);
    });

    void test('a missing url: exit 1, an error diagnostic with a code and a range, no data', async () => {
      const dir = freshDir();
      const def = goodDefinition('x');
      delete def.url;
      write(dir, 'no-url.webhook.jsonc', def);
      const r = await cli(['validate', 'no-url.webhook.jsonc', '--json'], { cwd: dir });
      assert.equal(r.code, 1, r.stdout + r.stderr);
      const doc = parseJson(r) as { files: { file: string; diagnostics: Record<string, unknown>[] }[] };
      assert.equal(doc.files.length, 1);
      const errors = doc.files[0]!.diagnostics.filter((d) => d.severity === 'error');
      assert.ok(errors.length > 0, JSON.stringify(doc));
      for (const d of doc.files[0]!.diagnostics) {
        assert.deepEqual(Object.keys(d).sort(), ['code', 'message', 'range', 'severity']);
        assert.equal(typeof d.code, 'string');
        const range = d.range as { start: { line: number; character: number }; end: { line: number; character: number } };
        assert.equal(typeof range.start.line, 'number');
        assert.equal(typeof range.end.character, 'number');
      }
    });

    void test('{{lead.FirstName}} is not a token: exit 1, the range points at it; readable rows are 1-based', async () => {
      const dir = freshDir();
      const text = [
        '{',
        '  "name": "Bad token",',
        '  "url": "https://api.example.com/x",',
        '  "template": "{\\"first\\": {{lead.FirstName}}}",',
        '  "requestTokenEncoding": "JSON",',
        '  "headers": { "Content-Type": "application/json" }',
        '}',
      ].join('\n');
      write(dir, 'bad.webhook.jsonc', text);
      const r = await cli(['validate', 'bad.webhook.jsonc', '--json'], { cwd: dir });
      assert.equal(r.code, 1, r.stdout + r.stderr);
      const doc = parseJson(r) as { files: { diagnostics: PublicDiagnostic[] }[] };
      const errors = doc.files[0]!.diagnostics.filter((d) => d.severity === 'error');
      assert.equal(errors.length, 1, JSON.stringify(doc));
      const error = errors[0]!;
      // The unknown name only, not the whole token: line 4 (0-based 3), `FirstName`.
      const start = text.split('\n')[3]!.indexOf('FirstName');
      assert.ok(start > 0);
      assert.equal(error.code, 'token-unknown-field');
      assert.deepEqual(error.range, { start: { line: 3, character: start }, end: { line: 3, character: start + 'FirstName'.length } });

      const readable = await cli(['validate', 'bad.webhook.jsonc'], { cwd: dir, env: { NO_COLOR: '1' } });
      assert.equal(readable.code, 1);
      assert.match(readable.stdout, /^bad\.webhook\.jsonc$/m);
      assert.match(readable.stdout, new RegExp(`^ {2}4:${error.range.start.character + 1} +error +.*${error.code}$`, 'm'));
      assert.match(readable.stdout, /✖ \d+ problems? \(\d+ errors?, \d+ warnings?\)/);
    });

    void test('a folder: every nested *.webhook.jsonc, sorted, skipping node_modules and dot-folders', async () => {
      const dir = freshDir();
      const good = goodDefinition('https://api.example.com/enrich');
      write(dir, 'defs/b.webhook.jsonc', good);
      write(dir, 'defs/sub/a.webhook.jsonc', good);
      write(dir, 'defs/a.webhook.jsonc', good);
      write(dir, 'defs/notes.jsonc', '{ not a definition');
      write(dir, 'defs/a.lead.json', { 'First Name': 'Ada' });
      write(dir, 'defs/node_modules/pkg/x.webhook.jsonc', '{ broken');
      write(dir, 'defs/.hidden/y.webhook.jsonc', '{ broken');
      const r = await cli(['validate', 'defs', '--json'], { cwd: dir });
      assert.equal(r.code, 0, r.stdout + r.stderr);
      const doc = parseJson(r) as { files: { file: string }[] };
      assert.deepEqual(doc.files.map((f) => f.file.replace(/\\/g, '/')), ['defs/a.webhook.jsonc', 'defs/b.webhook.jsonc', 'defs/sub/a.webhook.jsonc']);
    });

    void test('a path that cannot be read: exit 2 naming it; the readable files are still reported', async () => {
      const dir = freshDir();
      write(dir, 'good.webhook.jsonc', goodDefinition('https://api.example.com/enrich'));
      const r = await cli(['validate', 'missing.webhook.jsonc', 'good.webhook.jsonc', '--json'], { cwd: dir });
      assert.equal(r.code, 2);
      assert.match(r.stderr, /^marketo-webhook: cannot read missing\.webhook\.jsonc: no such file$/m);
      assert.deepEqual(parseJson(r), { files: [{ file: 'good.webhook.jsonc', diagnostics: [] }] });
      assertNoStack(r);
    });

    void test('an invalid --fields file exits 2; an invalid marketo-fields.json only warns', async () => {
      const dir = freshDir();
      write(dir, 'good.webhook.jsonc', goodDefinition('https://api.example.com/enrich'));
      write(dir, 'broken.json', '{ "result": [ ');
      const r = await cli(['validate', 'good.webhook.jsonc', '--fields', 'broken.json'], { cwd: dir });
      assert.equal(r.code, 2);
      assert.match(r.stderr, /broken\.json is not valid JSON/);
      assert.equal(r.stdout, '');

      // --json: still exactly one document, with no files checked.
      const withJson = await cli(['validate', 'good.webhook.jsonc', '--fields', 'broken.json', '--json'], { cwd: dir });
      assert.equal(withJson.code, 2);
      assert.deepEqual(parseJson(withJson), { files: [] });
      assert.equal(withJson.stderr.trim().split('\n').length, 1, withJson.stderr);
      assert.match(withJson.stderr, /^marketo-webhook: --fields file broken\.json is not valid JSON/);
      assertNoStack(withJson);

      write(dir, 'marketo-fields.json', '{ "nope": 1 }');
      const conventional = await cli(['validate', 'good.webhook.jsonc', '--json'], { cwd: dir });
      assert.equal(conventional.code, 0, conventional.stderr);
      assert.match(conventional.stderr, /warning: fields file marketo-fields\.json/);
    });

    void test('a definition over 5 MB is reported as file-too-large without being read: exit 1', async () => {
      const dir = freshDir();
      sparseFile(dir, 'huge.webhook.jsonc', 6 * 1024 * 1024);
      write(dir, 'good.webhook.jsonc', goodDefinition('https://api.example.com/enrich'));
      const r = await cli(['validate', 'huge.webhook.jsonc', 'good.webhook.jsonc', '--json'], { cwd: dir });
      assert.equal(r.code, 1, r.stdout + r.stderr);
      assert.equal(r.stderr, '');
      const doc = parseJson(r) as { files: { file: string; diagnostics: PublicDiagnostic[] }[] };
      assert.deepEqual(doc.files.map((f) => f.file), ['huge.webhook.jsonc', 'good.webhook.jsonc']);
      const [huge, good] = doc.files;
      assert.deepEqual(good!.diagnostics, []);
      assert.equal(huge!.diagnostics.length, 1);
      const d = huge!.diagnostics[0]!;
      assert.deepEqual({ severity: d.severity, code: d.code, range: d.range }, { severity: 'error', code: 'file-too-large', range: ZERO_RANGE });
      assert.match(d.message, /6\.0 MB/);
      assert.match(d.message, /over 5 MB is not read/);

      const readable = await cli(['validate', 'huge.webhook.jsonc'], { cwd: dir, env: { NO_COLOR: '1' } });
      assert.equal(readable.code, 1, readable.stdout + readable.stderr);
      assert.match(readable.stdout, /^ {2}1:1 {2}error {2}This file is 6\.0 MB; .* {2}file-too-large$/m);
      assertNoStack(readable);

      // Its size is checked before reading: a 3 GB file (sparse) is reported the same way, at once,
      // where reading it whole failed ("greater than 2 GiB", or "Invalid string length" from 512 MB).
      sparseFile(dir, 'giant.webhook.jsonc', 3 * 1024 * 1024 * 1024);
      const giant = await cli(['validate', 'giant.webhook.jsonc', '--json'], { cwd: dir });
      assert.equal(giant.code, 1, giant.stdout + giant.stderr);
      assert.equal(giant.stderr, '');
      const giantDoc = parseJson(giant) as { files: { file: string; diagnostics: PublicDiagnostic[] }[] };
      assert.deepEqual(giantDoc.files.map((f) => f.diagnostics.map((x) => [x.severity, x.code, x.range])), [[['error', 'file-too-large', ZERO_RANGE]]]);
      assert.match(giantDoc.files[0]!.diagnostics[0]!.message, /^This file is 3072\.0 MB; .*over 5 MB is not read/);
    });

    void test('custom fields come from the nearest marketo-fields.json', async () => {
      const dir = freshDir();
      const def = goodDefinition('https://api.example.com/enrich', {
        template: '{"tier": {{lead.Customer Tier}}}',
        responseMappings: [{ responseAttribute: 'tier', marketoField: 'customerTier' }],
      });
      write(dir, 'hooks/deep/tier.webhook.jsonc', def);
      const without = await cli(['validate', 'hooks', '--json'], { cwd: dir });
      // Unknown without the file: warnings (most likely custom fields), which do not fail validate.
      assert.equal(without.code, 0, without.stdout + without.stderr);
      const withoutDoc = parseJson(without) as { files: { diagnostics: PublicDiagnostic[] }[] };
      assert.deepEqual(withoutDoc.files[0]!.diagnostics.map((x) => [x.severity, x.code]), [['warning', 'token-unknown-field'], ['warning', 'marketo-field-unknown']]);

      write(dir, 'hooks/marketo-fields.json', {
        success: true,
        result: [{ id: 9001, displayName: 'Customer Tier', dataType: 'string', length: 255, rest: { name: 'customerTier' }, soap: { name: 'customerTier' } }],
      });
      const withFields = await cli(['validate', 'hooks', '--json'], { cwd: dir });
      assert.equal(withFields.code, 0, withFields.stdout + withFields.stderr);
      assert.deepEqual((parseJson(withFields) as { files: { diagnostics: unknown[] }[] }).files[0]!.diagnostics, []);
    });
  });

  // ---------------------------------------------------------------------------------------------
  void describe('run', () => {
    void test('a 2xx with a body: exit 0, one JSON document with the contract keys', async () => {
      const dir = freshDir();
      write(dir, 'enrich.webhook.jsonc', goodDefinition(`${base}/enrich`));
      handler = json(200, { company: { name: 'Acme' } });
      const r = await cli(['run', 'enrich.webhook.jsonc', '--json'], { cwd: dir });
      assert.equal(r.code, 0, r.stdout + r.stderr);
      const doc = parseJson(r) as Record<string, Record<string, unknown>>;
      assert.deepEqual(Object.keys(doc).sort(), [...RUN_KEYS].sort());
      assert.equal(r.stdout.trim(), JSON.stringify(doc, null, 2), 'nothing but the document on stdout');
      assert.deepEqual(doc.definition, { name: 'Enrich on signup', file: 'enrich.webhook.jsonc' });
      assert.equal(doc.request!.method, 'POST');
      assert.equal(doc.request!.sent, true);
      assert.equal(doc.response!.status, 200);
      assert.equal(doc.classification!.code, 200);
      assert.equal(doc.classification!.category, 'success');
      assert.deepEqual((doc.mappings as unknown as Record<string, unknown>[]).map((m) => [m.marketoField, m.status, m.value]), [['Company', 'applied', 'Acme']]);
      assert.equal(received.length, 1);
      assert.equal(received[0]!.method, 'POST');
      assert.equal(received[0]!.url, '/enrich');
      assert.deepEqual(JSON.parse(received[0]!.body), { email: 'ada@example.com', first: 'Ada' });
    });

    void test('the readable report: request, code, mappings, handling; no ANSI escapes off a TTY', async () => {
      const dir = freshDir();
      write(dir, 'enrich.webhook.jsonc', goodDefinition(`${base}/enrich`));
      handler = json(200, { company: { name: 'Acme' } });
      for (const env of [{}, { NO_COLOR: '1' }]) {
        const r = await cli(['run', 'enrich.webhook.jsonc'], { cwd: dir, env });
        assert.equal(r.code, 0, r.stdout + r.stderr);
        assert.ok(!r.stdout.includes('\x1b'), 'no escape sequences');
        assert.match(r.stdout, /Enrich on signup/);
        assert.match(r.stdout, new RegExp(`→ POST ${base.replace(/[.]/g, '\\.')}/enrich`));
        assert.match(r.stdout, /^success {2}200 OK: /m);
        assert.match(r.stdout, /applied {2}company\.name → Company = "Acme"/);
        assert.match(r.stdout, /Handling:/);
      }
    });

    void test('a 500: exit 1', async () => {
      const dir = freshDir();
      write(dir, 'enrich.webhook.jsonc', goodDefinition(`${base}/enrich`));
      handler = json(500, { error: 'boom' });
      const r = await cli(['run', 'enrich.webhook.jsonc', '--json'], { cwd: dir });
      assert.equal(r.code, 1, r.stdout + r.stderr);
      const doc = parseJson(r) as { classification: { code: number; category: string; mappingsApplied: boolean } };
      assert.equal(doc.classification.code, 500);
      assert.equal(doc.classification.category, 'server-error');
      assert.equal(doc.classification.mappingsApplied, false);
    });

    void test('an answer that is not HTTP: exit 1, sent once, network failure "protocol" (not "not sent")', async () => {
      const dir = freshDir();
      write(dir, 'enrich.webhook.jsonc', goodDefinition(`${base}/enrich`));
      // HTTP/0.9-style text, written straight to the connection once the whole request arrived
      handler = (_req, res) => {
        const socket = res.socket!;
        res.detachSocket(socket);
        socket.end('hello, this is not HTTP\n');
      };
      const r = await cli(['run', 'enrich.webhook.jsonc', '--json'], { cwd: dir });
      assert.equal(r.code, 1, r.stdout + r.stderr);
      assert.equal(received.length, 1);
      const doc = parseJson(r) as { request: { sent: boolean }; response: unknown; classification: { code: unknown; category: string; network: string }; handling: { summary: string } };
      assert.equal(doc.request.sent, true);
      assert.equal(doc.response, null);
      assert.deepEqual([doc.classification.code, doc.classification.category, doc.classification.network], [null, 'network', 'protocol']);
      assert.match(doc.handling.summary, /not valid HTTP: it does not start with an HTTP status line/);

      received = [];
      const readable = await cli(['run', 'enrich.webhook.jsonc'], { cwd: dir });
      assert.equal(readable.code, 1, readable.stdout + readable.stderr);
      assert.equal(received.length, 1);
      assert.match(readable.stdout, /^network {2}No response \(protocol\): the request was sent/m);
      assert.match(readable.stdout, /no response: what came back is not valid HTTP/);
      assert.doesNotMatch(readable.stdout + readable.stderr, /could not be sent|Not sent/);
      assertNoStack(readable);
    });

    void test('--campaign batch: exit 1, code 1000, nothing sent', async () => {
      const dir = freshDir();
      write(dir, 'enrich.webhook.jsonc', goodDefinition(`${base}/enrich`));
      const r = await cli(['run', 'enrich.webhook.jsonc', '--campaign', 'batch', '--json'], { cwd: dir });
      assert.equal(r.code, 1, r.stdout + r.stderr);
      const doc = parseJson(r) as { request: { sent: boolean }; response: unknown; classification: { code: number } };
      assert.equal(doc.classification.code, 1000);
      assert.equal(doc.request.sent, false);
      assert.equal(doc.response, null);
      assert.equal(received.length, 0, 'the server received nothing');
    });

    void test('a definition with errors: exit 2, request/response/classification null, nothing sent', async () => {
      const dir = freshDir();
      write(dir, 'bad.webhook.jsonc', goodDefinition(`${base}/enrich`, { template: '{"first": {{lead.FirstName}}}' }));
      const r = await cli(['run', 'bad.webhook.jsonc', '--json'], { cwd: dir });
      assert.equal(r.code, 2, r.stdout + r.stderr);
      const doc = parseJson(r) as { request: unknown; response: unknown; classification: unknown; diagnostics: Record<string, unknown>[] };
      assert.equal(doc.request, null);
      assert.equal(doc.response, null);
      assert.equal(doc.classification, null);
      assert.ok(doc.diagnostics.some((d) => d.severity === 'error'));
      assert.ok(doc.diagnostics.every((d) => !('data' in d)));
      assert.equal(received.length, 0);

      const readable = await cli(['run', 'bad.webhook.jsonc'], { cwd: dir });
      assert.equal(readable.code, 2);
      assert.match(readable.stdout, /Not sent/);
    });

    void test('--token "my.Key=v" reaches the request (split at the first "=")', async () => {
      const dir = freshDir();
      write(dir, 'enrich.webhook.jsonc', goodDefinition(`${base}/enrich`, {
        headers: { 'Content-Type': 'application/json', 'X-Key': '{{my.Key}}' },
        test: { lead: { 'Email Address': 'ada@example.com', 'First Name': 'Ada' }, tokens: { 'my.Key': 'from-file' } },
      }));
      handler = json(200, { company: { name: 'Acme' } });
      const r = await cli(['run', 'enrich.webhook.jsonc', '--token', 'my.Key=v=1', '--json'], { cwd: dir });
      assert.equal(r.code, 0, r.stdout + r.stderr);
      assert.equal(received.length, 1);
      assert.equal(received[0]!.headers['x-key'], 'v=1');
    });

    void test('a { "secret": NAME } token comes from the environment and never shows in the output', async () => {
      const dir = freshDir();
      const secret = 'sk-live-0123456789abcdef';
      write(dir, 'secret.webhook.jsonc', goodDefinition(`${base}/enrich`, {
        headers: { 'Content-Type': 'application/json', 'X-Api-Key': '{{my.Api Key}}' },
        test: { lead: { 'Email Address': 'ada@example.com', 'First Name': 'Ada' }, tokens: { 'my.Api Key': { secret: 'API_KEY' } } },
      }));
      // The service echoes the key back, as careless services do.
      handler = (req, res) => json(200, { company: { name: 'Acme' }, echo: req.headers['x-api-key'] })(req, res);
      for (const args of [['--json'], []]) {
        received = [];
        const r = await cli(['run', 'secret.webhook.jsonc', ...args], { cwd: dir, env: { MARKETO_WEBHOOK_SECRET_API_KEY: secret } });
        assert.equal(r.code, 0, r.stdout + r.stderr);
        assert.equal(received[0]?.headers['x-api-key'], secret, 'the service got the real value');
        assert.ok(!r.stdout.includes(secret), `the secret leaked to stdout:\n${r.stdout}`);
        assert.ok(!r.stderr.includes(secret), 'the secret leaked to stderr');
      }
    });

    void test('a secret that happens to be a word of the document does not corrupt it (the engine masks values, not keys)', async () => {
      const dir = freshDir();
      const secret = 'statusText';
      write(dir, 'secret.webhook.jsonc', goodDefinition(`${base}/enrich`, {
        headers: { 'Content-Type': 'application/json', 'X-Api-Key': '{{my.Api Key}}' },
        test: { lead: { 'Email Address': 'ada@example.com', 'First Name': 'Ada' }, tokens: { 'my.Api Key': { secret: 'API_KEY' } } },
      }));
      handler = (req, res) => json(200, { company: { name: 'Acme' }, echo: req.headers['x-api-key'] })(req, res);
      const r = await cli(['run', 'secret.webhook.jsonc', '--json'], { cwd: dir, env: { MARKETO_WEBHOOK_SECRET_API_KEY: secret } });
      assert.equal(r.code, 0, r.stdout + r.stderr);
      assert.equal(received[0]?.headers['x-api-key'], secret, 'the service got the real value');
      const doc = parseJson(r) as { request: { headers: Record<string, string> }; response: Record<string, unknown> };
      assert.deepEqual(Object.keys(doc.response), ['status', 'statusText', 'headers', 'body', 'bytes', 'truncated', 'durationMs']);
      assert.equal(doc.response.statusText, 'OK');
      assert.equal(doc.request.headers['X-Api-Key'], '••••');
      assert.deepEqual(JSON.parse(doc.response.body as string), { company: { name: 'Acme' }, echo: '••••' });
    });

    void test('a missing --lead file: exit 2, one line on stderr, no stack trace; --json still prints one document', async () => {
      const dir = freshDir();
      write(dir, 'enrich.webhook.jsonc', goodDefinition(`${base}/enrich`));
      const r = await cli(['run', 'enrich.webhook.jsonc', '--lead', 'examples/x.lead.json', '--json'], { cwd: dir });
      assert.equal(r.code, 2, r.stdout + r.stderr);
      assert.equal(r.stderr.trim().split('\n').length, 1, r.stderr);
      assert.match(r.stderr, /^marketo-webhook: cannot read lead file examples[\\/]x\.lead\.json: no such file$/m);
      assertNoStack(r);
      const doc = assertStoppedDoc(r, { name: 'Enrich on signup', file: 'enrich.webhook.jsonc' },
        [{ severity: 'error', code: 'lead-unusable', range: ZERO_RANGE }]);
      assert.match(doc.diagnostics[0]!.message, /x\.lead\.json: no such file/);
      assert.equal(received.length, 0);

      const readable = await cli(['run', 'enrich.webhook.jsonc', '--lead', 'examples/x.lead.json'], { cwd: dir });
      assert.equal(readable.code, 2);
      assert.equal(readable.stdout, '');
      assert.equal(readable.stderr, r.stderr);
    });

    void test('a --lead file the engine cannot use: exit 2, the engine\'s document under --json', async () => {
      const dir = freshDir();
      write(dir, 'enrich.webhook.jsonc', goodDefinition(`${base}/enrich`));
      write(dir, 'broken.lead.json', '{ "First Name": ');
      const r = await cli(['run', 'enrich.webhook.jsonc', '--lead', 'broken.lead.json', '--json'], { cwd: dir });
      assert.equal(r.code, 2, r.stdout + r.stderr);
      assert.equal(r.stderr.trim().split('\n').length, 1, r.stderr);
      assert.match(r.stderr, /^marketo-webhook: .*broken\.lead\.json/);
      assertNoStack(r);
      assertStoppedDoc(r, { name: 'Enrich on signup', file: 'enrich.webhook.jsonc' },
        [{ severity: 'error', code: 'lead-unusable', range: ZERO_RANGE }]);
      assert.equal(received.length, 0);
    });

    void test('a secret that is not set: exit 2, the variable to set on stderr; --json prints the engine\'s document', async () => {
      const dir = freshDir();
      write(dir, 'secret.webhook.jsonc', goodDefinition(`${base}/enrich`, {
        headers: { 'Content-Type': 'application/json', 'X-Api-Key': '{{my.Api Key}}' },
        test: { lead: { 'Email Address': 'ada@example.com', 'First Name': 'Ada' }, tokens: { 'my.Api Key': { secret: 'api-key' } } },
      }));
      const r = await cli(['run', 'secret.webhook.jsonc', '--json'], { cwd: dir });
      assert.equal(r.code, 2, r.stdout + r.stderr);
      assert.equal(r.stderr.trim().split('\n').length, 1, r.stderr);
      assert.match(r.stderr, /^marketo-webhook: .*api-key.* Set the environment variable MARKETO_WEBHOOK_SECRET_API_KEY\.$/m);
      assertNoStack(r);
      const doc = assertStoppedDoc(r, { name: 'Enrich on signup', file: 'secret.webhook.jsonc' },
        [{ severity: 'error', code: 'secret-missing', range: ZERO_RANGE }]);
      assert.match(doc.diagnostics[0]!.message, /api-key/);
      assert.equal(received.length, 0);

      const readable = await cli(['run', 'secret.webhook.jsonc'], { cwd: dir });
      assert.equal(readable.code, 2);
      assert.equal(readable.stdout, '');
      assert.equal(readable.stderr, r.stderr);
    });

    void test('an unusable --fields file: exit 2; --json prints a document with fields-unusable', async () => {
      const dir = freshDir();
      write(dir, 'enrich.webhook.jsonc', goodDefinition(`${base}/enrich`));
      write(dir, 'broken.json', '{ "result": [ ');
      const r = await cli(['run', 'enrich.webhook.jsonc', '--fields', 'broken.json', '--json'], { cwd: dir });
      assert.equal(r.code, 2, r.stdout + r.stderr);
      assert.equal(r.stderr.trim().split('\n').length, 1, r.stderr);
      assert.match(r.stderr, /^marketo-webhook: --fields file broken\.json is not valid JSON/);
      assertNoStack(r);
      const doc = assertStoppedDoc(r, { name: 'Enrich on signup', file: 'enrich.webhook.jsonc' },
        [{ severity: 'error', code: 'fields-unusable', range: ZERO_RANGE }]);
      assert.match(doc.diagnostics[0]!.message, /broken\.json is not valid JSON/);
      assert.equal(received.length, 0);

      const readable = await cli(['run', 'enrich.webhook.jsonc', '--fields', 'broken.json'], { cwd: dir });
      assert.equal(readable.code, 2);
      assert.equal(readable.stdout, '');
    });

    void test('a definition over 5 MB: not read, not sent, exit 2; --json prints a document with file-too-large', async () => {
      const dir = freshDir();
      sparseFile(dir, 'huge.webhook.jsonc', 6 * 1024 * 1024);
      const r = await cli(['run', 'huge.webhook.jsonc', '--json'], { cwd: dir });
      assert.equal(r.code, 2, r.stdout + r.stderr);
      assertNoStack(r);
      const doc = assertStoppedDoc(r, { name: '', file: 'huge.webhook.jsonc' },
        [{ severity: 'error', code: 'file-too-large', range: ZERO_RANGE }]);
      assert.match(doc.diagnostics[0]!.message, /6\.0 MB.*over 5 MB is not read/);

      const readable = await cli(['run', 'huge.webhook.jsonc'], { cwd: dir, env: { NO_COLOR: '1' } });
      assert.equal(readable.code, 2, readable.stdout + readable.stderr);
      assert.match(readable.stdout, /file-too-large/);
      assert.match(readable.stdout, /Not sent/);

      // Not read at all: a 3 GB file (sparse) is reported the same way.
      sparseFile(dir, 'giant.webhook.jsonc', 3 * 1024 * 1024 * 1024);
      const giant = await cli(['run', 'giant.webhook.jsonc', '--json'], { cwd: dir });
      assert.equal(giant.code, 2, giant.stdout + giant.stderr);
      assert.equal(giant.stderr, '');
      const giantDoc = assertStoppedDoc(giant, { name: '', file: 'giant.webhook.jsonc' },
        [{ severity: 'error', code: 'file-too-large', range: ZERO_RANGE }]);
      assert.match(giantDoc.diagnostics[0]!.message, /^This file is 3072\.0 MB; /);
    });

    void test('--lead is relative to the current folder', async () => {
      const dir = freshDir();
      write(dir, 'hooks/enrich.webhook.jsonc', goodDefinition(`${base}/enrich`));
      write(dir, 'leads/grace.lead.json', { 'Email Address': 'grace@example.com', 'First Name': 'Grace' });
      handler = json(200, { company: { name: 'Acme' } });
      const r = await cli(['run', 'hooks/enrich.webhook.jsonc', '--lead', 'leads/grace.lead.json', '--json'], { cwd: dir });
      assert.equal(r.code, 0, r.stdout + r.stderr);
      assert.deepEqual(JSON.parse(received[0]!.body), { email: 'grace@example.com', first: 'Grace' });
    });

    void test('a missing definition file: exit 2 naming it; --json prints a document with file-unreadable', async () => {
      const dir = freshDir();
      const r = await cli(['run', 'nowhere.webhook.jsonc'], { cwd: dir });
      assert.equal(r.code, 2);
      assert.equal(r.stdout, '');
      assert.match(r.stderr, /^marketo-webhook: cannot read definition file nowhere\.webhook\.jsonc: no such file$/m);
      assertNoStack(r);

      const withJson = await cli(['run', 'nowhere.webhook.jsonc', '--json'], { cwd: dir });
      assert.equal(withJson.code, 2);
      assert.equal(withJson.stderr, r.stderr);
      const doc = assertStoppedDoc(withJson, { name: '', file: 'nowhere.webhook.jsonc' },
        [{ severity: 'error', code: 'file-unreadable', range: ZERO_RANGE }]);
      assert.match(doc.diagnostics[0]!.message, /nowhere\.webhook\.jsonc: no such file/);
    });

    void test('--timeout: no answer in time is a network timeout, exit 1', async () => {
      const dir = freshDir();
      write(dir, 'slow.webhook.jsonc', goodDefinition(`${base}/slow`));
      handler = (_req, res) => held.push(res);
      const r = await cli(['run', 'slow.webhook.jsonc', '--timeout', '300', '--json'], { cwd: dir });
      assert.equal(r.code, 1, r.stdout + r.stderr);
      const doc = parseJson(r) as { response: unknown; classification: { code: unknown; category: string; network: string } };
      assert.equal(doc.response, null);
      assert.equal(doc.classification.code, null);
      assert.equal(doc.classification.category, 'network');
      assert.equal(doc.classification.network, 'timeout');
    });

    void test('Ctrl+C while waiting for the answer: exit 130, one line, no stack trace', { skip: process.platform === 'win32' }, async () => {
      const dir = freshDir();
      write(dir, 'slow.webhook.jsonc', goodDefinition(`${base}/slow`));
      let interrupt: ((signal: NodeJS.Signals) => void) | undefined;
      handler = (_req, res) => {
        held.push(res);
        interrupt?.('SIGINT');
      };
      const r = await cli(['run', 'slow.webhook.jsonc', '--json'], { cwd: dir, onSpawn: (kill) => (interrupt = kill) });
      assert.equal(r.code, 130, `${r.signal ?? ''} ${r.stdout} ${r.stderr}`);
      assert.equal(r.stdout, '');
      assert.equal(r.stderr.trim().split('\n').length, 1, r.stderr);
      // The request had gone out: the user must know a second run may act twice.
      assert.match(r.stderr, /after the request went out: the service may have received it/);
      assertNoStack(r);
    });
  });
});
