// Every limit the Workbench applies, once: the engine, the command line and the extension import
// them from here (the extension through ./index). Marketo's own limits cite where they are
// documented; the others are the Workbench's rules, and say why. test/unit/limits.test.ts fails
// when one of these values is written out again elsewhere in src/.

// ---- Marketo's limits ---------------------------------------------------------------------------

/** Marketo abandons a webhook call after 30 seconds (docs/marketo-behaviour.md#timeout). */
export const MARKETO_TIMEOUT_MS = 30_000;

/** A String field holds 255 characters unless the field says otherwise (docs/marketo-behaviour.md#field-types). */
export const DEFAULT_STRING_LENGTH = 255;

/** A Text Area field holds 30,000 bytes (docs/marketo-behaviour.md#field-types). */
export const TEXT_MAX_BYTES = 30_000;

/** At most 20 webhook calls of one instance are outstanding (docs/marketo-behaviour.md#concurrency). */
export const MAX_CONCURRENCY = 20;

// ---- the Workbench's own limits -----------------------------------------------------------------

/**
 * The largest definition, sample lead, field catalog or token file read (5 MB): each is a few KB,
 * and a file past this is not one of them (docs/marketo-behaviour.md has no such limit).
 */
export const MAX_INPUT_FILE_BYTES = 5 * 1024 * 1024;

/** A lead list may be a whole list export (256 MB): larger than the other input files, still bounded. */
export const MAX_LEAD_LIST_BYTES = 256 * 1024 * 1024;

/** Above this many leads a list run asks to confirm (`--yes`): each lead is a real call to the service. */
export const CONFIRM_ABOVE_LEADS = 25;

/**
 * Leads of a list run in the editor whose whole run result is kept (the newest ones), so that a row
 * opens its run; every lead keeps its row. Bounded whatever the list's size.
 */
export const LIST_RUNS_KEPT = 500;

/** Characters of each response body kept with a list run's lead (the row's full run, not 10 MB × 500). */
export const LIST_RUN_BODY_CHARS = 16 * 1024;

/** How often (ms) the editor posts a list run's new rows to the panel: batches, never one message per lead. */
export const LIST_POST_INTERVAL_MS = 100;

/**
 * Bytes of decoded response body kept (10 MB); a longer body is cut and marked `truncated`.
 * Marketo documents no limit (docs/marketo-behaviour.md#response-size).
 */
export const RESPONSE_SIZE_LIMIT = 10 * 1024 * 1024;
/** Decoded body bytes of a longer answer after which a run reports its start (RunOptions.onAnswerStart): a first screen's worth. */
export const ANSWER_START_BYTES = 16 * 1024;

/** The longest `test.timeoutMs` / `--timeout`: the longest wait a timer can make (setTimeout's 32-bit limit). */
export const MAX_TIMEOUT_MS = 2_147_483_647;

/** Idle time after which a kept connection is not reused, so a run never meets a socket the service closed. */
export const KEEP_ALIVE_MS = 1_000;

/** A secret shorter than this (in characters) is refused: masking one or two characters would mask them wherever they occur and still tell what they are. */
export const MIN_SECRET_LENGTH = 3;

/** XML nesting past this is not read (the parser recurses per level); no service answers that. */
export const MAX_XML_DEPTH = 1000;

/** Characters of a body the run panel receives (the editor opens the whole body). */
export const PANEL_BODY_CHARS = 256 * 1024;

/** Characters of a body kept in a stored run of the history (workspace state is no place for 10 MB). */
export const STORED_BODY_CHARS = 256 * 1024;

/** Runs kept in the history of each definition. */
export const HISTORY_SIZE = 20;

// ---- the Marketo REST client's limits (docs/marketo-rest.md) ------------------------------------

/** Marketo's REST API: at most 10 calls of one instance under way at once (docs/marketo-rest.md#limits). */
export const MARKETO_API_MAX_CONCURRENT = 10;
/** Marketo's REST API: at most 100 calls of one instance in any 20 seconds (docs/marketo-rest.md#limits). */
export const MARKETO_API_MAX_PER_WINDOW = 100;
/** The window of that rate limit: 20 seconds (docs/marketo-rest.md#limits). */
export const MARKETO_API_WINDOW_MS = 20_000;
/** Marketo answers 414 to a GET whose URI passes 8 KB: such calls go as `POST ...?_method=GET` (docs/marketo-rest.md). */
export const MARKETO_MAX_GET_URL_BYTES = 8 * 1024;
/**
 * The waits before trying again after 606 or 615 (docs/marketo-rest.md#errors): three tries, 3, 6
 * and 12 s later, together longer than one 20-second rate window.
 */
export const MARKETO_RETRY_DELAYS_MS: readonly number[] = [3_000, 6_000, 12_000];
/** An access token is fetched again this many seconds before Marketo says it expires. */
export const MARKETO_TOKEN_MARGIN_S = 60;
/** One REST call, connect to last byte: Marketo documents no limit; a minute is far past a normal answer. */
export const MARKETO_CALL_TIMEOUT_MS = 60_000;
/** The largest REST answer read: a Describe Lead of a big instance is a few hundred KB. */
export const MARKETO_MAX_ANSWER_BYTES = 32 * 1024 * 1024;
