// "Marketo Webhook: Connect to Marketo" and "Disconnect from Marketo". Connect asks for the REST
// base URL, the client id and the client secret, then makes one test call (an access token, then
// Describe Lead: it proves the credentials and the API user's read access to leads) and stores the
// three in SecretStorage only if it worked. The environment's MARKETO_* variables are the command
// line's: the editor uses only what the user gave it here (docs/marketo-rest.md#in-the-editor).
import * as vscode from 'vscode';
import { marketoBaseUrl } from '../engine';
import { Prompts } from './command-answers';
import { COMMANDS } from './config';
import { callWithProgress, refusedUntrusted, type MarketoCommandResult } from './marketo-calls';
import type { MarketoConnections } from './marketo-connection';
import { logLine, plainMessage } from './message-text';
import { loadRunEngine } from './run-engine';

/** The commands' handlers, by id (./marketo-commands registers them). */
export function connectCommands(connections: MarketoConnections, log: vscode.LogOutputChannel) {
  return {
    [COMMANDS.connectMarketo]: (argument: unknown) => connect(connections, log, new Prompts(argument)),
    [COMMANDS.disconnectMarketo]: () => disconnect(connections, log),
  };
}

function baseUrlProblem(text: string): string | undefined {
  if (text.trim() === '') return 'Enter the REST base URL, e.g. https://123-ABC-456.mktorest.com';
  try {
    marketoBaseUrl(text);
    return undefined;
  } catch (error) {
    return error instanceof Error ? error.message : String(error);
  }
}

async function connect(connections: MarketoConnections, log: vscode.LogOutputChannel, prompts: Prompts): Promise<MarketoCommandResult> {
  const refused = refusedUntrusted('Connecting to Marketo');
  if (refused) return { ok: false, message: refused };
  const stored = await connections.get();
  const baseUrl = await prompts.input('baseUrl', {
    title: 'Connect to Marketo (1/3): REST base URL',
    prompt: 'Admin > Integration > Web Services shows it as the REST API endpoint (…/rest is fine)',
    placeHolder: 'https://123-ABC-456.mktorest.com',
    value: stored?.baseUrl ?? '',
    validateInput: baseUrlProblem,
  });
  if (baseUrl === undefined) return { ok: false, message: 'Connect to Marketo was dismissed; nothing was stored.' };
  const clientId = await prompts.input('clientId', {
    title: 'Connect to Marketo (2/3): Client Id',
    prompt: 'Admin > Integration > LaunchPoint > your custom service > View Details',
    value: stored?.clientId ?? '',
    validateInput: (v) => (v.trim() === '' ? 'Enter the client id' : undefined),
  });
  if (clientId === undefined) return { ok: false, message: 'Connect to Marketo was dismissed; nothing was stored.' };
  const clientSecret = await prompts.input('clientSecret', {
    title: 'Connect to Marketo (3/3): Client Secret',
    prompt: 'Kept in VS Code\'s secret storage only; never in settings, files or the log',
    password: true,
    validateInput: (v) => (v.trim() === '' ? 'Enter the client secret' : undefined),
  });
  if (clientSecret === undefined) return { ok: false, message: 'Connect to Marketo was dismissed; nothing was stored.' };

  const connection = { baseUrl: marketoBaseUrl(baseUrl), clientId: clientId.trim(), clientSecret: clientSecret.trim() };
  const { describeLeads } = await loadRunEngine();
  const client = await connections.newClient(connection);
  const outcome = await callWithProgress(`Connecting to Marketo at ${connection.baseUrl}`, prompts, (t) => client.mask(t), (signal) => describeLeads(client, signal));
  const kept = stored ? ' The connection stored before is kept.' : '';
  if (!outcome.ok) {
    const message = outcome.cancelled
      ? `Connecting to Marketo was cancelled; nothing was stored.${kept}`
      : `Could not connect to Marketo at ${connection.baseUrl}: ${outcome.message} Nothing was stored.${kept}`;
    log.warn(logLine(message));
    if (outcome.cancelled) void vscode.window.showInformationMessage(plainMessage(message));
    else void vscode.window.showErrorMessage(plainMessage(message));
    return { ok: false, message: plainMessage(message) };
  }
  await connections.save(connection, client);
  const fields = outcome.value.result?.length ?? 0;
  const message = `Connected to Marketo at ${connection.baseUrl} (client id ${connection.clientId}, ${fields} lead fields). The client secret is kept in VS Code's secret storage.`;
  log.info(logLine(message));
  void vscode.window.showInformationMessage(plainMessage(message));
  return { ok: true, message: plainMessage(message) };
}

async function disconnect(connections: MarketoConnections, log: vscode.LogOutputChannel): Promise<MarketoCommandResult> {
  const stored = await connections.get();
  await connections.forget();
  const message = stored
    ? `Disconnected from Marketo at ${stored.baseUrl}: the client secret is deleted from VS Code's secret storage.`
    : 'Not connected to Marketo: nothing to forget.';
  log.info(logLine(message));
  void vscode.window.showInformationMessage(plainMessage(message));
  return { ok: true, message: plainMessage(message) };
}
