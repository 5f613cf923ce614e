// Command-line arguments of `marketo-webhook`: parsing, checking and the help text.
// Pure (no I/O): main.ts prints what this returns and picks the exit code.
import { MARKETO_TIMEOUT_MS, MASK, MAX_TIMEOUT_MS, type CampaignType } from '../engine';

export const PROGRAM = 'marketo-webhook';

/** A mistake in how the command was called: exit code 2 with a short usage hint. */
export class UsageError extends Error {
  constructor(message: string, readonly command?: CommandName) {
    super(message);
    this.name = 'UsageError';
  }
}

export type CommandName = 'validate' | 'run';

export interface ValidateArgs {
  command: 'validate';
  paths: string[];
  json: boolean;
  fields?: string;
}

export interface RunArgs {
  command: 'run';
  file: string;
  lead?: string;
  campaign?: CampaignType;
  /** `--token` values split at the first `=`, later ones win */
  tokens: Record<string, string>;
  timeoutMs?: number;
  fields?: string;
  json: boolean;
}

export type ParsedArgs =
  | ValidateArgs
  | RunArgs
  | { command: 'help'; topic?: CommandName }
  | { command: 'version' };

interface OptionSpec {
  takesValue: boolean;
  multiple?: boolean;
}

const OPTIONS: Record<CommandName, Record<string, OptionSpec>> = {
  validate: {
    json: { takesValue: false },
    fields: { takesValue: true },
    help: { takesValue: false },
  },
  run: {
    lead: { takesValue: true },
    campaign: { takesValue: true },
    token: { takesValue: true, multiple: true },
    timeout: { takesValue: true },
    fields: { takesValue: true },
    json: { takesValue: false },
    help: { takesValue: false },
  },
};

const COMMANDS: readonly CommandName[] = ['validate', 'run'];

interface RawOptions {
  positionals: string[];
  values: Map<string, string[]>;
  flags: Set<string>;
}

export function parseArgs(argv: readonly string[]): ParsedArgs {
  const [first, ...rest] = argv;
  if (first === undefined) throw new UsageError('missing command: validate or run');
  if (first === '--help' || first === '-h' || first === 'help') {
    const topic = first === 'help' ? rest[0] : undefined;
    if (topic !== undefined && !isCommand(topic)) throw new UsageError(`unknown command "${topic}"`);
    return topic ? { command: 'help', topic } : { command: 'help' };
  }
  if (first === '--version') return { command: 'version' };
  if (first.startsWith('-')) throw new UsageError(`unknown option ${first}; expected a command: validate or run`);
  if (!isCommand(first)) throw new UsageError(`unknown command "${first}"; expected validate or run`);

  const raw = scan(first, rest);
  if (raw.flags.has('help')) return { command: 'help', topic: first };
  return first === 'validate' ? toValidate(raw) : toRun(raw);
}

function isCommand(name: string): name is CommandName {
  return (COMMANDS as readonly string[]).includes(name);
}

/** Splits arguments into options and positionals, checking option names against the command. */
function scan(command: CommandName, args: readonly string[]): RawOptions {
  const specs = OPTIONS[command];
  const raw: RawOptions = { positionals: [], values: new Map(), flags: new Set() };
  for (let i = 0; i < args.length; i++) {
    const arg = args[i] as string;
    if (arg === '--') {
      raw.positionals.push(...args.slice(i + 1));
      break;
    }
    if (arg === '-h') {
      raw.flags.add('help');
      continue;
    }
    if (!arg.startsWith('--')) {
      if (arg.startsWith('-') && arg.length > 1) throw new UsageError(`unknown option ${arg}`, command);
      raw.positionals.push(arg);
      continue;
    }
    const eq = arg.indexOf('=');
    const name = arg.slice(2, eq === -1 ? undefined : eq);
    const spec = specs[name];
    if (!spec) throw new UsageError(`unknown option --${name} for ${command}`, command);
    if (!spec.takesValue) {
      if (eq !== -1) throw new UsageError(`--${name} takes no value`, command);
      raw.flags.add(name);
      continue;
    }
    let value: string;
    if (eq !== -1) {
      value = arg.slice(eq + 1);
    } else {
      const next = args[i + 1];
      // `--timeout -5` is a value (checked later with a clear message); `--lead --json` is not.
      if (next === undefined || (next.startsWith('-') && next.length > 1 && !/^-\d/.test(next))) {
        throw new UsageError(`--${name} needs a value`, command);
      }
      value = next;
      i++;
    }
    const list = raw.values.get(name) ?? [];
    if (list.length > 0 && !spec.multiple) throw new UsageError(`--${name} given more than once`, command);
    list.push(value);
    raw.values.set(name, list);
  }
  return raw;
}

