// Validation of a definition: the Marketo rules a webhook must follow, each reported with a stable
// code and the exact range of the offending text.
import { parse as parseJsonc, ParseErrorCode, printParseErrorCode, type ParseError } from 'jsonc-parser';
import type { ValidateOptions, ValidateResult } from './api';
import { closest } from './closest';
import { findCredential } from './credentials';
import { METHODS_WITH_BODY } from './definition-keys';
import { describeParseError, parseDefinition, sourceString, type ParsedDefinition, type SourceString } from './definition-parse';
import { DIAGNOSTIC_CODES as C } from './diagnostics';
import { STANDARD_CATALOG, type FieldCatalog, type LeadField } from './field-catalog';
import { sourceSpan } from './json-string';
import { parseResponsePath } from './response-path';
import { leadFromValue } from './sample-lead';
import { renderTokens, tokensInsideJsonStrings } from './template-render';
import { findIllegalEscapes } from './template-escapes';
import { encodeTokenValue, type TokenPlace } from './token-encoding';
import { namespaceOf, NAMESPACES, normalizeTokenKey, scanTokens, type Token } from './tokens';
import type { Diagnostic } from './types';

/** Headers the HTTP client sets from the connection and the body; setting one by hand breaks the request. */
const CONNECTION_HEADERS = new Set(['content-length', 'transfer-encoding', 'connection', 'keep-alive', 'upgrade', 'expect', 'te', 'trailer', 'host']);

/** Field types whose values are never text, so they cannot carry `&`, `"` or a line break. */
const NON_TEXT_TYPES = new Set(['integer', 'float', 'currency', 'percent', 'boolean', 'date', 'datetime', 'reference']);

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

class Validator {
  private readonly definition;
  private readonly declaredTokens: Set<string>;
  /** problems already reported in the template, which would only repeat as a JSON error */
  private templateTokenProblems = 0;

