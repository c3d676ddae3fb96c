// Issue 13: cells as people fill them in. Dates in the file's own pattern (never guessed), explicit
// clears with --clear-value on every backend, and phone numbers in any written form matched and
// compared on their E.164 form in the profile's region.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { ImportSummary } from '../../src/import/summary.js';
import type { RecordedRequest } from '../../src/sandbox/index.js';
import { importShop, shop } from './helpers.js';

const summary = (stdout: string) => JSON.parse(stdout) as ImportSummary;
const writes = (requests: readonly RecordedRequest[], after: number) =>
  requests.filter((r) => r.seq > after && r.method !== 'GET' && !/token|login|auth|Customer\/p$/i.test(r.path)).length;
const lastSeq = (requests: readonly RecordedRequest[]) => requests.at(-1)?.seq ?? 0;

function rejectsOf(path: string): Map<number, string> {
  const lines = readFileSync(path, 'utf8').trim().split(/\r?\n/).slice(1);
  return new Map(lines.map((l) => [Number(l.split(',')[0]), l]));
}

describe('--date-format', () => {
  const ROWS = [
    ['D1', 'Budi', '1990-12-31'],
    ['D2', 'Siti', '1985-01-02'],
    ['D3', 'Agus', '2000-02-29'],
  ];

  it('imports dd/MM/yyyy, MM/dd/yyyy and dd.MM.yyyy files to the records of the yyyy-MM-dd file', async () => {
    const ref = await shop();
    const r0 = await ref.run(['import', ref.file('ref.csv', `Code,Name,BirthDate\n${ROWS.map((r) => r.join(',')).join('\n')}\n`), '--format', 'json']);
    expect(r0.code, r0.stderr).toBe(0);
    const want = ref.customers().map((c) => [c.Code, c.BirthDate]);
    expect(want).toEqual(ROWS.map((r) => [r[0], `${r[2]}T00:00:00`]));
    const write = (pattern: string, [y, m, d]: string[]) =>
      pattern === 'dd/MM/yyyy' ? `${d}/${m}/${y}` : pattern === 'MM/dd/yyyy' ? `${m}/${d}/${y}` : `${Number(d)}.${Number(m)}.${y}`;
    for (const pattern of ['dd/MM/yyyy', 'MM/dd/yyyy', 'dd.MM.yyyy']) {
      const s = await shop();
      const text = `Code,Name,BirthDate\n${ROWS.map(([c, n, iso]) => `${c},${n},${write(pattern, iso!.split('-'))}`).join('\n')}\n`;
      const r = await s.run(['import', s.file('dates.csv', text), '--date-format', pattern, '--format', 'json']);
      expect(r.code, `${pattern}: ${r.stderr}`).toBe(0);
      expect(s.customers().map((c) => [c.Code, c.BirthDate]), pattern).toEqual(want);
    }
  });

  it('rejects an impossible date, a two-digit year and a date in another pattern, each with its line; never guesses', async () => {
    const s = await shop();
    const text = ['Code,Name,BirthDate', 'E1,A,31/12/1990', 'E2,B,31/02/1990', 'E3,C,31/12/90', 'E4,D,1990-12-31', 'E5,E,12-31-1990', 'E6,F,'].join('\n');
    const rejects = join(s.dir, 'r.csv');
    const r = await s.run(['import', s.file('d.csv', text), '--date-format', 'dd/MM/yyyy', '--rejects', rejects, '--format', 'json']);
    expect(r.code).toBe(7);
    expect(summary(r.stdout)).toMatchObject({ created: 3, rejected: 3 });
    const byLine = rejectsOf(rejects);
    expect([...byLine.keys()]).toEqual([3, 4, 6]);
    expect(byLine.get(3)).toContain("BirthDate: '31/02/1990' is not a date that exists (read as dd/MM/yyyy)");
    expect(byLine.get(4)).toContain("BirthDate: '31/12/90' has a 2-digit year; write the year in full");
    expect(byLine.get(6)).toContain("BirthDate: '12-31-1990' is not a date in dd/MM/yyyy");
    // An ISO date is unambiguous whatever the pattern; an empty cell is not given.
    expect(s.byCode().get('E4')?.BirthDate).toBe('1990-12-31T00:00:00');
    expect(s.byCode().get('E6')?.BirthDate ?? null).toBeNull();
  });

  it('without --date-format, names the flag to pass, or says a date could be read two ways', async () => {
    const s = await shop();
    const rejects = join(s.dir, 'r.csv');
    const text = ['Code,Name,BirthDate', 'F1,A,31/12/1990', 'F2,B,03/04/1990', 'F3,C,12/31/1990', 'F4,D,31.12.1990'].join('\n');
    const r = await s.run(['import', s.file('d.csv', text), '--rejects', rejects]);
    expect(r.code).toBe(7);
    const byLine = rejectsOf(rejects);
    expect(byLine.get(2)).toContain("'31/12/1990' is not a date in yyyy-MM-dd; pass --date-format dd/MM/yyyy");
    expect(byLine.get(3)).toContain('it could be read as dd/MM/yyyy or MM/dd/yyyy: say which with --date-format');
    expect(byLine.get(4)).toContain('pass --date-format MM/dd/yyyy');
    expect(byLine.get(5)).toContain('pass --date-format dd.MM.yyyy');
    expect(s.customers()).toHaveLength(0);
  });

  it('refuses a pattern it does not know before any request', async () => {
    const s = await shop();
    const r = await s.run(['import', s.file('d.csv', 'Code,Name\nX,Y\n'), '--date-format', 'd/M/yy']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--date-format 'd\/M\/yy': use one of dd\/MM\/yyyy, MM\/dd\/yyyy, dd\.MM\.yyyy, yyyy-MM-dd/);
    expect(s.stats().requests).toBe(0);
  });
});

