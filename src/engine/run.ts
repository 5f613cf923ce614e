// One run of a definition against a sample lead, as Marketo's Call Webhook flow step would make it,
// and what Marketo would make of the answer.
import { dirname, resolve } from 'node:path';
import { adviseOnAnswer } from './outcome/answer-advice';
import { fileDiagnostic, RunCancelledError, RunInputError, unsentRunResult, type RunOptions, type ValidateResult } from './api';
import { AssumptionList } from './outcome/assumptions';
import { buildRequest, type TokenContext } from './http/build-request';
import { hasErrors } from './validate/diagnostics';
import { headerValue } from './http/headers';
import { STANDARD_CATALOG, type FieldCatalog } from './catalog/field-catalog';
import { evaluateMappings, type MappingsContext } from './outcome/mappings';
import { MASK, maskRunResult, maskText, secretForms, secretTooShort, SECRET_TOO_SHORT } from './secrets/mask';
import { classifyOutcome, handlingFor, isWhitespace1001 } from './outcome/classification';
import { BLANK_LEAD, leadFromValue, parseLeadText, type SampleLead } from './catalog/sample-lead';
import { isAbsolutePath, sampleLeadSource, type SampleLeadSource } from './catalog/lead-source';
import { decodeText, send, SendCancelledError, type AnswerStart, type SendOptions, type SendOutcome } from './http/send';
import { scanTokens } from './tokens/scan';
import { normalizeTokenKey } from './tokens/namespaces';
import { parseTokensText } from './tokens/tokens-file';
import type { CampaignType, Diagnostic, RunAnswerStart, RunResult, TokenValue, WebhookDefinition } from './types';
import { validateDefinition } from './validate/validate';
import { urlNote, wireUrl } from './http/wire-url';
import { BoundedCache } from './text/bounded-cache';
import { cutEnd } from './text/cut';

export async function runDefinition(options: RunOptions): Promise<RunResult> {
  const prepared = await prepareRun(options);
  return runPrepared(prepared, { lead: options.lead, signal: options.signal, now: options.now, onAnswerStart: options.onAnswerStart });
}

/**
 * What every run of one definition shares, whatever the lead: the validated definition, and the
 * values of its non-lead tokens with the secret forms to mask. A run over a list prepares once
 * and runs each lead with `runPrepared`, so the definition is not looked up, the tokens file not
 * read and the secrets not fetched once per lead.
 */
export interface PreparedRun {
  readonly file: string;
  readonly catalog: FieldCatalog;
  readonly definition: WebhookDefinition | undefined;
  /** the validation's diagnostics; copied into each result, never handed out */
  readonly diagnostics: readonly Diagnostic[];
  /** false when the definition has errors: nothing is sent (contracts §4) */
  readonly sendable: boolean;
  readonly campaign: CampaignType;
  readonly caller: Pick<RunOptions, 'host' | 'file' | 'timeoutMs'>;
  /** the token values, or why they cannot be had (thrown for each lead, after its own lead's problems) */
  readonly tokens: { values: ReadonlyMap<string, string>; forms: readonly string[] } | { error: RunInputError } | undefined;
}

export interface LeadRunOptions {
  /** overrides `test.lead`: a path, or a lead object */
  lead?: string | Record<string, unknown> | undefined;
  signal?: AbortSignal | undefined;
  now?: Date | undefined;
  onAnswerStart?: RunOptions['onAnswerStart'];
}

/**
 * Validates the definition and reads its token values (a tokens file, secrets) once. A cancelled
 * signal is honoured before anything is read. Token problems are kept, not thrown: each run
 * reports them, after the problems of its own lead, as one run alone would.
 */
export async function prepareRun(options: Omit<RunOptions, 'lead' | 'now'>): Promise<PreparedRun> {
  const catalog = options.catalog ?? STANDARD_CATALOG;
  const { definition, diagnostics } = validateOnce(options.text, options.file, catalog);
  const sendable = definition !== undefined && !hasErrors(diagnostics);
  const base = {
    file: options.file, catalog, definition, diagnostics, sendable,
    campaign: options.campaign ?? definition?.test.campaign ?? 'trigger',
    caller: { host: options.host, file: options.file, ...(options.timeoutMs !== undefined ? { timeoutMs: options.timeoutMs } : {}) },
  };
  if (!definition || !sendable || options.signal?.aborted) return { ...base, tokens: undefined };
  try {
    const { values, secrets } = await tokenValues(options, definition);
    return { ...base, tokens: { values, forms: secrets.flatMap(secretForms) } };
  } catch (error) {
    if (error instanceof RunInputError) return { ...base, tokens: { error } };
    throw error;
  }
}

