// The run panel's view model (src/extension/panel-view.ts): what the page is told to show, decided
// on the host with the engine's functions. The page (src/panel) only writes it as text, so every
// decision it used to make is checked here.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { RunResult } from '../../src/engine/types';
import { formatJson, formatXml } from '../../src/extension/body-layout';
import { PANEL_BODY_CHARS } from '../../src/engine/limits';
import { panelView, responseLanguage } from '../../src/extension/panel-view';
import type { PanelState } from '../../src/extension/run-records';
import type { RunView } from '../../src/panel/protocol';

function result(overrides: Partial<RunResult> = {}): RunResult {
  const body = '{"company":{"name":"Acme"}}';
  return {
    definition: { name: 'Enrich', file: '/w/enrich.webhook.jsonc' },
    request: { method: 'POST', url: 'https://api.example.com/x', headers: { 'Content-Type': 'application/json' }, body: '{"a":1}', sent: true },
    response: { status: 404, statusText: '', headers: { 'CONTENT-TYPE': 'application/json' }, body, bytes: 2048, truncated: false, durationMs: 1234.5 },
    classification: { code: 404, category: 'client-error', errorType: '', standardPhrase: 'Not Found', title: '404: not found', network: null, mappingsApplied: false },
    mappings: [{ responseAttribute: 'company.name', marketoField: 'Company', status: 'skipped', value: undefined, reason: 'not applied', note: null }],
    handling: { summary: 'Look it up.', steps: ['First do this.', 'Then that.'] },
    assumptions: [
      { id: 'error-type', text: 'No phrase.', doc: 'docs/marketo-behaviour.md#error-type' },
      { id: 'odd', text: 'Elsewhere.', doc: 'README.md#x' },
    ],
    diagnostics: [],
    ...overrides,
  };
}

function state(r: RunResult, extra: Partial<PanelState> = {}): PanelState {
  return {
    definition: 'file:///w/enrich.webhook.jsonc',
    fileName: 'enrich.webhook.jsonc',
    running: false,
    current: { id: 'r1', at: '2026-01-01T00:00:00.000Z', lead: 'blank lead', result: r },
    fieldDisplayNames: { Company: 'Company Name' },
    history: [{ id: 'r1', at: '2026-01-01T00:00:00.000Z', code: 404, category: 'client-error', title: '404: not found' }, { id: 'r0', at: 'x', code: null, category: null, title: 'Not sent' }],
    ...extra,
  };
}

function runOf(s: PanelState, limit?: number): RunView {
  const run = panelView(s, limit).run;
  assert.ok('id' in run, 'no run in the view');
  return run;
}

describe('run panel view: the status line', () => {
  it('says code, category, the Error Type as received, duration and size', () => {
    const run = runOf(state(result()));
    assert.deepEqual(run.status, {
      badge: { text: '404', kind: 'client-error' },
      title: '404: not found',
      category: 'client error',
      errorType: { kind: 'empty', standardPhrase: 'Not Found' },
      received: null,
      duration: '1.23 s',
      size: '2.0 KB (2,048 bytes)',
    });
  });

  it('shows the status received beside a 1001, and "not sent" for a definition with errors', () => {
    const r = result();
    const marketo = runOf(state({ ...r, classification: { ...r.classification!, code: 1001, category: 'marketo', errorType: null } }));
    assert.equal(marketo.status.received, 'HTTP 404');
    assert.deepEqual(marketo.status.errorType, { kind: 'none' });
    const broken = runOf(state(result({
      request: null, response: null, classification: null, handling: null, mappings: [],
      diagnostics: [{ code: 'x', message: 'bad', severity: 'error', range: { start: { line: 2, character: 4 }, end: { line: 2, character: 5 } } }],
    })));
    assert.deepEqual(broken.status.badge, { text: 'not sent', kind: 'invalid' });
    assert.deepEqual(broken.notSent?.diagnostics, [{ severity: 'error', error: true, where: 'line 3, column 5: ', message: 'bad', code: 'x' }]);
    assert.equal(broken.mappings, null);
    assert.equal(broken.response, null);
    assert.deepEqual(broken.can, { copyCurl: false, openResponse: false, saveResult: true });
  });
});

