// Runs over a list of leads (contracts §6), in the engine: reading the list as Marketo exports it,
// never more calls outstanding than asked (counted by a real server on 127.0.0.1), cancelling,
// and the summary's numbers.
import assert from 'node:assert/strict';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, test } from 'node:test';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { RunInputError, type EngineHost } from '../../src/engine/api';
import { FieldCatalog, STANDARD_CATALOG } from '../../src/engine/catalog/field-catalog';
import { closeConnections } from '../../src/engine/http/send';
import { leadListFormat, readLeadList, type LeadRow } from '../../src/engine/lead-list/read-list';
import { MAX_CONCURRENCY, runLeadList, type LeadRun } from '../../src/engine/lead-list/run-list';
import { LeadListSummary, estimateDrainMs } from '../../src/engine/lead-list/summary';

function csv(text: string, catalog: FieldCatalog = STANDARD_CATALOG): { leads: LeadRow[]; unknownColumns: string[] } {
  const read = readLeadList(text, 'csv', catalog);
  if (!read.ok) assert.fail(read.message);
  return read;
}

function json(text: string) {
  return readLeadList(text, 'json', STANDARD_CATALOG);
}

void describe('reading a lead list', () => {
  void test('a CSV as Marketo exports it: display names as header, mapped to the fields\' REST names', () => {
    const { leads, unknownColumns } = csv('Id,First Name,Last Name,Email Address,Company Name\n7,Ada,Lovelace,ada@example.com,Analytical Engines\n');
    assert.deepEqual(leads, [{ id: '7', firstName: 'Ada', lastName: 'Lovelace', email: 'ada@example.com', company: 'Analytical Engines' }]);
    assert.deepEqual(unknownColumns, []);
  });

  void test('quoted fields: commas, doubled quotes and line breaks inside quotes; CRLF rows', () => {
    const { leads } = csv('Email Address,Company Name,Address\r\na@example.com,"Acme, Inc.","1 ""Main"" St\r\nSuite 2"\r\nb@example.com,Plain,\r\n');
    assert.deepEqual(leads, [
      { email: 'a@example.com', company: 'Acme, Inc.', address: '1 "Main" St\r\nSuite 2' },
      { email: 'b@example.com', company: 'Plain', address: '' },
    ]);
  });

  void test('a UTF-8 byte order mark before the header is not part of the first column\'s name', () => {
    const { leads, unknownColumns } = csv('\uFEFFEmail Address,First Name\nada@example.com,Ada\n');
    assert.deepEqual(leads, [{ email: 'ada@example.com', firstName: 'Ada' }]);
    assert.deepEqual(unknownColumns, []);
  });

  void test('columns named as what objects inherit (__proto__, constructor) are the lead\'s own values, in column order', () => {
    for (const header of ['Email Address,__proto__,constructor', 'Email Address,constructor,toString']) {
      const { leads } = csv(`${header}\na@example.com,x,y\nb@example.com,z,w\n`);
      const names = header.split(',').slice(1);
      for (const [i, lead] of leads.entries()) {
        assert.equal(Object.getPrototypeOf(lead), Object.prototype, 'a plain object');
        assert.deepEqual(Object.keys(lead), ['email', ...names]);
        assert.deepEqual(names.map((n) => Object.getOwnPropertyDescriptor(lead, n)?.value as unknown), i === 0 ? ['x', 'y'] : ['z', 'w']);
      }
    }
  });

  void test('REST and SOAP names are read too; display names win over another field\'s REST name', () => {
    assert.deepEqual(csv('email,FirstName,Company Name\nx@example.com,X,Y\n').leads, [{ email: 'x@example.com', firstName: 'X', company: 'Y' }]);
    // A custom field whose display name is a standard field's REST name: Marketo's header is a display name.
    const custom = STANDARD_CATALOG.withFields([{ displayName: 'company', restName: 'companyAlias__c', dataType: 'string' }]);
    assert.deepEqual(csv('company\nAcme\n', custom).leads, [{ companyAlias__c: 'Acme' }]);
  });

  void test('columns no field has are kept under their own name and reported', () => {
    const { leads, unknownColumns } = csv('Email Address,Favourite Colour,,Shoe Size\nx@example.com,blue,z,44\n');
    assert.deepEqual(leads, [{ email: 'x@example.com', 'Favourite Colour': 'blue', 'Shoe Size': '44' }]);
    assert.deepEqual(unknownColumns, ['Favourite Colour', 'Shoe Size']);
  });

  void test('blank lines are skipped; a header alone is an empty list', () => {
    assert.equal(csv('Email Address\n\na@example.com\n\n\nb@example.com').leads.length, 2);
    assert.deepEqual(csv('Email Address,First Name\r\n').leads, []);
  });

  void test('a row with more or fewer fields than the header, an unclosed quote, an empty file: not usable, with the reason', () => {
    for (const bad of ['Email Address,First Name\na@example.com\n', 'Email Address\n"a@example.com\n', '']) {
      const read = readLeadList(bad, 'csv', STANDARD_CATALOG);
      assert.equal(read.ok, false, JSON.stringify(bad));
    }
    const ragged = readLeadList('Email Address,First Name\na@example.com,A\nb@example.com\n', 'csv', STANDARD_CATALOG);
    assert.ok(!ragged.ok && /line 3/i.test(ragged.message), JSON.stringify(ragged));
  });

  void test('a JSON array of leads, and a Get Leads response with several results', () => {
    assert.deepEqual(json('[{"email":"a@example.com"},{"Email Address":"b@example.com"}]'), { ok: true, leads: [{ email: 'a@example.com' }, { 'Email Address': 'b@example.com' }], unknownColumns: [] });
    const getLeads = { requestId: 'e42b#14272d07d78', success: true, result: [{ id: 1, email: 'a@example.com' }, { id: 2, email: 'b@example.com' }, { id: 3, email: 'c@example.com' }] };
    const read = json(JSON.stringify(getLeads));
    assert.ok(read.ok);
    assert.deepEqual(read.leads.map((l) => l.id), [1, 2, 3]);
  });

  void test('JSON that is no list of leads: not usable, naming what is wrong', () => {
    const message = (text: string) => { const r = json(text); assert.ok(!r.ok); return r.message; };
    assert.match(message('[{"email":"a@example.com"}, 7]'), /lead 2 of the list is not a JSON object/);
    assert.match(message('{"email":"a@example.com"}'), /array of leads, or a Get Leads response/);
    assert.match(message('{"success":false,"errors":[{"code":"601","message":"Access token invalid"}]}'), /"success": false/);
    assert.match(message('[{'), /not valid JSON/);
  });

  void test('the format: by extension, else JSON when the text starts with [ or {', () => {
    assert.equal(leadListFormat('list.CSV', '[]'), 'csv');
    assert.equal(leadListFormat('leads.json', 'a,b'), 'json');
    assert.equal(leadListFormat('export', '\uFEFF  [{}]'), 'json');
    assert.equal(leadListFormat('export', '{"result":[]}'), 'json');
    assert.equal(leadListFormat('export.txt', 'Email Address\n'), 'csv');
  });
});

