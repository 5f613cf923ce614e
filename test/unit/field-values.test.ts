import { test } from 'node:test';
import assert from 'node:assert/strict';
import { catalogFromDescribe, STANDARD_CATALOG } from '../../src/engine/catalog/field-catalog';
import type { LeadField } from '../../src/engine/catalog/field-catalog';
import { checkFieldWrite } from '../../src/engine/catalog/field-values';
import type { FieldWrite } from '../../src/engine/catalog/field-values';

// An instance's own fields, as its Describe Lead response lists them.
const { catalog } = catalogFromDescribe({
  result: [
    { id: 9001, displayName: 'Enrichment Notes', dataType: 'text', rest: { name: 'enrichmentNotes' }, soap: { name: 'Enrichment_Notes__c' } },
    { id: 9002, displayName: 'Fit Score', dataType: 'float', rest: { name: 'fitScore' }, soap: { name: 'Fit_Score__c' } },
    { id: 9003, displayName: 'Discount', dataType: 'percent', rest: { name: 'discount' }, soap: { name: 'Discount__c' } },
    { id: 9004, displayName: 'Enriched At', dataType: 'datetime', rest: { name: 'enrichedAt' }, soap: { name: 'Enriched_At__c' } },
    { id: 9005, displayName: 'Short Code', dataType: 'string', length: 5, rest: { name: 'shortCode' }, soap: { name: 'Short_Code__c' } },
    { id: 9006, displayName: 'Plain String', dataType: 'string', rest: { name: 'plainString' }, soap: { name: 'Plain_String__c' } },
    { id: 9007, displayName: 'Future Type', dataType: 'hologram', rest: { name: 'futureType' }, soap: { name: 'Future_Type__c' } },
  ],
});

function field(soapName: string): LeadField {
  const f = catalog.bySoapNameExact(soapName);
  assert.ok(f, `no field ${soapName}`);
  return f;
}

function written(w: FieldWrite): string | number | boolean | null {
  assert.ok(w.ok, w.ok ? '' : w.reason);
  return w.value;
}

function refused(w: FieldWrite): string {
  assert.ok(!w.ok, `expected a refusal, got ${JSON.stringify(w)}`);
  return w.reason;
}

test('the test fields have the types the tests assume', () => {
  assert.equal(STANDARD_CATALOG.bySoapNameExact('FirstName')?.dataType, 'string');
  assert.equal(STANDARD_CATALOG.bySoapNameExact('NumberOfEmployees')?.dataType, 'integer');
  assert.equal(STANDARD_CATALOG.bySoapNameExact('AnnualRevenue')?.dataType, 'currency');
  assert.equal(STANDARD_CATALOG.bySoapNameExact('DateofBirth')?.dataType, 'date');
  assert.equal(STANDARD_CATALOG.bySoapNameExact('Email')?.dataType, 'email');
  assert.equal(STANDARD_CATALOG.bySoapNameExact('MktoPersonNotes')?.dataType, 'text');
  assert.equal(field('Enrichment_Notes__c').custom, true);
});

test('string: written as text, numbers and booleans converted', () => {
  assert.equal(written(checkFieldWrite(field('FirstName'), 'Ada')), 'Ada');
  assert.equal(written(checkFieldWrite(field('Company'), 42)), '42');
  assert.equal(written(checkFieldWrite(field('Company'), 12.5)), '12.5');
  assert.equal(written(checkFieldWrite(field('Company'), true)), 'true');
  assert.equal(written(checkFieldWrite(field('Company'), '')), '');
});

