// Issue 14: real DealPOS servers that answer unlike the contract's pinned guesses, each played by
// the sandbox (`--dialect`), and all of them at once. Every command and import/export runs against
// each, checked on the sandbox's stored state and request log: complete exports in the fewest
// requests, exact upserts with no write on a re-run, right counts, and each fallback taken once
// and then remembered for the server.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import type { MockAgent } from 'undici';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { DEALPOS_DIALECTS } from '../../../src/sandbox/dealpos/dialects.js';
import type { DealposCustomer, RecordedRequest } from '../../../src/sandbox/index.js';
import { startCliSandbox, type CliSandbox } from '../../helpers/cli-sandbox.js';
import { dealposEnv, runCli, strictAgent, tempDir } from '../../helpers/harness.js';

const DIALECTS = [...Object.keys(DEALPOS_DIALECTS), 'all'];
const SEED = 230;

const calls = (sent: readonly RecordedRequest[], method: string, path: RegExp) => sent.filter((r) => r.method === method && path.test(r.path));
const writes = (sent: readonly RecordedRequest[]) => sent.filter((r) => r.method !== 'GET' && !/ListID$/i.test(r.path));

describe.each(DIALECTS)("dealpos dialect '%s'", (dialect) => {
  let shop: CliSandbox;
  let dir: string;
  const stored = () => shop.sb.customers() as DealposCustomer[];
  const speaks = (name: string) => dialect === 'all' || dialect === name;
  beforeAll(async () => {
    dir = tempDir('poscust-dialect-');
    shop = await startCliSandbox('dealpos', { seed: SEED, configDir: join(dir, 'config'), dialects: [dialect] });
  });
  afterAll(() => shop.sb.close());

  it('counts, lists every page, and lists a table without blanks for fields the rows lack', async () => {
    const count = await shop.run(['count']);
    expect(count.result.code, count.result.stderr).toBe(0);
    expect(count.result.stdout).toBe(`${SEED}\n`);
    const all = await shop.run(['list', '--all', '--format', 'json']);
    expect(all.result.code, all.result.stderr).toBe(0);
    expect((JSON.parse(all.result.stdout) as unknown[]).length).toBe(SEED);
    const table = await shop.run(['list', '--page-size', '5', '--format', 'csv', '--fields', 'Code,Group,LoyaltyPoint,Status']);
    expect(table.result.code, table.result.stderr).toBe(0);
    const rows = parse(table.result.stdout, { columns: true }) as Record<string, string>[];
    const byCode = new Map(stored().map((c) => [c.Code, c]));
    for (const row of rows) {
      const c = byCode.get(row.Code!)!;
      expect([row.Group, row.LoyaltyPoint, row.Status]).toEqual([c.Group ?? '', String(c.LoyaltyPoint), c.Status]);
    }
    // Narrow rows cost a ListID for the page (after refused shapes, on a server not learned yet); full rows none.
    const listIds = calls(table.sent, 'GET', /ListID$/i).length + calls(table.sent, 'POST', /ListID$/i).length;
    if (speaks('narrow-list')) expect(listIds).toBeGreaterThan(0);
    else expect(listIds).toBe(0);
  });

  it('gets several by id, trying the ID shapes once and remembering what worked', async () => {
    const ids = stored().slice(0, 3).map((c) => c.ID);
    const first = await shop.run(['get', '--id', ids.join(','), '--format', 'json']);
    expect(first.result.code, first.result.stderr).toBe(0);
    expect((JSON.parse(first.result.stdout) as DealposCustomer[]).map((c) => c.ID)).toEqual(ids);
    const again = await shop.run(['get', '--id', ids.join(','), '--format', 'json']);
    expect(again.result.code, again.result.stderr).toBe(0);
    // The second run goes straight to the shape that worked: one request.
    const listId = again.sent.filter((r) => /ListID$/i.test(r.path));
    expect(listId).toHaveLength(1);
    expect(listId[0]!.method).toBe(speaks('listid-body') ? 'POST' : 'GET');
    if (speaks('listid-comma') && !speaks('listid-body')) expect(listId[0]!.query).toBe(`ID=${encodeURIComponent(ids.join(','))}`);
  });

  it('exports every field of every customer in listing pages + ID batches, and the export upserts as no change', async () => {
    const file = join(dir, `export-${dialect}.csv`);
    const r = await shop.run(['export', '--output', file, '--verbose']);
    expect(r.result.code, r.result.stderr).toBe(0);
    const rows = parse(readFileSync(file, 'utf8'), { columns: true, bom: true }) as Record<string, string>[];
    expect(rows).toHaveLength(stored().length);
    const byId = new Map(stored().map((c) => [c.ID, c]));
    for (const row of rows) {
      const c = byId.get(row.ID!)!;
      expect([row.Group, row.LoyaltyPoint, row.Status, row.Address, row.SignUpOutlet]).toEqual([c.Group ?? '', String(c.LoyaltyPoint), c.Status, c.Address ?? '', c.SignUpOutlet ?? '']);
    }
    if (speaks('narrow-list')) {
      // The server's own extra fields are columns too, after the native ones.
      expect(Object.keys(rows[0]!)).toEqual(expect.arrayContaining(['NationalIDNumber', 'NationalityID', 'ExpiredDate', 'StateID']));
      expect(r.result.stderr).toMatch(/list rows lack .*reading each customer's full record \((100|1000) per request\)/);
    }
    const pages = Math.ceil(stored().length / 1000);
    const batches = speaks('narrow-list') ? Math.ceil(stored().length / (speaks('listid-body') ? 1000 : 100)) : 0;
    // The first export may spend a refused shape or two (unless an earlier command taught the
    // notes); the next one costs exactly the listing pages and the ID batches.
    expect(r.sent.length).toBeLessThanOrEqual(pages + batches + 2 + (speaks('listid-body') ? 1 : 0));
    const second = await shop.run(['export', '--output', `${file}.2`]);
    expect(second.result.code, second.result.stderr).toBe(0);
    expect(second.sent.length, second.sent.map((q) => `${q.method} ${q.path} ${q.status}`).join('\n')).toBe(pages + batches);
    expect(readFileSync(`${file}.2`, 'utf8')).toBe(readFileSync(file, 'utf8'));
    const seq = shop.sb.requests.at(-1)!.seq;
    const again = await shop.run(['import', file, '--key', 'code', '--format', 'json']);
    expect(again.result.code, again.result.stderr).toBe(0);
    expect(JSON.parse(again.result.stdout)).toMatchObject({ created: 0, updated: 0, unchanged: SEED });
    expect(writes(shop.sb.requests.filter((q) => q.seq > seq))).toHaveLength(0);
  });

  it('upserts exactly the changed fields, and a re-run sends no write', async () => {
    const targets = stored().slice(10, 14);
    const lines = targets.map((c, i) => `${c.Code},${i % 2 ? 'Platinum' : 'Silver'},${(c.LoyaltyPoint ?? 0) + 1}`);
    const file = join(dir, `changes-${dialect}.csv`);
    const { writeFileSync } = await import('node:fs');
    writeFileSync(file, `Code,Group,LoyaltyPoint\n${lines.join('\n')}\n`);
    const before = new Map(stored().map((c) => [c.ID, JSON.stringify(c)]));
    const r = await shop.run(['import', file, '--format', 'json']);
    expect(r.result.code, r.result.stderr).toBe(0);
    expect(JSON.parse(r.result.stdout)).toMatchObject({ updated: 4, unchanged: 0, created: 0 });
    for (const [i, c] of targets.entries()) {
      const now = stored().find((x) => x.ID === c.ID)!;
      expect([now.Group, now.LoyaltyPoint]).toEqual([i % 2 ? 'Platinum' : 'Silver', (c.LoyaltyPoint ?? 0) + 1]);
    }
    const untouched = stored().filter((c) => !targets.some((t) => t.ID === c.ID));
    expect(untouched.every((c) => before.get(c.ID) === JSON.stringify(c))).toBe(true);
    const again = await shop.run(['import', file, '--format', 'json']);
    expect(JSON.parse(again.result.stdout)).toMatchObject({ updated: 0, unchanged: 4 });
    expect(writes(again.sent)).toHaveLength(0);
  });

  it('runs the write commands: create, update-by, suspend, unsuspend, merge, new-code, pin, verify, app-signin', async () => {
    const code = (await shop.run(['new-code'])).result;
    expect(code.code, code.stderr).toBe(0);
    expect(code.stdout.trim()).toMatch(/^C-\d+$/);
    const ok = async (argv: string[], input?: string) => {
      const r = await shop.run(argv, input === undefined ? {} : { stdin: input });
      expect(r.result.code, `${argv.join(' ')}: ${r.result.stderr}`).toBe(0);
      return r;
    };
    await ok(['create', '--name', 'Dialek Satu', '--code', `DL-${dialect}`, '--email', `dl-${dialect}@contoh.co.id`]);
    await ok(['update-by', 'code', `DL-${dialect}`, '--group', 'Gold']);
    await ok(['suspend', '--code', `DL-${dialect}`]);
    await ok(['unsuspend', '--code', `DL-${dialect}`]);
    await ok(['verify', 'email', '--code', `DL-${dialect}`]);
    await ok(['app-signin', '--code', `DL-${dialect}`]);
    await ok(['pin', 'set', '--code', `DL-${dialect}`, '--pin-stdin'], '4321\n');
    const mine = stored().find((c) => c.Code === `DL-${dialect}`)!;
    expect(mine).toMatchObject({ Group: 'Gold', Status: 'Active', EmailVerified: true });
    const [a, b] = stored().slice(20, 22);
    await ok(['merge', '--by-id', '--into', a!.ID, b!.ID, '--yes']);
    expect(stored().some((c) => c.ID === b!.ID)).toBe(false);
  });

  it('deletes by code and by e-mail, the key in the shape the server takes, remembered after the first', async () => {
    const [x, y] = stored().filter((c) => c.Code && c.Email).slice(30, 32);
    const first = await shop.run(['delete', '--code', x!.Code!, '--yes']);
    expect(first.result.code, first.result.stderr).toBe(0);
    expect(stored().some((c) => c.ID === x!.ID)).toBe(false);
    const deletes = first.sent.filter((r) => r.method === 'DELETE');
    expect(deletes).toHaveLength(speaks('delete-body') ? 2 : 1);
    const second = await shop.run(['delete', '--email', y!.Email!, '--yes']);
    expect(second.result.code, second.result.stderr).toBe(0);
    expect(stored().some((c) => c.ID === y!.ID)).toBe(false);
    // The shape learned on the first delete is used at once.
    expect(second.sent.filter((r) => r.method === 'DELETE')).toHaveLength(1);
    // A customer that does not exist is "not found" (exit 3), never a reason to try another shape.
    // (The delete reads the record first, for the history's before-image: nothing found, nothing sent.)
    const missing = await shop.run(['delete', '--code', 'NO-SUCH-CODE', '--yes']);
    expect(missing.result.code).toBe(3);
    expect(missing.sent.filter((r) => r.method === 'DELETE')).toHaveLength(0);
  });
});

describe("a narrow-list server's own fields in an import", () => {
  it('are server-owned once poscust has seen them (export, list or doctor), and an unknown column before that, with the hint', async () => {
    const dir = tempDir('poscust-extras-');
    const shop = await startCliSandbox('dealpos', { seed: 12, configDir: join(dir, 'config'), dialects: ['narrow-list'] });
    try {
      const file = join(dir, 'all.csv');
      expect((await shop.run(['export', '--output', file])).result.code).toBe(0);
      // Another machine (a config folder that never listed this server) does not know them yet.
      const elsewhere = await shop.run(['import', file, '--dry-run'], { configDir: join(dir, 'other') });
      expect(elsewhere.result.code).toBe(2);
      expect(elsewhere.result.stderr).toMatch(/unknown columns 'NationalIDNumber', 'NationalityID', 'ExpiredDate', 'StateID'.*poscust doctor/);
      expect(elsewhere.sent).toHaveLength(0);
      expect((await shop.run(['doctor'], { configDir: join(dir, 'other') })).result.code).toBe(0);
      const after = await shop.run(['import', file, '--format', 'json'], { configDir: join(dir, 'other') });
      expect(after.result.code, after.result.stderr).toBe(0);
      expect(JSON.parse(after.result.stdout)).toMatchObject({ unchanged: 12, updated: 0, created: 0 });
      // A typo is still a typo.
      const { writeFileSync } = await import('node:fs');
      writeFileSync(join(dir, 'typo.csv'), 'Code,Nmae\nX,Y\n');
      const typo = await shop.run(['import', join(dir, 'typo.csv'), '--dry-run'], { configDir: join(dir, 'other') });
      expect(typo.result.code).toBe(2);
      expect(typo.result.stderr).toContain("unknown column 'Nmae'");
    } finally {
      await shop.sb.close();
    }
  });
});

describe('a server the fallbacks cannot read', () => {
  const ORIGIN = 'https://shop.dealpos.test';
  const JSONH = { headers: { 'content-type': 'application/json' } };
  let agent: MockAgent;
  afterEach(async () => {
    await agent.close();
  });
  const stub = () => {
    agent = strictAgent();
    const pool = agent.get(ORIGIN);
    pool.intercept({ path: '/api/v3/Token/OAuth2', method: 'POST' }).reply(200, { access_token: 'tok', expires_in: 3600 }, JSONH);
    return pool;
  };

  it('reports every ID shape it tried when the server took none (exit 1)', async () => {
    const pool = stub();
    pool.intercept({ path: '/api/v3/Customer/ListID?ID=a&ID=b', method: 'GET' }).reply(400, { Message: 'The request is invalid.' }, JSONH);
    pool.intercept({ path: '/api/v3/Customer/ListID?ID=a%2Cb', method: 'GET' }).reply(404, { Message: 'No HTTP resource was found.' }, JSONH);
    pool.intercept({ path: '/api/v3/Customer/ListID', method: 'POST' }).reply(415, { Message: 'Unsupported media type.' }, JSONH);
    const r = await runCli(['get', '--id', 'a', '--id', 'b'], { env: dealposEnv(), dispatcher: agent, configDir: tempDir() });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('ListID: shop.dealpos.test took none of the ways poscust knows of sending it:');
    expect(r.stderr).toMatch(/repeated ID parameters got HTTP 400 \(The request is invalid\.\); comma-joined IDs got HTTP 404 .*; a POST with a JSON array of IDs got HTTP 415/);
    agent.assertNoPendingInterceptors();
  });

  it('names the endpoint and the shape of a total it cannot read (exit 1), never a crash', async () => {
    const pool = stub();
    pool.intercept({ path: '/api/v3/Customer/WithTotalCount?PageNumber=1&PageSize=1', method: 'GET' }).reply(200, { Total: 'lots', Rows: [] }, JSONH);
    const r = await runCli(['count'], { env: dealposEnv(), dispatcher: agent, configDir: tempDir() });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/expected \{TotalCount or RecordsCount, DataArray\} from .*WithTotalCount.* \(HTTP 200\), got a JSON object: "\{\\"Total\\":\\"lots\\",\\"Rows\\":\[\]\}"/);
  });

  it('reads NewCode as a bare string, {"Code"} or {"Message"} holding a code, and refuses a sentence', async () => {
    for (const [body, want] of [['"MM-004"', 'MM-004'], ['{"Code":"MM-005"}', 'MM-005'], ['{"Message":"MM-006"}', 'MM-006']] as const) {
      const pool = stub();
      pool.intercept({ path: '/api/v3/Customer/NewCode', method: 'GET' }).reply(200, body, JSONH);
      const r = await runCli(['new-code'], { env: dealposEnv(), dispatcher: agent, configDir: tempDir() });
      expect(r.code, r.stderr).toBe(0);
      expect(r.stdout).toBe(`${want}\n`);
      await agent.close();
    }
    const pool = stub();
    pool.intercept({ path: '/api/v3/Customer/NewCode', method: 'GET' }).reply(200, { Message: 'The code generator is warming up.' }, JSONH);
    const r = await runCli(['new-code'], { env: dealposEnv(), dispatcher: agent, configDir: tempDir() });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/expected a code from .*NewCode/);
  });
});
