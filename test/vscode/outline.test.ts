import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { EXTENSION_ID, rangeOf, workspaceFile } from './util';

/** A symbol as the tests state it: ranges as the exact text they cover (unique in the file). */
interface Expected {
  name: string;
  detail: string;
  kind: vscode.SymbolKind;
  range: string;
  selection: string;
  children?: Expected[];
}

interface Seen {
  name: string;
  detail: string;
  kind: vscode.SymbolKind;
  range: vscode.Range;
  selection: vscode.Range;
  children: Seen[];
}

function seen(symbols: readonly vscode.DocumentSymbol[]): Seen[] {
  return symbols.map((s) => ({ name: s.name, detail: s.detail, kind: s.kind, range: s.range, selection: s.selectionRange, children: seen(s.children) }));
}

function expected(document: vscode.TextDocument, symbols: readonly Expected[]): Seen[] {
  return symbols.map((s) => ({
    name: s.name, detail: s.detail, kind: s.kind,
    range: rangeOf(document, s.range), selection: rangeOf(document, s.selection),
    children: expected(document, s.children ?? []),
  }));
}

async function symbolsOf(uri: vscode.Uri): Promise<vscode.DocumentSymbol[]> {
  return (await vscode.commands.executeCommand<vscode.DocumentSymbol[] | undefined>('vscode.executeDocumentSymbolProvider', uri)) ?? [];
}

describe('outline', () => {
  before(async () => {
    await vscode.extensions.getExtension(EXTENSION_ID)?.activate();
  });

  it('lists the webhook, its keys with their Marketo fields, headers, mappings and the test section', async () => {
    const document = await vscode.workspace.openTextDocument(workspaceFile('outline-enrich.webhook.jsonc'));
    const K = vscode.SymbolKind;
    const root = document.getText().slice(document.getText().indexOf('{'));
    const tree: Expected[] = [{
      name: 'Enrich company', detail: 'GET https://api.example.com/v1/person', kind: K.Module,
      range: root.trimEnd(), selection: '"Enrich company"',
      children: [
        { name: 'name', detail: 'Webhook Name', kind: K.String, range: '"name": "Enrich company"', selection: '"name"' },
        { name: 'url', detail: 'URL', kind: K.String, range: '"url": "https://api.example.com/v1/person"', selection: '"url"' },
        { name: 'requestType', detail: 'Request Type', kind: K.EnumMember, range: '"requestType": "GET"', selection: '"requestType"' },
        { name: 'responseType', detail: 'Response Type', kind: K.EnumMember, range: '"responseType": "JSON"', selection: '"responseType"' },
        {
          name: 'headers', detail: 'Set Custom Header', kind: K.Object,
          range: '"headers": {\n    "Accept": "application/json",\n    "X-Source": "marketo"\n  }', selection: '"headers"',
          children: [
            { name: 'Accept: application/json', detail: '', kind: K.Property, range: '"Accept": "application/json"', selection: '"Accept"' },
            { name: 'X-Source: marketo', detail: '', kind: K.Property, range: '"X-Source": "marketo"', selection: '"X-Source"' },
          ],
        },
        {
          name: 'responseMappings', detail: 'Response Mappings', kind: K.Array,
          range: '"responseMappings": [\n    { "responseAttribute": "company.name", "marketoField": "Company" },\n    { "responseAttribute": "company.city", "marketoField": "City" }\n  ]',
          selection: '"responseMappings"',
          children: [
            {
              name: 'company.name → Company', detail: '', kind: K.Field,
              range: '{ "responseAttribute": "company.name", "marketoField": "Company" }',
              selection: '{ "responseAttribute": "company.name", "marketoField": "Company" }',
            },
            {
              name: 'company.city → City', detail: '', kind: K.Field,
              range: '{ "responseAttribute": "company.city", "marketoField": "City" }',
              selection: '{ "responseAttribute": "company.city", "marketoField": "City" }',
            },
          ],
        },
        {
          name: 'test', detail: 'not part of Marketo', kind: K.Object,
          range: '"test": {\n    "campaign": "trigger",\n    "tokens": { "my.Region": "EMEA" },\n    "timeoutMs": 5000\n  }', selection: '"test"',
          children: [
            { name: 'campaign', detail: 'trigger', kind: K.EnumMember, range: '"campaign": "trigger"', selection: '"campaign"' },
            {
              name: 'tokens', detail: '1 token', kind: K.Object, range: '"tokens": { "my.Region": "EMEA" }', selection: '"tokens"',
              children: [{ name: 'my.Region', detail: 'EMEA', kind: K.Variable, range: '"my.Region": "EMEA"', selection: '"my.Region"' }],
            },
            { name: 'timeoutMs', detail: '5000 ms', kind: K.Number, range: '"timeoutMs": 5000', selection: '"timeoutMs"' },
          ],
        },
      ],
    }];
    const symbols = await symbolsOf(document.uri);
    assert.deepEqual(seen(symbols), expected(document, tree));
    // The root starts at the opening brace, below the file's leading comment, and ends at its close.
    assert.ok(symbols[0]!.range.isEqual(new vscode.Range(1, 0, 19, 1)), JSON.stringify(symbols[0]!.range));
  });

  it('reads what it can of half-typed JSON without an error', async () => {
    const document = await vscode.workspace.openTextDocument({
      language: 'marketo-webhook',
      content: '{\n  "name": "Half typed",\n  "responseMappings": [ { "responseAttribute": "a" } ],\n  "headers": { "Accept": "text/plain", "X-Id": ',
    });
    const symbols = await symbolsOf(document.uri);
    assert.equal(symbols.length, 1);
    assert.equal(symbols[0]!.name, 'Half typed');
    assert.deepEqual(symbols[0]!.children.map((c) => c.name), ['name', 'responseMappings', 'headers']);
    assert.deepEqual(symbols[0]!.children[1]!.children.map((c) => c.name), ['a → ?']);
    // A header typed up to its colon: its name, its range the key and colon.
    const headers = symbols[0]!.children[2]!;
    assert.deepEqual(headers.children.map((c) => c.name), ['Accept: text/plain', 'X-Id']);
    assert.ok(headers.children[1]!.range.isEqual(rangeOf(document, '"X-Id": ')));
  });

  it('never fails on text that is no definition, and lists nothing for one that is no object', async () => {
    for (const content of ['', '[1, 2]', '}{', '\u0000\u0001binary\u00ff', '{ "name": ']) {
      const document = await vscode.workspace.openTextDocument({ language: 'marketo-webhook', content });
      const symbols = await symbolsOf(document.uri);
      assert.ok(Array.isArray(symbols), content);
    }
    const empty = await vscode.workspace.openTextDocument({ language: 'marketo-webhook', content: '[1, 2]' });
    assert.deepEqual(await symbolsOf(empty.uri), []);
  });
});
