import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { EXTENSION_ID, workspaceFile } from './util';

function labelOf(item: vscode.CompletionItem): string {
  return typeof item.label === 'string' ? item.label : item.label.label;
}

function insertTextOf(item: vscode.CompletionItem): string | undefined {
  const text = item.insertText;
  return text instanceof vscode.SnippetString ? text.value : text;
}

function rangeOfItem(item: vscode.CompletionItem): vscode.Range | undefined {
  const range = item.range;
  return range instanceof vscode.Range ? range : range?.replacing;
}

async function untitled(content: string): Promise<vscode.TextDocument> {
  const document = await vscode.workspace.openTextDocument({ language: 'marketo-webhook', content });
  await vscode.window.showTextDocument(document);
  return document;
}

/** The position just after the first `marker` in the document (or before it, with `before`). */
function after(document: vscode.TextDocument, marker: string, before = false): vscode.Position {
  const offset = document.getText().indexOf(marker);
  assert.ok(offset >= 0, `"${marker}" is not in the document`);
  return document.positionAt(before ? offset : offset + marker.length);
}

async function complete(document: vscode.TextDocument, position: vscode.Position, trigger?: string): Promise<vscode.CompletionItem[]> {
  const list = await vscode.commands.executeCommand<vscode.CompletionList>('vscode.executeCompletionItemProvider', document.uri, position, trigger);
  return list.items;
}

/** Items of this extension's kinds only: word-based and snippet suggestions are other providers'. */
function ofKind(items: vscode.CompletionItem[], ...kinds: vscode.CompletionItemKind[]): vscode.CompletionItem[] {
  return items.filter((i) => i.kind !== undefined && kinds.includes(i.kind));
}

function find(items: vscode.CompletionItem[], label: string): vscode.CompletionItem {
  const item = items.find((i) => labelOf(i) === label);
  assert.ok(item, `no item "${label}" among ${items.map(labelOf).slice(0, 40).join(', ')}`);
  return item;
}

