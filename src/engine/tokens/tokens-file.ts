// A tokens file: `{ "my.Token Name": "value", ... }`, as `marketo-webhook pull tokens` writes it
// (contracts §5), read by `run --tokens FILE`.
import { parse, printParseErrorCode, type ParseError } from 'jsonc-parser';

export type TokensParse = { ok: true; tokens: Record<string, string> } | { ok: false; message: string };

/**
 * Reads a tokens file's text (JSON or JSONC): an object of token name → value. A number or boolean
 * is taken as its text, since a pulled token is text either way; anything else is refused.
 */
export function parseTokensText(text: string): TokensParse {
  // Pulled files are plain JSON, which JSON.parse reads keeping every key (jsonc-parser drops a
  // "__proto__" one); JSONC written by hand goes through jsonc-parser.
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    const errors: ParseError[] = [];
    value = parse(text, errors, { allowTrailingComma: true, disallowComments: false });
    const first = errors[0];
    if (first) return { ok: false, message: `not valid JSON (${printParseErrorCode(first.error)} at offset ${first.offset})` };
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    return { ok: false, message: 'a tokens file must be a JSON object of token name → value, as `pull tokens` writes it' };
  }
  // No prototype, so a token named "__proto__" or "constructor" is just a token.
  const tokens = Object.create(null) as Record<string, string>;
  for (const [key, v] of Object.entries(value as Record<string, unknown>)) {
    const name = key.trim();
    if (name === '') return { ok: false, message: 'a token has an empty name' };
    if (typeof v === 'string') tokens[name] = v;
    else if (typeof v === 'number' || typeof v === 'boolean') tokens[name] = String(v);
    else return { ok: false, message: `the value of "${name}" is not text` };
  }
  return { ok: true, tokens };
}
