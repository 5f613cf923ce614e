import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { cursorContext, elementAt, type CursorContext, type KeyContext, type Span, type TokenAtCursor, type ValueContext } from '../../src/engine/definition/cursor-context';
// The paths completion offers for responseAttribute (the store itself needs no editor to test).
import { LastResponses, responsePaths } from '../../src/extension/last-response';

/** The text with the `|` removed, and the cursor offset where it stood. */
function at(marked: string): { text: string; offset: number } {
  const offset = marked.indexOf('|');
  assert.ok(offset >= 0, 'mark the cursor with |');
  return { text: marked.slice(0, offset) + marked.slice(offset + 1), offset };
}

function slice(text: string, span: Span): string {
  return text.slice(span.start, span.end);
}

function key(marked: string): { text: string; offset: number; ctx: KeyContext } {
  const { text, offset } = at(marked);
  const ctx: CursorContext = cursorContext(text, offset);
  assert.ok(ctx.kind === 'key', JSON.stringify(ctx));
  return { text, offset, ctx };
}

function value(marked: string): { text: string; offset: number; ctx: ValueContext } {
  const { text, offset } = at(marked);
  const ctx: CursorContext = cursorContext(text, offset);
  assert.ok(ctx.kind === 'value', JSON.stringify(ctx));
  return { text, offset, ctx };
}

function token(marked: string): { text: string; offset: number; ctx: ValueContext; token: TokenAtCursor } {
  const v = value(marked);
  assert.ok(v.ctx.token, `no token at the cursor: ${JSON.stringify(v.ctx)}`);
  return { ...v, token: v.ctx.token };
}

describe('cursorContext: keys', () => {
  it('an empty place in the root object: the keys already there, nothing to replace', () => {
    const { offset, ctx } = key('{ "name": "x", "url": "https://a.example", | }');
    assert.deepEqual(ctx, { kind: 'key', objectPath: [], key: '', presentKeys: ['name', 'url'], replace: { start: offset, end: offset }, inString: false, prefix: '', hasColon: false });
  });

  it('a key being typed in quotes: replaces the whole string with its quotes', () => {
    const { text, ctx } = key('{ "name": "x", "req|" }');
    assert.equal(slice(text, ctx.replace), '"req"');
    assert.deepEqual({ key: ctx.key, prefix: ctx.prefix, inString: ctx.inString, hasColon: ctx.hasColon, presentKeys: ctx.presentKeys }, { key: 'req', prefix: 'req', inString: true, hasColon: false, presentKeys: ['name'] });
  });

  it('an existing key being renamed: it has a colon, and does not count as present', () => {
    const { text, ctx } = key('{ "na|me": "x", "url": "y" }');
    assert.equal(slice(text, ctx.replace), '"name"');
    assert.deepEqual({ key: ctx.key, prefix: ctx.prefix, hasColon: ctx.hasColon, presentKeys: ctx.presentKeys }, { key: 'name', prefix: 'na', hasColon: true, presentKeys: ['url'] });
  });

  it('a bare word typed without quotes is the part replaced', () => {
    const { text, ctx } = key('{ "name": "x", tem| }');
    assert.equal(slice(text, ctx.replace), 'tem');
    assert.equal(ctx.prefix, 'tem');
    assert.equal(ctx.inString, false);
  });

  it('inside test and inside a response mapping', () => {
    const inTest = key('{ "name": "x", "test": { "lead": "a.lead.json", | } }').ctx;
    assert.deepEqual({ objectPath: inTest.objectPath, presentKeys: inTest.presentKeys }, { objectPath: ['test'], presentKeys: ['lead'] });
    const inMapping = key('{ "responseMappings": [ { "marketoField": "City" }, { "responseAttribute": "a", "|" } ] }').ctx;
    assert.deepEqual({ objectPath: inMapping.objectPath, presentKeys: inMapping.presentKeys }, { objectPath: ['responseMappings', 1], presentKeys: ['responseAttribute'] });
  });
});

