import { afterEach, describe, expect, it } from 'vitest';
import type { MockAgent } from 'undici';
import { HENDRY as HENDRY_FIXTURE, SITI as SITI_FIXTURE } from '../../helpers/customers.js';
import { dealposEnv, runCli, strictAgent, tempDir } from '../../helpers/harness.js';

const ORIGIN = 'https://shop.dealpos.test';
const JSONH = { headers: { 'content-type': 'application/json' } };

// The customers of test/helpers/customers.ts, with a cell a spreadsheet would run as a formula.
const pick = <T extends object, K extends keyof T>(o: T, keys: K[]): Pick<T, K> => Object.fromEntries(keys.map((k) => [k, o[k]])) as Pick<T, K>;
const HENDRY = { ...pick(HENDRY_FIXTURE, ['ID', 'Code', 'Name', 'Email', 'Mobile', 'Group', 'LoyaltyPoint', 'Status']), Notes: '=HYPERLINK("http://x")' };
const SITI = pick(SITI_FIXTURE, ['ID', 'Code', 'Name', 'Email', 'Status']);

let agent: MockAgent;
afterEach(async () => {
  agent.assertNoPendingInterceptors();
  await agent.close();
});

function stub(): ReturnType<MockAgent['get']> {
  agent = strictAgent();
  const pool = agent.get(ORIGIN);
  return pool;
}

function expectLogin(pool: ReturnType<MockAgent['get']>, token = 'tok-1') {
  pool
    .intercept({
      path: '/api/v3/Token/OAuth2',
      method: 'POST',
      body: JSON.stringify({ client_id: 'client-1', client_secret: 'super-secret-value-123' }),
    })
    .reply(200, { access_token: token, token_type: 'Bearer', expires_in: 3600 }, JSONH);
}

