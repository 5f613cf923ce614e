import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { EXTENSION_ID, waitFor, workspaceFile } from './util';

describe('activation', () => {
  it('is not active before a definition opens, and activates when one does', async () => {
    const extension = vscode.extensions.getExtension(EXTENSION_ID);
    assert.ok(extension, `${EXTENSION_ID} is not installed`);
    assert.equal(extension.isActive, false, 'the extension activated before any definition was opened');
    const document = await vscode.workspace.openTextDocument(workspaceFile('good.webhook.jsonc'));
    await vscode.window.showTextDocument(document);
    assert.equal(document.languageId, 'marketo-webhook');
    await waitFor('activation', () => (extension.isActive ? true : undefined));
  });

  it('contributes the language under its name', async () => {
    const languages = await vscode.languages.getLanguages();
    assert.ok(languages.includes('marketo-webhook'));
    const document = await vscode.workspace.openTextDocument({ language: 'marketo-webhook', content: '{}' });
    assert.equal(document.languageId, 'marketo-webhook');
  });
});
