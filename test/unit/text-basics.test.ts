import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { LineIndex } from '../../src/engine/text/line-index';
import { decodeJsonString, sourceSpan } from '../../src/engine/definition/json-string';
import type { DecodedString } from '../../src/engine/definition/json-string';
import { closest, editDistance, looseKey } from '../../src/engine/text/closest';
import { STANDARD_CATALOG } from '../../src/engine/catalog/field-catalog';

function pos(index: LineIndex, offset: number): [number, number] {
  const p = index.position(offset);
  return [p.line, p.character];
}

describe('LineIndex', () => {
  test('LF line ends', () => {
    const index = new LineIndex('ab\ncd\nef');
    assert.deepEqual(pos(index, 0), [0, 0]);
    assert.deepEqual(pos(index, 1), [0, 1]);
    assert.deepEqual(pos(index, 2), [0, 2]); // the \n itself ends line 0
    assert.deepEqual(pos(index, 3), [1, 0]);
    assert.deepEqual(pos(index, 5), [1, 2]);
    assert.deepEqual(pos(index, 6), [2, 0]);
    assert.deepEqual(pos(index, 7), [2, 1]);
    assert.deepEqual(pos(index, 8), [2, 2]); // end of a last line without a newline
  });

  test('CRLF line ends count as one', () => {
    const index = new LineIndex('ab\r\ncd\r\nef');
    assert.deepEqual(pos(index, 2), [0, 2]); // \r
    assert.deepEqual(pos(index, 3), [0, 3]); // \n of the pair
    assert.deepEqual(pos(index, 4), [1, 0]);
    assert.deepEqual(pos(index, 6), [1, 2]);
    assert.deepEqual(pos(index, 8), [2, 0]);
    assert.deepEqual(pos(index, 10), [2, 2]);
  });

  test('CR alone ends a line', () => {
    const index = new LineIndex('ab\rcd\ref');
    assert.deepEqual(pos(index, 2), [0, 2]);
    assert.deepEqual(pos(index, 3), [1, 0]);
    assert.deepEqual(pos(index, 6), [2, 0]);
    assert.deepEqual(pos(index, 8), [2, 2]);
  });

  test('mixed line ends, and \\r\\r\\n is two line ends', () => {
    const index = new LineIndex('a\nb\r\nc\rd\r\r\ne');
    // line starts: 0 (a), 2 (b), 5 (c), 7 (d), 9 (empty line after d\r), 11 (e)
    assert.deepEqual(pos(index, 2), [1, 0]);
    assert.deepEqual(pos(index, 5), [2, 0]);
    assert.deepEqual(pos(index, 7), [3, 0]);
    assert.deepEqual(pos(index, 8), [3, 1]);
    assert.deepEqual(pos(index, 9), [4, 0]);
    assert.deepEqual(pos(index, 10), [4, 1]);
    assert.deepEqual(pos(index, 11), [5, 0]);
  });

  test('empty lines and a trailing newline', () => {
    const index = new LineIndex('\n\nx\n');
    assert.deepEqual(pos(index, 0), [0, 0]);
    assert.deepEqual(pos(index, 1), [1, 0]);
    assert.deepEqual(pos(index, 2), [2, 0]);
    assert.deepEqual(pos(index, 3), [2, 1]);
    assert.deepEqual(pos(index, 4), [3, 0]); // the empty line after the last newline
  });

  test('an empty text', () => {
    const index = new LineIndex('');
    assert.deepEqual(pos(index, 0), [0, 0]);
  });

  test('a text without line ends', () => {
    const index = new LineIndex('hello');
    assert.deepEqual(pos(index, 0), [0, 0]);
    assert.deepEqual(pos(index, 5), [0, 5]);
  });

  test('many lines: the binary search finds each line start', () => {
    const lines = Array.from({ length: 1000 }, (_, i) => `line ${i}`);
    const text = lines.join('\n');
    const index = new LineIndex(text);
    let offset = 0;
    for (let i = 0; i < lines.length; i++) {
      assert.deepEqual(pos(index, offset), [i, 0]);
      assert.deepEqual(pos(index, offset + 3), [i, 3]);
      offset += (lines[i] ?? '').length + 1;
    }
  });

  test('range spans lines', () => {
    const index = new LineIndex('ab\ncd\r\nef');
    // a0 b1 \n2 c3 d4 \r5 \n6 e7 f8
    assert.deepEqual(index.range(1, 4), { start: { line: 0, character: 1 }, end: { line: 1, character: 2 } });
    assert.deepEqual(index.range(1, 6), { start: { line: 0, character: 1 }, end: { line: 2, character: 0 } });
    assert.deepEqual(index.range(7, 0), { start: { line: 2, character: 0 }, end: { line: 2, character: 0 } });
  });

  test('offsets are UTF-16 code units', () => {
    const index = new LineIndex('😀x\ny');
    assert.deepEqual(pos(index, 2), [0, 2]);
    assert.deepEqual(pos(index, 4), [1, 0]);
  });
});

