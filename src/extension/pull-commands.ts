// "Pull Field Catalog", "Pull Sample Lead…" and "Pull My Tokens…": what a run needs, read from the
// connected Marketo instance and written where the editor reads it, under the names and in the
// shapes `marketo-webhook pull` writes (the engine's pullFileName and pullFileText).
import { constants } from 'node:fs';
import { chmod, lstat, writeFile } from 'node:fs/promises';
import { posix } from 'node:path';
import { findNodeAtLocation, modify, parseTree } from 'jsonc-parser';
import * as vscode from 'vscode';
import { isAbsolutePath, leadKeyFrom, positiveId, pullFileName, pullFileText, type LeadKey, type PullTarget } from '../engine';
import { Prompts } from './command-answers';
import { COMMANDS, fieldsFileSetting } from './config';
import { offerLeadIgnore } from './lead-ignore';
import { isDefinition } from './language';
import { callWithProgress, refusedUntrusted, storedConnection, type MarketoCommandResult } from './marketo-calls';
import type { MarketoConnections } from './marketo-connection';
import { logLine, plainMessage } from './message-text';
import { loadRunEngine } from './run-engine';

/** Create or truncate, and fail on a symbolic link where the OS can tell (O_NOFOLLOW; not on Windows). */
const NO_FOLLOW_WRITE = constants.O_WRONLY | constants.O_CREAT | constants.O_TRUNC | (constants.O_NOFOLLOW ?? 0);

/** The commands' handlers, by id (./marketo-commands registers them). */
export function pullCommands(connections: MarketoConnections, log: vscode.LogOutputChannel) {
  const pulls = new Pulls(connections, log);
  return {
    [COMMANDS.pullFields]: (argument: unknown) => pulls.fields(new Prompts(argument)),
    [COMMANDS.pullLead]: (argument: unknown) => pulls.lead(new Prompts(argument)),
    [COMMANDS.pullTokens]: (argument: unknown) => pulls.tokens(new Prompts(argument)),
  };
}

class Pulls {
  constructor(private readonly connections: MarketoConnections, private readonly log: vscode.LogOutputChannel) {}

  async fields(prompts: Prompts): Promise<MarketoCommandResult> {
    const refused = refusedUntrusted('Pulling from Marketo');
    if (refused) return { ok: false, message: refused };
    const target = fieldsTarget();
    if (!target) return this.fail('Open a workspace folder first: the field catalog is written to its marketo-fields.json.');
    return this.pull(prompts, { what: 'fields' }, target, `Pulling the field catalog from Marketo`);
  }

  async lead(prompts: Prompts): Promise<MarketoCommandResult> {
    const refused = refusedUntrusted('Pulling from Marketo');
    if (refused) return { ok: false, message: refused };
    const answer = await prompts.input('lead', {
      title: 'Pull Sample Lead: which lead?',
      prompt: 'An email address, or a lead id (the number in the lead\'s URL in Marketo)',
      placeHolder: 'jane.doe@example.com or 318581',
      validateInput: (v) => {
        const key = leadKeyFrom(v);
        return 'problem' in key ? key.problem : undefined;
      },
    });
    if (answer === undefined) return { ok: false, message: 'Pull Sample Lead was dismissed.' };
    const lead = leadKeyFrom(answer) as LeadKey;
    const target: PullTarget = { what: 'lead', lead };
    const folder = await folderFor(prompts);
    if (!folder) return { ok: false, message: 'No folder was chosen; nothing was pulled.' };
    return this.pull(prompts, target, vscode.Uri.joinPath(folder, pullFileName(target)), `Pulling lead ${'email' in lead ? lead.email : lead.id} from Marketo`);
  }

  async tokens(prompts: Prompts): Promise<MarketoCommandResult> {
    const refused = refusedUntrusted('Pulling from Marketo');
    if (refused) return { ok: false, message: refused };
    const answer = await prompts.input('program', {
      title: 'Pull My Tokens: which program?',
      prompt: 'The program\'s id: the number in its URL in Marketo (…#PG1089A1 is 1089)',
      placeHolder: '1089',
      validateInput: (v) => (positiveId(v) === undefined ? 'Enter the program id, a positive whole number' : undefined),
    });
    if (answer === undefined) return { ok: false, message: 'Pull My Tokens was dismissed.' };
    const program = positiveId(answer) as number;
    const folder = await folderFor(prompts);
    if (!folder) return { ok: false, message: 'No folder was chosen; nothing was pulled.' };
    const target: PullTarget = { what: 'tokens', program };
    return this.pull(prompts, target, vscode.Uri.joinPath(folder, pullFileName(target)), `Pulling the My Tokens of program ${program} from Marketo`);
  }

