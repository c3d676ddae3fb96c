// PORTOS read commands in-process against a strict stub: the exact query strings on the wire,
// paging, unsupported verbs, filter validation before any request, and errors.
import { afterEach, describe, expect, it } from 'vitest';
import type { MockAgent } from 'undici';
import { runCli, strictAgent } from '../../helpers/harness.js';
import { JSONH, PORTOS_ORIGIN, PROBLEMH, Through, customer, expectLogin, portosEnv } from '../../helpers/portos.js';

let agent: MockAgent;
afterEach(async () => {
  agent.assertNoPendingInterceptors();
  await agent.close();
});

function stub(): ReturnType<MockAgent['get']> {
  agent = strictAgent();
  return agent.get(PORTOS_ORIGIN);
}

/** The URLs as sent, byte for byte (MockAgent's own path matching normalises queries). */
function sent(): string[] {
  return (agent.getCallHistory()?.calls() ?? []).map((c) => `${c.method} ${c.fullUrl.slice(PORTOS_ORIGIN.length)}`);
}

const A = customer('a-1', { externalId: 'E-1', discountRate: 15 });
const B = customer('b-2', { firstName: 'Jana', lastName: 'Nováková', fullName: 'Jana Nováková' });

describe('portos list', () => {
  it('sends search, filters, convenience filters, sort and paging as NData, exactly', async () => {
    const pool = stub();
    expectLogin(pool, 'tok-1');
    pool.intercept({ path: /^\/customers\?/, method: 'GET', headers: { authorization: 'Bearer tok-1' } }).reply(200, { items: [A], count: 1, totalCount: 41 }, JSONH);
    const r = await runCli(
      [
        'list', '--search', 'nov ák', '--filter', 'DiscountRate=gt:10', '--filter', 'discountrate=LT:50', '--filter', 'ExpirationTime=gte:2025-01-01T00:00:00',
        '--active', '--external-id', 'E:1', '--card', 'C-1', '--sort', '-lastName,firstName:asc', '--page', '3', '--page-size', '20', '--json',
      ],
      { env: portosEnv(), dispatcher: new Through(agent) },
    );
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual([A]);
    expect(sent()).toEqual([
      'POST /api/auth',
      'GET /customers?Search=nov%20%C3%A1k&DiscountRate=gt%3A10%3Blt%3A50&ExpirationTime=gte%3A2025-01-01T00%3A00%3A00' +
        '&IsActive=true&ExternalId=eq%3AE%3A1&CardSerialNumber=C-1&$sort=lastName%3Adesc%2CfirstName&$skip=40&$take=20',
    ]);
  });

  it('lists the first 100 by default as a table of the PORTOS columns, nested ones dotted', async () => {
    const pool = stub();
    expectLogin(pool, 'tok-1');
    pool.intercept({ path: '/customers?$skip=0&$take=100', method: 'GET' }).reply(200, { items: [A, B], count: 2, totalCount: 2 }, JSONH);
    const r = await runCli(['list'], { env: portosEnv(), dispatcher: new Through(agent) });
    expect(r.code).toBe(0);
    const [head, first] = r.stdout.trimEnd().split('\n');
    expect(head!.split(/\s{2,}/)).toEqual(['id', 'externalId', 'fullName', 'email', 'phone', 'isActive', 'status', 'credit.amount', 'discountRate']);
    expect(first!.split(/\s{2,}/)).toEqual(['a-1', 'E-1', 'John Doe', 'john.doe@portos.sk', 'true', 'Valid', '0', '15']);
    expect(sent()[1]).toBe('GET /customers?$skip=0&$take=100');
  });

  it('reads every page with --all until totalCount, without asking for an empty page', async () => {
    const pool = stub();
    expectLogin(pool, 'tok-1');
    pool.intercept({ path: '/customers?$skip=0&$take=2', method: 'GET' }).reply(200, { items: [A, B], count: 2, totalCount: 4 }, JSONH);
    pool.intercept({ path: '/customers?$skip=2&$take=2', method: 'GET' }).reply(200, { items: [customer('c'), customer('d')], count: 2, totalCount: 4 }, JSONH);
    const r = await runCli(['list', '--all', '--page-size', '2', '--format', 'ndjson', '--fields', 'id,address.city'], { env: portosEnv(), dispatcher: new Through(agent) });
    expect(r.code).toBe(0);
    expect(r.stdout.trim().split('\n').map((l) => JSON.parse(l))).toEqual([
      { id: 'a-1', address: { city: 'Košice' } },
      { id: 'b-2', address: { city: 'Košice' } },
      { id: 'c', address: { city: 'Košice' } },
      { id: 'd', address: { city: 'Košice' } },
    ]);
    expect(sent()).toHaveLength(3);
  });

  it('writes CSV with dotted headers for nested members and JSON for collections', async () => {
    const pool = stub();
    expectLogin(pool, 'tok-1');
    pool.intercept({ path: '/customers?$skip=0&$take=100', method: 'GET' }).reply(200, { items: [A], count: 1, totalCount: 1 }, JSONH);
    // The fixture's row lacks some native fields: the CSV's columns need them, so the record is read whole.
    pool.intercept({ path: '/customers/a-1', method: 'GET' }).reply(200, A, JSONH);
    const r = await runCli(['list', '--format', 'csv'], { env: portosEnv(), dispatcher: new Through(agent) });
    expect(r.code).toBe(0);
    const [header, row] = r.stdout.trimEnd().split('\n');
    const cols = header!.split(',');
    expect(cols.slice(0, 4)).toEqual(['id', 'externalId', 'isActive', 'status']);
    expect(cols).toEqual(expect.arrayContaining(['address.city', 'company.name', 'credit.amount', 'cards', 'meta', '_v']));
    expect(row!.split(',')[cols.indexOf('address.city')]).toBe('Košice');
    expect(row!.split(',')[cols.indexOf('_v')]).toBe('1');
  });
});

