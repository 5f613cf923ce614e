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
  const path = url.slice(pathStart).split(/[?#]/)[0] ?? '';
  for (const known of SECRET_PATHS) {
    const m = known.host.test(host) ? known.path.exec(path) : null;
    if (m?.[1] && isLiteralSecret(m[1])) {
      const start = pathStart + (m.index ?? 0) + m[0].length - m[1].length;
      found.push({ start, end: start + m[1].length, what: known.what, suggestedToken: known.token });
    }
  }
  const query = url.indexOf('?');
  if (query < 0) return found;
  const re = /([^?&=#]+)=([^&#]*)/g;
  re.lastIndex = query + 1;
  for (let m = re.exec(url); m; m = re.exec(url)) {
    const [, key = '', value = ''] = m;
    if (SECRET_PARAM.test(key) && isLiteralSecret(value)) {
      const start = m.index + key.length + 1;
      found.push({ start, end: start + value.length, what: `the "${key}" query parameter`, suggestedToken: titleCase(key) });
    }
  }
  return found;
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
  return s.split(/[-_\s]+/).filter(Boolean).map((w) => (/^(api|id|url)$/i.test(w) ? w.toUpperCase() : w[0]!.toUpperCase() + w.slice(1).toLowerCase())).join(' ');
}
