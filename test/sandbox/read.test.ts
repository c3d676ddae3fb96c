import { describe, expect, it } from 'vitest';
import { closeSandboxesAfterEach, start } from './helpers.js';
import type { Customer, Harness } from './helpers.js';

closeSandboxesAfterEach();

const FIXTURE = [
  { ID: '11111111-1111-4111-8111-111111111111', Code: 'MM-001', Name: 'Hendry Wijaya', Email: 'hendryw@gmail.com', Mobile: '08569314515', Phone: '0216892235', SignUpOutlet: 'Outlet1', JoinDate: '2021-01-31T00:00:00' },
  { ID: '22222222-2222-4222-8222-222222222222', Code: 'MM-003', Name: 'Ferdiansyah Rahman', Email: 'ferdi@yahoo.co.id', Mobile: '081234567890', SignUpOutlet: 'outlet2', JoinDate: '2021-02-28T00:00:00' },
  { ID: '33333333-3333-4333-8333-333333333333', Code: 'TIA9981', Name: 'a. asyura alikha', Email: null, Mobile: '0896219732212', SignUpOutlet: 'Outlet1', JoinDate: '2021-03-25T00:00:00' },
  { ID: '44444444-4444-4444-8444-444444444444', Code: 'MM-002', Name: 'Zoë Müller', Email: 'zoe@example.de', Mobile: null, SignUpOutlet: 'Kemang', JoinDate: '2022-07-01T00:00:00' },
  { ID: '55555555-5555-4555-8555-555555555555', Code: null, Name: 'Nguyễn Thị Hoa', Email: 'hoa@example.vn', Mobile: '087700001111', SignUpOutlet: 'OUTLET1', JoinDate: '2024-12-31T00:00:00' },
];

async function withFixture(opts: Parameters<typeof start>[0] = {}): Promise<Harness> {
  const h = await start(opts);
  const answer = await h.raw('PUT', '/_sandbox/customers', { body: FIXTURE });
  expect(answer.status).toBe(200);
  return h;
}

const names = (body: unknown) => (body as Customer[]).map((c) => c.Name);

