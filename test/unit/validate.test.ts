import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { catalogFromDescribe } from '../../src/engine/catalog/field-catalog';
import { validateDefinition } from '../../src/engine/validate/validate';
import { byCode, def, textAt } from './helpers';

function check(text: string, code: string) {
  const { diagnostics } = validateDefinition(text);
  return { all: diagnostics, found: byCode(diagnostics, code), at: (i = 0) => textAt(text, byCode(diagnostics, code)[i]!.range) };
}

describe('validateDefinition: structure', () => {
  it('accepts a complete, correct definition with no diagnostics', () => {
    const text = `// An enrichment call
{
  "name": "Enrich",
  "url": "https://api.example.com/enrich/{{lead.Email Address}}",
  "requestType": "POST",
  "template": "{\\"email\\": {{lead.Email Address}}, \\"first\\": {{lead.First Name:default=Friend}}}",
  "requestTokenEncoding": "JSON",
  "responseType": "JSON",
  "headers": { "Content-Type": "application/json", "Authorization": "Bearer {{my.API Key}}" },
  "responseMappings": [ { "responseAttribute": "company.tech[0]", "marketoField": "Company" } ],
  "test": { "tokens": { "my.API Key": { "secret": "API_KEY" } }, "timeoutMs": 5000 },
}`;
    const { diagnostics, definition } = validateDefinition(text);
    assert.deepEqual(diagnostics, []);
    assert.equal(definition?.requestTokenEncoding, 'JSON');
    assert.equal(definition?.test.timeoutMs, 5000);
    assert.deepEqual(definition?.test.tokens['my.API Key'], { secret: 'API_KEY' });
  });

  it('applies the contract defaults', () => {
    const { definition } = validateDefinition(def({}));
    assert.equal(definition?.requestType, 'POST');
    assert.equal(definition?.requestTokenEncoding, 'None');
    assert.equal(definition?.responseType, 'None');
    assert.equal(definition?.test.campaign, 'trigger');
    assert.equal(definition?.test.timeoutMs, 30000);
    assert.deepEqual(definition?.headers, {});
    assert.deepEqual(definition?.responseMappings, []);
  });

  it('joins a template array with newlines', () => {
    const { definition } = validateDefinition(def({ template: ['a=1', 'b=2'] }));
    assert.equal(definition?.template, 'a=1\nb=2');
  });

  it('reports JSONC syntax errors with their position and never throws', () => {
    const text = '{ "name": "x", "url": }';
    const r = check(text, 'syntax-error');
    assert.ok(r.found.length >= 1);
    assert.equal(r.found[0]!.range.start.character, 22);
    for (const bad of ['', '[]', '42', '{', '\u0000\u0001\u00ff binary', '{"name": "a", "url": "b"']) {
      assert.doesNotThrow(() => validateDefinition(bad));
      assert.ok(validateDefinition(bad).diagnostics.some((d) => d.severity === 'error'), JSON.stringify(bad));
    }
  });

  it('refuses a file over 5 MB with one diagnostic', () => {
    const text = def({ description: 'x'.repeat(5 * 1024 * 1024 + 10) });
    const { diagnostics } = validateDefinition(text);
    assert.deepEqual(diagnostics.map((d) => d.code), ['file-too-large']);
  });

  it('reads an array template with a line longer than a call can take arguments', () => {
    const { definition, diagnostics } = validateDefinition(def({ template: ['a', 'x'.repeat(300_000)], requestType: 'PUT' }));
    assert.equal(definition?.template?.length, 300_002);
    assert.ok(diagnostics.every((d) => d.severity !== 'error'));
  });

  it('survives deep nesting', () => {
    const text = `{"name":"a","url":"https://x.example","test":{"lead":${'{"a":'.repeat(20000)}1${'}'.repeat(20000)}}}`;
    assert.doesNotThrow(() => validateDefinition(text));
  });

  it('reports missing name and url', () => {
    const r = check('{ "requestType": "GET" }', 'missing-required-key');
    assert.equal(r.found.length, 2);
    assert.match(r.found[0]!.message, /"name"/);
    assert.match(r.found[1]!.message, /"url"/);
  });

  it('warns about unknown keys, with a suggestion', () => {
    const text = def({ responseMapping: [] });
    const r = check(text, 'unknown-key');
    assert.equal(r.found[0]!.severity, 'warning');
    assert.equal(r.at(), '"responseMapping"');
    assert.match(r.found[0]!.message, /did you mean "responseMappings"/);
    assert.deepEqual(r.found[0]!.data?.replacements, ['"responseMappings"']);
  });

  it('reports duplicate keys at the second key', () => {
    const text = '{"name": "a", "url": "https://x.example", "name": "b"}';
    const r = check(text, 'duplicate-key');
    assert.equal(r.found.length, 1);
    assert.equal(r.found[0]!.range.start.character, 42);
  });

  it('reports invalid enum values with the closest valid one', () => {
    const text = def({ requestTokenEncoding: 'json', responseType: 'Xml', requestType: 'PST' });
    const r = check(text, 'invalid-enum');
    assert.equal(r.found.length, 3);
    const byText = Object.fromEntries(r.found.map((d) => [textAt(text, d.range), d.data?.replacements?.[0]]));
    assert.deepEqual(byText, { '"PST"': '"POST"', '"json"': '"JSON"', '"Xml"': '"XML"' });
  });

  it('reports values of the wrong type', () => {
    const text = def({ headers: ['a'], responseMappings: {}, template: 5 });
    assert.equal(check(text, 'wrong-type').found.length, 3);
  });

  it('checks test.timeoutMs', () => {
    assert.equal(check(def({ test: { timeoutMs: -1 } }), 'timeout-invalid').found[0]?.severity, 'error');
    assert.equal(check(def({ test: { timeoutMs: 60000 } }), 'timeout-invalid').found[0]?.severity, 'warning');
  });
});