describe('cursorContext: values', () => {
  it('inside a string value: its contents are replaced, not its quotes', () => {
    const { text, ctx } = value('{ "requestType": "PO|" }');
    assert.deepEqual(ctx.path, ['requestType']);
    assert.equal(slice(text, ctx.replace), 'PO');
    assert.deepEqual({ valueType: ctx.valueType, inString: ctx.inString, terminated: ctx.terminated, prefix: ctx.prefix, tokenPlace: ctx.tokenPlace, token: ctx.token }, { valueType: 'string', inString: true, terminated: true, prefix: 'PO', tokenPlace: undefined, token: undefined });
  });

  it('the whole contents when the cursor is in the middle of the value', () => {
    const { text, ctx } = value('{ "test": { "campaign": "tr|igger" } }');
    assert.deepEqual(ctx.path, ['test', 'campaign']);
    assert.equal(slice(text, ctx.replace), 'trigger');
    assert.equal(ctx.prefix, 'tr');
  });

  it('no value written yet: nothing to replace, not in a string', () => {
    const { offset, ctx } = value('{ "requestTokenEncoding": | }');
    assert.deepEqual(ctx, { kind: 'value', path: ['requestTokenEncoding'], inString: false, terminated: false, replace: { start: offset, end: offset }, prefix: '' });
  });

  it('a string without its closing quote: replaced up to the cursor', () => {
    const { text, ctx } = value('{ "responseType": "JS|\n}');
    assert.equal(slice(text, ctx.replace), 'JS');
    assert.equal(ctx.terminated, false);
  });

  it('on the quotes of a value, nothing: no item can go there', () => {
    for (const marked of ['{ "requestType": "POST"| }', '{ "requestType": |"POST" }']) {
      const { text, offset } = at(marked);
      assert.deepEqual(cursorContext(text, offset), { kind: 'none' }, marked);
    }
  });

  it('after a whole value, the next key: with the comma that is missing', () => {
    const blank = key('{\n  "name": "x"\n  |\n}');
    assert.deepEqual({ objectPath: blank.ctx.objectPath, presentKeys: blank.ctx.presentKeys, missingComma: blank.ctx.missingComma }, { objectPath: [], presentKeys: ['name'], missingComma: blank.text.indexOf('"x"') + 3 });
    const quoted = key('{\n  "test": { "campaign": "batch"\n    "t|" }\n}');
    assert.deepEqual({ objectPath: quoted.ctx.objectPath, key: quoted.ctx.key, presentKeys: quoted.ctx.presentKeys, missingComma: quoted.ctx.missingComma }, { objectPath: ['test'], key: 't', presentKeys: ['campaign'], missingComma: quoted.text.indexOf('"batch"') + 7 });
    assert.equal(slice(quoted.text, quoted.ctx.replace), '"t"');
    // A comment between does not hide the value; a comma already there needs no other.
    const commented = key('{ "name": "x" // the name\n  | }');
    assert.equal(commented.ctx.missingComma, commented.text.indexOf('"x"') + 3);
    assert.equal(key('{ "name": "x", | }').ctx.missingComma, undefined);
    assert.equal(key('{ | }').ctx.missingComma, undefined);
  });

  it('mapping values have their index in the path', () => {
    const { ctx } = value('{ "responseMappings": [ { "responseAttribute": "a" }, { "marketoField": "Fi|" } ] }');
    assert.deepEqual(ctx.path, ['responseMappings', 1, 'marketoField']);
    assert.equal(ctx.prefix, 'Fi');
  });

  it('nothing in a comment, or outside the root object', () => {
    const inComment = at('{ "name": "x" // a comm|ent\n}');
    assert.deepEqual(cursorContext(inComment.text, inComment.offset), { kind: 'none' });
    const block = at('{ /* "name": "|" */ }');
    assert.deepEqual(cursorContext(block.text, block.offset), { kind: 'none' });
    const outside = at('{ "name": "x" }\n|');
    assert.deepEqual(cursorContext(outside.text, outside.offset), { kind: 'none' });
  });

  it('never throws on half-typed or hostile text', () => {
    for (const text of ['', '{', '{"', '{"url": "{{', '[', `${'['.repeat(100_000)}`, '{"url": "\\']) {
      for (let offset = 0; offset <= Math.min(text.length, 50); offset++) cursorContext(text, offset);
      elementAt(text, 0);
    }
  });
});

