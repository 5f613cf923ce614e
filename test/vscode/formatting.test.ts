import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { EXTENSION_ID, workspaceFile } from './util';

const HEADER = '// A valid definition written carelessly: the formatting tests expect its exact formatted text.\n';

/** format-messy.webhook.jsonc formatted with two spaces (tabs: `\t` for each two spaces of indent). */
const FORMATTED = `${HEADER}{
  "name": "Format me",
  "url": "https://api.example.com/format",
  "requestType": "POST",
  "responseType": "JSON",
  "headers": {
    "Content-Type": "application/json", /* kept */
    "X-Source": "marketo"
  },
  "responseMappings": [
    {
      "responseAttribute": "a.b",
      "marketoField": "Company"
    },
    {
      "responseAttribute": "c[0]",
      "marketoField": "City"
    }
  ],
  // how to run it here
  "test": {
    "campaign": "batch",
    "timeoutMs": 5000,
  }
}
`;

/** The text a document would have after the edits (applied to a copy; the document is left as it is). */
function applied(document: vscode.TextDocument, edits: readonly vscode.TextEdit[]): string {
  const text = document.getText();
  const ordered = edits
    .map((e) => ({ start: document.offsetAt(e.range.start), end: document.offsetAt(e.range.end), text: e.newText }))
    .sort((a, b) => b.start - a.start);
  let out = text;
  for (const e of ordered) out = out.slice(0, e.start) + e.text + out.slice(e.end);
  return out;
}

/** Each edit replaces only whitespace with other whitespace: the formatter touches no token. */
function assertMinimalWhitespaceEdits(document: vscode.TextDocument, edits: readonly vscode.TextEdit[]): void {
  for (const edit of edits) {
    const old = document.getText(edit.range);
    assert.match(old, /^\s*$/, `edit replaces ${JSON.stringify(old)}`);
    assert.match(edit.newText, /^\s*$/, `edit inserts ${JSON.stringify(edit.newText)}`);
    assert.notEqual(old, edit.newText);
    // Minimal: no character both replaced and put back at either end.
    if (old !== '' && edit.newText !== '') {
      assert.notEqual(old[0], edit.newText[0], `edit ${JSON.stringify(old)} → ${JSON.stringify(edit.newText)} is not minimal`);
      assert.notEqual(old.at(-1), edit.newText.at(-1), `edit ${JSON.stringify(old)} → ${JSON.stringify(edit.newText)} is not minimal`);
    }
  }
}

async function formatDocument(document: vscode.TextDocument, options: vscode.FormattingOptions): Promise<vscode.TextEdit[]> {
  return (await vscode.commands.executeCommand<vscode.TextEdit[] | undefined>('vscode.executeFormatDocumentProvider', document.uri, options)) ?? [];
}

describe('formatting', () => {
  before(async () => {
    await vscode.extensions.getExtension(EXTENSION_ID)?.activate();
  });

  it('formats a messy definition with two spaces, keeping its comments', async () => {
    const document = await vscode.workspace.openTextDocument(workspaceFile('format-messy.webhook.jsonc'));
    const edits = await formatDocument(document, { tabSize: 2, insertSpaces: true });
    assert.equal(applied(document, edits), FORMATTED);
    assertMinimalWhitespaceEdits(document, edits);
  });

  it('formats with tabs when the editor indents with tabs', async () => {
    const document = await vscode.workspace.openTextDocument(workspaceFile('format-messy.webhook.jsonc'));
    const edits = await formatDocument(document, { tabSize: 4, insertSpaces: false });
    const withTabs = FORMATTED.replace(/^( {2})+/gm, (indent) => '\t'.repeat(indent.length / 2));
    assert.equal(applied(document, edits), withTabs);
    assertMinimalWhitespaceEdits(document, edits);
  });

  it('leaves formatted text as it is', async () => {
    const document = await vscode.workspace.openTextDocument({ language: 'marketo-webhook', content: FORMATTED });
    assert.deepEqual(await formatDocument(document, { tabSize: 2, insertSpaces: true }), []);
  });

  it('formats the selected lines only', async () => {
    const document = await vscode.workspace.openTextDocument(workspaceFile('format-messy.webhook.jsonc'));
    const line = document.lineAt(3);
    assert.equal(line.text, '  "headers":{"Content-Type":"application/json"  , /* kept */ "X-Source": "marketo"},');
    const edits = (await vscode.commands.executeCommand<vscode.TextEdit[] | undefined>(
      'vscode.executeFormatRangeProvider', document.uri, line.range, { tabSize: 2, insertSpaces: true },
    )) ?? [];
    const text = document.getText();
    assert.equal(applied(document, edits), text.replace(line.text, '  "headers": {\n    "Content-Type": "application/json", /* kept */\n    "X-Source": "marketo"\n  },'));
  });

  it('keeps the document\'s line ends and adds no final newline when files.insertFinalNewline is off', async () => {
    const document = await vscode.workspace.openTextDocument({
      language: 'marketo-webhook',
      content: '{"name":"x",\r\n"url":"https://a.example" // the service\r\n}',
    });
    assert.equal(document.eol, vscode.EndOfLine.CRLF);
    const edits = await formatDocument(document, { tabSize: 2, insertSpaces: true });
    assert.equal(applied(document, edits), '{\r\n  "name": "x",\r\n  "url": "https://a.example" // the service\r\n}');
  });

  it('does not format a file with syntax errors, and does not fail on one', async () => {
    for (const content of ['{ "name": "x" "url": "https://a.example" }', '{\n"name": "x",\n  "headers": { "A":', '\u0000\u0001binary', '']) {
      const document = await vscode.workspace.openTextDocument({ language: 'marketo-webhook', content });
      assert.deepEqual(await formatDocument(document, { tabSize: 2, insertSpaces: true }), [], JSON.stringify(content));
      const range = new vscode.Range(0, 0, document.lineCount - 1, 0);
      const ranged = await vscode.commands.executeCommand<vscode.TextEdit[] | undefined>('vscode.executeFormatRangeProvider', document.uri, range, { tabSize: 2, insertSpaces: true });
      assert.deepEqual(ranged ?? [], [], JSON.stringify(content));
    }
  });
});
