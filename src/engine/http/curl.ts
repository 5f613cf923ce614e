// The request of a run as a curl command for a POSIX shell (sh, bash, zsh), so that a call can be
// repeated or shared outside the editor. Every value is single-quoted: inside single quotes a
// POSIX shell expands nothing ($(...), backticks, $VAR, !, \ and newlines stay as they are), and a
// quote itself is written as '\''. Secrets stay masked as the run result holds them.
import { MASK } from '../secrets/mask';
import type { RunRequest } from '../types';
import { MARKETO_TIMEOUT_MS } from '../limits';


export const MASKED_NOTE = `# secret values are masked (${MASK}): replace them before running`;

/** A word for a POSIX shell: single-quoted, each ' as '\'' (close, escaped quote, reopen). */
export function shellQuote(value: string): string {
  return `'${value.replace(/'/g, `'\\''`)}'`;
}

function hasHeader(headers: Record<string, string>, name: string): boolean {
  return Object.keys(headers).some((key) => key.toLowerCase() === name);
}

/** A `.` or `..` segment in the path of a URL (not in its query), which curl would resolve. */
function hasDotSegment(url: string): boolean {
  const path = url.replace(/^[a-z][a-z0-9+.-]*:\/\/[^/?#]*/i, '').split('?')[0] ?? '';
  return /(^|\/)\.\.?(\/|$)/.test(path);
}

/**
 * `curl -X 'POST' 'https://…' -H 'Name: value' --data-raw '…' --max-time 30`, one option a line.
 * The URL is the run's `request.url`, the one whose bytes were sent (already percent-encoded where
 * HTTP/1.1 needs it): `--path-as-is` keeps its `.` and `..` segments and `--globoff` its `[]{}`
 * literal, so curl sends the same request line (docs/marketo-behaviour.md#url-as-written).
 * `--data-raw` sends the body as it is (no `@file` reading); a header with an empty value is written `Name;` (curl's way to send it empty), and a
 * body without a Content-Type header gets `-H 'Content-Type:'` so that curl adds none of its own
 * (the run sent none either).
 */
export function curlFor(request: RunRequest): string {
  const lines: string[] = [`curl -X ${shellQuote(request.method)}`];
  // A URL is given with --url when it could be read as an option.
  lines.push(request.url.startsWith('-') ? `--url ${shellQuote(request.url)}` : shellQuote(request.url));
  if (/[[\]{}]/.test(request.url)) lines.push('--globoff');
  if (hasDotSegment(request.url)) lines.push('--path-as-is');
  for (const [name, value] of Object.entries(request.headers)) {
    lines.push(`-H ${shellQuote(value === '' ? `${name};` : `${name}: ${value}`)}`);
  }
  if (request.body !== null) {
    if (!hasHeader(request.headers, 'content-type')) lines.push(`-H ${shellQuote('Content-Type:')}`);
    lines.push(`--data-raw ${shellQuote(request.body)}`);
  }
  lines.push(`--max-time ${MARKETO_TIMEOUT_MS / 1000}`);
  const command = lines.join(' \\\n  ');
  const masked = [request.url, request.body ?? '', ...Object.entries(request.headers).flat()].some((text) => text.includes(MASK));
  return masked ? `${command}\n${MASKED_NOTE}\n` : `${command}\n`;
}
