// Format Document and Format Selection for definitions, with jsonc-parser's formatter: indentation
// from the editor (tabSize, insertSpaces), the document's own line ends, `files.insertFinalNewline`,
// comments kept where they are.
//
// A file with syntax errors is not formatted (no edits, a status-bar note). jsonc-parser's formatter
// would not change a token of it, only the whitespace between tokens, but it lays that whitespace out
// from a structure the file does not have yet: a missing comma glues two strings together
// (`"a""b"`), a missing `}` shifts the indentation of every line after it, and a half-typed file
// saved with format-on-save would jump about under the cursor. Formatting waits until the file parses.
// As a last guard, edits that would change the file's tokens (not only whitespace) are never returned.
import { applyEdits, createScanner, format, parseTree, SyntaxKind, type EditResult, type ParseError } from 'jsonc-parser';
import * as vscode from 'vscode';
import { MAX_INPUT_FILE_BYTES } from '../engine';
import { DEFINITION_SELECTOR } from './language';
import { insertFinalNewlineSetting } from './config';
import type { Services } from './services';


export interface FormatSettings {
  tabSize: number;
  insertSpaces: boolean;
  eol: '\n' | '\r\n';
  insertFinalNewline: boolean;
}

export type FormatResult = { edits: EditResult } | { refused: string };

/**
 * The edits that format `text` (all of it, or the lines `range` touches), each as small as it can be;
 * or why the text is left as it is.
 */
export function formatDefinitionText(text: string, range: { offset: number; length: number } | undefined, settings: FormatSettings): FormatResult {
  // Past this size a file is not a definition (the validator reads none either).
  if (text.length > MAX_INPUT_FILE_BYTES) return { refused: `the file is over ${MAX_INPUT_FILE_BYTES / 1024 / 1024} MB` };
  const errors: ParseError[] = [];
  parseTree(text, errors, { allowTrailingComma: true, disallowComments: false, allowEmptyContent: true });
  if (errors.length > 0) return { refused: 'the file has syntax errors; fix them first' };
  const edits = format(text, range, {
    tabSize: settings.tabSize,
    insertSpaces: settings.insertSpaces,
    eol: settings.eol,
    // `files.insertFinalNewline` off means "do not add one", not "remove the one there is".
    insertFinalNewline: settings.insertFinalNewline || /[\r\n]$/.test(text),
  });
  if (!sameTokens(text, applyEdits(text, edits))) return { refused: 'formatting would have changed more than whitespace' };
  return { edits: edits.map((edit) => minimal(text, edit)).filter((edit) => edit.length > 0 || edit.content !== '') };
}

/** The JSON tokens of a text, comments included, whitespace and line breaks left out. */
function tokens(text: string): string[] {
  const scanner = createScanner(text, false);
  const out: string[] = [];
  for (let kind = scanner.scan(); kind !== SyntaxKind.EOF; kind = scanner.scan()) {
    if (kind === SyntaxKind.Trivia || kind === SyntaxKind.LineBreakTrivia) continue;
    out.push(`${kind}:${text.substr(scanner.getTokenOffset(), scanner.getTokenLength())}`);
  }
  return out;
}

function sameTokens(before: string, after: string): boolean {
  const a = tokens(before);
  const b = tokens(after);
  return a.length === b.length && a.every((token, i) => token === b[i]);
}

/** An edit without the characters it would replace by themselves (at its start and its end). */
function minimal(text: string, edit: EditResult[number]): EditResult[number] {
  const old = text.substr(edit.offset, edit.length);
  const next = edit.content;
  let start = 0;
  while (start < old.length && start < next.length && old[start] === next[start]) start++;
  let end = 0;
  while (end < old.length - start && end < next.length - start && old[old.length - 1 - end] === next[next.length - 1 - end]) end++;
  return { offset: edit.offset + start, length: old.length - start - end, content: next.slice(start, next.length - end) };
}

export function registerFormatting(services: Services): vscode.Disposable {
  const edits = (document: vscode.TextDocument, range: vscode.Range | undefined, options: vscode.FormattingOptions): vscode.TextEdit[] => {
    try {
      const explicit = options.insertFinalNewline;
      const settings: FormatSettings = {
        tabSize: typeof options.tabSize === 'number' && options.tabSize > 0 ? options.tabSize : 4,
        insertSpaces: options.insertSpaces !== false,
        // A document has one kind of line end; new ones follow it (for an empty document it is
        // what `files.eol` says).
        eol: document.eol === vscode.EndOfLine.CRLF ? '\r\n' : '\n',
        insertFinalNewline: typeof explicit === 'boolean' ? explicit : insertFinalNewlineSetting(document),
      };
      const text = document.getText();
      const offsets = range ? { offset: document.offsetAt(range.start), length: document.offsetAt(range.end) - document.offsetAt(range.start) } : undefined;
      const result = formatDefinitionText(text, offsets, settings);
      if ('refused' in result) {
        services.log.info(`Not formatted: ${document.uri.toString(true)}: ${result.refused}.`);
        vscode.window.setStatusBarMessage(`Marketo Webhook: not formatted: ${result.refused}.`, 5000);
        return [];
      }
      return result.edits.map((edit) => vscode.TextEdit.replace(
        new vscode.Range(document.positionAt(edit.offset), document.positionAt(edit.offset + edit.length)),
        edit.content,
      ));
    } catch (error) {
      services.log.error(`Formatting ${document.uri.toString(true)} failed: ${error instanceof Error ? error.stack ?? error.message : String(error)}`);
      return [];
    }
  };
  return vscode.Disposable.from(
    vscode.languages.registerDocumentFormattingEditProvider(DEFINITION_SELECTOR, {
      provideDocumentFormattingEdits: (document, options) => edits(document, undefined, options),
    }),
    vscode.languages.registerDocumentRangeFormattingEditProvider(DEFINITION_SELECTOR, {
      provideDocumentRangeFormattingEdits: (document, range, options) => edits(document, range, options),
    }),
  );
}
