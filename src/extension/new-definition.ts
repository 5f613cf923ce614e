// "Marketo Webhook: New Definition": asks for the Webhook Name and creates `<kebab-name>.webhook.jsonc`
// with a commented starter definition in the workspace folder of the active file (else the first
// workspace folder; an untitled document when no folder is open), then opens it. Never overwrites.
import * as vscode from 'vscode';
import { definitionFileName, nameProblem, starterDefinition } from '../engine';
import { COMMANDS } from './config';
import type { Services } from './services';

const LANGUAGE_ID = 'marketo-webhook';

/** Skips the prompt (tests, other commands): the Webhook Name and, optionally, the folder to create it in. */
export interface NewDefinitionArgs {
  name?: string;
  folder?: vscode.Uri;
}

export function registerNewDefinitionCommand(services: Services): vscode.Disposable {
  return vscode.commands.registerCommand(COMMANDS.newDefinition, (args?: unknown) => newDefinition(services, args));
}

/** Creates and opens the starter definition; returns its Uri, or undefined when nothing was created. */
async function newDefinition(services: Services, args: unknown): Promise<vscode.Uri | undefined> {
  const given = readArgs(args);
  const folder = given.folder ?? targetFolder();
  let name = given.name;
  if (name === undefined) {
    name = await vscode.window.showInputBox({
      title: 'New Marketo Webhook Definition',
      prompt: `The Webhook Name, as Marketo will show it. ${folder ? `The file is created in ${folderLabel(folder)}.` : 'No folder is open: the definition opens as an untitled file.'}`,
      placeHolder: 'Enrich Lead',
      ignoreFocusOut: true,
      validateInput: (value) => inputProblem(value, folder),
    });
    if (name === undefined) return undefined; // dismissed
  }
  name = name.trim();
  const problem = nameProblem(name);
  const fileName = definitionFileName(name);
  if (problem || !fileName) {
    void vscode.window.showErrorMessage(`Cannot create a definition named "${name}": ${problem ?? 'no file name can be made from it.'}`);
    return undefined;
  }
  const text = starterDefinition(name);
  try {
    if (!folder) {
      // No folder open: an untitled document, saved wherever the user likes.
      const document = await vscode.workspace.openTextDocument({ language: LANGUAGE_ID, content: text });
      await vscode.window.showTextDocument(document);
      return document.uri;
    }
    const uri = vscode.Uri.joinPath(folder, fileName);
    if (await exists(uri)) {
      void vscode.window.showErrorMessage(`${fileName} already exists in ${folderLabel(folder)}: it was left as it is. Choose another name.`);
      return undefined;
    }
    await vscode.workspace.fs.writeFile(uri, new TextEncoder().encode(text));
    services.log.info(`created ${uri.toString(true)}`);
    const document = await vscode.workspace.openTextDocument(uri);
    if (document.languageId !== LANGUAGE_ID) await vscode.languages.setTextDocumentLanguage(document, LANGUAGE_ID);
    await vscode.window.showTextDocument(document);
    return uri;
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    services.log.error(`New Definition failed: ${message}`);
    void vscode.window.showErrorMessage(`Could not create ${fileName}: ${message}`);
    return undefined;
  }
}

/** The optional argument `{ name, folder }`; a Uri alone (an explorer folder) is the folder. */
function readArgs(args: unknown): NewDefinitionArgs {
  if (args instanceof vscode.Uri) return { folder: args };
  if (typeof args !== 'object' || args === null) return {};
  const { name, folder } = args as Record<string, unknown>;
  return {
    ...(typeof name === 'string' ? { name } : {}),
    ...(folder instanceof vscode.Uri ? { folder } : {}),
  };
}

/** The workspace folder of the active file, else the first workspace folder. */
function targetFolder(): vscode.Uri | undefined {
  const active = vscode.window.activeTextEditor?.document.uri;
  const ofActive = active ? vscode.workspace.getWorkspaceFolder(active) : undefined;
  return (ofActive ?? vscode.workspace.workspaceFolders?.[0])?.uri;
}

async function inputProblem(value: string, folder: vscode.Uri | undefined): Promise<string | undefined> {
  const problem = nameProblem(value);
  if (problem) return problem;
  const fileName = definitionFileName(value.trim());
  if (folder && fileName && await exists(vscode.Uri.joinPath(folder, fileName))) {
    return `${fileName} already exists in ${folderLabel(folder)}; choose another name.`;
  }
  return undefined;
}

async function exists(uri: vscode.Uri): Promise<boolean> {
  try {
    await vscode.workspace.fs.stat(uri);
    return true;
  } catch {
    return false;
  }
}

/** `the workspace folder "x"`, a path relative to the workspace, or the full path outside it. */
function folderLabel(folder: vscode.Uri): string {
  const workspaceFolder = vscode.workspace.getWorkspaceFolder(folder);
  if (!workspaceFolder) return folder.fsPath;
  const relative = vscode.workspace.asRelativePath(folder, false);
  return workspaceFolder.uri.toString() === folder.toString() || relative === '' ? `the workspace folder "${workspaceFolder.name}"` : relative;
}
