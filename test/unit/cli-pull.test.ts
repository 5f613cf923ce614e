// `marketo-webhook pull` and `run --tokens` as users run them: the built dist/cli.js, spawned in
// temporary folders, against the fake Marketo on 127.0.0.1. Build first: `npm run build`.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, beforeEach, describe, test } from 'node:test';
import { parseDescribeResponse } from '../../src/engine/catalog/field-catalog';
import { FAKE_CLIENT_ID, FAKE_CLIENT_SECRET, FAKE_FIELDS, startFakeMarketo, type FakeMarketo } from './fake-marketo';
import { CLI } from './helpers';

interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

let fake: FakeMarketo;
let dir: string;
const dirs: string[] = [];
/** every output of every run, checked at the end for the secret and the tokens */
const outputs: string[] = [];

function env(extra: Record<string, string | undefined> = {}): NodeJS.ProcessEnv {
  const base: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (!key.startsWith('MARKETO_') && key !== 'NO_COLOR' && key !== 'FORCE_COLOR') base[key] = value;
  }
  const all: Record<string, string | undefined> = {
    ...base, MARKETO_BASE_URL: fake.baseUrl, MARKETO_CLIENT_ID: FAKE_CLIENT_ID, MARKETO_CLIENT_SECRET: FAKE_CLIENT_SECRET, ...extra,
  };
  return Object.fromEntries(Object.entries(all).filter(([, v]) => v !== undefined));
}

function cli(args: string[], extraEnv: Record<string, string | undefined> = {}): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI, ...args], { cwd: dir, env: env(extraEnv), timeout: 20_000, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    child.on('error', reject);
    child.on('close', (code) => {
      outputs.push(stdout, stderr);
      resolve({ code, stdout, stderr });
    });
  });
}

const readJson = (name: string): unknown => JSON.parse(readFileSync(join(dir, name), 'utf8'));

