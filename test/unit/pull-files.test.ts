// What pull writes, shared by `marketo-webhook pull` and the editor's pulls (src/engine/marketo/pull-files.ts).
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { leadKeyFrom, oneEmailAddress, positiveId, pullFileName, pullFileText } from '../../src/engine';

describe('pull files', () => {
  test('default names: contracts §5', () => {
    assert.equal(pullFileName({ what: 'fields' }), 'marketo-fields.json');
    assert.equal(pullFileName({ what: 'tokens', program: 1089 }), 'program-1089.tokens.json');
    assert.equal(pullFileName({ what: 'lead', lead: { id: 318581 } }), 'lead-318581.lead.json');
    assert.equal(pullFileName({ what: 'lead', lead: { email: 'jane.doe@example.com' } }), 'jane.doe.lead.json');
  });

  test('a lead file name stays in its folder whatever the address holds', () => {
    assert.equal(pullFileName({ what: 'lead', lead: { email: '../../etc/passwd@example.com' } }), '_.._etc_passwd.lead.json');
    assert.equal(pullFileName({ what: 'lead', lead: { email: '..@example.com' } }), 'lead.lead.json');
    assert.equal(pullFileName({ what: 'lead', lead: { email: 'a\\b@example.com' } }), 'a_b.lead.json');
  });

  test('the text: Marketo\'s JSON indented, one final newline', () => {
    assert.equal(pullFileText({ a: [1] }), '{\n  "a": [\n    1\n  ]\n}\n');
  });

  test('one typed answer names a lead by email or id, or says why not', () => {
    assert.deepEqual(leadKeyFrom(' jane@example.com '), { email: 'jane@example.com' });
    assert.deepEqual(leadKeyFrom('318581'), { id: 318581 });
    assert.ok('problem' in leadKeyFrom('a@b.c,d@e.f'));
    assert.ok('problem' in leadKeyFrom('0'));
    assert.ok('problem' in leadKeyFrom('12.5'));
    assert.ok('problem' in leadKeyFrom('99999999999999999999'));
    assert.equal(oneEmailAddress('two words@x.y'), undefined);
    assert.equal(positiveId(' 7 '), 7);
    assert.equal(positiveId('-7'), undefined);
  });
});
