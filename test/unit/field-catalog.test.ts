import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  catalogFromDescribe,
  FieldCatalog,
  parseDescribeResponse,
  STANDARD_CATALOG,
} from '../../src/engine/catalog/field-catalog';
import type { LeadField } from '../../src/engine/catalog/field-catalog';
import { STANDARD_LEAD_FIELDS } from '../../src/engine/catalog/standard-fields';

// A real Describe Lead response (91 standard fields, 9 custom test fields), copied from
// ../shared/reference so the tests never read outside the project.
const DESCRIBE_PATH = join(process.cwd(), 'test', 'fixtures', 'marketo-lead-describe.json');
const DESCRIBE: unknown = JSON.parse(readFileSync(DESCRIBE_PATH, 'utf8'));
const CUSTOM_TEST_FIELDS = [
  'textarea_field', 'boolean_field', 'email_field', 'integer_field', 'float_field',
  'datetime_field', 'score_field', 'percent_field', 'currency_field',
];

function describeResult(): Record<string, unknown>[] {
  return (DESCRIBE as { result: Record<string, unknown>[] }).result;
}

function must<T>(value: T | undefined, what: string): T {
  assert.ok(value !== undefined, `expected ${what}`);
  return value;
}

describe('standard fields', () => {
  test('there are 91 standard fields, one entry per REST name, display name and id', () => {
    assert.equal(STANDARD_LEAD_FIELDS.length, 91);
    assert.equal(STANDARD_CATALOG.fields.length, 91);
    assert.equal(new Set(STANDARD_LEAD_FIELDS.map((f) => f.restName.toLowerCase())).size, 91);
    assert.equal(new Set(STANDARD_LEAD_FIELDS.map((f) => f.displayName.toLowerCase())).size, 91);
    assert.equal(new Set(STANDARD_LEAD_FIELDS.map((f) => f.id)).size, 91);
  });

  test('no standard field is marked custom', () => {
    assert.deepEqual(STANDARD_LEAD_FIELDS.filter((f) => f.custom), []);
  });

  test('the standard fields are exactly the non-custom fields of the reference response, in order', () => {
    const expected = describeResult().filter((f) => !CUSTOM_TEST_FIELDS.includes((f.rest as { name: string }).name));
    assert.equal(expected.length, 91);
    assert.deepEqual(STANDARD_LEAD_FIELDS.map((f) => f.restName), expected.map((f) => (f.rest as { name: string }).name));
    assert.deepEqual(STANDARD_LEAD_FIELDS.map((f) => f.displayName), expected.map((f) => f.displayName));
    assert.deepEqual(STANDARD_LEAD_FIELDS.map((f) => f.soapName), expected.map((f) => (f.soap as { name: string } | undefined)?.name));
    assert.deepEqual(STANDARD_LEAD_FIELDS.map((f) => f.dataType), expected.map((f) => f.dataType));
  });

  test('well-known fields carry their three names, type and length', () => {
    assert.deepEqual(STANDARD_CATALOG.byRestName('email'), {
      id: 56, displayName: 'Email Address', restName: 'email', soapName: 'Email', dataType: 'email', length: 255,
    });
    assert.deepEqual(STANDARD_CATALOG.byRestName('firstName'), {
      id: 53, displayName: 'First Name', restName: 'firstName', soapName: 'FirstName', dataType: 'string', length: 255,
    });
    assert.deepEqual(STANDARD_CATALOG.byRestName('numberOfEmployees'), {
      id: 16, displayName: 'Num Employees', restName: 'numberOfEmployees', soapName: 'NumberOfEmployees', dataType: 'integer',
    });
  });

  test('read-only fields are marked, writable ones are not', () => {
    assert.equal(must(STANDARD_CATALOG.byRestName('mktoName'), 'mktoName').readOnly, true);
    assert.equal(must(STANDARD_CATALOG.byRestName('createdAt'), 'createdAt').readOnly, true);
    assert.equal(must(STANDARD_CATALOG.byRestName('firstName'), 'firstName').readOnly, undefined);
  });
});

