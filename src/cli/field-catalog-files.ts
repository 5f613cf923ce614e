// Finds and reads the field catalog for a definition: `--fields file`, or else the nearest
// `marketo-fields.json` in the definition's folder or a parent folder up to the repository root
// or the home folder, or else the built-in one.
import { lstat, realpath } from 'node:fs/promises';
import { homedir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { FIELDS_FILE_NAME, STANDARD_CATALOG, readDescribeFile, type FieldCatalog } from '../engine';
import type { Confinement } from '../node/input-file';
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

  const byFolder = new Map<string, Promise<Found | undefined>>();
  const byFile = new Map<string, Promise<FieldCatalog>>();
  const home = realOrResolved(homedir());
  const nearest = (folder: string): Promise<Found | undefined> => {
    let found = byFolder.get(folder);
    if (!found) {
      found = (async () => {
        const candidate = join(folder, FIELDS_FILE_NAME);
        const top = await isSearchTop(folder, await home);
        // Anything by that name is the catalog: one that cannot be read is said, not skipped.
        if (await exists(candidate)) return { path: candidate, top: top ? folder : await searchTop(folder, await home) };
        const parent = dirname(folder);
        // Never the file system's root: a catalog there (or in /tmp) is anybody's.
        return top || dirname(parent) === parent ? undefined : nearest(parent);
      })();
      byFolder.set(folder, found);
    }
    return found;
  };
  const catalogOf = (found: Found): Promise<FieldCatalog> => {
    let catalog = byFile.get(found.path);
    if (!catalog) {
      // Found by convention, so named by the repository: it must not lead out of the folders
      // searched (a symbolic link to a device, a FIFO or another project's file).
      const within: Confinement = {
        roots: [found.top, process.cwd()],
        refusal: `it is outside ${displayPath(found.top)} and the current folder; a ${FIELDS_FILE_NAME} found next to a definition must lie inside them. Pass it with --fields to use it anyway.`,
      };
      catalog = loadFieldsFile(found.path, 'fields file', within).then((loaded) => {
        if (loaded.error !== undefined) {
          warn(`${loaded.error}; using the standard lead fields only`);
          return STANDARD_CATALOG;
        }
        for (const w of loaded.warnings) warn(w);
        return loaded.catalog;
      });
      byFile.set(found.path, catalog);
    }
    return catalog;
  };
  return {
    forDefinition: async (file) => {
      const found = await nearest(await realOrResolved(dirname(resolve(file))));
      return found === undefined ? STANDARD_CATALOG : catalogOf(found);
    },
  };
}

interface Found {
  path: string;
  /** the last folder the search would look in: where the file must lie */
  top: string;
}

/** The search stops at a repository's root (a folder holding `.git`, a folder or a worktree's file) or the home folder. */
async function isSearchTop(folder: string, home: string): Promise<boolean> {
  return folder === home || (await exists(join(folder, '.git')));
}

/** The last folder searched above `folder`: the repository root, home, or the folder below `/`. */
async function searchTop(folder: string, home: string): Promise<string> {
  for (let current = folder; ; current = dirname(current)) {
    const parent = dirname(current);
    if (dirname(parent) === parent || parent === current || (await isSearchTop(current, home))) return current;
  }
}

async function realOrResolved(path: string): Promise<string> {
  return realpath(path).catch(() => resolve(path));
}

interface LoadedFields {
  catalog: FieldCatalog;
  /** why the file cannot be used at all */
  error?: string;
  /** problems with some of its entries */
  warnings: string[];
}

async function loadFieldsFile(path: string, what: string, within?: Confinement): Promise<LoadedFields> {
  const shown = displayPath(path);
  let text: string;
  try {
    text = await readText(path, what, within);
  } catch (error) {
    return { catalog: STANDARD_CATALOG, error: (error as Error).message, warnings: [] };
  }
  const described = readDescribeFile(text);
  if (!described.ok) {
    return {
      catalog: STANDARD_CATALOG,
      error: `${what} ${shown} is not valid JSON (${described.syntaxError} on line ${described.line})`,
      warnings: [],
    };
  }
  const { catalog, errors: problems, read } = described;
  if (read === 0) {
    const why = problems.length > 0 ? problems.join('; ') : 'it holds no lead fields';
    return { catalog: STANDARD_CATALOG, error: `${what} ${shown}: ${why}`, warnings: [] };
  }
  return { catalog, warnings: problems.map((p) => `${what} ${shown}: ${p}`) };
}

/** Anything at `path`, even a broken link, a FIFO or a folder. */
async function exists(path: string): Promise<boolean> {
  try {
    await lstat(path);
    return true;
  } catch {
    return false;
  }
}
