// The engine's host on Node: files through the shared input reader, secrets from the environment.
import { homedir } from 'node:os';
import { dirname, isAbsolute, relative, resolve } from 'node:path';
import { type EngineHost, type FileNamedBy, MAX_INPUT_FILE_BYTES, secretTooShort } from '../engine';
import { FileRefusedError, describeFsError, isInside, readInputText, type Confinement } from '../node/input-file';

export { describeFsError, stripBom } from '../node/input-file';

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

/**
 * Reads a UTF-8 text file the user or a definition named (a leading byte order mark dropped): a
 * regular file of at most MAX_INPUT_FILE_BYTES, inside `within` when that is given. The message
 * names the file and the reason: "cannot read lead file x: it is a FIFO (named pipe), …".
 */
export async function readText(path: string, what: string, within?: Confinement): Promise<string> {
  try {
    return await readInputText(path, { maxBytes: MAX_INPUT_FILE_BYTES, within });
  } catch (error) {
    throw new Error(`cannot read ${what} ${displayPath(path)}: ${describeFsError(error)}`, { cause: error });
  }
}

/** The command-line flag that names, as the user, what a definition's key names. */
const FLAG_FOR: Record<Extract<FileNamedBy, { by: 'definition' }>['key'], string> = {
  'test.lead': '--lead',
  'test.tokens': '--tokens',
};

/**
 * On the command line a definition may name files in its own folder (and below) and in the
 * current folder (and below), where a command is run on its own project: not `~/.config` through
 * `../..`. The home folder and the folders above it are never such a root (a command run from `~`
 * would otherwise open all of it to the definition). The user names anything else with the flag.
 */
export function definitionConfinement(definition: string, key: keyof typeof FLAG_FOR, cwd = process.cwd(), home = homedir()): Confinement {
  const roots = [dirname(resolve(cwd, definition)), resolve(cwd)].filter((root) => !isInside(resolve(home), root));
  return {
    roots,
    refusal: `it is outside the definition's folder and the current folder; a definition may only name files inside them. Pass it with ${FLAG_FOR[key]} to use it anyway.`,
  };
}

export interface NodeHost extends EngineHost {
  /** the secret values handed to the engine, so output can be checked for them */
  readonly secretsSeen: ReadonlySet<string>;
}

/**
 * The engine reads sample lead files through its host and names the file itself in its message
 * ("Cannot read the sample lead x.lead.json: …"), so the host's message is the reason and the
 * path it tried: "no such file (hooks/x.lead.json)". A file the definition names is read only
 * inside definitionConfinement(`files.definition`).
 */
export function createNodeHost(env: NodeJS.ProcessEnv = process.env, files: { definition: string; cwd?: string }): NodeHost {
  const secretsSeen = new Set<string>();
  return {
    secretsSeen,
    readTextFile: async (path, namedBy) => {
      const within = namedBy.by === 'definition' ? definitionConfinement(files.definition, namedBy.key, files.cwd) : undefined;
      try {
        return await readInputText(path, { maxBytes: MAX_INPUT_FILE_BYTES, within });
      } catch (error) {
        // The engine names the file as the definition wrote it; the path tried helps unless the
        // refusal is about where the file is.
        const outside = error instanceof FileRefusedError && error.reason === 'outside';
        throw new Error(outside ? error.message : `${describeFsError(error)} (${displayPath(path)})`, { cause: error });
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
