// `marketo-webhook run <file.webhook.jsonc>`
import { resolve } from 'node:path';
import {
  maskText, RunInputError, secretForms, validateDefinition, type FieldCatalog, type RunOptions, type RunResult,
} from '../engine';
import { runDefinition } from '../engine/run-engine';
import type { RunArgs } from './args';
import { readDefinitionFile } from './definition-file';
import { FieldsFileError, createCatalogSource } from './field-catalog-files';
import { createStyle, formatRunReport } from './format';
import type { Io } from './io';
import { runDocument, stoppedRunResult } from './json-output';
import { createNodeHost, readText, secretEnvName } from './node-host';

/**
 * Exit code: 0 a 2xx with a body (Marketo's success), 1 any other outcome, 2 input that stops the
 * run (unreadable files, a definition with errors). Cancellation through `signal` rejects with the
 * engine's RunCancelledError, which the caller turns into exit code 130.
 *
 * With --json, everything that stops the run before anything is sent is also a document on stdout
 * (the reason as an error diagnostic), besides the message on stderr.
 */
export async function runCommand(args: RunArgs, io: Io, signal: AbortSignal): Promise<number> {
  /** A problem found before the engine ran: the message on stderr, and with --json a document. */
  const stop = (code: string, message: string, name = ''): number => {
    io.error(message);
    if (args.json) io.out(runDocument(stoppedRunResult(args.file, name, code, message)) + '\n');
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
    // Checked here so the message names the file as the user typed it.
    try {
      await readText(args.lead, 'lead file');
    } catch (error) {
      return stop('lead-unusable', (error as Error).message, definitionName(text, args.file));
    }
    // Relative to where the command runs, as any path given on a command line.
    options.lead = resolve(args.lead);
  }
  if (args.campaign !== undefined) options.campaign = args.campaign;
  if (Object.keys(args.tokens).length > 0) options.tokens = args.tokens;
  if (args.timeoutMs !== undefined) options.timeoutMs = args.timeoutMs;

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
  io.out(args.json ? runDocument(result) + '\n' : formatRunReport(result, createStyle(io.color)));
  return exitCode(result);
}

/** The definition under the name the user gave it. */
function withFile(result: RunResult, file: string): RunResult {
  return { ...result, definition: { ...result.definition, file } };
}

/** The definition's `name`, for a document about a run that stopped before the engine ran; '' if it has none. */
function definitionName(text: string, file: string): string {
  return validateDefinition(text, { file: resolve(file) }).definition?.name ?? '';
}

export function exitCode(result: RunResult): number {
  if (!result.classification) {
    // Nothing was sent and no Marketo code applies: the definition's errors stopped the run.
    return result.diagnostics.some((d) => d.severity === 'error') ? 2 : 1;
  }
  return result.classification.category === 'success' ? 0 : 1;
}
