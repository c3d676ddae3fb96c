// Helpers of the PORTOS sandbox tests: start one in-process, log in, call it over real HTTP.
import { startSandbox } from '../../src/sandbox/index.js';
import type { RunningSandbox, SandboxOptions } from '../../src/sandbox/index.js';
import { type ApiAnswer, type CallOptions, call, track } from './helpers.js';

export const ADMIN = { UserName: 'admin', Password: 'sandbox-password', DeviceName: 'sandbox-till' };
export const CASHIER = { UserName: 'cashier', Password: 'cashier-password', DeviceName: 'sandbox-till' };

export interface PortosHarness {
  sb: RunningSandbox;
  token: string;
  refreshToken: string;
  /** Calls `path` on the server root (`/customers`), with the harness token unless told. */
  api(method: string, path: string, opts?: CallOptions): Promise<ApiAnswer>;
  login(who?: typeof ADMIN): Promise<{ tokenId: string; refreshToken: string; user: Record<string, unknown> }>;
}

/** Starts a PORTOS sandbox (5 customers unless told) and logs in as admin. Closed after the test. */
export async function startPortos(opts: SandboxOptions = {}): Promise<PortosHarness> {
  const sb = track(await startSandbox({ port: 0, seed: 5, backend: 'portos', ...opts }));
  const login = async (who = ADMIN) => {
    const answer = await call(`${sb.origin}/api/auth`, 'POST', { body: who }, null);
    if (answer.status !== 200) throw new Error(`login: ${answer.status} ${answer.text}`);
    return answer.body as { tokenId: string; refreshToken: string; user: Record<string, unknown> };
  };
  const first = await login();
  const h: PortosHarness = {
    sb,
    token: first.tokenId,
    refreshToken: first.refreshToken,
    api: (method, path, o = {}) => call(sb.origin + path, method, o, h.token),
    login,
  };
  return h;
}

export type Customer = Record<string, unknown> & { id: string; _v: number };

export async function getCustomer(h: PortosHarness, id: string): Promise<Customer> {
  const answer = await h.api('GET', `/customers/${encodeURIComponent(id)}`);
  if (answer.status !== 200) throw new Error(`get ${id}: ${answer.status} ${answer.text}`);
  return answer.body as Customer;
}
