// "Marketo Webhook: Run Against Sample Lead": sends the definition as Marketo would and shows what
// Marketo would make of the answer. The engine does the work; this layer picks the sample lead,
// supplies secrets from SecretStorage, shows progress with Cancel, logs, keeps the history and
// opens the panel. Refused in untrusted workspaces: a run sends your secrets where the file says.
import * as vscode from 'vscode';
import { type EngineHost, type RunAnswerStart, type RunResult, sampleLeadSource, validateDefinition, type WebhookDefinition } from '../engine';
import { liesInside } from '../node/input-file';
import { Prompts } from './command-answers';
import { COMMANDS, defaultLeadSetting, VSCODE_COMMANDS } from './config';
import { refuseUntrusted } from './workspace-trust';
import { loadRunEngine } from './run-engine';
import { lastResponses } from './last-response';
import { logLine, plainMessage } from './message-text';
import { isDefinition } from './language';
import type { RunHistory } from './run-history';
import type { RunRecord } from './run-records';
import { askForSecret, readLeadFile, timeoutFor } from './run-inputs';
import type { Services } from './services';
import { definitionRoot } from './workspace-files';

const BLANK_LEAD = 'Blank lead';
const PICKED_LEAD_KEY = 'marketoWebhook.pickedLead.';

/** Where the panel is shown; the panel module implements it. */
export interface RunPresenter {
  show(definition: vscode.Uri): void;
  refresh(definition: vscode.Uri): void;
  /** a long answer has begun to arrive: show its start before the outcome */
  answerStart(definition: vscode.Uri, start: RunAnswerStart): void;
}

interface LeadChoice {
  /** an absolute path, or undefined for the definition's own test.lead */
  value?: string | Record<string, unknown>;
  label: string;
}

export class RunCommand {
  /** the run under way for each definition, to cancel it from the command as well as the notification */
  private readonly controllers = new Map<string, AbortController>();
  /** the last run stopped on its inputs (a secret, the lead), not on the definition */
  private inputProblem = false;

  constructor(
    private readonly services: Services,
    private readonly history: RunHistory,
    private readonly presenter: RunPresenter,
    private readonly state: vscode.Memento,
  ) {}

  register(): vscode.Disposable {
    return vscode.Disposable.from(
      vscode.commands.registerCommand(COMMANDS.run, (uri?: vscode.Uri) => this.run(uri)),
      vscode.commands.registerCommand(COMMANDS.cancelRun, (uri?: vscode.Uri) => {
        const target = uri ?? vscode.window.activeTextEditor?.document.uri;
        const controller = target ? this.controllers.get(target.toString()) : undefined;
        controller?.abort();
        return controller !== undefined;
      }),
      vscode.commands.registerCommand(COMMANDS.pickLead, async (uri?: vscode.Uri, options?: unknown) => {
        const target = uri ?? vscode.window.activeTextEditor?.document.uri;
        if (!target) return undefined;
        const choice = await this.pickLead(target, true, new Prompts(options));
        return choice?.label;
      }),
    );
  }

  /** Runs a definition; resolves to the record shown, or undefined when nothing ran. */
  async run(uri?: vscode.Uri): Promise<RunRecord | undefined> {
    if (refuseUntrusted('Running webhooks is off in Restricted Mode: a run sends requests, with your secrets, to the addresses the definition names. Trust this workspace to run it; validation keeps working meanwhile.')) return undefined;
    const document = uri ? await vscode.workspace.openTextDocument(uri) : vscode.window.activeTextEditor?.document;
    if (!document || !isDefinition(document)) {
      void vscode.window.showWarningMessage('Open a *.webhook.jsonc file to run it.');
      return undefined;
    }
    if (this.history.isRunning(document.uri)) {
      this.presenter.show(document.uri);
      return undefined;
    }
    // Claimed before the first await, so a double click cannot start a second run.
    this.history.setRunning(document.uri, true);
    try {
      const text = document.getText();
      const validation = validateDefinition(text, { file: document.uri.fsPath, catalog: await this.services.catalogs.catalogFor(document.uri) });
      const errors = validation.diagnostics.filter((d) => d.severity === 'error').length;
      let lead: LeadChoice | undefined = { label: 'test.lead' };
      if (errors === 0) {
        lead = await this.leadFor(document.uri, validation.definition?.test.lead);
        if (!lead) return undefined;
      }
      return await this.runWithProgress(document, text, lead);
    } finally {
      this.history.setRunning(document.uri, false);
      this.presenter.show(document.uri);
    }
  }

