// `npm run bench`: a run over a list of 10,000 leads read from CSV, at concurrency 20 (Marketo's
// cap), through the engine's list runner and its summary, against the same list sent with bare
// undici.request by a pool of 20. Target: the list run at ≥0.9× of bare. Then the command line's
// peak RSS for a list of 2,000 and of 20,000 leads (results streamed, not held: memory should not
// grow with the list beyond the list's own text). Needs: npm run package && npm run compile-tests.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { request } from 'undici';
import { runDefinition } from '../out/src/engine/run.js';
import { STANDARD_CATALOG } from '../out/src/engine/catalog/field-catalog.js';
import { readLeadList } from '../out/src/engine/lead-list/read-list.js';
import { runLeadList } from '../out/src/engine/lead-list/run-list.js';
import { LeadListSummary } from '../out/src/engine/lead-list/summary.js';
import { BENCH_HOST as host, compare, crmSyncDefinition, FIRST, LAST, machine, markdownTable, pool, runProcess, startServerProcess, verdict } from './lib.mjs';

const TARGET = 0.9;
const LEADS = 10_000;
const CONCURRENCY = 20;
const ROUNDS = 5;
const RSS_LISTS = [2_000, 20_000];

const ANSWER = JSON.stringify({ status: 'ok', contact: { id: 'c-123', role: 'Decision Maker' }, account: { name: 'Acme Corp', industry: 'Software' } });
const server = await startServerProcess({ headers: { 'Content-Type': 'application/json' }, body: ANSWER });
const url = `${server.url}/crm/v2/contacts`;

const definition = crmSyncDefinition(url, 'bench/lead-list.mjs');
/** A list as Marketo's export writes it: BOM, display names, CRLF, quoted fields where needed. */
function csvList(n) {
  const rows = ['\uFEFFId,First Name,Last Name,Email Address,Company Name'];
  for (let i = 0; i < n; i++) {
    rows.push(`${100_000 + i},${FIRST[i % FIRST.length]},${LAST[Math.floor(i / FIRST.length) % LAST.length]}-${i},lead${i}@example${i % 97}.com,"Company ${i % 1_000}, ""Ltd"""`);
  }
  return rows.join('\r\n') + '\r\n';
}
const csv = csvList(LEADS);

async function listRun() {
  const read = readLeadList(csv, 'csv', STANDARD_CATALOG);
  if (!read.ok || read.leads.length !== LEADS) throw new Error('list: not read');
  const summary = new LeadListSummary(read.leads.length);
  for await (const run of runLeadList({ text: definition, file: '/bench/crm.webhook.jsonc', host, leads: read.leads, concurrency: CONCURRENCY })) summary.add(run);
  const doc = summary.document();
  if (doc.byCode['200'] !== LEADS || doc.mappingsWritten.Company !== LEADS) throw new Error(`list: ${JSON.stringify(doc.byCode)}`);
}

// Bare: the same list (already parsed, the work the list run does on top is its own), each lead's
// body built by hand and sent with undici.request, the answer parsed.
const read = readLeadList(csv, 'csv', STANDARD_CATALOG);
const headers = { 'Content-Type': 'application/json', Accept: 'application/json' };
async function bareLead(lead) {
  const body = JSON.stringify({ email: lead.email, firstName: lead.firstName, lastName: lead.lastName, company: lead.company, marketoId: Number(lead.id) }, null, 2);
  const res = await request(url, { method: 'PUT', headers, body });
  const value = JSON.parse(await res.body.text());
  if (res.statusCode !== 200 || !value.account) throw new Error(`bare: HTTP ${res.statusCode}`);
}
const bareRun = () => pool(read.leads, CONCURRENCY, bareLead);
// The engine's single run in the same pool (bench/throughput.mjs's side): what the list runner adds
// on top of it is the gap between this side and the list's.
async function engineLead(lead) {
  const result = await runDefinition({ text: definition, file: '/bench/crm.webhook.jsonc', host, lead });
  if (result.classification?.code !== 200) throw new Error(`engine: ${result.classification?.title}`);
}
const engineRun = () => pool(read.leads, CONCURRENCY, engineLead);