describe('validateDefinition: URL', () => {
  it('requires an absolute http(s) URL', () => {
    for (const url of ['/relative/path', 'example.com/x', 'ftp://example.com/x', '']) {
      const text = def({ url });
      const r = check(text, 'url-invalid');
      assert.equal(r.found.length, 1, url);
      assert.equal(r.at(), JSON.stringify(url));
    }
  });

  it('accepts tokens in the URL and a URL that starts with a token', () => {
    assert.deepEqual(check(def({ url: 'https://x.example/{{lead.Id}}?q={{lead.City}}' }), 'url-invalid').found, []);
    assert.deepEqual(check(def({ url: '{{my.Base URL}}/x', test: { tokens: { 'my.Base URL': 'https://x.example' } } }), 'url-invalid').found, []);
  });
});

describe('validateDefinition: tokens', () => {
  it('suggests the display name for {{lead.FirstName}}', () => {
    const text = def({ url: 'https://x.example/?n={{lead.FirstName}}' });
    const r = check(text, 'token-unknown-field');
    assert.equal(r.found.length, 1);
    assert.equal(r.at(), 'FirstName');
    assert.match(r.found[0]!.message, /\{\{lead\.First Name\}\}/);
    assert.deepEqual(r.found[0]!.data?.replacements, ['First Name']);
  });

  it('suggests close display names for typos', () => {
    const r = check(def({ url: 'https://x.example/?e={{lead.Email Adress}}' }), 'token-unknown-field');
    assert.deepEqual(r.found[0]!.data?.replacements?.[0], 'Email Address');
  });

  it('repairs {{lead.Company=edit me}} to a real field with :default=', () => {
    const text = def({ url: 'https://x.example/?c={{lead.Company=edit me}}' });
    const r = check(text, 'token-default-syntax');
    assert.equal(r.at(), '{{lead.Company=edit me}}');
    assert.deepEqual(r.found[0]!.data?.replacements, ['{{lead.Company Name:default=edit me}}']);
  });

  it('reports unbalanced braces at the token', () => {
    const text = def({ url: 'https://x.example/?c={{lead.City&d=1' });
    const r = check(text, 'token-unclosed');
    assert.equal(r.at(), '{{lead.City&d=1');
  });

  it('maps token ranges through JSON escapes in the file', () => {
    const text = '{"name":"a","url":"https://x.example","template":"{\\"a\\\\u00e9\\": {{lead.Nope}}}","requestTokenEncoding":"JSON","headers":{"Content-Type":"application/json"}}';
    const r = check(text, 'token-unknown-field');
    assert.equal(r.at(), 'Nope');
  });

  it('reports unknown namespaces and names in known namespaces', () => {
    const text = def({ url: 'https://x.example/?a={{leed.City}}&b={{system.now}}&c={{campaign.Name}}' });
    assert.equal(check(text, 'token-unknown-namespace').at(), 'leed');
    assert.deepEqual(check(text, 'token-unknown-namespace').found[0]!.data?.replacements, ['lead']);
    assert.equal(check(text, 'token-unknown-name').at(), 'now');
    // campaign.Name differs from campaign.name only by case: accepted.
    assert.equal(check(text, 'token-unknown-name').found.length, 1);
  });

  it('accepts namespaces in any case, lead owner and Company tokens', () => {
    const text = def({ url: 'https://x.example/?a={{Lead.City}}&b={{lead.Lead Owner Email Address}}&c={{company.Company Name}}&d={{system.dateTime}}&e={{Company.City}}', requestTokenEncoding: 'Form/Url' });
    assert.deepEqual(validateDefinition(text).diagnostics, []);
  });

  it('accepts custom fields from a Describe Lead response', () => {
    const { catalog } = catalogFromDescribe({ result: [{ displayName: 'Favourite Colour', dataType: 'string', rest: { name: 'favColour' }, soap: { name: 'FavColour' } }] });
    const text = def({ url: 'https://x.example/c/{{lead.Favourite Colour}}' });
    const unknown = byCode(validateDefinition(text).diagnostics, 'token-unknown-field');
    // No standard field is near that name: most likely a custom field, so a warning, not an error.
    assert.deepEqual(unknown.map((d) => d.severity), ['warning']);
    assert.match(unknown[0]!.message, /marketo-fields\.json/);
    assert.deepEqual(validateDefinition(text, { catalog }).diagnostics, []);
  });

  it('warns when a my/trigger/member token has no test value and no default', () => {
    const text = def({ url: 'https://x.example/?a={{my.Key}}&b={{trigger.Web Page:default=x}}&c={{member.webinar url}}' });
    const r = check(text, 'token-no-test-value');
    assert.deepEqual(r.found.map((d) => textAt(text, d.range)), ['{{my.Key}}', '{{member.webinar url}}']);
    assert.deepEqual(check(def({ url: 'https://x.example/?a={{my.Key}}', test: { tokens: { 'My.Key': 'v' } } }), 'token-no-test-value').found, []);
  });

  it('points out the editor placeholder default "edit me"', () => {
    const text = def({ url: 'https://x.example/?a={{lead.City:default=edit me}}' });
    const r = check(text, 'token-placeholder-default');
    assert.equal(r.found[0]!.severity, 'info');
    assert.equal(r.at(), 'edit me');
  });
});

