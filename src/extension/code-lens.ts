// The CodeLens above a definition (on the line of its opening `{`): "Run against sample lead" and
// "Validate". The run command arrives with the run panel; until a command of that name exists the
// lens is left out. Whether it exists is looked up once and again whenever extensions change.
// VS Code asks for lenses again after every edit of the document, so they follow its text.
import { parseTree } from 'jsonc-parser';
import * as vscode from 'vscode';
import { MAX_INPUT_FILE_BYTES } from '../engine';
import { DEFINITION_SELECTOR } from './language';
import type { Services } from './services';
import { COMMANDS } from './config';

export const RUN_LENS_TITLE = 'Run against sample lead';
export const VALIDATE_LENS_TITLE = 'Validate';


export function registerCodeLens(services: Services): vscode.Disposable {
  const changed = new vscode.EventEmitter<void>();
  let runExists: Promise<boolean> | undefined;
  const hasRunCommand = (): Promise<boolean> => {
    runExists ??= Promise.resolve(vscode.commands.getCommands(true)).then(
      (commands) => commands.includes(COMMANDS.run),
      (error: unknown) => {
        services.log.warn(`Could not list commands for the CodeLens: ${String(error)}`);
        runExists = undefined;
        return false;
      },
    );
    return runExists;
  };

  const provider: vscode.CodeLensProvider = {
    onDidChangeCodeLenses: changed.event,
    async provideCodeLenses(document) {
      const line = definitionLine(document);
      const range = new vscode.Range(line, 0, line, 0);
      const lenses: vscode.CodeLens[] = [];
      if (await hasRunCommand()) {
        lenses.push(new vscode.CodeLens(range, {
          title: RUN_LENS_TITLE,
          tooltip: 'Build the request as Marketo would for the sample lead, send it, and show what Marketo would make of the answer',
          command: COMMANDS.run,
          arguments: [document.uri],
        }));
      }
      lenses.push(new vscode.CodeLens(range, {
        title: VALIDATE_LENS_TITLE,
        tooltip: 'Check this definition against Marketo\'s rules now',
        command: COMMANDS.validate,
        arguments: [document.uri],
      }));
      return lenses;
    },
  };

  return vscode.Disposable.from(
    changed,
    vscode.languages.registerCodeLensProvider(DEFINITION_SELECTOR, provider),
    // An extension installed, removed, enabled or disabled may bring or take the run command.
    vscode.extensions.onDidChange(() => {
      runExists = undefined;
      changed.fire();
    }),
  );
}

/** The line of the definition's opening `{` (after any leading comments); the first line when there is none. */
function definitionLine(document: vscode.TextDocument): number {
  const text = document.getText();
  // Past this size a file is not a definition: the lens goes on the first line without reading it.
  if (text.length > MAX_INPUT_FILE_BYTES) return 0;
  try {
    const root = parseTree(text, [], { allowTrailingComma: true, disallowComments: false, allowEmptyContent: true });
    return root ? document.positionAt(root.offset).line : 0;
  } catch {
    return 0;
  }
}
