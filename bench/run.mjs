// `npm run bench`: every benchmark in turn, each in a process of its own so one cannot warm or
// load another, and their tables collected in test-results/bench.md (docs/performance.md quotes
// them). `npm run bench -- validation throughput` runs just those.
import { spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { machine } from './lib.mjs';

const HERE = dirname(fileURLToPath(import.meta.url));
const BENCHMARKS = {
  validation: 'validation.mjs',
  'run-overhead': 'run-overhead.mjs',
  throughput: 'throughput.mjs',
  'lead-list': 'lead-list.mjs',
  'cli-peers': 'cli-peers.mjs',
  editor: 'editor.mjs',
};

const asked = process.argv.slice(2);
const unknown = asked.filter((name) => !BENCHMARKS[name]);
if (unknown.length > 0) {
  console.error(`unknown benchmark: ${unknown.join(', ')}; benchmarks: ${Object.keys(BENCHMARKS).join(', ')}`);
  process.exit(2);
}
const names = asked.length > 0 ? asked : Object.keys(BENCHMARKS);

const sections = [];
let failed = 0;
for (const name of names) {
  console.log(`\n=== ${name} ===`);
  const started = Date.now();
  const r = spawnSync(process.execPath, [join(HERE, BENCHMARKS[name])], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'], maxBuffer: 64 * 1024 * 1024 });
  process.stdout.write(r.stdout ?? '');
  const seconds = ((Date.now() - started) / 1000).toFixed(0);
  if (r.status !== 0) {
    failed++;
    console.error(`${name} failed (exit ${r.status ?? r.signal})`);
    sections.push(`## ${name}\n\nfailed (exit ${r.status ?? r.signal})`);
  } else {
    sections.push(`## ${name} (${seconds} s)\n\n${(r.stdout ?? '').trim()}`);
  }
}

const report = `# npm run bench\n\n${new Date().toISOString()}; ${machine()}\n\n${sections.join('\n\n')}\n`;
mkdirSync('test-results', { recursive: true });
writeFileSync(join('test-results', 'bench.md'), report);
console.log(`\nall tables: test-results/bench.md`);
process.exit(failed > 0 ? 1 : 0);
