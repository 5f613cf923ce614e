// `marketo-webhook validate <file|dir>...`
import { resolve } from 'node:path';
import { validateDefinition } from '../engine';
import type { ValidateArgs } from './args';
import { createCatalogSource } from './field-catalog-files';
import { findDefinitions } from './find-definitions';
import { createStyle, formatValidateReport } from './format';
import type { Io } from './io';
import { validateDocument, type ValidatedFile } from './json-output';
import { readText } from './node-host';

/** Exit code: 0 no errors, 1 at least one error, 2 an argument or file that could not be read. */
export async function validateCommand(args: ValidateArgs, io: Io): Promise<number> {
  const catalogs = await createCatalogSource(args.fields, (m) => io.warn(m));
  const { files, problems } = await findDefinitions(args.paths);
  let unreadable = problems.length > 0;
  for (const problem of problems) io.error(problem);

  const results: ValidatedFile[] = [];
  for (const file of files) {
    let text: string;
    try {
      text = await readText(file, 'definition file');
    } catch (error) {
      io.error((error as Error).message);
      unreadable = true;
      continue;
    }
    const catalog = await catalogs.forDefinition(file);
    const { diagnostics } = validateDefinition(text, { file: resolve(file), catalog });
    results.push({ file, diagnostics });
  }

  if (args.json) io.out(validateDocument(results) + '\n');
  else if (results.length > 0) io.out(formatValidateReport(results, createStyle(io.color)));

  if (unreadable) return 2;
  return results.some((r) => r.diagnostics.some((d) => d.severity === 'error')) ? 1 : 0;
}
