import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { OUTCOMES, classifyOutcome, handlingFor, outcomeKey, reasonPhrase } from '../../src/engine/outcome/classification';
import type { OutcomeInput } from '../../src/engine/outcome/classification';
import type { Classification, NetworkFailure, RunResponse } from '../../src/engine/types';

const WEBHOOK = 'Enrich lead (Clearbit)';

function response(status: number, body: string, statusText = reasonPhrase(status)): RunResponse {
  return { status, statusText, headers: {}, body, bytes: Buffer.byteLength(body), truncated: false, durationMs: 5 };
}

function http(status: number, body = '{"ok":true}', statusText?: string): Classification {
  return classifyOutcome({ campaign: 'trigger', response: response(status, body, statusText), network: null });
}

function net(kind: NetworkFailure): Classification {
  return classifyOutcome({ campaign: 'trigger', response: null, network: kind });
}

function stepsFor(c: Classification, campaignName?: string): string {
  return handlingFor(c, { webhookName: WEBHOOK, campaignName }).steps.join('\n');
}

const NETWORK_KINDS: NetworkFailure[] = ['timeout', 'dns', 'refused', 'reset', 'tls', 'protocol'];

void describe('classifyOutcome: batch campaign', () => {
  void it('is 1000 with nothing sent, whatever the response', () => {
    const inputs: OutcomeInput[] = [
      { campaign: 'batch', response: null, network: null },
      { campaign: 'batch', response: response(200, '{"a":1}'), network: null },
      { campaign: 'batch', response: response(500, 'boom'), network: null },
      { campaign: 'batch', response: null, network: 'timeout' },
    ];
    for (const input of inputs) {
      const c = classifyOutcome(input);
      assert.equal(c.code, 1000);
      assert.equal(c.category, 'marketo');
      assert.equal(c.errorType, null);
      assert.equal(c.network, null);
      assert.equal(c.mappingsApplied, false);
      assert.match(c.title, /^1000\b/);
    }
  });
});

void describe('classifyOutcome: 1001 (2xx with an empty body)', () => {
  void it('reports 200 with an empty body as 1001, category marketo, real status only in the title', () => {
    const c = http(200, '');
    assert.equal(c.code, 1001);
    assert.equal(c.category, 'marketo');
    assert.equal(c.mappingsApplied, false);
    assert.equal(c.network, null);
    // project rule: errorType is the received status's reason phrase
    assert.equal(c.errorType, 'OK');
    assert.match(c.title, /^1001 \(HTTP 200 OK\)/);
  });

  void it('reports 204 No Content as 1001', () => {
    const c = http(204, '');
    assert.equal(c.code, 1001);
    assert.equal(c.category, 'marketo');
    assert.equal(c.errorType, 'No Content');
    assert.match(c.title, /HTTP 204/);
  });

  void it('keeps a non-2xx with an empty body as itself', () => {
    const c = http(404, '');
    assert.equal(c.code, 404);
    assert.equal(c.category, 'client-error');
    assert.equal(c.errorType, 'Not Found');
    assert.equal(c.standardPhrase, null);
    const s = http(503, '');
    assert.equal(s.code, 503);
    assert.equal(s.category, 'server-error');
  });

  void it('treats a whitespace-only 2xx body as empty (project rule): 1001', () => {
    for (const body of [' ', '\r\n', '\t \n ']) {
      const c = http(200, body);
      assert.equal(c.code, 1001, JSON.stringify(body));
      assert.equal(c.mappingsApplied, false);
    }
    assert.equal(http(200, ' x ').code, 200);
    // not for a non-2xx
    assert.equal(http(500, '  ').code, 500);
  });
});

void describe('classifyOutcome: success', () => {
  void it('reports 200 with a body as success with mappings applied and no error type', () => {
    const c = http(200, '{"company":{"name":"Acme"}}');
    assert.equal(c.code, 200);
    assert.equal(c.category, 'success');
    assert.equal(c.mappingsApplied, true);
    assert.equal(c.errorType, null);
    assert.equal(c.network, null);
    assert.match(c.title, /^200 OK: /);
  });

  void it('reports 201 and 202 with a body as success', () => {
    for (const status of [201, 202]) {
      const c = http(status);
      assert.equal(c.code, status);
      assert.equal(c.category, 'success');
      assert.equal(c.mappingsApplied, true);
    }
  });
});

