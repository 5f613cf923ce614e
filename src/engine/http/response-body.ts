// Reads a webhook response body into the plain tree that Response Attribute paths walk, the way
// Marketo reads it (docs/marketo-behaviour.md#response-mappings):
// - JSON: as parsed; a number whose digits a JS number would change keeps its text beside the
//   tree (`numberTexts`), so a mapping writes the digits the service sent (#numbers).
// - XML: the root element is the first level (`<example><foo>bar</foo></example>` → `example.foo`);
//   repeated sibling elements become an array (`elementList.element[0]`), a single element does
//   not; values stay strings; attributes are ignored, because Marketo maps elements.
// Never throws: a body is untrusted input from any service.
import type * as FastXmlParser from 'fast-xml-parser';
import type { X2jOptions } from 'fast-xml-parser';
import { parse as parseJsonc, visit, type ParseError } from 'jsonc-parser';
import { MAX_XML_DEPTH } from '../limits';

/**
 * The source text of the JSON numbers a JS number does not print back the same way
 * (`12345678901234567891`, `1.0`, `1e3`), by the object or array that holds them and their key or index.
 */
export type NumberTexts = WeakMap<object, Map<string | number, string>>;

export type ParsedBody =
  | { ok: true; value: unknown; warnings: string[]; numberTexts?: NumberTexts }
  | { ok: false; reason: string };

/** Deeper XML is refused rather than read: no real response needs it, and it costs stack. */
const MAX_WARNINGS = 20;

export function parseResponseBody(body: string, responseType: 'JSON' | 'XML'): ParsedBody {
  try {
    // A byte order mark is an encoding detail, not content.
    const text = body.startsWith('\uFEFF') ? body.slice(1) : body;
    return responseType === 'JSON' ? parseJson(text) : parseXml(text);
  } catch (e) {
    // Last line of defence (RangeError from a stack overflow, or a parser bug).
    const what = responseType === 'JSON' ? 'JSON' : 'XML';
    if (e instanceof RangeError) return { ok: false, reason: `The response could not be read as ${what}: it is nested too deeply.` };
    return { ok: false, reason: `The response could not be read as ${what}: ${printable(errorMessage(e))}` };
  }
}

/** Where a strict JSON parse first fails, as `line L, column C` (jsonc-parser has the offset V8 omits). */
function unexpectedCharacterAt(text: string): string {
  const errors: ParseError[] = [];
  parseJsonc(text, errors, { disallowComments: true, allowTrailingComma: false, allowEmptyContent: false });
  const offset = errors[0]?.offset ?? 0;
  const { line, column } = lineColumn(text, offset);
  return `line ${line}, column ${column}`;
}

function parseJson(text: string): ParsedBody {
  if (text.trim() === '') return { ok: false, reason: 'The response is not valid JSON: the body is empty.' };
  let value: unknown;
  try {
    value = JSON.parse(text) as unknown;
  } catch (e) {
    let message = errorMessage(e);
    // V8 says "at position N"; people count lines and columns.
    const at = /\s+in JSON at position (\d+)(?: \(line \d+ column \d+\))?/.exec(message);
    if (at?.[1] !== undefined) {
      const { line, column } = lineColumn(text, Number(at[1]));
      message = `${message.slice(0, at.index)} at line ${line}, column ${column}`;
    } else if (/^Unexpected token /.test(message)) {
      // V8's other form quotes the offending character and a snippet of the body, which may hold
      // a secret's first character that no mask can tell apart: say where instead.
      message = `Unexpected character at ${unexpectedCharacterAt(text)}`;
    }
    return { ok: false, reason: `The response is not valid JSON: ${printable(shorten(message, 200))}.` };
  }
  // Valid JSON. Where every number reads back as written, JSON.parse's tree is the whole answer
  // (its keys are own properties, `__proto__` included). Otherwise read again with offsets, for the
  // numbers' digits: three times the work, so only when a number needs it. A body nested too
  // deeply for that reader keeps JSON.parse's tree (numbers as JS numbers).
  if (!mayHaveNumberNotAsWritten(text)) return { ok: true, value, warnings: [] };
  try {
    return { ok: true, warnings: [], ...jsonWithNumberTexts(text) };
  } catch (e) {
    if (e instanceof RangeError) return { ok: true, value, warnings: [] };
    throw e;
  }
}

/**
 * Whether some number literal of the text may not read back as written (`String(JSON.parse(n)) !== n`).
 * A number reads back as written unless it has an exponent, a fraction ending in 0, 16 or more
 * digits (past a double's 15 significant ones, or into exponent form at 1e21), six zeros after
 * the point (exponent form below 1e-6), or is -0. Strings are not told apart from numbers here:
 * a string that looks like one only costs the slower read.
 */
export function mayHaveNumberNotAsWritten(text: string): boolean {
  return /[0-9][eE]|\.[0-9]*0(?![0-9])|[0-9][0-9.]{15}|\.0{6}|-0(?![.0-9])/.test(text);
}

