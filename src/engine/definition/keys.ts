// The definition file's keys, their types, allowed values and defaults (contracts §1), with the
// Marketo editor field each mirrors. The validator, the JSON Schema and hovers all read this.
import type { CampaignType, RequestTokenEncoding, RequestType, ResponseType } from '../types';
import { MARKETO_TIMEOUT_MS } from '../limits';

export const REQUEST_TYPES: readonly RequestType[] = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'];
export const REQUEST_TOKEN_ENCODINGS: readonly RequestTokenEncoding[] = ['None', 'Form/Url', 'JSON'];
export const RESPONSE_TYPES: readonly ResponseType[] = ['None', 'JSON', 'XML'];
export const CAMPAIGN_TYPES: readonly CampaignType[] = ['trigger', 'batch'];


/** Methods that send the template (docs/marketo-behaviour.md#methods-and-the-template). */
export const METHODS_WITH_BODY: readonly RequestType[] = ['POST', 'PUT', 'PATCH', 'DELETE'];

export type KeyKind = 'string' | 'template' | 'enum' | 'headers' | 'mappings' | 'object' | 'number' | 'lead';

export interface KeyInfo {
  kind: KeyKind;
  required?: boolean;
  values?: readonly string[];
  default?: string | number;
  /** the Marketo Admin > Webhooks editor field, or null where the key is this tool's own */
  marketoField: string | null;
  description: string;
}

export const DEFINITION_KEYS: Record<string, KeyInfo> = {
  $schema: { kind: 'string', marketoField: null, description: 'The JSON Schema of this file, for editors other than VS Code.' },
  name: { kind: 'string', required: true, marketoField: 'Webhook Name', description: 'The name the webhook has in Marketo; flow steps and the Webhook is Called trigger show it.' },
  description: { kind: 'string', marketoField: 'Description', description: 'Free text for people.' },
  url: { kind: 'string', required: true, marketoField: 'URL', description: 'The address called. Tokens are allowed. Marketo sends it as written: literal characters are not re-encoded.' },
  requestType: { kind: 'enum', values: REQUEST_TYPES, default: 'POST', marketoField: 'Request Type', description: 'The HTTP method. POST is the Marketo editor\'s default.' },
  template: { kind: 'template', marketoField: 'Template', description: 'The request body (a string, or an array of lines joined with a newline). Tokens are allowed. Sent only for POST, PUT, PATCH and DELETE. Marketo reads `\\n`, `\\t`, `\\"` … as escapes before sending.' },
  requestTokenEncoding: { kind: 'enum', values: REQUEST_TOKEN_ENCODINGS, default: 'None', marketoField: 'Request Token Encoding', description: 'How token values are written into the template: `JSON` writes each as a JSON string with its quotes, `Form/Url` URL-encodes it, `None` inserts it raw.' },
  responseType: { kind: 'enum', values: RESPONSE_TYPES, default: 'None', marketoField: 'Response Type', description: 'How Marketo reads the response for the response mappings: `JSON`, `XML`, or `None` (not read).' },
  headers: { kind: 'headers', marketoField: 'Set Custom Header', description: 'Custom request headers (name → value). Tokens are allowed in values.' },
  responseMappings: { kind: 'mappings', marketoField: 'Response Mappings', description: 'Which lead field each response attribute writes. `responseAttribute` is a dot path with integer indexes; `marketoField` is the SOAP API name of the lead field.' },
  test: { kind: 'object', marketoField: null, description: 'Not part of Marketo: how this workbench runs the definition (sample lead, campaign type, token values, timeout).' },
};

export const TEST_KEYS: Record<string, KeyInfo> = {
  lead: { kind: 'lead', marketoField: null, description: 'The sample lead: a path to a `*.lead.json` file (relative to this file) or an inline object of field → value.' },
  campaign: { kind: 'enum', values: CAMPAIGN_TYPES, default: 'trigger', marketoField: null, description: 'The campaign the Call Webhook step runs in. Webhooks run only from trigger campaigns; `batch` shows Marketo\'s 1000 without sending.' },
  tokens: { kind: 'object', marketoField: null, description: 'Values of non-lead tokens, by token name without braces (`"my.API Key"`, `"campaign.name"`). A number (`"my.Count": 5`) marks a Number or Score My Token, which JSON encoding writes bare. A value may be `{ "secret": "NAME" }`. Or a path (relative to this file) to a tokens file `{ "my.Name": "value" }`, as `marketo-webhook pull tokens` writes it.' },
  timeoutMs: { kind: 'number', default: MARKETO_TIMEOUT_MS, marketoField: null, description: 'How long to wait for the service, in milliseconds. Marketo waits 30 seconds.' },
};

export const MAPPING_KEYS: Record<string, KeyInfo> = {
  responseAttribute: { kind: 'string', required: true, marketoField: 'Response Attribute', description: 'A dot path into the response with integer array indexes, e.g. `orders[0].orderDate`. For XML the root element is part of the path.' },
  marketoField: { kind: 'string', required: true, marketoField: 'Marketo Field', description: 'The SOAP API name of the lead field to write, e.g. `FirstName`.' },
};
