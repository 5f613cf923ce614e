import assert from 'node:assert/strict';
import { test } from 'node:test';
import { readDescribeFile } from '../../src/engine/catalog/describe-file';

test('readDescribeFile: JSONC with a custom field extends the standard catalog', () => {
  const read = readDescribeFile('// pasted\n{ "result": [ { "id": 9001, "displayName": "Tier", "dataType": "string", "rest": { "name": "tier__c" } }, ], }');
  assert.ok(read.ok);
  assert.equal(read.read, 1);
  assert.equal(read.catalog.byRestName('tier__c')?.displayName, 'Tier');
  assert.ok(read.catalog.byRestName('email'), 'the standard fields stay');
});

test('readDescribeFile: a syntax error names its kind, offset and line', () => {
  const read = readDescribeFile('{\n  "result": [\n  }');
  assert.equal(read.ok, false);
  assert.ok(!read.ok);
  assert.equal(read.line, 3);
  assert.equal(read.offset, 18);
  assert.match(read.syntaxError, /^[A-Za-z]+$/);
});