/** The same tree as JSON.parse (own keys, the last of duplicate keys), with the numbers' texts. */
function jsonWithNumberTexts(text: string): { value: unknown; numberTexts: NumberTexts } {
  const numberTexts: NumberTexts = new WeakMap();
  const open: { container: Record<string, unknown> | unknown[]; key: string }[] = [];
  let root: unknown;
  const place = (value: unknown, source?: string): void => {
    const top = open.at(-1);
    if (!top) {
      root = value;
      return;
    }
    const { container } = top;
    const key: string | number = Array.isArray(container) ? container.length : top.key;
    if (Array.isArray(container)) container.push(value);
    else setOwn(container, top.key, value);
    let texts = numberTexts.get(container);
    if (source !== undefined) {
      if (!texts) numberTexts.set(container, (texts = new Map<string | number, string>()));
      texts.set(key, source);
    } else {
      texts?.delete(key); // a duplicate key replaced a number
    }
  };
  visit(text, {
    onObjectBegin: () => {
      const object: Record<string, unknown> = {};
      place(object);
      open.push({ container: object, key: '' });
    },
    onObjectProperty: (name) => {
      const top = open.at(-1);
      if (top) top.key = name;
    },
    onObjectEnd: () => void open.pop(),
    onArrayBegin: () => {
      const array: unknown[] = [];
      place(array);
      open.push({ container: array, key: '' });
    },
    onArrayEnd: () => void open.pop(),
    onLiteralValue: (value: unknown, offset: number, length: number) => {
      if (typeof value !== 'number') return place(value);
      const source = text.slice(offset, offset + length);
      place(value, String(value) === source ? undefined : source);
    },
  }, { disallowComments: true, allowTrailingComma: false });
  return { value: root, numberTexts };
}

function lineColumn(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  const end = Math.min(offset, text.length);
  for (let i = 0; i < end; i++) {
    if (text.charCodeAt(i) === 10) {
      line++;
      lineStart = i + 1;
    }
  }
  return { line, column: end - lineStart + 1 };
}

// ---- XML ----

/** A node of fast-xml-parser's `preserveOrder` output: `{ tag: children }` or `{ '#text': value }`. */
type OrderedNode = Record<string, unknown>;

/**
 * Tag names are passed through the parser with this prefix, which cannot start an XML name. It
 * keeps names such as `constructor` or `toString` from the parser's prototype-pollution guards
 * (which would reject or rename them) and keeps `#text` apart from any element. The transform
 * must be idempotent: the parser applies it twice to self-closing tags.
 */
const MARK = '\u0001';
const markTag = (name: string): string => (name.startsWith(MARK) ? name : MARK + name);

const XML_BUILTINS: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

/**
 * Decodes only the five XML entities and character references. Entities declared in a DOCTYPE
 * are recorded but never expanded, so a "billion laughs" body costs nothing.
 */
function builtinEntityDecoder(declared: string[]): NonNullable<X2jOptions['entityDecoder']> {
  return {
    setExternalEntities: () => undefined,
    addInputEntities: (entities: Record<string, string>) => {
      declared.push(...Object.keys(entities));
    },
    reset: () => undefined,
    setXmlVersion: () => undefined,
    decode: (text: string) => {
      if (!text.includes('&')) return text;
      return text.replace(/&(?:([a-z]+)|#([0-9]{1,7})|#x([0-9a-fA-F]{1,6}));/g, (whole, name?: string, dec?: string, hex?: string) => {
        if (name !== undefined) return Object.hasOwn(XML_BUILTINS, name) ? XML_BUILTINS[name] as string : whole;
        const cp = dec !== undefined ? Number(dec) : parseInt(hex ?? '', 16);
        const valid = cp > 0 && cp <= 0x10ffff && !(cp >= 0xd800 && cp <= 0xdfff);
        return valid ? String.fromCodePoint(cp) : whole;
      });
    },
  };
}

let xmlParser: typeof FastXmlParser | undefined;

/**
 * The XML parser is required on the first XML body, not when this module loads, so that the
 * extension's activation does not pay for it (the bundle keeps it in a file of its own).
 */
function fastXmlParser(): typeof FastXmlParser {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- a deliberate lazy load
  xmlParser ??= require('fast-xml-parser') as typeof FastXmlParser;
  return xmlParser;
}

