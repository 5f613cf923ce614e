// Every outcome a webhook call can have in Marketo, in one table: what it means, what Marketo does
// with it, and which smart campaign to build for it. Classification and handling only look up
// and fill in; facts live in the table (docs/marketo-behaviour.md#response-codes and
// #webhook-is-called).
//
// Project rules where Marketo is silent (each in docs/marketo-behaviour.md):
// - 1001 is reported for a 2xx status whose body is empty or only whitespace (#empty-body); a
//   non-2xx status with an empty body is reported as itself. The real status stays in `response.status`.
// - errorType (what the "Error Type" constraint of "Webhook is Called" matches) is the reason
//   phrase exactly as the status line carried it, '' when it had none (#error-type); never the
//   standard phrase, which is shown beside it (`standardPhrase`) when it differs. For 1001 it is
//   the received status's phrase: Marketo documents no reason phrase of its own for 1001.
// - Redirects are not followed; a 3xx is reported as itself.
// - A 1xx status, or one outside 100–599, gets the `other` entry (category server-error: the
//   service sent no usable final answer).
// - A network failure has no code; what Marketo's activity log shows for it is undocumented.
import { STATUS_CODES } from 'node:http';
import type { CampaignType, Category, Classification, Handling, NetworkFailure, RunResponse } from '../types';
import { BoundedCache } from '../text/bounded-cache';

export interface OutcomeInput {
  campaign: CampaignType;
  response: RunResponse | null;
  network: NetworkFailure | null;
}

/**
 * One row of the table. `title` is the explanation after the status head ("404 Not Found: …").
 * `summary` and `steps` may hold placeholders filled by `handlingFor`:
 * `{webhook}` the webhook's name, `{campaign}` the calling smart campaign,
 * `{trigger}` the "Webhook is Called" trigger with its exact "Error Type" constraint,
 * `{errorTypeNote}` what the Error Type constraint holds for this call.
 */
export interface OutcomeEntry {
  category: Category;
  title: string;
  summary: string;
  steps: readonly string[];
  /** calling again later can succeed */
  transient: boolean;
}

// ---- shared wording -------------------------------------------------------------------------

/** The sentence of a success's summary that answer-advice.ts rewrites when the mappings wrote less. */
export const MAPPINGS_RAN = 'the response mappings of "{webhook}" ran, and each mapped value that fits its field is written to the person.';

const SUCCESS_SUMMARY =
  `Marketo counts this as a success: ${MAPPINGS_RAN} ` +
  'The writes are asynchronous: the next flow step of {campaign} does not see them yet.';

const SUCCESS_STEPS: readonly string[] = [
  'Act on the mapped values with a separate trigger campaign on "Data Value Changes" (Attribute: the mapped field), not with flow steps after "Call Webhook: {webhook}": field writes from mappings are asynchronous, so the next flow step does not see them.',
  'To react to the call itself (e.g. to log it), use the trigger "Webhook is Called: {webhook}".',
  'Check the mapping results: a value that does not fit its field\'s type (text into an integer field) is not written.',
];

const FAILED_TAIL =
  ' Marketo counts the call as failed and ignores the response mappings (only a 2xx writes fields). ' +
  'The person\'s activity log shows the failed Call Webhook, and "Webhook is Called: {webhook}" fires with {errorTypeNote}.';

const NETWORK_TAIL =
  ' No HTTP status came back, so Marketo\'s response-code table has no entry for it and no mappings ran. ' +
  'What Marketo\'s activity log shows for this is undocumented [open]: this workbench assumes a failed call with no status; ' +
  'practitioners report the "Webhook is Called" trigger firing with an error. There is no Error Type value (reason phrase) to match.';

