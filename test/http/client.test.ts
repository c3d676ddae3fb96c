import { afterEach, describe, expect, it } from 'vitest';
import type { MockAgent } from 'undici';
import { HttpClient, buildQuery, urlPath, type AuthScheme } from '../../src/http/client.js';
import { AuthError, InterruptedError, TemporaryError } from '../../src/errors.js';
import { Redactor } from '../../src/redact.js';
import { FakeClock, strictAgent } from '../helpers/harness.js';

const ORIGIN = 'https://pos.example.test';
let agent: MockAgent | undefined;

afterEach(async () => {
  // The stub fails on any request it did not expect, and here on any it expected that never came.
  agent?.assertNoPendingInterceptors();
  await agent?.close();
  agent = undefined;
});

function client(extra: Partial<ConstructorParameters<typeof HttpClient>[0]> = {}) {
  agent = strictAgent();
  const clock = new FakeClock();
  const log: string[] = [];
  const notices: string[] = [];
  const redactor = new Redactor();
  const http = new HttpClient({
    baseUrl: `${ORIGIN}/api/v3`,
    clock,
    signal: new AbortController().signal,
    redactor,
    dispatcherFor: (origin) => agent!.get(origin),
    random: () => 0.5,
    log: (l) => log.push(l),
    notice: (l) => notices.push(l),
    ...extra,
  });
  return { http, clock, log, notices, redactor, pool: () => agent!.get(ORIGIN) };
}

describe('paths and queries', () => {
  it('encodes every interpolated path value as one segment', () => {
    expect(urlPath`/customers/${'A/B?#1 %é'}`).toBe('/customers/A%2FB%3F%231%20%25%C3%A9');
    expect(urlPath`/customers/${'..'}`).toBe('/customers/%2E%2E');
  });

  it('encodes query values and repeats array keys', () => {
    expect(buildQuery({ Code: 'A&B=C #1', ID: ['a', 'b'], skip: undefined, n: 0 })).toBe(
      '?Code=A%26B%3DC%20%231&ID=a&ID=b&n=0',
    );
    expect(buildQuery({})).toBe('');
  });
});

