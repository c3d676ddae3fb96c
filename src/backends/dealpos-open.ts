import { StaticTokenAuth, TokenAuth } from '../auth/token-auth.js';
import { tokenCacheFor } from '../config/token-cache.js';
import { UsageError } from '../errors.js';
import { HttpClient } from '../http/client.js';
import { DealposBackend } from './dealpos.js';
import { httpOptions, type BackendContext } from './factory.js';

export function open(ctx: BackendContext): DealposBackend {
  const { conn, deps } = ctx;
  const http = new HttpClient({ ...httpOptions(ctx), baseUrl: conn.baseUrl });
  if (conn.token) {
    http.auth = new StaticTokenAuth(conn.token);
  } else {
    const where = conn.profileName ? ` for profile '${conn.profileName}'` : '';
    if (!conn.clientId) {
      throw new UsageError(`no DealPOS client id${where}: set POSCUST_CLIENT_ID or add it to the profile (--client-id)`);
    }
    if (!conn.clientSecret) {
      throw new UsageError(
        `no DealPOS client secret${where}: set POSCUST_CLIENT_SECRET, or store it with poscust profile add <name> ... --client-secret-stdin`,
      );
    }
    const { clientId, clientSecret } = conn;
    http.auth = new TokenAuth({
      cache: tokenCacheFor(ctx.configDir, conn),
      warn: ctx.warn,
      clock: deps.clock,
      redactor: deps.redactor,
      login: () => DealposBackend.login(http, clientId, clientSecret, () => deps.clock.now()),
      onLogin: () => ctx.log?.(`! logged in to ${http.host} as client '${clientId}'`),
    });
  }
  return new DealposBackend(http);
}
