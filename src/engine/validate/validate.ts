// Validation of a definition: the Marketo rules a webhook must follow, each reported with a stable
// code and the exact range of the offending text.
import { ParseErrorCode, printParseErrorCode, visit as visitJson, type Node, type ParseError } from 'jsonc-parser';
import type { ValidateOptions, ValidateResult } from '../api';
import { closest } from '../text/closest';
import { findCredentials, type CredentialFinding } from '../secrets/credentials';
import { METHODS_WITH_BODY } from '../definition/keys';
import { describeParseError, parseDefinition, sourceString, type ParsedDefinition, type SourceString } from '../definition/parse';
import { DIAGNOSTIC_CODES as C, MAX_DIAGNOSTICS } from './diagnostics';
import { STANDARD_CATALOG, type FieldCatalog, type LeadField } from '../catalog/field-catalog';
import { jsonFragment, sourceSpan } from '../definition/json-string';
import { resolveMarketoField } from '../catalog/marketo-field';
import { parseResponsePath } from '../outcome/response-path';
import { leadFromValue } from '../catalog/sample-lead';
import { isJsonWithTokens, jsonNestingExceeds, renderedOrigin, renderText, tokensInsideJsonStrings } from '../tokens/render';
import { findIllegalEscapes } from '../tokens/escapes';
import { bodyKind } from '../http/body-kind';
import { encodeTokenValue, jsonTokenType, numberTokenKeys, type JsonTokenType, type TokenPlace, type TokenTypeContext } from '../tokens/encoding';
import { scanTokens, type Token } from '../tokens/scan';
import { companyTokenField, namespaceOf, NAMESPACES, normalizeTokenKey, type NamespaceInfo } from '../tokens/namespaces';
import type { Diagnostic } from '../types';
import { headerValue } from '../http/headers';

/** Deeper than any webhook body nests: past it a template is not parsed as JSON (a parser recurses per level). */
const MAX_JSON_DEPTH = 1000;

/** Headers the HTTP client sets from the connection and the body; setting one by hand breaks the request. */
const CONNECTION_HEADERS = new Set(['content-length', 'transfer-encoding', 'connection', 'keep-alive', 'upgrade', 'expect', 'te', 'trailer', 'host']);

/**
 * What a token's value can look like, which decides where it is safe without encoding:
 * `number` is valid JSON as it is (a number-type token, true/false, an id); `plain` never holds
 * quotes, line breaks, `&` or `=` but is not a JSON value (a date); `text` can hold anything.
 */
type ValueShape = 'number' | 'plain' | 'text';
/** Besides the number-type tokens (token-encoding.ts), the field types whose values are JSON as written. */
const NUMBER_TYPES = new Set(['boolean', 'reference']);
const PLAIN_TYPES = new Set(['date', 'datetime']);

export function validateDefinition(text: string, options: ValidateOptions = {}): ValidateResult {
  const catalog = options.catalog ?? STANDARD_CATALOG;
  let parsed: ParsedDefinition;
  try {
    parsed = parseDefinition(text);
  } catch (error) {
    // jsonc-parser recurses per nesting level; a hostile file can exhaust the stack.
    return { diagnostics: [internalProblem(error)] };
  }
  if (parsed.definition) {
    const v = new Validator(parsed, catalog);
    v.run();
  }
  const result: ValidateResult = { diagnostics: parsed.sink.sorted() };
  if (parsed.definition) result.definition = parsed.definition;
  return result;
}

function internalProblem(error: unknown): Diagnostic {
  const tooDeep = error instanceof RangeError;
  return {
    severity: 'error',
    code: C.syntaxError,
    message: tooDeep ? 'This file is nested too deeply to be a webhook definition.' : `This file could not be read: ${String(error)}`,
    range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } },
  };
}

interface KnownNames {
  list: readonly string[];
  /** as listed: most tokens are written so, and are found without lower-casing them */
  exact: ReadonlySet<string>;
  lower: ReadonlySet<string>;
}

/** Names each namespace knows, per catalog (catalogs are immutable). */
const KNOWN_NAMES = new WeakMap<FieldCatalog, Map<string, KnownNames>>();

class Validator {
  private readonly definition;
  private readonly declaredTokens: Set<string>;
  /** problems already reported in the template, which would only repeat as a JSON error */
  private templateTokenProblems = 0;
  private readonly suggestionCache = new Map<string, string[]>();
  private tooDeep: boolean | undefined;
  /** whether test.tokens has a value for a name, by namespace */
  private readonly testValues = new Map<string, Map<string, boolean>>();
  private lastNamespace: { written: string; info: NamespaceInfo | undefined; known: KnownNames | undefined } = { written: '\u0000', info: undefined, known: undefined };
  private readonly typeContext: TokenTypeContext;
  /** JSON encoding's type of each token as written (a template repeats tokens) */
  private readonly jsonTypes = new Map<string, JsonTokenType>();

