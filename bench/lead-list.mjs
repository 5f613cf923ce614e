// `npm run bench`: a run over a list of 10,000 leads read from CSV, at concurrency 20 (Marketo's
// cap), through the engine's list runner and its summary, against the same list sent with bare
// undici.request by a pool of 20. Target: the list run at ≥0.9× of bare. Then what each part of
// the engine's per-lead work costs (no network), and the command line's peak RSS for lists of
// 2,000, 10,000 and 20,000 leads (results streamed, not held: memory should not grow with the list
// beyond the list's own text). Needs: npm run package && npm run compile-tests.
//
// Fair to both sides: the same server process, the same list, the same concurrency, connections
// kept alike (an undici Agent with the engine's connect timeout and keep-alive), an untimed round
// per side first, then alternating rounds in a rotating order; the verdict is the median of each
// round's own ratio, so load that comes and goes on the shared machine hits both sides of a round.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Agent, request } from 'undici';
import { runDefinition } from '../out/src/engine/run.js';
import { STANDARD_CATALOG } from '../out/src/engine/catalog/field-catalog.js';
import { leadFromValue } from '../out/src/engine/catalog/sample-lead.js';
import { buildRequest } from '../out/src/engine/http/build-request.js';
import { wireUrl } from '../out/src/engine/http/wire-url.js';
import { KEEP_ALIVE_MS, MARKETO_TIMEOUT_MS } from '../out/src/engine/limits.js';
import { readLeadList } from '../out/src/engine/lead-list/read-list.js';
import { runLeadList } from '../out/src/engine/lead-list/run-list.js';
import { LeadListSummary } from '../out/src/engine/lead-list/summary.js';
import { adviseOnAnswer } from '../out/src/engine/outcome/answer-advice.js';
import { AssumptionList } from '../out/src/engine/outcome/assumptions.js';
import { classifyOutcome, handlingFor } from '../out/src/engine/outcome/classification.js';
import { evaluateMappings } from '../out/src/engine/outcome/mappings.js';
import { validateDefinition } from '../out/src/engine/validate/validate.js';
import { BENCH_HOST as host, crmSyncDefinition, FIRST, LAST, machine, markdownTable, median, pool, runProcess, startServerProcess, verdict } from './lib.mjs';

