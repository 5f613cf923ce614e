// `npm run bench`: the command line against its peers, as whole processes. One templated POST with
// a JSON answer, sent to a node:http server on 127.0.0.1 by
//   marketo-webhook run   (node dist/cli.js: a definition and a sample lead, JSON token encoding,
//                          the key from a secret, one response mapping read from the answer)
//   httpyac send          (an .http file: file variables, the key from $processEnv, an assertion on the body)
//   bru run               (a Bruno collection: an environment, the key from process.env, an assertion)
// Each sends the same body with the same lead values, the same Content-Type and Authorization,
// and parses and prints the JSON answer. Every round spawns the three in turn (the order rotates)
// and waits for each to exit; the medians of wall time are compared.
// Target: marketo-webhook faster than both. A missed target is reported, not an error (exit 0).
//
// The peers are heavy (hundreds of packages), so they are not dependencies of the project: they
// live in bench/peers/ with their own lockfile and are installed there on first use with npm ci.
// Needs: npm run build (done here when dist/cli.js is missing).
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { stripVTControlCharacters } from 'node:util';
import { machine, markdownTable, median, ms, ratio, runProcess, startServer } from './lib.mjs';

const ROUNDS = 15;
const WARMUP = 2;
const TIMEOUT_MS = 30_000;

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const PEERS = join(ROOT, 'bench', 'peers');
const CLI = join(ROOT, 'dist', 'cli.js');
const LEAD_FILE = join(ROOT, 'examples', 'ada.lead.json');
const PATH = '/enrich/v1/person';
const API_KEY = 'bench-key-7f3a';

// ---------------------------------------------------------------------------------------------
// What is needed: the built command line, and the peers in bench/peers/node_modules.

if (!existsSync(CLI)) {
  console.error('dist/cli.js is missing: npm run build');
  const built = spawnSync('npm', ['run', 'build'], { cwd: ROOT, stdio: ['ignore', 2, 2] });
  if (built.status !== 0 || !existsSync(CLI)) {
    console.error(`npm run build failed (exit ${built.status ?? built.signal}): cannot time marketo-webhook`);
    process.exit(1);
  }
}

const PEER_BINS = {
  httpyac: join(PEERS, 'node_modules', 'httpyac', 'bin', 'httpyac.js'),
  bru: join(PEERS, 'node_modules', '@usebruno', 'cli', 'bin', 'bru.js'),
};
let installFailure = null;
if (!existsSync(join(PEERS, 'node_modules')) || !Object.values(PEER_BINS).every((bin) => existsSync(bin))) {
  console.error('bench/peers/node_modules is missing: installing httpyac and @usebruno/cli there with npm ci (first use only, under a minute)');
  const installed = spawnSync('npm', ['ci', '--prefix', PEERS, '--no-audit', '--no-fund'], { cwd: ROOT, stdio: ['ignore', 2, 2] });
  if (installed.status !== 0) installFailure = `npm ci in bench/peers failed (exit ${installed.status ?? installed.error?.code ?? installed.signal})`;
}

const version = (dir) => {
  try {
    return JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')).version;
  } catch {
    return '?';
  }
};

// ---------------------------------------------------------------------------------------------
// The service, and the request every tool must make.

const lead = JSON.parse(readFileSync(LEAD_FILE, 'utf8'));
const EMAIL = lead['Email Address'];
const COMPANY_HINT = lead['Company Name'];
// The peers put the values between quotes in their templates: they must need no JSON escaping.
for (const value of [EMAIL, COMPANY_HINT]) {
  if (JSON.stringify(value) !== `"${value}"`) throw new Error(`the sample lead's ${value} needs JSON escaping`);
}
const EXPECTED_BODY = `{"email": "${EMAIL}", "companyHint": "${COMPANY_HINT}"}`;
const COMPANY = 'Analytical Engines Ltd';
const ANSWER = JSON.stringify({
  person: { fullName: 'Ada Lovelace', title: 'Head of Computing' },
  company: { name: COMPANY, metrics: { employees: 1200 }, tech: ['Salesforce', 'Marketo'] },
});

const received = [];
const server = await startServer((req, body, res) => {
  received.push({ method: req.method, url: req.url, headers: req.headers, body });
  if (req.method !== 'POST' || req.url !== PATH) {
    res.writeHead(404, { 'Content-Type': 'text/plain' }).end('not found');
    return;
  }
  res.writeHead(200, { 'Content-Type': 'application/json; charset=utf-8' }).end(ANSWER);
});

// ---------------------------------------------------------------------------------------------
// Each tool's request file, written in its own format, in a temporary folder.