void describe('classifyOutcome: errors by class', () => {
  void it('puts 3xx, 4xx and 5xx in their categories without mappings', () => {
    const cases: [number, Classification['category']][] = [
      [301, 'redirect'], [302, 'redirect'], [304, 'redirect'], [307, 'redirect'], [308, 'redirect'],
      [400, 'client-error'], [401, 'client-error'], [404, 'client-error'], [429, 'client-error'],
      [500, 'server-error'], [502, 'server-error'], [504, 'server-error'],
    ];
    for (const [status, category] of cases) {
      const c = http(status, 'body');
      assert.equal(c.code, status, `code of ${status}`);
      assert.equal(c.category, category, `category of ${status}`);
      assert.equal(c.mappingsApplied, false, `mappings of ${status}`);
      assert.equal(c.network, null);
    }
  });

  void it('takes errorType from statusText', () => {
    assert.equal(http(404, 'nope', 'Not Found').errorType, 'Not Found');
  });

  void it('keeps an empty statusText empty: never the standard phrase, which is shown beside it', () => {
    for (const [status, standard] of [[404, 'Not Found'], [429, 'Too Many Requests'], [302, 'Found']] as const) {
      const c = http(status, 'nope', '');
      assert.equal(c.errorType, '', String(status));
      assert.equal(c.standardPhrase, standard);
      assert.equal(c.title, `${status} (no reason phrase; standard phrase: ${standard}): ${OUTCOMES[String(status) as '404'].title}`);
    }
  });

  void it('keeps a custom statusText as the errorType, the standard phrase beside it', () => {
    const c = http(429, 'slow down', 'Slow Down Please');
    assert.equal(c.errorType, 'Slow Down Please');
    assert.equal(c.standardPhrase, 'Too Many Requests');
    assert.match(c.title, /^429 Slow Down Please \(standard phrase: Too Many Requests\): /);
    // a phrase that differs only in case is another phrase
    assert.equal(http(404, 'x', 'Not found').standardPhrase, 'Not Found');
    assert.equal(http(404, 'x', 'Not Found').standardPhrase, null);
  });

  void it('has an empty errorType and no standard phrase when there is none at all', () => {
    const c = http(599, 'x', '');
    assert.equal(c.errorType, '');
    assert.equal(c.standardPhrase, null);
    assert.match(c.title, /^599 \(no reason phrase\): /);
  });

  void it('titles with the status and the phrase', () => {
    assert.equal(http(404, '', 'Not Found').title, `404 Not Found: ${OUTCOMES['404'].title}`);
  });
});

void describe('classifyOutcome: network failures', () => {
  for (const kind of NETWORK_KINDS) {
    void it(`reports ${kind} with no code and the kind set`, () => {
      const c = net(kind);
      assert.equal(c.code, null);
      assert.equal(c.category, 'network');
      assert.equal(c.network, kind);
      assert.equal(c.errorType, null);
      assert.equal(c.mappingsApplied, false);
      assert.equal(c.title, `No response (${kind}): ${OUTCOMES[kind].title}`);
    });
  }

  void it('prefers the network failure over a partial response', () => {
    const c = classifyOutcome({ campaign: 'trigger', response: response(200, '{}'), network: 'reset' });
    assert.equal(c.code, null);
    assert.equal(c.network, 'reset');
  });

  void it('does not throw when neither response nor failure is given', () => {
    const c = classifyOutcome({ campaign: 'trigger', response: null, network: null });
    assert.equal(c.code, null);
    assert.equal(c.category, 'network');
    assert.equal(outcomeKey(c), 'network');
  });
});

