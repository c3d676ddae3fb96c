import { describe, expect, it } from 'vitest';
import { deepMerge, expandDotted, withoutEmptyObjects } from '../../src/backends/nested.js';

describe('dotted names and nested merges', () => {
  it('builds nested objects from dotted names, merging siblings and whole objects', () => {
    expect(expandDotted({ 'address.city': 'Bratislava', 'address.zipCode': '81101', 'credit.amount': 10, note: null })).toEqual({
      address: { city: 'Bratislava', zipCode: '81101' },
      credit: { amount: 10 },
      note: null,
    });
    expect(expandDotted({ address: { street: 'Hlavná 1' }, 'address.city': 'Nitra' })).toEqual({ address: { street: 'Hlavná 1', city: 'Nitra' } });
    expect(expandDotted({ 'a.b.c': 1 })).toEqual({ a: { b: { c: 1 } } });
  });

  it('refuses a name given both as a value and as a parent, and empty segments', () => {
    expect(() => expandDotted({ address: null, 'address.city': 'x' })).toThrow(/'address' is given both as a value and as the parent of 'address.city'/);
    expect(() => expandDotted({ 'address.city': 'x', address: 'y' })).toThrow(/both as a value/);
    expect(() => expandDotted({ 'address.': 'x' })).toThrow(/not a field name/);
  });

  it('merges objects member by member, replaces arrays and null, and changes neither input', () => {
    const base = { address: { street: 'A', city: 'B' }, cards: [{ serialNumber: '1' }], company: { name: 'X' } };
    const changes = { address: { city: 'C' }, cards: [], company: null };
    const frozen = JSON.stringify([base, changes]);
    expect(deepMerge(base, changes)).toEqual({ address: { street: 'A', city: 'C' }, cards: [], company: null });
    expect(JSON.stringify([base, changes])).toBe(frozen);
    expect(deepMerge({ address: null }, { address: { city: 'C' } })).toEqual({ address: { city: 'C' } });
  });
});

describe('empty nested objects', () => {
  it('drops all-null members where the base has no object, keeps them where it has one', () => {
    const patch = { address: { city: null, street: null }, company: { name: null }, credit: { amount: 0 }, note: null };
    expect(withoutEmptyObjects(patch, { address: null })).toEqual({ credit: { amount: 0 }, note: null });
    expect(withoutEmptyObjects(patch, { address: { city: 'Nitra' } })).toEqual({ address: { city: null, street: null }, credit: { amount: 0 }, note: null });
    expect(withoutEmptyObjects({ meta: {} })).toEqual({ meta: {} });
  });
});
