// The VS Code layer: adapts the engine to the editor. Activated when a `*.webhook.jsonc` file opens
// (the contributed `marketo-webhook` language) or one of its commands runs.
import * as vscode from 'vscode';
import { CatalogService } from './catalog-service';
import { loadedRunEngine } from './run-engine';
import { registerCodeLens } from './code-lens';
import { allowTestAnswers } from './command-answers';
import { registerCompletion } from './completion';
import { DefinitionDiagnostics } from './definition-diagnostics';
import { registerFormatting } from './formatting';
import { registerHover } from './hover';
import { lastResponses } from './last-response';
import { registerMarketoCommands } from './marketo-loader';
import type { Confirm } from './lead-list-command';
import { registerLeadListCommand } from './lead-list-loader';
import { LeadListRuns } from './lead-list-runs';
import { registerNewDefinitionCommand } from './new-definition';
import { registerOutline } from './outline';
import { registerQuickFixes } from './quick-fixes';
import { RunCommand } from './run-command';
import { RunHistory } from './run-history';
import { RunPanels } from './run-panel';
import { SecretStore } from './secret-store';
import { registerSecretsCommand } from './secrets-command';
import type { Services } from './services';
import { registerValidateCommand } from './validate-command';

/** What activate() hands to tests (only when VS Code runs the extension's tests). */
export interface TestApi {
  lastResponses: typeof lastResponses;
  /** what the extension keeps for the workspace (the run history), read as stored */
  workspaceState: vscode.Memento;
  /** the folder of the extension's log files, the output channel's among them */
  logUri: vscode.Uri;
  /**
   * Answers the lead list run's confirmation in place of its modal (VS Code refuses modal dialogs
   * in an extension test run); undefined restores the modal.
   */
  answerListConfirmation(answer: Confirm | undefined): void;
}

export function activate(context: vscode.ExtensionContext): TestApi | undefined {
  const log = vscode.window.createOutputChannel('Marketo Webhook', { log: true });
  const catalogs = new CatalogService(log);
  const diagnostics = new DefinitionDiagnostics(catalogs, log);
  const secrets = new SecretStore(context.secrets, context.globalState);
  const services: Services = { catalogs, diagnostics, log, secrets };
  const history = new RunHistory(context.workspaceState);
  const lists = new LeadListRuns();
  const panels = new RunPanels(context, services, {
    state: (definition, selectedId) => history.panelState(definition, selectedId),
    record: (definition, id) => history.record(definition, id),
  }, lists);
  const runner = new RunCommand(services, history, panels, context.workspaceState);
  allowTestAnswers(context.extensionMode);
  const listRunner = registerLeadListCommand(services, lists, panels);
  context.subscriptions.push(
    log, catalogs, diagnostics, panels,
    runner.register(),
    listRunner,
    panels.registerSerializer(),
    registerSecretsCommand(secrets),
    registerValidateCommand(diagnostics),
    registerNewDefinitionCommand(services),
    registerCompletion(services),
    registerHover(services),
    registerQuickFixes(services),
    registerOutline(services),
    registerFormatting(services),
    registerCodeLens(services),
    registerMarketoCommands(context, log),
  );
  // Other extensions get nothing: response bodies stay inside this one.
  return context.extensionMode === vscode.ExtensionMode.Test
    ? {
      lastResponses, workspaceState: context.workspaceState, logUri: context.logUri,
      answerListConfirmation: (answer) => listRunner.answerConfirmation(answer),
    }
    : undefined;
}

export async function deactivate(): Promise<void> {
  // Disposables registered in activate() are released by VS Code; the kept HTTP connections are ours.
  await (await loadedRunEngine())?.closeConnections();
}
