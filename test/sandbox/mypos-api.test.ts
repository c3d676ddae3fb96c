// The MYPOS emulator's customer API over real HTTP: the restricted list view (paging, sSortKey,
// sFieldList, the LastEditDateUTC filters), GET one, POST 202, the full-object PUT with its id/code
// check, DELETE 204/409, lastEditDateUTC stamps, seeds and persistence.
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { startSandbox } from '../../src/sandbox/index.js';
import { myposSeedCustomers } from '../../src/sandbox/mypos/seed.js';
import { tempDir } from '../helpers/harness.js';
import { closeSandboxesAfterEach, track } from './helpers.js';
import { type Row, getOne, startMypos } from './mypos-helpers.js';

closeSandboxesAfterEach();

const VIEW = ['customerId', 'customerCode', 'customerName', 'firstName', 'lastName', 'emailAddress', 'phoneNumber', 'active', 'lastEditDateUTC'];

function edited(code: string, lastEditDateUTC: string): Record<string, unknown> {
  return { customerCode: code, firstName: `F${code}`, lastEditDateUTC };
}

describe('GET /customers (restricted view)', () => {
  it('answers 10 rows by default with the view fields, customSortRowNumber and liTotalCount', async () => {
    const h = await startMypos({ seed: 25 });
    const answer = await h.api('GET', '/customers');
    expect(answer.status).toBe(200);
    const rows = answer.body as Row[];
    expect(rows).toHaveLength(10);
    expect(Object.keys(rows[0]!)).toEqual([...VIEW, 'customSortRowNumber', 'liTotalCount']);
    expect(rows.map((r) => r.customSortRowNumber)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    expect(rows.every((r) => r.liTotalCount === 25)).toBe(true);
    expect(rows[0]!.customerCode).toBe('1000001');
  });

  it('pages with liPage/liPageSize, clamps the page size to 1000, and refuses bad values', async () => {
    const h = await startMypos({ seed: 1005 });
    const page = (await h.api('GET', '/customers', { query: 'liPage=3&liPageSize=2' })).body as Row[];
    expect(page.map((r) => [r.customerCode, r.customSortRowNumber])).toEqual([['1000005', 5], ['1000006', 6]]);
    expect((await h.api('GET', '/customers', { query: 'liPage=600&liPageSize=2' })).body).toEqual([]);
    expect(((await h.api('GET', '/customers', { query: 'liPageSize=5000' })).body as Row[]).length).toBe(1000);
    for (const query of ['liPage=0', 'liPageSize=x', 'liPage=-1']) {
      const bad = await h.api('GET', '/customers', { query });
      expect(bad.status, query).toBe(400);
      expect(bad.body, query).toHaveProperty('failureDescription');
    }
  });

  it('sorts by sSortKey <field>ASC|DESC (any case) and refuses fields outside the view', async () => {
    const h = await startMypos({ seed: 12 });
    const desc = (await h.api('GET', '/customers', { query: 'sSortKey=customerCodeDESC&liPageSize=3' })).body as Row[];
    expect(desc.map((r) => [r.customerCode, r.customSortRowNumber])).toEqual([['1000012', 1], ['1000011', 2], ['1000010', 3]]);
    const byName = (await h.api('GET', '/customers', { query: 'ssortkey=FirstNameasc&lipagesize=100' })).body as Row[];
    const names = byName.map((r) => String(r.firstName));
    expect(names).toEqual([...names].sort((a, b) => a.localeCompare(b, 'en', { sensitivity: 'base' })));
    for (const key of ['cityASC', 'customerCode', 'nopeDESC']) {
      const bad = await h.api('GET', '/customers', { query: `sSortKey=${key}` });
      expect(bad.status, key).toBe(400);
    }
  });

  it('returns only the sFieldList fields, always with customSortRowNumber and liTotalCount', async () => {
    const h = await startMypos();
    const rows = (await h.api('GET', '/customers', { query: 'sFieldList=customerCode,EMAILADDRESS' })).body as Row[];
    expect(Object.keys(rows[0]!)).toEqual(['customerCode', 'emailAddress', 'customSortRowNumber', 'liTotalCount']);
    const bad = await h.api('GET', '/customers', { query: 'sFieldList=customerCode,city' });
    expect(bad.status).toBe(400);
    expect((bad.body as { failureDescription: string }).failureDescription).toContain("'city' is not a returnable field");
  });

  it('filters on LastEditDateUTC in the vendor form yyyy-MMM-dd HH:mm (URL-encoded), bounds inclusive', async () => {
    const h = await startMypos();
    await (await fetch(`${h.sb.origin}/_sandbox/customers`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify([
        edited('1', '2020-09-30T23:59:59.999'),
        edited('2', '2020-10-01T09:00:00.000'),
        edited('3', '2021-06-15T12:00:00.5'),
        edited('4', '2022-12-31T09:00:00'),
        edited('5', '2022-12-31T09:00:00.001'),
      ]),
    })).text();
    const codes = async (query: string) => ((await h.api('GET', '/customers', { query })).body as Row[]).map((r) => r.customerCode);
    // The vendor's own example call, %3a and all.
    expect(await codes('filt_LastEditDateUTC_dt_min=2020-oct-01%2009%3a00&filt_LastEditDateUTC_dt_max=2022-dec-31%2009%3a00')).toEqual(['2', '3', '4']);
    expect(await codes('filt_LastEditDateUTC_dt_min=2021-JUN-15%2012%3A00')).toEqual(['3', '4', '5']);
    expect(await codes('filt_lasteditdateutc_dt_max=2020-10-01T09:00')).toEqual(['1', '2']);
    for (const query of ['filt_LastEditDateUTC_dt_min=2020-foo-01%2009%3A00', 'filt_LastEditDateUTC_dt_max=yesterday', 'filt_CustomerType_eq=Adult', 'Name=x']) {
      const bad = await h.api('GET', '/customers', { query });
      expect(bad.status, query).toBe(400);
    }
  });
});

