// Issue 13: files as Excel and other programs really save them. Each one imports to exactly the
// records the UTF-8 reference makes, or stops with exit 2 before any request, naming the line, the
// column and the flag to pass. Nothing is ever stored with a replacement character.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import iconv from 'iconv-lite';
import { describe, expect, it } from 'vitest';
import type { DealposCustomer } from '../../src/sandbox/index.js';
import { shop, type Shop } from './helpers.js';

/** Western names (windows-1252 has every letter, € and typographic quotes among them). */
const WESTERN = [
  ['W1', 'José Muñoz', 'jose@contoh.co.id'],
  ['W2', 'Zoë Œuvre', 'zoe@contoh.co.id'],
  ['W3', 'François “Frank” Dürer', 'francois@contoh.co.id'],
  ['W4', 'Ångström €', 'ang@contoh.co.id'],
];
/** Slovak and Czech names (windows-1250). */
const CENTRAL = [
  ['C1', 'Ľubomír Šťastný', 'lubo@contoh.sk'],
  ['C2', 'Jiří Dvořák', 'jiri@contoh.cz'],
  ['C3', 'Žofie Černá', 'zofie@contoh.cz'],
  ['C4', 'Ďurko Ňuňo Ťažký', 'durko@contoh.sk'],
];

const csv = (rows: string[][], delimiter = ',', eol = '\r\n') => `Code${delimiter}Name${delimiter}Email${eol}${rows.map((r) => r.join(delimiter)).join(eol)}${eol}`;

/** The stored fields an import sets, by code, without what the server assigns. */
function records(s: Shop): Record<string, Pick<DealposCustomer, 'Name' | 'Email'>> {
  return Object.fromEntries(s.customers().map((c) => [c.Code, { Name: c.Name, Email: c.Email }]));
}

async function importBytes(name: string, bytes: Buffer, extra: string[] = []) {
  const s = await shop();
  const file = join(s.dir, name);
  writeFileSync(file, bytes);
  const result = await s.run(['import', file, '--format', 'json', ...extra]);
  return { s, result, file };
}

async function reference(rows: string[][]) {
  const { s, result } = await importBytes('reference.csv', Buffer.from(csv(rows), 'utf8'));
  expect(result.code, result.stderr).toBe(0);
  return records(s);
}