  constructor(private readonly parsed: ParsedDefinition, private readonly catalog: FieldCatalog) {
    this.definition = parsed.definition!;
    this.declaredTokens = new Set(Object.keys(this.definition.test.tokens).map(normalizeTokenKey));
    this.typeContext = { catalog, numberTokens: numberTokenKeys(this.definition.test.tokens) };
  }

  private get sink() {
    return this.parsed.sink;
  }

  run(): void {
    const { url, template, headers } = this.parsed;
    if (url) {
      this.checkTokens(url, 'url');
      this.checkUrl(url);
    }
    for (const header of headers) {
      this.checkTokens(header.value, 'header');
      this.checkHeader(header.name, header.nameNode.offset, header.nameNode.length, header.value);
    }
    if (template) {
      this.checkTokens(template, 'template');
      this.checkTemplate(template);
    }
    this.checkMappings();
    this.checkTestSection();
  }

  // ---- tokens ---------------------------------------------------------------------------------

  private span(source: SourceString, from: number, to: number) {
    return sourceSpan(source, from, to);
  }

  private checkTokens(source: SourceString, place: TokenPlace): void {
    const { tokens, problems } = scanTokens(source.value);
    for (const p of problems) {
      const { offset, length } = this.span(source, p.start, p.end);
      let { message, replacement } = p;
      // `{{lead.Company=edit me}}`: the repaired token should also name a real field.
      const repaired = replacement ? scanTokens(replacement).tokens[0] : undefined;
      const ns = repaired ? namespaceOf(repaired.namespace) : undefined;
      const known = ns ? this.knownNames(ns) : undefined;
      if (repaired && ns && known && replacement && !known.lower.has(repaired.name.toLowerCase())) {
        const better = this.suggestNames(ns.id, repaired.name, known.list)[0];
        if (better) {
          replacement = replacement.slice(0, repaired.nameStart) + better + replacement.slice(repaired.nameEnd);
          message = `${message.replace(/: write `.*`\.$/, '')}: write \`${replacement}\` ("${repaired.name}" is not a ${ns.id} field; "${better}" is).`;
        }
      }
      this.sink.error(p.code, message, offset, length, replacement ? { replacements: [jsonFragment(replacement)] } : undefined);
    }
    if (place === 'template') this.templateTokenProblems = problems.length;
    for (const token of tokens) {
      if (this.sink.full) break;
      this.checkToken(source, token, place);
    }
    if (place === 'url' && this.definition.requestTokenEncoding !== 'Form/Url') this.checkUrlTokens(source, tokens);
  }

  private checkToken(source: SourceString, token: Token, place: TokenPlace): void {
    // Tokens of a template mostly share a namespace (and its spelling): look it up once.
    if (token.namespace !== this.lastNamespace.written) {
      const info = namespaceOf(token.namespace);
      this.lastNamespace = { written: token.namespace, info, known: info ? this.knownNames(info) : undefined };
    }
    const { info: namespace, known } = this.lastNamespace;
    // A template can hold thousands of tokens: the texts and ranges below are only worked out for
    // a token that has something to report.
    if (namespace && token.defaultValue === undefined
      && (known ? known.exact.has(token.name) || known.lower.has(token.name.toLowerCase()) : this.hasTestValue(namespace.id, token.name))) return;
    const whole = this.span(source, token.start, token.end);
    const nameSpan = this.span(source, token.nameStart, token.nameEnd);
    const written = source.value.slice(token.start, token.end);
    if (!namespace) {
      const suggestion = closest(token.namespace, NAMESPACES.map((n) => n.id), 1)[0];
      const nsSpan = this.span(source, token.start + 2, token.start + 2 + token.namespace.length);
      this.sink.error(
        C.tokenUnknownNamespace,
        `Unknown token namespace "${token.namespace}" in \`${written}\`: Marketo knows ${NAMESPACES.map((n) => n.id).join(', ')}${suggestion ? ` (did you mean "${suggestion}"?)` : ''}.`,
        nsSpan.offset, nsSpan.length,
        suggestion ? { replacements: [suggestion] } : undefined,
      );
      return;
    }
    if (known && !known.lower.has(token.name.toLowerCase())) {
      const suggestions = this.suggestNames(namespace.id, token.name, known.list);
      const isField = namespace.id === 'lead' || namespace.id === 'Company';
      let message = `Unknown ${namespace.id} ${isField ? 'field' : 'token'} "${token.name}" in \`${written}\``;
      const field = namespace.id === 'lead' ? this.catalog.byRestName(token.name) ?? this.catalog.bySoapName(token.name) : undefined;
      if (field) message += `: lead tokens use display names, so write \`{{lead.${field.displayName}}}\`.`;
      else if (suggestions.length > 0) message += `: did you mean ${suggestions.map((s) => `"${s}"`).join(' or ')}?`;
      else if (namespace.id === 'lead') message += ': no standard lead field has this display name. If it is one of your custom fields, add your Describe Lead response as marketo-fields.json so it is known.';
      else message += '.';
      // Near a known name it is a typo; far from all of them, a lead field is most likely a custom
      // field this catalog has not been told about, which must not block a run.
      const severity = suggestions.length === 0 && namespace.id === 'lead' ? 'warning' : 'error';
      this.sink.add(
        severity,
        isField ? C.tokenUnknownField : C.tokenUnknownName,
        message, nameSpan.offset, nameSpan.length,
        suggestions.length > 0 ? { replacements: suggestions } : undefined,
      );
    } else if (!known && !this.hasTestValue(namespace.id, token.name) && token.defaultValue === undefined) {
      this.sink.warning(
        C.tokenNoTestValue,
        `\`${written}\` has no value here: add "${namespace.id}.${token.name}" to "test.tokens" to run with one. Marketo takes it from the ${namespace.marketoSource}; without a value it is sent empty.`,
        whole.offset, whole.length,
        { tokenKey: `${namespace.id}.${token.name}` },
      );
    }
    if (token.defaultValue !== undefined && token.defaultValue.trim().toLowerCase() === 'edit me') {
      const d = this.span(source, token.nameEnd + ':default='.length, token.end - 2);
      this.sink.info(C.tokenPlaceholderDefault, `The default "edit me" is the Marketo editor's placeholder; a lead without ${token.name} would send "edit me".`, d.offset, d.length);
    }
    void place;
  }

