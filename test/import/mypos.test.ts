// `poscust import` and `export` on MYPOS Connect against the MYPOS sandbox over real HTTP (CLI
// in-process, real clock): codes are system-assigned, updates are read-merge-PUT of the whole
// object, and the list is a restricted view. The sandbox's state is what is checked.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { ImportSummary } from '../../src/import/summary.js';
import { importShop } from './helpers.js';

type Stored = Record<string, unknown> & { customerId: string; customerCode: string; _transactions: number };

async function myposShop(seed: number) {
  const s = await importShop({ backend: 'mypos', seed }, 'poscust-mypos-import-');
  const customers = () => s.sb.customers() as Stored[];
  return { ...s, customers, byCode: () => new Map(customers().map((c) => [c.customerCode, c])) };
}

function csv(header: readonly string[], rows: readonly (readonly unknown[])[]): string {
  const cell = (v: unknown) => {
    const s = v === undefined || v === null ? '' : String(v);
    return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
  };
  return [header, ...rows].map((r) => r.map(cell).join(',')).join('\n') + '\n';
}

function summary(stdout: string): ImportSummary {
  return JSON.parse(stdout) as ImportSummary;
}

const HEADER = ['customerCode', 'firstName', 'lastName', 'emailAddress', 'phoneNumber', 'city', 'notes', 'active', 'priceBand'] as const;
const person = (i: number) => [`MINE-${i}`, `Nama${i}`, `Keluarga ${i % 7}`, `orang${i}@contoh.co.id`, `0812${String(i).padStart(7, '0')}`, i % 2 ? 'Bandung' : 'Jakarta', i % 5 ? '' : '=1+1', i % 9 !== 0, 1 + (i % 3)];

describe('import on MYPOS', () => {
  it('create mode ignores the code column with one warning; every customer gets a system code', async () => {
    const s = await myposShop(0);
    const file = s.file('new.csv', csv(HEADER, Array.from({ length: 300 }, (_, i) => person(i + 1))));
    const r = await s.run(['import', file, '--mode', 'create', '--format', 'json']);
    expect(r.stderr).toBe('warning: create mode ignores the customerCode column: the server assigns customerCode\n');
    expect(r.code).toBe(0);
    // One login and one POST a row: create mode reads nothing.
    expect(summary(r.stdout)).toMatchObject({ created: 300, updated: 0, unchanged: 0, rejected: 0, failed: 0, requests: 301 });
    const stored = s.customers();
    expect(stored.map((c) => c.customerCode).sort()).toEqual(Array.from({ length: 300 }, (_, i) => String(1000001 + i)));
    const byEmail = new Map(stored.map((c) => [c.emailAddress, c]));
    for (let i = 1; i <= 300; i++) {
      const [, firstName, lastName, emailAddress, phoneNumber, city, notes, active, priceBand] = person(i);
      expect(byEmail.get(emailAddress), `row ${i}`).toMatchObject({ firstName, lastName, phoneNumber, city, notes, active, priceBand });
    }
  });

  it('upsert by code: updates only what changed (whole-object PUTs keep the rest), creates blank-code rows, rejects unknown codes', async () => {
    const s = await myposShop(60);
    const before = s.byCode();
    const codes = [...before.keys()];
    const rows: unknown[][] = [];
    // 60 existing: 10 with a changed firstName (in the list view), 10 with a changed city (outside it), 40 as they are.
    codes.forEach((code, i) => {
      const c = before.get(code)!;
      const firstName = i < 10 ? `${String(c.firstName)} Baru` : c.firstName;
      const city = i >= 10 && i < 20 ? 'Kupang' : c.city;
      rows.push([code, firstName, c.lastName, city]);
    });
    rows.push(['', 'Baru', 'Sekali', 'Medan'], ['', 'Baru', 'Lagi', 'Malang'], ['9999999', 'Nobody', 'Here', 'Palu']);
    const file = s.file('upsert.csv', csv(['customerCode', 'firstName', 'lastName', 'city'], rows));
    const writesBefore = s.sb.stats().writes;
    const r = await s.run(['import', file, '--mode', 'upsert', '--key', 'code', '--format', 'json']);
    expect(r.code).toBe(7);
    // Login, count, one list page, one whole-record GET per existing row (city is outside the list
    // view), a PUT per changed row that reuses that GET, and two creates.
    expect(summary(r.stdout)).toMatchObject({ created: 2, updated: 20, unchanged: 40, rejected: 1, failed: 0, requests: 1 + 1 + 1 + 60 + 20 + 2 });
    expect(s.sb.stats().writes - writesBefore).toBe(22);
    const rejects = readFileSync(join(s.dir, 'upsert.rejects.csv'), 'utf8');
    expect(rejects).toBe("_line,_reason,customerCode,firstName,lastName,city\n64,no customer with customerCode '9999999',9999999,Nobody,Here,Palu\n");

    const after = s.byCode();
    codes.forEach((code, i) => {
      const was = before.get(code)!;
      const now = after.get(code)!;
      const expected = {
        ...was,
        firstName: i < 10 ? `${String(was.firstName)} Baru` : was.firstName,
        city: i >= 10 && i < 20 ? 'Kupang' : was.city,
      };
      if (i < 20) expect({ ...now, lastEditDate: '', lastEditDateUTC: '' }, code).toEqual({ ...expected, lastEditDate: '', lastEditDateUTC: '' });
      else expect(now, code).toEqual(was);
    });
    const created = s.customers().slice(60);
    expect(created.map((c) => [c.customerCode, c.firstName, c.lastName, c.city])).toEqual([
      ['1000061', 'Baru', 'Sekali', 'Medan'],
      ['1000062', 'Baru', 'Lagi', 'Malang'],
    ]);
  });

  it('export writes whole records (one GET each past the list), and importing it back sends no writes', async () => {
    const s = await myposShop(45);
    const out = join(s.dir, 'all.csv');
    const exported = await s.run(['export', '--output', out]);
    expect(exported.code).toBe(0);
    const lines = readFileSync(out, 'utf8').trimEnd().split('\n');
    expect(lines).toHaveLength(46);
    expect(lines[0]).toContain('customerId,customerCode,customerName,firstName,lastName,address,city,region');
    const trading = s.customers().find((c) => c.city !== '' && c.notes === '')!;
    expect(lines.some((l) => l.includes(trading.customerId) && l.includes(String(trading.city)))).toBe(true);

    const writesBefore = s.sb.stats().writes;
    const again = await s.run(['import', out, '--mode', 'upsert', '--key', 'id', '--format', 'json']);
    expect(again.stderr).toBe('');
    expect(again.code).toBe(0);
    expect(summary(again.stdout)).toMatchObject({ created: 0, updated: 0, unchanged: 45, rejected: 0, failed: 0 });
    expect(s.sb.stats().writes).toBe(writesBefore);
  });

  it('export within the list view asks for just those columns and reads no customer whole', async () => {
    const s = await myposShop(12);
    const r = await s.run(['export', '--fields', 'customerCode,emailAddress']);
    expect(r.code).toBe(0);
    const lines = r.stdout.trimEnd().split('\n');
    expect(lines[0]).toBe('customerCode,emailAddress');
    expect(lines).toHaveLength(13);
    const requests = s.sb.requests.filter((q) => !q.path.endsWith('/auth/token'));
    expect(requests.map((q) => [q.path, q.query])).toEqual([['/api/v2/customers', 'liPage=1&liPageSize=1000&sFieldList=customerCode%2CemailAddress']]);
  });
});
