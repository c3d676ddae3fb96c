import { describe, expect, it } from 'vitest';
import { closeSandboxesAfterEach } from './helpers.js';
import { type PortosHarness, getCustomer, startPortos } from './portos-helpers.js';

closeSandboxesAfterEach();

/** Six customers with known values, in this list order. */
const PEOPLE = [
  { id: 'p1', externalId: 'EXT-1', firstName: 'Ján', lastName: 'Novák', discountRate: 0, creditRate: 1, note: 'VIP', address: { city: 'Bratislava' }, cards: [{ serialNumber: 'CARD-1' }] },
  { id: 'p2', externalId: 'ext-2', firstName: 'Eva', lastName: 'Nováková', discountRate: 10, creditRate: 0, address: { city: 'Košice' }, cards: [{ serialNumber: 'CARD-2' }, { serialNumber: 'CARD-22' }] },
  { id: 'p3', externalId: null, firstName: 'Peter', lastName: 'Horváth', discountRate: 15, isActive: false, address: { city: 'Nitra' } },
  { id: 'p4', externalId: 'EXT-4', firstName: 'Mária', lastName: 'Kováčová', discountRate: 5, expirationTime: '2020-12-31T23:59:59' },
  { id: 'p5', externalId: 'EXT-5', lastName: null, firstName: 'Zuzana', discountRate: 20, expirationTime: '2099-01-01T00:00:00', address: { city: 'Žilina' } },
  { id: 'p6', externalId: 'EXT-6', isCompany: true, company: { name: 'Tatra Obchod s.r.o.', vatId: 'SK2020123456', taxId: '2020123456' }, discountRate: 10 },
];

async function withPeople(): Promise<PortosHarness> {
  const h = await startPortos({ seed: 0 });
  const put = await fetch(`${h.sb.origin}/_sandbox/customers`, { method: 'PUT', body: JSON.stringify(PEOPLE), headers: { 'content-type': 'application/json' } });
  expect(put.status).toBe(200);
  return h;
}

async function ids(h: PortosHarness, query: string): Promise<string[]> {
  const answer = await h.api('GET', '/customers', { query });
  expect(answer.status, answer.text).toBe(200);
  return (answer.body as { items: { id: string }[] }).items.map((c) => c.id);
}

describe('PORTOS sandbox: GET /customers', () => {
  it('answers a QueryResult of whole records in list order, status and fullName derived', async () => {
    const h = await withPeople();
    const answer = await h.api('GET', '/customers');
    const body = answer.body as { items: Record<string, unknown>[]; count: number; totalCount: number };
    expect(body.count).toBe(6);
    expect(body.totalCount).toBe(6);
    expect(body.items.map((c) => c.id)).toEqual(['p1', 'p2', 'p3', 'p4', 'p5', 'p6']);
    expect(Object.keys(body.items[0]!)).toEqual([
      'id', 'externalId', 'isActive', 'status', 'activationTime', 'expirationTime', 'firstName', 'lastName', 'fullName', 'gender',
      'birthDate', 'email', 'phone', 'isCompany', 'company', 'address', 'deliveryAddress', 'credit', 'creditTransactions', 'cards',
      'creditRate', 'discountRate', 'note', 'meta', '_v',
    ]);
    expect(body.items.map((c) => [c.status, c.fullName])).toEqual([
      ['Valid', 'Ján Novák'], ['Valid', 'Eva Nováková'], ['NotActive', 'Peter Horváth'], ['Expired', 'Mária Kováčová'],
      ['Valid', 'Zuzana'], ['Valid', 'Tatra Obchod s.r.o.'],
    ]);
    expect(body.items[0]).toMatchObject({ credit: { amount: 0, currencyLabel: null }, meta: {}, creditTransactions: [], _v: 1 });
  });

  it.each([
    ['DiscountRate=gt%3A5%3Blt%3A20', ['p2', 'p3', 'p6']],
    ['DiscountRate=gte:10;lte:15', ['p2', 'p3', 'p6']],
    ['DiscountRate=10', ['p2', 'p6']],
    ['DiscountRate=eq:10', ['p2', 'p6']],
    ['DiscountRate=neq:10', ['p1', 'p3', 'p4', 'p5']],
    ['discountrate=gt:5&DiscountRate=lt:15', ['p2', 'p6']],
    ['CreditRate=gte:1', ['p1']],
    ['IsActive=false', ['p3']],
    ['ExternalId=EXT-2', ['p2']],
    ['ExternalId=neq:EXT-1', ['p2', 'p3', 'p4', 'p5', 'p6']],
    ['CardSerialNumber=card-22', ['p2']],
    ['CardSerialNumber=gt:CARD-1', ['p2']],
    ['ExpirationTime=lt:2021-01-01', ['p4']],
    ['ExpirationTime=gt%3A2021-01-01T00%3A00%3A00', ['p5']],
    ['IsExpired=true', ['p4']],
    ['IsExpired=false&IsActive=true', ['p1', 'p2', 'p5', 'p6']],
    ['Search=nov', ['p1', 'p2']],
    ['Search=VIP', ['p1']],
    ['Search=sk2020', ['p6']],
    ['Search=obchod&DiscountRate=10', ['p6']],
    ['Colour=red', ['p1', 'p2', 'p3', 'p4', 'p5', 'p6']],
  ])('filters %s', async (query, expected) => {
    const h = await withPeople();
    expect(await ids(h, query)).toEqual(expected);
  });

  it.each([
    ['$sort=lastName:desc', ['p2', 'p1', 'p4', 'p3', 'p5', 'p6']],
    ['$sort=-discountRate,lastName', ['p5', 'p3', 'p6', 'p2', 'p4', 'p1']],
    ['$sort=address.city', ['p4', 'p6', 'p1', 'p2', 'p3', 'p5']],
    ['$sort=EXTERNALID:asc', ['p3', 'p1', 'p2', 'p4', 'p5', 'p6']],
  ])('sorts %s (nulls first ascending)', async (query, expected) => {
    const h = await withPeople();
    expect(await ids(h, query)).toEqual(expected);
  });

  it('pages with $skip/$take; totalCount counts all matches', async () => {
    const h = await withPeople();
    const answer = await h.api('GET', '/customers', { query: '$skip=2&$take=3&DiscountRate=gte:5' });
    const body = answer.body as { items: { id: string }[]; count: number; totalCount: number };
    expect(body.items.map((c) => c.id)).toEqual(['p4', 'p5', 'p6']);
    expect([body.count, body.totalCount]).toEqual([3, 5]);
    expect(await ids(h, '$skip=10')).toEqual([]);
    expect(await ids(h, '$take=0')).toEqual([]);
  });

  it('takes 100 by default and at most 1000', async () => {
    const h = await startPortos({ seed: 1100 });
    expect(await ids(h, '')).toHaveLength(100);
    const big = await h.api('GET', '/customers', { query: '$take=5000' });
    expect((big.body as { items: unknown[]; totalCount: number }).items).toHaveLength(1000);
    expect((big.body as { totalCount: number }).totalCount).toBe(1100);
  });

  it('answers counts without items for $count=true', async () => {
    const h = await withPeople();
    const answer = await h.api('GET', '/customers', { query: '$count=true&DiscountRate=10' });
    expect(answer.body).toEqual({ count: 2, totalCount: 2 });
  });

  it('answers 400 ProblemDetails listing each bad parameter', async () => {
    const h = await withPeople();
    const answer = await h.api('GET', '/customers', { query: 'DiscountRate=like:5&IsActive=maybe&$skip=-1&$sort=colour&ExpirationTime=lt:&$count=yes' });
    expect(answer.status).toBe(400);
    expect(answer.headers.get('content-type')).toBe('application/problem+json; charset=utf-8');
    expect(answer.body).toMatchObject({ title: 'Validation failed', status: 400, errorCode: 3 });
    expect((answer.body as { errors: { memberName: string }[] }).errors.map((e) => e.memberName)).toEqual([
      'DiscountRate', 'IsActive', 'ExpirationTime', '$sort', '$count', '$skip',
    ]);
  });
});

