// The VS Code layer: adapts the engine to the editor. Activated when a `*.webhook.jsonc` file opens
// (the contributed `marketo-webhook` language) or one of its commands runs.
import * as vscode from 'vscode';
import { DefinitionDiagnostics } from './definition-diagnostics';
import { registerValidateCommand } from './validate-command';

export function activate(context: vscode.ExtensionContext): void {
  const diagnostics = new DefinitionDiagnostics();
  context.subscriptions.push(diagnostics, registerValidateCommand(diagnostics));
}

export function deactivate(): void {
  // Disposables registered in activate() are released by VS Code.
}
