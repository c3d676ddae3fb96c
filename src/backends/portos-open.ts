import { StaticTokenAuth, TokenAuth } from '../auth/token-auth.js';
import { tokenCacheFor } from '../config/token-cache.js';
import { UsageError } from '../errors.js';
import { HttpClient } from '../http/client.js';
import { httpOptions, type BackendContext } from './factory.js';
import { PortosBackend } from './portos.js';
import { describeProblem } from './portos-problem.js';

export function open(ctx: BackendContext): PortosBackend {
  const { conn, deps } = ctx;
  // ProblemDetails bodies: title, detail, each member error, and the right a 403 names.
  const http = new HttpClient({ describeBody: describeProblem, ...httpOptions(ctx), baseUrl: conn.baseUrl });
  if (conn.token) {
    http.auth = new StaticTokenAuth(conn.token);
  } else {
    const where = conn.profileName ? ` for profile '${conn.profileName}'` : '';
    const { username, password, deviceName } = conn;
    if (!username) throw new UsageError(`no PORTOS user name${where}: set POSCUST_USERNAME or add it to the profile (--username)`);
    if (!deviceName) {
      throw new UsageError(`no PORTOS device name${where}: set POSCUST_DEVICE_NAME or add it to the profile (--device-name)`);
    }
    if (!password) {
      throw new UsageError(
        `no PORTOS password${where}: set POSCUST_PASSWORD, or store it with poscust profile add <name> ... --password-stdin`,
      );
    }
    const creds = { username, password, deviceName };
    const now = () => deps.clock.now();
    http.auth = new TokenAuth({
      cache: tokenCacheFor(ctx.configDir, conn),
      warn: ctx.warn,
      clock: deps.clock,
      redactor: deps.redactor,
      login: () => PortosBackend.login(http, creds, now),
      refresh: (old) => PortosBackend.refresh(http, old, now),
      onLogin: () => ctx.log?.(`! logged in to ${http.host} as '${username}' on device '${deviceName}'`),
    });
  }
  return new PortosBackend(http, ctx.log);
}