describe('PORTOS sandbox: GET /customers/{id} and routing', () => {
  it('finds a customer by id, case-insensitively, and answers 404 ProblemDetails otherwise', async () => {
    const h = await withPeople();
    expect((await getCustomer(h, 'P2')).id).toBe('p2');
    const missing = await h.api('GET', '/customers/nope');
    expect(missing.status).toBe(404);
    expect(missing.body).toMatchObject({ title: 'Not Found', status: 404, detail: "Customer 'nope' was not found.", instance: '/customers/nope' });
  });

  it('answers 405 to a method a resource lacks and 404 outside the API', async () => {
    const h = await withPeople();
    expect((await h.api('PATCH', '/customers/p1', { body: {} })).status).toBe(405);
    expect((await h.api('DELETE', '/customers')).status).toBe(405);
    expect((await h.api('GET', '/api/v3/Customer')).status).toBe(404);
  });

  it('seeds deterministic customers: the same n gives the same records, ids and external ids unique', async () => {
    const a = await startPortos({ seed: 40 });
    const b = await startPortos({ seed: 60 });
    const first = a.sb.customers() as { id: string; externalId: string | null; cards: { serialNumber: string }[] }[];
    expect(b.sb.customers().slice(0, 40)).toEqual(first);
    expect(new Set(first.map((c) => c.id)).size).toBe(40);
    const ext = first.map((c) => c.externalId).filter(Boolean);
    expect(new Set(ext).size).toBe(ext.length);
    expect(first.some((c) => c.cards.length > 0)).toBe(true);
  });
});

describe('PORTOS sandbox: the core options', () => {
  it('answers over quota with a 429 ProblemDetails and Retry-After, and counts logins', async () => {
    const h = await startPortos({ seed: 1, quota: 2, windowSeconds: 60 });
    expect((await h.api('GET', '/customers')).status).toBe(200);
    const limited = await h.api('GET', '/customers');
    expect(limited.status).toBe(429);
    expect(limited.headers.get('content-type')).toBe('application/problem+json; charset=utf-8');
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(limited.body).toMatchObject({ status: 429, title: 'Too Many Requests' });
    expect(h.sb.stats()).toMatchObject({ rateLimited: 1, tokensIssued: 1 });
  });

  it('injects 500 faults as ProblemDetails but never on /api/auth, and adds latency', async () => {
    const h = await startPortos({ seed: 1, faults: 1, faultKinds: ['500'], latencyMs: 60 });
    const started = Date.now();
    const answer = await h.api('GET', '/customers');
    expect(Date.now() - started).toBeGreaterThanOrEqual(55);
    expect(answer.status).toBe(500);
    expect(answer.body).toMatchObject({ status: 500, title: 'Internal Server Error' });
    expect((await h.login()).tokenId).toBeTruthy();
  });
});
