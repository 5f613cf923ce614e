// The editor's connection to the user's Marketo instance (contracts §5): base URL, client id and
// client secret, kept together in SecretStorage only (never in settings, where a workspace could
// point the secret at another host), and one MarketoClient per connection for the session, so
// its access token is reused until it expires. The client comes from the run engine, loaded on
// first use: undici stays out of dist/extension.js.
import * as vscode from 'vscode';
import type { MarketoClient } from '../engine/run-engine';
import { logLine } from './message-text';
import { loadRunEngine } from './run-engine';

/** The SecretStorage key of the connection (one JSON document). */
const CONNECTION_KEY = 'marketoWebhook.marketo.connection';

export interface MarketoConnection {
  /** the REST base, checked by the engine's marketoBaseUrl */
  baseUrl: string;
  clientId: string;
  clientSecret: string;
}

export class MarketoConnections implements vscode.Disposable {
  private cached: { key: string; client: MarketoClient } | undefined;
  private readonly subscription: vscode.Disposable;

  constructor(private readonly secrets: vscode.SecretStorage, private readonly log: vscode.LogOutputChannel) {
    // Another window may connect or disconnect: its client is not ours to keep.
    this.subscription = secrets.onDidChange((e) => {
      if (e.key === CONNECTION_KEY) this.cached = undefined;
    });
  }

  /** The stored connection, or undefined (also when what is stored is not one). */
  async get(): Promise<MarketoConnection | undefined> {
    const text = await this.secrets.get(CONNECTION_KEY);
    if (text === undefined) return undefined;
    try {
      const value = JSON.parse(text) as Partial<Record<keyof MarketoConnection, unknown>> | null;
      const { baseUrl, clientId, clientSecret } = value ?? {};
      if (typeof baseUrl === 'string' && typeof clientId === 'string' && typeof clientSecret === 'string') return { baseUrl, clientId, clientSecret };
    } catch {
      // reported as no connection
    }
    return undefined;
  }

  /** Stores a connection that answered, and keeps the client that tested it (and its token). */
  async save(connection: MarketoConnection, client: MarketoClient): Promise<void> {
    await this.secrets.store(CONNECTION_KEY, JSON.stringify(connection));
    this.cached = { key: keyOf(connection), client };
  }

  async forget(): Promise<void> {
    this.cached = undefined;
    await this.secrets.delete(CONNECTION_KEY);
  }

  /** The session's client of the stored connection; recreated when the connection changed. */
  async clientFor(connection: MarketoConnection): Promise<MarketoClient> {
    const key = keyOf(connection);
    if (this.cached?.key === key) return this.cached.client;
    const client = await this.newClient(connection);
    this.cached = { key, client };
    return client;
  }

  /** A client not kept (Connect's test call): throws MarketoConfigError for an unusable base URL. */
  async newClient(connection: MarketoConnection): Promise<MarketoClient> {
    const { MarketoClient: Client } = await loadRunEngine();
    // The client masks the secret and every access token in its lines; logLine keeps one line one line.
    return new Client({ ...connection, log: (line) => this.log.info(`Marketo: ${logLine(line)}`) });
  }

  dispose(): void {
    this.subscription.dispose();
  }
}

function keyOf(connection: MarketoConnection): string {
  return JSON.stringify([connection.baseUrl, connection.clientId, connection.clientSecret]);
}