describe('validateDefinition: template', () => {
  const json = (template: string, extra: Record<string, unknown> = {}) =>
    def({ template, requestTokenEncoding: 'JSON', headers: { 'Content-Type': 'application/json' }, ...extra });

  it('flags a token wrapped in quotes under JSON encoding, with the unquoted fix', () => {
    const text = json('{"email": "{{lead.Email Address}}"}');
    const r = check(text, 'token-quoted-json');
    assert.equal(r.found.length, 1);
    assert.equal(r.at(), '\\"{{lead.Email Address}}\\"');
    assert.deepEqual(r.found[0]!.data?.replacements, ['{{lead.Email Address}}']);
    // The same mistake is not reported twice as invalid JSON.
    assert.deepEqual(byCode(r.all, 'template-invalid-json'), []);
  });

  it('flags a token inside a longer string under JSON encoding', () => {
    const r = check(json('{"greeting": "Hi {{lead.First Name}}!"}'), 'token-quoted-json');
    assert.equal(r.found.length, 1);
    assert.equal(r.at(), '{{lead.First Name}}');
  });

  it('reports a JSON template that is invalid once tokens are substituted', () => {
    const text = json('{"email": {{lead.Email Address}} "x": 1}');
    const r = check(text, 'template-invalid-json');
    assert.equal(r.found.length, 1);
    assert.match(r.found[0]!.message, /comma expected/);
    // The unexpected JSON token is the string "x" that follows the token.
    assert.equal(r.at(), '\\"x\\"');
  });

  it('explains a \\n escape that becomes a raw line break inside a JSON string', () => {
    const text = json('{"text": "line1\\nline2"}');
    const r = check(text, 'template-invalid-json');
    assert.equal(r.found.length, 1);
    assert.match(r.found[0]!.message, /real line break/);
    assert.deepEqual(check(json('{"text": "line1\\\\nline2"}'), 'template-invalid-json').found, []);
  });

  it('accepts numbers under None encoding outside strings, and warns for text fields', () => {
    const text = def({ template: '{"n": {{lead.Num Employees}}, "c": "{{lead.City}}"}', headers: { 'Content-Type': 'application/json' } });
    const { diagnostics } = validateDefinition(text);
    assert.deepEqual(byCode(diagnostics, 'template-invalid-json'), []);
    const found = byCode(diagnostics, 'json-token-unencoded');
    assert.deepEqual(found.map((d) => [textAt(text, d.range), d.severity]), [['{{lead.City}}', 'warning']]);
    // Outside a string, any value but a number breaks the body: text, a date, a system token.
    const bare = def({ template: '{"c": {{lead.City}}, "t": "{{system.dateTime}}", "b": {{lead.Date of Birth}}, "n": {{lead.Lead Score}}, "at": {{system.date}}}', headers: { 'Content-Type': 'application/json' } });
    const bareFound = byCode(validateDefinition(bare).diagnostics, 'json-token-unencoded');
    assert.deepEqual(bareFound.map((d) => [textAt(bare, d.range), d.severity]), [
      ['{{lead.City}}', 'error'], ['{{lead.Date of Birth}}', 'error'], ['{{system.date}}', 'error'],
    ]);
    // The fix is JSON encoding, with the quotes around a whole-value token removed.
    const unquote = (bareFound[0]!.data?.toJson as { unquote: { offset: number; length: number; replacement: string }[] }).unquote;
    assert.deepEqual(unquote.map((q) => [bare.slice(q.offset, q.offset + q.length), q.replacement]), [['\\"{{system.dateTime}}\\"', '{{system.dateTime}}']]);
  });

  it('warns about a JSON body without Content-Type', () => {
    const text = def({ template: '{"a": {{lead.City}}}', requestTokenEncoding: 'JSON' });
    const r = check(text, 'json-body-without-content-type');
    assert.equal(r.found.length, 1);
    assert.equal(r.found[0]!.severity, 'warning');
    const ok = def({ template: '{"a": {{lead.City}}}', requestTokenEncoding: 'JSON', headers: { 'content-type': 'application/json; charset=utf-8' } });
    assert.deepEqual(check(ok, 'json-body-without-content-type').found, []);
  });

  it('warns about a form body under None with tokens that can hold &', () => {
    const text = def({ template: 'name={{lead.First Name}}&n={{lead.Num Employees}}' });
    const r = check(text, 'form-token-unencoded');
    assert.deepEqual(r.found.map((d) => textAt(text, d.range)), ['{{lead.First Name}}']);
    assert.deepEqual(check(def({ template: 'name={{lead.First Name}}', requestTokenEncoding: 'Form/Url' }), 'form-token-unencoded').found, []);
  });

  it('reports illegal escapes with a fix that doubles the backslash', () => {
    const text = def({ template: 'a=\\d&b=\\n' });
    const r = check(text, 'template-illegal-escape');
    assert.equal(r.found.length, 1);
    assert.equal(r.at(), '\\\\d');
    assert.deepEqual(r.found[0]!.data?.replacements, ['\\\\\\\\d']);
  });

  it('warns about a template on GET', () => {
    const text = def({ requestType: 'GET', template: 'a=1' });
    const r = check(text, 'template-on-get');
    assert.equal(r.found.length, 1);
    assert.equal(r.found[0]!.severity, 'warning');
  });
});

