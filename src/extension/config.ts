// The extension's settings module: the command ids (./command-ids) and a typed read of every
// setting, so that no feature spells a setting's name or checks its value on its own.
import * as vscode from 'vscode';
import { SETTINGS, SETTINGS_SECTION, settingId, type SettingName } from './command-ids';

export * from './command-ids';

/** `marketoWebhook.fieldsFile`, trimmed; undefined when empty. */
export function fieldsFileSetting(scope: vscode.ConfigurationScope | undefined): string | undefined {
  return textSetting(scope, 'fieldsFile');
}

/** `marketoWebhook.defaultLead`, trimmed; undefined when empty. */
export function defaultLeadSetting(scope: vscode.ConfigurationScope | undefined): string | undefined {
  return textSetting(scope, 'defaultLead');
}

/** `marketoWebhook.timeoutMs` when it is a positive whole number; else undefined (the engine's default applies). */
export function timeoutSetting(scope: vscode.ConfigurationScope | undefined): number | undefined {
  const value = vscode.workspace.getConfiguration(SETTINGS_SECTION, scope).get<unknown>(SETTINGS.timeoutMs);
  return typeof value === 'number' && Number.isInteger(value) && value > 0 ? value : undefined;
}

/** VS Code's own `files.insertFinalNewline` for a document. */
export function insertFinalNewlineSetting(scope: vscode.ConfigurationScope | undefined): boolean {
  return vscode.workspace.getConfiguration('files', scope).get<boolean>('insertFinalNewline', false);
}

/** Whether a configuration change touches one of the extension's settings. */
export function affectsSetting(event: vscode.ConfigurationChangeEvent, name: SettingName): boolean {
  return event.affectsConfiguration(settingId(name));
}

function textSetting(scope: vscode.ConfigurationScope | undefined, name: 'fieldsFile' | 'defaultLead'): string | undefined {
  const value = vscode.workspace.getConfiguration(SETTINGS_SECTION, scope).get<unknown>(SETTINGS[name]);
  return typeof value === 'string' && value.trim() !== '' ? value.trim() : undefined;
}
