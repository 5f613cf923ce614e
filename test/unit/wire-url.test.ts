// The URL on the wire (docs/marketo-behaviour.md#url-as-written): the request line a raw node:net
// server on 127.0.0.1 receives, byte for byte, against the URL as written; what the run result,
// the command line's report and the curl export say about it. Every wait is bounded: each run has
// a 5 s timeout, each curl a 10 s one, and after() closes the server and its sockets.
import assert from 'node:assert/strict';
import { execFile, spawnSync } from 'node:child_process';
import { after, before, describe, test } from 'node:test';
import { createStyle, formatRunReport } from '../../src/cli/format';
import type { EngineHost } from '../../src/engine/api';
import { curlFor } from '../../src/engine/http/curl';
import { MASK } from '../../src/engine/secrets/mask';
import { runDefinition } from '../../src/engine/run';
import { closeConnections } from '../../src/engine/http/send';
import type { RunResult } from '../../src/engine/types';
import { requestTarget, urlNote, wireUrl } from '../../src/engine/http/wire-url';
import { headOf, RawHttpServer } from './raw-http-server';

/** The head of each request received (request line and headers), as latin1 text. */
const heads: string[] = [];
const server = new RawHttpServer((request) => {
  heads.push(headOf(request));
  return 'HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 2\r\nConnection: close\r\n\r\nok';
});
let origin = '';

before(async () => {
  origin = await server.start();
});

after(async () => {
  await closeConnections();
  await server.stop();
});

const host = (secrets: Record<string, string> = {}): EngineHost => ({
  readTextFile: () => Promise.reject(new Error('no files here')),
  getSecret: (name) => Promise.resolve(secrets[name]),
});

/** A GET of `url` (written as in the URL field) with `fields` over the defaults, run once. */
async function run(url: string, fields: Record<string, unknown> = {}, secrets: Record<string, string> = {}): Promise<{ result: RunResult; line: string; head: string }> {
  const text = JSON.stringify({ name: 'Wire', url, requestType: 'GET', ...fields, test: { timeoutMs: 5000, ...(fields.test as object | undefined) } });
  heads.length = 0;
  const result = await runDefinition({ text, file: '/tmp/wire.webhook.jsonc', host: host(secrets) });
  assert.deepEqual(result.diagnostics.filter((d) => d.severity === 'error'), [], 'the definition is valid');
  assert.equal(result.classification?.code, 200, result.handling?.summary);
  assert.equal(heads.length, 1, 'one request arrived');
  const head = heads[0] ?? '';
  return { result, head, line: head.slice(0, head.indexOf('\r\n')) };
}