describe('decodeJsonString', () => {
  test('a plain string: each character maps to its own offset, the last offset is the closing quote', () => {
    const text = 'x: "abc" y';
    const d = decodeJsonString(text, 3, 5);
    assert.deepEqual(d, { value: 'abc', offsets: [4, 5, 6, 7] });
    assert.equal(text[d.offsets[3] ?? -1], '"');
  });

  test('an empty string', () => {
    assert.deepEqual(decodeJsonString('""', 0, 2), { value: '', offsets: [1] });
  });

  test('simple escapes decode and map to their backslash', () => {
    // source: "a\nb\"c\\d\/e\tf\bg\fh\ri"
    const text = String.raw`"a\nb\"c\\d\/e\tf\bg\fh\ri"`;
    const d = decodeJsonString(text, 0, text.length);
    assert.equal(d.value, 'a\nb"c\\d/e\tf\bg\fh\ri');
    assert.deepEqual(d.offsets, [1, 2, 4, 5, 7, 8, 10, 11, 13, 14, 16, 17, 19, 20, 22, 23, 25, 26]);
    for (let i = 0; i < d.value.length; i++) {
      const src = text[d.offsets[i] ?? -1];
      assert.ok(src === d.value[i] || src === '\\', `char ${i} maps to ${src}`);
    }
  });

  test('\\uXXXX decodes and maps to its backslash; the next character follows 6 later', () => {
    const text = String.raw`"\u00e9t\u00C9\u0041"`;
    const d = decodeJsonString(text, 0, text.length);
    assert.equal(d.value, 'étÉA');
    assert.deepEqual(d.offsets, [1, 7, 8, 14, 20]);
  });

  test('a surrogate pair written as two \\u escapes', () => {
    const text = String.raw`"\ud83d\ude00!"`;
    const d = decodeJsonString(text, 0, text.length);
    assert.equal(d.value, '😀!');
    assert.deepEqual(d.offsets, [1, 7, 13, 14]);
  });

  test('bad escapes decode as written, one offset per character', () => {
    const text = String.raw`"\x\u12g"`;
    const d = decodeJsonString(text, 0, text.length);
    assert.equal(d.value, String.raw`\x\u12g`);
    assert.deepEqual(d.offsets, [1, 2, 3, 4, 5, 6, 7, 8]);
  });

  test('non-ASCII characters are one offset per UTF-16 unit', () => {
    const d = decodeJsonString('"é😀"', 0, 5);
    assert.equal(d.value, 'é😀');
    assert.deepEqual(d.offsets, [1, 2, 3, 4]);
  });

  test('a string in the middle of a larger text', () => {
    const text = '{"key": "v\\"al", "next": 1}';
    const start = text.indexOf('"v');
    const d = decodeJsonString(text, start, 7);
    assert.deepEqual(d, { value: 'v"al', offsets: [9, 10, 12, 13, 14] });
  });

  test('an escaped backslash just before the closing quote', () => {
    const text = String.raw`"a\\"`;
    const d = decodeJsonString(text, 0, text.length);
    assert.deepEqual(d, { value: 'a\\', offsets: [1, 2, 4] });
  });

  test('an unterminated string decodes every character after the quote', () => {
    // jsonc-parser reports an unterminated string `"abc` with length 4 (to the end of the text/line).
    const d = decodeJsonString('"abc', 0, 4);
    assert.equal(d.value, 'abc');
    assert.deepEqual(d.offsets, [1, 2, 3, 4]);
  });

  test('a degenerate length never throws', () => {
    assert.deepEqual(decodeJsonString('"', 0, 1), { value: '', offsets: [1] });
    assert.deepEqual(decodeJsonString('', 0, 0), { value: '', offsets: [1] });
  });
});

