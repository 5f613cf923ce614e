// Values of `{ "secret": "NAME" }` tokens, kept in VS Code's SecretStorage (the OS keychain where
// there is one), never in settings or files. Names are listed in global state so they can be shown
// and deleted; the values themselves never leave SecretStorage except into a request.
import type * as vscode from 'vscode';
import { SECRET_TOO_SHORT, secretTooShort } from '../engine';

const KEY_PREFIX = 'marketoWebhook.secret.';
const NAMES_KEY = 'marketoWebhook.secretNames';

/** Why a value cannot be stored as a secret (for an input box's validateInput), or undefined. */
export function secretInputProblem(value: string): string | undefined {
  return secretTooShort(value) ? `Too short: ${SECRET_TOO_SHORT}.` : undefined;
}

export class SecretStore {
  constructor(private readonly secrets: vscode.SecretStorage, private readonly state: vscode.Memento) {}

  get(name: string): Thenable<string | undefined> {
    return this.secrets.get(KEY_PREFIX + name);
  }

  async set(name: string, value: string): Promise<void> {
    // Every way in checks first (input boxes, the quick fix's credentials are longer); this is the last guard.
    const problem = secretInputProblem(value);
    if (problem) throw new Error(`The secret "${name}" was not stored. ${problem}`);
    await this.secrets.store(KEY_PREFIX + name, value);
    const names = new Set(this.names());
    names.add(name);
    await this.state.update(NAMES_KEY, [...names].sort());
  }

  async delete(name: string): Promise<void> {
    await this.secrets.delete(KEY_PREFIX + name);
    await this.state.update(NAMES_KEY, this.names().filter((n) => n !== name));
  }

  names(): string[] {
    return this.state.get<string[]>(NAMES_KEY, []);
  }
}
