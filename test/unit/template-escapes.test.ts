import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { escapeAt, findIllegalEscapes, LEGAL_ESCAPES } from '../../src/engine/tokens/escapes';
import { isJsonWithTokens, renderText, renderTokens, tokensInsideJsonStrings } from '../../src/engine/tokens/render';
import type { Rendered } from '../../src/engine/tokens/render';
import { scanTokens } from '../../src/engine/tokens/scan';
import type { Token } from '../../src/engine/tokens/scan';

describe('escapeAt', () => {
  test('the eight legal escapes', () => {
    const expected: [string, string][] = [
      ['b', '\b'], ['t', '\t'], ['n', '\n'], ['f', '\f'], ['r', '\r'], ['\\', '\\'], ['"', '"'], ["'", "'"],
    ];
    for (const [letter, out] of expected) {
      assert.deepEqual(escapeAt(`x\\${letter}y`, 1), { out, consumed: 2, legal: true }, `\\${letter}`);
    }
  });

  test('LEGAL_ESCAPES lists exactly those eight', () => {
    assert.deepEqual([...LEGAL_ESCAPES].sort(), ['\\"', "\\'", '\\\\', '\\b', '\\f', '\\n', '\\r', '\\t'].sort());
  });

  test('an illegal escape stays as written', () => {
    assert.deepEqual(escapeAt('\\d', 0), { out: '\\d', consumed: 2, legal: false });
    for (const letter of ['u', '/', '0', 'x', 'a', 'N', ' ', '{']) {
      assert.deepEqual(escapeAt(`\\${letter}`, 0), { out: `\\${letter}`, consumed: 2, legal: false }, `\\${letter}`);
    }
  });

  test('a lone trailing backslash', () => {
    assert.deepEqual(escapeAt('abc\\', 3), { out: '\\', consumed: 1, legal: false });
  });

  test('end bounds the text: a backslash at the bound is lone', () => {
    assert.deepEqual(escapeAt('a\\nb', 1, 2), { out: '\\', consumed: 1, legal: false });
    assert.deepEqual(escapeAt('a\\nb', 1, 3), { out: '\n', consumed: 2, legal: true });
  });
});

describe('findIllegalEscapes', () => {
  test('a template with only legal escapes has no problems', () => {
    assert.deepEqual(findIllegalEscapes('{"a": "line\\nnext\\t\\"q\\" \\\\ \\\' \\b\\f\\r"}'), []);
    assert.deepEqual(findIllegalEscapes('no backslash at all'), []);
    assert.deepEqual(findIllegalEscapes(''), []);
  });

  test('\\d: offsets of the backslash and the letter, and a message saying how to fix it', () => {
    const problems = findIllegalEscapes('{"re": "\\d+"}');
    assert.equal(problems.length, 1);
    const p = problems[0];
    assert.ok(p);
    assert.equal(p.start, 8);
    assert.equal(p.end, 10);
    assert.match(p.message, /Illegal escape `\\d`/);
    assert.ok(p.message.includes('`\\\\d`'), p.message);
    for (const legal of LEGAL_ESCAPES) assert.ok(p.message.includes(legal), `${legal} in ${p.message}`);
  });

  test('a lone trailing backslash', () => {
    const problems = findIllegalEscapes('abc\\');
    assert.equal(problems.length, 1);
    assert.equal(problems[0]?.start, 3);
    assert.equal(problems[0]?.end, 4);
    assert.match(problems[0]?.message ?? '', /lone backslash/);
  });

  test('every illegal escape is found, legal ones in between are skipped', () => {
    // 0:a 1:\ 2:d 3:b 4:\ 5:\ 6:c 7:\ 8:u 9:0 10:0 11:4 12:1 13:\ 14:n 15:\
    const text = 'a\\db\\\\c\\u0041\\n\\';
    const problems = findIllegalEscapes(text);
    assert.deepEqual(problems.map((p) => [p.start, p.end]), [[1, 3], [7, 9], [15, 16]]);
  });

  test('an escaped backslash followed by a letter is legal: \\\\d', () => {
    assert.deepEqual(findIllegalEscapes('\\\\d'), []);
    // three backslashes then d: `\\` then `\d`
    assert.deepEqual(findIllegalEscapes('\\\\\\d').map((p) => [p.start, p.end]), [[2, 4]]);
  });

  test('consecutive illegal escapes', () => {
    assert.deepEqual(findIllegalEscapes('\\x\\y\\z').map((p) => [p.start, p.end]), [[0, 2], [2, 4], [4, 6]]);
  });

  test('\\/ is legal in JSON but not in Marketo', () => {
    assert.deepEqual(findIllegalEscapes('"http:\\/\\/x"').map((p) => [p.start, p.end]), [[6, 8], [8, 10]]);
  });
});