/** One run of a prepared definition, for one lead. */
export async function runPrepared(prepared: PreparedRun, options: LeadRunOptions = {}): Promise<RunResult> {
  const { definition } = prepared;
  const result = unsentRunResult({ name: definition?.name ?? '', file: prepared.file }, prepared.diagnostics.map(copyWithoutData));
  // A definition with errors is not sent (contracts §4).
  if (!definition || !prepared.sendable) return result;
  try {
    return await buildAndSend(prepared, definition, options, result);
  } catch (error) {
    if (error instanceof RunInputError) {
      // The same document, with the reason nothing was sent as an error diagnostic.
      error.result = { ...result, diagnostics: [...result.diagnostics, fileDiagnostic(error.problem, error.message)] };
    }
    throw error;
  }
}

async function buildAndSend(prepared: PreparedRun, definition: WebhookDefinition, options: LeadRunOptions, result: RunResult): Promise<RunResult> {
  if (options.signal?.aborted || !prepared.tokens) throw new RunCancelledError();

  const { campaign, catalog } = prepared;
  // A lead of a list is inline: read at once, without waiting a turn of the event loop per lead.
  const loading = loadLead(prepared.caller, options.lead, definition, catalog);
  const lead = loading instanceof Promise ? await loading : loading;
  if ('error' in prepared.tokens) {
    // A fresh error per run: the caller fills in its result.
    const { problem, message, missingSecret } = prepared.tokens.error;
    throw new RunInputError(problem, message, missingSecret);
  }
  const { values, forms } = prepared.tokens;
  const requestNotes: string[] = [];
  const assumptions = new AssumptionList();
  const ctx: TokenContext = { catalog, lead, values, now: options.now ?? new Date(), notes: requestNotes, assumptions };
  const request = buildRequest(definition, ctx);
  const wire = wireUrl(request.url);
  if (!wire) {
    // Only possible when a token supplies the start of the URL; validation checks the rest.
    throw new RunInputError('url-invalid', `Once its tokens are replaced, the URL "${maskText(request.url, forms)}" is not an absolute http(s) URL.`);
  }
  // request.url shows what is really sent; the URL as written, and why, go beside it.
  if (wire.changes.length > 0) Object.assign(request, { url: wire.url, urlAsWritten: request.url, urlNote: urlNote(wire.changes) });
  // user:password@ is sent as HTTP Basic authentication, unless the definition sets its own.
  if (wire.basicAuth && headerValue(request.headers, 'authorization') === undefined) request.headers.Authorization = wire.basicAuth;
  const timeoutMs = prepared.caller.timeoutMs ?? definition.test.timeoutMs;

  let outcome: SendOutcome | undefined;
  if (campaign === 'trigger') {
    try {
      const onAnswerStart = options.onAnswerStart;
      let started = false;
      // Set one by one, not spread: this runs lead after lead.
      const sendOptions: SendOptions = { timeoutMs };
      if (options.signal) sendOptions.signal = options.signal;
      if (onAnswerStart) {
        sendOptions.onAnswerStart = (start: AnswerStart) => {
          started = true;
          onAnswerStart(maskedAnswerStart(start, forms));
        };
      }
      outcome = await send(request, sendOptions);
      // What the host did with the start (an editor's message, written in a timer) goes out before
      // this long answer is read and classified, which holds the event loop for a while.
      if (started) await new Promise<void>((resolve) => setTimeout(resolve, 0));
    } catch (error) {
      if (error instanceof SendCancelledError) throw new RunCancelledError(error.mayHaveArrived);
      // send throws only before the HTTP client began writing the request (any later failure is
      // a network outcome): what validation cannot see, a URL or header a token completed at run
      // time, refused by the client. Nothing was sent.
      const message = error instanceof Error ? error.message : String(error);
      throw new RunInputError('request-refused', `The request could not be sent: ${maskText(message, forms)}`);
    }
    request.sent = true;
  }
  const response = outcome?.kind === 'response' ? outcome.response : null;
  const classification = classifyOutcome({ campaign, response, network: outcome?.kind === 'network' ? outcome.network : null });
  result.request = request;
  result.response = response;
  result.classification = classification;
  if (response && isWhitespace1001(response)) assumptions.add('empty-body');
  const notes: string[] = [];
  const read: MappingsContext = { notes, assumptions };
  if (forms.length > 0) read.sources = new Map();
  result.mappings = evaluateMappings(definition.responseMappings, definition.responseType, response, catalog, read);
  // A 2xx whose body cannot be read writes nothing, though Marketo counts it a success.
  if (read.unreadable) classification.mappingsApplied = false;
  const campaignName = values.get('campaign.name');
  result.handling = handlingFor(classification, campaignName ? { webhookName: definition.name, campaignName } : { webhookName: definition.name });
  adviseOnAnswer(result.handling, {
    webhookName: definition.name, classification, response, responseType: definition.responseType,
    mappings: result.mappings, unreadable: read.unreadable === true, assumptions, json: read.json,
  });
  if (outcome?.kind === 'network') result.handling.summary = `${outcome.message} ${result.handling.summary}`;
  for (const note of requestNotes) result.handling.steps.push(`Check the request: ${note}`);
  for (const note of notes) result.handling.steps.push(`Check the response: ${note}`);
  result.assumptions = assumptions.toArray();
  // A value rounded from what the service sent (a 32-bit float) may no longer show the secret it
  // came from: such a value is masked by its source.
  if (read.sources) {
    for (const m of result.mappings) {
      const from = read.sources.get(m);
      if (from !== undefined && maskText(from, forms) !== from) m.value = MASK;
    }
  }
  return maskRunResult(result, forms);
}

