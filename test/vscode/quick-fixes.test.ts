import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { waitFor } from './util';

/** Opens an untitled definition and waits until it has a diagnostic with `code`. */
async function openWith(content: string, code: string): Promise<{ document: vscode.TextDocument; diagnostic: vscode.Diagnostic }> {
  const document = await vscode.workspace.openTextDocument({ language: 'marketo-webhook', content });
  await vscode.window.showTextDocument(document);
  const diagnostic = await waitFor(`a ${code} diagnostic`, () => vscode.languages.getDiagnostics(document.uri).find((d) => d.code === code));
  return { document, diagnostic };
}

async function fixes(document: vscode.TextDocument, diagnostic: vscode.Diagnostic): Promise<vscode.CodeAction[]> {
  return vscode.commands.executeCommand<vscode.CodeAction[]>('vscode.executeCodeActionProvider', document.uri, diagnostic.range, vscode.CodeActionKind.QuickFix.value);
}

/** Applies the quick fix with this title and returns the document's new text. */
async function apply(content: string, code: string, fixTitle: string): Promise<{ text: string; action: vscode.CodeAction; document: vscode.TextDocument }> {
  const { document, diagnostic } = await openWith(content, code);
  const actions = await fixes(document, diagnostic);
  const action = actions.find((a) => a.title === fixTitle);
  assert.ok(action, `no fix "${fixTitle}" among ${JSON.stringify(actions.map((a) => a.title))}`);
  assert.ok(action.edit && (await vscode.workspace.applyEdit(action.edit)));
  await waitFor(`the ${code} diagnostic to go`, () => (vscode.languages.getDiagnostics(document.uri).some((d) => d.code === code) ? undefined : true));
  return { text: document.getText(), action, document };
}

const def = (fields: Record<string, unknown>) => JSON.stringify({ name: 'Fix me', url: 'https://x.example/hook', ...fields }, null, 2);

