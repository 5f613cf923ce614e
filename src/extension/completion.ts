// Completion in definitions: keys and enum values where they belong; inside the URL, the template
// and header values Marketo's tokens (namespaces after `{{`, then the names the namespace knows:
// lead fields of this definition's catalog, custom fields included, `my.` tokens declared in
// `test.tokens`, …, and `:default=`); `marketoField` SOAP names; `responseAttribute` paths of the
// last response. Where the cursor is comes from the engine (definition/cursor-context.ts); this layer only
// turns it into items.
import * as vscode from 'vscode';
import {
  cursorContext, type KeyContext, type Span, type TokenAtCursor, type ValueContext, DEFINITION_KEYS, MAPPING_KEYS, TEST_KEYS, type KeyInfo, parseDefinition, type LeadField, NAMESPACES, namespaceOf, normalizeTokenKey, scanTokens, takesTestTokenValue, unhandled, type NamespaceInfo, jsonFragment, MASK,
} from '../engine';
import { VSCODE_COMMANDS } from './config';
import { enumInfoAt, enumValueMeaning, fieldTypeText } from './hover';
import { markdownCode, markdownText, untrustedMarkdown } from './markdown-text';
import { DEFINITION_SELECTOR } from './language';
import { lastResponses, responsePaths } from './last-response';
import type { Services } from './services';
import { readDefinitionTokens } from './tokens-file';

export const COMPLETION_TRIGGER_CHARACTERS = ['{', '.', '"', ':'];
const DEFAULT_MARKER = ':default=';

export function registerCompletion(services: Services): vscode.Disposable {
  const provider: vscode.CompletionItemProvider = {
    provideCompletionItems: async (document, position) => {
      try {
        return await completionsAt(services, document, position);
      } catch (error) {
        // Half-typed text must never surface as an error: no items is the answer.
        services.log.warn(`completion failed: ${error instanceof Error ? error.message : String(error)}`);
        return undefined;
      }
    },
  };
  return vscode.languages.registerCompletionItemProvider(DEFINITION_SELECTOR, provider, ...COMPLETION_TRIGGER_CHARACTERS);
}

async function completionsAt(services: Services, document: vscode.TextDocument, position: vscode.Position): Promise<vscode.CompletionItem[] | undefined> {
  const text = document.getText();
  const offset = document.offsetAt(position);
  const ctx = cursorContext(text, offset);
  if (ctx.kind === 'none') return undefined;
  const range = (span: Span) => new vscode.Range(document.positionAt(span.start), document.positionAt(span.end));
  if (ctx.kind === 'key') {
    const items = await keyItems(services, document, ctx, text, range);
    // A key typed after a value with no comma between: the item adds the comma too.
    if (ctx.missingComma !== undefined && !ctx.hasColon) {
      const comma = vscode.TextEdit.insert(document.positionAt(ctx.missingComma), ',');
      for (const item of items ?? []) item.additionalTextEdits = [comma];
    }
    return items;
  }
  if (ctx.token) return tokenItems(services, document, ctx.token, text, offset, range);
  if (ctx.tokenPlace) return undefined;
  return valueItems(services, document, ctx, text, range);
}

type ToRange = (span: Span) => vscode.Range;

// ---- keys ---------------------------------------------------------------------------------------

function knownKeysOf(path: KeyContext['objectPath']): Record<string, KeyInfo> | undefined {
  if (path.length === 0) return DEFINITION_KEYS;
  if (path.length === 1 && path[0] === 'test') return TEST_KEYS;
  if (path.length === 2 && path[0] === 'responseMappings' && typeof path[1] === 'number') return MAPPING_KEYS;
  return undefined;
}

async function keyItems(services: Services, document: vscode.TextDocument, ctx: KeyContext, text: string, range: ToRange): Promise<vscode.CompletionItem[] | undefined> {
  const present = new Set(ctx.presentKeys);
  const comma = needsComma(text, ctx.replace.end) ? ',' : '';
  const known = knownKeysOf(ctx.objectPath);
  if (known) {
    return Object.entries(known).filter(([key]) => !present.has(key)).map(([key, info], i) => {
      const item = new vscode.CompletionItem(key, vscode.CompletionItemKind.Property);
      item.detail = info.marketoField ? `Marketo: ${info.marketoField}` : 'Not part of Marketo: how this workbench runs it';
      item.documentation = keyDocumentation(info);
      item.range = range(ctx.replace);
      item.filterText = ctx.inString ? JSON.stringify(key) : key;
      // Required keys first, then the order of the Marketo editor.
      item.sortText = `${info.required ? '0' : '1'}${String(i).padStart(2, '0')}`;
      item.insertText = ctx.hasColon ? JSON.stringify(key) : keySnippet(key, info, comma);
      return item;
    });
  }
  const [first, second] = ctx.objectPath;
  if (first === 'test' && second === 'tokens' && ctx.objectPath.length === 2) return undeclaredTokenItems(text, ctx, present, comma, range);
  if (first === 'test' && second === 'lead' && ctx.objectPath.length === 2) {
    const catalog = await services.catalogs.catalogFor(document.uri);
    const written = new Set([...present].map((k) => catalog.byAnyName(k)).filter((f): f is LeadField => f !== undefined));
    return catalog.fields.filter((f) => !written.has(f)).map((field) => {
      const item = new vscode.CompletionItem(field.displayName, vscode.CompletionItemKind.Field);
      item.detail = fieldDetail(field);
      item.range = range(ctx.replace);
      item.filterText = ctx.inString ? JSON.stringify(field.displayName) : field.displayName;
      item.insertText = ctx.hasColon ? JSON.stringify(field.displayName) : new vscode.SnippetString().appendText(`${JSON.stringify(field.displayName)}: "`).appendTabstop(1).appendText(`"${comma}`);
      return item;
    });
  }
  return undefined;
}

