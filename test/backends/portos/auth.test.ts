// PORTOS login, token cache, refresh-then-login on 401, redaction, and connection settings.
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { MockAgent } from 'undici';
import { FakeClock, runCli, strictAgent, tempDir } from '../../helpers/harness.js';
import { JSONH, LOGIN_BODY, PASSWORD, PORTOS_ORIGIN, PROBLEMH, Through, customer, expectLogin, jwt, portosEnv } from '../../helpers/portos.js';

let agent: MockAgent;
afterEach(async () => {
  agent.assertNoPendingInterceptors();
  await agent.close();
});

function stub(origin = PORTOS_ORIGIN): ReturnType<MockAgent['get']> {
  agent = strictAgent();
  return agent.get(origin);
}

function sent(): string[] {
  return (agent.getCallHistory()?.calls() ?? []).map((c) => `${c.method} ${new URL(c.fullUrl).pathname} ${c.headers && (c.headers as Record<string, string>).authorization ? (c.headers as Record<string, string>).authorization : '-'}`);
}

const A = customer('a-1');
const unauthorized = { title: 'Unauthorized', status: 401, detail: 'The token is missing, invalid or expired.', errorCode: 1 };

describe('portos login and tokens', () => {
  it('logs in with user, password and device, caches the token owner-only, and reuses it', async () => {
    const pool = stub();
    const token = jwt('t1');
    expectLogin(pool, token, 'r1');
    pool.intercept({ path: '/customers/a-1', method: 'GET', headers: { authorization: `Bearer ${token}` } }).reply(200, A, JSONH).times(2);
    const configDir = tempDir();
    const first = await runCli(['get', '--id', 'a-1', '--json'], { env: portosEnv(), dispatcher: new Through(agent), configDir });
    const second = await runCli(['get', '--id', 'a-1', '--json'], { env: portosEnv(), dispatcher: new Through(agent), configDir });
    expect([first.code, second.code]).toEqual([0, 0]);
    expect(sent().filter((s) => s.startsWith('POST'))).toHaveLength(1);
    const dir = join(configDir, 'tokens');
    const [file] = readdirSync(dir);
    expect(statSync(join(dir, file!)).mode & 0o777).toBe(0o600);
    const cached = readFileSync(join(dir, file!), 'utf8');
    expect(JSON.parse(cached)).toMatchObject({ token, refreshToken: 'r1' });
    expect(cached).not.toContain(PASSWORD);
  });

  it('on a 401 refreshes with /api/auth/refresh first, and logs in again only when the refresh is refused', async () => {
    const pool = stub();
    const configDir = tempDir();
    const run = () => runCli(['get', '--id', 'a-1', '--json'], { env: portosEnv(), dispatcher: new Through(agent), configDir });
    const [t1, t2, t3] = [jwt('t1'), jwt('t2'), jwt('t3')];
    expectLogin(pool, t1, 'r1');
    pool.intercept({ path: '/customers/a-1', method: 'GET', headers: { authorization: `Bearer ${t1}` } }).reply(200, A, JSONH);
    expect((await run()).code).toBe(0);

    // The server revoked t1: refresh trades the pair for a new one, no login.
    pool.intercept({ path: '/customers/a-1', method: 'GET', headers: { authorization: `Bearer ${t1}` } }).reply(401, unauthorized, PROBLEMH);
    pool
      .intercept({ path: '/api/auth/refresh', method: 'POST', body: JSON.stringify({ tokenId: t1, refreshToken: 'r1' }) })
      .reply(200, { tokenId: t2, refreshToken: 'r2' }, JSONH);
    pool.intercept({ path: '/customers/a-1', method: 'GET', headers: { authorization: `Bearer ${t2}` } }).reply(200, A, JSONH);
    expect((await run()).code).toBe(0);

    // Now the refresh token is refused too: log in again.
    pool.intercept({ path: '/customers/a-1', method: 'GET', headers: { authorization: `Bearer ${t2}` } }).reply(401, unauthorized, PROBLEMH);
    pool
      .intercept({ path: '/api/auth/refresh', method: 'POST', body: JSON.stringify({ tokenId: t2, refreshToken: 'r2' }) })
      .reply(401, { title: 'Unauthorized', status: 401, detail: 'The refresh token is invalid.', errorCode: 1 }, PROBLEMH);
    expectLogin(pool, t3, 'r3');
    pool.intercept({ path: '/customers/a-1', method: 'GET', headers: { authorization: `Bearer ${t3}` } }).reply(200, A, JSONH);
    const third = await run();
    expect(third.code).toBe(0);
    expect(sent().map((s) => s.split(' ').slice(0, 2).join(' '))).toEqual([
      'POST /api/auth', 'GET /customers/a-1',
      'GET /customers/a-1', 'POST /api/auth/refresh', 'GET /customers/a-1',
      'GET /customers/a-1', 'POST /api/auth/refresh', 'POST /api/auth', 'GET /customers/a-1',
    ]);
  });

  it('refreshes an expired cached token before using it (no 401 round trip)', async () => {
    const pool = stub();
    const configDir = tempDir();
    const clock = new FakeClock();
    const t1 = jwt('t1', 600, clock.now());
    const t2 = jwt('t2', 3600, clock.now() + 3_600_000);
    expectLogin(pool, t1, 'r1');
    pool.intercept({ path: '/customers/a-1', method: 'GET', headers: { authorization: `Bearer ${t1}` } }).reply(200, A, JSONH);
    expect((await runCli(['get', '--id', 'a-1'], { env: portosEnv(), dispatcher: new Through(agent), configDir, clock })).code).toBe(0);
    clock.time += 3_600_000;
    pool.intercept({ path: '/api/auth/refresh', method: 'POST', body: JSON.stringify({ tokenId: t1, refreshToken: 'r1' }) }).reply(200, { tokenId: t2, refreshToken: 'r2' }, JSONH);
    pool.intercept({ path: '/customers/a-1', method: 'GET', headers: { authorization: `Bearer ${t2}` } }).reply(200, A, JSONH);
    expect((await runCli(['get', '--id', 'a-1'], { env: portosEnv(), dispatcher: new Through(agent), configDir, clock })).code).toBe(0);
  });

  it('exits 4 on refused credentials, naming user and device, never the password', async () => {
    const pool = stub();
    pool
      .intercept({ path: '/api/auth', method: 'POST', body: LOGIN_BODY })
      .reply(401, { title: 'Unauthorized', status: 401, detail: 'Invalid user name or password.', errorCode: 1 }, PROBLEMH);
    const r = await runCli(['--verbose', 'count'], { env: portosEnv(), dispatcher: new Through(agent) });
    expect(r.code).toBe(4);
    expect(r.stderr).toContain("poscust: PORTOS at pos.shop.test refused user 'manager' on device 'till-1': Unauthorized: Invalid user name or password.\n");
    expect(r.stderr).toContain('"Password":"[redacted]"');
    expect(r.stderr).not.toContain(PASSWORD);
  });

  it('says the base URL is wrong when there is no /api/auth (exit 1)', async () => {
    const pool = stub();
    pool.intercept({ path: '/api/auth', method: 'POST' }).reply(404, 'Not Found', { headers: { 'content-type': 'text/plain' } });
    const r = await runCli(['count'], { env: portosEnv(), dispatcher: new Through(agent) });
    expect(r.code).toBe(1);
    expect(r.stderr).toBe('poscust: pos.shop.test has no /api/auth at this base URL (404); PORTOS serves it at the server root, e.g. http://10.0.0.5\n');
  });

  it('--verbose redacts the password, the tokens and the refresh tokens in both directions', async () => {
    const pool = stub();
    const configDir = tempDir();
    const [t1, t2] = [jwt('t1'), jwt('t2')];
    expectLogin(pool, t1, 'refresh-one-0123456789');
    pool.intercept({ path: '/customers/a-1', method: 'GET' }).reply(200, A, JSONH);
    const first = await runCli(['--verbose', 'get', '--id', 'a-1'], { env: portosEnv(), dispatcher: new Through(agent), configDir });
    pool.intercept({ path: '/customers/a-1', method: 'GET', headers: { authorization: `Bearer ${t1}` } }).reply(401, unauthorized, PROBLEMH);
    pool.intercept({ path: '/api/auth/refresh', method: 'POST' }).reply(200, { tokenId: t2, refreshToken: 'refresh-two-0123456789' }, JSONH);
    pool.intercept({ path: '/customers/a-1', method: 'GET' }).reply(200, A, JSONH);
    const second = await runCli(['--verbose', 'get', '--id', 'a-1'], { env: portosEnv(), dispatcher: new Through(agent), configDir });
    const log = first.stderr + second.stderr;
    expect(log).toContain('> POST https://pos.shop.test/api/auth/refresh');
    expect(log).toContain('"tokenId":"[redacted]"');
    expect(log).toContain('"refreshToken":"[redacted]"');
    for (const secret of [PASSWORD, t1, t2, 'refresh-one-0123456789', 'refresh-two-0123456789']) expect(log).not.toContain(secret);
  });
});