describe('GET /customers/{identifier}', () => {
  it('finds a customer by customerId (any case) or customerCode; 404 otherwise', async () => {
    const h = await startMypos();
    const [first] = myposSeedCustomers(1);
    expect(await getOne(h, first!.record.customerId.toUpperCase())).toEqual(first!.record);
    expect(await getOne(h, '1000001')).toEqual(first!.record);
    const missing = await h.api('GET', '/customers/999');
    expect([missing.status, missing.body]).toEqual([404, { failureDescription: 'Customer not found.' }]);
  });
});

describe('POST /customers', () => {
  it('answers 202 with the stored object, ignoring a sent customerId/customerCode', async () => {
    const at = Date.UTC(2026, 2, 4, 5, 6, 7, 89);
    const h = await startMypos({ seed: 3, clock: () => new Date(at) });
    const answer = await h.api('POST', '/customers', { body: { customerId: 'mine', customerCode: 'X1', FirstName: 'Siti', emailAddress: ' siti@x.id ', priceBand: 2, unknownField: 1 } });
    expect(answer.status).toBe(202);
    const created = answer.body as Row;
    expect(created).toMatchObject({
      customerCode: '1000004', firstName: 'Siti', emailAddress: 'siti@x.id', priceBand: 2, active: true,
      lastEditDateUTC: '2026-03-04T05:06:07.089', lastEditDate: '2026-03-04T12:06:07.089', creationDate: '2026-03-04T12:06:07.089',
    });
    expect(created.customerId).toMatch(/^[0-9a-f-]{36}$/);
    expect(created).not.toHaveProperty('unknownField');
    expect(await getOne(h, created.customerId)).toEqual(created);
  });

  it('refuses a customer without any name, a bad e-mail, wrong types and invalid JSON (400)', async () => {
    const h = await startMypos();
    for (const body of [{ emailAddress: 'a@b.co' }, { firstName: 'A', emailAddress: 'not-an-email' }, { firstName: 'A', active: 'yes' }, { firstName: 'A', creditLimit: 'lots' }]) {
      const answer = await h.api('POST', '/customers', { body });
      expect(answer.status, JSON.stringify(body)).toBe(400);
    }
    expect((await h.api('POST', '/customers', { raw: '{oops' })).status).toBe(400);
    expect(h.sb.stats().customers).toBe(5);
  });
});

describe('PUT /customers/{customerCode}', () => {
  it('replaces the whole object: absent fields fall back to defaults; balance and creationDate stay; lastEditDateUTC is stamped', async () => {
    const h = await startMypos();
    const before = await getOne(h, '1000002');
    const answer = await h.api('PUT', '/customers/1000002', { body: { customerId: before.customerId, customerCode: '1000002', firstName: 'Only' } });
    expect(answer.status).toBe(200);
    const after = answer.body as Row;
    expect(after).toMatchObject({ customerId: before.customerId, firstName: 'Only', lastName: '', city: '', emailAddress: '', active: true });
    expect(after.balance).toBe(before.balance);
    expect(after.creationDate).toBe(before.creationDate);
    expect(String(after.lastEditDateUTC) > String(before.lastEditDateUTC)).toBe(true);
    const full = { ...(await getOne(h, '1000003')), notes: 'VIP' };
    const round = await h.api('PUT', '/customers/1000003', { body: full });
    expect(round.body).toEqual({ ...full, lastEditDate: (round.body as Row).lastEditDate, lastEditDateUTC: (round.body as Row).lastEditDateUTC });
  });

  it('refuses (400) a body whose customerId or customerCode does not match the stored customer; 404 for an unknown code', async () => {
    const h = await startMypos();
    const lucy = await getOne(h, '1000001');
    const other = await getOne(h, '1000002');
    for (const body of [{ ...lucy, customerId: other.customerId }, { ...lucy, customerCode: '1000002' }, { ...lucy, customerCode: undefined }]) {
      const answer = await h.api('PUT', '/customers/1000001', { body });
      expect(answer.status).toBe(400);
      expect((answer.body as { failureDescription: string }).failureDescription).toBe(
        'The customerId and customerCode in the body must match the customer being updated (customerCode 1000001).',
      );
    }
    expect(await getOne(h, '1000001')).toEqual(lucy);
    expect((await h.api('PUT', '/customers/777', { body: lucy })).status).toBe(404);
  });
});