describe('run panel view: mappings, handling, assumptions, history', () => {
  it('names each field by its display name and says what was written', () => {
    const run = runOf(state(result()));
    assert.equal(run.mappings?.intro, '0 of 1 mapping would write a value to the person.');
    assert.match(run.mappings?.applied ?? '', /Marketo ignores them/);
    assert.deepEqual(run.mappings?.rows[0], { responseAttribute: 'company.name', marketoField: 'Company', displayName: 'Company Name', value: '(no value)', written: false, reason: 'not applied', note: null });
  });

  it('keeps every step, and opens only sections of the behaviour docs', () => {
    const run = runOf(state(result()));
    assert.deepEqual(run.handling?.steps, ['First do this.', 'Then that.']);
    assert.deepEqual(run.assumptions.map((a) => a.anchor), ['error-type', null]);
  });

  it('lists the history with the run shown marked', () => {
    const view = panelView(state(result()));
    assert.deepEqual(view.history.map((h) => [h.badge, h.current]), [[{ text: '404', kind: 'client-error' }, true], [{ text: 'not sent', kind: 'invalid' }, false]]);
    assert.equal(view.title, 'Run: enrich.webhook.jsonc');
  });

  it('says why there is no run', () => {
    assert.deepEqual(panelView({ ...state(result()), current: undefined, running: true }).run, { none: 'The first run of this definition is under way.' });
  });
});

describe('run panel view: bodies', () => {
  it('finds the Content-Type whatever its case and lays the body out', () => {
    const body = runOf(state(result())).response;
    assert.ok(body?.kind === 'response');
    assert.equal(body.body.heading, 'Formatted JSON');
    assert.equal(body.body.formatted, '{\n  "company": {\n    "name": "Acme"\n  }\n}');
    assert.equal(responseLanguage({ headers: { 'CONTENT-TYPE': 'text/xml' }, body: '{' }), 'xml');
  });

  it('shows invalid JSON as received, with why', () => {
    const r = result();
    const run = runOf(state({ ...r, response: { ...r.response!, body: '{"a":' } }));
    assert.ok(run.response?.kind === 'response');
    assert.equal(run.response.body.formatted, null);
    assert.match(run.response.body.note ?? '', /^Not valid JSON/);
  });

  it('cuts a long body to its start and lays out only that', () => {
    const r = result();
    const long = `[${'1,'.repeat(PANEL_BODY_CHARS)}1]`;
    const run = runOf(state({ ...r, response: { ...r.response!, body: long } }));
    assert.ok(run.response?.kind === 'response');
    assert.equal(run.response.body.raw.length, PANEL_BODY_CHARS);
    assert.deepEqual(run.response.body.cut, { chars: PANEL_BODY_CHARS, totalChars: long.length });
    assert.equal(run.response.body.heading, 'Formatted JSON (the start only)');
  });

  it('says when the history kept only the start of a body', () => {
    const s = state(result());
    const run = runOf({ ...s, current: { ...s.current!, storedBodyChars: { kept: 27, total: 5000 } } });
    assert.ok(run.response?.kind === 'response');
    assert.deepEqual(run.response.body.cut, { chars: 27, totalChars: 5000 });
  });

  it('lays out JSON exactly, and XML one element a line', () => {
    assert.equal(formatJson('{"n":1.000000000000000001,"e":{},"s":"a,b"}'), '{\n  "n": 1.000000000000000001,\n  "e": {},\n  "s": "a,b"\n}');
    assert.equal(formatXml('<a><b>1</b><c/></a>'), '<a>\n  <b>1</b>\n  <c/>\n</a>');
  });
});