describe('portos connection settings', () => {
  it('refuses plain http to a LAN server unless allowed, and then talks to it', async () => {
    const pool = stub('http://10.0.0.5');
    const env = portosEnv('http://10.0.0.5');
    const refused = await runCli(['count'], { env, dispatcher: new Through(agent) });
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain('refusing to send credentials over plain http:// to 10.0.0.5');
    expect(refused.stderr).toContain('--allow-insecure-http');
    expect(sent()).toEqual([]);
    expectLogin(pool, jwt('t'));
    pool.intercept({ path: '/customers?$count=true', method: 'GET' }).reply(200, { count: 7, totalCount: 7 }, JSONH);
    const allowed = await runCli(['--allow-insecure-http', 'count'], { env, dispatcher: new Through(agent) });
    expect(allowed.stdout).toBe('7\n');
  });

  it('says which setting is missing: device name, user name, password', async () => {
    agent = strictAgent();
    for (const [drop, variable] of [
      ['POSCUST_DEVICE_NAME', 'POSCUST_DEVICE_NAME'],
      ['POSCUST_USERNAME', 'POSCUST_USERNAME'],
      ['POSCUST_PASSWORD', 'POSCUST_PASSWORD'],
    ]) {
      const env: Record<string, string | undefined> = { ...portosEnv(), [drop!]: undefined };
      const r = await runCli(['count'], { env, dispatcher: new Through(agent) });
      expect(r.code, drop).toBe(2);
      expect(r.stderr).toContain(variable);
    }
    expect(sent()).toEqual([]);
  });

  it('stores a portos profile (password from stdin, LAN http allowed) and uses it', async () => {
    const pool = stub('http://10.0.0.5');
    const configDir = tempDir();
    const add = await runCli(
      ['profile', 'add', 'lan', '--backend', 'portos', '--base-url', 'http://10.0.0.5', '--username', 'manager', '--device-name', 'till-1', '--password-stdin', '--allow-insecure-http'],
      { configDir, stdin: `${PASSWORD}\n` },
    );
    expect(add.code, add.stderr).toBe(0);
    expect(JSON.parse(readFileSync(join(configDir, 'config.json'), 'utf8')).profiles.lan).toEqual({
      backend: 'portos', baseUrl: 'http://10.0.0.5', username: 'manager', deviceName: 'till-1', password: PASSWORD, allowInsecureHttp: true,
    });
    const show = await runCli(['profile', 'show', 'lan'], { configDir });
    expect(show.stdout).not.toContain(PASSWORD);
    expectLogin(pool, jwt('t'));
    pool.intercept({ path: '/customers?$count=true', method: 'GET' }).reply(200, { count: 3, totalCount: 3 }, JSONH);
    const r = await runCli(['count'], { configDir, dispatcher: new Through(agent) });
    expect(r.stdout).toBe('3\n');
    const noDevice = await runCli(['profile', 'add', 'x', '--backend', 'portos', '--base-url', 'http://10.0.0.5', '--username', 'u', '--password-stdin'], { configDir, stdin: 'p\n' });
    expect(noDevice.code).toBe(2);
    expect(noDevice.stderr).toContain('--device-name');
  });
});