describe('completion', () => {
  it('offers lead display names after {{lead., custom fields from marketo-fields.json included', async () => {
    const document = await vscode.workspace.openTextDocument(workspaceFile('custom/completion-custom.webhook.jsonc'));
    await vscode.window.showTextDocument(document);
    const items = await complete(document, after(document, '{{lead.'), '.');
    const labels = items.map(labelOf);
    for (const name of ['First Name', 'Email Address', 'Loyalty Tier', 'Lead Owner Email Address']) assert.ok(labels.includes(name), `missing ${name}`);
    const custom = find(items, 'Loyalty Tier');
    assert.equal(custom.kind, vscode.CompletionItemKind.Field);
    assert.equal(custom.detail, 'string (50) · REST loyaltyTier · SOAP Loyalty_Tier__c · custom');
    // The token is closed already: only the name is inserted, over the name written.
    assert.equal(insertTextOf(custom), 'Loyalty Tier');
    assert.ok(rangeOfItem(custom)?.isEqual(new vscode.Range(after(document, '{{lead.'), after(document, '{{lead.Loyalty Tier'))));
    assert.equal(find(items, 'Email Address').detail, 'email (255) · REST email · SOAP Email');
  });

  it('closes the token when }} is not there yet, and offers :default= after a name', async () => {
    const document = await untitled('{ "name": "x", "url": "https://x.example/?e={{lead.Em" }');
    const items = await complete(document, after(document, '{{lead.Em'));
    const email = find(items, 'Email Address');
    assert.equal(insertTextOf(email), 'Email Address}}');
    assert.ok(rangeOfItem(email)?.isEqual(new vscode.Range(after(document, '{{lead.'), after(document, '{{lead.Em'))));
    const fallback = find(items, ':default=');
    // A snippet: `}` is escaped in it.
    assert.equal(insertTextOf(fallback), 'Em:default=$1\\}\\}');

    const typed = await untitled('{ "name": "x", "url": "https://x.example/?f={{lead.First Name:" }');
    const marker = find(await complete(typed, after(typed, 'First Name:'), ':'), ':default=');
    assert.equal(insertTextOf(marker), ':default=$1\\}\\}');
    assert.ok(rangeOfItem(marker)?.isEqual(new vscode.Range(after(typed, 'First Name'), after(typed, 'First Name:'))));
  });

  it('offers the namespaces after {{, and suggests again after one is chosen', async () => {
    const document = await untitled('{ "name": "x", "url": "https://x.example/{{" }');
    const items = ofKind(await complete(document, after(document, '{{'), '{'), vscode.CompletionItemKind.Module);
    assert.deepEqual(items.map(labelOf), ['lead.', 'Company.', 'my.', 'campaign.', 'program.', 'member.', 'trigger.', 'system.']);
    const lead = find(items, 'lead.');
    assert.equal(insertTextOf(lead), 'lead.');
    assert.equal(lead.command?.command, 'editor.action.triggerSuggest');
  });

  it('offers company tokens, the my. tokens declared in test.tokens, and campaign names', async () => {
    const document = await untitled([
      '{',
      '  "name": "x",',
      '  "url": "https://x.example/{{my.}}/{{Company.}}/{{campaign.}}",',
      '  "test": { "tokens": { "my.Region": "EMEA", "My.API Key": { "secret": "COMPLETION_API_KEY" }, "campaign.name": "Spring" } }',
      '}',
    ].join('\n'));
    const my = await complete(document, after(document, '{{my.'), '.');
    assert.deepEqual(ofKind(my, vscode.CompletionItemKind.Variable).map(labelOf).sort(), ['API Key', 'Region']);
    assert.equal(find(my, 'Region').detail, 'test.tokens: "EMEA"');
    assert.equal(find(my, 'API Key').detail, 'test.tokens: •••• (secret COMPLETION_API_KEY)');
    assert.equal(insertTextOf(find(my, 'Region')), 'Region');
    const company = await complete(document, after(document, '{{Company.'), '.');
    assert.equal(find(company, 'City').detail, 'reads the lead field Billing City');
    assert.ok(company.map(labelOf).includes('Company Name'));
    const campaign = await complete(document, after(document, '{{campaign.'), '.');
    assert.deepEqual(ofKind(campaign, vscode.CompletionItemKind.Constant).map(labelOf).sort(), ['description', 'id', 'name']);
  });

  it('offers in test.tokens the tokens used without a value, but not those the sample lead or the clock gives', async () => {
    const document = await untitled([
      '{',
      '  "name": "x",',
      '  "url": "https://x.example/{{lead.City}}/{{Company.City}}/{{trigger.Web Page}}/{{system.date}}/{{my.Region}}/{{member.Status}}",',
      '  "test": { "tokens": { "my.Region": "EMEA", "" } }',
      '}',
    ].join('\n'));
    const items = ofKind(await complete(document, after(document, '"EMEA", "'), '"'), vscode.CompletionItemKind.Variable);
    assert.deepEqual(items.map(labelOf).sort(), ['Company.City', 'member.Status', 'trigger.Web Page']);
    assert.equal(find(items, 'trigger.Web Page').detail, 'the value of {{trigger.Web Page}} in a run');
  });

  it('offers the keys not yet written, with the Marketo field as detail', async () => {
    const document = await untitled('{\n  "name": "x",\n  "url": "https://x.example",\n  \n}');
    const position = after(document, '"https://x.example",\n  ');
    const keys = ofKind(await complete(document, position), vscode.CompletionItemKind.Property);
    assert.deepEqual(keys.map(labelOf).sort(), ['$schema', 'description', 'headers', 'requestTokenEncoding', 'requestType', 'responseMappings', 'responseType', 'template', 'test']);
    const requestType = find(keys, 'requestType');
    assert.equal(requestType.detail, 'Marketo: Request Type');
    assert.equal(insertTextOf(requestType), '"requestType": "${1|POST,GET,PUT,PATCH,DELETE|}"');
    assert.match((requestType.documentation as vscode.MarkdownString).value, /The HTTP method/);

    const inTest = await untitled('{ "name": "x", "url": "https://x.example", "test": { "lead": "a.lead.json", "" } }');
    const testKeys = ofKind(await complete(inTest, after(inTest, '"a.lead.json", "'), '"'), vscode.CompletionItemKind.Property);
    assert.deepEqual(testKeys.map(labelOf).sort(), ['campaign', 'timeoutMs', 'tokens']);
    // Typed inside quotes: the item replaces the quotes too.
    const campaign = find(testKeys, 'campaign');
    assert.equal(insertTextOf(campaign), '"campaign": "${1|trigger,batch|}"');
    assert.ok(rangeOfItem(campaign)?.isEqual(new vscode.Range(after(inTest, '"a.lead.json", '), after(inTest, '"a.lead.json", ""'))));

    // On the line after a value with no comma: the item adds the comma after that value, and one
    // of its own before the property that follows.
    const noComma = await untitled('{\n  "name": "x"\n  \n  "url": "https://x.example"\n}');
    const template = find(ofKind(await complete(noComma, after(noComma, '"x"\n  ')), vscode.CompletionItemKind.Property), 'template');
    assert.equal(insertTextOf(template), '"template": "$1",');
    assert.deepEqual(template.additionalTextEdits?.map((e) => ({ at: noComma.offsetAt(e.range.start), empty: e.range.isEmpty, text: e.newText })), [{ at: noComma.getText().indexOf('"x"') + 3, empty: true, text: ',' }]);
  });

  it('offers enum values, the default marked', async () => {
    const document = await untitled('{ "name": "x", "url": "https://x.example", "requestType": "", "requestTokenEncoding": "JS", "test": { "campaign": "" } }');
    const methods = ofKind(await complete(document, after(document, '"requestType": "'), '"'), vscode.CompletionItemKind.EnumMember);
    assert.deepEqual(methods.map(labelOf), ['GET', 'POST', 'PUT', 'PATCH', 'DELETE']);
    const post = find(methods, 'POST');
    assert.deepEqual(post.label, { label: 'POST', description: 'default' });
    assert.equal(post.preselect, true);
    assert.equal(insertTextOf(post), 'POST');
    const encodings = ofKind(await complete(document, after(document, '"JS')), vscode.CompletionItemKind.EnumMember);
    assert.deepEqual(encodings.map(labelOf), ['None', 'Form/Url', 'JSON']);
    assert.ok(rangeOfItem(find(encodings, 'JSON'))?.isEqual(new vscode.Range(after(document, '"requestTokenEncoding": "'), after(document, '"JS'))));
    const campaigns = ofKind(await complete(document, after(document, '"campaign": "'), '"'), vscode.CompletionItemKind.EnumMember);
    assert.deepEqual(campaigns.map(labelOf), ['trigger', 'batch']);

    // No quotes written yet: the item brings them.
    const bare = await untitled('{ "name": "x", "url": "https://x.example", "responseType": }');
    const types = ofKind(await complete(bare, after(bare, '"responseType": ')), vscode.CompletionItemKind.EnumMember);
    assert.equal(insertTextOf(find(types, 'XML')), '"XML"');
  });

  it('offers SOAP names for marketoField, with display name and type', async () => {
    const document = await untitled('{ "name": "x", "url": "https://x.example", "responseType": "JSON", "responseMappings": [{ "responseAttribute": "a", "marketoField": "" }] }');
    const items = await complete(document, after(document, '"marketoField": "'), '"');
    const first = find(items, 'FirstName');
    assert.equal(first.detail, 'First Name · string (255)');
    assert.equal(first.filterText, 'FirstName First Name');
    assert.equal(insertTextOf(first), 'FirstName');
    assert.ok(!items.map(labelOf).includes('First Name'), 'display names are not offered as values');

    const custom = await vscode.workspace.openTextDocument(workspaceFile('custom/completion-custom.webhook.jsonc'));
    const customItems = await complete(custom, after(custom, '"marketoField": "'));
    assert.equal(find(customItems, 'Loyalty_Tier__c').detail, 'Loyalty Tier · string (50) · custom');
  });

  it('offers responseAttribute paths from the last response', async () => {
    const extension = vscode.extensions.getExtension<{ lastResponses?: { set(uri: vscode.Uri, body: unknown): void } }>(EXTENSION_ID);
    assert.ok(extension);
    const api = extension.isActive ? extension.exports : await extension.activate();
    assert.ok(api?.lastResponses, 'activate() must return { lastResponses } (src/extension/last-response.ts)');
    const document = await untitled('{ "name": "x", "url": "https://x.example", "responseType": "JSON", "responseMappings": [{ "responseAttribute": "", "marketoField": "Company" }] }');
    const position = after(document, '"responseAttribute": "');
    assert.deepEqual(ofKind(await complete(document, position, '"'), vscode.CompletionItemKind.Value, vscode.CompletionItemKind.Module), [], 'no paths before a run');
    api.lastResponses.set(document.uri, { company: { name: 'Acme', tech: ['Java', 'Go'] }, 'not mappable!': 1, count: 2 });
    const items = ofKind(await complete(document, position, '"'), vscode.CompletionItemKind.Value, vscode.CompletionItemKind.Module);
    assert.deepEqual(items.map(labelOf), ['company', 'company.name', 'company.tech', 'company.tech[0]', 'company.tech[1]', 'count']);
    assert.equal(find(items, 'company.name').detail, 'last response: "Acme"');
    assert.equal(find(items, 'company.tech').detail, 'last response: a list of 2');
    assert.equal(insertTextOf(find(items, 'company.tech[1]')), 'company.tech[1]');
  });

  it('offers nothing in a comment or in a plain string', async () => {
    const document = await untitled('// a {{lead. comment\n{ "name": "{{lead.", "url": "https://x.example" }');
    const inComment = await complete(document, after(document, 'a {{lead.'), '.');
    assert.equal(ofKind(inComment, vscode.CompletionItemKind.Field).length, 0);
    const inName = await complete(document, after(document, '"name": "{{lead.'), '.');
    assert.equal(ofKind(inName, vscode.CompletionItemKind.Field).length, 0);
  });
});
