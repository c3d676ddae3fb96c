// MYPOS Connect read commands against a strict stub: the exact requests on the wire (the Basic
// header on the login only, the list parameters in the vendor's forms), paging to liTotalCount,
// token reuse across invocations, and the exit codes of the failures.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { MockAgent } from 'undici';
import { FakeClock, runCli, strictAgent, tempDir } from '../../helpers/harness.js';
import { BASIC, JSONH, LUCY, MYPOS_ORIGIN, MYPOS_PASSWORD, expectLogin, jwtWithExp, myposEnv, row } from '../../helpers/mypos.js';

let agent: MockAgent;
afterEach(async () => {
  agent.assertNoPendingInterceptors();
  await agent.close();
});

function stub(): ReturnType<MockAgent['get']> {
  agent = strictAgent();
  return agent.get(MYPOS_ORIGIN);
}

describe('MYPOS login and token', () => {
  // Each interceptor matches one exact Authorization value, so the login carries only Basic and the
  // call only the bearer token; the strict agent fails on anything else.
  it('logs in with HTTP Basic once, then sends only the bearer token', async () => {
    const pool = stub();
    expectLogin(pool, 'tok-1');
    pool
      .intercept({ path: '/api/v2/customers?liPage=1&liPageSize=1&sFieldList=customerId', method: 'GET', headers: { authorization: 'Bearer tok-1' } })
      .reply(200, [{ customerId: LUCY.customerId, customSortRowNumber: 1, liTotalCount: 1234 }], JSONH);
    const r = await runCli(['count'], { env: myposEnv(), dispatcher: agent });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toBe('1234\n');
  });

  it('counts 0 when no row matches', async () => {
    const pool = stub();
    expectLogin(pool);
    pool.intercept({ path: '/api/v2/customers?liPage=1&liPageSize=1&sFieldList=customerId', method: 'GET' }).reply(200, [], JSONH);
    const r = await runCli(['count'], { env: myposEnv(), dispatcher: agent });
    expect([r.code, r.stdout]).toEqual([0, '0\n']);
  });

  it('caches the token on disk, owner-only, for 120 minutes, and a second invocation does not log in', async () => {
    const pool = stub();
    const clock = new FakeClock();
    const configDir = tempDir();
    expectLogin(pool, 'cached-token');
    pool
      .intercept({ path: `/api/v2/customers/${LUCY.customerCode}`, method: 'GET', headers: { authorization: 'Bearer cached-token' } })
      .reply(200, LUCY, JSONH)
      .times(2);
    const first = await runCli(['get', '--code', LUCY.customerCode, '--json'], { env: myposEnv(), dispatcher: agent, configDir, clock });
    clock.time += 60 * 60_000;
    const second = await runCli(['get', '--code', LUCY.customerCode, '--json'], { env: myposEnv(), dispatcher: agent, configDir, clock });
    expect([first.code, second.code]).toEqual([0, 0]);
    expect(JSON.parse(second.stdout)).toEqual(LUCY);
    const dir = join(configDir, 'tokens');
    const [file] = readdirSync(dir);
    expect(statSync(join(dir, file!)).mode & 0o777).toBe(0o600);
    const cached = JSON.parse(readFileSync(join(dir, file!), 'utf8')) as { expiresAt: number; token: string };
    expect(cached.expiresAt - (clock.time - 60 * 60_000)).toBe(120 * 60_000);
    expect(readFileSync(join(dir, file!), 'utf8')).not.toContain(MYPOS_PASSWORD);
  });

  it('takes the expiry from a JWT exp claim when it is earlier than 120 minutes', async () => {
    const pool = stub();
    const clock = new FakeClock();
    const configDir = tempDir();
    const token = jwtWithExp(Math.floor(clock.time / 1000) + 30 * 60);
    expectLogin(pool, token);
    pool.intercept({ path: '/api/v2/customers/1000070', method: 'GET' }).reply(200, LUCY, JSONH);
    expect((await runCli(['get', '--code', '1000070'], { env: myposEnv(), dispatcher: agent, configDir, clock })).code).toBe(0);
    const dir = join(configDir, 'tokens');
    const cached = JSON.parse(readFileSync(join(dir, readdirSync(dir)[0]!), 'utf8')) as { expiresAt: number };
    expect(cached.expiresAt).toBe(clock.time + 30 * 60_000);
  });

  it('a cron job every 5 minutes for a whole day logs in at most 13 times (the vendor allows 250)', async () => {
    const pool = stub();
    const clock = new FakeClock();
    const configDir = tempDir();
    let logins = 0;
    pool
      .intercept({ path: '/api/v2/auth/token', method: 'POST', headers: { authorization: BASIC } })
      .reply(() => {
        logins++;
        return { statusCode: 200, data: { failureDescription: null, bearerToken: `tok-${logins}` }, responseOptions: JSONH };
      })
      .persist();
    pool
      .intercept({ path: '/api/v2/customers?liPage=1&liPageSize=1&sFieldList=customerId', method: 'GET' })
      .reply(200, [{ customerId: 'x', customSortRowNumber: 1, liTotalCount: 7 }], JSONH)
      .persist();
    for (let run = 0; run < 288; run++) {
      const r = await runCli(['count'], { env: myposEnv(), dispatcher: agent, configDir, clock });
      expect(r.code).toBe(0);
      clock.time += 5 * 60_000;
    }
    expect(logins).toBeGreaterThanOrEqual(12);
    expect(logins).toBeLessThanOrEqual(13);
  });

  it('logs in again once when the cached token is refused with 401', async () => {
    const pool = stub();
    const configDir = tempDir();
    expectLogin(pool, 'old');
    pool.intercept({ path: '/api/v2/customers/1000070', method: 'GET', headers: { authorization: 'Bearer old' } }).reply(200, LUCY, JSONH);
    expect((await runCli(['get', '--code', '1000070'], { env: myposEnv(), dispatcher: agent, configDir })).code).toBe(0);
    pool
      .intercept({ path: '/api/v2/customers/1000070', method: 'GET', headers: { authorization: 'Bearer old' } })
      .reply(401, { failureDescription: 'The bearer token has expired.' }, JSONH);
    expectLogin(pool, 'new');
    pool.intercept({ path: '/api/v2/customers/1000070', method: 'GET', headers: { authorization: 'Bearer new' } }).reply(200, LUCY, JSONH);
    expect((await runCli(['get', '--code', '1000070'], { env: myposEnv(), dispatcher: agent, configDir })).code).toBe(0);
  });

  it('exits 4 when even a fresh token is refused, and on 403', async () => {
    const pool = stub();
    expectLogin(pool, 'a');
    pool.intercept({ path: '/api/v2/customers/1', method: 'GET' }).reply(401, { failureDescription: 'Denied.' }, JSONH);
    expectLogin(pool, 'b');
    pool.intercept({ path: '/api/v2/customers/1', method: 'GET' }).reply(401, { failureDescription: 'Denied.' }, JSONH);
    const r = await runCli(['get', '--code', '1'], { env: myposEnv(), dispatcher: agent });
    expect(r.code).toBe(4);
    expect(r.stderr).toContain('401: Denied.');
    expectLogin(pool, 'c');
    pool.intercept({ path: '/api/v2/customers/1', method: 'GET' }).reply(403, { failureDescription: 'No read right on Customers.' }, JSONH);
    const denied = await runCli(['get', '--code', '1'], { env: myposEnv(), dispatcher: agent });
    expect(denied.code).toBe(4);
    expect(denied.stderr).toContain('No read right on Customers.');
  });

  it('exits 4 with the vendor reason on a refused login, printing no secret even with --verbose', async () => {
    const pool = stub();
    pool
      .intercept({ path: '/api/v2/auth/token', method: 'POST', headers: { authorization: BASIC } })
      .reply(400, { failureDescription: 'Invalid username or password.', bearerToken: null }, JSONH);
    const r = await runCli(['--verbose', 'count'], { env: myposEnv(), dispatcher: agent });
    expect(r.code).toBe(4);
    expect(r.stderr).toContain("poscust: MYPOS refused the login of API user 'api@shop.test': Invalid username or password.");
    expect(r.stderr).toContain('authorization: Basic [redacted]');
    expect(r.stderr).not.toContain(MYPOS_PASSWORD);
    expect(r.stderr).not.toContain(BASIC.slice(6));
  });

  it('exits 75 when the daily token limit is reached, with the vendor reason', async () => {
    const pool = stub();
    pool
      .intercept({ path: '/api/v2/auth/token', method: 'POST' })
      .reply(429, { failureDescription: 'API user has reached its limit of 250 tokens per UTC day.', bearerToken: null }, {
        headers: { 'content-type': 'application/json', 'retry-after': '3600' },
      });
    const r = await runCli(['--json', 'count'], { env: myposEnv(), dispatcher: agent });
    expect(r.code).toBe(75);
    const error = JSON.parse(r.stderr).error as { message: string; status: number };
    expect(error.status).toBe(429);
    expect(error.message).toContain('limit of 250 tokens per UTC day');
    expect(error.message).toContain('3600 s');
  });

  it('treats a 400 login refusal that names the token limit as temporary too (exit 75)', async () => {
    const pool = stub();
    pool
      .intercept({ path: '/api/v2/auth/token', method: 'POST' })
      .reply(400, { failureDescription: 'Daily token limit exceeded for this API user.', bearerToken: null }, JSONH);
    const r = await runCli(['count'], { env: myposEnv(), dispatcher: agent });
    expect(r.code).toBe(75);
    expect(r.stderr).toContain('Daily token limit exceeded');
  });

  it('says which setting is missing without a password', async () => {
    agent = strictAgent();
    const env = { ...myposEnv(), POSCUST_PASSWORD: undefined };
    const r = await runCli(['count'], { env, dispatcher: agent });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('no MYPOS password: set POSCUST_PASSWORD');
  });
});