/** A diagnostic for the run result: without the quick-fix data, and sharing nothing with the cache below. */
function copyWithoutData(d: Diagnostic): Diagnostic {
  const { data: _data, range, ...rest } = d;
  return { ...rest, range: { start: { ...range.start }, end: { ...range.end } } };
}

/**
 * The last few validations, by text, file and catalog. Validation is pure, so running the same
 * definition again (another lead, another click, a batch of leads) reuses it instead of parsing
 * and checking the text once more per run. What it holds is never handed out: runs only read the
 * definition, and copy the diagnostics.
 */
const recentValidations = new BoundedCache<string, { file: string; catalog: FieldCatalog; result: ValidateResult }>({ maxEntries: 4 });

function validateOnce(text: string, file: string, catalog: FieldCatalog): ValidateResult {
  // By text: the same text checked for another file or catalog takes the entry's place.
  const recent = recentValidations.get(text);
  if (recent?.file === file && recent.catalog === catalog) return recent.result;
  const result = validateDefinition(text, { file, catalog });
  recentValidations.set(text, { file, catalog, result });
  return result;
}

/** The sample lead: at once when there is none or it is inline, else read from its file. */
function loadLead(options: Pick<RunOptions, 'host' | 'file'>, caller: LeadRunOptions['lead'], definition: WebhookDefinition, catalog: FieldCatalog): SampleLead | Promise<SampleLead> {
  const source = sampleLeadSource({ caller, testLead: definition.test.lead });
  if (!source) return BLANK_LEAD;
  if ('inline' in source) {
    const read = leadFromValue(source.inline, catalog);
    if (!read.ok) throw new RunInputError('lead-unusable', `The sample lead is not usable: ${read.message}.`);
    return read.lead;
  }
  return loadLeadFile(options, source, catalog);
}

async function loadLeadFile(options: Pick<RunOptions, 'host' | 'file'>, source: Extract<SampleLeadSource, { path: string }>, catalog: FieldCatalog): Promise<SampleLead> {
  // `test.lead` is relative to the definition; a lead given by the caller is already resolved.
  const given = source.path;
  const path = source.relativeTo === 'definition' ? resolve(dirname(options.file), given) : given;
  let text: string;
  try {
    text = await options.host.readTextFile(path, source.namedBy === 'caller' ? { by: 'caller' } : { by: 'definition', key: 'test.lead' });
  } catch (error) {
    throw new RunInputError('lead-unusable', `Cannot read the sample lead ${given}: ${error instanceof Error ? error.message : String(error)}`);
  }
  const read = parseLeadText(text, catalog);
  if (!read.ok) throw new RunInputError('lead-unusable', `The sample lead ${given} is not usable: ${read.message}.`);
  return read.lead;
}