describe('get', () => {
  it('looks a customer up by code, encoding the value, and prints JSON as one object', async () => {
    const pool = stub();
    expectLogin(pool);
    pool
      .intercept({ path: '/api/v3/Customer/Detail?Code=A%2FB%3F%231%20%C3%A9', method: 'GET', headers: { authorization: 'Bearer tok-1' } })
      .reply(200, HENDRY, JSONH);
    const r = await runCli(['get', '--code', 'A/B?#1 é', '--format', 'json'], { env: dealposEnv(), dispatcher: agent });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual(HENDRY);
  });

  it.each([
    ['--id', 'ID'],
    ['--email', 'Email'],
    ['--mobile', 'Mobile'],
  ])('looks up by %s with the %s parameter', async (flag, param) => {
    const pool = stub();
    expectLogin(pool);
    pool.intercept({ path: `/api/v3/Customer/Detail?${param}=v1`, method: 'GET' }).reply(200, HENDRY, JSONH);
    const r = await runCli(['get', flag, 'v1', '--json'], { env: dealposEnv(), dispatcher: agent });
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout).Code).toBe('HWCISAP');
  });

  it('fetches several ids in one ListID call and prints an array', async () => {
    const pool = stub();
    expectLogin(pool);
    pool.intercept({ path: `/api/v3/Customer/ListID?ID=${HENDRY.ID}&ID=${SITI.ID}`, method: 'GET' }).reply(200, [HENDRY, SITI], JSONH);
    const r = await runCli(['get', '--id', HENDRY.ID, '--id', SITI.ID, '--format', 'ndjson'], { env: dealposEnv(), dispatcher: agent });
    expect(r.code).toBe(0);
    expect(r.stdout.trim().split('\n').map((l) => JSON.parse(l).Code)).toEqual(['HWCISAP', 'TIA20887']);
  });

  it('prints what was found and exits 3 naming the ids that were not', async () => {
    const pool = stub();
    expectLogin(pool);
    pool.intercept({ path: `/api/v3/Customer/ListID?ID=${HENDRY.ID}&ID=nope`, method: 'GET' }).reply(200, [HENDRY], JSONH);
    const r = await runCli(['get', '--id', HENDRY.ID, '--id', 'nope', '--json'], { env: dealposEnv(), dispatcher: agent });
    expect(r.code).toBe(3);
    expect(JSON.parse(r.stdout)).toHaveLength(1);
    expect(JSON.parse(r.stderr).error).toMatchObject({ code: 3, kind: 'not_found' });
    expect(r.stderr).toContain("'nope'");
  });

  it('exits 3 naming the identifier when the customer does not exist', async () => {
    const pool = stub();
    expectLogin(pool);
    pool.intercept({ path: '/api/v3/Customer/Detail?Code=NOPE', method: 'GET' }).reply(404, { Message: 'Customer not found.' }, JSONH);
    const r = await runCli(['get', '--code', 'NOPE'], { env: dealposEnv(), dispatcher: agent });
    expect(r.code).toBe(3);
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe("poscust: customer with Code 'NOPE' not found\n");
  });

  it('reports a not-found error as JSON on stderr under --format json', async () => {
    const pool = stub();
    expectLogin(pool);
    pool.intercept({ path: '/api/v3/Customer/Detail?Code=NOPE', method: 'GET' }).reply(404, { Message: 'Customer not found.' }, JSONH);
    const r = await runCli(['--format', 'json', 'get', '--code', 'NOPE'], { env: dealposEnv(), dispatcher: agent });
    expect(r.code).toBe(3);
    expect(JSON.parse(r.stderr)).toEqual({
      error: { code: 3, kind: 'not_found', message: "customer with Code 'NOPE' not found", status: 404 },
    });
  });

  it('exits 2 without an identifier, and with two', async () => {
    agent = strictAgent();
    const none = await runCli(['get'], { env: dealposEnv(), dispatcher: agent });
    expect(none.code).toBe(2);
    expect(none.stderr).toContain('give one of --id, --code, --email, --mobile');
    const two = await runCli(['get', '--code', 'A', '--email', 'b@c.d'], { env: dealposEnv(), dispatcher: agent });
    expect(two.code).toBe(2);
    expect(two.stderr).toContain('give values of one kind only (got --code and --email)');
  });

  it('exits 4 on wrong credentials without printing the secret', async () => {
    const pool = stub();
    pool.intercept({ path: '/api/v3/Token/OAuth2', method: 'POST' }).reply(401, { Message: 'Invalid client.' }, JSONH);
    const r = await runCli(['get', '--code', 'X', '--verbose'], { env: dealposEnv(), dispatcher: agent });
    expect(r.code).toBe(4);
    expect(r.stderr).toContain("refused the client credentials of client id 'client-1': Invalid client.");
    expect(r.stderr).not.toContain('super-secret-value-123');
    expect(r.stderr).toContain('"client_secret":"[redacted]"');
  });

  it('reuses the cached token across invocations: one login for two commands', async () => {
    const pool = stub();
    expectLogin(pool, 'cached-token');
    pool
      .intercept({ path: '/api/v3/Customer/Detail?Code=HWCISAP', method: 'GET', headers: { authorization: 'Bearer cached-token' } })
      .reply(200, HENDRY, JSONH)
      .times(2);
    const configDir = tempDir();
    const first = await runCli(['get', '--code', 'HWCISAP', '--json'], { env: dealposEnv(), dispatcher: agent, configDir });
    const second = await runCli(['get', '--code', 'HWCISAP', '--json'], { env: dealposEnv(), dispatcher: agent, configDir });
    expect([first.code, second.code]).toEqual([0, 0]);
  });

  it('logs in again once when the cached token is refused', async () => {
    const pool = stub();
    const configDir = tempDir();
    expectLogin(pool, 'old');
    pool.intercept({ path: '/api/v3/Customer/Detail?Code=A', method: 'GET', headers: { authorization: 'Bearer old' } }).reply(200, HENDRY, JSONH);
    expect((await runCli(['get', '--code', 'A'], { env: dealposEnv(), dispatcher: agent, configDir })).code).toBe(0);
    pool.intercept({ path: '/api/v3/Customer/Detail?Code=A', method: 'GET', headers: { authorization: 'Bearer old' } }).reply(401, {}, JSONH);
    expectLogin(pool, 'new');
    pool.intercept({ path: '/api/v3/Customer/Detail?Code=A', method: 'GET', headers: { authorization: 'Bearer new' } }).reply(200, HENDRY, JSONH);
    expect((await runCli(['get', '--code', 'A'], { env: dealposEnv(), dispatcher: agent, configDir })).code).toBe(0);
  });

  it('uses POSCUST_TOKEN as is, without logging in', async () => {
    const pool = stub();
    pool.intercept({ path: '/api/v3/Customer/Detail?Code=A', method: 'GET', headers: { authorization: 'Bearer given' } }).reply(200, HENDRY, JSONH);
    const env = { ...dealposEnv(), POSCUST_TOKEN: 'given' };
    delete (env as Record<string, string | undefined>).POSCUST_CLIENT_SECRET;
    expect((await runCli(['get', '--code', 'A'], { env, dispatcher: agent })).code).toBe(0);
  });

  it('shows one customer as field/value lines for people, every field, no colour off a terminal', async () => {
    const pool = stub();
    expectLogin(pool);
    pool.intercept({ path: '/api/v3/Customer/Detail?Code=HWCISAP', method: 'GET' }).reply(200, HENDRY, JSONH);
    const r = await runCli(['get', '--code', 'HWCISAP'], { env: dealposEnv(), dispatcher: agent });
    expect(r.code).toBe(0);
    const lines = r.stdout.trimEnd().split('\n').map((l) => l.split(/\s{2,}/));
    expect(lines.map((l) => l[0])).toEqual(Object.keys(HENDRY));
    expect(lines[1]).toEqual(['Code', 'HWCISAP']);
    expect(lines[6]).toEqual(['LoyaltyPoint', '88']);
    expect(r.stdout).not.toContain('\u001b[');
  });

  it('lists customers as a table with the default columns', async () => {
    const pool = stub();
    expectLogin(pool);
    pool.intercept({ path: '/api/v3/Customer?PageNumber=1&PageSize=100', method: 'GET' }).reply(200, [HENDRY, SITI], JSONH);
    // SITI's row lacks Mobile, Group and LoyaltyPoint: her full record is read (one ListID) rather
    // than printing blanks for fields the row did not carry.
    pool.intercept({ path: `/api/v3/Customer/ListID?ID=${SITI.ID}`, method: 'GET' }).reply(200, [SITI_FIXTURE], JSONH);
    const r = await runCli(['list'], { env: dealposEnv(), dispatcher: agent });
    expect(r.code).toBe(0);
    const [head, row, siti] = r.stdout.trimEnd().split('\n');
    expect(head!.split(/\s{2,}/)).toEqual(['Code', 'Name', 'Email', 'Mobile', 'Group', 'LoyaltyPoint', 'Status']);
    expect(row!.split(/\s{2,}/)).toEqual(['HWCISAP', 'Hendry Wijaya', 'hendryw@gmail.com', '08569314515', 'Gold', '88', 'Active']);
    // Her full record has no Group either: that cell is blank because the server has none.
    expect(siti!.split(/\s{2,}/)).toEqual(['TIA20887', 'Siti Rahayu', 'siti@example.id', '0812000111', '12', 'Active']);
  });

  it('colours table headers only on a terminal, and never with NO_COLOR', async () => {
    const pool = stub();
    expectLogin(pool);
    pool.intercept({ path: '/api/v3/Customer?PageNumber=1&PageSize=100', method: 'GET' }).reply(200, [HENDRY], JSONH).times(2);
    const configDir = tempDir();
    const tty = await runCli(['list'], { env: dealposEnv(), dispatcher: agent, tty: true, configDir });
    expect(tty.stdout).toContain('\u001b[1m');
    const noColor = await runCli(['list'], { env: { ...dealposEnv(), NO_COLOR: '1' }, dispatcher: agent, tty: true, configDir });
    expect(noColor.stdout).not.toContain('\u001b[');
  });
});

