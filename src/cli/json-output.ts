// The `--json` documents of contracts §4, and the last line of defence for secret values.
import type { Diagnostic, RunResult } from '../engine';

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

export const MASK = '••••';

/**
 * The engine masks secrets in its result; this catches any it missed (a service echoing a key back
 * in a form the engine did not recognise) in the text about to be printed: raw, JSON-escaped or
 * URL-encoded.
 * Very short values are left alone: masking every `a` would garble the output and hide nothing.
 */
export function maskSecrets(text: string, secrets: Iterable<string>): string {
  let out = text;
  for (const secret of secrets) {
    if (secret.length < 4) continue;
    const forms = new Set([secret, JSON.stringify(secret).slice(1, -1), encodeURIComponent(secret)]);
    for (const form of forms) out = out.split(form).join(MASK);
  }
  return out;
}
