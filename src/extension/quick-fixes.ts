// Quick fixes for the engine's diagnostics. The engine puts what a fix needs in each finding's
// `data`: the file span to replace and the replacements, best first; this layer turns them into
// code actions. Fixes that reach beyond one span (a header to add, a credential to move into a
// secret) edit the JSON through jsonc-parser so comments and layout survive.
import { applyEdits, modify, type FormattingOptions } from 'jsonc-parser';
import * as vscode from 'vscode';
import { DIAGNOSTIC_CODES as C, type Diagnostic as EngineDiagnostic, jsonFragment } from '../engine';
import { toVscodeRange } from './definition-diagnostics';
import { DEFINITION_SELECTOR } from './language';
import { INTERNAL_COMMANDS } from './config';
import type { Services } from './services';


/** Codes whose data holds a span and its replacements: one action per replacement. */
const REPLACE_CODES = new Set<string>([
  C.tokenUnknownField, C.tokenUnknownName, C.tokenUnknownNamespace, C.tokenDefaultSyntax, C.tokenMalformed,
  C.tokenUnclosed, C.tokenQuotedJson, C.jsonTokenEmpty, C.marketoFieldNotSoapName, C.marketoFieldUnknown,
  C.invalidEnum, C.unknownKey, C.templateIllegalEscape, C.mappingsWithoutResponseType,
]);

function title(d: EngineDiagnostic, replacement: string): string {
  switch (d.code) {
    case C.tokenQuotedJson:
      return 'Remove the quotes around the token';
    case C.jsonTokenEmpty:
      return `Send 0 when the value is empty (${replacement})`;
    case C.templateIllegalEscape:
      return 'Send the backslash as written (double it)';
    case C.mappingsWithoutResponseType:
      return `Set Response Type to ${/"(JSON|XML)"/.exec(replacement)?.[1] ?? replacement}`;
    case C.marketoFieldNotSoapName:
    case C.marketoFieldUnknown:
      return `Use the SOAP API name ${replacement}`;
    default:
      return `Change to ${replacement.startsWith('"') || replacement.startsWith('{{') ? replacement : `"${replacement}"`}`;
  }
}

function sameDiagnostic(a: vscode.Diagnostic, b: EngineDiagnostic): boolean {
  return a.code === b.code && a.range.isEqual(toVscodeRange(b.range));
}

function formatting(document: vscode.TextDocument): FormattingOptions {
  const editor = vscode.window.visibleTextEditors.find((e) => e.document === document);
  const tabSize = typeof editor?.options.tabSize === 'number' ? editor.options.tabSize : 2;
  const insertSpaces = typeof editor?.options.insertSpaces === 'boolean' ? editor.options.insertSpaces : true;
  return { tabSize, insertSpaces, eol: document.eol === vscode.EndOfLine.CRLF ? '\r\n' : '\n' };
}

/** Applies jsonc-parser's edits for `path = value` to a WorkspaceEdit. */
function jsonEdit(document: vscode.TextDocument, edit: vscode.WorkspaceEdit, path: (string | number)[], value: unknown, text = document.getText()): void {
  for (const e of modify(text, path, value, { formattingOptions: formatting(document) })) {
    edit.replace(document.uri, new vscode.Range(document.positionAt(e.offset), document.positionAt(e.offset + e.length)), e.content);
  }
}

export class QuickFixProvider implements vscode.CodeActionProvider {
  static readonly kinds = [vscode.CodeActionKind.QuickFix];

  constructor(private readonly services: Services) {}

  provideCodeActions(document: vscode.TextDocument, _range: vscode.Range, context: vscode.CodeActionContext): vscode.CodeAction[] {
    const findings = this.services.diagnostics.engineDiagnostics(document);
    const actions: vscode.CodeAction[] = [];
    for (const diagnostic of context.diagnostics) {
      const finding = findings.find((f) => sameDiagnostic(diagnostic, f));
      if (!finding) continue;
      actions.push(...this.fixesFor(document, diagnostic, finding));
    }
    return actions;
  }