void describe('classifyOutcome: statuses the table does not know', () => {
  void it('gives 418 the generic 4xx entry', () => {
    const c = http(418, 'teapot', '');
    assert.equal(c.code, 418);
    assert.equal(c.category, 'client-error');
    assert.equal(c.errorType, '');
    assert.equal(c.standardPhrase, "I'm a Teapot");
    assert.equal(outcomeKey(c), '4xx');
    assert.equal(c.title, `418 (no reason phrase; standard phrase: I'm a Teapot): ${OUTCOMES['4xx'].title}`);
    // same handling as any other unknown 4xx with the same phrase
    const other = http(499, 'x', '');
    assert.deepEqual(handlingFor(c, { webhookName: WEBHOOK }), handlingFor(other, { webhookName: WEBHOOK }));
    assert.notDeepEqual(handlingFor(c, { webhookName: WEBHOOK }), handlingFor(http(404, 'x', ''), { webhookName: WEBHOOK }));
  });

  void it('hands out a fresh copy each time (callers add to it)', () => {
    const c = http(429, 'x', 'Too Many Requests');
    const first = handlingFor(c, { webhookName: WEBHOOK, campaignName: 'A' });
    const steps = first.steps.length;
    first.steps.push('added');
    first.summary = 'changed';
    const second = handlingFor(c, { webhookName: WEBHOOK, campaignName: 'A' });
    assert.equal(second.steps.length, steps);
    assert.notEqual(second.summary, 'changed');
    assert.notDeepEqual(handlingFor(c, { webhookName: 'Other', campaignName: 'A' }), second);
    assert.notDeepEqual(handlingFor(http(429, 'x', 'Slow Down'), { webhookName: WEBHOOK, campaignName: 'A' }), second);
    // the campaign's name is part of the success advice
    const ok = http(200, '{}', 'OK');
    assert.notDeepEqual(handlingFor(ok, { webhookName: WEBHOOK, campaignName: 'A' }), handlingFor(ok, { webhookName: WEBHOOK, campaignName: 'B' }));
    assert.notDeepEqual(handlingFor(ok, { webhookName: WEBHOOK, campaignName: 'A' }), handlingFor(ok, { webhookName: WEBHOOK }));
  });

  void it('gives 599 the generic 5xx entry', () => {
    const c = http(599, 'x', '');
    assert.equal(c.category, 'server-error');
    assert.equal(outcomeKey(c), '5xx');
    assert.match(c.title, /^599 \(no reason phrase\): /);
  });

  void it('gives 299 the generic 2xx entry, and 1001 when empty', () => {
    const c = http(299, '{"a":1}', '');
    assert.equal(c.code, 299);
    assert.equal(c.category, 'success');
    assert.equal(c.mappingsApplied, true);
    assert.equal(outcomeKey(c), '2xx');
    const empty = http(299, '', '');
    assert.equal(empty.code, 1001);
    assert.equal(empty.errorType, '');
  });

  void it('gives 1xx and out-of-range statuses the `other` entry without throwing', () => {
    for (const status of [100, 0, 99, 600, 999, 1001, -1, 200.5, Number.NaN]) {
      const c = http(status, 'x', '');
      assert.equal(c.category, 'server-error', `category of ${status}`);
      assert.equal(c.mappingsApplied, false);
      assert.equal(outcomeKey(c), 'other', `key of ${status}`);
      assert.ok(handlingFor(c, { webhookName: WEBHOOK }).steps.length > 0);
    }
  });
});

void describe('reasonPhrase', () => {
  void it('returns the standard phrase, or an empty string', () => {
    assert.equal(reasonPhrase(404), 'Not Found');
    assert.equal(reasonPhrase(503), 'Service Unavailable');
    assert.equal(reasonPhrase(299), '');
    assert.equal(reasonPhrase(Number.NaN), '');
  });
});

