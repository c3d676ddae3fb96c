// Issue 11, item 8 (the in-process half): a login refused for the day's quota looks at the cache
// once more, where another process may have just put a good token.
import { describe, expect, it } from 'vitest';
import { TokenAuth } from '../../src/auth/token-auth.js';
import { TokenCache } from '../../src/config/token-cache.js';
import { TemporaryError } from '../../src/errors.js';
import { Redactor } from '../../src/redact.js';
import { FakeClock, tempDir } from '../helpers/harness.js';

describe('TokenAuth', () => {
  it('uses a token another process cached while its own login was refused for the quota', async () => {
    const clock = new FakeClock();
    const cache = new TokenCache(tempDir(), ['mypos', 'https://x', 'api@shop']);
    let logins = 0;
    const auth = new TokenAuth({
      cache,
      clock,
      redactor: new Redactor(),
      login: async () => {
        logins++;
        // Meanwhile another process logged in and cached its token.
        cache.write({ token: 'theirs-123456', expiresAt: clock.now() + 3_600_000 });
        throw new TemporaryError('MYPOS will not issue another token today');
      },
    });
    expect(await auth.header()).toBe('Bearer theirs-123456');
    expect(logins).toBe(1);
  });

  it('reports the quota when no other token is there', async () => {
    const clock = new FakeClock();
    const auth = new TokenAuth({
      cache: new TokenCache(tempDir(), ['mypos', 'https://x', 'api@shop']),
      clock,
      redactor: new Redactor(),
      login: async () => {
        throw new TemporaryError('MYPOS will not issue another token today');
      },
    });
    await expect(auth.header()).rejects.toThrow('another token today');
  });
});
