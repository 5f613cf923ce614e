// The names the extension shares with package.json's `contributes`: its commands, its settings and
// its webview. No `vscode` here, so that a unit test (test/unit/command-ids.test.ts) can compare
// them with package.json in both directions. Code reads them through ./config.

/** The commands package.json contributes (palette, menus, CodeLens). */
export const COMMANDS = {
  run: 'marketoWebhook.run',
  runLeadList: 'marketoWebhook.runLeadList',
  cancelRun: 'marketoWebhook.cancelRun',
  validate: 'marketoWebhook.validate',
  newDefinition: 'marketoWebhook.newDefinition',
  pickLead: 'marketoWebhook.pickLead',
  manageSecrets: 'marketoWebhook.manageSecrets',
  connectMarketo: 'marketoWebhook.connectMarketo',
  disconnectMarketo: 'marketoWebhook.disconnectMarketo',
  pullFields: 'marketoWebhook.pullFields',
  pullLead: 'marketoWebhook.pullLead',
  pullTokens: 'marketoWebhook.pullTokens',
} as const;

/** Commands the extension registers for its own use (a quick fix's action, a completion's lookup); not in package.json. */
export const INTERNAL_COMMANDS = {
  storeSecretFromFix: 'marketoWebhook.storeSecretFromFix',
  secretNames: 'marketoWebhook.secretNames',
  /** cancels a definition's list run (the panel's Cancel; the notification has its own) */
  cancelLeadList: 'marketoWebhook.cancelLeadList',
} as const;

/** VS Code's own commands the extension runs. */
export const VSCODE_COMMANDS = {
  markdownPreview: 'markdown.showPreview',
  manageTrust: 'workbench.trust.manage',
  showProblems: 'workbench.actions.view.problems',
  triggerSuggest: 'editor.action.triggerSuggest',
} as const;

/** The section of every setting in package.json's `contributes.configuration`. */
export const SETTINGS_SECTION = 'marketoWebhook';

/** The settings, by their name within SETTINGS_SECTION. */
export const SETTINGS = {
  fieldsFile: 'fieldsFile',
  defaultLead: 'defaultLead',
  timeoutMs: 'timeoutMs',
} as const;

export type SettingName = keyof typeof SETTINGS;

/** A setting's full id, as the user writes it in settings.json: `marketoWebhook.defaultLead`. */
export function settingId(name: SettingName): string {
  return `${SETTINGS_SECTION}.${SETTINGS[name]}`;
}

/** The run result panel's webview type (package.json activates on `onWebviewPanel:` it). */
export const RUN_PANEL_VIEW_TYPE = 'marketoWebhook.runResult';
