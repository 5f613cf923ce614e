// Options that mean the same in every command that takes them, and help sections more than one
// command shows. A command may give an option a more precise help line of its own.
import { MASK } from '../../engine';
import type { OptionSpec } from '../command';

export const JSON_OPTION: OptionSpec = {
  name: 'json',
  help: 'print exactly one JSON document on stdout and nothing else',
};

export const FIELDS_OPTION: OptionSpec = {
  name: 'fields',
  value: 'describe.json',
  help: "a pasted Describe Lead response with your instance's custom fields",
};

/** Listed in the program's help when every command takes them. */
export const SHARED_OPTIONS: readonly OptionSpec[] = [JSON_OPTION, FIELDS_OPTION];

export const FIELDS_TOPIC = `Field catalog:
  Tokens and response mappings are checked against Marketo's standard lead fields. Custom fields
  come from your instance's Describe Lead response (GET /rest/v1/leads/describe.json) pasted as is
  into a file: --fields names it; otherwise the nearest marketo-fields.json in the definition's
  folder or any parent folder is used.`;

export const SECRETS_TOPIC = `Secrets:
  A token given as { "secret": "NAME" } in the definition's "test.tokens" takes its value from the
  environment variable MARKETO_WEBHOOK_SECRET_<NAME> (NAME upper-cased, every character other than
  a letter or digit turned into "_"): { "secret": "api-key" } reads MARKETO_WEBHOOK_SECRET_API_KEY.
  An empty variable counts as not set. Secret values are masked (${MASK}) in everything printed.`;
