// The JSON Schema in schemas/ is the engine's model of the keys, written out: the committed file is
// what definitionSchema() makes now, every key of the model is in it, the examples satisfy it, and
// it rejects what the engine rejects. Checked with a small validator of the keywords the schema uses
// (no JSON Schema library is a dependency).
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { describe, test } from 'node:test';
import { parse as parseJsonc, type ParseError } from 'jsonc-parser';
import { DEFINITION_KEYS, MAPPING_KEYS, TEST_KEYS, type KeyInfo } from '../../src/engine/definition/keys';
import { definitionSchema, SCHEMA_PATH } from '../../src/engine/definition/schema';
import { starterDefinition } from '../../src/engine/definition/starter';
import { validateDefinition } from '../../src/engine/validate/validate';
import { def } from './helpers';

/** The project folder: the tests run from out/ (compiled or bundled), schemas/ stays in place. */
function projectRoot(): string {
  let dir = __dirname;
  for (;;) {
    if (existsSync(join(dir, 'package.json')) && existsSync(join(dir, 'examples'))) return dir;
    const parent = dirname(dir);
    if (parent === dir) return process.cwd();
    dir = parent;
  }
}

const ROOT = projectRoot();
type Schema = Record<string, unknown>;

// ---- a validator of exactly the keywords the schema uses ---------------------------------------

const KEYWORDS = new Set([
  '$schema', 'title', 'description', 'default', // annotations
  'type', 'enum', 'required', 'properties', 'additionalProperties', 'items', 'anyOf', 'minimum', 'maximum', 'pattern',
]);

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function hasType(value: unknown, type: string): boolean {
  switch (type) {
    case 'string': return typeof value === 'string';
    case 'number': return typeof value === 'number' && Number.isFinite(value);
    case 'integer': return typeof value === 'number' && Number.isInteger(value);
    case 'boolean': return typeof value === 'boolean';
    case 'object': return isObject(value);
    case 'array': return Array.isArray(value);
    case 'null': return value === null;
    default: throw new Error(`unknown type ${type}`);
  }
}

/** The problems of `value` against `schema`, one line each (empty: valid). */
function check(schema: Schema, value: unknown, path = '$'): string[] {
  const problems: string[] = [];
  if (schema.type !== undefined) {
    const types = ([] as string[]).concat(schema.type as string | string[]);
    if (!types.some((t) => hasType(value, t))) return [`${path}: expected ${types.join(' or ')}, got ${JSON.stringify(value)}`];
  }
  if (Array.isArray(schema.enum) && !schema.enum.includes(value)) problems.push(`${path}: ${JSON.stringify(value)} is not one of ${JSON.stringify(schema.enum)}`);
  if (typeof value === 'number') {
    if (typeof schema.minimum === 'number' && value < schema.minimum) problems.push(`${path}: below ${schema.minimum}`);
    if (typeof schema.maximum === 'number' && value > schema.maximum) problems.push(`${path}: above ${schema.maximum}`);
  }
  if (typeof value === 'string' && typeof schema.pattern === 'string' && !new RegExp(schema.pattern, 'u').test(value)) {
    problems.push(`${path}: does not match ${schema.pattern}`);
  }
  if (Array.isArray(value) && isObject(schema.items)) {
    value.forEach((item, i) => problems.push(...check(schema.items as Schema, item, `${path}[${i}]`)));
  }
  if (isObject(value)) {
    for (const key of (schema.required as string[] | undefined) ?? []) {
      if (!(key in value)) problems.push(`${path}: missing required "${key}"`);
    }
    const properties = (schema.properties ?? {}) as Record<string, Schema>;
    for (const [key, item] of Object.entries(value)) {
      const sub = properties[key];
      if (sub) problems.push(...check(sub, item, `${path}.${key}`));
      else if (schema.additionalProperties === false) problems.push(`${path}: "${key}" is not allowed`);
      else if (isObject(schema.additionalProperties)) problems.push(...check(schema.additionalProperties, item, `${path}.${key}`));
    }
  }
  if (Array.isArray(schema.anyOf) && !(schema.anyOf as Schema[]).some((s) => check(s, value, path).length === 0)) {
    problems.push(`${path}: matches none of the allowed shapes`);
  }
  return problems;
}

