import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { waitFor, workspaceFile } from './util';

describe('field catalog', () => {
  it('knows custom fields from the nearest marketo-fields.json', async () => {
    const uri = workspaceFile('custom/completion-custom.webhook.jsonc');
    await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(uri));
    // Validation starts with the standard fields and is redone when the folder's catalog loads.
    await waitFor('the custom field to be known', () => (vscode.languages.getDiagnostics(uri).length === 0 ? true : undefined));
  });

  it('falls back to the standard fields when marketo-fields.json is broken', async () => {
    const uri = workspaceFile('broken-catalog/catalog-fallback.webhook.jsonc');
    await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(uri));
    const found = await waitFor('diagnostics', () => {
      const d = vscode.languages.getDiagnostics(uri);
      return d.length > 0 ? d : undefined;
    });
    // {{lead.City}} is standard; "Loyalty Tier" is unknown without a catalog: a warning, not a crash.
    assert.deepEqual(found.map((d) => [d.code, d.severity]), [['token-unknown-field', vscode.DiagnosticSeverity.Warning]]);
  });
});
