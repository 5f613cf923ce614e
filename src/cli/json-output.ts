// The `--json` documents of contracts §4. Secret values are masked by the engine (its run result
// and its messages); nothing here masks again.
import { fileDiagnostic, unsentRunResult, type Diagnostic, type RunResult } from '../engine';

/** A diagnostic as `--json` prints it: the engine's quick-fix `data` left out. */
export type PublicDiagnostic = Omit<Diagnostic, 'data'>;

export function publicDiagnostic(d: Diagnostic): PublicDiagnostic {
  return { severity: d.severity, code: d.code, message: d.message, range: d.range };
}

export interface ValidatedFile {
  file: string;
  diagnostics: Diagnostic[];
}

export function validateDocument(files: readonly ValidatedFile[]): string {
  const doc = { files: files.map((f) => ({ file: f.file, diagnostics: f.diagnostics.map(publicDiagnostic) })) };
  return JSON.stringify(doc, null, 2);
}

export function runDocument(result: RunResult): string {
  return JSON.stringify({ ...result, diagnostics: result.diagnostics.map(publicDiagnostic) }, null, 2);
}

/** A run result on one line, for the NDJSON of a list run (contracts §6): with the lead's place in the list when it has one. */
export function runLine(result: RunResult, lead?: number): string {
  return JSON.stringify({ ...result, diagnostics: result.diagnostics.map(publicDiagnostic), ...(lead === undefined ? {} : { lead }) });
}

/** An error diagnostic about the file as a whole, at its start, as the engine reports those. */
export { fileDiagnostic };

/**
 * The run result of a run stopped before anything was sent by a problem the command line found
 * itself (an unreadable definition, `--fields` or `--lead` file): the shape the engine gives a run
 * stopped by its RunInputError, so `run --json` prints one document whatever happens.
 */
export function stoppedRunResult(file: string, name: string, code: string, message: string): RunResult {
  return unsentRunResult({ name, file }, [fileDiagnostic(code, message)]);
}
