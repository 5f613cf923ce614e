import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { findCredentials } from '../../src/engine/secrets/credentials';
import type { CredentialFinding } from '../../src/engine/secrets/credentials';

function header(name: string, value: string): CredentialFinding | undefined {
  const all = findCredentials({ place: 'header', name, value });
  assert.ok(all.length <= 1, 'a header holds at most one credential');
  return all[0];
}

function url(value: string): CredentialFinding | undefined {
  return findCredentials({ place: 'url', value })[0];
}

function found(finding: CredentialFinding | undefined): CredentialFinding {
  assert.ok(finding, 'expected a finding');
  return finding;
}

describe('headers', () => {
  test('Authorization: Bearer with a literal token: the span starts after the scheme', () => {
    const value = 'Bearer eyJhbGciOiJIUzI1NiJ9.abc';
    const f = found(header('Authorization', value));
    assert.equal(f.start, 7);
    assert.equal(f.end, value.length);
    assert.equal(value.slice(f.start, f.end), 'eyJhbGciOiJIUzI1NiJ9.abc');
    assert.equal(f.what, 'the Authorization header (Bearer)');
    assert.equal(f.suggestedToken, 'API Token');
  });

  test('Authorization: other schemes, any case, several spaces', () => {
    const basic = found(header('authorization', 'Basic dXNlcjpwYXNzd29yZA=='));
    assert.deepEqual([basic.start, basic.end], [6, 26]);
    assert.equal(basic.what, 'the authorization header (Basic)');
    const spaced = found(header('AUTHORIZATION', 'bearer   abcdefgh12345'));
    assert.deepEqual([spaced.start, spaced.end], [9, 22]);
    const token = found(header('Authorization', 'Token 0123456789abcdef'));
    assert.deepEqual([token.start, token.end], [6, 22]);
  });

  test('Authorization without a scheme: the whole value', () => {
    const f = found(header('Authorization', 'sk_live_51HqLyjABCdef'));
    assert.deepEqual([f.start, f.end], [0, 21]);
    assert.equal(f.what, 'the Authorization header');
  });

  test('a token in place of the secret is fine', () => {
    assert.equal(header('Authorization', 'Bearer {{my.Token}}'), undefined);
    assert.equal(header('Authorization', '{{my.Auth Header}}'), undefined);
    assert.equal(header('Authorization', 'Basic {{my.User}}:{{my.Password}}'), undefined);
    assert.equal(header('X-Api-Key', '{{my.Enrich API Key}}'), undefined);
    assert.equal(header('Authorization', 'Bearer {{my.Token:default=none}}'), undefined);
  });

  test('placeholders are not secrets', () => {
    for (const value of [
      'Bearer xxxxxxxx', 'Bearer XXXXXXXXXXXX', 'Bearer ********', 'Bearer ........',
      '<your key>', 'Bearer <your key>', 'Bearer <API_TOKEN>', 'Bearer YOUR_API_KEY', 'Bearer your token here',
      'Bearer changeme', 'Bearer PLACEHOLDER', 'Bearer redacted', 'Bearer ••••••••',
    ]) {
      assert.equal(header('Authorization', value), undefined, value);
    }
  });

  test('short values are not secrets', () => {
    assert.equal(header('Authorization', 'Bearer abc123'), undefined);
    assert.equal(header('Authorization', 'Bearer abcd123'), undefined); // 7 characters
    assert.equal(header('X-Api-Key', '1234567'), undefined);
    assert.equal(header('Authorization', 'Bearer '), undefined);
    assert.equal(header('Authorization', ''), undefined);
    assert.equal(header('Authorization', 'Bearer          '), undefined);
    // 8 characters is long enough
    assert.deepEqual(found(header('X-Api-Key', '12345678')), { start: 0, end: 8, what: 'the X-Api-Key header', suggestedToken: 'API Key' });
  });

  test('X-Api-Key and the other key and token header names', () => {
    const f = found(header('X-Api-Key', 'abcd1234efgh5678'));
    assert.deepEqual(f, { start: 0, end: 16, what: 'the X-Api-Key header', suggestedToken: 'API Key' });
    for (const name of ['x-api-key', 'api-key', 'apikey', 'Api-Key', 'X-Auth-Token', 'X-Access-Token', 'Access-Token', 'token', 'X-Shopify-Access-Token', 'X-Webhook-Secret', 'X-Hub-Signature', 'Proxy-Authorization']) {
      assert.ok(header(name, 'abcd1234efgh5678'), name);
    }
    assert.equal(found(header('X-Auth-Token', 'abcd1234efgh5678')).suggestedToken, 'Auth Token');
  });

  test('headers that do not hold secrets are not looked at', () => {
    for (const name of ['Content-Type', 'Accept', 'User-Agent', 'X-Request-Id', 'Cache-Control', 'X-Forwarded-For']) {
      assert.equal(header(name, 'application/json;charset=UTF-8-long-value'), undefined, name);
    }
    assert.equal(header('Content-Type', 'Bearer abcdefgh12345678'), undefined);
  });
});

