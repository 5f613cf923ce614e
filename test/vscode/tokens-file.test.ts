// A definition whose "test.tokens" names a tokens file (as `pull tokens` writes it): its my.
// tokens complete after `{{my.` and show their value on hover, read as a run reads the file.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { workspaceFile } from './util';

function labelOf(item: vscode.CompletionItem): string {
  return typeof item.label === 'string' ? item.label : item.label.label;
}

async function hoverText(document: vscode.TextDocument, target: string): Promise<string> {
  const offset = document.getText().indexOf(target);
  assert.ok(offset >= 0, `"${target}" is not in the document`);
  const hovers = await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', document.uri, document.positionAt(offset + 3));
  return hovers.flatMap((h) => h.contents.map((c) => (typeof c === 'string' ? c : c.value))).join('\n');
}

describe('a tokens file in test.tokens', () => {
  it('its my. tokens complete after {{my., with the file and value as detail', async () => {
    const document = await vscode.workspace.openTextDocument(workspaceFile('pulled-tokens.webhook.jsonc'));
    await vscode.window.showTextDocument(document);
    const offset = document.getText().indexOf('{{my.') + '{{my.'.length;
    const list = await vscode.commands.executeCommand<vscode.CompletionList>('vscode.executeCompletionItemProvider', document.uri, document.positionAt(offset), '.');
    const pulled = list.items.filter((i) => i.kind === vscode.CompletionItemKind.Variable);
    assert.deepEqual(pulled.map(labelOf).sort(), ['Event Date', 'Webinar Title']);
    assert.equal(pulled.find((i) => labelOf(i) === 'Webinar Title')?.detail, 'program-1089.tokens.json: "Webhooks & You"');
  });

  it('hover shows the value from the file, or that the file has none', async () => {
    const document = await vscode.workspace.openTextDocument(workspaceFile('pulled-tokens.webhook.jsonc'));
    assert.match(await hoverText(document, '{{my.Event Date}}'), /Value in `program-1089\.tokens\.json`: `2026-03-14`/);
    assert.match(await hoverText(document, '{{my.Not Pulled}}'), /No value in `program-1089\.tokens\.json`/);
  });

  it('no "has no value" warning for tokens the file may hold', async () => {
    const document = await vscode.workspace.openTextDocument(workspaceFile('pulled-tokens.webhook.jsonc'));
    await vscode.window.showTextDocument(document);
    // Diagnostics arrive after a debounce; the other checks of this file take place meanwhile.
    await new Promise((resolve) => setTimeout(resolve, 1500));
    const codes = vscode.languages.getDiagnostics(document.uri).map((d) => (typeof d.code === 'object' ? d.code.value : d.code));
    assert.ok(!codes.includes('token-no-test-value'), `diagnostics: ${codes.join(', ')}`);
    assert.ok(!vscode.languages.getDiagnostics(document.uri).some((d) => d.severity === vscode.DiagnosticSeverity.Error));
  });
});
