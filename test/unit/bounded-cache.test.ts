import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { BoundedCache } from '../../src/engine/text/bounded-cache';

function keys<K, V>(cache: BoundedCache<K, V>): V[] {
  return cache.values();
}

describe('BoundedCache', () => {
  test('keeps at most maxEntries, dropping the least recently used first', () => {
    const evicted: string[] = [];
    const cache = new BoundedCache<string, string>({ maxEntries: 3, onEvict: (_v, k) => evicted.push(k) });
    for (const k of ['a', 'b', 'c', 'd', 'e']) cache.set(k, k.toUpperCase());
    assert.equal(cache.size, 3);
    assert.deepEqual(evicted, ['a', 'b']);
    assert.deepEqual(keys(cache), ['C', 'D', 'E']);
    assert.equal(cache.get('a'), undefined);
  });

  test('a hit counts as a use: the entry read is the last to go', () => {
    const cache = new BoundedCache<string, number>({ maxEntries: 3 });
    cache.set('a', 1).set('b', 2).set('c', 3);
    assert.equal(cache.get('a'), 1);
    cache.set('d', 4);
    assert.equal(cache.has('b'), false, 'b was the least recently used');
    assert.deepEqual(keys(cache), [3, 1, 4]);
    assert.equal(cache.getOrCreate('c', () => 99), 3, 'getOrCreate returns the kept value');
    cache.set('e', 5);
    assert.equal(cache.has('a'), false);
    assert.deepEqual(keys(cache), [4, 3, 5]);
  });

  test('has() does not count as a use; set() of a kept key refreshes it', () => {
    const cache = new BoundedCache<string, number>({ maxEntries: 2 });
    cache.set('a', 1).set('b', 2);
    assert.equal(cache.has('a'), true);
    cache.set('c', 3);
    assert.equal(cache.has('a'), false);
    cache.set('b', 20).set('d', 4);
    assert.deepEqual(keys(cache), [20, 4]);
  });

  test('getOrCreate makes a value once, and keeps undefined as a value', () => {
    const cache = new BoundedCache<string, URL | undefined>({ maxEntries: 1 });
    let made = 0;
    const make = (): undefined => {
      made++;
      return undefined;
    };
    assert.equal(cache.getOrCreate('x', make), undefined);
    assert.equal(cache.getOrCreate('x', make), undefined);
    assert.equal(made, 1);
    cache.getOrCreate('y', make);
    assert.equal(made, 2);
    assert.equal(cache.has('x'), false, 'one entry at most');
  });

  test('with a weigher, entries go until the total weight fits; the newest always stays', () => {
    const evicted: string[] = [];
    const cache = new BoundedCache<string, string>({ maxEntries: 10, weigh: (v) => v.length, maxWeight: 10, onEvict: (_v, k) => evicted.push(k) });
    cache.set('a', 'xxxx').set('b', 'xxxx');
    assert.equal(cache.weight, 8);
    cache.set('c', 'xxxx');
    assert.deepEqual(evicted, ['a']);
    assert.equal(cache.weight, 8);
    cache.set('big', 'x'.repeat(50));
    assert.deepEqual(evicted, ['a', 'b', 'c']);
    assert.equal(cache.size, 1);
    assert.equal(cache.weight, 50);
    cache.set('big', 'xx');
    assert.equal(cache.weight, 2, 'replacing an entry replaces its weight');
  });

  test('delete and clear forget entries without telling onEvict', () => {
    const evicted: string[] = [];
    const cache = new BoundedCache<string, string>({ maxEntries: 2, weigh: () => 1, onEvict: (_v, k) => evicted.push(k) });
    cache.set('a', 'A').set('b', 'B');
    assert.equal(cache.delete('a'), true);
    assert.equal(cache.delete('a'), false);
    assert.equal(cache.weight, 1);
    cache.clear();
    assert.equal(cache.size, 0);
    assert.equal(cache.weight, 0);
    assert.deepEqual(evicted, []);
  });
});
