// The first paint of a long answer (src/extension/first-paint.ts): the run panel's `state` message
// holds only the start of each long text, and the rest is sent when the page asks for it. What the
// page ends up with, start and rest put together, must be exactly the whole view's text.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { RunResult } from '../../src/engine/types';
import { cutEnd } from '../../src/engine/text/cut';
import { splitForFirstPaint } from '../../src/extension/first-paint';
import { answerStartView, panelView } from '../../src/extension/panel-view';
import type { PanelState } from '../../src/extension/run-records';
import { FIRST_PAINT_CHARS, TEXT_SLOTS, type BodyView, type PanelView, type RunView, type TextSlot } from '../../src/panel/protocol';

function viewWith(responseBody: string, requestBody: string | null = '{"a":1}'): PanelView {
  const result: RunResult = {
    definition: { name: 'Enrich', file: '/w/enrich.webhook.jsonc' },
    request: { method: 'POST', url: 'https://api.example.com/x', headers: { 'Content-Type': 'application/json' }, body: requestBody, sent: true },
    response: { status: 200, statusText: 'OK', headers: { 'Content-Type': 'application/json' }, body: responseBody, bytes: responseBody.length, truncated: false, durationMs: 12 },
    classification: { code: 200, category: 'success', errorType: null, standardPhrase: null, title: '200 OK', network: null, mappingsApplied: true },
    mappings: [],
    handling: { summary: 'Fine.', steps: [] },
    assumptions: [],
    diagnostics: [],
  };
  const state: PanelState = {
    definition: 'file:///w/enrich.webhook.jsonc',
    fileName: 'enrich.webhook.jsonc',
    running: false,
    current: { id: 'r1', at: '2026-01-01T00:00:00.000Z', lead: 'blank lead', result },
    history: [],
  };
  return panelView(state);
}

function runOf(view: PanelView): RunView {
  assert.ok(!('none' in view.run));
  return view.run;
}

function bodyOf(view: PanelView, side: 'request' | 'response'): BodyView {
  const run = runOf(view);
  const body = side === 'request' ? run.request?.body : run.response?.kind === 'response' ? run.response.body : null;
  assert.ok(body, `no ${side} body`);
  return body;
}

/** Each slot's text as the page has it once the rest has come. */
function joined(first: PanelView, rest: Partial<Record<TextSlot, string>> | null): Record<string, string | null> {
  const out: Record<string, string | null> = {};
  for (const slot of TEXT_SLOTS) {
    const [side, kind] = slot.split('.') as ['request' | 'response', 'raw' | 'formatted'];
    const start = bodyOf(first, side)[kind];
    out[slot] = start === null ? null : start + (rest?.[slot] ?? '');
  }
  return out;
}

function whole(view: PanelView): Record<string, string | null> {
  return joined(view, null);
}

describe('first paint of a long answer', () => {
  it('leaves a short run as it is, with nothing to ask for', () => {
    const view = viewWith('{"company":{"name":"Acme"}}');
    const split = splitForFirstPaint(view, 'k1');
    assert.equal(split.rest, null);
    assert.equal(split.view.rest, null);
    assert.deepEqual(split.view, view);
  });

  it('posts the start of a long body, raw and laid out, and keeps the rest for the page to ask for', () => {
    const body = `{"token":"first","items":[${Array.from({ length: 4000 }, (_, i) => `"item ${i}"`).join(',')}],"last":"end"}`;
    const view = viewWith(body);
    const split = splitForFirstPaint(view, 'k2');
    assert.equal(split.view.rest, 'k2');
    const first = bodyOf(split.view, 'response');
    assert.equal(first.raw.length, FIRST_PAINT_CHARS);
    assert.equal(first.formatted?.length, FIRST_PAINT_CHARS);
    assert.ok(first.formatted?.includes('"first"'), 'the start is in the first message');
    assert.ok(split.rest?.['response.raw']?.endsWith('"last":"end"}'));
    // Put together, the page has exactly what the whole view holds; the short request body is whole.
    assert.deepEqual(joined(split.view, split.rest), whole(view));
    assert.equal(split.rest?.['request.raw'], undefined);
    // The rest of the view (status, facts, cut note) is the same.
    assert.deepEqual({ ...runOf(split.view), request: null, response: null }, { ...runOf(view), request: null, response: null });
    // The first message is small: the start of two texts and the rest of the view.
    assert.ok(JSON.stringify(split.view).length < 3 * FIRST_PAINT_CHARS, `first message of ${JSON.stringify(split.view).length} characters`);
  });

  it('splits a long request body too', () => {
    const request = JSON.stringify({ note: 'x'.repeat(FIRST_PAINT_CHARS * 2) });
    const view = viewWith('{}', request);
    const split = splitForFirstPaint(view, 'k3');
    assert.equal(split.view.rest, 'k3');
    assert.ok(split.rest?.['request.raw']);
    assert.deepEqual(joined(split.view, split.rest), whole(view));
  });

  it('never cuts between the halves of a surrogate pair', () => {
    const text = `${'a'.repeat(FIRST_PAINT_CHARS - 1)}😀${'b'.repeat(10)}`;
    assert.equal(cutEnd(text, FIRST_PAINT_CHARS), FIRST_PAINT_CHARS - 1);
    assert.equal(cutEnd('short', FIRST_PAINT_CHARS), 5);
    assert.equal(cutEnd('short', 0), 0);
    const view = viewWith(`"${'a'.repeat(FIRST_PAINT_CHARS - 2)}😀${'b'.repeat(FIRST_PAINT_CHARS)}"`);
    const split = splitForFirstPaint(view, 'k4');
    const raw = bodyOf(split.view, 'response').raw;
    assert.equal(raw.length, FIRST_PAINT_CHARS - 1);
    assert.deepEqual(joined(split.view, split.rest), whole(view));
  });

  it('has nothing to split when there is no run yet', () => {
    const view: PanelView = { definition: 'file:///w/a.webhook.jsonc', title: 'Run: a', running: true, run: { none: 'under way' }, history: [], rest: null };
    assert.deepEqual(splitForFirstPaint(view, 'k5'), { view, rest: null });
  });
});

describe('the start of a long answer, as the page shows it', () => {
  it('is the status line, how much has come, and the start of the body laid out as a start', () => {
    const body = `{"company":{"name":"Acme"},"pad":"${'x'.repeat(FIRST_PAINT_CHARS * 2)}`;
    const view = answerStartView({ status: 200, statusText: 'OK', headers: { 'content-type': 'application/json' }, body, bytes: 2_000_000 });
    assert.equal(view.statusLine, 'HTTP 200 OK');
    assert.match(view.note, /^Reading the answer: 1\.9 MB .*so far\./);
    // Only a first screen's worth is posted, laid out as the start of JSON.
    assert.equal(view.body.raw.length, FIRST_PAINT_CHARS);
    assert.equal(view.body.heading, 'Formatted JSON (the start only)');
    assert.ok(view.body.formatted?.startsWith('{\n  "company": {\n    "name": "Acme"'));
    assert.equal(view.body.cut, null);
  });
});
