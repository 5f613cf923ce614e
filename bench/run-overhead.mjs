// `npm run bench`: what a run through the engine costs over the bare HTTP call it makes.
// N sequential runs of a JSON definition with response mappings (runDefinition: validation, lead,
// tokens, request, send, classification, mappings, masking) against the same N requests made
// with undici.request on its global dispatcher and JSON.parse of the body, as a plain user would.
// Target: the engine within 1.15× of bare. Needs: npm run build && npm run compile-tests.
import { request } from 'undici';
import { runDefinition } from '../out/src/engine/run.js';
import { compare, machine, markdownTable, ratio, startServerProcess, verdict, ms } from './lib.mjs';

const TARGET = 1.15;
const RUNS = 200;
const ROUNDS = 31;
const WARMUP = 3;

const ANSWER = JSON.stringify({
  person: { fullName: 'Ada Lovelace', title: 'Head of Computing' },
  company: { name: 'Analytical Engines Ltd', metrics: { employees: 1200 }, tech: ['Salesforce', 'Marketo'] },
});
const server = await startServerProcess({ headers: { 'Content-Type': 'application/json' }, body: ANSWER });

const definition = `// bench/run-overhead.mjs
{
  "name": "Enrich company on signup",
  "url": "${server.url}/enrich/v1/person",
  "requestType": "POST",
  "template": "{\\"email\\": {{lead.Email Address}}, \\"companyHint\\": {{lead.Company Name}}}",
  "requestTokenEncoding": "JSON",
  "headers": { "Content-Type": "application/json", "Authorization": "Bearer {{my.Enrich API Key}}" },
  "responseType": "JSON",
  "responseMappings": [
    { "responseAttribute": "company.name", "marketoField": "Company" },
    { "responseAttribute": "company.metrics.employees", "marketoField": "NumberOfEmployees" },
    { "responseAttribute": "company.tech[0]", "marketoField": "MktoCompanyNotes" },
    { "responseAttribute": "person.title", "marketoField": "Title" }
  ],
  "test": { "lead": "ada.lead.json", "tokens": { "my.Enrich API Key": { "secret": "ENRICH_API_KEY" } } }
}
`;
const LEAD = JSON.stringify({ 'First Name': 'Ada', 'Last Name': 'Lovelace', 'Email Address': 'ada@analytical-engines.example', 'Company Name': 'Analytical Engines' });
// The files and secrets come from memory: the engine's work is measured, not the disk's.
const host = {
  readTextFile: () => Promise.resolve(LEAD),
  getSecret: () => Promise.resolve('demo-key'),
};
const options = { text: definition, file: '/bench/enrich.webhook.jsonc', host };

// The request the engine builds, made by hand for the bare side.
const probe = await runDefinition(options);
if (probe.classification?.code !== 200 || probe.mappings.some((m) => m.status !== 'applied')) {
  console.error(`the engine's run did not succeed: ${JSON.stringify(probe.classification)} ${JSON.stringify(probe.mappings)}`);
  process.exit(1);
}
const url = probe.request.url;
const method = probe.request.method;
const headers = { ...probe.request.headers, Authorization: 'Bearer demo-key' };
const body = probe.request.body;

async function engineRuns() {
  for (let i = 0; i < RUNS; i++) {
    const result = await runDefinition(options);
    if (result.classification?.code !== 200) throw new Error(`engine: ${result.classification?.title}`);
  }
}

async function bareRuns() {
  for (let i = 0; i < RUNS; i++) {
    const res = await request(url, { method, headers, body });
    const value = JSON.parse(await res.body.text());
    if (res.statusCode !== 200 || !value.company) throw new Error(`bare: HTTP ${res.statusCode}`);
  }
}

const medians = await compare({ engine: engineRuns, bare: bareRuns }, { rounds: ROUNDS, warmup: WARMUP });
await server.close();

const engine = medians.engine / RUNS;
const bare = medians.bare / RUNS;
console.log('## Run overhead: runDefinition vs bare undici.request + JSON.parse\n');
console.log(
  markdownTable(
    ['side', 'median per run', 'ratio', 'target', 'verdict'],
    [
      ['bare undici.request (global dispatcher) + JSON.parse', ms(bare), '1.00×', '', ''],
      ['engine runDefinition (JSON, 4 response mappings)', ms(engine), ratio(engine, bare), `≤${TARGET}×`, verdict(engine / bare, TARGET)],
    ],
  ),
);
console.log(`\n${machine()}; ${ROUNDS} alternating rounds of ${RUNS} sequential runs per side after ${WARMUP} warm-up rounds; server: a separate Node process on 127.0.0.1.`);
