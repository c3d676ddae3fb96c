// The import core without a server: CSV reading, column plans, typed comparison, the key set and
// the journal.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { DEALPOS_SCHEMA } from '../../src/backends/dealpos/schema.js';
import { findField } from '../../src/backends/schema.js';
import { planColumns } from '../../src/import/columns.js';
import { detectDelimiter, openCsvSource, type SourceRow } from '../../src/import/csv-source.js';
import { ImportJournal, RowState, readJournal, type JournalIdentity } from '../../src/import/journal.js';
import { describeChange, scanCsvFile } from '../../src/import/scan.js';
import { KeySet } from '../../src/import/key-set.js';
import { changedFields, comparable, parseRow } from '../../src/import/rows.js';

async function read(text: string | string[], delimiter?: string): Promise<{ header: string[]; delimiter: string; rows: SourceRow[] }> {
  const chunks = (Array.isArray(text) ? text : [text]).map((t) => Buffer.from(t));
  const source = await openCsvSource(Readable.from(chunks), { name: 'test.csv', delimiter });
  const rows: SourceRow[] = [];
  for await (const r of source.rows) rows.push(r);
  return { header: source.header, delimiter: source.delimiter, rows };
}

describe('CSV source', () => {
  it('detects , ; and tab from the header, ignoring quoted ones', () => {
    expect(detectDelimiter('Code,Name;x\n')).toBe(',');
    expect(detectDelimiter('"a,b";"c,d";e\n1,2,3,4')).toBe(';');
    expect(detectDelimiter('Code\tName\tEmail')).toBe('\t');
    expect(detectDelimiter('Code')).toBe(',');
  });

  it('numbers lines as the file does: quoted CRLF, blank lines, a BOM, a header split across chunks', async () => {
    const text = '\uFEFFCode;Name\r\nA;"two\r\nlines"\r\n\r\nB;"x;y"\r\n   \r\nC;"1\n2\n3"\r\nD;end';
    const { header, delimiter, rows } = await read([text.slice(0, 4), text.slice(4, 17), text.slice(17)]);
    expect(header).toEqual(['Code', 'Name']);
    expect(delimiter).toBe(';');
    expect(rows.map((r) => [r.ordinal, r.line, r.cells[0]])).toEqual([
      [1, 2, 'A'],
      [2, 5, 'B'],
      [3, 7, 'C'],
      [4, 10, 'D'],
    ]);
    expect(rows[0]!.cells[1]).toBe('two\r\nlines');
  });

  it('keeps short and long rows whole for the validator, and refuses an unclosed quote naming the line it opens on', async () => {
    const { rows } = await read('a,b,c\n1,2\n1,2,3,4\n');
    expect(rows[0]!.cells).toEqual(['1', '2']);
    expect(rows[1]!.cells).toEqual(['1', '2', '3', '4']);
    await expect(read('a,b,c\n1,2\n1,2,3,4\n5,"never closed,6\n7,8,9\n')).rejects.toThrow(
      'test.csv cannot be read as CSV from line 4 on: a quoted cell that starts here is never closed',
    );
  });

  it('takes an explicit delimiter over detection, and refuses a file with no header', async () => {
    expect((await read('a;b,c\n1;2,3\n', ',')).header).toEqual(['a;b', 'c']);
    await expect(read('\n\n  \n')).rejects.toThrow('has no header row');
  });
});