describe('cursorContext: tokens', () => {
  it('right after {{ in the URL: the namespace part, empty, unclosed', () => {
    const { text, offset, ctx, token: t } = token('{ "url": "https://a.example/?e={{|" }');
    assert.equal(ctx.tokenPlace, 'url');
    assert.deepEqual(t, { closed: false, token: { start: offset - 2, end: offset }, part: 'namespace', prefix: '', replace: { start: offset, end: offset }, namespace: '', hasDot: false });
    assert.equal(slice(text, t.token), '{{');
  });

  it('in the namespace of a whole token: the namespace is replaced, and the dot and name are known', () => {
    const { text, token: t } = token('{ "url": "https://a.example/?c={{Le|ad.City}}" }');
    assert.deepEqual({ part: t.part, prefix: t.prefix, namespace: t.namespace, name: t.name, hasDot: t.hasDot, closed: t.closed }, { part: 'namespace', prefix: 'Le', namespace: 'Lead', name: 'City', hasDot: true, closed: true });
    assert.equal(slice(text, t.replace), 'Lead');
    assert.equal(slice(text, t.token), '{{Lead.City}}');
  });

  it('after namespace. with }} already there', () => {
    const { text, offset, token: t } = token('{ "url": "https://a.example/?c={{lead.|}}" }');
    assert.deepEqual({ part: t.part, prefix: t.prefix, namespace: t.namespace, name: t.name, closed: t.closed, hasDot: t.hasDot }, { part: 'name', prefix: '', namespace: 'lead', name: '', closed: true, hasDot: true });
    assert.deepEqual(t.replace, { start: offset, end: offset });
    assert.equal(slice(text, t.token), '{{lead.}}');
  });

  it('in the name: the whole name is replaced when the token is closed, up to the cursor when not', () => {
    const closed = token('{ "url": "https://a.example/?n={{lead.Fi|rst Name}}&x=1" }');
    assert.deepEqual({ part: closed.token.part, prefix: closed.token.prefix, name: closed.token.name }, { part: 'name', prefix: 'Fi', name: 'First Name' });
    assert.equal(slice(closed.text, closed.token.replace), 'First Name');
    const open = token('{ "url": "https://a.example/?n={{lead.First Na|" }');
    assert.deepEqual({ part: open.token.part, prefix: open.token.prefix, name: open.token.name, closed: open.token.closed }, { part: 'name', prefix: 'First Na', name: 'First Na', closed: false });
    assert.equal(slice(open.text, open.token.replace), 'First Na');
  });

  it(':default= being typed after a name', () => {
    const open = token('{ "url": "https://a.example/?n={{lead.First Name:|" }');
    assert.deepEqual({ part: open.token.part, prefix: open.token.prefix, name: open.token.name }, { part: 'default-marker', prefix: ':', name: 'First Name' });
    assert.equal(slice(open.text, open.token.replace), ':');
    const partial = token('{ "url": "https://a.example/?n={{lead.City:def|}}" }');
    assert.deepEqual({ part: partial.token.part, prefix: partial.token.prefix, name: partial.token.name, closed: partial.token.closed }, { part: 'default-marker', prefix: ':def', name: 'City', closed: true });
    assert.equal(slice(partial.text, partial.token.replace), ':def');
  });

  it('after :default=, in the fallback value', () => {
    const { text, token: t } = token('{ "url": "https://a.example/?n={{lead.First Name:default=Fr|iend}}" }');
    assert.deepEqual({ part: t.part, prefix: t.prefix, name: t.name, defaultValue: t.defaultValue }, { part: 'default', prefix: 'Fr', name: 'First Name', defaultValue: 'Friend' });
    assert.equal(slice(text, t.replace), 'Friend');
    assert.equal(slice(text, t.token), '{{lead.First Name:default=Friend}}');
  });

  it('in a template with escapes, offsets are file offsets', () => {
    const { text, offset, ctx, token: t } = token('{ "template": "{\\"first\\": {{lead.Fi|}}, \\u0022x\\u0022: 1}" }');
    assert.equal(ctx.tokenPlace, 'template');
    assert.equal(slice(text, t.replace), 'Fi');
    assert.equal(t.replace.end, offset);
    assert.equal(slice(text, t.token), '{{lead.Fi}}');
    // An escape inside the name: the file span holds the escape as written.
    const escaped = token('{ "template": "{{lead.First\\u0020Na|me}}" }');
    assert.equal(escaped.token.prefix, 'First Na');
    assert.equal(escaped.token.name, 'First Name');
    assert.equal(slice(escaped.text, escaped.token.replace), 'First\\u0020Name');
  });

  it('a JSON body\'s own }} after the cursor does not close the token', () => {
    const { token: t } = token('{ "template": "{\\"a\\": {{lead.Ci|, \\"b\\": {\\"c\\": 1}}" }');
    assert.deepEqual({ part: t.part, prefix: t.prefix, closed: t.closed }, { part: 'name', prefix: 'Ci', closed: false });
  });

  it('{{{ : the token starts at the last pair of braces', () => {
    const { text, token: t } = token('{ "template": "{\\"a\\":{{{lead.|}}}" }');
    assert.equal(slice(text, t.token), '{{lead.}}');
    assert.equal(t.part, 'name');
  });

  it('template lines and header values hold tokens; other strings do not', () => {
    const line = token('{ "template": [ "a", "b {{my.|" ] }');
    assert.deepEqual(line.ctx.path, ['template', 1]);
    assert.deepEqual({ place: line.ctx.tokenPlace, part: line.token.part, namespace: line.token.namespace }, { place: 'template', part: 'name', namespace: 'my' });
    const header = token('{ "headers": { "Authorization": "Bearer {{my.Ke|}}" } }');
    assert.deepEqual({ place: header.ctx.tokenPlace, prefix: header.token.prefix }, { place: 'header', prefix: 'Ke' });
    const name = value('{ "name": "{{lead.|}}" }');
    assert.deepEqual({ place: name.ctx.tokenPlace, token: name.ctx.token }, { place: undefined, token: undefined });
    const headerName = key('{ "headers": { "X-{{lead.|": "v" } }');
    assert.deepEqual(headerName.ctx.objectPath, ['headers']);
  });

  it('after a closed token, the cursor is in no token', () => {
    const { ctx } = value('{ "url": "https://a.example/{{lead.City}}/x|" }');
    assert.equal(ctx.tokenPlace, 'url');
    assert.equal(ctx.token, undefined);
  });
});

