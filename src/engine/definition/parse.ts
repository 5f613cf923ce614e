// Reads a definition file's text into the model of contracts §1, with the exact place in the file
// of every value. Never throws: whatever is wrong becomes a diagnostic.
import { parseTree, printParseErrorCode, type Node, type ParseError } from 'jsonc-parser';
import { closest } from '../text/closest';
import { DEFINITION_KEYS, MAPPING_KEYS, TEST_KEYS, type KeyInfo } from './keys';
import { MARKETO_TIMEOUT_MS, MAX_INPUT_FILE_BYTES, MAX_TIMEOUT_MS } from '../limits';
import { DIAGNOSTIC_CODES as C, DiagnosticSink } from '../validate/diagnostics';
import { decodeJsonString, decodeJsonValue, type DecodedString } from './json-string';
import type {
  CampaignType, RequestTokenEncoding, RequestType, ResponseMapping, ResponseType, TokenValue, WebhookDefinition,
} from '../types';

/** A string value of the file, decoded, that knows where each of its characters stands. */
export interface SourceString extends DecodedString {
  node: Node;
}

export interface ParsedMapping {
  mapping: ResponseMapping;
  node: Node;
  attributeNode?: Node;
  fieldNode?: Node;
}

export interface ParsedHeader {
  name: string;
  nameNode: Node;
  value: SourceString;
}

export interface ParsedDefinition {
  text: string;
  sink: DiagnosticSink;
  root?: Node;
  /** top-level keys written in the file, with or without a value */
  presentKeys: Set<string>;
  /** value node of each top-level key, by key */
  keyNodes: Map<string, Node>;
  testKeyNodes: Map<string, Node>;
  url?: SourceString;
  template?: SourceString;
  headers: ParsedHeader[];
  mappings: ParsedMapping[];
  /** `test.tokens` entries with their key nodes */
  testTokens: { key: string; keyNode: Node; value: TokenValue }[];
  /** the model with defaults applied; undefined when the root is not an object */
  definition?: WebhookDefinition;
  /** true when the file parsed without a syntax error */
  syntaxValid?: boolean;
}

/** The `file-too-large` message, here and in the hosts that refuse a file before reading it; `bytes` undefined when not known. */
export function definitionTooLargeMessage(bytes: number | undefined): string {
  const size = bytes === undefined ? `over ${megabytes(MAX_INPUT_FILE_BYTES)}` : megabytes(bytes, 1);
  return `This file is ${size}; a webhook definition over ${megabytes(MAX_INPUT_FILE_BYTES)} is not read.`;
}

function megabytes(bytes: number, digits?: number): string {
  const mb = bytes / 1024 / 1024;
  return `${digits === undefined ? mb : mb.toFixed(digits)} MB`;
}

export function parseDefinition(text: string): ParsedDefinition {
  const sink = new DiagnosticSink(text);
  const parsed: ParsedDefinition = { text, sink, presentKeys: new Set(), keyNodes: new Map(), testKeyNodes: new Map(), headers: [], mappings: [], testTokens: [] };
  if (text.length > MAX_INPUT_FILE_BYTES) {
    // A definition is a few hundred bytes; past this size it is not a definition, and reading it
    // would only slow the editor.
    sink.error(C.fileTooLarge, definitionTooLargeMessage(text.length), 0, 0);
    return parsed;
  }
  const errors: ParseError[] = [];
  const root = parseTree(text, errors, { allowTrailingComma: true, disallowComments: false, allowEmptyContent: true });
  parsed.syntaxValid = errors.length === 0;
  for (const e of errors.slice(0, 100)) {
    sink.error(C.syntaxError, `JSONC syntax error: ${describeParseError(printParseErrorCode(e.error))}.`, e.offset, e.length);
  }
  if (!root || root.type !== 'object') {
    if (errors.length === 0) {
      sink.error(C.notAnObject, 'A webhook definition is one JSON object: `{ "name": …, "url": … }`.', root?.offset ?? 0, root?.length ?? 0);
    }
    return parsed;
  }
  parsed.root = root;
  readKeys(parsed, root, DEFINITION_KEYS, parsed.keyNodes, '', parsed.presentKeys);
  parsed.definition = buildDefinition(parsed);
  return parsed;
}

export function describeParseError(code: string): string {
  // jsonc-parser's codes read like `CloseBraceExpected`; people read "close brace expected".
  return code.replace(/([a-z])([A-Z])/g, '$1 $2').toLowerCase();
}

