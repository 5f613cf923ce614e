// Each header, in the order written: its tokens, then a name HTTP allows, a value it can carry, no
// header the connection manages, and no credential in the value.
import type { SourceString } from '../../definition/parse';
import { findCredentials } from '../../secrets/credentials';
import type { ValidationContext, ValidationRule } from '../context';
import { DIAGNOSTIC_CODES as C } from '../diagnostics';
import { reportCredential } from './credentials';
import { checkTokens } from './tokens';

/** Headers the HTTP client sets from the connection and the body; setting one by hand breaks the request. */
const CONNECTION_HEADERS = new Set(['content-length', 'transfer-encoding', 'connection', 'keep-alive', 'upgrade', 'expect', 'te', 'trailer', 'host']);

export const headersRule: ValidationRule = {
  id: 'headers',
  check(ctx) {
    for (const header of ctx.parsed.headers) {
      checkTokens(ctx, header.value, 'header');
      checkHeader(ctx, header.name, header.nameNode.offset, header.nameNode.length, header.value);
    }
  },
};

function checkHeader(ctx: ValidationContext, name: string, offset: number, length: number, value: SourceString): void {
  if (!/^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/.test(name)) {
    ctx.sink.error(C.headerNameInvalid, `"${name}" is not a valid HTTP header name: use letters, digits and - only (no spaces or colons).`, offset, length);
  }
  // HTTP header values are Latin-1 text without line breaks; anything else is refused on sending.
  const bad = /[^\t\x20-\x7e\x80-\xff]/u.exec(value.value);
  if (bad) {
    const at = ctx.span(value, bad.index, bad.index + bad[0].length);
    const code = bad[0].charCodeAt(0);
    const what = bad[0] === '\r' || bad[0] === '\n' ? 'a line break' : code < 0x20 || code === 0x7f ? 'a control character' : `"${bad[0]}", which is not Latin-1`;
    ctx.sink.error(C.headerValueInvalid, `The value of header "${name}" holds ${what}; HTTP header values cannot, so the request would not be sent.`, at.offset, at.length);
  }
  if (CONNECTION_HEADERS.has(name.toLowerCase())) {
    ctx.sink.error(C.headerNotAllowed, `"${name}" is managed by the HTTP connection itself; a webhook cannot set it. Remove it.`, offset, length);
  }
  for (const credential of findCredentials({ place: 'header', name, value: value.value })) reportCredential(ctx, value, credential);
}
