// Hover in definitions: a token shows what it reads and the value a run would use (the sample
// lead's, `test.tokens`', the system clock's); a key shows the Marketo editor field it mirrors and
// what it does; a `marketoField` shows the lead field and its type, or what is wrong with it; an
// enum value what it means. What is under the mouse comes from the engine (definition/cursor-context.ts).
import * as vscode from 'vscode';
import {
  elementAt, type KeyElement, type Span, type ValueElement, DEFINITION_KEYS, MAPPING_KEYS, TEST_KEYS, type KeyInfo, parseDefinition, type FieldCatalog, type LeadField, resolveMarketoField, parseResponsePath, type PathSegment, leadFromValue, leadValue, leadValueText, parseLeadText, type SampleLead, leadFieldName, namespaceOf, NAMESPACES, type NamespaceInfo, unhandled, normalizeTokenKey, systemTokenValue, type Token, jsonTokenType, numberTokenKeys, type TokenPlace, type TokenValue, type WebhookDefinition, sampleLeadSource, MASK,
} from '../engine';
import { FileRefusedError } from '../node/input-file';
import { DEFINITION_SELECTOR } from './language';
import { lastResponses } from './last-response';
import { defaultLeadSetting, settingId } from './config';
import { markdownCode as code, markdownMessage, markdownText as escapeMd, untrustedMarkdown } from './markdown-text';
import type { Services } from './services';
import { readDefinitionTokens } from './tokens-file';
import { LEAD_OUTSIDE_WHY, describeReadError, isMissing, readWorkspaceText } from './workspace-files';

export function registerHover(services: Services): vscode.Disposable {
  return vscode.languages.registerHoverProvider(DEFINITION_SELECTOR, {
    provideHover: async (document, position) => {
      try {
        return await hoverAt(services, document, position);
      } catch (error) {
        services.log.warn(`hover failed: ${error instanceof Error ? error.message : String(error)}`);
        return undefined;
      }
    },
  });
}

async function hoverAt(services: Services, document: vscode.TextDocument, position: vscode.Position): Promise<vscode.Hover | undefined> {
  const text = document.getText();
  const element = elementAt(text, document.offsetAt(position));
  const range = (span: Span) => new vscode.Range(document.positionAt(span.start), document.positionAt(span.end));
  let markdown: string | undefined;
  let span: Span | undefined;
  if (element.kind === 'key') {
    markdown = await keyHover(services, document, element);
    span = element.span;
  } else if (element.kind === 'value') {
    if (element.token && element.tokenSpan) {
      markdown = await tokenHover(services, document, text, element.token, element.tokenPlace);
      span = element.tokenSpan;
    } else if (!element.tokenPlace) {
      markdown = await valueHover(services, document, element);
      span = element.span;
    }
  }
  if (!markdown || !span) return undefined;
  return new vscode.Hover(untrustedMarkdown(markdown), range(span));
}

// ---- keys ---------------------------------------------------------------------------------------

function keysOf(path: KeyElement['objectPath']): { keys: Record<string, KeyInfo>; where: string } | undefined {
  if (path.length === 0) return { keys: DEFINITION_KEYS, where: '' };
  if (path.length === 1 && path[0] === 'test') return { keys: TEST_KEYS, where: 'test.' };
  if (path.length === 2 && path[0] === 'responseMappings' && typeof path[1] === 'number') return { keys: MAPPING_KEYS, where: 'responseMappings[].' };
  return undefined;
}

async function keyHover(services: Services, document: vscode.TextDocument, element: KeyElement): Promise<string | undefined> {
  const known = keysOf(element.objectPath);
  const info = known && Object.hasOwn(known.keys, element.key) ? known.keys[element.key] : undefined;
  if (known && info) {
    const lines = [
      `**${known.where}${element.key}**${info.marketoField ? ` · Marketo editor field **${info.marketoField}**` : ' · not part of Marketo (this workbench\'s own)'}${info.required ? ' · required' : ''}`,
      info.description,
    ];
    if (info.values) lines.push(`Values: ${info.values.map((v) => code(v)).join(', ')}${info.default !== undefined ? ` · default ${code(String(info.default))}` : ''}`);
    else if (info.default !== undefined) lines.push(`Default: ${code(String(info.default))}`);
    return lines.join('\n\n');
  }
  if (known) return `**${escapeMd(element.key)}** is not a key Marketo knows here; it is ignored.`;
  const [first, second] = element.objectPath;
  if (first === 'test' && second === 'lead' && element.objectPath.length === 2) {
    const catalog = await services.catalogs.catalogFor(document.uri);
    const field = catalog.byAnyName(element.key);
    return field ? fieldLines(field).join('  \n') : `No lead field is named ${code(element.key)}: tokens cannot read this value.`;
  }
  if (first === 'headers' && element.objectPath.length === 1) return `Custom header ${code(element.key)} (Set Custom Header). Tokens are allowed in its value, sent as they are.`;
  return undefined;
}

