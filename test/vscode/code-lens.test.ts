import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { EXTENSION_ID, workspaceFile } from './util';

async function lensesOf(uri: vscode.Uri): Promise<vscode.CodeLens[]> {
  return (await vscode.commands.executeCommand<vscode.CodeLens[] | undefined>('vscode.executeCodeLensProvider', uri)) ?? [];
}

describe('code lens', () => {
  before(async () => {
    await vscode.extensions.getExtension(EXTENSION_ID)?.activate();
  });

  it('puts Validate above the definition, on the line of its opening brace, and it validates the file', async () => {
    const uri = workspaceFile('lens-basic.webhook.jsonc');
    const document = await vscode.workspace.openTextDocument(uri);
    await vscode.window.showTextDocument(document);
    const lenses = await lensesOf(uri);
    const validate = lenses.filter((l) => l.command?.title === 'Validate');
    assert.equal(validate.length, 1);
    const lens = validate[0]!;
    assert.equal(document.lineAt(lens.range.start.line).text, '{');
    assert.ok(lens.range.isEqual(new vscode.Range(2, 0, 2, 0)), JSON.stringify(lens.range));
    assert.equal(lens.command!.command, 'marketoWebhook.validate');
    const args = (lens.command!.arguments ?? []) as unknown[];
    assert.equal(args.length, 1);
    assert.ok(args[0] instanceof vscode.Uri);
    assert.equal(args[0].toString(), uri.toString());
    const summary = await vscode.commands.executeCommand<{ file: string; errors: number; warnings: number }>(lens.command!.command, ...args);
    assert.deepEqual(summary, { file: uri.fsPath, errors: 0, warnings: 0 });
  });

  it('offers Run against sample lead only while the run command exists', async () => {
    const uri = workspaceFile('lens-basic.webhook.jsonc');
    await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(uri));
    const runExists = (await vscode.commands.getCommands(true)).includes('marketoWebhook.run');
    const lenses = await lensesOf(uri);
    const run = lenses.filter((l) => l.command?.title === 'Run against sample lead');
    if (runExists) {
      assert.equal(run.length, 1);
      assert.equal(run[0]!.command!.command, 'marketoWebhook.run');
      assert.equal(String((run[0]!.command!.arguments as unknown[])[0]), uri.toString());
      assert.deepEqual(lenses.map((l) => l.command?.title), ['Run against sample lead', 'Validate']);
    } else {
      assert.deepEqual(lenses.map((l) => l.command?.title), ['Validate']);
    }
  });

  it('follows the document as it changes, and copes with broken text', async () => {
    const document = await vscode.workspace.openTextDocument({ language: 'marketo-webhook', content: '{ "name": "x" "url": ' });
    await vscode.window.showTextDocument(document);
    const first = await lensesOf(document.uri);
    assert.deepEqual(first.map((l) => [l.command?.title, l.range.start.line]).filter(([t]) => t === 'Validate'), [['Validate', 0]]);
    const edit = new vscode.WorkspaceEdit();
    edit.insert(document.uri, new vscode.Position(0, 0), '// a comment\n// another\n');
    assert.ok(await vscode.workspace.applyEdit(edit));
    const moved = await lensesOf(document.uri);
    assert.deepEqual(moved.map((l) => [l.command?.title, l.range.start.line]).filter(([t]) => t === 'Validate'), [['Validate', 2]]);
    // Executing it on the unsaved, broken buffer reports its syntax errors.
    const lens = moved.find((l) => l.command?.title === 'Validate')!;
    const summary = await vscode.commands.executeCommand<{ errors: number }>(lens.command!.command, ...(lens.command!.arguments as unknown[]));
    assert.ok(summary.errors > 0);
    for (const content of ['', '// nothing yet', '\u0000\u0001binary']) {
      const other = await vscode.workspace.openTextDocument({ language: 'marketo-webhook', content });
      assert.deepEqual((await lensesOf(other.uri)).filter((l) => l.command?.title === 'Validate').map((l) => l.range.start.line), [0], JSON.stringify(content));
    }
  });
});