/** Every subschema, for the keyword check. */
function subschemas(schema: Schema): Schema[] {
  const found: Schema[] = [schema];
  for (const sub of Object.values((schema.properties ?? {}) as Record<string, Schema>)) found.push(...subschemas(sub));
  if (isObject(schema.items)) found.push(...subschemas(schema.items));
  if (isObject(schema.additionalProperties)) found.push(...subschemas(schema.additionalProperties));
  for (const sub of (schema.anyOf ?? []) as Schema[]) found.push(...subschemas(sub));
  return found;
}

function parseDefinitionFile(text: string, name: string): unknown {
  const errors: ParseError[] = [];
  const value: unknown = parseJsonc(text, errors, { allowTrailingComma: true, disallowComments: false });
  assert.deepEqual(errors, [], `${name} parses as JSONC`);
  return value;
}

const schema = definitionSchema();
const properties = schema.properties as Record<string, Schema>;

describe('definition schema', () => {
  test('the committed schemas/marketo-webhook.schema.json is what the engine\'s model makes', () => {
    const file = join(ROOT, SCHEMA_PATH);
    assert.ok(existsSync(file), `${SCHEMA_PATH} is missing: run npm run generate:schema`);
    const committed = JSON.parse(readFileSync(file, 'utf8')) as unknown;
    assert.deepEqual(committed, schema, `${SCHEMA_PATH} differs from definitionSchema() in src/engine/definition/schema.ts: run npm run generate:schema`);
  });

  test('is draft-07 and uses only keywords every validator knows (and this test checks)', () => {
    assert.equal(schema.$schema, 'http://json-schema.org/draft-07/schema#');
    for (const sub of subschemas(schema)) {
      for (const keyword of Object.keys(sub)) assert.ok(KEYWORDS.has(keyword), `unexpected keyword ${keyword}`);
    }
  });

  test('describes every key of the model, with its Marketo field, enum values, default and requiredness', () => {
    const testSchema = properties.test as Schema;
    const mappingSchema = (properties.responseMappings as Schema).items as Schema;
    const groups: [string, Record<string, KeyInfo>, Schema][] = [
      ['definition', DEFINITION_KEYS, schema],
      ['test', TEST_KEYS, testSchema],
      ['response mapping', MAPPING_KEYS, mappingSchema],
    ];
    for (const [group, keys, objectSchema] of groups) {
      const described = objectSchema.properties as Record<string, Schema>;
      assert.deepEqual(Object.keys(described), Object.keys(keys), `every ${group} key is described, in the model's order`);
      assert.deepEqual(objectSchema.required ?? [], Object.entries(keys).filter(([, i]) => i.required).map(([k]) => k), `${group}: required keys`);
      assert.equal(objectSchema.additionalProperties, true, `${group}: unknown keys are allowed (the engine only warns)`);
      for (const [key, info] of Object.entries(keys)) {
        const sub = described[key]!;
        assert.ok(String(sub.description).includes(info.description), `${key}: the model's description`);
        if (info.marketoField) {
          assert.equal(sub.title, info.marketoField, `${key}: titled with its Marketo field`);
          assert.ok(String(sub.description).includes(info.marketoField));
        }
        if (info.values) assert.deepEqual(sub.enum, [...info.values], `${key}: enum values`);
        if (info.default !== undefined) assert.equal(sub.default, info.default, `${key}: default`);
      }
    }
    assert.deepEqual(schema.required, ['name', 'url']);
    assert.deepEqual(properties.headers!.default, {});
    assert.deepEqual(properties.responseMappings!.default, []);
    assert.deepEqual((testSchema.properties as Record<string, Schema>).timeoutMs, {
      description: TEST_KEYS.timeoutMs!.description, type: 'integer', minimum: 1, maximum: 2147483647, default: 30000,
    });
  });

  test('the example definitions satisfy it, and the broken one breaks it where an enum is wrong', () => {
    const examples = join(ROOT, 'examples');
    const names = readdirSync(examples).filter((n) => n.endsWith('.webhook.jsonc')).sort();
    assert.ok(names.length >= 5, 'the examples are there');
    for (const name of names) {
      const problems = check(schema, parseDefinitionFile(readFileSync(join(examples, name), 'utf8'), name));
      if (name === 'broken.webhook.jsonc') assert.deepEqual(problems, ['$.requestTokenEncoding: "json" is not one of ["None","Form/Url","JSON"]']);
      else assert.deepEqual(problems, [], `${name} satisfies the schema`);
    }
    const good = join(ROOT, 'test', 'fixtures', 'workspace', 'good.webhook.jsonc');
    assert.deepEqual(check(schema, parseDefinitionFile(readFileSync(good, 'utf8'), 'good.webhook.jsonc')), []);
    assert.deepEqual(check(schema, parseDefinitionFile(starterDefinition('Enrich Lead'), 'the starter')), []);
  });

  test('rejects what the engine rejects, and accepts what the engine accepts', () => {
    const cases: { what: string; text: string; valid: boolean }[] = [
      { what: 'a minimal definition', text: def({}), valid: true },
      { what: 'every key', text: def({ description: 'd', requestType: 'PUT', template: ['{', '}'], requestTokenEncoding: 'Form/Url', responseType: 'XML', headers: { 'X-A': 'b' }, responseMappings: [{ responseAttribute: 'a.b', marketoField: 'Company' }], test: { lead: { 'First Name': 'Ada' }, campaign: 'batch', tokens: { 'my.A': 'x', 'my.N': 5, 'my.S': { secret: 'S' } }, timeoutMs: 1000 } }), valid: true },
      { what: 'an unknown key (a warning)', text: def({ color: 'blue' }), valid: true },
      { what: 'a lead file path', text: def({ test: { lead: 'ada.lead.json' } }), valid: true },
      { what: 'no url', text: JSON.stringify({ name: 'x' }), valid: false },
      { what: 'no name', text: JSON.stringify({ url: 'https://api.example.com/x' }), valid: false },
      { what: 'a name that is not a string', text: def({ name: 5 }), valid: false },
      { what: 'a lower-case request type', text: def({ requestType: 'get' }), valid: false },
      { what: 'an unknown encoding', text: def({ requestTokenEncoding: 'URL' }), valid: false },
      { what: 'an unknown response type', text: def({ responseType: 'HTML' }), valid: false },
      { what: 'an unknown campaign', text: def({ test: { campaign: 'smart' } }), valid: false },
      { what: 'a template line that is not a string', text: def({ template: ['{', 1] }), valid: false },
      { what: 'a header value that is not a string', text: def({ headers: { 'X-A': 1 } }), valid: false },
      { what: 'headers as an array', text: def({ headers: ['X-A: b'] }), valid: false },
      { what: 'a mapping without marketoField', text: def({ responseType: 'JSON', responseMappings: [{ responseAttribute: 'a' }] }), valid: false },
      { what: 'a lead that is a number', text: def({ test: { lead: 5 } }), valid: false },
      { what: 'a zero timeout', text: def({ test: { timeoutMs: 0 } }), valid: false },
      { what: 'a fractional timeout', text: def({ test: { timeoutMs: 1.5 } }), valid: false },
      { what: 'a timeout past the timer limit', text: def({ test: { timeoutMs: 2147483648 } }), valid: false },
      { what: 'an empty secret name', text: def({ test: { tokens: { 'my.A': { secret: ' ' } } } }), valid: false },
      { what: 'a secret with another key', text: def({ test: { tokens: { 'my.A': { secret: 'A', env: 'B' } } } }), valid: false },
      { what: 'a token value that is an array', text: def({ test: { tokens: { 'my.A': ['x'] } } }), valid: false },
    ];
    for (const { what, text, valid } of cases) {
      const problems = check(schema, JSON.parse(text));
      assert.equal(problems.length === 0, valid, `${what}: schema says ${JSON.stringify(problems)}`);
      const errors = validateDefinition(text).diagnostics.filter((d) => d.severity === 'error');
      assert.equal(errors.length === 0, valid, `${what}: the engine says ${JSON.stringify(errors.map((d) => d.code))}`);
    }
  });
});
