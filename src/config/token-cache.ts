// Tokens cached on disk between invocations, one owner-only file per connection, so a cron job
// every five minutes logs in once per token lifetime (MYPOS allows 250 tokens a day).
import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { ConfigError } from '../errors.js';
import { waitForLock, type HeldLock } from '../util/lockfile.js';
import { TOKEN_DIR } from './paths.js';
import { assertPrivate, checkPrivateDir, ensurePrivateDir, writePrivateFileAtomic } from './files.js';

export interface CachedToken {
  token: string;
  /** Epoch milliseconds. */
  expiresAt: number;
  refreshToken?: string;
}

/** Renew this long before the server's expiry, so a token never dies mid-job. */
export const EXPIRY_MARGIN_MS = 120_000;

export class TokenCache {
  readonly file: string;
  private readonly tokenDir: string;

  constructor(
    private readonly configDir: string,
    identity: readonly string[],
  ) {
    // The key covers backend, base URL and user, so changing any of them never reuses a token. It
    // only names a file, so a fast non-cryptographic hash does (node:crypto costs 5 ms of start-up).
    const key = fnv1a64(identity.join('\0'));
    this.tokenDir = join(configDir, TOKEN_DIR);
    this.file = join(this.tokenDir, `${key}.json`);
  }

  /** The cached token when it is still good for at least EXPIRY_MARGIN_MS, else undefined. */
  read(now: number): CachedToken | undefined {
    const entry = this.readAny();
    return entry && entry.expiresAt - EXPIRY_MARGIN_MS > now ? entry : undefined;
  }

  /** Whatever is cached, even expired (its refresh token may still be good). */
  readAny(): CachedToken | undefined {
    // A `tokens` link planted by someone who can write the config folder must not choose our token.
    checkPrivateDir(this.configDir);
    checkPrivateDir(this.tokenDir, { noLink: true });
    let text: string;
    try {
      text = readFileSync(this.file, 'utf8');
    } catch {
      return undefined;
    }
    assertPrivate(this.file, 'the token cache');
    try {
      const data = JSON.parse(text) as CachedToken;
      return typeof data.token === 'string' && typeof data.expiresAt === 'number' ? data : undefined;
    } catch {
      // A damaged cache holds nothing worth keeping: the next login overwrites it.
      return undefined;
    }
  }

  write(entry: CachedToken): void {
    ensurePrivateDir(this.configDir);
    ensurePrivateDir(this.tokenDir, { noLink: true });
    writePrivateFileAtomic(this.file, JSON.stringify(entry));
  }

  /**
   * Holds the login of this connection for this process: other processes that need a token wait
   * here (up to `waitMs`) and then find the token the holder cached, so ten cron jobs starting at
   * once log in once (MYPOS allows 250 tokens a day). Null when the folder cannot hold a lock (a
   * read-only disk): then each process logs in on its own, as before.
   */
  async lockForLogin(waitMs = 30_000): Promise<HeldLock | null> {
    try {
      ensurePrivateDir(this.configDir);
      ensurePrivateDir(this.tokenDir, { noLink: true });
      return await waitForLock(`${this.file}.lock`, waitMs, (ms) => new Promise((resolve) => setTimeout(resolve, ms)));
    } catch (err) {
      if (err instanceof ConfigError) throw err;
      return null;
    }
  }

  clear(): void {
    checkPrivateDir(this.tokenDir, { noLink: true });
    rmSync(this.file, { force: true });
  }
}

/** FNV-1a, 64 bits, as 16 hex digits. */
export function fnv1a64(text: string): string {
  let hash = 0xcbf29ce484222325n;
  for (const byte of Buffer.from(text, 'utf8')) {
    hash ^= BigInt(byte);
    hash = (hash * 0x100000001b3n) & 0xffffffffffffffffn;
  }
  return hash.toString(16).padStart(16, '0');
}

/** The cache of a connection: keyed by backend, base URL and the user it logs in as. */
export function tokenCacheFor(
  configDir: string,
  conn: { backend: string; baseUrl: string; clientId?: string; username?: string; deviceName?: string },
): TokenCache {
  return new TokenCache(configDir, [conn.backend, conn.baseUrl, conn.clientId ?? conn.username ?? '', conn.deviceName ?? '']);
}