describe('decodeJsonString: the value at once, the offsets when asked', () => {
  test('valid escapes (decoded natively) give the value JSON gives, and an offset per character', () => {
    for (const text of [String.raw`"a\nb\"c\\d\/e\u00e9\ud83d\ude00"`, String.raw`"\""`, '"plain"', '""']) {
      const d = decodeJsonString(text, 0, text.length);
      assert.equal(d.value, JSON.parse(text));
      assert.equal(d.offsets.length, d.value.length + 1, text);
      assert.equal(d.offsets[d.value.length], text.length - 1, 'the last offset is the closing quote');
    }
  });

  test('invalid escapes and raw control characters still decode as written', () => {
    const text = '"a\\x\tb\\u00"';
    const d = decodeJsonString(text, 0, text.length);
    assert.equal(d.value, 'a\\x\tb\\u00');
    assert.equal(d.offsets.length, d.value.length + 1);
  });

  test('a known value is taken as it is; the offsets are still those of the file', () => {
    const text = String.raw`x "a\nb" y`;
    const d = decodeJsonString(text, 2, 6, 'a\nb');
    assert.equal(d.value, 'a\nb');
    assert.deepEqual(d.offsets, [3, 4, 6, 7]);
  });
});

describe('sourceSpan', () => {
  test('a span of plain characters', () => {
    const text = '"hi {{lead.First Name}}!"';
    const d = decodeJsonString(text, 0, text.length);
    const from = d.value.indexOf('{{');
    const to = d.value.indexOf('}}') + 2;
    const span = sourceSpan(d, from, to);
    assert.deepEqual(span, { offset: 4, length: 19 });
    assert.equal(text.slice(span.offset, span.offset + span.length), '{{lead.First Name}}');
  });

  test('a span after escapes covers the escaped source', () => {
    const text = String.raw`"\u0041\n{{lead.X}}\t"`;
    const d = decodeJsonString(text, 0, text.length);
    assert.equal(d.value, 'A\n{{lead.X}}\t');
    const span = sourceSpan(d, 2, 12);
    assert.deepEqual(span, { offset: 9, length: 10 });
    assert.equal(text.slice(span.offset, span.offset + span.length), '{{lead.X}}');
    // a span holding escapes is longer in the source than decoded
    assert.deepEqual(sourceSpan(d, 0, 2), { offset: 1, length: 8 });
  });

  test('a span reaching the end of the value ends at the closing quote', () => {
    const text = '"abc"';
    const d = decodeJsonString(text, 0, text.length);
    assert.deepEqual(sourceSpan(d, 1, 3), { offset: 2, length: 2 });
    assert.deepEqual(sourceSpan(d, 3, 3), { offset: 4, length: 0 });
  });

  test('out-of-range indexes clamp instead of throwing', () => {
    const d: DecodedString = decodeJsonString('"abc"', 0, 5);
    assert.deepEqual(sourceSpan(d, 10, 20), { offset: 4, length: 0 });
    assert.deepEqual(sourceSpan(d, 1, 20), { offset: 2, length: 0 });
    assert.deepEqual(sourceSpan(d, 2, 1), { offset: 3, length: 0 });
  });
});