describe('portos count and get', () => {
  it('counts with $count=true and the filters (no sort, no paging)', async () => {
    const pool = stub();
    expectLogin(pool, 'tok-1');
    pool.intercept({ path: /^\/customers\?/, method: 'GET' }).reply(200, { count: 1234, totalCount: 1234 }, JSONH);
    const r = await runCli(['count', '--filter', 'IsExpired=true', '--sort', 'lastName'], { env: portosEnv(), dispatcher: new Through(agent) });
    expect(r.code).toBe(0);
    expect(r.stdout).toBe('1234\n');
    expect(sent()[1]).toBe('GET /customers?IsExpired=true&$count=true');
  });

  it('gets by id with the id as one encoded path segment', async () => {
    const pool = stub();
    expectLogin(pool, 'tok-1');
    pool.intercept({ path: '/customers/A%2FB%3F%231%20%C3%A9', method: 'GET' }).reply(200, A, JSONH);
    const r = await runCli(['get', '--id', 'A/B?#1 é', '--json'], { env: portosEnv(), dispatcher: new Through(agent) });
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual(A);
    expect(sent()[1]).toBe('GET /customers/A%2FB%3F%231%20%C3%A9');
  });

  it('exits 3 naming the id when the customer does not exist', async () => {
    const pool = stub();
    expectLogin(pool, 'tok-1');
    pool.intercept({ path: '/customers/nope', method: 'GET' }).reply(404, { title: 'Not Found', status: 404, detail: "Customer 'nope' was not found." }, PROBLEMH);
    const r = await runCli(['get', '--id', 'nope'], { env: portosEnv(), dispatcher: new Through(agent) });
    expect(r.code).toBe(3);
    expect(r.stderr).toBe("poscust: customer with id 'nope' not found\n");
  });

  it('fetches several ids one GET each and names the missing ones', async () => {
    const pool = stub();
    expectLogin(pool, 'tok-1');
    pool.intercept({ path: '/customers/a-1', method: 'GET' }).reply(200, A, JSONH);
    pool.intercept({ path: '/customers/zz', method: 'GET' }).reply(404, { title: 'Not Found', status: 404 }, PROBLEMH);
    const r = await runCli(['get', '--id', 'a-1', '--id', 'zz', '--json'], { env: portosEnv(), dispatcher: new Through(agent) });
    expect(r.code).toBe(3);
    expect(JSON.parse(r.stdout)).toEqual([A]);
    expect(r.stderr).toContain("'zz'");
  });
});

