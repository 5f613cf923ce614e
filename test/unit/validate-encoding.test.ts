// Validation of a template by its body kind and its tokens' JSON types
// (docs/marketo-behaviour.md#body-kind, #json-encoding-by-type, #empty-values, #none-encoding).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Diagnostic } from '../../src/engine/types';
import { validateDefinition } from '../../src/engine/validate/validate';
import { def, textAt } from './helpers';

const JSON_HEADERS = { 'Content-Type': 'application/json' };

/** `severity code: text under the range` of each diagnostic, in order. */
function found(fields: Record<string, unknown>): { text: string; diagnostics: Diagnostic[]; shown: string[] } {
  const text = def(fields);
  const { diagnostics } = validateDefinition(text);
  return { text, diagnostics, shown: diagnostics.map((d) => `${d.severity} ${d.code}: ${textAt(text, d.range)}`) };
}

interface ToJson { unquote: { offset: number; length: number; replacement: string }[] }

/** The text after the switch to JSON encoding a diagnostic offers: its quotes removed (the encoding is set by the editor). */
function unquoted(text: string, d: Diagnostic | undefined): string {
  const fix = d?.data?.toJson as ToJson | undefined;
  assert.ok(fix, 'the diagnostic offers JSON encoding');
  let out = text;
  for (const q of [...fix.unquote].sort((a, b) => b.offset - a.offset)) out = out.slice(0, q.offset) + q.replacement + out.slice(q.offset + q.length);
  return out;
}

describe('validation: the body kind decides which checks run', () => {
  it('a text/plain template that begins with a token is not JSON', () => {
    for (const requestTokenEncoding of ['None', 'JSON', 'Form/Url']) {
      const r = found({ template: '{{lead.First Name}} <{{lead.Email Address}}>', requestTokenEncoding, headers: { 'Content-Type': 'text/plain' } });
      assert.deepEqual(r.shown, [], requestTokenEncoding);
    }
    // Without a Content-Type, the token's braces open no JSON object either.
    assert.deepEqual(found({ template: '{{lead.First Name}} <{{lead.Email Address}}>', requestTokenEncoding: 'JSON' }).shown, []);
  });

  it('an XML body under JSON encoding is fine (Adobe: any format with double-quoted strings)', () => {
    const r = found({ template: '<lead first={{lead.First Name}}/>', requestTokenEncoding: 'JSON', headers: { 'Content-Type': 'text/xml' } });
    assert.deepEqual(r.shown, []);
    // So is a SOAP envelope that starts like JSON but says what it is.
    assert.deepEqual(found({ template: '{not json} <a b={{lead.City}}/>', requestTokenEncoding: 'JSON', headers: { 'Content-Type': 'application/soap+xml' } }).shown, []);
  });

  it('a JSON Content-Type makes the body JSON whatever its text, and the encoding no longer does', () => {
    const r = found({ template: 'not json {{lead.City}}', requestTokenEncoding: 'JSON', headers: JSON_HEADERS });
    assert.deepEqual(r.shown.map((s) => s.split(':')[0]), ['error template-invalid-json']);
    // A JSON-looking body without Content-Type is still JSON, and still asks for the header.
    assert.deepEqual(found({ template: '{"a": {{lead.City}}}', requestTokenEncoding: 'None' }).shown.map((s) => s.split(':')[0]), [
      'warning json-body-without-content-type', 'error json-token-unencoded',
    ]);
  });

  it('a template that is one token gets no JSON token checks (a pre-encoded payload)', () => {
    for (const requestTokenEncoding of ['None', 'Form/Url', 'JSON']) {
      assert.deepEqual(found({ template: '{{my.Payload}}', requestTokenEncoding, headers: JSON_HEADERS, test: { tokens: { 'my.Payload': '{"a":1}' } } }).shown, [], requestTokenEncoding);
    }
  });

  it('a form body under JSON encoding: each string-type value gets quotes', () => {
    const r = found({ template: 'name={{lead.First Name}}&score={{lead.Lead Score}}', requestTokenEncoding: 'JSON' });
    assert.deepEqual(r.shown, ['warning form-token-unencoded: {{lead.First Name}}']);
    assert.match(r.diagnostics[0]!.message, /Use "requestTokenEncoding": "Form\/Url"/);
  });
});

