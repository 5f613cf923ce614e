// What the editor features share: the field catalogs, the diagnostics, the log, the secrets.
import type * as vscode from 'vscode';
import type { CatalogService } from './catalog-service';
import type { DefinitionDiagnostics } from './definition-diagnostics';
import type { SecretStore } from './secret-store';

export interface Services {
  catalogs: CatalogService;
  diagnostics: DefinitionDiagnostics;
  log: vscode.LogOutputChannel;
  secrets: SecretStore;
}