/** The tokens a definition uses, by normalized key; worked out once per (cached) definition. */
function usedTokenKeys(definition: WebhookDefinition): ReadonlySet<string> {
  let used = usedTokens.get(definition);
  if (!used) {
    const keys = new Set<string>();
    for (const text of [definition.url, definition.template ?? '', ...Object.values(definition.headers)]) {
      for (const token of scanTokens(text).tokens) keys.add(normalizeTokenKey(`${token.namespace}.${token.name}`));
    }
    used = keys;
    usedTokens.set(definition, used);
  }
  return used;
}

const usedTokens = new WeakMap<WebhookDefinition, ReadonlySet<string>>();

/**
 * A tokens file, read through the host: the caller's (`given` as resolved by the caller), or the
 * definition's `test.tokens` (relative to the definition, read as the definition's).
 */
async function tokensFromFile(options: RunOptions, given: string | undefined, byCaller: boolean): Promise<Record<string, string>> {
  if (given === undefined) return {};
  const path = isAbsolutePath(given) || byCaller ? given : resolve(dirname(options.file), given);
  let text: string;
  try {
    text = await options.host.readTextFile(path, byCaller ? { by: 'caller' } : { by: 'definition', key: 'test.tokens' });
  } catch (error) {
    throw new RunInputError('tokens-unusable', `Cannot read the tokens file ${given}: ${error instanceof Error ? error.message : String(error)}`);
  }
  const read = parseTokensText(text);
  if (!read.ok) throw new RunInputError('tokens-unusable', `The tokens file ${given} is not usable: ${read.message}.`);
  return read.tokens;
}

/**
 * The values of non-lead tokens: `test.tokens`, overridden by the caller's tokens file, overridden
 * by the caller's own tokens. A secret is read only
 * when a token of the definition uses it, so a run never asks for secrets it does not need.
 */
async function tokenValues(options: RunOptions, definition: WebhookDefinition): Promise<{ values: Map<string, string>; secrets: string[] }> {
  const given = new Map<string, TokenValue>();
  for (const [key, value] of Object.entries(definition.test.tokens)) given.set(normalizeTokenKey(key), value);
  // The caller's tokens file stands in for the definition's, as a caller's lead does for test.lead
  // (so a file the host refuses to read for the definition can be passed by the caller instead).
  const definitionFile = options.tokensFile === undefined ? definition.test.tokensFile : undefined;
  for (const [key, value] of Object.entries(await tokensFromFile(options, definitionFile, false))) given.set(normalizeTokenKey(key), value);
  for (const [key, value] of Object.entries(await tokensFromFile(options, options.tokensFile, true))) given.set(normalizeTokenKey(key), value);
  for (const [key, value] of Object.entries(options.tokens ?? {})) given.set(normalizeTokenKey(key), value);
  const used = usedTokenKeys(definition);
  const values = new Map<string, string>();
  const secrets: string[] = [];
  for (const [key, value] of given) {
    if (typeof value === 'string' || 'number' in value) {
      values.set(key, typeof value === 'string' ? value : value.number);
      continue;
    }
    if (!used.has(key)) continue;
    const secret = await options.host.getSecret(value.secret);
    if (secret === undefined) {
      throw new RunInputError('secret-missing', `The secret "${value.secret}" (for the token ${key}) is not set.`, value.secret);
    }
    if (secretTooShort(secret)) {
      // Named, never shown: even a short value is a secret.
      throw new RunInputError('secret-too-short', `The secret "${value.secret}" (for the token ${key}) is too short: ${SECRET_TOO_SHORT}.`, value.secret);
    }
    values.set(key, secret);
    secrets.push(secret);
  }
  return { values, secrets };
}

/**
 * The start of an answer as a host may show it: decoded, masked as the result will be, without a
 * character cut in two at its end, and without the tail that could be the start of a secret whose
 * rest has not arrived yet (masking cannot recognise half a secret).
 */
export function maskedAnswerStart(start: AnswerStart, forms: readonly string[]): RunAnswerStart {
  let body = maskText(decodeText(start.data, start.headers['content-type']).replace(/\uFFFD+$/, ''), forms);
  const hold = forms.reduce((longest, form) => Math.max(longest, form.length - 1), 0);
  body = body.slice(0, cutEnd(body, body.length - hold));
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(start.headers)) headers[name] = maskText(value, forms);
  return { status: start.status, statusText: maskText(start.statusText, forms), headers, body, bytes: start.data.length };
}