/** A service on 127.0.0.1 that counts the calls it holds at once; each answer as `answer` says. */
interface CountingServer {
  url: string;
  inFlight: number;
  maxInFlight: number;
  received: number;
  /** requests whose connection closed before the answer (aborted by the client) */
  aborted: number;
  answer: (email: string, res: ServerResponse) => void;
  /** answers every held request (for `hold`) */
  held: (() => void)[];
  server: Server;
}

async function startCountingServer(): Promise<CountingServer> {
  const state = { url: '', inFlight: 0, maxInFlight: 0, received: 0, aborted: 0, held: [] as (() => void)[] } as CountingServer;
  state.answer = (_email, res) => setTimeout(() => res.end('{"ok":true}'), 5);
  state.server = createServer((req: IncomingMessage, res: ServerResponse) => {
    state.received++;
    state.inFlight++;
    state.maxInFlight = Math.max(state.maxInFlight, state.inFlight);
    let done = false;
    const finish = () => {
      if (done) return;
      done = true;
      state.inFlight--;
    };
    res.on('finish', finish);
    res.on('close', () => {
      if (!res.writableFinished) state.aborted++;
      finish();
    });
    let body = '';
    req.setEncoding('utf8').on('data', (c: string) => (body += c)).on('end', () => {
      res.setHeader('Content-Type', 'application/json');
      const email = (JSON.parse(body) as { email: string }).email;
      state.answer(email, res);
    });
  });
  await new Promise<void>((resolve) => state.server.listen(0, '127.0.0.1', resolve));
  state.url = `http://127.0.0.1:${(state.server.address() as AddressInfo).port}`;
  return state;
}

