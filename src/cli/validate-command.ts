// `marketo-webhook validate <file|dir>...`
import { resolve } from 'node:path';
import { validateDefinition } from '../engine';
import type { ValidateArgs } from './args';
import { readDefinitionFile } from './definition-file';
import { FieldsFileError, createCatalogSource, type CatalogSource } from './field-catalog-files';
import { findDefinitions } from './find-definitions';
import { createStyle, formatValidateReport } from './format';
import type { Io } from './io';
import { validateDocument, type ValidatedFile } from './json-output';

/** Exit code: 0 no errors, 1 at least one error, 2 an argument or file that could not be read. */
export async function validateCommand(args: ValidateArgs, io: Io): Promise<number> {
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