describe('list', () => {
  it('sends the filters and paging, and writes CSV with every field, formula-guarded', async () => {
    const pool = stub();
    expectLogin(pool);
    pool
      .intercept({
        path: '/api/v3/Customer?Name=wijaya&Outlet=Outlet%201&From=2024-01-01&To=2024-12-31&PageNumber=2&PageSize=50',
        method: 'GET',
      })
      .reply(200, [HENDRY], JSONH);
    // The row lacks fields of the CSV's columns: the full record is read in one ListID.
    pool.intercept({ path: `/api/v3/Customer/ListID?ID=${HENDRY.ID}`, method: 'GET' }).reply(200, [{ ...HENDRY_FIXTURE, Notes: HENDRY.Notes }], JSONH);
    const r = await runCli(
      ['list', '--name', 'wijaya', '--outlet', 'Outlet 1', '--from', '2024-01-01', '--to', '2024-12-31', '--page', '2', '--page-size', '50', '--format', 'csv'],
      { env: dealposEnv(), dispatcher: agent },
    );
    expect(r.code).toBe(0);
    const lines = r.stdout.trimEnd().split('\n');
    expect(lines[0]!.startsWith('ID,Code,Name,FirstName,LastName,Email')).toBe(true);
    expect(lines[0]!.endsWith(',Notes')).toBe(true);
    expect(lines[1]).toContain('HWCISAP,Hendry Wijaya');
    expect(lines[1]).toContain(`"'=HYPERLINK(""http://x"")"`);
  });

  it('streams every page with --all: total from WithTotalCount, then pages until done', async () => {
    const pool = stub();
    expectLogin(pool);
    pool
      .intercept({ path: '/api/v3/Customer/WithTotalCount?PageNumber=1&PageSize=2', method: 'GET' })
      .reply(200, { TotalCount: 3, DataArray: [HENDRY, SITI] }, JSONH);
    pool.intercept({ path: '/api/v3/Customer?PageNumber=2&PageSize=2', method: 'GET' }).reply(200, [{ ...SITI, Code: 'LAST' }], JSONH);
    const r = await runCli(['list', '--all', '--page-size', '2', '--json', '--fields', 'code,name'], { env: dealposEnv(), dispatcher: agent });
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual([
      { Code: 'HWCISAP', Name: 'Hendry Wijaya' },
      { Code: 'TIA20887', Name: 'Siti Rahayu' },
      { Code: 'LAST', Name: 'Siti Rahayu' },
    ]);
  });

  it('stops --all on the total, without asking for an empty page when the last one is full', async () => {
    const pool = stub();
    expectLogin(pool);
    pool
      .intercept({ path: '/api/v3/Customer/WithTotalCount?PageNumber=1&PageSize=2', method: 'GET' })
      .reply(200, { TotalCount: 2, DataArray: [HENDRY, SITI] }, JSONH);
    const r = await runCli(['list', '--all', '--page-size', '2', '--format', 'ndjson'], { env: dealposEnv(), dispatcher: agent });
    expect(r.code).toBe(0);
    expect(r.stdout.trim().split('\n')).toHaveLength(2);
  });

  it('prints an empty JSON array (exit 0) when nothing matches', async () => {
    const pool = stub();
    expectLogin(pool);
    pool.intercept({ path: '/api/v3/Customer?Name=zzz&PageNumber=1&PageSize=100', method: 'GET' }).reply(200, [], JSONH);
    const r = await runCli(['list', '--name', 'zzz', '--json'], { env: dealposEnv(), dispatcher: agent });
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual([]);
  });

  it('rejects a bad date, a bad page and an unknown field with exit 2 before any request', async () => {
    agent = strictAgent();
    for (const argv of [
      ['list', '--from', '2024-02-30'],
      ['list', '--page', '0'],
      ['list', '--page-size', '5000'],
      ['list', '--fields', 'Code,Nope', '--json'],
      ['list', '--all', '--page', '2'],
    ]) {
      const r = await runCli(argv, { env: { ...dealposEnv(), POSCUST_TOKEN: 't' }, dispatcher: agent });
      expect(r.code, argv.join(' ')).toBe(2);
      expect(r.stdout).toBe('');
    }
  });

  it('says a filter of another backend is unsupported here (exit 6)', async () => {
    agent = strictAgent();
    const r = await runCli(['list', '--search', 'budi'], { env: { ...dealposEnv(), POSCUST_TOKEN: 't' }, dispatcher: agent });
    expect(r.code).toBe(6);
    expect(r.stderr).toContain('unsupported on dealpos');
  });
});

describe('count', () => {
  it('prints the TotalCount of a one-row WithTotalCount page', async () => {
    const pool = stub();
    expectLogin(pool);
    pool
      .intercept({ path: '/api/v3/Customer/WithTotalCount?Outlet=Outlet1&PageNumber=1&PageSize=1', method: 'GET' })
      .reply(200, { TotalCount: 1234, DataArray: [HENDRY] }, JSONH);
    const r = await runCli(['count', '--outlet', 'Outlet1'], { env: dealposEnv(), dispatcher: agent });
    expect(r.code).toBe(0);
    expect(r.stdout).toBe('1234\n');
  });

  it('exits 75 naming the host when the server keeps failing', async () => {
    const pool = stub();
    expectLogin(pool);
    pool.intercept({ path: '/api/v3/Customer/WithTotalCount?PageNumber=1&PageSize=1', method: 'GET' }).reply(503, 'Service Unavailable').times(4);
    const r = await runCli(['count'], { env: dealposEnv(), dispatcher: agent });
    expect(r.code).toBe(75);
    expect(r.stderr).toContain('shop.dealpos.test answered 503');
  });
});
