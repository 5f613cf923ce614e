// `marketo-webhook run <file.webhook.jsonc>`: sends the definition's request as Marketo would and
// shows what Marketo would make of the answer.
import { resolve } from 'node:path';
import {
  MARKETO_TIMEOUT_MS, maskText, MAX_TIMEOUT_MS, RunInputError, secretForms, validateDefinition, type CampaignType,
  type FieldCatalog, type RunOptions, type RunResult,
} from '../../engine';
import { CONFIRM_ABOVE_LEADS, MAX_CONCURRENCY, runDefinition } from '../../engine/run-engine';
import { withCancellation } from '../cancellation';
import { UsageError, nonEmpty, single, type Command, type CommandLine } from '../command';
import { readDefinitionFile } from '../definition-file';
import { FieldsFileError, createCatalogSource } from '../field-catalog-files';
import { runLeadListCommand } from '../lead-list-run';
import { createStyle, formatRunReport } from '../format';
import type { Io } from '../io';
import { runDocument, runLine, stoppedRunResult } from '../json-output';
import { createNodeHost, readText, secretEnvName } from '../node-host';
import { FIELDS_OPTION, FIELDS_TOPIC, JSON_OPTION, SECRETS_TOPIC } from './shared-options';

export interface RunArgs {
  file: string;
  lead?: string;
  campaign?: CampaignType;
  /** `--tokens`: a tokens file as `pull tokens` writes it */
  tokensFile?: string;
  /** `--token` values split at the first `=`, later ones win */
  tokens: Record<string, string>;
  timeoutMs?: number;
  fields?: string;
  json: boolean;
  /** `--leads`: run once per lead of this list (contracts §6) */
  leads?: string;
  /** `--concurrency`: calls outstanding at most in a list run */
  concurrency?: number;
  /** `--yes`: make the real calls of a list above CONFIRM_ABOVE_LEADS leads */
  yes?: boolean;
}

export const run: Command<RunArgs> = {
  name: 'run',
  summary: "send a definition's request and show what Marketo would make of the answer",
  operands: '<file.webhook.jsonc>',
  description: `Sends the definition's request as Marketo's Call Webhook flow step would, then shows the response,
the response code, the Error Type a "Webhook is Called" trigger would see, the response mappings
and what to do about the outcome. Ctrl+C cancels the call.

With --leads, runs once per lead of a list (a CSV as Marketo exports lists, a JSON array of leads,
or a Get Leads response), at most 20 calls at a time as Marketo makes them, printing each lead's
outcome as it completes, then a summary: counts by category and code, the fields the mappings
would write, the values a field would refuse, and how long Marketo would take for the list.
Ctrl+C stops new calls and aborts the outstanding ones.`,
  options: [
    { name: 'lead', value: 'lead.json', help: 'sample lead file (overrides "test.lead"); relative to the current folder' },
    { name: 'campaign', value: 'trigger|batch', help: 'campaign type (overrides "test.campaign"); batch never sends: code 1000' },
    {
      name: 'tokens', value: 'tokens.json',
      help: 'a tokens file { "my.Name": "value" } (as `pull tokens` writes it), relative to\nthe current folder: over inline "test.tokens", instead of a "test.tokens" file',
    },
    {
      name: 'token', value: '"my.Name=value"', repeatable: true,
      help: 'a token value (repeatable; split at the first "="); overrides "test.tokens"\nand --tokens',
    },
    {
      name: 'timeout', value: 'ms',
      help: `how long to wait for the answer, 1 to ${MAX_TIMEOUT_MS} ms (overrides\n"test.timeoutMs"; default ${MARKETO_TIMEOUT_MS})`,
    },
    FIELDS_OPTION,
    {
      ...JSON_OPTION,
      help: 'print the run result as one JSON document on stdout (also when\nthe run stops before sending: the reason is an error diagnostic);\nwith --leads, one line per lead as it completes, then the summary',
    },
    {
      name: 'leads', value: 'FILE',
      help: 'run once per lead of this list: CSV (display names as header, as\nMarketo exports lists), a JSON array of leads, or a Get Leads response',
    },
    { name: 'concurrency', value: 'N', help: `calls outstanding at most with --leads, 1 to ${MAX_CONCURRENCY} (default ${MAX_CONCURRENCY}, Marketo's cap)` },
    { name: 'yes', help: `make the calls of a list of more than ${CONFIRM_ABOVE_LEADS} leads (each lead is a real call)` },
  ],
  exitCodes: [
    ['0', 'the call succeeded as Marketo counts it (a 2xx with a body: the response mappings ran), for every lead'],
    ['1', 'any other outcome (1000, 1001, 3xx-5xx, no response), for any lead'],
    ['2', `usage error, unreadable input, a definition with errors, over ${CONFIRM_ABOVE_LEADS} leads without --yes (nothing sent)`],
    ['130', 'cancelled with Ctrl+C'],
  ],
  topics: [SECRETS_TOPIC, FIELDS_TOPIC],
  parse: parseRunArgs,
  run: (args, io) => withCancellation((signal) => runCommand(args, io, signal), io),
};

