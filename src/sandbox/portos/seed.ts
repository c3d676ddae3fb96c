// PORTOS record shaping of the vendor-neutral seed people (seed.ts): the same index always gives
// the same customer, and seeding 10 gives the first 10 of seeding 1000. External ids and card
// serial numbers embed the index, so they are unique by construction.
import { MAX_SEED_COUNT, SEED_BASE, SeededRandom, formatCode, mixSeed, seedGuid, seedPerson } from '../core/seed.js';
import type { PortosCustomer } from './records.js';

/** A salt for seedGuid so PORTOS ids differ from the DealPOS ids of the same people. */
const ID_SALT = 6;

export function portosSeedCustomer(index: number): PortosCustomer {
  const person = seedPerson(index);
  const rng = new SeededRandom(mixSeed(SEED_BASE, index, 6));
  const isCompany = rng.chance(0.1);
  const serial = formatCode('CARD-', index + 1, 6);
  const hasCard = rng.chance(0.6);
  const expired = rng.chance(0.08);
  const expires = expired ? `${rng.int(2021, 2024)}-12-31T23:59:59` : rng.chance(0.15) ? `${rng.int(2027, 2030)}-12-31T23:59:59` : null;
  const amount = rng.chance(0.5) ? 0 : Math.round(rng.next() * 20000) / 100;
  const address = {
    street: person.street,
    city: person.city,
    zipCode: person.postalCode,
    country: 'ID',
  };
  return {
    id: seedGuid(index, ID_SALT),
    externalId: rng.chance(0.85) ? formatCode('EXT-', index + 1, 5) : null,
    isActive: !rng.chance(0.07),
    activationTime: rng.chance(0.2) ? `${person.joinDate}T00:00:00` : null,
    expirationTime: expires,
    firstName: person.firstName,
    lastName: person.lastName,
    gender: person.female ? 'Female' : 'Male',
    birthDate: person.birthDate,
    email: person.email,
    phone: person.mobile,
    isCompany,
    company: isCompany
      ? { name: `${person.lastName ?? person.firstName} Trading`, vatId: `ID${String(index + 1).padStart(10, '0')}`, taxId: String(2020000000 + index) }
      : null,
    address,
    deliveryAddress: rng.chance(0.2) ? { ...address, street: `${person.street} (gudang)` } : null,
    credit: { amount, currencyLabel: 'EUR' },
    creditTransactions: [],
    cards: hasCard
      ? [
          {
            externalId: formatCode('EXT-CARD-', index + 1, 6),
            isActive: true,
            isVirtual: rng.chance(0.5),
            serialNumber: serial,
            processor: 'P',
            status: 'Valid',
            statusTime: null,
            statusReason: null,
            activationTime: `${person.joinDate}T00:00:00.00Z`,
            expirationTime: null,
            note: null,
            meta: null,
          },
        ]
      : [],
    creditRate: rng.weighted<number>([[0, 80], [1, 10], [2, 10]]),
    discountRate: rng.weighted<number>([[0, 60], [5, 20], [10, 15], [15, 5]]),
    note: rng.chance(0.1) ? rng.pick(['VIP', 'Prefers e-mail', 'Wholesale buyer', 'Allergic to nuts']) : null,
    meta: {},
    _v: 1,
  };
}

export function portosSeedCustomers(n: number): PortosCustomer[] {
  if (!Number.isInteger(n) || n < 0 || n > MAX_SEED_COUNT) {
    throw new RangeError(`seed count must be a whole number from 0 to ${MAX_SEED_COUNT}`);
  }
  return Array.from({ length: n }, (_, i) => portosSeedCustomer(i));
}