  private knownNames(namespace: NamespaceInfo): KnownNames | undefined {
    if (!namespace.knownNames) return undefined;
    // A catalog never changes: its lists are built once, not at every validation.
    let byNamespace = KNOWN_NAMES.get(this.catalog);
    if (!byNamespace) {
      byNamespace = new Map();
      KNOWN_NAMES.set(this.catalog, byNamespace);
    }
    let known = byNamespace.get(namespace.id);
    if (!known) {
      const list = namespace.knownNames(this.catalog);
      known = { list, exact: new Set(list), lower: new Set(list.map((n) => n.toLowerCase())) };
      byNamespace.set(namespace.id, known);
    }
    return known;
  }

  private suggestNames(namespace: string, name: string, known: readonly string[]): string[] {
    // A template can repeat one bad name thousands of times: work out its suggestions once.
    const key = `${namespace}\u0000${name.toLowerCase()}`;
    let found = this.suggestionCache.get(key);
    if (!found) {
      const field = namespace === 'lead' ? this.catalog.byRestName(name) ?? this.catalog.bySoapName(name) : undefined;
      found = field ? [field.displayName] : closest(name, known, 3);
      this.suggestionCache.set(key, found);
    }
    return found;
  }

  private hasTestValue(namespace: string, name: string): boolean {
    // A template can repeat one token thousands of times: its key is put together once.
    let names = this.testValues.get(namespace);
    if (!names) this.testValues.set(namespace, (names = new Map<string, boolean>()));
    let has = names.get(name);
    if (has === undefined) names.set(name, (has = this.declaredTokens.has(normalizeTokenKey(`${namespace}.${name}`))));
    return has;
  }

  /** The lead field a token reads, for deciding what characters its value can hold. */
  private fieldOf(token: Token): LeadField | undefined {
    const ns = namespaceOf(token.namespace)?.id;
    if (ns === 'lead') return this.catalog.byDisplayName(token.name);
    if (ns === 'Company') return this.catalog.byDisplayName(companyTokenField(token.name) ?? token.name);
    return undefined;
  }

  /** What JSON encoding makes of a token (token-encoding.ts decides; remembered per name). */
  private jsonType(token: Token): JsonTokenType {
    const key = `${token.namespace}\u0000${token.name}`;
    let type = this.jsonTypes.get(key);
    if (type === undefined) this.jsonTypes.set(key, (type = jsonTokenType(token, this.typeContext)));
    return type;
  }

  /**
   * Whether a number-type token can have no value: a lead or company field can be empty, except
   * the Id every lead has; a Number My Token has the value the program gives it.
   */
  private mayBeEmpty(token: Token): boolean {
    const field = this.fieldOf(token);
    return field !== undefined && field.restName !== 'id';
  }

  private shapeOf(token: Token): ValueShape {
    if (this.jsonType(token) === 'number') return 'number';
    const ns = namespaceOf(token.namespace)?.id;
    if (ns === 'system') return 'plain';
    if ((ns === 'campaign' || ns === 'program') && token.name.toLowerCase() === 'id') return 'number';
    const type = String(this.fieldOf(token)?.dataType ?? '');
    if (NUMBER_TYPES.has(type)) return 'number';
    return PLAIN_TYPES.has(type) ? 'plain' : 'text';
  }

  // ---- URL and headers ------------------------------------------------------------------------

