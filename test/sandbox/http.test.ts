import { Agent, request } from 'node:http';
import { describe, expect, it } from 'vitest';
import { startSandbox } from '../../src/sandbox/index.js';
import { closeSandboxesAfterEach, sleep, start, track } from './helpers.js';

closeSandboxesAfterEach();

describe('sandbox HTTP surface: routing', () => {
  it('binds to 127.0.0.1 on a free port and exposes origin and baseUrl', async () => {
    const h = await start();
    expect(h.sb.port).toBeGreaterThan(0);
    expect(h.sb.origin).toBe(`http://127.0.0.1:${h.sb.port}`);
    expect(h.sb.baseUrl).toBe(`${h.sb.origin}/api/v3`);
    expect(h.sb.backend).toBe('dealpos');
  });

  it('matches routes and query names case-insensitively, with or without a trailing slash', async () => {
    const h = await start();
    for (const path of ['/customer/newcode', '/CUSTOMER/NEWCODE', '/Customer/NewCode/']) {
      expect((await h.api('GET', path)).body, path).toBe('C-00006');
    }
    const lowerBase = await fetch(`${h.sb.origin}/API/V3/customer?pagesize=2&PAGENUMBER=1`, { headers: { Authorization: `Bearer ${h.token}` } });
    expect(lowerBase.status).toBe(200);
    expect(((await lowerBase.json()) as unknown[]).length).toBe(2);
  });

  it('answers 404 {Message} for unknown routes and paths outside the API', async () => {
    const h = await start();
    const unknown = await h.api('GET', '/Customer/Nope');
    expect(unknown.status).toBe(404);
    expect((unknown.body as { Message: string }).Message).toMatch(/Customer\/Nope/);
    const outside = await h.raw('GET', '/Customer');
    expect(outside.status).toBe(404);
    expect(typeof (outside.body as { Message: unknown }).Message).toBe('string');
  });

  it('answers 405 {Message} with Allow for a wrong method', async () => {
    const h = await start();
    const answer = await h.api('PATCH', '/Customer');
    expect(answer.status).toBe(405);
    expect((answer.body as { Message: string }).Message).toMatch(/PATCH/);
    expect(answer.headers.get('allow')).toBe('GET, PUT, POST, DELETE');
    expect((await h.api('GET', '/Customer/Merge')).status).toBe(405);
    expect((await h.api('GET', '/Token/OAuth2')).status).toBe(405);
  });

  it('serves many requests over one keep-alive connection, concurrently', async () => {
    const h = await start({ seed: 200 });
    const agent = new Agent({ keepAlive: true, maxSockets: 8 });
    const get = (path: string) =>
      new Promise<number>((resolve, reject) => {
        const req = request(`${h.sb.baseUrl}${path}`, { agent, headers: { Authorization: `Bearer ${h.token}` } }, (res) => {
          res.resume();
          res.on('end', () => resolve(res.statusCode ?? 0));
        });
        req.on('error', reject);
        req.end();
      });
    const started = Date.now();
    const statuses = await Promise.all(Array.from({ length: 800 }, (_, i) => get(`/Customer/Detail?Code=C-${String((i % 200) + 1).padStart(5, '0')}`)));
    const elapsed = Date.now() - started;
    agent.destroy();
    expect(statuses.every((s) => s === 200)).toBe(true);
    expect(elapsed).toBeLessThan(5000);
    expect(h.sb.stats().requests).toBe(801);
  });

  it('refuses bad options with a clear error', async () => {
    await expect(startSandbox({ faults: 2 })).rejects.toThrow(/faults/);
    await expect(startSandbox({ faultKinds: ['boom' as never] })).rejects.toThrow(/faultKinds/);
    await expect(startSandbox({ quota: -1 })).rejects.toThrow(/quota/);
    await expect(startSandbox({ seed: 1.5 })).rejects.toThrow(/seed/);
    await expect(startSandbox({ backend: 'nope' as never })).rejects.toThrow(/dealpos/);
    await expect(startSandbox({ tokenTtlSeconds: 0 })).rejects.toThrow(/tokenTtlSeconds/);
  });

  it('reports a port in use', async () => {
    const a = track(await startSandbox({ port: 0, seed: 0 }));
    await expect(startSandbox({ port: a.port, seed: 0 })).rejects.toThrow(/EADDRINUSE/);
  });
});