  /** The calls, the file, and what the user is told; nothing is written unless every call succeeded. */
  private async pull(prompts: Prompts, target: PullTarget, file: vscode.Uri, title: string): Promise<MarketoCommandResult> {
    const connection = await storedConnection(this.connections, prompts);
    if (typeof connection === 'string') return { ok: false, message: connection };
    const name = vscode.workspace.asRelativePath(file);
    const unwritable = await symbolicLink(file);
    if (unwritable) return this.fail(`${name} is a symbolic link; a pull writes only regular files. Nothing was pulled.`);
    if (await exists(file)) {
      const replace = await prompts.choose('overwrite', () => vscode.window.showWarningMessage(plainMessage(`${name} exists. Replace it with what Marketo returns?`), { modal: true }, 'Replace'));
      if (replace !== 'Replace') return { ok: false, message: `${name} was kept; nothing was pulled.` };
    }
    const engine = await loadRunEngine();
    const client = await this.connections.clientFor(connection);
    const outcome = await callWithProgress(title, prompts, (t) => client.mask(t), async (signal) => {
      if (target.what === 'fields') {
        const describe = await engine.describeLeads(client, signal);
        return { content: describe, records: describe.result?.length ?? 0 };
      }
      if (target.what === 'tokens') {
        const tokens = await engine.programTokens(client, target.program, signal);
        return { content: tokens, records: Object.keys(tokens).length };
      }
      const fields = engine.restFieldNames(await engine.describeLeads(client, signal));
      const answer = await engine.getLead(client, target.lead, fields, signal);
      return { content: answer, records: fields.length, id: (answer.result?.[0] as { id?: unknown } | undefined)?.id, leads: answer.result?.length ?? 0 };
    });
    if (!outcome.ok) {
      if (outcome.cancelled) {
        const message = `${title} was cancelled; nothing was written.`;
        void vscode.window.showInformationMessage(plainMessage(message));
        return { ok: false, message: plainMessage(message) };
      }
      return this.fail(`${title} failed: ${outcome.message} Nothing was written.`);
    }

    const text = pullFileText(outcome.value.content);
    try {
      if (file.scheme === 'file') {
        // Not through a link made while Marketo answered; a lead (personal data) readable by its owner only, also when replaced.
        await writeFile(file.fsPath, text, { flag: NO_FOLLOW_WRITE, ...(target.what === 'lead' ? { mode: 0o600 } : {}) });
        if (target.what === 'lead') await chmod(file.fsPath, 0o600);
      } else {
        await vscode.workspace.fs.writeFile(file, new TextEncoder().encode(text));
      }
    } catch (error) {
      return this.fail(`Could not write ${name}: ${error instanceof Error ? error.message : String(error)}`);
    }
    const { records } = outcome.value;
    if (target.what === 'fields') {
      return this.done(file, `Wrote ${records} lead fields of ${connection.baseUrl} to ${name}: completion, hover and validation use them now.`);
    }
    if (target.what === 'tokens') return this.tokensDone(prompts, file, target.program, records);
    const id = outcome.value.id;
    const several = (outcome.value.leads ?? 0) > 1 ? ` Marketo has ${outcome.value.leads} leads with this email address; a run uses the first.` : '';
    const message = `Wrote lead ${typeof id === 'number' || typeof id === 'string' ? `${id} ` : ''}with ${records} fields to ${name}; Pick Sample Lead offers it.${several} It holds personal data of a real person: keep it out of version control and delete it when you are done.`;
    this.log.info(logLine(message));
    const ignored = await offerLeadIgnore(file, message, prompts);
    return { ok: true, message: plainMessage(ignored ? `${message} ${ignored}` : message), file: file.fsPath };
  }