describe('URL', () => {
  test('?api_key=literal: exact offsets of the value', () => {
    const u = 'https://api.example.com/v1/enrich?api_key=abcd1234efgh';
    const f = found(url(u));
    const start = u.indexOf('abcd1234efgh');
    assert.equal(start, 42);
    assert.deepEqual(f, { start, end: start + 12, what: 'the "api_key" query parameter', suggestedToken: 'API Key' });
    assert.equal(u.slice(f.start, f.end), 'abcd1234efgh');
  });

  test('the value ends at the next parameter or the fragment', () => {
    const u = 'https://h.example/x?email={{lead.Email Address}}&token=abcdefgh12&page=2#top';
    const f = found(url(u));
    assert.equal(u.slice(f.start, f.end), 'abcdefgh12');
    assert.equal(f.start, u.indexOf('abcdefgh12'));
    const g = found(url('https://h.example/x?key=abcdefgh12#frag'));
    assert.deepEqual([g.start, g.end], [24, 34]);
  });

  test('a secret parameter that is not the first', () => {
    const u = 'https://h.example/?a=1&b=2&access_token=0123456789';
    const f = found(url(u));
    assert.deepEqual([f.start, f.end], [40, 50]);
    assert.equal(f.what, 'the "access_token" query parameter');
    assert.equal(f.suggestedToken, 'Access Token');
  });

  test('parameter names in any case', () => {
    const f = found(url('https://h.example/?API_KEY=abcdefgh1234'));
    assert.equal(f.start, 27);
    assert.equal(f.end, 39);
    assert.ok(url('https://api.hubapi.com/x?hapikey=0123-4567-89ab'));
    assert.ok(url('https://h.example/?client_secret=abcdefgh1234'));
    assert.ok(url('https://h.example/?password=hunter2hunter2'));
  });

  test('?api_key={{my.Key}} is fine', () => {
    assert.equal(url('https://api.example.com/v1?api_key={{my.Key}}'), undefined);
    assert.equal(url('https://api.example.com/v1?api_key={{my.Key}}&email={{lead.Email Address}}'), undefined);
  });

  test('placeholders and short values in the query are fine', () => {
    assert.equal(url('https://h.example/?api_key=xxxxxxxxxxxx'), undefined);
    assert.equal(url('https://h.example/?api_key=<your key>'), undefined);
    assert.equal(url('https://h.example/?api_key=YOUR_API_KEY'), undefined);
    assert.equal(url('https://h.example/?api_key=abc123'), undefined);
    assert.equal(url('https://h.example/?api_key='), undefined);
  });

  test('parameters that are not secrets are not looked at', () => {
    assert.equal(url('https://h.example/list?page=12345678'), undefined);
    assert.equal(url('https://h.example/list?email=someone@example.com&campaign=abcdefgh1234'), undefined);
    assert.equal(url('https://h.example/list?monkey=abcdefgh1234'), undefined);
  });

  test('api_key outside the query is not a parameter', () => {
    assert.equal(url('https://h.example/api_key=abcdefgh1234'), undefined);
    assert.equal(url('https://h.example/v1/enrich'), undefined);
    assert.equal(url(''), undefined);
  });

  test('user:password@ in the authority', () => {
    const u = 'https://user:s3cretpassw0rd@host/';
    const f = found(url(u));
    assert.deepEqual(f, { start: 13, end: 27, what: 'a password in the URL', suggestedToken: 'API Password' });
    assert.equal(u.slice(f.start, f.end), 's3cretpassw0rd');
  });

  test('a password with a token, a short one, or a user name only is fine', () => {
    assert.equal(url('https://user:{{my.Password}}@host/'), undefined);
    assert.equal(url('https://user:pw@host/'), undefined);
    assert.equal(url('https://someusername@host/'), undefined);
    assert.equal(url('https://{{my.User}}:{{my.Password}}@host/path?x=1'), undefined);
  });

  test('an @ in the path or query is not userinfo', () => {
    assert.equal(url('https://host/a:abcdefghijk@b'), undefined);
    assert.equal(url('https://host/?email=a:abcdefghijk@b.com'), undefined);
  });
});

describe('more credentials', () => {
  test('every secret query parameter is reported, not only the first', () => {
    const value = 'https://x.example/h?apiKey=abcdef123456&access_token=zyxwvu987654';
    const all = findCredentials({ place: 'url', value });
    assert.deepEqual(all.map((f) => value.slice(f.start, f.end)), ['abcdef123456', 'zyxwvu987654']);
  });

  test('incoming-webhook URLs whose path is the secret', () => {
    const slack = 'https://hooks.slack.com/services/T00000000/B00000000/XXXXabcdefgh1234XXXX';
    assert.equal(slack.slice(found(url(slack)).start, found(url(slack)).end), 'XXXXabcdefgh1234XXXX');
    const discord = 'https://discord.com/api/webhooks/123456789/abcDEF_ghiJKL-mno';
    assert.equal(discord.slice(found(url(discord)).start, found(url(discord)).end), 'abcDEF_ghiJKL-mno');
    assert.equal(url('https://hooks.slack.com/services/{{my.Slack Path}}'), undefined);
  });

  test('subscription keys and underscore spellings are secrets; idempotency keys are not', () => {
    assert.ok(header('Ocp-Apim-Subscription-Key', 'abcdef0123456789'));
    assert.ok(header('api_key', 'abcdef0123456789'));
    assert.equal(header('X-Idempotency-Key', 'order-12345678'), undefined);
    assert.equal(header('X-Request-Id', 'abcdef0123456789'), undefined);
  });
});