describe('sandbox HTTP surface: rate limit', () => {
  it('sends RateLimit-* headers on every API answer, the token endpoint and errors included', async () => {
    const h = await start({ quota: 10, windowSeconds: 180 });
    // The token request in start() used 1 of 10.
    const first = await h.api('GET', '/Customer/NewCode');
    expect(first.headers.get('ratelimit-limit')).toBe('10');
    expect(first.headers.get('ratelimit-remaining')).toBe('8');
    expect(first.headers.get('ratelimit-policy')).toBe('10;w=180');
    const reset = Number(first.headers.get('ratelimit-reset'));
    expect(reset).toBeGreaterThanOrEqual(179);
    expect(reset).toBeLessThanOrEqual(180);
    const denied = await h.api('GET', '/Customer', { token: null });
    expect(denied.status).toBe(401);
    expect(denied.headers.get('ratelimit-remaining')).toBe('7');
    const missing = await h.api('GET', '/Customer/Detail', { query: 'Code=none' });
    expect(missing.headers.get('ratelimit-remaining')).toBe('6');
    const token = await h.api('POST', '/Token/OAuth2', { token: null, body: { client_id: 'sandbox', client_secret: 'sandbox-secret' } });
    expect(token.headers.get('ratelimit-remaining')).toBe('5');
    // Control endpoints are outside the quota and carry no headers.
    const control = await h.raw('GET', '/_sandbox/stats');
    expect(control.headers.get('ratelimit-limit')).toBeNull();
    expect((await h.api('GET', '/Customer/NewCode')).headers.get('ratelimit-remaining')).toBe('4');
  });

  it('answers 429 over quota with the vendor message and no Retry-After, then recovers after the window', async () => {
    const h = await start({ quota: 3, windowSeconds: 1 });
    await sleep(1050); // a fresh window, without the token request in it
    expect((await h.api('GET', '/Customer/NewCode')).status).toBe(200);
    expect((await h.api('GET', '/Customer/NewCode')).status).toBe(200);
    const last = await h.api('GET', '/Customer/NewCode');
    expect(last.status).toBe(200);
    expect(last.headers.get('ratelimit-remaining')).toBe('0');
    const before = h.sb.customers().length;
    const over = await h.api('POST', '/Customer', { body: { Name: 'Too late' } });
    expect(over.status).toBe(429);
    expect(over.body).toEqual({ Message: 'API calls quota exceeded! maximum admitted 3 per 1s. Try again in 1 seconds.' });
    expect(over.headers.get('retry-after')).toBeNull();
    expect(over.headers.get('ratelimit-remaining')).toBe('0');
    expect(over.headers.get('ratelimit-reset')).toBe('1');
    expect(over.headers.get('ratelimit-policy')).toBe('3;w=1');
    expect(h.sb.customers().length).toBe(before); // not applied
    expect((await h.api('POST', '/Token/OAuth2', { token: null, body: { client_id: 'sandbox', client_secret: 'sandbox-secret' } })).status).toBe(429);
    expect(h.sb.stats().rateLimited).toBe(2);
    await sleep(1050);
    const again = await h.api('GET', '/Customer/NewCode');
    expect(again.status).toBe(200);
    expect(again.headers.get('ratelimit-remaining')).toBe('2');
  });

  it('names the real wait in the 429 message', async () => {
    const h = await start({ quota: 1, windowSeconds: 50 });
    const over = await h.api('GET', '/Customer/NewCode');
    expect(over.status).toBe(429);
    const reset = over.headers.get('ratelimit-reset');
    expect(Number(reset)).toBeGreaterThanOrEqual(49);
    expect((over.body as { Message: string }).Message).toBe(`API calls quota exceeded! maximum admitted 1 per 50s. Try again in ${reset} seconds.`);
  });

  it('has no limit and no headers without a quota, and a quota can be set at run time', async () => {
    const h = await start();
    const plain = await h.api('GET', '/Customer/NewCode');
    expect(plain.headers.get('ratelimit-limit')).toBeNull();
    h.sb.configure({ quota: 2, windowSeconds: 60 });
    expect((await h.api('GET', '/Customer/NewCode')).headers.get('ratelimit-remaining')).toBe('1');
    expect((await h.api('GET', '/Customer/NewCode')).status).toBe(200);
    expect((await h.api('GET', '/Customer/NewCode')).status).toBe(429);
    await h.raw('PUT', '/_sandbox/config', { body: { quota: null } });
    expect((await h.api('GET', '/Customer/NewCode')).status).toBe(200);
  });
});

describe('sandbox HTTP surface: latency', () => {
  it('delays API answers by latencyMs but not control endpoints', async () => {
    const h = await start({ latencyMs: 300 });
    let t = Date.now();
    await h.api('GET', '/Customer/NewCode');
    expect(Date.now() - t).toBeGreaterThanOrEqual(290);
    t = Date.now();
    await h.raw('GET', '/_sandbox/stats');
    expect(Date.now() - t).toBeLessThan(200);
  });
});
