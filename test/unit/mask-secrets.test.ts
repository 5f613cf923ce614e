import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import {
  MASK, maskCutText, maskDeep, maskMessage, maskRunResult, maskText, secretForms, secretTooShort,
} from '../../src/engine/secrets/mask';
import { MIN_SECRET_LENGTH } from '../../src/engine/limits';
import type { RunResult } from '../../src/engine/types';
import {
  ECHOES, base64, formEncoded, fragments, jsonInside, urlFragment, urlPath, urlQuery, urlQueryNonSpecial, urlUserinfo,
} from './secret-echoes';

// Secrets with what each encoding treats specially: none, URL and JSON delimiters, HTML
// characters, non-ASCII (two- and three-byte, and with `/`), an astral character, controls.
const SECRETS = [
  'sk_live_9QmZ2x7LbA0pR4tY',
  'Ab3/De+Fg=Hi?J',
  'Pw"d\\<b>&c\'d~e',
  'pa ss{w}or|d`^!',
  'clé-Sécrète-42',
  'ür/l-Sé+cret',
  'tôken€-😀-Zz',
  'tab\there\nline',
  'Tenant-Secret-42',
];

describe('the table: a service echoes a secret, masking leaves nothing of it', () => {
  for (const echo of ECHOES) {
    test(echo.name, () => {
      let rows = 0;
      for (const secret of SECRETS) {
        let form: string;
        try {
          form = echo.form(secret);
        } catch {
          continue; // a secret that cannot take this form (not a possible host name)
        }
        rows++;
        const part = echo.secretPart?.(secret) ?? form;
        const text = echo.around ? echo.around(form) : form;
        const masked = maskText(text, secretForms(secret));
        const row = `${JSON.stringify(secret)} echoed as ${JSON.stringify(text)}, masked ${JSON.stringify(masked)}`;
        assert.ok(masked.includes(MASK), `nothing masked: ${row}`);
        assert.ok(!masked.includes(secret), `the secret is left: ${row}`);
        assert.ok(!masked.includes(form), `the echoed form is left: ${row}`);
        for (const fragment of fragments(part, 4)) assert.ok(!masked.includes(fragment), `${JSON.stringify(fragment)} of ${JSON.stringify(part)} is left: ${row}`);
      }
      assert.ok(rows >= 3, 'the row is tried on several secrets');
    });
  }
});

