// Hostile definitions for the linear-time guarantee of validation (issue 10): texts up to the 5 MB
// definition limit built to make a scanner search again and again (unclosed `{{`, braces, escapes,
// one long line or many short ones, deep nesting, many entries). One generator for the unit tests
// (test/unit/adversarial.test.ts) and the benchmark (bench/validation.mjs), so both see the same
// inputs. Deterministic: random mixes come from a seeded generator.

/** The definition size limit the engine reads up to (definition-parse refuses larger files). */
export const DEFINITION_LIMIT = 5 * 1024 * 1024;

/**
 * The repeated pieces, as written in the FILE (inside a JSON string literal): `\\u` here is the two
 * characters backslash-u, an invalid JSON escape; `\\\\q` is backslash-backslash-q, which decodes
 * to `\q`, an escape Marketo rejects in a template.
 */
export const UNITS: readonly string[] = [
  '{{a}', '{{ lead.', '{{lead.', '{lead.x}}', '{{lead.x:default=', '{{lead.a=b}}', '{{{{', '}}}}', '{{}}',
  '\\u', '\\\\', '\\"', '\\q', '\\\\q',
  // well-formed tokens: one known field, one unknown (suggestions), one without a test value
  '{{lead.Email Address}}', '{{lead.Emial Adress}}', '{{my.X}}',
  // nesting inside the template's JSON, and response attribute indexes
  '[[[[', '{\\"a\\":', '[0]',
];

/** Where in a definition the repeated text goes. */
export type Place =
  | 'template' | 'template-lines' | 'template-array' | 'template-none' | 'template-form'
  | 'url' | 'url-query' | 'header' | 'header-name' | 'responseAttribute' | 'key' | 'comment' | 'outside';

export const PLACES: readonly Place[] = [
  'template', 'template-lines', 'template-array', 'template-none', 'template-form',
  'url', 'url-query', 'header', 'header-name', 'responseAttribute', 'key', 'comment', 'outside',
];

/** A definition around `payload` (file text), valid but for what the payload brings. */
function definition(place: Place, payload: string): string {
  const field = (keys: Place[], inner: string, fallback: string) => (keys.includes(place) ? inner : fallback);
  // Request Token Encoding None sends the tokens of the URL and the template raw: more checks.
  const encoding = place === 'template-none' || place === 'template-form' || place === 'url-query' ? 'None' : 'JSON';
  const contentType = place === 'template-form' ? 'application/x-www-form-urlencoded' : 'application/json';
  return `{
  "name": "Hostile",
  "url": ${field(['url'], `"https://api.example.com/x/${payload}"`, field(['url-query'], `"https://api.example.com/x?${payload}"`, '"https://api.example.com/x/{{lead.Email Address}}"'))},
  "requestType": "POST",
  "requestTokenEncoding": "${encoding}",
  "headers": { "Content-Type": "${contentType}", ${field(['header-name'], `"${payload}": "v"`, `"X-Api-Key": ${field(['header'], `"${payload}"`, '"{{my.X}}"')}`)} },
  "template": ${field(['template', 'template-lines', 'template-none', 'template-form'], `"${payload}"`, field(['template-array'], `[${payload}]`, '"{\\"email\\": {{lead.Email Address}}}"'))},
  "responseType": "JSON",
  "responseMappings": [{ "responseAttribute": ${field(['responseAttribute'], `"${payload}"`, '"a.b"')}, "marketoField": "Company" }],
  ${place === 'key' ? `"${payload}": 1,` : place === 'outside' ? `"notes": "${payload}",` : place === 'comment' ? `/* ${payload} */` : ''}
  "test": { "tokens": { "my.X": "x" } }
}
`;
}

/** `unit` repeated to fill a definition of about `size` characters at `place`. */
function filled(place: Place, unit: string, size: number): string {
  const room = Math.max(0, size - definition(place, '').length);
  let piece = unit;
  // Many short lines: a line break after each unit (escaped in a string, raw in a comment), or one
  // array element per unit.
  if (place === 'template-lines') piece = `${unit}\\n`;
  if (place === 'comment') piece = `${unit.replace(/\*\//g, '* /')}\n`;
  if (place === 'template-array') piece = `"${unit}",`;
  let payload = piece.repeat(Math.floor(room / piece.length));
  if (place === 'template-array') payload = payload.slice(0, -1);
  return definition(place, payload);
}