describe('elementAt (hover)', () => {
  const text = [
    '{',
    '  "requestType": "POST",',
    '  "url": "https://a.example/?e={{lead.Email Address}}&n={{lead.First Name:default=Friend}}",',
    '  "responseMappings": [{ "responseAttribute": "a.b", "marketoField": "FirstName" }]',
    '}',
  ].join('\n');

  it('a key: its string with quotes, in its object', () => {
    const offset = text.indexOf('requestType') + 3;
    const el = elementAt(text, offset);
    assert.equal(el.kind, 'key');
    if (el.kind !== 'key') return;
    assert.deepEqual({ objectPath: el.objectPath, key: el.key, text: slice(text, el.span) }, { objectPath: [], key: 'requestType', text: '"requestType"' });
    const mappingKey = elementAt(text, text.indexOf('"marketoField"') + 1);
    assert.deepEqual(mappingKey.kind === 'key' && mappingKey.objectPath, ['responseMappings', 0]);
  });

  it('a value: its path and its literal', () => {
    const el = elementAt(text, text.indexOf('FirstName'));
    assert.equal(el.kind, 'value');
    if (el.kind !== 'value') return;
    assert.deepEqual({ path: el.path, value: el.value, text: slice(text, el.span) }, { path: ['responseMappings', 0, 'marketoField'], value: 'FirstName', text: '"FirstName"' });
  });

  it('a token in the URL, from its first to its last brace', () => {
    const start = text.indexOf('{{lead.Email');
    const end = start + '{{lead.Email Address}}'.length;
    for (const offset of [start, start + 9, end - 1]) {
      const el = elementAt(text, offset);
      assert.ok(el.kind === 'value' && el.token && el.tokenSpan, `offset ${offset}`);
      assert.equal(el.token.name, 'Email Address');
      assert.equal(slice(text, el.tokenSpan), '{{lead.Email Address}}');
    }
    const after = elementAt(text, end);
    assert.ok(after.kind === 'value' && after.token === undefined);
    const withDefault = elementAt(text, text.indexOf('Friend'));
    assert.ok(withDefault.kind === 'value' && withDefault.token);
    assert.deepEqual({ name: withDefault.token.name, defaultValue: withDefault.token.defaultValue }, { name: 'First Name', defaultValue: 'Friend' });
  });

  it('nothing on punctuation or whitespace between values', () => {
    assert.deepEqual(elementAt(text, 0), { kind: 'none' });
    assert.deepEqual(elementAt(text, text.indexOf(',')), { kind: 'none' });
  });
});

