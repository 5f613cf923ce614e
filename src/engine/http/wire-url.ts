// The URL as it goes on the wire (docs/marketo-behaviour.md#url-as-written). Marketo: "Characters
// embedded in the URL field are passed as written". So the request line carries the path and
// query exactly as written, not as a URL parser rewrites them (`..` segments stay, `'` `"` `|` `\`
// are not re-encoded, `%26` stays `%26`); only what an HTTP/1.1 request line cannot carry is
// changed. The scheme, host and port are read as the URL standard reads them: that is where the
// connection goes; `user:password@` becomes HTTP Basic authentication. Pure: no 'vscode' here.

import { BoundedCache } from '../text/bounded-cache';

/** Bytes a request line carries as written: printable ASCII other than the space. */
export function carriedAsWritten(byte: number): boolean {
  return byte > 0x20 && byte < 0x7f;
}

/** Why the URL sent differs from the URL written. */
export type UrlChange = 'blanks' | 'userinfo' | 'origin' | 'backslash' | 'empty-path' | 'space' | 'control' | 'non-ascii' | 'fragment';

export interface WireUrl {
  /** `scheme://host[:port]`, where the connection goes (an international host name in punycode) */
  origin: string;
  /** the request-target: the path and query as written, with only what HTTP/1.1 cannot carry encoded */
  target: string;
  /** origin + target: the URL whose bytes are sent */
  url: string;
  /** empty exactly when `url` is the written text */
  changes: UrlChange[];
  /** `user:password@` of the URL as the value of an Authorization header (HTTP Basic); absent without them */
  basicAuth?: string;
}