describe('secretForms', () => {
  test('an empty secret has no forms', () => {
    assert.deepEqual(secretForms(''), []);
  });

  test('each call returns its own list, longest first, each form once', () => {
    const first = secretForms('a "b" c');
    first.length = 0;
    const forms = secretForms('a "b" c');
    assert.ok(forms.length > 1);
    assert.equal(new Set(forms).size, forms.length);
    for (let i = 1; i < forms.length; i++) assert.ok((forms[i - 1] ?? '').length >= (forms[i] ?? '').length, JSON.stringify(forms));
  });

  test('a plain secret: itself, in lower case (as a host name), and base64 runs', () => {
    const forms = secretForms('abc123XYZ');
    for (const form of ['abc123XYZ', 'abc123xyz', base64('abc123XYZ')]) assert.ok(forms.includes(form), form);
    assert.deepEqual(forms.filter((f) => !/^[A-Za-z0-9+/_-]+=*$/.test(f)), [], 'nothing else');
  });

  test('every form holds at least three characters', () => {
    for (const secret of [...SECRETS, 'abc', '../../x', 'a\t\nb']) {
      for (const form of secretForms(secret)) assert.ok(form.length >= MIN_SECRET_LENGTH || form === secret, `${JSON.stringify(form)} of ${JSON.stringify(secret)}`);
    }
  });

  test('the URL standard\'s percent-encode sets, checked against Node\'s URL, one character at a time', () => {
    for (let code = 0x20; code < 0x7f; code++) {
      const c = String.fromCharCode(code);
      const secret = `ab${c}cd`;
      const forms = secretForms(secret);
      const expected: [string, () => string][] = [
        ['component', () => encodeURIComponent(secret)],
        ['form', () => formEncoded(secret)],
        ['user name', () => urlUserinfo(secret)],
      ];
      // A delimiter of a part ends that part: the secret is not all in it.
      if (!'/?#\\'.includes(c)) expected.push(['path', () => urlPath(secret)], ['path (the standard: ^ too)', () => urlPath(secret).replace(/\^/g, '%5E')]);
      if (c !== '#') expected.push(['query', () => urlQuery(secret)], ['query of a non-special URL', () => urlQueryNonSpecial(secret)], ['fragment', () => urlFragment(secret)]);
      for (const [set, encode] of expected) {
        const encoded = encode();
        if (encoded.length >= MIN_SECRET_LENGTH) assert.ok(forms.includes(encoded), `${set} form of ${JSON.stringify(secret)}: ${encoded} not in ${JSON.stringify(forms)}`);
      }
    }
  });

  test('non-ASCII, astral characters and controls in every URL part', () => {
    for (const secret of ['clé😀€ x', 'a\u2028b\u0001c']) {
      const forms = secretForms(secret);
      for (const encoded of [urlPath(secret), urlQuery(secret), urlQueryNonSpecial(secret), urlFragment(secret), urlUserinfo(secret), encodeURIComponent(secret), formEncoded(secret)]) {
        assert.ok(forms.includes(encoded), `${encoded} not in ${JSON.stringify(forms)}`);
      }
    }
  });

  test('a URL parser drops tabs and newlines: the forms it writes do too', () => {
    assert.ok(secretForms('tab\there').includes(urlPath('tab\there')));
    assert.equal(urlPath('tab\there'), 'tabhere');
  });

  test('a host name: lower case, and punycode for non-ASCII, only when the whole secret can be one', () => {
    assert.ok(secretForms('Tenant-42').includes('tenant-42'));
    assert.ok(secretForms('Clé-Tenant').includes(new URL('http://Clé-Tenant/').hostname));
    assert.ok(secretForms('ab/Clé-Tenant').every((f) => !f.startsWith('xn--')), 'no host name from the start of a secret');
  });

  test('base64 runs of under six characters are not forms: too short to mean anything', () => {
    // 'abc' is YWJj: no base64 form at all.
    assert.deepEqual(secretForms('abc'), ['abc']);
    // 'abcd' is YWJjZA== alone, but in a longer run only five characters depend on it alone.
    assert.ok(secretForms('abcd').includes('YWJjZA=='));
    assert.ok(!secretForms('abcd').includes('YWJjZ'));
    // From five bytes on, every alignment.
    assert.deepEqual(['abcde', 'x:abcde', 'xy:abcde'].map((t) => secretForms('abcde').some((f) => !f.includes('=') && f !== 'abcde' && base64(t).includes(f))), [true, true, true]);
  });

  test('the JSON escapings, checked against JSON.stringify where it writes the same', () => {
    for (const secret of SECRETS) assert.ok(secretForms(secret).includes(jsonInside(secret)), secret);
    // JSON.stringify writes a lone surrogate as \u: so does the masking.
    assert.ok(secretForms('ab\ud800cd').includes(jsonInside('ab\ud800cd')));
  });

  test('is cached: the same secret gives an equal list', () => {
    assert.deepEqual(secretForms(SECRETS[2] ?? ''), secretForms(SECRETS[2] ?? ''));
  });
});

describe('secretTooShort', () => {
  test('one or two characters are too short; three are enough; characters, not UTF-16 units', () => {
    assert.equal(MIN_SECRET_LENGTH, 3);
    for (const s of ['', 'a', 'ab', '😀', '😀😀', 'é1']) assert.equal(secretTooShort(s), true, s);
    for (const s of ['abc', '😀😀😀', 'a b']) assert.equal(secretTooShort(s), false, s);
  });
});

