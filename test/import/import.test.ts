// `poscust import` and `export` against the sandbox over real HTTP (CLI in-process, real clock):
// the state of the sandbox is what is checked, not only the summary.
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { ImportSummary } from '../../src/import/summary.js';
import { FakeClock } from '../helpers/harness.js';
import { csvOf, expectStored, people, shop } from './helpers.js';

function summary(stdout: string): ImportSummary {
  const s = JSON.parse(stdout) as ImportSummary;
  expect(Object.keys(s)).toEqual(['created', 'updated', 'unchanged', 'rejected', 'failed', 'requests', 'durationMs']);
  return s;
}

describe('import: create, upsert, and a second run', () => {
  it('creates 2,500 customers, upserts changes and new rows, then a re-run sends no writes', async () => {
    const s = await shop({ seed: 30 });
    const before = s.customers().length;
    const rows = people(2500);
    const file = s.file('customers.csv', csvOf(rows));

    const created = await s.run(['import', file, '--mode', 'create', '--format', 'json']);
    expect(created.stderr).toBe('');
    expect(created.code).toBe(0);
    expect(summary(created.stdout)).toMatchObject({ created: 2500, updated: 0, unchanged: 0, rejected: 0, failed: 0 });
    expect(s.customers()).toHaveLength(before + 2500);
    const stored = s.byCode();
    for (const p of rows) expectStored(stored.get(p.Code), p);
    expect(existsSync(`${file}.poscust-journal`)).toBe(false);
    expect(existsSync(join(s.dir, 'customers.rejects.csv'))).toBe(false);

    // 300 changed (one field each, of three kinds), 200 new, the rest identical.
    const next = rows.map((p, i) =>
      i % 25 === 0 ? { ...p, Email: `new.${p.Email}` } : i % 25 === 1 ? { ...p, LoyaltyPoint: p.LoyaltyPoint + 1 } : i % 25 === 2 ? { ...p, BirthDate: '2000-02-29' } : p,
    );
    next.push(...people(200, 2501));
    const changedRows = Math.ceil(2500 / 25) * 3;
    const writesBefore = s.stats().writes;
    const upsert = await s.run(['import', s.file('customers.csv', csvOf(next)), '--mode', 'upsert', '--key', 'code', '--format', 'json']);
    expect(upsert.code).toBe(0);
    const u = summary(upsert.stdout);
    expect(u).toMatchObject({ created: 200, updated: changedRows, unchanged: 2500 - changedRows, rejected: 0, failed: 0 });
    expect(s.stats().writes - writesBefore).toBe(200 + changedRows);
    // About one request per changed row: a count and the listing pages on top.
    const pages = Math.ceil((before + 2500) / 1000);
    expect(u.requests).toBe(200 + changedRows + 1 + pages);
    const after = s.byCode();
    for (const p of next) expectStored(after.get(p.Code), p);
    expect(s.customers()).toHaveLength(before + 2700);

    const again = await s.run(['import', s.file('customers.csv', csvOf(next)), '--format', 'json']);
    expect(again.code).toBe(0);
    expect(summary(again.stdout)).toMatchObject({ created: 0, updated: 0, unchanged: 2700 });
    expect(s.stats().writes - writesBefore).toBe(200 + changedRows);
  });

  it('updates only the changed fields of a customer, and leaves fields of empty cells alone', async () => {
    const s = await shop();
    const [p] = people(1);
    await s.run(['import', s.file('a.csv', csvOf([p!])), '--mode', 'create']);
    s.sb.requests.length = 0;
    const r = await s.run(['import', s.file('b.csv', `Code,Name,Email,Group\n${p!.Code},${p!.Name},,Platinum\n`), '--json']);
    expect(summary(r.stdout)).toMatchObject({ updated: 1 });
    const put = s.sb.requests.find((q) => q.method === 'PUT');
    expect(put?.path).toBe('/api/v3/Customer/ByID');
    expect(Object.keys(put!.body as object).sort()).toEqual(['Group', 'ID']);
    expect(s.byCode().get(p!.Code)).toMatchObject({ Email: p!.Email, Group: 'Platinum' });
  });

  it('looks each row up instead of listing when the file is much smaller than the customer base', async () => {
    const s = await shop({ seed: 2500 });
    const someone = s.customers()[10]!;
    const file = s.file('one.csv', `Code,Group\n${someone.Code},VIP\nNEW-1,Gold\n`);
    const r = await s.run(['import', file, '--json'], { env: {} });
    expect(r.code).toBe(7); // NEW-1 has no Name, so it cannot be created
    expect(summary(r.stdout)).toMatchObject({ updated: 1, rejected: 1 });
    const gets = s.sb.requests.filter((q) => q.method === 'GET').map((q) => q.path);
    expect(gets).toEqual(['/api/v3/Customer/WithTotalCount', '/api/v3/Customer/Detail', '/api/v3/Customer/Detail']);
    expect(readFileSync(join(s.dir, 'one.rejects.csv'), 'utf8')).toContain('3,Name is needed to create a customer,NEW-1,Gold');
  });
});

