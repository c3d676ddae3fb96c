// The one retry policy: what the client does after each attempt, and what a bulk job does with a
// row that still failed. Pure decisions, so each rule is one call.
import { describe, expect, it } from 'vitest';
import { RETRY_LIMITS, decide, retryRow, type AttemptState } from '../../src/http/retry-policy.js';

const fresh = (): AttemptState => ({ retries: 0, rateLimitWaits: 0, renewed: false });
const read = { idempotent: true, renewable: true };
const post = { idempotent: false, renewable: true };
const half = () => 0.5;

describe('decide', () => {
  it('accepts answers below 300 (and above 399 but 401, 403, 429, 5xx: the adapter reads them)', () => {
    for (const status of [200, 201, 204, 400, 404, 409, 422]) expect(decide({ kind: 'answer', status }, read, fresh()).action).toBe('accept');
  });

  it('renews the credential once on 401, then gives up; a login (nothing to renew) reads its own 401', () => {
    expect(decide({ kind: 'answer', status: 401 }, read, fresh())).toEqual({ action: 'renew' });
    expect(decide({ kind: 'answer', status: 401 }, read, { ...fresh(), renewed: true })).toEqual({ action: 'give-up', because: 'unauthorized' });
    expect(decide({ kind: 'answer', status: 401 }, { idempotent: true, renewable: false }, fresh())).toEqual({ action: 'accept' });
    expect(decide({ kind: 'answer', status: 403 }, read, fresh())).toEqual({ action: 'give-up', because: 'forbidden' });
  });

  it('waits out a 429 as the server says, a little past it, a few times; refuses an unreasonable wait', () => {
    expect(decide({ kind: 'answer', status: 429, waitSeconds: 12 }, post, fresh(), RETRY_LIMITS, half)).toEqual({ action: 'retry', afterMs: 12_300, because: 'rate-limit' });
    expect(decide({ kind: 'answer', status: 429, waitSeconds: 1 }, read, { ...fresh(), rateLimitWaits: RETRY_LIMITS.rateLimitWaits })).toEqual({ action: 'give-up', because: 'rate-limit' });
    expect(decide({ kind: 'answer', status: 429, waitSeconds: 3600 }, read, fresh())).toEqual({ action: 'give-up', because: 'rate-limit' });
  });

  it('retries a repeatable request on 5xx with full-jitter backoff, never a POST', () => {
    const waits = [0, 1, 2].map((retries) => decide({ kind: 'answer', status: 503 }, read, { ...fresh(), retries }, RETRY_LIMITS, () => 1));
    expect(waits.map((d) => (d.action === 'retry' ? d.afterMs : -1))).toEqual([300, 600, 1200]);
    expect(decide({ kind: 'answer', status: 503 }, read, { ...fresh(), retries: 3 })).toEqual({ action: 'give-up', because: 'server' });
    expect(decide({ kind: 'answer', status: 500 }, post, fresh())).toEqual({ action: 'give-up', because: 'server' });
    const capped = decide({ kind: 'answer', status: 502 }, read, { ...fresh(), retries: 9 }, { ...RETRY_LIMITS, transport: 20 }, () => 1);
    expect(capped).toEqual({ action: 'retry', afterMs: RETRY_LIMITS.backoffCapMs, because: 'transport' });
  });

  it('retries a request that got no answer when repeating is harmless or it was never sent', () => {
    expect(decide({ kind: 'no-answer', sent: true }, read, fresh()).action).toBe('retry');
    expect(decide({ kind: 'no-answer', sent: false }, post, fresh()).action).toBe('retry');
    expect(decide({ kind: 'no-answer', sent: true }, post, fresh())).toEqual({ action: 'give-up', because: 'no-answer' });
    expect(decide({ kind: 'no-answer', sent: false }, read, { ...fresh(), retries: 3 })).toEqual({ action: 'give-up', because: 'no-answer' });
  });

  it('never follows a redirect', () => {
    for (const status of [301, 302, 307, 308]) expect(decide({ kind: 'answer', status }, read, fresh())).toEqual({ action: 'give-up', because: 'redirect' });
  });
});

describe('retryRow', () => {
  it('tries a passing failure that changed nothing again, with a growing pause, up to the limit', () => {
    expect(retryRow({ temporary: true, maybeApplied: false }, 1)).toBe(1000);
    expect(retryRow({ temporary: true, maybeApplied: false }, 2)).toBe(2000);
    expect(retryRow({ temporary: true, maybeApplied: false }, RETRY_LIMITS.rowAttempts)).toBeNull();
    expect(retryRow({ temporary: true, maybeApplied: true }, 1)).toBeNull();
    expect(retryRow({ temporary: false, maybeApplied: false }, 1)).toBeNull();
  });
});
