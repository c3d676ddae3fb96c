import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../helpers/harness.js';
import { closeSandboxesAfterEach } from './helpers.js';
import { CASHIER, type PortosHarness, getCustomer, startPortos } from './portos-helpers.js';

closeSandboxesAfterEach();

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

function errorsOf(body: unknown): [string, number][] {
  return (body as { errors: { memberName: string; code: number }[] }).errors.map((e) => [e.memberName, e.code]);
}

async function asCashier(h: PortosHarness): Promise<string> {
  return (await h.login(CASHIER)).tokenId;
}

describe('PORTOS sandbox: POST /customers', () => {
  it('creates with 201, a new id, _v 1 and defaults; server-owned and unknown members are ignored', async () => {
    const h = await startPortos({ seed: 0 });
    const answer = await h.api('POST', '/customers', {
      body: { FIRSTNAME: 'Ján', lastName: 'Novák', _v: 9, status: 'Expired', fullName: 'X', colour: 'blue', address: { City: 'Nitra' }, discountRate: '7.5' },
    });
    expect(answer.status).toBe(201);
    const created = answer.body as Record<string, unknown>;
    expect(created.id).toMatch(UUID);
    expect(answer.headers.get('location')).toBe(`/customers/${String(created.id)}`);
    expect(created).toMatchObject({
      firstName: 'Ján', lastName: 'Novák', fullName: 'Ján Novák', status: 'Valid', isActive: true, isCompany: false, _v: 1, discountRate: 7.5,
      address: { street: null, city: 'Nitra', zipCode: null, country: null }, credit: { amount: 0, currencyLabel: null }, cards: [], meta: {},
    });
    expect(created).not.toHaveProperty('colour');
    expect(await getCustomer(h, String(created.id))).toEqual(created);
    expect(h.sb.stats().writes).toBe(1);
  });

  it('keeps a client-chosen id, and refuses it when taken (errors[] code 2)', async () => {
    const h = await startPortos({ seed: 0 });
    expect((await h.api('POST', '/customers', { body: { id: 'shop-1', lastName: 'A' } })).status).toBe(201);
    const again = await h.api('POST', '/customers', { body: { id: 'SHOP-1', lastName: 'B' } });
    expect(again.status).toBe(400);
    expect(errorsOf(again.body)).toEqual([['id', 2]]);
  });

  it('lists every validation problem: required (1), unique (2), invalid (3)', async () => {
    const h = await startPortos({ seed: 0 });
    await h.api('POST', '/customers', { body: { lastName: 'A', externalId: 'E-1', cards: [{ serialNumber: 'C-1' }] } });
    const answer = await h.api('POST', '/customers', {
      body: {
        externalId: 'e-1', email: 'not-an-email', discountRate: 150, isActive: 'yes', birthDate: '1990-02-30',
        cards: [{ serialNumber: 'c-1' }, { isVirtual: true }], isCompany: true,
      },
    });
    expect(answer.status).toBe(400);
    expect(answer.body).toMatchObject({ title: 'Validation failed', status: 400, errorCode: 3, detail: 'One or more validation errors occurred.' });
    expect(errorsOf(answer.body)).toEqual([
      ['isActive', 3], ['birthDate', 3], ['cards[1].serialNumber', 1], ['discountRate', 3], ['email', 3],
      ['lastName', 1], ['company.name', 1], ['externalId', 2], ['cards[0].serialNumber', 2],
    ]);
    expect(h.sb.customers()).toHaveLength(1);
  });
});

describe('PORTOS sandbox: PUT /customers/{id}', () => {
  it('replaces the whole record when _v matches, incrementing it; absent members return to defaults', async () => {
    const h = await startPortos({ seed: 0 });
    await h.api('PUT', '/customers/c-1', { body: { lastName: 'Novák', note: 'VIP', discountRate: 5 } });
    const current = await getCustomer(h, 'c-1');
    expect(current._v).toBe(1);
    const answer = await h.api('PUT', '/customers/c-1', { body: { ...current, note: null, discountRate: undefined, phone: '+421' } });
    expect(answer.status).toBe(200);
    expect(answer.body).toMatchObject({ id: 'c-1', note: null, discountRate: 0, phone: '+421', _v: 2 });
    expect((await getCustomer(h, 'c-1'))._v).toBe(2);
  });

  it('creates with 201 at a new id, whatever _v says', async () => {
    const h = await startPortos({ seed: 0 });
    const answer = await h.api('PUT', '/customers/n%2F1', { body: { lastName: 'Nová', _v: 7 } });
    expect(answer.status).toBe(201);
    expect(answer.body).toMatchObject({ id: 'n/1', _v: 1 });
  });

  it('answers 400 errorCode 6 naming the stored version when _v is stale or missing, changing nothing', async () => {
    const h = await startPortos({ seed: 0 });
    await h.api('PUT', '/customers/c-1', { body: { lastName: 'A' } });
    const v1 = await getCustomer(h, 'c-1');
    expect((await h.api('PUT', '/customers/c-1', { body: { ...v1, note: 'first' } })).status).toBe(200);
    for (const body of [{ ...v1, note: 'second' }, { ...v1, note: 'second', _v: undefined }]) {
      const stale = await h.api('PUT', '/customers/c-1', { body });
      expect(stale.status).toBe(400);
      expect(stale.body).toMatchObject({
        title: 'Resource version mismatch', status: 400, errorCode: 6, resource: { name: 'Customer', id: 'c-1', version: 2 },
      });
    }
    expect(await getCustomer(h, 'c-1')).toMatchObject({ note: 'first', _v: 2 });
  });

  it('refuses a body whose id differs from the URL', async () => {
    const h = await startPortos({ seed: 0 });
    const answer = await h.api('PUT', '/customers/a', { body: { id: 'b', lastName: 'X' } });
    expect(answer.status).toBe(400);
    expect(errorsOf(answer.body)).toEqual([['id', 3]]);
  });
});

