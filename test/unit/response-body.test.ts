import { describe, it, test } from 'node:test';
import assert from 'node:assert/strict';
import { mayHaveNumberNotAsWritten, parseResponseBody } from '../../src/engine/http/response-body';
import { MAX_XML_DEPTH } from '../../src/engine/limits';
import type { ParsedBody } from '../../src/engine/http/response-body';

/** True when the text holds a C0 control character (a reason must stay printable). */
const hasControl = (text: string): boolean => [...text].some((c) => c.charCodeAt(0) < 0x20 && c !== '\n');

function value(r: ParsedBody): unknown {
  assert.ok(r.ok, r.ok ? '' : r.reason);
  return r.value;
}

function reason(r: ParsedBody): string {
  assert.ok(!r.ok, 'expected the body to be refused');
  return r.reason;
}

function warnings(r: ParsedBody): string[] {
  assert.ok(r.ok, r.ok ? '' : r.reason);
  return r.warnings;
}

// ---- JSON ----

test('JSON: nested objects and arrays are kept as parsed', () => {
  const r = parseResponseBody('{"company":{"name":"Acme","size":120},"orders":[{"id":1},{"id":2}],"ok":true,"none":null}', 'JSON');
  assert.deepEqual(value(r), {
    company: { name: 'Acme', size: 120 },
    orders: [{ id: 1 }, { id: 2 }],
    ok: true,
    none: null,
  });
  assert.deepEqual(warnings(r), []);
});

test('JSON: a byte order mark is ignored', () => {
  assert.deepEqual(value(parseResponseBody('\uFEFF{"a":1}', 'JSON')), { a: 1 });
});

test('JSON: invalid JSON says so and where', () => {
  const r = reason(parseResponseBody('{"a":\n1,\n}', 'JSON'));
  assert.match(r, /not valid JSON/);
  assert.match(r, /line 3, column 1/);
  assert.match(reason(parseResponseBody('{"a":1', 'JSON')), /not valid JSON.*line 1, column 7/);
  assert.match(reason(parseResponseBody('<html>oops</html>', 'JSON')), /not valid JSON/);
  assert.match(reason(parseResponseBody('', 'JSON')), /not valid JSON.*empty/);
  assert.match(reason(parseResponseBody('  \n ', 'JSON')), /empty/);
});

test('JSON: the reason quotes nothing of the body, only where it breaks', () => {
  // V8 would say: Unexpected token 'Z', "Zq8Wv5xKp3" is not valid JSON (a secret's first character).
  const r = reason(parseResponseBody('{"key":\n  Zq8Wv5xKp3}', 'JSON'));
  assert.match(r, /Unexpected character at line 2, column 3/);
  assert.doesNotMatch(r, /Z|q8W/);
  assert.match(reason(parseResponseBody('Zq8Wv5xKp3', 'JSON')), /^The response is not valid JSON: Unexpected character at line 1, column 1\.$/);
});

test('JSON: binary input is refused with a printable reason', () => {
  const r = reason(parseResponseBody('\u0000\u0001\u00ff\u0007', 'JSON'));
  assert.match(r, /not valid JSON/);
  assert.ok(!hasControl(r), r);
});

test('JSON: keys that look like Object internals are plain data', () => {
  const v = value(parseResponseBody('{"__proto__":{"x":1},"constructor":"c"}', 'JSON')) as Record<string, unknown>;
  assert.ok(Object.hasOwn(v, '__proto__'));
  assert.equal(v.constructor, 'c');
});

test('JSON: a 5 MB body parses quickly', () => {
  const items = Array.from({ length: 90_000 }, (_, i) => ({ id: i, name: `item number ${i}`, tags: ['a', 'b', 'c'] }));
  const body = JSON.stringify({ result: items });
  assert.ok(body.length > 5_000_000);
  const start = Date.now();
  const v = value(parseResponseBody(body, 'JSON')) as { result: unknown[] };
  assert.equal(v.result.length, 90_000);
  assert.ok(Date.now() - start < 5000);
});