describe('DELETE /customers/{customerCode}', () => {
  it('204 deletes a customer without transactions; 409 makes one with transactions inactive instead', async () => {
    const h = await startMypos({ seed: 20 });
    const state = h.sb.customers() as (Row & { _transactions: number })[];
    const plain = state.find((c) => c._transactions === 0 && c.active)!;
    const trading = state.find((c) => c._transactions > 0 && c.active)!;
    const gone = await h.api('DELETE', `/customers/${plain.customerCode}`);
    expect([gone.status, gone.text]).toEqual([204, '']);
    expect((await h.api('GET', `/customers/${plain.customerCode}`)).status).toBe(404);
    expect((await h.api('DELETE', `/customers/${plain.customerCode}`)).status).toBe(404);
    const refused = await h.api('DELETE', `/customers/${trading.customerCode}`);
    expect(refused.status).toBe(409);
    expect(refused.body).toEqual({
      failureDescription: `Customer ${trading.customerCode} has transactions and cannot be deleted; it has been made inactive instead.`,
    });
    const after = await getOne(h, trading.customerCode);
    expect(after.active).toBe(false);
    expect(String(after.lastEditDateUTC) > String(trading.lastEditDateUTC)).toBe(true);
    expect(h.sb.stats().writes).toBe(2);
  });

  it('keeps the 409 deactivation and the sales counts in the data file', async () => {
    const file = join(tempDir(), 'mypos.json');
    const first = await startMypos({ seed: 20, dataFile: file });
    const trading = (first.sb.customers() as (Row & { _transactions: number })[]).find((c) => c._transactions > 0 && c.active)!;
    expect((await first.api('DELETE', `/customers/${trading.customerCode}`)).status).toBe(409);
    await first.sb.close();
    const again = track(await startSandbox({ port: 0, backend: 'mypos', dataFile: file }));
    const reloaded = (again.customers() as (Row & { _transactions: number })[]).find((c) => c.customerCode === trading.customerCode)!;
    expect(reloaded).toMatchObject({ active: false, _transactions: trading._transactions });
    expect(again.stats().customers).toBe(20);
  });
});

describe('seeds and the control endpoint', () => {
  it('seeds deterministic customers, codes 1000001 onwards, about a third with transactions', () => {
    const a = myposSeedCustomers(300);
    expect(myposSeedCustomers(10)).toEqual(a.slice(0, 10));
    expect(a.map((c) => c.record.customerCode)).toEqual(a.map((_, i) => String(1000001 + i)));
    expect(new Set(a.map((c) => c.record.customerId)).size).toBe(300);
    const trading = a.filter((c) => c.transactions > 0).length;
    expect(trading).toBeGreaterThan(60);
    expect(trading).toBeLessThan(150);
  });

  it('takes whole records with _transactions, assigns codes to records without one, and rejects bad ones', async () => {
    const h = await startMypos();
    const put = (body: unknown) =>
      fetch(`${h.sb.origin}/_sandbox/customers`, { method: 'PUT', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    expect((await put([{ customerCode: '2000000', firstName: 'A', _transactions: 3 }, { firstName: 'B' }])).status).toBe(200);
    const state = h.sb.customers() as (Row & { _transactions: number })[];
    expect(state.map((c) => [c.customerCode, c.firstName, c._transactions])).toEqual([['2000000', 'A', 3], ['2000001', 'B', 0]]);
    expect((await put([{ customerCode: '1', firstName: 'A' }, { customerCode: '1', firstName: 'B' }])).status).toBe(400);
    expect((await put([{ firstName: 'A', active: 'maybe' }])).status).toBe(400);
    expect(h.sb.stats().customers).toBe(2);
  });
});
