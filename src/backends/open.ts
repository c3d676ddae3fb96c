// From a resolved connection to a working adapter: the HTTP client (proxy, TLS, timeouts), the
// auth scheme (POSCUST_TOKEN as is, or the vendor's login with the owner-only token cache), and the
// vendor's adapter, loaded only now (code splitting). The same for every backend: what differs is
// in the vendor's descriptor and adapter module.
import { StaticTokenAuth, TokenAuth } from '../auth/token-auth.js';
import { serverNotesFor } from '../config/server-notes.js';
import { tokenCacheFor } from '../config/token-cache.js';
import type { Deps } from '../deps.js';
import { UsageError } from '../errors.js';
import { HttpClient, type HttpClientOptions } from '../http/client.js';
import { proxyFor } from '../http/proxy.js';
import { checkTlsEnvironment, type Connection } from './connection.js';
import type { VendorDescriptor } from './descriptor.js';
import { vendorOf } from './registry.js';
import type { CustomerBackend } from './types.js';

export interface BackendContext {
  conn: Connection;
  deps: Deps;
  configDir: string;
  timeoutMs: number;
  log?: (line: string) => void;
  notice?: (line: string) => void;
  /** Something the user should know even in a script (stderr, unless --quiet). */
  warn?: (line: string) => void;
  /** Extra client settings (a bulk job's pacer, more connections, a dry run's write guard). */
  http?: Partial<HttpClientOptions>;
}

export async function openBackend(conn: Connection, ctx: Omit<BackendContext, 'conn'>): Promise<CustomerBackend> {
  checkTlsEnvironment(conn, ctx.deps.env);
  const vendor = vendorOf(conn.backend);
  if (!conn.token) requireCredentials(vendor, conn);
  const full: BackendContext = { ...ctx, conn };
  const mod = await vendor.load();
  const http = new HttpClient({ ...(mod.describeBody ? { describeBody: mod.describeBody } : {}), ...httpOptions(full), baseUrl: conn.baseUrl });
  if (conn.token) {
    http.auth = new StaticTokenAuth(conn.token);
  } else {
    const now = () => ctx.deps.clock.now();
    const refresh = mod.refresh;
    http.auth = new TokenAuth({
      // A vendor that limits logins (MYPOS: 250 tokens a day) is why the token is kept between runs.
      cache: tokenCacheFor(ctx.configDir, conn),
      clock: ctx.deps.clock,
      redactor: ctx.deps.redactor,
      login: () => mod.login(http, conn, now),
      ...(refresh ? { refresh: (old) => refresh(http, old, now) } : {}),
      onLogin: () => ctx.log?.(`! logged in to ${http.host} as ${vendor.who(conn)}`),
      warn: ctx.warn,
    });
  }
  return mod.createBackend(http, { log: ctx.log, warn: ctx.warn, notes: serverNotesFor(ctx.configDir, conn, ctx.log) });
}

/** Every credential the vendor's login needs, or a usage error naming the variable and the option. */
function requireCredentials(vendor: VendorDescriptor, conn: Connection): void {
  const where = conn.profileName ? ` for profile '${conn.profileName}'` : '';
  for (const c of vendor.credentials) {
    if (conn[c.key]) continue;
    throw new UsageError(
      c.secret
        ? `no ${vendor.brand} ${c.noun}${where}: set ${c.env}, or store it with poscust profile add <name> --backend ${vendor.name} ... ${c.flag}`
        : `no ${vendor.brand} ${c.noun}${where}: set ${c.env} or add it to the profile (${c.flag})`,
    );
  }
}

/** The client settings every backend shares. */
export function httpOptions(ctx: BackendContext): Omit<HttpClientOptions, 'baseUrl'> {
  const target = new URL(ctx.conn.baseUrl);
  const proxy = proxyFor(target, ctx.deps.env);
  if (proxy) {
    ctx.deps.redactor.add(decodeURIComponent(new URL(proxy.uri).password));
    ctx.log?.(`! through the proxy ${proxy.display} (${proxy.variable})`);
  }
  if (ctx.conn.insecureTls && target.protocol === 'https:') {
    ctx.warn?.(`--insecure-tls: the certificate of ${target.host} is not checked; anyone on the path can read the credentials`);
  }
  return {
    rejectUnauthorized: !ctx.conn.insecureTls,
    ...(proxy ? { proxy } : {}),
    clock: ctx.deps.clock,
    signal: ctx.deps.signal,
    redactor: ctx.deps.redactor,
    timeoutMs: ctx.timeoutMs,
    log: ctx.log,
    notice: ctx.notice,
    dispatcherFor: ctx.deps.dispatcherFor,
    ...ctx.http,
  };
}
