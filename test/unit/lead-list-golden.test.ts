// The per-lead path of a list run, pinned byte for byte: a list of leads chosen to cross every
// branch of a run (secrets echoed back, a tokens file, line breaks, an empty number, an error
// inside a 200, a body that is not JSON, a 404, a reset connection, a redirect, a URL a lead's
// value breaks) run against a service on 127.0.0.1, and each result compared with the results the
// engine gave before the list run was made cheap (test/fixtures/lead-list-golden.json, written
// by this file with MWW_WRITE_GOLDEN=1). The list run and single runs must both match it.
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { RunInputError, type EngineHost } from '../../src/engine/api';
import { closeConnections } from '../../src/engine/http/send';
import { readLeadList, type LeadRow } from '../../src/engine/lead-list/read-list';
import { runLeadList } from '../../src/engine/lead-list/run-list';
import { runDefinition } from '../../src/engine/run';
import { STANDARD_CATALOG } from '../../src/engine/catalog/field-catalog';


const GOLDEN = join(process.cwd(), 'test', 'fixtures', 'lead-list-golden.json');
const SECRET = 'sk_live_golden_0123456789abcdef';
const NOW = new Date('2026-03-04T05:06:07.000Z');

/** The answer for each lead, by the word after `lead-` in its email (or website). */
function answer(kind: string, req: IncomingMessage, res: ServerResponse): void {
  res.sendDate = false; // no Date header: the results must not depend on the clock
  const json = (status: number, body: unknown, reason?: string) => {
    res.writeHead(status, reason ?? '', { 'Content-Type': 'application/json' });
    res.end(typeof body === 'string' ? body : JSON.stringify(body));
  };
  switch (kind) {
    case 'ok': return json(200, { status: 'ok', company: 'Acme Corp', employees: 120, contact: { id: 'c-1' } }, 'OK');
    case 'refused': return json(200, { company: 'Many Inc', employees: 'many' }, 'OK');
    case 'failed': return json(200, { success: false, errors: [{ code: 'E1', message: 'no quota' }] }, 'OK');
    case 'status': return json(200, '{\n  "status": "error",\n  "company": "Half Done"\n}', 'OK');
    case 'html': {
      res.writeHead(200, 'OK', { 'Content-Type': 'text/html' });
      return void res.end('<html><body>Maintenance</body></html>');
    }
    case 'missing': return json(404, { error: 'no such contact' }, 'Not Found');
    case 'noreason': return json(500, { error: 'crashed' }, '');
    case 'echo': return json(201, { company: String(req.headers['x-key']), employees: 7 }, 'Created');
    case 'empty': {
      res.writeHead(200, 'OK', { 'Content-Type': 'application/json' });
      return void res.end('  ');
    }
    case 'moved': {
      res.writeHead(302, 'Found', { Location: '/elsewhere' });
      return void res.end();
    }
    case 'reset': return void req.socket.destroy();
    default: return json(200, { company: `Co ${kind}` }, 'OK');
  }
}