/** Records the value node of each property, and reports duplicate and unknown keys. */
function readKeys(parsed: ParsedDefinition, object: Node, known: Record<string, KeyInfo>, into: Map<string, Node>, where: string, present?: Set<string>): void {
  const seen = reportDuplicateKeys(parsed, object, where);
  for (const key of seen) present?.add(key);
  for (const property of object.children ?? []) {
    const keyNode = property.children?.[0];
    const valueNode = property.children?.[1];
    if (!keyNode || typeof keyNode.value !== 'string') continue;
    const key = keyNode.value;
    if (!Object.hasOwn(known, key)) {
      // (Suggestions are looked for only while they can still be reported: a file can hold 100k keys.)
      if (parsed.sink.full) continue;
      const suggestion = closest(key, Object.keys(known), 1)[0];
      parsed.sink.warning(
        C.unknownKey,
        `Unknown key "${key}"${where}${suggestion ? `: did you mean "${suggestion}"?` : '; Marketo has no such webhook field and it is ignored.'}`,
        keyNode.offset, keyNode.length,
        suggestion ? { replacements: [JSON.stringify(suggestion)] } : undefined,
      );
      continue;
    }
    if (valueNode) into.set(key, valueNode);
  }
}

/** Reports every key written twice in an object (at the later one); returns the keys written. */
function reportDuplicateKeys(parsed: ParsedDefinition, object: Node, where: string, ignoreCase = false): Set<string> {
  const seen = new Set<string>();
  for (const property of object.children ?? []) {
    const keyNode = property.children?.[0];
    if (!keyNode || typeof keyNode.value !== 'string') continue;
    const key = ignoreCase ? keyNode.value.toLowerCase() : keyNode.value;
    if (seen.has(key)) {
      parsed.sink.error(C.duplicateKey, `Duplicate key "${keyNode.value}"${where}: only the last one would count. Remove one of them.`, keyNode.offset, keyNode.length);
    }
    seen.add(key);
  }
  return seen;
}

export function sourceString(text: string, node: Node, parsed?: ParsedDefinition): SourceString {
  // Not a spread: that would work out the offsets, which are only needed for a diagnostic.
  const decoded = decodeJsonString(text, node.offset, node.length, knownValue(parsed, node)) as DecodedString & { node?: Node };
  decoded.node = node;
  return decoded as SourceString;
}

/** jsonc-parser's value of a string node, when the whole file parsed without errors (every literal valid). */
function knownValue(parsed: ParsedDefinition | undefined, node: Node): string | undefined {
  return parsed?.syntaxValid && node.type === 'string' && typeof node.value === 'string' ? node.value : undefined;
}

function expectType(parsed: ParsedDefinition, node: Node, types: Node['type'][], what: string, key: string): boolean {
  if (types.includes(node.type)) return true;
  parsed.sink.error(C.wrongType, `"${key}" must be ${what}.`, node.offset, node.length);
  return false;
}

function readString(parsed: ParsedDefinition, key: string, node: Node | undefined): string | undefined {
  if (!node || !expectType(parsed, node, ['string'], 'a string', key)) return undefined;
  return node.value as string;
}

function readEnum<T extends string>(parsed: ParsedDefinition, key: string, info: KeyInfo, node: Node | undefined): T {
  const fallback = info.default as T;
  const values = info.values ?? [];
  if (!node) return fallback;
  // (the message is only built for a value of the wrong type)
  if (node.type !== 'string' && !expectType(parsed, node, ['string'], `one of ${values.map((v) => `"${v}"`).join(', ')}`, key)) return fallback;
  const value = node.value as string;
  if (values.includes(value)) return value as T;
  const suggestion = values.find((v) => v.toLowerCase() === value.toLowerCase()) ?? closest(value, values, 1)[0];
  parsed.sink.error(
    C.invalidEnum,
    `"${value}" is not a valid ${info.marketoField ?? key}: use one of ${values.map((v) => `"${v}"`).join(', ')}${suggestion ? ` (did you mean "${suggestion}"?)` : ''}.`,
    node.offset, node.length,
    suggestion ? { replacements: [JSON.stringify(suggestion)] } : { replacements: values.map((v) => JSON.stringify(v)) },
  );
  return (suggestion ?? fallback) as T;
}

const REQUIRED_KEYS = Object.entries(DEFINITION_KEYS).filter(([, info]) => info.required);

