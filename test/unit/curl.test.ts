// curlFor(): the command a shell receives passes every value through verbatim and runs nothing
// of it. Checked by giving the command to real shells with `curl` replaced by a function that
// prints its arguments.
import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { curlFor, MASKED_NOTE, shellQuote } from '../../src/engine/http/curl';
import { MASK } from '../../src/engine/secrets/mask';
import type { RunRequest } from '../../src/engine/types';

const SHELLS = ['sh', 'bash', 'dash', 'zsh'].filter((shell) => spawnSync(shell, ['-c', 'exit 0']).status === 0);

const workdir = mkdtempSync(join(tmpdir(), 'mww-curl-'));
after(() => rmSync(workdir, { recursive: true, force: true }));

/** The arguments `curl` would get when `shell` runs the command. */
function argsIn(shell: string, command: string): string[] {
  const script = `curl() { for a in "$@"; do printf '%s\\0' "$a"; done; }\n${command}`;
  const r = spawnSync(shell, ['-c', script], { cwd: workdir, encoding: 'utf8' });
  assert.equal(r.status, 0, `${shell} failed: ${r.stderr}`);
  return r.stdout.split('\0').slice(0, -1);
}

function request(fields: Partial<RunRequest>): RunRequest {
  return { method: 'POST', url: 'https://api.example.com/hook', headers: {}, body: null, sent: true, ...fields };
}

const HOSTILE = [
  `it's "quoted"`,
  `''\\''`,
  'two\nlines\r\nand a tab\t',
  '$(touch pwned-dollar)',
  '`touch pwned-backtick`',
  '${HOME} $HOME $1 $@ !! !$',
  '\\ \\\\ \\n',
  '; touch pwned-semicolon & | > out < in',
  '#not a comment',
  '-X DELETE',
  '@/etc/passwd',
  '*.json ?? [ab]',
  'café ☕ 𝄞',
];

describe('shellQuote', () => {
  for (const value of HOSTILE) {
    test(`passes ${JSON.stringify(value)} through unchanged`, () => {
      for (const shell of SHELLS) assert.deepEqual(argsIn(shell, `curl ${shellQuote(value)}`), [value], shell);
    });
  }

  test('an empty value is an empty argument, not none', () => {
    assert.equal(shellQuote(''), `''`);
    assert.deepEqual(argsIn('sh', `curl ${shellQuote('')}`), ['']);
  });
});

describe('curlFor', () => {
  test('a JSON POST: method, quoted URL, one -H per header, the body with --data-raw, Marketo\'s 30 s', () => {
    const command = curlFor(request({ headers: { 'Content-Type': 'application/json', 'X-Api-Key': 'abc' }, body: '{"email":"ada@example.com"}' }));
    assert.equal(command, [
      `curl -X 'POST' \\`,
      `  'https://api.example.com/hook' \\`,
      `  -H 'Content-Type: application/json' \\`,
      `  -H 'X-Api-Key: abc' \\`,
      `  --data-raw '{"email":"ada@example.com"}' \\`,
      '  --max-time 30',
      '',
    ].join('\n'));
  });

  test('the shell hands curl exactly the request\'s values', () => {
    const req = request({ method: 'PUT', url: 'https://api.example.com/x?a=1&b=$(id)', headers: { 'X-One': 'a b', Accept: 'application/json' }, body: 'a=1&b=2' });
    for (const shell of SHELLS) {
      assert.deepEqual(argsIn(shell, curlFor(req)), [
        '-X', 'PUT', 'https://api.example.com/x?a=1&b=$(id)',
        '-H', 'X-One: a b', '-H', 'Accept: application/json',
        '-H', 'Content-Type:', '--data-raw', 'a=1&b=2', '--max-time', '30',
      ], shell);
    }
  });

  test('hostile header values, URL and body arrive verbatim and execute nothing', () => {
    const headers: Record<string, string> = {};
    HOSTILE.forEach((value, i) => { headers[`X-H${i}`] = value.replace(/[\r\n]/g, ' '); });
    const body = HOSTILE.join('\n');
    const url = `https://api.example.com/${encodeURIComponent(HOSTILE[0] ?? '')}?q='$(touch pwned-url)'&r=\`touch pwned-url2\``;
    const req = request({ url, headers: { 'Content-Type': 'text/plain', ...headers }, body });
    for (const shell of SHELLS) {
      const args = argsIn(shell, curlFor(req));
      assert.equal(args[2], url, shell);
      assert.equal(args[args.indexOf('--data-raw') + 1], body, shell);
      for (const [name, value] of Object.entries(headers)) assert.ok(args.includes(`${name}: ${value}`), `${shell}: ${name}`);
    }
    for (const marker of ['pwned-dollar', 'pwned-backtick', 'pwned-semicolon', 'pwned-url', 'pwned-url2', 'out']) {
      assert.equal(existsSync(join(workdir, marker)), false, `${marker} was created`);
    }
  });

  test('GET without a body: no --data-raw, no Content-Type', () => {
    const command = curlFor(request({ method: 'GET', url: 'https://api.example.com/lookup?email=ada%40example.com' }));
    assert.deepEqual(argsIn('sh', command), ['-X', 'GET', 'https://api.example.com/lookup?email=ada%40example.com', '--max-time', '30']);
  });

  test('an empty body is still sent (Content-Length: 0), an empty header value as `Name;`', () => {
    const args = argsIn('sh', curlFor(request({ headers: { 'X-Empty': '', 'Content-Type': 'text/plain' }, body: '' })));
    assert.deepEqual(args, ['-X', 'POST', 'https://api.example.com/hook', '-H', 'X-Empty;', '-H', 'Content-Type: text/plain', '--data-raw', '', '--max-time', '30']);
  });

  test('brackets and braces in the URL are not curl globs; a URL starting with - is not an option', () => {
    const args = argsIn('sh', curlFor(request({ url: 'https://api.example.com/a[1]/{x}' })));
    assert.ok(args.includes('--globoff'));
    assert.deepEqual(argsIn('sh', curlFor(request({ url: '-K/etc/passwd' }))).slice(2, 4), ['--url', '-K/etc/passwd']);
  });

  test('masked secrets: the values stay masked and a trailing comment says so', () => {
    const command = curlFor(request({ headers: { Authorization: `Bearer ${MASK}`, 'Content-Type': 'application/json' }, body: '{}' }));
    assert.ok(command.includes(`-H 'Authorization: Bearer ${MASK}'`));
    assert.ok(command.endsWith(`\n${MASKED_NOTE}\n`));
    assert.equal(MASKED_NOTE, '# secret values are masked (••••): replace them before running');
    // The comment line does not change what curl receives.
    assert.deepEqual(argsIn('sh', command).slice(-2), ['--max-time', '30']);
    for (const where of [{ url: `https://api.example.com/x?key=${MASK}` }, { body: `{"key":"${MASK}"}` }]) {
      assert.ok(curlFor(request(where)).includes(MASKED_NOTE), JSON.stringify(where));
    }
    assert.ok(!curlFor(request({ body: '{}' })).includes('#'));
  });

  test('the shells under test', () => {
    assert.ok(SHELLS.includes('sh'), `no POSIX sh found (found: ${SHELLS.join(', ')})`);
  });
});
