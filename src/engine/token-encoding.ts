// Request Token Encoding: how a token's value is written where the token stands (marketo-facts:
// Sending). One rule for every place a token can be.
import type { RequestTokenEncoding } from './types';

export type TokenPlace = 'url' | 'template' | 'header';

/**
 * Java's URLEncoder (application/x-www-form-urlencoded): letters, digits and `.-*_` stay, a space
 * becomes `+`, every other byte of the UTF-8 form becomes `%XX`.
 */
export function formUrlEncode(value: string): string {
  let out = '';
  for (const byte of Buffer.from(value, 'utf8')) {
    const c = String.fromCharCode(byte);
    if (/[A-Za-z0-9.\-*_]/.test(c)) out += c;
    else if (byte === 0x20) out += '+';
    else out += `%${byte.toString(16).toUpperCase().padStart(2, '0')}`;
  }
  return out;
}

/**
 * Marketo documents the encoding for the template only; whether it reaches the URL and headers is
 * undocumented. Project rule (one public example puts tokens in a Form/Url webhook's URL):
 * - template: the encoding as chosen;
 * - URL: URL-encoded under `Form/Url`, raw otherwise (a JSON string literal in a URL is never meant);
 * - headers: always raw.
 */
export function encodeTokenValue(value: string, encoding: RequestTokenEncoding, place: TokenPlace): string {
  if (place === 'header') return value;
  if (encoding === 'Form/Url') return formUrlEncode(value);
  if (encoding === 'JSON' && place === 'template') return JSON.stringify(value);
  return value;
}