describe('validateDefinition: URL tokens', () => {
  it('warns of text tokens in the query under None and JSON encoding (both send them raw), not under Form/Url', () => {
    const url = 'https://x.example/p/{{lead.City}}?e={{lead.Email Address}}&n={{lead.Lead Score}}';
    for (const encoding of [undefined, 'None', 'JSON']) {
      const text = def({ url, ...(encoding ? { requestTokenEncoding: encoding } : {}) });
      const r = check(text, 'url-token-unencoded');
      assert.deepEqual(r.found.map((d) => [textAt(text, d.range), d.severity]), [['{{lead.Email Address}}', 'warning']], String(encoding));
      assert.match(r.found[0]!.message, new RegExp(`^Request Token Encoding is ${encoding ?? 'None'}, so \\{\\{lead\\.Email Address\\}\\} goes into the query raw: a value holding &, #, \\+ or a space splits or breaks the query\\.`));
    }
    assert.deepEqual(check(def({ url: 'https://x.example/?e={{lead.Email Address}}', requestTokenEncoding: 'Form/Url' }), 'url-token-unencoded').found, []);
  });

  it('offers Form/Url as the fix only when there is no template or a form body', () => {
    const url = 'https://x.example/?e={{lead.Email Address}}';
    const fixOf = (fields: Record<string, unknown>) => check(def({ url, ...fields }), 'url-token-unencoded').found[0]?.data?.requestTokenEncoding;
    assert.equal(fixOf({ requestTokenEncoding: 'JSON' }), 'Form/Url');
    assert.equal(fixOf({ template: '  ' }), 'Form/Url');
    assert.equal(fixOf({ template: 'a={{lead.City}}&b=2' }), 'Form/Url');
    const json = check(def({ url, requestTokenEncoding: 'JSON', template: '{"city": {{lead.City}}}', headers: { 'Content-Type': 'application/json' } }), 'url-token-unencoded').found[0];
    assert.equal(json?.data, undefined);
    assert.match(json?.message ?? '', /Form\/Url would encode it, but also the template's tokens/);
  });
});

describe('validateDefinition: headers and credentials', () => {
  it('flags a literal credential in a header, with the range of the secret only', () => {
    const text = def({ headers: { Authorization: 'Bearer sk_live_abcdef123456' } });
    const r = check(text, 'literal-credential');
    assert.equal(r.found.length, 1);
    assert.equal(r.at(), 'sk_live_abcdef123456');
    assert.match(r.found[0]!.message, /"secret"/);
    assert.equal(r.found[0]!.data?.literal, 'sk_live_abcdef123456');
  });

  it('flags a literal credential in the URL', () => {
    const text = def({ url: 'https://x.example/hook?api_key=abcdef123456&x=1' });
    assert.equal(check(text, 'literal-credential').at(), 'abcdef123456');
  });

  it('accepts credentials that come from tokens', () => {
    assert.deepEqual(check(def({ headers: { Authorization: 'Bearer {{my.Key}}' }, test: { tokens: { 'my.Key': { secret: 'K' } } } }), 'literal-credential').found, []);
  });

  it('reports invalid header names and duplicate headers', () => {
    assert.equal(check(def({ headers: { 'Content Type': 'x' } }), 'header-name-invalid').found.length, 1);
    assert.equal(check(def({ headers: { 'X-A': '1', 'x-a': '2' } }), 'duplicate-key').found.length, 1);
  });

  it('refuses header values HTTP cannot carry', () => {
    const text = def({ headers: { 'X-Note': 'launch 🚀 now', 'X-Ok': 'café' } });
    const r = check(text, 'header-value-invalid');
    assert.equal(r.found.length, 1);
    assert.equal(r.at(), '🚀');
  });

  it('refuses headers the HTTP connection owns', () => {
    const text = def({ headers: { 'Content-Length': '5', Connection: 'close', 'X-Fine': '1' } });
    assert.deepEqual(check(text, 'header-not-allowed').found.map((d) => textAt(text, d.range)), ['"Content-Length"', '"Connection"']);
  });

  it('reports test.tokens values that are neither text nor a secret', () => {
    assert.equal(check(def({ test: { tokens: { 'my.A': ['x'], 'my.B': { secret: '' } } } }), 'token-value-invalid').found.length, 2);
  });
});

describe('validateDefinition: response mappings', () => {
  const withMappings = (responseMappings: unknown, responseType = 'JSON') => def({ responseType, responseMappings });

  it('warns about mappings with responseType None', () => {
    const text = withMappings([{ responseAttribute: 'a', marketoField: 'City' }], 'None');
    const r = check(text, 'mappings-without-response-type');
    assert.equal(r.found.length, 1);
    assert.equal(r.at(), '"None"');
  });

  it('reports invalid response attribute paths at the offending character', () => {
    const text = withMappings([{ responseAttribute: 'orders[x].date', marketoField: 'City' }]);
    const r = check(text, 'response-attribute-invalid');
    assert.equal(r.found.length, 1);
    assert.ok(r.at().includes('x'), r.at());
  });

  it('asks for the SOAP name when a display or REST name is given', () => {
    const text = withMappings([
      { responseAttribute: 'a', marketoField: 'First Name' },
      { responseAttribute: 'b', marketoField: 'leadPartitionId' },
      { responseAttribute: 'c', marketoField: 'firstname' },
    ]);
    const r = check(text, 'marketo-field-not-soap-name');
    assert.equal(r.found.length, 3);
    assert.deepEqual(r.found.map((d) => d.data?.replacements?.[0]), ['"FirstName"', '"Lead Partition ID"', '"FirstName"']);
    assert.match(r.found[0]!.message, /display name/);
    assert.match(r.found[1]!.message, /REST API name/);
    assert.match(r.found[2]!.message, /exactly/);
  });

  it('warns, without blocking a run, about a field far from every standard one (a custom field)', () => {
    const text = withMappings([{ responseAttribute: 'a', marketoField: 'Favourite_Colour__c' }]);
    assert.deepEqual(check(text, 'marketo-field-unknown').found.map((d) => d.severity), ['warning']);
  });

  it('reports unknown fields and fields without a SOAP name', () => {
    const text = withMappings([
      { responseAttribute: 'a', marketoField: 'Titel' },
      { responseAttribute: 'b', marketoField: 'Full Name' },
    ]);
    assert.deepEqual(check(text, 'marketo-field-unknown').found[0]!.data?.replacements?.[0], '"Title"');
    assert.equal(check(text, 'marketo-field-not-mappable').found.length, 1);
  });

  it('reports a mapping without its keys', () => {
    assert.equal(check(withMappings([{ responseAttribute: 'a' }]), 'missing-required-key').found.length, 1);
  });
});

describe('validateDefinition: duplicates in the test section', () => {
  it('reports a token given twice and a lead field named twice', () => {
    const text = '{"name":"a","url":"https://x.example","test":{"tokens":{"my.A":"1","my.A":"2"},"lead":{"First Name":"x","firstName":"y"}}}';
    const { diagnostics } = validateDefinition(text);
    assert.equal(textAt(text, byCode(diagnostics, 'duplicate-key')[0]!.range), '"my.A"');
    assert.equal(byCode(diagnostics, 'duplicate-key')[0]!.range.start.character, text.lastIndexOf('"my.A"'));
    assert.equal(textAt(text, byCode(diagnostics, 'lead-duplicate-field')[0]!.range), '"firstName"');
  });

  it('reports a "url" written without a value as a syntax error only', () => {
    const { diagnostics } = validateDefinition('{ "name": "x", "url": }');
    assert.deepEqual(byCode(diagnostics, 'missing-required-key'), []);
    assert.ok(byCode(diagnostics, 'syntax-error').length > 0);
  });

  it('reports an empty name', () => {
    assert.equal(byCode(validateDefinition(def({ name: ' ' })).diagnostics, 'name-empty').length, 1);
  });

  it('refuses fractional and oversized timeouts', () => {
    assert.equal(byCode(validateDefinition(def({ test: { timeoutMs: 0.5 } })).diagnostics, 'timeout-invalid')[0]?.severity, 'error');
    assert.equal(byCode(validateDefinition(def({ test: { timeoutMs: 1e12 } })).diagnostics, 'timeout-invalid')[0]?.severity, 'error');
  });

  it('caps the number of diagnostics and says how many more there are', () => {
    const text = def({ headers: { 'X-A': '{{my.X}}'.repeat(5000) } });
    const { diagnostics } = validateDefinition(text);
    assert.equal(diagnostics.length, 501);
    assert.match(byCode(diagnostics, 'too-many-problems')[0]!.message, /^Only the first 500 problems/);
  });
});

describe('validateDefinition: test section', () => {
  it('warns about unknown fields in an inline lead and non-token keys in test.tokens', () => {
    const text = def({ test: { lead: { 'First Name': 'Ada', Emial: 'x' }, tokens: { Key: 'v' } } });
    assert.equal(check(text, 'lead-unknown-field').at(), '"Emial"');
    assert.equal(check(text, 'unknown-key').at(), '"Key"');
  });
});

describe('validateDefinition: large templates and the quick path for clean JSON bodies', () => {
  const jsonDef = (template: string | string[]) => def({ template, requestTokenEncoding: 'JSON', headers: { 'Content-Type': 'application/json' } });
  const codes = (text: string) => validateDefinition(text).diagnostics.map((d) => `${d.severity} ${d.code}`).sort();

  it('a clean JSON body is judged as the full token and JSON checks judge it', () => {
    // A leading escaped tab (whitespace once Marketo reads the escape) sends the same body down
    // the full path: both must report the same problems, or none.
    const bodies = [
      '{"email": {{lead.Email Address}}, "id": {{lead.Id}}, "tags": ["a", {{lead.City}}], "n": -1.5e3, "ok": true}',
      '{ {{lead.Email Address}} : {"x": null} }',
      '[{{lead.City}}, {}, [], ""]',
      '{"email": "{{lead.Email Address}}"}',
      '{"a": "x {{lead.City}} y"}',
      '{"a": {{lead.City}},}',
      '{"a": 01}',
      '{"a": {{lead.City}} {{lead.State}}}',
      '{"a": {{lead.Frist Name}}}',
      '{"a": {{lead.City:default=x}}}',
      '{"a": {{lead.City}',
      '{"a": {{my.Unknown}}}',
    ];
    for (const body of bodies) {
      assert.deepEqual(codes(jsonDef(body)), codes(jsonDef(`\\t${body}`)), body);
    }
    assert.deepEqual(codes(jsonDef(bodies[0]!)), []);
  });

  it('a long template array: no diagnostics when clean, an exact range for a problem deep inside', () => {
    const lines = ['{', ...Array.from({ length: 3000 }, (_, i) => `  "k${i}": {{lead.${i % 2 ? 'City' : 'Email Address'}}},`), '  "last": \\"x\\"', '}'];
    lines[2500] = '  "typo": {{lead.Frist Name}},';
    const clean = jsonDef(lines.map((l, i) => (i === 2500 ? '  "fine": 1,' : l.replace('\\"x\\"', '"x"'))));
    assert.deepEqual(validateDefinition(clean).diagnostics, []);
    const text = jsonDef(lines.map((l) => l.replace('\\"x\\"', '"x"')));
    const unknown = byCode(validateDefinition(text).diagnostics, 'token-unknown-field');
    assert.equal(unknown.length, 1);
    assert.equal(textAt(text, unknown[0]!.range), 'Frist Name');
  });

  it('a long template string with escapes: an exact range for a problem deep inside', () => {
    const pairs = Array.from({ length: 3000 }, (_, i) => `"k\t${i}": {{lead.City}}`);
    pairs[2700] = '"typo": "{{lead.City}}"';
    const text = jsonDef(`{${pairs.join(', ')}}`);
    const quoted = byCode(validateDefinition(text).diagnostics, 'token-quoted-json');
    assert.equal(quoted.length, 1);
    assert.equal(textAt(text, quoted[0]!.range), '\\"{{lead.City}}\\"');
  });
});