/** A retry campaign on the Error Type, limited so that a call that keeps failing does not loop. */
function retrySteps(wait: string, window: string, extra: readonly string[] = []): string[] {
  return [
    'Build a trigger campaign (e.g. "{webhook}: retry") whose Smart List is {trigger}.',
    `Flow: "Wait" ${wait}, then "Call Webhook: {webhook}" again.`,
    `Stop it looping: Schedule > Qualification Rules "Each person can run through the flow: once every ${window}" (longer than the wait, so the retry's own failure does not qualify again). For several attempts, count them in a score field instead: "Change Score" +1 in the flow, a Smart List filter "is less than 3", reset with "Change Data Value" after a success.`,
    ...extra,
    'When the retry also fails, "Send Alert" to the owner of the service.',
  ];
}

/** An alert campaign on the Error Type: the definition or credentials must change, a retry cannot help. */
function alertSteps(fix: readonly string[]): string[] {
  return [
    'Build a trigger campaign (e.g. "{webhook}: alert") whose Smart List is {trigger}.',
    'Flow: "Send Alert" to the person who owns the integration (a retry will fail the same way).',
    ...fix,
    'Run the call here until it answers 2xx, then update the webhook in Admin > Webhooks.',
  ];
}

/** Redirects are reported as themselves; the fix is always the final URL. */
function redirectSteps(extra: readonly string[] = []): string[] {
  return [
    'Change the URL of "{webhook}" to the final location (the response\'s Location header): the redirect is reported as itself, not followed.',
    'A common cause is http:// where the service wants https://, or a missing or extra trailing slash.',
    ...extra,
    'Until it is fixed, catch it with a trigger campaign on {trigger} and "Send Alert".',
  ];
}

/** A retry for a network failure: there is no Error Type to match, so check whether the call did its job. */
function networkRetrySteps(wait: string, extra: readonly string[] = []): string[] {
  return [
    'There is no Error Type value to match, so do not rely on the trigger\'s constraint: check the outcome instead.',
    `In {campaign}, after "Call Webhook: {webhook}", add "Wait" ${wait}, then "Call Webhook: {webhook}" once more with a choice "If <a field a response mapping writes> is empty" (a successful call would have filled it), default "Do Nothing".`,
    'Retry once like this, not in a loop; a person who still has the field empty afterwards goes to a "Send Alert" step or a static list for follow-up.',
    ...extra,
  ];
}

function networkAlertSteps(fix: readonly string[]): string[] {
  return [
    ...fix,
    'There is no Error Type value to match; to notice failures, add after "Call Webhook: {webhook}" in {campaign} a "Wait" and a "Send Alert" with a choice "If <a field a response mapping writes> is empty".',
    'A retry does not help until the cause is fixed.',
  ];
}

// ---- the table ------------------------------------------------------------------------------

