import { test } from 'node:test';
import assert from 'node:assert/strict';
import { catalogFromDescribe, STANDARD_CATALOG } from '../../src/engine/catalog/field-catalog';
import { AssumptionList } from '../../src/engine/outcome/assumptions';
import { evaluateMappings, type MappingsContext } from '../../src/engine/outcome/mappings';
import type { MappingResult, ResponseMapping, RunResponse } from '../../src/engine/types';

function response(body: string, status = 200, statusText = 'OK', truncated = false): RunResponse {
  return { status, statusText, headers: {}, body, bytes: Buffer.byteLength(body), truncated, durationMs: 5 };
}

const map = (responseAttribute: string, marketoField: string): ResponseMapping => ({ responseAttribute, marketoField });

function one(mapping: ResponseMapping, body: string, type: 'JSON' | 'XML' = 'JSON'): MappingResult {
  const results = evaluateMappings([mapping], type, response(body), STANDARD_CATALOG);
  assert.equal(results.length, 1);
  return results[0] as MappingResult;
}

function applied(r: MappingResult, value: unknown): void {
  assert.deepEqual({ status: r.status, value: r.value, reason: r.reason }, { status: 'applied', value, reason: null });
}

function skipped(r: MappingResult, reason: RegExp, value: unknown = null): void {
  assert.equal(r.status, 'skipped', `expected skipped: ${JSON.stringify(r)}`);
  assert.match(r.reason ?? '', reason);
  assert.deepEqual(r.value, value);
}

const ENRICH = JSON.stringify({
  company: { name: 'Acme', employees: 120, revenue: '1250000.50', founded: '1999-04-01', tags: ['b2b', 'saas'] },
  orders: [{ orderDate: '2024-01-31', total: 10 }, { orderDate: '2024-02-29', total: 20 }],
  person: { email: 'ada@example.com', first: 'Ada', nickname: null, score: 'high' },
});

test('JSON: nested object and array index paths are applied, one result per mapping in order', () => {
  const mappings = [
    map('company.name', 'Company'),
    map('company.employees', 'NumberOfEmployees'),
    map('company.revenue', 'AnnualRevenue'),
    map('orders[1].orderDate', 'DateofBirth'),
    map('person.email', 'Email'),
    map('company.tags[0]', 'Industry'),
  ];
  const results = evaluateMappings(mappings, 'JSON', response(ENRICH), STANDARD_CATALOG);
  assert.deepEqual(results, [
    { responseAttribute: 'company.name', marketoField: 'Company', status: 'applied', value: 'Acme', reason: null, note: null },
    { responseAttribute: 'company.employees', marketoField: 'NumberOfEmployees', status: 'applied', value: 120, reason: null, note: null },
    { responseAttribute: 'company.revenue', marketoField: 'AnnualRevenue', status: 'applied', value: 1250000.5, reason: null, note: null },
    { responseAttribute: 'orders[1].orderDate', marketoField: 'DateofBirth', status: 'applied', value: '2024-02-29', reason: null, note: null },
    { responseAttribute: 'person.email', marketoField: 'Email', status: 'applied', value: 'ada@example.com', reason: null, note: null },
    { responseAttribute: 'company.tags[0]', marketoField: 'Industry', status: 'applied', value: 'b2b', reason: null, note: null },
  ]);
});

test('a number written into a string field is written as text', () => {
  applied(one(map('company.employees', 'Company'), ENRICH), '120');
});

test('missing paths say which segment was missing', () => {
  skipped(one(map('company.foo', 'Company'), ENRICH), /no key `foo` under `company`/);
  skipped(one(map('firm.name', 'Company'), ENRICH), /no key `firm` at the top level/);
  skipped(one(map('orders[3].orderDate', 'DateofBirth'), ENRICH), /index 3 is past the end of `orders` \(2 items\)/i);
  skipped(one(map('orders[0].missing', 'Company'), ENRICH), /no key `missing` under `orders\[0\]`/);
  skipped(one(map('orders.orderDate', 'Company'), ENRICH), /`orders` is a list of 2 items, not an object.*`orders\[0\]`/);
  skipped(one(map('company.name.first', 'Company'), ENRICH), /`company\.name` holds the text "Acme", not an object/);
  skipped(one(map('company[0]', 'Company'), ENRICH), /`company` holds an object, not a list, so it has no index 0/);
});

