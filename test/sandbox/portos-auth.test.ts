import { describe, expect, it } from 'vitest';
import { startSandbox } from '../../src/sandbox/index.js';
import { call, closeSandboxesAfterEach, sleep, track } from './helpers.js';
import { ADMIN, CASHIER, startPortos } from './portos-helpers.js';

closeSandboxesAfterEach();

const PROBLEM_TYPE = 'application/problem+json; charset=utf-8';

describe('PORTOS sandbox: /api/auth', () => {
  it('reports user name, password and device name as its credentials, at the server root', async () => {
    const h = await startPortos();
    expect(h.sb.credentials).toEqual({ username: 'admin', password: 'sandbox-password', deviceName: 'sandbox-till' });
    expect(h.sb.baseUrl).toBe(h.sb.origin);
  });

  it('logs in with {UserName, Password, DeviceName}: a JWT with exp, a refresh token, the user and rights', async () => {
    const h = await startPortos({ tokenTtlSeconds: 120 });
    const before = Date.now();
    const answer = await h.login(CASHIER);
    const claims = JSON.parse(Buffer.from(answer.tokenId.split('.')[1]!, 'base64url').toString('utf8')) as { exp: number };
    expect(claims.exp * 1000).toBeGreaterThan(before + 115_000);
    expect(claims.exp * 1000).toBeLessThanOrEqual(Date.now() + 120_000);
    expect(answer.refreshToken.length).toBeGreaterThanOrEqual(32);
    expect(answer.user).toMatchObject({ userName: 'cashier', rights: ['CustomerCreate', 'CustomerUpdate'], device: { name: 'sandbox-till' } });
    expect(h.sb.stats().tokensIssued).toBe(2);
  });

  it('binds member names case-insensitively', async () => {
    const h = await startPortos();
    const answer = await call(`${h.sb.origin}/api/auth`, 'POST', { body: { username: 'ADMIN', password: 'sandbox-password', devicename: 'SANDBOX-TILL' } }, null);
    expect(answer.status).toBe(200);
  });

  it.each([
    [{ ...ADMIN, Password: 'wrong' }, 'Invalid user name or password.'],
    [{ ...ADMIN, UserName: 'nobody' }, 'Invalid user name or password.'],
    [{ ...ADMIN, DeviceName: 'till-9' }, "Unknown device 'till-9'."],
    [{ UserName: 'admin', Password: 'sandbox-password' }, "Unknown device ''."],
  ])('refuses %j with a 401 ProblemDetails, errorCode 1', async (body, detail) => {
    const h = await startPortos();
    const answer = await call(`${h.sb.origin}/api/auth`, 'POST', { body }, null);
    expect(answer.status).toBe(401);
    expect(answer.headers.get('content-type')).toBe(PROBLEM_TYPE);
    expect(answer.body).toMatchObject({ title: 'Unauthorized', status: 401, detail, errorCode: 1, instance: '/api/auth' });
    expect(typeof (answer.body as { traceId: unknown }).traceId).toBe('string');
  });

  it('denies the API without a token, with a wrong one and after expiry (401, WWW-Authenticate: Bearer)', async () => {
    const h = await startPortos({ tokenTtlSeconds: 1 });
    for (const token of [null, 'nope']) {
      const answer = await h.api('GET', '/customers', { token });
      expect(answer.status).toBe(401);
      expect(answer.headers.get('www-authenticate')).toBe('Bearer');
      expect(answer.body).toMatchObject({ errorCode: 1, detail: 'The token is missing, invalid or expired.' });
    }
    expect((await h.api('GET', '/customers')).status).toBe(200);
    await sleep(1100);
    expect((await h.api('GET', '/customers')).status).toBe(401);
  });

  it('refreshes an expired pair once: the new token works, the old pair is spent', async () => {
    const h = await startPortos({ tokenTtlSeconds: 1 });
    await sleep(1100);
    const refreshed = await call(`${h.sb.origin}/api/auth/refresh`, 'POST', { body: { tokenId: h.token, refreshToken: h.refreshToken } }, null);
    expect(refreshed.status).toBe(200);
    const pair = refreshed.body as { tokenId: string; refreshToken: string };
    expect(Object.keys(pair).sort()).toEqual(['refreshToken', 'tokenId']);
    expect((await h.api('GET', '/customers', { token: pair.tokenId })).status).toBe(200);
    const again = await call(`${h.sb.origin}/api/auth/refresh`, 'POST', { body: { tokenId: h.token, refreshToken: h.refreshToken } }, null);
    expect(again.status).toBe(401);
    expect(again.body).toMatchObject({ errorCode: 1 });
    // A refresh token only goes with its own access token.
    const other = await h.login();
    const mixed = await call(`${h.sb.origin}/api/auth/refresh`, 'POST', { body: { tokenId: pair.tokenId, refreshToken: other.refreshToken } }, null);
    expect(mixed.status).toBe(401);
  });

  it('revokeTokens kills access tokens but not refresh tokens; a restart forgets both', async () => {
    const h = await startPortos();
    h.sb.configure({ revokeTokens: true } as never);
    expect((await h.api('GET', '/customers')).status).toBe(401);
    const refreshed = await call(`${h.sb.origin}/api/auth/refresh`, 'POST', { body: { tokenId: h.token, refreshToken: h.refreshToken } }, null);
    expect(refreshed.status).toBe(200);
    const port = h.sb.port;
    await h.sb.close();
    await sleep(50); // let fetch's pool notice the closed keep-alive socket before the port is reused
    const second = track(await startSandbox({ port, seed: 1, backend: 'portos' }));
    const pair = refreshed.body as { tokenId: string; refreshToken: string };
    expect((await call(`${second.origin}/customers`, 'GET', {}, pair.tokenId)).status).toBe(401);
    expect((await call(`${second.origin}/api/auth/refresh`, 'POST', { body: pair }, null)).status).toBe(401);
  });

  it('rejects bad settings without changing anything', async () => {
    const h = await startPortos();
    expect(() => h.sb.configure({ tokenTtlSeconds: 0 })).toThrow(/tokenTtlSeconds/);
    expect(() => h.sb.configure({ codeGenerator: true })).toThrow(/unknown sandbox setting 'codeGenerator'/);
    expect(h.sb.config()).toMatchObject({ tokenTtlSeconds: 3600 });
  });
});
