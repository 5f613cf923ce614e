// What every Marketo command shares: refused in Restricted Mode, the stored connection (or a
// "Connect…" button), the calls under a progress notification whose Cancel aborts them, and each
// outcome in one message that names Marketo's code, never with the secret or the access token.
import * as vscode from 'vscode';
import { COMMANDS } from './config';
import { refuseUntrusted } from './workspace-trust';
import type { Prompts } from './command-answers';
import type { MarketoConnection, MarketoConnections } from './marketo-connection';
import { plainMessage } from './message-text';
import { loadRunEngine } from './run-engine';

/** What a Marketo command did, in the words it showed (plainMessage: no links): the extension-host tests read it. */
export interface MarketoCommandResult {
  ok: boolean;
  message: string;
  /** the file written */
  file?: string;
}

export type CallOutcome<T> = { ok: true; value: T } | { ok: false; cancelled: boolean; code: string; message: string };

/** The message of a refusal in Restricted Mode, shown; undefined in a trusted workspace. */
export function refusedUntrusted(what: string): string | undefined {
  const message = `${what} is off in Restricted Mode: it sends your Marketo credentials and writes what Marketo answers into this workspace. Trust this workspace to use it.`;
  return refuseUntrusted(message) ? message : undefined;
}

/** The stored connection; without one, says so with a "Connect…" button and resolves to the message. */
export async function storedConnection(connections: MarketoConnections, prompts: Prompts): Promise<MarketoConnection | string> {
  const connection = await connections.get();
  if (connection) return connection;
  const message = 'Not connected to Marketo. Connect first: the REST base URL, client id and client secret of a custom service (Admin > Integration > LaunchPoint).';
  void prompts.choose('connect', () => vscode.window.showWarningMessage(message, 'Connect…')).then((choice) => {
    if (choice) void vscode.commands.executeCommand(COMMANDS.connectMarketo);
  });
  return message;
}

/**
 * Runs `call` under a cancellable progress notification. Cancel (or the test's signal) aborts the
 * calls under way; Marketo's errors, a failed call and a cancel become an outcome, not a throw.
 */
export async function callWithProgress<T>(title: string, prompts: Prompts, mask: (text: string) => string, call: (signal: AbortSignal) => Promise<T>): Promise<CallOutcome<T>> {
  const engine = await loadRunEngine();
  return vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: plainMessage(title), cancellable: true }, async (_progress, token) => {
    const controller = new AbortController();
    const abort = (): void => controller.abort();
    const subscription = token.onCancellationRequested(abort);
    prompts.signal?.addEventListener('abort', abort);
    if (prompts.signal?.aborted) abort();
    try {
      return { ok: true, value: await call(controller.signal) };
    } catch (error) {
      if (error instanceof engine.MarketoCancelledError || controller.signal.aborted) return { ok: false, cancelled: true, code: 'cancelled', message: 'cancelled' };
      if (error instanceof engine.MarketoApiError || error instanceof engine.MarketoNetworkError || error instanceof engine.MarketoConfigError) {
        return { ok: false, cancelled: false, code: error.code, message: sentence(mask(error.message)) };
      }
      // Not one of the client's: still one message, masked, no stack in a notification.
      return { ok: false, cancelled: false, code: 'internal', message: sentence(mask(error instanceof Error ? error.message : String(error))) };
    } finally {
      subscription.dispose();
      prompts.signal?.removeEventListener('abort', abort);
    }
  });
}

/** A message ends with its full stop, so the next sentence reads as one. */
function sentence(text: string): string {
  return /[.!?)]$/.test(text.trim()) ? text.trim() : `${text.trim()}.`;
}
