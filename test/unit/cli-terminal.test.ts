// Hostile text never drives the terminal: the built dist/cli.js, spawned against files whose NAMES
// hold escape sequences, definitions and lead paths that hold them, a fields file that quotes them,
// arguments that hold them, and a raw loopback server that sends them in its reason phrase and
// body. Whatever the command prints must show such characters, never emit them. Build first:
// `npm run build`. The escaping rule itself (terminal-text.ts) is tested at the end.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type AddressInfo, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { createStyle, formatRunReport, formatValidateReport } from '../../src/cli/format';
import { messageLine, outputText } from '../../src/cli/io';
import { terminalText } from '../../src/cli/terminal-text';
import type { RunResult } from '../../src/engine/types';
import { CLI } from './helpers';

const SPAWN_TIMEOUT_MS = 20_000;

/**
 * What a terminal must never receive raw: C0 controls (but line feed, and tab where the report
 * means one), DEL, C1 (U+0080–U+009F) and the bidirectional overrides and isolates.
 */
// eslint-disable-next-line no-control-regex
const RAW_CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/;

/** ESC ] 0 ; … BEL sets the window title; ESC [ 2 J clears the screen; U+202E reverses what follows. */
const HOSTILE = '\x1b]0;pwned\x07\x1b[2J\u202e';

interface CliResult { code: number | null; stdout: string; stderr: string }