const host: EngineHost = { readTextFile: () => Promise.reject(new Error('no files here')), getSecret: () => Promise.resolve(undefined) };

const definition = (url: string, extra: Record<string, unknown> = {}) => JSON.stringify({
  name: 'Enrich', url: `${url}/enrich`, requestType: 'POST', template: '{"email": {{lead.Email Address}}}', requestTokenEncoding: 'JSON',
  headers: { 'Content-Type': 'application/json' }, responseType: 'JSON',
  responseMappings: [{ responseAttribute: 'company', marketoField: 'Company' }, { responseAttribute: 'employees', marketoField: 'NumberOfEmployees' }],
  ...extra,
});

const leadsOf = (n: number): LeadRow[] => Array.from({ length: n }, (_, i) => ({ email: `lead${i + 1}@example.com` }));

async function collect(iterable: AsyncIterable<LeadRun>): Promise<LeadRun[]> {
  const runs: LeadRun[] = [];
  for await (const run of iterable) runs.push(run);
  return runs;
}

/** Waits (at most 5 s, in 5 ms steps) until `check` holds. */
async function until(check: () => boolean, what: string): Promise<void> {
  for (let i = 0; i < 1000 && !check(); i++) await new Promise((r) => setTimeout(r, 5));
  assert.ok(check(), `timed out waiting until ${what}`);
}

