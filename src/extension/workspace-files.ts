// Reads the files a definition or the user names in the editor (sample leads, field catalogs) so
// that none can freeze or flood the extension host: `file:` URIs through the shared input reader
// (regular files only, the size limit counted while reading, no wait on a FIFO, symbolic links
// resolved before the workspace check); other schemes through workspace.fs, stat first.
import { posix } from 'node:path';
import * as vscode from 'vscode';
import { MAX_INPUT_FILE_BYTES } from '../engine';
import { settingId } from './config';
import { FileRefusedError, describeFsError, readInputText, stripBom, tooLarge } from '../node/input-file';

/** What a `test.lead` outside the workspace is told after "it is outside the workspace folder; ". */
export const LEAD_OUTSIDE_WHY = `a definition may only name files inside it. To use it anyway, remove test.lead and set the file in your user setting ${settingId('defaultLead')}.`;
export const TOKENS_OUTSIDE_WHY = 'a definition may only name files inside it. Copy the tokens file into it, or run from the command line with --tokens.';

/** The folder a definition may name files in: its workspace folder, else its own folder. */
export function definitionRoot(definition: vscode.Uri): { uri: vscode.Uri; where: string } {
  const folder = vscode.workspace.getWorkspaceFolder(definition);
  return folder ? { uri: folder.uri, where: 'the workspace folder' } : { uri: vscode.Uri.joinPath(definition, '..'), where: 'the definition\'s folder' };
}

export interface WorkspaceReadOptions {
  /** default MAX_INPUT_FILE_BYTES */
  maxBytes?: number;
  /**
   * Set when the definition (or a convention next to it), not the user, named the file: it must
   * then lie inside definitionRoot(definition). `why` follows "it is outside the workspace
   * folder; ": the rule and how the user can name the file anyway.
   */
  within?: { definition: vscode.Uri; why: string } | undefined;
}

/**
 * The file's text (UTF-8, a byte order mark dropped). Rejects with a FileRefusedError, a Node
 * file system error or a vscode.FileSystemError; describeReadError says which in words.
 */
export async function readWorkspaceText(uri: vscode.Uri, options: WorkspaceReadOptions = {}): Promise<string> {
  const maxBytes = options.maxBytes ?? MAX_INPUT_FILE_BYTES;
  const root = options.within ? definitionRoot(options.within.definition) : undefined;
  const refusal = root && options.within ? `it is outside ${root.where}; ${options.within.why}` : '';
  if (uri.scheme === 'file') {
    return readInputText(uri.fsPath, { maxBytes, within: root ? { roots: [root.uri.fsPath], refusal } : undefined });
  }
  // Other file systems (virtual workspaces, remote file systems) have no symbolic links or FIFOs
  // to resolve here; their stat says what the file is before a byte is read.
  if (root && !(uri.scheme === root.uri.scheme && uri.authority === root.uri.authority && insidePosix(uri.path, root.uri.path))) {
    throw new FileRefusedError('outside', refusal);
  }
  const stat = await vscode.workspace.fs.stat(uri);
  if ((stat.type & vscode.FileType.File) === 0) {
    throw new FileRefusedError('not-a-file', (stat.type & vscode.FileType.Directory) !== 0 ? 'it is a folder, not a file' : 'it is not a regular file');
  }
  if (stat.size > maxBytes) throw tooLarge(maxBytes, stat.size);
  const bytes = await vscode.workspace.fs.readFile(uri);
  if (bytes.byteLength > maxBytes) throw tooLarge(maxBytes);
  return stripBom(new TextDecoder().decode(bytes));
}

/** True when the error says the file is not there (as opposed to unreadable or refused). */
export function isMissing(error: unknown): boolean {
  if (error instanceof vscode.FileSystemError) return error.code === 'FileNotFound';
  const code = (error as { code?: unknown } | null)?.code;
  return code === 'ENOENT' || code === 'ENOTDIR';
}

/** The reason a read failed, in words that follow the file's name: "no such file", "it is outside …". */
export function describeReadError(error: unknown): string {
  if (error instanceof vscode.FileSystemError) {
    switch (error.code) {
      case 'FileNotFound': return 'no such file';
      case 'FileIsADirectory': return 'it is a folder, not a file';
      case 'NoPermissions': return 'permission denied';
      default: return error.message;
    }
  }
  return describeFsError(error);
}

function insidePosix(path: string, folder: string): boolean {
  const rel = posix.relative(folder, path);
  return rel === '' || (!posix.isAbsolute(rel) && rel !== '..' && !rel.startsWith('../'));
}