  /** Tokens written: offers to name the file in the active definition's test.tokens. */
  private async tokensDone(prompts: Prompts, file: vscode.Uri, program: number, records: number): Promise<MarketoCommandResult> {
    const name = vscode.workspace.asRelativePath(file);
    const wrote = `Wrote ${records} My Tokens of program ${program} to ${name}.`;
    this.log.info(logLine(wrote));
    const document = vscode.window.activeTextEditor?.document;
    const how = `To use them, set "test": { "tokens": "${posix.basename(file.path)}" } in a definition next to it, or run marketo-webhook run --tokens ${name}.`;
    if (!document || !isDefinition(document) || document.uri.scheme !== file.scheme) return this.done(file, `${wrote} ${how}`);
    const relative = posix.relative(posix.dirname(document.uri.path), file.path);
    const root = parseTree(document.getText(), [], { allowTrailingComma: true });
    const current = root ? findNodeAtLocation(root, ['test', 'tokens']) : undefined;
    const definitionName = posix.basename(document.uri.path);
    if (current?.type === 'string' && current.value === relative) return this.done(file, `${wrote} ${definitionName} uses them (test.tokens).`);
    if (current?.type === 'object' && (current.children?.length ?? 0) > 0) {
      // Replacing inline tokens would lose values the user typed: say how, change nothing.
      return this.done(file, `${wrote} ${definitionName} has tokens of its own in test.tokens; to use the file instead, replace them with "tokens": "${relative}".`);
    }
    const use = `Use in ${definitionName}`;
    const choice = await prompts.choose('useTokens', () => vscode.window.showInformationMessage(plainMessage(`${wrote} Set test.tokens of ${definitionName} to "${relative}"?`), use));
    if (choice !== use) return this.done(file, `${wrote} ${how}`, false);
    const applied = await setTestTokens(document, relative);
    return this.done(file, applied
      ? `${wrote} test.tokens of ${definitionName} is now "${relative}" (not saved yet).`
      : `${wrote} ${definitionName} changed meanwhile, so test.tokens was not set. ${how}`);
  }

  private done(file: vscode.Uri, message: string, show = true): MarketoCommandResult {
    this.log.info(logLine(message));
    if (show) void vscode.window.showInformationMessage(plainMessage(message));
    return { ok: true, message: plainMessage(message), file: file.fsPath };
  }

  private fail(message: string): MarketoCommandResult {
    this.log.warn(logLine(message));
    void vscode.window.showErrorMessage(plainMessage(message));
    return { ok: false, message: plainMessage(message) };
  }
}

/** The file the catalog service reads: the fieldsFile setting's, else the workspace folder's marketo-fields.json. */
function fieldsTarget(): vscode.Uri | undefined {
  const active = vscode.window.activeTextEditor?.document.uri;
  const folder = (active && vscode.workspace.getWorkspaceFolder(active)) ?? vscode.workspace.workspaceFolders?.[0];
  const setting = fieldsFileSetting(folder?.uri);
  if (setting && isAbsolutePath(setting)) return vscode.Uri.file(setting);
  if (!folder) return undefined;
  return vscode.Uri.joinPath(folder.uri, setting ?? pullFileName({ what: 'fields' }));
}

/** The active definition's folder, else one the user picks (the workspace folder offered first). */
async function folderFor(prompts: Prompts): Promise<vscode.Uri | undefined> {
  const document = vscode.window.activeTextEditor?.document;
  if (document && isDefinition(document) && document.uri.scheme !== 'untitled') return vscode.Uri.joinPath(document.uri, '..');
  const picked = await prompts.choose('folder', async () => {
    const chosen = await vscode.window.showOpenDialog({
      canSelectFolders: true, canSelectFiles: false, canSelectMany: false, openLabel: 'Write Here',
      title: 'Folder to write the pulled file in', ...(vscode.workspace.workspaceFolders?.[0] ? { defaultUri: vscode.workspace.workspaceFolders[0].uri } : {}),
    });
    return chosen?.[0]?.toString();
  });
  return picked === undefined ? undefined : vscode.Uri.parse(picked);
}

async function exists(file: vscode.Uri): Promise<boolean> {
  try {
    await vscode.workspace.fs.stat(file);
    return true;
  } catch {
    return false;
  }
}

/** A link would have the pull write wherever it leads (a dotfile, another repository). */
async function symbolicLink(file: vscode.Uri): Promise<boolean> {
  if (file.scheme !== 'file') return false;
  try {
    return (await lstat(file.fsPath)).isSymbolicLink();
  } catch {
    return false;
  }
}

/** Sets `"test": { "tokens": path }` through a WorkspaceEdit on the open document; false if it changed under us. */
async function setTestTokens(document: vscode.TextDocument, path: string): Promise<boolean> {
  const editor = vscode.window.visibleTextEditors.find((e) => e.document === document);
  const insertSpaces = editor?.options.insertSpaces !== false;
  const tabSize = typeof editor?.options.tabSize === 'number' ? editor.options.tabSize : 2;
  const version = document.version;
  const text = document.getText();
  const edits = modify(text, ['test', 'tokens'], path, { formattingOptions: { insertSpaces, tabSize, eol: document.eol === vscode.EndOfLine.CRLF ? '\r\n' : '\n' } });
  if (document.version !== version) return false;
  const edit = new vscode.WorkspaceEdit();
  for (const e of edits) edit.replace(document.uri, new vscode.Range(document.positionAt(e.offset), document.positionAt(e.offset + e.length)), e.content);
  return vscode.workspace.applyEdit(edit);
}