// ---- values -------------------------------------------------------------------------------------

/** The enum key a value path belongs to. */
export function enumInfoAt(path: readonly (string | number)[]): KeyInfo | undefined {
  if (path.length === 1 && typeof path[0] === 'string' && DEFINITION_KEYS[path[0]]?.kind === 'enum') return DEFINITION_KEYS[path[0]];
  if (path.length === 2 && path[0] === 'test' && path[1] === 'campaign') return TEST_KEYS.campaign;
  return undefined;
}

const ENUM_MEANINGS: Record<string, Record<string, string>> = {
  requestType: {
    GET: 'HTTP GET: no body is sent; Marketo ignores the template.',
    POST: 'HTTP POST: the template is sent as the body. The Marketo editor\'s default.',
    PUT: 'HTTP PUT: the template is sent as the body.',
    PATCH: 'HTTP PATCH: the template is sent as the body.',
    DELETE: 'HTTP DELETE: the template is sent as the body.',
  },
  requestTokenEncoding: {
    None: 'Token values are inserted raw, exactly as the lead holds them. Safe only where a value cannot hold quotes, `&`, `=`, spaces or line breaks.',
    'Form/Url': 'Each token value is URL-encoded as Java\'s URLEncoder does (space → `+`, `&` → `%26`): for form bodies and query strings. In the URL too (rule chosen here); never in headers.',
    JSON: 'Each text value is written as a JSON string literal, quotes included, and a number field\'s value (Lead Score, Annual Revenue) bare: write `{{lead.City}}` unquoted in the template (`"{{lead.City}}"` would send `""Paris""`).',
  },
  responseType: {
    None: 'Marketo does not read the response: response mappings write nothing.',
    JSON: 'The response is read as JSON; a Response Attribute is a dot path into it with integer indexes, e.g. `result[0].name`.',
    XML: 'The response is read as XML; paths start with the root element (`<a><b>x</b></a>` → `a.b`) and repeated elements are indexed.',
  },
  'test.campaign': {
    trigger: 'The Call Webhook step runs in a trigger campaign: the request is sent, as Marketo sends it.',
    batch: 'A batch campaign: Marketo does not call webhooks from batch campaigns and reports 1000; nothing is sent.',
  },
};

/** What an enum value means, in Markdown; undefined when it is not one of the key's values. */
export function enumValueMeaning(path: readonly (string | number)[], value: string): string | undefined {
  const table = ENUM_MEANINGS[path.join('.')];
  return table && Object.hasOwn(table, value) ? table[value] : undefined;
}

/** `string (255)`, `integer`. */
export function fieldTypeText(field: LeadField): string {
  return field.length !== undefined ? `${field.dataType} (${field.length})` : field.dataType;
}

