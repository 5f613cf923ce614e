// The field catalog each definition is checked against: Marketo's standard fields, extended by a
// pasted Describe Lead response — the file named by the `marketoWebhook.fieldsFile` setting, else
// the nearest `marketo-fields.json` in the definition's folder or a parent inside the workspace
// (the same convention as the command line). Loaded in the background and cached; watchers and
// setting changes reload it, and `onDidChange` tells the features to refresh.
import { posix } from 'node:path';
import * as vscode from 'vscode';
import { BoundedCache, isAbsolutePath, readDescribeFile, FIELDS_FILE_NAME, STANDARD_CATALOG, type FieldCatalog } from '../engine';
import { affectsSetting, fieldsFileSetting, settingId } from './config';
import { plainMessage } from './message-text';
import { describeReadError, isMissing, readWorkspaceText } from './workspace-files';

/** What a marketo-fields.json that leads out of the workspace is told after "it is outside the workspace folder; ". */
const CATALOG_OUTSIDE_WHY = `a ${FIELDS_FILE_NAME} found next to a definition must lie inside it. To use it anyway, name it in your user setting ${settingId('fieldsFile')}.`;

/** Definition folders whose catalog is kept; far more than a workspace has open at once. */
const CATALOG_FOLDERS = 256;

interface Loaded {
  catalog: FieldCatalog;
  /** the file it came from, or undefined for the built-in fields */
  source?: vscode.Uri;
}

export class CatalogService implements vscode.Disposable {
  /** by definition folder: the load, and what it gave once it settled */
  private readonly catalogs = new BoundedCache<string, { pending: Promise<Loaded>; settled?: Loaded }>({ maxEntries: CATALOG_FOLDERS });
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChange = this.changed.event;
  private readonly subscriptions: vscode.Disposable[] = [];
  /** problems already reported, so a broken file is mentioned once, not on every keystroke */
  private readonly reported = new Set<string>();

  constructor(private readonly log: vscode.LogOutputChannel) {
    const watcher = vscode.workspace.createFileSystemWatcher(`**/${FIELDS_FILE_NAME}`);
    const reset = () => this.reset();
    this.subscriptions.push(
      watcher, this.changed,
      watcher.onDidCreate(reset), watcher.onDidChange(reset), watcher.onDidDelete(reset),
      vscode.workspace.onDidChangeConfiguration((e) => {
        if (affectsSetting(e, 'fieldsFile')) reset();
      }),
      vscode.workspace.onDidSaveTextDocument((doc) => {
        const setting = this.settingUri(doc.uri);
        if (setting && setting.toString() === doc.uri.toString()) reset();
      }),
    );
  }

  /** The catalog for a definition if it is loaded; the standard one meanwhile (then onDidChange fires). */
  catalogNow(uri: vscode.Uri): FieldCatalog {
    const settled = this.catalogs.get(this.keyFor(uri))?.settled;
    if (settled) return settled.catalog;
    void this.catalogFor(uri);
    return STANDARD_CATALOG;
  }

  async catalogFor(uri: vscode.Uri): Promise<FieldCatalog> {
    const entry = this.catalogs.getOrCreate(this.keyFor(uri), () => {
      const made: { pending: Promise<Loaded>; settled?: Loaded } = {
        pending: this.load(uri).then((loaded) => {
          made.settled = loaded;
          if (loaded.source) this.changed.fire();
          return loaded;
        }),
      };
      return made;
    });
    return (await entry.pending).catalog;
  }

  private keyFor(uri: vscode.Uri): string {
    return posix.dirname(uri.toString());
  }

  private reset(): void {
    this.catalogs.clear();
    this.reported.clear();
    this.changed.fire();
  }

  private settingUri(uri: vscode.Uri): vscode.Uri | undefined {
    const setting = fieldsFileSetting(uri);
    if (!setting) return undefined;
    const folder = vscode.workspace.getWorkspaceFolder(uri) ?? vscode.workspace.workspaceFolders?.[0];
    if (isAbsolutePath(setting)) return vscode.Uri.file(setting);
    return folder ? vscode.Uri.joinPath(folder.uri, setting) : undefined;
  }

  private async load(uri: vscode.Uri): Promise<Loaded> {
    const fromSetting = this.settingUri(uri);
    if (fromSetting) return (await this.read(fromSetting)) ?? { catalog: STANDARD_CATALOG };
    // Nearest marketo-fields.json, from the definition's folder up to its workspace folder.
    const folder = vscode.workspace.getWorkspaceFolder(uri);
    if (!folder || uri.scheme !== folder.uri.scheme) return { catalog: STANDARD_CATALOG };
    let dir = vscode.Uri.joinPath(uri, '..');
    for (let depth = 0; depth < 32; depth++) {
      const candidate = vscode.Uri.joinPath(dir, FIELDS_FILE_NAME);
      const loaded = await this.read(candidate, uri);
      if (loaded) return loaded;
      if (dir.path === folder.uri.path || dir.path === '/' || !dir.path.startsWith(folder.uri.path)) break;
      dir = vscode.Uri.joinPath(dir, '..');
    }
    return { catalog: STANDARD_CATALOG };
  }

  /**
   * Reads one Describe Lead file; undefined when it is missing (or unusable: then one clear
   * message). `definition` is set for the conventional file next to a definition, which the
   * repository names, so it must lie inside the workspace folder (a symbolic link may not lead
   * out); the setting's file is the user's.
   */
  private async read(file: vscode.Uri, definition?: vscode.Uri): Promise<Loaded | undefined> {
    let text: string;
    try {
      text = await readWorkspaceText(file, definition ? { within: { definition, why: CATALOG_OUTSIDE_WHY } } : {});
    } catch (error) {
      if (definition && isMissing(error)) return undefined;
      const from = definition ? '' : ` (setting ${settingId('fieldsFile')})`;
      this.problem(file, `The field catalog file ${vscode.workspace.asRelativePath(file)}${from} cannot be read: ${describeReadError(error)}. Using Marketo's standard fields.`);
      return undefined;
    }
    const described = readDescribeFile(text);
    if (!described.ok) {
      this.problem(file, `The field catalog file ${vscode.workspace.asRelativePath(file)} is not valid JSON (${described.syntaxError} at offset ${described.offset}); using Marketo's standard fields.`);
      return undefined;
    }
    const { catalog, errors: problems, read } = described;
    if (read === 0) {
      this.problem(file, `The field catalog file ${vscode.workspace.asRelativePath(file)} holds no lead fields (${problems.join('; ') || 'empty'}); paste a Describe Lead response into it.`);
      return undefined;
    }
    this.log.info(`field catalog: ${read} fields from ${file.toString(true)}${problems.length ? ` (${problems.join('; ')})` : ''}`);
    return { catalog, source: file };
  }

  private problem(file: vscode.Uri, message: string): void {
    if (this.reported.has(file.toString())) return;
    this.reported.add(file.toString());
    this.log.warn(message);
    void vscode.window.showWarningMessage(plainMessage(message));
  }

  dispose(): void {
    for (const s of this.subscriptions) s.dispose();
  }
}
