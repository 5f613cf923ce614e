// Issue 11, "Reading the answer": a run against a raw node:net server on 127.0.0.1 that writes its
// status lines byte for byte (node:http would fill in an empty reason phrase's place), and what the
// run result makes of each answer: the Error Type as on the wire, the digits of numbers, the
// handling that follows the mappings' outcome, and the assumptions a run rests on.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { EngineHost } from '../../src/engine/api';
import { closeConnections } from '../../src/engine/http/send';
import { catalogFromDescribe } from '../../src/engine/catalog/field-catalog';
import { runDefinition } from '../../src/engine/run';
import type { MappingResult, ResponseMapping, RunResult } from '../../src/engine/types';
import { createStyle, formatRunReport } from '../../src/cli/format';
import { RawHttpServer, targetOf } from './raw-http-server';

/** Each path's answer: the status line after `HTTP/1.1 `, the Content-Type, the body. */
const ANSWERS: Record<string, [status: string, type: string, body: string]> = {
  '/empty-phrase': ['404 ', 'text/plain', 'no such lead'],
  '/empty-phrase-empty-body': ['404 ', 'text/plain', ''],
  '/custom-phrase': ['429 Slow Down Please', 'application/json', '{"error": "rate limited"}'],
  '/fine': ['200 Fine', 'application/json', '{"company": {"name": "Acme"}}'],
  '/blank': ['200 OK', 'application/json', ' \r\n\t \n'],
  '/digits': ['200 OK', 'application/json', '{"crmId": 12345678901234567891, "wide": 9007199254740993, "big": 2147483648, "revenue": 123456.789, "exact": 0.5}'],
  '/xml-single': ['200 OK', 'application/xml', '<lead><company><name>Acme</name></company></lead>'],
  '/values': ['200 OK', 'application/json', JSON.stringify({ optOut: 'Yes', active: 'n', flag: 1, at: '2024-05-07 14:30:00', iso: '2024-05-07T14:30:00Z', id: 42, nothing: null, blank: '' })],
  '/error-body': ['200 OK', 'application/json', '{"success": false, "errors": [{"code": "1003", "message": "Lead not found"}]}'],
  '/not-json': ['200 OK', 'text/html', '<html><body>Gateway maintenance</body></html>'],
};

/** The custom fields of the tests' instance, on top of the standard ones. */
const { catalog } = catalogFromDescribe({
  result: [
    { id: 9004, displayName: 'Enriched At', dataType: 'datetime', rest: { name: 'enrichedAt' }, soap: { name: 'Enriched_At__c' } },
    { id: 9005, displayName: 'Is Active', dataType: 'boolean', rest: { name: 'isActive' }, soap: { name: 'Is_Active__c' } },
    { id: 9006, displayName: 'Flag', dataType: 'boolean', rest: { name: 'flag' }, soap: { name: 'Flag__c' } },
  ],
});

const host: EngineHost = {
  readTextFile: () => Promise.reject(new Error('no files in these tests')),
  getSecret: () => Promise.resolve(undefined),
};