/** Per backend: the key column, a customer to clear fields of, and how the cleared fields read back. */
const CLEARS = [
  {
    backend: 'dealpos' as const,
    header: 'Code,Group,Address',
    key: (c: Record<string, unknown>) => String(c.Code),
    has: (c: Record<string, unknown>) => Boolean(c.Group && c.Address),
    cleared: (c: Record<string, unknown>) => [c.Group, c.Address],
    args: ['--key', 'code'],
  },
  {
    backend: 'mypos' as const,
    header: 'customerCode,notes,city',
    key: (c: Record<string, unknown>) => String(c.customerCode),
    has: (c: Record<string, unknown>) => Boolean(c.notes && c.city),
    cleared: (c: Record<string, unknown>) => [c.notes, c.city],
    args: ['--key', 'code'],
  },
  {
    backend: 'portos' as const,
    header: 'id,note,address.city',
    key: (c: Record<string, unknown>) => String(c.id),
    has: (c: Record<string, unknown>) => Boolean(c.note && (c.address as { city?: string } | null)?.city),
    cleared: (c: Record<string, unknown>) => [c.note, (c.address as { city?: unknown } | null)?.city],
    args: ['--key', 'id'],
  },
];

describe.each(CLEARS)('--clear-value on $backend', (c) => {
  it('clears the fields whose cell is exactly the text; a second run is no change and sends no write', async () => {
    const s = await importShop({ backend: c.backend, seed: 60 }, 'poscust-clear-');
    const all = s.sb.customers() as Record<string, unknown>[];
    const target = all.find(c.has);
    if (!target) throw new Error(`no seeded ${c.backend} customer with both fields`);
    const other = all.find((x) => x !== target && c.has(x))!;
    // The target's two fields are cleared; the other customer's cells are empty (not given) or say
    // something else that holds the text ("#N/A here" is not the clear value): left alone.
    const file = s.file('clear.csv', `${c.header}\n${c.key(target)},#N/A,#N/A\n${c.key(other)},,\n`);
    const before = JSON.stringify(other);
    const r = await s.run(['import', file, ...c.args, '--clear-value', '#N/A', '--format', 'json']);
    expect(r.code, r.stderr).toBe(0);
    expect(summary(r.stdout)).toMatchObject({ updated: 1, unchanged: 1, created: 0 });
    const stored = (s.sb.customers() as Record<string, unknown>[]).find((x) => c.key(x) === c.key(target))!;
    for (const value of c.cleared(stored)) expect(value === null || value === '', JSON.stringify(stored)).toBe(true);
    expect(JSON.stringify((s.sb.customers() as Record<string, unknown>[]).find((x) => c.key(x) === c.key(other)))).toBe(before);
    const seq = lastSeq(s.sb.requests);
    const again = await s.run(['import', file, ...c.args, '--clear-value', '#N/A', '--format', 'json']);
    expect(again.code, again.stderr).toBe(0);
    expect(summary(again.stdout)).toMatchObject({ updated: 0, unchanged: 2 });
    expect(writes(s.sb.requests, seq)).toBe(0);
  });
});