describe('closest', () => {
  const names = STANDARD_CATALOG.displayNames();

  test('looseKey ignores case, spaces, dashes and underscores', () => {
    assert.equal(looseKey('First Name'), 'firstname');
    assert.equal(looseKey('first_name'), 'firstname');
    assert.equal(looseKey('First-Name'), 'firstname');
    assert.equal(looseKey('  FIRST \t NAME '), 'firstname');
  });

  test('FirstName → First Name first', () => {
    const r = closest('FirstName', names);
    assert.equal(r[0], 'First Name');
    assert.deepEqual(r, ['First Name', 'Last Name']);
    assert.equal(closest('EmailAddress', names)[0], 'Email Address');
    assert.equal(closest('email_address', names)[0], 'Email Address');
  });

  test('typos within a third of the length', () => {
    assert.equal(closest('Frist Name', names)[0], 'First Name');
    assert.deepEqual(closest('Email Adress', names), ['Email Address']);
    assert.deepEqual(closest('jbo tilte', names), ['Job Title']); // two transpositions, 8 letters
    assert.deepEqual(closest('Compnay Nmae', names), ['Company Name', 'Company Notes']);
  });

  test('too far off: nothing', () => {
    assert.deepEqual(closest('xyz title', names), []); // 3 edits in 8 letters
    assert.deepEqual(closest('Banana', names), []);
    assert.deepEqual(closest('Quantum Flux Capacitor', names), []);
  });

  test('the limit is a third of the longer word, at least 1', () => {
    // 'cat' → limit 1
    assert.deepEqual(closest('cat', ['cut']), ['cut']);
    assert.deepEqual(closest('cat', ['cup']), []);
    // 'abcdef' vs 'abcxyz': 6 letters, limit 2, distance 3
    assert.deepEqual(closest('abcdef', ['abcdxy']), ['abcdxy']);
    assert.deepEqual(closest('abcdef', ['abcxyz']), []);
    // a single letter still gets one edit
    assert.deepEqual(closest('a', ['b']), ['b']);
  });

  test('the exact match but for case and spacing outranks closer-looking candidates', () => {
    assert.deepEqual(closest('lead score', ['Lead Scor', 'Lead_Score', 'lead scores']), ['Lead_Score', 'Lead Scor', 'lead scores']);
  });

  test('ties are broken alphabetically, and max caps the count', () => {
    const candidates = ['rat', 'hat', 'cat', 'bat'];
    assert.deepEqual(closest('mat', candidates), ['bat', 'cat', 'hat']);
    assert.deepEqual(closest('mat', candidates, 2), ['bat', 'cat']);
    assert.deepEqual(closest('mat', candidates, 10), ['bat', 'cat', 'hat', 'rat']);
    assert.deepEqual(closest('mat', candidates, 1), ['bat']);
    assert.deepEqual(closest('mat', candidates, 0), []);
  });

  test('duplicates among candidates are listed once', () => {
    assert.deepEqual(closest('FirstName', ['First Name', 'First Name', 'First Name']), ['First Name']);
  });

  test('empty input or candidates: nothing', () => {
    assert.deepEqual(closest('', names), []);
    assert.deepEqual(closest('  _- ', names), []);
    assert.deepEqual(closest('First Name', []), []);
  });
});

describe('editDistance', () => {
  test('basic distances', () => {
    assert.equal(editDistance('', ''), 0);
    assert.equal(editDistance('abc', 'abc'), 0);
    assert.equal(editDistance('', 'abc'), 3);
    assert.equal(editDistance('abc', ''), 3);
    assert.equal(editDistance('kitten', 'sitting'), 3);
    assert.equal(editDistance('abc', 'abd'), 1);
    assert.equal(editDistance('abc', 'abcd'), 1);
    assert.equal(editDistance('abcd', 'acd'), 1);
  });

  test('a transposition costs 1', () => {
    assert.equal(editDistance('ab', 'ba'), 1);
    assert.equal(editDistance('first', 'frist'), 1);
    assert.equal(editDistance('abcd', 'badc'), 2);
  });

  test('optimal string alignment: no edit of a transposed pair', () => {
    // true Damerau-Levenshtein gives 2; OSA gives 3
    assert.equal(editDistance('ca', 'abc'), 3);
  });

  test('symmetric', () => {
    for (const [a, b] of [['kitten', 'sitting'], ['ab', 'ba'], ['', 'x'], ['flaw', 'lawn']] as const) {
      assert.equal(editDistance(a, b), editDistance(b, a), `${a}/${b}`);
    }
  });

  test('a length difference beyond the cap returns cap + 1', () => {
    assert.equal(editDistance('a', 'abcdefgh', 2), 3);
    assert.equal(editDistance('', 'x'.repeat(100)), 65);
    assert.equal(editDistance('abc', 'abcde', 2), 2);
  });
});
