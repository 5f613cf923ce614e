// The VS Code layer: adapts the engine to the editor. Activated when a `*.webhook.jsonc` file opens
// (the contributed `marketo-webhook` language) or one of its commands runs.
import * as vscode from 'vscode';
import { CatalogService } from './catalog-service';
import { registerCodeLens } from './code-lens';
import { registerCompletion } from './completion';
import { DefinitionDiagnostics } from './definition-diagnostics';
import { registerFormatting } from './formatting';
import { registerHover } from './hover';
import { lastResponses } from './last-response';
import { registerNewDefinitionCommand } from './new-definition';
import { registerOutline } from './outline';
import { registerQuickFixes } from './quick-fixes';
import { RunCommand, type RunPresenter } from './run-command';
import { RunHistory } from './run-history';
import { SecretStore } from './secret-store';
import { registerSecretsCommand } from './secrets-command';
import type { Services } from './services';
import { registerValidateCommand } from './validate-command';

/** What activate() hands to tests (only when VS Code runs the extension's tests). */
export interface TestApi {
  lastResponses: typeof lastResponses;
}

export function activate(context: vscode.ExtensionContext): TestApi | undefined {
  const log = vscode.window.createOutputChannel('Marketo Webhook', { log: true });
  const catalogs = new CatalogService(log);
  const diagnostics = new DefinitionDiagnostics(catalogs, log);
  const secrets = new SecretStore(context.secrets, context.globalState);
  const services: Services = { catalogs, diagnostics, log, secrets };
  const history = new RunHistory(context.workspaceState);
  // Interim until the run panel lands.
  const presenter: RunPresenter = { show: () => undefined, refresh: () => undefined };
  const runner = new RunCommand(services, history, presenter, context.workspaceState);
  context.subscriptions.push(
    log, catalogs, diagnostics,
    runner.register(),
    registerSecretsCommand(secrets),
    registerValidateCommand(diagnostics),
    registerNewDefinitionCommand(services),
    registerCompletion(services),
    registerHover(services),
    registerQuickFixes(services),
    registerOutline(services),
    registerFormatting(services),
    registerCodeLens(services),
  );
  // Other extensions get nothing: response bodies stay inside this one.
  return context.extensionMode === vscode.ExtensionMode.Test ? { lastResponses } : undefined;
}

export function deactivate(): void {
  // Disposables registered in activate() are released by VS Code.
}
