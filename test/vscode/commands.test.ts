import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { workspaceFile } from './util';

describe('commands', () => {
  it('contributes Validate Definition, which reports the problems of a definition', async () => {
    const commands = await vscode.commands.getCommands(true);
    assert.ok(commands.includes('marketoWebhook.validate'));
    const summary = await vscode.commands.executeCommand<{ errors: number; warnings: number }>('marketoWebhook.validate', workspaceFile('malformed-token.webhook.jsonc'));
    assert.deepEqual({ errors: summary.errors, warnings: summary.warnings }, { errors: 1, warnings: 0 });
    const clean = await vscode.commands.executeCommand<{ errors: number; warnings: number }>('marketoWebhook.validate', workspaceFile('good.webhook.jsonc'));
    assert.deepEqual({ errors: clean.errors, warnings: clean.warnings }, { errors: 0, warnings: 0 });
  });
});