function parseXml(text: string): ParsedBody {
  const { XMLParser, XMLValidator } = fastXmlParser();
  const checked = XMLValidator.validate(text);
  if (checked !== true) {
    const { msg, line, col } = checked.err;
    const where = typeof col === 'number' ? `line ${line}, column ${col}` : `line ${line}`;
    return { ok: false, reason: `The response is not valid XML: ${printable(shorten(msg.replace(/\.$/, ''), 200))} (${where}).` };
  }

  const declared: string[] = [];
  const parser = new XMLParser({
    preserveOrder: true,
    ignoreAttributes: true,
    parseTagValue: false,
    trimValues: true,
    ignoreDeclaration: true,
    ignorePiTags: true,
    commentPropName: false,
    cdataPropName: false,
    htmlEntities: false,
    // Kept enabled so that &amp; and friends are decoded; DOCTYPE entities go to the decoder
    // above, which does not expand them. The limits bound what the DOCTYPE reader accepts.
    processEntities: { enabled: true, maxEntitySize: 10_000, maxEntityCount: 100, maxTotalExpansions: 1000, maxExpandedLength: 100_000 },
    entityDecoder: builtinEntityDecoder(declared),
    transformTagName: markTag,
    // The parser allows one level more than this number.
    maxNestedTags: MAX_XML_DEPTH - 1,
  });

  let ordered: unknown;
  try {
    ordered = parser.parse(text);
  } catch (e) {
    const message = errorMessage(e);
    if (/nested tags/i.test(message)) {
      return { ok: false, reason: `The response XML is nested more than ${MAX_XML_DEPTH} levels deep, so it is not read.` };
    }
    return { ok: false, reason: `The response could not be read as XML: ${printable(shorten(message, 200))}.` };
  }

  const roots = elementsOf(Array.isArray(ordered) ? (ordered as OrderedNode[]) : []);
  if (roots.length === 0) return { ok: false, reason: 'The response is not valid XML: it has no root element.' };
  if (roots.length > 1) {
    const names = roots.slice(0, 3).map(([name]) => `\`${name}\``).join(', ');
    return { ok: false, reason: `The response is not valid XML: it has more than one root element (${names}).` };
  }

  const warnings: string[] = [];
  const [rootName, rootChildren] = roots[0] as [string, OrderedNode[]];
  const value: Record<string, unknown> = {};
  setOwn(value, rootName, buildElement(rootChildren, rootName, warnings));
  if (declared.length > 0) {
    const names = declared.slice(0, 5).map((n) => `\`${n}\``).join(', ');
    warnings.push(`The response declares its own entities (${names}) in a DOCTYPE; they are not expanded here.`);
  }
  if (warnings.length > MAX_WARNINGS) {
    const more = warnings.length - MAX_WARNINGS;
    warnings.length = MAX_WARNINGS;
    warnings.push(`…and ${more} more warning${more === 1 ? '' : 's'} like these.`);
  }
  return { ok: true, value, warnings };
}

/** The element children of a node list, as [unmarked name, children] in document order. */
function elementsOf(nodes: readonly OrderedNode[]): Array<[string, OrderedNode[]]> {
  const out: Array<[string, OrderedNode[]]> = [];
  for (const node of nodes) {
    for (const key of Object.keys(node)) {
      if (!key.startsWith(MARK)) continue;
      const children = node[key];
      out.push([key.slice(MARK.length), Array.isArray(children) ? (children as OrderedNode[]) : []]);
    }
  }
  return out;
}

function textOf(nodes: readonly OrderedNode[]): string {
  let text = '';
  for (const node of nodes) {
    const t = node['#text'];
    // parseTagValue is off, so text is always a string.
    if (typeof t === 'string') text += t;
  }
  return text;
}

/**
 * An element becomes its text (a leaf, '' when empty) or an object of its child elements.
 * Recursion is bounded by MAX_XML_DEPTH, which the parser enforces.
 */
function buildElement(children: readonly OrderedNode[], where: string, warnings: string[]): unknown {
  const elements = elementsOf(children);
  if (elements.length === 0) return textOf(children);

  if (textOf(children).trim() !== '') {
    warnings.push(`Element \`${where}\` holds both text and child elements; its text cannot be mapped and is ignored here.`);
  }

  const groups = new Map<string, Array<OrderedNode[]>>();
  for (const [name, kids] of elements) {
    const group = groups.get(name);
    if (group) group.push(kids);
    else groups.set(name, [kids]);
  }

  const repeated = [...groups].filter(([, g]) => g.length > 1).map(([name]) => name);
  const unique = [...groups].filter(([, g]) => g.length === 1).map(([name]) => name);
  if (repeated.length > 0 && unique.length > 0) {
    warnings.push(
      `Element \`${where}\` has both repeated children (${list(repeated)}) and unique children (${list(unique)}): ` +
        'this is undefined behaviour in Marketo, so mappings below it may not resolve as shown.',
    );
  }

  const out: Record<string, unknown> = {};
  for (const [name, group] of groups) {
    const path = `${where}.${name}`;
    const value =
      group.length === 1
        ? buildElement(group[0] ?? [], path, warnings)
        : group.map((kids, i) => buildElement(kids, `${path}[${i}]`, warnings));
    setOwn(out, name, value);
  }
  return out;
}

/** `__proto__` is a legal element name; a plain assignment would change the prototype instead. */
function setOwn(target: Record<string, unknown>, key: string, value: unknown): void {
  Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
}

function list(names: readonly string[]): string {
  const shown = names.slice(0, 3).map((n) => `\`${n}\``).join(', ');
  return names.length > 3 ? `${shown}, …` : shown;
}

// ---- helpers ----

function errorMessage(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

function shorten(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

/** Binary bodies end up quoted in messages; keep those printable. */
function printable(text: string): string {
  let out = '';
  for (const c of text) {
    const code = c.charCodeAt(0);
    out += code < 0x20 || (code >= 0x7f && code <= 0x9f) ? `\\u${code.toString(16).padStart(4, '0')}` : c;
  }
  return out;
}
