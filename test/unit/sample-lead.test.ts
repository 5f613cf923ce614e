import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { catalogFromDescribe, STANDARD_CATALOG } from '../../src/engine/catalog/field-catalog';
import type { LeadField } from '../../src/engine/catalog/field-catalog';
import {
  BLANK_LEAD,
  leadFromValue,
  leadValue,
  leadValueText,
  parseLeadText,
} from '../../src/engine/catalog/sample-lead';
import type { LeadParse, SampleLead } from '../../src/engine/catalog/sample-lead';

function ok(parse: LeadParse): SampleLead {
  assert.ok(parse.ok, parse.ok ? '' : parse.message);
  return parse.lead;
}

function notOk(parse: LeadParse): string {
  assert.equal(parse.ok, false);
  return parse.ok ? '' : parse.message;
}

function field(restName: string): LeadField {
  const f = STANDARD_CATALOG.byRestName(restName);
  assert.ok(f, `no field ${restName}`);
  return f;
}

describe('keys resolve through the catalog', () => {
  test('REST, SOAP and display names of a field are the same field', () => {
    for (const key of ['firstName', 'FirstName', 'First Name', 'first name']) {
      const lead = ok(leadFromValue({ [key]: 'Ann' }, STANDARD_CATALOG));
      assert.equal(lead.byField.size, 1, key);
      assert.equal(lead.byField.get(field('firstName')), 'Ann', key);
      assert.deepEqual(lead.unknownKeys, [], key);
      assert.equal(lead.other.size, 0, key);
      assert.equal(leadValue(lead, 'First Name', STANDARD_CATALOG), 'Ann', key);
    }
  });

  test('a lead file mixing the three kinds of names', () => {
    const lead = ok(parseLeadText('{ "email": "ann@example.com", "LastName": "Lee", "Job Title": "CTO", "Company Name": "Acme" }', STANDARD_CATALOG));
    assert.equal(leadValue(lead, 'Email Address', STANDARD_CATALOG), 'ann@example.com');
    assert.equal(leadValue(lead, 'Last Name', STANDARD_CATALOG), 'Lee');
    assert.equal(leadValue(lead, 'job title', STANDARD_CATALOG), 'CTO');
    assert.equal(leadValue(lead, ' Company Name ', STANDARD_CATALOG), 'Acme');
    assert.equal(lead.byField.get(field('email')), 'ann@example.com');
    assert.equal(lead.byField.get(field('title')), 'CTO');
    assert.equal(lead.byField.get(field('company')), 'Acme');
    assert.deepEqual(lead.unknownKeys, []);
  });

  test('values keep their JSON type', () => {
    const lead = ok(parseLeadText('{ "leadScore": 42, "unsubscribed": false, "middleName": null, "annualRevenue": 1.5 }', STANDARD_CATALOG));
    assert.equal(lead.byField.get(field('leadScore')), 42);
    assert.equal(lead.byField.get(field('unsubscribed')), false);
    assert.equal(lead.byField.get(field('middleName')), null);
    assert.equal(lead.byField.has(field('middleName')), true);
    assert.equal(lead.byField.get(field('annualRevenue')), 1.5);
  });

  test('custom fields of a user catalog resolve too', () => {
    const { catalog } = catalogFromDescribe([
      { displayName: 'Fit Score', dataType: 'float', rest: { name: 'fitScore' }, soap: { name: 'Fit_Score__c' } },
    ]);
    const lead = ok(parseLeadText('{ "Fit_Score__c": 0.7 }', catalog));
    assert.equal(leadValue(lead, 'Fit Score', catalog), 0.7);
    assert.deepEqual(lead.unknownKeys, []);
    // the same file against the standard catalog: unknown, but still readable by its key
    const plain = ok(parseLeadText('{ "Fit_Score__c": 0.7 }', STANDARD_CATALOG));
    assert.deepEqual(plain.unknownKeys, ['Fit_Score__c']);
  });
});

