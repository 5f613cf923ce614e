// What goes wrong when the client talks to Marketo, as errors a host can tell apart: Marketo's own
// error (its code and message, docs/marketo-rest.md#errors), a call that never got an answer, a
// cancellation. Messages are masked by the client before an error is built.

/**
 * Marketo answered with an error: a response-level error of an HTTP 200 (`success: false`, the
 * first of `errors[]`), an identity error (`invalid_client`), an HTTP status other than 200, or an
 * answer that is not Marketo's JSON. `code` is Marketo's code as text ("601", "invalid_client"),
 * or `http-<status>` / `not-json` / `not-found` for the client's own findings.
 */
export class MarketoApiError extends Error {
  constructor(readonly code: string, message: string) {
    super(message);
    this.name = 'MarketoApiError';
  }
}

/** The call got no answer: refused, reset, DNS, TLS, or no answer within the client's timeout. */
export class MarketoNetworkError extends Error {
  readonly code = 'network';
  constructor(message: string) {
    super(message);
    this.name = 'MarketoNetworkError';
  }
}

/** The caller aborted the signal it gave the client. */
export class MarketoCancelledError extends Error {
  readonly code = 'cancelled';
  constructor() {
    super('The call to Marketo was cancelled.');
    this.name = 'MarketoCancelledError';
  }
}

/** The base URL, client id or secret cannot be used; nothing was sent. */
export class MarketoConfigError extends Error {
  readonly code = 'config';
  constructor(message: string) {
    super(message);
    this.name = 'MarketoConfigError';
  }
}

/** What Marketo's documentation says about the codes the client acts on (docs/marketo-rest.md#errors). */
export const MARKETO_CODES = {
  /** Access token invalid: fetch a new token, once. */
  tokenInvalid: '601',
  /** Access token expired: fetch a new token, once. */
  tokenExpired: '602',
  /** Max rate limit (100 calls per 20 s) exceeded: wait and try again. */
  rateLimit: '606',
  /** Daily quota reached: nothing helps until the quota resets. */
  dailyQuota: '607',
  /** Concurrent access limit (10) reached: wait and try again. */
  concurrency: '615',
} as const;
