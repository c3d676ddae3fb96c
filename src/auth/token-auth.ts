// Bearer tokens obtained by a backend's login, kept in memory and in the owner-only token cache
// until shortly before they expire, renewed once when the server answers 401. Concurrent requests
// (a bulk import) share one login.
import type { Clock } from '../deps.js';
import type { AuthScheme } from '../http/client.js';
import type { Redactor } from '../redact.js';
import type { CachedToken, TokenCache } from '../config/token-cache.js';
import { ConfigError, TemporaryError } from '../errors.js';
import { fsCause } from '../util/fs-error.js';

export interface TokenAuthOptions {
  cache?: TokenCache;
  clock: Clock;
  redactor: Redactor;
  login: () => Promise<CachedToken>;
  /** Trades an expired or rejected token for a new one without a full login (PORTOS). */
  refresh?: (old: CachedToken) => Promise<CachedToken | undefined>;
  /** Called once per login, e.g. to count logins in tests or say "logged in" under --verbose. */
  onLogin?: () => void;
  /** Something the user should know (a token that could not be cached). */
  warn?: (message: string) => void;
}

export class TokenAuth implements AuthScheme {
  private current: CachedToken | undefined;
  private pending: Promise<CachedToken> | undefined;

  constructor(private readonly opts: TokenAuthOptions) {}

  async header(): Promise<string> {
    const now = this.opts.clock.now();
    if (!this.current || this.current.expiresAt - 60_000 <= now) {
      this.current = this.opts.cache?.read(now) ?? (await this.obtain(this.opts.cache?.readAny()));
    }
    this.opts.redactor.add(this.current.token);
    return `Bearer ${this.current.token}`;
  }

  async renew(rejected: string): Promise<boolean> {
    // Another request may already have renewed it while this one was in flight.
    if (this.current && `Bearer ${this.current.token}` !== rejected) return true;
    const old = this.current;
    this.current = undefined;
    this.opts.cache?.clear();
    this.current = await this.obtain(old);
    return true;
  }

  private obtain(old: CachedToken | undefined): Promise<CachedToken> {
    this.pending ??= (async () => {
      const { cache } = this.opts;
      // One login per connection however many processes start at once: the others wait for the
      // lock, then find the token the first one cached.
      const lock = await cache?.lockForLogin();
      try {
        const theirs = this.cachedOtherThan(old);
        if (theirs) return theirs;
        let fresh: CachedToken | undefined;
        if (old?.refreshToken && this.opts.refresh) fresh = await this.opts.refresh(old);
        if (!fresh) {
          try {
            fresh = await this.opts.login();
          } catch (err) {
            // Refused for a quota (MYPOS: 250 tokens a day) while another process cached a good one.
            const late = err instanceof TemporaryError ? this.cachedOtherThan(old) : undefined;
            if (late) return late;
            throw err;
          }
          this.opts.onLogin?.();
        }
        this.opts.redactor.add(fresh.token);
        this.opts.redactor.add(fresh.refreshToken);
        this.keep(fresh);
        return fresh;
      } finally {
        lock?.release();
        this.pending = undefined;
      }
    })();
    return this.pending;
  }

  /** A good cached token that is not the one being replaced. */
  private cachedOtherThan(old: CachedToken | undefined): CachedToken | undefined {
    const cached = this.opts.cache?.read(this.opts.clock.now());
    if (!cached || cached.token === old?.token) return undefined;
    this.opts.redactor.add(cached.token);
    return cached;
  }

  /** Caches the token; a disk that refuses it costs the next run a login, not this run its work. */
  private keep(token: CachedToken): void {
    const { cache } = this.opts;
    if (!cache) return;
    try {
      cache.write(token);
    } catch (err) {
      if (err instanceof ConfigError) throw err;
      this.opts.warn?.(`could not keep the token in ${cache.file}: ${fsCause(err)}; the next run will log in again`);
    }
  }
}

/** POSCUST_TOKEN: used as is; a 401 cannot be fixed by us. */
export class StaticTokenAuth implements AuthScheme {
  constructor(private readonly token: string) {}
  async header(): Promise<string> {
    return `Bearer ${this.token}`;
  }
  async renew(): Promise<boolean> {
    return false;
  }
}

/** Expiry from a JWT's `exp` claim, when the token is a JWT. */
export function jwtExpiry(token: string): number | undefined {
  const part = token.split('.')[1];
  if (!part) return undefined;
  try {
    const claims = JSON.parse(Buffer.from(part, 'base64url').toString('utf8')) as { exp?: unknown };
    return typeof claims.exp === 'number' ? claims.exp * 1000 : undefined;
  } catch {
    return undefined;
  }
}
