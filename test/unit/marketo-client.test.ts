// The Marketo REST client against the fake Marketo on 127.0.0.1 (fake-marketo.ts): the access
// token only as a Bearer header, cached and fetched again once on 601/602, 606/615 retried a
// bounded number of times, other errors stopping with Marketo's code, limits kept, secrets masked.
import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, test } from 'node:test';
import { MarketoClient, MAX_GET_URL_BYTES, RETRY_DELAYS_MS, TOKEN_MARGIN_S, type MarketoClientOptions } from '../../src/engine/marketo/client';
import { marketoBaseUrl } from '../../src/engine/marketo/base-url';
import { MarketoApiError, MarketoCancelledError, MarketoConfigError } from '../../src/engine/marketo/errors';
import { CallLimiter, type Clock } from '../../src/engine/marketo/limiter';
import { describeLeads, getLead, programTokens, restFieldNames } from '../../src/engine/marketo/operations';
import { FAKE_CLIENT_ID, FAKE_CLIENT_SECRET, FAKE_FIELDS, manyFields, startFakeMarketo, type FakeMarketo } from './fake-marketo';

/** A clock that moves only when told; sleeps are recorded and end when the clock reaches them. */
class FakeClock implements Clock {
  time = 1_000_000;
  readonly sleeps: number[] = [];
  private timers: { at: number; resolve: () => void }[] = [];
  /** when set, every sleep ends at once (and moves the clock): for retry waits */
  instant = false;

  now(): number {
    return this.time;
  }

  sleep(ms: number, signal?: AbortSignal): Promise<void> {
    this.sleeps.push(ms);
    if (this.instant) {
      this.time += ms;
      return Promise.resolve();
    }
    return new Promise((resolve, reject) => {
      const timer = { at: this.time + ms, resolve };
      this.timers.push(timer);
      signal?.addEventListener('abort', () => {
        this.timers = this.timers.filter((t) => t !== timer);
        reject(new MarketoCancelledError());
      }, { once: true });
    });
  }

  advance(ms: number): void {
    this.time += ms;
    const due = this.timers.filter((t) => t.at <= this.time);
    this.timers = this.timers.filter((t) => t.at > this.time);
    for (const t of due) t.resolve();
  }
}

/** Lets every settled promise run its continuations. */
async function settle(): Promise<void> {
  for (let i = 0; i < 5; i++) await new Promise((resolve) => setImmediate(resolve));
}

let fake: FakeMarketo;
let log: string[];
let clock: FakeClock;

function client(extra: Partial<MarketoClientOptions> = {}, server: FakeMarketo = fake): MarketoClient {
  return new MarketoClient({ baseUrl: server.baseUrl, clientId: FAKE_CLIENT_ID, clientSecret: FAKE_CLIENT_SECRET, log: (l) => log.push(l), clock, ...extra });
}

/** Everything a user could see: messages and log lines; none may hold the secret or a token. */
function assertNoSecrets(texts: readonly string[], server: FakeMarketo = fake): void {
  for (const text of texts) {
    assert.ok(!text.includes(FAKE_CLIENT_SECRET), `the client secret shows in: ${text}`);
    for (const token of server.tokensIssued) assert.ok(!text.includes(token), `an access token shows in: ${text}`);
  }
}

async function rejection(promise: Promise<unknown>): Promise<Error> {
  try {
    await promise;
  } catch (error) {
    return error as Error;
  }
  assert.fail('expected a rejection');
}

before(async () => {
  fake = await startFakeMarketo();
});
after(async () => {
  await fake.close();
});
beforeEach(() => {
  fake.reset();
  log = [];
  clock = new FakeClock();
  clock.instant = true;
});