describe('the request line carries the path and query as written', () => {
  test('\' " | \\ < > ^ { } ` [ ] %26 & and .. segments go exactly as written; request.url is the written URL', async () => {
    const path = '/a/../b/./c\\d|e"f<g>h^i{j}k`l?n=O\'Neil&co=A%26B&pct=100%&x=[1]&up=../..';
    const { result, line } = await run(`${origin}${path}`);
    assert.equal(line, `GET ${path} HTTP/1.1`);
    assert.equal(result.request?.url, `${origin}${path}`);
    assert.equal(result.request?.urlAsWritten, undefined);
    assert.equal(result.request?.urlNote, undefined);
  });

  test('a space, é, an emoji: percent-encoded as UTF-8, nothing else touched; the fragment is not sent; request.url and the note say so', async () => {
    const written = `${origin}/p q/é?name=Zoë 😀&who=O'Neil|"x"#part 2`;
    const sent = `/p%20q/%C3%A9?name=Zo%C3%AB%20%F0%9F%98%80&who=O'Neil|"x"`;
    const { result, line } = await run(written);
    assert.equal(line, `GET ${sent} HTTP/1.1`);
    assert.equal(result.request?.url, `${origin}${sent}`);
    assert.equal(result.request?.urlAsWritten, written);
    assert.equal(result.request?.urlNote, 'Sent as shown, not exactly as written: an HTTP/1.1 request line cannot carry a space or a non-ASCII character, so each is sent percent-encoded as UTF-8 (a space as %20, é as %C3%A9); the fragment (#…) is never sent.');
  });

  test('an empty path is sent as /, and request.url shows it', async () => {
    const { result, line } = await run(`${origin}?x=1&q='a'`);
    assert.equal(line, `GET /?x=1&q='a' HTTP/1.1`);
    assert.equal(result.request?.url, `${origin}/?x=1&q='a'`);
    assert.equal(result.request?.urlAsWritten, `${origin}?x=1&q='a'`);
    assert.match(result.request?.urlNote ?? '', /an empty path is sent as \//);
  });

  test('a control character (from a My Token) is sent as %XX; a DEL too', async () => {
    const { result, line } = await run(`${origin}/c?v={{my.Value}}`, { test: { tokens: { 'my.Value': 'a\tb\u007fc' } } });
    assert.equal(line, 'GET /c?v=a%09b%7Fc HTTP/1.1');
    assert.equal(result.request?.urlAsWritten, `${origin}/c?v=a\tb\u007fc`);
    assert.match(result.request?.urlNote ?? '', /cannot carry a control character,/);
  });
});

describe('token values in the URL, by Request Token Encoding', () => {
  const lead = { 'Last Name': 'O\'Neil & "Sons"|\\ é😀', City: '..', company: 'Jack#Jill' };
  const url = (o: string) => `${o}/t/{{lead.City}}/x/{{lead.Last Name}}?n={{lead.Last Name}}&lit=O'Neil`;
  const raw = 'O\'Neil%20&%20"Sons"|\\%20%C3%A9%F0%9F%98%80';
  const cases: [string, string][] = [
    ['None', `/t/../x/${raw}?n=${raw}&lit=O'Neil`],
    // Under JSON, URL tokens are raw too (a JSON string literal in a URL is never meant).
    ['JSON', `/t/../x/${raw}?n=${raw}&lit=O'Neil`],
    ['Form/Url', "/t/../x/O%27Neil+%26+%22Sons%22%7C%5C+%C3%A9%F0%9F%98%80?n=O%27Neil+%26+%22Sons%22%7C%5C+%C3%A9%F0%9F%98%80&lit=O'Neil"],
  ];
  for (const [encoding, sent] of cases) {
    test(`${encoding}: the request line holds the values as the encoding writes them, the literal text as written`, async () => {
      const { result, line } = await run(url(origin), { requestTokenEncoding: encoding, test: { lead } });
      assert.equal(line, `GET ${sent} HTTP/1.1`);
      assert.equal(result.request?.url, `${origin}${sent}`);
    });
  }

  test('None: a # in a value ends the query there, as it would in Marketo\'s URL; the note says the fragment is not sent', async () => {
    const { result, line } = await run(`${origin}/q?c={{lead.Company Name}}&after=1`, { test: { lead } });
    assert.equal(line, 'GET /q?c=Jack HTTP/1.1');
    assert.equal(result.request?.urlAsWritten, `${origin}/q?c=Jack#Jill&after=1`);
    assert.match(result.request?.urlNote ?? '', /the fragment \(#…\) is never sent/);
  });
});

describe('user name and password in the URL', () => {
  const at = () => origin.slice('http://'.length);

  test('go as HTTP Basic authentication, not in the request line; request.url leaves them out, the written URL and the header keep the secret masked', async () => {
    const secret = 'pa55-w0rd-xyz';
    const { result, head, line } = await run(`http://us%C3%A9r:{{my.Pass}}@${at()}/u`, { test: { tokens: { 'my.Pass': { secret: 'PASS' } } } }, { PASS: secret });
    assert.equal(line, 'GET /u HTTP/1.1');
    assert.equal(/^authorization: (.*)$/im.exec(head)?.[1], `Basic ${Buffer.from(`usér:${secret}`).toString('base64')}`);
    assert.equal(result.request?.url, `${origin}/u`);
    assert.equal(result.request?.urlAsWritten, `http://us%C3%A9r:${MASK}@${at()}/u`);
    assert.match(result.request?.urlNote ?? '', /the user name and password before @ go in an Authorization: Basic header/);
    assert.ok(result.request?.headers.Authorization?.includes(MASK), result.request?.headers.Authorization);
    const json = JSON.stringify(result);
    assert.ok(!json.includes(secret));
    assert.ok(!json.includes(Buffer.from(`usér:${secret}`).toString('base64')));
  });

  test('an Authorization header of the definition is sent instead', async () => {
    const { head } = await run(`http://user:password1@${at()}/u`, { headers: { Authorization: 'Bearer {{my.T}}' }, test: { tokens: { 'my.T': 'tok' } } });
    assert.deepEqual(head.match(/^authorization: .*$/gim)?.map((h) => h.toLowerCase()), ['authorization: bearer tok']);
  });
});

describe('a secret in the URL is masked in the form it is sent', () => {
  test('a value with a space, a quote, a bar and é: request.url (sent form) and urlAsWritten both masked', async () => {
    const secret = 'it\'s a "key"|é';
    const { result, line } = await run(`${origin}/s?k={{my.Key}}&z=1`, { test: { tokens: { 'my.Key': { secret: 'KEY' } } } }, { KEY: secret });
    assert.equal(line, 'GET /s?k=it\'s%20a%20"key"|%C3%A9&z=1 HTTP/1.1');
    assert.equal(result.request?.url, `${origin}/s?k=${MASK}&z=1`);
    assert.equal(result.request?.urlAsWritten, `${origin}/s?k=${MASK}&z=1`);
    const json = JSON.stringify(result);
    for (const form of [secret, 'it\'s%20a%20"key"|%C3%A9']) assert.ok(!json.includes(JSON.stringify(form).slice(1, -1)), form);
  });
});

describe('the host part', () => {
  test('an international host name goes as punycode, an upper-case host in lower case, a default port is dropped: request.url and the note say so', async () => {
    const text = JSON.stringify({ name: 'IDN', url: 'HTTPS://Bücher.Example:443/a\'b', requestType: 'GET', test: { campaign: 'batch' } });
    const result = await runDefinition({ text, file: '/tmp/idn.webhook.jsonc', host: host() });
    assert.equal(result.request?.sent, false);
    assert.equal(result.request?.url, 'https://xn--bcher-kva.example/a\'b');
    assert.equal(result.request?.urlAsWritten, 'HTTPS://Bücher.Example:443/a\'b');
    assert.match(result.request?.urlNote ?? '', /international host name in its ASCII form/);
  });

  test('a port that is not the default stays; a URL with nothing to change has no note', () => {
    assert.deepEqual(wireUrl('http://h.example:8080/x?y=1'), { origin: 'http://h.example:8080', target: '/x?y=1', url: 'http://h.example:8080/x?y=1', changes: [] });
    assert.deepEqual(wireUrl('http://[::1]:8080/x'), { origin: 'http://[::1]:8080', target: '/x', url: 'http://[::1]:8080/x', changes: [] });
  });

  test('a backslash that ends the host is the path\'s first /, as the URL parser read it; later ones stay', () => {
    const wire = wireUrl('https://h.example\\a\\b?c=\\');
    assert.equal(wire?.url, 'https://h.example/a\\b?c=\\');
    assert.deepEqual(wire?.changes, ['backslash']);
    assert.match(urlNote(wire?.changes ?? []), /the \\ that ends the host is read as \//);
  });

  test('not an absolute http(s) URL: none', () => {
    for (const text of ['', 'not a url', 'ftp://h/x', 'mailto:a@b.c', '/relative']) assert.equal(wireUrl(text), undefined, text);
  });

  test('the request-target alone, as send() dispatches it, is the same', () => {
    for (const text of ['https://h/a b?c=é#x', 'https://h', 'https://u:p@h?x', 'https://h\\x']) {
      assert.equal(requestTarget(text).target, wireUrl(text)?.target, text);
    }
  });
});

describe('the command line\'s report', () => {
  test('shows the URL sent, the URL as written and why they differ', async () => {
    const written = `${origin}/r/é?x=a b#frag`;
    const { result } = await run(written);
    const report = formatRunReport(result, createStyle(false));
    assert.match(report, new RegExp(`^→ GET ${origin}/r/%C3%A9\\?x=a%20b$`, 'm'));
    const lines = report.split('\n');
    const at = lines.findIndex((l) => l.startsWith('→ GET'));
    assert.equal(lines[at + 1], `  as written: ${written}`);
    assert.equal(lines[at + 2], `  ${result.request?.urlNote ?? '(no note)'}`);
  });

  test('no extra lines when the URL went as written', async () => {
    const { result } = await run(`${origin}/plain?a=O'Neil`);
    assert.ok(!formatRunReport(result, createStyle(false)).includes('as written'));
  });
});

const hasCurl = spawnSync('sh', ['-c', 'command -v curl']).status === 0;

/** The request line curl sends when `sh` runs the exported command. */
async function curlLine(command: string): Promise<string> {
  heads.length = 0;
  await new Promise<void>((resolve, reject) => {
    execFile('sh', ['-c', command.replace(/--max-time 30/, '--max-time 10 --silent --output /dev/null')], { timeout: 15_000 }, (error) => (error ? reject(new Error(`curl failed: ${error.message}`)) : resolve()));
  });
  assert.equal(heads.length, 1, 'one request arrived');
  return (heads[0] ?? '').split('\r\n')[0] ?? '';
}

describe('the curl export sends the same request line', () => {
  const urls = (o: string) => [
    `${o}/a/../b/./c\\d|e"f<g>h^i{j}k\`l?n=O'Neil&co=A%26B&x=[1]&up=../..`,
    `${o}/p q/é?name=Zoë 😀#frag`,
    `${o}?x=1`,
  ];

  test('the command keeps .. segments and [ ] { } literal', async () => {
    const { result } = await run(urls(origin)[0] ?? '');
    const command = curlFor(result.request!);
    assert.ok(command.includes('--path-as-is'), command);
    assert.ok(command.includes('--globoff'), command);
    const plain = curlFor({ ...result.request!, url: `${origin}/a/b..c/.d?x=..` });
    assert.ok(!plain.includes('--path-as-is'), 'only where a . or .. segment is in the path');
  });

  test('curl, when installed, sends the bytes the run sent', { skip: hasCurl ? false : 'curl is not installed' }, async () => {
    for (const url of urls(origin)) {
      const { result, line } = await run(url);
      assert.equal(await curlLine(curlFor(result.request!)), line, url);
    }
  });
});
