// Reads the small files a run takes as input (definitions, sample leads, field catalogs, token
// files) so that no file can hurt: only regular files; never more than a limit, counted while
// reading (a device or /proc file reports size 0 and never ends); never waiting on a FIFO or a
// terminal; and, for a file a definition names, only inside the folders the caller allows, after
// resolving symbolic links. A repository is not trusted to name what a run reads and sends.
//
// It lives in src/node/ (code that needs node:fs but never `vscode`) because the command line and
// the extension host both read files this way, and the engine (src/engine) does no I/O of its own.
import { constants } from 'node:fs';
import { open, realpath } from 'node:fs/promises';
import type { Stats } from 'node:fs';
import { isAbsolute, relative, resolve, sep } from 'node:path';

const CHUNK_BYTES = 64 * 1024;

/**
 * Opening a FIFO for reading waits for a writer, holding one of libuv's four threads (and even
 * `process.exit`) until one comes. With O_NONBLOCK the open returns at once and the handle's
 * fstat refuses it; on a regular file the flag changes nothing. Windows has no such flag.
 */
const OPEN_FLAGS = constants.O_RDONLY | (constants.O_NONBLOCK ?? 0);

export type RefusalReason = 'outside' | 'not-a-file' | 'too-large';

/** A file refused before or while reading it; its message is the reason, to follow the file's name. */
export class FileRefusedError extends Error {
  readonly reason: RefusalReason;
  /** the file's size, when it is known (a regular file) */
  readonly bytes: number | undefined;

  constructor(reason: RefusalReason, message: string, bytes?: number) {
    super(message);
    this.name = 'FileRefusedError';
    this.reason = reason;
    this.bytes = bytes;
  }
}

/** Where a file named by a definition must lie, and what to say when it does not. */
export interface Confinement {
  /** folders the file's real path must be inside (their own symbolic links are resolved too) */
  roots: readonly string[];
  /** the whole reason when it is not: "it is outside the workspace folder; … Pass it with --lead …" */
  refusal: string;
}

export interface InputFileOptions {
  maxBytes: number;
  /** set for a file the definition names; unset for one the user names (a flag, a setting, a pick) */
  within?: Confinement | undefined;
}

/**
 * The file's text, UTF-8, a leading byte order mark dropped. Rejects with a FileRefusedError (the
 * reason as its message) or the file system's error (see describeFsError).
 */
export async function readInputText(path: string, options: InputFileOptions): Promise<string> {
  return stripBom((await readInputBytes(path, options)).toString('utf8'));
}

export async function readInputBytes(path: string, options: InputFileOptions): Promise<Buffer> {
  let target = path;
  if (options.within) {
    // Checked before opening: a file outside is not even opened. The real path is what is read,
    // so the file checked is the file read.
    target = await realpath(path);
    if (!(await isInsideAny(target, options.within.roots))) throw new FileRefusedError('outside', options.within.refusal);
  }
  const handle = await open(target, OPEN_FLAGS);
  try {
    const info = await handle.stat();
    if (!info.isFile()) throw new FileRefusedError('not-a-file', notAFile(info));
    if (info.size > options.maxBytes) throw tooLarge(options.maxBytes, info.size);
    const chunks: Buffer[] = [];
    let total = 0;
    // Whole chunks (some /proc files refuse odd-sized reads): at most one chunk past the limit is read.
    for (;;) {
      const buffer = Buffer.allocUnsafe(CHUNK_BYTES);
      const { bytesRead } = await handle.read(buffer, 0, CHUNK_BYTES, null);
      if (bytesRead === 0) break;
      total += bytesRead;
      // A file that grows while it is read, or says it is empty and is not (/proc).
      if (total > options.maxBytes) throw tooLarge(options.maxBytes);
      chunks.push(bytesRead === CHUNK_BYTES ? buffer : buffer.subarray(0, bytesRead));
    }
    return Buffer.concat(chunks, total);
  } finally {
    await handle.close().catch(() => undefined);
  }
}

/**
 * True when `path`, its symbolic links resolved, lies inside one of `roots`; false when it cannot
 * be resolved. For lists the user picks from: a link that only looks like a workspace file is not one.
 */
export async function liesInside(path: string, roots: readonly string[]): Promise<boolean> {
  try {
    return await isInsideAny(await realpath(path), roots);
  } catch {
    return false;
  }
}

/** True when `file` (a real path) lies inside one of `roots`, each resolved through its symbolic links. */
async function isInsideAny(file: string, roots: readonly string[]): Promise<boolean> {
  for (const root of roots) {
    const real = await realpath(root).catch(() => resolve(root));
    if (isInside(file, real)) return true;
  }
  return false;
}

/** True when `path` is `folder` or below it (both absolute, already resolved). */
export function isInside(path: string, folder: string): boolean {
  const rel = relative(folder, path);
  return rel === '' || (!isAbsolute(rel) && rel !== '..' && !rel.startsWith(`..${sep}`));
}

function notAFile(info: Stats): string {
  if (info.isDirectory()) return 'it is a folder, not a file';
  const kind = info.isFIFO() ? 'a FIFO (named pipe)'
    : info.isCharacterDevice() ? 'a character device'
      : info.isBlockDevice() ? 'a block device'
        : info.isSocket() ? 'a socket' : 'not a regular file';
  return kind === 'not a regular file' ? 'it is not a regular file' : `it is ${kind}, not a regular file`;
}

/** The refusal of a file over `maxBytes`; `bytes` its size when known. */
export function tooLarge(maxBytes: number, bytes?: number): FileRefusedError {
  const limit = `${+(maxBytes / 1024 / 1024).toFixed(1)} MB`;
  const size = bytes === undefined ? `more than ${limit}` : `${(bytes / 1024 / 1024).toFixed(1)} MB`;
  return new FileRefusedError('too-large', `it is ${size}; a file over ${limit} is not read`, bytes);
}

/** `ENOENT` → `no such file`, and so on; a refusal's own message; the message of anything else. */
export function describeFsError(error: unknown): string {
  if (error instanceof FileRefusedError) return error.message;
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
    case 'ENXIO': return 'it is not a regular file';
    default: return error instanceof Error ? error.message : String(error);
  }
}

/** Drops a leading byte order mark, as editors do. */
export function stripBom(text: string): string {
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}
