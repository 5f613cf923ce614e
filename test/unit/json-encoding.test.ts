// JSON encoding by field type (docs/marketo-behaviour.md#json-encoding-by-type), the body kind
// (#body-kind), line breaks in lead values (#line-breaks) and undefined tokens (#undefined-tokens):
// the one rule, and the request built from it.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { bodyKind } from '../../src/engine/http/body-kind';
import { buildRequest, type TokenContext } from '../../src/engine/http/build-request';
import { STANDARD_CATALOG, type LeadField } from '../../src/engine/catalog/field-catalog';
import { leadFromValue } from '../../src/engine/catalog/sample-lead';
import { encodeTokenValue, jsonTokenType, numberTokenKeys, type TokenTypeContext } from '../../src/engine/tokens/encoding';
import { scanTokens } from '../../src/engine/tokens/scan';
import { normalizeTokenKey } from '../../src/engine/tokens/namespaces';
import { validateDefinition } from '../../src/engine/validate/validate';
import { def } from './helpers';

/** One custom field per data type a Describe Lead response can bring, `score` and unknown types included. */
const TYPES = ['string', 'email', 'phone', 'url', 'text', 'textarea', 'reference', 'date', 'datetime', 'boolean', 'formula',
  'integer', 'float', 'currency', 'score', 'percent'];
const catalog = STANDARD_CATALOG.withFields(TYPES.map((t): LeadField => ({ displayName: `Custom ${t}`, restName: `custom_${t}`, soapName: `Custom_${t}`, dataType: t, custom: true })));

function typeOf(written: string, tokens: Record<string, unknown> = {}): string {
  const token = scanTokens(written).tokens[0];
  assert.ok(token, written);
  const values = validateDefinition(def({ test: { tokens } })).definition?.test.tokens ?? {};
  const ctx: TokenTypeContext = { catalog, numberTokens: numberTokenKeys(values) };
  return jsonTokenType(token, ctx);
}

describe('jsonTokenType: which tokens JSON encoding quotes', () => {
  it('lead fields: integer, float, currency, score and percent bare; every other type quoted', () => {
    const bare = new Set(['integer', 'float', 'currency', 'score', 'percent']);
    for (const t of TYPES) assert.equal(typeOf(`{{lead.Custom ${t}}}`), bare.has(t) ? 'number' : 'string', t);
  });

  it('standard fields by their catalog type, whatever the namespace\'s case', () => {
    assert.equal(typeOf('{{lead.Lead Score}}'), 'number');
    assert.equal(typeOf('{{Lead.Num Employees}}'), 'number');
    assert.equal(typeOf('{{lead.Annual Revenue}}'), 'number');
    assert.equal(typeOf('{{lead.First Name}}'), 'string');
    assert.equal(typeOf('{{lead.Date of Birth}}'), 'string');
    assert.equal(typeOf('{{lead.Is Lead}}'), 'string');
  });

  it('a lead name the catalog does not know, and the lead owner, are quoted', () => {
    assert.equal(typeOf('{{lead.Favourite Number}}'), 'string');
    assert.equal(typeOf('{{lead.Lead Owner Phone Number}}'), 'string');
  });

  it('company tokens by the type of the lead field they read', () => {
    assert.equal(typeOf('{{Company.Annual Revenue}}'), 'number');
    assert.equal(typeOf('{{company.Num Employees}}'), 'number');
    assert.equal(typeOf('{{Company.Company Name}}'), 'string');
    assert.equal(typeOf('{{Company.City}}'), 'string');
  });

  it('my tokens: bare when test.tokens holds a JSON number, else quoted', () => {
    assert.equal(typeOf('{{my.Count}}', { 'my.Count': 5 }), 'number');
    assert.equal(typeOf('{{My.count}}', { 'my.Count': 1.5 }), 'number');
    assert.equal(typeOf('{{my.Count}}', { 'my.Count': '5' }), 'string');
    assert.equal(typeOf('{{my.Count}}', { 'my.Count': { secret: 'COUNT' } }), 'string');
    assert.equal(typeOf('{{my.Count}}', {}), 'string');
  });

  it('system, campaign, program, trigger and member tokens are quoted, ids too', () => {
    for (const t of ['{{system.dateTime}}', '{{campaign.id}}', '{{campaign.name}}', '{{program.id}}', '{{trigger.Web Page}}', '{{member.webinar url}}']) {
      assert.equal(typeOf(t, { 'campaign.id': 7, 'trigger.Web Page': 3 }), 'string', t);
    }
  });

  it('a test.tokens number keeps its digits as written', () => {
    const { definition, diagnostics } = validateDefinition(def({}).replace(/}$/, ', "test": { "tokens": { "my.Big": 12345678901234567891, "my.Price": 1.50 } } }'));
    assert.deepEqual(diagnostics, []);
    assert.deepEqual(definition?.test.tokens, { 'my.Big': { number: '12345678901234567891' }, 'my.Price': { number: '1.50' } });
  });

  it('encodeTokenValue: a number-type value bare in the template, nothing when empty; quoted as a string-type one', () => {
    assert.equal(encodeTokenValue('87', 'JSON', 'template', 'number'), '87');
    assert.equal(encodeTokenValue('', 'JSON', 'template', 'number'), '');
    assert.equal(encodeTokenValue('87', 'JSON', 'template', 'string'), '"87"');
    // The type matters only to JSON encoding in the template.
    assert.equal(encodeTokenValue('8 7', 'JSON', 'url', 'number'), '8 7');
    assert.equal(encodeTokenValue('8 7', 'Form/Url', 'template', 'number'), '8+7');
    assert.equal(encodeTokenValue('8 7', 'None', 'template', 'number'), '8 7');
    assert.equal(encodeTokenValue('8 7', 'JSON', 'header', 'number'), '8 7');
  });
});