function keyDocumentation(info: KeyInfo): vscode.MarkdownString {
  const md = new vscode.MarkdownString();
  md.appendMarkdown(info.marketoField ? `Marketo editor field: **${info.marketoField}**\n\n` : 'Not part of Marketo: how this workbench runs the definition.\n\n');
  md.appendMarkdown(info.description);
  if (info.values) md.appendMarkdown(`\n\nValues: ${info.values.map((v) => `\`${v}\``).join(', ')}`);
  if (info.default !== undefined) md.appendMarkdown(` · default \`${String(info.default)}\``);
  return md;
}

/** `"key": value` with the value Marketo's editor would start from; enum values as a choice, the default first. */
function keySnippet(key: string, info: KeyInfo, comma: string): vscode.SnippetString {
  const s = new vscode.SnippetString().appendText(`${JSON.stringify(key)}: `);
  switch (info.kind) {
    case 'enum': {
      const values = [...(info.values ?? [])];
      const def = String(info.default ?? values[0] ?? '');
      s.appendText('"').appendChoice([def, ...values.filter((v) => v !== def)]).appendText('"');
      break;
    }
    case 'headers':
      s.appendText('{ "').appendPlaceholder('Content-Type', 1).appendText('": "').appendPlaceholder('application/json', 2).appendText('" }');
      break;
    case 'mappings':
      s.appendText('[{ "responseAttribute": "').appendTabstop(1).appendText('", "marketoField": "').appendTabstop(2).appendText('" }]');
      break;
    case 'object':
      s.appendText('{ ').appendTabstop(1).appendText(' }');
      break;
    case 'number':
      s.appendPlaceholder(String(info.default ?? 0), 1);
      break;
    case 'lead':
      s.appendText('"').appendPlaceholder('sample.lead.json', 1).appendText('"');
      break;
    case 'string':
      if (key === 'url') s.appendText('"https://').appendTabstop(1).appendText('"');
      else s.appendText('"').appendTabstop(1).appendText('"');
      break;
    case 'template':
      s.appendText('"').appendTabstop(1).appendText('"');
      break;
  }
  s.appendText(comma);
  return s;
}

/** Another property follows without a comma: the inserted one needs its own. */
function needsComma(text: string, from: number): boolean {
  const rest = text.slice(from, from + 2000).replace(/^(?:\s|\/\/[^\n]*|\/\*[\s\S]*?\*\/)*/, '');
  return rest.startsWith('"');
}

/** In `test.tokens`: the non-lead tokens the definition uses that have no value yet. */
function undeclaredTokenItems(text: string, ctx: KeyContext, present: Set<string>, comma: string, range: ToRange): vscode.CompletionItem[] {
  const parsed = parseDefinition(text);
  const declared = new Set([...present].map(normalizeTokenKey));
  const seen = new Set<string>();
  const items: vscode.CompletionItem[] = [];
  const sources = [parsed.url?.value, parsed.template?.value, ...parsed.headers.map((h) => h.value.value)];
  for (const source of sources) {
    if (source === undefined) continue;
    for (const token of scanTokens(source).tokens) {
      const ns = namespaceOf(token.namespace);
      if (!ns || !takesTestTokenValue(ns)) continue;
      const key = `${ns.id}.${token.name}`;
      const normalized = normalizeTokenKey(key);
      if (declared.has(normalized) || seen.has(normalized)) continue;
      seen.add(normalized);
      const item = new vscode.CompletionItem(key, vscode.CompletionItemKind.Variable);
      item.detail = `the value of {{${key}}} in a run`;
      item.range = range(ctx.replace);
      item.filterText = ctx.inString ? JSON.stringify(key) : key;
      item.insertText = ctx.hasColon ? JSON.stringify(key) : new vscode.SnippetString().appendText(`${JSON.stringify(key)}: "`).appendTabstop(1).appendText(`"${comma}`);
      items.push(item);
    }
  }
  return items;
}

