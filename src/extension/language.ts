// The contributed language, as package.json declares it.
import type * as vscode from 'vscode';

export const LANGUAGE_ID = 'marketo-webhook';
/** Where diagnostics say they come from, in the Problems panel. */
export const DIAGNOSTIC_SOURCE = 'Marketo Webhook';
export const DEFINITION_GLOB = '**/*.webhook.jsonc';
export const DEFINITION_SELECTOR: vscode.DocumentSelector = { language: LANGUAGE_ID };

export function isDefinition(document: vscode.TextDocument): boolean {
  return document.languageId === LANGUAGE_ID;
}

/** A definition file on disk (not an untitled buffer). */
export function isDefinitionUri(uri: vscode.Uri): boolean {
  return uri.scheme === 'file' && uri.path.endsWith('.webhook.jsonc');
}
