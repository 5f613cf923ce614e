// Writes schemas/marketo-webhook.schema.json from the engine's model of the keys
// (src/engine/definition/schema.ts, compiled to out/ by `npx tsc -p tsconfig.test.json`).
//   npm run generate:schema            write the file
//   node scripts/generate-schema.mjs --check   exit 1 when the committed file is out of date
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const compiled = join(root, 'out', 'src', 'engine', 'definition', 'schema.js');
if (!existsSync(compiled)) {
  console.error(`${compiled} is missing: compile first (npx tsc -p tsconfig.test.json), or run npm run generate:schema.`);
  process.exit(2);
}
const { definitionSchema, SCHEMA_PATH } = createRequire(import.meta.url)(compiled);
const target = join(root, SCHEMA_PATH);
const text = `${JSON.stringify(definitionSchema(), null, 2)}\n`;

if (process.argv.includes('--check')) {
  const current = existsSync(target) ? readFileSync(target, 'utf8') : '';
  if (current !== text) {
    console.error(`${SCHEMA_PATH} is out of date: run npm run generate:schema`);
    process.exit(1);
  }
  console.log(`${SCHEMA_PATH} is up to date`);
} else {
  mkdirSync(dirname(target), { recursive: true });
  writeFileSync(target, text);
  console.log(`wrote ${SCHEMA_PATH}`);
}
