// `marketo-webhook pull fields|lead|tokens` (contracts §5): the field catalog, a real lead and a
// program's My Tokens from the user's Marketo instance, written to a file a run reads.
import { writeFile } from 'node:fs/promises';
import { LEAD_FILES_PATTERN, maskText, oneEmailAddress, positiveId as positiveIdOf, pullFileName, pullFileText, secretForms } from '../../engine';
import {
  MarketoApiError, MarketoCancelledError, MarketoClient, MarketoConfigError, MarketoNetworkError, describeLeads, getLead, programTokens,
  restFieldNames, type LeadKey,
} from '../../engine/run-engine';
import { EXIT_CANCELLED, withCancellation } from '../cancellation';
import { UsageError, nonEmpty, type Command, type CommandLine } from '../command';
import type { Io } from '../io';
import { describeFsError } from '../node-host';
import { JSON_OPTION } from './shared-options';

/** The connection, from the environment (contracts §5). */
export const MARKETO_ENV = {
  baseUrl: 'MARKETO_BASE_URL',
  clientId: 'MARKETO_CLIENT_ID',
  clientSecret: 'MARKETO_CLIENT_SECRET',
} as const;

export type PullArgs = { out?: string; json: boolean } & (
  | { what: 'fields' }
  | { what: 'lead'; lead: LeadKey }
  | { what: 'tokens'; program: number }
);

const WHAT = ['fields', 'lead', 'tokens'] as const;

export const MARKETO_TOPIC = `Connecting to Marketo (pull):
  ${MARKETO_ENV.baseUrl}       the REST base, https://123-ABC-456.mktorest.com (Admin >
                         Integration > Web Services shows it as the REST endpoint, ending in /rest)
  ${MARKETO_ENV.clientId}      the client id and secret of a custom service
  ${MARKETO_ENV.clientSecret}  (Admin > Integration > LaunchPoint > View Details)
  The access token is sent only as "Authorization: Bearer". Neither the secret nor the token is
  ever printed or written.`;

export const pull: Command<PullArgs> = {
  name: 'pull',
  summary: 'write the field catalog, a real lead or a program\'s My Tokens from Marketo to a file',
  operands: 'fields|lead|tokens',
  description: `Reads from your Marketo instance what a run needs, through its REST API, and writes it to a file:
  pull fields           the Describe Lead response, as Marketo returns it (default
                        marketo-fields.json: the file --fields and the editor read)
  pull lead --email ADDRESS, pull lead --id N
                        one lead with every field of the instance, as a Get Leads response
                        (default <local part of the email>.lead.json or lead-N.lead.json); a
                        lead is personal data
  pull tokens --program ID
                        the program's My Tokens as { "my.Name": "value" } (default
                        program-ID.tokens.json), for run --tokens
Nothing is written but the --out file. Ctrl+C cancels.`,
  options: [
    { name: 'out', value: 'FILE', help: 'the file to write (overwritten); default as above, in the current folder' },
    { name: 'email', value: 'ADDRESS', help: 'pull lead: the lead with this email address' },
    { name: 'id', value: 'N', help: 'pull lead: the lead with this id' },
    { name: 'program', value: 'ID', help: 'pull tokens: the id of the program' },
    { ...JSON_OPTION, help: 'print one JSON document: { "file": "...", "records": n } or\n{ "error": { "code": "...", "message": "..." } }' },
  ],
  exitCodes: [
    ['0', 'written'],
    ['1', 'Marketo or network error (the message names the Marketo code), or the file cannot be written'],
    ['2', 'usage error, or a connection variable missing or unusable (nothing sent)'],
    ['130', 'cancelled with Ctrl+C (nothing written)'],
  ],
  topics: [MARKETO_TOPIC],
  parse: parsePullArgs,
  run: (args, io) => withCancellation((signal) => pullCommand(args, io, signal), io),
};

