// The command line's pure parts: argument parsing, colour rules, secret names, masking, formatting.
// The whole command, spawned, is tested in cli.test.ts.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { UsageError, parseArgs, parseTimeout, parseToken } from '../../src/cli/args';
import { createStyle, formatRunReport, formatValidateReport, useColor } from '../../src/cli/format';
import { maskSecrets, publicDiagnostic, runDocument } from '../../src/cli/json-output';
import { secretEnvName } from '../../src/cli/node-host';
import type { Diagnostic, RunResult } from '../../src/engine/types';

const range = (line: number, character: number, length = 3) => ({
  start: { line, character }, end: { line, character: character + length },
});

void describe('cli arguments', () => {
  void test('validate takes files and folders, --json and --fields', () => {
    assert.deepEqual(parseArgs(['validate', 'a.webhook.jsonc', 'dir', '--json', '--fields', 'f.json']), {
      command: 'validate', paths: ['a.webhook.jsonc', 'dir'], json: true, fields: 'f.json',
    });
    assert.deepEqual(parseArgs(['validate', '--fields=f.json', 'x']), { command: 'validate', paths: ['x'], json: false, fields: 'f.json' });
  });

  void test('run takes every option; --token repeats and splits at the first "="', () => {
    assert.deepEqual(
      parseArgs(['run', 'x.webhook.jsonc', '--lead', 'l.json', '--campaign', 'batch', '--token', 'my.A=1=2',
        '--token={{my.B}}=', '--timeout', '1500', '--fields', 'f.json', '--json']),
      {
        command: 'run', file: 'x.webhook.jsonc', lead: 'l.json', campaign: 'batch',
        tokens: { 'my.A': '1=2', 'my.B': '' }, timeoutMs: 1500, fields: 'f.json', json: true,
      },
    );
  });

  void test('help and version', () => {
    assert.deepEqual(parseArgs(['--help']), { command: 'help' });
    assert.deepEqual(parseArgs(['-h']), { command: 'help' });
    assert.deepEqual(parseArgs(['help', 'run']), { command: 'help', topic: 'run' });
    assert.deepEqual(parseArgs(['validate', '--help']), { command: 'help', topic: 'validate' });
    assert.deepEqual(parseArgs(['--version']), { command: 'version' });
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

  void test('maskSecrets hides raw, JSON-escaped and URL-encoded values', () => {
    const secret = 'p@ss "word"';
    const text = `a ${secret} b ${JSON.stringify(secret)} c ${encodeURIComponent(secret)}`;
    const masked = maskSecrets(text, [secret]);
    assert.ok(!masked.includes('p@ss'), masked);
    assert.equal(maskSecrets('abc', ['ab']), 'abc');
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
    classification: { code: 200, category: 'success', errorType: null, title: '200 OK: the service answered', network: null, mappingsApplied: true },
    mappings: [
      { responseAttribute: 'company.name', marketoField: 'Company', status: 'applied', value: 'Acme', reason: null },
      { responseAttribute: 'company.size', marketoField: 'NumberOfEmployees', status: 'skipped', value: null, reason: 'not in the response' },
    ],
    handling: { summary: 'Done.', steps: ['Nothing to do.'] },
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
    assert.deepEqual(Object.keys(doc), ['definition', 'request', 'response', 'classification', 'mappings', 'handling', 'diagnostics']);
    assert.deepEqual(doc.diagnostics, [publicDiagnostic(diagnostic)]);
  });

  void test('colours are ANSI codes when on', () => {
    assert.equal(createStyle(true).red('x'), '\x1b[31mx\x1b[39m');
    assert.equal(createStyle(false).red('x'), 'x');
  });
});
