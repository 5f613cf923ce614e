// What the run panel is told about a list run (src/extension/panel-view.ts): rows with their badge,
// and the summary worded as facts, the drain time in hours and minutes.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { leadListRow } from '../../src/engine/lead-list/lead-rows';
import { ListRun } from '../../src/extension/lead-list-runs';
import { formatLongDuration, leadListHead, leadListSummaryView, leadRowView } from '../../src/extension/panel-view';
import type { RunResult } from '../../src/engine/types';

function result(code: number | null, category: string): RunResult {
  return {
    definition: { name: 'Enrich', file: '/w/enrich.webhook.jsonc' },
    request: null,
    response: null,
    classification: code === null && category === 'not-sent' ? null : { code, category: category as 'success', errorType: code === 429 ? 'Too Many Requests' : null, standardPhrase: null, title: 't', network: code === null ? 'timeout' : null, mappingsApplied: false },
    mappings: [],
    handling: null,
    assumptions: [],
    diagnostics: [],
  };
}

void describe('lead list view', () => {
  void test('long durations read in hours and minutes', () => {
    assert.equal(formatLongDuration(40), '40 ms');
    assert.equal(formatLongDuration(12_500), '12.50 s');
    assert.equal(formatLongDuration(250_000), '4 min 10 s');
    // Adobe's example: 100,000 calls of 50 ms through one connection.
    assert.equal(formatLongDuration(5_000_000), '1 h 23 min');
  });

  void test('a row gets the badge of its category; a lead not sent is "invalid"', () => {
    assert.deepEqual(leadRowView(leadListRow(1, { email: 'a@x.example' }, result(429, 'client-error'), 0)), {
      lead: 1, label: 'a@x.example', code: '429', category: 'client error', badge: 'client-error', errorType: 'Too Many Requests', values: [],
    });
    const notSent = leadRowView(leadListRow(2, {}, result(null, 'not-sent'), 0));
    assert.deepEqual([notSent.badge, notSent.category, notSent.code], ['invalid', 'not sent', 'not-sent']);
  });

  void test('the summary: counts, refused values, and while running only the count', () => {
    const run = new ListRun('L', 'list.csv', 'api.example.com', 3, ['Company']);
    assert.deepEqual(leadListHead(run), { id: 'L', file: 'list.csv', host: 'api.example.com', total: 3, fields: ['Company'] });
    assert.deepEqual(leadListSummaryView(run).facts.map((f) => f.name), ['Leads']);
    assert.equal(leadListSummaryView(run).facts[0]?.value, '0 of 3 (running)');
    run.running = false;
    run.summary = {
      leads: 3, completed: 2, cancelled: true, byCategory: { success: 1, 'client-error': 1 }, byCode: { 200: 1, 429: 1 },
      mappingsWritten: { Company: 1 }, valuesRefused: { NumberOfEmployees: { count: 1, examples: [{ lead: 2, value: 'many', reason: 'not an integer' }] } },
      durationMs: 1_234, estimatedDrainMs: 5_000_000,
    };
    const facts = Object.fromEntries(leadListSummaryView(run).facts.map((f) => [f.name, f.value]));
    assert.deepEqual(facts, {
      Leads: '2 of 3 (cancelled: the calls under way were aborted)',
      'By category': 'success: 1 · client error: 1',
      'By code': '200: 1 · 429: 1',
      'Fields written': 'Company: 1',
      'Values refused': 'NumberOfEmployees: 1 (lead 2: "many": not an integer)',
      Duration: '1.23 s',
      'Marketo would take': 'about 1 h 23 min',
    });
  });
});
