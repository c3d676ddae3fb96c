import { StaticTokenAuth, TokenAuth } from '../auth/token-auth.js';
import { tokenCacheFor } from '../config/token-cache.js';
import { UsageError } from '../errors.js';
import { HttpClient } from '../http/client.js';
import { httpOptions, type BackendContext } from './factory.js';
import { MyposBackend, myposMessage } from './mypos.js';

export function open(ctx: BackendContext): MyposBackend {
  const { conn, deps } = ctx;
  const http = new HttpClient({ describeBody: myposMessage, ...httpOptions(ctx), baseUrl: conn.baseUrl });
  if (conn.token) {
    http.auth = new StaticTokenAuth(conn.token);
  } else {
    const where = conn.profileName ? ` for profile '${conn.profileName}'` : '';
    if (!conn.username) {
      throw new UsageError(`no MYPOS API user${where}: set POSCUST_USERNAME or add it to the profile (--username <e-mail>)`);
    }
    if (!conn.password) {
      throw new UsageError(
        `no MYPOS password${where}: set POSCUST_PASSWORD, or store it with poscust profile add <name> --backend mypos ... --password-stdin`,
      );
    }
    const { username, password } = conn;
    // The vendor allows 250 tokens per API user per UTC day: the token is kept on disk (owner-only)
    // and reused by later invocations until shortly before its 120 minutes are up.
    http.auth = new TokenAuth({
      cache: tokenCacheFor(ctx.configDir, conn),
      warn: ctx.warn,
      clock: deps.clock,
      redactor: deps.redactor,
      login: () => MyposBackend.login(http, username, password, () => deps.clock.now()),
      onLogin: () => ctx.log?.(`! logged in to ${http.host} as API user '${username}'`),
    });
  }
  return new MyposBackend(http, ctx.warn);
}
