// What every validation rule reads: the parsed definition, the field catalog, the diagnostics sink,
// and the facts about tokens that several rules ask for (their known names, their type under JSON
// encoding, the shape of their values), each worked out once per validation.
import type { FieldCatalog, LeadField } from '../catalog/field-catalog';
import { closest } from '../text/closest';
import { sourceSpan } from '../definition/json-string';
import type { ParsedDefinition, SourceString } from '../definition/parse';
import { bodyKind, type BodyKind } from '../http/body-kind';
import { headerValue } from '../http/headers';
import { jsonTokenType, numberTokenKeys, type JsonTokenType, type TokenTypeContext } from '../tokens/encoding';
import { leadFieldName, namespaceOf, normalizeTokenKey, type NamespaceInfo, type ValueShape } from '../tokens/namespaces';
import { jsonNestingExceeds } from '../tokens/render';
import type { Token } from '../tokens/scan';
import type { WebhookDefinition } from '../types';
import type { DiagnosticSink } from './diagnostics';

/** One check of a definition, run in the order of VALIDATION_RULES (rules.ts). */
export interface ValidationRule {
  /** what the rule checks, for reading the list (not reported) */
  readonly id: string;
  check(ctx: ValidationContext): void;
}

/** Deeper than any webhook body nests: past it a template is not parsed as JSON (a parser recurses per level). */
export const MAX_JSON_DEPTH = 1000;

export interface KnownNames {
  list: readonly string[];
  /** as listed: most tokens are written so, and are found without lower-casing them */
  exact: ReadonlySet<string>;
  lower: ReadonlySet<string>;
}

/** Names each namespace knows, per catalog (catalogs are immutable). */
const KNOWN_NAMES = new WeakMap<FieldCatalog, Map<string, KnownNames>>();

/** Besides the number-type tokens (encoding.ts), the field types whose values are JSON as written. */
const NUMBER_TYPES = new Set(['boolean', 'reference']);
const PLAIN_TYPES = new Set(['date', 'datetime']);

/** Whether a namespace's names are lead field display names (so a REST or SOAP name, or a custom field, is likely). */
export function namesAreDisplayNames(namespace: NamespaceInfo): boolean {
  return namespace.value.from === 'lead' && namespace.value.names.by === 'display-name';
}

export class ValidationContext {
  readonly definition: WebhookDefinition;
  /** problems already reported in the template's tokens, which would only repeat as a JSON error */
  templateTokenProblems = 0;
  private readonly declaredTokens: Set<string>;
  private readonly suggestionCache = new Map<string, string[]>();
  private tooDeep: boolean | undefined;
  private kind: BodyKind | undefined;
  /** whether test.tokens has a value for a name, by namespace */
  private readonly testValues = new Map<string, Map<string, boolean>>();
  private readonly typeContext: TokenTypeContext;
  /** JSON encoding's type of each token as written (a template repeats tokens) */
  private readonly jsonTypes = new Map<string, Map<string, JsonTokenType>>();

  constructor(readonly parsed: ParsedDefinition, readonly catalog: FieldCatalog) {
    this.definition = parsed.definition!;
    this.declaredTokens = new Set(Object.keys(this.definition.test.tokens).map(normalizeTokenKey));
    this.typeContext = { catalog, numberTokens: numberTokenKeys(this.definition.test.tokens) };
  }

  get sink(): DiagnosticSink {
    return this.parsed.sink;
  }

  /** The place in the file of the characters [from, to) of a decoded string. */
  span(source: SourceString, from: number, to: number): { offset: number; length: number } {
    return sourceSpan(source, from, to);
  }

  /** What the template is, by its Content-Type first and its text second (docs/marketo-behaviour.md#body-kind). */
  templateKind(template: SourceString): BodyKind {
    this.kind ??= bodyKind(template.value, headerValue(this.definition.headers, 'content-type'));
    return this.kind;
  }

  knownNames(namespace: NamespaceInfo): KnownNames | undefined {
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

  /** The lead field a REST or SOAP name written in place of a display name stands for. */
  fieldByOtherName(namespace: NamespaceInfo, name: string): LeadField | undefined {
    return namesAreDisplayNames(namespace) ? this.catalog.byRestName(name) ?? this.catalog.bySoapName(name) : undefined;
  }

  suggestNames(namespace: NamespaceInfo, name: string, known: readonly string[]): string[] {
    // A template can repeat one bad name thousands of times: work out its suggestions once.
    const key = `${namespace.id}\u0000${name.toLowerCase()}`;
    let found = this.suggestionCache.get(key);
    if (!found) {
      const field = this.fieldByOtherName(namespace, name);
      found = field ? [field.displayName] : closest(name, known, 3);
      this.suggestionCache.set(key, found);
    }
    return found;
  }

  hasTestValue(namespace: string, name: string): boolean {
    // A template can repeat one token thousands of times: its key is put together once.
    let names = this.testValues.get(namespace);
    if (!names) this.testValues.set(namespace, (names = new Map<string, boolean>()));
    let has = names.get(name);
    // A tokens file is read by the run, not here: the tokens it may hold are not reported as missing.
    if (has === undefined) names.set(name, (has = this.definition.test.tokensFile !== undefined || this.declaredTokens.has(normalizeTokenKey(`${namespace}.${name}`))));
    return has;
  }

  /** The lead field a token reads, for deciding what characters its value can hold. */
  fieldOf(token: Token): LeadField | undefined {
    const ns = namespaceOf(token.namespace);
    if (!ns || ns.value.from !== 'lead') return undefined;
    return this.catalog.byDisplayName(leadFieldName(ns, token.name) ?? token.name);
  }

  /** What JSON encoding makes of a token (encoding.ts decides; remembered per name). */
  jsonType(token: Token): JsonTokenType {
    // By namespace, then name: no key string built per token (a template can hold thousands).
    let byName = this.jsonTypes.get(token.namespace);
    if (!byName) this.jsonTypes.set(token.namespace, (byName = new Map<string, JsonTokenType>()));
    let type = byName.get(token.name);
    if (type === undefined) byName.set(token.name, (type = jsonTokenType(token, this.typeContext)));
    return type;
  }

  /**
   * Whether a number-type token can have no value: a lead or company field can be empty, except
   * the Id every lead has; a Number My Token has the value the program gives it.
   */
  mayBeEmpty(token: Token): boolean {
    const field = this.fieldOf(token);
    return field !== undefined && field.restName !== 'id';
  }

  shapeOf(token: Token): ValueShape {
    if (this.jsonType(token) === 'number') return 'number';
    const shape = namespaceOf(token.namespace)?.shape(token.name) ?? 'text';
    if (shape !== 'field-type') return shape;
    const type = String(this.fieldOf(token)?.dataType ?? '');
    if (NUMBER_TYPES.has(type)) return 'number';
    return PLAIN_TYPES.has(type) ? 'plain' : 'text';
  }

  /** Whether the template's JSON nests past MAX_JSON_DEPTH (worked out once, and only before parsing it). */
  nestsTooDeep(template: SourceString, tokens: readonly Token[]): boolean {
    this.tooDeep ??= jsonNestingExceeds(template.value, tokens, MAX_JSON_DEPTH);
    return this.tooDeep;
  }
}
