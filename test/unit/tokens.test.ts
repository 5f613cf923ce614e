import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { scanTokens } from '../../src/engine/tokens/scan';
import { namespaceOf, normalizeTokenKey, systemTokenValue } from '../../src/engine/tokens/namespaces';

describe('scanTokens', () => {
  it('finds tokens with names, defaults and exact offsets', () => {
    const text = 'Hi {{lead.First Name:default=Friend}}, from {{my.Sender}}';
    const { tokens, problems } = scanTokens(text);
    assert.deepEqual(problems, []);
    assert.equal(tokens.length, 2);
    const [a, b] = tokens;
    assert.equal(text.slice(a!.start, a!.end), '{{lead.First Name:default=Friend}}');
    assert.equal(a!.namespace, 'lead');
    assert.equal(a!.name, 'First Name');
    assert.equal(text.slice(a!.nameStart, a!.nameEnd), 'First Name');
    assert.equal(a!.defaultValue, 'Friend');
    assert.equal(b!.namespace, 'my');
    assert.equal(b!.name, 'Sender');
    assert.equal(b!.defaultValue, undefined);
  });

  it('keeps an empty default', () => {
    assert.equal(scanTokens('{{lead.City:default=}}').tokens[0]?.defaultValue, '');
  });

  it('takes the innermost braces in {{{ and ignores closing }} of JSON objects', () => {
    const text = '{"a":{"b":{{{lead.City}}}}}';
    const { tokens, problems } = scanTokens(text);
    assert.deepEqual(problems, []);
    assert.equal(tokens.length, 1);
    assert.equal(text.slice(tokens[0]!.start, tokens[0]!.end), '{{lead.City}}');
  });

  it('reports an unclosed token up to the end of its line', () => {
    const text = 'a {{lead.City\nnext line}}';
    const { tokens, problems } = scanTokens(text);
    assert.equal(tokens.length, 0);
    assert.equal(problems.length, 1);
    assert.equal(problems[0]!.code, 'token-unclosed');
    assert.equal(text.slice(problems[0]!.start, problems[0]!.end), '{{lead.City');
  });

  it('reports a token opened again before it closes, and still finds the next one', () => {
    const text = '{{lead.City {{lead.State}}';
    const { tokens, problems } = scanTokens(text);
    assert.equal(problems[0]?.code, 'token-unclosed');
    assert.equal(text.slice(problems[0].start, problems[0].end), '{{lead.City ');
    assert.equal(tokens[0]?.name, 'State');
  });

  it('reports a single closing brace as unclosed', () => {
    assert.equal(scanTokens('{{lead.City}').problems[0]?.code, 'token-unclosed');
  });

  it('repairs a default written without :default', () => {
    const { problems } = scanTokens('{{lead.Company=edit me}}');
    assert.equal(problems[0]?.code, 'token-default-syntax');
    assert.equal(problems[0]?.replacement, '{{lead.Company:default=edit me}}');
  });

  it('reports empty, namespace-less and name-less tokens as malformed', () => {
    for (const t of ['{{}}', '{{FirstName}}', '{{lead.}}', '{{ lead.City}}', '{{lead. City}}']) {
      const { problems, tokens } = scanTokens(t);
      assert.equal(tokens.length, 0, t);
      assert.equal(problems[0]?.code, 'token-malformed', t);
    }
  });

  it('offers a repair for spaces around a name', () => {
    assert.equal(scanTokens('{{lead.City }}').problems[0]?.replacement, '{{lead.City}}');
  });

  it('reads the common shape and each of its edges as the general rules do', () => {
    // The common `{{letters.Name}}` is read in one pass; every case next to it must come out as
    // the general path reads it: a token (namespace, name, default) or a problem (by code).
    const cases: [string, string | { namespace: string; name: string; defaultValue?: string }][] = [
      ['{{lead.First Name}}', { namespace: 'lead', name: 'First Name' }],
      ['{{Lead.First Name}}', { namespace: 'Lead', name: 'First Name' }],
      ['{{LEAD.x}}', { namespace: 'LEAD', name: 'x' }],
      ['{{lead.a.b}}', { namespace: 'lead', name: 'a.b' }],
      ['{{lead.x}', 'token-unclosed'],
      ['{{lead.x}y}}', 'token-unclosed'],
      ['{{lead.x{y}}', 'token-unclosed'],
      ['{{lead.x\ny}}', 'token-unclosed'],
      ['{{lead.City }}', 'token-malformed'],
      ['{{lead. City}}', 'token-malformed'],
      ['{{lead.}}', 'token-malformed'],
      ['{{.City}}', 'token-malformed'],
      ['{{le ad.City}}', 'token-malformed'],
      ['{{lead.City=x}}', 'token-default-syntax'],
      ['{{lead.City:default=x}}', { namespace: 'lead', name: 'City', defaultValue: 'x' }],
      ['{{lead.City:DEFAULT=x}}', { namespace: 'lead', name: 'City', defaultValue: 'x' }],
      ['{{lead.Émile}}', { namespace: 'lead', name: 'Émile' }],
      ['{{lead.Name\u00a0}}', 'token-malformed'],
      ['{{lead2.x}}', { namespace: 'lead2', name: 'x' }],
      ['{{l_d.x}}', { namespace: 'l_d', name: 'x' }],
      ['{{lead.x"y}}', { namespace: 'lead', name: 'x"y' }],
    ];
    for (const [written, expected] of cases) {
      const text = written;
      const { tokens, problems } = scanTokens(`<${text}>`);
      if (typeof expected === 'string') {
        assert.equal(tokens.length, 0, written);
        assert.equal(problems[0]?.code, expected, written);
        continue;
      }
      assert.deepEqual(problems, [], written);
      const token = tokens[0]!;
      assert.deepEqual({ namespace: token.namespace, name: token.name, ...(token.defaultValue !== undefined ? { defaultValue: token.defaultValue } : {}) }, expected, written);
      assert.deepEqual([token.start, token.end], [1, text.length + 1], written);
      assert.equal(`<${text}>`.slice(token.nameStart, token.nameEnd), token.name, written);
    }
  });

  it('is fast and safe on a large text full of braces', () => {
    const text = '{{'.repeat(50_000) + '}}'.repeat(50_000);
    const { problems } = scanTokens(text);
    assert.ok(problems.length > 0);
  });
});