  private checkUrl(url: SourceString): void {
    const value = url.value.trim();
    const whole = { offset: url.node.offset, length: url.node.length };
    if (value === '') {
      this.sink.error(C.urlInvalid, 'The URL is empty.', whole.offset, whole.length);
      return;
    }
    // A URL that starts with a token (`{{my.Base URL}}/x`) is only known at run time.
    if (value.startsWith('{{')) return;
    let parsedUrl: URL | undefined;
    try {
      parsedUrl = new URL(renderedUrlHead(value));
    } catch {
      parsedUrl = undefined;
    }
    if (!parsedUrl || !/^https?:$/.test(parsedUrl.protocol) || !/^https?:\/\//i.test(value)) {
      const message = /^[a-z][a-z0-9+.-]*:/i.test(value) && !/^https?:/i.test(value)
        ? `Marketo calls only http and https URLs, not "${value.slice(0, value.indexOf(':'))}:".`
        : `The URL must be absolute, starting with https:// or http:// (Marketo has no base address to resolve "${value.slice(0, 40)}" against).`;
      this.sink.error(C.urlInvalid, message, whole.offset, whole.length);
      return;
    }
    for (const credential of findCredentials({ place: 'url', value: url.value })) this.reportCredential(url, credential);
  }

  /**
   * Under None and JSON, URL tokens go in raw (docs/marketo-behaviour.md#tokens-in-url-and-headers):
   * a text value in the query holding `&`, `#`, `+` or a space splits or breaks it. The fix,
   * Form/Url, also encodes the template's tokens, so it is offered only where that is right too:
   * no template, or a form body.
   */
  private checkUrlTokens(url: SourceString, tokens: readonly Token[]): void {
    const query = url.value.indexOf('?');
    if (query < 0) return;
    const { template, headers, requestTokenEncoding: encoding } = this.definition;
    const fixable = (template ?? '').trim() === '' || bodyKind(template ?? '', headerValue(headers, 'content-type')) === 'form';
    // The quick fix sets the key, wherever it is (or is not yet) in the file.
    const fix = fixable ? { requestTokenEncoding: 'Form/Url' } : undefined;
    for (const token of tokens) {
      if (this.sink.full) break;
      if (token.start < query || this.shapeOf(token) !== 'text') continue;
      const { offset, length } = this.span(url, token.start, token.end);
      const advice = fixable
        ? '"requestTokenEncoding": "Form/Url" encodes URL tokens (and the template\'s).'
        : 'Form/Url would encode it, but also the template\'s tokens, which this body does not want: use a value that cannot hold these characters, or send it in the body.';
      this.sink.warning(
        C.urlTokenUnencoded,
        `Request Token Encoding is ${encoding}, so ${url.value.slice(token.start, token.end)} goes into the query raw: a value holding &, #, + or a space splits or breaks the query. ${advice}`,
        offset, length, fix,
      );
    }
  }

  private checkHeader(name: string, offset: number, length: number, value: SourceString): void {
    if (!/^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/.test(name)) {
      this.sink.error(C.headerNameInvalid, `"${name}" is not a valid HTTP header name: use letters, digits and - only (no spaces or colons).`, offset, length);
    }
    // HTTP header values are Latin-1 text without line breaks; anything else is refused on sending.
    const bad = /[^\t\x20-\x7e\x80-\xff]/u.exec(value.value);
    if (bad) {
      const at = this.span(value, bad.index, bad.index + bad[0].length);
      const code = bad[0].charCodeAt(0);
      const what = bad[0] === '\r' || bad[0] === '\n' ? 'a line break' : code < 0x20 || code === 0x7f ? 'a control character' : `"${bad[0]}", which is not Latin-1`;
      this.sink.error(C.headerValueInvalid, `The value of header "${name}" holds ${what}; HTTP header values cannot, so the request would not be sent.`, at.offset, at.length);
    }
    if (CONNECTION_HEADERS.has(name.toLowerCase())) {
      this.sink.error(C.headerNotAllowed, `"${name}" is managed by the HTTP connection itself; a webhook cannot set it. Remove it.`, offset, length);
    }
    for (const credential of findCredentials({ place: 'header', name, value: value.value })) this.reportCredential(value, credential);
  }

  private reportCredential(source: SourceString, credential: CredentialFinding): void {
    const { offset, length } = this.span(source, credential.start, credential.end);
    const tokenName = credential.suggestedToken;
    this.sink.warning(
      C.literalCredential,
      `This looks like a literal credential (${credential.what}); anyone who can read this file can use it. Use a token such as \`{{my.${tokenName}}}\` with "my.${tokenName}": { "secret": "${secretName(tokenName)}" } in "test.tokens" (in Marketo, a My Token).`,
      offset, length,
      { tokenName, secretName: secretName(tokenName), literal: source.value.slice(credential.start, credential.end) },
    );
  }

  // ---- template -------------------------------------------------------------------------------

