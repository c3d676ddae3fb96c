// Seeded DealPOS customers: the vendor-neutral people of core/seed.ts shaped as DealPOS records.
import { MAX_SEED_COUNT, OUTLETS, SEED_BASE, SeededRandom, formatCode, mixSeed, randomDay, seedGuid, seedPerson } from '../core/seed.js';
import type { DealposCustomer } from './records.js';

export const DEALPOS_SEED_CODE_PREFIX = 'C-';
export const DEALPOS_SEED_CODE_WIDTH = 5;
/** DealPOS writes "no date" as the .NET DateTime.MinValue. */
export const DEALPOS_EMPTY_DATE = '0001-01-01T00:00:00';

function pad2(n: number): string {
  return String(n).padStart(2, '0');
}

/** The DealPOS customer at `index`: a `seedPerson` plus groups, points, flags and a `C-NNNNN` code. */
export function dealposSeedCustomer(index: number): DealposCustomer {
  const person = seedPerson(index);
  const rng = new SeededRandom(mixSeed(SEED_BASE, index, 3));
  const group = rng.weighted<string>([['Gold', 15], ['Silver', 30], ['Regular', 55]]);
  let expiredGroup: string;
  if (group === 'Regular' || rng.chance(0.2)) {
    expiredGroup = DEALPOS_EMPTY_DATE;
  } else {
    expiredGroup = `${rng.int(2024, 2027)}-12-31T00:00:00`;
  }
  const points = rng.chance(0.2) ? 0 : Math.floor(rng.next() ** 2 * (group === 'Gold' ? 20_000 : 5_000));
  const joinMs = Date.parse(`${person.joinDate}T00:00:00Z`);
  let appLastSignIn: string | null = null;
  if (rng.chance(0.35)) {
    const at = new Date(randomDay(rng, joinMs, Date.UTC(2026, 10, 1)) + rng.int(6 * 3600, 23 * 3600) * 1000);
    appLastSignIn = `${at.toISOString().slice(0, 10)}T${pad2(at.getUTCHours())}:${pad2(at.getUTCMinutes())}:${pad2(at.getUTCSeconds())}`;
  }
  const code = formatCode(DEALPOS_SEED_CODE_PREFIX, index + 1, DEALPOS_SEED_CODE_WIDTH);
  return {
    ID: seedGuid(index),
    Code: code,
    Name: person.fullName,
    FirstName: person.firstName,
    LastName: person.lastName,
    Email: person.email,
    Phone: person.phone,
    Mobile: person.mobile,
    Address: `${person.street}, ${person.city}, ${person.province} ${person.postalCode}`,
    Gender: person.female,
    BirthDate: person.birthDate ? `${person.birthDate}T00:00:00` : null,
    JoinDate: `${person.joinDate}T00:00:00`,
    Group: group,
    ExpiredGroup: expiredGroup,
    LoyaltyPoint: points,
    Status: rng.chance(0.07) ? 'Suspended' : 'Active',
    // An earlier customer referred this one, sometimes.
    ReferredBy: index > 0 && rng.chance(0.08) ? seedGuid(rng.int(0, index - 1)) : null,
    ImageURL: rng.chance(0.1) ? `https://img.sandbox.poscust.test/avatars/${code.toLowerCase()}.jpg` : null,
    SignUpOutlet: rng.weighted(OUTLETS),
    EmailVerified: person.email !== null && rng.chance(0.4),
    MobileVerified: person.mobile !== null && rng.chance(0.5),
    AppLastSignIn: appLastSignIn,
  };
}

/** `n` DealPOS customers, `C-00001` onwards. */
export function dealposSeedCustomers(n: number): DealposCustomer[] {
  if (!Number.isInteger(n) || n < 0 || n > MAX_SEED_COUNT) {
    throw new RangeError(`seed count must be a whole number from 0 to ${MAX_SEED_COUNT}`);
  }
  const out: DealposCustomer[] = new Array<DealposCustomer>(n);
  for (let i = 0; i < n; i++) out[i] = dealposSeedCustomer(i);
  return out;
}
