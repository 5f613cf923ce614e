// `marketo-webhook validate <file|dir>...`: checks definitions as Marketo would see them.
import { resolve } from 'node:path';
import { validateDefinition } from '../../engine';
import { UsageError, nonEmpty, type Command } from '../command';
import { readDefinitionFile } from '../definition-file';
import { FieldsFileError, createCatalogSource, type CatalogSource } from '../field-catalog-files';
import { findDefinitions } from '../find-definitions';
import { createStyle, formatValidateReport } from '../format';
import type { Io } from '../io';
import { validateDocument, type ValidatedFile } from '../json-output';
import { FIELDS_OPTION, FIELDS_TOPIC, JSON_OPTION } from './shared-options';

export interface ValidateArgs {
  paths: readonly string[];
  json: boolean;
  fields?: string;
}

export const validate: Command<ValidateArgs> = {
  name: 'validate',
  summary: 'check webhook definitions (*.webhook.jsonc) as Marketo would see them',
  operands: '<file|dir>...',
  description: `Checks each file, and every *.webhook.jsonc file below each folder (node_modules and folders
whose names start with "." are skipped).`,
  options: [
    { ...JSON_OPTION, help: 'print { "files": [ { "file", "diagnostics": [...] } ] } on stdout' },
    FIELDS_OPTION,
  ],
  exitCodes: [
    ['0', 'no errors (warnings allowed)'],
    ['1', 'at least one error'],
    ['2', 'usage error, or a file or folder that cannot be read (or holds no definitions)'],
  ],
  topics: [FIELDS_TOPIC],
  parse(line) {
    if (line.positionals.length === 0) throw new UsageError('validate needs at least one file or folder');
    for (const p of line.positionals) if (p === '') throw new UsageError('an empty path was given');
    const options: ValidateArgs = { paths: line.positionals, json: line.flags.has('json') };
    const fields = nonEmpty(line, 'fields');
    if (fields !== undefined) options.fields = fields;
    return options;
  },
  run: validateFiles,
};

/** Exit code: 0 no errors, 1 at least one error, 2 an argument or file that could not be read. */
async function validateFiles(args: ValidateArgs, io: Io): Promise<number> {
  let catalogs: CatalogSource;
  try {
    catalogs = await createCatalogSource(args.fields, (m) => io.warn(m));
  } catch (error) {
    if (!(error instanceof FieldsFileError)) throw error;
    // Nothing is checked against a catalog that could not be read; --json still prints its document.
    io.error(error.message);
    if (args.json) io.out(validateDocument([]) + '\n');
    return 2;
  }
  const { files, problems } = await findDefinitions(args.paths);
  let unreadable = problems.length > 0;
  for (const problem of problems) io.error(problem);

  const results: ValidatedFile[] = [];
  for (const file of files) {
    let read;
    try {
      read = await readDefinitionFile(file);
    } catch (error) {
      io.error((error as Error).message);
      unreadable = true;
      continue;
    }
    if (read.tooLarge) {
      // Reported as the engine reports it, without reading the file.
      results.push({ file, diagnostics: [read.tooLarge] });
      continue;
    }
    const catalog = await catalogs.forDefinition(file);
    const { diagnostics } = validateDefinition(read.text, { file: resolve(file), catalog });
    results.push({ file, diagnostics });
  }

  if (args.json) io.out(validateDocument(results) + '\n');
  else if (results.length > 0) io.out(formatValidateReport(results, createStyle(io.color)));

  if (unreadable) return 2;
  return results.some((r) => r.diagnostics.some((d) => d.severity === 'error')) ? 1 : 0;
}