describe('bodyKind: the Content-Type first, the text second', () => {
  it('a literal Content-Type decides', () => {
    assert.equal(bodyKind('x', 'application/json'), 'json');
    assert.equal(bodyKind('x', 'Application/JSON; charset=utf-8'), 'json');
    assert.equal(bodyKind('x', 'application/vnd.api+json'), 'json');
    assert.equal(bodyKind('{"a": 1}', 'text/xml'), 'xml');
    assert.equal(bodyKind('{"a": 1}', 'application/soap+xml'), 'xml');
    assert.equal(bodyKind('{"a": 1}', 'application/x-www-form-urlencoded'), 'form');
    assert.equal(bodyKind('{"a": 1}', 'text/plain'), 'text');
    assert.equal(bodyKind('{"a": 1}', 'multipart/form-data'), 'text');
  });

  it('without one (or with a token in it), the text', () => {
    for (const ct of [undefined, '', '{{my.Type}}']) {
      assert.equal(bodyKind(' {"a": 1}', ct), 'json');
      assert.equal(bodyKind('[1]', ct), 'json');
      assert.equal(bodyKind('{{{lead.City}}: 1}', ct), 'json');
      assert.equal(bodyKind('<a/>', ct), 'xml');
      assert.equal(bodyKind('a=1&b={{lead.City}}', ct), 'form');
      assert.equal(bodyKind('Hello {{lead.City}}', ct), 'text');
      assert.equal(bodyKind('', ct), 'text');
      // A token's braces open no JSON object.
      assert.equal(bodyKind('{{lead.First Name}} <{{lead.Email Address}}>', ct), 'text');
      assert.equal(bodyKind('{{my.Payload}}', ct), 'text');
    }
  });
});

function build(fields: Record<string, unknown>, leadValues: Record<string, unknown>, tokens: Record<string, string> = {}) {
  const { definition } = validateDefinition(def(fields));
  assert.ok(definition);
  const read = leadFromValue(leadValues, STANDARD_CATALOG);
  assert.ok(read.ok);
  const notes: string[] = [];
  const ctx: TokenContext = {
    catalog: STANDARD_CATALOG,
    lead: read.lead,
    values: new Map(Object.entries(tokens).map(([k, v]) => [normalizeTokenKey(k), v])),
    now: new Date(Date.UTC(2024, 4, 6, 13, 5, 9)),
    notes,
  };
  return { request: buildRequest(definition, ctx), notes };
}

