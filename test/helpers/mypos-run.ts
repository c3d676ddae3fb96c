// In-process runs of the CLI against an in-process MYPOS sandbox over real loopback HTTP: the
// request log shows exactly what went on the wire, the sandbox's state what it did.
import { startSandbox, type RunningSandbox } from '../../src/sandbox/index.js';
import { runCli, tempDir, type RunOptions, type RunResult } from './harness.js';

export interface MyposWire {
  method: string;
  path: string;
  query: string;
  /** The scheme of the Authorization header (`Bearer`), or undefined. */
  auth: string | undefined;
  body: unknown;
  status: number | null;
}

export type MyposState = Record<string, unknown> & { customerId: string; customerCode: string; _transactions: number };

export interface MyposRun {
  sb: RunningSandbox;
  env: Record<string, string>;
  /** Replaces the customers (whole records; `_transactions` > 0 makes a delete answer 409). */
  reset(customers: object[]): Promise<void>;
  /** Runs poscust in-process with one config dir (so one login); returns the API requests it sent, logins left out. */
  run(argv: string[], options?: RunOptions): Promise<RunResult & { wire: MyposWire[]; logins: number }>;
  customers(): MyposState[];
  find(code: string): MyposState | undefined;
}

export async function startMyposRun(): Promise<MyposRun> {
  const sb = await startSandbox({ backend: 'mypos', seed: 0, closeGraceMs: 0 });
  const env = {
    POSCUST_BACKEND: 'mypos',
    POSCUST_BASE_URL: sb.baseUrl,
    POSCUST_USERNAME: sb.credentials.username!,
    POSCUST_PASSWORD: sb.credentials.password!,
  };
  const configDir = tempDir('poscust-mypos-cfg-');
  const control = async (method: string, path: string, body?: unknown) => {
    const res = await fetch(`${sb.origin}${path}`, {
      method,
      headers: body === undefined ? {} : { 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    if (!res.ok) throw new Error(`${path}: ${res.status} ${await res.text()}`);
    return res.json() as Promise<unknown>;
  };
  const customers = () => sb.customers() as MyposState[];
  return {
    sb,
    env,
    async reset(list) {
      await control('PUT', '/_sandbox/customers', list);
    },
    async run(argv, options = {}) {
      const mark = sb.stats().requests;
      const result = await runCli(argv, { configDir, ...options, env: { ...env, ...options.env } });
      const log = (await control('GET', '/_sandbox/requests')) as {
        method: string;
        path: string;
        query: string;
        headers: Record<string, string>;
        body: unknown;
        status: number | null;
      }[];
      const fresh = log.slice(log.length - (sb.stats().requests - mark));
      const isLogin = (path: string) => /\/auth\/token$/i.test(path);
      const wire = fresh
        .filter((r) => !isLogin(r.path))
        .map((r) => ({ method: r.method, path: r.path, query: r.query, auth: r.headers.authorization?.split(' ')[0], body: r.body, status: r.status }));
      return { ...result, wire, logins: fresh.filter((r) => isLogin(r.path)).length };
    },
    customers,
    find: (code) => customers().find((c) => c.customerCode === code),
  };
}