/** Renders with each token replaced by `<name>`. */
function render(input: string, escapes: boolean, valueOf: (t: Token) => string = (t) => `<${t.name}>`): Rendered {
  return renderTokens(input, { escapes, valueOf });
}

describe('renderTokens', () => {
  test('\\n becomes a newline only with escapes', () => {
    assert.equal(render('a\\nb', true).text, 'a\nb');
    assert.equal(render('a\\nb', false).text, 'a\\nb');
  });

  test('all eight escapes with escapes on', () => {
    assert.equal(render('\\b\\t\\n\\f\\r\\\\\\"\\\'', true).text, '\b\t\n\f\r\\"\'');
  });

  test('\\\\n sends backslash-n', () => {
    assert.equal(render('a\\\\nb', true).text, 'a\\nb');
  });

  test('illegal escapes and a lone backslash stay as written', () => {
    assert.equal(render('\\d \\u0041 x\\', true).text, '\\d \\u0041 x\\');
  });

  test('tokens are replaced by valueOf', () => {
    const seen: string[] = [];
    const r = render('Hi {{lead.First Name}} from {{Company.Company Name:default=us}}!', false, (t) => {
      seen.push(`${t.namespace}.${t.name}`);
      return t.name === 'First Name' ? 'Ann' : 'Acme';
    });
    assert.equal(r.text, 'Hi Ann from Acme!');
    assert.deepEqual(seen, ['lead.First Name', 'Company.Company Name']);
  });

  test('a token value is not escape-processed', () => {
    assert.equal(render('x{{lead.A}}y', true, () => 'a\\nb').text, 'xa\\nby');
  });

  test('a backslash just before a token does not eat the token', () => {
    const r = render('x\\{{lead.A}}', true, () => 'V');
    assert.equal(r.text, 'x\\V');
  });

  test('malformed tokens stay as written', () => {
    assert.equal(render('{{lead.First Name', false).text, '{{lead.First Name');
    assert.equal(render('{{nope}} {{lead.A}}', false).text, '{{nope}} <A>');
  });

  test('origin without escapes: the identity on literal text, the {{ for a token', () => {
    const input = '{"first": {{lead.First Name}}}';
    const r = render(input, false, () => '"Ann"');
    assert.equal(r.text, '{"first": "Ann"}');
    assert.equal(r.origin.length, r.text.length);
    assert.deepEqual(r.origin, [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 10, 10, 10, 10, 29]);
    assert.equal(input.slice(r.origin[10], r.origin[10]! + 2), '{{');
  });

  test('origin with escapes: an escape maps to its backslash', () => {
    // 0:a 1:\ 2:n 3:b 4:\ 5:\ 6:c
    const r = render('a\\nb\\\\c', true);
    assert.equal(r.text, 'a\nb\\c');
    assert.deepEqual(r.origin, [0, 1, 3, 4, 6]);
  });

  test('origin for an illegal escape: each character maps to its own source character', () => {
    // 0:a 1:\ 2:d 3:b
    const r = render('a\\db', true);
    assert.equal(r.text, 'a\\db');
    assert.deepEqual(r.origin, [0, 1, 2, 3]);
  });

  test('origin length equals text length, every origin points into the input', () => {
    const inputs = [
      '',
      'plain',
      '{{lead.A}}',
      '{{lead.A}}{{lead.B}}',
      'a\\n{{lead.Email Address}}\\t\\"x\\" \\d \\',
      '{"a": {{lead.A}}, "b": "{{lead.B}}\\n"}',
      '{{{lead.A}}}',
    ];
    for (const input of inputs) {
      for (const escapes of [true, false]) {
        for (const valueOf of [() => '', () => 'x', () => 'longer value \\n']) {
          const r = render(input, escapes, valueOf);
          assert.equal(r.origin.length, r.text.length, `${JSON.stringify(input)} escapes=${escapes}`);
          for (const o of r.origin) assert.ok(o >= 0 && o < input.length, `${o} in ${JSON.stringify(input)}`);
          for (let i = 1; i < r.origin.length; i++) {
            assert.ok((r.origin[i] ?? 0) >= (r.origin[i - 1] ?? 0), `origin not monotonic in ${JSON.stringify(input)}`);
          }
        }
      }
    }
  });

  test("a token's value maps to its {{ even when the value is long or empty", () => {
    const input = 'x {{lead.A}} y {{lead.B}} z';
    const r = render(input, true, (t) => (t.name === 'A' ? 'abcdef' : ''));
    assert.equal(r.text, 'x abcdef y  z');
    assert.deepEqual(r.origin, [0, 1, 2, 2, 2, 2, 2, 2, 12, 13, 14, 25, 26]);
  });

  test('a token inside triple braces: the outer brace stays literal', () => {
    const r = render('{"a":{{{lead.A}}}}', false, () => '1');
    assert.equal(r.text, '{"a":{1}}');
  });
});

