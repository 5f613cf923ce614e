// The namespace table (src/engine/tokens/namespaces.ts) is the one list of namespaces: the grammar
// highlights exactly its namespaces, and each entry's facts reach the features that read them.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { NAMESPACES, takesTestTokenValue } from '../../src/engine/tokens/namespaces';
import { validateDefinition } from '../../src/engine/validate/validate';
import { projectRoot } from './helpers';

/** Every `(?i:a|b|…)` list of words in a grammar's patterns: the namespaces it highlights as tokens. */
function grammarNamespaceLists(grammar: unknown): string[][] {
  const lists: string[][] = [];
  const walk = (value: unknown): void => {
    if (typeof value === 'string') {
      for (const m of value.matchAll(/\(\?i:((?:[A-Za-z]+\|)+[A-Za-z]+)\)/g)) lists.push((m[1] ?? '').split('|'));
    } else if (Array.isArray(value)) {
      value.forEach(walk);
    } else if (value && typeof value === 'object') {
      Object.values(value).forEach(walk);
    }
  };
  walk(grammar);
  return lists;
}

describe('the namespace table', () => {
  it('is the list of namespaces the definition grammar highlights, both ways', () => {
    const file = join(projectRoot(), 'syntaxes', 'marketo-webhook.tmLanguage.json');
    const lists = grammarNamespaceLists(JSON.parse(readFileSync(file, 'utf8')));
    // A token and a token with one brace: both patterns name the namespaces.
    assert.ok(lists.length >= 2, 'the grammar lists the namespaces in its token patterns');
    const table = NAMESPACES.map((n) => n.id.toLowerCase()).sort();
    for (const list of lists) {
      const grammar = list.map((n) => n.toLowerCase()).sort();
      assert.deepEqual(grammar.filter((n) => !table.includes(n)), [], 'namespaces in the grammar, missing from the table');
      assert.deepEqual(table.filter((n) => !grammar.includes(n)), [], 'namespaces in the table, missing from the grammar');
    }
  });

  it('finds no namespace list in the grammars of responses', () => {
    // Only the definition grammar knows tokens; a list elsewhere would need the same tie.
    for (const name of readdirSync(join(projectRoot(), 'syntaxes')).filter((n) => n !== 'marketo-webhook.tmLanguage.json')) {
      const grammar: unknown = JSON.parse(readFileSync(join(projectRoot(), 'syntaxes', name), 'utf8'));
      assert.deepEqual(grammarNamespaceLists(grammar).filter((l) => l.some((n) => n.toLowerCase() === 'lead')), [], name);
    }
  });

  it('says, for a token without a value, where Marketo takes it from by its own namespace', () => {
    for (const ns of NAMESPACES.filter((n) => n.knownNames === undefined)) {
      const text = JSON.stringify({ url: `https://example.com/?q={{${ns.id}.Some Name}}`, requestType: 'GET' });
      const found = validateDefinition(text).diagnostics.filter((d) => d.code === 'token-no-test-value');
      assert.equal(found.length, 1, ns.id);
      assert.match(found[0]!.message, new RegExp(`Marketo takes it from the ${ns.marketoSource.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')};`), ns.id);
    }
  });

  it('offers test.tokens values where neither the sample lead nor the clock gives one by the token\'s name', () => {
    assert.deepEqual(NAMESPACES.filter((n) => !takesTestTokenValue(n)).map((n) => n.id), ['lead', 'system']);
  });
});