describe('MYPOS list and get', () => {
  it('sends paging, sSortKey, sFieldList and the LastEditDateUTC filters in the vendor forms', async () => {
    const pool = stub();
    expectLogin(pool);
    pool
      .intercept({
        path:
          '/api/v2/customers?liPage=2&liPageSize=50&sSortKey=lastEditDateUTCDESC&sFieldList=customerCode%2CemailAddress' +
          '&filt_LastEditDateUTC_dt_min=2020-oct-01%2009%3A00&filt_LastEditDateUTC_dt_max=2022-dec-31%2009%3A00',
        method: 'GET',
      })
      .reply(200, [row(51, 60)], JSONH);
    const r = await runCli(
      ['list', '--page', '2', '--page-size', '50', '--sort', 'LastEditDateUTC:desc', '--fields', 'customerCode,EmailAddress',
        '--changed-since', '2020-10-01T09:00', '--changed-until', '2022-12-31T09:00', '--json'],
      { env: myposEnv(), dispatcher: agent },
    );
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual([{ customerCode: '1000051', emailAddress: 'c51@shop.test' }]);
  });

  it('converts zones to UTC and rounds since down and until up to the minute; a date alone ends that day', async () => {
    const pool = stub();
    expectLogin(pool);
    pool
      .intercept({
        path: '/api/v2/customers?liPage=1&liPageSize=100&sSortKey=customerCodeASC&filt_LastEditDateUTC_dt_min=2020-sep-30%2021%3A59&filt_LastEditDateUTC_dt_max=2021-jan-01%2000%3A00',
        method: 'GET',
      })
      .reply(200, [], JSONH);
    pool
      .intercept({
        path: '/api/v2/customers?liPage=1&liPageSize=100&filt_LastEditDateUTC_dt_min=2024-feb-29%2000%3A00&filt_LastEditDateUTC_dt_max=2024-mar-01%2009%3A01',
        method: 'GET',
      })
      .reply(200, [], JSONH);
    const configDir = tempDir();
    const a = await runCli(['list', '--sort', 'customercode', '--changed-since', '2020-10-01T04:59:59+07:00', '--changed-until', '2020-12-31'], {
      env: myposEnv(), dispatcher: agent, configDir,
    });
    expect(a.code).toBe(0);
    const b = await runCli(['list', '--changed-since', '2024-02-29', '--changed-until', '2024-03-01T09:00:01Z'], { env: myposEnv(), dispatcher: agent, configDir });
    expect(b.code).toBe(0);
  });

  it('--all pages until the rows seen reach liTotalCount, even when the server sends short pages', async () => {
    const pool = stub();
    expectLogin(pool);
    // Asked for 1000 a page, the server sends 2: a short page is not the end while liTotalCount says more.
    for (const [page, rows] of [[1, [1, 2]], [2, [3, 4]], [3, [5]]] as const) {
      pool
        .intercept({ path: `/api/v2/customers?liPage=${page}&liPageSize=1000`, method: 'GET' })
        .reply(200, rows.map((n) => row(n, 5)), JSONH);
    }
    const r = await runCli(['list', '--all', '--format', 'ndjson'], { env: myposEnv(), dispatcher: agent });
    expect(r.code).toBe(0);
    expect(r.stdout.trim().split('\n').map((l) => JSON.parse(l).customerCode)).toEqual(['1000001', '1000002', '1000003', '1000004', '1000005']);
  });

  it('--all stops on liTotalCount without asking for an empty page when the last page is full', async () => {
    const pool = stub();
    expectLogin(pool);
    pool.intercept({ path: '/api/v2/customers?liPage=1&liPageSize=2', method: 'GET' }).reply(200, [row(1, 4), row(2, 4)], JSONH);
    pool.intercept({ path: '/api/v2/customers?liPage=2&liPageSize=2', method: 'GET' }).reply(200, [row(3, 4), row(4, 4)], JSONH);
    const r = await runCli(['list', '--all', '--page-size', '2', '--format', 'csv'], { env: myposEnv(), dispatcher: agent });
    expect(r.code).toBe(0);
    expect(r.stdout.trim().split('\n')).toHaveLength(5);
    // The list view's columns (not 40 mostly empty ones), and the paging fields the server sent.
    expect(r.stdout.split('\n')[0]).toBe(
      'customerId,customerCode,customerName,firstName,lastName,emailAddress,phoneNumber,active,lastEditDateUTC,customSortRowNumber,liTotalCount',
    );
  });

  it('shows the list view as a table with the MYPOS default columns', async () => {
    const pool = stub();
    expectLogin(pool);
    pool.intercept({ path: '/api/v2/customers?liPage=1&liPageSize=100', method: 'GET' }).reply(200, [row(7, 1)], JSONH);
    const r = await runCli(['list'], { env: myposEnv(), dispatcher: agent });
    expect(r.code).toBe(0);
    const [head, line] = r.stdout.trimEnd().split('\n');
    expect(head!.split(/\s{2,}/)).toEqual(['customerCode', 'customerName', 'firstName', 'lastName', 'emailAddress', 'phoneNumber', 'active']);
    expect(line!.trim().split(/\s{2,}/)).toEqual(['1000007', 'First7', 'Last7', 'c7@shop.test', '0812000007', 'true']);
  });

  it('gets by code (encoded as one path segment) and by id', async () => {
    const pool = stub();
    expectLogin(pool);
    pool.intercept({ path: '/api/v2/customers/A%2FB%3F%231%20%C3%A9', method: 'GET' }).reply(200, LUCY, JSONH);
    pool.intercept({ path: `/api/v2/customers/${LUCY.customerId}`, method: 'GET' }).reply(200, LUCY, JSONH);
    const configDir = tempDir();
    const byCode = await runCli(['get', '--code', 'A/B?#1 é', '--json'], { env: myposEnv(), dispatcher: agent, configDir });
    const byId = await runCli(['get', '--id', LUCY.customerId, '--json'], { env: myposEnv(), dispatcher: agent, configDir });
    expect([byCode.code, byId.code]).toEqual([0, 0]);
    expect(JSON.parse(byId.stdout)).toEqual(LUCY);
  });

  it('gets several ids with one GET each, printed in the order asked; exits 3 naming the missing', async () => {
    const pool = stub();
    expectLogin(pool);
    const ids = ['00000000-0000-4000-8000-000000000001', 'nope', '00000000-0000-4000-8000-000000000003'];
    pool.intercept({ path: `/api/v2/customers/${ids[0]}`, method: 'GET' }).reply(200, { ...LUCY, customerId: ids[0], customerCode: '1' }, JSONH).delay(30);
    pool.intercept({ path: '/api/v2/customers/nope', method: 'GET' }).reply(404, { failureDescription: 'Customer not found.' }, JSONH);
    pool.intercept({ path: `/api/v2/customers/${ids[2]}`, method: 'GET' }).reply(200, { ...LUCY, customerId: ids[2], customerCode: '3' }, JSONH);
    const r = await runCli(['get', '--id', ids.join(','), '--format', 'ndjson'], { env: myposEnv(), dispatcher: agent });
    expect(r.code).toBe(3);
    expect(r.stdout.trim().split('\n').map((l) => JSON.parse(l).customerCode)).toEqual(['1', '3']);
    expect(r.stderr).toContain("customer with ID 'nope' not found");
  });

  it('exits 3 naming the identifier when the customer does not exist', async () => {
    const pool = stub();
    expectLogin(pool);
    pool.intercept({ path: '/api/v2/customers/NOPE', method: 'GET' }).reply(404, { failureDescription: 'Customer not found.' }, JSONH);
    const r = await runCli(['get', '--code', 'NOPE'], { env: myposEnv(), dispatcher: agent });
    expect(r.code).toBe(3);
    expect(r.stderr).toBe("poscust: customer with customerCode 'NOPE' not found\n");
  });

  it.each([
    [['get', '--email', 'a@b.c'], 'get by email is unsupported on mypos'],
    [['get', '--mobile', '0812'], 'get by mobile is unsupported on mypos'],
    [['list', '--name', 'wijaya'], 'list --name is unsupported on mypos'],
    [['count', '--outlet', 'Kemang'], 'list --outlet is unsupported on mypos'],
    [['list', '--from', '2024-01-01'], 'list --from is unsupported on mypos'],
    [['list', '--search', 'x'], 'list --search is unsupported on mypos'],
  ])('%j exits 6 naming the backend and the verb, sending nothing', async (argv, message) => {
    agent = strictAgent();
    const r = await runCli(argv, { env: myposEnv(), dispatcher: agent });
    expect(r.code).toBe(6);
    expect(r.stderr).toContain(`poscust: ${message}`);
  });

  it('exits 2 for a sort or field the list view does not have, before any request', async () => {
    agent = strictAgent();
    const sort = await runCli(['list', '--sort', 'city'], { env: myposEnv(), dispatcher: agent });
    expect(sort.code).toBe(2);
    expect(sort.stderr).toContain("--sort field 'city' is not in the MYPOS list view");
    const fields = await runCli(['list', '--fields', 'customerCode,city'], { env: myposEnv(), dispatcher: agent });
    expect(fields.code).toBe(2);
    expect(fields.stderr).toContain('use poscust get for the full record');
  });
});
