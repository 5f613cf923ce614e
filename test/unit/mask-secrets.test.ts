import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { MASK, maskDeep, maskText, secretForms } from '../../src/engine/mask-secrets';

describe('secretForms', () => {
  test('an empty secret has no forms', () => {
    assert.deepEqual(secretForms(''), []);
  });

  test('each call returns its own list', () => {
    const first = secretForms('a "b" c');
    first.length = 0;
    assert.ok(secretForms('a "b" c').length > 1);
  });

  test('a plain secret has one form', () => {
    assert.deepEqual(secretForms('abc123XYZ'), ['abc123XYZ']);
  });

  test('a secret with spaces and quotes: raw, form-encoded, percent-encoded and JSON-escaped, longest first', () => {
    const forms = secretForms('pa ss"wd');
    for (const form of ['pa ss"wd', 'pa+ss%22wd', 'pa%20ss%22wd', 'pa ss\\"wd', 'pa%20ss%22wd'.toLowerCase(), 'pa ss\\\\\\"wd']) {
      assert.ok(forms.includes(form), `${form} missing from ${JSON.stringify(forms)}`);
    }
    assert.equal(new Set(forms).size, forms.length, 'no form twice');
    for (let i = 1; i < forms.length; i++) {
      assert.ok((forms[i - 1] ?? '').length >= (forms[i] ?? '').length, `not longest first: ${JSON.stringify(forms)}`);
    }
  });

  test('a secret with a newline and a backslash', () => {
    const forms = secretForms('a\\b\nc');
    assert.ok(forms.includes('a\\b\nc'));
    assert.ok(forms.includes('a\\\\b\\nc'));
    assert.ok(forms.includes('a%5Cb%0Ac'));
  });
});

describe('secretForms: echoes in other escapings', () => {
  const echoes: [string, string][] = [
    ['abc/def+ghi=', '{"echo":"abc\\/def+ghi="}'], // PHP escapes slashes
    ['abc/def+ghi=', 'key=abc%2fdef%2bghi%3d'], // lower-case percent-encoding
    ['s3cr3t/+&"x', 'GET /echo?key=s3cr3t/+&%22x'], // a raw value as an HTTP client sends it in a query
    ['café-key-1', '{"k":"caf\\u00e9-key-1"}'], // non-ASCII as \u escapes
    ['say "hi" now', '{"inner":"{\\"k\\":\\"say \\\\\\"hi\\\\\\" now\\"}"}'], // JSON inside JSON
  ];
  for (const [secret, echoed] of echoes) {
    test(`masks ${JSON.stringify(secret)} in ${echoed}`, () => {
      const masked = maskText(echoed, secretForms(secret));
      assert.ok(masked.includes(MASK), masked);
      assert.ok(!masked.includes(secret), masked);
    });
  }
});

describe('maskText', () => {
  test('the mask is four bullets', () => {
    assert.equal(MASK, '••••');
  });

  test('every occurrence is replaced', () => {
    const forms = secretForms('s3cr3tK3y');
    assert.equal(maskText('key=s3cr3tK3y; again s3cr3tK3y,s3cr3tK3ys3cr3tK3y', forms), `key=${MASK}; again ${MASK},${MASK}${MASK}`);
  });

  test('text without the secret is left alone', () => {
    assert.equal(maskText('nothing to see', secretForms('s3cr3tK3y')), 'nothing to see');
    assert.equal(maskText('S3CR3TK3Y', secretForms('s3cr3tK3y')), 'S3CR3TK3Y');
    assert.equal(maskText('', secretForms('s3cr3tK3y')), '');
  });

  test('no forms: the text as it is', () => {
    assert.equal(maskText('anything s3cr3t', []), 'anything s3cr3t');
    assert.equal(maskText('anything', secretForms('')), 'anything');
  });

  test('the form-encoded form of a secret with spaces and quotes is masked', () => {
    const forms = secretForms('my "big" secret');
    assert.equal(maskText('key=my+%22big%22+secret&x=1', forms), `key=${MASK}&x=1`);
  });

  test('the percent-encoded form is masked', () => {
    const forms = secretForms('my "big" secret');
    assert.equal(maskText('https://h/?key=my%20%22big%22%20secret', forms), `https://h/?key=${MASK}`);
  });

  test('the JSON-escaped form of a secret with quotes is masked', () => {
    const secret = 'my "big" secret';
    const body = JSON.stringify({ key: secret, echo: `said ${secret}` });
    const masked = maskText(body, secretForms(secret));
    assert.equal(masked, `{"key":"${MASK}","echo":"said ${MASK}"}`);
    assert.ok(!masked.includes('big'));
  });

  test('the JSON-escaped form of a secret with a newline and a tab is masked', () => {
    const secret = 'line1\nline2\tend';
    const masked = maskText(JSON.stringify({ s: secret }), secretForms(secret));
    assert.equal(masked, `{"s":"${MASK}"}`);
  });

  test('several forms in one text', () => {
    const secret = 'a b&c';
    const text = `raw=a b&c form=a+b%26c uri=a%20b%26c`;
    assert.equal(maskText(text, secretForms(secret)), `raw=${MASK} form=${MASK} uri=${MASK}`);
  });

  test('non-ASCII secrets in their encoded forms', () => {
    const secret = 'clé secrète';
    const text = `a=clé secrète b=cl%C3%A9+secr%C3%A8te c=cl%C3%A9%20secr%C3%A8te`;
    assert.equal(maskText(text, secretForms(secret)), `a=${MASK} b=${MASK} c=${MASK}`);
  });
});

