// The examples in examples/ run against the demo service (examples/demo-server.mjs) and end the
// way Marketo would end them. Each definition is read as shipped, with only the demo service's
// origin rewritten to the port this test got.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { after, before, describe, test } from 'node:test';
import { validateDefinition, type EngineHost, type MappingResult, type RunResult } from '../../src/engine';
import { runDefinition } from '../../src/engine/run-engine';

/** What examples/demo-server.mjs exports (a plain .mjs file, so typed here). */
interface RecordedRequest {
  method: string;
  path: string;
  query: string;
  headers: Record<string, string | string[] | undefined>;
  body: string;
  status: number;
}
interface DemoServer {
  url: string;
  port: number;
  requests: RecordedRequest[];
  close(): Promise<void>;
}
interface DemoServerModule {
  startDemoServer(options?: { port?: number; host?: string }): Promise<DemoServer>;
}

/** The project folder: the tests run from out/ (compiled or bundled), the examples stay in place. */
function projectRoot(): string {
  let dir = __dirname;
  for (;;) {
    if (existsSync(join(dir, 'examples', 'demo-server.mjs'))) return dir;
    const parent = dirname(dir);
    if (parent === dir) return process.cwd();
    dir = parent;
  }
}

const ROOT = projectRoot();
const EXAMPLES = join(ROOT, 'examples');
const ORIGIN = 'http://127.0.0.1:8787';
const SECRET = 'demo-key';

const host: EngineHost = {
  readTextFile: (path) => readFile(path, 'utf8'),
  getSecret: (name) => Promise.resolve(name === 'ENRICH_API_KEY' ? SECRET : undefined),
};

let server: DemoServer;

before(async () => {
  // Imported at run time from the source folder: the .mjs file is not compiled into out/.
  const mod = (await import(pathToFileURL(join(EXAMPLES, 'demo-server.mjs')).href)) as DemoServerModule;
  server = await mod.startDemoServer({ port: 0 });
});

after(async () => {
  await server?.close();
});

/** The example's text with the demo service's origin rewritten to this test's server. */
async function exampleText(name: string): Promise<string> {
  const text = await readFile(join(EXAMPLES, name), 'utf8');
  assert.ok(text.includes(ORIGIN), `${name} calls the demo service at ${ORIGIN}`);
  return text.split(ORIGIN).join(server.url);
}

async function runExample(name: string): Promise<{ result: RunResult; seen: RecordedRequest[] }> {
  const file = join(EXAMPLES, name);
  const text = await exampleText(name);
  const before = server.requests.length;
  const result = await runDefinition({ text, file, host });
  const seen = server.requests.slice(before);
  assert.ok(!JSON.stringify(result).includes(SECRET), 'the secret value never appears in the run result');
  return { result, seen };
}

function errorsOf(result: { diagnostics: { severity: string; code: string; message: string }[] }): string[] {
  return result.diagnostics.filter((d) => d.severity === 'error').map((d) => `${d.code}: ${d.message}`);
}

function header(headers: Record<string, string | string[] | undefined> | undefined, name: string): string | undefined {
  const found = Object.entries(headers ?? {}).find(([k]) => k.toLowerCase() === name.toLowerCase())?.[1];
  return Array.isArray(found) ? found.join(', ') : found;
}

function mappingSummary(mappings: MappingResult[]): { responseAttribute: string; marketoField: string; status: string; value: unknown }[] {
  return mappings.map(({ responseAttribute, marketoField, status, value }) => ({ responseAttribute, marketoField, status, value }));
}

const GOOD = [
  'enrich-company.webhook.jsonc',
  'sms-reminder.webhook.jsonc',
  'slack-alert.webhook.jsonc',
  'crm-sync.webhook.jsonc',
  'order-status.webhook.jsonc',
  'nightly-batch.webhook.jsonc',
];
const BROKEN = 'broken.webhook.jsonc';

