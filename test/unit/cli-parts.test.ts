// The command line's parts: argument parsing, colour rules, secret names, formatting, reading
// definition files. The whole command, spawned, is tested in cli.test.ts.
import assert from 'node:assert/strict';
import { closeSync, mkdtempSync, openSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { parseArgs } from '../../src/cli/args';
import { UsageError } from '../../src/cli/command';
import { parseTimeout, parseToken, run } from '../../src/cli/commands/run';
import { validate } from '../../src/cli/commands/validate';
import { readDefinitionFile } from '../../src/cli/definition-file';
import { MAX_INPUT_FILE_BYTES, MAX_TIMEOUT_MS } from '../../src/engine/limits';
import { createStyle, formatDiagnostics, formatRunReport, formatValidateReport, useColor } from '../../src/cli/format';
import * as jsonOutput from '../../src/cli/json-output';
import { publicDiagnostic, runDocument, stoppedRunResult } from '../../src/cli/json-output';
import { secretEnvName } from '../../src/cli/node-host';
import type { Diagnostic, RunResult } from '../../src/engine/types';

const range = (line: number, character: number, length = 3) => ({
  start: { line, character }, end: { line, character: character + length },
});

void describe('cli arguments', () => {
  void test('validate takes files and folders, --json and --fields', () => {
    assert.deepEqual(parseArgs(['validate', 'a.webhook.jsonc', 'dir', '--json', '--fields', 'f.json']), {
      kind: 'call', command: validate, options: { paths: ['a.webhook.jsonc', 'dir'], json: true, fields: 'f.json' },
    });
    assert.deepEqual(parseArgs(['validate', '--fields=f.json', 'x']), {
      kind: 'call', command: validate, options: { paths: ['x'], json: false, fields: 'f.json' },
    });
  });

  void test('run takes every option; --token repeats and splits at the first "="', () => {
    assert.deepEqual(
      parseArgs(['run', 'x.webhook.jsonc', '--lead', 'l.json', '--campaign', 'batch', '--token', 'my.A=1=2',
        '--token={{my.B}}=', '--timeout', '1500', '--fields', 'f.json', '--json']),
      {
        kind: 'call', command: run, options: {
          file: 'x.webhook.jsonc', lead: 'l.json', campaign: 'batch',
          tokens: { 'my.A': '1=2', 'my.B': '' }, timeoutMs: 1500, fields: 'f.json', json: true,
        },
      },
    );
  });

  void test('help and version', () => {
    assert.deepEqual(parseArgs(['--help']), { kind: 'help' });
    assert.deepEqual(parseArgs(['-h']), { kind: 'help' });
    assert.deepEqual(parseArgs(['help', 'run']), { kind: 'help', topic: run });
    assert.deepEqual(parseArgs(['validate', '--help']), { kind: 'help', topic: validate });
    assert.deepEqual(parseArgs(['run', 'x', '-h']), { kind: 'help', topic: run });
    assert.deepEqual(parseArgs(['--version']), { kind: 'version' });
  });

  const usageErrors: [string[], RegExp][] = [
    [[], /missing command/],
    [['lint', 'x'], /unknown command "lint"/],
    [['validate'], /at least one/],
    [['validate', 'x', '--lead', 'l.json'], /unknown option --lead/],
    [['validate', 'x', '-q'], /unknown option -q/],
    [['run'], /needs a definition file/],
    [['run', 'a', 'b'], /one definition file/],
    [['run', 'a', '--campaign', 'nightly'], /--campaign must be trigger or batch/],
    [['run', 'a', '--timeout', 'soon'], /--timeout must be a positive whole number/],
    [['run', 'a', '--timeout', '-5'], /--timeout must be a positive whole number/],
    [['run', 'a', '--timeout', '0'], /--timeout must be a positive whole number/],
    [['run', 'a', '--timeout', '0.5'], /--timeout must be a positive whole number of milliseconds, at most 2147483647 .*"0\.5"/],
    [['run', 'a', '--timeout', '9999999999'], /--timeout must be a positive whole number of milliseconds, at most 2147483647 .*"9999999999"/],
    [['run', 'a', '--timeout', '2147483648'], /at most 2147483647/],
    [['run', 'a', '--timeout', '1e3'], /--timeout must be a positive whole number/],
    [['run', 'a', '--token', 'my.Key'], /has no "="/],
    [['run', 'a', '--token', '=v'], /no token name/],
    [['run', 'a', '--lead'], /--lead needs a value/],
    [['run', 'a', '--lead', '--json'], /--lead needs a value/],
    [['run', 'a', '--json=yes'], /--json takes no value/],
    [['run', 'a', '--lead', 'x', '--lead', 'y'], /more than once/],
  ];
  for (const [argv, message] of usageErrors) {
    void test(`usage error: ${JSON.stringify(argv)}`, () => {
      assert.throws(() => parseArgs(argv), (e: unknown) => e instanceof UsageError && message.test(e.message));
    });
  }

  void test('parseToken and parseTimeout', () => {
    assert.deepEqual(parseToken('campaign.name=Enrich on signup'), ['campaign.name', 'Enrich on signup']);
    assert.deepEqual(parseToken('{{ my.Key }}=a=b'), ['my.Key', 'a=b']);
    assert.equal(parseTimeout('250'), 250);
    assert.throws(() => parseTimeout('2.5'), UsageError);
    // From 1 to setTimeout's limit, both ends included.
    assert.equal(MAX_TIMEOUT_MS, 2 ** 31 - 1);
    assert.equal(parseTimeout('1'), 1);
    assert.equal(parseTimeout(' 2147483647 '), 2147483647);
    assert.throws(() => parseTimeout('2147483648'), UsageError);
    assert.throws(() => parseTimeout('9999999999'), UsageError);
  });
});

void describe('cli environment rules', () => {
  void test('secret environment variable names', () => {
    assert.equal(secretEnvName('API_KEY'), 'MARKETO_WEBHOOK_SECRET_API_KEY');
    assert.equal(secretEnvName('enrich api-key'), 'MARKETO_WEBHOOK_SECRET_ENRICH_API_KEY');
  });

  void test('colour only on a TTY without NO_COLOR', () => {
    assert.equal(useColor({ isTTY: true }, {}), true);
    assert.equal(useColor({ isTTY: true }, { NO_COLOR: '1' }), false);
    assert.equal(useColor({ isTTY: false }, {}), false);
    assert.equal(useColor({}, {}), false);
  });

  void test('masking has one source of truth: the engine (src/engine/mask-secrets), none in json-output', () => {
    const exported = Object.keys(jsonOutput).sort();
    assert.deepEqual(exported, ['fileDiagnostic', 'publicDiagnostic', 'runDocument', 'runLine', 'stoppedRunResult', 'validateDocument']);
  });
});

void describe('cli formatting', () => {
  const diagnostic: Diagnostic = {
    severity: 'error', code: 'token-unknown-field', message: 'Unknown field', range: range(2, 4),
    data: { offset: 10, length: 3 },
  };

  void test('diagnostics lose their data in --json', () => {
    assert.deepEqual(Object.keys(publicDiagnostic(diagnostic)).sort(), ['code', 'message', 'range', 'severity']);
  });

  void test('validate report: 1-based positions and a summary', () => {
    const warning: Diagnostic = { severity: 'warning', code: 'unknown-key', message: 'Unknown key', range: range(0, 0) };
    const text = formatValidateReport([{ file: 'a.webhook.jsonc', diagnostics: [diagnostic, warning] }, { file: 'b.webhook.jsonc', diagnostics: [] }], createStyle(false));
    assert.match(text, /^a\.webhook\.jsonc$/m);
    assert.match(text, /^ {2}3:5 {2}error {4}Unknown field {2}token-unknown-field$/m);
    assert.match(text, /^ {2}1:1 {2}warning {2}Unknown key {4}unknown-key$/m);
    assert.match(text, /✖ 2 problems \(1 error, 1 warning\)/);
    assert.ok(!text.includes('b.webhook.jsonc'));
    assert.match(formatValidateReport([{ file: 'b', diagnostics: [] }], createStyle(false)), /✔ 1 definition, no problems/);
  });

  const result: RunResult = {
    definition: { name: 'Enrich', file: 'enrich.webhook.jsonc' },
    request: { method: 'POST', url: 'https://api.example.com/x', headers: {}, body: '{"a":1}', sent: true },
    response: {
      status: 200, statusText: 'OK', headers: {}, body: `\x1b[31m{"company":{"name":"Acme"}}${'x'.repeat(3000)}`,
      bytes: 3032, truncated: false, durationMs: 12.5,
    },
    classification: { code: 200, category: 'success', errorType: null, standardPhrase: null, title: '200 OK: the service answered', network: null, mappingsApplied: true },
    mappings: [
      { responseAttribute: 'company.name', marketoField: 'Company', status: 'applied', value: 'Acme', reason: null, note: null },
      { responseAttribute: 'company.size', marketoField: 'NumberOfEmployees', status: 'skipped', value: null, reason: 'not in the response', note: null },
    ],
    handling: { summary: 'Done.', steps: ['Nothing to do.'] },
    assumptions: [],
    diagnostics: [diagnostic],
  };

  void test('run report: request, code, mappings, handling; long bodies cut; escapes shown, not sent', () => {
    const text = formatRunReport(result, createStyle(false));
    assert.match(text, /→ POST https:\/\/api\.example\.com\/x/);
    assert.match(text, /^success {2}200 OK: the service answered$/m);
    assert.match(text, /HTTP 200 OK · 12\.5 ms/);
    assert.match(text, /applied {2}company\.name → Company = "Acme"/);
    assert.match(text, /skipped {2}company\.size → NumberOfEmployees \(not in the response\)/);
    assert.match(text, /Handling: Done\.\n {2}1\. Nothing to do\./);
    assert.match(text, /\(\d+ more bytes; use --json for all\)/);
    assert.ok(!text.includes('\x1b'));
  });

  void test('run --json document drops diagnostic data and nothing else', () => {
    const doc = JSON.parse(runDocument(result)) as Record<string, unknown>;
    assert.deepEqual(Object.keys(doc), ['definition', 'request', 'response', 'classification', 'mappings', 'handling', 'assumptions', 'diagnostics']);
    assert.deepEqual(doc.diagnostics, [publicDiagnostic(diagnostic)]);
  });

  void test('a run stopped by the command line has the shape of one stopped by the engine', () => {
    const stopped = stoppedRunResult('x.webhook.jsonc', 'X', 'lead-unusable', 'cannot read lead file l.json: no such file');
    assert.deepEqual(JSON.parse(runDocument(stopped)), {
      definition: { name: 'X', file: 'x.webhook.jsonc' },
      request: null,
      response: null,
      classification: null,
      mappings: [],
      handling: null,
      assumptions: [],
      diagnostics: [{
        severity: 'error', code: 'lead-unusable', message: 'cannot read lead file l.json: no such file',
        range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } },
      }],
    });
  });

  // ~100,000 diagnostics (a header of 130,000 `{{my.X}}`) overflowed the stack in Math.max(...rows).
  const many = (n: number): Diagnostic[] => Array.from({ length: n }, (_, i) => ({
    severity: i % 2 === 0 ? 'error' : 'warning', code: 'token-unknown-name', message: `Unknown token ${i}`, range: range(0, i * 8, 8),
  }));

  void test('formatDiagnostics: 150,000 rows, aligned, without overflowing the stack', () => {
    const rows = formatDiagnostics(many(150_000), createStyle(false));
    assert.equal(rows.length, 150_000);
    // Columns as wide as the widest row: `1:1199993`, `warning`, `Unknown token 149999`.
    assert.equal(rows[0], `  ${'1:1'.padEnd(9)}  error    Unknown token 0       token-unknown-name`);
    assert.equal(rows[149_999], '  1:1199993  warning  Unknown token 149999  token-unknown-name');
  });

  void test('validate and run reports with 150,000 diagnostics', () => {
    const diagnostics = many(150_000);
    const report = formatValidateReport([{ file: 'big.webhook.jsonc', diagnostics }], createStyle(false));
    assert.equal(report.split('\n').length, 150_004);
    assert.match(report, /✖ 150000 problems \(75000 errors, 75000 warnings\)\n$/);
    const run = formatRunReport({ ...result, request: null, response: null, classification: null, mappings: [], handling: null, diagnostics }, createStyle(false));
    assert.match(run, /✖ Not sent: the definition has 75000 errors\./);
  });

  void test('colours are ANSI codes when on', () => {
    assert.equal(createStyle(true).red('x'), '\x1b[31mx\x1b[39m');
    assert.equal(createStyle(false).red('x'), 'x');
  });
});

