// The Marketo commands ask through this: an input box, a choice among buttons. The extension-host
// tests cannot type into VS Code's prompts, so they give a command its answers as its argument,
// `{ answers: { baseUrl: "…" }, signal }`; that is honoured only when VS Code runs the extension's
// tests (ExtensionMode.Test), so no other extension can answer for the user. Every other line of
// the command runs as it does for the user, answers are checked by the same validateInput.
import * as vscode from 'vscode';

export interface CommandOptions {
  /** by prompt id: the text typed, or the button chosen; an id given as undefined is a dismissed prompt */
  answers?: Record<string, string | undefined>;
  /** aborts the command's calls, as the progress notification's Cancel does */
  signal?: AbortSignal;
}

let testMode = false;

/** Called once by activate(). */
export function allowTestAnswers(mode: vscode.ExtensionMode): void {
  testMode = mode === vscode.ExtensionMode.Test;
}

export class Prompts {
  private readonly answers: Record<string, string | undefined> | undefined;
  readonly signal: AbortSignal | undefined;

  constructor(argument: unknown) {
    const options = testMode && isOptions(argument) ? argument : undefined;
    this.answers = options?.answers;
    this.signal = options?.signal;
  }

  /** What the user typed, or undefined when dismissed (a scripted answer that fails validateInput too). */
  async input(id: string, options: vscode.InputBoxOptions): Promise<string | undefined> {
    if (this.answers && id in this.answers) {
      const answer = this.answers[id];
      if (answer === undefined) return undefined;
      const problem = await options.validateInput?.(answer);
      if (problem) throw new Error(`the answer to ${id} was refused: ${typeof problem === 'string' ? problem : problem.message}`);
      return answer;
    }
    return vscode.window.showInputBox({ ignoreFocusOut: true, ...options });
  }

  /** The button chosen, or undefined when the message was dismissed. */
  async choose(id: string, show: () => Thenable<string | undefined>): Promise<string | undefined> {
    if (this.answers && id in this.answers) return this.answers[id];
    return show();
  }
}

function isOptions(value: unknown): value is CommandOptions {
  if (value === null || typeof value !== 'object' || value instanceof vscode.Uri) return false;
  const { answers, signal } = value as { answers?: unknown; signal?: unknown };
  return (answers === undefined || (answers !== null && typeof answers === 'object')) && (signal === undefined || signal instanceof AbortSignal);
}