async function startService(): Promise<{ url: string; server: Server }> {
  const server = createServer((req, res) => {
    let body = '';
    req.setEncoding('utf8').on('data', (c: string) => (body += c)).on('end', () => {
      answer(/lead-([a-z]+)/.exec(body + req.url)?.[1] ?? 'none', req, res);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, server };
}

/** A JSON PUT: a secret header, a tokens file, lead, my. and system tokens, three mappings. */
const jsonDefinition = (url: string) => JSON.stringify({
  name: 'Sync contact',
  url: `${url}/crm/{{lead.Id}}?source={{my.Source}}&when={{system.date}}`,
  requestType: 'PUT',
  template: '{\n  "email": {{lead.Email Address}},\n  "company": {{lead.Company Name}},\n  "employees": {{lead.Num Employees}},\n  "source": {{my.Source}}\n}',
  requestTokenEncoding: 'JSON',
  headers: { 'Content-Type': 'application/json', 'X-Key': '{{my.Key}}', 'X-Campaign': '{{my.Campaign}}' },
  responseType: 'JSON',
  responseMappings: [
    { responseAttribute: 'company', marketoField: 'Company' },
    { responseAttribute: 'employees', marketoField: 'NumberOfEmployees' },
    { responseAttribute: 'contact.id', marketoField: 'Title' },
  ],
  test: { tokens: { 'my.Key': { secret: 'api-key' }, 'my.Campaign': 'Spring' } },
});

/** A form POST (no Request Token Encoding) whose URL comes from the lead: a lead without a usable website is not sent. */
const formDefinition = () => JSON.stringify({
  name: 'Notify',
  url: '{{lead.Website}}/notify',
  requestType: 'POST',
  template: 'email={{lead.Email Address}}&name={{lead.First Name:default=friend}}',
  requestTokenEncoding: 'None',
  headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
  responseType: 'JSON',
  responseMappings: [{ responseAttribute: 'company', marketoField: 'Company' }],
});

const KINDS = ['ok', 'refused', 'failed', 'status', 'html', 'missing', 'noreason', 'echo', 'empty', 'moved', 'reset'];

function jsonLeads(): LeadRow[] {
  const rows = ['Id,Email Address,Company Name,Num Employees,First Name'];
  KINDS.forEach((kind, i) => rows.push(`${100 + i},lead-${kind}@example.com,"${kind === 'ok' ? 'Acme,\r\nInc' : `Co ""${kind}"" Ltd`}",${kind === 'refused' ? '' : 10 * i},Ada`));
  const read = readLeadList(rows.join('\r\n') + '\r\n', 'csv', STANDARD_CATALOG);
  assert.ok(read.ok);
  return read.leads;
}

const formLeads = (url: string): LeadRow[] => [
  { email: 'lead-ok@example.com', firstName: 'Grace', website: url },
  { email: 'lead-missing@example.com', firstName: '', website: url },
  { email: 'lead-none@example.com', firstName: 'Alan', website: 'not a url' },
];

const host: EngineHost = {
  readTextFile: (path) => (path === '/w/program.tokens.json' ? Promise.resolve('{ "my.Source": "Web \\"Form\\"\\nB" }') : Promise.reject(new Error('no such file'))),
  getSecret: (name) => Promise.resolve(name === 'api-key' ? SECRET : undefined),
};

/** What does not repeat from run to run (the port, times) replaced by placeholders. */
function normalize(value: unknown, origin: string): unknown {
  return JSON.parse(JSON.stringify(value, (key, v: unknown) => {
    if (key === 'durationMs' || key === 'latencyMs') return typeof v === 'number' && v > 0 ? '<ms>' : v;
    return v;
  }).replaceAll(origin.slice('http://'.length), '127.0.0.1:<port>'));
}

interface Case { name: string; text: string; leads: LeadRow[]; }

async function listResults(c: Case, origin: string): Promise<unknown[]> {
  const runs = [];
  for await (const run of runLeadList({ text: c.text, file: '/w/def.webhook.jsonc', host, leads: c.leads, tokensFile: '/w/program.tokens.json', now: NOW, concurrency: 4 })) runs.push(run);
  runs.sort((a, b) => a.lead - b.lead);
  return runs.map((run) => normalize(run, origin));
}

async function singleResults(c: Case, origin: string): Promise<unknown[]> {
  const out = [];
  for (const lead of c.leads) {
    try {
      out.push(normalize(await runDefinition({ text: c.text, file: '/w/def.webhook.jsonc', host, lead, tokensFile: '/w/program.tokens.json', now: NOW }), origin));
    } catch (error) {
      if (!(error instanceof RunInputError) || !error.result) throw error;
      out.push(normalize(error.result, origin));
    }
  }
  return out;
}

void describe('a list run, lead by lead, gives the results it gave before it was made cheap', () => {
  let service: { url: string; server: Server };
  let cases: Case[];
  before(async () => {
    service = await startService();
    cases = [
      { name: 'JSON PUT', text: jsonDefinition(service.url), leads: jsonLeads() },
      { name: 'form POST', text: formDefinition(), leads: formLeads(service.url) },
    ];
  });
  after(async () => {
    await closeConnections();
    service.server.closeAllConnections();
    await new Promise((r) => service.server.close(r));
  });

  void test('list run and single runs match test/fixtures/lead-list-golden.json', async () => {
    const got: Record<string, { list: unknown[]; single: unknown[] }> = {};
    for (const c of cases) got[c.name] = { list: await listResults(c, service.url), single: await singleResults(c, service.url) };
    const text = JSON.stringify(got, null, 1);
    assert.ok(!text.includes(SECRET), 'the secret is masked everywhere');
    if (process.env.MWW_WRITE_GOLDEN === '1') writeFileSync(GOLDEN, text + '\n');
    const golden = JSON.parse(readFileSync(GOLDEN, 'utf8')) as typeof got;
    for (const c of cases) {
      const want = golden[c.name];
      assert.ok(want, c.name);
      assert.equal(got[c.name]?.list.length, c.leads.length);
      // list results carry { lead, result, latencyMs }; single ones the result alone
      got[c.name]?.list.forEach((run, i) => assert.deepEqual(run, want.list[i], `${c.name}, lead ${i + 1} of the list run`));
      got[c.name]?.single.forEach((result, i) => assert.deepEqual(result, want.single[i], `${c.name}, lead ${i + 1} run alone`));
    }
  });
});