// ---- values -------------------------------------------------------------------------------------

async function valueItems(services: Services, document: vscode.TextDocument, ctx: ValueContext, text: string, range: ToRange): Promise<vscode.CompletionItem[] | undefined> {
  if (ctx.valueType !== undefined && ctx.valueType !== 'string') return undefined;
  // Outside quotes the item brings its own; right after the colon, a space as well.
  const quote = (value: string) => {
    if (ctx.inString) return jsonFragment(value) + (ctx.terminated ? '' : '"');
    return `${text[ctx.replace.start - 1] === ':' ? ' ' : ''}${JSON.stringify(value)}`;
  };
  const enumInfo = enumInfoAt(ctx.path);
  if (enumInfo) {
    return (enumInfo.values ?? []).map((value, i) => {
      const isDefault = value === enumInfo.default;
      const item = new vscode.CompletionItem(isDefault ? { label: value, description: 'default' } : value, vscode.CompletionItemKind.EnumMember);
      item.detail = `${enumInfo.marketoField ?? (ctx.path.join('.'))}${isDefault ? ' (default)' : ''}`;
      const meaning = enumValueMeaning(ctx.path, value);
      if (meaning) item.documentation = new vscode.MarkdownString(meaning);
      item.range = range(ctx.replace);
      item.insertText = quote(value);
      item.filterText = value;
      item.sortText = String(i).padStart(2, '0');
      item.preselect = isDefault;
      return item;
    });
  }
  const [first, index, last] = ctx.path;
  if (first === 'responseMappings' && typeof index === 'number' && ctx.path.length === 3) {
    if (last === 'marketoField') {
      const catalog = await services.catalogs.catalogFor(document.uri);
      return catalog.fields.flatMap((field) => {
        if (!field.soapName) return [];
        const item = new vscode.CompletionItem(field.soapName, vscode.CompletionItemKind.Field);
        item.detail = `${field.displayName} · ${fieldTypeText(field)}${field.custom ? ' · custom' : ''}`;
        item.documentation = untrustedMarkdown(`Lead field **${markdownText(field.displayName)}** (REST ${markdownCode(field.restName)})${field.readOnly ? '\n\nRead-only in the API.' : ''}`);
        item.range = range(ctx.replace);
        item.insertText = quote(field.soapName);
        // Typing the display name finds the SOAP name too.
        item.filterText = `${field.soapName} ${field.displayName}`;
        return [item];
      });
    }
    if (last === 'responseAttribute') {
      const body = lastResponses.get(document.uri);
      if (body === undefined) return undefined;
      return responsePaths(body).map(({ path, value }, i) => {
        const leaf = value === null || typeof value !== 'object';
        const item = new vscode.CompletionItem(path, leaf ? vscode.CompletionItemKind.Value : vscode.CompletionItemKind.Module);
        item.detail = `last response: ${preview(value)}`;
        item.range = range(ctx.replace);
        item.insertText = quote(path);
        item.filterText = path;
        item.sortText = String(i).padStart(5, '0');
        return item;
      });
    }
  }
  return undefined;
}

function preview(value: unknown): string {
  if (Array.isArray(value)) return `a list of ${value.length}`;
  if (value !== null && typeof value === 'object') return 'an object';
  const shown = JSON.stringify(value) ?? String(value);
  return shown.length > 60 ? `${shown.slice(0, 57)}...` : shown;
}

// ---- tokens -------------------------------------------------------------------------------------

