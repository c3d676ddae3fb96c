// In-process runs of the CLI against an in-process DealPOS sandbox over real loopback HTTP: the
// request log shows exactly what went on the wire, the customer store what it did.
import type { RunningSandbox } from '../../src/sandbox/index.js';
import { startCliSandbox } from './cli-sandbox.js';
import type { RunOptions, RunResult } from './harness.js';

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
  /** Replaces the customers and turns the code generator back on. */
  reset(customers: object[]): Promise<void>;
  /** Runs poscust in-process; returns its result and the API requests it sent (logins left out). */
  run(argv: string[], options?: RunOptions): Promise<RunResult & { wire: Wire[] }>;
  customers(): Record<string, unknown>[];
  find(code: string): Record<string, unknown> | undefined;
}

export async function startSandboxRun(): Promise<SandboxRun> {
  const cli = await startCliSandbox('dealpos');
  const customers = () => cli.sb.customers() as Record<string, unknown>[];
  return {
    sb: cli.sb,
    env: cli.env,
    async reset(list) {
      await cli.reset(list);
      cli.sb.configure({ codeGenerator: true });
    },
    async run(argv, options) {
      const { result, sent } = await cli.run(argv, options);
      const wire = sent.map((r) => ({
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
