// Where a secret surfaced in what a run shows, each reproduced against a real service on
// 127.0.0.1: the real engine (runDefinition) and the real command line (dist/cli.js, spawned with
// MARKETO_WEBHOOK_SECRET_* set). The run result, and everything the CLI prints, must hold no form
// of the secret the service could have echoed. Build first: `npm run build`.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { RunInputError } from '../../src/engine/api';
import { runDefinition } from '../../src/engine/run';
import { RESPONSE_SIZE_LIMIT } from '../../src/engine/limits';
import type { RunResult } from '../../src/engine/types';
import {
  base64, base64SecretPart, echoedForms, fragments, goJson, htmlEscape, jsonInside, jsonTwice, numericEntities, phpJson, pythonJson, upperHexJson, urlHost, urlPath,
} from './secret-echoes';
import { CLI } from './helpers';

type Handler = (req: IncomingMessage, res: ServerResponse, body: string) => void;

let server: Server;
let origin = '';
let handler: Handler = (_req, res) => res.end();
const dir = mkdtempSync(join(tmpdir(), 'secret-leaks-'));

before(async () => {
  server = createServer((req, res) => {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (c: string) => { body += c; });
    req.on('end', () => handler(req, res, body));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

after(() => {
  server.closeAllConnections();
  server.close();
  rmSync(dir, { recursive: true, force: true });
});

function json(value: unknown, status = 200): Handler {
  return (_req, res) => {
    res.writeHead(status, { 'Content-Type': 'application/json' });
    res.end(typeof value === 'string' ? value : JSON.stringify(value));
  };
}

/** A definition that sends the secret in a header (or where `extra` puts it). */
function definition(extra: Record<string, unknown> = {}): string {
  return JSON.stringify({
    name: 'Leak check',
    url: `${origin}/hook`,
    requestType: 'POST',
    template: '{"email": {{lead.Email Address}}}',
    requestTokenEncoding: 'JSON',
    headers: { 'Content-Type': 'application/json', 'X-Api-Key': '{{my.Key}}' },
    responseType: 'JSON',
    responseMappings: [],
    test: { lead: { 'Email Address': 'ada@example.com' }, tokens: { 'my.Key': { secret: 'KEY' } } },
    ...extra,
  }, null, 2);
}

function run(secret: string, extra: Record<string, unknown> = {}): Promise<RunResult> {
  return runDefinition({
    text: definition(extra),
    file: join(dir, 'leak.webhook.jsonc'),
    host: { readTextFile: () => Promise.reject(new Error('no files here')), getSecret: (name) => Promise.resolve(name === 'KEY' ? secret : undefined) },
  });
}

/** Every key, string, number and boolean of a value, as text: what any output of it can show. */
function leaves(value: unknown, out: string[] = []): string[] {
  if (typeof value === 'string') out.push(value);
  else if (typeof value === 'number' || typeof value === 'boolean') out.push(String(value));
  else if (Array.isArray(value)) for (const v of value) leaves(v, out);
  else if (value && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) {
      out.push(k);
      leaves(v, out);
    }
  }
  return out;
}

function assertHidden(result: RunResult, hidden: readonly string[], what: string): void {
  for (const text of leaves(result)) {
    for (const h of hidden) assert.ok(!text.includes(h), `${what}: ${JSON.stringify(h)} shows in ${JSON.stringify(text.length > 300 ? `…${text.slice(Math.max(0, text.indexOf(h) - 100), text.indexOf(h) + 100)}…` : text)}`);
  }
}

describe('a run result holds no form of a secret', () => {
  test('a number the service returns and a mapping writes', async () => {
    const secret = '48213579';
    handler = json(`{"pin": ${secret}, "account": 99${secret}, "ok": true}`);
    const result = await run(secret, {
      responseMappings: [
        { responseAttribute: 'pin', marketoField: 'NumberOfEmployees' },
        { responseAttribute: 'account', marketoField: 'AnnualRevenue' },
      ],
    });
    assert.equal(result.classification?.code, 200);
    assertHidden(result, [secret], 'a number');
    assert.deepEqual(result.mappings.map((m) => [m.status, m.value]), [['applied', '••••'], ['applied', '••••']]);
  });

  test('an object key the service returns, in a mapped value', async () => {
    const secret = 'k3y-Secret-42';
    handler = json({ data: { [secret]: { granted: true } } });
    const result = await run(secret, { responseMappings: [{ responseAttribute: 'data', marketoField: 'Company' }] });
    assert.equal(result.mappings[0]?.status, 'skipped');
    assertHidden(result, [secret], 'a key');
    assert.deepEqual(result.mappings[0]?.value, { '••••': { granted: true } });
  });

  test('a mapped value that holds the secret in base64', async () => {
    const secret = 'sk_live_9QmZ2x7Lb';
    handler = json({ token: base64(secret), basic: base64(`api-user:${secret}`) });
    const result = await run(secret, {
      responseMappings: [{ responseAttribute: 'token', marketoField: 'Company' }, { responseAttribute: 'basic', marketoField: 'Industry' }],
    });
    assert.deepEqual(result.mappings.map((m) => m.status), ['applied', 'applied']);
    assertHidden(result, [base64(secret), base64SecretPart(secret, 'api-user:'.length, 0)], 'base64');
  });

  test('the start of a secret where the body is cut at the 10 MB limit', async () => {
    for (const [secret, keep] of [['tail-Secret-77', 6], ['clé-secrète-77', 3]] as const) {
      // The body ends `keep` bytes into the secret (for clé, inside the two bytes of é).
      const filler = 'x'.repeat(RESPONSE_SIZE_LIMIT - keep);
      handler = (_req, res) => {
        res.writeHead(200, { 'Content-Type': 'text/plain; charset=utf-8' });
        res.end(`${filler}${secret} and more after it`);
      };
      const result = await run(secret, { responseType: 'None' });
      assert.equal(result.response?.truncated, true);
      const body = result.response?.body ?? '';
      const tail = body.slice(RESPONSE_SIZE_LIMIT - keep - 10);
      assert.ok(tail.startsWith('x'.repeat(10)), 'the text before the secret is kept');
      for (let k = 1; k < secret.length; k++) assert.ok(!tail.includes(secret.slice(0, k)), `the first ${k} characters of the secret end the body: ${JSON.stringify(tail)}`);
    }
  });

  test('a secret in the URL path, echoed as the service received it', async () => {
    const secret = 'k{e}y|9 z`Q^';
    handler = (req, res) => {
      res.writeHead(200, { 'Content-Type': 'text/plain', 'X-Echo-Path': req.url ?? '' });
      res.end(`no route for ${req.url ?? ''}`);
    };
    const result = await run(secret, { url: `${origin}/hooks/{{my.Key}}/run`, headers: { 'Content-Type': 'application/json' }, responseType: 'None' });
    assert.match(result.response?.body ?? '', /no route for \/hooks\/.*\/run/);
    assertHidden(result, [secret, urlPath(secret)], 'the URL path');
  });

  test('a secret in the host name, in the DNS failure', async () => {
    for (const secret of ['Tenant-Secret-42', 'Clé-Tenant-42']) {
      // RFC 6761: .invalid never resolves; timeoutMs bounds a resolver that does not answer.
      const result = await run(secret, { url: 'http://{{my.Key}}.invalid/hook', test: { lead: {}, timeoutMs: 5000, tokens: { 'my.Key': { secret: 'KEY' } } } });
      assert.equal(result.classification?.network, 'dns', JSON.stringify(result.handling));
      assertHidden(result, [secret, urlHost(secret)], 'the host name');
    }
  });

  test('JSON escaping as PHP, Go, Python, Java and nested JSON write it', async () => {
    const secret = 'ab/cé<d>&e"f\u2028g😀h';
    const forms = [phpJson(secret), goJson(secret), pythonJson(secret), upperHexJson(secret), jsonTwice(secret)];
    handler = json(`{${forms.map((f, i) => `"e${i}":"${f}"`).join(',')}}`);
    const result = await run(secret, { headers: { 'Content-Type': 'application/json' }, template: '{"key": {{my.Key}}}' });
    assert.equal(result.classification?.code, 200, result.response?.body);
    assertHidden(result, [secret, jsonInside(secret), ...forms], 'JSON escaping');
  });

  test('HTML and XML entities', async () => {
    const secret = `T0k<e>n&"q'é`;
    const forms = [
      htmlEscape(secret, '&quot;', '&#39;'), htmlEscape(secret, '&quot;', '&#x27;'), htmlEscape(secret, '&#34;', '&#39;'), htmlEscape(secret, '&quot;', '&apos;'),
      numericEntities(htmlEscape(secret, '&quot;', '&#039;'), 10), numericEntities(htmlEscape(secret, '&quot;', '&apos;'), 16),
    ];
    handler = (_req, res) => {
      res.writeHead(401, { 'Content-Type': 'text/html' });
      res.end(`<html><body>${forms.map((f) => `<p title="${f}">${f}</p>`).join('')}</body></html>`);
    };
    const result = await run(secret, { headers: { 'Content-Type': 'application/json' }, template: '{"key": {{my.Key}}}' });
    assert.equal(result.response?.status, 401);
    assertHidden(result, [secret, ...forms], 'HTML entities');
  });

  test('base64 of HTTP Basic credentials, in the three alignments', async () => {
    const secret = 'pa55-W0rd-xyz';
    const users = ['ab:', 'abc:', 'abcd:'];
    handler = (_req, res) => {
      res.writeHead(403, { 'Content-Type': 'application/json', 'WWW-Authenticate': `Basic realm="${base64(`ab:${secret}`)}"` });
      res.end(JSON.stringify({ seen: users.map((u) => `Basic ${base64(u + secret)}`), safe: Buffer.from(`abc:${secret}`).toString('base64url') }));
    };
    const result = await run(secret);
    const parts = users.map((u) => base64SecretPart(secret, u.length, 0));
    assert.ok(parts.every((p) => p.length >= 8), parts.join(' '));
    assertHidden(result, [secret, ...parts, ...parts.map((p) => p.replace(/\+/g, '-').replace(/\//g, '_'))], 'base64');
  });

  test('the engine\'s messages quote a value cut short: no start or end of the secret next to the cut', async () => {
    const secret = 'Zq8Wv5xKp3jRt7mYh2Nc';
    // Not JSON: the parser's message quotes the start of the body.
    handler = (_req, res) => res.end(`${secret} is not a valid key`);
    const notJson = await run(secret, { responseMappings: [{ responseAttribute: 'x', marketoField: 'Company' }] });
    // A long text where an object or an integer was expected: the reason quotes its start.
    handler = json({ text: `${'.'.repeat(20)}${secret}`, count: `${'0'.repeat(30)}${secret}` });
    const longValues = await run(secret, {
      responseMappings: [{ responseAttribute: 'text.inner', marketoField: 'Company' }, { responseAttribute: 'count', marketoField: 'NumberOfEmployees' }],
    });
    for (const result of [notJson, longValues]) {
      assert.ok(result.mappings.every((m) => m.status === 'skipped'));
      assertHidden(result, fragments(secret, 3), 'a quoted cut');
    }
  });
});

describe('a secret too short to mask is refused', () => {
  test('one or two characters: a RunInputError naming the secret, nothing sent', async () => {
    for (const secret of ['7', 'ab', '😀']) {
      let requests = 0;
      handler = (_req, res) => { requests++; res.end('{}'); };
      await assert.rejects(run(secret), (e: unknown) => {
        assert.ok(e instanceof RunInputError, String(e));
        assert.equal(e.problem, 'secret-too-short');
        assert.match(e.message, /"KEY"/);
        assert.match(e.message, /3 characters/);
        assert.ok(!e.message.includes(secret), e.message);
        assert.equal(e.result?.diagnostics.at(-1)?.code, 'secret-too-short');
        return true;
      });
      assert.equal(requests, 0);
    }
    // Three characters are enough.
    handler = json({ ok: true });
    assert.equal((await run('abc')).classification?.code, 200);
  });
});

// ---- the command line ----------------------------------------------------------------------------


function cli(args: string[], env: Record<string, string>): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const clean: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) if (!k.startsWith('MARKETO_WEBHOOK_') && k !== 'FORCE_COLOR') clean[k] = v;
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI, ...args], { cwd: dir, env: { ...clean, NO_COLOR: '1', ...env }, timeout: 20_000, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (c: string) => (stdout += c));
    child.stderr.setEncoding('utf8').on('data', (c: string) => (stderr += c));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

describe('the CLI prints no form of a secret', () => {
  // One secret with every character an encoding treats specially, and a numeric one.
  const secret = `Sk/é+<x>&y"z'~ 9{}`;
  const pin = '48213579';

  test('a service that echoes every form in its headers, status text, body, a mapped value and a number', async () => {
    const forms = echoedForms(secret);
    // Forms a JSON string holds as they are, and forms a header or status line can carry.
    const plain = forms.filter((f) => [...f].every((c) => c >= ' ' && c !== '"' && c !== '\\'));
    const ascii = forms.filter((f) => /^[\x21-\x7e]+$/.test(f));
    handler = (req, res) => {
      const headers: Record<string, string> = { 'Content-Type': req.url?.startsWith('/json') ? 'application/json' : 'text/plain' };
      ascii.forEach((f, i) => { headers[`X-Echo-${i}`] = f; });
      res.writeHead(200, `OK ${ascii.find((f) => f.length > 10) ?? ''}`, headers);
      // A JSON answer whose values (mapped) are the forms, with the numeric secret as a number and
      // the secret as a key; and a text answer that holds every form as it is.
      if (req.url?.startsWith('/json')) res.end(`{"mapped": ${JSON.stringify(plain)}, "first": ${JSON.stringify(plain[1])}, "pin": ${pin}, ${JSON.stringify(secret)}: "a key"}`);
      else res.end(`echo\n${forms.join('\n')}\n`);
    };
    for (const path of ['/json', '/text']) {
      write(definition({
        url: `${origin}${path}/{{my.Key}}?k={{my.Key}}`,
        headers: { 'Content-Type': 'application/json', 'X-Pin': '{{my.Pin}}' },
        template: '{"key": {{my.Key}}}',
        responseMappings: [
          { responseAttribute: 'first', marketoField: 'Company' },
          { responseAttribute: 'pin', marketoField: 'NumberOfEmployees' },
          { responseAttribute: 'mapped', marketoField: 'Industry' },
        ],
        test: { lead: { 'Email Address': 'ada@example.com' }, tokens: { 'my.Key': { secret: 'KEY' }, 'my.Pin': { secret: 'PIN' } } },
      }));
      for (const args of [['--json'], []]) {
        const r = await cli(['run', 'leak.webhook.jsonc', ...args], { MARKETO_WEBHOOK_SECRET_KEY: secret, MARKETO_WEBHOOK_SECRET_PIN: pin });
        const mode = `${path} ${args.join(' ') || 'text'}`;
        assert.equal(r.code, 0, `${mode}\n${r.stdout}${r.stderr}`);
        if (path === '/json' && args.length > 0) {
          const mappings = (JSON.parse(r.stdout) as RunResult).mappings;
          assert.deepEqual(mappings.map((m) => [m.status, typeof m.value === 'string' ? m.value : Array.isArray(m.value) ? m.value.length : m.value]), [['applied', '••••'], ['applied', '••••'], ['skipped', plain.length]]);
        }
        for (const h of [secret, pin, ...forms]) {
          for (const [name, text] of [['stdout', r.stdout], ['stderr', r.stderr]] as const) {
            // As printed, and as --json escapes it.
            for (const shown of new Set([h, jsonInside(h)])) {
              const at = text.indexOf(shown);
              assert.ok(at < 0, `${mode}: ${JSON.stringify(shown)} on ${name}: …${text.slice(Math.max(0, at - 80), at + 80)}…`);
            }
          }
        }
      }
    }
  });

  test('a one- or two-character secret: exit 2 and a readable message naming the variable, not the value', async () => {
    handler = json({ ok: true });
    write(definition());
    for (const value of ['q%', 'e']) {
      for (const args of [['--json'], []]) {
        const r = await cli(['run', 'leak.webhook.jsonc', ...args], { MARKETO_WEBHOOK_SECRET_KEY: value });
        assert.equal(r.code, 2, r.stdout + r.stderr);
        assert.match(r.stderr, /The secret "KEY" \(for the token my\.key\) is too short: a secret needs at least 3 characters.* Set the environment variable MARKETO_WEBHOOK_SECRET_KEY\./);
        if (value === 'q%') assert.ok(!r.stderr.includes(value) && !r.stdout.includes(value), r.stdout + r.stderr);
        if (args.length > 0) assert.equal((JSON.parse(r.stdout) as RunResult).diagnostics.at(-1)?.code, 'secret-too-short');
      }
    }
  });
});

function write(text: string): void {
  writeFileSync(join(dir, 'leak.webhook.jsonc'), text);
}