  private checkTemplate(template: SourceString): void {
    const def = this.definition;
    const templateKey = this.parsed.keyNodes.get('template');
    if (!METHODS_WITH_BODY.includes(def.requestType)) {
      const node = this.parsed.keyNodes.get('requestType');
      const at = templateKey ?? template.node;
      this.sink.warning(
        C.templateOnGet,
        `Marketo sends the template only for POST, PUT, PATCH and DELETE; on ${def.requestType} it is ignored. Put the values in the URL, or change "requestType".`,
        at.offset, at.length,
        node ? { requestTypeOffset: node.offset, requestTypeLength: node.length } : undefined,
      );
      return;
    }
    for (const p of findIllegalEscapes(template.value, MAX_DIAGNOSTICS)) {
      if (this.sink.full) break;
      const { offset, length } = this.span(template, p.start, p.end);
      // In the file the backslash is itself escaped; the fix doubles it once more.
      const next = template.value.slice(p.start + 1, p.end);
      this.sink.error(C.templateIllegalEscape, p.message, offset, length, { replacements: [`\\\\\\\\${jsonFragment(next)}`] });
    }
    const { tokens } = scanTokens(template.value);
    const contentType = headerValue(def.headers, 'content-type');
    // The Content-Type decides first, the text second; the encoding never (docs/marketo-behaviour.md#body-kind).
    const kind = bodyKind(template.value, contentType);
    if (kind === 'json') this.checkJsonTemplate(template, tokens, contentType);
    else if (kind === 'form') this.checkFormTemplate(template, tokens);
  }

  private checkJsonTemplate(template: SourceString, tokens: readonly Token[], contentType: string | undefined): void {
    // A template that is one token is a payload encoded elsewhere (Whiteman's one legitimate use
    // of None): what it holds cannot be checked here (docs/marketo-behaviour.md#none-encoding).
    const single = tokens.length === 1 && template.value.trim() === template.value.slice(tokens[0]!.start, tokens[0]!.end);
    if (!single && !this.isCleanJsonTemplate(template)) this.checkJsonTemplateTokens(template, tokens);
    const method = this.definition.requestType;
    if (!contentType && METHODS_WITH_BODY.includes(method)) {
      const at = this.parsed.keyNodes.get('template') ?? template.node;
      this.sink.warning(
        C.jsonBodyWithoutContentType,
        'This JSON body is sent without a Content-Type header; many services then reject or misread it. Add "Content-Type": "application/json" to "headers".',
        at.offset, at.length,
        { headersOffset: this.parsed.keyNodes.get('headers')?.offset ?? -1 },
      );
    }
  }

  /**
   * The common case, decided in one pass over the template: under JSON encoding every string-type
   * token becomes a JSON string, so one standing inside a string literal breaks the body; a body
   * that is valid JSON with its tokens read as strings, and has no number-type token (which could
   * be empty, or stand as a key), therefore renders to valid JSON, and nothing in
   * checkJsonTemplateTokens would report. Only without backslashes: Marketo's escapes (`\"`
   * becomes `"`) could otherwise move the string boundaries that the token check reads lexically.
   */
  private isCleanJsonTemplate(template: SourceString): boolean {
    if (this.definition.requestTokenEncoding !== 'JSON' || this.templateTokenProblems > 0 || template.value.includes('\\')) return false;
    const { tokens } = scanTokens(template.value);
    if (tokens.some((t) => this.jsonType(t) === 'number')) return false;
    return !this.nestsTooDeep(template, tokens) && isJsonWithTokens(template.value, tokens);
  }

  /** Whether the template's JSON nests past MAX_JSON_DEPTH (worked out once, and only before parsing it). */
  private nestsTooDeep(template: SourceString, tokens: readonly Token[]): boolean {
    this.tooDeep ??= jsonNestingExceeds(template.value, tokens, MAX_JSON_DEPTH);
    return this.tooDeep;
  }

