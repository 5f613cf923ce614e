// The engine's host on Node: files through node:fs, secrets from the environment.
import { readFile } from 'node:fs/promises';
import { isAbsolute, relative } from 'node:path';
import type { EngineHost } from '../engine';
import { secretTooShort } from '../engine/mask-secrets';

/** Prefix of the environment variables that hold `{ "secret": NAME }` token values. */
export const SECRET_ENV_PREFIX = 'MARKETO_WEBHOOK_SECRET_';

/** `api-key` → `MARKETO_WEBHOOK_SECRET_API_KEY` */
export function secretEnvName(name: string): string {
  return SECRET_ENV_PREFIX + name.toUpperCase().replace(/[^A-Z0-9]/g, '_');
}

/** A path as a person wants to read it: relative to the current folder when it lies below it. */
export function displayPath(path: string, cwd = process.cwd()): string {
  if (!isAbsolute(path)) return path;
  const rel = relative(cwd, path);
  return rel !== '' && !rel.startsWith('..') && !isAbsolute(rel) ? rel : path;
}

/** `ENOENT` → `no such file`, and so on; the message of anything else. */
export function describeFsError(error: unknown): string {
  const code = (error as { code?: unknown } | null)?.code;
  switch (code) {
    case 'ENOENT': return 'no such file';
    case 'EACCES':
    case 'EPERM': return 'permission denied';
    case 'EISDIR': return 'it is a folder, not a file';
    case 'ENOTDIR': return 'a part of the path is not a folder';
    case 'ELOOP': return 'too many symbolic links';
    case 'EMFILE':
    case 'ENFILE': return 'too many open files';
    default: return error instanceof Error ? error.message : String(error);
  }
}

/** Reads a UTF-8 text file (a leading byte order mark dropped, as editors do). */
export async function readText(path: string, what: string): Promise<string> {
  try {
    return stripBom(await readFile(path, 'utf8'));
  } catch (error) {
    throw new Error(`cannot read ${what} ${displayPath(path)}: ${describeFsError(error)}`, { cause: error });
  }
}

/** Drops a leading byte order mark, as editors do. */
export function stripBom(text: string): string {
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}

export interface NodeHost extends EngineHost {
  /** the secret values handed to the engine, so output can be checked for them */
  readonly secretsSeen: ReadonlySet<string>;
}

/**
 * The engine reads sample lead files through its host and names the file itself in its message
 * ("Cannot read the sample lead x.lead.json: …"), so the host's message is the reason and the
 * path it tried: "no such file (hooks/x.lead.json)".
 */
export function createNodeHost(env: NodeJS.ProcessEnv = process.env): NodeHost {
  const secretsSeen = new Set<string>();
  return {
    secretsSeen,
    readTextFile: async (path) => {
      try {
        return stripBom(await readFile(path, 'utf8'));
      } catch (error) {
        throw new Error(`${describeFsError(error)} (${displayPath(path)})`, { cause: error });
      }
    },
    getSecret: (name) => {
      // An empty variable counts as not set: sending an empty key is never what was meant.
      const value = env[secretEnvName(name)] || undefined;
      // A value too short to mask is refused by the engine, never sent; masking its one or two
      // characters in the message that says so would make that message unreadable.
      if (value !== undefined && !secretTooShort(value)) secretsSeen.add(value);
      return Promise.resolve(value);
    },
  };
}
