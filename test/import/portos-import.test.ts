// `import` and `export` on PORTOS against the in-process PORTOS sandbox over real HTTP: the
// sandbox's state after each run is what is checked.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Agent, Dispatcher } from 'undici';
import type { ImportSummary } from '../../src/import/summary.js';
import { importShop } from './helpers.js';

type Customer = Record<string, unknown> & { id: string; _v: number; externalId: string | null };

async function portosShop(seed: number) {
  const s = await importShop({ backend: 'portos', seed, port: 0, closeGraceMs: 0 }, 'poscust-portos-import-');
  const customers = () => s.sb.customers() as Customer[];
  return { ...s, customers, byId: (id: string) => customers().find((c) => c.id === id), writes: () => s.stats().writes };
}

function summary(stdout: string): ImportSummary {
  return JSON.parse(stdout) as ImportSummary;
}

describe('portos export and import', () => {
  it('exports every field with dotted nested columns, and the same file upserts as no change at all', async () => {
    const s = await portosShop(40);
    const out = join(s.dir, 'all.csv');
    const exported = await s.run(['export', '--output', out]);
    expect(exported.code, exported.stderr).toBe(0);
    const lines = readFileSync(out, 'utf8').trimEnd().split('\n');
    expect(lines[0]).toBe(
      'id,externalId,isActive,status,activationTime,expirationTime,firstName,lastName,fullName,gender,birthDate,email,phone,isCompany,' +
        'company.name,company.vatId,company.taxId,address.street,address.city,address.zipCode,address.country,deliveryAddress.street,' +
        'deliveryAddress.city,deliveryAddress.zipCode,deliveryAddress.country,credit.amount,credit.currencyLabel,creditTransactions,cards,' +
        'creditRate,discountRate,note,meta,_v',
    );
    expect(lines).toHaveLength(41);
    const before = JSON.stringify(s.customers());
    const writes = s.writes();
    const again = await s.run(['import', out, '--mode', 'upsert', '--key', 'id', '--format', 'json']);
    expect(again.stderr).toBe('');
    expect(again.code).toBe(0);
    expect(summary(again.stdout)).toMatchObject({ created: 0, updated: 0, unchanged: 40, rejected: 0, failed: 0 });
    expect(s.writes()).toBe(writes);
    expect(JSON.stringify(s.customers())).toBe(before);
  });

  it('upserts by id: changed nested cells merge into the record (_v + 1), new ids are created under that id', async () => {
    const s = await portosShop(3);
    const [a, b] = s.customers();
    const file = s.file(
      'changes.csv',
      'id,address.city,credit.amount,note,lastName\n' +
        `${a!.id},Bratislava,,,\n` +
        `${b!.id.toUpperCase()},,12.5,VIP,\n` +
        'shop-new-1,Nitra,3,,Nová\n',
    );
    const r = await s.run(['import', file, '--key', 'id', '--format', 'json']);
    expect(r.code, r.stderr).toBe(0);
    expect(summary(r.stdout)).toMatchObject({ created: 1, updated: 2, unchanged: 0, rejected: 0 });
    expect(s.byId(a!.id)).toEqual({
      ...a,
      address: { ...(a!.address as object), city: 'Bratislava' },
      _v: a!._v + 1,
    });
    expect(s.byId(b!.id)).toEqual({ ...b, credit: { ...(b!.credit as object), amount: 12.5 }, note: 'VIP', _v: b!._v + 1 });
    expect(s.byId('shop-new-1')).toMatchObject({ lastName: 'Nová', address: { city: 'Nitra', street: null }, credit: { amount: 3 }, _v: 1 });
    expect(s.customers()).toHaveLength(4);
  });

  it('upserts by externalId (case-insensitive), creating unknown ones and rejecting rows without one', async () => {
    const s = await portosShop(0);
    await s.run(['create', '--last-name', 'Stará', '--set', 'externalId=EXT-1', '--set', 'address.city=Trnava']);
    const file = s.file(
      'by-ext.csv',
      'externalId,firstName,lastName,address.city\next-1,Eva,,Prešov\nEXT-2,Ján,Nový,Nitra\n,Bez,Kľúča,Zvolen\n',
    );
    const r = await s.run(['import', file, '--key', 'externalId', '--format', 'json']);
    expect(r.code).toBe(7);
    expect(summary(r.stdout)).toMatchObject({ created: 1, updated: 1, rejected: 1 });
    const [first, second] = s.customers();
    // Found although the case differs; the file's spelling is then stored, like any other changed cell.
    expect(first).toMatchObject({ externalId: 'ext-1', firstName: 'Eva', lastName: 'Stará', address: { city: 'Prešov' }, _v: 2 });
    expect(second).toMatchObject({ externalId: 'EXT-2', firstName: 'Ján', lastName: 'Nový', address: { city: 'Nitra' }, _v: 1 });
    expect(readFileSync(join(s.dir, 'by-ext.rejects.csv'), 'utf8')).toContain('no externalId given');
  });

  it('creates from dotted headers and JSON cells; rows the server rejects land in the rejects file with its reasons', async () => {
    const s = await portosShop(0);
    const file = s.file(
      'new.csv',
      'firstName,lastName,email,address.city,credit.amount,cards,meta,externalId\n' +
        'Ján,Novák,jan@portos.sk,Bratislava,10,"[{""serialNumber"":""C-1""}]","{""vip"":true}",E-1\n' +
        ',,nobody@portos.sk,Košice,,,,E-2\n' +
        'Eva,Malá,,,,"[{""serialNumber"":""c-1""}]",,E-3\n',
    );
    // One row at a time: rows 1 and 3 claim the same card, and the first to arrive gets it.
    const r = await s.run(['import', file, '--mode', 'create', '--format', 'json', '--concurrency', '1']);
    expect(r.code).toBe(7);
    expect(summary(r.stdout)).toMatchObject({ created: 1, rejected: 2 });
    expect(s.customers()).toHaveLength(1);
    expect(s.customers()[0]).toMatchObject({
      firstName: 'Ján', address: { city: 'Bratislava' }, credit: { amount: 10 }, cards: [{ serialNumber: 'C-1', isActive: true }], meta: { vip: true }, _v: 1,
    });
    const rejects = readFileSync(join(s.dir, 'new.rejects.csv'), 'utf8');
    expect(rejects).toContain('lastName: lastName is required (or firstName, or company.name for a company).');
    expect(rejects).toContain('cards[0].serialNumber: Card c-1 belongs to another customer.');
  });

  it('looks rows up by id or by the ExternalId filter when the file is small against the customer base', async () => {
    const s = await portosShop(2500);
    const target = s.customers().find((c) => c.externalId !== null && (c.note as string | null) === null)!;
    s.sb.requests.length = 0;
    const r = await s.run(['import', s.file('one.csv', `externalId,note\n${target.externalId},called\n`), '--key', 'externalId', '--format', 'json']);
    expect(r.code, r.stderr).toBe(0);
    expect(summary(r.stdout)).toMatchObject({ updated: 1 });
    expect(s.sb.requests.filter((q) => !q.path.startsWith('/api/auth')).map((q) => `${q.method} ${q.path}?${q.query}`)).toEqual([
      'GET /customers?$count=true',
      `GET /customers?ExternalId=${target.externalId}&$skip=0&$take=10`,
      `PUT /customers/${target.id}?`,
    ]);
    expect(s.byId(target.id)).toMatchObject({ note: 'called', _v: 2 });
  });

  it('keeps a change made after the listing: the stale _v is refused, the row re-read and re-applied', async () => {
    const s = await portosShop(3);
    const [a] = s.customers();
    const agent = new Agent();
    let puts = 0;
    // Right before the import's PUT, a till changes the phone (through the control endpoint, _v + 1).
    const dispatcher = new (class extends Dispatcher {
      override dispatch(options: Dispatcher.DispatchOptions, handler: Dispatcher.DispatchHandler): boolean {
        if (options.method === 'PUT' && ++puts === 1) {
          const all = s.customers().map((c) => (c.id === a!.id ? { ...c, phone: '+421 2 1234 5678', _v: c._v + 1 } : c));
          void fetch(`${s.sb.origin}/_sandbox/customers`, { method: 'PUT', headers: { 'content-type': 'application/json' }, body: JSON.stringify(all) }).then(() => agent.dispatch(options, handler));
          return true;
        }
        return agent.dispatch(options, handler);
      }
    })();
    try {
      const r = await s.run(['import', s.file('n.csv', `id,note\n${a!.id},imported\n`), '--format', 'json'], { dispatcher });
      expect(r.code, r.stderr).toBe(0);
      expect(summary(r.stdout)).toMatchObject({ updated: 1, failed: 0 });
      expect(s.byId(a!.id)).toMatchObject({ phone: '+421 2 1234 5678', note: 'imported', _v: a!._v + 2 });
      expect(s.sb.requests.filter((q) => q.path === `/customers/${a!.id}`).map((q) => `${q.method} ${q.status}`)).toEqual(['PUT 400', 'GET 200', 'PUT 200']);
    } finally {
      await agent.close();
    }
  });
});
