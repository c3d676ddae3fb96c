// Helpers of the MYPOS emulator tests: start a `mypos` sandbox in-process, log in with HTTP Basic,
// call the API over real HTTP.
import { startSandbox } from '../../src/sandbox/index.js';
import type { RunningSandbox, SandboxOptions } from '../../src/sandbox/index.js';
import { type ApiAnswer, type CallOptions, call as callApi, track } from './helpers.js';

export interface MyposHarness {
  sb: RunningSandbox;
  token: string;
  api(method: string, path: string, opts?: CallOptions): Promise<ApiAnswer>;
  login(user?: string, password?: string): Promise<ApiAnswer>;
}

export function basic(user: string, password: string): string {
  return `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;
}

/** helpers.ts's call, with no options and no bearer token unless given. */
export function call(url: string, method: string, opts: CallOptions = {}, token: string | null = null): Promise<ApiAnswer> {
  return callApi(url, method, opts, token);
}

/** Starts a MYPOS sandbox (5 customers unless told) and logs in. Closed after the test. */
export async function startMypos(opts: SandboxOptions = {}): Promise<MyposHarness> {
  const sb = track(await startSandbox({ port: 0, seed: 5, backend: 'mypos', ...opts }));
  const login = (user = sb.credentials.username!, password = sb.credentials.password!) =>
    call(`${sb.baseUrl}/auth/token`, 'POST', { headers: { Authorization: basic(user, password) } });
  const first = await login();
  if (first.status !== 200) throw new Error(`login: ${first.status} ${first.text}`);
  const h: MyposHarness = {
    sb,
    token: (first.body as { bearerToken: string }).bearerToken,
    api: (method, path, o = {}) => call(sb.baseUrl + path, method, o, h.token),
    login,
  };
  return h;
}

export type Row = Record<string, unknown> & { customerId: string; customerCode: string };

export async function getOne(h: MyposHarness, identifier: string): Promise<Row> {
  const answer = await h.api('GET', `/customers/${encodeURIComponent(identifier)}`);
  if (answer.status !== 200) throw new Error(`get ${identifier}: ${answer.status} ${answer.text}`);
  return answer.body as Row;
}
