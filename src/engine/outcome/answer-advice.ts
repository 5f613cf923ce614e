// The handling advice, fitted to what the answer held: the outcome table (classification.ts) knows the
// status; this module knows the body and the mappings. A 2xx whose body cannot be read, or whose
// mappings wrote nothing, is still a success for Marketo; so is a 2xx whose body reports an error.
// Neither sets an Error Type: only the "Response" constraint of "Webhook is Called" catches them
// (docs/marketo-behaviour.md#webhook-is-called). The text to match is taken from the body itself.
import { parseTree, type Node } from 'jsonc-parser';
import type { AssumptionList } from './assumptions';
import { MAPPINGS_RAN } from './classification';
import type { Classification, Handling, MappingResult, ResponseType, RunResponse } from '../types';

export interface AnswerFacts {
  webhookName: string;
  classification: Classification;
  response: RunResponse | null;
  responseType: ResponseType;
  mappings: readonly MappingResult[];
  /** the 2xx body could not be read as the Response Type */
  unreadable: boolean;
  /** the body's JSON value, when the mappings read it (MappingsContext.json) */
  json?: { value: unknown } | undefined;
  assumptions: AssumptionList;
}

/** Longest text from a body suggested for a Response constraint. */
const SNIPPET_CHARS = 60;
/** A `"status"` that reports an error. */
const ERROR_STATUS = /^(error|failed|failure|fail)$/i;
/** Bodies longer than this are not searched for an error report (the usual error answer is short). */
const ERROR_SCAN_CHARS = 1024 * 1024;

