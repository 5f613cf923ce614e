// Marketo reads the template like a Scala string literal before sending it
// (docs/marketo-behaviour.md#methods-and-the-template): `\n` becomes a real newline on the wire,
// and any escape but these eight is an error.

const ESCAPES: Record<string, string> = { b: '\b', t: '\t', n: '\n', f: '\f', r: '\r', '\\': '\\', '"': '"', "'": "'" };

export const LEGAL_ESCAPES = Object.keys(ESCAPES).map((e) => `\\${e}`);

export interface EscapeProblem {
  /** offsets of the bad escape in the input */
  start: number;
  end: number;
  message: string;
}

/** The character a legal escape `\\<next>` stands for; undefined for an illegal one. */
export function escapedCharacter(next: string): string | undefined {
  return Object.hasOwn(ESCAPES, next) ? ESCAPES[next] : undefined;
}

/**
 * What the backslash sequence at `i` becomes, and how many characters it takes; an illegal escape
 * stays as written. `i` must point at a backslash; `end` bounds the text.
 */
export function escapeAt(text: string, i: number, end = text.length): { out: string; consumed: number; legal: boolean } {
  const next = i + 1 < end ? text[i + 1] : undefined;
  if (next === undefined) return { out: '\\', consumed: 1, legal: false };
  const replacement = escapedCharacter(next);
  if (replacement !== undefined) return { out: replacement, consumed: 2, legal: true };
  return { out: `\\${next}`, consumed: 2, legal: false };
}

/**
 * The illegal escapes of a template, which Marketo's editor refuses to save; the first `max` of
 * them (a hostile template can hold millions).
 */
export function findIllegalEscapes(text: string, max = Infinity): EscapeProblem[] {
  const problems: EscapeProblem[] = [];
  for (let i = text.indexOf('\\'); i >= 0 && i < text.length && problems.length < max; i = text.indexOf('\\', i)) {
    const { consumed, legal } = escapeAt(text, i);
    if (!legal) {
      const next = text[i + 1];
      problems.push({
        start: i,
        end: i + consumed,
        message: next === undefined
          ? 'The template ends with a lone backslash, which Marketo rejects. To send one backslash, write `\\\\\\\\` in this file (`\\\\` in Marketo\'s editor).'
          : `Illegal escape \`\\${next}\` in the template: Marketo accepts only ${LEGAL_ESCAPES.join(' ')}. To send a backslash followed by \`${next}\`, write \`\\\\\\\\${next}\` in this file (\`\\\\${next}\` in Marketo's editor).`,
      });
    }
    i += consumed;
  }
  return problems;
}