describe('namespaces', () => {
  it('matches namespaces without regard to case', () => {
    assert.equal(namespaceOf('Lead')?.id, 'lead');
    assert.equal(namespaceOf('company')?.id, 'Company');
    assert.equal(namespaceOf('SYSTEM')?.id, 'system');
    assert.equal(namespaceOf('leads'), undefined);
  });

  it('normalizes token keys for test.tokens lookups', () => {
    assert.equal(normalizeTokenKey('My.API Key'), normalizeTokenKey('my.API Key'));
    assert.equal(normalizeTokenKey('company.Company Name'), 'company.company name');
  });
});

describe('system tokens', () => {
  const at = new Date(Date.UTC(2013, 7, 8, 23, 36, 13));
  it('formats dateTime, date and time as Marketo documents them', () => {
    assert.equal(systemTokenValue('dateTime', at, -420), '2013-08-08 16:36:13');
    assert.equal(systemTokenValue('date', at, -420), 'Aug 08, 2013');
    assert.equal(systemTokenValue('time', at, -420), '04:36 PM (GMT -0700)');
  });

  it('formats midnight and positive offsets', () => {
    const midnight = new Date(Date.UTC(2024, 0, 1, 0, 5, 0));
    assert.equal(systemTokenValue('time', midnight, 0), '12:05 AM (GMT +0000)');
    assert.equal(systemTokenValue('time', midnight, 330), '05:35 AM (GMT +0530)');
  });

  it('knows no other system tokens', () => {
    assert.equal(systemTokenValue('unsubscribeLink', at, 0), undefined);
  });
});

describe('scanTokens: unbalanced braces in JSON bodies', () => {
  it('does not take a later }} of a JSON body as the end of a token', () => {
    const text = '{"a": {{lead.First Name}, "b": {"c": 1}}';
    const { tokens, problems } = scanTokens(text);
    assert.equal(tokens.length, 0);
    assert.equal(problems.length, 1);
    assert.equal(problems[0]!.code, 'token-unclosed');
    assert.equal(text.slice(problems[0]!.start, problems[0]!.end), '{{lead.First Name}');
    assert.equal(problems[0]!.replacement, '{{lead.First Name}}');
  });

  it('reports a token opened with one brace', () => {
    const text = 'a={lead.First Name}}&b=1';
    const { problems } = scanTokens(text);
    assert.equal(problems.length, 1);
    assert.equal(problems[0]!.code, 'token-malformed');
    assert.equal(text.slice(problems[0]!.start, problems[0]!.end), '{lead.First Name}}');
    assert.equal(problems[0]!.replacement, '{{lead.First Name}}');
  });

  it('leaves JSON objects that merely end in }} alone', () => {
    assert.deepEqual(scanTokens('{"a": {"b": 1}}').problems, []);
    assert.deepEqual(scanTokens('{"a": {note.x}}').problems, []);
  });
});
