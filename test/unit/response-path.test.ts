import { test } from 'node:test';
import assert from 'node:assert/strict';
import { formatResponsePath, parseResponsePath } from '../../src/engine/outcome/response-path';
import type { PathSegment } from '../../src/engine/outcome/response-path';

const key = (name: string): PathSegment => ({ kind: 'key', name });
const idx = (index: number): PathSegment => ({ kind: 'index', index });

function segmentsOf(path: string): PathSegment[] {
  const r = parseResponsePath(path);
  assert.ok(r.ok, `expected ${JSON.stringify(path)} to parse: ${r.ok ? '' : r.error.message}`);
  return r.segments;
}

function errorOf(path: string): { message: string; offset: number; length: number } {
  const r = parseResponsePath(path);
  assert.ok(!r.ok, `expected ${JSON.stringify(path)} to be refused`);
  return r.error;
}

test('dot notation with integer indexes', () => {
  assert.deepEqual(segmentsOf('orders[0].orderDate'), [key('orders'), idx(0), key('orderDate')]);
  assert.deepEqual(segmentsOf('a.b[2][0].c'), [key('a'), key('b'), idx(2), idx(0), key('c')]);
  assert.deepEqual(segmentsOf('example.foo'), [key('example'), key('foo')]);
  assert.deepEqual(segmentsOf('company'), [key('company')]);
  assert.deepEqual(segmentsOf('result[12]'), [key('result'), idx(12)]);
  assert.deepEqual(segmentsOf('a[007]'), [key('a'), idx(7)]);
});

test('keys may hold letters, digits, -, _, : and spaces, kept exactly', () => {
  assert.deepEqual(segmentsOf('ns:item.first name.x-y_z.123'), [key('ns:item'), key('first name'), key('x-y_z'), key('123')]);
  assert.deepEqual(segmentsOf(' padded '), [key(' padded ')]);
  assert.deepEqual(segmentsOf('Company'), [key('Company')]);
});

test('formatResponsePath is the inverse of parseResponsePath', () => {
  for (const path of ['orders[0].orderDate', 'a.b[2][0].c', 'x', 'ns:a.first name[3]', 'a[1][2][3]']) {
    assert.equal(formatResponsePath(segmentsOf(path)), path);
  }
  assert.equal(formatResponsePath([]), '');
  assert.equal(formatResponsePath([idx(0), key('a')]), '[0].a');
});

test('empty path', () => {
  assert.deepEqual(errorOf(''), { message: errorOf('').message, offset: 0, length: 0 });
  assert.match(errorOf('').message, /empty/);
  const spaces = errorOf('   ');
  assert.equal(spaces.offset, 0);
  assert.equal(spaces.length, 3);
  assert.match(spaces.message, /empty/);
});

test('empty segments: leading, doubled and trailing dots', () => {
  const cases: Array<[string, number, number, RegExp]> = [
    ['.a', 0, 1, /starts with `\.`/],
    ['a..b', 2, 1, /empty key/],
    ['a.b..', 4, 1, /empty key/],
    ['a.', 1, 1, /ends with `\.`/],
    ['a[0].', 4, 1, /ends with `\.`/],
    ['a.[0]', 1, 1, /must be followed by a key name/],
  ];
  for (const [path, offset, length, message] of cases) {
    const e = errorOf(path);
    assert.deepEqual([e.offset, e.length], [offset, length], path);
    assert.match(e.message, message, path);
  }
});

test('indexes must be non-negative integers', () => {
  const cases: Array<[string, number, number, RegExp]> = [
    ['a[x]', 2, 1, /`x` is not a whole number/],
    ['a[-1]', 2, 2, /negative/],
    ['a[1.5]', 2, 3, /`1\.5` is not a whole number/],
    ['a["k"]', 2, 3, /key in brackets.*dot notation/],
    ["a['k']", 2, 3, /key in brackets/],
    ['a[ 0 ]', 2, 3, /not a whole number/],
    ['a.b[0][y].c', 7, 1, /`y`/],
    ['a[]', 1, 2, /empty/],
    ['a[99999999999999999999]', 2, 20, /too large/],
  ];
  for (const [path, offset, length, message] of cases) {
    const e = errorOf(path);
    assert.deepEqual([e.offset, e.length], [offset, length], path);
    assert.match(e.message, message, path);
  }
});

test('unclosed and unmatched brackets', () => {
  let e = errorOf('a[0');
  assert.deepEqual([e.offset, e.length], [1, 2]);
  assert.match(e.message, /`\[` is not closed/);
  e = errorOf('orders[1');
  assert.deepEqual([e.offset, e.length], [6, 2]);
  e = errorOf('a[0.b[1]');
  assert.deepEqual([e.offset, e.length], [1, 4]);
  assert.match(e.message, /not closed/);
  e = errorOf('a]');
  assert.deepEqual([e.offset, e.length], [1, 1]);
  assert.match(e.message, /no matching `\[`/);
  e = errorOf('a[0]]');
  assert.deepEqual([e.offset, e.length], [4, 1]);
  e = errorOf('a[0]b');
  assert.deepEqual([e.offset, e.length], [4, 1]);
  assert.match(e.message, /cannot follow `\]`/);
});

test('illegal characters in a key, with their exact offset', () => {
  const cases: Array<[string, number, number, string]> = [
    ['a/b', 1, 1, '/'],
    ['a$b', 1, 1, '$'],
    ['a.b*', 3, 1, '*'],
    ['data.first.name@x', 15, 1, '@'],
    ['a.b{c}', 3, 1, '{'],
    ['a😀', 1, 2, '😀'],
    ['café', 3, 1, 'é'],
  ];
  for (const [path, offset, length, ch] of cases) {
    const e = errorOf(path);
    assert.deepEqual([e.offset, e.length], [offset, length], path);
    assert.ok(e.message.includes(`\`${ch}\``), `${path}: ${e.message}`);
    assert.match(e.message, /letters, digits, `-`, `_`, `:` and spaces/);
  }
  const tab = errorOf('a\tb');
  assert.deepEqual([tab.offset, tab.length], [1, 1]);
  assert.match(tab.message, /U\+0009/);
});

test('an index with no key before it at the start is refused', () => {
  const e = errorOf('[0].a');
  assert.deepEqual([e.offset, e.length], [0, 3]);
  assert.match(e.message, /named first level/);
  const open = errorOf('[0');
  assert.deepEqual([open.offset, open.length], [0, 1]);
});

test('never throws, and every error range lies inside the attribute', () => {
  const alphabet = ['a', 'B', '0', '9', '.', '[', ']', '-', '_', ':', ' ', '/', '"', '\u0000', 'é', '😀', '-1'];
  let seed = 42;
  const random = (): number => {
    seed = (seed * 1103515245 + 12345) % 2147483648;
    return seed / 2147483648;
  };
  for (let n = 0; n < 3000; n++) {
    let path = '';
    const len = Math.floor(random() * 12);
    for (let i = 0; i < len; i++) path += alphabet[Math.floor(random() * alphabet.length)] ?? '';
    const r = parseResponsePath(path);
    if (r.ok) {
      assert.equal(formatResponsePath(r.segments), path, path);
    } else {
      assert.ok(r.error.offset >= 0 && r.error.length >= 0, path);
      assert.ok(r.error.offset + r.error.length <= path.length, `${JSON.stringify(path)} ${JSON.stringify(r.error)}`);
      assert.ok(r.error.message.length > 0);
    }
  }
});
