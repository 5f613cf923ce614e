// "Marketo Webhook: Manage Secrets": set, list and delete the values of `{ "secret": NAME }`
// tokens kept in VS Code's secret storage. Values are never shown, only names.
import * as vscode from 'vscode';
import { COMMANDS } from './config';
import { plainMessage } from './message-text';
import { secretInputProblem, type SecretStore } from './secret-store';

const NAME_PATTERN = /^[A-Za-z0-9_.-]+$/;

export function registerSecretsCommand(secrets: SecretStore): vscode.Disposable {
  return vscode.commands.registerCommand(COMMANDS.manageSecrets, async () => {
    const setItem = { label: '$(add) Set a secret…', action: 'set' as const };
    const items = [setItem, ...secrets.names().map((name) => ({ label: `$(key) ${name}`, description: 'stored · choose to replace or delete', name, action: 'edit' as const }))];
    const choice = await vscode.window.showQuickPick(items, { title: 'Marketo Webhook secrets', placeHolder: 'Values stay in VS Code\'s secret storage and are never shown' });
    if (!choice) return;
    let name = 'name' in choice ? choice.name : undefined;
    if (choice.action === 'edit' && name) {
      const what = await vscode.window.showQuickPick(['Replace the value', 'Delete it'], { title: `Secret "${name}"` });
      if (what === 'Delete it') {
        await secrets.delete(name);
        void vscode.window.showInformationMessage(plainMessage(`The secret "${name}" was deleted.`));
        return;
      }
      if (!what) return;
    }
    name ??= await vscode.window.showInputBox({
      title: 'Secret name',
      prompt: 'The NAME of a { "secret": "NAME" } token value in test.tokens',
      validateInput: (v) => (NAME_PATTERN.test(v) ? undefined : 'Letters, digits, _ . - only'),
    });
    if (!name) return;
    const value = await vscode.window.showInputBox({ title: `Value of "${name}"`, password: true, ignoreFocusOut: true, validateInput: (v) => (v === '' ? 'Enter a value' : secretInputProblem(v)) });
    if (value === undefined) return;
    await secrets.set(name, value);
    void vscode.window.showInformationMessage(plainMessage(`The secret "${name}" is stored.`));
  });
}