describe('Get Leads response', () => {
  test('the first record is the lead', () => {
    const text = JSON.stringify({
      requestId: 'a1b2#c3d4',
      success: true,
      result: [
        { id: 318581, updatedAt: '2015-08-24T20:56:37Z', lastName: 'Doe', email: 'jdoe@marketo.com', createdAt: '2015-03-17T00:18:40Z', firstName: 'John' },
        { id: 2, firstName: 'Second' },
      ],
    });
    const lead = ok(parseLeadText(text, STANDARD_CATALOG));
    assert.equal(leadValue(lead, 'First Name', STANDARD_CATALOG), 'John');
    assert.equal(leadValue(lead, 'Id', STANDARD_CATALOG), 318581);
    assert.equal(leadValue(lead, 'Email Address', STANDARD_CATALOG), 'jdoe@marketo.com');
    assert.equal(leadValue(lead, 'Created At', STANDARD_CATALOG), '2015-03-17T00:18:40Z');
    assert.equal(lead.byField.size, 6);
    // the envelope's keys are not lead keys
    assert.deepEqual(lead.unknownKeys, []);
    assert.equal(lead.other.size, 0);
  });

  test('an empty result is an error', () => {
    const message = notOk(leadFromValue({ requestId: 'x', success: true, result: [] }, STANDARD_CATALOG));
    assert.match(message, /holds no lead/);
    assert.match(notOk(parseLeadText('{"result": []}', STANDARD_CATALOG)), /`result` is empty/);
  });

  test('a first record that is not an object is an error', () => {
    for (const first of [null, 42, 'lead', [1]]) {
      const message = notOk(leadFromValue({ result: [first] }, STANDARD_CATALOG));
      assert.match(message, /must be a JSON object/, JSON.stringify(first));
    }
  });
});

describe('parseLeadText', () => {
  test('JSONC: comments and trailing commas', () => {
    const text = [
      '// a sample lead',
      '{',
      '  /* the person */',
      '  "firstName": "Ann", // given name',
      '  "lastName": "Lee",',
      '}',
    ].join('\n');
    const lead = ok(parseLeadText(text, STANDARD_CATALOG));
    assert.equal(leadValue(lead, 'First Name', STANDARD_CATALOG), 'Ann');
    assert.equal(leadValue(lead, 'Last Name', STANDARD_CATALOG), 'Lee');
    assert.equal(lead.byField.size, 2);
  });

  test('invalid JSON: ok false with a message naming the problem and its offset', () => {
    const message = notOk(parseLeadText('{ "firstName": "Ann" "lastName": "Lee" }', STANDARD_CATALOG));
    assert.equal(message, 'not valid JSON (CommaExpected at offset 21)');
  });

  test('other invalid texts', () => {
    assert.match(notOk(parseLeadText('', STANDARD_CATALOG)), /^not valid JSON \(ValueExpected at offset 0\)$/);
    assert.match(notOk(parseLeadText('{ "firstName": "Ann"', STANDARD_CATALOG)), /^not valid JSON \(CloseBraceExpected at offset \d+\)$/);
    assert.match(notOk(parseLeadText('{ firstName: "Ann" }', STANDARD_CATALOG)), /^not valid JSON /);
    assert.match(notOk(parseLeadText('{ "a": 1 } trailing', STANDARD_CATALOG)), /^not valid JSON /);
  });

  test('a text that is not an object is an error', () => {
    for (const text of ['[]', '[{"firstName": "Ann"}]', '"Ann"', '42', 'null', 'true']) {
      assert.equal(notOk(parseLeadText(text, STANDARD_CATALOG)), 'a lead must be a JSON object of field → value', text);
    }
  });

  test('an empty object is a lead without values', () => {
    const lead = ok(parseLeadText('{}', STANDARD_CATALOG));
    assert.equal(lead.byField.size, 0);
    assert.equal(lead.other.size, 0);
    assert.deepEqual(lead.unknownKeys, []);
  });
});

