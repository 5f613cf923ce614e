// errorReport decides most answers (every successful run) with the native JSON parser, and leaves
// the rest to a syntax tree. The shortcut must never change what is reported: here it is compared
// with the tree alone (the code before the shortcut, kept below as the reference) over thousands
// of generated bodies made of the keys and values it looks at, repeated keys, escaped keys, case
// variants and invalid JSON.
import assert from 'node:assert/strict';
import { parseTree, type Node } from 'jsonc-parser';
import { test } from 'node:test';
import { parseResponseBody } from '../../src/engine/http/response-body';
import { errorReport } from '../../src/engine/outcome/answer-advice';

/** The tree-only reading, as answer-advice.ts had it before the shortcut. */
function reference(body: string): string | undefined {
  if (body.trimStart().charAt(0) !== '{') return undefined;
  const root = parseTree(body, [], { disallowComments: true });
  if (root?.type !== 'object') return undefined;
  for (const property of root.children ?? []) {
    const [keyNode, valueNode] = property.children ?? [];
    if (!keyNode || !valueNode) continue;
    const key = String(keyNode.value).toLowerCase();
    const pair = (): string => body.slice(keyNode.offset, valueNode.offset + valueNode.length);
    const keyOnly = (): string => body.slice(keyNode.offset, valueNode.offset).trimEnd();
    if (key === 'success' && valueNode.type === 'boolean' && valueNode.value === false) return pair();
    if (key === 'status' && valueNode.type === 'string' && /^(error|failed|failure|fail)$/i.test(String(valueNode.value))) return pair();
    if ((key === 'error' || key === 'errors') && holdsSomething(valueNode)) {
      return valueNode.type === 'string' && valueNode.length <= 60 ? pair() : keyOnly();
    }
  }
  return undefined;
}

function holdsSomething(node: Node): boolean {
  switch (node.type) {
    case 'null': return false;
    case 'boolean': return node.value === true;
    case 'string': return node.value !== '';
    case 'array':
    case 'object': return (node.children ?? []).length > 0;
    default: return true;
  }
}

const KEYS = ['"success"', '"Success"', '"status"', '"STATUS"', '"error"', '"errors"', '"Error"', '"company"', '"st\\u0061tus"', '"__proto__"', '"message"'];
const VALUES = ['false', 'true', '"ok"', '"error"', '"Failed"', '""', 'null', '0', '[]', '[1]', '{}', '{"a": 1}', '{"a": 1, "a": 2}', '"\\"status\\": \\"error\\""', '"a long message that runs past the sixty characters of a snippet, surely"', '{"status": "error"}'];

test('the shortcut reports exactly what the syntax tree alone reports, with or without the mappings\' reading', () => {
  let seed = 13;
  const random = (n: number): number => {
    seed = (seed * 1103515245 + 12345) % 2 ** 31;
    return seed % n;
  };
  let reported = 0;
  for (let i = 0; i < 20_000; i++) {
    const properties = Array.from({ length: 1 + random(4) }, () => `${KEYS[random(KEYS.length)]}:${[' ', '', '\n  '][random(3)]}${VALUES[random(VALUES.length)]}`);
    let body = `{${properties.join(random(2) ? ', ' : ',\n')}}`;
    if (random(20) === 0) body = body.replace(/}$/, ',}'); // invalid: a trailing comma
    if (random(20) === 0) body = `  \n${body}\n`;
    if (random(30) === 0) body = `\uFEFF${body}`;
    if (random(10) === 0) body = body.replace('0', '12345678901234567891'); // a number read with its digits
    const want = reference(body);
    if (want !== undefined) reported++;
    assert.equal(errorReport(body), want, body);
    // A run hands over the value its mappings read (no second parse): the same answer.
    const read = parseResponseBody(body, 'JSON');
    if (read.ok) assert.equal(errorReport(body, { value: read.value }), want, `${body} (with the mappings' reading)`);
  }
  assert.ok(reported > 1000 && reported < 19_000, `both outcomes are exercised (${reported} reported)`);
});