describe('import: dirty input', () => {
  it('rejects each bad row with its line and the reason, imports the rest (BOM, ;, CRLF, quoted newlines)', async () => {
    const s = await shop();
    const lines = [
      '\uFEFFcode;NAME;e-mail;Mobile;BirthDate', // 1: BOM, ';', case-insensitive names, a mapped header
      'D1;"Budi\r\nSantoso";budi@contoh.id;081234567811;1990-01-31', // 2-3: quoted CRLF
      'D2;Siti Rahayu;siti@;081234567812;1991-02-01', // 4: bad e-mail
      'D3;Agus;agus@contoh.id;081234567813;1990-02-30', // 5: bad date
      'D1;Dewi;dewi@contoh.id;081234567814;', // 6: duplicate key
      ';Rudi;rudi@contoh.id;081234567815;', // 7: missing key
      'D4;Eko;eko@contoh.id;081234567816;;extra', // 8: extra cell
      'D5;Ayu', // 9: short row
      '', // 10: blank, skipped
      'D6;"Nurul; Hidayat";"nurul@contoh.id";081234567817;1989-12-01', // 11: delimiter in quotes
      "D7;'=Joko;joko@contoh.id;'+62 818 1234 5678;", // 12: formula-guarded cells come in unguarded
    ];
    const file = s.file('dirty.csv', lines.join('\r\n') + '\r\n');
    const r = await s.run(['import', file, '--map', 'e-mail=Email', '--json']);
    expect(r.code).toBe(7);
    expect(summary(r.stdout)).toMatchObject({ created: 3, rejected: 6, failed: 0 });
    const stored = s.byCode();
    expect(stored.get('D1')).toMatchObject({ Name: 'Budi\r\nSantoso', Email: 'budi@contoh.id', BirthDate: '1990-01-31T00:00:00' });
    expect(stored.get('D6')).toMatchObject({ Name: 'Nurul; Hidayat' });
    expect(stored.get('D7')).toMatchObject({ Name: '=Joko', Mobile: '+62 818 1234 5678' });
    expect(stored.has('D2') || stored.has('D3') || stored.has('D4') || stored.has('D5')).toBe(false);

    const rejects = readFileSync(join(s.dir, 'dirty.rejects.csv'), 'utf8').trim().split('\n');
    expect(rejects[0]).toBe('_line,_reason,code,NAME,e-mail,Mobile,BirthDate');
    const byLine = new Map(rejects.slice(1).map((l) => [Number(l.split(',')[0]), l]));
    expect([...byLine.keys()].sort((a, b) => a - b)).toEqual([4, 5, 6, 7, 8, 9]);
    expect(byLine.get(4)).toContain("Email: 'siti@' is not an e-mail address");
    expect(byLine.get(5)).toContain("BirthDate: '1990-02-30' is not a date");
    expect(byLine.get(6)).toContain("Code 'D1' is also on line 2");
    expect(byLine.get(7)).toContain('no Code given');
    expect(byLine.get(8)).toContain('the row has 6 cells; the header has 5');
    expect(byLine.get(8)).toContain(',D4,Eko,eko@contoh.id,081234567816,,extra');
    expect(byLine.get(9)).toContain('the row has 2 cells');
  });

  it('exits 2 before any request for unknown columns (listing the valid names), no header, or a missing file', async () => {
    const s = await shop();
    const unknown = await s.run(['import', s.file('u.csv', 'Code,Name,Colour\nA,B,red\n')]);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain("unknown column 'Colour'");
    expect(unknown.stderr).toContain('valid names: ID, Code, Name, FirstName');
    expect(unknown.stderr).toContain('--map "Colour=Field"');
    const empty = await s.run(['import', s.file('e.csv', '\n\n')]);
    expect(empty.code).toBe(2);
    expect(empty.stderr).toContain('has no header row');
    const missing = await s.run(['import', join(s.dir, 'nope.csv')]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('no such file');
    const noKey = await s.run(['import', s.file('k.csv', 'Name\nBudi\n'), '--key', 'email']);
    expect(noKey.code).toBe(2);
    expect(noKey.stderr).toContain('upsert by email needs a Email column');
    expect(s.stats().requests).toBe(0);
  });

  it('--dry-run reads, reports what would happen, and writes nothing', async () => {
    const s = await shop({ seed: 5 });
    const first = s.customers()[0]!;
    const file = s.file('d.csv', `Code,Name,Group\n${first.Code},${first.Name},Changed\nNEW-9,Baru,Gold\n`);
    const report = join(s.dir, 'plan.csv');
    const r = await s.run(['import', file, '--dry-run', '--report', report, '--json']);
    expect(r.code).toBe(0);
    expect(summary(r.stdout)).toMatchObject({ created: 1, updated: 1, unchanged: 0 });
    expect(s.stats().writes).toBe(0);
    expect(readFileSync(report, 'utf8').trim().split('\n').sort()).toEqual([
      `2,${first.Code},would be updated,${first.ID},`,
      '3,NEW-9,would be created,,',
      'line,key,action,id,error',
    ]);
    expect(existsSync(`${file}.poscust-journal`)).toBe(false);
  });
});

describe('import: streams and terminals', () => {
  it('reads stdin (-), writes rejects to import.rejects.csv only when there are some, and refuses --resume', async () => {
    const s = await shop();
    const r = await s.run(['import', '-', '--mode', 'create', '--delimiter', 'tab', '--json'], { stdin: 'Code\tName\nS1\tSiti\nS2\tSri\n' });
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ created: 2 });
    expect(existsSync('import.rejects.csv')).toBe(false);
    const again = await s.run(['import', '-', '--resume'], { stdin: 'Code,Name\n' });
    expect(again.code).toBe(2);
    expect(again.stderr).toContain('--resume needs a file');
  });

  it('shows progress on stderr on a terminal; stdout carries the summary only', async () => {
    const s = await shop({ latencyMs: 2 });
    const r = await s.run(['import', s.file('t.csv', csvOf(people(300))), '--mode', 'create'], { tty: true });
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^created {4}300\nupdated {4}0\nunchanged  0\nrejected {3}0\nfailed {5}0\nrequests {3}301\nduration {3}\d/);
    expect(r.stderr).toContain('\r\x1b[K0 of 300 rows · 0%');
    expect(r.stderr).toMatch(/created \d+, updated 0, unchanged 0, rejected 0/);
    const quiet = await s.run(['import', s.file('t.csv', csvOf(people(300))), '--quiet'], { tty: true });
    expect(quiet.stderr).toBe('');
  });
});

