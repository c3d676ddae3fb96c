// Seeded MYPOS Connect customers: the vendor-neutral people of seed.ts shaped as MYPOS records, with
// numeric system-assigned codes (`1000001` onwards) and a share of customers "with transactions",
// whom a delete only makes inactive (409).
import { MAX_SEED_COUNT, SEED_BASE, SeededRandom, mixSeed, seedGuid, seedPerson } from '../core/seed.js';
import { type MyposCustomer, stampAt } from './records.js';

/** The code of the first seeded customer; later ones count up, and new customers continue. */
export const MYPOS_FIRST_CODE = 1_000_001;

const DAY_MS = 86_400_000;
/** Edits of seeded customers fall between their creation and this day. */
const LAST_EDIT_END = Date.UTC(2026, 9, 31);

export interface MyposSeedCustomer {
  record: MyposCustomer;
  /** Sales on the customer's account; more than 0 means delete answers 409 and deactivates. */
  transactions: number;
}

export function myposSeedCustomer(index: number): MyposSeedCustomer {
  const person = seedPerson(index);
  // Salt 7 keeps these draws apart from the DealPOS shaping of the same person.
  const rng = new SeededRandom(mixSeed(SEED_BASE, index, 7));
  const created = Date.parse(`${person.joinDate}T00:00:00Z`) + rng.int(8 * 3600, 21 * 3600) * 1000 + rng.int(0, 999);
  const edited = rng.chance(0.3) ? created : created + rng.int(0, Math.max(0, Math.floor((LAST_EDIT_END - created) / DAY_MS))) * DAY_MS + rng.int(0, 86_399_999);
  const creation = stampAt(created);
  const edit = stampAt(Math.min(edited, LAST_EDIT_END + DAY_MS - 1));
  const collector = rng.chance(0.45);
  const record: MyposCustomer = {
    customerId: seedGuid(index, 7),
    customerCode: String(MYPOS_FIRST_CODE + index),
    // Most shops fill first and last name and leave customerName for businesses.
    customerName: rng.chance(0.1) ? `${person.lastName ?? person.firstName} Trading` : '',
    firstName: person.firstName,
    lastName: person.lastName ?? '',
    address: person.street,
    city: person.city,
    region: person.province,
    postalCode: person.postalCode,
    country: 'Indonesia',
    phoneNumber: person.mobile ?? person.phone ?? '',
    faxNumber: '',
    emailAddress: person.email ?? '',
    webSite: '',
    creditLimit: rng.chance(0.15) ? rng.int(1, 20) * 500_000 : 0,
    notes: rng.chance(0.1) ? rng.pick(['Prefers WhatsApp', 'VIP', 'Wholesale buyer', 'Allergic to nuts', '=SUM(A1:A2)']) : '',
    active: !rng.chance(0.08),
    customerType: rng.weighted<string>([['Adult', 60], ['Senior', 12], ['Student', 18], ['Trade', 10]]),
    rewardsCollector: collector,
    rewardsNumber: collector ? `RW${String(index + 1).padStart(6, '0')}` : '',
    rewardsValue: collector ? rng.int(0, 4000) / 4 : 0,
    allowMailing: rng.chance(0.6),
    allowDataShare: rng.chance(0.2),
    discountPercent: rng.chance(0.1) ? rng.pick([5, 10, 15]) : 0,
    priceBand: rng.weighted<number>([[1, 80], [2, 15], [3, 5]]),
    balance: rng.chance(0.2) ? rng.int(1, 400) * 1000 : 0,
    cC_001: rng.chance(0.3) ? rng.pick(['Kemang', 'Bandung Dago', 'Online Store']) : null,
    cC_002: null,
    lastEditDate: edit.local,
    lastEditDateUTC: edit.utc,
    creationDate: creation.local,
  };
  return { record, transactions: rng.chance(0.35) ? rng.int(1, 60) : 0 };
}

/** `n` MYPOS customers, codes `1000001` onwards. */
export function myposSeedCustomers(n: number): MyposSeedCustomer[] {
  if (!Number.isInteger(n) || n < 0 || n > MAX_SEED_COUNT) {
    throw new RangeError(`seed count must be a whole number from 0 to ${MAX_SEED_COUNT}`);
  }
  return Array.from({ length: n }, (_, i) => myposSeedCustomer(i));
}
