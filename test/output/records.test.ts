import { describe, expect, it } from 'vitest';
import { guardCell, unguardCell } from '../../src/output/csv-guard.js';
import { createRecordWriter, type Format } from '../../src/output/records.js';
import { Capture } from '../helpers/harness.js';

describe('CSV formula guard', () => {
  it.each([
    ['=SUM(A1:A9)', "'=SUM(A1:A9)"],
    ['+62 812 555', "'+62 812 555"],
    ['-cmd', "'-cmd"],
    ['@risk', "'@risk"],
    ['\tx', "'\tx"],
    ['\rx', "'\rx"],
    ["'=already", "''=already"],
  ])('guards %j', (value, guarded) => {
    expect(guardCell(value)).toBe(guarded);
    expect(unguardCell(guardCell(value))).toBe(value);
  });

  it.each(['-5', '+6281234', '-1.5e3', '12', 'Budi', "'quoted", '', 'a=b'])('leaves %j alone and round-trips it', (value) => {
    expect(guardCell(value)).toBe(value);
    expect(unguardCell(guardCell(value))).toBe(value);
  });
});

async function render(format: Format, batches: Record<string, unknown>[][], shape: 'one' | 'many' = 'many', fields?: string[]) {
  const out = new Capture();
  const w = createRecordWriter({ format, out, shape, fields, tableColumns: ['Code', 'Name'], allColumns: ['ID', 'Code', 'Name'] });
  for (const b of batches) await w.write(b);
  await w.end();
  return out.text;
}

describe('record writers', () => {
  const a = { ID: '1', Code: 'A', Name: 'Ädi Ñoño', Extra: { city: 'Bandung' } };
  const b = { ID: '2', Code: 'B', Name: 'Line\nbreak, "quoted"', Extra: null };

  it('streams one JSON array across batches, and [] when empty', async () => {
    expect(JSON.parse(await render('json', [[a], [], [b]]))).toEqual([a, b]);
    expect(await render('json', [])).toBe('[]\n');
    expect(JSON.parse(await render('json', [[a]], 'one'))).toEqual(a);
  });

  it('writes NDJSON one record per line, projected by --fields', async () => {
    expect(await render('ndjson', [[a, b]], 'many', ['Code', 'Extra.city'])).toBe(
      '{"Code":"A","Extra":{"city":"Bandung"}}\n{"Code":"B","Extra":{"city":null}}\n',
    );
  });

  it('writes RFC 4180 CSV: header once, quotes, nested objects flattened', async () => {
    const text = await render('csv', [[a], [b]]);
    expect(text).toBe('ID,Code,Name,Extra.city\n1,A,Ädi Ñoño,Bandung\n2,B,"Line\nbreak, ""quoted""",\n');
    expect(await render('csv', [])).toBe('ID,Code,Name\n');
  });

  it('keeps table columns aligned across pages', async () => {
    const text = await render('table', [[a], [b]]);
    const lines = text.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^Code\s+Name$/);
    expect(lines[1]!.indexOf('Ädi')).toBe(lines[0]!.indexOf('Name'));
    expect(lines[2]!.indexOf('Line')).toBe(lines[0]!.indexOf('Name'));
  });
});

describe('CSV columns of nested records (PORTOS)', () => {
  it('keeps members of a JSON column inside it, and adds dotted columns only for unknown nested members', async () => {
    const out = new Capture();
    const warnings: string[] = [];
    const w = createRecordWriter({
      format: 'csv', out, shape: 'many', tableColumns: [], allColumns: ['id', 'address.city', 'meta'], warn: (m) => warnings.push(m),
    });
    await w.write([{ id: 'a', address: { city: 'Nitra', floor: 2 }, meta: { vip: true, tier: { level: 1 } } }]);
    await w.write([{ id: 'b', address: null, meta: { other: 1 } }]);
    await w.end();
    expect(out.text).toBe('id,address.city,meta,address.floor\na,Nitra,"{""vip"":true,""tier"":{""level"":1}}",2\nb,,"{""other"":1}",\n');
    expect(warnings).toEqual([]);
  });
});
