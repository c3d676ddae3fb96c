import { describe, expect, it } from 'vitest';
import { startSandbox } from '../../src/sandbox/index.js';
import { asciiFold, mulberry32, seedGuid, seedPerson } from '../../src/sandbox/core/seed.js';
import { dealposSeedCustomers } from '../../src/sandbox/dealpos/seed.js';
import { closeSandboxesAfterEach, track } from './helpers.js';

closeSandboxesAfterEach();

describe('sandbox seed data', () => {
  it('mulberry32 is a deterministic generator in [0, 1)', () => {
    const a = mulberry32(1);
    const b = mulberry32(1);
    const xs = Array.from({ length: 1000 }, () => a());
    expect(Array.from({ length: 1000 }, () => b())).toEqual(xs);
    expect(xs.every((x) => x >= 0 && x < 1)).toBe(true);
    expect(new Set(xs).size).toBeGreaterThan(990);
    expect(mulberry32(2)()).not.toBe(xs[0]);
  });

  it('the same N yields the same customers, and a smaller N is a prefix', async () => {
    expect(dealposSeedCustomers(40)).toEqual(dealposSeedCustomers(40));
    expect(dealposSeedCustomers(10)).toEqual(dealposSeedCustomers(40).slice(0, 10));
    const a = track(await startSandbox({ port: 0, seed: 25 }));
    const b = track(await startSandbox({ port: 0, seed: 25 }));
    expect(a.customers()).toEqual(b.customers());
    expect(a.customers()).toHaveLength(25);
  });

  it('defaults to 50 seeded customers', async () => {
    const sb = track(await startSandbox({ port: 0 }));
    expect(sb.customers()).toHaveLength(50);
  });

  it('keeps IDs, codes, e-mails and mobiles unique, in the expected shapes', () => {
    const customers = dealposSeedCustomers(5000);
    const unique = (values: (string | null)[]) => {
      const present = values.filter((v): v is string => v !== null).map((v) => v.toLowerCase());
      return new Set(present).size === present.length;
    };
    expect(unique(customers.map((c) => c.ID))).toBe(true);
    expect(unique(customers.map((c) => c.Code))).toBe(true);
    expect(unique(customers.map((c) => c.Email))).toBe(true);
    expect(unique(customers.map((c) => c.Mobile))).toBe(true);
    expect(customers[0]?.Code).toBe('C-00001');
    expect(customers[4999]?.Code).toBe('C-05000');
    for (const c of customers) {
      expect(c.ID).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
      if (c.Mobile !== null) expect(c.Mobile).toMatch(/^08\d{10}$/);
      if (c.Phone !== null) expect(c.Phone).toMatch(/^0\d{9,10}$/);
      if (c.Email !== null) expect(c.Email).toMatch(/^[a-z0-9._]+@[a-z0-9.-]+\.[a-z]+$/);
      expect(c.JoinDate >= '2019-01-01' && c.JoinDate <= '2026-12-31').toBe(true);
      expect(c.JoinDate).toMatch(/^\d{4}-\d{2}-\d{2}T00:00:00$/);
      expect(['Gold', 'Silver', 'Regular']).toContain(c.Group);
      expect(['Active', 'Suspended']).toContain(c.Status);
      expect(c.LoyaltyPoint).toBeGreaterThanOrEqual(0);
      if (c.Email === null) expect(c.EmailVerified).toBe(false);
    }
  });

  it('is realistic: mostly Indonesian, some non-ASCII names, a mix of groups, statuses and flags', () => {
    const customers = dealposSeedCustomers(1000);
    const count = (pred: (c: (typeof customers)[number]) => boolean) => customers.filter(pred).length;
    const nonAscii = count((c) => /[^\x00-\x7f]/.test(c.Name));
    expect(nonAscii).toBeGreaterThan(20);
    expect(nonAscii).toBeLessThan(300);
    expect(customers.some((c) => c.Name === 'Ni Ketut Ayu Ratnasari')).toBe(true);
    expect(customers.some((c) => c.Name === 'Nguyễn Thị Hoa')).toBe(true);
    expect(count((c) => c.Status === 'Suspended')).toBeGreaterThan(20);
    expect(count((c) => c.EmailVerified)).toBeGreaterThan(100);
    expect(count((c) => c.MobileVerified)).toBeGreaterThan(100);
    expect(count((c) => c.ExpiredGroup === '0001-01-01T00:00:00')).toBeGreaterThan(300);
    expect(count((c) => c.Group === 'Gold')).toBeGreaterThan(50);
    expect(count((c) => c.LoyaltyPoint === 0)).toBeGreaterThan(50);
    expect(new Set(customers.map((c) => c.LoyaltyPoint)).size).toBeGreaterThan(300);
    expect(new Set(customers.map((c) => c.JoinDate.slice(0, 4)))).toEqual(new Set(['2019', '2020', '2021', '2022', '2023', '2024', '2025', '2026']));
    expect(new Set(customers.map((c) => c.SignUpOutlet)).size).toBeGreaterThanOrEqual(5);
    expect(count((c) => c.Email === null)).toBeGreaterThan(30);
    expect(count((c) => c.Address?.includes(',') ?? false)).toBe(1000);
    // Referrals point at earlier customers.
    const ids = new Set(customers.map((c) => c.ID));
    const referred = customers.filter((c) => c.ReferredBy !== null);
    expect(referred.length).toBeGreaterThan(20);
    expect(referred.every((c) => ids.has(c.ReferredBy as string))).toBe(true);
  });

  it('offers vendor-neutral people for the other emulators', () => {
    const p = seedPerson(0);
    expect(seedPerson(0)).toEqual(p);
    expect(Object.keys(p).sort()).toEqual(
      ['birthDate', 'city', 'email', 'female', 'firstName', 'fullName', 'index', 'joinDate', 'lastName', 'mobile', 'phone', 'postalCode', 'province', 'street'].sort(),
    );
    expect(seedGuid(3)).toBe(seedGuid(3));
    expect(seedGuid(3)).not.toBe(seedGuid(4));
    expect(asciiFold('Zoë Müller')).toBe('zoe muller');
    expect(asciiFold('Łukasz Wójcik')).toBe('lukasz wojcik');
    expect(asciiFold('Đặng Văn Minh')).toBe('dang van minh');
    expect(() => seedPerson(-1)).toThrow(RangeError);
  });
});