describe('leadFromValue', () => {
  test('non-objects are errors', () => {
    for (const value of [null, undefined, 42, 'x', true, [], [{ firstName: 'Ann' }]]) {
      assert.equal(notOk(leadFromValue(value, STANDARD_CATALOG)), 'a lead must be a JSON object of field → value', JSON.stringify(value) ?? 'undefined');
    }
  });

  test('unknown keys are listed in file order and kept readable', () => {
    const lead = ok(leadFromValue({ 'Favorite Color': 'blue', firstName: 'Ann', FirstNam: 'typo', constructor: 'c', toString: 't' }, STANDARD_CATALOG));
    assert.deepEqual(lead.unknownKeys, ['Favorite Color', 'FirstNam', 'constructor', 'toString']);
    assert.equal(lead.other.get('favorite color'), 'blue');
    assert.equal(lead.other.get('firstnam'), 'typo');
    assert.equal(leadValue(lead, 'Favorite Color', STANDARD_CATALOG), 'blue');
    assert.equal(leadValue(lead, 'FAVORITE COLOR', STANDARD_CATALOG), 'blue');
    assert.equal(leadValue(lead, 'First Name', STANDARD_CATALOG), 'Ann');
  });

  test('lead owner keys are not unknown, and leadValue reads them', () => {
    const lead = ok(leadFromValue({
      'Lead Owner Email Address': 'owner@example.com',
      'lead owner first name': 'Olga',
      'LEAD OWNER LAST NAME': 'Ortiz',
      'Lead Owner Job Title': 'AE',
    }, STANDARD_CATALOG));
    assert.deepEqual(lead.unknownKeys, []);
    assert.equal(lead.byField.size, 0);
    assert.equal(leadValue(lead, 'Lead Owner Email Address', STANDARD_CATALOG), 'owner@example.com');
    assert.equal(leadValue(lead, 'Lead Owner First Name', STANDARD_CATALOG), 'Olga');
    assert.equal(leadValue(lead, 'Lead Owner Last Name', STANDARD_CATALOG), 'Ortiz');
    assert.equal(leadValue(lead, ' lead owner job title ', STANDARD_CATALOG), 'AE');
    assert.equal(leadValue(lead, 'Lead Owner Phone Number', STANDARD_CATALOG), undefined);
  });

  test('a key close to a lead owner token is still unknown', () => {
    const lead = ok(leadFromValue({ 'Lead Owner Email': 'x', LeadOwnerEmailAddress: 'y' }, STANDARD_CATALOG));
    assert.deepEqual(lead.unknownKeys, ['Lead Owner Email', 'LeadOwnerEmailAddress']);
  });

  test('the input object is not changed', () => {
    const input = { firstName: 'Ann', Other: 1 };
    ok(leadFromValue(input, STANDARD_CATALOG));
    assert.deepEqual(input, { firstName: 'Ann', Other: 1 });
  });
});

describe('leadValue', () => {
  const lead = ok(leadFromValue({ firstName: 'Ann', phone: '' }, STANDARD_CATALOG));

  test('a field the lead does not hold is undefined', () => {
    assert.equal(leadValue(lead, 'Last Name', STANDARD_CATALOG), undefined);
    assert.equal(leadValue(lead, 'Not A Field', STANDARD_CATALOG), undefined);
    assert.equal(leadValue(BLANK_LEAD, 'First Name', STANDARD_CATALOG), undefined);
  });

  test('an empty value is the empty value, not undefined', () => {
    assert.equal(leadValue(lead, 'Phone Number', STANDARD_CATALOG), '');
  });

  test('reads by display name only: REST and SOAP names are not display names', () => {
    assert.equal(leadValue(lead, 'First Name', STANDARD_CATALOG), 'Ann');
    assert.equal(leadValue(lead, 'firstName', STANDARD_CATALOG), undefined);
    assert.equal(leadValue(lead, 'FirstName', STANDARD_CATALOG), undefined);
  });

  test('the blank lead holds nothing', () => {
    assert.equal(BLANK_LEAD.byField.size, 0);
    assert.equal(BLANK_LEAD.other.size, 0);
    assert.deepEqual(BLANK_LEAD.unknownKeys, []);
  });
});

describe('leadValueText', () => {
  test('strings as they are', () => {
    assert.equal(leadValueText('Ann'), 'Ann');
    assert.equal(leadValueText(''), '');
    assert.equal(leadValueText(' a "b"\n'), ' a "b"\n');
  });

  test('numbers as written', () => {
    assert.equal(leadValueText(42), '42');
    assert.equal(leadValueText(0), '0');
    assert.equal(leadValueText(-1.5), '-1.5');
    assert.equal(leadValueText(1e21), '1e+21');
  });

  test('booleans as true and false', () => {
    assert.equal(leadValueText(true), 'true');
    assert.equal(leadValueText(false), 'false');
  });

  test('null and undefined as empty', () => {
    assert.equal(leadValueText(null), '');
    assert.equal(leadValueText(undefined), '');
  });

  test('objects and arrays as JSON', () => {
    assert.equal(leadValueText({ a: 1, b: 'x' }), '{"a":1,"b":"x"}');
    assert.equal(leadValueText([1, 'two', null]), '[1,"two",null]');
    assert.equal(leadValueText({}), '{}');
  });
});
