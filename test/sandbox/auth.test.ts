import { describe, expect, it } from 'vitest';
import { startSandbox } from '../../src/sandbox/index.js';
import { closeSandboxesAfterEach, fetchToken, sleep, start, track } from './helpers.js';

closeSandboxesAfterEach();

const DENIED = { Message: 'Authorization has been denied for this request.' };

describe('DealPOS sandbox: token endpoint and auth', () => {
  it('issues a bearer token for the default credentials (JSON body)', async () => {
    const h = await start();
    expect(h.sb.credentials).toEqual({ clientId: 'sandbox', clientSecret: 'sandbox-secret' });
    const answer = await h.api('POST', '/Token/OAuth2', {
      token: null,
      body: { client_id: 'sandbox', client_secret: 'sandbox-secret' },
    });
    expect(answer.status).toBe(200);
    const body = answer.body as Record<string, unknown>;
    expect(body.token_type).toBe('Bearer');
    expect(body.expires_in).toBe(3600);
    expect(typeof body.access_token).toBe('string');
    expect((body.access_token as string).length).toBeGreaterThanOrEqual(32);
    expect(body.access_token).not.toBe(h.token);
    expect(h.sb.stats().tokensIssued).toBe(2);
  });

  it('accepts application/x-www-form-urlencoded credentials', async () => {
    const h = await start();
    const answer = await h.api('POST', '/token/oauth2', {
      token: null,
      raw: 'grant_type=client_credentials&client_id=sandbox&client_secret=sandbox-secret',
      contentType: 'application/x-www-form-urlencoded',
    });
    expect(answer.status).toBe(200);
    const token = (answer.body as { access_token: string }).access_token;
    expect((await h.api('GET', '/Customer/NewCode', { token })).status).toBe(200);
  });

  it('honours custom credentials and rejects wrong or missing ones with 401 {Message}', async () => {
    const h = await start({ clientId: 'shop-1', clientSecret: 's3cret' });
    expect(h.sb.credentials).toEqual({ clientId: 'shop-1', clientSecret: 's3cret' });
    for (const body of [{ client_id: 'shop-1', client_secret: 'nope' }, { client_id: 'sandbox', client_secret: 'sandbox-secret' }, {}]) {
      const answer = await h.api('POST', '/Token/OAuth2', { token: null, body });
      expect(answer.status).toBe(401);
      expect(typeof (answer.body as { Message: unknown }).Message).toBe('string');
    }
    expect(h.sb.stats().tokensIssued).toBe(1);
  });

  it('answers 400 to a token request whose JSON is broken', async () => {
    const h = await start();
    const answer = await h.api('POST', '/Token/OAuth2', { token: null, raw: '{"client_id":' });
    expect(answer.status).toBe(400);
    expect((answer.body as { Message: string }).Message).toMatch(/JSON/);
  });

  it('denies calls without a token, with an unknown token, or with another scheme', async () => {
    const h = await start();
    expect(await h.api('GET', '/Customer', { token: null })).toMatchObject({ status: 401, body: DENIED });
    expect(await h.api('GET', '/Customer', { token: 'not-a-token' })).toMatchObject({ status: 401, body: DENIED });
    const basic = await h.api('GET', '/Customer', { token: null, headers: { Authorization: `Basic ${h.token}` } });
    expect(basic).toMatchObject({ status: 401, body: DENIED });
    // Every endpoint is protected, writes included, and nothing changes.
    const before = h.sb.customers().length;
    expect((await h.api('POST', '/Customer', { token: null, body: { Name: 'X' } })).status).toBe(401);
    expect(h.sb.customers().length).toBe(before);
    // The scheme is case-insensitive.
    const lower = await h.api('GET', '/Customer', { token: null, headers: { Authorization: `bearer ${h.token}` } });
    expect(lower.status).toBe(200);
  });

  it('expires tokens after tokenTtlSeconds', async () => {
    const h = await start({ tokenTtlSeconds: 1 });
    const issued = await h.api('POST', '/Token/OAuth2', {
      token: null,
      body: { client_id: 'sandbox', client_secret: 'sandbox-secret' },
    });
    expect((issued.body as { expires_in: number }).expires_in).toBe(1);
    expect((await h.api('GET', '/Customer/NewCode')).status).toBe(200);
    await sleep(1100);
    expect(await h.api('GET', '/Customer/NewCode')).toMatchObject({ status: 401, body: DENIED });
    // Renewing once works.
    h.token = await h.newToken();
    expect((await h.api('GET', '/Customer/NewCode')).status).toBe(200);
  });

  it('changes the TTL of new tokens at run time', async () => {
    const h = await start();
    h.sb.configure({ tokenTtlSeconds: 120 });
    const answer = await h.api('POST', '/Token/OAuth2', {
      token: null,
      body: { client_id: 'sandbox', client_secret: 'sandbox-secret' },
    });
    expect((answer.body as { expires_in: number }).expires_in).toBe(120);
  });

  it('forgets tokens on restart, so a client must renew', async () => {
    const first = await startSandbox({ port: 0, seed: 1 });
    const token = await fetchToken(first);
    const port = first.port;
    await first.close();
    const second = track(await startSandbox({ port, seed: 1 }));
    const res = await fetch(`${second.baseUrl}/Customer`, { headers: { Authorization: `Bearer ${token}` } });
    expect(res.status).toBe(401);
    expect(await res.json()).toEqual(DENIED);
  });
});