function parseRunArgs(line: CommandLine): RunArgs {
  const [file, ...extra] = line.positionals;
  if (file === undefined || file === '') throw new UsageError('run needs a definition file (*.webhook.jsonc)');
  if (extra.length > 0) throw new UsageError(`run takes one definition file; unexpected "${extra[0]}"`);
  const result: RunArgs = { file, tokens: {}, json: line.flags.has('json') };

  const lead = nonEmpty(line, 'lead');
  if (lead !== undefined) result.lead = lead;

  const campaign = single(line, 'campaign');
  if (campaign !== undefined) {
    if (campaign !== 'trigger' && campaign !== 'batch') {
      throw new UsageError(`--campaign must be trigger or batch, not "${campaign}"`);
    }
    result.campaign = campaign;
  }

  const tokensFile = nonEmpty(line, 'tokens');
  if (tokensFile !== undefined) result.tokensFile = tokensFile;

  for (const token of line.values.get('token') ?? []) {
    const [name, value] = parseToken(token);
    result.tokens[name] = value;
  }

  const timeout = single(line, 'timeout');
  if (timeout !== undefined) result.timeoutMs = parseTimeout(timeout);

  const fields = nonEmpty(line, 'fields');
  if (fields !== undefined) result.fields = fields;

  const leads = nonEmpty(line, 'leads');
  if (leads !== undefined) {
    if (lead !== undefined) throw new UsageError('give --lead (one sample lead) or --leads (a list), not both');
    result.leads = leads;
  }
  const concurrency = single(line, 'concurrency');
  if (concurrency !== undefined) result.concurrency = parseConcurrency(concurrency);
  if (line.flags.has('yes')) result.yes = true;
  if (result.leads === undefined && (concurrency !== undefined || result.yes)) {
    throw new UsageError(`--${concurrency !== undefined ? 'concurrency' : 'yes'} applies to a list run: give --leads FILE`);
  }
  return result;
}

/** `--concurrency`: a whole number from 1 to Marketo's cap. */
export function parseConcurrency(text: string): number {
  const trimmed = text.trim();
  const n = Number(trimmed);
  if (!/^\d+$/.test(trimmed) || n < 1 || n > MAX_CONCURRENCY) {
    throw new UsageError(`--concurrency must be a whole number from 1 to ${MAX_CONCURRENCY} (Marketo makes at most ${MAX_CONCURRENCY} webhook calls at a time), not "${text}"`);
  }
  return n;
}

/** `my.Name=value` → [`my.Name`, `value`]; split at the first `=`; `{{my.Name}}=value` is accepted too. */
export function parseToken(text: string): [string, string] {
  const eq = text.indexOf('=');
  if (eq === -1) throw new UsageError(`--token "${text}" has no "=": write --token "my.Name=value"`);
  let name = text.slice(0, eq).trim();
  const braced = /^\{\{\s*(.*?)\s*\}\}$/.exec(name);
  if (braced) name = braced[1] as string;
  if (name === '') throw new UsageError(`--token "${text}" has no token name before "="`);
  return [name, text.slice(eq + 1)];
}

/** `--timeout`: a whole number of milliseconds from 1 to MAX_TIMEOUT_MS. */
export function parseTimeout(text: string): number {
  const trimmed = text.trim();
  const ms = Number(trimmed);
  if (!/^\d+$/.test(trimmed) || ms < 1 || ms > MAX_TIMEOUT_MS) {
    throw new UsageError(`--timeout must be a positive whole number of milliseconds, at most ${MAX_TIMEOUT_MS} (about 24.8 days), not "${text}"`);
  }
  return ms;
}

/**
 * Exit code: 0 a 2xx with a body (Marketo's success), 1 any other outcome, 2 input that stops the
 * run (unreadable files, a definition with errors). Cancellation through `signal` rejects with the
 * engine's RunCancelledError, which the caller turns into exit code 130.
 *
 * With --json, everything that stops the run before anything is sent is also a document on stdout
 * (the reason as an error diagnostic), besides the message on stderr.
 */
