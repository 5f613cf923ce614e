// The outline of a definition file: the webhook as one root symbol, its keys below it (each with the
// Marketo editor field it mirrors), headers as `name: value`, response mappings as
// `responseAttribute → marketoField`, and the `test` section's entries. Ranges are text offsets; the
// editor turns them into positions. Reads half-typed and broken JSON without throwing: whatever
// jsonc-parser can make out is listed.
import { parseTree, type Node } from 'jsonc-parser';
import { DEFINITION_KEYS, TEST_KEYS } from './keys';
import { MAX_INPUT_FILE_BYTES } from '../limits';

/** What a symbol stands for; the editor picks an icon from it. */
export type OutlineKind =
  | 'webhook' | 'header' | 'mapping' | 'token'
  | 'string' | 'number' | 'boolean' | 'null' | 'enum' | 'object' | 'array'
  /** a key written without a value yet */
  | 'key';

export interface OutlineSymbol {
  /** never empty */
  name: string;
  detail: string;
  kind: OutlineKind;
  /** the whole property (key through value), or the whole element of an array */
  offset: number;
  length: number;
  /** what the name stands for: the key of a property; for the webhook the `name` value, else its `{` */
  selectionOffset: number;
  selectionLength: number;
  children: OutlineSymbol[];
}

/** The detail of a key that has no field in Marketo's editor. */
export const NOT_IN_MARKETO = 'not part of Marketo';
/** The detail of a key the definition format does not know. */
export const UNKNOWN_KEY = 'unknown key (ignored)';
/** The root symbol's name while the definition has no usable `name`. */
export const UNNAMED_WEBHOOK = '(unnamed webhook)';
/** A mapping side, header value or name not written (yet). */
const MISSING = '?';
/** Longest name or detail shown; a template or URL can be long. */
const MAX_SHOWN = 120;

export function definitionOutline(text: string): OutlineSymbol[] {
  if (text.length > MAX_INPUT_FILE_BYTES) return [];
  const root = parseTree(text, [], { allowTrailingComma: true, disallowComments: false, allowEmptyContent: true });
  if (!root || root.type !== 'object') return [];
  const properties = propertiesOf(root);
  const nameNode = valueOf(properties, 'name');
  const urlNode = valueOf(properties, 'url');
  const methodNode = valueOf(properties, 'requestType');
  const name = nameNode?.type === 'string' ? shown(nameNode.value as string) : '';
  const method = methodNode?.type === 'string' && (methodNode.value as string).trim() !== ''
    ? shown(methodNode.value as string)
    : String(DEFINITION_KEYS.requestType?.default ?? 'POST');
  const url = urlNode?.type === 'string' ? shown(urlNode.value as string) : '';
  const selection = nameNode?.type === 'string' ? nameNode : { offset: root.offset, length: 1 };
  return [{
    name: name.trim() === '' ? UNNAMED_WEBHOOK : name,
    detail: url === '' ? method : `${method} ${url}`,
    kind: 'webhook',
    offset: root.offset,
    length: root.length,
    selectionOffset: selection.offset,
    selectionLength: selection.length,
    children: properties.map(({ property, key, keyNode, value }) => {
      const info = Object.hasOwn(DEFINITION_KEYS, key) ? DEFINITION_KEYS[key] : undefined;
      const detail = info ? (info.marketoField ?? NOT_IN_MARKETO) : UNKNOWN_KEY;
      const symbol = propertySymbol(property, keyNode, key, detail, value, info?.kind === 'enum');
      if (info?.kind === 'headers' && value?.type === 'object') symbol.children = headerSymbols(value);
      else if (info?.kind === 'mappings' && value?.type === 'array') symbol.children = mappingSymbols(value);
      else if (key === 'test' && value?.type === 'object') symbol.children = testSymbols(value);
      return symbol;
    }),
  }];
}

interface Property {
  property: Node;
  key: string;
  keyNode: Node;
  value: Node | undefined;
}

/** The properties of an object node that have a key (a half-typed one may lack its value). */
function propertiesOf(object: Node): Property[] {
  const out: Property[] = [];
  for (const property of object.children ?? []) {
    const [keyNode, value] = property.children ?? [];
    if (property.type !== 'property' || !keyNode || typeof keyNode.value !== 'string') continue;
    out.push({ property, key: keyNode.value, keyNode, value });
  }
  return out;
}

