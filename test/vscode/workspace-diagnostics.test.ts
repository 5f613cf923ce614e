import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { waitFor, workspaceFile } from './util';

const broken = '{ "name": "On disk", "url": "https://x.example/p/{{lead.Cty}}" }';
const fixed = '{ "name": "On disk", "url": "https://x.example/p/{{lead.City}}" }';
const codes = (uri: vscode.Uri) => vscode.languages.getDiagnostics(uri).map((d) => d.code);

describe('workspace diagnostics', () => {
  it('follow definitions on disk that are not open: created, changed, renamed, deleted', async () => {
    const first = workspaceFile('disk-watch.webhook.jsonc');
    const renamed = workspaceFile('disk-watch-renamed.webhook.jsonc');
    await vscode.workspace.fs.writeFile(first, new TextEncoder().encode(broken));
    await waitFor('diagnostics of a new file', () => (codes(first).includes('token-unknown-field') ? true : undefined));

    await vscode.workspace.fs.writeFile(first, new TextEncoder().encode(fixed));
    await waitFor('the diagnostics to clear after a change on disk', () => (codes(first).length === 0 ? true : undefined));

    await vscode.workspace.fs.writeFile(first, new TextEncoder().encode(broken));
    await waitFor('diagnostics again', () => (codes(first).length > 0 ? true : undefined));
    await vscode.workspace.fs.rename(first, renamed);
    await waitFor('the old name to clear', () => (codes(first).length === 0 ? true : undefined));
    await waitFor('the new name to be validated', () => (codes(renamed).includes('token-unknown-field') ? true : undefined));

    await vscode.workspace.fs.delete(renamed);
    await waitFor('the deleted file to clear', () => (codes(renamed).length === 0 ? true : undefined));
  });

  it('gives a file over 5 MB one diagnostic without reading it', async () => {
    const big = workspaceFile('disk-big.webhook.jsonc');
    await vscode.workspace.fs.writeFile(big, new Uint8Array(6 * 1024 * 1024).fill(0x20));
    try {
      await waitFor('the size diagnostic', () => (codes(big).includes('file-too-large') ? true : undefined));
      assert.deepEqual(codes(big), ['file-too-large']);
    } finally {
      await vscode.workspace.fs.delete(big);
    }
  });

  it('answers hostile editor content with diagnostics, not exceptions', async () => {
    const huge = await vscode.workspace.openTextDocument({ language: 'marketo-webhook', content: `{"name": "${'x'.repeat(5.5 * 1024 * 1024)}"}` });
    await waitFor('the size diagnostic', () => (codes(huge.uri).includes('file-too-large') ? true : undefined));
    const binary = await vscode.workspace.openTextDocument({ language: 'marketo-webhook', content: String.fromCharCode(...Array.from({ length: 4096 }, (_, i) => (i * 7919) % 256)) });
    await waitFor('syntax diagnostics', () => (codes(binary.uri).includes('syntax-error') ? true : undefined));
    assert.ok(codes(binary.uri).length <= 501);
  });
});