before(async () => {
  fake = await startFakeMarketo();
});
after(async () => {
  for (const text of outputs) {
    assert.ok(!text.includes(FAKE_CLIENT_SECRET), `the client secret was printed: ${text}`);
    for (const token of fake.tokensIssued) assert.ok(!text.includes(token), `an access token was printed: ${text}`);
  }
  await fake.close();
});
beforeEach(() => {
  fake.reset();
  dir = mkdtempSync(join(tmpdir(), 'mww-pull-'));
  dirs.push(dir);
});
after(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

describe('pull fields', () => {
  test('writes the Describe Lead response to marketo-fields.json, a catalog --fields reads', async () => {
    const r = await cli(['pull', 'fields']);
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(readdirSync(dir), ['marketo-fields.json']);
    const written = readJson('marketo-fields.json') as { success: boolean; result: unknown[] };
    assert.equal(written.success, true);
    assert.deepEqual(written.result, FAKE_FIELDS);
    assert.deepEqual(parseDescribeResponse(written).errors, []);
    assert.match(r.stdout, /wrote 8 lead fields to marketo-fields\.json/);
  });

  test('--out and --json: one document naming the file and the number of records', async () => {
    const r = await cli(['pull', 'fields', '--out', 'catalog.json', '--json']);
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(JSON.parse(r.stdout), { file: 'catalog.json', records: FAKE_FIELDS.length });
    assert.deepEqual(readdirSync(dir), ['catalog.json']);
  });
});

describe('pull lead', () => {
  test('by email: every field of the describe, written to <local part>.lead.json, said to be personal data', async () => {
    const r = await cli(['pull', 'lead', '--email', 'jane.doe@example.com']);
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(readdirSync(dir), ['jane.doe.lead.json']);
    const lead = readJson('jane.doe.lead.json') as { result: Record<string, unknown>[] };
    assert.deepEqual(Object.keys(lead.result[0] ?? {}).sort(), FAKE_FIELDS.map((f) => f.rest.name).sort());
    assert.equal(lead.result[0]?.favoriteColor, 'teal');
    assert.match(r.stderr, /personal data/);
    assert.match(r.stderr, /\.gitignore/);
    if (process.platform !== 'win32') assert.equal(statSync(join(dir, 'jane.doe.lead.json')).mode & 0o777, 0o600);
    const call = fake.restRequests().find((q) => q.path === '/rest/v1/leads.json');
    assert.equal(call?.query.fields, FAKE_FIELDS.map((f) => f.rest.name).join(','));
  });

  test('by id, with --json', async () => {
    const r = await cli(['pull', 'lead', '--id', '318592', '--json']);
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(JSON.parse(r.stdout), { file: 'lead-318592.lead.json', records: 1 });
    assert.equal((readJson('lead-318592.lead.json') as { result: { email: string }[] }).result[0]?.email, 'sam@example.org');
  });

  test('no such lead: exit 1, nothing written', async () => {
    const r = await cli(['pull', 'lead', '--email', 'nobody@example.com', '--json']);
    assert.equal(r.code, 1);
    assert.equal((JSON.parse(r.stdout) as { error: { code: string } }).error.code, 'not-found');
    assert.deepEqual(readdirSync(dir), []);
  });
});

describe('pull tokens', () => {
  test('writes the program\'s My Tokens as { "my.Name": value } to program-ID.tokens.json', async () => {
    const r = await cli(['pull', 'tokens', '--program', '1089']);
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(readJson('program-1089.tokens.json'), { 'my.Event Date': '2026-03-14', 'my.Webinar Title': 'Webhooks & You', 'my.Score Bump': '+10' });
  });

  test('run --tokens reads that file: over test.tokens, under --token', async () => {
    assert.equal((await cli(['pull', 'tokens', '--program', '1089', '--out', 't.json'])).code, 0);
    writeFileSync(join(dir, 'e.webhook.jsonc'), JSON.stringify({
      name: 'Event', url: 'https://api.example.com/e?d={{my.Event Date}}&s={{my.Score Bump}}&o={{my.Other}}',
      test: { campaign: 'batch', tokens: { 'my.Event Date': 'from-definition', 'my.Other': 'from-definition' } },
    }));
    const r = await cli(['run', 'e.webhook.jsonc', '--tokens', 't.json', '--token', 'my.Score Bump=5', '--json']);
    assert.equal(r.code, 1, r.stderr); // batch: code 1000, nothing sent
    const doc = JSON.parse(r.stdout) as { request: { url: string } };
    assert.equal(doc.request.url, 'https://api.example.com/e?d=2026-03-14&s=5&o=from-definition');
  });

  test('run --tokens with a file that is missing or not tokens: exit 2, tokens-unusable', async () => {
    writeFileSync(join(dir, 'e.webhook.jsonc'), JSON.stringify({ name: 'Event', url: 'https://api.example.com/e', test: { campaign: 'batch' } }));
    writeFileSync(join(dir, 'bad.json'), '["not", "tokens"]');
    for (const file of ['missing.json', 'bad.json']) {
      const r = await cli(['run', 'e.webhook.jsonc', '--tokens', file, '--json']);
      assert.equal(r.code, 2, r.stderr);
      assert.match(r.stderr, new RegExp(file.replace('.', '\\.')));
      // Named as typed, not as the absolute path it was read from.
      assert.ok(!r.stderr.includes(dir), r.stderr);
      assert.deepEqual((JSON.parse(r.stdout) as { diagnostics: { code: string }[] }).diagnostics.map((d) => d.code), ['tokens-unusable']);
    }
  });
});

describe('a definition\'s "test.tokens" file', () => {
  test('is read relative to the definition, and only inside its folder or the current one', async () => {
    mkdirSync(join(dir, 'hooks'));
    writeFileSync(join(dir, 'hooks', 'program-1089.tokens.json'), '{ "my.Event Date": "2026-03-14" }');
    const outside = mkdtempSync(join(tmpdir(), 'mww-outside-'));
    dirs.push(outside);
    writeFileSync(join(outside, 't.json'), '{ "my.Event Date": "stolen" }');
    const definition = (tokens: string) => JSON.stringify({ name: 'Event', url: 'https://api.example.com/e?d={{my.Event Date}}', test: { campaign: 'batch', tokens } });

    writeFileSync(join(dir, 'hooks', 'in.webhook.jsonc'), definition('program-1089.tokens.json'));
    const inside = await cli(['run', 'hooks/in.webhook.jsonc', '--json']);
    assert.equal((JSON.parse(inside.stdout) as { request: { url: string } }).request.url, 'https://api.example.com/e?d=2026-03-14');

    writeFileSync(join(dir, 'hooks', 'out.webhook.jsonc'), definition(join(outside, 't.json')));
    const refused = await cli(['run', 'hooks/out.webhook.jsonc', '--json']);
    assert.equal(refused.code, 2);
    assert.match(refused.stderr, /outside the definition's folder and the current folder.*--tokens/);
    assert.equal((JSON.parse(refused.stdout) as { diagnostics: { code: string }[] }).diagnostics.at(-1)?.code, 'tokens-unusable');
    // The user may name it: --tokens is the caller's.
    const named = await cli(['run', 'hooks/out.webhook.jsonc', '--tokens', join(outside, 't.json'), '--json']);
    assert.equal((JSON.parse(named.stdout) as { request: { url: string } }).request.url, 'https://api.example.com/e?d=stolen');
  });
});

describe('pull errors', () => {
  test('missing connection variables: exit 2, naming them, nothing sent', async () => {
    const r = await cli(['pull', 'fields', '--json'], { MARKETO_CLIENT_ID: undefined, MARKETO_CLIENT_SECRET: '' });
    assert.equal(r.code, 2);
    assert.match(r.stderr, /MARKETO_CLIENT_ID, MARKETO_CLIENT_SECRET/);
    assert.equal((JSON.parse(r.stdout) as { error: { code: string } }).error.code, 'usage');
    assert.equal(fake.requests.length, 0);
  });

  test('a base URL over plain http to another machine: exit 2, nothing sent', async () => {
    const r = await cli(['pull', 'fields'], { MARKETO_BASE_URL: 'http://123-ABC-456.mktorest.com' });
    assert.equal(r.code, 2);
    assert.match(r.stderr, /https/);
  });

  test('bad client credentials: exit 1 with Marketo\'s identity error', async () => {
    const r = await cli(['pull', 'fields', '--json'], { MARKETO_CLIENT_SECRET: 'wrong-secret-value' });
    assert.equal(r.code, 1);
    const error = (JSON.parse(r.stdout) as { error: { code: string; message: string } }).error;
    assert.equal(error.code, 'invalid_client');
    assert.match(error.message, /Bad client credentials/);
    assert.ok(!r.stdout.includes('wrong-secret-value') && !r.stderr.includes('wrong-secret-value'));
    assert.deepEqual(readdirSync(dir), []);
  });

  for (const code of ['607', '1003']) {
    test(`Marketo error ${code}: exit 1, the message names the code, nothing written`, async () => {
      fake.failNext(code);
      const r = await cli(['pull', 'tokens', '--program', '1089', '--json']);
      assert.equal(r.code, 1);
      const error = (JSON.parse(r.stdout) as { error: { code: string; message: string } }).error;
      assert.equal(error.code, code);
      assert.match(r.stderr, new RegExp(`Marketo error ${code}`));
      assert.deepEqual(readdirSync(dir), []);
    });
  }

  test('601 once: a new token, and the pull succeeds; the token only ever as Bearer', async () => {
    fake.failNext('601');
    const r = await cli(['pull', 'fields']);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(fake.identityRequests().length, 2);
    for (const q of fake.restRequests()) {
      assert.match(q.headers.authorization ?? '', /^Bearer /);
      assert.ok(!/access_token/i.test(q.url));
    }
  });

  test('usage errors: exit 2', async () => {
    for (const args of [
      ['pull'], ['pull', 'leads'], ['pull', 'lead'], ['pull', 'lead', '--email', 'a@b.c', '--id', '1'], ['pull', 'lead', '--email', 'a@b.c,d@e.f'],
      ['pull', 'lead', '--id', '0'], ['pull', 'tokens'], ['pull', 'tokens', '--program', 'PG1089'], ['pull', 'fields', '--email', 'a@b.c'],
    ]) {
      const r = await cli(args);
      assert.equal(r.code, 2, args.join(' '));
      assert.match(r.stderr, /usage: marketo-webhook pull/, args.join(' '));
    }
    assert.equal(fake.requests.length, 0);
  });
});
