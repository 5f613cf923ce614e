// Reads a definition file without reading more of it than the engine would look at: a file over
// the engine's limit is reported as the engine reports it (`file-too-large`), unread.
import { open } from 'node:fs/promises';
import type { Diagnostic } from '../engine';
import { fileDiagnostic } from './json-output';
import { describeFsError, displayPath, stripBom } from './node-host';

/** The engine's limit: a definition over 5 MB is not read. */
export const MAX_DEFINITION_BYTES = 5 * 1024 * 1024;

const CHUNK_BYTES = 1024 * 1024;

export type DefinitionFile =
  | { text: string; tooLarge?: undefined }
  /** the file was not read: the diagnostic to report for it */
  | { text?: undefined; tooLarge: Diagnostic };

/** The `file-too-large` diagnostic; `bytes` undefined when the size is not known (not a regular file). */
export function fileTooLargeDiagnostic(bytes: number | undefined): Diagnostic {
  const size = bytes === undefined ? 'over 5 MB' : `${(bytes / 1024 / 1024).toFixed(1)} MB`;
  return fileDiagnostic('file-too-large', `This file is ${size}; a webhook definition over 5 MB is not read.`);
}

/**
 * Reads a UTF-8 definition file (a leading byte order mark dropped). Its size is checked before
 * reading, and no more than the limit is ever read, even from something that is not a regular file
 * (a device or a pipe) or a file that grows while it is read. Throws an Error with a message for
 * the user ("cannot read definition file x: no such file") when it cannot be read.
 */
export async function readDefinitionFile(path: string): Promise<DefinitionFile> {
  try {
    return await readBounded(path);
  } catch (error) {
    throw new Error(`cannot read definition file ${displayPath(path)}: ${describeFsError(error)}`, { cause: error });
  }
}

async function readBounded(path: string): Promise<DefinitionFile> {
  const handle = await open(path, 'r');
  try {
    const info = await handle.stat();
    // Opening a folder works on some systems; reading it does not.
    if (info.isDirectory()) throw Object.assign(new Error('EISDIR'), { code: 'EISDIR' });
    if (info.isFile() && info.size > MAX_DEFINITION_BYTES) return { tooLarge: fileTooLargeDiagnostic(info.size) };
    const chunks: Buffer[] = [];
    let total = 0;
    for (;;) {
      const buffer = Buffer.alloc(CHUNK_BYTES);
      const { bytesRead } = await handle.read(buffer, 0, CHUNK_BYTES, null);
      if (bytesRead === 0) break;
      total += bytesRead;
      if (total > MAX_DEFINITION_BYTES) return { tooLarge: fileTooLargeDiagnostic(info.isFile() ? Math.max(total, info.size) : undefined) };
      chunks.push(bytesRead === CHUNK_BYTES ? buffer : buffer.subarray(0, bytesRead));
    }
    return { text: stripBom(Buffer.concat(chunks, total).toString('utf8')) };
  } finally {
    await handle.close().catch(() => undefined);
  }
}
