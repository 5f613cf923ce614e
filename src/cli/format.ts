// Readable reports for people (without --json): validate in the style of eslint's "stylish"
// formatter, run as a short report of the call. Lines and columns are 1-based here.
import type { Category, Diagnostic, MappingResult, RunResponse, RunResult, Severity } from '../engine';
import type { ValidatedFile } from './json-output';
import { terminalText } from './terminal-text';

export interface Style {
  bold: (text: string) => string;
  dim: (text: string) => string;
  red: (text: string) => string;
  yellow: (text: string) => string;
  green: (text: string) => string;
  cyan: (text: string) => string;
}

const ansi = (open: number, close: number) => (text: string) => (text === '' ? text : `\x1b[${open}m${text}\x1b[${close}m`);
const plain = (text: string) => text;

export function createStyle(color: boolean): Style {
  if (!color) return { bold: plain, dim: plain, red: plain, yellow: plain, green: plain, cyan: plain };
  return { bold: ansi(1, 22), dim: ansi(2, 22), red: ansi(31, 39), yellow: ansi(33, 39), green: ansi(32, 39), cyan: ansi(36, 39) };
}

/** Colour only on a terminal, and never when NO_COLOR is set to anything (https://no-color.org). */
export function useColor(stream: { isTTY?: boolean }, env: NodeJS.ProcessEnv = process.env): boolean {
  return stream.isTTY === true && (env.NO_COLOR === undefined || env.NO_COLOR === '');
}

/** How much of a body the readable report shows; --json has it all. */
export const BODY_PREVIEW_BYTES = 2048;

// ---------------------------------------------------------------------------------------------
// validate

export function formatValidateReport(files: readonly ValidatedFile[], style: Style): string {
  const out: string[] = [];
  const counts = { error: 0, warning: 0, info: 0, hint: 0 };
  for (const { file, diagnostics } of files) {
    if (diagnostics.length === 0) continue;
    for (const d of diagnostics) counts[d.severity]++;
    out.push(style.bold(clean(file)));
    append(out, formatDiagnostics(diagnostics, style));
    out.push('');
  }
  const total = counts.error + counts.warning + counts.info + counts.hint;
  if (total === 0) {
    out.push(style.green(`✔ ${plural(files.length, 'definition')}, no problems`));
  } else {
    const parts = [plural(counts.error, 'error'), plural(counts.warning, 'warning')];
    if (counts.info > 0) parts.push(`${counts.info} info`);
    if (counts.hint > 0) parts.push(plural(counts.hint, 'hint'));
    const line = `✖ ${plural(total, 'problem')} (${parts.join(', ')})`;
    out.push(style.bold(counts.error > 0 ? style.red(line) : style.yellow(line)));
  }
  return out.join('\n') + '\n';
}

/** One aligned row per diagnostic: `  line:col  severity  message  code`. */
export function formatDiagnostics(diagnostics: readonly Diagnostic[], style: Style): string[] {
  const sorted = [...diagnostics].sort((a, b) => a.range.start.line - b.range.start.line || a.range.start.character - b.range.start.character);
  const rows = sorted.map((d) => ({
    where: `${d.range.start.line + 1}:${d.range.start.character + 1}`,
    severity: d.severity,
    message: oneLine(d.message),
    code: clean(d.code),
  }));
  // Loops, not Math.max(...rows): spreading 100,000 rows into arguments overflows the stack.
  let whereWidth = 0;
  let severityWidth = 0;
  let messageWidth = 0;
  for (const r of rows) {
    whereWidth = Math.max(whereWidth, r.where.length);
    severityWidth = Math.max(severityWidth, r.severity.length);
    messageWidth = Math.max(messageWidth, r.message.length);
  }
  messageWidth = Math.min(100, messageWidth);
  return rows.map((r) =>
    `  ${style.dim(r.where.padEnd(whereWidth))}  ${severityStyle(r.severity, style)(r.severity.padEnd(severityWidth))}  ${r.message.padEnd(messageWidth)}  ${style.dim(r.code)}`.trimEnd());
}

