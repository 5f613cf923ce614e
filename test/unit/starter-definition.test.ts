// The starter file of "Marketo Webhook: New Definition": validates with no problems at all, keeps
// the name as typed, explains every key, and gets a kebab-case file name.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { DEFINITION_KEYS, TEST_KEYS } from '../../src/engine/definition/keys';
import { definitionFileName, nameProblem, starterDefinition } from '../../src/engine/definition/starter';
import { validateDefinition } from '../../src/engine/validate/validate';

describe('starter definition', () => {
  test('validates with no diagnostics, not even warnings', () => {
    const result = validateDefinition(starterDefinition('Enrich Lead'), { file: '/work/enrich-lead.webhook.jsonc' });
    assert.deepEqual(result.diagnostics, []);
    const definition = result.definition!;
    assert.equal(definition.name, 'Enrich Lead');
    assert.equal(definition.requestType, 'POST');
    assert.equal(definition.requestTokenEncoding, 'JSON');
    assert.equal(definition.headers['Content-Type'], 'application/json');
    assert.deepEqual(definition.test.tokens, { 'my.API Key': { secret: 'API_KEY' } });
  });

  test('keeps any name as typed, quotes, backslashes and braces included', () => {
    for (const name of ['Say "hi" \\ now', '{{lead.Nope}} sync', 'Café → CRM', '日本語のウェブフック', '  spaced  ']) {
      const result = validateDefinition(starterDefinition(name));
      assert.deepEqual(result.diagnostics.filter((d) => d.severity === 'error'), [], name);
      assert.equal(result.definition?.name, name);
    }
  });

  test('writes every key of the model, each with a comment above it that names it', () => {
    const text = starterDefinition('Enrich Lead');
    const lines = text.split('\n');
    const keys = [...Object.keys(DEFINITION_KEYS).filter((k) => k !== '$schema'), ...Object.keys(TEST_KEYS)];
    for (const key of keys) {
      const at = lines.findIndex((l) => l.trimStart().startsWith(`"${key}":`));
      assert.ok(at > 0, `"${key}" is in the starter`);
      assert.ok(lines[at - 1]?.trimStart().startsWith('//'), `"${key}" has a comment right above it`);
    }
    for (const field of Object.values(DEFINITION_KEYS).map((i) => i.marketoField).filter((f): f is string => f !== null)) {
      assert.ok(text.includes(`// ${field}:`), `the comments name the Marketo field ${field}`);
    }
  });

  test('file names are kebab-case, and a name without letters or digits is refused', () => {
    assert.equal(definitionFileName('Enrich Lead'), 'enrich-lead.webhook.jsonc');
    assert.equal(definitionFileName('  MQL alert → #sales!  '), 'mql-alert-sales.webhook.jsonc');
    assert.equal(definitionFileName('Café Sync v2'), 'cafe-sync-v2.webhook.jsonc');
    assert.equal(definitionFileName('CRM/ERP: nightly'), 'crm-erp-nightly.webhook.jsonc');
    assert.equal(definitionFileName('日本語'), '日本語.webhook.jsonc');
    assert.ok(definitionFileName('x'.repeat(300))!.length <= 100 + '.webhook.jsonc'.length);
    assert.equal(definitionFileName('--- !!! ---'), undefined);
    assert.equal(nameProblem('Enrich Lead'), undefined);
    assert.match(nameProblem('   ') ?? '', /Webhook Name/);
    assert.match(nameProblem('!!!') ?? '', /letter or digit/);
  });
});
