import { describe, expect, it } from 'vitest';
import { closeSandboxesAfterEach, create, detail, start } from './helpers.js';
import type { Customer, Harness } from './helpers.js';

closeSandboxesAfterEach();

const GUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const NOT_FOUND = { Message: 'Customer not found.' };
const UNKNOWN_ID = '00000000-0000-4000-8000-000000000000';

function today(): string {
  const d = new Date();
  return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}T00:00:00`;
}

/** The vendor's own create example (a request body, not a stored customer). */
const VENDOR_EXAMPLE = {
  Email: 'Hendry@dealpos.com', Name: 'Hendry', FirstName: 'Hendry', LastName: 'Wijaya', Birthdate: '1994-03-21',
  Phone: '0215865894', Mobile: '08569314515', Address: 'Jl. Muara Karang P3T No.30', Gender: false, Status: 'Active',
  ReferredBy: '3cab0335-14de-4b9e-8db7-6ba3f5bd773e', Code: 'HW001', Group: 'Gold', ExpiredGroup: '2019-12-31',
  LoyaltyPoint: 88, ImageURL: 'https://example.com/a.png', SignUpOutlet: 'Outlet1',
};

async function message(h: Harness, method: string, path: string, body: unknown, query?: string) {
  const answer = await h.api(method, path, { body, ...(query ? { query } : {}) });
  return { status: answer.status, message: (answer.body as { Message?: string } | undefined)?.Message };
}

describe('DealPOS sandbox: POST /Customer', () => {
  it('creates the vendor example and returns {ID} with a new GUID; server fields are filled', async () => {
    const h = await start({ seed: 0 });
    const answer = await h.api('POST', '/Customer', { body: VENDOR_EXAMPLE });
    expect(answer.status).toBe(200);
    const { ID } = answer.body as { ID: string };
    expect(Object.keys(answer.body as object)).toEqual(['ID']);
    expect(ID).toMatch(GUID_RE);
    const stored = await detail(h, `ID=${ID}`);
    expect(stored).toEqual({
      ID, Code: 'HW001', Name: 'Hendry', FirstName: 'Hendry', LastName: 'Wijaya', Email: 'Hendry@dealpos.com',
      Phone: '0215865894', Mobile: '08569314515', Address: 'Jl. Muara Karang P3T No.30', Gender: false,
      BirthDate: '1994-03-21T00:00:00', JoinDate: today(), Group: 'Gold', ExpiredGroup: '2019-12-31T00:00:00',
      LoyaltyPoint: 88, Status: 'Active', ReferredBy: '3cab0335-14de-4b9e-8db7-6ba3f5bd773e',
      ImageURL: 'https://example.com/a.png', SignUpOutlet: 'Outlet1', EmailVerified: false, MobileVerified: false,
      AppLastSignIn: null,
    });
    expect(h.sb.stats().writes).toBe(1);
  });

  it('defaults Status to Active and LoyaltyPoint to 0, ignores server-owned and unknown fields', async () => {
    const h = await start({ seed: 0 });
    const id = await create(h, {
      name: 'Budi', ID: UNKNOWN_ID, JoinDate: '2000-01-01', EmailVerified: true, AppLastSignIn: '2020-01-01', Colour: 'blue',
    });
    expect(id).not.toBe(UNKNOWN_ID);
    const stored = await detail(h, `ID=${id}`);
    expect(stored).toMatchObject({ Name: 'Budi', Status: 'Active', LoyaltyPoint: 0, JoinDate: today(), EmailVerified: false, AppLastSignIn: null });
    expect(stored).not.toHaveProperty('Colour');
    expect(stored).not.toHaveProperty('name');
  });

  it('binds body fields case-insensitively to the canonical names', async () => {
    const h = await start({ seed: 0 });
    const id = await create(h, { NAME: 'Siti', birthdate: '1990-05-06', EXPIREDGROUP: '2026-12-31T10:20:30', loyaltypoint: '12.5', signupoutlet: 'Kemang', status: 'suspended' });
    expect(await detail(h, `id=${id}`)).toMatchObject({
      Name: 'Siti', BirthDate: '1990-05-06T00:00:00', ExpiredGroup: '2026-12-31T00:00:00', LoyaltyPoint: 12.5, SignUpOutlet: 'Kemang', Status: 'Suspended',
    });
  });

  it('assigns the next code when Code is absent and the generator is on; leaves it empty when off', async () => {
    const h = await start({ seed: 3 });
    const first = await create(h, { Name: 'No Code' });
    const second = await create(h, { Name: 'Empty Code', Code: '' });
    expect((await detail(h, `ID=${first}`)).Code).toBe('C-00004');
    expect((await detail(h, `ID=${second}`)).Code).toBe('C-00005');
    const off = await start({ seed: 3, codeGenerator: false });
    const id = await create(off, { Name: 'No Code' });
    expect((await detail(off, `ID=${id}`)).Code).toBeNull();
  });

  it('requires Name and validates fields with 400 {Message}', async () => {
    const h = await start({ seed: 0 });
    const cases: [Record<string, unknown>, RegExp][] = [
      [{}, /Name is required/],
      [{ Name: '   ' }, /Name is required/],
      [{ Name: null }, /Name is required/],
      [{ Name: 'X', Email: 'not-an-email' }, /Email/],
      [{ Name: 'X', Email: 'a@b' }, /Email/],
      [{ Name: 'X', BirthDate: '21/03/1994' }, /BirthDate/],
      [{ Name: 'X', BirthDate: '1994-02-30' }, /BirthDate/],
      [{ Name: 'X', ExpiredGroup: 20191231 }, /ExpiredGroup/],
      [{ Name: 'X', LoyaltyPoint: 'lots' }, /LoyaltyPoint/],
      [{ Name: 'X', LoyaltyPoint: true }, /LoyaltyPoint/],
      [{ Name: 'X', Gender: 'male' }, /Gender/],
      [{ Name: 'X', Gender: 1 }, /Gender/],
      [{ Name: 'X', Status: 'Deleted' }, /Status/],
      [{ Name: 'X', Address: { street: 'x' } }, /Address/],
    ];
    for (const [body, re] of cases) {
      const answer = await message(h, 'POST', '/Customer', body);
      expect(answer.status, JSON.stringify(body)).toBe(400);
      expect(answer.message, JSON.stringify(body)).toMatch(re);
    }
    expect(h.sb.customers()).toEqual([]);
  });

  it('answers 400 to invalid JSON and to a body that is not an object', async () => {
    const h = await start({ seed: 0 });
    const broken = await h.api('POST', '/Customer', { raw: '{"Name": "x",' });
    expect(broken.status).toBe(400);
    expect((broken.body as { Message: string }).Message).toMatch(/JSON/);
    expect((await h.api('POST', '/Customer', { body: [{ Name: 'x' }] })).status).toBe(400);
    expect((await h.api('PUT', '/Customer/ByID', { raw: 'nope' })).status).toBe(400);
    expect(h.sb.customers()).toEqual([]);
  });

  it('keeps Code and Email unique case-insensitively and Mobile unique, naming the field', async () => {
    const h = await start({ seed: 0 });
    await create(h, VENDOR_EXAMPLE);
    const clash = async (body: Record<string, unknown>) => message(h, 'POST', '/Customer', { Name: 'Other', ...body });
    expect(await clash({ Code: 'hw001' })).toEqual({ status: 400, message: 'Code hw001 already exists.' });
    expect(await clash({ Code: 'HW001' })).toEqual({ status: 400, message: 'Code HW001 already exists.' });
    expect(await clash({ Email: 'HENDRY@DEALPOS.COM' })).toEqual({ status: 400, message: 'Email HENDRY@DEALPOS.COM already exists.' });
    expect(await clash({ Mobile: '08569314515' })).toEqual({ status: 400, message: 'Mobile 08569314515 already exists.' });
    // Absent values never clash, and Phone is not unique.
    await create(h, { Name: 'No contact 1', Code: 'A-1' });
    await create(h, { Name: 'No contact 2', Code: 'A-2', Email: null, Mobile: '', Phone: '0215865894' });
    expect(h.sb.customers()).toHaveLength(3);
  });
});

describe('DealPOS sandbox: updates', () => {
  async function seeded(): Promise<{ h: Harness; id: string; otherId: string }> {
    const h = await start({ seed: 0 });
    const id = await create(h, VENDOR_EXAMPLE);
    const otherId = await create(h, { Name: 'Other', Code: 'OT-1', Email: 'other@example.com', Mobile: '0811111111' });
    return { h, id, otherId };
  }

  it('PUT /Customer updates by Email and answers {ID, Message: "Record updated"}', async () => {
    const { h, id } = await seeded();
    const answer = await h.api('PUT', '/Customer', { body: { Email: 'hendry@DEALPOS.com', Name: 'Hendry W.', LoyaltyPoint: 90 } });
    expect(answer).toMatchObject({ status: 200, body: { ID: id, Message: 'Record updated' } });
    expect(await detail(h, `ID=${id}`)).toMatchObject({ Name: 'Hendry W.', LoyaltyPoint: 90, Email: 'Hendry@dealpos.com' });
    expect(await message(h, 'PUT', '/Customer', { Email: 'ghost@example.com', Name: 'x' })).toEqual({ status: 404, message: NOT_FOUND.Message });
    expect((await message(h, 'PUT', '/Customer', { Name: 'x' })).status).toBe(400);
  });

  it('updates are partial: absent fields stay, explicit null clears', async () => {
    const { h, id } = await seeded();
    const before = await detail(h, `ID=${id}`);
    await h.api('PUT', '/Customer/ByID', { body: { ID: id, Group: 'Silver' } });
    const after = await detail(h, `ID=${id}`);
    expect(after).toEqual({ ...before, Group: 'Silver' });
    await h.api('PUT', '/Customer/ByID', { body: { ID: id, Phone: null, BirthDate: null, Gender: null, LoyaltyPoint: null, Address: '' } });
    expect(await detail(h, `ID=${id}`)).toEqual({ ...before, Group: 'Silver', Phone: null, BirthDate: null, Gender: null, LoyaltyPoint: 0, Address: '' });
    // Name cannot be cleared.
    expect(await message(h, 'PUT', '/Customer/ByID', { ID: id, Name: null })).toEqual({ status: 400, message: 'Name is required.' });
  });

  it('PUT /Customer/ByCode finds by Code (case-insensitive); the key only finds', async () => {
    const { h, id } = await seeded();
    const answer = await h.api('PUT', '/Customer/ByCode', { body: { code: 'hw001', FirstName: 'Hen' } });
    expect(answer).toMatchObject({ status: 200, body: { ID: id, Message: 'Record updated' } });
    expect(await detail(h, `ID=${id}`)).toMatchObject({ Code: 'HW001', FirstName: 'Hen' });
    expect((await message(h, 'PUT', '/Customer/ByCode', { Code: 'NOPE', Name: 'x' })).status).toBe(404);
  });

  it('PUT /Customer/ByID may change Code, Email and Mobile, but not onto another customer', async () => {
    const { h, id } = await seeded();
    const answer = await h.api('PUT', '/Customer/ByID', { body: { ID: id.toUpperCase(), Code: 'HW002', Email: 'new@dealpos.com', Mobile: '0822' } });
    expect(answer).toMatchObject({ status: 200, body: { ID: id } });
    expect(await detail(h, 'Code=HW002')).toMatchObject({ ID: id, Email: 'new@dealpos.com', Mobile: '0822' });
    // The old values are free again.
    await create(h, { Name: 'Taker', Code: 'HW001', Email: 'Hendry@dealpos.com', Mobile: '08569314515' });
    expect(await message(h, 'PUT', '/Customer/ByID', { ID: id, Code: 'ot-1' })).toEqual({ status: 400, message: 'Code ot-1 already exists.' });
    expect(await message(h, 'PUT', '/Customer/ByID', { ID: id, Email: 'OTHER@example.com' })).toEqual({ status: 400, message: 'Email OTHER@example.com already exists.' });
    expect(await message(h, 'PUT', '/Customer/ByID', { ID: id, Mobile: '0811111111' })).toEqual({ status: 400, message: 'Mobile 0811111111 already exists.' });
    // Setting a customer's own values again is no clash.
    expect((await message(h, 'PUT', '/Customer/ByID', { ID: id, Code: 'hw002', Email: 'NEW@dealpos.com' })).status).toBe(200);
    expect((await detail(h, `ID=${id}`)).Code).toBe('hw002');
    expect((await message(h, 'PUT', '/Customer/ByID', { ID: UNKNOWN_ID, Name: 'x' })).status).toBe(404);
    expect((await message(h, 'PUT', '/Customer/ByID', { Name: 'x' })).status).toBe(400);
  });

  it('a failed update changes nothing', async () => {
    const { h, id } = await seeded();
    const before = await detail(h, `ID=${id}`);
    expect((await message(h, 'PUT', '/Customer/ByID', { ID: id, Name: 'Changed', BirthDate: 'soon' })).status).toBe(400);
    expect((await message(h, 'PUT', '/Customer/ByID', { ID: id, Name: 'Changed', Code: 'OT-1' })).status).toBe(400);
    expect(await detail(h, `ID=${id}`)).toEqual(before);
  });

  it('PUT /Customer/ByMobilePhone finds by Mobile', async () => {
    const { h, id } = await seeded();
    const answer = await h.api('PUT', '/Customer/ByMobilePhone', { body: { Mobile: '08569314515', Address: 'Jl. Baru 1' } });
    expect(answer).toMatchObject({ status: 200, body: { ID: id, Message: 'Record updated' } });
    expect((await detail(h, `ID=${id}`)).Address).toBe('Jl. Baru 1');
    expect((await message(h, 'PUT', '/Customer/ByMobilePhone', { Mobile: '0899', Name: 'x' })).status).toBe(404);
  });
});

describe('DealPOS sandbox: deletes', () => {
  it('DELETE /Customer by Email in the query or the body', async () => {
    const h = await start({ seed: 0 });
    const a = await create(h, { Name: 'A', Email: 'a@example.com' });
    await create(h, { Name: 'B', Email: 'b@example.com' });
    expect(await h.api('DELETE', '/Customer', { query: 'email=A@EXAMPLE.COM' })).toMatchObject({ status: 200, body: { Message: 'Record deleted' } });
    expect((await h.api('GET', '/Customer/Detail', { query: `ID=${a}` })).status).toBe(404);
    expect(await h.api('DELETE', '/Customer', { body: { Email: 'b@example.com' } })).toMatchObject({ status: 200, body: { Message: 'Record deleted' } });
    expect(h.sb.customers()).toEqual([]);
    expect(await h.api('DELETE', '/Customer', { query: 'Email=a@example.com' })).toMatchObject({ status: 404, body: NOT_FOUND });
    expect((await h.api('DELETE', '/Customer')).status).toBe(400);
  });

  it('DELETE /Customer/DeleteByCode by Code in the query or the body; the code and e-mail become free', async () => {
    const h = await start({ seed: 0 });
    await create(h, { Name: 'A', Code: 'X-1', Email: 'a@example.com' });
    expect(await h.api('DELETE', '/Customer/DeleteByCode', { query: 'Code=x-1' })).toMatchObject({ status: 200, body: { Message: 'Record deleted' } });
    await create(h, { Name: 'A again', Code: 'X-1', Email: 'a@example.com' });
    expect(await h.api('DELETE', '/Customer/DeleteByCode', { body: { code: 'X-1' } })).toMatchObject({ status: 200 });
    expect(await h.api('DELETE', '/Customer/DeleteByCode', { query: 'Code=X-1' })).toMatchObject({ status: 404, body: NOT_FOUND });
  });
});

describe('DealPOS sandbox: status, flags and sign-in', () => {
  it('Suspend and Unsuspend set Status, answering the vendor messages', async () => {
    const h = await start({ seed: 0 });
    const id = await create(h, VENDOR_EXAMPLE);
    expect(await h.api('PUT', '/Customer/Suspend', { body: { ID: id } })).toMatchObject({
      status: 200, body: { Message: 'The contact has been successfully suspended.' },
    });
    expect((await detail(h, `ID=${id}`)).Status).toBe('Suspended');
    expect(await h.api('PUT', '/Customer/Unsuspend', { body: { code: 'hw001' } })).toMatchObject({
      status: 200, body: { Message: 'The contact has been successfully unsuspended.' },
    });
    expect((await detail(h, `ID=${id}`)).Status).toBe('Active');
  });

  it('Suspend resolves ID, then Code, then Email, then Phone (Phone field first, else Mobile)', async () => {
    const h = await start({ seed: 0 });
    const a = await create(h, { Name: 'A', Code: 'A-1', Email: 'a@example.com', Phone: '0211', Mobile: '0811' });
    const b = await create(h, { Name: 'B', Code: 'B-1', Email: 'b@example.com', Phone: '0222', Mobile: '0211' });
    const c = await create(h, { Name: 'C', Code: 'C-1', Email: 'c@example.com', Mobile: '0833' });
    const statusOf = async () => Promise.all([a, b, c].map(async (id) => (await detail(h, `ID=${id}`)).Status));
    const suspend = (body: Record<string, unknown>) => h.api('PUT', '/Customer/Suspend', { body });
    const unsuspendAll = () => Promise.all([a, b, c].map((id) => h.api('PUT', '/Customer/Unsuspend', { body: { ID: id } })));

    await suspend({ ID: c, Code: 'A-1', Email: 'b@example.com', Phone: '0211' });
    expect(await statusOf()).toEqual(['Active', 'Active', 'Suspended']);
    await unsuspendAll();
    await suspend({ Code: 'b-1', Email: 'c@example.com', Phone: '0211' });
    expect(await statusOf()).toEqual(['Active', 'Suspended', 'Active']);
    await unsuspendAll();
    await suspend({ Email: 'C@example.com', Phone: '0211' });
    expect(await statusOf()).toEqual(['Active', 'Active', 'Suspended']);
    await unsuspendAll();
    // 0211 is A's Phone and B's Mobile: the Phone field wins.
    await suspend({ Phone: '0211' });
    expect(await statusOf()).toEqual(['Suspended', 'Active', 'Active']);
    await unsuspendAll();
    // 0833 is nobody's Phone: falls back to Mobile.
    await suspend({ Phone: '0833' });
    expect(await statusOf()).toEqual(['Active', 'Active', 'Suspended']);

    expect(await suspend({ Code: 'nope', Email: 'a@example.com' })).toMatchObject({ status: 404, body: NOT_FOUND });
    expect((await suspend({})).status).toBe(400);
    expect(await h.api('PUT', '/Customer/Unsuspend', { body: { Phone: '0999' } })).toMatchObject({ status: 404, body: NOT_FOUND });
  });

  it('VerifyEmail and VerifyMobile set the flags from {ID, Verified}', async () => {
    const h = await start({ seed: 0 });
    const id = await create(h, VENDOR_EXAMPLE);
    const email = await h.api('PUT', '/Customer/VerifyEmail', { body: { ID: id, Verified: true } });
    expect(email.status).toBe(200);
    expect(typeof (email.body as { Message: unknown }).Message).toBe('string');
    expect(await detail(h, `ID=${id}`)).toMatchObject({ EmailVerified: true, MobileVerified: false });
    expect((await h.api('PUT', '/Customer/VerifyMobile', { body: { id, verified: true } })).status).toBe(200);
    expect(await detail(h, `ID=${id}`)).toMatchObject({ EmailVerified: true, MobileVerified: true });
    expect((await h.api('PUT', '/Customer/VerifyEmail', { body: { ID: id, Verified: false } })).status).toBe(200);
    expect(await detail(h, `ID=${id}`)).toMatchObject({ EmailVerified: false, MobileVerified: true });
    expect((await h.api('PUT', '/Customer/VerifyEmail', { body: { ID: id, Verified: 'yes' } })).status).toBe(400);
    expect((await h.api('PUT', '/Customer/VerifyMobile', { body: { ID: id } })).status).toBe(400);
    expect(await h.api('PUT', '/Customer/VerifyMobile', { body: { ID: UNKNOWN_ID, Verified: true } })).toMatchObject({ status: 404, body: NOT_FOUND });
    // The flags are server-owned: updates cannot set them.
    await h.api('PUT', '/Customer/ByID', { body: { ID: id, MobileVerified: false } });
    expect((await detail(h, `ID=${id}`)).MobileVerified).toBe(true);
  });

  it('AppSignIn stamps AppLastSignIn with the server time', async () => {
    const fixed = new Date(2026, 10, 22, 9, 5, 7);
    const h = await start({ seed: 0, clock: () => fixed });
    const id = await create(h, { Name: 'App User' });
    expect((await detail(h, `ID=${id}`)).JoinDate).toBe('2026-11-22T00:00:00');
    const answer = await h.api('PUT', '/Customer/AppSignIn', { body: { ID: id } });
    expect(answer.status).toBe(200);
    expect(typeof (answer.body as { Message: unknown }).Message).toBe('string');
    expect((await detail(h, `ID=${id}`)).AppLastSignIn).toBe('2026-11-22T09:05:07');
    expect(await h.api('PUT', '/Customer/AppSignIn', { body: { ID: UNKNOWN_ID } })).toMatchObject({ status: 404, body: NOT_FOUND });
    expect((await h.api('PUT', '/Customer/AppSignIn', { body: {} })).status).toBe(400);
  });

  it('AppSignIn uses the real clock by default (yyyy-MM-ddTHH:mm:ss)', async () => {
    const h = await start({ seed: 1 });
    const id = (h.sb.customers()[0] as Customer).ID;
    await h.api('PUT', '/Customer/AppSignIn', { body: { ID: id } });
    const stamp = (await detail(h, `ID=${id}`)).AppLastSignIn as string;
    expect(stamp).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}$/);
    expect(stamp.slice(0, 10)).toBe(today().slice(0, 10));
  });
});

describe('DealPOS sandbox: merge', () => {
  async function three(): Promise<{ h: Harness; t: string; s1: string; s2: string }> {
    const h = await start({ seed: 0 });
    const t = await create(h, { Name: 'Target', LoyaltyPoint: 10, Code: 'T-1' });
    const s1 = await create(h, { Name: 'Source 1', LoyaltyPoint: 5, Code: 'S-1', Email: 's1@example.com' });
    const s2 = await create(h, { Name: 'Source 2', LoyaltyPoint: 2.5, Code: 'S-2' });
    return { h, t, s1, s2 };
  }

  it('adds the sources\' LoyaltyPoint to the target and deletes the sources', async () => {
    const { h, t, s1, s2 } = await three();
    const answer = await h.api('PUT', '/Customer/Merge', { body: { TargetID: t, SourceIDs: [s1, s2] } });
    expect(answer).toMatchObject({ status: 200, body: { ID: t, Message: 'Customers merged' } });
    expect((await detail(h, `ID=${t}`)).LoyaltyPoint).toBe(17.5);
    expect(h.sb.customers().map((c) => (c as Customer).ID)).toEqual([t]);
    // The sources' unique values are free again.
    await create(h, { Name: 'New', Code: 'S-1', Email: 's1@example.com' });
  });

  it('is all or nothing: an unknown ID is 404 and nothing changes', async () => {
    const { h, t, s1 } = await three();
    const before = h.sb.customers();
    expect(await h.api('PUT', '/Customer/Merge', { body: { TargetID: t, SourceIDs: [s1, UNKNOWN_ID] } })).toMatchObject({ status: 404, body: NOT_FOUND });
    expect(await h.api('PUT', '/Customer/Merge', { body: { TargetID: UNKNOWN_ID, SourceIDs: [s1] } })).toMatchObject({ status: 404, body: NOT_FOUND });
    expect(h.sb.customers()).toEqual(before);
  });

  it('refuses a target among the sources and malformed requests with 400', async () => {
    const { h, t, s1 } = await three();
    const before = h.sb.customers();
    const self = await message(h, 'PUT', '/Customer/Merge', { TargetID: t, SourceIDs: [s1, t.toUpperCase()] });
    expect(self.status).toBe(400);
    expect(self.message).toMatch(/TargetID/);
    expect((await message(h, 'PUT', '/Customer/Merge', { TargetID: t, SourceIDs: [] })).status).toBe(400);
    expect((await message(h, 'PUT', '/Customer/Merge', { TargetID: t })).status).toBe(400);
    expect((await message(h, 'PUT', '/Customer/Merge', { SourceIDs: [s1] })).status).toBe(400);
    expect(h.sb.customers()).toEqual(before);
  });
});

describe('DealPOS sandbox: PIN', () => {
  it('sets a 4-6 digit PIN and authenticates it', async () => {
    const h = await start({ seed: 0 });
    const id = await create(h, { Name: 'Pin Holder' });
    expect(await h.api('PUT', '/Customer/PIN', { body: { ID: id, PIN: '0042' } })).toMatchObject({ status: 200, body: { Message: 'PIN updated' } });
    expect(await h.api('POST', '/Customer/PIN/Authenticate', { body: { ID: id, PIN: '0042' } })).toMatchObject({ status: 200, body: { Authenticated: true } });
    expect(await h.api('POST', '/Customer/PIN/Authenticate', { body: { ID: id, PIN: '0043' } })).toMatchObject({
      status: 400, body: { Authenticated: false, Message: 'Invalid PIN.' },
    });
    expect(await h.api('POST', '/Customer/PIN/Authenticate', { body: { ID: id, PIN: '42' } })).toMatchObject({
      status: 400, body: { Authenticated: false, Message: 'Invalid PIN.' },
    });
    // Setting again replaces it.
    await h.api('PUT', '/Customer/PIN', { body: { id, pin: 123456 } });
    expect((await h.api('POST', '/Customer/PIN/Authenticate', { body: { ID: id, PIN: '0042' } })).status).toBe(400);
    expect((await h.api('POST', '/Customer/PIN/Authenticate', { body: { ID: id, PIN: '123456' } })).status).toBe(200);
  });

  it('rejects PINs that are not 4 to 6 digits, and unknown customers', async () => {
    const h = await start({ seed: 0 });
    const id = await create(h, { Name: 'Pin Holder' });
    for (const pin of ['123', '1234567', '12a4', '', null, true]) {
      const answer = await h.api('PUT', '/Customer/PIN', { body: { ID: id, PIN: pin } });
      expect(answer.status, String(pin)).toBe(400);
      expect((answer.body as { Message: string }).Message).toMatch(/PIN/);
    }
    expect(await h.api('PUT', '/Customer/PIN', { body: { ID: UNKNOWN_ID, PIN: '1234' } })).toMatchObject({ status: 404, body: NOT_FOUND });
    expect(await h.api('POST', '/Customer/PIN/Authenticate', { body: { ID: UNKNOWN_ID, PIN: '1234' } })).toMatchObject({ status: 404, body: NOT_FOUND });
  });

  it('answers 400 with a Message when no PIN is set', async () => {
    const h = await start({ seed: 0 });
    const id = await create(h, { Name: 'No Pin' });
    const answer = await h.api('POST', '/Customer/PIN/Authenticate', { body: { ID: id, PIN: '1234' } });
    expect(answer.status).toBe(400);
    expect(answer.body).toMatchObject({ Authenticated: false });
    expect((answer.body as { Message: string }).Message).toMatch(/PIN/);
  });

  it('never returns the PIN or its hash in a record', async () => {
    const h = await start({ seed: 0 });
    const id = await create(h, { Name: 'Pin Holder' });
    await h.api('PUT', '/Customer/PIN', { body: { ID: id, PIN: '987654' } });
    const answer = await h.api('GET', '/Customer/Detail', { query: `ID=${id}` });
    expect(answer.text).not.toMatch(/987654|scrypt/);
    expect(JSON.stringify(h.sb.customers())).not.toMatch(/987654|scrypt/);
  });
});
