// Registers the Marketo commands at activation, and loads what they do (dist/marketo-commands.js,
// and through it the run engine's Marketo client) only when one of them runs. In tests compiled
// by tsc the import is the module itself.
import * as vscode from 'vscode';
import { COMMANDS } from './config';
import type { MarketoCommandResult } from './marketo-calls';
import type * as Marketo from './marketo-commands';

const IDS: readonly Marketo.MarketoCommandId[] = [COMMANDS.connectMarketo, COMMANDS.disconnectMarketo, COMMANDS.pullFields, COMMANDS.pullLead, COMMANDS.pullTokens];

export function registerMarketoCommands(context: vscode.ExtensionContext, log: vscode.LogOutputChannel): vscode.Disposable {
  let commands: Promise<Marketo.MarketoCommands> | undefined;
  const load = (): Promise<Marketo.MarketoCommands> => {
    commands ??= import('./marketo-commands.js').then((m) => m.createMarketoCommands(context.secrets, log, context.extensionMode));
    return commands;
  };
  return vscode.Disposable.from(
    ...IDS.map((id) => vscode.commands.registerCommand(id, async (argument?: unknown): Promise<MarketoCommandResult> => (await load()).run(id, argument))),
    { dispose: () => void commands?.then((c) => { c.dispose(); }) },
  );
}