async function valueHover(services: Services, document: vscode.TextDocument, element: ValueElement): Promise<string | undefined> {
  const info = enumInfoAt(element.path);
  if (info) {
    if (element.valueType !== 'string') return undefined;
    const value = String(element.value);
    const meaning = enumValueMeaning(element.path, value);
    const field = info.marketoField ?? element.path.join('.');
    if (!meaning) return `${code(value)} is not a valid ${field}: use one of ${(info.values ?? []).map((v) => code(v)).join(', ')}.`;
    return `**${field}** ${code(value)}${value === info.default ? ' (default)' : ''}\n\n${meaning}`;
  }
  const [first, index, last] = element.path;
  if (first !== 'responseMappings' || typeof index !== 'number' || element.path.length !== 3 || element.valueType !== 'string') return undefined;
  const value = String(element.value);
  if (last === 'marketoField') {
    const catalog = await services.catalogs.catalogFor(document.uri);
    const resolved = resolveMarketoField(value, catalog);
    if (resolved.ok) return ['**Marketo Field** (the lead field this mapping writes)', fieldLines(resolved.field).join('  \n')].join('\n\n');
    const lines = [`**Marketo Field** ${code(value)}: ${markdownMessage(resolved.reason)}`];
    if (resolved.field) lines.push(fieldLines(resolved.field).join('  \n'));
    return lines.join('\n\n');
  }
  if (last === 'responseAttribute') {
    const path = parseResponsePath(value);
    if (!path.ok) return `**Response Attribute** ${code(value)}: ${markdownMessage(path.error.message)}`;
    const body = lastResponses.get(document.uri);
    if (body === undefined) return `**Response Attribute** ${code(value)}: ${MAPPING_KEYS.responseAttribute?.description ?? ''}`;
    const found = walk(body, path.segments);
    return found.ok
      ? `**Response Attribute** ${code(value)}\n\nIn the last response: ${shownValue(found.value)}`
      : `**Response Attribute** ${code(value)}\n\nNot in the last response.`;
  }
  return undefined;
}

function walk(root: unknown, segments: readonly PathSegment[]): { ok: true; value: unknown } | { ok: false } {
  let current = root;
  for (const segment of segments) {
    if (segment.kind === 'key') {
      if (current === null || typeof current !== 'object' || Array.isArray(current) || !Object.hasOwn(current, segment.name)) return { ok: false };
      current = (current as Record<string, unknown>)[segment.name];
    } else {
      if (!Array.isArray(current) || segment.index >= current.length) return { ok: false };
      current = current[segment.index] as unknown;
    }
  }
  return { ok: true, value: current };
}

// ---- tokens -------------------------------------------------------------------------------------

async function tokenHover(services: Services, document: vscode.TextDocument, text: string, token: Token, place: TokenPlace | undefined): Promise<string> {
  const shown = await tokenLines(services, document, text, token);
  const definition = parseDefinition(text).definition;
  if (place === 'template' && definition?.requestTokenEncoding === 'JSON' && namespaceOf(token.namespace)) {
    // The same rule the request and validation follow (tokens/encoding.ts).
    const catalog = await services.catalogs.catalogFor(document.uri);
    const type = jsonTokenType(token, { catalog, numberTokens: numberTokenKeys(definition.test.tokens) });
    return `${shown}\n\n${type === 'number'
      ? 'Sent as a JSON number under JSON encoding: bare (`87`), and nothing at all when empty.'
      : 'Sent as a JSON string under JSON encoding: quoted and escaped (`"Ada"`), so write it without quotes.'}`;
  }
  return shown;
}