function severityStyle(severity: Severity, style: Style): (text: string) => string {
  return severity === 'error' ? style.red : severity === 'warning' ? style.yellow : style.cyan;
}

// ---------------------------------------------------------------------------------------------
// run

export function formatRunReport(result: RunResult, style: Style): string {
  const out: string[] = [];
  const { definition, request, response, classification } = result;
  out.push(`${style.bold(clean(definition.name || '(unnamed webhook)'))}  ${style.dim(clean(definition.file))}`);

  if (result.diagnostics.length > 0) {
    out.push('');
    append(out, formatDiagnostics(result.diagnostics, style));
  }
  const errors = result.diagnostics.filter((d) => d.severity === 'error').length;
  if (!request && !classification) {
    out.push('', style.red(style.bold(`✖ Not sent: the definition has ${plural(errors, 'error')}.`)));
    pushHandling(out, result, style);
    return out.join('\n') + '\n';
  }

  out.push('');
  if (request) {
    const notSent = request.sent ? '' : style.yellow('  (not sent)');
    out.push(`→ ${style.bold(request.method)} ${clean(request.url)}${notSent}`);
    // The URL sent differs from the URL written (docs/marketo-behaviour.md#url-as-written).
    if (request.urlAsWritten !== undefined) out.push(`  as written: ${clean(request.urlAsWritten)}`, style.dim(`  ${clean(request.urlNote ?? '')}`));
    for (const [name, value] of Object.entries(request.headers)) out.push(style.dim(`  ${clean(name)}: ${clean(value)}`));
  }
  if (classification) {
    // The title already starts with the code (or "No response (timeout)"); the category leads.
    const paint = categoryStyle(classification.category, style);
    const head = paint(style.bold(classification.category));
    out.push('', `${head}  ${clean(classification.title)}`);
  }
  if (response) {
    out.push(`  HTTP ${response.status}${response.statusText ? ` ${clean(response.statusText)}` : ''} · ${formatDuration(response.durationMs)} · ${formatBytes(response.bytes)}`);
  } else {
    // `protocol`: something came back, but not as HTTP; the request was sent all the same
    out.push(style.dim(classification?.network === 'protocol' ? '  no response: what came back is not valid HTTP' : '  no response'));
  }
  if (classification) out.push(`  Error Type (Webhook is Called): ${formatErrorType(classification.errorType, classification.standardPhrase, style)}`);

  if (request && request.body !== null) {
    out.push('', style.bold('Request body:'));
    append(out, preview(request.body, style));
  }
  if (response) {
    out.push('', style.bold('Response body:'));
    append(out, responsePreview(response, style));
  }

  if (result.mappings.length > 0) {
    out.push('', style.bold('Response mappings:'));
    const width = result.mappings.reduce((w, m) => Math.max(w, m.status.length), 0);
    for (const m of result.mappings) out.push(formatMapping(m, width, style));
  }

  pushHandling(out, result, style);
  pushAssumptions(out, result, style);
  return out.join('\n') + '\n';
}

/** The Error Type as received; the standard phrase beside it when it is empty or differs. */
function formatErrorType(errorType: string | null, standardPhrase: string | null | undefined, style: Style): string {
  if (errorType === null) return style.dim('(none)');
  const standard = standardPhrase ? style.dim(` (standard phrase: ${clean(standardPhrase)})`) : '';
  if (errorType === '') return `${style.yellow('(empty: the status line had no reason phrase; match on Response instead)')}${standard}`;
  return `${clean(errorType)}${standard}`;
}

/** The rules nobody documents that this outcome rests on, each with where the docs explain it. */
function pushAssumptions(out: string[], result: RunResult, style: Style): void {
  const assumptions = Array.isArray(result.assumptions) ? result.assumptions : [];
  if (assumptions.length === 0) return;
  out.push('', style.bold('Assumptions (unverified; see the docs):'));
  for (const a of assumptions) out.push(`  - ${oneLine(a.text)} ${style.dim(`(${clean(a.doc)})`)}`);
}

