// The URL: its tokens, then an absolute http(s) URL Marketo can call, with no credential in it.
import type { SourceString } from '../../definition/parse';
import { headerValue } from '../../http/headers';
import { bodyKind } from '../../http/body-kind';
import { findCredentials } from '../../secrets/credentials';
import { renderText } from '../../tokens/render';
import { scanTokens, type Token } from '../../tokens/scan';
import type { ValidationContext, ValidationRule } from '../context';
import { DIAGNOSTIC_CODES as C } from '../diagnostics';
import { reportCredential } from './credentials';
import { checkTokens } from './tokens';

export const urlRule: ValidationRule = {
  id: 'url',
  check(ctx) {
    const { url } = ctx.parsed;
    if (!url) return;
    checkTokens(ctx, url, 'url');
    if (ctx.definition.requestTokenEncoding !== 'Form/Url') checkUrlTokens(ctx, url, scanTokens(url.value).tokens);
    checkUrl(ctx, url);
  },
};

function checkUrl(ctx: ValidationContext, url: SourceString): void {
  const value = url.value.trim();
  const whole = { offset: url.node.offset, length: url.node.length };
  if (value === '') {
    ctx.sink.error(C.urlInvalid, 'The URL is empty.', whole.offset, whole.length);
    return;
  }
  // A URL that starts with a token (`{{my.Base URL}}/x`) is only known at run time.
  if (value.startsWith('{{')) return;
  let parsedUrl: URL | undefined;
  try {
    parsedUrl = new URL(renderedUrlHead(value));
  } catch {
    parsedUrl = undefined;
  }
  if (!parsedUrl || !/^https?:$/.test(parsedUrl.protocol) || !/^https?:\/\//i.test(value)) {
    const message = /^[a-z][a-z0-9+.-]*:/i.test(value) && !/^https?:/i.test(value)
      ? `Marketo calls only http and https URLs, not "${value.slice(0, value.indexOf(':'))}:".`
      : `The URL must be absolute, starting with https:// or http:// (Marketo has no base address to resolve "${value.slice(0, 40)}" against).`;
    ctx.sink.error(C.urlInvalid, message, whole.offset, whole.length);
    return;
  }
  for (const credential of findCredentials({ place: 'url', value: url.value })) reportCredential(ctx, url, credential);
}

/**
 * Under None and JSON, URL tokens go in raw (docs/marketo-behaviour.md#tokens-in-url-and-headers):
 * a text value in the query holding `&`, `#`, `+` or a space splits or breaks it. The fix,
 * Form/Url, also encodes the template's tokens, so it is offered only where that is right too:
 * no template, or a form body.
 */
function checkUrlTokens(ctx: ValidationContext, url: SourceString, tokens: readonly Token[]): void {
  const query = url.value.indexOf('?');
  if (query < 0) return;
  const { template, headers, requestTokenEncoding: encoding } = ctx.definition;
  const fixable = (template ?? '').trim() === '' || bodyKind(template ?? '', headerValue(headers, 'content-type')) === 'form';
  // The quick fix sets the key, wherever it is (or is not yet) in the file.
  const fix = fixable ? { requestTokenEncoding: 'Form/Url' } : undefined;
  for (const token of tokens) {
    if (ctx.sink.full) break;
    if (token.start < query || ctx.shapeOf(token) !== 'text') continue;
    const { offset, length } = ctx.span(url, token.start, token.end);
    const advice = fixable
      ? '"requestTokenEncoding": "Form/Url" encodes URL tokens (and the template\'s).'
      : 'Form/Url would encode it, but also the template\'s tokens, which this body does not want: use a value that cannot hold these characters, or send it in the body.';
    ctx.sink.warning(
      C.urlTokenUnencoded,
      `Request Token Encoding is ${encoding}, so ${url.value.slice(token.start, token.end)} goes into the query raw: a value holding &, #, + or a space splits or breaks the query. ${advice}`,
      offset, length, fix,
    );
  }
}

/**
 * A URL up to the end of its host and port, and the character that ends them: all that decides
 * whether an http(s) URL parses (past it, the WHATWG parser percent-encodes rather than fails), so
 * a 5 MB path or query is not read for that. Slashes right after the scheme belong to it
 * (`https:///host` is `https://host`); the ending character is kept so that no blank before it
 * becomes the end of the text, which the parser would strip.
 */
function urlHead(written: string): { head: string; ended: boolean } {
  // (As the parser does first: tabs and line breaks anywhere are dropped.)
  const url = written.replace(/[\t\n\r]/g, '');
  const scheme = /^[^:/?#]*:[/\\]*/.exec(url);
  if (!scheme) return { head: url, ended: false };
  const rest = url.slice(scheme[0].length).search(/[/\\?#]/);
  return rest < 0 ? { head: url, ended: false } : { head: url.slice(0, scheme[0].length + rest + 1), ended: true };
}

/**
 * urlHead of the URL with each token rendered as `x`: from the text before the first token when the
 * head ends there (as it does in `https://host/{{lead.Id}}`), without rendering all of it.
 */
function renderedUrlHead(url: string): string {
  const first = scanTokens(url).tokens[0];
  const plain = urlHead(first ? url.slice(0, first.start) : url);
  return plain.ended || !first ? plain.head : urlHead(renderText(url, { escapes: false, valueOf: () => 'x' })).head;
}
