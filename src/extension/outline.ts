// Outline, breadcrumbs and Go to Symbol for definitions: the engine builds the symbol tree from the
// text (src/engine/definition/outline.ts); this layer turns offsets into positions and kinds into icons.
import * as vscode from 'vscode';
import { definitionOutline, type OutlineKind, type OutlineSymbol } from '../engine';
import { DEFINITION_SELECTOR } from './language';
import type { Services } from './services';

const KINDS: Record<OutlineKind, vscode.SymbolKind> = {
  webhook: vscode.SymbolKind.Module,
  header: vscode.SymbolKind.Property,
  mapping: vscode.SymbolKind.Field,
  token: vscode.SymbolKind.Variable,
  string: vscode.SymbolKind.String,
  number: vscode.SymbolKind.Number,
  boolean: vscode.SymbolKind.Boolean,
  null: vscode.SymbolKind.Null,
  enum: vscode.SymbolKind.EnumMember,
  object: vscode.SymbolKind.Object,
  array: vscode.SymbolKind.Array,
  key: vscode.SymbolKind.Key,
};

export function registerOutline(services: Services): vscode.Disposable {
  const provider: vscode.DocumentSymbolProvider = {
    provideDocumentSymbols(document) {
      try {
        return definitionOutline(document.getText()).map((s) => toDocumentSymbol(document, s));
      } catch (error) {
        // The engine reads any text without throwing; should that ever fail, the outline stays empty
        // and the editor carries on.
        services.log.error(`Outline of ${document.uri.toString(true)} failed: ${error instanceof Error ? error.stack ?? error.message : String(error)}`);
        return [];
      }
    },
  };
  return vscode.languages.registerDocumentSymbolProvider(DEFINITION_SELECTOR, provider, { label: 'Marketo Webhook' });
}

function toDocumentSymbol(document: vscode.TextDocument, symbol: OutlineSymbol): vscode.DocumentSymbol {
  const range = new vscode.Range(document.positionAt(symbol.offset), document.positionAt(symbol.offset + symbol.length));
  const selection = new vscode.Range(document.positionAt(symbol.selectionOffset), document.positionAt(symbol.selectionOffset + symbol.selectionLength));
  const result = new vscode.DocumentSymbol(symbol.name, symbol.detail, KINDS[symbol.kind], range, selection);
  result.children = symbol.children.map((child) => toDocumentSymbol(document, child));
  return result;
}