export const OUTCOMES = {
  // Marketo's own codes.
  '1000': {
    category: 'marketo',
    title: 'the Call Webhook step is in a batch campaign; webhooks run only from trigger campaigns, so nothing was sent',
    summary:
      'Marketo\'s own code 1000: {campaign} is a batch campaign, and webhooks run only from trigger campaigns, so its "Call Webhook: {webhook}" step sends nothing and no mappings run.',
    steps: [
      'Move the "Call Webhook: {webhook}" flow step out of {campaign} into a trigger campaign: webhooks run only from trigger campaigns.',
      'To call it for people a batch selects, keep the batch campaign but give it a "Request Campaign" flow step that requests the trigger campaign; the trigger campaign listens with "Campaign is Requested" (Source: Marketo Flow Action) and holds the "Call Webhook" step.',
      'Or add the people to a static list in the batch and let the trigger campaign listen with "Added to List".',
    ],
    transient: false,
  },
  '1001': {
    category: 'marketo',
    title: 'the service answered with an empty body, so the response mappings did not run',
    summary:
      'Marketo\'s own code 1001: the service answered with a 2xx status but an empty body. There is nothing to map, so the response mappings of "{webhook}" did not run and no field was written.',
    steps: [
      'If you need data back, change the service to answer 200 with a body in the webhook\'s Response Type (JSON or XML); a 204 No Content never carries a body.',
      'If the call is fire-and-forget, this is expected: remove the response mappings of "{webhook}" and set Response Type to None so nobody waits for field updates.',
      'Do not build flow steps on fields this webhook was meant to write: they were not written.',
    ],
    transient: false,
  },

  // 2xx: success when a body came back (an empty 2xx is 1001).
  '200': {
    category: 'success',
    title: 'the service answered with a body; Marketo runs the response mappings',
    summary: SUCCESS_SUMMARY,
    steps: SUCCESS_STEPS,
    transient: false,
  },
  '201': {
    category: 'success',
    title: 'the service created something and answered with a body; Marketo runs the response mappings',
    summary: SUCCESS_SUMMARY,
    steps: SUCCESS_STEPS,
    transient: false,
  },
  '202': {
    category: 'success',
    title: 'the service queued the work; the body usually holds only a receipt, not the result',
    summary:
      SUCCESS_SUMMARY +
      ' A 202 means the work is not done yet: the result, if any, arrives later and not through this call.',
    steps: [
      'Map only what the 202 body holds (often a job id); the actual result must come back another way, e.g. the service writing to Marketo through the REST API.',
      ...SUCCESS_STEPS,
    ],
    transient: false,
  },
  '204': {
    category: 'success',
    title: 'No Content, yet the service sent a body; Marketo runs the response mappings on it',
    summary:
      SUCCESS_SUMMARY + ' A 204 should carry no body; one without a body is reported as 1001.',
    steps: [
      'Check the service: a 204 with a body breaks HTTP; answer 200 when there is data to send back.',
      ...SUCCESS_STEPS,
    ],
    transient: false,
  },
  '2xx': {
    category: 'success',
    title: 'a success status this table does not know; Marketo treats every 2xx with a body as success and runs the mappings',
    summary: SUCCESS_SUMMARY,
    steps: SUCCESS_STEPS,
    transient: false,
  },

  // 3xx: not followed; reported as themselves.
  '301': {
    category: 'redirect',
    title: 'the URL has moved for good; the redirect is not followed',
    summary: 'The service says the URL moved permanently.' + FAILED_TAIL,
    steps: redirectSteps(),
    transient: false,
  },
  '302': {
    category: 'redirect',
    title: 'the service points elsewhere; the redirect is not followed',
    summary: 'The service redirects to another URL (often a login page or a moved endpoint).' + FAILED_TAIL,
    steps: redirectSteps(['A redirect to a login page means the credentials are missing: check the authentication header.']),
    transient: false,
  },
  '303': {
    category: 'redirect',
    title: 'the service points to the result at another URL; the redirect is not followed',
    summary: 'The service answered with "see the result over there", which Marketo does not fetch.' + FAILED_TAIL,
    steps: redirectSteps(['If the service always answers this way, it needs a mode that returns the result directly.']),
    transient: false,
  },
  '304': {
    category: 'redirect',
    title: 'the service answered a conditional request with "nothing changed" and no body',
    summary: 'A 304 only answers a conditional request (If-None-Match, If-Modified-Since).' + FAILED_TAIL,
    steps: [
      'Remove If-None-Match / If-Modified-Since from the custom headers of "{webhook}": Marketo keeps no cache, so a 304 leaves nothing to map.',
      'Catch it with a trigger campaign on {trigger} and "Send Alert" until the headers are fixed.',
    ],
    transient: false,
  },
  '307': {
    category: 'redirect',
    title: 'the service redirects temporarily; the redirect is not followed',
    summary: 'The service asks to repeat the same request at another URL for now.' + FAILED_TAIL,
    steps: redirectSteps(),
    transient: false,
  },
  '308': {
    category: 'redirect',
    title: 'the URL has moved for good (method kept); the redirect is not followed',
    summary: 'The service says the URL moved permanently and the same request should go there.' + FAILED_TAIL,
    steps: redirectSteps(),
    transient: false,
  },
  '3xx': {
    category: 'redirect',
    title: 'a redirect this table does not know; it is not followed',
    summary: 'The service answered with a redirect.' + FAILED_TAIL,
    steps: redirectSteps(),
    transient: false,
  },

  // 4xx: the request (definition, credentials, data) is wrong; a retry fails the same way unless noted.
  '400': {
    category: 'client-error',
    title: 'the service could not read the request',
    summary: 'The service rejected the request as malformed.' + FAILED_TAIL,
    steps: alertSteps([
      'Fix the definition: the template must be valid for its Content-Type (a token inside quotes with JSON encoding yields ""value""; None encoding breaks on & and "), and the Content-Type header must match the body.',
    ]),
    transient: false,
  },
  '401': {
    category: 'client-error',
    title: 'the credentials are missing or wrong',
    summary: 'The service did not accept the credentials (API key, token, Basic auth).' + FAILED_TAIL,
    steps: alertSteps([
      'Check the credentials of "{webhook}": the Authorization or API-key header, or the key in the URL. Here keep them as a { "secret": "NAME" } token so they stay out of files; in Marketo, update Set Custom Header.',
      'An expired or rotated key is the usual cause: get a new one from the service.',
    ]),
    transient: false,
  },
  '403': {
    category: 'client-error',
    title: 'the service refuses this caller',
    summary:
      'The service understood who is calling and refuses: the credentials lack a permission, or the caller\'s IP address is not allowed.' +
      FAILED_TAIL,
    steps: alertSteps([
      'Check the credentials of "{webhook}" (a { "secret": "NAME" } token here) and that they carry the permission the call needs.',
      'If the service has an IP allowlist, add Marketo\'s published outbound IP ranges to it. Calls from this workbench come from your own machine, so the allowlist can also block you here while Marketo gets through.',
    ]),
    transient: false,
  },
  '404': {
    category: 'client-error',
    title: 'the URL does not exist on the service',
    summary: 'The service has nothing at this URL.' + FAILED_TAIL,
    steps: alertSteps([
      'Fix the URL of "{webhook}": check the path, the API version, and tokens in the URL (a token that renders empty leaves a gap in the path; filter out people whose field is empty in the Smart List of {campaign}).',
      'If the URL names a record (an id from a token), the record may not exist on the service for this person.',
    ]),
    transient: false,
  },
  '405': {
    category: 'client-error',
    title: 'the service does not accept this Request Type at this URL',
    summary: 'The service does not allow this HTTP method here.' + FAILED_TAIL,
    steps: alertSteps(['Change the Request Type of "{webhook}" to the one the service documents (the Allow header lists them).']),
    transient: false,
  },
  '406': {
    category: 'client-error',
    title: 'the service cannot answer in a format the request accepts',
    summary: 'The service cannot produce a response matching the Accept header.' + FAILED_TAIL,
    steps: alertSteps(['Set a custom header "Accept: application/json" (or application/xml) matching the Response Type of "{webhook}", or remove a too-narrow Accept header.']),
    transient: false,
  },
  '408': {
    category: 'client-error',
    title: 'the service gave up waiting for the request',
    summary: 'The service closed the request because it arrived too slowly.' + FAILED_TAIL,
    steps: alertSteps([
      'Usually a problem between the networks, not the definition: if it is rare, one retry ("Wait" then "Call Webhook: {webhook}") is reasonable; if it repeats, ask the service owner.',
    ]),
    transient: false,
  },
  '409': {
    category: 'client-error',
    title: 'the request conflicts with the current state on the service',
    summary: 'The service refused the change because of a conflict (often: the record already exists).' + FAILED_TAIL,
    steps: alertSteps([
      'Decide whether the conflict is a real failure: for "already exists" the call is often harmless, so match {trigger} and treat it as done instead of alerting.',
      'Otherwise change the call to an update (PUT/PATCH) or make the service idempotent.',
    ]),
    transient: false,
  },
  '410': {
    category: 'client-error',
    title: 'the URL existed but has been retired',
    summary: 'The service removed this endpoint for good.' + FAILED_TAIL,
    steps: alertSteps(['Move "{webhook}" to the service\'s current endpoint (often a new API version); deactivate {campaign} meanwhile.']),
    transient: false,
  },
  '413': {
    category: 'client-error',
    title: 'the request body is larger than the service accepts',
    summary: 'The service refused the body as too large.' + FAILED_TAIL,
    steps: alertSteps(['Shrink the template of "{webhook}": send only the fields the service needs; long text fields (up to 30,000 bytes) are the usual cause.']),
    transient: false,
  },
  '414': {
    category: 'client-error',
    title: 'the URL is longer than the service accepts',
    summary: 'The service refused the URL as too long.' + FAILED_TAIL,
    steps: alertSteps(['Move the tokens from the URL of "{webhook}" into a template and use POST.']),
    transient: false,
  },
  '415': {
    category: 'client-error',
    title: 'the service does not accept the body\'s content type',
    summary: 'The service cannot read a body of this Content-Type.' + FAILED_TAIL,
    steps: alertSteps([
      'Add the custom header "Content-Type: application/json" (or application/x-www-form-urlencoded) to "{webhook}", matching the template and the Request Token Encoding (JSON or Form/Url).',
    ]),
    transient: false,
  },
  '422': {
    category: 'client-error',
    title: 'the service read the request but rejected its data',
    summary: 'The request was well formed, but a value failed the service\'s validation (a required field empty, a bad email or date).' + FAILED_TAIL,
    steps: alertSteps([
      'Read the response body for the failing field; give tokens defaults ({{lead.First Name:default=Friend}}) or filter out people whose fields are empty, in the Smart List of {campaign}.',
    ]),
    transient: false,
  },
  '429': {
    category: 'client-error',
    title: 'the service is rate-limiting the calls',
    summary: 'The service refused the call because too many came in; a later call can succeed.' + FAILED_TAIL,
    steps: retrySteps('1 hour (or what the Retry-After header says)', '1 day', [
      'Reduce the rate: a large trigger burst (an import, a list load) calls the service as fast as Marketo can (practitioners report up to 20 calls outstanding per instance); spread it with "Wait" steps or ask the service for a higher limit.',
    ]),
    transient: true,
  },
  '4xx': {
    category: 'client-error',
    title: 'the service rejected the request (a 4xx this table does not know)',
    summary: 'The service rejected the request; the reason is in the status and the body.' + FAILED_TAIL,
    steps: alertSteps(['Read the response body and the service\'s documentation for this status, and fix the definition of "{webhook}".']),
    transient: false,
  },

  // 5xx: the service failed; some are temporary.
  '500': {
    category: 'server-error',
    title: 'the service failed while handling the request',
    summary: 'The service hit an error of its own.' + FAILED_TAIL,
    steps: alertSteps([
      'Send the request and response shown here to the service owner: a 500 is a bug on their side, though odd input (an empty token, an unexpected character) can trigger it.',
    ]),
    transient: false,
  },
  '501': {
    category: 'server-error',
    title: 'the service does not implement this request',
    summary: 'The service does not support this method or feature.' + FAILED_TAIL,
    steps: alertSteps(['Change the Request Type or URL of "{webhook}" to one the service supports.']),
    transient: false,
  },
  '502': {
    category: 'server-error',
    title: 'a gateway in front of the service got no valid answer from it',
    summary: 'A proxy or gateway could not reach the service behind it; usually temporary.' + FAILED_TAIL,
    steps: retrySteps('15 minutes', '1 day'),
    transient: true,
  },
  '503': {
    category: 'server-error',
    title: 'the service is unavailable for now (overloaded or in maintenance)',
    summary: 'The service cannot take calls right now; a later call can succeed.' + FAILED_TAIL,
    steps: retrySteps('1 hour (or what the Retry-After header says)', '1 day'),
    transient: true,
  },
  '504': {
    category: 'server-error',
    title: 'a gateway in front of the service timed out waiting for it',
    summary: 'The service behind a gateway answered too slowly; it may still have done the work.' + FAILED_TAIL,
    steps: retrySteps('15 minutes', '1 day', [
      'A gateway timeout does not prove the work was not done: make the service idempotent so a retry does not repeat it.',
    ]),
    transient: true,
  },
  '5xx': {
    category: 'server-error',
    title: 'the service failed (a 5xx this table does not know)',
    summary: 'The service reported an error of its own.' + FAILED_TAIL,
    steps: alertSteps(['Send the request and response shown here to the service owner.']),
    transient: false,
  },
  other: {
    category: 'server-error',
    title: 'not a final HTTP status; the service sent no usable answer',
    summary: 'The status is informational (1xx) or outside 100–599, so it is no answer Marketo can use.' + FAILED_TAIL,
    steps: alertSteps(['Send the request and response shown here to the service owner: it must answer with a status from 200 to 599.']),
    transient: false,
  },

  // Network failures: no HTTP status, no code.
  timeout: {
    category: 'network',
    title: 'the service did not answer in time (Marketo waits 30 seconds, then abandons the call)',
    summary: 'The call was abandoned before an answer came.' + NETWORK_TAIL,
    steps: networkRetrySteps('1 hour', [
      'A timeout does not prove the call failed: the service may finish the work after Marketo stopped waiting, so make it idempotent before retrying.',
      'Make the service answer within 30 seconds: acknowledge at once and do slow work afterwards, writing results back through Marketo\'s REST API.',
    ]),
    transient: true,
  },
  dns: {
    category: 'network',
    title: 'the host name in the URL does not resolve',
    summary: 'The host name could not be found in DNS.' + NETWORK_TAIL,
    steps: networkAlertSteps([
      'Fix the host in the URL of "{webhook}": spelling, a token in the host name that rendered empty, or an internal name that only resolves inside your network (Marketo calls from the public internet).',
    ]),
    transient: false,
  },
  refused: {
    category: 'network',
    title: 'nothing accepts connections at that host and port',
    summary: 'The host answered, but nothing listens on that port (the service is down or the port is wrong).' + NETWORK_TAIL,
    steps: networkAlertSteps([
      'Check the URL of "{webhook}" (scheme and port) and that the service is running and reachable from the public internet.',
    ]),
    transient: false,
  },
  reset: {
    category: 'network',
    title: 'the connection was dropped before an answer came',
    summary: 'The connection broke mid-call (a crash, a restart, a proxy cutting it).' + NETWORK_TAIL,
    steps: networkRetrySteps('15 minutes', [
      'The service may have received the request before the connection dropped: make it idempotent before retrying.',
    ]),
    transient: true,
  },
  tls: {
    category: 'network',
    title: 'the secure (https) connection could not be set up',
    summary: 'The TLS handshake failed: the certificate is expired, self-signed, for another host name, or its chain is incomplete. Marketo\'s exact TLS rules are undocumented [open].' + NETWORK_TAIL,
    steps: networkAlertSteps([
      'Give the service a valid certificate from a public certificate authority, for the host name in the URL of "{webhook}", served with its full chain.',
    ]),
    transient: false,
  },
  protocol: {
    category: 'network',
    title: 'the request was sent, but the answer is not valid HTTP, so there is no status',
    summary:
      'The service received the request, but what came back is not an HTTP answer Marketo can read (a malformed status line, header or chunked body, or an informational status where the answer belongs): a bug in the service or in a proxy in front of it.' +
      NETWORK_TAIL,
    steps: networkAlertSteps([
      'The service got the request and may have acted on it (sent the message, written the record): check on the service before calling again.',
      'Send the request shown here and the message above to the owner of the service: it must answer with a valid HTTP/1.1 status line (e.g. "HTTP/1.1 200 OK"), valid headers and a body of the length it announces.',
    ]),
    transient: false,
  },
  network: {
    category: 'network',
    title: 'the call failed without an HTTP status',
    summary: 'No answer came back.' + NETWORK_TAIL,
    steps: networkAlertSteps(['Check that the URL of "{webhook}" is reachable from the public internet.']),
    transient: false,
  },
} as const satisfies Record<string, OutcomeEntry>;