describe('DealPOS sandbox: GET /Customer and friends', () => {
  it('lists every customer in insertion order with the full record', async () => {
    const h = await withFixture();
    const answer = await h.api('GET', '/Customer');
    expect(answer.status).toBe(200);
    expect(answer.headers.get('content-type')).toMatch(/^application\/json/);
    const rows = answer.body as Customer[];
    expect(rows.map((r) => r.ID)).toEqual(FIXTURE.map((f) => f.ID));
    expect(Object.keys(rows[0] as object)).toEqual([
      'ID', 'Code', 'Name', 'FirstName', 'LastName', 'Email', 'Phone', 'Mobile', 'Address', 'Gender',
      'BirthDate', 'JoinDate', 'Group', 'ExpiredGroup', 'LoyaltyPoint', 'Status', 'ReferredBy', 'ImageURL',
      'SignUpOutlet', 'EmailVerified', 'MobileVerified', 'AppLastSignIn',
    ]);
    expect(rows[0]).toMatchObject({ Status: 'Active', LoyaltyPoint: 0, EmailVerified: false, AppLastSignIn: null });
  });

  it('filters by Name (contains, case-insensitive, non-ASCII too)', async () => {
    const h = await withFixture();
    expect(names((await h.api('GET', '/Customer', { query: 'Name=RAHMAN' })).body)).toEqual(['Ferdiansyah Rahman']);
    expect(names((await h.api('GET', '/Customer', { query: 'Name=a' })).body)).toHaveLength(4);
    expect(names((await h.api('GET', '/Customer', { query: `Name=${encodeURIComponent('müller')}` })).body)).toEqual(['Zoë Müller']);
    expect(names((await h.api('GET', '/Customer', { query: `Name=${encodeURIComponent('nguyễn thị')}` })).body)).toEqual(['Nguyễn Thị Hoa']);
    expect((await h.api('GET', '/Customer', { query: 'Name=nobody' })).body).toEqual([]);
  });

  it('filters by Outlet (equals SignUpOutlet, case-insensitive)', async () => {
    const h = await withFixture();
    expect(names((await h.api('GET', '/Customer', { query: 'Outlet=outlet1' })).body)).toEqual([
      'Hendry Wijaya', 'a. asyura alikha', 'Nguyễn Thị Hoa',
    ]);
    expect((await h.api('GET', '/Customer', { query: 'Outlet=Outlet' })).body).toEqual([]);
  });

  it('filters by JoinDate From/To, both inclusive, and combines filters', async () => {
    const h = await withFixture();
    expect(names((await h.api('GET', '/Customer', { query: 'From=2021-02-28&To=2022-07-01' })).body)).toEqual([
      'Ferdiansyah Rahman', 'a. asyura alikha', 'Zoë Müller',
    ]);
    expect(names((await h.api('GET', '/Customer', { query: 'From=2024-12-31' })).body)).toEqual(['Nguyễn Thị Hoa']);
    expect(names((await h.api('GET', '/Customer', { query: 'To=2021-01-31' })).body)).toEqual(['Hendry Wijaya']);
    const combined = await h.api('GET', '/Customer', {
      query: 'Name=Ferdiansyah+Rahman&Outlet=Outlet2&From=2021-01-01&To=2021-03-28',
    });
    expect(names(combined.body)).toEqual(['Ferdiansyah Rahman']);
  });

  it('rejects unparsable dates and page parameters with 400 {Message}', async () => {
    const h = await withFixture();
    for (const query of ['From=2021-13-01', 'To=yesterday', 'From=2021-02-30', 'PageNumber=0', 'PageNumber=x', 'PageSize=-5', 'PageSize=1.5']) {
      const answer = await h.api('GET', '/Customer', { query });
      expect(answer.status, query).toBe(400);
      expect(typeof (answer.body as { Message: unknown }).Message, query).toBe('string');
    }
  });

  it('pages with PageNumber (1-based) and PageSize, empty past the end', async () => {
    const h = await withFixture();
    const page = async (n: number, size: number) =>
      ((await h.api('GET', '/Customer', { query: `PageNumber=${n}&PageSize=${size}` })).body as Customer[]).map((c) => c.Code);
    expect(await page(1, 2)).toEqual(['MM-001', 'MM-003']);
    expect(await page(2, 2)).toEqual(['TIA9981', 'MM-002']);
    expect(await page(3, 2)).toEqual([null]);
    expect(await page(4, 2)).toEqual([]);
    expect(await page(99, 1000)).toEqual([]);
  });

  it('defaults PageSize to 100 and clamps it to 1000', async () => {
    const h = await start({ seed: 1205 });
    expect(((await h.api('GET', '/Customer')).body as unknown[]).length).toBe(100);
    expect(((await h.api('GET', '/Customer', { query: 'PageSize=5000' })).body as unknown[]).length).toBe(1000);
    const second = (await h.api('GET', '/Customer', { query: 'PageSize=5000&PageNumber=2' })).body as Customer[];
    expect(second.length).toBe(205);
    expect(second[0]?.Code).toBe('C-01001');
  });

  it('POST /Customer/p takes the same parameters in a JSON body (any case, numbers or strings)', async () => {
    const h = await withFixture();
    const answer = await h.api('POST', '/Customer/p', { body: { outlet: 'OUTLET1', pagesize: 2, PageNumber: '1' } });
    expect(answer.status).toBe(200);
    expect(names(answer.body)).toEqual(['Hendry Wijaya', 'a. asyura alikha']);
    const empty = await h.api('POST', '/Customer/p');
    expect((empty.body as unknown[]).length).toBe(5);
    expect((await h.api('POST', '/Customer/p', { body: { From: 'soon' } })).status).toBe(400);
  });

  it('GET /Customer/WithTotalCount answers {TotalCount, DataArray}', async () => {
    const h = await withFixture();
    const answer = await h.api('GET', '/Customer/WithTotalCount', { query: 'Outlet=Outlet1&PageSize=1&PageNumber=2' });
    expect(answer.status).toBe(200);
    const body = answer.body as { TotalCount: number; DataArray: Customer[] };
    expect(body.TotalCount).toBe(3);
    expect(body.DataArray.map((c) => c.Name)).toEqual(['a. asyura alikha']);
    const past = (await h.api('GET', '/Customer/WithTotalCount', { query: 'PageNumber=9' })).body;
    expect(past).toEqual({ TotalCount: 5, DataArray: [] });
    expect((await h.api('GET', '/Customer/WithTotalCount', { query: 'PageSize=0' })).status).toBe(400);
  });

  it('GET /Customer/ListID takes repeated and comma-separated IDs, keeps the asked order, drops unknowns', async () => {
    const h = await withFixture();
    const [a, b, c] = [FIXTURE[0]!.ID, FIXTURE[1]!.ID, FIXTURE[3]!.ID];
    const repeated = await h.api('GET', '/Customer/ListID', { query: `ID=${c}&ID=${a}` });
    expect(repeated.status).toBe(200);
    expect((repeated.body as Customer[]).map((r) => r.ID)).toEqual([c, a]);
    const commas = await h.api('GET', '/Customer/ListID', { query: `ID=${b},00000000-0000-4000-8000-000000000000,${a.toUpperCase()}` });
    expect((commas.body as Customer[]).map((r) => r.ID)).toEqual([b, a]);
    const lower = await h.api('GET', '/customer/listid', { query: `id=${b}` });
    expect((lower.body as Customer[]).map((r) => r.ID)).toEqual([b]);
    expect((await h.api('GET', '/Customer/ListID', { query: 'ID=nope' })).body).toEqual([]);
    expect((await h.api('GET', '/Customer/ListID')).status).toBe(400);
  });

  it('GET /Customer/Detail finds by ID, Code, Email or Mobile, in that order of precedence', async () => {
    const h = await withFixture();
    const get = async (query: string) => {
      const answer = await h.api('GET', '/Customer/Detail', { query });
      return answer.status === 200 ? (answer.body as Customer).Name : answer.status;
    };
    expect(await get(`ID=${FIXTURE[1]!.ID}`)).toBe('Ferdiansyah Rahman');
    expect(await get('Code=mm-002')).toBe('Zoë Müller');
    expect(await get('Email=HENDRYW@gmail.com')).toBe('Hendry Wijaya');
    expect(await get('Mobile=0896219732212')).toBe('a. asyura alikha');
    // Several given: ID wins over Code, Code over Email, Email over Mobile.
    expect(await get(`Mobile=08569314515&Email=zoe@example.de&Code=MM-003&ID=${FIXTURE[4]!.ID}`)).toBe('Nguyễn Thị Hoa');
    expect(await get('Mobile=08569314515&Email=zoe@example.de&Code=MM-003')).toBe('Ferdiansyah Rahman');
    expect(await get('Mobile=08569314515&Email=zoe@example.de')).toBe('Zoë Müller');
    // The winner is not a fallback: an unknown ID is 404 even when the Code would match.
    const missing = await h.api('GET', '/Customer/Detail', { query: 'ID=00000000-0000-4000-8000-000000000000&Code=MM-001' });
    expect(missing).toMatchObject({ status: 404, body: { Message: 'Customer not found.' } });
    expect(await get('Email=nobody@example.com')).toBe(404);
    expect(await get('Mobile=0800')).toBe(404);
    expect((await h.api('GET', '/Customer/Detail')).status).toBe(400);
  });

  it('GET /Customer/NewCode answers the next PREFIX-NNN code as a JSON string, keeping the padding', async () => {
    const h = await withFixture();
    const answer = await h.api('GET', '/Customer/NewCode');
    expect(answer.status).toBe(200);
    expect(answer.text).toBe('"MM-004"');
    // It does not reserve the code.
    expect((await h.api('GET', '/Customer/NewCode')).body).toBe('MM-004');
    const seeded = await start({ seed: 12 });
    expect((await seeded.api('GET', '/Customer/NewCode')).body).toBe('C-00013');
    const empty = await start({ seed: 0 });
    expect((await empty.api('GET', '/Customer/NewCode')).body).toBe('C-00001');
  });

  it('NewCode rolls past the padding and follows deletions of the highest code', async () => {
    const h = await start({ seed: 0 });
    await h.raw('PUT', '/_sandbox/customers', { body: [{ Name: 'A', Code: 'MM-998' }, { Name: 'B', Code: 'MM-999' }] });
    expect((await h.api('GET', '/Customer/NewCode')).body).toBe('MM-1000');
    expect((await h.api('DELETE', '/Customer/DeleteByCode', { query: 'Code=MM-999' })).status).toBe(200);
    expect((await h.api('GET', '/Customer/NewCode')).body).toBe('MM-999');
  });

  it('NewCode is 400 {Message} when the code generator is off, and can be turned on at run time', async () => {
    const h = await withFixture({ codeGenerator: false });
    const answer = await h.api('GET', '/Customer/NewCode');
    expect(answer.status).toBe(400);
    expect((answer.body as { Message: string }).Message).toMatch(/generator/i);
    const config = await h.raw('PUT', '/_sandbox/config', { body: { codeGenerator: true } });
    expect((config.body as { codeGenerator: boolean }).codeGenerator).toBe(true);
    expect((await h.api('GET', '/Customer/NewCode')).body).toBe('MM-004');
  });
});
