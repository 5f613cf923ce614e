// Renders a text with tokens the way Marketo builds the request: escapes applied to the literal
// text (templates only), each token replaced by its encoded value. Validation renders with sample
// values, a run with the lead's; both go through here, so they cannot disagree.
import { escapeAt } from './template-escapes';
import { scanTokens, type Token } from './tokens';

export interface Rendered {
  text: string;
  /** for each character of `text`, the index in the input it came from (a token's value maps to its `{{`) */
  origin: number[];
}

export interface RenderOptions {
  /** apply Marketo's template escape pre-parse to the literal text */
  escapes: boolean;
  /** the text that replaces a token, already encoded */
  valueOf: (token: Token) => string;
}

export function renderTokens(input: string, options: RenderOptions): Rendered {
  const { tokens } = scanTokens(input);
  let text = '';
  const origin: number[] = [];
  let at = 0;
  const literal = (from: number, to: number) => {
    const chunk = input.slice(from, to);
    if (!options.escapes || !chunk.includes('\\')) {
      text += chunk;
      for (let i = from; i < to; i++) origin.push(i);
      return;
    }
    // Escapes shorten the text; walk it so every output character keeps its origin.
    for (let i = from; i < to; ) {
      if (input[i] !== '\\') {
        text += input[i];
        origin.push(i);
        i++;
        continue;
      }
      const { out, consumed } = escapeAt(input, i, to);
      text += out;
      // A legal escape becomes one character; an illegal one stays as its two.
      for (let k = 0; k < out.length; k++) origin.push(i + (consumed === out.length ? k : 0));
      i += consumed;
    }
  };
  for (const token of tokens) {
    literal(at, token.start);
    const value = options.valueOf(token);
    text += value;
    for (let i = 0; i < value.length; i++) origin.push(token.start);
    at = token.end;
  }
  literal(at, input.length);
  return { text, origin };
}

/**
 * Which tokens of a JSON-shaped template stand inside a JSON string literal, by token start.
 * A lexical walk is enough: tokens never contain quotes.
 */
export function tokensInsideJsonStrings(template: string, tokens: readonly Token[]): Set<number> {
  const inside = new Set<number>();
  let inString = false;
  let next = 0;
  for (let i = 0; i < template.length; i++) {
    // An escaped character can be a token's first brace: never let a token slip past.
    while (tokens[next] && (tokens[next] as Token).end <= i) next++;
    const token = tokens[next];
    if (token && i >= token.start) {
      if (inString) inside.add(token.start);
      i = token.end - 1;
      next++;
      continue;
    }
    const c = template[i];
    if (c === '\\' && inString) i++;
    else if (c === '"') inString = !inString;
  }
  return inside;
}
