// One constant per limit: src/engine/limits.ts defines each, and nothing else in src/ writes one of
// those values out again (a second `5 * 1024 * 1024` is a second limit that drifts).
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, test } from 'node:test';
import * as limits from '../../src/engine/limits';
import { projectRoot } from './helpers';

const LIMITS_FILE = join('src', 'engine', 'limits.ts');

/** The ways each limit's value has been written (or would likely be written) by hand. */
const STRAY: { limit: string; pattern: RegExp }[] = [
  { limit: 'MAX_INPUT_FILE_BYTES', pattern: /\b5\s*\*\s*1024\s*\*\s*1024\b|\b5_?242_?880\b|\b5_?000_?000\b/ },
  { limit: 'RESPONSE_SIZE_LIMIT', pattern: /\b10\s*\*\s*1024\s*\*\s*1024\b|\b10_?485_?760\b|\b10_?000_?000\b/ },
  { limit: 'MARKETO_TIMEOUT_MS / TEXT_MAX_BYTES', pattern: /\b30_?000\b/ },
  { limit: 'MAX_TIMEOUT_MS', pattern: /\b2_?147_?483_?647\b|\b2\s*\*\*\s*31\b/ },
  { limit: 'PANEL_BODY_CHARS / STORED_BODY_CHARS', pattern: /\b256\s*\*\s*1024\b|\b262_?144\b/ },
];

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? sourceFiles(path) : /\.(ts|mts|js)$/.test(name) ? [path] : [];
  });
}

describe('limits', () => {
  const root = projectRoot();
  const limitsText = readFileSync(join(root, LIMITS_FILE), 'utf8');

  test('each pattern finds its limit in limits.ts (the search works)', () => {
    for (const { limit, pattern } of STRAY) assert.match(limitsText, pattern, limit);
  });

  test('no file in src/ but limits.ts writes out a limit\'s value', () => {
    const found: string[] = [];
    for (const file of sourceFiles(join(root, 'src'))) {
      const rel = relative(root, file);
      if (rel === LIMITS_FILE) continue;
      readFileSync(file, 'utf8').split('\n').forEach((line, i) => {
        for (const { limit, pattern } of STRAY) if (pattern.test(line)) found.push(`${rel}:${i + 1} writes ${limit}: ${line.trim()}`);
      });
    }
    assert.deepEqual(found, [], 'import the constant from src/engine/limits.ts (the extension and CLI through ../engine)');
  });

  test('every limit says why, in a comment just above it', () => {
    const lines = limitsText.split('\n');
    const exported = lines.flatMap((line, i) => (/^export const (\w+)/.exec(line) ? [[i, /^export const (\w+)/.exec(line)![1]!] as const] : []));
    assert.equal(exported.length, Object.keys(limits).length);
    for (const [i, name] of exported) assert.match(lines[i - 1] ?? '', /\*\/\s*$/, `${name} has no comment`);
  });

  test('Marketo\'s documented limits have their values', () => {
    assert.equal(limits.MARKETO_TIMEOUT_MS, 30_000);
    assert.equal(limits.TEXT_MAX_BYTES, 30_000);
    assert.equal(limits.DEFAULT_STRING_LENGTH, 255);
    assert.equal(limits.MAX_INPUT_FILE_BYTES, 5 * 1024 * 1024);
    assert.equal(limits.MAX_TIMEOUT_MS, 2 ** 31 - 1);
  });
});
