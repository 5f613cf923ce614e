// The JSON Schema of a definition file (contracts §1), for other editors and for a `$schema` key.
// Built from the engine's own model of the keys (keys.ts), so the two cannot drift:
// schemas/marketo-webhook.schema.json is this function's output, written by
// `npm run generate:schema`, and a unit test fails when the committed file differs from it.
import { DEFINITION_KEYS, MAPPING_KEYS, TEST_KEYS, type KeyInfo } from './keys';
import { MAX_TIMEOUT_MS } from '../limits';

/** Where the generated schema is committed, relative to the project folder. */
export const SCHEMA_PATH = 'schemas/marketo-webhook.schema.json';

type Schema = Record<string, unknown>;

/**
 * The JSON Schema (draft-07) of a `*.webhook.jsonc` definition. Only standard keywords, so any
 * validator and editor reads it. Unknown keys are allowed, as the engine only warns about them.
 */
export function definitionSchema(): Schema {
  return {
    $schema: 'http://json-schema.org/draft-07/schema#',
    title: 'Marketo webhook definition',
    description: 'One Marketo webhook (Admin > Webhooks), as a *.webhook.jsonc file of the Marketo Webhook Workbench. Each key mirrors a field of Marketo\'s webhook editor, except "test". Unknown keys are allowed (the workbench warns about them). Generated from the engine\'s model of the keys: do not edit by hand, run `npm run generate:schema`.',
    ...objectSchema(DEFINITION_KEYS, ''),
  };
}

/** An object whose known keys are described; other keys are allowed (forward compatibility). */
function objectSchema(keys: Record<string, KeyInfo>, path: string): Schema {
  const properties: Record<string, Schema> = {};
  for (const [key, info] of Object.entries(keys)) properties[key] = keySchema(path ? `${path}.${key}` : key, info);
  const required = Object.entries(keys).filter(([, info]) => info.required).map(([key]) => key);
  return {
    type: 'object',
    ...(required.length > 0 ? { required } : {}),
    properties,
    additionalProperties: true,
  };
}

/** Annotations (title, description, default) and the shape of one key's value. */
function keySchema(path: string, info: KeyInfo): Schema {
  const annotations: Schema = {};
  if (info.marketoField) annotations.title = info.marketoField;
  annotations.description = info.marketoField
    ? `Marketo field: ${info.marketoField}. ${info.description}`
    : info.description;
  const shape = valueShape(path, info);
  const fallback = info.default ?? KIND_DEFAULTS[info.kind];
  return { ...annotations, ...shape, ...(fallback !== undefined ? { default: fallback } : {}) };
}

/** What the engine takes when a key is left out, where the model states it by kind rather than per key. */
const KIND_DEFAULTS: Partial<Record<KeyInfo['kind'], unknown>> = { headers: {}, mappings: [] };

/** The value a key holds, as the engine reads it (parse.ts). */
function valueShape(path: string, info: KeyInfo): Schema {
  switch (info.kind) {
    case 'string':
      return { type: 'string' };
    case 'template':
      // A string, or an array of lines joined with a newline.
      return { type: ['string', 'array'], items: { type: 'string' } };
    case 'enum':
      return { type: 'string', enum: [...(info.values ?? [])] };
    case 'headers':
      return { type: 'object', additionalProperties: { type: 'string' } };
    case 'mappings':
      return { type: 'array', items: objectSchema(MAPPING_KEYS, `${path}[]`) };
    case 'lead':
      // A path relative to the definition file, or an inline lead object of field → value.
      return { type: ['string', 'object'] };
    case 'number': {
      const number = NUMBER_SHAPES[path];
      if (!number) throw new Error(`definition-schema: no range is known for the number "${path}"; add one to NUMBER_SHAPES.`);
      return number;
    }
    case 'object': {
      const object = OBJECT_SHAPES[path];
      if (!object) throw new Error(`definition-schema: no shape is known for the object "${path}"; add one to OBJECT_SHAPES.`);
      return object();
    }
  }
}

/** Numbers by key: their ranges are the engine's checks (parse.ts, readTest). */
const NUMBER_SHAPES: Record<string, Schema> = {
  'test.timeoutMs': { type: 'integer', minimum: 1, maximum: MAX_TIMEOUT_MS },
};

/** Objects by key, since `object` says nothing of what they hold. */
const OBJECT_SHAPES: Record<string, () => Schema> = {
  test: () => objectSchema(TEST_KEYS, 'test'),
  // A token value is text (true/false is taken as text), a number, or { "secret": "NAME" }.
  'test.tokens': () => ({
    anyOf: [
      { type: 'string', pattern: '\\S', description: 'A tokens file { "my.Name": "value" }, relative to this file, as `marketo-webhook pull tokens` writes it.' },
      tokenValues(),
    ],
  }),
};

function tokenValues(): Schema {
  return {
    type: 'object',
    additionalProperties: {
      anyOf: [
        { type: ['string', 'boolean'] },
        { type: 'number', description: 'A number marks a Number or Score My Token: JSON encoding writes it bare (5), not as a string ("5").' },
        {
          type: 'object',
          description: 'A secret: taken from the editor\'s secret storage, or on the command line from the environment variable MARKETO_WEBHOOK_SECRET_<NAME>. Shown and written as ••••.',
          required: ['secret'],
          properties: { secret: { type: 'string', description: 'The secret\'s name.', pattern: '\\S' } },
          additionalProperties: false,
        },
      ],
    },
  };
}
