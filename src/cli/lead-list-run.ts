// `marketo-webhook run DEF --leads FILE`: the definition run once per lead of a list (contracts §6),
// each result printed as it completes (NDJSON with --json), then the summary. Results are not kept:
// the summary adds each up as it goes, so a list of 100,000 leads needs no more memory than one of 100.
import { MAX_LEAD_LIST_BYTES, RunInputError, validateDefinition, type FieldCatalog, type RunOptions, type RunResult } from '../engine';
import {
  CONFIRM_ABOVE_LEADS, LeadListSummary, readLeadListFile, runDefinition, runLeadList, type LeadListSummaryDocument, type LeadRun,
} from '../engine/run-engine';
import { EXIT_CANCELLED } from './cancellation';
import { createStyle, formatDuration, formatRunReport, type Style } from './format';
import type { Io } from './io';
import { runLine } from './json-output';
import { describeFsError, displayPath, secretEnvName } from './node-host';
import { readInputText } from '../node/input-file';
import { terminalText } from './terminal-text';

export interface LeadListArgs {
  file: string;
  leads: string;
  concurrency?: number;
  yes: boolean;
  json: boolean;
}

/** How the run command reports a problem found before anything was sent: message, and with --json a document; exit 2. */
export type Stop = (code: string, message: string) => number;

/**
 * Runs the list; the run options are the single run's (definition, catalog, campaign, tokens,
 * timeout) without a lead. Exit code: 0 every lead a success, 1 otherwise, 2 input that stops the
 * list before any call, 130 cancelled (the summary of what completed is still printed).
 */
export async function runLeadListCommand(
  args: LeadListArgs, base: Omit<RunOptions, 'lead' | 'signal'>, catalog: FieldCatalog, io: Io, signal: AbortSignal, stop: Stop,
): Promise<number> {
  let text: string;
  try {
    text = await readInputText(args.leads, { maxBytes: MAX_LEAD_LIST_BYTES });
  } catch (error) {
    return stop('leads-unusable', `cannot read lead list ${displayPath(args.leads)}: ${describeFsError(error)}`);
  }
  const read = readLeadListFile(args.leads, text, catalog);
  if (!read.ok) return stop('leads-unusable', `the lead list ${displayPath(args.leads)} is not usable: ${read.message}`);
  if (read.unknownColumns.length > 0) {
    io.warn(`no lead field is named ${read.unknownColumns.map((c) => `"${c}"`).join(', ')} (columns of ${displayPath(args.leads)}); only tokens of that exact name read them`);
  }

  const validated = validateDefinition(base.text, { file: base.file, catalog });
  const definition = validated.definition;
  if (!definition || validated.diagnostics.some((d) => d.severity === 'error')) {
    // Not sent to any lead: the one report of the definition's errors, as a single run prints it.
    const result = withFile(await runDefinition({ ...base, lead: {} }), args.file);
    io.out(args.json ? runLine(result) + '\n' : formatRunReport(result, createStyle(io.color)));
    return 2;
  }
  const sends = (base.campaign ?? definition.test.campaign) === 'trigger';
  if (sends && read.leads.length > CONFIRM_ABOVE_LEADS && !args.yes) {
    return stop('confirmation-needed', `the lead list holds ${read.leads.length} leads: that is ${read.leads.length} real calls to the service of "${definition.name}". Add --yes to make them`);
  }

  const emit = async (text: string) => (io.stream ? io.stream(text) : io.out(text));
  const style = createStyle(io.color);
  const summary = new LeadListSummary(read.leads.length);
  const options = { ...base, leads: read.leads, signal, ...(args.concurrency !== undefined ? { concurrency: args.concurrency } : {}) };
  try {
    for await (const run of runLeadList(options)) {
      summary.add(run);
      const result = withFile(run.result, args.file);
      await emit(args.json ? runLine(result, run.lead) + '\n' : leadLine(run, result, style));
    }
  } catch (error) {
    // A problem of the run, not of one lead (a secret that is not set): the list stops.
    if (!(error instanceof RunInputError)) throw error;
    const hint = error.missingSecret === undefined ? '' : ` Set the environment variable ${secretEnvName(error.missingSecret)}.`;
    return stop(error.problem, error.message + hint);
  }
  const cancelled = signal.aborted;
  const doc = summary.document(cancelled);
  await emit(args.json ? JSON.stringify({ summary: doc }) + '\n' : formatSummary(doc, style));
  if (cancelled) {
    io.error(`cancelled: ${doc.completed} of ${doc.leads} leads run; the calls outstanding were aborted (their services may have received them)`);
    return EXIT_CANCELLED;
  }
  return summary.allSucceeded ? 0 : 1;
}

function withFile(result: RunResult, file: string): RunResult {
  return { ...result, definition: { ...result.definition, file } };
}

/** One line per lead: its place, the outcome, and what the mappings would write. */
function leadLine(run: LeadRun, result: RunResult, style: Style): string {
  const c = result.classification;
  const outcome = c ? `${c.category}  ${c.title}` : `not sent: ${result.diagnostics.find((d) => d.severity === 'error')?.message ?? ''}`;
  const paint = !c ? style.red : c.category === 'success' ? style.green : c.category === 'marketo' || c.category === 'redirect' ? style.yellow : style.red;
  const mapped = result.mappings.map((m) => (m.status === 'applied' ? `${m.marketoField}=${shown(m.value)}` : `${m.marketoField} skipped`));
  return `${style.dim(`lead ${run.lead}`)}  ${paint(one(outcome))}${mapped.length > 0 ? `  ${one(mapped.join(', '))}` : ''}\n`;
}

function formatSummary(doc: LeadListSummaryDocument, style: Style): string {
  const counts = (record: Record<string, number>) => Object.entries(record).map(([k, n]) => `${one(k)} ${n}`).join(', ') || '–';
  const rows: [string, string][] = [
    ['Leads', `${doc.leads}${doc.completed === doc.leads ? '' : ` (${doc.completed} completed)`} in ${formatDuration(doc.durationMs)}`],
    ['By category', counts(doc.byCategory)],
    ['By code', counts(doc.byCode)],
    ['Fields written', counts(doc.mappingsWritten)],
  ];
  for (const [field, refused] of Object.entries(doc.valuesRefused)) {
    const first = refused.examples[0];
    rows.push(['Values refused', `${one(field)} ${refused.count}${first ? ` (lead ${first.lead}: ${shown(first.value)}: ${one(first.reason)})` : ''}`]);
  }
  rows.push(['Marketo would take', `about ${formatDuration(doc.estimatedDrainMs)} to call the service for this list (20 connections, the latencies measured here)`]);
  const width = Math.max(...rows.map(([k]) => k.length));
  return `\n${style.bold('Summary')}\n${rows.map(([k, v]) => `  ${k.padEnd(width)}  ${v}`).join('\n')}\n`;
}

function shown(value: unknown): string {
  return typeof value === 'string' ? JSON.stringify(value) : String(JSON.stringify(value));
}

/** Text from a list, a definition or an answer on one line, its control characters shown. */
function one(text: string): string {
  return terminalText(text.replace(/\s*[\r\n]+\s*/g, ' '));
}
