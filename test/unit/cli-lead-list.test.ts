// `marketo-webhook run DEF --leads FILE` as users run it (contracts §6): the built dist/cli.js,
// spawned on a temporary folder, against a service on 127.0.0.1. Build first: `npm run build`.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, beforeEach, describe, test } from 'node:test';
import { CLI } from './helpers';

interface CliResult { code: number | null; stdout: string; stderr: string }

function cli(args: string[], cwd: string, onStdout?: (text: string, kill: (s: NodeJS.Signals) => void) => void): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const env: NodeJS.ProcessEnv = { ...process.env };
    for (const key of Object.keys(env)) if (key.startsWith('MARKETO_WEBHOOK_') || key === 'FORCE_COLOR') delete env[key];
    const child = spawn(process.execPath, [CLI, ...args], { cwd, env, timeout: 20_000, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      stdout += chunk;
      onStdout?.(stdout, (s) => child.kill(s));
    });
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

/** The NDJSON lines of stdout, each parsed. */
function lines(r: CliResult): Record<string, unknown>[] {
  return r.stdout.split('\n').filter((l) => l !== '').map((l) => {
    try {
      return JSON.parse(l) as Record<string, unknown>;
    } catch {
      return assert.fail(`not one JSON document per line:\n${r.stdout}\nstderr: ${r.stderr}`);
    }
  });
}

const RUN_KEYS = ['definition', 'request', 'response', 'classification', 'mappings', 'handling', 'assumptions', 'diagnostics'];