void describe('running a list', () => {
  let service: CountingServer;
  before(async () => { service = await startCountingServer(); });
  after(async () => {
    await closeConnections();
    service.server.closeAllConnections();
    await new Promise((r) => service.server.close(r));
  });
  const reset = () => {
    Object.assign(service, { inFlight: 0, maxInFlight: 0, received: 0, aborted: 0, held: [] });
    service.answer = (_email, res) => setTimeout(() => res.end('{"ok":true}'), 5);
  };

  void test(`never more calls outstanding than asked, and all of them made; ${MAX_CONCURRENCY} by default`, async () => {
    for (const [concurrency, leads] of [[3, 40], [undefined, 90]] as const) {
      reset();
      const cap = concurrency ?? MAX_CONCURRENCY;
      // Calls are held until `cap` of them are outstanding (or the list's last has come), then
      // answered in reverse order, so the cap is reached whatever the machine's speed and
      // completions come out of order.
      const held: (() => void)[] = [];
      service.answer = (email, res) => {
        held.push(() => res.end(JSON.stringify({ company: `Co ${email}` })));
        if (held.length === cap || service.received === leads) for (const answer of held.splice(0).reverse()) answer();
      };
      const runs = await collect(runLeadList({ text: definition(service.url), file: '/w/enrich.webhook.jsonc', host, leads: leadsOf(leads), ...(concurrency ? { concurrency } : {}) }));
      assert.equal(service.received, leads);
      assert.ok(service.maxInFlight <= cap, `${service.maxInFlight} outstanding at once, cap ${cap}`);
      assert.equal(service.maxInFlight, cap, 'the cap is reached');
      assert.deepEqual(runs.map((r) => r.lead).sort((a, b) => a - b), Array.from({ length: leads }, (_, i) => i + 1));
      for (const run of runs) assert.equal(run.result.mappings[0]?.value, `Co lead${run.lead}@example.com`, 'each result is its own lead\'s');
    }
  });

  void test('a concurrency outside 1..20 is refused', async () => {
    for (const concurrency of [0, 21, 1.5]) {
      await assert.rejects(collect(runLeadList({ text: definition(service.url), file: '/w/e.webhook.jsonc', host, leads: leadsOf(1), concurrency })), RangeError);
    }
  });

  void test('calls start only as results are taken: a consumer that waits holds back the calls (results are not piled up)', async () => {
    reset();
    const iterator = runLeadList({ text: definition(service.url), file: '/w/e.webhook.jsonc', host, leads: leadsOf(50), concurrency: 4 })[Symbol.asyncIterator]();
    const first = await iterator.next();
    assert.equal(first.done, false);
    // The first completion frees a slot (a fifth call starts) before it is handed out; while the
    // consumer holds it, the outstanding calls complete and nothing more is started.
    await new Promise((r) => setTimeout(r, 100));
    await until(() => service.inFlight === 0, 'the outstanding calls are answered');
    const received = service.received;
    assert.ok(received <= 2 * 4, `${received} calls made while the consumer waited`);
    await new Promise((r) => setTimeout(r, 50));
    assert.equal(service.received, received);
    await iterator.return(undefined);
  });

  void test('results are not held: each can be collected once the consumer lets it go', async () => {
    reset();
    // The garbage collector, asked for at run time (node --test runs without --expose-gc).
    setFlagsFromString('--expose-gc');
    const gc = runInNewContext('gc') as () => void;
    let collected = 0;
    const registry = new FinalizationRegistry(() => collected++);
    const leads = 400;
    const summary = new LeadListSummary(leads);
    for await (const run of runLeadList({ text: definition(service.url), file: '/w/e.webhook.jsonc', host, leads: leadsOf(leads), concurrency: 10 })) {
      summary.add(run);
      registry.register(run.result, run.lead);
    }
    assert.equal(summary.document().completed, leads);
    for (let i = 0; i < 10 && collected < leads * 0.9; i++) {
      gc();
      await new Promise((r) => setImmediate(r));
    }
    assert.ok(collected >= leads * 0.9, `only ${collected} of ${leads} results collected: something holds them`);
  });

  void test('cancel: no new calls, the outstanding ones aborted, the iteration ends', async () => {
    reset();
    service.answer = (_email, res) => service.held.push(() => res.end('{}'));
    const controller = new AbortController();
    const runs: LeadRun[] = [];
    const running = (async () => {
      for await (const run of runLeadList({ text: definition(service.url), file: '/w/e.webhook.jsonc', host, leads: leadsOf(30), concurrency: 5, signal: controller.signal })) runs.push(run);
    })();
    await until(() => service.held.length === 5, 'five calls are held');
    controller.abort();
    await running;
    assert.deepEqual(runs, []);
    assert.equal(service.received, 5);
    await until(() => service.aborted === 5, 'the server sees the five calls aborted');
  });

  void test('leaving the loop early aborts the outstanding calls too', async () => {
    reset();
    let n = 0;
    service.answer = (_email, res) => (n++ === 0 ? res.end('{}') : service.held.push(() => res.end('{}')));
    for await (const run of runLeadList({ text: definition(service.url), file: '/w/e.webhook.jsonc', host, leads: leadsOf(10), concurrency: 3 })) {
      assert.equal(run.result.classification?.code, 200);
      // The first answer freed a slot, so three calls are held.
      await until(() => service.held.length === 3 && service.received === 4, 'the others are held');
      break;
    }
    await until(() => service.aborted === 3, 'the held calls are aborted');
    assert.equal(service.received, 4);
  });

  void test('a lead whose values make the URL unusable is not sent, and the list goes on', async () => {
    reset();
    const text = definition('{{lead.Website}}');
    const leads = [{ email: 'a@example.com', website: service.url }, { email: 'b@example.com', website: 'not a url' }];
    const summary = new LeadListSummary(2);
    const runs = await collect(runLeadList({ text, file: '/w/e.webhook.jsonc', host, leads }));
    for (const run of runs) summary.add(run);
    const stopped = runs.find((r) => r.lead === 2);
    assert.equal(stopped?.result.classification, null);
    assert.equal(stopped?.result.diagnostics.at(-1)?.code, 'url-invalid');
    assert.equal(stopped?.latencyMs, 0);
    assert.deepEqual(summary.document().byCategory, { success: 1, 'not-sent': 1 });
    assert.deepEqual(summary.document().byCode, { 200: 1, 'not-sent': 1 });
    assert.equal(service.received, 1);
  });

  void test('the tokens file is read and the secret fetched once for the whole list, not once per lead', async () => {
    reset();
    const reads: string[] = [];
    const secrets: string[] = [];
    const counting: EngineHost = {
      readTextFile: (path) => {
        reads.push(path);
        return Promise.resolve('{ "my.Source": "web" }');
      },
      getSecret: (name) => {
        secrets.push(name);
        return Promise.resolve('a-secret-long-enough-1234');
      },
    };
    const text = definition(service.url, { headers: { 'Content-Type': 'application/json', 'X-Key': '{{my.Key}}', 'X-Source': '{{my.Source}}' }, test: { tokens: { 'my.Key': { secret: 'api-key' } } } });
    const runs = await collect(runLeadList({ text, file: '/w/e.webhook.jsonc', host: counting, leads: leadsOf(30), tokensFile: '/w/program.tokens.json', concurrency: 5 }));
    assert.equal(runs.length, 30);
    assert.ok(runs.every((r) => r.result.request?.headers['X-Source'] === 'web' && r.result.request.headers['X-Key'] === '••••'), 'every lead has the values');
    assert.deepEqual(reads, ['/w/program.tokens.json']);
    assert.deepEqual(secrets, ['api-key']);
  });

  void test('a secret that is not set stops the whole list', async () => {
    reset();
    const text = definition(service.url, { headers: { 'Content-Type': 'application/json', 'X-Key': '{{my.Key}}' }, test: { tokens: { 'my.Key': { secret: 'api-key' } } } });
    await assert.rejects(collect(runLeadList({ text, file: '/w/e.webhook.jsonc', host, leads: leadsOf(5) })), (e: unknown) => e instanceof RunInputError && e.problem === 'secret-missing');
    assert.equal(service.received, 0);
  });

  void test('the summary: by category and code, fields written, values refused, drain estimate', async () => {
    reset();
    // lead1-4: 200 with a company and a good number; lead5-6: "many" employees; lead7: 404; lead8: a server error.
    service.answer = (email, res) => {
      const n = Number(/\d+/.exec(email)?.[0]);
      if (n === 7) { res.statusCode = 404; res.statusMessage = 'Not Found'; res.end('{"error":"no"}'); return; }
      if (n === 8) { res.statusCode = 503; res.end('{}'); return; }
      res.end(JSON.stringify({ company: `Co ${n}`, employees: n >= 5 ? 'many' : n * 10 }));
    };
    const summary = new LeadListSummary(8);
    const latencies: number[] = [];
    for await (const run of runLeadList({ text: definition(service.url), file: '/w/e.webhook.jsonc', host, leads: leadsOf(8), concurrency: 2 })) {
      summary.add(run);
      latencies.push(run.latencyMs);
      assert.ok(run.latencyMs > 0 && run.latencyMs === run.result.response?.durationMs);
    }
    const doc = summary.document();
    assert.deepEqual({ ...doc, durationMs: 0, estimatedDrainMs: 0 }, {
      leads: 8, completed: 8, cancelled: false,
      byCategory: { success: 6, 'client-error': 1, 'server-error': 1 },
      byCode: { 200: 6, 404: 1, 503: 1 },
      mappingsWritten: { Company: 6, NumberOfEmployees: 4 },
      valuesRefused: {
        NumberOfEmployees: {
          count: 2,
          examples: doc.valuesRefused.NumberOfEmployees?.examples.map((e) => ({ ...e, value: 'many', reason: e.reason })) ?? [],
        },
      },
      durationMs: 0, estimatedDrainMs: 0,
    });
    const examples = doc.valuesRefused.NumberOfEmployees?.examples ?? [];
    assert.deepEqual(examples.map((e) => e.lead).sort(), [5, 6]);
    for (const e of examples) assert.match(e.reason, /integer field/);
    const total = latencies.reduce((a, b) => a + b, 0);
    assert.equal(doc.estimatedDrainMs, estimateDrainMs(total, Math.max(...latencies)));
    assert.equal(summary.allSucceeded, false);
  });

  void test('the examples of refused values are bounded, whatever the list\'s size', () => {
    const summary = new LeadListSummary(1000);
    for (let lead = 1; lead <= 1000; lead++) {
      summary.add({
        lead, latencyMs: 1,
        result: {
          definition: { name: 'x', file: 'x' }, request: null, response: null, handling: null, assumptions: [], diagnostics: [],
          classification: { code: 200, category: 'success', errorType: null, standardPhrase: null, title: '200', network: null, mappingsApplied: true },
          mappings: [{ responseAttribute: 'n', marketoField: 'NumberOfEmployees', status: 'skipped', value: 'x', reason: 'not a number', note: null }],
        },
      });
    }
    const doc = summary.document();
    assert.equal(doc.valuesRefused.NumberOfEmployees?.count, 1000);
    assert.equal(doc.valuesRefused.NumberOfEmployees?.examples.length, 3);
    assert.equal(summary.allSucceeded, true);
  });

  void test('the drain estimate: the calls\' time shared by 20 connections, never below the slowest call', () => {
    // Adobe's example: 100,000 calls of 50 ms are 5,000 s of calls; through 20 connections, 250 s.
    assert.equal(estimateDrainMs(100_000 * 50, 50), 250_000);
    assert.equal(estimateDrainMs(3 * 100, 100), 100);
    assert.equal(estimateDrainMs(0, 0), 0);
  });
});
