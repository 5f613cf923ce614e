// Validates one input of the adversarial corpus in a worker thread, for adversarial.test.ts: a
// validation is synchronous, so a test cannot stop one that runs away (no timer fires meanwhile),
// but it can end the worker it runs in. Posts a summary of what validation found.
import { parentPort, workerData } from 'node:worker_threads';
import { validateDefinition } from '../../src/engine/validate/validate';
import { adversarialCases } from '../corpus/adversarial-definitions';

export interface Found {
  /** characters of the definition */
  length: number;
  /** how many diagnostics of each code */
  counts: Record<string, number>;
  /** the first diagnostic of each code (in the order of the sorted list): the text its range covers (cut at 200 characters) */
  first: Record<string, { severity: string; text: string; message: string; replacements?: string[] }>;
  /** every range lies within the text, ends after it starts, and the list is sorted by position */
  rangesValid: boolean;
}

const { name, size } = workerData as { name: string; size?: number };
const input = adversarialCases(size).find((c) => c.name === name);
if (!input) throw new Error(`no adversarial input named "${name}"`);
const text = input.make();
const { diagnostics } = validateDefinition(text);

const lineStarts = [0];
for (let i = 0; i < text.length; i++) {
  const c = text.charCodeAt(i);
  if (c === 13 && text.charCodeAt(i + 1) === 10) i++;
  if (c === 13 || c === 10) lineStarts.push(i + 1);
}
const offset = (p: { line: number; character: number }) => (lineStarts[p.line] ?? NaN) + p.character;

const found: Found = { length: text.length, counts: {}, first: {}, rangesValid: true };
let previous = -1;
for (const d of diagnostics) {
  const start = offset(d.range.start);
  const end = offset(d.range.end);
  if (!(start >= 0 && end >= start && end <= text.length && start >= previous)) found.rangesValid = false;
  previous = start;
  found.counts[d.code] = (found.counts[d.code] ?? 0) + 1;
  found.first[d.code] ??= {
    severity: d.severity,
    text: text.slice(start, Math.min(end, start + 200)),
    message: d.message.slice(0, 300),
    ...(d.data?.replacements ? { replacements: d.data.replacements.map((r) => r.slice(0, 200)) } : {}),
  };
}
parentPort?.postMessage(found);