describe('quick fixes', () => {
  it('replaces an unknown lead token name with the display name', async () => {
    const content = def({ url: 'https://x.example/p/{{lead.FirstName}}' });
    const { text, action } = await apply(content, 'token-unknown-field', 'Change to "First Name"');
    assert.equal(text, content.replace('{{lead.FirstName}}', '{{lead.First Name}}'));
    assert.equal(action.isPreferred, true);
  });

  it('repairs a default written without :default', async () => {
    const content = def({ url: 'https://x.example/p/{{lead.Company=edit me}}' });
    const { text } = await apply(content, 'token-default-syntax', 'Change to {{lead.Company Name:default=edit me}}');
    assert.equal(text, content.replace('{{lead.Company=edit me}}', '{{lead.Company Name:default=edit me}}'));
  });

  it('removes the quotes around a token under JSON encoding', async () => {
    const content = def({ template: '{"email": "{{lead.Email Address}}"}', requestTokenEncoding: 'JSON', headers: { 'Content-Type': 'application/json' } });
    const { text } = await apply(content, 'token-quoted-json', 'Remove the quotes around the token');
    assert.equal(text, content.replace('\\"{{lead.Email Address}}\\"', '{{lead.Email Address}}'));
  });

  it('adds :default=0 to a number-type token that may be empty', async () => {
    const content = def({ template: '{"score": {{lead.Lead Score}}}', requestTokenEncoding: 'JSON', headers: { 'Content-Type': 'application/json' } });
    const { text, action } = await apply(content, 'json-token-empty', 'Send 0 when the value is empty (:default=0)');
    assert.equal(text, content.replace('{{lead.Lead Score}}', '{{lead.Lead Score:default=0}}'));
    assert.equal(action.isPreferred, true);
  });

  it('switches a Form/Url token standing bare in a JSON body to JSON encoding', async () => {
    const content = def({ template: '{"first": {{lead.First Name}}}', requestTokenEncoding: 'Form/Url', headers: { 'Content-Type': 'application/json' } });
    const { text } = await apply(content, 'json-token-unencoded', 'Use JSON encoding');
    assert.equal(text, content.replace('"Form/Url"', '"JSON"'));
  });

  it('switches None with tokens inside JSON strings to JSON encoding, the string-type whole values unquoted', async () => {
    const content = def({
      template: ['{', '  "first": "{{lead.First Name}}",', '  "score": "{{lead.Lead Score}}",', '  "n": 1', '}'],
      headers: { 'Content-Type': 'application/json' },
    });
    const { text, document } = await apply(content, 'json-token-unencoded', 'Use JSON encoding, the tokens unquoted');
    const parsed = JSON.parse(text) as { template: string[]; requestTokenEncoding: string };
    assert.equal(parsed.requestTokenEncoding, 'JSON');
    // The number-type token keeps its quotes: it still sends "87".
    assert.deepEqual(parsed.template, ['{', '  "first": {{lead.First Name}},', '  "score": "{{lead.Lead Score}}",', '  "n": 1', '}']);
    assert.deepEqual(vscode.languages.getDiagnostics(document.uri).map((d) => d.code), []);
  });

  it('offers no switch to JSON encoding where a token stands inside longer text', async () => {
    const { document, diagnostic } = await openWith(def({ template: '{"text": "Hi {{lead.First Name}}"}', headers: { 'Content-Type': 'application/json' } }), 'json-token-unencoded');
    assert.equal(diagnostic.severity, vscode.DiagnosticSeverity.Warning);
    assert.deepEqual((await fixes(document, diagnostic)).map((a) => a.title), []);
  });

  it('adds Content-Type: application/json, with and without a headers object', async () => {
    const bare = def({ template: '{"a": {{lead.City}}}', requestTokenEncoding: 'JSON' });
    const { text } = await apply(bare, 'json-body-without-content-type', 'Add the header "Content-Type: application/json"');
    assert.deepEqual(JSON.parse(text), { ...(JSON.parse(bare) as object), headers: { 'Content-Type': 'application/json' } });
    const withHeaders = def({ template: '{"a": {{lead.City}}}', requestTokenEncoding: 'JSON', headers: { 'X-Trace': 'on' } });
    const second = await apply(withHeaders, 'json-body-without-content-type', 'Add the header "Content-Type: application/json"');
    assert.deepEqual((JSON.parse(second.text) as { headers: unknown }).headers, { 'X-Trace': 'on', 'Content-Type': 'application/json' });
  });

  it('replaces a display name with the SOAP API name in a mapping', async () => {
    const content = def({ responseType: 'JSON', responseMappings: [{ responseAttribute: 'person.first', marketoField: 'First Name' }] });
    const { text } = await apply(content, 'marketo-field-not-soap-name', 'Use the SOAP API name "FirstName"');
    assert.equal(text, content.replace('"marketoField": "First Name"', '"marketoField": "FirstName"'));
  });

  it('replaces an invalid enum value with the closest valid one', async () => {
    const content = def({ requestTokenEncoding: 'json' });
    const { text } = await apply(content, 'invalid-enum', 'Change to "JSON"');
    assert.equal(text, content.replace('"json"', '"JSON"'));
  });

  it('moves a literal credential into a secret token and stores it', async () => {
    const content = `{
  // a comment that must survive
  "name": "Fix me",
  "url": "https://x.example/hook",
  "headers": { "Authorization": "Bearer sk_live_abcdef123456" }
}`;
    const { text, action } = await apply(content, 'literal-credential', 'Move the credential into the secret token {{my.API Token}}');
    assert.ok(text.includes('// a comment that must survive'));
    assert.ok(text.includes('"Authorization": "Bearer {{my.API Token}}"'), text);
    assert.ok(!text.includes('sk_live_abcdef123456'));
    const parsed = JSON.parse(text.replace(/\/\/.*$/m, '')) as { test: { tokens: Record<string, unknown> } };
    assert.deepEqual(parsed.test.tokens, { 'my.API Token': { secret: 'API_TOKEN' } });
    assert.deepEqual(action.command?.arguments, ['API_TOKEN', 'sk_live_abcdef123456']);
    await vscode.commands.executeCommand(action.command.command, ...action.command.arguments);
    const names = await vscode.commands.executeCommand<string[]>('marketoWebhook.secretNames');
    assert.ok(names.includes('API_TOKEN'));
  });

  it('a text token raw in the URL\'s query: sets Request Token Encoding to Form/Url, or adds it', async () => {
    const url = 'https://x.example/hook?email={{lead.Email Address}}';
    const title = 'Set Request Token Encoding to Form/Url (encodes URL tokens)';
    const json = def({ url, requestTokenEncoding: 'JSON' });
    const { text, action } = await apply(json, 'url-token-unencoded', title);
    assert.equal(text, json.replace('"requestTokenEncoding": "JSON"', '"requestTokenEncoding": "Form/Url"'));
    assert.equal(action.isPreferred, true);
    const form = def({ url, template: 'a={{lead.City}}' });
    const added = await apply(form, 'url-token-unencoded', title);
    assert.deepEqual(JSON.parse(added.text), { ...(JSON.parse(form) as object), requestTokenEncoding: 'Form/Url' });
  });

  it('a text token raw in the URL\'s query beside a JSON body: no encoding fix (Form/Url would break the body)', async () => {
    const { document, diagnostic } = await openWith(def({
      url: 'https://x.example/hook?email={{lead.Email Address}}', requestTokenEncoding: 'JSON',
      template: '{"city": {{lead.City}}}', headers: { 'Content-Type': 'application/json' },
    }), 'url-token-unencoded');
    assert.deepEqual((await fixes(document, diagnostic)).map((a) => a.title).filter((t) => t.includes('Request Token Encoding')), []);
  });

  it('offers nothing stale: no fix once the text changed and before it is validated again', async () => {
    const { document, diagnostic } = await openWith(def({ requestTokenEncoding: 'json' }), 'invalid-enum');
    const edit = new vscode.WorkspaceEdit();
    edit.insert(document.uri, new vscode.Position(0, 0), ' ');
    await vscode.workspace.applyEdit(edit);
    // Within the debounce the findings belong to the old text.
    const actions = await fixes(document, diagnostic);
    assert.deepEqual(actions.filter((a) => a.title.startsWith('Change to')), []);
  });
});