function buildDefinition(parsed: ParsedDefinition): WebhookDefinition {
  const { text, sink, root, keyNodes } = parsed;
  for (const [key, info] of REQUIRED_KEYS) {
    if (!parsed.presentKeys.has(key) && root) {
      sink.error(C.missingRequiredKey, `Missing "${key}" (${info.marketoField}): a webhook needs it.`, root.offset, 1, { key });
    }
  }
  const name = readString(parsed, 'name', keyNodes.get('name')) ?? '';
  const nameNode = keyNodes.get('name');
  if (nameNode?.type === 'string' && name.trim() === '') {
    sink.error(C.nameEmpty, 'The Webhook Name is empty: Marketo needs one, and flow steps and triggers show it.', nameNode.offset, nameNode.length);
  }
  const description = readString(parsed, 'description', keyNodes.get('description'));
  const urlNode = keyNodes.get('url');
  if (urlNode && expectType(parsed, urlNode, ['string'], 'a string', 'url')) parsed.url = sourceString(text, urlNode, parsed);
  const requestType = readEnum<RequestType>(parsed, 'requestType', DEFINITION_KEYS.requestType as KeyInfo, keyNodes.get('requestType'));
  const requestTokenEncoding = readEnum<RequestTokenEncoding>(parsed, 'requestTokenEncoding', DEFINITION_KEYS.requestTokenEncoding as KeyInfo, keyNodes.get('requestTokenEncoding'));
  const responseType = readEnum<ResponseType>(parsed, 'responseType', DEFINITION_KEYS.responseType as KeyInfo, keyNodes.get('responseType'));
  parsed.template = readTemplate(parsed, keyNodes.get('template'));
  const headers = readHeaders(parsed, keyNodes.get('headers'));
  const responseMappings = readMappings(parsed, keyNodes.get('responseMappings'));
  const test = readTest(parsed, keyNodes.get('test'));
  const definition: WebhookDefinition = {
    name,
    url: parsed.url?.value ?? '',
    requestType,
    requestTokenEncoding,
    responseType,
    headers,
    responseMappings,
    test,
  };
  if (description !== undefined) definition.description = description;
  if (parsed.template) definition.template = parsed.template.value;
  return definition;
}

/** A template string, or an array of lines joined with `\n` (the joining newline maps to the line's closing quote). */
function readTemplate(parsed: ParsedDefinition, node: Node | undefined): SourceString | undefined {
  if (!node || !expectType(parsed, node, ['string', 'array'], 'a string or an array of strings', 'template')) return undefined;
  if (node.type === 'string') return sourceString(parsed.text, node, parsed);
  const lines: { index: number; node: Node }[] = [];
  let values: string[] = [];
  (node.children ?? []).forEach((line, index) => {
    if (!expectType(parsed, line, ['string'], 'a string or an array of strings', 'template')) return;
    lines.push({ index, node: line });
  });
  const whole = lines.length === (node.children ?? []).length && parsed.syntaxValid ? plainJsonArray(parsed.text, node) : undefined;
  if (whole?.length === lines.length) values = whole;
  else for (const { node: line } of lines) values.push(knownValue(parsed, line) ?? decodeJsonValue(parsed.text, line.offset, line.length));
  // Lines are joined with \n; only a first line at index 0 has none before it.
  const value = lines.length === 0 ? '' : (lines[0]?.index === 0 ? '' : '\n') + values.join('\n');
  let offsets: number[] | undefined;
  let offsetAt: ((i: number) => number | undefined) | undefined;
  const { text } = parsed;
  const start = node.offset + 1;
  return {
    value,
    node,
    // Worked out on first use (a diagnostic), like a single string's.
    get offsets(): number[] {
      offsets ??= templateOffsets(text, lines, start);
      return offsets;
    },
    offsetAt(i: number): number | undefined {
      offsetAt ??= templateOffsetAt(text, lines, values, value.length, start);
      return offsetAt(i);
    },
  };
}

/**
 * offsets[i] of a template written as lines, found through its line (a binary search) instead of
 * working out the offset of every character of every line: what `templateOffsets` gives, per
 * character.
 */