  /**
   * Each token of a JSON body, by where it stands (inside a string or bare), the encoding, and the
   * token's type under JSON encoding (docs/marketo-behaviour.md#json-encoding-by-type):
   * - JSON: a string-type token inside a string is sent as `""value""` (error); a number-type one
   *   is fine there (`"87"`); a bare number-type token without a default is sent as nothing when
   *   empty (warning).
   * - Form/Url and None: a bare token that is not a number is not JSON for any lead (error); inside
   *   a string, Form/Url sends `Ada+Lovelace` and None breaks on a quote or a line break (warning).
   *   Both offer JSON encoding, with the whole-value tokens unquoted, where that gives valid JSON.
   */
  private checkJsonTemplateTokens(template: SourceString, tokens: readonly Token[]): void {
    const encoding = this.definition.requestTokenEncoding;
    const inString = tokensInsideJsonStrings(template.value, tokens);
    const quotedWhole = (token: Token) => template.value[token.start - 1] === '"' && template.value[token.end] === '"';
    let toJson: { unquote: { offset: number; length: number; replacement: string }[] } | null | undefined;
    /** the switch to JSON encoding, worked out once: null where a string-type token stands inside longer text */
    const jsonFix = () => {
      if (toJson !== undefined) return toJson;
      const unquote: { offset: number; length: number; replacement: string }[] = [];
      for (const token of tokens) {
        if (!inString.has(token.start) || this.jsonType(token) === 'number') continue;
        if (!quotedWhole(token)) return (toJson = null);
        unquote.push({ ...this.span(template, token.start - 1, token.end + 1), replacement: jsonFragment(template.value.slice(token.start, token.end)) });
      }
      return (toJson = { unquote });
    };
    let tokenErrors = 0;
    for (const token of tokens) {
      if (this.sink.full) break;
      const within = inString.has(token.start);
      const type = this.jsonType(token);
      // Under Form/Url and None a number (or true/false) is safe bare and inside a string.
      const shape = encoding === 'JSON' ? undefined : this.shapeOf(token);
      const empty = !within && type === 'number' && token.defaultValue === undefined && this.mayBeEmpty(token);
      const reported = encoding === 'JSON' ? within && type === 'string'
        : encoding === 'Form/Url' ? shape !== 'number'
          : within ? shape === 'text' : shape !== 'number';
      // Most tokens have nothing to report: their text and place are worked out when one has.
      if (!reported && !empty) continue;
      const whole = this.span(template, token.start, token.end);
      const written = template.value.slice(token.start, token.end);
      if (!reported) {
        const close = this.span(template, token.end - 2, token.end - 2);
        this.sink.warning(
          C.jsonTokenEmpty,
          `${written} is a number-type token, written bare: when the value is empty Marketo sends nothing in its place (\`"score": ,\`), which is not JSON. Add \`:default=0\` (or the number the service expects).`,
          whole.offset, whole.length,
          { offset: close.offset, length: 0, replacements: [':default=0'] },
        );
      } else if (encoding === 'JSON') {
        tokenErrors++;
        if (quotedWhole(token)) {
          const q = this.span(template, token.start - 1, token.end + 1);
          this.sink.error(
            C.tokenQuotedJson,
            `Under JSON encoding Marketo writes ${written}, a string-type token, as a JSON string with its own quotes, so "${written}" is sent as ""value"", which breaks the JSON. Remove the quotes around the token.`,
            q.offset, q.length, { replacements: [jsonFragment(written)] },
          );
        } else {
          this.sink.error(
            C.tokenQuotedJson,
            `Under JSON encoding Marketo writes ${written}, a string-type token, as a JSON string with its own quotes; inside a longer string it breaks the JSON. Make the token the whole value, or use "requestTokenEncoding": "None" and make sure the value holds no " or line break.`,
            whole.offset, whole.length,
          );
        }
      } else {
        const fix = jsonFix();
        const data = fix ? { toJson: fix } : undefined;
        const switchText = fix
          ? 'Use "requestTokenEncoding": "JSON" with the token unquoted: it writes the value as a JSON string.'
          : 'JSON encoding cannot help while a token stands inside longer text: make each such token a whole value, or make sure the field never holds those characters.';
        if (within) {
          this.sink.warning(
            C.jsonTokenUnencoded,
            encoding === 'Form/Url'
              ? `Request Token Encoding is Form/Url, so ${written} is URL-encoded inside this JSON string: "Ada Lovelace" is sent as "Ada+Lovelace", "a@b.example" as "a%40b.example". ${switchText}`
              : `Request Token Encoding is None: a value of ${written} holding ", \\ or a line break breaks this JSON body (Whiteman, "If someone recommends “Request Token Encoding: None” in a webhook, always push back"). ${switchText}`,
            whole.offset, whole.length, data,
          );
        } else {
          this.sink.error(
            C.jsonTokenUnencoded,
            `Request Token Encoding is ${encoding}, so ${written} is written without quotes: a value such as ${shape === 'plain' ? '2024-05-07' : 'Ada'} is sent as \`${shape === 'plain' ? '2024-05-07' : 'Ada'}\`, which is not JSON, for every lead. ${switchText}`,
            whole.offset, whole.length, data,
          );
        }
      }
    }
    if (tokenErrors === 0 && this.templateTokenProblems === 0) this.checkRenderedJson(template, tokens, inString);
  }