const dir = mkdtempSync(join(tmpdir(), 'mww-cli-peers-'));
process.on('exit', () => rmSync(dir, { recursive: true, force: true }));

writeFileSync(
  join(dir, 'bench.webhook.jsonc'),
  `// bench/cli-peers.mjs
{
  "name": "Enrich company on signup",
  "url": "${server.url}${PATH}",
  "requestType": "POST",
  "template": "{\\"email\\": {{lead.Email Address}}, \\"companyHint\\": {{lead.Company Name}}}",
  "requestTokenEncoding": "JSON",
  "headers": { "Content-Type": "application/json", "Authorization": "Bearer {{my.Enrich API Key}}" },
  "responseType": "JSON",
  "responseMappings": [ { "responseAttribute": "company.name", "marketoField": "Company" } ],
  "test": { "tokens": { "my.Enrich API Key": { "secret": "ENRICH_API_KEY" } } }
}
`,
);
copyFileSync(LEAD_FILE, join(dir, 'ada.lead.json'));

writeFileSync(
  join(dir, 'enrich.http'),
  `# bench/cli-peers.mjs
@email = ${EMAIL}
@companyHint = ${COMPANY_HINT}

POST ${server.url}${PATH}
Content-Type: application/json
Authorization: Bearer {{$processEnv BENCH_API_KEY}}

{"email": "{{email}}", "companyHint": "{{companyHint}}"}

?? body company.name == ${COMPANY}
`,
);

const bruno = join(dir, 'bruno');
mkdirSync(join(bruno, 'environments'), { recursive: true });
writeFileSync(join(bruno, 'bruno.json'), `${JSON.stringify({ version: '1', name: 'bench', type: 'collection', ignore: ['node_modules', '.git'] }, null, 2)}\n`);
writeFileSync(
  join(bruno, 'environments', 'bench.bru'),
  `vars {
  baseUrl: ${server.url}
  email: ${EMAIL}
  companyHint: ${COMPANY_HINT}
}
`,
);
writeFileSync(
  join(bruno, 'enrich.bru'),
  `meta {
  name: enrich
  type: http
  seq: 1
}

post {
  url: {{baseUrl}}${PATH}
  body: json
  auth: none
}

headers {
  Content-Type: application/json
  Authorization: Bearer {{process.env.BENCH_API_KEY}}
}

body:json {
  {"email": "{{email}}", "companyHint": "{{companyHint}}"}
}

assert {
  res.body.company.name: eq ${COMPANY}
}
`,
);

// ---------------------------------------------------------------------------------------------
// The tools. Every one is started as `node <its entry script>`, with the same environment.

const env = { ...process.env, NO_COLOR: '1', MARKETO_WEBHOOK_SECRET_ENRICH_API_KEY: API_KEY, BENCH_API_KEY: API_KEY };
delete env.FORCE_COLOR;

const ours = {
  tool: `marketo-webhook ${version(ROOT)}`,
  command: '`marketo-webhook run bench.webhook.jsonc --lead ada.lead.json`',
  args: [CLI, 'run', 'bench.webhook.jsonc', '--lead', 'ada.lead.json'],
  cwd: dir,
};
const peers = [
  {
    tool: `httpyac ${version(join(PEERS, 'node_modules', 'httpyac'))}`,
    command: '`httpyac send enrich.http --all`',
    args: [PEER_BINS.httpyac, 'send', 'enrich.http', '--all'],
    cwd: dir,
  },
  {
    tool: `bru (@usebruno/cli ${version(join(PEERS, 'node_modules', '@usebruno', 'cli'))})`,
    command: '`bru run enrich.bru --env bench`',
    args: [PEER_BINS.bru, 'run', 'enrich.bru', '--env', 'bench'],
    cwd: bruno,
  },
];
const tools = [ours, ...peers];
// What costs time in ours: Node's own start and exit, and the command without the HTTP client.
const references = [
  { name: 'node -e 0', args: ['-e', '0'], cwd: dir },
  { name: 'marketo-webhook validate bench.webhook.jsonc', args: [CLI, 'validate', 'bench.webhook.jsonc'], cwd: dir },
];

const oneLine = (text) => stripVTControlCharacters(text).replace(/\s+/g, ' ').trim().replace(/\|/g, '\\|');
const clip = (text, max = 100) => (text.length > max ? `${text.slice(0, max - 1)}…` : text);

/**
 * Runs a tool once: `{ ms, failure }`, where failure is why it did not do the job, or null when it
 * exited 0 after sending the one request expected and printing the answer.
 */
