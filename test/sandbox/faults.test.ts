import { describe, expect, it } from 'vitest';
import { closeSandboxesAfterEach, start } from './helpers.js';
import type { Customer, Harness } from './helpers.js';

closeSandboxesAfterEach();

const names = (h: Harness) => h.sb.customers().map((c) => (c as Customer).Name);

/** fetch rejects when the server drops the connection without answering. */
async function expectDropped(promise: Promise<unknown>): Promise<void> {
  await expect(promise).rejects.toThrow(/fetch failed|socket|terminated|closed/i);
}

describe('sandbox faults (faults: 1, one kind at a time)', () => {
  it('500: answers 500 {Message} and does not apply the change', async () => {
    const h = await start({ seed: 0, faults: 1, faultKinds: ['500'] });
    const answer = await h.api('POST', '/Customer', { body: { Name: 'Never' } });
    expect(answer.status).toBe(500);
    expect(typeof (answer.body as { Message: unknown }).Message).toBe('string');
    expect(names(h)).toEqual([]);
    const stats = h.sb.stats();
    expect(stats.faults['500']).toBe(1);
    expect(stats.writes).toBe(0);
    expect(h.sb.requests.at(-1)).toMatchObject({ method: 'POST', status: 500, fault: '500', answered: true });
  });

  it('drop-before: closes the connection without answering and does not apply the change', async () => {
    const h = await start({ seed: 0, faults: 1, faultKinds: ['drop-before'] });
    await expectDropped(h.api('POST', '/Customer', { body: { Name: 'Never' } }));
    expect(names(h)).toEqual([]);
    expect(h.sb.stats().faults['drop-before']).toBe(1);
    expect(h.sb.requests.at(-1)).toMatchObject({ fault: 'drop-before', status: null, answered: false });
  });

  it('drop-after: applies the change, then closes the connection without answering', async () => {
    const h = await start({ seed: 0, faults: 1, faultKinds: ['drop-after'] });
    await expectDropped(h.api('POST', '/Customer', { body: { Name: 'Applied', Code: 'DA-1' } }));
    expect(names(h)).toEqual(['Applied']);
    expect(h.sb.stats()).toMatchObject({ writes: 1, faults: { 'drop-after': 1 } });
    expect(h.sb.requests.at(-1)).toMatchObject({ fault: 'drop-after', status: 200, answered: false });
    // A client that retries blindly now hits the uniqueness rule, which is the point of this fault.
    h.sb.configure({ faults: 0 });
    const retry = await h.api('POST', '/Customer', { body: { Name: 'Applied', Code: 'DA-1' } });
    expect(retry).toMatchObject({ status: 400, body: { Message: 'Code DA-1 already exists.' } });
  });

  it('429: a spurious quota answer with RateLimit-Reset: 1 and the message saying 1 second; not applied', async () => {
    const h = await start({ seed: 0, faults: 1, faultKinds: ['429'] });
    const answer = await h.api('POST', '/Customer', { body: { Name: 'Never' } });
    expect(answer.status).toBe(429);
    expect(answer.headers.get('ratelimit-reset')).toBe('1');
    expect(answer.headers.get('retry-after')).toBeNull();
    expect(answer.body).toEqual({ Message: 'API calls quota exceeded! maximum admitted 50 per 180s. Try again in 1 seconds.' });
    expect(names(h)).toEqual([]);
    expect(h.sb.stats()).toMatchObject({ rateLimited: 0, faults: { '429': 1 } });
  });

  it('429 uses the configured quota numbers when a quota is set', async () => {
    const h = await start({ seed: 0, faults: 1, faultKinds: ['429'], quota: 20, windowSeconds: 60 });
    const answer = await h.api('GET', '/Customer/NewCode');
    expect((answer.body as { Message: string }).Message).toBe('API calls quota exceeded! maximum admitted 20 per 60s. Try again in 1 seconds.');
    expect(answer.headers.get('ratelimit-policy')).toBe('20;w=60');
  });

  it('slow: answers normally after slowMs', async () => {
    const h = await start({ seed: 0, faults: 1, faultKinds: ['slow'], slowMs: 300 });
    const t = Date.now();
    const answer = await h.api('POST', '/Customer', { body: { Name: 'Late' } });
    expect(Date.now() - t).toBeGreaterThanOrEqual(290);
    expect(answer.status).toBe(200);
    expect(names(h)).toEqual(['Late']);
    expect(h.sb.requests.at(-1)).toMatchObject({ fault: 'slow', status: 200, answered: true });
  });

  it('slow: a client that gives up still leaves the change applied', async () => {
    const h = await start({ seed: 0, faults: 1, faultKinds: ['slow'], slowMs: 300 });
    const aborted = fetch(`${h.sb.baseUrl}/Customer`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${h.token}`, 'Content-Type': 'application/json' },
      body: JSON.stringify({ Name: 'Timed out' }),
      signal: AbortSignal.timeout(50),
    });
    await expect(aborted).rejects.toThrow();
    await new Promise((r) => setTimeout(r, 400));
    expect(names(h)).toEqual(['Timed out']);
  });

  it('spares the token endpoint unless faultTokenEndpoint is on', async () => {
    const h = await start({ seed: 0, faults: 1, faultKinds: ['500'] });
    expect((await h.newToken()).length).toBeGreaterThan(10);
    h.sb.configure({ faultTokenEndpoint: true });
    await expect(h.newToken()).rejects.toThrow(/500/);
  });

  it('control endpoints never get faults', async () => {
    const h = await start({ seed: 2, faults: 1, faultKinds: ['drop-before'] });
    expect((await h.raw('GET', '/_sandbox/customers')).status).toBe(200);
    expect((await h.raw('GET', '/_sandbox/stats')).status).toBe(200);
  });
});

describe('sandbox faults: probability and determinism', () => {
  async function faultSequence(randomSeed: number): Promise<(string | null)[]> {
    const h = await start({ seed: 0, faults: 0.5, faultKinds: ['500', '429'], randomSeed });
    for (let i = 0; i < 40; i++) await h.api('GET', '/Customer/NewCode');
    return h.sb.requests.filter((r) => r.path.endsWith('NewCode')).map((r) => r.fault);
  }

  it('the same randomSeed gives the same faults; another seed gives others', async () => {
    const a = await faultSequence(42);
    const b = await faultSequence(42);
    const c = await faultSequence(7);
    expect(a).toEqual(b);
    expect(c).not.toEqual(a);
    const hits = a.filter((f) => f !== null).length;
    expect(hits).toBeGreaterThan(8);
    expect(hits).toBeLessThan(32);
    expect(new Set(a.filter((f) => f !== null))).toEqual(new Set(['500', '429']));
  });

  it('faults: 0 never injects, and faults can be turned on at run time', async () => {
    const h = await start({ seed: 0 });
    for (let i = 0; i < 20; i++) expect((await h.api('GET', '/Customer/NewCode')).status).toBe(200);
    const config = await h.raw('PUT', '/_sandbox/config', { body: { faults: 1, faultKinds: ['500'] } });
    expect(config.body).toMatchObject({ faults: 1, faultKinds: ['500'] });
    expect((await h.api('GET', '/Customer/NewCode')).status).toBe(500);
    expect(h.sb.stats().faults).toEqual({ '500': 1, 'drop-before': 0, 'drop-after': 0, '429': 0, slow: 0 });
  });
});
