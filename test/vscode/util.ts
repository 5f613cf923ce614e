// Helpers for tests that run inside VS Code's extension host.
import { sep } from 'node:path';
import * as vscode from 'vscode';

export const EXTENSION_ID = 'marketo-webhook-workbench.marketo-webhook-workbench';

export function workspaceFile(name: string): vscode.Uri {
  const folder = vscode.workspace.workspaceFolders?.[0];
  if (!folder) throw new Error('the tests need the fixture workspace open');
  return vscode.Uri.joinPath(folder.uri, name);
}

/** Polls until `check` returns a value (not undefined), for at most `timeoutMs`. */
export async function waitFor<T>(what: string, check: () => T | undefined, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** The range of the first occurrence of `text` in a document. */
export function rangeOf(document: vscode.TextDocument, text: string): vscode.Range {
  const offset = document.getText().indexOf(text);
  if (offset < 0) throw new Error(`"${text}" is not in ${document.uri.fsPath}`);
  return new vscode.Range(document.positionAt(offset), document.positionAt(offset + text.length));
}

/** Whether the extension host has loaded one of the build's lazily loaded bundles, dist/<path…>. */
export function bundleLoaded(...path: string[]): boolean {
  const tail = ['', 'dist', ...path].join(sep);
  return Object.keys(require.cache).some((loaded) => loaded.endsWith(tail));
}
