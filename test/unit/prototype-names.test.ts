// Names that an object inherits from Object.prototype (`constructor`, `toString`, `__proto__`) are
// not keys of the tables they are looked up in: a definition, a response or an entity written
// with one of them is read like any other unknown name.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { definitionOutline, UNKNOWN_KEY } from '../../src/engine/definition/outline';
import { parseResponseBody } from '../../src/engine/http/response-body';
import { validateDefinition } from '../../src/engine/validate/validate';

const INHERITED = ['constructor', 'toString', 'hasOwnProperty', '__proto__', 'valueOf'];

describe('names inherited from Object.prototype', () => {
  for (const name of INHERITED) {
    it(`"${name}" is an unknown key of a definition, of "test" and of a mapping`, () => {
      const text = `{ "name": "x", "url": "https://a.example/", "${name}": 1, "test": { "${name}": 2 },
        "responseType": "JSON", "responseMappings": [ { "responseAttribute": "a", "marketoField": "Company", "${name}": 3 } ] }`;
      const unknown = validateDefinition(text).diagnostics.filter((d) => d.code === 'unknown-key');
      assert.deepEqual(unknown.map((d) => d.message.match(/^Unknown key "([^"]*)"/)?.[1]), [name, name, name]);
      assert.deepEqual(unknown.map((d) => d.range.start.line), [0, 0, 1]);
    });

    it(`"${name}" is shown as an unknown key in the outline`, () => {
      const [webhook] = definitionOutline(`{ "name": "x", "${name}": 1, "test": { "${name}": 2 } }`);
      const top = webhook?.children?.find((s) => s.name === name);
      const inTest = webhook?.children?.find((s) => s.name === 'test')?.children?.find((s) => s.name === name);
      assert.equal(top?.detail, UNKNOWN_KEY);
      assert.equal(inTest?.detail, UNKNOWN_KEY);
    });
  }

  it('an XML entity named like an inherited name is not decoded into the text of a function', () => {
    const parsed = parseResponseBody('<a><b>x&constructor;y</b><c>&toString;</c></a>', 'XML');
    const text = JSON.stringify(parsed);
    assert.doesNotMatch(text, /native code|function/);
  });
});