function templateOffsetAt(text: string, lines: readonly { index: number; node: Node }[], values: readonly string[], length: number, start: number): (i: number) => number | undefined {
  if (lines.length === 0) return (i) => (i === 0 ? start : undefined);
  // Where each line's text starts in the template: after the line break that joins it to the one
  // before (and a first line not at index 0 has one before it too).
  const lineStarts: number[] = [];
  let at = lines[0]?.index === 0 ? 0 : 1;
  for (const v of values) {
    lineStarts.push(at);
    at += v.length + 1;
  }
  const decoded = new Map<number, DecodedString>();
  const lineDecoded = (k: number): DecodedString => {
    let d = decoded.get(k);
    const line = lines[k] as { node: Node };
    if (!d) decoded.set(k, (d = decodeJsonString(text, line.node.offset, line.node.length, values[k])));
    return d;
  };
  const offsetIn = (d: DecodedString, j: number) => (d.offsetAt ? d.offsetAt(j) : d.offsets[j]);
  return (i) => {
    if (!Number.isInteger(i) || i < 0 || i > length) return undefined;
    // The end of the template is the closing quote of its last line.
    if (i === length) return offsetIn(lineDecoded(lines.length - 1), (values[lines.length - 1] as string).length);
    let lo = -1;
    let hi = lineStarts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if ((lineStarts[mid] as number) <= i) lo = mid;
      else hi = mid - 1;
    }
    // Before the first line, or just after a line: the line break that joins the next line, which
    // stands for that line's opening quote.
    const within = lo < 0 ? -1 : i - (lineStarts[lo] as number);
    if (lo < 0 || within === (values[lo] as string).length) return lines[lo + 1]?.node.offset;
    return offsetIn(lineDecoded(lo), within);
  };
}

/**
 * An array of strings written as plain JSON (no comments, no trailing comma), read natively in
 * one call: for a long template, much faster than a value per line. undefined otherwise.
 */
function plainJsonArray(text: string, node: Node): string[] | undefined {
  try {
    const value: unknown = JSON.parse(text.slice(node.offset, node.offset + node.length));
    return Array.isArray(value) && value.every((v) => typeof v === 'string') ? value : undefined;
  } catch {
    return undefined;
  }
}

function templateOffsets(text: string, lines: readonly { index: number; node: Node }[], start: number): number[] {
  const offsets: number[] = [];
  let end = start;
  for (const line of lines) {
    if (line.index > 0) offsets.push(line.node.offset);
    const lineOffsets = decodeJsonString(text, line.node.offset, line.node.length).offsets;
    // A loop, not push(...): a long line has more offsets than a call can take arguments.
    for (let k = 0; k < lineOffsets.length - 1; k++) offsets.push(lineOffsets[k] as number);
    end = lineOffsets[lineOffsets.length - 1] ?? end;
  }
  // The end of the template is the closing quote of its last line.
  offsets.push(end);
  return offsets;
}

function readHeaders(parsed: ParsedDefinition, node: Node | undefined): Record<string, string> {
  const headers: Record<string, string> = {};
  if (!node || !expectType(parsed, node, ['object'], 'an object of header name → value', 'headers')) return headers;
  // Header names ignore case: "Content-Type" and "content-type" are one header.
  reportDuplicateKeys(parsed, node, ' in "headers" (header names ignore case)', true);
  for (const property of node.children ?? []) {
    const [nameNode, valueNode] = property.children ?? [];
    if (!nameNode || !valueNode) continue;
    const name = nameNode.value as string;
    if (!expectType(parsed, valueNode, ['string'], 'a string', `headers.${name}`)) continue;
    const value = sourceString(parsed.text, valueNode, parsed);
    headers[name] = value.value;
    parsed.headers.push({ name, nameNode, value });
  }
  return headers;
}

function readMappings(parsed: ParsedDefinition, node: Node | undefined): ResponseMapping[] {
  const out: ResponseMapping[] = [];
  if (!node || !expectType(parsed, node, ['array'], 'an array of { "responseAttribute", "marketoField" }', 'responseMappings')) return out;
  for (const item of node.children ?? []) {
    if (!expectType(parsed, item, ['object'], 'an object { "responseAttribute": …, "marketoField": … }', 'responseMappings[]')) continue;
    const nodes = new Map<string, Node>();
    readKeys(parsed, item, MAPPING_KEYS, nodes, ' in a response mapping');
    const attributeNode = nodes.get('responseAttribute');
    const fieldNode = nodes.get('marketoField');
    for (const key of Object.keys(MAPPING_KEYS)) {
      if (!nodes.has(key)) parsed.sink.error(C.missingRequiredKey, `Missing "${key}" in this response mapping.`, item.offset, 1, { key });
    }
    const responseAttribute = readString(parsed, 'responseAttribute', attributeNode);
    const marketoField = readString(parsed, 'marketoField', fieldNode);
    if (responseAttribute === undefined || marketoField === undefined) continue;
    const mapping = { responseAttribute, marketoField };
    out.push(mapping);
    parsed.mappings.push({ mapping, node: item, ...(attributeNode ? { attributeNode } : {}), ...(fieldNode ? { fieldNode } : {}) });
  }
  return out;
}