/** One huge piece in a place: a token, a name, a run of blanks, as long as the definition allows. */
function long(size: number): Lazy[] {
  const fill = (place: Place, before: string, repeated: string, after: string): string => {
    const room = Math.max(0, size - definition(place, '').length - before.length - after.length);
    return definition(place, before + repeated.repeat(Math.floor(room / repeated.length)) + after);
  };
  return [
    ['long: one token, blanks before a default without :default', () => fill('template', '{{lead.a', ' ', 'b=c}}')],
    ['long: one token, blanks only', () => fill('template', '{{', ' ', '}}')],
    ['long: one token, an unknown name', () => fill('template', '{{lead.', 'x', '}}')],
    ['long: one token, a default', () => fill('template', '{{lead.Email Address:default=', 'x', '}}')],
    ['long: one unclosed token', () => fill('template', '{{lead.', 'x', '')],
    ['long: one single-brace token', () => fill('template', '{lead.', 'x', '}}')],
    ['long: a query without =', () => fill('url-query', '', 'k', '')],
    ['long: a query parameter', () => fill('url-query', 'api_key=', 'k', '')],
    ['long: a URL host', () => definition('url', '').replace('https://api.example.com/x/', `https://${'h'.repeat(size - definition('url', '').length)}`)],
    ['long: a secret header value', () => fill('header', 'Bearer ', 'k', '')],
    ['long: a header name', () => fill('header-name', 'X-', 'k', '')],
    ['long: a key', () => fill('key', '', 'k', '')],
    ['long: a response attribute', () => fill('responseAttribute', 'a', 'b', '[0')],
    ['long: a JSON string in the template', () => fill('template', '{\\"a\\": \\"', 'x', '\\"}')],
    ['long: a form value in the template', () => fill('template-form', 'a=', 'x', '&b={{lead.Email Address}}')],
  ];
}

/** A small deterministic generator (mulberry32), so a failure names a seed that reproduces it. */
export function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Pieces a random mix draws from: tokens, braces, escapes (file spelling, safe inside a string). */
const MIX_ALPHABET: readonly string[] = [
  '{{', '}}', '{', '}', '{{{', '}}}', 'lead.', 'Lead.', 'my.', 'x', 'Email Address', ' ', '=', ':default=', ':', '.',
  '\\\\', '\\"', '\\n', '\\\\q', '\\u00', '[', ']', '&', '?', '#', '0',
];
/** The same, with what breaks the string itself: quotes, raw line breaks, commas. */
const WILD_ALPHABET: readonly string[] = [...MIX_ALPHABET, '"', '\n', ',', '\\q', '\\u', '\\'];

function mix(alphabet: readonly string[], seed: number, length: number): string {
  const next = random(seed);
  const parts: string[] = [];
  let size = 0;
  while (size < length) {
    const piece = alphabet[Math.floor(next() * alphabet.length)] as string;
    parts.push(piece);
    size += piece.length;
  }
  let text = parts.join('');
  text = text.slice(0, length);
  // A cut escape would hide the closing quote: end on a whole character.
  while (text.endsWith('\\')) text = text.slice(0, -1);
  return text;
}

/** Nesting `depth` deep: `[[[…]]]` or `{"a":{"a":…}}`. */
function nested(kind: 'array' | 'object', depth: number): string {
  return kind === 'array' ? '['.repeat(depth) + ']'.repeat(depth) : '{"a":'.repeat(depth) + '1' + '}'.repeat(depth);
}

/** A named input, built when it is asked for. */
type Lazy = [name: string, make: () => string];

