// MYPOS Connect login for the sandbox: `POST /auth/token` with HTTP Basic answers an HS256 JWT
// bearer token that lives `tokenTtlSeconds` (default 7200, the vendor's 120 minutes). An API user
// gets at most `dailyTokenLimit` tokens (default 250) per UTC day; past that the login is refused
// with 429 [pinned by us: the vendor documents the limit, not the status], a Retry-After of the
// seconds until 00:00 UTC, and the reason in `failureDescription`.
import { createHmac, randomBytes, randomUUID } from 'node:crypto';
import type { EmulatorReply, EmulatorRequest } from '../core/emulator.js';
import { MyposApiError } from './records.js';
import { type SettingChecks, checkSettings, countOf, positiveSeconds, dialectNames } from '../core/settings.js';

export const MYPOS_DEFAULT_USERNAME = 'api-user@sandbox.poscust.test';
export const MYPOS_DEFAULT_PASSWORD = 'sandbox-password';
export const MYPOS_DEFAULT_TOKEN_TTL_SECONDS = 7200;
export const MYPOS_DAILY_TOKEN_LIMIT = 250;

const MYPOS_SETTINGS: SettingChecks<{ tokenTtlSeconds: number; dailyTokenLimit: number; dialects: string[] }> = {
  tokenTtlSeconds: positiveSeconds,
  dailyTokenLimit: countOf('tokens'),
  // No MYPOS variant is known to need rehearsing yet: only the empty list.
  dialects: dialectNames([]),
};
const MYPOS_SETTINGS_HINT = ` (mypos has ${Object.keys(MYPOS_SETTINGS).join(', ')})`;

export class MyposTokens {
  private readonly tokens = new Map<string, number>();
  private readonly signingKey = randomBytes(32);
  issued = 0;
  private day = '';
  private issuedToday = 0;
  tokenTtlSeconds = MYPOS_DEFAULT_TOKEN_TTL_SECONDS;
  dailyTokenLimit = MYPOS_DAILY_TOKEN_LIMIT;

  constructor(
    readonly username: string,
    readonly password: string,
    private readonly now: () => number,
  ) {}

  /** Validates everything, then applies `tokenTtlSeconds` / `dailyTokenLimit`; other keys are an error. */
  configure(partial: Record<string, unknown>): void {
    const { tokenTtlSeconds, dailyTokenLimit } = checkSettings(partial, MYPOS_SETTINGS, MYPOS_SETTINGS_HINT);
    if (tokenTtlSeconds !== undefined) this.tokenTtlSeconds = tokenTtlSeconds;
    if (dailyTokenLimit !== undefined) this.dailyTokenLimit = dailyTokenLimit;
  }

  /** `POST /auth/token`. */
  login(req: EmulatorRequest): EmulatorReply {
    const refuse = (status: number, why: string, headers: Record<string, string> = {}): EmulatorReply => ({
      status,
      body: { failureDescription: why, bearerToken: null },
      headers,
    });
    const header = req.headers.authorization;
    const basic = typeof header === 'string' ? /^Basic\s+([A-Za-z0-9+/=]+)\s*$/i.exec(header) : null;
    if (!basic) return refuse(400, 'Send the API user e-mail and password with HTTP Basic authentication.');
    const decoded = Buffer.from(basic[1]!, 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    const user = decoded.slice(0, colon);
    if (colon < 0 || user.toLowerCase() !== this.username.toLowerCase() || decoded.slice(colon + 1) !== this.password) {
      return refuse(400, 'Invalid API user e-mail or password.');
    }
    const now = this.now();
    const day = new Date(now).toISOString().slice(0, 10);
    if (day !== this.day) {
      this.day = day;
      this.issuedToday = 0;
    }
    if (this.issuedToday >= this.dailyTokenLimit) {
      const midnight = Date.parse(`${day}T00:00:00Z`) + 86_400_000;
      return refuse(
        429,
        `API user ${this.username} has reached its limit of ${this.dailyTokenLimit} tokens per UTC day; ` +
          'the next token can be issued after 00:00 UTC. Keep the token and reuse it until it expires.',
        { 'Retry-After': String(Math.max(1, Math.ceil((midnight - now) / 1000))) },
      );
    }
    if (this.tokens.size >= 1024) for (const [t, exp] of this.tokens) if (exp <= now) this.tokens.delete(t);
    const expires = now + this.tokenTtlSeconds * 1000;
    const token = this.jwt(now, expires);
    this.tokens.set(token, expires);
    this.issuedToday++;
    this.issued++;
    return { status: 200, body: { failureDescription: null, bearerToken: token } };
  }

  /** Throws 401 unless the request carries a live bearer token of ours. */
  authorize(req: EmulatorRequest): void {
    const header = req.headers.authorization;
    const m = typeof header === 'string' ? /^Bearer\s+(\S+)\s*$/i.exec(header) : null;
    const expires = m ? this.tokens.get(m[1]!) : undefined;
    if (expires === undefined) throw new MyposApiError(401, 'Authorization has been denied for this request.');
    if (expires <= this.now()) {
      this.tokens.delete(m![1]!);
      throw new MyposApiError(401, 'The bearer token has expired; obtain a new one from /auth/token.');
    }
  }

  /** An HS256 JWT with `exp`, so a client can read the lifetime from the token itself. */
  private jwt(now: number, expires: number): string {
    const part = (o: unknown) => Buffer.from(JSON.stringify(o)).toString('base64url');
    const body = `${part({ alg: 'HS256', typ: 'JWT' })}.${part({
      sub: this.username,
      iat: Math.floor(now / 1000),
      exp: Math.floor(expires / 1000),
      jti: randomUUID(),
    })}`;
    return `${body}.${createHmac('sha256', this.signingKey).update(body).digest('base64url')}`;
  }
}
