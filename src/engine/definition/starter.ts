// The commented starter file that "Marketo Webhook: New Definition" creates, and its file name.
// Pure, so a unit test proves the starter validates with no problems.
import { MARKETO_TIMEOUT_MS } from '../limits';

/** The file name for a webhook name: `Enrich Lead` → `enrich-lead.webhook.jsonc`; undefined when nothing is left. */
export function definitionFileName(name: string): string | undefined {
  const kebab = name
    .normalize('NFKD')
    .replace(/\p{M}+/gu, '')
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, '-')
    .replace(/^-+|-+$/g, '');
  return kebab === '' ? undefined : `${kebab.slice(0, 100).replace(/-+$/, '')}.webhook.jsonc`;
}

/** Why a webhook name cannot be used for a new definition, or undefined when it can. */
export function nameProblem(name: string): string | undefined {
  if (name.trim() === '') return 'Enter the Webhook Name, as Marketo will show it.';
  if (!definitionFileName(name)) return 'The name needs at least one letter or digit: the file name is made from them.';
  return undefined;
}

/**
 * A definition that validates with no problems, every key commented in the terms of Marketo's
 * Admin > Webhooks editor. The name is written as given (JSON-escaped).
 */
export function starterDefinition(name: string): string {
  return `// A Marketo webhook (Admin > Webhooks > New Webhook). Every key below is a field of Marketo's
// webhook editor, so this file can be copied into Marketo field by field; only "test" is not part
// of Marketo: it tells this workbench how to run the webhook against a sample lead.
// Check it with "Marketo Webhook: Validate Definition" (or: marketo-webhook validate <this file>).
{
  // Webhook Name: how the Call Webhook flow step and the Webhook is Called trigger list it.
  "name": ${JSON.stringify(name)},

  // Description: free text for people.
  "description": "What this webhook does, and who to ask about it.",

  // URL: the address Marketo calls, sent exactly as written (literal characters are not
  // re-encoded). Tokens are allowed: https://api.example.com/leads?email={{lead.Email Address}}
  "url": "https://api.example.com/v1/leads",

  // Request Type: the HTTP method. POST is the Marketo editor's default.
  "requestType": "POST",

  // Template: the request body, sent only with POST, PUT, PATCH and DELETE. A string, or an array
  // of lines joined with line breaks. Lead tokens use display names ({{lead.Email Address}}, not
  // email); ":default=" is the value sent for a lead without one.
  "template": [
    "{",
    "  \\"email\\": {{lead.Email Address}},",
    "  \\"firstName\\": {{lead.First Name:default=there}}",
    "}"
  ],

  // Request Token Encoding: how token values are written into the template. "JSON" writes a text
  // value as a complete JSON string, quotes included, and a number field (Lead Score) bare, so
  // tokens stand unquoted in a JSON body.
  // "Form/Url" URL-encodes each value; "None" inserts it raw.
  "requestTokenEncoding": "JSON",

  // Set Custom Header: Marketo adds no Content-Type of its own, so a JSON body needs this one.
  // Tokens work in values. Keep credentials in a {{my.…}} program token, never in this file.
  "headers": {
    "Content-Type": "application/json",
    "Authorization": "Bearer {{my.API Key}}"
  },

  // Response Type: how Marketo reads the answer for the response mappings: "JSON", "XML" or
  // "None" (not read, no mappings).
  "responseType": "JSON",

  // Response Mappings: which lead field each part of the answer writes. Response Attribute is a
  // dot path into the answer, with integer indexes for arrays (items[0].id); Marketo Field is the
  // SOAP API name of the lead field ("Company", not "Company Name"). Only a 2xx answer with a
  // body writes fields, and the writes land after the flow step.
  "responseMappings": [
    { "responseAttribute": "company.name", "marketoField": "Company" }
  ],

  // Not part of Marketo: how this workbench runs the webhook.
  "test": {
    // The sample lead: an inline object like this one, or the path of a *.lead.json file relative
    // to this file. Keys may be display names, REST or SOAP names.
    "lead": { "Email Address": "ada@example.com", "First Name": "Ada" },

    // The campaign the Call Webhook step runs in: "trigger" sends the request; "batch" shows
    // Marketo's 1000 without sending, as webhooks run only from trigger campaigns.
    "campaign": "trigger",

    // Values of tokens that do not come from the lead ({{my.…}}, {{campaign.…}}, …). A value
    // { "secret": "NAME" } is read from VS Code's secret storage, or on the command line from the
    // environment variable MARKETO_WEBHOOK_SECRET_NAME, and is shown and saved as ••••.
    "tokens": {
      "my.API Key": { "secret": "API_KEY" }
    },

    // How long to wait for the answer, in milliseconds. Marketo gives up after 30 seconds.
    "timeoutMs": ${MARKETO_TIMEOUT_MS}
  }
}
`;
}
