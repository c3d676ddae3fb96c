// Issue 13: Excel workbooks, read by content (not by name), imported to the records the UTF-8 CSV
// reference makes: date cells as dates, text phone numbers as typed, numeric phone numbers (which
// lost their leading 0) in E.164, numbers exact. Export to .xlsx and with --bom round-trips
// through import with no write.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { ImportSummary } from '../../src/import/summary.js';
import type { DealposCustomer, RecordedRequest } from '../../src/sandbox/index.js';
import { workbookBytes, type XlsxCell } from '../helpers/xlsx.js';
import { importShop, shop, type Shop } from './helpers.js';

const summary = (stdout: string) => JSON.parse(stdout) as ImportSummary;
const day = (iso: string) => new Date(`${iso}T00:00:00Z`);
const writes = (requests: readonly RecordedRequest[], after: number) =>
  requests.filter((r) => r.seq > after && r.method !== 'GET' && !/token|login|auth|Customer\/p$/i.test(r.path)).length;

const HEADER = ['Code', 'Name', 'Mobile', 'BirthDate', 'LoyaltyPoint', 'Gender'];
/** The reference CSV rows, and the same customers as a sheet holds them. */
const CSV_ROWS = [
  ['X1', 'José Muñoz', '081234567890', '1990-12-31', '12.5', 'true'],
  ['X2', 'Ľubomír Šťastný', '+6281311112222', '1985-01-02', '88', 'false'],
  ['X3', '=not a formula', '+6281399998888', '2000-02-29', '0', ''],
  ['X4', 'Zoë', '', '', '1234567.25', 'true'],
];
const SHEET_ROWS: XlsxCell[][] = [
  HEADER,
  ['X1', 'José Muñoz', '081234567890', day('1990-12-31'), 12.5, true],
  // A phone number typed as a number: Excel dropped its leading 0 (81311112222) or kept the country code.
  ['X2', 'Ľubomír Šťastný', 81311112222, day('1985-01-02'), { formula: '80+8', result: 88 }, false],
  ['X3', '=not a formula', 6281399998888, day('2000-02-29'), 0, null],
  ['X4', 'Zoë', null, null, 1234567.25, true],
];

function stored(s: Shop): Record<string, unknown>[] {
  return s.customers().map((c: DealposCustomer) => ({ Code: c.Code, Name: c.Name, Mobile: c.Mobile, BirthDate: c.BirthDate, LoyaltyPoint: c.LoyaltyPoint, Gender: c.Gender }));
}

async function reference(): Promise<Record<string, unknown>[]> {
  const s = await shop();
  const csv = `${HEADER.join(',')}\n${CSV_ROWS.map((r) => r.join(',')).join('\n')}\n`;
  const r = await s.run(['import', s.file('ref.csv', csv), '--format', 'json']);
  expect(r.code, r.stderr).toBe(0);
  return stored(s);
}

