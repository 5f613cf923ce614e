// Spots credentials written literally into a header or the URL, where everyone who can read the
// definition (or Marketo's webhook list) can use them. Tokens are fine: their values live elsewhere.
import { scanTokens } from './tokens';

export interface CredentialFinding {
  /** offsets of the literal secret inside the value */
  start: number;
  end: number;
  /** what it looks like, for the message */
  what: string;
  /** a My Token name to move it to */
  suggestedToken: string;
}

const SECRET_HEADER = /^(authorization|proxy-authorization|x-?api-?key|api-?key|apikey|x-?auth-?token|x-?access-?token|access-?token|token|x-[\w-]*(key|token|secret|signature|password))$/i;
const SECRET_PARAM = /^(api[_-]?key|apikey|key|token|access[_-]?token|auth[_-]?token|secret|client[_-]?secret|password|passwd|pwd|sig|signature|hapikey)$/i;
const AUTH_SCHEME = /^(Bearer|Basic|Token|Digest|ApiKey|Key)\s+/i;

export function findCredential(input: { place: 'header'; name: string; value: string } | { place: 'url'; value: string }): CredentialFinding | undefined {
  return input.place === 'header' ? inHeader(input.name, input.value) : inUrl(input.value);
}

function inHeader(name: string, value: string): CredentialFinding | undefined {
  if (!SECRET_HEADER.test(name)) return undefined;
  const scheme = AUTH_SCHEME.exec(value);
  const start = scheme ? scheme[0].length : 0;
  const rest = value.slice(start);
  if (!isLiteralSecret(rest)) return undefined;
  const suggested = /^authorization$/i.test(name) ? 'API Token' : titleCase(name.replace(/^x-/i, ''));
  return { start, end: value.length, what: `the ${name} header${scheme ? ` (${scheme[1]})` : ''}`, suggestedToken: suggested };
}

function inUrl(url: string): CredentialFinding | undefined {
  // user:password@ in the authority.
  const auth = /^[a-z][a-z0-9+.-]*:\/\/([^/?#@]*)@/i.exec(url);
  if (auth?.[1]?.includes(':')) {
    const userinfo = auth[1];
    const start = url.indexOf(userinfo) + userinfo.indexOf(':') + 1;
    const end = start + userinfo.length - userinfo.indexOf(':') - 1;
    if (isLiteralSecret(url.slice(start, end))) return { start, end, what: 'a password in the URL', suggestedToken: 'API Password' };
  }
  const query = url.indexOf('?');
  if (query < 0) return undefined;
  const re = /([^?&=#]+)=([^&#]*)/g;
  re.lastIndex = query + 1;
  for (let m = re.exec(url); m; m = re.exec(url)) {
    const [, key = '', value = ''] = m;
    if (SECRET_PARAM.test(key) && isLiteralSecret(value)) {
      const start = m.index + key.length + 1;
      return { start, end: start + value.length, what: `the "${key}" query parameter`, suggestedToken: titleCase(key) };
    }
  }
  return undefined;
}

/** Literal text long enough to be a secret, not a token or a placeholder. */
function isLiteralSecret(text: string): boolean {
  const { tokens } = scanTokens(text);
  let literal = text;
  for (const t of [...tokens].reverse()) literal = literal.slice(0, t.start) + literal.slice(t.end);
  literal = literal.trim();
  if (literal.length < 8) return false;
  if (/^(x+|\*+|\.+|<[^>]*>|your[\w -]*|changeme|placeholder|redacted)$/i.test(literal)) return false;
  return /[A-Za-z0-9]/.test(literal);
}

function titleCase(s: string): string {
  return s.split(/[-_\s]+/).filter(Boolean).map((w) => (w.length <= 3 && /^(api|id|url)$/i.test(w) ? w.toUpperCase() : w[0]!.toUpperCase() + w.slice(1).toLowerCase())).join(' ');
}