/** Definitions whose size comes from structure rather than one string. */
function structural(size: number): Lazy[] {
  const wrap = (body: string) => `{ "name": "Hostile", "url": "https://api.example.com/x", "requestType": "POST", ${body} }`;
  const room = size - 200;
  const repeatTo = (piece: string, sep = ',') => Array.from({ length: Math.floor(room / (piece.length + sep.length)) }, () => piece).join(sep);
  // "100k" at the full size; proportionally fewer in a smaller text.
  const hundredK = Math.round((100_000 * size) / (DEFINITION_LIMIT - 1024));
  const many = (make: (i: number) => string, sep = ', ') => Array.from({ length: hundredK }, (_, i) => make(i)).join(sep);
  const mapping = '{"responseAttribute":"a","marketoField":"City"}';
  const badMapping = '{"responseAttribute":"a..b","marketoField":"Cty"}';
  return [
    ['nesting: arrays, one level per character', () => wrap(`"notes": ${'['.repeat(Math.floor(room / 2))}${']'.repeat(Math.floor(room / 2))}`)],
    ['nesting: arrays 1,000 deep, repeated', () => wrap(`"notes": [${repeatTo(nested('array', 1000))}]`)],
    ['nesting: objects 1,000 deep, repeated', () => wrap(`"notes": [${repeatTo(nested('object', 1000))}]`)],
    ['nesting: 1,000-deep objects in test.lead', () => wrap(`"test": { "lead": { "First Name": ${repeatTo(nested('object', 1000), ', "First Name": ')} } }`)],
    ['nesting: 1,000-deep arrays as template lines', () => wrap(`"template": [${repeatTo(nested('array', 1000))}]`)],
    ['response mappings: 100k valid', () => wrap(`"responseType": "JSON", "responseMappings": [${many(() => mapping, ',')}]`)],
    ['response mappings: 100k invalid', () => wrap(`"responseType": "JSON", "responseMappings": [${many(() => badMapping, ',')}]`)],
    ['response mappings: as many invalid as fit', () => wrap(`"responseType": "JSON", "responseMappings": [${repeatTo('{"responseAttribute":"[","marketoField":"x"}')}]`)],
    ['headers: 100k distinct', () => wrap(`"headers": { ${many((i) => `"X-Key-${i}": "sk_live_0123456789{{my.X}}"`)} }`)],
    ['headers: 100k with one name', () => wrap(`"headers": { ${many(() => '"Authorization": "Bearer abcdefghijklm"')} }`)],
    ['headers: 100k invalid names and values', () => wrap(`"headers": { ${many((i) => `"Bad Name ${i}": "caf\\u00e9\\u2603\\n"`)} }`)],
    ['test.tokens: 100k unknown keys', () => wrap(`"test": { "tokens": { ${many((i) => `"{{lead.x${i}}}": "v"`)} } }`)],
    ['test.lead: 100k unknown fields', () => wrap(`"test": { "lead": { ${many((i) => `"Frist Nmae ${i}": "v"`)} } }`)],
    ['unknown keys: 100k', () => wrap(many((i) => `"ulr${i}": 1`))],
    ['numbers: one of 5 MB', () => wrap(`"test": { "timeoutMs": ${'9'.repeat(room)} }`)],
    ['numbers: 5 MB exponent', () => wrap(`"test": { "timeoutMs": 1e${'9'.repeat(room)} }`)],
    ['numbers: as many as fit', () => wrap(`"notes": [${repeatTo('1234567890.5e308')}]`)],
    ['numbers: a huge test.tokens value', () => wrap(`"test": { "tokens": { "my.X": ${'9'.repeat(room)} } }`)],
  ];
}

/** Random mixes of the token, brace and escape alphabet, in the places that scan them. */
function mixes(size: number): Lazy[] {
  const inputs: Lazy[] = [];
  for (const [label, alphabet] of [['mix', MIX_ALPHABET], ['wild mix', WILD_ALPHABET]] as const) {
    for (const [k, place] of (['template', 'url', 'header', 'responseAttribute', 'key'] as const).entries()) {
      const room = size - definition(place, '').length;
      inputs.push([`${place} × ${label} (seed ${k + 1})`, () => definition(place, mix(alphabet, k + 1, room))]);
    }
  }
  return inputs;
}

/** One input of the corpus, built when asked for (a 5 MB text each). */
export interface AdversarialCase {
  name: string;
  make(): string;
}

/** Every adversarial input, each about `size` characters (default: just under the definition limit). */
export function adversarialCases(size = DEFINITION_LIMIT - 1024): AdversarialCase[] {
  const lazy: Lazy[] = [];
  for (const place of PLACES) {
    for (const unit of UNITS) lazy.push([`${place} × ${unit}`, () => filled(place, unit, size)]);
  }
  lazy.push(...long(size), ...mixes(size), ...structural(size));
  return lazy.map(([name, make]) => ({
    name,
    make: () => {
      // As read from a file: one flat string, not the pieces it was put together from.
      const text = Buffer.from(make(), 'utf8').toString('utf8');
      // Over the limit, the engine would refuse the file unread and the input would prove nothing.
      if (text.length > Math.min(size, DEFINITION_LIMIT)) throw new Error(`${name}: ${text.length} characters, over ${size}`);
      return text;
    },
  }));
}
