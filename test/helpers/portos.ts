// PORTOS test helpers: the environment of a connection, stub answers, and the adapter opened the
// way the CLI opens it (for the write verbs, tested below the commands).
import { PassThrough } from 'node:stream';
import { Dispatcher, MockAgent } from 'undici';
import { openBackend } from '../../src/backends/open.js';
import type { CustomerBackend } from '../../src/backends/types.js';
import { resolveConnection } from '../../src/backends/connection.js';
import type { Clock, Deps } from '../../src/deps.js';
import { Redactor } from '../../src/redact.js';
import type { RunningSandbox } from '../../src/sandbox/index.js';
import { startCliSandbox } from './cli-sandbox.js';
import { Capture, FakeClock, tempDir, type RunOptions, type RunResult } from './harness.js';

export const PORTOS_ORIGIN = 'https://pos.shop.test';
export const PASSWORD = 'till-pass-0987654321';
export const JSONH = { headers: { 'content-type': 'application/json; charset=utf-8' } };
export const PROBLEMH = { headers: { 'content-type': 'application/problem+json; charset=utf-8' } };

export function portosEnv(baseUrl = PORTOS_ORIGIN): Record<string, string> {
  return {
    POSCUST_BACKEND: 'portos',
    POSCUST_BASE_URL: baseUrl,
    POSCUST_USERNAME: 'manager',
    POSCUST_PASSWORD: PASSWORD,
    POSCUST_DEVICE_NAME: 'till-1',
  };
}

/** A JWT-shaped token whose `exp` is `expSeconds` from the FakeClock's start. */
export function jwt(name: string, expSeconds = 3600, now = new FakeClock().now()): string {
  const b = (v: unknown) => Buffer.from(JSON.stringify(v)).toString('base64url');
  return `${b({ alg: 'HS256' })}.${b({ sub: name, exp: Math.floor(now / 1000) + expSeconds })}.sig-${name}`;
}

export const LOGIN_BODY = JSON.stringify({ UserName: 'manager', Password: PASSWORD, DeviceName: 'till-1' });

export function expectLogin(pool: ReturnType<MockAgent['get']>, token: string, refreshToken = `refresh-${token}`): void {
  pool
    .intercept({ path: '/api/auth', method: 'POST', body: LOGIN_BODY })
    .reply(200, { tokenId: token, refreshToken, user: { id: 'u1', name: 'Manager', userName: 'manager', rights: ['admin'] } }, JSONH);
}

/** The customer of the vendor's page, with a version. */
export function customer(id = 'customer-id', extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    id,
    externalId: null,
    isActive: true,
    status: 'Valid',
    firstName: 'John',
    lastName: 'Doe',
    fullName: 'John Doe',
    email: 'john.doe@portos.sk',
    phone: null,
    company: null,
    address: { street: 'Hlavná 1', city: 'Košice', zipCode: '04001', country: 'SK' },
    deliveryAddress: null,
    credit: { amount: 0, currencyLabel: 'EUR' },
    cards: [],
    creditRate: 0,
    discountRate: 0,
    note: null,
    meta: {},
    _v: 1,
    ...extra,
  };
}

export function problem(status: number, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return { type: 'about:blank', title: 'Bad Request', status, detail: undefined, instance: '/customers', traceId: 't-1', ...extra };
}

/**
 * Routes every request through `agent.dispatch`, which (unlike its per-origin pools) keeps the call
 * history: the URLs exactly as sent, since MockAgent's own path matching normalises queries.
 */
export class Through extends Dispatcher {
  constructor(private readonly inner: Dispatcher) {
    super();
  }
  override dispatch(options: Dispatcher.DispatchOptions, handler: Dispatcher.DispatchHandler): boolean {
    return this.inner.dispatch(options, handler);
  }
}

export interface OpenedPortos {
  backend: CustomerBackend;
  log: string[];
  clock: FakeClock;
  redactor: Redactor;
}

/** The PORTOS adapter as `AppContext.backend()` builds it, over `dispatcher`. */
export async function openPortos(options: {
  dispatcher: Dispatcher;
  env?: Record<string, string>;
  configDir?: string;
  clock?: Clock;
}): Promise<OpenedPortos> {
  const log: string[] = [];
  const clock = (options.clock as FakeClock | undefined) ?? new FakeClock();
  const redactor = new Redactor();
  const env = options.env ?? portosEnv();
  const deps: Deps = {
    io: { stdout: new Capture(), stderr: new Capture(), stdin: new PassThrough().end(), stdoutIsTTY: false, stderrIsTTY: false, stdinIsTTY: false },
    env,
    clock,
    prompter: async () => {
      throw new Error('no prompts in adapter tests');
    },
    signal: new AbortController().signal,
    redactor,
    dispatcherFor: (origin) => (options.dispatcher instanceof MockAgent ? options.dispatcher.get(origin) : options.dispatcher),
    homeDir: tempDir('poscust-home-'),
    platform: process.platform,
    onExit: () => () => undefined,
  };
  const conn = resolveConnection({ env, store: () => ({ profiles: {} }), allowInsecureHttp: true });
  redactor.add(conn.password);
  const backend = await openBackend(conn, {
    deps,
    configDir: options.configDir ?? tempDir('poscust-cfg-'),
    timeoutMs: 5000,
    log: (line) => log.push(line),
  });
  return { backend, log, clock, redactor };
}

/** In-process runs against an in-process PORTOS sandbox over loopback HTTP, with the wire log. */
export interface PortosRun {
  sb: RunningSandbox;
  env: Record<string, string>;
  reset(customers: object[]): Promise<void>;
  /** poscust in-process; the API requests it sent, logins and refreshes left out. */
  run(argv: string[], options?: RunOptions): Promise<RunResult & { wire: { method: string; path: string; query: string; body: unknown; status: number | null }[] }>;
  customer(id: string): Record<string, unknown> | undefined;
}

export async function startPortosRun(): Promise<PortosRun> {
  const cli = await startCliSandbox('portos');
  return {
    sb: cli.sb,
    env: cli.env,
    reset: (customers) => cli.reset(customers),
    async run(argv, options) {
      const { result, sent } = await cli.run(argv, options);
      const wire = sent.map((r) => ({ method: r.method, path: r.path, query: r.query, body: r.body, status: r.status }));
      return { ...result, wire };
    },
    customer: (id) => (cli.sb.customers() as Record<string, unknown>[]).find((c) => c.id === id),
  };
}