describe('lookups', () => {
  const first = must(STANDARD_CATALOG.byRestName('firstName'), 'firstName');

  test('by display name: case-insensitive and trimmed', () => {
    assert.equal(STANDARD_CATALOG.byDisplayName('First Name'), first);
    assert.equal(STANDARD_CATALOG.byDisplayName('first name'), first);
    assert.equal(STANDARD_CATALOG.byDisplayName('FIRST NAME'), first);
    assert.equal(STANDARD_CATALOG.byDisplayName('  First Name\t'), first);
  });

  test('by display name: other spellings are not display names', () => {
    assert.equal(STANDARD_CATALOG.byDisplayName('FirstName'), undefined);
    assert.equal(STANDARD_CATALOG.byDisplayName('firstName'), undefined);
    assert.equal(STANDARD_CATALOG.byDisplayName('First  Name'), undefined);
    assert.equal(STANDARD_CATALOG.byDisplayName('Email'), undefined);
    assert.equal(STANDARD_CATALOG.byDisplayName(''), undefined);
  });

  test('lookups give the same answers when asked again, and past the remembered names', () => {
    const catalog = new FieldCatalog(STANDARD_CATALOG.fields);
    for (let round = 0; round < 2; round++) {
      assert.equal(catalog.byDisplayName(' first NAME '), catalog.byRestName('firstName'));
      assert.equal(catalog.byAnyName('FirstName')?.restName, 'firstName');
      assert.equal(catalog.byAnyName('nope'), undefined);
      assert.equal(catalog.byDisplayName('nope'), undefined);
    }
    // Far more names than are remembered: the answers stay right as the memory is emptied.
    for (let i = 0; i < 5_000; i++) assert.equal(catalog.byAnyName(`unknown ${i}`), undefined);
    assert.equal(catalog.byAnyName('email')?.displayName, 'Email Address');
    assert.equal(catalog.byDisplayName('Email Address')?.restName, 'email');
  });

  test('by REST name', () => {
    assert.equal(STANDARD_CATALOG.byRestName('firstName'), first);
    assert.equal(STANDARD_CATALOG.byRestName('email')?.displayName, 'Email Address');
    assert.equal(STANDARD_CATALOG.byRestName('title')?.displayName, 'Job Title');
    assert.equal(STANDARD_CATALOG.byRestName('First Name'), undefined);
    assert.equal(STANDARD_CATALOG.byRestName('nope'), undefined);
  });

  test('by SOAP name, exact: the spelling a response mapping must use', () => {
    assert.equal(STANDARD_CATALOG.bySoapNameExact('FirstName'), first);
    assert.equal(STANDARD_CATALOG.bySoapNameExact('firstname'), undefined);
    assert.equal(STANDARD_CATALOG.bySoapNameExact('FIRSTNAME'), undefined);
    assert.equal(STANDARD_CATALOG.bySoapNameExact('firstName'), undefined);
    assert.equal(STANDARD_CATALOG.bySoapNameExact('First Name'), undefined);
    // SOAP names with spaces exist and are exact too.
    assert.equal(STANDARD_CATALOG.bySoapNameExact('Lead Partition ID')?.restName, 'leadPartitionId');
    assert.equal(STANDARD_CATALOG.bySoapNameExact('Lead Partition Id'), undefined);
    // `Date of Birth` has the SOAP name `DateofBirth` (lower-case o).
    assert.equal(STANDARD_CATALOG.bySoapNameExact('DateofBirth')?.restName, 'dateOfBirth');
    assert.equal(STANDARD_CATALOG.bySoapNameExact('DateOfBirth'), undefined);
  });

  test('by SOAP name, case-insensitive: for suggestions', () => {
    assert.equal(STANDARD_CATALOG.bySoapName('FirstName'), first);
    assert.equal(STANDARD_CATALOG.bySoapName('firstname'), first);
    assert.equal(STANDARD_CATALOG.bySoapName('DateOfBirth')?.restName, 'dateOfBirth');
    assert.equal(STANDARD_CATALOG.bySoapName('First Name'), undefined);
  });

  test('fields without a SOAP name are not found by SOAP name', () => {
    const fullName = must(STANDARD_CATALOG.byDisplayName('Full Name'), 'Full Name');
    assert.equal(fullName.soapName, undefined);
    assert.equal(STANDARD_CATALOG.bySoapName('mktoName'), undefined);
    assert.equal(STANDARD_CATALOG.bySoapName('Full Name'), undefined);
    assert.equal(STANDARD_CATALOG.bySoapName(''), undefined);
    assert.equal(STANDARD_CATALOG.bySoapNameExact(''), undefined);
  });

  test('byAnyName: REST, SOAP and display names all resolve to the same field', () => {
    for (const name of ['firstName', 'FirstName', 'First Name', 'first name', ' First Name ']) {
      assert.equal(STANDARD_CATALOG.byAnyName(name), first, name);
    }
    const email = must(STANDARD_CATALOG.byRestName('email'), 'email');
    for (const name of ['email', 'Email', 'Email Address']) assert.equal(STANDARD_CATALOG.byAnyName(name), email, name);
    const title = must(STANDARD_CATALOG.byRestName('title'), 'title');
    for (const name of ['title', 'Title', 'Job Title']) assert.equal(STANDARD_CATALOG.byAnyName(name), title, name);
    assert.equal(STANDARD_CATALOG.byAnyName('Lead Owner Email Address'), undefined);
    assert.equal(STANDARD_CATALOG.byAnyName('Favorite Color'), undefined);
  });

  test('every name of every standard field resolves back to that field, never to another', () => {
    for (const f of STANDARD_CATALOG.fields) {
      assert.equal(STANDARD_CATALOG.byAnyName(f.restName), f, f.restName);
      assert.equal(STANDARD_CATALOG.byAnyName(f.displayName), f, f.displayName);
      assert.equal(STANDARD_CATALOG.byDisplayName(f.displayName), f, f.displayName);
      assert.equal(STANDARD_CATALOG.byRestName(f.restName), f, f.restName);
      if (f.soapName) {
        assert.equal(STANDARD_CATALOG.byAnyName(f.soapName), f, f.soapName);
        assert.equal(STANDARD_CATALOG.bySoapNameExact(f.soapName), f, f.soapName);
      }
    }
  });

  test('names of Object.prototype are not fields', () => {
    for (const name of ['constructor', 'toString', '__proto__', 'hasOwnProperty']) {
      assert.equal(STANDARD_CATALOG.byAnyName(name), undefined, name);
      assert.equal(STANDARD_CATALOG.bySoapNameExact(name), undefined, name);
    }
  });

  test('displayNames() lists every field once, in catalog order', () => {
    const names = STANDARD_CATALOG.displayNames();
    assert.equal(names.length, 91);
    assert.equal(names[0], 'Company Name');
    assert.equal(names[names.length - 1], 'ECIDs');
    assert.ok(names.includes('Full Name'));
  });

  test('soapNames() leaves out fields without a SOAP name', () => {
    const soap = STANDARD_CATALOG.soapNames();
    assert.equal(soap.length, 62);
    assert.equal(soap.length, STANDARD_CATALOG.fields.filter((f) => f.soapName).length);
    assert.ok(!soap.includes('Full Name'));
    assert.ok(!soap.includes('mktoName'));
    assert.ok(!soap.some((n) => n === undefined || n === ''));
    assert.ok(soap.includes('FirstName'));
    assert.ok(soap.includes('Lead Partition ID'));
  });
});