describe('maskText', () => {
  test('the mask is four bullets', () => {
    assert.equal(MASK, '••••');
  });

  test('every occurrence is replaced; one next to another stays two masks', () => {
    const forms = secretForms('s3cr3tK3y');
    assert.equal(maskText('key=s3cr3tK3y; again s3cr3tK3y,s3cr3tK3ys3cr3tK3y', forms), `key=${MASK}; again ${MASK},${MASK}${MASK}`);
  });

  test('overlapping occurrences leave no part of either', () => {
    assert.equal(maskText('x-abab-ababab-x', secretForms('abab')), `x-${MASK}-${MASK}-x`);
    // one form inside another's occurrence, shifted
    const secret = 'aaa"b';
    assert.equal(maskText(`[${jsonInside(secret)}${secret}]`, secretForms(secret)), `[${MASK}${MASK}]`);
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

  test('several forms in one text', () => {
    const secret = 'a b&c';
    assert.equal(maskText('raw=a b&c form=a+b%26c uri=a%20b%26c html=a b&amp;c', secretForms(secret)), `raw=${MASK} form=${MASK} uri=${MASK} html=${MASK}`);
  });

  test('a service\'s own "..." is its text: a start of the secret before it is left', () => {
    assert.equal(maskText('Invalid key s3cr...', secretForms('s3cr3tK3y')), 'Invalid key s3cr...');
  });
});

describe('maskCutText: a body cut at the size limit', () => {
  const secret = 'clé-Sécrète-42';
  test('a cut anywhere inside any form leaves none of its start', () => {
    for (const form of secretForms(secret)) {
      for (let k = 1; k < form.length; k++) {
        const masked = maskCutText(`body ${form} ${form.slice(0, k)}`, secretForms(secret));
        assert.equal(masked, `body ${MASK} ${MASK}`, `${JSON.stringify(form.slice(0, k))}`);
      }
    }
  });

  test('a character cut in two (U+FFFD at the end) goes with the start of the secret', () => {
    // The first byte of é was kept: TextDecoder writes U+FFFD for it.
    const cut = new TextDecoder().decode(Buffer.from(`head ${secret}`).subarray(0, 'head cl'.length + 1));
    assert.equal(cut, 'head cl\uFFFD');
    assert.equal(maskCutText(cut, secretForms(secret)), `head ${MASK}`);
  });

  test('an end that starts no form is kept', () => {
    assert.equal(maskCutText('head xyz', secretForms(secret)), 'head xyz');
    assert.equal(maskCutText('', secretForms(secret)), '');
  });
});

describe('maskMessage: the engine\'s messages quote values cut short', () => {
  const secret = 'Zq8Wv5xKp3jRt7mYh2Nc';
  const forms = secretForms(secret);
  test('the start of a secret before "..." (mappings, field values) or "…" (a shortened message)', () => {
    assert.equal(maskMessage('the text "abc Zq8Wv5..." is not', forms), `the text "abc ${MASK}..." is not`);
    assert.equal(maskMessage('The response is not valid JSON: abc Zq8W…', forms), `The response is not valid JSON: abc ${MASK}…`);
  });

  test('V8\'s JSON errors: the start before "...", the end after ..."', () => {
    assert.equal(maskMessage('Unexpected token \'Z\', "Zq8Wv5xKp3"... is not valid JSON', forms), `Unexpected token 'Z', "${MASK}"... is not valid JSON`);
    assert.equal(maskMessage('Unexpected token \'x\', ..."t7mYh2Nc" x 01234567"... is not valid JSON', forms), `Unexpected token 'x', ..."${MASK}" x 01234567"... is not valid JSON`);
  });

  test('in an escaped form too', () => {
    const quoted = 'ab"cdef"gh';
    assert.equal(maskMessage(`the text "${jsonInside(quoted).slice(0, 6)}..."`, secretForms(quoted)), `the text "${MASK}..."`);
  });

  test('a message with no cut of the secret is left as it is', () => {
    const text = '…and 3 more warnings like these. Loading...';
    assert.equal(maskMessage(text, forms), text);
  });
});

describe('maskDeep: data from a service', () => {
  const secret = 'tok "en" 42';
  const forms = secretForms(secret);

  test('masks strings at every depth, and every key', () => {
    const value = {
      url: 'https://h/?key=tok+%22en%22+42',
      headers: { Authorization: `Bearer ${secret}`, [secret]: 'header named after the secret' },
      body: JSON.stringify({ k: secret }),
      list: ['a', secret, [`x${secret}y`, { deep: secret, [`k-${secret}`]: 1 }]],
    };
    assert.deepEqual(maskDeep(value, forms), {
      url: `https://h/?key=${MASK}`,
      headers: { Authorization: `Bearer ${MASK}`, [MASK]: 'header named after the secret' },
      body: `{"k":"${MASK}"}`,
      list: ['a', MASK, [`x${MASK}y`, { deep: MASK, [`k-${MASK}`]: 1 }]],
    });
  });

  test('a number or boolean whose text holds a form becomes the string MASK; others stay as they are', () => {
    const pin = secretForms('48213579');
    assert.deepEqual(
      maskDeep({ pin: 48213579, longer: 9948213579, other: 42, f: 1.5, t: true, z: null, arr: [0, 48213579] }, pin),
      { pin: MASK, longer: MASK, other: 42, f: 1.5, t: true, z: null, arr: [0, MASK] },
    );
    assert.deepEqual(maskDeep({ a: true, b: false }, secretForms('true')), { a: MASK, b: false });
  });

  test('a number that lost the secret\'s text when parsed (1.50 is 1.5) is masked', () => {
    const forms150 = secretForms('1.50');
    assert.deepEqual(maskDeep(JSON.parse('{"v": 1.50, "w": 11.5}') as unknown, forms150), { v: MASK, w: 11.5 });
  });

  test('two keys masked alike stay two keys', () => {
    const masked = maskDeep({ 'x-Tenant-42': 1, 'x-tenant-42': 2 }, secretForms('Tenant-42'));
    assert.deepEqual(masked, { [`x-${MASK}`]: 1, [`x-${MASK} (2)`]: 2 });
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
    assert.equal(maskDeep(value, []), value);
    assert.equal(maskDeep(value, secretForms('')), value);
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

describe('maskRunResult', () => {
  const result = (secret: string, body: string, truncated = false): RunResult => ({
    definition: { name: 'request', file: '/w/request.webhook.jsonc' },
    request: { method: 'POST', url: `https://h/x?k=${secret}`, headers: { [`X-${secret}`]: secret }, body: null, sent: true },
    response: { status: 200, statusText: 'OK', headers: { 'x-echo': secret }, body, bytes: body.length, truncated, durationMs: 200 },
    classification: { code: 200, category: 'success', errorType: null, standardPhrase: null, title: '200 OK', network: null, mappingsApplied: true },
    mappings: [{ responseAttribute: 'a', marketoField: 'Company', status: 'skipped', value: { [secret]: 200, n: 200 }, reason: `the text "${secret.slice(0, 2)}..." is not`, note: null }],
    handling: { summary: 'request', steps: [`step ${secret}`] },
    assumptions: [],
    diagnostics: [],
  });

  test('keeps the document\'s own keys and numbers, masks its strings and all of the service\'s data', () => {
    // A secret that is also a word of the document, and a number of it.
    const masked = maskRunResult(result('request', 'the request'), secretForms('request'));
    assert.deepEqual(Object.keys(masked), ['definition', 'request', 'response', 'classification', 'mappings', 'handling', 'assumptions', 'diagnostics']);
    assert.equal(masked.definition.name, MASK);
    assert.equal(masked.request?.url, `https://h/x?k=${MASK}`);
    assert.deepEqual(masked.request?.headers, { [`X-${MASK}`]: MASK });
    assert.equal(masked.response?.body, `the ${MASK}`);
    assert.deepEqual(masked.handling, { summary: MASK, steps: [`step ${MASK}`] });
    assert.deepEqual(masked.mappings[0]?.value, { [MASK]: 200, n: 200 });
    assert.equal(masked.mappings[0]?.reason, `the text "${MASK}..." is not`);

    const numeric = maskRunResult(result('200', 'x'), secretForms('200'));
    assert.deepEqual([numeric.response?.status, numeric.response?.durationMs, numeric.classification?.code], [200, 200, 200], 'the tool\'s own numbers');
    assert.deepEqual(numeric.mappings[0]?.value, { [MASK]: MASK, n: MASK }, 'the service\'s numbers');
  });

  test('a body cut at the limit loses the start of a secret at its end; a whole body keeps its end', () => {
    const secret = 'Tenant-Secret-42';
    assert.equal(maskRunResult(result(secret, 'abc Tenant-Se', true), secretForms(secret)).response?.body, `abc ${MASK}`);
    assert.equal(maskRunResult(result(secret, 'abc Tenant-Se', false), secretForms(secret)).response?.body, 'abc Tenant-Se');
  });

  test('no forms: the result itself', () => {
    const r = result('x', 'y');
    assert.equal(maskRunResult(r, []), r);
  });
});