async function runChecked(t) {
  const before = received.length;
  const r = await runProcess(process.execPath, t.args, { cwd: t.cwd, env, timeoutMs: TIMEOUT_MS });
  const got = received.slice(before);
  let failure = null;
  if (r.error) failure = r.error.message;
  else if (r.code !== 0) failure = `exit ${r.code ?? r.signal}: ${clip(oneLine(r.stderr || r.stdout) || 'no output')}`;
  else if (got.length !== 1) failure = `exit 0 but ${got.length} requests reached the server`;
  else {
    const [q] = got;
    if (q.method !== 'POST' || q.url !== PATH) failure = `sent ${q.method} ${q.url}`;
    else if (q.body !== EXPECTED_BODY) {
      let at = 0;
      while (q.body[at] === EXPECTED_BODY[at]) at++;
      failure = `sent another body, differing at character ${at}: …${clip(oneLine(q.body.slice(Math.max(0, at - 20))), 60)}`;
    } else if (!/^application\/json\b/.test(q.headers['content-type'] ?? '')) failure = `sent Content-Type ${q.headers['content-type']}`;
    else if (q.headers.authorization !== `Bearer ${API_KEY}`) failure = 'sent another Authorization';
    else if (!r.stdout.includes(COMPANY)) failure = `did not print the answer's company.name`;
  }
  return { ms: r.ms, failure };
}

// Each tool once, checked, before any timing: a tool that fails silently would be measured as fast.
for (const t of peers) if (installFailure) t.failure = installFailure;
for (const t of tools) {
  if (t.failure) continue;
  t.failure = (await runChecked(t)).failure;
  if (t.failure) console.error(`${t.tool} did not do the job and is not timed: ${t.failure}`);
}
if (ours.failure) {
  await server.close();
  console.error(`marketo-webhook run failed (${ours.failure}): nothing to compare with`);
  process.exit(1);
}

// Interleaved rounds: each round runs every tool once, starting with a different one each time.
const times = new Map([...tools, ...references].map((t) => [t, []]));
const entries = [...tools, ...references];
for (let round = 0; round < WARMUP + ROUNDS; round++) {
  for (let i = 0; i < entries.length; i++) {
    const t = entries[(round + i) % entries.length];
    if (t.failure) continue;
    let elapsed;
    if (t.name) {
      const r = await runProcess(process.execPath, t.args, { cwd: t.cwd, env, timeoutMs: TIMEOUT_MS });
      if (r.code !== 0) t.failure = `exit ${r.code ?? r.signal}`;
      elapsed = r.ms;
    } else {
      const r = await runChecked(t);
      if (r.failure) {
        t.failure = `failed in round ${round + 1}: ${r.failure}`;
        console.error(`${t.tool} ${t.failure}`);
      }
      elapsed = r.ms;
    }
    if (round >= WARMUP) times.get(t).push(elapsed);
  }
}
await server.close();
if (ours.failure) {
  console.error(`marketo-webhook run ${ours.failure}: nothing to compare with`);
  process.exit(1);
}

const oursMedian = median(times.get(ours));
const rows = [[ours.tool, ours.command, ms(oursMedian), '1.00×', '— (baseline)']];
for (const t of peers) {
  if (t.failure) {
    rows.push([t.tool, t.command, `not run (${t.failure})`, '—', '—']);
    continue;
  }
  const m = median(times.get(t));
  const v = oursMedian < m ? 'met' : `missed by ${(((oursMedian - m) / m) * 100).toFixed(1)}%`;
  rows.push([t.tool, t.command, ms(m), ratio(m, oursMedian), v]);
}

console.log('## Command line vs peers: one templated POST with a JSON answer, as a whole process (target: marketo-webhook faster than each)\n');
console.log(markdownTable(['tool', 'command', 'median wall time', 'ratio vs marketo-webhook', 'verdict (ours faster)'], rows));
console.log(
  `\n${machine()}; ${ROUNDS} interleaved rounds after ${WARMUP} warm-up rounds, median wall time from spawn to exit of \`node <tool's entry script>\` (stdout piped, NO_COLOR); ` +
    `every run checked: exit 0, exactly one POST with the expected body and headers on a node:http server on 127.0.0.1, the answer printed. Ratio: the tool's median ÷ marketo-webhook's.`,
);
const ref = references.map((t) => (t.failure ? `\`${t.name}\` failed (${t.failure})` : `\`${t.name}\` ${ms(median(times.get(t)))}`));
console.log(`\nReference points in the same rounds: ${ref.join('; ')} (loads the command, reads and validates the definition; no HTTP client, nothing sent); \`marketo-webhook run\` ${ms(oursMedian)}.`);