void describe('the table', () => {
  const REQUIRED = [
    '1000', '1001',
    '200', '201', '202', '204', '301', '302', '303', '304', '307', '308',
    '400', '401', '403', '404', '405', '406', '408', '409', '410', '413', '414', '415', '422', '429',
    '500', '501', '502', '503', '504',
    '2xx', '3xx', '4xx', '5xx',
    'timeout', 'dns', 'refused', 'reset', 'tls', 'protocol',
  ];

  void it('has every required entry', () => {
    for (const key of REQUIRED) assert.ok(Object.hasOwn(OUTCOMES, key), `missing ${key}`);
  });

  void it('has a non-empty title, summary and steps in every entry', () => {
    for (const [key, entry] of Object.entries(OUTCOMES)) {
      assert.ok(entry.title.trim().length > 0, `title of ${key}`);
      assert.ok(entry.summary.trim().length > 0, `summary of ${key}`);
      assert.ok(entry.steps.length > 0, `steps of ${key}`);
      for (const step of entry.steps) assert.ok(step.trim().length > 0, `a step of ${key}`);
    }
  });

  void it('puts each status entry in the category of its class', () => {
    const byClass: Record<string, string> = { 2: 'success', 3: 'redirect', 4: 'client-error', 5: 'server-error' };
    for (const [key, entry] of Object.entries(OUTCOMES)) {
      if (!/^[2-5]\d\d$|^[2-5]xx$/.test(key)) continue;
      assert.equal(entry.category, byClass[key[0] ?? ''], `category of ${key}`);
    }
  });

  void it('marks exactly 429, 502, 503, 504, timeout and reset as transient', () => {
    const transient = Object.entries(OUTCOMES).filter(([, e]) => e.transient).map(([k]) => k).sort();
    assert.deepEqual(transient, ['429', '502', '503', '504', 'reset', 'timeout']);
  });
});

