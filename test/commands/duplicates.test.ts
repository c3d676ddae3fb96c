// `poscust duplicates` over a shop seeded with planted duplicates, and `merge --plan`: every planted
// group found and no other; placeholders reported; merged on DealPOS with summed points, undone by
// undo; a changed member makes its group a conflict; MYPOS suspends instead.
import { readFileSync, writeFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { emailKey, nameKey } from '../../src/duplicates/find.js';
import { importShop, shop, type Shop } from '../import/helpers.js';

const HEADER = 'Code,Name,Email,Mobile,BirthDate,LoyaltyPoint,Phone';
const PLANTED = [
  // Letter case, spacing and a +tag of an e-mail address (DealPOS itself refuses one differing only in case).
  'E1,Siti Rahayu,Siti.Rahayu@Gmail.com,,1980-01-01,10',
  'E2,Siti R., siti.rahayu+toko@GMAIL.COM ,,,20',
  // The written form of a mobile number: a triple.
  'M1,Budi Santoso,,0812-3456-7890,,5',
  'M2,Budi S,,+62 812 3456 7890,,7',
  'M3,B. Santoso,,6281234567890,,1',
  // Dots and a +tag in a Gmail address.
  'G1,Eko Pratama,eko.pratama@gmail.com,,,3',
  'G2,Eko P,ekopratama+toko@googlemail.com,,,4',
  // Only the name in common: never one person by e-mail/mobile; with --by name, not without a second match.
  'N1,Agus Wijaya,agus1@contoh.co.id,081111111111,1970-05-05,1',
  'N2,Agus  Wijaya,agus2@contoh.co.id,082222222222,1985-06-06,2',
  // The same name and birth date: one person only under --by name.
  'B1,Dewi Léstari,dewi1@contoh.co.id,,1990-02-03,6',
  'B2,dewi lestari,dewi.l@contoh.co.id,,1990-02-03,9',
];
/** 50 customers sharing a placeholder phone number, each otherwise distinct. */
const PLACEHOLDER = Array.from({ length: 50 }, (_, i) => `P${i},Pelanggan ${i},p${i}@toko.co.id,08533${String(i).padStart(7, '0')},,0,021-5550000`);

/**
 * A shop of 30 seeded customers plus the planted ones. DealPOS refuses a second customer with an
 * e-mail address it has (as a real shop's older data may still hold): those addresses are set
 * through the sandbox's control endpoint after the import.
 */
async function planted(): Promise<Shop> {
  const s = await shop({ seed: 30 });
  const unique = [...PLANTED, ...PLACEHOLDER].map((line, i) => line.replace(/,([^,]*@[^,]*),/, `,later${i}@x.id,`) + (line.split(',').length === 6 ? ',' : ''));
  const r = await s.run(['import', s.file('planted.csv', [HEADER, ...unique].join('\n') + '\n'), '--mode', 'create']);
  expect(r.code, r.stderr).toBe(0);
  const email = new Map([...PLANTED, ...PLACEHOLDER].map((line) => [line.split(',')[0]!, line.split(',')[2]!]));
  const all = s.customers().map((c) => (email.has(c.Code!) ? { ...c, Email: email.get(c.Code!) || null } : c));
  const put = await fetch(`${s.sb.origin}/_sandbox/customers`, { method: 'PUT', headers: { 'content-type': 'application/json' }, body: JSON.stringify(all) });
  expect(put.status, await put.text()).toBe(200);
  expect(s.byCode().get('E2')!.Email?.trim()).toBe('siti.rahayu+toko@GMAIL.COM');
  return s;
}

type Out = { group: number; rule: string; keep: Record<string, unknown>; merge: Record<string, unknown>[] }[];
const groupsOf = (out: Out) => out.map((g) => [g.keep.Code, ...g.merge.map((m) => m.Code)].map(String).sort().join(' ')).sort();

describe('duplicates', () => {
  it('normalizes e-mail addresses as their providers do, and names with accents, case and spacing folded', () => {
    expect(emailKey(' Eko.Pratama+shop@GoogleMail.com ')).toBe('ekopratama@gmail.com');
    expect(emailKey('first.last+x@outlook.com')).toBe('first.last@outlook.com');
    expect(emailKey('first.last+x@yahoo.co.id')).toBe('first.last+x@yahoo.co.id');
    expect(nameKey('  José   MUÑOZ-Pérez ')).toBe('jose munoz perez');
  });

  it('finds every planted group and no other; the placeholder is reported, not grouped', async () => {
    const s = await planted();
    const r = await s.run(['duplicates', '--format', 'json']);
    expect(r.code, r.stderr).toBe(0);
    const out = JSON.parse(r.stdout) as Out;
    expect(groupsOf(out)).toEqual(['E1 E2', 'G1 G2', 'M1 M2 M3']);
    const phones = await s.run(['duplicates', '--by', 'phone', '--format', 'json']);
    expect(JSON.parse(phones.stdout)).toEqual([]);
    expect(phones.stderr).toContain("phone '+62215550000' is shared by 50 customers: a placeholder, not grouped");
    expect((await s.run(['duplicates', '--by', 'phone', '--max-group', '60', '--format', 'json'])).stdout).toContain('"group": 1');
    // Survivor: most points, the others merge into it; each member says which rule tied it in.
    const m = out.find((g) => g.keep.Code === 'M2')!;
    expect(m.rule).toBe('mobile');
    expect(m.merge.map((x) => x._rule)).toEqual(['mobile', 'mobile']);
    expect(out.find((g) => g.rule === 'email' && g.keep.Email !== undefined)!.keep.Code).toBe('E2');

    const byName = JSON.parse((await s.run(['duplicates', '--by', 'name', '--format', 'json'])).stdout) as Out;
    expect(groupsOf(byName)).toEqual(['B1 B2']);
    const csv = await s.run(['duplicates', '--by', 'email,mobile,name', '--format', 'csv']);
    expect(csv.stdout.split('\n')[0]).toMatch(/^_group,_keep,_rule,ID,Code/);
    expect(csv.stdout.trim().split('\n')).toHaveLength(1 + 9);
    expect(csv.stdout).toMatch(/\n\d,keep,name,[^,]*,B[12],/);
    const oldest = JSON.parse((await s.run(['duplicates', '--keep', 'oldest', '--format', 'json'])).stdout) as Out;
    expect(oldest.map((g) => g.keep.Code).sort()).toEqual(['E1', 'G1', 'M1']);
    expect((await s.run(['duplicates', '--by', 'email,shoe'])).code).toBe(2);
    const nowhere = await s.run(['duplicates', '--save-plan', `${s.dir}/missing/merges.json`]);
    expect(nowhere.code).toBe(2);
    expect(nowhere.stderr).toContain('--save-plan');
  });

  it('merges each group of a plan on DealPOS with the points summed; undo restores them; a second look finds none', async () => {
    const s = await planted();
    const before = s.customers().length;
    const plan = `${s.dir}/merges.json`;
    expect((await s.run(['duplicates', '--save-plan', plan])).code).toBe(0);
    expect((await s.run(['merge', '--plan', plan])).code).toBe(2); // no terminal, no --yes
    const r = await s.run(['merge', '--plan', plan, '--yes']);
    expect(r.code, r.stderr).toBe(0);
    expect(s.customers()).toHaveLength(before - 4);
    const byCode = s.byCode();
    expect(byCode.get('M2')!.LoyaltyPoint).toBe(13);
    expect(byCode.get('E2')!.LoyaltyPoint).toBe(30);
    expect(byCode.has('M1') || byCode.has('M3') || byCode.has('E1')).toBe(false);
    expect(JSON.parse((await s.run(['duplicates', '--format', 'json'])).stdout)).toEqual([]);

    const jobs = JSON.parse((await s.run(['history', '--format', 'json'])).stdout) as { id: string; command: string }[];
    const undo = await s.run(['undo', jobs.find((j) => j.command.includes('merge --plan'))!.id, '--yes']);
    expect(undo.code, undo.stderr).toBe(0);
    expect(s.customers()).toHaveLength(before);
    expect(s.byCode().get('M2')!.LoyaltyPoint).toBe(7);
    expect(s.byCode().get('M1')!.LoyaltyPoint).toBe(5);
  });

  it('leaves a group whose customer changed since the plan as a conflict (exit 7), merges the rest; another shop is exit 2', async () => {
    const s = await planted();
    const plan = `${s.dir}/merges.json`;
    await s.run(['duplicates', '--save-plan', plan]);
    await s.run(['update-by', 'code', 'G1', '--loyalty-point', '99']);
    const r = await s.run(['merge', '--plan', plan, '--yes']);
    expect(r.code).toBe(7);
    expect(r.stdout).toMatch(/group \d+ {2}conflict .*G1: LoyaltyPoint is now 99, planned from 3/);
    expect(s.byCode().has('G1') && s.byCode().has('G2')).toBe(true);
    expect(s.byCode().has('M1')).toBe(false);
    const text = readFileSync(plan, 'utf8');
    writeFileSync(`${s.dir}/other.json`, text.replace(/"baseUrl": "[^"]*"/, '"baseUrl": "https://other.dealpos.net/api/v3"'));
    expect((await s.run(['merge', '--plan', `${s.dir}/other.json`, '--yes'])).code).toBe(2);
    writeFileSync(`${s.dir}/bad.json`, '{"kind":"poscust-merge-plan"');
    const bad = await s.run(['merge', '--plan', `${s.dir}/bad.json`, '--yes']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('is damaged');
  });

  it('on MYPOS: merge --plan is exit 6; --suspend-others --fill-gaps makes the others inactive, undoably', async () => {
    const s = await importShop({ backend: 'mypos', seed: 0 }, 'poscust-dup-mypos-');
    const placeholders = Array.from({ length: 30 }, (_, i) => `Tamu,${i},noemail@toko.co.id,,`);
    const csv = ['firstName,lastName,emailAddress,phoneNumber,address', 'Ani,Wulandari,ani@contoh.co.id,,', 'Ani,W,ANI@contoh.co.id,0812000111,Jl. Baru 1', 'Rudi,Hidayat,rudi@contoh.co.id,,', ...placeholders].join('\n');
    expect((await s.run(['import', s.file('m.csv', `${csv}\n`), '--mode', 'create'])).code).toBe(0);
    const plan = `${s.dir}/merges.json`;
    const found = await s.run(['duplicates', '--save-plan', plan, '--format', 'json']);
    expect((JSON.parse(found.stdout) as Out).length).toBe(1);
    expect(found.stderr).toContain("email 'noemail@toko.co.id' is shared by 30 customers: a placeholder, not grouped");
    const refused = await s.run(['merge', '--plan', plan, '--yes']);
    expect(refused.code).toBe(6);
    expect(refused.stderr).toContain('--suspend-others');
    const r = await s.run(['merge', '--plan', plan, '--yes', '--suspend-others', '--fill-gaps']);
    expect(r.code, r.stderr).toBe(0);
    const anis = (s.sb.customers() as Record<string, unknown>[]).filter((c) => String(c.emailAddress).toLowerCase() === 'ani@contoh.co.id');
    expect(anis.filter((c) => c.active === false)).toHaveLength(1);
    const survivor = anis.find((c) => c.active !== false)!;
    expect(survivor.address === 'Jl. Baru 1' || survivor.phoneNumber === '0812000111').toBe(true);
    const jobs = JSON.parse((await s.run(['history', '--format', 'json'])).stdout) as { id: string }[];
    expect((await s.run(['undo', jobs[0]!.id, '--yes'])).code).toBe(0);
    expect((s.sb.customers() as Record<string, unknown>[]).every((c) => c.active !== false)).toBe(true);
  });
});