describe('encodings of import files', () => {
  it('reads UTF-8 with and without a BOM, and UTF-16LE and UTF-16BE with a BOM, to the same records', async () => {
    const want = await reference([...WESTERN, ...CENTRAL]);
    const text = csv([...WESTERN, ...CENTRAL]);
    const bom = Buffer.from([0xef, 0xbb, 0xbf]);
    const utf16le = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')]);
    const utf16be = Buffer.concat([Buffer.from([0xfe, 0xff]), Buffer.from(text, 'utf16le').swap16()]);
    for (const [name, bytes] of [
      ['bom.csv', Buffer.concat([bom, Buffer.from(text)])],
      ['utf16le.csv', utf16le],
      ['utf16be.csv', utf16be],
    ] as const) {
      const { s, result } = await importBytes(name, bytes);
      expect(result.code, `${name}: ${result.stderr}`).toBe(0);
      expect(records(s), name).toEqual(want);
    }
  });

  it('refuses windows-1252 without --encoding, before any request, naming line, column and the flag', async () => {
    const bytes = iconv.encode(csv(WESTERN), 'windows-1252');
    expect(bytes.includes(0xe9)).toBe(true); // é is one byte, not UTF-8
    const { s, result } = await importBytes('excel.csv', bytes);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/excel\.csv is not UTF-8: at line 2, column 7 the byte 0xE9 cannot be read as UTF-8/);
    expect(result.stderr).toMatch(/--encoding windows-1252; nothing was sent/);
    expect(s.stats().requests).toBe(0);
    expect(s.customers()).toHaveLength(0);
  });

  it('imports windows-1252 with --encoding to the records of the UTF-8 file (€ and “ ” included)', async () => {
    const want = await reference(WESTERN);
    const bytes = iconv.encode(csv(WESTERN), 'windows-1252');
    // 0x80 is € and 0x93/0x94 are “ ” in windows-1252: the bytes Node's TextDecoder gets wrong.
    expect([0x80, 0x93, 0x94].every((b) => bytes.includes(b))).toBe(true);
    const { s, result } = await importBytes('excel.csv', bytes, ['--encoding', 'windows-1252']);
    expect(result.code, result.stderr).toBe(0);
    expect(records(s)).toEqual(want);
  });

  it('guesses windows-1250 for Slovak and Czech names, and imports them with it', async () => {
    const want = await reference(CENTRAL);
    const bytes = iconv.encode(csv(CENTRAL), 'windows-1250');
    const refused = await importBytes('sk.csv', bytes);
    expect(refused.result.code).toBe(2);
    expect(refused.result.stderr).toMatch(/line 2, column 4 .* looks like windows-1250 .* --encoding windows-1250/);
    const { s, result } = await importBytes('sk.csv', bytes, ['--encoding', 'windows-1250']);
    expect(result.code, result.stderr).toBe(0);
    expect(records(s)).toEqual(want);
    // ISO-8859-2 spells these letters with other bytes: named, it reads the same names from its own file.
    const latin2 = await importBytes('latin2.csv', iconv.encode(csv(CENTRAL.slice(1, 3)), 'iso-8859-2'), ['--encoding', 'iso-8859-2']);
    expect(latin2.result.code, latin2.result.stderr).toBe(0);
    expect(records(latin2.s)).toEqual({ C2: want.C2, C3: want.C3 });
  });

  it('refuses a file holding U+FFFD (damaged by an earlier conversion), naming where', async () => {
    const { s, result } = await importBytes('damaged.csv', Buffer.from(csv([['D1', 'Jos\uFFFD Mu\uFFFDoz', 'd@contoh.co.id']]), 'utf8'));
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/damaged\.csv holds a replacement character \(U\+FFFD\) at line 2, column 7/);
    expect(s.stats().requests).toBe(0);
  });

  it('refuses a byte that a named encoding has no character for, and an unknown encoding name', async () => {
    // 0x81 is undefined in windows-1252.
    const bytes = Buffer.concat([Buffer.from('Code,Name,Email\r\nX1,Ab'), Buffer.from([0x81]), Buffer.from('c,x@contoh.co.id\r\n')]);
    const { s, result } = await importBytes('odd.csv', bytes, ['--encoding', 'windows-1252']);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/odd\.csv cannot be read as windows-1252: line 2, column 6/);
    expect(s.stats().requests).toBe(0);
    const unknown = await importBytes('x.csv', Buffer.from(csv(WESTERN)), ['--encoding', 'klingon']);
    expect(unknown.result.code).toBe(2);
    expect(unknown.result.stderr).toMatch(/--encoding 'klingon' is not an encoding poscust knows; use one of windows-1250, windows-1252/);
  });

  it('finds an invalid byte deep in a large file, after the first chunks passed, before any request', async () => {
    const rows = Array.from({ length: 20_000 }, (_, i) => [`B${i}`, `Name ${i}`, `b${i}@contoh.co.id`]);
    const text = csv(rows);
    const at = text.indexOf('Name 15000');
    const bytes = Buffer.concat([Buffer.from(text.slice(0, at)), Buffer.from([0xe9]), Buffer.from(text.slice(at))]);
    const { s, result } = await importBytes('deep.csv', bytes);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/at line 15002, column 8 the byte 0xE9/);
    expect(s.stats().requests).toBe(0);
  });

  it('refuses UTF-16 without a byte order mark, naming the flag; with it, imports', async () => {
    const want = await reference(WESTERN);
    const bytes = Buffer.from(csv(WESTERN), 'utf16le');
    const refused = await importBytes('nobom.csv', bytes);
    expect(refused.result.code).toBe(2);
    expect(refused.result.stderr).toMatch(/looks like UTF-16 text without a byte order mark; run the import again with --encoding utf-16le/);
    const { s, result } = await importBytes('nobom.csv', bytes, ['--encoding', 'utf-16le']);
    expect(result.code, result.stderr).toBe(0);
    expect(records(s)).toEqual(want);
  });

  it('lets a byte order mark win over --encoding, with a warning', async () => {
    const want = await reference(CENTRAL);
    const bytes = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(csv(CENTRAL))]);
    const { s, result } = await importBytes('bom.csv', bytes, ['--encoding', 'windows-1250']);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stderr).toMatch(/starts with a UTF-8 byte order mark: read as UTF-8, not as --encoding windows-1250/);
    expect(records(s)).toEqual(want);
  });
});

describe("Excel's sep= line", () => {
  it('takes the delimiter from `sep=;`, does not read it as a row, and counts lines from it', async () => {
    const want = await reference(WESTERN);
    const text = `sep=;\r\n${csv(WESTERN, ';')}`;
    const { s, result } = await importBytes('sep.csv', Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(text)]));
    expect(result.code, result.stderr).toBe(0);
    expect(records(s)).toEqual(want);
    // A bad row is reported at its real line: sep=1, header=2, rows from 3.
    const bad = `sep=;\r\n${csv([...WESTERN.slice(0, 2), ['W9', 'Bad', 'not-an-email']], ';')}`;
    const rejects = join(s.dir, 'sep.rejects.csv');
    const again = await importBytes('sep2.csv', Buffer.from(bad), ['--rejects', rejects]);
    expect(again.result.code).toBe(7);
    expect(readFileSync(rejects, 'utf8')).toMatch(/^_line,_reason,Code,Name,Email\r?\n5,/);
  });
});