describe('parseDescribeResponse', () => {
  test('the real Describe Lead response: 100 fields, no errors', () => {
    const { fields, errors } = parseDescribeResponse(DESCRIBE);
    assert.deepEqual(errors, []);
    assert.equal(fields.length, 100);
    assert.deepEqual(fields.find((f) => f.restName === 'percent_field'), {
      id: 802, displayName: 'percent_field', restName: 'percent_field', soapName: 'percent_field', dataType: 'percent',
    });
    assert.deepEqual(fields.find((f) => f.restName === 'email_field'), {
      id: 797, displayName: 'email_field', restName: 'email_field', soapName: 'email_field', dataType: 'email', length: 255,
    });
    // read-only from the REST side only
    assert.equal(fields.find((f) => f.restName === 'ecids')?.readOnly, true);
    // parse itself never marks custom: that is catalogFromDescribe's business
    assert.ok(fields.every((f) => f.custom === undefined));
  });

  test('the bare result array is accepted', () => {
    const { fields, errors } = parseDescribeResponse(describeResult());
    assert.deepEqual(errors, []);
    assert.equal(fields.length, 100);
  });

  test('an empty result is read without errors', () => {
    assert.deepEqual(parseDescribeResponse({ success: true, result: [] }), { fields: [], errors: [] });
    assert.deepEqual(parseDescribeResponse([]), { fields: [], errors: [] });
  });

  test('garbage inputs give an error, never a throw', () => {
    for (const value of [null, undefined, 42, 'text', true, {}, { result: 'x' }, { result: { a: 1 } }, { result: null }]) {
      const r = parseDescribeResponse(value);
      assert.deepEqual(r.fields, [], JSON.stringify(value));
      assert.equal(r.errors.length, 1, JSON.stringify(value));
      assert.match(r.errors[0] ?? '', /not a Describe Lead response/, JSON.stringify(value));
    }
  });

  test('entries that are not fields are skipped and counted', () => {
    const good = { displayName: 'Good', dataType: 'string', rest: { name: 'good' } };
    const r = parseDescribeResponse({
      result: [
        good,
        { displayName: 'No Rest', dataType: 'string' },
        { displayName: 'Rest Without Name', dataType: 'string', rest: {} },
        { displayName: 'Rest Name Not String', dataType: 'string', rest: { name: 7 } },
        { displayName: 'Rest Is String', dataType: 'string', rest: 'x' },
        { dataType: 'string', rest: { name: 'noDisplay' } },
        { displayName: 'No Type', rest: { name: 'noType' } },
        null,
        42,
        'field',
        [good],
      ],
    });
    assert.deepEqual(r.fields, [{ displayName: 'Good', restName: 'good', dataType: 'string' }]);
    assert.equal(r.errors.length, 1);
    assert.match(r.errors[0] ?? '', /^10 entries are not lead fields and were skipped$/);
  });

  test('one skipped entry is counted as one', () => {
    const r = parseDescribeResponse([{ displayName: 'X' }]);
    assert.deepEqual(r.fields, []);
    assert.equal(r.errors.length, 1);
    assert.match(r.errors[0] ?? '', /^1 entry /);
  });

  test('optional parts of an entry: id, soap, length, read-only', () => {
    const { fields } = parseDescribeResponse([
      { id: '7', displayName: 'A', dataType: 'string', length: '10', rest: { name: 'a' }, soap: { name: 5 } },
      { id: 8, displayName: 'B', dataType: 'string', length: 10, rest: { name: 'b', readOnly: false }, soap: { name: 'B', readOnly: true } },
      { displayName: 'C', dataType: 'string', rest: { name: 'c', readOnly: 'yes' }, soap: null },
    ]);
    assert.deepEqual(fields, [
      { displayName: 'A', restName: 'a', dataType: 'string' },
      { id: 8, displayName: 'B', restName: 'b', dataType: 'string', soapName: 'B', length: 10, readOnly: true },
      { displayName: 'C', restName: 'c', dataType: 'string' },
    ]);
  });

  test('success:false is noted even when fields are present', () => {
    const r = parseDescribeResponse({ success: false, result: [{ displayName: 'A', dataType: 'string', rest: { name: 'a' } }] });
    assert.equal(r.fields.length, 1);
    assert.ok(r.errors.some((e) => /success: false/.test(e)), JSON.stringify(r.errors));
  });

  test('success:false is noted for a Marketo error response, which has no result', () => {
    // What Marketo actually returns when the call fails.
    const r = parseDescribeResponse({ requestId: 'e42b#14272d07d78', success: false, errors: [{ code: '601', message: 'Access token invalid' }] });
    assert.deepEqual(r.fields, []);
    assert.ok(r.errors.length >= 1);
    assert.ok(r.errors.some((e) => /success: false/.test(e)), JSON.stringify(r.errors));
  });

  test('success:true and a missing success are not noted', () => {
    assert.deepEqual(parseDescribeResponse({ success: true, result: [] }).errors, []);
    assert.deepEqual(parseDescribeResponse({ result: [] }).errors, []);
  });
});