describe('PORTOS sandbox: rights', () => {
  it('lets the cashier create and update, but not change discountRate or credit, nor delete (403 naming the right)', async () => {
    const h = await startPortos({ seed: 0 });
    await h.api('PUT', '/customers/c-1', { body: { lastName: 'A', discountRate: 5, credit: { amount: 1, currencyLabel: 'EUR' } } });
    const token = await asCashier(h);
    expect((await h.api('POST', '/customers', { token, body: { lastName: 'B', discountRate: 10 } })).status).toBe(201);
    const v1 = await getCustomer(h, 'c-1');
    const ok = await h.api('PUT', '/customers/c-1', { token, body: { ...v1, note: 'cashier was here' } });
    expect(ok.status).toBe(200);
    const v2 = ok.body as Record<string, unknown>;
    for (const [change, right] of [
      [{ discountRate: 20 }, 'CustomerSetDiscount'],
      [{ credit: { amount: 50, currencyLabel: 'EUR' } }, 'CustomerSetCredit'],
    ] as const) {
      const denied = await h.api('PUT', '/customers/c-1', { token, body: { ...v2, ...change } });
      expect(denied.status).toBe(403);
      expect(denied.body).toMatchObject({ title: 'Forbidden', status: 403, errorCode: 2 });
      expect((denied.body as { detail: string }).detail).toContain(`does not have the ${right} right`);
    }
    const del = await h.api('DELETE', '/customers/c-1', { token });
    expect(del.status).toBe(403);
    expect((del.body as { detail: string }).detail).toBe("User 'cashier' does not have the CustomerDelete right to delete customers.");
    expect(await getCustomer(h, 'c-1')).toMatchObject({ discountRate: 5, credit: { amount: 1 }, _v: 2 });
  });
});

describe('PORTOS sandbox: DELETE and persistence', () => {
  it('answers DELETE with the deleted record, then 404', async () => {
    const h = await startPortos({ seed: 3 });
    const [first] = h.sb.customers() as { id: string }[];
    const answer = await h.api('DELETE', `/customers/${first!.id}`);
    expect(answer.status).toBe(200);
    expect(answer.body).toEqual(first);
    expect((await h.api('DELETE', `/customers/${first!.id}`)).status).toBe(404);
    expect(h.sb.customers()).toHaveLength(2);
  });

  it('keeps customers with their versions in the data file across restarts', async () => {
    const file = join(tempDir(), 'portos.json');
    const h = await startPortos({ seed: 2, dataFile: file });
    const [first] = h.sb.customers() as { id: string }[];
    const v1 = await getCustomer(h, first!.id);
    await h.api('PUT', `/customers/${first!.id}`, { body: { ...v1, note: 'kept' } });
    await h.sb.close();
    const saved = JSON.parse(readFileSync(file, 'utf8')) as { backend: string; state: { customers: unknown[] } };
    expect(saved.backend).toBe('portos');
    const again = await startPortos({ dataFile: file, seed: 50 });
    expect(again.sb.customers()).toHaveLength(2);
    expect(await getCustomer(again, first!.id)).toMatchObject({ note: 'kept', _v: 2 });
  });

  it('replaces customers through the control endpoint, refusing bad records with the reason', async () => {
    const h = await startPortos({ seed: 0 });
    const put = (body: unknown) => fetch(`${h.sb.origin}/_sandbox/customers`, { method: 'PUT', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    const bad = await put([{ id: 'a', lastName: 'A', externalId: 'X' }, { id: 'b', lastName: 'B', externalId: 'x' }]);
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { Message: string }).Message).toBe("customer #2: externalId: externalId 'x' is already used by another customer.");
    expect((await put([{ id: 'a', lastName: 'A', _v: 5 }])).status).toBe(200);
    expect(await getCustomer(h, 'a')).toMatchObject({ _v: 5 });
  });
});
