// Spots credentials written literally into a header or the URL, where everyone who can read the
// definition (or Marketo's webhook list) can use them. Tokens are fine: their values live elsewhere.
import { scanTokens } from '../tokens/scan';

export interface CredentialFinding {
  /** offsets of the literal secret inside the value */
  start: number;
  end: number;
  /** what it looks like, for the message */
  what: string;
  /** a My Token name to move it to */
  suggestedToken: string;
}

const SECRET_HEADER = /^(authorization|proxy-authorization|x[-_]?api[-_]?key|api[-_]?key|apikey|x[-_]?auth[-_]?token|x[-_]?access[-_]?token|access[-_]?token|token|private[-_]?token|(ocp-apim-)?subscription[-_]?key|x-[\w-]*(key|token|secret|signature|password))$/i;
/** Header names that end like secrets but hold ordinary identifiers. */
const NOT_SECRET_HEADER = /(idempotency|request|correlation|trace|cache|partition|routing|dedup(lication)?)[-_]?(key|id|token)$/i;
const SECRET_PARAM = /^(api[_-]?key|apikey|key|token|access[_-]?token|auth[_-]?token|secret|client[_-]?secret|password|passwd|pwd|sig|signature|hapikey|code)$/i;
const AUTH_SCHEME = /^(Bearer|Basic|Token|Digest|ApiKey|Key)\s+/i;

/** Incoming-webhook URLs whose path itself is the credential: the last segment is secret. */
const SECRET_PATHS: { host: RegExp; path: RegExp; what: string; token: string }[] = [
  { host: /^hooks\.slack\.com$/i, path: /^\/services\/[^/]+\/[^/]+\/([^/?#]+)/, what: 'the secret part of a Slack incoming-webhook URL', token: 'Slack Webhook Secret' },
  { host: /\.webhook\.office\.com$/i, path: /^\/webhookb2\/.+\/IncomingWebhook\/[^/]+\/([^/?#]+)/, what: 'the secret part of a Teams incoming-webhook URL', token: 'Teams Webhook Secret' },
  { host: /^(discord(app)?\.com)$/i, path: /^\/api\/webhooks\/\d+\/([^/?#]+)/, what: 'the token of a Discord webhook URL', token: 'Discord Webhook Token' },
  { host: /^hooks\.zapier\.com$/i, path: /^\/hooks\/catch\/\d+\/([^/?#]+)/, what: 'the secret part of a Zapier catch-hook URL', token: 'Zapier Hook Secret' },
];

export function findCredentials(input: { place: 'header'; name: string; value: string } | { place: 'url'; value: string }): CredentialFinding[] {
  if (input.place === 'header') {
    const found = inHeader(input.name, input.value);
    return found ? [found] : [];
  }
  return inUrl(input.value);
}

function inHeader(name: string, value: string): CredentialFinding | undefined {
  if (!SECRET_HEADER.test(name) || NOT_SECRET_HEADER.test(name)) return undefined;
  const scheme = AUTH_SCHEME.exec(value);
  const start = scheme ? scheme[0].length : 0;
  if (!isLiteralSecret(value.slice(start))) return undefined;
  const suggested = /^authorization$/i.test(name) ? 'API Token' : titleCase(name.replace(/^x-/i, ''));
  return { start, end: value.length, what: `the ${name} header${scheme ? ` (${scheme[1]})` : ''}`, suggestedToken: suggested };
}

function inUrl(url: string): CredentialFinding[] {
  const found: CredentialFinding[] = [];
  const authority = /^[a-z][a-z0-9+.-]*:\/\/([^/?#]*)/i.exec(url);
  const hostPart = authority?.[1] ?? '';
  // user:password@ in the authority.
  const at = hostPart.lastIndexOf('@');
  if (at >= 0 && hostPart.slice(0, at).includes(':')) {
    const userinfo = hostPart.slice(0, at);
    const start = url.indexOf(userinfo) + userinfo.indexOf(':') + 1;
    const end = url.indexOf(userinfo) + userinfo.length;
    if (isLiteralSecret(url.slice(start, end))) found.push({ start, end, what: 'a password in the URL', suggestedToken: 'API Password' });
  }
  const host = hostPart.slice(at + 1).replace(/:\d+$/, '');
  const pathStart = authority ? authority[0].length : 0;
  const afterAuthority = url.slice(pathStart);
  const pathEnd = afterAuthority.search(/[?#]/);
  const path = pathEnd < 0 ? afterAuthority : afterAuthority.slice(0, pathEnd);
  for (const known of SECRET_PATHS) {
    const m = known.host.test(host) ? known.path.exec(path) : null;
    if (m?.[1] && isLiteralSecret(m[1])) {
      const start = pathStart + (m.index ?? 0) + m[0].length - m[1].length;
      found.push({ start, end: start + m[1].length, what: known.what, suggestedToken: known.token });
    }
  }
  const query = url.indexOf('?');
  if (query < 0) return found;
  for (const { key, valueStart, valueEnd } of queryParameters(url, query + 1)) {
    const value = url.slice(valueStart, valueEnd);
    if (SECRET_PARAM.test(key) && isLiteralSecret(value)) {
      found.push({ start: valueStart, end: valueEnd, what: `the "${key}" query parameter`, suggestedToken: titleCase(key) });
    }
  }
  return found;
}

/**
 * The `key=value` pairs from `from` on, as the global expression /([^?&=#]+)=([^&#]*)/g finds
 * them, in one pass: the expression retries every start in a long run without `=`, which makes a
 * long query quadratic.
 */
export function* queryParameters(url: string, from: number): Generator<{ key: string; valueStart: number; valueEnd: number }> {
  const n = url.length;
  const isStop = (c: number) => c === 0x3f || c === 0x26 || c === 0x3d || c === 0x23; // ? & = #
  for (let i = from; i < n; ) {
    let keyEnd = i;
    while (keyEnd < n && !isStop(url.charCodeAt(keyEnd))) keyEnd++;
    if (keyEnd === i || url.charCodeAt(keyEnd) !== 0x3d) {
      // No pair starts in this run: go on after the character that ended it.
      i = keyEnd === i ? i + 1 : keyEnd;
      continue;
    }
    let valueEnd = keyEnd + 1;
    while (valueEnd < n && url.charCodeAt(valueEnd) !== 0x26 && url.charCodeAt(valueEnd) !== 0x23) valueEnd++;
    yield { key: url.slice(i, keyEnd), valueStart: keyEnd + 1, valueEnd };
    i = valueEnd;
  }
}

/** Literal text long enough to be a secret, not a token or a placeholder. */
function isLiteralSecret(text: string): boolean {
  // The text without its tokens, put together in one pass: a value can hold thousands of them.
  const parts: string[] = [];
  let at = 0;
  for (const t of scanTokens(text).tokens) {
    parts.push(text.slice(at, t.start));
    at = t.end;
  }
  parts.push(text.slice(at));
  const literal = parts.join('').trim();
  if (literal.length < 8) return false;
  if (/^(x+|\*+|\.+|<[^>]*>|your[\w -]*|changeme|placeholder|redacted)$/i.test(literal)) return false;
  return /[A-Za-z0-9]/.test(literal);
}

function titleCase(s: string): string {
  return s.split(/[-_\s]+/).filter(Boolean).map((w) => (/^(api|id|url)$/i.test(w) ? w.toUpperCase() : w[0]!.toUpperCase() + w.slice(1).toLowerCase())).join(' ');
}