/** What a token reads and the value a run would use, as Markdown. */
async function tokenLines(services: Services, document: vscode.TextDocument, text: string, token: Token): Promise<string> {
  const written = `{{${token.namespace}.${token.name}${token.defaultValue !== undefined ? `:default=${token.defaultValue}` : ''}}}`;
  const ns = namespaceOf(token.namespace);
  if (!ns) return `${code(written)}: unknown namespace ${code(token.namespace)}. Marketo knows ${NAMESPACES.map((n) => code(n.id)).join(', ')}.`;
  const definition = parseDefinition(text).definition;
  const catalog = await services.catalogs.catalogFor(document.uri);
  const lines: string[] = [];
  const given = givenValue(definition, `${ns.id}.${token.name}`);
  const givenLine = given ? tokenValueLine(services, given) : await tokensFileLine(document, definition, `${ns.id}.${token.name}`);
  const fallback = token.defaultValue !== undefined && token.defaultValue !== ''
    ? `so Marketo sends the default ${code(token.defaultValue)}`
    : 'so Marketo sends it empty';

  const source = ns.value;
  switch (source.from) {
    case 'lead': {
      const names = source.names;
      const fieldName = leadFieldName(ns, token.name);
      const field = fieldName === undefined ? undefined : catalog.byDisplayName(fieldName);
      switch (names.by) {
        case 'token':
          if (fieldName === undefined) return `${code(written)}: Marketo has no ${names.what} ${code(token.name)}. ${capitalized(names.what)}s: ${Object.keys(names.tokens).map((n) => code(n)).join(', ')}.`;
          lines.push(`${code(written)}: ${names.what}, read from the lead field **${escapeMd(fieldName)}**`);
          break;
        case 'display-name': {
          const owner = names.owner.find((n) => n.toLowerCase() === token.name.trim().toLowerCase());
          if (owner) {
            lines.push(`${code(written)}: the lead owner's ${escapeMd(owner.replace(/^Lead Owner /, ''))} (from the owner's record)`);
          } else if (field) {
            lines.push(`${code(written)}: lead field${field.custom ? ' (custom, from your Describe Lead response)' : ''}`);
          } else {
            const other = catalog.byRestName(token.name) ?? catalog.bySoapName(token.name);
            return `${code(written)}: no lead field has the display name ${code(token.name)}${other ? `; lead tokens use display names: write ${code(`{{${ns.id}.${other.displayName}}}`)}` : '. If it is a custom field, add your Describe Lead response as marketo-fields.json'}.`;
          }
          break;
        }
        default:
          return unhandled(names);
      }
      if (field) lines.push(fieldLines(field).join('  \n'));
      if (givenLine) lines.push(givenLine);
      else lines.push(await leadLine(services, document, definition, catalog, fieldName ?? token.name, fallback));
      return lines.join('\n\n');
    }
    case 'clock': {
      lines.push(`${code(written)}: ${ns.description}`);
      const now = systemTokenValue(token.name, new Date());
      if (now === undefined) return `${lines[0] ?? ''}\n\nMarketo has no ${ns.id} token ${code(token.name)}: use ${knownNames(ns, catalog).map((n) => code(n)).join(', ')}.`;
      const example: Record<string, string> = { datetime: '2013-08-08 16:36:13', date: 'Aug 08, 2013', time: '04:34 PM (GMT -0700)' };
      lines.push(`Now: ${code(now)} (Marketo's format, e.g. ${code(example[token.name.toLowerCase()] ?? '')}, in the subscription's time zone; a run here uses this machine's)`);
      if (givenLine) lines.push(givenLine);
      return lines.join('\n\n');
    }
    case 'test.tokens': {
      lines.push(`${code(written)}: ${ns.description}`);
      const known = ns.knownNames?.(catalog);
      if (known && !known.some((n) => n.toLowerCase() === token.name.trim().toLowerCase())) {
        lines.push(`Marketo knows ${known.map((n) => code(`${ns.id}.${n}`)).join(', ')}.`);
      }
      lines.push(givenLine ?? `No value in \`test.tokens\`, ${fallback}. Add ${code(`"${ns.id}.${token.name}": "…"`)} to \`test.tokens\` to set one.`);
      return lines.join('\n\n');
    }
    default:
      return unhandled(source);
  }
}

function knownNames(ns: NamespaceInfo, catalog: FieldCatalog): readonly string[] {
  return ns.knownNames?.(catalog) ?? [];
}

