// The rules a run relies on where neither Adobe nor practitioners say what Marketo does. Each is
// the project's choice, explained in docs/marketo-behaviour.md at its anchor; a run lists the
// ones its outcome rests on (`assumptions` in the run result), and the panel and the CLI report
// show them with that link. One table, so the wording is the same everywhere.
import type { Assumption } from '../types';

/** The behaviour document, relative to the repository root (shipped in the .vsix too). */
export const BEHAVIOUR_DOC = 'docs/marketo-behaviour.md';

/**
 * Every anchor of docs/marketo-behaviour.md. The editor opens the document only at one of these:
 * a link from the panel naming anything else is refused.
 */
export const BEHAVIOUR_ANCHORS: readonly string[] = [
  'methods-and-the-template', 'tokens', 'request-token-encoding', 'json-encoding-by-type', 'empty-values', 'line-breaks', 'undefined-tokens',
  'tokens-in-url-and-headers', 'url-as-written', 'body-kind', 'none-encoding', 'content-type',
  'timeout', 'response-codes', 'empty-body', 'error-type', 'webhook-is-called', 'response-mappings',
  'xml-arrays', 'field-types', 'booleans', 'datetimes', 'numbers', 'read-only-fields', 'clearing-fields',
  'concurrency', 'response-size',
];

export const ASSUMPTIONS = {
  'line-breaks': {
    anchor: 'line-breaks',
    text: 'A line break in the value of a {{lead.…}} or {{Company.…}} token is sent as one space, as practitioners report for lead tokens in emails; for webhooks, and for a CR LF pair becoming one space, this is unverified.',
  },
  'undefined-tokens': {
    anchor: 'undefined-tokens',
    text: 'A {{my.…}} token with no value and no default is sent empty, as observed in emails; nobody documents what a webhook sends (unverified). Give it a value in "test.tokens" to run with the program\'s.',
  },
  'empty-values': {
    anchor: 'empty-values',
    text: 'An empty number-type token is sent as nothing under JSON encoding ("score": ,), never as null. Nobody documents what Marketo writes in its place (unverified); a default such as :default=0 avoids the question.',
  },
  'empty-body': {
    anchor: 'empty-body',
    text: 'A 2xx body of only whitespace is treated as empty, so Marketo answers 1001 and no mapping runs. Adobe defines 1001 only as "an empty response body" (unverified).',
  },
  'error-type': {
    anchor: 'error-type',
    text: 'The status line had no reason phrase, so the Error Type of "Webhook is Called" is taken to be empty: Adobe defines Error Type as the Reason-Phrase, and nobody documents what Marketo does without one (unverified). An empty Error Type cannot be picked from the constraint\'s list: match on Response instead.',
  },
  'xml-arrays': {
    anchor: 'xml-arrays',
    text: 'An index [0] on an XML element that appears only once is taken to mean that element. Adobe describes lists only as repeated elements; if Marketo treats a lone element as a property, [0] yields nothing (unverified). The path without [0] works either way.',
  },
  booleans: {
    anchor: 'booleans',
    text: 'yes/no, y/n and 1/0 (any case) are written into a Boolean field as true/false. Adobe documents only true and false; list imports accept yes/no, webhooks are unverified. Any other text is not written.',
  },
  datetimes: {
    anchor: 'datetimes',
    text: 'A Datetime field is written from Marketo\'s own format "2024-05-07 14:30:00" (a space instead of T). Adobe documents ISO 8601 (2024-05-07T14:30:00); the space form is unverified.',
  },
  'read-only-fields': {
    anchor: 'read-only-fields',
    text: 'A response mapping does not write a read-only field (Id, or one the field catalog marks read-only). Adobe does not say what Marketo does; system-managed fields cannot be changed by any means (unverified for webhooks).',
  },
  'clearing-fields': {
    anchor: 'clearing-fields',
    text: 'A JSON null is taken to clear the field, and an empty text ("") to clear a string-type field (not written into number, Boolean or date fields); an attribute missing from the response leaves the field as it is. Nothing documents this for webhooks (unverified).',
  },
} as const satisfies Record<string, { anchor: string; text: string }>;

export type AssumptionId = keyof typeof ASSUMPTIONS;

/** The run result's entry for an assumption. */
export function assumption(id: AssumptionId): Assumption {
  const entry = ASSUMPTIONS[id];
  return { id, text: entry.text, doc: `${BEHAVIOUR_DOC}#${entry.anchor}` };
}

/** Collects the assumptions of one run, each once, in the order first met. */
export class AssumptionList {
  private readonly ids: AssumptionId[] = [];

  add(id: AssumptionId): void {
    if (!this.ids.includes(id)) this.ids.push(id);
  }

  has(id: AssumptionId): boolean {
    return this.ids.includes(id);
  }

  toArray(): Assumption[] {
    return this.ids.map(assumption);
  }
}
