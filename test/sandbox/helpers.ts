// Shared helpers of the sandbox tests: start a sandbox in-process, talk to it over real HTTP.
import { afterEach } from 'vitest';
import { startSandbox } from '../../src/sandbox/index.js';
import type { RunningSandbox, SandboxOptions } from '../../src/sandbox/index.js';

export interface ApiAnswer {
  status: number;
  headers: Headers;
  text: string;
  body: unknown;
}

export interface CallOptions {
  query?: string;
  body?: unknown;
  /** Raw body text (sent as is, with the given content type). */
  raw?: string;
  contentType?: string;
  /** Bearer token; `null` sends no Authorization header. Default: the harness token. */
  token?: string | null;
  headers?: Record<string, string>;
}

export interface Harness {
  sb: RunningSandbox;
  token: string;
  /** Calls `path` relative to the API base URL (`/Customer/Detail`). */
  api(method: string, path: string, opts?: CallOptions): Promise<ApiAnswer>;
  /** Calls an absolute path on the origin (`/_sandbox/stats`). */
  raw(method: string, path: string, opts?: CallOptions): Promise<ApiAnswer>;
  newToken(): Promise<string>;
}

const running: RunningSandbox[] = [];

/** Registers an afterEach that closes every sandbox a test started. Call once per file. */
export function closeSandboxesAfterEach(): void {
  afterEach(async () => {
    await Promise.all(running.splice(0).map((sb) => sb.close()));
  });
}

export async function call(url: string, method: string, opts: CallOptions, defaultToken: string | null): Promise<ApiAnswer> {
  const headers: Record<string, string> = { ...opts.headers };
  const token = opts.token === undefined ? defaultToken : opts.token;
  if (token !== null) headers.Authorization = `Bearer ${token}`;
  let body: string | undefined;
  if (opts.raw !== undefined) {
    body = opts.raw;
    headers['Content-Type'] = opts.contentType ?? 'application/json';
  } else if (opts.body !== undefined) {
    body = JSON.stringify(opts.body);
    headers['Content-Type'] = 'application/json';
  }
  const res = await fetch(url + (opts.query ? `?${opts.query}` : ''), { method, headers, ...(body !== undefined ? { body } : {}) });
  const text = await res.text();
  let parsed: unknown = undefined;
  try {
    parsed = text === '' ? undefined : (JSON.parse(text) as unknown);
  } catch {
    parsed = text;
  }
  return { status: res.status, headers: res.headers, text, body: parsed };
}

export async function fetchToken(sb: RunningSandbox): Promise<string> {
  const answer = await call(`${sb.baseUrl}/Token/OAuth2`, 'POST', {
    body: { client_id: sb.credentials.clientId, client_secret: sb.credentials.clientSecret },
  }, null);
  if (answer.status !== 200) throw new Error(`token: ${answer.status} ${answer.text}`);
  return (answer.body as { access_token: string }).access_token;
}

/** Starts a sandbox (port 0, 5 customers unless told), fetches a token. Closed after the test. */
export async function start(opts: SandboxOptions = {}): Promise<Harness> {
  const sb = await startSandbox({ port: 0, seed: 5, ...opts });
  running.push(sb);
  // Get the token before faults can hit it, whatever the options.
  const token = await fetchToken(sb);
  const h: Harness = {
    sb,
    token,
    api: (method, path, o = {}) => call(sb.baseUrl + path, method, o, h.token),
    raw: (method, path, o = {}) => call(sb.origin + path, method, o, null),
    newToken: () => fetchToken(sb),
  };
  return h;
}

/** Registers a sandbox started elsewhere so it is closed after the test. */
export function track(sb: RunningSandbox): RunningSandbox {
  running.push(sb);
  return sb;
}

export type Customer = Record<string, unknown> & { ID: string; Code: string | null; Name: string };

export async function detail(h: Harness, query: string): Promise<Customer> {
  const answer = await h.api('GET', '/Customer/Detail', { query });
  if (answer.status !== 200) throw new Error(`detail ${query}: ${answer.status} ${answer.text}`);
  return answer.body as Customer;
}

export async function create(h: Harness, body: Record<string, unknown>): Promise<string> {
  const answer = await h.api('POST', '/Customer', { body });
  if (answer.status !== 200) throw new Error(`create: ${answer.status} ${answer.text}`);
  return (answer.body as { ID: string }).ID;
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
