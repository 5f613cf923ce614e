// The extension's command ids, setting names and webview type (src/extension/command-ids.ts) are
// the ones package.json contributes, in both directions: a command renamed on one side only, or a
// setting added without its typed read, fails here instead of silently doing nothing.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { COMMANDS, INTERNAL_COMMANDS, RUN_PANEL_VIEW_TYPE, SETTINGS, SETTINGS_SECTION, settingId, type SettingName } from '../../src/extension/command-ids';
import { projectRoot } from './helpers';

interface Manifest {
  activationEvents: string[];
  contributes: {
    commands: { command: string }[];
    menus: Record<string, { command: string }[]>;
    configuration: { properties: Record<string, unknown> };
  };
}

const manifest = JSON.parse(readFileSync(join(projectRoot(), 'package.json'), 'utf8')) as Manifest;
const sorted = (values: Iterable<string>): string[] => [...new Set(values)].sort();

describe('command ids and settings match package.json', () => {
  test('the contributed commands are exactly COMMANDS', () => {
    assert.deepEqual(sorted(Object.values(COMMANDS)), sorted(manifest.contributes.commands.map((c) => c.command)));
  });

  test('every menu item names a command in COMMANDS', () => {
    const known = new Set<string>(Object.values(COMMANDS));
    const menuCommands = Object.values(manifest.contributes.menus).flat().map((m) => m.command);
    assert.ok(menuCommands.length > 0, 'no menu items read: the manifest shape changed');
    assert.deepEqual(menuCommands.filter((c) => !known.has(c)), []);
  });

  test('internal commands are not contributed, and named apart from the contributed ones', () => {
    const contributed = new Set(manifest.contributes.commands.map((c) => c.command));
    for (const id of Object.values(INTERNAL_COMMANDS)) {
      assert.ok(!contributed.has(id), `${id} is in package.json`);
      assert.ok(id.startsWith(`${SETTINGS_SECTION}.`), id);
    }
  });

  test('the contributed settings are exactly SETTINGS', () => {
    const names = Object.keys(SETTINGS) as SettingName[];
    assert.deepEqual(sorted(names.map(settingId)), sorted(Object.keys(manifest.contributes.configuration.properties)));
    for (const name of names) assert.equal(SETTINGS[name], name, 'a setting is read by the name it is known by');
  });

  test('the run panel\'s webview type is the one package.json activates on', () => {
    assert.ok(manifest.activationEvents.includes(`onWebviewPanel:${RUN_PANEL_VIEW_TYPE}`), manifest.activationEvents.join(', '));
  });
});

describe('the extension names commands and settings only through src/extension/config.ts', () => {
  test('no registerCommand, executeCommand or getConfiguration with a written-out name', () => {
    const dir = join(projectRoot(), 'src', 'extension');
    const found: string[] = [];
    for (const name of readdirSync(dir).filter((n) => n.endsWith('.ts') && n !== 'config.ts' && n !== 'command-ids.ts')) {
      for (const line of readFileSync(join(dir, name), 'utf8').split('\n')) {
        if (/\b(registerCommand|executeCommand|getConfiguration)\(\s*['"`]/.test(line) || /command:\s*['"`]/.test(line)) found.push(`${name}: ${line.trim()}`);
      }
    }
    assert.deepEqual(found, [], 'use COMMANDS, INTERNAL_COMMANDS, VSCODE_COMMANDS or a setting read from ./config');
  });
});
