// "Marketo Webhook: Validate Definition": validates the active (or given) definition now and says
// what it found.
import * as vscode from 'vscode';
import type { DefinitionDiagnostics } from './definition-diagnostics';
import { COMMANDS, VSCODE_COMMANDS } from './config';
import { isDefinition } from './language';
import { plainMessage } from './message-text';


export interface ValidateSummary {
  file: string;
  errors: number;
  warnings: number;
}

export function registerValidateCommand(diagnostics: DefinitionDiagnostics): vscode.Disposable {
  return vscode.commands.registerCommand(COMMANDS.validate, async (uri?: vscode.Uri): Promise<ValidateSummary | undefined> => {
    const document = uri ? await vscode.workspace.openTextDocument(uri) : vscode.window.activeTextEditor?.document;
    if (!document || !isDefinition(document)) {
      void vscode.window.showWarningMessage('Open a *.webhook.jsonc file to validate it.');
      return undefined;
    }
    const found = diagnostics.validateNow(document);
    const errors = found.filter((d) => d.severity === vscode.DiagnosticSeverity.Error).length;
    const warnings = found.filter((d) => d.severity === vscode.DiagnosticSeverity.Warning).length;
    const name = vscode.workspace.asRelativePath(document.uri);
    if (errors + warnings === 0) {
      void vscode.window.showInformationMessage(plainMessage(`${name}: no problems.`));
    } else {
      const text = `${name}: ${errors} error${errors === 1 ? '' : 's'}, ${warnings} warning${warnings === 1 ? '' : 's'}.`;
      void vscode.window.showWarningMessage(plainMessage(text), 'Show Problems').then((choice) => {
        if (choice) void vscode.commands.executeCommand(VSCODE_COMMANDS.showProblems);
      });
    }
    return { file: document.uri.fsPath, errors, warnings };
  });
}