/** The parts of a URL's text, by where the URL standard ends a special (http, https) URL's host. */
function split(written: string): { blanks: boolean; prefix: string; userinfo: boolean; rest: string } {
  // The URL standard drops C0 controls and spaces at either end before anything else.
  // eslint-disable-next-line no-control-regex
  const text = written.replace(/^[\u0000-\u0020]+|[\u0000-\u0020]+$/g, '');
  // The scheme and any slashes after it (`https:\\host` is `https://host` to the parser).
  const scheme = /^[^:/?#\\]*:[/\\\t\n\r]*/.exec(text)?.[0] ?? '';
  const afterScheme = text.slice(scheme.length);
  const end = afterScheme.search(/[/\\?#]/);
  const authority = end < 0 ? afterScheme : afterScheme.slice(0, end);
  const at = authority.lastIndexOf('@');
  return {
    blanks: text !== written,
    prefix: scheme + authority.slice(at + 1),
    userinfo: at >= 0,
    rest: end < 0 ? '' : afterScheme.slice(end),
  };
}

/** One `%XX` per UTF-8 byte (a lone surrogate is sent as U+FFFD, the only way to write it in UTF-8). */
function percentEncoded(run: string): string {
  let out = '';
  for (const byte of Buffer.from(run, 'utf8')) out += `%${byte.toString(16).toUpperCase().padStart(2, '0')}`;
  return out;
}

/**
 * The request-target for a URL's text: its path and query as written, from the `/` that ends the
 * host to the fragment (never sent). A path that does not start with `/` gets one (`https://h?x=1`
 * sends `/?x=1`); a `\` ending the host is a `/`, as the parser read it to find the host. Spaces,
 * control characters and non-ASCII characters, which a request line cannot carry (and undici
 * refuses), are percent-encoded as UTF-8; every other character goes as written.
 */
export function requestTarget(written: string): { target: string; changes: UrlChange[] } {
  const { target, changes } = lastTarget.getOrCreate(written, () => targetOf(split(written).rest, []));
  return { target, changes: [...changes] };
}

// A list run sends the same URL, or the same few, lead after lead: the last answers are kept, and
// handed out as copies (callers may add to them).
const lastTarget = new BoundedCache<string, { target: string; changes: readonly UrlChange[] }>({ maxEntries: 1 });
const lastWire = new BoundedCache<string, WireUrl | undefined>({ maxEntries: 1 });

function targetOf(rest: string, changes: UrlChange[]): { target: string; changes: UrlChange[] } {
  let path = rest;
  const hash = path.indexOf('#');
  if (hash >= 0) path = path.slice(0, hash);
  if (path.startsWith('\\')) {
    path = `/${path.slice(1)}`;
    changes.push('backslash');
  } else if (!path.startsWith('/')) {
    path = `/${path}`;
    changes.push('empty-path');
  }
  let found = 0;
  const target = path.replace(/[^\x21-\x7e]+/gu, (run) => {
    for (const c of run) {
      const code = c.codePointAt(0) ?? 0;
      found |= code === 0x20 ? 1 : code < 0x20 || code === 0x7f ? 2 : 4;
    }
    return percentEncoded(run);
  });
  if (found & 1) changes.push('space');
  if (found & 2) changes.push('control');
  if (found & 4) changes.push('non-ascii');
  if (hash >= 0) changes.push('fragment');
  return { target, changes };
}

/** The URL a request is sent to; undefined when the text is not an absolute http(s) URL. */
export function wireUrl(written: string): WireUrl | undefined {
  const wire = lastWire.getOrCreate(written, wireUrlUncached);
  return wire && { ...wire, changes: [...wire.changes] };
}

function wireUrlUncached(written: string): WireUrl | undefined {
  let parsed: URL;
  try {
    parsed = new URL(written);
  } catch {
    return undefined;
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') return undefined;
  const parts = split(written);
  const changes: UrlChange[] = [];
  if (parts.blanks) changes.push('blanks');
  if (parts.userinfo) changes.push('userinfo');
  if (parts.prefix !== parsed.origin) changes.push('origin');
  const { target } = targetOf(parts.rest, changes);
  const wire: WireUrl = { origin: parsed.origin, target, url: parsed.origin + target, changes };
  // Credentials never go in the request line: HTTP Basic carries them (RFC 7617, as UTF-8).
  if (parsed.username || parsed.password) wire.basicAuth = `Basic ${Buffer.from(`${decoded(parsed.username)}:${decoded(parsed.password)}`, 'utf8').toString('base64')}`;
  return wire;
}

/** A user name or password as the URL parser leaves it (percent-encoded), decoded; as it is when malformed. */
function decoded(part: string): string {
  try {
    return decodeURIComponent(part);
  } catch {
    return part;
  }
}

const ENCODED_KINDS: Partial<Record<UrlChange, string>> = {
  space: 'a space',
  control: 'a control character',
  'non-ascii': 'a non-ASCII character',
};

/**
 * Why the URL sent is not the URL written, in one line for people. Holds no part of the URL
 * (which may hold a secret): the run result shows both URLs.
 */
export function urlNote(changes: readonly UrlChange[]): string {
  const reasons: string[] = [];
  const encoded = changes.map((c) => ENCODED_KINDS[c]).filter((k): k is string => k !== undefined);
  if (encoded.length > 0) {
    const kinds = encoded.length === 1 ? encoded[0] : `${encoded.slice(0, -1).join(', ')} or ${encoded.at(-1)}`;
    reasons.push(`an HTTP/1.1 request line cannot carry ${kinds}, so each is sent percent-encoded as UTF-8 (a space as %20, é as %C3%A9)`);
  }
  if (changes.includes('fragment')) reasons.push('the fragment (#…) is never sent');
  if (changes.includes('empty-path')) reasons.push('an empty path is sent as /');
  if (changes.includes('backslash')) reasons.push('the \\ that ends the host is read as /');
  if (changes.includes('origin')) reasons.push('the scheme, host and port are sent as the URL standard reads them (lower case, an international host name in its ASCII form, no default port)');
  if (changes.includes('userinfo')) reasons.push('the user name and password before @ go in an Authorization: Basic header, not in the request line (unless the definition sets its own Authorization header)');
  if (changes.includes('blanks')) reasons.push('blanks at either end of the URL are not sent');
  if (reasons.length === 0) return '';
  return `Sent as shown, not exactly as written: ${reasons.join('; ')}.`;
}
