// The rows of a list run as the editor's table and its CSV export show them: who each lead is, its
// outcome, the mapped values; and the export's escaping, formula injection included.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { parse as parseCsv } from 'csv-parse/sync';
import { STANDARD_CATALOG } from '../../src/engine/catalog/field-catalog';
import { csvCell, leadLabel, leadListCsv, leadListRow } from '../../src/engine/lead-list/lead-rows';
import { readLeadListFile } from '../../src/engine/lead-list/read-list';
import type { RunResult } from '../../src/engine/types';

function result(over: Partial<RunResult> = {}): RunResult {
  return {
    definition: { name: 'Enrich', file: '/w/enrich.webhook.jsonc' },
    request: { method: 'POST', url: 'https://api.example.com/x', headers: {}, body: '{}', sent: true },
    response: { status: 429, statusText: 'Too Many Requests', headers: {}, body: '', bytes: 0, truncated: false, durationMs: 12 },
    classification: { code: 429, category: 'client-error', errorType: 'Too Many Requests', standardPhrase: 'Too Many Requests', title: '429', network: null, mappingsApplied: false },
    mappings: [
      { responseAttribute: 'a', marketoField: 'Company', status: 'applied', value: 'Acme', reason: null, note: null },
      { responseAttribute: 'b', marketoField: 'NumberOfEmployees', status: 'skipped', value: 'many', reason: 'not an integer', note: null },
    ],
    handling: null,
    assumptions: [],
    diagnostics: [],
    ...over,
  };
}

void describe('lead list rows', () => {
  void test('a lead is named by its email, else its id, else nothing', () => {
    assert.equal(leadLabel({ email: ' ada@example.com ', id: 7 }), 'ada@example.com');
    assert.equal(leadLabel({ email: '', id: 7 }), 'id 7');
    assert.equal(leadLabel({ id: '12' }), 'id 12');
    assert.equal(leadLabel({ firstName: 'Ada' }), '');
    assert.equal(leadLabel(undefined), '');
  });

  void test('a row: place, code, category, Error Type, and one value per mapping with whether it is written', () => {
    const row = leadListRow(3, { email: 'a@example.com' }, result(), 3);
    assert.deepEqual(row, {
      lead: 3, label: 'a@example.com', code: '429', category: 'client-error', errorType: 'Too Many Requests',
      values: [{ text: 'Acme', written: true }, { text: 'many', written: false }, { text: '', written: false }],
    });
  });

  void test('a lead not sent and a network failure count as the summary counts them; long values are clipped', () => {
    const notSent = leadListRow(1, {}, result({ classification: null, mappings: [] }), 1);
    assert.deepEqual([notSent.code, notSent.category, notSent.errorType, notSent.values], ['not-sent', 'not-sent', null, [{ text: '', written: false }]]);
    const timeout = leadListRow(2, {}, result({ response: null, classification: { code: null, category: 'network', errorType: null, standardPhrase: null, title: 't', network: 'timeout', mappingsApplied: false } }), 0);
    assert.equal(timeout.code, 'timeout');
    const long = leadListRow(4, {}, result({ mappings: [{ responseAttribute: 'a', marketoField: 'X', status: 'applied', value: { deep: 'x'.repeat(500) }, reason: null, note: null }] }), 1);
    assert.ok((long.values[0]?.text.length ?? 0) <= 201);
    assert.ok(long.values[0]?.text.startsWith('{"deep":"xxx'));
  });

  void test('CSV cells: quoted when needed, and a formula start made text', () => {
    assert.equal(csvCell('plain'), 'plain');
    assert.equal(csvCell('a,b'), '"a,b"');
    assert.equal(csvCell('say "hi"'), '"say ""hi"""');
    assert.equal(csvCell('two\nlines'), '"two\nlines"');
    for (const start of ['=', '+', '-', '@', '\t', '\r']) assert.ok(csvCell(`${start}1+1`).replace(/^"/, '').startsWith(`'${start}`), JSON.stringify(start));
    assert.equal(csvCell('=HYPERLINK("http://evil.example","x")'), '"\'=HYPERLINK(""http://evil.example"",""x"")"');
  });

  void test('the export is in the list\'s order and reads back as written (written values only)', () => {
    const rows = [
      leadListRow(2, { email: '=cmd|\' /C calc\'!A0' }, result(), 2),
      leadListRow(1, { email: 'a@example.com' }, result(), 2),
    ];
    const text = leadListCsv(['Company', 'NumberOfEmployees'], rows);
    assert.ok(text.endsWith('\r\n'));
    const back: string[][] = parseCsv(text);
    assert.deepEqual(back[0], ['Lead', 'Email or Id', 'Code', 'Category', 'Error Type', 'Company (mapped)', 'NumberOfEmployees (mapped)']);
    assert.deepEqual(back[1], ['1', 'a@example.com', '429', 'client-error', 'Too Many Requests', 'Acme', '']);
    assert.deepEqual(back[2]?.[1], '\'=cmd|\' /C calc\'!A0');
  });

  void test('a list file with no leads is not usable, whatever its format', () => {
    assert.deepEqual(readLeadListFile('x.csv', 'Email Address\n', STANDARD_CATALOG), { ok: false, message: 'it holds no leads' });
    assert.deepEqual(readLeadListFile('x.json', '[]', STANDARD_CATALOG), { ok: false, message: 'it holds no leads' });
    assert.equal(readLeadListFile('x.json', '{"nope":1}', STANDARD_CATALOG).ok, false);
    assert.equal(readLeadListFile('x.csv', 'Email Address\na@example.com\n', STANDARD_CATALOG).ok, true);
  });
});
