// The built binary against `poscust sandbox --backend portos` over real HTTP.
import { readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { poscust, startSandboxProcess, type SandboxProcess } from '../helpers/e2e.js';
import { runCli, tempDir } from '../helpers/harness.js';

interface Logged {
  method: string;
  path: string;
  query: string;
  status: number | null;
  body: unknown;
}
interface Stats {
  tokensIssued: number;
}
type Customer = { id: string; externalId: string | null; discountRate: number; isActive: boolean; lastName: string | null; cards: { serialNumber: string }[] };

let sb: SandboxProcess;
let all: Customer[];

beforeAll(async () => {
  sb = await startSandboxProcess(['--backend', 'portos', '--seed', '120']);
  all = await sb.control<Customer[]>('/_sandbox/customers');
});
afterAll(async () => {
  await sb?.stop();
});

async function lastRequests(n: number): Promise<Logged[]> {
  return (await sb.control<Logged[]>('/_sandbox/requests')).slice(-n);
}

describe('portos read commands against the sandbox', () => {
  it('prints the PORTOS credentials as POSCUST_USERNAME / PASSWORD / DEVICE_NAME, which reach poscust', async () => {
    expect(sb.info).toMatchObject({ backend: 'portos', username: 'admin', password: 'sandbox-password', deviceName: 'sandbox-till' });
    expect(sb.env).toMatchObject({ POSCUST_USERNAME: 'admin', POSCUST_PASSWORD: 'sandbox-password', POSCUST_DEVICE_NAME: 'sandbox-till' });
    expect(sb.info.baseUrl).toBe(sb.info.origin);
    const controller = new AbortController();
    const running = runCli(['sandbox', '--backend', 'portos', '--seed', '1'], { signal: controller.signal });
    await new Promise((r) => setTimeout(r, 400));
    controller.abort(new Error('SIGINT'));
    const r = await running;
    expect(r.stdout).toMatch(/export POSCUST_BACKEND=portos POSCUST_BASE_URL=http:\/\/127\.0\.0\.1:\d+ POSCUST_USERNAME=admin POSCUST_PASSWORD=sandbox-password POSCUST_DEVICE_NAME=sandbox-till\n/);
    expect(r.stdout).toContain('  device name    sandbox-till\n');
  });

  it('counts, pages and lists --all, matching the sandbox state', async () => {
    expect((await poscust(['count'], { env: sb.env })).stdout).toBe('120\n');
    const page = await poscust(['list', '--page', '2', '--page-size', '10', '--json'], { env: sb.env });
    expect(JSON.parse(page.stdout).map((c: Customer) => c.id)).toEqual(all.slice(10, 20).map((c) => c.id));
    const every = await poscust(['list', '--all', '--page-size', '50', '--format', 'ndjson'], { env: sb.env });
    expect(every.code).toBe(0);
    expect(every.stdout.trim().split('\n').map((l) => JSON.parse(l).id)).toEqual(all.map((c) => c.id));
    const log = await lastRequests(3);
    expect(log.map((l) => l.query)).toEqual(['$skip=0&$take=50', '$skip=50&$take=50', '$skip=100&$take=50']);
  });

  it('filters and sorts as NData on the wire, with the results the state says', async () => {
    const r = await poscust(['list', '--all', '--filter', 'DiscountRate=gte:5;lt:15', '--active', '--sort', 'discountRate:desc', '--json', '--fields', 'id,discountRate'], { env: sb.env });
    expect(r.code, r.stderr).toBe(0);
    const expected = all.filter((c) => c.discountRate >= 5 && c.discountRate < 15 && c.isActive);
    const got = JSON.parse(r.stdout) as { id: string; discountRate: number }[];
    expect(got.map((c) => c.id).sort()).toEqual(expected.map((c) => c.id).sort());
    expect(got.map((c) => c.discountRate)).toEqual([...got.map((c) => c.discountRate)].sort((a, b) => b - a));
    expect((await lastRequests(1))[0]!.query).toBe('DiscountRate=gte%3A5%3Blt%3A15&IsActive=true&$sort=discountRate%3Adesc&$skip=0&$take=1000');
    const counted = await poscust(['count', '--filter', 'DiscountRate=gte:5;lt:15', '--active'], { env: sb.env });
    expect(counted.stdout).toBe(`${expected.length}\n`);
    const withCard = all.find((c) => c.cards.length > 0)!;
    const byCard = await poscust(['list', '--card', withCard.cards[0]!.serialNumber.toLowerCase(), '--json'], { env: sb.env });
    expect(JSON.parse(byCard.stdout).map((c: Customer) => c.id)).toEqual([withCard.id]);
  });

  it('gets by id; exit 3 for an unknown id, 6 for a lookup PORTOS lacks, 2 for a malformed filter', async () => {
    const one = await poscust(['get', '--id', all[3]!.id, '--json'], { env: sb.env });
    expect(JSON.parse(one.stdout)).toEqual(all[3]);
    const missing = await poscust(['get', '--id', 'no/such id'], { env: sb.env });
    expect(missing.code).toBe(3);
    expect(missing.stderr).toBe("poscust: customer with id 'no/such id' not found\n");
    expect((await lastRequests(1))[0]!.path).toBe('/customers/no/such id');
    const code = await poscust(['get', '--code', 'X'], { env: sb.env });
    expect([code.code, code.stderr]).toEqual([6, 'poscust: get by code is unsupported on portos\n']);
    const before = (await sb.control<Logged[]>('/_sandbox/requests')).length;
    const bad = await poscust(['list', '--filter', 'DiscountRate=between:1'], { env: sb.env });
    expect(bad.code).toBe(2);
    expect((await sb.control<Logged[]>('/_sandbox/requests')).length).toBe(before);
  });
});

describe('portos auth against the sandbox', () => {
  it('logs in once for two invocations, caching the token owner-only', async () => {
    const env = { ...sb.env, POSCUST_CONFIG_DIR: tempDir() };
    const before = await sb.control<Stats>('/_sandbox/stats');
    expect((await poscust(['count'], { env })).code).toBe(0);
    expect((await poscust(['get', '--id', all[0]!.id], { env })).code).toBe(0);
    expect((await sb.control<Stats>('/_sandbox/stats')).tokensIssued - before.tokensIssued).toBe(1);
    const dir = join(env.POSCUST_CONFIG_DIR, 'tokens');
    expect(statSync(join(dir, readdirSync(dir)[0]!)).mode & 0o777).toBe(0o600);
  });

  it('after the server revokes the token: 401, refresh, retry, and no new login', async () => {
    const env = { ...sb.env, POSCUST_CONFIG_DIR: tempDir() };
    expect((await poscust(['count'], { env })).code).toBe(0);
    await sb.control('/_sandbox/config', { method: 'PUT', body: { revokeTokens: true } });
    const r = await poscust(['count'], { env });
    expect(r.code, r.stderr).toBe(0);
    expect((await lastRequests(3)).map((l) => `${l.method} ${l.path} ${l.status}`)).toEqual([
      'GET /customers 401', 'POST /api/auth/refresh 200', 'GET /customers 200',
    ]);
  });

  it('--verbose shows the exchanges with password, tokens and refresh tokens redacted', async () => {
    const env = { ...sb.env, POSCUST_CONFIG_DIR: tempDir() };
    await poscust(['count'], { env });
    await sb.control('/_sandbox/config', { method: 'PUT', body: { revokeTokens: true } });
    const r = await poscust(['--verbose', 'count'], { env });
    expect(r.code).toBe(0);
    expect(r.stderr).toContain('> POST http://127.0.0.1');
    expect(r.stderr).toContain('"tokenId":"[redacted]"');
    expect(r.stderr).toContain('"refreshToken":"[redacted]"');
    const cached = JSON.parse(readFileSync(join(env.POSCUST_CONFIG_DIR, 'tokens', readdirSync(join(env.POSCUST_CONFIG_DIR, 'tokens'))[0]!), 'utf8'));
    expect(r.stderr).not.toContain(cached.token);
    expect(r.stderr).not.toContain(cached.refreshToken);
    const login = await poscust(['--verbose', 'count'], { env: { ...env, POSCUST_CONFIG_DIR: tempDir() } });
    expect(login.stderr).toContain('"Password":"[redacted]"');
    expect(login.stderr).not.toContain('sandbox-password');
  });

  it('exits 4 on a wrong password or device, printing neither the password', async () => {
    const wrong = await poscust(['count'], { env: { ...sb.env, POSCUST_CONFIG_DIR: tempDir(), POSCUST_PASSWORD: 'wrong-pass-123' } });
    expect(wrong.code).toBe(4);
    expect(wrong.stderr).toContain("refused user 'admin' on device 'sandbox-till': Unauthorized: Invalid user name or password.");
    expect(wrong.stderr).not.toContain('wrong-pass-123');
    const device = await poscust(['count'], { env: { ...sb.env, POSCUST_CONFIG_DIR: tempDir(), POSCUST_DEVICE_NAME: 'till-9' } });
    expect(device.code).toBe(4);
    expect(device.stderr).toContain("Unknown device 'till-9'.");
  });

  it('works from a stored profile with the password read from stdin', async () => {
    const configDir = tempDir();
    const add = await poscust(
      ['profile', 'add', 'shop', '--backend', 'portos', '--base-url', sb.info.baseUrl, '--username', 'cashier', '--device-name', 'sandbox-till', '--password-stdin'],
      { env: { POSCUST_CONFIG_DIR: configDir }, input: 'cashier-password\n' },
    );
    expect(add.code, add.stderr).toBe(0);
    expect((await poscust(['count'], { env: { POSCUST_CONFIG_DIR: configDir } })).stdout).toBe('120\n');
  });
});

describe('portos write commands against the sandbox', () => {
  it('create, update-by with dotted nested fields, suspend and delete, as the state and the wire show', async () => {
    const created = await poscust(['create', '--last-name', 'Horváthová', '--set', 'address.city=Bratislava', '--set', 'credit.amount=10'], { env: sb.env });
    expect(created.code, created.stderr).toBe(0);
    const id = created.stdout.trim();
    const state = async () => (await sb.control<Record<string, unknown>[]>('/_sandbox/customers')).find((c) => c.id === id)!;
    expect(await state()).toMatchObject({ lastName: 'Horváthová', address: { city: 'Bratislava', street: null }, credit: { amount: 10 }, _v: 1 });

    const updated = await poscust(['update-by', 'id', id, '--set', 'address.street=Obchodná 5', '--set', 'credit.currencyLabel=EUR', '--first-name', 'Anna'], { env: sb.env });
    expect(updated.code, updated.stderr).toBe(0);
    expect(await state()).toMatchObject({ fullName: 'Anna Horváthová', address: { city: 'Bratislava', street: 'Obchodná 5' }, credit: { amount: 10, currencyLabel: 'EUR' }, _v: 2 });
    const put = (await lastRequests(1))[0]!;
    expect([put.method, put.status, (put.body as { _v: number })._v]).toEqual(['PUT', 200, 1]);

    expect((await poscust(['suspend', '--id', id], { env: sb.env })).stdout).toBe(`suspended ${id}\n`);
    expect(await state()).toMatchObject({ isActive: false, status: 'NotActive', _v: 3 });
    const deleted = await poscust(['delete', '--id', id], { env: sb.env });
    expect(deleted.code).toBe(2);
    expect(deleted.stderr).toContain('pass --yes');
    expect((await poscust(['--yes', 'delete', '--id', id], { env: sb.env })).code).toBe(0);
    expect((await sb.control<unknown[]>('/_sandbox/customers')).length).toBe(120);
  });
});

describe('portos import and export against the sandbox', () => {
  it('creates from a CSV with dotted headers, upserts by externalId, and an exported file re-imports as no change', async () => {
    const dir = tempDir();
    const file = join(dir, 'new.csv');
    writeFileSync(file, 'externalId,firstName,lastName,address.city,credit.amount\nIMP-1,Ivana,Krátka,Poprad,4\nIMP-2,Oto,Dlhý,Martin,\n');
    const created = await poscust(['import', file, '--mode', 'create', '--format', 'json'], { env: sb.env });
    expect(created.code, created.stderr).toBe(0);
    expect(JSON.parse(created.stdout)).toMatchObject({ created: 2, rejected: 0 });
    const state = async () => (await sb.control<Record<string, unknown>[]>('/_sandbox/customers')).filter((c) => String(c.externalId).startsWith('IMP-'));
    expect(await state()).toMatchObject([
      { externalId: 'IMP-1', fullName: 'Ivana Krátka', address: { city: 'Poprad', street: null }, credit: { amount: 4 }, _v: 1 },
      { externalId: 'IMP-2', fullName: 'Oto Dlhý', address: { city: 'Martin' }, credit: { amount: 0 }, _v: 1 },
    ]);

    writeFileSync(file, 'externalId,address.city,discountRate\nIMP-2,Žilina,5\nIMP-3,Senec,\n');
    const upserted = await poscust(['import', file, '--key', 'externalId', '--format', 'json'], { env: sb.env });
    expect(upserted.code, upserted.stderr).toBe(7); // IMP-3 has no name to create it with
    expect(JSON.parse(upserted.stdout)).toMatchObject({ created: 0, updated: 1, rejected: 1 });
    expect((await state())[1]).toMatchObject({ externalId: 'IMP-2', firstName: 'Oto', address: { city: 'Žilina' }, discountRate: 5, _v: 2 });

    const exported = join(dir, 'all.csv');
    expect((await poscust(['export', '--output', exported], { env: sb.env })).code).toBe(0);
    const again = await poscust(['import', exported, '--format', 'json'], { env: sb.env });
    expect(again.code, again.stderr).toBe(0);
    expect(JSON.parse(again.stdout)).toMatchObject({ created: 0, updated: 0, unchanged: 122, rejected: 0 });
    for (const c of await state()) expect((await poscust(['--yes', 'delete', '--id', String(c.id)], { env: sb.env })).code).toBe(0);
  });
});