  private fixesFor(document: vscode.TextDocument, diagnostic: vscode.Diagnostic, finding: EngineDiagnostic): vscode.CodeAction[] {
    const data = finding.data;
    if (REPLACE_CODES.has(finding.code) && data?.replacements?.length) {
      const range = new vscode.Range(document.positionAt(data.offset), document.positionAt(data.offset + data.length));
      return data.replacements.map((replacement, i) => {
        const action = new vscode.CodeAction(title(finding, replacement), vscode.CodeActionKind.QuickFix);
        action.edit = new vscode.WorkspaceEdit();
        action.edit.replace(document.uri, range, replacement);
        action.diagnostics = [diagnostic];
        action.isPreferred = i === 0;
        return action;
      });
    }
    switch (finding.code) {
      case C.jsonBodyWithoutContentType:
        return [this.addContentType(document, diagnostic)];
      case C.headerNotAllowed:
        return [this.removeHeader(document, diagnostic)];
      case C.literalCredential:
        return data ? [this.moveCredential(document, diagnostic, data as unknown as CredentialData)] : [];
      case C.templateOnGet:
        return [this.setRequestType(document, diagnostic)];
      case C.urlTokenUnencoded:
        return urlTokenEncodingFixes(document, diagnostic, finding);
      case C.jsonTokenUnencoded:
        return data?.toJson ? [this.useJsonEncoding(document, diagnostic, data.toJson as ToJsonData)] : [];
      default:
        return [];
    }
  }

  private addContentType(document: vscode.TextDocument, diagnostic: vscode.Diagnostic): vscode.CodeAction {
    const action = new vscode.CodeAction('Add the header "Content-Type: application/json"', vscode.CodeActionKind.QuickFix);
    action.edit = new vscode.WorkspaceEdit();
    jsonEdit(document, action.edit, ['headers', 'Content-Type'], 'application/json');
    action.diagnostics = [diagnostic];
    action.isPreferred = true;
    return action;
  }

  private removeHeader(document: vscode.TextDocument, diagnostic: vscode.Diagnostic): vscode.CodeAction {
    const name = JSON.parse(document.getText(diagnostic.range)) as string;
    const action = new vscode.CodeAction(`Remove the header "${name}"`, vscode.CodeActionKind.QuickFix);
    action.edit = new vscode.WorkspaceEdit();
    jsonEdit(document, action.edit, ['headers', name], undefined);
    action.diagnostics = [diagnostic];
    action.isPreferred = true;
    return action;
  }

  private setRequestType(document: vscode.TextDocument, diagnostic: vscode.Diagnostic): vscode.CodeAction {
    const action = new vscode.CodeAction('Send it: change Request Type to POST', vscode.CodeActionKind.QuickFix);
    action.edit = new vscode.WorkspaceEdit();
    jsonEdit(document, action.edit, ['requestType'], 'POST');
    action.diagnostics = [diagnostic];
    return action;
  }

  /**
   * Sets Request Token Encoding to JSON and removes the quotes around each token that is a whole
   * string value (the engine lists them), so every value is written as JSON would have it.
   */
  private useJsonEncoding(document: vscode.TextDocument, diagnostic: vscode.Diagnostic, data: ToJsonData): vscode.CodeAction {
    const action = new vscode.CodeAction(`Use JSON encoding${data.unquote.length > 0 ? ', the tokens unquoted' : ''}`, vscode.CodeActionKind.QuickFix);
    action.edit = new vscode.WorkspaceEdit();
    // The quotes lie inside the template's string, the encoding's edit outside it: they never overlap.
    for (const q of data.unquote) {
      action.edit.replace(document.uri, new vscode.Range(document.positionAt(q.offset), document.positionAt(q.offset + q.length)), q.replacement);
    }
    jsonEdit(document, action.edit, ['requestTokenEncoding'], 'JSON');
    action.diagnostics = [diagnostic];
    action.isPreferred = true;
    return action;
  }

