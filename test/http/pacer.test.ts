// RateLimitPacer against a simulated fixed-window server (the sandbox's own limiter) on a fake
// clock: every window used to the last request, none over.
import { describe, expect, it } from 'vitest';
import type { HttpResponse, RequestSpec } from '../../src/http/client.js';
import { RateLimitPacer } from '../../src/http/pacer.js';
import { FixedWindowLimiter, draftRateLimitHeaders } from '../../src/sandbox/core/rate-limit.js';
import { FakeClock } from '../helpers/harness.js';

function server(clock: FakeClock, quota: number, windowSeconds: number) {
  const limiter = new FixedWindowLimiter(quota, windowSeconds, () => clock.now());
  const windows = new Set<number>();
  let refused = 0;
  return {
    answer(): HttpResponse {
      const { allowed, info } = limiter.admit();
      windows.add(limiter.windowStartedAt);
      if (!allowed) refused++;
      const headers = Object.fromEntries(Object.entries(draftRateLimitHeaders(info)).map(([k, v]) => [k.toLowerCase(), v]));
      return { status: allowed ? 200 : 429, headers, body: null, contentType: 'application/json' };
    },
    get windows() {
      return windows.size;
    },
    get refused() {
      return refused;
    },
  };
}

const signal = new AbortController().signal;

async function send(pacer: RateLimitPacer, clock: FakeClock, srv: ReturnType<typeof server>, spec: RequestSpec, latencyMs: number): Promise<void> {
  await pacer.before(spec, signal);
  clock.time += latencyMs;
  pacer.after(srv.answer(), spec);
}

describe('RateLimitPacer', () => {
  it.each([
    [95, 10, 3, 20],
    [50, 50, 180, 40],
    [201, 50, 3, 5],
  ])('%i requests at %i per %i s: no 429, the fewest windows', async (n, quota, windowSeconds, latency) => {
    const clock = new FakeClock();
    const srv = server(clock, quota, windowSeconds);
    const pacer = new RateLimitPacer({ clock });
    await send(pacer, clock, srv, { method: 'POST', path: '/Token/OAuth2', auth: false }, latency);
    for (let i = 1; i < n; i++) await send(pacer, clock, srv, { method: 'POST', path: '/Customer' }, latency);
    expect(srv.refused).toBe(0);
    expect(srv.windows).toBe(Math.ceil(n / quota));
    expect(pacer.windows).toBe(Math.ceil(n / quota));
  });

  it('waits out a 429 the server sends anyway, then goes on', async () => {
    const clock = new FakeClock();
    const srv = server(clock, 5, 10);
    // Someone else used the window up before we started.
    for (let i = 0; i < 5; i++) srv.answer();
    const pacer = new RateLimitPacer({ clock });
    const spec: RequestSpec = { method: 'GET', path: '/Customer' };
    await pacer.before(spec, signal);
    pacer.after(srv.answer(), spec);
    expect(srv.refused).toBe(1);
    const t = clock.now();
    for (let i = 0; i < 5; i++) await send(pacer, clock, srv, { method: 'GET', path: '/Customer' }, 1);
    expect(srv.refused).toBe(1);
    expect(clock.now() - t).toBeGreaterThanOrEqual(10_000 - 1);
  });

  it('sends nothing more until the first answer says what the quota is, and honours --rate', async () => {
    const clock = new FakeClock();
    const pacer = new RateLimitPacer({ clock, rate: 4 });
    const a: RequestSpec = { method: 'GET', path: '/a' };
    const b: RequestSpec = { method: 'GET', path: '/b' };
    await pacer.before(a, signal);
    let second = false;
    const pending = pacer.before(b, signal).then(() => (second = true));
    await new Promise((r) => setTimeout(r, 5));
    expect(second).toBe(false);
    pacer.after({ status: 200, headers: {}, body: null, contentType: '' }, a);
    await pending;
    expect(second).toBe(true);
    expect(clock.now() - Date.UTC(2026, 10, 22, 9, 0, 0)).toBeGreaterThanOrEqual(250);
  });
});