describe('column plan and rows', () => {
  const plan = (header: string[], mode: 'create' | 'upsert' = 'upsert', key = 'code', map: string[] = []) =>
    planColumns(header, DEALPOS_SCHEMA, { mode, key, map });

  it('matches native names case-insensitively, maps others, ignores server-owned columns', () => {
    const p = plan(['CODE', 'name', 'E-mail', 'JoinDate', 'ID', '_line', '_reason'], 'upsert', 'code', ['E-mail=email']);
    expect(p.writes.map((w) => w.field.name)).toEqual(['Code', 'Name', 'Email']);
    expect(p.keyIndex).toBe(0);
    expect(p.ignored).toEqual(['JoinDate', 'ID']);
    expect(p.altKeys.map((a) => a.key.name)).toEqual(['email']);
  });

  it('says what is wrong with a header', () => {
    expect(() => plan(['Code', 'Colour', 'Size'])).toThrow("unknown columns 'Colour', 'Size'; valid names: ID, Code");
    expect(() => plan(['Code', 'Email', 'Mail'], 'upsert', 'code', ['Mail=Email'])).toThrow("columns 'Email' and 'Mail' both give Email");
    expect(() => plan(['Code'], 'upsert', 'code', ['Nope=Email'])).toThrow("no column named 'nope'");
    expect(() => plan(['Code', 'Name'], 'upsert', 'pin')).toThrow("--key 'pin' is not a key here; use one of: code, email, mobile, id");
    expect(() => plan(['Code', 'Email'], 'create')).toThrow('creating customers needs a column Name');
  });

  it('create mode ignores a server-assigned key column with a warning', () => {
    const p = plan(['ID', 'Name'], 'create', 'id');
    expect(p.keyIndex).toBe(-1);
    expect(p.warnings).toEqual(['create mode ignores the ID column: the server assigns ID']);
  });

  it('types cells, collects every problem of a row, and treats empty cells as not given', () => {
    const p = plan(['Code', 'Email', 'BirthDate', 'LoyaltyPoint', 'Gender', 'Status']);
    expect(parseRow(p, { cells: [' C1 ', '', '1990-01-31T00:00:00', '7', 'yes', 'active'] })).toEqual({
      key: 'C1',
      values: ['C1', undefined, '1990-01-31', 7, true, 'Active'],
    });
    const bad = parseRow(p, { cells: ['C2', 'x@', '31/01/1990', 'lots', '', ''] });
    expect('reason' in bad && bad.reason).toBe(
      "Email: 'x@' is not an e-mail address; BirthDate: '31/01/1990' is not a date in yyyy-MM-dd; pass --date-format dd/MM/yyyy; LoyaltyPoint: 'lots' is not a number",
    );
  });

  it('compares as the schema types say', () => {
    const f = (name: string) => findField(DEALPOS_SCHEMA, name)!;
    expect(comparable(f('LoyaltyPoint'), '88.0')).toBe(comparable(f('LoyaltyPoint'), 88));
    expect(comparable(f('BirthDate'), '1994-03-21T00:00:00')).toBe(comparable(f('BirthDate'), '1994-03-21'));
    expect(comparable(f('BirthDate'), '21 Mar 1994')).toBe('1994-03-21');
    expect(comparable(f('ExpiredGroup'), '0001-01-01T00:00:00')).toBeNull();
    expect(comparable(f('Name'), '')).toBe(comparable(f('Name'), null));
    expect(comparable(f('Status'), 'ACTIVE')).toBe(comparable(f('Status'), 'Active'));
    expect(comparable(f('Name'), undefined)).toBeUndefined();
    const p = plan(['Code', 'Name', 'LoyaltyPoint']);
    const row = parseRow(p, { cells: ['C', 'Budi', '5'] });
    if ('reason' in row) throw new Error(row.reason);
    expect(changedFields(p, row, ['c', 'Budi', '5'])).toEqual([0]);
    // A field the listing did not carry counts as changed (unknown, not empty).
    expect(changedFields(p, row, ['C', undefined, '5'])).toEqual([1]);
  });
});

describe('KeySet', () => {
  it('remembers the first line of each key through growth, with no false duplicates among 200,000 keys', () => {
    const set = new KeySet(4);
    let duplicates = 0;
    for (let i = 1; i <= 200_000; i++) if (set.add(`C-${i}`, i + 1)) duplicates++;
    expect(duplicates).toBe(0);
    expect(set.size).toBe(200_000);
    expect(set.add('C-77', 999_999)).toBe(78);
    expect(set.add('c-77', 5)).toBe(0);
  });
});

