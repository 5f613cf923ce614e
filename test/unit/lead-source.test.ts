import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { isAbsolutePath, sampleLeadSource } from '../../src/engine/catalog/lead-source';

describe('sampleLeadSource: which sample lead a run uses', () => {
  test('the caller\'s lead wins over test.lead and the setting, and is taken as resolved', () => {
    assert.deepEqual(sampleLeadSource({ caller: 'rel/ada.lead.json', testLead: 'x.lead.json', setting: 'y.lead.json' }), { namedBy: 'caller', path: 'rel/ada.lead.json', relativeTo: undefined });
    assert.deepEqual(sampleLeadSource({ caller: { email: 'a@b.c' }, testLead: 'x.lead.json' }), { namedBy: 'caller', inline: { email: 'a@b.c' } });
  });

  test('test.lead wins over the setting; a relative path is relative to the definition', () => {
    assert.deepEqual(sampleLeadSource({ testLead: 'leads/ada.lead.json', setting: 'y.lead.json' }), { namedBy: 'test.lead', path: 'leads/ada.lead.json', relativeTo: 'definition' });
    assert.deepEqual(sampleLeadSource({ testLead: '/srv/ada.lead.json' }), { namedBy: 'test.lead', path: '/srv/ada.lead.json', relativeTo: undefined });
    assert.deepEqual(sampleLeadSource({ testLead: { firstName: 'Ada' } }), { namedBy: 'test.lead', inline: { firstName: 'Ada' } });
  });

  test('an empty test.lead is still the definition\'s choice (the run says it cannot be read)', () => {
    assert.equal(sampleLeadSource({ testLead: '', setting: 'y.lead.json' })?.namedBy, 'test.lead');
  });

  test('the setting, trimmed, relative to the workspace folder; blank is none', () => {
    assert.deepEqual(sampleLeadSource({ setting: '  leads/grace.lead.json ' }), { namedBy: 'setting', path: 'leads/grace.lead.json', relativeTo: 'workspace' });
    assert.deepEqual(sampleLeadSource({ setting: 'C:\\leads\\grace.lead.json' }), { namedBy: 'setting', path: 'C:\\leads\\grace.lead.json', relativeTo: undefined });
    assert.equal(sampleLeadSource({ setting: '   ' }), undefined);
    assert.equal(sampleLeadSource({}), undefined);
  });

  test('isAbsolutePath knows POSIX, drive and UNC paths', () => {
    for (const p of ['/a', 'C:\\a', 'c:/a', '\\\\server\\share']) assert.ok(isAbsolutePath(p), p);
    for (const p of ['a', './a', '../a', 'C:a', '']) assert.ok(!isAbsolutePath(p), p);
  });
});