test('JSON: 10,000 levels of nesting does not throw', () => {
  const body = '['.repeat(10_000) + ']'.repeat(10_000);
  const r = parseResponseBody(body, 'JSON');
  assert.equal(typeof r.ok, 'boolean');
  const objects = '{"a":'.repeat(10_000) + '1' + '}'.repeat(10_000);
  assert.equal(typeof parseResponseBody(objects, 'JSON').ok, 'boolean');
});

// ---- XML ----

test('XML: the root element is the first level of the tree', () => {
  assert.deepEqual(value(parseResponseBody('<example><foo>bar</foo></example>', 'XML')), { example: { foo: 'bar' } });
  assert.deepEqual(
    value(parseResponseBody('<?xml version="1.0" encoding="UTF-8"?>\n<!-- note -->\n<response>\n  <company>\n    <name>Acme</name>\n  </company>\n</response>\n', 'XML')),
    { response: { company: { name: 'Acme' } } },
  );
});

test('XML: repeated siblings become an array indexed from 0; a single element is not an array', () => {
  const r = parseResponseBody(
    '<root><elementList><element><foo>first</foo></element><element><foo>second</foo></element></elementList>' +
      '<single><element><foo>only</foo></element></single></root>',
    'XML',
  );
  assert.deepEqual(value(r), {
    root: {
      elementList: { element: [{ foo: 'first' }, { foo: 'second' }] },
      single: { element: { foo: 'only' } },
    },
  });
  assert.deepEqual(warnings(r), []);
});

test('XML: text stays text, attributes are ignored, empty elements are empty strings', () => {
  const r = parseResponseBody(
    '<r><n>007</n><f>12.50</f><b>true</b><e/><e2></e2><a id="1" kind="x">v</a><s>  padded  </s></r>',
    'XML',
  );
  assert.deepEqual(value(r), { r: { n: '007', f: '12.50', b: 'true', e: '', e2: '', a: 'v', s: 'padded' } });
});

test('XML: the five entities, character references and CDATA are decoded', () => {
  const r = parseResponseBody('<r><t>A &amp; B &lt;c&gt; &quot;d&quot; &apos;e&apos; &#233;&#x20AC;</t><c><![CDATA[<b>raw</b>]]></c></r>', 'XML');
  assert.deepEqual(value(r), { r: { t: 'A & B <c> "d" \'e\' é€', c: '<b>raw</b>' } });
});

test('XML: namespace prefixes stay part of the name', () => {
  const r = parseResponseBody('<s:Envelope xmlns:s="urn:x"><s:Body><m:id xmlns:m="urn:m">5</m:id></s:Body></s:Envelope>', 'XML');
  assert.deepEqual(value(r), { 's:Envelope': { 's:Body': { 'm:id': '5' } } });
});

test('XML: element names such as constructor, toString and __proto__ are ordinary keys', () => {
  const v = value(parseResponseBody('<r><constructor>1</constructor><toString>2</toString><__proto__>3</__proto__><hasOwnProperty/></r>', 'XML')) as {
    r: object;
  };
  const own = (name: string): unknown => Object.getOwnPropertyDescriptor(v.r, name)?.value;
  assert.deepEqual(Object.keys(v.r), ['constructor', 'toString', '__proto__', 'hasOwnProperty']);
  assert.equal(own('constructor'), '1');
  assert.equal(own('toString'), '2');
  assert.equal(own('__proto__'), '3');
  assert.equal(own('hasOwnProperty'), '');
  assert.equal(Object.getPrototypeOf(v.r), Object.prototype);
});

test('XML: a parent with both unique and repeated children gets a warning naming it', () => {
  const r = parseResponseBody('<root><list><item>1</item><item>2</item><count>2</count></list></root>', 'XML');
  assert.deepEqual(value(r), { root: { list: { item: ['1', '2'], count: '2' } } });
  const w = warnings(r);
  assert.equal(w.length, 1);
  assert.match(w[0] ?? '', /`root\.list`/);
  assert.match(w[0] ?? '', /`item`/);
  assert.match(w[0] ?? '', /`count`/);
  assert.match(w[0] ?? '', /undefined behaviour in Marketo/);
});

