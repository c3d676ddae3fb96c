// poscust in-process against an in-process sandbox of any backend, over real loopback HTTP: the
// environment that points the CLI at a sandbox, and what each run put on the wire (the sandbox's
// request log), with the logins apart from the API calls.
import { credentialEnv as credentialVariables } from '../../src/backends/registry.js';
import { startSandbox, type RecordedRequest, type RunningSandbox, type SandboxBackend, type SandboxOptions } from '../../src/sandbox/index.js';
import { runCli, type RunOptions, type RunResult } from './harness.js';

/** POSCUST_* variables for the credentials a sandbox reports (clientId, username, deviceName, ...). */
export function credentialEnv(credentials: Record<string, unknown>): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [key, variable] of Object.entries(credentialVariables())) {
    const value = credentials[key];
    if (typeof value === 'string') env[variable] = value;
  }
  return env;
}

/** The environment that points poscust at `sb` with its credentials. */
export function sandboxEnv(sb: RunningSandbox): Record<string, string> {
  return { POSCUST_BACKEND: sb.backend, POSCUST_BASE_URL: sb.baseUrl, ...credentialEnv(sb.credentials) };
}

/** A login (or token refresh) is the one request that carries no bearer token. */
export function isLogin(request: RecordedRequest): boolean {
  return !/^Bearer /.test(String(request.headers.authorization ?? ''));
}

export interface CliSandbox {
  sb: RunningSandbox;
  env: Record<string, string>;
  /** Replaces the sandbox's customers (whole records) through the control endpoint. */
  reset(customers: object[]): Promise<void>;
  /** Runs poscust in-process; returns its result, the API requests it sent, and its logins. */
  run(argv: string[], options?: RunOptions): Promise<{ result: RunResult; sent: RecordedRequest[]; logins: RecordedRequest[] }>;
}

/**
 * Starts a `backend` sandbox (no customers unless `seed`; close it with `sb.close()`). With
 * `configDir`, every run shares that config dir, so a token cached by one run is used by the next.
 * The one helper that runs the CLI against a sandbox of any backend: the others are views of it.
 */
export async function startCliSandbox(
  backend: SandboxBackend,
  opts: { configDir?: string } & Omit<SandboxOptions, 'backend'> = {},
): Promise<CliSandbox> {
  const { configDir, ...sandboxOptions } = opts;
  const sb = await startSandbox({ seed: 0, closeGraceMs: 0, ...sandboxOptions, backend });
  const env = sandboxEnv(sb);
  return {
    sb,
    env,
    async reset(customers) {
      const res = await fetch(`${sb.origin}/_sandbox/customers`, {
        method: 'PUT',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(customers),
      });
      if (!res.ok) throw new Error(`reset: ${res.status} ${await res.text()}`);
    },
    async run(argv, options = {}) {
      const before = sb.requests.at(-1)?.seq ?? 0;
      const shared = configDir !== undefined ? { configDir } : {};
      const result = await runCli(argv, { ...shared, ...options, env: { ...env, ...options.env } });
      const fresh = sb.requests.filter((r) => r.seq > before);
      return { result, sent: fresh.filter((r) => !isLogin(r)), logins: fresh.filter((r) => isLogin(r)) };
    },
  };
}