export type OutcomeKey = keyof typeof OUTCOMES;

/** Every kind, checked by the compiler against NetworkFailure. */
const NETWORK_KINDS: Record<NetworkFailure, true> = { timeout: true, dns: true, refused: true, reset: true, tls: true, protocol: true };

function hasKey(key: string): key is OutcomeKey {
  return Object.hasOwn(OUTCOMES, key);
}

/** The standard reason phrase of a status (node:http's STATUS_CODES), '' if there is none. */
export function reasonPhrase(status: number): string {
  return Number.isInteger(status) ? (STATUS_CODES[status] ?? '') : '';
}

/** The table row for an HTTP status: its own row, else its class's generic row, else `other`. */
function keyForStatus(status: number): OutcomeKey {
  const own = String(status);
  if (Number.isInteger(status) && hasKey(own) && own !== '1000' && own !== '1001') return own;
  if (!Number.isInteger(status) || status < 200 || status > 599) return 'other';
  return `${Math.floor(status / 100)}xx` as OutcomeKey;
}

/** Which table row a classification came from (also tells `transient` via OUTCOMES[key]). */
export function outcomeKey(classification: Classification): OutcomeKey {
  if (classification.category === 'network') return classification.network ?? 'network';
  if (classification.category === 'marketo') return classification.code === 1000 ? '1000' : '1001';
  return classification.code === null ? 'other' : keyForStatus(classification.code);
}