describe('import of an Excel workbook', () => {
  it('reads the first sheet of a workbook laid out as Excel saves it, to the records of the CSV reference', async () => {
    const want = await reference();
    const s = await shop();
    // No .xlsx in the name: the content says what it is.
    const file = join(s.dir, 'customers.dat');
    writeFileSync(file, workbookBytes([{ name: 'Customers', rows: SHEET_ROWS }, { name: 'Notes', rows: [['Code'], ['IGNORED']] }]));
    const r = await s.run(['import', file, '--format', 'json']);
    expect(r.code, r.stderr).toBe(0);
    expect(summary(r.stdout)).toMatchObject({ created: 4, rejected: 0 });
    expect(r.stderr).toMatch(/Mobile: the workbook holds phone numbers as numbers, which lost their leading 0; they are written in E\.164/);
    expect(stored(s)).toEqual(want);
    // A second run sends no write.
    const seq = s.sb.requests.at(-1)!.seq;
    const again = await s.run(['import', file, '--format', 'json']);
    expect(summary(again.stdout)).toMatchObject({ unchanged: 4 });
    expect(writes(s.sb.requests, seq)).toBe(0);
  });

  it('reads another sheet by --sheet name or number, and names the sheets there are when it has no such sheet', async () => {
    const s = await shop();
    const file = join(s.dir, 'book.xlsx');
    writeFileSync(file, workbookBytes([{ name: 'Notes', rows: [['nothing here']] }, { name: 'Pelanggan', rows: [['Code', 'Name'], ['S1', 'Siti']] }]));
    const byName = await s.run(['import', file, '--sheet', 'pelanggan', '--format', 'json']);
    expect(byName.code, byName.stderr).toBe(0);
    expect(s.byCode().get('S1')?.Name).toBe('Siti');
    const byNumber = await s.run(['import', file, '--sheet', '2', '--format', 'json']);
    expect(summary(byNumber.stdout)).toMatchObject({ unchanged: 1 });
    const missing = await s.run(['import', file, '--sheet', 'Customers']);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/has no sheet 'Customers'; its sheets are: 'Notes', 'Pelanggan'/);
    const csvSheet = await s.run(['import', s.file('plain.csv', 'Code,Name\nA,B\n'), '--sheet', '1']);
    expect(csvSheet.code).toBe(2);
    expect(csvSheet.stderr).toMatch(/--sheet is for Excel workbooks/);
  });

  it('rejects a code or phone number that arrived as a number past 15 digits (Excel lost its last digits)', async () => {
    const s = await shop();
    const file = join(s.dir, 'long.xlsx');
    writeFileSync(
      file,
      workbookBytes([{ name: 'S', rows: [['Code', 'Name', 'Mobile'], [1234567890123456800, 'A', '081234567890'], ['L2', 'B', 6281234567890123], ['L3', 'C', 81234567891]] }]),
    );
    const rejects = join(s.dir, 'r.csv');
    const r = await s.run(['import', file, '--rejects', rejects, '--format', 'json']);
    expect(r.code).toBe(7);
    expect(summary(r.stdout)).toMatchObject({ created: 1, rejected: 2 });
    const text = readFileSync(rejects, 'utf8');
    expect(text).toMatch(/^2,"Code: '1234567890123456800' arrived as a number from the workbook, and Excel keeps only 15 digits of a number, so its last digits were lost; format the column as Text/m);
    expect(text).toMatch(/^3,"Mobile: '6281234567890123' arrived as a number/m);
    expect(s.byCode().get('L3')?.Mobile).toBe('+6281234567891');
  });

  it("reports a rejected row at the sheet's own row number, after empty rows and a header lower down", async () => {
    const s = await shop();
    const file = join(s.dir, 'low.xlsx');
    writeFileSync(file, workbookBytes([{ name: 'S', rows: [[], [], ['Code', 'Name', 'Email'], ['E1', 'A', 'a@contoh.co.id'], [], ['E2', 'B', 'not-an-email']] }]));
    const rejects = join(s.dir, 'r.csv');
    const r = await s.run(['import', file, '--rejects', rejects, '--format', 'json']);
    expect(r.code).toBe(7);
    expect(summary(r.stdout)).toMatchObject({ created: 1, rejected: 1 });
    expect(readFileSync(rejects, 'utf8')).toMatch(/^6,Email: 'not-an-email' is not an e-mail address,E2,B,not-an-email$/m);
  });

  it('stops before any request on a damaged workbook or an old .xls, saying what to do', async () => {
    const s = await shop();
    const good = workbookBytes([{ name: 'S', rows: [['Code', 'Name'], ['A', 'B']] }]);
    const broken = join(s.dir, 'broken.xlsx');
    writeFileSync(broken, good.subarray(0, Math.floor(good.length / 2)));
    const r = await s.run(['import', broken]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/broken\.xlsx cannot be read as an Excel workbook .*; save it again in Excel, or as CSV UTF-8; nothing was sent/);
    const xls = join(s.dir, 'old.xls');
    writeFileSync(xls, Buffer.concat([Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]), Buffer.alloc(512)]));
    const old = await s.run(['import', xls]);
    expect(old.code).toBe(2);
    expect(old.stderr).toMatch(/Excel 97-2003 workbook \(\.xls\).*save it as \.xlsx or as CSV UTF-8/);
    expect(s.stats().requests).toBe(0);
  });

  it('keeps a resumed workbook job to the same workbook', async () => {
    const s = await shop({ latencyMs: 5 });
    const rows: XlsxCell[][] = [['Code', 'Name'], ...Array.from({ length: 300 }, (_, i) => [`R${i}`, `Name ${i}`])];
    const file = join(s.dir, 'big.xlsx');
    writeFileSync(file, workbookBytes([{ name: 'S', rows }]));
    const controller = new AbortController();
    const run = s.run(['import', file, '--mode', 'create', '--concurrency', '2'], { signal: controller.signal });
    const timer = setInterval(() => {
      if (s.sb.requests.filter((q) => q.method === 'POST').length > 20) controller.abort(new Error('SIGINT'));
    }, 2);
    const stopped = await run.finally(() => clearInterval(timer));
    expect(stopped.code, stopped.stderr).toBe(130);
    writeFileSync(file, workbookBytes([{ name: 'S', rows: [...rows, ['R999', 'Added']] }]));
    const changed = await s.run(['import', file, '--mode', 'create', '--resume']);
    expect(changed.code).toBe(2);
    expect(changed.stderr).toMatch(/cannot resume: the input file changed: the workbook was changed and saved again/);
    writeFileSync(file, workbookBytes([{ name: 'S', rows }]));
    const resumed = await s.run(['import', file, '--mode', 'create', '--resume', '--format', 'json']);
    expect(resumed.code, resumed.stderr).toBe(0);
    expect(new Set(s.customers().map((c) => c.Code)).size).toBe(300);
    expect(s.customers()).toHaveLength(300);
  });
});

