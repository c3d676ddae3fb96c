// The MYPOS emulator's login: HTTP Basic for a JWT bearer token, 400 with failureDescription for a
// bad login, token lifetime, and the 250-tokens-per-UTC-day limit (429 + Retry-After).
import { describe, expect, it } from 'vitest';
import { startSandbox } from '../../src/sandbox/index.js';
import { closeSandboxesAfterEach, track } from './helpers.js';
import { basic, call, startMypos } from './mypos-helpers.js';

closeSandboxesAfterEach();

describe('MYPOS sandbox login', () => {
  it('issues a JWT bearer token for the fixed API user, with exp = now + tokenTtlSeconds (default 7200)', async () => {
    const before = Math.floor(Date.now() / 1000);
    const h = await startMypos();
    expect(h.sb.credentials).toEqual({ username: 'api-user@sandbox.poscust.test', password: 'sandbox-password' });
    expect(h.sb.baseUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/api\/v2$/);
    const claims = JSON.parse(Buffer.from(h.token.split('.')[1]!, 'base64url').toString()) as { exp: number; sub: string };
    expect(claims.sub).toBe('api-user@sandbox.poscust.test');
    expect(claims.exp - before).toBeGreaterThanOrEqual(7199);
    expect(claims.exp - before).toBeLessThanOrEqual(7201);
    expect((await h.api('GET', '/customers')).status).toBe(200);
    expect(h.sb.stats().tokensIssued).toBe(1);
  });

  it('answers a bad login 400 with failureDescription and bearerToken null; the e-mail is case-insensitive', async () => {
    const h = await startMypos();
    const wrong = await h.login('api-user@sandbox.poscust.test', 'nope');
    expect([wrong.status, wrong.body]).toEqual([400, { failureDescription: 'Invalid API user e-mail or password.', bearerToken: null }]);
    const none = await call(`${h.sb.baseUrl}/auth/token`, 'POST');
    expect(none.status).toBe(400);
    expect((none.body as { failureDescription: string }).failureDescription).toContain('HTTP Basic');
    const bearer = await call(`${h.sb.baseUrl}/auth/token`, 'POST', { token: h.token });
    expect(bearer.status).toBe(400);
    expect((await h.login('API-User@Sandbox.poscust.test', 'sandbox-password')).status).toBe(200);
    expect((await call(`${h.sb.baseUrl}/auth/token`, 'GET')).status).toBe(405);
  });

  it('honours custom credentials', async () => {
    const h = await startMypos({ username: 'me@shop.test', password: 'pa:ss word' });
    expect(h.sb.credentials).toEqual({ username: 'me@shop.test', password: 'pa:ss word' });
    expect((await h.login('me@shop.test', 'pa:ss')).status).toBe(400);
  });

  it('refuses calls without a valid bearer token (401), and Basic on an API call', async () => {
    const h = await startMypos();
    expect((await h.api('GET', '/customers', { token: null })).status).toBe(401);
    expect((await h.api('GET', '/customers', { token: 'forged.token.here' })).status).toBe(401);
    const basicOnApi = await h.api('GET', '/customers', { token: null, headers: { Authorization: basic('api-user@sandbox.poscust.test', 'sandbox-password') } });
    expect(basicOnApi.status).toBe(401);
    expect(basicOnApi.body).toEqual({ failureDescription: 'Authorization has been denied for this request.' });
  });

  it('expires tokens after tokenTtlSeconds with 401 saying so', async () => {
    let now = Date.UTC(2026, 0, 10, 8, 0, 0);
    const sb = track(await startSandbox({ port: 0, seed: 1, backend: 'mypos', clock: () => new Date(now) }));
    const login = await call(`${sb.baseUrl}/auth/token`, 'POST', { headers: { Authorization: basic(sb.credentials.username!, sb.credentials.password!) } });
    const token = (login.body as { bearerToken: string }).bearerToken;
    now += 7199_000;
    expect((await call(`${sb.baseUrl}/customers`, 'GET', {}, token)).status).toBe(200);
    now += 1000;
    const expired = await call(`${sb.baseUrl}/customers`, 'GET', {}, token);
    expect(expired.status).toBe(401);
    expect(expired.body).toEqual({ failureDescription: 'The bearer token has expired; obtain a new one from /auth/token.' });
  });

  it('issues at most dailyTokenLimit tokens per UTC day, then 429 with Retry-After until 00:00 UTC', async () => {
    let now = Date.UTC(2026, 0, 10, 23, 0, 0);
    const sb = track(await startSandbox({ port: 0, seed: 1, backend: 'mypos', dailyTokenLimit: 3, clock: () => new Date(now) }));
    const login = () => call(`${sb.baseUrl}/auth/token`, 'POST', { headers: { Authorization: basic(sb.credentials.username!, sb.credentials.password!) } });
    for (let i = 0; i < 3; i++) expect((await login()).status).toBe(200);
    const refused = await login();
    expect(refused.status).toBe(429);
    expect(refused.headers.get('retry-after')).toBe('3600');
    expect(refused.body).toEqual({
      failureDescription:
        'API user api-user@sandbox.poscust.test has reached its limit of 3 tokens per UTC day; the next token can be issued ' +
        'after 00:00 UTC. Keep the token and reuse it until it expires.',
      bearerToken: null,
    });
    expect(sb.stats().tokensIssued).toBe(3);
    now = Date.UTC(2026, 0, 11, 0, 0, 1);
    expect((await login()).status).toBe(200);
    expect(sb.config()).toMatchObject({ tokenTtlSeconds: 7200, dailyTokenLimit: 3 });
  });

  it('defaults to the vendor limit of 250 and validates the settings', async () => {
    const h = await startMypos();
    expect(h.sb.config()).toMatchObject({ tokenTtlSeconds: 7200, dailyTokenLimit: 250 });
    expect(() => h.sb.configure({ dailyTokenLimit: 0 })).toThrow('dailyTokenLimit must be a whole number');
    expect(() => h.sb.configure({ codeGenerator: false })).toThrow("unknown sandbox setting 'codeGenerator'");
    h.sb.configure({ tokenTtlSeconds: 60 });
    expect(h.sb.config()).toMatchObject({ tokenTtlSeconds: 60 });
  });
});
