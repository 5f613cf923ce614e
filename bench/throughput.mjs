// `npm run bench`: requests per second through the engine at Marketo's concurrency (20 calls at
// a time), 10,000 distinct sample leads, against the same loop with bare undici.request.
// Target: the engine at ≥0.85× of bare. Needs: npm run build && npm run compile-tests.
import { request } from 'undici';
import { runDefinition } from '../out/src/engine/run.js';
import { BENCH_HOST as host, compare, crmSyncDefinition, FIRST, LAST, machine, markdownTable, pool, startServerProcess, verdict } from './lib.mjs';

const TARGET = 0.85;
const LEADS = 10_000;
const CONCURRENCY = 20;
const ROUNDS = 5;

const ANSWER = JSON.stringify({ status: 'ok', contact: { id: 'c-123', role: 'Decision Maker' }, account: { name: 'Acme Corp', industry: 'Software' } });
const server = await startServerProcess({ headers: { 'Content-Type': 'application/json' }, body: ANSWER });

const definition = crmSyncDefinition(`${server.url}/crm/v2/contacts`, 'bench/throughput.mjs');
const leads = Array.from({ length: LEADS }, (_, i) => ({
  Id: 100_000 + i,
  'First Name': FIRST[i % FIRST.length],
  'Last Name': `${LAST[Math.floor(i / FIRST.length) % LAST.length]}-${i}`,
  'Email Address': `lead${i}@example${i % 97}.com`,
  'Company Name': `Company ${i % 1_000} "Ltd"`,
}));

const url = `${server.url}/crm/v2/contacts`;
const headers = { 'Content-Type': 'application/json', Accept: 'application/json' };

async function engineLead(lead) {
  const result = await runDefinition({ text: definition, file: '/bench/crm.webhook.jsonc', host, lead });
  if (result.classification?.code !== 200 || result.mappings[0]?.status !== 'applied') throw new Error(`engine: ${result.classification?.title}`);
}

async function bareLead(lead) {
  const body = JSON.stringify(
    { email: lead['Email Address'], firstName: lead['First Name'], lastName: lead['Last Name'], company: lead['Company Name'], marketoId: lead.Id },
    null,
    2,
  );
  const res = await request(url, { method: 'PUT', headers, body });
  const value = JSON.parse(await res.body.text());
  if (res.statusCode !== 200 || !value.account) throw new Error(`bare: HTTP ${res.statusCode}`);
}

// Warm both paths (JIT, connections) with a slice of the leads, untimed.
await pool(leads.slice(0, 1_000), CONCURRENCY, engineLead);
await pool(leads.slice(0, 1_000), CONCURRENCY, bareLead);

const medians = await compare(
  { engine: () => pool(leads, CONCURRENCY, engineLead), bare: () => pool(leads, CONCURRENCY, bareLead) },
  { rounds: ROUNDS, warmup: 0 },
);
await server.close();

const engineRps = LEADS / (medians.engine / 1000);
const bareRps = LEADS / (medians.bare / 1000);
const r = engineRps / bareRps;
const rps = (v) => `${Math.round(v).toLocaleString('en')} req/s`;
console.log(`## Throughput: ${LEADS.toLocaleString('en')} leads at concurrency ${CONCURRENCY}, engine vs bare undici\n`);
console.log(
  markdownTable(
    ['side', 'requests/second (median)', 'ratio engine/bare', 'target', 'verdict'],
    [
      ['bare undici.request (global dispatcher) + JSON.parse', rps(bareRps), '', '', ''],
      ['engine runDefinition (JSON, 3 response mappings)', rps(engineRps), `${r.toFixed(2)}×`, `≥${TARGET}×`, verdict(r, TARGET, { atLeast: true })],
    ],
  ),
);
console.log(`\n${machine()}; ${ROUNDS} alternating rounds of ${LEADS.toLocaleString('en')} distinct leads per side (after 1,000 untimed per side), medians; server: a separate Node process on 127.0.0.1.`);