describe('validation: JSON encoding by type', () => {
  it('"score": "{{lead.Lead Score}}" is valid: a number-type token in quotes sends "87"', () => {
    const r = found({ template: '{"score": "{{lead.Lead Score}}", "label": "Score {{lead.Lead Score}} of 100"}', requestTokenEncoding: 'JSON', headers: JSON_HEADERS });
    assert.deepEqual(r.shown, []);
  });

  it('a string-type token in quotes stays an error, with the fix that removes the quotes', () => {
    const r = found({ template: '{"first": "{{lead.First Name}}", "score": "{{lead.Lead Score}}"}', requestTokenEncoding: 'JSON', headers: JSON_HEADERS });
    assert.deepEqual(r.shown, ['error token-quoted-json: \\"{{lead.First Name}}\\"']);
    assert.deepEqual(r.diagnostics[0]!.data?.replacements, ['{{lead.First Name}}']);
    assert.match(r.diagnostics[0]!.message, /a string-type token/);
  });

  it('a number-type token standing as a key breaks the JSON', () => {
    const r = found({ template: '{ {{lead.Lead Score:default=0}}: 1 }', requestTokenEncoding: 'JSON', headers: JSON_HEADERS });
    assert.deepEqual(r.shown.map((s) => s.split(':')[0]), ['error template-invalid-json']);
  });

  it('a My Token given as a number is judged as a number', () => {
    const fields = { template: '{"n": "{{my.Count}}", "m": {{my.Count}}}', requestTokenEncoding: 'JSON', headers: JSON_HEADERS };
    assert.deepEqual(found({ ...fields, test: { tokens: { 'my.Count': 5 } } }).shown, []);
    assert.deepEqual(found({ ...fields, test: { tokens: { 'my.Count': '5' } } }).shown, ['error token-quoted-json: \\"{{my.Count}}\\"']);
  });
});

describe('validation: empty number-type values', () => {
  it('"score": {{lead.Lead Score}} warns that an empty score sends "score": , and offers :default=0', () => {
    for (const requestTokenEncoding of ['JSON', 'None', 'Form/Url']) {
      const r = found({ template: '{"score": {{lead.Lead Score}}, "rev": {{Company.Annual Revenue}}}', requestTokenEncoding, headers: JSON_HEADERS });
      assert.deepEqual(r.shown, ['warning json-token-empty: {{lead.Lead Score}}', 'warning json-token-empty: {{Company.Annual Revenue}}'], requestTokenEncoding);
      const d = r.diagnostics[0]!;
      assert.match(d.message, /`"score": ,`.*not JSON\. Add `:default=0`/);
      // The fix inserts the default right before the closing braces.
      assert.equal(d.data?.length, 0);
      assert.equal(r.text.slice(d.data.offset - 'Lead Score'.length, d.data.offset + 2), 'Lead Score}}');
      assert.deepEqual(d.data?.replacements, [':default=0']);
    }
  });

  it('no warning with a default, inside a string, for the lead Id, or for a Number My Token', () => {
    const r = found({
      template: '{"a": {{lead.Lead Score:default=0}}, "b": "{{lead.Lead Score}}", "id": {{lead.Id}}, "c": {{my.Count}}}',
      requestTokenEncoding: 'JSON', headers: JSON_HEADERS, test: { tokens: { 'my.Count': 3 } },
    });
    assert.deepEqual(r.shown, []);
  });
});

