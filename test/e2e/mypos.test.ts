// The built binary against `poscust sandbox --backend mypos` over real HTTP: what a shop admin and
// a cron job see on MYPOS Connect, checked against the sandbox's request log and state.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { poscust, startSandboxProcess, type SandboxProcess } from '../helpers/e2e.js';
import { tempDir } from '../helpers/harness.js';

interface Logged {
  method: string;
  path: string;
  query: string;
  headers: Record<string, string>;
  status: number | null;
}
type Customer = Record<string, unknown> & { customerId: string; customerCode: string; lastEditDateUTC: string; _transactions: number };

const SEED = 40;
let sb: SandboxProcess;
let state: Customer[];

beforeAll(async () => {
  sb = await startSandboxProcess(['--backend', 'mypos', '--seed', String(SEED)]);
  state = await sb.control<Customer[]>('/_sandbox/customers');
});
afterAll(async () => {
  await sb?.stop();
});
beforeEach(async () => {
  await sb.control('/_sandbox/requests', { method: 'DELETE' });
});

const requests = () => sb.control<Logged[]>('/_sandbox/requests');
const tokensIssued = async () => (await sb.control<{ tokensIssued: number }>('/_sandbox/stats')).tokensIssued;
const fresh = () => ({ ...sb.env, POSCUST_CONFIG_DIR: tempDir() });

describe('poscust on MYPOS Connect (sandbox)', () => {
  it('prints the MYPOS connection with POSCUST_USERNAME / POSCUST_PASSWORD', () => {
    expect(sb.info).toMatchObject({ backend: 'mypos', username: 'api-user@sandbox.poscust.test', password: 'sandbox-password', customers: SEED });
    expect(sb.info.baseUrl).toMatch(/\/api\/v2$/);
    expect(sb.env).toMatchObject({ POSCUST_USERNAME: 'api-user@sandbox.poscust.test', POSCUST_PASSWORD: 'sandbox-password' });
  });

  it('logs in once with Basic for two invocations; every API call carries only the bearer token', async () => {
    const env = fresh();
    const before = await tokensIssued();
    const count = await poscust(['count'], { env });
    expect([count.code, count.stdout, count.stderr]).toEqual([0, `${SEED}\n`, '']);
    const someone = state[3]!;
    const get = await poscust(['get', '--code', someone.customerCode, '--json'], { env });
    expect(get.code).toBe(0);
    expect(JSON.parse(get.stdout)).toEqual(Object.fromEntries(Object.entries(someone).filter(([k]) => k !== '_transactions')));
    expect((await tokensIssued()) - before).toBe(1);
    const log = await requests();
    expect(log.map((r) => [r.method, r.path, r.headers.authorization?.split(' ')[0]])).toEqual([
      ['POST', '/api/v2/auth/token', 'Basic'],
      ['GET', '/api/v2/customers', 'Bearer'],
      ['GET', `/api/v2/customers/${someone.customerCode}`, 'Bearer'],
    ]);
    expect(log[1]!.query).toBe('liPage=1&liPageSize=1&sFieldList=customerId');
  });

  it('--all reads pages up to liTotalCount and stops there', async () => {
    const env = fresh();
    const r = await poscust(['list', '--all', '--page-size', '8', '--format', 'ndjson'], { env });
    expect(r.code).toBe(0);
    const codes = r.stdout.trim().split('\n').map((l) => JSON.parse(l).customerCode as string);
    expect(codes).toEqual(state.map((c) => c.customerCode));
    const pages = (await requests()).filter((q) => q.path === '/api/v2/customers').map((q) => q.query);
    expect(pages).toEqual([1, 2, 3, 4, 5].map((p) => `liPage=${p}&liPageSize=8`));
  });

  it('sends --sort, --fields and --changed-since in the vendor forms, and the server filters on them', async () => {
    const since = '2024-03-01T00:00';
    const r = await poscust(['list', '--sort', 'lastEditDateUTC:desc', '--fields', 'customerCode,lastEditDateUTC', '--changed-since', since, '--json'], { env: fresh() });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const expected = state
      .filter((c) => c.lastEditDateUTC >= '2024-03-01T00:00')
      .sort((a, b) => b.lastEditDateUTC.localeCompare(a.lastEditDateUTC))
      .map((c) => ({ customerCode: c.customerCode, lastEditDateUTC: c.lastEditDateUTC }));
    expect(expected.length).toBeGreaterThan(0);
    expect(JSON.parse(r.stdout)).toEqual(expected);
    const list = (await requests()).find((q) => q.path === '/api/v2/customers')!;
    expect(list.query).toBe(
      'liPage=1&liPageSize=100&sSortKey=lastEditDateUTCDESC&sFieldList=customerCode%2ClastEditDateUTC&filt_LastEditDateUTC_dt_min=2024-mar-01%2000%3A00',
    );
  });

  it('exits 3 for an unknown code, 6 for a lookup MYPOS lacks, 4 for a wrong password without printing it', async () => {
    const env = fresh();
    const nf = await poscust(['get', '--code', '999'], { env });
    expect([nf.code, nf.stderr]).toEqual([3, "poscust: customer with customerCode '999' not found\n"]);
    const un = await poscust(['get', '--email', 'someone@example.id'], { env });
    expect(un.code).toBe(6);
    expect(un.stderr).toBe('poscust: get by email is unsupported on mypos (MYPOS finds a customer by customerId or customerCode only)\n');
    const bad = await poscust(['--verbose', 'count'], { env: { ...fresh(), POSCUST_PASSWORD: 'wrong-password-77' } });
    expect(bad.code).toBe(4);
    expect(bad.stderr).toContain("poscust: MYPOS refused the login of API user 'api-user@sandbox.poscust.test': Invalid API user e-mail or password.");
    expect(bad.stderr).toContain('authorization: Basic [redacted]');
    expect(bad.stderr).not.toContain('wrong-password-77');
    expect(bad.stderr).not.toContain(Buffer.from('api-user@sandbox.poscust.test:wrong-password-77').toString('base64'));
  });

  it('works from a profile added with --password-stdin (password masked, never in argv)', async () => {
    const configDir = tempDir();
    const env = { POSCUST_CONFIG_DIR: configDir };
    const add = await poscust(
      ['profile', 'add', 'mypos-shop', '--backend', 'mypos', '--base-url', sb.info.baseUrl, '--username', 'api-user@sandbox.poscust.test', '--password-stdin'],
      { env, input: 'sandbox-password\n' },
    );
    expect(add.code).toBe(0);
    const show = await poscust(['profile', 'show', 'mypos-shop', '--json'], { env });
    expect(JSON.parse(show.stdout)).toMatchObject({ backend: 'mypos', username: 'api-user@sandbox.poscust.test', password: '********' });
    const count = await poscust(['--profile', 'mypos-shop', 'count'], { env });
    expect([count.code, count.stdout]).toEqual([0, `${SEED}\n`]);
  });
});

