// Shared pieces of `npm run bench`: medians, ratios, markdown tables and a loopback server.
// Benchmarks report ratios measured in the same run, never absolute pass/fail timings in tests.
import { createServer } from 'node:http';
import { cpus, totalmem } from 'node:os';

export function median(values) {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/** Milliseconds with a precision that suits the size. */
export function ms(value) {
  if (!Number.isFinite(value)) return 'n/a';
  if (value >= 100) return `${Math.round(value)} ms`;
  if (value >= 1) return `${value.toFixed(2)} ms`;
  return `${(value * 1000).toFixed(1)} µs`;
}

export function ratio(value, baseline) {
  return `${(value / baseline).toFixed(2)}×`;
}

/** `met` or `missed by N%` for a ratio that should stay at or below `limit` (or at/above, when `atLeast`). */
export function verdict(value, limit, { atLeast = false } = {}) {
  const ok = atLeast ? value >= limit : value <= limit;
  if (ok) return 'met';
  const by = atLeast ? (limit - value) / limit : (value - limit) / limit;
  return `missed by ${(by * 100).toFixed(1)}%`;
}

export function markdownTable(headers, rows) {
  const line = (cells) => `| ${cells.join(' | ')} |`;
  return [line(headers), line(headers.map(() => '---')), ...rows.map(line)].join('\n');
}

/**
 * Times `fn` `repeats` times after `warmup` untimed calls; returns every duration in ms.
 * Alternating callers (see `compare`) keeps drift from favouring one side.
 */
export async function sample(fn, { repeats, warmup = 3 }) {
  for (let i = 0; i < warmup; i++) await fn();
  const times = [];
  for (let i = 0; i < repeats; i++) {
    const start = performance.now();
    await fn();
    times.push(performance.now() - start);
  }
  return times;
}

/** Runs each named function in turn, round after round, and returns the median of each. */
export async function compare(fns, { rounds, warmup = 3 }) {
  const names = Object.keys(fns);
  for (let i = 0; i < warmup; i++) for (const name of names) await fns[name]();
  const times = Object.fromEntries(names.map((n) => [n, []]));
  for (let round = 0; round < rounds; round++) {
    for (const name of names) {
      const start = performance.now();
      await fns[name]();
      times[name].push(performance.now() - start);
    }
  }
  return Object.fromEntries(names.map((n) => [n, median(times[n])]));
}

/** An HTTP server on 127.0.0.1 with an ephemeral port. `handler(req, body, res)`. */
export async function startServer(handler) {
  const server = createServer((req, res) => {
    const chunks = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', () => handler(req, Buffer.concat(chunks).toString('utf8'), res));
  });
  server.keepAliveTimeout = 5000;
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address();
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** One line about the machine, for the tables' captions. */
export function machine() {
  const cpu = cpus();
  return `${cpu.length} × ${cpu[0]?.model.trim() ?? 'unknown CPU'}, ${Math.round(totalmem() / 2 ** 30)} GiB, Node ${process.version}, ${process.platform}`;
}

/**
 * `startServer` in a child Node process answering every request with one fixed response, so the
 * server's work runs beside the client (on another core) instead of inside its event loop.
 * Resolves with `{ url, close }`; the child also exits when this process does (its stdin closes).
 */
export async function startServerProcess({ status = 200, headers = {}, body = '' } = {}) {
  const { spawn } = await import('node:child_process');
  const libUrl = import.meta.url;
  const code = `
    import { startServer } from ${JSON.stringify(libUrl)};
    const { status, headers, body } = JSON.parse(process.argv[1]);
    const server = await startServer((req, _body, res) => { res.writeHead(status, headers); res.end(body); });
    process.stdout.write(server.url + '\\n');
    process.stdin.on('end', () => server.close().then(() => process.exit(0)));
    process.stdin.resume();
  `;
  const child = spawn(process.execPath, ['--input-type=module', '-e', code, JSON.stringify({ status, headers, body })], {
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  const url = await new Promise((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => reject(new Error('the server process did not start within 10 s')), 10_000);
    child.once('error', reject);
    child.once('exit', (code) => reject(new Error(`the server process exited (${code})`)));
    child.stdout.on('data', (chunk) => {
      out += chunk;
      const line = out.split('\n')[0];
      if (out.includes('\n')) {
        clearTimeout(timer);
        resolve(line.trim());
      }
    });
  });
  child.removeAllListeners('exit');
  return {
    url,
    close: () =>
      new Promise((resolve) => {
        if (child.exitCode !== null) return resolve();
        const timer = setTimeout(() => child.kill(), 2000);
        child.once('exit', () => {
          clearTimeout(timer);
          resolve();
        });
        child.stdin.end();
      }),
  };
}

/** Runs `fn(item)` for every item, at most `concurrency` at a time (a bounded worker pool). */
export async function pool(items, concurrency, fn) {
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      await fn(items[i], i);
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, items.length) }, worker));
}