async function runCommand(args: RunArgs, io: Io, signal: AbortSignal): Promise<number> {
  /** A problem found before the engine ran: the message on stderr, and with --json a document. */
  const stop = (code: string, message: string, name = ''): number => {
    io.error(message);
    if (args.json) io.out(document(stoppedRunResult(args.file, name, code, message), args) + '\n');
    return 2;
  };

  let read;
  try {
    read = await readDefinitionFile(args.file);
  } catch (error) {
    return stop('file-unreadable', (error as Error).message);
  }
  if (read.tooLarge) {
    // Not read, so not sent: reported as the engine reports a definition with errors.
    return print(stoppedRunResult(args.file, '', read.tooLarge.code, read.tooLarge.message), args, io);
  }
  const text = read.text;

  let catalog: FieldCatalog;
  try {
    const catalogs = await createCatalogSource(args.fields, (m) => io.warn(m));
    catalog = await catalogs.forDefinition(args.file);
  } catch (error) {
    if (!(error instanceof FieldsFileError)) throw error;
    return stop('fields-unusable', error.message, definitionName(text, args.file));
  }

  // A lead the definition names is read only inside its folder or the current one; --lead is the user's.
  const host = createNodeHost(io.env, { definition: args.file });
  const options: RunOptions = {
    text,
    // The engine resolves `test.lead` against the definition's folder; an absolute path keeps that
    // independent of the current folder.
    file: resolve(args.file),
    host,
    catalog,
    signal,
  };
  if (args.lead !== undefined) {
    const lead = await callerFile(args.lead, 'lead file');
    if ('problem' in lead) return stop('lead-unusable', lead.problem, definitionName(text, args.file));
    options.lead = lead.path;
  }
  if (args.tokensFile !== undefined) {
    // The engine reads it through the host as the caller's.
    const tokens = await callerFile(args.tokensFile, 'tokens file');
    if ('problem' in tokens) return stop('tokens-unusable', tokens.problem, definitionName(text, args.file));
    options.tokensFile = tokens.path;
  }
  if (args.campaign !== undefined) options.campaign = args.campaign;
  if (Object.keys(args.tokens).length > 0) options.tokens = args.tokens;
  if (args.timeoutMs !== undefined) options.timeoutMs = args.timeoutMs;
  if (args.leads !== undefined) {
    const { lead: _none, signal: _signal, ...base } = options;
    const list = { file: args.file, leads: args.leads, yes: args.yes === true, json: args.json, ...(args.concurrency !== undefined ? { concurrency: args.concurrency } : {}) };
    return runLeadListCommand(list, base, catalog, io, signal, (code, message) => stop(code, message, definitionName(text, args.file)));
  }

  let result: RunResult;
  try {
    result = await runDefinition(options);
  } catch (error) {
    if (!(error instanceof RunInputError)) throw error;
    const hint = error.missingSecret === undefined ? '' : ` Set the environment variable ${secretEnvName(error.missingSecret)}.`;
    // The engine masks its messages; the secrets it was given are masked here too, with its own rules.
    io.error(maskText(error.message + hint, [...host.secretsSeen].flatMap(secretForms)));
    if (args.json) {
      const stopped = error.result ?? stoppedRunResult(args.file, definitionName(text, args.file), error.problem, error.message);
      io.out(runDocument(withFile(stopped, args.file)) + '\n');
    }
    return 2;
  }
  return print(withFile(result, args.file), args, io);
}

/** Prints a run result (secrets already masked by the engine) and returns the exit code. */
function print(result: RunResult, args: RunArgs, io: Io): number {
  io.out(args.json ? document(result, args) + '\n' : formatRunReport(result, createStyle(io.color)));
  return exitCode(result);
}

/** The --json document of a run: one line in a list run's NDJSON, else indented. */
function document(result: RunResult, args: RunArgs): string {
  return args.leads !== undefined ? runLine(result) : runDocument(result);
}

/** The definition under the name the user gave it. */
function withFile(result: RunResult, file: string): RunResult {
  return { ...result, definition: { ...result.definition, file } };
}

/** The definition's `name`, for a document about a run that stopped before the engine ran; '' if it has none. */
function definitionName(text: string, file: string): string {
  return validateDefinition(text, { file: resolve(file) }).definition?.name ?? '';
}

function exitCode(result: RunResult): number {
  if (!result.classification) {
    // Nothing was sent and no Marketo code applies: the definition's errors stopped the run.
    return result.diagnostics.some((d) => d.severity === 'error') ? 2 : 1;
  }
  return result.classification.category === 'success' ? 0 : 1;
}

/**
 * A file named on the command line (`--lead`, `--tokens`): checked here so that a problem names it
 * as the user typed it, then resolved against where the command runs, as any path given on a
 * command line.
 */
async function callerFile(path: string, what: string): Promise<{ path: string } | { problem: string }> {
  try {
    await readText(path, what);
  } catch (error) {
    return { problem: (error as Error).message };
  }
  // As typed: the engine names it in its messages, and reads it (through the node host) from the working directory.
  return { path };
}