describe('writes on MYPOS Connect (sandbox)', () => {
  it('create, update-by, suspend and delete end as the requests say, in the sandbox state', async () => {
    const env = fresh();
    const created = await poscust(['create', '--first-name', 'Ayu', '--last-name', 'Lestari', '--email', 'ayu@example.id', '--code', 'X-1'], { env });
    expect(created.code).toBe(0);
    expect(created.stderr).toBe('warning: customerCode is assigned by MYPOS when a customer is created; the given value is not sent\n');
    const [id, code] = created.stdout.trim().split(' ');
    expect(code).toBe(String(1000001 + SEED));
    const find = async () => (await sb.control<Customer[]>('/_sandbox/customers')).find((c) => c.customerCode === code);
    expect(await find()).toMatchObject({ customerId: id, firstName: 'Ayu', emailAddress: 'ayu@example.id', active: true });

    expect((await poscust(['update-by', 'id', id!, '--set', 'city=Denpasar', '--note', 'VIP'], { env })).code).toBe(0);
    expect((await poscust(['suspend', '--code', code!], { env })).stdout).toBe(`suspended ${code}\n`);
    expect(await find()).toMatchObject({ firstName: 'Ayu', lastName: 'Lestari', city: 'Denpasar', notes: 'VIP', active: false });
    const puts = (await requests()).filter((q) => q.method === 'PUT');
    expect(puts.map((q) => q.path)).toEqual([`/api/v2/customers/${code}`, `/api/v2/customers/${code}`]);

    const gone = await poscust(['delete', '--code', code!, '--yes'], { env });
    expect([gone.code, gone.stdout]).toEqual([0, `deleted ${code}\n`]);
    expect(await find()).toBeUndefined();
  });

  it('delete of a customer with transactions exits 5 and leaves it inactive', async () => {
    const trading = state.find((c) => c._transactions > 0 && c.active)!;
    const r = await poscust(['delete', '--code', trading.customerCode, '--yes'], { env: fresh() });
    expect(r.code).toBe(5);
    expect(r.stderr).toContain(`MYPOS did not delete customer with customerCode '${trading.customerCode}': it has transactions, so it is now inactive`);
    const after = (await sb.control<Customer[]>('/_sandbox/customers')).find((c) => c.customerCode === trading.customerCode);
    expect(after).toMatchObject({ active: false, firstName: trading.firstName });
  });

  it('merge, new-code and pin are unsupported (exit 6) without a request', async () => {
    const env = fresh();
    for (const argv of [['merge', '--into', '1000001', '1000002', '--yes'], ['new-code'], ['pin', 'check', '--code', '1000001', '--pin-stdin']]) {
      const r = await poscust(argv, { env, input: '1234\n' });
      expect(r.code, argv.join(' ')).toBe(6);
      expect(r.stderr).toMatch(/is unsupported on mypos/);
    }
    expect(await requests()).toEqual([]);
  });
});