function readTest(parsed: ParsedDefinition, node: Node | undefined): WebhookDefinition['test'] {
  const test: WebhookDefinition['test'] = { campaign: 'trigger', tokens: {}, timeoutMs: TEST_KEYS.timeoutMs?.default as number };
  if (!node || !expectType(parsed, node, ['object'], 'an object', 'test')) return test;
  const nodes = parsed.testKeyNodes;
  readKeys(parsed, node, TEST_KEYS, nodes, ' in "test"');
  const leadNode = nodes.get('lead');
  if (leadNode && expectType(parsed, leadNode, ['string', 'object'], 'a lead file path or a lead object', 'test.lead')) {
    if (leadNode.type === 'object') reportDuplicateKeys(parsed, leadNode, ' in "test.lead"');
    test.lead = leadNode.type === 'string' ? (leadNode.value as string) : (nodeValue(leadNode) as Record<string, unknown>);
  }
  test.campaign = readEnum<CampaignType>(parsed, 'test.campaign', TEST_KEYS.campaign as KeyInfo, nodes.get('campaign'));
  const timeoutNode = nodes.get('timeoutMs');
  if (timeoutNode) {
    const v = timeoutNode.value as unknown;
    if (timeoutNode.type !== 'number' || typeof v !== 'number' || !Number.isInteger(v) || v <= 0 || v > MAX_TIMEOUT_MS) {
      parsed.sink.error(C.timeoutInvalid, `"timeoutMs" must be a whole number of milliseconds from 1 to ${MAX_TIMEOUT_MS}.`, timeoutNode.offset, timeoutNode.length);
    } else {
      test.timeoutMs = v;
      if (v > MARKETO_TIMEOUT_MS) parsed.sink.warning(C.timeoutInvalid, `Marketo waits ${MARKETO_TIMEOUT_MS / 1000} seconds (${MARKETO_TIMEOUT_MS} ms) at most; a ${v} ms timeout tests a wait Marketo never makes.`, timeoutNode.offset, timeoutNode.length);
    }
  }
  const tokensNode = nodes.get('tokens');
  if (tokensNode?.type === 'string') {
    // A tokens file, as `pull tokens` writes it; the run reads it, relative to the definition.
    const path = (tokensNode.value as string).trim();
    if (path === '') parsed.sink.error(C.wrongType, '"test.tokens" must name a tokens file (e.g. "program-1089.tokens.json") or be an object of token name → value.', tokensNode.offset, tokensNode.length);
    else test.tokensFile = path;
  } else if (tokensNode && expectType(parsed, tokensNode, ['object'], 'an object of token name → value, or a tokens file path', 'test.tokens')) {
    reportDuplicateKeys(parsed, tokensNode, ' in "test.tokens"');
    for (const property of tokensNode.children ?? []) {
      const [keyNode, valueNode] = property.children ?? [];
      if (!keyNode || !valueNode) continue;
      const key = keyNode.value as string;
      const value = readTokenValue(valueNode, parsed.text);
      if (value === undefined) {
        parsed.sink.error(C.tokenValueInvalid, `The value of "${key}" must be a string, a number, or { "secret": "NAME" }.`, valueNode.offset, valueNode.length);
        continue;
      }
      test.tokens[key] = value;
      parsed.testTokens.push({ key, keyNode, value });
    }
  }
  return test;
}

function readTokenValue(node: Node, text: string): TokenValue | undefined {
  if (node.type === 'string') return node.value as string;
  // A number keeps its digits as written (`12345678901234567891`, `1.50`).
  if (node.type === 'number') return { number: text.slice(node.offset, node.offset + node.length) };
  if (node.type === 'boolean') return String(node.value);
  if (node.type === 'object') {
    const value = nodeValue(node) as Record<string, unknown>;
    const keys = Object.keys(value);
    if (keys.length === 1 && typeof value.secret === 'string' && value.secret.trim() !== '') return { secret: value.secret };
  }
  return undefined;
}

/** The plain value of a node (jsonc-parser's getNodeValue without its recursion limits). */
function nodeValue(node: Node): unknown {
  switch (node.type) {
    case 'object': {
      const obj: Record<string, unknown> = {};
      for (const p of node.children ?? []) {
        const [k, v] = p.children ?? [];
        if (k && v) obj[k.value as string] = nodeValue(v);
      }
      return obj;
    }
    case 'array':
      return (node.children ?? []).map(nodeValue);
    default:
      return node.value as unknown;
  }
}
