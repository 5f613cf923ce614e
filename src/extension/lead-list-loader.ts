// Registers "Run Against Lead List…" (and its cancel) at activation, and loads what it does
// (dist/lead-list-command.js) only when a list is first run: activation reads only the editor's
// code. In tests compiled by tsc the import is the module itself.
import * as vscode from 'vscode';
import { COMMANDS, INTERNAL_COMMANDS } from './config';
import type { LeadListSummaryDocument } from '../engine/run-engine';
import type * as LeadList from './lead-list-command';
import type { LeadListRuns } from './lead-list-runs';
import { loadRunEngine } from './run-engine';
import type { Services } from './services';

export interface LeadListCommands extends vscode.Disposable {
  /** The extension's tests answer the confirmation (VS Code shows no modal dialog in a test run); undefined restores the dialog. */
  answerConfirmation(answer: LeadList.Confirm | undefined): void;
}

export function registerLeadListCommand(services: Services, runs: LeadListRuns, presenter: LeadList.ListPresenter): LeadListCommands {
  let command: Promise<LeadList.LeadListCommand> | undefined;
  let loaded: LeadList.LeadListCommand | undefined;
  let answer: LeadList.Confirm | undefined;
  let dialog: LeadList.Confirm | undefined;
  const load = (): Promise<LeadList.LeadListCommand> => {
    command ??= import('./lead-list-command.js').then((m) => {
      loaded = new m.LeadListCommand(services, runs, presenter, loadRunEngine);
      dialog = loaded.confirm;
      if (answer) loaded.confirm = answer;
      return loaded;
    });
    return command;
  };
  const registered = vscode.Disposable.from(
    vscode.commands.registerCommand(COMMANDS.runLeadList, async (uri?: unknown, list?: unknown): Promise<LeadListSummaryDocument | undefined> =>
      (await load()).run(uri instanceof vscode.Uri ? uri : undefined, list instanceof vscode.Uri ? list : undefined)),
    // Nothing to cancel before the first list run has loaded the command.
    vscode.commands.registerCommand(INTERNAL_COMMANDS.cancelLeadList, (uri?: unknown): boolean => loaded?.cancel(uri instanceof vscode.Uri ? uri : undefined) ?? false),
  );
  return {
    answerConfirmation: (given) => {
      answer = given;
      if (loaded && dialog) loaded.confirm = given ?? dialog;
    },
    dispose: () => {
      registered.dispose();
    },
  };
}