describe('access token', () => {
  test('is fetched with client credentials from <base>/identity/oauth/token, as Adobe documents', async () => {
    await describeLeads(client());
    const [identity] = fake.identityRequests();
    assert.ok(identity);
    assert.equal(identity.query.grant_type, 'client_credentials');
    assert.equal(identity.query.client_id, FAKE_CLIENT_ID);
    assert.equal(identity.query.client_secret, FAKE_CLIENT_SECRET);
  });

  test('is sent only as Authorization: Bearer, never in a URL or body', async () => {
    const c = client();
    const describe = await describeLeads(c);
    await getLead(c, { email: 'jane.doe@example.com' }, restFieldNames(describe));
    await getLead(c, { id: 318581 }, restFieldNames(describe));
    await programTokens(c, 1089);
    const rest = fake.restRequests();
    assert.equal(rest.length, 4);
    const token = fake.tokensIssued[0] as string;
    for (const r of rest) {
      assert.equal(r.headers.authorization, `Bearer ${token}`);
      assert.ok(!/access_token/i.test(r.url) && !r.url.includes(token), r.url);
      assert.ok(!r.body.includes(token));
    }
  });

  test('is cached across calls until expires_in, less a margin, then fetched again', async () => {
    const short = await startFakeMarketo({ expiresIn: TOKEN_MARGIN_S + 10 });
    try {
      const c = client({}, short);
      await describeLeads(c);
      await describeLeads(c);
      assert.equal(short.identityRequests().length, 1, 'one token for both calls');
      clock.time += 9_000;
      await describeLeads(c);
      assert.equal(short.identityRequests().length, 1, 'still valid 9 s later');
      clock.time += 2_000;
      await describeLeads(c);
      assert.equal(short.identityRequests().length, 2, 'fetched again 10 s before Marketo would expire it');
      assert.equal(short.restRequests().at(-1)?.headers.authorization, `Bearer ${short.tokensIssued[1]}`);
    } finally {
      await short.close();
    }
  });

  test('is fetched once for calls that start together', async () => {
    const c = client();
    await Promise.all([describeLeads(c), describeLeads(c), programTokens(c, 1089)]);
    assert.equal(fake.identityRequests().length, 1);
  });

  for (const code of ['601', '602'] as const) {
    test(`is fetched again once on ${code}, and the call made again with the new one`, async () => {
      const c = client();
      await describeLeads(c);
      fake.failNext(code);
      const answer = await describeLeads(c);
      assert.equal(answer.success, true);
      assert.equal(fake.identityRequests().length, 2);
      assert.equal(fake.restRequests().length, 3);
      assert.equal(fake.restRequests()[2]?.headers.authorization, `Bearer ${fake.tokensIssued.at(-1)}`);
    });
  }

  test('is fetched again only once: a second 601 stops with the code', async () => {
    fake.failNext('601', 2);
    const error = await rejection(describeLeads(client()));
    assert.ok(error instanceof MarketoApiError);
    assert.equal(error.code, '601');
    assert.match(error.message, /601/);
    assert.equal(fake.identityRequests().length, 2);
    assert.equal(fake.restRequests().length, 2);
  });

  test('bad client credentials stop with Marketo\'s identity error, the secret masked', async () => {
    const wrong = 'not-the-secret-at-all';
    const c = new MarketoClient({ baseUrl: fake.baseUrl, clientId: FAKE_CLIENT_ID, clientSecret: wrong, log: (l) => log.push(l), clock });
    const error = await rejection(describeLeads(c));
    assert.ok(error instanceof MarketoApiError);
    assert.equal(error.code, 'invalid_client');
    assert.match(error.message, /Bad client credentials/);
    assert.equal(fake.restRequests().length, 0, 'no REST call without a token');
    for (const text of [error.message, ...log]) assert.ok(!text.includes(wrong), text);
  });
});