  /**
   * Replaces the literal with `{{my.<Token>}}`, declares the token in `test.tokens` as a secret, and
   * stores the literal in secret storage, so the definition runs as before and holds no credential.
   */
  private moveCredential(document: vscode.TextDocument, diagnostic: vscode.Diagnostic, source: CredentialData): vscode.CodeAction {
    // Secret storage is shared by every workspace: a saved definition's secrets carry its file name,
    // so two definitions' "Authorization" credentials never land on one name.
    const stem = document.uri.scheme === 'file' ? document.uri.path.split('/').pop()?.replace(/\.webhook\.jsonc$/i, '') : undefined;
    const prefix = stem ? `${stem.toUpperCase().replace(/[^A-Z0-9]+/g, '_').replace(/^_|_$/g, '')}_` : '';
    const data = { ...source, secretName: prefix + source.secretName };
    const token = `{{my.${data.tokenName}}}`;
    const action = new vscode.CodeAction(`Move the credential into the secret token ${token}`, vscode.CodeActionKind.QuickFix);
    const text = document.getText();
    const withToken = text.slice(0, data.offset) + jsonFragment(token) + text.slice(data.offset + data.length);
    // jsonc-parser may reformat the neighbouring property when it inserts test.tokens, so the two
    // changes can overlap: make the final text, then replace only the span that differs.
    const final = applyEdits(withToken, modify(withToken, ['test', 'tokens', `my.${data.tokenName}`], { secret: data.secretName }, { formattingOptions: formatting(document) }));
    const edit = new vscode.WorkspaceEdit();
    const { start, end, content } = differingSpan(text, final);
    edit.replace(document.uri, new vscode.Range(document.positionAt(start), document.positionAt(end)), content);
    action.edit = edit;
    action.command = { command: INTERNAL_COMMANDS.storeSecretFromFix, title: 'Store the secret', arguments: [data.secretName, data.literal] };
    action.diagnostics = [diagnostic];
    action.isPreferred = true;
    return action;
  }
}

/**
 * A text token raw in the URL's query (url-token-unencoded): set Request Token Encoding to the one
 * the engine names, offered only where that also suits the template (none, or a form body).
 */
function urlTokenEncodingFixes(document: vscode.TextDocument, diagnostic: vscode.Diagnostic, finding: EngineDiagnostic): vscode.CodeAction[] {
  const encoding = finding.data?.requestTokenEncoding;
  if (typeof encoding !== 'string') return [];
  const action = new vscode.CodeAction(`Set Request Token Encoding to ${encoding} (encodes URL tokens)`, vscode.CodeActionKind.QuickFix);
  action.edit = new vscode.WorkspaceEdit();
  jsonEdit(document, action.edit, ['requestTokenEncoding'], encoding);
  action.diagnostics = [diagnostic];
  action.isPreferred = true;
  return [action];
}

interface ToJsonData {
  unquote: { offset: number; length: number; replacement: string }[];
}

interface CredentialData {
  offset: number;
  length: number;
  tokenName: string;
  secretName: string;
  literal: string;
}

/** The one span of `before` that must be replaced to get `after`. */
function differingSpan(before: string, after: string): { start: number; end: number; content: string } {
  let start = 0;
  while (start < before.length && start < after.length && before[start] === after[start]) start++;
  let tail = 0;
  while (tail < before.length - start && tail < after.length - start && before[before.length - 1 - tail] === after[after.length - 1 - tail]) tail++;
  return { start, end: before.length - tail, content: after.slice(start, after.length - tail) };
}

export function registerQuickFixes(services: Services): vscode.Disposable {
  return vscode.Disposable.from(
    vscode.languages.registerCodeActionsProvider(DEFINITION_SELECTOR, new QuickFixProvider(services), { providedCodeActionKinds: QuickFixProvider.kinds }),
    // Names only, never values: for the secrets list and for tests.
    vscode.commands.registerCommand(INTERNAL_COMMANDS.secretNames, () => services.secrets.names()),
    vscode.commands.registerCommand(INTERNAL_COMMANDS.storeSecretFromFix, async (name: string, value: string) => {
      const existing = await services.secrets.get(name);
      if (existing !== undefined && existing !== value) {
        const choice = await vscode.window.showWarningMessage(`A different value is already stored as the secret "${name}". Replace it? Other definitions that use "${name}" would then send this credential.`, { modal: true }, 'Replace');
        if (choice !== 'Replace') return;
      }
      await services.secrets.set(name, value);
      void vscode.window.showInformationMessage(`The credential is now the secret "${name}" in VS Code's secret storage; the definition refers to it by name.`);
    }),
  );
}
