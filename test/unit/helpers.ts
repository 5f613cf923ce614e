// Shared test helpers: read back the text a diagnostic's range covers; find the built CLI.
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { LineIndex } from '../../src/engine/text/line-index';
import type { Diagnostic, Range } from '../../src/engine/types';

export function offsetOf(text: string, line: number, character: number): number {
  const lines = new LineIndex(text);
  // Walk forward from the line start; LineIndex only maps offsets to positions.
  let offset = 0;
  while (offset < text.length && lines.position(offset).line < line) offset++;
  return offset + character;
}

/** The exact text under a range. */
export function textAt(text: string, range: Range): string {
  return text.slice(offsetOf(text, range.start.line, range.start.character), offsetOf(text, range.end.line, range.end.character));
}

export function byCode(diagnostics: readonly Diagnostic[], code: string): Diagnostic[] {
  return diagnostics.filter((d) => d.code === code);
}

/** A definition's JSON text from an object, so tests state their input plainly. */
export function def(fields: Record<string, unknown>): string {
  return JSON.stringify({ name: 'Test', url: 'https://api.example.com/x', ...fields }, null, 2);
}

/**
 * The project root: the nearest folder above this file with the project's package.json and its
 * tsconfig.json (tsc copies package.json into out/, so the name alone is not enough).
 */
export function projectRoot(): string {
  for (let dir = __dirname; ; dir = dirname(dir)) {
    const pkg = join(dir, 'package.json');
    if (existsSync(pkg) && existsSync(join(dir, 'tsconfig.json'))
      && (JSON.parse(readFileSync(pkg, 'utf8')) as { name?: string }).name === 'marketo-webhook-workbench') return dir;
    if (dirname(dir) === dir) return process.cwd();
  }
}

/** The built command line, spawned by the tests that run it as a user does. */
export const CLI = join(projectRoot(), 'dist', 'cli.js');