describe('export for Excel', () => {
  it('writes a workbook to --output *.xlsx that imports back with no write, on every backend', async () => {
    for (const [backend, key] of [['dealpos', 'code'], ['mypos', 'code'], ['portos', 'id']] as const) {
      const s = await importShop({ backend, seed: 40 }, 'poscust-xlsx-');
      const file = join(s.dir, 'all.xlsx');
      const exported = await s.run(['export', '--output', file]);
      expect(exported.code, `${backend}: ${exported.stderr}`).toBe(0);
      expect(readFileSync(file).subarray(0, 4).toString('latin1')).toBe('PK\x03\x04');
      const before = JSON.stringify(s.sb.customers());
      const seq = s.sb.requests.at(-1)!.seq;
      const again = await s.run(['import', file, '--key', key, '--format', 'json']);
      expect(again.code, `${backend}: ${again.stderr}`).toBe(0);
      expect(summary(again.stdout), backend).toMatchObject({ created: 0, updated: 0, unchanged: 40, rejected: 0 });
      expect(writes(s.sb.requests, seq), backend).toBe(0);
      expect(JSON.stringify(s.sb.customers())).toBe(before);
    }
  });

  it('starts the CSV with a BOM with --bom (not without), and that file imports back with no write', async () => {
    const s = await shop({ seed: 30 });
    const plain = join(s.dir, 'plain.csv');
    const bom = join(s.dir, 'bom.csv');
    expect((await s.run(['export', '--output', plain])).code).toBe(0);
    expect((await s.run(['export', '--bom', '--output', bom])).code).toBe(0);
    expect(readFileSync(plain).subarray(0, 3).equals(Buffer.from([0xef, 0xbb, 0xbf]))).toBe(false);
    expect(readFileSync(bom).subarray(0, 3).equals(Buffer.from([0xef, 0xbb, 0xbf]))).toBe(true);
    expect(readFileSync(bom).subarray(3).equals(readFileSync(plain))).toBe(true);
    const seq = s.sb.requests.at(-1)!.seq;
    const again = await s.run(['import', bom, '--format', 'json']);
    expect(summary(again.stdout)).toMatchObject({ unchanged: 30, created: 0, updated: 0 });
    expect(writes(s.sb.requests, seq)).toBe(0);
    const both = await s.run(['export', '--bom', '--output', join(s.dir, 'x.xlsx')]);
    expect(both.code).toBe(2);
    expect(both.stderr).toMatch(/--bom is for CSV/);
  });
});
