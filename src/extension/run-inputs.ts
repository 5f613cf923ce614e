// What a run (one lead, or a list) needs from the editor besides the definition: the lead and
// tokens files the engine reads, a secret it lacks, the timeout setting. Shared by the run command
// and the lead-list command, which is bundled apart (dist/lead-list-command.js): nothing here
// keeps state of its own.
import { findNodeAtLocation, parseTree } from 'jsonc-parser';
import * as vscode from 'vscode';
import type { FileNamedBy, RunInputProblem } from '../engine';
import { FileRefusedError } from '../node/input-file';
import { timeoutSetting } from './config';
import { plainMessage } from './message-text';
import { secretInputProblem } from './secret-store';
import type { Services } from './services';
import { LEAD_OUTSIDE_WHY, TOKENS_OUTSIDE_WHY, describeReadError, readWorkspaceText } from './workspace-files';

/**
 * The engine's file access for a run: a lead or tokens file named by the definition (`test.lead`,
 * `test.tokens`) only inside
 * its workspace folder; one named by the user (the defaultLead setting, a picked lead) anywhere.
 * Either way a regular file of bounded size. The message is the reason, for the engine to put
 * after the lead's name.
 */
export async function readLeadFile(definition: vscode.Uri, path: string, namedBy: FileNamedBy): Promise<string> {
  // The engine works with paths; a definition on another file system keeps its scheme.
  const uri = definition.scheme === 'file' ? vscode.Uri.file(path) : definition.with({ path });
  try {
    const why = namedBy.by === 'definition' && namedBy.key === 'test.tokens' ? TOKENS_OUTSIDE_WHY : LEAD_OUTSIDE_WHY;
    return await readWorkspaceText(uri, namedBy.by === 'definition' ? { within: { definition, why } } : {});
  } catch (error) {
    // The engine names the lead as written; the path tried helps, unless where it is is the problem.
    const outside = error instanceof FileRefusedError && error.reason === 'outside';
    throw new Error(outside ? error.message : `${describeReadError(error)} (${vscode.workspace.asRelativePath(uri)})`, { cause: error });
  }
}

/** Asks for a secret a run needs (a list run too) and stores it; false when the user dismisses the prompt. */
export async function askForSecret(services: Services, name: string, problem: RunInputProblem): Promise<boolean> {
  const why = problem === 'secret-too-short' ? `The stored value of the secret "${name}" is too short to be masked: enter the whole value.` : `The definition needs the secret "${name}".`;
  const value = await vscode.window.showInputBox({
    title: plainMessage(`Secret "${name}"`),
    prompt: plainMessage(`${why} It is kept in VS Code's secret storage, never in a file.`),
    password: true,
    ignoreFocusOut: true,
    validateInput: (v) => (v.trim() === '' ? 'Enter the value, or press Escape to stop.' : secretInputProblem(v)),
  });
  if (value === undefined) return false;
  await services.secrets.set(name, value);
  return true;
}

/** The timeout setting applies only when the definition has no test.timeoutMs of its own. */
export function timeoutFor(uri: vscode.Uri, text: string): { timeoutMs?: number } {
  const root = parseTree(text, [], { allowTrailingComma: true });
  if (root && findNodeAtLocation(root, ['test', 'timeoutMs'])) return {};
  const setting = timeoutSetting(uri);
  return setting !== undefined ? { timeoutMs: setting } : {};
}
