import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { rangeOf, waitFor, workspaceFile } from './util';

describe('diagnostics', () => {
  it('underlines a malformed token at its exact range, with its code', async () => {
    const uri = workspaceFile('malformed-token.webhook.jsonc');
    const document = await vscode.workspace.openTextDocument(uri);
    await vscode.window.showTextDocument(document);
    const diagnostics = await waitFor('diagnostics', () => {
      const found = vscode.languages.getDiagnostics(uri);
      return found.length > 0 ? found : undefined;
    });
    assert.deepEqual(diagnostics.map((d) => d.code), ['token-default-syntax']);
    const [diagnostic] = diagnostics;
    assert.equal(diagnostic!.severity, vscode.DiagnosticSeverity.Error);
    assert.equal(diagnostic!.source, 'Marketo Webhook');
    assert.ok(diagnostic!.range.isEqual(rangeOf(document, '{{lead.Company=edit me}}')), `range ${JSON.stringify(diagnostic!.range)}`);
    assert.match(diagnostic!.message, /\{\{lead\.Company Name:default=edit me\}\}/);
  });

  it('reports nothing for a correct definition', async () => {
    const uri = workspaceFile('good.webhook.jsonc');
    await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(uri));
    // Validation of an opened document is synchronous with the open event; give it a moment.
    await new Promise((resolve) => setTimeout(resolve, 300));
    assert.deepEqual(vscode.languages.getDiagnostics(uri), []);
  });

  it('follows edits: fixing the token clears the diagnostic, breaking it again brings it back', async () => {
    const document = await vscode.workspace.openTextDocument({
      language: 'marketo-webhook',
      content: '{ "name": "x", "url": "https://x.example/c/{{lead.City}}" }',
    });
    await vscode.window.showTextDocument(document);
    assert.deepEqual(vscode.languages.getDiagnostics(document.uri), []);
    const edit = new vscode.WorkspaceEdit();
    edit.replace(document.uri, rangeOf(document, '{{lead.City}}'), '{{lead.Cty}}');
    assert.ok(await vscode.workspace.applyEdit(edit));
    const found = await waitFor('a diagnostic after the edit', () => {
      const d = vscode.languages.getDiagnostics(document.uri);
      return d.length > 0 ? d : undefined;
    });
    assert.equal(found[0]!.code, 'token-unknown-field');
    assert.ok(found[0]!.range.isEqual(rangeOf(document, 'Cty')));
    const fix = new vscode.WorkspaceEdit();
    fix.replace(document.uri, rangeOf(document, 'Cty'), 'City');
    assert.ok(await vscode.workspace.applyEdit(fix));
    await waitFor('the diagnostic to clear', () => (vscode.languages.getDiagnostics(document.uri).length === 0 ? true : undefined));
  });
});