function cli(args: string[], cwd: string): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const env: NodeJS.ProcessEnv = { ...process.env };
    for (const key of Object.keys(env)) if (key.startsWith('MARKETO_WEBHOOK_') || key === 'NO_COLOR' || key === 'FORCE_COLOR') delete env[key];
    const child = spawn(process.execPath, [CLI, ...args], { cwd, env, timeout: SPAWN_TIMEOUT_MS, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

/** No raw control character in either stream; tabs only on stdout (a body's indentation). */
function assertTerminalSafe(r: CliResult): void {
  for (const [name, text] of [['stdout', r.stdout], ['stderr', r.stderr]] as const) {
    const found = RAW_CONTROL.exec(text) ?? (name === 'stderr' ? /\t/.exec(text) : null);
    if (found) {
      const at = found.index;
      assert.fail(`${name} holds a raw U+${found[0].charCodeAt(0).toString(16).padStart(4, '0')}: ${JSON.stringify(text.slice(Math.max(0, at - 60), at + 60))}`);
    }
  }
}

/** The hostile text as the command shows it. */
const SHOWN = '\\u001b]0;pwned\\u0007\\u001b[2J\\u202e';

void describe('cli: hostile text is shown, never obeyed by the terminal', () => {
  let dir = '';
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'marketo-webhook-cli-terminal-'));
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  /** A folder of its own holding one definition file whose NAME holds escape sequences. */
  function hostileDefinition(folder: string, content: Record<string, unknown>): string {
    const where = join(dir, folder);
    mkdirSync(where, { recursive: true });
    const name = `evil${HOSTILE}.webhook.jsonc`;
    writeFileSync(join(where, name), JSON.stringify({ name: 'Evil', url: 'https://api.example.com/x', ...content }, null, 2));
    return name;
  }

  void test('validate: a folder with a file whose name holds ESC and BEL, and a definition quoting them', async () => {
    // An unknown key and a bad requestType: the messages quote the definition's text.
    hostileDefinition('validate', { [`key${HOSTILE}`]: 1, requestType: `GET${HOSTILE}` });
    const r = await cli(['validate', 'validate'], dir);
    assert.equal(r.code, 1, r.stderr);
    assertTerminalSafe(r);
    assert.ok(r.stdout.includes(`evil${SHOWN}.webhook.jsonc`), r.stdout);
  });

  void test('run: a file that does not exist, named with escape sequences', async () => {
    const r = await cli(['run', `missing${HOSTILE}.webhook.jsonc`], dir);
    assert.equal(r.code, 2);
    assertTerminalSafe(r);
    assert.match(r.stderr, /cannot read definition file missing\\u001b\]0;pwned\\u0007\\u001b\[2J\\u202e\.webhook\.jsonc: no such file/);
  });

  void test('run: a real file named with escape sequences, not sent for its errors', async () => {
    const name = hostileDefinition('run-broken', { template: `{"a": "{{lead.Email Address}}"}${HOSTILE}`, requestTokenEncoding: 'JSON' });
    const r = await cli(['run', name], join(dir, 'run-broken'));
    assert.equal(r.code, 2, r.stderr);
    assertTerminalSafe(r);
    assert.ok(r.stdout.includes(`evil${SHOWN}.webhook.jsonc`), r.stdout);
  });

  void test('run: a sample lead path and a fields file that hold escape sequences (engine messages, warnings)', async () => {
    const where = join(dir, 'lead');
    mkdirSync(where, { recursive: true });
    // A Describe Lead error answer: its message is quoted in the warning.
    writeFileSync(join(where, 'marketo-fields.json'), JSON.stringify({ success: false, errors: [{ code: '601', message: `token${HOSTILE}` }] }));
    writeFileSync(join(where, 'x.webhook.jsonc'), JSON.stringify({ name: 'X', url: 'https://api.example.com/x', test: { lead: `nowhere${HOSTILE}.lead.json` } }));
    const r = await cli(['run', 'x.webhook.jsonc'], where);
    assert.equal(r.code, 2, r.stderr);
    assertTerminalSafe(r);
    assert.match(r.stderr, /warning: .*token\\u001b\]0;pwned/);
    assert.match(r.stderr, /nowhere\\u001b\]0;pwned\\u0007\\u001b\[2J\\u202e\.lead\.json/);
  });

  void test('usage errors that echo an argument', async () => {
    for (const args of [
      [`valid${HOSTILE}`],
      [`--x${HOSTILE}`],
      ['run', 'x.webhook.jsonc', '--campaign', `batch${HOSTILE}`],
      ['run', 'x.webhook.jsonc', '--token', `my.A${HOSTILE}`],
      ['run', 'x.webhook.jsonc', '--timeout', `5${HOSTILE}`],
      ['run', 'a.webhook.jsonc', `b${HOSTILE}`],
      ['validate', `--fields${HOSTILE}=x`, 'y'],
      ['validate', `nowhere${HOSTILE}`],
    ]) {
      const r = await cli(args, dir);
      assert.equal(r.code, 2, JSON.stringify(args));
      assertTerminalSafe(r);
      assert.ok(r.stderr.includes(SHOWN), `${JSON.stringify(args)}: ${r.stderr}`);
    }
  });

  void describe('a service that answers with escape sequences', () => {
    let server: Server;
    let origin = '';
    const sockets = new Set<Socket>();
    // Raw bytes: node:http would refuse to write control characters into a reason phrase.
    const body = JSON.stringify({ company: { name: `Acme${HOSTILE}\u009b31m\u007f\u2066` }, note: 'tab\there' });
    before(async () => {
      server = createServer((socket) => {
        sockets.add(socket);
        socket.on('close', () => sockets.delete(socket));
        socket.on('error', () => undefined);
        socket.once('data', () => {
          socket.end(Buffer.concat([
            Buffer.from(`HTTP/1.1 200 OK${HOSTILE.replace('\u202e', '')}\r\n`, 'latin1'),
            Buffer.from(`Content-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`, 'utf8'),
          ]));
        });
      });
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
      const where = join(dir, 'served');
      mkdirSync(where, { recursive: true });
      writeFileSync(join(where, 'served.webhook.jsonc'), JSON.stringify({
        name: `Served${HOSTILE}`, url: `${origin}/x`, requestType: 'GET', responseType: 'JSON',
        responseMappings: [{ responseAttribute: 'company.name', marketoField: 'Company' }],
        test: { lead: {} },
      }));
    });
    after(() => {
      for (const socket of sockets) socket.destroy();
      server.close();
    });

    void test('the readable report: reason phrase, body, mapped value and name shown escaped', async () => {
      const r = await cli(['run', 'served.webhook.jsonc'], join(dir, 'served'));
      assert.equal(r.code, 0, r.stderr);
      assertTerminalSafe(r);
      assert.match(r.stdout, /HTTP 200 OK\\u001b\]0;pwned\\u0007\\u001b\[2J/);
      assert.match(r.stdout, /company\.name → Company = "Acme\\u001b\]0;pwned/);
      assert.ok(r.stdout.includes('\\u009b31m\\u007f\\u2066'), r.stdout);
    });

    void test('--json: the same values, JSON-escaped; no raw DEL, C1 or override on stdout', async () => {
      const r = await cli(['run', 'served.webhook.jsonc', '--json'], join(dir, 'served'));
      assert.equal(r.code, 0, r.stderr);
      assertTerminalSafe(r);
      const doc = JSON.parse(r.stdout) as RunResult;
      assert.equal(doc.response?.statusText, `OK${HOSTILE.replace('\u202e', '')}`);
      assert.equal(doc.response?.body, body);
      assert.equal(doc.mappings[0]?.value, `Acme${HOSTILE}\u009b31m\u007f\u2066`);
      assert.equal(doc.definition.file, 'served.webhook.jsonc');
    });
  });
});

