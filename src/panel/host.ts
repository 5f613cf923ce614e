// The page's one line to its host: VS Code's webview API, typed with the contract of protocol.ts.
import type { PanelRequest } from './protocol';

interface WebviewApi {
  postMessage(message: PanelRequest): void;
  setState(state: { definition: string }): void;
}

declare function acquireVsCodeApi(): WebviewApi;

const vscode = acquireVsCodeApi();

export function post(message: PanelRequest): void {
  vscode.postMessage(message);
}

/** What comes back after a window reload: only the definition's URI (the host checks it again). */
export function keepDefinition(definition: string): void {
  vscode.setState({ definition });
}
