// A pulled lead is a real person's data: after writing one, the editor says so and offers to add
// `*.lead.json` to the .gitignore of the lead's workspace folder, only when the user agrees and
// only when no line of it already says so.
import * as vscode from 'vscode';
import { LEAD_FILES_PATTERN } from '../engine';
import type { Prompts } from './command-answers';
import { plainMessage } from './message-text';

/** Lines that already keep every `*.lead.json` out, wherever it is. */
const COVERING = new Set([LEAD_FILES_PATTERN, `**/${LEAD_FILES_PATTERN}`, `/**/${LEAD_FILES_PATTERN}`]);

/** The .gitignore that would cover `file`: its workspace folder's, else its own folder's. */
export function gitignoreFor(file: vscode.Uri): vscode.Uri {
  const folder = vscode.workspace.getWorkspaceFolder(file)?.uri ?? vscode.Uri.joinPath(file, '..');
  return vscode.Uri.joinPath(folder, '.gitignore');
}

/** Whether a .gitignore's text already has a line that keeps every lead file out. */
export function ignoresLeadFiles(text: string): boolean {
  return text.split(/\r?\n/).some((line) => COVERING.has(line.trim()));
}

/** Shows `notice`; when the .gitignore does not cover lead files, with a button that adds the line. Resolves to what was done, in words. */
export async function offerLeadIgnore(file: vscode.Uri, notice: string, prompts: Prompts): Promise<string | undefined> {
  const gitignore = gitignoreFor(file);
  const current = await readText(gitignore);
  if (current !== undefined && ignoresLeadFiles(current)) {
    void vscode.window.showInformationMessage(plainMessage(notice));
    return `${vscode.workspace.asRelativePath(gitignore)} already keeps lead files out.`;
  }
  const add = `Add "${LEAD_FILES_PATTERN}" to .gitignore`;
  const choice = await prompts.choose('gitignore', () => vscode.window.showWarningMessage(plainMessage(notice), add));
  if (choice !== add) return undefined;
  // Read again: the file may have changed while the notice was open.
  const text = (await readText(gitignore)) ?? '';
  if (ignoresLeadFiles(text)) return `${vscode.workspace.asRelativePath(gitignore)} already keeps lead files out.`;
  const eol = text.includes('\r\n') ? '\r\n' : '\n';
  const separator = text === '' || text.endsWith('\n') ? '' : eol;
  await vscode.workspace.fs.writeFile(gitignore, new TextEncoder().encode(`${text}${separator}# Sample leads pulled from Marketo: personal data${eol}${LEAD_FILES_PATTERN}${eol}`));
  const done = `Added "${LEAD_FILES_PATTERN}" to ${vscode.workspace.asRelativePath(gitignore)}.`;
  void vscode.window.showInformationMessage(plainMessage(done));
  return done;
}

async function readText(uri: vscode.Uri): Promise<string | undefined> {
  try {
    return new TextDecoder().decode(await vscode.workspace.fs.readFile(uri));
  } catch {
    return undefined;
  }
}