function single(raw: RawOptions, name: string): string | undefined {
  return raw.values.get(name)?.[0];
}

function nonEmpty(value: string | undefined, name: string, command: CommandName): string | undefined {
  if (value !== undefined && value.trim() === '') throw new UsageError(`--${name} needs a value`, command);
  return value;
}

function toValidate(raw: RawOptions): ValidateArgs {
  if (raw.positionals.length === 0) throw new UsageError('validate needs at least one file or folder', 'validate');
  for (const p of raw.positionals) if (p === '') throw new UsageError('an empty path was given', 'validate');
  const result: ValidateArgs = { command: 'validate', paths: raw.positionals, json: raw.flags.has('json') };
  const fields = nonEmpty(single(raw, 'fields'), 'fields', 'validate');
  if (fields !== undefined) result.fields = fields;
  return result;
}

function toRun(raw: RawOptions): RunArgs {
  const [file, ...extra] = raw.positionals;
  if (file === undefined || file === '') throw new UsageError('run needs a definition file (*.webhook.jsonc)', 'run');
  if (extra.length > 0) throw new UsageError(`run takes one definition file; unexpected "${extra[0]}"`, 'run');
  const result: RunArgs = { command: 'run', file, tokens: {}, json: raw.flags.has('json') };

  const lead = nonEmpty(single(raw, 'lead'), 'lead', 'run');
  if (lead !== undefined) result.lead = lead;

  const campaign = single(raw, 'campaign');
  if (campaign !== undefined) {
    if (campaign !== 'trigger' && campaign !== 'batch') {
      throw new UsageError(`--campaign must be trigger or batch, not "${campaign}"`, 'run');
    }
    result.campaign = campaign;
  }

  for (const token of raw.values.get('token') ?? []) {
    const [name, value] = parseToken(token);
    result.tokens[name] = value;
  }

  const timeout = single(raw, 'timeout');
  if (timeout !== undefined) result.timeoutMs = parseTimeout(timeout);

  const fields = nonEmpty(single(raw, 'fields'), 'fields', 'run');
  if (fields !== undefined) result.fields = fields;
  return result;
}

/** `my.Name=value` → [`my.Name`, `value`]; split at the first `=`; `{{my.Name}}=value` is accepted too. */
export function parseToken(text: string): [string, string] {
  const eq = text.indexOf('=');
  if (eq === -1) throw new UsageError(`--token "${text}" has no "=": write --token "my.Name=value"`, 'run');
  let name = text.slice(0, eq).trim();
  const braced = /^\{\{\s*(.*?)\s*\}\}$/.exec(name);
  if (braced) name = braced[1] as string;
  if (name === '') throw new UsageError(`--token "${text}" has no token name before "="`, 'run');
  return [name, text.slice(eq + 1)];
}


/** `--timeout`: a whole number of milliseconds from 1 to MAX_TIMEOUT_MS. */
export function parseTimeout(text: string): number {
  const trimmed = text.trim();
  const ms = Number(trimmed);
  if (!/^\d+$/.test(trimmed) || ms < 1 || ms > MAX_TIMEOUT_MS) {
    throw new UsageError(`--timeout must be a positive whole number of milliseconds, at most ${MAX_TIMEOUT_MS} (about 24.8 days), not "${text}"`, 'run');
  }
  return ms;
}

const VALIDATE_USAGE = `${PROGRAM} validate <file|dir>... [--json] [--fields describe.json]`;
const RUN_USAGE = `${PROGRAM} run <file.webhook.jsonc> [--lead lead.json] [--campaign trigger|batch]
                    [--token "my.Name=value"]... [--timeout ms] [--fields describe.json] [--json]`;

/** The one-line hint printed under a usage error. */
export function usageHint(command?: CommandName): string {
  const usage = command === 'validate' ? VALIDATE_USAGE : command === 'run' ? RUN_USAGE : `${VALIDATE_USAGE}\n${RUN_USAGE}`;
  const help = command ? `${PROGRAM} ${command} --help` : `${PROGRAM} --help`;
  return `usage: ${indentLines(usage, 7)}\nSee "${help}".`;
}

