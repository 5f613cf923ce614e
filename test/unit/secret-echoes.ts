// How real services echo a secret back, written with real encoders (JSON.stringify, Buffer's
// base64, encodeURIComponent, URLSearchParams, Node's WHATWG URL) plus the few transforms that
// Node has no encoder for (PHP's and Go's JSON escaping, HTML entities). The masking tests use
// these, never the masking module's own list of forms, so that they check it from the outside.

/** `\uXXXX` for one UTF-16 code unit. */
function u(code: number, upper: boolean): string {
  const hex = code.toString(16).padStart(4, '0');
  return `\\u${upper ? hex.toUpperCase() : hex}`;
}

/** The inside of a JSON string literal, as JSON.stringify writes it. */
export const jsonInside = (s: string): string => JSON.stringify(s).slice(1, -1);

/** PHP json_encode by default: `/` as `\/` and every non-ASCII as `\uXXXX` (lower case, surrogate pairs). */
export const phpJson = (s: string): string => jsonInside(s).replace(/\//g, '\\/').replace(/[\u0080-\uffff]/g, (c) => u(c.charCodeAt(0), false));

/** Go encoding/json: `<`, `>`, `&` and U+2028/U+2029 as `\u003c`…, other non-ASCII as it is. */
export const goJson = (s: string): string => jsonInside(s).replace(/[<>&\u2028\u2029]/g, (c) => u(c.charCodeAt(0), false));

/** Python json.dumps (ensure_ascii=True): every non-ASCII as `\uXXXX`, lower case, astral as a surrogate pair. */
export const pythonJson = (s: string): string => jsonInside(s).replace(/[\u007f-\uffff]/g, (c) => u(c.charCodeAt(0), false));

/** Jackson's ESCAPE_NON_ASCII and other Java encoders: upper-case hex. */
export const upperHexJson = (s: string): string => jsonInside(s).replace(/[\u007f-\uffff]/g, (c) => u(c.charCodeAt(0), true));

/** .NET System.Text.Json's default encoder: HTML-sensitive characters and non-ASCII as upper-case `\uXXXX`. */
export const dotnetJson = (s: string): string => {
  let out = '';
  for (const c of s) {
    for (let i = 0; i < c.length; i++) {
      const code = c.charCodeAt(i);
      if ('"&\'+<>`'.includes(c) || code > 0x7e) out += u(code, true);
      else out += jsonInside(c[i] ?? '');
    }
  }
  return out;
};

/** A JSON string inside a JSON string: `{"payload":"{\"key\":\"…\"}"}`. */
export const jsonTwice = (s: string): string => jsonInside(jsonInside(s));

/** HTML text and attributes, as PHP htmlspecialchars(ENT_QUOTES), lodash, Python html.escape and XML write them. */
export const htmlEscape = (s: string, quote: '&quot;' | '&#34;', apostrophe: '&#39;' | '&#039;' | '&#x27;' | '&apos;'): string =>
  s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, quote).replace(/'/g, apostrophe);

/** Non-ASCII as numeric character references, as ASCII-only HTML and XML writers do. */
export const numericEntities = (s: string, radix: 10 | 16, upper = false): string =>
  [...s].map((c) => {
    const code = c.codePointAt(0) ?? 0;
    if (code < 0x80) return c;
    const n = code.toString(radix);
    return radix === 10 ? `&#${n};` : `&#x${upper ? n.toUpperCase() : n};`;
  }).join('');

export const base64 = (s: string | Buffer): string => Buffer.from(s).toString('base64');
export const base64url = (s: string | Buffer): string => Buffer.from(s).toString('base64url');

/** RFC 3986: only unreserved characters left (PHP rawurlencode, Go url.PathEscape of a segment, Python quote(safe='')). */
export const rfc3986 = (s: string): string => encodeURIComponent(s).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);