describe('catalogFromDescribe', () => {
  test('the real response: custom fields get custom: true, standard ones do not', () => {
    const { catalog, errors } = catalogFromDescribe(DESCRIBE);
    assert.deepEqual(errors, []);
    for (const rest of CUSTOM_TEST_FIELDS) {
      const f = must(catalog.byRestName(rest), rest);
      assert.equal(f.custom, true, rest);
      assert.equal(catalog.byDisplayName(rest), f, rest);
      assert.equal(catalog.bySoapNameExact(rest), f, rest);
    }
    for (const std of STANDARD_LEAD_FIELDS) {
      assert.notEqual(must(catalog.byRestName(std.restName), std.restName).custom, true, std.restName);
    }
    assert.equal(catalog.byDisplayName('First Name')?.restName, 'firstName');
    assert.equal(catalog.bySoapNameExact('currency_field')?.dataType, 'currency');
  });

  test('the real response: the catalog holds each of its 100 fields once', () => {
    const { catalog } = catalogFromDescribe(DESCRIBE);
    assert.equal(catalog.fields.filter((f) => f.custom).length, 9);
    // Built-in catalog plus the fields it does not have: 91 + 9.
    assert.equal(catalog.fields.length, 100);
    const names = catalog.displayNames();
    assert.equal(new Set(names).size, names.length, 'display names are listed once each');
    const soap = catalog.soapNames();
    assert.equal(new Set(soap).size, soap.length, 'SOAP names are listed once each');
  });

  test('the base catalog is not changed', () => {
    catalogFromDescribe(DESCRIBE);
    assert.equal(STANDARD_CATALOG.fields.length, 91);
    assert.equal(STANDARD_CATALOG.byRestName('currency_field'), undefined);
    assert.equal(STANDARD_CATALOG.fields.filter((f) => f.custom).length, 0);
  });

  test('a user field overriding a built-in one wins in lookups and is not custom', () => {
    const { catalog } = catalogFromDescribe({
      result: [{ id: 53, displayName: 'First Name', dataType: 'string', length: 40, rest: { name: 'firstName' }, soap: { name: 'FirstName' } }],
    });
    const f = must(catalog.byRestName('firstName'), 'firstName');
    assert.equal(f.length, 40);
    assert.notEqual(f.custom, true);
    assert.equal(catalog.byDisplayName('first name'), f);
    assert.equal(catalog.bySoapNameExact('FirstName'), f);
    assert.equal(catalog.byAnyName('FirstName'), f);
    assert.equal(catalog.byAnyName('First Name'), f);
  });

  test('a custom field in the bare array form', () => {
    const { catalog, errors } = catalogFromDescribe([
      { id: 9001, displayName: 'Fit Score', dataType: 'float', rest: { name: 'fitScore' }, soap: { name: 'Fit_Score__c' } },
    ]);
    assert.deepEqual(errors, []);
    assert.deepEqual(catalog.byAnyName('Fit Score'), {
      id: 9001, displayName: 'Fit Score', restName: 'fitScore', soapName: 'Fit_Score__c', dataType: 'float', custom: true,
    });
    assert.equal(catalog.byAnyName('fitScore'), catalog.byAnyName('Fit_Score__c'));
    assert.equal(catalog.bySoapNameExact('fit_score__c'), undefined);
    assert.ok(catalog.soapNames().includes('Fit_Score__c'));
    assert.equal(catalog.fields.length, 92);
  });

  test('garbage inputs: the standard catalog and an error, no throw', () => {
    for (const value of [null, 42, { result: 'x' }, 'describe', undefined]) {
      const { catalog, errors } = catalogFromDescribe(value);
      assert.equal(errors.length, 1, JSON.stringify(value));
      assert.equal(catalog.fields.length, 91, JSON.stringify(value));
      assert.equal(catalog.byDisplayName('First Name')?.restName, 'firstName');
    }
  });

  test('entries missing rest are skipped with an error; the readable ones are kept', () => {
    const { catalog, errors } = catalogFromDescribe({
      result: [
        { displayName: 'Broken', dataType: 'string', soap: { name: 'Broken' } },
        { displayName: 'Kept', dataType: 'string', rest: { name: 'kept' } },
      ],
    });
    assert.equal(errors.length, 1);
    assert.match(errors[0] ?? '', /^1 entry /);
    assert.equal(catalog.byDisplayName('Broken'), undefined);
    assert.equal(catalog.bySoapName('Broken'), undefined);
    assert.equal(catalog.byDisplayName('Kept')?.custom, true);
  });

  test('an explicit base catalog is extended instead of the standard one', () => {
    const base = new FieldCatalog([{ displayName: 'Only', restName: 'only', dataType: 'string' }]);
    const { catalog } = catalogFromDescribe([
      { displayName: 'Only', dataType: 'string', rest: { name: 'only' } },
      { displayName: 'First Name', dataType: 'string', rest: { name: 'firstName' } },
    ], base);
    assert.notEqual(catalog.byRestName('only')?.custom, true);
    // not in this base, so custom here
    assert.equal(catalog.byRestName('firstName')?.custom, true);
    assert.equal(catalog.byRestName('email'), undefined);
  });
});

describe('FieldCatalog', () => {
  test('later fields win every lookup', () => {
    const a: LeadField = { displayName: 'Score', restName: 'score', soapName: 'Score', dataType: 'integer' };
    const b: LeadField = { displayName: 'Score', restName: 'score', soapName: 'Score', dataType: 'float' };
    const catalog = new FieldCatalog([a, b]);
    assert.equal(catalog.byDisplayName('Score'), b);
    assert.equal(catalog.byRestName('score'), b);
    assert.equal(catalog.bySoapNameExact('Score'), b);
  });

  test('withFields returns a new catalog and leaves the old one alone', () => {
    const base = new FieldCatalog([{ displayName: 'A', restName: 'a', dataType: 'string' }]);
    const more = base.withFields([{ displayName: 'B', restName: 'b', dataType: 'string' }]);
    assert.equal(base.fields.length, 1);
    assert.equal(base.byRestName('b'), undefined);
    assert.equal(more.byRestName('b')?.displayName, 'B');
    assert.equal(more.byRestName('a')?.displayName, 'A');
  });
});
