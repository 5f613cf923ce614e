// `marketo-webhook run <file.webhook.jsonc>`
import { resolve } from 'node:path';
import { RunInputError, runDefinition, type RunOptions, type RunResult } from '../engine';
import type { RunArgs } from './args';
import { createCatalogSource } from './field-catalog-files';
import { createStyle, formatRunReport } from './format';
import type { Io } from './io';
import { maskSecrets, runDocument } from './json-output';
import { createNodeHost, readText, secretEnvName } from './node-host';

/**
 * Exit code: 0 a 2xx with a body (Marketo's success), 1 any other outcome, 2 input that stops the
 * run (unreadable files, a definition with errors). Cancellation through `signal` rejects with the
 * engine's RunCancelledError, which the caller turns into exit code 130.
 */
export async function runCommand(args: RunArgs, io: Io, signal: AbortSignal): Promise<number> {
  const catalogs = await createCatalogSource(args.fields, (m) => io.warn(m));
  const text = await readText(args.file, 'definition file');
  const host = createNodeHost(io.env);
  const options: RunOptions = {
    text,
    // The engine resolves `test.lead` against the definition's folder; an absolute path keeps that
    // independent of the current folder.
    file: resolve(args.file),
    host,
    catalog: await catalogs.forDefinition(args.file),
    signal,
  };
  if (args.lead !== undefined) {
    // Checked here so the message names the file as the user typed it.
    await readText(args.lead, 'lead file');
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
    if (error instanceof RunInputError) {
      const hint = error.missingSecret === undefined ? '' : ` Set the environment variable ${secretEnvName(error.missingSecret)}.`;
      io.error(maskSecrets(error.message + hint, host.secretsSeen));
      return 2;
    }
    throw error;
  }
  // Report the definition under the name the user gave it.
  result = { ...result, definition: { ...result.definition, file: args.file } };

  const output = args.json ? runDocument(result) + '\n' : formatRunReport(result, createStyle(io.color));
  io.out(maskSecrets(output, host.secretsSeen));
  return exitCode(result);
}

export function exitCode(result: RunResult): number {
  if (!result.classification) {
    // Nothing was sent and no Marketo code applies: the definition's errors stopped the run.
    return result.diagnostics.some((d) => d.severity === 'error') ? 2 : 1;
  }
  return result.classification.category === 'success' ? 0 : 1;
}