describe('tokensInsideJsonStrings', () => {
  function inside(template: string): number[] {
    const { tokens } = scanTokens(template);
    return [...tokensInsideJsonStrings(template, tokens)].sort((a, b) => a - b);
  }

  test('a token in quotes is inside, an unquoted one is not', () => {
    const template = '{"a": "{{lead.X}}", "b": {{lead.Y}}}';
    assert.deepEqual(inside(template), [template.indexOf('{{lead.X}}')]);
    assert.equal(template.indexOf('{{lead.X}}'), 7);
  });

  test('an escaped quote does not end the string', () => {
    const template = '{"a": "say \\"{{lead.X}}\\"", "b": {{lead.Y}}}';
    assert.deepEqual(inside(template), [template.indexOf('{{lead.X}}')]);
  });

  test('an escaped quote does not start a string either', () => {
    const template = '{"a": "x\\"", "b": {{lead.Y}}, "c": "{{lead.Z}}"}';
    assert.deepEqual(inside(template), [template.indexOf('{{lead.Z}}')]);
  });

  test('an escaped backslash before the closing quote ends the string', () => {
    const template = '{"a": "x\\\\", "b": {{lead.Y}}}';
    assert.deepEqual(inside(template), []);
  });

  test('a token mid-string and tokens in keys', () => {
    const template = '{"{{my.Key}}": "Hi {{lead.First Name}}!", "n": {{lead.Lead Score}}}';
    assert.deepEqual(inside(template), [template.indexOf('{{my.Key}}'), template.indexOf('{{lead.First Name}}')]);
  });

  test('a quote inside a token default does not toggle the string state', () => {
    const template = '{"a": {{lead.X:default="}}, "b": "{{lead.Y}}"}';
    const { tokens } = scanTokens(template);
    assert.equal(tokens.length, 2);
    assert.equal(tokens[0]?.defaultValue, '"');
    assert.deepEqual(inside(template), [template.indexOf('{{lead.Y}}')]);
  });

  test('a backslash right before a token inside a string does not lose track of later tokens', () => {
    const template = '{"a": "\\{{lead.X}}", "b": "{{lead.Y}}", "c": {{lead.Z}}}';
    const found = inside(template);
    assert.ok(found.includes(template.indexOf('{{lead.Y}}')), JSON.stringify(found));
    assert.ok(!found.includes(template.indexOf('{{lead.Z}}')), JSON.stringify(found));
  });

  test('no tokens, or not JSON at all', () => {
    assert.deepEqual(inside('{"a": "b"}'), []);
    assert.deepEqual(inside('email={{lead.Email Address}}&x=1'), []);
    assert.deepEqual(inside(''), []);
  });

  test('an unterminated string: every later token counts as inside', () => {
    const template = '{"a": "oops, "b": {{lead.Y}}}';
    assert.deepEqual(inside(template), [template.indexOf('{{lead.Y}}')]);
  });
});