void describe('cli definition files', () => {
  const dir = mkdtempSync(join(tmpdir(), 'marketo-webhook-cli-parts-'));
  void test.after(() => rmSync(dir, { recursive: true, force: true }));

  void test('a file over 5 MB is not read: the engine\'s file-too-large diagnostic', async () => {
    const path = join(dir, 'huge.webhook.jsonc');
    closeSync(openSync(path, 'w'));
    truncateSync(path, 6 * 1024 * 1024);
    assert.deepEqual(await readDefinitionFile(path), {
      tooLarge: {
        severity: 'error', code: 'file-too-large', message: 'This file is 6.0 MB; a webhook definition over 5 MB is not read.',
        range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } },
      },
    });
  });

  void test('a file of exactly 5 MB is read; a byte order mark is dropped', async () => {
    const path = join(dir, 'limit.webhook.jsonc');
    writeFileSync(path, '\uFEFF{}' + ' '.repeat(MAX_INPUT_FILE_BYTES - 5));
    const read = await readDefinitionFile(path);
    assert.equal(read.tooLarge, undefined);
    assert.equal(read.text?.length, MAX_INPUT_FILE_BYTES - 3);
    assert.ok(read.text?.startsWith('{}'));
  });

  void test('something that is not a regular file is not read at all: a message naming it and why', { skip: process.platform === 'win32' }, async () => {
    await assert.rejects(readDefinitionFile('/dev/zero'), /^Error: cannot read definition file \/dev\/zero: it is a character device, not a regular file$/);
  });

  void test('a regular file that grows past the limit while it is read is cut off as file-too-large', { skip: process.platform !== 'linux' }, async () => {
    // /proc/self/pagemap says it is empty and yields gigabytes: the limit holds while reading.
    const read = await readDefinitionFile('/proc/self/pagemap');
    assert.equal(read.tooLarge?.code, 'file-too-large');
    assert.equal(read.tooLarge?.message, 'This file is over 5 MB; a webhook definition over 5 MB is not read.');
  });

  void test('a missing file or a folder: a message naming it', async () => {
    await assert.rejects(readDefinitionFile(join(dir, 'nowhere.webhook.jsonc')), /^Error: cannot read definition file .*nowhere\.webhook\.jsonc: no such file$/);
    await assert.rejects(readDefinitionFile(dir), /^Error: cannot read definition file .*: it is a folder, not a file$/);
  });
});
