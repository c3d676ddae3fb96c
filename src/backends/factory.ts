// From a resolved connection to a working adapter: HTTP client, auth scheme, adapter. Each
// backend's module is loaded only when used (code splitting).
import { checkTlsEnvironment, type Connection } from '../config/resolve.js';
import { proxyFor } from '../http/proxy.js';
import type { Deps } from '../deps.js';
import type { HttpClientOptions } from '../http/client.js';
import type { BackendName } from './names.js';
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
  /** Extra client settings (a bulk job's pacer, more connections). */
  http?: Partial<HttpClientOptions>;
}

export interface BackendModule {
  open(ctx: BackendContext): CustomerBackend;
}

const MODULES: Record<BackendName, () => Promise<BackendModule>> = {
  dealpos: () => import('./dealpos-open.js'),
  mypos: () => import('./mypos-open.js'),
  portos: () => import('./portos-open.js'),
};

export async function openBackend(conn: Connection, ctx: Omit<BackendContext, 'conn'>): Promise<CustomerBackend> {
  checkTlsEnvironment(conn, ctx.deps.env);
  const mod = await MODULES[conn.backend]();
  return mod.open({ ...ctx, conn });
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
