// "Marketo Webhook: Run Against Lead List…": the active definition run once per lead of a CSV or
// JSON list (contracts §6), at most 20 calls outstanding, with the results streaming into the run
// panel. Every list run asks first, in a modal naming how many real requests go to which host: each
// lead is a real call to a service that may act on it. Trusted workspaces only. One list run per
// definition at a time: a second press while one runs (or waits for its confirmation) is refused,
// so one press is never two lists of calls. Cancel stops new calls and aborts the outstanding ones.
// Bundled apart as dist/lead-list-command.js and loaded on the first list run (lead-list-loader.ts).
import * as vscode from 'vscode';
import { LIST_POST_INTERVAL_MS, MAX_LEAD_LIST_BYTES, validateDefinition, type EngineHost, type WebhookDefinition } from '../engine';
import type * as RunEngine from '../engine/run-engine';
import type { LeadListSummaryDocument } from '../engine/run-engine';
import { VSCODE_COMMANDS } from './config';
import { refuseUntrusted } from './workspace-trust';
import { isDefinition } from './language';
import type { LeadListRuns } from './lead-list-runs';
import { logLine, plainMessage } from './message-text';
import { askForSecret, readLeadFile, timeoutFor } from './run-inputs';
import type { Services } from './services';
import { describeReadError, readWorkspaceText } from './workspace-files';

/** Where a list run is shown; the panel module implements it. */
export interface ListPresenter {
  /** reveals the definition's panel on its list run */
  showList(definition: vscode.Uri): void;
  /** the list run has new rows, or has ended: the panel posts what it has not posted yet */
  listProgress(definition: vscode.Uri): void;
}

/**
 * Asks whether to send; true only for an explicit yes. The extension's tests answer through
 * TestApi, because VS Code refuses to show modal dialogs in an extension test run.
 */
export type Confirm = (message: string, detail: string) => Promise<boolean>;

export const SEND_BUTTON = 'Send';

const modalConfirm: Confirm = async (message, detail) => {
  const choice = await vscode.window.showWarningMessage(message, { modal: true, detail }, SEND_BUTTON);
  return choice === SEND_BUTTON;
};

