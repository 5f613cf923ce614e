// The engine's public entry points: what the command line and the editor call.
import type { FieldCatalog } from './catalog/field-catalog';
import type { CampaignType, Diagnostic, RunAnswerStart, RunResult, WebhookDefinition } from './types';

/**
 * Who named a file the engine reads: the caller (a command-line flag, a user setting, a lead picked
 * in the editor), or the definition under one of its keys. A definition comes with the repository,
 * which is not trusted to choose what a run reads and sends, so a host reads a file the definition
 * names only inside the definition's workspace (the rule is enforced in one place, the shared
 * reader src/node/input-file.ts; each host says where the workspace is and how to pass the file
 * anyway).
 */
export type FileNamedBy = { by: 'caller' } | { by: 'definition'; key: 'test.lead' | 'test.tokens' };

/** File access injected by the caller (CLI: node:fs; editor: workspace.fs), so the engine stays pure. */
export interface EngineHost {
  /**
   * Reads a UTF-8 text file: a regular file of bounded size, and inside the workspace when the
   * definition named it. Rejects with an Error whose message is the reason, readable after the
   * file's name ("no such file", "it is outside the workspace folder; …").
   */
  readTextFile(path: string, namedBy: FileNamedBy): Promise<string>;
  /** value of a `{ "secret": NAME }` token, or undefined when it is not set */
  getSecret(name: string): Promise<string | undefined>;
}

export interface ValidateOptions {
  /** the definition's path; relative lead paths resolve against its folder */
  file?: string;
  catalog?: FieldCatalog;
}

export interface ValidateResult {
  /** the definition with defaults applied; undefined when the file has no usable object */
  definition?: WebhookDefinition;
  diagnostics: Diagnostic[];
}

export interface RunOptions {
  /** the definition's text and path */
  text: string;
  file: string;
  host: EngineHost;
  catalog?: FieldCatalog;
  /** overrides `test.lead`: a path, or a lead object */
  lead?: string | Record<string, unknown>;
  /** overrides `test.campaign` */
  campaign?: CampaignType;
  /**
   * the caller's tokens file (`{ "my.Name": "value" }`, as `pull tokens` writes it), read through
   * the host as the caller's: added to / overriding inline `test.tokens`, and read instead of a
   * `test.tokens` file
   */
  tokensFile?: string;
  /** added to / overriding `test.tokens` and `tokensFile`: `{ "my.Name": "value" }` */
  tokens?: Record<string, string>;
  /** overrides `test.timeoutMs` */
  timeoutMs?: number;
  /** aborts the HTTP call; `runDefinition` then rejects with a `RunCancelledError` */
  signal?: AbortSignal;
  /** the moment used for `{{system.*}}` tokens; default now */
  now?: Date;
  /**
   * Called at most once, when a long answer's status line, headers and first ANSWER_START_BYTES
   * have arrived and the rest of its body is still coming: so that a host can show them before the
   * whole answer is read and classified.
   */
  onAnswerStart?: (start: RunAnswerStart) => void;
}

/** Thrown when a run is cancelled through its signal. */
export class RunCancelledError extends Error {
  /**
   * @param requestMayHaveArrived the request had begun to go out when the run was cancelled: the
   * service may have received it and acted on it, so running again may act twice
   */
  constructor(readonly requestMayHaveArrived = false) {
    super(requestMayHaveArrived
      ? 'The run was cancelled after the request went out: the service may have received it and acted on it; its answer was not read.'
      : 'The run was cancelled before the request was sent.');
    this.name = 'RunCancelledError';
  }
}

/** Why a run stopped before anything was sent, though the definition itself is valid. */
export type RunInputProblem = 'lead-unusable' | 'tokens-unusable' | 'secret-missing' | 'secret-too-short' | 'url-invalid' | 'request-refused';

/**
 * A problem that stops a run before anything is sent, other than a diagnostic of the definition:
 * a lead or tokens file that is missing or unreadable, a secret that is not set, a request the HTTP client
 * refuses. Its message is meant for the user as it is; `result` is the run result that reports
 * it (as an error diagnostic), for callers that print one document whatever happens.
 */
export class RunInputError extends Error {
  readonly problem: RunInputProblem;
  /** set when a `{ "secret": NAME }` token has no usable value (not set, or too short to mask), so the caller can ask for it */
  readonly missingSecret: string | undefined;
  /** filled in by runDefinition */
  result: RunResult | undefined;

  constructor(problem: RunInputProblem, message: string, missingSecret?: string) {
    super(message);
    this.name = 'RunInputError';
    this.problem = problem;
    this.missingSecret = missingSecret;
  }
}

/** An error diagnostic about the file as a whole, at its start. */
export function fileDiagnostic(code: string, message: string): Diagnostic {
  const zero = { line: 0, character: 0 };
  return { severity: 'error', code, message, range: { start: zero, end: { ...zero } } };
}

/** The result of a run that sent nothing: no request, answer or outcome; its diagnostics say why. */
export function unsentRunResult(definition: RunResult['definition'], diagnostics: Diagnostic[]): RunResult {
  return { definition, request: null, response: null, classification: null, mappings: [], handling: null, assumptions: [], diagnostics };
}

export type { RunResult };
