import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { buildRequest, type TokenContext } from '../../src/engine/http/build-request';
import { STANDARD_CATALOG } from '../../src/engine/catalog/field-catalog';
import { leadFromValue, type SampleLead } from '../../src/engine/catalog/sample-lead';
import { normalizeTokenKey } from '../../src/engine/tokens/namespaces';
import { validateDefinition } from '../../src/engine/validate/validate';
import { def } from './helpers';

function lead(value: Record<string, unknown>): SampleLead {
  const read = leadFromValue(value, STANDARD_CATALOG);
  assert.ok(read.ok);
  return read.lead;
}

function build(fields: Record<string, unknown>, leadValues: Record<string, unknown> = {}, tokens: Record<string, string> = {}) {
  const { definition } = validateDefinition(def(fields));
  assert.ok(definition);
  const ctx: TokenContext = {
    catalog: STANDARD_CATALOG,
    lead: lead(leadValues),
    values: new Map(Object.entries(tokens).map(([k, v]) => [normalizeTokenKey(k), v])),
    now: new Date(Date.UTC(2024, 4, 6, 13, 5, 9)),
  };
  return buildRequest(definition, ctx);
}

const ada = { firstName: 'Ada', LastName: 'Lovelace', 'Email Address': 'ada@example.com', company: 'R&D "Engines"', numberOfEmployees: 42 };

describe('buildRequest', () => {
  it('writes JSON-encoded string-type tokens as string literals, quotes included, and number-type ones bare', () => {
    const r = build({ template: '{"first": {{lead.First Name}}, "company": {{lead.Company Name}}, "n": {{lead.Num Employees}}}', requestTokenEncoding: 'JSON' }, ada);
    assert.equal(r.body, '{"first": "Ada", "company": "R&D \\"Engines\\"", "n": 42}');
    assert.deepEqual(JSON.parse(r.body), { first: 'Ada', company: 'R&D "Engines"', n: 42 });
  });

  it('URL-encodes tokens under Form/Url: a space becomes +, & becomes %26', () => {
    const r = build({ template: 'name={{lead.First Name}} {{lead.Last Name}}&c={{lead.Company Name}}', requestTokenEncoding: 'Form/Url' }, ada);
    assert.equal(r.body, 'name=Ada Lovelace&c=R%26D+%22Engines%22');
  });

  it('substitutes raw under None', () => {
    const r = build({ template: 'c={{lead.Company Name}}' }, ada);
    assert.equal(r.body, 'c=R&D "Engines"');
  });

  it('reads Marketo escapes in the template: \\n becomes a newline, \\\\n stays backslash-n', () => {
    const r = build({ template: 'a\\nb\\\\nc\\td' });
    assert.equal(r.body, 'a\nb\\nc\td');
  });

  it('joins template lines with a newline', () => {
    const r = build({ template: ['line1', 'line2 {{lead.First Name}}'] }, ada);
    assert.equal(r.body, 'line1\nline2 Ada');
  });

  it('sends no body for GET', () => {
    const r = build({ requestType: 'GET', template: 'a=1' });
    assert.equal(r.method, 'GET');
    assert.equal(r.body, null);
  });

  it('sends no body when there is no template', () => {
    assert.equal(build({}).body, null);
  });

  it('keeps literal characters of the URL as written and encodes URL tokens only under Form/Url', () => {
    const url = 'https://x.example/p?a=1&b=%26&c={{lead.Company Name}}';
    assert.equal(build({ url }, ada).url, 'https://x.example/p?a=1&b=%26&c=R&D "Engines"');
    assert.equal(build({ url, requestTokenEncoding: 'Form/Url' }, ada).url, 'https://x.example/p?a=1&b=%26&c=R%26D+%22Engines%22');
    assert.equal(build({ url, requestTokenEncoding: 'JSON' }, ada).url, 'https://x.example/p?a=1&b=%26&c=R&D "Engines"');
  });

  it('writes header tokens raw whatever the encoding', () => {
    const r = build({ headers: { Authorization: 'Bearer {{my.Key}}', 'X-Name': '{{lead.Company Name}}' }, requestTokenEncoding: 'JSON' }, ada, { 'my.Key': 'k 1' });
    assert.deepEqual(r.headers, { Authorization: 'Bearer k 1', 'X-Name': 'R&D "Engines"' });
  });

  it('falls back to the default for an empty or missing value, else sends empty', () => {
    const r = build({ template: 'a={{lead.City:default=Nowhere}}&b={{lead.State}}&c={{lead.First Name:default=Friend}}' }, { city: '' , firstName: 'Ada' });
    assert.equal(r.body, 'a=Nowhere&b=&c=Ada');
  });

  it('resolves my, campaign, Company, lead owner and system tokens', () => {
    const r = build(
      { template: '{{my.Greeting}}|{{campaign.name}}|{{Company.Company Name}}|{{lead.Lead Owner Email Address}}|{{system.dateTime}}' },
      { ...ada, 'Lead Owner Email Address': 'owner@example.com' },
      { 'my.Greeting': 'Hello', 'campaign.name': 'Signup' },
    );
    const [greeting, campaign, company, owner, dateTime] = r.body!.split('|');
    assert.equal(greeting, 'Hello');
    assert.equal(campaign, 'Signup');
    assert.equal(company, 'R&D "Engines"');
    assert.equal(owner, 'owner@example.com');
    assert.match(dateTime!, /^2024-05-0[67] \d\d:05:09$/);
  });

  it('lets a test token override a lead value', () => {
    assert.equal(build({ template: '{{lead.First Name}}' }, ada, { 'lead.First Name': 'Grace' }).body, 'Grace');
  });

  it('does not read escapes in substituted values', () => {
    assert.equal(build({ template: 'x={{lead.City}}' }, { city: 'a\\nb' }).body, 'x=a\\nb');
  });
});
