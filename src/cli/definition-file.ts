// Reads a definition file without reading more of it than the engine would look at: a file over
// the engine's limit is reported as the engine reports it (`file-too-large`), unread. The reading
// itself (regular files only, the limit counted while reading, no wait on a FIFO) is the shared
// input reader's.
import { type Diagnostic, definitionTooLargeMessage, MAX_INPUT_FILE_BYTES } from '../engine';
import { FileRefusedError, describeFsError, readInputText } from '../node/input-file';
import { fileDiagnostic } from './json-output';
import { displayPath } from './node-host';

export type DefinitionFile =
  | { text: string; tooLarge?: undefined }
  /** the file was not read: the diagnostic to report for it */
  | { text?: undefined; tooLarge: Diagnostic };

/** The `file-too-large` diagnostic; `bytes` undefined when the size is not known (found while reading). */
export function fileTooLargeDiagnostic(bytes: number | undefined): Diagnostic {
  return fileDiagnostic('file-too-large', definitionTooLargeMessage(bytes));
}

/**
 * Reads a UTF-8 definition file (a leading byte order mark dropped). Its size is checked before
 * reading, and no more than the limit is ever read, even from a file that grows while it is read.
 * Throws an Error with a message for the user ("cannot read definition file x: no such file") when
 * it cannot be read, or is not a regular file (a FIFO, a device).
 */
export async function readDefinitionFile(path: string): Promise<DefinitionFile> {
  try {
    return { text: await readInputText(path, { maxBytes: MAX_INPUT_FILE_BYTES }) };
  } catch (error) {
    if (error instanceof FileRefusedError && error.reason === 'too-large') return { tooLarge: fileTooLargeDiagnostic(error.bytes) };
    throw new Error(`cannot read definition file ${displayPath(path)}: ${describeFsError(error)}`, { cause: error });
  }
}