describe('export', () => {
  it('writes every customer with every field; importing it back sends no writes', async () => {
    const s = await shop({ seed: 1200 });
    const target = join(s.dir, 'all.csv');
    const exp = await s.run(['export', '--output', target]);
    expect(exp.code).toBe(0);
    expect(exp.stdout).toBe('');
    const text = readFileSync(target, 'utf8');
    expect(text.split('\n')[0]).toBe('ID,Code,Name,FirstName,LastName,Email,Phone,Mobile,Address,Gender,BirthDate,JoinDate,Group,ExpiredGroup,LoyaltyPoint,Status,ReferredBy,ImageURL,SignUpOutlet,EmailVerified,MobileVerified,AppLastSignIn');
    expect(text.trim().split('\n')).toHaveLength(1201);
    const writes = s.stats().writes;
    for (const key of ['code', 'id']) {
      const r = await s.run(['import', target, '--key', key, '--json']);
      expect(r.code, key).toBe(0);
      expect(summary(r.stdout), key).toMatchObject({ created: 0, updated: 0, unchanged: 1200, rejected: 0 });
    }
    expect(s.stats().writes).toBe(writes);
  });

  it('round-trips formula-like values exactly and writes stdout when no --output', async () => {
    const s = await shop({ seed: 0 });
    const file = s.file('f.csv', `Code,Name,Address\nF1,=SUM(A1),"  spaced  "\nF2,@home,-5 Jl. X\n`);
    expect((await s.run(['import', file, '--mode', 'create'])).code).toBe(0);
    const exp = await s.run(['export']);
    expect(exp.stdout).toContain(`F1,'=SUM(A1),,,,,,"  spaced  "`);
    expect(exp.stdout).toContain(`F2,'@home,,,,,,'-5 Jl. X`);
    const writes = s.stats().writes;
    const again = await s.run(['import', s.file('back.csv', exp.stdout), '--json']);
    expect(summary(again.stdout)).toMatchObject({ unchanged: 2, updated: 0, created: 0 });
    expect(s.stats().writes).toBe(writes);
    expect(s.byCode().get('F1')).toMatchObject({ Name: '=SUM(A1)', Address: '  spaced  ' });
  });

  it('writes CSV only', async () => {
    const s = await shop();
    const r = await s.run(['export', '--format', 'json']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('export writes CSV; for json, use poscust list --all --format json');
  });

  it('leaves no file behind when the export fails', async () => {
    const s = await shop({ seed: 10 });
    await s.sb.close();
    const target = join(s.dir, 'out.csv');
    const r = await s.run(['export', '--output', target], { clock: new FakeClock() });
    expect(r.code).toBe(75);
    expect(existsSync(target)).toBe(false);
    expect(readdirSync(s.dir).filter((n) => n.includes('out.csv'))).toEqual([]);
  });
});