/** Changes `handling` (a copy the run owns) to fit the answer. */
export function adviseOnAnswer(handling: Handling, facts: AnswerFacts): void {
  const { classification, response, webhookName } = facts;
  if (!response) return;
  const trigger = `the trigger "Webhook is Called: ${webhookName}"`;

  // No reason phrase: there is no Error Type to pick (docs/marketo-behaviour.md#error-type).
  if (classification.errorType === '' && classification.category !== 'success') {
    facts.assumptions.add('error-type');
    const snippet = bodySnippet(response.body);
    handling.steps.unshift(snippet
      ? `The status line had no reason phrase, so Error Type is empty and cannot be picked: catch this answer with ${trigger} and the constraint Response contains \`${snippet}\` (text from this answer; pick text the service always sends for this error).`
      : `The status line had no reason phrase and the body is empty, so neither Error Type nor Response tells this answer apart: catch it instead by checking, after "Call Webhook: ${webhookName}", a field a response mapping should have written ("Wait", then a choice "If <field> is empty").`);
  }

  if (classification.category !== 'success') return;
  // The table's success summary reads "Marketo counts this as a success: <sentence> …".
  const sentence = `: ${MAPPINGS_RAN.replace('{webhook}', webhookName)}`;
  const total = facts.mappings.length;

  if (facts.unreadable) {
    const kind = facts.responseType;
    handling.summary = handling.summary.replace(sentence,
      ` (a ${response.status} with a body), but the body is not ${kind === 'XML' ? 'XML' : 'JSON'} as the Response Type of "${webhookName}" says, so none of its ${plural(total, 'response mapping')} could read a value: no field was written.`);
    const snippet = bodySnippet(response.body);
    handling.steps = [
      snippet
        ? `Catch it: a trigger campaign on ${trigger} with the constraint Response contains \`${snippet}\` (text from this answer), then "Send Alert" to the owner of the service. Error Type cannot catch it: for Marketo this call succeeded.`
        : `Catch it: after "Call Webhook: ${webhookName}", add "Wait" and a choice "If <a field a mapping writes> is empty", then "Send Alert".`,
      `Fix the service to answer ${kind}, or set the Response Type of "${webhookName}" to what it answers.`,
      'Do not build flow steps on fields this webhook was meant to write: they were not written.',
    ];
  } else if (total > 0) {
    const notWritten = facts.mappings.filter((m) => m.status !== 'applied');
    if (notWritten.length === total) {
      handling.summary = handling.summary.replace(sentence,
        `: the response mappings of "${webhookName}" ran, but none of the ${plural(total, 'mapping')} found a value it could write: no field was written.`);
    } else if (notWritten.length > 0) {
      handling.summary = handling.summary.replace(sentence,
        `: the response mappings of "${webhookName}" ran: ${total - notWritten.length} of ${total} wrote a value, ${notWritten.length} did not.`);
    }
    if (notWritten.length > 0) {
      const list = notWritten.map((m) => `${m.responseAttribute} → ${m.marketoField}`).join(', ');
      handling.steps.unshift(`Not written: ${list} (the reasons are in the mapping results). A field left unwritten changes nothing, so no "Data Value Changes" campaign fires for it: to catch it, add after "Call Webhook: ${webhookName}" a "Wait" and a choice "If <that field> is empty", then "Send Alert".`);
    }
  }

  const reported = errorReport(response.body, facts.json);
  if (reported) {
    handling.summary += ` The body reports an error (\`${reported}\`), yet Marketo decides by the status code alone: for Marketo this call succeeded, the response mappings ran, and there is no Error Type to match.`;
    handling.steps.unshift(`Only a Response constraint catches an error inside a ${response.status} answer: a trigger campaign on ${trigger} with the constraint Response contains \`${reported}\`, then "Send Alert" (or a retry). Better: have the service answer errors with a 4xx or 5xx status, which Error Type can match.`);
  }
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

/** The start of the body's first non-blank line, as text a Response constraint can contain; '' for a blank body. */
export function bodySnippet(body: string): string {
  // Found in place, never by splitting the body: a 10 MB answer on one line would otherwise be
  // split and spread into characters for the sake of its first 60.
  const first = /\S/g.exec(body);
  if (!first) return '';
  const lineBreak = /\r\n|\r|\n/g;
  lineBreak.lastIndex = first.index;
  let end = lineBreak.exec(body)?.index ?? body.length;
  while (end > first.index && /\s/.test(body.charAt(end - 1))) end--;
  // 60 code points are at most 120 UTF-16 units
  const chars = [...body.slice(first.index, Math.min(end, first.index + SNIPPET_CHARS * 2))];
  return chars.slice(0, SNIPPET_CHARS).join('');
}

/**
 * The text, exactly as the body writes it, by which a 2xx body reports an error: a top-level
 * `"success": false`, a non-empty `"error"` or `"errors"`, `"status": "error"`; in XML the
 * elements of those names. Undefined when the body reports none.
 */
export function errorReport(body: string, json?: { value: unknown }): string | undefined {
  if (body.length > ERROR_SCAN_CHARS) return undefined;
  const start = body.trimStart().charAt(0);
  if (start === '{') return jsonErrorReport(body, json);
  if (start === '<') return xmlErrorReport(body);
  return undefined;
}

function jsonErrorReport(body: string, json: { value: unknown } | undefined): string | undefined {
  if (reportsNoError(body, json)) return undefined;
  const root = parseTree(body, [], { disallowComments: true });
  if (root?.type !== 'object') return undefined;
  for (const property of root.children ?? []) {
    const [keyNode, valueNode] = property.children ?? [];
    if (!keyNode || !valueNode) continue;
    const key = String(keyNode.value).toLowerCase();
    const pair = (): string => body.slice(keyNode.offset, valueNode.offset + valueNode.length);
    const keyOnly = (): string => body.slice(keyNode.offset, valueNode.offset).trimEnd();
    if (key === 'success' && valueNode.type === 'boolean' && valueNode.value === false) return pair();
    if (key === 'status' && valueNode.type === 'string' && ERROR_STATUS.test(String(valueNode.value))) return pair();
    if ((key === 'error' || key === 'errors') && holdsSomething(valueNode)) {
      return valueNode.type === 'string' && valueNode.length <= SNIPPET_CHARS ? pair() : keyOnly();
    }
  }
  return undefined;
}

/** The top-level keys jsonErrorReport looks at, lower case. */
const REPORT_KEYS = new Set(['success', 'status', 'error', 'errors']);

/**
 * True when a body certainly reports no error as jsonErrorReport reads it, decided with the native
 * parser instead of a syntax tree (most 2xx answers report none: this is every successful run's
 * path). Only for valid JSON without `\u` escapes whose keys of interest are each written once
 * (a repeated key is read differently by JSON.parse, which keeps the last): anything else, or a
 * key whose value may report an error, is left to the tree, which then gives the text.
 */
function reportsNoError(body: string, json: { value: unknown } | undefined): boolean {
  if (body.includes('\\u')) return false;
  let value: unknown;
  // The mappings' reading is of the same text only without a byte order mark (they drop one).
  if (json && !body.startsWith('\uFEFF')) value = json.value;
  else {
    try {
      value = JSON.parse(body);
    } catch {
      return false;
    }
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  for (const key of Object.keys(value)) {
    const v = (value as Record<string, unknown>)[key];
    const lower = key.toLowerCase();
    if (!REPORT_KEYS.has(lower)) continue;
    if (occurrences(body, `"${key}"`) !== 1) return false;
    if (lower === 'success' && v === false) return false;
    if (lower === 'status' && typeof v === 'string' && ERROR_STATUS.test(v)) return false;
    if ((lower === 'error' || lower === 'errors') && holdsSomethingValue(v)) return false;
  }
  return true;
}

function occurrences(text: string, part: string): number {
  let n = 0;
  for (let at = text.indexOf(part); at >= 0 && n < 2; at = text.indexOf(part, at + 1)) n++;
  return n;
}

/** holdsSomething for a parsed value */
function holdsSomethingValue(v: unknown): boolean {
  if (v === null) return false;
  if (typeof v === 'boolean') return v;
  if (typeof v === 'string') return v !== '';
  if (Array.isArray(v)) return v.length > 0;
  if (typeof v === 'object') return Object.keys(v).length > 0;
  return true;
}

function holdsSomething(node: Node): boolean {
  switch (node.type) {
    case 'null': return false;
    case 'boolean': return node.value === true;
    case 'string': return node.value !== '';
    case 'array':
    case 'object': return (node.children ?? []).length > 0;
    default: return true;
  }
}

function xmlErrorReport(body: string): string | undefined {
  const found =
    /<success(?:\s[^>]*)?>\s*false\s*<\/success\s*>/i.exec(body) ??
    /<status(?:\s[^>]*)?>\s*(?:error|failed|failure|fail)\s*<\/status\s*>/i.exec(body);
  if (found) return found[0];
  // An error element with content (not `<errors/>` or `<errors></errors>`): its opening tag.
  const error = /<(errors?)(\s[^>]*)?>(?!\s*<\/\1\s*>)/i.exec(body);
  return error && !error[0].endsWith('/>') ? error[0] : undefined;
}