/** A small deterministic generator (mulberry32), so a failure names a seed that reproduces it. */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A JSON-shaped template: objects, arrays, strings, numbers, literals, and tokens as values or keys. */
function jsonTemplate(next: () => number, depth = 0): string {
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(next() * xs.length)] as T;
  const space = () => pick(['', ' ', '\n  ', '\t']);
  const token = () => pick(['{{lead.Email Address}}', '{{my.Key}}', '{{lead.Id}}', '{{Company.City}}']);
  const scalar = () => pick(['"text"', '""', '"a b"', '0', '-1.5e3', '12', 'true', 'false', 'null', token(), token()]);
  if (depth > 3 || next() < 0.3) return scalar();
  const n = Math.floor(next() * 4);
  if (next() < 0.5) {
    const items = Array.from({ length: n }, () => `${space()}${jsonTemplate(next, depth + 1)}${space()}`);
    return `[${items.join(',')}]`;
  }
  const members = Array.from({ length: n }, (_, i) => `${space()}${next() < 0.15 ? token() : `"k${i}"`}${space()}:${space()}${jsonTemplate(next, depth + 1)}`);
  return `{${members.join(',')}${space()}}`;
}

/** A few characters changed: most results are no longer JSON, some still are. */
function mutate(text: string, next: () => number): string {
  const pieces = ['"', ',', ':', '{', '}', '[', ']', ' ', '\\', '0', '01', '-', '.', 'x', '{{lead.City}}', '"{{lead.City}}"', '\u0001', ''];
  let out = text;
  for (let k = 0, n = 1 + Math.floor(next() * 3); k < n; k++) {
    const at = Math.floor(next() * (out.length + 1));
    const cut = next() < 0.5 ? 1 : 0;
    out = out.slice(0, at) + (pieces[Math.floor(next() * pieces.length)] ?? '') + out.slice(at + cut);
  }
  return out;
}

/** What validation would otherwise find out: the body rendered under JSON encoding parses. */
function rendersToJson(template: string): boolean {
  try {
    JSON.parse(renderText(template, { escapes: true, valueOf: () => '"x"' }));
    return true;
  } catch {
    return false;
  }
}