/** Indents every line but the first, so continuation lines stay aligned under a prefix. */
function indentLines(text: string, width: number): string {
  return text.replace(/\n/g, `\n${' '.repeat(width)}`);
}

export function helpText(topic?: CommandName): string {
  if (topic === 'validate') return VALIDATE_HELP;
  if (topic === 'run') return RUN_HELP;
  return `${PROGRAM}: write, validate and run Marketo webhooks from the command line.

Usage:
  ${VALIDATE_USAGE}
  ${indentLines(RUN_USAGE, 2)}
  ${PROGRAM} --help | --version
  ${PROGRAM} <command> --help

Commands:
  validate   check webhook definitions (*.webhook.jsonc) as Marketo would see them
  run        send a definition's request and show what Marketo would make of the answer

Exit codes: 0 success, 1 errors found / the call failed as Marketo counts it,
            2 usage error, unreadable input or a definition with errors; 130 cancelled (Ctrl+C).

${SHARED_HELP}`;
}

const FIELDS_HELP = `Field catalog:
  Tokens and response mappings are checked against Marketo's standard lead fields. Custom fields
  come from your instance's Describe Lead response (GET /rest/v1/leads/describe.json) pasted as is
  into a file: --fields names it; otherwise the nearest marketo-fields.json in the definition's
  folder or any parent folder is used.`;

const SECRETS_HELP = `Secrets:
  A token given as { "secret": "NAME" } in the definition's "test.tokens" takes its value from the
  environment variable MARKETO_WEBHOOK_SECRET_<NAME> (NAME upper-cased, every character other than
  a letter or digit turned into "_"): { "secret": "api-key" } reads MARKETO_WEBHOOK_SECRET_API_KEY.
  An empty variable counts as not set. Secret values are masked (${MASK}) in everything printed.`;

const SHARED_HELP = `Options:
  --json                 print exactly one JSON document on stdout and nothing else
  --fields <file>        a pasted Describe Lead response with your instance's custom fields
  -h, --help             show help
  --version              show the version

${FIELDS_HELP}

${SECRETS_HELP}

Colour is used only when stdout is a terminal and NO_COLOR is not set.`;

const VALIDATE_HELP = `Usage: ${VALIDATE_USAGE}

Checks each file, and every *.webhook.jsonc file below each folder (node_modules and folders
whose names start with "." are skipped).

Options:
  --json             print { "files": [ { "file", "diagnostics": [...] } ] } on stdout
  --fields <file>    a pasted Describe Lead response with your instance's custom fields
  -h, --help         show this help

Exit codes:
  0  no errors (warnings allowed)
  1  at least one error
  2  usage error, or a file or folder that cannot be read (or holds no definitions)

${FIELDS_HELP}`;

const RUN_HELP = `Usage: ${indentLines(RUN_USAGE, 7)}

Sends the definition's request as Marketo's Call Webhook flow step would, then shows the response,
the response code, the Error Type a "Webhook is Called" trigger would see, the response mappings
and what to do about the outcome. Ctrl+C cancels the call.

Options:
  --lead <file>                  sample lead file (overrides "test.lead"); relative to the current folder
  --campaign trigger|batch       campaign type (overrides "test.campaign"); batch never sends: code 1000
  --token "my.Name=value"        a token value (repeatable; split at the first "="); overrides "test.tokens"
  --timeout <ms>                 how long to wait for the answer, 1 to ${MAX_TIMEOUT_MS} ms (overrides
                                 "test.timeoutMs"; default ${MARKETO_TIMEOUT_MS})
  --fields <file>                a pasted Describe Lead response with your instance's custom fields
  --json                         print the run result as one JSON document on stdout (also when
                                 the run stops before sending: the reason is an error diagnostic)
  -h, --help                     show this help

Exit codes:
  0    the call succeeded as Marketo counts it (a 2xx with a body: the response mappings ran)
  1    any other outcome (1000, 1001, 3xx-5xx, no response)
  2    usage error, unreadable input, or a definition with errors (nothing sent)
  130  cancelled with Ctrl+C

${SECRETS_HELP}

${FIELDS_HELP}`;
