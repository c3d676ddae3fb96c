// Fixtures for MYPOS Connect tests against a strict stub: the connection, the Basic login, and
// records shaped like the vendor's (a full object, and rows of the restricted list view).
import type { MockAgent } from 'undici';
import { MyposBackend } from '../../src/backends/mypos/adapter.js';
import { openBackend } from '../../src/backends/open.js';
import type { Connection } from '../../src/backends/connection.js';
import type { Deps } from '../../src/deps.js';
import { Redactor } from '../../src/redact.js';
import { Capture, FakeClock, tempDir } from './harness.js';

export const MYPOS_ORIGIN = 'https://api.mypos.test';
export const MYPOS_USER = 'api@shop.test';
export const MYPOS_PASSWORD = 'very-secret-password-42';
export const BASIC = `Basic ${Buffer.from(`${MYPOS_USER}:${MYPOS_PASSWORD}`).toString('base64')}`;
export const JSONH = { headers: { 'content-type': 'application/json; charset=utf-8' } };

export function myposEnv(baseUrl = `${MYPOS_ORIGIN}/api/v2`): Record<string, string> {
  return {
    POSCUST_BACKEND: 'mypos',
    POSCUST_BASE_URL: baseUrl,
    POSCUST_USERNAME: MYPOS_USER,
    POSCUST_PASSWORD: MYPOS_PASSWORD,
  };
}

type Pool = ReturnType<MockAgent['get']>;

/** One login, with the Basic header and no body; answers `token`. */
export function expectLogin(pool: Pool, token = 'tok-1'): void {
  pool
    .intercept({ path: '/api/v2/auth/token', method: 'POST', headers: { authorization: BASIC } })
    .reply(200, { failureDescription: null, bearerToken: token }, JSONH);
}

/** A JWT-shaped token whose `exp` is `expSeconds` (epoch seconds). */
export function jwtWithExp(expSeconds: number): string {
  const part = (o: unknown) => Buffer.from(JSON.stringify(o)).toString('base64url');
  return `${part({ alg: 'HS256', typ: 'JWT' })}.${part({ sub: MYPOS_USER, exp: expSeconds })}.c2ln`;
}

export const LUCY = {
  customerId: 'f092097a-82a8-41a3-9a61-48cf174de612',
  customerCode: '1000070',
  customerName: '',
  firstName: 'Lucy',
  lastName: 'Smyth',
  address: '13168 Spruce St',
  city: 'Toronto',
  region: 'Ontario',
  postalCode: 'M4W 1R5',
  country: 'Canada',
  phoneNumber: '(416) 877-6000',
  faxNumber: '',
  emailAddress: 'lucy@test.com',
  webSite: '',
  creditLimit: 0.0,
  notes: '',
  active: true,
  customerType: 'Adult',
  rewardsCollector: false,
  rewardsNumber: '',
  rewardsValue: 65.0,
  allowMailing: true,
  allowDataShare: false,
  discountPercent: 0.0,
  priceBand: 1,
  balance: 0.0,
  cC_001: null,
  lastEditDate: '2020-08-21T12:47:18.177',
  lastEditDateUTC: '2020-08-21T16:47:18.177',
  creationDate: '2020-07-28T12:31:47.417',
};

/** A row of the restricted list view for customer number `n` of `total`. */
export function row(n: number, total: number): Record<string, unknown> {
  return {
    customerId: `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`,
    customerCode: String(1000000 + n),
    customerName: '',
    firstName: `First${n}`,
    lastName: `Last${n}`,
    emailAddress: `c${n}@shop.test`,
    phoneNumber: `0812${String(n).padStart(6, '0')}`,
    active: true,
    lastEditDateUTC: '2024-01-01T00:00:00.000',
    customSortRowNumber: n,
    liTotalCount: total,
  };
}

/** Dependencies for opening the adapter directly (no CLI), with the stub as transport. */
export function stubDeps(agent: MockAgent, clock = new FakeClock()): Deps {
  return {
    io: { stdout: new Capture(), stderr: new Capture(), stdin: process.stdin, stdoutIsTTY: false, stderrIsTTY: false, stdinIsTTY: false },
    env: {},
    clock,
    prompter: async () => {
      throw new Error('no prompts in adapter tests');
    },
    signal: new AbortController().signal,
    redactor: new Redactor(),
    dispatcherFor: (origin) => agent.get(origin),
    homeDir: tempDir('poscust-home-'),
    platform: process.platform,
    onExit: () => () => undefined,
  };
}

/** The MYPOS adapter over the stub; `warnings` collects what it warns about. */
export async function openStubBackend(agent: MockAgent): Promise<{ backend: MyposBackend; warnings: string[] }> {
  const warnings: string[] = [];
  const conn: Connection = {
    profileName: null,
    backend: 'mypos',
    baseUrl: `${MYPOS_ORIGIN}/api/v2`,
    username: MYPOS_USER,
    password: MYPOS_PASSWORD,
    allowInsecureHttp: false,
    insecureTls: false,
  };
  const backend = (await openBackend(conn, { deps: stubDeps(agent), configDir: tempDir('poscust-cfg-'), timeoutMs: 5000, warn: (m) => warnings.push(m) })) as MyposBackend;
  return { backend, warnings };
}