async function tokenItems(services: Services, document: vscode.TextDocument, token: TokenAtCursor, text: string, offset: number, range: ToRange): Promise<vscode.CompletionItem[] | undefined> {
  if (token.part === 'namespace') {
    return NAMESPACES.map((ns, i) => {
      const item = new vscode.CompletionItem(`${ns.id}.`, vscode.CompletionItemKind.Module);
      item.detail = `{{${ns.id}.…}}`;
      item.documentation = new vscode.MarkdownString(ns.description);
      item.range = range(token.replace);
      item.sortText = String(i);
      if (token.hasDot) {
        item.insertText = ns.id;
      } else {
        item.insertText = `${ns.id}.`;
        // The names of the namespace come next.
        item.command = { command: VSCODE_COMMANDS.triggerSuggest, title: 'Suggest token names' };
      }
      return item;
    });
  }
  const close = token.closed ? '' : '}}';
  if (token.part === 'default-marker') {
    const item = new vscode.CompletionItem(DEFAULT_MARKER, vscode.CompletionItemKind.Keyword);
    item.detail = 'fallback when the value is empty';
    item.documentation = untrustedMarkdown(`${markdownCode(`{{${token.namespace}.${token.name ?? ''}${DEFAULT_MARKER}value}}`)} sends \`value\` when the token has no value.`);
    item.range = range(token.replace);
    item.insertText = new vscode.SnippetString().appendText(DEFAULT_MARKER).appendTabstop(1).appendText(close);
    return [item];
  }
  if (token.part !== 'name') return undefined;
  const ns = namespaceOf(token.namespace);
  if (!ns) return undefined;
  const items = (await tokenNames(services, document, text, ns)).map((n) => {
    const item = new vscode.CompletionItem(n.label, n.kind);
    if (n.detail) item.detail = n.detail;
    if (n.documentation) item.documentation = new vscode.MarkdownString(n.documentation);
    item.range = range(token.replace);
    item.insertText = jsonFragment(n.label) + close;
    return item;
  });
  // After a whole name: `:default=`, appended to what is written.
  const written = text.slice(token.replace.start, offset);
  if (token.prefix !== '' && token.defaultValue === undefined && token.replace.end === offset) {
    const item = new vscode.CompletionItem(DEFAULT_MARKER, vscode.CompletionItemKind.Keyword);
    item.detail = 'fallback when the value is empty';
    item.range = range({ start: token.replace.start, end: offset });
    item.filterText = `${written}${DEFAULT_MARKER}`;
    item.sortText = '~';
    item.insertText = new vscode.SnippetString().appendText(`${written}${DEFAULT_MARKER}`).appendTabstop(1).appendText(close);
    items.push(item);
  }
  return items;
}

interface NameItem {
  label: string;
  kind: vscode.CompletionItemKind;
  detail?: string;
  documentation?: string;
}

async function tokenNames(services: Services, document: vscode.TextDocument, text: string, ns: NamespaceInfo): Promise<NameItem[]> {
  const source = ns.value;
  switch (source.from) {
    case 'lead': {
      // Field-backed: the names lead to lead fields (namespaces.ts).
      const names = source.names;
      switch (names.by) {
        case 'display-name': {
          const catalog = await services.catalogs.catalogFor(document.uri);
          return [
            ...catalog.fields.map((field): NameItem => ({ label: field.displayName, kind: vscode.CompletionItemKind.Field, detail: fieldDetail(field) })),
            ...names.owner.map((name): NameItem => ({ label: name, kind: vscode.CompletionItemKind.Field, detail: 'lead owner' })),
          ];
        }
        case 'token':
          return Object.entries(names.tokens).map(([name, field]): NameItem => ({ label: name, kind: vscode.CompletionItemKind.Field, detail: `reads the lead field ${field}` }));
        default:
          return unhandled(names);
      }
    }
    case 'clock':
    case 'test.tokens': {
      const declared = await declaredTokens(document, text, ns);
      const known = ns.knownNames ? [...ns.knownNames(await services.catalogs.catalogFor(document.uri))] : [];
      const out: NameItem[] = known.map((name) => ({ label: name, kind: vscode.CompletionItemKind.Constant, detail: ns.description }));
      const have = new Set(known.map((n) => n.toLowerCase()));
      for (const [name, shown] of declared) {
        if (have.has(name.toLowerCase())) continue;
        have.add(name.toLowerCase());
        out.push({ label: name, kind: vscode.CompletionItemKind.Variable, detail: shown });
      }
      return out;
    }
    default:
      return unhandled(source);
  }
}

/**
 * Names declared in `test.tokens` for a namespace (inline, or in the tokens file it names), with
 * their value as shown (secrets masked) after where it comes from.
 */
async function declaredTokens(document: vscode.TextDocument, text: string, ns: NamespaceInfo): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  const definition = parseDefinition(text).definition;
  const file = await readDefinitionTokens(document, definition);
  if (file && 'tokens' in file) {
    for (const [key, value] of Object.entries(file.tokens)) {
      const dot = key.indexOf('.');
      if (dot <= 0 || namespaceOf(key.slice(0, dot)) !== ns) continue;
      const name = key.slice(dot + 1);
      if (name.trim() !== '') out.set(name, `${file.file}: ${JSON.stringify(value)}`);
    }
  }
  for (const [key, value] of Object.entries(definition?.test.tokens ?? {})) {
    const dot = key.indexOf('.');
    if (dot <= 0 || namespaceOf(key.slice(0, dot)) !== ns) continue;
    const name = key.slice(dot + 1);
    if (name.trim() === '') continue;
    out.set(name, `test.tokens: ${typeof value === 'string' ? JSON.stringify(value) : 'number' in value ? value.number : `${MASK} (secret ${value.secret})`}`);
  }
  return out;
}

export function fieldDetail(field: LeadField): string {
  return `${fieldTypeText(field)} · REST ${field.restName}${field.soapName ? ` · SOAP ${field.soapName}` : ''}${field.custom ? ' · custom' : ''}`;
}

