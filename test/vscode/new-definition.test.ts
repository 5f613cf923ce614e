import * as assert from 'node:assert/strict';
import { parse as parseJsonc, type ParseError } from 'jsonc-parser';
import * as vscode from 'vscode';
import { EXTENSION_ID, rangeOf, workspaceFile } from './util';

const COMMAND = 'marketoWebhook.newDefinition';

interface Summary { errors: number; warnings: number }

async function readText(uri: vscode.Uri): Promise<string> {
  return new TextDecoder().decode(await vscode.workspace.fs.readFile(uri));
}

function parse(text: string): unknown {
  const errors: ParseError[] = [];
  const value: unknown = parseJsonc(text, errors, { allowTrailingComma: true, disallowComments: false });
  assert.deepEqual(errors, [], `parses as JSONC:\n${text}`);
  return value;
}

/** Gives the debounced validation time to run, then returns what the Problems panel holds. */
async function settledDiagnostics(uri: vscode.Uri): Promise<vscode.Diagnostic[]> {
  await new Promise((resolve) => setTimeout(resolve, 500));
  return vscode.languages.getDiagnostics(uri);
}

describe('New Definition command', () => {
  const created: vscode.Uri[] = [];

  before(async () => {
    await vscode.extensions.getExtension(EXTENSION_ID)?.activate();
  });

  after(async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    for (const uri of created) await vscode.workspace.fs.delete(uri, { recursive: true, useTrash: false }).then(undefined, () => undefined);
  });

  it('is contributed as "Marketo Webhook: New Definition"', async () => {
    assert.ok((await vscode.commands.getCommands(true)).includes(COMMAND));
    const contributed = (vscode.extensions.getExtension(EXTENSION_ID)!.packageJSON as { contributes: { commands: { command: string; title: string; category: string }[] } }).contributes.commands;
    const command = contributed.find((c) => c.command === COMMAND);
    assert.deepEqual(command && `${command.category}: ${command.title}`, 'Marketo Webhook: New Definition');
  });

  it('creates enrich-lead.webhook.jsonc in the workspace, opens it as a definition, with no problems', async () => {
    const expected = workspaceFile('enrich-lead.webhook.jsonc');
    const uri = await vscode.commands.executeCommand<vscode.Uri | undefined>(COMMAND, { name: 'Enrich Lead' });
    assert.ok(uri, 'the command returns the new file');
    created.push(uri);
    assert.equal(uri.toString(), expected.toString());
    const text = await readText(uri);
    assert.match(text, /^\s*"name": "Enrich Lead",$/m);
    assert.match(text, /^\s*\/\/ Webhook Name:/m, 'commented in Marketo\'s terms');

    const editor = vscode.window.activeTextEditor;
    assert.equal(editor?.document.uri.toString(), uri.toString(), 'the new file is open in the active editor');
    assert.equal(editor.document.languageId, 'marketo-webhook');
    assert.equal(editor.document.getText(), text);

    assert.deepEqual((await settledDiagnostics(uri)).map((d) => `${d.code as string}: ${d.message}`), []);
    const summary = await vscode.commands.executeCommand<Summary>('marketoWebhook.validate', uri);
    assert.deepEqual({ errors: summary.errors, warnings: summary.warnings }, { errors: 0, warnings: 0 });
  });

  it('refuses to overwrite: running it again for the same name leaves the file as it is', async () => {
    const uri = workspaceFile('enrich-lead.webhook.jsonc');
    const edited = `// edited by hand\n${await readText(uri)}`;
    await vscode.workspace.fs.writeFile(uri, new TextEncoder().encode(edited));
    const again = await vscode.commands.executeCommand<vscode.Uri | undefined>(COMMAND, { name: 'Enrich Lead' });
    assert.equal(again, undefined, 'nothing is created');
    assert.equal(await readText(uri), edited, 'the file is unchanged');
    // The same file name from a differently written name is refused too.
    assert.equal(await vscode.commands.executeCommand<vscode.Uri | undefined>(COMMAND, { name: '  enrich   LEAD! ' }), undefined);
    assert.equal(await readText(uri), edited);
  });

  it('creates the definition in the folder it is given, and refuses a name without letters or digits', async () => {
    const folder = workspaceFile('new-definition-test');
    await vscode.workspace.fs.createDirectory(folder);
    created.push(folder);
    const uri = await vscode.commands.executeCommand<vscode.Uri | undefined>(COMMAND, { name: 'Order Sync → ERP', folder });
    assert.equal(uri?.toString(), vscode.Uri.joinPath(folder, 'order-sync-erp.webhook.jsonc').toString());
    assert.match(await readText(uri), /"name": "Order Sync → ERP"/);
    assert.equal(await vscode.commands.executeCommand<vscode.Uri | undefined>(COMMAND, { name: '!!!', folder }), undefined);
    const files = (await vscode.workspace.fs.readDirectory(folder)).map(([name]) => name);
    assert.deepEqual(files, ['order-sync-erp.webhook.jsonc']);
  });
});