/**
 * The standard phrase of a status when the phrase received is empty or differs from it (shown
 * beside the Error Type, never as it), else null.
 */
export function standardPhraseBeside(status: number, received: string): string | null {
  const standard = reasonPhrase(status);
  return standard !== '' && standard !== received ? standard : null;
}

/**
 * "429 Slow Down Please (standard phrase: Too Many Requests)", "404 (no reason phrase; standard
 * phrase: Not Found)", "200 OK": the status, the phrase as received, the standard one if different.
 */
function statusHead(status: number, phrase: string): string {
  const standard = standardPhraseBeside(status, phrase);
  if (phrase === '') return standard ? `${status} (no reason phrase; standard phrase: ${standard})` : `${status} (no reason phrase)`;
  return standard ? `${status} ${phrase} (standard phrase: ${standard})` : `${status} ${phrase}`;
}

/** Only a 2xx answer counts as the service's success (docs/marketo-behaviour.md#response-codes). */
export function isSuccessStatus(status: number): boolean {
  return Number.isInteger(status) && status >= 200 && status <= 299;
}

/**
 * Marketo's 1001: a 2xx whose body is empty, or (project rule, docs/marketo-behaviour.md#empty-body)
 * only whitespace. Mappings run only on a 2xx with a body.
 */
export function isMarketo1001(response: RunResponse): boolean {
  return isSuccessStatus(response.status) && response.body.trim() === '';
}