describe('journal', () => {
  const identity: JournalIdentity = { input: { size: 1, sha256: 'x', blockSize: 65536, blocks: ['x'] }, mode: 'create', key: 'code', backend: 'dealpos', baseUrl: 'https://a/api/v3', map: [], delimiter: ',' };

  it('records outcomes, treats a start without an outcome as in doubt, and skips a torn last line', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'poscust-journal-'));
    const path = join(dir, 'j');
    const j = ImportJournal.open(path, identity, false);
    j.started(1);
    j.outcome(1, 'created', 'id-1');
    j.started(2);
    j.problem(3, 'rejected', 'Code X already exists.');
    j.problem(4, 'failed', 'timeout');
    j.started(4);
    j.close(false);
    writeFileSync(path, 'c 5 id', { flag: 'a' });
    writeFileSync(path, '\nc 6\nu', { flag: 'a' });
    const state = await readJournal(path, identity, () => null);
    expect([1, 2, 3, 4, 5, 6, 7].map((n) => state.get(n))).toEqual([
      RowState.created,
      RowState.started,
      RowState.rejected,
      RowState.failed,
      RowState.created,
      RowState.created,
      RowState.none,
    ]);
    expect(state.reasons.get(3)).toBe('Code X already exists.');
  });

  it('refuses to resume another job, naming what differs', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'poscust-journal-'));
    const path = join(dir, 'j');
    ImportJournal.open(path, identity, false).close(false);
    await expect(readJournal(path, { ...identity, key: 'email', baseUrl: 'https://b/api/v3' }, () => null)).rejects.toThrow(
      "cannot resume: --key was 'code', now 'email'; the base URL was 'https://a/api/v3', now 'https://b/api/v3'",
    );
    await expect(readJournal(path, identity, () => 'its content differs')).rejects.toThrow('cannot resume: the input file changed: its content differs');
  });

  it('fingerprints a file whole, and says from which line an edited copy differs', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'poscust-scan-'));
    const input = join(dir, 'in.csv');
    const lines = Array.from({ length: 20_000 }, (_, i) => `C${i},Name ${i}`);
    writeFileSync(input, `Code,Name\n${lines.join('\n')}\n`);
    const size = (await import('node:fs')).statSync(input).size;
    const before = await scanCsvFile(input, size, { name: 'in.csv', encoding: 'utf-8' });
    expect(before.rows).toBe(20_000);
    expect(before.fingerprint).toMatchObject({ size, sha256: expect.stringMatching(/^[0-9a-f]{64}$/) });
    expect(before.fingerprint.blocks.length).toBeGreaterThan(2);
    expect(describeChange(before.fingerprint, before)).toBeNull();
    // Swap two rows far from the start: same size, different content from there on.
    const swapped = [...lines];
    [swapped[15_000], swapped[15_001]] = [swapped[15_001]!, swapped[15_000]!];
    writeFileSync(input, `Code,Name\n${swapped.join('\n')}\n`);
    const after = await scanCsvFile(input, size, { name: 'in.csv', encoding: 'utf-8' });
    const said = describeChange(before.fingerprint, after);
    expect(said).toMatch(/^its content differs from about line [\d,]+ on \(same size\)$/);
    const line = Number(/line ([\d,]+)/.exec(said!)![1]!.replace(/,/g, ''));
    expect(line).toBeGreaterThan(12_000);
    expect(line).toBeLessThanOrEqual(15_002);
    writeFileSync(input, `Code,Name\n${lines.join('\n')}\nC-extra,Extra\n`);
    const grown = await scanCsvFile(input, size + 14, { name: 'in.csv', encoding: 'utf-8' });
    expect(describeChange(before.fingerprint, grown)).toMatch(/rows were added after line|differs from about line/);
  });
});
