// Every token where it stands (URL, header value, template): written as Marketo reads it, in a
// namespace Marketo knows, with a name the namespace knows or a value to run with. What each
// namespace knows and where its values come from is the namespace table's (tokens/namespaces.ts).
// Not a rule of its own: the rule of each place runs it first, before that place's own checks.
import { closest } from '../../text/closest';
import { jsonFragment } from '../../definition/json-string';
import type { SourceString } from '../../definition/parse';
import type { TokenPlace } from '../../tokens/encoding';
import { namespaceOf, NAMESPACES, type NamespaceInfo } from '../../tokens/namespaces';
import { scanTokens, type Token } from '../../tokens/scan';
import { namesAreDisplayNames, type KnownNames, type ValidationContext } from '../context';
import { DIAGNOSTIC_CODES as C } from '../diagnostics';

/** The tokens of one place: what is malformed in them, then each token. */
export function checkTokens(ctx: ValidationContext, source: SourceString, place: TokenPlace): void {
  const { tokens, problems } = scanTokens(source.value);
  for (const p of problems) {
    const { offset, length } = ctx.span(source, p.start, p.end);
    let { message, replacement } = p;
    // `{{lead.Company=edit me}}`: the repaired token should also name a real field.
    const repaired = replacement ? scanTokens(replacement).tokens[0] : undefined;
    const ns = repaired ? namespaceOf(repaired.namespace) : undefined;
    const known = ns ? ctx.knownNames(ns) : undefined;
    if (repaired && ns && known && replacement && !known.lower.has(repaired.name.toLowerCase())) {
      const better = ctx.suggestNames(ns, repaired.name, known.list)[0];
      if (better) {
        replacement = replacement.slice(0, repaired.nameStart) + better + replacement.slice(repaired.nameEnd);
        message = `${message.replace(/: write `.*`\.$/, '')}: write \`${replacement}\` ("${repaired.name}" is not a ${ns.id} field; "${better}" is).`;
      }
    }
    ctx.sink.error(p.code, message, offset, length, replacement ? { replacements: [jsonFragment(replacement)] } : undefined);
  }
  if (place === 'template') ctx.templateTokenProblems = problems.length;
  // Tokens of a template mostly share a namespace (and its spelling): it is looked up once per run of them.
  let last: { written: string; info: NamespaceInfo | undefined; known: KnownNames | undefined } = { written: '\u0000', info: undefined, known: undefined };
  for (const token of tokens) {
    if (ctx.sink.full) break;
    if (token.namespace !== last.written) {
      const info = namespaceOf(token.namespace);
      last = { written: token.namespace, info, known: info ? ctx.knownNames(info) : undefined };
    }
    checkToken(ctx, source, token, last.info, last.known);
  }
}

function checkToken(ctx: ValidationContext, source: SourceString, token: Token, namespace: NamespaceInfo | undefined, known: KnownNames | undefined): void {
  // A template can hold thousands of tokens: the texts and ranges below are only worked out for
  // a token that has something to report.
  const placeholder = token.defaultValue !== undefined && token.defaultValue.trim().toLowerCase() === 'edit me';
  if (namespace && !placeholder
    && (known ? known.exact.has(token.name) || known.lower.has(token.name.toLowerCase())
      : token.defaultValue !== undefined || ctx.hasTestValue(namespace.id, token.name))) return;
  const whole = ctx.span(source, token.start, token.end);
  const nameSpan = ctx.span(source, token.nameStart, token.nameEnd);
  const written = source.value.slice(token.start, token.end);
  if (!namespace) {
    const suggestion = closest(token.namespace, NAMESPACES.map((n) => n.id), 1)[0];
    const nsSpan = ctx.span(source, token.start + 2, token.start + 2 + token.namespace.length);
    ctx.sink.error(
      C.tokenUnknownNamespace,
      `Unknown token namespace "${token.namespace}" in \`${written}\`: Marketo knows ${NAMESPACES.map((n) => n.id).join(', ')}${suggestion ? ` (did you mean "${suggestion}"?)` : ''}.`,
      nsSpan.offset, nsSpan.length,
      suggestion ? { replacements: [suggestion] } : undefined,
    );
    return;
  }
  if (known && !known.lower.has(token.name.toLowerCase())) {
    const suggestions = ctx.suggestNames(namespace, token.name, known.list);
    const isField = namespace.value.from === 'lead';
    const displayNames = namesAreDisplayNames(namespace);
    let message = `Unknown ${namespace.id} ${isField ? 'field' : 'token'} "${token.name}" in \`${written}\``;
    const field = ctx.fieldByOtherName(namespace, token.name);
    if (field) message += `: ${namespace.id} tokens use display names, so write \`{{${namespace.id}.${field.displayName}}}\`.`;
    else if (suggestions.length > 0) message += `: did you mean ${suggestions.map((s) => `"${s}"`).join(' or ')}?`;
    else if (displayNames) message += `: no standard ${namespace.id} field has this display name. If it is one of your custom fields, add your Describe Lead response as marketo-fields.json so it is known.`;
    else message += '.';
    // Near a known name it is a typo; far from all of them, a name that may be a display name is
    // most likely a custom field this catalog has not been told about, which must not block a run.
    const severity = suggestions.length === 0 && displayNames ? 'warning' : 'error';
    ctx.sink.add(
      severity,
      isField ? C.tokenUnknownField : C.tokenUnknownName,
      message, nameSpan.offset, nameSpan.length,
      suggestions.length > 0 ? { replacements: suggestions } : undefined,
    );
  } else if (!known && !ctx.hasTestValue(namespace.id, token.name) && token.defaultValue === undefined) {
    ctx.sink.warning(
      C.tokenNoTestValue,
      `\`${written}\` has no value here: add "${namespace.id}.${token.name}" to "test.tokens" to run with one. Marketo takes it from the ${namespace.marketoSource}; without a value it is sent empty.`,
      whole.offset, whole.length,
      { tokenKey: `${namespace.id}.${token.name}` },
    );
  }
  if (placeholder) {
    const d = ctx.span(source, token.nameEnd + ':default='.length, token.end - 2);
    ctx.sink.info(C.tokenPlaceholderDefault, `The default "edit me" is the Marketo editor's placeholder; a lead without ${token.name} would send "edit me".`, d.offset, d.length);
  }
}