/** A 1001 only because of the project's whitespace rule: the body is not empty, only blank. */
export function isWhitespace1001(response: RunResponse): boolean {
  return isMarketo1001(response) && response.body !== '';
}

/** What Marketo makes of a call's outcome (an answer, a network failure, or a batch campaign's no-call): code, category, Error Type. */
export function classifyOutcome(input: OutcomeInput): Classification {
  const { campaign, response, network } = input;

  // Batch comes first: Marketo refuses before anything is sent.
  if (campaign === 'batch') {
    return {
      code: 1000, category: 'marketo', errorType: null, standardPhrase: null, network: null, mappingsApplied: false,
      title: `1000: ${OUTCOMES['1000'].title}`,
    };
  }

  // No status line: no code, no Error Type. `response === null` without a kind is a failure we
  // cannot name; it gets the generic network row instead of throwing.
  if (network !== null || response === null) {
    const kind = network !== null && Object.hasOwn(NETWORK_KINDS, network) ? network : null;
    const entry = OUTCOMES[kind ?? 'network'];
    return {
      code: null, category: 'network', errorType: null, standardPhrase: null, network: kind, mappingsApplied: false,
      title: `No response${kind ? ` (${kind})` : ''}: ${entry.title}`,
    };
  }

  const { status } = response;
  // The phrase as on the wire ('' when there was none): what Error Type holds.
  const phrase = response.statusText;
  const standardPhrase = standardPhraseBeside(status, phrase);
  // 1001 only for a 2xx with an empty (or blank) body; errorType keeps the received phrase.
  if (isMarketo1001(response)) {
    return {
      code: 1001, category: 'marketo', errorType: phrase, standardPhrase, network: null, mappingsApplied: false,
      title: `1001 (HTTP ${statusHead(status, phrase)}): ${OUTCOMES['1001'].title}`,
    };
  }

  const entry = OUTCOMES[keyForStatus(status)];
  const success = entry.category === 'success';
  return {
    code: status,
    category: entry.category,
    // A success is no error: nothing for the Error Type constraint.
    errorType: success ? null : phrase,
    standardPhrase: success ? null : standardPhrase,
    network: null,
    mappingsApplied: success,
    title: `${statusHead(status, phrase)}: ${entry.title}`,
  };
}