describe('portos: what PORTOS cannot do, and bad input', () => {
  it.each([
    [['get', '--code', 'X'], 'get by code is unsupported on portos'],
    [['get', '--email', 'a@b.c'], 'get by email is unsupported on portos'],
    [['get', '--mobile', '0800'], 'get by mobile is unsupported on portos'],
    [['list', '--name', 'x'], 'list --name is unsupported on portos'],
    [['list', '--outlet', 'x'], 'list --outlet is unsupported on portos'],
    [['count', '--from', '2024-01-01'], 'list --from is unsupported on portos'],
    [['list', '--changed-since', '2024-01-01'], 'list --changed-since is unsupported on portos'],
  ])('%j exits 6 without a request', async (argv, message) => {
    agent = strictAgent();
    const r = await runCli(argv, { env: portosEnv(), dispatcher: new Through(agent) });
    expect(r.code).toBe(6);
    expect(r.stderr).toBe(`poscust: ${message}\n`);
    expect(sent()).toEqual([]);
  });

  it.each([
    ['DiscountRate', 'no = between member and operations'],
    ['=5', 'no member before ='],
    ['DiscountRate=', 'missing value for DiscountRate'],
    ['DiscountRate=gt:', "missing value after 'gt:'"],
    ['DiscountRate=gt:10;', 'operation 2 is empty'],
    ['DiscountRate=like:5', "unknown operator 'like'"],
    ['ExternalId=abc:def', "for the value 'abc:def' itself write eq:abc:def"],
    ['DiscountRate=gt:ten', "DiscountRate compares numbers, and 'ten' is not one"],
    ['IsActive=gt:true', 'IsActive is true or false: use eq or neq, not gt'],
    ['IsActive=yes', "IsActive is true or false, not 'yes'"],
    ['ExpirationTime=lt:2024-13-01', 'ExpirationTime compares dates'],
    ['Colour=red', "PORTOS cannot filter customers on 'Colour'"],
    ['Search=x', 'use --search for text'],
  ])('--filter %s exits 2 before any request: %s', async (filter, message) => {
    agent = strictAgent();
    const r = await runCli(['list', '--filter', filter], { env: portosEnv(), dispatcher: new Through(agent) });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(message);
    expect(r.stdout).toBe('');
    expect(sent()).toEqual([]);
  });

  it('checks --sort fields, --external-id values and the page size before any request', async () => {
    agent = strictAgent();
    for (const [argv, message] of [
      [['list', '--sort', 'colour'], "cannot sort on 'colour'"],
      [['list', '--sort', 'lastName,'], 'an empty field name'],
      [['list', '--sort', 'meta'], "cannot sort on 'meta'"],
      [['list', '--external-id', 'a;b'], "cannot match a value containing ';'"],
      [['list', '--page-size', '1001'], '--page-size can be at most 1000 on portos'],
    ] as const) {
      const r = await runCli([...argv], { env: portosEnv(), dispatcher: new Through(agent) });
      expect(r.code, argv.join(' ')).toBe(2);
      expect(r.stderr).toContain(message);
    }
    expect(sent()).toEqual([]);
  });

  it('says the base URL is wrong when the customer list itself is not found (exit 1, not 3)', async () => {
    const pool = stub();
    expectLogin(pool, 'tok-1');
    pool.intercept({ path: '/customers?$count=true', method: 'GET' }).reply(404, '<html>Not Found</html>', { headers: { 'content-type': 'text/html' } });
    const r = await runCli(['count'], { env: portosEnv(), dispatcher: new Through(agent) });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('pos.shop.test has no customers resource at this base URL (404: <html>Not Found</html>)');
  });

  it('renders a ProblemDetails 400 with title, detail and each member, exit 2', async () => {
    const pool = stub();
    expectLogin(pool, 'tok-1');
    pool.intercept({ path: /^\/customers\?/, method: 'GET' }).reply(
      400,
      {
        type: 'about:blank', title: 'Validation failed', status: 400, detail: 'One or more validation errors occurred.', errorCode: 3,
        errors: [{ memberName: 'DiscountRate', message: "'x' is not a valid number value.", code: 3 }, { memberName: '$take', message: 'Too large.', code: 3 }],
      },
      PROBLEMH,
    );
    const r = await runCli(['list', '--filter', 'DiscountRate=5'], { env: portosEnv(), dispatcher: new Through(agent) });
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(
      "poscust: pos.shop.test rejected the customer: Validation failed: One or more validation errors occurred. — DiscountRate: 'x' is not a valid number value.; $take: Too large.\n",
    );
  });

  it('names the missing right on a 403, exit 4', async () => {
    const pool = stub();
    expectLogin(pool, 'tok-1');
    pool.intercept({ path: '/customers/a-1', method: 'GET' }).reply(
      403,
      { title: 'Forbidden', status: 403, detail: "User 'manager' does not have the CustomerUpdate right.", errorCode: 2 },
      PROBLEMH,
    );
    const r = await runCli(['get', '--id', 'a-1'], { env: portosEnv(), dispatcher: new Through(agent) });
    expect(r.code).toBe(4);
    expect(r.stderr).toBe(
      "poscust: permission denied by pos.shop.test (403: the user lacks the CustomerUpdate right — Forbidden: User 'manager' does not have the CustomerUpdate right.)\n",
    );
  });
});
