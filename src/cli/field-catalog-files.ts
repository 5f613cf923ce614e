// Finds and reads the field catalog for a definition: `--fields file`, or else the nearest
// `marketo-fields.json` in the definition's folder or a parent folder, or else the built-in one.
import { parse, printParseErrorCode, type ParseError } from 'jsonc-parser';
import { stat } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { FIELDS_FILE_NAME, STANDARD_CATALOG, catalogFromDescribe, type FieldCatalog } from '../engine';
import { displayPath, readText } from './node-host';

/** The `--fields` file cannot be used: exit code 2. */
export class FieldsFileError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'FieldsFileError';
  }
}

export interface CatalogSource {
  /** the catalog to check `file` (a definition's path) against */
  forDefinition(file: string): Promise<FieldCatalog>;
}

/**
 * With `fieldsFile`, reads it now and throws a FieldsFileError when it is unusable. Without,
 * looks for the conventional file per definition folder; an unusable one is reported through
 * `warn` (once) and the built-in catalog is used instead.
 */
export async function createCatalogSource(fieldsFile: string | undefined, warn: (message: string) => void): Promise<CatalogSource> {
  if (fieldsFile !== undefined) {
    const loaded = await loadFieldsFile(fieldsFile, '--fields file');
    if (loaded.error !== undefined) throw new FieldsFileError(loaded.error);
    for (const w of loaded.warnings) warn(w);
    const catalog = loaded.catalog;
    return { forDefinition: () => Promise.resolve(catalog) };
  }

  const byFolder = new Map<string, Promise<string | undefined>>();
  const byFile = new Map<string, Promise<FieldCatalog>>();
  const nearest = (folder: string): Promise<string | undefined> => {
    let found = byFolder.get(folder);
    if (!found) {
      found = (async () => {
        const candidate = join(folder, FIELDS_FILE_NAME);
        if (await isFile(candidate)) return candidate;
        const parent = dirname(folder);
        return parent === folder ? undefined : nearest(parent);
      })();
      byFolder.set(folder, found);
    }
    return found;
  };
  const catalogOf = (path: string): Promise<FieldCatalog> => {
    let catalog = byFile.get(path);
    if (!catalog) {
      catalog = loadFieldsFile(path, 'fields file').then((loaded) => {
        if (loaded.error !== undefined) {
          warn(`${loaded.error}; using the standard lead fields only`);
          return STANDARD_CATALOG;
        }
        for (const w of loaded.warnings) warn(w);
        return loaded.catalog;
      });
      byFile.set(path, catalog);
    }
    return catalog;
  };
  return {
    forDefinition: async (file) => {
      const path = await nearest(dirname(resolve(file)));
      return path === undefined ? STANDARD_CATALOG : catalogOf(path);
    },
  };
}

interface LoadedFields {
  catalog: FieldCatalog;
  /** why the file cannot be used at all */
  error?: string;
  /** problems with some of its entries */
  warnings: string[];
}

async function loadFieldsFile(path: string, what: string): Promise<LoadedFields> {
  const shown = displayPath(path);
  let text: string;
  try {
    text = await readText(path, what);
  } catch (error) {
    return { catalog: STANDARD_CATALOG, error: (error as Error).message, warnings: [] };
  }
  const errors: ParseError[] = [];
  const value: unknown = parse(text, errors, { allowTrailingComma: true, disallowComments: false });
  const first = errors[0];
  if (first) {
    const line = text.slice(0, first.offset).split('\n').length;
    return {
      catalog: STANDARD_CATALOG,
      error: `${what} ${shown} is not valid JSON (${printParseErrorCode(first.error)} on line ${line})`,
      warnings: [],
    };
  }
  const { catalog, errors: problems, read } = catalogFromDescribe(value);
  if (read === 0) {
    const why = problems.length > 0 ? problems.join('; ') : 'it holds no lead fields';
    return { catalog: STANDARD_CATALOG, error: `${what} ${shown}: ${why}`, warnings: [] };
  }
  return { catalog, warnings: problems.map((p) => `${what} ${shown}: ${p}`) };
}

async function isFile(path: string): Promise<boolean> {
  try {
    return (await stat(path)).isFile();
  } catch {
    return false;
  }
}