describe('maskDeep', () => {
  const secret = 'tok "en" 42';
  const forms = secretForms(secret);

  test('keeps the document\'s own keys, even when a secret is part of them', () => {
    const masked = maskDeep({ definition: { name: 'e' }, request: { sent: true, headers: { 'X-e': 'e' } } }, secretForms('e'));
    assert.deepEqual(masked, { definition: { name: MASK }, request: { sent: true, headers: { [`X-${MASK}`]: MASK } } });
  });

  test('masks strings at every depth, and keys', () => {
    const value = {
      request: {
        url: 'https://h/?key=tok+%22en%22+42',
        headers: { Authorization: `Bearer ${secret}`, [secret]: 'header named after the secret' },
        body: JSON.stringify({ k: secret }),
      },
      list: ['a', secret, [`x${secret}y`, { deep: secret }]],
    };
    assert.deepEqual(maskDeep(value, forms), {
      request: {
        url: `https://h/?key=${MASK}`,
        headers: { Authorization: `Bearer ${MASK}`, [MASK]: 'header named after the secret' },
        body: `{"k":"${MASK}"}`,
      },
      list: ['a', MASK, [`x${MASK}y`, { deep: MASK }]],
    });
  });

  test('numbers, booleans and null are left as they are', () => {
    const value = { n: 42, f: 1.5, t: true, no: false, z: null, s: secret, arr: [0, null, true] };
    assert.deepEqual(maskDeep(value, forms), { n: 42, f: 1.5, t: true, no: false, z: null, s: MASK, arr: [0, null, true] });
  });

  test('a top-level string, number or null', () => {
    assert.equal(maskDeep(`=${secret}=`, forms), `=${MASK}=`);
    assert.equal(maskDeep(42, forms), 42);
    assert.equal(maskDeep(null, forms), null);
  });

  test('does not mutate the input and returns a copy', () => {
    const value = { a: secret, nested: { b: [secret, 1] }, [secret]: 'v' };
    const before = structuredClone(value);
    const masked = maskDeep(value, forms);
    assert.deepEqual(value, before);
    assert.notEqual(masked, value);
    assert.notEqual(masked.nested, value.nested);
    assert.notEqual(masked.nested.b, value.nested.b);
  });

  test('no forms: the value unchanged', () => {
    const value = { a: 'tok "en" 42', n: 1 };
    assert.deepEqual(maskDeep(value, []), { a: 'tok "en" 42', n: 1 });
    assert.deepEqual(maskDeep(value, secretForms('')), { a: 'tok "en" 42', n: 1 });
  });

  test('an own "__proto__" key (a parsed response can hold one) stays a key, masked, and no prototype', () => {
    const value = JSON.parse(`{"__proto__": {"k": ${JSON.stringify(secret)}}, "x": 1}`) as Record<string, unknown>;
    const masked = maskDeep(value, forms);
    assert.equal(Object.getPrototypeOf(masked), Object.prototype);
    assert.ok(Object.hasOwn(masked, '__proto__'));
    assert.deepEqual(Object.getOwnPropertyDescriptor(masked, '__proto__')?.value, { k: MASK });
    assert.equal((masked as { k?: unknown }).k, undefined);
  });

  test('arrays stay arrays', () => {
    const masked = maskDeep([secret, 'x'], forms);
    assert.ok(Array.isArray(masked));
    assert.deepEqual(masked, [MASK, 'x']);
  });
});