/** What a URL parser leaves of a secret written in a URL's path, query, fragment, user name or host. */
export const urlPath = (s: string): string => new URL(`http://h/${s}`).pathname.slice(1);
export const urlQuery = (s: string): string => new URL(`http://h/?${s}`).search.slice(1);
export const urlQueryNonSpecial = (s: string): string => new URL(`foo://h/?${s}`).search.slice(1);
export const urlFragment = (s: string): string => new URL(`http://h/#${s}`).hash.slice(1);
export const urlUserinfo = (s: string): string => {
  const url = new URL('http://h/');
  url.username = s;
  return url.username;
};
export const urlHost = (s: string): string => {
  // A delimiter would end the host: the secret could not be one.
  if (/[/\\?#@:]/.test(s)) throw new Error('not a possible host');
  return new URL(`http://${s}.example/`).hostname.replace(/\.example$/, '');
};
export const formEncoded = (s: string): string => new URLSearchParams({ k: s }).toString().slice(2);
export const lowerHex = (percentEncoded: string): string => percentEncoded.replace(/%[0-9A-F]{2}/g, (m) => m.toLowerCase());

/**
 * The characters of a base64 run that depend on the secret alone, when the secret sits between
 * `before` and `after` bytes of other data (HTTP Basic: `user:` before, nothing after): the
 * secret is encoded between two contexts whose every bit differs, and only the characters that
 * come out the same in both are the secret's own.
 */
export function base64SecretPart(secret: string, before: number, after: number, encode: (b: Buffer) => string = (b) => b.toString('base64')): string {
  const bytes = Buffer.from(secret, 'utf8');
  const zeros = encode(Buffer.concat([Buffer.alloc(before, 0x00), bytes, Buffer.alloc(after, 0x00)]));
  const ones = encode(Buffer.concat([Buffer.alloc(before, 0xff), bytes, Buffer.alloc(after, 0xff)]));
  let best = '';
  let run = '';
  for (let i = 0; i < Math.min(zeros.length, ones.length); i++) {
    if (zeros[i] === ones[i] && zeros[i] !== '=') {
      run += zeros[i];
      if (run.length > best.length) best = run;
    } else {
      run = '';
    }
  }
  return best;
}

/** One way a service echoes a secret: the encoded form, and the text around it in the echo. */
export interface Echo {
  name: string;
  /** the secret as the service writes it */
  form: (secret: string) => string;
  /** the part of `form` that depends on the secret alone (default: all of it) */
  secretPart?: (secret: string) => string;
  /** the whole text the service answers, around the form */
  around?: (form: string) => string;
}

export const ECHOES: readonly Echo[] = [
  { name: 'as it is', form: (s) => s },
  { name: 'JSON.stringify', form: jsonInside, around: (f) => `{"echo":"${f}"}` },
  { name: 'PHP json_encode (\\/ and \\u together)', form: phpJson, around: (f) => `{"echo":"${f}"}` },
  { name: 'Go encoding/json (\\u003c \\u003e \\u0026 \\u2028)', form: goJson, around: (f) => `{"echo":"${f}"}` },
  { name: 'Python ensure_ascii (lower case, surrogate pairs)', form: pythonJson, around: (f) => `{"echo": "${f}"}` },
  { name: 'upper-case \\u hex (Jackson)', form: upperHexJson, around: (f) => `{"echo":"${f}"}` },
  { name: '.NET System.Text.Json', form: dotnetJson, around: (f) => `{"echo":"${f}"}` },
  { name: 'a JSON string inside a JSON string', form: jsonTwice, around: (f) => `{"payload":"{\\"key\\":\\"${f}\\"}"}` },
  { name: 'PHP inside PHP', form: (s) => phpJson(phpJson(s)), around: (f) => `{"payload":"${f}"}` },
  { name: 'HTML (&quot; &#39;)', form: (s) => htmlEscape(s, '&quot;', '&#39;'), around: (f) => `<p title="${f}">${f}</p>` },
  { name: 'HTML (&quot; &#039;: PHP htmlspecialchars)', form: (s) => htmlEscape(s, '&quot;', '&#039;'), around: (f) => `<p>${f}</p>` },
  { name: 'HTML (&quot; &#x27;: Python html.escape)', form: (s) => htmlEscape(s, '&quot;', '&#x27;'), around: (f) => `<p>${f}</p>` },
  { name: 'XML (&quot; &apos;)', form: (s) => htmlEscape(s, '&quot;', '&apos;'), around: (f) => `<r><echo>${f}</echo></r>` },
  { name: 'HTML (&#34; &#39;: Go html.EscapeString)', form: (s) => htmlEscape(s, '&#34;', '&#39;'), around: (f) => `<p>${f}</p>` },
  { name: 'HTML with decimal references for non-ASCII', form: (s) => numericEntities(htmlEscape(s, '&quot;', '&#39;'), 10), around: (f) => `<p>${f}</p>` },
  { name: 'XML with hex references for non-ASCII', form: (s) => numericEntities(htmlEscape(s, '&quot;', '&apos;'), 16), around: (f) => `<r>${f}</r>` },
  { name: 'XML with upper-case hex references', form: (s) => numericEntities(htmlEscape(s, '&quot;', '&apos;'), 16, true), around: (f) => `<r>${f}</r>` },
  { name: 'URL path (new URL)', form: urlPath, around: (f) => `GET /v1/${f} not found` },
  { name: 'URL query (new URL)', form: urlQuery, around: (f) => `https://h.example/cb?${f}&x=1` },
  { name: 'URL fragment (new URL)', form: urlFragment, around: (f) => `see https://h.example/#${f}` },
  { name: 'URL user name (new URL)', form: urlUserinfo, around: (f) => `https://${f}@h.example/` },
  { name: 'encodeURIComponent', form: encodeURIComponent, around: (f) => `key=${f}&x=1` },
  { name: 'encodeURIComponent, lower-case hex', form: (s) => lowerHex(encodeURIComponent(s)), around: (f) => `key=${f}&x=1` },
  { name: 'URLSearchParams (form encoding)', form: formEncoded, around: (f) => `key=${f}&x=1` },
  { name: 'RFC 3986 (rawurlencode)', form: rfc3986, around: (f) => `key=${f}&x=1` },
  { name: 'encodeURI', form: encodeURI, around: (f) => `url=${f}` },
  { name: 'host name (lower case, IDNA)', form: urlHost, around: (f) => `getaddrinfo ENOTFOUND ${f}.example` },
  { name: 'base64', form: base64, around: (f) => `{"token":"${f}"}` },
  { name: 'base64 without padding', form: (s) => base64(s).replace(/=+$/, ''), around: (f) => `token=${f};` },
  { name: 'base64url', form: base64url, around: (f) => `token=${f};` },
  { name: 'base64url with padding', form: (s) => base64(s).replace(/\+/g, '-').replace(/\//g, '_'), around: (f) => `token=${f};` },
  ...[0, 1, 2].map((offset): Echo => {
    const user = `${'api-user'.slice(0, 5 + offset)}:`; // 6, 7, 8 bytes before the secret: the three alignments
    return {
      name: `HTTP Basic base64("${user}" + secret)`,
      form: (s) => base64(user + s),
      secretPart: (s) => base64SecretPart(s, user.length, 0),
      around: (f) => `{"headers":{"Authorization":"Basic ${f}"}}`,
    };
  }),
  ...[0, 1, 2].map((offset): Echo => {
    const before = `{"n":${'1'.repeat(offset + 3)},"key":"`;
    return {
      name: `base64url of a JSON document, ${before.length % 3} bytes off`,
      form: (s) => base64url(`${before}${s}","more":true}`),
      secretPart: (s) => base64SecretPart(s, before.length, 14, (b) => b.toString('base64url')),
      around: (f) => `state=${f}`,
    };
  }),
];

/** Every distinct form of a secret that the echoes above produce, with the parts that depend on it alone. */
export function echoedForms(secret: string): string[] {
  const forms = new Set<string>();
  for (const echo of ECHOES) {
    let form: string;
    try {
      form = echo.form(secret);
    } catch {
      continue; // e.g. a secret that cannot be a host name
    }
    forms.add(form);
    if (echo.secretPart) forms.add(echo.secretPart(secret));
  }
  forms.delete('');
  return [...forms];
}

/** Every run of `size` characters of `text`. */
export function fragments(text: string, size = 4): string[] {
  const out = new Set<string>();
  for (let i = 0; i + size <= text.length; i++) out.add(text.slice(i, i + size));
  return [...out];
}