describe('reading the answer: a run against a raw HTTP/1.1 server', () => {
  const server = new RawHttpServer((request) => {
    const [status, type, body] = ANSWERS[targetOf(request)] ?? ['500 Internal Server Error', 'text/plain', 'unknown path'];
    const bytes = Buffer.from(body, 'utf8');
    return Buffer.concat([
      Buffer.from(`HTTP/1.1 ${status}\r\nContent-Type: ${type}\r\nContent-Length: ${bytes.length}\r\nConnection: close\r\n\r\n`, 'latin1'),
      bytes,
    ]);
  });
  let origin = '';

  before(async () => {
    origin = await server.start();
  });

  after(async () => {
    await closeConnections();
    await server.stop();
  });

  function run(path: string, responseMappings: ResponseMapping[] = [], responseType = 'JSON'): Promise<RunResult> {
    const text = JSON.stringify({
      name: 'Enrich', url: `${origin}${path}`, requestType: 'GET', responseType, responseMappings,
      test: { lead: {}, tokens: { 'campaign.name': 'Enrich on signup' }, timeoutMs: 10_000 },
    });
    return runDefinition({ text, file: '/w/enrich.webhook.jsonc', host, catalog });
  }

  const map = (responseAttribute: string, marketoField: string): ResponseMapping => ({ responseAttribute, marketoField });
  const byField = (result: RunResult, attribute: string, field: string): MappingResult => {
    const found = result.mappings.find((m) => m.responseAttribute === attribute && m.marketoField === field);
    assert.ok(found, `no mapping ${attribute} → ${field}`);
    return found;
  };
  const assumptionIds = (result: RunResult): string[] => result.assumptions.map((a) => a.id);

  it('an empty reason phrase: statusText and Error Type empty, the standard phrase beside, match on Response', async () => {
    const result = await run('/empty-phrase');
    assert.equal(result.response?.status, 404);
    assert.equal(result.response?.statusText, '');
    assert.equal(result.classification?.errorType, '');
    assert.equal(result.classification?.standardPhrase, 'Not Found');
    assert.match(result.classification?.title ?? '', /^404 \(no reason phrase; standard phrase: Not Found\): /);
    const handling = [result.handling?.summary, ...(result.handling?.steps ?? [])].join('\n');
    assert.doesNotMatch(handling, /Error Type: Not Found/);
    assert.match(handling, /Error Type is empty and cannot be picked: catch this answer with the trigger "Webhook is Called: Enrich" and the constraint Response contains `no such lead`/);
    assert.deepEqual(result.assumptions, [{ id: 'error-type', text: result.assumptions[0]?.text, doc: 'docs/marketo-behaviour.md#error-type' }]);
    // The CLI's readable report: the empty Error Type, the standard phrase beside it, the assumption with its anchor.
    const report = formatRunReport(result, createStyle(false));
    assert.match(report, /HTTP 404 ·/);
    assert.match(report, /Error Type \(Webhook is Called\): \(empty: the status line had no reason phrase; match on Response instead\) \(standard phrase: Not Found\)/);
    assert.match(report, /Assumptions \(unverified; see the docs\):\n {2}- The status line had no reason phrase.*\(docs\/marketo-behaviour\.md#error-type\)/);
  });

  it('an empty reason phrase and an empty body: neither tells the answer apart, check a mapped field', async () => {
    const result = await run('/empty-phrase-empty-body');
    assert.equal(result.classification?.errorType, '');
    assert.match(result.handling?.steps[0] ?? '', /neither Error Type nor Response tells this answer apart/);
  });

  it('a custom reason phrase is the Error Type as sent, the standard phrase beside it', async () => {
    const result = await run('/custom-phrase');
    assert.equal(result.response?.statusText, 'Slow Down Please');
    assert.equal(result.classification?.errorType, 'Slow Down Please');
    assert.equal(result.classification?.standardPhrase, 'Too Many Requests');
    assert.match(result.handling?.steps.join('\n') ?? '', /"Error Type: Slow Down Please"/);
    assert.deepEqual(result.assumptions, []);
    assert.match(formatRunReport(result, createStyle(false)), /Error Type \(Webhook is Called\): Slow Down Please \(standard phrase: Too Many Requests\)/);
  });

  it('a 200 with its own phrase: a success, no Error Type, the phrase kept in the response', async () => {
    const result = await run('/fine', [map('company.name', 'Company')]);
    assert.equal(result.response?.statusText, 'Fine');
    assert.equal(result.classification?.code, 200);
    assert.equal(result.classification?.errorType, null);
    assert.equal(result.classification?.standardPhrase, null);
    assert.equal(result.classification?.mappingsApplied, true);
    assert.match(result.classification?.title ?? '', /^200 Fine \(standard phrase: OK\): /);
    assert.equal(byField(result, 'company.name', 'Company').value, 'Acme');
  });

  it('a whitespace-only 2xx body is 1001, with the assumption', async () => {
    const result = await run('/blank', [map('company.name', 'Company')]);
    assert.equal(result.classification?.code, 1001);
    assert.equal(result.response?.status, 200);
    assert.equal(result.classification?.mappingsApplied, false);
    assert.deepEqual(assumptionIds(result), ['empty-body']);
    assert.equal(result.assumptions[0]?.doc, 'docs/marketo-behaviour.md#empty-body');
    assert.match(result.mappings[0]?.reason ?? '', /only whitespace/);
  });

  it('numbers keep their digits: out of int64 not written, into a string as sent, int32 and float32 notes', async () => {
    const result = await run('/digits', [
      map('crmId', 'NumberOfEmployees'), map('crmId', 'Company'), map('wide', 'NumberOfEmployees'), map('big', 'NumberOfEmployees'),
      map('revenue', 'AnnualRevenue'), map('exact', 'AnnualRevenue'),
    ]);
    const intoInteger = byField(result, 'crmId', 'NumberOfEmployees');
    assert.equal(intoInteger.status, 'skipped');
    assert.equal(intoInteger.value, '12345678901234567891');
    assert.match(intoInteger.reason ?? '', /12345678901234567891 is outside the range Marketo integers hold/);
    assert.deepEqual(pick(byField(result, 'crmId', 'Company')), { status: 'applied', value: '12345678901234567891', reason: null, note: null });
    const wide = byField(result, 'wide', 'NumberOfEmployees');
    assert.deepEqual([wide.status, wide.value], ['applied', '9007199254740993']);
    const big = byField(result, 'big', 'NumberOfEmployees');
    assert.deepEqual([big.status, big.value], ['applied', 2147483648]);
    assert.match(big.note ?? '', /outside the 32-bit range.*Salesforce/);
    const revenue = byField(result, 'revenue', 'AnnualRevenue');
    assert.deepEqual([revenue.status, revenue.value], ['applied', 123456.79]);
    assert.equal(revenue.note, 'Marketo stores currency fields as 32-bit floats (about 7 significant digits): 123456.789 is stored as 123456.79.');
    assert.deepEqual(pick(byField(result, 'exact', 'AnnualRevenue')), { status: 'applied', value: 0.5, reason: null, note: null });
    // The JSON document carries the digits too.
    assert.ok(JSON.stringify(result).includes('"12345678901234567891"'));
  });

  it('[0] on a single XML element resolves, with the assumption; the path without [0] too', async () => {
    const result = await run('/xml-single', [map('lead.company[0].name', 'Company'), map('lead.company.name', 'City')], 'XML');
    assert.deepEqual([result.mappings[0]?.status, result.mappings[0]?.value], ['applied', 'Acme']);
    assert.match(result.mappings[0]?.note ?? '', /`lead\.company` appears only once in the XML; `\[0\]` is taken to mean it \(unverified/);
    assert.deepEqual([result.mappings[1]?.status, result.mappings[1]?.value, result.mappings[1]?.note], ['applied', 'Acme', null]);
    assert.deepEqual(assumptionIds(result), ['xml-arrays']);
  });

  it('booleans, datetimes, Id, null and "": written or not as the assumptions say, each listed once with its anchor', async () => {
    const result = await run('/values', [
      map('optOut', 'Unsubscribed'), map('active', 'Is_Active__c'), map('flag', 'Flag__c'),
      map('at', 'Enriched_At__c'), map('iso', 'Enriched_At__c'), map('id', 'Id'),
      map('nothing', 'Company'), map('blank', 'City'), map('blank', 'NumberOfEmployees'), map('missing', 'Title'),
    ]);
    const rows = result.mappings.map((m) => [m.responseAttribute, m.marketoField, m.status, m.value]);
    assert.deepEqual(rows, [
      ['optOut', 'Unsubscribed', 'applied', true],
      ['active', 'Is_Active__c', 'applied', false],
      ['flag', 'Flag__c', 'applied', true],
      ['at', 'Enriched_At__c', 'applied', '2024-05-07 14:30:00'],
      ['iso', 'Enriched_At__c', 'applied', '2024-05-07T14:30:00Z'],
      ['id', 'Id', 'skipped', 42],
      ['nothing', 'Company', 'applied', null],
      ['blank', 'City', 'applied', ''],
      ['blank', 'NumberOfEmployees', 'skipped', ''],
      ['missing', 'Title', 'skipped', null],
    ]);
    assert.match(byField(result, 'optOut', 'Unsubscribed').note ?? '', /"Yes" is written as true \(unverified/);
    assert.match(byField(result, 'at', 'Enriched_At__c').note ?? '', /written, unverified/);
    assert.equal(byField(result, 'iso', 'Enriched_At__c').note, null);
    assert.match(byField(result, 'id', 'Id').reason ?? '', /`Id` \(integer\) is read-only in Marketo/);
    assert.match(byField(result, 'nothing', 'Company').note ?? '', /clears the field \(unverified/);
    assert.match(byField(result, 'blank', 'NumberOfEmployees').reason ?? '', /empty text: Marketo does not write it, and does not clear the field/);
    assert.match(byField(result, 'missing', 'Title').reason ?? '', /The field is left as it is\./);
    assert.deepEqual(result.assumptions.map((a) => [a.id, a.doc]), [
      ['booleans', 'docs/marketo-behaviour.md#booleans'],
      ['datetimes', 'docs/marketo-behaviour.md#datetimes'],
      ['read-only-fields', 'docs/marketo-behaviour.md#read-only-fields'],
      ['clearing-fields', 'docs/marketo-behaviour.md#clearing-fields'],
    ]);
    for (const a of result.assumptions) assert.ok(a.text.length > 40, a.id);
    // Some mappings wrote nothing: the handling names them and how to catch it.
    assert.match(result.handling?.summary ?? '', /the response mappings of "Enrich" ran: 7 of 10 wrote a value, 3 did not\./);
    assert.match(result.handling?.steps[0] ?? '', /^Not written: id → Id, blank → NumberOfEmployees, missing → Title/);
    const report = formatRunReport(result, createStyle(false));
    assert.match(report, /applied {2}optOut → Unsubscribed = true \("Yes" is written as true \(unverified/);
    assert.match(report, /- yes\/no, y\/n and 1\/0 .* \(docs\/marketo-behaviour\.md#booleans\)/);
  });

  it('a 200 with an error body is a success for Marketo: only a Response constraint catches it, with the text from the body', async () => {
    const result = await run('/error-body', [map('errors[0].code', 'Company')]);
    assert.equal(result.classification?.category, 'success');
    assert.equal(result.classification?.errorType, null);
    assert.equal(result.classification?.mappingsApplied, true);
    assert.match(result.handling?.summary ?? '', /The body reports an error \(`"success": false`\), yet Marketo decides by the status code alone: for Marketo this call succeeded/);
    assert.equal(result.handling?.steps[0], 'Only a Response constraint catches an error inside a 200 answer: a trigger campaign on the trigger "Webhook is Called: Enrich" with the constraint Response contains `"success": false`, then "Send Alert" (or a retry). Better: have the service answer errors with a 4xx or 5xx status, which Error Type can match.');
  });

  it('a 2xx whose body is not JSON: mappingsApplied false, nothing written, and how to catch it', async () => {
    const result = await run('/not-json', [map('company.name', 'Company'), map('company.size', 'NumberOfEmployees')]);
    assert.equal(result.classification?.code, 200);
    assert.equal(result.classification?.category, 'success');
    assert.equal(result.classification?.mappingsApplied, false);
    assert.ok(result.mappings.every((m) => m.status === 'skipped' && /not valid JSON/.test(m.reason ?? '')));
    assert.match(result.handling?.summary ?? '', /^Marketo counts this as a success \(a 200 with a body\), but the body is not JSON as the Response Type of "Enrich" says, so none of its 2 response mappings could read a value: no field was written\./);
    assert.doesNotMatch(result.handling?.summary ?? '', /each mapped value that fits its field is written/);
    assert.equal(result.handling?.steps[0], 'Catch it: a trigger campaign on the trigger "Webhook is Called: Enrich" with the constraint Response contains `<html><body>Gateway maintenance</body></html>` (text from this answer), then "Send Alert" to the owner of the service. Error Type cannot catch it: for Marketo this call succeeded.');
  });
});

function pick(m: MappingResult): Pick<MappingResult, 'status' | 'value' | 'reason' | 'note'> {
  return { status: m.status, value: m.value, reason: m.reason, note: m.note };
}