function capitalized(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

function givenValue(definition: WebhookDefinition | undefined, key: string): TokenValue | undefined {
  if (!definition) return undefined;
  const wanted = normalizeTokenKey(key);
  const found = Object.entries(definition.test.tokens).find(([k]) => normalizeTokenKey(k) === wanted);
  return found?.[1];
}

/** The token's value in the definition's tokens file, or why that file gives none; undefined when it names none. */
async function tokensFileLine(document: vscode.TextDocument, definition: WebhookDefinition | undefined, key: string): Promise<string | undefined> {
  const read = await readDefinitionTokens(document, definition);
  if (!read) return undefined;
  if ('problem' in read) return `Tokens file ${code(read.file)}: ${markdownMessage(read.problem)}`;
  const wanted = normalizeTokenKey(key);
  const found = Object.entries(read.tokens).find(([k]) => normalizeTokenKey(k) === wanted);
  return found ? `Value in ${code(read.file)}: ${shownText(found[1])}` : `No value in ${code(read.file)}.`;
}

function tokenValueLine(services: Services, value: TokenValue): string {
  if (typeof value === 'string') return `Value in \`test.tokens\`: ${shownText(value)}`;
  if ('number' in value) return `Value in \`test.tokens\`: ${code(value.number)}, a JSON number (a Number or Score My Token)`;
  const set = services.secrets.names().includes(value.secret);
  return `Value in \`test.tokens\`: ${code(MASK)} from secret storage (${code(value.secret)}${set ? '' : ', not set yet: a run asks for it'})`;
}

async function leadLine(services: Services, document: vscode.TextDocument, definition: WebhookDefinition | undefined, catalog: FieldCatalog, displayName: string, fallback: string): Promise<string> {
  const source = await loadSampleLead(document, definition, catalog);
  if (!source) return 'No sample lead: set `test.lead` to a `*.lead.json` file or an inline object to see its value here.';
  if ('problem' in source) return `Sample lead ${source.label}: ${markdownMessage(source.problem)}`;
  const value = leadValue(source.lead, displayName, catalog);
  const shown = leadValueText(value);
  if (shown === '') return `Sample lead ${source.label}: no value, ${fallback}.`;
  return `Sample lead ${source.label}: ${shownText(shown)}`;
}

type LoadedLead = { label: string; lead: SampleLead } | { label: string; problem: string };

/** The sample lead a run would use: `test.lead` (a file relative to the definition, or inline), else the setting. */
async function loadSampleLead(document: vscode.TextDocument, definition: WebhookDefinition | undefined, catalog: FieldCatalog): Promise<LoadedLead | undefined> {
  const source = sampleLeadSource({ testLead: definition?.test.lead, setting: defaultLeadSetting(document.uri) });
  if (!source) return undefined;
  if ('inline' in source) {
    const read = leadFromValue(source.inline, catalog);
    return read.ok ? { label: '(inline `test.lead`)', lead: read.lead } : { label: '(inline `test.lead`)', problem: `not usable: ${read.message}.` };
  }
  const namedByDefinition = source.namedBy === 'test.lead';
  const label = namedByDefinition ? code(source.path) : `${code(source.path)} (setting \`${settingId('defaultLead')}\`)`;
  let uri: vscode.Uri;
  if (source.relativeTo === undefined) uri = vscode.Uri.file(source.path);
  else if (source.relativeTo === 'definition') {
    if (document.uri.scheme === 'untitled') return { label, problem: 'the definition is not saved yet, so a path relative to it leads nowhere.' };
    uri = vscode.Uri.joinPath(document.uri, '..', source.path);
  } else {
    const folder = vscode.workspace.getWorkspaceFolder(document.uri) ?? vscode.workspace.workspaceFolders?.[0];
    if (!folder) return { label, problem: 'no workspace folder to find it in.' };
    uri = vscode.Uri.joinPath(folder.uri, source.path);
  }
  // Read as a run reads it: `test.lead` only inside the workspace folder (so a hover never shows
  // what a file outside holds), the user's setting anywhere; a bounded regular file either way.
  let text: string;
  try {
    text = await readWorkspaceText(uri, namedByDefinition ? { within: { definition: document.uri, why: LEAD_OUTSIDE_WHY } } : {});
  } catch (error) {
    if (isMissing(error)) return { label, problem: 'the file does not exist.' };
    const reason = error instanceof FileRefusedError ? error.message : `cannot be read (${describeReadError(error)})`;
    return { label, problem: reason.endsWith('.') ? reason : `${reason}.` };
  }
  const read = parseLeadText(text, catalog);
  return read.ok ? { label, lead: read.lead } : { label, problem: `not usable: ${read.message}.` };
}


// ---- Markdown -----------------------------------------------------------------------------------

function fieldLines(field: LeadField): string[] {
  return [
    `Display name: **${escapeMd(field.displayName)}**${field.custom ? ' (custom field)' : ''}`,
    `REST API name: ${code(field.restName)}`,
    `SOAP API name: ${field.soapName ? code(field.soapName) : 'none (a response mapping cannot write this field)'}`,
    `Type: ${escapeMd(field.dataType)}${field.length !== undefined ? `, length ${field.length}` : ''}${field.readOnly ? ' · read-only' : ''}`,
  ];
}

function shownText(value: string): string {
  return value === '' ? '*(empty)*' : code(value);
}

function shownValue(value: unknown): string {
  if (typeof value === 'string') return shownText(value);
  if (Array.isArray(value)) return `a list of ${value.length}`;
  if (value !== null && typeof value === 'object') return 'an object';
  return code(String(value));
}