test('string: at most the field length (default 255) characters', () => {
  const f = field('FirstName');
  assert.equal(written(checkFieldWrite(f, 'x'.repeat(255))), 'x'.repeat(255));
  const r = refused(checkFieldWrite(f, 'x'.repeat(256)));
  assert.match(r, /`FirstName` is a string field of at most 255 characters/);
  assert.match(r, /256/);
  // Characters, not UTF-16 units: 255 emoji fit.
  assert.equal(typeof written(checkFieldWrite(f, '😀'.repeat(255))), 'string');
  // Declared length
  assert.match(refused(checkFieldWrite(field('Short_Code__c'), 'abcdef')), /`Short_Code__c`.*at most 5 characters.*has 6/);
  assert.match(refused(checkFieldWrite(field('SICCode'), 'x'.repeat(41))), /at most 40/);
  // No length in the Describe response: 255
  assert.match(refused(checkFieldWrite(field('Plain_String__c'), 'y'.repeat(256))), /at most 255/);
});

test('text: at most 30,000 bytes of UTF-8', () => {
  const f = field('MktoPersonNotes');
  assert.equal(written(checkFieldWrite(f, 'a'.repeat(30_000))), 'a'.repeat(30_000));
  const r = refused(checkFieldWrite(f, 'a'.repeat(30_001)));
  assert.match(r, /`MktoPersonNotes` is a text field.*30,000 bytes.*30,001/);
  // 10,001 three-byte characters: fewer than 30,000 characters but more than 30,000 bytes.
  assert.match(refused(checkFieldWrite(field('Enrichment_Notes__c'), '€'.repeat(10_001))), /`Enrichment_Notes__c`.*30,003 bytes/);
  assert.equal(typeof written(checkFieldWrite(f, '€'.repeat(10_000))), 'string');
});

test('integer: a JSON integer or an integer-looking string', () => {
  const f = field('NumberOfEmployees');
  assert.equal(written(checkFieldWrite(f, 120)), 120);
  assert.equal(written(checkFieldWrite(f, '120')), 120);
  assert.equal(written(checkFieldWrite(f, '-7')), -7);
  assert.equal(written(checkFieldWrite(f, '+7')), 7);
  assert.equal(written(checkFieldWrite(f, '007')), 7);
  assert.equal(written(checkFieldWrite(field('LeadScore'), 2147483647)), 2147483647);
});

