import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { definitionOutline, NOT_IN_MARKETO, UNKNOWN_KEY, UNNAMED_WEBHOOK, type OutlineSymbol } from '../../src/engine/definition/outline';

/** A symbol in a form a test can state: the text of its range and of its selection range. */
interface Shown {
  name: string;
  detail: string;
  kind: OutlineSymbol['kind'];
  range: string;
  selection: string;
  children?: Shown[];
}

function show(text: string, symbols: OutlineSymbol[]): Shown[] {
  return symbols.map((s) => ({
    name: s.name,
    detail: s.detail,
    kind: s.kind,
    range: text.slice(s.offset, s.offset + s.length),
    selection: text.slice(s.selectionOffset, s.selectionOffset + s.selectionLength),
    ...(s.children.length > 0 ? { children: show(text, s.children) } : {}),
  }));
}

const outline = (text: string): Shown[] => show(text, definitionOutline(text));

describe('definitionOutline', () => {
  it('lists the webhook, its keys with their Marketo fields, headers, mappings and the test section', () => {
    const text = `// Enrich
{
  "name": "Enrich company", // Webhook Name
  "url": "https://api.example.com/v1/person",
  "requestType": "PUT",
  "template": ["{", "}"],
  "headers": {
    "Content-Type": "application/json",
    "Authorization": "Bearer {{my.Key}}"
  },
  "responseMappings": [
    { "responseAttribute": "company.name", "marketoField": "Company" },
    { "responseAttribute": "tech[0]", "marketoField": "Industry" },
  ],
  "test": {
    "lead": "ada.lead.json",
    "campaign": "batch",
    "tokens": { "my.Key": { "secret": "KEY" }, "campaign.name": "Signup" },
    "timeoutMs": 5000
  },
  "extra": true
}
`;
    const rootText = text.slice(text.indexOf('{\n'), text.lastIndexOf('}') + 1);
    assert.deepEqual(outline(text), [{
      name: 'Enrich company',
      detail: 'PUT https://api.example.com/v1/person',
      kind: 'webhook',
      range: rootText,
      selection: '"Enrich company"',
      children: [
        { name: 'name', detail: 'Webhook Name', kind: 'string', range: '"name": "Enrich company"', selection: '"name"' },
        { name: 'url', detail: 'URL', kind: 'string', range: '"url": "https://api.example.com/v1/person"', selection: '"url"' },
        { name: 'requestType', detail: 'Request Type', kind: 'enum', range: '"requestType": "PUT"', selection: '"requestType"' },
        { name: 'template', detail: 'Template', kind: 'array', range: '"template": ["{", "}"]', selection: '"template"' },
        {
          name: 'headers', detail: 'Set Custom Header', kind: 'object',
          range: '"headers": {\n    "Content-Type": "application/json",\n    "Authorization": "Bearer {{my.Key}}"\n  }',
          selection: '"headers"',
          children: [
            { name: 'Content-Type: application/json', detail: '', kind: 'header', range: '"Content-Type": "application/json"', selection: '"Content-Type"' },
            { name: 'Authorization: Bearer {{my.Key}}', detail: '', kind: 'header', range: '"Authorization": "Bearer {{my.Key}}"', selection: '"Authorization"' },
          ],
        },
        {
          name: 'responseMappings', detail: 'Response Mappings', kind: 'array',
          range: '"responseMappings": [\n    { "responseAttribute": "company.name", "marketoField": "Company" },\n    { "responseAttribute": "tech[0]", "marketoField": "Industry" },\n  ]',
          selection: '"responseMappings"',
          children: [
            {
              name: 'company.name → Company', detail: '', kind: 'mapping',
              range: '{ "responseAttribute": "company.name", "marketoField": "Company" }',
              selection: '{ "responseAttribute": "company.name", "marketoField": "Company" }',
            },
            {
              name: 'tech[0] → Industry', detail: '', kind: 'mapping',
              range: '{ "responseAttribute": "tech[0]", "marketoField": "Industry" }',
              selection: '{ "responseAttribute": "tech[0]", "marketoField": "Industry" }',
            },
          ],
        },
        {
          name: 'test', detail: NOT_IN_MARKETO, kind: 'object',
          range: text.slice(text.indexOf('"test": {'), text.indexOf('5000\n  }') + 8),
          selection: '"test"',
          children: [
            { name: 'lead', detail: 'ada.lead.json', kind: 'string', range: '"lead": "ada.lead.json"', selection: '"lead"' },
            { name: 'campaign', detail: 'batch', kind: 'enum', range: '"campaign": "batch"', selection: '"campaign"' },
            {
              name: 'tokens', detail: '2 tokens', kind: 'object',
              range: '"tokens": { "my.Key": { "secret": "KEY" }, "campaign.name": "Signup" }',
              selection: '"tokens"',
              children: [
                { name: 'my.Key', detail: 'secret KEY', kind: 'token', range: '"my.Key": { "secret": "KEY" }', selection: '"my.Key"' },
                { name: 'campaign.name', detail: 'Signup', kind: 'token', range: '"campaign.name": "Signup"', selection: '"campaign.name"' },
              ],
            },
            { name: 'timeoutMs', detail: '5000 ms', kind: 'number', range: '"timeoutMs": 5000', selection: '"timeoutMs"' },
          ],
        },
        { name: 'extra', detail: UNKNOWN_KEY, kind: 'boolean', range: '"extra": true', selection: '"extra"' },
      ],
    }]);
  });

  it('defaults the method to POST and shows only it when there is no URL', () => {
    const [root] = outline('{ "name": "A" }');
    assert.equal(root?.detail, 'POST');
    assert.equal(outline('{ "name": "A", "url": "https://x.example/" }')[0]?.detail, 'POST https://x.example/');
  });

  it('names an unnamed webhook; selects its name string, else its opening brace', () => {
    for (const [text, selection] of [['{}', '{'], ['{ "name": 3 }', '{'], ['{ "name": "" }', '""'], ['{ "name": "  " }', '"  "']]) {
      const [root] = outline(text!);
      assert.equal(root?.name, UNNAMED_WEBHOOK, text);
      assert.equal(root?.selection, selection, text);
    }
  });

  it('describes an inline lead by its size and the $schema key as not part of Marketo', () => {
    const [root] = outline('{ "$schema": "./s.json", "test": { "lead": { "Email": "a@b.c" } } }');
    assert.deepEqual(root?.children?.map((c) => [c.name, c.detail]), [['$schema', NOT_IN_MARKETO], ['test', NOT_IN_MARKETO]]);
    assert.equal(root?.children?.[1]?.children?.[0]?.detail, 'inline lead, 1 field');
  });

  it('keeps each symbol on one line and short', () => {
    const long = 'x'.repeat(300);
    const [root] = outline(`{ "name": "line one\\nline two", "url": "https://x.example/${long}" }`);
    assert.equal(root?.name, 'line one line two');
    assert.equal(root?.detail.length, 'POST '.length + 120);
    assert.ok(root?.detail.endsWith('…'));
  });

  it('marks mapping sides not written yet with ?', () => {
    const [root] = outline('{ "responseMappings": [ { "marketoField": "City" }, {}, "not a mapping", { "responseAttribute": 1 } ] }');
    assert.deepEqual(root?.children?.[0]?.children?.map((c) => c.name), ['? → City', '? → ?', '? → ?']);
  });

  it('reads what it can of half-typed JSON and never throws', () => {
    assert.deepEqual(outline('{ "name": "Enr'), [{
      name: 'Enr', detail: 'POST', kind: 'webhook', range: '{ "name": "Enr', selection: '"Enr',
      children: [{ name: 'name', detail: 'Webhook Name', kind: 'string', range: '"name": "Enr', selection: '"name"' }],
    }]);
    assert.deepEqual(outline('{ "name": "A", "headers": { "X-Id": ')[0]?.children?.[1], {
      name: 'headers', detail: 'Set Custom Header', kind: 'object', range: '"headers": { "X-Id": ', selection: '"headers"',
      children: [{ name: 'X-Id', detail: '', kind: 'header', range: '"X-Id": ', selection: '"X-Id"' }],
    });
    assert.deepEqual(outline('{ "url": "https://a.example", "requestType": ')[0]?.children?.map((c) => [c.name, c.kind]), [['url', 'string'], ['requestType', 'key']]);
    const inputs = ['', '   ', '// only a comment', '[1, 2]', '"a string"', '{', '}', '{ "a" "b" }', '{ "test": { "tokens": { "my.x": ',
      '{ "responseMappings": [ { "responseAttribute": "a", ', '\u0000\u0001\u00ff binary', '{ "name": "a" } trailing', '{{{{', '{ , , }'];
    for (const text of inputs) {
      const symbols = definitionOutline(text);
      // Every selection lies inside its range, as VS Code requires.
      const check = (list: OutlineSymbol[]): void => {
        for (const s of list) {
          assert.ok(s.name.trim() !== '', `empty name for ${JSON.stringify(text)}`);
          assert.ok(s.selectionOffset >= s.offset && s.selectionOffset + s.selectionLength <= s.offset + s.length, JSON.stringify(text));
          check(s.children);
        }
      };
      check(symbols);
    }
    assert.deepEqual(definitionOutline(''), []);
    assert.deepEqual(definitionOutline('[1, 2]'), []);
  });

  it('reads no file over 5 MB', () => {
    assert.deepEqual(definitionOutline(`{ "name": "big", "description": "${'x'.repeat(5 * 1024 * 1024)}" }`), []);
  });
});