void describe('terminalText: the one rule for everything printed', () => {
  void test('shows C0, DEL, C1 and the bidirectional overrides as \\uXXXX', () => {
    assert.equal(terminalText('a\x1b[2Jb\x07c\x00d\x7fe\u0085f\u009bg\u202eh\u2069i'), 'a\\u001b[2Jb\\u0007c\\u0000d\\u007fe\\u0085f\\u009bg\\u202eh\\u2069i');
    assert.equal(terminalText('a\tb\nc\rd'), 'a\\u0009b\\u000ac\\u000dd');
    assert.equal(terminalText('a\tb\nc\rd', { tab: true, newline: true }), 'a\tb\nc\\u000dd');
    // Right-to-left text and its marks, emoji, and other scripts are left as they are.
    assert.equal(terminalText('שלום \u200f مرحبا 😀 café'), 'שלום \u200f مرحبا 😀 café');
  });

  void test('keeps the report\'s own colours, and only those, only when asked', () => {
    const style = createStyle(true);
    const painted = [style.bold('b'), style.dim('d'), style.red('r'), style.yellow('y'), style.green('g'), style.cyan('c')].join(' ');
    assert.equal(terminalText(painted, { style: true }), painted);
    assert.ok(!terminalText(painted).includes('\x1b'));
    for (const other of ['\x1b[2J', '\x1b[8m', '\x1b[30;40m', '\x1b]8;;http://x\x07', '\x1b[31;1m', '\x1b[3m']) {
      assert.ok(!terminalText(`x${other}y`, { style: true }).includes('\x1b'), JSON.stringify(other));
    }
  });

  void test('a JSON document stays the same JSON', () => {
    const value = { a: `x${HOSTILE}\u009b\u007f\\\u0085"`, [`k\u202e`]: ['\t\n', '\\u009b'] };
    const json = JSON.stringify(value, null, 2);
    const shown = outputText(json, false);
    assert.ok(!RAW_CONTROL.test(shown.replace(/\n/g, '')));
    assert.deepEqual(JSON.parse(shown), value);
  });

  void test('messages: one line, every control character shown', () => {
    assert.equal(messageLine(`cannot read ${HOSTILE}\tx\nnext`), 'marketo-webhook: cannot read \\u001b]0;pwned\\u0007\\u001b[2J\\u202e\\u0009x next');
  });

  void test('reports escape every name and value they quote, also with colours on', () => {
    const file = `a${HOSTILE}\x1b[31m.webhook.jsonc`;
    const diagnostic = { severity: 'error' as const, code: `c${HOSTILE}`, message: `m${HOSTILE}`, range: { start: { line: 0, character: 0 }, end: { line: 0, character: 1 } } };
    const result: RunResult = {
      definition: { name: `n${HOSTILE}`, file }, request: null, response: null, classification: null, mappings: [], handling: null, assumptions: [], diagnostics: [diagnostic],
    };
    for (const report of [formatValidateReport([{ file, diagnostics: [diagnostic] }], createStyle(true)), formatRunReport(result, createStyle(true))]) {
      // The report's own colour codes are the only escape sequences left.
      // eslint-disable-next-line no-control-regex
      const own = report.replace(/\x1b\[(?:1|2|22|31|32|33|36|39)m/g, '');
      assert.ok(!RAW_CONTROL.test(own.replace(/\n/g, '')), JSON.stringify(report));
      assert.ok(report.includes(`a${SHOWN}\\u001b[31m.webhook.jsonc`), JSON.stringify(report));
      assert.ok(report.includes(`m${SHOWN}`));
    }
  });
});