describe('isJsonWithTokens', () => {
  const check = (template: string) => isJsonWithTokens(template, scanTokens(template).tokens);

  test('valid JSON with tokens as values and as keys', () => {
    assert.equal(check('{"email": {{lead.Email Address}}, "n": 1, "l": [true, null, {{my.X}}]}'), true);
    assert.equal(check('{ {{lead.Id}} : "x" }'), true);
    assert.equal(check('{{lead.Id}}'), true);
    assert.equal(check(' [ ] '), true);
    assert.equal(check('{"a":{}}'), true);
  });

  test('not valid: a token inside a string, bad JSON, a backslash, no content', () => {
    for (const t of ['{"a": "{{lead.City}}"}', '{"a": "x{{lead.City}}y"}', '{"a": 1,}', '[1 2]', '{"a" 1}', '{"a": 01}', '{"a": "\\n"}', '', ' ', '{"a": 1}}', '{{lead.Id}}{{lead.Id}}', '1{{lead.Id}}', '{"a": tru}', '{"a": -}', '{"a": 1.}', '{"a": 1e}', '{"a": 1]', '[1}', '{"a": [1}]', '{"a": "b', '"a" "b"', '{{lead.Id}} : 1']) {
      assert.equal(check(t), false, t);
    }
  });

  test('number tokens, written bare: valid as values, never as keys', () => {
    const numbers = (template: string) => isJsonWithTokens(template, scanTokens(template).tokens, (t) => t.name === 'Lead Score');
    assert.equal(numbers('{"s": {{lead.Lead Score}}, "l": [{{lead.Lead Score}}], "e": {{lead.Email Address}}}'), true);
    assert.equal(numbers('{{lead.Lead Score}}'), true);
    assert.equal(numbers('{ {{lead.Lead Score}}: 1}'), false);
    assert.equal(numbers('{"a": 1, {{lead.Lead Score}}: 1}'), false);
    assert.equal(numbers('{ {{lead.Email Address}}: {{lead.Lead Score}} }'), true);
  });

  test('past the nesting limit: not valid, empty arrays and objects counted as jsonNestingExceeds counts them', () => {
    const deep = (template: string, max: number) => isJsonWithTokens(template, scanTokens(template).tokens, undefined, max);
    assert.equal(deep('[[[1]]]', 3), true);
    assert.equal(deep('[[[1]]]', 2), false);
    assert.equal(deep('{"a": [{}]}', 3), true);
    assert.equal(deep('{"a": [{}]}', 2), false);
    assert.equal(deep('[{{lead.Id}}, "[[[["]', 1), true);
  });

  test('with number tokens, never says valid when the body rendered with numbers is not (generated templates)', () => {
    const bare = (t: Token) => t.name === 'Id' || t.name === 'Key';
    let valid = 0;
    for (let seed = 1; seed <= 3000; seed++) {
      const next = random(seed);
      const base = jsonTemplate(next);
      for (const template of [base, mutate(base, next), mutate(mutate(base, next), next)]) {
        if (!isJsonWithTokens(template, scanTokens(template).tokens, bare)) continue;
        valid++;
        let parsed = true;
        try {
          JSON.parse(renderText(template, { escapes: true, valueOf: (t) => (bare(t) ? '-12.5e3' : '"x"') }));
        } catch {
          parsed = false;
        }
        assert.ok(parsed, `seed ${seed}: ${JSON.stringify(template)}`);
      }
    }
    assert.ok(valid > 1000, `only ${valid} valid templates were generated`);
  });

  test('never says valid when the rendered body is not (generated templates)', () => {
    let valid = 0;
    for (let seed = 1; seed <= 3000; seed++) {
      const next = random(seed);
      const base = jsonTemplate(next);
      for (const template of [base, mutate(base, next), mutate(base, next), mutate(mutate(base, next), next)]) {
        const says = check(template);
        if (says) {
          valid++;
          assert.ok(rendersToJson(template), `seed ${seed}: ${JSON.stringify(template)}`);
        } else if (!template.includes('\\') && !tokensInsideJsonStrings(template, scanTokens(template).tokens).size) {
          // Conservative, but not for plain templates: those it must accept whenever they render to JSON.
          assert.ok(!rendersToJson(template), `seed ${seed}, valid but refused: ${JSON.stringify(template)}`);
        }
      }
    }
    assert.ok(valid > 2000, `only ${valid} valid templates were generated`);
  });
});

describe('renderText', () => {
  test('the same text as renderTokens', () => {
    for (const [input, escapes] of [['a\\nb {{lead.X}} \\q', true], ['a\\nb {{lead.X}}', false], ['', true], ['{{a.b}}{{c.d}}', true]] as const) {
      assert.equal(renderText(input, { escapes, valueOf: (t) => `<${t.name}>` }), render(input, escapes).text);
    }
  });
});