describe('--clear-value rules', () => {
  it('never clears the key, sends nothing for a clear on create, and is refused when empty', async () => {
    const s = await shop({ seed: 3 });
    const code = s.customers()[0]!.Code!;
    const rejects = join(s.dir, 'r.csv');
    const file = s.file('k.csv', `Code,Name,Group\n#N/A,Nobody,Gold\nNEW1,Ani,#N/A\n${code},Renamed,\n`);
    const r = await s.run(['import', file, '--clear-value', '#N/A', '--rejects', rejects, '--format', 'json']);
    expect(r.code).toBe(7);
    expect(summary(r.stdout)).toMatchObject({ created: 1, updated: 1, rejected: 1 });
    expect(rejectsOf(rejects).get(2)).toContain('Code is the --key of this import and cannot be cleared');
    const created = s.sb.requests.find((q) => q.method === 'POST' && /\/Customer$/.test(q.path));
    expect(created?.body).toEqual({ Code: 'NEW1', Name: 'Ani' });
    const empty = await s.run(['import', file, '--clear-value', ' ']);
    expect(empty.code).toBe(2);
    expect(empty.stderr).toMatch(/--clear-value needs a text/);
  });
});

describe('phone numbers in any written form (--key mobile)', () => {
  /** Every way people write the seeded number 089674310221 and its neighbours. */
  const forms = (mobile: string) => {
    const nsn = mobile.slice(1);
    const dashed = `${mobile.slice(0, 4)}-${mobile.slice(4, 8)}-${mobile.slice(8)}`;
    return [`+62${nsn}`, `62${nsn}`, dashed, `${mobile.slice(0, 4)} ${mobile.slice(4, 8)} ${mobile.slice(8)}`, `+62 ${nsn.slice(0, 3)} ${nsn.slice(3, 7)} ${nsn.slice(7)}`, mobile];
  };

  for (const [strategy, seed, rowsWanted] of [['listing', 40, 6], ['looking each up', 2600, 2]] as const) {
    it(`matches every form to the stored customer, creates nobody, and a re-run sends no write (${strategy})`, async () => {
      const s = await shop({ seed });
      const stored = s.customers().filter((c) => c.Mobile).slice(0, rowsWanted);
      const lines = stored.map((c, i) => `${forms(c.Mobile!)[i % 6]},"${c.Name}"`);
      const file = s.file('m.csv', `Mobile,Name\n${lines.join('\n')}\n`);
      const seq = lastSeq(s.sb.requests);
      const r = await s.run(['import', file, '--key', 'mobile', '--format', 'json']);
      expect(r.code, r.stderr).toBe(0);
      expect(summary(r.stdout)).toMatchObject({ created: 0, updated: 0, unchanged: rowsWanted });
      expect(writes(s.sb.requests, seq)).toBe(0);
      expect(s.customers()).toHaveLength(seed);
      // The numbers are stored as they were: an equal number is no change.
      expect(s.customers().filter((c) => stored.some((x) => x.Code === c.Code)).map((c) => c.Mobile)).toEqual(stored.map((c) => c.Mobile));
    });
  }

  it('treats two forms of one number in a file as the same key', async () => {
    const s = await shop();
    const rejects = join(s.dir, 'r.csv');
    const r = await s.run(['import', s.file('d.csv', 'Mobile,Name\n0812-3456-7890,A\n+62 812 3456 7890,B\n'), '--key', 'mobile', '--rejects', rejects]);
    expect(r.code).toBe(7);
    expect(rejectsOf(rejects).get(3)).toContain("Mobile '+62 812 3456 7890' is also on line 2");
  });

  it('rejects a number that cannot exist in the region, with the reason, and writes the rest as given', async () => {
    const s = await shop();
    const rejects = join(s.dir, 'r.csv');
    const file = s.file('p.csv', 'Code,Name,Mobile,Phone\nP1,A,0812,\nP2,B,0812-3456-7890,(021) 6892235\nP3,C,hello,\nP4,D,+44 20 7946 0958,\n');
    const r = await s.run(['import', file, '--rejects', rejects, '--format', 'json']);
    expect(r.code).toBe(7);
    expect(summary(r.stdout)).toMatchObject({ created: 2, rejected: 2 });
    const byLine = rejectsOf(rejects);
    expect(byLine.get(2)).toContain("Mobile: '0812' cannot be a phone number in ID (too short)");
    expect(byLine.get(4)).toContain("Mobile: 'hello' is not a phone number");
    expect(s.byCode().get('P2')).toMatchObject({ Mobile: '0812-3456-7890', Phone: '(021) 6892235' });
    // A number written with its country code is a number of that country, wherever the shop is.
    expect(s.byCode().get('P4')?.Mobile).toBe('+44 20 7946 0958');
  });

  it('writes E.164 or the national form with --phone-format, and a re-run in another form is no change', async () => {
    const s = await shop();
    const file = s.file('f.csv', 'Code,Name,Mobile\nQ1,A,0812 3456 7890\nQ2,B,+62 813-1111-2222\n');
    const e164 = await s.run(['import', file, '--phone-format', 'e164', '--format', 'json']);
    expect(e164.code, e164.stderr).toBe(0);
    expect([s.byCode().get('Q1')?.Mobile, s.byCode().get('Q2')?.Mobile]).toEqual(['+6281234567890', '+6281311112222']);
    const seq = lastSeq(s.sb.requests);
    const same = await s.run(['import', file, '--format', 'json']);
    expect(summary(same.stdout)).toMatchObject({ unchanged: 2 });
    expect(writes(s.sb.requests, seq)).toBe(0);
    const national = await importShop({ seed: 0 }, 'poscust-phone-');
    const r = await national.run(['import', national.file('f.csv', 'Code,Name,Mobile\nQ1,A,+6281234567890\n'), '--phone-format', 'national']);
    expect(r.code, r.stderr).toBe(0);
    expect((national.sb.customers()[0] as { Mobile: string }).Mobile).toBe('0812-3456-7890');
  });

  it('reads numbers in POSCUST_REGION, and compares PORTOS numbers in SK by default', async () => {
    const s = await shop();
    const sk = await s.run(['import', s.file('sk.csv', 'Code,Name,Mobile\nS1,A,0903 123 456\n'), '--phone-format', 'e164'], { env: { POSCUST_REGION: 'sk' } });
    expect(sk.code, sk.stderr).toBe(0);
    expect(s.byCode().get('S1')?.Mobile).toBe('+421903123456');
    const bad = await s.run(['import', s.file('x.csv', 'Code,Name\nS2,B\n')], { env: { POSCUST_REGION: 'Slovakia' } });
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/POSCUST_REGION 'Slovakia' is not a region: give a two-letter ISO 3166 code/);

    const p = await importShop({ backend: 'portos', seed: 5 }, 'poscust-portos-phone-');
    const target = (p.sb.customers() as { id: string }[])[0]!;
    const set = await p.run(['update-by', 'id', target.id, '--phone', '+421903123456']);
    expect(set.code, set.stderr).toBe(0);
    const seq = lastSeq(p.sb.requests);
    const r = await p.run(['import', p.file('p.csv', `id,phone\n${target.id},0903 123 456\n`), '--key', 'id', '--format', 'json']);
    expect(r.code, r.stderr).toBe(0);
    expect(summary(r.stdout)).toMatchObject({ unchanged: 1 });
    expect(writes(p.sb.requests, seq)).toBe(0);
  });

  it('on MYPOS (no region) compares numbers on their digits, and checks only numbers written with +', async () => {
    const s = await importShop({ backend: 'mypos', seed: 5 }, 'poscust-mypos-phone-');
    const c = (s.sb.customers() as { customerCode: string; phoneNumber: string }[]).find((x) => /^0\d{9,}$/.test(x.phoneNumber ?? ''))!;
    const dashed = `${c.phoneNumber.slice(0, 4)}-${c.phoneNumber.slice(4)}`;
    const seq = lastSeq(s.sb.requests);
    const r = await s.run(['import', s.file('m.csv', `customerCode,phoneNumber\n${c.customerCode},${dashed}\n`), '--key', 'code', '--format', 'json']);
    expect(r.code, r.stderr).toBe(0);
    expect(summary(r.stdout)).toMatchObject({ unchanged: 1 });
    expect(writes(s.sb.requests, seq)).toBe(0);
    const e164 = await s.run(['import', s.file('n.csv', `customerCode,phoneNumber\n${c.customerCode},${dashed}\n`), '--key', 'code', '--phone-format', 'e164']);
    expect(e164.stderr).toMatch(/no region for phone numbers/);
  });
});

describe('e-mail keys', () => {
  it('match trimmed and whatever the letter case: a re-run in other letters is no change', async () => {
    const s = await shop({ seed: 5 });
    const c = s.customers().find((x) => x.Email)!;
    const seq = lastSeq(s.sb.requests);
    const r = await s.run(['import', s.file('e.csv', `Email,Name\n"  ${c.Email!.toUpperCase()} ","${c.Name}"\n`), '--key', 'email', '--format', 'json']);
    expect(r.code, r.stderr).toBe(0);
    expect(summary(r.stdout)).toMatchObject({ unchanged: 1, created: 0 });
    expect(writes(s.sb.requests, seq)).toBe(0);
  });
});
