// The Marketo commands (Connect, Disconnect, the three pulls), bundled alone as
// dist/marketo-commands.js and loaded on the first of them (./marketo-loader): most sessions never
// use them, so activation does not read them (issue 6's 200 KB budget for dist/extension.js).
import type * as vscode from 'vscode';
import { allowTestAnswers } from './command-answers';
import { COMMANDS } from './config';
import { connectCommands } from './connect-command';
import type { MarketoCommandResult } from './marketo-calls';
import { MarketoConnections } from './marketo-connection';
import { pullCommands } from './pull-commands';

export type MarketoCommandId = typeof COMMANDS.connectMarketo | typeof COMMANDS.disconnectMarketo | typeof COMMANDS.pullFields | typeof COMMANDS.pullLead | typeof COMMANDS.pullTokens;

export interface MarketoCommands extends vscode.Disposable {
  run(id: MarketoCommandId, argument: unknown): Promise<MarketoCommandResult>;
}

export function createMarketoCommands(secrets: vscode.SecretStorage, log: vscode.LogOutputChannel, mode: vscode.ExtensionMode): MarketoCommands {
  // This bundle has its own copy of command-answers: told the mode here too.
  allowTestAnswers(mode);
  const connections = new MarketoConnections(secrets, log);
  const handlers: Record<MarketoCommandId, (argument: unknown) => Promise<MarketoCommandResult>> = {
    ...connectCommands(connections, log),
    ...pullCommands(connections, log),
  };
  return {
    run: (id, argument) => handlers[id](argument),
    dispose: () => connections.dispose(),
  };
}
