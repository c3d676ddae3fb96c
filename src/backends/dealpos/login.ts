// DealPOS's login: OAuth2 client credentials at POST /Token/OAuth2 (../shared/api/dealpos.md).
import type { CachedToken } from '../../config/token-cache.js';
import { AuthError, GeneralError } from '../../errors.js';
import type { HttpClient, HttpResponse } from '../../http/client.js';
import { expectObject } from '../answers.js';
import { unexpectedStatus } from '../failures.js';
import type { Connection } from '../types.js';

/** `POST /Token/OAuth2`; accepts `access_token`, `Token` or `token`, `expires_in` default 3600. */
async function loginWith(http: HttpClient, clientId: string, clientSecret: string, now: () => number): Promise<CachedToken> {
  const res = await http.request({
    method: 'POST',
    path: '/Token/OAuth2',
    body: { client_id: clientId, client_secret: clientSecret },
    auth: false,
    // Asking twice for a token changes nothing on the server.
    idempotent: true,
    secrets: [clientSecret],
  });
  if (res.status === 400 || res.status === 401) {
    throw new AuthError(
      `DealPOS refused the client credentials of client id '${clientId}'${detailOf(http, res)}`,
      { status: res.status },
    );
  }
  const body = expectObject(http, res, 'the token answer');
  if (res.status !== 200) throw unexpectedStatus(http, res, 'login');
  const token = body.access_token ?? body.Token ?? body.token;
  if (typeof token !== 'string' || !token) {
    throw new GeneralError(`the token answer from ${http.host} carries no access_token`);
  }
  const expiresIn = Number(body.expires_in ?? 3600);
  return { token, expiresAt: now() + (Number.isFinite(expiresIn) && expiresIn > 0 ? expiresIn : 3600) * 1000 };
}

/** The adapter module's login (descriptor.ts loads it on first use). */
export function login(http: HttpClient, conn: Connection, now: () => number): Promise<CachedToken> {
  return loginWith(http, conn.clientId ?? '', conn.clientSecret ?? '', now);
}

export function detailOf(http: HttpClient, res: HttpResponse): string {
  const d = http.detail(res);
  return d ? `: ${d}` : '';
}