/**
 * Spawns `command args` and waits for it: `{ ms, code, signal, stdout, stderr, error }`. `ms` is the
 * wall time from spawn to the process's exit, as a shell would see it; stdin is closed, so a tool
 * that would prompt cannot hang, and a process still running after `timeoutMs` is killed.
 */
export async function runProcess(command, args, { cwd, env, timeoutMs = 60_000 } = {}) {
  const { spawn } = await import('node:child_process');
  return new Promise((resolve) => {
    const out = [];
    const err = [];
    let ended = NaN;
    let error;
    const start = performance.now();
    const child = spawn(command, args, { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
    const timer = setTimeout(() => {
      error = new Error(`still running after ${timeoutMs} ms: killed`);
      child.kill('SIGKILL');
    }, timeoutMs);
    child.stdout.on('data', (c) => out.push(c));
    child.stderr.on('data', (c) => err.push(c));
    const finish = (code, signal) => {
      clearTimeout(timer);
      if (Number.isNaN(ended)) ended = performance.now();
      resolve({ ms: ended - start, code, signal, stdout: Buffer.concat(out).toString('utf8'), stderr: Buffer.concat(err).toString('utf8'), error });
    };
    child.once('error', (e) => {
      error = e;
      if (child.pid === undefined) finish(null, null); // never started: no 'close' to wait for
    });
    child.once('exit', () => (ended = performance.now()));
    child.once('close', finish);
  });
}

/** The webhook the throughput and lead-list benchmarks run: a PUT of a contact with JSON tokens and three mappings. */
export function crmSyncDefinition(url, label) {
  return `// ${label}
{
  "name": "Sync contact to CRM",
  "url": "${url}",
  "requestType": "PUT",
  "template": [
    "{",
    "  \\"email\\": {{lead.Email Address}},",
    "  \\"firstName\\": {{lead.First Name}},",
    "  \\"lastName\\": {{lead.Last Name}},",
    "  \\"company\\": {{lead.Company Name}},",
    "  \\"marketoId\\": {{lead.Id}}",
    "}"
  ],
  "requestTokenEncoding": "JSON",
  "headers": { "Content-Type": "application/json", "Accept": "application/json" },
  "responseType": "JSON",
  "responseMappings": [
    { "responseAttribute": "account.name", "marketoField": "Company" },
    { "responseAttribute": "account.industry", "marketoField": "Industry" },
    { "responseAttribute": "contact.role", "marketoField": "LeadRole" }
  ]
}
`;
}

/** A host with no files and no secrets: the benchmarks' definitions need neither. */
export const BENCH_HOST = {
  readTextFile: () => Promise.reject(new Error('no files in this benchmark')),
  getSecret: () => Promise.resolve(undefined),
};

/** Names for the benchmarks' generated leads. */
export const FIRST = ['Ada', 'Grace', 'Alan', 'Katherine', 'Edsger', 'Barbara', 'Donald', 'Frances', 'John', 'Radia'];
export const LAST = ['Lovelace', 'Hopper', 'Turing', 'Johnson', 'Dijkstra', 'Liskov', 'Knuth', 'Allen', 'Backus', 'Perlman'];
