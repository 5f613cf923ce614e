// Developer helper: bundles one or more test files with esbuild (no type check) and runs them
// with Node's test runner. `node scripts/run-one-test.mjs test/unit/send.test.ts`
import * as esbuild from 'esbuild';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync } from 'node:fs';
import { basename, join } from 'node:path';

const files = process.argv.slice(2);
// Inside the project so that bare imports resolve from node_modules.
mkdirSync('out', { recursive: true });
const dir = mkdtempSync(join('out', 'one-test-'));
const outs = [];
for (const file of files) {
  const outfile = join(dir, basename(file).replace(/\.ts$/, '.js'));
  await esbuild.build({ entryPoints: [file], outfile, bundle: true, platform: 'node', format: 'cjs', target: 'node20', sourcemap: 'inline', packages: 'external', logLevel: 'warning' });
  outs.push(outfile);
}
const r = spawnSync(process.execPath, ['--enable-source-maps', '--test', ...outs], { stdio: 'inherit', cwd: process.cwd() });
process.exit(r.status ?? 1);