test('integer: refuses text, decimals, booleans and out-of-range numbers, saying why', () => {
  const f = field('NumberOfEmployees');
  let r = refused(checkFieldWrite(f, 'abc'));
  assert.match(r, /`NumberOfEmployees` is an integer field/);
  assert.match(r, /"abc" is text/);
  assert.match(r, /does not write it into an integer field/);
  r = refused(checkFieldWrite(f, '12.5'));
  assert.match(r, /"12\.5" is not a whole number/);
  r = refused(checkFieldWrite(f, 12.5));
  assert.match(r, /12\.5 is not a whole number/);
  assert.match(refused(checkFieldWrite(f, ' 12')), /is text/);
  assert.match(refused(checkFieldWrite(f, true)), /is a boolean/);
  assert.match(refused(checkFieldWrite(f, '9223372036854775808')), /"9223372036854775808" is outside the range Marketo integers hold \(signed 64-bit/);
  assert.match(refused(checkFieldWrite(field('LeadScore'), '-9223372036854775809')), /`LeadScore`.*outside the range/);
});

test('float, currency, percent: a number or a numeric string', () => {
  assert.equal(written(checkFieldWrite(field('AnnualRevenue'), 1250000.5)), 1250000.5);
  assert.equal(written(checkFieldWrite(field('AnnualRevenue'), '1250000.50')), 1250000.5);
  assert.equal(written(checkFieldWrite(field('AnnualRevenue'), '-3')), -3);
  assert.equal(written(checkFieldWrite(field('Fit_Score__c'), '.5')), 0.5);
  assert.equal(written(checkFieldWrite(field('Fit_Score__c'), '1e3')), 1000);
  assert.equal(written(checkFieldWrite(field('Discount__c'), 15)), 15);
  assert.match(refused(checkFieldWrite(field('AnnualRevenue'), '$1,000')), /`AnnualRevenue` is a currency field.*"\$1,000" is not a number/);
  assert.match(refused(checkFieldWrite(field('Discount__c'), '15%')), /`Discount__c` is a percent field/);
  assert.match(refused(checkFieldWrite(field('Fit_Score__c'), false)), /`Fit_Score__c` is a float field.*is a boolean/);
  assert.match(refused(checkFieldWrite(field('Fit_Score__c'), 'NaN')), /not a number/);
});

test('boolean: true/false, 1/0 and their text forms; nothing else', () => {
  const f = field('Unsubscribed');
  assert.equal(written(checkFieldWrite(f, true)), true);
  assert.equal(written(checkFieldWrite(f, false)), false);
  assert.equal(written(checkFieldWrite(f, 'true')), true);
  assert.equal(written(checkFieldWrite(f, 'FALSE')), false);
  assert.equal(written(checkFieldWrite(f, '1')), true);
  assert.equal(written(checkFieldWrite(f, '0')), false);
  assert.equal(written(checkFieldWrite(f, 1)), true);
  assert.equal(written(checkFieldWrite(f, 0)), false);
  for (const v of ['on', 2, 'truthy', 'oui', 'yes ']) {
    assert.match(refused(checkFieldWrite(f, v)), /`Unsubscribed` is a boolean field.*is not a boolean/);
  }
});

test('date: YYYY-MM-DD and a real calendar date', () => {
  const f = field('DateofBirth');
  assert.equal(written(checkFieldWrite(f, '2010-05-07')), '2010-05-07');
  assert.equal(written(checkFieldWrite(f, '2024-02-29')), '2024-02-29');
  for (const v of ['2023-02-29', '2010-13-01', '2010-04-31', '2010-00-10', '2010-5-7', '05/07/2010', '2010-05-07T00:00:00Z', 20100507]) {
    assert.match(refused(checkFieldWrite(f, v)), /`DateofBirth` is a date field.*YYYY-MM-DD/, String(v));
  }
});

test('datetime: ISO 8601 date and time', () => {
  const f = field('Enriched_At__c');
  for (const v of ['2010-05-07T14:30:00Z', '2010-05-07T14:30Z', '2010-05-07T14:30:00.123+02:00', '2010-05-07T14:30:00-0500', '2010-05-07T23:59:59']) {
    assert.equal(written(checkFieldWrite(f, v)), v);
  }
  for (const v of ['2010-05-07', '2010-05-07 14:30', '2010-05-07 24:00:00', '2010-05-07T24:00:00Z', '2010-02-30T10:00:00Z', '2010-05-07T10:61Z', '2010-05-07T10:00+25:00', 'yesterday', 1273242600000]) {
    assert.match(refused(checkFieldWrite(f, v)), /`Enriched_At__c` is a datetime field.*ISO 8601/, String(v));
  }
});

test('email, phone, url: text with a length, email with a simple shape check', () => {
  assert.equal(written(checkFieldWrite(field('Email'), 'ada@example.com')), 'ada@example.com');
  assert.match(refused(checkFieldWrite(field('Email'), 'not an email')), /`Email` is an email field.*does not look like an email address/);
  assert.match(refused(checkFieldWrite(field('Email'), 'ada@localhost')), /email address/);
  assert.match(refused(checkFieldWrite(field('Email'), `${'a'.repeat(250)}@example.com`)), /at most 255 characters/);
  assert.equal(written(checkFieldWrite(field('Phone'), '+1 555 0100')), '+1 555 0100');
  assert.equal(written(checkFieldWrite(field('Phone'), 5550100)), '5550100');
  assert.equal(written(checkFieldWrite(field('Website'), 'https://acme.example')), 'https://acme.example');
  assert.match(refused(checkFieldWrite(field('Website'), `https://${'a'.repeat(300)}`)), /`Website` is a url field of at most 255/);
});

test('reference and read-only fields cannot be written through a mapping', () => {
  assert.match(refused(checkFieldWrite(field('Lead Partition ID'), '1')), /`Lead Partition ID` is a reference field.*cannot write it through a response mapping/);
  assert.match(refused(checkFieldWrite(field('OriginalSourceType'), 'Web')), /`OriginalSourceType` \(string\) is read-only/);
});

test('objects and arrays are not single values; undefined is no value', () => {
  const f = field('Company');
  assert.match(refused(checkFieldWrite(f, undefined)), /holds no value to write into `Company` \(string\)/);
  assert.match(refused(checkFieldWrite(f, { name: 'Acme' })), /holds an object, not a single value: map a path to one of its members/);
  assert.match(refused(checkFieldWrite(f, ['Acme'])), /holds an array, not a single value/);
});

test('a type the catalog does not know is written as text', () => {
  assert.equal(written(checkFieldWrite(field('Future_Type__c'), 3)), '3');
});

test('every refusal is a sentence naming the field and its type', () => {
  const cases: Array<[string, unknown]> = [
    ['NumberOfEmployees', 'abc'], ['FirstName', 'x'.repeat(300)], ['MktoPersonNotes', 'x'.repeat(30_001)],
    ['AnnualRevenue', 'x'], ['Unsubscribed', 'x'], ['DateofBirth', 'x'], ['Enriched_At__c', 'x'],
    ['Email', 'x'], ['Lead Partition ID', 'x'], ['OriginalSourceType', 'x'], ['Company', {}], ['NumberOfEmployees', ''],
    ['NumberOfEmployees', '9223372036854775808'], ['Id', 5], ['Unsubscribed', 'maybe'],
  ];
  for (const [name, v] of cases) {
    const f = field(name);
    const r = refused(checkFieldWrite(f, v));
    assert.ok(r.includes(`\`${name}\``), r);
    assert.ok(r.includes(String(f.dataType)), r);
    assert.match(r, /^[A-Z`"].*\.$/s, r);
  }
});

// ---- issue 11: numbers keep their digits, and the rules nobody documents name their assumption

/** A write of a JSON number, with the digits as the body wrote them. */
function fromJson(f: LeadField, text: string): FieldWrite {
  return checkFieldWrite(f, Number(text), { numberText: text });
}

function note(w: FieldWrite): string | null {
  assert.ok(w.ok, w.ok ? '' : w.reason);
  return w.note;
}

test('integer from JSON: the digits the service sent, int64 range, a note outside int32', () => {
  const f = field('NumberOfEmployees');
  // Outside int64: not written, the digits quoted as sent (not 12345678901234567000).
  const r = refused(fromJson(f, '12345678901234567891'));
  assert.match(r, /12345678901234567891 is outside the range Marketo integers hold \(signed 64-bit/);
  // Inside int64 but past 2^53: written as its digits (a JSON number would lose them), with both notes.
  const big = fromJson(f, '9007199254740993');
  assert.equal(written(big), '9007199254740993');
  assert.match(note(big) ?? '', /outside the 32-bit range.*Salesforce/);
  assert.match(note(big) ?? '', /Shown as text/);
  assert.equal(written(fromJson(f, '9223372036854775807')), '9223372036854775807');
  assert.match(refused(fromJson(f, '9223372036854775808')), /outside the range/);
  // Just past int32: written, with the Salesforce note; inside int32: no note.
  const over = fromJson(f, '2147483648');
  assert.equal(written(over), 2147483648);
  assert.match(note(over) ?? '', /2147483648 is outside the 32-bit range \(-2,147,483,648 to 2,147,483,647\): Marketo stores it, but a field synced to Salesforce/);
  assert.equal(note(fromJson(f, '2147483647')), null);
  // Whole numbers written another way.
  assert.equal(written(fromJson(f, '1.0')), 1);
  assert.equal(written(fromJson(f, '1.50e1')), 15);
  assert.equal(written(fromJson(f, '-0')), 0);
  assert.match(refused(fromJson(f, '1.5')), /1\.5 is not a whole number/);
  assert.match(refused(fromJson(f, '1e400')), /outside the range/);
});

test('string from JSON: the number as the service wrote it', () => {
  assert.equal(written(fromJson(field('Company'), '12345678901234567891')), '12345678901234567891');
  assert.equal(written(fromJson(field('Company'), '1.10')), '1.10');
  assert.equal(written(fromJson(field('MktoPersonNotes'), '1e400')), '1e400');
});

test('float and currency: the 32-bit float Marketo stores, with a note when it changes the value', () => {
  const currency = field('AnnualRevenue');
  const w = fromJson(currency, '123456.789');
  assert.equal(written(w), 123456.79);
  assert.equal(note(w), 'Marketo stores currency fields as 32-bit floats (about 7 significant digits): 123456.789 is stored as 123456.79.');
  assert.equal(written(fromJson(currency, '16777217')), 16777216);
  assert.match(note(checkFieldWrite(field('Fit_Score__c'), '16777217')) ?? '', /float fields as 32-bit floats.*16777217 is stored as 16777216/);
  // What a float32 holds exactly: no note.
  assert.equal(note(fromJson(currency, '0.1')), null);
  assert.equal(written(fromJson(currency, '1250000.5')), 1250000.5);
  assert.match(refused(fromJson(currency, '1e39')), /larger than a 32-bit float holds/);
  // Percent is not documented as a 32-bit float: kept as is.
  assert.equal(written(fromJson(field('Discount__c'), '123456.789')), 123456.789);
});

test('boolean: yes/no, y/n, 1/0 written as true/false, unverified, naming the assumption', () => {
  const f = field('Unsubscribed');
  for (const [v, b] of [['yes', true], ['No', false], ['Y', true], ['n', false], ['1', true], ['0', false], [1, true], [0, false]] as const) {
    const w = checkFieldWrite(f, v);
    assert.equal(written(w), b, String(v));
    assert.ok(w.ok && w.assumption === 'booleans', String(v));
    assert.match(note(w) ?? '', new RegExp(`is written as ${b} \\(unverified`));
  }
  for (const v of [true, 'TRUE', 'false']) {
    const w = checkFieldWrite(f, v);
    assert.ok(w.ok && w.assumption === undefined && w.note === null, String(v));
  }
  assert.match(refused(fromJson(f, '1.0')), /1\.0 is not a boolean/);
});

test("datetime: Marketo's own format is written, unverified, naming the assumption", () => {
  const w = checkFieldWrite(field('Enriched_At__c'), '2024-05-07 14:30:00');
  assert.equal(written(w), '2024-05-07 14:30:00');
  assert.ok(w.ok && w.assumption === 'datetimes');
  assert.match(note(w) ?? '', /Marketo's own date-time format, not ISO 8601: written, unverified/);
  const iso = checkFieldWrite(field('Enriched_At__c'), '2024-05-07T14:30:00');
  assert.ok(iso.ok && iso.note === null && iso.assumption === undefined);
});

test('Id and read-only fields: not written, naming the assumption', () => {
  for (const name of ['Id', 'OriginalSourceType']) {
    const w = checkFieldWrite(field(name), name === 'Id' ? 42 : 'Web');
    assert.ok(!w.ok && w.assumption === 'read-only-fields', name);
    assert.match(refused(w), /is read-only in Marketo, so a response mapping does not write it/);
  }
});

test('null clears the field; an empty text clears a string-type field only; both unverified', () => {
  for (const name of ['Company', 'NumberOfEmployees', 'Unsubscribed', 'DateofBirth']) {
    const w = checkFieldWrite(field(name), null);
    assert.equal(written(w), null, name);
    assert.ok(w.ok && w.assumption === 'clearing-fields');
    assert.match(note(w) ?? '', /holds null, which clears the field \(unverified/);
  }
  const text = checkFieldWrite(field('Company'), '');
  assert.equal(written(text), '');
  assert.ok(text.ok && text.assumption === 'clearing-fields');
  for (const name of ['NumberOfEmployees', 'AnnualRevenue', 'Unsubscribed', 'DateofBirth', 'Enriched_At__c']) {
    const w = checkFieldWrite(field(name), '');
    assert.ok(!w.ok && w.assumption === 'clearing-fields', name);
    assert.match(refused(w), /holds an empty text: Marketo does not write it, and does not clear the field/);
  }
});