describe('Marketo errors', () => {
  for (const code of ['606', '615'] as const) {
    test(`${code} is tried again after a growing wait`, async () => {
      fake.failNext(code, 2);
      const answer = await describeLeads(client());
      assert.equal(answer.success, true);
      assert.equal(fake.restRequests().length, 3);
      assert.deepEqual(clock.sleeps, RETRY_DELAYS_MS.slice(0, 2));
      assert.ok((RETRY_DELAYS_MS[1] as number) > (RETRY_DELAYS_MS[0] as number));
    });

    test(`${code} stops after a bounded number of tries`, async () => {
      fake.failNext(code, 100);
      const error = await rejection(describeLeads(client()));
      assert.ok(error instanceof MarketoApiError);
      assert.equal(error.code, code);
      assert.equal(fake.restRequests().length, 1 + RETRY_DELAYS_MS.length);
      assert.equal(fake.identityRequests().length, 1);
    });
  }

  for (const code of ['607', '1003'] as const) {
    test(`${code} (HTTP 200, success: false) stops at once with Marketo's code and message`, async () => {
      fake.failNext(code);
      const error = await rejection(describeLeads(client()));
      assert.ok(error instanceof MarketoApiError);
      assert.equal(error.code, code);
      assert.match(error.message, new RegExp(`Marketo error ${code}: ${code === '607' ? 'Daily quota reached' : 'Invalid data'}`));
      assert.equal(fake.restRequests().length, 1);
      assert.deepEqual(clock.sleeps, []);
    });
  }

  test('an HTTP error is reported with its status', async () => {
    const c = client();
    const error = await rejection(c.call({ method: 'GET', path: '/rest/v1/nothing.json' }));
    assert.ok(error instanceof MarketoApiError);
    assert.equal(error.code, 'http-404');
  });

  test('a wait or call is cancelled through the signal', async () => {
    clock.instant = false;
    fake.failNext('606');
    const controller = new AbortController();
    const pending = describeLeads(client(), controller.signal);
    while (clock.sleeps.length === 0) await settle();
    controller.abort();
    const error = await rejection(pending);
    assert.ok(error instanceof MarketoCancelledError);
    const before = await rejection(describeLeads(client(), AbortSignal.abort()));
    assert.ok(before instanceof MarketoCancelledError);
  });

  test('neither the client secret nor an access token shows in a message or the log', async () => {
    const c = client();
    await describeLeads(c);
    fake.failNext('601', 2);
    const error = await rejection(describeLeads(c));
    assert.ok(log.some((l) => l.includes('/identity/oauth/token')), 'identity calls are logged');
    assert.ok(log.some((l) => l.includes('client_secret=')), 'with their parameters, masked');
    assertNoSecrets([error.message, ...log]);
    assert.equal(c.mask(`x ${FAKE_CLIENT_SECRET} ${fake.tokensIssued[0]} y`).includes(FAKE_CLIENT_SECRET), false);
  });
});

describe('operations', () => {
  test('describe returns Marketo\'s Describe Lead response as it is', async () => {
    const answer = await describeLeads(client());
    assert.deepEqual(answer.result, FAKE_FIELDS);
    assert.deepEqual(restFieldNames(answer), FAKE_FIELDS.map((f) => f.rest.name));
  });

  test('a lead by email or id comes with every field asked for', async () => {
    const c = client();
    const fields = restFieldNames(await describeLeads(c));
    const byEmail = await getLead(c, { email: 'jane.doe@example.com' }, fields);
    assert.equal((byEmail.result?.[0] as { favoriteColor?: string }).favoriteColor, 'teal');
    const byEmailCall = fake.restRequests()[1];
    assert.equal(byEmailCall?.path, '/rest/v1/leads.json');
    assert.deepEqual({ ...byEmailCall?.query }, { filterType: 'email', filterValues: 'jane.doe@example.com', fields: fields.join(',') });
    const byId = await getLead(c, { id: 318592 }, fields);
    assert.equal((byId.result?.[0] as { email?: string }).email, 'sam@example.org');
    assert.equal(fake.restRequests()[2]?.path, '/rest/v1/lead/318592.json');
  });

  test('a field list that would pass 8 KB of URL goes as POST ...?_method=GET with a form body', async () => {
    const big = await startFakeMarketo({ fields: [...FAKE_FIELDS, ...manyFields(400)] });
    try {
      const c = client({}, big);
      const fields = restFieldNames(await describeLeads(c));
      assert.ok(Buffer.byteLength(c.url('/rest/v1/leads.json', { fields: fields.join(',') })) > MAX_GET_URL_BYTES);
      for (const key of [{ email: 'jane.doe@example.com' }, { id: 318581 }]) {
        const lead = await getLead(c, key, fields);
        assert.equal((lead.result?.[0] as { firstName?: string }).firstName, 'Jane');
        const call = big.restRequests().at(-1);
        assert.equal(call?.method, 'POST');
        assert.equal(call?.url, '/rest/v1/leads.json?_method=GET');
        assert.equal(call?.headers['content-type'], 'application/x-www-form-urlencoded');
        assert.equal(call?.form.fields, fields.join(','));
        assert.equal(call?.form.filterType, 'email' in key ? 'email' : 'id');
      }
      assert.ok(big.requests.every((r) => Buffer.byteLength(r.url) <= MAX_GET_URL_BYTES), 'no request line over 8 KB');
    } finally {
      await big.close();
    }
  });

  test('no lead is an error that says which', async () => {
    const error = await rejection(getLead(client(), { email: 'nobody@example.com' }, ['email']));
    assert.ok(error instanceof MarketoApiError);
    assert.equal(error.code, 'not-found');
    assert.match(error.message, /nobody@example\.com/);
  });

  test("a program's My Tokens, keyed my.Name", async () => {
    const tokens = await programTokens(client(), 1089);
    assert.deepEqual(tokens, { 'my.Event Date': '2026-03-14', 'my.Webinar Title': 'Webhooks & You', 'my.Score Bump': '+10' });
    const call = fake.restRequests()[0];
    assert.equal(call?.path, '/rest/asset/v1/folder/1089/tokens.json');
    assert.equal(call?.query.folderType, 'Program');
  });

  test('no more than 10 calls are under way at once', async () => {
    const slow = await startFakeMarketo({ delayMs: 40 });
    try {
      const c = client({ clock: undefined }, slow);
      await Promise.all(Array.from({ length: 35 }, () => describeLeads(c)));
      assert.equal(slow.restRequests().length, 35);
      assert.equal(slow.maxConcurrent, 10);
    } finally {
      await slow.close();
    }
  });
});