test('keys resolve exactly, case-sensitive, own keys only', () => {
  skipped(one(map('Company.name', 'Company'), ENRICH), /no key `Company`.*There is `company`.*case/);
  skipped(one(map('company.constructor', 'Company'), ENRICH), /no key `constructor` under `company`/);
  skipped(one(map('orders.length', 'Company'), ENRICH), /is a list/);
});

test('null in the response clears the field (unverified)', () => {
  const r = one(map('person.nickname', 'FirstName'), ENRICH);
  assert.deepEqual({ status: r.status, value: r.value, reason: r.reason }, { status: 'applied', value: null, reason: null });
  assert.match(r.note ?? '', /holds null, which clears the field \(unverified/);
});

test('an object or array is not a single value', () => {
  skipped(one(map('company', 'Company'), ENRICH), /holds an object, not a single value: map a path to one of its members/, (JSON.parse(ENRICH) as { company: unknown }).company);
  skipped(one(map('company.tags', 'Company'), ENRICH), /holds an array/, ['b2b', 'saas']);
});

test('a string into an integer field is refused, with the value found', () => {
  skipped(one(map('person.score', 'LeadScore'), ENRICH), /`LeadScore` is an integer field.*"high" is text/, 'high');
  skipped(one(map('company.revenue', 'NumberOfEmployees'), ENRICH), /"1250000\.50" is not a whole number/, '1250000.50');
});

test('a string over the length limit is refused', () => {
  const body = JSON.stringify({ name: 'x'.repeat(256) });
  skipped(one(map('name', 'FirstName'), body), /`FirstName` is a string field of at most 255 characters/, 'x'.repeat(256));
});

test('text over 30,000 bytes is refused (standard and custom text fields)', () => {
  const body = JSON.stringify({ notes: 'é'.repeat(15_001) });
  skipped(one(map('notes', 'MktoPersonNotes'), body), /`MktoPersonNotes` is a text field.*30,000 bytes.*30,002/, 'é'.repeat(15_001));
  const { catalog } = catalogFromDescribe({
    result: [{ id: 9001, displayName: 'Enrichment Notes', dataType: 'text', rest: { name: 'enrichmentNotes' }, soap: { name: 'Enrichment_Notes__c' } }],
  });
  const ok = evaluateMappings([map('notes', 'Enrichment_Notes__c')], 'JSON', response(JSON.stringify({ notes: 'fine' })), catalog);
  applied(ok[0] as MappingResult, 'fine');
  const big = evaluateMappings([map('notes', 'Enrichment_Notes__c')], 'JSON', response(JSON.stringify({ notes: 'x'.repeat(30_001) })), catalog);
  skipped(big[0] as MappingResult, /`Enrichment_Notes__c` is a text field.*30,001 bytes/, 'x'.repeat(30_001));
});

test('every mapping is skipped on a non-2xx response, naming the status', () => {
  const mappings = [map('company.name', 'Company'), map('person.email', 'Email')];
  const results = evaluateMappings(mappings, 'JSON', response(ENRICH, 404, 'Not Found'), STANDARD_CATALOG);
  assert.equal(results.length, 2);
  for (const r of results) {
    skipped(r, /Marketo ignores response mappings on a 404 \(Not Found\) response; only 2xx responses update lead fields/);
  }
  assert.deepEqual(results.map((r) => r.marketoField), ['Company', 'Email']);
  skipped(evaluateMappings([map('a', 'Company')], 'JSON', response('{"a":1}', 302, 'Found'), STANDARD_CATALOG)[0] as MappingResult, /on a 302 \(Found\)/);
  skipped(evaluateMappings([map('a', 'Company')], 'JSON', response('{"a":1}', 503, ''), STANDARD_CATALOG)[0] as MappingResult, /on a 503 response/);
  applied(evaluateMappings([map('a', 'Company')], 'JSON', response('{"a":"x"}', 201, 'Created'), STANDARD_CATALOG)[0] as MappingResult, 'x');
});

test("an empty body on a 2xx is Marketo's 1001", () => {
  for (const status of [200, 204]) {
    const r = evaluateMappings([map('company.name', 'Company')], 'JSON', response('', status), STANDARD_CATALOG);
    skipped(r[0] as MappingResult, /the response body is empty \(Marketo's 1001\)/i);
  }
});

test('no response: network failure or batch campaign', () => {
  const r = evaluateMappings([map('company.name', 'Company'), map('x', 'Email')], 'JSON', null, STANDARD_CATALOG);
  assert.equal(r.length, 2);
  for (const x of r) skipped(x, /no response came back/i);
});

test('Response Type None: Marketo does not read the response', () => {
  const r = evaluateMappings([map('company.name', 'Company')], 'None', response(ENRICH), STANDARD_CATALOG);
  skipped(r[0] as MappingResult, /Response Type is None, so Marketo does not read the response/);
});

test('a body that is not the response type gives the parse reason; a truncated body says so', () => {
  let r = evaluateMappings([map('a', 'Company')], 'JSON', response('<a>1</a>'), STANDARD_CATALOG);
  skipped(r[0] as MappingResult, /not valid JSON/);
  r = evaluateMappings([map('a.b', 'Company')], 'XML', response('{"a":{"b":1}}'), STANDARD_CATALOG);
  skipped(r[0] as MappingResult, /not valid XML/);
  r = evaluateMappings([map('a', 'Company')], 'JSON', response('{"a": "long text cut o', 200, 'OK', true), STANDARD_CATALOG);
  skipped(r[0] as MappingResult, /cut off at the size limit.*not valid JSON/);
});

test('an invalid path gives the path error', () => {
  skipped(one(map('company..name', 'Company'), ENRICH), /empty key/);
  skipped(one(map('orders[-1].orderDate', 'Company'), ENRICH), /negative/);
  skipped(one(map('[0].name', 'Company'), ENRICH), /named first level/);
  skipped(one(map('', 'Company'), ENRICH), /empty/);
});

test('Marketo Field: unknown, display name, REST name, wrong case, no SOAP name', () => {
  skipped(one(map('person.first', 'FirstNmae'), ENRICH), /no lead field has the SOAP API name `FirstNmae`: did you mean `FirstName`\?/i, 'Ada');
  skipped(one(map('person.first', 'First Name'), ENRICH), /`First Name` is the display name of a lead field; response mappings need its SOAP API name `FirstName`/, 'Ada');
  skipped(one(map('person.first', 'firstName'), ENRICH), /`firstName` is the REST API name of a lead field; response mappings need its SOAP API name `FirstName`/, 'Ada');
  skipped(one(map('person.first', 'FIRSTNAME'), ENRICH), /`FIRSTNAME` does not match the SOAP API name `FirstName` exactly/, 'Ada');
  skipped(one(map('person.first', 'Full Name'), ENRICH), /`Full Name` is the display name, and that field has no SOAP API name, so a response mapping cannot write it/, 'Ada');
  skipped(one(map('person.first', 'mktoName'), ENRICH), /`mktoName` is the REST API name \(of the field Full Name\).*no SOAP API name.*cannot write it/, 'Ada');
  skipped(one(map('person.first', ''), ENRICH), /Marketo Field is empty/, 'Ada');
});

test('read-only and reference fields are skipped', () => {
  skipped(one(map('person.first', 'OriginalSourceType'), ENRICH), /read-only/, 'Ada');
  skipped(one(map('company.employees', 'Lead Partition ID'), ENRICH), /reference field/, 120);
});

test('the order of checks: status before body before type before parse', () => {
  // 404 with an empty body and type None: the status wins.
  let r = evaluateMappings([map('a', 'Company')], 'None', response('', 404, 'Not Found'), STANDARD_CATALOG);
  skipped(r[0] as MappingResult, /404/);
  // 200, empty body, type None: 1001 wins.
  r = evaluateMappings([map('a', 'Company')], 'None', response(''), STANDARD_CATALOG);
  skipped(r[0] as MappingResult, /1001/);
  // Invalid body and invalid path: the body reason wins.
  r = evaluateMappings([map('a..b', 'Company')], 'JSON', response('nope'), STANDARD_CATALOG);
  skipped(r[0] as MappingResult, /not valid JSON/);
  // Path missing and unknown field: the path reason wins.
  r = evaluateMappings([map('zzz', 'Nope')], 'JSON', response('{}'), STANDARD_CATALOG);
  skipped(r[0] as MappingResult, /no key `zzz`/);
});

test('no mappings, no results', () => {
  assert.deepEqual(evaluateMappings([], 'JSON', response(ENRICH), STANDARD_CATALOG), []);
  assert.deepEqual(evaluateMappings([], 'JSON', null, STANDARD_CATALOG), []);
});

// ---- XML ----

const XML = `<?xml version="1.0"?>
<example>
  <foo>bar</foo>
  <count>42</count>
  <elementList>
    <element><foo>first</foo></element>
    <element><foo>second</foo></element>
  </elementList>
  <single><element><foo>only</foo></element></single>
</example>`;

test('XML: the root element is part of the path', () => {
  applied(one(map('example.foo', 'FirstName'), XML, 'XML'), 'bar');
  skipped(one(map('foo', 'FirstName'), XML, 'XML'), /no key `foo` at the top level.*root element.*start with `example`/);
});

test('XML: repeated elements by index, text converted by field type', () => {
  applied(one(map('example.elementList.element[0].foo', 'FirstName'), XML, 'XML'), 'first');
  applied(one(map('example.elementList.element[1].foo', 'LastName'), XML, 'XML'), 'second');
  applied(one(map('example.count', 'NumberOfEmployees'), XML, 'XML'), 42);
  skipped(one(map('example.elementList.element[2].foo', 'FirstName'), XML, 'XML'), /index 2 is past the end of `example\.elementList\.element` \(2 items\)/i);
});

test('XML: a single element is not an array, but [0] on it resolves, with a note (unverified)', () => {
  applied(one(map('example.single.element.foo', 'FirstName'), XML, 'XML'), 'only');
  const assumptions = new AssumptionList();
  const [zero] = evaluateMappings([map('example.single.element[0].foo', 'FirstName')], 'XML', response(XML), STANDARD_CATALOG, { assumptions });
  assert.deepEqual({ status: zero?.status, value: zero?.value, reason: zero?.reason }, { status: 'applied', value: 'only', reason: null });
  assert.match(zero?.note ?? '', /`example\.single\.element` appears only once in the XML; `\[0\]` is taken to mean it \(unverified/);
  assert.deepEqual(assumptions.toArray().map((a) => a.id), ['xml-arrays']);
  skipped(one(map('example.single.element[1].foo', 'FirstName'), XML, 'XML'), /`example\.single\.element` appears only once in the XML, so it is not a list and has no index 1/);
});

test('XML: a mixed parent still resolves as parsed', () => {
  const body = '<root><list><item>1</item><item>2</item><count>2</count></list></root>';
  applied(one(map('root.list.item[1]', 'LeadScore'), body, 'XML'), 2);
  applied(one(map('root.list.count', 'LeadScore'), body, 'XML'), 2);
});

// ---- hostile input ----

test('hostile bodies do not throw or hang', () => {
  const mappings = [map('a.b', 'Company'), map('result[0].id', 'LeadScore')];
  const big = JSON.stringify({ result: Array.from({ length: 90_000 }, (_, i) => ({ id: i, name: `item number ${i}`, tags: ['a', 'b', 'c'] })) });
  assert.ok(big.length > 5_000_000);
  const deepXml = '<a>'.repeat(10_000) + '</a>'.repeat(10_000);
  const deepJson = '{"a":'.repeat(10_000) + '1' + '}'.repeat(10_000);
  const laughs = '<!DOCTYPE x [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;"><!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;">]><a><b>&c;</b></a>';
  const binary = Array.from({ length: 4096 }, (_, i) => String.fromCharCode((i * 7919) % 256)).join('');
  const start = Date.now();
  const results = (body: string, type: 'JSON' | 'XML'): MappingResult[] => {
    const out = evaluateMappings(mappings, type, response(body), STANDARD_CATALOG);
    assert.equal(out.length, 2, 'one result per mapping');
    return out;
  };

  // A big body resolves like any other.
  const [bigA, bigId] = results(big, 'JSON');
  skipped(bigA!, /no key `a` at the top level/);
  applied(bigId!, 0);
  applied(evaluateMappings([map('result[89999].id', 'LeadScore')], 'JSON', response(big), STANDARD_CATALOG)[0] as MappingResult, 89999);

  // XML nested past the limit is not read at all: every mapping is skipped with that reason.
  for (const r of results(deepXml, 'XML')) skipped(r, /XML is nested more than 1000 levels deep/);
  skipped(evaluateMappings([map('a.a', 'Company')], 'XML', response(deepXml), STANDARD_CATALOG)[0] as MappingResult, /nested more than/);

  // Deep JSON parses; the paths simply do not match it (`a` holds `a`, not `b`).
  const [deepA, deepId] = results(deepJson, 'JSON');
  skipped(deepA!, /no key `b` under `a`/);
  skipped(deepId!, /no key `result` at the top level/);

  // Billion laughs: the declared entity is not expanded; the text is kept literally, as for any
  // DOCTYPE entity (see response-body.test.ts).
  const [laughA, laughId] = results(laughs, 'XML');
  applied(laughA!, '&c;');
  skipped(laughId!, /no key `result` at the top level.*root element.*start with `a`/);

  // Binary is neither JSON nor XML: every mapping is skipped with the parser's complaint.
  for (const r of results(binary, 'JSON')) skipped(r, /not valid JSON/);
  for (const r of results(binary, 'XML')) skipped(r, /not valid XML/);

  assert.ok(Date.now() - start < 15_000);
});

// ---- issue 11: numbers keep their digits; what was read; the assumptions named

test('a JSON number keeps its digits: into a string field as sent, out of int64 not written', () => {
  const body = '{"crmId": 12345678901234567891, "small": 2147483648, "price": 123456.789, "flag": "yes", "at": "2024-05-07 14:30:00", "id": 7}';
  const [asText, asInteger, small, price] = evaluateMappings(
    [map('crmId', 'Company'), map('crmId', 'NumberOfEmployees'), map('small', 'NumberOfEmployees'), map('price', 'AnnualRevenue')],
    'JSON', response(body), STANDARD_CATALOG);
  assert.deepEqual({ status: asText?.status, value: asText?.value }, { status: 'applied', value: '12345678901234567891' });
  assert.equal(asInteger?.status, 'skipped');
  assert.equal(asInteger?.value, '12345678901234567891');
  assert.match(asInteger?.reason ?? '', /12345678901234567891 is outside the range Marketo integers hold/);
  assert.deepEqual({ status: small?.status, value: small?.value }, { status: 'applied', value: 2147483648 });
  assert.match(small?.note ?? '', /Salesforce/);
  assert.deepEqual({ status: price?.status, value: price?.value }, { status: 'applied', value: 123456.79 });
  assert.match(price?.note ?? '', /123456\.789 is stored as 123456\.79/);
});

test('the assumptions the results rest on are collected, each once', () => {
  const body = '{"flag": "yes", "other": "Y", "at": "2024-05-07 14:30:00", "id": 7, "gone": null}';
  const context: MappingsContext = { assumptions: new AssumptionList() };
  const { catalog } = catalogFromDescribe({
    result: [
      { id: 44, displayName: 'Id', dataType: 'integer', rest: { name: 'id', readOnly: false }, soap: { name: 'Id', readOnly: false } },
      { id: 79, displayName: 'Unsubscribed', dataType: 'boolean', rest: { name: 'unsubscribed' }, soap: { name: 'Unsubscribed' } },
      { id: 9004, displayName: 'Enriched At', dataType: 'datetime', rest: { name: 'enrichedAt' }, soap: { name: 'Enriched_At__c' } },
      { id: 4, displayName: 'Company Name', dataType: 'string', rest: { name: 'company' }, soap: { name: 'Company' } },
      { id: 7, displayName: 'City', dataType: 'string', rest: { name: 'city' }, soap: { name: 'City' } },
    ],
  });
  const results = evaluateMappings(
    [map('flag', 'Unsubscribed'), map('other', 'Unsubscribed'), map('at', 'Enriched_At__c'), map('id', 'Id'), map('gone', 'Company'), map('missing', 'City')],
    'JSON', response(body), catalog, context);
  assert.deepEqual(results.map((r) => r.status), ['applied', 'applied', 'applied', 'skipped', 'applied', 'skipped']);
  assert.match(results[5]?.reason ?? '', /no key `missing`.*The field is left as it is\./);
  assert.deepEqual(context.assumptions?.toArray().map((a) => [a.id, a.doc]), [
    ['booleans', 'docs/marketo-behaviour.md#booleans'],
    ['datetimes', 'docs/marketo-behaviour.md#datetimes'],
    ['read-only-fields', 'docs/marketo-behaviour.md#read-only-fields'],
    ['clearing-fields', 'docs/marketo-behaviour.md#clearing-fields'],
  ]);
  assert.equal(context.unreadable, undefined);
});

test('a 2xx body that is not what Response Type says is unreadable: nothing written', () => {
  const context: MappingsContext = {};
  const results = evaluateMappings([map('a', 'Company')], 'JSON', response('<html>oops</html>'), STANDARD_CATALOG, context);
  assert.equal(context.unreadable, true);
  assert.equal(results[0]?.status, 'skipped');
  // A whitespace-only body is 1001, not unreadable.
  const blank: MappingsContext = {};
  skipped(evaluateMappings([map('a', 'Company')], 'JSON', response(' \r\n\t'), STANDARD_CATALOG, blank)[0] as MappingResult, /only whitespace, taken as empty \(Marketo's 1001, unverified\)/);
  assert.equal(blank.unreadable, undefined);
});