  /** Renders the body as Marketo would, with harmless sample values, and parses the result. */
  private checkRenderedJson(template: SourceString, tokens: readonly Token[], inString: Set<number>): void {
    const encoding = this.definition.requestTokenEncoding;
    // A parser recurses per level: past MAX_JSON_DEPTH (or a stack that holds less) the body is not parsed.
    const tooDeep = () => {
      const at = this.parsed.keyNodes.get('template') ?? template.node;
      this.sink.warning(C.templateInvalidJson, `This body nests arrays and objects more than ${MAX_JSON_DEPTH} levels deep, so it is not checked as JSON; no service expects that.`, at.offset, at.length);
    };
    if (this.nestsTooDeep(template, tokens)) return tooDeep();
    // Sample values: a string-type token as JSON encoding writes `x`, a number-type one as `0`
    // (its empty case is warned about apart); under Form/Url and None `x` in a string, `0` bare.
    const json = encodeTokenValue('x', 'JSON', 'template');
    const options = {
      escapes: true,
      valueOf: (token: Token) => (encoding === 'JSON' ? (this.jsonType(token) === 'number' ? '0' : json) : inString.has(token.start) ? 'x' : '0'),
    };
    const rendered = renderText(template.value, options);
    if (isJson(rendered)) return;
    const first = firstJsonError(rendered);
    if (first === 'too deep') return tooDeep();
    if (first) {
      // Where the error's character came from: looked up for this one character, not for all.
      const at = renderedOrigin(template.value, options, Math.min(first.offset, rendered.length - 1)) ?? template.value.length;
      const { offset, length } = this.span(template, at, Math.min(template.value.length, at + Math.max(1, first.length)));
      // A `\n` escape read by Marketo leaves a raw line break inside a JSON string.
      const newline = (first.error === ParseErrorCode.UnexpectedEndOfString || first.error === ParseErrorCode.InvalidCharacter)
        && /\\[nr]/.test(template.value);
      this.sink.error(
        C.templateInvalidJson,
        `Once Marketo substitutes the tokens (${encoding} encoding) and reads the escapes, this body is not valid JSON: ${describeJsonError(first)}${newline ? ' (Marketo turns `\\n` in the template into a real line break, which a JSON string cannot hold: to send backslash-n, write `\\\\\\\\n` in this file)' : ''}.`,
        offset, length,
      );
    }
  }

  private checkFormTemplate(template: SourceString, tokens: readonly Token[]): void {
    const encoding = this.definition.requestTokenEncoding;
    if (encoding === 'Form/Url') return;
    for (const token of tokens) {
      if (this.sink.full) break;
      // Under None a text value breaks the form; under JSON every string-type value gets quotes.
      if (encoding === 'None' ? this.shapeOf(token) !== 'text' : this.jsonType(token) === 'number') continue;
      const whole = this.span(template, token.start, token.end);
      const written = template.value.slice(token.start, token.end);
      this.sink.warning(
        C.formTokenUnencoded,
        encoding === 'None'
          ? `Request Token Encoding is None: a value of ${written} holding & or = or a space breaks this form body. Use "requestTokenEncoding": "Form/Url".`
          : `Request Token Encoding is JSON: ${written} is written as a JSON string, quotes included ("Ada"), and & or = in it breaks this form body. Use "requestTokenEncoding": "Form/Url".`,
        whole.offset, whole.length,
      );
    }
  }

  // ---- response mappings ----------------------------------------------------------------------

  private checkMappings(): void {
    const { mappings } = this.parsed;
    if (mappings.length > 0 && this.definition.responseType === 'None') {
      const node = this.parsed.keyNodes.get('responseType') ?? this.parsed.keyNodes.get('responseMappings');
      if (node) {
        this.sink.warning(
          C.mappingsWithoutResponseType,
          'This webhook has response mappings but Response Type is None, so Marketo never reads the response and the mappings write nothing. Set "responseType" to "JSON" or "XML".',
          node.offset, node.length,
          this.parsed.keyNodes.has('responseType')
            ? { replacements: ['"JSON"', '"XML"'] }
            // No responseType yet: the fix inserts one before "responseMappings".
            : { offset: node.parent?.offset ?? node.offset, length: 0, replacements: ['"responseType": "JSON",\n  ', '"responseType": "XML",\n  '] },
        );
      }
    }
    for (const m of mappings) {
      // Each check can look for suggestions: none once nothing more can be reported.
      if (this.sink.full) break;
      if (m.attributeNode) {
        const path = parseResponsePath(m.mapping.responseAttribute);
        if (!path.ok) {
          const source = sourceString(this.parsed.text, m.attributeNode);
          const { offset, length } = this.span(source, path.error.offset, path.error.offset + Math.max(1, path.error.length));
          this.sink.error(C.responseAttributeInvalid, `Invalid Response Attribute: ${path.error.message}`, offset, length);
        }
      }
      if (m.fieldNode) this.checkMarketoField(m.mapping.marketoField, m.fieldNode.offset, m.fieldNode.length);
    }
  }

  private checkMarketoField(name: string, offset: number, length: number): void {
    const resolved = resolveMarketoField(name, this.catalog);
    if (resolved.ok) return;
    const code = resolved.problem === 'not-mappable' ? C.marketoFieldNotMappable
      : resolved.problem === 'unknown' || resolved.problem === 'empty' ? C.marketoFieldUnknown
        : C.marketoFieldNotSoapName;
    // Far from every standard name, it is most likely a custom field this catalog does not know.
    const severity = resolved.problem === 'unknown' && resolved.suggestions.length === 0 ? 'warning' : 'error';
    this.sink.add(severity, code, resolved.reason, offset, length,
      resolved.suggestions.length ? { replacements: resolved.suggestions.map((s) => JSON.stringify(s)) } : undefined);
  }

  // ---- test section ---------------------------------------------------------------------------