void describe('run --leads', () => {
  let dir: string;
  let server: Server;
  let url: string;
  let received: number;
  let answer: (email: string, res: ServerResponse) => void;

  before(async () => {
    server = createServer((req, res) => {
      received++;
      let body = '';
      req.setEncoding('utf8').on('data', (c: string) => (body += c)).on('end', () => {
        res.setHeader('Content-Type', 'application/json');
        answer((JSON.parse(body) as { email: string }).email, res);
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  after(async () => {
    server.closeAllConnections();
    await new Promise((r) => server.close(r));
  });
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'mww-leads-'));
    received = 0;
    answer = (email, res) => res.end(JSON.stringify({ company: `Co ${email}`, employees: email.startsWith('bad') ? 'many' : 12 }));
    writeFileSync(join(dir, 'enrich.webhook.jsonc'), JSON.stringify({
      name: 'Enrich', url: `${url}/enrich`, requestType: 'POST', template: '{"email": {{lead.Email Address}}}', requestTokenEncoding: 'JSON',
      headers: { 'Content-Type': 'application/json' }, responseType: 'JSON',
      responseMappings: [{ responseAttribute: 'company', marketoField: 'Company' }, { responseAttribute: 'employees', marketoField: 'NumberOfEmployees' }],
    }));
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  const writeCsv = (emails: string[]) => writeFileSync(join(dir, 'list.csv'), `\uFEFFEmail Address,First Name\r\n${emails.map((e, i) => `${e},"Name, ${i}"`).join('\r\n')}\r\n`);
  const emails = (n: number, prefix = 'lead') => Array.from({ length: n }, (_, i) => `${prefix}${i + 1}@example.com`);

  void test('--json: one run result per lead with "lead", as they complete, then the summary; exit 0 when all succeed', async () => {
    writeCsv(emails(5));
    const r = await cli(['run', 'enrich.webhook.jsonc', '--leads', 'list.csv', '--json'], dir);
    assert.equal(r.code, 0, r.stderr);
    const docs = lines(r);
    assert.equal(docs.length, 6);
    for (const doc of docs.slice(0, 5)) {
      assert.deepEqual(Object.keys(doc), [...RUN_KEYS, 'lead']);
      assert.deepEqual(doc.definition, { name: 'Enrich', file: 'enrich.webhook.jsonc' });
      const lead = doc.lead as number;
      assert.equal((doc.request as { body: string }).body, `{"email": "lead${lead}@example.com"}`);
    }
    assert.deepEqual(docs.slice(0, 5).map((d) => d.lead).sort(), [1, 2, 3, 4, 5]);
    const summary = docs[5]?.summary as Record<string, unknown>;
    assert.deepEqual(Object.keys(docs[5] ?? {}), ['summary']);
    assert.deepEqual(Object.keys(summary), ['leads', 'completed', 'cancelled', 'byCategory', 'byCode', 'mappingsWritten', 'valuesRefused', 'durationMs', 'estimatedDrainMs']);
    assert.deepEqual({ ...summary, durationMs: 0, estimatedDrainMs: 0 }, {
      leads: 5, completed: 5, cancelled: false, byCategory: { success: 5 }, byCode: { 200: 5 },
      mappingsWritten: { Company: 5, NumberOfEmployees: 5 }, valuesRefused: {}, durationMs: 0, estimatedDrainMs: 0,
    });
    assert.equal(typeof summary.durationMs, 'number');
    assert.equal(typeof summary.estimatedDrainMs, 'number');
  });

  void test('text: one line per lead and the summary table; exit 1 when a lead\'s outcome is not a success', async () => {
    writeCsv(['ok@example.com', 'bad@example.com', 'gone@example.com']);
    answer = (email, res) => {
      if (email.startsWith('gone')) { res.statusCode = 404; res.end('{}'); return; }
      res.end(JSON.stringify({ company: 'Acme', employees: email.startsWith('bad') ? 'many' : 12 }));
    };
    const r = await cli(['run', 'enrich.webhook.jsonc', '--leads', 'list.csv'], dir);
    assert.equal(r.code, 1, r.stderr);
    assert.match(r.stdout, /^lead 1 {2}success {2}200 OK.*Company="Acme", NumberOfEmployees=12$/m);
    assert.match(r.stdout, /^lead 2 {2}success.*NumberOfEmployees skipped$/m);
    assert.match(r.stdout, /^lead 3 {2}client-error {2}404/m);
    assert.match(r.stdout, /^ {2}Leads +3 in /m);
    assert.match(r.stdout, /^ {2}By category +success 2, client-error 1$/m);
    assert.match(r.stdout, /^ {2}By code +200 2, 404 1$/m);
    assert.match(r.stdout, /^ {2}Fields written +Company 2, NumberOfEmployees 1$/m);
    assert.match(r.stdout, /^ {2}Values refused +NumberOfEmployees 1 \(lead 2: "many": .*integer field/m);
    assert.match(r.stdout, /^ {2}Marketo would take +about .* \(20 connections/m);
  });

  void test('more than 25 leads need --yes: exit 2 naming the number of real calls, nothing sent', async () => {
    writeCsv(emails(26));
    const refused = await cli(['run', 'enrich.webhook.jsonc', '--leads', 'list.csv'], dir);
    assert.equal(refused.code, 2);
    assert.match(refused.stderr, /26 leads: that is 26 real calls .*--yes/);
    assert.equal(received, 0);
    const json = await cli(['run', 'enrich.webhook.jsonc', '--leads', 'list.csv', '--json'], dir);
    assert.equal(json.code, 2);
    assert.equal((lines(json)[0]?.diagnostics as { code: string }[])[0]?.code, 'confirmation-needed');
    assert.equal(received, 0);

    const confirmed = await cli(['run', 'enrich.webhook.jsonc', '--leads', 'list.csv', '--yes', '--json', '--concurrency', '4'], dir);
    assert.equal(confirmed.code, 0, confirmed.stderr);
    assert.equal(received, 26);
    assert.equal(lines(confirmed).length, 27);
    // 25 leads need no --yes.
    writeCsv(emails(25));
    assert.equal((await cli(['run', 'enrich.webhook.jsonc', '--leads', 'list.csv'], dir)).code, 0);
  });

  void test('a batch campaign sends nothing, so a long list needs no --yes; exit 1 (code 1000 is no success)', async () => {
    writeCsv(emails(30));
    const r = await cli(['run', 'enrich.webhook.jsonc', '--leads', 'list.csv', '--campaign', 'batch', '--json'], dir);
    assert.equal(r.code, 1, r.stderr);
    assert.equal(received, 0);
    const summary = lines(r).at(-1)?.summary as { byCode: unknown; estimatedDrainMs: number };
    assert.deepEqual(summary.byCode, { 1000: 30 });
    assert.equal(summary.estimatedDrainMs, 0);
  });

  void test('a JSON list and a Get Leads response are read as well as a CSV', async () => {
    writeFileSync(join(dir, 'leads.json'), JSON.stringify({ requestId: 'x', success: true, result: [{ id: 1, email: 'a@example.com' }, { id: 2, email: 'b@example.com' }] }));
    const r = await cli(['run', 'enrich.webhook.jsonc', '--leads', 'leads.json', '--json'], dir);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(received, 2);
  });

  void test('a secret that is not set stops the list before any call: exit 2 naming its variable', async () => {
    writeCsv(emails(3));
    writeFileSync(join(dir, 'keyed.webhook.jsonc'), JSON.stringify({
      name: 'Keyed', url: `${url}/enrich`, requestType: 'POST', template: '{"email": {{lead.Email Address}}}', requestTokenEncoding: 'JSON',
      headers: { 'Content-Type': 'application/json', 'X-Key': '{{my.Key}}' }, test: { tokens: { 'my.Key': { secret: 'api-key' } } },
    }));
    const r = await cli(['run', 'keyed.webhook.jsonc', '--leads', 'list.csv', '--json'], dir);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /MARKETO_WEBHOOK_SECRET_API_KEY/);
    assert.equal((lines(r)[0]?.diagnostics as { code: string }[])[0]?.code, 'secret-missing');
    assert.equal(received, 0);
  });

  void test('a definition with errors is reported once, not run for each lead: exit 2', async () => {
    writeCsv(emails(3));
    writeFileSync(join(dir, 'broken.webhook.jsonc'), JSON.stringify({ name: 'Broken', url: `${url}/x`, requestType: 'FETCH' }));
    const r = await cli(['run', 'broken.webhook.jsonc', '--leads', 'list.csv', '--json'], dir);
    assert.equal(r.code, 2);
    const docs = lines(r);
    assert.equal(docs.length, 1);
    assert.equal(docs[0]?.classification, null);
    assert.equal(received, 0);
  });

  void test('usage errors: exit 2', async () => {
    writeCsv(emails(2));
    const cases: [string[], RegExp][] = [
      [['--leads', 'list.csv', '--concurrency', '21'], /--concurrency must be a whole number from 1 to 20/],
      [['--leads', 'list.csv', '--concurrency', '0'], /--concurrency must be/],
      [['--leads', 'list.csv', '--lead', 'x.json'], /--lead .* or --leads .*not both/],
      [['--concurrency', '3'], /--concurrency applies to a list run/],
      [['--yes'], /--yes applies to a list run/],
      [['--leads', 'missing.csv'], /cannot read lead list missing\.csv/],
    ];
    for (const [args, message] of cases) {
      const r = await cli(['run', 'enrich.webhook.jsonc', ...args], dir);
      assert.equal(r.code, 2, args.join(' '));
      assert.match(r.stderr, message);
    }
    writeFileSync(join(dir, 'bad.csv'), 'Email Address,First Name\na@example.com\n');
    const bad = await cli(['run', 'enrich.webhook.jsonc', '--leads', 'bad.csv'], dir);
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /the lead list bad\.csv is not usable/);
    assert.equal(received, 0);
  });

  void test('Ctrl+C stops new calls, aborts the outstanding ones, prints the summary so far; exit 130', async () => {
    writeCsv(emails(40));
    // The first three answer; every later call is held until the process is interrupted.
    const held: ServerResponse[] = [];
    answer = (email, res) => (Number(/\d+/.exec(email)?.[0]) <= 3 && held.length === 0 ? res.end('{"company":"x","employees":1}') : held.push(res));
    let interrupted = false;
    const r = await cli(['run', 'enrich.webhook.jsonc', '--leads', 'list.csv', '--yes', '--json', '--concurrency', '5'], dir, (out, kill) => {
      if (!interrupted && out.split('\n').length > 3) {
        interrupted = true;
        // Once three results are out and the service holds the next calls.
        const wait = setInterval(() => { if (held.length === 5) { clearInterval(wait); kill('SIGINT'); } }, 5);
      }
    });
    assert.equal(r.code, 130, r.stderr);
    const docs = lines(r);
    const summary = docs.at(-1)?.summary as { leads: number; completed: number; cancelled: boolean };
    assert.deepEqual([summary.leads, summary.completed, summary.cancelled], [40, 3, true]);
    assert.equal(docs.length, 4);
    assert.equal(received, 8);
    assert.match(r.stderr, /cancelled: 3 of 40 leads run/);
    for (const res of held) res.destroy();
  });
});