describe('validation: Form/Url and None tokens in a JSON body', () => {
  it('{"first": {{lead.First Name}}} under Form/Url is an error, fixed by JSON encoding', () => {
    const r = found({ template: '{"first": {{lead.First Name}}}', requestTokenEncoding: 'Form/Url', headers: JSON_HEADERS });
    assert.deepEqual(r.shown, ['error json-token-unencoded: {{lead.First Name}}']);
    assert.match(r.diagnostics[0]!.message, /Form\/Url.*not JSON, for every lead\. Use "requestTokenEncoding": "JSON"/);
    assert.equal(unquoted(r.text, r.diagnostics[0]), r.text);
  });

  it('Form/Url inside a JSON string sends Ada+Lovelace: a warning, and the fix unquotes whole-value tokens', () => {
    const r = found({ template: '{"name": "{{lead.Full Name}}", "email": "{{lead.Email Address}}", "score": "{{lead.Lead Score}}"}', requestTokenEncoding: 'Form/Url', headers: JSON_HEADERS });
    assert.deepEqual(r.shown, ['warning json-token-unencoded: {{lead.Full Name}}', 'warning json-token-unencoded: {{lead.Email Address}}']);
    assert.match(r.diagnostics[0]!.message, /"Ada\+Lovelace"/);
    // The number-type token keeps its quotes: under JSON it still sends "87", as now.
    assert.equal(unquoted(r.text, r.diagnostics[1]), r.text.replace('\\"{{lead.Full Name}}\\"', '{{lead.Full Name}}').replace('\\"{{lead.Email Address}}\\"', '{{lead.Email Address}}'));
  });

  it('None with a token inside a JSON string: a warning citing TEKNKL, with the fix where JSON encoding can express it', () => {
    const whole = found({ template: '{"text": "{{lead.First Name}}", "n": 1}', headers: JSON_HEADERS });
    assert.deepEqual(whole.shown, ['warning json-token-unencoded: {{lead.First Name}}']);
    assert.match(whole.diagnostics[0]!.message, /If someone recommends “Request Token Encoding: None” in a webhook, always push back/);
    assert.equal(unquoted(whole.text, whole.diagnostics[0]), whole.text.replace('\\"{{lead.First Name}}\\"', '{{lead.First Name}}'));
    // Inside longer text JSON encoding cannot help: the warning stays, without a fix.
    const longer = found({ template: '{"text": "Hi {{lead.First Name}}"}', headers: JSON_HEADERS });
    assert.deepEqual(longer.shown, ['warning json-token-unencoded: {{lead.First Name}}']);
    assert.equal(longer.diagnostics[0]!.data?.toJson, undefined);
    assert.match(longer.diagnostics[0]!.message, /JSON encoding cannot help/);
  });

  it('None with a bare text token is an error, fixed by JSON encoding; a bare number is fine', () => {
    const r = found({ template: '{"c": {{lead.City}}, "s": {{lead.Lead Score:default=0}}, "b": {{lead.Is Lead}}}', headers: JSON_HEADERS });
    assert.deepEqual(r.shown, ['error json-token-unencoded: {{lead.City}}']);
    assert.ok(r.diagnostics[0]!.data?.toJson);
  });
});

describe('validation: test.tokens numbers and undefined My Tokens', () => {
  it('a number in test.tokens is accepted; true/false too; an array is not', () => {
    assert.deepEqual(found({ test: { tokens: { 'my.Count': 5, 'my.Flag': true } } }).shown, []);
    assert.deepEqual(found({ test: { tokens: { 'my.List': [1] } } }).shown.map((s) => s.split(':')[0]), ['error token-value-invalid']);
  });

  it('an undefined My Token is flagged, saying it is sent empty', () => {
    const r = found({ template: '{"a": {{my.Missing}}}', requestTokenEncoding: 'JSON', headers: JSON_HEADERS });
    assert.deepEqual(r.shown, ['warning token-no-test-value: {{my.Missing}}']);
    assert.match(r.diagnostics[0]!.message, /without a value it is sent empty/);
  });
});
