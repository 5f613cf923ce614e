// Keeps the Problems panel in step with every definition: open ones as they are edited (debounced,
// stale results dropped), and all `*.webhook.jsonc` files of the workspace in the background, kept
// current as they change on disk, are renamed or deleted. The engine validates; this layer turns its
// findings into VS Code diagnostics with the same codes and ranges.
import * as vscode from 'vscode';
import { definitionTooLargeMessage, MAX_INPUT_FILE_BYTES, validateDefinition, type Diagnostic as EngineDiagnostic } from '../engine';
import { FileRefusedError } from '../node/input-file';
import type { CatalogService } from './catalog-service';
import { DEFINITION_GLOB, DIAGNOSTIC_SOURCE, isDefinition, isDefinitionUri } from './language';
import { readWorkspaceText } from './workspace-files';

/** Pause after the last keystroke before validating again. */
const DEBOUNCE_MS = 200;

const SEVERITY: Record<EngineDiagnostic['severity'], vscode.DiagnosticSeverity> = {
  error: vscode.DiagnosticSeverity.Error,
  warning: vscode.DiagnosticSeverity.Warning,
  info: vscode.DiagnosticSeverity.Information,
  hint: vscode.DiagnosticSeverity.Hint,
};

export function toVscodeRange(range: EngineDiagnostic['range']): vscode.Range {
  return new vscode.Range(range.start.line, range.start.character, range.end.line, range.end.character);
}

export function toVscodeDiagnostic(d: EngineDiagnostic): vscode.Diagnostic {
  const diagnostic = new vscode.Diagnostic(toVscodeRange(d.range), d.message, SEVERITY[d.severity]);
  diagnostic.code = d.code;
  diagnostic.source = DIAGNOSTIC_SOURCE;
  return diagnostic;
}

export class DefinitionDiagnostics implements vscode.Disposable {
  private readonly collection = vscode.languages.createDiagnosticCollection('marketo-webhook');
  private readonly pending = new Map<string, NodeJS.Timeout>();
  /** engine findings of the last validation of each document (and of which version), for quick fixes */
  private readonly findings = new Map<string, { version: number | undefined; diagnostics: EngineDiagnostic[] }>();
  private readonly subscriptions: vscode.Disposable[] = [];

  constructor(private readonly catalogs: CatalogService, private readonly log: vscode.LogOutputChannel) {
    const watcher = vscode.workspace.createFileSystemWatcher(DEFINITION_GLOB);
    this.subscriptions.push(
      watcher,
      vscode.workspace.onDidOpenTextDocument((doc) => this.validateNow(doc)),
      vscode.workspace.onDidChangeTextDocument((e) => this.validateSoon(e.document)),
      // A closed definition keeps its problems, read again from disk (it may differ from the editor's).
      vscode.workspace.onDidCloseTextDocument((doc) => {
        this.cancel(doc.uri);
        if (isDefinitionUri(doc.uri)) void this.validateFile(doc.uri);
        else this.forget(doc.uri);
      }),
      watcher.onDidCreate((uri) => void this.validateFile(uri)),
      watcher.onDidChange((uri) => void this.validateFile(uri)),
      watcher.onDidDelete((uri) => this.forget(uri)),
      catalogs.onDidChange(() => this.revalidateAll()),
    );
    for (const doc of vscode.workspace.textDocuments) this.validateNow(doc);
    void this.validateWorkspace();
  }

  /** Validates a definition at once and returns what it found (none for other documents). */
  validateNow(document: vscode.TextDocument): vscode.Diagnostic[] {
    if (!isDefinition(document)) return [];
    this.cancel(document.uri);
    return this.publish(document.uri, document.getText(), document.version);
  }

  /**
   * The engine's findings for a document, with the data quick fixes need, when they were made for
   * its current text; none while a newer edit waits to be validated.
   */
  engineDiagnostics(document: vscode.TextDocument): readonly EngineDiagnostic[] {
    const found = this.findings.get(document.uri.toString());
    return found && found.version === document.version ? found.diagnostics : [];
  }

  private publish(uri: vscode.Uri, text: string, version?: number): vscode.Diagnostic[] {
    const { diagnostics } = validateDefinition(text, { file: uri.fsPath, catalog: this.catalogs.catalogNow(uri) });
    const converted = diagnostics.map(toVscodeDiagnostic);
    this.findings.set(uri.toString(), { version, diagnostics });
    this.collection.set(uri, converted);
    return converted;
  }

  private validateSoon(document: vscode.TextDocument): void {
    if (!isDefinition(document)) return;
    this.cancel(document.uri);
    // The version is checked when the timer fires, so a result for old text is never shown.
    const version = document.version;
    this.pending.set(document.uri.toString(), setTimeout(() => {
      this.pending.delete(document.uri.toString());
      if (!document.isClosed && document.version === version) this.validateNow(document);
    }, DEBOUNCE_MS));
  }

  /** Every definition in the workspace, so the Problems panel lists the broken ones unopened. */
  private async validateWorkspace(): Promise<void> {
    const started = Date.now();
    const files = await vscode.workspace.findFiles(DEFINITION_GLOB, '**/node_modules/**');
    for (const uri of files) await this.validateFile(uri);
    this.log.info(`validated ${files.length} definition(s) in the workspace in ${Date.now() - started} ms`);
  }

  /** A definition on disk; an open one is the editor's business. */
  private async validateFile(uri: vscode.Uri): Promise<void> {
    if (vscode.workspace.textDocuments.some((d) => d.uri.toString() === uri.toString())) return;
    try {
      // The bounded reader: a repository's FIFO or /dev/zero link named *.webhook.jsonc is refused,
      // never waited on or read without end.
      const text = await readWorkspaceText(uri, { maxBytes: MAX_INPUT_FILE_BYTES });
      // The file may have been opened while it was read: the editor's text wins.
      if (vscode.workspace.textDocuments.some((d) => d.uri.toString() === uri.toString())) return;
      await this.catalogs.catalogFor(uri);
      this.publish(uri, text);
    } catch (error) {
      if (error instanceof FileRefusedError && error.reason === 'too-large') {
        const diagnostic = new vscode.Diagnostic(new vscode.Range(0, 0, 0, 0), definitionTooLargeMessage(error.bytes), vscode.DiagnosticSeverity.Error);
        diagnostic.code = 'file-too-large';
        diagnostic.source = DIAGNOSTIC_SOURCE;
        this.collection.set(uri, [diagnostic]);
        return;
      }
      // Deleted meanwhile, unreadable, or not a regular file: nothing to show.
      this.log.warn(`could not validate ${uri.toString(true)}: ${error instanceof Error ? error.message : String(error)}`);
      this.forget(uri);
    }
  }

  private revalidateAll(): void {
    for (const doc of vscode.workspace.textDocuments) this.validateNow(doc);
    const open = new Set(vscode.workspace.textDocuments.map((d) => d.uri.toString()));
    this.collection.forEach((uri) => {
      if (!open.has(uri.toString())) void this.validateFile(uri);
    });
  }

  private cancel(uri: vscode.Uri): void {
    const timer = this.pending.get(uri.toString());
    if (timer) clearTimeout(timer);
    this.pending.delete(uri.toString());
  }

  private forget(uri: vscode.Uri): void {
    this.cancel(uri);
    this.findings.delete(uri.toString());
    this.collection.delete(uri);
  }

  dispose(): void {
    for (const timer of this.pending.values()) clearTimeout(timer);
    this.pending.clear();
    for (const s of this.subscriptions) s.dispose();
    this.collection.dispose();
  }
}