test('XML: mixed parents inside arrays are named with their index', () => {
  const r = parseResponseBody('<r><g><x>1</x><x>2</x><y/></g><g><z/></g></r>', 'XML');
  const w = warnings(r);
  assert.equal(w.length, 1);
  assert.match(w[0] ?? '', /`r\.g\[0\]`/);
});

test('XML: text beside child elements is reported and ignored', () => {
  const r = parseResponseBody('<a>loose text<b>1</b></a>', 'XML');
  assert.deepEqual(value(r), { a: { b: '1' } });
  assert.match(warnings(r)[0] ?? '', /`a`.*both text and child elements/);
});

test('XML: invalid XML gives the validator message and line', () => {
  const r = reason(parseResponseBody('<a>\n  <b>\n</a>', 'XML'));
  assert.match(r, /not valid XML/);
  assert.match(r, /closing tag/);
  assert.match(r, /line 3/);
  assert.match(reason(parseResponseBody('', 'XML')), /not valid XML/);
  assert.match(reason(parseResponseBody('{"json": true}', 'XML')), /not valid XML/);
  assert.match(reason(parseResponseBody('plain text', 'XML')), /not valid XML.*line 1/);
});

test('XML: more than one root element is refused', () => {
  assert.match(reason(parseResponseBody('<a>1</a><b>2</b>', 'XML')), /root/);
  assert.match(reason(parseResponseBody('<a/><b/>', 'XML')), /more than one root element/);
});

test('XML: binary input does not throw', () => {
  const bytes = Array.from({ length: 2000 }, (_, i) => String.fromCharCode((i * 7919) % 256)).join('');
  for (const body of [bytes, `<a>${bytes}</a>`, '\u0000<a/>', '<a>\u0000</a>']) {
    const r = parseResponseBody(body, 'XML');
    assert.equal(typeof r.ok, 'boolean');
    if (!r.ok) assert.ok(!hasControl(r.reason), r.reason);
  }
});

test('XML: 10,000 levels of nesting is refused without throwing', () => {
  const body = '<a>'.repeat(10_000) + 'x' + '</a>'.repeat(10_000);
  const r = parseResponseBody(body, 'XML');
  assert.match(reason(r), new RegExp(`nested more than ${MAX_XML_DEPTH} levels`));
  const atLimit = '<a>'.repeat(MAX_XML_DEPTH) + 'x' + '</a>'.repeat(MAX_XML_DEPTH);
  assert.equal(parseResponseBody(atLimit, 'XML').ok, true);
  const overLimit = '<a>'.repeat(MAX_XML_DEPTH + 1) + 'x' + '</a>'.repeat(MAX_XML_DEPTH + 1);
  assert.match(reason(parseResponseBody(overLimit, 'XML')), /nested more than/);
});

test('XML: DOCTYPE entities are not expanded (billion laughs)', () => {
  const lol = [
    '<?xml version="1.0"?>',
    '<!DOCTYPE lolz [',
    ' <!ENTITY lol "lol">',
    ' <!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">',
    ' <!ENTITY lol2 "&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;">',
    ' <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">',
    ' <!ENTITY lol9 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">',
    ']>',
    '<lolz><a>&lol9;</a><b>&lol;</b></lolz>',
  ].join('\n');
  const start = Date.now();
  const r = parseResponseBody(lol, 'XML');
  assert.ok(Date.now() - start < 2000);
  if (r.ok) {
    const v = r.value as { lolz: { a: string; b: string } };
    assert.ok(v.lolz.a.length < 100, 'entities must not be expanded');
    assert.equal(v.lolz.b, '&lol;');
  }
  // A single harmless declared entity: kept literal, with a warning.
  const one = parseResponseBody('<!DOCTYPE x [<!ENTITY name "Acme">]><x><n>&name;</n></x>', 'XML');
  assert.deepEqual(value(one), { x: { n: '&name;' } });
  assert.match(warnings(one)[0] ?? '', /declares its own entities.*`name`.*not expanded/);
});