  private checkTestSection(): void {
    for (const { key, keyNode } of this.parsed.testTokens) {
      if (this.sink.full) break;
      const dot = key.indexOf('.');
      const ns = dot > 0 ? namespaceOf(key.slice(0, dot)) : undefined;
      if (!ns) {
        this.sink.warning(C.unknownKey, `"${key}" is not a token name: write "namespace.Name" without braces, e.g. "my.API Key" or "campaign.name".`, keyNode.offset, keyNode.length);
      }
    }
    const lead = this.definition.test.lead;
    const leadNode = this.parsed.testKeyNodes.get('lead');
    if (lead && typeof lead === 'object' && leadNode) {
      const read = leadFromValue(lead, this.catalog);
      // Two names of one field ("First Name" and "firstName"): only one value can count.
      const firstKey = new Map<LeadField, string>();
      for (const property of leadNode.children ?? []) {
        const keyNode = property.children?.[0];
        const field = typeof keyNode?.value === 'string' ? this.catalog.byAnyName(keyNode.value) : undefined;
        if (!keyNode || !field) continue;
        const earlier = firstKey.get(field);
        if (earlier !== undefined && earlier !== keyNode.value) {
          this.sink.warning(C.leadDuplicateField, `"${String(keyNode.value)}" and "${earlier}" name the same lead field (${field.displayName}); only one value counts. Remove one.`, keyNode.offset, keyNode.length);
        }
        if (earlier === undefined) firstKey.set(field, keyNode.value as string);
      }
      if (read.ok) {
        // The first key node of each key, found once: a lead can have thousands of keys.
        const keyNodes = new Map<unknown, Node>();
        for (const p of leadNode.children ?? []) {
          const keyNode = p.children?.[0];
          if (keyNode && !keyNodes.has(keyNode.value)) keyNodes.set(keyNode.value, keyNode);
        }
        for (const key of read.lead.unknownKeys) {
          if (this.sink.full) break;
          const at = keyNodes.get(key) ?? leadNode;
          const suggestion = closest(key, this.catalog.displayNames(), 1)[0];
          this.sink.warning(C.leadUnknownField, `The sample lead has "${key}", which is no lead field${suggestion ? ` (did you mean "${suggestion}"?)` : ''}; tokens cannot read it.`, at.offset, at.length);
        }
      }
    }
  }
}

/**
 * A URL up to the end of its host and port, and the character that ends them: all that decides
 * whether an http(s) URL parses (past it, the WHATWG parser percent-encodes rather than fails), so
 * a 5 MB path or query is not read for that. Slashes right after the scheme belong to it
 * (`https:///host` is `https://host`); the ending character is kept so that no blank before it
 * becomes the end of the text, which the parser would strip.
 */
function urlHead(written: string): { head: string; ended: boolean } {
  // (As the parser does first: tabs and line breaks anywhere are dropped.)
  const url = written.replace(/[\t\n\r]/g, '');
  const scheme = /^[^:/?#]*:[/\\]*/.exec(url);
  if (!scheme) return { head: url, ended: false };
  const rest = url.slice(scheme[0].length).search(/[/\\?#]/);
  return rest < 0 ? { head: url, ended: false } : { head: url.slice(0, scheme[0].length + rest + 1), ended: true };
}

/**
 * urlHead of the URL with each token rendered as `x`: from the text before the first token when the
 * head ends there (as it does in `https://host/{{lead.Id}}`), without rendering all of it.
 */
function renderedUrlHead(url: string): string {
  const first = scanTokens(url).tokens[0];
  const plain = urlHead(first ? url.slice(0, first.start) : url);
  return plain.ended || !first ? plain.head : urlHead(renderText(url, { escapes: false, valueOf: () => 'x' })).head;
}

function secretName(tokenName: string): string {
  return tokenName.toUpperCase().replace(/[^A-Z0-9]+/g, '_').replace(/^_|_$/g, '');
}

/** Valid JSON by the native parser, which accepts nothing jsonc-parser's strict mode refuses. */
function isJson(text: string): boolean {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}

/**
 * The first error jsonc-parser's strict mode finds in `text` (what `parse` would list first), found
 * without reading further: a broken 5 MB body can hold millions. `too deep` when its nesting
 * exhausts the stack.
 */
function firstJsonError(text: string): ParseError | 'too deep' | undefined {
  const stop = new Error('first error found');
  let first: ParseError | undefined;
  try {
    visitJson(text, {
      onError: (error, offset, length) => {
        first = { error, offset, length };
        throw stop;
      },
    }, { allowTrailingComma: false, disallowComments: true, allowEmptyContent: false });
  } catch (error) {
    if (error === stop) return first;
    if (error instanceof RangeError) return 'too deep';
    throw error;
  }
  return undefined;
}

function describeJsonError(error: ParseError): string {
  if (error.error === ParseErrorCode.InvalidCharacter) return 'invalid character (such as a raw line break inside a string)';
  return describeParseError(printParseErrorCode(error.error));
}
