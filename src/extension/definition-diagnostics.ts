// Keeps the Problems panel in step with the open definitions: the engine validates, this turns its
// findings into VS Code diagnostics with the same codes and ranges.
import * as vscode from 'vscode';
import { validateDefinition } from '../engine/validate';
import type { Diagnostic as EngineDiagnostic } from '../engine/types';
import { DIAGNOSTIC_SOURCE, isDefinition } from './language';

/** Pause after the last keystroke before validating again. */
const DEBOUNCE_MS = 200;

const SEVERITY: Record<EngineDiagnostic['severity'], vscode.DiagnosticSeverity> = {
  error: vscode.DiagnosticSeverity.Error,
  warning: vscode.DiagnosticSeverity.Warning,
  info: vscode.DiagnosticSeverity.Information,
  hint: vscode.DiagnosticSeverity.Hint,
};

export function toVscodeDiagnostic(d: EngineDiagnostic): vscode.Diagnostic {
  const range = new vscode.Range(d.range.start.line, d.range.start.character, d.range.end.line, d.range.end.character);
  const diagnostic = new vscode.Diagnostic(range, d.message, SEVERITY[d.severity]);
  diagnostic.code = d.code;
  diagnostic.source = DIAGNOSTIC_SOURCE;
  return diagnostic;
}

export class DefinitionDiagnostics implements vscode.Disposable {
  private readonly collection = vscode.languages.createDiagnosticCollection('marketo-webhook');
  private readonly pending = new Map<string, NodeJS.Timeout>();
  private readonly subscriptions: vscode.Disposable[] = [];

  constructor() {
    this.subscriptions.push(
      vscode.workspace.onDidOpenTextDocument((doc) => this.validateNow(doc)),
      vscode.workspace.onDidChangeTextDocument((e) => this.validateSoon(e.document)),
      vscode.workspace.onDidCloseTextDocument((doc) => this.forget(doc.uri)),
    );
    for (const doc of vscode.workspace.textDocuments) this.validateNow(doc);
  }

  /** Validates a definition at once and returns what it found (none for other documents). */
  validateNow(document: vscode.TextDocument): vscode.Diagnostic[] {
    if (!isDefinition(document)) return [];
    this.cancel(document.uri);
    const { diagnostics } = validateDefinition(document.getText(), { file: document.uri.fsPath });
    const converted = diagnostics.map(toVscodeDiagnostic);
    this.collection.set(document.uri, converted);
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

  private cancel(uri: vscode.Uri): void {
    const timer = this.pending.get(uri.toString());
    if (timer) clearTimeout(timer);
    this.pending.delete(uri.toString());
  }

  private forget(uri: vscode.Uri): void {
    this.cancel(uri);
    this.collection.delete(uri);
  }

  dispose(): void {
    for (const timer of this.pending.values()) clearTimeout(timer);
    this.pending.clear();
    for (const s of this.subscriptions) s.dispose();
    this.collection.dispose();
  }
}