function parsePullArgs(line: CommandLine): PullArgs {
  const [what, ...extra] = line.positionals;
  if (what === undefined || what === '') throw new UsageError('pull needs what to pull: fields, lead or tokens');
  if (!isWhat(what)) throw new UsageError(`pull takes fields, lead or tokens, not "${what}"`);
  if (extra.length > 0) throw new UsageError(`pull ${what} takes no more operands; unexpected "${extra[0]}"`);
  const base = { json: line.flags.has('json'), ...optional('out', nonEmpty(line, 'out')) };
  const email = nonEmpty(line, 'email');
  const id = nonEmpty(line, 'id');
  const program = nonEmpty(line, 'program');
  const refuse = (names: string[]): void => {
    const given = names.find((n) => line.values.has(n));
    if (given !== undefined) throw new UsageError(`--${given} is not an option of pull ${what}`);
  };

  if (what === 'fields') {
    refuse(['email', 'id', 'program']);
    return { ...base, what: 'fields' };
  }
  if (what === 'tokens') {
    refuse(['email', 'id']);
    if (program === undefined) throw new UsageError('pull tokens needs --program ID (the program\'s id, in its URL in Marketo: ...#PG1089A1 is 1089)');
    return { ...base, what: 'tokens', program: positiveId(program, '--program') };
  }
  refuse(['program']);
  if ((email === undefined) === (id === undefined)) throw new UsageError('pull lead needs either --email ADDRESS or --id N');
  if (email !== undefined) {
    const address = oneEmailAddress(email);
    if (address === undefined) throw new UsageError(`--email "${email}" is not one email address`);
    return { ...base, what: 'lead', lead: { email: address } };
  }
  return { ...base, what: 'lead', lead: { id: positiveId(id as string, '--id') } };
}

function isWhat(text: string): text is (typeof WHAT)[number] {
  return (WHAT as readonly string[]).includes(text);
}

function optional<K extends string, V>(key: K, value: V | undefined): Partial<Record<K, V>> {
  return value === undefined ? {} : ({ [key]: value } as Record<K, V>);
}

function positiveId(text: string, option: string): number {
  const n = positiveIdOf(text);
  if (n === undefined) throw new UsageError(`${option} must be a positive whole number, not "${text}"`);
  return n;
}

async function pullCommand(args: PullArgs, io: Io, signal: AbortSignal): Promise<number> {
  const secret = io.env[MARKETO_ENV.clientSecret] ?? '';
  const masked = (text: string): string => maskText(text, secretForms(secret));
  const fail = (exitCode: number, code: string, message: string): number => {
    io.error(masked(message));
    if (args.json) io.out(JSON.stringify({ error: { code, message: masked(message) } }, null, 2) + '\n');
    return exitCode;
  };

  const missing = Object.values(MARKETO_ENV).filter((name) => (io.env[name] ?? '').trim() === '');
  if (missing.length > 0) {
    return fail(2, 'usage', `set ${missing.join(', ')} to connect to Marketo (see marketo-webhook help pull)`);
  }
  let client: MarketoClient;
  try {
    client = new MarketoClient({ baseUrl: io.env[MARKETO_ENV.baseUrl] as string, clientId: io.env[MARKETO_ENV.clientId] as string, clientSecret: secret });
  } catch (error) {
    if (error instanceof MarketoConfigError) return fail(2, 'usage', `${MARKETO_ENV.baseUrl}: ${error.message}`);
    throw error;
  }

  const out = args.out ?? pullFileName(args);
  let content: unknown;
  let records: number;
  let done: string;
  try {
    if (args.what === 'fields') {
      const describe = await describeLeads(client, signal);
      content = describe;
      records = describe.result?.length ?? 0;
      done = `wrote ${records} lead fields to ${out}`;
    } else if (args.what === 'tokens') {
      const tokens = await programTokens(client, args.program, signal);
      content = tokens;
      records = Object.keys(tokens).length;
      done = `wrote ${records} My Tokens of program ${args.program} to ${out}`;
    } else {
      const fields = restFieldNames(await describeLeads(client, signal));
      const answer = await getLead(client, args.lead, fields, signal);
      content = answer;
      const leads = answer.result ?? [];
      records = leads.length;
      const id = (leads[0] as { id?: unknown } | undefined)?.id;
      done = `wrote lead ${typeof id === 'number' || typeof id === 'string' ? `${id} ` : ''}with ${fields.length} fields to ${out}`;
      if (records > 1) done += ` (Marketo has ${records} leads with this email address; a run uses the first)`;
    }
  } catch (error) {
    if (error instanceof MarketoCancelledError) {
      io.error('cancelled; nothing was written');
      return EXIT_CANCELLED;
    }
    if (error instanceof MarketoApiError || error instanceof MarketoNetworkError) return fail(1, error.code, error.message);
    throw error;
  }

  try {
    // A lead is personal data: readable by its owner only.
    await writeFile(out, pullFileText(content), args.what === 'lead' ? { mode: 0o600 } : {});
  } catch (error) {
    return fail(1, 'file-unwritable', `cannot write ${out}: ${describeFsError(error)}`);
  }
  if (args.what === 'lead') {
    io.warn(`${out} holds personal data of a real person: keep it out of version control (add "${LEAD_FILES_PATTERN}" to .gitignore) and delete it when you are done`);
  }
  io.out(args.json ? JSON.stringify({ file: out, records }, null, 2) + '\n' : `${done}\n`);
  return 0;
}