describe('limiter', () => {
  test('starts at most 100 calls in any 20 seconds', async () => {
    const fakeClock = new FakeClock();
    const limiter = new CallLimiter({ clock: fakeClock });
    let started = 0;
    const all = Promise.all(Array.from({ length: 150 }, () => limiter.run(() => {
      started++;
      return Promise.resolve();
    })));
    await settle();
    assert.equal(started, 100);
    fakeClock.advance(19_999);
    await settle();
    assert.equal(started, 100);
    fakeClock.advance(1);
    await settle();
    assert.equal(started, 150);
    await all;
  });

  test('keeps at most 10 under way, and starts the next when one ends', async () => {
    const limiter = new CallLimiter({ clock: new FakeClock() });
    const gates: (() => void)[] = [];
    const all = Promise.all(Array.from({ length: 25 }, () => limiter.run(() => new Promise<void>((resolve) => gates.push(resolve)))));
    await settle();
    assert.equal(gates.length, 10);
    assert.equal(limiter.running, 10);
    gates[0]?.();
    await settle();
    assert.equal(gates.length, 11);
    assert.equal(limiter.running, 10);
    while (gates.length < 25) {
      for (const g of gates) g();
      await settle();
    }
    for (const g of gates) g();
    await all;
    assert.equal(limiter.running, 0);
  });

  test('a waiting call is dropped when its signal aborts', async () => {
    const limiter = new CallLimiter({ clock: new FakeClock(), maxConcurrent: 1 });
    let release: () => void = () => undefined;
    const first = limiter.run(() => new Promise<void>((resolve) => (release = resolve)));
    const controller = new AbortController();
    const second = limiter.run(() => Promise.resolve('ran'), controller.signal);
    controller.abort();
    assert.ok((await rejection(second)) instanceof MarketoCancelledError);
    release();
    await first;
    assert.equal(limiter.running, 0);
  });
});

describe('base URL', () => {
  test('https, or http only to this machine', () => {
    assert.equal(marketoBaseUrl('https://123-ABC-456.mktorest.com/'), 'https://123-abc-456.mktorest.com');
    assert.equal(marketoBaseUrl('https://123-ABC-456.mktorest.com/rest'), 'https://123-abc-456.mktorest.com');
    assert.equal(marketoBaseUrl('https://123-ABC-456.mktorest.com/identity/'), 'https://123-abc-456.mktorest.com');
    assert.equal(marketoBaseUrl('http://127.0.0.1:8080'), 'http://127.0.0.1:8080');
    assert.equal(marketoBaseUrl('http://localhost:8080'), 'http://localhost:8080');
    for (const bad of ['http://123-ABC-456.mktorest.com', 'ftp://x', '123-ABC-456.mktorest.com', 'https://u:p@x.mktorest.com', 'https://x.mktorest.com/?a=1']) {
      assert.throws(() => marketoBaseUrl(bad), MarketoConfigError, bad);
    }
  });

  test('an empty client id or secret is refused before anything is sent', () => {
    assert.throws(() => new MarketoClient({ baseUrl: 'https://x.mktorest.com', clientId: ' ', clientSecret: 's3cret' }), MarketoConfigError);
    assert.throws(() => new MarketoClient({ baseUrl: 'https://x.mktorest.com', clientId: 'id', clientSecret: '' }), MarketoConfigError);
  });
});
