// Collects diagnostics with exact ranges. Every code a diagnostic can carry is listed here, so
// quick fixes and docs have one list to read.
import { LineIndex } from '../text/line-index';
import type { Diagnostic, DiagnosticData, Severity } from '../types';

export const DIAGNOSTIC_CODES = {
  syntaxError: 'syntax-error',
  notAnObject: 'not-an-object',
  duplicateKey: 'duplicate-key',
  missingRequiredKey: 'missing-required-key',
  unknownKey: 'unknown-key',
  wrongType: 'wrong-type',
  invalidEnum: 'invalid-enum',
  urlInvalid: 'url-invalid',
  templateOnGet: 'template-on-get',
  tokenUnclosed: 'token-unclosed',
  tokenMalformed: 'token-malformed',
  tokenDefaultSyntax: 'token-default-syntax',
  tokenUnknownNamespace: 'token-unknown-namespace',
  tokenUnknownField: 'token-unknown-field',
  tokenUnknownName: 'token-unknown-name',
  tokenNoTestValue: 'token-no-test-value',
  tokenPlaceholderDefault: 'token-placeholder-default',
  tokenQuotedJson: 'token-quoted-json',
  templateInvalidJson: 'template-invalid-json',
  formTokenUnencoded: 'form-token-unencoded',
  jsonTokenUnencoded: 'json-token-unencoded',
  jsonTokenEmpty: 'json-token-empty',
  templateIllegalEscape: 'template-illegal-escape',
  jsonBodyWithoutContentType: 'json-body-without-content-type',
  mappingsWithoutResponseType: 'mappings-without-response-type',
  responseAttributeInvalid: 'response-attribute-invalid',
  marketoFieldUnknown: 'marketo-field-unknown',
  marketoFieldNotSoapName: 'marketo-field-not-soap-name',
  marketoFieldNotMappable: 'marketo-field-not-mappable',
  literalCredential: 'literal-credential',
  headerNameInvalid: 'header-name-invalid',
  headerNotAllowed: 'header-not-allowed',
  timeoutInvalid: 'timeout-invalid',
  tokenValueInvalid: 'token-value-invalid',
  leadUnknownField: 'lead-unknown-field',
  fileTooLarge: 'file-too-large',
  urlTokenUnencoded: 'url-token-unencoded',
  headerValueInvalid: 'header-value-invalid',
  nameEmpty: 'name-empty',
  leadDuplicateField: 'lead-duplicate-field',
  tooManyProblems: 'too-many-problems',
} as const;

export type DiagnosticCode = (typeof DIAGNOSTIC_CODES)[keyof typeof DIAGNOSTIC_CODES];

/** Past this many, a file is not a definition with mistakes but something else; the rest are counted. */
export const MAX_DIAGNOSTICS = 500;

export class DiagnosticSink {
  readonly diagnostics: Diagnostic[] = [];
  private truncated = false;
  private lineIndex: LineIndex | undefined;

  constructor(private readonly text: string) {}

  /** built on the first diagnostic: a file without problems never needs it */
  private get lines(): LineIndex {
    this.lineIndex ??= new LineIndex(this.text);
    return this.lineIndex;
  }

  /** true once further diagnostics would only be counted: checks can stop early */
  get full(): boolean {
    if (this.diagnostics.length < MAX_DIAGNOSTICS) return false;
    this.truncated = true;
    return true;
  }

  add(severity: Severity, code: DiagnosticCode, message: string, offset: number, length: number, data?: Partial<DiagnosticData>): void {
    if (this.full) return;
    const diagnostic: Diagnostic = { severity, code, message, range: this.lines.range(offset, length) };
    if (data) diagnostic.data = { offset, length, ...data };
    this.diagnostics.push(diagnostic);
  }

  error(code: DiagnosticCode, message: string, offset: number, length: number, data?: Partial<DiagnosticData>): void {
    this.add('error', code, message, offset, length, data);
  }

  warning(code: DiagnosticCode, message: string, offset: number, length: number, data?: Partial<DiagnosticData>): void {
    this.add('warning', code, message, offset, length, data);
  }

  info(code: DiagnosticCode, message: string, offset: number, length: number, data?: Partial<DiagnosticData>): void {
    this.add('info', code, message, offset, length, data);
  }

  /** Sorted by position, then errors first: the order people read them in. */
  sorted(): Diagnostic[] {
    const rank: Record<string, number> = { error: 0, warning: 1, info: 2, hint: 3 };
    const all = [...this.diagnostics];
    if (this.truncated) {
      const zero = { line: 0, character: 0 };
      all.push({ severity: 'warning', code: DIAGNOSTIC_CODES.tooManyProblems, message: `Only the first ${MAX_DIAGNOSTICS} problems are shown; fix those, and the rest appear.`, range: { start: zero, end: zero } });
    }
    return all.sort((a, b) =>
      a.range.start.line - b.range.start.line
      || a.range.start.character - b.range.start.character
      || (rank[a.severity] ?? 9) - (rank[b.severity] ?? 9));
  }
}

export function hasErrors(diagnostics: readonly Diagnostic[]): boolean {
  return diagnostics.some((d) => d.severity === 'error');
}