/** The host a definition's URL names, for the confirmation; the URL as written when it names none. */
export function hostOf(url: string): string {
  const match = /^[a-z][a-z0-9+.-]*:\/\/(?:[^@/?#]*@)?([^/?#]+)/i.exec(url.trim());
  return match?.[1] ?? url.trim();
}

export class LeadListCommand {
  /** definitions with a list run under way (or waiting for its confirmation), with its cancel */
  private readonly underway = new Map<string, AbortController | undefined>();
  /** set by the extension's tests only (TestApi) */
  confirm: Confirm = modalConfirm;

  /**
   * @param loadEngine the extension's own loader of the run engine, so that the engine this
   * bundle runs is the one the extension closes on deactivation
   */
  constructor(
    private readonly services: Services,
    private readonly runs: LeadListRuns,
    private readonly presenter: ListPresenter,
    private readonly loadEngine: () => Promise<typeof RunEngine>,
  ) {}

  /** Cancels the definition's list run: no new calls, the outstanding ones aborted. False when none runs. */
  cancel(uri?: vscode.Uri): boolean {
    const target = uri ?? vscode.window.activeTextEditor?.document.uri;
    const controller = target ? this.underway.get(target.toString()) : undefined;
    controller?.abort();
    return controller !== undefined;
  }

  /** true while a list run of this definition is under way */
  isRunning(definition: vscode.Uri): boolean {
    return this.underway.has(definition.toString());
  }

  /**
   * Runs the definition over a list; `list` skips the open dialog. Resolves to the summary of what
   * ran, or undefined when nothing was sent (refused, declined, unusable list).
   */
  async run(uri?: vscode.Uri, list?: vscode.Uri): Promise<LeadListSummaryDocument | undefined> {
    if (refuseUntrusted('Running webhooks over a lead list is off in Restricted Mode: each lead is a request, with your secrets, to the address the definition names. Trust this workspace to run it.')) return undefined;
    const document = uri ? await vscode.workspace.openTextDocument(uri) : vscode.window.activeTextEditor?.document;
    if (!document || !isDefinition(document)) {
      void vscode.window.showWarningMessage('Open a *.webhook.jsonc file to run it over a lead list.');
      return undefined;
    }
    const key = document.uri.toString();
    const name = vscode.workspace.asRelativePath(document.uri);
    if (this.underway.has(key)) {
      void vscode.window.showInformationMessage(plainMessage(`A list run of ${name} is already under way: cancel it from its notification before starting another.`));
      this.presenter.showList(document.uri);
      return undefined;
    }
    // Claimed before the first await, so a double press cannot start two list runs.
    this.underway.set(key, undefined);
    try {
      return await this.prepareAndRun(document, name, list);
    } finally {
      this.underway.delete(key);
    }
  }

  private async prepareAndRun(document: vscode.TextDocument, name: string, list: vscode.Uri | undefined): Promise<LeadListSummaryDocument | undefined> {
    const text = document.getText();
    const catalog = await this.services.catalogs.catalogFor(document.uri);
    // Checked before the open dialog, and the run engine loaded only once a list is picked.
    const validated = validateDefinition(text, { file: document.uri.fsPath, catalog });
    const errors = validated.diagnostics.filter((d) => d.severity === 'error').length;
    const definition = validated.definition;
    if (!definition || errors > 0) {
      void vscode.window.showWarningMessage(plainMessage(`${name} was not run over a list: ${errors} error${errors === 1 ? '' : 's'} to fix first.`), 'Show Problems').then((choice) => {
        if (choice) void vscode.commands.executeCommand(VSCODE_COMMANDS.showProblems);
      });
      return undefined;
    }

    const listUri = list ?? await this.pickList(document.uri);
    if (!listUri) return undefined;
    const file = vscode.workspace.asRelativePath(listUri);
    let listText: string;
    try {
      listText = await readWorkspaceText(listUri, { maxBytes: MAX_LEAD_LIST_BYTES });
    } catch (error) {
      void vscode.window.showErrorMessage(plainMessage(`Cannot read the lead list ${file}: ${describeReadError(error)}.`));
      return undefined;
    }
    const engine = await this.loadEngine();
    const read = engine.readLeadListFile(listUri.path, listText, catalog);
    if (!read.ok) {
      void vscode.window.showErrorMessage(plainMessage(`The lead list ${file} is not usable: ${read.message}.`));
      return undefined;
    }
    const leads = read.leads;
    if (read.unknownColumns.length > 0) {
      this.services.log.warn(logLine(`${file}: no lead field is named ${read.unknownColumns.map((c) => `"${c}"`).join(', ')}; only tokens of that exact name read these columns.`));
    }

    const host = hostOf(definition.url);
    if (definition.test.campaign !== 'batch' && !(await this.confirmed(leads.length, host, definition, file))) return undefined;

    const fields = definition.responseMappings.map((m) => m.marketoField);
    const listRun = this.runs.begin(document.uri.toString(), file, host, leads.length, fields);
    this.presenter.showList(document.uri);

    const controller = new AbortController();
    this.underway.set(document.uri.toString(), controller);
    const engineHost: EngineHost = {
      readTextFile: (path, namedBy) => readLeadFile(document.uri, path, namedBy),
      getSecret: async (secret) => this.services.secrets.get(secret),
    };
    const options = {
      text, file: document.uri.fsPath, host: engineHost, catalog, leads, signal: controller.signal, ...timeoutFor(document.uri, text),
    };
    let timer: NodeJS.Timeout | undefined;
    let reported = 0;
    let summary = new engine.LeadListSummary(leads.length);
    try {
      await vscode.window.withProgress(
        { location: vscode.ProgressLocation.Notification, title: plainMessage(`Running ${name} over ${file}`), cancellable: true },
        async (progress, token) => {
          const subscription = token.onCancellationRequested(() => controller.abort());
          // Batches: the panel and the notification hear of new leads every LIST_POST_INTERVAL_MS, never once per lead.
          const flush = () => {
            timer = undefined;
            listRun.summary = summary.document(controller.signal.aborted);
            const done = listRun.rows.length;
            progress.report({ message: `${done.toLocaleString('en-US')} of ${leads.length.toLocaleString('en-US')} leads`, increment: ((done - reported) / leads.length) * 100 });
            reported = done;
            this.presenter.listProgress(document.uri);
          };
          const asked = new Set<string>();
          try {
            for (;;) {
              try {
                for await (const run of engine.runLeadList(options)) {
                  summary.add(run);
                  listRun.add(engine.leadListRow(run.lead, leads[run.lead - 1], run.result, fields.length), run.result);
                  timer ??= setTimeout(flush, LIST_POST_INTERVAL_MS);
                }
                return;
              } catch (error) {
                if (!(error instanceof engine.RunInputError)) throw error;
                // A secret every lead needs: no lead was sent without it. Asked once, then the list starts again.
                if (error.missingSecret && !asked.has(error.missingSecret) && listRun.rows.length === 0) {
                  asked.add(error.missingSecret);
                  if (await askForSecret(this.services, error.missingSecret, error.problem)) {
                    summary = new engine.LeadListSummary(leads.length);
                    continue;
                  }
                }
                void vscode.window.showErrorMessage(plainMessage(`The list run of ${name} stopped: ${error.message}`));
                return;
              }
            }
          } finally {
            subscription.dispose();
          }
        },
      );
    } finally {
      if (timer) clearTimeout(timer);
      listRun.running = false;
      listRun.summary = summary.document(controller.signal.aborted);
      this.presenter.listProgress(document.uri);
    }
    const doc = listRun.summary;
    const counts = Object.entries(doc.byCategory).map(([k, n]) => `${k} ${n}`).join(', ');
    this.services.log.info(logLine(`${name} over ${file}: ${doc.completed} of ${doc.leads} leads to ${host}${doc.cancelled ? ' (cancelled)' : ''}: ${counts || 'none completed'}`));
    if (doc.cancelled) {
      void vscode.window.showWarningMessage(plainMessage(`The list run of ${name} was cancelled: ${doc.completed} of ${doc.leads} leads ran; the calls under way were aborted (their service may have received them).`));
    }
    return doc;
  }

  /** The list: given (tests, other extensions), else picked in an open dialog at the definition's folder. */
  private async pickList(definition: vscode.Uri): Promise<vscode.Uri | undefined> {
    const picked = await vscode.window.showOpenDialog({
      title: 'Run against which lead list?',
      openLabel: 'Run over this list',
      canSelectMany: false,
      canSelectFolders: false,
      defaultUri: vscode.Uri.joinPath(definition, '..'),
      filters: { 'Lead lists (CSV, JSON)': ['csv', 'json'], 'All files': ['*'] },
    });
    return picked?.[0];
  }

  /** Always asked, for any number of leads: each is a real request. */
  private async confirmed(count: number, host: string, definition: WebhookDefinition, file: string): Promise<boolean> {
    const n = count.toLocaleString('en-US');
    const message = plainMessage(`Send ${n} real request${count === 1 ? '' : 's'} to ${host}?`);
    const detail = plainMessage(`"${definition.name}" runs once for each lead of ${file}, at most 20 at a time, as Marketo would call it. The service receives every request and may act on it (send a message, charge, write a record).`);
    try {
      return await this.confirm(message, detail);
    } catch (error) {
      // No dialog (VS Code refuses modals in some modes): not a yes.
      this.services.log.warn(`Lead list: the confirmation could not be shown (${error instanceof Error ? error.message : String(error)}); nothing was sent.`);
      return false;
    }
  }
}