void describe('handlingFor', () => {
  void it('retries transient errors with Wait then Call Webhook, limited so it does not loop', () => {
    const cases = [http(429, 'x'), http(502, 'x'), http(503, 'x'), http(504, 'x'), net('timeout'), net('reset')];
    for (const c of cases) {
      const steps = stepsFor(c);
      assert.match(steps, /"Wait"[^\n]*then "Call Webhook: Enrich lead \(Clearbit\)"/, c.title);
      assert.match(steps, /once every|Retry once/, c.title);
    }
  });

  void it('matches the exact Error Type in the Webhook is Called trigger', () => {
    assert.match(stepsFor(http(429, 'x')), /"Webhook is Called: Enrich lead \(Clearbit\)" with the constraint "Error Type: Too Many Requests"/);
    assert.match(stepsFor(http(429, 'x', 'Rate Limited')), /"Error Type: Rate Limited"/);
    assert.doesNotMatch(stepsFor(http(429, 'x', 'Rate Limited')), /Error Type: Too Many Requests/);
    assert.match(stepsFor(http(404, 'x', 'Not Found')), /"Error Type: Not Found"/);
  });

  void it('says an empty Error Type cannot be picked: match on Response instead', () => {
    const steps = stepsFor(http(404, 'x', ''));
    assert.doesNotMatch(steps, /Error Type: Not Found/);
    assert.match(steps, /"Webhook is Called: Enrich lead \(Clearbit\)" with a "Response" constraint \(this answer's status line had no reason phrase, so its Error Type is empty, and an empty Error Type cannot be picked in the constraint: match on Response instead/);
    assert.match(handlingFor(http(404, 'x', ''), { webhookName: WEBHOOK }).summary, /fires with an empty Error Type/);
  });

  void it('alerts a person for definition and credential errors, without retrying', () => {
    for (const status of [400, 401, 403, 404, 405, 415, 422]) {
      const steps = stepsFor(http(status, 'x'));
      assert.match(steps, /"Send Alert"/, `Send Alert for ${status}`);
      assert.match(steps, /Webhook is Called: Enrich lead \(Clearbit\)/, `trigger for ${status}`);
      assert.doesNotMatch(steps, /"Wait"/, `no Wait for ${status}`);
    }
  });

  void it('points 401 and 403 at the credentials and a secret token', () => {
    for (const status of [401, 403]) assert.match(stepsFor(http(status, 'x')), /\{ "secret": "NAME" \}/);
  });

  void it('mentions the IP allowlist and Marketo\'s outbound IP ranges for 403', () => {
    const steps = stepsFor(http(403, 'x'));
    assert.match(steps, /IP allowlist/);
    assert.match(steps, /Marketo's published outbound IP ranges/);
  });

  void it('moves the Call Webhook step to a trigger campaign for 1000, naming the campaign', () => {
    const c = classifyOutcome({ campaign: 'batch', response: null, network: null });
    const h = handlingFor(c, { webhookName: WEBHOOK, campaignName: 'Nightly enrich' });
    assert.match(h.steps.join('\n'), /into a trigger campaign/);
    assert.match(h.steps.join('\n'), /"Call Webhook: Enrich lead \(Clearbit\)" flow step out of the smart campaign "Nightly enrich"/);
    assert.match(h.summary, /webhooks run only from trigger campaigns/);
  });

  void it('says mappings did not run for 1001 and how to get data back', () => {
    const h = handlingFor(http(204, ''), { webhookName: WEBHOOK });
    assert.match(h.summary, /empty body/);
    assert.match(h.summary, /did not run/);
    assert.match(h.steps.join('\n'), /change the service/i);
  });

  void it('warns on success that mapping writes are asynchronous and suggests Data Value Changes', () => {
    const h = handlingFor(http(200), { webhookName: WEBHOOK });
    assert.match(h.summary, /asynchronous/);
    assert.match(h.steps.join('\n'), /"Data Value Changes"/);
    assert.match(h.steps.join('\n'), /"Call Webhook: Enrich lead \(Clearbit\)"/);
  });

  void it('tells a redirect to use the final location', () => {
    for (const status of [301, 302, 307, 308]) assert.match(stepsFor(http(status, '')), /final location/, String(status));
  });

  void it('says network failures have no Error Type and that Marketo\'s log is undocumented', () => {
    for (const kind of NETWORK_KINDS) {
      const h = handlingFor(net(kind), { webhookName: WEBHOOK });
      assert.match(h.summary, /no Error Type value/i, kind);
      assert.match(h.summary, /undocumented \[open\]/, kind);
      assert.match(h.summary, /Webhook is Called/, kind);
      assert.match(h.steps.join('\n'), /no Error Type value to match/, kind);
      assert.match(h.steps.join('\n'), /Enrich lead \(Clearbit\)/, kind);
    }
  });

  void it('says an answer that is not HTTP came after the request was sent: check the service, do not just call again', () => {
    const c = net('protocol');
    assert.equal(c.title, `No response (protocol): ${OUTCOMES.protocol.title}`);
    assert.match(c.title, /sent/);
    const h = handlingFor(c, { webhookName: WEBHOOK });
    assert.match(h.summary, /received the request/);
    assert.match(h.summary, /not an HTTP answer/);
    assert.match(h.steps.join('\n'), /may have acted on it/);
    assert.match(h.steps.join('\n'), /owner of the service/);
    assert.doesNotMatch(h.steps.join('\n'), /"Wait"[^\n]*then "Call Webhook/);
    assert.equal(OUTCOMES.protocol.transient, false);
  });

  void it('does not re-fill placeholders that appear in the names', () => {
    const h = handlingFor(http(429, 'x'), { webhookName: 'Odd {campaign} name', campaignName: 'C' });
    assert.match(h.steps.join('\n'), /Webhook is Called: Odd \{campaign\} name/);
    assert.doesNotMatch(h.steps.join('\n'), /\{(webhook|trigger|errorTypeNote)\}/);
  });

  void it('leaves no placeholder unfilled in any entry', () => {
    const all: Classification[] = [
      classifyOutcome({ campaign: 'batch', response: null, network: null }),
      ...Object.keys(OUTCOMES).filter((k) => /^\d{3}$/.test(k)).map((k) => http(Number(k), 'x')),
      http(200, ''), http(299, 'x', ''), http(399, 'x', ''), http(499, 'x', ''), http(599, 'x', ''), http(100, 'x'),
      ...NETWORK_KINDS.map(net),
      classifyOutcome({ campaign: 'trigger', response: null, network: null }),
    ];
    for (const c of all) {
      const h = handlingFor(c, { webhookName: WEBHOOK });
      const text = [h.summary, ...h.steps].join('\n');
      assert.doesNotMatch(text, /\{(webhook|campaign|trigger|errorTypeNote)\}/, c.title);
      assert.ok(h.steps.length > 0, c.title);
    }
  });
});
