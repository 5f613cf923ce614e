// Turns `validate` arguments (files and folders) into the list of definition files to check.
import { readdir, stat } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { describeFsError } from './node-host';

export const DEFINITION_SUFFIX = '.webhook.jsonc';

export interface FoundFiles {
  /** paths as the user gave them, or joined onto the folder the user gave; no duplicates */
  files: string[];
  /** one readable message per argument that could not be used */
  problems: string[];
}

export async function findDefinitions(args: readonly string[]): Promise<FoundFiles> {
  const files: string[] = [];
  const problems: string[] = [];
  const seen = new Set<string>();
  const add = (file: string) => {
    const key = resolve(file);
    if (seen.has(key)) return;
    seen.add(key);
    files.push(file);
  };
  for (const arg of args) {
    let isDirectory: boolean;
    try {
      isDirectory = (await stat(arg)).isDirectory();
    } catch (error) {
      problems.push(`cannot read ${arg}: ${describeFsError(error)}`);
      continue;
    }
    if (!isDirectory) {
      add(arg);
      continue;
    }
    const before = problems.length;
    const found = await walk(arg, problems);
    if (found.length === 0 && problems.length === before) {
      problems.push(`no *${DEFINITION_SUFFIX} files in ${arg}`);
    }
    for (const file of found) add(file);
  }
  return { files, problems };
}

/**
 * Every `*.webhook.jsonc` below `dir`, skipping node_modules and dot-folders, sorted by path.
 * A folder that cannot be listed is reported in `problems` and the walk goes on.
 */
async function walk(dir: string, problems: string[]): Promise<string[]> {
  const found: string[] = [];
  const visit = async (folder: string): Promise<void> => {
    let entries;
    try {
      entries = await readdir(folder, { withFileTypes: true });
    } catch (error) {
      problems.push(`cannot read folder ${folder}: ${describeFsError(error)}`);
      return;
    }
    for (const entry of entries) {
      const path = join(folder, entry.name);
      if (entry.isDirectory()) {
        if (entry.name !== 'node_modules' && !entry.name.startsWith('.')) await visit(path);
        continue;
      }
      if (!entry.name.endsWith(DEFINITION_SUFFIX)) continue;
      if (entry.isFile()) {
        found.push(path);
      } else if (entry.isSymbolicLink()) {
        // Linked files count; linked folders are not followed (no cycles).
        const target = await stat(path).catch(() => undefined);
        if (target?.isFile()) found.push(path);
      }
    }
  };
  await visit(dir);
  return found.sort(comparePaths);
}

function comparePaths(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