describe('buildRequest: JSON encoding by type, empty values, line breaks, undefined tokens', () => {
  const json = { requestTokenEncoding: 'JSON', headers: { 'Content-Type': 'application/json' } };

  it('a number-type token is bare, a string-type one quoted; a quoted number-type token sends a string', () => {
    const { request, notes } = build({ ...json, template: '{"s": {{lead.Lead Score}}, "q": "{{lead.Lead Score}}", "r": {{Company.Annual Revenue}}, "n": {{lead.First Name}}}' },
      { leadScore: 87, annualRevenue: 1.5e6, firstName: '87' });
    assert.equal(request.body, '{"s": 87, "q": "87", "r": 1500000, "n": "87"}');
    assert.deepEqual(notes, []);
  });

  it('a My Token given as a number is bare; one given as text is quoted', () => {
    const { definition } = validateDefinition(def({ ...json, template: '{"a": {{my.Count}}, "b": {{my.Label}}}', test: { tokens: { 'my.Count': 5, 'my.Label': '5' } } }));
    assert.ok(definition);
    const ctx: TokenContext = { catalog: STANDARD_CATALOG, lead: { byField: new Map(), other: new Map(), unknownKeys: [] }, values: new Map([['my.count', '5'], ['my.label', '5']]), now: new Date() };
    assert.equal(buildRequest(definition, ctx).body, '{"a": 5, "b": "5"}');
  });

  it('an empty number-type value is sent as nothing, never null, and the run is told the body is not JSON', () => {
    const { request, notes } = build({ ...json, template: '{"score": {{lead.Lead Score}}, "n": {{lead.Num Employees:default=0}}}' }, { leadScore: null });
    assert.equal(request.body, '{"score": , "n": 0}');
    assert.equal(notes.length, 1);
    assert.match(notes[0]!, /for this lead the body is not valid JSON \(ValueExpected at character 11\).*Empty for this lead: \{\{lead\.Lead Score\}\}.*:default=0/);
    assert.match(notes[0]!, /docs\/marketo-behaviour\.md#empty-values/);
  });

  it('a number-type value that is no JSON number breaks the body, and the run is told; one that is stays quiet', () => {
    for (const bad of ['007', '1.', '.5', '+1', '1,5', 'NaN', '5 5']) {
      const { request, notes } = build({ ...json, template: '{"score": {{lead.Lead Score}}, "name": {{lead.First Name}}}' }, { leadScore: bad, firstName: 'Ann' });
      assert.equal(request.body, `{"score": ${bad}, "name": "Ann"}`);
      assert.equal(notes.length, 1, `${bad}: ${notes.join(' | ')}`);
      assert.match(notes[0]!, /for this lead the body is not valid JSON/);
    }
    for (const good of ['0', '-0.5', '1e3', '12345678901234567890', '1E-2']) {
      const { notes } = build({ ...json, template: '{"score": {{lead.Lead Score}}, "name": {{lead.First Name}}}' }, { leadScore: good, firstName: 'Ann "the" \\ one' });
      assert.deepEqual(notes, [], good);
    }
    // A number-type token as a key: a number is no key, whatever its value.
    const key = build({ ...json, template: '{ {{lead.Lead Score}}: "x"}' }, { leadScore: 87 });
    assert.equal(key.request.body, '{ 87: "x"}');
    assert.match(key.notes[0] ?? '', /for this lead the body is not valid JSON/);
    // A value that closes the object early still makes valid JSON: sent as built, without a note.
    const { request, notes } = build({ ...json, template: '{"score": {{lead.Lead Score}}}' }, { leadScore: '1, "admin": true' });
    assert.equal(request.body, '{"score": 1, "admin": true}');
    assert.deepEqual(notes, []);
  });

  it('no note for a body that is not JSON by its Content-Type', () => {
    const { request, notes } = build({ requestTokenEncoding: 'JSON', headers: { 'Content-Type': 'text/plain' }, template: '{"score": {{lead.Lead Score}}}' }, {});
    assert.equal(request.body, '{"score": }');
    assert.deepEqual(notes, []);
  });

  it('each CR LF, CR or LF in a lead or company value becomes one space, everywhere, noted once per token', () => {
    const { request, notes } = build({
      ...json,
      url: 'https://api.example.com/x?c={{lead.City}}',
      headers: { 'Content-Type': 'application/json', 'X-City': '{{lead.City}}' },
      template: '{"a": {{lead.Address}}, "a2": {{lead.Address}}, "c": {{Company.Company Name}}, "m": {{my.Multi}}}\\n',
    }, { address: '1 Main St\r\nApt 2\rBack\nDoor\r\n\r\nEnd', company: 'R&D\nLabs', city: 'New\nYork' }, { 'my.Multi': 'one\ntwo' });
    assert.equal(request.body, '{"a": "1 Main St Apt 2 Back Door  End", "a2": "1 Main St Apt 2 Back Door  End", "c": "R&D Labs", "m": "one\\ntwo"}\n');
    assert.equal(request.url, 'https://api.example.com/x?c=New York');
    assert.equal(request.headers['X-City'], 'New York');
    assert.equal(notes.length, 3, notes.join('\n'));
    assert.ok(notes.every((n) => /holds line breaks; Marketo sends each as one space .*#line-breaks/.test(n)), notes.join('\n'));
    assert.ok(notes.some((n) => n.includes('{{lead.Address}}')) && notes.some((n) => n.includes('{{Company.Company Name}}')));
  });

  it('an undefined My Token is sent empty (a JSON "" under JSON encoding); an unknown namespace as written', () => {
    assert.equal(build({ ...json, template: '{"a": {{my.Missing}}}' }, {}).request.body, '{"a": ""}');
    assert.equal(build({ template: 'a={{my.Missing}}&b={{my.Missing:default=x}}' }, {}).request.body, 'a=&b=x');
    assert.equal(build({ template: 'a={{foo.Bar}}' }, {}).request.body, 'a={{foo.Bar}}');
  });
});
