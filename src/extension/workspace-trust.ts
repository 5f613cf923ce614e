// Whatever sends (a run, a list run, a call to Marketo) is refused in Restricted Mode. Checked in
// each command, not only hidden in menus: a keybinding or another extension can run it.
import * as vscode from 'vscode';
import { VSCODE_COMMANDS } from './command-ids';

/**
 * In an untrusted workspace: shows `message` with a button to manage trust, and returns true (the
 * command stops). In a trusted one: false.
 */
export function refuseUntrusted(message: string): boolean {
  if (vscode.workspace.isTrusted) return false;
  void vscode.window.showWarningMessage(message, 'Manage Workspace Trust').then((choice) => {
    if (choice) void vscode.commands.executeCommand(VSCODE_COMMANDS.manageTrust);
  });
  return true;
}