// Warm both paths (JIT, connections), untimed.
await listRun();
await bareRun();
await engineRun();
const medians = await compare({ list: listRun, bare: bareRun, engine: engineRun }, { rounds: ROUNDS, warmup: 0 });

// Peak RSS of the command line (dist/cli.js) for a short and a long list, NDJSON to a pipe.
const dir = mkdtempSync(join(tmpdir(), 'mww-bench-leads-'));
writeFileSync(join(dir, 'crm.webhook.jsonc'), definition);
const CLI = fileURLToPath(new URL('../dist/cli.js', import.meta.url));
const REPORT_RSS = 'data:text/javascript,process.on("exit",()=>process.stderr.write("MAXRSS "+process.resourceUsage().maxRSS+"\\n"))';
const rss = [];
for (const n of RSS_LISTS) {
  writeFileSync(join(dir, `list-${n}.csv`), csvList(n));
  const r = await runProcess(process.execPath, ['--import', REPORT_RSS, CLI, 'run', 'crm.webhook.jsonc', '--leads', `list-${n}.csv`, '--yes', '--json'], { cwd: dir, timeoutMs: 300_000 });
  const kb = Number(/MAXRSS (\d+)/.exec(r.stderr)?.[1]);
  const lines = r.stdout.split('\n').filter((l) => l !== '').length;
  if (r.code !== 0 || lines !== n + 1 || !kb) throw new Error(`cli ${n}: exit ${r.code}, ${lines} lines, ${r.stderr.slice(0, 500)}`);
  rss.push({ n, kb, ms: r.ms, bytes: csvList(n).length });
}
rmSync(dir, { recursive: true, force: true });
await server.close();

const listRps = LEADS / (medians.list / 1000);
const bareRps = LEADS / (medians.bare / 1000);
const engineRps = LEADS / (medians.engine / 1000);
const r = listRps / bareRps;
const rps = (v) => `${Math.round(v).toLocaleString('en')} req/s`;
console.log(`## Lead list: ${LEADS.toLocaleString('en')} leads from CSV at concurrency ${CONCURRENCY}, list run vs bare undici\n`);
console.log(
  markdownTable(
    ['side', 'requests/second (median)', 'ratio list/bare', 'target', 'verdict'],
    [
      ['bare undici.request, pool of 20 + JSON.parse (list already parsed)', rps(bareRps), '', '', ''],
      ['engine runDefinition, pool of 20 (no list: bench/throughput.mjs\'s side)', rps(engineRps), `${(engineRps / bareRps).toFixed(2)}×`, '', ''],
      ['engine list run: read the CSV, runLeadList, LeadListSummary', rps(listRps), `${r.toFixed(2)}×`, `≥${TARGET}×`, verdict(r, TARGET, { atLeast: true })],
    ],
  ),
);
console.log(`\nThe list run at ${(listRps / engineRps).toFixed(2)}× the engine's single runs in a pool: what the list runner, the CSV and the summary cost. ${machine()}; ${ROUNDS} alternating rounds after one untimed round per side, medians; server: a separate Node process on 127.0.0.1.\n`);
const mb = (kb) => `${(kb / 1024).toFixed(1)} MB`;
console.log(
  markdownTable(
    ['`marketo-webhook run --leads --yes --json`', 'CSV size', 'wall time', 'peak RSS'],
    rss.map((x) => [`${x.n.toLocaleString('en')} leads`, mb(x.bytes / 1024), `${(x.ms / 1000).toFixed(2)} s`, mb(x.kb)]),
  ),
);
console.log(`\nPeak RSS of the whole process (process.resourceUsage().maxRSS at exit), NDJSON read from a pipe as it comes; ${(rss[1].kb / rss[0].kb).toFixed(2)}× the RSS for ${(RSS_LISTS[1] / RSS_LISTS[0])}× the leads.`);
