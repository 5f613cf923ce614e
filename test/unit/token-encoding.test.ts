import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { encodeTokenValue, formUrlEncode } from '../../src/engine/tokens/encoding';
import type { TokenPlace } from '../../src/engine/tokens/encoding';
import type { RequestTokenEncoding } from '../../src/engine/types';

describe('formUrlEncode: Java URLEncoder with UTF-8', () => {
  test('space becomes +, & and = are encoded', () => {
    assert.equal(formUrlEncode('a b&c=d'), 'a+b%26c%3Dd');
  });

  test('letters, digits and .-*_ stay as they are', () => {
    const kept = 'ABCXYZabcxyz0189.-*_';
    assert.equal(formUrlEncode(kept), kept);
  });

  test('~ is encoded, unlike encodeURIComponent', () => {
    assert.equal(formUrlEncode('~'), '%7E');
    assert.notEqual(formUrlEncode('~'), encodeURIComponent('~'));
  });

  test("! ' ( ) are encoded, unlike encodeURIComponent", () => {
    assert.equal(formUrlEncode("!'()"), '%21%27%28%29');
  });

  test('the other ASCII punctuation', () => {
    assert.equal(formUrlEncode('+/?#%"<>@:;,[]{}|\\^`$'), '%2B%2F%3F%23%25%22%3C%3E%40%3A%3B%2C%5B%5D%7B%7D%7C%5C%5E%60%24');
  });

  test('non-ASCII characters as the %XX of their UTF-8 bytes, upper case', () => {
    assert.equal(formUrlEncode('é'), '%C3%A9');
    assert.equal(formUrlEncode('Zoë Müller'), 'Zo%C3%AB+M%C3%BCller');
    assert.equal(formUrlEncode('€'), '%E2%82%AC');
    assert.equal(formUrlEncode('😀'), '%F0%9F%98%80');
  });

  test('control characters and line ends', () => {
    assert.equal(formUrlEncode('a\r\nb\tc'), 'a%0D%0Ab%09c');
    assert.equal(formUrlEncode('\u0000'), '%00');
  });

  test('an empty value', () => {
    assert.equal(formUrlEncode(''), '');
  });

  test('an e-mail address', () => {
    assert.equal(formUrlEncode('jane.doe+test@example.com'), 'jane.doe%2Btest%40example.com');
  });

  test('every ASCII character: only letters, digits and .-*_ are kept', () => {
    for (let code = 0; code < 128; code++) {
      const c = String.fromCharCode(code);
      const expected = /[A-Za-z0-9.\-*_]/.test(c) ? c : code === 32 ? '+' : `%${code.toString(16).toUpperCase().padStart(2, '0')}`;
      assert.equal(formUrlEncode(c), expected, `code ${code}`);
    }
  });

  test('decodes back with the form decoding rules', () => {
    const value = 'Zoë & "Bob" + 100% = ~ok?\nyes';
    assert.equal(decodeURIComponent(formUrlEncode(value).replace(/\+/g, ' ')), value);
  });
});

describe('encodeTokenValue', () => {
  const value = 'say "hi" & bye\nnow';
  const encodings: RequestTokenEncoding[] = ['None', 'Form/Url', 'JSON'];
  const places: TokenPlace[] = ['url', 'template', 'header'];

  test('JSON in the template: a JSON string literal, quotes included', () => {
    assert.equal(encodeTokenValue('Ann', 'JSON', 'template'), '"Ann"');
    assert.equal(encodeTokenValue('', 'JSON', 'template'), '""');
    assert.equal(encodeTokenValue(value, 'JSON', 'template'), '"say \\"hi\\" & bye\\nnow"');
    assert.equal(encodeTokenValue('C:\\temp\ttab', 'JSON', 'template'), '"C:\\\\temp\\ttab"');
    assert.equal(encodeTokenValue('é', 'JSON', 'template'), '"é"');
    assert.deepEqual(JSON.parse(encodeTokenValue(value, 'JSON', 'template')), value);
  });

  test('JSON in the URL: raw', () => {
    assert.equal(encodeTokenValue(value, 'JSON', 'url'), value);
    assert.equal(encodeTokenValue('a b', 'JSON', 'url'), 'a b');
  });

  test('Form/Url in the template and the URL: form-encoded', () => {
    assert.equal(encodeTokenValue(value, 'Form/Url', 'template'), 'say+%22hi%22+%26+bye%0Anow');
    assert.equal(encodeTokenValue(value, 'Form/Url', 'url'), 'say+%22hi%22+%26+bye%0Anow');
    assert.equal(encodeTokenValue('a b&c=d', 'Form/Url', 'url'), 'a+b%26c%3Dd');
  });

  test('headers: always raw', () => {
    for (const encoding of encodings) assert.equal(encodeTokenValue(value, encoding, 'header'), value, encoding);
  });

  test('None: raw everywhere', () => {
    for (const place of places) assert.equal(encodeTokenValue(value, 'None', place), value, place);
  });

  test('the whole table', () => {
    const table: Record<RequestTokenEncoding, Record<TokenPlace, string>> = {
      None: { url: 'a b"', template: 'a b"', header: 'a b"' },
      'Form/Url': { url: 'a+b%22', template: 'a+b%22', header: 'a b"' },
      JSON: { url: 'a b"', template: '"a b\\""', header: 'a b"' },
    };
    for (const encoding of encodings) {
      for (const place of places) {
        assert.equal(encodeTokenValue('a b"', encoding, place), table[encoding][place], `${encoding} in ${place}`);
      }
    }
  });
});
