// In-process runs of the CLI against an in-process MYPOS sandbox over real loopback HTTP: the
// request log shows exactly what went on the wire, the sandbox's state what it did.
import type { RunningSandbox } from '../../src/sandbox/index.js';
import { startCliSandbox } from './cli-sandbox.js';
import { tempDir, type RunOptions, type RunResult } from './harness.js';

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
  const cli = await startCliSandbox('mypos', { configDir: tempDir('poscust-mypos-cfg-') });
  const customers = () => cli.sb.customers() as MyposState[];
  return {
    sb: cli.sb,
    env: cli.env,
    reset: (list) => cli.reset(list),
    async run(argv, options) {
      const { result, sent, logins } = await cli.run(argv, options);
      const wire = sent.map((r) => ({
        method: r.method,
        path: r.path,
        query: r.query,
        auth: (r.headers.authorization as string | undefined)?.split(' ')[0],
        body: r.body,
        status: r.status,
      }));
      return { ...result, wire, logins: logins.length };
    },
    customers,
    find: (code) => customers().find((c) => c.customerCode === code),
  };
}
