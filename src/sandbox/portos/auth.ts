// PORTOS sandbox authentication: fixed users with rights, `POST /api/auth` (user, password,
// device) issuing a JWT-shaped bearer token and a refresh token, `POST /api/auth/refresh` trading
// a pair for a new one (the old pair is revoked; the old access token may already have expired,
// which is the point of refreshing). Tokens live in memory only: a restart revokes them all.
import { randomBytes } from 'node:crypto';

export const PORTOS_RIGHTS = ['CustomerCreate', 'CustomerUpdate', 'CustomerDelete', 'CustomerSetDiscount', 'CustomerSetCredit'] as const;
export type PortosRight = (typeof PORTOS_RIGHTS)[number];

export interface PortosUser {
  id: string;
  userName: string;
  name: string;
  password: string;
  /** `admin` has every right. */
  rights: readonly (PortosRight | 'admin')[];
}

export const PORTOS_DEVICE_NAME = 'sandbox-till';
export const PORTOS_ADMIN: PortosUser = {
  id: 'b9a2f0de-0001-4000-8000-000000000001',
  userName: 'admin',
  name: 'Sandbox Admin',
  password: 'sandbox-password',
  rights: ['admin'],
};
/** A user without CustomerDelete, CustomerSetDiscount and CustomerSetCredit, to rehearse 403s. */
export const PORTOS_CASHIER: PortosUser = {
  id: 'b9a2f0de-0002-4000-8000-000000000002',
  userName: 'cashier',
  name: 'Sandbox Cashier',
  password: 'cashier-password',
  rights: ['CustomerCreate', 'CustomerUpdate'],
};
export const PORTOS_USERS: readonly PortosUser[] = [PORTOS_ADMIN, PORTOS_CASHIER];
export const PORTOS_DEFAULT_TOKEN_TTL_SECONDS = 3600;

interface Session {
  user: PortosUser;
  expiresAt: number;
  refreshToken: string;
}

export type AuthAnswer =
  | { ok: true; body: Record<string, unknown> }
  | { ok: false; detail: string };

export function hasRight(user: PortosUser, right: PortosRight): boolean {
  return user.rights.includes('admin') || user.rights.includes(right);
}

function b64(value: unknown): string {
  return Buffer.from(JSON.stringify(value)).toString('base64url');
}

/** Field of a JSON body by case-insensitive name (the vendor's `UserName` or `userName`). */
function field(body: unknown, name: string): unknown {
  if (!body || typeof body !== 'object' || Array.isArray(body)) return undefined;
  const entry = Object.entries(body as Record<string, unknown>).find(([k]) => k.toLowerCase() === name.toLowerCase());
  return entry?.[1];
}

export class PortosSessions {
  private readonly sessions = new Map<string, Session>();
  /** refresh token -> access token of the same pair. */
  private readonly refreshTokens = new Map<string, string>();
  issued = 0;
  ttlSeconds = PORTOS_DEFAULT_TOKEN_TTL_SECONDS;

  constructor(
    private readonly deviceName: string,
    private readonly now: () => number = Date.now,
  ) {}

  login(body: unknown): AuthAnswer {
    const userName = field(body, 'UserName');
    const password = field(body, 'Password');
    const device = field(body, 'DeviceName');
    const user = PORTOS_USERS.find((u) => typeof userName === 'string' && u.userName.toLowerCase() === userName.toLowerCase());
    if (!user || password !== user.password) return { ok: false, detail: 'Invalid user name or password.' };
    if (typeof device !== 'string' || device.toLowerCase() !== this.deviceName.toLowerCase()) {
      return { ok: false, detail: `Unknown device '${typeof device === 'string' ? device : ''}'.` };
    }
    const pair = this.issue(user);
    return {
      ok: true,
      body: {
        ...pair,
        user: {
          id: user.id,
          name: user.name,
          userName: user.userName,
          rights: [...user.rights],
          device: { id: 'd0000000-0000-4000-8000-00000000000d', name: this.deviceName },
        },
      },
    };
  }

  refresh(body: unknown): AuthAnswer {
    const tokenId = field(body, 'tokenId');
    const refreshToken = field(body, 'refreshToken');
    const paired = typeof refreshToken === 'string' ? this.refreshTokens.get(refreshToken) : undefined;
    const session = paired !== undefined ? this.sessions.get(paired) : undefined;
    if (!session || paired === undefined || paired !== tokenId) {
      return { ok: false, detail: 'The refresh token is invalid or was already used.' };
    }
    this.refreshTokens.delete(refreshToken as string);
    this.sessions.delete(paired);
    return { ok: true, body: this.issue(session.user) };
  }

  /** The user behind a valid, unexpired `Authorization: Bearer` header, else undefined. */
  authenticate(header: string | string[] | undefined): PortosUser | undefined {
    const m = typeof header === 'string' ? /^Bearer\s+(\S+)\s*$/i.exec(header) : null;
    const session = m ? this.sessions.get(m[1]!) : undefined;
    if (!session || session.expiresAt <= this.now()) return undefined;
    return session.user;
  }

  /** Revokes every access token but keeps refresh tokens usable: rehearses a server-side revocation. */
  revokeAccessTokens(): void {
    for (const session of this.sessions.values()) session.expiresAt = 0;
  }

  private issue(user: PortosUser): { tokenId: string; refreshToken: string } {
    const now = this.now();
    if (this.sessions.size >= 4096) this.prune(now);
    const expiresAt = now + this.ttlSeconds * 1000;
    const claims = { sub: user.id, unique_name: user.userName, device: this.deviceName, iat: Math.floor(now / 1000), exp: Math.floor(expiresAt / 1000), jti: randomBytes(8).toString('hex') };
    // JWT-shaped so clients can read `exp`; the signature is random (the sandbox keeps its sessions).
    const tokenId = `${b64({ alg: 'HS256', typ: 'JWT' })}.${b64(claims)}.${randomBytes(32).toString('base64url')}`;
    const refreshToken = randomBytes(32).toString('base64url');
    this.sessions.set(tokenId, { user, expiresAt, refreshToken });
    this.refreshTokens.set(refreshToken, tokenId);
    this.issued++;
    return { tokenId, refreshToken };
  }

  private prune(now: number): void {
    // Expired sessions whose refresh token is a day old are of no use to anyone.
    for (const [token, s] of this.sessions) {
      if (s.expiresAt + 86_400_000 <= now) {
        this.sessions.delete(token);
        this.refreshTokens.delete(s.refreshToken);
      }
    }
  }
}