/** The value of the last property with this key (the one that counts, as in JSON.parse). */
function valueOf(properties: readonly Property[], key: string): Node | undefined {
  let found: Node | undefined;
  for (const p of properties) if (p.key === key) found = p.value;
  return found;
}

function propertySymbol(property: Node, keyNode: Node, name: string, detail: string, value: Node | undefined, isEnum = false): OutlineSymbol {
  return {
    name: nonEmpty(shown(name), JSON.stringify(name)),
    detail,
    kind: !value ? 'key' : isEnum && value.type === 'string' ? 'enum' : value.type === 'property' ? 'key' : value.type,
    offset: property.offset,
    length: property.length,
    selectionOffset: keyNode.offset,
    selectionLength: keyNode.length,
    children: [],
  };
}

function headerSymbols(headers: Node): OutlineSymbol[] {
  return propertiesOf(headers).map(({ property, key, keyNode, value }) => {
    const name = nonEmpty(shown(key), '""');
    const shownValue = value ? valueText(value) : '';
    return {
      ...propertySymbol(property, keyNode, key, '', value),
      name: shownValue === '' ? name : `${name}: ${shownValue}`,
      kind: 'header' as const,
    };
  });
}

function mappingSymbols(mappings: Node): OutlineSymbol[] {
  const out: OutlineSymbol[] = [];
  for (const item of mappings.children ?? []) {
    // An element that is not an object is no mapping (the validator says so); nothing to name it by.
    if (item.type !== 'object') continue;
    const properties = propertiesOf(item);
    const side = (key: string): string => {
      const node = valueOf(properties, key);
      return node?.type === 'string' ? nonEmpty(shown(node.value as string), MISSING) : MISSING;
    };
    out.push({
      name: `${side('responseAttribute')} → ${side('marketoField')}`,
      detail: '',
      kind: 'mapping',
      offset: item.offset,
      length: item.length,
      // An array element has no key: the element itself is what the name stands for.
      selectionOffset: item.offset,
      selectionLength: item.length,
      children: [],
    });
  }
  return out;
}

function testSymbols(test: Node): OutlineSymbol[] {
  return propertiesOf(test).map(({ property, key, keyNode, value }) => {
    const info = Object.hasOwn(TEST_KEYS, key) ? TEST_KEYS[key] : undefined;
    const symbol = propertySymbol(property, keyNode, key, info ? testDetail(key, value) : UNKNOWN_KEY, value, info?.kind === 'enum');
    if (key === 'tokens' && value?.type === 'object') {
      symbol.children = propertiesOf(value).map((token) => ({
        ...propertySymbol(token.property, token.keyNode, token.key, token.value ? tokenDetail(token.value) : '', token.value),
        kind: 'token' as const,
      }));
    }
    return symbol;
  });
}

/** What a `test` entry holds, in a few words (these keys have no Marketo field to show). */
function testDetail(key: string, value: Node | undefined): string {
  if (!value) return '';
  if (key === 'lead' && value.type === 'object') {
    const n = value.children?.length ?? 0;
    return `inline lead, ${n} field${n === 1 ? '' : 's'}`;
  }
  if (key === 'tokens' && value.type === 'object') {
    const n = value.children?.length ?? 0;
    return `${n} token${n === 1 ? '' : 's'}`;
  }
  if (key === 'timeoutMs' && value.type === 'number') return `${String(value.value)} ms`;
  return valueText(value);
}

function tokenDetail(value: Node): string {
  if (value.type === 'object') {
    const secret = valueOf(propertiesOf(value), 'secret');
    if (secret?.type === 'string') return `secret ${shown(secret.value as string)}`;
  }
  return valueText(value);
}

/** A value as one short line: strings without their quotes, anything else as written. */
function valueText(value: Node): string {
  switch (value.type) {
    case 'string':
      return shown(value.value as string);
    case 'number':
    case 'boolean':
    case 'null':
      return String(value.value);
    case 'object':
      return '{…}';
    case 'array':
      return '[…]';
    default:
      return '';
  }
}

/** One line, not too long: line breaks and tabs become spaces, the rest is cut with an ellipsis. */
function shown(text: string): string {
  const line = text.replace(/[\r\n\t\u2028\u2029]+/g, ' ');
  return line.length > MAX_SHOWN ? `${line.slice(0, MAX_SHOWN - 1)}…` : line;
}

function nonEmpty(text: string, fallback: string): string {
  return text.trim() === '' ? fallback : text;
}
