// The VS Code layer. Language features, the run command and the panel come in later issues; the
// extension activates on `*.webhook.jsonc` files (contributed language) and registers nothing yet.
import type * as vscode from 'vscode';

export function activate(_context: vscode.ExtensionContext): void {
  // Intentionally empty until the language features land.
}

export function deactivate(): void {
  // Nothing to release.
}