export function handlingFor(
  classification: Classification,
  context: { webhookName: string; campaignName?: string },
): Handling {
  // The same webhook meets the same outcome run after run: the advice is filled in once. A list's
  // leads mostly meet the outcome of the lead before: that one is compared first, without a key.
  const outcome = outcomeKey(classification);
  const { errorType } = classification;
  const campaignName = context.campaignName ?? '';
  let handling: Handling;
  if (lastHandling && lastHandling.outcome === outcome && lastHandling.errorType === errorType
    && lastHandling.webhookName === context.webhookName && lastHandling.campaignName === campaignName) {
    handling = lastHandling.handling;
  } else {
    // Length-prefixed, so no text can run into the next.
    const key = `${outcome}|${errorType === null ? '-' : errorType.length}|${errorType ?? ''}|${context.webhookName.length}|${context.webhookName}|${campaignName}`;
    handling = recentHandling.getOrCreate(key, () => fillHandling(classification, context));
    lastHandling = { outcome, errorType, webhookName: context.webhookName, campaignName, handling };
  }
  // A copy: callers add to it.
  return { summary: handling.summary, steps: [...handling.steps] };
}

let lastHandling: { outcome: OutcomeKey; errorType: string | null; webhookName: string; campaignName: string; handling: Handling } | undefined;

