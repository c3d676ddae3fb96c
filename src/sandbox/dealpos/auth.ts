// Secrets of the DealPOS sandbox: OAuth2 client-credentials tokens for the API, and the hashes of
// customers' PINs.

import { randomBytes, scryptSync, timingSafeEqual } from 'node:crypto';
import { ApiError, DEALPOS_MESSAGES, badRequest } from './records.js';
import type { EmulatorReply, EmulatorRequest } from '../core/emulator.js';

export const DEALPOS_DEFAULT_CLIENT_ID = 'sandbox';
export const DEALPOS_DEFAULT_CLIENT_SECRET = 'sandbox-secret';

/** Bearer tokens issued to the one API client; kept in memory only, so a restart revokes them. */
export class DealposTokens {
  private readonly tokens = new Map<string, number>();
  issued = 0;

  constructor(
    readonly clientId: string,
    readonly clientSecret: string,
  ) {}

  /** `POST /Token/OAuth2` with `client_id` and `client_secret` (any case) in the body. */
  login(req: EmulatorRequest, ttlSeconds: number): EmulatorReply {
    if (req.bodyError !== undefined) throw badRequest(`The request body is not valid JSON: ${req.bodyError}`);
    let id: unknown;
    let secret: unknown;
    if (req.body !== null && typeof req.body === 'object' && !Array.isArray(req.body)) {
      for (const [key, value] of Object.entries(req.body as Record<string, unknown>)) {
        if (key.toLowerCase() === 'client_id') id = value;
        if (key.toLowerCase() === 'client_secret') secret = value;
      }
    }
    if (id !== this.clientId || secret !== this.clientSecret) {
      return { status: 401, body: { Message: DEALPOS_MESSAGES.badCredentials } };
    }
    const now = Date.now();
    if (this.tokens.size >= 1024) for (const [t, exp] of this.tokens) if (exp <= now) this.tokens.delete(t);
    const token = randomBytes(32).toString('base64url');
    this.tokens.set(token, now + ttlSeconds * 1000);
    this.issued++;
    return { status: 200, body: { access_token: token, token_type: 'Bearer', expires_in: Math.ceil(ttlSeconds) } };
  }

  /** Throws 401 unless the request carries a live bearer token of ours. */
  authorize(req: EmulatorRequest): void {
    const header = req.headers.authorization;
    const m = typeof header === 'string' ? /^Bearer\s+(\S+)\s*$/i.exec(header) : null;
    const expires = m ? this.tokens.get(m[1] as string) : undefined;
    if (expires === undefined || expires <= Date.now()) {
      if (m && expires !== undefined) this.tokens.delete(m[1] as string);
      throw new ApiError(401, DEALPOS_MESSAGES.denied);
    }
  }
}

// PIN hashing: scrypt with a small cost. PINs are 4-6 digits, so no hash makes them strong; the point
// is that neither the data file nor the request log holds them in clear.
const PIN_SCRYPT = { N: 1024, r: 8, p: 1 } as const;
export const PIN_RE = /^\d{4,6}$/;

export function hashPin(pin: string): string {
  const salt = randomBytes(16);
  const hash = scryptSync(pin, salt, 32, PIN_SCRYPT);
  return `scrypt$${PIN_SCRYPT.N}$${PIN_SCRYPT.r}$${PIN_SCRYPT.p}$${salt.toString('base64')}$${hash.toString('base64')}`;
}

export function checkPin(pin: string, stored: string): boolean {
  const [scheme, n, r, p, salt, hash] = stored.split('$');
  if (scheme !== 'scrypt' || !salt || !hash) return false;
  const expected = Buffer.from(hash, 'base64');
  const actual = scryptSync(pin, Buffer.from(salt, 'base64'), expected.length, { N: Number(n), r: Number(r), p: Number(p) });
  return timingSafeEqual(actual, expected);
}