  private async runWithProgress(document: vscode.TextDocument, text: string, lead: LeadChoice): Promise<RunRecord | undefined> {
    const uri = document.uri;
    const name = vscode.workspace.asRelativePath(uri);
    this.presenter.show(uri);
    const result = await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: plainMessage(`Running ${name}`), cancellable: true },
      (_progress, token) => this.runOnce(document, text, lead, token),
    );
    if (!result) return undefined;
    const record: RunRecord = { id: `${Date.now()}-${Math.random().toString(36).slice(2, 8)}`, at: new Date().toISOString(), lead: lead.label, result };
    // The panel first. The history has the run in memory once add() is called and stores it (the
    // last runs' bodies, up to 256 K characters each) a turn later; completion parses the body
    // (10 MB at most) only when it first needs it.
    const stored = this.history.add(uri, record);
    this.history.setRunning(uri, false);
    this.presenter.show(uri);
    await stored;
    await this.remember(uri, result);
    this.log(name, record);
    if (!result.classification && !this.inputProblem) {
      const count = result.diagnostics.filter((d) => d.severity === 'error').length;
      void vscode.window.showWarningMessage(plainMessage(`${name} was not sent: ${count} error${count === 1 ? '' : 's'} to fix first.`), 'Show Problems').then((choice) => {
        if (choice) void vscode.commands.executeCommand(VSCODE_COMMANDS.showProblems);
      });
    }
    return record;
  }

  /** One engine run; a missing secret is asked for once, stored, and the run tried again. */
  private async runOnce(document: vscode.TextDocument, text: string, lead: LeadChoice, token: vscode.CancellationToken): Promise<RunResult | undefined> {
    const controller = new AbortController();
    this.controllers.set(document.uri.toString(), controller);
    const subscription = token.onCancellationRequested(() => controller.abort());
    const host: EngineHost = {
      readTextFile: (path, namedBy) => readLeadFile(document.uri, path, namedBy),
      getSecret: async (name) => this.services.secrets.get(name),
    };
    this.inputProblem = false;
    const asked = new Set<string>();
    try {
      const { runDefinition, RunCancelledError, RunInputError } = await loadRunEngine();
      for (;;) {
        try {
          return await runDefinition({
            text,
            file: document.uri.fsPath,
            host,
            catalog: await this.services.catalogs.catalogFor(document.uri),
            signal: controller.signal,
            onAnswerStart: (start) => this.presenter.answerStart(document.uri, start),
            ...(lead.value !== undefined ? { lead: lead.value } : {}),
            ...timeoutFor(document.uri, text),
          });
        } catch (error) {
          if (error instanceof RunCancelledError) {
            const what = vscode.workspace.asRelativePath(document.uri);
            // After the request went out, a second run may act twice (a charge, an SMS): say so.
            if (error.requestMayHaveArrived) void vscode.window.showWarningMessage(plainMessage(`The run of ${what} was cancelled after the request went out: the service may have received it and acted on it. Check the service before running it again.`));
            else void vscode.window.showInformationMessage(plainMessage(`The run of ${what} was cancelled before the request was sent.`));
            return undefined;
          }
          if (!(error instanceof RunInputError)) throw error;
          // Each missing secret is asked for once per run, then stored.
          if (error.missingSecret && !asked.has(error.missingSecret)) {
            asked.add(error.missingSecret);
            if (await askForSecret(this.services, error.missingSecret, error.problem)) continue;
          }
          if (error.problem === 'lead-unusable') await this.forgetPickedLead(document.uri);
          // A problem of this run's inputs, not of the definition: one message, no Problems to show.
          this.inputProblem = true;
          void vscode.window.showErrorMessage(plainMessage(error.message));
          return error.result;
        }
      }
    } finally {
      subscription.dispose();
      this.controllers.delete(document.uri.toString());
    }
  }

  /**
   * The sample lead: the definition's test.lead, else the defaultLead setting, else the one picked
   * for this definition before, else a pick from the workspace's lead files (or a blank lead).
   */
  private async leadFor(uri: vscode.Uri, own: WebhookDefinition['test']['lead']): Promise<LeadChoice | undefined> {
    const source = sampleLeadSource({ testLead: own, setting: defaultLeadSetting(uri) });
    if (source?.namedBy === 'test.lead') return { label: 'path' in source ? source.path : 'inline lead in test.lead' };
    if (source && 'path' in source) {
      const folder = vscode.workspace.getWorkspaceFolder(uri) ?? vscode.workspace.workspaceFolders?.[0];
      const path = source.relativeTo === 'workspace' && folder ? vscode.Uri.joinPath(folder.uri, source.path).fsPath : source.path;
      return { value: path, label: source.path };
    }
    const picked = this.state.get<{ path?: string; label: string }>(PICKED_LEAD_KEY + uri.toString());
    if (picked) return picked.path ? { value: picked.path, label: picked.label } : { value: {}, label: BLANK_LEAD };
    return this.pickLead(uri, false);
  }

  /** A remembered lead that cannot be read is forgotten, so the next run asks again. */
  private async forgetPickedLead(uri: vscode.Uri): Promise<void> {
    if (this.state.get(PICKED_LEAD_KEY + uri.toString()) !== undefined) await this.state.update(PICKED_LEAD_KEY + uri.toString(), undefined);
  }

  private async pickLead(uri: vscode.Uri, changing: boolean, prompts = new Prompts(undefined)): Promise<LeadChoice | undefined> {
    const found = await vscode.workspace.findFiles('**/*.lead.{json,jsonc}', '**/node_modules/**', 500);
    // findFiles follows symbolic links: a repository's `ada.lead.json` may lead to ~/.config/….
    // A picked lead is read wherever it is, so only files really inside the workspace are offered.
    const root = definitionRoot(uri).uri;
    const inside = await Promise.all(found.map((f) => (f.scheme === 'file' && root.scheme === 'file' ? liesInside(f.fsPath, [root.fsPath]) : Promise.resolve(true))));
    const files = found.filter((_f, i) => inside[i]);
    const hidden = found.length - files.length;
    const items: (vscode.QuickPickItem & { path?: string })[] = [
      ...files.map((f) => ({ label: vscode.workspace.asRelativePath(f), path: f.fsPath })),
      { label: BLANK_LEAD, description: 'every lead token sends its default, or nothing' },
    ];
    // A test names the item by its label: it is chosen only if it is offered.
    const label = await prompts.choose('lead', async () => (await vscode.window.showQuickPick(items, {
      title: (changing ? 'Sample lead for this definition' : 'Run against which sample lead?')
        + (hidden > 0 ? ` (${hidden} lead file${hidden === 1 ? '' : 's'} linking outside the workspace not listed)` : ''),
      placeHolder: 'Lead tokens ({{lead.…}}) take their values from this lead',
      ignoreFocusOut: true,
    }))?.label);
    const choice = items.find((item) => item.label === label);
    if (!choice) return undefined;
    await this.state.update(PICKED_LEAD_KEY + uri.toString(), choice.path ? { path: choice.path, label: choice.label } : { label: BLANK_LEAD });
    return choice.path ? { value: choice.path, label: choice.label } : { value: {}, label: BLANK_LEAD };
  }

  /** Completion offers response paths from the last answer, parsed when first asked for (none when it cannot be read). */
  private async remember(uri: vscode.Uri, result: RunResult): Promise<void> {
    const body = result.response?.body;
    if (!body) return;
    const { parseResponseBody } = await loadRunEngine();
    lastResponses.setUnparsed(uri, () => {
      const json = parseResponseBody(body, 'JSON');
      const parsed = json.ok ? json : parseResponseBody(body, 'XML');
      return parsed.ok ? parsed.value : undefined;
    });
  }

  private log(name: string, record: RunRecord): void {
    const { request, classification, response } = record.result;
    if (!classification || !request) {
      this.services.log.warn(logLine(`${name}: not sent (the definition has errors)`));
      return;
    }
    const sent = request.sent ? '' : ' (not sent: batch campaign)';
    const took = response ? ` in ${response.durationMs} ms, ${response.bytes} bytes` : '';
    this.services.log.info(logLine(`${name}: ${request.method} ${request.url}${sent} → ${classification.title}${took} [lead: ${record.lead}]`));
  }
}