test('XML: external entities are refused or left alone, never fetched', () => {
  const r = parseResponseBody('<!DOCTYPE x [<!ENTITY ext SYSTEM "file:///etc/passwd">]><x>&ext;</x>', 'XML');
  if (r.ok) assert.deepEqual(r.value, { x: '&ext;' });
  else assert.match(r.reason, /XML/);
});

test('XML: a large document with many repeated elements parses', () => {
  const body = `<r><items>${'<item><id>1</id><name>an item name</name></item>'.repeat(60_000)}</items></r>`;
  assert.ok(body.length > 2_500_000);
  const start = Date.now();
  const v = value(parseResponseBody(body, 'XML')) as { r: { items: { item: unknown[] } } };
  assert.equal(v.r.items.item.length, 60_000);
  assert.ok(Date.now() - start < 10_000);
});

describe('the quick read of a JSON body, when every number reads back as written', () => {
  /** A seeded generator of JSON number literals: signs, zeros, long and short digits, fractions, exponents. */
  function* numberLiterals(count: number): Generator<string> {
    let state = 12345;
    const next = (): number => ((state = (state * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
    const digits = (n: number, first = '0123456789'): string => {
      let text = first[Math.floor(next() * first.length)] ?? '1';
      for (let i = 1; i < n; i++) text += '0123456789'[Math.floor(next() * 10)] ?? '0';
      return text;
    };
    const lengths = [1, 1, 2, 3, 5, 8, 12, 14, 15, 16, 17, 19, 21, 22, 25];
    for (let i = 0; i < count; i++) {
      const sign = next() < 0.3 ? '-' : '';
      const whole = next() < 0.35 ? '0' : digits(lengths[Math.floor(next() * lengths.length)] ?? 1, '123456789');
      const fraction = next() < 0.5 ? '' : '.' + (next() < 0.3 ? '0'.repeat(Math.floor(next() * 9)) : '') + digits(lengths[Math.floor(next() * lengths.length)] ?? 1);
      const exponent = next() < 0.1 ? (next() < 0.5 ? 'e' : 'E') + (next() < 0.5 ? '-' : '') + digits(2) : '';
      yield sign + whole + fraction + exponent;
    }
  }

  it('is taken only when String(JSON.parse(n)) gives back each number n as written: 200,000 generated numbers', () => {
    let quick = 0;
    for (const literal of numberLiterals(200_000)) {
      if (mayHaveNumberNotAsWritten(literal)) continue;
      quick++;
      assert.equal(String(JSON.parse(literal)), literal, `${literal} was taken for a number that reads back as written`);
    }
    assert.ok(quick > 20_000, `the quick read was tried on ${quick} numbers`);
  });

  it('knows the numbers that do not read back as written', () => {
    for (const literal of ['1.50', '1.0', '-0', '1e3', '2E-5', '9007199254740993', '0.1000000000000000055511151231257827', '0.0000001', '1000000000000000000000', '-0.0']) {
      assert.ok(mayHaveNumberNotAsWritten(literal), literal);
      assert.notEqual(String(JSON.parse(literal)), literal, `${literal} is an example that does not read back`);
    }
  });

  it('gives mappings the same tree and digits either way', () => {
    const quick = parseResponseBody('{"a": 1.5, "b": [1, -2, 0.000001], "__proto__": {"x": 3}}', 'JSON');
    assert.ok(quick.ok);
    assert.equal(quick.numberTexts, undefined, 'no number needed its text: the quick read was taken');
    assert.deepEqual(quick.value, JSON.parse('{"a": 1.5, "b": [1, -2, 0.000001], "__proto__": {"x": 3}}'));
    assert.ok(Object.hasOwn(quick.value as object, '__proto__'), '__proto__ is an own key, not the prototype');
    const slow = parseResponseBody('{"a": 1.50, "b": [1, -2, 0.000001]}', 'JSON');
    assert.ok(slow.ok && slow.numberTexts, 'a number written 1.50 takes the read with offsets');
  });
});
