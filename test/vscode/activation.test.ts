import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { EXTENSION_ID, waitFor, workspaceFile } from './util';

describe('activation', () => {
  it('activates for definitions: on opening one, and in a workspace that has them', async () => {
    const extension = vscode.extensions.getExtension<unknown>(EXTENSION_ID);
    assert.ok(extension, `${EXTENSION_ID} is not installed`);
    const events = (extension.packageJSON as { activationEvents: string[] }).activationEvents;
    // The panel's serializer needs the last one to restore the panel after a window reload.
    assert.deepEqual(events, ['onLanguage:marketo-webhook', 'workspaceContains:**/*.webhook.jsonc', 'onWebviewPanel:marketoWebhook.runResult']);
    const document = await vscode.workspace.openTextDocument(workspaceFile('good.webhook.jsonc'));
    await vscode.window.showTextDocument(document);
    assert.equal(document.languageId, 'marketo-webhook');
    await waitFor('activation', () => (extension.isActive ? true : undefined));
  });

  it('lists broken definitions in the Problems panel without opening them', async () => {
    const uri = workspaceFile('malformed-token.webhook.jsonc');
    assert.ok(!vscode.workspace.textDocuments.some((d) => d.uri.toString() === uri.toString()), 'the test needs it unopened');
    const found = await waitFor('background diagnostics', () => {
      const d = vscode.languages.getDiagnostics(uri);
      return d.length > 0 ? d : undefined;
    });
    assert.deepEqual(found.map((d) => d.code), ['token-default-syntax']);
  });

  it('contributes the language under its name', async () => {
    const languages = await vscode.languages.getLanguages();
    assert.ok(languages.includes('marketo-webhook'));
    const document = await vscode.workspace.openTextDocument({ language: 'marketo-webhook', content: '{}' });
    assert.equal(document.languageId, 'marketo-webhook');
  });
});