const TARGET = 0.9;
const LEADS = 10_000;
const CONCURRENCY = 20;
// 21: on this shared machine single rounds scatter by ±30%; the median of more of them moves less.
const ROUNDS = 21;
const RSS_LISTS = [2_000, 10_000, 20_000];
const loadBefore = loadavg();

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
// body built by hand and sent with undici.request, the answer parsed. Its connections are kept as
// the engine keeps its own (src/engine/http/send.ts): an Agent with the same connect timeout and
// keep-alive, the same header and body timeouts; one connection per outstanding call on both sides.
const read = readLeadList(csv, 'csv', STANDARD_CATALOG);
const headers = { 'Content-Type': 'application/json', Accept: 'application/json' };
const bareAgent = new Agent({ connect: { timeout: MARKETO_TIMEOUT_MS }, keepAliveTimeout: KEEP_ALIVE_MS, keepAliveMaxTimeout: KEEP_ALIVE_MS });
async function bareLead(lead) {
  const body = JSON.stringify({ email: lead.email, firstName: lead.firstName, lastName: lead.lastName, company: lead.company, marketoId: Number(lead.id) }, null, 2);
  const res = await request(url, { method: 'PUT', headers, body, dispatcher: bareAgent, headersTimeout: MARKETO_TIMEOUT_MS, bodyTimeout: MARKETO_TIMEOUT_MS });
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

/** Wall time and this process's CPU time (the server is another process) of one call of `fn`. */
async function timed(fn) {
  const cpu = process.cpuUsage();
  const start = performance.now();
  await fn();
  const ms = performance.now() - start;
  const used = process.cpuUsage(cpu);
  return { ms, cpuUs: used.user + used.system };
}

// Warm both paths (JIT, connections), untimed.
await listRun();
await bareRun();
await engineRun();
const sides = { list: listRun, bare: bareRun, engine: engineRun };
const names = Object.keys(sides);
const rounds = Object.fromEntries(names.map((n) => [n, []]));
for (let round = 0; round < ROUNDS; round++) {
  // A rotating order: no side always runs right after the same other one.
  for (let k = 0; k < names.length; k++) {
    const name = names[(round + k) % names.length];
    rounds[name].push(await timed(sides[name]));
  }
}
const perRound = (a, b) => rounds[a].map((x, i) => rounds[b][i].ms / x.ms);
const medians = Object.fromEntries(names.map((n) => [n, median(rounds[n].map((x) => x.ms))]));
const cpuPerLead = Object.fromEntries(names.map((n) => [n, median(rounds[n].map((x) => x.cpuUs)) / LEADS]));
const ratioListBare = median(perRound('list', 'bare'));
const ratioEngineBare = median(perRound('engine', 'bare'));
const ratioListEngine = median(perRound('list', 'engine'));
const roundRatios = perRound('list', 'bare');

// What the engine's own work per lead costs, without the network: each part timed over the list
// on one canned answer (the benchmark's), in a loop, after a warm-up.
const { definition: parsed } = validateDefinition(definition, { file: '/bench/crm.webhook.jsonc', catalog: STANDARD_CATALOG });
const response = { status: 200, statusText: 'OK', headers: { 'content-type': 'application/json' }, body: ANSWER, bytes: ANSWER.length, truncated: false, durationMs: 1 };
const now = new Date();
const parts = {
  'the lead: its row read as a sample lead': (lead) => leadFromValue(lead, STANDARD_CATALOG),
  'the request: tokens rendered with JSON encoding, the body checked, the URL on the wire': (lead) => {
    const ctx = { catalog: STANDARD_CATALOG, lead: leadFromValue(lead, STANDARD_CATALOG).lead, values: new Map(), now, notes: [], assumptions: new AssumptionList() };
    wireUrl(buildRequest(parsed, ctx).url);
  },
  'the answer: mappings read from the JSON, the outcome classified, the handling advice': () => {
    const assumptions = new AssumptionList();
    const classification = classifyOutcome({ campaign: 'trigger', response, network: null });
    const mappings = evaluateMappings(parsed.responseMappings, 'JSON', response, STANDARD_CATALOG, { notes: [], assumptions });
    const handling = handlingFor(classification, { webhookName: parsed.name });
    adviseOnAnswer(handling, { webhookName: parsed.name, classification, response, responseType: 'JSON', mappings, unreadable: false, assumptions });
  },
};
const partUs = {};
for (const [name, fn] of Object.entries(parts)) {
  const times = [];
  for (let r = 0; r < 6; r++) {
    const start = performance.now();
    for (const lead of read.leads) fn(lead);
    times.push(((performance.now() - start) * 1000) / LEADS);
  }
  partUs[name] = median(times.slice(1)); // the first round warms up
}

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
await bareAgent.close();

const listRps = LEADS / (medians.list / 1000);
const bareRps = LEADS / (medians.bare / 1000);
const engineRps = LEADS / (medians.engine / 1000);
const rps = (v) => `${Math.round(v).toLocaleString('en')} req/s`;
const us = (v) => `${v.toFixed(1)} µs`;
const load = (l) => l.map((x) => x.toFixed(2)).join(', ');
console.log(`## Lead list: ${LEADS.toLocaleString('en')} leads from CSV at concurrency ${CONCURRENCY}, list run vs bare undici\n`);
console.log(
  markdownTable(
    ['side', 'requests/second (median)', 'client CPU per lead (median)', 'ratio to bare (median of rounds)', 'target', 'verdict'],
    [
      ['bare undici.request, pool of 20 + JSON.parse (list already parsed)', rps(bareRps), us(cpuPerLead.bare), '', '', ''],
      ['engine runDefinition, pool of 20 (no list: bench/throughput.mjs\'s side)', rps(engineRps), us(cpuPerLead.engine), `${ratioEngineBare.toFixed(2)}×`, '', ''],
      ['engine list run: read the CSV, runLeadList, LeadListSummary', rps(listRps), us(cpuPerLead.list), `${ratioListBare.toFixed(2)}×`, `≥${TARGET}×`, verdict(ratioListBare, TARGET, { atLeast: true })],
    ],
  ),
);
console.log(`\nEach round's list/bare ratio: ${roundRatios.map((r) => r.toFixed(2)).join(', ')}. The list run at ${ratioListEngine.toFixed(2)}× the engine's single runs in a pool (median of rounds): what the list runner, the CSV and the summary cost. ${machine()}; ${ROUNDS} rounds in a rotating order after one untimed round per side; server: a separate Node process on 127.0.0.1; load average (1, 5, 15 min) ${load(loadBefore)} before, ${load(loadavg())} after.\n`);
const partRows = Object.entries(partUs).map(([name, v]) => [name, us(v), `${((100 * v) / cpuPerLead.bare).toFixed(0)}%`]);
const partsTotal = Object.values(partUs).reduce((a, b) => a + b, 0);
partRows.push(['all three', us(partsTotal), `${((100 * partsTotal) / cpuPerLead.bare).toFixed(0)}%`]);
console.log(markdownTable(['the engine\'s own work per lead (no network, one thread)', 'time per lead (median)', 'of bare\'s CPU per lead'], partRows));
console.log(`\nWhat bare undici does not do. A CPU-bound client (a loaded machine) loses about this share of throughput to it; when the server or the network is the bottleneck, it hides in the wait.\n`);
const mb = (kb) => `${(kb / 1024).toFixed(1)} MB`;
console.log(
  markdownTable(
    ['`marketo-webhook run --leads --yes --json`', 'CSV size', 'wall time', 'peak RSS'],
    rss.map((x) => [`${x.n.toLocaleString('en')} leads`, mb(x.bytes / 1024), `${(x.ms / 1000).toFixed(2)} s`, mb(x.kb)]),
  ),
);
const first = rss[0];
const last = rss[rss.length - 1];
console.log(`\nPeak RSS of the whole process (process.resourceUsage().maxRSS at exit), NDJSON read from a pipe as it comes; ${(last.kb / first.kb).toFixed(2)}× the RSS for ${last.n / first.n}× the leads.`);
