import { describe, expect, it } from 'vitest';
import type { RecordedRequest } from '../../src/sandbox/index.js';
import { closeSandboxesAfterEach, start } from './helpers.js';
import type { Customer } from './helpers.js';

closeSandboxesAfterEach();

describe('sandbox control endpoints', () => {
  it('GET /_sandbox/requests returns the API request log with method, path, raw query, lower-cased headers, body, status', async () => {
    const h = await start();
    await h.api('GET', '/Customer', { query: 'Name=Budi&PageSize=5', headers: { 'X-Trace': 'abc' } });
    await h.api('POST', '/Customer', { body: { Name: 'Logged', LoyaltyPoint: 3 } });
    await h.api('POST', '/Customer', { raw: '{broken' });
    const answer = await h.raw('GET', '/_sandbox/requests');
    expect(answer.status).toBe(200);
    const log = answer.body as RecordedRequest[];
    expect(log.map((r) => `${r.method} ${r.path}`)).toEqual([
      'POST /api/v3/Token/OAuth2',
      'GET /api/v3/Customer',
      'POST /api/v3/Customer',
      'POST /api/v3/Customer',
    ]);
    const [token, list, created, broken] = log as [RecordedRequest, RecordedRequest, RecordedRequest, RecordedRequest];
    expect(token.status).toBe(200);
    expect(list).toMatchObject({ query: 'Name=Budi&PageSize=5', body: null, status: 200, fault: null, answered: true });
    expect(list.headers['x-trace']).toBe('abc');
    // Credentials never stay in the log: the scheme is kept, the token and the secret are not.
    expect(list.headers.authorization).toBe('Bearer [redacted]');
    expect(JSON.stringify(log)).not.toContain(h.token);
    expect(token.body).toMatchObject({ client_secret: '[redacted]' });
    expect(Object.keys(list.headers).every((k) => k === k.toLowerCase())).toBe(true);
    expect(created).toMatchObject({ body: { Name: 'Logged', LoyaltyPoint: 3 }, status: 200, query: '' });
    expect(broken).toMatchObject({ body: '{broken', status: 400 });
    expect(Date.parse(list.time)).toBeGreaterThan(Date.now() - 60_000);
    expect(list.seq).toBe(token.seq + 1);
    // The live view in-process holds the same entries.
    expect(h.sb.requests.map((r) => r.seq)).toEqual(log.map((r) => r.seq));
    // Control requests are not logged.
    expect((await h.raw('GET', '/_sandbox/requests')).body).toHaveLength(4);
  });

  it('DELETE /_sandbox/requests clears the log in place', async () => {
    const h = await start();
    const live = h.sb.requests;
    expect(live.length).toBe(1);
    const answer = await h.raw('DELETE', '/_sandbox/requests');
    expect(answer.body).toMatchObject({ cleared: 1 });
    expect(live.length).toBe(0);
    await h.api('GET', '/Customer/NewCode');
    expect(live.length).toBe(1);
    expect(h.sb.requests).toBe(live);
  });

  it('caps the request log at requestLogLimit, dropping the oldest', async () => {
    const h = await start({ requestLogLimit: 5 });
    for (let i = 1; i <= 12; i++) await h.api('GET', '/Customer', { query: `PageNumber=${i}` });
    expect(h.sb.requests).toHaveLength(5);
    expect(h.sb.requests.map((r) => r.query)).toEqual(['PageNumber=8', 'PageNumber=9', 'PageNumber=10', 'PageNumber=11', 'PageNumber=12']);
    expect(h.sb.stats().requests).toBe(13);
    expect((await h.raw('GET', '/_sandbox/requests')).body).toHaveLength(5);
  });

  it('GET /_sandbox/customers returns the state; PUT replaces it whole', async () => {
    const h = await start({ seed: 3 });
    expect(((await h.raw('GET', '/_sandbox/customers')).body as Customer[]).map((c) => c.Code)).toEqual(['C-00001', 'C-00002', 'C-00003']);
    const put = await h.raw('PUT', '/_sandbox/customers', {
      body: [
        { id: 'AAAAAAAA-0000-4000-8000-000000000001', name: 'Replaced', code: 'R-7', email: 'r@example.com', joindate: '2020-02-02', emailverified: true, Extra: 1 },
        { Name: 'No ID' },
      ],
    });
    expect(put).toMatchObject({ status: 200, body: { count: 2 } });
    const state = (await h.raw('GET', '/_sandbox/customers')).body as Customer[];
    expect(state[0]).toMatchObject({ ID: 'AAAAAAAA-0000-4000-8000-000000000001', Name: 'Replaced', Code: 'R-7', JoinDate: '2020-02-02T00:00:00', EmailVerified: true, Status: 'Active' });
    expect(state[0]).not.toHaveProperty('Extra');
    expect(state[1]?.ID).toMatch(/^[0-9a-f-]{36}$/);
    // The API sees the new state, IDs matched case-insensitively.
    expect((await h.api('GET', '/Customer/Detail', { query: 'ID=aaaaaaaa-0000-4000-8000-000000000001' })).status).toBe(200);
    expect((await h.api('GET', '/Customer/NewCode')).body).toBe('R-8');
  });

  it('PUT /_sandbox/customers refuses bad records and duplicates with 400, changing nothing', async () => {
    const h = await start({ seed: 2 });
    const before = h.sb.customers();
    for (const body of [
      { not: 'an array' },
      [{ Code: 'no name' }],
      [{ Name: 'A', Email: 'x@example.com' }, { Name: 'B', Email: 'X@example.com' }],
      [{ Name: 'A', ID: 'same' }, { Name: 'B', ID: 'SAME' }],
      [{ Name: 'A', BirthDate: 'never' }],
    ]) {
      const answer = await h.raw('PUT', '/_sandbox/customers', { body });
      expect(answer.status, JSON.stringify(body)).toBe(400);
      expect(typeof (answer.body as { Message: unknown }).Message).toBe('string');
    }
    expect(h.sb.customers()).toEqual(before);
  });

  it('POST /_sandbox/seed reseeds deterministically', async () => {
    const h = await start({ seed: 2 });
    expect((await h.raw('POST', '/_sandbox/seed', { body: { count: 7 } })).status).toBe(200);
    const seven = h.sb.customers();
    expect(seven).toHaveLength(7);
    await h.raw('POST', '/_sandbox/seed', { body: { count: 7 } });
    expect(h.sb.customers()).toEqual(seven);
    expect((await h.raw('POST', '/_sandbox/seed', { body: { count: -1 } })).status).toBe(400);
  });

  it('GET /_sandbox/stats counts requests, tokens, writes, 429s and faults', async () => {
    const h = await start({ seed: 0, quota: 4, windowSeconds: 60, randomSeed: 5 });
    await h.api('POST', '/Customer', { body: { Name: 'One' } });
    await h.api('POST', '/Customer', { body: {} }); // 400, not a write
    await h.api('GET', '/Customer');
    await h.api('GET', '/Customer'); // 429
    const stats = (await h.raw('GET', '/_sandbox/stats')).body;
    expect(stats).toEqual({
      backend: 'dealpos',
      requests: 5,
      controlRequests: 1,
      writes: 1,
      tokensIssued: 1,
      rateLimited: 1,
      faults: { '500': 0, 'drop-before': 0, 'drop-after': 0, '429': 0, slow: 0 },
      statuses: { '200': 3, '400': 1, '429': 1 },
      customers: 1,
      persistence: null,
      randomSeed: 5,
    });
  });

  it('GET/PUT /_sandbox/config shows and changes settings; bad values are 400 and change nothing', async () => {
    const h = await start();
    const initial = (await h.raw('GET', '/_sandbox/config')).body;
    expect(initial).toEqual({
      faults: 0, faultKinds: ['500', 'drop-before', 'drop-after', '429', 'slow'], slowMs: 2000, latencyMs: 0,
      quota: null, windowSeconds: 180, faultTokenEndpoint: false, codeGenerator: true, tokenTtlSeconds: 3600, dialects: [],
    });
    const changed = await h.raw('PUT', '/_sandbox/config', {
      body: { faults: 0.25, faultKinds: ['slow'], quota: 50, windowSeconds: 180, latencyMs: 5, codeGenerator: false, tokenTtlSeconds: 60, dialects: 'narrow-list,records-count' },
    });
    expect(changed.status).toBe(200);
    expect(changed.body).toMatchObject({ faults: 0.25, faultKinds: ['slow'], quota: 50, latencyMs: 5, codeGenerator: false, tokenTtlSeconds: 60, dialects: ['narrow-list', 'records-count'] });
    for (const body of [{ faults: 1.5 }, { faultKinds: ['nope'] }, { quota: 'many' }, { codeGenerator: 'yes' }, { tokenTtlSeconds: -1 }, { bogus: 1 }, { latencyMs: 1, codeGenerator: 3 }, { dialects: ['portos-code-names'] }, { dialects: 7 }]) {
      const answer = await h.raw('PUT', '/_sandbox/config', { body });
      expect(answer.status, JSON.stringify(body)).toBe(400);
    }
    expect((await h.raw('GET', '/_sandbox/config')).body).toEqual(changed.body);
    expect(() => h.sb.configure({ faults: -1 })).toThrow(/faults/);
  });

  it('answers 404 for unknown control paths and 405 for wrong methods', async () => {
    const h = await start();
    expect((await h.raw('GET', '/_sandbox/nope')).status).toBe(404);
    expect((await h.raw('POST', '/_sandbox/stats')).status).toBe(405);
    expect((await h.raw('PUT', '/_sandbox/config', { raw: '{' })).status).toBe(400);
  });
});
