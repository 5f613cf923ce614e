// A definition's `"test.tokens": "FILE"` (a tokens file, as `marketo-webhook pull tokens` writes
// it), read for completion and hover as a run reads it: relative to the definition, only inside
// its workspace folder, a bounded regular file.
import * as vscode from 'vscode';
import { isAbsolutePath, parseTokensText, type WebhookDefinition } from '../engine';
import { FileRefusedError } from '../node/input-file';
import { TOKENS_OUTSIDE_WHY, describeReadError, isMissing, readWorkspaceText } from './workspace-files';

export type TokensFileRead = { file: string; tokens: Record<string, string> } | { file: string; problem: string };

/** The definition's tokens file and its tokens, or why they cannot be had; undefined when it names none. */
export async function readDefinitionTokens(document: vscode.TextDocument, definition: WebhookDefinition | undefined): Promise<TokensFileRead | undefined> {
  const file = definition?.test.tokensFile;
  if (file === undefined) return undefined;
  let uri: vscode.Uri;
  if (isAbsolutePath(file)) uri = vscode.Uri.file(file);
  else if (document.uri.scheme === 'untitled') return { file, problem: 'the definition is not saved yet, so a path relative to it leads nowhere.' };
  else uri = vscode.Uri.joinPath(document.uri, '..', file);
  let text: string;
  try {
    text = await readWorkspaceText(uri, { within: { definition: document.uri, why: TOKENS_OUTSIDE_WHY } });
  } catch (error) {
    if (isMissing(error)) return { file, problem: 'the file does not exist.' };
    const reason = error instanceof FileRefusedError ? error.message : `cannot be read (${describeReadError(error)})`;
    return { file, problem: reason.endsWith('.') ? reason : `${reason}.` };
  }
  const read = parseTokensText(text);
  return read.ok ? { file, tokens: read.tokens } : { file, problem: `not usable: ${read.message}.` };
}
