// The contributed language, as package.json declares it.
import type * as vscode from 'vscode';

export const LANGUAGE_ID = 'marketo-webhook';
/** Where diagnostics say they come from, in the Problems panel. */
export const DIAGNOSTIC_SOURCE = 'Marketo Webhook';

export function isDefinition(document: vscode.TextDocument): boolean {
  return document.languageId === LANGUAGE_ID;
}