  constructor(private readonly parsed: ParsedDefinition, private readonly catalog: FieldCatalog) {
    this.definition = parsed.definition!;
    this.declaredTokens = new Set(Object.keys(this.definition.test.tokens).map(normalizeTokenKey));
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
      const known = ns?.knownNames?.(this.catalog);
      if (repaired && ns && known && replacement && !known.some((n) => n.toLowerCase() === repaired.name.toLowerCase())) {
        const better = this.suggestNames(ns.id, repaired.name, known)[0];
        if (better) {
          replacement = replacement.slice(0, repaired.nameStart) + better + replacement.slice(repaired.nameEnd);
          message = `${message.replace(/: write `.*`\.$/, '')}: write \`${replacement}\` ("${repaired.name}" is not a ${ns.id} field; "${better}" is).`;
        }
      }
      this.sink.error(p.code, message, offset, length, replacement ? { replacements: [jsonFragment(replacement)] } : undefined);
    }
    if (place === 'template') this.templateTokenProblems = problems.length;
    for (const token of tokens) this.checkToken(source, token, place);
  }

  private checkToken(source: SourceString, token: Token, place: TokenPlace): void {
    const whole = this.span(source, token.start, token.end);
    const nameSpan = this.span(source, token.nameStart, token.nameEnd);
    const written = source.value.slice(token.start, token.end);
    const namespace = namespaceOf(token.namespace);
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
    const known = namespace.knownNames?.(this.catalog);
    if (known && !known.some((n) => n.toLowerCase() === token.name.toLowerCase())) {
      const suggestions = this.suggestNames(namespace.id, token.name, known);
      const what = namespace.id === 'lead' || namespace.id === 'Company' ? 'field' : 'token';
      let message = `Unknown ${namespace.id} ${what} "${token.name}" in \`${written}\``;
      const field = namespace.id === 'lead' ? this.catalog.byRestName(token.name) ?? this.catalog.bySoapName(token.name) : undefined;
      if (field) message += `: lead tokens use display names, so write \`{{lead.${field.displayName}}}\`.`;
      else if (suggestions.length > 0) message += `: did you mean ${suggestions.map((s) => `"${s}"`).join(' or ')}?`;
      else message += namespace.id === 'lead' ? ': no lead field has this display name (add your custom fields with a Describe Lead file).' : '.';
      this.sink.error(
        namespace.id === 'lead' || namespace.id === 'Company' ? C.tokenUnknownField : C.tokenUnknownName,
        message, nameSpan.offset, nameSpan.length,
        suggestions.length > 0 ? { replacements: suggestions } : undefined,
      );
    } else if (!known && !this.hasTestValue(namespace.id, token.name) && token.defaultValue === undefined) {
      this.sink.warning(
        C.tokenNoTestValue,
        `\`${written}\` has no value here: add "${namespace.id}.${token.name}" to "test.tokens" to run with one. Marketo takes it from the ${namespace.id === 'my' ? 'program\'s My Tokens' : namespace.id === 'member' ? 'program membership' : 'trigger'}; without a value it is sent empty.`,
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

  private suggestNames(namespace: string, name: string, known: readonly string[]): string[] {
    if (namespace === 'lead') {
      const field = this.catalog.byRestName(name) ?? this.catalog.bySoapName(name);
      if (field) return [field.displayName];
    }
    return closest(name, known, 3);
  }

  private hasTestValue(namespace: string, name: string): boolean {
    return this.declaredTokens.has(normalizeTokenKey(`${namespace}.${name}`));
  }

  /** The lead field a token reads, for deciding what characters its value can hold. */
  private fieldOf(token: Token): LeadField | undefined {
    const ns = namespaceOf(token.namespace)?.id;
    return ns === 'lead' || ns === 'Company' ? this.catalog.byDisplayName(token.name) : undefined;
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
    const rendered = renderTokens(value, { escapes: false, valueOf: () => 'x' }).text;
    let parsedUrl: URL | undefined;
    try {
      parsedUrl = new URL(rendered);
    } catch {
      parsedUrl = undefined;
    }
    if (!parsedUrl || !/^https?:$/.test(parsedUrl.protocol) || !/^https?:\/\//i.test(value)) {
      const message = /^[a-z][a-z0-9+.-]*:/i.test(value) && !/^https?:/i.test(value)
        ? `Marketo calls only http and https URLs, not "${value.split(':')[0]}:".`
        : `The URL must be absolute, starting with https:// or http:// (Marketo has no base address to resolve "${value.slice(0, 40)}" against).`;
      this.sink.error(C.urlInvalid, message, whole.offset, whole.length);
      return;
    }
    const credential = findCredential({ place: 'url', value: url.value });
    if (credential) this.reportCredential(url, credential);
  }

  private checkHeader(name: string, offset: number, length: number, value: SourceString): void {
    if (!/^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/.test(name)) {
      this.sink.error(C.headerNameInvalid, `"${name}" is not a valid HTTP header name: use letters, digits and - only (no spaces or colons).`, offset, length);
    }
    if (CONNECTION_HEADERS.has(name.toLowerCase())) {
      this.sink.error(C.headerNotAllowed, `"${name}" is managed by the HTTP connection itself; a webhook cannot set it. Remove it.`, offset, length);
    }
    const credential = findCredential({ place: 'header', name, value: value.value });
    if (credential) this.reportCredential(value, credential);
  }

  private reportCredential(source: SourceString, credential: NonNullable<ReturnType<typeof findCredential>>): void {
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
    for (const p of findIllegalEscapes(template.value)) {
      const { offset, length } = this.span(template, p.start, p.end);
      // In the file the backslash is itself escaped; the fix doubles it once more.
      const next = template.value.slice(p.start + 1, p.end);
      this.sink.error(C.templateIllegalEscape, p.message, offset, length, { replacements: [`\\\\\\\\${jsonFragment(next)}`] });
    }
    const { tokens } = scanTokens(template.value);
    const contentType = headerValue(def.headers, 'content-type');
    const looksJson = /^\s*[[{]/.test(template.value);
    const isJson = def.requestTokenEncoding === 'JSON' || (contentType ?? '').toLowerCase().includes('json') || looksJson;
    if (isJson) this.checkJsonTemplate(template, tokens, contentType);
    else if (looksLikeForm(template.value, contentType)) this.checkFormTemplate(template, tokens);
  }

  private checkJsonTemplate(template: SourceString, tokens: Token[], contentType: string | undefined): void {
    const encoding = this.definition.requestTokenEncoding;
    const inString = tokensInsideJsonStrings(template.value, tokens);
    let quotedTokens = 0;
    for (const token of tokens) {
      const within = inString.has(token.start);
      const whole = this.span(template, token.start, token.end);
      const written = template.value.slice(token.start, token.end);
      if (encoding === 'JSON' && within) {
        quotedTokens++;
        const quoted = template.value[token.start - 1] === '"' && template.value[token.end] === '"';
        if (quoted) {
          const q = this.span(template, token.start - 1, token.end + 1);
          this.sink.error(
            C.tokenQuotedJson,
            `Under JSON encoding Marketo writes ${written} as a JSON string with its own quotes, so "${written}" is sent as ""value"", which breaks the JSON. Remove the quotes around the token.`,
            q.offset, q.length, { replacements: [jsonFragment(written)] },
          );
        } else {
          this.sink.error(
            C.tokenQuotedJson,
            `Under JSON encoding Marketo writes ${written} as a JSON string with its own quotes; inside a longer string it breaks the JSON. Make the token the whole value, or use "requestTokenEncoding": "None" and make sure the value holds no " or line break.`,
            whole.offset, whole.length,
          );
        }
      } else if (encoding === 'None' && !this.isNonText(token)) {
        // Inside a string only an unusual value breaks the body; outside one, any text does.
        this.sink.add(
          within ? 'info' : 'warning',
          C.jsonTokenUnencoded,
          within
            ? `Request Token Encoding is None: a value of ${written} holding " or a line break breaks this JSON body. Where the token is the whole value, use "requestTokenEncoding": "JSON" and write it without quotes; inside longer text, make sure the field never holds those characters.`
            : `Request Token Encoding is None: ${written} is inserted raw, which is valid JSON only for a number. Use "requestTokenEncoding": "JSON".`,
          whole.offset, whole.length,
        );
      }
    }
    if (quotedTokens === 0 && this.templateTokenProblems === 0) this.checkRenderedJson(template, tokens, inString);
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

  /** Renders the body as Marketo would, with harmless sample values, and parses the result. */
  private checkRenderedJson(template: SourceString, tokens: Token[], inString: Set<number>): void {
    const encoding = this.definition.requestTokenEncoding;
    const rendered = renderTokens(template.value, {
      escapes: true,
      valueOf: (token) => {
        if (encoding === 'JSON') return encodeTokenValue('x', 'JSON', 'template');
        return inString.has(token.start) ? 'x' : '0';
      },
    });
    const errors: ParseError[] = [];
    parseJsonc(rendered.text, errors, { allowTrailingComma: false, disallowComments: true, allowEmptyContent: false });
    const first = errors[0];
    if (first) {
      const at = rendered.origin[Math.min(first.offset, rendered.origin.length - 1)] ?? template.value.length;
      const { offset, length } = this.span(template, at, Math.min(template.value.length, at + Math.max(1, first.length)));
      // A `\n` escape read by Marketo leaves a raw line break inside a JSON string.
      const newline = (first.error === ParseErrorCode.UnexpectedEndOfString || first.error === ParseErrorCode.InvalidCharacter)
        && /\\[nr]/.test(template.value);
      this.sink.error(
        C.templateInvalidJson,
        `Once Marketo substitutes the tokens (${encoding} encoding) and reads the escapes, this body is not valid JSON: ${describeJsonError(first)}${newline ? ' (a `\\n` escape becomes a real line break, which JSON strings cannot hold: write `\\\\n`)' : ''}.`,
        offset, length,
      );
    }
  }

  private checkFormTemplate(template: SourceString, tokens: Token[]): void {
    if (this.definition.requestTokenEncoding !== 'None') return;
    for (const token of tokens) {
      if (this.isNonText(token)) continue;
      const whole = this.span(template, token.start, token.end);
      this.sink.warning(
        C.formTokenUnencoded,
        `Request Token Encoding is None: a value of ${template.value.slice(token.start, token.end)} holding & or = or a space breaks this form body. Use "requestTokenEncoding": "Form/Url".`,
        whole.offset, whole.length,
      );
    }
  }

  private isNonText(token: Token): boolean {
    const ns = namespaceOf(token.namespace)?.id;
    // system tokens have fixed formats without quotes, ampersands or line breaks.
    if (ns === 'system') return true;
    const field = this.fieldOf(token);
    return field !== undefined && NON_TEXT_TYPES.has(String(field.dataType));
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
          { replacements: ['"JSON"', '"XML"'], hasResponseType: this.parsed.keyNodes.has('responseType') },
        );
      }
    }
    for (const m of mappings) {
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
    const c = this.catalog;
    if (c.bySoapNameExact(name)) return;
    const bySoap = c.bySoapName(name);
    if (bySoap?.soapName) {
      this.sink.error(C.marketoFieldNotSoapName, `Marketo Field must be spelled exactly as the SOAP API name: "${bySoap.soapName}".`, offset, length, { replacements: [JSON.stringify(bySoap.soapName)] });
      return;
    }
    const other = c.byDisplayName(name) ?? c.byRestName(name);
    if (other) {
      if (other.soapName) {
        const kind = other.displayName.toLowerCase() === name.toLowerCase() ? 'the display name' : 'the REST API name';
        this.sink.error(C.marketoFieldNotSoapName, `"${name}" is ${kind} of a lead field; response mappings need its SOAP API name "${other.soapName}".`, offset, length, { replacements: [JSON.stringify(other.soapName)] });
      } else {
        this.sink.error(C.marketoFieldNotMappable, `The lead field "${other.displayName}" has no SOAP API name, so a response mapping cannot write it.`, offset, length);
      }
      return;
    }
    const suggestions = closest(name, c.soapNames(), 3);
    this.sink.error(
      C.marketoFieldUnknown,
      `No lead field has the SOAP API name "${name}"${suggestions.length ? `: did you mean ${suggestions.map((s) => `"${s}"`).join(' or ')}?` : '. Custom fields need a Describe Lead file (marketo-fields.json).'}`,
      offset, length,
      suggestions.length ? { replacements: suggestions.map((s) => JSON.stringify(s)) } : undefined,
    );
  }

  // ---- test section ---------------------------------------------------------------------------

  private checkTestSection(): void {
    for (const { key, keyNode } of this.parsed.testTokens) {
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
      if (read.ok) {
        for (const key of read.lead.unknownKeys) {
          const property = leadNode.children?.find((p) => p.children?.[0]?.value === key)?.children?.[0];
          const at = property ?? leadNode;
          const suggestion = closest(key, this.catalog.displayNames(), 1)[0];
          this.sink.warning(C.leadUnknownField, `The sample lead has "${key}", which is no lead field${suggestion ? ` (did you mean "${suggestion}"?)` : ''}; tokens cannot read it.`, at.offset, at.length);
        }
      }
    }
  }
}

function headerValue(headers: Record<string, string>, name: string): string | undefined {
  const key = Object.keys(headers).find((k) => k.toLowerCase() === name);
  return key === undefined ? undefined : headers[key];
}

function looksLikeForm(template: string, contentType: string | undefined): boolean {
  if ((contentType ?? '').toLowerCase().includes('x-www-form-urlencoded')) return true;
  return /^[^=&\s{[<]+=[^&]*(&[^=&\s]+=[^&]*)*$/.test(template.trim());
}

/** A text as it must be written inside a JSON string in the file. */
function jsonFragment(s: string): string {
  return JSON.stringify(s).slice(1, -1);
}

function secretName(tokenName: string): string {
  return tokenName.toUpperCase().replace(/[^A-Z0-9]+/g, '_').replace(/^_|_$/g, '');
}

function describeJsonError(error: ParseError): string {
  if (error.error === ParseErrorCode.InvalidCharacter) return 'invalid character (such as a raw line break inside a string)';
  return describeParseError(printParseErrorCode(error.error));
}