const recentHandling = new BoundedCache<string, Handling>({ maxEntries: 64 });

/** What to do when the status line had no reason phrase (docs/marketo-behaviour.md#error-type). */
export const EMPTY_ERROR_TYPE =
  'this answer\'s status line had no reason phrase, so its Error Type is empty, and an empty Error Type cannot be picked in the constraint: match on Response instead, with text the service\'s answer holds';

function fillHandling(classification: Classification, context: { webhookName: string; campaignName?: string }): Handling {
  const entry: OutcomeEntry = OUTCOMES[outcomeKey(classification)];
  const webhook = context.webhookName;
  const errorType = classification.errorType;
  const values: Record<string, string> = {
    webhook,
    campaign: context.campaignName ? `the smart campaign "${context.campaignName}"` : 'the smart campaign that calls it',
    trigger: errorType
      ? `the trigger "Webhook is Called: ${webhook}" with the constraint "Error Type: ${errorType}"`
      : `the trigger "Webhook is Called: ${webhook}" with a "Response" constraint (${EMPTY_ERROR_TYPE})`,
    errorTypeNote: errorType ? `Error Type "${errorType}"` : 'an empty Error Type (the status line had no reason phrase)',
  };
  // One pass, so a name that itself contains "{campaign}" is not filled again.
  const fill = (text: string): string =>
    text.replace(/\{(webhook|campaign|trigger|errorTypeNote)\}/g, (whole, key: string) => values[key] ?? whole);
  return { summary: fill(entry.summary), steps: entry.steps.map(fill) };
}