function pushHandling(out: string[], result: RunResult, style: Style): void {
  if (!result.handling) return;
  out.push('', `${style.bold('Handling:')} ${clean(result.handling.summary)}`);
  result.handling.steps.forEach((step, i) => out.push(`  ${i + 1}. ${oneLine(step)}`));
}

function formatMapping(m: MappingResult, width: number, style: Style): string {
  const status = m.status.padEnd(width);
  const target = `${clean(m.responseAttribute)} → ${clean(m.marketoField)}`;
  if (m.status === 'applied') return `  ${style.green(status)}  ${target} = ${formatValue(m.value)}${m.note ? style.dim(` (${oneLine(m.note)})`) : ''}`;
  return `  ${style.yellow(status)}  ${target}${m.reason ? style.dim(` (${oneLine(m.reason)})`) : ''}`;
}

function formatValue(value: unknown): string {
  let text: string;
  try {
    text = JSON.stringify(value) ?? String(value);
  } catch {
    text = String(value);
  }
  return clean(text.length > 200 ? `${text.slice(0, 200)}…` : text);
}

function categoryStyle(category: Category, style: Style): (text: string) => string {
  switch (category) {
    case 'success': return style.green;
    case 'marketo':
    case 'redirect': return style.yellow;
    default: return style.red;
  }
}

function responsePreview(response: RunResponse, style: Style): string[] {
  const lines = response.body === '' ? [style.dim('  (empty)')] : preview(response.body, style);
  if (response.truncated) lines.push(style.dim('  (the body was cut off at the size limit)'));
  return lines;
}

/** At most BODY_PREVIEW_BYTES of a body, indented, with a note on what was left out. */
function preview(body: string, style: Style): string[] {
  const bytes = Buffer.from(body, 'utf8');
  let shown = body;
  let more = 0;
  if (bytes.length > BODY_PREVIEW_BYTES) {
    // Cut on a character boundary: drop a partial character left at the end.
    shown = bytes.subarray(0, BODY_PREVIEW_BYTES).toString('utf8').replace(/\uFFFD$/, '');
    more = bytes.length - Buffer.byteLength(shown, 'utf8');
  }
  const lines = cleanBlock(shown).split('\n').map((line) => `  ${line}`);
  if (more > 0) lines.push(style.dim(`  (${more} more bytes; use --json for all)`));
  return lines;
}

// ---------------------------------------------------------------------------------------------
// helpers

/** `out.push(...lines)` without passing every line as an argument (too many overflow the stack). */
function append(out: string[], lines: readonly string[]): void {
  for (const line of lines) out.push(line);
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

export function formatDuration(ms: number): string {
  if (ms >= 1000) return `${(ms / 1000).toFixed(2)} s`;
  return `${Math.round(ms * 10) / 10} ms`;
}

export function formatBytes(bytes: number): string {
  if (bytes < 1024) return plural(bytes, 'byte');
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KB`;
  return `${(bytes / (1024 * 1024)).toFixed(1)} MB`;
}

/**
 * Text from a file, a definition or a web service is hostile: control characters (escape sequences)
 * and bidirectional overrides are shown, not obeyed. Line breaks and tabs of a body are kept.
 */
function cleanBlock(text: string): string {
  return terminalText(text.replace(/\r\n/g, '\n'), { newline: true, tab: true });
}

/** One line of hostile text: its line breaks shown as `\n`, its tabs as spaces, the rest as cleanBlock. */
function clean(text: string): string {
  return cleanBlock(text).replace(/\n/g, '\\n').replace(/\t/g, ' ');
}

function oneLine(text: string): string {
  return clean(text.replace(/\s*\n\s*/g, ' '));
}
