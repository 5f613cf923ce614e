// Shared shapes of the engine. The run result and diagnostics mirror the public JSON of
// design/contracts.md (§4): changing a name here changes a public surface.

export interface Position {
  /** zero-based, as in LSP and VS Code */
  line: number;
  /** zero-based UTF-16 code unit offset in the line */
  character: number;
}

export interface Range {
  start: Position;
  end: Position;
}

export type Severity = 'error' | 'warning' | 'info' | 'hint';

/** A validation finding as `validate --json` prints it. */
export interface Diagnostic {
  severity: Severity;
  /** stable code, e.g. `token-unknown`; quick fixes hang off it */
  code: string;
  message: string;
  range: Range;
  /** machine-readable data for quick fixes (not printed by the CLI) */
  data?: DiagnosticData;
}

/** What a quick fix needs to repair the finding. */
export interface DiagnosticData {
  /** offsets into the document text of the text to replace */
  offset: number;
  length: number;
  /** replacement texts, best first */
  replacements?: string[];
  [key: string]: unknown;
}

export type RequestType = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
export type RequestTokenEncoding = 'None' | 'Form/Url' | 'JSON';
export type ResponseType = 'None' | 'JSON' | 'XML';
export type CampaignType = 'trigger' | 'batch';

/**
 * A token value in `test.tokens`: literal text, a JSON number (its text as written: it marks a
 * Number or Score My Token, sent bare under JSON encoding), or a named secret.
 */
export type TokenValue = string | { number: string } | { secret: string };

export interface ResponseMapping {
  responseAttribute: string;
  marketoField: string;
}

/** A definition with defaults applied (contracts §1). */
export interface WebhookDefinition {
  name: string;
  description?: string;
  url: string;
  requestType: RequestType;
  /** already joined with `\n` when given as an array; undefined when absent */
  template?: string;
  requestTokenEncoding: RequestTokenEncoding;
  responseType: ResponseType;
  headers: Record<string, string>;
  responseMappings: ResponseMapping[];
  test: {
    lead?: string | Record<string, unknown>;
    campaign: CampaignType;
    /** the values given inline; empty when `test.tokens` names a tokens file */
    tokens: Record<string, TokenValue>;
    /** `test.tokens` given as a string: a tokens file (`{ "my.Name": "value" }`), relative to the definition */
    tokensFile?: string;
    timeoutMs: number;
  };
}

/**
 * A call that ended without an HTTP status. `protocol`: the request was sent, but the answer is
 * not HTTP the client can read (a malformed status line, header or chunked body, an unasked-for
 * 100 or 101).
 */
export type NetworkFailure = 'timeout' | 'dns' | 'refused' | 'reset' | 'tls' | 'protocol';

export type Category = 'success' | 'marketo' | 'redirect' | 'client-error' | 'server-error' | 'network';

export interface RunRequest {
  method: RequestType;
  /** the URL whose bytes are sent (docs/marketo-behaviour.md#url-as-written) */
  url: string;
  /** the URL as written, tokens replaced; only when `url` differs from it */
  urlAsWritten?: string;
  /** why `url` differs from `urlAsWritten`, one line for people; only with it */
  urlNote?: string;
  headers: Record<string, string>;
  body: string | null;
  sent: boolean;
}

/**
 * The start of a long answer while the rest of its body is still arriving (RunOptions.onAnswerStart),
 * masked as the run's result is.
 */
export interface RunAnswerStart {
  status: number;
  statusText: string;
  headers: Record<string, string>;
  /** the start of the body, decoded; a tail that could be the start of a secret is held back */
  body: string;
  /** decoded body bytes received so far */
  bytes: number;
}

export interface RunResponse {
  status: number;
  statusText: string;
  headers: Record<string, string>;
  body: string;
  bytes: number;
  truncated: boolean;
  durationMs: number;
}

export interface Classification {
  code: number | null;
  category: Category;
  /**
   * The reason phrase as the status line carried it ('' when empty): what the Error Type
   * constraint of "Webhook is Called" holds. Null for a success, 1000 and network failures.
   */
  errorType: string | null;
  /**
   * The standard reason phrase of the status (`Not Found`) when the phrase received is empty or
   * differs from it, else null: shown beside the Error Type, never in its place.
   */
  standardPhrase: string | null;
  title: string;
  network: NetworkFailure | null;
  mappingsApplied: boolean;
}

export interface MappingResult {
  responseAttribute: string;
  marketoField: string;
  status: 'applied' | 'skipped';
  value: unknown;
  /** why the mapping is skipped, or null */
  reason: string | null;
  /** what to know about a value that is written (a rounding, an unverified rule), or null */
  note: string | null;
}

/** A rule the run relied on that nobody documents (docs/marketo-behaviour.md says why it was chosen). */
export interface Assumption {
  id: string;
  text: string;
  /** where the docs explain it: `docs/marketo-behaviour.md#<anchor>` */
  doc: string;
}

export interface Handling {
  summary: string;
  steps: string[];
}

/** The document `run --json` prints and the panel shows (contracts §4). */
export interface RunResult {
  definition: { name: string; file: string };
  request: RunRequest | null;
  response: RunResponse | null;
  classification: Classification | null;
  mappings: MappingResult[];
  handling: Handling | null;
  /** the assumptions this run's outcome rests on, each once */
  assumptions: Assumption[];
  diagnostics: Diagnostic[];
}
