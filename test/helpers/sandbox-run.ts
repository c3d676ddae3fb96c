// In-process runs of the CLI against an in-process sandbox over real loopback HTTP: the request
// log shows exactly what went on the wire, the customer store what it did.
import { startSandbox, type RunningSandbox } from '../../src/sandbox/index.js';
import { runCli, type RunOptions, type RunResult } from './harness.js';

export interface Wire {
  method: string;
  path: string;
  /** The query decoded into pairs (repeated keys kept). */
  query: [string, string][];
  body: unknown;
  status: number | null;
}

export interface SandboxRun {
  sb: RunningSandbox;
  env: Record<string, string>;
  /** Replaces the customers and forgets the request log mark. */
  reset(customers: object[]): Promise<void>;
  /** Runs poscust in-process; returns its result and the API requests it sent (logins left out). */
  run(argv: string[], options?: RunOptions): Promise<RunResult & { wire: Wire[] }>;
  customers(): Record<string, unknown>[];
  find(code: string): Record<string, unknown> | undefined;
}

export async function startSandboxRun(): Promise<SandboxRun> {
  const sb = await startSandbox({ seed: 0, closeGraceMs: 0 });
  const env = {
    POSCUST_BACKEND: 'dealpos',
    POSCUST_BASE_URL: sb.baseUrl,
    POSCUST_CLIENT_ID: sb.credentials.clientId!,
    POSCUST_CLIENT_SECRET: sb.credentials.clientSecret!,
  };
  const control = async (method: string, path: string, body?: unknown) => {
    const res = await fetch(`${sb.origin}${path}`, {
      method,
      headers: body === undefined ? {} : { 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    if (!res.ok) throw new Error(`${path}: ${res.status} ${await res.text()}`);
    return res.json() as Promise<unknown>;
  };
  const customers = () => sb.customers() as Record<string, unknown>[];
  return {
    sb,
    env,
    async reset(list) {
      await control('PUT', '/_sandbox/customers', list);
      sb.configure({ codeGenerator: true });
    },
    async run(argv, options = {}) {
      const mark = sb.stats().requests;
      const result = await runCli(argv, { ...options, env: { ...env, ...options.env } });
      const log = (await control('GET', '/_sandbox/requests')) as {
        seq: number;
        method: string;
        path: string;
        query: string;
        body: unknown;
        status: number | null;
      }[];
      const fresh = log.slice(log.length - (sb.stats().requests - mark));
      const wire = fresh
        .filter((r) => !/\/token\/oauth2$/i.test(r.path))
        .map((r) => ({
          method: r.method,
          path: r.path,
          query: [...new URLSearchParams(r.query)],
          body: r.body,
          status: r.status,
        }));
      return { ...result, wire };
    },
    customers,
    find: (code) => customers().find((c) => c.Code === code),
  };
}