describe('examples', () => {
  test('every example definition is covered here, and its sample lead exists', async () => {
    const found = readdirSync(EXAMPLES).filter((n) => n.endsWith('.webhook.jsonc')).sort();
    assert.deepEqual(found, [...GOOD, BROKEN].sort());
    for (const name of found) {
      const lead = /"lead":\s*"([^"]+)"/.exec(await readFile(join(EXAMPLES, name), 'utf8'))?.[1];
      assert.ok(lead, `${name} names a sample lead`);
      assert.ok(existsSync(join(EXAMPLES, lead)), `${name}: ${lead} exists`);
    }
  });

  test('the working examples validate without errors', async () => {
    for (const name of GOOD) {
      const file = join(EXAMPLES, name);
      const result = validateDefinition(await readFile(file, 'utf8'), { file });
      assert.deepEqual(errorsOf(result), [], `${name} has no errors`);
      assert.ok(result.definition, `${name} yields a definition`);
    }
  });

  test('enrich-company: 200 with JSON, nested and indexed mappings applied, the key masked', async () => {
    const { result, seen } = await runExample('enrich-company.webhook.jsonc');
    assert.deepEqual(errorsOf(result), []);
    assert.equal(result.classification?.code, 200);
    assert.equal(result.classification?.category, 'success');
    assert.equal(result.classification?.mappingsApplied, true);
    assert.deepEqual(mappingSummary(result.mappings), [
      { responseAttribute: 'company.name', marketoField: 'Company', status: 'applied', value: 'Analytical Engines Ltd' },
      { responseAttribute: 'company.metrics.employees', marketoField: 'NumberOfEmployees', status: 'applied', value: 1200 },
      { responseAttribute: 'company.tech[0]', marketoField: 'MktoCompanyNotes', status: 'applied', value: 'Salesforce' },
      { responseAttribute: 'person.title', marketoField: 'Title', status: 'applied', value: 'Head of Computing' },
    ]);
    assert.ok(result.mappings.every((m) => m.reason === null));

    // What the service received: the JSON-encoded tokens, and the real key.
    assert.equal(seen.length, 1);
    const [call] = seen;
    assert.equal(call?.method, 'POST');
    assert.equal(call?.path, '/enrich/v1/person');
    assert.deepEqual(JSON.parse(call?.body ?? ''), { email: 'ada@analytical-engines.example', companyHint: 'Analytical Engines' });
    assert.equal(header(call?.headers, 'content-type'), 'application/json');
    assert.equal(header(call?.headers, 'authorization'), `Bearer ${SECRET}`);

    // What the result shows: the key masked.
    const shown = header(result.request?.headers, 'Authorization') ?? '';
    assert.ok(shown.startsWith('Bearer ') && shown.includes('••••'), `Authorization shown masked: ${shown}`);
  });

  test('sms-reminder: Form/Url encoding of the tokens, then 429 Too Many Requests', async () => {
    const { result, seen } = await runExample('sms-reminder.webhook.jsonc');
    assert.deepEqual(errorsOf(result), []);
    assert.equal(result.classification?.code, 429);
    assert.equal(result.classification?.category, 'client-error');
    assert.equal(result.classification?.errorType, 'Too Many Requests');
    assert.equal(result.classification?.mappingsApplied, false);
    assert.equal(result.response?.status, 429);
    assert.equal(header(result.response?.headers, 'retry-after'), '30');
    assert.equal(result.mappings.length, 1);
    assert.ok(result.mappings.every((m) => m.status === 'skipped' && typeof m.reason === 'string'));

    assert.equal(seen.length, 1);
    const form = new URLSearchParams(seen[0]?.body ?? '');
    assert.equal(form.get('To'), '+1 (415) 555-0136', 'the + of the phone number arrives as +, not as a space');
    assert.equal(form.get('From'), '+14155550100');
    assert.equal(form.get('Body'), 'Hi there, your Rivera & Sons Plumbing demo is tomorrow at 10am. Reply STOP to opt out.');
    assert.equal(header(seen[0]?.headers, 'content-type'), 'application/x-www-form-urlencoded');
  });

  test('slack-alert: 200 with an empty body is Marketo\'s 1001; the multi-line text is valid JSON', async () => {
    const { result, seen } = await runExample('slack-alert.webhook.jsonc');
    assert.deepEqual(errorsOf(result), []);
    assert.equal(result.classification?.code, 1001);
    assert.equal(result.classification?.category, 'marketo');
    assert.equal(result.classification?.mappingsApplied, false);
    assert.equal(result.response?.status, 200);
    assert.equal(result.response?.body, '');
    assert.deepEqual(result.mappings, []);

    assert.equal(seen.length, 1);
    assert.equal(seen[0]?.status, 200, `the chat service accepted the body (it answers 400 to invalid JSON): ${seen[0]?.body}`);
    const { text } = JSON.parse(seen[0]?.body ?? '') as { text: string };
    assert.match(text, /^:rotating_light: \*New MQL:\* Ada Lovelace at Analytical Engines\nQualified by: MQL Alert - Enterprise\nAt: \d{4}-\d\d-\d\d \d\d:\d\d:\d\d$/);
  });

  test('crm-sync: PUT with JSON, XML answer mapped by root element and index, a missing element skipped', async () => {
    const { result, seen } = await runExample('crm-sync.webhook.jsonc');
    assert.deepEqual(errorsOf(result), []);
    assert.equal(result.classification?.code, 200);
    assert.equal(result.classification?.category, 'success');
    assert.equal(result.classification?.mappingsApplied, true);
    assert.deepEqual(mappingSummary(result.mappings), [
      { responseAttribute: 'response.account.name', marketoField: 'Company', status: 'applied', value: 'COBOL Systems Inc.' },
      { responseAttribute: 'response.account.industry', marketoField: 'Industry', status: 'applied', value: 'Software' },
      { responseAttribute: 'response.contacts.contact[0].role', marketoField: 'LeadRole', status: 'applied', value: 'Decision Maker' },
      { responseAttribute: 'response.account.rating', marketoField: 'Rating', status: 'skipped', value: null },
    ]);
    const skipped = result.mappings[3];
    assert.ok(typeof skipped?.reason === 'string' && skipped.reason.length > 0, 'a skipped mapping says why');

    // The lead came from a Get Leads REST answer ({ "result": [ ... ] }): its first record was used.
    assert.equal(seen.length, 1);
    assert.equal(seen[0]?.method, 'PUT');
    assert.deepEqual(JSON.parse(seen[0]?.body ?? ''), {
      email: 'grace@cobol-systems.example', firstName: 'Grace', lastName: 'Hopper', company: 'COBOL Systems', marketoId: 318581,
    });
  });

  test('order-status: tokens in a GET URL, then 500 Internal Server Error and no mapping', async () => {
    const { result, seen } = await runExample('order-status.webhook.jsonc');
    assert.deepEqual(errorsOf(result), []);
    assert.equal(result.classification?.code, 500);
    assert.equal(result.classification?.category, 'server-error');
    assert.equal(result.classification?.errorType, 'Internal Server Error');
    assert.equal(result.classification?.mappingsApplied, false);
    assert.equal(result.request?.method, 'GET');
    assert.equal(result.request?.body, null);
    assert.ok(result.mappings.every((m) => m.status === 'skipped'));

    assert.equal(seen.length, 1);
    assert.equal(seen[0]?.method, 'GET');
    assert.equal(seen[0]?.path, '/orders/status');
    const query = new URLSearchParams(seen[0]?.query ?? '');
    assert.equal(query.get('email'), 'margaret+orders@hamilton-apollo.example');
    assert.equal(query.get('include'), 'latest');
  });

  test('nightly-batch: a batch campaign is Marketo\'s 1000 and nothing is sent', async () => {
    const { result, seen } = await runExample('nightly-batch.webhook.jsonc');
    assert.deepEqual(errorsOf(result), []);
    assert.equal(result.classification?.code, 1000);
    assert.equal(result.classification?.category, 'marketo');
    assert.equal(result.request?.sent, false);
    assert.equal(result.response, null);
    assert.deepEqual(seen, [], 'the demo service received no request');
    // The request that would have been sent is still shown.
    assert.match(result.request?.body ?? '', /"score": 87,/);
  });

  test('broken: validation finds the mistakes, each at a place in the file, and nothing is sent', async () => {
    const file = join(EXAMPLES, BROKEN);
    const original = await readFile(file, 'utf8');
    const { diagnostics } = validateDefinition(original, { file });
    // Exactly the marked mistakes, one diagnostic each (codes and severities; messages may be reworded).
    assert.deepEqual(diagnostics.map((d) => `${d.severity} ${d.code}`).sort(), [
      'error duplicate-key',
      'error invalid-enum',
      'error marketo-field-not-soap-name',
      'error template-illegal-escape',
      'error token-default-syntax',
      'error token-quoted-json',
      'error token-unknown-field',
      'warning json-body-without-content-type',
      'warning literal-credential',
      'warning unknown-key',
    ], errorsOf({ diagnostics }).join('; '));

    const lines = original.split(/\r\n|\r|\n/);
    /** The range of `text` (as written in the file, escapes and all) on the one non-comment line holding `lineWith`. */
    const rangeOf = (text: string, lineWith: string) => {
      const found = lines.flatMap((l, i) => (l.includes(lineWith) && !l.trimStart().startsWith('//') ? [i] : []));
      assert.equal(found.length, 1, `one line holds ${lineWith}`);
      const line = found[0]!;
      const character = lines[line]!.indexOf(text);
      assert.ok(character >= 0 && lines[line]!.lastIndexOf(text) === character, `${text} once on line ${line}`);
      return { start: { line, character }, end: { line, character: character + text.length } };
    };
    const template = '"{\\"first\\": {{lead.FirstName}}, \\"company\\": {{lead.Company=edit me}}, \\"email\\": \\"{{lead.Email Address}}\\", \\"idPattern\\": \\"^\\\\d+$\\"}"';
    const expected: Record<string, ReturnType<typeof rangeOf>> = {
      'invalid-enum': rangeOf('"json"', '"requestTokenEncoding"'),
      // the whole template value
      'json-body-without-content-type': rangeOf(template, '"template"'),
      // the unknown name only, not the token around it
      'token-unknown-field': rangeOf('FirstName', '"template"'),
      'token-default-syntax': rangeOf('{{lead.Company=edit me}}', '"template"'),
      // the token with the quotes around it, written \" in the file
      'token-quoted-json': rangeOf('\\"{{lead.Email Address}}\\"', '"template"'),
      // `\d`, written \\d in the file
      'template-illegal-escape': rangeOf('\\\\d', '"template"'),
      // the key, not "Bearer "
      'literal-credential': rangeOf('sk_live_51DEMOnotARealKey', '"Authorization"'),
      'marketo-field-not-soap-name': rangeOf('"First Name"', '"marketoField"'),
      'unknown-key': rangeOf('"retries"', '"retries"'),
      // the second "name", the one that would win
      'duplicate-key': rangeOf('"name"', 'second name'),
    };
    assert.deepEqual(
      Object.fromEntries(diagnostics.map((d) => [d.code, d.range])),
      expected,
    );
    for (const d of diagnostics) {
      assert.ok(d.code.length > 0 && d.message.length > 0, 'each diagnostic has a code and a message');
      const { start, end } = d.range;
      const where = `${d.code} at ${start.line}:${start.character}-${end.line}:${end.character}`;
      assert.ok(start.line >= 0 && start.line < lines.length, `${where}: start line inside the file`);
      assert.ok(end.line >= start.line && end.line < lines.length, `${where}: end line inside the file`);
      assert.ok(start.character >= 0 && start.character <= (lines[start.line]?.length ?? 0), `${where}: start inside its line`);
      assert.ok(end.character >= 0 && end.character <= (lines[end.line]?.length ?? 0), `${where}: end inside its line`);
      if (end.line === start.line) assert.ok(end.character >= start.character, `${where}: range not reversed`);
    }

    const { result, seen } = await runExample(BROKEN);
    assert.equal(result.request, null);
    assert.equal(result.response, null);
    assert.equal(result.classification, null);
    // The run reports the same diagnostics as validation (without quick-fix data).
    assert.deepEqual(result.diagnostics, diagnostics.map(({ data: _data, ...d }) => d));
    assert.equal(result.definition.name, 'Signup sync (broken, second name)');
    assert.deepEqual(result.mappings, []);
    assert.equal(result.handling, null);
    assert.deepEqual(seen, [], 'a definition with errors is not sent');
  });

  test('npm run demo: every example behaves as expected (exit 0)', { timeout: 70_000 }, async (t) => {
    if (!existsSync(join(ROOT, 'dist', 'cli.js'))) {
      t.skip('dist/cli.js is not built (npm run build)');
      return;
    }
    const { code, output } = await new Promise<{ code: number | null; output: string }>((resolve, reject) => {
      const child = spawn(process.execPath, [join(EXAMPLES, 'demo.mjs')], {
        cwd: ROOT,
        env: { ...process.env, DEMO_PORT: '0', NO_COLOR: '1' },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let output = '';
      child.stdout.on('data', (chunk: Buffer) => { output += chunk.toString('utf8'); });
      child.stderr.on('data', (chunk: Buffer) => { output += chunk.toString('utf8'); });
      const timer = setTimeout(() => child.kill(), 60_000);
      child.on('error', reject);
      child.on('close', (exitCode) => {
        clearTimeout(timer);
        resolve({ code: exitCode, output });
      });
    });
    assert.equal(code, 0, `the demo exited ${code}:\n${output.slice(-4000)}`);
    assert.ok(!output.includes(SECRET), 'the demo output never shows the secret value');
  });
});