describe('HttpClient', () => {
  it('sends JSON and parses the JSON answer', async () => {
    const { http, pool } = client();
    pool()
      .intercept({ path: '/api/v3/Customer?Name=Budi', method: 'POST', body: '{"a":1}' })
      .reply(200, { ok: true }, { headers: { 'content-type': 'application/json' } });
    const res = await http.request({ method: 'POST', path: '/Customer', query: { Name: 'Budi' }, body: { a: 1 } });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ ok: true });
    expect(http.requestsSent).toBe(1);
  });

  it('retries an idempotent request on 5xx with growing backoff, then succeeds', async () => {
    const { http, pool, clock } = client();
    pool().intercept({ path: '/api/v3/Customer', method: 'GET' }).reply(503, { Message: 'busy' });
    pool().intercept({ path: '/api/v3/Customer', method: 'GET' }).reply(500, { Message: 'oops' });
    pool().intercept({ path: '/api/v3/Customer', method: 'GET' }).reply(200, []);
    const res = await http.request({ method: 'GET', path: '/Customer' });
    expect(res.status).toBe(200);
    expect(clock.sleeps).toHaveLength(2);
    expect(clock.sleeps[1]!).toBeGreaterThan(clock.sleeps[0]!);
  });

  it('gives up after the bounded retries with exit 75 naming the host', async () => {
    const { http, pool } = client({ maxRetries: 2 });
    pool().intercept({ path: '/api/v3/Customer', method: 'GET' }).reply(500, { Message: 'down' }).times(3);
    const err = await http.request({ method: 'GET', path: '/Customer' }).catch((e) => e);
    expect(err).toBeInstanceOf(TemporaryError);
    expect(err.exitCode).toBe(75);
    expect(err.message).toContain('pos.example.test answered 500 (down) after 3 attempts');
  });

  it('never re-sends a POST that got a 5xx, and says the outcome is unknown', async () => {
    const { http, pool } = client();
    pool().intercept({ path: '/api/v3/Customer', method: 'POST' }).reply(500, { Message: 'x' });
    const err = await http.request({ method: 'POST', path: '/Customer', body: {} }).catch((e) => e);
    expect(err).toBeInstanceOf(TemporaryError);
    expect(err.maybeApplied).toBe(true);
    expect(http.requestsSent).toBe(1);
  });

  it('retries a POST whose connection was refused (it never reached the server)', async () => {
    const { http, pool } = client();
    const refused = Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' });
    pool().intercept({ path: '/api/v3/Customer', method: 'POST' }).replyWithError(refused);
    pool().intercept({ path: '/api/v3/Customer', method: 'POST' }).reply(200, { ID: 'x' });
    const res = await http.request({ method: 'POST', path: '/Customer', body: {} });
    expect(res.body).toEqual({ ID: 'x' });
  });

  it('does not re-send a POST whose connection dropped after sending', async () => {
    const { http, pool } = client();
    const reset = Object.assign(new Error('other side closed'), { code: 'UND_ERR_SOCKET' });
    pool().intercept({ path: '/api/v3/Customer', method: 'POST' }).replyWithError(reset);
    const err = await http.request({ method: 'POST', path: '/Customer', body: {} }).catch((e) => e);
    expect(err).toBeInstanceOf(TemporaryError);
    expect(err.maybeApplied).toBe(true);
    expect(err.message).toContain('may or may not have been applied');
  });

  it('waits out a 429 for RateLimit-Reset seconds, then retries', async () => {
    const { http, pool, clock, notices } = client();
    pool()
      .intercept({ path: '/api/v3/Customer', method: 'POST' })
      .reply(429, { Message: 'API calls quota exceeded! maximum admitted 50 per 180s. Try again in 99 seconds.' }, {
        headers: { 'ratelimit-reset': '37' },
      });
    pool().intercept({ path: '/api/v3/Customer', method: 'POST' }).reply(200, { ID: 'new' });
    const res = await http.request({ method: 'POST', path: '/Customer', body: {} });
    expect(res.body).toEqual({ ID: 'new' });
    expect(clock.sleeps[0]!).toBeGreaterThanOrEqual(37_000);
    expect(clock.sleeps[0]!).toBeLessThan(38_000);
    expect(notices[0]).toContain('waiting 37 s');
  });

  it('prefers Retry-After, and falls back to the digits of the Message', async () => {
    const a = client();
    a.pool().intercept({ path: '/api/v3/x', method: 'GET' }).reply(429, {}, { headers: { 'retry-after': '5', 'ratelimit-reset': '50' } });
    a.pool().intercept({ path: '/api/v3/x', method: 'GET' }).reply(200, {});
    await a.http.request({ method: 'GET', path: '/x' });
    expect(Math.floor(a.clock.sleeps[0]! / 1000)).toBe(5);
    agent!.assertNoPendingInterceptors();
    await agent!.close();

    const b = client();
    b.pool().intercept({ path: '/api/v3/x', method: 'GET' }).reply(429, { Message: 'quota exceeded. Try again in 12 seconds.' });
    b.pool().intercept({ path: '/api/v3/x', method: 'GET' }).reply(200, {});
    await b.http.request({ method: 'GET', path: '/x' });
    expect(Math.floor(b.clock.sleeps[0]! / 1000)).toBe(12);
  });

  it('exits 75 at once when the server asks for a wait longer than the cap', async () => {
    const { http, pool, clock } = client({ maxRateLimitWaitMs: 60_000 });
    pool().intercept({ path: '/api/v3/x', method: 'GET' }).reply(429, { Message: 'Try again in 170 seconds.' });
    const err = await http.request({ method: 'GET', path: '/x' }).catch((e) => e);
    expect(err).toBeInstanceOf(TemporaryError);
    expect(err.status).toBe(429);
    expect(err.retryAfterSeconds).toBe(170);
    expect(err.message).toContain('try again in 170 s');
    expect(clock.sleeps).toHaveLength(0);
  });

  it('exits 75 after the bounded number of 429s', async () => {
    const { http, pool, clock } = client({ maxRateLimitRetries: 2 });
    pool().intercept({ path: '/api/v3/x', method: 'GET' }).reply(429, {}, { headers: { 'ratelimit-reset': '1' } }).times(3);
    const err = await http.request({ method: 'GET', path: '/x' }).catch((e) => e);
    expect(err.exitCode).toBe(75);
    expect(clock.sleeps).toHaveLength(2);
  });

  it('renews the token once on 401 and retries with the new one', async () => {
    let n = 0;
    const auth: AuthScheme = {
      header: async () => `Bearer t${n}`,
      renew: async () => {
        n++;
        return true;
      },
    };
    const { http, pool } = client({ auth });
    pool().intercept({ path: '/api/v3/x', method: 'GET', headers: { authorization: 'Bearer t0' } }).reply(401, { Message: 'denied' });
    pool().intercept({ path: '/api/v3/x', method: 'GET', headers: { authorization: 'Bearer t1' } }).reply(200, { ok: 1 });
    const res = await http.request({ method: 'GET', path: '/x' });
    expect(res.body).toEqual({ ok: 1 });
  });

  it('exits 4 on a 401 with a fresh token, and on 403', async () => {
    const auth: AuthScheme = { header: async () => 'Bearer t', renew: async () => true };
    const { http, pool } = client({ auth });
    pool().intercept({ path: '/api/v3/x', method: 'GET' }).reply(401, { Message: 'denied' }).times(2);
    const err = await http.request({ method: 'GET', path: '/x' }).catch((e) => e);
    expect(err).toBeInstanceOf(AuthError);
    expect(err.exitCode).toBe(4);

    pool().intercept({ path: '/api/v3/y', method: 'GET' }).reply(403, { Message: 'Contacts EDIT role required' });
    const forbidden = await http.request({ method: 'GET', path: '/y' }).catch((e) => e);
    expect(forbidden.exitCode).toBe(4);
    expect(forbidden.message).toContain('Contacts EDIT role required');
  });

  it('does not follow a redirect (the Authorization header must not travel elsewhere)', async () => {
    const auth: AuthScheme = { header: async () => 'Bearer t', renew: async () => false };
    const { http, pool } = client({ auth });
    pool().intercept({ path: '/api/v3/x', method: 'GET' }).reply(302, '', { headers: { location: 'https://evil.test/steal' } });
    const err = await http.request({ method: 'GET', path: '/x' }).catch((e) => e);
    expect(err.message).toContain('redirected');
    expect(err.message).toContain('evil.test');
  });

  it('times out a silent request and retries it when idempotent', async () => {
    const { http, pool } = client({ timeoutMs: 50, maxRetries: 1 });
    pool().intercept({ path: '/api/v3/x', method: 'GET' }).reply(200, {}).delay(500);
    pool().intercept({ path: '/api/v3/x', method: 'GET' }).reply(200, { second: true });
    const res = await http.request({ method: 'GET', path: '/x' });
    expect(res.body).toEqual({ second: true });
  });

  it('turns an abort (Ctrl-C) into an interruption', async () => {
    const controller = new AbortController();
    const { http, pool } = client({ signal: controller.signal });
    pool().intercept({ path: '/api/v3/x', method: 'GET' }).reply(200, {}).delay(1000);
    const pending = http.request({ method: 'GET', path: '/x' }).catch((e) => e);
    setTimeout(() => controller.abort(new Error('SIGINT')), 20);
    expect(await pending).toBeInstanceOf(InterruptedError);
    agent!.get(ORIGIN).cleanMocks();
  });

  it('refuses an answer larger than the cap', async () => {
    const { http, pool } = client({ maxResponseBytes: 100 });
    pool().intercept({ path: '/api/v3/x', method: 'GET' }).reply(200, 'x'.repeat(500));
    const err = await http.request({ method: 'GET', path: '/x' }).catch((e) => e);
    expect(err.message).toContain('larger than');
  });

  it('logs the exchange with secrets, tokens and PINs redacted', async () => {
    const auth: AuthScheme = { header: async () => 'Bearer eyJ-live-token-abcdef', renew: async () => false };
    const { http, pool, log, redactor } = client({ auth });
    redactor.add('eyJ-live-token-abcdef');
    pool()
      .intercept({ path: '/api/v3/Customer/PIN', method: 'PUT' })
      .reply(200, { Message: 'PIN updated', access_token: 'server-token-zzzz' }, { headers: { 'content-type': 'application/json' } });
    await http.request({ method: 'PUT', path: '/Customer/PIN', body: { ID: 'c1', PIN: '482913', client_secret: 'cs-very-secret' }, secrets: ['482913'] });
    const text = log.join('\n');
    expect(text).toContain('> PUT https://pos.example.test/api/v3/Customer/PIN');
    expect(text).toContain('authorization: Bearer [redacted]');
    expect(text).toContain('"PIN":"[redacted]"');
    expect(text).toContain('"ID":"c1"');
    expect(text).toContain('< 200');
    for (const secret of ['eyJ-live-token-abcdef', '482913', 'cs-very-secret', 'server-token-zzzz']) expect(text).not.toContain(secret);
  });

  it('lets a write guard stop a write before it is sent, while reads and logins go out', async () => {
    const seen: string[] = [];
    const { http, pool } = client({
      beforeWrite: (spec, url) => {
        seen.push(`${spec.method} ${url}`);
        throw new Error('dry run');
      },
    });
    pool().intercept({ path: '/api/v3/Customer/Detail?Code=A', method: 'GET' }).reply(200, {});
    pool().intercept({ path: '/api/v3/Token/OAuth2', method: 'POST' }).reply(200, {});
    await http.request({ method: 'GET', path: '/Customer/Detail', query: { Code: 'A' } });
    await http.request({ method: 'POST', path: '/Token/OAuth2', auth: false, body: {} });
    await expect(http.request({ method: 'PUT', path: '/Customer/ByCode', body: { Code: 'A' } })).rejects.toThrow('dry run');
    expect(seen).toEqual(['PUT https://pos.example.test/api/v3/Customer/ByCode']);
    expect(http.requestsSent).toBe(2);
  });
});
