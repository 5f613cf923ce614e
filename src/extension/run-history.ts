// The last runs of each definition, kept in workspace state so they survive a restart. Results
// are stored as the engine made them (secrets masked); bodies are shortened for storage, since a
// response may be 10 MB and workspace state is no place for that.
import type * as vscode from 'vscode';
import { HISTORY_SIZE, STORED_BODY_CHARS } from '../engine';
import type { RunRecord, PanelState } from './run-records';

const KEY_PREFIX = 'marketoWebhook.history.';

export class RunHistory {
  private readonly running = new Set<string>();
  /** the newest run of each definition, whole, for "Open response in an editor" */
  private readonly newest = new Map<string, RunRecord>();

  constructor(private readonly state: vscode.Memento) {}

  records(definition: vscode.Uri): RunRecord[] {
    const stored = this.state.get<RunRecord[]>(KEY_PREFIX + definition.toString(), []);
    const newest = this.newest.get(definition.toString());
    if (!newest) return stored;
    // Until add() has stored it, the newest run is not in the workspace state yet.
    return [newest, ...stored.filter((r) => r.id !== newest.id)].slice(0, HISTORY_SIZE);
  }

  record(definition: vscode.Uri, id: string): RunRecord | undefined {
    return this.records(definition).find((r) => r.id === id);
  }

  /**
   * The run is in the history at once; it is stored a turn of the event loop later, so that the
   * panel's message goes out first (storing copies the last runs' bodies, 256 K characters each).
   */
  async add(definition: vscode.Uri, record: RunRecord): Promise<void> {
    this.newest.set(definition.toString(), record);
    await new Promise<void>((resolve) => setTimeout(resolve, 0));
    const kept = [shorten(record), ...this.state.get<RunRecord[]>(KEY_PREFIX + definition.toString(), []).filter((r) => r.id !== record.id)].slice(0, HISTORY_SIZE);
    await this.state.update(KEY_PREFIX + definition.toString(), kept);
  }

  setRunning(definition: vscode.Uri, running: boolean): void {
    if (running) this.running.add(definition.toString());
    else this.running.delete(definition.toString());
  }

  isRunning(definition: vscode.Uri): boolean {
    return this.running.has(definition.toString());
  }

  /** What the panel shows: the picked run, or the newest. */
  panelState(definition: vscode.Uri, selectedId?: string): PanelState {
    const records = this.records(definition);
    const current = (selectedId ? records.find((r) => r.id === selectedId) : undefined) ?? records[0];
    const state: PanelState = {
      definition: definition.toString(),
      fileName: definition.path.split('/').pop() ?? definition.path,
      running: this.isRunning(definition),
      history: records.map((r) => ({
        id: r.id,
        at: r.at,
        code: r.result.classification?.code ?? null,
        category: r.result.classification?.category ?? null,
        title: r.result.classification?.title ?? 'Not sent: the definition has errors',
      })),
    };
    if (current) state.current = current;
    return state;
  }
}

function shorten(record: RunRecord): RunRecord {
  const response = record.result.response;
  if (!response || response.body.length <= STORED_BODY_CHARS) return record;
  // Not `truncated`: that says the service's answer hit the 10 MB limit, which it may not have.
  return {
    ...record,
    result: { ...record.result, response: { ...response, body: response.body.slice(0, STORED_BODY_CHARS) } },
    storedBodyChars: { kept: STORED_BODY_CHARS, total: response.body.length },
  };
}