describe('responsePaths and LastResponses (responseAttribute completion)', () => {
  it('every mappable path of a parsed body, in document order, as Marketo writes them', () => {
    const body = { company: { name: 'Acme', tech: ['Java', { lang: 'Go' }] }, 'not mappable!': 1, 'Has Space': null, count: 2 };
    assert.deepEqual(responsePaths(body).map((p) => p.path), [
      'company', 'company.name', 'company.tech', 'company.tech[0]', 'company.tech[1]', 'company.tech[1].lang', 'Has Space', 'count',
    ]);
    assert.deepEqual(responsePaths(body).find((p) => p.path === 'company.tech[1].lang'), { path: 'company.tech[1].lang', value: 'Go' });
  });

  it('an XML body starts with its root element; a top-level list has no nameable path', () => {
    assert.deepEqual(responsePaths({ response: { person: [{ title: 'CTO' }, { title: 'CEO' }] } }).map((p) => p.path), [
      'response', 'response.person', 'response.person[0]', 'response.person[0].title', 'response.person[1]', 'response.person[1].title',
    ]);
    assert.deepEqual(responsePaths([{ a: 1 }]), []);
    assert.deepEqual(responsePaths('text'), []);
  });

  it('stays small on a large body', () => {
    const wide = { items: Array.from({ length: 1000 }, (_, i) => ({ id: i })) };
    assert.equal(responsePaths(wide).length, 1 + 20 * 2);
    let deep: Record<string, unknown> = {};
    const top = deep;
    for (let i = 0; i < 100; i++) {
      const next: Record<string, unknown> = {};
      deep.n = next;
      deep = next;
    }
    assert.equal(responsePaths(top).length, 16);
    assert.equal(responsePaths(wide, { maxPaths: 5 }).length, 5);
  });

  it('keeps one body per definition', () => {
    const store = new LastResponses();
    store.set('file:///a.webhook.jsonc', { a: 1 });
    assert.deepEqual(store.get('file:///a.webhook.jsonc'), { a: 1 });
    assert.equal(store.get('file:///b.webhook.jsonc'), undefined);
    store.set('file:///a.webhook.jsonc', undefined);
    assert.equal(store.has('file:///a.webhook.jsonc'), false);
  });

  it('parses a remembered body only when first asked for, and once', () => {
    const store = new LastResponses();
    let parses = 0;
    store.setUnparsed('file:///a.webhook.jsonc', () => {
      parses++;
      return { company: { name: 'Acme' } };
    });
    assert.equal(parses, 0, 'parsed before anyone asked');
    assert.deepEqual(store.get('file:///a.webhook.jsonc'), { company: { name: 'Acme' } });
    assert.deepEqual(store.get('file:///a.webhook.jsonc'), { company: { name: 'Acme' } });
    assert.equal(parses, 1);
    // A body that cannot be read leaves nothing to offer.
    store.setUnparsed('file:///a.webhook.jsonc', () => undefined);
    assert.equal(store.get('file:///a.webhook.jsonc'), undefined);
    assert.equal(store.has('file:///a.webhook.jsonc'), false);
  });
});