interface SnippetEntry { prefix: string | string[]; body: string | string[]; description: string }

describe('snippets', () => {
  let snippets: Record<string, SnippetEntry>;

  before(async () => {
    const extension = vscode.extensions.getExtension(EXTENSION_ID)!;
    await extension.activate();
    const contributed = (extension.packageJSON as { contributes: { snippets: { language: string; path: string }[] } }).contributes.snippets;
    assert.deepEqual(contributed, [{ language: 'marketo-webhook', path: './snippets/marketo-webhook.code-snippets' }]);
    snippets = parse(await readText(vscode.Uri.joinPath(extension.extensionUri, contributed[0]!.path))) as Record<string, SnippetEntry>;
  });

  afterEach(async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  function body(prefix: string): vscode.SnippetString {
    const entry = Object.values(snippets).find((s) => ([] as string[]).concat(s.prefix).includes(prefix));
    assert.ok(entry, `a snippet with the prefix ${prefix}`);
    return new vscode.SnippetString(([] as string[]).concat(entry.body).join('\n'));
  }

  async function insert(editor: vscode.TextEditor, prefix: string, at: string): Promise<void> {
    assert.ok(await editor.insertSnippet(body(prefix), rangeOf(editor.document, at)), `${prefix} inserted`);
    await vscode.commands.executeCommand('leaveSnippet');
  }

  it('the snippet file parses and every snippet has a prefix, a body and a description', () => {
    const entries = Object.entries(snippets);
    assert.ok(entries.length >= 7, `${entries.length} snippets`);
    for (const [name, s] of entries) {
      const prefixes = ([] as string[]).concat(s.prefix);
      assert.ok(prefixes.length > 0 && prefixes.every((p) => typeof p === 'string' && /^[a-z][a-z-]*$/.test(p)), `${name}: prefix`);
      const lines = ([] as string[]).concat(s.body);
      assert.ok(lines.length > 0 && lines.every((l) => typeof l === 'string') && lines.join('').trim() !== '', `${name}: body`);
      assert.ok(typeof s.description === 'string' && s.description.length > 20, `${name}: description`);
    }
  });

  it('the definition snippet inserts a whole definition that validates', async () => {
    const document = await vscode.workspace.openTextDocument({ language: 'marketo-webhook', content: '' });
    const editor = await vscode.window.showTextDocument(document);
    assert.ok(await editor.insertSnippet(body('webhook')));
    await vscode.commands.executeCommand('leaveSnippet');
    assert.deepEqual(parse(document.getText()), {
      name: 'Enrich Lead',
      description: 'What this webhook does',
      url: 'https://api.example.com/v1/leads',
      requestType: 'POST',
      template: '{"email": {{lead.Email Address}}}',
      requestTokenEncoding: 'JSON',
      headers: { 'Content-Type': 'application/json' },
      responseType: 'JSON',
      responseMappings: [],
    });
    assert.deepEqual((await settledDiagnostics(document.uri)).map((d) => d.code), []);
  });

  it('the header, mapping, test and token snippets fill in a definition that validates', async () => {
    const content = [
      '{',
      '  "name": "Snippets",',
      '  "url": "https://api.example.com/x",',
      '  "template": "{\\"first\\": LEAD_TOKEN}",',
      '  "requestTokenEncoding": "JSON",',
      '  "headers": {',
      '    CONTENT_TYPE,',
      '    HEADER,',
      '    AUTHORIZATION',
      '  },',
      '  "responseType": "JSON",',
      '  "responseMappings": [MAPPING],',
      '  TEST',
      '}',
    ].join('\n');
    const document = await vscode.workspace.openTextDocument({ language: 'marketo-webhook', content });
    const editor = await vscode.window.showTextDocument(document);
    await insert(editor, 'lead-token', 'LEAD_TOKEN');
    await insert(editor, 'content-type-json', 'CONTENT_TYPE');
    await insert(editor, 'header', 'HEADER');
    await insert(editor, 'authorization-bearer', 'AUTHORIZATION');
    await insert(editor, 'mapping', 'MAPPING');
    await insert(editor, 'test', 'TEST');
    assert.deepEqual(parse(document.getText()), {
      name: 'Snippets',
      url: 'https://api.example.com/x',
      template: '{"first": {{lead.First Name:default=there}}}',
      requestTokenEncoding: 'JSON',
      headers: { 'Content-Type': 'application/json', 'X-Header-Name': 'value', Authorization: 'Bearer {{my.API Key}}' },
      responseType: 'JSON',
      responseMappings: [{ responseAttribute: 'company.name', marketoField: 'Company' }],
      test: { lead: 'sample.lead.json', campaign: 'trigger', tokens: { 'my.API Key': { secret: 'API_KEY' } } },
    });
    assert.deepEqual((await settledDiagnostics(document.uri)).map((d) => `${d.code as string}: ${d.message}`), []);
  });
});
